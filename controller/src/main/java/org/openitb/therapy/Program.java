package org.openitb.therapy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/** A prescription the pump runs until the next one: a basal rate over time, a concentration, maybe periodic boluses. */
public sealed interface Program permits ContinuousProgram, FlexProgram {

    /** The concentration the program was written for; it must match the reservoir. */
    Concentration concentration();

    /** Boluses repeated on top of the basal rate, if any. */
    Optional<PeriodicBolus> periodicBolus();

    /** The basal rate at wall time {@code wall}. */
    DailyRate basalRateAt(ZonedDateTime wall);

    /** The next instant after {@code after} at which the basal rate changes, if it ever does. */
    Optional<Instant> nextBasalChange(Instant after, ZoneId zone);

    /** The highest basal rate the program ever runs at. */
    DailyRate maxBasalRate();

    /** The most drug any one day can get, periodic boluses included: what the drug library checks. */
    DailyRate dailyDose();

    /** {@code continuous} or {@code flex}, as in the contract. */
    String mode();

    /** The program as a few lines, for the side-by-side view of a change. */
    List<String> describe();
}
