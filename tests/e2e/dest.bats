#!/usr/bin/env bats
# actions dest list | show: tables, JSON, exported files, lookup order, errors,
# and no secret in any output.

load helpers

DATA=$ROOT/tests/data/dest
PW=pw-Hunter2-secret
KEY=apikey-987654
CS=s3cr3t-Cl13nt-V4lue

setup() {
    export ACT_TEST_PASSWORD=$PW ACT_TEST_API_KEY=$KEY
    export HOME=$BATS_TEST_TMPDIR/home XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/xdg
    unset ACTIONS_DESTINATIONS ACTIONS_CONNECTOR
    mkdir -p "$HOME"
    cd "$BATS_TEST_TMPDIR"
}

# no_secrets: neither stdout nor stderr of the last run_split holds a planted secret.
no_secrets() {
    for s in "$PW" "$KEY" "$CS" hunter2 oauth-secret-value-123 YWxpY2U6; do
        [[ "$output" != *"$s"* ]] || { echo "secret $s in stdout: $output"; return 1; }
        [[ "$stderr" != *"$s"* ]] || { echo "secret $s in stderr: $stderr"; return 1; }
    done
}

@test "dest list prints name, URL, proxy type and authentication" {
    run_split act dest list --destinations "$DATA/dests.yaml"
    [ "$status" -eq 0 ]
    [ "${output%%$'\n'*}" = "NAME                 URL                         PROXY      AUTHENTICATION           NOTES" ]
    [[ "$output" == *$'\nON_PREM_HELLO_WORLD  http://internalhost:3333    OnPremise  NoAuthentication\n'* ]]
    [[ "$output" == *"BASIC_DEST           https://api.example.com/v1  Internet   BasicAuthentication"* ]]
    [[ "$output" == *"SAML_DEST"*"SAMLAssertion            authentication not supported, not enabled for actions"* ]]
    [ -z "$stderr" ]
    no_secrets
}

@test "dest list --format json gives every destination without secrets" {
    run_split act dest list --destinations "$DATA/dests.yaml" --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert [d["name"] for d in a] == ["ON_PREM_HELLO_WORLD", "BASIC_DEST", "OAUTH_DEST", "SAML_DEST"], a
d = a[0]
assert d["url"] == "http://internalhost:3333" and d["proxyType"] == "OnPremise", d
assert d["authentication"] == "NoAuthentication" and d["actionsEnabled"] is True, d
assert d["missingSecret"] is None and d["line"] == 3, d
assert a[3]["authenticationSupported"] is False
' "$output"
    no_secrets
}

@test "dest list reads a directory of exported properties files" {
    run_split act dest list --destinations "$DATA/exported"
    [ "$status" -eq 0 ]
    [[ "$output" == *"BASIC_EXPORTED       https://erp.example.com:44300/sap/opu/odata  Internet   BasicAuthentication  clientSecret, Password removed on export"* ]]
    [[ "$output" == *"ON_PREM_HELLO_WORLD  http://internalhost:3333                     OnPremise  NoAuthentication"* ]]
}

@test "dest show prints every property with secrets as ***" {
    run_split act dest show BASIC_DEST --destinations "$DATA/dests.yaml"
    [ "$status" -eq 0 ]
    [ "${output%%$'\n'*}" = "BASIC_DEST  ($DATA/dests.yaml:11)" ]
    [[ "$output" == *$'\n  User                                        alice\n'* ]]
    [[ "$output" == *$'\n  Password                                    ***\n'* ]]
    [[ "$output" == *$'\n  URL.headers.X-Api-Key                       ***\n'* ]]
    [[ "$output" == *$'\n  URL.queries.sap-client                      100'* ]]
    no_secrets
    run_split act dest show OAUTH_DEST --destinations "$DATA/dests.yaml" --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
o = json.loads(sys.argv[1])
assert o["properties"]["clientSecret"] == "***", o
assert o["properties"]["clientId"] == "my-client", o
assert o["properties"]["Description"] == "price is ${NOT_A_VAR} and $5", o
assert any("not enabled" in n or "is not true" in n for n in o["notes"]), o
' "$output"
    no_secrets
}

@test "dest show says which secret an export removed and how to supply it" {
    run_split act dest show BASIC_EXPORTED --destinations "$DATA/exported"
    [ "$status" -eq 0 ]
    [[ "$output" == *"note: Password was removed on export: set it in $DATA/exported/BASIC_EXPORTED, e.g. Password=\${BASIC_EXPORTED_PASSWORD}"* ]]
    [[ "$output" == *"note: clientSecret was removed on export"* ]]
}

@test "dest show of an unknown name lists close names and exits 2" {
    run_split act dest show ON_PREM_HELO_WORLD --destinations "$DATA/dests.yaml"
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ "$stderr" == *"unknown destination \"ON_PREM_HELO_WORLD\" in $DATA/dests.yaml; did you mean:"*"ON_PREM_HELLO_WORLD"* ]]
    run_split act dest show NOTHING_LIKE_IT_AT_ALL --destinations "$DATA/dests.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"unknown destination \"NOTHING_LIKE_IT_AT_ALL\""*"(see: actions dest list)"* ]]
}

