package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.Volume;

/** A refill's residual against the pump's count, with the example config's margin of 0.5 mL, by hand. */
class RefillCheckTest {

    private static final Volume MARGIN = Volume.parse("0.5mL");

    private static Optional<String> residual(String withdrawn, String counted) {
        return RefillCheck.residual(Volume.parse(withdrawn), Optional.of(Volume.parse(counted)), MARGIN);
    }

    @Test
    void withinTheMarginEitherWayIsNoFinding() {
        assertEquals(Optional.empty(), residual("4.5mL", "5mL"));
        assertEquals(Optional.empty(), residual("5.5mL", "5mL"));
    }

    @Test
    void lessLeftThanCountedIsALeakOrAnEarlierShortFill() {
        assertEquals(Optional.of("withdrew 4.499mL where the pump counted 5.000mL left: 0.501mL less (a leak, or less filled last time"
                + " than recorded?); the margin is 0.5mL (reservoir.discrepancy-margin)"), residual("4.499mL", "5mL"));
    }

    @Test
    void moreLeftThanCountedIsAnOverfillOrDeliveryThatDidNotHappen() {
        assertEquals(Optional.of("withdrew 8mL where the pump counted 5.000mL left: 3.000mL more (more filled last time than recorded,"
                + " or delivery that did not happen?); the margin is 0.5mL (reservoir.discrepancy-margin)"), residual("8mL", "5mL"));
    }

    @Test
    void aFirstRefillHasNothingToCompareWith() {
        assertEquals(Optional.empty(), RefillCheck.residual(Volume.parse("8mL"), Optional.empty(), MARGIN));
    }
}
