package org.openitb.daemon;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Whether the kernel's wall clock is synchronised, from adjtimex(2): called with a zeroed struct
 * timex (modes 0) it only reads, needs no privilege, and returns the clock state, TIME_ERROR (5)
 * while the clock is not set from a time source (STA_UNSYNC). A Pi without a clock battery is in
 * that state after a power cut until NTP answers.
 */
public final class TimeSync {

    private static final int TIME_ERROR = 5;
    /** Larger than struct timex on every Linux architecture (208 bytes on 64-bit). */
    private static final int TIMEX_BYTES = 512;

    /** The C library's adjtimex. */
    interface LibC extends Library {
        int adjtimex(Pointer timex);
    }

    private TimeSync() {
    }

    /** A probe that says whether the wall clock is synchronised, or empty where it cannot tell (no libc, not Linux). */
    public static Supplier<Optional<Boolean>> probe() {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            Logger.warn("cannot ask the kernel whether the wall clock is synchronised ({}); a restart trusts the clock", e.toString());
            return Optional::empty;
        }
        AtomicBoolean told = new AtomicBoolean();
        return () -> {
            try (Memory timex = new Memory(TIMEX_BYTES)) {
                timex.clear();
                int state = libc.adjtimex(timex);
                if (state < 0 && !told.getAndSet(true)) {
                    // Said once: a sandbox that refuses the call (systemd's ProtectClock= does) leaves every restart trusting the clock.
                    Logger.warn("the kernel would not say whether the wall clock is synchronised (adjtimex: errno {}); a restart"
                            + " trusts the wall clock", Native.getLastError());
                }
                return state < 0 ? Optional.empty() : Optional.of(state != TIME_ERROR);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return Optional.empty();
            }
        };
    }
}
