package org.openitb.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.openitb.journal.JournalEntry;
import org.openitb.store.Sample;

/**
 * A pump over a time range as one self-contained HTML page, from its own memory: drug to the
 * patient against the program, the reservoir and when it is projected to run empty, the
 * withdrawal-risk estimate, and the alarms and therapy events on the same time line.
 */
public final class PumpReport {

    /** Journal rows listed at most on a page (the charts take every one). */
    static final int MAX_ROWS = 500;
    private static final Color PATIENT = new Color(0x1f, 0x77, 0xb4);
    private static final Color PUSHED = new Color(0x9e, 0xc5, 0xe8);
    private static final Color PROGRAM = new Color(0x55, 0x55, 0x55);
    private static final Color RISK = new Color(0x94, 0x67, 0xbd);
    private static final Map<String, Color> PRIORITY = Map.of("low", new Color(0xbc, 0xbd, 0x22), "medium", new Color(0xff, 0x7f, 0x0e),
            "high", new Color(0xd6, 0x27, 0x28));
    private static final Map<String, Double> PRIORITY_Y = Map.of("low", 1.0, "medium", 2.0, "high", 3.0);

    private final Instant from;
    private final Instant to;
    private final ZoneId zone;
    /** Hours or days: a week reads in days, a day in hours. */
    private final double unitNanos;
    private final String unit;

    private PumpReport(Instant from, Instant to, ZoneId zone) {
        this.from = from;
        this.to = to;
        this.zone = zone;
        boolean days = Duration.between(from, to).compareTo(Duration.ofHours(72)) > 0;
        this.unitNanos = days ? 8.64e13 : 3.6e12;
        this.unit = days ? "days" : "hours";
    }

    /** The page of pump {@code pumpId} from {@code from} to {@code to} with its timeline (see {@link PumpTimeline#of}) and journal, times in {@code zone}. */
    public static String html(String pumpId, Instant from, Instant to, ZoneId zone, PumpTimeline t, List<JournalEntry> journal) {
        return new PumpReport(from, to, zone).page(pumpId, t, journal);
    }

    private String page(String pumpId, PumpTimeline t, List<JournalEntry> journal) {
        List<JournalEntry> alarms = journal.stream().filter(e -> e.type().startsWith("alarm-")).toList();
        List<JournalEntry> therapy = journal.stream().filter(e -> !e.type().startsWith("alarm-")).toList();
        List<Sample> s = t.samples();
        StringBuilder b = new StringBuilder();
        b.append("<p>From ").append(when(from)).append(" to ").append(when(to)).append(" (").append(zone).append("): ")
                .append(ReportText.count(s.size(), "sample", "samples")).append(" (one every ").append(Sample.PERIOD_MINUTES)
                .append(" min of pump time), ").append(ReportText.count(journal.size(), "journal entry", "journal entries")).append(".</p>\n");
        if (t.unplaced() > 0) {
            b.append("<p class=\"fault\">").append(ReportText.count(t.unplaced(), "sample was", "samples were")).append(" taken while the wall clock"
                    + " was not set (a boot before its time source answered): their times are not known and they are left out; what was delivered"
                    + " then is in the next sample.</p>\n");
        }
        if (t.times().isEmpty()) {
            b.append("<div class=\"note\"><p>No sample in or around this range: the pump did not run then, or its memory is from before"
                    + " samples were kept. The journal below is all there is.</p></div>\n");
        } else {
            totals(b, t);
        }
        if (!s.isEmpty()) {
            b.append("<h2>Reservoir</h2>\n").append(projection(s)).append(Charts.img(reservoir(s), "reservoir"));
            b.append("<h2>Withdrawal-risk estimate</h2>\n<p>An estimate from delivery against the prescription, not a measurement; a span"
                    + " without samples is a break in its line, not a level held. Worst: ").append(worstRisk(s)).append(".</p>\n");
            if (s.stream().anyMatch(x -> x.riskPercent().isPresent())) {
                b.append(Charts.img(risk(s), "withdrawal-risk estimate"));
            }
        }
        b.append("<h2>Alarms</h2>\n");
        if (alarms.isEmpty()) {
            b.append("<p>None in this range.</p>\n");
        } else {
            b.append(Charts.img(alarmChart(alarms), "alarms on the time line")).append('\n');
            // An alarm escalates when its priority or its withdrawal risk rises: the risk column says which.
            table(b, alarms, List.of("when", "what", "alarm", "priority", "withdrawal risk", "message"),
                    e -> List.of(when(e.at()), e.type().substring("alarm-".length()), text(e.details(), "alarm"), text(e.details(), "priority"),
                            text(e.details(), "riskLevel"), text(e.details(), "message")));
        }
        b.append("<h2>Therapy events</h2>\n");
        table(b, therapy, List.of("when", "what", "who", "details"), e -> List.of(when(e.at()), e.type(), e.who(), ReportText.details(e.details())));
        return Html.page("OpenITB " + pumpId + ": " + when(from) + " to " + when(to), b.toString());
    }

