package org.openitb.telemetry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The retained {@code state} message: the {@code status --json} fields plus what dashboards and
 * monitors want ({@code problems}, {@code deliveredMcgLast24h}, {@code stateEverySeconds}), and a
 * fingerprint of what matters, so that a change goes out at once while the counters that move
 * with every step wait for the period.
 */
final class StateSnapshots {

    /** Fields that change with every step or every second; they alone do not make a change worth publishing. */
    private static final Set<String> MOVING = Set.of("at", "deliveredMcgTotal", "deliveredMicrosteps", "idealMicrosteps", "reservoirMl",
            "hoursToEmpty", "refillDue", "stepLateness", "withdrawalRisk", "deliveredMcgLast24h", "deliveredWindowHours", "bolus", "writeAhead");

    record Snapshot(String payload, String fingerprint) {
    }

    private final Duration period;
    private final DeliveredWindow window = new DeliveredWindow();

    StateSnapshots(Duration period) {
        this.period = period;
    }

    Snapshot of(JsonObject status) {
        JsonObject o = status.deepCopy();
        boolean occlusion = false;
        boolean reservoirLow = false;
        boolean high = false;
        for (JsonElement e : o.getAsJsonArray("activeAlarms")) {
            JsonObject a = e.getAsJsonObject();
            String type = a.get("type").getAsString();
            occlusion |= type.equals("OCCLUSION");
            reservoirLow |= type.equals("RESERVOIR_LOW") || type.equals("RESERVOIR_EMPTY");
            high |= a.get("priority").getAsString().equals("high");
        }
        JsonObject problems = new JsonObject();
        problems.addProperty("occlusion", occlusion);
        problems.addProperty("reservoirLow", reservoirLow);
        problems.addProperty("highAlarm", high);
        o.add("problems", problems);
        DeliveredWindow.Reading last24h = window.add(Instant.parse(o.get("at").getAsString()), o.get("deliveredMcgTotal").getAsBigDecimal());
        o.addProperty("deliveredMcgLast24h", last24h.mcg().setScale(3, RoundingMode.DOWN).stripTrailingZeros());
        o.addProperty("deliveredWindowHours", BigDecimal.valueOf(last24h.hours()).setScale(1, RoundingMode.DOWN));
        o.addProperty("stateEverySeconds", period.toSeconds());
        JsonObject steady = o.deepCopy();
        MOVING.forEach(steady::remove);
        steady.addProperty("riskLevel", o.getAsJsonObject("withdrawalRisk").get("level").getAsString());
        // JsonObject.toString keeps null fields (as the control socket does): the contract's fields are there even when null.
        return new Snapshot(o.toString(), steady.toString());
    }
}
