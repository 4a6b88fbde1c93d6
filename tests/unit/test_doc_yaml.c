/*
 * test_doc_yaml.c - the YAML back end: typing, tags, anchors, merges, limits,
 * error positions, act_yaml_locate and its index (checked against it on every
 * node), and allocation-failure sweeps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "common/act_alloc.h"
#include "common/act_limits.h"
#include "parser/doc.h"
#include "parser/doc_int.h"
#include "parser/doc_yaml.h"
#include "parser/doc_yaml_index.h"
#include "parser/pointer.h"

/* ---- helpers ---- */

static cJSON *parse(const char *text)
{
    struct act_error err;
    cJSON *root = NULL;
    act_error_init(&err);
    enum act_status st = act_yaml_parse("t.yaml", text, strlen(text), &root, &err);
    if (st)
        fail_msg("unexpected error %d: %d:%d: %s", st, err.line, err.col, err.msg);
    assert_non_null(root);
    return root;
}

/* Parse text expecting failure; returns the status and fills err. */
static enum act_status parse_fails(const char *text, size_t len, struct act_error *err)
{
    cJSON *root = (cJSON *)0x1;
    act_error_init(err);
    enum act_status st = act_yaml_parse("t.yaml", text, len, &root, err);
    assert_int_not_equal(st, ACT_OK);
    assert_ptr_equal(root, (cJSON *)0x1); /* *out untouched on failure */
    assert_int_equal(err->status, st);
    assert_string_equal(err->file, "t.yaml");
    return st;
}

