/*
 * test_doc_text.c - parser/text.c: positions, the byte checks and the JSON scanner.
 */
#include "unit.h"

#include "common/act_limits.h"
#include "parser/text.h"

static void test_text_position_counts_lines_and_code_points(void **state)
{
    (void)state;
    const char *t = "ab\n\xC3\xA9x\n\xF0\x9F\x98\x80y";
    int line, col;
    act_text_position(t, strlen(t), 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    act_text_position(t, strlen(t), 5, &line, &col); /* the x after é */
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    act_text_position(t, strlen(t), 11, &line, &col); /* the y after the emoji */
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
    act_text_position(t, strlen(t), 1000, &line, &col); /* past the end: the end */
    assert_int_equal(line, 3);
    assert_int_equal(col, 3);
}

static void expect_bytes_error(const char *t, size_t len, int line, int col, const char *msg)
{
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_text_check_bytes("t.json", t, len, &err), ACT_ERR_PARSE);
    assert_string_equal(err.file, "t.json");
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_string_equal(err.msg, msg);
}

static void test_text_check_bytes_reports_invalid_utf8_then_nul_at_their_place(void **state)
{
    (void)state;
    struct act_error err;
    act_error_init(&err);
    const char *ok = "{\"caf\xC3\xA9\": \"\xF0\x9F\x98\x80 and plain ASCII past eight bytes\"}";
    assert_int_equal(act_text_check_bytes("t.json", ok, strlen(ok), &err), ACT_OK);
    /* A bad byte after a whole word of ASCII, and one inside the first word. */
    expect_bytes_error("0123456789\n\xFFx", 13, 2, 1, "invalid UTF-8");
    expect_bytes_error("ab\xC0\x80", 4, 1, 3, "invalid UTF-8");     /* overlong */
    expect_bytes_error("ab\xED\xA0\x80", 5, 1, 3, "invalid UTF-8"); /* surrogate */
    expect_bytes_error("ab\xE2\x82", 4, 1, 3, "invalid UTF-8");     /* cut short */
    expect_bytes_error("0123456789ab\0cd", 15, 1, 13, "NUL byte in document");
    /* Invalid UTF-8 after a NUL byte is not looked at: the NUL is reported. */
    expect_bytes_error("a\0\xFF", 3, 1, 2, "NUL byte in document");
    assert_int_equal(act_text_check_bytes(NULL, "a\xFF", 2, NULL), ACT_ERR_PARSE);
}

static void test_text_bom_is_three_bytes_or_none(void **state)
{
    (void)state;
    assert_int_equal(act_text_bom("\xEF\xBB\xBF{}", 5), 3);
    assert_int_equal(act_text_bom("\xEF\xBB", 2), 0);
    assert_int_equal(act_text_bom("{}", 2), 0);
}

static void test_json_scanner_skips_strings_values_and_counts_depth(void **state)
{
    (void)state;
    const char *t = " \t\r\n\"a\\\"b\\\\\" , {\"k\": [1, \"]}\", {\"x\": {}}]} , 12.5e3}";
    size_t len = strlen(t);
    size_t i = act_json_scan_ws(t, len, 0);
    assert_int_equal(i, 4);
    size_t e = act_json_scan_string(t, len, i); /* escaped quote, then escaped backslash */
    assert_int_equal(e, 12);
    assert_int_equal(act_json_scan_value(t, len, i), 12);
    i = act_json_scan_ws(t, len, e + 2);
    assert_int_equal(t[i], '{');
    e = act_json_scan_value(t, len, i);
    assert_int_equal(t[e - 1], '}');
    assert_int_equal(t[act_json_scan_ws(t, len, e)], ',');
    i = act_json_scan_ws(t, len, act_json_scan_ws(t, len, e) + 1);
    e = act_json_scan_value(t, len, i); /* a scalar ends at the enclosing '}' */
    assert_memory_equal(t + i, "12.5e3", 6);
    assert_int_equal(e, i + 6);
    /* Unclosed: the scan runs to the end. */
    assert_int_equal(act_json_scan_string("\"ab\\\"", 5, 0), 5);
    assert_int_equal(act_json_scan_value("[1, [2]", 7, 0), 7);
    /* Depth: brackets in strings do not count. */
    assert_int_equal(act_json_scan_depth("[[\"[[[[\"]]", 10, 2), 10);
    assert_int_equal(act_json_scan_depth("[[[1]]]", 7, 2), 2);
    char deep[ACT_MAX_DEPTH + 2];
    memset(deep, '[', sizeof(deep));
    assert_int_equal(act_json_scan_depth(deep, sizeof(deep), ACT_MAX_DEPTH), ACT_MAX_DEPTH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_position_counts_lines_and_code_points),
        cmocka_unit_test(test_text_check_bytes_reports_invalid_utf8_then_nul_at_their_place),
        cmocka_unit_test(test_text_bom_is_three_bytes_or_none),
        cmocka_unit_test(test_json_scanner_skips_strings_values_and_counts_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
