#!/usr/bin/env bats
# actions convert: 3.1 -> 3.0 with its loss report (stderr and --report), 3.0 -> 3.1 and
# back to equal trees for every 3.0 spec of specs/, the output linting clean, multi-file
# specs bundled, YAML output, exit codes and refusals; list, show, validate and test --all
# (against `actions mock` on 127.0.0.1) agreeing between a spec and its conversion; a
# peer check of 2.0 -> 3.0 against the npm package swagger2openapi.

load release_helpers

P31=$BATS_TEST_DIRNAME/../data/convert/petstore31.yaml

setup() {
    cd "$BATS_TEST_TMPDIR"
}

# same_tree A B: the JSON documents A and B are equal, their "openapi" aside.
same_tree() {
    "$PY" - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
a["openapi"] = b["openapi"] = "-"
if a != b:
    sys.exit("trees differ: %s\n%s" % (json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True)))
PY
}

@test "convert --to 3.0: a 3.1 spec becomes 3.0.3 that lints clean; each loss on stderr, exit 1" {
    run_split act convert "$P31" --to 3.0 -o out.json
    [ "$status" -eq 1 ]
    [ -z "$output" ]
    # one line per loss: pointer, what was done, what is lost
    [[ "$stderr" == *'/components/pathItems/OnePet/get/parameters/0/schema/type: type [string, integer] became anyOf with one schema per type; lost: '* ]]
    [[ "$stderr" == *'/components/schemas/NewPet/properties/tag/type: type [string, null] became type "string" with nullable: true; lost: nothing'* ]]
    [[ "$stderr" == *'/components/schemas/NewPet/properties/kind/const: const became a one-value enum; lost: nothing'* ]]
    [[ "$stderr" == *'/components/schemas/NewPet/properties/location/prefixItems: prefixItems (2 positions) became items: the union (anyOf) of the positions'"'"' schemas, and items: false became maxItems; lost: the tuple order'* ]]
    [[ "$stderr" == *'/components/schemas/Pet/unevaluatedProperties: dropped; lost: stricter checking'* ]]
    [[ "$stderr" == *'/components/schemas/NewPet/properties/location/examples: the first became example; lost: the other example'* ]]
    [[ "$stderr" == *'/webhooks: dropped; lost: the 1 webhook: 3.0 has no webhooks'* ]]
    [[ "$stderr" == *'/components/schemas/Pet/$ref: $ref with sibling keywords became allOf: [{$ref}] beside them; lost: nothing'* ]]
    [[ "$stderr" == *'/paths/~1pets/get/parameters/0/schema/exclusiveMinimum: exclusiveMinimum: 0 became minimum: 0 with exclusiveMinimum: true'* ]]
    [ "$(tail -1 <<<"$stderr")" = "$P31: 15 constructs OpenAPI 3.0 cannot express (OpenAPI 3.1 to OpenAPI 3.0)" ]
    [ "$(grep -c . <<<"$stderr")" -eq 16 ]
    head -c 200 out.json | grep -q '"openapi": "3.0.3"'
    run act lint out.json
    [ "$status" -eq 0 ]
    [[ "$output" == *"no problems found (3 actions)"* ]]
    "$PY" - out.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert "webhooks" not in d and "jsonSchemaDialect" not in d and "pathItems" not in d["components"]
assert d["paths"]["/pets/{petId}"]["get"]["operationId"] == "showPetById"
s = d["components"]["schemas"]
assert s["NewPet"]["properties"]["tag"] == {"type": "string", "nullable": True}
assert s["NewPet"]["properties"]["kind"] == {"enum": ["pet"]}
assert s["Pet"]["allOf"] == [{"$ref": "#/components/schemas/NewPet"}]
assert s["Error"]["additionalProperties"] is False
PY
}

@test "convert --report FILE: the losses as JSON, nothing on stderr, exit 1" {
    run_split act convert "$P31" --to 3.0 --report losses.json
    [ "$status" -eq 1 ]
    [ -z "$stderr" ]
    [[ "$output" == "{"* ]]
    "$PY" - losses.json "$P31" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["spec"] == sys.argv[2] and r["from"] == "OpenAPI 3.1" and r["to"] == "OpenAPI 3.0", r
assert r["count"] == len(r["losses"]) == 15
for l in r["losses"]:
    assert sorted(l) == ["done", "lost", "pointer"] and l["pointer"].startswith("/"), l
ptrs = [l["pointer"] for l in r["losses"]]
assert "/webhooks" in ptrs and "/components/schemas/NewPet/properties/kind/const" in ptrs
PY
}

