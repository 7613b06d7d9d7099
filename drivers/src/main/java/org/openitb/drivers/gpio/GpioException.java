package org.openitb.drivers.gpio;

/** A pin could not be created, read or written; callers turn it into a device fault. */
public class GpioException extends RuntimeException {
    public GpioException(String message) {
        super(message);
    }

    public GpioException(String message, Throwable cause) {
        super(message, cause);
    }
}