static void expect_error(const char *text, enum act_status st, int line, int col, const char *msg)
{
    struct act_error err;
    assert_int_equal(parse_fails(text, strlen(text), &err), st);
    if (!strstr(err.msg, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
}

static const cJSON *at(const cJSON *root, const char *pointer)
{
    const cJSON *n = act_pointer_get(root, pointer);
    if (!n)
        fail_msg("no node at %s", pointer);
    return n;
}

static void want_number(const cJSON *root, const char *pointer, double v)
{
    const cJSON *n = at(root, pointer);
    assert_true(cJSON_IsNumber(n));
    if (n->valuedouble != v)
        fail_msg("%s is %.17g, expected %.17g", pointer, n->valuedouble, v);
}

static void want_string(const cJSON *root, const char *pointer, const char *s)
{
    const cJSON *n = at(root, pointer);
    if (!cJSON_IsString(n))
        fail_msg("%s is not a string", pointer);
    assert_string_equal(n->valuestring, s);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * times + t + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * times, tail, t + 1);
    return s;
}

static void expect_located(const char *text, const char *pointer, int line, int col)
{
    int l = -1, c = -1;
    if (!act_yaml_locate(text, strlen(text), pointer, &l, &c))
        fail_msg("%s not located", pointer);
    if (l != line || c != col)
        fail_msg("%s at %d:%d, expected %d:%d", pointer, l, c, line, col);
}

static void expect_not_located(const char *text, const char *pointer)
{
    int l = -1, c = -1;
    assert_int_equal(act_yaml_locate(text, strlen(text), pointer, &l, &c), 0);
    assert_int_equal(l, -1);
}

/* ---- core schema ---- */

static void test_yaml_plain_true_is_boolean(void **state)
{
    (void)state;
    cJSON *r = parse("a: [true, True, TRUE]\n");
    for (const cJSON *c = at(r, "/a")->child; c; c = c->next)
        assert_true(cJSON_IsTrue(c));
    cJSON_Delete(r);
}

static void test_yaml_plain_false_is_boolean(void **state)
{
    (void)state;
    cJSON *r = parse("a: [false, False, FALSE]\n");
    for (const cJSON *c = at(r, "/a")->child; c; c = c->next)
        assert_true(cJSON_IsFalse(c));
    cJSON_Delete(r);
}

static void test_yaml_null_spellings_are_null(void **state)
{
    (void)state;
    cJSON *r = parse("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: [~]\n");
    const char *ps[] = {"/a", "/b", "/c", "/d", "/e", "/f/0"};
    for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
        if (!cJSON_IsNull(at(r, ps[i])))
            fail_msg("%s is not null", ps[i]);
    cJSON_Delete(r);
}

static void test_yaml_decimal_ints_are_numbers(void **state)
{
    (void)state;
    cJSON *r = parse("[0, 7, -12, +3, 012, 9007199254740993]\n");
    want_number(r, "/0", 0);
    want_number(r, "/1", 7);
    want_number(r, "/2", -12);
    want_number(r, "/3", 3);
    want_number(r, "/4", 12);
    want_number(r, "/5", 9007199254740993.0); /* a double: exactness is out of scope */
    cJSON_Delete(r);
}

static void test_yaml_hex_and_octal_ints_are_numbers(void **state)
{
    (void)state;
    cJSON *r = parse("hex: 0x1F\nHEX: 0xfF\noct: 0o17\n");
    want_number(r, "/hex", 31);
    want_number(r, "/HEX", 255);
    want_number(r, "/oct", 15);
    cJSON_Delete(r);
}

static void test_yaml_floats_are_numbers(void **state)
{
    (void)state;
    cJSON *r = parse("[1.5e3, .5, 1., -2.25, +1E-2, 3e2, -.5e+1]\n");
    want_number(r, "/0", 1500);
    want_number(r, "/1", 0.5);
    want_number(r, "/2", 1);
    want_number(r, "/3", -2.25);
    want_number(r, "/4", 0.01);
    want_number(r, "/5", 300);
    want_number(r, "/6", -5);
    cJSON_Delete(r);
}

static void test_yaml_infinity_and_nan_are_numbers(void **state)
{
    (void)state;
    cJSON *r = parse("[.inf, -.inf, +.Inf, .INF, .nan, .NaN, .NAN]\n");
    want_number(r, "/0", INFINITY);
    want_number(r, "/1", -INFINITY);
    want_number(r, "/2", INFINITY);
    want_number(r, "/3", INFINITY);
    for (int i = 4; i <= 6; i++) {
        const cJSON *n = cJSON_GetArrayItem(r, i);
        assert_true(cJSON_IsNumber(n));
        assert_true(isnan(n->valuedouble));
    }
    cJSON_Delete(r);
}

static void test_yaml_yaml11_booleans_stay_strings(void **state)
{
    (void)state;
    cJSON *r = parse("[on, yes, no, off, y, n, On, YES]\n");
    const char *want[] = {"on", "yes", "no", "off", "y", "n", "On", "YES"};
    for (int i = 0; i < 8; i++) {
        const cJSON *n = cJSON_GetArrayItem(r, i);
        assert_true(cJSON_IsString(n));
        assert_string_equal(n->valuestring, want[i]);
    }
    cJSON_Delete(r);
}

static void test_yaml_number_lookalikes_stay_strings(void **state)
{
    (void)state;
    const char *want[] = {"012x",  "1_000", "0x",         "0o8",   "0xG",  ".e5",    "1e",
                          "1e+",   "nan",   "inf",        ".",     "-",    "+.inf5", "1.2.3",
                          "0b101", "-.nan", "2001-12-14", "1:000", "nULL", "tRUE",   "~~"};
    char text[512] = "[";
    size_t n = sizeof(want) / sizeof(want[0]);
    for (size_t i = 0; i < n; i++) {
        strcat(text, want[i]);
        strcat(text, i + 1 < n ? ", " : "]\n");
    }
    cJSON *r = parse(text);
    for (size_t i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetArrayItem(r, (int)i);
        if (!cJSON_IsString(v) || strcmp(v->valuestring, want[i]))
            fail_msg("\"%s\" did not stay a string", want[i]);
    }
    cJSON_Delete(r);
}

static void test_yaml_quoted_and_block_scalars_stay_strings(void **state)
{
    (void)state;
    cJSON *r = parse("a: \"12\"\nb: '12'\nc: |\n  12\nd: >-\n  true\ne: \"\"\nf: 'null'\n");
    want_string(r, "/a", "12");
    want_string(r, "/b", "12");
    want_string(r, "/c", "12\n");
    want_string(r, "/d", "true");
    want_string(r, "/e", "");
    want_string(r, "/f", "null");
    cJSON_Delete(r);
}

static void test_yaml_numeric_and_boolean_keys_are_key_text(void **state)
{
    (void)state;
    cJSON *r = parse("200: ok\ntrue: t\n~: n\n0x10: h\n1.50: f\n");
    want_string(r, "/200", "ok");
    want_string(r, "/true", "t");
    want_string(r, "/~0", "n");
    want_string(r, "/0x10", "h");
    want_string(r, "/1.50", "f");
    cJSON_Delete(r);
}

/* ---- tags ---- */

static void test_yaml_int_tag_turns_quoted_text_into_number(void **state)
{
    (void)state;
    cJSON *r = parse("a: !!int \"12\"\nb: !!int '0x1F'\nc: !<tag:yaml.org,2002:int> 7\n");
    want_number(r, "/a", 12);
    want_number(r, "/b", 31);
    want_number(r, "/c", 7);
    cJSON_Delete(r);
}

static void test_yaml_str_tag_keeps_number_text(void **state)
{
    (void)state;
    cJSON *r = parse("a: !!str 12\nb: !!str true\nc: !!str\nd: ! 12\n");
    want_string(r, "/a", "12");
    want_string(r, "/b", "true");
    want_string(r, "/c", "");
    want_string(r, "/d", "12");
    cJSON_Delete(r);
}

static void test_yaml_float_bool_null_tags_are_honoured(void **state)
{
    (void)state;
    cJSON *r = parse("a: !!float 1\nb: !!float \".inf\"\nc: !!bool \"true\"\nd: !!null \"\"\n"
                     "e: !!null ~\nf: !!map {x: 1}\ng: !!seq [1]\n");
    want_number(r, "/a", 1);
    want_number(r, "/b", INFINITY);
    assert_true(cJSON_IsTrue(at(r, "/c")));
    assert_true(cJSON_IsNull(at(r, "/d")));
    assert_true(cJSON_IsNull(at(r, "/e")));
    want_number(r, "/f/x", 1);
    want_number(r, "/g/0", 1);
    cJSON_Delete(r);
}

static void test_yaml_unknown_tags_keep_core_typing(void **state)
{
    (void)state;
    cJSON *r = parse("%TAG !e! tag:example.com,2000:\n---\na: !custom 12\nb: !custom \"12\"\n"
                     "c: !e!thing true\nd: !!binary aGk=\ne: !x {k: 1}\n");
    want_number(r, "/a", 12);
    want_string(r, "/b", "12");
    assert_true(cJSON_IsTrue(at(r, "/c")));
    want_string(r, "/d", "aGk=");
    want_number(r, "/e/k", 1);
    cJSON_Delete(r);
}

static void test_yaml_value_not_fitting_its_tag_is_error(void **state)
{
    (void)state;
    expect_error("a: !!int abc\n", ACT_ERR_INVALID, 1, 4, "value \"abc\" does not fit tag !!int");
    expect_error("a: !!int 1.5\n", ACT_ERR_INVALID, 1, 4, "!!int");
    expect_error("a: !!float 0x1F\n", ACT_ERR_INVALID, 1, 4, "!!float");
    expect_error("a: !!bool yes\n", ACT_ERR_INVALID, 1, 4, "!!bool");
    expect_error("a: !!null x\n", ACT_ERR_INVALID, 1, 4, "!!null");
    expect_error("!!int x: 1\n", ACT_ERR_INVALID, 1, 1, "!!int");
}

static void test_yaml_collection_tag_mismatch_is_error(void **state)
{
    (void)state;
    expect_error("a: !!map x\n", ACT_ERR_INVALID, 1, 4, "tag !!map does not fit a scalar");
    expect_error("a: !!str [1]\n", ACT_ERR_INVALID, 1, 4, "tag !!str does not fit a sequence");
    expect_error("a: !!seq {b: 1}\n", ACT_ERR_INVALID, 1, 4, "tag !!seq does not fit a mapping");
}

/* ---- anchors and aliases ---- */

static void test_yaml_alias_copies_anchored_mapping(void **state)
{
    (void)state;
    cJSON *r = parse("a: &x {k: [1, 2], s: str}\nb: *x\nc: [*x, *x]\n");
    assert_true(cJSON_Compare(at(r, "/a"), at(r, "/b"), 1));
    assert_true(cJSON_Compare(at(r, "/a"), at(r, "/c/1"), 1));
    /* A deep copy: no node is shared, and the copy does not carry the anchor's key. */
    assert_ptr_not_equal(at(r, "/a/k"), at(r, "/b/k"));
    assert_string_equal(at(r, "/b")->string, "b");
    assert_null(at(r, "/c/0")->string);
    cJSON_Delete(r);
}

static void test_yaml_alias_of_scalar_keeps_its_type(void **state)
{
    (void)state;
    cJSON *r = parse("a: &n 42\nb: &t true\nc: &s \"42\"\nd: [*n, *t, *s]\n");
    want_number(r, "/d/0", 42);
    assert_true(cJSON_IsTrue(at(r, "/d/1")));
    want_string(r, "/d/2", "42");
    cJSON_Delete(r);
}

static void test_yaml_alias_as_key_uses_scalar_text(void **state)
{
    (void)state;
    cJSON *r = parse("a: &k 200\nm:\n  *k : ok\n&q name: v\nn: *q\n");
    want_string(r, "/m/200", "ok");
    want_string(r, "/name", "v");
    want_string(r, "/n", "name");
    cJSON_Delete(r);
    expect_error("a: &m {x: 1}\nb:\n  *m : v\n", ACT_ERR_INVALID, 3, 3,
                 "mapping key is not a scalar");
    expect_error("a: &k x\nb:\n  x: 1\n  *k : 2\n", ACT_ERR_INVALID, 4, 3, "duplicate key \"x\"");
}

static void test_yaml_redefined_anchor_uses_latest_definition(void **state)
{
    (void)state;
    cJSON *r = parse("a: &x 1\nb: *x\nc: &x [2]\nd: *x\ne: &y [&y 3, 4]\nf: *y\n");
    want_number(r, "/b", 1);
    want_number(r, "/d/0", 2);
    want_number(r, "/f", 3);
    cJSON_Delete(r);
}

static void test_yaml_undefined_alias_is_error(void **state)
{
    (void)state;
    expect_error("a: 1\nb: *nope\n", ACT_ERR_INVALID, 2, 4, "undefined alias \"nope\"");
}

static void test_yaml_recursive_alias_is_error(void **state)
{
    (void)state;
    expect_error("a: &x\n  b: *x\n", ACT_ERR_INVALID, 2, 6, "recursive alias \"x\"");
    expect_error("&r [1, [2, *r]]\n", ACT_ERR_INVALID, 1, 12, "recursive alias");
    expect_error("a: &m\n  <<: *m\n", ACT_ERR_INVALID, 2, 7, "recursive alias");
}

static void test_yaml_alias_bomb_is_limit_error_quickly(void **state)
{
    (void)state;
    const char *bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    struct act_error err;
    double t0 = now();
    assert_int_equal(parse_fails(bomb, strlen(bomb), &err), ACT_ERR_LIMIT);
    double secs = now() - t0;
    assert_string_equal(err.msg, "too many alias expansions (alias bomb?)");
    /* b..f have charged 672,588 nodes; f holds 597,871 more, so the first *f stops it. */
    assert_int_equal(err.line, 7);
    assert_int_equal(err.col, 8);
    if (secs > 5.0)
        fail_msg("alias bomb took %.2f s", secs);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (ru.ru_maxrss > 2L * 1024 * 1024) /* KiB: well under the 9^9 nodes of a real expansion */
        fail_msg("peak memory %ld KiB", ru.ru_maxrss);
}

static void test_yaml_aliased_long_string_counts_by_size(void **state)
{
    (void)state;
    /* 1,000 copies of a 100 KB string would be 100 MB from 105 KB of text. */
    char *big = repeat("x", 100 * 1000, "");
    char *refs = repeat("*s, ", 1000, "*s]\n");
    size_t n = strlen(big) + strlen(refs) + 32;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "s: &s %s\nl: [%s", big, refs);
    struct act_error err;
    assert_int_equal(parse_fails(text, strlen(text), &err), ACT_ERR_LIMIT);
    assert_string_equal(err.msg, "too many alias expansions (alias bomb?)");
    assert_int_equal(err.line, 2);
    /* A few copies are fine. */
    snprintf(text, n, "s: &s %s\nl: [*s, *s, *s]\n", big);
    cJSON *r = parse(text);
    assert_int_equal(strlen(at(r, "/l/2")->valuestring), 100 * 1000);
    cJSON_Delete(r);
    free(text);
    free(refs);
    free(big);
}

