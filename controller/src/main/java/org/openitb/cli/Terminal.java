package org.openitb.cli;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * The terminal a person types on, if there is one. Since Java 22 {@link System#console()} may
 * answer for a pipe too (Java 22 to 24 do by default), so a console that says it is no terminal
 * does not count: a confirmation piped in is not a person confirming (that is what --yes is for).
 */
final class Terminal {

    private Terminal() {
    }

    /** The console, when it is an interactive terminal. */
    @SuppressWarnings("SystemConsoleNull") // null is Java 21's answer for no terminal; 22+ are asked isTerminal() below
    static Optional<Console> console() {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        try {
            // Console.isTerminal() is Java 22's; the build targets 21, whose console is always a terminal.
            Object terminal = Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? Optional.of(console) : Optional.empty();
        } catch (NoSuchMethodException e) {
            return Optional.of(console);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return Optional.empty(); // cannot tell: take it for no terminal, the safe answer
        }
    }
}
