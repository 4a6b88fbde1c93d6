/*
 * test_connector.c - the connector file, mappings, path normalization and
 * resource policies (the access rules of SAP Cloud Connector).
 */
#include "unit.h"

#include "runner/connector.h"

#define DATA "tests/data/connector/"

static struct act_connector *must_load(const char *path)
{
    struct act_connector *c = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_connector_load(path, &c, &err)) {
        char buf[4096];
        act_error_format(&err, buf, sizeof(buf));
        fail_msg("load failed: %s", buf);
    }
    return c;
}

static void expect_error(const char *path, int line, const char *msg)
{
    struct act_connector *c = (struct act_connector *)1;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_connector_load(path, &c, &err), ACT_ERR_INVALID);
    assert_null(c);
    if (!strstr(err.msg, msg))
        fail_msg("%s: message \"%s\" lacks \"%s\"", path, err.msg, msg);
    assert_int_equal(err.line, line);
    assert_string_equal(err.file, path);
}

/* normalize(in) must succeed with want, or fail with ACT_ERR_INVALID when want is NULL. */
static void norm(const char *in, const char *want)
{
    struct act_buf out;
    act_buf_init(&out);
    enum act_status st = act_path_normalize(in, &out);
    if (!want) {
        if (st != ACT_ERR_INVALID)
            fail_msg("\"%s\" normalized to \"%s\", expected a refusal", in, out.data);
    } else {
        if (st != ACT_OK)
            fail_msg("\"%s\" refused (%d), expected \"%s\"", in, st, want);
        if (strcmp(out.data, want) != 0)
            fail_msg("\"%s\" normalized to \"%s\", expected \"%s\"", in, out.data, want);
    }
    act_buf_release(&out);
}

/* Is raw path admitted by sys after normalization? */
static int admits(const struct act_system *sys, const char *raw)
{
    struct act_buf out;
    act_buf_init(&out);
    int ok = act_path_normalize(raw, &out) == ACT_OK && act_connector_admits(sys, out.data);
    act_buf_release(&out);
    return ok;
}

static void test_connector_file_loads_systems_and_resources(void **state)
{
    (void)state;
    struct act_connector *c = must_load(DATA "connector.yaml");
    assert_int_equal(c->n, 3);
    assert_string_equal(c->file, DATA "connector.yaml");
    const struct act_system *s = &c->v[0];
    assert_string_equal(s->virtual_host, "internalhost");
    assert_int_equal(s->virtual_port, 3333);
    assert_string_equal(s->internal_host, "127.0.0.1");
    assert_int_equal(s->internal_port, 3333);
    assert_false(s->https);
    assert_false(s->host_internal);
    assert_null(s->location_id);
    assert_int_equal(s->line, 3);
    assert_int_equal(s->n_res, 3);
    assert_string_equal(s->res[0].path, "/hello");
    assert_int_equal(s->res[0].policy, ACT_POLICY_PATH_SUBPATHS);
    assert_true(s->res[0].active);
    assert_int_equal(s->res[0].line, 10);
    assert_int_equal(s->res[1].policy, ACT_POLICY_PATH_ONLY);
    assert_false(s->res[2].active);
    s = &c->v[1];
    assert_int_equal(s->virtual_port, 443); /* "443" as a string */
    assert_true(s->https);
    assert_true(s->host_internal);
    assert_string_equal(s->location_id, "loc1");
    assert_true(s->res[0].active); /* "true" as a string */
    assert_int_equal(c->v[2].n_res, 0);
    act_connector_free(c);
}

static void test_connector_json_top_level_list_and_ipv6_hosts_load(void **state)
{
    (void)state;
    struct act_connector *c = must_load(DATA "connector.json");
    assert_int_equal(c->n, 1);
    assert_string_equal(c->v[0].internal_host, "[::1]");
    assert_int_equal(c->v[0].internal_port, 65535);
    assert_int_equal(c->v[0].res[0].policy, ACT_POLICY_PATH_ONLY);
    act_connector_free(c);
}

