package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.clock.SimulatedClock;
import org.openitb.clock.SystemClock;
import org.openitb.config.ProjectFiles;
import org.openitb.journal.TherapyEvent;
import org.openitb.store.PumpStore;
import org.openitb.store.Sample;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.ProgramCodec;

/** {@code openitb report} on a pump memory the real store wrote: the page, its one-line summary, and every refusal in one line. */
class ReportCommandTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    /** The shipped config, with its state in the test's directory and its clock in UTC. */
    private Path config() throws Exception {
        Path file = dir.resolve("openitb.properties");
        Files.writeString(file, Files.readString(ProjectFiles.exampleConfig()).replace("state.dir = state", "state.dir = " + dir.resolve("state"))
                .replace("clock.zone = system", "clock.zone = UTC"), StandardCharsets.UTF_8);
        return file;
    }

    /** Two days at 400 mcg/day, sampled every 5 minutes; the counts advance exactly 400 mcg a day (1 388.9 ng a step, kept in 1/288 ng). */
    private void twoDays() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        try (PumpStore store = PumpStore.open(dir.resolve("state"), new SimulatedClock(START, ZoneId.of("UTC")), new SystemClock(ZoneId.of("UTC")))) {
            for (int i = 0; i <= 576; i++) {
                long ng = 400_000L * i / 288;
                store.sample(new Sample(START.plus(Duration.ofMinutes(5L * i)), "delivering", ng, ng, 400_000, OptionalLong.of(500_000),
                        10_000_000_000L - ng * 2_000, OptionalDouble.of(100), "none", OptionalLong.of(100), true));
            }
            store.accept(new TherapyEvent("program-changed", START.plusSeconds(60), 0, "clinician", Map.of("dose", "400mcg/day")));
            assertTrue(store.flush(Duration.ofSeconds(10)));
        }
    }

    @Test
    void theNewestTwoDaysOnOnePage() throws Exception {
        twoDays();
        Path out = dir.resolve("week.html");
        Cli r = Cli.run("report", "--config", config().toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        // The default range is the week before the newest sample: all of it.
        assertEquals(List.of("2026-02-24 00:00 to 2026-03-03 00:00 (UTC): 577 samples, 1 journal entry",
                "program 800.0 mcg, to the patient 800.0 mcg (0.0 mcg); 0 spans without samples", "report: " + out), r.out().lines().toList());
        String page = Files.readString(out);
        assertTrue(page.contains("program-changed") && page.contains("data:image/png;base64,"), page);
    }

    private static Map<String, Object> program(String rate) {
        return Map.of("program", ProgramCodec.toMap(new ContinuousProgram(DailyRate.parse(rate), Concentration.parse("500mcg/mL"))));
    }

    /**
     * 480 mcg/day (1/3 mcg a minute) from midnight; the daemon's last heartbeat at 02:30 and its
     * restart at 12:30 (the last sample before at 02:25, the first after at 12:35); 560 mcg/day set
     * at 12:51 and corrected to 390 at 12:53, between the samples of 12:50 and 12:55.
     */
    private void anOutageAndACorrection() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        try (PumpStore store = PumpStore.open(dir.resolve("state"), new SimulatedClock(START, ZoneId.of("UTC")), new SystemClock(ZoneId.of("UTC")))) {
            for (int minute = 0; minute <= 14 * 60; minute += 5) {
                if (minute > 2 * 60 + 25 && minute < 12 * 60 + 35) {
                    continue;
                }
                long ng = (minute - (minute > 12 * 60 ? 600 : 0)) * 1000L / 3;
                store.sample(new Sample(START.plus(Duration.ofMinutes(minute)), "delivering", ng, ng, minute >= 12 * 60 + 55 ? 390_000 : 480_000,
                        OptionalLong.of(500_000), 10_000_000_000L - ng * 2_000, OptionalDouble.of(100), "none", OptionalLong.of(100), true));
            }
            store.accept(new TherapyEvent("controller-restarted", START.plus(Duration.ofMinutes(12 * 60 + 30)), 0, "pump",
                    Map.of("lastHeartbeat", START.plus(Duration.ofMinutes(150)).toString(), "gapKnown", true)));
            store.accept(new TherapyEvent("program-changed", START.plus(Duration.ofMinutes(12 * 60 + 51)), 0, "clinician", program("560mcg/day")));
            store.accept(new TherapyEvent("program-changed", START.plus(Duration.ofMinutes(12 * 60 + 53)), 0, "clinician", program("390mcg/day")));
            assertTrue(store.flush(Duration.ofSeconds(10)));
        }
    }

    @Test
    void whatTheJournalSaysJustOutsideTheRangeDecidesHowItsEndsAreRead() throws Exception {
        anOutageAndACorrection();
        Path out = dir.resolve("ends.html");
        // Ends in the outage: the 30 minutes before it, 10 mcg by hand, not a share of what came after the restart.
        Cli r = Cli.run("report", "--config", config().toString(), "--from", "2026-03-01T02:00", "--to", "2026-03-01T08:00", "--out", out.toString());
        assertTrue(r.out().contains("program 120.0 mcg, to the patient 10.0 mcg (-110.0 mcg); 1 span without samples"), r.out() + r.err());
        // A minute inside the 560 mcg/day, the correction after the range: 0.39 mcg by hand, not the 390's 0.27.
        r = Cli.run("report", "--config", config().toString(), "--from", "2026-03-01T12:51:30", "--to", "2026-03-01T12:52:30", "--out", out.toString());
        assertTrue(r.out().contains("program 0.4 mcg"), r.out() + r.err());
    }

    @Test
    void aRangeIsDatesTimesOrHowLongBefore() throws Exception {
        twoDays();
        Path out = dir.resolve("day.html");
        Cli r = Cli.run("report", "--config", config().toString(), "--from", "1d", "--to", "2026-03-02T12:00", "--out", out.toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("2026-03-01 12:00 to 2026-03-02 12:00 (UTC): 289 samples, 0 journal entries\nprogram 400.0 mcg"), r.out());
        r = Cli.run("report", "--config", config().toString(), "--from", "2026-03-02", "--to", "2026-03-02T06:00:00+01:00", "--out", out.toString());
        assertTrue(r.out().startsWith("2026-03-02 00:00 to 2026-03-02 05:00 (UTC): 61 samples"), r.out() + r.err());
        r = Cli.run("report", "--config", config().toString(), "--from", "2026-03-02 00:00", "--to", "2026-03-02 05:00", "--out", out.toString());
        assertTrue(r.out().startsWith("2026-03-02 00:00 to 2026-03-02 05:00 (UTC): 61 samples"), "a space as people write it: " + r.out() + r.err());
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        twoDays();
        Path out = dir.resolve("never.html");
        String cfg = config().toString();
        Cli r = Cli.run("report", "--config", cfg, "--from", "last tuesday", "--out", out.toString());
        assertEquals(ExitCode.INVALID_INPUT, r.code());
        assertEquals(1, r.errLines(), r.err());
        assertEquals("openitb: --from last tuesday: give a date (2026-12-01), a time (2026-12-01T08:00) or how long before --to, up to 400d"
                + " (7d, 36h)\n", r.err());
        r = Cli.run("report", "--config", cfg, "--from", "2026-03-02", "--to", "2026-03-01", "--out", out.toString());
        assertEquals(ExitCode.INVALID_INPUT, r.code());
        assertEquals("openitb: --from (2026-03-02 00:00) must be before --to (2026-03-01 00:00)\n", r.err());
        r = Cli.run("report", "--config", cfg, "--from", "2026-03-04", "--out", out.toString());
        assertEquals("openitb: --from 2026-03-04 is not before the newest sample (2026-03-03 00:00): nothing to report\n", r.err());
        r = Cli.run("report", "--config", cfg, "--to", "2026-13-01", "--out", out.toString());
        assertEquals(ExitCode.INVALID_INPUT, r.code());
        assertEquals(1, r.errLines(), r.err());
        r = Cli.run("report", "--config", cfg, "--from", "2025-01-01", "--out", out.toString());
        assertEquals("openitb: a report covers 400 days at most; give a shorter range\n", r.err());
        r = Cli.run("report", "--config", cfg, "--out", dir.resolve("no/such/dir/x.html").toString());
        assertEquals(ExitCode.FAILURE, r.code());
        assertEquals(1, r.errLines(), r.err());
        assertEquals("openitb: cannot write " + dir.resolve("no/such/dir/x.html") + ": no such directory\n", r.err());
        assertTrue(Files.notExists(out));
    }

    @Test
    void thePumpsMemoryAndFilesThatAreNotPagesAreNeverWrittenOver() throws Exception {
        twoDays();
        String cfg = config().toString();
        Path db = dir.resolve("state").resolve(PumpStore.FILE);
        long before = Files.size(db);
        Cli r = Cli.run("report", "--config", cfg, "--out", db.toString());
        assertEquals(ExitCode.INVALID_INPUT, r.code());
        assertEquals("openitb: --out " + db + " is in the pump's state directory (" + dir.resolve("state") + "): write the page elsewhere\n", r.err());
        assertEquals(before, Files.size(db));
        r = Cli.run("report", "--config", cfg, "--out", cfg);
        assertEquals("openitb: --out " + cfg + " exists and is not an HTML page: it is not overwritten; give another name\n", r.err());
        assertTrue(Files.readString(Path.of(cfg)).contains("pump.id"));
        r = Cli.run("report", "--config", cfg, "--out", "");
        assertEquals("openitb: --out needs a file name, like week.html\n", r.err());
        Path page = dir.resolve("again.html");
        assertEquals(ExitCode.OK, Cli.run("report", "--config", cfg, "--out", page.toString()).code());
        assertEquals(ExitCode.OK, Cli.run("report", "--config", cfg, "--out", page.toString()).code(), "a page is written over by a page");
    }

    @Test
    void aLocalTimeTheClocksSkippedIsSaidSo() {
        Instant any = Instant.parse("2026-03-09T00:00:00Z");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ReportCommand.when("--from", "2026-03-08T02:30", ZoneId.of("America/New_York"), any));
        assertEquals("--from 2026-03-08T02:30: that time does not exist in America/New_York (the clocks went forward then)", e.getMessage());
    }

    @Test
    void aPumpWithoutMemoryIsSaidSo() throws Exception {
        Cli r = Cli.run("report", "--config", config().toString(), "--out", dir.resolve("x.html").toString());
        assertEquals(ExitCode.FAILURE, r.code());
        assertEquals("openitb: no pump memory at " + dir.resolve("state").resolve(PumpStore.FILE) + " (is state.dir the pump's?)\n", r.err());
    }
}
