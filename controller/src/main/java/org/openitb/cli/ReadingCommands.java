package org.openitb.cli;

import static org.openitb.cli.ClientCommands.request;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.openitb.config.PumpConfig;
import org.openitb.control.StatusJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The client verbs that only read the pump: {@code status} and {@code history}. */
final class ReadingCommands {

    private ReadingCommands() {
    }

    @Command(name = "status", description = "Show what the pump is doing.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "The contract's JSON object instead of text.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PumpConfig pump = config.load();
            JsonObject status = Client.send(pump, request("status")).getAsJsonObject("status");
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(status);
            } else {
                StatusJson.lines(status, pump.zone()).forEach(out::println);
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "history", description = "Show the journal, oldest first: program changes, boluses, refills, suspensions, restarts.")
    static final class History implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--json", description = "The journal as a JSON list.")
        boolean json;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "The last N entries (default: ${DEFAULT-VALUE}).")
        long limit;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PumpConfig pump = config.load();
            JsonObject r = request("history");
            r.addProperty("limit", limit);
            JsonArray entries = Client.send(pump, r).getAsJsonArray("history");
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(entries);
            } else {
                for (JsonElement e : entries) {
                    out.println(HistoryLine.of(e.getAsJsonObject(), pump.zone()));
                }
            }
            out.flush();
            return ExitCode.OK;
        }
    }
}