static void test_invalid_connector_files_are_errors_at_their_line(void **state)
{
    (void)state;
    expect_error(DATA "broken/bad-port.yaml", 3, "must be a port number from 1 to 65535");
    expect_error(DATA "broken/zero-port.yaml", 5, "must be a port number from 1 to 65535");
    expect_error(DATA "broken/empty-host.yaml", 2, "must be a host name or address");
    expect_error(DATA "broken/bad-protocol.yaml", 6, "protocol must be HTTP or HTTPS");
    expect_error(DATA "broken/bad-policy.yaml", 8, "policy must be path-only or path-and-subpaths");
    expect_error(DATA "broken/relative-path.yaml", 7, "resource path must start with \"/\"");
    expect_error(DATA "broken/dot-path.yaml", 7, "is not in normal form");
    expect_error(DATA "broken/unknown-key.yaml", 6, "unknown key \"hostInHeadr\" in system");
    expect_error(DATA "broken/duplicate.yaml", 6, "duplicate mapping for virtual host A:80");
    expect_error(DATA "broken/bad-host-header.yaml", 6, "hostInHeader must be virtual or internal");
    expect_error(DATA "broken/missing-internal.yaml", 2, "system has no \"internalHost\"");
    expect_error(DATA "broken/bad-active.yaml", 8, "\"active\" must be true or false");
}

static void test_map_matches_host_case_insensitively_port_and_location(void **state)
{
    (void)state;
    struct act_connector *c = must_load(DATA "connector.yaml");
    assert_ptr_equal(act_connector_map(c, "internalhost", 3333, NULL), &c->v[0]);
    assert_ptr_equal(act_connector_map(c, "InternalHost", 3333, ""), &c->v[0]);
    assert_null(act_connector_map(c, "internalhost", 3334, NULL));
    assert_null(act_connector_map(c, "otherhost", 3333, NULL));
    assert_null(act_connector_map(c, "internalhost", 3333, "loc1"));
    assert_ptr_equal(act_connector_map(c, "erp.example.com", 443, "loc1"), &c->v[1]);
    assert_null(act_connector_map(c, "erp.example.com", 443, NULL));
    act_connector_free(c);
}

static void test_normalize_removes_dot_segments_and_drops_the_query(void **state)
{
    (void)state;
    norm("/hello/../admin", "/admin");
    norm("/hello/./x", "/hello/x");
    norm("/a/b/c/./../../g", "/a/g");
    norm("/../../x", "/x");
    norm("/hello/..", "/");
    norm("/hello/.", "/hello/");
    norm("/hello?x=../../admin", "/hello");
    norm("/hello#frag", "/hello");
    norm("", "/");
    norm("/", "/");
    norm("/hello/", "/hello/");
}

static void test_normalize_decodes_unreserved_escapes_only(void **state)
{
    (void)state;
    norm("/hello/%2e%2e/admin", "/admin");
    norm("/hello/%2E%2E/admin", "/admin");
    norm("/hello/.%2e/admin", "/admin");
    norm("/%68ello", "/hello");
    norm("/a%7eb", "/a~b");
    norm("/a%2fb", "/a%2Fb"); /* encoded slash stays encoded, hex upper-cased */
    norm("/a%20b", "/a%20b");
    norm("/a%252e%252e/b", "/a%252e%252e/b"); /* decoded once only */
}

static void test_normalize_keeps_double_slashes(void **state)
{
    (void)state;
    norm("//admin", "//admin");
    norm("/hello//world", "/hello//world");
}

static void test_normalize_refuses_ambiguous_and_malformed_paths(void **state)
{
    (void)state;
    norm("/hello//../admin", NULL);  /* a slash-merging backend reads /admin */
    norm("/hello/..%2Fadmin", NULL); /* a backend decoding %2F reads /admin */
    norm("/hello/..%5cadmin", NULL); /* or %5C */
    norm("/hello/..;/admin", NULL);  /* Tomcat reads ..; as .. */
    norm("/hello/%2e%2e;x/admin", NULL);
    norm("/hello\\..\\admin", NULL); /* a raw backslash is not a URI character */
    norm("/a b", NULL);
    norm("/a%zz", NULL);
    norm("/a%2", NULL);
    norm("/caf\xc3\xa9", NULL);
    norm("hello", NULL);
    norm("/a;v=1/b", "/a;v=1/b"); /* parameters without dot segments are fine */
    norm("/repos/a%2Fb/x", "/repos/a%2Fb/x");
}

