#!/usr/bin/env bats
# Arazzo documents: `actions lint FILE` on a workflow file (detected by its
# `arazzo` key), and `actions run`'s checks before anything is sent (options,
# the document, --dest sources, inputs against the workflow's inputs schema).

load helpers

FIX=$ROOT/tests/fixtures/arazzo

@test "lint detects an Arazzo document and passes the shipped process" {
    run_split act lint "$ROOT/examples/hello/process.arazzo.yaml"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [[ "$stderr" == *"process.arazzo.yaml: no problems found (1 workflow)"* ]]
}

@test "lint reports unknown and ambiguous operationIds with file:line:column" {
    run_split act lint "$FIX/ids.arazzo.yaml"
    [ "$status" -eq 2 ]
    f="$FIX/ids.arazzo.yaml"
    [[ "$output" == *"$f:14:22: error: ambiguous operationId 'listPets': in source descriptions 'pets' and 'pets.v2'"* ]]
    [[ "$output" == *"$f:20:22: error: unknown operationId 'nothere'"* ]]
    [[ "$output" == *"$f:22:22: error: unknown source description in '\$sourceDescriptions.nosuch.x'"* ]]
    [[ "$output" == *"$f:23:9: error: duplicate stepId 's1' in workflow 'w1'"* ]]
    [[ "$output" == *"$f:26:21: error: dependsOn: unknown workflowId 'w9'"* ]]
    [[ "$output" == *"$f:17:9: warning: step 's5': required path parameter 'petId' of 'getPet' is not supplied"* ]]
    [[ "$stderr" == *"5 errors, 2 warnings"* ]]
}

@test "lint checks the names inside expressions, goto targets, parameters and cycles" {
    run_split act lint "$FIX/lint.arazzo.yaml"
    [ "$status" -eq 2 ]
    f="$FIX/lint.arazzo.yaml"
    [[ "$output" == *"$f:13:13: error: operation 'listPets' has no query parameter 'color'"* ]]
    [[ "$output" == *"$f:14:44: error: \$steps.ghost: workflow 'a' has no step 'ghost'"* ]]
    [[ "$output" == *"$f:16:13: error: goto: workflow 'a' has no step 'nowhere'"* ]]
    [[ "$output" == *"$f:18:13: error: goto: unknown workflowId 'nosuch'"* ]]
    [[ "$output" == *"$f:20:16: error: malformed runtime expression"* ]]
    [[ "$output" == *"$f:21:15: error: \$workflows.zzz: no workflow 'zzz'"* ]]
    [[ "$output" == *"$f:22:17: error: unknown component '\$components.parameters.missing'"* ]]
    [[ "$output" == *"error: dependsOn cycle: workflow 'b' depends on 'a'"* ]]
    [[ "$output" == *"$f:32:13: error: malformed criterion: a criterion with a context needs a type"* ]]
}

@test "lint warns about a goto loop and a self-calling workflow no criteria can end, and exits 0" {
    run_split act lint "$FIX/flows.arazzo.yaml"
    [ "$status" -eq 0 ]
    [[ "$output" == *"flows.arazzo.yaml:24:13: warning: goto 'spin' loops back with no criteria"* ]]
    [[ "$output" == *"flows.arazzo.yaml:113:9: warning: step 'deeper' calls its own workflow 'recurse' with no criteria that could stop the recursion (it ends only at the nesting limit, ACT_MAX_WORKFLOW_NESTING) (at /workflows/11/steps/0)"* ]]
    [[ "$stderr" == *"0 errors, 2 warnings"* ]]
}

@test "lint still lints an OpenAPI spec as before" {
    run_split act lint "$SPECS/helloworld.json"
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"no problems found (1 actions)"* ]]
}

@test "run refuses invalid inputs with every error and its pointer, exit 2" {
    run_split act run "$FIX/flows.arazzo.yaml" --workflow typed --input id=seven
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: invalid input: typed: /id: expected integer, got string"* ]]
    [[ "$stderr" == *"1 invalid input: nothing was sent"* ]]
    run_split act run "$FIX/flows.arazzo.yaml" --workflow typed
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"invalid input: typed: "*"id"* ]]
}

@test "run takes --inputs from a file and --input as JSON or a string" {
    printf 'id: 7\n' >"$BATS_TEST_TMPDIR/in.yaml"
    run_split act run "$FIX/flows.arazzo.yaml" --workflow typed --inputs "$BATS_TEST_TMPDIR/in.yaml"
    [[ "$stderr" != *"invalid input"* ]]
    run_split act run "$FIX/flows.arazzo.yaml" --workflow typed --inputs "$BATS_TEST_TMPDIR/in.yaml" --input id='"7"'
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"/id: expected integer, got string"* ]]
}

@test "run with valid inputs goes on to the destinations (unknown one: exit 2, suggestion)" {
    printf 'destinations:\n  - Name: petz\n    Type: HTTP\n    URL: http://127.0.0.1:9\n    ProxyType: Internet\n    Authentication: NoAuthentication\n    sap.applicationdevelopment.actions.enabled: true\n' >"$BATS_TEST_TMPDIR/d.yaml"
    run_split act run "$FIX/flows.arazzo.yaml" --workflow typed --input id=7 --destinations "$BATS_TEST_TMPDIR/d.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: unknown destination"*"pets"*"petz"* ]]
}

@test "run: usage errors, unknown workflows and sources, an invalid document" {
    run_split act run
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: no workflow file given"* ]]
    run_split act run "$FIX/flows.arazzo.yaml" --workflow nope
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: "*"unknown workflow 'nope'"* ]]
    run_split act run "$FIX/flows.arazzo.yaml" --dest petz=X
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"--dest: unknown source description \"petz\" (did you mean \"pets\"?)"* ]]
    run_split act run "$FIX/flows.arazzo.yaml" --dest pets
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"--dest expects SOURCE=NAME"* ]]
    run_split act run "$FIX/flows.arazzo.yaml" --input noequals
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"--input expects NAME=VALUE"* ]]
    run_split act run "$FIX/flows.arazzo.yaml" --timeout -1
    [ "$status" -eq 2 ]
    run_split act run "$FIX/ids.arazzo.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"ids.arazzo.yaml:23:9: duplicate stepId 's1'"* ]]
}
