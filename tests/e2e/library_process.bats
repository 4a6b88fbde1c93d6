#!/usr/bin/env bats
# Released actions used from a process: the seed project (examples/hello, whose spec
# also has an action get.bye it does not release) released and published twice into a
# private $ACTIONS_LIBRARY; Arazzo processes name the releases through
# sourceDescriptions[].url "library:helloworld@1.0.0" and "@latest" and run against
# `actions mock` of each release; an action outside the release is refused by run and
# lint, naming the release; mock, test, list and a project's spec: on library: names
# are limited to the release's actions. Loopback only; ports are chosen at run time.

load release_helpers

setup_file() {
    private_binary
    # seed_project works in $BATS_TEST_TMPDIR, which setup_file does not have
    BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR/seed
    seed_project
    # the seed spec plus get.bye, which the project does not release
    "$PY" - "$BATS_TEST_TMPDIR/specs/helloworld.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["paths"]["/bye"] = {"get": {"operationId": "get.bye", "responses": {"200": {
    "description": "bye", "content": {"application/json": {"schema": {"type": "string"},
    "example": "bye"}}}}}}
json.dump(d, open(sys.argv[1], "w"), indent=2)
PY
    printf 'actions: [get.hello]\n' >>actions.yaml
    act release --notes "the seed" >/dev/null
    act publish 1.0.0 >/dev/null
    # 1.1.0: the greeting changes, and the response now requires "lang"
    "$PY" - "$BATS_TEST_TMPDIR/specs/helloworld.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
media = d["paths"]["/hello"]["get"]["responses"]["200"]["content"]["application/json"]
media["schema"]["properties"]["lang"] = {"type": "string", "enum": ["en"]}
media["schema"]["required"] = ["message", "lang"]
media["example"] = {"message": "Hello Library", "lang": "en"}
json.dump(d, open(sys.argv[1], "w"), indent=2)
PY
    act release --version 1.1.0 >/dev/null
    act publish 1.1.0 >/dev/null
    cp dist/helloworld-1.0.0.json "$BATS_FILE_TMPDIR/"
    echo "export ACTIONS_LIBRARY=$ACTIONS_LIBRARY" >"$BATS_FILE_TMPDIR/env"
    start_mock v1 library:helloworld@1.0.0 --quiet
    start_mock latest library:helloworld@latest --quiet
}

teardown_file() {
    stop_mock v1
    stop_mock latest
}

setup() {
    # shellcheck disable=SC1091
    . "$BATS_FILE_TMPDIR/env"
    cd "$BATS_TEST_TMPDIR"
    cat >dests.yaml <<YAML
destinations:
  - {Name: V1, URL: "http://127.0.0.1:$(port_of v1)", sap.applicationdevelopment.actions.enabled: true}
  - {Name: LATEST, URL: "http://127.0.0.1:$(port_of latest)", sap.applicationdevelopment.actions.enabled: true}
YAML
}

# process FILE URL OPERATION: a one-step process on source "hello" at URL.
process() {
    cat >"$1" <<YAML
arazzo: 1.0.1
info: {title: released hello, version: 1.0.0}
sourceDescriptions:
  - {name: hello, url: "$2", type: openapi}
workflows:
  - workflowId: greet
    steps:
      - stepId: hello
        operationId: $3
        successCriteria: [{condition: \$statusCode == 200}]
        outputs: {message: \$response.body#/message}
    outputs: {message: \$steps.hello.outputs.message}
YAML
}

@test "a process pins library:helloworld@1.0.0 and runs its action against the mock" {
    process p.arazzo.yaml library:helloworld@1.0.0 get.hello
    run_split act run p.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *"workflow greet: passed"* ]]
    [[ "$output" =~ PASS\ hello\ get\.hello\ 200\ [0-9]+\ ms ]]
    [[ "$output" == *'  message = "Hello World"'* ]]
    run act lint p.arazzo.yaml
    [ "$status" -eq 0 ]
}

@test "@latest is the highest release: 1.1.0, whose response schema the run checks" {
    process p.arazzo.yaml library:helloworld@latest '$sourceDescriptions.hello.get.hello'
    run_split act run p.arazzo.yaml --dest hello=LATEST --destinations dests.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *'  message = "Hello Library"'* ]]
    # against the 1.0.0 backend, 1.1.0's required "lang" is missing: a schema error
    run_split act run p.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 1 ]
    [[ "$output$stderr" == *"lang"* ]]
    # and the process pinned to 1.0.0 still passes against it
    process v1.arazzo.yaml library:helloworld@1.0.0 get.hello
    run act run v1.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 0 ]
}

