package org.openitb.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;
import org.openitb.journal.TherapyEvent;

/** A therapy event as one line for a terminal: time, type, who, details. */
final class EventLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private EventLine() {
    }

    static String of(TherapyEvent e, ZoneId zone) {
        String details = e.details().entrySet().stream().filter(d -> !String.valueOf(d.getValue()).isEmpty())
                .map(d -> d.getKey() + "=" + d.getValue()).collect(Collectors.joining("  "));
        return TIME.format(e.at().atZone(zone)) + "  " + e.type() + "  by " + e.who() + (details.isEmpty() ? "" : "  " + details);
    }
}