    /** The totals over the range, where the record bounds them, the spans without samples, and the delivered chart. */
    private void totals(StringBuilder b, PumpTimeline t) {
        int last = t.times().size() - 1;
        Instant first = t.times().get(0);
        Instant end = t.times().get(last);
        if (first.isAfter(from)) {
            b.append("<p>The record begins at ").append(when(first)).append(": the totals start there.</p>\n");
        }
        if (end.isBefore(to)) {
            b.append("<p>The record ends at ").append(when(end)).append(" (its newest sample): the totals end there.</p>\n");
        }
        double program = t.programMcg()[last];
        b.append("<table><tr><th>what</th><th>mcg</th></tr>\n")
                .append(row("the program asked for", program))
                .append(row("reached the patient", t.patientMcg()[last]))
                .append(row("pushed (priming included)", t.pushedMcg()[last]))
                .append("</table>\n<p>").append(ReportText.shortfall(t.shortfallMcg(), program))
                .append(t.resets() == 0 ? "" : " A counter went back " + ReportText.count(t.resets(), "time", "times")
                        + " (a pump that lost its memory): counted on from there.")
                .append(" The program's rate is read from the samples, 5 minutes apart; a change of program or a scheduled step counts from"
                        + " its time in the journal.</p>\n");
        if (!t.holes().isEmpty()) {
            b.append("<p class=\"fault\">").append(ReportText.count(t.holes().size(), "span", "spans"))
                    .append(" without samples (the daemon down, or its clock set forward); the program counts through them:</p>\n"
                            + "<table><tr><th>from</th><th>to</th><th>for</th></tr>\n");
            t.holes().stream().limit(MAX_ROWS).forEach(h -> b.append("<tr><td>").append(when(h.from())).append("</td><td>")
                    .append(when(h.to())).append("</td><td>").append(ReportText.span(h.length())).append("</td></tr>\n"));
            b.append("</table>\n");
        }
        b.append("<h2>Drug delivered against the program</h2>\n").append(Charts.img(delivered(t), "drug delivered against the program"));
    }

    /** A chart over the range's time, its axis in whole tenths of the unit, the legend where the lines are not. */
    private XYChart timeChart(String title, String y, Styler.LegendPosition legend) {
        XYChart c = Charts.chart(title, "time (" + unit + " from " + when(from) + ")", y);
        c.getStyler().setXAxisDecimalPattern("0.#").setLegendPosition(legend);
        c.getStyler().setXAxisMin(0.0).setXAxisMax(x(to));
        return c;
    }

    private XYChart delivered(PumpTimeline t) {
        double[] x = xs(t.times(), i -> i);
        XYChart c = timeChart("Drug delivered against the program", "drug since the first sample (mcg)", Styler.LegendPosition.InsideNW);
        Charts.line(c, "the program", x, t.programMcg(), PROGRAM);
        Charts.line(c, "pushed (priming included)", x, t.pushedMcg(), PUSHED);
        Charts.line(c, "to the patient", x, t.patientMcg(), PATIENT);
        return c;
    }

