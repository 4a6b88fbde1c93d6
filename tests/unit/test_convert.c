/*
 * test_convert.c - parser/convert.h: each rule of 3.1 -> 3.0 with the pointer of its
 * loss, the document-level rules, 3.0 -> 3.1 (exact, and back again), whole specs
 * (bundled, version detection), the 3.0 validator's verdicts on converted schemas
 * against those 2020-12 gives, and an OOM sweep.
 */
#include "unit.h"

#include "parser/convert.h"
#include "parser/pointer.h"
#include "validator/validate.h"

static cJSON *parse(const char *json)
{
    cJSON *v = cJSON_Parse(json);
    if (!v)
        fail_msg("bad JSON in the test: %s", json);
    return v;
}

/* The pointers of losses joined by "|", with "/components/schemas/S" shown as "S". */
static void pointers(const cJSON *losses, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const cJSON *l = losses->child; l; l = l->next) {
        const char *p = cJSON_GetObjectItemCaseSensitive(l, "pointer")->valuestring;
        if (strncmp(p, "/components/schemas/S", 21) == 0)
            n += (size_t)snprintf(buf + n, size - n, "%sS%s", n ? "|" : "", p + 21);
        else
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "|" : "", p);
        assert_true(n < size);
        assert_non_null(cJSON_GetObjectItemCaseSensitive(l, "done"));
        assert_non_null(cJSON_GetObjectItemCaseSensitive(l, "lost"));
    }
}

static void assert_json_equal(const cJSON *got, const char *want_json)
{
    cJSON *want = parse(want_json);
    if (!cJSON_Compare(got, want, 1)) {
        char *g = cJSON_PrintUnformatted(got);
        fail_msg("got  %s\nwant %s", g, want_json);
    }
    cJSON_Delete(want);
}

/* Convert document text 3.1 -> 3.0: the output's node at ptr must be want, the losses'
 * pointers want_losses. */
static void down_doc(const char *doc, const char *ptr, const char *want, const char *want_losses)
{
    cJSON *in = parse(doc), *out = NULL, *losses = cJSON_CreateArray();
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_convert_31_to_30(in, "t.json", &out, losses, &err), ACT_OK);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(out, "openapi")->valuestring, "3.0.3");
    const cJSON *node = act_pointer_get(out, ptr);
    if (!node)
        fail_msg("no %s in the output", ptr);
    assert_json_equal(node, want);
    char got[2048];
    pointers(losses, got, sizeof(got));
    assert_string_equal(got, want_losses);
    cJSON_Delete(in);
    cJSON_Delete(out);
    cJSON_Delete(losses);
}

/* A 3.1 document whose only schema is components/schemas/S = schema. */
static void down(const char *schema, const char *want, const char *want_losses)
{
    char doc[4096];
    snprintf(doc, sizeof(doc),
             "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
             " \"paths\": {}, \"components\": {\"schemas\": {\"S\": %s}}}",
             schema);
    down_doc(doc, "/components/schemas/S", want, want_losses);
}

static void test_type_arrays_become_nullable_or_any_of(void **state)
{
    (void)state;
    down("{\"type\": [\"string\", \"null\"]}", "{\"type\": \"string\", \"nullable\": true}",
         "S/type");
    down("{\"type\": [\"string\", \"integer\"], \"minLength\": 2}",
         "{\"minLength\": 2, \"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}",
         "S/type");
    down("{\"type\": [\"string\", \"integer\", \"null\"]}",
         "{\"anyOf\": [{\"type\": \"string\", \"nullable\": true}, {\"type\": \"integer\"}]}",
         "S/type");
    /* integer is a number */
    down("{\"type\": [\"integer\", \"number\", \"null\"]}",
         "{\"type\": \"number\", \"nullable\": true}", "S/type");
    down("{\"type\": \"null\"}", "{\"enum\": [null]}", "S/type");
    /* an anyOf already there: the types join allOf */
    down("{\"type\": [\"string\", \"boolean\"], \"anyOf\": [{\"minLength\": 1}]}",
         "{\"anyOf\": [{\"minLength\": 1}], \"allOf\": [{\"anyOf\": [{\"type\": \"string\"},"
         " {\"type\": \"boolean\"}]}]}",
         "S/type");
    down("{\"type\": \"string\"}", "{\"type\": \"string\"}", "");
}

