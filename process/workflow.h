/*
 * workflow.h - the Arazzo workflow engine: runs the workflows of a loaded document.
 *
 * This module owns the execution of Arazzo 1.0.1 workflows: dependsOn (first, once),
 * input validation against each workflow's `inputs` schema before any step, the
 * expression scope, parameters (workflow-level ones apply to every step; reusable
 * ones with `value` overrides), request bodies (payload and replacements), success
 * criteria, success and failure actions (end, goto, retry; step-level ones override
 * the workflow's), sub-workflow calls, outputs, and the run limits of act_limits.h.
 * It sends nothing itself: each operation step goes to a step runner, a callback
 * (the CLI connects it to the runner's exchange; unit tests answer from a table), so
 * this is library code independent of the transport. Results are cJSON records
 * shaped like `actions run --format json`.
 */
#ifndef ACT_PROCESS_WORKFLOW_H
#define ACT_PROCESS_WORKFLOW_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "process/arazzo.h"

/* One resolved parameter of a step's request. */
struct act_step_param {
    const char *name; /* as written in the Arazzo document (borrowed) */
    const char *in;   /* path, query, header or cookie (borrowed) */
    cJSON *value;     /* the value, runtime expressions resolved (owned by the call) */
};

/* What a step runner is asked to do: one operation, once. Everything is borrowed. */
struct act_step_call {
    const char *workflow_id;        /* the workflow running the step */
    const char *step_id;            /* the step */
    const char *source;             /* the source description's name */
    const struct act_spec *spec;    /* the loaded spec of that source */
    const struct act_op *op;        /* the operation: method, path, its Operation Object */
    const struct act_param *params; /* the operation's own parameters (act_spec_op_params) */
    size_t n_params;
    const struct act_step_param *values; /* the parameters the step supplies */
    size_t n_values;
    const cJSON *body;        /* the request body, or NULL */
    const char *content_type; /* requestBody.contentType, or NULL */
    unsigned attempt;         /* 1 for the first attempt, 2 for the first retry, ... */
};

/* What a step runner answers. The runner fills it; the engine frees it
 * (act_step_result_release). */
struct act_step_result {
    long status;          /* HTTP status, 0 when there was no response */
    cJSON *headers;       /* response headers, an object name -> string value, or NULL */
    cJSON *body;          /* the response body as JSON, or NULL */
    char *raw_body;       /* the body as text when it is not JSON (act_malloc), or NULL */
    char *url;            /* the URL requested (secrets masked; act_malloc), or NULL */
    char *method;         /* "GET" (act_malloc), or NULL */
    double duration_ms;   /* time of the exchange */
    int transport_failed; /* the backend could not be reached (exit 3 class) */
    cJSON *errors;        /* the checks' errors, an array of strings, or NULL */
    int passed;           /* the runner's own checks (status, type, schema) passed */
};

void act_step_result_release(struct act_step_result *r);

/*
 * A step runner: run call once and fill res (zeroed by the engine). Return ACT_OK
 * whenever there is an answer to record, also a failed one (transport_failed,
 * errors, passed 0); any other status stops the whole run with that status.
 */
typedef enum act_status (*act_step_runner)(void *ctx, const struct act_step_call *call,
                                           struct act_step_result *res);

/* How to run. Zero means the default for each number. */
struct act_run_opts {
    act_step_runner run; /* the step runner (required) */
    void *run_ctx;       /* its first argument */
    /* Wait seconds before a retry; NULL: nanosleep. Tests pass one that only records. */
    void (*sleep)(void *ctx, double seconds);
    void *sleep_ctx;
    const char *const *workflows; /* the workflows to run, by id; NULL: all, in order */
    size_t n_workflows;
    const cJSON *inputs;   /* the inputs object given to every workflow run (NULL: {}) */
    unsigned max_steps;    /* ACT_MAX_RUN_STEPS */
    double max_retry_wait; /* seconds, ACT_MAX_RETRY_WAIT_S */
    unsigned max_nesting;  /* ACT_MAX_WORKFLOW_NESTING */
};

/*
 * Check the inputs (o->inputs) of every workflow that would run (the named ones or
 * all, and what they depend on) against its `inputs` schema, with the project's
 * validator. *errors: a new array of strings "WORKFLOW: /pointer: message", empty
 * when all are valid (the caller frees it). ACT_ERR_NOTFOUND for an unknown
 * workflow id (err says which, with the closest), ACT_ERR_INVALID for a dependsOn
 * cycle, ACT_ERR_REF for an unusable schema.
 */
enum act_status act_workflow_check_inputs(struct act_arazzo *a, const struct act_run_opts *o,
                                          cJSON **errors, struct act_error *err) ACT_WUR;

/*
 * Run the workflows. Inputs are checked first (as act_workflow_check_inputs); any
 * invalid input fails with ACT_ERR_INVALID before a step runs. Then each workflow
 * runs after its dependsOn, each once. *report (new, the caller frees it):
 *   {"workflows": [{"workflowId", "passed", "inputs", "outputs", "steps": [{"stepId",
 *     "action", "passed", "status", "attempts", "duration_ms", "outputs", "errors",
 *     ("workflow": the called workflow's record), ("unreachable": true when
 *     the last attempt reached no backend)}, and for each step that never ran
 *     {"stepId", "action", "ran": false}], "errors": [...]}],
 *    "summary": {"workflows", "passed", "failed", "steps" (that ran), "steps_executed"
 *    (every attempt and visit), "unreachable"}}
 * A step that failed is a recorded result, not an error: the status is ACT_OK.
 * Errors: those of the inputs check, a crossed run limit (ACT_ERR_LIMIT: the
 * message names ACT_MAX_RUN_STEPS, ACT_MAX_RETRY_WAIT_S or ACT_MAX_WORKFLOW_NESTING;
 * *report is then still set, with what ran), a malformed expression or criterion
 * (ACT_ERR_PARSE / ACT_ERR_INVALID, file:line:column in err), ACT_ERR_NOMEM, or a
 * status a step runner returned.
 */
enum act_status act_workflow_run(struct act_arazzo *a, const struct act_run_opts *o, cJSON **report,
                                 struct act_error *err) ACT_WUR;

#endif
