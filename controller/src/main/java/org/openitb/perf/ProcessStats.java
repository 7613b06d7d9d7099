package org.openitb.perf;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** What the process itself says of its CPU time, heap, resident set and collections. */
public final class ProcessStats {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path TASKS = Path.of("/proc/self/task");

    private ProcessStats() {
    }

    /**
     * CPU time of the whole process so far, and of each thread by name (threads of one name
     * summed), ns.
     *
     * @param totalNanos all threads, user and system
     * @param byThread   per thread name; empty where there is no /proc
     */
    public record CpuTime(long totalNanos, Map<String, Long> byThread) {
        public CpuTime {
            byThread = Map.copyOf(byThread);
        }
    }

    /**
     * The process's CPU time now. On Linux it is each thread's scheduler runtime
     * ({@code /proc/self/task/N/schedstat}), exact to the nanosecond, read in one pass; the JVM's
     * own figure, the fallback elsewhere, comes in clock ticks (10 ms), too coarse for a loop that
     * uses a few milliseconds a second. Threads that end between two readings drop out of it.
     */
    public static CpuTime cpuTime() {
        Map<String, Long> byName = new TreeMap<>();
        try (var threads = Files.list(TASKS)) {
            for (Path t : threads.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    String line = Files.readString(t.resolve("schedstat")).trim();
                    byName.merge(name, Long.parseLong(line.substring(0, line.indexOf(' '))), Long::sum);
                } catch (IOException e) {
                    // the thread ended while being read: it no longer counts
                }
            }
        } catch (IOException | RuntimeException e) {
            byName.clear();
        }
        if (!byName.isEmpty()) {
            return new CpuTime(byName.values().stream().mapToLong(Long::longValue).sum(), byName);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return new CpuTime(t, Map.of());
            }
        }
        throw new IllegalStateException("this JVM does not report the process's CPU time");
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

    /** Heap bytes allocated so far by every thread, ended ones too; -1 if the JVM does not say. */
    public static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
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
