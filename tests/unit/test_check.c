/*
 * test_check.c - response checks (status, content type, JSON, schema, required
 * headers) and connector routing with its three messages. No network.
 */
#include "unit.h"

#include "parser/openapi.h"
#include "runner/check.h"
#include "runner/route.h"

#define SPEC "tests/data/runner/fixture.yaml"

struct fx {
    struct act_spec *spec;
    struct act_validator *v;
    struct act_connector *conn;
};

static const char connector_text[] =
    "systems:\n"
    "  - virtualHost: internalhost\n"
    "    virtualPort: 3333\n"
    "    internalHost: 127.0.0.1\n"
    "    internalPort: 4000\n"
    "    resources:\n"
    "      - {path: /hello, policy: path-and-subpaths}\n"
    "      - {path: /only, policy: path-only}\n"
    "      - {path: /admin, policy: path-and-subpaths, active: false}\n"
    "  - virtualHost: inner2\n"
    "    virtualPort: 80\n"
    "    internalHost: 10.1.2.3\n"
    "    internalPort: 8443\n"
    "    protocol: HTTPS\n"
    "    hostInHeader: internal\n"
    "    resources:\n"
    "      - {path: /, policy: path-and-subpaths}\n";

static int setup(void **state)
{
    static struct fx f;
    struct act_error err;
    act_error_init(&err);
    char path[] = "/tmp/test_check_connXXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *fp = fdopen(fd, "w");
    fputs(connector_text, fp);
    fclose(fp);
    enum act_status st = act_connector_load(path, &f.conn, &err);
    unlink(path);
    if (st || act_spec_load(SPEC, 0, &f.spec, &err) || act_validator_new(f.spec->docs, &f.v))
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    act_validator_free(f->v);
    act_spec_free(f->spec);
    act_connector_free(f->conn);
    return 0;
}

/* Run the checks for op on (status, content type, body); problems into m. When
 * fail_at > 0, allocation fail_at of the check itself fails and *failed says
 * whether any did. */
static enum act_status check_n(struct fx *f, const char *op, long status, const char *ct,
                               const char *body, struct act_msgs *m, long fail_at, long *failed)
{
    struct act_headers h;
    act_headers_init(&h);
    if (ct)
        assert_int_equal(act_headers_add(&h, "content-type", ct), ACT_OK);
    if (fail_at)
        act_alloc_fail_after(fail_at);
    /* The OOM sweep also covers handing back the structured errors. */
    struct act_errlist errs;
    act_errlist_init(&errs, 0);
    struct act_check_in in = {
        f->spec, act_spec_find_op(f->spec, op), status, &h,
        body,    body ? strlen(body) : 0,       0,      fail_at ? &errs : NULL};
    assert_non_null(in.op);
    struct act_error err;
    act_error_init(&err);
    struct act_check_out out;
    enum act_status st = act_check_response(&in, f->v, m, &out, &err);
    if (fail_at) {
        *failed = act_alloc_failed();
        act_alloc_fail_after(0);
    }
    act_doc_free(out.body);
    act_errlist_release(&errs);
    act_headers_release(&h);
    return st;
}

static enum act_status check(struct fx *f, const char *op, long status, const char *ct,
                             const char *body, struct act_msgs *m)
{
    return check_n(f, op, status, ct, body, m, 0, NULL);
}

static void test_check_passes_a_declared_status_type_and_valid_body(void **state)
{
    struct fx *f = *state;
    struct act_msgs m;
    act_msgs_init(&m);
    assert_int_equal(
        check(f, "get.hello", 200, "application/json; charset=utf-8", "{\"message\": \"hi\"}", &m),
        ACT_OK);
    assert_int_equal(m.n, 0);
    act_msgs_release(&m);
}

static void test_check_reports_every_schema_error_with_its_pointer(void **state)
{
    struct fx *f = *state;
    struct act_msgs m;
    act_msgs_init(&m);
    assert_int_equal(check(f, "get.hello", 200, "application/json", "{\"message\": 42}", &m),
                     ACT_OK);
    assert_int_equal(m.n, 1);
    assert_non_null(strstr(m.v[0], "/message: expected string, got number"));
    act_msgs_release(&m);
}

