package org.openitb.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import org.junit.jupiter.api.Test;
import org.openitb.cli.Main;

class LaunchTest {

    @Test
    void readsTheFeatureReleaseOfEverySpecificationVersionForm() {
        assertEquals(8, Launch.feature("1.8"));
        assertEquals(11, Launch.feature("11"));
        assertEquals(17, Launch.feature("17"));
        assertEquals(21, Launch.feature("21"));
        assertEquals(25, Launch.feature("25"));
        assertEquals(0, Launch.feature(null));
        assertEquals(0, Launch.feature(""));
        assertEquals(0, Launch.feature("99999999999"), "nonsense is not a release");
    }

    @Test
    void itAsksForTheReleaseTheProgramIsCompiledFor() throws Exception {
        // The program's class files say which Java they need (major version - 44); asking for less would let
        // an older Java start and fail on them, asking for more would turn away a Java that runs them.
        try (DataInputStream in = new DataInputStream(Launch.class.getResourceAsStream("/org/openitb/cli/Main.class"))) {
            assertEquals(0xCAFEBABE, in.readInt());
            in.readUnsignedShort();
            assertEquals(Launch.REQUIRED_FEATURE, in.readUnsignedShort() - 44);
        }
        try (DataInputStream in = new DataInputStream(Launch.class.getResourceAsStream("Launch.class"))) {
            in.readInt();
            in.readUnsignedShort();
            assertEquals(52, in.readUnsignedShort(), "the entry point itself loads on Java 8");
        }
    }

    @Test
    void tooOldIsOneLineNamingTheJavaThatRanAndTheWaysOut() {
        String line = Launch.tooOld("17", "/usr/lib/jvm/java-17-openjdk-amd64");
        assertTrue(line.startsWith("openitb: needs Java 21 or newer, this is Java 17 (/usr/lib/jvm/java-17-openjdk-amd64)"), line);
        assertTrue(line.contains("scripts/openitb") && line.contains("openjdk-21-jdk"), line);
        assertEquals(-1, line.indexOf('\n'));
    }
}
