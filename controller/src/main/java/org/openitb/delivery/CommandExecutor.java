package org.openitb.delivery;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.BolusRecord;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Durations;
import org.openitb.therapy.PatientBolusPolicy;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Program;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Verdict;
import org.openitb.therapy.Volume;

/**
 * Carries out therapy commands on the dose loop: checks them (drug library, the state of the
 * pump, what the motor can do), previews them as two columns, and applies them only when
 * committed against the revision that was previewed. Every applied change becomes an event.
 */
final class CommandExecutor {

    private final DeliveryController c;
    private final Replies reply;
    private final ProgramChanges programs;

    CommandExecutor(DeliveryController controller) {
        this.c = controller;
        this.reply = new Replies(controller);
        this.programs = new ProgramChanges(controller, reply);
    }

    CommandResult execute(CommandRequest request, long now) {
        return switch (request.command()) {
            case TherapyCommand.SetProgram set -> programs.program(request, set.program(), set.referenceDose(), now);
            case TherapyCommand.Refill refill -> programs.refill(request, refill, now);
            case TherapyCommand.StartBolus b -> bolus(request, BolusKind.CLINICIAN, b.dose(), b.over(), now);
            case TherapyCommand.PatientBolus p -> {
                PatientBolusPolicy policy = c.therapy.limits().patient();
                yield bolus(request, BolusKind.PATIENT, policy.dose(), policy.over(), now);
            }
            case TherapyCommand.Prime p -> prime(request, p.volume(), p.disconnected(), now);
            case TherapyCommand.PrimeMicrosteps p -> prime(request,
                    new Volume(Math.multiplyExact(c.options.volumePerMicrostep().picolitres(), p.microsteps())), p.disconnected(), now);
            case TherapyCommand.Suspend s -> suspend(request, s.duration(), now);
            case TherapyCommand.Resume r -> {
                if (c.therapy.suspension().isEmpty()) {
                    yield reply.refused("not suspended: delivery is already running as programmed");
                }
                long since = c.therapy.suspension().get().sinceNanos();
                // A priming while suspended is how the catheter gets primed off the patient (--disconnected).
                boolean primedMeanwhile = c.therapy.recentPrimings(now).stream().anyMatch(p -> p.startNanos() - since >= 0);
                resume(now, request.who(), "resumed by " + request.who());
                yield new CommandResult(CommandResult.Outcome.APPLIED, "resumed: delivering " + c.plan.basal() + " again"
                        + (primedMeanwhile ? "; the catheter was primed during the suspension: check that it is connected to the patient again"
                                : ""), List.of(), List.of(), c.therapy.revision());
            }
        };
    }

    // ------------------------------------------------------------------ boluses and priming

    private CommandResult bolus(CommandRequest request, BolusKind kind, Dose dose, Duration over, long now) {
        Optional<Program> program = c.therapy.program();
        if (program.isEmpty()) {
            return reply.refused("no program is running; program the pump before a bolus");
        }
        Optional<String> busy = notNow();
        if (busy.isPresent()) {
            return reply.refused(busy.get());
        }
        if (kind != BolusKind.PATIENT && microstepsOf(dose.nanograms(), c.plan.concentration().nanogramsPerMl()) == 0) {
            // Nothing would go out, yet it would start the lockout for every bolus and hold refills off.
            return reply.refused("a bolus of " + dose + " is less than one microstep at " + c.plan.concentration() + " ("
                    + c.options.volumePerMicrostep() + "); the pump cannot give it");
        }
        Dose reached = c.ledger.patientDrugLast24h(now);
        Verdict verdict = kind == BolusKind.PATIENT ? c.therapy.checkPatientBolus(reached, now) : c.therapy.checkBolus(dose, over, reached, now);
        Optional<String> refusal = verdict.refusal(request.overrideSoftLimit());
        if (refusal.isEmpty()) {
            refusal = reply.stepRate(c.plan.withBolus(Math.max(now, c.plan.startNanos()), dose, over.toNanos()).microstepsPerSecondAt(now),
                    "this bolus");
        }
        if (refusal.isPresent()) {
            return reply.refused(refusal.get());
        }
        String description = (kind == BolusKind.PATIENT ? "patient bolus " : "bolus ") + dose + " over " + Durations.format(over);
        List<String> after = new ArrayList<>(List.of(description, "ends at " + reply.at(now + over.toNanos()), "on top of " + c.plan.basal()));
        verdict.overridden().forEach(o -> after.add("OVERRIDDEN: " + o));
        if (!request.commit()) {
            return reply.preview(description, List.of("no bolus running", "basal " + c.plan.basal()), after);
        }
        Optional<CommandResult> stale = reply.stale(request);
        if (stale.isPresent()) {
            return stale.get();
        }
        startBolus(now, kind, dose, over, description, request.who());
        return reply.applied(description + " started, ends at " + reply.at(now + over.toNanos()), List.of("no bolus running"), after);
    }

