package org.openitb.cli;

import java.io.PrintWriter;
import java.util.List;

/** Two columns, now and after, with changed rows marked: how every therapy change is shown before it applies. */
final class SideBySide {

    private SideBySide() {
    }

    static void print(List<String> before, List<String> after, PrintWriter out) {
        int width = "now".length();
        for (String line : before) {
            width = Math.max(width, line.length());
        }
        out.println("    " + pad("now", width) + " | after");
        out.println("    " + "-".repeat(width) + "-+-" + "-".repeat(Math.max(5, after.stream().mapToInt(String::length).max().orElse(5))));
        int rows = Math.max(before.size(), after.size());
        for (int i = 0; i < rows; i++) {
            String left = i < before.size() ? before.get(i) : "";
            String right = i < after.size() ? after.get(i) : "";
            out.println((left.equals(right) ? "    " : "  * ") + pad(left, width) + " | " + right);
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
