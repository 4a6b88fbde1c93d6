/*
 * test_report.c - the writers of a run's records (runner/report.h): escaping in each
 * format, outcomes, the tally and the summary line.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "runner/report.h"

/* A record: action, outcome, errors (a JSON array text), skipped (or NULL). */
static cJSON *rec(const char *action, const char *outcome, const char *errors, const char *skipped)
{
    cJSON *r = cJSON_CreateObject();
    assert_non_null(r);
    cJSON_AddStringToObject(r, "action", action);
    cJSON_AddStringToObject(r, "method", "GET");
    cJSON_AddStringToObject(r, "url", "http://127.0.0.1:1/x");
    cJSON_AddNumberToObject(r, "status", 200);
    cJSON_AddStringToObject(r, "reason", "OK");
    cJSON_AddNumberToObject(r, "duration_ms", 3);
    cJSON_AddStringToObject(r, "outcome", outcome);
    cJSON_AddItemToObject(r, "errors", cJSON_Parse(errors));
    cJSON_AddItemToObject(r, "warnings", cJSON_CreateArray());
    if (skipped)
        cJSON_AddStringToObject(r, "skipped", skipped);
    return r;
}

/* What fmt writes for recs[0..n) (act_free the result). */
static char *written(enum act_report_fmt fmt, const struct act_report_meta *m, cJSON **recs,
                     size_t n, int all)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    struct act_tally t = {{0}, 0, 0.25, 0};
    for (size_t i = 0; i < n; i++)
        act_tally_add(&t, recs[i]);
    act_report_write(f, fmt, m, recs, n, &t, all);
    fclose(f);
    return out;
}

static void test_outcomes_and_summary(void **state)
{
    (void)state;
    cJSON *r[3] = {rec("a", "passed", "[]", NULL), rec("b", "unreachable", "[\"down\"]", NULL),
                   rec("c", "nonsense", "[]", NULL)};
    assert_int_equal(act_report_outcome(r[0]), ACT_OUTCOME_PASS);
    assert_int_equal(act_report_outcome(r[1]), ACT_OUTCOME_UNREACHABLE);
    assert_int_equal(act_report_outcome(r[2]), ACT_OUTCOME_FAIL); /* states none it knows */
    struct act_tally t = {{0}, 0, 1.5, 0};
    for (int i = 0; i < 3; i++)
        act_tally_add(&t, r[i]);
    cJSON_AddTrueToObject(r[0], "not_run");
    act_tally_add(&t, r[0]);
    char line[128];
    act_report_summary(&t, line, sizeof(line));
    assert_string_equal(line, "1 passed, 1 failed, 1 unreachable, 0 skipped, 1 not run "
                              "(4 actions, 1.50 s)");
    for (int i = 0; i < 3; i++)
        cJSON_Delete(r[i]);
}

static void test_junit_escapes_and_replaces(void **state)
{
    (void)state;
    /* markup, a control character, a byte that starts no UTF-8, U+FFFE (no XML character) */
    cJSON *r = rec("get.<x>", "failed", "[\"a & b\\u0001\", \"\\u00e9\"]", NULL);
    cJSON_ReplaceItemInObject(r, "reason", cJSON_CreateString("bad \xFF\xEF\xBF\xBE"));
    struct act_report_meta m = {"specs/x.yaml", "T \"1\"", "dev's", NULL};
    char *x = written(ACT_REPORT_JUNIT, &m, &r, 1, 0);
    assert_non_null(strstr(x, "<testsuite name=\"T &quot;1&quot;\""));
    assert_non_null(strstr(x, "<testcase name=\"get.&lt;x&gt;\" classname=\"dev&apos;s\""));
    assert_non_null(strstr(x, "<failure type=\"check\" message=\"a &amp; b\xEF\xBF\xBD\">"));
    assert_non_null(strstr(x, "\xC3\xA9\n</failure>")); /* é kept */
    /* each byte that starts no character is replaced: 1 for \xFF, 3 for U+FFFE */
    assert_non_null(strstr(x, "200 bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD 3 ms"
                              "</system-out>"));
    free(x);
    /* no title: the spec's path names the suite; no destination: "actions" */
    struct act_report_meta bare = {"specs/x.yaml", NULL, NULL, NULL};
    x = written(ACT_REPORT_JUNIT, &bare, &r, 1, 0);
    assert_non_null(strstr(x, "<testsuite name=\"specs/x.yaml\""));
    assert_non_null(strstr(x, "classname=\"actions\""));
    free(x);
    cJSON_Delete(r);
}

static void test_tap_and_gha_escape(void **state)
{
    (void)state;
    cJSON *r[2] = {rec("a#1", "skipped", "[]", "not run \\ here"),
                   rec("b:c,d", "failed", "[\"50%\\nmore\"]", NULL)};
    struct act_report_meta m = {"s.json", NULL, NULL, NULL};
    char *x = written(ACT_REPORT_TAP, &m, r, 2, 0);
    assert_non_null(strstr(x, "TAP version 13\n1..2\nok 1 a\\#1 # SKIP not run \\\\ here\n"));
    assert_non_null(strstr(x, "not ok 2 b:c,d\n  ---\n  message: \"50%\\nmore\"\n"));
    free(x);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    act_report_gha(f, r[0]); /* not a failure: nothing */
    act_report_gha(f, r[1]);
    fclose(f);
    assert_string_equal(out, "::error title=b%3Ac%2Cd::50%25%0Amore\n");
    free(out);
    cJSON_Delete(r[0]);
    cJSON_Delete(r[1]);
}

static void test_json_hides_the_html_fields(void **state)
{
    (void)state;
    cJSON *r = rec("a", "passed", "[]", NULL);
    cJSON_AddNullToObject(r, "request");
    struct act_report_meta m = {"s.json", NULL, NULL, NULL};
    char *x = written(ACT_REPORT_JSON, &m, &r, 1, 1);
    assert_null(strstr(x, "request"));
    assert_non_null(strstr(x, "\"summary\": {\n    \"passed\": 1,"));
    free(x);
    x = written(ACT_REPORT_TEXT, &m, &r, 1, 1);
    assert_string_equal(x, "PASS a 200 OK 3 ms\n"
                           "1 passed, 0 failed, 0 unreachable, 0 skipped (1 action, 0.25 s)\n");
    free(x);
    cJSON_Delete(r);
}

static void test_html_escapes_what_it_shows(void **state)
{
    (void)state;
    cJSON *r[2] = {rec("<script>x</script>", "failed", "[\"<iframe>\"]", NULL), NULL};
    struct act_report_meta m = {"s.json", "A & B", "dev", "http://h/***"};
    char *x = written(ACT_REPORT_HTML, &m, r, 2, 0);
    static const char *const shown[] = {
        "&lt;iframe&gt;",
        "&lt;script&gt;x&lt;/script&gt;",
        "<title>FAILED: A &amp; B - actions test</title>",
        "dev &middot; http://h/***",
    };
    assert_null(strstr(x, "<script>"));
    assert_null(strstr(x, "<iframe>"));
    for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
        assert_non_null(strstr(x, shown[i]));
    free(x);
    cJSON_Delete(r[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcomes_and_summary),
        cmocka_unit_test(test_junit_escapes_and_replaces),
        cmocka_unit_test(test_tap_and_gha_escape),
        cmocka_unit_test(test_json_hides_the_html_fields),
        cmocka_unit_test(test_html_escapes_what_it_shows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
