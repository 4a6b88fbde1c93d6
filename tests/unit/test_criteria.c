/*
 * test_criteria.c - Arazzo Criterion Objects (process/criteria.h): simple conditions,
 * regex and jsonpath criteria, type objects, the explanation of a failure, and lint.
 */
#include "unit.h"

#include "common/act_buf.h"
#include "process/criteria.h"
#include "process/expr.h"

static const char scope_json[] =
    "{\"statusCode\":200,\"method\":\"POST\","
    "\"response\":{\"header\":{\"Content-Type\":\"Application/JSON\",\"X-Count\":\"5\"},"
    "\"body\":{\"pets\":[{\"name\":\"Rex\",\"age\":3},{\"name\":\"Tom\",\"age\":7}],"
    "\"ok\":true,\"total\":2,\"note\":null,\"msg\":\"It's here\",\"empty\":\"\"}},"
    "\"inputs\":{\"min\":2,\"name\":\"rex\",\"flag\":false},"
    "\"steps\":{\"get.hello\":{\"outputs\":{\"message\":\"Hello\"}}}}";

/* Check criterion (JSON text) against the scope: 1 passed, 0 failed; why into *why_out. */
static int check(const char *criterion, char **why_out)
{
    cJSON *c = cJSON_Parse(criterion), *s = cJSON_Parse(scope_json);
    assert_non_null(c);
    assert_non_null(s);
    struct act_buf why;
    act_buf_init(&why);
    struct act_error err;
    act_error_init(&err);
    int passed = -1;
    if (act_criterion_check(c, s, &passed, &why, &err))
        fail_msg("%s: %s", criterion, err.msg);
    assert_true(passed == 0 || passed == 1);
    if (passed)
        assert_int_equal(why.len, 0);
    else
        assert_true(why.len > 0);
    if (why_out)
        *why_out = act_buf_detach(&why, NULL);
    act_buf_release(&why);
    cJSON_Delete(c);
    cJSON_Delete(s);
    return passed;
}

static int cond(const char *condition)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "condition", condition);
    char *t = cJSON_PrintUnformatted(c);
    int r = check(t, NULL);
    cJSON_free(t);
    cJSON_Delete(c);
    return r;
}

/* The status of a criterion that does not check, and the error message. */
static enum act_status check_error(const char *criterion, char *msg, size_t size)
{
    cJSON *c = cJSON_Parse(criterion), *s = cJSON_Parse(scope_json);
    assert_non_null(c);
    struct act_error err;
    act_error_init(&err);
    int passed = -1;
    enum act_status st = act_criterion_check(c, s, &passed, NULL, &err);
    assert_int_equal(passed, -1);
    snprintf(msg, size, "%s", err.msg);
    /* lint finds the same problem without a scope */
    enum act_status lst = act_criterion_lint(c, NULL, NULL, NULL);
    assert_int_equal(lst, st);
    cJSON_Delete(c);
    cJSON_Delete(s);
    return st;
}

static void test_simple_conditions_compare_numbers_strings_and_literals(void **state)
{
    (void)state;
    assert_true(cond("$statusCode == 200"));
    assert_false(cond("$statusCode == 404"));
    assert_true(cond("$statusCode != 404"));
    assert_true(cond("$statusCode >= 200 && $statusCode < 300"));
    assert_false(cond("$statusCode > 200"));
    assert_true(cond("$statusCode <= 200"));
    assert_true(cond("$response.body#/total == 2"));
    assert_true(cond("$response.body#/total >= $inputs.min"));
    assert_true(cond("$response.body#/ok == true"));
    assert_false(cond("$response.body#/ok == false"));
    assert_true(cond("$response.body#/note == null"));
    assert_true(cond("$response.body#/missing == null")); /* absent reads as null */
    assert_false(cond("$response.body#/total == null"));
    assert_true(cond("$response.body#/pets/1/age == 7.0"));
    assert_true(cond("$response.body#/pets/0/age < 3.5e0"));
    assert_true(cond("-1 < 0"));
    assert_true(cond("'abc' < 'abd'"));
    assert_true(cond("$method == 'POST'"));
}

static void test_string_comparison_is_case_insensitive(void **state)
{
    (void)state;
    assert_true(cond("$method == 'post'"));
    assert_true(cond("$response.header.content-type == 'application/json'"));
    assert_true(cond("$response.body#/pets/0/name == $inputs.name"));
    assert_true(cond("'ABC' < 'abd'"));
    assert_true(cond("$response.body#/msg == 'it''s HERE'"));
    assert_false(cond("$method != 'Post'"));
}

