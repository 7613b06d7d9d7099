package org.openitb.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openitb.drivers.balance.BalanceProtocol;
import org.openitb.drivers.balance.BalanceReading;
import org.openitb.drivers.balance.BalanceSim;

class AccuracyRunTest {

    private static final long S = 1_000_000_000L;

    /** A balance whose pan gains 1 mg every second of the test's time. */
    private final long[] now = {0};
    private final BalanceSim balance = new BalanceSim(BalanceProtocol.MT_SICS, new BigDecimal("0.00001"), () -> 10 + now[0] / (double) S * 0.001,
            0, 1);
    private final List<Recorded> recorded = new ArrayList<>();

    private long tick(AccuracyRun run, long at) {
        now[0] = at;
        return run.tick(at);
    }

    @Test
    void readsFallOnTheGridAndALateThreadLeavesAGapNotABurst() {
        AccuracyRun run = new AccuracyRun(balance, Duration.ofSeconds(30), Duration.ofMinutes(10), 0, List.of(), recorded::add);
        assertEquals(30 * S, tick(run, 0));
        assertEquals(30 * S, tick(run, 10 * S), "nothing due before 30 s");
        assertEquals(60 * S, tick(run, 30 * S));
        assertEquals(90 * S, tick(run, 70 * S), "10 s late for 60 s: read now, timed as made");
        // The thread came back only at 155 s: the reads at 90, 120 and 150 s are gaps; none now, the next at 180 s.
        assertEquals(180 * S, tick(run, 155 * S));
        assertEquals(210 * S, tick(run, 180 * S));
        assertEquals(List.of(0L, 30 * S, 70 * S, 180 * S), recorded.stream().map(Recorded::elapsedNanos).toList());
        assertEquals(new Reading(70 * S, 10.070), run.readings().get(2), "1 mg a second for 70 s");
    }

    @Test
    void everyFaultIsInTheRecordAndNoneIsAReading() {
        AccuracyRun run = new AccuracyRun(balance, Duration.ofSeconds(30), Duration.ofMinutes(10), 0, List.of(), recorded::add);
        tick(run, 0);
        balance.silent(true);
        tick(run, 30 * S);
        balance.silent(false);
        balance.overload(true);
        tick(run, 60 * S);
        assertEquals(List.of(BalanceReading.Status.STABLE, BalanceReading.Status.SILENT, BalanceReading.Status.OVERLOAD),
                recorded.stream().map(r -> r.reading().status()).toList());
        assertEquals(1, run.readings().size());
        assertEquals(2, run.faults());
    }

    @Test
    void aTestEndsAfterItsLastReadAndAResumedOneGoesOnFromItsRecord() {
        AccuracyRun run = new AccuracyRun(balance, Duration.ofSeconds(30), Duration.ofMinutes(1), 0, List.of(), recorded::add);
        tick(run, 0);
        tick(run, 30 * S);
        assertEquals(Long.MAX_VALUE, tick(run, 60 * S + 1_000_000), "0, 30 and 60 s (read 1 ms late, the test's end all the same): done");
        assertEquals(3, recorded.size());
        // The pump restarted: the test began 200 s ago by the wall clock, and its record holds reads to 60 s.
        List<Recorded> earlier = List.copyOf(recorded);
        AccuracyRun resumed = new AccuracyRun(balance, Duration.ofSeconds(30), Duration.ofMinutes(10), 1_000 * S - 200 * S, earlier,
                recorded::add);
        assertEquals(1_000 * S + 10 * S, tick(resumed, 1_000 * S), "90 to 180 s are gaps; the next read on the grid, at 210 s");
        assertEquals(3, resumed.reads().size());
        tick(resumed, 1_010 * S);
        assertEquals(210 * S, resumed.reads().get(3).elapsedNanos());
        assertEquals(4, resumed.readings().size());
    }

    @Test
    void theRecordReadsBackAsWrittenGarbageAndATornLastLineIncluded() {
        List<String> lines = new ArrayList<>(List.of(ReadingsCsv.HEADER));
        Recorded weight = new Recorded(30 * S, BalanceProtocol.MT_SICS.parse("S S     10.03000 g"));
        Recorded garbage = new Recorded(60 * S, BalanceProtocol.MT_SICS.parse("\u00ff\"x\\,"));
        lines.add(ReadingsCsv.line(weight));
        lines.add(ReadingsCsv.line(garbage));
        assertEquals("30.000,STABLE,10.03000,\"S S     10.03000 g\"", lines.get(1));
        assertEquals("60.000,GARBAGE,,\"\\xff\"\"x\\\\,\"", lines.get(2));
        lines.add("90.0"); // the pump stopped while writing it
        assertEquals(List.of(weight, garbage), ReadingsCsv.parse(lines));
        lines.add(1, "not a read");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReadingsCsv.parse(lines));
        assertEquals("line 2 is not a read: not a read", e.getMessage());
    }
}
