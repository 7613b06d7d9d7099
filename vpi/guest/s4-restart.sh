# Scenario 4: the JVM killed (kill -9) and hung (SIGSTOP) under systemd. A kill: systemd restarts it
# (RestartSec=1s), READY=1 comes back, delivery resumes, CONTROLLER_RESTARTED is raised, and the
# microsteps the restarted daemon counts cover every pulse the kernel saw (the write-ahead mark:
# never fewer, and more only by the uncertainty it reports). A hang: the systemd watchdog
# (WatchdogSec=10s) fires, SIGQUIT then SIGKILL (TimeoutAbortSec=3s), a new process starts and
# its first act on the pins is the safe state: ENABLE inactive (high) before anything else.
scenario_4_restart_and_hang() {
    SCENARIO=4-kill
    log "scenario 4: kill -9 and SIGSTOP of the JVM"
    local rec=$OUT/trace-4a.txt pid d0 d2 restarts0
    check "delivering before the kill" wait_for 20 delivering
    restarts0=$(unit_prop NRestarts)
    pid=$(unit_prop MainPID)
    trace_start
    # The count is read between two marks: pulses after the second were certainly not in it, pulses
    # after the first may have been.
    mark "before-d0"
    d0=$(field .deliveredMicrosteps)
    mark "d0"
    sleep 5
    mark "kill"
    kill -9 "$pid"
    check "systemd starts a new process and it reaches READY=1 within 90 s (TimeoutStartSec)" \
        wait_for 90 replaced "$pid"
    mark "ready"
    check "systemd counted the restart (NRestarts $restarts0 -> $(unit_prop NRestarts))" test "$(unit_prop NRestarts)" -gt "$restarts0"
    check "CONTROLLER_RESTARTED is raised" wait_for 10 has_alarm CONTROLLER_RESTARTED
    check "delivery resumes after the restart" wait_for 30 delivering
    sleep 5
    mark "suspend"
    check "suspend to count" oitb suspend --yes
    sleep 3
    d2=$(field .deliveredMicrosteps)
    local uncertain
    uncertain=$(restart_events | jq '[.[] | .details.uncertainMicrosteps // 0 | tonumber] | last // 0')
    check "the kernel's record lost no event" trace_take "$rec"
    local tk tr pulses pulses_most first
    tk=$(mark_time "$rec" kill); tr=$(mark_time "$rec" ready)
    pulses=$(rises_between "$rec" $STEP "$(mark_time "$rec" d0)")
    pulses_most=$(rises_between "$rec" $STEP "$(mark_time "$rec" before-d0)")
    first=$(rise_times "$rec" $STEP | awk -v t="$tk" '$1 > t { print; exit }')
    figure "kill -9 -> READY=1 again: $(ms_between "$tk" "$tr") ms (polled every 0.5 s); -> first pulse: $(ms_between "$tk" "${first:-$tk}") ms"
    figure "pulses seen by the kernel after the count was read: $pulses (at most $pulses_most); the daemon's count moved by $(( d2 - d0 )) (uncertainty reported at the restart: $uncertain microsteps)"
    check "the restarted daemon counts every pulse the kernel saw (never fewer: the write-ahead mark)" test $(( d2 - d0 )) -ge "$pulses"
    check "...and more only by the uncertainty it reports" test $(( d2 - d0 )) -le $(( pulses_most + uncertain ))
    # store.max-crash-uncertainty = 20 uL: 20 uL / 71.853 nL = 278.3 microsteps.
    check "the reported uncertainty is within store.max-crash-uncertainty (278 microsteps)" test "$uncertain" -le 278
    # The restart asked the kernel whether the wall clock is synchronised, through the unit's syscall filter.
    check "the restarted daemon could ask whether the wall clock is synchronised (adjtimex passes the syscall filter)" \
        bash -c "! journalctl -u openitb.service -b --no-pager | grep -q 'would not say whether the wall clock'"
    check "resume" oitb resume --yes
    ack_all CONTROLLER_RESTARTED

    SCENARIO=4-hang
    rec=$OUT/trace-4b.txt
    check "delivering before the hang" wait_for 20 delivering
    pid=$(unit_prop MainPID)
    trace_start
    sleep 1
    mark "stop"
    kill -STOP "$pid"
    check "systemd replaces the hung process within 10 s + 3 s + its start (60 s)" \
        wait_for 60 replaced "$pid"
    mark "ready"
    sleep 10
    mark "end"
    check "the kernel's record lost no event" trace_take "$rec"
    local ts twd tkill ten env
    ts=$(mark_time "$rec" stop)
    twd=$(journal_mono "Watchdog timeout" "$ts")
    # SIGQUIT goes at once (the JVM prints its threads and carries on), SIGKILL after TimeoutAbortSec=3s.
    tkill=$(journal_mono "with signal SIGKILL" "${twd:-$ts}")
    # The new process's first write to ENABLE, which must be its inactive level (high).
    local tstart
    tstart=$(journal_mono "Starting openitb.service" "${tkill:-$ts}")
    read -r ten env < <(awk -v l=$ENABLE -v t="${tstart:-$ts}" '$2 == l && $1 > t { print $1, $3; exit }' "$rec")
    # systemd sends SIGCONT with SIGQUIT, so the old process runs again for TimeoutAbortSec before
    # SIGKILL: it must not send the 8 s backlog as a burst (the motor watchdog trips on the late
    # feed, the halt drops the backlog, the retry resumes at the programmed 0.776 s spacing).
    local pulses_frozen burst
    pulses_frozen=$(rises_between "$rec" $STEP "$ts" "${tstart:-1e12}")
    burst=$(close_rises "$rec" $STEP 0.388 "$ts" "${tstart:-1e12}")
    figure "SIGSTOP -> systemd watchdog timeout: $(ms_between "$ts" "${twd:-$ts}") ms (WatchdogSec=10s, pets every 5 s: 5-10 s); -> SIGKILL: $(ms_between "$ts" "${tkill:-$ts}") ms"
    figure "SIGSTOP -> ENABLE driven inactive by the new process: $(ms_between "$ts" "${ten:-$ts}") ms; -> READY=1: $(ms_between "$ts" "$(mark_time "$rec" ready)") ms; pulses from the stop to the new process: $pulses_frozen, of them closer than half the programmed spacing: $burst"
    local tdis
    tdis=$(awk -v l=$ENABLE -v a="${twd:-0}" '$2 == l && $1 > a && $3 == 1 { print $1; exit }' "$rec")
    journalctl -u openitb.service -b --no-pager -o short-monotonic > "$OUT/journal-4b.txt"
    check "the systemd watchdog fired within WatchdogSec (10 s, +0.5) of the stop" awk -v a="$ts" -v b="${twd:-0}" 'BEGIN { d = b - a; exit !(d > 0 && d <= 10.5) }'
    check "SIGKILL followed TimeoutAbortSec (3 s) after the watchdog (2.5-5 s)" awk -v a="${twd:-0}" -v b="${tkill:-1e9}" 'BEGIN { d = b - a; exit !(d >= 2.5 && d <= 5) }'
    check "no burst of backlog steps when the frozen process runs again (none closer than 0.388 s)" test "$burst" -eq 0
    check "the old process, running again, drove ENABLE inactive (motor watchdog) within 1 s of the watchdog's SIGCONT" \
        awk -v a="${twd:-0}" -v b="${tdis:-1e9}" 'BEGIN { exit !(b - a <= 1.0 && b >= a) }'
    figure "systemd watchdog -> old process's ENABLE inactive (its motor watchdog): $(ms_between "${twd:-0}" "${tdis:-0}") ms"
    check "the new process's first ENABLE write is inactive (high, motor off)" test "${env:-x}" = 1
    # The new process delivers what its plan asks from its own start, never the frozen one's backlog:
    # from the moment systemd started it to the end of the record, no more pulses than the 0.776 s
    # spacing allows over that time, plus one.
    local tend new_pulses most
    tend=$(mark_time "$rec" end)
    new_pulses=$(rises_between "$rec" $STEP "${tstart:-1e12}" "$tend")
    most=$(awk -v a="${tstart:-0}" -v b="$tend" 'BEGIN { printf "%d", (b - a) / 0.776 + 1 }')
    local close_new
    close_new=$(close_rises "$rec" $STEP 0.388 "${tstart:-1e12}")
    figure "the new process's pulses from its start to the end of the record: $new_pulses (at most $most by the rate); closer than half the spacing: $close_new (its first pass, late under emulation, catching up its own plan since the restart)"
    check "the new process sends no backlog: at most $most pulses since it started" test "$new_pulses" -le "$most"
    check "CONTROLLER_RESTARTED is raised after the hang" wait_for 10 has_alarm CONTROLLER_RESTARTED
    check "delivery resumes after the hang" wait_for 30 delivering
    ack_all CONTROLLER_RESTARTED
}
