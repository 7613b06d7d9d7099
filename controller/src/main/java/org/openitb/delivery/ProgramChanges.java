package org.openitb.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openitb.reservoir.ReservoirOutlook;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Program;
import org.openitb.therapy.ProgramCodec;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Verdict;
import org.openitb.therapy.Volume;

/**
 * Program changes and refills, the two ways a prescription meets the syringe. A refill of another
 * concentration than the running program's is refused unless it carries the program re-written
 * for the new concentration (the classic refill error is exactly that mismatch). After a change of
 * concentration the catheter still holds the old solution: a bridge keeps the volume rate of the
 * old concentration until the catheter's volume has been pushed through, so the patient gets the
 * prescribed dose throughout, then the new concentration takes over.
 */
final class ProgramChanges {

    private final DeliveryController c;
    private final Replies reply;

    ProgramChanges(DeliveryController controller, Replies reply) {
        this.c = controller;
        this.reply = reply;
    }

    CommandResult program(CommandRequest request, Program program, Optional<DailyRate> referenceDose, long now) {
        Checked<Verdict> checked = ProgramDecision.check(program, referenceDose, request.overrideSoftLimit(), c.state,
                c.reservoir.concentration(), c.memoryLostAt(), c.options, now);
        if (checked.refusal().isPresent()) {
            return reply.refused(checked.refusal().get());
        }
        Verdict verdict = checked.value().orElseThrow();
        List<String> before = new ArrayList<>(c.state.therapy().program().map(Program::describe).orElse(List.of("no program")));
        referenceDose.ifPresent(r -> before.add("the patient was on " + r + " (as entered)"));
        List<String> after = new ArrayList<>(program.describe());
        c.state.therapy().suspension().ifPresent(s -> after.add("stays suspended until resumed"));
        if (c.ledger.deadVolumeLeft().picolitres() > 0) {
            // Not an error (the first basal fills it), but hours without drug to a patient who may need it now.
            after.add("the catheter is not primed: " + c.ledger.deadVolumeLeft().toDisplayString() + " of dead volume to fill before drug"
                    + " reaches the patient; prime it first");
        }
        verdict.overridden().forEach(o -> after.add("OVERRIDDEN: " + o));
        if (!request.commit()) {
            return reply.preview("program change", before, after);
        }
        Optional<CommandResult> stale = reply.stale(request);
        if (stale.isPresent()) {
            return stale.get();
        }
        apply(program, now, request.who(), verdict);
        return reply.applied("program running: " + program.mode() + ", daily dose " + program.dailyDose() + " at "
                + program.concentration(), before, after);
    }

