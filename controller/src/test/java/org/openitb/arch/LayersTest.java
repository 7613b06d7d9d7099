package org.openitb.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.openitb.delivery.ReachesForTheStore;
import org.openitb.store.LeansOnDelivery;

/**
 * How the packages stand on one another. From the top: the command line; the tools it starts (the
 * benchmark, the demo); the daemon that wires a pump together; the simulated plant; the config
 * that is checked at load; the adapters to the world (SQLite store, MQTT, control socket); the
 * domain (therapy, reservoir, delivery, alarms, journal); the clock and the drivers. A package
 * may use those below it, never those above, and no two packages lean on each other.
 */
class LayersTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openitb");

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Cli").definedBy("org.openitb.cli..")
            .layer("Tools").definedBy("org.openitb.perf..", "org.openitb.demo..")
            .layer("Daemon").definedBy("org.openitb.daemon..")
            .layer("Sim").definedBy("org.openitb.sim..")
            .layer("Config").definedBy("org.openitb.config..")
            .layer("Adapters").definedBy("org.openitb.store..", "org.openitb.telemetry..", "org.openitb.control..", "org.openitb.report..")
            .layer("Domain").definedBy("org.openitb.therapy..", "org.openitb.reservoir..", "org.openitb.delivery..", "org.openitb.alarm..", "org.openitb.accuracy..",
                    "org.openitb.journal..")
            .layer("Platform").definedBy("org.openitb.clock..", "org.openitb.drivers..")
            .layer("Launch").definedBy("org.openitb.launch..")
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("Tools").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Daemon").mayOnlyBeAccessedByLayers("Cli", "Tools")
            .whereLayer("Sim").mayOnlyBeAccessedByLayers("Daemon", "Tools", "Cli")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Sim", "Daemon", "Tools", "Cli")
            .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Config", "Sim", "Daemon", "Tools", "Cli")
            .whereLayer("Domain").mayOnlyBeAccessedByLayers("Adapters", "Config", "Sim", "Daemon", "Tools", "Cli")
            // The jar's entry point is compiled for Java 8 and reaches the command line by name only.
            .whereLayer("Launch").mayNotBeAccessedByAnyLayer()
            .whereLayer("Launch").mayNotAccessAnyLayer()
            .because("the domain is testable without a disk, a broker or a socket, and the daemon without a command line");

    static final ArchRule NO_CYCLES = slices().matching("org.openitb.(*)..").should().beFreeOfCycles()
            .because("a cycle makes two packages one, and neither can be understood or tested alone");

    /** Inside the domain: therapy is the bottom (units, programs, the drug library), alarms the top. */
    static final ArchRule THERAPY_STANDS_ALONE = noClasses().that().resideInAPackage("org.openitb.therapy..")
            .should().dependOnClassesThat().resideInAnyPackage("org.openitb.reservoir..", "org.openitb.delivery..", "org.openitb.alarm..",
                    "org.openitb.journal..")
            .because("a prescription and its units mean the same whatever delivers them");

    static final ArchRule DELIVERY_KNOWS_NO_ALARMS = noClasses().that().resideInAnyPackage("org.openitb.delivery..", "org.openitb.reservoir..")
            .should().dependOnClassesThat().resideInAPackage("org.openitb.alarm..")
            .because("alarms watch delivery; delivery reports what happened and never decides how it is announced");

    static final ArchRule THE_SOCKET_KNOWS_NO_SIMULATOR = noClasses().that().resideInAPackage("org.openitb.control..")
            .should().dependOnClassesThat().resideInAPackage("org.openitb.sim..")
            .because("faults reach the simulated bench through an injected FaultInjector; on hardware there is none to reach");

    @Test
    void packagesKeepTheirLayers() {
        LAYERS.check(PRODUCTION);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        NO_CYCLES.check(PRODUCTION);
    }

    @Test
    void therapyDependsOnNoOtherDomainPackage() {
        THERAPY_STANDS_ALONE.check(PRODUCTION);
    }

    @Test
    void deliveryKnowsNoAlarms() {
        DELIVERY_KNOWS_NO_ALARMS.check(PRODUCTION);
    }

    @Test
    void theControlSocketKnowsNoSimulator() {
        THE_SOCKET_KNOWS_NO_SIMULATOR.check(PRODUCTION);
    }

    @Test
    void theLayerRuleCatchesTheDomainReachingForTheStore() {
        JavaClasses offender = new ClassFileImporter().importClasses(ReachesForTheStore.class,
                LeansOnDelivery.class);
        assertThrows(AssertionError.class, () -> LAYERS.check(offender));
    }

    @Test
    void theCycleRuleCatchesACycle() {
        JavaClasses offender = new ClassFileImporter().importClasses(ReachesForTheStore.class,
                LeansOnDelivery.class);
        assertThrows(AssertionError.class, () -> NO_CYCLES.check(offender));
    }
}
