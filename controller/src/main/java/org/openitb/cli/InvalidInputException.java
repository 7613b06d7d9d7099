package org.openitb.cli;

/** Input the command refuses: exit code 2 and this message as the one line on stderr. */
public final class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