static void test_const_and_bounds_are_rewritten_exactly(void **state)
{
    (void)state;
    down("{\"const\": \"pet\"}", "{\"enum\": [\"pet\"]}", "S/const");
    down("{\"enum\": [\"a\", \"pet\"], \"const\": \"pet\"}", "{\"enum\": [\"pet\"]}", "S/const");
    down("{\"type\": \"integer\", \"exclusiveMinimum\": 0, \"exclusiveMaximum\": 10}",
         "{\"type\": \"integer\", \"exclusiveMinimum\": true, \"exclusiveMaximum\": true,"
         " \"minimum\": 0, \"maximum\": 10}",
         "S/exclusiveMinimum|S/exclusiveMaximum");
    /* the inclusive bound is stricter: the exclusive one goes */
    down("{\"minimum\": 5, \"exclusiveMinimum\": 1}", "{\"minimum\": 5}", "S/exclusiveMinimum");
    down("{\"minimum\": 1, \"exclusiveMinimum\": 5}",
         "{\"minimum\": 5, \"exclusiveMinimum\": true}", "S/exclusiveMinimum");
}

static void test_array_keywords(void **state)
{
    (void)state;
    down("{\"type\": \"array\", \"prefixItems\": [{\"type\": \"number\"}, {\"type\": \"string\"}],"
         " \"items\": false}",
         "{\"type\": \"array\", \"items\": {\"anyOf\": [{\"type\": \"number\"}, {\"type\": "
         "\"string\"}]}, \"maxItems\": 2}",
         "S/prefixItems");
    down("{\"prefixItems\": [{\"type\": \"number\"}, {\"type\": \"number\"}], \"items\": false}",
         "{\"items\": {\"type\": \"number\"}, \"maxItems\": 2}", "S/prefixItems");
    /* the rest of the items free: any item goes */
    down("{\"prefixItems\": [{\"type\": \"number\"}]}", "{\"items\": {}}", "S/prefixItems");
    down("{\"prefixItems\": [{\"type\": \"number\"}], \"items\": {\"type\": \"string\"}}",
         "{\"items\": {\"anyOf\": [{\"type\": \"number\"}, {\"type\": \"string\"}]}}",
         "S/prefixItems");
    down("{\"type\": \"array\", \"items\": {}, \"contains\": {\"type\": \"string\"}}",
         "{\"type\": \"array\", \"items\": {}, \"allOf\": [{\"not\": {\"items\": {\"not\": "
         "{\"type\": \"string\"}}}}]}",
         "S/contains");
    down("{\"contains\": {\"type\": \"string\"}, \"maxContains\": 2}",
         "{\"allOf\": [{\"anyOf\": [{\"not\": {\"type\": \"array\", \"items\": {}}}, {\"not\": "
         "{\"items\": {\"not\": {\"type\": \"string\"}}}}]}]}",
         "S/contains");
    down("{\"contains\": {\"type\": \"string\"}, \"minContains\": 0}", "{}", "S/contains");
    down("{\"unevaluatedItems\": {\"type\": \"string\"}}", "{\"items\": {\"type\": \"string\"}}",
         "S/unevaluatedItems");
    down("{\"items\": {\"type\": \"string\"}, \"unevaluatedItems\": false}",
         "{\"items\": {\"type\": \"string\"}}", "S/unevaluatedItems");
    /* a boolean schema: items: false is no item at all */
    down("{\"items\": false}", "{\"items\": {\"not\": {}}}", "S/items");
    down("{\"properties\": {\"a\": true}}", "{\"properties\": {\"a\": {}}}", "S/properties/a");
}

