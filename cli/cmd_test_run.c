/*
 * cmd_test_run.c - one action of `actions test`: the request built from the
 * spec, then run by act_exchange (runner/exchange.h); this file keeps the
 * options it passes, the -v trace and the redaction of what is printed.
 */
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"
#include "runner/exchange.h"

/* ------------------------------------------------------------- redaction */

/* s with every secret masked (act_free); NULL only when out of memory. */
char *test_redacted(struct run *r, const char *s, size_t len)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_redact_text(&r->red, s, len, &b)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

void test_print_error(struct run *r, const struct act_error *err)
{
    char buf[ACT_ERROR_MSG_MAX * 3];
    act_error_format(err, buf, sizeof(buf));
    char *s = test_redacted(r, buf, strlen(buf));
    fprintf(stderr, "%s: error: %s\n", r->c->prog, s ? s : "(message withheld: out of memory)");
    act_free(s);
}

/* Print text's lines to stderr, each prefixed, secrets masked (the -v trace). */
/* Start a -v line in b: "[ACTION] " when worker processes may interleave, then prefix. */
static enum act_status trace_start(struct run *r, struct act_buf *b, const char *prefix)
{
    act_buf_reset(b);
    if (r->tag_traces && r->op && act_buf_printf(b, "[%s] ", r->op->id))
        return ACT_ERR_NOMEM;
    return act_buf_adds(b, prefix);
}

/* One -v line, written with one call so that parallel workers do not mix their lines. */
static void trace(struct run *r, const char *fmt, ...) ACT_PRINTF(2, 3);
static void trace(struct run *r, const char *fmt, ...)
{
    struct act_buf b;
    act_buf_init(&b);
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (!trace_start(r, &b, line) && !act_buf_addc(&b, '\n'))
        fwrite(b.data, 1, b.len, stderr);
    act_buf_release(&b);
}

static void trace_lines(struct run *r, const char *prefix, const char *text, size_t len)
{
    char *s = test_redacted(r, text, len);
    if (!s)
        return;
    struct act_buf b;
    act_buf_init(&b);
    for (char *line = s; *line;) {
        size_t l = strcspn(line, "\r\n");
        enum act_status st = trace_start(r, &b, prefix);
        for (size_t i = 0; !st && i < l; i++) {
            unsigned char ch = (unsigned char)line[i];
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                st = act_buf_printf(&b, "\\x%02x", ch);
            else
                st = act_buf_addc(&b, (char)ch);
        }
        if (!st && !act_buf_addc(&b, '\n'))
            fwrite(b.data, 1, b.len, stderr);
        line += l;
        if (*line == '\r')
            line++;
        if (*line == '\n')
            line++;
    }
    act_buf_release(&b);
    act_free(s);
}

static void trace_response(struct run *r, const struct act_http_resp *resp)
{
    if (!r->verbose)
        return;
    trace_lines(r, "> ", resp->sent.data, resp->sent.len);
    if (resp->status_line) {
        struct act_buf b;
        act_buf_init(&b);
        if (act_buf_printf(&b, "%s\n", resp->status_line) == ACT_OK) {
            for (size_t i = 0; i < resp->headers.n; i++)
                if (act_buf_printf(&b, "%s: %s\n", resp->headers.v[i].name,
                                   resp->headers.v[i].value))
                    break;
            trace_lines(r, "< ", b.data, b.len);
        }
        act_buf_release(&b);
        trace(r, "< (%zu body bytes, %ld ms)", resp->body.len, resp->duration_ms);
    }
}

/* The exchange's events: -v lines (steps), and warnings always. */
static void on_trace(void *ctx, const struct act_trace_event *ev)
{
    struct run *r = ctx;
    switch (ev->kind) {
    case ACT_TRACE_NOTE: trace(r, "* %s", ev->text); break;
    /* The URL may carry URL.queries secrets: it goes through the redactor too. */
    case ACT_TRACE_REQUEST: trace_lines(r, "* ", ev->text, strlen(ev->text)); break;
    case ACT_TRACE_RESPONSE: trace_response(r, ev->resp); break;
    case ACT_TRACE_WARNING: cli_warn(r->c, "%s", ev->text); break;
    }
}

