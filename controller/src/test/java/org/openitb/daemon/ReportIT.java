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
 * {@code openitb report} on what the real daemon kept of 6 simulated hours at 600x: 400 mcg/day,
 * suspended for 2 h in the middle. The figures are held to the prescription's own arithmetic
 * (100 mcg in 6 h, 33.3 mcg missed in 2 h), not to the pump's counts. 600x, not faster: a dose loop
 * held half a real second by a busy machine trips the motor watchdog, and the time it halts is not
 * made up (5 pump minutes here, 30 at 3600x).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReportIT {

    @TempDir
    Path dir;

    @Test
    void sixHoursWithATwoHourSuspensionAreAThirdShortOnThePage() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir).simulate(600)) {
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            d.primeCatheter("0.2mL");
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes"));
            Instant from = Instant.parse(d.status().get("at").getAsString());
            d.statusAfter(from, Duration.ofHours(1), Duration.ofSeconds(60));
            DaemonProcess.assertOk(d.openitb("suspend", "--for", "2h", "--yes"));
            Instant to = from.plus(Duration.ofHours(6));
            // Past the end of the range, so that the samples on both sides of it are on disk.
            Instant past = Instant.parse(d.statusAfter(to, Duration.ofMinutes(30), Duration.ofSeconds(120)).get("at").getAsString());
            assertTrue(!past.isBefore(to.plus(Duration.ofMinutes(30))), "the simulation reached the end of the range: " + past);

            Path page = dir.resolve("six-hours.html");
            // Read beside the running daemon, as a bench user would.
            DaemonProcess.Run r = DaemonProcess.assertOk(d.openitb("report", "--from", from.toString(), "--to", to.toString(), "--out", page.toString()));
            Matcher m = Pattern.compile("program ([0-9.]+) mcg, to the patient ([0-9.]+) mcg \\(([-+0-9.]+) mcg\\); (\\d+) spans without samples")
                    .matcher(r.out());
            assertTrue(m.find(), r.out());
            double program = Double.parseDouble(m.group(1));
            double patient = Double.parseDouble(m.group(2));
            assertEquals(100, program, 0.1, "6 h of 400 mcg/day, the range's ends read between samples: " + r.out());
            // The 2 h suspension is 33.3 mcg; the pump's own delivery is exact to a microstep (0.036 mcg).
            assertEquals(-400.0 * 2 / 24, patient - program, 0.5, r.out());
            assertEquals("0", m.group(4), "the daemon ran throughout: " + r.out());
            int samples = Integer.parseInt(r.out().replaceAll("(?s).*: (\\d+) samples.*", "$1"));
            assertTrue(samples >= 70 && samples <= 73, "one every 5 minutes of the 6 h: " + samples);

            String html = Files.readString(page);
            boolean alarms = !html.contains("<h2>Alarms</h2>\n<p>None in this range.</p>");
            assertEquals(alarms ? 4 : 3, html.split("data:image/png;base64,", -1).length - 1, "delivered, reservoir, risk (and alarms, if any)");
            assertTrue(html.contains("<td style=\"text-align:left\">suspended</td>"), "the suspension is on the time line");
            assertTrue(html.contains("empty at about"), "a reservoir projected to run empty");
        }
    }
}
