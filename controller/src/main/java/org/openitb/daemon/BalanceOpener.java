package org.openitb.daemon;

import java.math.BigDecimal;
import java.util.Optional;
import org.openitb.accuracy.AccuracySettings;
import org.openitb.drivers.balance.Balance;

/** Opens the bench's balance for a test: the serial one the config names, or the simulated bench's own. */
@FunctionalInterface
interface BalanceOpener {

    /** The balance as {@code settings} say; a resumed test passes the last weight its record holds (the vessel kept it). */
    Balance open(AccuracySettings settings, Optional<BigDecimal> lastGrams);
}
