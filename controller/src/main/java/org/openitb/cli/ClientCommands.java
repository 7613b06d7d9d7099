package org.openitb.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.Console;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The client verbs of the contract: they talk to a running daemon over the control socket. */
final class ClientCommands {

    private ClientCommands() {
    }

    /** Options every therapy change takes. */
    static final class Change {
        @Option(names = "--yes", description = "Apply without asking (needed when there is no terminal).")
        boolean yes;

        @Option(names = "--override-soft-limit", description = "Accept a change above a soft limit of the drug library (hard limits never yield).")
        boolean override;
    }

    /** The daily dose the patient was on, for a pump that lost its memory of the therapy. */
    static final class Reference {
        @Option(names = "--reference-dose", paramLabel = "RATE", description = "After the pump lost its memory: the daily dose the patient"
                + " was on (e.g. 400mcg/day), which the titration limit measures this program against.")
        String dose;

        static void addTo(Reference reference, JsonObject request) {
            if (reference != null && reference.dose != null) {
                request.addProperty("referenceDose", reference.dose);
            }
        }
    }

    /** Options of a periodic bolus on top of a program. */
    static final class Periodic {
        @Option(names = "--periodic-bolus", paramLabel = "DOSE", required = true, description = "A bolus repeated on top of the basal rate, e.g. 20mcg.")
        String dose;

        @Option(names = "--every", paramLabel = "DURATION", required = true, description = "How often, e.g. 6h.")
        String every;

        @Option(names = "--over", paramLabel = "DURATION", description = "How long each takes (default 10m).")
        String over;

        void addTo(JsonObject request) {
            request.addProperty("periodicBolus", dose);
            request.addProperty("every", every);
            if (over != null) {
                request.addProperty("over", over);
            }
        }
    }

    /**
     * Adds a program to a request: continuous with {@code dose}, flex with {@code steps} (exactly
     * one of them), a periodic bolus if given. Program changes and refills describe programs alike.
     */
    static void addProgram(JsonObject r, String dose, List<String> steps, Periodic periodic) {
        if (dose != null && steps != null) {
            throw new InvalidInputException("give the program with --dose (continuous) or with --step (flex), not both");
        }
        if (dose != null) {
            r.addProperty("mode", "continuous");
            r.addProperty("dose", dose);
        } else if (steps != null) {
            r.addProperty("mode", "flex");
            JsonArray array = new JsonArray();
            steps.forEach(array::add);
            r.add("steps", array);
        } else if (periodic != null) {
            throw new InvalidInputException("a periodic bolus belongs to a program: give --dose or --step with it");
        }
        if (periodic != null) {
            periodic.addTo(r);
        }
    }

    static JsonObject request(String verb) {
        JsonObject o = new JsonObject();
        o.addProperty("v", 1);
        o.addProperty("verb", verb);
        return o;
    }

