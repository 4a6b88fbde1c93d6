/*
 * test_validate2020.c - the validator's JSON Schema 2020-12 mode beyond the official suite:
 * how the dialect is chosen, the error of each new keyword (instance pointer, schema
 * location, message), remote refs without a map, and an out-of-memory sweep.
 */
#include "unit.h"

#include "parser/pointer.h"
#include "parser/ref.h"
#include "validator/validate.h"

struct result {
    enum act_status st; /* what act_validate_doc returned */
    char *text;         /* every error formatted, one per line */
    char msg[2048];     /* the schema error, when st != ACT_OK */
};

/* Validate inst (JSON) against the node at ptr of the document doc (JSON or YAML); force
 * the dialect when force is 0 or 1 (-1: as act_validator_new chooses). */
static struct result run_at(const char *doc, const char *ptr, const char *inst, int force)
{
    struct result r = {0};
    struct act_docset *ds;
    struct act_validator *v;
    struct act_errlist errs;
    struct act_error err;
    struct act_doc *sd = must_parse(doc[0] == '{' ? "s.json" : "s.yaml", doc, ACT_DOC_AUTO);
    struct act_doc *id = must_parse("d.json", inst, ACT_DOC_JSON);
    act_error_init(&err);
    act_errlist_init(&errs, 0);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    const cJSON *node = act_pointer_get(sd->root, ptr);
    assert_non_null(node);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    if (force >= 0)
        act_validator_set_dialect(v, force ? ACT_DIALECT_2020_12 : ACT_DIALECT_OAS30);
    r.st = act_validate_doc(v, (struct act_node){sd, node}, id, id->root, ACT_DIR_RESPONSE, &errs,
                            &err);
    if (r.st)
        act_error_format(&err, r.msg, sizeof(r.msg));
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_buf_adds(&b, ""), ACT_OK);
    for (size_t i = 0; i < errs.n; i++) {
        act_verr_format(&errs.v[i], &b);
        assert_int_equal(act_buf_addc(&b, '\n'), ACT_OK);
    }
    r.text = act_buf_detach(&b, NULL);
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
    act_doc_free(id);
    return r;
}

/* The errors of inst against the 2020-12 schema (JSON text), forced to 2020-12. */
#define expect20(schema, inst, want)                                                               \
    do {                                                                                           \
        struct result r_ = run_at(schema, "", inst, 1);                                            \
        if (r_.st)                                                                                 \
            fail_msg("schema error: %s", r_.msg);                                                  \
        assert_string_equal(r_.text, want);                                                        \
        act_free(r_.text);                                                                         \
    } while (0)

static void test_dialect_comes_from_the_root_document(void **state)
{
    (void)state;
    /* 3.1: nullable is an unknown keyword, null needs the type array */
    static const char oas31[] = "openapi: 3.1.0\n"
                                "components:\n"
                                "  schemas:\n"
                                "    A: {type: string, nullable: true}\n"
                                "    B: {type: [string, 'null']}\n";
    struct result r = run_at(oas31, "/components/schemas/A", "null", -1);
    assert_int_equal(r.st, ACT_OK);
    assert_string_equal(r.text,
                        "(root): expected string, got null (#/components/schemas/A/type)\n");
    act_free(r.text);
    r = run_at(oas31, "/components/schemas/B", "null", -1);
    assert_string_equal(r.text, "");
    act_free(r.text);
    /* 3.0.3: nullable adds null */
    static const char oas30[] = "openapi: 3.0.3\n"
                                "components:\n"
                                "  schemas:\n"
                                "    A: {type: string, nullable: true}\n";
    r = run_at(oas30, "/components/schemas/A", "null", -1);
    assert_string_equal(r.text, "");
    act_free(r.text);
    /* a schema file with $schema of 2020-12; forced back to 3.0, const is unknown */
    static const char s20[] = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", "
                              "\"const\": 1}";
    r = run_at(s20, "", "2", -1);
    assert_string_equal(r.text, "(root): expected 1, got 2 (#/const)\n");
    act_free(r.text);
    r = run_at(s20, "", "2", 0);
    assert_string_equal(r.text, "");
    act_free(r.text);
}

