/*
 * test_doc_json.c - JSON loading: errors with positions, limits, locating nodes.
 */
#include "unit.h"

#include "common/act_limits.h"

static void expect_error(const char *text, size_t len, enum act_status st, int line, int col,
                         const char *msg)
{
    struct act_doc *d = (struct act_doc *)1;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_parse("x.json", text, len, ACT_DOC_JSON, &d, &err), st);
    assert_null(d);
    assert_string_equal(err.file, "x.json");
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_string_equal(err.msg, msg);
}

static void test_json_truncated_document_reports_end_of_input(void **state)
{
    (void)state;
    const char *t = "{\n  \"a\": [1,\n";
    expect_error(t, strlen(t), ACT_ERR_PARSE, 3, 1, "invalid JSON: unexpected end of input");
}

static void test_json_syntax_error_reports_line_and_column_of_the_bad_character(void **state)
{
    (void)state;
    const char *t = "{\n  \"a\": 1,\n  \"b\": tru\n}";
    expect_error(t, strlen(t), ACT_ERR_PARSE, 3, 8, "invalid JSON: unexpected 't'");
    t = "{\"a\": 1} x";
    expect_error(t, strlen(t), ACT_ERR_PARSE, 1, 10,
                 "invalid JSON: unexpected content after the document");
}

static void test_json_columns_count_code_points_not_bytes(void **state)
{
    (void)state;
    const char *t = "{\"\xc3\xa9\xc3\xa9\": x}";
    expect_error(t, strlen(t), ACT_ERR_PARSE, 1, 8, "invalid JSON: unexpected 'x'");
}

static void test_json_nul_bytes_and_invalid_utf8_are_refused(void **state)
{
    (void)state;
    expect_error("{\"a\": \"b\0c\"}", 12, ACT_ERR_PARSE, 1, 9, "NUL byte in document");
    expect_error("{\"a\": \"\xc0\xaf\"}", 11, ACT_ERR_PARSE, 1, 8, "invalid UTF-8");
    expect_error("{\"a\": \"\xed\xa0\x80\"}", 12, ACT_ERR_PARSE, 1, 8, "invalid UTF-8");
    expect_error("{\"a\": \"\xf4\x90\x80\x80\"}", 13, ACT_ERR_PARSE, 1, 8, "invalid UTF-8");
    expect_error("\"\xe2\x82\"", 4, ACT_ERR_PARSE, 1, 2, "invalid UTF-8");
    expect_error("{\"a\": \"x\\u0000y\"}", 17, ACT_ERR_PARSE, 1, 9,
                 "\\u0000 (NUL) in a string is not supported");
    /* An escaped backslash followed by "u0000" is ordinary text. */
    struct act_doc *d = must_parse("ok.json", "[\"\\\\u0000\"]", ACT_DOC_JSON);
    assert_string_equal(d->root->child->valuestring, "\\u0000");
    act_doc_free(d);
}

static void test_json_nesting_beyond_the_limit_is_a_limit_error(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *t = malloc(2 * n);
    memset(t, '[', n);
    memset(t + n, ']', n);
    char msg[64];
    snprintf(msg, sizeof(msg), "nesting deeper than %d", ACT_MAX_DEPTH);
    expect_error(t, 2 * n, ACT_ERR_LIMIT, 1, ACT_MAX_DEPTH + 1, msg);
    free(t);
}

static void test_json_brackets_inside_strings_do_not_count_as_nesting(void **state)
{
    (void)state;
    size_t n = 2000;
    char *t = malloc(n + 3);
    t[0] = '"';
    memset(t + 1, '[', n);
    t[n + 1] = '"';
    t[n + 2] = '\0';
    struct act_doc *d = must_parse("s.json", t, ACT_DOC_JSON);
    assert_true(cJSON_IsString(d->root));
    act_doc_free(d);
    free(t);
}

static void test_json_empty_document_is_an_error(void **state)
{
    (void)state;
    expect_error("  \n", 3, ACT_ERR_PARSE, 2, 1, "empty document");
}

static void test_json_locate_finds_nested_keys_escapes_and_indexes(void **state)
{
    (void)state;
    const char *t = "{\n"
                    "  \"skip\": {\"x\": [1, {\"y\": \"}\"}]},\n"
                    "  \"a/b\": {\n"
                    "    \"m~n\": [\n"
                    "      10,\n"
                    "      {\"deep\": null}\n"
                    "    ],\n"
                    "    \"\\u00e9t\\u00e9\": 5\n"
                    "  }\n"
                    "}\n";
    struct act_doc *d = must_parse("l.json", t, ACT_DOC_JSON);
    int line, col;
    assert_true(act_doc_locate(d, "/a~1b", &line, &col));
    assert_int_equal(line, 3);
    assert_int_equal(col, 10);
    assert_true(act_doc_locate(d, "/a~1b/m~0n/1/deep", &line, &col));
    assert_int_equal(line, 6);
    assert_int_equal(col, 16);
    assert_true(act_doc_locate(d, "/a~1b/\xc3\xa9t\xc3\xa9", &line, &col));
    assert_int_equal(line, 8);
    assert_int_equal(col, 22);
    assert_true(act_doc_locate(d, "", &line, &col));
    assert_int_equal(line, 1);
    assert_false(act_doc_locate(d, "/a~1b/m~0n/2", &line, &col));
    assert_false(act_doc_locate(d, "/nope", &line, &col));
    act_doc_free(d);
}

static void test_json_load_refuses_directories_and_missing_files(void **state)
{
    (void)state;
    struct act_doc *d;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_load("tests", ACT_DOC_AUTO, &d, &err), ACT_ERR_IO);
    assert_string_equal(err.msg, "is a directory, not a file");
    act_error_init(&err);
    assert_int_equal(act_doc_load("tests/nope.json", ACT_DOC_AUTO, &d, &err), ACT_ERR_IO);
    assert_string_equal(err.msg, "cannot open: No such file or directory");
}

static void test_json_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    const char *t = "{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": {\"e\": null}}";
    for (long n = 1;; n++) {
        struct act_doc *d = NULL;
        struct act_error err;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_doc_parse("o.json", t, strlen(t), ACT_DOC_JSON, &d, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (failed == 0) {
            assert_int_equal(st, ACT_OK);
            act_doc_free(d);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_null(d);
        assert_true(n < 1000);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_truncated_document_reports_end_of_input),
        cmocka_unit_test(test_json_syntax_error_reports_line_and_column_of_the_bad_character),
        cmocka_unit_test(test_json_columns_count_code_points_not_bytes),
        cmocka_unit_test(test_json_nul_bytes_and_invalid_utf8_are_refused),
        cmocka_unit_test(test_json_nesting_beyond_the_limit_is_a_limit_error),
        cmocka_unit_test(test_json_brackets_inside_strings_do_not_count_as_nesting),
        cmocka_unit_test(test_json_empty_document_is_an_error),
        cmocka_unit_test(test_json_locate_finds_nested_keys_escapes_and_indexes),
        cmocka_unit_test(test_json_load_refuses_directories_and_missing_files),
        cmocka_unit_test(test_json_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
