package org.openitb.drivers.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Reply lines as the manuals print them, each read as the manual says it means. */
class BalanceProtocolTest {

    @ParameterizedTest(name = "{0}: [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // MT-SICS: S S stable, S D dynamic, S I busy, S + / S - out of range, ES/ET/EL errors.
        "MT_SICS    | \"S S     100.00 g\"   | STABLE    | 100.00",
        "MT_SICS    | \"S D     129.07 g\"   | UNSTABLE  | 129.07",
        "MT_SICS    | \"S S      -0.0012 g\" | STABLE    | -0.0012",
        "MT_SICS    | \"S S     12.5 mg\"    | STABLE    | 0.0125",
        "MT_SICS    | \"S I\"                | BUSY      |",
        "MT_SICS    | \"S +\"                | OVERLOAD  |",
        "MT_SICS    | \"S -\"                | UNDERLOAD |",
        "MT_SICS    | \"ES\"                 | ERROR     |",
        "MT_SICS    | \"S S     100.00 lb\"  | GARBAGE   |",
        "MT_SICS    | \"S S 1x0.00 g\"       | GARBAGE   |",
        "MT_SICS    | \"@@##\"               | GARBAGE   |",
        // SBI: 16 characters (sign, value, unit); no unit while unstable; 22 with an identifier first.
        "SBI        | \"+   123.56 g  \"     | STABLE    | 123.56",
        "SBI        | \"-     0.12 g  \"     | STABLE    | -0.12",
        "SBI        | \"+   123.56     \"    | UNSTABLE  | 123.56",
        "SBI        | \"N     +   123.56 g  \" | STABLE  | 123.56",
        "SBI        | \"    High      \"     | OVERLOAD  |",
        "SBI        | \"H\"                  | OVERLOAD  |",
        "SBI        | \"    Low       \"     | UNDERLOAD |",
        "SBI        | \"Err 54\"             | ERROR     |",
        "SBI        | \"garbage!\"           | GARBAGE   |",
        // Continuous print: A&D headers, Ohaus question mark, a plain line.
        "CONTINUOUS | \"ST,+00123.45  g\"    | STABLE    | 123.45",
        "CONTINUOUS | \"US,+00123.40  g\"    | UNSTABLE  | 123.40",
        "CONTINUOUS | \"ST,GS,+00001.00  g\" | STABLE    | 1.00",
        "CONTINUOUS | \"OL,+9999999E+19\"    | OVERLOAD  |",
        "CONTINUOUS | \"QT,+00000010 PC\"    | GARBAGE   |",
        "CONTINUOUS | \"     12.73 g    ?\"  | UNSTABLE  | 12.73",
        "CONTINUOUS | \"      0.00 g\"       | STABLE    | 0.00",
        "CONTINUOUS | \"+12.7300 g\"         | STABLE    | 12.7300",
        "CONTINUOUS | \"12.7300\"            | UNSTABLE  | 12.7300",
        "CONTINUOUS | \"%%%\"                | GARBAGE   |",
    })
    void eachReplyMeansWhatItsManualSays(BalanceProtocol protocol, String line, BalanceReading.Status status, BigDecimal grams) {
        BalanceReading r = protocol.parse(line);
        assertEquals(status, r.status(), line);
        assertEquals(Optional.ofNullable(grams), r.grams(), line);
        assertEquals(line, r.line(), "kept as received, for the run's record");
    }

    @ParameterizedTest
    @EnumSource(BalanceProtocol.class)
    void whatTheSimulatedBalanceSaysIsReadBackAsItMeantIt(BalanceProtocol protocol) {
        for (String grams : new String[] {"0.00000", "12.34567", "-0.00012", "199.99999"}) {
            BigDecimal g = new BigDecimal(grams);
            for (BalanceReading.Status s : new BalanceReading.Status[] {BalanceReading.Status.STABLE, BalanceReading.Status.UNSTABLE}) {
                BalanceReading r = protocol.parse(protocol.reply(s, g));
                assertEquals(s, r.status(), protocol.reply(s, g));
                assertEquals(Optional.of(g), r.grams(), protocol.reply(s, g));
            }
        }
        for (BalanceReading.Status s : new BalanceReading.Status[] {BalanceReading.Status.OVERLOAD, BalanceReading.Status.UNDERLOAD,
            BalanceReading.Status.ERROR}) {
            assertEquals(s, protocol.parse(protocol.reply(s, BigDecimal.ZERO)).status(), protocol.reply(s, BigDecimal.ZERO));
        }
    }
}
