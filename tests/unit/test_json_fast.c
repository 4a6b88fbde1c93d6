/*
 * test_json_fast.c - the instance parser: RFC 8259 grammar with positions in
 * messages, the loader's refusals, deep nesting, numbers, escapes, the arena,
 * allocation failure, and a differential test against cJSON.
 */
#include "unit.h"

#include <limits.h>
#include <math.h>

#include "common/act_arena.h"
#include "common/act_limits.h"
#include "parser/json_fast.h"
#include "parser/pointer.h"
#include "parser/ref.h"
#include "validator/validate.h"

/* ---- helpers ----------------------------------------------------------------------------- */

/* Parse len bytes of text as an instance; fail the test on error. */
static struct act_doc *inst(const char *text, size_t len)
{
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_doc_parse_instance("i.json", text, len, &d, &err)) {
        char buf[2048];
        act_error_format(&err, buf, sizeof(buf));
        fail_msg("parse failed: %s", buf);
    }
    return d;
}

static struct act_doc *insts(const char *text)
{
    return inst(text, strlen(text));
}

static void expect_error_n(const char *text, size_t len, enum act_status st, int line, int col,
                           const char *msg)
{
    struct act_doc *d = (struct act_doc *)1;
    struct act_error err;
    act_error_init(&err);
    enum act_status got = act_doc_parse_instance("x.json", text, len, &d, &err);
    if (got != st || err.line != line || err.col != col || strcmp(err.msg, msg) != 0)
        fail_msg("%.*s: got %d %d:%d \"%s\", want %d %d:%d \"%s\"", (int)(len < 60 ? len : 60),
                 text, got, err.line, err.col, err.msg, st, line, col, msg);
    assert_null(d);
    assert_string_equal(err.file, "x.json");
}

static void expect_error(const char *text, int line, int col, const char *msg)
{
    expect_error_n(text, strlen(text), ACT_ERR_PARSE, line, col, msg);
}

/* The same tree: types, values, keys, and cJSON's links (the first child's prev is the last). */
static int same_tree(const cJSON *a, const cJSON *b, int depth)
{
    if (depth > ACT_MAX_DEPTH + 2 || a->type != b->type || a->valueint != b->valueint ||
        memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0)
        return 0;
    if ((a->string == NULL) != (b->string == NULL) || (a->string && strcmp(a->string, b->string)))
        return 0;
    if ((a->valuestring == NULL) != (b->valuestring == NULL) ||
        (a->valuestring && strcmp(a->valuestring, b->valuestring)))
        return 0;
    const cJSON *x = a->child, *y = b->child, *px = NULL;
    for (; x && y; px = x, x = x->next, y = y->next) {
        if (px && x->prev != px)
            return 0;
        if (!same_tree(x, y, depth + 1))
            return 0;
    }
    if (x || y)
        return 0;
    if (a->child && a->child->prev != px)
        return 0;
    return 1;
}

/* Parse text with both parsers; both must accept it and build the same tree. */
static void expect_same_as_cjson(const char *text, size_t len)
{
    /* cJSON is called as act_doc_load calls it, after the byte order mark */
    size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    cJSON *c = cJSON_ParseWithLengthOpts(text + bom, len - bom, NULL, 0);
    if (!c)
        fail_msg("cJSON refuses %.*s", (int)len, text);
    struct act_doc *d = inst(text, len);
    if (!same_tree(d->root, c, 0))
        fail_msg("trees differ for %.*s", (int)(len < 200 ? len : 200), text);
    act_doc_free(d);
    cJSON_Delete(c);
}

static void same(const char *text)
{
    expect_same_as_cjson(text, strlen(text));
}

/* ---- grammar ----------------------------------------------------------------------------- */

