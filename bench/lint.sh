#!/bin/bash
# lint.sh - `actions lint` beside `actions list` on the same specs: lint reads the
# spec as list does, then checks every operation, $ref, example and default once,
# so it must stay within a small factor of list however many operations there are.
#
#   bench/lint.sh            from the repository root, after `make`
#
# Specs: GitHub's REST API description (bench/fetch-github.sh) and a synthetic one
# of BENCH_LINT_OPS operations (default 50000; bench/make-big-spec.py, cached as
# build/bench/big-N.json). Measured with hyperfine (BENCH_RUNS runs, default 5, one
# warm-up). Target: lint time / list time <= 4 on each spec.
#
# Environment: ACTIONS_BIN (default ./actions), ACTIONS_BENCH_CACHE (see
# fetch-github.sh), BENCH_RUNS, BENCH_LINT_OPS. Output also in build/bench/lint.md.
# Exit 0 when it ran (targets not met are reported, not failed), 1 when it could not.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
OUT=build/bench
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-5}
OPS=${BENCH_LINT_OPS:-50000}
LIMIT=4
mkdir -p "$OUT"

say() { printf '%s\n' "$*" >&2; }
die() {
    say "bench/lint: $*"
    exit 1
}

[ -x "$BIN" ] || die "no $BIN: run make first"
command -v hyperfine >/dev/null || die "hyperfine is not installed"

specs=()
if GH=$(bench/fetch-github.sh | head -n 1); then
    specs+=("$GH")
else
    say "GitHub's spec is not available (offline?): only the synthetic spec is measured"
fi
big=$OUT/big-$OPS.json
if [ ! -s "$big" ] || [ bench/make-big-spec.py -nt "$big" ]; then
    say "== generating $big"
    python3 bench/make-big-spec.py "$OPS" "$big" >/dev/null || die "cannot generate $big"
fi
specs+=("$big")

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# mean seconds and mean CPU (user + system) of a command line, printed as "T C"
mean() {
    hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/hf.json" "$1" >/dev/null 2>&1 ||
        hyperfine -w 1 -r "$RUNS" -i --export-json "$OUT/hf.json" "$1" >/dev/null 2>&1 || return 1
    python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f %.3f" % (r["mean"], r["user"] + r["system"]))' "$OUT/hf.json"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

report=$OUT/lint.md
{
    echo "# actions lint vs actions list"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) CPUs; hyperfine $RUNS runs + 1 warm-up"
    echo
    echo "| spec | bytes | operations | list | lint | lint / list (time) | lint / list (CPU) | target (<= $LIMIT) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
} >"$report"
for s in "${specs[@]}"; do
    n=$("$BIN" list "$s" --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') ||
        die "actions list failed on $s"
    # lint exits 2 when the spec has errors; that is a finding, not a failed run
    "$BIN" lint "$s" >/dev/null 2>&1 || [ $? -eq 2 ] || die "actions lint failed on $s"
    say "== $(basename "$s"): list"
    read -r lt lc < <(mean "$(q "$BIN") list $(q "$s")") || die "hyperfine failed"
    say "== $(basename "$s"): lint"
    read -r nt nc < <(mean "sh -c $(q "$(q "$BIN") lint $(q "$s") >/dev/null 2>&1; true")") ||
        die "hyperfine failed"
    rt=$(ratio "$nt" "$lt")
    rc=$(ratio "$nc" "$lc")
    status=$(awk -v r="$rt" -v l="$LIMIT" 'BEGIN { print (r <= l ? "met" : "NOT met") }')
    echo "| $(basename "$s") | $(wc -c <"$s") | $n | $lt s | $nt s | $rt | $rc | $status |" >>"$report"
done
cat "$report"
