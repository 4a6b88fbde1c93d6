#!/usr/bin/env bats
# actions publish and the library: the seed project released and published
# ($ACTIONS_LIBRARY, $XDG_DATA_HOME, ~/.local/share), "already published",
# another digest refused, a tampered release refused, publish atomic under
# SIGKILL just before the rename; library list / show; library:PROJECT@VERSION
# (and @latest) as the SPEC of list, show and test against actions mock, limited
# to the release's actions. Loopback only; every port is chosen at run time.

load release_helpers

setup_file() {
    private_binary
    # the seed spec with a second action, which the project does not release
    "$PY" - "$SPECS/helloworld.json" "$BATS_FILE_TMPDIR/hello2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["paths"]["/bye"] = {"get": {"operationId": "get.bye", "responses": {"200": {
    "description": "bye", "content": {"application/json": {"schema": {"type": "string"},
    "example": "bye"}}}}}}
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
    start_mock hello "$BATS_FILE_TMPDIR/hello2.json" --quiet
}

teardown_file() {
    stop_mock hello
}

setup() {
    seed_project
    L=$ACTIONS_LIBRARY
}

@test "publish: the release lands in \$ACTIONS_LIBRARY/PROJECT/VERSION.json, byte for byte" {
    act release --notes first >/dev/null
    run act publish 1.0.0
    [ "$status" -eq 0 ]
    [[ "$output" == "published helloworld 1.0.0: $L/helloworld/1.0.0.json (sha256:"* ]]
    cmp dist/helloworld-1.0.0.json "$L/helloworld/1.0.0.json"
    run act publish 1.0.0
    [ "$status" -eq 0 ]
    [[ "$output" == "helloworld 1.0.0 is already published: $L/helloworld/1.0.0.json (sha256:"* ]]
}

@test "publish: without \$ACTIONS_LIBRARY, \$XDG_DATA_HOME/actions/library, then ~/.local/share" {
    act release >/dev/null
    unset ACTIONS_LIBRARY
    XDG_DATA_HOME=$BATS_TEST_TMPDIR/xdg act publish 1.0.0
    cmp dist/helloworld-1.0.0.json "$BATS_TEST_TMPDIR/xdg/actions/library/helloworld/1.0.0.json"
    HOME=$BATS_TEST_TMPDIR/home XDG_DATA_HOME= act publish 1.0.0
    cmp dist/helloworld-1.0.0.json "$BATS_TEST_TMPDIR/home/.local/share/actions/library/helloworld/1.0.0.json"
}

