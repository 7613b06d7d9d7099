package org.openitb.perf;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmType;
import org.openitb.clock.Clock;
import org.openitb.clock.Waits;
import org.openitb.config.PumpConfig;
import org.openitb.daemon.PumpDaemon;
import org.openitb.sim.SimulatedBench;
import org.openitb.telemetry.Connections;
import org.openitb.telemetry.Topics;
import org.openitb.therapy.Durations;

/**
 * Sensor edge to alarm at a remote subscriber, through the whole path a caregiver depends on:
 * the occlusion input's edge, the input loop, the alarm supervisor, the outbox's commit to disk,
 * the publisher, the broker, a subscriber. Each cycle trips the switch, waits for the raised
 * alarm, releases the switch, acknowledges, and waits for the alarm to clear.
 */
final class AlarmLatencyBench {

    /** The most alarm messages waiting to be read; a subscriber that cannot keep up at this pace is itself a finding. */
    private static final int QUEUE_LIMIT = 1_000;

    /** An occlusion message's transition (raised, cleared, ...), or why the connection ended. */
    private record Arrival(String what, long nanos) {
    }

    private AlarmLatencyBench() {
    }

    /** Latencies in µs over {@code cycles} occlusion cycles on {@code daemon}'s simulated bench. */
    static Latency measure(PumpDaemon daemon, PumpConfig config, Clock clock, int cycles, Duration timeout)
            throws InterruptedException, IOException {
        SimulatedBench bench = daemon.bench().orElseThrow();
        Topics topics = new Topics(config.pumpId());
        LinkedBlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>(QUEUE_LIMIT);
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(config.mqtt().url().orElseThrow().toString(), "openitb-bench-" + UUID.randomUUID(),
                    new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException("cannot make an MQTT client: " + Connections.describe(e), e);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                arrivals.offer(new Arrival("connection lost: " + Connections.describe(cause), clock.nanos()));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long at = clock.nanos();
                JsonObject o = JsonParser.parseString(new String(message.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject();
                if (AlarmType.OCCLUSION.name().equals(o.get("type").getAsString())) {
                    // By transition, not state: a condition-ended or -returned message also reads "raised".
                    arrivals.offer(new Arrival(o.get("transition").getAsString(), at));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the bench publishes nothing
            }
        });
        try {
            Connections.await(client.connect(Connections.options(config.mqtt(), Optional.empty())), clock, timeout);
            Connections.await(client.subscribe(topics.alarm(), 1), clock, timeout);
        } catch (MqttException e) {
            throw new IllegalStateException("the bench's subscriber cannot reach " + config.mqtt().url().orElseThrow() + ": "
                    + Connections.describe(e), e);
        }
        try {
            Histogram us = Latency.histogram();
            for (int i = 0; i < cycles; i++) {
                long edge = clock.nanos();
                bench.occlusionSwitch(Optional.of(true));
                Arrival raised = await(arrivals, clock, "raised", timeout, i);
                Latency.record(us, (raised.nanos() - edge) / 1_000);
                bench.occlusionSwitch(Optional.empty());
                Alarm alarm = openOcclusion(daemon, clock, timeout)
                        .orElseThrow(() -> new IllegalStateException("the occlusion alarm published as raised is not open"));
                try {
                    Waits.get(daemon.pump().supervisor().acknowledge(alarm.id(), "bench"), clock, timeout.toNanos());
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("the bench's acknowledgement of " + alarm.id() + " did not complete: " + e, e);
                }
                await(arrivals, clock, "cleared", timeout, i);
            }
            return Latency.of(us);
        } finally {
            try {
                Connections.await(client.disconnect(), clock, timeout);
                client.close();
            } catch (MqttException e) {
                // the measurement is done; a subscriber that does not leave cleanly changes nothing
            }
        }
    }

    /**
     * The open occlusion alarm as the supervisor's view shows it. The view is refreshed at the end of
     * the input loop's pass, and the publisher may have sent the alarm before that on a loaded host:
     * looked for every millisecond until {@code timeout}.
     */
    private static Optional<Alarm> openOcclusion(PumpDaemon daemon, Clock clock, Duration timeout) {
        long deadline = clock.nanos() + timeout.toNanos();
        while (true) {
            Optional<Alarm> open = daemon.pump().supervisor().view().open().stream().filter(a -> a.type() == AlarmType.OCCLUSION).findFirst();
            if (open.isPresent() || clock.nanos() - deadline >= 0) {
                return open;
            }
            clock.parkUntil(Math.min(deadline, clock.nanos() + 1_000_000L));
        }
    }

    /** The next occlusion message of transition {@code state}, skipping the others; a lost connection or a timeout ends the bench. */
    private static Arrival await(LinkedBlockingQueue<Arrival> arrivals, Clock clock, String state, Duration timeout, int cycle) {
        long deadline = clock.nanos() + timeout.toNanos();
        while (true) {
            // Each arrival carries its own time of arrival: looking every millisecond adds nothing to what is measured.
            Arrival a = arrivals.poll();
            if (a == null && clock.nanos() - deadline < 0) {
                clock.parkUntil(Math.min(deadline, clock.nanos() + 1_000_000L));
                continue;
            }
            if (a == null) {
                throw new IllegalStateException("cycle " + (cycle + 1) + ": no '" + state + "' occlusion alarm reached the subscriber within "
                        + Durations.format(timeout));
            }
            if (a.what().startsWith("connection lost")) {
                throw new IllegalStateException("the bench's subscriber lost the broker: " + a.what());
            }
            if (a.what().equals(state)) {
                return a;
            }
        }
    }
}
