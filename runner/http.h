/*
 * http.h - one HTTP exchange, the only door to the network (libcurl lives in
 * http.c), and the URL type (struct act_url: every URL taken apart is parsed
 * here, once, through libcurl's URL API) with percent-encoding.
 *
 * http and https only; TLS verified unless told otherwise; connect and total
 * timeouts; at most ACT_MAX_REDIRECTS redirects; the response body capped in
 * the write callback (libcurl applies its own size limit only to announced
 * sizes). Proxies from the environment are used only when the caller asks
 * (Internet destinations); an on-premise call connects straight to the
 * internal host. Nothing here prints: failures come back as a status and a
 * message in struct act_error.
 */
#ifndef ACT_RUNNER_HTTP_H
#define ACT_RUNNER_HTTP_H

#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_error.h"
#include "common/act_limits.h"
#include "common/act_redact.h"

/* One header. Both strings are owned by the list holding it. */
struct act_header {
    char *name;  /* as written, compared case-insensitively */
    char *value; /* without surrounding blanks */
};

/* An ordered list of headers (duplicates allowed, as in HTTP). */
struct act_headers {
    struct act_header *v; /* the headers, in order */
    size_t n;             /* headers in use */
    size_t cap;           /* slots allocated */
};

void act_headers_init(struct act_headers *h);
void act_headers_release(struct act_headers *h);
/* Append a copy of name and value. */
enum act_status act_headers_add(struct act_headers *h, const char *name, const char *value) ACT_WUR;
/* Remove every header called name, then append it (a -H header wins). */
enum act_status act_headers_set(struct act_headers *h, const char *name, const char *value) ACT_WUR;
/* Remove every header called name. */
void act_headers_remove(struct act_headers *h, const char *name);
/* The first value of name (case-insensitive), or NULL. Borrowed. */
const char *act_headers_get(const struct act_headers *h, const char *name);

/* How to talk to the server. Zero means the default for every field. */
struct act_http_opts {
    long timeout_ms;      /* total time allowed, also the connect timeout (0 = 30 s) */
    int insecure;         /* do not verify TLS peers (--insecure, TrustAll) */
    const char *cacert;   /* CA bundle file, or NULL for the system's */
    long long max_size;   /* body cap in bytes (0 = ACT_MAX_BODY_BYTES) */
    int use_env_proxy;    /* honour http(s)_proxy / HTTP(S)_PROXY / NO_PROXY */
    int follow_redirects; /* follow up to ACT_MAX_REDIRECTS Location headers */
    int trace;            /* record the request headers as sent (resp->sent) */
    /* Secrets to mask in the reason phrase (and so in status_line): the server
     * controls that text and may echo a credential. NULL masks by shape only. */
    const struct act_redactor *redact;
};

/* One request. Everything is borrowed. */
struct act_http_req {
    const char *method;                /* "GET", "POST", ... ("HEAD" sends no body) */
    const char *url;                   /* absolute http(s) URL */
    const struct act_headers *headers; /* sent as given; may be NULL */
    const char *body;                  /* request body, or NULL for none */
    size_t body_len;                   /* bytes of body */
};

/* What came back. Embed, act_http_resp_init, then act_http_resp_release. */
struct act_http_resp {
    long status; /* final HTTP status, 0 when none was received */
    /* Reason phrase of the final status line ("OK"), or NULL; safe to print:
     * secrets masked (opts.redact, and the values of the response's own secret
     * headers such as Set-Cookie or x-csrf-token), control characters and
     * invalid UTF-8 written as \xNN, at most ACT_MAX_ECHO characters. */
    char *reason;
    char *status_line;          /* "HTTP/1.1 200 OK" with that reason, or NULL */
    struct act_headers headers; /* headers of the final response, in order */
    struct act_buf body;        /* the body, NUL-terminated, at most max_size bytes */
    long duration_ms;           /* from start to the last byte (or the failure) */
    long redirects;             /* redirects followed */
    struct act_buf sent;        /* request lines and headers as sent (when opts.trace) */
};

void act_http_resp_init(struct act_http_resp *r);
void act_http_resp_release(struct act_http_resp *r);

/*
 * Perform req with opts, filling resp (released and re-initialized first).
 * libcurl sends the path as given (dot segments are not resolved: the caller
 * decides the path) and refuses HTTP/0.9 answers.
 * Failures, each with a message naming the URL's host and the cause:
 *   ACT_ERR_NETWORK  cannot resolve, connection refused, timeout, TLS problem,
 *                    connection reset after N bytes, too many redirects, an
 *                    answer that is not HTTP ("did not answer with HTTP"),
 *                    "response headers too large" (more than
 *                    ACT_MAX_HEADER_BYTES bytes or ACT_MAX_HEADER_COUNT
 *                    headers, or one header over libcurl's own limit), ...
 *   ACT_ERR_LIMIT    the body exceeds opts.max_size (the message says the cap)
 *   ACT_ERR_USAGE    a URL that is not http or https, or malformed
 *   ACT_ERR_NOMEM
 * resp holds what arrived before a failure (status, headers, body so far).
 */
