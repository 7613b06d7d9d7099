package org.openitb.perf;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one {@code bench} run measured, each number beside its baseline and target: as the
 * contract's JSON object, or as a table for people.
 *
 * @param lateness500Hz   step lateness at 500 Hz, µs
 * @param sdCard          the same on a state disk played as an SD card under load (ours), beside a loop that writes its count
 *                        to that disk every 64 steps before stepping on (the baseline), when measured
 * @param rateErrors      rate accuracy at each bench rate
 * @param cpu             CPU at the maintenance rate
 * @param heapUsedBytes   heap live after a full collection at the end
 * @param rssBytes        resident set at the end, if the system says
 * @param alarmLatencyUs  sensor edge to alarm at a subscriber, µs, when a broker was given
 * @param load            what ran meanwhile
 */
public record BenchReport(Lateness lateness500Hz, Optional<SlowDisk> sdCard, List<RateError> rateErrors, Cpu cpu, long heapUsedBytes,
        OptionalLong rssBytes, Optional<Latency> alarmLatencyUs, Load load) {

    /** Targets on the development machine (x86, 2 cores); docs/performance.md says how they read on a Pi. */
    public static final long TARGET_P99_US = 100;
    public static final long TARGET_P999_US = 500;
    public static final long TARGET_P99_RATIO = 10;
    public static final long TARGET_RATE_ERROR_MICROSTEPS = 1;
    public static final double TARGET_CPU_PCT = 1.0;
    public static final long TARGET_RSS_MB = 120;
    public static final long TARGET_ALARM_P99_US = 20_000;

    public BenchReport {
        rateErrors = List.copyOf(rateErrors);
    }

    /** The share of due steps delivered on time, as a percentage, from two counts. */
    public record Share(long due, long delivered) {
        public double pct() {
            return due == 0 ? 100.0 : 100.0 * delivered / due;
        }
    }

    /**
     * Ours and the relative-sleep baseline at 500 Hz, µs, and the share of the steps due by the end
     * of the window that each had made by then (ours against its plan, the baseline against 500 a
     * second from its first step).
     */
    public record Lateness(Latency ours, Latency baseline, Share oursDue, Share baselineDue, Floor floor) {
    }

    /**
     * Read beside ours: the dose loop's shell doing nothing ({@link EmptyLoop}), its wakes' lateness
     * in µs, how many of them and how many of our steps were later than {@link #TARGET_P999_US}.
     */
    public record Floor(Latency wakes, long wakesOverTarget, long stepsOverTarget) {
        /** Of each, per 10 000: late steps of ours against late wakes of a loop with nothing to do. */
        String stepsPerTenThousand(long steps) {
            return String.format(Locale.ROOT, "%.1f", steps == 0 ? 0.0 : 10_000.0 * stepsOverTarget / steps);
        }

        String wakesPerTenThousand() {
            return String.format(Locale.ROOT, "%.1f", wakes.count() == 0 ? 0.0 : 10_000.0 * wakesOverTarget / wakes.count());
        }
    }

    /**
     * The lateness phase again on a slow disk, and what the write-ahead record made of it: its
     * slowest commit, the most steps that went out beyond it, and how many went out more than the
     * bound beyond it.
     */
    public record SlowDisk(String profile, Lateness lateness, long commitLatencyMaxMs, long uncoveredPeakMicrosteps, long boundMicrosteps,
            long beyondBoundSteps) {
    }

    /**
     * Microsteps emitted by the end of the window by ours and the baseline, each against its ideal
     * count (the plan's target for ours; for the baseline, its rate from its own first step).
     */
    public record RateError(long hz, long oursIdeal, long oursMicrosteps, long baselineIdeal, long baselineMicrosteps) {
        public long oursError() {
            return oursMicrosteps - oursIdeal;
        }

        public double baselinePct() {
            return baselineIdeal == 0 ? 0 : 100.0 * (baselineMicrosteps - baselineIdeal) / baselineIdeal;
        }
    }

    /** Process CPU as % of one core at the maintenance rate: the whole daemon, and the busy-wait baseline alone. */
    public record Cpu(double oursPct, double baselinePct) {
    }

    /** What the run did and ran under. */
    public record Load(long durationMillis, long wallMillis, String jvm, int cores, long maxHeapBytes, String collectors,
            long collections, long collectionMillis, long allocatedMb, long ownAllocatedMb, long telemetryEvents, Optional<String> broker,
            int cpuHogs) {
    }

    /** The contract's object: {@code lateness500Hz}, {@code rateError}, {@code cpuPctMaintenance}, {@code heapUsedMb}, {@code rssMb}, {@code alarmLatencyMs}. */
    public JsonObject json() {
        JsonObject o = new JsonObject();
        JsonObject lateness = new JsonObject();
        lateness.add("ours", latency(lateness500Hz.ours()));
        lateness.add("baseline", latency(lateness500Hz.baseline()));
        lateness.add("dueDeliveredPct", shares(lateness500Hz));
        lateness.add("emptyLoop", floor(lateness500Hz.floor()));
        o.add("lateness500Hz", lateness);
        sdCard.ifPresent(s -> {
            JsonObject slow = new JsonObject();
            slow.addProperty("profile", s.profile());
            slow.add("ours", latency(s.lateness().ours()));
            slow.add("baseline", latency(s.lateness().baseline()));
            slow.add("dueDeliveredPct", shares(s.lateness()));
            slow.add("emptyLoop", floor(s.lateness().floor()));
            slow.addProperty("commitLatencyMaxMs", s.commitLatencyMaxMs());
            slow.addProperty("uncoveredPeakMicrosteps", s.uncoveredPeakMicrosteps());
            slow.addProperty("boundMicrosteps", s.boundMicrosteps());
            slow.addProperty("beyondBoundSteps", s.beyondBoundSteps());
            o.add("lateness500HzSdCard", slow);
        });
        JsonObject rates = new JsonObject();
        for (RateError r : rateErrors) {
            JsonObject e = new JsonObject();
            e.addProperty("oursMicrosteps", r.oursError());
            e.addProperty("baselinePct", round(r.baselinePct(), 3));
            e.addProperty("idealMicrosteps", r.oursIdeal());
            rates.add(r.hz() + "Hz", e);
        }
        o.add("rateError", rates);
        JsonObject cpuUse = new JsonObject();
        cpuUse.addProperty("ours", round(cpu.oursPct(), 3));
        cpuUse.addProperty("baseline", round(cpu.baselinePct(), 1));
        o.add("cpuPctMaintenance", cpuUse);
        o.addProperty("heapUsedMb", round(heapUsedBytes / 1e6, 1));
        rssBytes.ifPresentOrElse(r -> o.addProperty("rssMb", round(r / 1e6, 1)), () -> o.add("rssMb", JsonNull.INSTANCE));
        alarmLatencyUs.ifPresent(a -> {
            JsonObject alarm = new JsonObject();
            alarm.addProperty("p50", round(a.p50() / 1000.0, 2));
            alarm.addProperty("p99", round(a.p99() / 1000.0, 2));
            alarm.addProperty("cycles", a.count());
            o.add("alarmLatencyMs", alarm);
        });
        JsonObject l = new JsonObject();
        l.addProperty("durationSeconds", round(load.durationMillis() / 1000.0, 1));
        l.addProperty("wallSeconds", round(load.wallMillis() / 1000.0, 1));
        l.addProperty("jvm", load.jvm());
        l.addProperty("cores", load.cores());
        l.addProperty("maxHeapMb", round(load.maxHeapBytes() / 1e6, 1));
        l.addProperty("collectors", load.collectors());
        l.addProperty("collections", load.collections());
        l.addProperty("collectionMillis", load.collectionMillis());
        l.addProperty("allocatedMb", load.allocatedMb());
        l.addProperty("ownAllocatedMb", load.ownAllocatedMb());
        l.addProperty("telemetryEvents", load.telemetryEvents());
        load.broker().ifPresent(b -> l.addProperty("broker", b));
        l.addProperty("cpuHogs", load.cpuHogs());
        o.add("load", l);
        return o;
    }

    /** A table for people: each number, its baseline, its target, and whether it was met. */
    public List<String> table() {
        List<String> rows = new ArrayList<>();
        Latency ours = lateness500Hz.ours();
        Latency base = lateness500Hz.baseline();
        rows.add(String.format(Locale.ROOT, "%-34s %14s %14s  %s", "", "ours", "baseline", "target"));
        rows.add(row("step lateness 500 Hz p50", ours.p50() + " us", base.p50() + " us", ""));
        rows.add(row("step lateness 500 Hz p99", ours.p99() + " us", base.p99() + " us",
                verdict(ours.p99() <= TARGET_P99_US && ours.p99() * TARGET_P99_RATIO <= base.p99(),
                        "<= " + TARGET_P99_US + " us and 10x better")));
        rows.add(row("step lateness 500 Hz p99.9", ours.p999() + " us", base.p999() + " us",
                verdict(ours.p999() <= TARGET_P999_US, "<= " + TARGET_P999_US + " us")));
        rows.add(row("step lateness 500 Hz max", ours.max() + " us", base.max() + " us", ""));
        rows.add(floorRow("  later than " + TARGET_P999_US + " us, per 10 000", lateness500Hz));
        rows.add(row("due steps made 500 Hz", pct(lateness500Hz.oursDue()), pct(lateness500Hz.baselineDue()),
                verdict(lateness500Hz.oursDue().pct() >= 100.0, "100 %")));
        sdCard.ifPresent(s -> {
            Latency o = s.lateness().ours();
            Latency b = s.lateness().baseline();
            rows.add(row("  on an SD card: p99", o.p99() + " us", b.p99() + " us",
                    verdict(o.p99() <= TARGET_P99_US && o.p99() * TARGET_P99_RATIO <= b.p99(), "<= " + TARGET_P99_US + " us and 10x better")));
            rows.add(row("  on an SD card: p99.9", o.p999() + " us", b.p999() + " us", verdict(o.p999() <= TARGET_P999_US, "<= " + TARGET_P999_US + " us")));
            rows.add(row("  on an SD card: max", o.max() + " us", b.max() + " us", ""));
            rows.add(floorRow("  on an SD card: later than " + TARGET_P999_US + " us", s.lateness()));
            rows.add(row("  on an SD card: due steps made", pct(s.lateness().oursDue()), pct(s.lateness().baselineDue()),
                    verdict(s.lateness().oursDue().pct() >= 100.0, "100 %")));
            rows.add(row("  write-ahead: most beyond the mark", s.uncoveredPeakMicrosteps() + " usteps", "",
                    "bound " + s.boundMicrosteps() + "; " + s.beyondBoundSteps() + " steps beyond it; slowest commit " + s.commitLatencyMaxMs() + " ms"));
        });
        for (RateError r : rateErrors) {
            rows.add(row("rate error " + r.hz() + " Hz", String.format(Locale.ROOT, "%+d usteps", r.oursError()),
                    String.format(Locale.ROOT, "%+.2f %%", r.baselinePct()),
                    verdict(Math.abs(r.oursError()) <= TARGET_RATE_ERROR_MICROSTEPS, "<= 1 microstep")));
        }
        rows.add(row("CPU, 1 step / 8 s", String.format(Locale.ROOT, "%.3f %%", cpu.oursPct()),
                String.format(Locale.ROOT, "%.1f %%", cpu.baselinePct()), verdict(cpu.oursPct() <= TARGET_CPU_PCT, "<= 1 % of a core")));
        rows.add(row("heap live after the run", String.format(Locale.ROOT, "%.1f MB", heapUsedBytes / 1e6), "",
                verdict(load.maxHeapBytes() <= 33_554_432L * 105 / 100, "runs in -Xmx32m")));
        rows.add(row("resident set after the run", rssBytes.isPresent() ? String.format(Locale.ROOT, "%.1f MB", rssBytes.getAsLong() / 1e6) : "n/a",
                "", rssBytes.isPresent() ? verdict(rssBytes.getAsLong() <= TARGET_RSS_MB * 1_000_000, "<= 120 MB") : ""));
        alarmLatencyUs.ifPresentOrElse(a -> {
            rows.add(row("alarm latency p50 (edge->subscriber)", String.format(Locale.ROOT, "%.2f ms", a.p50() / 1000.0), "", ""));
            rows.add(row("alarm latency p99 (edge->subscriber)", String.format(Locale.ROOT, "%.2f ms", a.p99() / 1000.0), "",
                    verdict(a.p99() <= TARGET_ALARM_P99_US, "<= 20 ms")));
        }, () -> rows.add(row("alarm latency", "(no --broker)", "", "")));
        return rows;
    }

    /** What ran meanwhile, in a few lines. */
    public List<String> conditions() {
        return List.of(
                String.format(Locale.ROOT, "%s on %d cores, max heap %.0f MB, %s", load.jvm(), load.cores(), load.maxHeapBytes() / 1e6, load.collectors()),
                String.format(Locale.ROOT, "measured %.0f s (wall %.1f s); meanwhile %d MB allocated in the background and %s by the pump itself "
                        + "(with its telemetry and the baselines), %d collections (%d ms), %d telemetry events journaled%s",
                        load.durationMillis() / 1000.0, load.wallMillis() / 1000.0, load.allocatedMb(),
                        load.ownAllocatedMb() < 0 ? "an unknown amount" : load.ownAllocatedMb() + " MB", load.collections(), load.collectionMillis(), load.telemetryEvents(),
                        load.broker().map(b -> " and published to " + b).orElse(" (no broker: kept in the outbox)")),
                String.format(Locale.ROOT, "lateness over %d steps (ours) and %d (baseline); ours against the plan's deadline, "
                        + "the baseline against its own previous step + 2 ms%s", lateness500Hz.ours().count(), lateness500Hz.baseline().count(),
                        load.cpuHogs() == 0 ? "" : "; " + load.cpuHogs() + " busy threads spinning beside both"),
                sdCard.map(s -> "SD card: commits " + s.profile() + "; the baseline writes its count every 64 steps and waits for it")
                        .orElse("SD card: not measured"));
    }

    /** Ours against the empty loop beside it: the share of each that came later than the p99.9 target. */
    private static String floorRow(String label, Lateness l) {
        Floor f = l.floor();
        return row(label, f.stepsPerTenThousand(l.ours().count()), "", String.format(Locale.ROOT, "an empty loop beside: %s (p99.9 %d us, max %d us)",
                f.wakesPerTenThousand(), f.wakes().p999(), f.wakes().max()));
    }

    private static String pct(Share s) {
        return String.format(Locale.ROOT, "%.2f %%", Math.floor(s.pct() * 100) / 100);
    }

    private static JsonObject floor(Floor f) {
        JsonObject o = latency(f.wakes());
        o.addProperty("wakesOverTarget", f.wakesOverTarget);
        o.addProperty("stepsOverTarget", f.stepsOverTarget);
        return o;
    }

    private static JsonObject shares(Lateness l) {
        JsonObject o = new JsonObject();
        o.addProperty("ours", round(l.oursDue().pct(), 2));
        o.addProperty("baseline", round(l.baselineDue().pct(), 2));
        o.addProperty("oursDue", l.oursDue().due());
        o.addProperty("baselineDue", l.baselineDue().due());
        return o;
    }

    private static String row(String what, String ours, String baseline, String target) {
        return String.format(Locale.ROOT, "%-34s %14s %14s  %s", what, ours, baseline, target);
    }

    private static String verdict(boolean met, String target) {
        return target + (met ? "  ok" : "  MISSED");
    }

    private static JsonObject latency(Latency l) {
        JsonObject o = new JsonObject();
        o.addProperty("p50Us", l.p50());
        o.addProperty("p99Us", l.p99());
        o.addProperty("p999Us", l.p999());
        o.addProperty("maxUs", l.max());
        o.addProperty("steps", l.count());
        return o;
    }

    private static BigDecimal round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP);
    }
}
