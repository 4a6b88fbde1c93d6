# Shared by the .bats files: the binary under test and the repository root.
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
ACTIONS_BIN=${ACTIONS_BIN:-$ROOT/actions}
SPECS=$ROOT/specs
unset ACTIONS_SPEC

act() {
    "$ACTIONS_BIN" "$@"
}

# run_split CMD...: like bats' run, but keeps stdout in $output and stderr in $stderr.
run_split() {
    local errf="$BATS_TEST_TMPDIR/stderr"
    status=0
    output=$("$@" 2>"$errf") || status=$?
    stderr=$(cat "$errf")
}

# limit_memory KB: a shell prefix capping virtual memory, so a runaway
# allocation fails the test instead of the machine. ASan reserves terabytes of
# address space for its shadow, so sanitizer builds are bounded by ASan itself.
limit_memory() {
    if [ -n "${SAN:-}" ]; then
        echo ""
    else
        echo "ulimit -v $1;"
    fi
}

# start_mock NAME SPEC [ARGS...]: `actions mock SPEC --port 0` in the
# background; its port in $BATS_FILE_TMPDIR/NAME.port, its PID in NAME.pid.
start_mock() {
    local name=$1 spec=$2 dir=$BATS_FILE_TMPDIR i
    shift 2
    "$ACTIONS_BIN" mock "$spec" --port 0 "$@" >"$dir/$name.out" 2>"$dir/$name.log" 3>&- &
    echo $! >"$dir/$name.pid"
    for i in $(seq 1 200); do
        grep -q '^listening on ' "$dir/$name.out" 2>/dev/null && break
        sleep 0.05
    done
    sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$dir/$name.out" >"$dir/$name.port"
    [ -s "$dir/$name.port" ] || { cat "$dir/$name.log" >&2; return 1; }
}

port_of() { cat "$BATS_FILE_TMPDIR/$1.port"; }

stop_mock() {
    local pid
    pid=$(cat "$BATS_FILE_TMPDIR/$1.pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null
    return 0
}

# need_pyyaml: skip, saying why, when python3 cannot read YAML (Debian's python3-yaml).
need_pyyaml() {
    python3 -c 'import yaml' 2>/dev/null ||
        skip "needs python3-yaml: apt-get install python3-yaml (make check does it as root)"
}
