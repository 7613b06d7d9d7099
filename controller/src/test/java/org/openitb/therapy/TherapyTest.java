package org.openitb.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;
import org.openitb.config.PumpConfig;

/** Therapy as a value: what its 24 h look-backs keep, measured at the instant asked, by hand-counted hours. */
class TherapyTest {

    private static final long H = Duration.ofHours(1).toNanos();
    private static final Concentration C500 = Concentration.ofMicrogramsPerMl(500);
    private static final Program A = new ContinuousProgram(DailyRate.ofMicrogramsPerDay(300), C500);
    private static final Program B = new ContinuousProgram(DailyRate.ofMicrogramsPerDay(330), C500);
    private static final Program C = new ContinuousProgram(DailyRate.ofMicrogramsPerDay(360), C500);

    private final Therapy none = Therapy.none(shippedLimits());

    @Test
    void theTitrationReferenceIsTheProgramRunningWhenTheDayBeganAndEveryOneSince() {
        Therapy t = none.withProgram(A, 0).withProgram(B, 10 * H).withProgram(C, 30 * H);
        // At 40 h the day began at 16 h, when B was running: B and C, not A.
        assertEquals(List.of(B, C), t.programsInForce(40 * H));
        // At 60 h the day began at 36 h, when C was running (since 30 h): C alone.
        assertEquals(List.of(C), t.programsInForce(60 * H));
        // At 29 h the day began at 5 h, under A.
        assertEquals(List.of(A, B, C), t.programsInForce(29 * H));
    }

    @Test
    void aCheckDoesNotChangeWhatItChecks() {
        Therapy t = none.withProgram(A, 0).withBolus(new BolusRecord(H, Dose.ofMicrograms(50), BolusKind.CLINICIAN));
        t.checkBolus(Dose.ofMicrograms(25), Duration.ofMinutes(10), Dose.ZERO, 30 * H);
        t.checkProgram(B, 30 * H);
        assertEquals(List.of(A), t.programsInForce(0), "history read back at its own time is still whole");
        assertEquals(1, t.recentBoluses(2 * H).size(), "the bolus at 1 h is still there for a look at 2 h");
        assertEquals(0, t.recentBoluses(25 * H).size(), "and out of the 24 h at 25 h");
    }

    @Test
    void bolusesAndPrimingsAreBoundedByTheDayAndByCount() {
        Therapy t = none.withProgram(A, 0);
        for (int i = 0; i < Therapy.HISTORY_LIMIT + 5; i++) {
            t = t.withBolus(new BolusRecord(i * 1_000_000L, Dose.ofMicrograms(1), BolusKind.PATIENT));
        }
        List<BolusRecord> kept = t.recentBoluses(Therapy.HISTORY_LIMIT * 1_000_000L);
        assertEquals(Therapy.HISTORY_LIMIT, kept.size());
        assertEquals(5_000_000L, kept.getFirst().startNanos(), "the five oldest dropped");
        Therapy primed = t.withPriming(new Therapy.Priming(0, Volume.parse("0.5mL"))).withPriming(new Therapy.Priming(20 * H, Volume.parse("0.25mL")));
        assertEquals(Volume.parse("0.75mL"), primed.primedLast24h(23 * H));
        assertEquals(Volume.parse("0.25mL"), primed.primedLast24h(24 * H), "the first priming leaves the day at exactly 24 h");
    }

    @Test
    void everyAcceptedChangeCountsARevisionAndRetimingASuspensionDoesNot() {
        Therapy t = none.withProgram(A, 0);
        assertEquals(1, t.revision());
        Therapy suspended = t.suspended(H, OptionalLong.of(3 * H));
        assertEquals(2, suspended.revision());
        Therapy retimed = suspended.withSuspensionUntil(4 * H);
        assertEquals(2, retimed.revision());
        assertEquals(OptionalLong.of(4 * H), retimed.suspension().orElseThrow().untilNanos());
        Therapy open = t.suspended(H, OptionalLong.empty()).withSuspensionUntil(4 * H);
        assertEquals(OptionalLong.empty(), open.suspension().orElseThrow().untilNanos(), "an open suspension stays open");
        assertFalse(retimed.resumed().suspension().isPresent());
        assertEquals(4, retimed.resumed().touched().revision());
        assertTrue(t.suspension().isEmpty(), "the value suspended is a new one; the old is as it was");
    }

    @Test
    void periodicBolusesKeepTheirAnchorAcrossChangesThatKeepThem() {
        PeriodicBolus every6h = new PeriodicBolus(Dose.ofMicrograms(20), Duration.ofHours(6), Duration.ofMinutes(10));
        Program withPeriodic = new ContinuousProgram(DailyRate.ofMicrogramsPerDay(300), C500, Optional.of(every6h));
        Program fasterWithSame = new ContinuousProgram(DailyRate.ofMicrogramsPerDay(330), C500, Optional.of(every6h));
        Therapy t = none.withProgram(withPeriodic, 2 * H).withProgram(fasterWithSame, 5 * H);
        assertEquals(OptionalLong.of(2 * H), t.periodicAnchor(), "the change kept the same periodic bolus");
        assertEquals(8 * H, t.nextPeriodicFrom(5 * H), "2 h + 6 h");
        assertEquals(14 * H, t.nextPeriodicFrom(8 * H + 1));
        assertEquals(Long.MAX_VALUE, t.withProgram(A, 6 * H).nextPeriodicFrom(6 * H), "a program without them has none");
        Therapy restored = Therapy.restored(none.limits(), List.of(new Therapy.Entry(3 * H, withPeriodic)), List.of(), Optional.empty(), 7,
                OptionalLong.empty(), List.of());
        assertEquals(OptionalLong.of(3 * H), restored.periodicAnchor(), "a state saved without an anchor counts from its program's start");
        assertEquals(7, restored.revision());
    }

    private static TherapyLimits shippedLimits() {
        PumpConfig config = ProjectFiles.exampleConfigLoaded();
        return new TherapyLimits(config.library(), config.patientBolus());
    }
}
