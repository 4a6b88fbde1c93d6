/*
 * test_validate.c - the schema validator: OpenAPI 3.0 specifics, messages, numbers,
 * recursion, hostile input, and an out-of-memory sweep.
 */
#include "unit.h"

#include "common/act_limits.h"
#include "parser/pointer.h"
#include "parser/ref.h"
#include "validator/validate.h"

struct result {
    enum act_status st; /* what act_validate_doc returned */
    char *text;         /* every error formatted, one per line */
    size_t n, dropped;  /* errors recorded and beyond the cap */
    char msg[2048];     /* the schema error, when st != ACT_OK */
};

/* The work budget run_dir gives its validator (0 = the default). */
static unsigned long max_steps;

/* Validate inst (JSON text) against the node at ptr of schema (JSON or YAML text). */
static struct result run_dir(const char *schema, const char *ptr, const char *inst,
                             enum act_direction dir, size_t max)
{
    struct result r = {0};
    struct act_docset *ds;
    struct act_validator *v;
    struct act_errlist errs;
    struct act_error err;
    struct act_doc *sd =
        must_parse(schema[0] == '{' ? "schema.json" : "schema.yaml", schema, ACT_DOC_AUTO);
    struct act_doc *id = must_parse("data.json", inst, ACT_DOC_JSON);
    act_error_init(&err);
    act_errlist_init(&errs, max);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    const cJSON *node = act_pointer_get(sd->root, ptr ? ptr : "");
    assert_non_null(node);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    act_validator_set_max_steps(v, max_steps);
    r.st = act_validate_doc(v, (struct act_node){sd, node}, id, id->root, dir, &errs, &err);
    if (r.st)
        act_error_format(&err, r.msg, sizeof(r.msg));
    struct act_buf b;
    act_buf_init(&b);
    for (size_t i = 0; i < errs.n; i++) {
        act_verr_format(&errs.v[i], &b);
        assert_int_equal(act_buf_addc(&b, '\n'), ACT_OK);
    }
    r.text = act_buf_detach(&b, NULL);
    r.n = errs.n;
    r.dropped = errs.dropped;
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
    act_doc_free(id);
    return r;
}

static struct result run(const char *schema, const char *inst)
{
    return run_dir(schema, NULL, inst, ACT_DIR_RESPONSE, 0);
}

#define expect_errors(schema, inst, want)                                                          \
    do {                                                                                           \
        struct result r_ = run(schema, inst);                                                      \
        assert_int_equal(r_.st, ACT_OK);                                                           \
        assert_string_equal(r_.text, want);                                                        \
        act_free(r_.text);                                                                         \
    } while (0)

#define expect_valid(schema, inst) expect_errors(schema, inst, "")

#define expect_invalid(schema, inst)                                                               \
    do {                                                                                           \
        struct result r_ = run(schema, inst);                                                      \
        assert_int_equal(r_.st, ACT_OK);                                                           \
        if (r_.n == 0)                                                                             \
            fail_msg("expected %s to be invalid", inst);                                           \
        act_free(r_.text);                                                                         \
    } while (0)

/* ---- messages ---------------------------------------------------------------------------- */

static void test_type_error_names_pointer_expected_found_and_schema_location(void **state)
{
    (void)state;
    const char *spec = "components:\n"
                       "  schemas:\n"
                       "    simple-user:\n"
                       "      type: object\n"
                       "      properties:\n"
                       "        login: {type: string}\n"
                       "    list:\n"
                       "      type: object\n"
                       "      properties:\n"
                       "        items: {type: array, items: {properties: {owner: "
                       "{$ref: '#/components/schemas/simple-user'}}}}\n";
    struct result r =
        run_dir(spec, "/components/schemas/list",
                "{\"items\": [{}, {}, {}, {\"owner\": {\"login\": null}}]}", ACT_DIR_RESPONSE, 0);
    assert_int_equal(r.st, ACT_OK);
    assert_string_equal(r.text, "/items/3/owner/login: expected string, got null "
                                "(#/components/schemas/simple-user/properties/login/type)\n");
    act_free(r.text);
}

static void test_instance_pointers_escape_tilde_and_slash(void **state)
{
    (void)state;
    expect_errors("{\"additionalProperties\": {\"type\": \"integer\"}}", "{\"a/b~c\": \"x\"}",
                  "/a~1b~0c: expected integer, got string (#/additionalProperties/type)\n");
}

static void test_every_error_is_reported_not_only_the_first(void **state)
{
    (void)state;
    expect_errors("{\"type\": \"object\", \"required\": [\"a\", \"b\"], \"properties\": "
                  "{\"c\": {\"type\": \"boolean\"}}}",
                  "{\"c\": 1}",
                  "/c: expected boolean, got number (#/properties/c/type)\n"
                  "(root): expected property \"a\", got nothing (#/required)\n"
                  "(root): expected property \"b\", got nothing (#/required)\n");
}

static void test_the_cap_counts_errors_beyond_it(void **state)
{
    (void)state;
    struct result r =
        run_dir("{\"items\": {\"type\": \"string\"}}", NULL, "[1,2,3,4,5]", ACT_DIR_RESPONSE, 2);
    assert_int_equal(r.st, ACT_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.dropped, 3);
    act_free(r.text);
}

/* ---- OpenAPI 3.0 keywords ---------------------------------------------------------------- */

static void test_nullable_adds_null_only_together_with_type(void **state)
{
    (void)state;
    expect_valid("{\"type\": \"string\", \"nullable\": true}", "null");
    expect_errors("{\"type\": \"string\"}", "null", "(root): expected string, got null (#/type)\n");
    /* nullable without type changes nothing: allOf still applies to null */
    expect_invalid("{\"nullable\": true, \"allOf\": [{\"type\": \"object\"}]}", "null");
    expect_valid("{\"nullable\": true}", "null");
    /* OpenAPI 3.0.3 (and a schema file that declares no version): a nullable enum
     * rejects null unless it lists it, and the error says why */
    expect_errors("{\"type\": \"string\", \"nullable\": true, \"enum\": [\"a\", \"b\"]}", "null",
                  "(root): expected one of \"a\", \"b\", got null (#/enum)\n"
                  "(root): expected a value of the enum: null is not in the enum, and `nullable` "
                  "does not add it in OpenAPI 3.0.3, got null (#/nullable)\n");
    expect_valid("{\"type\": \"string\", \"nullable\": true, \"enum\": [\"a\", null]}", "null");
    expect_errors("{\"type\": \"string\", \"nullable\": true}", "1",
                  "(root): expected string or null, got number (#/type)\n");
}

