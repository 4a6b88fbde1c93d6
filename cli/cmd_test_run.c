/*
 * cmd_test_run.c - what `actions test` prints while an action runs (runner/run.h runs
 * it): the -v trace and warnings of the exchange, errors, all masked. The -v trace
 * printer itself (cli_trace_event, cli.h) is shared with `actions run`.
 */
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

/* Print text's lines to stderr, each "TAGPREFIXline", secrets masked, control
 * characters as \xNN; each line written with one call so that parallel workers do not
 * mix their lines. */
static void trace_lines(const struct act_redactor *red, const char *tag, const char *prefix,
                        const char *text, size_t len)
{
    char *s = act_run_mask(red, text, len);
    if (!s)
        return;
    struct act_buf b;
    act_buf_init(&b);
    for (char *line = s; *line;) {
        size_t l = strcspn(line, "\r\n");
        act_buf_reset(&b);
        enum act_status st = act_buf_printf(&b, "%s%s", tag, prefix);
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

void cli_trace_event(const struct act_redactor *red, const char *tag, int verbose,
                     const struct act_trace_event *ev)
{
    const struct act_http_resp *resp = ev->resp;
    switch (ev->kind) {
    case ACT_TRACE_NOTE:
    /* The URL may carry URL.queries secrets: it goes through the redactor too. */
    case ACT_TRACE_REQUEST: trace_lines(red, tag, "* ", ev->text, strlen(ev->text)); break;
    case ACT_TRACE_WARNING: break;
    case ACT_TRACE_RESPONSE:
        if (!verbose)
            break;
        trace_lines(red, tag, "> ", resp->sent.data, resp->sent.len);
        if (!resp->status_line)
            break;
        struct act_buf b;
        act_buf_init(&b);
        enum act_status st = act_buf_printf(&b, "%s\n", resp->status_line);
        for (size_t i = 0; !st && i < resp->headers.n; i++)
            st = act_buf_printf(&b, "%s: %s\n", resp->headers.v[i].name, resp->headers.v[i].value);
        if (!st)
            trace_lines(red, tag, "< ", b.data, b.len);
        act_buf_reset(&b);
        if (!act_buf_printf(&b, "(%zu body bytes, %ld ms)", resp->body.len, resp->duration_ms))
            trace_lines(red, tag, "< ", b.data, b.len);
        act_buf_release(&b);
        break;
    }
}

/* The exchange's events: -v lines (steps), "[ACTION] " first when worker processes may
 * interleave, and warnings always. */
void test_on_trace(void *ctx, const struct act_trace_event *ev)
{
    struct run *r = ctx;
    if (ev->kind == ACT_TRACE_WARNING) {
        cli_warn(r->c, "%s", ev->text);
        return;
    }
    struct act_buf tag;
    act_buf_init(&tag);
    if (!(r->tag_traces && r->a.op && act_buf_printf(&tag, "[%s] ", r->a.op->id)))
        cli_trace_event(&r->a.red, tag.data, r->a.trace_steps, ev);
    act_buf_release(&tag);
}
