#!/usr/bin/env bats
# actions show: text and json descriptions of one action.

load helpers

@test "show describes get.hello: no parameters, the 200 response outline" {
    run_split act show "$SPECS/helloworld.json" get.hello
    [ "$status" -eq 0 ]
    [[ "$output" == "get.hello  GET /hello"* ]]
    [[ "$output" == *"Parameters: none"* ]]
    [[ "$output" == *"200     A greeting"* ]]
    [[ "$output" == *"application/json  Message Object {message: string}"* ]]
    [[ "$output" == *"Security: none"* ]]
}

@test "show merges path-level parameters and resolves parameter refs" {
    run_split act show "$SPECS/petstore.yaml" showPetById --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["parameters"] == [{"in": "path", "name": "petId", "required": True, "type": "string",
                            "description": "The id of the pet to retrieve"}], d["parameters"]
assert [r["status"] for r in d["responses"]] == ["200", "404"]
assert d["responses"][0]["content"][0]["schema"].startswith("Pet allOf(NewPet & ")
assert d["security"] == [[{"scheme": "api_key", "type": "apiKey", "in": "header", "name": "X-API-Key", "scopes": []}]]
' "$output"
}

@test "show lists request body media types and whether the body is required" {
    run_split act show "$SPECS/petstore.yaml" createPet
    [ "$status" -eq 0 ]
    [[ "$output" == *"Request body (required):"*"application/json  NewPet {name*: string, tag: string?, status: Status, category: Category}"* ]]
}

@test "show outlines a recursive schema without looping" {
    run_split act show "$SPECS/petstore.yaml" getCategory
    [ "$status" -eq 0 ]
    [[ "$output" == *"Category {id*: integer(int64), name*: string, parent: Category}"* ]]
    [[ "$output" == *"path    categoryId  yes       integer(int64)"* ]]
}

@test "show uses operation-level security over the global one" {
    run_split act show "$SPECS/petstore.yaml" 'delete./pets/{petId}'
    [ "$status" -eq 0 ]
    [[ "$output" == *"oauth (oauth2; scopes: write:pets)"* ]]
    [[ "$output" != *"api_key"* ]]
}

@test "show follows refs into other files" {
    run_split act show "$SPECS/multifile/api.yaml" getBook
    [ "$status" -eq 0 ]
    [[ "$output" == *"path    isbn  yes       string"* ]]
    [[ "$output" == *"application/problem+json  Problem {type: string(uri), title: string, status: integer}"* ]]
}

@test "show of an unknown action lists the closest ids and exits 2" {
    run_split act show "$SPECS/petstore.yaml" listPet
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown action "listPet"'*"did you mean:"*"listPets"* ]]
}

@test "show of an action with nothing close says how to list them" {
    run_split act show "$SPECS/helloworld.json" zzzzzzzzzzzz
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"(see: actions list)"* ]]
}

@test "show without an action is a usage error" {
    run_split act show
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: show needs an ACTION\nsee: actions show --help')" ]
}

@test "show lists Accept, Content-Type and Authorization header parameters as ignored" {
    cat >"$BATS_TEST_TMPDIR/ignored.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      parameters:
        - {name: Accept, in: header, required: true, schema: {type: string}}
        - {name: q, in: query, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
YAML
    run_split act show "$BATS_TEST_TMPDIR/ignored.yaml" getX
    [ "$status" -eq 0 ]
    [[ "$output" == *"header  Accept  -         ignored (OpenAPI: Accept/Content-Type/Authorization header parameters are ignored)"* ]]
    [[ "$output" == *"query   q       yes       string"* ]]
    run_split act show "$BATS_TEST_TMPDIR/ignored.yaml" getX --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
p = json.loads(sys.argv[1])["parameters"]
assert p[0]["name"] == "Accept" and p[0]["ignored"] is True and p[0]["required"] is False, p
assert "ignored" not in p[1] and p[1]["required"] is True, p
' "$output"
}

@test "show on a schema \$ref cycle is an error like lint's, exit 2" {
    cat >"$BATS_TEST_TMPDIR/cycle.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
YAML
    run_split act show "$BATS_TEST_TMPDIR/cycle.yaml" getX
    [ "$status" -eq 2 ]
    [[ "$stderr" == "actions: error: $BATS_TEST_TMPDIR/cycle.yaml:"*'$ref cycle that never reaches a value: "#/components/schemas/B" -> "#/components/schemas/A" -> "#/components/schemas/B"'* ]]
    [[ "$output" != *"unresolvable"* ]]
    run_split act show "$BATS_TEST_TMPDIR/cycle.yaml" getX --format json
    [ "$status" -eq 2 ]
    [ -z "$output" ]
}

@test "show fails on a \$ref that does not resolve anywhere in a schema, not only at its top" {
    cat >"$BATS_TEST_TMPDIR/nested.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  m: {$ref: '#/components/schemas/Missing'}
                example: {m: {$ref: not-a-reference-but-data}}
YAML
    run_split act show "$BATS_TEST_TMPDIR/nested.yaml" getX
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"nested.yaml:15:22: unresolvable \$ref \"#/components/schemas/Missing\": no such node"* ]]
    [[ "$stderr" != *"not-a-reference"* ]]
}
