package org.openitb.delivery;

import java.util.concurrent.CompletableFuture;

/** A class in the dose loop's package that waits without a deadline: the architecture test proves its rule catches it. */
public final class WaitsForever {

    private WaitsForever() {
    }

    public static Object answer(CompletableFuture<Object> f) {
        return f.join();
    }
}
