#!/usr/bin/env bats
# actions run: workflows sent through the runner's exchange, against real servers on
# 127.0.0.1 (the fixture server, `actions mock`), the connector for OnPremise steps.

load runner_helpers

PROC=$ROOT/examples/hello/process.arazzo.yaml
AFIX=$ROOT/tests/fixtures/arazzo

setup_file() { start_server; }
teardown_file() {
    stop_server
    stop_mock hello
    stop_mock inbox
}
# runner_helpers' destinations: LOCAL, BASIC, OAUTH, APIKEY (URL.headers), OnPremise ones.
setup() { runner_env; }

calls() { curl -s "http://127.0.0.1:$PORT/calls/$1"; }

# --- the seed process --------------------------------------------------------------

@test "the hello process: get.hello through the connector, its message the form's subject" {
    run_split act run "$PROC" --dest hello=ON_PREM_HELLO_WORLD --dest inbox=LOCAL
    [ "$status" -eq 0 ]
    [[ "$output" == *"workflow helloToInbox: passed"* ]]
    [[ "$output" =~ PASS\ hello\ \$sourceDescriptions\.hello\.get\.hello\ 200\ [0-9]+\ ms ]]
    [[ "$output" =~ PASS\ file\ post\.forms\ 201\ [0-9]+\ ms ]]
    [[ "$output" == *'  message = "Hello World"'* ]]
    # the fixture's /forms answers with what it was sent: the message went into step 2
    [[ "$output" == *'"subject":"Hello World","body":"Received: Hello World"'* ]]
    [[ "$output" == *"1 workflows: 1 passed, 0 failed (2 steps)"* ]]
}

@test "the hello process against two actions mocks, --format json keeps the outputs' types" {
    start_mock hello "$SPECS/helloworld.json"
    start_mock inbox "$SPECS/inbox.json"
    cat >"$BATS_TEST_TMPDIR/mock-dests.yaml" <<YAML
destinations:
  - Name: hello
    URL: http://127.0.0.1:$(port_of hello)
    sap.applicationdevelopment.actions.enabled: true
  - Name: inbox
    URL: http://127.0.0.1:$(port_of inbox)
    sap.applicationdevelopment.actions.enabled: true
YAML
    # no --dest: each source description goes to the destination named like it
    run_split act run "$PROC" --destinations "$BATS_TEST_TMPDIR/mock-dests.yaml" --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
w = d["workflows"][0]
assert w["workflowId"] == "helloToInbox" and w["passed"] is True, w
assert w["outputs"]["message"] == "Hello World", w["outputs"]
assert isinstance(w["outputs"]["form"]["id"], int), w["outputs"]
steps = [(s["stepId"], s["status"], s["attempts"], s["passed"]) for s in w["steps"]]
assert steps == [("hello", 200, 1, True), ("file", 201, 1, True)], steps
assert d["summary"]["failed"] == 0
PY
}

@test "OnPremise steps go through the connector; an unmapped host is exit 3 with its message" {
    run_split act run "$PROC" --dest hello=ONPREM_UNMAPPED --dest inbox=LOCAL
    [ "$status" -eq 3 ]
    [[ "$output" == *"FAIL hello"* ]]
    [[ "$output$stderr" == *"Backend is not available in the list of defined system mappings in Cloud Connector."* ]]
    # the failed first step ends the workflow: the form was never posted
    [[ "$output" != *"file post.forms"* ]]
}

@test "an unknown destination for a source suggests the closest, exit 2, nothing sent" {
    run_split act run "$PROC" --dest hello=ON_PREM_HELLO_WORLDX --dest inbox=LOCAL
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: unknown destination"*"ON_PREM_HELLO_WORLD"* ]]
}

# --- retry, goto, inputs ------------------------------------------------------------

@test "retry: an endpoint failing twice then passing is called three times, spaced by retryAfter" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow retry --input name=retry1 --dest counter=LOCAL
    [ "$status" -eq 0 ]
    [[ "$output" == *"  calls = 3"* ]]
    "$PY" - "$(calls flaky/retry1)" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["calls"] == 3, d
t = d["times"]
assert all(b - a >= 0.045 for a, b in zip(t, t[1:])), t
PY
    run_split act run "$AFIX/run.arazzo.yaml" --workflow retry --input name=retry2 --dest counter=LOCAL --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import json, sys
s = json.loads(sys.argv[1])["workflows"][0]["steps"][0]
assert s["attempts"] == 3 and s["status"] == 200, s
PY
}

@test "a goto loop is ended by the step limit, with an error naming it" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow loop --dest counter=LOCAL
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"ACT_MAX_RUN_STEPS"* ]]
    [ "$(calls counted/loop | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["calls"])')" -eq 1000 ]
}

