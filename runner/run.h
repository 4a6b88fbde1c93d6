/*
 * run.h - one action run as a library call: the request built from the spec and the
 * user's values (struct act_job), run through act_exchange (exchange.h), and the state
 * it leaves (struct act_run: request, response, problems, outcome) for the records
 * (record.h) and the reports. Also teaches a run's redactor every secret it will meet.
 * No printing: the steps go to the trace callback, errors back in struct act_error.
 */
#ifndef ACT_RUNNER_RUN_H
#define ACT_RUNNER_RUN_H

#include <stddef.h>

#include "common/act_error.h"
#include "common/act_msgs.h"
#include "common/act_redact.h"
#include "runner/auth.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/exchange.h"
#include "runner/http.h"
#include "runner/report.h"
#include "runner/request.h"
#include "validator/validate.h"

struct act_project;

/* What the user gave for the request (borrowed: argv, the --body file, --values). */
struct act_job {
    const struct act_arg *params; /* -p arguments */
    size_t n_params;
    const char *const *headers; /* -H lines */
    size_t n_headers;
    const char *body; /* the body's contents, or NULL */
    size_t body_len;
    const char *body_path; /* where the body came from, for messages */
    int fill;              /* generate missing values from their schemas */
};

/* One run of one action (reset between the actions of a batch). */
struct act_run {
    /* Shared by every action of the run (borrowed unless said). */
    const struct act_spec *spec;
    const struct act_op *op;
    const struct act_dest *dest;
    const struct act_connector *conn;
    struct act_validator *v;
    struct act_http_opts http;
    struct act_redactor red;      /* secrets of the destination and of this run (owned) */
    struct act_auth_session auth; /* the run's OAuth2 token, read once (owned) */
    const char *csrf_path;        /* the CSRF fetch path for modifying methods, or NULL */
    act_trace_fn trace;           /* the exchange's events, or NULL */
    void *trace_ctx;
    int trace_steps; /* every step to trace, not only warnings */
    /* Set when the records carry the HTML page's fields (act_run_record_details). */
    int details;
    /* What the last action left (act_run_reset forgets it). */
    struct act_request *req;   /* the request (also when it was not sent) */
    struct act_http_resp resp; /* the final response */
    struct act_msgs problems;  /* what failed */
    struct act_msgs notes;     /* warnings (the spec's own examples) */
    struct act_error neterr;   /* why the backend was not reached */
    enum act_outcome outcome;
    int sent;                 /* the request went out */
    char *display_url;        /* the destination URL + path, for reports */
    char *skipped;            /* why the action was not run, or NULL */
    struct act_errlist verrs; /* the response body's schema errors, structured */
};

/* Zero r and make its owned parts empty. */
void act_run_init(struct act_run *r);
/* Forget the last action's request and outcome (the shared state stays). */
void act_run_reset(struct act_run *r);
/* Release what r owns (the last action's state, the redactor, the auth session). */
void act_run_release(struct act_run *r);
/* s (len bytes) with every secret masked (act_free); NULL only when out of memory. */
char *act_run_redacted(struct act_run *r, const char *s, size_t len);
/* s (len bytes) with every secret red knows masked (act_free); NULL only when out of
 * memory. */
char *act_run_mask(const struct act_redactor *red, const char *s, size_t len);
/* Teach red the names of spec's apiKey parameters (query or header), which carry
 * secrets whatever they are called. ACT_OK or an error status. */
enum act_status act_run_seed_spec(struct act_redactor *red, const struct act_spec *spec);
/* The CSRF fetch path project p's csrf setting asks for ("" for csrf: true), or NULL
 * when there is no project or CSRF is off. */
const char *act_run_csrf_path(const struct act_project *p);
/*
 * Teach r->red every secret of the run before anything is printed: the destination's,
 * a secret given in a header line (Authorization, an API key), and the names of the
 * spec's apiKey parameters, which carry secrets whatever they are called. ACT_OK or
 * ACT_ERR_NOMEM.
 */
enum act_status act_run_seed_redactor(struct act_run *r, const char *const *headers,
                                      size_t n_headers);
/*
 * Build, send and check r->op with j's values. ACT_OK when the action came to an
 * outcome (r->outcome; for ACT_OUTCOME_UNREACHABLE the reason is in r->neterr and in
 * the problems); otherwise the error that stopped it is in err (*missing 1 when it was
 * only a value nobody supplied; missing may be NULL).
 */
enum act_status act_run_one(struct act_run *r, const struct act_job *j, int *missing,
                            struct act_error *err);

#endif
