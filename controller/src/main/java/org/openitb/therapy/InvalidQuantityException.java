package org.openitb.therapy;

/** A quantity could not be read: no unit, the wrong unit, not a number, negative, too precise or absurd. */
public final class InvalidQuantityException extends IllegalArgumentException {
    public InvalidQuantityException(String message) {
        super(message);
    }
}
