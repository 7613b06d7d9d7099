package org.openitb.telemetry;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openitb.clock.Clock;
import org.openitb.store.Outbox;
import org.openitb.store.OutboxMessage;
import org.openitb.store.StoreException;
import org.tinylog.Logger;

/**
 * The pump's side of MQTT, on a thread of its own so that no broker, setting or payload can hold
 * up dosing: connects (retrying every connect, the first included, with a backoff doubling from
 * 1 s up to {@code mqtt.reconnect-max}), announces {@code online} (retained; {@code offline} is the
 * Last Will), sends the outbox in order with QoS 1 and at most {@link #WINDOW} messages unacknowledged,
 * tells the outbox what the broker acknowledged, republishes the rest after a reconnect, keeps the
 * retained {@code state} fresh, answers {@code cmd/ack} through {@link RemoteAck}, and publishes
 * Home Assistant discovery when asked to. Timing runs on the real clock: the network is real even
 * in a simulation.
 */
public final class MqttPublisher implements AutoCloseable {

    /** Outbox messages published and not yet acknowledged, at most. */
    public static final int WINDOW = 16;
    /**
     * The state snapshot is compared with the last one sent when something may have changed (an
     * alarm, an outbox write, a broker callback), at most this often: the publisher sleeps until
     * there is work, so an idle pump costs next to no CPU.
     */
    static final long STATE_CHECK_NANOS = 250_000_000L;
    /** Changes go out at most this often; the period sends the rest. */
    static final long STATE_MIN_GAP_NANOS = 1_000_000_000L;
    static final Duration CONNECT_WAIT = Duration.ofSeconds(7);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final MqttSettings settings;
    private final Topics topics;
    private final Clock real;
    private final Optional<Outbox> outbox;
    private final Supplier<JsonObject> status;
    private final RemoteAck acks;
    private final StateSnapshots snapshots;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile boolean lost = true;
    private volatile boolean discoveryAsked;
    private volatile Optional<String> problem = Optional.empty();
    private volatile boolean outboxNews;
    private volatile boolean lostByCallback;
    private volatile String lastFailureFromCallback = "";

    // Publisher thread only.
    private MqttAsyncClient client;
    private final Backoff backoff;
    private long downSinceNanos;
    private Instant downSince;
    private String lastFailure = "not connected yet";
    private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
    private final Set<Long> ackedAhead = new HashSet<>();
    private long nextRead;
    private long sentThrough;
    private boolean outboxDirty = true;
    private long outboxRetryNanos;
    private long stateCheckedNanos = Long.MIN_VALUE;
    /** Something may have changed the state since it was last compared. */
    private volatile boolean stateNews = true;
    /** The state differs from the last one sent, which went out less than the minimum gap ago. */
    private boolean stateChangeWaiting;
    private long statePublishedNanos = Long.MIN_VALUE;
    private String stateFingerprint = "";

    private MqttPublisher(MqttSettings settings, String pumpId, Clock real, Optional<Outbox> outbox, Supplier<JsonObject> status,
            RemoteAck acks) {
        this.settings = settings;
        this.topics = new Topics(pumpId);
        this.real = real;
        this.outbox = outbox;
        this.status = status;
        this.acks = acks;
        this.snapshots = new StateSnapshots(settings.statePeriod());
        this.thread = Thread.ofPlatform().name("mqtt-publisher").daemon(true).unstarted(this::run);
        this.downSinceNanos = real.nanos();
        this.downSince = real.instant();
        this.backoff = new Backoff(settings.reconnectMax(), downSinceNanos);
    }