static void test_object_keywords(void **state)
{
    (void)state;
    down("{\"properties\": {\"a\": {}}, \"unevaluatedProperties\": false}",
         "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}",
         "S/unevaluatedProperties");
    down("{\"allOf\": [{\"properties\": {\"a\": {}}}], \"unevaluatedProperties\": false}",
         "{\"allOf\": [{\"properties\": {\"a\": {}}}]}", "S/unevaluatedProperties");
    down("{\"patternProperties\": {\"^x\": {\"type\": \"string\"}}, \"additionalProperties\": "
         "false}",
         "{\"additionalProperties\": {\"anyOf\": [{\"type\": \"string\"}]}}",
         "S/patternProperties");
    down("{\"patternProperties\": {\"^x\": {\"type\": \"string\"}}}", "{}", "S/patternProperties");
    down("{\"propertyNames\": {\"maxLength\": 3}}", "{}", "S/propertyNames");
    down("{\"dependentRequired\": {\"card\": [\"address\"]}}",
         "{\"allOf\": [{\"anyOf\": [{\"not\": {\"required\": [\"card\"]}}, {\"required\": "
         "[\"address\"]}]}]}",
         "S/dependentRequired");
    down("{\"dependentSchemas\": {\"card\": {\"required\": [\"address\"]}}}",
         "{\"allOf\": [{\"anyOf\": [{\"not\": {\"required\": [\"card\"]}}, {\"required\": "
         "[\"address\"]}]}]}",
         "S/dependentSchemas");
}

static void test_conditionals_refs_and_annotations(void **state)
{
    (void)state;
    down("{\"if\": {\"required\": [\"a\"]}, \"then\": {\"required\": [\"b\"]}, \"else\": "
         "{\"required\": [\"c\"]}}",
         "{\"allOf\": [{\"anyOf\": [{\"allOf\": [{\"required\": [\"a\"]}, {\"required\": "
         "[\"b\"]}]}, {\"allOf\": [{\"not\": {\"required\": [\"a\"]}}, {\"required\": "
         "[\"c\"]}]}]}]}",
         "S/if");
    down("{\"if\": {\"required\": [\"a\"]}, \"then\": {\"required\": [\"b\"]}}",
         "{\"allOf\": [{\"anyOf\": [{\"allOf\": [{\"required\": [\"a\"]}, {\"required\": "
         "[\"b\"]}]}, {\"not\": {\"required\": [\"a\"]}}]}]}",
         "S/if");
    down("{\"then\": {\"required\": [\"b\"]}}", "{}", "S/then");
    down("{\"$ref\": \"#/components/schemas/S\", \"required\": [\"id\"]}",
         "{\"required\": [\"id\"], \"allOf\": [{\"$ref\": \"#/components/schemas/S\"}]}", "S/$ref");
    down("{\"$ref\": \"#/components/schemas/S\", \"description\": \"d\"}",
         "{\"$ref\": \"#/components/schemas/S\", \"description\": \"d\"}", "S/$ref");
    down("{\"type\": \"array\", \"examples\": [[1], [2], [3]]}",
         "{\"type\": \"array\", \"example\": [1]}", "S/examples");
    down("{\"type\": \"string\", \"nullable\": true}", "{\"type\": \"string\"}", "S/nullable");
    down("{\"type\": \"string\", \"contentEncoding\": \"base64\", \"contentMediaType\": "
         "\"image/png\"}",
         "{\"type\": \"string\", \"format\": \"byte\"}", "S/contentEncoding|S/contentMediaType");
    down("{\"$id\": \"https://x.example/s\", \"$schema\": "
         "\"https://json-schema.org/draft/2020-12/schema\", \"$comment\": \"c\", \"type\": "
         "\"string\"}",
         "{\"type\": \"string\"}", "S/$schema|S/$id");
    down("{\"$dynamicRef\": \"#/components/schemas/S\"}", "{\"$ref\": \"#/components/schemas/S\"}",
         "S/$dynamicRef");
}

