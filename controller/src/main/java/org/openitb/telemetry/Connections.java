package org.openitb.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.openitb.clock.Clock;

/**
 * Paho connection options from {@link MqttSettings}, shared by the pump and the monitor: login
 * from the password file (read at each connect, so a rotated password is picked up), TLS with
 * host-name verification, a clean session (the outbox, not Paho, remembers what is unsent) and
 * Paho's own reconnect off (we retry every connect ourselves, the first one included).
 */
public final class Connections {

    /** Longest password file read. */
    static final long PASSWORD_LIMIT_BYTES = 4096;

    private Connections() {
    }

    /** A retained message the broker publishes when the connection dies. */
    public record Will(String topic, String payload) {
    }

    /**
     * The Paho options for {@code s}: credentials, TLS and the last will, if any.
     *
     * @throws IOException with a one-line reason if a password or TLS file cannot be used
     */
    public static MqttConnectOptions options(MqttSettings s, Optional<Will> will) throws IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) s.keepalive().toSeconds());
        o.setConnectionTimeout(5); // seconds; shorter than our own waits, so Paho ends a hanging connect itself
        o.setMaxInflight(64);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (!s.username().isEmpty()) {
            o.setUserName(s.username());
        }
        if (s.passwordFile().isPresent()) {
            o.setPassword(password(s.passwordFile().get()));
        }
        if (s.tls()) {
            o.setSocketFactory(Tls.socketFactory(s.caFile(), s.certFile(), s.keyFile()));
            o.setHttpsHostnameVerificationEnabled(true);
        }
        will.ifPresent(w -> o.setWill(w.topic(), w.payload().getBytes(StandardCharsets.UTF_8), 1, true));
        return o;
    }

    /** The first line of {@code file}, without its line end. */
    static char[] password(Path file) throws IOException {
        if (Files.size(file) > PASSWORD_LIMIT_BYTES) {
            throw new IOException("the password file " + file + " is larger than " + PASSWORD_LIMIT_BYTES + " bytes");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
        if (line.isEmpty()) {
            throw new IOException("the password file " + file + " is empty");
        }
        return line.toCharArray();
    }

    /**
     * Waits for {@code token} on {@code clock}, at most {@code timeout}: Paho's own timed wait counts
     * on a clock the injected one does not see. Completion is looked for every few milliseconds.
     *
     * @throws MqttException the token's failure, or a client timeout
     */
    public static void await(IMqttToken token, Clock clock, Duration timeout)
            throws MqttException {
        long deadline = clock.nanos() + timeout.toNanos();
        while (!token.isComplete()) {
            if (clock.nanos() - deadline >= 0) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
            }
            clock.parkUntil(Math.min(deadline, clock.nanos() + AWAIT_POLL_NANOS));
        }
        if (token.getException() != null) {
            throw token.getException();
        }
    }

    private static final long AWAIT_POLL_NANOS = 2_000_000L;

    /** Why a connect or publish failed, in words a person acts on. */
    public static String describe(Throwable t) {
        if (t instanceof MqttException e) {
            String why = switch (e.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "the broker refused the user name or password";
                case MqttException.REASON_CODE_NOT_AUTHORIZED -> "the broker refused the login (wrong user name or password, or not allowed)";
                case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "the broker did not answer in time";
                case MqttException.REASON_CODE_SERVER_CONNECT_ERROR -> "cannot connect to the broker"
                        + (e.getCause() == null ? "" : " (" + oneLine(e.getCause()) + ")");
                case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost" + (e.getCause() == null ? "" : " (" + oneLine(e.getCause()) + ")");
                case MqttException.REASON_CODE_BROKER_UNAVAILABLE -> "the broker is unavailable";
                case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "the broker refused the client id";
                default -> oneLine(e) + (e.getCause() == null ? "" : " (" + oneLine(e.getCause()) + ")");
            };
            return why;
        }
        return oneLine(t);
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
