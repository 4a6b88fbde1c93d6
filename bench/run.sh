#!/bin/bash
# run.sh - `make bench`: time `actions` on GitHub's REST API description
# against bare-library baselines and a Node competitor.
#
#   bench/run.sh [SECTION]...      default: every measuring section, in order
#
# Sections are shell functions `section_<name>`. Setup sections always run
# first, the summary always last; the measuring sections can be picked on the
# command line. To add one, write section_<name> (record_result,
# record_target) and append <name> to SECTIONS.
#   setup:   fetch    download and convert the GitHub spec once (bench/fetch-github.sh)
#            build    compile the baselines into build/bench/ (gcc -O2)
#            node     npm install the Node competitor into build/bench/node
#   measure: convert  check the YAML conversion against the JSON (counts, js-yaml)
#            list     hyperfine + peak RSS: bare cJSON, actions list (JSON,
#                     table, YAML), swagger-parser, bare libyaml
#            lint     bench/lint.sh: `actions lint` vs `actions list` on GitHub's spec and
#                     a synthetic spec of 50,000 operations (bench/make-big-spec.py)
#            validate bench/validate.sh: `actions validate` on 20 and 100 MB of GitHub
#                     repositories vs bare cJSON and Ajv
#            test     bench/test.sh: `actions test` vs curl against a local server
#            mock     bench/mock.sh: `actions mock` start-up and wrk throughput vs Prism 5
#            complete bench/complete.sh: `actions __complete` (action ids, JSON and YAML,
#                     cold and warm cache) next to `actions list`; target under 50 ms
#            diff     bench/diff.sh: `actions diff` of two GitHub descriptions two major
#                     versions apart (21.0.0, 23.0.2); target well under a second
#            process  bench/process.sh: `actions run` of a 3-step Arazzo workflow against
#                     the mock vs the same 3 actions as three `actions test` processes;
#                     target: the workflow costs less; the per-step overhead
#   last:    summary  figures, ratios and targets (also build/bench/summary.md)
#
# Environment:
#   ACTIONS_BIN          the binary to measure (default ./actions in the repo root)
#   ACTIONS_BENCH_CACHE  cache of downloaded specs (see bench/fetch-github.sh)
#   BENCH_RUNS           hyperfine runs per command (default 10)
#   BENCH_CC             compiler for the baselines (default gcc)
#   BENCH_QUIET_WAIT     seconds to wait, before each timing, for the 1-minute
#                        load average to fall below half the CPUs (default 0)
#
# A section records figures with record_result and targets with
# record_target; section_summary renders whatever was recorded. Result keys
# are GROUP.NAME; each row is compared with its group's baseline, GROUP.bare.
# Exit status: 0 when the benchmark ran (targets not met are reported, not
# failed), 1 when it could not run (e.g. no spec and no network).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

OUT=build/bench
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-10}
CC_BENCH=${BENCH_CC:-gcc}
NODE_DIR=$OUT/node
SETUP=(fetch build node)
SECTIONS=(convert list lint validate test mock complete diff process)
EXTRA=()   # reports of the standalone section scripts, appended to the summary

# Filled by the sections.
GH_JSON=""
GH_YAML=""
GH_OPS=""
HAVE_NODE=0
HAVE_ACTIONS=0

RESULTS=$OUT/results.tsv   # key, label, median s, mean s, stddev s, min s, peak RSS KiB, CPU s
LOADS=$OUT/loadavg.txt     # 1-minute load average before and after each timing
TARGETS=$OUT/targets.tsv   # label, measured, limit text, met|NOT met|not measured

say() { printf '%s\n' "$*" >&2; }
die() {
    say "bench: $*"
    exit 1
}
note() { say "== $*"; }

# Single-quote a word for the shell command lines given to hyperfine.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# record_result KEY LABEL MEDIAN MEAN STDDEV MIN RSS_KIB CPU (seconds, KiB;
# CPU is the mean user + system time)
record_result() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# record_target LABEL MEASURED LIMIT STATUS
record_target() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$TARGETS"; }

# result KEY FIELD (3 = median time, 7 = peak RSS): prints it, or nothing.
result() { awk -F'\t' -v k="$1" -v f="$2" '$1 == k { v = $f } END { if (v != "") print v }' "$RESULTS"; }

# Peak RSS in KiB of a command line, the median of three runs.
peak_rss() {
    local _
    for _ in 1 2 3; do
        /usr/bin/time -f %M -o "$OUT/rss.tmp" sh -c "$1" >/dev/null 2>&1 || return 0
        cat "$OUT/rss.tmp"
    done | sort -n | sed -n 2p
}