static void test_nullable_follows_the_version_the_document_declares(void **state)
{
    (void)state;
    /* SAP CAP's nullable Decimal: nullable beside anyOf, no type */
    const char *cap = "{\"openapi\": \"%s\", \"components\": {\"schemas\": {"
                      "\"D\": {\"nullable\": true, \"anyOf\": [{\"type\": \"number\"}, "
                      "{\"type\": \"string\"}]},"
                      "\"E\": {\"type\": \"string\", \"nullable\": true, \"enum\": [\"a\"]},"
                      "\"A\": {\"nullable\": true, \"allOf\": [{\"type\": \"object\"}]}}}}";
    const char *old[] = {"3.0.0", "3.0.1", "3.0.2"};
    char schema[1024];
    for (size_t i = 0; i < 3; i++) {
        snprintf(schema, sizeof(schema), cap, old[i]);
        const char *names[] = {"/components/schemas/D", "/components/schemas/E",
                               "/components/schemas/A"};
        for (size_t k = 0; k < 3; k++) {
            struct result r = run_dir(schema, names[k], "null", ACT_DIR_RESPONSE, 0);
            assert_int_equal(r.st, ACT_OK);
            assert_string_equal(r.text, "");
            act_free(r.text);
            /* only null: other values still meet every keyword */
            r = run_dir(schema, names[k], "true", ACT_DIR_RESPONSE, 0);
            assert_true(r.n > 0);
            act_free(r.text);
        }
    }
    snprintf(schema, sizeof(schema), cap, "3.0.3");
    struct result r = run_dir(schema, "/components/schemas/D", "null", ACT_DIR_RESPONSE, 0);
    assert_int_equal(r.st, ACT_OK);
    assert_non_null(strstr(r.text, "(root): expected a value other than null: `nullable` has no "
                                   "effect without `type` in OpenAPI 3.0.3, got null "
                                   "(#/components/schemas/D/nullable)\n"));
    act_free(r.text);
    snprintf(schema, sizeof(schema), cap, "3.0.4");
    r = run_dir(schema, "/components/schemas/A", "null", ACT_DIR_RESPONSE, 0);
    assert_non_null(strstr(r.text, "`nullable` has no effect without `type` in OpenAPI 3.0.4"));
    act_free(r.text);
    r = run_dir(schema, "/components/schemas/E", "null", ACT_DIR_RESPONSE, 0);
    assert_non_null(strstr(r.text, "null is not in the enum"));
    act_free(r.text);
}

static void test_boolean_exclusive_bounds(void **state)
{
    (void)state;
    const char *s = "{\"minimum\": 1, \"exclusiveMinimum\": true, \"maximum\": 3, "
                    "\"exclusiveMaximum\": true}";
    expect_valid(s, "2");
    expect_errors(s, "1", "(root): expected greater than 1, got 1 (#/exclusiveMinimum)\n");
    expect_errors(s, "3", "(root): expected less than 3, got 3 (#/exclusiveMaximum)\n");
    expect_valid("{\"maximum\": 3, \"exclusiveMaximum\": false}", "3");
    struct result r = run("{\"maximum\": 3, \"exclusiveMaximum\": 3}", "1");
    assert_int_equal(r.st, ACT_ERR_INVALID);
    assert_non_null(strstr(r.msg, "\"exclusiveMaximum\" must be a boolean in OpenAPI 3.0"));
    act_free(r.text);
}

static void test_integer_accepts_one_point_zero(void **state)
{
    (void)state;
    expect_valid("{\"type\": \"integer\"}", "1.0");
    expect_errors("{\"type\": \"integer\"}", "1.5",
                  "(root): expected integer, got number 1.5 (#/type)\n");
}

static void test_lengths_count_code_points_not_bytes(void **state)
{
    (void)state;
    /* "héllo" is 5 code points and 6 bytes; the dragon is one code point, four bytes */
    expect_valid("{\"maxLength\": 5}", "\"h\xc3\xa9llo\"");
    expect_valid("{\"maxLength\": 1, \"minLength\": 1}", "\"\xf0\x9f\x90\xb2\"");
    expect_errors("{\"minLength\": 2}", "\"\xf0\x9f\x90\xb2\"",
                  "(root): expected at least 2 characters, got 1 character (#/minLength)\n");
}

static void test_multiple_of_is_exact_for_decimals(void **state)
{
    (void)state;
    expect_valid("{\"multipleOf\": 0.01}", "19.99");
    expect_valid("{\"multipleOf\": 0.01}", "0.07");
    expect_errors("{\"multipleOf\": 0.01}", "19.991",
                  "(root): expected a multiple of 0.01, got 19.991 (#/multipleOf)\n");
    expect_valid("{\"multipleOf\": 0.1}", "0.3");
    expect_valid("{\"multipleOf\": 1.5}", "4.5");
    expect_invalid("{\"multipleOf\": 1.5}", "35");
    expect_valid("{\"multipleOf\": 0.5}", "1e308");
    expect_valid("{\"multipleOf\": 4}", "1e308"); /* 1e308 as written: 10^308 = 2^308 5^308 */
    expect_invalid("{\"multipleOf\": 3}", "1e308");
    expect_valid("{\"multipleOf\": 0.0001}", "123456.7891");
    expect_invalid("{\"multipleOf\": 0.0001}", "123456.78911");
}

static void test_multiple_of_zero_and_negative_are_schema_errors(void **state)
{
    (void)state;
    struct result r = run("{\"multipleOf\": 0}", "1");
    assert_int_equal(r.st, ACT_ERR_INVALID);
    assert_string_equal(r.msg, "schema.json:1:16: invalid schema: \"multipleOf\" must be a number "
                               "greater than 0 (at /multipleOf)");
    act_free(r.text);
    r = run("{\"multipleOf\": -2}", "1");
    assert_int_equal(r.st, ACT_ERR_INVALID);
    act_free(r.text);
}

