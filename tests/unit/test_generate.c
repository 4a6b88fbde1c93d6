/*
 * test_generate.c - the instance generator (mock answers, --fill): every generated instance
 * validates against its schema (petstore, recursion, formats, bounds,
 * patterns, allOf, oneOf, discriminator), deterministically, and an
 * allocation failure anywhere is ACT_ERR_NOMEM without a leak.
 */
#include "unit.h"

#include "parser/spec.h"
#include "validator/validate.h"

static const char schemas_text[] =
    "components:\n"
    "  schemas:\n"
    "    Formats:\n"
    "      type: object\n"
    "      required: [when, day, at, mail, id, site, ref, host, v4, v6, raw, i32]\n"
    "      properties:\n"
    "        when: {type: string, format: date-time}\n"
    "        day: {type: string, format: date}\n"
    "        at: {type: string, format: time}\n"
    "        mail: {type: string, format: email}\n"
    "        id: {type: string, format: uuid}\n"
    "        site: {type: string, format: uri}\n"
    "        ref: {type: string, format: uri-reference}\n"
    "        host: {type: string, format: hostname}\n"
    "        v4: {type: string, format: ipv4}\n"
    "        v6: {type: string, format: ipv6}\n"
    "        raw: {type: string, format: byte}\n"
    "        i32: {type: integer, format: int32}\n"
    "    Bounds:\n"
    "      type: object\n"
    "      required: [short, long, low, high, excl, mult, ratio, list, uniq, props]\n"
    "      properties:\n"
    "        short: {type: string, maxLength: 3}\n"
    "        long: {type: string, minLength: 40}\n"
    "        low: {type: integer, maximum: -5}\n"
    "        high: {type: integer, minimum: 1000}\n"
    "        excl: {type: integer, minimum: 1, maximum: 2, exclusiveMinimum: true}\n"
    "        mult: {type: number, minimum: 10, multipleOf: 0.25}\n"
    "        ratio: {type: number, minimum: 0, maximum: 1, exclusiveMinimum: true}\n"
    "        list: {type: array, minItems: 3, maxItems: 4, items: {type: integer}}\n"
    "        uniq: {type: array, minItems: 3, uniqueItems: true, items: {type: string}}\n"
    "        props: {type: object, minProperties: 2}\n"
    "    Patterns:\n"
    "      type: object\n"
    "      required: [phone, code, alt, cls, neg]\n"
    "      properties:\n"
    "        phone: {type: string, pattern: '^\\+[0-9]{2} \\d{3}-\\d{4}$'}\n"
    "        code: {type: string, pattern: '^[A-Z]{3}(-[0-9]+)?$'}\n"
    "        alt: {type: string, pattern: '^(?:red|green)$'}\n"
    "        cls: {type: string, pattern: '^[a-f0-9]{8}$'}\n"
    "        neg: {type: string, pattern: '^[^a0]+$'}\n"
    "    Node:\n"
    "      type: object\n"
    "      required: [name]\n"
    "      properties:\n"
    "        name: {type: string}\n"
    "        next: {$ref: '#/components/schemas/Node'}\n"
    "        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n"
    "    Endless:\n"
    "      type: object\n"
    "      required: [next]\n"
    "      properties:\n"
    "        next: {$ref: '#/components/schemas/Endless'}\n"
    "    Either:\n"
    "      oneOf:\n"
    "        - {type: integer}\n"
    "        - {type: number}\n"
    "    Pet:\n"
    "      oneOf:\n"
    "        - $ref: '#/components/schemas/Cat'\n"
    "        - $ref: '#/components/schemas/Dog'\n"
    "      discriminator:\n"
    "        propertyName: petType\n"
    "        mapping:\n"
    "          cat: '#/components/schemas/Cat'\n"
    "          dog: '#/components/schemas/Dog'\n"
    "    Cat:\n"
    "      type: object\n"
    "      required: [petType, lives]\n"
    "      properties:\n"
    "        petType: {type: string}\n"
    "        lives: {type: integer, minimum: 1, maximum: 9}\n"
    "    Dog:\n"
    "      type: object\n"
    "      required: [petType, bark]\n"
    "      properties:\n"
    "        petType: {type: string}\n"
    "        bark: {type: boolean}\n"
    "    Merged:\n"
    "      allOf:\n"
    "        - {type: object, required: [a], properties: {a: {type: string, enum: [x, y]}}}\n"
    "        - {type: object, required: [b], properties: {b: {type: integer, minimum: 3}}}\n"
    "    Secrets:\n"
    "      type: object\n"
    "      required: [id, password]\n"
    "      properties:\n"
    "        id: {type: integer, readOnly: true}\n"
    "        password: {type: string, writeOnly: true}\n"
    "    Nullable:\n"
    "      type: string\n"
    "      nullable: true\n"
    "      enum: [null, on, off]\n"
    "    WithExample:\n"
    "      type: object\n"
    "      properties:\n"
    "        greeting: {type: string, example: hi}\n";

