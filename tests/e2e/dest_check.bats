#!/usr/bin/env bats
# actions dest check: Check Connection against the fixture server.

load runner_helpers

setup_file() { start_server; }
teardown_file() { stop_server; }
setup() { runner_env; }

@test "dest check: 200 is established, in the platform's words" {
    run_split act dest check LOCAL
    [ "$status" -eq 0 ]
    [ "$output" = 'Connection to "LOCAL" established. Response returned: "200: OK"' ]
}

@test "dest check: any status below 500 is a success (401 Unauthorized)" {
    run_split act dest check BASIC_WRONG --path /basic
    [ "$status" -eq 0 ]
    [ "$output" = 'Connection to "BASIC_WRONG" established. Response returned: "401: Unauthorized"' ]
    run_split act dest check LOCAL --path /status/404
    [ "$status" -eq 0 ]
    [[ "$output" == *'"404: Not Found"' ]]
}

@test "dest check: Basic credentials are sent and never printed" {
    run_split act dest check BASIC --path /basic -v
    [ "$status" -eq 0 ]
    [[ "$output" == *'"200: OK"' ]]
    no_secrets "$output" "$stderr"
}

@test "dest check: 500 and above fail with exit 3" {
    run_split act dest check LOCAL --path /status/503
    [ "$status" -eq 3 ]
    [ "$output" = 'Connection to "LOCAL" failed. Response returned: "503: Service Unavailable"' ]
}

@test "dest check: no answer fails with exit 3 and the cause" {
    run_split act dest check DEAD
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"cannot connect to 127.0.0.1:$DEAD"* ]]
    run_split act dest check LOCAL --path /hang --timeout 0.5
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"did not answer within 500 ms"* ]]
}

@test "dest check: OnPremise goes through the connector" {
    run_split act dest check ON_PREM_HELLO_WORLD --path /hello
    [ "$status" -eq 0 ]
    [ "$output" = 'Connection to "ON_PREM_HELLO_WORLD" established. Response returned: "200: OK"' ]
}

@test "dest check: OnPremise unmapped, not admitted and unreachable give the three messages" {
    run_split act dest check ONPREM_UNMAPPED
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Backend is not available in the list of defined system mappings in Cloud Connector."*"unmapped:4444"* ]]
    run_split act dest check ON_PREM_HELLO_WORLD --path /hello/../admin
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Resource is not accessible in Cloud Connector or backend is not reachable."*'"/admin"'* ]]
    run_split act dest check ON_PREM_HELLO_WORLD --path /hello/%2e%2e/admin
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Resource is not accessible"*'"/admin"'* ]]
    run_split act dest check ON_PREM_HELLO_WORLD --path //admin
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Resource is not accessible"* ]]
    run_split act dest check ON_PREM_HELLO_WORLD --path /hello-world
    [ "$status" -eq 0 ]
    run_split act dest check ONPREM_DOWN
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Backend is not reachable from Cloud Connector."*"internal host 127.0.0.1:$DEAD"* ]]
}

@test "dest check: OAuth2 fetches a token; a refused one is exit 3 without the secret" {
    run_split act dest check OAUTH --path /bearer
    [ "$status" -eq 0 ]
    [[ "$output" == *'"200: OK"' ]]
    run_split act dest check OAUTH_WRONG
    [ "$status" -eq 3 ]
    no_secrets "$output" "$stderr"
}

@test "dest check: unknown destination and missing NAME are exit 2" {
    run_split act dest check NOPE
    [ "$status" -eq 2 ]
    run_split act dest check
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: dest check needs a destination NAME\nsee: actions dest check --help')" ]
}

@test "dest check and connector check: a --timeout that is not a positive number of seconds is exit 2" {
    for bad in 0 -1 abc 1e999; do
        run_split act dest check LOCAL --timeout "$bad"
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"--timeout expects a positive number of seconds, got \"$bad\""* ]]
        run_split act connector check --timeout "$bad"
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"--timeout expects a positive number of seconds, got \"$bad\""* ]]
    done
}

@test "dest check: URL.queries names keep \$ as test sends them (\$format, never %24format)" {
    cat >"$BATS_TEST_TMPDIR/odata.yaml" <<YAML
destinations:
  - Name: ODATA
    URL: http://127.0.0.1:$PORT
    URL.queries.\$format: json
YAML
    run_split act dest check ODATA --destinations "$BATS_TEST_TMPDIR/odata.yaml" -v
    [ "$status" -eq 0 ]
    [[ "$stderr" == *'GET /?$format=json HTTP/1.1'* ]]
    [[ "$stderr" != *'%24format'* ]]
}
