#!/usr/bin/env bats
# actions test: one action against the fixture server on 127.0.0.1.

load runner_helpers

setup_file() { start_server; }
teardown_file() { stop_server; }
setup() { runner_env; }
teardown() { stop_tls_server; }

# --- passing and failing checks ------------------------------------------------

@test "test passes get.hello: one PASS line with status, reason and time" {
    run_split act test "$RSPEC" get.hello --dest LOCAL
    [ "$status" -eq 0 ]
    [[ "$output" =~ ^PASS\ get\.hello\ 200\ OK\ [0-9]+\ ms$ ]]
    [ -z "$stderr" ]
}

@test "test ignores the spec's servers: the destination URL's path is the prefix" {
    run_split act test "$RSPEC" get.hello --dest PREFIXED --format json
    [ "$status" -eq 0 ]
    [[ "$output" == *"\"url\": \"http://127.0.0.1:$PORT/api/hello\""* ]]
}

@test "a wrong field type fails with the JSON Pointer, expected and found, exit 1" {
    run_split act test "$RSPEC" getWrongType --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == "FAIL getWrongType 200 OK"* ]]
    [[ "$output" == *"/message: expected string, got number"*"#/components/schemas/Message/properties/message/type"* ]]
}

@test "a missing required field fails naming the property" {
    run_split act test "$RSPEC" getMissingField --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *'"message"'* ]]
    [[ "$output" == *"required"* ]]
}

@test "an undeclared status fails and lists the declared ones" {
    run_split act test "$RSPEC" getUndeclared --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *"status 418 is not declared for getUndeclared (declared: 200)"* ]]
}

@test "a wrong content type fails naming the received and declared types" {
    run_split act test "$RSPEC" getWrongCt --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *'content type "text/html; charset=utf-8" is not declared for 200 (declared: application/json)'* ]]
}

@test "invalid JSON fails with line and column" {
    run_split act test "$RSPEC" getInvalidJson --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *"response body is not valid JSON: 2:"* ]]
}

@test "JSON is read as RFC 8259 says: a number with a leading zero is not valid JSON" {
    run_split act test "$RSPEC" getLeadingZero --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *"response body is not valid JSON: 1:"* ]]
}

@test "a response body with a duplicate member fails the check, naming the member, its object and both positions" {
    run_split act test "$RSPEC" getDuplicateMember --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == "FAIL getDuplicateMember 200"* ]]
    [[ "$output" == *'duplicate member name "message" in the object at '*'(at 1:2 and 2:2)'* ]]
}

@test "a range response (4XX) matches and its required header is checked" {
    run_split act test "$RSPEC" getStatus --dest LOCAL -p code=404
    [ "$status" -eq 1 ]
    [[ "$output" == *'required response header "X-Trace" is missing'* ]]
    run_split act test "$RSPEC" getStatus --dest LOCAL -p code=200
    [ "$status" -eq 0 ]
}

@test "a redirect is followed; a redirect loop stops after 10 and exits 3" {
    run_split act test "$RSPEC" getRedirect --dest LOCAL
    [ "$status" -eq 0 ]
    run_split act test "$RSPEC" getLoop --dest LOCAL
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"too many redirects"*"(more than 10)"* ]]
}

@test "a redirect the operation declares is its answer: checked, not followed" {
    run_split act test "$RSPEC" getRedirectDeclared --dest LOCAL -v
    [ "$status" -eq 0 ]
    [[ "$output" == "PASS getRedirectDeclared 302 Found"* ]]
    [[ "$stderr" != *"following"* ]]
}

@test "a redirect to another origin is not followed, and the warning says why" {
    run_split act test "$RSPEC" getRedirectAway --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *"FAIL getRedirectAway 302"* ]]
    [[ "$output" == *"warning: 302 redirect to another origin not followed (Location: http://127.0.0.2:9/hello)"* ]]
}