@test "convert --to 3.1 and back: every 3.0 spec of specs/ comes back as the same tree" {
    for spec in "$SPECS/petstore.yaml" "$SPECS/helloworld.json" "$SPECS/inbox.json" "$SPECS/multifile/api.yaml"; do
        run_split act convert "$spec" --to 3.1 -o up.json
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
        grep -q '"openapi": "3.1.0"' up.json
        ! grep -q '"nullable"' up.json
        act convert up.json --to 3.0 -o back.json || [ $? -eq 1 ]
        act bundle "$spec" -o bundle.json
        same_tree bundle.json back.json
    done
}

@test "convert: a spec over files is one document, with no \$ref into another file" {
    act convert "$SPECS/multifile/api.yaml" --to 3.1 -o one.json
    run grep -o '"\$ref": "[^"]*"' one.json
    [ "$status" -eq 0 ]
    ! grep -v '"\$ref": "#/' <<<"$output"
}

@test "convert --format yaml: the same document as the JSON output" {
    act convert "$P31" --to 3.0 --format yaml >out.yaml 2>/dev/null || [ $? -eq 1 ]
    head -1 out.yaml | grep -qx '"openapi": "3.0.3"'
    act convert "$P31" --to 3.0 -o out.json 2>/dev/null || [ $? -eq 1 ]
    # a 3.0 document converted to 3.0 is only bundled: the YAML read back as JSON
    act convert out.yaml --to 3.0 -o again.json
    same_tree out.json again.json
    act convert "$P31" --to 3.0 -o named.yml 2>/dev/null || [ $? -eq 1 ]
    cmp out.yaml named.yml
}

@test "convert: exit 2 for usage errors and invalid input, and never over the spec" {
    run act convert "$P31"
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: convert needs --to 3.0 or --to 3.1"* ]]
    run act convert "$P31" --to 2.0
    [ "$status" -eq 2 ]
    [[ "$output" == 'actions: error: --to must be 3.0 or 3.1, not "2.0"'* ]]
    run act convert "$P31" --to 3.0 --format xml
    [ "$status" -eq 2 ]
    run act convert "$P31" --to 3.0 -o same.json --report same.json
    [ "$status" -eq 2 ]
    [[ "$output" == 'actions: error: -o and --report name the same file "same.json"'* ]]
    [ ! -e same.json ]
    printf 'openapi: 4.0.0\ninfo: {title: t, version: "1"}\n' >v4.yaml
    run act convert v4.yaml --to 3.0
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: v4.yaml:1:1: cannot convert: not an OpenAPI 3.0 or 3.1 or Swagger 2.0 document"* ]]
    run act convert "$SPECS/broken/truncated.json" --to 3.0
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: "*truncated.json:* ]]
    cat >ext.yaml <<'YAML'
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200': {$ref: 'missing.yaml#/R'}
YAML
    run act convert ext.yaml --to 3.1
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: "*missing.yaml* ]]
    run act convert nonexistent.yaml --to 3.0
    [ "$status" -eq 2 ]
    cp "$P31" mine.yaml
    run act convert mine.yaml --to 3.0 -o mine.yaml
    [ "$status" -eq 2 ]
    [[ "$output" == *'actions: error: refusing to write the conversion over "mine.yaml", a file of the spec itself'* ]]
    cmp "$P31" mine.yaml
    run act convert mine.yaml --to 3.0 --report mine.yaml
    [ "$status" -eq 2 ]
    cmp "$P31" mine.yaml
}

@test "convert: nothing lost is exit 0 and an empty report" {
    run_split act convert "$SPECS/petstore.yaml" --to 3.1 --report r.json
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    "$PY" -c 'import json,sys; r=json.load(open("r.json")); assert r["count"]==0 and r["losses"]==[]'
    # a 3.1 document with nothing 3.0 lacks
    printf 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n' >plain.yaml
    run_split act convert plain.yaml --to 3.0
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
}

# ---- a spec and its conversion say the same ---------------------------------------------

# show's text without the schema outlines, which spell a schema as its version writes it
# (a type array in 3.1, anyOf in 3.0): parameters keep name, place and requiredness, bodies
# and responses their media types.
no_outlines() {
    sed -E 's/^( *(path|query|header|cookie) +[^ ]+ +(yes|no)).*/\1/; s/^( +[a-z*]+\/[^ ]+)  .*/\1/'
}

