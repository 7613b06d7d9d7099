package org.openitb.store;

/** The other half of a cycle with {@link org.openitb.delivery.ReachesForTheStore}, to prove the cycle rule can fail. */
public final class LeansOnDelivery {
    public Class<?> delivery() {
        return org.openitb.delivery.ReachesForTheStore.class;
    }
}
