/*
 * report.h - the results of a run written in a format: text, JSON, JUnit XML, TAP and
 * HTML (report.c, report_html.c), and the ::error workflow commands of GitHub Actions.
 *
 * A result is a record: a cJSON object with the fields action, method, url, status,
 * reason, duration_ms, passed, outcome ("passed", "failed", "unreachable", "skipped"),
 * errors and warnings (arrays of strings), and optionally skipped (why), not_run (true
 * for an action a fail-fast run did not start), body, and for the HTML page request,
 * response and schemaErrors. Whoever builds the records masks their secrets first; the
 * writers only read them, write to the FILE given and never exit. Choosing the formats
 * and the files is the caller's.
 */
#ifndef ACT_RUNNER_REPORT_H
#define ACT_RUNNER_REPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

enum act_report_fmt {
    ACT_REPORT_TEXT,
    ACT_REPORT_JSON,
    ACT_REPORT_JUNIT,
    ACT_REPORT_TAP,
    ACT_REPORT_HTML
};

/* How an action ended; indexes act_outcome_names and struct act_tally's n. */
enum act_outcome { ACT_OUTCOME_PASS, ACT_OUTCOME_FAIL, ACT_OUTCOME_UNREACHABLE, ACT_OUTCOME_SKIP };

/* "passed", "failed", "unreachable", "skipped" by enum act_outcome. */
extern const char *const act_outcome_names[];

/* Counts of outcomes over records. */
struct act_tally {
    size_t n[4]; /* by enum act_outcome */
    size_t total;
    double secs;    /* wall time of the whole run */
    size_t not_run; /* records with "not_run": true: not in n[], in total */
};

/* What a report says about the run besides its records (all borrowed, any may be NULL). */
struct act_report_meta {
    const char *spec_path; /* the spec's file */
    const char *title;     /* the spec's title (else the path is shown) */
    const char *dest;      /* the destination's name */
    const char *dest_url;  /* its URL, secrets already masked */
};

/* The outcome a record states (ACT_OUTCOME_FAIL when it states none). */
enum act_outcome act_report_outcome(const cJSON *rec);
/* Count rec in t (a record with "not_run": true in t->not_run). */
void act_tally_add(struct act_tally *t, const cJSON *rec);
/* "3 passed, 1 failed, 0 unreachable, 0 skipped (4 actions, 0.12 s)", with
 * ", N not run" after skipped when N is not 0, into buf (size bytes, cut to fit). */
void act_report_summary(const struct act_tally *t, char *buf, size_t size);

/* One record as text: "PASS get.hello 200 OK 3 ms", then problems and warnings
 * indented; the word in colour when color is set. */
void act_report_text(FILE *f, const cJSON *rec, int color);
/* JUnit XML for n records: one testsuite (the spec), one testcase per action. */
void act_report_junit(FILE *f, const struct act_report_meta *m, cJSON *const *recs, size_t n,
                      const struct act_tally *t);
/* TAP version 13 for n records: failures with a YAML block, skips as # SKIP. */
void act_report_tap(FILE *f, cJSON *const *recs, size_t n);
/* One self-contained HTML page for n records (NULL entries are passed over). */
void act_report_html(FILE *f, const struct act_report_meta *m, cJSON *const *recs, size_t n,
                     const struct act_tally *t);
/* A JSON value as every command prints it: 2-space indented, UTF-8 kept as is, control
 * characters escaped, numbers exact (the shortest form that reads back the same double);
 * a newline after it. */
void act_report_json(FILE *f, const cJSON *item);
/*
 * The report of n records in format fmt: all selects the forms of a run of many actions
 * (text ends with the summary line; JSON is one object {"actions": [...], "summary":
 * {...}}), else text and JSON give each record alone. JSON, text, TAP and JUnit never
 * show the HTML page's fields (request, response, schemaErrors).
 */
void act_report_write(FILE *f, enum act_report_fmt fmt, const struct act_report_meta *m,
                      cJSON *const *recs, size_t n, const struct act_tally *t, int all);
/* For a failed or unreachable record: "::error title=ACTION::MESSAGE" to f, escaped
 * as GitHub's workflow commands want. Nothing for other records. */
void act_report_gha(FILE *f, const cJSON *rec);

#endif
