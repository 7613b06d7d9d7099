package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class HistoryLineTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static String line(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        return HistoryLine.of(o, PARIS);
    }

    @Test
    void aRefillReadsAsASentenceInTheLocalTime() {
        assertEquals("2026-12-03 08:17:32  refilled by root: concentration 500mcg/mL, volume 20mL",
                line("{\"at\":\"2026-12-03T07:17:32Z\",\"type\":\"refilled\",\"who\":\"root\","
                        + "\"details\":{\"concentration\":\"500mcg/mL\",\"volume\":\"20mL\"}}"));
    }

    @Test
    void nestedProgramsEmptyListsAndNamesThatSayThemselves() {
        assertEquals("2026-12-03 08:18:53  program changed by root: program (mode continuous, rate 400mcg/day, daily dose 400mcg/day)",
                line("{\"at\":\"2026-12-03T07:18:53Z\",\"type\":\"program-changed\",\"who\":\"root\",\"details\":{\"overridden\":[],"
                        + "\"program\":{\"mode\":\"continuous\",\"rate\":\"400mcg/day\",\"dailyDose\":\"400mcg/day\"}}}"));
        assertEquals("2026-12-03 08:20:15  bolus started by root: bolus 5mcg over 10m, kind clinician",
                line("{\"at\":\"2026-12-03T07:20:15Z\",\"type\":\"bolus-started\",\"who\":\"root\","
                        + "\"details\":{\"bolus\":\"bolus 5mcg over 10m\",\"kind\":\"clinician\"}}"));
    }

    @Test
    void anAlarmPutsItsMessageLastAndItsRiskInWords() {
        assertEquals("2026-12-03 08:24:20  alarm raised by pump: id OCC-1, alarm OCCLUSION, priority high, withdrawal risk none,"
                + " next risk level in ~25 min, since 2026-12-03 08:24:19 -- occlusion: the catheter pressure switch tripped",
                line("{\"at\":\"2026-12-03T07:24:20Z\",\"type\":\"alarm-raised\",\"who\":\"pump\",\"details\":{\"id\":\"OCC-1\","
                        + "\"alarm\":\"OCCLUSION\",\"priority\":\"high\",\"message\":\"occlusion: the catheter pressure switch tripped\","
                        + "\"riskLevel\":\"none\",\"etaNextLevelMinutes\":25,\"riskEstimate\":true,\"since\":\"2026-12-03T07:24:19.5Z\","
                        + "\"nothing\":null,\"off\":false}}"));
    }

    @Test
    void aReasonReadsAsItselfNotAsAField() {
        assertEquals("2026-12-03 08:00:00  resumed by timer: timed suspension ended, rate 400mcg/day",
                line("{\"at\":\"2026-12-03T07:00:00Z\",\"type\":\"resumed\",\"who\":\"timer\","
                        + "\"details\":{\"why\":\"timed suspension ended\",\"rate\":\"400mcg/day\"}}"));
    }

    @Test
    void noDetailsNoColon() {
        assertEquals("2026-12-03 08:00:00  resumed by root", line("{\"at\":\"2026-12-03T07:00:00Z\",\"type\":\"resumed\",\"who\":\"root\",\"details\":{}}"));
    }
}