struct fx {
    struct act_docset *ds; /* the schemas file */
    struct act_node root;  /* its components/schemas */
    struct act_spec *pets; /* specs/petstore.yaml */
    struct act_validator *v;
    struct act_validator *pv;
};

static int setup(void **state)
{
    static struct fx f;
    struct act_error err;
    act_error_init(&err);
    char path[] = "/tmp/test_mock_genXXXXXX.yaml";
    int fd = mkstemps(path, 5);
    if (fd < 0)
        return -1;
    FILE *fp = fdopen(fd, "w");
    fputs(schemas_text, fp);
    fclose(fp);
    enum act_status st = act_docset_load_node(path, "/components/schemas", &f.ds, &f.root, &err);
    unlink(path);
    if (st) {
        char buf[4096];
        act_error_format(&err, buf, sizeof(buf));
        fprintf(stderr, "%s\n", buf);
        return -1;
    }
    if (act_validator_new(f.ds, &f.v) || act_spec_load("specs/petstore.yaml", 0, &f.pets, &err) ||
        act_validator_new(f.pets->docs, &f.pv))
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    act_validator_free(f->v);
    act_validator_free(f->pv);
    act_spec_free(f->pets);
    act_docset_free(f->ds);
    return 0;
}

static struct act_node schema_named(struct fx *f, const char *name)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(f->root.node, name);
    assert_non_null(s);
    return (struct act_node){f->root.doc, s};
}

/* Generate an instance of s and assert that it validates; the caller frees it. */
static cJSON *gen_valid(struct act_validator *v, struct act_docset *ds, struct act_node s,
                        enum act_direction dir)
{
    struct act_error err;
    act_error_init(&err);
    cJSON *out = NULL;
    enum act_status st = act_generate(v, ds, s, dir, 0, &out, &err);
    if (st)
        fail_msg("generate failed: %s", err.msg);
    struct act_errlist errs;
    act_errlist_init(&errs, 0);
    assert_int_equal(act_validate(v, s, out, dir, &errs, &err), ACT_OK);
    if (errs.n) {
        struct act_buf b;
        act_buf_init(&b);
        act_verr_format(&errs.v[0], &b);
        char *txt = cJSON_PrintUnformatted(out);
        fprintf(stderr, "instance %s: %s\n", txt, b.data);
        cJSON_free(txt);
        act_buf_release(&b);
    }
    assert_int_equal(errs.n, 0);
    act_errlist_release(&errs);
    return out;
}

static cJSON *gen_named(struct fx *f, const char *name, enum act_direction dir)
{
    return gen_valid(f->v, f->ds, schema_named(f, name), dir);
}

