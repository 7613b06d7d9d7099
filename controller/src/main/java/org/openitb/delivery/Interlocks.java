package org.openitb.delivery;

import java.util.EnumSet;
import java.util.Set;

/**
 * Conditions that stop the motor, set by whoever sees them (the sensor loop) and read by the dose
 * loop at every tick. Delivery resumes at the programmed rate when the last one clears, with
 * nothing of the halted time caught up.
 */
public final class Interlocks {

    /** Why the motor must not move. */
    public enum Reason {
        OCCLUSION("occlusion"),
        MOTOR_STALL("motor stall"),
        END_OF_TRAVEL("end of travel: the syringe is empty");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final EnumSet<Reason> active = EnumSet.noneOf(Reason.class);
    private Runnable onChange = () -> { };

    /** Called after every change, on the changing thread (the dose loop's wake-up). */
    public synchronized void onChange(Runnable listener) {
        this.onChange = listener;
    }

    public void set(Reason reason, boolean on) {
        Runnable listener;
        synchronized (this) {
            boolean changed = on ? active.add(reason) : active.remove(reason);
            if (!changed) {
                return;
            }
            listener = onChange;
        }
        listener.run();
    }

    public synchronized Set<Reason> active() {
        return active.isEmpty() ? Set.of() : EnumSet.copyOf(active);
    }
}
