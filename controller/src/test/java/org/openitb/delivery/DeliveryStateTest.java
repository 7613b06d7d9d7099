package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;
import org.openitb.config.PumpConfig;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.TherapyLimits;
import org.openitb.therapy.Volume;

/** Delivery's state as a value: what the steps going out are for, and why nothing extra may start. */
class DeliveryStateTest {

    private static final long S = 1_000_000_000L;
    private static final LongFunction<String> AT = nanos -> "t+" + nanos / S + "s";
    private static final Optional<String> RUNNING = Optional.empty();
    private static final Optional<String> OCCLUDED = Optional.of("occlusion");
    private static final PumpConfig SHIPPED = ProjectFiles.exampleConfigLoaded();
    private static final DeliveryState IDLE = DeliveryState.start(Therapy.none(new TherapyLimits(SHIPPED.library(), SHIPPED.patientBolus())),
            DeliveryPlan.start(0, 0, DailyRate.ZERO, Concentration.parse("500mcg/mL"), Volume.parse("0.1uL")));
    private static final RunningBolus BOLUS = new RunningBolus(BolusKind.CLINICIAN, "bolus 50mcg over 10m", 0, 600 * S, 1_000, 0, false,
            Volume.ZERO);

    private static RunningBolus priming(boolean disconnected) {
        return new RunningBolus(BolusKind.PRIMING, "priming 0.2mL", 0, 12 * S, 2_000, 0, disconnected, Volume.parse("0.2mL"));
    }

    @Test
    void stepsAreForThePatientUnlessAPrimingRuns() {
        assertEquals(DeliveryLedger.Purpose.DELIVERY, IDLE.purpose());
        assertEquals(DeliveryLedger.Purpose.DELIVERY, IDLE.withBolus(Optional.of(BOLUS)).purpose());
        assertEquals(DeliveryLedger.Purpose.PRIMING, IDLE.withBolus(Optional.of(priming(false))).purpose());
        assertEquals(DeliveryLedger.Purpose.PRIMING_DISCONNECTED, IDLE.withBolus(Optional.of(priming(true))).purpose());
    }

    @Test
    void nothingExtraWhileSuspendedHaltedABolusRunsOrTheCatheterIsBridged() {
        assertEquals(Optional.empty(), IDLE.busy(RUNNING, AT));
        DeliveryState suspended = IDLE.withTherapy(IDLE.therapy().suspended(0, OptionalLong.empty()));
        assertEquals(Optional.of("delivery is suspended; resume first"), suspended.busy(OCCLUDED, AT), "suspended is said first");
        assertEquals(Optional.of("delivery is halted (occlusion); clear the cause first"), IDLE.busy(OCCLUDED, AT));
        DeliveryState bolus = IDLE.withBolus(Optional.of(BOLUS));
        assertEquals(Optional.of("a bolus 50mcg over 10m is under way until t+600s"), bolus.busy(RUNNING, AT));
        DeliveryState bridged = IDLE.withBridge(Optional.of(new Bridge(2_000, Concentration.parse("1000mcg/mL"))));
        assertEquals(Optional.of("the catheter is being bridged after a change of concentration; boluses wait until it ends"),
                bridged.busy(RUNNING, AT));
        assertEquals(Optional.of("delivery is halted (occlusion); clear the cause first"), bridged.busy(OCCLUDED, AT));
    }

    @Test
    void aDisconnectedPrimingIsWhatASuspensionIsForAndMayRunAcrossABridge() {
        DeliveryState suspended = IDLE.withTherapy(IDLE.therapy().suspended(0, OptionalLong.empty()))
                .withBridge(Optional.of(new Bridge(2_000, Concentration.parse("1000mcg/mL"))));
        assertEquals(Optional.empty(), suspended.busyForDisconnectedPriming(RUNNING, AT));
        assertEquals(Optional.of("delivery is halted (occlusion); clear the cause first"), suspended.busyForDisconnectedPriming(OCCLUDED, AT));
        assertEquals(Optional.of("a priming 0.2mL is under way until t+12s"),
                suspended.withBolus(Optional.of(priming(true))).busyForDisconnectedPriming(RUNNING, AT));
    }
}
