#!/usr/bin/env bats
# actions mock against hostile and concurrent clients: slow clients withholding
# their bodies, an expensive validation, large uploads against the global body
# cap, malformed percent-encoding, absolute-form targets, many clients at once,
# and SIGTERM with requests in flight. Loopback only; ports chosen at run time.
# Waits are bounded generously (timeouts of 20 s or more): they catch a wedged
# server, they do not measure speed.

load helpers

setup_file() {
    # A private copy: a concurrent `make` relinking the binary cannot break a run.
    cp "$ACTIONS_BIN" "$BATS_FILE_TMPDIR/actions-under-test"
    ACTIONS_BIN=$BATS_FILE_TMPDIR/actions-under-test
    export ACTIONS_BIN
    # A tree whose every level applies its node schema twice (allOf): validation doubles
    # its work at each level, so a body nested 40 deep never finishes without a limit.
    # The validator's work budget would stop it first; the mocks below raise that budget
    # (--max-validation-steps) so that the mock's own time limit is what is tested.
    cat >"$BATS_FILE_TMPDIR/tree.yaml" <<'YAML'
openapi: 3.0.3
info: {title: tree, version: 1.0.0}
paths:
  /hello:
    get:
      operationId: hello
      responses:
        '200':
          description: a greeting
          content:
            application/json:
              schema: {type: object, properties: {hello: {type: string}}}
              example: {hello: world}
  /tree:
    post:
      operationId: postTree
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses:
        '201': {description: stored}
components:
  schemas:
    Node:
      type: object
      properties:
        sub:
          allOf:
            - $ref: '#/components/schemas/Node'
            - $ref: '#/components/schemas/Node'
YAML
    python3 -c 'd = 40; print("{\"sub\":" * d + "{}" + "}" * d)' >"$BATS_FILE_TMPDIR/deep.json"
    start_mock pets "$SPECS/petstore.yaml"
}

teardown_file() {
    stop_and_reap pets
}

