/*
 * test_request.c - building requests from the spec: parameter styles and
 * encoding, values filled from the spec, the destination's prefix, headers and
 * queries, validation before sending, bodies; the URL helpers. No network.
 */
#include "unit.h"

#include "common/act_base64.h"
#include "runner/request.h"

#define SPEC "tests/data/runner/fixture.yaml"

struct fx {
    struct act_spec *spec;
    struct act_validator *v;
};

static int setup(void **state)
{
    static struct fx f;
    struct act_error err;
    act_error_init(&err);
    if (act_spec_load(SPEC, 0, &f.spec, &err) || act_validator_new(f.spec->docs, &f.v))
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    act_validator_free(f->v);
    act_spec_free(f->spec);
    return 0;
}

/* Build op with the given -p pairs ("name=value" strings) against base. */
static enum act_status build(struct fx *f, const char *op, const char *base,
                             const struct act_dest *dest, const char *const *pairs,
                             const char *const *headers, const char *body, struct act_request **out,
                             struct act_msgs *problems, struct act_error *err)
{
    struct act_arg args[16];
    char copies[16][256];
    size_t n = 0, nh = 0;
    for (; pairs && pairs[n]; n++) {
        snprintf(copies[n], sizeof(copies[n]), "%s", pairs[n]);
        char *eq = strchr(copies[n], '=');
        *eq = '\0';
        args[n].name = copies[n];
        args[n].value = eq + 1;
    }
    while (headers && headers[nh])
        nh++;
    const struct act_op *o = act_spec_find_op(f->spec, op);
    assert_non_null(o);
    struct act_request_in in = {f->spec,     o,       base, dest, args,
                                n,           headers, nh,   body, body ? strlen(body) : 0,
                                "body.json", 0,       NULL, NULL};
    return act_request_build(&in, f->v, out, problems, err);
}

