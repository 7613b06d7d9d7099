#!/usr/bin/env bash
# The fault simulator's long mode on every core:
#   fault-simulation.sh [DAYS [PROCESSES [DAYS_PER_SEED]]]   a new run (defaults 10000 days, one
#                                                             process per core, 30 days per seed)
#   fault-simulation.sh resume                                the last run, from where it was stopped
# Each process draws its own seeds from a master seed printed here. A violation stops its process and
# prints the seed with the command that replays it. A run outlasts a working session on a small
# machine, so it can be stopped (kill it, or the machine stops) and resumed at the same commit: the
# seeds that passed are not run again and the run covers exactly the seeds it would have in one go.
# Logs, the run's parameters and its commit stay in controller/target/fault-simulation/; the totals
# are summed from every seed's line. Needs a JDK >= 21 (JAVA_HOME picks it) and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
out=controller/target/fault-simulation
run=$out/run.properties
refuse() { echo "fault-simulation: $1" >&2; exit 2; }
head=$(git describe --always --dirty 2>/dev/null || echo unknown)
if [ "${1:-}" = resume ]; then
    [ $# -eq 1 ] || refuse "resume takes no other argument"
    [ -f "$run" ] || refuse "no run to resume in $out"
    days=$(sed -n 's/^days=\([0-9]*\)$/\1/p' "$run"); procs=$(sed -n 's/^processes=\([0-9]*\)$/\1/p' "$run")
    per_seed=$(sed -n 's/^days-per-seed=\([0-9]*\)$/\1/p' "$run"); master=$(sed -n 's/^master-seed=\([0-9]*\)$/\1/p' "$run")
    commit=$(sed -n 's/^commit=\(.*\)$/\1/p' "$run")
    [ -n "$days" ] && [ -n "$procs" ] && [ -n "$per_seed" ] && [ -n "$master" ] || refuse "$run is not a run this script wrote"
    [ "$commit" = "$head" ] || refuse "the run was started at $commit and this tree is $head; resume it there"
    ! grep -qs '^FAILED' "$out"/process-*.log || refuse "a seed of this run failed (see $out/process-*.log); replay it rather than resume"
else
    days=${1:-10000}
    procs=${2:-$(nproc)}
    per_seed=${3:-30}
    for n in "$days" "$procs" "$per_seed"; do
        [[ "$n" =~ ^[1-9][0-9]*$ ]] || refuse "DAYS, PROCESSES and DAYS_PER_SEED are whole numbers above 0 (or 'resume'), not '$n'"
    done
    master=${FAULT_SIMULATION_SEED:-$RANDOM$RANDOM}
    [[ "$master" =~ ^[0-9]{1,18}$ ]] || refuse "FAULT_SIMULATION_SEED is a whole number, not '$master'"
    mkdir -p "$out"
    rm -f "$out"/process-*.log "$out"/process-*.err
    printf 'days=%s\nprocesses=%s\ndays-per-seed=%s\nmaster-seed=%s\ncommit=%s\n' "$days" "$procs" "$per_seed" "$master" "$head" >"$run"
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
build=$out/build.log
# Offline first (a built tree has everything it needs); online if something is missing.
if ! { mvn -B -q -o install -DskipTests >"$build" 2>&1 && mvn -B -q -o -pl controller dependency:build-classpath \
        -Dmdep.outputFile=target/fault-simulation/classpath -Dmdep.includeScope=test >>"$build" 2>&1; }; then
    { mvn -B -q install -DskipTests >"$build" 2>&1 && mvn -B -q -pl controller dependency:build-classpath \
        -Dmdep.outputFile=target/fault-simulation/classpath -Dmdep.includeScope=test >>"$build" 2>&1; } \
        || { tail -40 "$build" >&2; exit 1; }
fi
# This tree's own drivers, not the copy installed in ~/.m2: a build in another checkout replaces that
# jar, under a running process or between a run and its resume.
deps=$(tr ':' '\n' <"$out/classpath" | grep -v '/org/openitb/openitb-drivers/' | paste -sd: -)
cp="controller/target/test-classes:controller/target/classes:drivers/target/classes:$deps"
echo "fault simulation at $head: $days days in $procs processes, $per_seed days per seed, master seed $master"
share=$(( (days + procs - 1) / procs ))
pids=()
for i in $(seq 1 "$procs"); do
    done_seeds=$(grep -cs '^  seed .*: ok in ' "$out/process-$i.log" || true)
    "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+IgnoreUnrecognizedVMOptions \
        -Dtinylog.configuration=tinylog-test.properties -cp "$cp" org.openitb.sim.LongSimulation "$share" "$per_seed" "$master$i" "${done_seeds:-0}" \
        >>"$out/process-$i.log" 2>>"$out/process-$i.err" &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; echo "fault-simulation: stopped; scripts/fault-simulation.sh resume continues it" >&2; exit 130' INT TERM
failed=0
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done
grep -h '^FAILED' -A16 "$out"/process-*.log || true
# Fields of a seed's line: seed N: DAYS days, C commands (R refused), F faults, S restarts, M microsteps,
# A alarm events, T daylight-saving changes, K checks, at most W mcg to the patient in 24 h: ok in SECONDS s
awk '/^  seed .*: ok in / {n++; d+=$3; c+=$5; f+=$9; r+=$11; m+=$13; a+=$15; t+=$18; k+=$21; s+=$(NF-1); if ($25 + 0 > w) w = $25 + 0} END {
    printf "fault simulation: %d seeds, %.0f simulated days, %.0f commands, %.0f faults, %.0f restarts, %.0f microsteps, %.0f alarm events, %.0f daylight-saving changes, %.0f checks, at most %.1f mcg to the patient in any 24 h, %.2f h of process time\n", n, d, c, f, r, m, a, t, k, w, s / 3600 }' \
    "$out"/process-*.log
[ "$failed" -eq 0 ] && echo "every invariant held" || { echo "a seed failed (above)" >&2; exit 1; }
