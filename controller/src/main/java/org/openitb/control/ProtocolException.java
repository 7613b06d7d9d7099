package org.openitb.control;

/** A control request that cannot be understood or is not allowed: answered with code 2 and this one-line reason. */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }
}
