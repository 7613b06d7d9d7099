package org.openitb.app;

import java.io.PrintWriter;
import org.tinylog.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code openitb} command line: verbs, exit codes and one-line errors of the contract. */
@Command(name = "openitb", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Controller of a bench prototype intrathecal baclofen pump. A research tool, not a medical device.",
        subcommands = {ConfigCommand.class, DaemonCommands.Run.class, DaemonCommands.Simulate.class, ClientCommands.Status.class,
            ClientCommands.Program.class, ClientCommands.Bolus.class, ClientCommands.PatientBolus.class, ClientCommands.Refill.class, ClientCommands.Prime.class,
            ClientCommands.Suspend.class, ClientCommands.Resume.class, ClientCommands.History.class, ClientCommands.Sim.class,
            AlarmCommands.Alarms.class, AlarmCommands.Ack.class, MonitorCommand.class, CalibrateCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line and returns its exit code; output goes to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("openitb: " + oneLine(ex.getMessage()) + " (see '"
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
