package org.openitb.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.therapy.Concentration;

/** Parsers for config values that are not quantities; each throws IllegalArgumentException saying what is allowed. */
final class Values {

    private static final Pattern PUMP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final Pattern INTEGER = Pattern.compile("[0-9]{1,9}");
    /** sun_path holds 108 bytes with its terminating NUL. */
    static final int SOCKET_PATH_MAX_BYTES = 107;

    private Values() {
    }

    static String pumpId(String text) {
        if (!PUMP_ID.matcher(text).matches()) {
            throw new IllegalArgumentException("must be 1 to 32 letters, digits, '-' or '_', starting with a letter or digit (it is part of MQTT topics)");
        }
        return text;
    }

    static int bcmPin(String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a BCM pin number from " + Gpio.BCM_MIN + " to " + Gpio.BCM_MAX);
        }
        int pin = Integer.parseInt(text);
        if (pin < Gpio.BCM_MIN || pin > Gpio.BCM_MAX) {
            throw new IllegalArgumentException("must be a BCM pin number from " + Gpio.BCM_MIN + " to " + Gpio.BCM_MAX
                    + " (GPIO 0 and 1 are the HAT ID EEPROM bus)");
        }
        return pin;
    }

    /** An optional BCM pin: empty text means none. */
    static Optional<Integer> optionalBcmPin(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(bcmPin(text));
    }

    static Long integer(String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a whole number");
        }
        return Long.parseLong(text);
    }

    static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    /** One of an enum's constants, written in lower case with '-' for '_'. */
    static <E extends Enum<E>> E choice(String text, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (spelling(constant).equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(type.getEnumConstants())
                .map(Values::spelling).collect(Collectors.joining(", ")));
    }

    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Path path(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("must be a path");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a usable path: " + e.getReason());
        }
    }

    static Path socketPath(String text) {
        Path path = path(text);
        int bytes = path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > SOCKET_PATH_MAX_BYTES) {
            throw new IllegalArgumentException("is " + bytes + " bytes as an absolute path; a Unix socket path holds at most "
                    + SOCKET_PATH_MAX_BYTES);
        }
        return path;
    }

    /** An optional file that must exist and be readable now; empty text means none. */
    static Optional<Path> readableFile(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path = path(text);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("file is not readable by this user");
        }
        return Optional.of(path);
    }

    static ZoneId zone(String text) {
        if ("system".equals(text)) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("must be 'system' or a time zone id like Europe/Berlin");
        }
    }

    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** One MQTT topic level with no wildcard or separator in it. */
    static String topicPrefix(String text) {
        if (!TOPIC_PREFIX.matcher(text).matches()) {
            throw new IllegalArgumentException("must be 1 to 64 letters, digits, '-' or '_'");
        }
        return text;
    }

    /** An MQTT broker address: empty for none, else tcp:// or ssl:// with a host and an optional port. */
    static Optional<URI> brokerUrl(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: " + e.getReason());
        }
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
            throw new IllegalArgumentException("must be tcp://host:port or ssl://host:port (or empty for no MQTT)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("port must be from 1 to 65535");
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("must be just scheme, host and port; credentials go in mqtt.username and mqtt.password-file");
        }
        return Optional.of(uri);
    }

    /** A comma-separated list of distinct concentrations, at most {@code max} of them. */
    static List<Concentration> concentrations(String text, int max) {
        List<Concentration> list = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Concentration c = Concentration.parse(part);
            if (list.contains(c)) {
                throw new IllegalArgumentException(c + " is listed twice");
            }
            list.add(c);
        }
        if (list.size() > max) {
            throw new IllegalArgumentException("at most " + max + " concentrations");
        }
        return List.copyOf(list);
    }
}
