package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code openitb report} on what the real daemon kept of a simulated day at 3600x: 400 mcg/day,
 * suspended for 6 h in the middle. The figures are held to the prescription's own arithmetic
 * (400 mcg a day, 100 mcg missed in 6 h), not to the pump's counts.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReportIT {

    /** The program's range is cut to the samples inside it: up to 5 minutes at each end, 1.4 mcg each at 400 mcg/day. */
    private static final double ENDS_MCG = 2 * 400.0 * 5 / 1440;

    @TempDir
    Path dir;

    @Test
    void aDayWithASixHourSuspensionIsOneHundredMicrogramsShortOnThePage() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir).simulate(3600)) {
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            d.primeCatheter("0.2mL");
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes"));
            Instant from = Instant.parse(d.status().get("at").getAsString());
            d.statusAfter(from, Duration.ofHours(6), Duration.ofSeconds(60));
            DaemonProcess.assertOk(d.openitb("suspend", "--for", "6h", "--yes"));
            Instant to = from.plus(Duration.ofHours(24));
            // Past the end of the range, so that the samples on both sides of it are on disk.
            Instant past = Instant.parse(d.statusAfter(to, Duration.ofMinutes(30), Duration.ofSeconds(90)).get("at").getAsString());
            assertTrue(!past.isBefore(to.plus(Duration.ofMinutes(30))), "the simulation reached the end of the day: " + past);

            Path page = dir.resolve("day.html");
            // Read beside the running daemon, as a bench user would.
            DaemonProcess.Run r = DaemonProcess.assertOk(d.openitb("report", "--from", from.toString(), "--to", to.toString(), "--out", page.toString()));
            Matcher m = Pattern.compile("program ([0-9.]+) mcg, to the patient ([0-9.]+) mcg \\(([-+0-9.]+) mcg\\); (\\d+) spans without samples")
                    .matcher(r.out());
            assertTrue(m.find(), r.out());
            double program = Double.parseDouble(m.group(1));
            double patient = Double.parseDouble(m.group(2));
            assertEquals(400 - ENDS_MCG / 2, program, ENDS_MCG / 2 + 0.1, "a day of 400 mcg/day: " + r.out());
            // The 6 h suspension is 100 mcg; the pump's own delivery is exact to a microstep (0.036 mcg).
            assertEquals(-100, patient - program, 0.5 + ENDS_MCG, r.out());
            assertEquals("0", m.group(4), "the daemon ran throughout: " + r.out());
            int samples = Integer.parseInt(r.out().replaceAll("(?s).*: (\\d+) samples.*", "$1"));
            assertTrue(samples >= 280 && samples <= 289, "one every 5 minutes of the day: " + samples);

            String html = Files.readString(page);
            boolean alarms = !html.contains("<h2>Alarms</h2>\n<p>None in this range.</p>");
            assertEquals(alarms ? 4 : 3, html.split("data:image/png;base64,", -1).length - 1, "delivered, reservoir, risk (and alarms, if any)");
            assertTrue(html.contains("<td style=\"text-align:left\">suspended</td>"), "the suspension is on the time line");
            assertTrue(html.contains("empty at about"), "a reservoir projected to run empty");
        }
    }
}