static void test_defs_move_to_components_and_refs_follow(void **state)
{
    (void)state;
    const char *doc =
        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},"
        " \"components\": {\"schemas\": {\"Tree\": {\"$defs\": {\"Node\": {\"type\": \"object\","
        " \"properties\": {\"kids\": {\"items\": {\"$ref\": "
        "\"#/components/schemas/Tree/$defs/Node\"}}}}, \"S\": {\"type\": \"string\"}},"
        " \"$ref\": \"#/components/schemas/Tree/$defs/Node\"}, \"S\": {\"type\": \"integer\"}}}}";
    down_doc(doc, "/components/schemas",
             "{\"Tree\": {\"$ref\": \"#/components/schemas/Node\"}, \"S\": {\"type\": "
             "\"integer\"}, \"Node\": {\"type\": \"object\", \"properties\": {\"kids\": "
             "{\"items\": {\"$ref\": \"#/components/schemas/Node\"}}}}, \"S_2\": {\"type\": "
             "\"string\"}}",
             "/components/schemas/Tree/$defs/Node|/components/schemas/Tree/$defs/S");
}

static void test_document_level_rules(void **state)
{
    (void)state;
    const char *doc =
        "{\"openapi\": \"3.1.1\", \"jsonSchemaDialect\": \"https://x.example/dialect\","
        " \"info\": {\"title\": \"t\", \"summary\": \"s\", \"version\": \"1\", \"license\": "
        "{\"name\": \"MIT\", \"identifier\": \"MIT\"}},"
        " \"security\": [{\"key\": [\"admin\"]}, {\"tls\": []}],"
        " \"paths\": {\"/a\": {\"$ref\": \"#/components/pathItems/A\", \"summary\": \"mine\"}},"
        " \"webhooks\": {\"w\": {}},"
        " \"components\": {\"pathItems\": {\"A\": {\"summary\": \"theirs\", \"get\": "
        "{\"operationId\": \"a\", \"parameters\": [{\"$ref\": \"#/components/parameters/P\", "
        "\"description\": \"d\"}]}}},"
        " \"parameters\": {\"P\": {\"name\": \"p\", \"in\": \"query\", \"schema\": {\"const\": "
        "1}}},"
        " \"securitySchemes\": {\"key\": {\"type\": \"apiKey\", \"name\": \"k\", \"in\": "
        "\"header\"}, \"tls\": {\"type\": \"mutualTLS\"}}}}";
    const char *losses = "/components/parameters/P/schema/const"
                         "|/components/pathItems/A/get/parameters/0/$ref"
                         "|/paths/~1a/$ref"
                         "|/info/summary|/info/license/identifier|/jsonSchemaDialect|/webhooks"
                         "|/security/0/key|/components/securitySchemes/tls"
                         "|/components/pathItems/A";
    down_doc(doc, "",
             "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\","
             " \"license\": {\"name\": \"MIT\", \"url\": \"https://spdx.org/licenses/MIT.html\"}},"
             " \"security\": [{\"key\": []}],"
             " \"paths\": {\"/a\": {\"summary\": \"mine\", \"get\": {\"operationId\": \"a\","
             " \"parameters\": [{\"name\": \"p\", \"in\": \"query\", \"schema\": {\"enum\": [1]}, "
             "\"description\": \"d\"}], \"responses\": {\"default\": {\"description\": \"any "
             "response\"}}}}},"
             " \"components\": {\"parameters\": {\"P\": {\"name\": \"p\", \"in\": \"query\","
             " \"schema\": {\"enum\": [1]}}}, \"securitySchemes\": {\"key\": {\"type\": "
             "\"apiKey\", \"name\": \"k\", \"in\": \"header\"}}}}",
             losses);
    /* no paths: 3.0 needs the object */
    down_doc("{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}}", "/paths",
             "{}", "");
}