static void test_an_unknown_json_schema_dialect_is_refused(void **state)
{
    (void)state;
    static const char doc[] = "openapi: 3.1.0\n"
                              "jsonSchemaDialect: https://example.com/dialect\n"
                              "components: {schemas: {A: {type: string}}}\n";
    struct result r = run_at(doc, "/components/schemas/A", "1", -1);
    assert_int_equal(r.st, ACT_ERR_UNSUPPORTED);
    assert_non_null(strstr(r.msg, "jsonSchemaDialect \"https://example.com/dialect\" is not "
                                  "supported"));
    act_free(r.text);
    static const char oas[] = "openapi: 3.1.0\n"
                              "jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base\n"
                              "components: {schemas: {A: {type: string}}}\n";
    r = run_at(oas, "/components/schemas/A", "1", -1);
    assert_int_equal(r.st, ACT_OK);
    assert_string_equal(r.text,
                        "(root): expected string, got number (#/components/schemas/A/type)\n");
    act_free(r.text);
}

static void test_array_keywords_keep_instance_pointers_and_schema_locations(void **state)
{
    (void)state;
    expect20("{\"prefixItems\": [{\"type\": \"integer\"}, {\"const\": \"b\"}], \"items\": false}",
             "[\"a\", \"c\", 3]",
             "/0: expected integer, got string (#/prefixItems/0/type)\n"
             "/1: expected \"b\", got \"c\" (#/prefixItems/1/const)\n"
             "/2: expected nothing (the schema is false), got 3 (#/items)\n");
    expect20("{\"contains\": {\"type\": \"string\"}, \"minContains\": 2, \"maxContains\": 3}",
             "[1, \"a\"]",
             "(root): expected at least 2 items matching \"contains\", got 1 matching item "
             "(#/minContains)\n");
    expect20("{\"contains\": {\"type\": \"string\"}, \"maxContains\": 1}", "[\"a\", \"b\"]",
             "(root): expected at most 1 items matching \"contains\", got 2 matching items "
             "(#/maxContains)\n");
    expect20("{\"contains\": {\"type\": \"string\"}}", "[1]",
             "(root): expected an item matching \"contains\", got 0 matching items "
             "(#/contains)\n");
    expect20("{\"prefixItems\": [true], \"allOf\": [{\"contains\": {\"const\": 5}}], "
             "\"unevaluatedItems\": false}",
             "[0, 5, 6]",
             "/2: expected no item that other keywords do not evaluate, got item 2 "
             "(#/unevaluatedItems)\n");
}

static void test_object_keywords_keep_instance_pointers_and_schema_locations(void **state)
{
    (void)state;
    expect20("{\"patternProperties\": {\"^x-\": {\"type\": \"string\"}}, "
             "\"additionalProperties\": {\"type\": \"integer\"}}",
             "{\"x-a\": 1, \"b\": \"s\", \"c\": 2}",
             "/x-a: expected string, got number (#/patternProperties/^x-/type)\n"
             "/b: expected integer, got string (#/additionalProperties/type)\n");
    expect20("{\"propertyNames\": {\"maxLength\": 2}}", "{\"ab\": 1, \"abc\": 2}",
             "/abc: expected at most 2 characters, got 3 characters (#/propertyNames/maxLength)\n");
    expect20("{\"dependentRequired\": {\"card\": [\"billing\"]}}", "{\"card\": 1}",
             "(root): expected property \"billing\" (required with \"card\"), got nothing "
             "(#/dependentRequired)\n");
    expect20("{\"dependentSchemas\": {\"card\": {\"required\": [\"cvc\"]}}}", "{\"card\": 1}",
             "(root): expected property \"cvc\", got nothing (#/dependentSchemas/card/required)\n");
    expect20("{\"properties\": {\"a\": true}, \"allOf\": [{\"properties\": {\"b\": true}}], "
             "\"anyOf\": [{\"properties\": {\"c\": {\"type\": \"string\"}}}, true], "
             "\"unevaluatedProperties\": false}",
             "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}",
             "/c: expected no property that other keywords do not evaluate, got property \"c\" "
             "(#/unevaluatedProperties)\n"
             "/d: expected no property that other keywords do not evaluate, got property \"d\" "
             "(#/unevaluatedProperties)\n");
}

