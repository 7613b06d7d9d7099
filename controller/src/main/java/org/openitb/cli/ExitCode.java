package org.openitb.cli;

/** Exit codes of the contract: tests outside the project rely on them. */
public final class ExitCode {
    /** Done. */
    public static final int OK = 0;
    /** Anything not covered below: an internal error, an I/O failure. */
    public static final int FAILURE = 1;
    /** Invalid input: usage, validation, a limit refused; the reason is one line on stderr. */
    public static final int INVALID_INPUT = 2;
    /** No daemon answered on the control socket. */
    public static final int DAEMON_UNREACHABLE = 3;

    private ExitCode() {
    }
}
