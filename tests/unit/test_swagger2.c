/*
 * test_swagger2.c - Swagger 2.0 read as OpenAPI 3.0.3: each translation rule, the
 * losses array, positions through the source map, the other files of a 2.0 spec,
 * the tsv codec, invalid documents, OOM.
 */
#include "unit.h"

#include <sys/stat.h>

#include "parser/openapi.h"
#include "parser/pointer.h"
#include "parser/spec.h"
#include "parser/swagger2.h"

#define HEAD "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"

/* The 3.0 translation of the 2.0 YAML text; losses (may be NULL) gets the losses. */
static cJSON *translate(const char *text, cJSON *losses)
{
    struct act_doc *doc = must_parse("v2.yaml", text, ACT_DOC_YAML);
    struct act_error err;
    cJSON *out = NULL;
    act_error_init(&err);
    if (act_swagger2_to_oas30(doc, &out, losses, &err))
        fail_msg("translation failed: %s", err.msg);
    act_doc_free(doc);
    return out;
}

/* The node at pointer in root, printed compactly, compared with want. */
static void expect_at(const cJSON *root, const char *pointer, const char *want)
{
    const cJSON *n = act_pointer_get(root, pointer);
    if (!n)
        fail_msg("no node at %s", pointer);
    char *s = cJSON_PrintUnformatted(n);
    if (strcmp(s, want) != 0) {
        char msg[2048];
        snprintf(msg, sizeof(msg), "%s: got %s, want %s", pointer, s, want);
        cJSON_free(s);
        fail_msg("%s", msg);
    }
    cJSON_free(s);
}

static void test_swagger2_host_base_path_and_schemes_become_servers(void **state)
{
    (void)state;
    cJSON *t = translate(HEAD "host: api.example:8080\nbasePath: /v2\nschemes: [https, http]\n"
                              "paths: {/a: {get: {schemes: [wss], responses: {}}}}\n",
                         NULL);
    expect_at(t, "/paths/~1a/get/servers", "[{\"url\":\"wss://api.example:8080/v2\"}]");
    expect_at(t, "/openapi", "\"3.0.3\"");
    expect_at(
        t, "/servers",
        "[{\"url\":\"https://api.example:8080/v2\"},{\"url\":\"http://api.example:8080/v2\"}]");
    cJSON_Delete(t);
    t = translate(HEAD "basePath: /v2\npaths: {}\n", NULL);
    expect_at(t, "/servers", "[{\"url\":\"/v2\"}]");
    cJSON_Delete(t);
    t = translate(HEAD "host: h\npaths: {}\n", NULL);
    expect_at(t, "/servers", "[{\"url\":\"http://h\"}]");
    cJSON_Delete(t);
    t = translate(HEAD "paths: {}\n", NULL);
    assert_null(cJSON_GetObjectItem(t, "servers"));
    cJSON_Delete(t);
}

static void test_swagger2_body_parameter_becomes_request_body_per_consumes(void **state)
{
    (void)state;
    cJSON *t = translate(HEAD "consumes: [application/json, text/plain]\n"
                              "paths:\n  /a:\n    post:\n      parameters:\n"
                              "        - {name: thing, in: body, required: true, description: d,"
                              " schema: {$ref: '#/definitions/T'}}\n"
                              "      responses: {'204': {description: ok}}\n"
                              "    put:\n      consumes: [application/xml]\n      parameters:\n"
                              "        - {name: thing, in: body, schema: {type: string}}\n"
                              "      responses: {'204': {description: ok}}\n"
                              "definitions: {T: {type: object}}\n",
                         NULL);
    expect_at(t, "/paths/~1a/post/requestBody",
              "{\"description\":\"d\",\"required\":true,\"x-body-name\":\"thing\",\"content\":{"
              "\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/T\"}},"
              "\"text/plain\":{\"schema\":{\"$ref\":\"#/components/schemas/T\"}}}}");
    expect_at(t, "/paths/~1a/put/requestBody/content",
              "{\"application/xml\":{\"schema\":{\"type\":\"string\"}}}");
    assert_null(act_pointer_get(t, "/paths/~1a/post/parameters"));
    cJSON_Delete(t);
}