@test "publish refused: the same version with another digest; the library keeps the first" {
    act release --notes first >/dev/null
    act publish 1.0.0 >/dev/null
    cp "$L/helloworld/1.0.0.json" published.json
    rm -r dist
    act release --notes second >/dev/null
    run act publish 1.0.0
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: publish refused: helloworld 1.0.0 is already in the library with another digest (sha256:"* ]]
    cmp published.json "$L/helloworld/1.0.0.json"
}

@test "publish refused: a tampered release, a version never released, outside a project" {
    act release >/dev/null
    sed -i 's/"\/hello"/"\/other"/' dist/helloworld-1.0.0.json
    run act publish 1.0.0
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: publish refused: dist/helloworld-1.0.0.json does not match its digest"* ]]
    [ ! -e "$L/helloworld/1.0.0.json" ]
    run act publish 2.0.0
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: no release helloworld 2.0.0: dist/helloworld-2.0.0.json does not exist"* ]]
    run act publish 2.0
    [ "$status" -eq 2 ]
    cd "$BATS_TEST_TMPDIR"
    run act publish 1.0.0
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: actions publish runs in a project"* ]]
}

@test "publish is atomic: killed just before the rename, the library is as it was" {
    act release >/dev/null
    act publish 1.0.0 >/dev/null
    act release --version 1.1.0 >/dev/null
    before=$(act library list)
    files_before=$(cd "$L" && find . -name '*.json' -exec sha256sum {} + | sort)
    run env ACTIONS_TEST_KILL_BEFORE_RENAME=1 "$ACTIONS_BIN" publish 1.1.0
    [ "$status" -eq 137 ] # SIGKILL: the process died at the rename
    # the new release was fully written to a temporary file, and never became visible
    tmp=$(ls -A "$L/helloworld/" | grep '^\.1\.1\.0\.json\.tmp-......$')
    cmp dist/helloworld-1.1.0.json "$L/helloworld/$tmp"
    [ ! -e "$L/helloworld/1.1.0.json" ]
    [ "$(act library list 2>/dev/null)" = "$before" ]
    [ "$(cd "$L" && find . -name '*.json' -exec sha256sum {} + | sort)" = "$files_before" ]
    # library list reports the stale temporary file and leaves it
    run_split act library list
    [ "$status" -eq 0 ]
    [ "$output" = "$before" ]
    [ "$stderr" = "actions: $L/helloworld/$tmp: left by an interrupted publish (the next actions publish of the project removes it)" ]
    [ -e "$L/helloworld/$tmp" ]
    run act show library:helloworld@latest get.hello
    [ "$status" -eq 0 ]
    run act library show helloworld
    [[ "$output" == *"version: 1.0.0"* ]]
    # a publish that is not killed then goes through, and removes the stale file
    run_split act publish 1.1.0
    [ "$status" -eq 0 ]
    [ "$stderr" = "actions: removed $L/helloworld/$tmp, left by an interrupted publish" ]
    cmp dist/helloworld-1.1.0.json "$L/helloworld/1.1.0.json"
    [ "$(ls -A "$L/helloworld/")" = "$(printf '1.0.0.json\n1.1.0.json')" ]
    run_split act library list
    [ -z "$stderr" ]
}

@test "publish: a temporary file a live publish holds is neither reported nor removed" {
    act release >/dev/null
    mkdir -p "$L/helloworld"
    tmp=$L/helloworld/.1.0.0.json.tmp-Abc123
    stale=$L/helloworld/.0.9.0.json.tmp-Xyz789
    echo partial >"$tmp"
    echo partial >"$stale"
    # a writer that is still alive holds the lock on its temporary file: this shell, here
    exec 5<"$tmp"
    flock -n 5
    run_split act library list
    [[ "$stderr" == *"$stale: left by an interrupted publish"* ]]
    [[ "$stderr" != *"$tmp"* ]]
    run_split act publish 1.0.0
    exec 5<&-
    [ "$status" -eq 0 ]
    [ "$stderr" = "actions: removed $stale, left by an interrupted publish" ]
    [ -e "$tmp" ]
    [ ! -e "$stale" ]
}

@test "library list and show" {
    run act library list
    [ "$status" -eq 0 ]
    [[ "$output" == *"the library $L has no releases"* ]]
    act release --notes "the first" >/dev/null
    act publish 1.0.0 >/dev/null
    SOURCE_DATE_EPOCH=1767312000 act release --version 1.2.0 >/dev/null
    act publish 1.2.0 >/dev/null
    run act library list
    [ "$status" -eq 0 ]
    mapfile -t out <<<"$output"
    [[ "${out[0]}" == "PROJECT"*"VERSION"*"CREATED"*"ACTIONS" ]]
    [[ "${out[1]}" =~ ^helloworld\ +1\.0\.0\ +2026-01-01T00:00:00Z\ get\.hello$ ]]
    [[ "${out[2]}" =~ ^helloworld\ +1\.2\.0\ +2026-01-02T00:00:00Z\ get\.hello$ ]]
    run act library show helloworld@1.0.0
    [ "$status" -eq 0 ]
    [[ "$output" == *"version: 1.0.0"*"created: 2026-01-01T00:00:00Z"*"notes:   the first"*"get.hello"*"GET"*"/hello"* ]]
    run act library show helloworld
    [[ "$output" == *"version: 1.2.0"* ]]
    run act library show helloworld@9.9.9
    [ "$status" -eq 2 ]
    [[ "$output" == *"version 9.9.9 of \"helloworld\" is not in the library (published: 1.0.0, 1.2.0)"* ]]
    run act library show nosuch
    [ "$status" -eq 2 ]
    [[ "$output" == *"project \"nosuch\" is not in the library"* ]]
    run act library show 'bad/name@1.0.0'
    [ "$status" -eq 2 ]
    [[ "$output" == *"bad library name"* ]]
}

@test "library: a release as SPEC: list, show, bundle, and test against the mock" {
    cp "$BATS_FILE_TMPDIR/hello2.json" "$BATS_TEST_TMPDIR/specs/helloworld.json"
    printf 'actions: [get.hello]\n' >>actions.yaml
    act release >/dev/null
    act publish 1.0.0 >/dev/null
    run act list library:helloworld@1.0.0
    [ "$status" -eq 0 ]
    [[ "$output" == *"get.hello"* ]]
    [[ "$output" != *"get.bye"* ]]
    diff <(act show library:helloworld@latest get.hello) <(act show "$BATS_FILE_TMPDIR/hello2.json" get.hello)
    cat >"$BATS_TEST_TMPDIR/d.yaml" <<YAML
destinations:
  - {Name: HELLO, URL: "http://127.0.0.1:$(port_of hello)", ProxyType: Internet,
     Authentication: NoAuthentication, sap.applicationdevelopment.actions.enabled: true}
YAML
    cd "$BATS_TEST_TMPDIR"
    run act test library:helloworld@1.0.0 get.hello --dest HELLO --destinations d.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == "PASS get.hello 200 OK"* ]]
    run act test library:helloworld@1.0.0 --all --dest HELLO --destinations d.yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *"1 passed"* ]]
    # an action outside the release: an error naming the release
    run act test library:helloworld@1.0.0 get.bye --dest HELLO --destinations d.yaml
    [ "$status" -eq 2 ]
    [ "$output" = 'actions: error: action "get.bye" is not in the release library:helloworld@1.0.0 (its actions: get.hello)' ]
    run act show library:helloworld@1.0.0 get.bye
    [ "$status" -eq 2 ]
    [[ "$output" == *'action "get.bye" is not in the release library:helloworld@1.0.0'* ]]
    # --all runs the released actions only (the mock also serves /bye)
    run act test library:helloworld@1.0.0 --all --dest HELLO --destinations d.yaml --format json
    [ "$status" -eq 0 ]
    [[ "$output" == *'"get.hello"'* ]]
    [[ "$output" != *'get.bye'* ]]
    # the release file itself, as SPEC, is limited the same way
    run act list "$P/dist/helloworld-1.0.0.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"get.hello"* && "$output" != *"get.bye"* ]]
    run act test "$P/dist/helloworld-1.0.0.json" get.bye --dest HELLO --destinations d.yaml
    [ "$status" -eq 2 ]
    [ "$output" = "actions: error: action \"get.bye\" is not in the release $P/dist/helloworld-1.0.0.json (its actions: get.hello)" ]
    # the spec of the release stays the one released: ACTIONS_SPEC names it too
    ACTIONS_SPEC=library:helloworld act list | grep -q get.hello
}

