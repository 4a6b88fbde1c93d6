#!/bin/bash
# test.sh - benchmark `actions test` against a local server, side by side with curl.
#
#   bench/test.sh            run from the repository root after `make`
#
# Two cases, each timed with hyperfine (whole processes, warm cache):
#   hello   actions test specs/helloworld.json get.hello --dest BENCH
#           vs  curl -s of the same URL                       target: <= 1.5x curl
#   github  actions test GITHUB.json repos/list-for-org --dest BENCH -p org=github,
#           answered by a ~160 kB JSON body built from the spec's own example,
#           vs  bare cJSON parse of the spec + curl -s of the URL   target: <= 1.3x
# The server is tests/fixtures/server.py on 127.0.0.1 with a port chosen at run
# time (killed on exit). The GitHub spec comes from bench/fetch-github.sh
# (cached in ${ACTIONS_BENCH_CACHE:-$HOME/.cache/actions-bench}); without it
# (offline) the github case is skipped.
#
# Environment:
#   ACTIONS_BIN   the binary to measure (default ./actions)
#   BENCH_RUNS    hyperfine runs per command (default 30)
#   BENCH_CC      compiler for the bare cJSON baseline (default gcc)
#
# Output: a table on stdout and build/bench/test/summary.md; hyperfine exports
# in build/bench/test/*.json. Exit status 0 when the benchmark ran (a target
# not met is reported, not failed), 1 when it could not run.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-30}
CC_BENCH=${BENCH_CC:-gcc}
OUT=build/bench/test
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

die() {
    echo "bench/test: $*" >&2
    exit 1
}
command -v hyperfine >/dev/null 2>&1 || die "hyperfine is not installed (apt-get install hyperfine)"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
[ -x "$BIN" ] || die "no binary at $BIN (run make first)"

rm -rf "$OUT"
mkdir -p "$OUT/static/orgs/github"

# --- the GitHub case's inputs (optional) -----------------------------------------
GH_JSON=""
if paths=$(bench/fetch-github.sh 2>"$OUT/fetch.err"); then
    GH_JSON=$(printf '%s\n' "$paths" | head -n 1)
    # A list-for-org answer of about 160 kB: the spec's example, repeated.
    "$PY" - "$GH_JSON" "$OUT/static/orgs/github/repos.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
item = spec["components"]["examples"]["minimal-repository-items"]["value"][0]
out, size, i = [], 2, 0
while size < 160 * 1024:
    e = dict(item, id=item["id"] + i, name="%s-%d" % (item["name"], i))
    out.append(e)
    size += len(json.dumps(e)) + 1
    i += 1
json.dump(out, open(sys.argv[2], "w"))
PY
    if [ ! -x build/bench/bare_cjson ] || [ bench/bare_cjson.c -nt build/bench/bare_cjson ]; then
        # shellcheck disable=SC2046
        "$CC_BENCH" -std=c11 -O2 -o build/bench/bare_cjson bench/bare_cjson.c \
            $(pkg-config --cflags --libs libcjson) || die "cannot build build/bench/bare_cjson"
    fi
else
    echo "bench/test: GitHub spec not available, skipping the github case:" >&2
    sed 's/^/  /' "$OUT/fetch.err" >&2
fi

# --- the server --------------------------------------------------------------------
FIXTURE_STATIC_DIR=$root/$OUT/static "$PY" tests/fixtures/server.py 0 >"$OUT/port" 2>"$OUT/server.err" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    [ -s "$OUT/port" ] && break
    sleep 0.05
done
port=$(head -n 1 "$OUT/port")
[ -n "$port" ] || die "the fixture server did not start: $(cat "$OUT/server.err")"
cat >"$OUT/destinations.yaml" <<YAML
destinations:
  - Name: BENCH
    URL: http://127.0.0.1:$port
    sap.applicationdevelopment.actions.enabled: true
YAML
export ACTIONS_DESTINATIONS=$root/$OUT/destinations.yaml
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export XDG_CACHE_HOME=$root/$OUT/cache

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# mean KEY: the mean in seconds of command KEY in hyperfine export FILE.
mean() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["results"][int(sys.argv[2])]["mean"])' "$1" "$2"; }

rows=()
# case NAME TARGET ACTIONS_CMD BASELINE_CMD BASELINE_LABEL
run_case() {
    local name=$1 target=$2 acmd=$3 bcmd=$4 blabel=$5
    # The command must pass before it is timed.
    sh -c "$acmd" >"$OUT/$name.out" 2>&1 || die "$name: the actions command failed: $(cat "$OUT/$name.out")"
    hyperfine --warmup 3 --runs "$RUNS" --export-json "$OUT/$name.json" \
        -n "actions ($name)" "$acmd" -n "$blabel" "$bcmd" >&2
    local a b ratio met
    a=$(mean "$OUT/$name.json" 0)
    b=$(mean "$OUT/$name.json" 1)
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
    met=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r <= t) ? "met" : "NOT met" }')
    rows+=("$(printf '| %s | %.1f ms | %s: %.1f ms | %sx | <= %sx | %s |' "$name" \
        "$(awk -v a="$a" 'BEGIN { print a * 1000 }')" "$blabel" \
        "$(awk -v b="$b" 'BEGIN { print b * 1000 }')" "$ratio" "$target" "$met")")
}

url="http://127.0.0.1:$port/hello"
run_case hello 1.5 \
    "$(q "$BIN") test specs/helloworld.json get.hello --dest BENCH" \
    "curl -s $(q "$url") > /dev/null" "curl -s"

if [ -n "$GH_JSON" ]; then
    url="http://127.0.0.1:$port/orgs/github/repos"
    run_case github 1.3 \
        "$(q "$BIN") test $(q "$GH_JSON") repos/list-for-org --dest BENCH -p org=github" \
        "build/bench/bare_cjson $(q "$GH_JSON") > /dev/null && curl -s $(q "$url") > /dev/null" \
        "bare cJSON parse + curl"
fi

{
    echo "| case | actions test | baseline | ratio | target | |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} | tee "$OUT/summary.md"
