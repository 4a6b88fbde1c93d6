#!/usr/bin/env bats
# Swagger 2.0 specs: list, show, lint, mock + test --all and validate on the 2.0
# petstore (specs/petstore-v2.json), the two-file 2.0 spec (specs/multifile-v2/) and
# one whose parameters and responses are shared from another directory
# (tests/data/swagger2-shared/), collectionFormat on the wire, and positions in messages naming the 2.0 file and
# node. Loopback only; every port is chosen at run time.

load helpers

PET2=$SPECS/petstore-v2.json
MULTI2=$SPECS/multifile-v2/swagger.yaml
SHARED2=$BATS_TEST_DIRNAME/../data/swagger2-shared/api.yaml

setup_file() {
    cp "$ACTIONS_BIN" "$BATS_FILE_TMPDIR/actions-under-test"
    export ACTIONS_BIN=$BATS_FILE_TMPDIR/actions-under-test
    start_mock pet2 "$PET2" --quiet
    start_mock multi2 "$MULTI2" --quiet
    start_mock shared2 "$SHARED2" --quiet
}

teardown_file() {
    stop_mock pet2
    stop_mock multi2
    stop_mock shared2
}

setup() {
    export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
    cd "$BATS_TEST_TMPDIR"
    cat >destinations.yaml <<YAML
destinations:
  - Name: PET2
    URL: http://127.0.0.1:$(port_of pet2)
    ProxyType: Internet
    Authentication: NoAuthentication
    URL.headers.api_key: key-1
    sap.applicationdevelopment.actions.enabled: true
  - Name: MULTI2
    URL: http://127.0.0.1:$(port_of multi2)
    ProxyType: Internet
    Authentication: BasicAuthentication
    User: alice
    Password: pw
    sap.applicationdevelopment.actions.enabled: true
  - Name: SHARED2
    URL: http://127.0.0.1:$(port_of shared2)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
    export ACTIONS_DESTINATIONS=$BATS_TEST_TMPDIR/destinations.yaml
}

@test "swagger 2.0: list shows every operation of the petstore in spec order" {
    run act list "$PET2" --format json
    [ "$status" -eq 0 ]
    ids=$(python3 -c 'import json,sys; print(" ".join(a["id"] for a in json.load(sys.stdin)))' <<<"$output")
    [ "$ids" = "addPet updatePet findPetsByStatus findPetsByTags getPetById updatePetWithForm deletePet uploadFile getInventory placeOrder getOrderById deleteOrder createUser createUsersWithArrayInput createUsersWithListInput loginUser logoutUser getUserByName updateUser deleteUser" ]
    run act list "$MULTI2"
    [ "$status" -eq 0 ]
    [[ "$output" == *"listItems   GET      /items       List the items"* ]]
    [ "$(grep -c '^[a-zA-Z]' <<<"$output")" -eq 4 ] # header and three actions
}

@test "swagger 2.0: show gives form bodies, file uploads, body parameters and security" {
    run act show "$PET2" uploadFile
    [ "$status" -eq 0 ]
    [[ "$output" == *"multipart/form-data  {additionalMetadata: string, file: string(binary)}"* ]]
    [[ "$output" == *"petstore_auth (oauth2; scopes: write:pets read:pets)"* ]]
    run act show "$PET2" updatePetWithForm
    [[ "$output" == *"application/x-www-form-urlencoded  {name: string, status: string}"* ]]
    run act show "$PET2" addPet --format json
    [ "$status" -eq 0 ]
    python3 - "$output" <<'PY'
import json, sys
o = json.loads(sys.argv[1])
s = json.dumps(o)
assert "application/xml" in s and "application/json" in s, s
PY
    run act show "$PET2" loginUser
    [[ "$output" == *"application/json  string"* ]]
    run act show "$MULTI2" getItem
    [ "$status" -eq 0 ]
    [[ "$output" == *"basicAuth (http basic)"* ]]
    [[ "$output" == *"404"*"no such item"* ]]
}

