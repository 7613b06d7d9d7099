package org.openitb.delivery;

import java.time.Instant;
import java.util.Objects;
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
}
