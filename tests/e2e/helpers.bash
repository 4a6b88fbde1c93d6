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
