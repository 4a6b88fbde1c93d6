#!/bin/bash
# diff.sh - `actions diff` on two published versions of GitHub's REST API description,
# two major versions apart (npm package @octokit/openapi, 21.0.0 and 23.0.2 by default,
# about 13 MB and 1,200+ operations each), beside `actions list` of both files (the
# least a diff must do: load them). Target: the whole diff well under a second; the
# CPU time (user + system) is judged, the wall-clock median depends on the machine's
# load (given in the report), and on a quiet machine is the CPU time plus a few ms.
#
#   bench/diff.sh            from the repository root, after `make`
#
# Both versions are downloaded once into the bench cache by bench/fetch-github.sh.
# Measured with hyperfine (BENCH_RUNS runs, default 10, one warm-up); peak RSS with
# /usr/bin/time. The report (build/bench/diff.md) gives the times and the number of
# changes found, by severity.
#
# Environment: ACTIONS_BIN (default ./actions), ACTIONS_BENCH_CACHE (see
# fetch-github.sh), BENCH_RUNS, BENCH_DIFF_OLD / BENCH_DIFF_NEW (the two versions).
# Exit 0 when it ran (a target not met is reported, not failed), 1 when it could not.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
OUT=build/bench
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-10}
OLD_V=${BENCH_DIFF_OLD:-21.0.0}
NEW_V=${BENCH_DIFF_NEW:-23.0.2}
LIMIT=0.5
mkdir -p "$OUT"

say() { printf '%s\n' "$*" >&2; }
die() {
    say "bench/diff: $*"
    exit 1
}

[ -x "$BIN" ] || die "no $BIN: run make first"
command -v hyperfine >/dev/null || die "hyperfine is not installed"

old=$(OCTOKIT_OPENAPI_VERSION=$OLD_V bench/fetch-github.sh | head -n 1) ||
    die "no @octokit/openapi@$OLD_V (offline?)"
new=$(OCTOKIT_OPENAPI_VERSION=$NEW_V bench/fetch-github.sh | head -n 1) ||
    die "no @octokit/openapi@$NEW_V (offline?)"

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# median seconds and mean CPU (user + system) of a command line, printed as "T C"
measure() {
    hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/hf.json" "$1" >/dev/null 2>&1 ||
        hyperfine -w 1 -r "$RUNS" -i --export-json "$OUT/hf.json" "$1" >/dev/null 2>&1 || return 1
    python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f %.3f" % (r["median"], r["user"] + r["system"]))' "$OUT/hf.json"
}

rss() { # peak RSS in MiB of a command
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }'
}

# the changes found, by severity; diff exits 1 when there are breaking ones
"$BIN" diff "$old" "$new" --format json >"$OUT/diff.json" || [ $? -eq 1 ] ||
    die "actions diff failed"
read -r n_all n_b n_w n_i n_act < <(python3 -c 'import json,sys; d = json.load(open(sys.argv[1]))
s = d["summary"]; print(len(d["changes"]), s["breaking"], s["warning"], s["info"], d["actions"])' \
    "$OUT/diff.json")

say "== actions list of both versions"
read -r lt lc < <(measure "sh -c $(q "$(q "$BIN") list $(q "$old") >/dev/null; $(q "$BIN") list $(q "$new") >/dev/null")") ||
    die "hyperfine failed"
say "== actions diff"
read -r dt dc < <(measure "sh -c $(q "$(q "$BIN") diff $(q "$old") $(q "$new") >/dev/null; true")") ||
    die "hyperfine failed"
read -r jt jc < <(measure "sh -c $(q "$(q "$BIN") diff $(q "$old") $(q "$new") --format json >/dev/null; true")") ||
    die "hyperfine failed"
mem=$(rss sh -c "$(q "$BIN") diff $(q "$old") $(q "$new") >/dev/null; true")
status=$(awk -v t="$dc" -v l="$LIMIT" 'BEGIN { print (t < l ? "met" : "NOT met") }')

report=$OUT/diff.md
{
    echo "# actions diff on GitHub's description, @octokit/openapi $OLD_V against $NEW_V"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) CPUs," \
        "load average $(cut -d' ' -f1 /proc/loadavg); hyperfine $RUNS runs + 1 warm-up (median)"
    echo
    echo "| command | median | CPU (user + sys) | peak RSS |"
    echo "|---|---:|---:|---:|"
    echo "| \`actions list\` of both files | $lt s | $lc s | |"
    echo "| \`actions diff\` (text) | $dt s | $dc s | $mem MiB |"
    echo "| \`actions diff --format json\` | $jt s | $jc s | |"
    echo
    echo "$n_act actions compared; $n_all changes: $n_b breaking, $n_w warnings, $n_i info."
    echo "Target: the diff's CPU time under $LIMIT s (well under a second): $status."
} >"$report"
cat "$report"
