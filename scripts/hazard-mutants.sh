#!/usr/bin/env bash
# Takes each control of docs/hazards.md out of the pump, one at a time, in a scratch worktree, and
# runs the fault simulator's CI seeds (and the power-cut scenarios) against it: every line must say
# FAILED, naming the seed, the day and the referee that caught it. A line that says "held" is a control no simulator seed tests.
#   scripts/hazard-mutants.sh [NAME...]     (default: all; about 3 min each on two cores)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scratch=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$scratch/tree" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
git worktree add -q --detach "$scratch/tree" HEAD
if [ -z "${JAVA_HOME:-}" ]; then
    for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "2[1-9]' && JAVA_HOME=$d; done
    export JAVA_HOME
fi
export PATH="$JAVA_HOME/bin:$PATH"
(cd "$root" && mvn -B -q install -DskipTests -pl drivers >/dev/null)

run_mutant() { # NAME FILE-UNDER-controller/src/main/java/org/openitb TEXT REPLACEMENT
    local name=$1 file=$2 text=$3 replacement=$4
    if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $name "* ]]; then return; fi
    git -C "$scratch/tree" checkout -q -- .
    local path="$scratch/tree/controller/src/main/java/org/openitb/$file"
    if ! python3 - "$path" "$text" "$replacement" <<'PY'
import sys
path, old, new = sys.argv[1:4]
s = open(path).read()
if old not in s:
    sys.exit(1)
open(path, 'w').write(s.replace(old, new, 1))
PY
    then echo "$name: the control's code was not found in $file (the script needs updating)"; return; fi
    local log="$scratch/$name.log" failure
    (cd "$scratch/tree" && mvn -B -o test -pl controller -Dtest='FaultSimulationTest,PowerCutScenarioTest' -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1) || true
    failure=$(grep -m1 -o 'fault simulation seed [0-9]* failed at day [0-9.]*: .*' "$log" | cut -c1-300 || true)
    if [ -z "$failure" ]; then # the power-cut scenarios, whose cut is placed where a seed rarely places one
        failure=$(grep -m1 -o 'PowerCutScenarioTest\.[A-Za-z]*:[0-9]* .*' "$log" | cut -c1-300 || true)
    fi
    if [ -n "$failure" ]; then echo "$name: FAILED: $failure"; else echo "$name: held (no seed caught it)"; fi
}

wanted=("$@")
run_mutant O6-priming delivery/CommandExecutor.java \
    '        if (!disconnected && volume.compareTo(left) > 0) {' '        if (false) {'
run_mutant O2-titration therapy/Therapy.java \
    '        return programs.stream().map(Entry::program).toList();' \
    '        return programs.isEmpty() ? List.of() : List.of(programs.getFirst().program());'
run_mutant O3-flex-step-rates therapy/Titration.java \
    '        if (candidate instanceof FlexProgram || inForce.stream().anyMatch(p -> p instanceof FlexProgram)) {' '        if (false) {'
run_mutant O4-refill-first delivery/ProgramChanges.java \
    '        if (c.reservoir.concentration().isEmpty()) {' '        if (false) {'
run_mutant U10-risk-reference delivery/DeliveryController.java \
    '        prescribedPeriodic = program.flatMap(Program::periodicBolus).filter(p -> therapy.periodicAnchor().isPresent());' \
    '        prescribedPeriodic = Optional.empty();'
run_mutant U5-risk-priority alarm/AlarmSupervisor.java \
    '            case CRITICAL -> Priority.HIGH;' '            case CRITICAL -> Priority.NONE;'
run_mutant U14-crash-booking store/PumpStore.java \
    '            return Math.max(mark.microsteps(), stateMicrosteps()) + uncoveredPeak;' \
    '            return Math.max(mark.microsteps(), stateMicrosteps());'
run_mutant U14-slow-alarm delivery/StorageWatch.java \
    '        if (fresh > 0) {' '        if (false) {'