/* 3.0 -> 3.1, then back: the document again. */
static void up_and_back(const char *doc30, const char *want31)
{
    cJSON *in = parse(doc30), *up = NULL, *back = NULL, *losses = cJSON_CreateArray();
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_convert_30_to_31(in, "t.json", &up, &err), ACT_OK);
    assert_json_equal(up, want31);
    assert_int_equal(act_convert_31_to_30(up, "t.json", &back, losses, &err), ACT_OK);
    cJSON_ReplaceItemInObjectCaseSensitive(back, "openapi",
                                           cJSON_Duplicate(cJSON_GetObjectItem(in, "openapi"), 1));
    if (!cJSON_Compare(in, back, 1)) {
        char *g = cJSON_PrintUnformatted(back);
        fail_msg("round trip gave %s", g);
    }
    cJSON_Delete(in);
    cJSON_Delete(up);
    cJSON_Delete(back);
    cJSON_Delete(losses);
}

static void test_30_to_31_is_exact_and_comes_back(void **state)
{
    (void)state;
    up_and_back("{\"openapi\": \"3.0.3\", \"paths\": {}, \"components\": {\"schemas\": {\"S\":"
                " {\"type\": \"string\", \"nullable\": true, \"example\": \"x\"},"
                " \"N\": {\"type\": \"integer\", \"minimum\": 0, \"exclusiveMinimum\": true,"
                " \"maximum\": 9}}}}",
                "{\"openapi\": \"3.1.0\", \"paths\": {}, \"components\": {\"schemas\": {\"S\":"
                " {\"type\": [\"string\", \"null\"], \"examples\": [\"x\"]},"
                " \"N\": {\"type\": \"integer\", \"exclusiveMinimum\": 0, \"maximum\": 9}}}}");
    /* what 3.0 ignored and 3.1 would evaluate goes; so do non-annotation $ref siblings */
    cJSON *in = parse("{\"openapi\": \"3.0.3\", \"paths\": {}, \"components\": {\"schemas\": "
                      "{\"S\": {\"const\": 1, \"type\": \"string\", \"exclusiveMaximum\": false,"
                      " \"nullable\": false}, \"R\": {\"$ref\": \"#/components/schemas/S\","
                      " \"description\": \"d\", \"type\": \"integer\"}}}}");
    cJSON *out = NULL;
    assert_int_equal(act_convert_30_to_31(in, "t", &out, NULL), ACT_OK);
    assert_json_equal(act_pointer_get(out, "/components/schemas"),
                      "{\"S\": {\"type\": \"string\"}, \"R\": {\"$ref\": "
                      "\"#/components/schemas/S\", \"description\": \"d\"}}");
    cJSON_Delete(in);
    cJSON_Delete(out);
    /* 3.0.0-3.0.2: nullable admits null whatever else the schema says */
    in = parse("{\"openapi\": \"3.0.1\", \"paths\": {}, \"components\": {\"schemas\": "
               "{\"E\": {\"type\": \"string\", \"nullable\": true, \"enum\": [\"a\"]},"
               " \"U\": {\"nullable\": true, \"description\": \"u\", \"allOf\": [{\"$ref\": "
               "\"#/components/schemas/E\"}]}}}}");
    assert_int_equal(act_convert_30_to_31(in, "t", &out, NULL), ACT_OK);
    assert_json_equal(act_pointer_get(out, "/components/schemas"),
                      "{\"E\": {\"type\": [\"string\", \"null\"], \"enum\": [\"a\", null]},"
                      " \"U\": {\"description\": \"u\", \"anyOf\": [{\"type\": \"null\"},"
                      " {\"allOf\": [{\"$ref\": \"#/components/schemas/E\"}]}]}}");
    cJSON_Delete(in);
    cJSON_Delete(out);
}