static void test_numeric_strings_compare_with_numbers(void **state)
{
    (void)state;
    assert_true(cond("$response.header.X-Count == 5"));
    assert_true(cond("$response.header.X-Count > 4"));
    assert_true(cond("$statusCode == '200'"));
    assert_false(cond("$method == 0"));
    assert_false(cond("$method > 0"));
}

static void test_logical_operators_and_parentheses(void **state)
{
    (void)state;
    assert_true(cond("$statusCode == 404 || $statusCode == 200"));
    assert_false(cond("$statusCode == 404 && $statusCode == 200"));
    assert_true(cond("!($statusCode == 404)"));
    assert_false(cond("!$response.body#/ok"));
    assert_true(cond("!$inputs.flag"));
    assert_true(cond("$response.body#/ok"));
    assert_false(cond("$response.body#/empty"));
    assert_true(cond("($statusCode == 404 || $statusCode == 200) && $response.body#/ok"));
    assert_true(cond("$statusCode == 404 || $statusCode == 200 && $response.body#/ok"));
    assert_false(cond("($statusCode == 404 || $statusCode == 200) && !$response.body#/ok"));
    assert_true(cond("true"));
    assert_false(cond("null"));
    assert_true(cond("!!true"));
}

static void test_indexes_after_an_expression(void **state)
{
    (void)state;
    assert_true(cond("$response.body#/pets[1]['name'] == 'tom'"));
    assert_true(cond("$response.body#/pets[0]['age'] == 3"));
    assert_true(cond("$response.body#/pets[5] == null"));
    assert_true(cond("$steps.get.hello.outputs.message == 'hello'"));
    assert_true(cond("$response.body.total == 2"));
    assert_true(cond("$response.body.pets[1].name == 'tom'"));
    assert_true(cond("$response.body#/pets[0].age == 3"));
    assert_true(cond("$response.body.nope.deeper == null"));
}

static void test_a_failure_explains_the_condition_and_the_values(void **state)
{
    (void)state;
    char *why = NULL;
    assert_false(check("{\"condition\":\"$statusCode == 404 && $response.body#/ok\"}", &why));
    assert_string_equal(why, "condition '$statusCode == 404 && $response.body#/ok' is false: "
                             "$statusCode is 200");
    act_free(why);
    assert_false(
        check("{\"condition\":\"$response.body#/pets[0] == $response.body#/nope\"}", &why));
    /* values are shown as JSON, as they are: their quotes are not escaped again */
    assert_string_equal(why, "condition '$response.body#/pets[0] == $response.body#/nope' is "
                             "false: $response.body#/pets[0] is {\"name\":\"Rex\",\"age\":3}, "
                             "$response.body#/nope is absent");
    act_free(why);
    assert_false(check("{\"condition\":\"$response.body#/msg == 'no'\"}", &why));
    assert_string_equal(why, "condition '$response.body#/msg == 'no'' is false: "
                             "$response.body#/msg is \"It's here\"");
    act_free(why);
    assert_false(check("{\"context\":\"$response.body#/msg\",\"condition\":\"^no\","
                       "\"type\":\"regex\"}",
                       &why));
    assert_string_equal(why, "regex '^no' does not match $response.body#/msg: "
                             "$response.body#/msg is \"It's here\"");
    act_free(why);
}

static void test_a_long_value_is_clipped_whole_characters_first(void **state)
{
    (void)state;
    /* 200 two-byte characters: the message shows at most ACT_MAX_ECHO bytes of the
     * JSON, cut between characters, then "..." */
    char scope[1024] = "{\"inputs\":{\"s\":\"";
    for (int i = 0; i < 200; i++)
        strcat(scope, "\xc3\xa9");
    strcat(scope, "\"}}");
    cJSON *c = cJSON_Parse("{\"condition\":\"$inputs.s == 'x'\"}"), *sc = cJSON_Parse(scope);
    assert_non_null(c);
    assert_non_null(sc);
    struct act_buf why;
    act_buf_init(&why);
    struct act_error err;
    act_error_init(&err);
    int passed = -1;
    assert_int_equal(act_criterion_check(c, sc, &passed, &why, &err), ACT_OK);
    assert_int_equal(passed, 0);
    const char *v = strstr(why.data, "$inputs.s is \"");
    assert_non_null(v);
    v += strlen("$inputs.s is ");
    size_t n = strlen(v);
    assert_true(n > 3 && strcmp(v + n - 3, "...") == 0);
    assert_true(n - 3 <= ACT_MAX_ECHO);
    assert_int_equal((n - 3 - 1) % 2, 0); /* the quote, then whole characters */
    act_buf_release(&why);
    cJSON_Delete(c);
    cJSON_Delete(sc);
}