@test "an invalid destinations file is exit 2 with file and line" {
    run_split act dest list --destinations "$DATA/broken/bad-proxy.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bad-proxy.yaml:4:16: destination \"PL_DEST\": unknown ProxyType \"PrivateLink\""* ]]
    run_split act dest list --destinations "$DATA/broken/duplicate-property.properties"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"duplicate-property.properties:4: duplicate property \"URL\""* ]]
}

@test "an undefined variable is exit 2 naming it and its line" {
    run_split act dest list --destinations "$DATA/broken/undefined-var.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"undefined-var.yaml:6:15: property \"Password\" uses \${ACT_TEST_SURELY_UNDEFINED}, but the environment variable ACT_TEST_SURELY_UNDEFINED is not set"* ]]
}

@test "secrets appear in no output of list, show or errors" {
    for name in ON_PREM_HELLO_WORLD BASIC_DEST OAUTH_DEST SAML_DEST; do
        for fmt in text json; do
            run_split act dest show "$name" --destinations "$DATA/dests.yaml" --format $fmt
            [ "$status" -eq 0 ]
            no_secrets
        done
    done
    for f in "$DATA"/broken/*; do
        run_split act dest list --destinations "$f"
        [ "$status" -eq 2 ]
        no_secrets
    done
    # A secret in a URL's userinfo and in a secret query parameter is masked too.
    printf 'Name=U\nURL=https://bob:%s@h/x?access_token=%s\n' "$PW" "$CS" >"$BATS_TEST_TMPDIR/u"
    run_split act dest list --destinations "$BATS_TEST_TMPDIR/u"
    [ "$status" -eq 0 ]
    [[ "$output" == *"https://***@h/x?access_token=***"* ]]
    no_secrets
    run_split act dest show U --destinations "$BATS_TEST_TMPDIR/u"
    no_secrets
}

@test "destinations are looked up: option, environment, project, current dir, config dir" {
    mkdir -p opt env proj xdg/actions
    for w in opt env proj cwd xdg; do
        printf 'destinations:\n  - Name: FROM_%s\n    URL: http://h\n' "$w" >"$w.yaml"
    done
    mv xdg.yaml xdg/actions/destinations.yaml
    run_split act dest list
    [ "$status" -eq 0 ]
    [[ "$output" == *FROM_xdg* ]]
    cp cwd.yaml destinations.yaml
    run_split act dest list
    [[ "$output" == *FROM_cwd* ]]
    printf 'project: p\ndestinations: proj.yaml\n' >actions.yaml
    run_split act dest list
    [[ "$output" == *FROM_proj* ]]
    ACTIONS_DESTINATIONS=env.yaml run_split act dest list
    [[ "$output" == *FROM_env* ]]
    ACTIONS_DESTINATIONS=env.yaml run_split act dest list --destinations opt.yaml
    [[ "$output" == *FROM_opt* ]]
}

@test "the project file's destinations path is relative to the project file" {
    mkdir -p p/conf p/sub
    printf 'destinations:\n  - Name: REL\n    URL: http://h\n' >p/conf/d.yaml
    printf 'project: p\ndestinations: conf/d.yaml\n' >p/actions.yaml
    cd p/sub
    run_split act dest list
    [ "$status" -eq 0 ]
    [[ "$output" == *REL* ]]
}

@test "without any destinations file the error says where it looked" {
    run_split act dest list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no destinations file found; looked in:"* ]]
    [[ "$stderr" == *"--destinations PATH"* ]]
    [[ "$stderr" == *'$ACTIONS_DESTINATIONS'* ]]
    [[ "$stderr" == *"project file"* ]]
    [[ "$stderr" == *"./destinations.yaml"* ]]
    [[ "$stderr" == *"$XDG_CONFIG_HOME/actions/destinations.yaml"* ]]
}

@test "a named destinations file that does not exist is an error, not a fall-through" {
    printf 'destinations: []\n' >destinations.yaml
    ACTIONS_DESTINATIONS=missing.yaml run_split act dest list
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"missing.yaml: cannot open"* ]]
    [[ "$stderr" == *'named by ACTIONS_DESTINATIONS'* ]]
}

@test "the hello example's destinations and project load" {
    cd "$ROOT/examples/hello"
    run_split act dest list
    [ "$status" -eq 0 ]
    [[ "$output" == *"ON_PREM_HELLO_WORLD  http://internalhost:3333  OnPremise  NoAuthentication"* ]]
    run_split act dest show ON_PREM_HELLO_WORLD --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
p = json.loads(sys.argv[1])["properties"]
assert p["sap.processautomation.enabled"] == "true", p
assert p["sap.applicationdevelopment.actions.enabled"] == "true", p
' "$output"
}

@test "dest without a verb, or with an unknown one, is a usage error" {
    run_split act dest
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: dest needs a VERB: list, show or check\nsee: actions dest --help')" ]
    run_split act dest frobnicate
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown verb "frobnicate" for dest'* ]]
    run_split act dest --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"  list "*"  show "* ]]
    run_split act dest show
    [ "$status" -eq 2 ]
    run_split act dest list --format xml --destinations "$DATA/dests.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown --format "xml"'* ]]
    run_split act dest list --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: actions dest list"* ]]
}
