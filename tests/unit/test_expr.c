/*
 * test_expr.c - Arazzo runtime expressions (process/expr.h): the ABNF, evaluation
 * against a scope, embedded {$...} strings and payload resolution.
 */
#include "unit.h"

#include "process/expr.h"

static const char scope_json[] =
    "{\"url\":\"http://127.0.0.1:8080/hello?x=1\",\"method\":\"GET\",\"statusCode\":200,"
    "\"request\":{\"header\":{\"Accept\":\"application/json\"},\"query\":{\"x\":\"1\"},"
    "\"path\":{\"id\":\"7\"},\"body\":{\"a\":[10,20]}},"
    "\"response\":{\"header\":{\"Content-Type\":\"application/json\",\"X-Rate.Limit\":\"5\"},"
    "\"body\":{\"message\":\"hi\",\"items\":[{\"id\":1},{\"id\":2}],\"a/b\":1,\"m~n\":2,"
    "\"n\":null}},"
    "\"inputs\":{\"id\":7,\"name\":\"Tom\",\"user\":{\"name\":\"Ann\"},\"a.b\":\"dotted\","
    "\"tok\":\"s3cr3t\"},"
    "\"outputs\":{\"created\":{\"id\":9}},"
    "\"steps\":{\"get.hello\":{\"outputs\":{\"message\":\"hello\",\"body\":{\"k\":[1,2,3]}}},"
    "\"get\":{\"outputs\":{\"other\":1}}},"
    "\"workflows\":{\"wf\":{\"inputs\":{\"u\":\"x\"},\"outputs\":{\"token\":\"T\"}}},"
    "\"sourceDescriptions\":{\"pets\":{\"name\":\"pets\",\"url\":\"./pets.yaml\","
    "\"type\":\"openapi\"}},"
    "\"components\":{\"parameters\":{\"page\":{\"name\":\"page\",\"in\":\"query\","
    "\"value\":1}},\"inputs\":{\"creds\":{\"type\":\"object\"}}}}";

static cJSON *scope(void)
{
    cJSON *s = cJSON_Parse(scope_json);
    assert_non_null(s);
    return s;
}

/* The value of expression text as compact JSON ("<absent>" when it names nothing). */
static char *eval_text(const char *text)
{
    cJSON *s = scope(), *v = NULL;
    struct act_rtexpr *e = NULL;
    struct act_error err;
    act_error_init(&err);
    size_t off = 99;
    if (act_rtexpr_parse(text, strlen(text), &e, &off, &err))
        fail_msg("parse %s: %s (offset %zu)", text, err.msg, off);
    assert_int_equal(act_rtexpr_eval(e, s, &v, &err), ACT_OK);
    char *out = v ? cJSON_PrintUnformatted(v) : strdup("<absent>");
    cJSON_Delete(v);
    act_rtexpr_free(e);
    cJSON_Delete(s);
    return out;
}

