package org.openitb.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A config file's key/value pairs, read strictly: a bounded size, UTF-8, no key given twice. */
public final class PropertiesFile {

    /** No config is near this; a larger file is a mistake (a log, a binary) named as such. */
    static final long MAX_FILE_BYTES = 256 * 1024;

    private PropertiesFile() {
    }

    /** Reads a properties file, refusing a key given twice (which java.util.Properties would silently resolve). */
    public static Map<String, String> read(Path file) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        @SuppressWarnings("serial")
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                String k = (String) key;
                if (values.containsKey(k)) {
                    duplicates.add(file + ": " + k + " is set twice (" + values.get(k) + ", then " + value + "); keep one");
                }
                values.put(k, ((String) value).strip());
                return super.put(key, value);
            }
        };
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(file + ": " + Files.size(file) + " bytes is too large for a config file (limit "
                        + MAX_FILE_BYTES + ")");
            }
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such config file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage());
        }
        if (!duplicates.isEmpty()) {
            throw new ConfigException(duplicates);
        }
        return values;
    }
}
