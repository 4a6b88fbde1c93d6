/*
 * test_exchange.c - act_exchange against the real fixture server
 * (tests/fixtures/server.py, started on 127.0.0.1 with a free port and
 * stopped at the end): redirects hop by hop (followed, declared, to another
 * origin, relative, 303 as GET, a loop) and the CSRF handshake with its one
 * retry, the OAuth2 token read once per run, and Check Connection's request.
 * Needs python3.
 */
#include "unit.h"

#include <signal.h>
#include <sys/wait.h>

#include "runner/exchange.h"

#define SPEC "tests/data/runner/fixture.yaml"

struct fx {
    struct act_spec *spec;
    struct act_validator *v;
    struct act_destset *ds;
    const struct act_dest *dest;
    pid_t server;
    int port;
};

/* Start server.py on a free port; its pid, the port read from its first line. */
static int start_server(struct fx *f)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execlp("python3", "python3", "tests/fixtures/server.py", "0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char line[32];
    size_t n = 0;
    while (n < sizeof(line) - 1) {
        ssize_t got = read(fds[0], line + n, 1);
        if (got <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    close(fds[0]);
    f->server = pid;
    f->port = atoi(line);
    return f->port > 0 ? 0 : -1;
}

static int setup(void **state)
{
    static struct fx f;
    struct act_error err;
    act_error_init(&err);
    if (act_http_global_init() || start_server(&f))
        return -1;
    char props[256];
    snprintf(props, sizeof(props),
             "Name=LOCAL\nType=HTTP\nURL=http\\://127.0.0.1\\:%d\nProxyType=Internet\n"
             "Authentication=NoAuthentication\nURL.headers.X-Trace=t1\n",
             f.port);
    if (act_spec_load(SPEC, 0, &f.spec, &err) || act_validator_new(f.spec->docs, &f.v) ||
        act_destset_parse_properties("LOCAL", props, strlen(props), &f.ds, &err))
        return -1;
    f.dest = act_destset_find(f.ds, "LOCAL");
    *state = &f;
    return f.dest ? 0 : -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    act_validator_free(f->v);
    act_spec_free(f->spec);
    act_destset_free(f->ds);
    if (f->server > 0) {
        kill(f->server, SIGTERM);
        waitpid(f->server, NULL, 0);
    }
    return 0;
}

/* The steps traced, one per line ("N:text"; RESPONSE as "R:status"). */
static void on_trace(void *ctx, const struct act_trace_event *ev)
{
    struct act_buf *log = ctx;
    if (ev->kind == ACT_TRACE_RESPONSE)
        assert_int_equal(act_buf_printf(log, "R:%ld\n", ev->resp->status), ACT_OK);
    else
        assert_int_equal(act_buf_printf(log, "%c:%s\n", "NQRW"[ev->kind], ev -> text), ACT_OK);
}

/* One exchange of op: its outcome, the final status, the trace, notes and problems. */
struct outcome {
    enum act_status st;
    enum act_outcome outcome;
    long status;
    int sent;
    char *method; /* the final request's method */
    struct act_http_resp resp;
    struct act_msgs problems, notes;
    struct act_buf trace;
    struct act_error failure;
};

static void run(struct fx *f, const char *op_id, const char *csrf, struct outcome *out)
{
    memset(out, 0, sizeof(*out));
    act_http_resp_init(&out->resp);
    act_msgs_init(&out->problems);
    act_msgs_init(&out->notes);
    act_buf_init(&out->trace);
    const struct act_op *op = act_spec_find_op(f->spec, op_id);
    assert_non_null(op);
    struct act_request_in in = {
        .spec = f->spec, .op = op, .base_url = f->dest->url, .dest = f->dest, .notes = &out->notes};
    struct act_request *req = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_request_build(&in, f->v, &req, &out->problems, &err), ACT_OK);
    struct act_redactor red;
    act_redactor_init(&red);
    struct act_exchange_opts o = {
        .http = {.timeout_ms = 10000},
        .dest = f->dest,
        .csrf_path = csrf,
        .follow_redirects = 1,
        .spec = f->spec,
        .op = op,
        .v = f->v,
        .red = &red,
        .trace = on_trace,
        .trace_ctx = &out->trace,
        .trace_steps = 1,
    };
    struct act_exchange_result res = {
        .resp = &out->resp, .problems = &out->problems, .notes = &out->notes};
    out->st = act_exchange(req, &o, &res, &err);
    out->outcome = res.outcome;
    out->status = out->resp.status;
    out->sent = res.sent;
    out->failure = res.failure;
    out->method = act_strdup(req->method);
    /* A CSRF token obtained is a secret of the run from then on. */
    const char *tok = act_headers_get(&req->headers, "x-csrf-token");
    if (tok) {
        struct act_buf masked;
        act_buf_init(&masked);
        assert_int_equal(act_redact_text(&red, tok, strlen(tok), &masked), ACT_OK);
        assert_null(strstr(masked.data, tok));
        act_buf_release(&masked);
    }
    act_redactor_release(&red);
    act_request_free(req);
}

static void done(struct outcome *out)
{
    act_free(out->method);
    act_http_resp_release(&out->resp);
    act_msgs_release(&out->problems);
    act_msgs_release(&out->notes);
    act_buf_release(&out->trace);
}

static void test_an_undeclared_same_origin_redirect_is_followed_on_the_same_route(void **state)
{
    struct outcome o;
    run(*state, "getRedirect", NULL, &o);
    assert_int_equal(o.st, ACT_OK);
    assert_int_equal(o.outcome, ACT_OUTCOME_PASS);
    assert_int_equal(o.status, 200);
    assert_non_null(strstr(o.trace.data, "R:302\nN:following the 302 redirect\nQ:GET http://"));
    assert_non_null(strstr(o.trace.data, "/hello\nR:200\n"));
    done(&o);
}

static void test_a_declared_redirect_is_the_answer(void **state)
{
    struct outcome o;
    run(*state, "getRedirectDeclared", NULL, &o);
    assert_int_equal(o.outcome, ACT_OUTCOME_PASS);
    assert_int_equal(o.status, 302);
    assert_null(strstr(o.trace.data, "following"));
    done(&o);
}

static void test_a_redirect_to_another_origin_is_not_followed_and_noted(void **state)
{
    struct outcome o;
    run(*state, "getRedirectAway", NULL, &o);
    assert_int_equal(o.st, ACT_OK);
    assert_int_equal(o.status, 302);
    assert_int_equal(o.outcome, ACT_OUTCOME_FAIL); /* 302 is not declared */
    assert_int_equal(o.notes.n, 1);
    assert_non_null(strstr(o.notes.v[0], "302 redirect to another origin not followed "
                                         "(Location: http://127.0.0.2:9/hello)"));
    done(&o);
}

static void test_a_relative_location_is_resolved_with_its_dot_segments(void **state)
{
    struct outcome o;
    run(*state, "getRedirectRelative", NULL, &o);
    assert_int_equal(o.outcome, ACT_OUTCOME_PASS);
    assert_int_equal(o.status, 200);
    assert_null(strstr(o.trace.data, "/dir/../"));
    assert_non_null(strstr(o.trace.data, "/hello\nR:200\n"));
    done(&o);
}

static void test_a_303_continues_as_get_without_the_body(void **state)
{
    struct outcome o;
    run(*state, "postSeeOther", NULL, &o);
    assert_int_equal(o.outcome, ACT_OUTCOME_PASS); /* the schema wants method GET, body "" */
    assert_int_equal(o.status, 200);
    assert_string_equal(o.method, "GET");
    done(&o);
}

static void test_a_redirect_loop_stops_as_unreachable(void **state)
{
    struct outcome o;
    run(*state, "getLoop", NULL, &o);
    assert_int_equal(o.st, ACT_OK);
    assert_int_equal(o.outcome, ACT_OUTCOME_UNREACHABLE);
    assert_int_equal(o.failure.status, ACT_ERR_NETWORK);
    assert_non_null(strstr(o.failure.msg, "too many redirects from http://127.0.0.1:"));
    assert_int_equal(o.problems.n, 1);
    done(&o);
}

static void test_csrf_fetches_a_token_and_sends_it_with_the_cookie(void **state)
{
    struct outcome o;
    run(*state, "postCsrf", "/csrf", &o);
    assert_int_equal(o.outcome, ACT_OUTCOME_PASS);
    assert_int_equal(o.status, 201);
    assert_non_null(strstr(o.trace.data, "N:CSRF token fetch\nQ:GET http://"));
    assert_null(strstr(o.trace.data, "W:"));
    done(&o);
    /* Without the handshake the server refuses. */
    run(*state, "postCsrf", NULL, &o);
    assert_int_equal(o.status, 403);
    assert_int_equal(o.outcome, ACT_OUTCOME_FAIL);
    assert_null(strstr(o.trace.data, "CSRF"));
    done(&o);
}

static void test_csrf_required_answer_is_retried_once_with_a_new_token(void **state)
{
    struct outcome o;
    run(*state, "postCsrfRetry", "/csrf", &o);
    assert_int_equal(o.outcome, ACT_OUTCOME_PASS);
    assert_int_equal(o.status, 201);
    const char *retry =
        strstr(o.trace.data, "R:403\nN:CSRF token rejected: fetching a new one and retrying once\n"
                             "N:CSRF token fetch\n");
    assert_non_null(retry);
    assert_non_null(strstr(retry, "R:201\n"));
    done(&o);
}

static void test_csrf_fetch_without_a_token_warns(void **state)
{
    struct outcome o;
    run(*state, "postCsrf", "/hello", &o); /* /hello sends no x-csrf-token */
    assert_int_equal(o.status, 403);
    assert_non_null(strstr(o.trace.data, "W:CSRF fetch from LOCAL answered 200 without an "
                                         "x-csrf-token header\n"));
    done(&o);
}

static void test_check_connection_request_and_no_destination(void **state)
{
    struct fx *f = *state;
    struct act_request *req = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_exchange_dest_request(f->dest, "GET", "/echo/x?a=1", &req, &err), ACT_OK);
    assert_non_null(strstr(req->url, "/echo/x?a=1"));
    assert_string_equal(act_headers_get(&req->headers, "X-Trace"), "t1");
    struct act_http_resp resp;
    struct act_msgs problems, notes;
    act_http_resp_init(&resp);
    act_msgs_init(&problems);
    act_msgs_init(&notes);
    struct act_exchange_opts o = {.http = {.timeout_ms = 10000}, .dest = f->dest};
    struct act_exchange_result res = {.resp = &resp, .problems = &problems, .notes = &notes};
    assert_int_equal(act_exchange(req, &o, &res, &err), ACT_OK);
    assert_int_equal(res.outcome, ACT_OUTCOME_PASS); /* no operation: no checks */
    assert_int_equal(resp.status, 200);
    assert_non_null(strstr(resp.body.data, "\"path\": \"/echo/x?a=1\""));
    act_request_free(req);
    /* No destination: the URL as it is. A closed port is unreachable. */
    struct act_request bare = {.method = "HEAD", .url = "http://127.0.0.1:9/"};
    act_headers_init(&bare.headers);
    o.dest = NULL;
    assert_int_equal(act_exchange(&bare, &o, &res, &err), ACT_OK);
    assert_int_equal(res.outcome, ACT_OUTCOME_UNREACHABLE);
    assert_int_equal(res.sent, 1);
    assert_int_equal(res.failure.status, ACT_ERR_NETWORK);
    act_http_resp_release(&resp);
    act_msgs_release(&problems);
    act_msgs_release(&notes);
}

