#!/usr/bin/env bats
# actions diff: every rule on a fixture pair (tests/fixtures/diff/RULE/{old,new}.json,
# written by make.py there), the output formats, release files, the project drift
# check, bad input, and the seed spec changed in each breaking way.

load helpers

FIX=$ROOT/tests/fixtures/diff

# rule RULE STATUS SEVERITY ACTION MESSAGE: `actions diff --format json` on the pair of
# RULE exits STATUS and reports, for ACTION, a change of SEVERITY whose message is
# MESSAGE exactly.
rule() {
    run_split act diff "$FIX/$1/old.json" "$FIX/$1/new.json" --format json
    [ "$status" -eq "$2" ] || { echo "$1: exit $status: $output $stderr"; return 1; }
    printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
want = (sys.argv[1], sys.argv[2], sys.argv[3])
got = [(c["action"], c["severity"], c["message"]) for c in d["changes"]]
if want not in got:
    sys.exit("%s not among %s" % (want, got))' "$4" "$3" "$5"
}

@test "diff: breaking: an action removed, or its method or path changed" {
    rule action-removed 1 breaking createItem 'action removed (was `post /items`)'
    rule method-changed 1 breaking createItem 'moved from `post /items` to `put /items`'
    rule path-changed 1 breaking createItem 'moved from `post /items` to `post /things`'
}

@test "diff: breaking: a new required parameter, a parameter made required" {
    rule new-required-param 1 breaking listItems 'new required query parameter `sort`'
    rule param-made-required 1 breaking listItems 'query parameter `limit` became required'
}

@test "diff: breaking: a parameter's schema narrowed" {
    rule param-type-changed 1 breaking listItems \
        'query parameter `limit` type changed from `integer` to `string`'
    rule param-enum-value-removed 1 breaking listItems \
        'query parameter `order` enum value "desc" removed'
    rule param-max-lowered 1 breaking listItems \
        'query parameter `limit` maximum lowered from 100 to 50'
    rule param-min-raised 1 breaking listItems \
        'query parameter `limit` minimum raised from 1 to 5'
    rule param-pattern-added 1 breaking listItems 'query parameter `q` pattern `^[a-z]+$` added'
    rule param-format-changed 1 breaking listItems \
        'query parameter `limit` format changed from `int32` to `int64`'
}

@test "diff: breaking: request body newly required, a new required property" {
    rule body-newly-required 1 breaking createItem 'request body became required'
    rule body-new-required-property 1 breaking createItem \
        'request body property `/owner` added as a new required property'
    rule body-property-made-required 1 breaking createItem \
        'request body property `/size` became required'
}

@test "diff: breaking: a response status or media type removed" {
    rule response-status-removed 1 breaking listItems 'response 404 removed'
    rule response-media-type-removed 1 breaking listItems \
        'response 200 media type `text/csv` removed'
}

@test "diff: breaking: a response property removed, made optional, or its type changed" {
    rule response-property-removed 1 breaking getItem 'response 200 property `/note` removed'
    rule response-property-made-optional 1 breaking getItem \
        'response 200 property `/status` became optional (it was required)'
    rule response-property-type-changed 1 breaking getItem \
        'response 200 property `/id` type changed from `integer` to `string`'
}

@test "diff: breaking: a response enum widened; a security requirement added" {
    rule response-enum-widened 1 breaking getItem \
        'response 200 property `/status` enum value "archived" added'
    rule security-added 1 breaking getItem 'security requirement added: `api_key`'
}

@test "diff: warnings: deprecated, default, example, new optional parameter, default response" {
    rule deprecated 0 warning listItems 'action deprecated'
    rule default-changed 0 warning listItems 'query parameter `limit` default changed from 20 to 25'
    rule example-changed 0 warning listItems 'query parameter `limit` example changed'
    rule new-optional-param 0 warning listItems 'new optional query parameter `fields`'
    rule default-response 0 warning getItem \
        'statuses the old spec did not declare are now described by response `default`'
}

