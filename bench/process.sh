#!/bin/bash
# process.sh - benchmark `actions run`: a 3-step Arazzo workflow against the same 3
# actions run as three separate `actions test` processes, both against `actions mock`.
#
#   bench/process.sh         run from the repository root after `make`
#
# The workflow is bench/process.arazzo.yaml (petstore: listPets, showPetById with the
# first pet's id, placeOrder for it; and a 1-step workflow `one`), served by
# `actions mock specs/petstore.yaml` on 127.0.0.1 with a port chosen at run time
# (killed on exit). Four commands, timed side by side with hyperfine (whole
# processes, warm cache):
#   run3    actions run ... --workflow order      (3 steps, one process)
#   run1    actions run ... --workflow one        (1 step)
#   test3   actions test listPets; showPetById; placeOrder   (3 processes)
#   test1   actions test listPets                 (1 process)
# Target: run3 costs less than test3. The per-step overhead of a workflow is
# (run3 - run1) / 2, what a step adds to a run; the per-action cost of separate
# processes is (test3 - test1) / 2.
#
# Environment:
#   ACTIONS_BIN   the binary to measure (default ./actions)
#   BENCH_RUNS    hyperfine runs per command (default 20)
#
# Output: a table on stdout and build/bench/process.md; the hyperfine export in
# build/bench/process/times.json. Exit status 0 when the benchmark ran (a target
# not met is reported, not failed), 1 when it could not run.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-20}
OUT=build/bench/process
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

die() {
    echo "bench/process: $*" >&2
    exit 1
}
command -v hyperfine >/dev/null 2>&1 || die "hyperfine is not installed (apt-get install hyperfine)"
[ -x "$BIN" ] || die "no binary at $BIN (run make first)"

rm -rf "$OUT"
mkdir -p "$OUT"

# --- the mock ----------------------------------------------------------------------
"$BIN" mock specs/petstore.yaml --port 0 --quiet >"$OUT/mock.out" 2>"$OUT/mock.err" &
mock=$!
trap 'kill "$mock" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 200); do
    port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$OUT/mock.out")
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || die "the mock did not start: $(cat "$OUT/mock.err")"
cat >"$OUT/destinations.yaml" <<YAML
destinations:
  - Name: petstore
    URL: http://127.0.0.1:$port
    sap.applicationdevelopment.actions.enabled: true
YAML
export ACTIONS_DESTINATIONS=$root/$OUT/destinations.yaml
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export XDG_CACHE_HOME=$root/$OUT/cache

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
b=$(q "$BIN")
flow=bench/process.arazzo.yaml
run3="$b run $flow --workflow order > /dev/null"
run1="$b run $flow --workflow one > /dev/null"
t="$b test specs/petstore.yaml"
test1="$t listPets --dest petstore > /dev/null"
test3="$test1 && $t showPetById -p petId=1 --dest petstore > /dev/null && $t placeOrder --dest petstore > /dev/null"

# Every command must pass before it is timed.
for c in "$run3" "$run1" "$test3"; do
    sh -c "$c" 2>"$OUT/check.err" || die "this command failed: $c: $(cat "$OUT/check.err")"
done

hyperfine --warmup 3 --runs "$RUNS" --export-json "$OUT/times.json" \
    -n run3 "$run3" -n run1 "$run1" -n test3 "$test3" -n test1 "$test1" >&2

"$PY" - "$OUT/times.json" "$RUNS" <<'PY' | tee build/bench/process.md
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ms = lambda k: res[k]["median"] * 1000
cpu = lambda k: (res[k]["user"] + res[k]["system"]) * 1000
rows = [
    ("run3", "`actions run`, 3-step workflow (one process)"),
    ("run1", "`actions run`, 1-step workflow"),
    ("test3", "3 × `actions test`, one process per action"),
    ("test1", "1 × `actions test`"),
]
print("| command | median | CPU (user + sys) |")
print("|---|---:|---:|")
for k, label in rows:
    print("| %s | %.1f ms | %.1f ms |" % (label, ms(k), cpu(k)))
step = (ms("run3") - ms("run1")) / 2
step_cpu = (cpu("run3") - cpu("run1")) / 2
proc = (ms("test3") - ms("test1")) / 2
proc_cpu = (cpu("test3") - cpu("test1")) / 2
ratio = ms("run3") / ms("test3")
print()
print("Per step of a workflow, (run3 - run1) / 2: %.2f ms (CPU %.2f ms); per action as a"
      " separate process, (test3 - test1) / 2: %.2f ms (CPU %.2f ms)." % (step, step_cpu, proc, proc_cpu))
print("Target: the workflow costs less than the three processes: %.2fx, %s"
      " (medians of %s runs)." % (ratio, "met" if ratio < 1 else "NOT met", sys.argv[2]))
PY