static void test_versions_and_whole_specs(void **state)
{
    (void)state;
    cJSON *v = parse("{\"swagger\": \"2.0\"}");
    assert_int_equal(act_oas_version_of(v), ACT_OAS_20);
    cJSON_Delete(v);
    v = parse("{\"openapi\": \"3.1.0\"}");
    assert_int_equal(act_oas_version_of(v), ACT_OAS_31);
    cJSON_Delete(v);
    v = parse("{\"openapi\": \"3.0.3\"}");
    assert_int_equal(act_oas_version_of(v), ACT_OAS_30);
    cJSON_Delete(v);
    v = parse("{\"openapi\": \"4.0\"}");
    assert_int_equal(act_oas_version_of(v), ACT_OAS_UNKNOWN);
    cJSON_Delete(v);

    /* a spec over files: one document, no $ref into another file */
    struct act_docset *ds;
    struct act_doc *doc;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_load("specs/multifile/api.yaml", ACT_DOC_AUTO, &doc, &err), ACT_OK);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, doc), ACT_OK);
    cJSON *out = NULL, *losses = cJSON_CreateArray();
    assert_int_equal(act_convert_spec(ds, (struct act_doc *)act_docset_get(ds, 0), ACT_OAS_31, &out,
                                      losses, &err),
                     ACT_OK);
    assert_string_equal(cJSON_GetObjectItem(out, "openapi")->valuestring, "3.1.0");
    assert_non_null(act_pointer_get(out, "/components/schemas/book.json"));
    assert_int_equal(cJSON_GetArraySize(losses), 0);
    char *text = cJSON_PrintUnformatted(out);
    assert_null(strstr(text, ".json#"));
    cJSON_free(text);
    cJSON_Delete(out);
    act_docset_free(ds);

    /* no known version: refused */
    doc = must_parse("x.json", "{\"openapi\": \"2.5\"}", ACT_DOC_JSON);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, doc), ACT_OK);
    act_error_init(&err);
    assert_int_equal(act_convert_spec(ds, (struct act_doc *)act_docset_get(ds, 0), ACT_OAS_30, &out,
                                      losses, &err),
                     ACT_ERR_UNSUPPORTED);
    assert_null(out);
    assert_non_null(strstr(err.msg, "not an OpenAPI"));
    act_docset_free(ds);
    cJSON_Delete(losses);

    /* not an object */
    v = parse("[1]");
    act_error_init(&err);
    assert_int_equal(act_convert_31_to_30(v, "t", &out, NULL, &err), ACT_ERR_INVALID);
    cJSON_Delete(v);
}

static void test_a_mapping_into_another_file_follows_its_target(void **state)
{
    (void)state;
    write_file("test_convert_api.json",
               "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
               " \"paths\": {}, \"components\": {\"schemas\": {\"Pet\": {\"$ref\": "
               "\"test_convert_lib.json#/Pet\"}}}}");
    write_file("test_convert_lib.json",
               "{\"Pet\": {\"type\": \"object\", \"discriminator\": {\"propertyName\": "
               "\"kind\", \"mapping\": {\"dog\": \"#/Dog\", \"cat\": \"Cat\"}}},"
               " \"Dog\": {\"allOf\": [{\"$ref\": \"#/Pet\"}]}}");
    struct act_docset *ds;
    struct act_doc *doc;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_load("test_convert_api.json", ACT_DOC_AUTO, &doc, &err), ACT_OK);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, doc), ACT_OK);
    cJSON *out = NULL, *losses = cJSON_CreateArray();
    assert_int_equal(act_convert_spec(ds, doc, ACT_OAS_31, &out, losses, &err), ACT_OK);
    /* the root's Pet is a $ref to the library's, which is named Pet_2 */
    assert_json_equal(act_pointer_get(out, "/components/schemas"),
                      "{\"Pet\": {\"$ref\": \"#/components/schemas/Pet_2\"}, \"Pet_2\": "
                      "{\"type\": \"object\", \"discriminator\": {\"propertyName\": \"kind\", "
                      "\"mapping\": {\"dog\": \"#/components/schemas/Dog\", \"cat\": \"Cat\"}}},"
                      " \"Dog\": {\"allOf\": [{\"$ref\": \"#/components/schemas/Pet_2\"}]}}");
    cJSON_Delete(out);
    cJSON_Delete(losses);
    act_docset_free(ds);
    unlink("test_convert_api.json");
    unlink("test_convert_lib.json");
}

