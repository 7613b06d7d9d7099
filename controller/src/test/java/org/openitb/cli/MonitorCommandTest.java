package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class MonitorCommandTest {

    @Test
    void aLineOnTheMinuteKeepsItsSeconds() {
        assertEquals("03:51:00", MonitorCommand.timeOfDay(ZonedDateTime.of(2026, 12, 3, 3, 51, 0, 0, ZoneId.of("UTC"))));
        assertEquals("03:51:06", MonitorCommand.timeOfDay(ZonedDateTime.of(2026, 12, 3, 3, 51, 6, 999_000_000, ZoneId.of("UTC"))));
        assertEquals("00:00:00", MonitorCommand.timeOfDay(ZonedDateTime.of(2026, 12, 3, 0, 0, 0, 0, ZoneId.of("UTC"))));
    }

    @Test
    void aBrokerTypedAsHostAndPortIsPlainMqtt() {
        assertEquals("tcp://127.0.0.1:18831", MonitorCommand.brokerUrl("127.0.0.1:18831"));
        assertEquals("tcp://pi.local", MonitorCommand.brokerUrl("pi.local"));
        assertEquals("ssl://pi.local:8883", MonitorCommand.brokerUrl("ssl://pi.local:8883"));
        assertEquals("tcp://[::1]:1883", MonitorCommand.brokerUrl("[::1]:1883"));
    }

    @Test
    void aBrokerThatIsNoAddressIsStillRefusedInOneLine() {
        Cli r = Cli.run("monitor", "--broker", "127.0.0.1:99999", "--pump", "bench-01", "--for", "1s");
        assertEquals(2, r.code(), r.err());
        assertEquals("openitb: --broker 127.0.0.1:99999: port must be from 1 to 65535", r.err().strip());
    }
}
