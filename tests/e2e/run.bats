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
    [[ "$output" == *$'\nSKIP file post.forms (not run)\n'* ]]
    [[ "$output" != *"FAIL file"* && "$output" != *"PASS file"* ]]
}

@test "an unknown destination for a source suggests the closest, exit 2, nothing sent" {
    run_split act run "$PROC" --dest hello=ON_PREM_HELLO_WORLDX --dest inbox=LOCAL
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: unknown destination"*"ON_PREM_HELLO_WORLD"* ]]
}

@test "every destination is found before the first request: a wrong one for step 2 sends nothing" {
    before=$(calls counted/two)
    run_split act run "$AFIX/two.arazzo.yaml" --dest first=LOCAL --dest second=APIKEX
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'actions: error: unknown destination "APIKEX"'*'APIKEY'* ]]
    [ "$(calls counted/two)" = "$before" ]
    run_split act run "$AFIX/two.arazzo.yaml" --dest first=LOCAL --dest second=NOT_ENABLED
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'destination "NOT_ENABLED" (source description "second") is not enabled for actions'* ]]
    [ "$(calls counted/two)" = "$before" ]
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
    "$PY" - "$output" "$PORT" <<'PY'
import json, sys
s = json.loads(sys.argv[1])["workflows"][0]["steps"][0]
assert s["attempts"] == 3 and s["status"] == 200, s
assert s["method"] == "GET" and s["url"] == "http://127.0.0.1:%s/flaky/retry2" % sys.argv[2], s
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

@test "a sub-workflow's parameters are its inputs, its outputs flow back to the step, \$workflows and \$outputs" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow caller --dest counter=LOCAL
    [ "$status" -eq 0 ]
    [[ "$output" == *$'PASS call callee - '*$'\n  workflow callee: passed\n  PASS count counted 200 '* ]]
    # $outputs.X: an output of the current workflow, computed before
    [[ "$output" == *$'\n  fromStep = 1\n  fromWorkflow = 1\n  calleeInput = "sub"\n  after = "after-1"\n  again = "twice 1"\n'* ]]
    [ "$(calls counted/sub-sub | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["calls"])')" -eq 1 ]
    [ "$(calls counted/after-1 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["calls"])')" -eq 1 ]
}

@test "goto a workflow: its record is indented under the step, the steps left are SKIP" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow jump --dest counter=LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *$'PASS hop counted 200 '*$'\n  workflow schema: failed\n  FAIL wrong wrongType 200 '*$'\n      /message: expected string, got number'* ]]
    [[ "$output" == *$'\nSKIP notRun counted (not run)\n'* ]]
    [ "$(calls counted/notrun)" = '{"calls": 0, "times": []}' ]
    run_split act run "$AFIX/run.arazzo.yaml" --workflow jump --dest counter=LOCAL --format json
    "$PY" - "$output" <<'PY'
import json, sys
w = json.loads(sys.argv[1])["workflows"][0]
assert [(s["stepId"], s.get("ran", True)) for s in w["steps"]] == [("hop", True), ("notRun", False)], w
assert w["steps"][0]["workflow"]["workflowId"] == "schema", w
PY
}

@test "parameters in path, query, header and cookie, reusable ones, bodies and every expression" {
    run_split act run "$AFIX/run.arazzo.yaml" --workflow echo --input id=7 --input n=3 \
        --dest counter=LOCAL --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" "$PORT" <<'PY'
import json, sys
w = json.loads(sys.argv[1])["workflows"][0]
o, port = w["outputs"], sys.argv[2]
assert w["passed"] is True, w
# the workflow's cookie, the component's header with its value overridden, an exploded array
assert ["X-Trace", "trace-7"] in o["headers"] and ["Cookie", "session=sess-1"] in o["headers"], o
assert o["url"] == "http://127.0.0.1:%s/echo/7?tags=a&tags=b" % port, o["url"]
assert (o["method"], o["query"], o["path"], o["trace"]) == ("GET", ["a", "b"], 7, "trace-7"), o
assert (o["type"], o["source"], o["said"]) == ("application/json", "counter.yaml", "status 200 for 7"), o
# payload with an embedded expression, the replacement from an input; what the server got
assert o["sent"] == {"name": "from GET", "n": 3}, o["sent"]
assert json.loads(o["received"]) == o["sent"], o["received"]
PY
    # a body that breaks the operation's request schema fails the step: nothing is sent
    run_split act run "$AFIX/run.arazzo.yaml" --workflow echo --input id=7 --input n=30 \
        --dest counter=LOCAL -v
    [ "$status" -eq 1 ]
    [[ "$output" == *$'FAIL post post.echo - 0 ms\n    request body /n: expected at most 10, got 30'* ]]
    [[ "$stderr" == *"[echo/get] > GET /echo/7?tags=a&tags=b HTTP/1.1"* ]]
    [[ "$stderr" != *"[echo/post] >"* ]]
}