static void test_big_integers_compare_exactly_from_their_text(void **state)
{
    (void)state;
    /* 2^64 and 2^64 - 1 are the same double */
    expect_errors("{\"maximum\": 18446744073709551615}", "18446744073709551616",
                  "(root): expected at most 18446744073709551615, got 18446744073709551616 "
                  "(#/maximum)\n");
    expect_valid("{\"maximum\": 18446744073709551615}", "18446744073709551615");
    /* whole numbers read as written, not in the shortest %g form (3e+01) */
    expect_errors("{\"maximum\": 10}", "30", "(root): expected at most 10, got 30 (#/maximum)\n");
    expect_errors("{\"maximum\": 10}", "1500.5",
                  "(root): expected at most 10, got 1500.5 (#/maximum)\n");
    expect_valid("{\"minimum\": 18446744073709551615}", "18446744073709551616");
    expect_invalid("{\"minimum\": 18446744073709551616}", "18446744073709551615");
    expect_valid("{\"type\": \"integer\", \"format\": \"int64\"}", "9223372036854775807");
    expect_invalid("{\"type\": \"integer\", \"format\": \"int64\"}", "9223372036854775808");
    expect_valid("{\"type\": \"integer\", \"format\": \"int64\"}", "-9223372036854775808");
    expect_invalid("{\"type\": \"integer\", \"format\": \"int64\"}", "-9223372036854775809");
    expect_invalid("{\"type\": \"integer\", \"format\": \"int32\"}", "2147483648");
}

static void test_overflowing_numbers_do_not_compare_wrong(void **state)
{
    (void)state;
    /* 1e400 reads as infinity: above any finite maximum, and exact against an infinite one */
    expect_invalid("{\"maximum\": 1e308}", "1e400");
    expect_valid("{\"minimum\": 1e308}", "1e400");
    expect_valid("{\"maximum\": 1e400}", "1e399");
    expect_invalid("{\"maximum\": 1e399}", "1e400");
    expect_invalid("{\"type\": \"number\", \"format\": \"double\"}", "1e400");
    expect_valid("{\"type\": \"number\", \"format\": \"float\"}", "3.4e38");
    expect_invalid("{\"type\": \"number\", \"format\": \"float\"}", "3.5e38");
}

static void test_without_the_instance_text_a_tie_beyond_two_to_53_is_an_error(void **state)
{
    (void)state;
    struct act_doc *sd = must_parse("s.json", "{\"maximum\": 18446744073709551615}", ACT_DOC_JSON);
    cJSON *inst = cJSON_Parse("18446744073709551616");
    struct act_docset *ds;
    struct act_validator *v;
    struct act_errlist errs;
    act_errlist_init(&errs, 0);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    assert_int_equal(
        act_validate(v, (struct act_node){sd, sd->root}, inst, ACT_DIR_RESPONSE, &errs, NULL),
        ACT_OK);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.v[0].found, "a number beyond double precision");
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
    cJSON_Delete(inst);
}

static void test_enum_and_unique_items_use_deep_equality(void **state)
{
    (void)state;
    expect_valid("{\"enum\": [{\"a\": [1, 2]}, \"x\"]}", "{\"a\": [1.0, 2]}");
    expect_errors("{\"enum\": [\"a\", \"b\"]}", "\"c\"",
                  "(root): expected one of \"a\", \"b\", got \"c\" (#/enum)\n");
    expect_errors("{\"uniqueItems\": true}", "[1, {\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1.0}]",
                  "(root): expected unique items, got items 1 and 2 equal (#/uniqueItems)\n");
    expect_valid("{\"uniqueItems\": true}", "[1, \"1\", [1], {\"1\": 1}, true, null]");
    /* a long array goes through the hashed path */
    char big[8192];
    size_t o = 0;
    o += (size_t)snprintf(big + o, sizeof(big) - o, "[");
    for (int i = 0; i < 500; i++)
        o += (size_t)snprintf(big + o, sizeof(big) - o, "%s%d", i ? "," : "", i);
    snprintf(big + o, sizeof(big) - o, ",250.0]");
    expect_errors("{\"uniqueItems\": true}", big,
                  "(root): expected unique items, got items 250 and 500 equal (#/uniqueItems)\n");
}

static void test_unique_items_tells_big_integers_apart_by_their_text(void **state)
{
    (void)state;
    /* the same double, not the same number */
    expect_valid("{\"uniqueItems\": true}", "[18446744073709551616, 18446744073709551617]");
    expect_valid("{\"uniqueItems\": true}", "[[9007199254740993], [9007199254740992]]");
    expect_valid("{\"uniqueItems\": true}", "[1e400, 2e400]");
    expect_errors("{\"uniqueItems\": true}", "[18446744073709551616, 1.8446744073709551616e19]",
                  "(root): expected unique items, got items 0 and 1 equal (#/uniqueItems)\n");
    /* the hashed path (more than 32 items) too */
    char big[8192];
    size_t o = (size_t)snprintf(big, sizeof(big), "[");
    for (int i = 0; i < 100; i++)
        o +=
            (size_t)snprintf(big + o, sizeof(big) - o, "%s123456789012345678%02d", i ? "," : "", i);
    snprintf(big + o, sizeof(big) - o, "]");
    expect_valid("{\"uniqueItems\": true}", big);
    big[o] = '\0';
    snprintf(big + o, sizeof(big) - o, ",12345678901234567850]");
    expect_errors("{\"uniqueItems\": true}", big,
                  "(root): expected unique items, got items 50 and 100 equal (#/uniqueItems)\n");
}

/* Validate inst, parsed as instances are (act_doc_parse_instance), against schema. */
static struct result run_instance(const char *schema, const char *inst)
{
    struct result r = {0};
    struct act_docset *ds;
    struct act_validator *v;
    struct act_errlist errs;
    struct act_error err;
    struct act_doc *sd = must_parse("schema.json", schema, ACT_DOC_JSON), *id = NULL;
    act_error_init(&err);
    act_errlist_init(&errs, 0);
    assert_int_equal(act_doc_parse_instance("data.json", inst, strlen(inst), &id, &err), ACT_OK);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    r.st = act_validate_doc(v, (struct act_node){sd, sd->root}, id, id->root, ACT_DIR_RESPONSE,
                            &errs, &err);
    struct act_buf b;
    act_buf_init(&b);
    for (size_t i = 0; i < errs.n; i++) {
        act_verr_format(&errs.v[i], &b);
        assert_int_equal(act_buf_addc(&b, '\n'), ACT_OK);
    }
    r.text = act_buf_detach(&b, NULL);
    r.n = errs.n;
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
    act_doc_free(id);
    return r;
}

