package org.openitb.accuracy;

/** A test that cannot start or stop as asked: the one line that says why. */
public final class TestRefused extends Exception {

    private static final long serialVersionUID = 1L;

    public TestRefused(String why) {
        super(why, null, false, false);
    }
}
