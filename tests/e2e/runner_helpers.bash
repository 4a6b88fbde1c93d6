# Shared by test.bats, dest_check.bats and connector_check.bats: the fixture
# server (tests/fixtures/server.py) on 127.0.0.1 with a port chosen at run
# time, destinations and a connector file pointing at it, and planted secrets.
load helpers

RSPEC=$ROOT/tests/data/runner/fixture.yaml
# The pyenv shim costs a second per call; the system interpreter does not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
PLANT_PASSWORD=Pa55-PLANTED-pw-7f3e
PLANT_CLIENT_SECRET=CS-PLANTED-secret-91ab
PLANT_TOKEN_PREFIX=TOK-PLANTED-
PLANT_APIKEY=KEY-PLANTED-apikey-c0de

# start_server: run the fixture, wait for its port, write the config files.
start_server() {
    local dir=$BATS_FILE_TMPDIR
    # A private copy: a concurrent `make` relinking the binary cannot break a run.
    cp "$ACTIONS_BIN" "$dir/actions-under-test"
    ACTIONS_BIN=$dir/actions-under-test
    export ACTIONS_BIN
    FIXTURE_PASSWORD=$PLANT_PASSWORD FIXTURE_CLIENT_SECRET=$PLANT_CLIENT_SECRET \
        FIXTURE_TOKEN_PREFIX=$PLANT_TOKEN_PREFIX \
        "$PY" "$ROOT/tests/fixtures/server.py" 0 >"$dir/port" 2>"$dir/server.err" 3>&- &
    echo $! >"$dir/server.pid"
    local i
    for i in $(seq 1 100); do
        [ -s "$dir/port" ] && break
        sleep 0.05
    done
    PORT=$(head -n1 "$dir/port")
    [ -n "$PORT" ] || { cat "$dir/server.err" >&2; return 1; }
    # A port nothing listens on: bind, note, close.
    DEAD=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat >"$dir/destinations.yaml" <<YAML
destinations:
  - Name: LOCAL
    URL: http://127.0.0.1:$PORT
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: PREFIXED
    URL: http://127.0.0.1:$PORT/api/
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: NOT_ENABLED
    URL: http://127.0.0.1:$PORT
    sap.processautomation.enabled: true
  - Name: BASIC
    URL: http://127.0.0.1:$PORT
    Authentication: BasicAuthentication
    User: alice
    Password: \${PLANT_PASSWORD}
    sap.applicationdevelopment.actions.enabled: true
  - Name: BASIC_WRONG
    URL: http://127.0.0.1:$PORT
    Authentication: BasicAuthentication
    User: alice
    Password: wrong-password
    sap.applicationdevelopment.actions.enabled: true
  - Name: OAUTH
    URL: http://127.0.0.1:$PORT
    Authentication: OAuth2ClientCredentials
    tokenServiceURL: http://127.0.0.1:$PORT/token
    clientId: client-1
    clientSecret: \${PLANT_CLIENT_SECRET}
    sap.applicationdevelopment.actions.enabled: true
  - Name: OAUTH_BASIC
    URL: http://127.0.0.1:$PORT
    Authentication: OAuth2ClientCredentials
    tokenServiceURL: http://127.0.0.1:$PORT/token
    tokenService.addClientCredentialsInBody: false
    clientId: client-1
    clientSecret: \${PLANT_CLIENT_SECRET}
    sap.applicationdevelopment.actions.enabled: true
  - Name: OAUTH_WRONG
    URL: http://127.0.0.1:$PORT
    Authentication: OAuth2ClientCredentials
    tokenServiceURL: http://127.0.0.1:$PORT/token
    clientId: client-1
    clientSecret: not-the-secret
    sap.applicationdevelopment.actions.enabled: true
  - Name: APIKEY
    URL: http://127.0.0.1:$PORT
    URL.headers.X-API-Key: $PLANT_APIKEY
    URL.headers.X-Tenant: t1
    URL.queries.sap-client: "100"
    URL.queries.api_key: $PLANT_APIKEY
    sap.applicationdevelopment.actions.enabled: true
  - Name: SAML
    URL: http://127.0.0.1:$PORT
    Authentication: SAMLAssertion
    sap.applicationdevelopment.actions.enabled: true
  - Name: DEAD
    URL: http://127.0.0.1:$DEAD
    sap.applicationdevelopment.actions.enabled: true
  - Name: ON_PREM_HELLO_WORLD
    URL: http://internalhost:3333
    ProxyType: OnPremise
    sap.processautomation.enabled: true
    sap.applicationdevelopment.actions.enabled: true
  - Name: ONPREM_INTERNAL
    URL: http://internalhost2:3333
    ProxyType: OnPremise
    sap.applicationdevelopment.actions.enabled: true
  - Name: ONPREM_UNMAPPED
    URL: http://unmapped:4444
    ProxyType: OnPremise
    sap.applicationdevelopment.actions.enabled: true
  - Name: ONPREM_DOWN
    URL: http://downhost:80
    ProxyType: OnPremise
    sap.applicationdevelopment.actions.enabled: true
YAML
    cat >"$dir/connector.yaml" <<YAML
systems:
  - virtualHost: internalhost
    virtualPort: 3333
    internalHost: 127.0.0.1
    internalPort: $PORT
    protocol: HTTP
    resources:
      - path: /hello
        policy: path-and-subpaths
      - path: /echo
        policy: path-and-subpaths
      - path: /wrong-type
        policy: path-only
      - path: /admin
        policy: path-and-subpaths
        active: false
      - path: /status
        policy: path-and-subpaths
  - virtualHost: internalhost2
    virtualPort: 3333
    internalHost: 127.0.0.1
    internalPort: $PORT
    hostInHeader: internal
    resources:
      - path: /
        policy: path-and-subpaths
  - virtualHost: downhost
    virtualPort: 80
    internalHost: 127.0.0.1
    internalPort: $DEAD
    resources:
      - path: /
        policy: path-and-subpaths
YAML
    export PORT DEAD
}

