/*
 * mock.h - a mock server answering from a spec (libmicrohttpd), and the
 * instance generator it uses.
 *
 * The server routes each request by path template and method, validates it
 * against the operation (parameters, body, content type; 400 with a JSON list
 * of the errors), and answers the first declared 2XX response (or the one a
 * `Prefer: code=NNN` header asks for) from the media type's example, its
 * first (or `Prefer: example=NAME`) `examples` entry, the schema's example,
 * or an instance generated from the schema. Every answer is checked with the
 * validator; a spec example that does not match is served with a warning.
 *
 * The library never prints: log lines and warnings go to a callback, called
 * from the server's threads (one call per line).
 */
#ifndef ACT_MOCK_MOCK_H
#define ACT_MOCK_MOCK_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "parser/spec.h"
#include "validator/validate.h"

/* --------------------------------------------------------------- the server */

/* Where to listen and how to report. */
struct act_mock_opts {
    const char *host; /* address to bind ("127.0.0.1" when NULL) */
    int port;         /* 0 = any free port (see act_mock_port) */
    /* One line per request ("GET /hello 200 0.4 ms") and warnings ("warning: ..."),
     * without newline; NULL = silent. Called from any of the server's threads, so
     * it writes each line whole (one call per line). */
    void (*log)(void *arg, const char *line);
    void *log_arg;
    /* 1: a spec example that does not match its schema is replaced by a generated
     * body (the warning says so); 0: it is served anyway, with the warning. */
    int valid_only;
    /* Work budget of each request validation (act_validator_set_max_steps), 0 = default. */
    unsigned long max_validation_steps;
    int max_connections;    /* connections served at once, a thread each
                             * (<= 0: ACT_MOCK_MAX_CONNECTIONS) */
    long long max_buffered; /* request body bytes held at once, over all connections
                             * (<= 0: ACT_MOCK_MAX_BUFFERED); beyond: 503 */
    long validate_ms;       /* time one request's validation and answer may take, in
                             * milliseconds (0 = no limit); beyond: 503 */
    int idle_timeout;       /* seconds a connection may stay idle (<= 0: ACT_MOCK_IDLE_TIMEOUT) */
};

struct act_mock;

/*
 * Build the routes of spec (borrowed: it must outlive the mock) and start
 * listening. Errors: ACT_ERR_USAGE for a host that is not an address,
 * ACT_ERR_NETWORK when the address cannot be bound (err says why, e.g.
 * "address 127.0.0.1:3333 is already in use"), ACT_ERR_NOMEM.
 * Signals are the caller's business: block SIGINT/SIGTERM before this call so
 * the server's threads inherit the mask. *out: free with act_mock_free.
 */
enum act_status act_mock_start(struct act_spec *spec, const struct act_mock_opts *opts,
                               struct act_mock **out, struct act_error *err) ACT_WUR;

/* The port the mock listens on (the chosen one when opts->port was 0). */
int act_mock_port(const struct act_mock *m);

/* Stop listening (finishing the requests in progress) and free everything. NULL is fine. */
void act_mock_free(struct act_mock *m);

/* ------------------------------------------- answering without the network */

/* One request, as the server sees it. Strings are borrowed. */
struct act_mock_req {
    const char *method; /* "GET" */
    const char *path;   /* the raw path, percent-encoded as sent, without query */
    const char *query;  /* the raw query (after '?'), or NULL */
    /* Header lookup (case-insensitive name), NULL when absent. */
    const char *(*header)(void *arg, const char *name);
    void *header_arg;
    const char *body; /* request body (need not be NUL-terminated), or NULL */
    size_t body_len;
};

/* A response header. */
struct act_mock_hdr {
    char *name;
    char *value;
};

/* The answer. Everything is owned; release with act_mock_reply_release. */
struct act_mock_reply {
    int status;         /* HTTP status */
    char *content_type; /* Content-Type, or NULL for no body */
    char *body;         /* body bytes (NUL-terminated), or NULL */
    size_t body_len;
    struct act_mock_hdr *hdrs; /* extra headers (Allow, declared response headers) */
    size_t n_hdrs;
};

void act_mock_reply_release(struct act_mock_reply *r);

/* The router and responder of a spec, without a server (what act_mock_start uses). */
struct act_mock_app;

enum act_status act_mock_app_new(struct act_spec *spec, struct act_mock_app **out,
                                 struct act_error *err) ACT_WUR;
void act_mock_app_free(struct act_mock_app *a);
/* The time one act_mock_app_answer may spend validating (ms; 0, the default, is
 * no limit): beyond it the answer is a 503 "validation stopped: ...". */
void act_mock_app_set_timeout(struct act_mock_app *a, long ms);

/*
 * Answer req into *out (initialized here). Warnings (a spec example that does
 * not match its schema) go to log. ACT_OK whenever an answer was produced,
 * including 4xx; else ACT_ERR_NOMEM (the caller answers 500). Not reentrant:
 * one call at a time per app (the validator and the docset fill caches).
 * req->path may be in absolute form ("http://host/pets"): routed by its path.
 */
enum act_status act_mock_app_answer(struct act_mock_app *a, const struct act_mock_req *req,
                                    void (*log)(void *arg, const char *line), void *log_arg,
                                    struct act_mock_reply *out) ACT_WUR;

#endif
