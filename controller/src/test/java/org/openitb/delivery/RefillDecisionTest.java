package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;
import org.openitb.config.PumpConfig;
import org.openitb.reservoir.ReservoirSettings;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.FlowRate;
import org.openitb.therapy.Program;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.TherapyLimits;
import org.openitb.therapy.Volume;

/** Refill decisions against the example config's drug library (50, 500, 1000, 2000 mcg/mL) and a 20 mL syringe. */
class RefillDecisionTest {

    private static final long S = 1_000_000_000L;
    private static final PumpConfig SHIPPED = ProjectFiles.exampleConfigLoaded();
    private static final Volume SYRINGE = Volume.parse("20mL");
    private static final LongFunction<String> AT = nanos -> "t+" + nanos / S + "s";
    private static final DeliveryOptions OPTIONS = new DeliveryOptions(Volume.parse("0.1uL"), 1_000, FlowRate.parse("1mL/min"),
            Volume.parse("1mL"), Volume.parse("2mL"), Duration.ofHours(24), Volume.parse("0.2mL"),
            new ReservoirSettings(Volume.parse("2mL"), Duration.ofDays(7), Volume.parse("2mL"), Volume.parse("0.5mL")));
    private static final Program AT_500 = new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"),
            Optional.empty());
    private static final DeliveryState RUNNING_500 = DeliveryState.start(Therapy.none(new TherapyLimits(SHIPPED.library(),
            SHIPPED.patientBolus())).withProgram(AT_500, 0), DeliveryPlan.start(0, 0, DailyRate.parse("400mcg/day"),
            Concentration.parse("500mcg/mL"), Volume.parse("0.1uL")));

    private static TherapyCommand.Refill refill(String volume, String concentration, Optional<Program> program, Optional<String> withdrawn) {
        return new TherapyCommand.Refill(Volume.parse(volume), Concentration.parse(concentration), program, withdrawn.map(Volume::parse));
    }

    private static Checked<RefillDecision.Accepted> check(TherapyCommand.Refill r, DeliveryState s) {
        return RefillDecision.check(r, s, SYRINGE, false, OPTIONS, 10 * S, AT);
    }

    @Test
    void aNewConcentrationUnderTheOldProgramIsTheClassicRefillErrorAndIsRefused() {
        String why = check(refill("10mL", "2000mcg/mL", Optional.empty(), Optional.empty()), RUNNING_500).refusal().orElseThrow();
        assertTrue(why.startsWith("a refill of 2000mcg/mL does not match the running program's 500mcg/mL: at the same rate that is"
                + " 4 times the drug, the classic refill error"), why);
        assertTrue(check(refill("10mL", "50mcg/mL", Optional.empty(), Optional.empty()), RUNNING_500).refusal().orElseThrow()
                .contains("that is 0.1 times the drug"), "a tenth, a withdrawal by refill");
    }

    @Test
    void theProgramReWrittenForTheNewConcentrationComesWithItAndMustMatchIt() {
        Program at2000 = new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("2000mcg/mL"), Optional.empty());
        RefillDecision.Accepted accepted = check(refill("10mL", "2000mcg/mL", Optional.of(at2000), Optional.empty()), RUNNING_500)
                .value().orElseThrow();
        assertEquals(Optional.of(at2000), accepted.next());
        assertEquals("the program given with the refill is written for 2000mcg/mL, the refill is 1000mcg/mL; they must match",
                check(refill("10mL", "1000mcg/mL", Optional.of(at2000), Optional.empty()), RUNNING_500).refusal().orElseThrow());
        assertEquals(Optional.of(AT_500), check(refill("10mL", "500mcg/mL", Optional.empty(), Optional.empty()), RUNNING_500)
                .value().orElseThrow().next(), "the same concentration: the running program goes on");
    }

    @Test
    void theSyringeTheLibraryAndWhatIsUnderWayBoundARefill() {
        assertEquals("a refill of 20.001mL is more than the syringe holds (20mL, syringe.capacity); hard limits cannot be overridden",
                check(refill("20.001mL", "500mcg/mL", Optional.empty(), Optional.empty()), RUNNING_500).refusal().orElseThrow());
        assertEquals("withdrawn 30mL is more than the syringe holds (20mL, syringe.capacity): check the volume withdrawn",
                check(refill("10mL", "500mcg/mL", Optional.empty(), Optional.of("30mL")), RUNNING_500).refusal().orElseThrow());
        assertEquals("concentration 750mcg/mL is not in the drug library (library.concentrations: 50mcg/mL, 500mcg/mL, 1000mcg/mL,"
                + " 2000mcg/mL); hard limits cannot be overridden",
                check(refill("10mL", "750mcg/mL", Optional.empty(), Optional.empty()), RUNNING_500).refusal().orElseThrow());
        DeliveryState bolus = RUNNING_500.withBolus(Optional.of(new RunningBolus(BolusKind.CLINICIAN, "bolus 50mcg over 10m", 0, 600 * S, 1_000,
                0, false, Volume.ZERO)));
        assertEquals("a bolus 50mcg over 10m is under way until t+600s; refill after it",
                check(refill("10mL", "500mcg/mL", Optional.empty(), Optional.empty()), bolus).refusal().orElseThrow());
        DeliveryState bridged = RUNNING_500.withBridge(Optional.of(new Bridge(5_000, Concentration.parse("500mcg/mL"))));
        assertTrue(check(refill("10mL", "500mcg/mL", Optional.empty(), Optional.empty()), bridged).refusal().orElseThrow()
                .startsWith("the catheter is still being flushed"));
        assertEquals("a refill of 0mL is not a refill", check(refill("0mL", "500mcg/mL", Optional.empty(), Optional.empty()), RUNNING_500)
                .refusal().orElseThrow());
    }
}