static void test_swagger2_becomes_30_with_its_losses_in_the_20_file(void **state)
{
    (void)state;
    for (int to = 0; to < 2; to++) {
        struct act_docset *ds;
        struct act_doc *doc;
        struct act_error err;
        act_error_init(&err);
        assert_int_equal(act_doc_load("specs/multifile-v2/swagger.yaml", ACT_DOC_AUTO, &doc, &err),
                         ACT_OK);
        assert_int_equal(act_docset_new(&ds), ACT_OK);
        assert_int_equal(act_docset_add_take(ds, doc), ACT_OK);
        cJSON *out = NULL, *losses = cJSON_CreateArray();
        assert_int_equal(
            act_convert_spec(ds, doc, to ? ACT_OAS_31 : ACT_OAS_30, &out, losses, &err), ACT_OK);
        assert_string_equal(cJSON_GetObjectItem(out, "openapi")->valuestring,
                            to ? "3.1.0" : "3.0.3");
        assert_null(cJSON_GetObjectItem(out, "swagger"));
        assert_null(cJSON_GetObjectItem(out, "definitions"));
        assert_non_null(act_pointer_get(out, "/components/schemas/Part"));
        /* the one thing 3.0 cannot say: a tab-separated array, at its place in the 2.0 file */
        char got[512];
        pointers(losses, got, sizeof(got));
        assert_string_equal(got, "/paths/~1items/get/parameters/2/collectionFormat");
        cJSON_Delete(out);
        cJSON_Delete(losses);
        act_docset_free(ds);
    }
}

/* schema (3.1, with T = {"type": "object"} beside it) converted to 3.0: the 3.0 validator
 * finds each of instances[] valid as want[] says (the verdicts of JSON Schema 2020-12). */
static void verdicts(const char *schema, const char *const *instances, const char *want)
{
    char doc[4096];
    snprintf(doc, sizeof(doc),
             "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
             " \"paths\": {}, \"components\": {\"schemas\": {\"S\": %s, \"T\": {\"type\": "
             "\"object\"}}}}",
             schema);
    cJSON *in = parse(doc), *out = NULL, *losses = cJSON_CreateArray();
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_convert_31_to_30(in, "t.json", &out, losses, &err), ACT_OK);
    char *text = cJSON_Print(out);
    struct act_doc *d = must_parse("t.json", text, ACT_DOC_JSON);
    cJSON_free(text);
    struct act_docset *ds;
    struct act_validator *v;
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, d), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    struct act_node node = {d, act_pointer_get(d->root, "/components/schemas/S")};
    for (size_t i = 0; instances[i]; i++) {
        cJSON *inst = parse(instances[i]);
        struct act_errlist errs;
        act_errlist_init(&errs, 0);
        assert_int_equal(act_validate(v, node, inst, ACT_DIR_RESPONSE, &errs, &err), ACT_OK);
        int valid = errs.n == 0;
        if (valid != (want[i] == '1'))
            fail_msg("%s: %s is %s in 3.0, %s in 2020-12", schema, instances[i],
                     valid ? "valid" : "invalid", valid ? "invalid" : "valid");
        act_errlist_release(&errs);
        cJSON_Delete(inst);
    }
    act_validator_free(v);
    act_docset_free(ds);
    cJSON_Delete(in);
    cJSON_Delete(out);
    cJSON_Delete(losses);
}

