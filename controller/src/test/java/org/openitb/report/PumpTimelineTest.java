package org.openitb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.Gson;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.openitb.journal.JournalEntry;
import org.openitb.store.Sample;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.ProgramCodec;

/** The report's arithmetic against a week whose figures were worked out by hand (HandMadeWeek). */
class PumpTimelineTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    /** Counts are whole ng: a figure in mcg is within 1 ng of the hand's. */
    private static final double NG = 0.001;

    @Test
    void aWeekWithASuspensionAndAnOutageFallsShortByExactlyWhatWasMissed() {
        PumpTimeline t = whole(HandMadeWeek.samples());
        int last = t.times().size() - 1;
        assertEquals(HandMadeWeek.PROGRAM_MCG, t.programMcg()[last], NG, "5 days at 400 and 2 at 500 mcg/day, the outage included");
        assertEquals(HandMadeWeek.PATIENT_MCG, t.patientMcg()[last], NG, "less 6 h suspended and 3 h down at 400 mcg/day");
        assertEquals(HandMadeWeek.PATIENT_MCG, t.pushedMcg()[last], NG, "the priming was before the first sample: not in the range");
        assertEquals(-150, t.shortfallMcg(), NG);
        assertEquals(-5.0, t.shortfallPercent(), 1e-6);
        assertEquals(List.of(new PumpTimeline.Hole(HandMadeWeek.DOWN_FROM, HandMadeWeek.DOWN_TO)), t.holes());
        assertEquals(0, t.resets());
        assertEquals(HandMadeWeek.END, t.times().get(last));
    }

    @Test
    void halfWayThroughTheSuspensionThePatientIsBehindByThreeHours() {
        List<Sample> s = HandMadeWeek.samples();
        // Tuesday 13:00: 2 days and 13 h of program, 3 h of it suspended: 400 x (61 - 3) / 24 mcg.
        int i = indexOf(s, Instant.parse("2026-03-03T13:00:00Z"));
        PumpTimeline t = whole(s);
        assertEquals(400.0 * 61 / 24, t.programMcg()[i], NG);
        assertEquals(400.0 * 58 / 24, t.patientMcg()[i], NG);
    }

    @Test
    void samplesTakenBeforeTheClockWasSetAreLeftOutAndTheTotalsStand() {
        List<Sample> placed = new ArrayList<>();
        List<Sample> stale = new ArrayList<>();
        Instant from = Instant.parse("2026-03-05T06:00:00Z");
        Instant to = Instant.parse("2026-03-05T08:00:00Z");
        for (Sample x : HandMadeWeek.samples()) {
            if (x.at().isBefore(from) || x.at().isAfter(to)) {
                placed.add(x);
            } else {
                // A Pi booted without its time source: the kernel says so, and the clock reads a year behind.
                stale.add(new Sample(x.at().minus(Duration.ofDays(365)), x.state(), x.deliveredNg(), x.patientNg(),
                        x.prescribedNgPerDay(), x.concentrationNgPerMl(), x.reservoirPl(), x.hoursToEmpty(), x.riskLevel(), x.riskPercent(), false));
            }
        }
        List<Sample> read = new ArrayList<>(stale); // sorted by time, they come first
        read.addAll(placed);
        PumpTimeline t = whole(read);
        assertEquals(25, t.unplaced());
        assertEquals(placed, t.samples());
        int last = t.times().size() - 1;
        assertEquals(HandMadeWeek.PROGRAM_MCG, t.programMcg()[last], NG);
        assertEquals(HandMadeWeek.PATIENT_MCG, t.patientMcg()[last], NG);
        assertEquals(new PumpTimeline.Hole(from.minusSeconds(300), to.plusSeconds(300)), t.holes().get(1));
    }

    /** The timeline of samples that are their own range: from the first whose time is known to the last. */
    static PumpTimeline whole(List<Sample> all) {
        List<Sample> placed = all.stream().filter(Sample::clockSet).toList();
        Instant from = placed.isEmpty() ? Instant.EPOCH : placed.get(0).at();
        Instant to = placed.isEmpty() ? Instant.EPOCH : placed.get(placed.size() - 1).at();
        return PumpTimeline.of(all, from, to, Optional.empty(), Optional.empty(), JournalMarks.NONE);
    }

    /** The range [from, to] of the hand-made week as the report reads it: the samples in it, and the ones either side. */
    private static PumpTimeline range(String from, String to) {
        Instant a = Instant.parse(from);
        Instant b = Instant.parse(to);
        List<Sample> s = HandMadeWeek.samples();
        return range(s, a, b, JournalMarks.NONE);
    }

    private static double last(double[] v) {
        return v[v.length - 1];
    }

    @Test
    void aRangeThatEndsWhileTheDaemonIsDownCountsTheProgramToItsEnd() {
        // Thursday 00:00-04:00: the daemon went down at 02:00; the program asked for 4 h, the patient got 2 h.
        PumpTimeline t = range("2026-03-05T00:00:00Z", "2026-03-05T04:00:00Z");
        assertEquals(400.0 * 4 / 24, last(t.programMcg()), NG);
        assertEquals(400.0 * 2 / 24, last(t.patientMcg()), NG);
        assertEquals(List.of(new PumpTimeline.Hole(HandMadeWeek.DOWN_FROM, HandMadeWeek.DOWN_TO)), t.holes(), "the outage, reaching beyond the end");
    }

    @Test
    void aRangeInsideAnOutageIsAllMissed() {
        // Thursday 02:30-04:30: no sample inside; the program ran, nothing was delivered.
        PumpTimeline t = range("2026-03-05T02:30:00Z", "2026-03-05T04:30:00Z");
        assertEquals(List.of(), t.samples());
        assertEquals(400.0 * 2 / 24, last(t.programMcg()), NG);
        assertEquals(0, last(t.patientMcg()), NG);
        assertEquals(-100.0, t.shortfallPercent(), 1e-9);
    }

    @Test
    void aRangeBetweenSamplesStartsAndEndsOnItsOwnTimes() {
        // Tuesday 12:02:30 (mid-suspension, between two samples) to Wednesday 00:02:30: 12 h asked, 3 h 57.5 min of it suspended.
        PumpTimeline t = range("2026-03-03T12:02:30Z", "2026-03-04T00:02:30Z");
        assertEquals(200, last(t.programMcg()), NG);
        assertEquals(400.0 * (12 - (3 + 57.5 / 60)) / 24, last(t.patientMcg()), 0.01);
        assertEquals(Instant.parse("2026-03-03T12:02:30Z"), t.times().get(0));
    }

    /** A journal entry of {@code type} at {@code at} with {@code details}. */
    private static JournalEntry entry(Instant at, String type, Map<String, ?> details) {
        return new JournalEntry(1, at, type, "cli", new Gson().toJsonTree(details).getAsJsonObject());
    }

    private static JournalEntry programmed(Instant at, String rate) {
        return entry(at, "program-changed", Map.of("program", ProgramCodec.toMap(new ContinuousProgram(DailyRate.parse(rate), C500)),
                "overridden", List.of()));
    }

    private static Sample at(Instant t, long patientNg, long ratePerDayNg) {
        return new Sample(t, "delivering", patientNg, patientNg, ratePerDayNg, OptionalLong.of(500_000), 1, OptionalDouble.empty(), "none",
                OptionalLong.empty(), true);
    }

    @Test
    void aChangeOfProgramCountsFromItsTimeInTheJournalNotFromTheSampleAfterIt() {
        // 480 mcg/day (1/3 mcg a minute) programmed at 00:01, between the samples of 00:00 (nothing prescribed) and 00:05.
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        Instant programmed = t0.plusSeconds(60);
        List<Sample> s = new ArrayList<>();
        for (int k = 0; k <= 24; k++) {
            s.add(at(t0.plusSeconds(300L * k), k == 0 ? 0 : (5L * k - 1) * 1000 / 3, k == 0 ? 0 : 480_000));
        }
        JournalMarks marks = JournalMarks.of(List.of(programmed(programmed, "480mcg/day"), entry(programmed, "suspended", Map.of())), UTC);
        // The hour from the change: 20 mcg asked, by hand. Counted from the next sample it would be 4 minutes (1.3 mcg) short.
        Instant end = programmed.plusSeconds(3600);
        PumpTimeline t = PumpTimeline.of(s.subList(1, 13), programmed, end, Optional.of(s.get(0)), Optional.of(s.get(13)), marks);
        assertEquals(20, last(t.programMcg()), NG);
        // The patient's count at 00:01 is read on the line from 00:00 to 00:05 (0.27 mcg, where it was 0): that much short.
        assertEquals(20 - 4.0 / 3 / 5, last(t.patientMcg()), NG);
        // The same hour read from a range that starts a minute after the change (the journal read from the sample before it).
        PumpTimeline later = PumpTimeline.of(s.subList(1, 13), programmed.plusSeconds(60), end.plusSeconds(60), Optional.of(s.get(0)),
                Optional.of(s.get(13)), marks);
        assertEquals(20, last(later.programMcg()), NG);
        // Without the journal the change counts from 00:05.
        assertEquals(20 - 4.0 / 3, last(PumpTimeline.of(s.subList(1, 13), programmed, end, Optional.of(s.get(0)), Optional.of(s.get(13)),
                JournalMarks.NONE).programMcg()), NG);
    }

    @Test
    void twoChangesBetweenTheSameSamplesEachCountAtTheirOwnRate() {
        // 400 mcg/day; 560 at 00:01, corrected to 390 at 00:03; samples at 00:00 (400) and 00:05 (390).
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        List<Sample> s = List.of(at(t0, 0, 400_000), at(t0.plusSeconds(300), 1_597, 390_000), at(t0.plusSeconds(600), 2_951, 390_000));
        JournalMarks marks = JournalMarks.of(List.of(programmed(t0.plusSeconds(60), "560mcg/day"), programmed(t0.plusSeconds(180), "390mcg/day")),
                UTC);
        PumpTimeline t = PumpTimeline.of(s, t0, t0.plusSeconds(600), Optional.empty(), Optional.empty(), marks);
        // By hand: (400 x 1 + 560 x 2 + 390 x 2 + 390 x 5) mcg-minutes over 1440 minutes a day.
        assertEquals((400.0 + 1120 + 780 + 1950) / 1440, last(t.programMcg()), NG);
        // A range inside the 560: 1 minute of it.
        PumpTimeline inside = PumpTimeline.of(List.of(), t0.plusSeconds(90), t0.plusSeconds(150), Optional.of(s.get(0)), Optional.of(s.get(1)), marks);
        assertEquals(560.0 / 1440, last(inside.programMcg()), NG);
    }

    @Test
    void anOutageTheJournalTellsDeliversNothingAndTheCountsAreReadOverTheTimeTheDaemonRan() {
        // 480 mcg/day (1/3 mcg a minute) from 02:00; the daemon's last heartbeat at 02:30, its restart at 12:30.
        Instant two = Instant.parse("2026-03-05T02:00:00Z");
        Instant down = two.plusSeconds(1800);
        Instant up = two.plusSeconds(10 * 3600 + 1800);
        List<Sample> s = new ArrayList<>();
        for (Instant t = two; !t.isAfter(two.plusSeconds(11 * 3600)); t = t.plusSeconds(300)) {
            boolean running = t.isBefore(down) || t.isAfter(up);
            if (running) {
                long minutes = Duration.between(two, t).toMinutes() - (t.isAfter(up) ? 600 : 0);
                s.add(at(t, minutes * 1000 / 3, 480_000));
            }
        }
        JournalMarks marks = JournalMarks.of(List.of(entry(up, "controller-restarted", Map.of("lastHeartbeat", down.toString(), "gapKnown", true))),
                UTC);
        // 02:00-08:00 ends in the outage: what was delivered before it, 30 minutes, 10 mcg.
        assertEquals(10, last(range(s, two, two.plusSeconds(6 * 3600), marks).patientMcg()), NG);
        // 12:20-12:40 starts in it: the 10 minutes from the restart, 3.3 mcg.
        assertEquals(10.0 / 3, last(range(s, two.plusSeconds(620 * 60), two.plusSeconds(640 * 60), marks).patientMcg()), NG);
        // Without the journal, the 10 minutes delivered either side of the 10 h 10 min without samples are spread across it.
        assertEquals(8 + 1 / 3.0 + 10.0 / 3 * 335 / 610, last(range(s, two, two.plusSeconds(6 * 3600), JournalMarks.NONE).patientMcg()), NG);
    }

    /** The range [from, to] of samples {@code s}, with the ones either side. */
    private static PumpTimeline range(List<Sample> s, Instant a, Instant b, JournalMarks marks) {
        List<Sample> in = s.stream().filter(x -> !x.at().isBefore(a) && !x.at().isAfter(b)).toList();
        Optional<Sample> before = s.stream().filter(x -> x.at().isBefore(a)).reduce((x, y) -> y);
        Optional<Sample> after = s.stream().filter(x -> x.at().isAfter(b)).findFirst();
        return PumpTimeline.of(in, a, b, before, after, marks);
    }

    @Test
    void aPumpThatLostItsMemoryIsCountedOnFromItsNewCount() {
        List<Sample> s = new ArrayList<>(HandMadeWeek.samples().subList(0, 289)); // the first day
        Sample end = s.get(288);
        // It comes back with its counters at zero an hour later, and delivers another 5 mcg.
        s.add(new Sample(end.at().plusSeconds(3600), "delivering", 0, 0, 400_000, OptionalLong.of(500_000), 1, OptionalDouble.empty(), "none",
                OptionalLong.empty(), true));
        s.add(new Sample(end.at().plusSeconds(3900), "delivering", 5_000, 5_000, 400_000, OptionalLong.of(500_000), 1, OptionalDouble.empty(),
                "none", OptionalLong.empty(), true));
        PumpTimeline t = whole(s);
        assertEquals(1, t.resets());
        assertEquals(400 + 5, t.patientMcg()[s.size() - 1], NG);
        assertEquals(400 + 400.0 * 65 / 60 / 24, t.programMcg()[s.size() - 1], NG);
        assertEquals(1, t.holes().size(), "the hour it was gone");
    }

    @Test
    void samplesOutOfOrderAreRefusedAndNoneIsNothing() {
        List<Sample> s = new ArrayList<>(HandMadeWeek.samples().subList(0, 3));
        s.add(s.get(0));
        assertThrows(IllegalArgumentException.class, () -> whole(s));
        assertEquals(0, whole(List.of()).shortfallMcg());
        assertEquals(Double.NaN, whole(List.of()).shortfallPercent());
    }

    private static int indexOf(List<Sample> s, Instant at) {
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).at().equals(at)) {
                return i;
            }
        }
        throw new AssertionError("no sample at " + at);
    }
}
