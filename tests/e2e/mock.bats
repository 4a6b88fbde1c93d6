#!/usr/bin/env bats
# actions mock: every shipped spec served and tested with `actions test`, then
# checked independently with curl; request validation, Prefer, routing, the
# log, --port 0, a port in use and shutdown on signals. Loopback only; every
# port is chosen at run time.

load helpers

setup_file() {
    # A private copy: a concurrent `make` relinking the binary cannot break a run.
    cp "$ACTIONS_BIN" "$BATS_FILE_TMPDIR/actions-under-test"
    ACTIONS_BIN=$BATS_FILE_TMPDIR/actions-under-test
    export ACTIONS_BIN
    cat >"$BATS_FILE_TMPDIR/routes.yaml" <<'YAML'
openapi: 3.0.3
info: {title: mock routes, version: 1.0.0}
paths:
  /items/mine:
    get:
      operationId: getMine
      responses:
        '200':
          description: the literal path
          content:
            application/json:
              schema: {type: object, required: [which], properties: {which: {type: string}}}
              example: {which: literal}
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z0-9/ ]+$'}}
    get:
      operationId: getItem
      responses:
        '200':
          description: an item
          headers:
            X-Trace: {required: true, schema: {type: string}, example: abc-123}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
              examples:
                first: {value: {id: '1', name: first}}
                second: {$ref: '#/components/examples/Second'}
        '404':
          description: missing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
        4XX:
          description: other client errors
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
    delete:
      operationId: deleteItem
      responses:
        '204': {description: gone}
  /search:
    get:
      operationId: search
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, minLength: 2}}
        - {name: n, in: query, schema: {type: integer, minimum: 1, maximum: 10}}
        - {name: tags, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
        - {name: X-Req, in: header, required: true, schema: {type: string}}
      responses:
        '200':
          description: results
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Item'}}
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [qty]
              properties:
                qty: {type: integer, minimum: 1}
                id: {type: string, readOnly: true}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Generated'}
  /bad-example:
    get:
      operationId: badExample
      responses:
        '200':
          description: an example that breaks its schema
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}}}
              example: {message: 42}
  /text:
    get:
      operationId: getText
      responses:
        '200':
          description: plain text
          content:
            text/plain:
              schema: {type: string}
              example: hello there
components:
  examples:
    Second:
      value: {id: '2', name: second}
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
    Error:
      type: object
      required: [code, message]
      properties:
        code: {type: integer}
        message: {type: string}
    Generated:
      type: object
      required: [id, when, email, uid, score, code, tags, kind]
      properties:
        id: {type: string, readOnly: true, minLength: 5, maxLength: 5}
        when: {type: string, format: date-time}
        email: {type: string, format: email}
        uid: {type: string, format: uuid}
        score: {type: integer, minimum: 10, maximum: 20, multipleOf: 7}
        code: {type: string, pattern: '^[0-9]{3}-[0-9]{4}$'}
        tags: {type: array, minItems: 2, uniqueItems: true, items: {type: string}}
        kind: {type: string, enum: [small, large]}
        ratio: {type: number, exclusiveMinimum: true, minimum: 0, maximum: 1}
        secret: {type: string, writeOnly: true}
YAML
    start_mock hello "$SPECS/helloworld.json"
    start_mock pets "$SPECS/petstore.yaml"
    start_mock multi "$SPECS/multifile/api.yaml"
    start_mock routes "$BATS_FILE_TMPDIR/routes.yaml"
}

teardown_file() {
    local m
    for m in hello pets multi routes; do stop_mock "$m"; done
}

# Every test: destinations of this run in $BATS_TEST_TMPDIR, no proxies.
setup() {
    local m
    {
        echo "destinations:"
        for m in hello pets multi routes; do
            cat <<YAML
  - Name: MOCK_$(echo "$m" | tr a-z A-Z)
    URL: http://127.0.0.1:$(port_of "$m")
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.processautomation.enabled: true
    sap.applicationdevelopment.actions.enabled: true
YAML
        done
    } >"$BATS_TEST_TMPDIR/destinations.yaml"
    export ACTIONS_DESTINATIONS=$BATS_TEST_TMPDIR/destinations.yaml
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
    cd "$BATS_TEST_TMPDIR"
}

