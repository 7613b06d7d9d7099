package org.openitb.store;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.delivery.DurableState;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Program;
import org.openitb.therapy.ProgramCodec;
import org.openitb.therapy.Volume;

/** {@link DurableState} as JSON and back, every quantity written with its unit so it reads back exactly. */
final class StateCodec {

    private static final Gson GSON = new Gson();

    private StateCodec() {
    }

    static String write(DurableState s) {
        JsonObject o = new JsonObject();
        s.program().ifPresent(p -> o.add("program", dated(p)));
        JsonArray history = new JsonArray();
        s.history().forEach(p -> history.add(dated(p)));
        o.add("history", history);
        JsonArray boluses = new JsonArray();
        for (DurableState.Bolus b : s.boluses()) {
            JsonObject j = new JsonObject();
            j.addProperty("at", b.at().toString());
            j.addProperty("dose", b.dose().toString());
            j.addProperty("kind", b.kind().name());
            boluses.add(j);
        }
        o.add("boluses", boluses);
        s.suspendedSince().ifPresent(i -> o.addProperty("suspendedSince", i.toString()));
        s.suspendedUntil().ifPresent(i -> o.addProperty("suspendedUntil", i.toString()));
        o.addProperty("reservoirPl", s.reservoirRemaining().picolitres());
        s.reservoirConcentration().ifPresent(c -> o.addProperty("reservoirConcentration", c.toString()));
        o.addProperty("deliveredMicrosteps", s.deliveredMicrosteps());
        o.addProperty("countingNgPerMl", s.counting().nanogramsPerMl());
        o.addProperty("drugBillionths", s.drugBillionths().toString());
        o.addProperty("unassignedPl", s.unassignedPl());
        s.bridgeUntil().ifPresent(u -> o.addProperty("bridgeUntil", u));
        s.bridgeTo().ifPresent(c -> o.addProperty("bridgeTo", c.toString()));
        o.addProperty("revision", s.revision());
        s.bolus().ifPresent(b -> {
            JsonObject j = new JsonObject();
            j.addProperty("description", b.description());
            j.addProperty("endsAt", b.endsAt().toString());
            if (b.priming()) {
                j.addProperty("priming", b.disconnected() ? "disconnected" : "connected");
            }
            o.add("bolus", j);
        });
        s.periodicAnchor().ifPresent(i -> o.addProperty("periodicAnchor", i.toString()));
        JsonObject patient = new JsonObject();
        patient.addProperty("billionths", s.patient().billionths().toString());
        JsonArray hours = new JsonArray();
        for (DurableState.Dated<BigInteger> h : s.patient().byHour()) {
            JsonObject j = new JsonObject();
            j.addProperty("from", h.since().toString());
            j.addProperty("billionths", h.value().toString());
            hours.add(j);
        }
        patient.add("byHour", hours);
        s.patient().deadVolumeFilledPl().ifPresent(pl -> patient.addProperty("deadVolumeFilledPl", pl));
        s.patient().deadVolumePl().ifPresent(pl -> patient.addProperty("deadVolumePl", pl));
        o.add("patient", patient);
        JsonArray primings = new JsonArray();
        for (DurableState.Dated<Volume> p : s.primings()) {
            JsonObject j = new JsonObject();
            j.addProperty("at", p.since().toString());
            j.addProperty("volume", p.value().toString());
            primings.add(j);
        }
        o.add("primings", primings);
        s.memoryLostAt().ifPresent(i -> o.addProperty("memoryLostAt", i.toString()));
        return o.toString();
    }

