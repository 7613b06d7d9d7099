# Helpers of the virtual Pi's scenarios (sourced by runner.sh and the scenarios, inside the guest).
# shellcheck shell=bash
OUT=${OUT:-/share/out}
PKG=/share/pkg
T=/sys/kernel/tracing
SIM=/sys/kernel/config/gpio-sim/pi

# The bench's wiring, BCM numbers as in config/openitb.properties.
STEP=17 DIR=27 ENABLE=22 OCCLUSION=23 RESERVOIR_LOW=24 END_OF_TRAVEL=25 STALL=16 BUZZER=18 LED=12

now_ms() { date +%s%3N; }
log() { printf '[vpi %6ss] %s\n' "$(awk '{print int($1)}' /proc/uptime)" "$*" | tee -a "$OUT/guest.log" > /dev/console; }

# A check: records PASS or FAIL under the current scenario; a failure makes the verdict fail.
check() { # check "what" command...
    local what=$1; shift
    if "$@"; then
        printf 'PASS %s: %s\n' "$SCENARIO" "$what" >> "$OUT/checks"
        log "  ok   $what"
    else
        printf 'FAIL %s: %s\n' "$SCENARIO" "$what" >> "$OUT/checks"
        log "  FAIL $what"
    fi
}
# A measured figure, printed by the host with the verdict and kept for the README.
figure() { printf '%s: %s\n' "$SCENARIO" "$*" >> "$OUT/figures"; log "  figure $*"; }

oitb() { /usr/local/bin/openitb "$@"; }
# Reads go straight to the control socket (one JSON line each way, as the CLI sends them): a client
# JVM takes seconds to start under emulation, which would blur every latency measured here.
# Therapy changes and acknowledgements go through the CLI, as an operator's would.
SOCK=/run/openitb/control.sock
ctl() { # verb [jq object of more fields]
    jq -cn --arg v "$1" "{v: 1, verb: \$v} + ${2:-{\}}" | socat -t 10 -T 10 - "UNIX-CONNECT:$SOCK" 2>/dev/null
}
status_json() { ctl status | jq -c '.status // empty' 2>/dev/null; }
alarms_json() { ctl alarms | jq -c '.alarms // []' 2>/dev/null; }
history_json() { ctl history '{limit: 1000}' | jq -c '.history // []' 2>/dev/null; }
field() { status_json | jq -r "$1"; }

# Waits up to $1 seconds for a command to succeed; returns its status.
wait_for() {
    local limit=$1; shift
    local end=$(( $(date +%s) + limit ))
    until "$@"; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.5
    done
}
active() { systemctl is-active --quiet openitb.service; }
answers() { status_json | jq -e '.pumpId' >/dev/null 2>&1; }
has_alarm() { status_json | jq -e --arg t "$1" '[.activeAlarms[] | select(.type == $t)] | length > 0' >/dev/null 2>&1; }

# ---------------------------------------------------------------- gpio-sim
# One simulated bank labelled as a Raspberry Pi 4's SoC GPIO (pinctrl-bcm2711, 58 lines named
# GPIO0..GPIO57), which is the chip Pi4J's gpiod provider looks for; offsets are BCM numbers.
gpio_sim_up() {
    modprobe gpio-sim
    mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
    if [ ! -d "$SIM" ]; then
        mkdir -p "$SIM/bank0"
        echo 58 > "$SIM/bank0/num_lines"
        echo pinctrl-bcm2711 > "$SIM/bank0/label"
        local n
        for n in $(seq 0 57); do mkdir -p "$SIM/bank0/line$n"; echo "GPIO$n" > "$SIM/bank0/line$n/name"; done
        echo 1 > "$SIM/live"
    fi
    CHIP=$(cat "$SIM/bank0/chip_name")
    SIMDEV=$(cat "$SIM/dev_name")
    udevadm settle
    BASE=$(sed -n "s/^$CHIP: GPIOs \([0-9]*\)-.*/\1/p" /sys/kernel/debug/gpio)
    [ -n "$BASE" ] || { log "no base for $CHIP in /sys/kernel/debug/gpio"; return 1; }
}
# Drives an input as the wire would: pull up (high) or down (low).
pull() { echo "pull-$2" > "/sys/devices/platform/$SIMDEV/$CHIP/sim_gpio$1/pull"; }
# What an output line is driving now (0 or 1).
line_value() { cat "/sys/devices/platform/$SIMDEV/$CHIP/sim_gpio$1/value"; }

