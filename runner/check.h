/*
 * check.h - checking a response against the spec, and routing through the connector.
 *
 * Checks: the status is declared (exact, then a range such as 2XX, then
 * default); the content type is declared (exact, then "type/ *", then
 * "* / *" - written with spaces here only; media type parameters such as
 * charset are ignored); a JSON body (application/json
 * or any +json type) parses and validates against the schema, every error
 * with its JSON Pointer; declared response headers marked required are there.
 *
 * Routing: an OnPremise destination is reached only through the connector:
 * its virtual host:port must be mapped, the normalized path admitted by an
 * active resource, and the internal host must answer. Each failure carries the
 * platform's message (Cloud Connector's wording) with the local cause in err->context.
 */
#ifndef ACT_RUNNER_CHECK_H
#define ACT_RUNNER_CHECK_H

#include <stddef.h>

#include "common/act_error.h"
#include "parser/spec.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/http.h"
#include "runner/request.h"
#include "validator/validate.h"

/* The three messages of SAP Cloud Connector, word for word (users search for them). */
#define ACT_MSG_NOT_MAPPED                                                                         \
    "Backend is not available in the list of defined system mappings in Cloud Connector."
#define ACT_MSG_NOT_ADMITTED                                                                       \
    "Resource is not accessible in Cloud Connector or backend is not reachable."
#define ACT_MSG_UNREACHABLE "Backend is not reachable from Cloud Connector."

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

/* 1 when the media type (parameters ignored) is JSON: application/json or type/x+json. */

/* Where and how to connect for one call. */
struct act_route {
    char *url;                    /* the URL to connect to (the internal host for OnPremise) */
    char *host;                   /* the Host header to send, or NULL to let it follow url */
    char *forwarded_host;         /* X-Forwarded-Host to send (hostInHeader: internal), or NULL */
    char *virtual_addr;           /* "internalhost:3333" (OnPremise), for messages */
    char *internal_addr;          /* "127.0.0.1:3333" (OnPremise), for messages */
    const struct act_system *sys; /* the mapping used, or NULL for Internet */
    int use_env_proxy;            /* Internet: honour HTTP(S)_PROXY / NO_PROXY */
};

void act_route_init(struct act_route *r);
void act_route_release(struct act_route *r);

/*
 * Decide how to reach url (a destination URL with the path of the call) for
 * destination d. Internet: url itself, proxies from the environment.
 * OnPremise: conn must not be NULL (else ACT_ERR_NETWORK with
 * ACT_MSG_NOT_MAPPED); the virtual host:port is mapped (ACT_ERR_NETWORK with
 * ACT_MSG_NOT_MAPPED, context naming the host and the connector file), the
 * normalized path admitted (ACT_ERR_NETWORK with ACT_MSG_NOT_ADMITTED, context
 * naming the normalized path and the configured resources), and the URL
 * rewritten to the internal host:port with Host per hostInHeader.
 * conn_source names the connector file for messages when conn is NULL.
 */
enum act_status act_route_resolve(const struct act_dest *d, const struct act_connector *conn,
                                  const char *conn_source, const char *url, struct act_route *out,
                                  struct act_error *err) ACT_WUR;

/*
 * Add the route's Host / X-Forwarded-Host headers to h (replacing any).
 */
enum act_status act_route_headers(const struct act_route *r, struct act_headers *h) ACT_WUR;

/*
 * Turn a network failure (cause) of a call made along route r into the
 * message the user sees: for OnPremise ACT_MSG_UNREACHABLE with the internal
 * host:port and the system error beneath; for Internet the cause itself.
 * Only ACT_ERR_NETWORK causes are rewritten.
 */
void act_route_failure(const struct act_route *r, const struct act_error *cause,
                       struct act_error *err);

#endif
