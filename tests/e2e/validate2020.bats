#!/usr/bin/env bats
# The JSON Schema 2020-12 mode of `actions validate` (OpenAPI 3.1 documents, $schema of
# 2020-12) and --ref-map / the project file's refMap: remote $refs read from local files,
# never fetched.

load helpers

DATA=$ROOT/tests/data/validator

@test "--ref-map reads a remote \$ref from a local directory; without it the error names the URL and --ref-map" {
    run_split act validate --ref-map "https://schemas.example.com/=$DATA/registry" \
        --schema "$DATA/order-2020.json" "$DATA/order-invalid.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"/total: expected greater than 0, got 0 ($DATA/registry/money.json:4:23 #/exclusiveMinimum)"* ]]
    [[ "$output" == *"/note: expected no property that other keywords do not evaluate, got property \"note\""* ]]
    run_split act validate --schema "$DATA/order-2020.json" "$DATA/order-invalid.json"
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ "$stderr" == "actions: error: $DATA/order-2020.json:6:23: invalid schema: unresolvable \$ref \"https://schemas.example.com/money.json\""* ]]
    [[ "$stderr" == *"remote references are never fetched: map it with --ref-map URL_PREFIX=DIR"* ]]
}

@test "--ref-map=MAP is taken anywhere on the line, the longest prefix wins" {
    mkdir -p "$BATS_TEST_TMPDIR/other"
    echo '{"type": "string"}' >"$BATS_TEST_TMPDIR/other/money.json"
    echo '{"id": "o-1", "total": 5}' >"$BATS_TEST_TMPDIR/ok.json"
    run_split act validate --schema "$DATA/order-2020.json" "$BATS_TEST_TMPDIR/ok.json" \
        --ref-map="https://schemas.example.com/=$DATA/registry" --ref-map "https://=$BATS_TEST_TMPDIR/other"
    [ "$status" -eq 0 ]
    [ "$output" = "$BATS_TEST_TMPDIR/ok.json: valid" ]
}

@test "a malformed --ref-map or one whose DIR is no directory is a usage error" {
    run_split act validate --ref-map "https://schemas.example.com/" --schema "$DATA/order-2020.json" "$DATA/order-invalid.json"
    [ "$status" -eq 2 ]
    [ "$stderr" = 'actions: error: --ref-map expects URL_PREFIX=DIR, got "https://schemas.example.com/"' ]
    run_split act validate --ref-map "https://schemas.example.com/=$BATS_TEST_TMPDIR/none" --schema "$DATA/order-2020.json" "$DATA/order-invalid.json"
    [ "$status" -eq 2 ]
    [ "$stderr" = "actions: error: --ref-map https://schemas.example.com/: \"$BATS_TEST_TMPDIR/none\" is not a directory" ]
    run_split act list --ref-map
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"option --ref-map needs an argument"* ]]
}

@test "a remote \$ref whose path under a --ref-map prefix leaves DIR or is malformed is an error naming it" {
    for ref in '%2e%2E/registry/money.json' '../registry/money.json' 'mo%zzney.json' 'money.json%0' 'a%00.json'; do
        cat >"$BATS_TEST_TMPDIR/spec.yaml" <<YAML
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {\$ref: "https://schemas.example.com/$ref"}
YAML
        run_split act lint --ref-map "https://schemas.example.com/=$DATA/registry" "$BATS_TEST_TMPDIR/spec.yaml"
        [ "$status" -eq 2 ]
        [[ "$output" == *"spec.yaml:11:23: error: unresolvable \$ref \"https://schemas.example.com/$ref\": its path under the --ref-map prefix has a malformed %-escape, a NUL or a \"..\" segment"* ]]
    done
}

