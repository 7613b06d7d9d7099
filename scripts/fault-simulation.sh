#!/usr/bin/env bash
# The fault simulator's long mode on every core: fault-simulation.sh [DAYS [PROCESSES [DAYS_PER_SEED]]]
# (defaults 10000 days, one process per core, 30 days per seed) splits the days between processes,
# each drawing its own seeds from a master seed printed here, and prints the total. A violation
# stops its process and prints the seed with the command that replays it. Logs stay in
# controller/target/fault-simulation/. Needs a JDK >= 21 (JAVA_HOME picks it) and Maven.
set -euo pipefail
days=${1:-10000}
procs=${2:-$(nproc)}
per_seed=${3:-30}
for n in "$days" "$procs" "$per_seed"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "fault-simulation: DAYS, PROCESSES and DAYS_PER_SEED are whole numbers above 0, not '$n'" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=controller/target/fault-simulation
mkdir -p "$out"
build=$out/build.log
# Offline first (a built tree has everything it needs); online if something is missing.
if ! { mvn -B -q -o install -DskipTests >"$build" 2>&1 && mvn -B -q -o -pl controller dependency:build-classpath \
        -Dmdep.outputFile=target/fault-simulation/classpath -Dmdep.includeScope=test >>"$build" 2>&1; }; then
    { mvn -B -q install -DskipTests >"$build" 2>&1 && mvn -B -q -pl controller dependency:build-classpath \
        -Dmdep.outputFile=target/fault-simulation/classpath -Dmdep.includeScope=test >>"$build" 2>&1; } \
        || { tail -40 "$build" >&2; exit 1; }
fi
cp="controller/target/test-classes:controller/target/classes:$(cat "$out/classpath")"
master=${FAULT_SIMULATION_SEED:-$RANDOM$RANDOM}
echo "fault simulation: $days days in $procs processes, $per_seed days per seed, master seed $master"
share=$(( (days + procs - 1) / procs ))
pids=()
for i in $(seq 1 "$procs"); do
    "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+IgnoreUnrecognizedVMOptions \
        -Dtinylog.configuration=tinylog-test.properties -cp "$cp" org.openitb.sim.LongSimulation "$share" "$per_seed" "$master$i" \
        >"$out/process-$i.log" 2>"$out/process-$i.err" &
    pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done
grep -h '^FAILED' -A16 "$out"/process-*.log || true
awk '/^TOTAL/ {s+=$2; d+=$4; c+=$6; f+=$8; r+=$10; a+=$12; t+=$14} END {
    printf "fault simulation: %d seeds, %d simulated days, %d commands, %d faults, %d restarts, %d alarm events, %d daylight-saving changes\n", s, d, c, f, r, a, t }' \
    "$out"/process-*.log
grep -h '^  seed ' "$out"/process-*.log | awk '{d+=$3} END {printf "days run by seeds that passed: %d\n", d}'
[ "$failed" -eq 0 ] && echo "every invariant held" || { echo "a seed failed (above)" >&2; exit 1; }
