package org.openitb.delivery;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.OutputPin;
import org.openitb.sim.Bench;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.TherapyCommand;

/**
 * What a pass of the dose loop allocates before its STEP pulse rises, counted by the JVM itself:
 * an allocation that finds the young generation full starts a collection on the spot, and the
 * pulse then waits out the whole pause (the bench saw those as its worst steps). The one
 * allocation allowed is Pi4J's own, for the edge on its mock platform (its change event), measured
 * here on a pin of its own.
 *
 * <p>Tagged {@code production-jit}: the build runs it in a JVM with the pump's JIT (C1 only, as
 * config/jvm.options sets), where a method's first compilation puts nothing on the thread that
 * asked for it. Under C2 the request resolves the method's string constants on that thread, a
 * one-off a few hundred bytes large that lands in whichever pass the host happens to let it.
 */
@Tag("production-jit")
class PulsePathAllocationTest {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What Pi4J's mock platform allocates between setting an output and calling its listener (the largest of a few edges after the first). */
    private static long pi4jMockEdgeBytes() {
        try (Gpio gpio = Gpio.mock()) {
            OutputPin pin = gpio.output("probe", 5, Level.LOW, Level.LOW);
            long[] atListener = {0};
            gpio.watchOutput("probe", level -> atListener[0] = THREADS.getCurrentThreadAllocatedBytes());
            long most = 0;
            for (int i = 0; i < 20; i++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                pin.set(i % 2 == 0 ? Level.HIGH : Level.LOW);
                if (i >= 2) {
                    most = Math.max(most, atListener[0] - before);
                }
            }
            return most;
        }
    }

    @Test
    void aPrimingPassAllocatesNothingBeforeItsPulse(@TempDir Path state) {
        var jit = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("TieredStopAtLevel");
        assertEquals("1", jit.getValue(), "this measures the pump's JIT (C1 only, config/jvm.options); the build's production-jit run starts"
                + " its JVM so, a JVM started otherwise measures something else");
        try (Bench bench = Bench.remembering(state)) {
            bench.refill("20mL", Concentration.parse("500mcg/mL"));
            bench.command(new TherapyCommand.PrimeMicrosteps(12_000, true));
            bench.run(ofSeconds(4)); // warm: classes loaded, the store's lane running, the plan's first stretch reserved
            long[] passStart = {-1};
            List<Long> beforePulse = new ArrayList<>();
            bench.beforeEachDosePass(now -> passStart[0] = THREADS.getCurrentThreadAllocatedBytes());
            bench.plant.onMicrostep(rise -> {
                if (passStart[0] >= 0) {
                    beforePulse.add(THREADS.getCurrentThreadAllocatedBytes() - passStart[0]);
                    passStart[0] = -1; // the first pulse of a pass only
                }
            });
            bench.run(ofSeconds(4));
            assertTrue(beforePulse.size() >= 500, "pulses seen in 4 s of priming: " + beforePulse.size());
            long edge = pi4jMockEdgeBytes();
            long allocating = beforePulse.stream().filter(b -> b > edge).count();
            assertEquals(0, allocating, "passes that allocated more than Pi4J's " + edge + " B for the edge before their pulse, of "
                    + beforePulse.size() + "; bytes: " + beforePulse.stream().filter(b -> b > edge).limit(10).toList());
        }
    }
}
