package org.openitb.daemon;

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
}
