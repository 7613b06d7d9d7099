package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Program;
import org.openitb.therapy.Volume;

/** What a restart tells, by hand: the last heartbeat at 08:00, 480 mcg/day (20 mcg an hour), this boot at 100 s. */
class RestartReportTest {

    private static final long S = 1_000_000_000L;
    private static final long NOW = 100 * S;
    private static final Instant HEARTBEAT = Instant.parse("2026-03-01T08:00:00Z");
    private static final Optional<Program> PROGRAM = Optional.of(new ContinuousProgram(DailyRate.parse("480mcg/day"),
            Concentration.parse("500mcg/mL"), Optional.empty()));
    private static final Volume PER_MICROSTEP = Volume.parse("71.853nL");

    private static RestartReport report(RestartGap gap, Optional<Instant> dueFrom) {
        return RestartReport.of(gap, NOW, 3, Optional.of("bolus 50mcg over 10m"), dueFrom, Optional.empty(), PROGRAM, PER_MICROSTEP,
                ZoneOffset.UTC);
    }

    @Test
    void aKnownGapOfSixtyFourMinutesMissedTwentyOnePointThreeThreeThreeMicrograms() {
        RestartReport r = report(new RestartGap(HEARTBEAT, Duration.ofMinutes(64), true, Duration.ofMinutes(64)), Optional.of(HEARTBEAT));
        // 480 000 ng/day over 3 840 s of 86 400: 21 333.33 ng, rounded down.
        assertEquals(new Dose(21_333), r.restart().missed());
        assertEquals(Instant.parse("2026-03-01T09:04:00Z"), r.restart().at());
        assertEquals(3, r.restart().uncertainMicrosteps());
        assertEquals(Volume.parse("215.559nL"), r.restart().uncertain(), "3 × 71.853 nL");
        assertTrue(r.pending().isEmpty(), "nothing to correct");
        assertEquals("bolus 50mcg over 10m", r.details(new RestartGap(HEARTBEAT, Duration.ofMinutes(64), true, Duration.ofMinutes(64)),
                5_000, PROGRAM, false, HEARTBEAT).get("bolusNotResumed"));
    }

    @Test
    void suspendedThroughTheGapMissedNothing() {
        assertEquals(Dose.ZERO, report(new RestartGap(HEARTBEAT, Duration.ofHours(2), true, Duration.ofHours(2)), Optional.empty())
                .restart().missed());
    }

    @Test
    void anUnknownGapIsALowerBoundUntilTheClockIsBelievedThenItIsToldAgain() {
        // The clock could not tell: two minutes since boot is all that is known.
        RestartGap unknown = new RestartGap(HEARTBEAT, Duration.ZERO, false, Duration.ofMinutes(2));
        RestartReport r = report(unknown, Optional.of(HEARTBEAT));
        assertEquals(new Dose(666), r.restart().missed(), "20 mcg an hour for 2 min: 666.67 ng, rounded down");
        assertTrue(r.pending().isPresent());
        // Ten minutes later (monotonic) a synchronised clock reads 09:10: the restart was at 09:00, an hour after the heartbeat.
        RestartReport.Correction c = r.corrected(Instant.parse("2026-03-01T09:10:00Z"), NOW + 600 * S, Optional.of(true), PROGRAM,
                ZoneOffset.UTC).orElseThrow();
        assertEquals(Duration.ofHours(1), c.next().restart().gap());
        assertEquals(new Dose(20_000), c.next().restart().missed());
        assertTrue(c.next().restart().gapKnown());
        assertTrue(c.next().pending().isEmpty());
        assertEquals(Optional.of("bolus 50mcg over 10m"), c.next().restart().bolusCutOff(), "what the first report said is kept");
        assertEquals(120L, c.details().get("wasAtLeastSeconds"));
        assertEquals(Optional.empty(), r.corrected(Instant.parse("2026-03-01T09:10:00Z"), NOW + 600 * S, Optional.of(false), PROGRAM,
                ZoneOffset.UTC), "an unsynchronised clock is not believed");
    }
}