static void test_swagger2_form_data_becomes_urlencoded_or_multipart(void **state)
{
    (void)state;
    cJSON *losses = cJSON_CreateArray();
    cJSON *t =
        translate(HEAD "paths:\n  /f:\n    post:\n      parameters:\n"
                       "        - {name: a, in: formData, type: string, required: true,"
                       " allowEmptyValue: true}\n"
                       "        - {name: n, in: formData, type: array, items: {type: integer},"
                       " collectionFormat: multi}\n"
                       "      responses: {'204': {description: ok}}\n"
                       "  /u:\n    post:\n      parameters:\n"
                       "        - {name: f, in: formData, type: file, description: the file}\n"
                       "      responses: {'204': {description: ok}}\n"
                       "  /m:\n    post:\n      consumes: [multipart/form-data]\n"
                       "      parameters:\n        - {name: a, in: formData, type: string}\n"
                       "      responses: {'204': {description: ok}}\n",
                  losses);
    expect_at(t, "/paths/~1f/post/requestBody",
              "{\"content\":{\"application/x-www-form-urlencoded\":{\"schema\":{\"type\":"
              "\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"n\":{\"type\":\"array\","
              "\"items\":{\"type\":\"integer\"}}},\"required\":[\"a\"]},\"encoding\":{\"n\":{"
              "\"style\":\"form\",\"explode\":true}}}},\"required\":true}");
    expect_at(t, "/paths/~1u/post/requestBody/content",
              "{\"multipart/form-data\":{\"schema\":{\"type\":\"object\",\"properties\":{\"f\":{"
              "\"type\":\"string\",\"format\":\"binary\",\"description\":\"the file\"}}}}}");
    assert_non_null(act_pointer_get(t, "/paths/~1m/post/requestBody/content/multipart~1form-data"));
    /* allowEmptyValue of a form field has no 3.0 form */
    assert_int_equal(cJSON_GetArraySize(losses), 1);
    expect_at(losses, "/0/pointer", "\"/paths/~1f/post/parameters/0/allowEmptyValue\"");
    cJSON_Delete(losses);
    cJSON_Delete(t);
}

static void test_swagger2_collection_formats_become_style_and_explode(void **state)
{
    (void)state;
    cJSON *losses = cJSON_CreateArray();
    cJSON *t = translate(
        HEAD "paths:\n  /q/{p}:\n    get:\n      parameters:\n"
             "        - {name: c, in: query, type: array, items: {type: string}}\n"
             "        - {name: s, in: query, type: array, items: {type: string},"
             " collectionFormat: ssv}\n"
             "        - {name: i, in: query, type: array, items: {type: string},"
             " collectionFormat: pipes}\n"
             "        - {name: m, in: query, type: array, items: {type: string},"
             " collectionFormat: multi}\n"
             "        - {name: t, in: query, type: array, items: {type: string},"
             " collectionFormat: tsv}\n"
             "        - {name: p, in: path, required: true, type: array, items: {type: string},"
             " collectionFormat: pipes}\n"
             "      responses: {'204': {description: ok}}\n",
        losses);
    const char *base = "/paths/~1q~1{p}/get/parameters";
    char p[128];
    static const char *const want[][2] = {{"form", "false"},
                                          {"spaceDelimited", "false"},
                                          {"pipeDelimited", "false"},
                                          {"form", "true"},
                                          {"form", "false"}};
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof(p), "%s/%d/style", base, i);
        char w[64];
        snprintf(w, sizeof(w), "\"%s\"", want[i][0]);
        expect_at(t, p, w);
        snprintf(p, sizeof(p), "%s/%d/explode", base, i);
        expect_at(t, p, want[i][1]);
    }
    expect_at(t, "/paths/~1q~1{p}/get/parameters/4/x-collectionFormat", "\"tsv\"");
    expect_at(t, "/paths/~1q~1{p}/get/parameters/0/schema",
              "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
    assert_null(act_pointer_get(t, "/paths/~1q~1{p}/get/parameters/5/style"));
    /* tsv and a path parameter's pipes are what 3.0 cannot say */
    assert_int_equal(cJSON_GetArraySize(losses), 2);
    expect_at(losses, "/0/pointer", "\"/paths/~1q~1{p}/get/parameters/4/collectionFormat\"");
    expect_at(losses, "/1/pointer", "\"/paths/~1q~1{p}/get/parameters/5/collectionFormat\"");
    assert_non_null(
        strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(losses, 0), "lost")->valuestring, "tab"));
    assert_true(*cJSON_GetObjectItem(cJSON_GetArrayItem(losses, 0), "done")->valuestring);
    cJSON_Delete(losses);
    cJSON_Delete(t);
}

