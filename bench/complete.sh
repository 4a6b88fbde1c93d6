#!/bin/bash
# complete.sh - shell completion latency: `actions __complete` answering the action ids of
# GitHub's description (what a TAB after `actions show SPEC ` runs), next to `actions list`.
#
#   bench/complete.sh            from the repository root, after `make`
#
# Rows, JSON and YAML each: `actions list --format json`; `__complete` with a cold cache
# (the ids cache removed before each run: the JSON skim, or the YAML spec loaded in full);
# `__complete` with a warm cache (what every TAB after the first costs). hyperfine
# (BENCH_RUNS runs, default 10, one warm-up): mean, median, CPU. Target of the issue:
# under 50 ms (median), fast enough to type with, warm for JSON and YAML, cold for JSON.
#
# Environment: ACTIONS_BIN (default ./actions), ACTIONS_BENCH_CACHE (see fetch-github.sh),
# BENCH_RUNS. The ids cache goes to build/bench/complete-cache ($XDG_CACHE_HOME for the
# runs). Output: a table on stdout and build/bench/complete.md. Exit 0 when it ran (a target
# not met is reported, not failed), 1 when it could not run.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
OUT=build/bench
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-10}
CACHE=$root/$OUT/complete-cache
mkdir -p "$OUT"
say() { printf '%s\n' "$*" >&2; }
die() {
    say "complete.sh: $*"
    exit 1
}
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

command -v hyperfine >/dev/null 2>&1 || die "hyperfine is not installed (apt-get install hyperfine)"
[ -x "$BIN" ] || die "$BIN is not built (make)"
paths=$(bench/fetch-github.sh) || die "no GitHub spec (offline?)"
GH_JSON=$(printf '%s\n' "$paths" | sed -n 1p)
GH_YAML=$(printf '%s\n' "$paths" | sed -n 2p)

report=$OUT/complete.md
rows=()
# time_it LABEL PREPARE COMMAND: hyperfine; mean, median and σ in ms appended to rows,
# the median left in $median.
median=
time_it() {
    local label=$1 prepare=$2 cmd=$3 json=$OUT/complete-run.json args=() stats
    [ -z "$prepare" ] || args=(--prepare "$prepare")
    hyperfine --warmup 1 --runs "$RUNS" "${args[@]}" --export-json "$json" -n "$label" \
        "XDG_CACHE_HOME=$(q "$CACHE") $cmd" >&2
    stats=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.1f|%.1f|%.1f|%.1f" % (r["mean"] * 1e3, r["median"] * 1e3, r["stddev"] * 1e3,
                               (r["user"] + r["system"]) * 1e3))' "$json")
    rows+=("$label|$stats")
    median=$(echo "$stats" | cut -d'|' -f2)
}

check() { # LABEL MEDIAN_MS
    if awk -v m="$2" 'BEGIN { exit !(m < 50) }'; then
        targets+=("| $1 | $2 ms | < 50 ms | met |")
    else
        targets+=("| $1 | $2 ms | < 50 ms | NOT met |")
    fi
}

targets=()
bin=$(q "$BIN")
for fmt in JSON YAML; do
    spec=$GH_JSON
    [ "$fmt" = JSON ] || spec=$GH_YAML
    s=$(q "$spec")
    want=$("$BIN" list --format json "$spec" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
    got=$(XDG_CACHE_HOME=$CACHE "$BIN" __complete bash 3 actions show "$spec" "" | tail -n +2 | wc -l)
    [ "$want" = "$got" ] || die "__complete gives $got ids on the $fmt spec, actions list $want"
    time_it "actions list --format json ($fmt)" "" "$bin list $s --format json >/dev/null"
    time_it "actions __complete, action ids ($fmt, cold cache)" "rm -rf $(q "$CACHE")" \
        "$bin __complete bash 3 actions show $s '' >/dev/null"
    [ "$fmt" = YAML ] || check "__complete, $fmt, cold cache" "$median"
    time_it "actions __complete, action ids ($fmt, warm cache)" "" \
        "$bin __complete bash 3 actions show $s '' >/dev/null"
    check "__complete, $fmt, warm cache" "$median"
done

{
    echo "## Shell completion: action ids of GitHub's description ($want operations)"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg);" \
        "hyperfine, warmup 1, $RUNS runs. Cold: the ids cache removed before each run."
    echo
    echo "| command | mean ms | median ms | σ ms | CPU ms (user+sys) |"
    echo "|---|---:|---:|---:|---:|"
    for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
    echo
    echo "| target | median | limit | |"
    echo "|---|---:|---:|---|"
    printf '%s\n' "${targets[@]}"
    echo
    echo "A cold JSON spec is skimmed (paths, methods, operationIds only); a cold YAML spec is"
    echo "loaded in full once, then its ids are cached: it has no target."
} >"$report"
cat "$report"
