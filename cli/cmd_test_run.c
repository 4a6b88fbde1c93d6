/*
 * cmd_test_run.c - what `actions test` prints while an action runs (runner/run.h runs
 * it): the -v trace and warnings of the exchange, errors, all masked; and the CSRF
 * setting of the project file the run passes on.
 */
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"
#include "runner/exchange.h"

/* ------------------------------------------------------------- printing */

void test_print_error(struct run *r, const struct act_error *err)
{
    char buf[ACT_ERROR_MSG_MAX * 3];
    act_error_format(err, buf, sizeof(buf));
    char *s = act_run_redacted(&r->a, buf, strlen(buf));
    fprintf(stderr, "%s: error: %s\n", r->c->prog, s ? s : "(message withheld: out of memory)");
    act_free(s);
}

/* Start a -v line in b: "[ACTION] " when worker processes may interleave, then prefix. */
static enum act_status trace_start(struct run *r, struct act_buf *b, const char *prefix)
{
    act_buf_reset(b);
    if (r->tag_traces && r->a.op && act_buf_printf(b, "[%s] ", r->a.op->id))
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

/* Print text's lines to stderr, each prefixed, secrets masked (the -v trace). */
static void trace_lines(struct run *r, const char *prefix, const char *text, size_t len)
{
    char *s = act_run_redacted(&r->a, text, len);
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
    if (!r->a.trace_steps)
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
void test_on_trace(void *ctx, const struct act_trace_event *ev)
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
const char *test_csrf_path(struct cli_ctx *c)
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
