package org.openitb.cli;

import static org.openitb.cli.ClientCommands.request;
import static org.openitb.cli.ClientCommands.addProgram;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import org.openitb.cli.ClientCommands.Change;
import org.openitb.cli.ClientCommands.Periodic;
import org.openitb.cli.ClientCommands.Reference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code program continuous} and {@code program flex}: a new program for the pump, previewed, then applied when confirmed. */
final class ProgramCommand {

    private ProgramCommand() {
    }

    @Command(name = "program", description = "Program the pump.", subcommands = {Program.Continuous.class, Program.Flex.class})
    static final class Program implements Runnable {
        @Override
        public void run() {
            throw new InvalidInputException("program needs a mode: continuous or flex");
        }

        @Command(name = "continuous", description = "One basal rate, day and night.")
        static final class Continuous implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Mixin
            Change change;
            @Option(names = "--dose", paramLabel = "RATE", required = true, description = "Daily dose, e.g. 400mcg/day.")
            String dose;
            @Option(names = "--concentration", paramLabel = "CONC", required = true, description = "Of the reservoir, e.g. 500mcg/mL.")
            String concentration;
            @ArgGroup(exclusive = false)
            Periodic periodic;
            @Mixin
            Reference reference;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                JsonObject r = request("program");
                r.addProperty("concentration", concentration);
                addProgram(r, dose, null, periodic);
                Reference.addTo(reference, r);
                r.addProperty("overrideSoftLimit", change.override);
                return Client.change(config.load(), r, change.yes, spec.commandLine().getOut());
            }
        }

        @Command(name = "flex", description = "Basal rates that step at times of day, e.g. --step 06:00=350mcg/day --step 20:00=500mcg/day.")
        static final class Flex implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Mixin
            Change change;
            @Option(names = "--concentration", paramLabel = "CONC", required = true, description = "Of the reservoir, e.g. 500mcg/mL.")
            String concentration;
            @Option(names = "--step", paramLabel = "[DAY@]HH:MM=RATE", required = true,
                    description = "From this time of day on, this rate; DAY (mon..sun) limits it to one weekday.")
            List<String> steps;
            @ArgGroup(exclusive = false)
            Periodic periodic;
            @Mixin
            Reference reference;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                JsonObject r = request("program");
                r.addProperty("concentration", concentration);
                addProgram(r, null, steps, periodic);
                Reference.addTo(reference, r);
                r.addProperty("overrideSoftLimit", change.override);
                return Client.change(config.load(), r, change.yes, spec.commandLine().getOut());
            }
        }
    }
}