stop_server() {
    local pid
    pid=$(cat "$BATS_FILE_TMPDIR/server.pid" 2>/dev/null) || return 0
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    return 0
}

# Every test: the config files of this run, a private token cache, no proxies.
runner_env() {
    export PLANT_PASSWORD PLANT_CLIENT_SECRET
    export ACTIONS_DESTINATIONS=$BATS_FILE_TMPDIR/destinations.yaml
    export ACTIONS_CONNECTOR=$BATS_FILE_TMPDIR/connector.yaml
    export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
    PORT=$(head -n1 "$BATS_FILE_TMPDIR/port")
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
    cd "$BATS_TEST_TMPDIR"
}

# no_secrets TEXT...: none of the planted secrets appears.
no_secrets() {
    local t
    for t in "$@"; do
        [[ "$t" != *"$PLANT_PASSWORD"* ]] || { echo "password leaked: $t" >&2; return 1; }
        [[ "$t" != *"$PLANT_CLIENT_SECRET"* ]] || { echo "client secret leaked: $t" >&2; return 1; }
        [[ "$t" != *"$PLANT_TOKEN_PREFIX"* ]] || { echo "token leaked: $t" >&2; return 1; }
        [[ "$t" != *"$PLANT_APIKEY"* ]] || { echo "api key leaked: $t" >&2; return 1; }
        # base64 of alice:password
        local b64
        b64=$(printf 'alice:%s' "$PLANT_PASSWORD" | base64)
        [[ "$t" != *"$b64"* ]] || { echo "basic credentials leaked: $t" >&2; return 1; }
    done
}

# start_tls_server: a second fixture speaking https with a fresh self-signed
# certificate for 127.0.0.1 ($BATS_TEST_TMPDIR/cert.pem); sets TLS_PORT and
# writes tls-destinations.yaml. stop_tls_server ends it.
start_tls_server() {
    local dir=$BATS_TEST_TMPDIR
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
    FIXTURE_TLS_CERT=$dir/cert.pem FIXTURE_TLS_KEY=$dir/key.pem \
        "$PY" "$ROOT/tests/fixtures/server.py" 0 >"$dir/tls.port" 2>"$dir/tls.err" 3>&- &
    echo $! >"$dir/tls.pid"
    local i
    for i in $(seq 1 100); do
        [ -s "$dir/tls.port" ] && break
        sleep 0.05
    done
    TLS_PORT=$(head -n1 "$dir/tls.port")
    [ -n "$TLS_PORT" ] || { cat "$dir/tls.err" >&2; return 1; }
    cat >"$dir/tls-destinations.yaml" <<YAML
destinations:
  - Name: TLS
    URL: https://127.0.0.1:$TLS_PORT
    sap.applicationdevelopment.actions.enabled: true
  - Name: TLS_TRUSTALL
    URL: https://127.0.0.1:$TLS_PORT
    TrustAll: true
    sap.applicationdevelopment.actions.enabled: true
YAML
}

stop_tls_server() {
    local pid
    pid=$(cat "$BATS_TEST_TMPDIR/tls.pid" 2>/dev/null) || return 0
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    return 0
}
