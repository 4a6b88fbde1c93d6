/*
 * test_spec.c - operations: enumeration in spec order, synthesized ids,
 * parameter merging, inherited security and servers, version checks, OOM.
 */
#include "unit.h"

#include "parser/spec.h"

static struct act_spec *load_ok(const char *path)
{
    struct act_spec *s = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_spec_load(path, 0, &s, &err))
        fail_msg("%s: %s", path, err.msg);
    return s;
}

static void test_spec_enumerates_every_method_in_document_order(void **state)
{
    (void)state;
    struct act_spec *s = load_ok("tests/data/spec/ops.yaml");
    const char *want[] = {"trace",   "get",  "put",   "post", "delete",
                          "options", "head", "patch", "get"};
    assert_int_equal(s->n_ops, 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(s->ops[i].method, want[i]);
    assert_string_equal(s->ops[8].path, "/other");
    act_spec_free(s);
}

static void test_spec_synthesizes_method_dot_path_ids(void **state)
{
    (void)state;
    struct act_spec *s = load_ok("tests/data/spec/ops.yaml");
    assert_string_equal(s->ops[0].id, "trace./things/{id}");
    assert_true(s->ops[0].id_synthesized);
    assert_string_equal(s->ops[1].id, "getThing");
    assert_false(s->ops[1].id_synthesized);
    assert_ptr_equal(act_spec_find_op(s, "patch./things/{id}"), &s->ops[7]);
    assert_null(act_spec_find_op(s, "nope"));
    assert_string_equal(s->ops[1].pointer, "/paths/~1things~1{id}/get");
    act_spec_free(s);
}

static void test_spec_reads_summary_tags_and_deprecated(void **state)
{
    (void)state;
    struct act_spec *s = load_ok("tests/data/spec/ops.yaml");
    const struct act_op *p = &s->ops[7];
    assert_string_equal(p->summary, "Patch it");
    assert_true(p->deprecated);
    assert_int_equal(cJSON_GetArraySize(p->tags), 2);
    assert_null(s->ops[1].summary);
    assert_false(s->ops[1].deprecated);
    act_spec_free(s);
}

static void test_spec_operation_parameters_override_path_level_ones(void **state)
{
    (void)state;
    struct act_spec *s = load_ok("tests/data/spec/ops.yaml");
    struct act_param *p;
    size_t n;
    assert_int_equal(act_spec_op_params(s, &s->ops[1], &p, &n, NULL), ACT_OK);
    assert_int_equal(n, 4);
    /* id/path replaced in place by the operation's; trace and the $ref kept; id/query added. */
    assert_string_equal(p[0].name, "id");
    assert_string_equal(p[0].in, "path");
    assert_string_equal(cJSON_GetObjectItem(p[0].node.node, "description")->valuestring,
                        "op-level");
    assert_string_equal(p[1].name, "trace");
    assert_string_equal(p[2].name, "verbose");
    assert_string_equal(p[3].name, "id");
    assert_string_equal(p[3].in, "query");
    act_free(p);
    assert_int_equal(act_spec_op_params(s, &s->ops[0], &p, &n, NULL), ACT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(cJSON_GetObjectItem(p[0].node.node, "description")->valuestring,
                        "path-level");
    assert_true(p[0].required);
    act_free(p);
    act_spec_free(s);
}

static void test_spec_ignored_header_parameters_are_left_out_unless_asked_for(void **state)
{
    (void)state;
    struct act_spec *s = load_ok("tests/data/spec/ignored-headers.yaml");
    struct act_param *p;
    size_t n;
    /* Every consumer sees only the parameters OpenAPI does not say to ignore: a query
     * parameter named Accept is an ordinary one. */
    assert_int_equal(act_spec_op_params(s, &s->ops[0], &p, &n, NULL), ACT_OK);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].name, "X-Kept");
    assert_string_equal(p[1].name, "Accept");
    assert_string_equal(p[1].in, "query");
    assert_false(p[0].ignored || p[1].ignored);
    act_free(p);
    assert_int_equal(act_spec_op_params_all(s, &s->ops[0], ACT_PARAMS_IGNORED, &p, &n, NULL),
                     ACT_OK);
    assert_int_equal(n, 5);
    const char *names[] = {"accept", "Content-Type", "X-Kept", "AUTHORIZATION", "Accept"};
    const int ignored[] = {1, 1, 0, 1, 0};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(p[i].name, names[i]);
        assert_int_equal(p[i].ignored, ignored[i]);
    }
    act_free(p);
    assert_true(act_spec_param_ignored("header", "aCCept"));
    assert_false(act_spec_param_ignored("cookie", "Authorization"));
    assert_false(act_spec_param_ignored("header", "Accept-Language"));
    act_spec_free(s);
}

