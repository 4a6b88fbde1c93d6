#!/usr/bin/env bats
# actions test --all: every action of a spec against actions mock (and against
# the fixture server for failures, unreachable backends and workers that die):
# the text lines and summary, JSON and JUnit reports, --jobs, --shard,
# --method/--tag, -p for all, --fill, skipped actions, exit codes, and the
# mock's --valid-only. Loopback only; every port is chosen at run time.

load runner_helpers

setup_file() {
    start_server
    start_mock pets "$SPECS/petstore.yaml" --quiet
    cat >"$BATS_FILE_TMPDIR/bad-example.yaml" <<'YAML'
openapi: 3.0.3
info: {title: bad example, version: 1.0.0}
paths:
  /count:
    get:
      operationId: getCount
      responses:
        '200':
          description: a count whose example is a string
          content:
            application/json:
              schema: {type: object, required: [n], properties: {n: {type: integer, minimum: 1}}}
              example: {n: "three"}
  /name:
    get:
      operationId: getName
      responses:
        '200':
          description: fine
          content:
            application/json:
              schema: {type: object, required: [name], properties: {name: {type: string}}}
              example: {name: rex}
YAML
    start_mock bad "$BATS_FILE_TMPDIR/bad-example.yaml"
    start_mock badvalid "$BATS_FILE_TMPDIR/bad-example.yaml" --valid-only
}

teardown_file() {
    local m
    for m in pets bad badvalid; do stop_mock "$m"; done
    stop_server
}

setup() {
    runner_env
    cat >"$BATS_TEST_TMPDIR/mocks.yaml" <<YAML
destinations:
  - Name: PETS
    URL: http://127.0.0.1:$(port_of pets)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: BAD
    URL: http://127.0.0.1:$(port_of bad)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: BADVALID
    URL: http://127.0.0.1:$(port_of badvalid)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: NOWHERE
    URL: http://127.0.0.1:$DEAD
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
    MOCKS=$BATS_TEST_TMPDIR/mocks.yaml
    cd "$BATS_TEST_TMPDIR"
}

# json_py EXPR: evaluate a Python expression over the JSON document in $output (as j).
json_py() {
    printf '%s' "$output" | "$PY" -c "import json,sys; j=json.load(sys.stdin); print($1)"
}

@test "--all: one line per action in spec order, skipped ones say what they need, a summary" {
    run_split act test "$SPECS/petstore.yaml" --all --dest PETS --destinations "$MOCKS"
    [ "$status" -eq 0 ]
    mapfile -t out <<<"$output"
    [[ "${out[0]}" == "PASS listPets 200 OK "* ]]
    [[ "${out[1]}" == "SKIP createPet (not run)" ]]
    [[ "${out[2]}" == *"needs a request body (application/json) and the spec has no example"* ]]
    [[ "$output" == *"SKIP getCategory (not run)"*"categoryId (path); pass them with -p NAME=VALUE (or --fill for a mock)"* ]]
    [[ "${out[-1]}" =~ ^4\ passed,\ 0\ failed,\ 0\ unreachable,\ 2\ skipped\ \(6\ actions,\ [0-9.]+\ s\)$ ]]
}

@test "--all --fill: generated values and bodies make every petstore action pass" {
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS"
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS createPet 201"* ]]
    [[ "$output" == *"PASS getCategory 200"* ]]
    [[ "$output" == *"6 passed, 0 failed, 0 unreachable, 0 skipped (6 actions"* ]]
}

@test "--all -p: a value goes to every action with that parameter; one no action has is exit 2" {
    run_split act test "$SPECS/petstore.yaml" --all --dest PETS --destinations "$MOCKS" -p categoryId=7
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS getCategory 200"* ]]
    [[ "$output" == *"5 passed, 0 failed, 0 unreachable, 1 skipped"* ]]
    run_split act test "$SPECS/petstore.yaml" --all --dest PETS --destinations "$MOCKS" -p nosuch=1
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'-p nosuch: no action of this run has a parameter "nosuch"'* ]]
}

@test "--all --format json: every action's record and the summary counts" {
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --format json
    [ "$status" -eq 0 ]
    [ "$(json_py 'len(j["actions"])')" = 6 ]
    [ "$(json_py '[a["outcome"] for a in j["actions"]].count("passed")')" = 6 ]
    [ "$(json_py 'j["summary"]["passed"], j["summary"]["failed"], j["summary"]["skipped"], j["summary"]["total"]')" = "6 0 0 6" ]
    [ "$(json_py 'j["actions"][1]["action"], j["actions"][1]["method"], j["actions"][1]["status"]')" = "createPet POST 201" ]
    [[ "$stderr" == "6 passed, 0 failed, 0 unreachable, 0 skipped (6 actions"* ]]
}

