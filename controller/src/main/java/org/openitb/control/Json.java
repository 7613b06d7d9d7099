package org.openitb.control;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict reading of one JSON object per line: RFC 8259 only (no comments, no single quotes, no
 * trailing garbage), no key twice, and typed field access that names the field in every error.
 */
public final class Json {

    private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

    private final JsonObject object;
    private final Set<String> read = new HashSet<>();

    private Json(JsonObject object) {
        this.object = object;
    }

    /** Parses {@code line} as exactly one JSON object. */
    public static Json parse(String line) throws ProtocolException {
        JsonReader reader = new JsonReader(new StringReader(line));
        reader.setStrictness(Strictness.STRICT);
        JsonObject object = new JsonObject();
        try {
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new ProtocolException("a request is one JSON object, like {\"verb\":\"status\"}");
            }
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (object.has(name)) {
                    throw new ProtocolException("field \"" + name + "\" given twice");
                }
                object.add(name, ELEMENT.read(reader));
            }
            reader.endObject();
        } catch (IOException | IllegalStateException | JsonParseException e) {
            throw new ProtocolException("not valid JSON" + where(e.getMessage()));
        }
        try {
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ProtocolException("text after the JSON object");
            }
        } catch (IOException | IllegalStateException | JsonParseException e) {
            throw new ProtocolException("text after the JSON object");
        }
        return new Json(object);
    }

    public JsonObject object() {
        return object;
    }

    public Optional<String> string(String field) throws ProtocolException {
        read.add(field);
        JsonElement e = object.get(field);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ProtocolException("field \"" + field + "\" must be a string");
        }
        return Optional.of(e.getAsString());
    }

    public String requiredString(String field) throws ProtocolException {
        return string(field).orElseThrow(() -> new ProtocolException("field \"" + field + "\" is missing"));
    }

    public boolean bool(String field) throws ProtocolException {
        read.add(field);
        JsonElement e = object.get(field);
        if (e == null || e.isJsonNull()) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ProtocolException("field \"" + field + "\" must be true or false");
        }
        return e.getAsBoolean();
    }

    public Optional<Long> wholeNumber(String field) throws ProtocolException {
        read.add(field);
        JsonElement e = object.get(field);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ProtocolException("field \"" + field + "\" must be a whole number");
        }
        try {
            return Optional.of(e.getAsBigDecimal().longValueExact());
        } catch (ArithmeticException ex) {
            throw new ProtocolException("field \"" + field + "\" must be a whole number");
        }
    }

    /** A list of strings, at most {@code max} of them. */
    public List<String> strings(String field, int max) throws ProtocolException {
        read.add(field);
        JsonElement e = object.get(field);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw new ProtocolException("field \"" + field + "\" must be a list of strings");
        }
        JsonArray array = e.getAsJsonArray();
        if (array.size() > max) {
            throw new ProtocolException("field \"" + field + "\" holds " + array.size() + " items; at most " + max);
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : array) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw new ProtocolException("field \"" + field + "\" must be a list of strings");
            }
            out.add(item.getAsString());
        }
        return out;
    }

    /** Refuses fields nobody asked for: a misspelt option must not be silently ignored. */
    public void noOtherFields() throws ProtocolException {
        for (String name : object.keySet()) {
            if (!read.contains(name)) {
                throw new ProtocolException("unknown field \"" + name + "\"");
            }
        }
    }

    static JsonArray array(List<String> items) {
        JsonArray array = new JsonArray();
        items.forEach(i -> array.add(new JsonPrimitive(i)));
        return array;
    }

    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    /** Where the parser gave up, without the library's advice to its own programmers. */
    private static String where(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = POSITION.matcher(message);
        return m.find() ? " (at column " + m.group(2) + ")" : "";
    }
}