static void test_every_kind_of_value_parses_as_cjson_parses_it(void **state)
{
    (void)state;
    static const char *const ok[] = {"0",
                                     "-0",
                                     "1",
                                     "-1",
                                     "123456789",
                                     "1.5",
                                     "-0.25",
                                     "1e10",
                                     "1E+2",
                                     "1e-2",
                                     "-1.5e-300",
                                     "0.1",
                                     "0.000123",
                                     "3.141592653589793",
                                     "2.2250738585072014e-308",
                                     "1.7976931348623157e308",
                                     "9007199254740993",
                                     "123456789012345678901234567890",
                                     "4.9e-324",
                                     "1e22",
                                     "1e23",
                                     "9007199254740992e22",
                                     "123.456e-20",
                                     "true",
                                     "false",
                                     "null",
                                     "\"\"",
                                     "\"abc\"",
                                     "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
                                     "\"\\u00e9\\u20AC\\ud83d\\ude00\"",
                                     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
                                     "[]",
                                     "{}",
                                     "[1]",
                                     "[1,2,3]",
                                     "{\"a\":1}",
                                     "{\"a\":1,\"b\":[true,false,null]}",
                                     " \t\r\n[ 1 , { \"x\" : [ ] } ] \n",
                                     "[[[[]]],{},[{}]]",
                                     "{\"a\":1,\"a\":2}",
                                     "\xEF\xBB\xBF{\"bom\": true}",
                                     "\357\273\2772", /* a byte order mark, then 2 */
                                     "\"\x7f\"",
                                     "{\"\": \"\"}"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        same(ok[i]);
}

static void test_duplicate_member_names_are_kept_in_order(void **state)
{
    (void)state;
    struct act_doc *d = insts("{\"a\": 1, \"b\": 2, \"a\": 3}");
    const cJSON *m = d->root->child;
    assert_string_equal(m->string, "a");
    assert_int_equal(m->valueint, 1);
    assert_string_equal(m->next->next->string, "a");
    assert_int_equal(m->next->next->valueint, 3);
    assert_ptr_equal(m->prev, m->next->next);
    act_doc_free(d);
}

static void test_structural_errors_name_the_unexpected_character_and_its_position(void **state)
{
    (void)state;
    expect_error("{\n  \"a\": 1,\n  \"b\": tru\n}", 3, 8, "invalid JSON: unexpected 't'");
    expect_error("[1,]", 1, 4, "invalid JSON: unexpected ']'");
    expect_error("{\"a\":1,}", 1, 8, "invalid JSON: unexpected '}'");
    expect_error("{\"a\" 1}", 1, 6, "invalid JSON: unexpected '1'");
    expect_error("{a:1}", 1, 2, "invalid JSON: unexpected 'a'");
    expect_error("[1 2]", 1, 4, "invalid JSON: unexpected '2'");
    expect_error("['a']", 1, 2, "invalid JSON: unexpected '''");
    expect_error("[NaN]", 1, 2, "invalid JSON: unexpected 'N'");
    expect_error("[Infinity]", 1, 2, "invalid JSON: unexpected 'I'");
    expect_error("[nul]", 1, 2, "invalid JSON: unexpected 'n'");
    expect_error("[1] x", 1, 5, "invalid JSON: unexpected content after the document");
    expect_error("1 2", 1, 3, "invalid JSON: unexpected content after the document");
    expect_error("{\"\xc3\xa9\xc3\xa9\": x}", 1, 8, "invalid JSON: unexpected 'x'");
    expect_error("[\xc3\xa9]", 1, 2, "invalid JSON: unexpected '\xc3\xa9'");
    expect_error("{\n  \"a\": [1,\n", 3, 1, "invalid JSON: unexpected end of input");
    expect_error("\"abc", 1, 5, "invalid JSON: unexpected end of input");
    expect_error("[\"a\\", 1, 5, "invalid JSON: unexpected end of input");
    expect_error("  \n", 2, 1, "empty document");
    expect_error("", 1, 1, "empty document");
}

static void test_only_space_tab_cr_and_lf_are_whitespace(void **state)
{
    (void)state;
    expect_error("[1,\f2]", 1, 4, "invalid JSON: unexpected '\\x0c'");
    expect_error("[1,\v2]", 1, 4, "invalid JSON: unexpected '\\x0b'");
    expect_error("\x01[]", 1, 1, "invalid JSON: unexpected '\\x01'");
    expect_error("[\xc2\xa0]", 1, 2, "invalid JSON: unexpected '\xc2\xa0'");
    same(" \t\r\n[\t1\r,\n2 ]\r\n");
}

static void test_numbers_follow_the_rfc_grammar(void **state)
{
    (void)state;
    expect_error("01", 1, 1, "invalid JSON: leading zero in a number");
    expect_error("[-00]", 1, 3, "invalid JSON: leading zero in a number");
    expect_error("-", 1, 2, "invalid JSON: unexpected end of input");
    expect_error("[-a]", 1, 3,
                 "invalid JSON: unexpected 'a' in a number (a digit must follow '-')");
    expect_error("[1.]", 1, 4,
                 "invalid JSON: unexpected ']' in a number (a digit must follow '.')");
    expect_error("[1.e5]", 1, 4,
                 "invalid JSON: unexpected 'e' in a number (a digit must follow '.')");
    expect_error("[1e]", 1, 4,
                 "invalid JSON: unexpected ']' in a number (a digit must follow the exponent)");
    expect_error("[1e+]", 1, 5,
                 "invalid JSON: unexpected ']' in a number (a digit must follow the exponent)");
    expect_error("[.5]", 1, 2, "invalid JSON: unexpected '.'");
    expect_error("[+1]", 1, 2, "invalid JSON: unexpected '+'");
    expect_error("[0x10]", 1, 3, "invalid JSON: unexpected 'x'");
    expect_error("[1.5.3]", 1, 5, "invalid JSON: unexpected '.'");
}

static void test_strings_refuse_raw_control_characters_and_bad_escapes(void **state)
{
    (void)state;
    expect_error("[\"a\tb\"]", 1, 4,
                 "invalid JSON: control character '\\t' in a string (it must be escaped)");
    expect_error("{\"k\ney\": 1}", 1, 4,
                 "invalid JSON: control character '\\n' in a string (it must be escaped)");
    expect_error("[\"\\x41\"]", 1, 3, "invalid JSON: invalid escape \"\\x\" in a string");
    expect_error("[\"\\'\"]", 1, 3, "invalid JSON: invalid escape \"\\'\" in a string");
    expect_error("[\"\\u12\"]", 1, 3, "invalid JSON: \\u must be followed by four hex digits");
    expect_error("[\"\\uZZZZ\"]", 1, 3, "invalid JSON: \\u must be followed by four hex digits");
    expect_error("[\"\\uD800\"]", 1, 3,
                 "invalid JSON: \\uD800 is the first half of a surrogate pair without a second");
    expect_error("[\"\\ud800\\u0041\"]", 1, 3,
                 "invalid JSON: \\uD800 is the first half of a surrogate pair without a second");
    expect_error("[\"x\\uDC00\"]", 1, 4,
                 "invalid JSON: \\uDC00 is the second half of a surrogate pair without a first");
}

static void test_escapes_and_surrogate_pairs_decode_to_utf8(void **state)
{
    (void)state;
    struct act_doc *d =
        insts("[\"\\u00e9\\u20AC\\uD83D\\uDE00\", \"a\\/b\\\\c\\\"d\", \"\\u0041\\u007f\\u0080\"]");
    assert_string_equal(d->root->child->valuestring, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    assert_string_equal(d->root->child->next->valuestring, "a/b\\c\"d");
    assert_string_equal(d->root->child->next->next->valuestring, "A\x7f\xc2\x80");
    act_doc_free(d);
}

/* ---- the loader's refusals --------------------------------------------------------------- */

static void test_nul_bytes_and_invalid_utf8_are_refused_as_the_loader_refuses_them(void **state)
{
    (void)state;
    expect_error_n("{\"a\": \"b\0c\"}", 12, ACT_ERR_PARSE, 1, 9, "NUL byte in document");
    expect_error_n("[1]\0", 4, ACT_ERR_PARSE, 1, 4, "NUL byte in document");
    expect_error_n("{\"a\": \"\xc0\xaf\"}", 11, ACT_ERR_PARSE, 1, 8, "invalid UTF-8");
    expect_error_n("{\"a\": \"\xed\xa0\x80\"}", 12, ACT_ERR_PARSE, 1, 8, "invalid UTF-8");
    expect_error_n("{\"a\": \"\xf4\x90\x80\x80\"}", 13, ACT_ERR_PARSE, 1, 8, "invalid UTF-8");
    expect_error_n("\"\xe2\x82\"", 4, ACT_ERR_PARSE, 1, 2, "invalid UTF-8");
    expect_error_n("\"\xe2\x82", 3, ACT_ERR_PARSE, 1, 2, "invalid UTF-8");
    expect_error_n("[\xff]", 3, ACT_ERR_PARSE, 1, 2, "invalid UTF-8");
    /* An escaped backslash followed by "u0000" is ordinary text. */
    struct act_doc *d = insts("[\"\\\\u0000\"]");
    assert_string_equal(d->root->child->valuestring, "\\u0000");
    act_doc_free(d);
}

/* "\u0000" is valid JSON: U+0000 is kept, as C0 80, in values and member names alike. */
static void test_u0000_is_kept_whole_as_c0_80(void **state)
{
    (void)state;
    struct act_doc *d = insts("{\"a\\u0000b\": \"x\\u0000y\\u0000\", \"a\": \"\\u0000\"}");
    const cJSON *m = d->root->child;
    assert_string_equal(m->string, "a\xc0\x80"
                                   "b");
    assert_string_equal(m->valuestring, "x\xc0\x80y\xc0\x80");
    assert_string_equal(m->next->valuestring, "\xc0\x80");
    char buf[16];
    memcpy(buf, m->valuestring, 7);
    assert_int_equal(act_json_decode_nul(buf, 6), 4);
    assert_memory_equal(buf, "x\0y\0", 4);
    assert_true(act_json_has_nul(m->valuestring, 6));
    assert_false(act_json_has_nul("x\xc3\xa0", 3));
    act_doc_free(d);
}

/* Parse text as an instance; the duplicate note (err.msg) into msg, its pointer into ptr. */
static void dup_of(const char *text, char *msg, char *ptr)
{
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_parse_instance("d.json", text, strlen(text), &d, &err), ACT_OK);
    assert_int_equal(err.status, ACT_OK);
    strcpy(msg, err.msg);
    strcpy(ptr, err.pointer);
    act_doc_free(d);
}

static void test_duplicate_member_names_are_noted_with_both_positions(void **state)
{
    (void)state;
    char msg[ACT_ERROR_MSG_MAX], ptr[ACT_ERROR_PATH_MAX];
    dup_of("{\"a\": 1, \"b\": 2}", msg, ptr);
    assert_string_equal(msg, "");
    dup_of("{\"a\": 1, \"a\": 2}", msg, ptr);
    assert_string_equal(msg,
                        "duplicate member name \"a\" in the object at (root) (at 1:2 and 1:10)");
    assert_string_equal(ptr, "/a");
    /* nested, with values to skip between them, and an escaped name */
    dup_of(
        "[0, {\"x\": {\"k\": [1, \"}\"]},\n \"a\\/b\": {\"q\": \"\\\"\", \"z\": {}, \"q\": null}}]",
        msg, ptr);
    assert_string_equal(msg, "duplicate member name \"q\" in the object at /1/a~1b (at 2:11 and "
                             "2:31)");
    assert_string_equal(ptr, "/1/a~1b/q");
    /* escapes decode to the same name: still the same member */
    dup_of("{\"k\": 1, \"\\u006b\": 2}", msg, ptr);
    assert_string_equal(msg,
                        "duplicate member name \"k\" in the object at (root) (at 1:2 and 1:10)");
    /* U+0000 is part of the name */
    dup_of("{\"k\\u0000\": 1, \"k\": 2}", msg, ptr);
    assert_string_equal(msg, "");
    /* a large object goes through the hash table */
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_buf_adds(&b, "{"), ACT_OK);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(act_buf_printf(&b, "\"m%d\": %d, ", i, i), ACT_OK);
    assert_int_equal(act_buf_adds(&b, "\"last\": 0}"), ACT_OK);
    dup_of(b.data, msg, ptr);
    assert_string_equal(msg, "");
    b.len -= strlen("\"last\": 0}");
    assert_int_equal(act_buf_adds(&b, "\"m500\": 0}"), ACT_OK);
    dup_of(b.data, msg, ptr);
    assert_non_null(strstr(msg, "duplicate member name \"m500\" in the object at (root) (at 1:"));
    assert_string_equal(ptr, "/m500");
    act_buf_release(&b);
}