static void test_regex_criteria_search_the_context(void **state)
{
    (void)state;
    assert_true(
        check("{\"context\":\"$statusCode\",\"condition\":\"^200$\",\"type\":\"regex\"}", NULL));
    assert_true(check("{\"context\":\"$response.body#/msg\",\"condition\":\"s\\\\s+h\","
                      "\"type\":\"regex\"}",
                      NULL));
    char *why = NULL;
    assert_false(check("{\"context\":\"$statusCode\",\"condition\":\"^2\\\\d[1-9]$\","
                       "\"type\":\"regex\"}",
                       &why));
    assert_string_equal(why,
                        "regex '^2\\\\d[1-9]$' does not match $statusCode: $statusCode is 200");
    act_free(why);
    assert_false(check("{\"context\":\"$response.body#/nope\",\"condition\":\".*\","
                       "\"type\":\"regex\"}",
                       NULL));
    assert_true(check("{\"context\":\"$response.body#/pets/0\",\"condition\":\"\\\"Rex\\\"\","
                      "\"type\":\"regex\"}",
                      NULL));
}

static void test_jsonpath_criteria_use_the_context_as_root(void **state)
{
    (void)state;
    /* The root is the body itself (RFC 9535), not an array around it: the filter looks at
     * the body's members, and none of them has a member "pets". */
    assert_false(check("{\"context\":\"$response.body\",\"condition\":\"$[?count(@.pets) > 0]\","
                       "\"type\":\"jsonpath\"}",
                       NULL));
    assert_true(check("{\"context\":\"$response.body\",\"condition\":\"$[?count(@[*]) > 1]\","
                      "\"type\":\"jsonpath\"}",
                      NULL));
    assert_true(check("{\"context\":\"$response.body\",\"condition\":\"$.pets[?@.age > 5]\","
                      "\"type\":\"jsonpath\"}",
                      NULL));
    assert_true(check("{\"context\":\"$response.body#/pets\",\"condition\":\"$[?@.age > 5]\","
                      "\"type\":{\"type\":\"jsonpath\",\"version\":"
                      "\"draft-goessner-dispatch-jsonpath-00\"}}",
                      NULL));
    assert_true(check("{\"context\":\"$response.body\",\"condition\":\"$.pets[0]\",\"type\":"
                      "{\"type\":\"jsonpath\",\"version\":\"rfc9535\"}}",
                      NULL));
    assert_true(check("{\"context\":\"$response.body\",\"condition\":\"$.pets[?@.name == 'Rex']\","
                      "\"type\":\"jsonpath\"}",
                      NULL));
    char *why = NULL;
    assert_false(check("{\"context\":\"$response.body\",\"condition\":\"$.pets[?@.age > 10]\","
                       "\"type\":\"jsonpath\"}",
                       &why));
    assert_string_equal(why, "jsonpath '$.pets[?@.age > 10]' selects nothing in $response.body");
    act_free(why);
    assert_false(check("{\"context\":\"$response.body#/x\",\"condition\":\"$\","
                       "\"type\":\"jsonpath\"}",
                       NULL));
    /* The root is the context itself, not wrapped: $ selects it. */
    assert_true(
        check("{\"context\":\"$statusCode\",\"condition\":\"$\",\"type\":\"jsonpath\"}", NULL));
}

