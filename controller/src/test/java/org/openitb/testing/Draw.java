package org.openitb.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeded random cases for JUnit parameterized tests: a {@code @MethodSource} gives each case its
 * own seed, the case draws its values from {@link #from(long)}, and the seed is in the test's
 * name, so a red case is replayed with {@code -Dcase.seed=N}. The seeds are fixed so that a red
 * build is the code's doing, not a new draw's; {@code -Dcase.base=N} draws a different set.
 */
public final class Draw {

    /** The first case's seed unless {@code -Dcase.base} says otherwise. */
    private static final long DEFAULT_BASE = 2026_12_03L;

    private final SplittableRandom random;

    private Draw(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A source of values for the case named by {@code seed}. */
    public static Draw from(long seed) {
        return new Draw(seed);
    }

    /**
     * {@code count} case seeds, or only {@code -Dcase.seed}'s when it is set. Each is a
     * SplittableRandom draw from the base, so neighbouring cases share nothing.
     */
    public static LongStream seeds(int count) {
        Long replay = Long.getLong("case.seed");
        if (replay != null) {
            return LongStream.of(replay);
        }
        SplittableRandom base = new SplittableRandom(Long.getLong("case.base", DEFAULT_BASE));
        return LongStream.generate(() -> base.nextLong() & Long.MAX_VALUE).limit(count);
    }

    /**
     * A long in {@code [min, max]}, either end one time in eight each: the edges are where
     * arithmetic breaks, and a uniform draw over a wide range would almost never reach them.
     */
    public long between(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        int edge = random.nextInt(8);
        if (edge == 0) {
            return min;
        }
        if (edge == 1) {
            return max;
        }
        return max == Long.MAX_VALUE ? random.nextLong(min - 1, max) + 1 : random.nextLong(min, max + 1);
    }

    /** An int in {@code [min, max]}, edges as in {@link #between(long, long)}. */
    public int between(int min, int max) {
        return Math.toIntExact(between((long) min, (long) max));
    }

    /** One of {@code choices}, uniformly. */
    public <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** A size in {@code [0, max]}: empty one time in eight, full one time in eight. */
    public int size(int max) {
        return between(0, max);
    }
}
