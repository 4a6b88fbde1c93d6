#!/usr/bin/env bats
# actions connector check: Check availability of internal host.

load runner_helpers

setup_file() { start_server; }
teardown_file() { stop_server; }
setup() { runner_env; }

@test "connector check: every mapped internal host, Reachable or Not Reachable with the reason" {
    run_split act connector check --timeout 2
    [ "$status" -eq 3 ]
    [[ "$output" == *"internalhost:3333 -> 127.0.0.1:$PORT  Reachable"* ]]
    [[ "$output" == *"internalhost2:3333 -> 127.0.0.1:$PORT  Reachable"* ]]
    [[ "$output" == *"downhost:80 -> 127.0.0.1:$DEAD  Not Reachable: cannot connect to 127.0.0.1:$DEAD: Connection refused"* ]]
}

@test "connector check: all reachable is exit 0" {
    cat >up.yaml <<YAML
systems:
  - virtualHost: internalhost
    virtualPort: 3333
    internalHost: 127.0.0.1
    internalPort: $PORT
    resources:
      - path: /hello
YAML
    run_split act connector check --connector up.yaml
    [ "$status" -eq 0 ]
    [ "$output" = "internalhost:3333 -> 127.0.0.1:$PORT  Reachable" ]
}

@test "connector check: an invalid connector file is exit 2 with file:line" {
    printf 'systems:\n  - virtualHost: x\n    bogus: 1\n' >bad.yaml
    run_split act connector check --connector bad.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bad.yaml:"* ]]
}
