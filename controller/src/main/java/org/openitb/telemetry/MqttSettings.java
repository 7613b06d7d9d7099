package org.openitb.telemetry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the MQTT broker, if at all, and how the pump behaves towards it. Secrets stay in
 * files: only their paths are held here, so no password ever lands in a log, a status or the
 * journal.
 *
 * @param url              {@code tcp://host:port} or {@code ssl://host:port}; empty: no MQTT
 * @param username         broker user, empty for none
 * @param passwordFile     file holding the password
 * @param caFile           PEM file of the CA that signed the broker's certificate
 * @param certFile         PEM client certificate, for brokers that ask for one
 * @param keyFile          PEM (PKCS#8, unencrypted) private key of {@code certFile}
 * @param keepalive        MQTT keepalive; the broker sends the Last Will after 1.5 times this of silence
 * @param statePeriod      how often the retained {@code state} snapshot goes out when nothing changes
 * @param reconnectMax     the longest wait between two connection attempts (the backoff's cap)
 * @param unreachableAfter how long the broker may stay unreachable before BROKER_UNREACHABLE is raised
 * @param homeAssistant    whether to publish Home Assistant MQTT discovery
 * @param discoveryPrefix  Home Assistant's discovery prefix
 */
public record MqttSettings(Optional<URI> url, String username, Optional<Path> passwordFile, Optional<Path> caFile,
        Optional<Path> certFile, Optional<Path> keyFile, Duration keepalive, Duration statePeriod, Duration reconnectMax,
        Duration unreachableAfter, boolean homeAssistant, String discoveryPrefix) {

    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STATE_PERIOD = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_UNREACHABLE_AFTER = Duration.ofMinutes(2);

    public static final MqttSettings DISABLED = broker(Optional.empty());

    public MqttSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(statePeriod, "statePeriod");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        Objects.requireNonNull(unreachableAfter, "unreachableAfter");
        Objects.requireNonNull(discoveryPrefix, "discoveryPrefix");
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
    }

    /** A plain connection to {@code url} with every other setting at its default. */
    public static MqttSettings broker(Optional<URI> url) {
        return new MqttSettings(url, "", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_KEEPALIVE,
                DEFAULT_STATE_PERIOD, DEFAULT_RECONNECT_MAX, DEFAULT_UNREACHABLE_AFTER, false, "homeassistant");
    }

    /** The same broker reached as {@code user} with the password in {@code passwordFile}, and TLS trusting {@code ca}. */
    public MqttSettings withLogin(String user, Optional<Path> password, Optional<Path> ca) {
        return new MqttSettings(url, user, password, ca, certFile, keyFile, keepalive, statePeriod, reconnectMax, unreachableAfter,
                homeAssistant, discoveryPrefix);
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
