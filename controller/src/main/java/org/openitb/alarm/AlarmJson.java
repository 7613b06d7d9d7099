package org.openitb.alarm;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openitb.drivers.annunciator.Priority;

/**
 * An alarm in the contract's shapes: the JSON of {@code alarms --json} and of the MQTT alarm
 * events, the flat details the journal keeps, and the record the store keeps across restarts.
 */
public final class AlarmJson {

    private AlarmJson() {
    }

    /** The contract's alarm object (without the per-event {@code seq}, which telemetry adds). */
    public static JsonObject of(String pumpId, Alarm a) {
        JsonObject o = new JsonObject();
        o.addProperty("id", a.id());
        o.addProperty("pumpId", pumpId);
        o.addProperty("type", a.type().name());
        o.addProperty("priority", wire(a.priority()));
        o.addProperty("state", a.state().wire());
        o.addProperty("withdrawalRisk", a.withdrawalRisk());
        o.addProperty("overdoseRisk", a.overdoseRisk());
        o.addProperty("message", a.message());
        o.addProperty("at", a.changedAt().toString());
        o.addProperty("raisedAt", a.raisedAt().toString());
        o.addProperty("conditionPresent", a.conditionPresent());
        o.addProperty("latching", a.latches());
        if (!a.subject().isEmpty()) {
            o.addProperty("subject", a.subject());
        }
        o.add("acknowledgedBy", a.acknowledgedBy().<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
        if (a.withdrawalRisk()) {
            o.add("risk", a.risk().<JsonElement>map(AlarmJson::risk).orElse(JsonNull.INSTANCE));
        }
        JsonObject details = new JsonObject();
        a.details().forEach((k, v) -> details.add(k, JsonParser.parseString(new Gson().toJson(v))));
        o.add("details", details);
        return o;
    }

    /** The estimate as the contract writes it: level and minutes to the next, labelled an estimate. */
    public static JsonObject risk(RiskEstimate r) {
        JsonObject o = new JsonObject();
        o.addProperty("level", r.level().wire());
        if (r.etaNextLevelMinutes().isPresent()) {
            o.addProperty("etaNextLevelMinutes", r.etaNextLevelMinutes().getAsLong());
        } else {
            o.add("etaNextLevelMinutes", JsonNull.INSTANCE);
        }
        o.addProperty("percentOfPrescribed", r.percent());
        o.addProperty("estimate", true);
        return o;
    }

    public static String wire(Priority p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    /** Flat details for the journal: enough to read the alarm's story from {@code history}. */
    static Map<String, Object> journalDetails(Alarm a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", a.id());
        d.put("alarm", a.type().name());
        d.put("priority", wire(a.priority()));
        d.put("state", a.state().wire());
        d.put("message", a.message());
        if (!a.subject().isEmpty()) {
            d.put("subject", a.subject());
        }
        a.acknowledgedBy().ifPresent(by -> d.put("acknowledgedBy", by));
        a.risk().ifPresent(r -> {
            d.put("riskLevel", r.level().wire());
            r.etaNextLevelMinutes().ifPresent(m -> d.put("etaNextLevelMinutes", m));
            d.put("riskEstimate", true);
        });
        d.putAll(a.details());
        return d;
    }

    /** As the store keeps it. */
    public static AlarmRecord toRecord(Alarm a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("subject", a.subject());
        d.put("message", a.message());
        d.put("conditionPresent", a.conditionPresent());
        a.acknowledgedBy().ifPresent(by -> d.put("acknowledgedBy", by));
        d.put("details", a.details());
        return new AlarmRecord(a.id(), a.type().name(), wire(a.priority()), a.state().wire(), a.raisedAt(), a.changedAt(), d);
    }

    /** Back from the store; empty for a record this version cannot read (a type it does not know). */
    @SuppressWarnings("unchecked")
    public static Optional<Alarm> fromRecord(AlarmRecord r) {
        try {
            Map<String, Object> d = r.details();
            Object details = d.getOrDefault("details", Map.of());
            return Optional.of(new Alarm(r.id(), AlarmType.valueOf(r.type()), String.valueOf(d.getOrDefault("subject", "")),
                    Priority.valueOf(r.priority().toUpperCase(Locale.ROOT)), AlarmState.ofWire(r.state()),
                    Boolean.TRUE.equals(d.get("conditionPresent")), r.raisedAt(), r.changedAt(), String.valueOf(d.getOrDefault("message", "")),
                    details instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), Optional.empty(),
                    Optional.ofNullable(d.get("acknowledgedBy")).map(String::valueOf), 0));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
