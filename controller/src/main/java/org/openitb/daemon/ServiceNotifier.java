package org.openitb.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.openitb.clock.Clock;
import org.openitb.clock.LoopThread;
import org.tinylog.Logger;

/**
 * The thread shell that speaks systemd's notify protocol: {@link ServiceHealth} decides, this sends
 * through libsystemd's {@code sd_notify} (JNA; the JDK cannot send Unix datagrams before Java 22).
 * Runs only when systemd gave a {@code NOTIFY_SOCKET}; in a terminal it does nothing at all.
 */
final class ServiceNotifier implements AutoCloseable {

    /** libsystemd's notify call: {@code int sd_notify(int unset_environment, const char *state)}. */
    interface Systemd extends Library {
        int sd_notify(int unsetEnvironment, String state);
    }

    private final Systemd systemd;
    private final ServiceHealth health;
    private final LoopThread loop;
    private boolean failureLogged;

    /** Made with its thread, which {@link #start} starts once the notifier is whole. */
    private ServiceNotifier(Systemd systemd, ServiceHealth health, Clock real) {
        this.systemd = systemd;
        this.health = health;
        // Without this thread systemd stops hearing from us and restarts the daemon: the right outcome, said loudly.
        this.loop = LoopThread.create("systemd-notify", real, Thread.NORM_PRIORITY, now -> this.health.tick(now, this::send),
                e -> Logger.error(e, "the systemd notifier failed; the watchdog is no longer fed"));
    }

    /**
     * Starts notifying if {@code env} names a notify socket. The watchdog interval is taken from
     * {@code WATCHDOG_USEC} when {@code WATCHDOG_PID} is absent or is {@code pid} (as sd_watchdog_enabled does).
     */
    static Optional<ServiceNotifier> start(Map<String, String> env, long pid, Clock real, List<ServiceHealth.Heartbeat> beats,
            Supplier<String> summary) {
        String socket = env.getOrDefault("NOTIFY_SOCKET", "");
        if (socket.isEmpty()) {
            return Optional.empty();
        }
        Systemd systemd;
        try {
            systemd = Native.load("systemd", Systemd.class);
        } catch (UnsatisfiedLinkError e) {
            Logger.error("systemd asked for notifications on {} but libsystemd could not be loaded ({}); it will not see the pump ready",
                    socket, e.getMessage());
            return Optional.empty();
        }
        OptionalLong watchdog = watchdogNanos(env, pid);
        if (watchdog.isPresent() && watchdog.getAsLong() < ServiceHealth.MIN_WATCHDOG_NANOS) {
            Logger.warn("WatchdogSec of {} ms is shorter than {} ms: a slow pass may be taken for a hang", watchdog.getAsLong() / 1_000_000,
                    ServiceHealth.MIN_WATCHDOG_NANOS / 1_000_000);
        }
        ServiceNotifier notifier = new ServiceNotifier(systemd, new ServiceHealth(beats, summary, watchdog, real.nanos()), real);
        notifier.loop.start();
        Logger.info("systemd notifications on {}{}", socket, watchdog.isPresent() ? ", watchdog " + watchdog.getAsLong() / 1_000_000 + " ms" : "");
        return Optional.of(notifier);
    }

    /** The watchdog interval systemd expects pets within, if it expects them from this process. */
    static OptionalLong watchdogNanos(Map<String, String> env, long pid) {
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        String forPid = env.getOrDefault("WATCHDOG_PID", "");
        try {
            if (usec.isEmpty() || (!forPid.isEmpty() && Long.parseLong(forPid) != pid)) {
                return OptionalLong.empty();
            }
            long micros = Long.parseLong(usec);
            return micros > 0 ? OptionalLong.of(Math.multiplyExact(micros, 1_000L)) : OptionalLong.empty();
        } catch (NumberFormatException | ArithmeticException e) {
            Logger.warn("ignoring a malformed watchdog setting WATCHDOG_USEC={} WATCHDOG_PID={}", usec, forPid);
            return OptionalLong.empty();
        }
    }

    private synchronized void send(String message) {
        int result = systemd.sd_notify(0, message);
        if (result < 0 && !failureLogged) {
            failureLogged = true;
            Logger.error("sd_notify failed with error {} (negative errno)", -result);
        }
    }

    /** Tells systemd the daemon is stopping, and stops telling it anything else. */
    void stopping(String why) {
        loop.close();
        send(ServiceHealth.stopping(why));
    }

    @Override
    public void close() {
        stopping("closed");
    }
}