    /** A periodic bolus of the running program came due (a running bolus makes it wait for its end). */
    void startPeriodicBolus(long now) {
        PeriodicBolus p = c.therapy.program().flatMap(Program::periodicBolus).orElse(null);
        if (p == null || c.therapy.suspension().isPresent()) {
            c.nextPeriodicNanos = Long.MAX_VALUE;
            return;
        }
        long due = c.nextPeriodicNanos;
        if (c.bolus != null || c.bridge.isPresent()) {
            c.nextPeriodicNanos = Long.MAX_VALUE;
            c.periodicWaiting = true;
            return;
        }
        startBolus(Math.max(due, c.plan.startNanos()), BolusKind.PERIODIC, p.dose(), p.over(), "periodic bolus " + p.dose()
                + " over " + Durations.format(p.over()), "program");
        c.nextPeriodicNanos = c.therapy.nextPeriodicFrom(due + 1); // on the program's schedule, however late this one came
    }

    private void startBolus(long at, BolusKind kind, Dose dose, Duration over, String description, String who) {
        c.changePlan(c.plan.withBolus(at, dose, over.toNanos()));
        c.bolus = new RunningBolus(kind, description, at, at + over.toNanos(),
                microstepsOf(dose.nanograms(), c.plan.concentration().nanogramsPerMl()), 0, false, Volume.ZERO);
        c.therapy = c.therapy.withBolus(new BolusRecord(at, dose, kind));
        c.event("bolus-started", who, Map.of("kind", kind.name().toLowerCase(Locale.ROOT), "bolus", description));
    }

    /** Microsteps that carry {@code nanograms} at {@code ngPerMl}, rounded down: ng·10⁹ / (c·v). */
    private long microstepsOf(long nanograms, long ngPerMl) {
        return BigInteger.valueOf(nanograms).multiply(BigInteger.valueOf(1_000_000_000L))
                .divide(BigInteger.valueOf(ngPerMl).multiply(BigInteger.valueOf(c.options.volumePerMicrostep().picolitres()))).longValueExact();
    }

    /** Priming, as {@link PrimingCheck} allows it. */
    private CommandResult prime(CommandRequest request, Volume volume, boolean disconnected, long now) {
        PrimingCheck.Situation situation = new PrimingCheck.Situation(c.reservoir.concentration().isPresent(), c.ledger.deadVolumeLeft(),
                c.therapy.program().isPresent() && c.therapy.suspension().isEmpty(), c.therapy.primedLast24h(now),
                disconnected ? notNowDisconnected() : notNow(), c.plan);
        PrimingCheck.Result checked = PrimingCheck.check(volume, disconnected, situation, c.options, now);
        if (checked.refusal().isPresent()) {
            return reply.refused(checked.refusal().get());
        }
        PrimingCheck.Start start = checked.start().orElseThrow();
        String description = start.description();
        List<String> after = start.after();
        if (!request.commit()) {
            return reply.preview(description, List.of("no priming"), after);
        }
        Optional<CommandResult> stale = reply.stale(request);
        if (stale.isPresent()) {
            return stale.get();
        }
        c.changePlan(start.plan());
        c.bolus = new RunningBolus(BolusKind.PRIMING, description, start.atNanos(), start.atNanos() + start.durationNanos(),
                start.microsteps(), 0, disconnected, start.deadVolumeLeft());
        c.therapy = c.therapy.withPriming(new Therapy.Priming(now, volume));
        c.event("priming-started", request.who(), Map.of("volume", volume.toString(), "rate", c.options.primingRate().toString(),
                "disconnected", disconnected, "deadVolumeLeft", start.deadVolumeLeft().toString()));
        return reply.applied(description + " started", List.of("no priming"), after);
    }