static void test_u0000_in_instance_strings_is_seen_whole(void **state)
{
    (void)state;
    struct result r;
    /* lengths count it as one character */
    r = run_instance("{\"minLength\": 3, \"maxLength\": 3}", "\"a\\u0000b\"");
    assert_string_equal(r.text, "");
    act_free(r.text);
    r = run_instance("{\"maxLength\": 2}", "\"a\\u0000b\"");
    assert_string_equal(r.text,
                        "(root): expected at most 2 characters, got 3 characters (#/maxLength)\n");
    act_free(r.text);
    /* patterns see the NUL: . matches it, and what follows it is there */
    r = run_instance("{\"pattern\": \"^a.b$\"}", "\"a\\u0000b\"");
    assert_string_equal(r.text, "");
    act_free(r.text);
    r = run_instance("{\"pattern\": \"^a$\"}", "\"a\\u0000\"");
    assert_string_equal(r.text, "(root): expected a match for /^a$/, got \"a\\x00\" (#/pattern)\n");
    act_free(r.text);
    /* enum and format: "a\u0000" is not "a", nor a date */
    r = run_instance("{\"enum\": [\"a\"]}", "\"a\\u0000\"");
    assert_int_equal(r.n, 1);
    act_free(r.text);
    r = run_instance("{\"format\": \"date\"}", "\"2020-01-01\\u0000\"");
    assert_int_equal(r.n, 1);
    act_free(r.text);
    /* uniqueItems: what follows the NUL counts */
    r = run_instance("{\"uniqueItems\": true}", "[\"a\\u0000b\", \"a\\u0000c\", \"a\"]");
    assert_string_equal(r.text, "");
    act_free(r.text);
    r = run_instance("{\"uniqueItems\": true}", "[\"a\\u0000b\", \"a\\u0000b\"]");
    assert_int_equal(r.n, 1);
    act_free(r.text);
    /* a member name with U+0000 is not the property without it */
    r = run_instance("{\"additionalProperties\": false, \"properties\": {\"k\": {}}}",
                     "{\"k\\u0000\": 1}");
    assert_string_equal(r.text, "/k\\u0000: expected no property outside \"properties\", got "
                                "property \"k\\x00\" (#/additionalProperties)\n");
    act_free(r.text);
}

static void test_huge_enum_is_fine(void **state)
{
    (void)state;
    size_t n = 100000;
    char *s = malloc(n * 8 + 64);
    size_t o = (size_t)sprintf(s, "{\"enum\": [");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(s + o, "%s%zu", i ? "," : "", i);
    sprintf(s + o, "]}");
    expect_valid(s, "99999");
    expect_invalid(s, "100000");
    free(s);
}

static void test_formats(void **state)
{
    (void)state;
    static const struct {
        const char *format, *value;
        int valid;
    } cases[] = {
        {"date-time", "\"2024-02-29T12:00:00Z\"", 1},
        {"date-time", "\"2023-02-29T12:00:00Z\"", 0},
        {"date-time", "\"2024-01-01 12:00:00Z\"", 0},
        {"date", "\"2024-12-31\"", 1},
        {"date", "\"2024-13-01\"", 0},
        {"email", "\"octocat@github.com\"", 1},
        {"email", "\"octocat@\"", 0},
        {"uuid", "\"123e4567-e89b-12d3-a456-426614174000\"", 1},
        {"uuid", "\"123e4567e89b12d3a456426614174000\"", 0},
        {"uri", "\"https://api.github.com/users/octocat\"", 1},
        {"uri", "\"/users/octocat\"", 0},
        {"uri", "\"https://example.com/a b\"", 0},
        {"hostname", "\"api.github.com\"", 1},
        {"hostname", "\"-bad.example\"", 0},
        {"ipv4", "\"192.168.0.1\"", 1},
        {"ipv4", "\"192.168.0.01\"", 0},
        {"ipv6", "\"2001:db8::1\"", 1},
        {"ipv6", "\"2001:db8:::1\"", 0},
        {"byte", "\"aGVsbG8=\"", 1},
        {"byte", "\"aGVsbG8\"", 0},
        {"int32", "2147483647", 1},
        {"int32", "-2147483649", 0},
        {"no-such-format", "\"anything\"", 1},
        {"date-time", "12", 1}, /* string formats ignore other types */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char schema[128];
        snprintf(schema, sizeof(schema), "{\"format\": \"%s\"}", cases[i].format);
        struct result r = run(schema, cases[i].value);
        assert_int_equal(r.st, ACT_OK);
        if ((r.n == 0) != cases[i].valid)
            fail_msg("format %s, %s: expected %s, got %s", cases[i].format, cases[i].value,
                     cases[i].valid ? "valid" : "invalid", r.text);
        act_free(r.text);
    }
}

static void test_ignored_keywords_change_nothing(void **state)
{
    (void)state;
    expect_valid("{\"type\": \"string\", \"example\": 12, \"default\": 3, \"x-foo\": {\"type\": "
                 "\"integer\"}, \"xml\": {}, \"externalDocs\": {}, \"deprecated\": true, "
                 "\"title\": \"t\", \"description\": \"d\"}",
                 "\"s\"");
}

static void test_read_only_and_write_only_follow_the_direction(void **state)
{
    (void)state;
    const char *s = "{\"type\": \"object\", \"required\": [\"id\", \"password\"], \"properties\": "
                    "{\"id\": {\"type\": \"integer\", \"readOnly\": true}, "
                    "\"password\": {\"type\": \"string\", \"writeOnly\": true}}}";
    struct result r = run_dir(s, NULL, "{\"id\": 1}", ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "");
    act_free(r.text);
    r = run_dir(s, NULL, "{\"password\": \"x\"}", ACT_DIR_REQUEST, 0);
    assert_string_equal(r.text, "");
    act_free(r.text);
    r = run_dir(s, NULL, "{\"id\": 1, \"password\": \"x\"}", ACT_DIR_REQUEST, 0);
    assert_string_equal(r.text, "/id: expected no readOnly property in a request, got a readOnly "
                                "property (#/properties/id/readOnly)\n");
    act_free(r.text);
    r = run_dir(s, NULL, "{\"password\": \"x\"}", ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "(root): expected property \"id\", got nothing (#/required)\n");
    act_free(r.text);
}

static const char pets[] = "components:\n"
                           "  schemas:\n"
                           "    Pet:\n"
                           "      oneOf:\n"
                           "        - $ref: '#/components/schemas/Cat'\n"
                           "        - $ref: '#/components/schemas/Dog'\n"
                           "      discriminator:\n"
                           "        propertyName: petType\n"
                           "        mapping:\n"
                           "          kitty: '#/components/schemas/Cat'\n"
                           "    Cat:\n"
                           "      type: object\n"
                           "      required: [petType, lives]\n"
                           "      properties:\n"
                           "        petType: {type: string}\n"
                           "        lives: {type: integer}\n"
                           "    Dog:\n"
                           "      type: object\n"
                           "      required: [petType, bark]\n"
                           "      properties:\n"
                           "        petType: {type: string}\n"
                           "        bark: {type: boolean}\n"
                           "    Base:\n"
                           "      type: object\n"
                           "      required: [kind]\n"
                           "      properties:\n"
                           "        kind: {type: string}\n"
                           "      discriminator: {propertyName: kind}\n"
                           "    Square:\n"
                           "      allOf:\n"
                           "        - $ref: '#/components/schemas/Base'\n"
                           "        - type: object\n"
                           "          required: [side]\n"
                           "          properties: {side: {type: number}}\n";