    CommandResult refill(CommandRequest request, TherapyCommand.Refill refill, long now) {
        Volume volume = refill.volume();
        Concentration concentration = refill.concentration();
        Checked<RefillDecision.Accepted> checked = RefillDecision.check(refill, c.state, c.reservoir.capacity(), request.overrideSoftLimit(), c.options,
                now, reply::at);
        if (checked.refusal().isPresent()) {
            return reply.refused(checked.refusal().get());
        }
        RefillDecision.Accepted accepted = checked.value().orElseThrow();
        Optional<Program> running = accepted.running();
        Optional<Program> carried = accepted.carried();
        Verdict verdict = accepted.verdict();
        Optional<Program> next = accepted.next();
        boolean bridge = bridgeNeeded(concentration, next);
        Optional<Volume> count = c.reservoir.concentration().isPresent() ? Optional.of(c.reservoir.remaining()) : Optional.empty();
        Optional<String> residual = refill.withdrawn().flatMap(w -> RefillCheck.residual(w, count, c.options.reservoir().discrepancyMargin()));
        // Accepted, but said plainly: a syringe already below its low mark needs refilling again soon.
        Optional<String> low = next.flatMap(p -> ReservoirOutlook.low(volume, p.dailyDose(), concentration, c.options.reservoir()));
        List<String> before = new ArrayList<>(List.of("reservoir " + c.reservoir.remaining().toDisplayString() + c.reservoir.concentration()
                .map(held -> " of " + held).orElse("")));
        running.ifPresent(p -> before.addAll(p.describe()));
        List<String> after = new ArrayList<>(List.of("reservoir " + volume + " of " + concentration));
        next.ifPresent(p -> after.addAll(p.describe()));
        if (bridge) {
            after.add("bridge: the catheter's " + c.options.catheterVolume() + " of " + c.planConcentration()
                    + " is pushed at its own volume rate first");
        }
        verdict.overridden().forEach(o -> after.add("OVERRIDDEN: " + o));
        refill.withdrawn().ifPresent(w -> before.add("withdrawn " + w + " (counted " + c.reservoir.remaining().toDisplayString() + ")"));
        residual.ifPresent(r -> after.add("DISCREPANCY: " + r));
        low.ifPresent(l -> after.add("LOW at once: " + l));
        if (!request.commit()) {
            return reply.preview("refill", before, after);
        }
        Optional<CommandResult> stale = reply.stale(request);
        if (stale.isPresent()) {
            return stale.get();
        }
        Volume counted = c.reservoir.remaining();
        c.reservoir.refill(volume, concentration);
        c.state = c.state.withTherapy(c.state.therapy().touched());
        Map<String, Object> details = new LinkedHashMap<>(Map.of("volume", volume.toString(), "concentration", concentration.toString()));
        refill.withdrawn().ifPresent(w -> {
            details.put("withdrawn", w.toString());
            details.put("counted", counted.toString());
        });
        residual.ifPresent(r -> details.put("discrepancy", r));
        c.event("refilled", request.who(), details);
        residual.ifPresent(r -> c.refillChecked(new RefillCheck(c.wallAt(now), refill.withdrawn().orElseThrow(), counted, r)));
        if (carried.isPresent()) {
            apply(carried.get(), now, request.who(), verdict);
        } else if (bridge) {
            startBridge(concentration, now, request.who());
        }
        return reply.applied("refilled: " + volume + " of " + concentration + (bridge ? "; bridging the catheter" : "")
                + residual.map(r -> "; DISCREPANCY: " + r).orElse("") + low.map(l -> "; the reservoir is LOW already: " + l).orElse(""),
                before, after);
    }

    /** Makes {@code program} the running one from {@code now} ({@link DeliveryState#programmed}). */
    private void apply(Program program, long now, String who, Verdict verdict) {
        Concentration counting = c.planConcentration();
        // Worked out before anything changes: a plan that cannot be made leaves the therapy as it was, not half changed.
        DeliveryState.Changed changed = c.state.programmed(program, now, c.wallAt(now), c.clock.zone(), c.scheduler.delivered(),
                c.options.catheterVolume(), c.options.volumePerMicrostep());
        c.memoryVerified();
        c.programChanged(program);
        c.adopt(changed.next());
        changed.bridgeStarted().ifPresent(b -> bridgeStarted(b, counting, who));
        c.event("program-changed", who, Map.of("program", ProgramCodec.toMap(program),
                "overridden", verdict.overridden()));
    }

    /** Whether the catheter holds another concentration than {@code next} will deliver. */
    private boolean bridgeNeeded(Concentration refill, Optional<Program> next) {
        Concentration counting = c.planConcentration();
        // Bridge.across says whether there is a catheter volume to push: a catheter of none needs no bridge.
        return next.isPresent() && !counting.equals(DeliveryOptions.PLACEHOLDER_CONCENTRATION) && !counting.equals(refill)
                && Bridge.across(c.options.catheterVolume(), c.options.volumePerMicrostep(), 0, refill).isPresent();
    }

    /** Keeps counting at the catheter's concentration until its volume is through, then switches ({@link DeliveryState#bridged}). */
    private void startBridge(Concentration next, long now, String who) {
        Concentration counting = c.planConcentration();
        DeliveryState.Changed changed = c.state.bridged(next, now, c.scheduler.delivered(), c.options.catheterVolume(),
                c.options.volumePerMicrostep());
        c.adopt(changed.next());
        changed.bridgeStarted().ifPresent(b -> bridgeStarted(b, counting, who));
    }

    private void bridgeStarted(Bridge bridge, Concentration from, String who) {
        c.event("bridge-started", who, Map.of("catheter", c.options.catheterVolume() + " of " + from,
                "microsteps", Long.toString(bridge.left(c.scheduler.delivered())), "then", bridge.to().toString()));
    }
}