static void test_malformed_criteria_are_errors(void **state)
{
    (void)state;
    char msg[ACT_ERROR_MSG_MAX];
    assert_int_equal(
        check_error("{\"context\":\"$statusCode\",\"condition\":\"^200$\"}", msg, sizeof msg),
        ACT_ERR_INVALID);
    assert_string_equal(msg, "a criterion with a context needs a type (simple, regex or jsonpath)");
    assert_int_equal(check_error("{\"condition\":\"x\",\"type\":\"regex\"}", msg, sizeof msg),
                     ACT_ERR_INVALID);
    assert_int_equal(check_error("{\"context\":\"$url\"}", msg, sizeof msg), ACT_ERR_INVALID);
    assert_int_equal(check_error("[]", msg, sizeof msg), ACT_ERR_INVALID);
    assert_int_equal(check_error("{\"condition\":1}", msg, sizeof msg), ACT_ERR_INVALID);
    assert_int_equal(check_error("{\"condition\":\"$url\",\"type\":\"fuzzy\"}", msg, sizeof msg),
                     ACT_ERR_INVALID);
    assert_int_equal(check_error("{\"context\":\"$url\",\"condition\":\"/a\",\"type\":\"xpath\"}",
                                 msg, sizeof msg),
                     ACT_ERR_UNSUPPORTED);
    assert_int_equal(check_error("{\"context\":\"$url\",\"condition\":\"$\",\"type\":{\"type\":"
                                 "\"jsonpath\",\"version\":\"rfc9999\"}}",
                                 msg, sizeof msg),
                     ACT_ERR_UNSUPPORTED);
    assert_int_equal(check_error("{\"context\":\"$url\",\"condition\":\"$\",\"type\":{\"type\":"
                                 "\"jsonpath\"}}",
                                 msg, sizeof msg),
                     ACT_ERR_INVALID);
    assert_int_equal(check_error("{\"context\":\"url\",\"condition\":\"$\",\"type\":\"jsonpath\"}",
                                 msg, sizeof msg),
                     ACT_ERR_PARSE);
    assert_int_equal(check_error("{\"context\":\"$url\",\"condition\":\"(\",\"type\":\"regex\"}",
                                 msg, sizeof msg),
                     ACT_ERR_PARSE);
    assert_int_equal(check_error("{\"context\":\"$url\",\"condition\":\"$[\",\"type\":"
                                 "\"jsonpath\"}",
                                 msg, sizeof msg),
                     ACT_ERR_PARSE);
}

/* The offset of a malformed simple condition, via lint. */
static size_t lint_off(const char *condition)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "condition", condition);
    enum act_criterion_field f = ACT_CRIT_OBJECT;
    size_t off = 9999;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_criterion_lint(c, &f, &off, &err), ACT_ERR_PARSE);
    assert_int_equal(f, ACT_CRIT_CONDITION);
    assert_true(strstr(err.msg, "at offset") != NULL);
    cJSON_Delete(c);
    return off;
}

static void test_malformed_conditions_give_their_offset(void **state)
{
    (void)state;
    assert_int_equal(lint_off(""), 0);
    assert_int_equal(lint_off("$statusCode ="), 12);
    assert_int_equal(lint_off("$statusCode = 200"), 12);
    assert_int_equal(lint_off("$statusCode == "), 15);
    assert_int_equal(lint_off("$statusCod == 200"), 0);
    assert_int_equal(lint_off("$response.body#x == 1"), 15);
    assert_int_equal(lint_off("($statusCode == 200"), 0);
    assert_int_equal(lint_off("$statusCode == 200)"), 18);
    assert_int_equal(lint_off("$statusCode == 'abc"), 15);
    assert_int_equal(lint_off("$statusCode == 200 &&"), 21);
    assert_int_equal(lint_off("$statusCode == 200 200"), 19);
    assert_int_equal(lint_off("$statusCode == 2x"), 15);
    assert_int_equal(lint_off("$statusCode == truex"), 15);
    assert_int_equal(lint_off("$statusCode == 200 & 1"), 19);
    assert_int_equal(lint_off("$response.body[x] == 1"), 15);
    assert_int_equal(lint_off("$response.body[0 == 1"), 14);
    assert_int_equal(lint_off("statusCode == 200"), 0);
    assert_int_equal(lint_off("$response.body#/a[0]. == 1"), 21);
    char deep[400];
    memset(deep, '(', 300);
    strcpy(deep + 300, "true");
    assert_int_equal(lint_off(deep) <= 300, 1);
    cJSON *c = cJSON_Parse("{\"condition\":\"$statusCode == 200\"}");
    assert_int_equal(act_criterion_lint(c, NULL, NULL, NULL), ACT_OK);
    cJSON_Delete(c);
}

static void lint_field(const char *criterion, enum act_status want, enum act_criterion_field field,
                       size_t off)
{
    cJSON *c = cJSON_Parse(criterion);
    assert_non_null(c);
    enum act_criterion_field f = (enum act_criterion_field) - 1;
    size_t o = 9999;
    assert_int_equal(act_criterion_lint(c, &f, &o, NULL), want);
    assert_int_equal(f, field);
    if (want == ACT_ERR_PARSE)
        assert_int_equal(o, off);
    cJSON_Delete(c);
}

