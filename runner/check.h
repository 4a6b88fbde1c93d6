/*
 * check.h - checking a response against the spec (owns the response checks).
 *
 * Checks: the status is declared (exact, then a range such as 2XX, then
 * default); the content type is declared (exact, then "type/ *", then
 * "* / *" - written with spaces here only; media type parameters such as
 * charset are ignored); a JSON body (application/json
 * or any +json type) parses and validates against the schema, every error
 * with its JSON Pointer; declared response headers marked required are there.
 */
#ifndef ACT_RUNNER_CHECK_H
#define ACT_RUNNER_CHECK_H

#include <stddef.h>

#include "common/act_error.h"
#include "parser/spec.h"
#include "common/act_msgs.h"
#include "runner/http.h"
#include "validator/validate.h"

/* What a response is checked against. Everything is borrowed. */
struct act_check_in {
    const struct act_spec *spec;
    const struct act_op *op;
    long status;                       /* the HTTP status */
    const struct act_headers *headers; /* the response headers */
    const char *body;                  /* the body (need not be NUL-terminated) */
    size_t body_len;
    int head;                   /* a HEAD request: no body expected */
    struct act_errlist *errors; /* when not NULL, also receives the schema errors of the body,
                                   structured (the caller inits and releases it), or NULL */
};

/* What the checks found out besides the problems. */
struct act_check_out {
    struct act_doc *body;   /* the parsed JSON body (owned; act_doc_free; its tree is
                               read-only, see act_doc_parse_instance), or NULL */
    const char *media_type; /* the declared media type that matched (borrowed), or NULL */
    const char *response;   /* the responses key that matched ("200", "2XX", "default"), or NULL */
};

/*
 * Check a response. Every problem found is appended to problems (the check
 * passes when none was added). v NULL skips schema validation. Returns ACT_OK
 * when the checks ran, or an error (err filled) when the spec itself is
 * unusable (an unresolvable $ref, an invalid schema). out may be NULL; else
 * its body is set when the body was JSON, and must be freed. JSON bodies are
 * parsed strictly per RFC 8259 (as `actions validate` parses instances): a
 * leading zero or a raw control character in a string is "not valid JSON".
 * With in->errors, each schema error is also appended there, structured (the
 * strings in problems are formatted from them; ACT_MAX_ERRORS applies to both).
 */
enum act_status act_check_response(const struct act_check_in *in, struct act_validator *v,
                                   struct act_msgs *problems, struct act_check_out *out,
                                   struct act_error *err) ACT_WUR;

#endif
