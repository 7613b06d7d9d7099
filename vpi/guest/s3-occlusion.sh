# Scenario 3: an occlusion switch closing on the real input. Delivery halts (no STEP pulse once the
# 20 ms debounce and a sampling allowance have passed), OCCLUSION is raised high, and the LED and
# buzzer lines follow IEC 60601-1-8's high-priority pattern, judged by the standard's ranges (flash
# 1.4-2.8 Hz at 20-60 % duty; bursts of 10 pulses of 75-200 ms; bursts 2.5-15 s apart), not ours.
scenario_3_occlusion() {
    SCENARIO=3-occlusion
    log "scenario 3: occlusion edge on GPIO$OCCLUSION"
    check "delivering before the occlusion" wait_for 20 delivering
    # The buzzer is quiet before the edge: an alarm already sounding (the bench's RESERVOIR_LOW, medium)
    # is acknowledged, so every tone after the edge is the occlusion's and its first burst is judged
    # whole. A high alarm superseding a sounding medium one is Pi4jAnnunciatorTest's, on the pin's edges.
    local id
    for id in $(alarms_json | jq -r '.[] | select(.state == "raised") | .id'); do
        check "silence $id, sounding before the edge" oitb ack "$id"
    done
    check "no alarm sounds before the edge" bash -c "status_json | jq -e '[.activeAlarms[] | select(.state == \"raised\")] | length == 0' > /dev/null"
    local rec=$OUT/trace-3.txt
    trace_start
    stall_probes_start
    sleep 3
    mark "occlusion"
    pull $OCCLUSION up
    local t0 t1
    t0=$(now_ms)
    check "OCCLUSION is raised within 5 s" wait_for 5 has_alarm OCCLUSION
    t1=$(now_ms)
    figure "occlusion edge -> OCCLUSION in status: $(( t1 - t0 )) ms (polled every 0.5 s)"
    check "OCCLUSION is high priority" bash -c "status_json | jq -e '[.activeAlarms[] | select(.type == \"OCCLUSION\") | .priority] | index(\"high\") != null' > /dev/null"
    sleep 20
    mark "end"
    stall_probes_stop
    check "the kernel's record lost no event" trace_take "$rec"

    local te toff after_off
    te=$(mark_time "$rec" occlusion)
    # Halted means the motor rests: ENABLE set inactive (high), and no STEP pulse after that.
    toff=$(awk -v l=$ENABLE -v t="$te" '$2 == l && $1 > t && $3 == 1 { print $1; exit }' "$rec")
    after_off=$(rises_between "$rec" $STEP "${toff:-1e12}")
    figure "occlusion edge -> motor disabled (ENABLE high): $(ms_between "$te" "${toff:-$te}") ms; STEP pulses between: $(rises_between "$rec" $STEP "$te" "${toff:-$te}"), after: $after_off"
    check "the motor is disabled within 1 s of the edge (20 ms debounce; the rest is the emulator's)" \
        awk -v a="$te" -v b="${toff:-1e12}" 'BEGIN { exit !(b - a <= 1.0) }'
    check "no STEP pulse once the motor is disabled" test "$after_off" -eq 0
    check "pulses went out before the edge (it was delivering)" bash -c "[ $(rises_between "$rec" $STEP 0 "$te") -gt 0 ]"

    # The light: period and duty cycle of the LED after the edge.
    local led
    led=$(awk -v l=$LED -v t="$te" '$2 == l && $1 > t {
            if ($3 == 1 && v != 1) { if (r != "") { p = $1 - r; sp += p; np++ } r = $1 }
            if ($3 == 0 && v == 1 && r != "") { on += $1 - r; non++ }
            v = $3 }
        END { if (np == 0 || non == 0) print "0 0 0"; else printf "%.3f %.3f %d\n", 1 / (sp / np), (on / non) / (sp / np), np }' "$rec")
    set -- $led
    figure "LED: flashing at $1 Hz, duty $2 over $3 periods (IEC 60601-1-8 high: 1.4-2.8 Hz, 20-60 %)"
    check "the LED flashes at 1.4-2.8 Hz" awk -v f="$1" 'BEGIN { exit !(f >= 1.4 && f <= 2.8) }'
    check "the LED's duty cycle is 20-60 %" awk -v d="$2" 'BEGIN { exit !(d >= 0.2 && d <= 0.6) }'

    # The sound: tones grouped into bursts (a silence over 1 s separates bursts).
    local tones
    # Only bursts that ended a second before the record did are judged (the last may be cut off);
    # a silence of more than 2 s separates bursts (0.6 s at most inside one, 3 s between).
    local tend
    tend=$(mark_time "$rec" end)
    awk -v l=$BUZZER -v t="$te" '$2 == l && $1 > t {
            if ($3 == 1 && v != 1) r = $1
            if ($3 == 0 && v == 1 && r != "") print r, $1 - r
            v = $3 }' "$rec" > "$OUT/tones-3.txt"
    tones=$(awk -v tend="$tend" '
        BEGIN { nb = 0 }
        { if (prev != "" && $1 - prev > 2.0) { nb++ } if (!(nb in start)) start[nb] = $1
          cnt[nb]++; last[nb] = $1 + $2; prev = $1 + $2 }
        END { full = 0; bad = 0
              for (i = 0; i <= nb; i++) { if (last[i] > tend - 1.0) continue; if (cnt[i] == 10) full++; else bad++ }
              printf "%d %d %.2f\n", full, bad, (nb >= 1) ? start[1] - start[0] : 0 }' "$OUT/tones-3.txt")
    local durations
    durations=$(awk '{ print int($2 * 1000 + 0.5) }' "$OUT/tones-3.txt" | sort -n | awk '{ a[NR] = $1 } END { printf "%d %d %d %d\n", NR, a[1], a[int((NR + 1) / 2)], a[NR] }')
    set -- $tones $durations
    figure "buzzer: $1 complete bursts of 10 tones ($2 other), bursts $3 s apart; $4 tones lasting $5-$7 ms, median $6 ms (IEC high: 10 pulses, 75-200 ms, 2.5-15 s)"
    check "at least two complete bursts of 10 tones in 20 s" test "$1" -ge 2
    check "no burst of another size" test "$2" -eq 0
    check "bursts repeat 2.5-15 s apart" awk -v g="$3" 'BEGIN { exit !(g >= 2.5 && g <= 15) }'
    # Tone lengths are timed by a JVM thread on an emulated CPU: the median must be in the standard's range.
    check "the median tone lasts 75-200 ms" awk -v m="$6" 'BEGIN { exit !(m >= 75 && m <= 200) }'
    # A tone is timed from its own first write: never shorter than the standard's 75 ms. A late wake
    # can only lengthen it: a tone over 200 ms must be explained by a stop of the emulated machine
    # that the stall probe saw during that tone, at least as long as the tone's excess over 200 ms.
    local stalls unexplained
    stalls=$(awk '$2 == "mark" && $3 == "stall" { print $1, $5 }' "$rec")
    unexplained=$(printf '%s\n' "$stalls" | awk -v tones="$OUT/tones-3.txt" '
        NF == 2 { st[++n] = $1; sm[n] = $2 }
        END { while ((getline line < tones) > 0) {
                  split(line, f, " "); ms = f[2] * 1000; if (ms <= 200) continue
                  ok = 0; for (i = 1; i <= n; i++) if (st[i] > f[1] && st[i] <= f[1] + f[2] + 0.05 && sm[i] >= ms - 200) ok = 1
                  if (!ok) printf "%s%.3f s: %d ms", (bad++ ? ", " : ""), f[1], ms }
              print bad + 0 ? "" : "none" }')
    figure "stall probe: $(printf '%s\n' "$stalls" | awk 'NF == 2 { n++; if ($2 > m) m = $2 } END { printf "%d stalls over 20 ms, the longest %d ms", n, m }'); tones over 200 ms it does not explain: $unexplained"
    check "every tone lasts at least 75 ms" test "$5" -ge 75
    check "every tone over 200 ms is explained by a stall of the emulated machine" test "$unexplained" = none

    # Clear it: the switch opens, the alarm (latched) is acknowledged, delivery goes on.
    pull $OCCLUSION down
    sleep 1
    id=$(alarms_json | jq -r '[.[] | select(.type == "OCCLUSION")][0].id')
    check "acknowledge OCCLUSION ($id)" oitb ack "$id"
    check "OCCLUSION clears once acknowledged with the switch open" wait_for 10 bash -c "! has_alarm OCCLUSION"
    check "delivery goes on after the occlusion" wait_for 20 delivering
}
