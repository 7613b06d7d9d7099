package org.openitb.drivers.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On a real Raspberry Pi with a jumper from BCM 20 (output) to BCM 21 (input): the gpiod pins
 * really move, and edges really arrive. Run with {@code mvn -pl drivers test -Dgroups=hardware -DexcludedGroups=}.
 */
@Tag("hardware")
class GpioLoopbackHardwareTest {

    @Test
    void anOutputJumperedToAnInputIsReadBackWithItsEdges() throws InterruptedException {
        try (Gpio gpio = Gpio.raspberryPi()) {
            OutputPin out = gpio.output("loopback-out", 20, Level.LOW, Level.LOW);
            InputPin in = gpio.input("loopback-in", 21, Pull.DOWN);
            Thread.sleep(10);
            assertEquals(Level.LOW, in.read());
            long before = in.edges();
            for (int i = 0; i < 100; i++) {
                out.set(Level.HIGH);
                Thread.sleep(1);
                assertEquals(Level.HIGH, in.read());
                out.set(Level.LOW);
                Thread.sleep(1);
                assertEquals(Level.LOW, in.read());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (in.edges() - before < 200 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(in.edges() - before >= 200, "edges reported: " + (in.edges() - before));
        }
    }
}
