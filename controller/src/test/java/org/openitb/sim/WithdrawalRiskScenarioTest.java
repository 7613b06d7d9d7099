package org.openitb.sim;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmType;
import org.openitb.alarm.RiskEstimate;
import org.openitb.alarm.RiskLevel;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PropertiesFile;
import org.openitb.config.ProjectFiles;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyCommand;

/**
 * The withdrawal-risk estimate against figures worked by hand from the one-compartment model
 * (a full stop falls as 2^(-t/half-life): elevated below 90 %, high below 75 %, critical below
 * 50 %), and the alarms that must carry it.
 */
class WithdrawalRiskScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    /** Minutes from now until the estimate first reaches {@code level}, looking minute by minute up to {@code limit}. */
    private static long minutesUntil(Bench bench, RiskLevel level, Duration limit) {
        for (long minute = 1; minute <= limit.toMinutes(); minute++) {
            bench.run(ofMinutes(1));
            if (bench.risk().map(RiskEstimate::level).orElse(RiskLevel.NONE).compareTo(level) >= 0) {
                return minute;
            }
        }
        throw new AssertionError("the estimate did not reach " + level + " within " + limit + ": " + bench.risk());
    }

    /**
     * The one-compartment model worked independently, second by second from its definition: two
     * amounts, A' = input - k*A, one fed with the prescription (100 mcg/day, and 50 mcg over 10 min
     * every 2 h from the start), one with the same until {@code stopMinutes} and nothing after; both
     * start at the smooth steady state (700 mcg/day over k), as the pump assumes. Returns the first
     * minute after the stop at which their ratio is below {@code fraction}.
     */
    private static long modelMinutesBelow(double fraction, long stopMinutes, double halfLifeHours) {
        double k = Math.log(2) / (halfLifeHours * 3600);
        double steady = 700.0 / 86_400 / k;
        double reference = steady;
        double actual = steady;
        double decay = Math.exp(-k);
        double gain = (1 - decay) / k;
        for (long second = 0; second < (stopMinutes + 24 * 60) * 60; second++) {
            double input = 100.0 / 86_400 + (second >= 7_200 && second % 7_200 < 600 ? 50.0 / 600 : 0);
            reference = reference * decay + input * gain;
            actual = actual * decay + (second < stopMinutes * 60 ? input * gain : 0);
            if (second >= stopMinutes * 60 && second % 60 == 59 && actual / reference < fraction) {
                return (second + 1) / 60 - stopMinutes;
            }
        }
        throw new AssertionError("never below " + fraction);
    }

    @Test
    void theReferenceIsTheWholePrescriptionPeriodicBolusesIncluded() {
        // 100 mcg/day basal and 50 mcg every 2 h: 700 mcg/day prescribed, six sevenths of it as boluses. At the
        // issue's 4 h half-life, measured against the basal alone, an occlusion was elevated after 10 h 49 min and
        // critical after 14 h; against the whole prescription, elevated as soon as a bolus is missed (50 min after
        // the last one ended, here) and critical in about 4 h, as the independent model above says.
        var config = Bench.shippedConfig(Map.of("sensors.poll-interval", "250ms", "risk.half-life", "4h"));
        try (Bench bench = new Bench(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"), config)) {
            bench.refill("20mL", C500);
            bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("100mcg/day"), C500,
                    Optional.of(new PeriodicBolus(Dose.parse("50mcg"), ofHours(2), ofMinutes(10))))));
            for (int hour = 0; hour < 25; hour++) {
                bench.run(ofHours(1));
                assertEquals(RiskLevel.NONE, bench.risk().orElseThrow().level(), "delivering as prescribed, hour " + hour + ": " + bench.risk());
            }
            assertEquals(DailyRate.parse("700mcg/day"), bench.status().running().prescribedPerDay());
            bench.plant.occlude(true); // at 25 h: the 24 h bolus ended 50 min ago, the next is due in an hour
            long elevated = minutesUntil(bench, RiskLevel.ELEVATED, ofHours(12));
            long critical = elevated + minutesUntil(bench, RiskLevel.CRITICAL, ofHours(12));
            long modelElevated = modelMinutesBelow(0.9, 25 * 60, 4);
            long modelCritical = modelMinutesBelow(0.5, 25 * 60, 4);
            assertTrue(modelElevated < 90 && modelCritical < 5 * 60, "the model: " + modelElevated + " and " + modelCritical + " min");
            // The pump's switch trips on the third occluded microstep (a minute or two at this basal) before nothing more goes out.
            assertEquals(modelElevated, elevated, 3, "elevated");
            assertEquals(modelCritical, critical, 3, "critical");
        }
    }

    @Test
    void theShippedHalfLifeIsTheCautiousEndOfTheSeeds() throws Exception {
        // The seeds give 2-6 h: the shorter the half-life, the sooner a stop is warned of.
        assertEquals(Duration.ofHours(2), Bench.shippedConfig().alarms().risk().halfLife(), "as shipped");
        var values = new LinkedHashMap<>(PropertiesFile.read(ProjectFiles.exampleConfig()));
        values.remove("risk.half-life");
        assertEquals(Duration.ofHours(2), ConfigLoader.parse(values, "test").alarms().risk().halfLife(), "by default");
    }

    @Test
    void aSuspensionsAlarmIsAtLeastMediumOnceTheEstimateIsHighAndHighOnceItIsCritical() {
        // The shipped half-life, 2 h: a full stop is high after ln(1/0.75)/k = 49.8 min, critical after 2 h;
        // the suspension's own timer says medium at 2 h and high at 6 h.
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), C500)));
            bench.run(ofHours(12));
            bench.command(new TherapyCommand.Suspend(Optional.empty()));
            for (long minute = 1; minute <= 3 * 60; minute++) {
                bench.run(ofMinutes(1));
                RiskLevel level = bench.risk().orElseThrow().level();
                Priority needed = level == RiskLevel.CRITICAL ? Priority.HIGH : level == RiskLevel.HIGH ? Priority.MEDIUM : Priority.NONE;
                Priority shown = bench.alarms().stream().filter(Alarm::withdrawalRisk).map(Alarm::priority).max(Priority::compareTo)
                        .orElse(Priority.NONE);
                assertTrue(shown.compareTo(needed) >= 0, "minute " + minute + ": estimate " + level + ", alarms " + bench.alarms());
                if (minute == 45) {
                    assertEquals(RiskLevel.ELEVATED, level, "45 min: 2^(-0.375) = 77 %");
                }
                if (minute == 55) {
                    assertEquals(Priority.MEDIUM, bench.openAlarm(AlarmType.SUSPENDED_TOO_LONG).priority(), "55 min: 73 %, high");
                }
                if (minute == 125) {
                    assertEquals(Priority.HIGH, bench.openAlarm(AlarmType.SUSPENDED_TOO_LONG).priority(), "2 h 5 min: 49 %, critical");
                }
            }
        }
    }
}
