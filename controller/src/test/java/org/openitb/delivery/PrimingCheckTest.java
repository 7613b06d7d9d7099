package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.reservoir.ReservoirSettings;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.FlowRate;
import org.openitb.therapy.Volume;

/**
 * The priming limits as plain decisions, each figure worked by hand from the limits below (the
 * example config's: 1 mL at once, 2 mL a day, 1 mL/min) and a catheter of 0.2 mL.
 */
class PrimingCheckTest {

    private static final long S = 1_000_000_000L;
    private static final DeliveryOptions OPTIONS = options("1mL/min");
    private static final DeliveryPlan IDLE = DeliveryPlan.start(0, 0, DailyRate.ZERO, Concentration.parse("500mcg/mL"),
            Volume.parse("0.1uL"));

    private static DeliveryOptions options(String primingRate) {
        return new DeliveryOptions(Volume.parse("0.1uL"), 1_000, FlowRate.parse(primingRate), Volume.parse("1mL"), Volume.parse("2mL"),
                Duration.ofHours(24), Volume.parse("0.2mL"), new ReservoirSettings(Volume.parse("2mL"), Duration.ofDays(7),
                        Volume.parse("2mL"), Volume.parse("0.5mL")));
    }

    private static PrimingCheck.Situation situation(String deadVolumeLeft, boolean delivering, String primedToday) {
        return new PrimingCheck.Situation(true, Volume.parse(deadVolumeLeft), delivering, Volume.parse(primedToday), Optional.empty(), IDLE);
    }

    private static String refusal(String volume, boolean disconnected, PrimingCheck.Situation s) {
        return PrimingCheck.check(Volume.parse(volume), disconnected, s, OPTIONS, 10 * S).refusal().orElseThrow();
    }

    @Test
    void aConnectedPrimingFillsTheDeadVolumeAndNotOneMicrolitreMore() {
        PrimingCheck.Start start = PrimingCheck.check(Volume.parse("0.15mL"), false, situation("0.15mL", true, "0mL"), OPTIONS, 10 * S)
                .value().orElseThrow();
        assertEquals(1_500, start.microsteps(), "0.15 mL / 0.1 uL");
        assertEquals(9 * S, start.durationNanos(), "0.15 mL at 1 mL/min: 9 s");
        assertEquals(10 * S, start.atNanos());
        assertEquals("priming 0.15mL at 1mL/min", start.description());
        assertTrue(refusal("0.151mL", false, situation("0.15mL", true, "0mL"))
                .startsWith("priming 0.151mL with the catheter connected is more than the 0.150mL of dead volume left to fill"));
    }

    @Test
    void aDisconnectedPrimingOnlyWhileNothingIsDelivered() {
        assertEquals("a program is delivering: the catheter cannot be disconnected from the patient while it does;"
                + " suspend first (and connect it again before resuming)", refusal("0.5mL", true, situation("0mL", true, "0mL")));
        assertTrue(PrimingCheck.check(Volume.parse("0.5mL"), true, situation("0mL", false, "0mL"), OPTIONS, 10 * S).value().isPresent());
    }

    @Test
    void atMostOneMillilitreAtOnceAndTwoInADay() {
        assertEquals("priming 1.001mL is more than the limit of 1mL at once (delivery.priming-max); hard limits cannot be overridden",
                refusal("1.001mL", true, situation("0mL", false, "0mL")));
        assertEquals("priming 0.6mL would bring primings in the last 24 h to 2.1mL; the limit is 2mL (delivery.priming-max-per-day);"
                + " hard limits cannot be overridden", refusal("0.6mL", true, situation("0mL", false, "1.5mL")));
        PrimingCheck.Start last = PrimingCheck.check(Volume.parse("0.5mL"), true, situation("0mL", false, "1.5mL"), OPTIONS, 10 * S)
                .value().orElseThrow();
        assertEquals("primed in the last 24 h: 2mL of 2mL (delivery.priming-max-per-day)", last.after().get(last.after().size() - 1),
                "exactly the day's limit is allowed");
    }

    @Test
    void itsDurationIsRoundedUpToTheNanosecond() {
        // 0.2 mL at 0.7 mL/min: 17.142857142857... s, so 17 142 857 143 ns.
        PrimingCheck.Start start = PrimingCheck.check(Volume.parse("0.2mL"), false, situation("0.2mL", true, "0mL"), options("0.7mL/min"),
                10 * S).value().orElseThrow();
        assertEquals(17_142_857_143L, start.durationNanos());
    }

    @Test
    void aPrimingFasterThanTheMotorPlansForIsRefused() {
        // 10 mL/min at 0.1 uL a microstep is 1 667 microsteps/s, against half of 1 000 Hz.
        String why = PrimingCheck.check(Volume.parse("1mL"), true, situation("0mL", false, "0mL"), options("10mL/min"), 10 * S)
                .refusal().orElseThrow();
        assertTrue(why.startsWith("priming at 10mL/min needs 16"), why);
        assertTrue(why.contains("the pump plans at most 500/s"), why);
    }

    @Test
    void theLimitsAreToldBeforeWhatIsUnderWayAndNothingStartsWithoutACount() {
        PrimingCheck.Situation busy = new PrimingCheck.Situation(true, Volume.parse("0.1mL"), true, Volume.ZERO,
                Optional.of("delivery is halted (occlusion); clear the cause first"), IDLE);
        assertTrue(refusal("0.2mL", false, busy).startsWith("priming 0.2mL with the catheter connected is more than"));
        assertEquals("delivery is halted (occlusion); clear the cause first", refusal("0.1mL", false, busy));
        PrimingCheck.Situation uncounted = new PrimingCheck.Situation(false, Volume.parse("0.2mL"), false, Volume.ZERO, Optional.empty(),
                IDLE);
        assertTrue(refusal("0.1mL", false, uncounted).startsWith("no refill is on record"));
        assertEquals("priming 0mL moves nothing", refusal("0mL", false, uncounted));
    }
}
