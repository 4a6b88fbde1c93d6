#!/usr/bin/env bats
# actions connector list: text and JSON, lookup order, errors with positions.

load helpers

DATA=$ROOT/tests/data/connector

setup() {
    export HOME=$BATS_TEST_TMPDIR/home XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/xdg
    unset ACTIONS_DESTINATIONS ACTIONS_CONNECTOR
    mkdir -p "$HOME"
    cd "$BATS_TEST_TMPDIR"
}

@test "connector list shows mappings, resources, policies and active flags" {
    run_split act connector list --connector "$DATA/connector.yaml"
    [ "$status" -eq 0 ]
    [ "${output%%$'\n'*}" = "internalhost:3333 -> 127.0.0.1:3333  HTTP  location: (default)  host header: virtual  ($DATA/connector.yaml:3)" ]
    [[ "$output" == *$'\n  RESOURCE   POLICY             ACTIVE\n  /hello     path-and-subpaths  yes\n  /exact     path-only          yes\n  /disabled  path-and-subpaths  no\n'* ]]
    [[ "$output" == *"ERP.example.com:443 -> erp.internal:44300  HTTPS  location: loc1  host header: internal"* ]]
    [[ "$output" == *$'empty.example:80 -> 10.0.0.1:8080'*$'\n  no resources: no path is accessible' ]]
    [ -z "$stderr" ]
}

@test "connector list --format json has every field" {
    run_split act connector list --connector "$DATA/connector.yaml" --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
a = json.loads(sys.argv[1])
s = a[0]
assert (s["virtualHost"], s["virtualPort"], s["internalHost"], s["internalPort"]) == ("internalhost", 3333, "127.0.0.1", 3333), s
assert s["protocol"] == "HTTP" and s["hostInHeader"] == "virtual" and s["locationId"] is None, s
assert s["resources"][0] == {"path": "/hello", "policy": "path-and-subpaths", "active": True, "line": 10}, s
assert s["resources"][2]["active"] is False
assert a[1]["locationId"] == "loc1" and a[1]["protocol"] == "HTTPS"
assert a[2]["resources"] == []
' "$output"
}

@test "an invalid connector file is exit 2 with file and line" {
    run_split act connector list --connector "$DATA/broken/bad-port.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bad-port.yaml:3:18: \"virtualPort\" must be a port number from 1 to 65535"* ]]
    run_split act connector list --connector "$DATA/broken/bad-policy.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bad-policy.yaml:8:17: policy must be path-only or path-and-subpaths"* ]]
    run_split act connector list --connector "$DATA/broken/dot-path.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"dot-path.yaml:7:15: resource path \"/hello/../admin\" is not in normal form"* ]]
    for f in "$DATA"/broken/*; do
        run_split act connector list --connector "$f"
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"$(basename "$f"):"* ]]
    done
}

@test "the connector is looked up: option, environment, project, current dir, config dir" {
    mkdir -p xdg/actions
    for w in opt env proj cwd xdg; do
        printf 'systems:\n  - {virtualHost: from-%s, virtualPort: 1, internalHost: h, internalPort: 1}\n' "$w" >"$w.yaml"
    done
    mv xdg.yaml xdg/actions/connector.yaml
    run_split act connector list
    [ "$status" -eq 0 ]
    [[ "$output" == from-xdg:1* ]]
    cp cwd.yaml connector.yaml
    run_split act connector list
    [[ "$output" == from-cwd:1* ]]
    printf 'project: p\nconnector: proj.yaml\n' >actions.yaml
    run_split act connector list
    [[ "$output" == from-proj:1* ]]
    ACTIONS_CONNECTOR=env.yaml run_split act connector list
    [[ "$output" == from-env:1* ]]
    ACTIONS_CONNECTOR=env.yaml run_split act connector list --connector opt.yaml
    [[ "$output" == from-opt:1* ]]
}

@test "without any connector file the error says where it looked" {
    run_split act connector list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no connector file found; looked in:"* ]]
    [[ "$stderr" == *"--connector PATH"* ]]
    [[ "$stderr" == *'$ACTIONS_CONNECTOR'* ]]
    [[ "$stderr" == *"./connector.yaml"* ]]
    [[ "$stderr" == *"$XDG_CONFIG_HOME/actions/connector.yaml"* ]]
}

@test "the hello example's connector maps internalhost to the local mock" {
    cd "$ROOT/examples/hello"
    run_split act connector list
    [ "$status" -eq 0 ]
    [[ "$output" == "internalhost:3333 -> 127.0.0.1:3333  HTTP  location: (default)  host header: virtual"* ]]
    [[ "$output" == *"/hello    path-and-subpaths  yes"* ]]
}

@test "connector without a verb, or with an unknown one, is a usage error" {
    run_split act connector
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: connector needs a VERB: list or check\nsee: actions connector --help')" ]
    run_split act connector frob
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown verb "frob" for connector'* ]]
    run_split act connector list extra --connector "$DATA/connector.yaml"
    [ "$status" -eq 2 ]
    run_split act connector list --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: actions connector list"* ]]
}
