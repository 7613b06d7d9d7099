package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.config.ProjectFiles;
import picocli.CommandLine;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void configCheckPassesTheShippedConfig() {
        Cli r = Cli.run("config", "check", "--config", ProjectFiles.exampleConfig().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(ProjectFiles.exampleConfig() + ": OK"), r.out());
        assertTrue(r.out().contains("stepper DRV8825 at 1/16 microsteps"), r.out());
        assertTrue(r.out().contains("priming at 1mL/min, at most 1mL at once and 2mL a day; dead volume 0.2mL"), r.out());
        assertTrue(r.out().contains("Pi4J plugins available: gpiod, linuxfs, mock, raspberrypi"), r.out());
        assertTrue(r.out().contains("  balance none (balance.port)"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void configCheckSaysHowTheBalanceIsReached() throws IOException {
        Path withBalance = dir.resolve("balance.properties");
        Files.writeString(withBalance, Files.readString(ProjectFiles.exampleConfig())
                .replace("balance.port =", "balance.port = /dev/ttyUSB0").replace("balance.framing = 8N1", "balance.framing = 7O1"));
        Cli r = Cli.run("config", "check", "--config", withBalance.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  balance /dev/ttyUSB0 at 9600 7O1, mt-sics, reads to 0.00001g, every 30s"), r.out());
    }

    @Test
    void configCheckRefusesAMisspeltKeyWithExitTwoAndOneLineNamingIt() throws IOException {
        Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, Files.readString(ProjectFiles.exampleConfig())
                .replace("stepper.microsteps = 16", "stepper.mircosteps = 16"));
        Cli r = Cli.run("config", "check", "--config", typo.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines(), r.err());
        assertEquals("openitb: " + typo + ": unknown key stepper.mircosteps = 16 (did you mean stepper.microsteps?);"
                + " every key is listed in the example config/openitb.properties", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void allListsEveryProblemOnItsOwnLine() throws IOException {
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, Files.readString(ProjectFiles.exampleConfig())
                .replace("stepper.microsteps = 16", "stepper.microsteps = 3")
                .replace("syringe.capacity = 20mL", "syringe.capacity = 20"));
        Cli r = Cli.run("config", "check", "--all", "--config", bad.toString());
        assertEquals(2, r.code());
        assertEquals(2, r.errLines(), r.err());
    }

    @Test
    void aDisconnectedPrimingIsDeclaredInWordsOrWithYesNeverByTheFlagAlone() {
        // No terminal here to type 'disconnected' on: refused before any daemon is asked (no daemon runs).
        Cli r = Cli.run("prime", "--volume", "1mL", "--disconnected", "--config", ProjectFiles.exampleConfig().toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("openitb: not applied: no terminal to confirm on; repeat with --yes to apply this change", r.err().strip());
    }

    @Test
    void usageErrorsAreExitTwoWithOneLine() {
        for (String[] args : new String[][] {
            {},
            {"frobnicate"},
            {"config"},
            {"config", "check", "--no-such-option"},
            {"config", "check", "--config"},
        }) {
            Cli r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("openitb: "), r.err());
        }
    }

    @Test
    void optionsBeforeTheSubVerbAndNumbersThatAreNotOnesReadAsAPersonWouldWriteThem() {
        Cli program = Cli.run("program", "--yes");
        assertEquals(2, program.code(), program.err());
        assertTrue(program.err().startsWith("openitb: 'openitb program' needs one of continuous, flex before its options"), program.err());
        Cli history = Cli.run("history", "--limit", "abc");
        assertEquals(2, history.code(), history.err());
        assertTrue(history.err().contains("'abc' is not a whole number"), history.err());
    }

    @Test
    void aMissingConfigFileIsInvalidInput() {
        Cli r = Cli.run("config", "check", "--config", dir.resolve("absent.properties").toString());
        assertEquals(2, r.code());
        assertEquals("openitb: " + dir.resolve("absent.properties") + ": no such config file", r.err().strip());
    }

    @Test
    void aNewlineInsideAValueCannotBreakTheOneLineRule() throws IOException {
        Path sneaky = dir.resolve("sneaky.properties");
        Files.writeString(sneaky, Files.readString(ProjectFiles.exampleConfig()).replace("pump.id = bench-01", "pump.id = a\\nb"));
        Cli r = Cli.run("config", "check", "--config", sneaky.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines(), r.err());
    }

    @Test
    void helpAndVersionSucceed() {
        assertEquals(0, Cli.run("--help").code());
        Cli v = Cli.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("openitb "), v.out());
    }

    @Test
    void everyVerbAndSubVerbAnswersHelpWithItsUsage() {
        // The contract: every verb and sub-verb answers --help and -h with a usage, exit 0.
        List<List<String>> verbs = new ArrayList<>();
        collect(new CommandLine(new Main()), List.of(), verbs);
        assertTrue(verbs.size() > 15, verbs.toString());
        for (List<String> verb : verbs) {
            for (String help : new String[] {"--help", "-h"}) {
                List<String> args = new ArrayList<>(verb);
                args.add(help);
                Cli r = Cli.run(args.toArray(String[]::new));
                assertEquals(0, r.code(), args + ": " + r.err());
                assertTrue(r.out().startsWith("Usage: openitb " + String.join(" ", verb)), args + ": " + r.out());
            }
        }
        assertEquals(0, Cli.run("resume", "--help").code());
    }

    @Test
    void helpVerbPrintsWhatTheVerbsOwnHelpPrints() {
        List<List<String>> verbs = new ArrayList<>();
        collect(new CommandLine(new Main()), List.of(), verbs);
        for (List<String> verb : verbs) {
            List<String> own = new ArrayList<>(verb);
            own.add("--help");
            List<String> asked = new ArrayList<>(List.of("help"));
            asked.addAll(verb);
            Cli viaHelp = Cli.run(asked.toArray(String[]::new));
            assertEquals(0, viaHelp.code(), asked + ": " + viaHelp.err());
            assertEquals(Cli.run(own.toArray(String[]::new)).out(), viaHelp.out(), asked.toString());
        }
        assertEquals(Cli.run("--help").out(), Cli.run("help").out());
        Cli unknown = Cli.run("help", "program", "contnuous");
        assertEquals(2, unknown.code());
        assertEquals("openitb: unknown verb 'contnuous' for 'openitb program'; did you mean 'continuous'? (see 'openitb program --help')",
                unknown.err().strip());
    }

    @Test
    void aMistypedVerbOrOptionGetsTheClosestOneAsASuggestion() {
        String[][] cases = {
            {"bolsu", "openitb: unknown verb 'bolsu' for 'openitb'; did you mean 'bolus'? (see 'openitb --help')"},
            {"prgram", "openitb: unknown verb 'prgram' for 'openitb'; did you mean 'program'? (see 'openitb --help')"},
            {"program continous", "openitb: unknown verb 'continous' for 'openitb program'; did you mean 'continuous'? (see 'openitb program --help')"},
            {"resume --ye", "openitb: Unknown option: '--ye'; did you mean '--yes'? (see 'openitb resume --help')"},
            {"bolus --dsoe 5mcg", "openitb: Unknown option: '--dsoe'; did you mean '--dose'? (see 'openitb bolus --help')"},
            {"xyzzy", "openitb: unknown verb 'xyzzy' for 'openitb' (see 'openitb --help')"},
            // No suggestion is better than a wrong one: picocli's own pick shares only a few letters.
            {"frobnicate", "openitb: unknown verb 'frobnicate' for 'openitb' (see 'openitb --help')"},
            {"status --verbose", "openitb: Unknown option: '--verbose' (see 'openitb status --help')"},
            // An option cut short is still found by its first letters.
            {"bolus --override-soft", "openitb: Unknown option: '--override-soft'; did you mean '--override-soft-limit'? (see 'openitb bolus --help')"},
            {"ack A B", "openitb: unexpected argument 'B' (see 'openitb ack --help')"},
        };
        for (String[] c : cases) {
            Cli r = Cli.run(c[0].split(" "));
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals(c[1], r.err().strip(), c[0]);
        }
    }

    @Test
    void theVerbListGivesEachVerbAWholeSentenceAndEverySimFault() {
        CommandLine cli = new CommandLine(new Main());
        cli.getSubcommands().forEach((name, sub) -> {
            String first = sub.getCommandSpec().usageMessage().description()[0];
            assertTrue(first.endsWith("."), name + ": the list shows only this line, so it must not stop mid-sentence: " + first);
        });
        String sim = String.join(" ", cli.getSubcommands().get("sim").getCommandSpec().usageMessage().description());
        for (String fault : List.of("occlusion", "reservoir-switch", "stall", "chatter", "freeze")) {
            assertTrue(sim.contains(fault), "sim names " + fault + ": " + sim);
        }
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> into) {
        cli.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().name().equals(name)) {
                return; // an alias
            }
            List<String> verb = new ArrayList<>(path);
            verb.add(name);
            into.add(verb);
            collect(sub, verb, into);
        });
    }
}
