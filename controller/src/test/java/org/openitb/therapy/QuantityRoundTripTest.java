package org.openitb.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openitb.testing.Draw;

/** What is printed reads back to the very same value: no rounding anywhere. */
class QuantityRoundTripTest {

    /** Values per seed: ten seeds of a hundred each, the thousand tries the property library made. */
    private static final int PER_SEED = 100;

    static LongStream seeds() {
        return Draw.seeds(10);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void doses(long seed) {
        roundTrips(seed, 0, 1_000_000_000L, Dose::new, Dose::toString, Dose::parse);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void dailyRates(long seed) {
        roundTrips(seed, 0, 100_000_000L, DailyRate::new, DailyRate::toString, DailyRate::parse);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concentrations(long seed) {
        roundTrips(seed, 1, 100_000_000L, Concentration::new, Concentration::toString, Concentration::parse);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void volumes(long seed) {
        roundTrips(seed, 0, 10_000_000_000_000L, Volume::new, Volume::toString, Volume::parse);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void durations(long seed) {
        roundTrips(seed, 1, 400L * 86_400 * 1_000_000_000L, Duration::ofNanos, Durations::format, Durations::parse);
    }

    private static <T> void roundTrips(long seed, long min, long max, LongFunction<T> make, Function<T, String> print,
            Function<String, T> parse) {
        Draw draw = Draw.from(seed);
        for (int i = 0; i < PER_SEED; i++) {
            T value = make.apply(draw.between(min, max));
            assertEquals(value, parse.apply(print.apply(value)), () -> "printed as " + print.apply(value));
        }
    }
}
