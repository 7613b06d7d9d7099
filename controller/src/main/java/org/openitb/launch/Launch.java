package org.openitb.launch;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that any JVM can load it: on a Java older than the
 * program needs it says so in one line, with what to do, instead of an UnsupportedClassVersionError;
 * otherwise it hands the command line to {@code org.openitb.cli.Main}.
 */
public final class Launch {

    /** The oldest Java the program is built for (the build's {@code maven.compiler.release}). */
    static final int REQUIRED_FEATURE = 21;
    /** Exit code for anything that is not invalid input nor an unreachable daemon (the contract's 1). */
    private static final int FAILURE = 1;

    private Launch() {
    }

    public static void main(String[] args) throws Throwable {
        int feature = feature(System.getProperty("java.specification.version"));
        if (feature < REQUIRED_FEATURE) {
            System.err.println(tooOld(System.getProperty("java.specification.version"), System.getProperty("java.home")));
            System.exit(FAILURE);
        }
        try {
            Class.forName("org.openitb.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The one line for a Java that is too old: which one ran, and the two ways out. */
    static String tooOld(String version, String javaHome) {
        return "openitb: needs Java " + REQUIRED_FEATURE + " or newer, this is Java " + version + " (" + javaHome + "); run scripts/openitb"
                + " from the checkout (it finds a newer JDK), or install one (openjdk-21-jdk, or Temurin 21 or 25) and run its bin/java";
    }

    /** The feature release of a {@code java.specification.version}: "1.8" is 8, "17" is 17; 0 if unreadable. */
    static int feature(String specification) {
        if (specification == null) {
            return 0;
        }
        String s = specification.startsWith("1.") ? specification.substring(2) : specification;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end == 0 || end > 3 ? 0 : Integer.parseInt(s.substring(0, end));
    }
}