static void test_swagger2_top_level_sections_become_components_and_refs_follow(void **state)
{
    (void)state;
    cJSON *t = translate(
        HEAD "paths:\n  /a:\n    post:\n      parameters:\n"
             "        - $ref: '#/parameters/Limit'\n        - $ref: '#/parameters/Body'\n"
             "      responses:\n        '200': {$ref: '#/responses/Ok'}\n"
             "parameters:\n  Limit: {name: limit, in: query, type: integer, maximum: 9}\n"
             "  Body: {name: b, in: body, schema: {$ref: '#/definitions/T'}}\n"
             "responses:\n  Ok: {description: fine, schema: {$ref: '#/definitions/T'}}\n"
             "definitions:\n  T: {type: object, properties: {next: {$ref: '#/definitions/T'}}}\n",
        NULL);
    expect_at(t, "/paths/~1a/post/parameters", "[{\"$ref\":\"#/components/parameters/Limit\"}]");
    expect_at(t, "/paths/~1a/post/requestBody", "{\"$ref\":\"#/components/requestBodies/Body\"}");
    expect_at(t, "/paths/~1a/post/responses/200", "{\"$ref\":\"#/components/responses/Ok\"}");
    expect_at(
        t, "/components/parameters/Limit",
        "{\"name\":\"limit\",\"in\":\"query\",\"schema\":{\"type\":\"integer\",\"maximum\":9}}");
    expect_at(t, "/components/requestBodies/Body/content/application~1json/schema/$ref",
              "\"#/components/schemas/T\"");
    expect_at(t, "/components/responses/Ok",
              "{\"description\":\"fine\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":"
              "\"#/components/schemas/T\"}}}}");
    expect_at(t, "/components/schemas/T/properties/next/$ref", "\"#/components/schemas/T\"");
    cJSON_Delete(t);
}

static void test_swagger2_path_level_and_referenced_form_and_body_parameters(void **state)
{
    (void)state;
    cJSON *t = translate(
        HEAD "paths:\n  /a/{id}:\n    parameters:\n"
             "      - {name: id, in: path, required: true, type: string}\n"
             "      - {name: b, in: body, schema: {type: integer}}\n"
             "    put:\n      responses: {'204': {description: ok}}\n"
             "    post:\n      parameters:\n        - {name: b, in: body, schema: {type: string}}\n"
             "      responses: {'204': {description: ok}}\n"
             "  /f:\n    post:\n      parameters:\n        - $ref: '#/parameters/F'\n"
             "      responses: {'204': {description: ok}}\n"
             "parameters:\n  F: {name: f, in: formData, type: string, required: true}\n",
        NULL);
    /* the path's body applies to put; post's own body wins; the path parameter stays put */
    expect_at(t, "/paths/~1a~1{id}/put/requestBody/content/application~1json/schema",
              "{\"type\":\"integer\"}");
    expect_at(t, "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema",
              "{\"type\":\"string\"}");
    expect_at(t, "/paths/~1a~1{id}/parameters",
              "[{\"name\":\"id\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":"
              "\"string\"}}]");
    assert_null(act_pointer_get(t, "/paths/~1a~1{id}/put/parameters"));
    /* a formData parameter of the top level is inlined where it is used */
    expect_at(t, "/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema",
              "{\"type\":\"object\",\"properties\":{\"f\":{\"type\":\"string\"}},"
              "\"required\":[\"f\"]}");
    assert_null(act_pointer_get(t, "/components/parameters/F"));
    cJSON_Delete(t);
}

static void test_swagger2_responses_get_content_headers_and_examples_by_media_type(void **state)
{
    (void)state;
    cJSON *t = translate(HEAD "produces: [application/json]\n"
                              "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
                              "          description: ok\n          schema: {type: string}\n"
                              "          headers: {X-N: {type: array, items: {type: integer}}}\n"
                              "          examples: {application/json: hi, text/plain: there}\n"
                              "    delete:\n      produces: [text/csv]\n      responses:\n"
                              "        '200': {description: gone, schema: {type: string}}\n"
                              "        '404': {description: none}\n",
                         NULL);
    expect_at(t, "/paths/~1a/get/responses/200",
              "{\"description\":\"ok\",\"headers\":{\"X-N\":{\"schema\":{\"type\":\"array\","
              "\"items\":{\"type\":\"integer\"}}}},\"content\":{\"application/json\":{\"schema\":{"
              "\"type\":\"string\"},\"example\":\"hi\"},\"text/plain\":{\"schema\":{\"type\":"
              "\"string\"},\"example\":\"there\"}}}");
    expect_at(t, "/paths/~1a/delete/responses",
              "{\"200\":{\"description\":\"gone\",\"content\":{\"text/csv\":{\"schema\":{\"type\":"
              "\"string\"}}}},\"404\":{\"description\":\"none\"}}");
    cJSON_Delete(t);
}

