#!/usr/bin/env bats
# actions validate: instances against a schema file or an action's declared response.

load helpers

DATA=$ROOT/tests/data/validator
PET="$DATA/pet.yaml#/components/schemas/Pet"

@test "validate: a valid instance prints valid and exits 0" {
    run_split act validate --schema "$PET" "$DATA/pet-valid.json"
    [ "$status" -eq 0 ]
    [ "$output" = "$DATA/pet-valid.json: valid" ]
}

@test "validate: every error, with the instance pointer and the schema's file:line" {
    run_split act validate --schema "$PET" "$DATA/pet-invalid.json"
    [ "$status" -eq 1 ]
    f="$DATA/pet-invalid.json"
    s="$DATA/pet.yaml"
    expected="$f: /name: expected at most 5 characters, got 7 characters ($s:15:22 #/components/schemas/Pet/properties/name/maxLength)
$f: /price: expected a multiple of 0.01, got 19.991 ($s:18:23 #/components/schemas/Pet/properties/price/multipleOf)
$f: /tag: expected a match for /^[a-z]+\$/, got \"ABC\" ($s:22:20 #/components/schemas/Pet/properties/tag/pattern)
$f: /kids/0/name: expected string, got null ($s:14:17 #/components/schemas/Pet/properties/name/type)
$f: /kids/0: expected property \"id\", got nothing ($s:7:17 #/components/schemas/Pet/required)"
    [ "$output" = "$expected" ]
}

@test "validate: --max-errors caps the list and says how many more" {
    run_split act validate --schema "$PET" --max-errors 2 "$DATA/pet-invalid.json"
    [ "$status" -eq 1 ]
    [ "$(printf '%s\n' "$output" | wc -l)" -eq 3 ]
    [[ "$output" == *"pet-invalid.json: … and 3 more errors" ]]
}

@test "validate: --format json gives one object per instance" {
    run_split act validate --schema "$PET" --format json "$DATA/pet-valid.json" "$DATA/pet-invalid.json"
    [ "$status" -eq 1 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [x["valid"] for x in d] == [True, False], d
e = d[1]["errors"][0]
assert e["instancePath"] == "/name" and e["keyword"] == "maxLength", e
assert e["schemaPath"] == "#/components/schemas/Pet/properties/name/maxLength", e
assert e["line"] == 15 and e["expected"] == "at most 5 characters", e
assert len(d[1]["errors"]) == 5 and d[1]["more"] == 0
' "$output"
}

@test "validate: --direction request refuses readOnly properties and does not require them" {
    run_split act validate --schema "$PET" --direction request "$DATA/pet-valid.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"/id: expected no readOnly property in a request, got a readOnly property"* ]]
    echo '{"name": "Rex"}' | act validate --schema "$PET" --direction request -
}

@test "validate: the instance can come from standard input" {
    run_split sh -c "'$ACTIONS_BIN' validate --schema '$PET' < '$DATA/pet-valid.json'"
    [ "$status" -eq 0 ]
    [ "$output" = "<stdin>: valid" ]
}

@test "validate: an invalid pattern is a schema error with its position, exit 2" {
    run_split act validate --schema "$DATA/pet.yaml#/components/schemas/Bad" "$DATA/pet-valid.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"pet.yaml:29:16: invalid schema: invalid pattern \"(unclosed\""*"(at /components/schemas/Bad/pattern)"* ]]
}

@test "validate: a malformed instance or a missing pointer is unusable input, exit 2" {
    run_split act validate --schema "$PET" "$DATA/broken.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"broken.json:2:1: invalid JSON"* ]]
    run_split act validate --schema "$DATA/pet.yaml#/components/schemas/Nope" "$DATA/pet-valid.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no node at #/components/schemas/Nope"* ]]
}

@test "validate: a schema that is only a \$ref to itself is refused, not looped on" {
    printf '{"$ref": "#"}' > "$BATS_TEST_TMPDIR/self.json"
    run_split act validate --schema "$BATS_TEST_TMPDIR/self.json" "$DATA/pet-valid.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'$ref cycle that never reaches a value'* ]]
}

@test "validate: ACTION --status finds the declared response schema" {
    run_split act validate "$SPECS/petstore.yaml" showPetById --status 200 "$DATA/petstore-pet.json"
    [ "$status" -eq 0 ]
    run_split act validate "$SPECS/petstore.yaml" showPetById --status 404 "$DATA/petstore-pet.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *'(root): expected property "code", got nothing'*"#/components/schemas/Error/required)"* ]]
    run_split act validate "$SPECS/petstore.yaml" showPetById --status 404 "$DATA/error.json"
    [ "$status" -eq 0 ]
}

