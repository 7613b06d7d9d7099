package org.openitb.sim;

import static java.time.Duration.ofHours;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.store.PumpHistory;
import org.openitb.store.Sample;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.TherapyCommand;

/** What the pump keeps of itself for reports, on the bench with a real database: a sample every 5 minutes, and whether its time is known. */
class SamplingScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    @TempDir
    Path dir;

    @Test
    void aSampleEveryFiveMinutesSaysWhatWentOutAndAnHourOnAClockNotSetIsMarked() throws Exception {
        Instant start;
        try (Bench bench = Bench.remembering(dir)) {
            bench.refill("20mL", C500);
            bench.primeCatheter();
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), C500)));
            start = bench.clock.instant();
            bench.run(ofHours(2));
            // A Pi that lost its time source: the kernel says the clock is not synchronised for an hour.
            bench.clock.setSynchronised(false);
            bench.run(ofHours(1));
            bench.clock.setSynchronised(true);
            bench.run(ofHours(1));
            assertTrue(bench.store().flush(Duration.ofSeconds(10)));
        }
        try (PumpHistory history = PumpHistory.open(dir)) {
            List<Sample> s = history.samples(start, start.plus(ofHours(4)));
            assertEquals(48, s.size(), "one every 5 minutes of the pump's time: " + s.size());
            // Taken by the input loop (polling every 250 ms here) from the dose loop's latest snapshot: 5 minutes apart within a poll.
            for (int i = 1; i < s.size(); i++) {
                long apartMillis = Duration.between(s.get(i - 1).at(), s.get(i).at()).toMillis();
                assertTrue(Math.abs(apartMillis - 300_000) <= 500, apartMillis + " ms apart at " + s.get(i).at());
            }
            assertEquals(12, s.stream().filter(x -> !x.clockSet()).count(), "the hour without a set clock");
            Sample first = s.get(0);
            Sample last = s.get(s.size() - 1);
            // 400 mcg/day between them (3 h 55 min), by the prescription's arithmetic, to a microstep (72 nL: 36 ng).
            assertEquals(400_000.0 * Duration.between(first.at(), last.at()).toNanos() / 86_400e9, last.patientNg() - first.patientNg(), 36);
            // Nothing primed since: the two counts moved together (each rounded down to the ng on its own).
            assertTrue(Math.abs((last.patientNg() - first.patientNg()) - (last.deliveredNg() - first.deliveredNg())) <= 1, last.toString());
            assertEquals(400_000, last.prescribedNgPerDay());
            assertEquals(Optional.of(500_000L), last.concentrationNgPerMl().isPresent() ? Optional.of(last.concentrationNgPerMl().getAsLong())
                    : Optional.empty());
            assertEquals("delivering", last.state());
            assertEquals("none", last.riskLevel());
            // 20 mL less the priming and 4 h of 33.333 uL/h.
            assertTrue(last.reservoirPl() < first.reservoirPl() && last.hoursToEmpty().isPresent(), last.toString());
        }
    }
}
