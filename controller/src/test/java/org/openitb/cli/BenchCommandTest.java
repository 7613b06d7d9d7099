package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.config.ConfigException;
import org.openitb.config.ProjectFiles;
import org.openitb.config.PumpConfig;
import org.openitb.perf.BenchConfig;

/** What {@code bench} refuses before measuring anything, and the config it measures with. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void aDurationOutsideItsBoundsIsRefusedWithOneLine() {
        Cli r = Cli.run("bench", "--duration", "1s");
        assertEquals(2, r.code());
        assertEquals("openitb: --duration 1s: must be from 5s to 90s", r.err().strip());
        assertEquals(2, Cli.run("bench", "--duration", "91s").code());
        assertEquals(2, Cli.run("bench", "--duration", "20").code(), "a number without a unit");
    }

    @Test
    void tooFewOrTooManyCyclesAreRefused() {
        Cli r = Cli.run("bench", "--cycles", "5");
        assertEquals(2, r.code());
        assertEquals("openitb: --cycles 5: must be from 10 to 10000", r.err().strip());
        assertEquals(2, Cli.run("bench", "--cycles", "10001").code());
    }

    @Test
    void garbageOutsideItsBoundsIsRefused() {
        Cli r = Cli.run("bench", "--garbage", "1001");
        assertEquals(2, r.code());
        assertEquals("openitb: --garbage 1001: must be from 0 to 1000 MB/s", r.err().strip());
        assertEquals(2, Cli.run("bench", "--garbage", "-1").code());
    }

    @Test
    void aBrokerThatIsNoMqttUrlIsRefused() {
        Cli r = Cli.run("bench", "--broker", "http://localhost:1883");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("openitb: --broker 'http://localhost:1883' "), r.err());
        assertEquals(1, r.err().strip().lines().count());
    }

    @Test
    void anUnreadableConfigIsRefused() {
        Cli r = Cli.run("bench", "--config", dir.resolve("missing.properties").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.properties"), r.err());
    }

    @Test
    void theBenchConfigPrimesAtExactly500HzAndKeepsItsStateInTheScratchDirectory() throws ConfigException {
        PumpConfig c = BenchConfig.of(Optional.empty(), dir, Optional.empty());
        // 3 mL/min at 100 nL per microstep: 1 800 000 microsteps an hour.
        long perHour = c.delivery().primingRate().picolitresPerHour() / c.mechanics().volumePerMicrostep().picolitres();
        assertEquals(BenchConfig.PRIMING_HZ * 3600, perHour);
        assertTrue(c.stateDir().startsWith(dir));
        assertTrue(c.controlSocket().startsWith(dir));
        assertTrue(c.mqtt().url().isEmpty());
    }

    @Test
    void theBenchTakesTheWiringOfAGivenConfigButNeitherItsStateNorItsBroker() throws Exception {
        Path mine = dir.resolve("mine.properties");
        Files.writeString(mine, Files.readString(ProjectFiles.exampleConfig()).replace("stepper.step-pin = 17", "stepper.step-pin = 4")
                .replace("mqtt.url =", "mqtt.url = tcp://pump-broker:1883"));
        PumpConfig c = BenchConfig.of(Optional.of(mine), dir.resolve("scratch"), Optional.empty());
        assertEquals(4, c.stepper().stepPin());
        assertTrue(c.stateDir().startsWith(dir.resolve("scratch")), "never the pump's own state directory");
        assertTrue(c.mqtt().url().isEmpty(), "never the pump's broker");
    }
}
