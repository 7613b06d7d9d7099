package org.openitb.accuracy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openitb.drivers.balance.BalanceReading;

/**
 * A test's record as CSV, one read a line: {@code elapsed_s,status,grams,reply}. The reply is kept as
 * received, quoted, with bytes outside printable ASCII written {@code \xHH} (a balance talking
 * garbage is recorded as it talked). Read back to resume a test or to analyse it again.
 */
public final class ReadingsCsv {

    /** The header line. */
    public static final String HEADER = "elapsed_s,status,grams,reply";
    /** More lines than this is not a test record (a 7-day test at 1 s is 604 800). */
    static final int MAX_LINES = 1_000_000;

    private ReadingsCsv() {
    }

    /** The line for {@code r}, without terminator. */
    public static String line(Recorded r) {
        return BigDecimal.valueOf(r.elapsedNanos(), 9).setScale(3, RoundingMode.HALF_EVEN).toPlainString() + ","
                + r.reading().status().name() + "," + r.reading().grams().map(BigDecimal::toPlainString).orElse("") + ","
                + quote(r.reading().line());
    }

    /**
     * The reads in {@code lines} (the header first). A last line cut short (the pump stopped while
     * writing it) is left out; any other line that is not a read is an error naming it.
     */
    public static List<Recorded> parse(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException("not a test record: the first line must be " + HEADER);
        }
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("a test record of " + lines.size() + " lines is more than " + MAX_LINES);
        }
        List<Recorded> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            Optional<Recorded> r = read(lines.get(i));
            if (r.isPresent()) {
                out.add(r.get());
            } else if (i < lines.size() - 1) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a read: " + lines.get(i));
            }
        }
        return out;
    }

    private static Optional<Recorded> read(String line) {
        String[] f = line.split(",", 4);
        if (f.length < 4 || f[3].length() < 2 || !f[3].startsWith("\"") || !f[3].endsWith("\"")) {
            return Optional.empty();
        }
        try {
            long elapsed = new BigDecimal(f[0]).movePointRight(9).longValueExact();
            BalanceReading.Status status = BalanceReading.Status.valueOf(f[1]);
            Optional<BigDecimal> grams = f[2].isEmpty() ? Optional.empty() : Optional.of(new BigDecimal(f[2]));
            return Optional.of(new Recorded(elapsed, new BalanceReading(status, grams, unquote(f[3]))));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static String quote(String s) {
        return "\"" + printable(s).replace("\"", "\"\"") + "\"";
    }

    /**
     * What a balance said, safe to print: bytes outside printable ASCII written {@code \xHH} and
     * a backslash doubled, so garbage on the line never reaches a terminal or a page as itself.
     */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\') {
                b.append("\\\\");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xff));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String unquote(String q) {
        String s = q.substring(1, q.length() - 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                b.append('"');
                i++;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                b.append('\\');
                i++;
            } else if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