static void test_discriminator_picks_the_branch_and_reports_only_its_errors(void **state)
{
    (void)state;
    struct result r = run_dir(pets, "/components/schemas/Pet",
                              "{\"petType\": \"Dog\", \"bark\": 1}", ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "/bark: expected boolean, got number "
                                "(#/components/schemas/Dog/properties/bark/type)\n");
    act_free(r.text);
    r = run_dir(pets, "/components/schemas/Pet", "{\"petType\": \"kitty\", \"lives\": 9}",
                ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "");
    act_free(r.text);
    r = run_dir(pets, "/components/schemas/Pet", "{\"petType\": \"Bird\"}", ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "(root): expected one of \"kitty\", got \"Bird\" "
                                "(#/components/schemas/Pet/discriminator)\n");
    act_free(r.text);
    /* without the property the discriminator is only a hint: oneOf decides */
    r = run_dir(pets, "/components/schemas/Pet", "{\"bark\": true, \"petType\": \"Dog\"}",
                ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "");
    act_free(r.text);
    r = run_dir(pets, "/components/schemas/Pet", "{\"bark\": true}", ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "(root): expected property \"petType\", got nothing "
                                "(#/components/schemas/Dog/required)\n");
    act_free(r.text);
    r = run_dir(pets, "/components/schemas/Pet", "{\"petType\": 7}", ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "(root): expected a string property \"petType\" (the "
                                "discriminator), got integer "
                                "(#/components/schemas/Pet/discriminator)\n");
    act_free(r.text);
    /* on a base schema: the value selects the schema to check as well */
    r = run_dir(pets, "/components/schemas/Base", "{\"kind\": \"Square\", \"side\": \"x\"}",
                ACT_DIR_RESPONSE, 0);
    assert_string_equal(r.text, "/side: expected number, got string "
                                "(#/components/schemas/Square/allOf/1/properties/side/type)\n");
    act_free(r.text);
}

static void test_any_of_reports_the_branch_that_fits_best(void **state)
{
    (void)state;
    /* null vs object: the object branch is the one that fits */
    const char *s = "{\"anyOf\": [{\"type\": \"null\"}, {\"type\": \"object\", \"properties\": "
                    "{\"login\": {\"type\": \"string\"}}}]}";
    expect_errors(s, "{\"login\": 5}",
                  "/login: expected string, got number (#/anyOf/1/properties/login/type)\n");
    /* a const-like enum on a property says which variant it is */
    const char *v = "{\"oneOf\": [{\"properties\": {\"kind\": {\"enum\": [\"a\"]}, \"x\": "
                    "{\"type\": \"string\"}}}, {\"properties\": {\"kind\": {\"enum\": [\"b\"]}, "
                    "\"y\": {\"type\": \"string\"}}}]}";
    expect_errors(v, "{\"kind\": \"b\", \"y\": 1}",
                  "/y: expected string, got number (#/oneOf/1/properties/y/type)\n");
    /* no clear winner: one line for the keyword, then one per branch */
    expect_errors("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}", "true",
                  "(root): expected a match for at least one of its schemas, got none of 2 "
                  "(#/anyOf)\n"
                  "(root): expected string, got boolean (#/anyOf/0/type)\n"
                  "(root): expected integer, got boolean (#/anyOf/1/type)\n");
    expect_errors("{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 2}]}", "3",
                  "(root): expected exactly one schema to match, got more than one (0 and 1) "
                  "(#/oneOf)\n");
}

static void test_invalid_pattern_is_a_schema_error_with_its_location(void **state)
{
    (void)state;
    struct result r = run("{\n  \"pattern\": \"(unclosed\"\n}", "\"x\"");
    assert_int_equal(r.st, ACT_ERR_INVALID);
    assert_non_null(
        strstr(r.msg, "schema.json:2:14: invalid schema: invalid pattern \"(unclosed\""));
    assert_non_null(strstr(r.msg, "(at /pattern)"));
    act_free(r.text);
    expect_valid("{\"pattern\": \"^\\\\d{3}$\"}", "\"123\"");
    expect_invalid("{\"pattern\": \"^\\\\d{3}$\"}", "\"1234\"");
}

static void test_catastrophic_pattern_stops_at_the_step_limit(void **state)
{
    (void)state;
    char inst[128];
    memset(inst, 'a', sizeof(inst));
    inst[0] = '"';
    inst[sizeof(inst) - 3] = 'b';
    inst[sizeof(inst) - 2] = '"';
    inst[sizeof(inst) - 1] = '\0';
    struct result r = run("{\"pattern\": \"^(a+)+$\"}", inst);
    assert_int_equal(r.st, ACT_OK);
    assert_int_equal(r.n, 1);
    act_free(r.text);
}

/* PAT: the pattern as JSON string content (backslashes doubled once for JSON); STR: the
 * instance string as JSON string content. */
#define MATCHES(PAT, STR) expect_valid("{\"pattern\": \"" PAT "\"}", "\"" STR "\"")
#define NO_MATCH(PAT, STR) expect_invalid("{\"pattern\": \"" PAT "\"}", "\"" STR "\"")

static void test_pattern_dot_excludes_exactly_the_ecma_line_terminators(void **state)
{
    (void)state;
    NO_MATCH("^a.b$", "a\\nb");
    NO_MATCH("^a.b$", "a\\rb");
    NO_MATCH("^a.b$", "a\\u2028b");
    NO_MATCH("^a.b$", "a\\u2029b");
    MATCHES("^a.b$", "a\\u0085b");
    MATCHES("^a.b$", "a\\tb");
    MATCHES("^a.b$", "a\\ud83d\\ude00b"); /* one code point */
    MATCHES("^a[.]b$", "a.b");
    NO_MATCH("^a[.]b$", "axb");
}

