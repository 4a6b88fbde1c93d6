#!/usr/bin/env bats
# actions lint: every structural problem with file:line:col and JSON Pointer.

load helpers

@test "lint passes the shipped specs" {
    for s in helloworld.json petstore.yaml multifile/api.yaml; do
        run_split act lint "$SPECS/$s"
        [ "$status" -eq 0 ] || { echo "$s: $output $stderr"; false; }
        [[ "$stderr" == *"no problems found"* ]]
    done
}

@test "lint reports every problem with position and pointer, and exits 2" {
    run_split act lint "$SPECS/broken/lint-problems.yaml"
    [ "$status" -eq 2 ]
    f="$SPECS/broken/lint-problems.yaml"
    [[ "$output" == *"$f:3:1: error: missing \"info.version\" (at /info)"* ]]
    [[ "$output" == *"$f:23:5: error: duplicate operationId \"getUser\" (first used by get /users/{userId} at $f:7)"* ]]
    [[ "$output" == *"$f:10:11: error: path parameter \"userId\" must be \"required: true\""* ]]
    [[ "$output" == *"$f:13:11: error: parameter \"verbose\" has neither \"schema\" nor \"content\""* ]]
    [[ "$output" == *"$f:23:5: error: get /orders/{orderId} declares no responses"* ]]
    [[ "$output" == *"$f:23:5: error: path template parameter {orderId} of get /orders/{orderId} has no \"in: path\" parameter"* ]]
    [[ "$output" == *"error: path parameter \"itemId\" does not appear in the path template /items"* ]]
    [[ "$output" == *"$f:20:15: error: unresolvable \$ref \"#/components/schemas/Missing\": no such node"* ]]
    [[ "$output" == *"$f:39:15: error: unresolvable \$ref \"nowhere.yaml#/components/schemas/Item\": "*"cannot open"* ]]
    [[ "$output" == *"error: \$ref cycle that never reaches a value"* ]]
    [[ "$stderr" == *"12 errors, 0 warnings"* ]]
}

@test "lint reports a missing paths object and missing openapi" {
    printf '{"info": {"title": "x", "version": "1"}}' >"$BATS_TEST_TMPDIR/nopaths.json"
    run_split act lint "$BATS_TEST_TMPDIR/nopaths.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"error: missing \"openapi\""* ]]
    [[ "$output" == *"error: missing \"paths\" object"* ]]
}

@test "lint stops at an unsupported version with exit 2" {
    run_split act lint "$SPECS/broken/openapi32.yaml"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"openapi32.yaml:1:10: unsupported OpenAPI version \"3.2.0\""* ]]
}

@test "lint warns, without failing, about examples that do not match their schema" {
    cat >"$BATS_TEST_TMPDIR/ex.yaml" <<'YAML'
openapi: 3.0.3
info: {title: examples, version: '1'}
paths:
  /hello:
    get:
      operationId: get.hello
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Message'
              examples:
                good:
                  value: {message: Hello}
                bad:
                  $ref: '#/components/examples/BadMessage'
components:
  examples:
    BadMessage:
      value: {message: 42}
  schemas:
    Message:
      type: object
      required: [message]
      properties:
        message: {type: string, example: 7}
YAML
    run_split act lint "$BATS_TEST_TMPDIR/ex.yaml"
    [ "$status" -eq 0 ]
    f="$BATS_TEST_TMPDIR/ex.yaml"
    [[ "$output" == *"$f:22:14: warning: example does not match its schema: /message: expected string, got number (#/components/schemas/Message/properties/message/type) (at /components/examples/BadMessage/value)"* ]]
    [[ "$output" == *"$f:28:42: warning: example does not match its schema: (root): expected string, got number"* ]]
    [[ "$output" != *"/examples/good"* ]]
    [[ "$stderr" == *"0 errors, 2 warnings"* ]]
}

