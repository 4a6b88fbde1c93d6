#!/usr/bin/env bats
# OpenAPI 3.1 documents: specs/petstore31.yaml (type arrays, const, prefixItems,
# unevaluatedProperties, $ref siblings, webhooks, components/pathItems) through
# the whole CLI: list (--webhooks), show, lint (and version detection both
# ways), mock, test --all and validate; jsonSchemaDialect and optional paths.
# Loopback only; ports are chosen at run time.

load helpers

P31=$SPECS/petstore31.yaml

setup_file() {
    start_mock pets31 "$SPECS/petstore31.yaml" --quiet
    cat >"$BATS_FILE_TMPDIR/dests.yaml" <<YAML
destinations:
  - Name: PETS31
    URL: http://127.0.0.1:$(port_of pets31)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
}

teardown_file() {
    stop_mock pets31
}

setup() {
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
    DESTS=$BATS_FILE_TMPDIR/dests.yaml
}

# curl_to PATH [CURL ARGS...]: the mock's status in $code, body in $body.
curl_to() {
    local path=$1 out
    shift
    out=$(curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' "$@" \
        "http://127.0.0.1:$(port_of pets31)$path")
    code=$out
    body=$(cat "$BATS_TEST_TMPDIR/body")
}

@test "list shows the operations of a 3.1 document (paths through components/pathItems) and counts its webhooks" {
    run_split act list "$P31"
    [ "$status" -eq 0 ]
    mapfile -t out <<<"$output"
    [[ "${out[0]}" == "ID "*"METHOD"*"PATH"*"SUMMARY" ]]
    [[ "${out[1]}" == "listPets "* ]]
    [[ "${out[3]}" == "showPetById  GET      /pets/{petId} "* ]]
    [[ "${out[4]}" == "getPosition "* ]]
    [ "${out[5]}" = "" ]
    [ "${out[6]}" = "2 webhooks (see: actions list --webhooks)" ]
    [ "${#out[@]}" -eq 7 ]
    [[ "$output" != *newPetHook* ]]
}

@test "list --webhooks lists the webhooks in their own section, table and json" {
    run_split act list "$P31" --webhooks
    [ "$status" -eq 0 ]
    [[ "$output" == *$'\n\nWebhooks (the API sends these; not actions, never tested):\nID '*"METHOD   NAME     SUMMARY"* ]]
    [[ "$output" == *$'\nnewPetHook    POST     newPet   A pet was added to the store\npost.petGone  POST     petGone  A pet left the store' ]]
    run_split act list "$P31" --webhooks --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [a["id"] for a in d["actions"]] == ["listPets", "createPet", "showPetById", "getPosition"], d
assert d["webhooks"] == [
    {"id": "newPetHook", "method": "post", "name": "newPet", "summary": "A pet was added to the store", "tags": [], "deprecated": False},
    {"id": "post.petGone", "method": "post", "name": "petGone", "summary": "A pet left the store", "tags": [], "deprecated": False}], d["webhooks"]
' "$output"
    # without --webhooks, json stays the array of actions
    run_split act list "$P31" --format json
    python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert len(d) == 4 and d[0]["id"] == "listPets"' "$output"
}

@test "a 3.0 document lists as before: no webhook footer, and --webhooks says there are none" {
    run_split act list "$SPECS/petstore.yaml"
    [ "$status" -eq 0 ]
    [[ "$output" != *webhook* ]]
    run_split act list "$SPECS/petstore.yaml" --webhooks
    [ "$status" -eq 0 ]
    [[ "$output" == *$'\n\nWebhooks: none' ]]
}

@test "show outlines type arrays and const, and a Reference Object's description overrides the target's" {
    run_split act show "$P31" showPetById
    [ "$status" -eq 0 ]
    [[ "$output" == *'application/json  Pet {id*: integer, name*: string, kind*: const "pet", tag: string | null, weight: number, owner: Owner}'* ]]
    [[ "$output" == *"404     No such pet"* ]]
    run_split act show "$P31" getPosition --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["parameters"] == [{"in": "path", "name": "petId", "required": True, "type": "integer", "description": "The pet to locate"}], d["parameters"]
assert d["responses"][0]["content"][0]["schema"] == "Position [number, number]", d["responses"]
' "$output"
    run_split act show "$P31" listPets --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["parameters"][0]["type"] == "integer | null", d["parameters"]
assert [r["description"] for r in d["responses"]] == ["A page of pets", "Anything else, as an Error"], d["responses"]
assert "webhook" not in d
' "$output"
}

@test "show works on a webhook id and says it is one" {
    run_split act show "$P31" newPetHook
    [ "$status" -eq 0 ]
    [[ "$output" == "newPetHook  POST newPet"$'\n'"  A pet was added to the store"$'\n'"  webhook: the API sends this request to its subscribers (never tested)"* ]]
    [[ "$output" == *"Request body (optional):"$'\n''  application/json  Pet {'* ]]
    run_split act show "$P31" post.petGone --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["webhook"] is True and d["path"] == "petGone" and d["method"] == "post", d
' "$output"
}

@test "test refuses a webhook by name, and test --all never runs one" {
    run_split act test "$P31" newPetHook --dest PETS31 --destinations "$DESTS"
    [ "$status" -eq 2 ]
    [ "$stderr" = "actions: error: \"newPetHook\" is a webhook of $P31: the API sends it, so it is not an action to call or test (see: actions show newPetHook)" ]
    run_split act test "$P31" --all --fill --dest PETS31 --destinations "$DESTS"
    [[ "${output##*$'\n'}" =~ \(4\ actions, ]]
    [[ "$output" != *newPetHook* && "$output" != *petGone* ]]
}

@test "the mock serves the operations with bodies that honour const, prefixItems and type arrays, not the webhooks" {
    curl_to /pets/3
    [ "$code" = 200 ]
    python3 -c '
import json, sys
p = json.loads(sys.argv[1])
assert p["kind"] == "pet" and isinstance(p["tag"], str) and p["id"] >= 1, p
assert 0 < p["weight"] < 500, p
' "$body"
    curl_to /pets/3/position
    [ "$code" = 200 ]
    python3 -c '
import json, sys
p = json.loads(sys.argv[1])
assert len(p) == 2 and all(isinstance(x, (int, float)) for x in p), p
assert -90 <= p[0] <= 90 and -180 <= p[1] <= 180, p
' "$body"
    curl_to /newPet -X POST -H 'Content-Type: application/json' -d '{"id": 1}'
    [ "$code" = 404 ]
}

@test "test --all passes every action of the 3.1 petstore against its mock" {
    run_split act test "$P31" --all --fill --dest PETS31 --destinations "$DESTS"
    [ "$status" -eq 0 ]
    [[ "${output##*$'\n'}" =~ ^4\ passed,\ 0\ failed, ]]
}

@test "validate on a 3.1 action: a fitting instance passes, a const violation and an unevaluated property fail" {
    ok='{"id": 1, "name": "Rex", "kind": "pet", "tag": null}'
    run_split act validate "$P31" showPetById --status 200 <<<"$ok"
    [ "$status" -eq 0 ]
    run_split act validate "$P31" showPetById --status 200 <<<'{"id": 1, "name": "Rex", "kind": "cat"}'
    [ "$status" -eq 1 ]
    [[ "$output$stderr" == *const* ]]
    run_split act validate "$P31" showPetById --status 200 <<<'{"id": 1, "name": "Rex", "kind": "pet", "color": "red"}'
    [ "$status" -eq 1 ]
    run_split act validate "$P31" getPosition --status 200 <<<'[1, 2, 3]'
    [ "$status" -eq 1 ]
}

@test "lint finds no problem in the 3.1 petstore" {
    run_split act lint "$P31"
    [ "$status" -eq 0 ]
    [ "$stderr" = "$P31: no problems found (4 actions)" ]
}

@test "lint warns about a 3.1 keyword in a 3.0 document: it is ignored there" {
    cat >"$BATS_TEST_TMPDIR/v30.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  kind: {type: string, const: pet}
                  n: {type: [integer, 'null']}
                  t: {type: array, items: {type: string}, prefixItems: [{type: string}]}
YAML
    run_split act lint "$BATS_TEST_TMPDIR/v30.yaml"
    [ "$status" -eq 0 ]
    [[ "$output" == *"v30.yaml:14:47: warning: \`const\` is not an OpenAPI 3.0 keyword; it is ignored"* ]]
    [[ "$output" == *"v30.yaml:15:29: warning: \`type\` as an array is OpenAPI 3.1"* ]]
    [[ "$output" == *"warning: \`prefixItems\` is not an OpenAPI 3.0 keyword; it is ignored"* ]]
    [[ "$stderr" == *"0 errors, 3 warnings" ]]
}

@test "lint warns about 3.0-only keywords in a 3.1 document: nullable, boolean exclusiveMinimum, example; a license with identifier and url" {
    cat >"$BATS_TEST_TMPDIR/v31.yaml" <<'YAML'
openapi: 3.1.0
info: {title: t, version: '1', license: {name: MIT, identifier: MIT, url: 'https://example.com/mit'}}
webhooks:
  ping:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                kind: {type: string, nullable: true}
                n: {type: integer, minimum: 0, exclusiveMinimum: true}
                s: {type: string, examples: [abc, 7]}
                e: {type: string, example: abc}
YAML
    run_split act lint "$BATS_TEST_TMPDIR/v31.yaml"
    [ "$status" -eq 0 ]
    [[ "$output" == *"v31.yaml:12:48: warning: \`nullable\` is not an OpenAPI 3.1 keyword; it is ignored"* ]]
    [[ "$output" == *"v31.yaml:13:66: warning: \`exclusiveMinimum\` as a boolean is the OpenAPI 3.0 form"* ]]
    [[ "$output" == *"warning: \`example\` is deprecated in an OpenAPI 3.1 schema"* ]]
    # each item of a schema's examples array is checked like an example
    [[ "$output" == *"warning: example does not match its schema: "*"(at /webhooks/ping/post/requestBody/content/application~1json/schema/properties/s/examples/1)"* ]]
    [[ "$output" == *'v31.yaml:2:41: warning: "license" has both "identifier" and "url": OpenAPI 3.1 allows one of them'* ]]
    [[ "$stderr" == *"0 errors, 5 warnings" ]]
}

@test "jsonSchemaDialect: the OAS dialect and 2020-12 load, another is refused with exit 2" {
    for d in https://spec.openapis.org/oas/3.1/dialect/base https://json-schema.org/draft/2020-12/schema; do
        printf 'openapi: 3.1.0\njsonSchemaDialect: %s\ninfo: {title: t, version: "1"}\npaths: {}\n' "$d" \
            >"$BATS_TEST_TMPDIR/d.yaml"
        run_split act list "$BATS_TEST_TMPDIR/d.yaml"
        [ "$status" -eq 0 ]
    done
    printf 'openapi: 3.1.0\njsonSchemaDialect: http://json-schema.org/draft-07/schema#\ninfo: {title: t, version: "1"}\npaths: {}\n' \
        >"$BATS_TEST_TMPDIR/d.yaml"
    run_split act list "$BATS_TEST_TMPDIR/d.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "actions: error: "*"d.yaml:2:20: unsupported jsonSchemaDialect \"http://json-schema.org/draft-07/schema#\""* ]]
}

@test "a 3.1 document needs no paths: webhooks alone load; none of paths, webhooks, components is an error" {
    printf 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nwebhooks:\n  ping:\n    post:\n      summary: Ping\n' \
        >"$BATS_TEST_TMPDIR/hooks.yaml"
    run_split act list "$BATS_TEST_TMPDIR/hooks.yaml" --webhooks
    [ "$status" -eq 0 ]
    [[ "$output" == *"post.ping  POST     ping  Ping"* ]]
    run_split act lint "$BATS_TEST_TMPDIR/hooks.yaml"
    [ "$status" -eq 0 ]
    printf 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n' >"$BATS_TEST_TMPDIR/empty.yaml"
    run_split act list "$BATS_TEST_TMPDIR/empty.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'none of "paths", "webhooks" and "components"'* ]]
}
