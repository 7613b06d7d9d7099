package org.openitb.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.Console;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.openitb.config.PumpConfig;
import org.openitb.control.ControlClient;
import org.openitb.control.Json;
import org.openitb.control.ProtocolException;
import org.openitb.control.Requests;

/**
 * The client side of the control verbs: checks a request before connecting (bad input is exit 2
 * even with no daemon), sends it, and for therapy changes shows what changes and asks first.
 */
final class Client {

    private Client() {
    }

    /** Sends {@code request} to the daemon of {@code config}; a refusal is exit 2, no daemon exit 3. */
    static JsonObject send(PumpConfig config, JsonObject request) {
        check(request);
        JsonObject response;
        try {
            response = ControlClient.exchange(config.controlSocket(), request);
        } catch (ControlClient.UnreachableException e) {
            throw new DaemonUnreachableException(e.getMessage());
        }
        if (!response.has("ok") || !response.get("ok").getAsBoolean()) {
            String error = response.has("error") ? response.get("error").getAsString() : "the daemon refused: " + response;
            int code = response.has("code") ? response.get("code").getAsInt() : 1;
            if (code == 2) {
                throw new InvalidInputException(error);
            }
            throw new IllegalStateException(error);
        }
        return response;
    }

    /**
     * A therapy change: preview, show old and new side by side, confirm (on the terminal, or by
     * {@code --yes}), then commit against the previewed revision so nothing that changed meanwhile is applied.
     */
    static int change(PumpConfig config, JsonObject request, boolean yes, PrintWriter out) {
        request.addProperty("commit", false);
        JsonObject preview = send(config, request);
        if ("applied".equals(preview.get("outcome").getAsString())) {
            out.println(preview.get("message").getAsString());
            return ExitCode.OK;
        }
        out.println("Change: " + preview.get("message").getAsString());
        SideBySide.print(strings(preview, "before"), strings(preview, "after"), out);
        out.flush();
        if (!yes) {
            Console console = Terminal.console().orElseThrow(
                    () -> new InvalidInputException("not applied: no terminal to confirm on; repeat with --yes to apply this change"));
            String answer = console.readLine("Apply this change? [y/N] ");
            if (answer == null || !(answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"))) {
                throw new InvalidInputException("not applied: not confirmed");
            }
        }
        request.addProperty("commit", true);
        request.addProperty("expectRevision", preview.get("revision").getAsLong());
        JsonObject applied = send(config, request);
        out.println(applied.get("message").getAsString());
        return ExitCode.OK;
    }

    /** Runs the daemon's own parser over {@code request}, so bad input fails here, before any connection. */
    private static void check(JsonObject request) {
        try {
            Requests.parse(Json.parse(request.toString()), "client");
        } catch (ProtocolException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private static List<String> strings(JsonObject o, String field) {
        List<String> out = new ArrayList<>();
        if (o.has(field)) {
            for (JsonElement e : o.getAsJsonArray(field)) {
                out.add(e.getAsString());
            }
        }
        return out;
    }
}