    @Command(name = "bolus", description = "Give a bolus on top of the running program.")
    static final class Bolus implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Mixin
        Change change;
        @Option(names = "--dose", paramLabel = "DOSE", required = true, description = "e.g. 50mcg.")
        String dose;
        @Option(names = "--over", paramLabel = "DURATION", required = true, description = "e.g. 10m.")
        String over;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonObject r = request("bolus");
            r.addProperty("dose", dose);
            r.addProperty("over", over);
            r.addProperty("overrideSoftLimit", change.override);
            return Client.change(config.load(), r, change.yes, spec.commandLine().getOut());
        }
    }

    @Command(name = "patient-bolus", description = "The patient's bolus button: the dose, speed and limits of patient-bolus.* in the config.")
    static final class PatientBolus implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--yes", description = "Apply without asking (needed when there is no terminal).")
        boolean yes;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return Client.change(config.load(), request("patient-bolus"), yes, spec.commandLine().getOut());
        }
    }

    @Command(name = "refill", description = "Record a refill of the syringe; with another concentration, give the program re-written for it.")
    static final class Refill implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Mixin
        Change change;
        @Option(names = "--volume", paramLabel = "VOLUME", required = true, description = "What the syringe now holds, e.g. 20mL.")
        String volume;
        @Option(names = "--concentration", paramLabel = "CONC", required = true, description = "Of what it now holds, e.g. 500mcg/mL.")
        String concentration;
        @Option(names = "--dose", paramLabel = "RATE", description = "A continuous program for the new concentration, e.g. 400mcg/day.")
        String dose;
        @Option(names = "--step", paramLabel = "[DAY@]HH:MM=RATE", description = "A flex program for the new concentration.")
        List<String> steps;
        @Option(names = "--withdrawn", paramLabel = "VOLUME", description = "What was drawn off the old syringe, e.g. 2.5mL:"
                + " checked against the pump's count (reservoir.discrepancy-margin).")
        String withdrawn;
        @ArgGroup(exclusive = false)
        Periodic periodic;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonObject r = request("refill");
            r.addProperty("volume", volume);
            r.addProperty("concentration", concentration);
            if (withdrawn != null) {
                r.addProperty("withdrawn", withdrawn);
            }
            addProgram(r, dose, steps, periodic);
            r.addProperty("overrideSoftLimit", change.override);
            return Client.change(config.load(), r, change.yes, spec.commandLine().getOut());
        }
    }

    @Command(name = "prime", description = "Fill the catheter: push a volume at the priming rate (connected: only the dead volume left to fill).")
    static final class Prime implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--volume", paramLabel = "VOLUME", description = "e.g. 0.2mL.")
        String volume;
        @Option(names = "--microsteps", paramLabel = "N", description = "Exactly N microsteps instead of a volume (calibration; see 'calibrate').")
        String microsteps;
        @Option(names = "--disconnected", description = "The catheter is NOT connected to the patient (delivery suspended or no program):"
                + " up to delivery.priming-max, none of it counted as reaching the patient.")
        boolean disconnected;
        @Option(names = "--yes", description = "Apply without asking (needed when there is no terminal).")
        boolean yes;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if ((volume == null) == (microsteps == null)) {
                throw new InvalidInputException("prime takes --volume V or --microsteps N (one of them)");
            }
            JsonObject r = request("prime");
            r.addProperty(volume != null ? "volume" : "microsteps", volume != null ? volume : microsteps);
            r.addProperty("disconnected", disconnected);
            if (disconnected && !yes) {
                // The pump cannot see the catheter: the operator says so in words, not with a flag alone.
                Console console = Terminal.console().orElseThrow(
                        () -> new InvalidInputException("not applied: no terminal to confirm on; repeat with --yes to apply this change"));
                String answer = console.readLine("Nothing this priming pushes is counted as reaching a patient. Is the catheter"
                        + " DISCONNECTED from the patient? Type 'disconnected' to go on: ");
                if (answer == null || !answer.strip().equalsIgnoreCase("disconnected")) {
                    throw new InvalidInputException("not applied: the catheter was not declared disconnected");
                }
            }
            return Client.change(config.load(), r, yes, spec.commandLine().getOut());
        }
    }

    @Command(name = "suspend", description = "Stop delivery, for a time or until resumed.")
    static final class Suspend implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--for", paramLabel = "DURATION", description = "e.g. 30m; without it, until resume.")
        String duration;
        @Option(names = "--yes", description = "Apply without asking (needed when there is no terminal).")
        boolean yes;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonObject r = request("suspend");
            if (duration != null) {
                r.addProperty("for", duration);
            }
            return Client.change(config.load(), r, yes, spec.commandLine().getOut());
        }
    }

    @Command(name = "resume", description = "Deliver again at the programmed rate (nothing of the suspended time is made up).")
    static final class Resume implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        // Scripts pass --yes to every therapy verb; refusing it here would leave a pump suspended.
        @Option(names = "--yes", description = "Accepted as the other therapy verbs take it; resume asks nothing (it delivers the program in force).")
        boolean yes;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonObject response = Client.send(config.load(), request("resume"));
            spec.commandLine().getOut().println(response.get("message").getAsString());
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

}
