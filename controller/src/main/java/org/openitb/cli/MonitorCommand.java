package org.openitb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openitb.clock.Clock;
import org.openitb.clock.SystemClock;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PumpConfig;
import org.openitb.telemetry.Backoff;
import org.openitb.telemetry.Connections;
import org.openitb.telemetry.MonitorView;
import org.openitb.telemetry.MonitorWard;
import org.openitb.telemetry.MqttSettings;
import org.openitb.telemetry.RemoteAck;
import org.openitb.telemetry.Topics;
import org.openitb.therapy.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code monitor}: what a caregiver keeps open. Subscribes to one pump's topics, several pumps' or
 * every pump's under {@code openitb/}, and prints a line per thing worth knowing, each naming its
 * pump (online/offline, alarm transitions, journal events, missed or stale messages, the open
 * alarms); {@code ack ID} typed on standard input acknowledges an alarm from afar.
 */
@Command(name = "monitor", description = {"Watch one or more pumps over MQTT as a remote caregiver.",
    "Shows online/offline, alarms by priority with the withdrawal-risk estimate, missed events and a stale state, each line naming its pump.",
    "Type 'ack ALARM_ID' (or 'ack PUMP_ID ALARM_ID', or 'alarms') on standard input."})
final class MonitorCommand implements Callable<Integer> {