/* Several problems in one document: the one act_doc_load reports, whatever comes first. */
static void test_documents_with_several_problems_report_what_the_loader_reports(void **state)
{
    (void)state;
#define CASE(lit)                                                                                  \
    {                                                                                              \
        lit, sizeof(lit) - 1                                                                       \
    }
    static const struct {
        const char *text;
        size_t len;
    } cases[] = {
        CASE("[1 x, \"\xff\"]"),         /* syntax error, then invalid UTF-8 */
        CASE("[\"\\u0000\", \"\xc0\"]"), /* \u0000 (accepted by both), then invalid UTF-8 */
        CASE("[\"a\tb\", \0]"),          /* control character, then NUL */
        CASE("[[[[1,]]]] \xe2\x82"),     /* syntax error, then a truncated sequence */
        CASE("[1, 2"),                   /* end of input */
        CASE(" \n\t"),                   /* empty */
    };
#undef CASE
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct act_error a, b;
        struct act_doc *d = NULL;
        act_error_init(&a);
        act_error_init(&b);
        enum act_status sa =
            act_doc_parse("x.json", cases[i].text, cases[i].len, ACT_DOC_JSON, &d, &a);
        assert_null(d);
        enum act_status sb = act_doc_parse_instance("x.json", cases[i].text, cases[i].len, &d, &b);
        assert_null(d);
        assert_int_equal(sa, sb);
        if (strncmp(a.msg, "invalid JSON", 12) == 0) {
            /* a syntax error either way (cJSON's position at the end is one byte early) */
            assert_int_equal(strncmp(b.msg, "invalid JSON", 12), 0);
        } else {
            assert_string_equal(b.msg, a.msg); /* the refusals exactly */
            assert_int_equal(b.line, a.line);
            assert_int_equal(b.col, a.col);
        }
    }
}

