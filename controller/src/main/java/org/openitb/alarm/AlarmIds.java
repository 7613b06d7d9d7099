package org.openitb.alarm;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Alarm ids short enough to type after {@code ack}: the type's code and the raise time in
 * milliseconds, base 36 (e.g. {@code OCC-MK2A9Q1C}), so they stay unique across restarts; two raised
 * in the same millisecond, or a clock set back onto an id still open, take the next free number.
 */
final class AlarmIds {

    /** Ids remembered to avoid reuse: the open ones and the recent ones; older ones are of no use to {@code ack}. */
    private static final int REMEMBERED = 4_096;

    private final Set<String> used = new HashSet<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();

    String next(AlarmType type, Instant at) {
        long n = Math.max(0, at.toEpochMilli());
        String id;
        do {
            id = type.code() + "-" + Long.toString(n++, 36).toUpperCase(Locale.ROOT);
        } while (used.contains(id));
        taken(id);
        return id;
    }

    void taken(String id) {
        if (used.add(id)) {
            order.addLast(id);
            if (order.size() > REMEMBERED) {
                used.remove(order.removeFirst());
            }
        }
    }
}
