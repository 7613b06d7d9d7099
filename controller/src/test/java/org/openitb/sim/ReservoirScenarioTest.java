package org.openitb.sim;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.CommandResult.Outcome;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/** The reservoir as status shows it: time to empty, refill due, low, and the level switch checked against the model. */
class ReservoirScenarioTest {

    private static TherapyCommand program(String rate, String concentration) {
        return new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), Concentration.parse(concentration)));
    }

    @Test
    void statusTellsWhenTheSyringeRunsOutAndWhenToRefill() {
        try (Bench bench = Bench.utc()) {
            Instant start = bench.clock.instant();
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.run(ofSeconds(1));
            assertEquals(600.0, bench.status().supply().hoursToEmpty().orElseThrow(), 0.01, "20 mL at 0.8 mL/day");
            // Low at max(2 mL, 7 days at 0.8 mL/day) = 5.6 mL, 18 days from now.
            Duration early = Duration.between(bench.status().supply().refillDue().orElseThrow(), start.plus(Duration.ofDays(18)));
            assertTrue(early.abs().compareTo(ofMinutes(1)) < 0, "refill due " + bench.status().supply().refillDue());
            assertEquals(Optional.empty(), bench.status().supply().low());
            bench.run(Duration.ofDays(18).plusHours(1));
            assertTrue(bench.status().supply().low().orElseThrow().contains("days of delivery left"), bench.status().supply().low().toString());
            assertFalse(bench.status().supply().refillDue().orElseThrow().isAfter(bench.clock.instant()), "due now");
        }
    }

    @Test
    void theOutlookCountsPeriodicBolusesAndTheSyringesOwnConcentration() {
        try (Bench bench = Bench.utc()) {
            Instant start = bench.clock.instant();
            bench.refill("20mL", "500mcg/mL");
            // 300 mcg/day and 100 mcg every 12 h: 500 mcg a day, 1 mL a day of 500 mcg/mL, 20 days in 20 mL.
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("300mcg/day"), Concentration.parse("500mcg/mL"),
                    Optional.of(new PeriodicBolus(Dose.parse("100mcg"), ofHours(12), ofMinutes(15))))));
            bench.run(ofSeconds(1));
            assertEquals(480.0, bench.status().supply().hoursToEmpty().orElseThrow(), 0.5, "20 mL at 1 mL/day, not at the basal's 0.6 mL/day");
            // Low at max(2 mL, 7 days at 1 mL/day) = 7 mL: 13 days from now.
            Duration early = Duration.between(bench.status().supply().refillDue().orElseThrow(), start.plus(Duration.ofDays(13)));
            assertTrue(early.abs().compareTo(ofHours(1)) < 0, "refill due " + bench.status().supply().refillDue());
        }
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "2000mcg/mL");
            bench.command(program("400mcg/day", "2000mcg/mL"));
            bench.run(ofHours(1));
            // Refilled at 500 mcg/mL: the catheter's 2000 mcg/mL is bridged first, but the syringe holds 500 mcg/mL,
            // which empties it at 0.8 mL/day: 25 days, not the 100 days the bridge's rate of volume would say.
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Refill(Volume.parse("20mL"), Concentration.parse("500mcg/mL"),
                    Optional.of(new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"))))).outcome());
            bench.run(ofSeconds(1));
            assertTrue(bench.status().running().bridge().isPresent(), "bridging");
            assertEquals(600.0, bench.status().supply().hoursToEmpty().orElseThrow(), 1.0, "20 mL at 0.8 mL/day");
        }
    }

    @Test
    void theSwitchTripsWhereTheModelSaysAndNothingIsReported() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "50mcg/mL");
            bench.command(program("800mcg/day", "50mcg/mL")); // 16 mL a day
            bench.run(ofHours(28));
            assertTrue(bench.status().supply().remaining().compareTo(Volume.parse("1.5mL")) < 0, bench.status().supply().remaining().toString());
            assertEquals("reservoir " + bench.status().supply().remaining().toDisplayString() + " is below 2mL (reservoir.low-volume)",
                    bench.status().supply().low().orElseThrow());
            assertEquals(Optional.empty(), bench.status().supply().discrepancy());
            assertFalse(bench.eventTypes().contains("reservoir-discrepancy"), bench.eventTypes().toString());
        }
    }

    @Test
    void aSwitchReadingLowOnAFullSyringeIsReportedAndTheModelIsNotCorrected() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.run(ofHours(1));
            bench.plant.reservoirSwitch(Optional.of(true)); // a leak would look like this
            bench.run(ofSeconds(2));
            String discrepancy = bench.status().supply().discrepancy().orElseThrow();
            assertTrue(discrepancy.startsWith("the level switch reads low but the volume model holds 19.9"), discrepancy);
            assertTrue(discrepancy.endsWith("a leak, or less was filled than recorded"), discrepancy);
            assertTrue(bench.status().supply().remaining().compareTo(Volume.parse("19.9mL")) > 0, "the model keeps its volume");
            assertEquals("delivering", bench.status().running().state(), "a discrepancy is reported, delivery goes on");
            bench.plant.reservoirSwitch(Optional.empty());
            bench.run(ofSeconds(2));
            assertEquals(Optional.empty(), bench.status().supply().discrepancy());
            assertEquals(1, bench.eventTypes().stream().filter("reservoir-discrepancy"::equals).count());
            assertTrue(bench.eventTypes().contains("reservoir-discrepancy-cleared"));
        }
    }

    @Test
    void aSwitchThatNeverTripsOnAnEmptyingSyringeIsReported() {
        try (Bench bench = Bench.utc()) {
            bench.plant.reservoirSwitch(Optional.of(false)); // stuck reading ok, or more was filled than recorded
            bench.refill("20mL", "50mcg/mL");
            bench.command(program("800mcg/day", "50mcg/mL"));
            bench.run(ofHours(28));
            assertTrue(bench.status().supply().discrepancy().orElseThrow().endsWith("more was filled than recorded, or the switch fails"));
        }
    }
}
