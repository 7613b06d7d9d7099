package org.openitb.cli;

import static org.openitb.cli.ClientCommands.request;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accuracy start|status|stop}: the gravimetric test a running daemon hosts (docs/accuracy.md). */
final class AccuracyTestCommands {

    private AccuracyTestCommands() {
    }

    @Command(name = "start", description = "Start a gravimetric test of the running continuous program: the daemon reads the balance, records every"
            + " read and writes the report when the test ends.")
    static final class Start implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--name", paramLabel = "NAME", description = "The test's name, its files' names (default: test- and its start time).")
        String name;
        @Option(names = "--length", paramLabel = "DURATION", description = "How long it reads (default: 2h at 1 mL/h and above, 60h below).")
        String length;
        @Option(names = "--delta-t", paramLabel = "DURATION", description = "The analysis' sample interval (default: 30s at 1 mL/h and above, 15m below).")
        String deltaT;
        @Option(names = "--from", paramLabel = "DURATION", description = "Where the analysis period starts (default: half the test).")
        String from;
        @Option(names = "--to", paramLabel = "DURATION", description = "Where it ends (default: the test's end).")
        String to;
        @Option(names = "--windows", paramLabel = "LIST", description = "Observation windows, e.g. 2m,5m,11m,19m,31m (default: by rate, docs/accuracy.md).")
        String windows;
        @Option(names = "--density", paramLabel = "DENSITY", description = "The fluid's density (default: 0.998g/mL, water at 20 C).")
        String density;
        @Option(names = "--evaporation", paramLabel = "RATE", description = "Evaporation to add back, e.g. 0.3mg/h (default: none).")
        String evaporation;
        @Option(names = "--tolerance", paramLabel = "PERCENT", description = "The band drawn on the trumpet curve (default: 5%% at 1 mL/h and above, 15%% below).")
        String tolerance;
        @Option(names = "--json", description = "The test as JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonObject r = request("accuracy");
            r.addProperty("action", "start");
            put(r, "name", name);
            put(r, "length", length);
            put(r, "deltaT", deltaT);
            put(r, "from", from);
            put(r, "to", to);
            put(r, "windows", windows);
            put(r, "density", density);
            put(r, "evaporation", evaporation);
            put(r, "tolerance", tolerance);
            return show(spec, Client.send(config.load(), r), json);
        }

        private static void put(JsonObject r, String field, String value) {
            if (value != null) {
                r.addProperty(field, value);
            }
        }
    }

    /** A request that carries nothing but what it asks. */
    abstract static class Asking implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--json", description = "The test as JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        abstract String action();

        @Override
        public Integer call() {
            JsonObject r = request("accuracy");
            r.addProperty("action", action());
            return show(spec, Client.send(config.load(), r), json);
        }
    }

    @Command(name = "status", description = "How the test under way (or the last one) goes.")
    static final class Status extends Asking {
        @Override
        String action() {
            return "status";
        }
    }

    @Command(name = "stop", description = "End the test under way now and write its report from what it read.")
    static final class Stop extends Asking {
        @Override
        String action() {
            return "stop";
        }
    }

    private static int show(CommandSpec spec, JsonObject response, boolean json) {
        PrintWriter out = spec.commandLine().getOut();
        JsonObject t = response.getAsJsonObject("test");
        if (json) {
            out.println(t == null ? "null" : t.toString());
        } else if (t == null) {
            out.println("no accuracy test since the daemon started");
        } else {
            lines(t).forEach(out::println);
        }
        out.flush();
        return ExitCode.OK;
    }

    /** The test in lines a person reads. */
    static List<String> lines(JsonObject t) {
        List<String> l = new ArrayList<>();
        String state = t.get("state").getAsString();
        l.add("test " + t.get("name").getAsString() + ": " + (state.equals("running") ? "running" : t.get("ended").getAsString()));
        l.add(String.format(Locale.ROOT, "rate %.3f uL/h (%s scheme); read every %s; %s of %s; %d reads, %d without a stable weight",
                t.get("rateUlPerHour").getAsDouble(), t.get("scheme").getAsString(), t.get("readInterval").getAsString(),
                t.get("elapsed").getAsString(), t.get("length").getAsString(), t.get("reads").getAsInt(), t.get("faults").getAsInt()));
        l.add("analysis " + t.get("analysis").getAsString() + " at delta t " + t.get("deltaT").getAsString() + ", windows " + t.get("windows").getAsString());
        if (t.has("lastStatus")) {
            l.add("balance: " + t.get("lastStatus").getAsString() + (t.has("lastGrams") ? " " + t.get("lastGrams").getAsString() + " g" : ""));
        }
        if (t.has("overall")) {
            JsonObject o = t.getAsJsonObject("overall");
            l.add(String.format(Locale.ROOT, "overall error %+.2f %% +/- %.2f %%", o.get("percent").getAsDouble(), o.get("uncertaintyPercent").getAsDouble()));
        }
        l.add("record: " + t.get("record").getAsString());
        if (t.has("report")) {
            l.add("report: " + t.get("report").getAsString());
        }
        if (t.has("note")) {
            l.add("note: " + t.get("note").getAsString());
        }
        return l;
    }
}
