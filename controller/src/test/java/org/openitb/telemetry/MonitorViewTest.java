package org.openitb.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openitb.alarm.AlarmType;
import org.openitb.clock.SimulatedClock;

/** The caregiver's view, fed messages by hand on a simulated clock. */
class MonitorViewTest {

    private final SimulatedClock clock = SimulatedClock.utc();
    private final MonitorView view = new MonitorView("bench-01", clock);

    private List<MonitorView.Line> on(String topic, String payload) {
        return view.message("openitb/bench-01/" + topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    private static String alarm(String id, long seq, String type, String priority, String state) {
        return "{\"id\":\"" + id + "." + seq + "\",\"alarmId\":\"" + id + "\",\"seq\":" + seq + ",\"pumpId\":\"bench-01\",\"type\":\"" + type
                + "\",\"priority\":\"" + priority + "\",\"state\":\"" + state + "\",\"message\":\"m\",\"acknowledgedBy\":null,"
                + "\"risk\":{\"level\":\"elevated\",\"etaNextLevelMinutes\":42}}";
    }

    @Test
    void aPumpNeverHeardFromIsSaidWithinSecondsWithThePumpsTheBrokerKnows() {
        MonitorView wrong = new MonitorView("bench-2", clock);
        wrong.connection(true, "tcp://127.0.0.1:1883");
        wrong.message("openitb/bench-02/status", "online".getBytes(StandardCharsets.UTF_8), true);
        wrong.message("openitb/bench-01/status", "offline".getBytes(StandardCharsets.UTF_8), true);
        wrong.message("openitb/bench-02/state", "{}".getBytes(StandardCharsets.UTF_8), true); // another pump's state is not ours
        clock.advance(Duration.ofMillis(4_900));
        assertEquals(List.of(), wrong.tick(), "not yet");
        clock.advance(Duration.ofMillis(100));
        List<MonitorView.Line> said = wrong.tick();
        assertEquals(1, said.size());
        assertEquals("WARNING: nothing heard from pump bench-2 in 5 s on this broker (a pump that ever ran leaves its status here):"
                + " check --pump; the pumps known here: bench-01, bench-02", said.get(0).text());
        assertEquals("unheard", said.get(0).json().get("kind").getAsString());
        assertEquals(2, said.get(0).json().getAsJsonArray("knownPumps").size());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of(), wrong.tick(), "said once");

        view.connection(true, "tcp://127.0.0.1:1883");
        on("status", "online");
        clock.advance(Duration.ofSeconds(6));
        assertTrue(view.tick().stream().noneMatch(l -> l.json().get("kind").getAsString().equals("unheard")), "a pump heard from is not");
    }

    @Test
    void alarmsAreShownHighestFirstWithTheRiskAndLeaveWhenCleared() {
        on("alarm", alarm("RES-1", 1, "RESERVOIR_LOW", "medium", "raised"));
        List<MonitorView.Line> lines = on("alarm", alarm("OCC-1", 2, "OCCLUSION", "high", "raised"));
        assertTrue(lines.get(0).text().startsWith("bench-01 ALARM HIGH OCCLUSION raised [OCC-1]"), "the pump named: " + lines.get(0).text());
        assertTrue(lines.get(0).text().endsWith(" | TO DO: check the catheter line for a kink or a closed clamp, then acknowledge"),
                lines.get(0).text());
        assertEquals(AlarmType.OCCLUSION.action(), lines.get(0).json().get("action").getAsString());
        assertTrue(lines.get(0).text().contains("withdrawal risk elevated (estimate, next level in ~42 min"), lines.get(0).text());
        String summary = lines.get(1).text();
        assertTrue(summary.indexOf("HIGH OCCLUSION") < summary.indexOf("MEDIUM RESERVOIR_LOW"), summary);
        List<MonitorView.Line> cleared = on("alarm", alarm("OCC-1", 3, "OCCLUSION", "high", "cleared"));
        assertTrue(!cleared.get(0).text().contains("TO DO") && !cleared.get(0).json().has("action"), "nothing to do once cleared");
        assertEquals(1, view.summary().json().getAsJsonArray("alarms").size());
        assertEquals("alarm", lines.get(0).json().get("kind").getAsString());
        assertTrue(on("alarm", alarm("NEW-1", 4, "SOMETHING_NEWER", "high", "raised")).get(0).text().startsWith("bench-01 ALARM HIGH SOMETHING_NEWER"),
                "a type this monitor does not know is still shown, without an action");
    }

    @Test
    void aSkippedSeqIsAWarningAndARepublishedMessageIsDropped() {
        on("alarm", alarm("OCC-1", 1, "OCCLUSION", "high", "raised"));
        assertEquals(List.of(), on("alarm", alarm("OCC-1", 1, "OCCLUSION", "high", "raised")), "a duplicate (same id) shows nothing");
        List<MonitorView.Line> lines = on("alarm", alarm("OCC-1", 4, "OCCLUSION", "high", "acknowledged"));
        assertEquals("gap", lines.get(0).json().get("kind").getAsString());
        assertEquals(2, lines.get(0).json().get("missed").getAsLong());
        assertTrue(lines.get(0).text().startsWith("WARNING: bench-01: missed 2 alarm message(s): seq went from 1 to 4"), lines.get(0).text());
        assertEquals("bench-01", lines.get(0).json().get("pumpId").getAsString(), "every line names its pump");
    }

    @Test
    void aStateQuietForTwiceItsPeriodIsStaleOnceUntilItComesBack() {
        on("state", "{\"at\":\"2026-01-05T00:00:00Z\",\"activeAlarms\":[],\"withdrawalRisk\":{\"level\":\"none\"},\"stateEverySeconds\":60}");
        clock.advance(Duration.ofSeconds(129));
        assertEquals(List.of(), view.tick());
        clock.advance(Duration.ofSeconds(2));
        List<MonitorView.Line> stale = view.tick();
        assertEquals("stale", stale.get(0).json().get("kind").getAsString());
        assertTrue(stale.get(0).text().contains("it publishes every 60 s"), stale.get(0).text());
        assertEquals(List.of(), view.tick(), "warned once");
        List<MonitorView.Line> back = on("state", "{\"at\":\"2026-01-05T00:03:00Z\",\"activeAlarms\":[],\"withdrawalRisk\":{\"level\":\"none\"}}");
        assertEquals("fresh", back.get(0).json().get("kind").getAsString());
    }

    @Test
    void offlineAndOnlineSayForHowLong() {
        view.message("openitb/bench-01/status", "online".getBytes(StandardCharsets.UTF_8), true);
        clock.advance(Duration.ofMinutes(5));
        List<MonitorView.Line> off = on("status", "offline");
        assertTrue(off.get(0).text().startsWith("bench-01 OFFLINE"), off.get(0).text());
        clock.advance(Duration.ofSeconds(200));
        List<MonitorView.Line> on = on("status", "online");
        assertEquals(200, on.get(0).json().get("offlineForSeconds").getAsLong());
        assertTrue(on.get(0).text().contains("ONLINE again after 3 min offline"), on.get(0).text());
    }

    @Test
    void theStateTellsALateMonitorWhichAlarmsAreOpen() {
        List<MonitorView.Line> lines = on("state", "{\"at\":\"2026-01-05T00:00:00Z\",\"withdrawalRisk\":{\"level\":\"high\",\"etaNextLevelMinutes\":10},"
                + "\"activeAlarms\":[{\"id\":\"OCC-9\",\"type\":\"OCCLUSION\",\"priority\":\"high\",\"state\":\"raised\"}]}");
        assertTrue(lines.get(0).text().contains("HIGH OCCLUSION raised [OCC-9]"), lines.get(0).text());
        assertTrue(lines.get(0).text().contains("withdrawal risk high"), lines.get(0).text());
    }

    @Test
    void theSummaryAfterAnEscalationGivesTheRiskTheAlarmCarriesNotTheLastStates() {
        on("state", "{\"at\":\"2026-01-05T00:00:00Z\",\"withdrawalRisk\":{\"level\":\"elevated\"},"
                + "\"activeAlarms\":[{\"id\":\"SUS-1\",\"type\":\"SUSPENDED_TOO_LONG\",\"priority\":\"medium\",\"state\":\"raised\"}]}");
        List<MonitorView.Line> lines = on("alarm", "{\"id\":\"SUS-1.2\",\"alarmId\":\"SUS-1\",\"seq\":2,\"type\":\"SUSPENDED_TOO_LONG\","
                + "\"priority\":\"high\",\"state\":\"raised\",\"transition\":\"escalated\",\"at\":\"2026-01-05T00:00:30Z\","
                + "\"message\":\"m\",\"risk\":{\"level\":\"critical\"}}");
        String summary = lines.get(1).text();
        assertTrue(summary.endsWith("| withdrawal risk critical (estimate)"), "the escalation's level at once, not the state's: " + summary);
        assertEquals("critical", lines.get(1).json().getAsJsonObject("withdrawalRisk").get("level").getAsString());
        // A state older than the alarm, arriving after it (a retained one, say), does not take the level back.
        on("state", "{\"at\":\"2026-01-05T00:00:10Z\",\"withdrawalRisk\":{\"level\":\"elevated\"},"
                + "\"activeAlarms\":[{\"id\":\"SUS-1\",\"type\":\"SUSPENDED_TOO_LONG\",\"priority\":\"high\",\"state\":\"raised\"}]}");
        assertTrue(view.summary().text().endsWith("| withdrawal risk critical (estimate)"), view.summary().text());
        // A newer state that says the level moved is shown, alarms unchanged or not.
        List<MonitorView.Line> moved = on("state", "{\"at\":\"2026-01-05T00:01:00Z\",\"withdrawalRisk\":{\"level\":\"high\"},"
                + "\"activeAlarms\":[{\"id\":\"SUS-1\",\"type\":\"SUSPENDED_TOO_LONG\",\"priority\":\"high\",\"state\":\"raised\"}]}");
        assertTrue(moved.get(0).text().endsWith("| withdrawal risk high (estimate)"), moved.toString());
    }

    @Test
    void garbageOnATopicIsAWarningNotACrash() {
        List<MonitorView.Line> lines = on("alarm", "not json");
        assertEquals("warning", lines.get(0).json().get("kind").getAsString());
        assertEquals("warning", on("alarm", "{\"seq\":1}").get(0).json().get("kind").getAsString());
    }
}