    private XYChart reservoir(List<Sample> s) {
        XYChart c = timeChart("Reservoir", "volume (mL)", Styler.LegendPosition.InsideNE);
        Charts.line(c, "left", xs(s, Sample::at), s.stream().mapToDouble(x -> x.reservoirPl() / 1e9).toArray(), PATIENT);
        Sample last = s.get(s.size() - 1);
        if (last.hoursToEmpty().isPresent() && last.reservoirPl() > 0) {
            Instant empty = emptyAt(last);
            Charts.line(c, "projected at the rate in force", new double[] {x(last.at()), x(empty)}, new double[] {last.reservoirPl() / 1e9, 0},
                    PROGRAM).setMarker(SeriesMarkers.CIRCLE);
            // The axis reaches the projected empty time, up to three times the range (beyond, the text says when).
            c.getStyler().setXAxisMax(Math.min(x(empty), 3 * x(to)));
        }
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private String projection(List<Sample> s) {
        Sample last = s.get(s.size() - 1);
        if (last.reservoirPl() == 0) {
            int since = ReportText.emptySince(s);
            return "<p class=\"fault\">At the last sample (" + when(last.at()) + ") the reservoir was empty"
                    + (since == 0 ? ", since before the range" : ": empty since about " + when(s.get(since).at())) + ".</p>\n";
        }
        if (last.hoursToEmpty().isEmpty()) {
            return "<p>At the last sample (" + when(last.at()) + ") nothing was being delivered: no empty time is projected.</p>\n";
        }
        Instant empty = emptyAt(last);
        return "<p>At the last sample (" + when(last.at()) + ") " + ReportText.fmt(last.reservoirPl() / 1e9, 3) + " mL were left: empty at about "
                + when(empty) + " at the rate in force (" + ReportText.fmt(last.hoursToEmpty().getAsDouble(), 1) + " h).</p>\n";
    }

    private XYChart risk(List<Sample> s) {
        XYChart c = timeChart("Withdrawal-risk estimate", "estimated drug level (% of prescribed)", Styler.LegendPosition.InsideSE);
        List<Sample> known = s.stream().filter(x -> x.riskPercent().isPresent()).toList();
        if (!known.isEmpty()) {
            // A break in the line where samples are missing: the level then is not known, and a straight line would say it was.
            List<Double> xb = new ArrayList<>();
            List<Double> yb = new ArrayList<>();
            for (int i = 0; i < known.size(); i++) {
                if (i > 0 && Duration.between(known.get(i - 1).at(), known.get(i).at()).compareTo(PumpTimeline.HOLE) > 0) {
                    xb.add((x(known.get(i - 1).at()) + x(known.get(i).at())) / 2);
                    yb.add(Double.NaN);
                }
                xb.add(x(known.get(i).at()));
                yb.add((double) known.get(i).riskPercent().getAsLong());
            }
            Charts.line(c, "estimated level", xb.stream().mapToDouble(Double::doubleValue).toArray(), yb.stream().mapToDouble(Double::doubleValue).toArray(),
                    RISK);
        }
        for (String level : List.of("elevated", "high", "critical")) {
            List<Sample> at = known.stream().filter(x -> x.riskLevel().equals(level)).toList();
            if (!at.isEmpty()) {
                Charts.points(c, level, xs(at, Sample::at), at.stream().mapToDouble(x -> x.riskPercent().getAsLong()).toArray(),
                        PRIORITY.get(level.equals("elevated") ? "low" : level.equals("high") ? "medium" : "high"));
            }
        }
        return c;
    }

    private String worstRisk(List<Sample> s) {
        List<String> order = List.of("none", "elevated", "high", "critical");
        Sample worst = s.get(0);
        for (Sample x : s) {
            if (order.indexOf(x.riskLevel()) > order.indexOf(worst.riskLevel())) {
                worst = x;
            }
        }
        return worst.riskLevel().equals("none") ? "none" : worst.riskLevel() + ", first at " + when(worst.at());
    }

    private XYChart alarmChart(List<JournalEntry> alarms) {
        XYChart c = timeChart("Alarms raised and escalated", "priority (1 low, 2 medium, 3 high)", Styler.LegendPosition.OutsideE);
        c.getStyler().setYAxisMin(0.5).setYAxisMax(3.5).setYAxisDecimalPattern("0").setMarkerSize(9);
        for (String p : List.of("low", "medium", "high")) {
            List<JournalEntry> at = alarms.stream().filter(e -> (e.type().equals("alarm-raised") || e.type().equals("alarm-escalated"))
                    && text(e.details(), "priority").equals(p)).toList();
            if (!at.isEmpty()) {
                Charts.points(c, p, xs(at, JournalEntry::at), at.stream().mapToDouble(e -> PRIORITY_Y.get(p)).toArray(), PRIORITY.get(p));
            }
        }
        return c;
    }

    private static void table(StringBuilder b, List<JournalEntry> rows, List<String> heads,
            Function<JournalEntry, List<String>> cells) {
        if (rows.isEmpty()) {
            b.append("<p>None in this range.</p>\n");
            return;
        }
        b.append("<table><tr>");
        heads.forEach(h -> b.append("<th>").append(h).append("</th>"));
        b.append("</tr>\n");
        rows.stream().limit(MAX_ROWS).forEach(e -> {
            b.append("<tr>");
            cells.apply(e).forEach(v -> b.append("<td style=\"text-align:left\">").append(Html.escape(v)).append("</td>"));
            b.append("</tr>\n");
        });
        b.append("</table>\n");
        if (rows.size() > MAX_ROWS) {
            b.append("<p>... and ").append(rows.size() - MAX_ROWS).append(" more (a shorter range lists them).</p>\n");
        }
    }

    private <T> double[] xs(List<T> items, Function<T, Instant> at) {
        ToDoubleFunction<T> f = i -> x(at.apply(i));
        return items.stream().mapToDouble(f).toArray();
    }

    private double x(Instant at) {
        return Duration.between(from, at).toNanos() / unitNanos;
    }

    /** When the reservoir runs empty at the rate in force at {@code last}, which has an hours-to-empty. */
    private static Instant emptyAt(Sample last) {
        return last.at().plusSeconds((long) (last.hoursToEmpty().getAsDouble() * 3600));
    }

    private String when(Instant at) {
        return ReportText.local(at, zone);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    private static String row(String what, double mcg) {
        return "<tr><td style=\"text-align:left\">" + what + "</td><td>" + ReportText.fmt(mcg, 1) + "</td></tr>\n";
    }
}
