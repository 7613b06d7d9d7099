package org.openitb.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code openitb help [VERB [SUB-VERB]]}: the usage of any verb or sub-verb, as its {@code --help} prints it. */
@Command(name = "help", helpCommand = true, mixinStandardHelpOptions = true,
        description = "Show the usage of a verb or sub-verb, as VERB --help does: openitb help program continuous.")
final class HelpVerb implements CommandLine.IHelpCommandInitializable2, Runnable {

    @Parameters(paramLabel = "VERB", arity = "0..2", description = "The verb, and its sub-verb if it has them.")
    List<String> path = new ArrayList<>();

    private CommandLine self;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
    }

    @Override
    public void run() {
        CommandLine verb = self.getParent();
        for (String word : path) {
            CommandLine sub = verb.getSubcommands().get(word);
            if (sub == null) {
                // Reported as a mistyped verb is on the command line itself, with the closest one.
                throw new CommandLine.UnmatchedArgumentException(verb, List.of(word));
            }
            verb = sub;
        }
        verb.usage(verb.getOut());
    }
}