# agree SPEC CONVERTED: list, show of every action, and test --all against the mock of
# each give the same output for the spec and for its conversion; the conversion's mock
# passes.
agree() {
    local a=$1 b=$2 id
    # the webhooks a 3.1 spec lists after its actions are dropped in 3.0
    diff <(act list "$a" | grep -v 'actions list --webhooks' | awk 'NF { while (n) { print ""; n-- } print; next } { n++ }') <(act list "$b")
    for id in $(act list "$a" --format json | "$PY" -c 'import json,sys; print(" ".join(o["id"] for o in json.load(sys.stdin)))'); do
        diff <(act show "$a" "$id" | no_outlines) <(act show "$b" "$id" | no_outlines)
    done
    start_mock a "$a" --quiet
    start_mock b "$b" --quiet
    cat >dests.yaml <<YAML
destinations:
  - {Name: A, URL: "http://127.0.0.1:$(port_of a)", ProxyType: Internet,
     Authentication: NoAuthentication, sap.applicationdevelopment.actions.enabled: true}
  - {Name: B, URL: "http://127.0.0.1:$(port_of b)", ProxyType: Internet,
     Authentication: NoAuthentication, sap.applicationdevelopment.actions.enabled: true}
YAML
    local out=() spec dest
    for spec in "$a" "$b"; do
        for dest in A B; do
            run act test "$spec" --all --fill --dest "$dest" --destinations dests.yaml
            out+=("$status $(sed -E 's/ [0-9]+ ms$//; s/, [0-9.]+ s\)$/)/' <<<"$output")")
        done
    done
    stop_mock a
    stop_mock b
    # each mock's answers get the same verdicts from the spec and from its conversion
    [ "${out[0]}" = "${out[2]}" ] || { printf '%s\n' "${out[0]}" "${out[2]}"; false; }
    [ "${out[1]}" = "${out[3]}" ] || { printf '%s\n' "${out[1]}" "${out[3]}"; false; }
    # and the conversion's mock answers what both specs declare
    [[ "${out[1]}" == "0 "*PASS* ]]
}

# same_verdicts SPEC CONVERTED ACTION STATUS INSTANCE...: validate gives each instance
# the same exit status under both.
same_verdicts() {
    local a=$1 b=$2 id=$3 code=$4 f s1
    shift 4
    for f in "$@"; do
        run act validate "$a" "$id" --status "$code" "$f"
        s1=$status
        run act validate "$b" "$id" --status "$code" "$f"
        [ "$status" -eq "$s1" ] || { echo "$f: $s1 vs $status"; return 1; }
    done
}

@test "convert --to 3.1: list, show, validate and test --all agree with the 3.0 spec" {
    act convert "$SPECS/petstore.yaml" --to 3.1 -o p31.json
    agree "$SPECS/petstore.yaml" p31.json
    printf '{"name": "x", "tag": null, "id": 1}' >ok.json
    printf '{"name": "", "id": 1}' >short.json
    printf '{"name": "x", "tag": 3, "id": 1}' >tag.json
    same_verdicts "$SPECS/petstore.yaml" p31.json createPet 201 ok.json short.json tag.json
}

@test "convert --to 3.0: list, show, validate and test --all agree with the 3.1 spec" {
    act convert "$P31" --to 3.0 -o p30.json 2>/dev/null || [ $? -eq 1 ]
    agree "$P31" p30.json
    printf '{"name": "x", "id": 1, "tag": null, "kind": "pet", "location": [1, 2]}' >ok.json
    printf '{"name": "x", "id": 1, "kind": "dog"}' >kind.json
    printf '{"name": "x", "id": 1, "location": [1, 2, 3]}' >long.json
    printf '{"name": "x", "id": 1, "tag": 5}' >tag.json
    printf '{"name": "x"}' >noid.json
    same_verdicts "$P31" p30.json createPet 201 ok.json kind.json long.json tag.json noid.json
    run act validate p30.json createPet --status 201 long.json
    [ "$status" -eq 1 ]
}

@test "convert --to 3.0: the 3.1 petstore of specs/ and its conversion agree; it lints clean" {
    local p=$SPECS/petstore31.yaml
    act convert "$p" --to 3.0 -o p30.json 2>/dev/null || [ $? -eq 1 ]
    run act lint p30.json
    [ "$status" -eq 0 ]
    agree "$p" p30.json
}

# ---- Swagger 2.0 ------------------------------------------------------------------------

# convert_swagger2 OUT [SPEC]: S2, the Swagger 2.0 SPEC (the petstore of specs/), converted
# to 3.0 into OUT (run's status and output).
convert_swagger2() {
    S2=${2:-$SPECS/petstore-v2.json}
    run act convert "$S2" --to 3.0 -o "$1"
}

@test "convert --to 3.0: a Swagger 2.0 spec becomes 3.0.3 that lints clean and agrees" {
    convert_swagger2 s30.json
    local s2=$S2
    [ "$status" -le 1 ]
    grep -q '"openapi": "3.0.3"' s30.json
    run act lint s30.json
    [ "$status" -eq 0 ]
    agree "$s2" s30.json
}

