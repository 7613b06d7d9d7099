package org.openitb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.openitb.journal.JournalEntry;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Dose;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.FlexSchedule;
import org.openitb.therapy.FlexStep;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.ProgramCodec;

/** What the report reads from a journal as the pump wrote it: rates after each change, and outages. */
class JournalMarksTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static JournalEntry entry(String at, String type, Map<String, ?> details) {
        return new JournalEntry(1, Instant.parse(at), type, "pump", new Gson().toJsonTree(details).getAsJsonObject());
    }

    @Test
    void aFlexProgramsRateIsItsBasalAtThePumpsWallTimePlusItsPeriodicBolusesAndAStepKeepsThem() {
        // 450 mcg/day from 00:00 and 500 from 07:10, Berlin time, with 50 mcg every 12 h (100 mcg/day).
        FlexProgram flex = new FlexProgram(new FlexSchedule(List.of(FlexStep.parse("00:00=450mcg/day"), FlexStep.parse("07:10=500mcg/day"))),
                Concentration.parse("500mcg/mL"), Optional.of(new PeriodicBolus(Dose.parse("50mcg"), Duration.ofHours(12), Duration.ofMinutes(10))));
        JournalMarks m = JournalMarks.of(List.of(
                // 06:30 UTC is 07:30 in Berlin (winter): past the 07:10 step.
                entry("2026-03-01T06:30:00Z", "program-changed", Map.of("program", ProgramCodec.toMap(flex), "overridden", List.of())),
                entry("2026-03-01T23:00:00Z", "rate-step", Map.of("rate", "450mcg/day", "wall", "2026-03-01T23:00:00Z")),
                entry("2026-03-02T01:00:00Z", "program-changed", Map.of("program", Map.of("mode", "orbital"))),
                entry("2026-03-02T02:00:00Z", "rate-step", Map.of("rate", "a lot"))), BERLIN);
        assertEquals(List.of(new JournalMarks.RateChange(Instant.parse("2026-03-01T06:30:00Z"), OptionalLong.of(600_000)),
                new JournalMarks.RateChange(Instant.parse("2026-03-01T23:00:00Z"), OptionalLong.of(550_000)),
                new JournalMarks.RateChange(Instant.parse("2026-03-02T01:00:00Z"), OptionalLong.empty()),
                new JournalMarks.RateChange(Instant.parse("2026-03-02T02:00:00Z"), OptionalLong.empty())), m.rateChanges(),
                "what cannot be read is a change whose rate the next sample tells");
    }

    @Test
    void anOutageIsARestartThatBelievedItsClock() {
        JournalMarks m = JournalMarks.of(List.of(
                entry("2026-03-05T12:30:00Z", "controller-restarted", Map.of("lastHeartbeat", "2026-03-05T02:30:00Z", "gapKnown", true)),
                entry("2026-03-06T12:30:00Z", "controller-restarted", Map.of("lastHeartbeat", "2026-03-06T02:30:00Z", "gapKnown", false)),
                entry("2026-03-07T12:30:00Z", "controller-restarted", Map.of("lastHeartbeat", "yesterday", "gapKnown", true)),
                new JournalEntry(2, Instant.parse("2026-03-08T12:30:00Z"), "controller-restarted", "pump", new JsonObject())), BERLIN);
        assertEquals(List.of(new JournalMarks.Outage(Instant.parse("2026-03-05T02:30:00Z"), Instant.parse("2026-03-05T12:30:00Z"))), m.outages());
    }
}
