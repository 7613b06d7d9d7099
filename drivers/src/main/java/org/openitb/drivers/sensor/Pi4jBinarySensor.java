package org.openitb.drivers.sensor;

import java.util.Locale;
import org.openitb.drivers.gpio.GpioException;
import org.openitb.drivers.gpio.InputPin;
import org.openitb.drivers.gpio.Level;
import org.tinylog.Logger;

/** One input on a Pi4J pin: raw reads and edge counts go through an {@link InputFilter}; faults are kept apart. */
final class Pi4jBinarySensor implements BinarySensor {

    private final SensorConfig config;
    private final InputPin pin;
    private final InputFilter filter;
    private long edgesSeen;
    private volatile boolean active;
    private volatile String readError;
    private volatile String stuck;
    private volatile boolean chattering;
    private volatile String supplyFault;

    Pi4jBinarySensor(SensorConfig config, InputPin pin, SensorBankConfig bank) {
        this.config = config;
        this.pin = pin;
        this.filter = new InputFilter(config.debounce().toNanos(), bank.chatterEdges(), bank.chatterWindow().toNanos());
        this.edgesSeen = pin.edges();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public SensorHealth health() {
        String supplyDetail = supplyFault;
        if (supplyDetail != null) {
            return new SensorHealth(SensorHealth.Kind.SUPPLY_FAULT, supplyDetail);
        }
        String error = readError;
        if (error != null) {
            return new SensorHealth(SensorHealth.Kind.READ_ERROR, error);
        }
        String stuckDetail = stuck;
        if (stuckDetail != null) {
            return new SensorHealth(SensorHealth.Kind.STUCK, stuckDetail);
        }
        if (chattering) {
            return new SensorHealth(SensorHealth.Kind.CHATTER, config.name() + " input chatters: more edges than a switch makes");
        }
        return SensorHealth.OK;
    }

    @Override
    public long rawEdges() {
        return pin.edges();
    }

    boolean selfTested() {
        return config.selfTested();
    }

    /** Reads the pin and feeds the filter; a failed read is a fault, and the last believable state stays. */
    void sample(long nowNanos) {
        Level raw = read();
        if (raw == null) {
            return;
        }
        long edges = pin.edges();
        filter.sample(nowNanos, raw == config.activeLevel(), edges - edgesSeen);
        edgesSeen = edges;
        active = filter.debounced();
        chattering = filter.chattering();
    }

    /** When the filter wants the next sample, {@link Long#MAX_VALUE} if it does not care. */
    long nextDeadline() {
        return filter.nextDeadline();
    }

    /** With the supply cut, a healthy input floats to its pull level; anything else means it is stuck. */
    void checkUnpowered() {
        Level raw = read();
        if (raw == null) {
            return;
        }
        Level expected = config.pull().idleLevel().orElseThrow();
        if (raw != expected) {
            if (stuck == null) {
                Logger.error("sensor {} (BCM {}) failed its self-test", config.name(), config.pin());
            }
            stuck = config.name() + " input reads " + raw + " with its supply cut; a healthy input floats "
                    + expected + " (pull-" + config.pull().name().toLowerCase(Locale.ROOT) + ")";
        } else if (stuck != null) {
            Logger.info("sensor {} passed its self-test again", config.name());
            stuck = null;
        }
    }

    /** Set by the bank while the supply of this self-tested input cannot be driven; null when it can again. */
    void supplyFault(String detail) {
        supplyFault = detail;
    }

    /** Forgets the edges the self-test itself caused, so they count neither as chatter nor as bounces. */
    void skipEdges() {
        edgesSeen = pin.edges();
    }

    private Level read() {
        try {
            Level raw = pin.read();
            if (readError != null) {
                Logger.info("sensor {} readable again", config.name());
                readError = null;
            }
            return raw;
        } catch (GpioException e) {
            if (readError == null) {
                Logger.error("sensor {}: {}", config.name(), e.getMessage());
            }
            readError = config.name() + " input cannot be read: " + e.getMessage();
            return null;
        }
    }
}
