package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.config.ProjectFiles;
import org.openitb.cli.Main;

/** The packaged jar, run as a real process the way the README and systemd run it. */
class JarIT {

    @TempDir
    Path dir;

    private static Path jar() {
        return Path.of(System.getProperty("openitb.jar", "target/openitb.jar"));
    }

    private record Run(int code, String out, String err) {
    }

    private static Run openitb(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openitb " + String.join(" ", args) + " did not finish");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theJarMergesEveryPi4jPluginServiceFile() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile());
                InputStream in = jar.getInputStream(jar.getEntry("META-INF/services/com.pi4j.extension.Plugin"))) {
            Set<String> plugins = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
            assertEquals(Set.of("com.pi4j.plugin.mock.MockPlugin", "com.pi4j.plugin.gpiod.GpioDPlugin",
                    "com.pi4j.plugin.linuxfs.LinuxFsPlugin", "com.pi4j.plugin.raspberrypi.RaspberryPiPlugin"), plugins);
            assertEquals("org.openitb.launch.Launch", jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void configCheckPassesTheShippedConfigAndFindsThePluginsInsideTheJar() throws Exception {
        Run r = openitb("config", "check", "--config", ProjectFiles.exampleConfig().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(": OK"), r.out());
        assertTrue(r.out().contains("Pi4J plugins available: gpiod, linuxfs, mock, raspberrypi"), r.out());
        assertEquals("", r.err(), "nothing on stderr for a good config");
    }

    @Test
    void configCheckRefusesAMisspeltKeyWithExitTwo() throws Exception {
        Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, Files.readString(ProjectFiles.exampleConfig()).replace("sensor.stall.debounce", "sensor.stall.debonce"));
        Run r = openitb("config", "check", "--config", typo.toString());
        assertEquals(2, r.code());
        assertEquals("openitb: " + typo + ": unknown key sensor.stall.debonce = 5ms (did you mean sensor.stall.debounce?);"
                + " every key is listed in the example config/openitb.properties", r.err().strip());
    }

    @Test
    void versionComesFromTheManifest() throws Exception {
        Run r = openitb("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("openitb \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), r.out());
    }
}
