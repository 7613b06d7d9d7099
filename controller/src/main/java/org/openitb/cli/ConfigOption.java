package org.openitb.cli;

import java.nio.file.Path;
import org.openitb.config.ConfigException;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PumpConfig;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every verb takes. */
public final class ConfigOption {

    /** Where the Raspberry Pi installation keeps it. */
    public static final String DEFAULT = "/etc/openitb/openitb.properties";
    /** The environment variable that names another default (scripts/openitb sets it to the checkout's config). */
    public static final String ENVIRONMENT = "OPENITB_CONFIG";

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:" + ENVIRONMENT + ":-" + DEFAULT + "}",
            description = "Config file (default: ${DEFAULT-VALUE}; $" + ENVIRONMENT + " names another).")
    Path file;

    public Path file() {
        return file;
    }

    /** Loads and validates the file; any problem is invalid input (exit 2). */
    public PumpConfig load() {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
