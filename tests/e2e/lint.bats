#!/usr/bin/env bats
# actions lint: every structural problem with file:line:col and JSON Pointer.

load helpers

@test "lint passes the shipped specs" {
    for s in helloworld.json petstore.yaml multifile/api.yaml; do
        run_split act lint "$SPECS/$s"
        [ "$status" -eq 0 ] || { echo "$s: $output $stderr"; false; }
        [[ "$stderr" == *"no problems found"* ]]
    done
}

@test "lint reports every problem with position and pointer, and exits 2" {
    run_split act lint "$SPECS/broken/lint-problems.yaml"
    [ "$status" -eq 2 ]
    f="$SPECS/broken/lint-problems.yaml"
    [[ "$output" == *"$f:3:1: error: missing \"info.version\" (at /info)"* ]]
    [[ "$output" == *"$f:23:5: error: duplicate operationId \"getUser\" (first used by get /users/{userId} at $f:7)"* ]]
    [[ "$output" == *"$f:10:11: error: path parameter \"userId\" must be \"required: true\""* ]]
    [[ "$output" == *"$f:13:11: error: parameter \"verbose\" has neither \"schema\" nor \"content\""* ]]
    [[ "$output" == *"$f:23:5: error: get /orders/{orderId} declares no responses"* ]]
    [[ "$output" == *"$f:23:5: error: path template parameter {orderId} of get /orders/{orderId} has no \"in: path\" parameter"* ]]
    [[ "$output" == *"error: path parameter \"itemId\" does not appear in the path template /items"* ]]
    [[ "$output" == *"$f:20:15: error: unresolvable \$ref \"#/components/schemas/Missing\": no such node"* ]]
    [[ "$output" == *"$f:39:15: error: unresolvable \$ref \"nowhere.yaml#/components/schemas/Item\": "*"cannot open"* ]]
    [[ "$output" == *"error: \$ref cycle that never reaches a value"* ]]
    [[ "$stderr" == *"12 errors, 0 warnings"* ]]
}

@test "lint reports a missing paths object and missing openapi" {
    printf '{"info": {"title": "x", "version": "1"}}' >"$BATS_TEST_TMPDIR/nopaths.json"
    run_split act lint "$BATS_TEST_TMPDIR/nopaths.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"error: missing \"openapi\""* ]]
    [[ "$output" == *"error: missing \"paths\" object"* ]]
}

@test "lint stops at an unsupported version with exit 2" {
    run_split act lint "$SPECS/broken/openapi31.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"openapi31.yaml:1:10: unsupported OpenAPI version \"3.1.0\""* ]]
}