    @Option(names = "--broker", paramLabel = "URL", description = "host:port (plain MQTT), tcp://host:port or ssl://host:port"
            + " (default: mqtt.url of --config).")
    String broker;
    @Option(names = "--pump", paramLabel = "ID", description = "A pump to watch; repeat it for several (default: pump.id of --config).")
    List<String> pumps;
    @Option(names = "--all-pumps", description = "Watch every pump heard on the broker under openitb/ (up to "
            + MonitorWard.PUMP_LIMIT + ").")
    boolean allPumps;
    @Option(names = "--username", paramLabel = "U", description = "Broker user.")
    String username;
    @Option(names = "--password-file", paramLabel = "F", description = "File holding the broker password (first line).")
    Path passwordFile;
    @Option(names = "--ca-file", paramLabel = "C", description = "PEM file of the CA that signed the broker's certificate.")
    Path caFile;
    @Option(names = "--as", paramLabel = "NAME", description = "Who acknowledges, as the pump journals it (default: your user name).")
    String as;
    @Option(names = "--json", description = "One JSON object per line, for machines.")
    boolean json;
    @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long (like 10m); default: until interrupted.")
    String forText;
    @Option(names = "--config", paramLabel = "FILE", description = "Take the broker, login and pump id from this pump config.")
    Path config;
    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private Clock clock;
    private MonitorWard ward;
    private volatile boolean lost = true;
    private volatile String lostWhy = "";

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (allPumps && pumps != null && !pumps.isEmpty()) {
            throw new InvalidInputException("--all-pumps watches every pump: give it or --pump, not both");
        }
        MqttSettings settings = settings();
        List<String> pumpIds = allPumps ? List.of() : pumpIds();
        String by = by();
        Optional<Duration> limit = forText == null ? Optional.empty() : Optional.of(duration(forText));
        clock = new SystemClock(ZoneId.systemDefault());
        ward = allPumps ? MonitorWard.all(clock) : MonitorWard.of(pumpIds, clock);
        List<String> filters = ward.subscriptions();
        MqttAsyncClient client = new MqttAsyncClient(settings.url().orElseThrow().toString(), "openitb-monitor-" + UUID.randomUUID(),
                new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lostWhy = Connections.describe(cause);
                lost = true;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                synchronized (MonitorCommand.this) {
                    show(ward.message(topic, message.getPayload(), message.isRetained()));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // an acknowledgement reached the broker; the pump's answer comes on its topics
            }
        });
        Thread input = Thread.ofPlatform().name("monitor-input").daemon(true).start(() -> readCommands(client, by));
        long end = limit.map(d -> clock.nanos() + d.toNanos()).orElse(Long.MAX_VALUE);
        Backoff backoff = new Backoff(MqttSettings.DEFAULT_RECONNECT_MAX, clock.nanos());
        String lastShown = "";
        try {
            while (clock.nanos() - end < 0) {
                long now = clock.nanos();
                if (lost && backoff.due(now)) {
                    try {
                        Connections.await(client.connect(Connections.options(settings, Optional.empty())), clock, Duration.ofSeconds(10));
                        Connections.await(client.subscribe(filters.toArray(String[]::new), filters.stream().mapToInt(f -> 1).toArray()),
                                clock, Duration.ofSeconds(10));
                        lost = false;
                        backoff.succeeded();
                        lastShown = "";
                        show(ward.connection(true, settings.url().get().toString()));
                    } catch (MqttException e) {
                        lostWhy = Connections.describe(e);
                        if (client.isConnected()) {
                            client.disconnectForcibly(0, 500);
                        }
                    }
                    if (lost) {
                        if (!lostWhy.equals(lastShown)) {
                            show(ward.connection(false, settings.url().get() + ": " + lostWhy));
                            lastShown = lostWhy;
                        }
                        backoff.failed(now);
                    }
                } else if (lost && !lostWhy.equals(lastShown)) {
                    show(ward.connection(false, settings.url().get() + ": " + lostWhy));
                    lastShown = lostWhy;
                }
                synchronized (this) {
                    show(ward.tick());
                }
                clock.parkUntil(Math.min(end, clock.nanos() + 1_000_000_000L));
            }
        } finally {
            input.interrupt();
            if (client.isConnected()) {
                Connections.await(client.disconnect(1_000), clock, Duration.ofSeconds(2));
            }
            client.close(true);
        }
        return ExitCode.OK;
    }

    /** Standard input, a line at a time: {@code ack [PUMP] ID}, {@code alarms}. End of input leaves the monitor watching. */
    private void readCommands(MqttAsyncClient client, String by) {
        var err = spec.commandLine().getErr();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                MonitorInput asked;
                synchronized (this) {
                    asked = MonitorInput.parse(line, ward);
                }
                if (asked instanceof MonitorInput.Ack a) {
                    ack(client, by, a);
                } else if (asked instanceof MonitorInput.Refused r) {
                    err.println("openitb monitor: " + r.why());
                } else if (asked instanceof MonitorInput.Alarms) {
                    synchronized (this) {
                        show(ward.summaries());
                    }
                }
                err.flush();
            }
        } catch (IOException e) {
            err.println("openitb monitor: standard input failed: " + e.getMessage());
        }
    }

    private void ack(MqttAsyncClient client, String by, MonitorInput.Ack a) {
        try {
            client.publish(new Topics(a.pumpId()).ackCommand(), a.payload(by), 1, false);
            show(MonitorView.ackSent(a.pumpId(), a.alarmId(), by, clock));
        } catch (MqttException e) {
            spec.commandLine().getErr().println("openitb monitor: the acknowledgement was not sent: " + Connections.describe(e)
                    + "; try again once connected");
        }
    }

    private synchronized void show(List<MonitorView.Line> lines) {
        String time = timeOfDay(clock.wallTime());
        for (MonitorView.Line l : lines) {
            out.println(json ? l.json().toString() : time + "  " + l.text());
        }
        out.flush();
    }

    /** "03:51:00", never "03:51": LocalTime's own text drops seconds that are zero, so lines on the minute lost theirs. */
    static String timeOfDay(ZonedDateTime at) {
        return DateTimeFormatter.ofPattern("HH:mm:ss").format(at);
    }

    /** A broker as people type it: "host:port" (or just "host") is tcp://host:port; a URL is taken as it is. */
    static String brokerUrl(String typed) {
        return typed.contains("://") ? typed : "tcp://" + typed;
    }

    // ------------------------------------------------------------------ arguments

    private MqttSettings settings() {
        Optional<PumpConfig> pumpConfig = Optional.ofNullable(config).map(this::load);
        MqttSettings base = pumpConfig.map(PumpConfig::mqtt).orElse(MqttSettings.DISABLED);
        URI url;
        if (broker != null) {
            try {
                url = ConfigLoader.brokerUrl(brokerUrl(broker));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--broker " + broker + ": " + e.getMessage());
            }
        } else {
            url = base.url().orElseThrow(() -> new InvalidInputException("--broker URL is needed (or --config with mqtt.url set)"));
        }
        MqttSettings s = MqttSettings.broker(Optional.of(url));
        String user = username != null ? username : base.username();
        Optional<Path> password = passwordFile != null ? Optional.of(passwordFile) : base.passwordFile();
        Optional<Path> ca = caFile != null ? Optional.of(caFile) : base.caFile();
        for (Path p : List.of(password, ca).stream().flatMap(Optional::stream).toList()) {
            if (!Files.isReadable(p)) {
                throw new InvalidInputException(p + ": not a readable file");
            }
        }
        if (password.isPresent() && user.isEmpty()) {
            throw new InvalidInputException("--password-file needs --username");
        }
        if (ca.isPresent() && !"ssl".equals(url.getScheme())) {
            throw new InvalidInputException("--ca-file is for an ssl:// broker, not " + url);
        }
        return s.withLogin(user, password, ca);
    }

    private List<String> pumpIds() {
        List<String> ids = pumps != null && !pumps.isEmpty() ? pumps : List.of(Optional.ofNullable(config).map(c -> load(c).pumpId())
                .orElseThrow(() -> new InvalidInputException("--pump ID is needed (or --all-pumps, or --config)")));
        if (ids.size() > MonitorWard.PUMP_LIMIT) {
            throw new InvalidInputException(ids.size() + " pumps given with --pump; at most " + MonitorWard.PUMP_LIMIT
                    + " (or --all-pumps)");
        }
        List<String> checked = new ArrayList<>();
        for (String id : ids) {
            try {
                checked.add(ConfigLoader.pumpId(id));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--pump " + id + ": " + e.getMessage());
            }
        }
        return checked;
    }

    private String by() {
        String name = as != null ? as : System.getProperty("user.name", "monitor");
        if (!RemoteAck.validBy(name)) {
            throw new InvalidInputException("--as \"" + name + "\": " + RemoteAck.BY_RULE);
        }
        return name;
    }

    private PumpConfig load(Path file) {
        ConfigOption option = new ConfigOption();
        option.file = file;
        return option.load();
    }

    private static Duration duration(String text) {
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("must be longer than zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--for " + text + ": " + e.getMessage());
        }
    }
}
