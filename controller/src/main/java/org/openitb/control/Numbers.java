package org.openitb.control;

/** Plain numbers in a request, each with its unit (which may be left off) and its bounds. */
public final class Numbers {

    private Numbers() {
    }

    /** {@code text} as a number of {@code unit} from {@code min} to {@code max}; else an error that says so. */
    public static double parse(String text, String unit, double min, double max) {
        String t = text.strip();
        t = t.endsWith(unit) ? t.substring(0, t.length() - unit.length()).strip() : t;
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a number of " + unit);
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(text + " is outside " + min + " to " + max + " " + unit);
        }
        return v;
    }
}