# stop_and_reap NAME: SIGTERM to mock NAME; one still running 20 s later (wedged)
# is killed, so a failing run leaves nothing behind.
stop_and_reap() {
    local pid i
    pid=$(cat "$BATS_FILE_TMPDIR/$1.pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || return 0
    for i in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
    return 0
}

teardown() {
    local f m
    # Clients a test started in the background, then its mocks (listed in mocks).
    for f in "$BATS_TEST_TMPDIR"/*.bgpid; do
        [ -e "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
    done
    if [ -e "$BATS_TEST_TMPDIR/mocks" ]; then
        while read -r m; do stop_and_reap "$m"; done <"$BATS_TEST_TMPDIR/mocks"
    fi
    return 0
}

# hold PORT NAME CONTENT_LENGTH SENT: a raw client sending a POST /pets whose headers
# declare CONTENT_LENGTH bytes, then SENT of them, then nothing; it keeps the
# connection open (up to 120 s) and writes NAME.ready once everything was sent, and
# the server's answer, if any, to NAME.answer. Its PID is in NAME.bgpid.
hold() {
    local port=$1 name=$2 len=$3 sent=$4 dir=$BATS_TEST_TMPDIR
    # In a subshell, so it is no job of the test's shell (no "Killed" notice).
    (
        python3 - "$port" "$len" "$sent" "$dir/$name" <<'PY' &
import socket, sys, time
port, length, sent, base = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = socket.create_connection(("127.0.0.1", port))
head = ("POST /pets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: %d\r\n\r\n" % length).encode()
answer = b""
try:
    s.sendall(head)
    chunk = b" " * 65536
    left = sent
    while left > 0:
        n = min(left, len(chunk))
        s.sendall(chunk[:n])
        left -= n
except OSError:
    pass  # refused: the server answered and closed
open(base + ".ready", "w").close()
s.settimeout(120)
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        answer += b
        open(base + ".answer", "wb").write(answer)
except OSError:
    pass
open(base + ".closed", "w").close()
time.sleep(120)
PY
        echo $! >"$dir/$name.bgpid"
    )
}

# wait_for FILE: until FILE exists (at most 60 s).
wait_for() {
    local i
    for i in $(seq 1 600); do
        [ -e "$1" ] && return 0
        sleep 0.1
    done
    echo "timed out waiting for $1" >&2
    return 1
}

# rss PID: the resident set of PID in KiB.
rss() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

@test "a client withholding its body does not hold up other requests" {
    local port
    port=$(port_of pets)
    hold "$port" slow 1000000 1000
    wait_for "$BATS_TEST_TMPDIR/slow.ready"
    run curl -s --max-time 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/pets"
    [ "$output" = 200 ]
    # and the slow request is still pending, not answered
    [ ! -e "$BATS_TEST_TMPDIR/slow.answer" ]
}

@test "an expensive validation is stopped (503 after 2 s) and holds up no one for long" {
    start_mock tree "$BATS_FILE_TMPDIR/tree.yaml" --max-validation-steps 1000000000000
    echo tree >>"$BATS_TEST_TMPDIR/mocks"
    local port
    port=$(port_of tree)
    curl -s --max-time 60 -o "$BATS_TEST_TMPDIR/tree.body" -w '%{http_code}' \
        -H 'Content-Type: application/json' --data-binary "@$BATS_FILE_TMPDIR/deep.json" \
        "http://127.0.0.1:$port/tree" >"$BATS_TEST_TMPDIR/tree.code" &
    local cpid=$!
    # Sent once the server logged nothing yet for /tree: it is busy with it.
    sleep 0.2
    run curl -s --max-time 20 "http://127.0.0.1:$port/hello"
    [ "$output" = '{"hello":"world"}' ]
    wait "$cpid"
    [ "$(cat "$BATS_TEST_TMPDIR/tree.code")" = 503 ]
    [ "$(cat "$BATS_TEST_TMPDIR/tree.body")" = '{"errors":["validation stopped: the mock spends at most 2 s on one request (--validate-timeout)"]}' ]
    grep -q '^POST /tree 503 ' "$BATS_FILE_TMPDIR/tree.log"
}

@test "--validate-timeout sets the time one request may take" {
    start_mock tree2 "$BATS_FILE_TMPDIR/tree.yaml" --validate-timeout 0.5 --max-validation-steps 1000000000000
    echo tree2 >>"$BATS_TEST_TMPDIR/mocks"
    run curl -s --max-time 60 -w ' %{http_code}' -H 'Content-Type: application/json' \
        --data-binary "@$BATS_FILE_TMPDIR/deep.json" "http://127.0.0.1:$(port_of tree2)/tree"
    [ "$output" = '{"errors":["validation stopped: the mock spends at most 0.5 s on one request (--validate-timeout)"]} 503' ]
    # a shallow tree is validated in time (and refused: a node must be an object)
    run curl -s --max-time 60 -w ' %{http_code}' -H 'Content-Type: application/json' \
        --data-binary '{"sub": {"sub": 5}}' "http://127.0.0.1:$(port_of tree2)/tree"
    [[ "$output" == '{"errors":["request body /sub/sub: expected object, got number'*'"]} 400' ]]
}

@test "expensive requests at once: each is stopped or told the mock is busy (503); none waits forever" {
    start_mock tree3 "$BATS_FILE_TMPDIR/tree.yaml" --validate-timeout 0.5 --max-validation-steps 1000000000000
    echo tree3 >>"$BATS_TEST_TMPDIR/mocks"
    local port i pids=()
    port=$(port_of tree3)
    for i in 1 2 3 4 5 6; do
        curl -s --max-time 60 -o "$BATS_TEST_TMPDIR/r$i" -H 'Content-Type: application/json' \
            --data-binary "@$BATS_FILE_TMPDIR/deep.json" "http://127.0.0.1:$port/tree" &
        pids+=($!)
    done
    wait "${pids[@]}"
    # Answers are worked out one at a time, 0.5 s each at most, and a request waits
    # at most 1 s for its turn: six of them cannot all have had one.
    local stopped=0 busy=0
    for i in 1 2 3 4 5 6; do
        case $(cat "$BATS_TEST_TMPDIR/r$i") in
        '{"errors":["validation stopped: the mock spends at most 0.5 s on one request (--validate-timeout)"]}')
            stopped=$((stopped + 1)) ;;
        '{"errors":["the mock is busy with other requests, try again later (a request waits at most 1 s for its turn: twice --validate-timeout)"]}')
            busy=$((busy + 1)) ;;
        *) cat "$BATS_TEST_TMPDIR/r$i" >&2 ;;
        esac
    done
    echo "stopped $stopped, busy $busy" >&2
    [ $((stopped + busy)) -eq 6 ]
    [ "$stopped" -ge 1 ]
    [ "$busy" -ge 1 ]
    [ "$(grep -c '^POST /tree 503 ' "$BATS_FILE_TMPDIR/tree3.log")" -eq 6 ]
}

@test "8 withheld large uploads stay within --max-buffered; the mock keeps answering" {
    start_mock cap "$SPECS/petstore.yaml" --max-buffered 32M
    echo cap >>"$BATS_TEST_TMPDIR/mocks"
    local port pid before after i
    port=$(port_of cap)
    pid=$(cat "$BATS_FILE_TMPDIR/cap.pid")
    before=$(rss "$pid")
    for i in 1 2 3 4 5 6 7 8; do
        hold "$port" "up$i" $((16 * 1024 * 1024)) $((15 * 1024 * 1024))
    done
    for i in 1 2 3 4 5 6 7 8; do
        wait_for "$BATS_TEST_TMPDIR/up$i.ready"
    done
    after=$(rss "$pid")
    echo "VmRSS before ${before} KiB, after ${after} KiB" >&2
    # 32 MiB of bodies at most, plus generous room for everything else (without
    # the cap: 8 x 15 MiB = 120 MiB).
    [ $((after - before)) -lt $((64 * 1024)) ]
    # Two fit; the other six were answered 503 with the reason, and closed.
    local refused=0
    for i in 1 2 3 4 5 6 7 8; do
        if [ -e "$BATS_TEST_TMPDIR/up$i.answer" ]; then
            wait_for "$BATS_TEST_TMPDIR/up$i.closed"
            grep -q '^HTTP/1.1 503 ' "$BATS_TEST_TMPDIR/up$i.answer"
            grep -q 'the mock holds at most 32 MiB of request bodies at once (--max-buffered)' \
                "$BATS_TEST_TMPDIR/up$i.answer"
            refused=$((refused + 1))
        fi
    done
    [ "$refused" -eq 6 ]
    run curl -s --max-time 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/pets"
    [ "$output" = 200 ]
}

@test "beyond --max-buffered: 503 with a JSON error, then the connection is closed" {
    start_mock cap2 "$SPECS/petstore.yaml" --max-buffered 10M
    echo cap2 >>"$BATS_TEST_TMPDIR/mocks"
    local port
    port=$(port_of cap2)
    hold "$port" a 4000000 0
    hold "$port" b 4000000 0
    wait_for "$BATS_TEST_TMPDIR/a.ready"
    wait_for "$BATS_TEST_TMPDIR/b.ready"
    sleep 0.2 # both requests' headers read by the server
    run curl -s --max-time 20 -D "$BATS_TEST_TMPDIR/h" -H 'Content-Type: application/json' \
        -H 'Content-Length: 4000000' -H 'Expect:' --data-binary '' \
        "http://127.0.0.1:$port/pets"
    [ "$output" = '{"errors":["request body of 4000000 bytes does not fit: the mock holds at most 10 MiB of request bodies at once (--max-buffered), try again later"]}' ]
    grep -q '^HTTP/1.1 503 ' "$BATS_TEST_TMPDIR/h"
    grep -qi '^Connection: close' "$BATS_TEST_TMPDIR/h"
    # A chunked body (no length declared) is counted as it arrives.
    head -c 3000000 /dev/zero | tr '\0' ' ' >"$BATS_TEST_TMPDIR/3mb"
    run curl -s --max-time 20 -H 'Content-Type: application/json' \
        -H 'Transfer-Encoding: chunked' --data-binary "@$BATS_TEST_TMPDIR/3mb" \
        "http://127.0.0.1:$port/pets"
    [ "$output" = '{"errors":["request body does not fit: the mock holds at most 10 MiB of request bodies at once (--max-buffered), try again later"]}' ]
    # Once the two holders go, their room is free again.
    kill -9 "$(cat "$BATS_TEST_TMPDIR/a.bgpid")" "$(cat "$BATS_TEST_TMPDIR/b.bgpid")"
    local i code=
    for i in $(seq 1 100); do
        code=$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' \
            -H 'Content-Type: application/json' --data-binary '{"id": 1, "name": "a"}' \
            "http://127.0.0.1:$port/pets")
        [ "$code" = 503 ] || break
        sleep 0.1
    done
    [ "$code" = 201 ]
}

@test "a body declared above 64 MiB is answered 413 at once, without reading it" {
    local port
    port=$(port_of pets)
    hold "$port" big $((65 * 1024 * 1024)) 0
    wait_for "$BATS_TEST_TMPDIR/big.closed"
    grep -q '^HTTP/1.1 413 ' "$BATS_TEST_TMPDIR/big.answer"
    grep -q '{"errors":\["request body of 68157440 bytes is larger than the mock accepts (64 MiB)"\]}' \
        "$BATS_TEST_TMPDIR/big.answer"
}

@test "invalid percent-encoding in the path or the query is a 400 with a message" {
    local port p
    port=$(port_of pets)
    for p in '/pets/%zz' '/pets/%' '/pets/%4' '/pets/a%g1'; do
        run curl -s --max-time 20 -w ' %{http_code}' "http://127.0.0.1:$port$p"
        [[ "$output" == '{"errors":["invalid percent-encoding in the path: \"%'*'\" (\"%\" must be followed by two hex digits)"]} 400' ]]
    done
    run curl -s --max-time 20 -w ' %{http_code}' "http://127.0.0.1:$port/pets?limit=%zz"
    [ "$output" = '{"errors":["invalid percent-encoding in the query: \"%zz\" (\"%\" must be followed by two hex digits)"]} 400' ]
    # well-formed escapes still work
    run curl -s --max-time 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/pets/%31"
    [ "$output" = 200 ]
}

@test "an absolute-form request target is routed by its path and query" {
    local port
    port=$(port_of pets)
    run python3 - "$port" <<'PY'
import socket, sys
port = int(sys.argv[1])
def ask(target):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % target).encode())
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    return data.decode().split("\r\n")[0], data.decode().split("\r\n\r\n", 1)[1]
print(*ask("http://127.0.0.1:%d/pets?limit=2" % port))
print(*ask("http://127.0.0.1:%d/pets?limit=500" % port))
print(*ask("HTTP://example.com/pets/7"))
PY
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == 'HTTP/1.1 200 OK ['* ]]
    [[ "${lines[1]}" == 'HTTP/1.1 400 Bad Request {"errors":["query parameter \"limit\": expected at most 100'* ]]
    [[ "${lines[2]}" == 'HTTP/1.1 200 OK {'* ]]
}

@test "many clients at once are all answered, each with its own answer" {
    local port
    port=$(port_of pets)
    run python3 - "$port" <<'PY'
import http.client, json, re, sys, threading
port = int(sys.argv[1])
bad = []
def client(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(40):
        if i % 3 == 0:
            c.request("GET", "/pets/%d" % (k * 100 + i))
            want, ok = 200, lambda b: isinstance(json.loads(b), dict)
        elif i % 3 == 1:
            c.request("GET", "/pets?limit=%d" % (500 + i))
            want, ok = 400, lambda b, i=i: float(re.search(r"got (\S+) ", b).group(1)) == 500 + i
        else:
            c.request("POST", "/pets", body=json.dumps({"id": i, "name": "n%d" % k}),
                      headers={"Content-Type": "application/json"})
            want, ok = 201, lambda b: True
        r = c.getresponse()
        body = r.read().decode()
        if r.status != want or not ok(body):
            bad.append((k, i, r.status, body[:200]))
threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(bad), bad[:3])
PY
    [ "$status" -eq 0 ]
    [ "$output" = "0 []" ]
}

@test "SIGTERM stops the mock cleanly (exit 0) with requests in flight" {
    local dir=$BATS_TEST_TMPDIR pid port status i
    "$ACTIONS_BIN" mock "$BATS_FILE_TMPDIR/tree.yaml" --port 0 >"$dir/m.out" 2>"$dir/m.log" 3>&- &
    pid=$!
    echo "$pid" >"$dir/m.bgpid"
    for i in $(seq 1 600); do
        grep -q '^listening on ' "$dir/m.out" && break
        sleep 0.1
    done
    port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$dir/m.out")
    [ -n "$port" ]
    hold "$port" slow 1000000 1000
    wait_for "$dir/slow.ready"
    curl -s --max-time 60 -o /dev/null -H 'Content-Type: application/json' \
        --data-binary "@$BATS_FILE_TMPDIR/deep.json" "http://127.0.0.1:$port/tree" &
    sleep 0.2
    kill -TERM "$pid"
    # A server that has not stopped 60 s later is killed, and the test fails.
    for i in $(seq 1 600); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    status=0
    wait "$pid" || status=$?
    [ "$status" -eq 0 ]
}

@test "--idle-timeout: a connection withholding its body is closed" {
    start_mock idle "$SPECS/petstore.yaml" --idle-timeout 1
    echo idle >>"$BATS_TEST_TMPDIR/mocks"
    hold "$(port_of idle)" slow 1000000 10
    wait_for "$BATS_TEST_TMPDIR/slow.closed"
}

@test "--max-connections: a connection beyond them is closed; served again once they go" {
    start_mock few "$SPECS/petstore.yaml" --max-connections 2
    echo few >>"$BATS_TEST_TMPDIR/mocks"
    local port i code=
    port=$(port_of few)
    for i in 1 2 3; do
        hold "$port" "c$i" 1000 10
        wait_for "$BATS_TEST_TMPDIR/c$i.ready"
    done
    run curl -s --max-time 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/pets"
    [ "$output" = 000 ]
    for i in 1 2 3; do kill -9 "$(cat "$BATS_TEST_TMPDIR/c$i.bgpid")"; done
    for i in $(seq 1 100); do
        code=$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/pets")
        [ "$code" = 200 ] && break
        sleep 0.1
    done
    [ "$code" = 200 ]
}

@test "usage errors: --max-connections, --max-buffered, --validate-timeout, --idle-timeout" {
    run_split act mock "$SPECS/helloworld.json" --max-connections 0
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf '%s\nsee: actions mock --help' 'actions: error: --max-connections needs a number from 1 to 10000, not "0"')" ]
    run_split act mock "$SPECS/helloworld.json" --max-buffered 12X
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: --max-buffered expects a positive number of bytes'* ]]
    run_split act mock "$SPECS/helloworld.json" --validate-timeout -1
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: --validate-timeout expects a positive number of seconds'* ]]
    run_split act mock "$SPECS/helloworld.json" --idle-timeout x
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: --idle-timeout expects a positive number of seconds'* ]]
    [[ "$stderr" == *$'\nsee: actions mock --help' ]]
}
