package org.openitb.drivers.balance;

/** A balance that cannot be reached at all (no such port, already in use); a one-line message. */
public final class BalanceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BalanceException(String message) {
        super(message);
    }
}
