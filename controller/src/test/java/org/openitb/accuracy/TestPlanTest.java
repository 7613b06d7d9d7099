package org.openitb.accuracy;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.openitb.drivers.balance.BalanceReading;

/** Which windows a test uses at which rate, what a starter may change, and the record analysed on its delta t. */
class TestPlanTest {

    /** 400 mcg/day of 500 mcg/mL: 0.8 mL/day, 33.333 uL/h. */
    private static final double ITB_UL_PER_HOUR = 800.0 / 24;

    private static TestPlan.Choices choices(Optional<Duration> length, Optional<List<Duration>> windows) {
        return new TestPlan.Choices(length, Optional.empty(), Optional.empty(), Optional.empty(), windows, 0.998, 0, Optional.empty());
    }

    @Test
    void anItbRateGetsTheStandardsTimesScaledByThirtyAndAPrimingLikeRateTheStandardsOwn() {
        TestPlan itb = TestPlan.of(ITB_UL_PER_HOUR, ofSeconds(30), 0.00001, TestPlan.Choices.DEFAULTS);
        assertEquals(TestPlan.Scheme.LOW_RATE, itb.scheme());
        assertEquals(ofHours(60), itb.length());
        assertEquals(ofMinutes(15), itb.setup().sampleInterval(), "0.5 min x 30");
        assertEquals(ofHours(30), itb.setup().analysisFrom(), "the second half, as the standard's second hour of two");
        assertEquals(ofHours(60), itb.setup().analysisTo());
        assertEquals(List.of(ofMinutes(30), ofMinutes(60), ofMinutes(150), ofMinutes(330), ofMinutes(570), ofMinutes(930)), itb.setup().windows(),
                "1, 2, 5, 11, 19 and 31 min, x 30");

        // 1500 mcg/day of 50 mcg/mL, the most the drug library lets a program push: 1.25 mL/h.
        TestPlan high = TestPlan.of(1_250, ofSeconds(30), 0.00001, TestPlan.Choices.DEFAULTS);
        assertEquals(TestPlan.Scheme.STANDARD, high.scheme());
        assertEquals(ofHours(2), high.length());
        assertEquals(ofSeconds(30), high.setup().sampleInterval());
        assertEquals(ofHours(1), high.setup().analysisFrom());
        assertEquals(List.of(ofMinutes(2), ofMinutes(5), ofMinutes(11), ofMinutes(19), ofMinutes(31)), high.setup().windows());
        assertEquals(5, high.tolerancePercent());
    }

