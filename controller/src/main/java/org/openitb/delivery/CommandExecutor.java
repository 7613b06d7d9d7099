package org.openitb.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Durations;
import org.openitb.therapy.PatientBolusPolicy;
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
                PatientBolusPolicy policy = c.state.therapy().limits().patient();
                yield bolus(request, BolusKind.PATIENT, policy.dose(), policy.over(), now);
            }
            case TherapyCommand.Prime p -> prime(request, p.volume(), p.disconnected(), now);
            case TherapyCommand.PrimeMicrosteps p -> prime(request,
                    new Volume(Math.multiplyExact(c.options.volumePerMicrostep().picolitres(), p.microsteps())), p.disconnected(), now);
            case TherapyCommand.Suspend s -> suspend(request, s.duration(), now);
            case TherapyCommand.Resume r -> {
                if (c.state.therapy().suspension().isEmpty()) {
                    yield reply.refused("not suspended: delivery is already running as programmed");
                }
                long since = c.state.therapy().suspension().get().sinceNanos();
                // A priming while suspended is how the catheter gets primed off the patient (--disconnected).
                boolean primedMeanwhile = c.state.therapy().recentPrimings(now).stream().anyMatch(p -> p.startNanos() - since >= 0);
                resume(now, request.who(), "on request");
                yield new CommandResult(CommandResult.Outcome.APPLIED, "resumed: delivering " + c.state.plan().basal() + " again"
                        + (primedMeanwhile ? "; the catheter was primed during the suspension: check that it is connected to the patient again"
                                : ""), List.of(), List.of(), c.state.therapy().revision());
            }
        };
    }

    // ------------------------------------------------------------------ boluses and priming

    private CommandResult bolus(CommandRequest request, BolusKind kind, Dose dose, Duration over, long now) {
        Optional<Program> program = c.state.therapy().program();
        if (program.isEmpty()) {
            return reply.refused("no program is running; program the pump before a bolus");
        }
        Optional<String> busy = notNow();
        if (busy.isPresent()) {
            return reply.refused(busy.get());
        }
        if (kind != BolusKind.PATIENT && c.state.plan().microstepsOf(dose) == 0) {
            // Nothing would go out, yet it would start the lockout for every bolus and hold refills off.
            return reply.refused("a bolus of " + dose + " is less than one microstep at " + c.state.plan().concentration() + " ("
                    + c.options.volumePerMicrostep() + "); the pump cannot give it");
        }
        Dose reached = c.ledger.patientDrugLast24h(now);
        Therapy therapy = c.state.therapy();
        Verdict verdict = kind == BolusKind.PATIENT ? therapy.checkPatientBolus(reached, now) : therapy.checkBolus(dose, over, reached, now);
        Optional<String> refusal = verdict.refusal(request.overrideSoftLimit());
        if (refusal.isEmpty()) {
            DeliveryPlan plan = c.state.plan();
            refusal = StepRate.refusal(plan.withBolus(Math.max(now, plan.startNanos()), dose, over.toNanos()).microstepsPerSecondAt(now),
                    c.options, "this bolus");
        }
        if (refusal.isPresent()) {
            return reply.refused(refusal.get());
        }
        String description = (kind == BolusKind.PATIENT ? "patient bolus " : "bolus ") + dose + " over " + Durations.format(over);
        List<String> after = new ArrayList<>(List.of(description, "ends at " + reply.at(now + over.toNanos()),
                "on top of " + c.state.plan().basal()));
        verdict.overridden().forEach(o -> after.add("OVERRIDDEN: " + o));
        if (!request.commit()) {
            return reply.preview(description, List.of("no bolus running", "basal " + c.state.plan().basal()), after);
        }
        Optional<CommandResult> stale = reply.stale(request);
        if (stale.isPresent()) {
            return stale.get();
        }
        c.adopt(c.state.bolusStarted(now, kind, dose, over, description));
        c.event("bolus-started", request.who(), Map.of("kind", kind.name().toLowerCase(Locale.ROOT), "bolus", description));
        return reply.applied(description + " started, ends at " + reply.at(now + over.toNanos()), List.of("no bolus running"), after);
    }

    /** A periodic bolus of the running program came due ({@link DeliveryState#periodicDue}). */
    void startPeriodicBolus() {
        DeliveryState.Periodic due = c.state.periodicDue();
        c.adopt(due.next());
        due.started().ifPresent(b -> c.event("bolus-started", "program", Map.of("kind", "periodic", "bolus", b.description())));
    }

    /** Priming, as {@link PrimingCheck} allows it. */
    private CommandResult prime(CommandRequest request, Volume volume, boolean disconnected, long now) {
        PrimingCheck.Situation situation = new PrimingCheck.Situation(c.reservoir.concentration().isPresent(), c.ledger.deadVolumeLeft(),
                c.state.therapy().program().isPresent() && c.state.therapy().suspension().isEmpty(), c.state.therapy().primedLast24h(now),
                disconnected ? notNowDisconnected() : notNow(), c.state.plan());
        Checked<PrimingCheck.Start> checked = PrimingCheck.check(volume, disconnected, situation, c.options, now);
        if (checked.refusal().isPresent()) {
            return reply.refused(checked.refusal().get());
        }
        PrimingCheck.Start start = checked.value().orElseThrow();
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
        c.state = c.state.withBolus(Optional.of(new RunningBolus(BolusKind.PRIMING, description, start.atNanos(),
                start.atNanos() + start.durationNanos(),
                start.microsteps(), 0, disconnected, start.deadVolumeLeft())));
        c.state = c.state.withTherapy(c.state.therapy().withPriming(new Therapy.Priming(now, volume)));
        c.event("priming-started", request.who(), Map.of("volume", volume.toString(), "rate", c.options.primingRate().toString(),
                "disconnected", disconnected, "deadVolumeLeft", start.deadVolumeLeft().toString()));
        return reply.applied(description + " started", List.of("no priming"), after);
    }

    // ------------------------------------------------------------------ suspend and resume

    private CommandResult suspend(CommandRequest request, Optional<Duration> duration, long now) {
        if (c.state.therapy().program().isEmpty()) {
            return reply.refused("no program is running; there is nothing to suspend");
        }
        if (c.state.therapy().suspension().isPresent()) {
            return reply.refused("already suspended; resume first to change the suspension");
        }
        if (duration.isPresent() && (duration.get().compareTo(Duration.ofMinutes(1)) < 0
                || duration.get().compareTo(c.options.maxSuspend()) > 0)) {
            return reply.refused("a timed suspension of " + Durations.format(duration.get()) + " is outside 1m to "
                    + Durations.format(c.options.maxSuspend()) + " (delivery.max-suspend); suspend without --for to stop until resumed");
        }
        List<String> before = new ArrayList<>(c.state.therapy().program().orElseThrow().describe());
        before.add("delivering " + c.state.plan().basal());
        List<String> after = new ArrayList<>(List.of(duration.map(d -> "suspended for " + Durations.format(d) + ", until "
                + reply.at(now + d.toNanos())).orElse("suspended until resumed"), "no delivery: 0mcg/day"));
        if (c.state.bolus().isPresent()) {
            after.add("the running " + c.state.bolus().get().description() + " is stopped");
        }
        after.add("withdrawal risk grows with every hour without baclofen");
        if (!request.commit()) {
            return reply.preview("suspension", before, after);
        }
        Optional<CommandResult> stale = reply.stale(request);
        if (stale.isPresent()) {
            return stale.get();
        }
        if (c.state.bolus().isPresent()) {
            c.finishBolus(now, false);
        }
        c.adopt(c.state.suspendedAt(now, duration.map(d -> OptionalLong.of(now + d.toNanos())).orElse(OptionalLong.empty())));
        c.event("suspended", request.who(), Map.of("for", duration.map(Durations::format).orElse("until resumed")));
        return reply.applied(after.get(0), before, after);
    }

    /** Delivery again at the programmed rate from {@code at}, with nothing of the suspended time made up. */
    void resume(long at, String who, String why) {
        c.bookDelivered(Math.max(at, c.state.plan().startNanos()));
        c.adopt(c.state.resumedAt(at, c.scheduler.delivered(), c::wallAt, c.clock.zone()));
        c.event("resumed", who, Map.of("why", why, "rate", c.state.plan().basal().toString()));
    }

    // ------------------------------------------------------------------ helpers

    /** Why a priming with the catheter disconnected cannot start now ({@link DeliveryState#busyForDisconnectedPriming}). */
    private Optional<String> notNowDisconnected() {
        return c.state.busyForDisconnectedPriming(c.haltReason(), reply::at);
    }

    /** Why nothing extra can be given now ({@link DeliveryState#busy}). */
    private Optional<String> notNow() {
        return c.state.busy(c.haltReason(), reply::at);
    }
}