@test "library: a tampered library file, an unknown name" {
    act release >/dev/null
    act publish 1.0.0 >/dev/null
    run act list library:helloworld@2.0.0
    [ "$status" -eq 2 ]
    [[ "$output" == "actions: error: "*"version 2.0.0 of \"helloworld\" is not in the library (published: 1.0.0)"* ]]
    run act list library:nobody@latest
    [ "$status" -eq 2 ]
    sed -i 's/get hello/changed/' "$L/helloworld/1.0.0.json"
    run act list library:helloworld@1.0.0
    [ "$status" -eq 2 ]
    [[ "$output" == *"the release's digest does not match its content"* ]]
    run act library show helloworld
    [ "$status" -eq 1 ]
    [[ "$output" == *"MISMATCH"* ]]
    # a release file given as SPEC is checked the same way, by every command that loads it
    sed -i 's/get hello/changed/' "$P/dist/helloworld-1.0.0.json"
    local R=$P/dist/helloworld-1.0.0.json
    for cmd in "list $R" "show $R get.hello" "lint $R" "test $R get.hello --dest HELLO --destinations d.yaml"; do
        run act $cmd
        [ "$status" -eq 2 ]
        [[ "$output" == *"$P/dist/helloworld-1.0.0.json: the release's digest does not match its content (recorded sha256:"*", computed sha256:"*"): the file was changed after it was released"* ]]
    done
}
