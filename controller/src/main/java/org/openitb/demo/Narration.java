package org.openitb.demo;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.openitb.delivery.DeliveryStatus;

/**
 * How the demo speaks: numbered steps and lines of the story, and the pump's status on one line
 * that a terminal redraws in place (fitted to its width) and a pipe gets whole, once per step.
 */
final class Narration {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int DEFAULT_COLUMNS = 80;
    /** The terminal's width is asked again every this many redraws (a window resized meanwhile). */
    private static final int WIDTH_EVERY = 10;

    private final PrintWriter out;
    private final boolean terminal;
    private final ZoneId zone;
    private int step;
    private int columns;
    private int redraws;

    Narration(PrintWriter out, boolean terminal, ZoneId zone) {
        this.out = out;
        this.terminal = terminal;
        this.zone = zone;
        this.columns = terminal ? TerminalWidth.columns().orElse(DEFAULT_COLUMNS) : DEFAULT_COLUMNS;
    }

    /** The next numbered step of the story. */
    void narrate(String text) {
        step++;
        line(step + ". " + text);
    }

    /** A line of the story: on a terminal the status line is wiped first and the text wrapped at words to its width. */
    void line(String text) {
        if (terminal) {
            out.print("\r\033[K");
            TerminalWidth.wrap(text, columns).forEach(out::println);
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Redraws the status line in place, on a terminal only (a pipe gets it at {@link #show}). */
    void redraw(DeliveryStatus s) {
        if (terminal) {
            out.print("\r\033[K" + statusLine(s));
            out.flush();
        }
    }

    /** The status as a step ends: in place on a terminal, a line of its own in a pipe. */
    void show(DeliveryStatus s) {
        if (terminal) {
            out.print("\r\033[K" + statusLine(s));
        } else {
            out.println("  " + statusLine(s));
        }
        out.flush();
    }

    /** The last words: what went out, and what is left in the syringe. */
    void finish(DeliveryStatus s) {
        if (terminal) {
            out.println();
        }
        line("Demo done: " + s.counts().deliveredMicrosteps() + " microsteps, " + s.counts().deliveredDrug() + " delivered, "
                + s.supply().remaining().toDisplayString() + " left in the syringe.");
    }

    /**
     * The status in one line: on a terminal as much as fits its width (what matters most first), so
     * the line never wraps and its redraw stays on one row; in a pipe whole.
     */
    private String statusLine(DeliveryStatus s) {
        String what = s.running().mode().equals("none") ? "no program" : s.running().mode() + " " + s.running().basal();
        String delivered = BigDecimal.valueOf(s.counts().deliveredDrug().nanograms(), 3).setScale(1, RoundingMode.DOWN).toPlainString();
        List<String> parts = new ArrayList<>();
        parts.add("[" + TIME.format(s.at().atZone(zone)) + "] "
                + (s.running().haltReasons().isEmpty() ? s.running().state() : "HALTED: " + String.join(", ", s.running().haltReasons())));
        parts.add(what);
        s.running().bolus().ifPresent(parts::add);
        parts.add("reservoir " + s.supply().remaining().toDisplayString());
        parts.add("delivered " + delivered + "mcg (" + s.counts().deliveredMicrosteps() + " steps)");
        if (!terminal) {
            return String.join(" | ", parts);
        }
        if (redraws++ % WIDTH_EVERY == 0) {
            columns = TerminalWidth.columns().orElse(DEFAULT_COLUMNS);
        }
        return TerminalWidth.fit(parts, columns);
    }
}
