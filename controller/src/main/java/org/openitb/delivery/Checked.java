package org.openitb.delivery;

import java.util.Objects;
import java.util.Optional;

/**
 * What a command's check decided: a one-line refusal, or the value the command goes on with.
 * Exactly one of the two is present.
 *
 * @param refusal why the command is refused, said to whoever sent it
 * @param value   what the check found, when it was accepted
 * @param <T>     what an accepted command goes on with
 */
record Checked<T>(Optional<String> refusal, Optional<T> value) {

    Checked {
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(value, "value");
        if (refusal.isPresent() == value.isPresent()) {
            throw new IllegalArgumentException("a check refuses or accepts, not both or neither");
        }
    }

    static <T> Checked<T> refused(String why) {
        return new Checked<>(Optional.of(why), Optional.empty());
    }

    static <T> Checked<T> accepted(T value) {
        return new Checked<>(Optional.empty(), Optional.of(value));
    }
}