# curl_to NAME PATH [CURL ARGS...]: status in $code, content type in $ctype, body in $body.
curl_to() {
    local name=$1 path=$2
    shift 2
    local out
    out=$(curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code} %{content_type}' "$@" \
        "http://127.0.0.1:$(port_of "$name")$path")
    code=${out%% *}
    ctype=${out#* }
    body=$(cat "$BATS_TEST_TMPDIR/body")
}

# --- every operation of every spec: actions test against actions mock ----------

@test "helloworld: get.hello passes against the mock, which answers the spec's example" {
    run_split act test "$SPECS/helloworld.json" get.hello --dest MOCK_HELLO
    [ "$status" -eq 0 ]
    [[ "$output" =~ ^PASS\ get\.hello\ 200\ OK ]]
    curl_to hello /hello
    [ "$code" = 200 ]
    [ "$ctype" = application/json ]
    [ "$body" = '{"message":"Hello World"}' ]
}

@test "petstore: every operation passes actions test against the mock" {
    echo '{"name": "rex"}' >pet.json
    local id
    for id in $(act list "$SPECS/petstore.yaml" --format json | grep '"id"' | sed 's/.*"id": "\(.*\)",*/\1/'); do
        case $id in
        createPet) set -- --body pet.json ;;
        getCategory) set -- -p categoryId=7 ;;
        *) set -- ;;
        esac
        run_split act test "$SPECS/petstore.yaml" "$id" --dest MOCK_PETS "$@"
        echo "$id: $status $output $stderr"
        [ "$status" -eq 0 ]
        [[ "$output" == "PASS $id "* ]]
    done
}

@test "multifile: every operation passes actions test against the mock" {
    local id
    for id in $(act list "$SPECS/multifile/api.yaml" --format json | grep '"id"' | sed 's/.*"id": "\(.*\)",*/\1/'); do
        case $id in
        getBook) set -- -p isbn=978-0000000000 ;;
        *) set -- ;;
        esac
        run_split act test "$SPECS/multifile/api.yaml" "$id" --dest MOCK_MULTI "$@"
        echo "$id: $status $output $stderr"
        [ "$status" -eq 0 ]
        [[ "$output" == "PASS $id "* ]]
    done
}

@test "petstore, checked with curl: statuses and content types are the declared ones" {
    curl_to pets /pets
    [ "$code" = 200 ] && [ "$ctype" = application/json ]
    [[ "$body" == '['*']' ]]
    echo "$body" >b.json
    act validate "$SPECS/petstore.yaml" listPets --status 200 b.json
    curl_to pets /pets -X POST -H 'Content-Type: application/json' -d '{"name": "rex"}'
    [ "$code" = 201 ] && [ "$ctype" = application/json ]
    echo "$body" >b.json
    act validate "$SPECS/petstore.yaml" createPet --status 201 b.json
    curl_to pets /pets/42
    [ "$code" = 200 ] && [ "$ctype" = application/json ]
    curl_to pets /pets/42 -X DELETE
    [ "$code" = 204 ] && [ -z "$ctype" ] && [ -z "$body" ]
    curl_to pets /categories/3
    [ "$code" = 200 ] && [ "$ctype" = application/json ]
    echo "$body" >b.json
    act validate "$SPECS/petstore.yaml" getCategory --status 200 b.json
    curl_to pets /store/orders -X POST -H 'Content-Type: application/json' -d '{"petId": 1, "quantity": 2}'
    [ "$code" = 200 ] && [ "$ctype" = application/json ]
    echo "$body" >b.json
    act validate "$SPECS/petstore.yaml" placeOrder --status 200 b.json
}

@test "multifile, checked with curl: JSON, problem+json and text/plain as declared" {
    curl_to multi /authors
    [ "$code" = 200 ] && [ "$ctype" = application/json ]
    curl_to multi /books/978-0000000000 -H 'Prefer: code=500'
    [ "$code" = 500 ] && [ "$ctype" = application/problem+json ]
    echo "$body" >b.json
    act validate "$SPECS/multifile/api.yaml" getBook --status 500 --content-type application/problem+json b.json
    curl_to multi '/a~b/c%25d'
    [ "$code" = 200 ] && [ "$ctype" = text/plain ]
}

# --- answering ---------------------------------------------------------------