    /**
     * Starts publishing to the broker of {@code settings} (which must be enabled).
     *
     * @param status the {@code status --json} object as of now; called on the publisher's thread
     */
    public static MqttPublisher start(MqttSettings settings, String pumpId, Clock real, Optional<Outbox> outbox, Supplier<JsonObject> status,
            RemoteAck acks) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("no broker configured (mqtt.url is empty)");
        }
        MqttPublisher p = new MqttPublisher(settings, Objects.requireNonNull(pumpId, "pumpId"), Objects.requireNonNull(real, "real"),
                Objects.requireNonNull(outbox, "outbox"), Objects.requireNonNull(status, "status"), Objects.requireNonNull(acks, "acks"));
        outbox.ifPresent(o -> o.onOutboxWritten(p::outboxWritten));
        p.thread.start();
        return p;
    }

    /**
     * Why the broker has been unreachable for longer than {@code mqtt.unreachable-after}, if it
     * has; read by the alarm supervisor on every input tick, so it is a field, not a computation.
     */
    public Optional<String> problem() {
        return problem;
    }

    /** Whether the pump is connected to the broker now. */
    public boolean connected() {
        return !lost;
    }

    private void outboxWritten() {
        outboxNews = true;
        wake();
    }

    /** Asks the publisher to look again (alarm changed, state worth a look). Never blocks. */
    public void wake() {
        stateNews = true;
        LockSupport.unpark(thread);
    }

    // ------------------------------------------------------------------ the thread

    private void run() {
        try {
            while (running) {
                if (lostByCallback) {
                    lostByCallback = false;
                    connectionLost(lastFailureFromCallback);
                } else if (!lost && (client == null || !client.isConnected())) {
                    connectionLost("the connection closed");
                }
                long now = real.nanos();
                if (lost && backoff.due(now)) {
                    connect();
                }
                if (!lost) {
                    try {
                        settleAcknowledged();
                        publishDiscoveryIfAsked();
                        publishOutbox(real.nanos());
                        publishState(real.nanos(), false);
                    } catch (MqttException e) {
                        connectionLost("publishing failed: " + Connections.describe(e));
                    }
                }
                updateProblem(real.nanos());
                if (running) {
                    real.parkUntil(nextWake(real.nanos()));
                }
            }
        } catch (RuntimeException e) {
            // A bug here must not pass silently: remote monitoring is cut off, and the alarm says so.
            Logger.error(e, "the MQTT publisher stopped on an unexpected error; remote monitoring is cut off");
            lastFailure = "the publisher stopped on an unexpected error: " + e;
            lost = true;
            problem = Optional.of("remote monitoring stopped: " + e);
            return;
        }
        goodbye();
    }

    /** When there is work without a wake: the state's period, a change held back by the minimum gap, a retry, a reconnect. */
    private long nextWake(long now) {
        long period = settings.statePeriod().toNanos();
        long deadline = statePublishedNanos == Long.MIN_VALUE ? now + STATE_CHECK_NANOS : statePublishedNanos + period;
        if (stateNews) {
            deadline = Math.min(deadline, stateCheckedNanos == Long.MIN_VALUE ? now : stateCheckedNanos + STATE_CHECK_NANOS);
        }
        if (stateChangeWaiting) {
            deadline = Math.min(deadline, statePublishedNanos + STATE_MIN_GAP_NANOS);
        }
        if (outboxDirty && outboxRetryNanos - now > 0) {
            deadline = Math.min(deadline, outboxRetryNanos);
        }
        if (lost) {
            deadline = Math.min(deadline, backoff.nextNanos());
            if (problem.isEmpty()) {
                deadline = Math.min(deadline, downSinceNanos + settings.unreachableAfter().toNanos());
            }
        }
        return deadline;
    }

    private void connect() {
        long now = real.nanos();
        try {
            if (client == null) {
                client = new MqttAsyncClient(settings.url().orElseThrow().toString(), "openitb-" + topics.pumpId(), new MemoryPersistence());
                client.setCallback(new Callback());
            }
            MqttConnectOptions options = Connections.options(settings, Optional.of(new Connections.Will(topics.status(), "offline")));
            Connections.await(client.connect(options), real, CONNECT_WAIT);
            Connections.await(client.subscribe(topics.ackCommand(), 1), real, CONNECT_WAIT);
            if (settings.homeAssistant()) {
                Connections.await(client.subscribe(HomeAssistant.statusTopic(settings.discoveryPrefix()), 1), real, CONNECT_WAIT);
            }
            client.publish(topics.status(), "online".getBytes(StandardCharsets.US_ASCII), 1, true);
            // Whatever was in flight on the last connection may not have arrived: send it again (receivers dedupe by id).
            inFlight.clear();
            nextRead = sentThrough;
            outboxDirty = true;
            discoveryAsked = settings.homeAssistant();
            lost = false;
            backoff.succeeded();
            Logger.info("connected to the MQTT broker {} as openitb-{}", settings.url().get(), topics.pumpId());
            publishState(real.nanos(), true);
        } catch (MqttException | IOException e) {
            String why = Connections.describe(e);
            long wait = backoff.failed(now);
            if (!why.equals(lastFailure)) {
                Logger.warn("cannot reach the MQTT broker {}: {}; retrying in {} s", settings.url().get(), why, wait / 1_000_000_000L);
            }
            lastFailure = why;
            discardClient(); // a connect that timed out may still be pending in it: the next attempt starts clean
        }
    }

    /** Sends waiting outbox messages, in order, while the window has room. */
    private void publishOutbox(long now) throws MqttException {
        if (outboxNews) {
            outboxNews = false;
            outboxDirty = true;
        }
        if (outbox.isEmpty() || !outboxDirty || now - outboxRetryNanos < 0) {
            return;
        }
        while (inFlight.size() < WINDOW) {
            List<OutboxMessage> batch;
            try {
                batch = outbox.get().outboxAfter(nextRead, WINDOW - inFlight.size());
            } catch (StoreException e) {
                Logger.warn("cannot read the outbox; trying again in a second: {}", e.getMessage());
                outboxRetryNanos = now + 1_000_000_000L;
                return;
            }
            for (OutboxMessage m : batch) {
                MqttMessage message = new MqttMessage(m.payload().getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                client.publish(m.topic(), message, m.seq(), null);
                inFlight.addLast(m.seq());
                nextRead = m.seq();
            }
            if (batch.size() < WINDOW) {
                outboxDirty = false; // read to the end: the next write wakes us
                return;
            }
        }
    }

    /** Moves the acknowledged front of the window out of the outbox. */
    private void settleAcknowledged() {
        Long seq;
        while ((seq = acknowledged.poll()) != null) {
            if (seq > sentThrough) {
                ackedAhead.add(seq);
            }
        }
        long before = sentThrough;
        while (!inFlight.isEmpty() && ackedAhead.remove(inFlight.peekFirst())) {
            sentThrough = inFlight.pollFirst();
        }
        if (sentThrough != before) {
            ackedAhead.removeIf(s -> s <= sentThrough);
            outbox.ifPresent(o -> o.sent(sentThrough));
            outboxDirty = true; // the window has room again
        }
    }

    private void publishState(long now, boolean force) throws MqttException {
        boolean periodDue = statePublishedNanos == Long.MIN_VALUE || now - statePublishedNanos >= settings.statePeriod().toNanos();
        boolean gapOver = now - statePublishedNanos >= STATE_MIN_GAP_NANOS;
        boolean look = force || periodDue || (stateChangeWaiting && gapOver)
                || (stateNews && (stateCheckedNanos == Long.MIN_VALUE || now - stateCheckedNanos >= STATE_CHECK_NANOS));
        if (!look) {
            return;
        }
        stateNews = false;
        stateCheckedNanos = now;
        StateSnapshots.Snapshot s = snapshots.of(status.get());
        boolean differs = !s.fingerprint().equals(stateFingerprint);
        boolean changed = differs && gapOver;
        stateChangeWaiting = differs && !changed && !force && !periodDue;
        if (force || periodDue || changed) {
            client.publish(topics.state(), s.payload().getBytes(StandardCharsets.UTF_8), 1, true);
            stateFingerprint = s.fingerprint();
            statePublishedNanos = now;
        }
    }

    private void publishDiscoveryIfAsked() throws MqttException {
        if (!discoveryAsked) {
            return;
        }
        discoveryAsked = false;
        for (HomeAssistant.Message m : HomeAssistant.discovery(settings.discoveryPrefix(), topics)) {
            client.publish(m.topic(), m.payload().getBytes(StandardCharsets.UTF_8), 1, true);
        }
        stateCheckedNanos = Long.MIN_VALUE; // a fresh state right after, for the new entities
    }

    private void connectionLost(String why) {
        if (!lost) {
            Logger.warn("lost the MQTT broker {}: {}; reconnecting", settings.url().get(), why);
            lost = true;
            downSinceNanos = real.nanos();
            downSince = real.instant();
            backoff.retryNow(downSinceNanos); // at once, then with backoff
        }
        lastFailure = why;
        discardClient();
    }

    private void updateProblem(long now) {
        if (!lost) {
            problem = Optional.empty();
        } else if (now - downSinceNanos >= settings.unreachableAfter().toNanos()) {
            String text = settings.url().get() + " unreachable since " + downSince.truncatedTo(ChronoUnit.SECONDS)
                    + " (real time): " + lastFailure;
            if (problem.isEmpty() || !problem.get().equals(text)) {
                problem = Optional.of(text);
            }
        }
    }

    private void discardClient() {
        if (client == null) {
            return;
        }
        try {
            client.disconnectForcibly(0, 100);
        } catch (MqttException e) {
            Logger.debug("discarding the MQTT client: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            Logger.debug("closing the MQTT client: {}", e.getMessage());
        }
        client = null;
    }

    /** On a clean stop: {@code offline} retained (a clean disconnect sends no Last Will), then disconnect. */
    private void goodbye() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                Connections.await(client.publish(topics.status(), "offline".getBytes(StandardCharsets.US_ASCII), 1, true), real, CLOSE_WAIT);
                Connections.await(client.disconnect(CLOSE_WAIT.toMillis()), real, CLOSE_WAIT);
            }
        } catch (MqttException e) {
            Logger.warn("saying goodbye to the broker failed: {}", Connections.describe(e));
        }
        discardClient();
    }

    /** Stops publishing: {@code offline} is published and the connection closed, within a few seconds. */
    @Override
    public void close() {
        running = false;
        wake();
        long deadline = real.nanos() + CONNECT_WAIT.plus(CLOSE_WAIT.multipliedBy(3)).toNanos();
        while (thread.isAlive() && real.nanos() - deadline < 0) {
            real.parkUntil(Math.min(deadline, real.nanos() + 10_000_000L)); // the thread's end unparks nobody: look every 10 ms
        }
    }

    /** Paho's callbacks, on Paho's threads: they hand work over and wake the publisher, nothing more. */
    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            wake();
        }

        @Override
        public void connectionLost(Throwable cause) {
            // Handled on the publisher's thread; here only the flag, so the next pass reconnects.
            lastFailureFromCallback = "connection lost: " + Connections.describe(cause);
            lostByCallback = true;
            wake();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (topic.equals(topics.ackCommand())) {
                if (message.isRetained()) {
                    acks.refuseRetained(message.getPayload().length);
                } else {
                    acks.accept(message.getPayload());
                }
            } else if (topic.equals(HomeAssistant.statusTopic(settings.discoveryPrefix()))
                    && "online".equals(new String(message.getPayload(), StandardCharsets.UTF_8).strip())) {
                discoveryAsked = true;
                wake();
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            if (token.getUserContext() instanceof Long seq) {
                acknowledged.add(seq);
                wake();
            }
        }
    }
}
