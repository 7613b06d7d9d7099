package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckedTest {

    @Test
    void aCheckEitherRefusesWithAReasonOrAcceptsWithAValue() {
        assertEquals(Optional.of("priming 0mL moves nothing"), Checked.refused("priming 0mL moves nothing").refusal());
        assertEquals(Optional.empty(), Checked.refused("no").value());
        assertEquals(Optional.of(2_783L), Checked.accepted(2_783L).value());
        assertThrows(IllegalArgumentException.class, () -> new Checked<>(Optional.of("no"), Optional.of(1)), "both");
        assertThrows(IllegalArgumentException.class, () -> new Checked<>(Optional.empty(), Optional.empty()), "neither");
    }
}