@test "a generated body honours formats, bounds, patterns, uniqueItems and readOnly/writeOnly" {
    curl_to routes /orders -X POST -H 'Content-Type: application/json' -d '{"qty": 1}'
    [ "$code" = 201 ]
    echo "$body" >b.json
    run_split act validate "$BATS_FILE_TMPDIR/routes.yaml" createOrder --status 201 b.json
    echo "$output $stderr $body"
    [ "$status" -eq 0 ]
    [[ "$body" == *'"score":14'* ]]
    [[ "$body" == *'"kind":"small"'* ]]
    [[ "$body" != *'"secret"'* ]]
    [[ "$body" =~ \"code\":\"[0-9]{3}-[0-9]{4}\" ]]
}

@test "examples: the first examples entry by default, Prefer: example=NAME for another" {
    curl_to routes /items/abc
    [ "$code" = 200 ]
    [ "$body" = '{"id":"1","name":"first"}' ]
    curl_to routes /items/abc -H 'Prefer: example=second'
    [ "$code" = 200 ]
    [ "$body" = '{"id":"2","name":"second"}' ]
    curl_to routes /items/abc -H 'Prefer: example=third'
    [ "$code" = 400 ]
    [[ "$body" == *'Prefer: example=third is not an example of getItem 200 application/json (examples: first, second)'* ]]
}

@test "declared response headers are sent, with their example" {
    run curl -s -D - -o /dev/null "http://127.0.0.1:$(port_of routes)/items/abc"
    [[ "$output" == *"X-Trace: abc-123"* ]]
}

@test "Prefer: code=404 answers the declared 404; a range (4XX) serves 409; undeclared is 400" {
    curl_to routes /items/abc -H 'Prefer: code=404'
    [ "$code" = 404 ] && [ "$ctype" = application/json ]
    echo "$body" >b.json
    act validate "$BATS_FILE_TMPDIR/routes.yaml" getItem --status 404 b.json
    curl_to routes /items/abc -H 'Prefer: code=409'
    [ "$code" = 409 ]
    curl_to routes /items/abc -H 'Prefer: code=503'
    [ "$code" = 400 ]
    [[ "$body" == *'Prefer: code=503 is not declared for getItem (declared: 200, 404, 4XX)'* ]]
}

@test "a spec example that breaks its schema is served, with a warning in the log" {
    curl_to routes /bad-example
    [ "$code" = 200 ]
    [ "$body" = '{"message":42}' ]
    grep -q 'warning: the example of badExample 200 application/json does not match its schema, served anyway: /message: expected string, got number' \
        "$BATS_FILE_TMPDIR/routes.log"
}

@test "a text/plain example is sent as text" {
    curl_to routes /text
    [ "$code" = 200 ] && [ "$ctype" = text/plain ] && [ "$body" = 'hello there' ]
}

# --- request validation --------------------------------------------------------

@test "invalid parameters: 400 with every error, as actions test words them" {
    curl_to routes '/search?q=x&n=50&tags=a&tags=c'
    [ "$code" = 400 ] && [ "$ctype" = application/json ]
    [[ "$body" == '{"errors":['* ]]
    [[ "$body" == *'query parameter \"q\": expected at least 2 characters'* ]]
    [[ "$body" == *'query parameter \"n\": expected at most 10'* ]]
    [[ "$body" == *'query parameter \"tags\" /1: '* ]]
    [[ "$body" == *'header parameter \"X-Req\" is required'* ]]
    curl_to routes '/search?q=xy&n=5&tags=a&tags=b' -H 'X-Req: 1'
    [ "$code" = 200 ]
}

@test "a missing required query parameter is a 400" {
    curl_to routes '/search' -H 'X-Req: 1'
    [ "$code" = 400 ]
    [[ "$body" == *'query parameter \"q\" is required'* ]]
}

@test "invalid bodies: wrong type, readOnly sent, not JSON, none, wrong content type" {
    curl_to routes /orders -X POST -H 'Content-Type: application/json' -d '{"qty": "two", "id": "x"}'
    [ "$code" = 400 ]
    [[ "$body" == *'request body /qty: expected integer, got string'* ]]
    [[ "$body" == *'request body /id: '* ]]
    curl_to routes /orders -X POST -H 'Content-Type: application/json' -d '{"qty": '
    [ "$code" = 400 ]
    [[ "$body" == *'request body is not valid JSON: 1:'* ]]
    curl_to routes /orders -X POST
    [ "$code" = 400 ]
    [[ "$body" == *'request body is required'* ]]
    curl_to routes /orders -X POST -H 'Content-Type: text/plain' -d 'qty=1'
    [ "$code" = 400 ]
    [[ "$body" == *'content type \"text/plain\" is not declared for the request body (declared: application/json)'* ]]
    curl_to routes /orders -X POST -H 'Content-Type: application/json; charset=utf-8' -d '{"qty": 3}'
    [ "$code" = 201 ]
}

# --- routing -------------------------------------------------------------------

@test "routing: a literal path wins over a templated one" {
    curl_to routes /items/mine
    [ "$body" = '{"which":"literal"}' ]
    curl_to routes /items/yours
    [ "$body" = '{"id":"1","name":"first"}' ]
}

@test "routing: an unknown path is 404, a trailing slash is another path" {
    curl_to routes /nowhere
    [ "$code" = 404 ]
    [[ "$body" == *'no path of the spec matches \"/nowhere\"'* ]]
    curl_to routes /items/abc/
    [ "$code" = 404 ]
    curl_to routes /items/
    [ "$code" = 404 ]
}

@test "routing: a known path with another method is 405 with Allow" {
    run curl -s -i -X PUT "http://127.0.0.1:$(port_of routes)/items/abc"
    [[ "$output" == "HTTP/1.1 405"* ]]
    [[ "$output" == *"Allow: GET, DELETE, HEAD"* ]]
    curl_to routes /items/abc -X DELETE
    [ "$code" = 204 ]
}

@test "routing: a templated segment matches one segment; %2F stays inside it" {
    curl_to routes /items/a%2Fb
    [ "$code" = 200 ]
    curl_to routes /items/a/b
    [ "$code" = 404 ]
    curl_to routes /items/a%20b
    [ "$code" = 200 ]
    # The decoded value is validated: "A" breaks the pattern.
    curl_to routes /items/%41
    [ "$code" = 400 ]
    [[ "$body" == *'path parameter \"id\": '* ]]
}

# --- the server ----------------------------------------------------------------

@test "one log line per request: method, path, status, milliseconds" {
    curl_to hello /hello
    grep -Eq '^GET /hello 200 [0-9]+\.[0-9] ms$' "$BATS_FILE_TMPDIR/hello.log"
}

@test "--quiet: no log lines; --port 0 prints the chosen port" {
    start_mock quiet "$SPECS/helloworld.json" --quiet
    [ "$(cat "$BATS_FILE_TMPDIR/quiet.out")" = "listening on http://127.0.0.1:$(port_of quiet)" ]
    curl_to quiet /hello
    [ "$code" = 200 ]
    stop_mock quiet
    sleep 0.2
    [ ! -s "$BATS_FILE_TMPDIR/quiet.log" ]
}

@test "a port in use is a clear error, exit 2" {
    run_split act mock "$SPECS/helloworld.json" --port "$(port_of hello)"
    [ "$status" -eq 2 ]
    [ "$stderr" = "actions: error: address 127.0.0.1:$(port_of hello) is already in use" ]
}

@test "SIGTERM and SIGINT stop the mock cleanly, exit 0" {
    local sig pid i
    for sig in TERM INT; do
        "$ACTIONS_BIN" mock "$SPECS/helloworld.json" --port 0 >"$BATS_TEST_TMPDIR/s.out" 2>&1 3>&- &
        pid=$!
        # The line is printed once the signals are blocked (sigwait); a signal sent
        # before it would kill the process by default. Wait for it however long a
        # loaded machine takes to start the mock (up to 60 s), and fail without it.
        for i in $(seq 1 600); do
            grep -q '^listening on ' "$BATS_TEST_TMPDIR/s.out" && break
            sleep 0.1
        done
        grep -q '^listening on ' "$BATS_TEST_TMPDIR/s.out"
        kill -"$sig" "$pid"
        status=0
        wait "$pid" || status=$?
        [ "$status" -eq 0 ]
    done
}

@test "usage errors: a bad --port, an unknown option, a missing spec, exit 2" {
    run_split act mock "$SPECS/helloworld.json" --port 70000
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'--port needs a number from 0 to 65535, not "70000"'* ]]
    run_split act mock "$SPECS/helloworld.json" --bogus
    [ "$status" -eq 2 ]
    run_split act mock "$SPECS/does-not-exist.yaml"
    [ "$status" -eq 2 ]
    run_split act mock --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: actions mock"* ]]
}