static void test_pattern_white_space_is_ecmas_set(void **state)
{
    (void)state;
    const char *space[] = {"\\t",     "\\u000b", "\\f",     " ",       "\\u00a0", "\\ufeff",
                           "\\u1680", "\\u2000", "\\u2005", "\\u200a", "\\u202f", "\\u205f",
                           "\\u3000", "\\n",     "\\r",     "\\u2028", "\\u2029"};
    const char *other[] = {"\\u0085", "\\u200b", "\\u180e", "x", "\\u00e9"};
    char inst[64];
    for (size_t i = 0; i < sizeof(space) / sizeof(space[0]); i++) {
        snprintf(inst, sizeof(inst), "\"%s\"", space[i]);
        expect_valid("{\"pattern\": \"^\\\\s$\"}", inst);
        expect_valid("{\"pattern\": \"^[x\\\\s]$\"}", inst);
        expect_invalid("{\"pattern\": \"^\\\\S$\"}", inst);
        expect_invalid("{\"pattern\": \"^[x\\\\S]$\"}", inst);
        expect_valid("{\"pattern\": \"^[^x\\\\S]$\"}", inst);
        expect_invalid("{\"pattern\": \"^[^\\\\s]$\"}", inst);
    }
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        snprintf(inst, sizeof(inst), "\"%s\"", other[i]);
        expect_invalid("{\"pattern\": \"^\\\\s$\"}", inst);
        expect_valid("{\"pattern\": \"^\\\\S$\"}", inst);
        expect_valid("{\"pattern\": \"^[\\\\S]$\"}", inst);
        expect_valid("{\"pattern\": \"^[^\\\\s]$\"}", inst);
    }
    /* [^x\S]: white space other than x; [x\S]: x or anything not white space */
    NO_MATCH("^[^x\\\\S]$", "x");
    MATCHES("^[x\\\\S]$", "x");
    MATCHES("^[x\\\\S]$", "y");
}

static void test_pattern_digits_words_and_boundaries_are_ascii(void **state)
{
    (void)state;
    MATCHES("^\\\\d$", "7");
    NO_MATCH("^\\\\d$", "\\u0663"); /* ARABIC-INDIC DIGIT THREE */
    NO_MATCH("^\\\\d$", "\\uff13"); /* FULLWIDTH DIGIT THREE */
    MATCHES("^\\\\w+$", "a_Z9");
    NO_MATCH("^\\\\w$", "\\u00e9");
    MATCHES("^\\\\W$", "\\u00e9");
    MATCHES("\\\\bx", "\\u00e9x"); /* é is not a word character: a boundary before x */
    NO_MATCH("\\\\Bx", "\\u00e9x");
}

static void test_pattern_anchors_hold_at_the_string_ends_only(void **state)
{
    (void)state;
    NO_MATCH("^a$", "a\\n"); /* PCRE2's default $ would match before a final newline */
    NO_MATCH("a$", "a\\nb");
    NO_MATCH("^b", "a\\nb");
    MATCHES("^a$", "a");
    MATCHES("b$", "a\\nb");
}

static void test_pattern_unicode_escapes_and_surrogate_pairs(void **state)
{
    (void)state;
    MATCHES("^\\\\u00e9$", "\\u00e9");
    MATCHES("^\\\\u{1F600}$", "\\ud83d\\ude00");
    MATCHES("^\\\\uD83D\\\\uDE00$", "\\ud83d\\ude00");
    MATCHES("^[\\\\uD83D\\\\uDE00-\\\\uD83D\\\\uDE4F]$", "\\ud83d\\ude03");
    NO_MATCH("^[\\\\uD83D\\\\uDE00-\\\\uD83D\\\\uDE4F]$", "\\ud83d\\ude50");
    /* a lone surrogate compiles and matches nothing: no UTF-8 string holds one */
    NO_MATCH("\\\\uD800", "a");
    MATCHES("^[a\\\\uD800-\\\\uDFFF]$", "a");
    NO_MATCH("^[\\\\uD800-\\\\uDFFF]$", "\\ud83d\\ude00");
    MATCHES("^\\\\x41$", "A");
}

static void test_pattern_escapes_pcre2_reads_otherwise(void **state)
{
    (void)state;
    MATCHES("^\\\\v$", "\\u000b");
    NO_MATCH("^\\\\v$", "\\n"); /* PCRE2's \v is any vertical space */
    MATCHES("^\\\\Z\\\\A\\\\z\\\\h$", "ZAzh");
    MATCHES("^[^]$", "\\n");
    NO_MATCH("[]", "a");
    MATCHES("^\\\\p{Letter}+$", "\\u00e9a");
}

/* A Folder/File tree whose two kinds are told apart by nothing but their content, both
 * descending into children: a validator that tries both at every level works 2^depth. */
static const char tree_schema[] =
    "{\"components\": {\"schemas\": {"
    "\"Node\": {\"%s\": [{\"$ref\": \"#/components/schemas/Folder\"},"
    "                {\"$ref\": \"#/components/schemas/File\"}]},"
    "\"Folder\": {\"type\": \"object\", \"required\": [\"children\"], \"properties\": {"
    "  \"children\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Node\"}}}},"
    "\"File\": {\"type\": \"object\", \"required\": [\"size\"], \"properties\": {"
    "  \"size\": {\"type\": \"integer\"},"
    "  \"children\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Node\"}}}}"
    "}}}";

/* A chain of depth folders ending in a file whose size is leaf (JSON text), new string. */
static char *tree(int depth, const char *leaf)
{
    struct act_buf b;
    act_buf_init(&b);
    for (int i = 0; i < depth; i++)
        assert_int_equal(act_buf_adds(&b, "{\"children\": ["), ACT_OK);
    assert_int_equal(act_buf_printf(&b, "{\"size\": %s}", leaf), ACT_OK);
    for (int i = 0; i < depth; i++)
        assert_int_equal(act_buf_adds(&b, "]}"), ACT_OK);
    return act_buf_detach(&b, NULL);
}

static void test_recursive_any_of_and_one_of_take_polynomial_work(void **state)
{
    (void)state;
    const char *kws[] = {"anyOf", "oneOf"};
    char schema[1024];
    /* 40 levels in at most 20,000 schema applications: 2^40 without memory of results */
    max_steps = 20000;
    for (size_t k = 0; k < 2; k++) {
        snprintf(schema, sizeof(schema), tree_schema, kws[k]);
        char *good = tree(40, "1"), *bad = tree(40, "\"big\"");
        struct result r = run_dir(schema, "/components/schemas/Node", good, ACT_DIR_RESPONSE, 0);
        assert_int_equal(r.st, ACT_OK);
        assert_string_equal(r.text, "");
        act_free(r.text);
        r = run_dir(schema, "/components/schemas/Node", bad, ACT_DIR_RESPONSE, 0);
        assert_int_equal(r.st, ACT_OK);
        assert_non_null(strstr(r.text, "(#/components/schemas/Node/"));
        assert_null(strstr(r.text, "budget"));
        act_free(r.text);
        act_free(good);
        act_free(bad);
    }
    max_steps = 0;
}