@test "convert --to 3.0: a multi-file Swagger 2.0 spec becomes one 3.0.3 document that agrees" {
    convert_swagger2 m30.json "$SPECS/multifile-v2/swagger.yaml"
    local s2=$S2
    [ "$status" -le 1 ]
    run grep -o '"\$ref": "[^"]*"' m30.json
    ! grep -v '"\$ref": "#/components/' <<<"$output"
    run act lint m30.json
    [ "$status" -eq 0 ]
    agree "$s2" m30.json
}

@test "convert: Swagger 2.0 -> 3.0 gives the operations and schemas swagger2openapi gives (peer check)" {
    convert_swagger2 ours.json
    local s2=$S2
    [ "$status" -le 1 ]
    command -v npm >/dev/null && command -v node >/dev/null ||
        skip "needs npm and node (apt-get install npm) and the npm registry, for swagger2openapi"
    # installed once into the cache the benchmarks use ($ACTIONS_BENCH_CACHE)
    local dir=${ACTIONS_BENCH_CACHE:-${HOME:-/tmp}/.cache/actions-bench}/swagger2openapi-7
    if [ ! -x "$dir/node_modules/.bin/swagger2openapi" ]; then
        mkdir -p "$dir" || skip "cannot create $dir for swagger2openapi: set ACTIONS_BENCH_CACHE"
        timeout 120 npm install --prefix "$dir" --loglevel=error --no-audit --no-fund \
            swagger2openapi@7 >npm.log 2>&1 ||
            skip "cannot install swagger2openapi from the npm registry (offline?): $(head -1 npm.log)"
    fi
    "$dir/node_modules/.bin/swagger2openapi" --yaml=false "$s2" -o theirs.json
    "$PY" - ours.json theirs.json <<'PY'
import json, sys
ours, theirs = (json.load(open(f)) for f in sys.argv[1:3])
M = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
def deref(d, node):
    # swagger2openapi puts a body or parameter used twice in components: follow $refs
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        t = d
        for tok in node["$ref"][2:].split("/"):
            t = t[tok.replace("~1", "/").replace("~0", "~")]
        node = t
    return node
def ops(d):
    r = {}
    for p, item in d.get("paths", {}).items():
        for m in M:
            if m not in item:
                continue
            o = item[m]
            params = [deref(d, x) for x in item.get("parameters", []) + o.get("parameters", [])]
            r[(m, p)] = {
                "id": o.get("operationId"),
                "params": sorted((x.get("in"), x.get("name"), bool(x.get("required"))) for x in params),
                "body": sorted(deref(d, o.get("requestBody") or {}).get("content", {})),
                "responses": {k: sorted(deref(d, v).get("content", {})) for k, v in o.get("responses", {}).items()},
            }
    return r
a, b = ops(ours), ops(theirs)
assert sorted(a) == sorted(b), (sorted(a), sorted(b))
for k in a:
    for f in a[k]:
        assert a[k][f] == b[k][f], (k, f, a[k][f], b[k][f])
sa = ours.get("components", {}).get("schemas", {})
sb = theirs.get("components", {}).get("schemas", {})
assert sorted(sa) == sorted(sb), (sorted(sa), sorted(sb))
for name in sa:
    pa, pb = sa[name].get("properties", {}), sb[name].get("properties", {})
    assert sorted(pa) == sorted(pb), (name, sorted(pa), sorted(pb))
    assert sorted(sa[name].get("required", [])) == sorted(sb[name].get("required", [])), name
    for p in pa:
        for kw in ("type", "$ref", "format", "enum", "nullable", "readOnly"):
            assert pa[p].get(kw) == pb[p].get(kw), (name, p, kw, pa[p], pb[p])
print("%d operations, %d schemas agree" % (len(a), len(sa)))
PY
}

@test "convert: completion offers its options, --to and --format values, files for --report" {
    run act __complete bash 2 actions convert --
    [[ "$output" == *--to*--output*--format*--report* ]]
    # the first line says what kind of words follow
    run act __complete bash 3 actions convert --to ""
    [ "$output" = "$(printf '%s\n' words 3.0 3.1)" ]
    run act __complete bash 3 actions convert --format y
    [ "$output" = "$(printf '%s\n' words yaml)" ]
    # the shell completes file names itself
    run act __complete bash 3 actions convert --report rep
    [ "$(head -1 <<<"$output")" = files ]
    run act __complete bash 3 actions convert -o rep
    [ "$(head -1 <<<"$output")" = files ]
}
