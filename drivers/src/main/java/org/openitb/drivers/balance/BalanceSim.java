package org.openitb.drivers.balance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * The simulated balance: weighs what is on its pan (from a supplier, g), adds its noise, rounds to
 * its readability, and answers in its protocol; typed controls make it fall silent, talk garbage,
 * overload or never settle. Read directly, or through a serial line by {@link BalanceServer}.
 * Controls may be set from any thread.
 */
public final class BalanceSim implements Balance {

    private final BalanceProtocol protocol;
    private final BigDecimal readability;
    private final DoubleSupplier pan;
    private volatile double noiseG;
    private final SplittableRandom random;
    private volatile boolean silent;
    private volatile boolean garbage;
    private volatile boolean overloaded;
    private volatile boolean unsettled;

    /**
     * A balance speaking {@code protocol}, reading to {@code readability} g, weighing {@code pan} g
     * with Gaussian noise of {@code noiseG} g (standard deviation) drawn from {@code seed}.
     */
    public BalanceSim(BalanceProtocol protocol, BigDecimal readability, DoubleSupplier pan, double noiseG, long seed) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.readability = Objects.requireNonNull(readability, "readability");
        this.pan = Objects.requireNonNull(pan, "pan");
        if (!(noiseG >= 0 && noiseG < 1)) {
            throw new IllegalArgumentException("balance noise must be 0-1 g: " + noiseG);
        }
        this.noiseG = noiseG;
        this.random = new SplittableRandom(seed);
    }

    /** Its noise from now on, g (standard deviation): a draught, a bench that is not still. */
    public void noise(double g) {
        if (!(g >= 0 && g < 1)) {
            throw new IllegalArgumentException("balance noise must be 0-1 g: " + g);
        }
        noiseG = g;
    }

    /** Says nothing at all, as a balance switched off or unplugged. */
    public void silent(boolean on) {
        silent = on;
    }

    /** Answers with bytes that are no reply (a wrong baud rate looks like this). */
    public void garbage(boolean on) {
        garbage = on;
    }

    /** Reports its range exceeded. */
    public void overload(boolean on) {
        overloaded = on;
    }

    /** Never settles: every weight comes unstable (a draught, a vibrating bench). */
    public void unsettled(boolean on) {
        unsettled = on;
    }

    public BalanceProtocol protocol() {
        return protocol;
    }

    /** The line this balance sends now, without terminator; empty while it is silent. */
    public synchronized Optional<String> replyLine() {
        if (silent) {
            return Optional.empty();
        }
        if (garbage) {
            StringBuilder b = new StringBuilder();
            int n = 3 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                char c = (char) (0x80 + random.nextInt(0x7f)); // high bytes: never a terminator, never a digit
                b.append(c);
            }
            return Optional.of(b.toString());
        }
        if (overloaded) {
            return Optional.of(protocol.reply(BalanceReading.Status.OVERLOAD, BigDecimal.ZERO));
        }
        double grams = pan.getAsDouble() + noiseG * random.nextGaussian();
        BigDecimal shown = BigDecimal.valueOf(grams).divide(readability, 0, RoundingMode.HALF_EVEN).multiply(readability)
                .setScale(Math.max(0, readability.stripTrailingZeros().scale()), RoundingMode.UNNECESSARY);
        return Optional.of(protocol.reply(unsettled ? BalanceReading.Status.UNSTABLE : BalanceReading.Status.STABLE, shown));
    }

    @Override
    public BalanceReading read() {
        return replyLine().map(protocol::parse).orElseGet(() -> BalanceReading.of(BalanceReading.Status.SILENT, "no reply"));
    }

    @Override
    public void close() {
        // nothing held
    }
}
