/*
 * cmd_test_report.c - where the reports of `actions test` go: stdout in --format, the
 * --report files (cli_reports_open in options.c: each complete or absent), and the response
 * body on a terminal. The records are built by
 * runner/record.c, the formats written by runner/report.c and runner/report_html.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"
#include "runner/record.h"

/* Bytes of a non-JSON body shown on a terminal (the rest is summarized). */
#define TTY_BODY_MAX 65536

/* A text body for a terminal: control characters (escape sequences a hostile
 * server could send) are shown as \xNN; long bodies are clipped. */
static void print_text_body(const char *s)
{
    size_t len = strlen(s), n = len < TTY_BODY_MAX ? len : TTY_BODY_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
            printf("\\x%02x", ch);
        else
            putchar(ch);
    }
    if (n < len)
        printf("\n... (%zu more bytes; --format json prints the whole body)\n", len - n);
    else if (n == 0 || s[n - 1] != '\n')
        putchar('\n');
}

/* The report of a single action: stdout in o->fmt, and every --report file. */
void test_report(struct run *r, const struct outs *o)
{
    cJSON *rec = act_run_record(&r->a);
    cJSON *b = rec ? act_run_body_value(&r->a) : NULL;
    if (!rec ||
        (b ? !cJSON_AddItemToObject(rec, "body", b) : !cJSON_AddNullToObject(rec, "body"))) {
        cJSON_Delete(b);
        cJSON_Delete(rec);
        fprintf(stderr, "%s: error: out of memory\n", r->c->prog);
        return;
    }
    struct act_report_meta m;
    struct act_buf url;
    act_run_report_meta(&r->a, &m, &url);
    struct act_tally t = {{0}, 0, r->a.sent ? (double)r->a.resp.duration_ms / 1000.0 : 0, 0};
    act_tally_add(&t, rec);
    for (size_t i = 0; i < o->n_reports; i++)
        if (o->reports[i].f)
            act_report_write(o->reports[i].f, o->reports[i].fmt, &m, &rec, 1, &t, 0);
    enum act_outcome oc = act_report_outcome(rec);
    if (o->fmt != FMT_TEXT) {
        if (o->gha)
            act_report_gha(stderr, rec);
        act_report_write(stdout, (enum act_report_fmt)o->fmt, &m, &rec, 1, &t, 0);
    } else if (oc != ACT_OUTCOME_UNREACHABLE) { /* the error on stderr says it all */
        act_report_text(stdout, rec, o->color);
        if (o->gha)
            act_report_gha(stdout, rec);
        if (r->c->stdout_tty && !o->quiet && r->a.sent && r->a.resp.body.len) {
            const cJSON *bv = cJSON_GetObjectItemCaseSensitive(rec, "body");
            if (cJSON_IsString(bv))
                print_text_body(bv->valuestring);
            else if (bv && !cJSON_IsNull(bv))
                cli_print_json(stdout, bv);
        }
    } else if (o->gha) {
        act_report_gha(stdout, rec);
    }
    act_buf_release(&url);
    cJSON_Delete(rec);
}
