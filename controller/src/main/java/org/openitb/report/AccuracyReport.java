package org.openitb.report;

import java.awt.Color;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.ReadingsCsv;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestPlan;
import org.openitb.accuracy.TestSetup;
import org.openitb.therapy.Durations;

/**
 * A gravimetric test as one self-contained HTML page: its figures with their uncertainties, the
 * start-up curve, the trumpet curve against its tolerance band, delivered against ideal, the raw
 * readings, and every read that gave no weight.
 */
public final class AccuracyReport {

    private static final double NANOS_PER_MINUTE = 60e9;
    private static final Color MEASURED = new Color(0x1f, 0x77, 0xb4);
    private static final Color IDEAL = new Color(0x55, 0x55, 0x55);
    private static final Color HIGH = new Color(0xd6, 0x27, 0x28);
    private static final Color LOW = new Color(0x2c, 0xa0, 0x2c);

    private AccuracyReport() {
    }

    /** The page for a test of {@code setup} read every delta t, that recorded {@code reads} and found {@code a}; {@code tolerancePercent} draws the band. */
    public static String html(String title, TestSetup setup, Analysis a, List<Recorded> reads, double tolerancePercent) {
        return html(title, setup, setup.sampleInterval(), a, reads, tolerancePercent, List.of());
    }

    /**
     * The page for a test of {@code setup} read every {@code readInterval}, that recorded
     * {@code reads} and found {@code a}; {@code tolerancePercent} draws the band, and {@code notes}
     * (what the figures do not say) come first.
     */
    public static String html(String title, TestSetup setup, Duration readInterval, Analysis a, List<Recorded> reads, double tolerancePercent,
            List<String> notes) {
        StringBuilder b = new StringBuilder();
        if (!notes.isEmpty()) {
            b.append("<div class=\"note\"><p><b>Read this before the figures:</b></p><ul>\n");
            notes.forEach(n -> b.append("<li>").append(Html.escape(n)).append("</li>\n"));
            b.append("</ul></div>\n");
        }
        b.append("<p>Programmed rate ").append(ReportText.fmt(setup.rateUlPerHour(), 3)).append(" uL/h; fluid density ").append(ReportText.fmt(setup.densityGPerMl(), 4))
                .append(" g/mL; read every ").append(Durations.format(readInterval)).append(", analysed at delta t ")
                .append(Durations.format(setup.sampleInterval())).append("; balance readability ")
                .append(ReportText.fmt(setup.resolutionG() * 1_000, 4)).append(" mg; evaporation added back ").append(ReportText.fmt(setup.evaporationMgPerHour(), 3))
                .append(" mg/h; analysis from ").append(Durations.format(setup.analysisFrom())).append(" to ")
                .append(Durations.format(setup.analysisTo())).append(".</p>\n");
        long faults = Recorded.faults(reads);
        b.append("<p>").append(reads.size()).append(" reads, ").append(faults).append(" without")
                .append(" a stable weight").append(faults == 0 ? "" : " (listed at the end)").append(".</p>\n");
        b.append("<h2>Overall rate error</h2>\n<p>").append(a.overall().map(e -> "A = " + signed(e.percent()) + " % &plusmn; "
                + ReportText.fmt(e.uncertaintyPercent(), 2) + " % over the analysis period").orElse("not measured: the analysis period holds fewer than"
                + " two stable readings")).append("</p>\n");
        b.append("<h2>Trumpet curve</h2>\n<table><tr><th>window</th><th>E<sub>p</sub>(max) %</th><th>E<sub>p</sub>(min) %</th>"
                + "<th>&plusmn; %</th><th>windows measured</th></tr>\n");
        for (Analysis.Window w : a.trumpet()) {
            b.append("<tr><td>").append(Durations.format(w.length())).append("</td><td>")
                    .append(w.max().map(e -> signed(e.percent())).orElse("-")).append("</td><td>")
                    .append(w.min().map(e -> signed(e.percent())).orElse("-")).append("</td><td>").append(ReportText.fmt(w.uncertaintyPercent(), 2))
                    .append("</td><td>").append(w.windows()).append(" of ").append(w.expected()).append("</td></tr>\n");
        }
        b.append("</table>\n");
        b.append(measured(a) ? Charts.img(trumpet(a, tolerancePercent), "trumpet curve")
                : "<p>No window was measured: the analysis period holds too few readings (a test stopped before its analysis period, or a"
                        + " balance silent through it). Analyse the record again with another period: accuracy analyse --from --to.</p>").append('\n');
        b.append("<h2>Start-up curve</h2>\n").append(Charts.img(startUp(a, setup), "start-up curve")).append('\n');
        b.append("<h2>Delivered against ideal</h2>\n").append(Charts.img(delivered(a, setup), "delivered against ideal")).append('\n');
        b.append("<h2>Readings</h2>\n").append(Charts.img(raw(reads), "raw readings")).append('\n');
        if (faults > 0) {
            b.append("<h2>Reads without a stable weight</h2>\n<table><tr><th>at</th><th>what</th><th>the balance said</th></tr>\n");
            reads.stream().filter(r -> !r.reading().stable()).forEach(r -> b.append("<tr class=\"fault\"><td>")
                    .append(TestPlan.clock(r.elapsedNanos())).append("</td><td>")
                    .append(r.reading().status().name().toLowerCase(Locale.ROOT)).append("</td><td>")
                    .append(Html.escape(ReadingsCsv.printable(r.reading().line())))
                    .append("</td></tr>\n"));
            b.append("</table>\n");
        }
        return Html.page(title, b.toString());
    }

