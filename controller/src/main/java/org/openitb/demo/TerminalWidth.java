package org.openitb.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * How many columns the terminal the demo draws on has: {@code COLUMNS} when the shell exported it,
 * else what {@code stty size} reads from the controlling terminal. Empty when neither can tell (no
 * terminal, no stty): the caller then takes a width that fits any terminal.
 */
final class TerminalWidth {

    /** Narrower than this is not worth fitting a status line to: it is cut at this width instead. */
    static final int MIN_COLUMNS = 20;
    /** Wider than this is taken as this: a status line has nothing more to say. */
    static final int MAX_COLUMNS = 1_000;

    private TerminalWidth() {
    }

    static OptionalInt columns() {
        OptionalInt exported = parse(System.getenv("COLUMNS"));
        if (exported.isPresent()) {
            return exported;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readNBytes(64), StandardCharsets.US_ASCII).strip();
            stty.waitFor(); // "rows cols" is out: stty has ended or is about to
            String[] rowsCols = out.split("\\s+");
            return rowsCols.length == 2 ? parse(rowsCols[1]) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty(); // no controlling terminal, or no stty
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** A column count as text, if it is one this can use. */
    static OptionalInt parse(String text) {
        if (text == null || !text.strip().matches("[0-9]{1,6}")) {
            return OptionalInt.empty();
        }
        int n = Integer.parseInt(text.strip());
        return n < 1 ? OptionalInt.empty() : OptionalInt.of(Math.max(MIN_COLUMNS, Math.min(MAX_COLUMNS, n)));
    }

    /**
     * {@code text} broken at spaces into lines of at most {@code columns - 1} characters, the lines
     * after the first indented three spaces deeper than it: a terminal would otherwise break words.
     * A word longer than a line is cut.
     */
    static List<String> wrap(String text, int columns) {
        int room = Math.max(MIN_COLUMNS, columns) - 1;
        String indent = " ".repeat(text.length() - text.stripLeading().length() + 3);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(text.substring(0, text.length() - text.stripLeading().length()));
        for (String word : text.strip().split(" +")) {
            boolean fresh = line.toString().isBlank();
            if (!fresh && line.length() + 1 + word.length() > room) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
                fresh = true;
            }
            if (!fresh) {
                line.append(' ');
            }
            while (line.length() + word.length() > room) {
                int cut = room - line.length();
                lines.add(line + word.substring(0, cut));
                word = word.substring(cut);
                line = new StringBuilder(indent);
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * The parts of a status line, most important first, joined by {@code " | "} as far as they fit in
     * {@code columns - 1} characters (the last column left free, so a terminal never wraps the line):
     * a part that does not fit is left out, and the first is cut short rather than dropped.
     */
    static String fit(List<String> parts, int columns) {
        int room = Math.max(MIN_COLUMNS, columns) - 1;
        StringBuilder line = new StringBuilder();
        for (String part : parts) {
            if (line.isEmpty()) {
                line.append(part.length() <= room ? part : part.substring(0, room - 3) + "...");
            } else if (line.length() + 3 + part.length() <= room) {
                line.append(" | ").append(part);
            }
        }
        return line.toString();
    }
}
