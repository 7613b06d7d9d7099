package org.openitb.delivery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.openitb.therapy.Volume;

/**
 * A refill whose residual, as withdrawn from the syringe, did not match the pump's count beyond
 * {@code reservoir.discrepancy-margin}: a leak (less left than counted) or an earlier refill error.
 *
 * @param at        when the refill was recorded
 * @param withdrawn what the operator drew off
 * @param counted   what the pump counted was left
 * @param message   one line for a person
 */
public record RefillCheck(Instant at, Volume withdrawn, Volume counted, String message) {
    public RefillCheck {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(withdrawn, "withdrawn");
        Objects.requireNonNull(counted, "counted");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Why what was withdrawn does not agree with the pump's count ({@code counted}, empty when no
     * refill came before to count from), if it is apart by more than {@code margin}: less left than
     * counted is a leak or too little filled last time; more is too much filled, or delivery that did not happen.
     */
    static Optional<String> residual(Volume withdrawn, Optional<Volume> counted, Volume margin) {
        if (counted.isEmpty()) {
            return Optional.empty(); // no refill before this one: nothing was counted to compare with
        }
        long apart = withdrawn.picolitres() - counted.get().picolitres();
        if (Math.abs(apart) <= margin.picolitres()) {
            return Optional.empty();
        }
        return Optional.of("withdrew " + withdrawn + " where the pump counted " + counted.get().toDisplayString() + " left: "
                + new Volume(Math.abs(apart)).toDisplayString() + (apart < 0 ? " less (a leak, or less filled last time than recorded?)"
                : " more (more filled last time than recorded, or delivery that did not happen?)") + "; the margin is " + margin
                + " (reservoir.discrepancy-margin)");
    }
}
