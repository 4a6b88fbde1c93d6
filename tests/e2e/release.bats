#!/usr/bin/env bats
# actions release: the seed project (examples/hello) released into dist/ with
# the documented members in order, a digest that an independent RFC 8785 +
# SHA-256 computation reproduces, $SOURCE_DATE_EPOCH, --list and --verify
# (a tampered file is exit 1); and each refusal: not semver, not greater than
# the last release, already released, a spec that does not lint clean, an
# action the project lists that the spec lacks.

load release_helpers

setup() {
    # the seed project, with the layout it has in the repository
    seed_project
}

# digest_of FILE: the digest computed independently: RFC 8785 of the object without
# "digest" (for these ASCII, integer-only documents: sorted keys, no whitespace), SHA-256.
digest_of() {
    "$PY" - "$1" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
d.pop("digest", None)
c = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
print("sha256:" + hashlib.sha256(c.encode()).hexdigest())
PY
}

@test "release: the seed project's release file, members in order, digest reproduced independently" {
    run act release --notes "first release"
    [ "$status" -eq 0 ]
    [[ "$output" == "released helloworld 1.0.0: dist/helloworld-1.0.0.json (1 action, sha256:"* ]]
    f=dist/helloworld-1.0.0.json
    "$PY" - "$f" "$SPECS/helloworld.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["format", "project", "version", "notes", "created", "actions", "spec", "digest"], list(d)
assert d["format"] == "actions-release/1"
assert d["project"] == "helloworld" and d["version"] == "1.0.0"
assert d["notes"] == "first release"
assert d["created"] == "2026-01-01T00:00:00Z"
assert d["actions"] == [{"id": "get.hello", "method": "get", "path": "/hello"}]
assert d["spec"] == json.load(open(sys.argv[2]))
assert len(d["digest"]) == len("sha256:") + 64
PY
    want=$(digest_of "$f")
    grep -q "\"digest\": \"$want\"" "$f"
    run act release --verify "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "$f: ok, $want" ]
}

@test "release: the same project and \$SOURCE_DATE_EPOCH give the same bytes" {
    act release --notes n >/dev/null
    mv dist/helloworld-1.0.0.json first.json
    rm -r dist
    act release --notes n >/dev/null
    cmp first.json dist/helloworld-1.0.0.json
}

@test "release --version, --notes-file, and a multi-file spec bundled into the release" {
    cp -r "$SPECS/multifile" "$BATS_TEST_TMPDIR/specs/"
    cat >actions.yaml <<'YAML'
project: library-books
version: 0.1.0
spec: ../../specs/multifile/api.yaml
actions: [listAuthors, getBook]
YAML
    printf 'Line one\nline "two"\n' >notes.txt
    run act release --version 0.3.0-rc.1 --notes-file notes.txt
    [ "$status" -eq 0 ]
    "$PY" - dist/library-books-0.3.0-rc.1.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["notes"] == 'Line one\nline "two"\n'
# the selected actions, in spec order
assert [a["id"] for a in d["actions"]] == ["getBook", "listAuthors"], d["actions"]
assert d["actions"][1] == {"id": "listAuthors", "method": "get", "path": "/authors"}
refs = []
def walk(n):
    if isinstance(n, dict):
        if "$ref" in n: refs.append(n["$ref"])
        for v in n.values(): walk(v)
    elif isinstance(n, list):
        for v in n: walk(v)
walk(d["spec"])
assert refs and all(r.startswith("#/") for r in refs), refs
PY
    run act release --verify dist/library-books-0.3.0-rc.1.json
    [ "$status" -eq 0 ]
}

@test "release --list: version, date, digest and actions of each release, lowest first" {
    act release --version 1.0.0 >/dev/null
    SOURCE_DATE_EPOCH=1767312000 act release --version 1.10.0 >/dev/null
    SOURCE_DATE_EPOCH=1767398400 act release --version 1.2.0 >/dev/null 2>&1 && false
    run act release --list
    [ "$status" -eq 0 ]
    mapfile -t out <<<"$output"
    [[ "${out[0]}" == "VERSION"*"CREATED"*"DIGEST"*"ACTIONS" ]]
    [[ "${out[1]}" =~ ^1\.0\.0\ +2026-01-01T00:00:00Z\ sha256:[0-9a-f]{64}\ get\.hello$ ]]
    [[ "${out[2]}" =~ ^1\.10\.0\ +2026-01-02T00:00:00Z\ sha256:[0-9a-f]{64}\ get\.hello$ ]]
    [ "${#out[@]}" -eq 3 ]
}