static void test_swagger2_security_definitions_become_security_schemes(void **state)
{
    (void)state;
    cJSON *t = translate(
        HEAD "paths: {}\nsecurityDefinitions:\n  b: {type: basic, description: d}\n"
             "  k: {type: apiKey, name: X-Key, in: header}\n"
             "  i: {type: oauth2, flow: implicit, authorizationUrl: 'https://a/auth',"
             " scopes: {r: read}}\n"
             "  p: {type: oauth2, flow: password, tokenUrl: 'https://a/token', scopes: {}}\n"
             "  c: {type: oauth2, flow: application, tokenUrl: 'https://a/token'}\n"
             "  x: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a/auth',"
             " tokenUrl: 'https://a/token', scopes: {w: write}}\n",
        NULL);
    expect_at(t, "/components/securitySchemes/b",
              "{\"type\":\"http\",\"scheme\":\"basic\",\"description\":\"d\"}");
    expect_at(t, "/components/securitySchemes/k",
              "{\"type\":\"apiKey\",\"name\":\"X-Key\",\"in\":\"header\"}");
    expect_at(
        t, "/components/securitySchemes/i/flows",
        "{\"implicit\":{\"authorizationUrl\":\"https://a/auth\",\"scopes\":{\"r\":\"read\"}}}");
    expect_at(t, "/components/securitySchemes/p/flows",
              "{\"password\":{\"tokenUrl\":\"https://a/token\",\"scopes\":{}}}");
    expect_at(t, "/components/securitySchemes/c/flows",
              "{\"clientCredentials\":{\"tokenUrl\":\"https://a/token\",\"scopes\":{}}}");
    expect_at(t, "/components/securitySchemes/x/flows",
              "{\"authorizationCode\":{\"authorizationUrl\":\"https://a/auth\",\"tokenUrl\":"
              "\"https://a/token\",\"scopes\":{\"w\":\"write\"}}}");
    cJSON_Delete(t);
}

static void test_swagger2_schema_keywords_nullable_discriminator_and_file(void **state)
{
    (void)state;
    cJSON *t = translate(HEAD "paths: {}\ndefinitions:\n  A:\n    type: object\n"
                              "    discriminator: kind\n    properties:\n"
                              "      kind: {type: string}\n"
                              "      n: {type: string, x-nullable: true, readOnly: true}\n"
                              "      f: {type: file}\n"
                              "      type: {type: string, example: {type: file}}\n",
                         NULL);
    expect_at(t, "/components/schemas/A/discriminator", "{\"propertyName\":\"kind\"}");
    expect_at(t, "/components/schemas/A/properties/n",
              "{\"type\":\"string\",\"nullable\":true,\"readOnly\":true}");
    expect_at(t, "/components/schemas/A/properties/f",
              "{\"type\":\"string\",\"format\":\"binary\"}");
    /* a property named type, and values, are not keywords */
    expect_at(t, "/components/schemas/A/properties/type",
              "{\"type\":\"string\",\"example\":{\"type\":\"file\"}}");
    cJSON_Delete(t);
}

static void test_swagger2_the_petstore_loses_nothing(void **state)
{
    (void)state;
    struct act_doc *doc = NULL;
    struct act_error err;
    cJSON *out = NULL, *losses = cJSON_CreateArray();
    act_error_init(&err);
    assert_int_equal(act_doc_load("specs/petstore-v2.json", ACT_DOC_AUTO, &doc, &err), ACT_OK);
    assert_int_equal(act_swagger2_to_oas30(doc, &out, losses, &err), ACT_OK);
    assert_int_equal(cJSON_GetArraySize(losses), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "paths")), 14);
    cJSON_Delete(out);
    /* the multi-file spec's tsv parameter is its one loss */
    act_doc_free(doc);
    assert_int_equal(act_doc_load("specs/multifile-v2/swagger.yaml", ACT_DOC_AUTO, &doc, &err),
                     ACT_OK);
    assert_int_equal(act_swagger2_to_oas30(doc, &out, losses, &err), ACT_OK);
    assert_int_equal(cJSON_GetArraySize(losses), 1);
    expect_at(losses, "/0/pointer", "\"/paths/~1items/get/parameters/2/collectionFormat\"");
    cJSON_Delete(out);
    cJSON_Delete(losses);
    act_doc_free(doc);
}

static void test_swagger2_invalid_documents_are_positioned_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
        int line, col;
    } cases[] = {
        {HEAD "paths: []\n", "\"paths\" must be an object", 3, 8},
        {HEAD "paths:\n  /a:\n    get:\n      parameters: [{in: query}]\n",
         "parameter without \"name\" and \"in\"", 6, 20},
        {HEAD "paths: {}\nsecurityDefinitions:\n  o: {type: oauth2, flow: magic}\n",
         "without a known \"flow\"", 5, 6},
        {"swagger: '2.1'\npaths: {}\n", "not a Swagger 2.0 document", 1, 10},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct act_doc *doc = must_parse("bad.yaml", cases[i].text, ACT_DOC_YAML);
        struct act_error err;
        cJSON *out = (cJSON *)1;
        act_error_init(&err);
        assert_int_equal(act_swagger2_to_oas30(doc, &out, NULL, &err), ACT_ERR_INVALID);
        assert_null(out);
        if (!strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].msg);
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.col, cases[i].col);
        act_doc_free(doc);
    }
}