static void test_every_petstore_schema_generates_a_valid_instance_both_ways(void **state)
{
    struct fx *f = *state;
    const cJSON *schemas = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(f->pets->doc->root, "components"), "schemas");
    int n = 0;
    for (const cJSON *s = schemas->child; s; s = s->next, n++) {
        struct act_node node = {f->pets->doc, s};
        cJSON_Delete(gen_valid(f->pv, f->pets->docs, node, ACT_DIR_RESPONSE));
        cJSON_Delete(gen_valid(f->pv, f->pets->docs, node, ACT_DIR_REQUEST));
    }
    assert_true(n >= 7);
}

static void test_readonly_pet_id_is_left_out_of_requests_and_sent_in_responses(void **state)
{
    struct fx *f = *state;
    const cJSON *schemas = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(f->pets->doc->root, "components"), "schemas");
    struct act_node pet = {f->pets->doc, cJSON_GetObjectItemCaseSensitive(schemas, "Pet")};
    cJSON *resp = gen_valid(f->pv, f->pets->docs, pet, ACT_DIR_RESPONSE);
    cJSON *req = gen_valid(f->pv, f->pets->docs, pet, ACT_DIR_REQUEST);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(resp, "id"));
    assert_null(cJSON_GetObjectItemCaseSensitive(req, "id"));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(resp, "status")->valuestring, "available");
    cJSON_Delete(resp);
    cJSON_Delete(req);
}

static void test_recursion_stops_at_optional_properties_and_items(void **state)
{
    struct fx *f = *state;
    cJSON *n = gen_named(f, "Node", ACT_DIR_RESPONSE);
    assert_null(cJSON_GetObjectItemCaseSensitive(n, "next"));
    const cJSON *kids = cJSON_GetObjectItemCaseSensitive(n, "children");
    assert_true(cJSON_IsArray(kids));
    assert_int_equal(cJSON_GetArraySize(kids), 0);
    cJSON_Delete(n);
}

static void test_a_required_recursion_is_cut_with_a_limit_error(void **state)
{
    struct fx *f = *state;
    struct act_error err;
    act_error_init(&err);
    cJSON *out = NULL;
    assert_int_equal(
        act_generate(f->v, f->ds, schema_named(f, "Endless"), ACT_DIR_RESPONSE, 0, &out, &err),
        ACT_ERR_LIMIT);
    assert_null(out);
}

static void test_formats_are_honoured(void **state)
{
    struct fx *f = *state;
    cJSON_Delete(gen_named(f, "Formats", ACT_DIR_RESPONSE));
}

static void test_length_range_and_multiple_limits_are_honoured(void **state)
{
    struct fx *f = *state;
    cJSON *b = gen_named(f, "Bounds", ACT_DIR_RESPONSE);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(b, "excl")->valuedouble, 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b, "list")), 3);
    cJSON_Delete(b);
}

static void test_patterns_get_a_matching_string(void **state)
{
    struct fx *f = *state;
    cJSON *p = gen_named(f, "Patterns", ACT_DIR_RESPONSE);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(p, "alt")->valuestring, "red");
    cJSON_Delete(p);
}

static void test_oneof_takes_the_first_branch_that_fits(void **state)
{
    struct fx *f = *state;
    /* 1 is an integer and a number, so the first branch cannot be the only match. */
    cJSON *e = gen_named(f, "Either", ACT_DIR_RESPONSE);
    assert_true(cJSON_IsNumber(e));
    assert_true(e->valuedouble != (double)(long)e->valuedouble);
    cJSON_Delete(e);
}

static void test_discriminator_names_the_branch(void **state)
{
    struct fx *f = *state;
    cJSON *p = gen_named(f, "Pet", ACT_DIR_RESPONSE);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(p, "petType")->valuestring, "cat");
    cJSON_Delete(p);
}

static void test_allof_branches_are_merged(void **state)
{
    struct fx *f = *state;
    cJSON *m = gen_named(f, "Merged", ACT_DIR_RESPONSE);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(m, "a")->valuestring, "x");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(m, "b")->valuedouble, 3);
    cJSON_Delete(m);
}

