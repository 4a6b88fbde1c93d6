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

@test "a swagger version other than 2.0 is unsupported" {
    run_split act list "$SPECS/broken/swagger12.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'swagger12.json:1:13: unsupported Swagger version "1.2" (this tool reads Swagger 2.0 and OpenAPI 3.0.x)'* ]]
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

# --- duplicate member names in JSON documents ------------------------------------

@test "a JSON spec with a second paths object is an error naming both positions, in list and lint" {
    d=$BATS_TEST_TMPDIR
    printf '{\n  "openapi": "3.0.3",\n  "info": {"title": "t", "version": "1"},\n  "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},\n  "paths": {"/b": {"get": {"responses": {"200": {"description": "ok"}}}}}\n}\n' >"$d/dup.json"
    for cmd in list lint; do
        run_split act "$cmd" "$d/dup.json"
        [ "$status" -eq 2 ]
        [[ "$stderr" == "actions: error: $d/dup.json:5:3: duplicate key \"paths\" (first defined at line 4, column 3)" ]]
        [[ "$output" != *"no problems"* ]]
    done
}

@test "a duplicate member name in a \$ref'd JSON schema file is an error in lint and show" {
    d=$BATS_TEST_TMPDIR
    cat >"$d/api.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas.json#/Thing'}
YAML
    printf '{"Thing": {"type": "object",\n  "properties": {"a": {"type": "string"}},\n  "properties": {"b": {"type": "integer"}}}}\n' >"$d/schemas.json"
    run_split act lint "$d/api.yaml"
    [ "$status" -eq 2 ]
    [[ "$output" == *"schemas.json:3:3: duplicate key \"properties\" (first defined at line 2, column 3)"* ]]
    run_split act show "$d/api.yaml" getA
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"schemas.json:3:3: duplicate key \"properties\" (first defined at line 2, column 3)"* ]]
}

@test "duplicate member names in destination, connector and project JSON files are errors" {
    d=$BATS_TEST_TMPDIR
    printf '[{"Name": "A", "URL": "http://127.0.0.1:1",\n  "URL": "http://127.0.0.1:2", "ProxyType": "Internet", "Authentication": "NoAuthentication"}]\n' >"$d/dests.json"
    run_split act dest list --destinations "$d/dests.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"dests.json:2:3: duplicate key \"URL\" (first defined at line 1, column 16)"* ]]
    printf '[{"virtualHost": "j", "virtualPort": 1, "internalHost": "h", "internalPort": 2,\n "virtualPort": 3}]\n' >"$d/connector.json"
    run_split act connector list --connector "$d/connector.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"connector.json:2:2: duplicate key \"virtualPort\" (first defined at line 1, column 23)"* ]]
    mkdir "$d/pj"
    printf '{"spec": "%s",\n "spec": "other.json"}\n' "$SPECS/helloworld.json" >"$d/pj/actions.json"
    cd "$d/pj"
    run_split act list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions.json:2:2: duplicate key \"spec\" (first defined at line 1, column 2)"* ]]
}

# --- only regular files are read -------------------------------------------------

@test "a \$ref to a FIFO is refused at once, never waited on (lint, list, show)" {
    d=$BATS_TEST_TMPDIR
    mkfifo "$d/fifo.yaml"
    cat >"$d/api.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'fifo.yaml#/A'}
YAML
    run_split timeout 60 "$ACTIONS_BIN" lint "$d/api.yaml"
    [ "$status" -eq 2 ]
    [[ "$output" == *"api.yaml:12:23: error: unresolvable \$ref \"fifo.yaml#/A\": $d/fifo.yaml: is not a regular file (a FIFO)"* ]]
    run_split timeout 60 "$ACTIONS_BIN" show "$d/api.yaml" getA
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"is not a regular file (a FIFO)"* ]]
}

@test "spec, destinations, connector, project, schema and instance files must be regular files" {
    d=$BATS_TEST_TMPDIR
    mkfifo "$d/fifo"
    run_split timeout 60 "$ACTIONS_BIN" list "$d/fifo"
    [ "$status" -eq 2 ]
    [ "$stderr" = "actions: error: $d/fifo: is not a regular file (a FIFO)" ]
    run_split timeout 60 "$ACTIONS_BIN" list /dev/null
    [ "$status" -eq 2 ]
    [ "$stderr" = "actions: error: /dev/null: is not a regular file (a character device)" ]
    run_split timeout 60 "$ACTIONS_BIN" dest list --destinations "$d/fifo"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"$d/fifo: is not a regular file (a FIFO)"* ]]
    run_split timeout 60 "$ACTIONS_BIN" connector list --connector "$d/fifo"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"$d/fifo: is not a regular file (a FIFO)"* ]]
    printf '{"type": "object"}' >"$d/s.json"
    run_split timeout 60 "$ACTIONS_BIN" validate --schema "$d/s.json" "$d/fifo"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"$d/fifo: is not a regular file (a FIFO)"* ]]
    run_split timeout 60 "$ACTIONS_BIN" validate --schema "$d/fifo" "$d/s.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"$d/fifo: is not a regular file (a FIFO)"* ]]
    mkdir "$d/pj"
    mkfifo "$d/pj/actions.yaml"
    cd "$d/pj"
    run_split timeout 60 "$ACTIONS_BIN" list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions.yaml: is not a regular file (a FIFO)"* ]]
    # Standard input stays allowed where it was.
    run_split timeout 60 sh -c "echo '{}' | \"\$0\" validate --schema \"$d/s.json\" -" "$ACTIONS_BIN"
    [ "$status" -eq 0 ]
}

@test "an absolute \$ref path is refused unless --allow-absolute-refs, on any command that loads a spec" {
    d=$BATS_TEST_TMPDIR
    printf 'A: {type: object}\n' >"$d/schemas.yaml"
    cat >"$d/api.yaml" <<YAML
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {\$ref: '$d/schemas.yaml#/A'}
YAML
    run_split act lint "$d/api.yaml"
    [ "$status" -eq 2 ]
    [[ "$output" == *"api.yaml:12:23: error: unresolvable \$ref \"$d/schemas.yaml#/A\": absolute \$ref paths are not portable; --allow-absolute-refs permits them"* ]]
    run_split act show "$d/api.yaml" getA
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"absolute \$ref paths are not portable; --allow-absolute-refs permits them"* ]]
    run_split act lint --allow-absolute-refs "$d/api.yaml"
    [ "$status" -eq 0 ]
    run_split act show "$d/api.yaml" getA --allow-absolute-refs
    [ "$status" -eq 0 ]
    [[ "$output" == *"application/json  A object"* ]]
    printf '{"$ref": "%s/schemas.yaml#/A"}' "$d" >"$d/s.json"
    echo '{}' >"$d/i.json"
    run_split act validate --schema "$d/s.json" "$d/i.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"absolute \$ref paths are not portable"* ]]
    run_split act validate --allow-absolute-refs --schema "$d/s.json" "$d/i.json"
    [ "$status" -eq 0 ]
}
