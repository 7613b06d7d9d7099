package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;
import org.openitb.cli.ConfigOption;

/**
 * The shipped systemd unit: the settings a bench pump's life depends on, and the hardening score
 * of {@code systemd-analyze security --offline=true} at 2.1 or better.
 */
class ServiceUnitTest {

    static final Path UNIT = ProjectFiles.root().resolve("systemd/openitb.service");
    /**
     * The bound on systemd-analyze's heuristic. 2.1: the unit gives up two of its points on purpose,
     * each found on the virtual Pi: real-time scheduling for the dose loop (RestrictRealtime=no,
     * LimitRTPRIO=20: 0.1) and the read-only adjtimex that says whether the clock is synchronised
     * (no ProtectClock=, adjtimex allowed: 0.4, which PrivateMounts=yes brings back by 0.2).
     */
    static final double MAX_EXPOSURE = 2.1;

    /** Each key's values in order (a key may repeat), continuation lines joined. */
    static Map<String, List<String>> settings() throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String joined = Files.readString(UNIT).replaceAll("\\\\\\n\\s*", " ");
        for (String line : joined.lines().toList()) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            keys.computeIfAbsent(line.substring(0, eq).trim(), k -> new ArrayList<>()).add(line.substring(eq + 1).trim());
        }
        return keys;
    }

    static String one(Map<String, List<String>> s, String key) {
        List<String> values = s.getOrDefault(key, List.of());
        assertEquals(1, values.size(), key + " once: " + values);
        return values.get(0);
    }

    static final Path JVM_OPTIONS = ProjectFiles.root().resolve("config/jvm.options");
    /** Where install.sh puts config/jvm.options, and the unit reads it. */
    static final String INSTALLED_JVM_OPTIONS = "/opt/openitb/jvm.options";

    /** The JVM options of ExecStart, between the java binary and -jar, its @argfile read from config/jvm.options. */
    static List<String> jvmOptions() throws IOException {
        List<String> words = List.of(one(settings(), "ExecStart").split("\\s+"));
        List<String> options = new ArrayList<>();
        for (String word : words.subList(1, words.indexOf("-jar"))) {
            if (word.equals("@" + INSTALLED_JVM_OPTIONS)) {
                options.addAll(argFile(JVM_OPTIONS));
            } else {
                options.add(word);
            }
        }
        return options;
    }

    /** The arguments of a java @argfile as the launcher reads it: one per line, # comments and blank lines skipped. */
    static List<String> argFile(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void theServiceNeverGivesUpAndTellsTheTruthAboutItsHealth() throws IOException {
        Map<String, List<String>> s = settings();
        assertEquals("notify", one(s, "Type"));
        assertEquals("main", one(s, "NotifyAccess"), "only the JVM may say READY or WATCHDOG");
        assertEquals("always", one(s, "Restart"));
        assertEquals("0", one(s, "StartLimitIntervalSec"), "no start limit: a controller that gives up is a withdrawal risk");
        assertTrue(seconds(one(s, "RestartSec")) <= 2, "a short RestartSec");
        long watchdog = seconds(one(s, "WatchdogSec"));
        assertTrue(watchdog * 1_000_000_000L >= ServiceHealth.MIN_WATCHDOG_NANOS, "room to notice a stall before the watchdog runs out");
        assertTrue(watchdog <= 30, "a hang is ended within half a minute");
        assertEquals("no", one(s, "MemoryDenyWriteExecute"), "the JIT needs writable executable memory");
        assertEquals("143", one(s, "SuccessExitStatus"), "SIGTERM is a clean stop for the JVM");
        for (String wait : List.of("Wants", "Requires", "After")) {
            for (String target : s.getOrDefault(wait, List.of())) {
                assertTrue(!target.contains("network-online") && !target.contains("time-sync"),
                        "dosing must not wait at boot for the network or for NTP: " + wait + "=" + target);
            }
        }
    }

    @Test
    void aDedicatedUserInTheGpioGroupRunsTheInstalledJarWithTheInstalledConfig() throws IOException {
        Map<String, List<String>> s = settings();
        assertEquals("openitb", one(s, "User"));
        assertEquals("gpio", one(s, "SupplementaryGroups"));
        assertEquals("openitb", one(s, "StateDirectory"));
        assertEquals("/var/lib/openitb", one(s, "WorkingDirectory"));
        String exec = one(s, "ExecStart");
        assertTrue(exec.startsWith("/opt/openitb/jre/bin/java "), exec);
        assertTrue(exec.endsWith(" -jar /opt/openitb/openitb.jar run --config " + ConfigOption.DEFAULT), exec);
        assertTrue(one(s, "DeviceAllow").contains("char-gpiochip rw"), "the GPIO character devices");
    }

    @Test
    void theUnitTakesItsJvmOptionsFromTheSharedFile() throws IOException {
        List<String> words = List.of(one(settings(), "ExecStart").split("\\s+"));
        assertEquals("@" + INSTALLED_JVM_OPTIONS, words.get(1), "the options the wrapper and scripts/openitb use too: " + words);
        List<String> shared = argFile(JVM_OPTIONS);
        assertTrue(shared.stream().allMatch(o -> o.startsWith("-") && !o.contains(" ")), "one option per line: " + shared);
        for (String word : words.subList(2, words.indexOf("-jar"))) {
            assertTrue(word.startsWith("-XX:SharedArchiveFile=") || word.equals("-XX:+AutoCreateSharedArchive")
                    || word.startsWith("-Dtinylog.configuration="), "only the unit's own paths beside the shared file: " + word);
        }
    }

    @Test
    void jvmOptionsAreSizedForASmallPi() throws IOException {
        List<String> options = jvmOptions();
        assertTrue(options.contains("-Xmx64m"), "a heap cap: " + options);
        assertTrue(options.contains("-XX:+UseSerialGC"), "one small heap, no GC threads: " + options);
        assertTrue(options.contains("-XX:SharedArchiveFile=/var/cache/openitb/openitb.jsa"), "a CDS archive where CacheDirectory= puts it");
        assertTrue(options.contains("-XX:+AutoCreateSharedArchive"), options.toString());
        assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError"), "a process without memory restarts instead of limping");
        assertTrue(one(settings(), "CacheDirectory").equals("openitb"));
    }

    @Test
    void systemdAnalyzeRatesItTwoOrBetter() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("systemd-analyze", "security", "--offline=true", "--no-pager", UNIT.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("systemd-analyze is missing: install systemd (apt-get install systemd); " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze finished");
        Matcher m = Pattern.compile("Overall exposure level for openitb\\.service: (\\d+\\.\\d+)").matcher(out);
        assertTrue(m.find(), "no overall exposure in: " + out);
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security --offline=true systemd/openitb.service: " + exposure);
        assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + " above " + MAX_EXPOSURE + ":\n" + out);
    }

    private static long seconds(String value) {
        Matcher m = Pattern.compile("(\\d+)(s|min)?").matcher(value);
        assertTrue(m.matches(), "a plain duration: " + value);
        return Long.parseLong(m.group(1)) * ("min".equals(m.group(2)) ? 60 : 1);
    }
}