# ---------------------------------------------------------------- the kernel's record of every line set
trace_start() {
    echo 0 > "$T/tracing_on"
    echo 16384 > "$T/buffer_size_kb"
    echo mono > "$T/trace_clock"
    # Reading the record must not pause it (events would be lost while it is read).
    [ -e "$T/options/pause-on-trace" ] && echo 0 > "$T/options/pause-on-trace"
    echo "gpio >= $BASE && gpio < $((BASE + 58)) && get == 0" > "$T/events/gpio/gpio_value/filter"
    echo 1 > "$T/events/gpio/gpio_value/enable"
    echo > "$T/trace"
    echo 1 > "$T/tracing_on"
}
# A mark of the test's own in the same record (and on the same clock) as the line sets.
mark() { echo "vpi $*" > "$T/trace_marker"; }
# Writes the record so far as "seconds line value" (line as a BCM number) and "seconds mark TEXT",
# oldest first; fails if the kernel dropped any event (a full buffer).
trace_take() { # $1 file
    awk -v base="$BASE" '
        /gpio_value:/ { for (i = 1; i <= NF; i++) if ($i == "gpio_value:") { t = $(i - 1); sub(":", "", t); print t, $(i + 1) - base, $(i + 3) } }
        /tracing_mark_write: vpi / { for (i = 1; i <= NF; i++) if ($i == "tracing_mark_write:") { t = $(i - 1); sub(":", "", t); m = ""; for (j = i + 2; j <= NF; j++) m = m (m == "" ? "" : " ") $j; print t, "mark", m } }
        ' "$T/trace" > "$1"
    local lost
    lost=$(cat "$T"/per_cpu/cpu*/stats | awk '/^(overrun|dropped events):/ {n += $NF} END {print n + 0}')
    [ "$lost" -eq 0 ] || { log "the trace lost $lost events"; return 1; }
}
# A probe of the guest's own wakes, one per vCPU, in the same record as the lines: it sleeps 20 ms
# at a time and marks every wake that came more than 20 ms late ("vpi stall cpuN MS", stamped when
# it woke). The emulator's vCPUs stop when the host is busy; a late write that such a stop explains
# is the host's, one the probe did not see is ours.
stall_probe() { # cpu
    local fd prev now over
    exec {fd}<> <(:)
    prev=${EPOCHREALTIME/./}
    while :; do
        read -rt 0.02 -u "$fd"
        now=${EPOCHREALTIME/./}
        over=$(( now - prev - 20000 ))
        [ "$over" -gt 20000 ] && echo "vpi stall cpu$1 $(( over / 1000 ))" > "$T/trace_marker"
        prev=$now
    done
}
STALL_PROBES=()
stall_probes_start() { local c; for c in $(seq 0 $(( $(nproc) - 1 ))); do taskset -c "$c" bash -c "$(declare -f stall_probe); T=$T; stall_probe $c" & STALL_PROBES+=($!); done; }
stall_probes_stop() { kill "${STALL_PROBES[@]}" 2>/dev/null; wait "${STALL_PROBES[@]}" 2>/dev/null; STALL_PROBES=(); }
trace_stop() { echo 0 > "$T/tracing_on"; echo 0 > "$T/events/gpio/gpio_value/enable"; }
# The time of the first mark whose text starts with $2.
mark_time() { awk -v m="$2" '$2 == "mark" && index(substr($0, index($0, "mark ") + 5), m) == 1 { print $1; exit }' "$1"; }
# The number of rising edges of a line in a record (sets to the value it has are not edges).
rises() { # file line
    awk -v l="$2" '$2 == l { if ($3 == 1 && prev != 1) n++; prev = $3 } END { print n + 0 }' "$1"
}
# The times of a line's rising edges, one per line.
rise_times() { awk -v l="$2" '$2 == l { if ($3 == 1 && prev != 1) print $1; prev = $3 }' "$1"; }
# Rising edges of a line after time $3 (and up to $4 if given).
rises_between() {
    rise_times "$1" "$2" | awk -v a="$3" -v b="${4:-1e12}" '$1 > a && $1 <= b { n++ } END { print n + 0 }'
}
# Pairs of consecutive rising edges of a line closer than $3 s, among those after $4 (and before $5 if given).
close_rises() {
    rise_times "$1" "$2" | awk -v d="$3" -v a="$4" -v b="${5:-1e12}" '$1 > a && $1 < b { if (p != "" && $1 - p < d) n++; p = $1 } END { print n + 0 }'
}
# Milliseconds from time $1 to time $2 (seconds).
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d\n", (b - a) * 1000 }'; }
# The monotonic time (s, as the trace and the journal's monotonic stamps keep it) of the newest
# journal line of the unit matching a pattern, after a given monotonic time.
journal_mono() { # pattern after_s
    journalctl -q -b -o short-monotonic --no-pager | awk -v p="$1" -v a="$2" '
        index($0, p) && match($0, /\[ *[0-9]+\.[0-9]+\]/) { t = substr($0, RSTART + 1, RLENGTH - 2) + 0; if (t > a + 0) { print t; exit } }'
}
unit_prop() { systemctl show -p "$1" --value openitb.service; }
# The pump is delivering (not idle, suspended or halted).
delivering() { [ "$(status_json | jq -r .state)" = delivering ]; }
# The withdrawal-risk estimate is at most elevated.
risk_mild() { status_json | jq -e '.withdrawalRisk.level == "none" or .withdrawalRisk.level == "elevated"' > /dev/null; }
# systemd runs a main process other than $1, and the unit is active (READY=1 came).
replaced() { local p; p=$(unit_prop MainPID); [ "$p" != 0 ] && [ "$p" != "$1" ] && active; }
# Acknowledges every open alarm of a type.
ack_all() { local id; for id in $(alarms_json | jq -r --arg t "$1" '.[] | select(.type == $t) | .id'); do oitb ack "$id" > /dev/null; done; }

export OUT PKG T SIM SOCK
export -f log oitb ctl status_json alarms_json history_json field answers active has_alarm unit_prop delivering risk_mild replaced
# The journal's controller-restarted and restart-gap-corrected events, oldest first, as a JSON list.
restart_events() {
    history_json | jq '[.[] | select(.type == "controller-restarted" or .type == "restart-gap-corrected")]'
}
export -f restart_events
