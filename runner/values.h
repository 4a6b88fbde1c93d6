/*
 * values.h - a values file (`actions test --values FILE`): per-action parameters,
 * headers and bodies, YAML or JSON, loaded and checked against the spec, and merged
 * into an action's job:
 *
 *   getPet:
 *     params: {petId: 42}
 *     headers: {X-Tenant: acme}
 *   createPet:
 *     body: {name: rex}
 *
 * Every key names an action of the spec, every parameter one the action has; an error
 * points at FILE:LINE:COL. The values themselves are checked like -p values when each
 * request is built.
 */
#ifndef ACT_RUNNER_VALUES_H
#define ACT_RUNNER_VALUES_H

#include <stddef.h>

#include "common/act_error.h"
#include "parser/spec.h"
#include "runner/run.h"

/* The values of one action in a values file (all owned by struct act_values). */
struct act_values_entry {
    const struct act_op *op;
    struct act_arg *params; /* a name repeated for each item of an array */
    size_t n_params;
    char **headers; /* "Name: value" lines */
    size_t n_headers;
    char *body; /* JSON text, or NULL */
    size_t body_len;
};

/* A loaded values file. */
struct act_values {
    struct act_values_entry *e;
    size_t n;
};

/*
 * Load the values file path (YAML or JSON) and check it against spec: every key an
 * action id; each entry a mapping of params (parameters of that action: string,
 * number, boolean, array or object), headers (name: scalar) and body (any JSON value).
 * On failure err says FILE:LINE:COL and what.
 */
enum act_status act_values_load(const char *path, const struct act_spec *spec,
                                struct act_values **out, struct act_error *err);
/* The entry for op, or NULL (v may be NULL). */
const struct act_values_entry *act_values_find(const struct act_values *v, const struct act_op *op);
void act_values_free(struct act_values *v);
/*
 * The job for op: j with the entry's values merged in (they win over the parameters
 * and headers of the same name; its body replaces j's). *out's arrays are allocated
 * (act_free(out->params), act_free((void *)out->headers)); ACT_OK or ACT_ERR_NOMEM.
 */
enum act_status act_values_job(const struct act_job *j, const struct act_values_entry *e,
                               struct act_job *out);

#endif
