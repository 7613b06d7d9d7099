package org.openitb.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One journal entry of {@code history} as a person would write it: "refilled by root: concentration
 * 500mcg/mL, volume 20mL". The details are the journal's own (the same as {@code --json}), in words:
 * keys split into words, empty ones left out, nested objects in brackets, the message last.
 */
final class HistoryLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Keys whose plain words would read badly, and how they read instead ("%s" is the value). */
    private static final Map<String, String> PHRASES = Map.of(
            "etaNextLevelMinutes", "next risk level in ~%s min",
            "riskLevel", "withdrawal risk %s",
            "riskEstimate", "",
            "who", "by %s",
            "why", "%s");

    private HistoryLine() {
    }

    static String of(JsonObject entry, ZoneId zone) {
        String at = TIME.format(Instant.parse(entry.get("at").getAsString()).atZone(zone));
        String what = entry.get("type").getAsString().replace('-', ' ') + " by " + entry.get("who").getAsString();
        JsonElement details = entry.get("details");
        String text = details != null && details.isJsonObject() ? words(details.getAsJsonObject(), zone) : "";
        return at + "  " + what + (text.isEmpty() ? "" : ": " + text);
    }

    /** An object's fields in words, the message (if any) last after a dash. */
    static String words(JsonObject o, ZoneId zone) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonElement> field : o.entrySet()) {
            if (!field.getKey().equals("message")) {
                String part = field(field.getKey(), field.getValue(), zone);
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
        }
        String joined = String.join(", ", parts);
        JsonElement message = o.get("message");
        if (message != null && message.isJsonPrimitive() && !message.getAsString().isBlank()) {
            return joined.isEmpty() ? message.getAsString() : joined + " -- " + message.getAsString();
        }
        return joined;
    }

    private static String field(String key, JsonElement value, ZoneId zone) {
        String phrase = PHRASES.get(key);
        if (value == null || value.isJsonNull() || (phrase != null && phrase.isEmpty())) {
            return "";
        }
        if (value.isJsonObject()) {
            String inner = words(value.getAsJsonObject(), zone);
            return inner.isEmpty() ? "" : words(key) + " (" + inner + ")";
        }
        if (value.isJsonArray()) {
            JsonArray a = value.getAsJsonArray();
            List<String> items = new ArrayList<>();
            for (JsonElement e : a) {
                items.add(e.isJsonObject() ? "(" + words(e.getAsJsonObject(), zone) + ")" : e.isJsonPrimitive() ? e.getAsString() : e.toString());
            }
            return items.isEmpty() ? "" : words(key) + " " + String.join(", ", items);
        }
        if (value.getAsJsonPrimitive().isBoolean()) {
            return value.getAsBoolean() ? words(key) : "";
        }
        String text = instant(value.getAsString(), zone);
        if (text.isEmpty()) {
            return "";
        }
        if (phrase != null) {
            return String.format(Locale.ROOT, phrase, text);
        }
        // "bolus": "bolus 5mcg over 10m" says its own name.
        return text.startsWith(words(key) + " ") ? text : words(key) + " " + text;
    }

    /** An ISO-8601 instant as the rest of the line shows times (local, to the second); anything else as it is. */
    private static String instant(String text, ZoneId zone) {
        if (text.length() >= 20 && text.length() <= 40 && text.charAt(4) == '-' && text.charAt(10) == 'T' && text.endsWith("Z")) {
            try {
                return TIME.format(Instant.parse(text).atZone(zone));
            } catch (DateTimeParseException notAnInstant) {
                return text;
            }
        }
        return text;
    }

    /** "dailyDose" is "daily dose"; "deliveredMicrosteps" is "delivered microsteps". */
    static String words(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                b.append(' ').append(Character.toLowerCase(c));
            } else {
                b.append(c == '_' || c == '-' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