#define assert_eval(text, want)                                                                    \
    do {                                                                                           \
        char *got_ = eval_text(text);                                                              \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static size_t parse_error_at(const char *text)
{
    struct act_rtexpr *e = (struct act_rtexpr *)1;
    struct act_error err;
    act_error_init(&err);
    size_t off = 12345;
    assert_int_equal(act_rtexpr_parse(text, strlen(text), &e, &off, &err), ACT_ERR_PARSE);
    assert_null(e);
    assert_true(strstr(err.msg, "at offset") != NULL);
    return off;
}

static void test_http_message_expressions_read_the_exchange(void **state)
{
    (void)state;
    assert_eval("$url", "\"http://127.0.0.1:8080/hello?x=1\"");
    assert_eval("$method", "\"GET\"");
    assert_eval("$statusCode", "200");
    assert_eval("$request.header.Accept", "\"application/json\"");
    assert_eval("$request.query.x", "\"1\"");
    assert_eval("$request.path.id", "\"7\"");
    assert_eval("$request.body", "{\"a\":[10,20]}");
    assert_eval("$request.body#/a/1", "20");
    assert_eval("$response.body#/message", "\"hi\"");
    assert_eval("$response.body#/items/1/id", "2");
    assert_eval("$response.body#/a~1b", "1");
    assert_eval("$response.body#/m~0n", "2");
    assert_eval("$response.body#/n", "null");
    assert_eval("$response.body#", "{\"message\":\"hi\",\"items\":[{\"id\":1},{\"id\":2}],"
                                   "\"a/b\":1,\"m~n\":2,\"n\":null}");
    assert_eval("$response.body#/missing", "<absent>");
    assert_eval("$response.body#/items/2", "<absent>");
    assert_eval("$response.body#/items/01", "<absent>");
    assert_eval("$response.query.x", "<absent>");
}

static void test_header_names_are_case_insensitive_and_tokens_keep_dots(void **state)
{
    (void)state;
    assert_eval("$response.header.content-type", "\"application/json\"");
    assert_eval("$response.header.CONTENT-TYPE", "\"application/json\"");
    assert_eval("$response.header.x-rate.limit", "\"5\"");
    assert_eval("$request.header.accept", "\"application/json\"");
    assert_eval("$request.query.X", "<absent>"); /* query names are case-sensitive */
}

static void test_names_split_at_dots_by_the_keys_that_exist(void **state)
{
    (void)state;
    assert_eval("$inputs.id", "7");
    assert_eval("$inputs.name", "\"Tom\"");
    assert_eval("$inputs.user.name", "\"Ann\"");
    assert_eval("$inputs.a.b", "\"dotted\"");
    assert_eval("$inputs.nope", "<absent>");
    assert_eval("$outputs.created", "{\"id\":9}");
    assert_eval("$outputs.created#/id", "9");
    assert_eval("$steps.get.hello.outputs.message", "\"hello\"");
    assert_eval("$steps.get.outputs.other", "1");
    assert_eval("$steps.get.hello.outputs.body#/k/2", "3");
    assert_eval("$steps.get.hello.outputs.body.k.0", "1");
    assert_eval("$steps.nope.outputs.message", "<absent>");
    assert_eval("$workflows.wf.inputs.u", "\"x\"");
    assert_eval("$workflows.wf.outputs.token", "\"T\"");
    assert_eval("$sourceDescriptions.pets.url", "\"./pets.yaml\"");
    assert_eval("$sourceDescriptions.pets", "{\"name\":\"pets\",\"url\":\"./pets.yaml\","
                                            "\"type\":\"openapi\"}");
    assert_eval("$components.parameters.page#/value", "1");
    assert_eval("$components.inputs.creds", "{\"type\":\"object\"}");
}

static void test_name_escapes_follow_json_strings(void **state)
{
    (void)state;
    assert_eval("$inputs.\\u006eame", "\"Tom\"");
    assert_eval("$inputs.n\\u0000ame", "<absent>");
    struct act_rtexpr *e = NULL;
    const char *t = "$inputs.a\\tb#c";
    assert_int_equal(act_rtexpr_parse(t, strlen(t), &e, NULL, NULL), ACT_OK);
    size_t len;
    assert_string_equal(act_rtexpr_name(e, &len), "a\tb#c"); /* '#' not before '/' */
    assert_null(act_rtexpr_pointer(e));
    assert_int_equal(act_rtexpr_kind(e), ACT_RTEXPR_INPUTS);
    act_rtexpr_free(e);
}

static void test_accessors_give_kind_name_and_pointer(void **state)
{
    (void)state;
    struct act_rtexpr *e = NULL;
    const char *t = "$steps.get.hello.outputs.body#/k/0";
    assert_int_equal(act_rtexpr_parse(t, strlen(t), &e, NULL, NULL), ACT_OK);
    assert_int_equal(act_rtexpr_kind(e), ACT_RTEXPR_STEPS);
    assert_string_equal(act_rtexpr_name(e, NULL), "get.hello.outputs.body");
    assert_string_equal(act_rtexpr_pointer(e), "/k/0");
    act_rtexpr_free(e);
    t = "$response.body";
    assert_int_equal(act_rtexpr_parse(t, strlen(t), &e, NULL, NULL), ACT_OK);
    assert_int_equal(act_rtexpr_kind(e), ACT_RTEXPR_RESPONSE_BODY);
    assert_null(act_rtexpr_pointer(e));
    assert_string_equal(act_rtexpr_name(e, NULL), "");
    act_rtexpr_free(e);
    t = "$inputs.";
    assert_int_equal(act_rtexpr_parse(t, strlen(t), &e, NULL, NULL), ACT_OK); /* name = *CHAR */
    act_rtexpr_free(e);
}

static void test_malformed_expressions_report_their_offset(void **state)
{
    (void)state;
    assert_int_equal(parse_error_at("inputs.x"), 0);
    assert_int_equal(parse_error_at("$"), 0);
    assert_int_equal(parse_error_at("$foo"), 0);
    assert_int_equal(parse_error_at("$urlx"), 4);
    assert_int_equal(parse_error_at("$statusCode "), 11);
    assert_int_equal(parse_error_at("$inputs"), 7);
    assert_int_equal(parse_error_at("$steps"), 6);
    assert_int_equal(parse_error_at("$request.cookie.x"), 9);
    assert_int_equal(parse_error_at("$response.headers.x"), 10);
    assert_int_equal(parse_error_at("$response.header."), 17);
    assert_int_equal(parse_error_at("$response.header.a b"), 18);
    assert_int_equal(parse_error_at("$response.header.a:b"), 18);
    assert_int_equal(parse_error_at("$response.body.x"), 14);
    assert_int_equal(parse_error_at("$response.body#x"), 15);
    assert_int_equal(parse_error_at("$response.body#/a~2"), 17);
    assert_int_equal(parse_error_at("$response.body#/a~"), 17);
    assert_int_equal(parse_error_at("$inputs.a\"b"), 9);
    assert_int_equal(parse_error_at("$inputs.a\nb"), 9);
    assert_int_equal(parse_error_at("$inputs.a\\xb"), 9);
    assert_int_equal(parse_error_at("$inputs.a\\u12"), 9);
    assert_int_equal(parse_error_at("$inputs.a\\ud800"), 9);
    assert_int_equal(parse_error_at("$inputs.a\xff"), 9);
    assert_int_equal(parse_error_at("$inputs.x#/a~x"), 12);
}

static char *value_text(const char *s, enum act_status want, size_t *off)
{
    cJSON *sc = scope(), *v = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_rtexpr_value(s, sc, &v, off, &err), want);
    char *out = v ? cJSON_PrintUnformatted(v) : strdup("<absent>");
    cJSON_Delete(v);
    cJSON_Delete(sc);
    return out;
}

