#!/usr/bin/env bats
# actions bundle: one self-contained document that lists, shows, validates and
# mocks exactly like the spec split over files (specs/multifile first, then a
# spec whose files collide on names and hold a recursive schema); refusals: a
# file of the spec as -o, a cycle of path item files. Loopback only; every
# port is chosen at run time.

load release_helpers

setup_file() {
    private_binary
    "$ACTIONS_BIN" bundle "$SPECS/multifile/api.yaml" -o "$BATS_FILE_TMPDIR/multi.json"
    start_mock orig "$SPECS/multifile/api.yaml" --quiet
    start_mock bundled "$BATS_FILE_TMPDIR/multi.json" --quiet
}

teardown_file() {
    stop_mock orig
    stop_mock bundled
}

setup() {
    cd "$BATS_TEST_TMPDIR"
    B=$BATS_FILE_TMPDIR/multi.json
}

# dests: a destinations file naming the two mocks ORIG and BUNDLED.
dests() {
    cat >dests.yaml <<YAML
destinations:
  - {Name: ORIG, URL: "http://127.0.0.1:$(port_of orig)", ProxyType: Internet,
     Authentication: NoAuthentication, sap.applicationdevelopment.actions.enabled: true}
  - {Name: BUNDLED, URL: "http://127.0.0.1:$(port_of bundled)", ProxyType: Internet,
     Authentication: NoAuthentication, sap.applicationdevelopment.actions.enabled: true}
YAML
}

@test "bundle: the multi-file spec becomes one document with no \$ref into another file" {
    run grep -o '"\$ref": "[^"]*"' "$B"
    [ "$status" -eq 0 ]
    ! grep -v '"\$ref": "#/' <<<"$output"
    [[ "$output" == *'"$ref": "#/components/schemas/book.json"'* ]]
    [[ "$output" == *'"$ref": "#/components/schemas/author.json"'* ]]
    [[ "$output" == *'"$ref": "#/components/parameters/Isbn"'* ]]
    [[ "$output" == *'"$ref": "#/components/responses/Problem"'* ]]
    # an internal ref of the root file stays as written
    [[ "$output" == *'"$ref": "#/paths/~1a~0b~1c%25d/get/x-schema"'* ]]
    # the path item of paths/authors.yaml is in place
    "$PY" - "$B" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["paths"]["/authors"]["get"]["operationId"] == "listAuthors"
assert sorted(d["components"]["schemas"]) == ["Problem", "author.json", "book.json"]
PY
}

@test "bundle: list, show and lint say the same of the bundle as of the original" {
    diff <(act list "$SPECS/multifile/api.yaml") <(act list "$B")
    for a in getBook listAuthors weirdPath; do
        diff <(act show "$SPECS/multifile/api.yaml" "$a") <(act show "$B" "$a")
        diff <(act show "$SPECS/multifile/api.yaml" "$a" --format json) <(act show "$B" "$a" --format json)
    done
    run act lint "$B"
    [ "$status" -eq 0 ]
}

