/*
 * cmd_test.h - the parts of `actions test` shared by its files: cmd_test.c (the
 * command: options, setup, one action or the plan of --all), cmd_test_run.c
 * (one action: build, route, authenticate, send, follow redirects, check),
 * cmd_test_report.c (records and the text, JSON and JUnit reports) and
 * cmd_test_all.c (--all: in order, or in forked worker processes).
 */
#ifndef ACT_CLI_CMD_TEST_H
#define ACT_CLI_CMD_TEST_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "common/act_error.h"
#include "common/act_redact.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/http.h"
#include "runner/request.h"
#include "validator/validate.h"

enum fmt { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_TAP, FMT_HTML };
enum outcome { OUT_PASS, OUT_FAIL, OUT_UNREACHABLE, OUT_SKIP };

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
    struct act_redactor red; /* secrets of the destination and of this process's runs */
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
     * and the counts (incl. not run) are in struct tally. */
};

/* Counts of outcomes over records. */
struct tally {
    size_t n[4]; /* by enum outcome */
    size_t total;
    double secs;    /* wall time of the whole run */
    size_t not_run; /* of n[OUT_SKIP]: the actions --fail-fast did not start */
};

/* What --all runs. */
struct plan {
    const struct act_op **ops; /* selected actions, spec order */
    size_t n;
    const struct job *job; /* the user's values (all -p, for every action) */
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

/* "passed", "failed", "unreachable", "skipped" by enum outcome. */
extern const char *const test_outcome_names[];
/* The outcome a record states. */
enum outcome test_rec_outcome(const cJSON *rec);
/*
 * The report of the run as an object, secrets masked, without the body:
 * action, method, url, status, reason, duration_ms, passed, outcome, errors,
 * warnings, and skipped (why) for an action --all did not run. NULL when out
 * of memory (never an object with a field missing).
 */
cJSON *test_record(struct run *r);
/* One action as text: "PASS get.hello 200 OK 3 ms", then problems and warnings indented. */
void test_print_record_text(const cJSON *rec);
void test_tally_add(struct tally *t, const cJSON *rec);
/* JUnit XML for n records: one testsuite (the spec), one testcase per action. */
void test_print_junit(const struct run *r, cJSON *const *recs, size_t n, const struct tally *t);
/* The report of a single action in format f (JSON with the body). */
void test_report(struct run *r, enum fmt f);

/* ----------------------------------------------------- cmd_test_html.c */

/* Add "request", "response" and "schemaErrors" to rec (r->details is set); ACT_OK or
 * ACT_ERR_NOMEM. */
enum act_status test_record_details(struct run *r, cJSON *rec);
/* One self-contained HTML page for n records. */
void test_print_html(FILE *f, const struct run *r, cJSON *const *recs, size_t n,
                     const struct tally *t);

/* ---------------------------------------------------------- cmd_test_all.c */

/* Run every action of the plan (jobs > 1: in worker processes) and report; the exit code. */
int test_run_all(struct run *r, const struct plan *p, int jobs, enum fmt fmt);

#endif
