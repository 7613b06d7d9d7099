package org.openitb.telemetry;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A test's own MQTT client, plain Paho: it subscribes and keeps everything it receives, in order,
 * so assertions look at what a remote subscriber really got. With a persistent session the broker
 * keeps its messages while it is away (or while the broker restarts).
 */
public final class MqttProbe implements AutoCloseable {

    /** One message received. */
    public record Received(String topic, String payload, boolean retained, long receivedNanos) {
        public JsonObject json() {
            return JsonParser.parseString(payload).getAsJsonObject();
        }
    }

    private final MqttClient client;
    private final MqttConnectOptions options;
    private final List<Received> received = new ArrayList<>();
    private final String[] filters;

    private MqttProbe(String url, String clientId, MqttConnectOptions options, String... filters) throws MqttException {
        this.client = new MqttClient(url, clientId, new MemoryPersistence());
        this.options = options;
        this.filters = filters;
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                // tests reconnect with reconnect()
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                synchronized (received) {
                    received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained(), System.nanoTime()));
                    received.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        connect();
    }

    /** A probe with a clean session. */
    public static MqttProbe subscribe(String url, String... filters) throws MqttException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        return new MqttProbe(url, "probe-" + System.nanoTime(), o, filters);
    }

    /** A probe with options of its own (login, TLS, a persistent session). */
    public static MqttProbe subscribe(String url, String clientId, MqttConnectOptions options, String... filters) throws MqttException {
        return new MqttProbe(url, clientId, options, filters);
    }

    private void connect() throws MqttException {
        client.connect(options);
        for (String f : filters) {
            client.subscribe(f, 1);
        }
    }

    /** Connects again after the broker came back, retrying for up to {@code within}. */
    public void reconnect(Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (!client.isConnected()) {
                    connect();
                }
                return;
            } catch (MqttException e) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("the probe could not reconnect: " + e, e);
                }
                Thread.sleep(50);
            }
        }
    }

    public void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    public void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public List<Received> on(String topic) {
        return received().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** Waits for the first message (from the start) that {@code match} accepts. */
    public Received await(String what, Duration within, Predicate<Received> match) throws InterruptedException {
        return awaitOptional(within, match).orElseThrow(() -> new AssertionError("no " + what + " within " + within + "; received: "
                + received().stream().map(r -> r.topic() + " " + (r.payload().length() > 200 ? r.payload().substring(0, 200) : r.payload())).toList()));
    }

    public Optional<Received> awaitOptional(Duration within, Predicate<Received> match) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        synchronized (received) {
            while (true) {
                for (Received r : received) {
                    if (match.test(r)) {
                        return Optional.of(r);
                    }
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close();
    }
}
