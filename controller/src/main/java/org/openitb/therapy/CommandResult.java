package org.openitb.therapy;

import java.util.List;
import java.util.Objects;

/**
 * What became of a command: applied; previewed (nothing changed yet); or refused with a one-line
 * reason. {@code before} and {@code after} are the two columns of the side-by-side view.
 */
public record CommandResult(Outcome outcome, String message, List<String> before, List<String> after, long revision) {

    public enum Outcome { APPLIED, PREVIEW, REFUSED }

    public CommandResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    public static CommandResult refused(String reason, long revision) {
        return new CommandResult(Outcome.REFUSED, reason, List.of(), List.of(), revision);
    }
}
