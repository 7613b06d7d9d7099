package org.openitb.delivery;

import java.util.Optional;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Program;

/** The motor's ceiling on what a plan may ask: half of stepper.max-step-rate, the other half kept to catch up. */
final class StepRate {

    private StepRate() {
    }

    /** A refusal if {@code what} would need more microsteps a second than the pump plans for. */
    static Optional<String> refusal(long microstepsPerSecond, DeliveryOptions options, String what) {
        long limit = options.plannableStepRateHz();
        if (microstepsPerSecond > limit) {
            return Optional.of(what + " needs " + microstepsPerSecond + " microsteps/s; the pump plans at most " + limit
                    + "/s, half of stepper.max-step-rate, keeping the rest to catch up; hard limits cannot be overridden");
        }
        return Optional.empty();
    }

    /** A refusal if {@code program}'s busiest moment (its highest basal with its periodic bolus) needs more than the pump plans for. */
    static Optional<String> forProgram(Program program, DeliveryOptions options, long now) {
        DeliveryPlan busiest = DeliveryPlan.start(now, 0, program.maxBasalRate(), program.concentration(), options.volumePerMicrostep());
        if (program.periodicBolus().isPresent()) {
            PeriodicBolus p = program.periodicBolus().get();
            busiest = busiest.withBolus(now, p.dose(), p.over().toNanos());
        }
        return refusal(busiest.microstepsPerSecondAt(now), options, "this program");
    }
}