@test "a workflow of an arazzo source runs, its sources take --dest, its outputs come back" {
    run_split act run "$AFIX/nested.arazzo.yaml" --dest countr=LOCAL
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown source description "countr" (did you mean "counter"?)'* ]]
    run_split act run "$AFIX/nested.arazzo.yaml" --dest counter=LOCAL -v
    [ "$status" -eq 0 ]
    [[ "$output" =~ PASS\ viaInner\ \$sourceDescriptions\.inner\.caller\ -\ [0-9]+\ ms$'\n'\ \ workflow\ caller:\ passed$'\n' ]]
    [[ "$output" =~ fromInner\ =\ [0-9]+ ]]
    [[ "$stderr" == *"[callee/count] > GET /counted/sub-sub HTTP/1.1"* ]]
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

@test "the exchange options of test: --max-size caps a step's body, --max-validation-steps its check, --cacert is read first" {
    run_split act run "$PROC" --dest hello=ON_PREM_HELLO_WORLD --dest inbox=LOCAL --max-size 8
    [ "$status" -eq 1 ]
    [[ "$output" == *"FAIL hello"* ]]
    [[ "$output" == *"8 bytes"* ]]
    run_split act run "$AFIX/run.arazzo.yaml" --workflow schema --dest counter=LOCAL --max-validation-steps 1
    [ "$status" -eq 1 ]
    [[ "$output" == *"validation work budget of 1 steps exceeded"* ]]
    run_split act run "$PROC" --dest hello=ON_PREM_HELLO_WORLD --dest inbox=LOCAL --cacert "$BATS_TEST_TMPDIR/none.pem"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'cannot read --cacert "'*'none.pem"'* ]]
    run_split act run "$PROC" --max-size lots
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'--max-size expects a positive number of bytes'* ]]
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
    "$PY" - "$output" "$PORT" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.argv[1])
suites = [(s.get("name"), [c.get("name") for c in s.findall("testcase")]) for s in root.findall("testsuite")]
assert suites == [("basic", ["basic"]), ("schema", ["wrong"])], suites
assert root.get("tests") == "2" and root.get("failures") == "1", root.attrib
assert root.find("testsuite[@name='schema']/testcase/failure") is not None
# each testcase names the request of its step
outs = [c.find("system-out").text for c in root.iter("testcase")]
assert all(o.startswith("GET http://127.0.0.1:" + sys.argv[2] + "/") for o in outs), outs
PY
    tap=$(cat "$BATS_TEST_TMPDIR/r.tap")
    [[ "$tap" == *$'1..2\nok 1 basic/basic\nnot ok 2 schema/wrong'* ]]
    grep -q "schema/wrong" "$BATS_TEST_TMPDIR/r.html"
    no_secrets "$output" "$stderr" "$tap" "$(cat "$BATS_TEST_TMPDIR/r.html")"
}

@test "--report: written as test writes it, complete or absent; a missing directory is found before the first request" {
    mkdir "$BATS_TEST_TMPDIR/out" && cd "$BATS_TEST_TMPDIR/out" # (run_split's stderr file is one up)
    run_split act run "$AFIX/run.arazzo.yaml" --workflow retry --input name=rep1 --dest counter=LOCAL \
        --report tap=ok.tap --report junit=nodir/a.xml
    [ "$status" -eq 2 ]
    [ "$output" = "" ]
    [ "$stderr" = 'actions: error: cannot write report "nodir/a.xml": No such file or directory' ]
    [ "$(calls flaky/rep1)" = '{"calls": 0, "times": []}' ]
    [ -z "$(ls -A)" ] # neither ok.tap nor a temporary file
    # A directory in the way: found at the end; the other report is still written, whole.
    mkdir taken.xml
    echo old >ok.tap
    run_split act run "$AFIX/run.arazzo.yaml" --workflow retry --input name=rep2 --dest counter=LOCAL \
        --report junit=taken.xml --report tap=ok.tap
    [ "$status" -eq 2 ]
    [[ "$output" == *"1 workflows: 1 passed"* ]]
    [ "$stderr" = 'actions: error: cannot write report "taken.xml": Is a directory' ]
    [ -z "$(ls -A taken.xml)" ]
    [ "$(cat ok.tap)" = $'TAP version 13\n1..1\nok 1 retry/flaky' ]
    [ "$(ls -A | grep -c tmp)" -eq 0 ]
    # An error that ends the run (the step limit) is in the report, on the step it stopped.
    run_split act run "$AFIX/run.arazzo.yaml" --workflow loop --dest counter=LOCAL --report tap=loop.tap \
        --report json=loop.json
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"ACT_MAX_RUN_STEPS"* ]]
    [[ "$(tail -n 12 loop.tap)" == *"not ok 1001 loop/tick"*"message: \"step 'tick': more than 1000 steps executed in this run (ACT_MAX_RUN_STEPS)"* ]]
    "$PY" - loop.json <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))["workflows"][0]
