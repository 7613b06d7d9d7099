package org.openitb.store;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import org.openitb.clock.Clock;
import org.openitb.therapy.Durations;

/**
 * Extra time a commit takes, injected in the store (both lanes) to play a slow disk on a fast
 * one: {@code none}, a fixed delay, or {@code sd-card} (a Raspberry Pi's card under load: about
 * 5 ms at the median, about 200 ms at the 99th percentile, and now and then a one-second stall),
 * seeded so a run can be repeated. Each lane draws from its own instance.
 */
public interface CommitLatency {

    /** The extra real time the next commit takes, ns. */
    long nextNanos();

    /** Waits out the next commit's extra time on {@code realClock}; a wake does not make the disk faster. */
    default void play(Clock realClock) {
        long until = realClock.nanos() + nextNanos();
        while (realClock.nanos() - until < 0) {
            realClock.parkUntil(until);
        }
    }

    /** A disk as fast as it is. */
    CommitLatency NONE = () -> 0;

    /** One stall in this many commits on an SD card, and how long it lasts. */
    long SD_STALL_ONE_IN = 500;
    Duration SD_STALL = Duration.ofSeconds(1);

    /** Every commit takes {@code extra} more. */
    static CommitLatency fixed(Duration extra) {
        long nanos = extra.toNanos();
        if (nanos < 0 || nanos > Duration.ofSeconds(10).toNanos()) {
            throw new IllegalArgumentException("a commit delay must be within 0..10 s, got " + extra);
        }
        return () -> nanos;
    }

    /** Commits as an SD card under load takes them, drawn from {@code seed}. */
    static CommitLatency sdCard(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return () -> {
            double u = random.nextDouble();
            if (u < 1.0 / SD_STALL_ONE_IN) {
                return SD_STALL.toNanos();
            }
            if (u < 0.012) {
                return 100_000_000L + random.nextLong(200_000_000L); // the slow percent: 100..300 ms
            }
            // The body: 2 ms plus an exponential tail of mean 4 ms (median about 4.8 ms).
            return 2_000_000L + (long) (-Math.log(1 - random.nextDouble()) * 4_000_000L);
        };
    }

    /** Each lane's own draw of a profile named {@code spec}; {@code lane} keeps two lanes of one seed apart. */
    interface Profile {
        CommitLatency lane(int lane);
    }

    /**
     * A profile by name: {@code none}, {@code sd-card} or a duration such as {@code 200ms}.
     *
     * @throws IllegalArgumentException naming what is accepted
     */
    static Profile parse(String spec, long seed) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("none")) {
            return lane -> NONE;
        }
        if (s.equals("sd-card")) {
            return lane -> sdCard(seed + lane);
        }
        Duration d;
        try {
            d = Durations.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("slow disk '" + spec + "': expected none, sd-card or a delay like 200ms");
        }
        CommitLatency fixed = fixed(d);
        return lane -> fixed;
    }
}
