package org.openitb.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantityParsingTest {

    @Test
    void readsExactValuesInTheirBaseUnits() {
        assertEquals(new Dose(50_000), Dose.parse("50mcg"));
        assertEquals(new Dose(500), Dose.parse("0.5mcg"));
        assertEquals(new Dose(1), Dose.parse("0.001mcg"));
        assertEquals(new DailyRate(400_000), DailyRate.parse("400mcg/day"));
        assertEquals(new DailyRate(90_500), DailyRate.parse("90.5 mcg/day"));
        assertEquals(new Concentration(500_000), Concentration.parse("500mcg/mL"));
        assertEquals(new Concentration(2_000_000), Concentration.parse("2000MCG/ML"));
        assertEquals(new Volume(20_000_000_000L), Volume.parse("20mL"));
        assertEquals(new Volume(71_853), Volume.parse("71.853nL"));
        assertEquals(new Volume(5_000_000), Volume.parse("5uL"));
        assertEquals(new Percent(3_000), Percent.parse("30%"));
        assertEquals(new Frequency(1_000), Frequency.parse("1000Hz"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1.5h"));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250us"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
    }

    @Test
    void aSmallVolumeReadsInMicrolitresRoundedUpSoAnUncertaintyIsNeverUnderstated() {
        assertEquals("1.438uL", new Volume(20 * 71_853).toMicrolitreString(), "20 microsteps of 71.853 nL: 1.43706 uL");
        assertEquals("0.072uL", new Volume(71_853).toMicrolitreString());
        assertEquals("20.000uL", Volume.parse("20uL").toMicrolitreString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "50        | '50' has no unit; expected a dose like 50mcg",
        "50mg      | '50mg' is in mg; a dose is written in mcg, like 50mcg (doses are written in mcg to keep a thousandfold error out of reach)",
        "50 ug     | '50 ug' is in ug; a dose is written in mcg, like 50mcg (write mcg)",
        "-5mcg     | '-5mcg' is negative; expected a dose like 50mcg",
        "NaNmcg    | 'NaNmcg' is not a dose; expected a plain number with its unit, like 50mcg",
        "Infinity  | 'Infinity' is not a dose; expected a plain number with its unit, like 50mcg",
        "1e3mcg    | '1e3mcg' is not a dose; write a plain number without an exponent, like 50mcg",
        "+5mcg     | '+5mcg' is not a dose; expected a plain number with its unit, like 50mcg",
        ".5mcg     | '.5mcg' is not a dose; expected a plain number with its unit, like 50mcg",
        "0.0005mcg | '0.0005mcg' is more precise than 0.001mcg, the finest step of a dose",
        "5000000mcg | '5000000mcg' is absurdly large for a dose",
        "1234567890123mcg | '1234567890123mcg' is absurdly large for a dose",
        "1.1234567890123mcg | '1.1234567890123mcg' is more precise than 0.001mcg, the finest step of a dose",
        "5 mcg extra | '5 mcg extra' is not a dose; expected a plain number with its unit, like 50mcg",
        "50mcg/day | '50mcg/day' is in mcg/day; a dose is written in mcg, like 50mcg (that is a daily rate)",
        "50mgc     | '50mgc': mgc is not a unit; a dose is written in mcg, like 50mcg",
    })
    void refusesDosesThatAreNotExactlyADose(String text, String message) {
        assertEquals(message, assertThrows(InvalidQuantityException.class, () -> Dose.parse(text)).getMessage());
    }

    @Test
    void aDurationInTwoUnitsIsToldSoPlainly() {
        assertEquals("'1h30m' has two units; a duration is one number with one unit, like 90m or 1.5h",
                assertThrows(InvalidQuantityException.class, () -> Durations.parse("1h30m")).getMessage());
        assertEquals("'2h 15m' has two units; a duration is one number with one unit, like 90m or 1.5h",
                assertThrows(InvalidQuantityException.class, () -> Durations.parse("2h 15m")).getMessage());
        assertEquals(Duration.ofMinutes(90), Durations.parse("90m"));
    }

    @Test
    void refusesEmptyText() {
        assertEquals("empty; expected a dose like 50mcg", assertThrows(InvalidQuantityException.class, () -> Dose.parse(" ")).getMessage());
        assertThrows(InvalidQuantityException.class, () -> Dose.parse(null));
    }

    @Test
    void refusesWrongUnitsForEachType() {
        assertEquals("'400mcg' is in mcg; a daily rate is written in mcg/day or mcg/d, like 400mcg/day (that is a dose; a rate is per day)",
                assertThrows(InvalidQuantityException.class, () -> DailyRate.parse("400mcg")).getMessage());
        assertEquals("'2mg/mL' is in mg/mL; a concentration is written in mcg/mL, like 500mcg/mL (concentrations are written in mcg/mL: 2 mg/mL is 2000mcg/mL)",
                assertThrows(InvalidQuantityException.class, () -> Concentration.parse("2mg/mL")).getMessage());
        assertThrows(InvalidQuantityException.class, () -> Concentration.parse("0mcg/mL"));
        assertThrows(InvalidQuantityException.class, () -> Volume.parse("20cc"));
        assertThrows(InvalidQuantityException.class, () -> Percent.parse("101%"));
        assertThrows(InvalidQuantityException.class, () -> Frequency.parse("0Hz"));
        assertThrows(InvalidQuantityException.class, () -> Frequency.parse("0.5Hz"));
        assertThrows(InvalidQuantityException.class, () -> Durations.parse("10"));
        assertThrows(InvalidQuantityException.class, () -> Durations.parse("500d"));
        assertThrows(InvalidQuantityException.class, () -> Volume.parse("0.0001nL"));
    }

    @Test
    void printsTheShortestExactForm() {
        assertEquals("50mcg", Dose.parse("50.000mcg").toString());
        assertEquals("0.5mcg", Dose.parse("0.5mcg").toString());
        assertEquals("400mcg/day", DailyRate.parse("400mcg/d").toString());
        assertEquals("500mcg/mL", Concentration.parse("500mcg/mL").toString());
        assertEquals("20mL", Volume.parse("20000uL").toString());
        assertEquals("0.25mL", Volume.parse("0.25mL").toString());
        assertEquals("71.853nL", Volume.parse("71.853nL").toString());
        assertEquals("30%", Percent.parse("30.00%").toString());
        assertEquals("2h", Durations.format(Durations.parse("120m")));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1500us", Durations.format(Duration.ofNanos(1_500_000)));
        assertEquals("0.5us", Durations.format(Duration.ofNanos(500)));
    }
}