last = w["steps"][-1]
assert not last["passed"] and last["errors"] == ["step 'tick': more than 1000 steps executed in this run (ACT_MAX_RUN_STEPS)"], last
assert all(s["errors"] == [] for s in w["steps"][:-1])
PY
}

# --- the project's processes -----------------------------------------------------------

# proj_dir: a project in $BATS_TEST_TMPDIR/proj with the Arazzo fixtures under flows/ and
# a destinations file that adds one named like a source description ("second").
proj_dir() {
    mkdir -p "$BATS_TEST_TMPDIR/proj"
    cp -r "$AFIX" "$BATS_TEST_TMPDIR/proj/flows"
    cp "$ACTIONS_DESTINATIONS" "$BATS_TEST_TMPDIR/proj/dests.yaml"
    cat >>"$BATS_TEST_TMPDIR/proj/dests.yaml" <<YAML
  - Name: second
    URL: http://127.0.0.1:$PORT
    URL.headers.X-Named: like-the-source
    sap.applicationdevelopment.actions.enabled: true
YAML
    unset ACTIONS_DESTINATIONS
    cd "$BATS_TEST_TMPDIR/proj"
}

@test "processes: run with no FILE runs every process in order, one report, their mappings" {
    proj_dir
    cat >actions.yaml <<'YAML'
project: p
destinations: dests.yaml
processes:
  - file: flows/two.arazzo.yaml
    destinations: {first: LOCAL, second: APIKEY}
  - file: flows/two.arazzo.yaml
    destinations: {first: LOCAL}
YAML
    run_split act run -v
    [ "$status" -eq 0 ]
    [[ "$output" == "process flows/two.arazzo.yaml"$'\n'"workflow both: passed"* ]]
    [[ "$output" == *"2 workflows: 2 passed, 0 failed (4 steps)"* ]]
    # process 1: second -> APIKEY (its URL.headers); process 2: the one named "second"
    [[ "$(grep -c 'X-Tenant: t1' <<<"$stderr")" -eq 1 ]]
    [[ "$(grep -c 'X-Named: like-the-source' <<<"$stderr")" -eq 1 ]]
    [[ "$stderr" == *"[both/two] > X-Tenant: t1"*"[both/two] > X-Named: like-the-source"* ]]
    no_secrets "$output" "$stderr"
    # --dest wins over the mapping, and json says which process each workflow came from
    run_split act run --dest second=LOCAL -v --format json
    [ "$status" -eq 0 ]
    [[ "$stderr" != *"X-Tenant"* && "$stderr" != *"X-Named"* ]]
    "$PY" - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert [w["file"] for w in d["workflows"]] == ["flows/two.arazzo.yaml"] * 2, d["workflows"]
s = d["summary"]
assert (s["workflows"], s["passed"], s["failed"], s["steps"]) == (2, 2, 0, 4), s
PY
}

@test "processes: junit, tap and html report every process; --workflow picks across them" {
    proj_dir
    cat >actions.yaml <<'YAML'
destinations: dests.yaml
processes:
  - file: flows/run.arazzo.yaml
    destinations: {counter: BASIC}
  - file: flows/two.arazzo.yaml
    destinations: {first: LOCAL, second: LOCAL}
YAML
    run_split act run --workflow basic --workflow both --format junit --report tap=r.tap \
        --report html=r.html
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.argv[1])
suites = [(s.get("name"), [c.get("name") for c in s.findall("testcase")]) for s in root.findall("testsuite")]
assert suites == [("basic", ["basic"]), ("both", ["one", "two"])], suites
PY
    [[ "$(cat r.tap)" == *$'1..3\nok 1 basic/basic\nok 2 both/one\nok 3 both/two'* ]]
    grep -q "both/two" r.html
    no_secrets "$output" "$stderr" "$(cat r.tap r.html)"
    run_split act run --workflow bothh
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'actions: error: --workflow: no process of the project has workflow "bothh" (did you mean "both"?)'* ]]
}

