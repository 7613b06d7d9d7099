package org.openitb.perf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads beside the bench, for {@code bench --cpu-hog N}: another process (a JVM started
 * from the same jar) spinning N threads at normal priority, as a compile or another service on
 * the Pi would. Out of process on purpose: busy threads in the bench's own JVM would also delay
 * its safepoints, which no other program on the Pi can do. Ours and the baselines run under the
 * same hog, so the ratios still compare like with like.
 */
public final class CpuHog implements AutoCloseable {

    /** More busy threads than this would only measure the scheduler. */
    public static final int MAX_THREADS = 8;

    private final Process process;
    private final int threads;

    private CpuHog(Process process, int threads) {
        this.process = process;
        this.threads = threads;
    }

    /** Starts a process spinning {@code count} threads (0: none, no process). */
    public static CpuHog start(int count) {
        if (count < 0 || count > MAX_THREADS) {
            throw new IllegalArgumentException("a CPU hog of " + count + " threads: from 0 to " + MAX_THREADS);
        }
        if (count == 0) {
            return new CpuHog(null, 0);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx16m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Spinner.class.getName(), Integer.toString(count)));
        try {
            return new CpuHog(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start(),
                    count);
        } catch (IOException e) {
            throw new IllegalStateException("the CPU hog could not be started: " + e.getMessage(), e);
        }
    }

    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The hog process: N threads spinning until it is killed. */
    public static final class Spinner {

        /** Where the spinning's result goes, so it is not optimised away. */
        private static volatile long sink;

        private Spinner() {
        }

        public static void main(String[] args) {
            int n = Integer.parseInt(args[0]);
            for (int i = 0; i < n; i++) {
                Thread.ofPlatform().name("cpu-hog-" + i).start(() -> {
                    long x = 1;
                    while (true) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                        if ((x & 0xFFFF) == 0) {
                            sink = x;
                        }
                    }
                });
            }
        }
    }
}
