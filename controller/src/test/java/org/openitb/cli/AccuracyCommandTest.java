package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.accuracy.ReadingsCsv;
import org.openitb.accuracy.Recorded;
import org.openitb.drivers.balance.BalanceProtocol;

class AccuracyCommandTest {

    private static final long MINUTE = 60_000_000_000L;

    @TempDir
    Path dir;

    /** GravimetryTest's series (60 uL/h, 1 g/mL, a minute apart, 0.1 mg), recorded as a test writes it, with one silent read. */
    private Path record() throws IOException {
        String[] grams = {"0.0000", "0.0010", "0.0021", "0.0030", "0.0038", "0.0050", "0.0060"};
        List<String> lines = new ArrayList<>(List.of(ReadingsCsv.HEADER));
        for (int i = 0; i < grams.length; i++) {
            lines.add(ReadingsCsv.line(new Recorded(i * MINUTE, BalanceProtocol.MT_SICS.parse("S S " + grams[i] + " g"))));
        }
        lines.add(ReadingsCsv.line(new Recorded(7 * MINUTE, BalanceProtocol.MT_SICS.parse("S +"))));
        Path file = dir.resolve("bench-01.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void aRecordIsAnalysedOnTheTerminalAndItsPageWrittenBesideIt() throws IOException {
        Path record = record();
        Cli r = Cli.run("accuracy", "analyse", "--record", record.toString(), "--rate", "0.06mL/h", "--interval", "1m", "--readability",
                "0.1mg", "--density", "1g/mL", "--from", "0m", "--to", "6m", "--windows", "1m,2m");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("8 reads, 1 without a stable weight; rate 60.000 uL/h"), r.out());
        assertTrue(r.out().contains("overall error +0.00 % +/- 1.67 %"), r.out());
        assertTrue(r.out().contains("window 1m   Ep(max)  +20.00 %  Ep(min)  -20.00 %  +/- 10.00 %  (6 of 6 windows)"), r.out());
        assertTrue(r.out().contains("window 2m   Ep(max)  +10.00 %  Ep(min)  -15.00 %  +/- 5.00 %  (5 of 5 windows)"), r.out());
        assertTrue(Files.readString(dir.resolve("bench-01.html")).contains("<td>overload</td><td>S +</td>"));
    }

    @Test
    void theRateMayBeTheProgramsAndBadInputIsOneLine() throws IOException {
        Path record = record();
        // 400 mcg/day of 500 mcg/mL: 0.8 mL a day, 33.333 uL/h.
        Cli ok = Cli.run("accuracy", "analyse", "--record", record.toString(), "--daily-dose", "400mcg/day", "--concentration", "500mcg/mL",
                "--interval", "1m", "--from", "0m", "--to", "6m", "--windows", "1m");
        assertTrue(ok.out().contains("rate 33.333 uL/h"), ok.out() + ok.err());
        String[][] bad = {
            {"--rate", "0.06mL/h", "--daily-dose", "400mcg/day", "--concentration", "500mcg/mL"},
            {"--rate", "0.06mL/h", "--windows", "45s"},
            {"--rate", "fast"},
        };
        for (String[] options : bad) {
            List<String> args = new ArrayList<>(List.of("accuracy", "analyse", "--record", record.toString()));
            args.addAll(List.of(options));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", options) + ": " + r.err());
            assertEquals(1, r.errLines(), r.err());
        }
        Cli missing = Cli.run("accuracy", "analyse", "--record", dir.resolve("none.csv").toString(), "--rate", "0.06mL/h");
        assertEquals("openitb: " + dir.resolve("none.csv") + ": no such record", missing.err().strip());
    }

    @Test
    void aRecordReadEvery30sIsAnalysedOnALongerDeltaTFromTheReadsMadeForIt() throws IOException {
        // Read every 30 s; at delta t 1 min only the reads on the minute count: the ones between are
        // off by +0.3 mg, which would show in every window if they were taken.
        List<String> lines = new ArrayList<>(List.of(ReadingsCsv.HEADER));
        for (int i = 0; i <= 12; i++) {
            String grams = i % 2 == 0 ? String.format(Locale.ROOT, "%.4f", i / 2 * 0.001) : String.format(Locale.ROOT, "%.4f",
                    i / 2 * 0.001 + 0.0008);
            lines.add(ReadingsCsv.line(new Recorded(i * MINUTE / 2, BalanceProtocol.MT_SICS.parse("S S " + grams + " g"))));
        }
        Path file = dir.resolve("fine.csv");
        Files.write(file, lines);
        Cli r = Cli.run("accuracy", "analyse", "--record", file.toString(), "--rate", "0.06mL/h", "--interval", "1m", "--readability", "0.1mg",
                "--density", "1g/mL", "--from", "0m", "--to", "6m", "--windows", "1m,2m");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("window 1m   Ep(max)   +0.00 %  Ep(min)   +0.00 %  +/- 10.00 %  (6 of 6 windows)"), r.out());
        Cli odd = Cli.run("accuracy", "analyse", "--record", file.toString(), "--rate", "0.06mL/h", "--interval", "45s", "--windows", "45s",
                "--from", "0m", "--to", "6m");
        assertEquals(2, odd.code(), odd.err());
        assertEquals("openitb: --interval 45s is not a whole number of the record's read interval (30s)", odd.err().strip());
    }

    @Test
    void aRecordTheDaemonWroteIsAnalysedWithItsOwnSetupUnlessAnOptionSaysOtherwise() throws IOException {
        Path record = record();
        // The daemon's header beside it: 60 uL/h, delta t 1 min, 0-6 min, windows of 2 min, water of 1 g/mL, a 0.1 mg balance.
        Files.writeString(dir.resolve("bench-01.test"), String.join("\n", "name=bench-01", "started=2026-12-04T10\\:00\\:00Z", "revision=3",
                "rate.ul-per-h=60.0", "read-interval=1m", "length=7m", "scheme=STANDARD", "delta-t=1m", "analysis.from=0s", "analysis.to=6m",
                "windows=2m", "density.g-per-ml=1.0", "evaporation.mg-per-h=0.0", "readability.g=1.0E-4", "tolerance.percent=5.0",
                "note.1=at 0h03m00s\\: delivery suspended"));
        Cli own = Cli.run("accuracy", "analyse", "--record", record.toString());
        assertEquals(0, own.code(), own.err());
        assertTrue(own.out().contains("rate 60.000 uL/h; delta t 1m (the test's own setup"), own.out());
        assertTrue(own.out().contains("note: at 0h03m00s: delivery suspended"), own.out());
        assertTrue(own.out().contains("window 2m   Ep(max)  +10.00 %  Ep(min)  -15.00 %  +/- 5.00 %  (5 of 5 windows)"), own.out());
        Cli other = Cli.run("accuracy", "analyse", "--record", record.toString(), "--windows", "1m");
        assertTrue(other.out().contains("window 1m   Ep(max)  +20.00 %  Ep(min)  -20.00 %"), other.out());
        Cli beyond = Cli.run("accuracy", "analyse", "--record", record.toString(), "--to", "2h");
        assertEquals(2, beyond.code(), beyond.out());
        assertEquals("openitb: the analysis period ends at 2h, after the record's last read (0h07m00s): give --to", beyond.err().strip());
    }
}
