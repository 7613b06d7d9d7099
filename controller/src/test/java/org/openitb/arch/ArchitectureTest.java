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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

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

    private static final DescribedPredicate<JavaMethodCall> READS_REAL_TIME = new DescribedPredicate<>(
            "read the system clock or sleep (" + REAL_TIME + ")") {
        @Override
        public boolean test(JavaMethodCall call) {
            Set<String> names = REAL_TIME.get(call.getTarget().getOwner().getName());
            return names != null && names.contains(call.getTarget().getName());
        }
    };

    static final ArchRule ONLY_THE_CLOCK_TELLS_TIME = noClasses()
            .that().resideOutsideOfPackage("org.openitb.clock..")
            .should().callMethodWhere(READS_REAL_TIME)
            .because("time is injected: logic runs on org.openitb.clock.Clock so tests and simulate control it");

    static final ArchRule DRIVERS_KNOW_NOTHING_OF_DOSES = noClasses()
            .that().resideInAnyPackage("org.openitb.drivers..", "org.openitb.clock..")
            .should().dependOnClassesThat().resideInAnyPackage("org.openitb.therapy..", "org.openitb.delivery..",
                    "org.openitb.config..", "org.openitb.app..", "org.openitb.telemetry..")
            .because("drivers/ knows GPIO and microsteps; doses belong to the controller");

    @Test
    void onlyTheClockReadsTheSystemClockOrSleeps() {
        ONLY_THE_CLOCK_TELLS_TIME.check(PRODUCTION);
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
