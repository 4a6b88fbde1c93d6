#!/bin/bash
# validate.sh - `actions validate` on large GitHub responses, side by side with a bare
# cJSON parse of the same file and with Ajv (Node), whole process each.
#
#   bench/validate.sh            from the repository root, after `make`
#
# Instances: bench/make-repos.py repeats the example of repos/list-for-org's 200 response
# (a minimal-repository) with varied fields into a 20 MB and a 100 MB JSON array
# (build/bench/repos-20mb.json, repos-100mb.json). Schema: that response's schema, as
# --schema SPEC#/paths/~1orgs~1{org}~1repos/get/responses/200/content/application~1json/schema.
#
# The 20 MB instance is also validated in the JSON Schema 2020-12 mode (OpenAPI 3.1): the same
# schema in a 3.1 copy of the spec made by bench/make-31.py (`nullable` rewritten as type
# arrays); target: within 1.3x the 3.0 figure.
#
# Measured with hyperfine (BENCH_RUNS runs, default 5, one warm-up) and peak RSS with
# /usr/bin/time -f %M (median of three). Prints a table and whether each target of the
# issue is met: actions <= 1.3x the bare parse in time and in peak RSS, Ajv >= 3x actions.
#
# Environment: ACTIONS_BIN (default ./actions), ACTIONS_BENCH_CACHE (see fetch-github.sh),
# BENCH_RUNS, BENCH_CC (compiler for the bare parser, default gcc), BENCH_SIZES (default
# "20 100", megabytes). Output also in build/bench/validate.md. Exit 0 when it ran (targets
# not met are reported, not failed), 1 when it could not run.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
OUT=build/bench
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-5}
CC_BENCH=${BENCH_CC:-gcc}
NODE_DIR=$OUT/node
SIZES=${BENCH_SIZES:-20 100}
POINTER='/paths/~1orgs~1{org}~1repos/get/responses/200/content/application~1json/schema'
mkdir -p "$OUT"

say() { printf '%s\n' "$*" >&2; }
die() {
    say "bench/validate: $*"
    exit 1
}

[ -x "$BIN" ] || die "no $BIN: run make first"
command -v hyperfine >/dev/null || die "hyperfine is not installed"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed"
GH=$(bench/fetch-github.sh | head -n 1) || die "cannot get GitHub's spec"

# The bare parse: bench/bare_cjson.c (read, cJSON_ParseWithLengthOpts, walk, free).
if [ ! -x "$OUT/bare_cjson" ] || [ bench/bare_cjson.c -nt "$OUT/bare_cjson" ]; then
    # shellcheck disable=SC2046
    $CC_BENCH -O2 -o "$OUT/bare_cjson" bench/bare_cjson.c $(pkg-config --cflags --libs libcjson) ||
        die "cannot build bench/bare_cjson.c"
fi

HAVE_AJV=0
if command -v node >/dev/null; then
    if [ ! -f "$NODE_DIR/node_modules/ajv/package.json" ] && command -v npm >/dev/null; then
        mkdir -p "$NODE_DIR"
        (cd "$NODE_DIR" && npm install --no-save --no-audit --no-fund --loglevel=error ajv@8 >&2) ||
            say "npm install ajv failed (offline?): Ajv is skipped"
    fi
    [ -f "$NODE_DIR/node_modules/ajv/package.json" ] && HAVE_AJV=1
fi
[ "$HAVE_AJV" = 1 ] || say "Ajv not available: its column stays empty"

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# mean seconds of a command line (hyperfine), printed
mean() {
    hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/hf.json" "$1" >/dev/null 2>&1 ||
        hyperfine -w 1 -r "$RUNS" -i --export-json "$OUT/hf.json" "$1" >/dev/null 2>&1 || return 1
    python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$OUT/hf.json"
}