# Wait up to $BENCH_QUIET_WAIT seconds for the load average to drop below
# half the CPUs (other work on the machine makes the figures noisy).
wait_quiet() {
    local waited=0 limit=${BENCH_QUIET_WAIT:-0} half
    half=$(awk -v n="$(nproc)" 'BEGIN { print n / 2 }')
    while awk -v h="$half" '{ exit !($1 > h) }' /proc/loadavg && [ "$waited" -lt "$limit" ]; do
        [ "$waited" -gt 0 ] || say "   load average $(cut -d' ' -f1 /proc/loadavg) > $half: waiting up to ${limit}s"
        sleep 10
        waited=$((waited + 10))
    done
}

# hyperfine_run NAME KEY LABEL COMMAND [KEY LABEL COMMAND]...: time the
# commands side by side (exports $OUT/NAME.md and .json), then record each
# with its peak RSS.
hyperfine_run() {
    local name=$1 args=() keys=() labels=() cmds=()
    shift
    while [ $# -ge 3 ]; do
        keys+=("$1")
        labels+=("$2")
        cmds+=("$3")
        args+=(-n "$2" "$3")
        shift 3
    done
    wait_quiet
    cut -d' ' -f1 /proc/loadavg >>"$LOADS"
    hyperfine --warmup 1 --runs "$RUNS" \
        --export-markdown "$OUT/$name.md" --export-json "$OUT/$name.json" "${args[@]}"
    cut -d' ' -f1 /proc/loadavg >>"$LOADS"
    local i stats rss
    for i in "${!keys[@]}"; do
        stats=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
print(" ".join("%.6f" % (r[k] or 0.0) for k in ("median", "mean", "stddev", "min")),
      "%.6f" % (r["user"] + r["system"]))' "$OUT/$name.json" "$i")
        rss=$(peak_rss "${cmds[$i]}")
        # shellcheck disable=SC2086  # four numbers
        record_result "${keys[$i]}" "${labels[$i]}" ${stats% *} "$rss" "${stats##* }"
    done
}

# check_target LABEL NUM_KEY DEN_KEY FIELD OP LIMIT: ratio of two recorded
# figures (FIELD 3 = median time, 7 = peak RSS), met when "ratio OP LIMIT" holds.
check_target() {
    local label=$1 num den ratio ok
    num=$(result "$2" "$4")
    den=$(result "$3" "$4")
    if [ -z "$num" ] || [ -z "$den" ]; then
        record_target "$label" "-" "$5 ${6}x" "not measured"
        return
    fi
    ratio=$(awk -v a="$num" -v b="$den" 'BEGIN { printf "%.2f", a / b }')
    ok=$(awk -v r="$ratio" -v l="$6" -v op="$5" \
        'BEGIN { print ((op == "<=" && r <= l) || (op == ">=" && r >= l)) ? "met" : "NOT met" }')
    record_target "$label" "${ratio}x" "$5 ${6}x" "$ok"
}

section_fetch() {
    note "fetch: GitHub's REST API description"
    local paths
    paths=$(bench/fetch-github.sh) || die "no GitHub spec: cannot benchmark (see the message above)"
    GH_JSON=$(printf '%s\n' "$paths" | sed -n 1p)
    GH_YAML=$(printf '%s\n' "$paths" | sed -n 2p)
    GH_OPS=$(python3 bench/count_ops.py "$GH_JSON")
    say "   $GH_JSON ($(wc -c <"$GH_JSON") bytes, $GH_OPS operations)"
    say "   $GH_YAML ($(wc -c <"$GH_YAML") bytes)"
}

section_build() {
    note "build: baselines into $OUT"
    # shellcheck disable=SC2046  # pkg-config output is a list of flags
    "$CC_BENCH" -std=c11 -O2 -Wall -Wextra -o "$OUT/bare_cjson" bench/bare_cjson.c \
        $(pkg-config --cflags --libs libcjson)
    # shellcheck disable=SC2046
    "$CC_BENCH" -std=c11 -O2 -Wall -Wextra -o "$OUT/bare_yaml" bench/bare_yaml.c \
        $(pkg-config --cflags --libs yaml-0.1)
}

section_node() {
    note "node: @apidevtools/swagger-parser and js-yaml into $NODE_DIR"
    HAVE_NODE=0
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        say "   node or npm missing: the Node competitor is skipped"
        return
    fi
    mkdir -p "$NODE_DIR"
    # swagger-parser 12.1 is the newest that runs on node 20 (13 needs node 22).
    local pkg='{ "name": "actions-bench", "private": true, "version": "0.0.0",
  "dependencies": { "@apidevtools/swagger-parser": "12.1.0", "js-yaml": "4.1.0" } }'
    if [ ! -d "$NODE_DIR/node_modules/@apidevtools/swagger-parser" ] ||
        [ "$(cat "$NODE_DIR/package.json" 2>/dev/null)" != "$pkg" ]; then
        printf '%s\n' "$pkg" >"$NODE_DIR/package.json"
        if ! (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error >&2); then
            say "   npm install failed (offline?): the Node competitor is skipped"
            return
        fi
    fi
    HAVE_NODE=1
}

