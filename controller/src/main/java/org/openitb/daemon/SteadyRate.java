package org.openitb.daemon;

import java.util.Locale;
import java.util.Optional;
import org.openitb.accuracy.TestRefused;
import org.openitb.delivery.DeliveryStatus;

/** The one rate an accuracy test measures: a continuous program's basal while it delivers, and nothing else. */
final class SteadyRate {

    private SteadyRate() {
    }

    /** The test's rate: the continuous program's basal, as a volume; refused for anything whose rate is not one number. */
    static double of(DeliveryStatus s) throws TestRefused {
        DeliveryStatus.Running r = s.running();
        if (!r.mode().equals("continuous") || !r.state().equals("delivering")) {
            throw new TestRefused("an accuracy test measures a continuous program while it delivers; the pump is " + r.state()
                    + (r.mode().equals("none") ? " with no program" : " (" + r.mode() + ")"));
        }
        if (r.bolus().isPresent() || r.bridge().isPresent() || !r.prescribedPerDay().equals(r.prescribed())) {
            throw new TestRefused("an accuracy test needs one steady rate: wait for the bolus or the bridge to end, and program no periodic bolus");
        }
        var c = s.supply().concentration().orElseThrow(() -> new TestRefused("the syringe's concentration is not declared: refill first"));
        return r.basal().nanogramsPerDay() * 1_000.0 / c.nanogramsPerMl() / 24;
    }

    /**
     * How delivery differs from the steady {@code rateUlPerHour} a test measures, if it does: not
     * delivering (suspended, halted and why), a bolus or a bridge on top, or another rate.
     */
    static Optional<String> deviation(DeliveryStatus s, double rateUlPerHour) {
        try {
            double now = of(s);
            return Math.abs(now - rateUlPerHour) > 1e-9 * rateUlPerHour
                    ? Optional.of(String.format(Locale.ROOT, "the rate changed to %.3f uL/h", now)) : Optional.empty();
        } catch (TestRefused e) {
            DeliveryStatus.Running r = s.running();
            if (!r.state().equals("delivering")) {
                return Optional.of("delivery " + r.state() + (r.haltReasons().isEmpty() ? "" : " (" + String.join(", ", r.haltReasons()) + ")"));
            }
            return Optional.of(r.bolus().map(b -> "a bolus on top (" + b + ")").or(() -> r.bridge().map(b -> "a bridge (" + b + ")"))
                    .orElse("the program changed (" + r.mode() + ")"));
        }
    }
}
