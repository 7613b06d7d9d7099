#!/bin/bash
# The virtual Pi's test run, started at every boot by vpi-runner with the host's share at /share.
# Three boots: 1) scenarios 1-4 and the first half of 5; 2) after a reboot with state kept;
# 3) after a boot whose wall clock is behind the last run's, then scenario 6. The phase lives on the
# share (the host's side), so a reboot picks up where the last boot left off.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
G=/share/guest
. $G/lib.sh
phase=$(cat "$OUT/phase" 2>/dev/null || echo 1)
echo poweroff > "$OUT/next"
log "boot $phase: $(uname -r), $(cat /proc/device-tree/model | tr -d '\0'), up $(awk '{print $1}' /proc/uptime) s"
for s in $G/s[0-9]-*.sh; do . "$s"; done
gpio_sim_up

case "$phase" in
    1)
        scenario_1_install
        scenario_2_pulses
        scenario_3_occlusion
        scenario_4_restart_and_hang
        scenario_5_before_reboot
        echo 2 > "$OUT/phase"; echo reboot > "$OUT/next"
        ;;
    2)
        scenario_5_after_reboot
        scenario_5_before_stale_boot
        echo 3 > "$OUT/phase"; echo reboot > "$OUT/next"
        ;;
    3)
        scenario_5_after_stale_boot
        scenario_6_upgrade_uninstall
        echo done > "$OUT/phase"
        ;;
    *) log "nothing to do in phase $phase" ;;
esac
log "boot $phase ends: $(grep -c '^PASS' "$OUT/checks" 2>/dev/null || true) checks passed, $(grep -c '^FAIL' "$OUT/checks" 2>/dev/null || true) failed so far; next: $(cat "$OUT/next")"