@test "a relative Location is resolved against the request URL; a 303 after POST continues as GET" {
    run_split act test "$RSPEC" getRedirectRelative --dest LOCAL
    [ "$status" -eq 0 ]
    [[ "$output" == "PASS getRedirectRelative 200"* ]]
    run_split act test "$RSPEC" postSeeOther --dest LOCAL --format json
    [ "$status" -eq 0 ]
    [[ "$output" == *'"method": "GET"'* ]]
    [[ "$output" == *'"path": "/echo/after-303"'* ]]
}

# --- hostile servers -------------------------------------------------------------

@test "a server that never answers times out after --timeout, exit 3" {
    SECONDS=0
    run_split act test "$RSPEC" getHang --dest LOCAL --timeout 1
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"did not answer within 1000 ms (--timeout)"* ]]
    [ "$SECONDS" -le 4 ]
}

@test "a connection reset mid-body says how many bytes arrived, exit 3" {
    run_split act test "$RSPEC" getReset --dest LOCAL --timeout 5
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"connection reset after 100 bytes"* ]]
}

@test "a slow drip is cut by the total timeout, exit 3" {
    SECONDS=0
    run_split act test "$RSPEC" getDrip --dest LOCAL --timeout 1
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"timed out after 1000 ms"*"body bytes received"* ]]
    [ "$SECONDS" -le 4 ]
}

@test "a 1 GiB body with Content-Length is refused at --max-size, exit 1" {
    run_split act test "$RSPEC" getBig --dest LOCAL --max-size 1M
    [ "$status" -eq 1 ]
    [[ "$output" == *"exceeds the limit of 1048576 bytes (--max-size)"* ]]
}

@test "a 1 GiB body without Content-Length is cut in the write callback" {
    run_split /usr/bin/time -f '%M' "$ACTIONS_BIN" test "$RSPEC" getBigChunked --dest LOCAL --max-size 2M
    [ "$status" -eq 1 ]
    [[ "$output" == *"exceeds the limit of 2097152 bytes (--max-size)"* ]]
    # peak RSS stays far below the body size (KiB)
    rss=$(tail -n1 <<<"$stderr")
    [ "$rss" -lt 200000 ]
}

@test "an unreachable port is exit 3 naming host and port" {
    run_split act test "$RSPEC" get.hello --dest DEAD
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"cannot connect to 127.0.0.1:"*"Connection refused"* ]]
}

@test "TLS is verified: a self-signed server is exit 3 unless --cacert, --insecure or TrustAll" {
    start_tls_server
    run_split act test "$RSPEC" get.hello --dest TLS --destinations tls-destinations.yaml
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"TLS handshake with 127.0.0.1:$TLS_PORT failed"*"--insecure"* ]]
    run_split act test "$RSPEC" get.hello --dest TLS --destinations tls-destinations.yaml --cacert cert.pem
    [ "$status" -eq 0 ]
    run_split act test "$RSPEC" get.hello --dest TLS --destinations tls-destinations.yaml --insecure
    [ "$status" -eq 0 ]
    run_split act test "$RSPEC" get.hello --dest TLS_TRUSTALL --destinations tls-destinations.yaml
    [ "$status" -eq 0 ]
}

@test "proxies: HTTP_PROXY is used for Internet destinations, NO_PROXY and OnPremise bypass it" {
    # The fixture answers absolute-form requests too, so it can act as the proxy.
    printf 'destinations:\n  - Name: VIA_PROXY\n    URL: http://backend.invalid:81\n    sap.applicationdevelopment.actions.enabled: true\n' >proxied.yaml
    HTTP_PROXY=http://127.0.0.1:$PORT run_split act test "$RSPEC" get.hello --dest VIA_PROXY --destinations proxied.yaml
    [ "$status" -eq 0 ]
    # a dead proxy: Internet fails, NO_PROXY and OnPremise do not use it
    HTTP_PROXY=http://127.0.0.1:$DEAD run_split act test "$RSPEC" get.hello --dest LOCAL
    [ "$status" -eq 3 ]
    HTTP_PROXY=http://127.0.0.1:$DEAD NO_PROXY=127.0.0.1 run_split act test "$RSPEC" get.hello --dest LOCAL
    [ "$status" -eq 0 ]
    HTTP_PROXY=http://127.0.0.1:$DEAD http_proxy=http://127.0.0.1:$DEAD run_split act test "$RSPEC" get.hello --dest ON_PREM_HELLO_WORLD
    [ "$status" -eq 0 ]
}

