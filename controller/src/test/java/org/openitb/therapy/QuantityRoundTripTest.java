package org.openitb.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** What is printed reads back to the very same value: no rounding anywhere. */
class QuantityRoundTripTest {

    @Property
    void doses(@ForAll @LongRange(min = 0, max = 1_000_000_000L) long nanograms) {
        Dose dose = new Dose(nanograms);
        assertEquals(dose, Dose.parse(dose.toString()));
    }

    @Property
    void dailyRates(@ForAll @LongRange(min = 0, max = 100_000_000L) long ngPerDay) {
        DailyRate rate = new DailyRate(ngPerDay);
        assertEquals(rate, DailyRate.parse(rate.toString()));
    }

    @Property
    void concentrations(@ForAll @LongRange(min = 1, max = 100_000_000L) long ngPerMl) {
        Concentration c = new Concentration(ngPerMl);
        assertEquals(c, Concentration.parse(c.toString()));
    }

    @Property
    void volumes(@ForAll @LongRange(min = 0, max = 10_000_000_000_000L) long picolitres) {
        Volume v = new Volume(picolitres);
        assertEquals(v, Volume.parse(v.toString()));
    }

    @Property
    void durations(@ForAll @LongRange(min = 1, max = 400L * 86_400 * 1_000_000_000L) long nanos) {
        Duration d = Duration.ofNanos(nanos);
        assertEquals(d, Durations.parse(Durations.format(d)));
    }
}
