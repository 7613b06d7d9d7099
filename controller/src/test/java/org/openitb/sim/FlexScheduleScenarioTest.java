package org.openitb.sim;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.CommandResult.Outcome;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.FlexSchedule;
import org.openitb.therapy.FlexStep;
import org.openitb.therapy.TherapyCommand;

/** Flex programs on the wall clock: 24 steps a day, weekday steps, DST days and wall-clock jumps. */
class FlexScheduleScenarioTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Concentration C = Concentration.parse("500mcg/mL");

    /** One step an hour: hour h runs at 300 + 10 h mcg/day. */
    private static FlexSchedule hourly() {
        List<FlexStep> steps = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            steps.add(FlexStep.parse(String.format("%02d:00=%dmcg/day", h, 300 + 10 * h)));
        }
        return new FlexSchedule(steps);
    }

    private static DailyRate hourRate(int h) {
        return DailyRate.ofMicrogramsPerDay(300 + 10 * h);
    }

    /** The exact microsteps of {@code schedule} between two instants, integrated minute by minute of UTC. */
    private static long expectedMicrosteps(FlexSchedule schedule, Instant from, Instant to, Bench bench) {
        BigInteger rateNanos = BigInteger.ZERO;
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
            rateNanos = rateNanos.add(BigInteger.valueOf(schedule.rateAt(t.atZone(BERLIN)).nanogramsPerDay())
                    .multiply(BigInteger.valueOf(60_000_000_000L)));
        }
        BigInteger perMicrostep = BigInteger.valueOf(86_400L * C.nanogramsPerMl() * bench.config.mechanics().volumePerMicrostep().picolitres());
        return rateNanos.divide(perMicrostep).longValueExact();
    }

    private static Bench startAt(String instant) {
        return new Bench(Instant.parse(instant), BERLIN);
    }

    @Test
    void twentyFourStepsADayAreFollowedHourByHour() {
        try (Bench bench = startAt("2026-06-01T22:00:00Z")) { // midnight in Berlin (CEST)
            FlexSchedule schedule = hourly();
            bench.refill("20mL", C);
            var result = bench.command(new TherapyCommand.SetProgram(new FlexProgram(schedule, C, Optional.empty())));
            assertEquals(Outcome.APPLIED, result.outcome(), result.message());
            for (int h = 0; h < 24; h++) {
                bench.run(ofMinutes(30));
                assertEquals(hourRate(h), bench.status().running().basal(), "at " + h + ":30");
                bench.run(ofMinutes(30));
            }
            Instant start = Instant.parse("2026-06-01T22:00:00Z");
            assertEquals(expectedMicrosteps(schedule, start, start.plus(ofDays(1)), bench), bench.delivered(), 1);
            assertTrue(bench.events.stream().filter(e -> e.type().equals("rate-step")).count() >= 23);
        }
    }

    @Test
    void springForwardSkipsTheMissingHourAndNothingElse() {
        // 2026-03-29: at 01:00 UTC Berlin jumps from 02:00 to 03:00.
        Instant midnight = Instant.parse("2026-03-28T23:00:00Z");
        try (Bench bench = startAt("2026-03-28T23:00:00Z")) {
            FlexSchedule schedule = hourly();
            bench.refill("20mL", C);
            bench.command(new TherapyCommand.SetProgram(new FlexProgram(schedule, C, Optional.empty())));
            bench.run(Duration.between(midnight, Instant.parse("2026-03-29T00:59:59Z")));
            assertEquals(hourRate(1), bench.status().running().basal(), "01:59:59 local");
            bench.run(ofSeconds(2));
            assertEquals(hourRate(3), bench.status().running().basal(), "the clock jumped to 03:00: the 02:00 step never runs");
            // The local day has 23 hours: hour 2 is missing from the total, every other hour is there once.
            Instant nextMidnight = Instant.parse("2026-03-29T22:00:00Z");
            bench.run(Duration.between(bench.clock.instant(), nextMidnight));
            long expected = expectedMicrosteps(schedule, midnight, nextMidnight, bench);
            assertEquals(expected, bench.delivered(), 1);
            BigInteger ngNanos = BigInteger.ZERO;
            for (int h = 0; h < 24; h++) {
                if (h != 2) {
                    ngNanos = ngNanos.add(BigInteger.valueOf(hourRate(h).nanogramsPerDay()).multiply(BigInteger.valueOf(ofHours(1).toNanos())));
                }
            }
            long withoutHourTwo = ngNanos.divide(BigInteger.valueOf(86_400L * C.nanogramsPerMl() * 71_853)).longValueExact();
            assertEquals(withoutHourTwo, bench.delivered(), 1);
        }
    }

    @Test
    void fallBackDosesTheRepeatedHourTwiceAtItsOwnRate() {
        // 2026-10-25: at 01:00 UTC Berlin goes back from 03:00 to 02:00.
        Instant midnight = Instant.parse("2026-10-24T22:00:00Z");
        try (Bench bench = startAt("2026-10-24T22:00:00Z")) {
            FlexSchedule schedule = hourly();
            bench.refill("20mL", C);
            bench.command(new TherapyCommand.SetProgram(new FlexProgram(schedule, C, Optional.empty())));
            bench.run(Duration.between(midnight, Instant.parse("2026-10-25T00:30:00Z")));
            assertEquals(hourRate(2), bench.status().running().basal(), "02:30 summer time");
            bench.run(ofHours(1));
            assertEquals(hourRate(2), bench.status().running().basal(), "02:30 again, winter time");
            bench.run(ofHours(1));
            assertEquals(hourRate(3), bench.status().running().basal());
            Instant nextMidnight = Instant.parse("2026-10-25T23:00:00Z");
            bench.run(Duration.between(bench.clock.instant(), nextMidnight));
            BigInteger ngNanos = BigInteger.ZERO;
            for (int h = 0; h < 24; h++) {
                ngNanos = ngNanos.add(BigInteger.valueOf(hourRate(h).nanogramsPerDay()).multiply(BigInteger.valueOf(ofHours(h == 2 ? 2 : 1).toNanos())));
            }
            long twentyFiveHours = ngNanos.divide(BigInteger.valueOf(86_400L * C.nanogramsPerMl() * 71_853)).longValueExact();
            assertEquals(twentyFiveHours, bench.delivered(), 1);
            assertEquals(expectedMicrosteps(schedule, midnight, nextMidnight, bench), bench.delivered(), 1);
        }
    }

    @Test
    void weekdayStepsApplyOnTheirDayOnly() {
        try (Bench bench = startAt("2026-06-07T22:00:00Z")) { // Monday 00:00 in Berlin
            FlexSchedule schedule = new FlexSchedule(List.of(
                    FlexStep.parse("00:00=400mcg/day"),
                    FlexStep.parse("wed@08:00=600mcg/day"),
                    FlexStep.parse("wed@18:00=400mcg/day")));
            bench.refill("20mL", C);
            var result = bench.command(new TherapyCommand.SetProgram(new FlexProgram(schedule, C, Optional.empty())));
            assertEquals(Outcome.APPLIED, result.outcome(), result.message());
            bench.run(ofDays(1).plusHours(9)); // Tuesday 09:00
            assertEquals(DailyRate.parse("400mcg/day"), bench.status().running().basal());
            bench.run(ofDays(1)); // Wednesday 09:00
            assertEquals(DailyRate.parse("600mcg/day"), bench.status().running().basal());
            bench.run(ofHours(10)); // Wednesday 19:00
            assertEquals(DailyRate.parse("400mcg/day"), bench.status().running().basal());
        }
    }

    @Test
    void aWallClockJumpIsFollowedByTheScheduleWhileDosingRunsOnMonotonicTime() {
        try (Bench bench = startAt("2026-06-01T22:00:00Z")) {
            FlexSchedule schedule = new FlexSchedule(List.of(FlexStep.parse("00:00=300mcg/day"), FlexStep.parse("12:00=700mcg/day")));
            bench.refill("20mL", C);
            bench.command(new TherapyCommand.SetProgram(new FlexProgram(schedule, C, Optional.empty())));
            bench.run(ofHours(1));
            assertEquals(DailyRate.parse("300mcg/day"), bench.status().running().basal());
            long before = bench.delivered();
            // NTP (or an operator) moves the wall clock twelve hours on; monotonic time does not move.
            bench.clock.setWallTime(bench.clock.instant().plus(ofHours(12)));
            bench.run(ofSeconds(2));
            assertEquals(DailyRate.parse("700mcg/day"), bench.status().running().basal(), "13:00 on the wall: the afternoon rate");
            assertTrue(bench.delivered() - before <= 1, "a jump of the wall clock delivers nothing by itself");
        }
    }
}
