package org.openitb.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A mass on a balance, exact to the nanogram, in the units a balance shows. */
class MassTest {

    @Test
    void aBalancesUnitsAreExact() {
        assertEquals(10_000, Mass.parse("0.00001g").nanograms(), "a five-place balance's last digit");
        assertEquals(10_000, Mass.parse("0.01mg").nanograms());
        assertEquals(20_000, Mass.parse("20ug").nanograms());
        assertEquals(715_000_000, Mass.parse("715.0mg").nanograms());
        assertEquals(new BigDecimal("0.715"), Mass.parse("715.0mg").grams());
        assertEquals("0.00001g", Mass.parse("0.01mg").toString());
    }

    @Test
    void whatIsNotAMassOnABalanceIsRefusedWithWhy() {
        InvalidQuantityException mcg = assertThrows(InvalidQuantityException.class, () -> Mass.parse("20mcg"));
        assertTrue(mcg.getMessage().contains("mcg is for doses of drug"), mcg.getMessage());
        assertTrue(assertThrows(InvalidQuantityException.class, () -> Mass.parse("0.0000000001g")).getMessage().contains("more precise than 1ng"));
        assertTrue(assertThrows(InvalidQuantityException.class, () -> Mass.parse("-1g")).getMessage().contains("negative"));
        assertTrue(assertThrows(InvalidQuantityException.class, () -> Mass.parse("0.01")).getMessage().contains("has no unit"));
        assertTrue(assertThrows(InvalidQuantityException.class, () -> Mass.parse("20000g")).getMessage().contains("absurdly large"));
    }
}
