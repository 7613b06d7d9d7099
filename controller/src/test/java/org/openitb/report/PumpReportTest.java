package org.openitb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openitb.journal.JournalEntry;
import org.openitb.store.Sample;

/** The page a bench user gets for a week, on the hand-made week: its figures, its four plots, its alarms and events. */
class PumpReportTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static JournalEntry alarm(long seq, String at, String type, String alarm, String priority, String message) {
        return alarm(seq, at, type, alarm, priority, message, "");
    }

    private static JournalEntry alarm(long seq, String at, String type, String alarm, String priority, String message, String risk) {
        JsonObject d = new JsonObject();
        if (!risk.isEmpty()) {
            d.addProperty("riskLevel", risk);
        }
        d.addProperty("id", "A" + seq);
        d.addProperty("alarm", alarm);
        d.addProperty("priority", priority);
        d.addProperty("message", message);
        return new JournalEntry(seq, Instant.parse(at), type, "pump", d);
    }

    private static List<JournalEntry> journal() {
        JsonObject suspended = new JsonObject();
        suspended.addProperty("for", "6h");
        JsonObject programmed = JsonParser.parseString("{\"program\": {\"mode\": \"flex\", \"steps\": [\"00:00=450mcg/day\", \"07:10=500mcg/day\"],"
                + " \"periodicBolus\": {}}, \"overridden\": [], \"note\": null}").getAsJsonObject();
        return List.of(
                new JournalEntry(0, Instant.parse("2026-03-01T00:00:00Z"), "program-changed", "clinician", programmed),
                new JournalEntry(1, Instant.parse("2026-03-03T10:00:00Z"), "suspended", "nurse <b>", suspended),
                alarm(2, "2026-03-03T10:00:00Z", "alarm-raised", "SUSPENDED_TOO_LONG", "low", "suspended"),
                alarm(3, "2026-03-03T15:30:00Z", "alarm-escalated", "SUSPENDED_TOO_LONG", "high", "the level falls <fast>", "high"),
                alarm(4, "2026-03-03T15:55:17.250Z", "alarm-escalated", "SUSPENDED_TOO_LONG", "high", "the level falls <fast>", "critical"),
                alarm(5, "2026-03-05T05:00:00Z", "alarm-raised", "CONTROLLER_RESTARTED", "medium", "down for 3h"));
    }

    /** The page of the samples and journal given for the range, as if nothing were recorded either side of it. */
    private static String page(String pumpId, Instant from, Instant to, ZoneId zone, List<Sample> samples, List<JournalEntry> journal) {
        return PumpReport.html(pumpId, from, to, zone, PumpTimeline.of(samples, from, to, Optional.empty(), Optional.empty(),
                JournalMarks.of(journal, zone)), journal);
    }

    private static List<BufferedImage> images(String page) throws Exception {
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(page);
        List<BufferedImage> out = new ArrayList<>();
        while (m.find()) {
            out.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
        }
        return out;
    }

    @Test
    void aWeekOnOnePage() throws Exception {
        String page = page("bench-01", HandMadeWeek.START, HandMadeWeek.END, UTC, HandMadeWeek.samples(), journal());
        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
        assertTrue(page.contains("<title>OpenITB bench-01: 2026-03-01 00:00 to 2026-03-08 00:00</title>"), page);
        assertTrue(page.contains("From 2026-03-01 00:00 to 2026-03-08 00:00 (UTC): 1982 samples"), "2017 five-minute marks less the 35 of the outage: " + page);
        assertTrue(page.contains("<td style=\"text-align:left\">the program asked for</td><td>3000.0</td>"), page);
        assertTrue(page.contains("<td style=\"text-align:left\">reached the patient</td><td>2850.0</td>"), page);
        assertTrue(page.contains("The patient got 150.0 mcg less than the program asked for (5.0 %)."), page);
        assertTrue(page.contains("<td>2026-03-05 02:00</td><td>2026-03-05 05:00</td><td>3 h 00 min</td>"), "the outage is listed: " + page);
        // 10.3 mL of 500 mcg/mL at 500 mcg/day: 247.2 h after the last sample.
        assertTrue(page.contains("10.300 mL were left: empty at about 2026-03-18 07:12 at the rate in force (247.2 h)"), page);
        assertTrue(page.contains("Worst: high, first at 2026-03-03 15:30."), page);
        List<BufferedImage> plots = images(page);
        assertEquals(4, plots.size(), "delivered, reservoir, risk, alarms");
        plots.forEach(p -> assertTrue(p.getWidth() == Charts.WIDTH && p.getHeight() == Charts.HEIGHT));
        assertTrue(page.contains("the level falls &lt;fast&gt;") && page.contains("nurse &lt;b&gt;"), "what the journal holds is escaped");
        assertFalse(page.contains("<fast>"));
        assertTrue(page.contains("<td style=\"text-align:left\">escalated</td>"), page);
        assertTrue(page.contains("2026-03-03 15:55:17<"), "a time with seconds is given to the second: " + page);
        // Details as words: a list as "a; b", nothing said of an empty list, object or null.
        assertTrue(page.contains(">program (mode flex, steps 00:00=450mcg/day; 07:10=500mcg/day)</td>"), page);
        // Two escalations at the same priority and message: the withdrawal risk says what rose.
        assertTrue(page.contains(">high</td><td style=\"text-align:left\">high</td><td style=\"text-align:left\">the level falls")
                && page.contains(">high</td><td style=\"text-align:left\">critical</td><td style=\"text-align:left\">the level falls"), page);
    }

    @Test
    void aDayReadsInHoursAndTimesInThePumpsZone() {
        Instant from = Instant.parse("2026-03-03T00:00:00Z");
        String page = page("bench-01", from, from.plusSeconds(86_400), ZoneId.of("Europe/Berlin"),
                HandMadeWeek.samples().stream().filter(s -> !s.at().isBefore(from) && !s.at().isAfter(from.plusSeconds(86_400))).toList(),
                List.of());
        assertTrue(page.contains("From 2026-03-03 01:00 to 2026-03-04 01:00 (Europe/Berlin): 289 samples"), page);
        // The day of the suspension: 400 mcg asked, 6 h of it missed.
        assertTrue(page.contains("The patient got 100.0 mcg less than the program asked for (25.0 %)."), page);
        assertTrue(page.contains("<h2>Alarms</h2>\n<p>None in this range.</p>"), page);
    }

    @Test
    void samplesWithoutAKnownTimeAreSaidToBeLeftOut() {
        List<Sample> week = new ArrayList<>(HandMadeWeek.samples());
        Sample x = week.remove(100);
        week.add(0, new Sample(Instant.parse("2025-01-01T00:00:00Z"), x.state(), x.deliveredNg(), x.patientNg(),
                x.prescribedNgPerDay(), x.concentrationNgPerMl(), x.reservoirPl(), x.hoursToEmpty(), x.riskLevel(), x.riskPercent(), false));
        String page = page("bench-01", HandMadeWeek.START, HandMadeWeek.END, UTC, week, List.of());
        assertTrue(page.contains("1 sample was taken while the wall clock was not set"), page);
        assertTrue(page.contains("<td>3000.0</td>") && page.contains("<td>2850.0</td>"), "the totals stand: " + page);
    }

    @Test
    void aRangeWithoutSamplesStillShowsItsJournal() throws Exception {
        String page = page("bench-01", HandMadeWeek.START, HandMadeWeek.END, UTC, List.of(), journal());
        assertTrue(page.contains("No sample in or around this range"), page);
        assertEquals(1, images(page).size(), "the alarms alone");
        assertTrue(page.contains("SUSPENDED_TOO_LONG"), page);
    }
}
