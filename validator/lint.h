/*
 * lint.h - the lint rules of `actions lint`: structural problems of an
 * OpenAPI 3.0 spec and examples/defaults that do not match their schemas.
 *
 * This module owns the rules (what is a problem, its severity, its message
 * and where it is); it prints nothing. Each finding goes to a callback, in
 * the order found: the top-level fields, operationIds, each operation's
 * parameters and responses, then every node of every file reached by $ref.
 */
#ifndef ACT_VALIDATOR_LINT_H
#define ACT_VALIDATOR_LINT_H

#include "common/act_error.h"
#include "parser/spec.h"

/* One finding. Everything is borrowed for the duration of the callback. */
struct act_lint_finding {
    int is_error;              /* 1 error, 0 warning */
    const struct act_doc *doc; /* the file; NULL when message names its own place */
    const char *pointer;       /* JSON Pointer of the node ("" the root), or NULL */
    int line, col;             /* where the node is in doc (0 when unknown) */
    const char *message;       /* "missing \"info.title\"" */
};

typedef void (*act_lint_cb)(void *arg, const struct act_lint_finding *f);

struct act_lint_counts {
    int errors;
    int warnings;
};

/*
 * Check spec (loaded with ACT_SPEC_LENIENT so that missing fields are findings,
 * not load failures), calling cb(arg, finding) for each problem, and count
 * them into *counts. Fails only for want of memory.
 */
enum act_status act_lint(struct act_spec *spec, act_lint_cb cb, void *arg,
                         struct act_lint_counts *counts) ACT_WUR;

#endif