@test "swagger 2.0: lint finds no problem in either spec" {
    run act lint "$PET2"
    [ "$status" -eq 0 ]
    [[ "$output" == *"no problems found (20 actions)"* ]]
    run act lint "$MULTI2"
    [ "$status" -eq 0 ]
    [[ "$output" == *"no problems found (3 actions)"* ]]
}

@test "swagger 2.0: test --all against the mock passes every action of both specs" {
    run act test "$PET2" --all --dest PET2 --fill
    [ "$status" -eq 0 ]
    [[ "$output" == *"20 passed, 0 failed"* ]]
    run act test "$MULTI2" --all --dest MULTI2 --fill
    [ "$status" -eq 0 ]
    [[ "$output" == *"3 passed, 0 failed"* ]]
}

@test "swagger 2.0: collectionFormat multi, csv, pipes and tsv go on the wire as 2.0 says" {
    run act test "$PET2" findPetsByStatus --dest PET2 -p status=available -p status=sold -v
    [ "$status" -eq 0 ]
    [[ "$output" == *"GET /pet/findByStatus?status=available&status=sold HTTP/1.1"* ]]
    run act test "$PET2" findPetsByTags --dest PET2 -p tags=a -p tags=b -v
    [ "$status" -eq 0 ]
    [[ "$output" == *"GET /pet/findByTags?tags=a,b HTTP/1.1"* ]]
    run act test "$MULTI2" listItems --dest MULTI2 -p ids=1 -p ids=2 -p fields=a -p fields=b -v
    [ "$status" -eq 0 ]
    [[ "$output" == *"GET /items?ids=1|2&fields=a%09b HTTP/1.1"* ]]
}

@test "swagger 2.0: the mock reads tsv and pipes arrays back and checks their items" {
    port=$(port_of multi2)
    run curl -s -o /dev/null -w '%{http_code}' -u alice:pw "http://127.0.0.1:$port/items?ids=1|2&fields=a%09b"
    [ "$output" = 200 ]
    run curl -s -u alice:pw "http://127.0.0.1:$port/items?ids=1|x"
    [[ "$output" == *"ids"* ]]
    run curl -s -o /dev/null -w '%{http_code}' -u alice:pw "http://127.0.0.1:$port/items?ids=1|x"
    [ "$output" = 400 ]
}

@test "swagger 2.0: validate checks instances against 2.0 definitions in either file" {
    printf '%s' '{"id": 1, "name": "rex", "photoUrls": [], "nickname": null}' >pet.json
    run act validate "$PET2" getPetById --status 200 pet.json
    [ "$status" -eq 0 ]
    printf '%s' '[{"id": 1, "name": "bolt", "kind": "Part", "note": null, "weight": 2}]' >items.json
    run act validate "$MULTI2" listItems --status 200 items.json
    [ "$status" -eq 0 ]
    printf '%s' '[{"id": 1, "name": "bolt", "kind": "Part", "weight": -1}]' >bad.json
    run act validate "$MULTI2" listItems --status 200 bad.json
    [ "$status" -eq 1 ]
    # the definition lives in models.yaml: its own file and line (weight's minimum)
    [[ "$output" == *"/0/weight: "*"models.yaml:33:"* ]]
}

@test "swagger 2.0: a schema error names the 2.0 file, line, column and pointer" {
    printf '%s' '{"name": 5, "photoUrls": []}' >pet.json
    run act validate "$PET2" getPetById --status 200 pet.json
    [ "$status" -eq 1 ]
    line=$(python3 - "$PET2" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
start = next(i for i, l in enumerate(lines) if l.strip() == '"Pet": {')
name = next(i for i in range(start, len(lines)) if lines[i].strip() == '"name": {')
typ = next(i for i in range(name, len(lines)) if '"type"' in lines[i])
print("%d:%d" % (typ + 1, lines[typ].index('"string"') + 1))  # the value of type
PY
    )
    [[ "$output" == *"/name: expected string, got number (${PET2}:${line} "* ]]
    # and the keyword's pointer is the 2.0 one too, not the translation's components/schemas
    [[ "$output" == *"(${PET2}:${line} #/definitions/Pet/properties/name/type)"* ]]
}

