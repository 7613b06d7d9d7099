package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;
import org.openitb.config.PumpConfig;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyLimits;
import org.openitb.therapy.Volume;

/**
 * A kept state brought into a new boot, the figures by hand: the last heartbeat at 08:00, the
 * restart an hour later, this boot's monotonic clock at 100 s when it happens.
 */
class RecoveryTest {

    private static final long S = 1_000_000_000L;
    private static final long NOW = 100 * S;
    private static final Instant HEARTBEAT = Instant.parse("2026-03-01T08:00:00Z");
    private static final RestartGap HOUR_KNOWN = new RestartGap(HEARTBEAT, Duration.ofHours(1), true, Duration.ofHours(1));
    private static final PumpConfig SHIPPED = ProjectFiles.exampleConfigLoaded();
    private static final TherapyLimits LIMITS = new TherapyLimits(SHIPPED.library(), SHIPPED.patientBolus());
    /** 480 mcg/day at 500 mcg/mL, 20 mcg every 6 h, running since 05:00. */
    private static final ContinuousProgram PROGRAM = new ContinuousProgram(DailyRate.parse("480mcg/day"), Concentration.parse("500mcg/mL"),
            Optional.of(new PeriodicBolus(Dose.parse("20mcg"), Duration.ofHours(6), Duration.ofMinutes(10))));
    private static final Instant SINCE = HEARTBEAT.minus(Duration.ofHours(3));

    private static DurableState kept(Optional<Instant> suspendedSince, Optional<Instant> suspendedUntil,
            Optional<DurableState.RunningBolus> bolus) {
        return new DurableState(Optional.of(new DurableState.Dated<>(SINCE, PROGRAM)), List.of(new DurableState.Dated<>(SINCE, PROGRAM)),
                List.of(new DurableState.Bolus(HEARTBEAT.minus(Duration.ofMinutes(30)), Dose.parse("50mcg"), BolusKind.CLINICIAN)),
                suspendedSince, suspendedUntil, Volume.parse("10mL"), Optional.of(Concentration.parse("500mcg/mL")), 50_000,
                Concentration.parse("500mcg/mL"), BigInteger.ZERO, 0, OptionalLong.empty(), Optional.empty(), 41, bolus, Optional.of(SINCE),
                new DurableState.Patient(BigInteger.ZERO, List.of(), OptionalLong.empty(), OptionalLong.empty()), List.of(), Optional.empty());
    }

    private static Recovery recover(DurableState s, RestartGap gap) {
        return Recovery.of(s, gap, NOW, 50_000, LIMITS, Volume.parse("0.1uL"), nanos -> HEARTBEAT.plus(gap.atLeast()).plusNanos(nanos - NOW),
                ZoneOffset.UTC);
    }

    @Test
    void thePreviousRunsTimesLandAsLongBeforeNowAsTheyWereBeforeTheRestart() {
        Recovery r = recover(kept(Optional.empty(), Optional.empty(), Optional.empty()), HOUR_KNOWN);
        assertEquals(NOW - 4 * 3_600 * S, r.monotonic(SINCE), "05:00 is four hours before the 09:00 restart");
        assertEquals(NOW - 90 * 60 * S, r.state().therapy().recentBoluses(NOW).get(0).startNanos(), "07:30's bolus, 90 minutes back");
        assertEquals(42, r.state().therapy().revision(), "a restart is a revision of its own");
        assertEquals(Optional.of(HEARTBEAT), r.dueFrom(), "the program was due from the last heartbeat: missed, not made up");
        // Resumed at the programmed rate from now: 400 microsteps an hour from the 50 000 recovered.
        assertEquals(50_400, r.state().plan().target(NOW + 3_600 * S));
        // The periodic bolus keeps the program's 6 h schedule from 05:00: 11:00 is two hours from now.
        assertEquals(NOW + 2 * 3_600 * S, r.state().nextPeriodicNanos());
    }

    @Test
    void aTimedSuspensionThatEndedInTheGapIsOverAndTheProgramWasDueFromItsEnd() {
        Recovery r = recover(kept(Optional.of(HEARTBEAT.minus(Duration.ofMinutes(10))), Optional.of(HEARTBEAT.plus(Duration.ofMinutes(20))),
                Optional.empty()), HOUR_KNOWN);
        assertEquals(Optional.of(HEARTBEAT.plus(Duration.ofMinutes(20))), r.suspensionEndedInGap());
        assertTrue(r.state().therapy().suspension().isEmpty());
        assertEquals(Optional.of(HEARTBEAT.plus(Duration.ofMinutes(20))), r.dueFrom());
    }

    @Test
    void aTimedSuspensionStillRunningEndsWhenItWasAlwaysGoingTo() {
        Recovery r = recover(kept(Optional.of(HEARTBEAT.minus(Duration.ofMinutes(10))), Optional.of(HEARTBEAT.plus(Duration.ofMinutes(90))),
                Optional.empty()), HOUR_KNOWN);
        assertEquals(OptionalLong.of(NOW + 30 * 60 * S), r.state().therapy().suspension().orElseThrow().untilNanos(), "09:30, half an hour on");
        assertEquals(Optional.empty(), r.dueFrom(), "suspended through the gap: nothing was due");
        assertEquals(0, r.state().plan().basal().nanogramsPerDay());
    }

    @Test
    void aGapTheClockCannotTellNeverEndsASuspensionAndABolusItCutOffIsNamedNotResumed() {
        RestartGap unknown = new RestartGap(HEARTBEAT, Duration.ZERO, false, Duration.ofMinutes(2));
        Recovery r = recover(kept(Optional.of(HEARTBEAT.minus(Duration.ofMinutes(10))), Optional.of(HEARTBEAT.plus(Duration.ofMinutes(1))),
                Optional.of(new DurableState.RunningBolus("bolus 50mcg over 10m", HEARTBEAT.plus(Duration.ofMinutes(5))))), unknown);
        assertEquals(Optional.empty(), r.suspensionEndedInGap(), "an unknown gap is not believed to have ended it");
        assertEquals(Optional.of("bolus 50mcg over 10m"), r.bolusCutOff());
        assertTrue(r.state().bolus().isEmpty());
    }
}