/* ---- nesting ----------------------------------------------------------------------------- */

static void test_nesting_beyond_the_limit_is_a_limit_error_not_a_stack_overflow(void **state)
{
    (void)state;
    size_t n = 100000;
    char *t = malloc(2 * n + 1);
    char msg[64];
    snprintf(msg, sizeof(msg), "nesting deeper than %d", ACT_MAX_DEPTH);
    memset(t, '[', n);
    memset(t + n, ']', n);
    expect_error_n(t, 2 * n, ACT_ERR_LIMIT, 1, ACT_MAX_DEPTH + 1, msg);
    expect_error_n(t, n, ACT_ERR_LIMIT, 1, ACT_MAX_DEPTH + 1, msg); /* never closed */
    for (size_t i = 0; i < ACT_MAX_DEPTH + 1; i++)
        memcpy(t + 5 * i, "{\"a\":", 5);
    expect_error_n(t, 5 * (ACT_MAX_DEPTH + 1), ACT_ERR_LIMIT, 1, 5 * ACT_MAX_DEPTH + 1, msg);
    free(t);
}

static void test_nesting_at_the_limit_parses(void **state)
{
    (void)state;
    size_t n = ACT_MAX_DEPTH;
    char *t = malloc(2 * n + 1);
    memset(t, '[', n);
    memset(t + n, ']', n);
    t[2 * n] = '\0';
    expect_same_as_cjson(t, 2 * n);
    free(t);
}