    /** The trumpet curve as a PNG of its own, for a page or a README that shows one picture; none if no window was measured. */
    public static Optional<byte[]> trumpetPng(Analysis a, double tolerancePercent) throws IOException {
        return measured(a) ? Optional.of(Charts.png(trumpet(a, tolerancePercent))) : Optional.empty();
    }

    /** Whether any window was measured: a trumpet curve with no point is no picture. */
    private static boolean measured(Analysis a) {
        return a.trumpet().stream().anyMatch(w -> w.max().isPresent());
    }

    /** The trumpet curve alone: E_p(max) and E_p(min) against the window, the overall error and the band. */
    public static XYChart trumpet(Analysis a, double tolerancePercent) {
        List<Analysis.Window> measured = a.trumpet().stream().filter(w -> w.max().isPresent()).toList();
        double[] x = measured.stream().mapToDouble(w -> w.length().toNanos() / NANOS_PER_MINUTE).toArray();
        XYChart c = Charts.chart("Trumpet curve", "observation window (min)", "flow error (%)");
        Charts.line(c, "Ep(max)", x, measured.stream().mapToDouble(w -> w.max().orElseThrow().percent()).toArray(), HIGH)
                .setMarker(SeriesMarkers.CIRCLE);
        Charts.line(c, "Ep(min)", x, measured.stream().mapToDouble(w -> w.min().orElseThrow().percent()).toArray(), LOW)
                .setMarker(SeriesMarkers.CIRCLE);
        if (x.length > 0) {
            double[] ends = {x[0], x[x.length - 1]};
            a.overall().ifPresent(e -> Charts.line(c, "overall " + signed(e.percent()) + " %", ends, new double[] {e.percent(), e.percent()},
                    MEASURED));
            Charts.line(c, "tolerance +" + ReportText.fmt(tolerancePercent, 1) + " %", ends, new double[] {tolerancePercent, tolerancePercent}, IDEAL);
            Charts.line(c, "tolerance -" + ReportText.fmt(tolerancePercent, 1) + " %", ends, new double[] {-tolerancePercent, -tolerancePercent}, IDEAL);
        }
        return c;
    }

    private static XYChart startUp(Analysis a, TestSetup setup) {
        double[] x = minutes(a.flow());
        XYChart c = Charts.chart("Start-up curve", "time (min)", "flow (uL/h)");
        Charts.line(c, "flow between readings", x, a.flow().stream().mapToDouble(Analysis.Point::value).toArray(), MEASURED);
        if (x.length > 0) {
            Charts.line(c, "programmed " + ReportText.fmt(setup.rateUlPerHour(), 3) + " uL/h", new double[] {0, x[x.length - 1]},
                    new double[] {setup.rateUlPerHour(), setup.rateUlPerHour()}, IDEAL);
        }
        return c;
    }

    private static XYChart delivered(Analysis a, TestSetup setup) {
        double[] x = minutes(a.delivered());
        XYChart c = Charts.chart("Delivered against ideal", "time (min)", "volume (uL)");
        Charts.line(c, "delivered", x, a.delivered().stream().mapToDouble(Analysis.Point::value).toArray(), MEASURED);
        double[] ideal = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            ideal[i] = setup.rateUlPerHour() * x[i] / 60;
        }
        Charts.line(c, "ideal", x, ideal, IDEAL);
        return c;
    }

    private static XYChart raw(List<Recorded> reads) {
        List<Recorded> stable = reads.stream().filter(r -> r.reading().stable()).toList();
        XYChart c = Charts.chart("Balance readings", "time (min)", "mass (g)");
        if (!stable.isEmpty()) {
            Charts.points(c, "stable readings", stable.stream().mapToDouble(r -> r.elapsedNanos() / NANOS_PER_MINUTE).toArray(),
                    stable.stream().mapToDouble(r -> r.reading().grams().orElseThrow().doubleValue()).toArray(), MEASURED);
        }
        return c;
    }

    private static double[] minutes(List<Analysis.Point> points) {
        return points.stream().mapToDouble(p -> p.atNanos() / NANOS_PER_MINUTE).toArray();
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }
}
