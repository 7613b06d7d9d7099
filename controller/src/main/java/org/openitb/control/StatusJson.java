package org.openitb.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmJson;
import org.openitb.alarm.AlarmSupervisor;
import org.openitb.alarm.RiskEstimate;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.delivery.WriteAheadHealth;
import org.openitb.therapy.Volume;

/** The daemon's status as the contract's JSON, and as a few lines for a person. */
public final class StatusJson {

    private StatusJson() {
    }

    public static JsonObject of(String pumpId, DeliveryStatus s, AlarmSupervisor.View alarms, Volume perMicrostep, long speed) {
        JsonObject o = new JsonObject();
        o.addProperty("pumpId", pumpId);
        o.addProperty("at", s.at().toString());
        o.addProperty("mode", s.running().mode());
        o.addProperty("state", s.running().state());
        o.addProperty("suspended", s.running().suspended());
        o.add("suspendedUntil", s.running().suspendedUntil().<JsonElement>map(i -> new JsonPrimitive(i.toString())).orElse(JsonNull.INSTANCE));
        o.add("haltReasons", Json.array(s.running().haltReasons()));
        o.add("rateMcgPerDay", number(s.running().basal().nanogramsPerDay(), 3));
        o.add("prescribedMcgPerDay", number(s.running().prescribed().nanogramsPerDay(), 3));
        o.add("concentrationMcgPerMl", s.supply().concentration().<JsonElement>map(c -> number(c.nanogramsPerMl(), 3))
                .orElse(JsonNull.INSTANCE));
        o.add("deliveredMcgTotal", number(s.counts().deliveredDrug().nanograms(), 3));
        // Out of the syringe is not into the patient: priming into the dead volume or a disconnected catheter is not.
        o.add("patientMcgTotal", number(s.counts().patientDrug().nanograms(), 3));
        o.add("patientMcgLast24h", number(s.counts().patientDrugLast24h().nanograms(), 3));
        o.add("deadVolumeLeftMl", number(s.supply().deadVolumeLeft().picolitres(), 9));
        o.addProperty("deliveredMicrosteps", s.counts().deliveredMicrosteps());
        o.addProperty("idealMicrosteps", s.counts().idealMicrosteps());
        o.add("volumePerMicrostepNl", number(perMicrostep.picolitres(), 3));
        o.add("reservoirMl", number(s.supply().remaining().picolitres(), 9));
        o.add("hoursToEmpty", s.supply().hoursToEmpty().<JsonElement>map(h -> new JsonPrimitive(
                BigDecimal.valueOf(h).setScale(1, RoundingMode.HALF_UP))).orElse(JsonNull.INSTANCE));
        o.add("reservoirLow", s.supply().low().<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
        o.add("refillDue", s.supply().refillDue().<JsonElement>map(i -> new JsonPrimitive(i.toString())).orElse(JsonNull.INSTANCE));
        o.add("reservoirDiscrepancy", s.supply().discrepancy().<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
        o.add("bolus", s.running().bolus().<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
        o.add("bridge", s.running().bridge().<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
        JsonArray active = new JsonArray();
        for (Alarm a : alarms.open()) {
            JsonObject j = new JsonObject();
            j.addProperty("id", a.id());
            j.addProperty("type", a.type().name());
            j.addProperty("priority", AlarmJson.wire(a.priority()));
            j.addProperty("state", a.state().wire());
            active.add(j);
        }
        o.add("activeAlarms", active);
        o.add("withdrawalRisk", risk(alarms.risk()));
        JsonObject lateness = new JsonObject();
        lateness.addProperty("steps", s.health().lateness().steps());
        lateness.addProperty("p50Us", s.health().lateness().p50Us());
        lateness.addProperty("p99Us", s.health().lateness().p99Us());
        lateness.addProperty("p999Us", s.health().lateness().p999Us());
        lateness.addProperty("maxUs", s.health().lateness().maxUs());
        o.add("stepLateness", lateness);
        o.add("program", Json.array(s.running().program()));
        o.addProperty("storage", s.health().storage().or(s.health()::storageTooSlow).orElse("ok"));
        JsonObject mark = new JsonObject();
        WriteAheadHealth w = s.health().writeAhead();
        mark.addProperty("commitLatencyMs", w.commitLatencyNanos() / 1_000_000);
        mark.addProperty("boundMicrosteps", w.boundMicrosteps());
        mark.addProperty("reservedAheadMicrosteps", w.reservedAheadMicrosteps());
        mark.addProperty("uncoveredMicrosteps", w.uncoveredMicrosteps());
        mark.addProperty("uncoveredPeakMicrosteps", w.uncoveredPeakMicrosteps());
        mark.addProperty("uncoveredSteps", w.uncoveredSteps());
        mark.addProperty("beyondBoundSteps", w.beyondBoundSteps());
        o.add("writeAhead", mark);
        o.add("memoryLostAt", s.health().memoryLostAt().<JsonElement>map(i -> new JsonPrimitive(i.toString())).orElse(JsonNull.INSTANCE));
        o.add("lastRestart", s.health().lastRestart().<JsonElement>map(r -> {
            JsonObject j = new JsonObject();
            j.addProperty("at", r.at().toString());
            j.addProperty("gapSeconds", r.gap().toSeconds());
            j.addProperty("gapKnown", r.gapKnown());
            j.addProperty("missedDose", r.missed().toString());
            j.addProperty("uncertainMicrosteps", r.uncertainMicrosteps());
            j.addProperty("uncertainVolume", r.uncertain().toString());
            return j;
        }).orElse(JsonNull.INSTANCE));
        o.addProperty("revision", s.running().revision());
        o.addProperty("speed", speed);
        return o;
    }

    /** A few lines for a terminal. */
    public static List<String> lines(JsonObject o, ZoneId zone) {
        String at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z").format(Instant.parse(o.get("at").getAsString()).atZone(zone));
        long speed = o.get("speed").getAsLong();
        String state = o.get("state").getAsString();
        String concentration = o.get("concentrationMcgPerMl").isJsonNull() ? "" : " at " + plain(o, "concentrationMcgPerMl") + "mcg/mL";
        String what = switch (state) {
            case "idle" -> "no program";
            // While suspended the rate in force is zero: the program's rate is what is being missed.
            case "suspended" -> o.get("mode").getAsString() + " " + plain(o, "prescribedMcgPerDay") + "mcg/day" + concentration
                    + " programmed, none of it delivered " + (o.get("suspendedUntil").isJsonNull() ? "until resumed"
                    : "until " + Instant.parse(o.get("suspendedUntil").getAsString()).atZone(zone)
                            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
            default -> o.get("mode").getAsString() + " " + plain(o, "rateMcgPerDay") + "mcg/day" + concentration;
        };
        if (state.equals("halted")) {
            what += " -- HALTED: " + String.join(", ", o.getAsJsonArray("haltReasons").asList().stream().map(e -> e.getAsString()).toList());
        }
        JsonObject late = o.getAsJsonObject("stepLateness");
        List<String> lines = new ArrayList<>(List.of(
                o.get("pumpId").getAsString() + " at " + at + (speed == 1 ? "" : " (simulated, " + speed + "x)"),
                "  state      " + state + ", " + what + (o.get("bolus").isJsonNull() ? "" : "; " + o.get("bolus").getAsString())
                        + (o.get("bridge").isJsonNull() ? "" : "; " + o.get("bridge").getAsString())));
        BigDecimal deadVolumeLeft = o.get("deadVolumeLeftMl").getAsBigDecimal();
        if (deadVolumeLeft.signum() > 0) {
            lines.add("  catheter   not primed: " + deadVolumeLeft.setScale(3, RoundingMode.UP).toPlainString()
                    + "mL of dead volume to fill before drug reaches the patient");
        }
        if (!o.get("lastRestart").isJsonNull()) {
            JsonObject r = o.getAsJsonObject("lastRestart");
            long uncertain = r.get("uncertainMicrosteps").getAsLong();
            lines.add("  restarted  " + Instant.parse(r.get("at").getAsString()).atZone(zone).format(DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd HH:mm:ss")) + " after " + duration(r.get("gapSeconds").getAsLong() * 1_000_000)
                    + (r.get("gapKnown").getAsBoolean() ? "" : " at least (the wall clock could not tell)") + " without delivery; "
                    + r.get("missedDose").getAsString() + " missed, not made up"
                    + (uncertain == 0 ? "" : "; " + count(uncertain, "microstep") + " (" + Volume.parse(r.get("uncertainVolume").getAsString())
                    .toMicrolitreString() + ") may or may not have gone out before the stop"));
        }
        lines.addAll(List.of(
                // Out of the syringe is not into the patient (a priming fills the catheter): both said, apart.
                "  pushed     " + plain(o, "deliveredMcgTotal") + "mcg out of the syringe in " + o.get("deliveredMicrosteps").getAsLong()
                        + " microsteps (ideal " + o.get("idealMicrosteps").getAsLong() + "); to the patient " + plain(o, "patientMcgLast24h")
                        + "mcg in the last 24 h",
                "  reservoir  " + reservoirText(o),
                "  refill due " + (o.get("refillDue").isJsonNull() ? "-" : Instant.parse(o.get("refillDue").getAsString()).atZone(zone)
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                        + (o.get("reservoirLow").isJsonNull() ? "" : "; LOW: " + o.get("reservoirLow").getAsString())
                        + (o.get("reservoirDiscrepancy").isJsonNull() ? "" : "; DISCREPANCY: " + o.get("reservoirDiscrepancy").getAsString()),
                "  alarms     " + (o.getAsJsonArray("activeAlarms").isEmpty() ? "none"
                        : String.join(", ", o.getAsJsonArray("activeAlarms").asList().stream().map(e -> e.getAsJsonObject().get("type").getAsString()
                                + " " + e.getAsJsonObject().get("priority").getAsString() + " " + e.getAsJsonObject().get("state").getAsString()
                                + " (" + e.getAsJsonObject().get("id").getAsString() + ")").toList())),
                "  risk       withdrawal " + riskText(o.getAsJsonObject("withdrawalRisk")),
                "  storage    " + o.get("storage").getAsString() + writeAheadText(o.getAsJsonObject("writeAhead")),
                "  steps      late by " + duration(late.get("p50Us").getAsLong()) + " at the median, " + duration(late.get("p99Us").getAsLong())
                        + " at p99, " + duration(late.get("maxUs").getAsLong()) + " at most, over " + count(late.get("steps").getAsLong(), "step")
                        + (speed == 1 ? "" : " (simulated time: divide by " + speed + " for real time)")));
        return lines;
    }

    /**
     * The syringe once a refill has declared it (the model's volume before that is only the config's
     * starting figure); the outlook is the prescription's, so it reads the same suspended or halted.
     */
    private static String reservoirText(JsonObject o) {
        if (o.get("concentrationMcgPerMl").isJsonNull()) {
            return "not declared: refill to say what the syringe holds";
        }
        return o.get("reservoirMl").getAsBigDecimal().setScale(3, RoundingMode.DOWN).toPlainString() + "mL of "
                + plain(o, "concentrationMcgPerMl") + "mcg/mL" + (o.get("hoursToEmpty").isJsonNull() ? ""
                : ", empty in " + o.get("hoursToEmpty").getAsString() + " h at the programmed rate");
    }

    /** What a crash now would leave uncertain, in a few words (nothing without a store). */
    private static String writeAheadText(JsonObject w) {
        if (w == null || w.get("boundMicrosteps").getAsLong() == 0) {
            return "";
        }
        return "; a crash now: " + count(w.get("reservedAheadMicrosteps").getAsLong(), "microstep") + " counted ahead, "
                + w.get("uncoveredMicrosteps").getAsLong() + " uncounted (bound " + w.get("boundMicrosteps").getAsLong()
                + ", mark commits up to " + w.get("commitLatencyMs").getAsLong() + " ms)";
    }

    /** "1 step", "2 steps". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Microseconds as a person reads them: "40 us", "3.8 ms", "51.6 s", "2.1 h". */
    static String duration(long micros) {
        if (micros < 1_000) {
            return micros + " us";
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1e3);
        }
        if (micros < 3_600_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", micros / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f h", micros / 3.6e9);
    }

    /** The contract's risk object in a few words, its level first ("none (estimate: ...)"), labelled an estimate. */
    public static String riskText(JsonObject r) {
        if (r.get("percentOfPrescribed").isJsonNull()) {
            return "none (estimate; nothing prescribed)";
        }
        return r.get("level").getAsString() + " (estimate: drug level ~" + r.get("percentOfPrescribed").getAsLong() + "% of prescribed"
                + (r.get("etaNextLevelMinutes").isJsonNull() ? "" : "; next level in ~" + r.get("etaNextLevelMinutes").getAsLong()
                + " min if delivery stays stopped") + ")";
    }

    /** The estimate as the contract has it, or, with nothing prescribed, level none and no ETA. */
    public static JsonObject risk(Optional<RiskEstimate> estimate) {
        return estimate.map(AlarmJson::risk).orElseGet(() -> {
            JsonObject none = new JsonObject();
            none.addProperty("level", "none");
            none.add("etaNextLevelMinutes", JsonNull.INSTANCE);
            none.add("percentOfPrescribed", JsonNull.INSTANCE);
            none.addProperty("estimate", true);
            return none;
        });
    }

    private static JsonPrimitive number(long units, int decimals) {
        return new JsonPrimitive(new BigDecimal(BigDecimal.valueOf(units, decimals).stripTrailingZeros().toPlainString()));
    }

    private static String plain(JsonObject o, String field) {
        return o.get(field).getAsBigDecimal().stripTrailingZeros().toPlainString();
    }
}
