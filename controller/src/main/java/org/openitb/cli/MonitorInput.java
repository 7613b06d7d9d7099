package org.openitb.cli;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import org.openitb.control.ProtocolException;
import org.openitb.control.Requests;
import org.openitb.telemetry.MonitorWard;

/**
 * What a line typed into {@code monitor}'s standard input asks for: an acknowledgement sent to a
 * pump, the alarm list, or nothing; a mistyped line gets its reason in one line and changes nothing.
 */
sealed interface MonitorInput {

    /** A blank line. */
    record Nothing() implements MonitorInput {
    }

    /** {@code alarms}: every watched pump's open alarms again. */
    record Alarms() implements MonitorInput {
    }

    /** {@code ack [PUMP] ID}: acknowledge {@code alarmId} (as the pumps write it) on {@code pumpId}. */
    record Ack(String pumpId, String alarmId) implements MonitorInput {

        /** The acknowledgement as the pump's {@code RemoteAck} reads it, from {@code by}. */
        byte[] payload(String by) {
            JsonObject o = new JsonObject();
            o.addProperty("id", alarmId);
            o.addProperty("by", by);
            return o.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Why the line asks for nothing that can be done. */
    record Refused(String why) implements MonitorInput {
    }

    /** Longest part of a mistyped line quoted back. */
    int QUOTED_LIMIT = 60;

    /** What {@code line} asks of a monitor watching {@code ward} (read under the monitor's lock). */
    static MonitorInput parse(String line, MonitorWard ward) {
        String[] words = line.strip().split("\\s+");
        return switch (words[0]) {
            case "" -> new Nothing();
            case "alarms" -> new Alarms();
            case "ack" -> ack(words, ward);
            default -> new Refused("type 'ack ALARM_ID', 'ack PUMP_ID ALARM_ID' or 'alarms', not \""
                    + (line.length() > QUOTED_LIMIT ? line.substring(0, QUOTED_LIMIT) + "..." : line) + "\"");
        };
    }

    private static MonitorInput ack(String[] words, MonitorWard ward) {
        if (words.length != 2 && words.length != 3) {
            return new Refused("ack takes an alarm id, and the pump's before it when several are watched, like 'ack OCC-MK2A9Q1C'"
                    + " or 'ack bench-01 OCC-MK2A9Q1C'");
        }
        String alarmId;
        try {
            // As the pumps write it: a lower-case id, or one of its events' ids (OCC-MK2A9Q1C.7), names the same alarm.
            alarmId = Requests.alarmId(words[words.length - 1]);
        } catch (ProtocolException e) {
            return new Refused(e.getMessage());
        }
        if (words.length == 3) {
            return ward.watches(words[1]) ? new Ack(words[1], alarmId)
                    : new Refused("pump " + words[1] + " is not watched here; watched: " + String.join(", ", ward.pumps()));
        }
        MonitorWard.Target target = ward.ackTarget(alarmId);
        return target.pumpId().<MonitorInput>map(pump -> new Ack(pump, alarmId)).orElseGet(() -> new Refused(target.why()));
    }
}