static void test_applicators_numbers_and_refs(void **state)
{
    (void)state;
    expect20("{\"if\": {\"properties\": {\"kind\": {\"const\": \"a\"}}}, "
             "\"then\": {\"required\": [\"x\"]}, \"else\": {\"required\": [\"y\"]}}",
             "{\"kind\": \"a\"}",
             "(root): expected property \"x\", got nothing (#/then/required)\n");
    expect20("{\"if\": {\"properties\": {\"kind\": {\"const\": \"a\"}}}, "
             "\"then\": {\"required\": [\"x\"]}, \"else\": {\"required\": [\"y\"]}}",
             "{\"kind\": \"b\"}",
             "(root): expected property \"y\", got nothing (#/else/required)\n");
    expect20("{\"exclusiveMinimum\": 0, \"exclusiveMaximum\": 10}", "[0, 10, 5]", "");
    expect20("{\"items\": {\"exclusiveMinimum\": 0, \"exclusiveMaximum\": 10}}", "[0, 10, 5]",
             "/0: expected greater than 0, got 0 (#/items/exclusiveMinimum)\n"
             "/1: expected less than 10, got 10 (#/items/exclusiveMaximum)\n");
    expect20("{\"type\": [\"integer\", \"null\"]}", "\"s\"",
             "(root): expected integer or null, got string (#/type)\n");
    /* $ref beside other keywords: both apply; the error points into the target */
    expect20("{\"$defs\": {\"pos\": {\"minimum\": 1}}, \"$ref\": \"#/$defs/pos\", "
             "\"maximum\": 5}",
             "[0]", "");
    expect20("{\"$defs\": {\"pos\": {\"$anchor\": \"p\", \"minimum\": 1}}, "
             "\"items\": {\"$ref\": \"#p\", \"maximum\": 5}}",
             "[0, 6]",
             "/0: expected at least 1, got 0 (#/$defs/pos/minimum)\n"
             "/1: expected at most 5, got 6 (#/items/maximum)\n");
    /* $dynamicRef: the outermost resource with the anchor decides */
    expect20("{\"$id\": \"https://example.com/strict\", \"$dynamicAnchor\": \"node\", "
             "\"$ref\": \"tree\", \"unevaluatedProperties\": false, "
             "\"$defs\": {\"tree\": {\"$id\": \"tree\", \"$dynamicAnchor\": \"node\", "
             "\"properties\": {\"kids\": {\"items\": {\"$dynamicRef\": \"#node\"}}, "
             "\"v\": true}}}}",
             "{\"kids\": [{\"v\": 1, \"w\": 2}]}",
             "/kids/0/w: expected no property that other keywords do not evaluate, got property "
             "\"w\" (#/unevaluatedProperties)\n");
}

static void test_a_remote_ref_without_a_map_names_the_uri_and_ref_map(void **state)
{
    (void)state;
    struct result r = run_at("{\"$ref\": \"https://schemas.example.com/a.json#/b\"}", "", "1", 1);
    assert_int_equal(r.st, ACT_ERR_REF);
    assert_non_null(strstr(r.msg, "https://schemas.example.com/a.json is not a local file"));
    assert_non_null(strstr(r.msg, "--ref-map URL_PREFIX=DIR"));
    act_free(r.text);
}