@test "swagger 2.0: lint positions point into the 2.0 YAML, not its translation" {
    cat >v2.yaml <<'YAML'
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /a/{id}:
    get:
      operationId: one
      parameters:
        - name: q
          in: query
          type: string
        - name: body
          in: body
          schema:
            $ref: "#/definitions/Nope"
      responses:
        "200": {description: ok}
YAML
    run_split act lint v2.yaml
    [ "$status" -eq 2 ]
    [[ "$output" == *"v2.yaml:5:5: error: path template parameter {id} of get /a/{id}"* ]]
    # the body parameter's schema (line 13), where the translation's requestBody came from
    [[ "$output" == *'v2.yaml:13:11: error: unresolvable $ref'*'(at /paths/~1a~1{id}/get/parameters/1/schema)'* ]]
}

@test "swagger 2.0: a 2.0 document that cannot be translated is a positioned error" {
    printf 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      parameters:\n        - {in: query}\n      responses: {}\n' >bad.yaml
    run_split act list bad.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'actions: error: bad.yaml:7:11: parameter without "name" and "in" (at /paths/~1a/get/parameters/0)'* ]]
    printf 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: []\n' >bad2.yaml
    run_split act list bad2.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'actions: error: bad2.yaml:3:8: "paths" must be an object'* ]]
}

@test "swagger 2.0: validate --schema reads 2.0 definitions as 2.0 means them" {
    printf '%s' '{"name": "rex", "photoUrls": [], "nickname": null}' >pet.json
    run act validate --schema "$PET2#/definitions/Pet" pet.json
    [ "$status" -eq 0 ]
    [ "$output" = "pet.json: valid" ]
    # a discriminator property name, and x-nullable, in the second file of a 2.0 spec
    printf '%s' '{"id": 1, "name": "b", "kind": "Part", "note": null, "weight": 1}' >part.json
    run act validate --schema "$MULTI2#/parameters/ItemBody/schema" part.json
    [ "$status" -eq 0 ]
    printf '%s' '{"id": 1, "name": "b", "kind": "Bolt"}' >bolt.json
    run act validate --schema "$MULTI2#/parameters/ItemBody/schema" bolt.json
    [ "$status" -eq 1 ]
    [[ "$output" == *'"Bolt"'*"models.yaml:"* ]]
}

@test "swagger 2.0: parameters and responses from another file are translated like local ones" {
    run act list "$SHARED2"
    [ "$status" -eq 0 ]
    [[ "$output" == *"listWidgets "*"createWidget "*"labelWidget "* ]]
    # a shared query parameter is a 3.0 parameter with its schema
    run act show "$SHARED2" listWidgets
    [ "$status" -eq 0 ]
    [[ "$output" == *"query   offset  no        integer"* ]]
    # a shared body parameter is the request body, a shared response has content
    run act show "$SHARED2" createWidget
    [ "$status" -eq 0 ]
    [[ "$output" == *"Parameters: none"* ]]
    [[ "$output" == *"Request body (required):"*"application/json  Widget {id: integer, name*: string, color: string?}"* ]]
    [[ "$output" == *"409     a widget of that name exists"*"application/json  Problem {message*: string}"* ]]
    # a shared formData parameter is a property of the form body
    run act show "$SHARED2" labelWidget
    [ "$status" -eq 0 ]
    [[ "$output" == *"application/x-www-form-urlencoded  {label: string}"* ]]
    [[ "$output" == *"404     no such widget"*"Problem {message*: string}"* ]]
    run act lint "$SHARED2"
    [ "$status" -eq 0 ]
    [[ "$output" == *"no problems found (3 actions)"* ]]
}

