package org.openitb.store;

import org.openitb.delivery.ReachesForTheStore;

/** The other half of a cycle with {@link org.openitb.delivery.ReachesForTheStore}, to prove the cycle rule can fail. */
public final class LeansOnDelivery {
    public Class<?> delivery() {
        return ReachesForTheStore.class;
    }
}
