package org.openitb.therapy;

import java.util.Objects;

/** One limit a request runs into: a hard one refuses it, a soft one refuses it unless overridden. */
public record Finding(Severity severity, String message) {

    public enum Severity { HARD, SOFT }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Finding hard(String message) {
        return new Finding(Severity.HARD, message);
    }

    public static Finding soft(String message) {
        return new Finding(Severity.SOFT, message);
    }
}
