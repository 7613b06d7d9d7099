package org.openitb.therapy;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A command with how it is to be taken: previewed only, or committed (then, if it was previewed,
 * only if nothing changed since: {@code expectRevision}); who asked; whether soft limits yield.
 */
public record CommandRequest(TherapyCommand command, String who, boolean commit, OptionalLong expectRevision,
        boolean overrideSoftLimit) {

    public CommandRequest {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(expectRevision, "expectRevision");
    }

    public static CommandRequest preview(TherapyCommand command, String who, boolean overrideSoftLimit) {
        return new CommandRequest(command, who, false, OptionalLong.empty(), overrideSoftLimit);
    }

    public static CommandRequest commit(TherapyCommand command, String who, OptionalLong expectRevision, boolean overrideSoftLimit) {
        return new CommandRequest(command, who, true, expectRevision, overrideSoftLimit);
    }
}
