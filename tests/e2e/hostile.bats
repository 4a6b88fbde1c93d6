#!/usr/bin/env bats
# A backend that misbehaves on purpose (tests/fixtures/hostile_server.py on
# 127.0.0.1, a port chosen at run time): one row per behaviour, each asserting
# the exit code, the message, bounded time (a generous `timeout`) and bounded
# memory (`ulimit -v`, not under sanitizers). Then what may reach output from
# such a server (reason phrases, headers, redirect targets, token service
# answers), and what reaches the server (the raw request target it records).
# runner_helpers: $PY, the planted secrets, stop_server.
load runner_helpers

PLANT_BEARER=BEARER-PLANTED-4f1d
# Each run: at most this long (seconds) and this much address space (KB).
TIME_CAP=60
MEM_CAP=400000

setup_file() {
    local dir=$BATS_FILE_TMPDIR i
    cp "$ACTIONS_BIN" "$dir/actions-under-test"
    "$PY" "$ROOT/tests/fixtures/hostile_server.py" "$dir/targets.log" >"$dir/port" \
        2>"$dir/server.err" 3>&- &
    echo $! >"$dir/server.pid"
    for i in $(seq 1 100); do
        [ -s "$dir/port" ] && break
        sleep 0.05
    done
    local port
    port=$(head -n1 "$dir/port")
    [ -n "$port" ] || { cat "$dir/server.err" >&2; return 1; }
    cat >"$dir/spec.yaml" <<'YAML'
openapi: 3.0.3
info: {title: hostile, version: "1"}
paths:
  /{behaviour}:
    get:
      operationId: hostile
      parameters:
        - {name: behaviour, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /api/{a}/{b}:
    delete:
      operationId: deleteItem
      parameters:
        - {name: a, in: path, required: true, schema: {type: string}}
        - {name: b, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /label/{a}/x:
    get:
      operationId: label
      parameters:
        - {name: a, in: path, required: true, style: label, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /labels/{a}/x:
    get:
      operationId: labels
      parameters:
        - name: a
          in: path
          required: true
          style: label
          explode: true
          schema: {type: array, items: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /matrix/{a}/x:
    get:
      operationId: matrix
      parameters:
        - {name: a, in: path, required: true, style: matrix, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /odata:
    get:
      operationId: odata
      parameters:
        - {name: $top, in: query, schema: {type: integer}}
        - {name: $filter, in: query, schema: {type: string}}
        - {name: "a&b+c;d", in: query, schema: {type: string}}
        - {name: "!$'()*,", in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
YAML
    cat >"$dir/destinations.yaml" <<YAML
destinations:
  - Name: H
    URL: http://127.0.0.1:$port
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: H_BASIC
    URL: http://127.0.0.1:$port
    Authentication: BasicAuthentication
    User: alice
    Password: $PLANT_PASSWORD
    sap.applicationdevelopment.actions.enabled: true
  - Name: H_OAUTH
    URL: http://127.0.0.1:$port
    Authentication: OAuth2ClientCredentials
    tokenServiceURL: http://127.0.0.1:$port/token-ok
    clientId: client-1
    clientSecret: $PLANT_CLIENT_SECRET
    sap.applicationdevelopment.actions.enabled: true
  - Name: H_OAUTH_ECHO
    URL: http://127.0.0.1:$port
    Authentication: OAuth2ClientCredentials
    tokenServiceURL: http://127.0.0.1:$port/token-echo
    tokenService.addClientCredentialsInBody: false
    clientId: client-1
    clientSecret: $PLANT_CLIENT_SECRET
    sap.applicationdevelopment.actions.enabled: true
  - Name: H_OAUTH_ECHO_BODY
    URL: http://127.0.0.1:$port
    Authentication: OAuth2ClientCredentials
    tokenServiceURL: http://127.0.0.1:$port/token-echo
    clientId: client-1
    clientSecret: $PLANT_CLIENT_SECRET
    sap.applicationdevelopment.actions.enabled: true
  - Name: H_ONPREM_ALL
    URL: http://virtual-all:80
    ProxyType: OnPremise
    sap.applicationdevelopment.actions.enabled: true
  - Name: H_ONPREM_API
    URL: http://virtual-api:80
    ProxyType: OnPremise
    sap.applicationdevelopment.actions.enabled: true
YAML
    cat >"$dir/connector.yaml" <<YAML
systems:
  - virtualHost: virtual-all
    virtualPort: 80
    internalHost: 127.0.0.1
    internalPort: $port
    resources:
      - path: /
        policy: path-and-subpaths
  - virtualHost: virtual-api
    virtualPort: 80
    internalHost: 127.0.0.1
    internalPort: $port
    resources:
      - path: /api
        policy: path-and-subpaths
YAML
}

teardown_file() {
    stop_server
}

setup() {
    export ACTIONS_DESTINATIONS=$BATS_FILE_TMPDIR/destinations.yaml
    export ACTIONS_CONNECTOR=$BATS_FILE_TMPDIR/connector.yaml
    export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
    SPEC=$BATS_FILE_TMPDIR/spec.yaml
    BIN=$BATS_FILE_TMPDIR/actions-under-test
    cd "$BATS_TEST_TMPDIR"
}

# bounded ARGS...: `actions ARGS` within TIME_CAP seconds and MEM_CAP KB of
# address space; $status, $output (stdout) and $stderr as run_split leaves them.
bounded() {
    local q="" a
    for a in "$@"; do q+=" $(printf '%q' "$a")"; done
    run_split bash -c "$(limit_memory $MEM_CAP) exec timeout $TIME_CAP $(printf '%q' "$BIN")$q"
    if [ "$status" -eq 124 ]; then
        echo "still running after ${TIME_CAP}s: actions $*" >&2
        return 1
    fi
}

# row BEHAVIOUR EXIT MESSAGE [ARGS...]: `test hostile` against /BEHAVIOUR ends
# with EXIT, and MESSAGE appears in its output (stdout or stderr).
row() {
    local behaviour=$1 want=$2 msg=$3
    shift 3
    bounded test "$SPEC" hostile --dest H -p "behaviour=$behaviour" "$@"
    echo "exit $status; stdout: $output; stderr: $stderr"
    [ "$status" -eq "$want" ]
    [[ "$output$stderr" == *"$msg"* ]]
}

# last_target: the request line the server received last.
last_target() { tail -n 1 "$BATS_FILE_TMPDIR/targets.log"; }

# no_planted TEXT...: no planted secret, no Basic credentials, no raw ESC.
no_planted() {
    local t b64 esc=$'\x1b'
    b64=$(printf 'alice:%s' "$PLANT_PASSWORD" | base64)
    for t in "$@"; do
        [[ "$t" != *PLANTED* ]] || { echo "a planted secret leaked: $t" >&2; return 1; }
        [[ "$t" != *"$b64"* ]] || { echo "Basic credentials leaked: $t" >&2; return 1; }
        [[ "$t" != *"$esc"* ]] || { echo "a raw ESC reached output: $t" >&2; return 1; }
    done
}

# --- one row per behaviour -------------------------------------------------------

@test "hang before the headers: exit 3 after --timeout" {
    row hang-headers 3 "did not answer within 1000 ms (--timeout)" --timeout 1
}

@test "hang in the middle of the body: exit 3 after --timeout, bytes received said" {
    row hang-body 3 "timed out after 1000 ms (--timeout) reading the response" --timeout 1
}

@test "reset before an answer: exit 3" {
    row reset-before 3 "closed before a response"
}

@test "reset in the middle of the body: exit 3 saying how many bytes arrived" {
    row reset-body 3 "connection reset after 100 bytes of the response body"
}

@test "a body over --max-size: exit 1 naming the limit" {
    row huge 1 "exceeds the limit of 1000 bytes (--max-size)" --max-size 1000
}

@test "a redirect loop: exit 3 after 10 redirects" {
    row loop 3 "too many redirects"
}

@test "a redirect to another origin: not followed, the 302 is the answer (exit 1)" {
    row away 1 "redirect to another origin not followed (Location: http://127.0.0.2:9/x\\x1b[2J)"
    no_planted "$output" "$stderr"
}

@test "no status line: exit 3, did not answer with HTTP" {
    row no-status 3 "did not answer with HTTP"
}

@test "an HTTP/0.9 answer (a bare body): exit 3, did not answer with HTTP" {
    row http09 3 "did not answer with HTTP"
}

@test "garbage bytes: exit 3, did not answer with HTTP" {
    row garbage 3 "did not answer with HTTP"
}

@test "one header of 1 MB: exit 3, response headers too large" {
    row big-header 3 "response headers too large"
}

@test "100,000 headers: exit 3, response headers too large" {
    row many-headers 3 "response headers too large"
    [[ "$stderr" == *"more than 1000 headers"* ]]
}

@test "a lying Content-Type (JSON declared, HTML sent): exit 1, not valid JSON" {
    row lying-ct 1 "response body is not valid JSON"
}

@test "a slow drip (1 byte/s): cut by --timeout, exit 3" {
    row drip 3 "timed out after 2000 ms (--timeout)" --timeout 2
}

# --- what a hostile server can put on our output ----------------------------------

@test "a reason phrase echoing Basic credentials is masked in text, json, junit and -v" {
    local fmt
    for fmt in text json junit; do
        bounded test "$SPEC" hostile --dest H_BASIC -p behaviour=reason-auth --format $fmt -v
        [ "$status" -eq 0 ]
        [[ "$output" == *"Authorization: ***"* ]]
        no_planted "$output" "$stderr"
    done
    [[ "$stderr" == *"< HTTP/1.1 200 Authorization: ***"* ]]
}

@test "a reason phrase echoing a bearer token is masked (OAuth2 token and -H Authorization)" {
    bounded test "$SPEC" hostile --dest H_OAUTH -p behaviour=reason-auth --format json -v
    [ "$status" -eq 0 ]
    [[ "$output" == *'"reason": "Authorization: ***"'* ]]
    no_planted "$output" "$stderr"
    bounded test "$SPEC" hostile --dest H -p behaviour=reason-auth \
        -H "Authorization: Bearer $PLANT_BEARER"
    [ "$status" -eq 0 ]
    [[ "$output" == *"200 Authorization: ***"* ]]
    no_planted "$output" "$stderr"
}

@test "a reason phrase repeating the server's own cookie is masked" {
    bounded test "$SPEC" hostile --dest H -p behaviour=reason-cookie --format json -v
    [ "$status" -eq 0 ]
    [[ "$output" == *'"reason": "your session is sid=***"'* ]]
    no_planted "$output" "$stderr"
}

@test "control characters in the reason phrase and in headers are escaped, in text and -v" {
    local fmt
    for fmt in text json junit; do
        bounded test "$SPEC" hostile --dest H -p behaviour=reason-ctl --format $fmt -v
        [ "$status" -eq 0 ]
        no_planted "$output" "$stderr"
    done
    bounded test "$SPEC" hostile --dest H -p behaviour=reason-ctl -v
    [[ "$output" == *'200 OK\x1b[31m\x07\x08red Não \xff\xc2\x9b'* ]]
    [[ "$stderr" == *'< X-Ctl: a\x1b[2Jb'* ]]
}

@test "a token service echoing the client credentials: the error masks them, exit 3" {
    bounded test "$SPEC" hostile --dest H_OAUTH_ECHO -p behaviour=x
    [ "$status" -eq 3 ]
    [[ "$stderr" == *'refused the client credentials: 401 Basic ***'* ]]
    no_planted "$output" "$stderr"
    bounded test "$SPEC" hostile --dest H_OAUTH_ECHO_BODY -p behaviour=x
    [ "$status" -eq 3 ]
    [[ "$stderr" == *'refused the client credentials: 401'* ]]
    no_planted "$output" "$stderr"
}

# --- what reaches the server ------------------------------------------------------

@test "path parameters cannot change the path: dot segments go out encoded (simple style)" {
    bounded test "$SPEC" deleteItem --dest H -p a=.. -p b=admin
    [ "$status" -eq 0 ]
    [ "$(last_target)" = "DELETE /api/%2E%2E/admin HTTP/1.1" ]
    bounded test "$SPEC" deleteItem --dest H -p a=. -p b=admin
    [ "$(last_target)" = "DELETE /api/%2E/admin HTTP/1.1" ]
    # A value that decodes to ".." is encoded as any other value: "%" is sent as %25.
    bounded test "$SPEC" deleteItem --dest H -p a=%2e%2E -p b=admin
    [ "$(last_target)" = "DELETE /api/%252e%252E/admin HTTP/1.1" ]
    bounded test "$SPEC" deleteItem --dest H -p a=../.. -p b=admin
    [ "$(last_target)" = "DELETE /api/..%2F../admin HTTP/1.1" ]
    ! grep -q '^DELETE /admin' "$BATS_FILE_TMPDIR/targets.log"
}

@test "path parameters cannot change the path: label and matrix styles" {
    # label: "." + "." is a ".." segment, "." + "" a "." segment
    bounded test "$SPEC" label --dest H -p a=.
    [ "$status" -eq 0 ]
    [ "$(last_target)" = "GET /label/%2E%2E/x HTTP/1.1" ]
    bounded test "$SPEC" label --dest H -p a=
    [ "$(last_target)" = "GET /label/%2E/x HTTP/1.1" ]
    bounded test "$SPEC" labels --dest H -p a=
    [ "$(last_target)" = "GET /labels/%2E/x HTTP/1.1" ]
    # matrix: ";a=.." is not a dot segment and goes out as built
    bounded test "$SPEC" matrix --dest H -p a=..
    [ "$status" -eq 0 ]
    [ "$(last_target)" = "GET /matrix/;a=../x HTTP/1.1" ]
}

@test "path parameters cannot change the path through the connector either" {
    # Admitted: the connector checks, and the backend receives, the path as sent.
    bounded test "$SPEC" deleteItem --dest H_ONPREM_ALL -p a=.. -p b=admin
    [ "$status" -eq 0 ]
    [ "$(last_target)" = "DELETE /api/%2E%2E/admin HTTP/1.1" ]
    # A resource for /api only: %2E%2E may be resolved by the backend, so it is refused.
    bounded test "$SPEC" deleteItem --dest H_ONPREM_API -p a=.. -p b=admin
    [ "$status" -eq 3 ]
    [[ "$stderr" == *'normalized path "/admin"'* ]]
    [ "$(last_target)" = "DELETE /api/%2E%2E/admin HTTP/1.1" ]
}

@test "OData query names keep \$ (and the harmless sub-delimiters); values stay encoded" {
    bounded test "$SPEC" odata --dest H -p '$top=3' -p '$filter=Name eq '"'"'a&b'"'" \
        -p 'a&b+c;d=1' -p "!\$'()*,=2"
    [ "$status" -eq 0 ]
    local want="GET /odata?\$top=3&\$filter=Name%20eq%20%27a%26b%27"
    want+="&a%26b%2Bc%3Bd=1&!\$'()*,=2 HTTP/1.1"
    [ "$(last_target)" = "$want" ]
}