# --- the request -----------------------------------------------------------------

@test "parameters are serialized per style and percent-encoded; the path cannot be changed" {
    run_split act test "$RSPEC" echoParams --dest LOCAL --format json \
        -p 'id=a/b?c d' -p tags=x,y -p tags=z -p ids=1,2 -p pipes=a,b -p 'spaces=a,b' \
        -p 'filter={"color":"red","size":3}' -p 'point={"x":1,"y":2}' -p 'q=a&b=c#d' \
        -p session=s1 -p X-Flags=f1,f2
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
b = d["body"]
assert b["path"] == ("/echo/items/a%2Fb%3Fc%20d?limit=10&tags=x&tags=y&tags=z&ids=1,2&pipes=a|b"
                     "&spaces=a%20b&filter[color]=red&filter[size]=3&point=x,1,y,2"
                     "&q=a%26b%3Dc%23d&color=blue"), b["path"]
h = {k.lower(): v for k, v in b["headers"]}
assert h["x-request-id"] == "req-1", h
assert h["x-flags"] == "f1,f2", h
assert h["cookie"] == "session=s1", h
assert d["method"] == "GET" and d["status"] == 200 and d["passed"] is True
PY
}

@test "missing required parameters without examples are named, exit 2" {
    run_split act test "$RSPEC" echoNeeds --dest LOCAL
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"thing (path), token (query)"* ]]
}

@test "an unknown -p name is a usage error listing the parameters" {
    run_split act test "$RSPEC" echoNeeds --dest LOCAL -p thing=1 -p token=t -p nope=1
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'has no parameter "nope" (parameters: thing, token, page)'* ]]
}

@test "invalid parameter values fail before sending, exit 1" {
    run_split act test "$RSPEC" echoParams --dest LOCAL -p id=1 -p limit=abc -p ids=1,x
    [ "$status" -eq 1 ]
    [[ "$output" == "FAIL echoParams (request not sent)"* ]]
    [[ "$output" == *'query parameter "limit": expected integer, got string'* ]]
    [[ "$output" == *'query parameter "ids" /1: expected integer'* ]]
}

@test "the body comes from the media type's example; Content-Type is set" {
    run_split act test "$RSPEC" createItem --dest LOCAL --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import json, sys
b = json.loads(sys.argv[1])["body"]
assert json.loads(b["body"]) == {"name": "widget", "count": 3}, b
assert b["method"] == "POST"
assert ["Content-Type", "application/json"] in b["headers"], b["headers"]
PY
}

@test "--body FILE and --body - send the given JSON" {
    echo '{"name": "from-file"}' >body.json
    run_split act test "$RSPEC" createItem --dest LOCAL --body body.json --format json
    [ "$status" -eq 0 ]
    [[ "$output" == *'from-file'* ]]
    run_split sh -c "echo '{\"name\": \"from-stdin\"}' | \"$ACTIONS_BIN\" test \"$RSPEC\" putThing --dest LOCAL --body - --format json"
    [ "$status" -eq 0 ]
    [[ "$output" == *'from-stdin'* ]]
}

@test "a body that breaks the schema fails before sending; invalid JSON is exit 2" {
    echo '{"name": 5, "id": 1}' >bad.json
    run_split act test "$RSPEC" createItem --dest LOCAL --body bad.json
    [ "$status" -eq 1 ]
    [[ "$output" == *"request body /name: expected string, got number"* ]]
    [[ "$output" == *"request body /id"* ]]
    printf '{"name": \n oops}' >broken.json
    run_split act test "$RSPEC" createItem --dest LOCAL --body broken.json
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"broken.json:2:"* ]]
}

