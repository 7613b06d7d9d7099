package org.openitb.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusJsonTest {

    @Test
    void latenessReadsInTheUnitThatFitsIt() {
        assertEquals("40 us", StatusJson.duration(40));
        assertEquals("999 us", StatusJson.duration(999));
        assertEquals("3.8 ms", StatusJson.duration(3_775));
        assertEquals("272.4 ms", StatusJson.duration(272_400));
        assertEquals("51.6 s", StatusJson.duration(51_642_367), "the issue's p50 of 51642367 us");
        assertEquals("2.0 h", StatusJson.duration(7_200_000_000L));
    }

    @Test
    void oneIsSingular() {
        assertEquals("1 microstep", StatusJson.count(1, "microstep"));
        assertEquals("0 microsteps", StatusJson.count(0, "microstep"));
        assertEquals("278 steps", StatusJson.count(278, "step"));
    }
}
