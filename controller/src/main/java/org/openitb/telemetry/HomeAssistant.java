package org.openitb.telemetry;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Home Assistant MQTT discovery for one pump: four sensors and three problem binary sensors, all
 * read from the retained {@code state} topic, with availability from {@code status}. Published
 * retained on connect and again whenever Home Assistant announces itself online.
 */
final class HomeAssistant {

    /** Where Home Assistant says it (re)started. */
    static String statusTopic(String prefix) {
        return prefix + "/status";
    }

    record Message(String topic, String payload) {
    }

    private static final Gson GSON = new Gson();
    /** The jar's version, as {@code openitb --version} says it. */
    private static final String VERSION = Optional.ofNullable(HomeAssistant.class.getPackage().getImplementationVersion())
            .orElse("development build");

    private HomeAssistant() {
    }

    static List<Message> discovery(String prefix, Topics topics) {
        String node = "openitb_" + topics.pumpId().replace('-', '_');
        List<Message> out = new ArrayList<>();
        out.add(sensor(prefix, topics, node, "reservoir", "Reservoir", "{{ value_json.reservoirMl }}", "mL", "volume_storage", "mdi:needle"));
        out.add(sensor(prefix, topics, node, "daily_rate", "Daily rate", "{{ value_json.rateMcgPerDay }}", "mcg/day", null, "mdi:speedometer"));
        Message delivered = sensor(prefix, topics, node, "delivered_24h", "Delivered in the last 24 h", "{{ value_json.deliveredMcgLast24h }}",
                "mcg", null, "mdi:sigma");
        // After a start the window holds less than 24 h: its span goes beside the value, so a chart can tell a short window from
        // an under-delivery.
        JsonObject d = GSON.fromJson(delivered.payload(), JsonObject.class);
        d.addProperty("json_attributes_topic", topics.state());
        d.addProperty("json_attributes_template", "{{ {'window_hours': value_json.deliveredWindowHours} | tojson }}");
        out.add(new Message(delivered.topic(), GSON.toJson(d)));
        Message risk = sensor(prefix, topics, node, "withdrawal_risk", "Withdrawal risk (estimate)", "{{ value_json.withdrawalRisk.level }}",
                null, "enum", "mdi:alert");
        JsonObject r = GSON.fromJson(risk.payload(), JsonObject.class);
        JsonArray options = new JsonArray();
        for (String level : new String[] {"none", "elevated", "high", "critical"}) {
            options.add(level);
        }
        r.add("options", options);
        out.add(new Message(risk.topic(), GSON.toJson(r)));
        out.add(problem(prefix, topics, node, "occlusion", "Occlusion", "occlusion"));
        out.add(problem(prefix, topics, node, "reservoir_low", "Reservoir low", "reservoirLow"));
        out.add(problem(prefix, topics, node, "high_alarm", "High-priority alarm", "highAlarm"));
        return out;
    }

    private static Message sensor(String prefix, Topics topics, String node, String object, String name, String template, String unit,
            String deviceClass, String icon) {
        JsonObject o = common(topics, "sensor", node, object, name);
        o.addProperty("value_template", template);
        if (unit != null) {
            o.addProperty("unit_of_measurement", unit);
            o.addProperty("state_class", "measurement");
        }
        if (deviceClass != null) {
            o.addProperty("device_class", deviceClass);
        }
        o.addProperty("icon", icon);
        return new Message(prefix + "/sensor/" + node + "/" + object + "/config", GSON.toJson(o));
    }

    private static Message problem(String prefix, Topics topics, String node, String object, String name, String flag) {
        JsonObject o = common(topics, "binary_sensor", node, object, name);
        o.addProperty("value_template", "{{ 'ON' if value_json.problems." + flag + " else 'OFF' }}");
        o.addProperty("payload_on", "ON");
        o.addProperty("payload_off", "OFF");
        o.addProperty("device_class", "problem");
        return new Message(prefix + "/binary_sensor/" + node + "/" + object + "/config", GSON.toJson(o));
    }

    private static JsonObject common(Topics topics, String domain, String node, String object, String name) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("unique_id", node + "_" + object);
        // The entity id to give (Home Assistant 2025.10 and later; object_id, which did this before, stopped working in 2026.4,
        // and a release older than 2025.10 names the entity itself).
        o.addProperty("default_entity_id", domain + "." + node + "_" + object);
        o.addProperty("state_topic", topics.state());
        o.addProperty("availability_topic", topics.status());
        o.addProperty("payload_available", "online");
        o.addProperty("payload_not_available", "offline");
        JsonObject device = new JsonObject();
        JsonArray ids = new JsonArray();
        ids.add(node);
        device.add("identifiers", ids);
        device.addProperty("name", "OpenITB " + topics.pumpId());
        device.addProperty("manufacturer", "OpenITB");
        device.addProperty("model", "bench ITB pump prototype (not a medical device)");
        device.addProperty("sw_version", VERSION);
        o.add("device", device);
        JsonObject origin = new JsonObject();
        origin.addProperty("name", "OpenITB");
        origin.addProperty("sw_version", VERSION);
        o.add("origin", origin);
        return o;
    }
}
