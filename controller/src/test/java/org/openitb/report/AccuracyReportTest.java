package org.openitb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.Gravimetry;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestSetup;
import org.openitb.drivers.balance.BalanceProtocol;

class AccuracyReportTest {

    private static final long MINUTE = 60_000_000_000L;

    @Test
    void thePageCarriesTheFiguresWithTheirUncertaintyItsPlotsAndEveryFault() throws IOException {
        // GravimetryTest's series: 60 uL/h of 1 g/mL read every minute on a 0.1 mg balance, and one read of garbage.
        String[] grams = {"0.0000", "0.0010", "0.0021", "0.0030", "0.0038", "0.0050", "0.0060"};
        List<Recorded> reads = new ArrayList<>();
        for (int i = 0; i < grams.length; i++) {
            reads.add(new Recorded(i * MINUTE, BalanceProtocol.MT_SICS.parse("S S " + grams[i] + " g")));
        }
        reads.add(3, new Recorded(3 * MINUTE + 1, BalanceProtocol.MT_SICS.parse("<S S> & junk")));
        TestSetup setup = new TestSetup(60, 1.0, Duration.ofMinutes(1), 0, 0.0001, Duration.ZERO, Duration.ofMinutes(6),
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)));
        Analysis a = Gravimetry.analyse(reads.stream().flatMap(r -> r.stable().stream()).toList(), setup);
        String html = AccuracyReport.html("bench-01 at 60 uL/h", setup, a, reads, 5);

        assertTrue(html.contains("A = +0.00 % &plusmn; 1.67 % over the analysis period"), html);
        assertTrue(html.contains("<tr><td>1m</td><td>+20.00</td><td>-20.00</td><td>10.00</td><td>6 of 6</td></tr>"), html);
        assertTrue(html.contains("<tr><td>2m</td><td>+10.00</td><td>-15.00</td><td>5.00</td><td>5 of 5</td></tr>"), html);
        assertTrue(html.contains("8 reads, 1 without a stable weight"), html);
        assertTrue(html.contains("<td>garbage</td><td>&lt;S S&gt; &amp; junk</td>"), "the fault as the balance said it, escaped");

        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertEquals(Charts.WIDTH, image.getWidth());
            assertEquals(Charts.HEIGHT, image.getHeight());
            images++;
        }
        assertEquals(4, images, "trumpet, start-up, delivered against ideal, readings: in the page itself");
    }
}