@test "diff: info: additions that cannot break clients" {
    rule additions 0 info deleteItem 'action added (`delete /items/{id}`)'
    rule additions 0 info getItem 'response 200 property `/created` added'
    rule additions 0 info getItem 'response 410 added'
    rule additions 0 info getItem 'response 200 media type `application/xml` added'
    run_split act diff "$FIX/additions/old.json" "$FIX/additions/new.json" --format json
    printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["summary"] == {"breaking": 0, "warning": 0, "info": 6}, d["summary"]'
}

@test "diff: the direction decides: request widened is info, response narrowed is info" {
    rule request-enum-widened 0 info createItem \
        'request body property `/color` enum value "blue" added'
    rule response-enum-narrowed 0 info getItem \
        'response 200 property `/status` enum value "retired" removed'
    rule response-property-made-required 0 info getItem \
        'response 200 property `/note` became required'
    rule param-max-raised 0 info listItems 'query parameter `limit` maximum raised from 100 to 500'
}

@test "diff: oneOf/anyOf members are matched by \$ref: one added to a response breaks" {
    rule response-oneof-member-added 1 breaking getItem \
        'response 200 oneOf member `#/components/schemas/Gadget` added'
    rule request-oneof-member-removed 1 breaking createItem \
        'request body oneOf member `#/components/schemas/Item` removed'
    # a schema wrapped in allOf with an extension keeps its properties: one addition
    rule response-wrapped-in-allof 0 info getItem 'response 200 property `/extra` added'
    run_split act diff "$FIX/response-wrapped-in-allof/old.json" \
        "$FIX/response-wrapped-in-allof/new.json"
    [[ "$output" == *"1 change in 1 of 3 actions"* ]]
}

@test "diff: a change in a shared component is reported once per affected action" {
    run_split act diff "$FIX/response-property-type-changed/old.json" \
        "$FIX/response-property-type-changed/new.json" --format json
    [ "$status" -eq 1 ]
    # Item is reached by three actions, and by itself (parent): once each, no more
    printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
got = sorted(c["action"] for c in d["changes"])
assert got == ["createItem", "getItem", "listItems"], got
for c in d["changes"]:
    assert c["old"] == "/components/schemas/Item/properties/id/type", c
    assert c["new"] == "/components/schemas/Item/properties/id/type", c'
}

@test "diff: pointers into both documents, absent on the side that has nothing" {
    run_split act diff "$FIX/action-removed/old.json" "$FIX/action-removed/new.json" --format json
    printf '%s' "$output" | python3 -c '
import json, sys
c = json.load(sys.stdin)["changes"][0]
assert c["old"] == "/paths/~1items/post" and c["new"] is None, c'
    run_split act diff "$FIX/param-made-required/old.json" "$FIX/param-made-required/new.json" \
        --format json
    printf '%s' "$output" | python3 -c '
import json, sys
c = json.load(sys.stdin)["changes"][0]
assert c["old"] == "/components/parameters/Limit" and c["new"] == "/components/parameters/Limit", c'
    run_split act diff "$FIX/new-optional-param/old.json" "$FIX/new-optional-param/new.json" \
        --format json
    printf '%s' "$output" | python3 -c '
import json, sys
c = json.load(sys.stdin)["changes"][0]
assert c["old"] == "/paths/~1items/get" and c["new"] == "/paths/~1items/get/parameters/3", c'
}

@test "diff: no change exits 0 and says so; a spec against itself" {
    run_split act diff "$FIX/unchanged/old.json" "$FIX/unchanged/new.json"
    [ "$status" -eq 0 ]
    [ "$output" = "no changes (3 actions compared)" ]
    for s in petstore.yaml multifile/api.yaml helloworld.json; do
        run_split act diff "$SPECS/$s" "$SPECS/$s"
        [ "$status" -eq 0 ] || { echo "$s: $output $stderr"; false; }
        [[ "$output" == "no changes ("* ]]
    done
}