static void test_yaml_alias_expansion_counts_toward_depth(void **state)
{
    (void)state;
    char *deep = repeat("[", 300, "");
    char *close = repeat("]", 300, "");
    char *inner = repeat("[", 300, "*a");
    size_t n = strlen(deep) * 4 + 64;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "a: &a %s%s\nb: %s%s\n", deep, close, inner, close);
    expect_error(text, ACT_ERR_LIMIT, 2, 304, "nesting deeper than 512");
    /* Shallow enough: 1 + 200 + 300 stays within the limit. */
    snprintf(text, n, "a: &a %s%s\nb: %s*a%s\n", deep, close, deep + 100, close + 100);
    cJSON *r = parse(text);
    cJSON_Delete(r);
    free(text);
    free(deep);
    free(close);
    free(inner);
}

/* ---- merge keys ---- */

static void test_yaml_merge_single_mapping(void **state)
{
    (void)state;
    cJSON *r = parse("base: &b {x: 1, y: [2]}\nm:\n  <<: *b\n  z: 3\n");
    want_number(r, "/m/x", 1);
    want_number(r, "/m/y/0", 2);
    want_number(r, "/m/z", 3);
    assert_int_equal(cJSON_GetArraySize(at(r, "/m")), 3);
    assert_null(cJSON_GetObjectItemCaseSensitive(at(r, "/m"), "<<"));
    /* Merged values are copies. */
    assert_ptr_not_equal(at(r, "/m/y"), at(r, "/base/y"));
    cJSON_Delete(r);
}

static void test_yaml_merge_sequence_earlier_mapping_wins(void **state)
{
    (void)state;
    cJSON *r = parse("a: &a {k: from-a, only-a: 1}\nb: &b {k: from-b, only-b: 2}\n"
                     "m:\n  <<: [*a, *b, {k: inline, only-c: 3}]\n");
    want_string(r, "/m/k", "from-a");
    want_number(r, "/m/only-a", 1);
    want_number(r, "/m/only-b", 2);
    want_number(r, "/m/only-c", 3);
    assert_int_equal(cJSON_GetArraySize(at(r, "/m")), 4);
    cJSON_Delete(r);
}

static void test_yaml_merge_explicit_key_wins_before_and_after(void **state)
{
    (void)state;
    cJSON *r = parse("a: &a {k: merged, j: merged, n: merged}\n"
                     "m:\n  k: before\n  <<: *a\n  j: after\n");
    want_string(r, "/m/k", "before");
    want_string(r, "/m/j", "after");
    want_string(r, "/m/n", "merged");
    assert_int_equal(cJSON_GetArraySize(at(r, "/m")), 3);
    cJSON_Delete(r);
}

static void test_yaml_merge_inline_anchored_source_stays_aliasable(void **state)
{
    (void)state;
    cJSON *r = parse("m:\n  <<: &src {x: 1}\n  y: 2\nn: *src\no:\n  <<: *src\n");
    want_number(r, "/m/x", 1);
    want_number(r, "/n/x", 1);
    want_number(r, "/o/x", 1);
    assert_int_equal(cJSON_GetArraySize(at(r, "/n")), 1);
    cJSON_Delete(r);
}

static void test_yaml_merged_mapping_can_itself_be_aliased(void **state)
{
    (void)state;
    cJSON *r = parse("a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc: *b\nd:\n  <<: *b\n");
    want_number(r, "/c/x", 1);
    want_number(r, "/c/y", 2);
    want_number(r, "/d/x", 1);
    want_number(r, "/d/y", 2);
    cJSON_Delete(r);
}

static void test_yaml_merge_of_non_mapping_is_error(void **state)
{
    (void)state;
    const char *msg = "merge value must be a mapping or a sequence of mappings";
    expect_error("m:\n  <<: 1\n", ACT_ERR_INVALID, 2, 7, msg);
    expect_error("m:\n  <<:\n", ACT_ERR_INVALID, 2, 6, msg);
    expect_error("s: &s str\nm:\n  <<: *s\n", ACT_ERR_INVALID, 3, 7, msg);
    expect_error("m:\n  <<: [{a: 1}, x]\n", ACT_ERR_INVALID, 2, 7, msg);
    expect_error("q: &q [[1]]\nm:\n  <<: *q\n", ACT_ERR_INVALID, 3, 7, msg);
}

static void test_yaml_quoted_merge_key_is_plain_key(void **state)
{
    (void)state;
    cJSON *r = parse("a: &a {x: 1}\nm:\n  \"<<\": *a\n");
    want_number(r, "/m/<</x", 1);
    cJSON_Delete(r);
}

/* ---- keys ---- */

static void test_yaml_duplicate_key_reports_both_positions(void **state)
{
    (void)state;
    expect_error("a: 1\nm:\n  k: 1\n  j: 2\n  k: 3\n", ACT_ERR_INVALID, 5, 3,
                 "duplicate key \"k\" (first defined at line 3, column 3)");
    expect_error("{a: 1, b: 2, a: 3}\n", ACT_ERR_INVALID, 1, 14, "duplicate key \"a\"");
    /* Key text decides, whatever the scalar's type. */
    expect_error("1: a\n\"1\": b\n", ACT_ERR_INVALID, 2, 1, "duplicate key \"1\"");
}

static void test_yaml_duplicate_key_found_in_big_mapping(void **state)
{
    (void)state;
    size_t cap = 64 * 1024;
    char *text = malloc(cap);
    size_t n = 0;
    assert_non_null(text);
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(text + n, cap - n, "key%d: %d\n", i, i);
    snprintf(text + n, cap - n, "key517: again\n");
    expect_error(text, ACT_ERR_INVALID, 1001, 1,
                 "duplicate key \"key517\" (first defined at line 518, column 1)");
    free(text);
}

static void test_yaml_ten_thousand_keys_load_fast_in_order(void **state)
{
    (void)state;
    size_t cap = 1024 * 1024;
    char *text = malloc(cap);
    size_t n = 0;
    assert_non_null(text);
    for (int i = 0; i < 10000; i++)
        n += (size_t)snprintf(text + n, cap - n, "k%d: [%d]\n", i, i);
    double t0 = now();
    cJSON *r = parse(text);
    double secs = now() - t0;
    if (secs > 2.0)
        fail_msg("10,000 keys took %.2f s", secs);
    int i = 0;
    for (const cJSON *c = r->child; c; c = c->next, i++) {
        char k[32];
        snprintf(k, sizeof(k), "k%d", i);
        assert_string_equal(c->string, k);
        assert_int_equal(c->child->valueint, i);
    }
    assert_int_equal(i, 10000);
    /* cJSON's invariant: the first child's prev is the last child. */
    assert_ptr_equal(r->child->prev, cJSON_GetArrayItem(r, 9999));
    assert_null(cJSON_GetArrayItem(r, 9999)->next);
    free(text);
    cJSON_Delete(r);
}

static void test_yaml_children_stay_editable_with_cjson(void **state)
{
    (void)state;
    cJSON *r = parse("a: [1, 2, 3]\nb: x\n");
    cJSON *a = cJSON_GetObjectItemCaseSensitive(r, "a");
    assert_true(cJSON_AddItemToArray(a, cJSON_CreateNumber(4)));
    want_number(r, "/a/3", 4);
    cJSON_Delete(cJSON_DetachItemFromArray(a, 3));
    cJSON_Delete(cJSON_DetachItemFromArray(a, 0));
    want_number(r, "/a/0", 2);
    assert_ptr_equal(a->child->prev, cJSON_GetArrayItem(a, 1));
    cJSON_AddStringToObject(r, "c", "added");
    want_string(r, "/c", "added");
    char *s = cJSON_PrintUnformatted(r);
    assert_string_equal(s, "{\"a\":[2,3],\"b\":\"x\",\"c\":\"added\"}");
    cJSON_free(s);
    cJSON_Delete(r);
}

static void test_yaml_non_scalar_keys_are_errors(void **state)
{
    (void)state;
    expect_error("? [a]\n: b\n", ACT_ERR_INVALID, 1, 3, "mapping key is not a scalar");
    expect_error("x: {[a]: b}\n", ACT_ERR_INVALID, 1, 5, "mapping key is not a scalar");
    expect_error("? {a: 1}\n: b\n", ACT_ERR_INVALID, 1, 3, "mapping key is not a scalar");
}

