#!/usr/bin/env bash
# Start-up and restart times of the packaged jar, median of five runs each: JVM start to READY=1
# (with and without the application's CDS archive), kill -9 to READY=1 after a relaunch, and
# kill -9 to the first microstep after it. The runs are StartupTimesIT's (simulate mode, the
# unit's JVM options, a stand-in NOTIFY_SOCKET); this prints its table. Needs a JDK >= 21 and a
# built jar (mvn -B -DskipTests package); JAVA_HOME picks the JDK.
set -euo pipefail
cd "$(dirname "$0")/../controller"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Offline first (a built tree has everything it needs); online if something is missing.
if ! mvn -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=StartupTimesIT >"$log" 2>&1; then
    mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=StartupTimesIT >"$log" 2>&1 || {
        tail -40 "$log" >&2
        exit 1
    }
fi
grep -h -A6 '^Start-up and restart' "$log" \
    || { echo "startup-times: StartupTimesIT printed no table; its output is in $log" >&2; trap - EXIT; exit 1; }
