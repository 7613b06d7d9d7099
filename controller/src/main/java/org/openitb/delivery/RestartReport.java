package org.openitb.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Program;
import org.openitb.therapy.ProgramCodec;
import org.openitb.therapy.Programs;
import org.openitb.therapy.Volume;

/**
 * What the pump tells of the restart that began this run, as a value: the restart, and while the
 * wall clock could not tell the gap, what is needed to tell it once it can ({@link PendingGap}).
 * The basal dose the gap missed is never made up; it is told, at least, and corrected later.
 */
record RestartReport(Restart restart, Optional<PendingGap> pending) {

    /**
     * The restart after {@code gap}, at {@code now} (monotonic), with {@code uncertainMicrosteps}
     * the write-ahead record counted beyond the last snapshot and the bolus it cut off; the program
     * was due from {@code dueFrom} (empty: suspended through the gap), and {@code suspendedUntil} is a
     * timed suspension's end as kept, to correct with the gap.
     */
    static RestartReport of(RestartGap gap, long now, long uncertainMicrosteps, Optional<String> bolusCutOff, Optional<Instant> dueFrom,
            Optional<Instant> suspendedUntil, Optional<Program> program, Volume perMicrostep, ZoneId zone) {
        Instant restartAt = gap.lastHeartbeat().plus(gap.atLeast());
        long uncertain = Math.max(0, uncertainMicrosteps);
        Restart restart = new Restart(restartAt, gap.atLeast(), missed(program, dueFrom, restartAt, zone), gap.known(), now, bolusCutOff,
                uncertain, new Volume(Math.multiplyExact(uncertain, perMicrostep.picolitres())));
        return new RestartReport(restart, gap.known() ? Optional.empty() : Optional.of(new PendingGap(gap, dueFrom, suspendedUntil, now)));
    }

    /** The basal {@code program} would have delivered from {@code dueFrom} to {@code restartAt}: nothing without either. */
    static Dose missed(Optional<Program> program, Optional<Instant> dueFrom, Instant restartAt, ZoneId zone) {
        return program.flatMap(p -> dueFrom.map(from -> Programs.basalBetween(p, from, restartAt, zone))).orElse(Dose.ZERO);
    }

    /** The journal's {@code controller-restarted} details; {@code wallNow} is what the clock read, told when it is not believed. */
    Map<String, Object> details(RestartGap gap, long recoveredMicrosteps, Optional<Program> program, boolean suspended, Instant wallNow) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastHeartbeat", gap.lastHeartbeat().toString());
        details.put("gapSeconds", gap.atLeast().toSeconds());
        details.put("gapKnown", gap.known());
        details.put("missedDose", restart.missed().toString());
        details.put("recoveredMicrosteps", recoveredMicrosteps);
        details.put("uncertainMicrosteps", restart.uncertainMicrosteps());
        details.put("program", program.map(p -> (Object) ProgramCodec.toMap(p)).orElse("none"));
        details.put("suspended", suspended);
        restart.bolusCutOff().ifPresent(b -> details.put("bolusNotResumed", b));
        if (!gap.known()) {
            details.put("wallClock", "not to be believed (" + wallNow + " against a last heartbeat at " + gap.lastHeartbeat()
                    + "): the gap is at least the " + gap.atLeast().toSeconds() + " s since the machine started");
        }
        return details;
    }

    /** A gap told again once the clock can be believed: the report after it, the journal's details, and what overruled the clock. */
    record Correction(RestartReport next, Map<String, Object> details, Optional<Duration> overruled, Optional<Instant> suspendedUntil) {
    }

    /**
     * The gap worked out again at {@code now}, if the wall clock ({@code wallNow}, {@code synchronised}
     * or not, empty where it cannot be asked) can be believed now ({@link PendingGap#correct}), with the missed dose of {@code program}.
     */
    Optional<Correction> corrected(Instant wallNow, long now, Optional<Boolean> synchronised, Optional<Program> program, ZoneId zone) {
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        PendingGap p = pending.get();
        Optional<PendingGap.Corrected> told = p.correct(wallNow, now, synchronised);
        if (told.isEmpty()) {
            return Optional.empty();
        }
        Duration gap = told.get().gap();
        Dose missed = missed(program, told.get().dueFrom(), told.get().restartAt(), zone);
        Restart next = new Restart(told.get().restartAt(), gap, missed, true, p.restartNanos(), restart.bolusCutOff(),
                restart.uncertainMicrosteps(), restart.uncertain());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastHeartbeat", p.gap().lastHeartbeat().toString());
        details.put("gapSeconds", gap.toSeconds());
        details.put("wasAtLeastSeconds", p.gap().atLeast().toSeconds());
        details.put("missedDose", missed.toString());
        return Optional.of(new Correction(new RestartReport(next, Optional.empty()), details, told.get().overruled(), p.suspendedUntil()));
    }
}