@test "a process naming an action the release does not have is refused, naming the release" {
    # get.bye is in the released spec, but not among the release's actions
    process bye.arazzo.yaml library:helloworld@1.0.0 get.bye
    run_split act run bye.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$stderr" = "actions: error: bye.arazzo.yaml:9:22: unknown operationId 'get.bye' (not in the release library:helloworld@1.0.0 of source 'hello', whose actions are: get.hello) (at /workflows/0/steps/0/operationId)" ]
    run act lint bye.arazzo.yaml
    [ "$status" -eq 2 ]
    [[ "$output" == *"unknown operationId 'get.bye' (not in the release library:helloworld@1.0.0"* ]]
    # by operationPath too
    process path.arazzo.yaml library:helloworld@1.0.0 get.hello
    sed -i 's|operationId: get.hello|operationPath: "{$sourceDescriptions.hello.url}#/paths/~1bye/get"|' path.arazzo.yaml
    run_split act run path.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"names no operation of source 'hello' (not in the release library:helloworld@1.0.0 of source 'hello', whose actions are: get.hello)"* ]]
}

@test "library: sources that cannot load: unknown version, unknown project, type arazzo" {
    process p.arazzo.yaml library:helloworld@2.0.0 get.hello
    run_split act run p.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"source description 'hello': library:helloworld@2.0.0: version 2.0.0 of \"helloworld\" is not in the library (published: 1.0.0, 1.1.0)"* ]]
    process p.arazzo.yaml library:nobody@1.0.0 get.hello
    run_split act run p.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"project \"nobody\" is not in the library $ACTIONS_LIBRARY"* ]]
    process p.arazzo.yaml library:helloworld@1.0.0 get.hello
    sed -i 's/type: openapi/type: arazzo/' p.arazzo.yaml
    run_split act run p.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"source description 'hello': a library: url names a release of OpenAPI actions, so its type is openapi"* ]]
}

@test "a release file as a source url: its spec, limited to its actions" {
    process p.arazzo.yaml "$BATS_FILE_TMPDIR/helloworld-1.0.0.json" get.hello
    run_split act run p.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *'  message = "Hello World"'* ]]
    process bye.arazzo.yaml "$BATS_FILE_TMPDIR/helloworld-1.0.0.json" get.bye
    run_split act run bye.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"(not in the release $BATS_FILE_TMPDIR/helloworld-1.0.0.json of source 'hello', whose actions are: get.hello)"* ]]
}

@test "mock, list, test and test --all of a library spec know the released actions only" {
    # the mock of the release does not serve get.bye, which its spec has
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port_of v1)/bye" >code
    [ "$(cat code)" = 404 ]
    [ "$(curl -s "http://127.0.0.1:$(port_of v1)/hello")" = '{"message":"Hello World"}' ]
    run act list library:helloworld@1.0.0 --format json
    [ "$status" -eq 0 ]
    [[ "$output" == *'"get.hello"'* && "$output" != *"get.bye"* ]]
    run act test library:helloworld@1.0.0 --all --dest V1 --destinations dests.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS get.hello"* && "$output" != *"get.bye"* ]]
    run act test library:helloworld@1.0.0 get.bye --dest V1 --destinations dests.yaml
    [ "$status" -eq 2 ]
    [ "$output" = 'actions: error: action "get.bye" is not in the release library:helloworld@1.0.0 (its actions: get.hello)' ]
    run act show library:helloworld@1.0.0 get.bye
    [ "$status" -eq 2 ]
    run act validate library:helloworld@1.0.0 get.bye --status 200 - <<<'"bye"'
    [ "$status" -eq 2 ]
    [[ "$output" == *'action "get.bye" is not in the release library:helloworld@1.0.0'* ]]
}

@test "a project whose spec: is library:PROJECT@VERSION uses the release" {
    mkdir consumer
    cd consumer
    printf 'project: consumer\nversion: 0.1.0\nspec: library:helloworld@1.0.0\n' >actions.yaml
    run act list
    [ "$status" -eq 0 ]
    [[ "$output" == *"get.hello"* && "$output" != *"get.bye"* ]]
    run act test get.hello --dest V1 --destinations ../dests.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == "PASS get.hello 200 OK"* ]]
    run act test --all --dest V1 --destinations ../dests.yaml
    [ "$status" -eq 0 ]
    run act test get.bye --dest V1 --destinations ../dests.yaml
    [ "$status" -eq 2 ]
    [[ "$output" == *'not in the release library:helloworld@1.0.0'* ]]
    # the project may release what it uses; the CI drift check compares it with @latest
    run act release
    [ "$status" -eq 0 ]
    printf 'project: consumer\nversion: 0.2.0\nspec: library:helloworld@latest\n' >actions.yaml
    run act diff
    [ "$status" -eq 0 ] # 1.1.0 only adds to the response: nothing breaking
    [[ "$output" == *"get.hello: 0 breaking, 1 warning, 2 info"* ]]
    run act diff --fail-on warning
    [ "$status" -eq 1 ]
    [[ "$output" == *"warning  response 200 example changed"* ]]
    # a project listing an action the release lacks
    printf 'project: consumer\nspec: library:helloworld@1.0.0\nactions: [get.bye]\n' >actions.yaml
    run act list
    [ "$status" -eq 2 ]
    [[ "$output" == *'project lists action "get.bye", which is not in library:helloworld@1.0.0'* ]]
}

