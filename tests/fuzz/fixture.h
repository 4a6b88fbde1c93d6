/*
 * fixture.h - the fixed spec the request, check and mock fuzz targets run
 * against: every parameter location and style, request bodies, declared
 * response headers, status ranges, several media types, examples, and
 * schemas with $refs, recursion, oneOf with a discriminator, patterns,
 * formats and nullable. Included by one fuzz target each (static data).
 */
#ifndef ACT_FUZZ_FIXTURE_H
#define ACT_FUZZ_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "parser/spec.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const char fixture_spec[] =
    "openapi: 3.0.3\n"
    "info: {title: fuzz fixture, version: 1.0.0}\n"
    "paths:\n"
    "  /pets:\n"
    "    get:\n"
    "      operationId: listPets\n"
    "      parameters:\n"
    "        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, "
    "default: 20}}\n"
    "        - {name: status, in: query, style: form, explode: true,\n"
    "           schema: {type: array, items: {type: string, enum: [available, pending, sold]}}}\n"
    "        - {name: tags, in: query, style: pipeDelimited, explode: false,\n"
    "           schema: {type: array, maxItems: 4, items: {type: string}}}\n"
    "        - {name: ids, in: query, style: spaceDelimited, explode: false,\n"
    "           schema: {type: array, uniqueItems: true, items: {type: integer}}}\n"
    "        - {name: filter, in: query, style: deepObject, explode: true,\n"
    "           schema: {type: object, properties: {name: {type: string}, age: {type: "
    "integer}}}}\n"
    "        - {name: $top, in: query, schema: {type: integer}}\n"
    "        - {name: X-Request-Id, in: header, schema: {type: string, format: uuid}}\n"
    "        - {name: session, in: cookie, schema: {type: string, pattern: '^[a-z0-9]+$'}}\n"
    "      responses:\n"
    "        '200':\n"
    "          description: pets\n"
    "          headers:\n"
    "            X-Next: {required: true, schema: {type: string}}\n"
    "            X-Rate: {schema: {type: integer}}\n"
    "          content:\n"
    "            application/json:\n"
    "              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n"
    "              example: [{id: 1, name: Rex, kind: dog, bark: true}]\n"
    "            text/plain:\n"
    "              schema: {type: string}\n"
    "        4XX: {$ref: '#/components/responses/Error'}\n"
    "        default: {$ref: '#/components/responses/Error'}\n"
    "    post:\n"
    "      operationId: createPet\n"
    "      parameters:\n"
    "        - {name: dryRun, in: query, schema: {type: boolean}}\n"
    "      requestBody:\n"
    "        required: true\n"
    "        content:\n"
    "          application/json:\n"
    "            schema: {$ref: '#/components/schemas/NewPet'}\n"
    "            examples:\n"
    "              rex: {value: {name: Rex, kind: dog, bark: true}}\n"
    "          application/merge-patch+json:\n"
    "            schema: {type: object}\n"
    "      responses:\n"
    "        '201':\n"
    "          description: created\n"
    "          content:\n"
    "            application/json:\n"
    "              schema: {$ref: '#/components/schemas/Pet'}\n"
    "              examples:\n"
    "                rex: {value: {id: 7, name: Rex, kind: dog, bark: true}}\n"
    "                bad: {value: {id: x}}\n"
    "        2XX: {description: accepted}\n"
    "  /pets/{petId}:\n"
    "    parameters:\n"
    "      - {name: petId, in: path, required: true, schema: {type: integer, format: int64, "
    "minimum: 1}}\n"
    "    get:\n"
    "      operationId: showPet\n"
    "      responses:\n"
    "        '200':\n"
    "          description: the pet\n"
    "          content:\n"
    "            application/hal+json:\n"
    "              schema: {$ref: '#/components/schemas/Pet'}\n"
    "        '404': {$ref: '#/components/responses/Error'}\n"
    "    delete:\n"
    "      operationId: deletePet\n"
    "      parameters:\n"
    "        - {name: reason, in: header, required: true, schema: {type: string, maxLength: "
    "20}}\n"
    "      responses:\n"
    "        '204': {description: deleted}\n"
    "    head:\n"
    "      operationId: headPet\n"
    "      responses:\n"
    "        '200': {description: exists}\n"
    "  /files/{dir}/{name}.{ext}:\n"
    "    put:\n"
    "      operationId: putFile\n"
    "      parameters:\n"
    "        - {name: dir, in: path, required: true, style: label, schema: {type: array, "
    "items: {type: string}}}\n"
    "        - {name: name, in: path, required: true, style: matrix, schema: {type: object, "
    "properties: {a: {type: string}, b: {type: number}}}}\n"
    "        - {name: ext, in: path, required: true, schema: {type: string, enum: [txt, "
    "json]}}\n"
    "      requestBody:\n"
    "        content:\n"
    "          application/octet-stream: {schema: {type: string, format: binary}}\n"
    "          text/*: {schema: {type: string, maxLength: 64}}\n"
    "      responses:\n"
    "        '200':\n"
    "          description: stored\n"
    "          content:\n"
    "            '*/*': {schema: {type: string}}\n"
    "  /trees:\n"
    "    patch:\n"
    "      operationId: patchTree\n"
    "      requestBody:\n"
    "        required: true\n"
    "        content:\n"
    "          application/json: {schema: {$ref: '#/components/schemas/Node'}}\n"
    "      responses:\n"
    "        '200':\n"
    "          description: the tree\n"
    "          content:\n"
    "            application/json: {schema: {$ref: '#/components/schemas/Node'}}\n"
    "components:\n"
    "  responses:\n"
    "    Error:\n"
    "      description: an error\n"
    "      content:\n"
    "        application/problem+json:\n"
    "          schema:\n"
    "            type: object\n"
    "            required: [code, message]\n"
    "            properties:\n"
    "              code: {type: integer, format: int32}\n"
    "              message: {type: string, nullable: true}\n"
    "  schemas:\n"
    "    NewPet:\n"
    "      type: object\n"
    "      required: [name, kind]\n"
    "      additionalProperties: false\n"
    "      properties:\n"
    "        name: {type: string, minLength: 1, maxLength: 50, pattern: '^[A-Za-z][A-Za-z "
    ".-]*$'}\n"
    "        kind: {type: string}\n"
    "        bark: {type: boolean}\n"
    "        lives: {type: integer, multipleOf: 1, maximum: 9}\n"
    "        born: {type: string, format: date}\n"
    "        mail: {type: string, format: email}\n"
    "        weight: {type: number, exclusiveMinimum: true, minimum: 0}\n"
    "        tag: {type: string, nullable: true, enum: [a, b]}\n"
    "        owner: {anyOf: [{type: string}, {type: integer}], nullable: true}\n"
    "    Pet:\n"
    "      oneOf:\n"
    "        - {$ref: '#/components/schemas/Dog'}\n"
    "        - {$ref: '#/components/schemas/Cat'}\n"
    "      discriminator:\n"
    "        propertyName: kind\n"
    "        mapping: {dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat'}\n"
    "    Dog:\n"
    "      allOf:\n"
    "        - {$ref: '#/components/schemas/NewPet'}\n"
    "        - {type: object, required: [id], properties: {id: {type: integer, readOnly: "
    "true}, bark: {type: boolean}}}\n"
    "    Cat:\n"
    "      allOf:\n"
    "        - {$ref: '#/components/schemas/NewPet'}\n"
    "        - {type: object, required: [id], properties: {id: {type: integer, readOnly: "
    "true}, lives: {type: integer}}}\n"
    "    Node:\n"
    "      type: object\n"
    "      properties:\n"
    "        name: {type: string, writeOnly: true}\n"
    "        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n"
    "        value: {oneOf: [{type: string}, {type: number}, {$ref: "
    "'#/components/schemas/Node'}]}\n";

#pragma GCC diagnostic pop

/* Load the fixture spec once per process (NULL when it cannot be loaded). */
static struct act_spec *fixture_load(void)
{
    static struct act_spec *spec;
    static int tried;
    if (tried)
        return spec;
    tried = 1;
    act_alloc_init_cjson();
    char path[64];
    snprintf(path, sizeof(path), "/tmp/actions-fuzz-fixture-%ld.yaml", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fwrite(fixture_spec, 1, sizeof(fixture_spec) - 1, f);
    fclose(f);
    struct act_error err;
    act_error_init(&err);
    if (act_spec_load(path, 0, &spec, &err) != ACT_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        abort();
    }
    unlink(path);
    return spec;
}

#endif