static void test_check_hands_back_each_schema_error_structured_when_asked(void **state)
{
    struct fx *f = *state;
    struct act_headers h;
    act_headers_init(&h);
    assert_int_equal(act_headers_add(&h, "Content-Type", "application/json"), ACT_OK);
    struct act_errlist errs;
    act_errlist_init(&errs, 0);
    struct act_msgs m, m2;
    act_msgs_init(&m);
    act_msgs_init(&m2);
    struct act_error err;
    act_error_init(&err);
    const char *body = "{\"message\": 42}";
    struct act_check_in in = {
        f->spec, act_spec_find_op(f->spec, "get.hello"), 200, &h, body, strlen(body), 0, &errs};
    assert_int_equal(act_check_response(&in, f->v, &m, NULL, &err), ACT_OK);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.v[0].instance, "/message");
    assert_string_equal(errs.v[0].keyword, "type");
    assert_string_equal(errs.v[0].schema, "#/components/schemas/Message/properties/message/type");
    /* The problem's text is formatted from the same error. */
    struct act_buf b;
    act_buf_init(&b);
    act_verr_format(&errs.v[0], &b);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], b.data);
    /* A second check appends to the list; its problems are its own errors only. */
    in.body = "{}";
    in.body_len = 2;
    assert_int_equal(act_check_response(&in, f->v, &m2, NULL, &err), ACT_OK);
    assert_int_equal(errs.n, 2);
    assert_string_equal(errs.v[1].instance, "");
    assert_string_equal(errs.v[1].keyword, "required");
    assert_int_equal(m2.n, 1);
    assert_non_null(strstr(m2.v[0], "(root): "));
    act_buf_release(&b);
    act_msgs_release(&m);
    act_msgs_release(&m2);
    act_errlist_release(&errs);
    act_headers_release(&h);
}

static void test_check_status_exact_then_range_then_default(void **state)
{
    struct fx *f = *state;
    assert_true(act_status_key_matches("200", 200, 0));
    assert_false(act_status_key_matches("200", 201, 0));
    assert_true(act_status_key_matches("4XX", 404, 1));
    assert_true(act_status_key_matches("4xx", 499, 1));
    assert_false(act_status_key_matches("4XX", 500, 1));
    assert_true(act_status_key_matches("default", 503, 2));
    assert_false(act_status_key_matches("20", 20, 0));
    struct act_msgs m;
    act_msgs_init(&m);
    /* getStatus declares 200 and 4XX (with a required X-Trace header) */
    assert_int_equal(check(f, "getStatus", 404, "application/json", "{\"message\": \"x\"}", &m),
                     ACT_OK);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], "required response header \"X-Trace\" is missing");
    act_msgs_release(&m);
    act_msgs_init(&m);
    assert_int_equal(check(f, "getStatus", 503, "application/json", "{}", &m), ACT_OK);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], "status 503 is not declared for getStatus (declared: 200, 4XX)");
    act_msgs_release(&m);
    /* getSecured: only default, with application/ wildcard */
    act_msgs_init(&m);
    assert_int_equal(check(f, "getSecured", 299, "application/vnd.x+json",
                           "{\"method\":\"GET\",\"path\":\"/\",\"headers\":[],\"body\":\"\"}", &m),
                     ACT_OK);
    assert_int_equal(m.n, 0);
    act_msgs_release(&m);
}

static void test_check_content_type_must_be_declared_and_present(void **state)
{
    struct fx *f = *state;
    struct act_msgs m;
    act_msgs_init(&m);
    assert_int_equal(check(f, "get.hello", 200, "text/html", "<p>", &m), ACT_OK);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], "content type \"text/html\" is not declared for 200 (declared: "
                                "application/json)");
    act_msgs_release(&m);
    act_msgs_init(&m);
    assert_int_equal(check(f, "get.hello", 200, NULL, "{}", &m), ACT_OK);
    assert_int_equal(m.n, 1);
    assert_non_null(strstr(m.v[0], "no Content-Type"));
    act_msgs_release(&m);
}

