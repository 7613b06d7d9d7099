package org.openitb.delivery;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the calling thread wake on time on Linux, as far as the process is permitted: a timer
 * slack of 1 ns (the kernel otherwise lets a sleeping thread wake up to 50 µs late, to batch
 * wake-ups; no privilege needed), and the SCHED_FIFO real-time policy if RLIMIT_RTPRIO or
 * CAP_SYS_NICE allows it (the unit grants it), so a woken loop runs at once instead of waiting
 * for a busy core's time slice to end. Anything refused is reported, never fatal: the loop runs
 * as an ordinary thread, only later.
 */
public final class ThreadTuning {

    /** The real-time priority of the dose loop: above every ordinary thread, far below the kernel's own (50 and up). */
    public static final int DOSE_LOOP_PRIORITY = 20;
    /** The highest priority a loop may ask for: below the kernel's own threaded interrupts (50). */
    public static final int MAX_PRIORITY = 49;

    private static final int PR_SET_TIMERSLACK = 29;
    private static final int SCHED_FIFO = 1;

    interface LibC extends Library {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        int sched_setscheduler(int pid, int policy, SchedParam param);
    }

    /** struct sched_param. */
    @Structure.FieldOrder("sched_priority")
    public static final class SchedParam extends Structure {
        public int sched_priority;
    }

    private ThreadTuning() {
    }

    /** Refuses a real-time priority outside 0 (none) to {@link #MAX_PRIORITY}. */
    static void requirePriority(int priority) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("real-time priority " + priority + " is outside 0.." + MAX_PRIORITY);
        }
    }

    /**
     * Tunes the calling thread; {@code priority} 0 asks only for the timer slack.
     *
     * @return what was applied and what was refused, for the log
     */
    public static List<String> tuneCurrentThread(int priority) {
        requirePriority(priority);
        List<String> notes = new ArrayList<>();
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            notes.add("no libc to tune the thread with (" + e.getMessage() + "): ordinary scheduling");
            return notes;
        }
        notes.add(libc.prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0) == 0 ? "timer slack 1 ns" : "timer slack refused (errno " + Native.getLastError() + ")");
        if (priority > 0) {
            SchedParam p = new SchedParam();
            p.sched_priority = priority;
            // pid 0: the calling thread (Linux schedules threads, not processes).
            notes.add(libc.sched_setscheduler(0, SCHED_FIFO, p) == 0 ? "SCHED_FIFO priority " + priority
                    : "SCHED_FIFO refused (errno " + Native.getLastError() + "; needs LimitRTPRIO or CAP_SYS_NICE): ordinary scheduling");
        }
        return notes;
    }
}