@test "a required body with no example and no --body is a usage error" {
    run_split act test "$RSPEC" putThing --dest LOCAL
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"needs a request body"*"--body FILE"* ]]
}

@test "-H adds headers and wins over URL.headers; URL.queries go on every call" {
    run_split act test "$RSPEC" getSecured --dest APIKEY -H 'X-Tenant: mine' -H 'X-Extra:  v  ' --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" "$PLANT_APIKEY" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
b = d["body"]
h = {k.lower(): v for k, v in b["headers"]}
assert h["x-tenant"] == "mine", h
assert h["x-extra"] == "v", h
assert h["x-api-key"] == "***", h   # sent, but masked in the report
assert b["path"] == "/echo/secured?sap-client=100&api_key=***", b["path"]
assert d["url"].endswith("/echo/secured?sap-client=100&api_key=***"), d["url"]
PY
}

@test "an apiKey scheme in query or cookie takes the destination's URL.headers value" {
    run_split act test "$RSPEC" getSecuredElsewhere --dest APIKEY --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import json, sys
b = json.loads(sys.argv[1])["body"]
h = {k.lower(): v for k, v in b["headers"]}
assert "X-API-Key=***" in b["path"], b["path"]
assert h["cookie"] == "X-API-Key=***", h
PY
    no_secrets "$output"
}

@test "-H with CR or LF, or without a colon, is refused" {
    run_split act test "$RSPEC" get.hello --dest LOCAL -H $'X-A: 1\r\nX-B: 2'
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"must not contain CR or LF"* ]]
    run_split act test "$RSPEC" get.hello --dest LOCAL -H 'NoColon'
    [ "$status" -eq 2 ]
}

# --- destinations and auth -------------------------------------------------------

@test "a destination not enabled for actions is refused naming the property; --any-dest accepts it" {
    run_split act test "$RSPEC" get.hello --dest NOT_ENABLED
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"sap.applicationdevelopment.actions.enabled=true"*"--any-dest"* ]]
    run_split act test "$RSPEC" get.hello --dest NOT_ENABLED --any-dest
    [ "$status" -eq 0 ]
}

@test "an unsupported authentication type is a clear usage error" {
    run_split act test "$RSPEC" get.hello --dest SAML
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'"SAMLAssertion", which is not supported'* ]]
}

@test "a secret removed on export is named, exit 2" {
    mkdir exported
    printf '%s\n' 'Name=EXPORTED' 'Type=HTTP' 'URL=http\://127.0.0.1\:1' 'ProxyType=Internet' \
        'Authentication=BasicAuthentication' 'User=alice' \
        '#Password=<< Existing password/certificate removed on export >>' \
        'sap.applicationdevelopment.actions.enabled=true' >exported/EXPORTED
    run_split act test "$RSPEC" get.hello --dest EXPORTED --destinations exported
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'"Password"'* ]]
}

@test "Basic authentication is preemptive and the password never shows, even with -v" {
    run_split act test "$RSPEC" getBasic --dest BASIC -v --format json
    [ "$status" -eq 0 ]
    [[ "$output" == *'"status": 200'* ]]
    [[ "$stderr" == *"> Authorization: ***"* ]]
    no_secrets "$output" "$stderr"
    run_split act test "$RSPEC" getBasic --dest BASIC_WRONG
    [ "$status" -eq 0 ]
    [[ "$output" == "PASS getBasic 401 Unauthorized"* ]]
}

@test "OAuth2: the token is fetched once, cached 0600, and reused by the next run" {
    count() { curl -s "http://127.0.0.1:$PORT/token/count" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }
    c0=$(count)
    run_split act test "$RSPEC" getBearer --dest OAUTH -v
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"obtained from the token service"* ]]
    no_secrets "$output" "$stderr"
    [ "$(count)" -eq $((c0 + 1)) ]
    run_split act test "$RSPEC" getBearer --dest OAUTH -v
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"taken from the cache"* ]]
    run_split act dest check OAUTH --path /bearer
    [ "$status" -eq 0 ]
    # one token for three runs
    [ "$(count)" -eq $((c0 + 1)) ]
    f="$XDG_CACHE_HOME/actions/oauth2-OAUTH.json"
    [ "$(stat -c %a "$f")" = 600 ]
}

