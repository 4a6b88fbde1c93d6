#!/bin/bash
# mock.sh - `actions mock`: start-up on GitHub's spec to the first answered request, and
# throughput on loopback for /hello with wrk (10 s, 50 connections), side by side with
# Prism 5 (npm @stoplight/prism-cli) when it can be installed into build/bench/prism; wrk
# on POST /pets of the petstore (a body validated per request); then every GET operation
# of GitHub's spec through `actions test --all` against the mock.
#
#   bench/mock.sh            run from the repository root after `make`
#
# Environment: ACTIONS_BIN (default ./actions), ACTIONS_BENCH_CACHE (see fetch-github.sh),
# BENCH_RUNS (start-up runs, default 5), BENCH_PRISM=0 to skip Prism.
# Output: a table on stdout and build/bench/mock.md. Exit 0 when it ran (targets not met are
# reported, not failed), 1 when it could not run.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BIN=${ACTIONS_BIN:-$root/actions}
RUNS=${BENCH_RUNS:-5}
OUT=build/bench
PRISM_DIR=$OUT/prism
mkdir -p "$OUT"
say() { printf '%s\n' "$*" >&2; }
die() {
    say "mock.sh: $*"
    exit 1
}

command -v wrk >/dev/null 2>&1 || die "wrk is not installed (apt-get install wrk)"
GH=$(bench/fetch-github.sh | sed -n 1p) || die "no GitHub spec (offline?)"
[ -s "$GH" ] || die "no GitHub spec at $GH"

