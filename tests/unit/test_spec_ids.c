/*
 * test_spec_ids.c - the JSON skim of action ids: what it answers itself, and what it
 * leaves to the full loader (ACT_ERR_UNSUPPORTED).
 */
#include "unit.h"

#include "parser/spec_ids.h"

static enum act_status skim(const char *text, struct act_spec_ids *ids)
{
    return act_spec_ids_skim(text, strlen(text), ids);
}

static void test_spec_ids_skim_reads_ids_as_the_loader_enumerates_them(void **state)
{
    (void)state;
    struct act_spec_ids ids;
    const char *text =
        "\xEF\xBB\xBF{\"x\": [\"]}\", {\"paths\": 1}], \"paths\": {"
        "\"/a\\u002fb\": {\"get\": {\"description\": \"x \\\\\\\" y \\\\\", "
        "\"operationId\": \"first\"}, \"post\": {\"operationId\": 7},"
        " \"put\": \"no\", \"parameters\": [{}]},"
        " \"/e\": {\"patch\": {\"operationId\": \"\\u00e9\\ud83d\\ude00\"}}, \"/s\": 42},"
        " \"openapi\": \"3.0.3\"}";
    assert_int_equal(skim(text, &ids), ACT_OK);
    assert_int_equal(ids.skimmed, 1);
    assert_int_equal(ids.n, 3);
    assert_string_equal(ids.v[0], "first");
    assert_string_equal(ids.v[1], "post./a/b");
    assert_string_equal(ids.v[2], "\xC3\xA9\xF0\x9F\x98\x80");
    act_spec_ids_free(&ids);
    assert_int_equal(ids.n, 0);
}

static void test_spec_ids_skim_leaves_what_it_cannot_settle_to_the_loader(void **state)
{
    (void)state;
    static const char *const bail[] = {
        "{\"openapi\": \"3.0.0\", \"paths\": {\"/r\": {\"$ref\": \"#/x\"}}}", /* path item ref */
        "{\"swagger\": \"2.0\", \"paths\": {}}",                              /* not 3.0 */
        "{\"openapi\": \"3.1.0\", \"paths\": {}}",
        "{\"paths\": {}}",                                             /* no openapi */
        "{\"openapi\": \"3.0.0\"}",                                    /* no paths */
        "{\"openapi\": \"3.0.0\", \"paths\": {\"/a\": {\"get\": {}}}", /* truncated */
        "{\"openapi\": \"3.0.0\", \"paths\": {}} trailing",            /* trailing text */
        "{\"openapi\": \"3.0.0\", \"paths\": {\"/a\\u0000\": {}}}",    /* NUL escape */
        "{\"openapi\": \"3.0.0\", \"paths\": {\"/a\": {\"get\": {\"x\": \"\\q\"}}}}", /* ok */
        "[]",
        "",
        /* duplicate keys the loader refuses: a second paths, method, operationId */
        "{\"openapi\": \"3.0.0\", \"paths\": {}, \"paths\": {}}",
        "{\"openapi\": \"3.0.0\", \"paths\": {\"/a\": {\"get\": {}, \"get\": {}}}}",
        "{\"openapi\": \"3.0.0\", \"paths\": {\"/a\": {\"get\": {\"operationId\": \"a\", "
        "\"operationId\": \"b\"}}}}",
    };
    for (size_t i = 0; i < sizeof(bail) / sizeof(bail[0]); i++) {
        struct act_spec_ids ids;
        enum act_status st = skim(bail[i], &ids);
        if (i == 8) { /* an unread description is not checked */
            assert_int_equal(st, ACT_OK);
            assert_int_equal(ids.n, 1);
            assert_string_equal(ids.v[0], "get./a");
            act_spec_ids_free(&ids);
            continue;
        }
        assert_int_equal(st, ACT_ERR_UNSUPPORTED);
        assert_int_equal(ids.n, 0);
        assert_null(ids.v);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_ids_skim_reads_ids_as_the_loader_enumerates_them),
        cmocka_unit_test(test_spec_ids_skim_leaves_what_it_cannot_settle_to_the_loader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