static void test_check_invalid_json_is_a_failure_with_line_and_column(void **state)
{
    struct fx *f = *state;
    struct act_msgs m;
    act_msgs_init(&m);
    assert_int_equal(
        check(f, "get.hello", 200, "application/json", "{\"message\": \"x\",\n oops}", &m), ACT_OK);
    assert_int_equal(m.n, 1);
    assert_non_null(strstr(m.v[0], "response body is not valid JSON: 2:"));
    act_msgs_release(&m);
}

static void test_check_duplicate_member_in_the_body_is_a_failure_with_both_positions(void **state)
{
    struct fx *f = *state;
    struct act_msgs m;
    act_msgs_init(&m);
    assert_int_equal(check(f, "get.hello", 200, "application/json",
                           "{\"message\": \"hi\",\n \"message\": \"hello\"}", &m),
                     ACT_OK);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], "response body has a duplicate member: duplicate member name "
                                "\"message\" in the object at (root) (at 1:2 and 2:2)");
    act_msgs_release(&m);
}

static void test_check_media_type_json_detection(void **state)
{
    (void)state;
    assert_true(act_media_is_json("application/json"));
    assert_true(act_media_is_json("Application/JSON; charset=utf-8"));
    assert_true(act_media_is_json("application/problem+json"));
    assert_false(act_media_is_json("application/jsonx"));
    assert_false(act_media_is_json("text/plain"));
    assert_false(act_media_is_json("+json"));
}

static void test_route_internet_goes_straight_with_proxies_allowed(void **state)
{
    (void)state;
    struct act_dest d = {0};
    d.name = "I";
    d.proxy = ACT_PROXY_INTERNET;
    struct act_route r;
    act_route_init(&r);
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_route_resolve(&d, NULL, NULL, "http://x:1/a", &r, &err), ACT_OK);
    assert_string_equal(r.url, "http://x:1/a");
    assert_true(r.use_env_proxy);
    assert_null(r.host);
    act_route_release(&r);
}

static void test_route_onpremise_maps_to_the_internal_host_keeping_the_virtual_host(void **state)
{
    struct fx *f = *state;
    struct act_dest d = {0};
    d.name = "OP";
    d.proxy = ACT_PROXY_ONPREMISE;
    struct act_route r;
    act_route_init(&r);
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(
        act_route_resolve(&d, f->conn, NULL, "http://InternalHost:3333/hello-world?x=1", &r, &err),
        ACT_OK);
    assert_string_equal(r.url, "http://127.0.0.1:4000/hello-world?x=1");
    assert_string_equal(r.host, "InternalHost:3333");
    assert_null(r.forwarded_host);
    assert_false(r.use_env_proxy);
    assert_int_equal(act_route_resolve(&d, f->conn, NULL, "http://inner2/x", &r, &err), ACT_OK);
    assert_string_equal(r.url, "https://10.1.2.3:8443/x");
    assert_string_equal(r.host, "10.1.2.3:8443");
    assert_string_equal(r.forwarded_host, "inner2:80");
    act_route_release(&r);
}

static void test_route_unmapped_host_names_the_host_and_the_connector_file(void **state)
{
    struct fx *f = *state;
    struct act_dest d = {0};
    d.name = "OP";
    d.proxy = ACT_PROXY_ONPREMISE;
    struct act_route r;
    act_route_init(&r);
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_route_resolve(&d, f->conn, NULL, "http://elsewhere:3333/hello", &r, &err),
                     ACT_ERR_NETWORK);
    assert_string_equal(err.msg, ACT_MSG_NOT_MAPPED);
    assert_non_null(strstr(err.context, "elsewhere:3333"));
    assert_non_null(strstr(err.context, f->conn->file));
    assert_null(r.url);
}

