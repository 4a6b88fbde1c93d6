/*
 * test_doc_json.c - JSON loading: errors with positions, limits, locating nodes.
 */
#include "unit.h"

#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/doc_int.h"
#include "parser/doc_json.h"
#include "parser/text.h"

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

static void test_json_duplicate_member_names_are_refused_at_both_positions(void **state)
{
    (void)state;
    /* A second "paths" object would otherwise vanish with all its operations. */
    const char *t = "{\n  \"paths\": {\"/a\": {}},\n  \"info\": {},\n  \"paths\" : {\"/b\": {}}\n}";
    expect_error(t, strlen(t), ACT_ERR_INVALID, 4, 3,
                 "duplicate key \"paths\" (first defined at line 2, column 3)");
    /* Nested in an array, names with escapes (the same name spelt two ways). */
    t = "[1, {\"x\": {\"a\\\"b\": 1,\n\"\\u0061\\\"b\": 2}}]";
    expect_error(t, strlen(t), ACT_ERR_INVALID, 2, 1,
                 "duplicate key \"a\\\"b\" (first defined at line 1, column 12)");
    /* A large object goes through the hash set. */
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_buf_adds(&b, "{"), ACT_OK);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(act_buf_printf(&b, "\"k%d\": %d,\n", i, i), ACT_OK);
    assert_int_equal(act_buf_adds(&b, "\"k617\": 0}"), ACT_OK);
    expect_error(b.data, b.len, ACT_ERR_INVALID, 1001, 1,
                 "duplicate key \"k617\" (first defined at line 618, column 1)");
    /* Too deep still comes first. */
    act_buf_reset(&b);
    assert_int_equal(act_buf_adds(&b, "{\"a\": 1, \"a\": 2, \"b\": "), ACT_OK);
    for (int i = 0; i < ACT_MAX_DEPTH + 1; i++)
        assert_int_equal(act_buf_addc(&b, '['), ACT_OK);
    for (int i = 0; i < ACT_MAX_DEPTH + 1; i++)
        assert_int_equal(act_buf_addc(&b, ']'), ACT_OK);
    assert_int_equal(act_buf_addc(&b, '}'), ACT_OK);
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_parse("x.json", b.data, b.len, ACT_DOC_JSON, &d, &err), ACT_ERR_LIMIT);
    act_buf_release(&b);
    /* The same name in different objects, and large objects without repeats, are fine. */
    act_buf_init(&b);
    assert_int_equal(act_buf_adds(&b, "[{\"a\": 1}, {\"a\": {\"a\": 2}}, {"), ACT_OK);
    for (int i = 0; i < 100; i++)
        assert_int_equal(act_buf_printf(&b, "%s\"k%d\": %d", i ? ", " : "", i, i), ACT_OK);
    assert_int_equal(act_buf_adds(&b, "}]"), ACT_OK);
    assert_int_equal(act_doc_parse("x.json", b.data, b.len, ACT_DOC_JSON, &d, &err), ACT_OK);
    act_doc_free(d);
    act_buf_release(&b);
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

/* Every node's pointer, depth first, into ptrs (up to max); returns how many. */
static size_t all_pointers(const cJSON *n, char *prefix, size_t plen, char ptrs[][128], size_t k,
                           size_t max)
{
    if (k < max)
        snprintf(ptrs[k++], 128, "%.*s", (int)plen, prefix);
    size_t i = 0;
    for (const cJSON *c = n->child; c; c = c->next, i++) {
        char seg[64];
        if (cJSON_IsObject(n)) {
            size_t o = 0;
            for (const char *q = c->string; *q && o + 3 < sizeof(seg); q++) {
                if (*q == '~' || *q == '/') {
                    seg[o++] = '~';
                    seg[o++] = *q == '~' ? '0' : '1';
                } else {
                    seg[o++] = *q;
                }
            }
            seg[o] = '\0';
        } else {
            snprintf(seg, sizeof(seg), "%zu", i);
        }
        int l = snprintf(prefix + plen, 512 - plen, "/%s", seg);
        k = all_pointers(c, prefix, plen + (size_t)l, ptrs, k, max);
        prefix[plen] = '\0';
    }
    return k;
}

static void test_json_locate_after_many_lookups_uses_an_index_with_the_same_answers(void **state)
{
    (void)state;
    const char *t = "\xEF\xBB\xBF{ \"a/b\": {\"m~n\": [1, {\"deep\": true}, \"x]\"],\n"
                    "  \"k\\\"q\": null, \"\\u00e9\": [[], {}, [0.5e3, -1]]},\n"
                    " \"dup\": 1, \"dup2\": 2, \"s\": \"{[\\\\\\\"\", \"last\": {\"z\": []}}";
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_parse("i.json", t, strlen(t), ACT_DOC_JSON, &d, &err), ACT_OK);
    static char ptrs[64][128];
    char prefix[512] = "";
    size_t n = all_pointers(d->root, prefix, 0, ptrs, 0, 64);
    assert_true(n > 15);
    /* The answers of the text scan, before the index exists. */
    int lines[64], cols[64];
    for (size_t i = 0; i < n; i++) {
        size_t off;
        int found = act_json_locate(d->text, d->len, ptrs[i], &off);
        assert_true(found);
        act_text_position(d->text, d->len, off, &lines[i], &cols[i]);
    }
    /* Enough lookups to build the index, then every answer again. */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < n; i++) {
            int line = 0, col = 0;
            assert_true(act_doc_locate(d, ptrs[i], &line, &col));
            if (line != lines[i] || col != cols[i])
                fail_msg("%s: %d:%d, expected %d:%d", ptrs[i], line, col, lines[i], cols[i]);
        }
    assert_non_null(d->positions->index);
    int line, col;
    assert_false(act_doc_locate(d, "/nope", &line, &col));
    assert_false(act_doc_locate(d, "/a~1b/m~0n/3", &line, &col));
    act_doc_free(d);
}

static void
test_json_locate_on_a_tree_that_is_not_the_whole_text_falls_back_to_scanning(void **state)
{
    (void)state;
    const char *t = "{\"a\": 1, \"b\": {\"c\": [1, 2]}, \"d\": \"x\"}";
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_parse("s.json", t, strlen(t), ACT_DOC_JSON, &d, &err), ACT_OK);
    /* A skeleton, as doc_sparse.c builds: a member the text has is missing. */
    cJSON_DeleteItemFromObjectCaseSensitive(d->root, "a");
    int line = 0, col = 0;
    for (int i = 0; i < 20; i++) {
        assert_true(act_doc_locate(d, "/b/c/1", &line, &col));
        assert_int_equal(col, 25);
    }
    assert_null(d->positions->index);
    assert_true(d->positions->no_index);
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
        cmocka_unit_test(test_json_locate_after_many_lookups_uses_an_index_with_the_same_answers),
        cmocka_unit_test(
            test_json_locate_on_a_tree_that_is_not_the_whole_text_falls_back_to_scanning),
        cmocka_unit_test(test_json_load_refuses_directories_and_missing_files),
        cmocka_unit_test(test_json_duplicate_member_names_are_refused_at_both_positions),
        cmocka_unit_test(test_json_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
