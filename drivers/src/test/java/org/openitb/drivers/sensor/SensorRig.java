package org.openitb.drivers.sensor;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.openitb.clock.SimulatedClock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.Pull;

/** The four bench inputs on mock GPIO, with their twins and a simulated clock that {@link #run} drives. */
final class SensorRig implements AutoCloseable {

    final SimulatedClock clock = SimulatedClock.utc();
    final Gpio gpio = Gpio.mock();
    final SensorBankConfig config;
    final Pi4jSensorBank bank;
    final SensorBankSim sim;
    private long nextTick;
    private volatile boolean woken;

    SensorRig(SensorBankConfig config) {
        this.config = config;
        this.bank = new Pi4jSensorBank(gpio, config);
        this.sim = SensorBankSim.attach(gpio, config);
        bank.onEdge(() -> woken = true);
        this.nextTick = bank.tick(clock.nanos());
    }

    /**
     * Occlusion: normally open to a pull-down, powered by the supply (self-tested). Reservoir low:
     * normally closed to a pull-down, self-tested, so a broken wire reads "low". End of travel:
     * normally open, pull-down, self-tested. Stall: the driver's open-drain fault line, active low,
     * pull-up, not on the supply.
     */
    static SensorBankConfig benchConfig() {
        return new SensorBankConfig(List.of(
                new SensorConfig("occlusion", 22, Level.HIGH, Pull.DOWN, Duration.ofMillis(20), true),
                new SensorConfig("reservoir-low", 23, Level.LOW, Pull.DOWN, Duration.ofMillis(50), true),
                new SensorConfig("end-of-travel", 24, Level.HIGH, Pull.DOWN, Duration.ofMillis(10), true),
                new SensorConfig("stall", 25, Level.LOW, Pull.UP, Duration.ofMillis(5), false)),
                OptionalInt.of(26), Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofMillis(2),
                8, Duration.ofSeconds(1));
    }

    static SensorRig bench() {
        return new SensorRig(benchConfig());
    }

    /**
     * Lets the bank tick on its own schedule for {@code duration} of simulated time, and at once
     * after an edge, as the real loop does when the bank wakes it. Fails if the bank asks for a
     * tick that is not after the one it just had.
     */
    void run(Duration duration) {
        long end = clock.nanos() + duration.toNanos();
        while (true) {
            if (woken) {
                woken = false;
                nextTick = clock.nanos();
            }
            if (nextTick - end > 0) {
                break;
            }
            clock.advanceTo(nextTick);
            long now = clock.nanos();
            nextTick = bank.tick(now);
            if (nextTick - now <= 0) {
                // On the Pi the input loop would spin; here time would stand still.
                throw new AssertionError("the bank asked for its next tick at " + nextTick + " ns, not after now (" + now + " ns)");
            }
        }
        clock.advanceTo(end);
    }

    BinarySensor sensor(String name) {
        return bank.sensor(name);
    }

    @Override
    public void close() {
        gpio.close();
    }
}
