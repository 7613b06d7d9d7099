# Scenario 6: an upgrade with install.sh to a new jar while the pump delivers (the operator's config
# kept, the service restarted on the new jar, delivery resuming where it was), then
# install.sh --uninstall (the motor left in its safe state, config and state kept) and --purge.
scenario_6_upgrade_uninstall() {
    SCENARIO=6-upgrade
    log "scenario 6: upgrade to a new jar, then uninstall"
    check "delivering before the upgrade" wait_for 30 bash -c "[ \"\$(status_json | jq -r .state)\" = delivering ]"
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
    check "a new process runs" bash -c "[ \"\$(systemctl show -p MainPID --value openitb.service)\" != $pid ] && systemctl is-active --quiet openitb.service"
    check "delivery resumes on the new version" wait_for 30 bash -c "[ \"\$(status_json | jq -r .state)\" = delivering ]"
    check "the program is kept" bash -c "status_json | jq -e '.mode == \"continuous\" and .rateMcgPerDay == 400' > /dev/null"
    sleep 3
    mark "after"
    trace_take "$rec"
    local tu first
    tu=$(mark_time "$rec" upgrade)
    first=$(rise_times "$rec" $STEP | awk -v t="$tu" -v s="$(journal_mono "Started openitb.service" "$tu")" '$1 > s { print; exit }')
    figure "upgrade -> first pulse on the new version: $(ms_between "$tu" "${first:-$tu}") ms"
    check "the count moved on from $d0" bash -c "[ \$(status_json | jq .deliveredMicrosteps) -gt $d0 ]"
    local id
    for id in $(alarms_json | jq -r '.[] | select(.type == "CONTROLLER_RESTARTED") | .id'); do oitb ack "$id" >/dev/null; done

    SCENARIO=6-uninstall
    rec=$OUT/trace-6u.txt
    trace_start
    mark "uninstall"
    check "install.sh --uninstall" bash -c "$PKG/systemd/install.sh --uninstall > $OUT/uninstall.log 2>&1"
    trace_take "$rec"
    trace_stop
    check "the service is stopped" bash -c "! systemctl is-active --quiet openitb.service"
    check "the unit, the jar and the command are gone" bash -c "[ ! -e /etc/systemd/system/openitb.service ] && [ ! -e /opt/openitb ] && [ ! -e /usr/local/bin/openitb ]"
    check "the config and the pump's state are kept" bash -c "[ -f /etc/openitb/openitb.properties ] && ls /var/lib/openitb/*.db > /dev/null"
    local en st
    en=$(awk -v l=$ENABLE '$2 == l { v = $3 } END { print v }' "$rec")
    st=$(awk -v l=$STEP '$2 == l { v = $3 } END { print v }' "$rec")
    check "the stopping daemon left the motor disabled (last ENABLE write high)" test "${en:-x}" = 1
    check "...and STEP low" test "${st:-0}" = 0
    check "install.sh --uninstall --purge removes config and state" bash -c \
        "$PKG/systemd/install.sh --uninstall --purge >> $OUT/uninstall.log 2>&1 && [ ! -e /etc/openitb ] && [ ! -e /var/lib/openitb ]"
}