static void test_request_encodes_path_values_so_slash_and_question_mark_stay_inside(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    const char *p[] = {"id=a/b?c#d e%", NULL};
    assert_int_equal(build(f, "echoParams", "http://h:1", NULL, p, NULL, NULL, &r, &m, &err),
                     ACT_OK);
    assert_string_equal(r->path, "/echo/items/a%2Fb%3Fc%23d%20e%25?limit=10&color=blue");
    assert_string_equal(r->method, "GET");
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_serializes_query_styles_form_pipe_space_and_deep_object(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    const char *p[] = {"id=1",
                       "tags=a,b",
                       "tags=c",
                       "ids=[3,4]",
                       "pipes=x,y",
                       "spaces=u,v",
                       "filter={\"color\":\"r g\",\"size\":2}",
                       "point={\"x\":1}",
                       "q=&=",
                       NULL};
    assert_int_equal(build(f, "echoParams", "http://h:1", NULL, p, NULL, NULL, &r, &m, &err),
                     ACT_OK);
    assert_string_equal(r->path, "/echo/items/1?limit=10&tags=a&tags=b&tags=c&ids=3,4&pipes=x|y"
                                 "&spaces=u%20v&filter[color]=r%20g&filter[size]=2&point=x,1"
                                 "&q=%26%3D&color=blue");
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_fills_required_values_from_example_default_and_single_enum(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    const char *p[] = {"id=7", "X-Flags=a,b", "session=s", NULL};
    assert_int_equal(build(f, "echoParams", "http://h:1", NULL, p, NULL, NULL, &r, &m, &err),
                     ACT_OK);
    /* limit from example, color from the single enum value, X-Request-Id from default */
    assert_string_equal(r->path, "/echo/items/7?limit=10&color=blue");
    assert_string_equal(act_headers_get(&r->headers, "X-Request-Id"), "req-1");
    assert_string_equal(act_headers_get(&r->headers, "X-Flags"), "a,b");
    assert_string_equal(act_headers_get(&r->headers, "Cookie"), "session=s");
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_names_every_missing_required_parameter(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    assert_int_equal(build(f, "echoNeeds", "http://h:1", NULL, NULL, NULL, NULL, &r, &m, &err),
                     ACT_ERR_USAGE);
    assert_null(r);
    assert_non_null(strstr(err.msg, "thing (path), token (query)"));
    act_error_init(&err);
    const char *p[] = {"thing=1", "token=t", "bogus=2", NULL};
    assert_int_equal(build(f, "echoNeeds", "http://h:1", NULL, p, NULL, NULL, &r, &m, &err),
                     ACT_ERR_USAGE);
    assert_non_null(strstr(err.msg, "no parameter \"bogus\""));
    act_msgs_release(&m);
}

static void test_request_prefixes_the_destination_path_and_ignores_servers(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    assert_int_equal(
        build(f, "get.hello", "http://h:3333/api/", NULL, NULL, NULL, NULL, &r, &m, &err), ACT_OK);
    assert_string_equal(r->url, "http://h:3333/api/hello");
    assert_string_equal(r->path, "/api/hello");
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_adds_destination_headers_and_queries_and_dash_h_wins(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    struct act_kv hdrs[] = {{"X-Tenant", "t1", 0}, {"X-Keep", "k", 0}};
    struct act_kv qs[] = {{"sap-client", "100", 0}, {"a b", "c&d", 0}};
    struct act_dest d = {0};
    d.name = "D";
    d.headers = hdrs;
    d.n_headers = 2;
    d.queries = qs;
    d.n_queries = 2;
    const char *h[] = {"x-tenant:   mine  ", "X-Empty:", NULL};
    assert_int_equal(build(f, "get.hello", "http://h:1?fixed=1", &d, NULL, h, NULL, &r, &m, &err),
                     ACT_OK);
    assert_string_equal(r->url, "http://h:1/hello?fixed=1&sap-client=100&a%20b=c%26d");
    assert_string_equal(act_headers_get(&r->headers, "X-Tenant"), "mine");
    assert_string_equal(act_headers_get(&r->headers, "X-Keep"), "k");
    assert_string_equal(act_headers_get(&r->headers, "X-Empty"), "");
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_places_api_keys_where_the_security_scheme_says(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    struct act_kv hdrs[] = {{"x-api-key", "k 1", 0}};
    struct act_dest d = {0};
    d.name = "D";
    d.headers = hdrs;
    d.n_headers = 1;
    assert_int_equal(
        build(f, "getSecuredElsewhere", "http://h:1", &d, NULL, NULL, NULL, &r, &m, &err), ACT_OK);
    assert_string_equal(r->path, "/echo/secured-elsewhere?X-API-Key=k%201");
    assert_string_equal(act_headers_get(&r->headers, "Cookie"), "X-API-Key=k%201");
    assert_string_equal(act_headers_get(&r->headers, "X-API-Key"), "k 1");
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_refuses_crlf_and_malformed_header_lines(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    const char *bad[][2] = {
        {"X-A: 1\r\nX-B: 2", NULL}, {"NoColon", NULL}, {": v", NULL}, {"Bad Name: v", NULL}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        act_error_init(&err);
        assert_int_equal(
            build(f, "get.hello", "http://h:1", NULL, NULL, bad[i], NULL, &r, &m, &err),
            ACT_ERR_USAGE);
        assert_null(r);
    }
    act_msgs_release(&m);
}

static void test_request_validates_parameters_before_sending(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    const char *p[] = {"id=1", "limit=500", "ids=1,x", NULL};
    assert_int_equal(build(f, "echoParams", "http://h:1", NULL, p, NULL, NULL, &r, &m, &err),
                     ACT_ERR_CHECK);
    /* The request is still handed out for the report. */
    assert_non_null(r);
    assert_int_equal(m.n, 2);
    assert_non_null(strstr(m.v[0], "query parameter \"limit\""));
    assert_non_null(strstr(m.v[1], "query parameter \"ids\" /1: expected integer"));
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_body_comes_from_the_example_with_its_content_type(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    assert_int_equal(build(f, "createItem", "http://h:1", NULL, NULL, NULL, NULL, &r, &m, &err),
                     ACT_OK);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->body, "{\"name\":\"widget\",\"count\":3}");
    assert_string_equal(act_headers_get(&r->headers, "Content-Type"), "application/json");
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_body_is_validated_in_the_request_direction(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    /* id is readOnly: it must not be sent; count must be >= 0 */
    assert_int_equal(build(f, "createItem", "http://h:1", NULL, NULL, NULL,
                           "{\"id\": 1, \"name\": \"x\", \"count\": -1}", &r, &m, &err),
                     ACT_ERR_CHECK);
    assert_int_equal(m.n, 2);
    assert_non_null(strstr(m.v[0], "request body /"));
    act_request_free(r);
    act_msgs_release(&m);
}

static void test_request_body_that_is_not_json_is_a_usage_error_with_position(void **state)
{
    struct fx *f = *state;
    struct act_request *r = NULL;
    struct act_msgs m;
    struct act_error err;
    act_msgs_init(&m);
    act_error_init(&err);
    assert_int_equal(
        build(f, "createItem", "http://h:1", NULL, NULL, NULL, "{\n  \"name\": }", &r, &m, &err),
        ACT_ERR_USAGE);
    assert_string_equal(err.file, "body.json");
    assert_int_equal(err.line, 2);
    act_error_init(&err);
    assert_int_equal(build(f, "putThing", "http://h:1", NULL, NULL, NULL, NULL, &r, &m, &err),
                     ACT_ERR_USAGE);
    assert_non_null(strstr(err.msg, "needs a request body"));
    act_msgs_release(&m);
}

static void test_url_helpers_join_split_encode_and_base64(void **state)
{
    (void)state;
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_url_join(&b, "http://h/api//", "/x"), ACT_OK);
    assert_string_equal(b.data, "http://h/api/x");
    act_buf_reset(&b);
    assert_int_equal(act_url_join(&b, "http://h", "//admin"), ACT_OK);
    assert_string_equal(b.data, "http://h//admin");
    act_buf_reset(&b);
    assert_int_equal(act_url_encode(&b, "a b/~-._*", 9, NULL), ACT_OK);
    assert_string_equal(b.data, "a%20b%2F~-._%2A");
    act_buf_reset(&b);
    assert_int_equal(act_base64(&b, (const unsigned char *)"alice:pw", 8), ACT_OK);
    assert_string_equal(b.data, "YWxpY2U6cHc=");
    act_buf_release(&b);

    struct act_url *u = NULL, *base = NULL;
    assert_int_equal(act_url_parse("HTTPS://[::1]/a?b#c", &u), ACT_OK);
    assert_string_equal(act_url_scheme(u), "https");
    assert_string_equal(act_url_host(u), "::1");
    assert_int_equal(act_url_port(u), 443);
    assert_string_equal(act_url_rest(u), "/a?b");
    assert_string_equal(act_url_text(u), "HTTPS://[::1]/a?b#c");
    act_url_free(u);
    assert_int_equal(act_url_parse("http://h:3333", &u), ACT_OK);
    assert_int_equal(act_url_port(u), 3333);
    assert_string_equal(act_url_rest(u), "/");
    act_url_free(u);
    /* The path is kept as written: dot segments and encoded dots too. */
    assert_int_equal(act_url_parse("http://h/a/../%2E%2E/b", &u), ACT_OK);
    assert_string_equal(act_url_rest(u), "/a/../%2E%2E/b");
    act_url_free(u);
    assert_int_equal(act_url_parse("ftp://h/", &u), ACT_ERR_USAGE);
    assert_null(u);
    assert_int_equal(act_url_parse("http://u:p@h/", &u), ACT_ERR_USAGE);
    assert_int_equal(act_url_parse("http://h:99999/", &u), ACT_ERR_USAGE);
    assert_int_equal(act_url_parse("http://:80/", &u), ACT_ERR_USAGE);
    assert_int_equal(act_url_parse("/relative", &u), ACT_ERR_USAGE);

    /* Location resolution (RFC 3986 5.2) and the origin check. */
    assert_int_equal(act_url_parse("http://H:80/dir/sub/redirect?q=1", &base), ACT_OK);
    const char *cases[][2] = {
        {"../hello", "http://h/dir/hello"},  {"/x/./y/../z", "http://h/x/z"},
        {"other", "http://h/dir/sub/other"}, {"//h2:81/p", "http://h2:81/p"},
        {"https://h/s", "https://h/s"},      {"?n=2", "http://h/dir/sub/redirect?n=2"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        assert_int_equal(act_url_resolve(base, cases[k][0], &u), ACT_OK);
        struct act_url *want = NULL;
        assert_int_equal(act_url_parse(cases[k][1], &want), ACT_OK);
        assert_string_equal(act_url_rest(u), act_url_rest(want));
        assert_int_equal(act_url_same_origin(u, want), 1);
        assert_int_equal(act_url_same_origin(u, base), k < 3 || k == 5);
        act_url_free(want);
        act_url_free(u);
    }
    act_url_free(base);
}

static void test_request_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    struct fx *f = *state;
    const char *p[] = {"id=a/b", "tags=x,y", "ids=1,2", NULL};
    const char *h[] = {"X-A: 1", NULL};
    for (long n = 1;; n++) {
        struct act_request *r = NULL;
        struct act_msgs m;
        struct act_error err;
        act_msgs_init(&m);
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st =
            build(f, "echoParams", "http://h:1/api", NULL, p, h, NULL, &r, &m, &err);
        if (!st) {
            act_request_free(r);
            r = NULL;
            st = build(f, "createItem", "http://h:1", NULL, NULL, NULL, NULL, &r, &m, &err);
        }
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_request_free(r);
        act_msgs_release(&m);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d (%s)", n, st, err.msg);
        if (strcmp(err.msg, "out of memory") != 0) /* the caller prints err */
            fail_msg("allocation %ld: out of memory without the message (\"%s\")", n, err.msg);
        assert_true(n < 100000);
    }
}

/* ------------------------------------------------------------ --fill, notes */

#define FILL_SPEC "tests/data/runner/fill.yaml"

/* Build op of fill.yaml with one optional -p pair, fill on or off. */
static enum act_status build_fill(const char *op, const char *pair, int fill,
                                  struct act_request **out, struct act_msgs *problems,
                                  struct act_msgs *notes, int *missing, struct act_error *err)
{
    static struct act_spec *spec;
    static struct act_validator *v;
    if (!spec) {
        struct act_error e;
        act_error_init(&e);
        assert_int_equal(act_spec_load(FILL_SPEC, 0, &spec, &e), ACT_OK);
        assert_int_equal(act_validator_new(spec->docs, &v), ACT_OK);
    }
    if (!op) { /* the last call frees them */
        act_validator_free(v);
        act_spec_free(spec);
        spec = NULL;
        v = NULL;
        return ACT_OK;
    }
    char copy[256];
    struct act_arg arg = {NULL, NULL};
    if (pair) {
        snprintf(copy, sizeof(copy), "%s", pair);
        char *eq = strchr(copy, '=');
        *eq = '\0';
        arg.name = copy;
        arg.value = eq + 1;
    }
    const struct act_op *o = act_spec_find_op(spec, op);
    assert_non_null(o);
    struct act_request_in in = {spec, o, "http://h:1", NULL, &arg,  pair ? 1 : 0, NULL, 0,
                                NULL, 0, NULL,         fill, notes, missing};
    return act_request_build(&in, v, out, problems, err);
}

static void test_fill_missing_values_without_fill_are_a_usage_error_marked_missing(void **state)
{
    (void)state;
    struct act_request *r = NULL;
    struct act_msgs m, notes;
    struct act_error err;
    int missing = 0;
    act_msgs_init(&m);
    act_msgs_init(&notes);
    act_error_init(&err);
    assert_int_equal(build_fill("getDay", NULL, 0, &r, &m, &notes, &missing, &err), ACT_ERR_USAGE);
    assert_int_equal(missing, 1);
    assert_null(r);
    assert_non_null(strstr(err.msg, "day (path)"));
    assert_non_null(strstr(err.msg, "(or --fill for a mock)"));
    missing = 0;
    act_error_init(&err);
    assert_int_equal(build_fill("postThing", NULL, 0, &r, &m, &notes, &missing, &err),
                     ACT_ERR_USAGE);
    assert_int_equal(missing, 1);
    assert_non_null(strstr(err.msg, "needs a request body"));
    act_msgs_release(&m);
    act_msgs_release(&notes);
}

static void test_fill_generates_schema_valid_values_and_replaces_an_invalid_example(void **state)
{
    (void)state;
    struct act_request *r = NULL;
    struct act_msgs m, notes;
    struct act_error err;
    int missing = 0;
    act_msgs_init(&m);
    act_msgs_init(&notes);
    act_error_init(&err);
    assert_int_equal(build_fill("getDay", NULL, 1, &r, &m, &notes, &missing, &err), ACT_OK);
    assert_int_equal(missing, 0);
    assert_int_equal(m.n, 0);
    /* format: date gives a date; the example 2 breaks minimum 5 and is replaced. */
    assert_string_equal(r->path, "/days/2024-01-01?limit=5");
    assert_int_equal(notes.n, 1);
    assert_non_null(strstr(notes.v[0], "the spec's example for query parameter \"limit\" does "
                                       "not match its schema"));
    assert_non_null(strstr(notes.v[0], "a generated value was sent instead"));
    act_request_free(r);
    r = NULL;
    assert_int_equal(build_fill("postThing", NULL, 1, &r, &m, &notes, &missing, &err), ACT_OK);
    assert_string_equal(r->body, "{\"n\":1}");
    assert_string_equal(r->media_type, "application/json");
    act_request_free(r);
    act_msgs_release(&m);
    act_msgs_release(&notes);
}

static void test_an_invalid_spec_example_is_a_note_sent_as_written_never_a_failure(void **state)
{
    (void)state;
    struct act_request *r = NULL;
    struct act_msgs m, notes;
    struct act_error err;
    act_msgs_init(&m);
    act_msgs_init(&notes);
    act_error_init(&err);
    assert_int_equal(build_fill("getDay", "day=2024-02-02", 0, &r, &m, &notes, NULL, &err), ACT_OK);
    assert_int_equal(m.n, 0);
    assert_string_equal(r->path, "/days/2024-02-02?limit=2");
    assert_int_equal(notes.n, 1);
    assert_non_null(strstr(notes.v[0], "sent as written"));
    act_request_free(r);
    r = NULL;
    act_msgs_release(&notes);
    act_msgs_init(&notes);
    assert_int_equal(build_fill("postBadExample", NULL, 0, &r, &m, &notes, NULL, &err), ACT_OK);
    assert_string_equal(r->body, "{\"n\":\"x\"}");
    assert_int_equal(notes.n, 1);
    assert_non_null(strstr(notes.v[0], "request body"));
    act_request_free(r);
    r = NULL;
    act_msgs_release(&notes);
    act_msgs_init(&notes);
    /* With --fill the body is replaced by one that matches. */
    assert_int_equal(build_fill("postBadExample", NULL, 1, &r, &m, &notes, NULL, &err), ACT_OK);
    assert_string_equal(r->body, "{\"n\":1}");
    assert_non_null(strstr(notes.v[0], "a generated value was sent instead"));
    act_request_free(r);
    r = NULL;
    /* A value the user gives is still checked as before: invalid is a failure. */
    act_msgs_release(&notes);
    act_msgs_init(&notes);
    assert_int_equal(build_fill("getDay", "day=yesterday", 1, &r, &m, &notes, NULL, &err),
                     ACT_ERR_CHECK);
    assert_int_equal(m.n, 1);
    assert_non_null(strstr(m.v[0], "path parameter \"day\""));
    act_request_free(r);
    act_msgs_release(&m);
    act_msgs_release(&notes);
}

static void test_fill_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    struct act_request *r = NULL;
    struct act_msgs m, notes;
    struct act_error err;
    act_msgs_init(&m);
    act_msgs_init(&notes);
    act_error_init(&err);
    /* Load the spec first: the sweep is about building. */
    assert_int_equal(build_fill("getDay", NULL, 1, &r, &m, &notes, NULL, &err), ACT_OK);
    act_request_free(r);
    act_msgs_release(&notes);
    for (long n = 1;; n++) {
        r = NULL;
        act_msgs_init(&notes);
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = build_fill("getDay", NULL, 1, &r, &m, &notes, NULL, &err);
        if (!st) {
            act_request_free(r);
            r = NULL;
            st = build_fill("postBadExample", NULL, 1, &r, &m, &notes, NULL, &err);
        }
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_request_free(r);
        act_msgs_release(&notes);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d (%s)", n, st, err.msg);
        if (strcmp(err.msg, "out of memory") != 0) /* the caller prints err */
            fail_msg("allocation %ld: out of memory without the message (\"%s\")", n, err.msg);
        assert_true(n < 100000);
    }
    act_msgs_release(&m);
    build_fill(NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL); /* the last fill test */
}

/* A spec of its own for the tests below: OData names, dot segments in every path style. */
static const char PATH_SPEC[] =
    "openapi: 3.0.3\n"
    "info: {title: t, version: '1'}\n"
    "paths:\n"
    "  /odata:\n"
    "    get:\n"
    "      operationId: odata\n"
    "      parameters:\n"
    "        - {name: $top, in: query, schema: {type: integer}}\n"
    "        - {name: $filter, in: query, schema: {type: string}}\n"
    "        - {name: 'a&b+c;d', in: query, schema: {type: string}}\n"
    "        - {name: \"!$'()*,\", in: query, schema: {type: string}}\n"
    "        - {name: $deep, in: query, style: deepObject, schema: {type: object}}\n"
    "      responses: {'200': {description: ok}}\n"
    "  /s/{a}/{b}:\n"
    "    delete:\n"
    "      operationId: simple\n"
    "      parameters:\n"
    "        - {name: a, in: path, required: true, schema: {type: string}}\n"
    "        - {name: b, in: path, required: true, schema: {type: string}}\n"
    "      responses: {'200': {description: ok}}\n"
    "  /l/{a}/x:\n"
    "    get:\n"
    "      operationId: label\n"
    "      parameters:\n"
    "        - {name: a, in: path, required: true, style: label, schema: {type: string}}\n"
    "      responses: {'200': {description: ok}}\n"
    "  /la/{a}/x:\n"
    "    get:\n"
    "      operationId: labels\n"
    "      parameters:\n"
    "        - {name: a, in: path, required: true, style: label, explode: true,\n"
    "           schema: {type: array, items: {type: string}}}\n"
    "      responses: {'200': {description: ok}}\n"
    "  /m/{a}/x:\n"
    "    get:\n"
    "      operationId: matrix\n"
    "      parameters:\n"
    "        - {name: a, in: path, required: true, style: matrix, schema: {type: string}}\n"
    "      responses: {'200': {description: ok}}\n"
    "  /p/{a};v=1:\n"
    "    get:\n"
    "      operationId: params\n"
    "      parameters:\n"
    "        - {name: a, in: path, required: true, schema: {type: string}}\n"
    "      responses: {'200': {description: ok}}\n";

/* The path (after host:port) of op built from PATH_SPEC with pairs; "" when it fails. */
static void path_of(const char *op, const char *const *pairs, char *out, size_t size)
{
    char file[] = "/tmp/act-test-request-XXXXXX";
    int fd = mkstemp(file);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, PATH_SPEC, sizeof(PATH_SPEC) - 1), (ssize_t)sizeof(PATH_SPEC) - 1);
    close(fd);
    struct fx f = {NULL, NULL};
    struct act_error err;
    act_error_init(&err);
    char name[sizeof(file) + 5];
    snprintf(name, sizeof(name), "%s.yaml", file);
    assert_int_equal(rename(file, name), 0);
    enum act_status st = act_spec_load(name, 0, &f.spec, &err);
    unlink(name);
    if (st)
        fail_msg("%s", err.msg);
    assert_int_equal(act_validator_new(f.spec->docs, &f.v), ACT_OK);
    struct act_request *r = NULL;
    struct act_msgs m;
    act_msgs_init(&m);
    st = build(&f, op, "http://h:1/base", NULL, pairs, NULL, NULL, &r, &m, &err);
    snprintf(out, size, "%s", st == ACT_OK ? r->path : "");
    if (st)
        print_message("%s: %s\n", op, err.msg);
    act_request_free(r);
    act_msgs_release(&m);
    act_validator_free(f.v);
    act_spec_free(f.spec);
}

static void test_request_keeps_dollar_and_safe_sub_delimiters_in_query_names(void **state)
{
    (void)state;
    char path[512];
    const char *p[] = {"$top=3",     "$filter=Name eq 'a&b'",  "a&b+c;d=1",
                       "!$'()*,=$x", "$deep={\"$k\":\"v w\"}", NULL};
    path_of("odata", p, path, sizeof(path));
    /* names: "$" and !'()*, stay; "&", "+" and ";" would change the query's structure */
    assert_string_equal(path, "/base/odata?$top=3&$filter=Name%20eq%20%27a%26b%27"
                              "&a%26b%2Bc%3Bd=1&!$'()*,=%24x&$deep[$k]=v%20w");
}

static void test_request_sends_dot_segments_of_path_values_encoded_in_every_style(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        const char *pairs[3];
        const char *path;
    } rows[] = {
        {"simple", {"a=..", "b=admin"}, "/base/s/%2E%2E/admin"},
        {"simple", {"a=.", "b=.."}, "/base/s/%2E/%2E%2E"},
        /* a value that decodes to ".." is encoded like any other: "%" is %25 */
        {"simple", {"a=%2e%2E", "b=x"}, "/base/s/%252e%252E/x"},
        {"simple", {"a=../..", "b=x"}, "/base/s/..%2F../x"},
        /* not dot segments: sent as they are */
        {"simple", {"a=...", "b=a.."}, "/base/s/.../a.."},
        /* label: the leading "." plus "." is "..", plus "" is "." */
        {"label", {"a=."}, "/base/l/%2E%2E/x"},
        {"label", {"a="}, "/base/l/%2E/x"},
        {"label", {"a=.."}, "/base/l/.../x"},
        {"labels", {"a=", "a="}, "/base/la/%2E/x"},
        /* matrix: ";a=.." is a segment of its own name */
        {"matrix", {"a=.."}, "/base/m/;a=../x"},
        /* ";params" do not hide a ".." segment (Tomcat reads "..;v=1" as "..") */
        {"params", {"a=.."}, "/base/p/%2E%2E;v=1"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *p[3] = {rows[i].pairs[0], rows[i].pairs[1], NULL};
        char path[512];
        path_of(rows[i].op, p, path, sizeof(path));
        if (strcmp(path, rows[i].path) != 0)
            fail_msg("row %zu (%s %s %s): got \"%s\", want \"%s\"", i, rows[i].op, p[0],
                     p[1] ? p[1] : "", path, rows[i].path);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_encodes_path_values_so_slash_and_question_mark_stay_inside),
        cmocka_unit_test(test_request_serializes_query_styles_form_pipe_space_and_deep_object),
        cmocka_unit_test(test_request_fills_required_values_from_example_default_and_single_enum),
        cmocka_unit_test(test_request_names_every_missing_required_parameter),
        cmocka_unit_test(test_request_prefixes_the_destination_path_and_ignores_servers),
        cmocka_unit_test(test_request_adds_destination_headers_and_queries_and_dash_h_wins),
        cmocka_unit_test(test_request_places_api_keys_where_the_security_scheme_says),
        cmocka_unit_test(test_request_refuses_crlf_and_malformed_header_lines),
        cmocka_unit_test(test_request_validates_parameters_before_sending),
        cmocka_unit_test(test_request_body_comes_from_the_example_with_its_content_type),
        cmocka_unit_test(test_request_body_is_validated_in_the_request_direction),
        cmocka_unit_test(test_request_body_that_is_not_json_is_a_usage_error_with_position),
        cmocka_unit_test(test_url_helpers_join_split_encode_and_base64),
        cmocka_unit_test(test_fill_missing_values_without_fill_are_a_usage_error_marked_missing),
        cmocka_unit_test(test_fill_generates_schema_valid_values_and_replaces_an_invalid_example),
        cmocka_unit_test(test_an_invalid_spec_example_is_a_note_sent_as_written_never_a_failure),
        cmocka_unit_test(test_fill_oom_at_every_allocation_is_reported_and_leaks_nothing),
        cmocka_unit_test(test_request_oom_at_every_allocation_is_reported_and_leaks_nothing),
        cmocka_unit_test(test_request_keeps_dollar_and_safe_sub_delimiters_in_query_names),
        cmocka_unit_test(test_request_sends_dot_segments_of_path_values_encoded_in_every_style),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