section_convert() {
    note "convert: YAML conversion against the JSON"
    local n_json n_yaml o_yaml
    n_json=$("$OUT/bare_cjson" -n "$GH_JSON")
    n_yaml=$("$OUT/bare_yaml" "$GH_YAML")
    o_yaml=$("$OUT/bare_yaml" -o "$GH_YAML")
    say "   nodes: JSON $n_json, YAML (libyaml) $n_yaml; operations: JSON $GH_OPS, YAML $o_yaml"
    if [ "$n_json" != "$n_yaml" ] || [ "$GH_OPS" != "$o_yaml" ]; then
        die "the YAML conversion differs from the JSON (nodes or operations)"
    fi
    if [ "$HAVE_NODE" = 1 ]; then
        NODE_PATH=$NODE_DIR/node_modules node bench/yaml-equal.js "$GH_JSON" "$GH_YAML" >&2 ||
            die "js-yaml does not read the YAML conversion back as the JSON"
        python3 bench/json2yaml.py bench/json2yaml-cases.json "$OUT/json2yaml-cases.yaml"
        NODE_PATH=$NODE_DIR/node_modules node bench/yaml-equal.js \
            bench/json2yaml-cases.json "$OUT/json2yaml-cases.yaml" >&2 ||
            die "json2yaml.py edge cases do not round-trip through js-yaml"
        [ "$("$OUT/bare_cjson" -n bench/json2yaml-cases.json)" = "$("$OUT/bare_yaml" "$OUT/json2yaml-cases.yaml")" ] ||
            die "json2yaml.py edge cases: libyaml reads a different number of nodes"
    fi
}

# Does `actions list` work on the spec? It must list every operation.
actions_ok() {
    local n
    n=$("$BIN" list "$1" --format json 2>"$OUT/actions.err" |
        python3 -c 'import json, sys; print(len(json.load(sys.stdin)))' 2>/dev/null) || n=""
    if [ "$n" != "$GH_OPS" ]; then
        say "   actions list $(basename "$1") --format json: ${n:-failed} operations, expected $GH_OPS"
        sed -n '1,5s/^/     /p' "$OUT/actions.err" >&2
        return 1
    fi
}

section_list() {
    note "list: parse and list $GH_OPS operations"
    local bin j y cmds=()
    bin=$(q "$BIN")
    j=$(q "$GH_JSON")
    y=$(q "$GH_YAML")
    HAVE_ACTIONS=0
    if [ ! -x "$BIN" ]; then
        say "   $BIN is not built: actions is not measured"
    elif actions_ok "$GH_JSON" && actions_ok "$GH_YAML"; then
        HAVE_ACTIONS=1
    else
        say "   actions is not measured"
    fi
    cmds+=(json.bare "bare cJSON parse + walk (JSON)" "$(q "$OUT/bare_cjson") $j > /dev/null")
    if [ "$HAVE_ACTIONS" = 1 ]; then
        cmds+=(json.actions "actions list --format json (JSON)" "$bin list $j --format json > /dev/null")
        cmds+=(json.table "actions list (JSON, table)" "$bin list $j > /dev/null")
    fi
    if [ "$HAVE_NODE" = 1 ]; then
        cmds+=(json.swagger "swagger-parser dereference + list (JSON)"
            "NODE_PATH=$(q "$NODE_DIR/node_modules") node bench/swagger-parser.js $j > /dev/null")
    fi
    cmds+=(yaml.bare "bare libyaml load (YAML)" "$(q "$OUT/bare_yaml") $y > /dev/null")
    if [ "$HAVE_ACTIONS" = 1 ]; then
        cmds+=(yaml.actions "actions list --format json (YAML)" "$bin list $y --format json > /dev/null")
    fi
    hyperfine_run list "${cmds[@]}"

    check_target "actions list (JSON) time / bare cJSON" json.actions json.bare 3 "<=" 1.2
    check_target "swagger-parser time / actions list (JSON)" json.swagger json.actions 3 ">=" 5
    check_target "actions list (JSON) peak RSS / bare cJSON" json.actions json.bare 7 "<=" 1.2
    check_target "actions list (YAML) time / bare libyaml" yaml.actions yaml.bare 3 "<=" 1.3
}