static void test_yaml_nul_escape_is_error(void **state)
{
    (void)state;
    expect_error("a: \"x\\0y\"\n", ACT_ERR_INVALID, 1, 4, "NUL");
}

static void test_yaml_long_key_is_clipped_in_message(void **state)
{
    (void)state;
    char *key = repeat("k", 5000, "");
    size_t n = strlen(key) * 2 + 32;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "? %s\n: 1\n? %s\n: 2\n", key, key);
    struct act_error err;
    assert_int_equal(parse_fails(text, strlen(text), &err), ACT_ERR_INVALID);
    assert_non_null(strstr(err.msg, "...\""));
    assert_true(strlen(err.msg) < 300);
    free(text);
    free(key);
}

/* ---- documents ---- */

static void test_yaml_two_documents_is_error(void **state)
{
    (void)state;
    expect_error("a: 1\n---\nb: 2\n", ACT_ERR_PARSE, 2, 1, "more than one YAML document");
    expect_error("--- a\n...\n--- b\n", ACT_ERR_PARSE, 3, 1, "more than one YAML document");
}

static void test_yaml_document_markers_around_one_document_are_fine(void **state)
{
    (void)state;
    cJSON *r = parse("%YAML 1.2\n---\na: 1\n...\n# trailing comment\n");
    want_number(r, "/a", 1);
    cJSON_Delete(r);
    r = parse("--- ~\n");
    assert_true(cJSON_IsNull(r));
    cJSON_Delete(r);
}

static void test_yaml_empty_input_is_error(void **state)
{
    (void)state;
    struct act_error err;
    assert_int_equal(parse_fails("", 0, &err), ACT_ERR_PARSE);
    assert_string_equal(err.msg, "empty file");
    expect_error("# only a comment\n\n", ACT_ERR_PARSE, 1, 1, "empty document");
    expect_error("---\n", ACT_ERR_PARSE, 2, 1, "empty document");
}

/* ---- depth ---- */

static void test_yaml_million_deep_flow_nesting_is_limit_error(void **state)
{
    (void)state;
    char *text = repeat("[", 1000000, "");
    struct act_error err;
    double t0 = now();
    assert_int_equal(parse_fails(text, strlen(text), &err), ACT_ERR_LIMIT);
    assert_string_equal(err.msg, "nesting deeper than 512");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, ACT_MAX_DEPTH + 1);
    if (now() - t0 > 2.0)
        fail_msg("took %.2f s", now() - t0);
    free(text);
}

static void test_yaml_million_deep_block_nesting_is_limit_error(void **state)
{
    (void)state;
    char *text = repeat("- ", 1000000, "x\n");
    struct act_error err;
    double t0 = now();
    assert_int_equal(parse_fails(text, strlen(text), &err), ACT_ERR_LIMIT);
    assert_string_equal(err.msg, "nesting deeper than 512");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 2 * ACT_MAX_DEPTH + 1);
    if (now() - t0 > 2.0)
        fail_msg("took %.2f s", now() - t0);
    free(text);
    text = repeat("{a: ", 1000000, "");
    assert_int_equal(parse_fails(text, strlen(text), &err), ACT_ERR_LIMIT);
    free(text);
}

static void test_yaml_depth_512_loads_and_513_does_not(void **state)
{
    (void)state;
    char *open = repeat("[", ACT_MAX_DEPTH, "");
    char *close = repeat("]", ACT_MAX_DEPTH, "\n");
    size_t n = 2 * ACT_MAX_DEPTH + 8;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "%s%s", open, close);
    cJSON *r = parse(text);
    cJSON_Delete(r);
    snprintf(text, n, "[%s]%s", open, close);
    expect_error(text, ACT_ERR_LIMIT, 1, ACT_MAX_DEPTH + 1, "nesting deeper than 512");
    free(text);
    free(open);
    free(close);
}

/* ---- syntax errors ---- */

static void test_yaml_syntax_error_reports_problem_position_and_context(void **state)
{
    (void)state;
    struct act_error err;
    const char *text = "a:\n  b: 1\n c: 2\n";
    assert_int_equal(parse_fails(text, strlen(text), &err), ACT_ERR_PARSE);
    assert_string_equal(err.msg, "did not find expected key");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 2);
    assert_string_equal(err.context, "while parsing a block mapping at t.yaml:1:1");
}

static void test_yaml_unclosed_flow_sequence_reports_position(void **state)
{
    (void)state;
    expect_error("key: [1, 2\nother: 3\n", ACT_ERR_PARSE, 2, 6, "did not find expected ',' or ']'");
    expect_error("a: b: c\n", ACT_ERR_PARSE, 1, 5, "mapping values are not allowed");
    expect_error("a: 1\n\tb: 2\n", ACT_ERR_PARSE, 2, 1, "tab character");
    expect_error("a: @x\n", ACT_ERR_PARSE, 1, 4, "found character that cannot start any token");
    expect_error("a: \"open\n", ACT_ERR_PARSE, 2, 1, "unexpected end of stream");
}

static void test_yaml_invalid_utf8_reports_line_and_column(void **state)
{
    (void)state;
    expect_error("a: 1\nbé: \xff\n", ACT_ERR_PARSE, 2, 5, "invalid leading UTF-8 octet");
    /* libyaml points at the byte that breaks the sequence. */
    expect_error("a: \xc3(\n", ACT_ERR_PARSE, 1, 5, "invalid trailing UTF-8 octet");
    expect_error("a: \xc3", ACT_ERR_PARSE, 1, 4, "incomplete UTF-8 octet sequence");
    expect_error("a: \xed\xa0\x80\n", ACT_ERR_PARSE, 1, 4, "invalid Unicode character");
}

static void test_yaml_control_character_is_error(void **state)
{
    (void)state;
    expect_error("a: x\x01y\n", ACT_ERR_PARSE, 1, 5, "control characters are not allowed");
    struct act_error err;
    assert_int_equal(parse_fails("a: 1\n\0b: 2\n", 11, &err), ACT_ERR_PARSE);
    assert_int_equal(err.line, 2);
}

/* ---- a fixture file ---- */