    static DurableState read(String json) {
        JsonObject o = GSON.fromJson(json, JsonObject.class);
        List<DurableState.Dated<Program>> history = new ArrayList<>();
        o.getAsJsonArray("history").forEach(e -> history.add(dated(e.getAsJsonObject())));
        List<DurableState.Bolus> boluses = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("boluses")) {
            JsonObject b = e.getAsJsonObject();
            boluses.add(new DurableState.Bolus(Instant.parse(b.get("at").getAsString()), Dose.parse(b.get("dose").getAsString()),
                    BolusKind.valueOf(b.get("kind").getAsString())));
        }
        return new DurableState(
                o.has("program") ? Optional.of(dated(o.getAsJsonObject("program"))) : Optional.empty(),
                history, boluses,
                instant(o, "suspendedSince"), instant(o, "suspendedUntil"),
                new Volume(o.get("reservoirPl").getAsLong()),
                o.has("reservoirConcentration") ? Optional.of(Concentration.parse(o.get("reservoirConcentration").getAsString())) : Optional.empty(),
                o.get("deliveredMicrosteps").getAsLong(),
                new Concentration(o.get("countingNgPerMl").getAsLong()),
                new BigInteger(o.get("drugBillionths").getAsString()),
                o.get("unassignedPl").getAsLong(),
                o.has("bridgeUntil") ? OptionalLong.of(o.get("bridgeUntil").getAsLong()) : OptionalLong.empty(),
                o.has("bridgeTo") ? Optional.of(Concentration.parse(o.get("bridgeTo").getAsString())) : Optional.empty(),
                o.get("revision").getAsLong(),
                o.has("bolus") ? Optional.of(runningBolus(o.getAsJsonObject("bolus"))) : Optional.empty(),
                instant(o, "periodicAnchor"), patient(o), primings(o), instant(o, "memoryLostAt"));
    }

    /** A state from before the patient's side was kept: everything delivered reached the patient, the dead volume is full. */
    private static DurableState.Patient patient(JsonObject o) {
        if (!o.has("patient")) {
            return new DurableState.Patient(new BigInteger(o.get("drugBillionths").getAsString()), List.of(), OptionalLong.empty(),
                    OptionalLong.empty());
        }
        JsonObject p = o.getAsJsonObject("patient");
        List<DurableState.Dated<BigInteger>> hours = new ArrayList<>();
        for (JsonElement e : p.getAsJsonArray("byHour")) {
            JsonObject h = e.getAsJsonObject();
            hours.add(new DurableState.Dated<>(Instant.parse(h.get("from").getAsString()), new BigInteger(h.get("billionths").getAsString())));
        }
        return new DurableState.Patient(new BigInteger(p.get("billionths").getAsString()), hours,
                p.has("deadVolumeFilledPl") ? OptionalLong.of(p.get("deadVolumeFilledPl").getAsLong()) : OptionalLong.empty(),
                p.has("deadVolumePl") ? OptionalLong.of(p.get("deadVolumePl").getAsLong()) : OptionalLong.empty());
    }

    private static List<DurableState.Dated<Volume>> primings(JsonObject o) {
        List<DurableState.Dated<Volume>> primings = new ArrayList<>();
        if (o.has("primings")) {
            for (JsonElement e : o.getAsJsonArray("primings")) {
                JsonObject p = e.getAsJsonObject();
                primings.add(new DurableState.Dated<>(Instant.parse(p.get("at").getAsString()), Volume.parse(p.get("volume").getAsString())));
            }
        }
        return primings;
    }

    private static JsonObject dated(DurableState.Dated<Program> p) {
        JsonObject j = new JsonObject();
        j.addProperty("since", p.since().toString());
        j.add("program", GSON.toJsonTree(ProgramCodec.toMap(p.value())));
        return j;
    }

    private static DurableState.Dated<Program> dated(JsonObject j) {
        Map<?, ?> program = GSON.fromJson(j.get("program"), Map.class);
        return new DurableState.Dated<>(Instant.parse(j.get("since").getAsString()), ProgramCodec.fromMap(program));
    }

    private static Optional<Instant> instant(JsonObject o, String field) {
        return o.has(field) ? Optional.of(Instant.parse(o.get(field).getAsString())) : Optional.empty();
    }

    /** A bolus or priming under way; "priming" says which kind of priming (absent: a bolus, or a state from before it was kept). */
    private static DurableState.RunningBolus runningBolus(JsonObject b) {
        String priming = b.has("priming") ? b.get("priming").getAsString() : "";
        if (!priming.isEmpty() && !priming.equals("connected") && !priming.equals("disconnected")) {
            throw new IllegalArgumentException("a running priming is connected or disconnected, not " + priming);
        }
        return new DurableState.RunningBolus(b.get("description").getAsString(), Instant.parse(b.get("endsAt").getAsString()),
                !priming.isEmpty(), priming.equals("disconnected"));
    }
}
