package org.openitb.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in config/ is loaded by the program that will read it; a file no test knows how to load fails here. */
class ShippedConfigFilesTest {

    @Test
    void everyFileInConfigIsLoaded() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ProjectFiles.root().resolve("config"))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            String name = ProjectFiles.root().resolve("config").relativize(file).toString();
            switch (name) {
                case "openitb.properties" -> ConfigLoader.load(file);
                case "tinylog.properties" -> checkTinylogConfig(file);
                default -> fail("config/" + name + " is shipped but no test loads it; teach ShippedConfigFilesTest how");
            }
        }
    }

    /** Runs a JVM with the file as its tinylog configuration and looks at what it writes. */
    private static void checkTinylogConfig(Path file) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Dtinylog.configuration=" + file, TinylogProbe.class.getName())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        String log = new String(err, StandardCharsets.UTF_8);
        assertTrue(log.contains("INFO: [main] TinylogProbe: probe info"), log);
        assertFalse(log.contains("probe debug"), "the daemon logs at info, not debug");
        assertFalse(log.contains("New context builder"), "Pi4J's info chatter is kept out");
        assertTrue(log.contains("WARN: [main] DefaultRuntime: Pi4J context/runtime is already shutdown"),
                "Pi4J's warnings reach the journal through the SLF4J bridge: " + log);
    }
}
