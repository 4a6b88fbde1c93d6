#!/bin/bash
# process.sh - benchmark `actions run`: a 3-step Arazzo workflow against the same 3
# actions run as three separate `actions test` processes, both against `actions mock`.
#
#   bench/process.sh         run from the repository root after `make`
#
# The workflow is bench/process.arazzo.yaml (petstore: listPets, showPetById with the
# first pet's id, placeOrder for it), served by `actions mock specs/petstore.yaml` on
# 127.0.0.1 with a port chosen at run time (killed on exit). Four commands, timed side
# by side with hyperfine (whole processes, warm cache):
#   run3    actions run bench/process.arazzo.yaml       (3 steps, one process)
#   run30   the same three steps ten times over, 30 steps (generated into build/)
#   test3   actions test listPets; showPetById; placeOrder   (3 processes)
#   test1   actions test listPets                       (1 process)
# Target: run3 costs less than test3. The per-step overhead of a workflow is
# (run30 - run3) / 27, what one more step adds to a run (request, response checks,
# criteria, outputs, the mock's answer); the cost of one more action as a separate
# process is (test3 - test1) / 2.
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

# run30: the workflow's three steps ten times, each round feeding the next.
"$PY" - bench/process.arazzo.yaml "$OUT/thirty.arazzo.yaml" <<'PY'
import json, sys
src = open(sys.argv[1]).read()
steps = []
for i in range(10):
    steps += [
        {"stepId": "list%d" % i, "operationId": "listPets",
         "successCriteria": [{"condition": "$statusCode == 200"}],
         "outputs": {"first": "$response.body#/0/id"}},
        {"stepId": "show%d" % i, "operationId": "showPetById",
         "parameters": [{"name": "petId", "in": "path", "value": "$steps.list%d.outputs.first" % i}],
         "successCriteria": [{"condition": "$statusCode == 200"}],
         "outputs": {"id": "$response.body#/id"}},
        {"stepId": "order%d" % i, "operationId": "placeOrder",
         "requestBody": {"contentType": "application/json",
                         "payload": {"petId": "$steps.show%d.outputs.id" % i, "quantity": 1}},
         "successCriteria": [{"condition": "$statusCode == 200"}]},
    ]
doc = {"arazzo": "1.0.1", "info": {"title": "thirty steps", "version": "1.0.0"},
       "sourceDescriptions": [{"name": "petstore", "url": "../../../specs/petstore.yaml",
                               "type": "openapi"}],
       "workflows": [{"workflowId": "thirty", "steps": steps}]}
json.dump(doc, open(sys.argv[2], "w"), indent=1)
PY

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
b=$(q "$BIN")
flow=bench/process.arazzo.yaml
run3="$b run $flow > /dev/null"
run30="$b run $OUT/thirty.arazzo.yaml > /dev/null"
t="$b test specs/petstore.yaml"
test1="$t listPets --dest petstore > /dev/null"
test3="$test1 && $t showPetById -p petId=1 --dest petstore > /dev/null && $t placeOrder --dest petstore > /dev/null"

# Every command must pass before it is timed.
for c in "$run3" "$run30" "$test3"; do
    sh -c "$c" 2>"$OUT/check.err" || die "this command failed: $c: $(cat "$OUT/check.err")"
done

hyperfine --warmup 3 --runs "$RUNS" --export-json "$OUT/times.json" \
    -n run3 "$run3" -n run30 "$run30" -n test3 "$test3" -n test1 "$test1" >&2

"$PY" - "$OUT/times.json" "$RUNS" <<'PY' | tee build/bench/process.md
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ms = lambda k: res[k]["median"] * 1000
cpu = lambda k: (res[k]["user"] + res[k]["system"]) * 1000
rows = [
    ("run3", "`actions run`, 3-step workflow (one process)"),
    ("run30", "`actions run`, 30-step workflow"),
    ("test3", "3 × `actions test`, one process per action"),
    ("test1", "1 × `actions test`"),
]
print("| command | median | CPU (user + sys) |")
print("|---|---:|---:|")
for k, label in rows:
    print("| %s | %.1f ms | %.1f ms |" % (label, ms(k), cpu(k)))
step = (ms("run30") - ms("run3")) / 27
step_cpu = (cpu("run30") - cpu("run3")) / 27
proc = (ms("test3") - ms("test1")) / 2
proc_cpu = (cpu("test3") - cpu("test1")) / 2
ratio = ms("run3") / ms("test3")
print()
print("Per step of a workflow, (run30 - run3) / 27: %.2f ms (CPU %.2f ms); per action as a"
      " separate process, (test3 - test1) / 2: %.2f ms (CPU %.2f ms)." % (step, step_cpu, proc, proc_cpu))
print("Target: the workflow costs less than the three processes: %.2fx, %s"
      " (medians of %s runs)." % (ratio, "met" if ratio < 1 else "NOT met", sys.argv[2]))
PY
