package org.openitb.telemetry;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.openitb.alarm.AlarmType;
import org.openitb.clock.Clock;

/**
 * What a caregiver's monitor knows about one pump, from the messages it receives: online or
 * offline and since when, the open alarms by priority with the withdrawal-risk estimate, gaps and
 * duplicates in each topic's {@code seq}, and a state that has gone quiet for longer than the pump
 * said it would. Each input returns the lines to show, each both as text and as JSON. No I/O, no
 * threads: {@code monitor} feeds it, tests too.
 */
public final class MonitorView {

    /** Event ids remembered to drop republished duplicates. */
    static final int SEEN_LIMIT = 4_096;
    /** Alarms tracked at most (the pump keeps at most 256 open). */
    static final int ALARM_LIMIT = 512;
    /** Slack on top of twice the announced state period before the state counts as stale. */
    static final Duration STALE_SLACK = Duration.ofSeconds(10);
    /** Until a state announces its period, this is assumed. */
    static final Duration DEFAULT_STATE_PERIOD = MqttSettings.DEFAULT_STATE_PERIOD;
    /**
     * Connected this long with nothing at all from the pump (its status and state are retained, so a pump
     * that ever ran answers at once): the id is likely wrong, and silence would read as "all quiet".
     */
    public static final Duration UNHEARD = Duration.ofSeconds(5);
    /** Other pumps' ids kept at most, to name them when ours is not heard. */
    static final int OTHER_PUMPS_LIMIT = 64;

    /** One thing to show: a line for a person, an object for {@code --json}. */
    public record Line(String text, JsonObject json) {
    }

    private final Topics topics;
    private final Clock clock;
    private Optional<Boolean> online = Optional.empty();
    private Optional<Instant> onlineChangedAt = Optional.empty();
    private Optional<JsonObject> lastState = Optional.empty();
    private long lastStateNanos;
    private Duration statePeriod = DEFAULT_STATE_PERIOD;
    private boolean staleWarned;
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private final Map<String, JsonObject> alarms = new LinkedHashMap<>();
    private final long startedNanos;
    private final TreeSet<String> otherPumps = new TreeSet<>();
    private boolean heard;
    private boolean unheardWarned;
    private long connectedNanos = -1;
    /**
     * The newest withdrawal-risk estimate heard, from a state or an alarm, by the pump's own time: an
     * escalation's alarm carries the new level before the next state does.
     */
    private Optional<JsonElement> risk = Optional.empty();
    private Instant riskAt = Instant.MIN;

    public MonitorView(String pumpId, Clock clock) {
        this.topics = new Topics(pumpId);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedNanos = clock.nanos();
        this.lastStateNanos = startedNanos;
    }

    /** The topic filter that finds every pump's status under the root: where the other pumps' ids come from. */
    public static String everyPumpsStatus() {
        return Topics.ROOT + "/+/status";
    }

    /** A message on one of the pump's topics (or another pump's status, which only tells its id). */
    public List<Line> message(String topic, byte[] payload, boolean retained) {
        String text = new String(payload, StandardCharsets.UTF_8);
        List<Line> out = new ArrayList<>();
        if (!topic.startsWith(topics.base())) {
            String[] levels = topic.split("/", -1);
            if (levels.length == 3 && levels[0].equals(Topics.ROOT) && levels[2].equals("status") && otherPumps.size() < OTHER_PUMPS_LIMIT) {
                otherPumps.add(clip(levels[1]));
            }
            return out;
        }
        heard |= topic.equals(topics.status()) || topic.equals(topics.state()) || topic.equals(topics.alarm()) || topic.equals(topics.event());
        if (topic.equals(topics.status())) {
            status(text.strip(), retained, out);
        } else if (topic.equals(topics.state())) {
            parse(topic, text, out).ifPresent(o -> state(o, out));
        } else if (topic.equals(topics.alarm())) {
            parse(topic, text, out).filter(o -> fresh(topic, o, out)).ifPresent(o -> alarm(o, out));
        } else if (topic.equals(topics.event())) {
            parse(topic, text, out).filter(o -> fresh(topic, o, out)).ifPresent(o -> event(o, out));
        }
        return out;
    }

    /** The monitor's own link to the broker came up or went down. */
    public List<Line> connection(boolean connected, String detail) {
        if (connected && connectedNanos < 0) {
            connectedNanos = clock.nanos();
        }
        return List.of(connectionLine(connected, detail, clock));
    }

    /** What the monitor says when its link to the broker came up or went down, whichever pumps it watches. */
    public static Line connectionLine(boolean connected, String detail, Clock clock) {
        JsonObject j = new JsonObject();
        j.addProperty("kind", "broker");
        j.addProperty("at", clock.instant().toString());
        j.addProperty("connected", connected);
        j.addProperty("detail", detail);
        return new Line(connected ? "monitor: connected to " + detail : "MONITOR CANNOT REACH THE BROKER: " + detail
                + " (retrying; nothing from the pumps can arrive meanwhile)", j);
    }