@test "OAuth2: a FIFO where the token cache belongs is not read (no hang): a new token is fetched" {
    mkdir -p "$XDG_CACHE_HOME/actions"
    f="$XDG_CACHE_HOME/actions/oauth2-OAUTH_BASIC.json"
    rm -f "$f"
    mkfifo "$f"
    run_split timeout 20 "$ACTIONS_BIN" test "$RSPEC" getBearer --dest OAUTH_BASIC -v
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"obtained from the token service"* ]]
    [ -f "$f" ] && [ ! -p "$f" ]
}

@test "OAuth2 with client credentials as Basic works; a refused secret is exit 3" {
    run_split act test "$RSPEC" getBearer --dest OAUTH_BASIC
    [ "$status" -eq 0 ]
    run_split act test "$RSPEC" getBearer --dest OAUTH_WRONG
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"refused the client credentials: 401"*"invalid_client"* ]]
}

@test "secrets never appear in text, json, junit or -v output, even when echoed back" {
    for d in BASIC OAUTH APIKEY; do
        for f in text json junit; do
            run_split act test "$RSPEC" getSecured --dest "$d" --format "$f" -v
            [ "$status" -eq 0 ]
            no_secrets "$output" "$stderr"
        done
    done
}

# --- output formats --------------------------------------------------------------

@test "a secret given with -H is masked in the echoed body and the trace" {
    run_split act test "$RSPEC" getSecured --dest LOCAL -H "Authorization: Bearer $PLANT_TOKEN_PREFIX-given" --format json -v
    [ "$status" -eq 0 ]
    no_secrets "$output" "$stderr"
    [[ "$output" == *'"Authorization", "***"'* || "$output" == *'"***"'* ]]
}

@test "--format json is one object with the documented fields" {
    run_split act test "$RSPEC" getWrongType --dest LOCAL --format json
    [ "$status" -eq 1 ]
    "$PY" - "$output" "$PORT" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
for k in ("action", "method", "url", "status", "duration_ms", "passed", "errors", "body"):
    assert k in d, k
assert d["action"] == "getWrongType" and d["method"] == "GET" and d["status"] == 200
assert d["url"] == "http://127.0.0.1:%s/wrong-type" % sys.argv[2]
assert d["passed"] is False and len(d["errors"]) == 1
assert d["body"] == {"message": 42}
PY
}

@test "--format junit is well-formed XML with a failure per failed action" {
    run_split act test "$RSPEC" getWrongType --dest LOCAL --format junit
    [ "$status" -eq 1 ]
    "$PY" - "$output" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.argv[1])
tc = root.find("testsuite/testcase")
assert tc.get("name") == "getWrongType"
assert "expected string" in tc.find("failure").get("message")
PY
    # quotes, ampersands and angle brackets in messages are escaped
    run_split act test "$RSPEC" getWrongCt --dest LOCAL --format junit
    [ "$status" -eq 1 ]
    "$PY" -c 'import sys, xml.etree.ElementTree as ET; r = ET.fromstring(sys.argv[1]); assert "\"text/html; charset=utf-8\"" in r.find("testsuite/testcase/failure").get("message")' "$output"
    run_split act test "$RSPEC" get.hello --dest LOCAL --format junit
    [ "$status" -eq 0 ]
    "$PY" -c 'import sys, xml.etree.ElementTree as ET; r = ET.fromstring(sys.argv[1]); assert r.find("testsuite/testcase/failure") is None' "$output"
    run_split act test "$RSPEC" get.hello --dest DEAD --format junit
    [ "$status" -eq 3 ]
    "$PY" -c 'import sys, xml.etree.ElementTree as ET; r = ET.fromstring(sys.argv[1]); assert r.find("testsuite/testcase/error") is not None' "$output"
}

