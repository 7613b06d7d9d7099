package org.openitb.journal;

import com.google.gson.JsonObject;
import java.time.Instant;

/** One journal row: its sequence number, when, what, who, and the details as recorded. */
public record JournalEntry(long seq, Instant at, String type, String who, JsonObject details) {
}