    @Test
    void aShorterTestKeepsTheSchemesWindowsThatFitItsSecondHalf() {
        TestPlan p = TestPlan.of(ITB_UL_PER_HOUR, ofSeconds(30), 0.00001, choices(Optional.of(ofHours(2)), Optional.empty()));
        assertEquals(ofHours(1), p.setup().analysisFrom());
        assertEquals(List.of(ofMinutes(30), ofMinutes(60)), p.setup().windows(), "930 min does not fit in one hour");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> TestPlan.of(ITB_UL_PER_HOUR, ofSeconds(30), 0.00001, choices(Optional.of(ofMinutes(40)), Optional.empty())));
        assertTrue(none.getMessage().contains("give --windows"), none.getMessage());
    }

    @Test
    void aPlanThatCannotBeAnalysedIsRefusedBeforeItRuns() {
        assertThrows(IllegalArgumentException.class, () -> TestPlan.of(ITB_UL_PER_HOUR, ofSeconds(30), 0.00001,
                choices(Optional.of(Duration.ofDays(8)), Optional.empty())), "longer than a week");
        IllegalArgumentException dt = assertThrows(IllegalArgumentException.class, () -> TestPlan.of(1_250, ofSeconds(30), 0.00001,
                new TestPlan.Choices(Optional.empty(), Optional.of(ofSeconds(45)), Optional.empty(), Optional.empty(), Optional.of(List.of(ofSeconds(90))),
                        0.998, 0, Optional.empty())));
        assertTrue(dt.getMessage().contains("whole number of read intervals"), dt.getMessage());
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class, () -> TestPlan.of(1_250, ofSeconds(30), 0.00001,
                new TestPlan.Choices(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(ofHours(3)), Optional.empty(), 0.998, 0,
                        Optional.empty())));
        assertTrue(after.getMessage().contains("after the test"), after.getMessage());
    }

    @Test
    void aRecordReadEvery30sIsAnalysedOnItsDeltaTAndALateReadStillCounts() {
        // 60 uL/h of water is 1 mg a minute; read every 30 s, analysed at delta t 1 min over 0-4 min, windows of 2 min.
        TestPlan plan = TestPlan.of(60, ofSeconds(30), 0.00001, new TestPlan.Choices(Optional.of(ofMinutes(4)), Optional.of(ofMinutes(1)),
                Optional.of(Duration.ZERO), Optional.empty(), Optional.of(List.of(ofMinutes(2))), 1.0, 0, Optional.empty()));
        List<Recorded> reads = new ArrayList<>();
        // elapsed s, grams: a minute's reads 0.98 mg apart (2 % short), the one at 2 min 20 s late, the one at 3 min garbage.
        double[][] series = {{0, 10.00000}, {30, 10.00049}, {60, 10.00098}, {90, 10.00147}, {140, 10.00229}, {150, 10.00245}, {210, 10.00343},
            {240, 10.00392}};
        for (double[] s : series) {
            reads.add(new Recorded((long) (s[0] * 1e9), new BalanceReading(BalanceReading.Status.STABLE, Optional.of(BigDecimal.valueOf(s[1])), "S S " + s[1] + " g")));
        }
        reads.add(6, new Recorded(180_000_000_000L, new BalanceReading(BalanceReading.Status.GARBAGE, Optional.empty(), "\u00f8\u00fd")));
        Analysis a = plan.analyse(reads);
        // On the grid: 0, 60, 140 (for 120, 20 s late), none for 180 (garbage; 210 is a whole read interval late), 240.
        assertEquals(4, a.delivered().size(), a.delivered().toString());
        // Overall 0-240 s: 3.92 mg in 4 min against 4 mg: -2 %.
        assertEquals(-2.0, a.overall().orElseThrow().percent(), 1e-6);
        Analysis.Window two = a.trumpet().get(0);
        // Windows 0-2 min (ends on the late read: 2.29 mg in 140 s against 2.333 mg, -1.857 %) and 2-4 min (1.63 mg in 100 s
        // against 1.667 mg, -2.2 %); the one from 1 min ends on the garbage read: lost.
        assertEquals(2, two.windows());
        assertEquals(3, two.expected());
        assertEquals(100 * (2.29 / (140 / 60.0) - 1), two.max().orElseThrow().percent(), 1e-6);
        assertEquals(100 * (1.63 / (100 / 60.0) - 1), two.min().orElseThrow().percent(), 1e-6);
    }

    @Test
    void aHeaderComesBackAsItWasWritten() {
        TestPlan plan = TestPlan.of(ITB_UL_PER_HOUR, ofSeconds(30), 0.00001, choices(Optional.of(ofHours(2)), Optional.empty()));
        TestHeader h = new TestHeader("itb-400", Instant.parse("2026-12-04T10:00:00Z"), plan, 7).noting("at 1h: delivery suspended");
        Properties p = h.toProperties();
        assertEquals(h, TestHeader.fromProperties(p));
        assertEquals(h.endedAs("finished"), TestHeader.fromProperties(h.endedAs("finished").toProperties()));
        p.remove("delta-t");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> TestHeader.fromProperties(p));
        assertEquals("the test's header has no delta-t", missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TestHeader("../etc", Instant.EPOCH, plan, 1));
    }

    @Test
    void readsNeverMadeAndAVesselThatLostMassAreSaidBesideTheFigures() {
        TestPlan plan = TestPlan.of(60, ofSeconds(30), 0.00001, new TestPlan.Choices(Optional.of(ofMinutes(4)), Optional.of(ofSeconds(30)),
                Optional.of(Duration.ZERO), Optional.empty(), Optional.of(List.of(ofMinutes(1))), 1.0, 0, Optional.empty()));
        List<Recorded> reads = new ArrayList<>();
        // 0, 30, 60 s, then nothing until 180 s (90, 120 and 150 s never read), and at 210 s the vessel 0.5 g lighter.
        double[][] series = {{0, 10.0}, {30, 10.0005}, {60, 10.001}, {180, 10.003}, {210, 9.5035}, {240, 9.504}};
        for (double[] x : series) {
            reads.add(new Recorded((long) (x[0] * 1e9), new BalanceReading(BalanceReading.Status.STABLE, Optional.of(BigDecimal.valueOf(x[1])), "")));
        }
        List<String> findings = plan.findings(reads);
        assertEquals(2, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith("3 of the 9 reads due were never made"), findings.get(0));
        assertEquals("the vessel lost 0.49950 g between 0h03m00s and 0h03m30s: it was emptied, knocked or changed, and every window across that"
                + " is wrong", findings.get(1));
        assertEquals(List.of(), plan.findings(reads.subList(0, 3)), "three reads on time, the vessel filling: nothing to say");
    }
}
