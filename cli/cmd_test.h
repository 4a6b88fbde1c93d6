/*
 * cmd_test.h - the parts of `actions test` shared by its files: cmd_test.c (the
 * command: options, setup, one action or the plan of --all), cmd_test_run.c
 * (one action: build, route, authenticate, send, follow redirects, check),
 * cmd_test_report.c (the records, where the reports go; runner/report.h writes
 * them) and cmd_test_all.c (--all: in order, or in forked worker processes).
 */
#ifndef ACT_CLI_CMD_TEST_H
#define ACT_CLI_CMD_TEST_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "common/act_error.h"
#include "common/act_redact.h"
#include "runner/auth.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/http.h"
#include "runner/report.h"
#include "runner/request.h"
#include "validator/validate.h"

/* The report formats and outcomes of runner/report.h, by the command's short names. */
enum fmt {
    FMT_TEXT = ACT_REPORT_TEXT,
    FMT_JSON = ACT_REPORT_JSON,
    FMT_JUNIT = ACT_REPORT_JUNIT,
    FMT_TAP = ACT_REPORT_TAP,
    FMT_HTML = ACT_REPORT_HTML
};
enum outcome {
    OUT_PASS = ACT_OUTCOME_PASS,
    OUT_FAIL = ACT_OUTCOME_FAIL,
    OUT_UNREACHABLE = ACT_OUTCOME_UNREACHABLE,
    OUT_SKIP = ACT_OUTCOME_SKIP
};

/* What the user gave for the request (borrowed from argv and the --body file). */
struct job {
    const struct act_arg *params; /* -p arguments */
    size_t n_params;
    const char *const *headers; /* -H lines */
    size_t n_headers;
    const char *body; /* --body contents, or NULL */
    size_t body_len;
    const char *body_path; /* --body FILE, for messages */
    int fill;              /* --fill */
};

/* One run of one action (reset between the actions of --all). */
struct run {
    struct cli_ctx *c;
    const struct act_spec *spec;
    const struct act_op *op;
    const struct act_dest *dest;
    const struct act_connector *conn;
    struct act_validator *v;
    struct act_http_opts http;
    struct act_redactor red;      /* secrets of the destination and of this process's runs */
    struct act_auth_session auth; /* the run's OAuth2 token, read once (zeroed: empty) */
    int verbose;
    struct act_request *req;   /* the request (also when it was not sent) */
    struct act_http_resp resp; /* the final response */
    struct act_msgs problems;  /* what failed */
    struct act_msgs notes;     /* warnings (the spec's own examples) */
    struct act_error neterr;   /* why the backend was not reached */
    enum outcome outcome;
    int sent;          /* the request went out */
    char *display_url; /* the destination URL + path, for reports */
    char *skipped;     /* why the action was not run (--all), or NULL */
    int tag_traces;    /* --all: -v lines start with "[ACTION] " (workers interleave) */
    /* The response body's schema errors, structured (for the HTML report). */
    struct act_errlist verrs;
    /* Set when any output (--format or a --report) is html: test_record() then calls
     * test_record_details(), which adds "request", "response" and "schemaErrors" to the
     * record (in the worker too, so they travel through the pipe). The JSON, TAP and
     * JUnit writers never print those three fields. */
    int details;
    /* Run metadata for reports (the HTML summary reads these): spec path is
     * spec->doc->path (title: spec->title), the destination dest->name; the duration
     * and the counts (incl. not run) are in struct act_tally. */
};

/* What --all runs. */
struct plan {
    const struct act_op **ops; /* selected actions, spec order */
    size_t n;
    const struct job *job;       /* the user's values (all -p, for every action) */
    const struct values *values; /* --values FILE, or NULL */
};

/* A --report FORMAT=FILE: written to a temporary file beside FILE, renamed at the end. */
struct report {
    enum fmt fmt;
    const char *path; /* FILE (borrowed from argv) */
    char *tmp;        /* the temporary file; NULL once renamed or removed */
    FILE *f;          /* open on tmp, or NULL */
};

/* Where the results go and how they look. */
struct outs {
    enum fmt fmt;           /* --format, on stdout */
    struct report *reports; /* the --report files */
    size_t n_reports;
    int quiet;     /* --quiet: no progress line, no response body on a terminal */
    int color;     /* PASS, FAIL and SKIP coloured on stdout (a terminal, no NO_COLOR) */
    int progress;  /* --all: a live progress line on stdout (a terminal, not TERM=dumb) */
    int gha;       /* GITHUB_ACTIONS=true: a ::error workflow command per failed action */
    int fail_fast; /* --fail-fast: no action starts after one failed or was unreachable */
};