static char *read_fixture(const char *name, size_t *len)
{
    char path[1024];
    const char *src = __FILE__;
    const char *slash = strrchr(src, '/');
    int dir = slash ? (int)(slash - src) : 0;
    snprintf(path, sizeof(path), "%.*s%s../data/yaml/%s", dir, src, dir ? "/" : "", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the source tree)", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void test_yaml_fixture_matches_its_json_twin(void **state)
{
    (void)state;
    size_t ylen, jlen;
    char *y = read_fixture("anchors.yaml", &ylen);
    char *j = read_fixture("anchors.json", &jlen);
    struct act_error err;
    cJSON *r = NULL;
    act_error_init(&err);
    assert_int_equal(act_yaml_parse("anchors.yaml", y, ylen, &r, &err), ACT_OK);
    cJSON *want = cJSON_Parse(j);
    assert_non_null(want);
    if (!cJSON_Compare(r, want, 1)) {
        char *got = cJSON_Print(r);
        fail_msg("tree differs from anchors.json:\n%s", got);
    }
    int line, col;
    assert_true(act_yaml_locate(y, ylen, "/paths/~1pets~1{petId}/get/parameters/0/schema/maximum",
                                &line, &col));
    assert_int_equal(line, 44);
    assert_int_equal(col, 58);
    cJSON_Delete(want);
    cJSON_Delete(r);
    free(y);
    free(j);
}

/* ---- act_yaml_locate ---- */

static const char *loc_doc = "openapi: 3.0.3\n"                   /* 1 */
                             "paths:\n"                           /* 2 */
                             "  /pets/{id}:\n"                    /* 3 */
                             "    get:\n"                         /* 4 */
                             "      responses:\n"                 /* 5 */
                             "        '200': {description: ok}\n" /* 6 */
                             "  a~b:\n"                           /* 7 */
                             "    - first\n"                      /* 8 */
                             "    - [x, {y: 1}]\n"                /* 9 */
                             "    -\n"                            /* 10 */
                             "      k: v\n"                       /* 11 */
                             "other:\n"                           /* 12 */
                             "  paths: {a~b: [9]}\n";             /* 13 */

static void test_yaml_locate_root_is_first_node(void **state)
{
    (void)state;
    expect_located(loc_doc, "", 1, 1);
    expect_located("# comment\n\n  [1, 2]\n", "", 3, 3);
}

static void test_yaml_locate_nested_mapping_value(void **state)
{
    (void)state;
    expect_located(loc_doc, "/openapi", 1, 10);
    expect_located(loc_doc, "/paths/~1pets~1{id}/get/responses/200/description", 6, 30);
    expect_located(loc_doc, "/paths/~1pets~1{id}/get/responses/200", 6, 16);
    expect_located(loc_doc, "/other/paths", 13, 10);
}

static void test_yaml_locate_block_value_gives_its_key(void **state)
{
    (void)state;
    /* A block collection value starts on the line after its key: the key is the answer. */
    expect_located(loc_doc, "/paths", 2, 1);
    expect_located(loc_doc, "/paths/a~0b", 7, 3);
    /* A block collection inside a sequence has no key: its first entry. */
    expect_located(loc_doc, "/paths/a~0b/2", 11, 7);
}

static void test_yaml_locate_sequence_items(void **state)
{
    (void)state;
    expect_located(loc_doc, "/paths/a~0b/0", 8, 7);
    expect_located(loc_doc, "/paths/a~0b/1", 9, 7);
    expect_located(loc_doc, "/paths/a~0b/1/1/y", 9, 15);
    expect_located(loc_doc, "/paths/a~0b/2/k", 11, 10);
    expect_located(loc_doc, "/other/paths/a~0b/0", 13, 17);
}

static void test_yaml_locate_escaped_tokens(void **state)
{
    (void)state;
    const char *text = "a/b: 1\n~x: 2\n\"~1\": 3\n";
    expect_located(text, "/a~1b", 1, 6);
    expect_located(text, "/~0x", 2, 5);
    expect_located(text, "/~01", 3, 7);
    expect_not_located(text, "/a/b");
    expect_not_located(text, "/~2");
}

static void test_yaml_locate_through_alias_gives_alias_position(void **state)
{
    (void)state;
    const char *text = "a: &x {k: {deep: 1}}\nb: *x\nc: [0, *x]\n";
    expect_located(text, "/b", 2, 4);
    expect_located(text, "/b/k/deep", 2, 4);
    expect_located(text, "/c/1/k", 3, 8);
    expect_located(text, "/a/k/deep", 1, 18);
}

static void test_yaml_locate_merged_key_gives_merge_value_position(void **state)
{
    (void)state;
    const char *text = "a: &a {x: 1, y: 2}\nm:\n  y: own\n  <<: *a\n";
    expect_located(text, "/m/x", 4, 7);
    expect_located(text, "/m/y", 3, 6);
    /* Without resolving the merge, a key missing from m may come from it. */
    expect_located(text, "/m/z/q", 4, 7);
    expect_not_located(text, "/a/z");
}

static void test_yaml_locate_missing_returns_zero(void **state)
{
    (void)state;
    expect_not_located(loc_doc, "/nope");
    expect_not_located(loc_doc, "/paths/a~0b/3");
    expect_not_located(loc_doc, "/paths/a~0b/01");
    expect_not_located(loc_doc, "/paths/a~0b/x");
    expect_not_located(loc_doc, "/openapi/x");
    expect_not_located(loc_doc, "/paths/~1pets~1{id}/get/responses/200/description/x");
    expect_not_located(loc_doc, "no-slash");
    expect_not_located("a: [1\n", "/a/0/x");
    expect_not_located("", "");
    char *deep = repeat("[", 1000000, "");
    expect_not_located(deep, "/1");
    free(deep);
}

static void test_yaml_locate_does_not_match_keys_in_other_subtrees(void **state)
{
    (void)state;
    const char *text = "x:\n  target: wrong\ny:\n  z: 1\n  target: right\n";
    expect_located(text, "/y/target", 5, 11);
    expect_not_located(text, "/y/z/target");
}

/* ---- allocation failures ---- */

static const char *oom_doc =
    "base: &base\n"
    "  a: 1\n"
    "  b: [x, \"y\", {c: ~}]\n"
    "other:\n"
    "  <<: *base\n"
    "  d: true\n"
    "two:\n"
    "  <<: [*base, {e: 2.5}]\n"
    "  key: &k 0x10\n"
    "  &kk kkey: 1\n"
    "list: [*base, &s str, *s, *k, *kk]\n"
    "big: {k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8,\n"
    "      k9: 9, k10: 10, k11: 11, k12: 12, k13: 13, k14: 14, k15: 15,\n"
    "      k16: 16, k17: 17, k18: 18, k19: 19, k20: 20, k21: 21, k22: 22,\n"
    "      k23: 23, k24: 24, k25: 25, k26: 26, k27: 27, k28: 28, k29: 29,\n"
    "      k30: 30, k31: 31, k32: 32, k33: 33, k34: 34, k35: 35}\n"
    "merged-big:\n"
    "  <<: *base\n"
    "  <<: {m0: 0, m1: 1, m2: 2, m3: 3, m4: 4, m5: 5, m6: 6, m7: 7, m8: 8,\n"
    "       m9: 9, m10: 10, m11: 11, m12: 12, m13: 13, m14: 14, m15: 15}\n";

/* cJSON's allocations (nodes, keys, strings) counted through its hooks, on top
 * of act_malloc so that fault injection still applies. Allocations doc_yaml.c
 * makes with act_malloc directly are checked by LeakSanitizer (make check SAN=1). */
static long live_blocks;

static void *counting_malloc(size_t n)
{
    void *p = act_malloc(n);
    if (p)
        live_blocks++;
    return p;
}

static void counting_free(void *p)
{
    if (p)
        live_blocks--;
    act_free(p);
}

static void count_cjson_allocations(void)
{
    cJSON_Hooks hooks = {counting_malloc, counting_free};
    cJSON_InitHooks(&hooks);
    live_blocks = 0;
}

static size_t heap_in_use(void)
{
    return (size_t)live_blocks;
}

static int restore_hooks(void **state)
{
    (void)state;
    act_alloc_init_cjson();
    return 0;
}

static void test_yaml_oom_sweep_frees_everything(void **state)
{
    (void)state;
    struct act_error err;
    cJSON *r = NULL;
    size_t len = strlen(oom_doc);

    count_cjson_allocations();

    for (long n = 1;; n++) {
        size_t before = heap_in_use();
        act_error_init(&err);
        r = (cJSON *)0x1;
        act_alloc_fail_after(n);
        enum act_status st = act_yaml_parse("oom.yaml", oom_doc, len, &r, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (st == ACT_OK) {
            assert_int_equal(failed, 0);
            want_number(r, "/other/a", 1);
            want_number(r, "/two/e", 2.5);
            want_number(r, "/two/key", 16);
            want_number(r, "/list/3", 16);
            want_string(r, "/list/4", "kkey");
            want_number(r, "/merged-big/m15", 15);
            assert_int_equal(cJSON_GetArraySize(at(r, "/merged-big")), 18);
            cJSON_Delete(r);
            assert_true(n > 20);
            assert_int_equal(heap_in_use(), before);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d (%s)", n, st, err.msg);
        assert_int_equal(failed, 1);
        assert_int_equal(err.status, ACT_ERR_NOMEM);
        assert_ptr_equal(r, (cJSON *)0x1);
        if (heap_in_use() != before)
            fail_msg("allocation %ld: %zu cJSON blocks leaked", n, heap_in_use() - before);
        assert_true(n < 100000);
    }
}

static void test_yaml_oom_sweep_on_error_paths_frees_everything(void **state)
{
    (void)state;
    /* A document that fails late (duplicate key) must clean up at every failure point too. */
    const char *text = "a: &a {x: [1, 2]}\nb:\n  <<: *a\n  y: *a\nc: 1\nc: 2\n";
    count_cjson_allocations();
    for (long n = 1;; n++) {
        struct act_error err;
        cJSON *r = (cJSON *)0x1;
        size_t before = heap_in_use();
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_yaml_parse("e.yaml", text, strlen(text), &r, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        assert_ptr_equal(r, (cJSON *)0x1);
        if (heap_in_use() != before)
            fail_msg("allocation %ld: %zu cJSON blocks leaked", n, heap_in_use() - before);
        if (!failed) {
            assert_int_equal(st, ACT_ERR_INVALID);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
    }
}

/* ---- the position index ---- */

/* Every pointer to a node of n (prefix is n's own pointer), RFC 6901-escaped, appended
 * to *v (malloc'd strings). */
struct ptrs {
    char **v;   /* the pointers */
    size_t n;   /* pointers in v */
    size_t cap; /* slots allocated in v */
};

static void ptrs_add(struct ptrs *p, const char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->v = realloc(p->v, p->cap * sizeof(*p->v));
        assert_non_null(p->v);
    }
    p->v[p->n] = strdup(s);
    assert_non_null(p->v[p->n]);
    p->n++;
}

static void ptrs_free(struct ptrs *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
}

static void all_pointers(const cJSON *n, const char *prefix, struct ptrs *out)
{
    ptrs_add(out, prefix);
    size_t i = 0;
    for (const cJSON *c = n->child; c; c = c->next, i++) {
        struct act_buf b;
        act_buf_init(&b);
        assert_int_equal(act_buf_adds(&b, prefix), ACT_OK);
        if (cJSON_IsObject(n))
            assert_int_equal(act_pointer_append(&b, c->string), ACT_OK);
        else
            assert_int_equal(act_pointer_append_index(&b, i), ACT_OK);
        all_pointers(c, b.data, out);
        act_buf_release(&b);
    }
}

/* The pointers worth asking of the YAML text: every node of its tree, and around each
 * one, pointers that lead nowhere, into merges, past scalars and aliases, or are malformed. */
static void pointers_of(const char *text, size_t len, struct ptrs *out)
{
    static const char *const odd[] = {"x",   "/",   "//", "/~",  "/~0",
                                      "/~1", "/<<", "/0", "/-1", "/a~"};
    static const char *const tails[] = {
        "/nope", "/0", "/1", "/01", "/<<", "/~2x", "/nope/0", "/", "/99999999999999999999999"};
    struct act_error err;
    cJSON *root = NULL;
    act_error_init(&err);
    if (act_yaml_parse("t.yaml", text, len, &root, &err))
        fail_msg("unexpected error %d:%d: %s", err.line, err.col, err.msg);
    struct ptrs nodes = {0};
    all_pointers(root, "", &nodes);
    cJSON_Delete(root);
    for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++)
        ptrs_add(out, odd[i]);
    for (size_t i = 0; i < nodes.n; i++) {
        ptrs_add(out, nodes.v[i]);
        for (size_t t = 0; t < sizeof(tails) / sizeof(*tails); t++) {
            char buf[4096];
            snprintf(buf, sizeof(buf), "%s%s", nodes.v[i], tails[t]);
            ptrs_add(out, buf);
        }
    }
    ptrs_free(&nodes);
}

/* The index answers every pointer of text as act_yaml_locate does; returns how many
 * of them lead to a node. */
static size_t expect_index_agrees(const struct act_yaml_index *ix, const char *text, size_t len,
                                  const struct ptrs *p)
{
    size_t found = 0;
    for (size_t i = 0; i < p->n; i++) {
        int l1 = -1, c1 = -1, l2 = -1, c2 = -1;
        int a = act_yaml_locate(text, len, p->v[i], &l1, &c1);
        int b = act_yaml_index_get(ix, p->v[i], &l2, &c2);
        if (a != b || l1 != l2 || c1 != c2)
            fail_msg("%s: index says %d at %d:%d, act_yaml_locate %d at %d:%d", p->v[i], b, l2, c2,
                     a, l1, c1);
        found += (size_t)a;
    }
    return found;
}

/* Index text, then check every pointer of pointers_of against act_yaml_locate, both
 * directly and through act_doc_locate (which indexes after a few lookups). */
static void expect_index_matches_locate(const char *text, size_t len)
{
    struct ptrs p = {0};
    pointers_of(text, len, &p);
    /* act_yaml_locate's answers, through act_doc_locate: the first lookups scan, the
     * later ones are answered by the index. */
    int *want = malloc(3 * p.n * sizeof(*want));
    assert_non_null(want);
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_parse("t.yaml", text, len, ACT_DOC_YAML, &d, &err), ACT_OK);
    size_t found = 0;
    for (size_t i = 0; i < p.n; i++) {
        int *w = &want[3 * i], l = -1, c = -1;
        w[1] = w[2] = -1;
        w[0] = act_yaml_locate(text, len, p.v[i], &w[1], &w[2]);
        found += (size_t)w[0];
        if (act_doc_locate(d, p.v[i], &l, &c) != w[0] || l != w[1] || c != w[2])
            fail_msg("%s: act_doc_locate says %d:%d, act_yaml_locate %d at %d:%d", p.v[i], l, c,
                     w[0], w[1], w[2]);
    }
    assert_true(found > 0);
    assert_non_null(d->positions->yaml_index);
    act_doc_free(d);
    /* Every answer from an index built on its own. */
    struct act_yaml_index *ix = act_yaml_index_build(text, len);
    assert_non_null(ix);
    for (size_t i = 0; i < p.n; i++) {
        int *w = &want[3 * i], l = -1, c = -1;
        if (act_yaml_index_get(ix, p.v[i], &l, &c) != w[0] || l != w[1] || c != w[2])
            fail_msg("%s: the index says %d:%d, act_yaml_locate %d at %d:%d", p.v[i], l, c, w[0],
                     w[1], w[2]);
    }
    act_yaml_index_free(ix);
    free(want);
    ptrs_free(&p);
}

static void expect_index_matches_locate_str(const char *text)
{
    expect_index_matches_locate(text, strlen(text));
}

static void test_yaml_index_agrees_with_locate_on_block_and_flow_styles(void **state)
{
    (void)state;
    expect_index_matches_locate_str(loc_doc);
    expect_index_matches_locate_str(
        "{a: [1, {b: c}, [d, e]], 'q k': \"v\", e: {}, f: [], g: {h: {i: [[[]]]}}}\n");
    expect_index_matches_locate_str("[1, [2, 3], {a: b}, [{c: [d]}]]");
    expect_index_matches_locate_str("- a\n- b: c\n  d:\n  - e\n- - f\n  - - g\n");
    expect_index_matches_locate_str("just a scalar\n");
    expect_index_matches_locate_str("%YAML 1.2\n---\n# comment\na: !!int \"5\"\nb: !custom {x: 1}\n"
                                    "c: !!seq [1]\nd: !!map {e: f}\n...\n");
    expect_index_matches_locate_str("a:\nb: ~\nc: {d: }\ne:\n  -\n  - x\n  - \nf: [g, {}]\n");
}

static void test_yaml_index_agrees_with_locate_on_nested_sequences_of_mappings(void **state)
{
    (void)state;
    expect_index_matches_locate_str("items:\n"
                                    "  - name: a\n"
                                    "    tags:\n"
                                    "      - x\n"
                                    "      - y: [1, 2]\n"
                                    "        z:\n"
                                    "          - {k: v}\n"
                                    "  -   - nested\n"
                                    "      - - deeper\n"
                                    "        - k: v\n"
                                    "          l:\n"
                                    "            m: n\n"
                                    "  -\n"
                                    "  - !!str 12\n"
                                    "indentless:\n"
                                    "- a: 1\n"
                                    "  b:\n"
                                    "  - 2\n"
                                    "  - 3\n"
                                    "- [4]\n"
                                    "- - 5\n"
                                    "  - c:\n"
                                    "    - 6\n");
}

static void test_yaml_index_agrees_with_locate_on_quoted_and_escaped_keys(void **state)
{
    (void)state;
    expect_index_matches_locate_str("\"quoted key\": 1\n"
                                    "'single ''q''': 2\n"
                                    "\"esc\\tab\\u00e9\": 3\n"
                                    "\"line\\nbreak\": 4\n"
                                    "? complex explicit\n"
                                    ": 5\n"
                                    "? |\n"
                                    "  block key\n"
                                    ": 6\n"
                                    "\"a/b\": {\"~\": 1, \"~1\": 2, \"/\": 3, \"~0~\": 4}\n"
                                    "a~b: {c/d/e: [x], ~/~: {'': y}}\n"
                                    "\"\": empty key\n"
                                    "\" \": space\n"
                                    "\"0\": zero\n"
                                    "01: leading zero\n"
                                    "1: [one]\n"
                                    "true: t\n"
                                    "\"\\u00e9t\\u00e9\": {\"\\u4e2d\": \"\\U0001F600\"}\n"
                                    "same: {same: {same: 1}}\n");
}

static void test_yaml_index_agrees_with_locate_on_anchors_and_aliases(void **state)
{
    (void)state;
    expect_index_matches_locate_str("base: &b {k: &inner {deep: [1, 2]}, s: &s str}\n"
                                    "alias: *b\n"
                                    "list: [*b, *inner, *s, &n 5, *n]\n"
                                    "&kk akey: 1\n"
                                    "nest:\n"
                                    "  *kk : aliased key\n"
                                    "  other: *inner\n"
                                    "  block: &blk\n"
                                    "    - x\n"
                                    "    - y: z\n"
                                    "  again: *blk\n"
                                    "seq:\n"
                                    "  - *blk\n"
                                    "  - - *inner\n"
                                    "redef: &b [x]\n"
                                    "after: *b\n");
    expect_index_matches_locate_str("a: &x {k: {deep: 1}}\nb: *x\nc: [0, *x]\n");
    size_t len;
    char *y = read_fixture("anchors.yaml", &len);
    expect_index_matches_locate(y, len);
    free(y);
}

static void test_yaml_index_agrees_with_locate_on_merge_keys(void **state)
{
    (void)state;
    expect_index_matches_locate_str("defs:\n"
                                    "  a: &a {x: 1, y: 2}\n"
                                    "  b: &b\n"
                                    "    y: 3\n"
                                    "    z: [4, 5]\n"
                                    "m1:\n"
                                    "  <<: *a\n"
                                    "  w: 0\n"
                                    "m2:\n"
                                    "  w: 0\n"
                                    "  <<: [*a, *b]\n"
                                    "m3:\n"
                                    "  <<:\n"
                                    "    inline: 1\n"
                                    "    x: 9\n"
                                    "  q: 1\n"
                                    "m4: {<<: *b, y: own}\n"
                                    "m5:\n"
                                    "  <<: *a\n"
                                    "  <<: *b\n"
                                    "m6:\n"
                                    "  \"<<\": not a merge\n"
                                    "  k: 1\n"
                                    "m7:\n"
                                    "  !!merge <<: *b\n"
                                    "m8:\n"
                                    "  <<:\n"
                                    "    - {p: 1}\n"
                                    "    - *a\n"
                                    "seq_of_merged:\n"
                                    "  - <<: *a\n"
                                    "    extra: 1\n"
                                    "  - {<<: [*a, *b]}\n"
                                    "deep:\n"
                                    "  inner:\n"
                                    "    <<: *b\n"
                                    "    z: own\n"
                                    "    zz: {<<: *a}\n");
    expect_index_matches_locate_str(oom_doc);
    expect_index_matches_locate_str("a: &a {x: 1, y: 2}\nm:\n  y: own\n  <<: *a\n");
}

static void test_yaml_index_agrees_with_locate_on_multi_line_scalars(void **state)
{
    (void)state;
    expect_index_matches_locate_str("lit: |\n"
                                    "  line1\n"
                                    "  line2\n"
                                    "fold: >-\n"
                                    "  folded\n"
                                    "  text\n"
                                    "plain: this is a\n"
                                    "  multi line plain\n"
                                    "dq: \"multi\n"
                                    "  line\"\n"
                                    "sq: 'multi\n"
                                    "\n"
                                    "  line'\n"
                                    "after: [a, b]\n"
                                    "next:\n"
                                    "  key: |+\n"
                                    "    keep\n"
                                    "\n"
                                    "  k2: v\n"
                                    "  ? |\n"
                                    "    long key\n"
                                    "  : [v]\n");
}

/* A byte order mark is not part of the first line: a document with several top-level
 * keys loads, and positions count from after it. */
static void test_yaml_byte_order_mark_is_skipped(void **state)
{
    (void)state;
    const char *t = "\xEF\xBB\xBFopenapi: 3.0.3\ninfo:\n  title: t\n";
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_parse("bom.yaml", t, strlen(t), ACT_DOC_YAML, &d, &err), ACT_OK);
    assert_string_equal(cJSON_GetObjectItem(d->root, "openapi")->valuestring, "3.0.3");
    int line = 0, col = 0;
    assert_true(act_doc_locate(d, "/openapi", &line, &col));
    assert_int_equal(line, 1);
    assert_int_equal(col, 10);
    assert_true(act_doc_locate(d, "/info/title", &line, &col));
    assert_int_equal(line, 3);
    assert_int_equal(col, 10);
    act_doc_free(d);
}

static void test_yaml_index_agrees_with_locate_after_a_bom(void **state)
{
    (void)state;
    expect_index_matches_locate_str("\xEF\xBB\xBF"
                                    "{a: 1, b: [x, {c: d}]}\n");
    expect_index_matches_locate_str("\xEF\xBB\xBF"
                                    "a: 1\nb:\n  c: [x, {d: e}]\nf: g\n");
    expect_index_matches_locate_str("\xEF\xBB\xBF"
                                    "a: {b: [x, {c: d}], e: f}\n");
    expect_index_matches_locate_str("\xEF\xBB\xBF"
                                    "a:\n  b: [x, {c: d}]\n  e:\n  - f\n");
}

static void test_yaml_index_agrees_with_locate_at_the_depth_limit(void **state)
{
    (void)state;
    /* ACT_MAX_DEPTH collections: the deepest document that loads. */
    char *open = repeat("[", ACT_MAX_DEPTH - 1, "{k: v}");
    char *text = malloc(strlen(open) + ACT_MAX_DEPTH + 1);
    assert_non_null(text);
    strcpy(text, open);
    memset(text + strlen(open), ']', ACT_MAX_DEPTH - 1);
    text[strlen(open) + ACT_MAX_DEPTH - 1] = '\0';
    size_t len = strlen(text);
    char *path = repeat("/0", ACT_MAX_DEPTH - 1, "");
    struct ptrs p = {0};
    static const char *const tails[] = {"", "/k", "/k/x", "/nope", "/0", "/1"};
    for (size_t t = 0; t < sizeof(tails) / sizeof(*tails); t++) {
        char buf[2 * ACT_MAX_DEPTH + 16];
        snprintf(buf, sizeof(buf), "%s%s", path, tails[t]);
        ptrs_add(&p, buf);
        ptrs_add(&p, buf + 2 * (ACT_MAX_DEPTH / 2)); /* halfway down */
    }
    ptrs_add(&p, "");
    struct act_yaml_index *ix = act_yaml_index_build(text, len);
    assert_non_null(ix);
    assert_int_equal(expect_index_agrees(ix, text, len, &p), 5);
    act_yaml_index_free(ix);
    ptrs_free(&p);
    free(path);
    free(open);
    free(text);
}

static void test_yaml_index_agrees_with_locate_on_the_example_specs(void **state)
{
    (void)state;
    static const char *const files[] = {"specs/petstore.yaml", "specs/multifile/api.yaml",
                                        "specs/multifile/common.yaml",
                                        "specs/multifile/paths/authors.yaml"};
    for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
        char *text;
        size_t len;
        struct act_error err;
        act_error_init(&err);
        assert_int_equal(act_file_read(files[i], &text, &len, &err), ACT_OK);
        expect_index_matches_locate(text, len);
        act_free(text);
    }
}