@test "diff: text output groups changes by action, with both pointers" {
    run_split act diff "$FIX/response-enum-widened/old.json" "$FIX/response-enum-widened/new.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"getItem: 1 breaking, 0 warnings, 0 info"$'\n'"  breaking response 200 property \`/status\` enum value \"archived\" added"$'\n'"           old: /components/schemas/Item/properties/status/enum  new: /components/schemas/Item/properties/status/enum/2"* ]]
    [[ "$output" == *"listItems: 1 breaking"* ]]
    [[ "$output" == *"3 changes in 3 of 3 actions: 3 breaking, 0 warnings, 0 info" ]]
}

@test "diff: --fail-on warning fails on warnings; the default only on breaking changes" {
    run_split act diff "$FIX/deprecated/old.json" "$FIX/deprecated/new.json"
    [ "$status" -eq 0 ]
    run_split act diff "$FIX/deprecated/old.json" "$FIX/deprecated/new.json" --fail-on warning
    [ "$status" -eq 1 ]
    run_split act diff "$FIX/additions/old.json" "$FIX/additions/new.json" --fail-on warning
    [ "$status" -eq 0 ]
    run_split act diff "$FIX/deprecated/old.json" "$FIX/deprecated/new.json" --fail-on info
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: --fail-on must be breaking or warning"* ]]
}

@test "diff: --actions limits the comparison; an unknown id is an error" {
    run_split act diff "$FIX/response-enum-widened/old.json" "$FIX/response-enum-widened/new.json" \
        --actions getItem,createItem --format json
    [ "$status" -eq 1 ]
    printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert sorted(c["action"] for c in d["changes"]) == ["createItem", "getItem"], d
assert d["actions"] == 2, d'
    run_split act diff "$FIX/response-enum-widened/old.json" "$FIX/response-enum-widened/new.json" \
        --actions listItems --actions getItem
    [[ "$output" == *"2 changes in 2 of 2 actions"* ]]
    run_split act diff "$FIX/deprecated/old.json" "$FIX/deprecated/new.json" --actions getItm
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: unknown action \"getItm\""*"getItem"* ]]
}

@test "diff: --format junit has a testcase per action, failed when it broke" {
    run_split act diff "$FIX/security-added/old.json" "$FIX/security-added/new.json" --format junit
    [ "$status" -eq 1 ]
    printf '%s' "$output" | python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
cases = {c.get("name"): c for c in root.iter("testcase")}
assert sorted(cases) == ["createItem", "getItem", "listItems"], cases
f = cases["getItem"].find("failure")
assert f is not None and "security requirement added" in f.text, f
assert cases["listItems"].find("failure") is None
assert root.get("failures") == "1", root.attrib'
    # warnings alone pass by default, fail with --fail-on warning
    run_split act diff "$FIX/deprecated/old.json" "$FIX/deprecated/new.json" --format junit
    [ "$status" -eq 0 ]
    [[ "$output" == *"<system-out>warning: action deprecated"* ]]
    [[ "$output" != *"<failure"* ]]
    run_split act diff "$FIX/deprecated/old.json" "$FIX/deprecated/new.json" --format junit \
        --fail-on warning
    [ "$status" -eq 1 ]
    [[ "$output" == *"<failure type=\"warning\""* ]]
}

@test "diff: --format json has the documented shape" {
    run_split act diff "$FIX/param-made-required/old.json" "$FIX/param-made-required/new.json" \
        --format json
    [ "$status" -eq 1 ]
    printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert set(d) == {"old", "new", "actions", "summary", "changes"}, d
assert d["summary"] == {"breaking": 1, "warning": 0, "info": 0}
assert d["actions"] == 3
assert set(d["changes"][0]) == {"action", "severity", "old", "new", "message"}'
}

@test "diff: control characters in spec text are escaped in every format" {
    python3 - "$FIX/unchanged/old.json" "$BATS_TEST_TMPDIR" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
json.dump(d, open(sys.argv[2] + "/old.json", "w"))
d["paths"]["/items"]["get"]["parameters"].append(
    {"name": "evil\u001b[31m\nname", "in": "query", "schema": {"type": "string"}})
json.dump(d, open(sys.argv[2] + "/new.json", "w"))
PY
    for f in text json junit; do
        run_split act diff "$BATS_TEST_TMPDIR/old.json" "$BATS_TEST_TMPDIR/new.json" --format $f
        [ "$status" -eq 0 ]
        [[ "$output" != *$'\e'* ]]
        [[ "$output" == *'evil\x1b[31m\nname'* ]] || [[ "$output" == *'evil\\x1b[31m\\nname'* ]]
    done
}

@test "diff: long values are clipped at a character boundary" {
    python3 - "$FIX/unchanged/old.json" "$BATS_TEST_TMPDIR" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lim = d["components"]["parameters"]["Limit"]["schema"]
lim["type"] = "string"
for k in ("format", "minimum", "maximum", "example"):
    del lim[k]
lim["default"] = "a" + "\u00e9" * 100
json.dump(d, open(sys.argv[2] + "/old.json", "w"))
lim["default"] = "b" + "\u00e9" * 100
json.dump(d, open(sys.argv[2] + "/new.json", "w"))
PY
    run_split act diff "$BATS_TEST_TMPDIR/old.json" "$BATS_TEST_TMPDIR/new.json"
    [ "$status" -eq 0 ]
    printf '%s' "$output" | python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")'
    [[ "$output" == *'default changed from "aéé'*'éé..." to "béé'*'..."'* ]]
}

@test "diff: recursive schemas terminate, changes inside them are found" {
    python3 - "$FIX/unchanged/old.json" "$BATS_TEST_TMPDIR" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["components"]["schemas"]
s["A"] = {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}}
s["B"] = {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"},
                                           "n": {"type": "integer"}}}
s["Item"]["properties"]["a"] = {"$ref": "#/components/schemas/A"}
json.dump(d, open(sys.argv[2] + "/old.json", "w"))
s["B"]["properties"]["n"]["type"] = "string"
json.dump(d, open(sys.argv[2] + "/new.json", "w"))
PY
    run_split act diff "$BATS_TEST_TMPDIR/old.json" "$BATS_TEST_TMPDIR/new.json" --actions getItem
    [ "$status" -eq 1 ]
    [[ "$output" == *'response 200 property `/a/b/n` type changed from `integer` to `string`'* ]]
    [[ "$output" == *"1 change in 1 of 1 actions"* ]]
}

# release FILE SPEC VERSION ID...: a release file as `actions release` writes it.
release() {
    python3 - "$@" <<'PY'
import json, sys
out, spec, version, ids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
s = json.load(open(spec))
acts = []
for path, item in s["paths"].items():
    for m, op in item.items():
        if op.get("operationId") in ids:
            acts.append({"id": op["operationId"], "method": m, "path": path})
json.dump({"format": "actions-release/1", "project": "shop", "version": version,
           "notes": "", "created": "2026-01-01T00:00:00Z", "actions": acts, "spec": s},
          open(out, "w"))
PY
    redigest "$1"
}

# redigest FILE: set the release's digest to that of its content, computed independently
# (RFC 8785 of the object without "digest": for these ASCII, integer-only documents, sorted
# keys and no whitespace; then SHA-256), as `actions release` would have written it.
redigest() {
    python3 - "$1" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
d.pop("digest", None)
c = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
d["digest"] = "sha256:" + hashlib.sha256(c.encode()).hexdigest()
json.dump(d, open(sys.argv[1], "w"))
PY
}

@test "diff: a release file as OLD or NEW is its spec, limited to its actions" {
    release "$BATS_TEST_TMPDIR/shop-1.0.0.json" "$FIX/response-enum-widened/old.json" 1.0.0 getItem
    run_split act diff "$BATS_TEST_TMPDIR/shop-1.0.0.json" "$FIX/response-enum-widened/new.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"getItem: 1 breaking"* ]]
    [[ "$output" != *"listItems: 1 breaking"* ]]
    [[ "$output" == *"action added"* ]] # the new spec's other actions
    release "$BATS_TEST_TMPDIR/shop-2.0.0.json" "$FIX/response-enum-widened/new.json" 2.0.0 \
        getItem listItems createItem
    run_split act diff "$FIX/response-enum-widened/old.json" "$BATS_TEST_TMPDIR/shop-2.0.0.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"3 changes in 3 of 3 actions"* ]]
    # a release naming an action its spec lacks, another format: invalid input
    release "$BATS_TEST_TMPDIR/bad.json" "$FIX/unchanged/old.json" 1.0.0 getItem
    sed -i 's/"id": "getItem"/"id": "nope"/' "$BATS_TEST_TMPDIR/bad.json"
    run_split act diff "$BATS_TEST_TMPDIR/bad.json" "$FIX/unchanged/new.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: $BATS_TEST_TMPDIR/bad.json: the release's digest does not match its content"* ]]
    redigest "$BATS_TEST_TMPDIR/bad.json"
    run_split act diff "$BATS_TEST_TMPDIR/bad.json" "$FIX/unchanged/new.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: "*"release lists action \"nope\", which is not in its spec"* ]]
    printf '{"format": "actions-release/9", "spec": {}}' >"$BATS_TEST_TMPDIR/v9.json"
    run_split act diff "$BATS_TEST_TMPDIR/v9.json" "$FIX/unchanged/new.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"unsupported release format \"actions-release/9\""* ]]
}

@test "diff: in a project with no arguments, the last release against the current spec" {
    p=$BATS_TEST_TMPDIR/proj
    mkdir -p "$p/dist" "$p/sub"
    cp "$FIX/response-enum-widened/new.json" "$p/spec.json"
    printf 'project: shop\nspec: spec.json\nactions: [getItem, listItems]\n' >"$p/actions.yaml"
    # 1.10.0 is the highest (semver, not text order); 1.9.0 would report nothing
    release "$p/dist/shop-1.9.0.json" "$p/spec.json" 1.9.0 getItem listItems createItem
    release "$p/dist/shop-1.10.0.json" "$FIX/response-enum-widened/old.json" 1.10.0 \
        getItem createItem
    release "$p/dist/other-9.0.0.json" "$p/spec.json" 9.0.0 getItem
    cd "$p/sub"
    run_split act diff --format json
    [ "$status" -eq 1 ]
    # the release's actions and the project's: getItem only
    printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["old"].endswith("dist/shop-1.10.0.json"), d["old"]
assert [c["action"] for c in d["changes"]] == ["getItem"], d["changes"]
assert d["actions"] == 1, d'
    # the current spec lost a released action: breaking, not an error
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); del d["paths"]["/items/{id}"]
json.dump(d, open(sys.argv[1], "w"))' "$p/spec.json"
    printf 'project: shop\nspec: spec.json\n' >"$p/actions.yaml"
    run_split act diff
    [ "$status" -eq 1 ]
    [[ "$output" == *"getItem: 1 breaking"*"action removed (was \`get /items/{id}\`)"* ]]
}

@test "diff: a project without a release, no project, one argument: exit 2" {
    p=$BATS_TEST_TMPDIR/proj
    mkdir -p "$p"
    printf 'project: shop\nspec: spec.json\n' >"$p/actions.yaml"
    cd "$p"
    run_split act diff
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: no release of the project in "*"/proj/dist (write one with: actions release)"* ]]
    cd "$BATS_TEST_TMPDIR"
    rm "$p/actions.yaml"
    run_split act diff
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: diff needs OLD and NEW, or a project"* ]]
    run_split act diff "$FIX/unchanged/old.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: diff needs both OLD and NEW"* ]]
    run_split act diff a b c
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"unexpected argument \"c\""* ]]
}

@test "diff: invalid input exits 2 with a message" {
    run_split act diff "$BATS_TEST_TMPDIR/missing.json" "$FIX/unchanged/new.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "actions: error: "*"missing.json"* ]]
    run_split act diff "$FIX/unchanged/old.json" "$SPECS/broken/openapi32.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: "*"unsupported OpenAPI version"* ]]
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Nope"}
json.dump(d, open(sys.argv[2], "w"))' "$FIX/unchanged/new.json" "$BATS_TEST_TMPDIR/badref.json"
    run_split act diff "$FIX/unchanged/old.json" "$BATS_TEST_TMPDIR/badref.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: "*"#/components/schemas/Nope"* ]]
    run_split act diff "$FIX/unchanged/old.json" "$FIX/unchanged/new.json" --format xml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"actions: error: --format must be text, json or junit"* ]]
}

# petstore_changed CASE: specs/petstore.yaml changed in one breaking way (the mutations
# below), as JSON in $BATS_TEST_TMPDIR/new.json.
petstore_changed() {
    python3 - "$SPECS/petstore.yaml" "$1" "$BATS_TEST_TMPDIR/new.json" <<'PY'
import json, sys, yaml
spec, case, out = sys.argv[1], sys.argv[2], sys.argv[3]
d = yaml.safe_load(open(spec))
P = d["paths"]; C = d["components"]; S = C["schemas"]
def m_removed(): del P["/pets/{petId}"]["get"]
def m_path(): P["/animals"] = {"get": P["/pets"].pop("get")}
def m_method(): P["/store/orders"]["put"] = P["/store/orders"].pop("post")
def m_new_required_param(): P["/pets"]["get"]["parameters"].append({"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}})
def m_param_required(): C["parameters"]["Limit"]["required"] = True
def m_param_type(): C["parameters"]["Limit"]["schema"]["type"] = "string"
def m_param_max(): C["parameters"]["Limit"]["schema"]["maximum"] = 50
def m_param_min(): C["parameters"]["Limit"]["schema"]["minimum"] = 5
def m_param_pattern(): C["parameters"]["PetId"]["schema"]["pattern"] = "^[0-9]+$"
def m_param_format(): C["parameters"]["Limit"]["schema"]["format"] = "int64"
def m_param_enum(): S["Status"]["enum"] = ["available", "pending"]
def m_body_required(): P["/store/orders"]["post"]["requestBody"]["required"] = True
def m_body_new_required(): S["NewPet"]["properties"]["owner"] = {"type": "string"}; S["NewPet"]["required"].append("owner")
def m_status_removed(): del P["/pets/{petId}"]["get"]["responses"]["404"]
def m_media_removed(): c = C["responses"]["Error"]["content"]; c["application/problem+json"] = c.pop("application/json")
def m_prop_removed(): del S["Category"]["properties"]["name"]; S["Category"]["required"] = ["id"]
def m_prop_optional(): S["Category"]["required"] = ["id"]
def m_prop_type(): S["Error"]["properties"]["code"]["type"] = "string"; del S["Error"]["properties"]["code"]["format"]
def m_enum_widened(): S["Status"]["enum"].append("lost")
def m_security(): P["/pets"]["get"]["security"] = [{"api_key": [], "oauth": []}]
globals()["m_" + case]()
json.dump(d, open(out, "w"))
PY
}

@test "diff: the petstore spec changed in each breaking way: each reported, exit 1" {
    need_pyyaml
    while IFS='|' read -r case action message; do
        petstore_changed "$case"
        run_split act diff "$SPECS/petstore.yaml" "$BATS_TEST_TMPDIR/new.json" --format json
        [ "$status" -eq 1 ] || { echo "$case: exit $status $stderr"; false; }
        printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
want = (sys.argv[1], "breaking", sys.argv[2])
got = [(c["action"], c["severity"], c["message"]) for c in d["changes"]]
if want not in got:
    sys.exit("%s: %s not among %s" % (sys.argv[3], want, got))' "$action" "$message" "$case"
    done <<'CASES'
removed|showPetById|action removed (was `get /pets/{petId}`)
path|listPets|moved from `get /pets` to `get /animals`
method|placeOrder|moved from `post /store/orders` to `put /store/orders`
new_required_param|listPets|new required query parameter `owner`
param_required|listPets|query parameter `limit` became required
param_type|listPets|query parameter `limit` type changed from `integer` to `string`
param_max|listPets|query parameter `limit` maximum lowered from 100 to 50
param_min|listPets|query parameter `limit` minimum raised from 1 to 5
param_pattern|showPetById|path parameter `petId` pattern `^[0-9]+$` added
param_format|listPets|query parameter `limit` format changed from `int32` to `int64`
param_enum|createPet|request body property `/status` enum value "sold" removed
body_required|placeOrder|request body became required
body_new_required|createPet|request body property `/owner` added as a new required property
status_removed|showPetById|response 404 removed
media_removed|listPets|response default media type `application/json` removed
prop_removed|getCategory|response 200 property `/name` removed
prop_optional|showPetById|response 200 property `/category/name` became optional (it was required)
prop_type|placeOrder|response 4XX property `/code` type changed from `integer` to `string`
enum_widened|showPetById|response 200 property `/status` enum value "lost" added
security|listPets|security requirement added: `oauth`
CASES
}

# gh_pair: GitHub's description at two major versions (@octokit/openapi 21.0.0 and
# 23.0.2, cached by bench/fetch-github.sh), in $GH_OLD and $GH_NEW; skips, saying so,
# when they are not cached and npm cannot fetch them.
gh_pair() {
    local cache=${ACTIONS_BENCH_CACHE:-${HOME:-/tmp}/.cache/actions-bench} v
    GH_OLD=$cache/github-21.0.0.json
    GH_NEW=$cache/github-23.0.2.json
    for v in 21.0.0 23.0.2; do
        [ -s "$cache/github-$v.json" ] && continue
        OCTOKIT_OPENAPI_VERSION=$v timeout 900 "$ROOT/bench/fetch-github.sh" \
            >"$BATS_TEST_TMPDIR/fetch.out" 2>&1 ||
            skip "needs the npm registry: @octokit/openapi@$v is not cached in $cache and cannot be downloaded ($(tail -n 1 "$BATS_TEST_TMPDIR/fetch.out")); run OCTOKIT_OPENAPI_VERSION=$v bench/fetch-github.sh once online"
    done
}

@test "diff: GitHub's description, 21.0.0 against 23.0.2: known changes, checked by hand" {
    gh_pair
    run_split act diff "$GH_OLD" "$GH_NEW" --format json
    [ "$status" -eq 1 ]
    printf '%s' "$output" >"$BATS_TEST_TMPDIR/gh.json"
    python3 - "$BATS_TEST_TMPDIR/gh.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = {(c["action"], c["severity"], c["message"], c["old"], c["new"]) for c in d["changes"]}
def has(action, sev, msg, old=None, new=None):
    m = [g for g in got if g[:3] == (action, sev, msg)
         and (old is None or g[3] == old) and (new is None or g[4] == new)]
    assert m, "missing: %s %s %s" % (action, sev, msg)
# POST /user/projects is in 21.0.0 and not in 23.0.2
has("projects-classic/create-for-authenticated-user", "breaking",
    "action removed (was `post /user/projects`)", "/paths/~1user~1projects/post", None)
# app-permissions lost team_discussions: every action answering it breaks
has("apps/get-installation", "breaking", "response 200 property `/permissions/team_discussions` removed",
    "/components/schemas/app-permissions/properties/team_discussions")
has("apps/get-user-installation", "breaking",
    "response 200 property `/permissions/team_discussions` removed")
# the same id moved from /organizations/{org}/... to /orgs/{org}/...
has("dependabot/repository-access-for-org", "breaking",
    "moved from `get /organizations/{org}/dependabot/repository-access` to "
    "`get /orgs/{org}/dependabot/repository-access`")
# repository-ruleset-bypass-actor.actor_type gained "User": widened in a response, not in a request
has("repos/update-repo-ruleset", "breaking",
    "response 200 property `/bypass_actors[]/actor_type` enum value \"User\" added")
has("repos/update-repo-ruleset", "info",
    "request body property `/bypass_actors[]/actor_type` enum value \"User\" added")
# classroom endpoints became deprecated
has("classroom/list-classrooms", "warning", "action deprecated")
# repositories[] became allOf [repository, {custom_properties}]: an addition, nothing removed
has("apps/list-repos-accessible-to-installation", "info",
    "response 200 property `/repositories[]/custom_properties` added")
assert not [g for g in got if g[0] == "apps/list-repos-accessible-to-installation"
            and g[1] != "info"], "the allOf wrap is not a removal"
assert d["actions"] > 1200, d["actions"]
s = d["summary"]
assert s["breaking"] > 100 and s["info"] > s["breaking"], s
PY
}

@test "diff: bash completion offers the command and its options (from its option table)" {
    run bash -c '
        source "$1/completions/actions.bash"
        fn=$(complete -p actions | sed -E "s/.*-F ([^ ]+) .*/\1/")
        PATH=$(dirname "$2"):$PATH
        COMP_WORDS=(actions diff --f); COMP_CWORD=2; $fn; printf "%s\n" "${COMPREPLY[@]}"
        COMP_WORDS=(actions di); COMP_CWORD=1; $fn; printf "%s\n" "${COMPREPLY[@]}"
    ' _ "$ROOT" "$ACTIONS_BIN"
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' --format --fail-on diff)" ]
}