# peak RSS in MiB, median of three
rss() {
    local _
    for _ in 1 2 3; do
        /usr/bin/time -f %M -o "$OUT/rss.tmp" sh -c "$1" >/dev/null 2>&1 || true
        cat "$OUT/rss.tmp"
    done | sort -n | sed -n 2p | awk '{ printf "%.1f", $1 / 1024 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
check() { awk -v r="$1" -v op="$2" -v lim="$3" 'BEGIN { if (r == "-") print "not measured";
    else if ((op == "<=" && r <= lim) || (op == ">=" && r >= lim)) print "met"; else print "NOT met" }'; }

report=$OUT/validate.md
{
    echo "# actions validate vs bare cJSON vs Ajv"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) CPUs; hyperfine $RUNS runs + 1 warm-up; RSS median of 3"
    echo
    echo "| instance | objects | actions | bare cJSON | Ajv | actions RSS | bare RSS | Ajv RSS |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} >"$report"
targets=""
for mb in $SIZES; do
    inst=$OUT/repos-${mb}mb.json
    if [ ! -s "$inst" ] || [ "$GH" -nt "$inst" ]; then
        say "== generating $inst"
        python3 bench/make-repos.py "$GH" "$mb" "$inst" >"$inst.count" || die "cannot generate $inst"
    fi
    count=$(cat "$inst.count" 2>/dev/null || echo "?")
    a_cmd="$(q "$BIN") validate --schema $(q "$GH#$POINTER") $(q "$inst")"
    b_cmd="$(q "$root/$OUT/bare_cjson") $(q "$inst")"
    j_cmd="NODE_PATH=$(q "$root/$NODE_DIR/node_modules") node --max-old-space-size=8192 $(q "$root/bench/validate-ajv.js") $(q "$GH") $(q "$POINTER") $(q "$inst")"
    say "== $mb MB: actions"
    out=$(sh -c "$a_cmd" 2>&1) || die "actions validate failed on $inst: $out"
    a_t=$(mean "$a_cmd") || a_t="-"
    a_m=$(rss "$a_cmd")
    say "== $mb MB: bare cJSON"
    b_t=$(mean "$b_cmd") || b_t="-"
    b_m=$(rss "$b_cmd")
    j_t="-"
    j_m="-"
    if [ "$HAVE_AJV" = 1 ]; then
        say "== $mb MB: Ajv"
        if sh -c "$j_cmd" >/dev/null 2>&1; then
            j_t=$(mean "$j_cmd" | sed 's/^$/-/') || j_t="-"
            j_m=$(rss "$j_cmd")
        else
            say "   Ajv failed on $inst"
        fi
    fi
    echo "| ${mb} MB | $count | ${a_t} s | ${b_t} s | ${j_t} s | ${a_m} MiB | ${b_m} MiB | ${j_m} MiB |" >>"$report"
    if [ "$mb" = 20 ]; then
        gh31=$OUT/github-3.1.json
        if [ ! -s "$gh31" ] || [ "$GH" -nt "$gh31" ]; then
            python3 bench/make-31.py "$GH" "$gh31" || die "cannot make the 3.1 copy of $GH"
        fi
        s_cmd="$(q "$BIN") validate --schema $(q "$gh31#$POINTER") $(q "$inst")"
        say "== $mb MB: actions, JSON Schema 2020-12 (OpenAPI 3.1)"
        out=$(sh -c "$s_cmd" 2>&1) || die "actions validate (3.1) failed on $inst: $out"
        s_t=$(mean "$s_cmd") || s_t="-"
        s_m=$(rss "$s_cmd")
        echo "| ${mb} MB, 2020-12 (3.1) | $count | ${s_t} s | ${b_t} s | - | ${s_m} MiB | ${b_m} MiB | - |" >>"$report"
        rs=$(ratio "$s_t" "$a_t")
        targets="$targets| ${mb} MB: 2020-12 time / 3.0 time | $rs | <= 1.3 | $(check "$rs" "<=" 1.3) |
"
    fi
    rt=$(ratio "$a_t" "$b_t")
    rm_=$(ratio "$a_m" "$b_m")
    rj=$( [ "$j_t" = "-" ] && echo "-" || ratio "$j_t" "$a_t")
    targets="$targets| ${mb} MB: actions time / bare parse | $rt | <= 1.3 | $(check "$rt" "<=" 1.3) |
| ${mb} MB: actions peak RSS / bare parse | $rm_ | <= 1.3 | $(check "$rm_" "<=" 1.3) |
| ${mb} MB: Ajv time / actions | $rj | >= 3 | $(check "$rj" ">=" 3) |
"
done
{
    echo
    echo "| target | measured | wanted | status |"
    echo "|---|---:|---:|---|"
    printf '%s' "$targets"
} >>"$report"
cat "$report"