#define assert_value(text, want)                                                                   \
    do {                                                                                           \
        char *got_ = value_text(text, ACT_OK, NULL);                                               \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_document_strings_resolve_whole_embedded_or_literal(void **state)
{
    (void)state;
    assert_value("$inputs.id", "7");
    assert_value("$outputs.created", "{\"id\":9}");
    assert_value("$inputs.missing", "<absent>");
    assert_value("Bearer {$inputs.tok}", "\"Bearer s3cr3t\"");
    assert_value("{$inputs.id}", "\"7\"");
    assert_value("id={$inputs.id}&u={$inputs.user}", "\"id=7&u={\\\"name\\\":\\\"Ann\\\"}\"");
    assert_value("x{$inputs.missing}y", "\"xy\"");
    assert_value("{$steps.get.hello.outputs.message}, {$response.header.content-type}",
                 "\"hello, application/json\"");
    assert_value("plain text", "\"plain text\"");
    assert_value("$5.00", "\"$5.00\"");
    assert_value("{not an expression}", "\"{not an expression}\"");
    assert_value("", "\"\"");
    size_t off = 0;
    char *t = value_text("a {$inputs.x", ACT_ERR_PARSE, &off);
    assert_int_equal(off, 2);
    free(t);
    t = value_text("ab {$response.body#x} c", ACT_ERR_PARSE, &off);
    assert_int_equal(off, 19);
    free(t);
    struct act_error err;
    act_error_init(&err);
    cJSON *v = NULL;
    assert_int_equal(act_rtexpr_value("ab {$response.body#x} c", NULL, &v, NULL, &err),
                     ACT_ERR_PARSE);
    assert_string_equal(err.msg, "a JSON Pointer must start with '/' at offset 19");
    t = value_text("$statusCod", ACT_ERR_PARSE, &off);
    free(t);
    t = value_text("$resposne.body#/id", ACT_ERR_PARSE, &off);
    assert_int_equal(off, 0);
    free(t);
}

static void test_check_and_each_find_every_expression(void **state)
{
    (void)state;
    int form = -1;
    struct act_rtexpr *e = NULL;
    assert_int_equal(act_rtexpr_check("$steps.a.outputs.b", &form, &e, NULL, NULL), ACT_OK);
    assert_int_equal(form, 1);
    assert_non_null(e);
    act_rtexpr_free(e);
    assert_int_equal(act_rtexpr_check("x {$inputs.a} {$url}", &form, &e, NULL, NULL), ACT_OK);
    assert_int_equal(form, 2);
    assert_null(e);
    assert_int_equal(act_rtexpr_check("literal", &form, NULL, NULL, NULL), ACT_OK);
    assert_int_equal(form, 0);
}

static int count_steps(const struct act_rtexpr *e, size_t off, void *arg)
{
    size_t *offs = arg;
    if (act_rtexpr_kind(e) == ACT_RTEXPR_STEPS)
        offs[offs[0]++ + 1] = off;
    return 0;
}

static void test_each_gives_offsets_of_embedded_expressions(void **state)
{
    (void)state;
    size_t offs[8] = {0};
    assert_int_equal(act_rtexpr_each("a{$steps.x.outputs.y}b{$url}{$steps.z.outputs.w}",
                                     count_steps, offs, NULL, NULL),
                     ACT_OK);
    assert_int_equal(offs[0], 2);
    assert_int_equal(offs[1], 2);
    assert_int_equal(offs[2], 29);
}

static void test_payloads_resolve_deeply_and_keep_types(void **state)
{
    (void)state;
    cJSON *sc = scope();
    cJSON *p = cJSON_Parse("{\"subject\":\"$steps.get.hello.outputs.message\",\"n\":\"$inputs.id\","
                           "\"list\":[\"$inputs.user\",\"x-{$inputs.name}\",3,true,null],"
                           "\"gone\":\"$inputs.nope\",\"lit\":\"$5\"}");
    cJSON *out = NULL;
    assert_int_equal(act_rtexpr_resolve(p, sc, &out, NULL), ACT_OK);
    char *t = cJSON_PrintUnformatted(out);
    assert_string_equal(t,
                        "{\"subject\":\"hello\",\"n\":7,\"list\":[{\"name\":\"Ann\"},\"x-Tom\",3,"
                        "true,null],\"gone\":null,\"lit\":\"$5\"}");
    cJSON_free(t);
    cJSON_Delete(out);
    cJSON_Delete(p);
    /* An error names the string's pointer. */
    p = cJSON_Parse("{\"a\":[1,{\"b\":\"$response.body#nope\"}]}");
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_rtexpr_resolve(p, sc, &out, &err), ACT_ERR_PARSE);
    assert_null(out);
    assert_string_equal(err.pointer, "/a/1/b");
    cJSON_Delete(p);
    cJSON_Delete(sc);
}

