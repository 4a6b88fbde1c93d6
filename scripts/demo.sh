#!/bin/sh
# demo.sh - `make demo`: the on-premise hello-world scenario on one machine.
#
# Starts `actions mock` for specs/helloworld.json on 127.0.0.1:3333 (the
# "on-premise" backend the connector of examples/hello maps internalhost:3333
# to), then, inside examples/hello, lists the actions, checks the destination,
# tests get.hello (PASS), and shows the three failures the walkthrough warns
# about with their exact messages and exit codes. Then the process
# (examples/hello/process.arazzo.yaml) runs against the hello mock (through the
# connector) and a mock of specs/inbox.json on 3336: get.hello's message becomes
# the subject of the form posted in step 2. Every mock started here is stopped by
# its PID on exit.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/actions
tmp=$(mktemp -d "${TMPDIR:-/tmp}/actions-demo.XXXXXX")
pids=""
cleanup() {
    for p in $pids; do
        kill "$p" 2>/dev/null || true
    done
    for p in $pids; do
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# start_mock NAME SPEC PORT SHOWN: run `actions mock` in the background, wait for "listening on".
start_mock() {
    "$bin" mock "$2" --port "$3" >"$tmp/$1.out" 2>"$tmp/$1.log" &
    pids="$pids $!"
    i=0
    while ! grep -q '^listening on ' "$tmp/$1.out" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 100 ] || ! kill -0 "$!" 2>/dev/null; then
            echo "demo: actions mock $2 --port $3 did not start:" >&2
            cat "$tmp/$1.log" >&2
            exit 2
        fi
        sleep 0.05
    done
    printf '$ actions mock %s --port %s &\n%s\n' "$4" "$3" "$(cat "$tmp/$1.out")"
}

# The binary of this tree, shown as plain `actions`.
actions() {
    "$bin" "$@"
}

# run CMD...: show the command, run it, show its exit code (never stops the demo).
run() {
    printf '\n$ %s\n' "$*"
    rc=0
    "$@" || rc=$?
    printf '(exit %d)\n' "$rc"
}

echo "== the on-premise backend: a mock of specs/helloworld.json on 127.0.0.1:3333"
start_mock hello "$root/specs/helloworld.json" 3333 specs/helloworld.json

cd "$root/examples/hello"
echo
echo "== the project in examples/hello (actions.yaml, destinations.yaml, connector.yaml)"
run actions list
run actions dest check ON_PREM_HELLO_WORLD --path /hello
run actions test get.hello --dest ON_PREM_HELLO_WORLD
run actions test get.hello --dest ON_PREM_HELLO_WORLD --format json

echo
echo "== what goes wrong, and how it reads"
echo
echo "-- 1. a destination whose virtual host is not mapped in connector.yaml (exit 3)"
run actions test get.hello --dest ON_PREM_UNMAPPED
echo
echo "-- 2. a path outside the connector's resource policy (only /hello is exposed; exit 3)"
run actions dest check ON_PREM_HELLO_WORLD
echo
echo "-- 3. a backend whose \"message\" is a number (exit 1)"
echo '   (number.json: specs/helloworld.json with the example {"message": 42})'
sed 's/"message": "Hello World"/"message": 42/' "$root/specs/helloworld.json" >"$tmp/number.json"
start_mock number "$tmp/number.json" 3334 number.json
run actions test get.hello --dest NUMBER_BACKEND

echo
echo "== the process: get.hello's message becomes the subject of a form (process.arazzo.yaml)"
echo "   (the inbox API, specs/inbox.json, mocked on 127.0.0.1:3336: destination INBOX)"
start_mock inbox "$root/specs/inbox.json" 3336 ../../specs/inbox.json
run actions lint process.arazzo.yaml
echo "   (with no FILE, actions run runs the processes of actions.yaml, whose destinations"
echo "   map the source descriptions: hello -> ON_PREM_HELLO_WORLD, inbox -> INBOX)"
run actions run
echo
echo "   step 1's output message went into step 2's request body (subject), -v traces both:"
run actions run process.arazzo.yaml --dest hello=ON_PREM_HELLO_WORLD --dest inbox=INBOX \
    --format json -v

echo
echo "== the mocks' logs (one line per request; the second warns about its example)"
cat "$tmp/hello.log" "$tmp/number.log" "$tmp/inbox.log"
