package org.openitb.drivers.sensor;

import java.util.Objects;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.Pull;

/**
 * Simulated twin of one input on the mock platform, modelling the switch and its wiring: the
 * switch conducts or not; a conducting switch passes the supply level when the supply is on;
 * otherwise the pull resistor decides. Faults are typed controls: chatter, stuck at a level.
 */
public final class SensorSim {

    private final Gpio gpio;
    private final SensorConfig config;
    private final SensorBankSim bank;
    private boolean present;
    private Level stuckAt;

    SensorSim(Gpio gpio, SensorConfig config, SensorBankSim bank) {
        this.gpio = gpio;
        this.config = config;
        this.bank = bank;
    }

    /** The sensor's name. */
    public String name() {
        return config.name();
    }

    /** Makes the watched condition present (occlusion on, reservoir low, plunger at the end, motor stalled) or gone. */
    public void set(boolean conditionPresent) {
        synchronized (bank) {
            present = conditionPresent;
            refresh();
        }
    }

    /** The condition appears. */
    public void activate() {
        set(true);
    }

    /** The condition goes away. */
    public void deactivate() {
        set(false);
    }

    /** Whether the simulated condition is present (whatever the input reads). */
    public boolean conditionPresent() {
        synchronized (bank) {
            return present;
        }
    }

    /**
     * Toggles the input {@code edges} times at once, as a loose contact would, then settles where
     * the switch really is (an odd count adds the edge back). Ignored while stuck: a stuck input cannot move.
     */
    public void chatter(int edges) {
        if (edges < 1) {
            throw new IllegalArgumentException("chatter needs at least one edge, got " + edges);
        }
        synchronized (bank) {
            if (stuckAt != null) {
                return;
            }
            Level level = electricalLevel();
            for (int i = 0; i < edges; i++) {
                level = level.opposite();
                gpio.driveInput(config.pinId(), level);
            }
            refresh();
        }
    }

    /** Freezes the input at {@code level} whatever the switch or supply does (a short, a dead buffer). */
    public void stickAt(Level level) {
        synchronized (bank) {
            stuckAt = Objects.requireNonNull(level, "level");
            gpio.driveInput(config.pinId(), level);
        }
    }

    /** Freezes the input at the level that means "condition present". */
    public void stickActive() {
        stickAt(config.activeLevel());
    }

    /** Freezes the input at the level that means "condition absent": a fault that hides the condition. */
    public void stickInactive() {
        stickAt(config.activeLevel().opposite());
    }

    /** Whether the input reads "condition present" now, as the controller sees it (a stuck input included). */
    public boolean readsActive() {
        return level() == config.activeLevel();
    }

    /** Ends a {@link #stickAt}: the input follows its switch again. */
    public void unstick() {
        synchronized (bank) {
            stuckAt = null;
            refresh();
        }
    }

    /** The level the input reads now. */
    public Level level() {
        synchronized (bank) {
            return electricalLevel();
        }
    }

    /** Re-drives the pin after the switch, the supply or a fault changed. */
    void refresh() {
        gpio.driveInput(config.pinId(), electricalLevel());
    }

    private Level electricalLevel() {
        if (stuckAt != null) {
            return stuckAt;
        }
        if (config.pull() == Pull.OFF) {
            return present ? config.activeLevel() : config.activeLevel().opposite(); // driven, push-pull
        }
        Level pullLevel = config.pull().idleLevel().orElseThrow();
        Level supplyLevel = pullLevel.opposite();
        boolean supplied = !config.selfTested() || bank.supplyOn();
        // A normally-open switch conducts when the condition is present (its active level is the
        // supply level); a normally-closed one conducts when it is absent.
        boolean conducts = present == (config.activeLevel() == supplyLevel);
        return conducts && supplied ? supplyLevel : pullLevel;
    }
}