@test "bundle: validate gives the same verdicts and errors on the bundle" {
    printf '{"isbn": "1", "title": "T", "authors": [{"name": "A", "books": [{"isbn": 2}]}]}' >bad.json
    printf '{"isbn": "1", "title": "T", "authors": [{"name": "A", "books": []}]}' >good.json
    for f in good.json bad.json; do
        run act validate "$SPECS/multifile/api.yaml" getBook --status 200 "$f"
        local s1=$status o1=${output//$SPECS\/multifile\/api.yaml/SPEC}
        run act validate "$B" getBook --status 200 "$f"
        [ "$status" -eq "$s1" ]
        o2=${output//$B/SPEC}
        # the schema locations differ (a file vs a components entry); the verdicts do not
        diff <(grep -o '^[^(]*' <<<"$o1" | sed 's/ *$//') <(grep -o '^[^(]*' <<<"$o2" | sed 's/ *$//') || true
        [ "$(grep -c . <<<"$o1")" -eq "$(grep -c . <<<"$o2")" ]
    done
    [ "$s1" -eq 1 ]
}

@test "bundle: test --all against the mocks of both gives the same results, either way round" {
    dests
    local spec dest out=()
    for spec in "$SPECS/multifile/api.yaml" "$B"; do
        for dest in ORIG BUNDLED; do
            run act test "$spec" --all --fill --dest "$dest" --destinations dests.yaml
            [ "$status" -eq 0 ]
            # drop timings: "PASS getBook 200 OK 3 ms" -> "PASS getBook 200 OK"
            out+=("$(sed -E 's/ [0-9]+ ms$//; s/, [0-9.]+ s\)$/)/' <<<"$output")")
        done
    done
    [[ "${out[0]}" == *"PASS getBook"*"PASS listAuthors"*"PASS weirdPath"* ]]
    [ "${out[0]}" = "${out[1]}" ]
    [ "${out[0]}" = "${out[2]}" ]
    [ "${out[0]}" = "${out[3]}" ]
}

@test "bundle --format yaml: a YAML document that lists and shows the same" {
    act bundle "$SPECS/multifile/api.yaml" --format yaml >b.yaml
    head -1 b.yaml | grep -q '^"openapi": "3.0.3"$'
    diff <(act list "$SPECS/multifile/api.yaml") <(act list b.yaml)
    diff <(act show "$SPECS/multifile/api.yaml" getBook) <(act show b.yaml getBook)
    act bundle "$SPECS/multifile/api.yaml" -o out.yml
    cmp b.yaml out.yml
}

@test "bundle: colliding names get _2, a recursive schema across files stays finite" {
    mkdir -p lib
    cat >api.yaml <<'YAML'
openapi: 3.0.3
info: {title: collisions, version: 1.0.0}
paths:
  /tree:
    get:
      operationId: getTree
      responses:
        '200':
          description: a tree
          content:
            application/json:
              schema: {$ref: 'lib/node.json'}
        '400':
          description: local problem
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
        '500':
          description: the library's problem
          content:
            application/json:
              schema: {$ref: 'lib/common.yaml#/components/schemas/Problem'}
components:
  schemas:
    Problem: {type: object, required: [local], properties: {local: {type: string}}}
YAML
    cat >lib/node.json <<'JSON'
{"type": "object", "required": ["name"],
 "properties": {"name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "node.json"}},
                "problem": {"$ref": "common.yaml#/components/schemas/Problem"}}}
JSON
    cat >lib/common.yaml <<'YAML'
components:
  schemas:
    Problem: {type: object, required: [remote], properties: {remote: {type: integer}}}
YAML
    run act bundle api.yaml -o bundled.json
    [ "$status" -eq 0 ]
    "$PY" - bundled.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["components"]["schemas"]
assert sorted(s) == ["Problem", "Problem_2", "node.json"], sorted(s)
assert s["Problem"]["required"] == ["local"]
assert s["Problem_2"]["required"] == ["remote"]
r = d["paths"]["/tree"]["get"]["responses"]
assert r["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/node.json"}
assert r["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
assert r["500"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem_2"}
n = s["node.json"]["properties"]
assert n["children"]["items"] == {"$ref": "#/components/schemas/node.json"}
assert n["problem"] == {"$ref": "#/components/schemas/Problem_2"}
PY
    # the same input gives the same names, byte for byte
    act bundle api.yaml | cmp - bundled.json
    printf '{"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}' >tree.json
    run act validate bundled.json getTree --status 200 tree.json
    [ "$status" -eq 1 ]
    [[ "$output" == *"/children/0/children/0/name"* ]]
    run act validate api.yaml getTree --status 200 tree.json
    [ "$status" -eq 1 ]
    [[ "$output" == *"/children/0/children/0/name"* ]]
}

@test "bundle: refuses to write over a file of the spec, which stays as it was" {
    cp -r "$SPECS/multifile" m
    cp m/schemas/book.json before.json
    run act bundle m/api.yaml -o m/schemas/book.json
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: refusing to write the bundle over \"m/schemas/book.json\", a file of the spec itself"* ]]
    cmp before.json m/schemas/book.json
    run act bundle m/api.yaml -o m/api.yaml
    [ "$status" -eq 2 ]
}

@test "bundle: a cycle of path item files is refused with the \$ref that closes it" {
    cat >api.yaml <<'YAML'
openapi: 3.0.3
info: {title: cycle, version: 1.0.0}
paths:
  /hook:
    $ref: 'hook.yaml'
YAML
    cat >hook.yaml <<'YAML'
post:
  operationId: postHook
  callbacks:
    again:
      '{$request.body#/url}':
        $ref: 'hook.yaml'
  responses:
    '200': {description: ok}
YAML
    run act bundle api.yaml
    [ "$status" -eq 2 ]
    [[ "$output" == *"actions: error: "*"cannot bundle: the path item \$ref \"hook.yaml\" includes itself"* ]]
}

@test "bundle: usage errors" {
    run act bundle "$SPECS/multifile/api.yaml" --format xml
    [ "$status" -eq 2 ]
    [[ "$output" == *"--format must be json or yaml"* ]]
    run act bundle "$SPECS/multifile/api.yaml" extra
    [ "$status" -eq 2 ]
    run act bundle nosuch.yaml
    [ "$status" -eq 2 ]
}