static void test_path_and_subpaths_is_a_plain_string_prefix(void **state)
{
    (void)state;
    struct act_connector *c = must_load(DATA "connector.yaml");
    const struct act_system *s = &c->v[0];
    assert_true(admits(s, "/hello"));
    assert_true(admits(s, "/hello/x"));
    assert_true(admits(s, "/hello-world")); /* as BTP does: a string prefix */
    assert_true(admits(s, "/hello?name=x"));
    assert_false(admits(s, "/Hello")); /* case-sensitive */
    assert_false(admits(s, "/hell"));
    assert_false(admits(s, "/hello/../admin"));
    assert_false(admits(s, "/hello/%2e%2e/admin"));
    assert_false(admits(s, "//admin"));
    assert_false(admits(s, "/hello//../admin"));
    assert_true(admits(s, "/hello/./x/../y"));
    act_connector_free(c);
}

static void test_path_only_admits_exactly_that_path_ignoring_the_query(void **state)
{
    (void)state;
    struct act_connector *c = must_load(DATA "connector.yaml");
    const struct act_system *s = &c->v[0];
    assert_true(admits(s, "/exact"));
    assert_true(admits(s, "/exact?x=1"));
    assert_true(act_connector_admits(s, "/exact?x=1") != NULL); /* also unnormalized */
    assert_false(admits(s, "/exact/"));
    assert_false(admits(s, "/exact/x"));
    assert_false(admits(s, "/exactly"));
    act_connector_free(c);
}

static void test_inactive_resources_and_empty_systems_admit_nothing(void **state)
{
    (void)state;
    struct act_connector *c = must_load(DATA "connector.yaml");
    assert_false(admits(&c->v[0], "/disabled"));
    assert_false(admits(&c->v[0], "/disabled/x"));
    assert_false(admits(&c->v[2], "/"));
    assert_null(act_connector_admits(NULL, "/"));
    act_connector_free(c);
}

static void test_root_with_subpaths_admits_everything(void **state)
{
    (void)state;
    struct act_connector *c = must_load(DATA "connector.yaml");
    const struct act_system *s = &c->v[1];
    assert_true(admits(s, "/"));
    assert_true(admits(s, "/anything/at/all"));
    assert_true(admits(s, "//admin"));
    const struct act_resource *r = act_connector_admits(s, "/x");
    assert_non_null(r);
    assert_string_equal(r->path, "/");
    act_connector_free(c);
}

static void test_connector_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        struct act_connector *c = (struct act_connector *)1;
        struct act_error err;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_connector_load(DATA "connector.yaml", &c, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (failed == 0) {
            assert_int_equal(st, ACT_OK);
            act_connector_free(c);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld failed but status is %d (%s)", n, st, err.msg);
        assert_null(c);
        assert_true(n < 100000);
    }
    for (long n = 1;; n++) {
        struct act_buf out;
        act_buf_init(&out);
        act_alloc_fail_after(n);
        enum act_status st = act_path_normalize("/hello/%2e%2e/a;b/./c", &out);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_buf_release(&out);
        if (failed == 0) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connector_file_loads_systems_and_resources),
        cmocka_unit_test(test_connector_json_top_level_list_and_ipv6_hosts_load),
        cmocka_unit_test(test_invalid_connector_files_are_errors_at_their_line),
        cmocka_unit_test(test_map_matches_host_case_insensitively_port_and_location),
        cmocka_unit_test(test_normalize_removes_dot_segments_and_drops_the_query),
        cmocka_unit_test(test_normalize_decodes_unreserved_escapes_only),
        cmocka_unit_test(test_normalize_keeps_double_slashes),
        cmocka_unit_test(test_normalize_refuses_ambiguous_and_malformed_paths),
        cmocka_unit_test(test_path_and_subpaths_is_a_plain_string_prefix),
        cmocka_unit_test(test_path_only_admits_exactly_that_path_ignoring_the_query),
        cmocka_unit_test(test_inactive_resources_and_empty_systems_admit_nothing),
        cmocka_unit_test(test_root_with_subpaths_admits_everything),
        cmocka_unit_test(test_connector_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
