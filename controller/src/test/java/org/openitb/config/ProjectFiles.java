package org.openitb.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's own files are, for tests that load what ships. */
public final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The repository root: from Maven's property, or found by walking up to the directory holding config/. */
    public static Path root() {
        String property = System.getProperty("openitb.root");
        if (property != null && Files.isDirectory(Path.of(property, "config"))) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("config/openitb.properties"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (config/openitb.properties) from " + Path.of("").toAbsolutePath());
    }

    /** The shipped example config. */
    public static Path exampleConfig() {
        return root().resolve("config/openitb.properties");
    }

    /** The shipped example config, loaded as the daemon loads it. */
    public static PumpConfig exampleConfigLoaded() {
        try {
            return ConfigLoader.parse(PropertiesFile.read(exampleConfig()), "openitb.properties");
        } catch (Exception e) {
            throw new IllegalStateException("the shipped example config does not load: " + e.getMessage(), e);
        }
    }
}