static void test_the_work_budget_stops_a_validation_with_an_error_naming_it(void **state)
{
    (void)state;
    /* allOf naming one schema twice at every level is not remembered: the budget stops it */
    const char *dup =
        "{\"components\": {\"schemas\": {\"T\": {\"type\": \"object\", "
        "\"properties\": {\"c\": {\"allOf\": [{\"$ref\": \"#/components/schemas/T\"}, "
        "{\"$ref\": \"#/components/schemas/T\"}]}}}}}}";
    char inst[4096];
    size_t o = 0;
    for (int i = 0; i < 60; i++)
        o += (size_t)snprintf(inst + o, sizeof(inst) - o, "{\"c\": ");
    o += (size_t)snprintf(inst + o, sizeof(inst) - o, "1");
    for (int i = 0; i < 60; i++)
        o += (size_t)snprintf(inst + o, sizeof(inst) - o, "}");
    max_steps = 5000;
    struct result r = run_dir(dup, "/components/schemas/T", inst, ACT_DIR_RESPONSE, 0);
    max_steps = 0;
    assert_int_equal(r.st, ACT_OK);
    assert_non_null(strstr(r.text, "got validation work budget of 5000 steps exceeded"));
    assert_non_null(strstr(r.text, "--max-validation-steps"));
    act_free(r.text);
    /* a shallow instance stays within the default budget */
    r = run_dir(dup, "/components/schemas/T", "{\"c\": {\"c\": {\"c\": 1}}}", ACT_DIR_RESPONSE, 0);
    assert_int_equal(r.st, ACT_OK);
    assert_int_equal(r.n, 8); /* 2^3 paths reach it: each reports it */
    assert_non_null(strstr(r.text, "/c/c/c: expected object, got number"));
    assert_null(strstr(r.text, "budget"));
    act_free(r.text);
}

static void test_pattern_backtracking_is_bounded_per_validation(void **state)
{
    (void)state;
    /* 200 strings that each take millions of steps against (a+)+$: the shared budget runs
     * out after a few, the rest fail at once naming it, and a string that needs no
     * backtracking still matches afterwards */
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_buf_adds(&b, "["), ACT_OK);
    for (int i = 0; i < 200; i++)
        assert_int_equal(
            act_buf_printf(&b, "\"%.*s!\",", 28 + i % 3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ACT_OK);
    assert_int_equal(act_buf_adds(&b, "\"aaaa\"]"), ACT_OK);
    struct result r =
        run_dir("{\"items\": {\"pattern\": \"^(a+)+$\"}}", NULL, b.data, ACT_DIR_RESPONSE, 1000);
    assert_int_equal(r.st, ACT_OK);
    assert_int_equal(r.n + r.dropped, 200);
    assert_non_null(strstr(r.text, "within the regex budget of"));
    assert_null(strstr(r.text, "/200:"));
    act_free(r.text);
    act_buf_release(&b);
}

static void test_non_utf8_string_is_an_error_not_a_crash(void **state)
{
    (void)state;
    struct act_doc *sd =
        must_parse("s.json", "{\"pattern\": \"a\", \"maxLength\": 2}", ACT_DOC_JSON);
    cJSON *inst = cJSON_CreateString("\xff\xfe\xfd");
    struct act_docset *ds;
    struct act_validator *v;
    struct act_errlist errs;
    act_errlist_init(&errs, 0);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    assert_int_equal(
        act_validate(v, (struct act_node){sd, sd->root}, inst, ACT_DIR_RESPONSE, &errs, NULL),
        ACT_OK);
    assert_true(errs.n >= 1);
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
    cJSON_Delete(inst);
}

/* ---- recursion --------------------------------------------------------------------------- */

static void test_recursive_schema_validates_a_linked_list(void **state)
{
    (void)state;
    const char *s = "{\"definitions\": {\"node\": {\"type\": \"object\", \"properties\": {\"v\": "
                    "{\"type\": \"integer\"}, \"next\": {\"$ref\": \"#/definitions/node\"}}}}, "
                    "\"$ref\": \"#/definitions/node\"}";
    expect_valid(s, "{\"v\": 1, \"next\": {\"v\": 2, \"next\": {\"v\": 3}}}");
    expect_errors(s, "{\"v\": 1, \"next\": {\"v\": 2, \"next\": {\"v\": \"x\"}}}",
                  "/next/next/v: expected integer, got string "
                  "(#/definitions/node/properties/v/type)\n");
}

static void test_a_schema_that_is_only_a_ref_to_itself_is_a_schema_error(void **state)
{
    (void)state;
    struct result r = run("{\"$ref\": \"#\"}", "1");
    assert_int_equal(r.st, ACT_ERR_REF);
    assert_non_null(strstr(r.msg, "$ref cycle"));
    act_free(r.text);
}

static void test_schemas_recursing_without_consuming_the_instance_terminate(void **state)
{
    (void)state;
    expect_valid("{\"allOf\": [{\"$ref\": \"#\"}]}", "1");
    expect_valid("{\"anyOf\": [{\"$ref\": \"#\"}, {\"type\": \"string\"}]}", "\"s\"");
    expect_errors("{\"type\": \"string\", \"allOf\": [{\"$ref\": \"#\"}]}", "1",
                  "(root): expected string, got number (#/type)\n");
    expect_valid("{\"definitions\": {\"a\": {\"allOf\": [{\"$ref\": \"#/definitions/b\"}]}, "
                 "\"b\": {\"oneOf\": [{\"$ref\": \"#/definitions/a\"}]}}, "
                 "\"$ref\": \"#/definitions/a\"}",
                 "{}");
}