@test "validate: status ranges and default, media type parameters and ranges" {
    # placeOrder declares 4XX; createPet declares default
    run_split act validate "$SPECS/petstore.yaml" placeOrder --status 409 "$DATA/error.json"
    [ "$status" -eq 0 ]
    run_split act validate "$SPECS/petstore.yaml" createPet --status 500 --content-type 'application/json; charset=utf-8' "$DATA/error.json"
    [ "$status" -eq 0 ]
    run_split act validate "$SPECS/petstore.yaml" createPet --status 500 --content-type 'text/plain' "$DATA/error.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"declares no text/plain content (declared: application/json)"* ]]
}

@test "validate: an undeclared status or an unknown action is unusable input, exit 2" {
    run_split act validate "$SPECS/petstore.yaml" showPetById --status 500 "$DATA/error.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"status 500 is not declared for showPetById (declared: 200, 404)"* ]]
    run_split act validate "$SPECS/petstore.yaml" showPet --status 200 "$DATA/error.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown action "showPet"'* ]]
}

@test "validate: usage errors exit 2" {
    run_split act validate "$DATA/pet-valid.json"
    [ "$status" -eq 2 ]
    run_split act validate --schema "$PET" --direction sideways "$DATA/pet-valid.json"
    [ "$status" -eq 2 ]
    run_split act validate --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--schema FILE[#/json/pointer]"* ]]
    # a pointer without its file (the spec given as an operand instead) names the mistake
    run_split act validate "$PET" --schema '#/components/schemas/Pet' "$DATA/pet-valid.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: --schema "#/components/schemas/Pet" names no file: give FILE or FILE#POINTER'* ]]
    run_split act validate --schema '' "$DATA/pet-valid.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: --schema "" names no file'* ]]
}

# GitHub's description (bench/fetch-github.sh caches it): realistic instances built from
# the spec's own examples must validate with no false errors.
github_spec() {
    local cache=${ACTIONS_BENCH_CACHE:-$HOME/.cache/actions-bench}
    GH=$(ls "$cache"/github-*.json 2>/dev/null | head -n 1)
    [ -n "$GH" ] || skip "needs the npm registry: GitHub's description is not cached; run bench/fetch-github.sh once online"
}

# example OPERATION_ID STATUS OUT [PYTHON-EXPR-ON-v]: the response example, optionally changed
example() {
    python3 - "$GH" "$1" "$2" "$3" "${4:-v}" <<'PY'
import json, sys
spec, op_id, status, out, expr = sys.argv[1:]
d = json.load(open(spec))
def get(ref):
    n = d
    for k in ref[2:].split("/"):
        n = n[k.replace("~1", "/").replace("~0", "~")]
    return n
def res(n):
    while isinstance(n, dict) and "$ref" in n:
        n = get(n["$ref"])
    return n
for item in d["paths"].values():
    for op in item.values():
        if isinstance(op, dict) and op.get("operationId") == op_id:
            media = res(op["responses"][status])["content"]["application/json"]
            ex = res(list(media["examples"].values())[0])["value"]
            v = ex
            v = eval(expr)
            json.dump(v, open(out, "w"))
            sys.exit(0)
sys.exit(1)
PY
}

@test "validate: GitHub examples of common responses validate with no false errors" {
    github_spec
    for op in repos/list-for-org repos/list-commits issues/list-comments search/repos git/get-commit; do
        example "$op" 200 "$BATS_TEST_TMPDIR/ex.json"
        run_split act validate "$GH" "$op" --status 200 "$BATS_TEST_TMPDIR/ex.json"
        [ "$status" -eq 0 ] || { echo "$op: $output $stderr"; return 1; }
    done
}

@test "validate: a realistic list of repositories, and a null login in it, against GitHub's schema" {
    github_spec
    P='#/paths/~1orgs~1{org}~1repos/get/responses/200/content/application~1json/schema'
    example repos/list-for-org 200 "$BATS_TEST_TMPDIR/repos.json" \
        '[dict(v[0], id=i, name="r%d" % i, description=None if i % 2 else "x") for i in range(50)]'
    run_split act validate --schema "$GH$P" "$BATS_TEST_TMPDIR/repos.json"
    [ "$status" -eq 0 ]
    example repos/list-for-org 200 "$BATS_TEST_TMPDIR/bad.json" \
        '[v[0], v[0], v[0], dict(v[0], owner=dict(v[0]["owner"], login=None))]'
    run_split act validate --schema "$GH$P" "$BATS_TEST_TMPDIR/bad.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *": /3/owner/login: expected string, got null ($GH:"*" #/components/schemas/simple-user/properties/login/type)" ]]
}

# ---- hostile input: work and regex budgets -------------------------------------------------

# tree_files: a spec whose Node is a Folder or a File told apart only by their content, both
# descending into children (2^depth work without remembered results), deep trees, a
# destination for `test` against the mock of that spec.
tree_files() {
    local d=$BATS_TEST_TMPDIR
    python3 - "$d" <<'PY'
import json, sys
d = sys.argv[1]
def tree(depth, leaf):
    t = {"size": leaf}
    for _ in range(depth):
        t = {"children": [t]}
    return t
items = {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
spec = {
    "openapi": "3.0.3",
    "info": {"title": "tree", "version": "1"},
    "paths": {"/tree": {
        "get": {"operationId": "getTree", "responses": {"200": {"description": "a tree",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"},
                                             "example": tree(30, 1)}}}}},
        "post": {"operationId": "postTree",
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": {"$ref": "#/components/schemas/Node"}}}},
                 "responses": {"204": {"description": "stored"}}}}},
    "components": {"schemas": {
        "Node": {"oneOf": [{"$ref": "#/components/schemas/Folder"},
                           {"$ref": "#/components/schemas/File"}]},
        "Folder": {"type": "object", "required": ["children"], "properties": {"children": items}},
        "File": {"type": "object", "required": ["size"],
                 "properties": {"size": {"type": "integer"}, "children": items}}}}}
json.dump(spec, open(d + "/tree.json", "w"))
json.dump(tree(30, 1), open(d + "/good.json", "w"))
json.dump(tree(30, "big"), open(d + "/bad.json", "w"))
PY
}

@test "validate: a recursive oneOf whose branches both descend takes polynomial work (depth 30)" {
    tree_files
    cd "$BATS_TEST_TMPDIR"
    run_split timeout 20 "$ACTIONS_BIN" validate --schema 'tree.json#/components/schemas/Node' good.json
    [ "$status" -eq 0 ]
    [ "$output" = "good.json: valid" ]
    run_split timeout 20 "$ACTIONS_BIN" validate --schema 'tree.json#/components/schemas/Node' bad.json
    [ "$status" -eq 1 ]
    [[ "$output" == *"/children/0: expected a match for exactly one of its schemas"* ]]
    [[ "$output" == *"/children/0/size: expected integer, got string"* ]]
    [[ "$output" != *budget* ]]
}

@test "validate: --max-validation-steps bounds the work and the error names the budget" {
    tree_files
    cd "$BATS_TEST_TMPDIR"
    run_split timeout 20 "$ACTIONS_BIN" validate --max-validation-steps 40 \
        --schema 'tree.json#/components/schemas/Node' good.json
    [ "$status" -eq 1 ]
    [[ "$output" == "good.json: "*"got validation work budget of 40 steps exceeded"* ]]
    [[ "$output" == *"raise it with --max-validation-steps N"* ]]
    run_split act validate --max-validation-steps 0 --schema 'tree.json#/components/schemas/Node' good.json
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf '%s\nsee: actions validate --help' 'actions: error: --max-validation-steps needs a number > 0, not "0"')" ]
}