# Run a standalone benchmark script ($2) and append its report ($3) to the summary.
run_script() {
    note "$1"
    if ACTIONS_BIN="$BIN" "$2"; then
        EXTRA+=("$3")
    else
        say "the $1 benchmark could not run"
    fi
}

section_lint() { run_script lint bench/lint.sh "$OUT/lint.md"; }
section_validate() { run_script validate bench/validate.sh "$OUT/validate.md"; }
section_test() { run_script test bench/test.sh "$OUT/test/summary.md"; }
section_mock() { run_script mock bench/mock.sh "$OUT/mock.md"; }
section_complete() { run_script complete bench/complete.sh "$OUT/complete.md"; }
section_diff() { run_script diff bench/diff.sh "$OUT/diff.md"; }
section_process() { run_script process bench/process.sh "$OUT/process.md"; }

section_summary() {
    note "summary"
    local base_of
    # The baseline each row is compared with: GROUP.bare for GROUP.NAME.
    base_of='function base(k) { sub(/\.[^.]*$/, "", k); return k ".bare" }'
    {
        echo "# actions benchmark"
        echo
        echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs" \
            "($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1))"
        echo "Spec: @octokit/openapi generated/api.github.com.json, $GH_OPS operations;" \
            "JSON $(wc -c <"$GH_JSON") bytes, YAML $(wc -c <"$GH_YAML") bytes." \
            "hyperfine: warmup 1, $RUNS runs; ratios use the median;" \
            "peak RSS: median of 3 (/usr/bin/time %M)."
        if [ -s "$LOADS" ]; then
            echo "Load average (1 min) around the timings: $(paste -sd' ' "$LOADS")" \
                "(on $(nproc) CPUs$(awk -v n="$(nproc)" '$1 > n / 2 { busy = 1 }
                    END { if (busy) printf ": the machine was busy, figures are noisy" }' "$LOADS"))."
        fi
        echo
        echo "| command | median | mean ± σ | min | CPU (user+sys) | peak RSS | time / baseline | CPU / baseline | RSS / baseline |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        awk -F'\t' "$base_of"'
            { key[NR] = $1; label[NR] = $2; med[NR] = $3; mean[NR] = $4; sd[NR] = $5
              min[NR] = $6; rss[NR] = $7; cpu[NR] = $8; bm[$1] = $3; br[$1] = $7; bc[$1] = $8 }
            END {
                for (i = 1; i <= NR; i++) {
                    b = base(key[i])
                    t = (bm[b] > 0) ? sprintf("%.2fx", med[i] / bm[b]) : "-"
                    m = (rss[i] != "" && br[b] > 0) ? sprintf("%.2fx", rss[i] / br[b]) : "-"
                    c = (bc[b] > 0) ? sprintf("%.2fx", cpu[i] / bc[b]) : "-"
                    r = (rss[i] != "") ? sprintf("%.1f MiB", rss[i] / 1024) : "-"
                    printf "| %s | %.1f ms | %.1f ± %.1f ms | %.1f ms | %.1f ms | %s | %s | %s | %s |\n",
                        label[i], med[i] * 1000, mean[i] * 1000, sd[i] * 1000, min[i] * 1000,
                        cpu[i] * 1000, r, t, c, m
                }
            }' "$RESULTS"
        echo
        echo "Baselines: each row against the bare one of its group (bare cJSON for JSON rows," \
            "bare libyaml for YAML rows)." \
            "Targets use the wall-clock median; the CPU column is less sensitive to a busy machine."
        echo
        echo "| target | measured | wanted | status |"
        echo "|---|---:|---:|---|"
        awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$TARGETS"
        for f in ${EXTRA[@]+"${EXTRA[@]}"}; do
            echo
            cat "$f"
        done
    } >"$OUT/summary.md"
    echo
    cat "$OUT/summary.md"
    say "(also in $OUT/summary.md; hyperfine exports in $OUT/*.md, $OUT/*.json)"
}

main() {
    local s
    mkdir -p "$OUT"
    : >"$RESULTS"
    : >"$TARGETS"
    : >"$LOADS"
    command -v hyperfine >/dev/null 2>&1 || die "hyperfine is not installed (apt-get install hyperfine)"
    [ -x /usr/bin/time ] || die "/usr/bin/time is not installed (apt-get install time)"
    for s in "$@"; do
        case " ${SECTIONS[*]} " in
        *" $s "*) ;;
        *) die "unknown section '$s' (sections: ${SECTIONS[*]})" ;;
        esac
    done
    [ $# -gt 0 ] || set -- "${SECTIONS[@]}"
    for s in "${SETUP[@]}" "$@" summary; do
        "section_$s"
    done
}

main "$@"