static void test_ref_maps_pick_the_longest_prefix_and_stay_in_their_directory(void **state)
{
    (void)state;
    struct act_docset *ds;
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_ref_map(ds, "https://x.test/", "all"), ACT_OK);
    assert_int_equal(act_docset_add_ref_map(ds, "https://x.test/s/", "s-dir/"), ACT_OK);
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/s/a%20b.json#/x", &b), ACT_OK);
    assert_string_equal(b.data, "s-dir/a b.json");
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/t.json?v=1", &b), ACT_OK);
    assert_string_equal(b.data, "all/t.json");
    assert_int_equal(act_docset_map_uri(ds, "https://y.test/t.json", &b), ACT_ERR_NOTFOUND);
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/s/../../etc/passwd", &b),
                     ACT_ERR_INVALID);
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/a%00b", &b), ACT_ERR_INVALID);
    /* escaped dots are dot segments too; a malformed or truncated escape is refused */
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/s/%2e%2E/%2E./x", &b), ACT_ERR_INVALID);
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/a%zzb.json", &b), ACT_ERR_INVALID);
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/a.json%4", &b), ACT_ERR_INVALID);
    assert_int_equal(act_docset_map_uri(ds, "https://x.test/%41..b.json", &b), ACT_OK);
    assert_string_equal(b.data, "all/A..b.json");
    act_buf_release(&b);
    act_docset_free(ds);
}

static void test_out_of_memory_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    static const char schema[] =
        "{\"$id\": \"https://example.com/s\", \"$defs\": {\"n\": {\"$anchor\": \"n\", "
        "\"type\": [\"integer\", \"null\"]}}, \"properties\": {\"a\": {\"$ref\": \"#n\"}}, "
        "\"patternProperties\": {\"^x\": {\"const\": 1}}, \"prefixItems\": [true], "
        "\"allOf\": [{\"properties\": {\"b\": true}}], \"unevaluatedProperties\": false}";
    struct act_doc *sd = must_parse("s.json", schema, ACT_DOC_JSON);
    struct act_doc *id =
        must_parse("d.json", "{\"a\": \"s\", \"b\": 1, \"x1\": 1, \"c\": 2}", ACT_DOC_JSON);
    struct act_docset *ds;
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    int done = 0;
    for (long n = 1; !done && n < 10000; n++) {
        struct act_validator *v = NULL;
        struct act_errlist errs;
        act_errlist_init(&errs, 0);
        act_alloc_fail_after(n);
        enum act_status st = act_validator_new(ds, &v);
        if (!st) {
            act_validator_set_dialect(v, ACT_DIALECT_2020_12);
            st = act_validate_doc(v, (struct act_node){sd, sd->root}, id, id->root,
                                  ACT_DIR_RESPONSE, &errs, NULL);
        }
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (failed == 0 || st == ACT_OK) {
            /* the regex JIT is optional: without it the same answer */
            assert_int_equal(st, ACT_OK);
            assert_int_equal(errs.n, 2);
            done = failed == 0;
        } else {
            assert_int_equal(st, ACT_ERR_NOMEM);
        }
        act_errlist_release(&errs);
        act_validator_free(v);
    }
    assert_true(done);
    act_docset_free(ds);
    act_doc_free(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dialect_comes_from_the_root_document),
        cmocka_unit_test(test_an_unknown_json_schema_dialect_is_refused),
        cmocka_unit_test(test_array_keywords_keep_instance_pointers_and_schema_locations),
        cmocka_unit_test(test_object_keywords_keep_instance_pointers_and_schema_locations),
        cmocka_unit_test(test_applicators_numbers_and_refs),
        cmocka_unit_test(test_a_remote_ref_without_a_map_names_the_uri_and_ref_map),
        cmocka_unit_test(test_ref_maps_pick_the_longest_prefix_and_stay_in_their_directory),
        cmocka_unit_test(test_out_of_memory_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests_name("validate2020", tests, NULL, NULL);
}
