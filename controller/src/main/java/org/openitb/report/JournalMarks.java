package org.openitb.report;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.journal.JournalEntry;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Program;
import org.openitb.therapy.ProgramCodec;

/**
 * What a pump's journal tells a report that its samples, 5 minutes apart, cannot: when the
 * prescribed rate changed and to what, and when the daemon was down.
 */
public final class JournalMarks {

    /** No journal: rates change at the samples, and the pump's counts are read straight across every gap. */
    public static final JournalMarks NONE = new JournalMarks(List.of(), List.of());

    private static final Gson GSON = new Gson();

    /**
     * A change of the prescribed daily rate at {@code at}: a new program or a flex schedule's step.
     *
     * @param ngPerDay the rate after it (basal plus periodic boluses), ng/day, where the entry tells it
     */
    public record RateChange(Instant at, OptionalLong ngPerDay) {
    }

    /** The daemon down: from its last heartbeat to its restart, nothing delivered. */
    public record Outage(Instant from, Instant to) {
    }

    private final List<RateChange> rateChanges;
    private final List<Outage> outages;

    private JournalMarks(List<RateChange> rateChanges, List<Outage> outages) {
        this.rateChanges = List.copyOf(rateChanges);
        this.outages = List.copyOf(outages);
    }

    /** The marks in {@code journal} (oldest first), flex rates read at their wall time in {@code zone}. */
    public static JournalMarks of(List<JournalEntry> journal, ZoneId zone) {
        List<RateChange> changes = new ArrayList<>();
        List<Outage> outages = new ArrayList<>();
        Optional<Program> program = Optional.empty();
        for (JournalEntry e : journal) {
            switch (e.type()) {
                case "program-changed" -> {
                    program = program(e.details());
                    Instant at = e.at();
                    changes.add(new RateChange(at, program.map(p -> OptionalLong.of(perDay(p.basalRateAt(at.atZone(zone)), p)))
                            .orElse(OptionalLong.empty())));
                }
                case "rate-step" -> {
                    Optional<DailyRate> basal = rate(e.details());
                    changes.add(new RateChange(e.at(), program.isPresent() && basal.isPresent()
                            ? OptionalLong.of(perDay(basal.get(), program.get())) : OptionalLong.empty()));
                }
                case "controller-restarted" -> outage(e).ifPresent(outages::add);
                default -> {
                }
            }
        }
        changes.sort(Comparator.comparing(RateChange::at));
        return new JournalMarks(changes, outages);
    }

    /** The rate changes, in time order. */
    public List<RateChange> rateChanges() {
        return rateChanges;
    }

    /** The outages whose start the daemon could tell (a restart with a wall clock it believed). */
    public List<Outage> outages() {
        return outages;
    }

    private static long perDay(DailyRate basal, Program p) {
        return Math.addExact(basal.nanogramsPerDay(), p.periodicBolus().map(PeriodicBolus::perDay).map(DailyRate::nanogramsPerDay).orElse(0L));
    }

    private static Optional<Program> program(JsonObject details) {
        try {
            JsonElement p = details.get("program");
            return p != null && p.isJsonObject() ? Optional.of(ProgramCodec.fromMap(GSON.fromJson(p, Map.class))) : Optional.empty();
        } catch (IllegalArgumentException | JsonParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<DailyRate> rate(JsonObject details) {
        try {
            JsonElement r = details.get("rate");
            return r != null && r.isJsonPrimitive() ? Optional.of(DailyRate.parse(r.getAsString())) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A restart's outage: from the last heartbeat it found to the restart, when it believed its wall clock. */
    private static Optional<Outage> outage(JournalEntry e) {
        JsonElement known = e.details().get("gapKnown");
        JsonElement last = e.details().get("lastHeartbeat");
        if (known == null || !known.isJsonPrimitive() || !known.getAsBoolean() || last == null || !last.isJsonPrimitive()) {
            return Optional.empty();
        }
        try {
            Instant from = Instant.parse(last.getAsString());
            return from.isBefore(e.at()) ? Optional.of(new Outage(from, e.at())) : Optional.empty();
        } catch (DateTimeParseException ex) {
            return Optional.empty();
        }
    }
}