@test "-v prints request and response lines to stderr" {
    run_split act test "$RSPEC" get.hello --dest LOCAL -v
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"> GET /hello HTTP/1.1"* ]]
    [[ "$stderr" == *"< HTTP/1.1 200 OK"* ]]
    [[ "$stderr" == *"< Content-Type: application/json"* ]]
}

# --- the connector ---------------------------------------------------------------

@test "OnPremise: the virtual host is mapped to the internal one; Host stays virtual" {
    run_split act test "$RSPEC" echoParams --dest ON_PREM_HELLO_WORLD -p id=1 --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
h = {k.lower(): v for k, v in d["body"]["headers"]}
assert h["host"] == "internalhost:3333", h
assert "x-forwarded-host" not in h
assert d["url"].startswith("http://internalhost:3333/echo/items/1?"), d["url"]
PY
    run_split act test "$RSPEC" get.hello --dest ON_PREM_HELLO_WORLD
    [ "$status" -eq 0 ]
}

@test "OnPremise with hostInHeader internal sends the internal Host and X-Forwarded-Host" {
    run_split act test "$RSPEC" echoParams --dest ONPREM_INTERNAL -p id=1 --format json
    [ "$status" -eq 0 ]
    "$PY" - "$output" "$PORT" <<'PY'
import json, sys
h = {k.lower(): v for k, v in json.loads(sys.argv[1])["body"]["headers"]}
assert h["host"] == "127.0.0.1:" + sys.argv[2], h
assert h["x-forwarded-host"] == "internalhost2:3333", h
PY
}

@test "OnPremise: an unmapped virtual host gives the platform message, the host and the file" {
    run_split act test "$RSPEC" get.hello --dest ONPREM_UNMAPPED
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Backend is not available in the list of defined system mappings in Cloud Connector."* ]]
    [[ "$stderr" == *"unmapped:4444"*"connector.yaml"* ]]
}

@test "OnPremise: path-and-subpaths /hello admits /hello-world; path-only admits only itself" {
    run_split act test "$RSPEC" getHelloWorld --dest ON_PREM_HELLO_WORLD
    [ "$status" -eq 0 ]
    run_split act test "$RSPEC" getWrongType --dest ON_PREM_HELLO_WORLD
    [ "$status" -eq 1 ]
    run_split act test "$RSPEC" getMissingField --dest ON_PREM_HELLO_WORLD
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Resource is not accessible in Cloud Connector or backend is not reachable."* ]]
    [[ "$stderr" == *'"/missing-field"'*"/hello (path-and-subpaths)"*"/wrong-type (path-only)"* ]]
}

@test "OnPremise: an inactive resource admits nothing" {
    run_split act test "$RSPEC" getAdmin --dest ON_PREM_HELLO_WORLD
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Resource is not accessible in Cloud Connector"* ]]
    [[ "$stderr" == *"/admin (path-and-subpaths, inactive)"* ]]
}

@test "OnPremise: dot segments and encoded dots cannot escape /hello" {
    for op in dotdot encdot doubleslash; do
        run_split act test "$ROOT/tests/data/runner/traversal.yaml" "$op" --dest ON_PREM_HELLO_WORLD
        [ "$status" -eq 3 ]
        [[ "$stderr" == *"Resource is not accessible in Cloud Connector"* ]]
    done
}

@test "OnPremise: an internal host that does not answer gives the third message and the cause" {
    run_split act test "$RSPEC" get.hello --dest ONPREM_DOWN --format json
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"Backend is not reachable from Cloud Connector."* ]]
    [[ "$stderr" == *"internal host 127.0.0.1:$DEAD"*"Connection refused"* ]]
    "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["passed"] is False and d["status"] is None' "$output"
}

# --- CSRF ------------------------------------------------------------------------