static void test_results_larger_than_the_limit_are_an_error(void **state)
{
    (void)state;
    size_t big = ACT_MAX_EXPR_RESULT_BYTES / 4 + 10;
    char *s = malloc(big + 1);
    memset(s, 'x', big);
    s[big] = '\0';
    cJSON *sc = cJSON_CreateObject();
    cJSON *in = cJSON_AddObjectToObject(sc, "inputs");
    cJSON_AddStringToObject(in, "big", s);
    free(s);
    cJSON *v = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_rtexpr_value("$inputs.big", sc, &v, NULL, &err), ACT_OK);
    cJSON_Delete(v);
    assert_int_equal(
        act_rtexpr_value("{$inputs.big}{$inputs.big}{$inputs.big}{$inputs.big}{$inputs.big}", sc,
                         &v, NULL, &err),
        ACT_ERR_LIMIT);
    assert_null(v);
    assert_true(strstr(err.msg, "ACT_MAX_EXPR_RESULT_BYTES") != NULL);
    cJSON *p = cJSON_Parse("[\"$inputs.big\",\"$inputs.big\",\"$inputs.big\",\"$inputs.big\","
                           "\"$inputs.big\"]");
    act_error_init(&err);
    assert_int_equal(act_rtexpr_resolve(p, sc, &v, &err), ACT_ERR_LIMIT);
    assert_null(v);
    cJSON_Delete(p);
    cJSON_Delete(sc);
}

static void test_out_of_memory_is_reported_and_nothing_leaks(void **state)
{
    (void)state;
    act_alloc_init_cjson();
    cJSON *sc = scope();
    cJSON *p = cJSON_Parse("{\"s\":\"{$inputs.name} {$inputs.user}\",\"l\":[\"$inputs.user\"]}");
    for (long n = 1;; n++) {
        cJSON *out = NULL;
        act_alloc_fail_after(n);
        enum act_status st = act_rtexpr_resolve(p, sc, &out, NULL);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (st == ACT_OK && !failed) {
            cJSON_Delete(out);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_null(out);
        assert_true(n < 1000);
    }
    for (long n = 1;; n++) {
        struct act_rtexpr *e = NULL;
        act_alloc_fail_after(n);
        enum act_status st = act_rtexpr_parse("$inputs.a\\u0062", 15, &e, NULL, NULL);
        act_alloc_fail_after(0);
        if (st == ACT_OK) {
            act_rtexpr_free(e);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_null(e);
    }
    cJSON_Delete(p);
    cJSON_Delete(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_message_expressions_read_the_exchange),
        cmocka_unit_test(test_header_names_are_case_insensitive_and_tokens_keep_dots),
        cmocka_unit_test(test_names_split_at_dots_by_the_keys_that_exist),
        cmocka_unit_test(test_name_escapes_follow_json_strings),
        cmocka_unit_test(test_accessors_give_kind_name_and_pointer),
        cmocka_unit_test(test_malformed_expressions_report_their_offset),
        cmocka_unit_test(test_document_strings_resolve_whole_embedded_or_literal),
        cmocka_unit_test(test_check_and_each_find_every_expression),
        cmocka_unit_test(test_each_gives_offsets_of_embedded_expressions),
        cmocka_unit_test(test_payloads_resolve_deeply_and_keep_types),
        cmocka_unit_test(test_results_larger_than_the_limit_are_an_error),
        cmocka_unit_test(test_out_of_memory_is_reported_and_nothing_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
