#!/usr/bin/env bats
# Bad input of every kind: a clear error naming file:line:col, exit 2,
# bounded time and memory, no crash.

load helpers

@test "truncated JSON names the end of input" {
    run_split act list "$SPECS/broken/truncated.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "actions: error: $SPECS/broken/truncated.json:6:1: invalid JSON: unexpected end of input" ]]
}

@test "invalid UTF-8 is refused at its position" {
    run_split act list "$SPECS/broken/invalid-utf8.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"invalid-utf8.json:1:45: invalid UTF-8" ]]
}

@test "a NUL byte is refused at its position" {
    run_split act list "$SPECS/broken/nul-byte.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"nul-byte.json:1:44: NUL byte in document" ]]
}

@test "swagger 2.0 is an unsupported version" {
    run_split act list "$SPECS/broken/swagger2.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'swagger2.json:1:13: unsupported OpenAPI version: swagger "2.0"'* ]]
}

@test "OpenAPI 3.1 is an unsupported version" {
    run_split act list "$SPECS/broken/openapi31.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unsupported OpenAPI version "3.1.0" (this tool reads OpenAPI 3.0.x)'* ]]
}

@test "a JSON document that is not OpenAPI says so" {
    printf '[1, 2]' >"$BATS_TEST_TMPDIR/arr.json"
    run_split act list "$BATS_TEST_TMPDIR/arr.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"not an OpenAPI document: the top level is not an object"* ]]
    printf '{"info": {}}' >"$BATS_TEST_TMPDIR/noopenapi.json"
    run_split act list "$BATS_TEST_TMPDIR/noopenapi.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'not an OpenAPI document: no "openapi" field'* ]]
}

@test "1,000,000-deep JSON nesting is a limit error, not a crash" {
    python3 -c "import sys; sys.stdout.write('['*1000000 + ']'*1000000)" >"$BATS_TEST_TMPDIR/deep.json"
    run_split act list "$BATS_TEST_TMPDIR/deep.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"deep.json:1:513: nesting deeper than 512" ]]
}

@test "1,000,000-deep YAML nesting is a limit error, not a crash" {
    python3 -c "import sys; sys.stdout.write('['*1000000 + ']'*1000000)" >"$BATS_TEST_TMPDIR/deep.yaml"
    run_split act list "$BATS_TEST_TMPDIR/deep.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"deep.yaml:1:"*"nesting deeper than 512"* ]]
    python3 -c "
import sys
for i in range(100000): sys.stdout.write('  ' * 0 + '- ' * 1)
sys.stdout.write('x\n')" >"$BATS_TEST_TMPDIR/deep-block.yaml"
    run_split act list "$BATS_TEST_TMPDIR/deep-block.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"nesting deeper than 512"* ]]
}

@test "a YAML alias bomb is an error, not an OOM" {
    {
        echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
        prev=a
        for n in b c d e f g h i; do
            printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $n $n $prev $prev $prev $prev $prev $prev $prev $prev $prev
            prev=$n
        done
    } >"$BATS_TEST_TMPDIR/bomb.yaml"
    run_split bash -c "$(limit_memory 1000000) '$ACTIONS_BIN' list '$BATS_TEST_TMPDIR/bomb.yaml'"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bomb.yaml:"*"alias"* ]]
}

@test "duplicate YAML keys are an error with both lines" {
    run_split act list "$SPECS/broken/duplicate-key.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"duplicate-key.yaml:4:"*"info"* ]]
}

@test "more than one YAML document is an error" {
    run_split act list "$SPECS/broken/two-documents.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"two-documents.yaml:"*"more than one YAML document"* ]]
}

@test "a directory given as SPEC is refused" {
    run_split act list "$SPECS"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "actions: error: $SPECS: is a directory, not a file" ]]
}

@test "a 2 GB file given as SPEC is refused before it is read" {
    truncate -s 2G "$BATS_TEST_TMPDIR/huge.json"
    run_split bash -c "$(limit_memory 500000) '$ACTIONS_BIN' list '$BATS_TEST_TMPDIR/huge.json'"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"huge.json: file too large: 2147483648 bytes (limit 268435456"* ]]
}

@test "a missing file names the system error" {
    run_split act list "$BATS_TEST_TMPDIR/nope.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "actions: error: $BATS_TEST_TMPDIR/nope.yaml: cannot open: No such file or directory" ]]
}

@test "a cycle of bare refs is an error naming the loop" {
    run_split act list "$SPECS/broken/ref-cycle.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'ref-cycle.json:5:11: $ref cycle that never reaches a value: "#/paths/~1b" -> "#/paths/~1a" -> "#/paths/~1b" (at /paths/~1a)' ]]
}

@test "an unresolvable parameter ref names the ref and where it stands" {
    run_split act show "$SPECS/broken/unresolvable.yaml" a
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unresolvable.yaml:8:11: unresolvable $ref "#/components/parameters/Nope": no such node'* ]]
}

@test "an unknown command is a usage error" {
    run_split act frobnicate
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown command "frobnicate"'* ]]
}

@test "--version and --help exit 0" {
    run_split act --version
    [ "$status" -eq 0 ]
    [[ "$output" == "actions "* ]]
    run_split act --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"list"*"show"*"lint"* ]]
}
