package org.openitb.therapy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The limits every program, bolus and refill is checked against before it takes effect. Soft
 * limits yield to an explicit override; hard limits never do.
 *
 * @param concentrations     concentrations the pump may be filled with
 * @param softMaxDaily       daily dose above which an override is needed
 * @param hardMaxDaily       daily dose that is never exceeded
 * @param maxBolus           largest single bolus
 * @param bolusMinDuration   shortest time a bolus may be given over
 * @param bolusLockout       shortest time between two boluses
 * @param origin             the patient's spasticity origin, which picks the titration limit
 * @param titrationSpinal    largest change per 24 h for spinal origin
 * @param titrationCerebral  largest change per 24 h for cerebral origin
 * @param hardMinDaily       least rate a program may run at: below it delivery has stopped in all but name
 */
public record DrugLibrary(List<Concentration> concentrations, DailyRate softMaxDaily, DailyRate hardMaxDaily,
        Dose maxBolus, Duration bolusMinDuration, Duration bolusLockout, SpasticityOrigin origin, Percent titrationSpinal,
        Percent titrationCerebral, DailyRate hardMinDaily) {

    public DrugLibrary {
        concentrations = List.copyOf(concentrations);
        Objects.requireNonNull(softMaxDaily, "softMaxDaily");
        Objects.requireNonNull(hardMaxDaily, "hardMaxDaily");
        Objects.requireNonNull(maxBolus, "maxBolus");
        Objects.requireNonNull(bolusMinDuration, "bolusMinDuration");
        Objects.requireNonNull(bolusLockout, "bolusLockout");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(titrationSpinal, "titrationSpinal");
        Objects.requireNonNull(titrationCerebral, "titrationCerebral");
        Objects.requireNonNull(hardMinDaily, "hardMinDaily");
        if (concentrations.isEmpty()) {
            throw new IllegalArgumentException("the drug library needs at least one concentration");
        }
        if (softMaxDaily.compareTo(hardMaxDaily) > 0) {
            throw new IllegalArgumentException("soft maximum " + softMaxDaily + " is above the hard maximum " + hardMaxDaily);
        }
        if (hardMinDaily.compareTo(softMaxDaily) > 0) {
            throw new IllegalArgumentException("hard minimum " + hardMinDaily + " is above the soft maximum " + softMaxDaily);
        }
    }

    /** The titration limit for this patient's origin: the largest change of daily dose per 24 h. */
    public Percent maxChangePerDay() {
        return origin == SpasticityOrigin.SPINAL ? titrationSpinal : titrationCerebral;
    }
}
