# Scenario 1: install.sh on a fresh Pi, the bench's wiring in the config, start, READY=1; the
# hardened unit's rating, and the sandbox letting the JVM, Pi4J's gpiod plugin, sd_notify and SQLite work.
scenario_1_install() {
    SCENARIO=1-install
    log "scenario 1: install.sh, start, READY=1, the sandbox"
    # What the image does at boot on every run: the Pi's GPIO chip exists before the pump starts.
    install -d /usr/local/lib/vpi
    install -m 0644 $G/lib.sh /usr/local/lib/vpi/lib.sh
    install -m 0755 $G/gpio-up.sh $G/stale-clock.sh /usr/local/lib/vpi/
    install -m 0644 $G/vpi-gpio.service $G/vpi-stale-clock.service /etc/systemd/system/
    systemctl enable vpi-gpio.service >/dev/null 2>&1
    /usr/local/lib/vpi/gpio-up.sh

    local t0 t1
    t0=$(now_ms)
    check "install.sh installs (--no-start)" bash -c "$PKG/systemd/install.sh --jar $PKG/openitb.jar --no-start > $OUT/install.log 2>&1"
    t1=$(now_ms)
    figure "install.sh (with its class-data-sharing run) took $(( (t1 - t0) / 1000 )) s"
    check "the class-data-sharing archive was written" test -s /var/cache/openitb/openitb.jsa
    check "the user openitb is in the gpio group" bash -c "id -nG openitb | grep -qw gpio"
    check "/dev/$CHIP belongs to the gpio group" bash -c "[ \"\$(stat -c %G /dev/$CHIP)\" = gpio ]"

    # The operator's one edit for this bench: its switches are not wired through a supply pin (no
    # self-test), and the reservoir switch's pull is external.
    sed -i -e 's/^sensors\.supply-pin *=.*/sensors.supply-pin =/' \
        -e 's/^\(sensor\.[a-z-]*\.self-test\) *=.*/\1 = false/' \
        -e 's/^sensor\.reservoir-low\.pull *=.*/sensor.reservoir-low.pull = off/' /etc/openitb/openitb.properties
    check "the edited config passes 'openitb config check'" oitb config check --config /etc/openitb/openitb.properties
    cp /etc/openitb/openitb.properties /var/lib/vpi-config.properties

    t0=$(now_ms)
    check "systemctl start returns once READY=1 came" systemctl start openitb.service
    t1=$(now_ms)
    figure "systemctl start -> READY=1: $(( t1 - t0 )) ms (Type=notify: start returns at READY=1)"
    check "the unit is active" active
    check "its status text came through sd_notify" bash -c "[ -n \"\$(unit_prop StatusText)\" ]"
    log "  StatusText: $(unit_prop StatusText)"
    check "the control socket answers" answers
    check "the command line reads it too (openitb status --json)" bash -c "oitb status --json | jq -e '.pumpId == \"bench-01\"' > /dev/null"
    local pet0 pet1
    pet0=$(unit_prop WatchdogTimestampMonotonic)
    sleep 7
    pet1=$(unit_prop WatchdogTimestampMonotonic)
    check "WATCHDOG=1 keeps coming (the watchdog timestamp moved in 7 s)" test "$pet1" != "$pet0"

    # Pi4J's gpiod plugin claimed the lines through the kernel.
    gpioinfo -c "$CHIP" > "$OUT/gpioinfo.txt" 2>&1 || gpioinfo "$CHIP" > "$OUT/gpioinfo.txt" 2>&1
    local line
    for line in $STEP $DIR $ENABLE $BUZZER $LED; do
        check "GPIO$line is an output held by the daemon" bash -c "grep -E '^[[:space:]]*line[[:space:]]+$line:' $OUT/gpioinfo.txt | grep -q output"
    done
    for line in $OCCLUSION $RESERVOIR_LOW $END_OF_TRAVEL $STALL; do
        check "GPIO$line is an input held by the daemon" bash -c "grep -E '^[[:space:]]*line[[:space:]]+$line:' $OUT/gpioinfo.txt | grep -q consumer"
    done
    check "SQLite's database is in /var/lib/openitb" bash -c "ls /var/lib/openitb/*.db >/dev/null 2>&1"
    check "the inputs read their resting levels through the kernel (no sensor, stall, occlusion, end-of-travel or low alarm)" bash -c \
        "status_json | jq -e '[.activeAlarms[].type] - [\"SENSOR_FAULT\", \"MOTOR_STALL\", \"OCCLUSION\", \"END_OF_TRAVEL\", \"RESERVOIR_LOW\"] == [.activeAlarms[].type]' > /dev/null"
    log "  alarms at rest: $(status_json | jq -c '[.activeAlarms[].type]')"

    # The sandbox: nothing was refused (a syscall filter's EPERM, a device's access denied).
    journalctl -u openitb.service -b --no-pager > "$OUT/journal-1.txt"
    check "the journal shows no refused call or device" bash -c "! grep -E -i 'operation not permitted|permission denied|SIGSYS|bad system call|EPERM|EACCES|errno [0-9]+|refused' $OUT/journal-1.txt"
    check "the dose loop got its real-time priority (SCHED_FIFO under LimitRTPRIO)" grep -q 'SCHED_FIFO priority' "$OUT/journal-1.txt"
    systemd-analyze security openitb.service --no-pager > "$OUT/security.txt" 2>&1
    local exposure
    exposure=$(sed -n 's/.*Overall exposure level for openitb.service: \([0-9.]*\).*/\1/p' "$OUT/security.txt")
    figure "systemd-analyze security: exposure $exposure (0 safest, 10 unsafe)"
    check "systemd-analyze security rates the unit 2.1 or lower (ServiceUnitTest's bound)" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.1) }'
}
