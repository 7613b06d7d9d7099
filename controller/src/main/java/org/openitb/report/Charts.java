package org.openitb.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Plots as PNG images embedded in a self-contained HTML page, drawn by XChart off screen. */
final class Charts {

    /** Width and height of every plot, px: readable on a laptop, small enough to mail. */
    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    /** Points per series beyond which a plot is thinned (a week at 30 s is 20 160 readings). */
    static final int MAX_POINTS = 5_000;

    private Charts() {
    }

    static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.InsideNE).setMarkerSize(4);
        return chart;
    }

    /** A line without markers; thinned evenly to {@link #MAX_POINTS}. */
    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, thin(x), thin(y));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setMarkerColor(color); // for a caller that turns markers on
        return s;
    }

    /** Points without a line. */
    static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, thin(x), thin(y));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        return s;
    }

    private static double[] thin(double[] v) {
        if (v.length <= MAX_POINTS) {
            return v;
        }
        double[] out = new double[MAX_POINTS];
        for (int i = 0; i < MAX_POINTS; i++) {
            out[i] = v[(int) ((long) i * (v.length - 1) / (MAX_POINTS - 1))];
        }
        return out;
    }

    /** The chart as an {@code <img>} whose PNG is in the page itself. */
    static String img(XYChart chart, String alt) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "<img alt=\"" + Html.escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
        } catch (IOException e) {
            throw new UncheckedIOException("drawing " + alt, e);
        }
    }

    /** The chart as PNG bytes (for a file of its own). */
    static byte[] png(XYChart chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