static void test_yaml_index_stops_where_locate_stops(void **state)
{
    (void)state;
    /* Only the first document is searched, by both. */
    const char *two = "a: 1\n---\nb: 2\n";
    struct act_yaml_index *ix = act_yaml_index_build(two, strlen(two));
    assert_non_null(ix);
    struct ptrs p = {0};
    ptrs_add(&p, "/a");
    ptrs_add(&p, "/b");
    ptrs_add(&p, "");
    assert_int_equal(expect_index_agrees(ix, two, strlen(two), &p), 2);
    ptrs_free(&p);
    act_yaml_index_free(ix);
    /* What act_yaml_parse refuses has no index: callers fall back to act_yaml_locate. */
    static const char *const bad[] = {"a: [1\n", "", "# only a comment\n", "{[a]: 1}\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        assert_null(act_yaml_index_build(bad[i], strlen(bad[i])));
    char *deep = repeat("[", ACT_MAX_DEPTH + 1, "");
    assert_null(act_yaml_index_build(deep, strlen(deep)));
    free(deep);
}

static void test_yaml_index_build_oom_sweep_gives_no_index_or_a_correct_one(void **state)
{
    (void)state;
    size_t len = strlen(oom_doc);
    struct ptrs p = {0};
    pointers_of(oom_doc, len, &p);
    for (long n = 1;; n++) {
        act_alloc_fail_after(n);
        struct act_yaml_index *ix = act_yaml_index_build(oom_doc, len);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        /* Only the final shrink may fail and still leave a (larger) index. */
        if (ix)
            expect_index_agrees(ix, oom_doc, len, &p);
        act_yaml_index_free(ix);
        if (!failed) {
            assert_non_null(ix);
            assert_true(n > 5);
            break;
        }
        assert_true(n < 100000);
    }
    /* A lookup that runs out of memory says so (-1) instead of guessing. */
    struct act_yaml_index *ix = act_yaml_index_build(oom_doc, len);
    assert_non_null(ix);
    for (long n = 1;; n++) {
        int line = -1, col = -1, l0 = -1, c0 = -1;
        act_alloc_fail_after(n);
        int found = act_yaml_index_get(ix, "/merged-big/m15", &line, &col);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        assert_true(act_yaml_locate(oom_doc, len, "/merged-big/m15", &l0, &c0));
        if (!failed) {
            assert_int_equal(found, 1);
            assert_int_equal(line, l0);
            assert_int_equal(col, c0);
            break;
        }
        assert_int_equal(found, -1);
        assert_int_equal(line, -1);
    }
    act_yaml_index_free(ix);
    ptrs_free(&p);
}

static void test_yaml_doc_locate_gives_the_right_answer_whatever_allocation_fails(void **state)
{
    (void)state;
    size_t len = strlen(oom_doc);
    int l0, c0;
    assert_true(act_yaml_locate(oom_doc, len, "/two/e", &l0, &c0));
    for (long n = 1;; n++) {
        struct act_doc *d = NULL;
        struct act_error err;
        act_error_init(&err);
        assert_int_equal(act_doc_parse("o.yaml", oom_doc, len, ACT_DOC_YAML, &d, &err), ACT_OK);
        int line, col;
        for (int i = 0; i < 8; i++)
            assert_true(act_doc_locate(d, "/base/a", &line, &col));
        assert_null(d->positions->yaml_index);
        /* The ninth lookup builds the index; whatever fails, the answer is right. */
        line = col = -1;
        act_alloc_fail_after(n);
        int found = act_doc_locate(d, "/two/e", &line, &col);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        assert_int_equal(found, 1);
        assert_int_equal(line, l0);
        assert_int_equal(col, c0);
        int built = d->positions->yaml_index != NULL;
        assert_int_equal(d->positions->no_index, !built);
        act_doc_free(d);
        if (!failed) {
            assert_true(built);
            break;
        }
        assert_true(n < 100000);
    }
}

static int setup(void **state)
{
    (void)state;
    act_alloc_init_cjson();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_plain_true_is_boolean),
        cmocka_unit_test(test_yaml_plain_false_is_boolean),
        cmocka_unit_test(test_yaml_null_spellings_are_null),
        cmocka_unit_test(test_yaml_decimal_ints_are_numbers),
        cmocka_unit_test(test_yaml_hex_and_octal_ints_are_numbers),
        cmocka_unit_test(test_yaml_floats_are_numbers),
        cmocka_unit_test(test_yaml_infinity_and_nan_are_numbers),
        cmocka_unit_test(test_yaml_yaml11_booleans_stay_strings),
        cmocka_unit_test(test_yaml_number_lookalikes_stay_strings),
        cmocka_unit_test(test_yaml_quoted_and_block_scalars_stay_strings),
        cmocka_unit_test(test_yaml_numeric_and_boolean_keys_are_key_text),
        cmocka_unit_test(test_yaml_int_tag_turns_quoted_text_into_number),
        cmocka_unit_test(test_yaml_str_tag_keeps_number_text),
        cmocka_unit_test(test_yaml_float_bool_null_tags_are_honoured),
        cmocka_unit_test(test_yaml_unknown_tags_keep_core_typing),
        cmocka_unit_test(test_yaml_value_not_fitting_its_tag_is_error),
        cmocka_unit_test(test_yaml_collection_tag_mismatch_is_error),
        cmocka_unit_test(test_yaml_alias_copies_anchored_mapping),
        cmocka_unit_test(test_yaml_alias_of_scalar_keeps_its_type),
        cmocka_unit_test(test_yaml_alias_as_key_uses_scalar_text),
        cmocka_unit_test(test_yaml_redefined_anchor_uses_latest_definition),
        cmocka_unit_test(test_yaml_undefined_alias_is_error),
        cmocka_unit_test(test_yaml_recursive_alias_is_error),
        cmocka_unit_test(test_yaml_alias_bomb_is_limit_error_quickly),
        cmocka_unit_test(test_yaml_aliased_long_string_counts_by_size),
        cmocka_unit_test(test_yaml_alias_expansion_counts_toward_depth),
        cmocka_unit_test(test_yaml_merge_single_mapping),
        cmocka_unit_test(test_yaml_merge_sequence_earlier_mapping_wins),
        cmocka_unit_test(test_yaml_merge_explicit_key_wins_before_and_after),
        cmocka_unit_test(test_yaml_merge_inline_anchored_source_stays_aliasable),
        cmocka_unit_test(test_yaml_merged_mapping_can_itself_be_aliased),
        cmocka_unit_test(test_yaml_merge_of_non_mapping_is_error),
        cmocka_unit_test(test_yaml_quoted_merge_key_is_plain_key),
        cmocka_unit_test(test_yaml_duplicate_key_reports_both_positions),
        cmocka_unit_test(test_yaml_duplicate_key_found_in_big_mapping),
        cmocka_unit_test(test_yaml_ten_thousand_keys_load_fast_in_order),
        cmocka_unit_test(test_yaml_children_stay_editable_with_cjson),
        cmocka_unit_test(test_yaml_non_scalar_keys_are_errors),
        cmocka_unit_test(test_yaml_nul_escape_is_error),
        cmocka_unit_test(test_yaml_long_key_is_clipped_in_message),
        cmocka_unit_test(test_yaml_two_documents_is_error),
        cmocka_unit_test(test_yaml_document_markers_around_one_document_are_fine),
        cmocka_unit_test(test_yaml_empty_input_is_error),
        cmocka_unit_test(test_yaml_million_deep_flow_nesting_is_limit_error),
        cmocka_unit_test(test_yaml_million_deep_block_nesting_is_limit_error),
        cmocka_unit_test(test_yaml_depth_512_loads_and_513_does_not),
        cmocka_unit_test(test_yaml_syntax_error_reports_problem_position_and_context),
        cmocka_unit_test(test_yaml_unclosed_flow_sequence_reports_position),
        cmocka_unit_test(test_yaml_invalid_utf8_reports_line_and_column),
        cmocka_unit_test(test_yaml_control_character_is_error),
        cmocka_unit_test(test_yaml_fixture_matches_its_json_twin),
        cmocka_unit_test(test_yaml_locate_root_is_first_node),
        cmocka_unit_test(test_yaml_locate_nested_mapping_value),
        cmocka_unit_test(test_yaml_locate_block_value_gives_its_key),
        cmocka_unit_test(test_yaml_locate_sequence_items),
        cmocka_unit_test(test_yaml_locate_escaped_tokens),
        cmocka_unit_test(test_yaml_locate_through_alias_gives_alias_position),
        cmocka_unit_test(test_yaml_locate_merged_key_gives_merge_value_position),
        cmocka_unit_test(test_yaml_locate_missing_returns_zero),
        cmocka_unit_test(test_yaml_locate_does_not_match_keys_in_other_subtrees),
        cmocka_unit_test_teardown(test_yaml_oom_sweep_frees_everything, restore_hooks),
        cmocka_unit_test_teardown(test_yaml_oom_sweep_on_error_paths_frees_everything,
                                  restore_hooks),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_on_block_and_flow_styles),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_on_nested_sequences_of_mappings),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_on_quoted_and_escaped_keys),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_on_anchors_and_aliases),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_on_merge_keys),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_on_multi_line_scalars),
        cmocka_unit_test(test_yaml_byte_order_mark_is_skipped),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_after_a_bom),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_at_the_depth_limit),
        cmocka_unit_test(test_yaml_index_agrees_with_locate_on_the_example_specs),
        cmocka_unit_test(test_yaml_index_stops_where_locate_stops),
        cmocka_unit_test(test_yaml_index_build_oom_sweep_gives_no_index_or_a_correct_one),
        cmocka_unit_test(test_yaml_doc_locate_gives_the_right_answer_whatever_allocation_fails),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