static void test_converted_schemas_validate_what_2020_12_does(void **state)
{
    (void)state;
    const char *const scalars[] = {"\"x\"", "null", "1", "1.5", "true", NULL};
    verdicts("{\"type\": [\"string\", \"null\"]}", scalars, "11000");
    verdicts("{\"type\": [\"string\", \"integer\"]}", scalars, "10100");
    verdicts("{\"type\": [\"integer\", \"number\", \"null\"]}", scalars, "01110");
    verdicts("{\"type\": [\"boolean\", \"string\", \"null\"], \"enum\": [true, \"x\"]}", scalars,
             "10001");
    verdicts("{\"type\": \"null\"}", scalars, "01000");
    verdicts("{\"const\": \"x\"}", scalars, "10000");
    const char *const nums[] = {"0", "0.5", "5", "6", "10", NULL};
    verdicts("{\"exclusiveMinimum\": 0, \"exclusiveMaximum\": 10}", nums, "01110");
    verdicts("{\"exclusiveMinimum\": 0, \"maximum\": 5, \"exclusiveMaximum\": 10}", nums, "01100");
    const char *const objs[] = {"{\"a\": 1, \"b\": 1}", "{\"a\": 1}", "{\"c\": 1}", "{}",
                                "{\"id\": 1}",          "[1]",        NULL};
    verdicts("{\"if\": {\"required\": [\"a\"]}, \"then\": {\"required\": [\"b\"]}, "
             "\"else\": {\"required\": [\"c\"]}}",
             objs, "101001");
    verdicts("{\"dependentRequired\": {\"a\": [\"b\"]}}", objs, "101111");
    verdicts("{\"dependentSchemas\": {\"a\": {\"required\": [\"b\"]}}}", objs, "101111");
    verdicts("{\"properties\": {\"a\": {}, \"b\": {}}, \"unevaluatedProperties\": false}", objs,
             "110101");
    verdicts("{\"properties\": {\"a\": false}}", objs, "001111");
    verdicts("{\"$ref\": \"#/components/schemas/T\", \"required\": [\"id\"]}", objs, "000010");
    const char *const arrs[] = {"[]",         "[1, 2]", "[1, 2, 3]", "[\"x\"]",
                                "[1, \"x\"]", "\"s\"",  NULL};
    verdicts("{\"contains\": {\"type\": \"string\"}}", arrs, "000111");
    verdicts("{\"type\": \"array\", \"contains\": {\"type\": \"string\"}}", arrs, "000110");
    verdicts("{\"items\": false}", arrs, "100001");
    verdicts("{\"prefixItems\": [{\"type\": \"number\"}, {\"type\": \"number\"}], "
             "\"items\": false}",
             arrs, "110001");
    verdicts("{\"unevaluatedItems\": {\"type\": \"number\"}}", arrs, "111001");
    verdicts("{\"$defs\": {\"N\": {\"type\": \"string\"}}, \"$ref\": "
             "\"#/components/schemas/S/$defs/N\"}",
             arrs, "000001");
}

static void test_convert_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    struct act_doc *doc;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_load("tests/data/convert/petstore31.yaml", ACT_DOC_AUTO, &doc, &err),
                     ACT_OK);
    for (int dir = 0; dir < 2; dir++) {
        for (long k = 1;; k++) {
            cJSON *out = NULL, *losses = cJSON_CreateArray();
            act_error_init(&err);
            act_alloc_fail_after(k);
            enum act_status st = dir ? act_convert_30_to_31(doc->root, "t", &out, &err)
                                     : act_convert_31_to_30(doc->root, "t", &out, losses, &err);
            long failed = act_alloc_failed();
            act_alloc_fail_after(0);
            cJSON_Delete(out);
            int n = cJSON_GetArraySize(losses);
            cJSON_Delete(losses);
            if (!failed) {
                assert_int_equal(st, ACT_OK);
                if (!dir)
                    assert_true(n > 10);
                break;
            }
            if (st != ACT_ERR_NOMEM)
                fail_msg("allocation %ld: status %d (%s)", k, st, err.msg);
            assert_true(k < 100000);
        }
    }
    act_doc_free(doc);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_arrays_become_nullable_or_any_of),
        cmocka_unit_test(test_const_and_bounds_are_rewritten_exactly),
        cmocka_unit_test(test_array_keywords),
        cmocka_unit_test(test_object_keywords),
        cmocka_unit_test(test_conditionals_refs_and_annotations),
        cmocka_unit_test(test_defs_move_to_components_and_refs_follow),
        cmocka_unit_test(test_document_level_rules),
        cmocka_unit_test(test_30_to_31_is_exact_and_comes_back),
        cmocka_unit_test(test_versions_and_whole_specs),
        cmocka_unit_test(test_a_mapping_into_another_file_follows_its_target),
        cmocka_unit_test(test_swagger2_becomes_30_with_its_losses_in_the_20_file),
        cmocka_unit_test(test_converted_schemas_validate_what_2020_12_does),
        cmocka_unit_test(test_convert_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
