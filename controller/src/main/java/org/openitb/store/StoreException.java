package org.openitb.store;

/** The database cannot be used: it is unreadable (corrupt, a newer schema) or out of reach (permissions, I/O). */
public final class StoreException extends Exception {

    /** Why it cannot be used. */
    public enum Kind {
        /** The file is there but is not a database this pump can trust: set it aside and start afresh. */
        UNREADABLE,
        /** The file or its directory cannot be opened or created: run without memory and say so. */
        UNAVAILABLE
    }

    private final Kind kind;

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