/* ---- numbers ----------------------------------------------------------------------------- */

static void test_numbers_read_as_strtod_reads_them(void **state)
{
    (void)state;
    static const char *const nums[] = {"18446744073709551616",
                                       "18446744073709551615",
                                       "9007199254740993",
                                       "-9007199254740993",
                                       "1e400",
                                       "-1e400",
                                       "1e-400",
                                       "2.5e-324",
                                       "0.1e1",
                                       "100e-2",
                                       "1234567890123456789",
                                       "12345678901234567890",
                                       "0.30000000000000004",
                                       "123456789012345.6",
                                       "8.98846567431158e307",
                                       "1.00000000000000011102230246251565404236316680908203125",
                                       "0.000000000000000000000000000000000000000000001",
                                       "5e-324",
                                       "1.5e308",
                                       "2e308"};
    char buf[256];
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        snprintf(buf, sizeof(buf), "[%s]", nums[i]);
        struct act_doc *d = insts(buf);
        double want = strtod(nums[i], NULL), got = d->root->child->valuedouble;
        if (memcmp(&want, &got, sizeof(double)) != 0)
            fail_msg("%s: got %.17g, want %.17g", nums[i], got, want);
        act_doc_free(d);
        same(buf);
    }
}

static void test_numbers_longer_than_cjson_reads_are_exact(void **state)
{
    (void)state;
    /* cJSON stops reading a number after 63 bytes; RFC 8259 has no such limit. */
    const char *n = "1234567890123456789012345678901234567890123456789012345678901234567890."
                    "125e-10";
    char buf[200];
    snprintf(buf, sizeof(buf), "[%s]", n);
    struct act_doc *d = insts(buf);
    double want = strtod(n, NULL);
    assert_memory_equal(&d->root->child->valuedouble, &want, sizeof(double));
    act_doc_free(d);
}

static void test_valueint_saturates_as_cjson_does(void **state)
{
    (void)state;
    struct act_doc *d = insts("[3e9, -3e9, 2147483647, -2147483648, 1.9, -1.9, 2147483646.5, "
                              "true, false, null, 1e400, -1e400]");
    static const int want[] = {INT_MAX,    INT_MIN, INT_MAX, INT_MIN, 1,       -1,
                               2147483646, 1,       0,       0,       INT_MAX, INT_MIN};
    size_t i = 0;
    for (const cJSON *c = d->root->child; c; c = c->next, i++)
        assert_int_equal(c->valueint, want[i]);
    act_doc_free(d);
    same("[3e9, -3e9, 2147483647, -2147483648, 1.9, -1.9, 2147483646.5, true, false, null]");
}