static void test_read_and_write_only_follow_the_direction(void **state)
{
    struct fx *f = *state;
    cJSON *r = gen_named(f, "Secrets", ACT_DIR_RESPONSE);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(r, "id"));
    assert_null(cJSON_GetObjectItemCaseSensitive(r, "password"));
    cJSON *q = gen_named(f, "Secrets", ACT_DIR_REQUEST);
    assert_null(cJSON_GetObjectItemCaseSensitive(q, "id"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(q, "password"));
    cJSON_Delete(r);
    cJSON_Delete(q);
}

static void test_enum_prefers_a_value_over_null(void **state)
{
    struct fx *f = *state;
    cJSON *n = gen_named(f, "Nullable", ACT_DIR_RESPONSE);
    assert_string_equal(n->valuestring, "on");
    cJSON_Delete(n);
}

static void test_examples_are_used_when_asked(void **state)
{
    struct fx *f = *state;
    struct act_error err;
    act_error_init(&err);
    cJSON *out = NULL;
    assert_int_equal(
        act_generate(f->v, f->ds, schema_named(f, "WithExample"), ACT_DIR_RESPONSE, 1, &out, &err),
        ACT_OK);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(out, "greeting")->valuestring, "hi");
    cJSON_Delete(out);
}

static void test_generation_is_deterministic(void **state)
{
    struct fx *f = *state;
    const char *names[] = {"Formats", "Bounds", "Patterns", "Node", "Pet", "Merged"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        cJSON *a = gen_named(f, names[i], ACT_DIR_RESPONSE);
        cJSON *b = gen_named(f, names[i], ACT_DIR_RESPONSE);
        assert_true(cJSON_Compare(a, b, 1));
        cJSON_Delete(a);
        cJSON_Delete(b);
    }
}

static void test_out_of_memory_anywhere_is_nomem_without_a_leak(void **state)
{
    struct fx *f = *state;
    const char *names[] = {"Bounds", "Patterns", "Pet"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        for (long n = 1; n < 100000; n++) {
            struct act_error err;
            act_error_init(&err);
            cJSON *out = NULL;
            act_alloc_fail_after(n);
            enum act_status st = act_generate(f->v, f->ds, schema_named(f, names[i]),
                                              ACT_DIR_RESPONSE, 0, &out, &err);
            long failed = act_alloc_failed();
            act_alloc_fail_after(0);
            if (st == ACT_OK && failed == 0) {
                cJSON_Delete(out);
                break;
            }
            /* A failed allocation inside the validator only loses a candidate. */
            if (st == ACT_OK) {
                cJSON_Delete(out);
                continue;
            }
            assert_int_equal(st, ACT_ERR_NOMEM);
            assert_null(out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_petstore_schema_generates_a_valid_instance_both_ways),
        cmocka_unit_test(test_readonly_pet_id_is_left_out_of_requests_and_sent_in_responses),
        cmocka_unit_test(test_recursion_stops_at_optional_properties_and_items),
        cmocka_unit_test(test_a_required_recursion_is_cut_with_a_limit_error),
        cmocka_unit_test(test_formats_are_honoured),
        cmocka_unit_test(test_length_range_and_multiple_limits_are_honoured),
        cmocka_unit_test(test_patterns_get_a_matching_string),
        cmocka_unit_test(test_oneof_takes_the_first_branch_that_fits),
        cmocka_unit_test(test_discriminator_names_the_branch),
        cmocka_unit_test(test_allof_branches_are_merged),
        cmocka_unit_test(test_read_and_write_only_follow_the_direction),
        cmocka_unit_test(test_enum_prefers_a_value_over_null),
        cmocka_unit_test(test_examples_are_used_when_asked),
        cmocka_unit_test(test_generation_is_deterministic),
        cmocka_unit_test(test_out_of_memory_anywhere_is_nomem_without_a_leak),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