@test "swagger 2.0: test --all and the mock use parameters and bodies from another file" {
    run act test "$SHARED2" --all --dest SHARED2 --fill
    [ "$status" -eq 0 ]
    [[ "$output" == *"3 passed, 0 failed"* ]]
    port=$(port_of shared2)
    # the shared query parameter's maximum and the shared body's schema are checked
    run curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/widgets?offset=5"
    [ "$output" = 200 ]
    run curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/widgets?offset=5000"
    [ "$output" = 400 ]
    run curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"name": ""}' "http://127.0.0.1:$port/widgets"
    [ "$output" = 400 ]
    run curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"name": "cog", "color": null}' "http://127.0.0.1:$port/widgets"
    [ "$output" = 201 ]
}

@test "swagger 2.0: validate a shared response, errors naming the file each schema is in" {
    printf '%s' '{"message": "taken"}' >p.json
    run act validate "$SHARED2" createWidget --status 409 p.json
    [ "$status" -eq 0 ]
    printf '%s' '{"message": 5}' >bad.json
    run act validate "$SHARED2" labelWidget --status 404 bad.json
    [ "$status" -eq 1 ]
    # Problem is a definition of the root, reached from the shared response
    [[ "$output" == *"/message: expected string"*"api.yaml:"*"#/definitions/Problem/properties/message/type)"* ]]
    printf '%s' '[{"id": 1, "name": "", "color": null}]' >w.json
    run act validate "$SHARED2" listWidgets --status 200 w.json
    [ "$status" -eq 1 ]
    # Widget lives in the shared file: its own file and line (name's minLength)
    line=$(grep -n 'minLength: 1' "${SHARED2%/*}/shared/common.yaml" | tail -1 | cut -d: -f1)
    [[ "$output" == *"/0/name: "*"shared/common.yaml:$line:"*"#/definitions/Widget/properties/name/minLength)"* ]]
}

@test "swagger 2.0: convert of a spec with shared parameters and responses lints clean" {
    run act convert "$SHARED2" --to 3.0 --format json -o shared.json
    [ "$status" -eq 0 ]
    python3 - shared.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
get = d["paths"]["/widgets"]["get"]
assert get["parameters"] == [{"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000}}], get
post = d["paths"]["/widgets"]["post"]
assert "parameters" not in post, post
assert post["requestBody"]["x-body-name"] == "widget"
assert post["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Widget"}
assert post["responses"]["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
assert post["responses"]["409"]["headers"]["X-Existing"]["schema"] == {"type": "integer"}
form = d["paths"]["/widgets/{id}/label"]["post"]["requestBody"]["content"]
assert form["application/x-www-form-urlencoded"]["schema"]["properties"]["label"] == {"type": "string", "minLength": 1}, form
assert d["components"]["schemas"]["Widget"]["properties"]["color"]["nullable"] is True
PY
    run act lint shared.json
    [ "$status" -eq 0 ]
    [[ "$output" == *"no problems found (3 actions)"* ]]
}

@test "swagger 2.0: a broken parameter or response in another file is an error at its \$ref" {
    mkdir -p lib
    printf 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: "lib/c.yaml#/p"\n      responses:\n        "200": {$ref: "lib/c.yaml#/nope"}\n' >b.yaml
    printf 'p: {in: query}\n' >lib/c.yaml
    run_split act list b.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'actions: error: b.yaml:7:11: parameter without "name" and "in" (at /paths/~1a/get/parameters/0)'* ]]
    printf 'p: {in: query, name: q}\n' >lib/c.yaml
    run_split act lint b.yaml
    [ "$status" -eq 2 ]
    [[ "$output" == *'b.yaml:9:16: error: unresolvable $ref "lib/c.yaml#/nope"'* ]]
}