/* The validator decides ties beyond 2^53 from the instance's text: it works on these trees. */
static void test_the_validator_compares_big_numbers_exactly_on_these_trees(void **state)
{
    (void)state;
    static const struct {
        const char *schema, *instance;
        size_t errors;
    } cases[] = {
        {"{\"maximum\": 18446744073709551615}", "[18446744073709551616]", 1},
        {"{\"maximum\": 18446744073709551616}", "[18446744073709551616]", 0},
        {"{\"minimum\": 18446744073709551616}", "[18446744073709551615]", 1},
        {"{\"maximum\": 1e308}", "[1e400]", 1},
        {"{\"maximum\": 1e400}", "[1e399]", 0},
        {"{\"multipleOf\": 0.01}", "[19.99, 1e400, 18446744073709551616]", 0},
        {"{\"multipleOf\": 0.01}", "[19.991]", 1},
        {"{\"format\": \"int64\"}", "[9223372036854775808, 9223372036854775807]", 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char schema[300];
        snprintf(schema, sizeof(schema), "{\"type\": \"array\", \"items\": %s}", cases[i].schema);
        struct act_doc *sd = must_parse("s.json", schema, ACT_DOC_JSON);
        struct act_doc *id = insts(cases[i].instance);
        struct act_docset *ds;
        struct act_validator *v;
        struct act_errlist errs;
        act_errlist_init(&errs, 0);
        assert_int_equal(act_docset_new(&ds), ACT_OK);
        assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
        assert_int_equal(act_validator_new(ds, &v), ACT_OK);
        assert_int_equal(act_validate_doc(v, (struct act_node){sd, sd->root}, id, id->root,
                                          ACT_DIR_RESPONSE, &errs, NULL),
                         ACT_OK);
        if (errs.n != cases[i].errors)
            fail_msg("%s on %s: %zu errors, want %zu", cases[i].schema, cases[i].instance, errs.n,
                     cases[i].errors);
        act_errlist_release(&errs);
        act_validator_free(v);
        act_docset_free(ds);
        act_doc_free(id);
    }
}

/* ---- the arena --------------------------------------------------------------------------- */

static void test_long_strings_grow_across_arena_blocks(void **state)
{
    (void)state;
    size_t n = 3u << 20;
    char *t = malloc(n + 16);
    size_t o = 0;
    t[o++] = '[';
    t[o++] = '"';
    for (size_t i = 0; o < n; i++) {
        if (i % 1000 == 999) {
            memcpy(t + o, "\\u00e9", 6);
            o += 6;
        } else if (i % 777 == 0) {
            memcpy(t + o, "\xe2\x82\xac", 3);
            o += 3;
        } else {
            t[o++] = (char)('a' + i % 26);
        }
    }
    memcpy(t + o, "\", 1]", 5);
    o += 5;
    t[o] = '\0';
    /* Through a small arena, so the string outgrows block after block. */
    struct act_arena a;
    cJSON *root = NULL;
    act_arena_init(&a, 100);
    assert_int_equal(act_json_fast_parse("big.json", t, o, &a, &root, NULL), ACT_OK);
    cJSON *c = cJSON_ParseWithLengthOpts(t, o, NULL, 0);
    assert_non_null(c);
    assert_true(same_tree(root, c, 0));
    cJSON_Delete(c);
    act_arena_release(&a);
    expect_same_as_cjson(t, o);
    free(t);
}

static void test_arena_memory_is_zeroed_aligned_and_survives_growth(void **state)
{
    (void)state;
    struct act_arena a;
    act_arena_init(&a, 64);
    for (int i = 0; i < 1000; i++) {
        size_t n = (size_t)(i % 37) + 1;
        unsigned char *p = act_arena_alloc(&a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 8, 0);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xAB, n);
        char *lim, *s = act_arena_open(&a, 8, &lim);
        assert_non_null(s);
        assert_true(lim - s >= 8);
        memset(s, 'x', 8);
        s = act_arena_extend(&a, s, 8, 100, &lim);
        assert_non_null(s);
        assert_true(lim - s >= 108);
        assert_memory_equal(s, "xxxxxxxx", 8);
        memset(s + 8, 0, 8);
        act_arena_close(&a, s, 9);
    }
    act_arena_release(&a);
    act_arena_release(&a); /* releasing twice is harmless */
}

/* ---- files ------------------------------------------------------------------------------- */

static void test_instances_load_from_files_with_the_loader_refusals(void **state)
{
    (void)state;
    char dir[] = "/tmp/act-json-fast-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/i.json", dir);
    write_file(path, "{\"a\": [1, 2.5, \"x\"]}\n");
    struct act_doc *d;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_load_instance(path, &d, &err), ACT_OK);
    assert_int_equal(d->format, ACT_DOC_JSON);
    assert_non_null(d->canon);
    int line, col;
    assert_true(act_doc_locate(d, "/a/2", &line, &col));
    assert_int_equal(col, 16);
    act_doc_free(d);
    write_file(path, "{\"a\":\n 01}");
    act_error_init(&err);
    assert_int_equal(act_doc_load_instance(path, &d, &err), ACT_ERR_PARSE);
    assert_null(d);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    act_error_init(&err);
    assert_int_equal(act_doc_load_instance(dir, &d, &err), ACT_ERR_IO);
    assert_string_equal(err.msg, "is a directory, not a file");
    remove(path);
    act_error_init(&err);
    assert_int_equal(act_doc_load_instance(path, &d, &err), ACT_ERR_IO);
    assert_string_equal(err.msg, "cannot open: No such file or directory");
    rmdir(dir);
}

/* ---- allocation failure ------------------------------------------------------------------ */

static void test_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    /* A long string makes the parser extend its room, a long number go to strtod. */
    char text[4096];
    int o = snprintf(text, sizeof(text), "{\"a\": [1, 2.5, {\"b\": \"c\"}], \"long\": \"");
    for (int i = 0; i < 2000; i++)
        text[o++] = (char)('a' + i % 26);
    snprintf(text + o, sizeof(text) - (size_t)o,
             "\", \"n\": 1234567890123456789012345678901234567890123456789012345678901234567.5}");
    size_t len = strlen(text);
    for (int way = 0; way < 2; way++) {
        for (long n = 1;; n++) {
            struct act_doc *d = NULL;
            struct act_arena a;
            cJSON *root = NULL;
            struct act_error err;
            act_error_init(&err);
            act_arena_init(&a, 64); /* small blocks: many allocations */
            act_alloc_fail_after(n);
            enum act_status st = way ? act_json_fast_parse("o.json", text, len, &a, &root, &err)
                                     : act_doc_parse_instance("o.json", text, len, &d, &err);
            long failed = act_alloc_failed();
            act_alloc_fail_after(0);
            act_arena_release(&a);
            if (failed == 0) {
                assert_int_equal(st, ACT_OK);
                act_doc_free(d);
                break;
            }
            assert_int_equal(st, ACT_ERR_NOMEM);
            assert_string_equal(err.msg, "out of memory");
            assert_null(d);
            assert_null(root);
            assert_true(n < 1000);
        }
    }
}