/* The values of one action in a --values file (all owned by struct values). */
struct values_entry {
    const struct act_op *op;
    struct act_arg *params; /* a name repeated for each item of an array */
    size_t n_params;
    char **headers; /* "Name: value" lines */
    size_t n_headers;
    char *body; /* JSON text, or NULL */
    size_t body_len;
};

/* A loaded --values file. */
struct values {
    struct values_entry *e;
    size_t n;
};

/* ---------------------------------------------------------- cmd_test_run.c */

/* s (len bytes) with every secret masked (act_free); NULL only when out of memory. */
char *test_redacted(struct run *r, const char *s, size_t len);
/* "actions: error: ..." on stderr, masked. */
void test_print_error(struct run *r, const struct act_error *err);
/* Forget the last action's request and outcome (the shared state stays). */
void test_run_reset(struct run *r);
/*
 * Build, send and check r->op. ACT_OK when the action came to an outcome
 * (r->outcome; for OUT_UNREACHABLE the reason is in r->neterr and in the
 * problems); otherwise the error that stopped it is in err (*missing 1 when
 * it was only a value nobody supplied; missing may be NULL).
 */
enum act_status test_run_one(struct run *r, const struct job *j, int *missing,
                             struct act_error *err);

/* ------------------------------------------------------- cmd_test_report.c */

/*
 * The report of the run as an object, secrets masked, without the body:
 * action, method, url, status, reason, duration_ms, passed, outcome, errors,
 * warnings, and skipped (why) for an action --all did not run. NULL when out
 * of memory (never an object with a field missing).
 */
cJSON *test_record(struct run *r);
/* Add "request", "response" and "schemaErrors" to rec (r->details is set); ACT_OK or
 * ACT_ERR_NOMEM. */
enum act_status test_record_details(struct run *r, cJSON *rec);
/* The record of an action --fail-fast did not start (NULL: out of memory). */
cJSON *test_not_run_record(struct run *r, const struct act_op *op);
/* What the reports say about r's run: spec, title, destination; *url keeps the masked
 * destination URL m points to (act_buf_release it after the reports are written). */
void test_report_meta(const struct run *r, struct act_report_meta *m, struct act_buf *url);
/* The report of a single action: stdout in o->fmt, and every --report file. */
void test_report(struct run *r, const struct outs *o);
/* Open a temporary file beside each --report FILE (before anything runs); 0, or
 * CLI_EXIT_USAGE after an error naming the file. */
int test_reports_open(struct cli_ctx *c, struct outs *o);
/* Close and rename every temporary file onto its FILE; 0, or CLI_EXIT_USAGE after an
 * error naming each file that could not be written (its temporary file removed). */
int test_reports_close(struct cli_ctx *c, struct outs *o);
/* Remove the temporary files that remain (on an early exit). */
void test_reports_abort(struct outs *o);

/* ------------------------------------------------------- cmd_test_values.c */

/*
 * Load --values FILE (YAML or JSON) and check it against spec: every key an
 * action id; each entry a mapping of params (parameters of that action:
 * string, number, boolean, array or object), headers (name: scalar) and body
 * (any JSON value). On failure err says FILE:LINE:COL and what.
 */
enum act_status test_values_load(const char *path, const struct act_spec *spec, struct values **out,
                                 struct act_error *err);
/* The entry for op, or NULL (v may be NULL). */
const struct values_entry *test_values_find(const struct values *v, const struct act_op *op);
void test_values_free(struct values *v);
/*
 * The job for op: j with the entry's values merged in (they win over -p and -H
 * of the same name; its body replaces j's). *out's arrays are allocated
 * (act_free(out->params), act_free((void *)out->headers)); ACT_OK or
 * ACT_ERR_NOMEM.
 */
enum act_status test_values_job(const struct job *j, const struct values_entry *e, struct job *out);

/* ---------------------------------------------------------- cmd_test_all.c */

/* Run every action of the plan (jobs > 1: in worker processes) and report; the exit code. */
int test_run_all(struct run *r, const struct plan *p, int jobs, struct outs *o);

#endif
