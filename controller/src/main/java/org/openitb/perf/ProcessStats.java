package org.openitb.perf;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What the process itself says of its CPU time, heap, resident set and collections. */
public final class ProcessStats {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessStats() {
    }

    /**
     * CPU time of the whole process (all threads, user and system), ns. On Linux it is the sum of
     * each thread's scheduler runtime ({@code /proc/self/task/N/schedstat}), exact to the
     * nanosecond; the JVM's own figure comes in clock ticks (10 ms), too coarse for a loop that
     * uses a few milliseconds a second. Threads that end between two readings drop out of it.
     */
    public static long cpuNanos() {
        OptionalLong exact = schedulerRuntimeNanos();
        if (exact.isPresent()) {
            return exact.getAsLong();
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        throw new IllegalStateException("this JVM does not report the process's CPU time");
    }

    /** Scheduler runtime of each live thread by name (threads of one name summed), ns; empty where there is no /proc. */
    public static java.util.Map<String, Long> threadRuntimeNanos() {
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        try (var threads = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : threads.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    String line = Files.readString(t.resolve("schedstat")).trim();
                    byName.merge(name, Long.parseLong(line.substring(0, line.indexOf(' '))), Long::sum);
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return byName;
    }

    private static OptionalLong schedulerRuntimeNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return OptionalLong.empty();
        }
        long sum = 0;
        try (var threads = Files.list(tasks)) {
            for (Path t : threads.toList()) {
                try {
                    String line = Files.readString(t.resolve("schedstat")).trim();
                    sum += Long.parseLong(line.substring(0, line.indexOf(' ')));
                } catch (IOException e) {
                    // the thread ended while being read: it no longer counts
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(sum);
    }

    /** Heap in use after a full collection, bytes: what stays live, not what waits to be collected. */
    public static long liveHeapBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The most heap the JVM may use (-Xmx), bytes. */
    public static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** Resident set size from /proc/self/status (VmRSS), bytes; empty where there is no /proc. */
    public static OptionalLong residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Collections so far, all collectors. */
    public static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** Time spent in collections so far, ms (pauses and concurrent work as the collectors count it). */
    public static long collectionMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /** Time the JIT compilers have spent so far, ms (0 if the JVM does not say). */
    public static long compilationMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** The collector names, for the report. */
    public static String collectors() {
        return String.join(" + ", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
    }
}
