# Scenario 5: a reboot with state kept, then a boot whose wall clock is behind the last run's (a Pi
# without a clock battery restoring a saved time). The program and the counts come back from
# SQLite; CONTROLLER_RESTARTED tells the gap, "at least N" while the kernel says its clock is not
# synchronised (a rebooted Pi's clock is not, until NTP), corrected once it is (VpiClock stands in
# for NTP); a clock an hour behind must not turn into an hour of missed delivery or a withdrawal
# warning once it is set right.
java_tool() { /opt/openitb/jre/bin/java -cp "/opt/openitb/openitb.jar:$G" VpiClock "$@"; }

# The newest restart's event of a type (controller-restarted, or its restart-gap-corrected).
restart_event() {
    restart_events | jq -c --arg t "$1" '(to_entries | map(select(.value.type == "controller-restarted")) | last | .key) as $i
        | .[$i:] | map(select(.type == $t)) | last // empty'
}
export -f restart_event

# The clock set from a time source (VpiClock clears STA_UNSYNC, as an NTP client does): the newest
# restart's gap must be corrected, to between the lower bound it was told as and the test's own
# measure of the reboot. $1 names the case in the figure, $2 ends the check's words. Sets GAP.
gap_corrected() {
    local at_least true_gap ev
    at_least=$(restart_event controller-restarted | jq -r '.details.gapSeconds // -1')
    true_gap=$(( $(date +%s) - $(cat "$OUT/reboot-at") ))
    java_tool sync >> "$OUT/guest.log" 2>&1
    check "once the clock is synchronised, the gap is corrected (restart-gap-corrected)" wait_for 30 bash -c '[ -n "$(restart_event restart-gap-corrected)" ]'
    ev=$(restart_event restart-gap-corrected)
    log "  corrected: $ev"
    GAP=$(echo "$ev" | jq -r '.details.gapSeconds // -1')
    figure "$1: gap told as at least $at_least s, corrected to $GAP s; by the test's own clock the reboot began $true_gap s ago"
    check "the corrected gap is the reboot's length$2 ($at_least <= gap <= $true_gap s)" \
        bash -c "[ $at_least -gt 0 ] && [ $GAP -ge $at_least ] && [ $GAP -le $true_gap ]"
}

scenario_5_before_reboot() {
    SCENARIO=5-reboot
    log "scenario 5: a reboot with state kept"
    check "delivering before the reboot" wait_for 20 delivering
    status_json > "$OUT/status-before-reboot.json"
    date +%s > "$OUT/reboot-at"
    log "  rebooting"
}

# The restart after the boot: waits for the daemon, checks the state came back. $1: what the clock did.
after_boot() {
    check "openitb started at boot (enabled) and answers" wait_for 120 answers
    local ready_s
    ready_s=$(awk -v us="$(unit_prop ExecMainStartTimestampMonotonic)" 'BEGIN { printf "%.1f", us / 1e6 }')
    figure "boot -> openitb started at ${ready_s} s of uptime ($1)"
    local before=$OUT/status-before-reboot.json
    check "the program came back: continuous 400 mcg/day at 50 mcg/mL" bash -c \
        "status_json | jq -e '.mode == \"continuous\" and .rateMcgPerDay == 400 and .concentrationMcgPerMl == 50' > /dev/null"
    check "the microsteps counted before the reboot are kept" bash -c \
        "[ \$(status_json | jq .deliveredMicrosteps) -ge $(jq .deliveredMicrosteps "$before") ]"
    check "the reservoir is kept (no more than before)" bash -c \
        "status_json | jq -e --argjson r $(jq .reservoirMl "$before") '.reservoirMl <= \$r and .reservoirMl > \$r - 0.05' > /dev/null"
    check "CONTROLLER_RESTARTED is raised" wait_for 20 has_alarm CONTROLLER_RESTARTED
    check "delivery resumes" wait_for 30 delivering
}

scenario_5_after_reboot() {
    SCENARIO=5-reboot
    after_boot "the clock from QEMU's RTC, right but not synchronised"
    local ev
    ev=$(restart_event controller-restarted)
    log "  restart: $ev"
    check "the gap is told as not known, at least the uptime (the kernel says the clock is not synchronised)" \
        bash -c "echo '$ev' | jq -e '.details.gapKnown == false' > /dev/null"
    gap_corrected reboot ""
    check "the withdrawal-risk estimate after a reboot of $GAP s is none or elevated" risk_mild
    ack_all CONTROLLER_RESTARTED
}

scenario_5_before_stale_boot() {
    SCENARIO=5-stale-clock
    log "scenario 5: a boot with the wall clock an hour behind the last run"
    status_json > "$OUT/status-before-reboot.json"
    date +%s > "$OUT/reboot-at"
    mkdir -p /var/lib/vpi
    echo $(( $(date +%s) - 3600 )) > /var/lib/vpi/saved-clock
    systemctl enable vpi-stale-clock.service >/dev/null 2>&1
    log "  rebooting with the clock to come back at $(date -u -d "@$(cat /var/lib/vpi/saved-clock)" +%H:%M:%S)"
}

scenario_5_after_stale_boot() {
    SCENARIO=5-stale-clock
    systemctl disable vpi-stale-clock.service >/dev/null 2>&1
    local behind
    behind=$(( $(cat /sys/class/rtc/rtc0/since_epoch) - $(date +%s) ))
    figure "the wall clock booted $behind s behind the RTC (the truth)"
    check "the wall clock is behind the last run's (the boot's premise)" test "$behind" -gt 3000
    after_boot "the clock an hour behind"
    local ev at_least uptime
    ev=$(restart_event controller-restarted)
    log "  restart: $ev"
    at_least=$(echo "$ev" | jq -r '.details.gapSeconds')
    uptime=$(awk '{print int($1)}' /proc/uptime)
    check "the gap is told as unknown: the clock is behind the last heartbeat" bash -c "echo '$ev' | jq -e '.details.gapKnown == false' > /dev/null"
    check "...and at least the time since boot, not zero nor negative ($at_least s, up $uptime s)" bash -c "[ $at_least -gt 0 ] && [ $at_least -le $uptime ]"
    check "the restart alarm says the clock cannot tell the gap" bash -c \
        "alarms_json | jq -e '[.[] | select(.type == \"CONTROLLER_RESTARTED\") | .message] | any(test(\"cannot tell\"))' > /dev/null"
    check "the estimate is not a withdrawal warning for an hour behind (none or elevated)" risk_mild
    # Time comes: the clock is set right (an hour forward) and synchronised.
    date -s "@$(cat /sys/class/rtc/rtc0/since_epoch)" > /dev/null
    gap_corrected "stale clock" ", not an hour more"
    sleep 5
    check "after the clock jumped an hour forward the estimate is still none or elevated" risk_mild
    check "delivery goes on after the clock jump" delivering
    log "  risk: $(status_json | jq -c .withdrawalRisk)"
    ack_all CONTROLLER_RESTARTED
}
