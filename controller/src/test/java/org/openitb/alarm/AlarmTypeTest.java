package org.openitb.alarm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlarmTypeTest {

    @Test
    void everyAlarmTellsTheWatcherWhatToDoInOneShortLine() {
        for (AlarmType t : AlarmType.values()) {
            String action = t.action();
            assertTrue(!action.isBlank() && action.length() <= 120 && action.indexOf('\n') < 0, t + ": " + action);
            assertTrue(Character.isLowerCase(action.charAt(0)) && !action.endsWith("."), t + " reads on after a separator: " + action);
        }
        assertTrue(AlarmType.OCCLUSION.action().contains("kink") && AlarmType.OCCLUSION.action().contains("clamp"));
    }
}