@test "lint warns that Accept, Content-Type and Authorization header parameters are ignored" {
    cat >"$BATS_TEST_TMPDIR/ignored.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      parameters:
        - {name: content-TYPE, in: header, required: true, schema: {type: string}}
        - {name: Accept, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
YAML
    run_split act lint "$BATS_TEST_TMPDIR/ignored.yaml"
    [ "$status" -eq 0 ]
    [[ "$output" == *"ignored.yaml:8:11: warning: header parameter \"content-TYPE\" is ignored: OpenAPI says header parameters named Accept, Content-Type or Authorization SHALL be ignored"*"(at /paths/~1x/get/parameters/0)"* ]]
    [[ "$output" != *'"Accept"'* ]]
    [[ "$stderr" == *"0 errors, 1 warning"* ]]
}

@test "lint checks defaults against their schemas, an empty info.version, \$ref targets that are not objects, and nullable" {
    cat >"$BATS_TEST_TMPDIR/more.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: ""}
paths:
  /x:
    get:
      operationId: getX
      parameters:
        - {name: top, in: query, schema: {type: integer, default: "null"}}
        - $ref: '#/components/parameters/NotAParameter'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                one: {$ref: '#/components/examples/NotAnExample'}
        '404': {$ref: '#/components/responses/NotAResponse'}
  /y: {$ref: '#/components/schemas/NotASchema'}
components:
  schemas:
    Thing:
      type: object
      properties:
        kind: {type: string, nullable: true, enum: [a, b]}
        kindOrNull: {type: string, nullable: true, enum: [a, null]}
        size: {nullable: true, allOf: [{$ref: '#/components/schemas/Size'}]}
        name: {$ref: '#/components/schemas/NotASchema'}
        ok: {type: integer, default: 3}
    Size: {type: integer}
    NotASchema: [1, 2]
  parameters:
    NotAParameter: "limit"
  responses:
    NotAResponse: 404
  examples:
    NotAnExample: [x]
YAML
    f="$BATS_TEST_TMPDIR/more.yaml"
    run_split act lint "$f"
    [ "$status" -eq 2 ]
    [[ "$output" == *"$f:2:27: warning: \"info.version\" is empty: say which version of the API this describes (at /info/version)"* ]]
    [[ "$output" == *"$f:8:67: warning: default does not match its schema: (root): expected integer, got string"*"(at /paths/~1x/get/parameters/0/schema/default)"* ]]
    [[ "$output" == *"error: \$ref \"#/components/parameters/NotAParameter\" leads to a string where a Parameter Object is expected (at /paths/~1x/get/parameters/1)"* ]]
    [[ "$output" == *"error: \$ref \"#/components/examples/NotAnExample\" leads to an array where an Example Object is expected"* ]]
    [[ "$output" == *"error: \$ref \"#/components/responses/NotAResponse\" leads to a number where a Response Object is expected (at /paths/~1x/get/responses/404)"* ]]
    [[ "$output" == *"error: \$ref \"#/components/schemas/NotASchema\" leads to an array where a Schema Object is expected (at /components/schemas/Thing/properties/name)"* ]]
    [[ "$output" == *"warning: \"nullable\" with an \"enum\" that lacks null: null is not one of the enum values, so it is rejected (OpenAPI 3.0.3); add null to the enum to allow it (at /components/schemas/Thing/properties/kind)"* ]]
    [[ "$output" != *"(at /components/schemas/Thing/properties/kindOrNull)"* ]]
    [[ "$output" == *"warning: \"nullable\" without \"type\": since OpenAPI 3.0.3 it only adds null to the \"type\" of the same schema, so here it has no effect (at /components/schemas/Thing/properties/size)"* ]]
    [[ "$output" != *"properties/ok"* ]]
    [[ "$output" == *"error: \$ref \"#/components/schemas/NotASchema\" leads to an array where a Path Item Object is expected (at /paths/~1y)"* ]]
    [[ "$stderr" == *"6 errors, 4 warnings"* ]]
    # A 3.0.0 to 3.0.2 document is read by the text of its version: the warning says so.
    sed -i 's/^openapi: 3.0.3/openapi: 3.0.1/' "$f"
    run_split act lint "$f"
    [[ "$output" == *"so here it has no effect (this document declares an earlier 3.0 version, whose text allows null for the whole schema: add \"type\" to say which) (at /components/schemas/Thing/properties/size)"* ]]
}
