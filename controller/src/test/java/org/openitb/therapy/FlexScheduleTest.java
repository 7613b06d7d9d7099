package org.openitb.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlexScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static FlexSchedule schedule(String... steps) {
        return new FlexSchedule(Arrays.stream(steps).map(FlexStep::parse).toList());
    }

    @Test
    void theRateIsTheLatestStepAtOrBeforeTheLocalTimeWrappingRoundTheWeek() {
        FlexSchedule s = schedule("06:00=350mcg/day", "20:00=500mcg/day");
        assertEquals(DailyRate.parse("500mcg/day"), s.rateAt(Instant.parse("2026-06-01T02:00:00Z").atZone(BERLIN)), "04:00: last night's step");
        assertEquals(DailyRate.parse("350mcg/day"), s.rateAt(Instant.parse("2026-06-01T04:00:00Z").atZone(BERLIN)), "06:00 on the dot");
        assertEquals(DailyRate.parse("500mcg/day"), s.rateAt(Instant.parse("2026-06-01T18:30:00Z").atZone(BERLIN)));
    }

    @Test
    void nextChangeFindsStepsAndSkipsStepsThatChangeNothing() {
        FlexSchedule s = schedule("06:00=350mcg/day", "12:00=350mcg/day", "20:00=500mcg/day");
        assertEquals(Optional.of(Instant.parse("2026-06-01T18:00:00Z")), s.nextChange(Instant.parse("2026-06-01T08:00:00Z"), BERLIN));
        assertEquals(Optional.empty(), schedule("00:00=400mcg/day").nextChange(Instant.parse("2026-06-01T08:00:00Z"), BERLIN));
    }

    @Test
    void aStepInTheSpringForwardGapTakesEffectWhenTheGapStarts() {
        FlexSchedule s = schedule("00:00=300mcg/day", "02:30=600mcg/day", "05:00=300mcg/day");
        // 2026-03-29 01:00 UTC: Berlin goes from 02:00 to 03:00; 02:30 never happens, 03:00 is past it.
        assertEquals(Optional.of(Instant.parse("2026-03-29T01:00:00Z")), s.nextChange(Instant.parse("2026-03-28T23:30:00Z"), BERLIN));
        assertEquals(DailyRate.parse("600mcg/day"), s.rateAt(Instant.parse("2026-03-29T01:00:00Z").atZone(BERLIN)));
    }

    @Test
    void fallingBackCanReturnToAnEarlierStep() {
        FlexSchedule s = schedule("00:00=300mcg/day", "02:30=600mcg/day", "05:00=300mcg/day");
        // 2026-10-25 01:00 UTC: Berlin goes back from 03:00 to 02:00, so from 02:30 (first time) the next
        // change is the fall back itself (02:00 again: the 00:00 step's rate), then 02:30 a second time.
        Instant firstHalfPast = Instant.parse("2026-10-25T00:30:00Z");
        assertEquals(DailyRate.parse("600mcg/day"), s.rateAt(firstHalfPast.atZone(BERLIN)));
        assertEquals(Optional.of(Instant.parse("2026-10-25T01:00:00Z")), s.nextChange(firstHalfPast, BERLIN));
        assertEquals(Optional.of(Instant.parse("2026-10-25T01:30:00Z")), s.nextChange(Instant.parse("2026-10-25T01:00:00Z"), BERLIN));
    }

    @Test
    void theBusiestDayIsWhatTheLimitsSee() {
        FlexSchedule s = schedule("00:00=400mcg/day", "sat@12:00=1000mcg/day", "sat@18:00=400mcg/day");
        // Saturday: 18 h at 400 and 6 h at 1000 = 550 mcg.
        assertEquals(DailyRate.parse("550mcg/day"), s.maxDailyDose());
        assertEquals(DailyRate.parse("1000mcg/day"), s.maxRate());
    }

    @Test
    void theHeaviest24HoursNeedNotStartAtMidnight() {
        // Saturday holds 18 h at 100 and 6 h at 1400 (425 mcg), Sunday the same; Saturday 18:00 to Sunday 18:00
        // holds the 12 h at 1400 and 12 h at 100: 750 mcg.
        FlexSchedule s = schedule("06:00=100mcg/day", "sat@18:00=1400mcg/day");
        assertEquals(DailyRate.parse("750mcg/day"), s.maxDailyDose());
    }

    @Test
    void mondayMorningRunsAtLastWeeksLastStep() {
        FlexSchedule s = schedule("06:00=200mcg/day", "sun@20:00=1000mcg/day");
        // Sunday 20:00 to Monday 20:00: 10 h at 1000 (into Monday morning), then 14 h at 200 = 533.333... mcg,
        // rounded up; Monday alone holds 400 and Sunday 333.
        assertEquals(DailyRate.parse("533.334mcg/day"), s.maxDailyDose());
        assertEquals(DailyRate.parse("1000mcg/day"), s.rateAt(Instant.parse("2026-11-23T05:59:00Z").atZone(ZoneId.of("UTC"))));
    }

    @Test
    void badStepsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FlexStep.parse("6:00=350mcg/day"));
        assertThrows(IllegalArgumentException.class, () -> FlexStep.parse("24:00=350mcg/day"));
        assertThrows(IllegalArgumentException.class, () -> FlexStep.parse("06:00=350"));
        assertThrows(IllegalArgumentException.class, () -> FlexStep.parse("xyz@06:00=350mcg/day"));
        assertThrows(IllegalArgumentException.class, () -> FlexStep.parse("06:00"));
        assertThrows(IllegalArgumentException.class, () -> new FlexSchedule(List.of()));
        assertThrows(IllegalArgumentException.class, () -> schedule("06:00=1mcg/day", "06:00=2mcg/day"));
        String[] many = new String[49];
        for (int i = 0; i < many.length; i++) {
            many[i] = String.format("%02d:%02d=1mcg/day", i / 2, (i % 2) * 30 + (i >= 48 ? 15 : 0));
        }
        assertThrows(IllegalArgumentException.class, () -> schedule(many));
        assertEquals("mon@06:00=350mcg/day", FlexStep.parse("MON@06:00=350mcg/day").toString());
    }
}
