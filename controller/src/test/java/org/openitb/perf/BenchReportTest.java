package org.openitb.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    /** 1 000 empty wakes, 2 of them later than 500 us; 5 of the 5 000 steps were. */
    private static final BenchReport.Floor FLOOR = new BenchReport.Floor(new Latency(1000, 3, 40, 620, 900), 2, 5);

    private static BenchReport report(long oursP99, long baselineP99, long oursSteps, Optional<Latency> alarm) {
        return new BenchReport(
                new BenchReport.Lateness(new Latency(5000, 4, oursP99, 300, 900), new Latency(4800, 90, baselineP99, 1500, 3000),
                        new BenchReport.Share(5000, 5000), new BenchReport.Share(5000, 4800), FLOOR),
                Optional.of(new BenchReport.SlowDisk("sd-card", new BenchReport.Lateness(new Latency(5000, 4, 50, 300, 900),
                        new Latency(4000, 90, 200_000, 900_000, 1_000_000), new BenchReport.Share(5000, 5000), new BenchReport.Share(5000, 4000), FLOOR),
                        1000, 180, 200, 0)),
                List.of(new BenchReport.RateError(100, 1000, 1000 + oursSteps, 1000, 990), new BenchReport.RateError(1000, 10_000, 10_000, 10_000, 9_100)),
                new BenchReport.Cpu(0.8, 99.9), 7_000_000, OptionalLong.of(90_000_000), alarm,
                new BenchReport.Load(20_000, 45_000, "25", 2, 33_554_432, "Copy + MarkSweepCompact", 40, 30, 300, 70, 400, Optional.empty(), 0));
    }

    @Test
    void theJsonHasTheContractsFields() {
        JsonObject o = report(40, 600, 0, Optional.of(new Latency(200, 1_940, 4_400, 5_000, 6_000))).json();
        JsonObject ours = o.getAsJsonObject("lateness500Hz").getAsJsonObject("ours");
        assertEquals(4, ours.get("p50Us").getAsLong());
        assertEquals(40, ours.get("p99Us").getAsLong());
        assertEquals(300, ours.get("p999Us").getAsLong());
        assertEquals(900, ours.get("maxUs").getAsLong());
        assertEquals(600, o.getAsJsonObject("lateness500Hz").getAsJsonObject("baseline").get("p99Us").getAsLong());
        assertEquals(0, o.getAsJsonObject("rateError").getAsJsonObject("100Hz").get("oursMicrosteps").getAsLong());
        assertEquals(-1.0, o.getAsJsonObject("rateError").getAsJsonObject("100Hz").get("baselinePct").getAsDouble());
        assertEquals(-9.0, o.getAsJsonObject("rateError").getAsJsonObject("1000Hz").get("baselinePct").getAsDouble());
        assertEquals(0.8, o.getAsJsonObject("cpuPctMaintenance").get("ours").getAsDouble());
        assertEquals(99.9, o.getAsJsonObject("cpuPctMaintenance").get("baseline").getAsDouble());
        assertEquals(7.0, o.get("heapUsedMb").getAsDouble());
        assertEquals(90.0, o.get("rssMb").getAsDouble());
        assertEquals(1.94, o.getAsJsonObject("alarmLatencyMs").get("p50").getAsDouble());
        assertEquals(4.4, o.getAsJsonObject("alarmLatencyMs").get("p99").getAsDouble());
    }

    @Test
    void theSdCardPhaseAndTheShareOfDueStepsAreReported() {
        JsonObject o = report(40, 600, 0, Optional.empty()).json();
        assertEquals(100.0, o.getAsJsonObject("lateness500Hz").getAsJsonObject("dueDeliveredPct").get("ours").getAsDouble());
        assertEquals(96.0, o.getAsJsonObject("lateness500Hz").getAsJsonObject("dueDeliveredPct").get("baseline").getAsDouble());
        JsonObject sd = o.getAsJsonObject("lateness500HzSdCard");
        assertEquals(200_000, sd.getAsJsonObject("baseline").get("p99Us").getAsLong());
        assertEquals(80.0, sd.getAsJsonObject("dueDeliveredPct").get("baseline").getAsDouble());
        assertEquals(180, sd.get("uncoveredPeakMicrosteps").getAsLong());
        List<String> table = report(40, 600, 0, Optional.empty()).table();
        assertTrue(table.stream().anyMatch(l -> l.startsWith("  on an SD card: due steps made") && l.contains("80.00 %") && l.endsWith("ok")),
                String.join("\n", table));
    }

    @Test
    void stepsLaterThanTheTargetAreReadBesideAnEmptyLoopsWakes() {
        List<String> table = report(40, 600, 0, Optional.empty()).table();
        // 5 of 5 000 steps and 2 of 1 000 wakes, each per 10 000: 10 and 20.
        assertTrue(table.stream().anyMatch(l -> l.startsWith("  later than 500 us, per 10 000") && l.contains("10.0")
                && l.contains("an empty loop beside: 20.0 (p99.9 620 us, max 900 us)")), String.join("\n", table));
        JsonObject empty = report(40, 600, 0, Optional.empty()).json().getAsJsonObject("lateness500Hz").getAsJsonObject("emptyLoop");
        assertEquals(620, empty.get("p999Us").getAsLong());
        assertEquals(2, empty.get("wakesOverTarget").getAsLong());
        assertEquals(5, empty.get("stepsOverTarget").getAsLong());
    }

    @Test
    void withoutABrokerThereIsNoAlarmLatency() {
        assertFalse(report(40, 600, 0, Optional.empty()).json().has("alarmLatencyMs"));
    }

    @Test
    void theTableSaysWhichTargetsWereMissed() {
        List<String> met = report(40, 600, 0, Optional.empty()).table();
        assertTrue(met.stream().noneMatch(l -> l.contains("MISSED")), String.join("\n", met));
        List<String> missed = report(120, 600, 2, Optional.empty()).table();
        assertTrue(missed.stream().anyMatch(l -> l.startsWith("step lateness 500 Hz p99 ") && l.endsWith("MISSED")), String.join("\n", missed));
        assertTrue(missed.stream().anyMatch(l -> l.startsWith("rate error 100 Hz") && l.endsWith("MISSED")), String.join("\n", missed));
        List<String> notTenTimes = report(80, 600, 0, Optional.empty()).table();
        assertTrue(notTenTimes.stream().anyMatch(l -> l.startsWith("step lateness 500 Hz p99 ") && l.endsWith("MISSED")),
                "80 us is under 100 us but not 10x better than 600 us");
    }
}
