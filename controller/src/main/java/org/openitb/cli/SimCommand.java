package org.openitb.cli;

import static org.openitb.cli.ClientCommands.request;

import com.google.gson.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sim}: a fault played on the simulated bench (refused by a daemon on real hardware). */
final class SimCommand {

    private SimCommand() {
    }

    @Command(name = "sim", description = "Inject a fault into the simulated bench: occlusion on|off, reservoir-switch low|ok|auto, stall on|off,"
            + " chatter occlusion|reservoir, freeze DURATION (the dose loop hangs); on its balance (docs/accuracy.md):"
            + " balance ok|silent|garbage|overload|unsettled, plant-error PERCENT (e.g. -2%%), evaporation RATE (e.g. 0.3mg/h), noise MASS (e.g. 0.02mg).")
    static final class Sim implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Parameters(index = "0", paramLabel = "WHAT", description = "occlusion, reservoir-switch, stall, chatter, freeze, balance, plant-error,"
                + " evaporation or noise")
        String what;
        @Parameters(index = "1", paramLabel = "VALUE", description = "on/off, low/ok/auto, occlusion/reservoir, for freeze a real-time duration (100ms to 60s) the dose loop hangs,"
                + " for balance ok/silent/garbage/overload/unsettled, or the plant error, evaporation or noise")
        String value;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonObject r = request("sim");
            r.addProperty("what", what);
            r.addProperty("value", value);
            JsonObject response = Client.send(config.load(), r);
            spec.commandLine().getOut().println(response.get("message").getAsString());
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }
}
