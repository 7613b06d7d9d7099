package org.openitb.delivery;

import org.openitb.store.LeansOnDelivery;

/** A domain class that breaks the layers (reaches for the store), to prove the layer and cycle rules can fail. */
public final class ReachesForTheStore {
    public Class<?> store() {
        return LeansOnDelivery.class;
    }
}