static void test_route_policies_are_checked_on_the_normalized_path(void **state)
{
    struct fx *f = *state;
    struct act_dest d = {0};
    d.name = "OP";
    d.proxy = ACT_PROXY_ONPREMISE;
    static const struct {
        const char *path;
        int ok;
    } cases[] = {
        {"/hello", 1},
        {"/hello/x", 1},
        {"/hello-world", 1},
        {"/only", 1},
        {"/only?q=1", 1},
        {"/only/x", 0},
        {"/admin", 0},
        {"/admin/x", 0},
        {"/hello/../admin", 0},
        {"/hello/%2e%2e/admin", 0},
        {"//admin", 0},
        {"/Hello", 0},
        {"/", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char url[256];
        snprintf(url, sizeof(url), "http://internalhost:3333%s", cases[i].path);
        struct act_route r;
        act_route_init(&r);
        struct act_error err;
        act_error_init(&err);
        enum act_status st = act_route_resolve(&d, f->conn, NULL, url, &r, &err);
        if (cases[i].ok != (st == ACT_OK))
            fail_msg("%s: status %d (%s)", cases[i].path, st, err.context);
        if (!cases[i].ok) {
            assert_string_equal(err.msg, ACT_MSG_NOT_ADMITTED);
            assert_non_null(strstr(err.context, "/admin (path-and-subpaths, inactive)"));
        }
        act_route_release(&r);
    }
}

static void test_route_failure_wraps_network_errors_in_the_third_message(void **state)
{
    struct fx *f = *state;
    struct act_dest d = {0};
    d.name = "OP";
    d.proxy = ACT_PROXY_ONPREMISE;
    struct act_route r;
    act_route_init(&r);
    struct act_error err, cause;
    act_error_init(&err);
    act_error_init(&cause);
    assert_int_equal(
        act_route_resolve(&d, f->conn, NULL, "http://internalhost:3333/hello", &r, &err), ACT_OK);
    act_error_set(&cause, ACT_ERR_NETWORK, NULL, 0, 0, "cannot connect to 127.0.0.1:4000: refused");
    act_route_failure(&r, &cause, &err);
    assert_string_equal(err.msg, ACT_MSG_UNREACHABLE);
    assert_non_null(strstr(err.context, "internal host 127.0.0.1:4000"));
    assert_non_null(strstr(err.context, "refused"));
    act_route_release(&r);
}

static void test_check_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    struct fx *f = *state;
    for (long n = 1;; n++) {
        struct act_msgs m;
        act_msgs_init(&m);
        long failed = 0;
        enum act_status st = check_n(f, "get.hello", 200, "application/json",
                                     "{\"message\": 42, \"x\": [1, 2]}", &m, n, &failed);
        act_msgs_release(&m);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d", n, st);
        assert_true(n < 100000);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_passes_a_declared_status_type_and_valid_body),
        cmocka_unit_test(test_check_reports_every_schema_error_with_its_pointer),
        cmocka_unit_test(test_check_hands_back_each_schema_error_structured_when_asked),
        cmocka_unit_test(test_check_status_exact_then_range_then_default),
        cmocka_unit_test(test_check_content_type_must_be_declared_and_present),
        cmocka_unit_test(test_check_invalid_json_is_a_failure_with_line_and_column),
        cmocka_unit_test(test_check_duplicate_member_in_the_body_is_a_failure_with_both_positions),
        cmocka_unit_test(test_check_media_type_json_detection),
        cmocka_unit_test(test_route_internet_goes_straight_with_proxies_allowed),
        cmocka_unit_test(test_route_onpremise_maps_to_the_internal_host_keeping_the_virtual_host),
        cmocka_unit_test(test_route_unmapped_host_names_the_host_and_the_connector_file),
        cmocka_unit_test(test_route_policies_are_checked_on_the_normalized_path),
        cmocka_unit_test(test_route_failure_wraps_network_errors_in_the_third_message),
        cmocka_unit_test(test_check_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
