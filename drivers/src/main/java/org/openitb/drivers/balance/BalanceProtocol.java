package org.openitb.drivers.balance;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serial protocols common lab balances speak: how to ask for a weight and how to read the
 * reply line (without its CR LF). A reply that is none of the protocol's forms is
 * {@link BalanceReading.Status#GARBAGE}, never a guess.
 */
public enum BalanceProtocol {

    /** Mettler Toledo MT-SICS level 0: {@code SI} asks for the weight now, {@code S S|D value unit} answers. */
    MT_SICS("SI\r\n") {
        @Override
        public BalanceReading parse(String line) {
            String t = line.strip();
            if (t.equals("ES") || t.equals("ET") || t.equals("EL")) {
                return BalanceReading.of(BalanceReading.Status.ERROR, line);
            }
            Matcher m = SICS.matcher(t);
            if (!m.matches()) {
                return BalanceReading.of(BalanceReading.Status.GARBAGE, line);
            }
            return switch (m.group(1)) {
                case "I" -> BalanceReading.of(BalanceReading.Status.BUSY, line);
                case "+" -> BalanceReading.of(BalanceReading.Status.OVERLOAD, line);
                case "-" -> BalanceReading.of(BalanceReading.Status.UNDERLOAD, line);
                default -> m.group(2) == null ? BalanceReading.of(BalanceReading.Status.GARBAGE, line)
                        : weight(m.group(2), m.group(3), m.group(1).equals("S"), line);
            };
        }

        @Override
        public String reply(BalanceReading.Status status, BigDecimal grams) {
            return switch (status) {
                case STABLE -> String.format(Locale.ROOT, "S S %10s g", grams.toPlainString());
                case UNSTABLE -> String.format(Locale.ROOT, "S D %10s g", grams.toPlainString());
                case OVERLOAD -> "S +";
                case UNDERLOAD -> "S -";
                case BUSY -> "S I";
                default -> "EL";
            };
        }
    },

    /** Sartorius SBI: {@code ESC P} prints; a line of sign, value and unit, with no unit while unstable; H, L, High, Low out of range. */
    SBI("\u001bP\r\n") {
        @Override
        public BalanceReading parse(String line) {
            // The 22-character form (20 without CR LF) puts a 6-character identifier (N, Stat...) before the 16-character one.
            String t = line.length() >= 20 && Character.isLetter(line.charAt(0)) ? line.substring(6) : line;
            String word = t.strip().toUpperCase(Locale.ROOT);
            if (word.equals("H") || word.equals("HH") || word.equals("HIGH")) {
                return BalanceReading.of(BalanceReading.Status.OVERLOAD, line);
            }
            if (word.equals("L") || word.equals("LL") || word.equals("LOW")) {
                return BalanceReading.of(BalanceReading.Status.UNDERLOAD, line);
            }
            if (word.contains("ERR")) {
                return BalanceReading.of(BalanceReading.Status.ERROR, line);
            }
            Matcher m = SIGNED.matcher(t.strip());
            if (!m.matches()) {
                return BalanceReading.of(BalanceReading.Status.GARBAGE, line);
            }
            boolean unit = m.group(3) != null;
            return weight(m.group(1) + m.group(2), unit ? m.group(3) : "g", unit && !t.strip().startsWith("?"), line);
        }

        @Override
        public String reply(BalanceReading.Status status, BigDecimal grams) {
            String sign = grams.signum() < 0 ? "-" : "+";
            return switch (status) {
                case STABLE -> String.format(Locale.ROOT, "%s %8s g  ", sign, grams.abs().toPlainString());
                case UNSTABLE -> String.format(Locale.ROOT, "%s %8s    ", sign, grams.abs().toPlainString());
                case OVERLOAD -> "    High      ";
                case UNDERLOAD -> "    Low       ";
                default -> "Err 54";
            };
        }
    },

    /**
     * A balance printing on its own, continuously or at stability (A&D {@code ST,+00123.45  g},
     * Ohaus {@code 12.73 g ?}, and plain {@code +12.73 g}): an {@code US} header, a {@code ?}
     * or a missing unit is unstable, {@code OL} is out of range.
     */
    CONTINUOUS(null) {
        @Override
        public BalanceReading parse(String line) {
            String t = line.strip();
            boolean unstable = false;
            Matcher header = HEADER.matcher(t);
            if (header.matches()) {
                switch (header.group(1)) {
                    case "OL" -> {
                        return BalanceReading.of(header.group(2).strip().startsWith("-") ? BalanceReading.Status.UNDERLOAD
                                : BalanceReading.Status.OVERLOAD, line);
                    }
                    case "EC" -> {
                        return BalanceReading.of(BalanceReading.Status.ERROR, line);
                    }
                    case "US" -> unstable = true;
                    default -> {
                        // ST and WT are weights; QT (a count) is not one.
                        if (header.group(1).equals("QT")) {
                            return BalanceReading.of(BalanceReading.Status.GARBAGE, line);
                        }
                    }
                }
                t = header.group(2).strip();
            }
            if (t.contains("?")) {
                unstable = true;
                t = t.replace("?", "").strip();
            }
            Matcher m = SIGNED.matcher(t);
            if (!m.matches()) {
                return BalanceReading.of(BalanceReading.Status.GARBAGE, line);
            }
            boolean unit = m.group(3) != null;
            return weight(m.group(1) + m.group(2), unit ? m.group(3) : "g", unit && !unstable, line);
        }

        /** In A&D's standard format: a header, then sign and value in nine characters, zero-padded. */
        @Override
        public String reply(BalanceReading.Status status, BigDecimal grams) {
            String value = (grams.signum() < 0 ? "-" : "+") + "0".repeat(Math.max(0, 8 - grams.abs().toPlainString().length()))
                    + grams.abs().toPlainString();
            return switch (status) {
                case STABLE -> "ST," + value + "  g";
                case UNSTABLE -> "US," + value + "  g";
                case OVERLOAD -> "OL,+9999999E+19";
                case UNDERLOAD -> "OL,-9999999E+19";
                default -> "EC,E11";
            };
        }
    };

    /** Longest reply line any of these protocols sends, characters; a longer one is garbage. */
    public static final int MAX_LINE = 64;

    private static final Pattern SICS = Pattern.compile("S ([SDI+-])(?:\\s+([+-]?\\s*\\d+(?:\\.\\d+)?)\\s+(\\S+))?");
    private static final Pattern SIGNED = Pattern.compile("\\??\\s*([+-]?)\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([a-zA-Z]{1,3})?");
    private static final Pattern HEADER = Pattern.compile("(ST|US|OL|QT|WT|EC),(?:[A-Z]{2},)?(.*)");

    private final String request;

    BalanceProtocol(String request) {
        this.request = request;
    }

    /** What to send to be given one weight; empty for a balance that prints on its own. */
    public Optional<byte[]> request() {
        return Optional.ofNullable(request).map(r -> r.getBytes(StandardCharsets.US_ASCII));
    }

    /** The reply {@code line}, without its terminator. */
    public abstract BalanceReading parse(String line);

    /**
     * The line (without terminator) this protocol's balance would send for {@code status} and, when
     * it weighs, {@code grams} at the scale it reads to: the simulated balance's voice.
     */
    public abstract String reply(BalanceReading.Status status, BigDecimal grams);

    /** A weight in {@code unit} (g, mg or kg), in grams exactly; another unit is garbage for a test in grams. */
    private static BalanceReading weight(String value, String unit, boolean stable, String line) {
        BigDecimal v = new BigDecimal(value.replace(" ", ""));
        BigDecimal grams = switch (unit) {
            case "g" -> v;
            case "mg" -> v.movePointLeft(3);
            case "kg" -> v.movePointRight(3);
            default -> null;
        };
        return grams == null ? BalanceReading.of(BalanceReading.Status.GARBAGE, line) : BalanceReading.weight(grams, stable, line);
    }
}
