package org.openitb.cli;

/** No daemon answered on the control socket: exit code 3 and this message as the one line on stderr. */
final class DaemonUnreachableException extends RuntimeException {
    DaemonUnreachableException(String message) {
        super(message);
    }
}
