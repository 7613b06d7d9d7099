package org.openitb.telemetry;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openitb.clock.Clock;
import org.openitb.telemetry.MonitorView.Line;

/**
 * What a monitor watching several pumps knows: a {@link MonitorView} per pump, for the ids it was
 * given or, watching all, for every pump it hears under {@code openitb/} (up to {@link #PUMP_LIMIT}).
 * It routes each message to its pump's view and says, once, when a ward watching all hears no pump
 * at all. No I/O, no threads: {@code monitor} feeds it, tests too.
 */
public final class MonitorWard {

    /** Pumps watched at most: a ward, not a fleet. More named is refused; more heard is said once and left out. */
    public static final int PUMP_LIMIT = 64;

    private final Clock clock;
    private final boolean all;
    private final Map<String, MonitorView> views = new LinkedHashMap<>();
    private final LinkedHashSet<String> leftOut = new LinkedHashSet<>();
    private long connectedNanos = -1;
    private boolean noneWarned;

    private MonitorWard(Clock clock, boolean all) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.all = all;
    }

    /** Watches the pumps {@code pumpIds} (1 to {@link #PUMP_LIMIT}, each a valid id). */
    public static MonitorWard of(List<String> pumpIds, Clock clock) {
        if (pumpIds.isEmpty() || pumpIds.size() > PUMP_LIMIT) {
            throw new IllegalArgumentException("1 to " + PUMP_LIMIT + " pumps, not " + pumpIds.size());
        }
        MonitorWard ward = new MonitorWard(clock, false);
        for (String id : pumpIds) {
            ward.views.putIfAbsent(id, new MonitorView(id, clock));
        }
        return ward;
    }

    /** Watches every pump heard under {@code openitb/}. */
    public static MonitorWard all(Clock clock) {
        return new MonitorWard(clock, true);
    }

    /** The topic filters to subscribe to: the named pumps' topics and every pump's status, or all pumps' topics. */
    public List<String> subscriptions() {
        if (all) {
            return List.of(Topics.ROOT + "/+/status", Topics.ROOT + "/+/state", Topics.ROOT + "/+/alarm", Topics.ROOT + "/+/event");
        }
        List<String> filters = new ArrayList<>();
        views.keySet().forEach(id -> filters.add(new Topics(id).all()));
        filters.add(MonitorView.everyPumpsStatus());
        return filters;
    }

    /** A message on {@code topic}: to its pump's view (made now for a pump first heard, when watching all). */
    public List<Line> message(String topic, byte[] payload, boolean retained) {
        String[] levels = topic.split("/", -1);
        if (levels.length < 3 || !levels[0].equals(Topics.ROOT)) {
            return List.of();
        }
        List<Line> out = new ArrayList<>();
        MonitorView own = views.get(levels[1]);
        if (own == null && all && levels.length == 3) {
            own = adopt(levels[1], out);
        }
        if (own != null) {
            out.addAll(own.message(topic, payload, retained));
        }
        if (!all && levels.length == 3 && levels[2].equals("status")) {
            // Every view learns the ids the broker knows, to name them if its own pump is never heard.
            for (MonitorView v : views.values()) {
                if (v != own) {
                    v.message(topic, payload, retained);
                }
            }
        }
        return out;
    }

    private MonitorView adopt(String id, List<Line> out) {
        try {
            new Topics(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (views.size() >= PUMP_LIMIT) {
            if (leftOut.add(id) && leftOut.size() == 1) {
                out.add(warning("more than " + PUMP_LIMIT + " pumps on this broker: " + id + " and any after it are not watched;"
                        + " name the ones to watch with --pump"));
            }
            return null;
        }
        MonitorView v = new MonitorView(id, clock);
        if (connectedNanos >= 0) {
            v.connection(true, "");
        }
        views.put(id, v);
        return v;
    }

    /** The monitor's link to the broker came up or went down: said once, for all the pumps. */
    public List<Line> connection(boolean connected, String detail) {
        if (connected && connectedNanos < 0) {
            connectedNanos = clock.nanos();
        }
        views.values().forEach(v -> v.connection(connected, detail));
        return List.of(MonitorView.connectionLine(connected, detail, clock));
    }

    /** Called about once a second: each pump's warnings, and, watching all, that no pump is heard at all. */
    public List<Line> tick() {
        List<Line> out = new ArrayList<>();
        views.values().forEach(v -> out.addAll(v.tick()));
        if (all && views.isEmpty() && !noneWarned && connectedNanos >= 0 && clock.nanos() - connectedNanos >= MonitorView.UNHEARD.toNanos()) {
            noneWarned = true;
            out.add(warning("no pump heard on this broker under " + Topics.ROOT + "/ in " + MonitorView.UNHEARD.toSeconds()
                    + " s (a pump that ever ran leaves its status here): check --broker"));
        }
        return out;
    }

    /** Each pump's open alarms and risk, a line per pump: what {@code alarms} shows. */
    public List<Line> summaries() {
        if (views.isEmpty()) {
            return List.of(warning("no pump heard yet"));
        }
        return views.values().stream().map(MonitorView::summary).toList();
    }

    /**
     * The pump an acknowledgement of {@code alarmId} goes to: the one pump watched, or the one pump
     * whose open alarms include it; empty (with why) if none or several do.
     */
    public Target ackTarget(String alarmId) {
        if (views.size() == 1) {
            return new Target(Optional.of(views.keySet().iterator().next()), "");
        }
        List<String> having = views.values().stream().filter(v -> v.hasOpenAlarm(alarmId)).map(MonitorView::pumpId).toList();
        if (having.size() == 1) {
            return new Target(Optional.of(having.get(0)), "");
        }
        return new Target(Optional.empty(), having.isEmpty()
                ? "no pump watched here has alarm " + alarmId + " open; name the pump: ack PUMP_ID " + alarmId
                : "alarm " + alarmId + " is open on " + String.join(" and ", having) + "; name the pump: ack PUMP_ID " + alarmId);
    }

    /** Where an acknowledgement goes, or why it cannot be told. */
    public record Target(Optional<String> pumpId, String why) {
    }

    /** Whether {@code pumpId} is watched here. */
    public boolean watches(String pumpId) {
        return views.containsKey(pumpId);
    }

    /** The pumps watched so far, in the order given or heard. */
    public List<String> pumps() {
        return List.copyOf(views.keySet());
    }

    private Line warning(String text) {
        JsonObject j = new JsonObject();
        j.addProperty("kind", "warning");
        j.addProperty("at", clock.instant().toString());
        j.addProperty("message", text);
        JsonArray pumps = new JsonArray();
        views.keySet().forEach(pumps::add);
        j.add("pumps", pumps);
        return new Line("WARNING: " + text, j);
    }
}
