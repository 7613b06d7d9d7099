package org.openitb.therapy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads "number with its unit attached" text into an exact integer count of a small base unit.
 * Plain decimals only: no sign, exponent, NaN or infinity, at most 12 digits each side of the
 * point; a value finer than the base unit is refused rather than rounded, never truncated.
 */
final class Quantity {

    private static final Pattern SHAPE = Pattern.compile("([0-9]+)(?:\\.([0-9]+))?\\s*([^0-9.\\s]\\S*)?");
    private static final Pattern EXPONENT = Pattern.compile("[eE][+-]?[0-9].*");
    private static final int MAX_DIGITS = 12;

    /** One accepted spelling of a unit, and how many base units one of it is. */
    record Unit(String spelling, long baseUnits) {
    }

    private Quantity() {
    }

    /**
     * @param text     what the user wrote, e.g. {@code 72.3nL}
     * @param what     what it is, for messages, e.g. {@code "a volume"}
     * @param example  a well-formed example, e.g. {@code "20mL"}
     * @param units    accepted units (matched without regard to case)
     * @param maxBase  the largest sane value in base units; more is absurd, not a quantity
     * @param baseName how the base unit is written in messages, e.g. {@code "0.001nL"}
     * @param wrongUnits units people might write by mistake (lower case), each with why it is refused
     */
    static long parse(String text, String what, String example, List<Unit> units, long maxBase, String baseName,
            Map<String, String> wrongUnits) {
        if (text == null || text.isBlank()) {
            throw new InvalidQuantityException("empty; expected " + what + " like " + example);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("-")) {
            throw new InvalidQuantityException("'" + trimmed + "' is negative; expected " + what + " like " + example);
        }
        Matcher m = SHAPE.matcher(trimmed);
        if (!m.matches()) {
            throw new InvalidQuantityException("'" + trimmed + "' is not " + what + "; expected a plain number with its unit, like " + example);
        }
        String unitText = m.group(3) == null ? "" : m.group(3);
        if (EXPONENT.matcher(unitText).matches()) {
            throw new InvalidQuantityException("'" + trimmed + "' is not " + what + "; write a plain number without an exponent, like " + example);
        }
        if (m.group(1).length() > MAX_DIGITS) {
            throw new InvalidQuantityException("'" + trimmed + "' is absurdly large for " + what);
        }
        if (m.group(2) != null && m.group(2).length() > MAX_DIGITS) {
            throw new InvalidQuantityException("'" + trimmed + "' is more precise than " + baseName + ", the finest step of " + what);
        }
        if (unitText.isEmpty()) {
            throw new InvalidQuantityException("'" + trimmed + "' has no unit; expected " + what + " like " + example);
        }
        Unit unit = units.stream().filter(u -> u.spelling().equalsIgnoreCase(unitText)).findFirst().orElse(null);
        if (unit == null) {
            String hint = wrongUnits.get(unitText.toLowerCase(Locale.ROOT));
            // A unit of something else is named as such ("is in mg"); a word that is no unit at all is not.
            String which = hint == null ? "': " + unitText + " is not a unit; " : "' is in " + unitText + "; ";
            throw new InvalidQuantityException("'" + trimmed + which + what + " is written in "
                    + spellings(units) + ", like " + example + (hint == null ? "" : " (" + hint + ")"));
        }
        BigDecimal number = new BigDecimal(m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2));
        BigDecimal base = number.multiply(BigDecimal.valueOf(unit.baseUnits()));
        BigInteger exact;
        try {
            exact = base.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new InvalidQuantityException("'" + trimmed + "' is more precise than " + baseName + ", the finest step of " + what);
        }
        if (exact.compareTo(BigInteger.valueOf(maxBase)) > 0) {
            throw new InvalidQuantityException("'" + trimmed + "' is absurdly large for " + what);
        }
        return exact.longValueExact();
    }

    /** {@code base} base units written in {@code unit} with no trailing zeros, e.g. 72.3. */
    static String format(long base, long baseUnitsPerUnit) {
        return BigDecimal.valueOf(base).divide(BigDecimal.valueOf(baseUnitsPerUnit)).stripTrailingZeros().toPlainString();
    }

    private static String spellings(List<Unit> units) {
        return units.stream().map(Unit::spelling).distinct().reduce((a, b) -> a + " or " + b).orElseThrow();
    }
}