    // ------------------------------------------------------------------ suspend and resume

    private CommandResult suspend(CommandRequest request, Optional<Duration> duration, long now) {
        if (c.therapy.program().isEmpty()) {
            return reply.refused("no program is running; there is nothing to suspend");
        }
        if (c.therapy.suspension().isPresent()) {
            return reply.refused("already suspended; resume first to change the suspension");
        }
        if (duration.isPresent() && (duration.get().compareTo(Duration.ofMinutes(1)) < 0
                || duration.get().compareTo(c.options.maxSuspend()) > 0)) {
            return reply.refused("a timed suspension of " + Durations.format(duration.get()) + " is outside 1m to "
                    + Durations.format(c.options.maxSuspend()) + " (delivery.max-suspend); suspend without --for to stop until resumed");
        }
        List<String> before = new ArrayList<>(c.therapy.program().orElseThrow().describe());
        before.add("delivering " + c.plan.basal());
        List<String> after = new ArrayList<>(List.of(duration.map(d -> "suspended for " + Durations.format(d) + ", until "
                + reply.at(now + d.toNanos())).orElse("suspended until resumed"), "no delivery: 0mcg/day"));
        if (c.bolus != null) {
            after.add("the running " + c.bolus.description() + " is stopped");
        }
        after.add("withdrawal risk grows with every hour without baclofen");
        if (!request.commit()) {
            return reply.preview("suspension", before, after);
        }
        Optional<CommandResult> stale = reply.stale(request);
        if (stale.isPresent()) {
            return stale.get();
        }
        if (c.bolus != null) {
            c.finishBolus(now, false);
        }
        c.changePlan(c.plan.withBasal(Math.max(now, c.plan.startNanos()), DailyRate.ZERO));
        c.therapy = c.therapy.suspended(now, duration.map(d -> OptionalLong.of(now + d.toNanos())).orElse(OptionalLong.empty()));
        c.nextBasalChangeNanos = Long.MAX_VALUE;
        c.nextPeriodicNanos = Long.MAX_VALUE;
        c.periodicWaiting = false;
        c.event("suspended", request.who(), Map.of("for", duration.map(Durations::format).orElse("until resumed")));
        return reply.applied(after.get(0), before, after);
    }

    /** Delivery again at the programmed rate from {@code at}, with nothing of the suspended time made up. */
    void resume(long at, String who, String why) {
        c.therapy = c.therapy.resumed();
        long from = Math.max(at, c.plan.startNanos());
        c.rebase(from);
        c.reapplyBasal(from);
        c.nextPeriodicNanos = c.therapy.nextPeriodicFrom(from);
        c.event("resumed", who, Map.of("why", why, "rate", c.plan.basal().toString()));
    }

    // ------------------------------------------------------------------ helpers

    /** Why a priming with the catheter disconnected cannot start now: halted, a bolus running, or a bridge under way. */
    private Optional<String> notNowDisconnected() {
        if (c.halted()) {
            return Optional.of("delivery is halted (" + c.haltReason() + "); clear the cause first");
        }
        if (c.bolus != null) {
            return Optional.of("a " + c.bolus.description() + " is under way until " + reply.at(c.bolus.endNanos()));
        }
        return Optional.empty();
    }

    /** Why nothing extra can be given now: suspended, halted, or a bolus already running. */
    private Optional<String> notNow() {
        if (c.therapy.suspension().isPresent()) {
            return Optional.of("delivery is suspended; resume first");
        }
        if (c.halted()) {
            return Optional.of("delivery is halted (" + c.haltReason() + "); clear the cause first");
        }
        if (c.bolus != null) {
            return Optional.of("a " + c.bolus.description() + " is under way until " + reply.at(c.bolus.endNanos()));
        }
        if (c.bridge.isPresent()) {
            // The concentration reaching the patient is in transition: no extra drug until it settles.
            return Optional.of("the catheter is being bridged after a change of concentration; boluses wait until it ends");
        }
        return Optional.empty();
    }
}
