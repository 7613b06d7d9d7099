package org.openitb.control;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.Locale;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.TestPlan;
import org.openitb.accuracy.TestStatus;
import org.openitb.therapy.Durations;

/** A gravimetric test's status as the {@code accuracy} verb answers it. */
final class AccuracyJson {

    private AccuracyJson() {
    }

    static JsonObject of(TestStatus t) {
        TestPlan plan = t.header().plan();
        JsonObject o = new JsonObject();
        o.addProperty("name", t.header().name());
        o.addProperty("state", t.header().ended().isPresent() ? "ended" : "running");
        t.header().ended().ifPresent(e -> o.addProperty("ended", e));
        o.addProperty("started", t.header().startedAt().toString());
        o.addProperty("rateUlPerHour", plan.rateUlPerHour());
        o.addProperty("scheme", plan.scheme().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        o.addProperty("readInterval", Durations.format(plan.readInterval()));
        o.addProperty("deltaT", Durations.format(plan.setup().sampleInterval()));
        o.addProperty("length", Durations.format(plan.length()));
        o.addProperty("analysis", Durations.format(plan.setup().analysisFrom()) + "-" + Durations.format(plan.setup().analysisTo()));
        o.addProperty("windows", String.join(",", plan.setup().windows().stream().map(Durations::format).toList()));
        o.addProperty("elapsed", hms(t.elapsed()));
        o.addProperty("reads", t.reads());
        o.addProperty("faults", t.faults());
        t.last().ifPresent(r -> {
            o.addProperty("lastStatus", r.status().name());
            r.grams().ifPresent(g -> o.addProperty("lastGrams", g.toPlainString()));
        });
        t.overall().ifPresent(e -> o.add("overall", error(e)));
        o.addProperty("record", t.record().toString());
        t.report().ifPresent(r -> o.addProperty("report", r.toString()));
        t.note().ifPresent(n -> o.addProperty("note", n));
        return o;
    }

    /** A test's time so far as a person reads it: 53h13m33s. */
    static String hms(Duration d) {
        long s = d.toSeconds();
        return (s >= 3_600 ? s / 3_600 + "h" : "") + (s >= 60 ? s % 3_600 / 60 + "m" : "") + s % 60 + "s";
    }

    private static JsonObject error(Analysis.Error e) {
        JsonObject o = new JsonObject();
        o.addProperty("percent", e.percent());
        o.addProperty("uncertaintyPercent", e.uncertaintyPercent());
        return o;
    }
}
