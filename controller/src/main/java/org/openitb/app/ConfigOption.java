package org.openitb.app;

import java.nio.file.Path;
import org.openitb.config.ConfigException;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PumpConfig;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every verb takes. */
public final class ConfigOption {

    /** Where the Raspberry Pi installation keeps it. */
    public static final String DEFAULT = "/etc/openitb/openitb.properties";

    @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT,
            description = "Config file (default: ${DEFAULT-VALUE}).")
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