    /** Whether the alarm {@code alarmId} is open here, as far as this monitor heard: where an acknowledgement goes. */
    public boolean hasOpenAlarm(String alarmId) {
        return alarms.containsKey(alarmId);
    }

    public String pumpId() {
        return topics.pumpId();
    }

    /** An acknowledgement sent to {@code pumpId}; the pump's answer arrives as an alarm or event message. */
    public static List<Line> ackSent(String pumpId, String id, String by, Clock clock) {
        JsonObject j = new JsonObject();
        j.addProperty("kind", "ack-sent");
        j.addProperty("at", clock.instant().toString());
        j.addProperty("pumpId", pumpId);
        j.addProperty("id", id);
        j.addProperty("by", by);
        return List.of(new Line("sent to " + pumpId + ": acknowledge " + id + " as " + by + " (the pump answers on its alarm or event topic)", j));
    }

    /** Called about once a second: warns, once, when the state has gone quiet for too long. */
    public List<Line> tick() {
        if (!heard && !unheardWarned && connectedNanos >= 0 && clock.nanos() - connectedNanos >= UNHEARD.toNanos()) {
            unheardWarned = true;
            JsonObject j = json("unheard");
            j.addProperty("pumpId", topics.pumpId());
            JsonArray known = new JsonArray();
            otherPumps.forEach(known::add);
            j.add("knownPumps", known);
            return List.of(new Line("WARNING: nothing heard from pump " + topics.pumpId() + " in " + UNHEARD.toSeconds()
                    + " s on this broker (a pump that ever ran leaves its status here): check --pump; "
                    + (otherPumps.isEmpty() ? "no pump is known here" : "the pumps known here: " + String.join(", ", otherPumps)), j));
        }
        long quiet = clock.nanos() - lastStateNanos;
        Duration limit = statePeriod.multipliedBy(2).plus(STALE_SLACK);
        if (quiet < limit.toNanos() || staleWarned) {
            return List.of();
        }
        staleWarned = true;
        JsonObject j = json("stale");
        j.addProperty("pumpId", topics.pumpId());
        j.addProperty("quietSeconds", Duration.ofNanos(quiet).toSeconds());
        j.addProperty("expectedEverySeconds", statePeriod.toSeconds());
        String since = lastState.isEmpty() ? "since this monitor started" : "for " + words(Duration.ofNanos(quiet));
        return List.of(new Line("WARNING: no state from " + topics.pumpId() + " " + since + " (it publishes every "
                + statePeriod.toSeconds() + " s): the pump, its network or the broker may be down", j));
    }