@test "processes: invalid inputs of any process are refused before the first request" {
    proj_dir
    cat >actions.yaml <<'YAML'
destinations: dests.yaml
processes:
  - file: flows/two.arazzo.yaml
    destinations: {first: LOCAL, second: LOCAL}
  - file: flows/run.arazzo.yaml
    destinations: {counter: LOCAL}
YAML
    before=$(calls counted/two)
    run_split act run --workflow both --workflow retry --input name=ab
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"invalid input: flows/run.arazzo.yaml: retry: /name: expected at least 3 characters"* ]]
    [ "$(calls counted/two)" = "$before" ]
}

@test "processes: the section is checked, each problem with file:line:column, exit 2" {
    proj_dir
    check() { # YAML-of-processes expected-message
        printf 'destinations: dests.yaml\nprocesses:%s\n' "$1" >actions.yaml
        run_split act run
        [ "$status" -eq 2 ] || { echo "status $status for: $1" >&2; return 1; }
        [[ "$stderr" == *"$2"* ]] || { echo "got: $stderr" >&2; return 1; }
    }
    check ' flows/two.arazzo.yaml' 'actions.yaml:2:12: "processes" must be a list of Arazzo files'
    check $'\n  - 7' 'actions.yaml:3:5: "processes" entries must be Arazzo file paths or {file: PATH, destinations: {SOURCE: NAME}}'
    check $'\n  - {file: flows/two.arazzo.yaml, dest: {}}' 'actions.yaml:3:41: unknown key "dest" in a process (known: file, destinations)'
    check $'\n  - {destinations: {}}' 'actions.yaml:3:5: a process needs "file", the Arazzo file'"'"'s path'
    check $'\n  - {file: flows/two.arazzo.yaml, destinations: [LOCAL]}' 'actions.yaml:3:49: "destinations" of a process must map source descriptions'
    check $'\n  - {file: flows/two.arazzo.yaml, destinations: {first: 3}}' 'actions.yaml:3:57: a process'"'"'s destination must be a destination name (a string)'
    check $'\n  - {file: flows/two.arazzo.yaml, destinations: {frist: LOCAL}}' 'actions.yaml:3:57: process flows/two.arazzo.yaml has no source description "frist" (did you mean "first"?)'
    check $'\n  - flows/missing.arazzo.yaml' 'missing.arazzo.yaml'
    # no FILE: a project without processes, or no project at all
    printf 'destinations: dests.yaml\n' >actions.yaml
    run_split act run
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'no workflow file given, and the project file '*'actions.yaml has no "processes"'* ]]
    mkdir -p "$BATS_TEST_TMPDIR/empty" && cd "$BATS_TEST_TMPDIR/empty"
    run_split act run
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no workflow file given (actions run FILE, or run inside a project whose actions.yaml lists processes)"* ]]
}

@test "processes: the hello project runs its process with no FILE, hello mapped by actions.yaml" {
    cd "$ROOT/examples/hello"
    # the test's destinations file replaces the example's; inbox goes to the fixture
    run_split act run --dest inbox=LOCAL
    [ "$status" -eq 0 ]
    [[ "$output" == "process process.arazzo.yaml"$'\n'"workflow helloToInbox: passed"* ]]
    [[ "$output" == *'  message = "Hello World"'* ]]
}

@test "processes: a CSRF-protected step gets the project's token handshake" {
    mkdir -p "$BATS_TEST_TMPDIR/csrf" && cd "$BATS_TEST_TMPDIR/csrf"
    cat >csrf.arazzo.yaml <<YAML
arazzo: 1.0.1
info: {title: csrf, version: "1"}
sourceDescriptions:
  - {name: LOCAL, url: $RSPEC, type: openapi}
workflows:
  - workflowId: post
    steps:
      - stepId: item
        operationId: postCsrf
        requestBody: {contentType: application/json, payload: {name: a}}
        successCriteria:
          - condition: \$statusCode == 201
YAML
    printf 'csrf: {fetch: /csrf}\nprocesses: [csrf.arazzo.yaml]\n' >actions.yaml
    run_split act run -v
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS item postCsrf 201"* ]]
    [[ "$stderr" == *"[post/item] * CSRF token fetch"* ]]
    [[ "$stderr" == *"[post/item] > x-csrf-token: ***"* ]]
    no_secrets "$stderr"
    # without csrf in the project file the protected call is refused (403 undeclared)
    printf 'processes: [csrf.arazzo.yaml]\n' >actions.yaml
    run_split act run
    [ "$status" -eq 1 ]
    [[ "$output" == *"FAIL item postCsrf 403"* ]]
}
