/*
 * cmd_test_all.c - `actions test --all`: the plan run by runner/batch.c (in order, or
 * in --jobs worker processes), printed as it goes: results in spec order as they
 * complete, then the summary line and the reports.
 *
 * On a terminal a progress line (done/total, failed, elapsed) is redrawn below
 * the results and erased before each result line and at the end.
 */
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_test.h"
#include "runner/record.h"

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What is on the screen. */
struct screen {
    const struct outs *o;
    size_t printed; /* records before this index are printed */
    double t0;      /* when the run started */
    int drawn;      /* the progress line is on the screen */
};

/* The progress line, redrawn in place. */
static void progress_draw(struct screen *s, const struct act_batch *b)
{
    if (!s->o->progress)
        return;
    printf("\r\033[K%zu/%zu done, %zu failed, %.1f s", b->done, b->n, b->failed,
           now_secs() - s->t0);
    fflush(stdout);
    s->drawn = 1;
}

static void progress_erase(struct screen *s)
{
    if (!s->drawn)
        return;
    fputs("\r\033[K", stdout);
    fflush(stdout);
    s->drawn = 0;
}

/* Print the records that are now next in order: text lines on stdout (for the text
 * format) and ::error lines (stdout for text, else stderr). */
static void flush_in_order(void *ctx, const struct act_batch *b)
{
    struct screen *s = ctx;
    const struct outs *o = s->o;
    int any = 0;
    while (s->printed < b->n && b->recs[s->printed]) {
        const cJSON *rec = b->recs[s->printed++];
        if (!any++)
            progress_erase(s);
        if (o->fmt == FMT_TEXT)
            act_report_text(stdout, rec, o->color);
        if (o->gha)
            act_report_gha(o->fmt == FMT_TEXT ? stdout : stderr, rec);
    }
    if (any) {
        fflush(stdout);
        progress_draw(s, b);
    }
}

static void on_idle(void *ctx, const struct act_batch *b)
{
    progress_draw(ctx, b);
}

/* Run every action of the plan and report; the exit code. */
int test_run_all(struct run *r, const struct act_plan *p, int jobs, struct outs *o)
{
    struct screen s = {o, 0, now_secs(), 0};
    struct act_batch_events ev = {flush_in_order, on_idle, o->progress ? 200 : -1, &s};
    struct act_batch b = {NULL, p->n, 0, 0, {{0}, 0, 0, 0}};
    struct act_error err;
    act_error_init(&err);
    progress_draw(&s, &b);
    int rc = CLI_EXIT_OK;
    if (act_batch_run(&r->a, p, jobs, o->fail_fast, &ev, &b, &err)) {
        progress_erase(&s);
        cli_error(r->c, &err);
        rc = CLI_EXIT_USAGE;
    } else {
        flush_in_order(&s, &b);
        progress_erase(&s);
        char line[256];
        act_report_summary(&b.t, line, sizeof(line));
        struct act_report_meta m;
        struct act_buf url;
        act_run_report_meta(&r->a, &m, &url);
        if (o->fmt == FMT_TEXT)
            printf("%s\n", line);
        else
            act_report_write(stdout, (enum act_report_fmt)o->fmt, &m, b.recs, p->n, &b.t, 1);
        for (size_t k = 0; k < o->n_reports; k++)
            if (o->reports[k].f)
                act_report_write(o->reports[k].f, o->reports[k].fmt, &m, b.recs, p->n, &b.t, 1);
        act_buf_release(&url);
        if (o->fmt != FMT_TEXT)
            fprintf(stderr, "%s\n", line);
        rc = b.t.n[ACT_OUTCOME_FAIL]          ? CLI_EXIT_FAILED
             : b.t.n[ACT_OUTCOME_UNREACHABLE] ? CLI_EXIT_UNREACHABLE
                                              : CLI_EXIT_OK;
    }
    progress_erase(&s);
    act_batch_release(&b);
    return rc;
}