/* ---- differential: cJSON on many inputs -------------------------------------------------- */

struct gen {
    uint64_t seed; /* xorshift state */
    char *buf;     /* the document */
    size_t len, cap;
};

static uint64_t rnd(struct gen *g)
{
    g->seed ^= g->seed << 13;
    g->seed ^= g->seed >> 7;
    g->seed ^= g->seed << 17;
    return g->seed;
}

static void put(struct gen *g, const char *s, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        g->cap = (g->len + n + 1) * 2;
        g->buf = realloc(g->buf, g->cap);
        assert_non_null(g->buf);
    }
    memcpy(g->buf + g->len, s, n);
    g->len += n;
    g->buf[g->len] = '\0';
}

static void puts_(struct gen *g, const char *s)
{
    put(g, s, strlen(s));
}

static void ws(struct gen *g)
{
    static const char *const w[] = {"", "", "", " ", "\n", "\t", "\r\n  ", "  "};
    puts_(g, w[rnd(g) % 8]);
}

static void gen_number(struct gen *g)
{
    char b[128];
    size_t o = 0;
    if (rnd(g) % 3 == 0)
        b[o++] = '-';
    int digits = 1 + (int)(rnd(g) % (rnd(g) % 4 == 0 ? 25 : 8));
    b[o++] = digits == 1 ? (char)('0' + rnd(g) % 10) : (char)('1' + rnd(g) % 9);
    for (int i = 1; i < digits; i++)
        b[o++] = (char)('0' + rnd(g) % 10);
    if (rnd(g) % 3 == 0) {
        b[o++] = '.';
        int f = 1 + (int)(rnd(g) % 20);
        for (int i = 0; i < f; i++)
            b[o++] = (char)('0' + rnd(g) % 10);
    }
    if (rnd(g) % 4 == 0) {
        b[o++] = rnd(g) % 2 ? 'e' : 'E';
        int s = (int)(rnd(g) % 3);
        if (s)
            b[o++] = s == 1 ? '+' : '-';
        o += (size_t)snprintf(b + o, sizeof(b) - o, "%d", (int)(rnd(g) % 400));
    }
    put(g, b, o);
}

static void gen_string(struct gen *g)
{
    static const char *const pieces[] = {"a",
                                         "hello",
                                         " ",
                                         "\\\"",
                                         "\\\\",
                                         "\\/",
                                         "\\b",
                                         "\\f",
                                         "\\n",
                                         "\\r",
                                         "\\t",
                                         "\\u0041",
                                         "\\u00e9",
                                         "\\u20ac",
                                         "\\uD83D\\uDE00",
                                         "\\ud800\\udc00",
                                         "\\uffff",
                                         "\xc3\xa9",
                                         "\xe2\x82\xac",
                                         "\xf0\x9f\x98\x80",
                                         "\xef\xbf\xbd",
                                         "0123456789abcdef",
                                         "~",
                                         "\x7f",
                                         "https://api.github.com/repos/octocat/Hello-World"};
    put(g, "\"", 1);
    int n = (int)(rnd(g) % 12);
    for (int i = 0; i < n; i++)
        puts_(g, pieces[rnd(g) % (sizeof(pieces) / sizeof(pieces[0]))]);
    put(g, "\"", 1);
}

static void gen_value(struct gen *g, int depth)
{
    unsigned k = (unsigned)(rnd(g) % (depth > 6 ? 6 : 8));
    switch (k) {
    case 0: puts_(g, "true"); break;
    case 1: puts_(g, "false"); break;
    case 2: puts_(g, "null"); break;
    case 3: gen_number(g); break;
    case 4:
    case 5: gen_string(g); break;
    case 6: {
        int n = (int)(rnd(g) % 5);
        put(g, "[", 1);
        for (int i = 0; i < n; i++) {
            ws(g);
            if (i)
                put(g, ",", 1), ws(g);
            gen_value(g, depth + 1);
        }
        ws(g);
        put(g, "]", 1);
        break;
    }
    default: {
        int n = (int)(rnd(g) % 5);
        put(g, "{", 1);
        for (int i = 0; i < n; i++) {
            ws(g);
            if (i)
                put(g, ",", 1), ws(g);
            gen_string(g);
            ws(g);
            put(g, ":", 1);
            ws(g);
            gen_value(g, depth + 1);
        }
        ws(g);
        put(g, "}", 1);
        break;
    }
    }
}

