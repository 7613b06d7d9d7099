package org.openitb.telemetry;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the MQTT broker, if at all. Secrets stay in files: only their paths are held
 * here, so no password ever lands in a log, a status or the journal.
 *
 * @param url          {@code tcp://host:port} or {@code ssl://host:port}; empty: no MQTT
 * @param username     broker user, empty for none
 * @param passwordFile file holding the password
 * @param caFile       PEM file of the CA that signed the broker's certificate
 */
public record MqttSettings(Optional<URI> url, String username, Optional<Path> passwordFile, Optional<Path> caFile) {

    public static final MqttSettings DISABLED = new MqttSettings(Optional.empty(), "", Optional.empty(), Optional.empty());

    public MqttSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(caFile, "caFile");
    }

    /** Whether a broker is configured. Without one, alarms are still journaled and annunciated. */
    public boolean enabled() {
        return url.isPresent();
    }

    /** Whether the connection is TLS. */
    public boolean tls() {
        return url.map(u -> "ssl".equals(u.getScheme())).orElse(false);
    }
}