/* The token service's call count (GET /token/count). */
static int token_calls(struct fx *f)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/token/count", f->port);
    struct act_http_req req = {.method = "GET", .url = url};
    struct act_http_opts opts = {.timeout_ms = 10000};
    struct act_http_resp resp;
    struct act_error err;
    act_http_resp_init(&resp);
    act_error_init(&err);
    assert_int_equal(act_http_perform(&req, &opts, &resp, &err), ACT_OK);
    const char *n = strstr(resp.body.data, "\"count\": ");
    assert_non_null(n);
    int count = atoi(n + 9);
    act_http_resp_release(&resp);
    return count;
}

/* One GET /bearer with OAuth2 through session s (NULL: none); the trace. */
static void bearer(const struct act_dest *d, struct act_auth_session *s, struct act_buf *trace)
{
    struct act_request *req = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_exchange_dest_request(d, "GET", "/bearer", &req, &err), ACT_OK);
    struct act_http_resp resp;
    struct act_msgs problems, notes;
    act_http_resp_init(&resp);
    act_msgs_init(&problems);
    act_msgs_init(&notes);
    struct act_exchange_opts o = {.http = {.timeout_ms = 10000},
                                  .dest = d,
                                  .auth = s,
                                  .trace = on_trace,
                                  .trace_ctx = trace,
                                  .trace_steps = 1};
    struct act_exchange_result res = {.resp = &resp, .problems = &problems, .notes = &notes};
    assert_int_equal(act_exchange(req, &o, &res, &err), ACT_OK);
    assert_int_equal(resp.status, 200);
    act_request_free(req);
    act_http_resp_release(&resp);
    act_msgs_release(&problems);
    act_msgs_release(&notes);
}