@test "invalid inputs are refused before any request: the server saw nothing" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow retry --input name=ab
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"invalid input: retry: /name: expected at least 3 characters"* ]]
    [[ "$stderr" == *"nothing was sent"* ]]
    [ "$(calls flaky/ab)" = '{"calls": 0, "times": []}' ]
}

# --- destinations, checks ------------------------------------------------------------

@test "two source descriptions on two destinations" {
    run_split act run "$AFIX/two.arazzo.yaml" --dest first=LOCAL --dest second=APIKEY -v
    [ "$status" -eq 0 ]
    [[ "$output" == *"  first = 1"* ]]
    [[ "$output" == *"  second = 2"* ]]
    # only the second destination adds its URL.headers
    [[ "$stderr" == *"[both/two] > X-Tenant: t1"* ]]
    [[ "$(grep -c 'X-Tenant' <<<"$stderr")" -eq 1 ]]
    no_secrets "$output" "$stderr"
}

@test "a schema error fails the step (exit 1); with --no-schema only the criteria decide" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow schema --dest counter=LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *"FAIL wrong wrongType 200"* ]]
    [[ "$output" == *"    /message: expected string, got number"* ]]
    run_split act run "$AFIX/run.arazzo.yaml" --workflow schema --dest counter=LOCAL --no-schema
    [ "$status" -eq 0 ]
    [[ "$output" == *"  message = 42"* ]]
}

@test "-v traces every exchange as test -v does, prefixed [workflow/step]" {
    run_split act run "$PROC" --dest hello=ON_PREM_HELLO_WORLD --dest inbox=LOCAL -v
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"[helloToInbox/hello] * GET http://127.0.0.1:$PORT/hello via connector internalhost:3333"* ]]
    [[ "$stderr" == *"[helloToInbox/hello] > Host: internalhost:3333"* ]]
    [[ "$stderr" == *"[helloToInbox/hello] < HTTP/1.1 200 OK"* ]]
    [[ "$stderr" == *"[helloToInbox/file] > POST /forms HTTP/1.1"* ]]
    [[ "$stderr" == *"[helloToInbox/file] < HTTP/1.1 201 Created"* ]]
}

# --- secrets -------------------------------------------------------------------------

@test "a Basic password is masked in text, json and -v" {
    for f in text json; do
        run_split act run "$AFIX/run.arazzo.yaml" --workflow basic --dest counter=BASIC --format $f -v
        [ "$status" -eq 0 ]
        [[ "$output" == *"welcome alice"* ]]
        [[ "$stderr" == *"[basic/basic] > Authorization: ***"* ]]
        no_secrets "$output" "$stderr"
    done
}

@test "a bearer token is read once per destination and masked in text, json and -v" {
    local before after
    before=$(curl -s "http://127.0.0.1:$PORT/token/count")
    for f in text json; do
        run_split act run "$AFIX/run.arazzo.yaml" --workflow bearer --dest counter=OAUTH --format $f -v
        [ "$status" -eq 0 ]
        [[ "$stderr" == *"[bearer/bearer] > Authorization: ***"* ]]
        [[ "$stderr" == *"[bearer/again] > Authorization: ***"* ]]
        if [ "$f" = text ]; then # two steps, one token
            after=$(curl -s "http://127.0.0.1:$PORT/token/count")
            [ "$("$PY" -c 'import json,sys; print(json.loads(sys.argv[2])["count"] - json.loads(sys.argv[1])["count"])' "$before" "$after")" -eq 1 ]
        fi
        no_secrets "$output" "$stderr"
    done
}

# --- report formats ------------------------------------------------------------------

@test "junit: a testsuite per workflow, a testcase per step; tap and html name WORKFLOW/STEP" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow basic --workflow schema --dest counter=BASIC \
        --format junit --report tap="$BATS_TEST_TMPDIR/r.tap" --report html="$BATS_TEST_TMPDIR/r.html"
    [ "$status" -eq 1 ]
    "$PY" - "$output" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.argv[1])
suites = [(s.get("name"), [c.get("name") for c in s.findall("testcase")]) for s in root.findall("testsuite")]
assert suites == [("basic", ["basic"]), ("schema", ["wrong"])], suites
assert root.get("tests") == "2" and root.get("failures") == "1", root.attrib
assert root.find("testsuite[@name='schema']/testcase/failure") is not None
PY
    tap=$(cat "$BATS_TEST_TMPDIR/r.tap")
    [[ "$tap" == *$'1..2\nok 1 basic/basic\nnot ok 2 schema/wrong'* ]]
    grep -q "schema/wrong" "$BATS_TEST_TMPDIR/r.html"
    no_secrets "$output" "$stderr" "$tap" "$(cat "$BATS_TEST_TMPDIR/r.html")"
}