# A project whose 3.0 spec takes its response schema from a schema registry.
make_project() {
    local d=$BATS_TEST_TMPDIR/p
    mkdir -p "$d/spec" "$d/vendor"
    cat >"$d/spec/api.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "https://schemas.example.com/pet.yaml#/Pet"
YAML
    printf 'Pet:\n  type: object\n  required: [name]\n  properties:\n    name: {type: string}\n' >"$d/vendor/pet.yaml"
    printf '{"name": 3}\n' >"$d/bad.json"
    printf 'spec: spec/api.yaml\nrefMap:\n  https://schemas.example.com/: vendor\n' >"$d/actions.yaml"
}

@test "a project file's refMap maps remote \$refs for validate and show, relative to the project file" {
    make_project
    cd "$BATS_TEST_TMPDIR/p/spec"
    run_split act validate getPet --status 200 ../bad.json
    [ "$status" -eq 1 ]
    [[ "$output" == "../bad.json: /name: expected string, got number ("*"/vendor/pet.yaml:5:18 #/Pet/properties/name/type)" ]]
    run_split act show getPet
    [ "$status" -eq 0 ]
    [[ "$output" == *"application/json  Pet {name*: string}"* ]]
    printf 'spec: spec/api.yaml\n' >"$BATS_TEST_TMPDIR/p/actions.yaml"
    run_split act validate getPet --status 200 ../bad.json
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unsupported $ref "https://schemas.example.com/pet.yaml#/Pet": only references to local files are followed (--ref-map URL_PREFIX=DIR maps URIs to local files)'* ]]
}

@test "a project file's refMap must map prefixes to directory strings" {
    make_project
    printf 'spec: spec/api.yaml\nrefMap: [vendor]\n' >"$BATS_TEST_TMPDIR/p/actions.yaml"
    cd "$BATS_TEST_TMPDIR/p"
    run_split act list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'"refMap" must map URL prefixes to directories'* ]]
}

# A 3.1 document: its schemas are JSON Schema 2020-12.
make_31() {
    cat >"$BATS_TEST_TMPDIR/api31.yaml" <<YAML
openapi: 3.1.0
${1:-}
info: {title: t, version: "1"}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: [string, "null"], nullable: false}
        kind: {const: dog}
        tags: {type: array, prefixItems: [{type: integer}], items: {type: string}}
      dependentRequired: {name: [kind]}
YAML
}

@test "an openapi 3.1 document's schemas are 2020-12: type arrays, const, prefixItems, dependentRequired; nullable ignored" {
    make_31
    printf '{"name": null, "kind": "dog", "tags": [1, "a"]}' >"$BATS_TEST_TMPDIR/ok.json"
    printf '{"name": "x", "kind": "cat", "tags": ["a", 2]}' >"$BATS_TEST_TMPDIR/bad.json"
    run_split act validate --schema "$BATS_TEST_TMPDIR/api31.yaml#/components/schemas/Pet" "$BATS_TEST_TMPDIR/ok.json"
    [ "$status" -eq 0 ]
    run_split act validate --schema "$BATS_TEST_TMPDIR/api31.yaml#/components/schemas/Pet" "$BATS_TEST_TMPDIR/bad.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *'/kind: expected "dog", got "cat" ('*'#/components/schemas/Pet/properties/kind/const)'* ]]
    [[ "$output" == *'/tags/0: expected integer, got string ('*'#/components/schemas/Pet/properties/tags/prefixItems/0/type)'* ]]
    [[ "$output" == *'/tags/1: expected string, got number ('*'#/components/schemas/Pet/properties/tags/items/type)'* ]]
}

@test "a jsonSchemaDialect other than 2020-12 is refused with its name" {
    make_31 "jsonSchemaDialect: https://example.com/my-dialect"
    printf '{}' >"$BATS_TEST_TMPDIR/i.json"
    run_split act validate --schema "$BATS_TEST_TMPDIR/api31.yaml#/components/schemas/Pet" "$BATS_TEST_TMPDIR/i.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'jsonSchemaDialect "https://example.com/my-dialect" is not supported (only JSON Schema 2020-12 and the OpenAPI 3.1 base dialect are)'* ]]
}
