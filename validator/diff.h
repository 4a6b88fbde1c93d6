/*
 * diff.h - what changed for the clients of each action between two specs.
 *
 * This module owns the comparison behind `actions diff`: two loaded specs are
 * compared action by action (matched by operationId), following $refs on both
 * sides, and every change a client could notice is recorded with its action,
 * a severity, a JSON Pointer into each document (NULL where the thing does not
 * exist) and a plain sentence. Schemas are compared in a direction: a request
 * is narrowed when the server accepts less (breaking), a response is widened
 * when the client may see more (breaking). A change inside a shared component
 * is reported once per action that reaches it; recursive schemas terminate (a
 * memo of the (old, new) node pairs visited per action).
 */
#ifndef ACT_VALIDATOR_DIFF_H
#define ACT_VALIDATOR_DIFF_H

#include <stddef.h>

#include "common/act_error.h"
#include "parser/spec.h"

enum act_diff_severity {
    ACT_DIFF_INFO = 0,     /* an addition that cannot break a client */
    ACT_DIFF_WARNING = 1,  /* may change what a client sees or relies on */
    ACT_DIFF_BREAKING = 2, /* breaks a client written against the old spec */
};

struct act_diff_change {
    const char *action;              /* the action id (borrowed from a spec) */
    enum act_diff_severity severity; /* how bad */
    char *old_ptr;                   /* JSON Pointer into OLD, NULL when absent (owned) */
    char *new_ptr;                   /* JSON Pointer into NEW, NULL when absent (owned) */
    char *message;                   /* the sentence; control characters escaped (owned) */
};

/* The result: changes grouped by action in the order of OLD's operations (then the
 * added ones), and every action compared, with or without changes. */
struct act_diff {
    struct act_diff_change *changes;
    size_t n, cap;
    const char **actions; /* ids compared (borrowed from the specs) */
    size_t n_actions, cap_actions;
};

/* Flags for act_diff_specs. */
#define ACT_DIFF_OLD_ONLY                                                                          \
    1 /* compare OLD's actions only: NEW's other actions are not                                   \
       * reported as added (a release against the current spec) */

void act_diff_init(struct act_diff *d);
void act_diff_release(struct act_diff *d);

/*
 * Compare every operation of old with the operation of new that has the same id
 * and append the changes to d (act_diff_init'ed). Restrict either spec first
 * with act_spec_retain to compare fewer actions. Errors: ACT_ERR_NOMEM, and
 * ACT_ERR_REF for a $ref that does not resolve (err says which).
 */
enum act_status act_diff_specs(const struct act_spec *old, const struct act_spec *new_spec,
                               int flags, struct act_diff *d, struct act_error *err) ACT_WUR;

/* "breaking", "warning", "info". */
const char *act_diff_severity_name(enum act_diff_severity s);

/* How many changes of d have severity at least min. */
size_t act_diff_count(const struct act_diff *d, enum act_diff_severity min);

#endif
