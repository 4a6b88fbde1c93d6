/*
 * request.h - building the HTTP request of an action from its spec.
 *
 * Parameters come from -p NAME=VALUE, else (when required) from the spec's
 * example / examples / schema default / single-value enum. Each is serialized
 * per its `in` and `style` (OpenAPI 3.0: simple, label, matrix, form,
 * spaceDelimited, pipeDelimited, deepObject) with every value percent-encoded
 * so that a `/` or `?` in a value cannot change the path. The spec's servers
 * are ignored: the destination URL is the base, and its path is the prefix.
 * Parameters and body are validated against the spec before anything is sent.
 */
#ifndef ACT_RUNNER_REQUEST_H
#define ACT_RUNNER_REQUEST_H

#include <stddef.h>

#include "common/act_error.h"
#include "common/act_msgs.h"
#include "parser/spec.h"
#include "runner/dest.h"
#include "runner/http.h"
#include "validator/validate.h"

/* A -p NAME=VALUE argument (borrowed strings). */
struct act_arg {
    const char *name;  /* parameter name */
    const char *value; /* its value as typed */
};

/* What the request is built from. Everything is borrowed. */
struct act_request_in {
    const struct act_spec *spec;
    const struct act_op *op;
    const char *base_url;         /* the destination URL (its path is a prefix) */
    const struct act_dest *dest;  /* URL.headers.* / URL.queries.*, or NULL */
    const struct act_arg *params; /* -p arguments, repeated names allowed (arrays) */
    size_t n_params;
    const char *const *headers; /* -H "Name: value" lines */
    size_t n_headers;
    const char *body; /* --body contents, or NULL for the spec's example */
    size_t body_len;
    const char *body_name; /* --body FILE for messages ("-" for stdin) */
    /* 1: a required parameter (or body) with no value in -p and none in the spec gets
     * one generated from its schema, and a spec example that does not match its
     * schema is replaced by a generated value (for mocks: a real backend needs real
     * values). */
    int fill;
    /* Where warnings go (the spec's own example did not match its schema, what was
     * sent instead), or NULL. A spec example is documentation: never a failure. */
    struct act_msgs *notes;
    /* Set to 1 when the build fails (ACT_ERR_USAGE) only for want of a value: a
     * required parameter or body nobody supplied. May be NULL. */
    int *missing;
};

/* The request, ready to send. */
struct act_request {
    char *method;               /* "GET" (uppercase) */
    char *url;                  /* base URL + path + query */
    char *path;                 /* what follows host:port in url ("/api/hello?x=1") */
    struct act_headers headers; /* spec header/cookie parameters, destination headers, -H */
    char *body;                 /* request body, or NULL for none */
    size_t body_len;
    char *media_type; /* the body's media type, or NULL */
};

/*
 * Build the request for in->op. Problems with what the user supplied come in
 * two kinds:
 *   - usage (returned as ACT_ERR_USAGE with err filled): an unknown -p name, a
 *     required parameter with no value and nothing in the spec to fill it
 *     (all of them named; with in->fill only when no value can be generated), a malformed -H line
 * or CR/LF in a header value,
 *     --body that is not JSON (with line:col), a required body with none given;
 *   - invalid values (returned as ACT_ERR_CHECK, each problem in *problems):
 *     parameters or body given by the user that do not match their schemas
 *     (validated with v in the request direction; v NULL skips schema checks).
 *     Values taken from the spec's examples are validated too, but a mismatch
 *     is a note in in->notes, not a problem.
 * An unusable spec (unresolvable $ref) is ACT_ERR_REF/ACT_ERR_INVALID.
 * *out is set on ACT_OK and on ACT_ERR_CHECK (the request that would have
 * been sent, for the report), else NULL; free with act_request_free.
 */
enum act_status act_request_build(const struct act_request_in *in, struct act_validator *v,
                                  struct act_request **out, struct act_msgs *problems,
                                  struct act_error *err) ACT_WUR;
void act_request_free(struct act_request *r);

#endif
