package org.openitb.perf;

import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads beside the bench, for {@code bench --cpu-hog N}: each spins at normal priority
 * until closed, as a compile or another service on the Pi would. Ours and the baselines run
 * under the same hog, so the ratios still compare like with like.
 */
public final class CpuHog implements AutoCloseable {

    /** More busy threads than this would only measure the scheduler. */
    public static final int MAX_THREADS = 8;

    private final List<BenchThread> threads = new ArrayList<>();
    /** Where the spinning's result goes, so it is not optimised away. */
    private static volatile long sink;

    private CpuHog() {
    }

    /** Starts {@code count} spinning threads (0: none). */
    public static CpuHog start(int count) {
        if (count < 0 || count > MAX_THREADS) {
            throw new IllegalArgumentException("a CPU hog of " + count + " threads: from 0 to " + MAX_THREADS);
        }
        CpuHog hog = new CpuHog();
        for (int i = 0; i < count; i++) {
            hog.threads.add(BenchThread.start("cpu-hog-" + i, Thread.NORM_PRIORITY, t -> {
                long x = 0;
                while (t.running()) {
                    x = x * 6364136223846793005L + 1442695040888963407L; // work the JIT cannot remove: the loop reads `running`
                }
                sink = x;
            }));
        }
        return hog;
    }

    public int threads() {
        return threads.size();
    }

    @Override
    public void close() {
        threads.forEach(BenchThread::close);
    }
}