@test "the mock ignores Accept, Content-Type and Authorization header parameters, required or not" {
    cat >"$BATS_TEST_TMPDIR/ignored.yaml" <<'YAML'
openapi: 3.0.3
info: {title: ignored headers, version: "1"}
paths:
  /acc:
    get:
      operationId: getAcc
      parameters:
        - {name: Accept, in: header, required: true, schema: {type: string, enum: [application/x-never]}}
        - {name: Authorization, in: header, required: true, schema: {type: string}}
        - {name: Content-Type, in: header, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
              example: {ok: true}
YAML
    start_mock ignored "$BATS_TEST_TMPDIR/ignored.yaml"
    curl_to ignored /acc -H 'Accept: application/json'
    stop_mock ignored
    [ "$code" = 200 ]
    [ "$body" = '{"ok":true}' ]
}

@test "test and the mock read every parameter style alike: values with commas, spaces and unicode pass, wrong ones are named" {
    cat >"$BATS_TEST_TMPDIR/styles.yaml" <<'YAML'
openapi: 3.0.3
info: {title: styles, version: '1'}
paths:
  /s/{lab}/{mat}:
    get:
      operationId: getStyles
      parameters:
        - {name: lab, in: path, required: true, style: label, explode: true,
           schema: {type: array, minItems: 2, items: {type: string, pattern: '^[a-z, é]+$'}}}
        - {name: mat, in: path, required: true, style: matrix,
           schema: {type: array, items: {type: integer}}}
        - {name: q, in: query, required: true, explode: false,
           schema: {type: array, minItems: 2, items: {type: string, minLength: 3}}}
        - {name: d, in: query, required: true, style: deepObject, explode: true,
           schema: {type: object, required: [x, y], properties: {x: {type: integer}, y: {type: string}}}}
        - {name: p, in: query, required: true, style: pipeDelimited,
           schema: {type: array, items: {type: integer}}}
        - {name: X-Obj, in: header, required: true, explode: true,
           schema: {type: object, required: [k], properties: {k: {type: string, enum: [v w]}}}}
        - {name: c, in: cookie, required: true, schema: {type: integer}}
        - {name: j, in: query, required: true,
           content: {application/json: {schema: {type: object, required: [n], properties: {n: {type: integer}}}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
              example: {ok: true}
YAML
    start_mock styles "$BATS_TEST_TMPDIR/styles.yaml"
    cat >"$BATS_TEST_TMPDIR/styles-dest.yaml" <<YAML
destinations:
  - Name: MOCK_STYLES
    URL: http://127.0.0.1:$(port_of styles)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
    ACTIONS_DESTINATIONS=$BATS_TEST_TMPDIR/styles-dest.yaml run_split act test \
        "$BATS_TEST_TMPDIR/styles.yaml" getStyles --dest MOCK_STYLES \
        -p 'lab=["a, b","é"]' -p 'mat=[1,2]' -p 'q=["x,y","z w"]' -p 'd={"x":7,"y":"a&b"}' \
        -p 'p=[3,4]' -p 'X-Obj={"k":"v w"}' -p 'c=5' -p 'j={"n":1}'
    [ "$status" -eq 0 ]
    [[ "$output" =~ ^PASS\ getStyles\ 200 ]]
    # What a client sends wrong is named by the mock.
    curl_to styles '/s/.a.b/;mat=1,x?q=abc,def&d[x]=1&d[y]=2&p=1|2&j=%7B%22n%22%3A1%7D' \
        -g -H 'X-Obj: k=v w' -H 'Cookie: c=1'
    [ "$code" = 400 ]
    [[ "$body" == *'path parameter \"mat\"'* ]]
    [[ "$body" != *'parameter \"lab\"'* ]]
    [[ "$body" != *'parameter \"d\"'* ]]
    curl_to styles '/s/.a.b/;mat=1,2?q=abc%2Cdef&d[x]=1&d[y]=2&p=1|2&j=%7B%22n%22%3A1%7D' \
        -g -H 'X-Obj: k=v w' -H 'Cookie: c=1'
    stop_mock styles
    [ "$code" = 400 ]
    [[ "$body" == *'query parameter \"q\"'* ]]
    [[ "$body" != *'path parameter'* ]]
}
