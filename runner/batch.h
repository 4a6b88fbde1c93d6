/*
 * batch.h - many actions in one run (`actions test --all`): a plan of actions run in
 * order, or by worker processes that take the next action from a shared counter, and
 * the record of each (record.h) collected by plan index. A fail-fast run starts no
 * action after one failed or was unreachable; the rest get "not run" records. No
 * printing and no exit codes: the caller hears of each new record through a callback
 * and writes the reports.
 *
 * Workers are forked (a crash in one is one failed action, and nothing shared needs
 * locking) and send one JSON line per event through a pipe; a flag beside the counter
 * stops them on a fail-fast run.
 */
#ifndef ACT_RUNNER_BATCH_H
#define ACT_RUNNER_BATCH_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "runner/report.h"
#include "runner/run.h"
#include "runner/values.h"

/* What a batch runs. */
struct act_plan {
    const struct act_op **ops; /* the actions, in the order of the reports */
    size_t n;
    const struct act_job *job;       /* the user's values (given to each action that has
                                        a parameter of that name) */
    const struct act_values *values; /* a values file, or NULL */
};

/* The records of a batch, as they become known. */
struct act_batch {
    cJSON **recs;       /* by plan index, NULL until known */
    size_t n;           /* actions in the plan */
    size_t done;        /* records known */
    size_t failed;      /* of them failed or unreachable */
    struct act_tally t; /* all of them, once act_batch_run returned ACT_OK */
};

/* What the caller hears while a batch runs (any callback may be NULL). */
struct act_batch_events {
    /* One or more records became known (b->recs). */
    void (*result)(void *ctx, const struct act_batch *b);
    /* Nothing happened for idle_ms milliseconds (workers only; idle_ms < 0: never). */
    void (*idle)(void *ctx, const struct act_batch *b);
    int idle_ms;
    void *ctx;
};

/* Mark in used (j->n_params bytes, zeroed) each parameter value of j whose name is a
 * parameter of one of ops[0..n_ops) (an action whose parameters do not resolve has none). */
void act_plan_params_used(const struct act_spec *spec, const struct act_op *const *ops,
                          size_t n_ops, const struct act_job *j, char *used);
/*
 * Run the plan: in order when jobs is 1, else in min(jobs, actions) worker processes;
 * fail_fast stops at the first failed or unreachable action. On ACT_OK every b->recs[i]
 * is set (not run, or failed when its worker stopped) and b->t counts them;
 * otherwise err says why the run broke off. act_batch_release(b) in both cases.
 */
enum act_status act_batch_run(struct act_run *r, const struct act_plan *p, int jobs, int fail_fast,
                              const struct act_batch_events *ev, struct act_batch *b,
                              struct act_error *err);
void act_batch_release(struct act_batch *b);

#endif