static void test_swagger2_positions_of_translated_nodes_are_in_the_2_0_file(void **state)
{
    (void)state;
    struct act_spec *s = NULL;
    struct act_error err;
    int line, col;
    act_error_init(&err);
    write_file("v2pos.yaml", HEAD "host: h\n"                   /* 3 */
                                  "paths:\n"                    /* 4 */
                                  "  /a/{id}:\n"                /* 5 */
                                  "    post:\n"                 /* 6 */
                                  "      parameters:\n"         /* 7 */
                                  "        - name: b\n"         /* 8 */
                                  "          in: body\n"        /* 9 */
                                  "          schema:\n"         /* 10 */
                                  "            type: string\n"  /* 11 */
                                  "        - name: id\n"        /* 12 */
                                  "          in: path\n"        /* 13 */
                                  "          type: integer\n"   /* 14 */
                                  "      responses:\n"          /* 15 */
                                  "        '200':\n"            /* 16 */
                                  "          description: ok\n" /* 17 */
                                  "          schema:\n"         /* 18 */
                                  "            minimum: 3\n"    /* 19 */
                                  "definitions:\n"              /* 20 */
                                  "  D:\n"                      /* 21 */
                                  "    maxLength: 4\n");        /* 22 */
    assert_int_equal(act_spec_load("v2pos.yaml", 0, &s, &err), ACT_OK);
    assert_string_equal(s->openapi, "3.0.3");
    static const struct {
        const char *pointer;
        int line;
    } cases[] = {
        {"/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/type", 11},
        {"/paths/~1a~1{id}/post/parameters/0/schema/type", 14},
        {"/paths/~1a~1{id}/post/parameters/0/in", 13},
        {"/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/minimum", 19},
        {"/paths/~1a~1{id}/post/responses/200/description", 17},
        {"/components/schemas/D/maxLength", 22},
        {"/servers/0/url", 3},
        {"/openapi", 1},
    };
    /* twice: the second round goes through the position index */
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            if (!act_doc_locate(s->doc, cases[i].pointer, &line, &col))
                fail_msg("%s: not found", cases[i].pointer);
            if (line != cases[i].line)
                fail_msg("%s: line %d, want %d", cases[i].pointer, line, cases[i].line);
        }
    }
    /* the pointer a message shows is the 2.0 node's */
    struct act_buf shown;
    act_buf_init(&shown);
    assert_int_equal(act_doc_source_pointer(
                         s->doc,
                         "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/type",
                         &shown),
                     ACT_OK);
    assert_string_equal(shown.data, "/paths/~1a~1{id}/post/parameters/0/schema/type");
    assert_int_equal(act_doc_source_pointer(s->doc, "/components/schemas/D/nope", &shown), ACT_OK);
    assert_string_equal(shown.data, "/definitions/D");
    act_buf_release(&shown);
    act_spec_free(s);
    unlink("v2pos.yaml");
    /* JSON: the index is built over the 2.0 tree */
    assert_int_equal(act_spec_load("specs/petstore-v2.json", 0, &s, &err), ACT_OK);
    for (int i = 0; i < 12; i++) {
        assert_true(act_doc_locate(s->doc, "/components/schemas/Pet/required", &line, &col));
        const cJSON *src_line = NULL;
        (void)src_line;
        char *nl = s->doc->text;
        for (int k = 1; k < line; k++)
            nl = strchr(nl, '\n') + 1;
        assert_int_equal(strncmp(nl + col - 1, "[", 1), 0);
        assert_non_null(strstr(nl - 40, "\"required\""));
    }
    act_spec_free(s);
}

static void test_swagger2_other_files_get_their_schemas_rewritten_in_place(void **state)
{
    (void)state;
    struct act_spec *s = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_spec_load("specs/multifile-v2/swagger.yaml", 0, &s, &err), ACT_OK);
    const struct act_op *op = act_spec_find_op(s, "getItem");
    assert_non_null(op);
    const cJSON *ref = act_pointer_get(op->responses, "/200/content/application~1json/schema");
    struct act_node n;
    assert_int_equal(act_ref_deref(s->docs, (struct act_node){s->doc, ref}, &n, &err), ACT_OK);
    /* Part: allOf [Item (a local ref, kept), ...] */
    assert_string_equal(act_pointer_get(n.node, "/allOf/0/$ref")->valuestring,
                        "#/definitions/Item");
    const cJSON *item = act_pointer_get(n.doc->root, "/definitions/Item");
    expect_at(item, "/discriminator/propertyName", "\"kind\"");
    expect_at(item, "/discriminator/mapping/Part", "\"#/definitions/Part\"");
    expect_at(item, "/properties/note/nullable", "true");
    /* a ref back into the root's definitions follows them to components */
    expect_at(item, "/properties/problem/$ref", "\"swagger.yaml#/components/schemas/Problem\"");
    struct act_node p;
    assert_int_equal(
        act_ref_deref(s->docs,
                      (struct act_node){n.doc, act_pointer_get(item, "/properties/problem")}, &p,
                      &err),
        ACT_OK);
    assert_ptr_equal(p.doc, s->doc);
    act_spec_free(s);
}