@test "the seed's spec changed in each breaking way: the drift check reports each, exit 1" {
    cp -r "$BATS_FILE_TMPDIR/seed/examples" "$BATS_FILE_TMPDIR/seed/specs" .
    cd examples/hello
    spec=../../specs/helloworld.json
    cp "$spec" released.json
    run act diff
    [ "$status" -eq 0 ]
    [ "$output" = "no changes (1 action compared)" ]
    while IFS='|' read -r case message; do
        "$PY" - released.json "$spec" "$case" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
case = sys.argv[3]
op = d["paths"]["/hello"]["get"]
resp = op["responses"]["200"]
schema = resp["content"]["application/json"]["schema"]
if case == "removed":
    d["paths"]["/hello"] = {"put": d["paths"]["/hello"].pop("get")}
    d["paths"]["/hello"]["put"]["operationId"] = "put.hello"
elif case == "method":
    d["paths"]["/hello"] = {"post": op}
elif case == "path":
    d["paths"] = {"/hi": d["paths"]["/hello"], "/bye": d["paths"]["/bye"]}
elif case == "param":
    op["parameters"] = [{"name": "name", "in": "query", "required": True,
                         "schema": {"type": "string"}}]
elif case == "status":
    op["responses"] = {"201": resp}
elif case == "media":
    resp["content"] = {"text/plain": resp["content"]["application/json"]}
elif case == "prop_removed":
    del schema["properties"]["message"]
    schema["required"] = ["lang"]
elif case == "prop_optional":
    schema["required"] = ["lang"]
elif case == "prop_type":
    schema["properties"]["message"] = {"type": "integer"}
elif case == "enum_widened":
    schema["properties"]["lang"]["enum"] = ["en", "de"]
elif case == "security":
    d["components"] = {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}}
    op["security"] = [{"basic": []}]
json.dump(d, open(sys.argv[2], "w"))
PY
        # the drift check: the last release (1.1.0 in dist/) against the current spec
        run_split act diff
        [ "$status" -eq 1 ] || { echo "$case: exit $status $stderr"; false; }
        [[ "$output" == *"get.hello: "*" breaking"*"breaking $message"* ]] ||
            { echo "$case: $output"; false; }
        # the same against the published release, and as JUnit for CI
        run_split act diff library:helloworld@latest "$spec" --format junit
        [ "$status" -eq 1 ]
        [[ "$output" == *'<testcase classname="diff" name="get.hello">'*'<failure type="breaking"'* ]] || { echo "$case: $output"; false; }
    done <<'CASES'
removed|action removed (was `get /hello`)
method|moved from `get /hello` to `post /hello`
path|moved from `get /hello` to `get /hi`
param|new required query parameter `name`
status|response 200 removed
media|response 200 media type `application/json` removed
prop_removed|response 200 property `/message` removed
prop_optional|response 200 property `/message` became optional (it was required)
prop_type|response 200 property `/message` type changed from `string` to `integer`
enum_widened|response 200 property `/lang` enum value "de" added
security|security requirement added: `basic`
CASES
    # the process pinned to the release is unaffected: it runs as before
    cd "$BATS_TEST_TMPDIR"
    process v1.arazzo.yaml library:helloworld@1.0.0 get.hello
    run act run v1.arazzo.yaml --dest hello=V1 --destinations dests.yaml
    [ "$status" -eq 0 ]
}

@test "completion offers the released action ids of a library: name and of a release file" {
    export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
    run act __complete bash 3 actions show library:helloworld@1.0.0 ''
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf 'words\nget.hello')" ]
    run act __complete bash 3 actions test "$BATS_FILE_TMPDIR/helloworld-1.0.0.json" ''
    [ "$output" = "$(printf 'words\nget.hello')" ]
    mkdir consumer
    printf 'project: consumer\nspec: library:helloworld@latest\n' >consumer/actions.yaml
    cd consumer
    run act __complete bash 2 actions show ''
    [ "$output" = "$(printf 'words\nget.hello')" ]
}
