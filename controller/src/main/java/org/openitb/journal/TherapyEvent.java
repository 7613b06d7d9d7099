package org.openitb.journal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened to therapy (program change, bolus, suspend, halt...), with its details:
 * what the journal, telemetry and the demo's narration consume. Detail values are strings,
 * numbers, booleans, or lists and maps of those, so they go into JSON as they are.
 */
public record TherapyEvent(String type, Instant at, long nanos, String who, Map<String, Object> details) {
    public TherapyEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(who, "who");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