@test "test and mock: a deep recursive oneOf in a response and in a request body stays fast" {
    tree_files
    cd "$BATS_TEST_TMPDIR"
    start_mock tree "$BATS_TEST_TMPDIR/tree.json" --quiet
    start_mock treesmall "$BATS_TEST_TMPDIR/tree.json" --quiet --max-validation-steps 40
    port=$(port_of tree)
    cat >dests.yaml <<YAML
destinations:
  - Name: TREE
    URL: http://127.0.0.1:$port
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
    run_split timeout 20 "$ACTIONS_BIN" test tree.json getTree --dest TREE --destinations dests.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS getTree 200"* ]]
    run_split timeout 20 "$ACTIONS_BIN" test tree.json getTree --dest TREE --destinations dests.yaml \
        --max-validation-steps 40
    [ "$status" -eq 1 ]
    [[ "$output" == *"validation work budget of 40 steps exceeded"* ]]
    code=$(curl -s -o out.json -w '%{http_code}' --max-time 20 -H 'Content-Type: application/json' \
        --data-binary @good.json "http://127.0.0.1:$port/tree")
    [ "$code" = 204 ]
    code=$(curl -s -o out.json -w '%{http_code}' --max-time 20 -H 'Content-Type: application/json' \
        --data-binary @bad.json "http://127.0.0.1:$port/tree")
    [ "$code" = 400 ]
    grep -q 'exactly one of its schemas' out.json
    code=$(curl -s -o out.json -w '%{http_code}' --max-time 20 -H 'Content-Type: application/json' \
        --data-binary @good.json "http://127.0.0.1:$(port_of treesmall)/tree")
    [ "$code" = 400 ]
    grep -q 'validation work budget of 40 steps exceeded' out.json
    stop_mock tree
    stop_mock treesmall
}

