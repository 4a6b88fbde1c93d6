/*
 * test_generate31.c - the instance generator on OpenAPI 3.1 (JSON Schema
 * 2020-12) schemas: const, type arrays, prefixItems, numeric exclusive bounds,
 * dependentRequired, if/then/else, $defs refs and examples arrays; and the
 * same keywords ignored in a 3.0 document.
 */
#include "unit.h"

#include "parser/spec.h"
#include "validator/validate.h"

static const char doc31[] = "openapi: 3.1.0\n"
                            "info: {title: t, version: '1'}\n"
                            "components:\n"
                            "  schemas:\n"
                            "    Pet:\n"
                            "      type: object\n"
                            "      required: [kind, tag, pos, w, n]\n"
                            "      properties:\n"
                            "        kind: {const: cat}\n"
                            "        tag: {type: ['null', string], minLength: 2}\n"
                            "        pos:\n"
                            "          type: array\n"
                            "          prefixItems: [{type: integer}, {type: string, const: x}]\n"
                            "          items: false\n"
                            "        w: {type: number, exclusiveMinimum: 2, exclusiveMaximum: 3}\n"
                            "        n: {type: integer, exclusiveMinimum: 7}\n"
                            "        phone: {$ref: '#/components/schemas/Pet/$defs/Phone'}\n"
                            "      $defs:\n"
                            "        Phone: {type: string, pattern: '^\\+[0-9]{6}$'}\n"
                            "    Deps:\n"
                            "      type: object\n"
                            "      required: [a]\n"
                            "      properties:\n"
                            "        a: {type: boolean}\n"
                            "      dependentRequired:\n"
                            "        a: [b]\n"
                            "      if: {required: [a]}\n"
                            "      then:\n"
                            "        required: [c]\n"
                            "        properties: {c: {type: integer, const: 42}}\n"
                            "    Only:\n"
                            "      type: ['null']\n"
                            "    Named:\n"
                            "      type: string\n"
                            "      examples: [Rex, Tom]\n"
                            "    NewPet:\n"
                            "      type: object\n"
                            "      required: [name]\n"
                            "      properties:\n"
                            "        name: {type: string, const: Rex}\n"
                            "        id: {type: string}\n"
                            "    Stored:\n"
                            "      $ref: '#/components/schemas/NewPet'\n"
                            "      required: [id]\n"
                            "      properties:\n"
                            "        id: {type: integer, const: 7}\n";

/* The instance generated from schema NAME of a document with text, without a validator. */
static cJSON *gen_from(const char *text, const char *name, int use_examples)
{
    char path[] = "/tmp/test_gen31XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    struct act_docset *ds = NULL;
    struct act_node root;
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_docset_load_node(path, "/components/schemas", &ds, &root, &err);
    unlink(path);
    if (st)
        fail_msg("%s", err.msg);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root.node, name);
    assert_non_null(s);
    cJSON *out = NULL;
    st = act_generate(NULL, ds, (struct act_node){root.doc, s}, ACT_DIR_RESPONSE, use_examples,
                      &out, &err);
    if (st)
        fail_msg("generate failed: %s", err.msg);
    act_docset_free(ds);
    return out;
}

static void expect_json(cJSON *v, const char *want)
{
    char *txt = cJSON_PrintUnformatted(v);
    assert_non_null(txt);
    if (strcmp(txt, want) != 0)
        fail_msg("got %s, want %s", txt, want);
    cJSON_free(txt);
    cJSON_Delete(v);
}

static void test_const_type_arrays_prefix_items_and_numeric_bounds(void **state)
{
    (void)state;
    cJSON *v = gen_from(doc31, "Pet", 0);
    expect_json(v,
                "{\"kind\":\"cat\",\"tag\":\"string\",\"pos\":[1,\"x\"],\"w\":2.000000002,\"n\":8,"
                "\"phone\":\"+000000\"}");
}

static void test_dependent_required_and_if_then(void **state)
{
    (void)state;
    expect_json(gen_from(doc31, "Deps", 0), "{\"a\":true,\"c\":42,\"b\":\"string\"}");
}

static void test_a_null_only_type_and_examples_arrays(void **state)
{
    (void)state;
    expect_json(gen_from(doc31, "Only", 0), "null");
    expect_json(gen_from(doc31, "Named", 1), "\"Rex\"");
    expect_json(gen_from(doc31, "Named", 0), "\"string\"");
}

static void test_a_30_document_ignores_the_2020_keywords(void **state)
{
    (void)state;
    static const char doc30[] = "openapi: 3.0.3\n"
                                "info: {title: t, version: '1'}\n"
                                "paths: {}\n"
                                "components:\n"
                                "  schemas:\n"
                                "    K: {type: string, const: cat}\n"
                                "    N: {type: integer, exclusiveMinimum: 7}\n";
    expect_json(gen_from(doc30, "K", 0), "\"string\"");
    expect_json(gen_from(doc30, "N", 0), "1");
}

/* 2020-12: the siblings of a $ref apply beside its target: their required names and
 * property schemas (which narrow the target's) are in the instance. */
static void test_ref_siblings_apply_beside_the_target(void **state)
{
    (void)state;
    cJSON *v = gen_from(doc31, "Stored", 0);
    expect_json(v, "{\"id\":7,\"name\":\"Rex\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_const_type_arrays_prefix_items_and_numeric_bounds),
        cmocka_unit_test(test_dependent_required_and_if_then),
        cmocka_unit_test(test_a_null_only_type_and_examples_arrays),
        cmocka_unit_test(test_a_30_document_ignores_the_2020_keywords),
        cmocka_unit_test(test_ref_siblings_apply_beside_the_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
