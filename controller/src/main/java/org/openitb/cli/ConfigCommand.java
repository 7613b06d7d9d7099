package org.openitb.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.openitb.config.ConfigException;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PumpConfig;
import org.openitb.drivers.gpio.Gpio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openitb config ...}: work on the config file without starting anything. */
@Command(name = "config", description = "Check a config file.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new InvalidInputException("config needs a subcommand: check");
    }

    /** {@code openitb config check --config FILE}: validates and summarises, exit 0 or 2. */
    @Command(name = "check", description = "Validate the config and exit: 0 if usable, 2 with the first problem if not.")
    static final class Check implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Option(names = "--all", description = "List every problem, one per line, not just the first.")
        boolean all;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PumpConfig pump;
            try {
                pump = ConfigLoader.load(config.file());
            } catch (ConfigException e) {
                if (!all) {
                    throw new InvalidInputException(e.getMessage());
                }
                PrintWriter err = spec.commandLine().getErr();
                e.problems().forEach(err::println);
                err.flush();
                return ExitCode.INVALID_INPUT;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(config.file() + ": OK");
            out.println(ConfigSummary.describe(pump, Gpio.availablePlugins()));
            out.flush();
            return ExitCode.OK;
        }
    }
}
