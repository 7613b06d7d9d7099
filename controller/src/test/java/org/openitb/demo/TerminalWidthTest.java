package org.openitb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TerminalWidthTest {

    private static final List<String> PARTS = List.of("[10:42:07] HALTED: occlusion", "continuous 400mcg/day",
            "priming 0.2mL at 1mL/min", "reservoir 4.791mL", "delivered 104.5mcg", "2909 steps");

    @Test
    void onEightyColumnsTheLineNeverWrapsAndLeavesOutWhatMattersLeast() {
        String line = TerminalWidth.fit(PARTS, 80);
        assertTrue(line.length() <= 79, line.length() + ": " + line);
        assertEquals("[10:42:07] HALTED: occlusion | continuous 400mcg/day | priming 0.2mL at 1mL/min", line);
    }

    @Test
    void onTwoHundredColumnsAllOfItIsThere() {
        assertEquals(String.join(" | ", PARTS), TerminalWidth.fit(PARTS, 200));
    }

    @Test
    void aPartThatDoesNotFitIsLeftOutAndASmallerOneAfterItMayStillFit() {
        assertEquals("[10:42:07] HALTED: occlusion | continuous 400mcg/day | 2909 steps",
                TerminalWidth.fit(List.of(PARTS.get(0), PARTS.get(1), "x".repeat(40), PARTS.get(5)), 70));
    }

    @Test
    void onATinyTerminalTheFirstPartIsCutShortNotDropped() {
        String line = TerminalWidth.fit(PARTS, 10);
        assertEquals(TerminalWidth.MIN_COLUMNS - 1, line.length(), line);
        assertTrue(line.startsWith("[10:42:07] HALTE") && line.endsWith("..."), line);
    }

    @Test
    void aLongLineOfTheStoryBreaksAtWordsAndItsFollowingLinesAreIndented() {
        String text = "  ALARM OCC-MX7IJXEE OCCLUSION (high): occlusion: the catheter pressure switch tripped; delivery halted until it clears";
        List<String> lines = TerminalWidth.wrap(text, 60);
        assertEquals(List.of("  ALARM OCC-MX7IJXEE OCCLUSION (high): occlusion: the", "     catheter pressure switch tripped; delivery halted",
                "     until it clears"), lines);
        assertEquals(List.of("short"), TerminalWidth.wrap("short", 80));
        assertTrue(TerminalWidth.wrap("x".repeat(50), 20).stream().allMatch(l -> l.length() <= 19), "a word longer than a line is cut");
    }

    @Test
    void aColumnCountIsReadOnlyWhenItIsOne() {
        assertEquals(OptionalInt.of(80), TerminalWidth.parse("80"));
        assertEquals(OptionalInt.of(200), TerminalWidth.parse(" 200\n"));
        assertEquals(OptionalInt.of(TerminalWidth.MIN_COLUMNS), TerminalWidth.parse("5"));
        assertEquals(OptionalInt.empty(), TerminalWidth.parse("0"));
        assertEquals(OptionalInt.empty(), TerminalWidth.parse("wide"));
        assertEquals(OptionalInt.empty(), TerminalWidth.parse(null));
    }
}