@test "CSRF: with csrf in the project file, the token and cookie are fetched and sent" {
    cat >actions.yaml <<YAML
project: csrf-demo
spec: $RSPEC
csrf:
  fetch: /csrf
YAML
    run_split act test postCsrf --dest LOCAL -v
    [ "$status" -eq 0 ]
    [[ "$output" == "PASS postCsrf 201"* ]]
    [[ "$stderr" == *"* CSRF token fetch"* ]]
    [[ "$stderr" == *"> x-csrf-token: ***"* ]]
    no_secrets "$stderr"
}

@test "CSRF: a 403 with x-csrf-token Required is retried once with a fresh token" {
    printf 'spec: %s\ncsrf: {fetch: /csrf}\n' "$RSPEC" >actions.yaml
    run_split act test postCsrfRetry --dest LOCAL -v
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"retrying once"* ]]
}

@test "CSRF: csrf: PATH (a plain path) is the fetch path, as {fetch: PATH} is" {
    printf 'spec: %s\ncsrf: /csrf\n' "$RSPEC" >actions.yaml
    run_split act test postCsrf --dest LOCAL -v
    [ "$status" -eq 0 ]
    [[ "$output" == "PASS postCsrf 201"* ]]
    [[ "$stderr" == *"* CSRF token fetch"* ]]
}

@test "without csrf in the project file no handshake happens (403 is undeclared)" {
    run_split act test "$RSPEC" postCsrf --dest LOCAL
    [ "$status" -eq 1 ]
    [[ "$output" == *"status 403 is not declared"* ]]
}

# --- usage -----------------------------------------------------------------------

@test "test without --dest, or with an unknown one, is exit 2" {
    run_split act test "$RSPEC" get.hello
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"test needs --dest NAME"* ]]
    run_split act test "$RSPEC" get.hello --dest LOCLA
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'unknown destination "LOCLA"'*"LOCAL"* ]]
    run_split act test "$RSPEC" get.hello --dest LOCAL --timeout 0
    [ "$status" -eq 2 ]
    run_split act test "$RSPEC" get.hello --dest LOCAL --format xml
    [ "$status" -eq 2 ]
}

# --- header parameters OpenAPI says to ignore ----------------------------------

@test "Accept, Content-Type and Authorization header parameters are ignored: never required, never sent from the spec; -H still goes" {
    cat >"$BATS_TEST_TMPDIR/ignored.yaml" <<'YAML'
openapi: 3.0.3
info: {title: ignored headers, version: "1"}
paths:
  /echo/ignored:
    get:
      operationId: echoIgnored
      parameters:
        - {name: Accept, in: header, required: true, schema: {type: string}, example: application/x-from-spec}
        - {name: content-type, in: header, required: true, schema: {type: string}, example: text/x-from-spec}
        - {name: AUTHORIZATION, in: header, required: true, schema: {type: string}}
      responses:
        '200':
          description: echo
          content:
            application/json:
              schema: {type: object}
YAML
    run_split act test "$BATS_TEST_TMPDIR/ignored.yaml" echoIgnored --dest LOCAL --format json
    [ "$status" -eq 0 ]
    [[ "$stderr" != *"needs required parameters"* ]]
    "$PY" - "$output" <<'PY'
import json, sys
h = {k.lower(): v for k, v in json.loads(sys.argv[1])["body"]["headers"]}
assert "from-spec" not in h.get("accept", ""), h
assert "content-type" not in h and "authorization" not in h, h
PY
    run_split act test "$BATS_TEST_TMPDIR/ignored.yaml" echoIgnored --dest LOCAL --format json \
        -H 'Accept: application/x-mine'
    [ "$status" -eq 0 ]
    "$PY" - "$output" <<'PY'
import json, sys
h = {k.lower(): v for k, v in json.loads(sys.argv[1])["body"]["headers"]}
assert h["accept"] == "application/x-mine", h
PY
    run_split act test "$BATS_TEST_TMPDIR/ignored.yaml" --all --dest LOCAL
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS echoIgnored"* ]]
}
