package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
import org.openitb.therapy.TherapyLimits;
import org.openitb.therapy.Volume;

/** Program decisions against the example config's drug library (hard maximum 1500 mcg/day). */
class ProgramDecisionTest {

    private static final long S = 1_000_000_000L;
    private static final PumpConfig SHIPPED = ProjectFiles.exampleConfigLoaded();
    private static final DeliveryOptions OPTIONS = new DeliveryOptions(Volume.parse("0.1uL"), 1_000, FlowRate.parse("1mL/min"),
            Volume.parse("1mL"), Volume.parse("2mL"), Duration.ofHours(24), Volume.parse("0.2mL"),
            new ReservoirSettings(Volume.parse("2mL"), Duration.ofDays(7), Volume.parse("2mL"), Volume.parse("0.5mL")));
    private static final DeliveryState FRESH = DeliveryState.start(Therapy.none(new TherapyLimits(SHIPPED.library(), SHIPPED.patientBolus())),
            DeliveryPlan.start(0, 0, DailyRate.ZERO, Concentration.parse("500mcg/mL"), Volume.parse("0.1uL")));
    private static final Optional<Concentration> HOLDS_500 = Optional.of(Concentration.parse("500mcg/mL"));
    private static final Instant LOST = Instant.parse("2026-03-01T08:00:00Z");

    private static Program at(String rate, String concentration) {
        return new ContinuousProgram(DailyRate.parse(rate), Concentration.parse(concentration), Optional.empty());
    }

    private static String refusal(Program p, Optional<DailyRate> reference, boolean override, DeliveryState s, Optional<Concentration> held,
            Optional<Instant> lost) {
        return ProgramDecision.check(p, reference, override, s, held, lost, OPTIONS, 10 * S).refusal().orElseThrow();
    }

    @Test
    void aProgramMustMatchTheDeclaredSyringeAndTheLibrary() {
        assertTrue(ProgramDecision.check(at("400mcg/day", "500mcg/mL"), Optional.empty(), false, FRESH, HOLDS_500, Optional.empty(), OPTIONS,
                10 * S).value().isPresent());
        assertEquals("the reservoir holds 500mcg/mL, not 2000mcg/mL: a program must match what is in the syringe (refill with 2000mcg/mL"
                + " first)", refusal(at("400mcg/day", "2000mcg/mL"), Optional.empty(), false, FRESH, HOLDS_500, Optional.empty()));
        assertTrue(refusal(at("400mcg/day", "500mcg/mL"), Optional.empty(), false, FRESH, Optional.empty(), Optional.empty())
                .startsWith("no refill is on record"));
        assertTrue(refusal(at("400mcg/day", "750mcg/mL"), Optional.empty(), false, FRESH, HOLDS_500, Optional.empty())
                .startsWith("concentration 750mcg/mL is not in the drug library"));
    }

    @Test
    void aPumpThatLostItsMemoryIsToldWhatThePatientWasOnOrTakesTheProgramOnTheClinicianWord() {
        assertTrue(refusal(at("400mcg/day", "500mcg/mL"), Optional.empty(), false, FRESH, HOLDS_500, Optional.of(LOST))
                .startsWith("the pump lost its memory of the therapy at 2026-03-01T08:00:00Z"));
        assertTrue(ProgramDecision.check(at("400mcg/day", "500mcg/mL"), Optional.of(DailyRate.parse("380mcg/day")), false, FRESH, HOLDS_500,
                Optional.of(LOST), OPTIONS, 10 * S).value().isPresent());
        assertTrue(ProgramDecision.check(at("400mcg/day", "500mcg/mL"), Optional.empty(), true, FRESH, HOLDS_500, Optional.of(LOST), OPTIONS,
                10 * S).value().isPresent(), "overridden: taken as verified");
        assertEquals("--reference-dose 1600mcg/day is above the hard limit of 1500mcg/day (library.daily-dose.hard-max): no patient on this"
                + " library was on it", refusal(at("400mcg/day", "500mcg/mL"), Optional.of(DailyRate.parse("1600mcg/day")), false, FRESH,
                HOLDS_500, Optional.of(LOST)));
        assertTrue(refusal(at("400mcg/day", "500mcg/mL"), Optional.of(DailyRate.parse("380mcg/day")), false, FRESH, HOLDS_500,
                Optional.empty()).startsWith("--reference-dose is only for a pump that lost its memory"), "a pump that remembers measures itself");
    }

    @Test
    void aNewConcentrationWaitsForTheBolusUnderWay() {
        DeliveryState bolus = FRESH.withBolus(Optional.of(new RunningBolus(BolusKind.CLINICIAN, "bolus 50mcg over 10m", 0, 600 * S, 1_000, 0,
                false, Volume.ZERO)));
        assertEquals("a bolus 50mcg over 10m is under way; program the new concentration after it ends",
                refusal(at("400mcg/day", "2000mcg/mL"), Optional.empty(), false, bolus, Optional.of(Concentration.parse("2000mcg/mL")),
                        Optional.empty()));
    }
}
