package org.openitb.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openitb.config.PumpConfig;
import org.openitb.control.ProtocolException;
import org.openitb.control.Requests;
import org.openitb.control.StatusJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The operator's alarm verbs: list the open alarms, acknowledge one. */
final class AlarmCommands {

    private AlarmCommands() {
    }

    @Command(name = "alarms", description = "Show the open alarms, highest priority first, and the withdrawal-risk estimate.")
    static final class Alarms implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--json", description = "The open alarms as a JSON list of the contract's alarm objects.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PumpConfig pump = config.load();
            JsonObject response = Client.send(pump, ClientCommands.request("alarms"));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(response.getAsJsonArray("alarms"));
            } else {
                DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
                if (response.getAsJsonArray("alarms").isEmpty()) {
                    out.println("no open alarms");
                }
                for (JsonElement e : response.getAsJsonArray("alarms")) {
                    JsonObject a = e.getAsJsonObject();
                    out.println(String.format(Locale.ROOT, "%-14s %-6s %-12s %-22s since %s%s", a.get("id").getAsString(),
                            a.get("priority").getAsString().toUpperCase(Locale.ROOT), a.get("state").getAsString(), a.get("type").getAsString(),
                            time.format(Instant.parse(a.get("raisedAt").getAsString()).atZone(pump.zone())),
                            a.get("conditionPresent").getAsBoolean() ? "" : " (condition gone; acknowledge to end it)"));
                    out.println("               " + a.get("message").getAsString());
                }
                out.println("withdrawal risk: " + StatusJson.riskText(response.getAsJsonObject("withdrawalRisk")));
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "ack", description = "Acknowledge an alarm: silences it for alarm.silence; it sounds again if its condition still holds then.")
    static final class Ack implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Parameters(index = "0", paramLabel = "ALARM_ID", description = "the id that alarms shows, e.g. OCC-MK2A9Q1C")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String checked;
            try {
                checked = Requests.alarmId(id);
            } catch (ProtocolException e) {
                throw new InvalidInputException(e.getMessage());
            }
            JsonObject request = ClientCommands.request("ack");
            request.addProperty("id", checked);
            JsonObject response = Client.send(config.load(), request);
            spec.commandLine().getOut().println(response.get("message").getAsString());
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }
}
