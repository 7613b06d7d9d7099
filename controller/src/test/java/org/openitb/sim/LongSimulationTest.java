package org.openitb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;

/**
 * The long mode's program and script: a resumed run covers the very seeds an uninterrupted one
 * would, and the script refuses bad arguments in one line before it builds or touches a run.
 */
class LongSimulationTest {

    private record Run(int code, String out, String err) {
    }

    @Test
    void aResumedRunDrawsAndRunsTheSeedsAnUninterruptedOneWould() throws Exception {
        List<String> whole = seedResults(longSimulation("2", "1", "77"));
        assertEquals(2, whole.size(), whole.toString());

        Run resumed = longSimulation("2", "1", "77", "1");
        assertTrue(resumed.out().contains("resuming after 1 seeds (1 days) that passed in an earlier part"), resumed.out());
        assertEquals(List.of(whole.get(1)), seedResults(resumed), "the second seed, drawn and run as in one go");
        assertTrue(resumed.out().contains("TOTAL 1 seeds 1 days"), resumed.out());
    }

    @Test
    void theScriptRefusesBadArgumentsInOneLine() throws Exception {
        for (List<String> args : List.of(List.of("0"), List.of("ten"), List.of("100", "-2"), List.of("100", "2", "1.5"),
                List.of("resume", "now"))) {
            Run r = script(Map.of(), args);
            assertEquals(2, r.code(), args + ": " + r.err());
            assertEquals(1, r.err().lines().count(), args + ": " + r.err());
            assertTrue(r.err().startsWith("fault-simulation: "), r.err());
            assertEquals("", r.out(), args.toString());
        }
        Run badSeed = script(Map.of("FAULT_SIMULATION_SEED", "abc"), List.of("10"));
        assertEquals(2, badSeed.code(), badSeed.err());
        assertTrue(badSeed.err().contains("FAULT_SIMULATION_SEED is a whole number, not 'abc'"), badSeed.err());
    }

    /** Each seed's result line without its timing, which differs from run to run. */
    private static List<String> seedResults(Run r) {
        assertEquals(0, r.code(), r.out() + r.err());
        return r.out().lines().filter(l -> l.startsWith("  seed ")).map(l -> l.replaceAll(" in \\d+ s$", "")).toList();
    }

    private static Run longSimulation(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtinylog.configuration=tinylog-test.properties", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), LongSimulation.class.getName()));
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command));
    }

    private static Run script(Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ProjectFiles.root().resolve("scripts/fault-simulation.sh").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return run(pb);
    }

    private static Run run(ProcessBuilder pb) throws IOException, InterruptedException {
        Path err = Files.createTempFile("long-simulation-", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finished");
            // The simulation's own warnings (alarms it provokes) go to stderr too; keep only the script's and the program's.
            String errors = String.join("\n", Files.readAllLines(err).stream()
                    .filter(l -> !l.startsWith("WARN ") && !l.startsWith("ERROR ") && !l.startsWith("INFO ")).toList());
            return new Run(p.exitValue(), out, errors);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