static void test_deep_instance_built_in_memory_hits_the_depth_limit(void **state)
{
    (void)state;
    /* The loader refuses documents nested deeper than ACT_MAX_DEPTH; a tree built by
     * hand can be deeper, and then the validator stops with a limit error. */
    struct act_doc *sd = must_parse("s.json",
                                    "{\"$ref\": \"#/definitions/a\", \"definitions\": "
                                    "{\"a\": {\"items\": {\"$ref\": \"#/definitions/a\"}}}}",
                                    ACT_DOC_JSON);
    cJSON *root = cJSON_CreateArray(), *cur = root;
    for (int i = 0; i < 100000; i++) {
        cJSON *a = cJSON_CreateArray();
        cJSON_AddItemToArray(cur, a);
        cur = a;
    }
    struct act_docset *ds;
    struct act_validator *v;
    struct act_errlist errs;
    struct act_error err;
    act_error_init(&err);
    act_errlist_init(&errs, 0);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    assert_int_equal(
        act_validate(v, (struct act_node){sd, sd->root}, root, ACT_DIR_RESPONSE, &errs, &err),
        ACT_ERR_LIMIT);
    assert_non_null(strstr(err.msg, "levels deep"));
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
    /* cJSON_Delete recurses; unlink level by level */
    while (root) {
        cJSON *child = root->child;
        root->child = NULL;
        cJSON_Delete(root);
        root = child;
    }
}

static void test_deep_instance_file_is_refused_by_the_loader(void **state)
{
    (void)state;
    size_t n = 100000;
    char *t = malloc(2 * n);
    memset(t, '[', n);
    memset(t + n, ']', n);
    struct act_doc *d = NULL;
    assert_int_equal(act_doc_parse("deep.json", t, 2 * n, ACT_DOC_JSON, &d, NULL), ACT_ERR_LIMIT);
    free(t);
}

static void test_schema_errors_of_wrong_keyword_types(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"type\": \"str\"}",
        "{\"type\": 1}",
        "{\"maxLength\": -1}",
        "{\"minItems\": 1.5}",
        "{\"required\": \"a\"}",
        "{\"properties\": []}",
        "{\"items\": [{}]}",
        "{\"allOf\": []}",
        "{\"enum\": 1}",
        "{\"not\": 1}",
        "{\"additionalProperties\": 1}",
        "{\"discriminator\": {}}",
        "{\"maximum\": \"1\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct result r = run(bad[i], "{}");
        if (r.st != ACT_ERR_INVALID)
            fail_msg("%s: expected a schema error, got status %d", bad[i], r.st);
        act_free(r.text);
    }
}

/* ---- memory ------------------------------------------------------------------------------ */

static void test_out_of_memory_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    struct act_doc *sd = must_parse("s.yaml", pets, ACT_DOC_YAML);
    struct act_doc *id =
        must_parse("d.json", "{\"petType\": \"Cat\", \"lives\": \"x\", \"z\": [1]}", ACT_DOC_JSON);
    struct act_docset *ds;
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    const cJSON *pet = act_pointer_get(sd->root, "/components/schemas/Pet");
    int done = 0;
    for (long n = 1; !done && n < 10000; n++) {
        struct act_validator *v = NULL;
        struct act_errlist errs;
        act_errlist_init(&errs, 0);
        act_alloc_fail_after(n);
        enum act_status st = act_validator_new(ds, &v);
        if (!st)
            st = act_validate_doc(v, (struct act_node){sd, pet}, id, id->root, ACT_DIR_RESPONSE,
                                  &errs, NULL);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (failed == 0) {
            assert_int_equal(st, ACT_OK);
            assert_int_equal(errs.n, 1);
            done = 1;
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
        cmocka_unit_test(test_type_error_names_pointer_expected_found_and_schema_location),
        cmocka_unit_test(test_instance_pointers_escape_tilde_and_slash),
        cmocka_unit_test(test_every_error_is_reported_not_only_the_first),
        cmocka_unit_test(test_the_cap_counts_errors_beyond_it),
        cmocka_unit_test(test_nullable_adds_null_only_together_with_type),
        cmocka_unit_test(test_nullable_follows_the_version_the_document_declares),
        cmocka_unit_test(test_boolean_exclusive_bounds),
        cmocka_unit_test(test_integer_accepts_one_point_zero),
        cmocka_unit_test(test_lengths_count_code_points_not_bytes),
        cmocka_unit_test(test_multiple_of_is_exact_for_decimals),
        cmocka_unit_test(test_multiple_of_zero_and_negative_are_schema_errors),
        cmocka_unit_test(test_big_integers_compare_exactly_from_their_text),
        cmocka_unit_test(test_overflowing_numbers_do_not_compare_wrong),
        cmocka_unit_test(test_without_the_instance_text_a_tie_beyond_two_to_53_is_an_error),
        cmocka_unit_test(test_enum_and_unique_items_use_deep_equality),
        cmocka_unit_test(test_unique_items_tells_big_integers_apart_by_their_text),
        cmocka_unit_test(test_u0000_in_instance_strings_is_seen_whole),
        cmocka_unit_test(test_huge_enum_is_fine),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_ignored_keywords_change_nothing),
        cmocka_unit_test(test_read_only_and_write_only_follow_the_direction),
        cmocka_unit_test(test_discriminator_picks_the_branch_and_reports_only_its_errors),
        cmocka_unit_test(test_any_of_reports_the_branch_that_fits_best),
        cmocka_unit_test(test_invalid_pattern_is_a_schema_error_with_its_location),
        cmocka_unit_test(test_catastrophic_pattern_stops_at_the_step_limit),
        cmocka_unit_test(test_pattern_dot_excludes_exactly_the_ecma_line_terminators),
        cmocka_unit_test(test_pattern_white_space_is_ecmas_set),
        cmocka_unit_test(test_pattern_digits_words_and_boundaries_are_ascii),
        cmocka_unit_test(test_pattern_anchors_hold_at_the_string_ends_only),
        cmocka_unit_test(test_pattern_unicode_escapes_and_surrogate_pairs),
        cmocka_unit_test(test_pattern_escapes_pcre2_reads_otherwise),
        cmocka_unit_test(test_recursive_any_of_and_one_of_take_polynomial_work),
        cmocka_unit_test(test_the_work_budget_stops_a_validation_with_an_error_naming_it),
        cmocka_unit_test(test_pattern_backtracking_is_bounded_per_validation),
        cmocka_unit_test(test_non_utf8_string_is_an_error_not_a_crash),
        cmocka_unit_test(test_recursive_schema_validates_a_linked_list),
        cmocka_unit_test(test_a_schema_that_is_only_a_ref_to_itself_is_a_schema_error),
        cmocka_unit_test(test_schemas_recursing_without_consuming_the_instance_terminate),
        cmocka_unit_test(test_deep_instance_built_in_memory_hits_the_depth_limit),
        cmocka_unit_test(test_deep_instance_file_is_refused_by_the_loader),
        cmocka_unit_test(test_schema_errors_of_wrong_keyword_types),
        cmocka_unit_test(test_out_of_memory_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