static void test_swagger2_tsv_arrays_are_joined_with_tabs(void **state)
{
    (void)state;
    struct act_spec *s = NULL;
    struct act_error err;
    struct act_param *ps = NULL;
    size_t n;
    act_error_init(&err);
    assert_int_equal(act_spec_load("specs/multifile-v2/swagger.yaml", 0, &s, &err), ACT_OK);
    assert_int_equal(act_spec_op_params(s, act_spec_find_op(s, "listItems"), &ps, &n, &err),
                     ACT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ps[2].name, "fields");
    struct act_param_codec c;
    assert_int_equal(act_param_codec_init(s->docs, &ps[2], &c, &err), ACT_OK);
    cJSON *v = cJSON_Parse("[\"a\",\"b c\"]");
    struct act_buf out, q;
    act_buf_init(&out);
    act_buf_init(&q);
    assert_int_equal(act_param_serialize(&c, v, &out, &q), ACT_OK);
    assert_string_equal(q.data, "fields=a%09b%20c");
    act_buf_release(&out);
    act_buf_release(&q);
    cJSON_Delete(v);
    act_free(ps);
    act_spec_free(s);
}

static void test_swagger2_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    struct act_doc *doc = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_load("specs/petstore-v2.json", ACT_DOC_AUTO, &doc, &err), ACT_OK);
    for (long n = 1;; n++) {
        cJSON *out = NULL, *losses = cJSON_CreateArray();
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_swagger2_to_oas30(doc, &out, losses, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        cJSON_Delete(out);
        cJSON_Delete(losses);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d (%s)", n, st, err.msg);
        assert_null(out);
        assert_true(n < 1000000);
    }
    act_doc_free(doc);
    for (long n = 1;; n++) {
        struct act_spec *s = NULL;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_spec_load("specs/multifile-v2/swagger.yaml", 0, &s, &err);
        struct act_node t = {0};
        if (!st) {
            const cJSON *r =
                act_pointer_get(s->ops[2].responses, "/200/content/application~1json/schema");
            st = act_ref_deref(s->docs, (struct act_node){s->doc, r}, &t, &err);
        }
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_spec_free(s);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("load, allocation %ld: status %d (%s)", n, st, err.msg);
        assert_true(n < 1000000);
    }
    /* parameters and responses followed into another file, translated and as a spec */
    for (int spec = 0; spec < 2; spec++) {
        for (long n = 1;; n++) {
            struct act_spec *s = NULL;
            struct act_doc *d = NULL;
            cJSON *out = NULL;
            act_error_init(&err);
            enum act_status st =
                act_doc_load("tests/data/swagger2-shared/api.yaml", ACT_DOC_AUTO, &d, &err);
            assert_int_equal(st, ACT_OK);
            act_alloc_fail_after(n);
            st = spec ? act_spec_load("tests/data/swagger2-shared/api.yaml", 0, &s, &err)
                      : act_swagger2_to_oas30(d, &out, NULL, &err);
            long failed = act_alloc_failed();
            act_alloc_fail_after(0);
            act_spec_free(s);
            cJSON_Delete(out);
            act_doc_free(d);
            if (!failed) {
                assert_int_equal(st, ACT_OK);
                break;
            }
            if (st != ACT_ERR_NOMEM)
                fail_msg("shared, allocation %ld: status %d (%s)", n, st, err.msg);
            assert_true(n < 1000000);
        }
    }
}