# Milliseconds from starting "$@" (which prints a line ending in :PORT when it listens,
# or, for Prism, which we poll) to the first answer of GET $path.
start_actions() { # spec path -> ms
    local s e line port m_pid
    s=$(date +%s%N)
    coproc M { exec "$BIN" mock "$1" --port 0 --quiet; }
    m_pid=$M_PID
    read -r line <&"${M[0]}"
    port=${line##*:}
    curl -s -o /dev/null "http://127.0.0.1:$port$2"
    e=$(date +%s%N)
    kill "$m_pid" 2>/dev/null || true
    wait "$m_pid" 2>/dev/null || true
    echo $(((e - s) / 1000000))
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_prism() { # spec path -> ms
    local s e port pid
    port=$(free_port)
    s=$(date +%s%N)
    "$PRISM_DIR/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$port" "$1" >/dev/null 2>&1 &
    pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$port$2"; do
        sleep 0.02
        kill -0 "$pid" 2>/dev/null || { echo "-"; return; }
    done
    e=$(date +%s%N)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo $(((e - s) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }

# Requests per second of wrk against a server on $1, and peak RSS (KiB) of pid $2.
throughput() {
    wrk -t2 -c50 -d10s "http://127.0.0.1:$1/hello" 2>/dev/null | awk '/Requests\/sec/ { print $2 }'
}

have_prism=0
if [ "${BENCH_PRISM:-1}" != 0 ]; then
    if [ ! -x "$PRISM_DIR/node_modules/.bin/prism" ]; then
        say "== installing Prism 5 into $PRISM_DIR"
        mkdir -p "$PRISM_DIR"
        (cd "$PRISM_DIR" && npm install --no-save --no-audit --no-fund @stoplight/prism-cli@5 >/dev/null 2>&1) || true
    fi
    [ -x "$PRISM_DIR/node_modules/.bin/prism" ] && have_prism=1
fi

say "== start-up on the GitHub spec to the first answer (GET /meta), $RUNS runs"
a_start=$(for _ in $(seq "$RUNS"); do start_actions "$GH" /meta; done | median)
p_start="-"
if [ "$have_prism" = 1 ]; then
    p_start=$(for _ in $(seq 2); do start_prism "$GH" /meta; done | median)
fi

say "== wrk: /hello for 10 s with 50 connections"
coproc H { exec "$BIN" mock specs/helloworld.json --port 0 --quiet; }
h_pid=$H_PID # bash may unset H_PID once it notices the coproc's state change
read -r line <&"${H[0]}"
a_port=${line##*:}
a_rps=$(throughput "$a_port")
a_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$h_pid/status")
kill "$h_pid"
wait "$h_pid" 2>/dev/null || true
p_rps="-"
p_rss="-"
if [ "$have_prism" = 1 ]; then
    p_port=$(free_port)
    "$PRISM_DIR/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$p_port" specs/helloworld.json >/dev/null 2>&1 &
    p_pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$p_port/hello"; do sleep 0.05; done
    p_rps=$(throughput "$p_port")
    p_rss=$(ps -o rss= --ppid "$p_pid" --pid "$p_pid" | awk '{ s += $1 } END { print s }')
    kill "$p_pid" 2>/dev/null || true
    pkill -P "$p_pid" 2>/dev/null || true
    wait "$p_pid" 2>/dev/null || true
fi

# POST with a JSON body the mock validates (petstore's createPet), same wrk settings: the
# answers share one validator, so this is the row a lock would show up in.
cat >"$OUT/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"name": "rex", "tag": null, "status": "available"}'
wrk.headers["Content-Type"] = "application/json"
LUA
coproc P { exec "$BIN" mock specs/petstore.yaml --port 0 --quiet; }
pp_pid=$P_PID
read -r line <&"${P[0]}"
pp_port=${line##*:}
a_post=$(wrk -t2 -c50 -d10s -s "$OUT/post.lua" "http://127.0.0.1:$pp_port/pets" 2>/dev/null |
    awk '/Requests\/sec/ { print $2 }')
kill "$pp_pid"
wait "$pp_pid" 2>/dev/null || true

# Every GET of the GitHub spec through actions test --all --fill against actions mock --valid-only.
coproc G { exec "$BIN" mock "$GH" --port 0 --quiet --valid-only; }
g_pid=$G_PID
read -r gline <&"${G[0]}"
gport=${gline##*:}
cat >"$OUT/gh-mock-dest.yaml" <<YAML
destinations:
  - Name: GH_MOCK
    URL: http://127.0.0.1:$gport
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
gs=$(date +%s%N)
all_line=$("$BIN" test "$GH" --all --method GET --fill --dest GH_MOCK \
    --destinations "$OUT/gh-mock-dest.yaml" 2>&1 | tail -n 1) || true
ge=$(date +%s%N)
kill "$g_pid" 2>/dev/null || true
wait "$g_pid" 2>/dev/null || true
all_secs=$(awk -v s="$gs" -v e="$ge" 'BEGIN { printf "%.2f", (e - s) / 1e9 }')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1f", a / b }'; }
check() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "-") print "not measured";
    else if ((op == "<=" && v <= t) || (op == ">=" && v >= t)) print "met"; else print "NOT met" }'; }
{
    echo "# actions mock vs Prism 5"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
    echo
    echo "| | actions mock | Prism 5 |"
    echo "|---|---:|---:|"
    echo "| start-up on the GitHub spec to the first answer (median) | ${a_start} ms | ${p_start} ms |"
    echo "| wrk /hello, 10 s, 50 connections | ${a_rps} req/s | ${p_rps} req/s |"
    echo "| wrk POST /pets with a validated JSON body (petstore), 10 s, 50 connections | ${a_post} req/s | - |"
    echo "| peak RSS of the server during wrk | $((a_rss / 1024)) MiB | $([ "$p_rss" = - ] && echo - || echo $((p_rss / 1024))) MiB |"
    echo
    echo "Every GET of the GitHub spec, \`actions test --all --method GET --fill\` against"
    echo "\`actions mock --valid-only\`, one job, whole process: ${all_secs} s — $all_line"
    echo
    echo "| target | measured | wanted | status |"
    echo "|---|---:|---:|---|"
    echo "| start-up (s) | $(awk -v m="$a_start" 'BEGIN { printf "%.3f", m / 1000 }') | <= 0.3 | $(check "$(awk -v m="$a_start" 'BEGIN { print m / 1000 }')" "<=" 0.3) |"
    rs=$(ratio "$p_start" "$a_start")
    echo "| Prism start-up / actions | $rs | >= 25 | $(check "$rs" ">=" 25) |"
    rt=$(ratio "$a_rps" "$p_rps")
    echo "| actions throughput / Prism | $rt | >= 10 | $(check "$rt" ">=" 10) |"
} | tee "$OUT/mock.md"
