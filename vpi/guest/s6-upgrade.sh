# Scenario 6: an upgrade with install.sh to a new jar while the pump delivers (the operator's config
# kept, the service restarted on the new jar, delivery resuming where it was), then
# install.sh --uninstall (the motor left in its safe state, config and state kept) and --purge.
scenario_6_upgrade_uninstall() {
    SCENARIO=6-upgrade
    log "scenario 6: upgrade to a new jar, then uninstall"
    check "delivering before the upgrade" wait_for 30 delivering
    local rec=$OUT/trace-6.txt d0 pid cfg t0 t1
    cfg=$(sha256sum < /etc/openitb/openitb.properties)
    pid=$(unit_prop MainPID)
    trace_start
    d0=$(field .deliveredMicrosteps)
    mark "upgrade"
    t0=$(now_ms)
    check "install.sh upgrades to the new jar" bash -c "$PKG/systemd/install.sh --jar $PKG/openitb-next.jar > $OUT/upgrade.log 2>&1"
    t1=$(now_ms)
    figure "install.sh upgrade (new class-data archive, restart) took $(( (t1 - t0) / 1000 )) s"
    check "it said it restarted the pump on the new version" grep -q "restarting openitb on the new version" "$OUT/upgrade.log"
    check "the installed jar is the new one" cmp -s /opt/openitb/openitb.jar "$PKG/openitb-next.jar"
    check "the operator's config is untouched" bash -c "[ \"\$(sha256sum < /etc/openitb/openitb.properties)\" = '$cfg' ]"
    check "the shipped config landed beside it as openitb.properties.new" test -f /etc/openitb/openitb.properties.new
    check "a new process runs" replaced "$pid"
    check "delivery resumes on the new version" wait_for 30 delivering
    check "the program is kept" bash -c "status_json | jq -e '.mode == \"continuous\" and .rateMcgPerDay == 400' > /dev/null"
    sleep 3
    mark "after"
    check "the kernel's record lost no event" trace_take "$rec"
    # The old version delivers while install.sh prepares (class-data archive); the pause in
    # delivery is from its last pulse to the new version's first.
    local tu tstop last first
    tu=$(mark_time "$rec" upgrade)
    tstop=$(journal_mono "Stopping openitb.service" "$tu")
    last=$(rise_times "$rec" $STEP | awk -v s="${tstop:-0}" '$1 < s { t = $1 } END { print t }')
    first=$(rise_times "$rec" $STEP | awk -v s="${tstop:-1e12}" '$1 > s { print; exit }')
    local during expected_during
    during=$(rises_between "$rec" $STEP "$tu" "${tstop:-$tu}")
    expected_during=$(awk -v a="$tu" -v b="${tstop:-$tu}" 'BEGIN { printf "%d", (b - a) / 0.776 }')
    figure "upgrade: the old version delivered $during pulses (by rate: $expected_during) in the $(ms_between "$tu" "${tstop:-$tu}") ms install.sh took before restarting it; no delivery from its last pulse to the new version's first: $(ms_between "${last:-0}" "${first:-0}") ms"
    check "the old version delivered at its rate while install.sh prepared (within 2 pulses)" \
        bash -c "[ -n '$tstop' ] && [ $during -ge $(( expected_during - 2 )) ] && [ $during -le $(( expected_during + 2 )) ]"
    check "the pause in delivery across the upgrade is under 60 s (emulated; the restart's)" \
        bash -c "[ -n '$last' ] && [ -n '$first' ] && awk -v a='${last:-0}' -v b='${first:-1e9}' 'BEGIN { exit !(b - a < 60) }'"
    check "the count moved on from $d0" bash -c "[ \$(status_json | jq .deliveredMicrosteps) -gt $d0 ]"
    ack_all CONTROLLER_RESTARTED

    SCENARIO=6-uninstall
    rec=$OUT/trace-6u.txt
    trace_start
    mark "uninstall"
    check "install.sh --uninstall" bash -c "$PKG/systemd/install.sh --uninstall > $OUT/uninstall.log 2>&1"
    check "the kernel's record lost no event" trace_take "$rec"
    trace_stop
    check "the service is stopped" bash -c "! systemctl is-active --quiet openitb.service"
    check "the unit, the jar and the command are gone" bash -c "[ ! -e /etc/systemd/system/openitb.service ] && [ ! -e /opt/openitb ] && [ ! -e /usr/local/bin/openitb ]"
    check "the config and the pump's state are kept" bash -c "[ -f /etc/openitb/openitb.properties ] && ls /var/lib/openitb/*.db > /dev/null"
    local en st
    en=$(awk -v l=$ENABLE '$2 == l { v = $3 } END { print v }' "$rec")
    # STEP's last level: its last write in the upgrade's record and this one.
    st=$(cat "$OUT/trace-6.txt" "$rec" | awk -v l=$STEP '$2 == l { v = $3 } END { print v }')
    check "the stopping daemon left the motor disabled (last ENABLE write high)" test "${en:-x}" = 1
    check "...and STEP low" test "${st:-unknown}" = 0
    check "install.sh --uninstall --purge removes config and state" bash -c \
        "$PKG/systemd/install.sh --uninstall --purge >> $OUT/uninstall.log 2>&1 && [ ! -e /etc/openitb ] && [ ! -e /var/lib/openitb ]"
}