@test "validate: 1,000 strings against a catastrophic pattern share one regex budget" {
    cd "$BATS_TEST_TMPDIR"
    python3 -c '
import json
json.dump({"type": "array", "items": {"type": "string", "pattern": "^(a+)+$"}}, open("re.json", "w"))
json.dump(["a" * (30 + i % 7) + "!" for i in range(1000)], open("strings.json", "w"))'
    run_split timeout 20 "$ACTIONS_BIN" validate --max-errors 0 --schema re.json strings.json
    [ "$status" -eq 1 ]
    [ "$(printf '%s\n' "$output" | grep -c 'got a string too costly to match')" -eq 1000 ]
    [[ "$output" == *"within the regex budget of 100000000 steps per validation (spent)"* ]]
}

@test "validate and mock: U+0000 in a string is valid JSON and is validated whole" {
    cd "$BATS_TEST_TMPDIR"
    cat >nul.json <<'JSON'
{"openapi": "3.0.3", "info": {"title": "nul", "version": "1"},
 "paths": {"/s": {"post": {"operationId": "postS",
   "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}},
   "responses": {"204": {"description": "ok"}}}}},
 "components": {"schemas": {"S": {"type": "array", "uniqueItems": true,
   "items": {"type": "string", "maxLength": 3, "pattern": "^a.[bc]$"}}}}}
JSON
    printf '%s' '["a\u0000b", "a\u0000c"]' >good.json
    printf '%s' '["a\u0000b", "a\u0000b", "a\u0000bc"]' >bad.json
    run_split act validate --schema 'nul.json#/components/schemas/S' good.json
    [ "$status" -eq 0 ]
    [ "$output" = "good.json: valid" ]
    run_split act validate --schema 'nul.json#/components/schemas/S' bad.json
    [ "$status" -eq 1 ]
    [[ "$output" == *"(root): expected unique items, got items 0 and 1 equal"* ]]
    [[ "$output" == *'/2: expected at most 3 characters, got 4 characters'* ]]
    [[ "$output" == *'/2: expected a match for /^a.[bc]$/, got "a\x00bc"'* ]]
    start_mock nul "$BATS_TEST_TMPDIR/nul.json" --quiet
    port=$(port_of nul)
    code=$(curl -s -o out.json -w '%{http_code}' --max-time 20 -H 'Content-Type: application/json' \
        --data-binary @good.json "http://127.0.0.1:$port/s")
    [ "$code" = 204 ]
    code=$(curl -s -o out.json -w '%{http_code}' --max-time 20 -H 'Content-Type: application/json' \
        --data-binary @bad.json "http://127.0.0.1:$port/s")
    [ "$code" = 400 ]
    grep -q 'unique items' out.json
    stop_mock nul
}

@test "validate and mock: a duplicate member name fails the instance with both positions" {
    cd "$BATS_TEST_TMPDIR"
    cat >s.json <<'JSON'
{"openapi": "3.0.3", "info": {"title": "dup", "version": "1"},
 "paths": {"/s": {"post": {"operationId": "postS",
   "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}},
   "responses": {"204": {"description": "ok"}}}}},
 "components": {"schemas": {"S": {"type": "object"}}}}
JSON
    printf '{"a": 1,\n "b": {"c": 1, "c": 2}}' >dup.json
    run_split act validate --schema 's.json#/components/schemas/S' dup.json
    [ "$status" -eq 1 ]
    [ "$output" = 'dup.json: /b/c: expected unique member names (RFC 8259), got a duplicate member name "c" in the object at /b (at 2:8 and 2:16)' ]
    run_split act validate --schema 's.json#/components/schemas/S' --format json dup.json
    [ "$status" -eq 1 ]
    [[ "$output" == *'"keyword": "duplicate"'* ]]
    start_mock dup "$BATS_TEST_TMPDIR/s.json" --quiet
    code=$(curl -s -o out.json -w '%{http_code}' --max-time 20 -H 'Content-Type: application/json' \
        --data-binary @dup.json "http://127.0.0.1:$(port_of dup)/s")
    [ "$code" = 400 ]
    grep -q 'duplicate member name' out.json
    grep -q '2:8 and 2:16' out.json
    stop_mock dup
}
