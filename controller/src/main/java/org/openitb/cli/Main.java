package org.openitb.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code openitb} command line: verbs, exit codes and one-line errors of the contract. */
@Command(name = "openitb", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Controller of a bench prototype intrathecal baclofen pump. A research tool, not a medical device.",
        subcommands = {HelpVerb.class, ConfigCommand.class, DaemonCommands.Run.class, DaemonCommands.Simulate.class, ReadingCommands.Status.class,
            ProgramCommand.Program.class, ClientCommands.Bolus.class, ClientCommands.PatientBolus.class, ClientCommands.Refill.class, ClientCommands.Prime.class,
            ClientCommands.Suspend.class, ClientCommands.Resume.class, ReadingCommands.History.class, SimCommand.Sim.class,
            AlarmCommands.Alarms.class, AlarmCommands.Ack.class, MonitorCommand.class, CalibrateCommand.class, AccuracyCommand.class,
        ReportCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        // UTF-8, as Java 18 and later take by default, said here so the output does not depend on the JVM.
        System.exit(run(new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
    }

    /** Runs one command line and returns its exit code; output goes to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        // A negative value is a value there, not an option: sim plant-error -2%.
        cli.getSubcommands().get("sim").setUnmatchedOptionsArePositionalParams(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((reported, arguments) -> {
            CommandLine.ParameterException ex = typoFirst(reported, arguments);
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("openitb: " + oneLine(problem(ex)) + suggestion(ex) + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.INVALID_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            if (ex instanceof InvalidInputException) {
                failed.getErr().println("openitb: " + oneLine(ex.getMessage()));
                return ExitCode.INVALID_INPUT;
            }
            if (ex instanceof DaemonUnreachableException) {
                failed.getErr().println("openitb: " + oneLine(ex.getMessage()));
                return ExitCode.DAEMON_UNREACHABLE;
            }
            if (ex instanceof IllegalStateException && ex.getMessage() != null) {
                failed.getErr().println("openitb: " + oneLine(ex.getMessage()));
                return ExitCode.FAILURE;
            }
            Logger.error(ex, "unexpected failure");
            failed.getErr().println("openitb: failed: " + oneLine(String.valueOf(ex)));
            return ExitCode.FAILURE;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new InvalidInputException("a verb is needed; see 'openitb --help'");
    }

    /**
     * picocli reports missing required options before an unknown one, so "--dsoe 5mcg" read "missing --dose":
     * the typo is the cause, and is reported instead, with its suggestion.
     */
    static CommandLine.ParameterException typoFirst(CommandLine.ParameterException ex, String[] arguments) {
        if (!(ex instanceof CommandLine.MissingParameterException)) {
            return ex;
        }
        CommandLine failed = ex.getCommandLine();
        for (String arg : arguments) {
            if (arg.length() > 1 && arg.startsWith("-") && !arg.equals("--")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (failed.getCommandSpec().findOption(name) == null && !failed.getSubcommands().containsKey(name)) {
                    return new CommandLine.UnmatchedArgumentException(failed, List.of(arg));
                }
            }
        }
        return ex;
    }

    /** What was wrong, in words: an unknown verb is called that, not "Unmatched argument at index 0". */
    static String problem(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> words = unmatched.getUnmatched();
            if (!words.isEmpty() && !words.get(0).startsWith("-")) {
                return ex.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + words.get(0) + "'"
                        : "unknown verb '" + words.get(0) + "' for '" + ex.getCommandLine().getCommandSpec().qualifiedName() + "'";
            }
            if (!words.isEmpty() && !ex.getCommandLine().getSubcommands().isEmpty() && Typos.closest(words.get(0),
                    ex.getCommandLine().getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList()).isEmpty()) {
                // "program --yes": the options belong to the verb that is missing, not to "program".
                return "'" + ex.getCommandLine().getCommandSpec().qualifiedName() + "' needs one of "
                        + String.join(", ", ex.getCommandLine().getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList())
                        + " before its options";
            }
        }
        // picocli's words for a number that is not one ("'abc' is not a long") are a programmer's.
        return ex.getMessage().replace("' is not a long", "' is not a whole number").replace("' is not an int", "' is not a whole number");
    }

    /** For a mistyped verb or option, the one it was likely meant to be ("; did you mean 'bolus'?"), or nothing. */
    static String suggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return "";
        }
        String typed = unmatched.getUnmatched().get(0);
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        List<String> known = new ArrayList<>(spec.subcommands().keySet());
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            known.addAll(List.of(option.names()));
        }
        String word = typed.contains("=") && typed.startsWith("-") ? typed.substring(0, typed.indexOf('=')) : typed;
        Optional<String> closest = Typos.closest(word, known.stream().filter(k -> k.startsWith("-") == word.startsWith("-")).toList());
        if (closest.isEmpty()) {
            // picocli's own picks share a few letters anywhere ('frobnicate' -> 'calibrate'): only one the
            // typed word begins, an option cut short, is worth saying.
            closest = unmatched.getSuggestions().stream().filter(c -> Typos.abbreviates(word, c)).findFirst();
        }
        return closest.map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    /** Messages carry user input; a newline in it must not break the one-line rule. */
    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
    }

    /** The version from the jar manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"openitb " + (v == null ? "(development build)" : v)};
        }
    }
}