enum act_status act_http_perform(const struct act_http_req *req, const struct act_http_opts *opts,
                                 struct act_http_resp *resp, struct act_error *err) ACT_WUR;

/* The standard reason phrase of status ("Not Found"), "" when unknown. */
const char *act_http_reason(long status);

/* Initialize libcurl once per process (call before threads start; idempotent). */
enum act_status act_http_global_init(void) ACT_WUR;

/*
 * Characters kept as written in a query parameter NAME ("$top", "$filter":
 * OData services document them so, never "%24top"): the sub-delimiters RFC
 * 3986 allows in a query, except those that would change its structure: "&"
 * (separates fields), "=" (separates name and value), "+" (a space in form
 * encoding) and ";" (a field separator to some servers). Values keep the
 * stricter encoding (unreserved characters only, or RESERVED with allowReserved).
 */
#define ACT_URL_QUERY_NAME_KEEP "!$'()*,"

/*
 * Percent-encode s (len bytes) into out (appending): unreserved characters
 * (A-Z a-z 0-9 - . _ ~) stay, every other byte becomes %XX; characters in
 * keep stay too (e.g. "/" for a path prefix, "," for joined arrays).
 */
enum act_status act_url_encode(struct act_buf *out, const char *s, size_t len,
                               const char *keep) ACT_WUR;

/*
 * The URL type: a URL parsed once (through libcurl's URL API) into its parts.
 * Only http and https; userinfo is refused (credentials belong in
 * Authentication); the port is the scheme's default when absent. Every URL
 * the tool takes apart goes through here.
 */
struct act_url;

/* Parse an absolute http(s) URL (path kept as written, dot segments too):
 * ACT_ERR_USAGE when it is not one, ACT_ERR_NOMEM. *out (act_url_free) is
 * NULL on failure. */
enum act_status act_url_parse(const char *text, struct act_url **out) ACT_WUR;
/* ref (absolute, "//host/...", "/path", "relative", "?query") resolved against
 * base as RFC 3986 5.2 says, dot segments removed ("/dir/" + "../hello" is
 * "/hello"). Errors as act_url_parse. */
enum act_status act_url_resolve(const struct act_url *base, const char *ref,
                                struct act_url **out) ACT_WUR;
void act_url_free(struct act_url *u);
/* Why text is not a usable http(s) URL ("must start with http:// or https://",
 * "has no host", ...), or NULL when it is one. Userinfo is let through here
 * (the request refuses it with its own message). For configuration checks. */
const char *act_url_problem(const char *text);
/* The whole URL: as given to act_url_parse, or as resolved. */
const char *act_url_text(const struct act_url *u);
/* "http" or "https". */
const char *act_url_scheme(const struct act_url *u);
/* The host, without the brackets of an IPv6 literal. */
const char *act_url_host(const struct act_url *u);
/* The port, the scheme's default when absent. */
int act_url_port(const struct act_url *u);
/* Path and query ("/api/hello?x=1"), "/" when the path is empty, never the fragment. */
const char *act_url_rest(const struct act_url *u);
/*
 * Join a base URL and an expanded path: the trailing slashes of base are
 * dropped, the path is kept as written, with a '/' put in front when it has
 * none ("http://h:3333/api/" + "/hello" -> "http://h:3333/api/hello").
 * Appends to out.
 */
enum act_status act_url_join(struct act_buf *out, const char *base, const char *path) ACT_WUR;
/*
 * Append the query parameter name=value (both percent-encoded, the name keeping
 * ACT_URL_QUERY_NAME_KEEP) to the URL in url, after "?" when it has no query yet,
 * else after "&".
 */
enum act_status act_url_add_query(struct act_buf *url, const char *name, const char *value) ACT_WUR;

/*
 * The URL of a call: base (a destination URL: its path is a prefix, its own
 * query comes first) joined with path, then query (query_len bytes, already
 * encoded; 0: none) after "?" or "&", parsed. Errors as act_url_parse.
 */
enum act_status act_url_for_call(const char *base, const char *path, const char *query,
                                 size_t query_len, struct act_url **out) ACT_WUR;
/* Same scheme, host (case-insensitively) and port? */
int act_url_same_origin(const struct act_url *a, const struct act_url *b);

#endif
