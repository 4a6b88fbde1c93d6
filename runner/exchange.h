/*
 * exchange.h - one call runs an action (owns the exchange: route, auth, CSRF,
 * cookies, redirects, body cap, response checks).
 *
 * act_exchange() takes a built request (runner/request.h), sends it along the
 * destination's route (through the connector for OnPremise: runner/route.h),
 * authenticated (runner/auth.h, the OAuth2 token read once per run through a
 * struct act_auth_session), with the optional CSRF handshake and its one retry
 * on "x-csrf-token: Required", follows undeclared same-origin redirects hop by
 * hop on the same route, and checks the final response against the operation
 * (runner/check.h). It prints nothing and exits nothing: what happened comes
 * back in struct act_exchange_result, the steps through a trace callback.
 * Used by `test` (one action, and each --all worker), `dest check` and
 * `connector check`, and meant for any library caller (one call per step).
 */
#ifndef ACT_RUNNER_EXCHANGE_H
#define ACT_RUNNER_EXCHANGE_H

#include <stddef.h>

#include "common/act_error.h"
#include "common/act_msgs.h"
#include "common/act_redact.h"
#include "parser/spec.h"
#include "runner/auth.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/http.h"
#include "runner/report.h"
#include "runner/request.h"
#include "validator/validate.h"

/* What a trace event reports. */
enum act_trace_kind {
    ACT_TRACE_NOTE,     /* a step ("CSRF token fetch", "following the 302 redirect"): text */
    ACT_TRACE_REQUEST,  /* a request about to go out: text is "METHOD URL[ via connector V]" */
    ACT_TRACE_RESPONSE, /* an exchange done: resp (what was sent is in resp->sent) */
    ACT_TRACE_WARNING,  /* something the user should see even without tracing: text */
};

/* One trace event. Everything is borrowed for the duration of the callback. Texts
 * may hold secrets (URL.queries values, tokens): mask before printing. */
struct act_trace_event {
    enum act_trace_kind kind;
    const char *text;                 /* NOTE, REQUEST */
    const struct act_http_resp *resp; /* RESPONSE */
};

typedef void (*act_trace_fn)(void *ctx, const struct act_trace_event *ev);

/* How to run the exchange. Everything is borrowed. */
struct act_exchange_opts {
    /* Timeout, TLS and body cap (max_size). use_env_proxy, trace, redact and
     * follow_redirects are set by the exchange. */
    struct act_http_opts http;
    const struct act_dest *dest;      /* where to; NULL: req->url as it is, no auth */
    const struct act_connector *conn; /* for OnPremise destinations, or NULL */
    const char *conn_source;          /* names the connector file in messages, or NULL */
    struct act_auth_session *auth;    /* the run's token (act_auth_session_init), or NULL */
    /* The CSRF fetch path ("" fetches from the destination URL itself), or NULL:
     * no handshake. Only modifying methods (not GET, HEAD, OPTIONS) do it. */
    const char *csrf_path;
    int follow_redirects; /* follow undeclared 3xx to the destination's origin by hand */
    /* Check the final response against spec/op (NULL op: no checks). */
    const struct act_spec *spec;
    const struct act_op *op;
    struct act_validator *v; /* NULL skips schema validation */
    /* Secrets: the reason phrase comes back masked by it, and the tokens obtained
     * (OAuth2, CSRF) are added to it. May be NULL (nothing added). */
    struct act_redactor *red;
    /* Where the events go (NULL: nowhere). ACT_TRACE_WARNING always; the steps
     * (NOTE, REQUEST, RESPONSE) only with trace_steps, which also records the
     * request headers as sent (resp->sent). */
    act_trace_fn trace;
    int trace_steps;
    void *trace_ctx;
};

/* How the exchange ended: enum act_outcome of runner/report.h (PASS: answered and the
 * checks found nothing; FAIL: answered with problems, or a body over the cap;
 * UNREACHABLE: no answer, the reason in failure and in problems). An exchange never
 * ends SKIP. */

/* What came back. The pointed-to storage is the caller's (initialized by it). */
struct act_exchange_result {
    struct act_http_resp *resp;        /* the final response */
    struct act_msgs *problems;         /* what failed is appended */
    struct act_msgs *notes;            /* warnings are appended (a redirect not followed) */
    struct act_errlist *schema_errors; /* the body's schema errors, structured, or NULL */
    enum act_outcome outcome;          /* set by act_exchange */
    int sent;                          /* the request itself went out */
    /* Why the backend was not reached (UNREACHABLE: ACT_ERR_NETWORK) or why the
     * answer was cut (FAIL over the cap: ACT_ERR_LIMIT); status 0 otherwise. */
    struct act_error failure;
};

/*
 * Run req with o, filling res. req is updated as it went out: the
 * Authorization, CSRF and Cookie headers added, and a 303 (301/302 after a
 * POST) turned into a GET without a body. ACT_OK when the exchange came to an
 * outcome (res->outcome); otherwise the error that stopped it is in err
 * (ACT_ERR_NOMEM, an unusable spec, a destination that cannot authenticate).
 */
enum act_status act_exchange(struct act_request *req, const struct act_exchange_opts *o,
                             struct act_exchange_result *res, struct act_error *err) ACT_WUR;

/*
 * A request to destination d with nothing from a spec (Check Connection):
 * method, the destination URL plus path (NULL: none) and its URL.queries.*,
 * its URL.headers.*. Free with act_request_free.
 */
enum act_status act_exchange_dest_request(const struct act_dest *d, const char *method,
                                          const char *path, struct act_request **out,
                                          struct act_error *err) ACT_WUR;

#endif