static void test_swagger2_parameters_and_responses_of_other_files_are_translated(void **state)
{
    (void)state;
    struct act_doc *doc = NULL;
    struct act_error err;
    cJSON *out = NULL, *losses = cJSON_CreateArray();
    act_error_init(&err);
    /* act_swagger2_to_oas30 (no docset of the caller's): the shared file is loaded */
    assert_int_equal(act_doc_load("tests/data/swagger2-shared/api.yaml", ACT_DOC_AUTO, &doc, &err),
                     ACT_OK);
    assert_int_equal(act_swagger2_to_oas30(doc, &out, losses, &err), ACT_OK);
    assert_int_equal(cJSON_GetArraySize(losses), 0);
    expect_at(out, "/paths/~1widgets/get/parameters",
              "[{\"name\":\"offset\",\"in\":\"query\",\"schema\":{\"type\":\"integer\","
              "\"minimum\":0,\"maximum\":1000}}]");
    /* the shared body parameter is the request body; its local ref names its file */
    assert_null(act_pointer_get(out, "/paths/~1widgets/post/parameters"));
    expect_at(out, "/paths/~1widgets/post/requestBody/x-body-name", "\"widget\"");
    expect_at(out, "/paths/~1widgets/post/requestBody/required", "true");
    expect_at(out, "/paths/~1widgets/post/requestBody/content/application~1json/schema",
              "{\"$ref\":\"shared/common.yaml#/definitions/Widget\"}");
    /* the shared response has content by produces; its ref back into the root follows the
     * root's definitions to components */
    expect_at(out, "/paths/~1widgets/post/responses/409/content/application~1json/schema",
              "{\"$ref\":\"#/components/schemas/Problem\"}");
    expect_at(out, "/paths/~1widgets/post/responses/409/headers/X-Existing/schema",
              "{\"type\":\"integer\"}");
    /* the shared formData parameter is a property of the form body */
    expect_at(out,
              "/paths/~1widgets~1{id}~1label/post/requestBody/content/"
              "application~1x-www-form-urlencoded/schema/properties/label",
              "{\"type\":\"string\",\"minLength\":1}");
    cJSON_Delete(out);
    cJSON_Delete(losses);
    act_doc_free(doc);

    /* loaded as a spec: the shared file read through the spec's docset, its schemas
     * rewritten as every other file's, and positions at the $ref */
    struct act_spec *s = NULL;
    assert_int_equal(act_spec_load("tests/data/swagger2-shared/api.yaml", 0, &s, &err), ACT_OK);
    const struct act_op *op = act_spec_find_op(s, "createWidget");
    assert_non_null(op);
    const cJSON *ref = act_pointer_get(s->doc->root, "/paths/~1widgets/post/requestBody/content/"
                                                     "application~1json/schema");
    struct act_node n;
    assert_int_equal(act_ref_deref(s->docs, (struct act_node){s->doc, ref}, &n, &err), ACT_OK);
    expect_at(n.node, "/properties/color/nullable", "true");
    int line, col;
    assert_true(act_doc_locate(s->doc, "/paths/~1widgets/post/requestBody/content", &line, &col));
    assert_int_equal(line, 30); /* the $ref in the operation's parameters */
    act_spec_free(s);
}

