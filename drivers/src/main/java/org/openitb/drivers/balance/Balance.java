package org.openitb.drivers.balance;

/**
 * A laboratory balance the gravimetric test reads: a serial one ({@link SerialBalance}) or its
 * simulated twin ({@link BalanceSim}). Confined to the thread that reads it.
 */
public interface Balance extends AutoCloseable {

    /**
     * One reply, asked for if the protocol asks: a weight, or why there is none. Returns within the
     * configured read timeout; a balance that says nothing in it is {@link BalanceReading.Status#SILENT}.
     */
    BalanceReading read();

    @Override
    void close();
}
