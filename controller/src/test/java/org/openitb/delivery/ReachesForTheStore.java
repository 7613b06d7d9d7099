package org.openitb.delivery;

/** A domain class that breaks the layers (reaches for the store), to prove the layer and cycle rules can fail. */
public final class ReachesForTheStore {
    public Class<?> store() {
        return org.openitb.store.LeansOnDelivery.class;
    }
}
