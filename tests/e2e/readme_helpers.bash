# Shared by readme.bats (generated): the backends the README files' examples name,
# on 127.0.0.1 with ports chosen at run time, and a stand-in for the clone
# whose examples/ names those ports (tests/readme_examples.py prepare).
load helpers

# The pyenv shim costs a second per call; the system interpreter does not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
EXAMPLES=$ROOT/tests/readme_examples.py

# serve NAME CMD...: run a backend that prints its first line once listening.
serve() {
    local name=$1 dir=$BATS_FILE_TMPDIR i
    shift
    "$@" >"$dir/$name.out" 2>"$dir/$name.log" 3>&- &
    echo $! >"$dir/$name.pid"
    for i in $(seq 1 200); do
        [ -s "$dir/$name.out" ] && return 0
        kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null || break
        sleep 0.05
    done
    cat "$dir/$name.log" >&2
    return 1
}

setup_file() {
    local dir=$BATS_FILE_TMPDIR try
    # A private copy: a concurrent `make` relinking the binary cannot break a run.
    cp "$ACTIONS_BIN" "$dir/actions-under-test"
    # Four-digit ports, as in the README; one may be taken meanwhile: try again.
    # examples/hello's NUMBER_BACKEND: its README's copy of the spec whose
    # example message is a number.
    sed 's/"message": "Hello World"/"message": 42/' "$ROOT/specs/helloworld.json" >"$dir/number.json"
    for try in 1 2 3 4 5; do
        read -r HELLO PETSTORE FIXTURE NUMBER DEAD < <("$PY" "$EXAMPLES" ports 5)
        serve hello "$dir/actions-under-test" mock "$ROOT/specs/helloworld.json" \
            --port "$HELLO" --quiet &&
            serve petstore "$dir/actions-under-test" mock "$ROOT/specs/petstore.yaml" \
                --port "$PETSTORE" --quiet &&
            serve number "$dir/actions-under-test" mock "$dir/number.json" \
                --port "$NUMBER" --quiet &&
            serve fixture "$PY" "$ROOT/tests/fixtures/server.py" "$FIXTURE" && break
        teardown_file
        rm -f "$dir"/*.out "$dir"/*.pid
    done
    [ -s "$dir/fixture.out" ] || return 1
    # The ports the files of examples/ name, as README.md's examples start them.
    "$PY" "$EXAMPLES" prepare "$ROOT" "$dir/root" "$dir/actions-under-test" \
        3333="$HELLO" 3334="$NUMBER" 3335="$PETSTORE" 3336="$FIXTURE" 3339="$DEAD"
}

teardown_file() {
    local n
    for n in hello petstore number fixture; do
        [ -f "$BATS_FILE_TMPDIR/$n.pid" ] && kill "$(cat "$BATS_FILE_TMPDIR/$n.pid")" 2>/dev/null
    done
    return 0
}

# readme_example CMDLINE: run the README example with that command line.
readme_example() {
    run "$PY" "$EXAMPLES" run "$BATS_FILE_TMPDIR/root" "$1"
    echo "$output"
    [ "$status" -eq 0 ]
}

# check_generated: readme.bats lists exactly the README's examples.
check_generated() {
    run diff <("$PY" "$EXAMPLES" bats) "$BATS_TEST_DIRNAME/readme.bats"
    echo "$output"
    [ "$status" -eq 0 ] || {
        echo "README.md and readme.bats differ: python3 tests/readme_examples.py bats > tests/e2e/readme.bats"
        return 1
    }
}

# next_step: the command README.md gives after `make demo`
# ("cd examples/hello && ../../actions test get.hello ..."), run as written
# from the root of the stand-in clone, against the hello-world mock.
next_step() {
    local line
    line=$(grep -m1 '^cd examples/hello && ' "$ROOT/README.md")
    [ -n "$line" ] || { echo "README.md: no line starting 'cd examples/hello && '"; return 1; }
    # The mock it follows listens where examples/hello/connector.yaml expects it.
    grep -q '^\./actions mock specs/helloworld\.json --port 3333 ' "$ROOT/README.md"
    grep -q 'internalPort: 3333$' "$ROOT/examples/hello/connector.yaml"
    run sh -c "cd '$BATS_FILE_TMPDIR/root' && $line"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" =~ ^"PASS get.hello 200 OK "[0-9]+" ms"$ ]]
}