/* The CSRF fetch path from the project file, or NULL when CSRF is off. */
static const char *csrf_path(struct cli_ctx *c)
{
    struct act_project *p = NULL;
    if (cli_project(c, &p) || !p || !p->csrf)
        return NULL;
    if (cJSON_IsTrue(p->csrf))
        return "";
    if (cJSON_IsString(p->csrf)) /* csrf: /path, short for {fetch: /path} */
        return p->csrf->valuestring;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(p->csrf, "fetch");
    if (cJSON_IsObject(p->csrf) && cJSON_IsString(f))
        return f->valuestring;
    return NULL;
}

/* ------------------------------------------------------------- one action */

/* Forget the last action's request and outcome (the shared state stays). */
void test_run_reset(struct run *r)
{
    act_request_free(r->req);
    r->req = NULL;
    act_http_resp_release(&r->resp);
    act_http_resp_init(&r->resp);
    act_msgs_release(&r->problems);
    act_msgs_init(&r->problems);
    act_msgs_release(&r->notes);
    act_msgs_init(&r->notes);
    act_errlist_release(&r->verrs);
    act_errlist_init(&r->verrs, 0);
    act_free(r->display_url);
    r->display_url = NULL;
    act_free(r->skipped);
    r->skipped = NULL;
    act_error_init(&r->neterr);
    r->outcome = OUT_PASS;
    r->sent = 0;
}

/*
 * Build, send and check r->op. ACT_OK when the action came to an outcome
 * (r->outcome; for OUT_UNREACHABLE the reason is in r->neterr and in the
 * problems); otherwise the error that stopped it is in err (*missing 1 when
 * it was only a value nobody supplied).
 */
enum act_status test_run_one(struct run *r, const struct job *j, int *missing,
                             struct act_error *err)
{
    struct act_request_in in = {r->spec,      r->op,      r->dest->url, r->dest, j->params,
                                j->n_params,  j->headers, j->n_headers, j->body, j->body_len,
                                j->body_path, j->fill,    &r->notes,    missing};
    enum act_status st = act_request_build(&in, r->v, &r->req, &r->problems, err);
    if (st && st != ACT_ERR_CHECK)
        return st == ACT_ERR_NETWORK ? ACT_ERR_USAGE : st;
    r->display_url = act_strdup(r->req->url);
    if (!r->display_url)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == ACT_ERR_CHECK) {
        r->outcome = OUT_FAIL;
        return ACT_OK;
    }
    if (!r->verrs.max) /* a struct run fresh from memset, not yet reset */
        act_errlist_init(&r->verrs, 0);
    int modifying = strcmp(r->req->method, "GET") && strcmp(r->req->method, "HEAD") &&
                    strcmp(r->req->method, "OPTIONS");
    struct act_exchange_opts o = {
        .http = r->http,
        .dest = r->dest,
        .conn = r->conn,
        .auth = &r->auth,
        .csrf_path = modifying ? csrf_path(r->c) : NULL,
        .follow_redirects = 1,
        .spec = r->spec,
        .op = r->op,
        .v = r->v,
        .red = &r->red,
        .trace = on_trace,
        .trace_ctx = r,
        .trace_steps = r->verbose,
    };
    struct act_exchange_result res = {
        .resp = &r->resp, .problems = &r->problems, .notes = &r->notes, .schema_errors = &r->verrs};
    st = act_exchange(r->req, &o, &res, err);
    r->sent = res.sent;
    if (st)
        return st;
    static const enum outcome outcomes[] = {OUT_PASS, OUT_FAIL, OUT_UNREACHABLE};
    r->outcome = outcomes[res.outcome];
    if (res.outcome == ACT_OUTCOME_UNREACHABLE)
        r->neterr = res.failure;
    return ACT_OK;
}
