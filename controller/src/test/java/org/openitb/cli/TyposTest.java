package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TyposTest {

    private static final List<String> VERBS = List.of("status", "program", "bolus", "patient-bolus", "refill", "prime", "suspend", "resume",
            "history", "sim", "alarms", "ack", "monitor", "calibrate", "bench", "config", "run", "simulate", "help");

    @Test
    void distancesCountedByHand() {
        assertEquals(0, Typos.distance("bolus", "bolus"));
        assertEquals(1, Typos.distance("bolsu", "bolus"), "one swap of neighbours");
        assertEquals(1, Typos.distance("prgram", "program"), "one letter left out");
        assertEquals(1, Typos.distance("contnuous", "continuous"));
        assertEquals(3, Typos.distance("kitten", "sitting"));
        assertEquals(5, Typos.distance("", "bolus"));
    }

    @Test
    void aTypoFindsTheVerbItWasMeantToBe() {
        assertEquals(Optional.of("bolus"), Typos.closest("bolsu", VERBS));
        assertEquals(Optional.of("program"), Typos.closest("prgram", VERBS));
        assertEquals(Optional.of("status"), Typos.closest("staus", VERBS));
        assertEquals(Optional.of("alarms"), Typos.closest("alarm", VERBS));
        assertEquals(Optional.of("--dose"), Typos.closest("--dsoe", List.of("--dose", "--over", "--yes", "--config")));
        assertEquals(Optional.of("--yes"), Typos.closest("--ye", List.of("--dose", "--over", "--yes", "--config")));
    }

    @Test
    void anotherWordIsNotATypo() {
        assertEquals(Optional.empty(), Typos.closest("xyzzy", VERBS));
        assertEquals(Optional.empty(), Typos.closest("stop", VERBS), "stop is not a short run or resume");
        assertEquals(Optional.empty(), Typos.closest("--rate", List.of("--dose", "--over")));
        assertEquals(Optional.empty(), Typos.closest("a".repeat(1000), VERBS));
    }
}
