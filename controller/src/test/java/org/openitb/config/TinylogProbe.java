package org.openitb.config;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import org.tinylog.Logger;

/**
 * Run in a child JVM by {@link ShippedConfigFilesTest}: logs at debug and info itself, and makes
 * Pi4J log through SLF4J at info (opening a context) and at warn (shutting it down twice).
 */
public final class TinylogProbe {

    private TinylogProbe() {
    }

    public static void main(String[] args) {
        Logger.debug("probe debug");
        Logger.info("probe info");
        Context pi4j = Pi4J.newContextBuilder().add(new MockPlatform()).build();
        pi4j.shutdown();
        pi4j.shutdown();
    }
}
