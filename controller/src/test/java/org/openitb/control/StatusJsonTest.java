package org.openitb.control;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.sim.Bench;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

class StatusJsonTest {

    private static List<String> lines(Bench bench) {
        return StatusJson.lines(StatusJson.of("bench-1", bench.status(), bench.pump.supervisor().view(),
                bench.config.mechanics().volumePerMicrostep(), 1), ZoneId.of("UTC"));
    }

    private static void program400(Bench bench) {
        bench.refill("20mL", "500mcg/mL");
        bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"))));
    }

    @Test
    void latenessReadsInTheUnitThatFitsIt() {
        assertEquals("40 us", StatusJson.duration(40));
        assertEquals("999 us", StatusJson.duration(999));
        assertEquals("3.8 ms", StatusJson.duration(3_775));
        assertEquals("272.4 ms", StatusJson.duration(272_400));
        assertEquals("51.6 s", StatusJson.duration(51_642_367), "the issue's p50 of 51642367 us");
        assertEquals("2.0 h", StatusJson.duration(7_200_000_000L));
    }

    @Test
    void oneIsSingular() {
        assertEquals("1 microstep", StatusJson.count(1, "microstep"));
        assertEquals("0 microsteps", StatusJson.count(0, "microstep"));
        assertEquals("278 steps", StatusJson.count(278, "step"));
    }

    @Test
    void aSuspendedPumpSaysWhichProgramItIsNotDeliveringNotZeroPerDay() {
        try (Bench bench = Bench.utc()) {
            program400(bench);
            bench.command(new TherapyCommand.Suspend(Optional.of(ofHours(2))));
            bench.run(ofSeconds(1));
            assertEquals("  state      suspended, continuous 400mcg/day at 500mcg/mL programmed, none of it delivered until 2026-01-05 02:00",
                    lines(bench).get(1));
        }
    }

    @Test
    void theReservoirSaysWhatItHoldsOnlyOnceARefillHasDeclaredIt() {
        try (Bench bench = Bench.utc()) {
            String before = reservoirLine(bench);
            assertEquals("  reservoir  not declared: refill to say what the syringe holds", before);
            program400(bench);
            bench.command(new TherapyCommand.Suspend(Optional.empty()));
            bench.run(ofSeconds(1));
            // 20 mL at 400 mcg/day of 500 mcg/mL (0.8 mL a day) is 25 days, 600 h: said of the programmed
            // rate, as nothing runs while suspended.
            assertEquals("  reservoir  20.000mL of 500mcg/mL, empty in 600.0 h at the programmed rate", reservoirLine(bench));
        }
    }

    private static String reservoirLine(Bench bench) {
        return lines(bench).stream().filter(l -> l.startsWith("  reservoir")).findFirst().orElseThrow();
    }

    @Test
    void anUnprimedCatheterIsSaidUntilItIsFull() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            assertEquals("  catheter   not primed: 0.200mL of dead volume to fill before drug reaches the patient", lines(bench).get(2));
            bench.command(new TherapyCommand.Prime(Volume.parse("0.2mL")));
            bench.run(ofMinutes(1));
            assertFalse(lines(bench).stream().anyMatch(l -> l.startsWith("  catheter")), lines(bench).toString());
        }
    }

    @Test
    void aRestartIsSaidWithItsGapAndWhatWasMissed(@TempDir Path state) {
        Bench bench = Bench.remembering(state);
        program400(bench);
        bench.command(new TherapyCommand.Prime(Volume.parse("0.2mL")));
        bench.run(ofHours(1));
        assertFalse(lines(bench).stream().anyMatch(l -> l.startsWith("  restarted")), lines(bench).toString());
        try (Bench again = bench.restartAfter(ofMinutes(3))) {
            again.run(ofSeconds(1));
            String restarted = lines(again).stream().filter(l -> l.startsWith("  restarted")).findFirst().orElseThrow();
            // 400 mcg/day for 180 s: 833 ng, by hand.
            assertTrue(restarted.matches("  restarted  2026-01-05 01:0\\d:\\d\\d after 180\\.0 s without delivery; 0\\.833mcg missed, not made up(; .*)?"),
                    restarted);
        }
    }
}