static void test_lint_names_the_member_at_fault(void **state)
{
    (void)state;
    lint_field("{\"context\":\"$response.bdy\",\"condition\":\"$\",\"type\":\"jsonpath\"}",
               ACT_ERR_PARSE, ACT_CRIT_CONTEXT, 10);
    lint_field("{\"context\":\"$response.body\",\"condition\":\"$.a[\",\"type\":\"jsonpath\"}",
               ACT_ERR_PARSE, ACT_CRIT_CONDITION, 4);
    lint_field("{\"condition\":\"$statusCode === 200\"}", ACT_ERR_PARSE, ACT_CRIT_CONDITION, 14);
    lint_field("{\"condition\":\"$url\",\"type\":\"fuzzy\"}", ACT_ERR_INVALID, ACT_CRIT_TYPE, 0);
    lint_field("{\"condition\":\"x\",\"context\":\"$url\"}", ACT_ERR_INVALID, ACT_CRIT_TYPE, 0);
    lint_field("{\"condition\":\"x\",\"type\":\"regex\"}", ACT_ERR_INVALID, ACT_CRIT_CONTEXT, 0);
    lint_field("{\"context\":\"$url\"}", ACT_ERR_INVALID, ACT_CRIT_CONDITION, 0);
    lint_field("7", ACT_ERR_INVALID, ACT_CRIT_OBJECT, 0);
}

static int collect(const struct act_rtexpr *e, enum act_criterion_field f, size_t off, void *arg)
{
    struct act_buf *b = arg;
    assert_int_equal(
        act_buf_printf(b, "%s%d:%zu:%s", b->len ? " " : "", (int)f, off, act_rtexpr_name(e, NULL)),
        ACT_OK);
    return 0;
}

static void test_each_expr_lists_context_and_operands(void **state)
{
    (void)state;
    struct act_buf b;
    act_buf_init(&b);
    cJSON *c = cJSON_Parse("{\"context\":\"$steps.a.outputs.x\",\"condition\":\"$inputs.k == 1 "
                           "&& !($steps.b.outputs.y)\",\"type\":\"simple\"}");
    act_criterion_each_expr(c, collect, &b);
    assert_string_equal(b.data, "1:0:a.outputs.x 0:0:k 0:20:b.outputs.y");
    cJSON_Delete(c);
    act_buf_release(&b);
}

static void test_out_of_memory_is_reported_and_nothing_leaks(void **state)
{
    (void)state;
    act_alloc_init_cjson();
    const char *crits[] = {
        "{\"condition\":\"$statusCode == 404 || ($response.body#/pets[1]['name'] == 'tom' && "
        "!$inputs.flag)\"}",
        "{\"condition\":\"$statusCode == 404\"}",
        "{\"context\":\"$response.body\",\"condition\":\"$.pets[?@.age > 5]\","
        "\"type\":\"jsonpath\"}",
        "{\"context\":\"$response.body#/msg\",\"condition\":\"x|here\",\"type\":\"regex\"}",
    };
    cJSON *s = cJSON_Parse(scope_json);
    for (size_t k = 0; k < sizeof crits / sizeof *crits; k++) {
        cJSON *c = cJSON_Parse(crits[k]);
        for (long n = 1;; n++) {
            struct act_buf why;
            act_buf_init(&why);
            int passed = -1;
            act_alloc_fail_after(n);
            enum act_status st = act_criterion_check(c, s, &passed, &why, NULL);
            long failed = act_alloc_failed();
            act_alloc_fail_after(0);
            act_buf_release(&why);
            if (st == ACT_OK && !failed)
                break;
            if (st == ACT_OK)
                continue; /* PCRE2's JIT falls back when its memory fails */
            assert_int_equal(st, ACT_ERR_NOMEM);
            assert_int_equal(passed, -1);
            assert_true(n < 10000);
        }
        cJSON_Delete(c);
    }
    cJSON_Delete(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_conditions_compare_numbers_strings_and_literals),
        cmocka_unit_test(test_string_comparison_is_case_insensitive),
        cmocka_unit_test(test_numeric_strings_compare_with_numbers),
        cmocka_unit_test(test_logical_operators_and_parentheses),
        cmocka_unit_test(test_indexes_after_an_expression),
        cmocka_unit_test(test_a_failure_explains_the_condition_and_the_values),
        cmocka_unit_test(test_a_long_value_is_clipped_whole_characters_first),
        cmocka_unit_test(test_regex_criteria_search_the_context),
        cmocka_unit_test(test_jsonpath_criteria_use_the_context_as_root),
        cmocka_unit_test(test_malformed_criteria_are_errors),
        cmocka_unit_test(test_malformed_conditions_give_their_offset),
        cmocka_unit_test(test_lint_names_the_member_at_fault),
        cmocka_unit_test(test_each_expr_lists_context_and_operands),
        cmocka_unit_test(test_out_of_memory_is_reported_and_nothing_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