static void test_the_oauth2_token_is_read_once_per_run(void **state)
{
    struct fx *f = *state;
    /* No cache directory can be made there: only the session can spare a fetch. */
    setenv("XDG_CACHE_HOME", "/dev/null/cache", 1);
    char props[512];
    snprintf(props, sizeof(props),
             "Name=OAUTH\nType=HTTP\nURL=http\\://127.0.0.1\\:%d\nProxyType=Internet\n"
             "Authentication=OAuth2ClientCredentials\n"
             "tokenServiceURL=http\\://127.0.0.1\\:%d/token\nclientId=client-1\n"
             "clientSecret=cl1ent-s3cret-XYZ\n",
             f->port, f->port);
    struct act_destset *ds = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_destset_parse_properties("OAUTH", props, strlen(props), &ds, &err),
                     ACT_OK);
    const struct act_dest *d = act_destset_find(ds, "OAUTH");
    struct act_auth_session s;
    act_auth_session_init(&s);
    struct act_buf trace;
    act_buf_init(&trace);
    int before = token_calls(f);
    bearer(d, &s, &trace);
    bearer(d, &s, &trace);
    assert_int_equal(token_calls(f), before + 1);
    const char *first = strstr(trace.data, "N:OAuth2 token obtained from the token service\n");
    assert_non_null(first);
    assert_non_null(strstr(first, "N:OAuth2 token taken from the cache\n"));
    /* Without the session each exchange fetches its own. */
    bearer(d, NULL, &trace);
    assert_int_equal(token_calls(f), before + 2);
    act_buf_release(&trace);
    act_auth_session_release(&s);
    assert_null(s.authorization);
    act_destset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_undeclared_same_origin_redirect_is_followed_on_the_same_route),
        cmocka_unit_test(test_a_declared_redirect_is_the_answer),
        cmocka_unit_test(test_a_redirect_to_another_origin_is_not_followed_and_noted),
        cmocka_unit_test(test_a_relative_location_is_resolved_with_its_dot_segments),
        cmocka_unit_test(test_a_303_continues_as_get_without_the_body),
        cmocka_unit_test(test_a_redirect_loop_stops_as_unreachable),
        cmocka_unit_test(test_csrf_fetches_a_token_and_sends_it_with_the_cookie),
        cmocka_unit_test(test_csrf_required_answer_is_retried_once_with_a_new_token),
        cmocka_unit_test(test_csrf_fetch_without_a_token_warns),
        cmocka_unit_test(test_check_connection_request_and_no_destination),
        cmocka_unit_test(test_the_oauth2_token_is_read_once_per_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
