package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.openitb.delivery.DurableState;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.FlexSchedule;
import org.openitb.therapy.FlexStep;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Volume;

/** The durable state reads back exactly as written: every field, every quantity to its smallest unit. */
class StateCodecTest {

    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

    /** A state with every optional part present (flex program, periodic bolus, suspension, bridge, running bolus). */
    static DurableState sample(long revision) {
        var continuous = new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"),
                Optional.of(new PeriodicBolus(Dose.parse("25mcg"), Duration.ofHours(6), Duration.ofMinutes(10))));
        var flex = new FlexProgram(new FlexSchedule(List.of(FlexStep.parse("06:00=350mcg/day"), FlexStep.parse("20:00=500mcg/day"),
                FlexStep.parse("sat@08:00=420.5mcg/day"))), Concentration.parse("2000mcg/mL"), Optional.empty());
        return new DurableState(
                Optional.of(new DurableState.Dated<>(T.plusSeconds(3_600), flex)),
                List.of(new DurableState.Dated<>(T, continuous), new DurableState.Dated<>(T.plusSeconds(3_600), flex)),
                List.of(new DurableState.Bolus(T.plusSeconds(60), Dose.parse("50mcg"), BolusKind.CLINICIAN),
                        new DurableState.Bolus(T.plusSeconds(120), Dose.parse("12.345mcg"), BolusKind.PATIENT)),
                Optional.of(T.plusSeconds(7_200)), Optional.of(T.plusSeconds(9_000)),
                Volume.parse("12.345678mL"), Optional.of(Concentration.parse("2000mcg/mL")),
                1_234_567_890L, Concentration.parse("500mcg/mL"), new BigInteger("123456789012345678901234567890"),
                987_654L, OptionalLong.of(1_234_600_000L), Optional.of(Concentration.parse("2000mcg/mL")), revision,
                Optional.of(new DurableState.RunningBolus("bolus 50mcg over 10m", T.plusSeconds(660))), Optional.of(T.plusSeconds(30)),
                new DurableState.Patient(new BigInteger("123456789012345678901234500000"),
                        List.of(new DurableState.Dated<>(T, new BigInteger("98765432109876543210")), new DurableState.Dated<>(T.plusSeconds(3_600),
                                BigInteger.ONE)), OptionalLong.of(123_456_789L), OptionalLong.of(200_000_000L)),
                List.of(new DurableState.Dated<>(T.plusSeconds(90), Volume.parse("0.123456789mL"))), Optional.of(T.plusSeconds(5)));
    }

    @Test
    void aStateFromBeforeThePatientsSideWasKeptTakesEverythingDeliveredAsReachingThePatient() {
        DurableState s = sample(7);
        JsonObject json = JsonParser.parseString(StateCodec.write(s)).getAsJsonObject();
        json.remove("patient");
        json.remove("primings");
        DurableState old = StateCodec.read(json.toString());
        assertEquals(s.drugBillionths(), old.patient().billionths(), "all of it reached the patient: the safe side for the limits");
        assertEquals(OptionalLong.empty(), old.patient().deadVolumeFilledPl(), "not known: taken as full, so no priming into a patient");
        assertEquals(List.of(), old.primings());
    }

    @Test
    void everyFieldReadsBackExactly() {
        DurableState s = sample(42);
        assertEquals(s, StateCodec.read(StateCodec.write(s)));
    }

    @Test
    void aRunningPrimingReadsBackAsWhichPrimingItWas() {
        for (var priming : List.of(new DurableState.RunningBolus("priming 0.2mL", T, true, false),
                new DurableState.RunningBolus("priming 0.5mL disconnected", T, true, true))) {
            DurableState s = sample(3);
            DurableState with = new DurableState(s.program(), s.history(), s.boluses(), s.suspendedSince(), s.suspendedUntil(),
                    s.reservoirRemaining(), s.reservoirConcentration(), s.deliveredMicrosteps(), s.counting(), s.drugBillionths(),
                    s.unassignedPl(), s.bridgeUntil(), s.bridgeTo(), s.revision(), Optional.of(priming), s.periodicAnchor(), s.patient(),
                    s.primings(), s.memoryLostAt());
            assertEquals(priming, StateCodec.read(StateCodec.write(with)).bolus().orElseThrow());
        }
        JsonObject json = JsonParser.parseString(StateCodec.write(sample(3))).getAsJsonObject();
        json.getAsJsonObject("bolus").addProperty("priming", "sideways");
        Assertions.assertThrows(IllegalArgumentException.class, () -> StateCodec.read(json.toString()));
    }

    @Test
    void aStateWithNothingOptionalReadsBackToo() {
        DurableState s = new DurableState(Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Volume.parse("20mL"), Optional.empty(), 0, Concentration.parse("500mcg/mL"), BigInteger.ZERO, 0,
                OptionalLong.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(),
                new DurableState.Patient(BigInteger.ZERO, List.of(), OptionalLong.empty(), OptionalLong.empty()), List.of(), Optional.empty());
        assertEquals(s, StateCodec.read(StateCodec.write(s)));
    }
}
