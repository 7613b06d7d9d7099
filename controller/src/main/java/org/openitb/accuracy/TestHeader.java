package org.openitb.accuracy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.openitb.therapy.Durations;

/**
 * What a test's record needs beside its readings to be resumed or analysed again: its name, when
 * it started on the pump's wall clock, its plan, the program revision it measured, and how it
 * ended once it has. Kept as a properties file beside the record.
 *
 * @param name      the test's name: its files' names
 * @param startedAt when the test started (the pump's wall clock): a resumed test counts from here
 * @param plan      what it reads and how it is analysed
 * @param revision  the therapy revision whose rate it measures
 * @param ended     how it ended (finished, stopped by whom), empty while it runs
 * @param notes     what happened during it that its figures do not say (delivery suspended, the daemon down), at most {@link #MAX_NOTES}
 */
public record TestHeader(String name, Instant startedAt, TestPlan plan, long revision, Optional<String> ended, List<String> notes) {

    /** Notes kept at most; the last says that more were left out. */
    public static final int MAX_NOTES = 20;

    /** A test's name: what its files are called. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public TestHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(ended, "ended");
        notes = List.copyOf(notes);
        if (notes.size() > MAX_NOTES) {
            throw new IllegalArgumentException("at most " + MAX_NOTES + " notes on a test, not " + notes.size());
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a test's name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit: \""
                    + (name.length() > 64 ? name.substring(0, 64) + "..." : name) + "\"");
        }
    }

    /** A test started now, with nothing to note yet. */
    public TestHeader(String name, Instant startedAt, TestPlan plan, long revision) {
        this(name, startedAt, plan, revision, Optional.empty(), List.of());
    }

    /** This test, ended as {@code how}. */
    public TestHeader endedAs(String how) {
        return new TestHeader(name, startedAt, plan, revision, Optional.of(how), notes);
    }

    /** This test with {@code note} added; past {@link #MAX_NOTES} the last one says more were left out. */
    public TestHeader noting(String note) {
        if (notes.size() >= MAX_NOTES) {
            return this;
        }
        List<String> more = new ArrayList<>(notes);
        more.add(more.size() == MAX_NOTES - 1 ? "more happened than is noted here: see the journal" : note);
        return new TestHeader(name, startedAt, plan, revision, ended, more);
    }

    /** The header as properties. */
    public Properties toProperties() {
        TestSetup s = plan.setup();
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("started", startedAt.toString());
        p.setProperty("revision", Long.toString(revision));
        p.setProperty("rate.ul-per-h", Double.toString(plan.rateUlPerHour()));
        p.setProperty("read-interval", Durations.format(plan.readInterval()));
        p.setProperty("length", Durations.format(plan.length()));
        p.setProperty("scheme", plan.scheme().name());
        p.setProperty("delta-t", Durations.format(s.sampleInterval()));
        p.setProperty("analysis.from", Durations.format(s.analysisFrom()));
        p.setProperty("analysis.to", Durations.format(s.analysisTo()));
        p.setProperty("windows", String.join(",", s.windows().stream().map(Durations::format).toList()));
        p.setProperty("density.g-per-ml", Double.toString(s.densityGPerMl()));
        p.setProperty("evaporation.mg-per-h", Double.toString(s.evaporationMgPerHour()));
        p.setProperty("readability.g", Double.toString(s.resolutionG()));
        p.setProperty("tolerance.percent", Double.toString(plan.tolerancePercent()));
        ended.ifPresent(e -> p.setProperty("ended", e));
        for (int i = 0; i < notes.size(); i++) {
            p.setProperty("note." + (i + 1), notes.get(i));
        }
        return p;
    }

    /** A header read back; anything missing or out of bounds is an error naming it. */
    public static TestHeader fromProperties(Properties p) {
        try {
            List<Duration> windows = new ArrayList<>();
            for (String w : get(p, "windows").split(",", -1)) {
                windows.add(Durations.parse(w.strip()));
            }
            double rate = Double.parseDouble(get(p, "rate.ul-per-h"));
            TestSetup setup = new TestSetup(rate, Double.parseDouble(get(p, "density.g-per-ml")), Durations.parse(get(p, "delta-t")),
                    Double.parseDouble(get(p, "evaporation.mg-per-h")), Double.parseDouble(get(p, "readability.g")),
                    Durations.parse(get(p, "analysis.from")), Durations.parse(get(p, "analysis.to")), windows);
            TestPlan plan = new TestPlan(rate, Durations.parse(get(p, "read-interval")), Durations.parse(get(p, "length")),
                    TestPlan.Scheme.valueOf(get(p, "scheme")), setup, Double.parseDouble(get(p, "tolerance.percent")));
            List<String> notes = new ArrayList<>();
            for (int i = 1; i <= MAX_NOTES && p.getProperty("note." + i) != null; i++) {
                notes.add(p.getProperty("note." + i));
            }
            return new TestHeader(get(p, "name"), Instant.parse(get(p, "started")), plan, Long.parseLong(get(p, "revision")),
                    Optional.ofNullable(p.getProperty("ended")), notes);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("started: not an instant: " + e.getParsedString(), e);
        }
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("the test's header has no " + key);
        }
        return v;
    }
}