    /** The open alarms, highest priority first, and the risk estimate: what {@code alarms} shows. */
    public Line summary() {
        List<JsonObject> open = new ArrayList<>(alarms.values());
        open.sort(Comparator.comparingInt(MonitorView::rank));
        JsonObject j = json("active");
        JsonArray list = new JsonArray();
        open.forEach(list::add);
        j.add("alarms", list);
        j.add("online", online.<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
        risk.ifPresent(r -> j.add("withdrawalRisk", r));
        StringBuilder b = new StringBuilder(topics.pumpId()).append(' ').append(onlineText()).append(" | ");
        if (open.isEmpty()) {
            b.append("no open alarms");
        } else {
            b.append(open.size()).append(open.size() == 1 ? " open alarm: " : " open alarms: ");
            List<String> parts = new ArrayList<>();
            for (JsonObject a : open) {
                parts.add(str(a, "priority").toUpperCase(Locale.ROOT) + " " + str(a, "type") + " " + str(a, "state") + " ["
                        + Optional.ofNullable(str(a, "alarmId")).orElse(str(a, "id")) + "]");
            }
            b.append(String.join(", ", parts));
        }
        risk.ifPresent(r -> b.append(" | ").append(risk(r)));
        return new Line(b.toString(), j);
    }

    // ------------------------------------------------------------------ topics

    private void status(String text, boolean retained, List<Line> out) {
        boolean up = text.equals("online");
        if (!up && !text.equals("offline")) {
            out.add(warning("unexpected status \"" + clip(text) + "\" (online or offline expected)"));
            return;
        }
        Optional<Instant> changed = onlineChangedAt;
        boolean wasKnown = online.isPresent();
        if (online.equals(Optional.of(up))) {
            return;
        }
        Instant now = clock.instant();
        online = Optional.of(up);
        onlineChangedAt = retained && !wasKnown ? Optional.empty() : Optional.of(now);
        JsonObject j = json("status");
        j.addProperty("pumpId", topics.pumpId());
        j.addProperty("online", up);
        String text2 = topics.pumpId() + (up ? " ONLINE" : " OFFLINE");
        if (wasKnown && changed.isPresent()) {
            long seconds = Duration.between(changed.get(), now).toSeconds();
            j.addProperty(up ? "offlineForSeconds" : "onlineForSeconds", seconds);
            text2 += up ? " again after " + words(Duration.ofSeconds(seconds)) + " offline" : " after " + words(Duration.ofSeconds(seconds))
                    + " online: the pump stopped or lost its link; alarms cannot reach you until it is back";
        } else if (!up) {
            text2 += lastState.map(s -> " (its last state is from " + s.get("at").getAsString() + ")").orElse(" (since before this monitor started)");
        }
        out.add(new Line(text2, j));
    }

    private void state(JsonObject s, List<Line> out) {
        boolean first = lastState.isEmpty();
        lastState = Optional.of(s);
        boolean riskMoved = noteRisk(s.get("withdrawalRisk"), str(s, "at"));
        lastStateNanos = clock.nanos();
        if (staleWarned) {
            staleWarned = false;
            out.add(new Line("state from " + topics.pumpId() + " is arriving again", json("fresh")));
        }
        if (s.has("stateEverySeconds") && s.get("stateEverySeconds").isJsonPrimitive()) {
            statePeriod = Duration.ofSeconds(Math.max(1, s.get("stateEverySeconds").getAsLong()));
        }
        // The state lists every open alarm: the truth for which are open, even for a monitor that started late.
        Map<String, JsonObject> listed = new LinkedHashMap<>();
        if (s.has("activeAlarms") && s.get("activeAlarms").isJsonArray()) {
            for (JsonElement e : s.getAsJsonArray("activeAlarms")) {
                if (e.isJsonObject() && e.getAsJsonObject().has("id")) {
                    listed.put(e.getAsJsonObject().get("id").getAsString(), e.getAsJsonObject());
                }
            }
        }
        boolean changed = alarms.keySet().retainAll(listed.keySet());
        for (Map.Entry<String, JsonObject> e : listed.entrySet()) {
            JsonObject known = alarms.get(e.getKey());
            if (known == null) {
                if (alarms.size() < ALARM_LIMIT) {
                    JsonObject a = e.getValue().deepCopy();
                    a.addProperty("alarmId", e.getKey());
                    alarms.put(e.getKey(), a);
                    changed = true;
                }
            } else if (e.getValue().has("state") && !e.getValue().get("state").equals(known.get("state"))) {
                known.add("state", e.getValue().get("state"));
                changed = true;
            }
        }
        if (first || changed || riskMoved) {
            out.add(summary());
        }
    }

    private void alarm(JsonObject a, List<Line> out) {
        String alarmId = a.has("alarmId") ? str(a, "alarmId") : str(a, "id");
        if (alarmId == null || str(a, "type") == null || str(a, "priority") == null || str(a, "state") == null) {
            out.add(warning("an alarm message without alarmId, type, priority or state: " + clip(a.toString())));
            return;
        }
        if ("cleared".equals(str(a, "state"))) {
            alarms.remove(alarmId);
        } else if (alarms.containsKey(alarmId) || alarms.size() < ALARM_LIMIT) {
            alarms.put(alarmId, a);
        }
        JsonObject j = json("alarm");
        j.add("alarm", a);
        String transition = a.has("transition") ? str(a, "transition") : str(a, "state");
        // The pump's id on every line: a ward watches several, and a line read alone must say whose it is.
        StringBuilder b = new StringBuilder(topics.pumpId()).append(" ALARM ").append(str(a, "priority").toUpperCase(Locale.ROOT))
                .append(' ').append(str(a, "type")).append(' ').append(transition);
        if ("acknowledged".equals(str(a, "state")) && a.has("acknowledgedBy") && !a.get("acknowledgedBy").isJsonNull()) {
            b.append(" by ").append(a.get("acknowledgedBy").getAsString());
        }
        b.append(" [").append(alarmId).append("]: ").append(Optional.ofNullable(str(a, "message")).orElse(""));
        if (a.has("risk") && a.get("risk").isJsonObject()) {
            b.append(" | ").append(risk(a.get("risk")));
            noteRisk(a.get("risk"), str(a, "at"));
        }
        Optional<String> action = "raised".equals(str(a, "state")) ? action(str(a, "type")) : Optional.empty();
        action.ifPresent(what -> {
            b.append(" | TO DO: ").append(what);
            j.addProperty("action", what);
        });
        out.add(new Line(b.toString(), j));
        out.add(summary());
    }

    /** What to do for an alarm type this monitor knows (a newer pump may send one it does not). */
    private static Optional<String> action(String type) {
        try {
            return Optional.of(AlarmType.valueOf(type).action());
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    private void event(JsonObject e, List<Line> out) {
        JsonObject j = json("event");
        j.add("event", e);
        String details = e.has("details") ? clip(e.get("details").toString()) : "";
        out.add(new Line(topics.pumpId() + " EVENT " + str(e, "type") + (e.has("who") ? " by " + str(e, "who") : "") + " " + details, j));
    }

    /** Drops a republished duplicate; warns when {@code seq} skipped some or went back. */
    private boolean fresh(String topic, JsonObject o, List<Line> out) {
        String id = str(o, "id");
        if (id != null && seen.contains(id)) {
            return false;
        }
        if (id != null) {
            seen.add(id);
            if (seen.size() > SEEN_LIMIT) {
                seen.remove(seen.iterator().next());
            }
        }
        if (o.has("seq") && o.get("seq").isJsonPrimitive() && o.get("seq").getAsJsonPrimitive().isNumber()) {
            long seq = o.get("seq").getAsLong();
            Long last = lastSeq.put(topic, seq);
            String what = topic.substring(topics.base().length());
            if (last != null && seq > last + 1) {
                JsonObject j = json("gap");
                j.addProperty("topic", what);
                j.addProperty("after", last);
                j.addProperty("got", seq);
                j.addProperty("missed", seq - last - 1);
                out.add(new Line("WARNING: " + topics.pumpId() + ": missed " + (seq - last - 1) + " " + what + " message(s): seq went from " + last + " to " + seq
                        + " (check the pump's history)", j));
            } else if (last != null && seq <= last) {
                JsonObject j = json("seq-reset");
                j.addProperty("topic", what);
                j.addProperty("after", last);
                j.addProperty("got", seq);
                out.add(new Line("WARNING: " + topics.pumpId() + ": " + what + " seq went back from " + last + " to " + seq
                        + " with a new id: the pump's memory may have been reset", j));
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Keeps {@code r} as the estimate if it is at least as new as the one kept ({@code at}, the pump's
     * time; a message without one counts as now). Returns whether the level changed.
     */
    private boolean noteRisk(JsonElement r, String at) {
        if (r == null || !r.isJsonObject()) {
            return false;
        }
        Instant when;
        try {
            when = at == null ? clock.instant() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            when = clock.instant();
        }
        if (when.isBefore(riskAt)) {
            return false; // an older message arriving late (a retained state after a fresher alarm)
        }
        String before = risk.map(MonitorView::level).orElse("");
        risk = Optional.of(r);
        riskAt = when;
        return !before.equals(level(r));
    }

    private static String level(JsonElement r) {
        return r.getAsJsonObject().has("level") ? r.getAsJsonObject().get("level").getAsString() : "unknown";
    }

    private Optional<JsonObject> parse(String topic, String text, List<Line> out) {
        try {
            JsonElement e = JsonParser.parseString(text);
            if (e.isJsonObject()) {
                return Optional.of(e.getAsJsonObject());
            }
        } catch (JsonSyntaxException ignored) {
            // reported below
        }
        out.add(warning("a message on " + topic + " that is not a JSON object: " + clip(text)));
        return Optional.empty();
    }

    private String onlineText() {
        if (online.isEmpty()) {
            return "status unknown";
        }
        String since = onlineChangedAt.map(t -> " for " + words(Duration.between(t, clock.instant()))).orElse("");
        return (online.get() ? "online" : "OFFLINE") + since;
    }

    private static String risk(JsonElement r) {
        if (r == null || !r.isJsonObject()) {
            return "withdrawal risk unknown";
        }
        JsonObject o = r.getAsJsonObject();
        String level = o.has("level") ? o.get("level").getAsString() : "unknown";
        String eta = o.has("etaNextLevelMinutes") && !o.get("etaNextLevelMinutes").isJsonNull()
                ? ", next level in ~" + o.get("etaNextLevelMinutes").getAsLong() + " min if delivery stays stopped" : "";
        return "withdrawal risk " + level + " (estimate" + eta + ")";
    }

    private static int rank(JsonObject a) {
        return switch (String.valueOf(str(a, "priority"))) {
            case "high" -> 0;
            case "medium" -> 1;
            case "low" -> 2;
            default -> 3;
        };
    }

    private Line warning(String text) {
        JsonObject j = json("warning");
        j.addProperty("message", text);
        return new Line("WARNING: " + topics.pumpId() + ": " + text, j);
    }

    /** A line's JSON, naming the pump: a ward watches several, and a line read alone must say whose it is. */
    private JsonObject json(String kind) {
        JsonObject j = new JsonObject();
        j.addProperty("kind", kind);
        j.addProperty("at", clock.instant().toString());
        j.addProperty("pumpId", topics.pumpId());
        return j;
    }

    private static String str(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