@test "--all --format junit: well-formed XML, one testcase per action, skipped ones marked" {
    run_split act test "$SPECS/petstore.yaml" --all --dest PETS --destinations "$MOCKS" --format junit
    [ "$status" -eq 0 ]
    printf '%s' "$output" >report.xml
    run "$PY" -c '
import xml.etree.ElementTree as E
s = E.parse("report.xml").getroot().find("testsuite")
cases = s.findall("testcase")
print(s.get("tests"), s.get("skipped"), s.get("failures"), len(cases),
      [c.get("name") for c in cases if c.find("skipped") is not None])'
    [ "$status" -eq 0 ]
    [ "$output" = "6 2 0 6 ['createPet', 'getCategory']" ]
}

@test "--jobs 3 reports the same results in the same order as --jobs 1" {
    strip='[(a["action"], a["outcome"], a["status"], a["errors"]) for a in j["actions"]]'
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --format json
    [ "$status" -eq 0 ]
    one=$(json_py "$strip")
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --format json --jobs 3
    [ "$status" -eq 0 ]
    [ "$(json_py "$strip")" = "$one" ]
    # Text output streams in spec order too.
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --jobs 3
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | sed -n 's/^PASS \([^ ]*\) .*/\1/p' | tr '\n' ' ')" = \
      "listPets createPet showPetById delete./pets/{petId} getCategory placeOrder " ]
}

@test "--shard K/N: the parts are disjoint and together are the whole run" {
    all=""
    for k in 1 2 3; do
        run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --shard "$k/3"
        [ "$status" -eq 0 ]
        [[ "$output" == *"2 passed, 0 failed, 0 unreachable, 0 skipped (2 actions"* ]]
        all="$all $(printf '%s\n' "$output" | sed -n 's/^PASS \([^ ]*\) .*/\1/p' | tr '\n' ' ')"
    done
    [ "$(echo $all | tr ' ' '\n' | sort | tr '\n' ' ')" = \
      "createPet delete./pets/{petId} getCategory listPets placeOrder showPetById " ]
}

@test "--method and --tag select actions; a filter that matches nothing is exit 2" {
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --method get
    [ "$status" -eq 0 ]
    [[ "$output" == *"3 passed, 0 failed, 0 unreachable, 0 skipped (3 actions"* ]]
    [[ "$output" != *"createPet"* ]]
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --method POST --method delete
    [[ "$output" == *"3 passed, 0 failed, 0 unreachable, 0 skipped (3 actions"* ]]
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --tag store
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS getCategory"*"PASS placeOrder"*"2 passed, 0 failed, 0 unreachable, 0 skipped (2 actions"* ]]
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --tag store --method POST
    [[ "$output" == *"1 passed, 0 failed, 0 unreachable, 0 skipped (1 action, "* ]]
    run_split act test "$SPECS/petstore.yaml" --all --dest PETS --destinations "$MOCKS" --method TRACE
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no action of"*"matches --method/--tag"* ]]
    printf 'openapi: 3.0.3\ninfo: {title: e, version: "1"}\npaths: {}\n' >empty.yaml
    run_split act test empty.yaml --all --dest PETS --destinations "$MOCKS"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"empty.yaml has no actions to test"* ]]
}

@test "usage: --all with an ACTION, --body with --all, --jobs/--shard without --all, bad values" {
    run_split act test "$SPECS/petstore.yaml" listPets --all --dest PETS --destinations "$MOCKS"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"--all runs every action: give SPEC at most, no ACTION"* ]]
    echo '{}' >b.json
    run_split act test "$SPECS/petstore.yaml" --all --body b.json --dest PETS --destinations "$MOCKS"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"--body is for one ACTION"* ]]
    run_split act test "$SPECS/petstore.yaml" listPets --jobs 2 --dest PETS --destinations "$MOCKS"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"--jobs, --shard, --method and --tag go with --all"* ]]
    for bad in 0 65 x; do
        run_split act test "$SPECS/petstore.yaml" --all --jobs "$bad" --dest PETS --destinations "$MOCKS"
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"--jobs expects a number from 1 to 64"* ]]
    done
    for bad in 0/2 3/2 1 a/b 1/0; do
        run_split act test "$SPECS/petstore.yaml" --all --shard "$bad" --dest PETS --destinations "$MOCKS"
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"--shard expects K/N with 1 <= K <= N"* ]]
    done
    run_split act test "$SPECS/petstore.yaml" --all -H 'no colon' --dest PETS --destinations "$MOCKS"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"-H expects 'Name: value'"* ]]
}