static void test_swagger2_refs_of_a_file_in_another_directory_are_rebased(void **state)
{
    (void)state;
    char dir[] = "/tmp/act-sw2-XXXXXX", a[64], b[64], path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    assert_int_equal(mkdir(a, 0700), 0);
    assert_int_equal(mkdir(b, 0700), 0);
    snprintf(path, sizeof(path), "%s/api.yaml", a);
    write_file(path, HEAD "paths:\n  /x:\n    post:\n      parameters:\n"
                          "        - $ref: '../b/c.yaml#/parameters/B'\n"
                          "        - $ref: '../b/c.yaml#/parameters/Chain'\n"
                          "      responses:\n        '200': {$ref: '../b/c.yaml#/responses/R'}\n"
                          "definitions:\n  Root: {type: string}\n");
    char cpath[128];
    snprintf(cpath, sizeof(cpath), "%s/c.yaml", b);
    write_file(cpath, "parameters:\n"
                      "  B: {name: b, in: body, schema: {$ref: '#/definitions/W'}}\n"
                      "  Chain: {$ref: '#/parameters/Q'}\n"
                      "  Q: {name: q, in: header, type: array, items: {type: string},"
                      " collectionFormat: pipes}\n"
                      "responses:\n"
                      "  R:\n    description: r\n    schema:\n"
                      "      properties:\n"
                      "        d: {$ref: 'd.yaml#/D'}\n"
                      "        root: {$ref: '../a/api.yaml#/definitions/Root'}\n"
                      "        u: {$ref: 'https://example.test/s.json'}\n"
                      "        e: {example: {$ref: '#/not/a/ref'}}\n"
                      "definitions:\n  W: {type: object}\n");
    struct act_doc *doc = NULL;
    struct act_error err;
    cJSON *out = NULL, *losses = cJSON_CreateArray();
    act_error_init(&err);
    assert_int_equal(act_doc_load(path, ACT_DOC_AUTO, &doc, &err), ACT_OK);
    assert_int_equal(act_swagger2_to_oas30(doc, &out, losses, &err), ACT_OK);
    expect_at(out, "/paths/~1x/post/requestBody/content/application~1json/schema/$ref",
              "\"../b/c.yaml#/definitions/W\"");
    /* a chain in the other file is followed to a parameter; its loss stands at the $ref */
    expect_at(out, "/paths/~1x/post/parameters/0/name", "\"q\"");
    expect_at(losses, "/0/pointer", "\"/paths/~1x/post/parameters/1/collectionFormat\"");
    const char *props = "/paths/~1x/post/responses/200/content/application~1json/schema/"
                        "properties";
    char p[256];
    snprintf(p, sizeof(p), "%s/d/$ref", props);
    expect_at(out, p, "\"../b/d.yaml#/D\"");
    snprintf(p, sizeof(p), "%s/root/$ref", props);
    expect_at(out, p, "\"#/components/schemas/Root\"");
    snprintf(p, sizeof(p), "%s/u/$ref", props);
    expect_at(out, p, "\"https://example.test/s.json\"");
    snprintf(p, sizeof(p), "%s/e/example/$ref", props);
    expect_at(out, p, "\"#/not/a/ref\"");
    cJSON_Delete(out);
    cJSON_Delete(losses);
    act_doc_free(doc);
    /* the root's own parameters may be refs into another file: they are translated under
     * their names, a body one as a request body, a formData one inline */
    write_file(path, HEAD "paths:\n  /x:\n    post:\n      parameters:\n"
                          "        - $ref: '#/parameters/Q'\n"
                          "        - $ref: '#/parameters/B'\n"
                          "      responses: {}\n"
                          "  /y:\n    post:\n      parameters:\n"
                          "        - $ref: '#/parameters/F'\n"
                          "      responses: {}\n"
                          "parameters:\n"
                          "  Q: {$ref: '../b/c.yaml#/parameters/Q'}\n"
                          "  B: {$ref: '../b/c.yaml#/parameters/B'}\n"
                          "  F: {$ref: '../b/c.yaml#/parameters/F'}\n"
                          "  N: {$ref: '../b/nope.yaml#/parameters/N'}\n");
    write_file(cpath, "parameters:\n"
                      "  B: {name: b, in: body, schema: {$ref: '#/definitions/W'}}\n"
                      "  Q: {name: q, in: query, type: string}\n"
                      "  F: {name: f, in: formData, type: integer}\n"
                      "definitions:\n  W: {type: object}\n");
    assert_int_equal(act_doc_load(path, ACT_DOC_AUTO, &doc, &err), ACT_OK);
    assert_int_equal(act_swagger2_to_oas30(doc, &out, NULL, &err), ACT_OK);
    expect_at(out, "/paths/~1x/post/parameters", "[{\"$ref\":\"#/components/parameters/Q\"}]");
    expect_at(out, "/paths/~1x/post/requestBody", "{\"$ref\":\"#/components/requestBodies/B\"}");
    expect_at(out, "/components/parameters/Q",
              "{\"name\":\"q\",\"in\":\"query\",\"schema\":{\"type\":\"string\"}}");
    expect_at(out, "/components/requestBodies/B/content/application~1json/schema/$ref",
              "\"../b/c.yaml#/definitions/W\"");
    expect_at(out,
              "/paths/~1y/post/requestBody/content/application~1x-www-form-urlencoded/schema/"
              "properties/f",
              "{\"type\":\"integer\"}");
    /* one that cannot be followed is kept as written */
    expect_at(out, "/components/parameters/N", "{\"$ref\":\"../b/nope.yaml#/parameters/N\"}");
    cJSON_Delete(out);
    act_doc_free(doc);
    unlink(path);
    unlink(cpath);
    rmdir(a);
    rmdir(b);
    rmdir(dir);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swagger2_host_base_path_and_schemes_become_servers),
        cmocka_unit_test(test_swagger2_body_parameter_becomes_request_body_per_consumes),
        cmocka_unit_test(test_swagger2_form_data_becomes_urlencoded_or_multipart),
        cmocka_unit_test(test_swagger2_collection_formats_become_style_and_explode),
        cmocka_unit_test(test_swagger2_top_level_sections_become_components_and_refs_follow),
        cmocka_unit_test(test_swagger2_path_level_and_referenced_form_and_body_parameters),
        cmocka_unit_test(test_swagger2_responses_get_content_headers_and_examples_by_media_type),
        cmocka_unit_test(test_swagger2_security_definitions_become_security_schemes),
        cmocka_unit_test(test_swagger2_schema_keywords_nullable_discriminator_and_file),
        cmocka_unit_test(test_swagger2_the_petstore_loses_nothing),
        cmocka_unit_test(test_swagger2_invalid_documents_are_positioned_errors),
        cmocka_unit_test(test_swagger2_positions_of_translated_nodes_are_in_the_2_0_file),
        cmocka_unit_test(test_swagger2_other_files_get_their_schemas_rewritten_in_place),
        cmocka_unit_test(test_swagger2_tsv_arrays_are_joined_with_tabs),
        cmocka_unit_test(test_swagger2_parameters_and_responses_of_other_files_are_translated),
        cmocka_unit_test(test_swagger2_refs_of_a_file_in_another_directory_are_rebased),
        cmocka_unit_test(test_swagger2_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
