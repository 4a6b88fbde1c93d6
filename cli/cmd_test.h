/*
 * cmd_test.h - the parts of `actions test` shared by its files: cmd_test.c (the
 * command: options, setup, one action or the plan of --all), cmd_test_run.c (the -v
 * trace and errors of a run), cmd_test_report.c (where the reports go) and
 * cmd_test_all.c (--all, printed as it runs). The work is the runner's: run.h (one
 * action), record.h (its record), batch.h (--all), values.h (--values).
 */
#ifndef ACT_CLI_CMD_TEST_H
#define ACT_CLI_CMD_TEST_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "common/act_error.h"
#include "runner/batch.h"
#include "runner/report.h"
#include "runner/run.h"
#include "runner/values.h"

/* The report formats of runner/report.h, by the command's short names. */
enum fmt {
    FMT_TEXT = ACT_REPORT_TEXT,
    FMT_JSON = ACT_REPORT_JSON,
    FMT_JUNIT = ACT_REPORT_JUNIT,
    FMT_TAP = ACT_REPORT_TAP,
    FMT_HTML = ACT_REPORT_HTML
};

/* One run of `actions test`: the library's run and what the printing needs. */
struct run {
    struct act_run a; /* spec, destination, request, outcome, ... (runner/run.h) */
    struct cli_ctx *c;
    int tag_traces; /* --all: -v lines start with "[ACTION] " (workers interleave) */
};

/* Where the results go and how they look. */
struct outs {
    enum fmt fmt;               /* --format, on stdout */
    struct cli_report *reports; /* the --report files */
    size_t n_reports;
    int quiet;     /* --quiet: no progress line, no response body on a terminal */
    int color;     /* PASS, FAIL and SKIP coloured on stdout (a terminal, no NO_COLOR) */
    int progress;  /* --all: a live progress line on stdout (a terminal, not TERM=dumb) */
    int gha;       /* GITHUB_ACTIONS=true: a ::error workflow command per failed action */
    int fail_fast; /* --fail-fast: no action starts after one failed or was unreachable */
};

/* ---------------------------------------------------------- cmd_test_run.c */

/* "actions: error: ..." on stderr, masked. */
void test_print_error(struct run *r, const struct act_error *err);
/* The exchange's events (ctx: struct run): -v lines (steps), and warnings always. */
void test_on_trace(void *ctx, const struct act_trace_event *ev);

/* ------------------------------------------------------- cmd_test_report.c */

/* The report of a single action: stdout in o->fmt, and every --report file. */
void test_report(struct run *r, const struct outs *o);

/* ---------------------------------------------------------- cmd_test_all.c */

/* Run every action of the plan (jobs > 1: in worker processes) and report; the exit code. */
int test_run_all(struct run *r, const struct act_plan *p, int jobs, struct outs *o);

#endif