@test "release --verify: a tampered release is exit 1, an unreadable one exit 2" {
    act release >/dev/null
    f=dist/helloworld-1.0.0.json
    sed 's/"path": "\/hello"/"path": "\/goodbye"/' "$f" >tampered.json
    ! cmp -s "$f" tampered.json
    run act release --verify tampered.json
    [ "$status" -eq 1 ]
    [[ "$output" == "actions: error: tampered.json: digest mismatch: recorded sha256:"*", computed sha256:"* ]]
    # whitespace is not content: a reformatted release still verifies
    "$PY" -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open("compact.json","w"))' "$f"
    run act release --verify compact.json
    [ "$status" -eq 0 ]
    run act release --verify nosuch.json
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: nosuch.json"* ]]
    echo '{"format": "something-else"}' >other.json
    run act release --verify other.json
    [ "$status" -eq 2 ]
    [[ "$output" == *"not a release file"* ]]
}

@test "release refused: not a semantic version" {
    for v in 1.0 1 01.0.0 1.0.0-01 1.0.0- 1.0.0+ v1.0.0 1.0.0-a..b; do
        run act release --version "$v"
        [ "$status" -eq 2 ]
        [[ "$output" == "actions: error: release refused: \"$v\" is not a semantic version"* ]]
    done
    [ ! -e dist ]
}

@test "release refused: not greater than the last release, by semver precedence" {
    # semver.org's own ordering example, released in order
    for v in 1.0.0-alpha 1.0.0-alpha.1 1.0.0-alpha.beta 1.0.0-beta 1.0.0-beta.2 1.0.0-beta.11 \
        1.0.0-rc.1 1.0.0; do
        run act release --version "$v"
        [ "$status" -eq 0 ]
    done
    for v in 0.9.9 1.0.0-rc.2 1.0.0+build.5; do
        run act release --version "$v"
        [ "$status" -eq 2 ]
        [[ "$output" == "actions: error: release refused: version $v is not greater than the last release, 1.0.0 (dist/helloworld-1.0.0.json)" ]]
    done
    run act release --version 1.0.1+build.5
    [ "$status" -eq 0 ]
}

@test "release refused: the version already exists, and the file is not touched" {
    act release --notes original >/dev/null
    cp dist/helloworld-1.0.0.json before.json
    run act release --notes other
    [ "$status" -eq 2 ]
    [ "$output" = "actions: error: release refused: helloworld 1.0.0 already exists (dist/helloworld-1.0.0.json); a release is never overwritten: choose a greater version" ]
    cmp before.json dist/helloworld-1.0.0.json
}

@test "release refused: the spec does not lint clean of errors" {
    "$PY" - "$BATS_TEST_TMPDIR/specs/helloworld.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["paths"]["/hello"]["get"]["responses"]   # an operation without responses: a lint error
json.dump(d, open(sys.argv[1], "w"))
PY
    run act release
    [ "$status" -eq 2 ]
    [[ "$output" == *"error:"*"responses"* ]]
    [[ "$output" == *"actions: error: release refused: ../../specs/helloworld.json does not lint clean of errors"* ]]
    [ ! -e dist/helloworld-1.0.0.json ]
}

@test "release refused: an action the project lists is not in the spec" {
    printf 'actions: [get.hello, get.goodbye]\n' >>actions.yaml
    run act release
    [ "$status" -eq 2 ]
    [[ "$output" == *"release refused: the project lists action \"get.goodbye\", which is not in"* ]]
    [ ! -e dist/helloworld-1.0.0.json ]
}

@test "release: outside a project, and usage errors" {
    cd "$BATS_TEST_TMPDIR"
    run act release
    [ "$status" -eq 2 ]
    [ "$output" = "actions: error: actions release runs in a project: no actions.yaml here or in a parent directory" ]
    cd "$P"
    run act release --notes a --notes-file b
    [ "$status" -eq 2 ]
    run act release --list --version 1.0.0
    [ "$status" -eq 2 ]
    run act release extra
    [ "$status" -eq 2 ]
}
