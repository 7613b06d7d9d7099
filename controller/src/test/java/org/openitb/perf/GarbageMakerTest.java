package org.openitb.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GarbageMakerTest {

    private static final long MB_PER_SECOND = 16;
    private static final int BURSTS = 100_000;

    @Test
    void overManyBurstsTheRateIsTheOneAskedForToWithinAChunk() {
        GarbageMaker.Bursts bursts = new GarbageMaker.Bursts(MB_PER_SECOND * 1_000_000);
        long elapsedNanos = 0;
        long chunks = 0;
        for (int i = 0; i < BURSTS; i++) {
            long gap = bursts.nextGapNanos();
            elapsedNanos += gap;
            chunks += bursts.chunksAfter(gap);
        }
        // 16 MB/s over the elapsed time, worked by hand: bytes = 16e6 × seconds.
        double askedBytes = 16e6 * elapsedNanos / 1e9;
        assertEquals(askedBytes, chunks * (double) GarbageMaker.CHUNK_BYTES, GarbageMaker.CHUNK_BYTES,
                "bytes allocated over " + elapsedNanos / 1e9 + " s");
    }

    @Test
    void burstsLandAllOverTheTwoMillisecondStepCycleNotAtOnePhaseOfIt() {
        // The lateness phase steps every 2 ms: bursts at a fixed phase of it put every collection on (or off) a step.
        long cycleNanos = 2_000_000;
        int bins = 8;
        int[] landed = new int[bins];
        GarbageMaker.Bursts bursts = new GarbageMaker.Bursts(MB_PER_SECOND * 1_000_000);
        long at = 0;
        for (int i = 0; i < BURSTS; i++) {
            at += bursts.nextGapNanos();
            landed[(int) (at % cycleNanos * bins / cycleNanos)]++;
        }
        for (int bin = 0; bin < bins; bin++) {
            double share = landed[bin] / (double) BURSTS;
            assertTrue(share > 0.10 && share < 0.15, "bin " + bin + " of the step cycle got " + share + " of the bursts (1/8 expected)");
        }
    }
}