@test "the mock serves an invalid spec example (exit 1 with the schema error); --valid-only replaces it" {
    spec=$BATS_FILE_TMPDIR/bad-example.yaml
    run_split act test "$spec" --all --dest BAD --destinations "$MOCKS"
    [ "$status" -eq 1 ]
    [[ "$output" == *"FAIL getCount 200 OK"*"/n: expected integer, got string"* ]]
    [[ "$output" == *"PASS getName 200"*"1 passed, 1 failed, 0 unreachable, 0 skipped (2 actions"* ]]
    grep -q 'warning: the example of getCount 200 application/json does not match its schema, served anyway' \
        "$BATS_FILE_TMPDIR/bad.log"
    run_split act test "$spec" --all --dest BADVALID --destinations "$MOCKS" --format json
    [ "$status" -eq 0 ]
    [ "$(json_py 'j["summary"]["passed"]')" = 2 ]
    grep -q 'does not match its schema, a generated body is served instead (--valid-only)' \
        "$BATS_FILE_TMPDIR/badvalid.log"
    # The generated body honours the schema: n is an integer >= 1.
    n=$(curl -s "http://127.0.0.1:$(port_of badvalid)/count")
    [[ "$n" =~ ^\{\"n\":[1-9][0-9]*\}$ ]]
    # Asked for by name, an example is served as written even with --valid-only.
    [ "$(curl -s -H 'Prefer: example=nosuch' -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port_of badvalid)/count")" != 500 ]
}

@test "a backend nobody listens on: every action unreachable, exit 3" {
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest NOWHERE --destinations "$MOCKS" --jobs 2
    [ "$status" -eq 3 ]
    [[ "$output" == *"FAIL listPets (backend not reachable)"*"cannot connect to 127.0.0.1:$DEAD"* ]]
    [[ "$output" == *"0 passed, 0 failed, 6 unreachable, 0 skipped (6 actions"* ]]
}

@test "failures and unreachable actions in one run: exit 1 (a failure outranks unreachable)" {
    run_split act test "$RSPEC" --all --dest LOCAL --method GET --timeout 2 --jobs 2
    [ "$status" -eq 1 ]
    [[ "$output" == *"FAIL getWrongType 200"*"/message: expected string, got number"* ]]
    [[ "$output" == *"FAIL getHang (backend not reachable)"*"did not answer within 2000 ms"* ]]
    [[ "$output" == *"PASS get.hello 200"* ]]
    no_secrets "$output$stderr"
}

@test "a worker that dies is reported: its action fails with the signal, the run is exit 1" {
    "$ACTIONS_BIN" test "$RSPEC" --all --dest LOCAL --method GET --timeout 20 --jobs 2 \
        >out.txt 2>err.txt 3>&- &
    pid=$!
    # Wait until both workers are stuck in /hang-like calls or running, then kill them.
    for i in $(seq 1 100); do
        [ "$(pgrep -P "$pid" | wc -l)" -ge 2 ] && break
        sleep 0.05
    done
    sleep 0.3
    pkill -KILL -P "$pid"
    rc=0
    wait "$pid" || rc=$?
    cat out.txt
    [ "$rc" -eq 1 ]
    grep -q "stopped on signal 9\|not run: every worker process stopped" out.txt
    tail -n 1 out.txt | grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed'
}

@test "-v with --all: every trace line names its action, whole lines even with --jobs" {
    run_split act test "$SPECS/petstore.yaml" --all --fill --dest PETS --destinations "$MOCKS" --jobs 3 -v
    [ "$status" -eq 0 ]
    [ -n "$stderr" ]
    # Every stderr line but the last (none in text mode) is "[ID] " + one of the trace kinds.
    bad=$(printf '%s\n' "$stderr" | grep -Ev '^\[(listPets|createPet|showPetById|delete\./pets/\{petId\}|getCategory|placeOrder)\] ([*<>] |< \()' || true)
    [ -z "$bad" ] || { echo "unexpected: $bad"; return 1; }
    [[ "$stderr" == *"[createPet] > POST /pets HTTP/1.1"* ]]
    [[ "$stderr" == *"[placeOrder] < HTTP/1.1 200"* ]]
}
