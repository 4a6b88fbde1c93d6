#!/usr/bin/env bats
# actions list: table and json output, tags, spec lookup, error exits.

load helpers

@test "list prints the hello world action as a table" {
    run_split act list "$SPECS/helloworld.json"
    [ "$status" -eq 0 ]
    [ "${output%%$'\n'*}" = "ID         METHOD   PATH    SUMMARY" ]
    [[ "$output" == *"get.hello  GET      /hello  get hello"* ]]
    [ -z "$stderr" ]
}

@test "list --format json is an array of id, method, path, summary, tags, deprecated" {
    run_split act list "$SPECS/helloworld.json" --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert a == [{"id": "get.hello", "method": "get", "path": "/hello", "summary": "get hello",
              "tags": [], "deprecated": False}], a
' "$output"
}

@test "list keeps spec order and synthesizes ids for operations without operationId" {
    run_split act list "$SPECS/petstore.yaml" --format json
    [ "$status" -eq 0 ]
    ids=$(python3 -c 'import json,sys; print(" ".join(o["id"] for o in json.loads(sys.argv[1])))' "$output")
    [ "$ids" = "listPets createPet showPetById delete./pets/{petId} getCategory placeOrder" ]
}

@test "list marks deprecated operations" {
    run_split act list "$SPECS/petstore.yaml"
    [ "$status" -eq 0 ]
    [[ "$output" == *"delete./pets/{petId}  DELETE   /pets/{petId}"*"Delete a pet [deprecated]"* ]]
}

@test "list --tag keeps only actions with that tag" {
    run_split act list "$SPECS/petstore.yaml" --tag store --format json
    [ "$status" -eq 0 ]
    ids=$(python3 -c 'import json,sys; print(" ".join(o["id"] for o in json.loads(sys.argv[1])))' "$output")
    [ "$ids" = "getCategory placeOrder" ]
}

@test "list never truncates when piped, however long the summary" {
    long=$(printf 'word%.0s ' $(seq 1 200))
    cat >"$BATS_TEST_TMPDIR/long.json" <<JSON
{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
 "paths": {"/a/very/long/path/that/goes/on/and/on/{id}/and/on": {"get": {"operationId": "aVeryLongOperationIdIndeedThatIsLong", "summary": "$long end",
   "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
   "responses": {"200": {"description": "ok"}}}}}}
JSON
    run_split act list "$BATS_TEST_TMPDIR/long.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"aVeryLongOperationIdIndeedThatIsLong  GET      /a/very/long/path/that/goes/on/and/on/{id}/and/on  word word"*" end" ]]
}

@test "list follows path items stored in other files" {
    run_split act list "$SPECS/multifile/api.yaml" --format json
    [ "$status" -eq 0 ]
    ids=$(python3 -c 'import json,sys; print(" ".join(o["id"] for o in json.loads(sys.argv[1])))' "$output")
    [ "$ids" = "getBook listAuthors weirdPath" ]
}

@test "list finds the spec through the project file in a parent directory" {
    mkdir -p "$BATS_TEST_TMPDIR/proj/sub/deeper"
    cp "$SPECS/petstore.yaml" "$BATS_TEST_TMPDIR/proj/"
    printf 'project: pets\nspec: petstore.yaml\nactions: [getCategory, listPets]\n' >"$BATS_TEST_TMPDIR/proj/actions.yaml"
    cd "$BATS_TEST_TMPDIR/proj/sub/deeper"
    run_split act list --format json
    [ "$status" -eq 0 ]
    ids=$(python3 -c 'import json,sys; print(" ".join(o["id"] for o in json.loads(sys.argv[1])))' "$output")
    [ "$ids" = "listPets getCategory" ]
}

@test "list uses actions.json when there is no actions.yaml" {
    mkdir -p "$BATS_TEST_TMPDIR/pj"
    printf '{"project": "hello", "spec": "%s"}\n' "$SPECS/helloworld.json" >"$BATS_TEST_TMPDIR/pj/actions.json"
    cd "$BATS_TEST_TMPDIR/pj"
    run_split act list
    [ "$status" -eq 0 ]
    [[ "$output" == *"get.hello"* ]]
}

@test "list prefers --spec, then ACTIONS_SPEC, over the project file" {
    mkdir -p "$BATS_TEST_TMPDIR/p2"
    printf 'spec: %s\n' "$SPECS/petstore.yaml" >"$BATS_TEST_TMPDIR/p2/actions.yaml"
    cd "$BATS_TEST_TMPDIR/p2"
    run_split act list --spec "$SPECS/helloworld.json"
    [[ "$output" == *"get.hello"* ]]
    ACTIONS_SPEC="$SPECS/helloworld.json" run_split act list
    [[ "$output" == *"get.hello"* ]]
    [[ "$output" != *"listPets"* ]]
    run_split act list
    [[ "$output" == *"listPets"* ]]
}

@test "list names an action the project lists but the spec lacks" {
    mkdir -p "$BATS_TEST_TMPDIR/p3"
    printf 'spec: %s\nactions:\n  - get.hello\n  - get.goodbye\n' "$SPECS/helloworld.json" >"$BATS_TEST_TMPDIR/p3/actions.yaml"
    cd "$BATS_TEST_TMPDIR/p3"
    run_split act list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions.yaml:4:5: project lists action \"get.goodbye\", which is not in"* ]]
}

@test "list rejects an unknown key in the project file with its line" {
    mkdir -p "$BATS_TEST_TMPDIR/p4"
    printf 'project: x\nspce: api.yaml\n' >"$BATS_TEST_TMPDIR/p4/actions.yaml"
    cd "$BATS_TEST_TMPDIR/p4"
    run_split act list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions.yaml:2:"*"unknown key \"spce\" in project file"* ]]
}

@test "list without any spec says how to give one" {
    cd "$BATS_TEST_TMPDIR"
    run_split act list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no spec given"* ]]
}

@test "list rejects an unknown format" {
    run_split act list "$SPECS/helloworld.json" --format xml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown --format "xml"'* ]]
}

@test "list --help prints usage and exits 0" {
    run_split act list --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: actions list"* ]]
}

@test "a full stdout is an error, not silently lost output" {
    [ -w /dev/full ] || skip "no /dev/full here"
    run act list "$SPECS/petstore.yaml" >/dev/full
    run bash -c "'$ACTIONS_BIN' list '$SPECS/petstore.yaml' >/dev/full"
    [ "$status" -eq 2 ]
    [[ "$output" == *"cannot write output"* ]]
}

@test "list fits the table to the terminal width on a TTY" {
    command -v script >/dev/null || skip "script(1) is not installed"
    for cols in 100 60 45; do
        COLUMNS=$cols script -qec "'$ACTIONS_BIN' list '$SPECS/petstore.yaml'" /dev/null >"$BATS_TEST_TMPDIR/tty.txt"
        python3 - "$cols" "$BATS_TEST_TMPDIR/tty.txt" <<'PY'
import sys
cols = int(sys.argv[1])
lines = open(sys.argv[2], encoding="utf-8").read().replace("\r", "").splitlines()
assert len(lines) == 7, lines
for l in lines:
    assert len(l) <= cols, (cols, len(l), l)
assert any(l.endswith("\u2026") for l in lines[1:]) or cols >= 90, lines
PY
    done
}
