package org.openitb.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openitb.delivery.WaitsForever;

/**
 * Rules the code must keep. Time: only the clock package reads the system clock or sleeps, so
 * that the simulated clock really controls every timed decision. Layers: drivers know GPIO and
 * microsteps, never doses.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openitb");

    /** Owner class, then the methods on it that read real time or wait for it. */
    private static final Map<String, Set<String>> REAL_TIME = Map.ofEntries(
            Map.entry("java.lang.System", Set.of("nanoTime", "currentTimeMillis")),
            Map.entry("java.lang.Thread", Set.of("sleep")),
            Map.entry("java.lang.Object", Set.of("wait")),
            Map.entry("java.util.concurrent.TimeUnit", Set.of("sleep")),
            Map.entry("java.util.concurrent.locks.LockSupport", Set.of("parkNanos", "parkUntil")),
            Map.entry("java.time.Instant", Set.of("now")),
            Map.entry("java.time.LocalDateTime", Set.of("now")),
            Map.entry("java.time.LocalDate", Set.of("now")),
            Map.entry("java.time.LocalTime", Set.of("now")),
            Map.entry("java.time.ZonedDateTime", Set.of("now")),
            Map.entry("java.time.OffsetDateTime", Set.of("now")),
            Map.entry("java.time.Clock", Set.of("systemUTC", "systemDefaultZone", "system", "tickMillis", "tickSeconds")));

    /** Types whose waits take a timeout counted on the system clock. */
    private static final Set<String> TIME_UNITS = Set.of("java.util.concurrent.TimeUnit", "java.time.Duration");

    private static final DescribedPredicate<JavaMethodCall> READS_REAL_TIME = new DescribedPredicate<>(
            "read the system clock, sleep, or wait with a timeout of real time (" + REAL_TIME + "; a timed Future.get, Thread.join,"
                    + " BlockingQueue.poll/offer, await or tryAcquire; Paho's waitForCompletion(ms); Process.waitFor)") {
        @Override
        public boolean test(JavaMethodCall call) {
            String owner = call.getTarget().getOwner().getName();
            String name = call.getTarget().getName();
            Set<String> names = REAL_TIME.get(owner);
            return (names != null && names.contains(name)) || timedWait(call);
        }
    };

    /**
     * A wait bounded by real time that the injected clock does not see: a java.util.concurrent wait
     * with a TimeUnit or Duration, Thread.join with a timeout, Paho's token wait, a process wait.
     */
    private static boolean timedWait(JavaMethodCall call) {
        String owner = call.getTarget().getOwner().getName();
        String name = call.getTarget().getName();
        List<String> params = call.getTarget().getRawParameterTypes().stream().map(t -> t.getName()).toList();
        if (owner.startsWith("java.util.concurrent.") && params.stream().anyMatch(TIME_UNITS::contains)) {
            return true;
        }
        if (owner.equals("java.lang.Thread") && name.equals("join") && !params.isEmpty()) {
            return true;
        }
        if (owner.startsWith("org.eclipse.paho.") && name.equals("waitForCompletion") && !params.isEmpty()) {
            return true;
        }
        return owner.equals("java.lang.Process") && name.equals("waitFor") && !params.isEmpty();
    }

    /** Calls that wait for another thread with no deadline at all. */
    private static final Map<String, Set<String>> UNBOUNDED_WAITS = Map.ofEntries(
            Map.entry("java.util.concurrent.Future", Set.of("get")),
            Map.entry("java.util.concurrent.CompletableFuture", Set.of("get", "join")),
            Map.entry("java.util.concurrent.BlockingQueue", Set.of("take", "put")),
            Map.entry("java.util.concurrent.ArrayBlockingQueue", Set.of("take", "put")),
            Map.entry("java.util.concurrent.LinkedBlockingQueue", Set.of("take", "put")),
            Map.entry("java.util.concurrent.CountDownLatch", Set.of("await")),
            Map.entry("java.util.concurrent.Semaphore", Set.of("acquire")),
            Map.entry("java.util.concurrent.locks.Lock", Set.of("lock", "lockInterruptibly")),
            Map.entry("java.util.concurrent.locks.ReentrantLock", Set.of("lock", "lockInterruptibly")),
            Map.entry("java.util.concurrent.locks.Condition", Set.of("await", "awaitUninterruptibly")),
            Map.entry("java.util.concurrent.locks.LockSupport", Set.of("park")),
            Map.entry("java.lang.Thread", Set.of("join")),
            Map.entry("java.lang.Object", Set.of("wait")));

    private static final DescribedPredicate<JavaMethodCall> WAITS_WITHOUT_DEADLINE = new DescribedPredicate<>(
            "wait for another thread without a deadline (" + UNBOUNDED_WAITS + ")") {
        @Override
        public boolean test(JavaMethodCall call) {
            Set<String> names = UNBOUNDED_WAITS.get(call.getTarget().getOwner().getName());
            return names != null && names.contains(call.getTarget().getName());
        }
    };

    /**
     * What the dose loop runs: the delivery, therapy, reservoir and alarm logic, and the write-ahead
     * mark it clears each step with. Not the loop shell's start and stop ({@code DoseLoop}), which
     * runs on other threads.
     */
    static final ArchRule THE_DOSE_LOOP_NEVER_WAITS_WITHOUT_A_DEADLINE = noClasses()
            .that().resideInAnyPackage("org.openitb.delivery..", "org.openitb.therapy..", "org.openitb.reservoir..", "org.openitb.alarm..")
            .and().doNotHaveFullyQualifiedName("org.openitb.delivery.DoseLoop")
            .or().haveFullyQualifiedName("org.openitb.store.WriteAheadMark")
            .should().callMethodWhere(WAITS_WITHOUT_DEADLINE)
            .because("nothing on the dose loop's path waits without a deadline on the injected clock: not the disk, not the broker,"
                    + " not another thread");

    static final ArchRule ONLY_THE_CLOCK_TELLS_TIME = noClasses()
            .that().resideOutsideOfPackage("org.openitb.clock..")
            .should().callMethodWhere(READS_REAL_TIME)
            .because("time is injected: logic runs on org.openitb.clock.Clock so tests and simulate control it");

    static final ArchRule DRIVERS_KNOW_NOTHING_OF_DOSES = noClasses()
            .that().resideInAnyPackage("org.openitb.drivers..", "org.openitb.clock..")
            .should().dependOnClassesThat().resideInAnyPackage("org.openitb.therapy..", "org.openitb.delivery..",
                    "org.openitb.config..", "org.openitb.cli..", "org.openitb.daemon..", "org.openitb.telemetry..")
            .because("drivers/ knows GPIO and microsteps; doses belong to the controller");

    @Test
    void onlyTheClockReadsTheSystemClockOrSleeps() {
        ONLY_THE_CLOCK_TELLS_TIME.check(PRODUCTION);
    }

    @Test
    void theDoseLoopNeverWaitsWithoutADeadline() {
        THE_DOSE_LOOP_NEVER_WAITS_WITHOUT_A_DEADLINE.check(PRODUCTION);
    }

    @Test
    void theLoopRuleCatchesAViolation() {
        JavaClasses waits = new ClassFileImporter().importClasses(WaitsForever.class);
        assertThrows(AssertionError.class, () -> THE_DOSE_LOOP_NEVER_WAITS_WITHOUT_A_DEADLINE.check(waits));
    }

    @Test
    void theTimeRuleCatchesATimedWait() throws Exception {
        JavaClasses offender = new ClassFileImporter().importClasses(WaitsOnRealTime.class);
        assertThrows(AssertionError.class, () -> ONLY_THE_CLOCK_TELLS_TIME.check(offender));
    }

    /** A timed wait the injected clock cannot see. */
    static final class WaitsOnRealTime {
        Object answer(Future<Object> f) throws Exception {
            return f.get(1, TimeUnit.SECONDS);
        }
    }

    @Test
    void driversKnowNothingOfDoses() {
        DRIVERS_KNOW_NOTHING_OF_DOSES.check(PRODUCTION);
    }

    @Test
    void theRulesSeeBothModules() {
        assertTrue(PRODUCTION.contain("org.openitb.drivers.stepper.Pi4jStepperDriver"), "drivers module imported");
        assertTrue(PRODUCTION.contain("org.openitb.config.ConfigLoader"), "controller module imported");
        assertTrue(PRODUCTION.contain("org.openitb.clock.SystemClock"), "clock imported");
    }

    @Test
    void theTimeRuleCatchesAViolation() {
        JavaClasses offender = new ClassFileImporter().importClasses(SleepsOnItsOwn.class);
        assertThrows(AssertionError.class, () -> ONLY_THE_CLOCK_TELLS_TIME.check(offender));
    }

    /** A class that breaks the rule, to prove the rule can fail. */
    static final class SleepsOnItsOwn {
        long now() throws InterruptedException {
            Thread.sleep(1);
            return System.nanoTime();
        }
    }
}
