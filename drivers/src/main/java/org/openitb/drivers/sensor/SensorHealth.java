package org.openitb.drivers.sensor;

/**
 * Whether an input can be believed. Anything but {@link Kind#OK} is a sensor fault the alarm
 * supervisor reports; the debounced state keeps its last believable value meanwhile.
 */
public record SensorHealth(Kind kind, String detail) {

    /** What is wrong, most severe last. */
    public enum Kind {
        OK,
        /** More edges than a real switch makes: a loose wire, a failing switch, interference. */
        CHATTER,
        /** The input did not follow its supply being cut: shorted or a stuck buffer. */
        STUCK,
        /** The pin cannot be read at all. */
        READ_ERROR,
        /** The supply pin of the self-tested switches cannot be driven: the switches may be unpowered. */
        SUPPLY_FAULT
    }

    public static final SensorHealth OK = new SensorHealth(Kind.OK, "ok");

    public boolean ok() {
        return kind == Kind.OK;
    }
}