static void test_random_documents_give_the_tree_cjson_gives(void **state)
{
    (void)state;
    struct gen g = {0x9E3779B97F4A7C15ull, NULL, 0, 0};
    for (int i = 0; i < 5000; i++) {
        g.len = 0;
        ws(&g);
        gen_value(&g, 0);
        ws(&g);
        expect_same_as_cjson(g.buf, g.len);
    }
    free(g.buf);
}

/* The longest run of number characters in s (cJSON reads at most 63 of them). */
static size_t longest_number(const char *s)
{
    size_t best = 0, run = 0;
    for (; *s; s++) {
        run = strchr("0123456789+-.eE", *s) ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

/* Mutated documents: whatever this parser accepts, cJSON accepts with the same tree
 * (RFC 8259 is the stricter grammar), and every refusal has a position inside the text. */
static void test_mutated_documents_are_refused_or_read_as_cjson_reads_them(void **state)
{
    (void)state;
    static const char mut[] = "\"\\{}[],:0-+.eEu \t\n\x01\x80\xc3\xa9xtfn";
    struct gen g = {0x2545F4914F6CDD1Dull, NULL, 0, 0};
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
        g.len = 0;
        gen_value(&g, 0);
        size_t edits = 1 + rnd(&g) % 3;
        for (size_t e = 0; e < edits && g.len; e++) {
            size_t at = rnd(&g) % g.len;
            char c = mut[rnd(&g) % (sizeof(mut) - 1)];
            if (rnd(&g) % 2) {
                g.buf[at] = c;
            } else {
                memmove(g.buf + at, g.buf + at + 1, g.len - at); /* delete, keeping the NUL */
                g.len--;
            }
        }
        struct act_doc *d = NULL;
        struct act_error err;
        act_error_init(&err);
        if (act_doc_parse_instance("m.json", g.buf, g.len, &d, &err) == ACT_OK) {
            accepted++;
            cJSON *c = cJSON_ParseWithLengthOpts(g.buf, g.len, NULL, 0);
            if (!c && longest_number(g.buf) > 63) {
                act_doc_free(d); /* beyond what cJSON reads: a known difference */
                continue;
            }
            if (!c || !same_tree(d->root, c, 0))
                fail_msg("cJSON reads differently: %s", g.buf);
            cJSON_Delete(c);
            act_doc_free(d);
        } else {
            assert_true(err.line >= 1 && err.col >= 1);
            assert_true(err.msg[0] != '\0');
        }
    }
    assert_true(accepted > 100);
    free(g.buf);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_of_value_parses_as_cjson_parses_it),
        cmocka_unit_test(test_duplicate_member_names_are_kept_in_order),
        cmocka_unit_test(test_structural_errors_name_the_unexpected_character_and_its_position),
        cmocka_unit_test(test_only_space_tab_cr_and_lf_are_whitespace),
        cmocka_unit_test(test_numbers_follow_the_rfc_grammar),
        cmocka_unit_test(test_strings_refuse_raw_control_characters_and_bad_escapes),
        cmocka_unit_test(test_escapes_and_surrogate_pairs_decode_to_utf8),
        cmocka_unit_test(test_nul_bytes_and_invalid_utf8_are_refused_as_the_loader_refuses_them),
        cmocka_unit_test(test_u0000_is_kept_whole_as_c0_80),
        cmocka_unit_test(test_duplicate_member_names_are_noted_with_both_positions),
        cmocka_unit_test(test_documents_with_several_problems_report_what_the_loader_reports),
        cmocka_unit_test(test_nesting_beyond_the_limit_is_a_limit_error_not_a_stack_overflow),
        cmocka_unit_test(test_nesting_at_the_limit_parses),
        cmocka_unit_test(test_numbers_read_as_strtod_reads_them),
        cmocka_unit_test(test_numbers_longer_than_cjson_reads_are_exact),
        cmocka_unit_test(test_valueint_saturates_as_cjson_does),
        cmocka_unit_test(test_the_validator_compares_big_numbers_exactly_on_these_trees),
        cmocka_unit_test(test_long_strings_grow_across_arena_blocks),
        cmocka_unit_test(test_arena_memory_is_zeroed_aligned_and_survives_growth),
        cmocka_unit_test(test_instances_load_from_files_with_the_loader_refusals),
        cmocka_unit_test(test_oom_at_every_allocation_is_reported_and_leaks_nothing),
        cmocka_unit_test(test_random_documents_give_the_tree_cjson_gives),
        cmocka_unit_test(test_mutated_documents_are_refused_or_read_as_cjson_reads_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