static void test_spec_security_and_servers_are_inherited_unless_overridden(void **state)
{
    (void)state;
    struct act_spec *s = load_ok("tests/data/spec/ops.yaml");
    assert_string_equal(s->ops[1].security->child->child->string, "global");
    assert_int_equal(cJSON_GetArraySize(s->ops[2].security), 0); /* security: [] disables it */
    assert_string_equal(cJSON_GetObjectItem(s->ops[1].servers->child, "url")->valuestring,
                        "http://path.example");
    assert_string_equal(cJSON_GetObjectItem(s->ops[2].servers->child, "url")->valuestring,
                        "http://op.example");
    assert_string_equal(cJSON_GetObjectItem(s->ops[8].servers->child, "url")->valuestring,
                        "http://global.example");
    act_spec_free(s);
}

static void expect_load_error(const char *text, enum act_status st, const char *msg)
{
    char path[] = "/tmp/actions-test-spec-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct act_spec *s = (struct act_spec *)1;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_spec_load(path, 0, &s, &err), st);
    assert_null(s);
    if (!strstr(err.msg, msg))
        fail_msg("\"%s\" lacks \"%s\"", err.msg, msg);
    unlink(path);
}

static void test_spec_refuses_unsupported_versions_and_non_openapi_documents(void **state)
{
    (void)state;
    expect_load_error("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
                      ACT_ERR_UNSUPPORTED, "unsupported Swagger version \"1.2\"");
    expect_load_error("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
                      ACT_ERR_UNSUPPORTED, "unsupported OpenAPI version \"3.1.0\"");
    expect_load_error("openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n", ACT_ERR_INVALID,
                      "\"openapi\" must be a string");
    expect_load_error("info: {title: t}\npaths: {}\n", ACT_ERR_INVALID, "no \"openapi\" field");
    expect_load_error("openapi: 3.0.0\ninfo: {title: t}\n", ACT_ERR_INVALID, "no \"paths\" object");
    expect_load_error("- 1\n", ACT_ERR_INVALID, "the top level is not an object");
    expect_load_error("openapi: 3.0.0\npaths: []\n", ACT_ERR_INVALID,
                      "\"paths\" must be an object");
}

static void test_spec_suggests_close_ids(void **state)
{
    (void)state;
    struct act_spec *s = load_ok("specs/petstore.yaml");
    const char *out[5];
    size_t n = act_spec_suggest(s, "listPet", out, 5);
    assert_true(n >= 1);
    assert_string_equal(out[0], "listPets");
    n = act_spec_suggest(s, "Pet", out, 5);
    assert_true(n >= 3); /* substring matches */
    assert_int_equal(act_spec_suggest(s, "zzzzzzzzzz", out, 5), 0);
    act_spec_free(s);
}

static void test_spec_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        struct act_spec *s = NULL;
        struct act_error err;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_spec_load("specs/multifile/api.yaml", 0, &s, &err);
        struct act_param *p = NULL;
        size_t np;
        if (!st)
            st = act_spec_op_params(s, &s->ops[0], &p, &np, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_free(p);
        act_spec_free(s);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d (%s)", n, st, err.msg);
        assert_true(n < 100000);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_enumerates_every_method_in_document_order),
        cmocka_unit_test(test_spec_synthesizes_method_dot_path_ids),
        cmocka_unit_test(test_spec_reads_summary_tags_and_deprecated),
        cmocka_unit_test(test_spec_operation_parameters_override_path_level_ones),
        cmocka_unit_test(test_spec_ignored_header_parameters_are_left_out_unless_asked_for),
        cmocka_unit_test(test_spec_security_and_servers_are_inherited_unless_overridden),
        cmocka_unit_test(test_spec_refuses_unsupported_versions_and_non_openapi_documents),
        cmocka_unit_test(test_spec_suggests_close_ids),
        cmocka_unit_test(test_spec_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
