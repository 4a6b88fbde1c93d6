/*
 * exchange.c - one action end to end: auth, CSRF, each call along its route,
 * redirects by hand, the body cap, the response checks.
 */
#include "exchange.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "runner/check.h"
#include "runner/route.h"

static enum act_status nomem(struct act_error *err)
{
    return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* A NOTE or WARNING event, formatted. */
static void trace_note(const struct act_exchange_opts *o, enum act_trace_kind kind, const char *fmt,
                       ...) ACT_PRINTF(3, 4);
static void trace_note(const struct act_exchange_opts *o, enum act_trace_kind kind, const char *fmt,
                       ...)
{
    if (!o->trace || (kind != ACT_TRACE_WARNING && !o->trace_steps))
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    struct act_trace_event ev = {kind, text, NULL};
    o->trace(o->trace_ctx, &ev);
}

static enum act_status add_secret(const struct act_exchange_opts *o, const char *secret)
{
    return o->red ? act_redactor_add_secret(o->red, secret) : ACT_OK;
}

/* Send one request along the destination's route (the connector for OnPremise;
 * no destination: straight to url). */
static enum act_status send_routed(const struct act_exchange_opts *o, const char *method,
                                   const char *url, const struct act_headers *headers,
                                   const char *body, size_t body_len, struct act_http_resp *resp,
                                   struct act_error *err)
{
    struct act_route route;
    struct act_headers h;
    act_route_init(&route);
    act_headers_init(&h);
    enum act_status st;
    if (o->dest) {
        st = act_route_resolve(o->dest, o->conn, o->conn_source, url, &route, err);
    } else {
        route.url = act_strdup(url);
        st = route.url ? ACT_OK : ACT_ERR_NOMEM;
    }
    for (size_t i = 0; !st && headers && i < headers->n; i++)
        st = act_headers_add(&h, headers->v[i].name, headers->v[i].value);
    if (!st)
        st = act_route_headers(&route, &h);
    if (st == ACT_ERR_NOMEM)
        nomem(err);
    if (!st) {
        struct act_http_opts http = o->http;
        http.use_env_proxy = route.use_env_proxy;
        http.trace = o->trace && o->trace_steps;
        http.redact = o->red; /* the reason phrase comes back masked */
        http.follow_redirects = 0;
        struct act_http_req req = {method, route.url, &h, body, body_len};
        struct act_error cause;
        act_error_init(&cause);
        if (http.trace) {
            struct act_buf line;
            act_buf_init(&line);
            if (act_buf_printf(&line, "%s %s%s%s", method, route.url,
                               route.sys ? " via connector " : "",
                               route.sys ? route.virtual_addr : "") == ACT_OK) {
                struct act_trace_event ev = {ACT_TRACE_REQUEST, line.data, NULL};
                o->trace(o->trace_ctx, &ev);
            }
            act_buf_release(&line);
        }
        st = act_http_perform(&req, &http, resp, &cause);
        if (http.trace) {
            struct act_trace_event ev = {ACT_TRACE_RESPONSE, NULL, resp};
            o->trace(o->trace_ctx, &ev);
        }
        if (st)
            act_route_failure(&route, &cause, err);
    }
    act_headers_release(&h);
    act_route_release(&route);
    return st;
}

/* ---------------------------------------------------------------- CSRF */

/* Append each Set-Cookie's name=value to cookies ("a=1; b=2"). */
static enum act_status collect_cookies(const struct act_headers *h, struct act_buf *cookies)
{
    for (size_t i = 0; i < h->n; i++) {
        if (strcasecmp(h->v[i].name, "Set-Cookie") != 0)
            continue;
        const char *v = h->v[i].value;
        size_t l = strcspn(v, ";");
        if (!l || !memchr(v, '=', l))
            continue;
        if ((cookies->len && act_buf_adds(cookies, "; ")) || act_buf_add(cookies, v, l))
            return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

/* x-csrf-token: Fetch, then put the token and the cookies into h (Cookie becomes
 * base_cookie, the request's own cookies or NULL, plus those of the answer). */
static enum act_status csrf_fetch(const struct act_exchange_opts *o, struct act_headers *h,
                                  const char *base_cookie, struct act_error *err)
{
    struct act_buf url, cookies;
    struct act_headers fetch_headers;
    struct act_http_resp resp;
    act_buf_init(&url);
    act_buf_init(&cookies);
    act_headers_init(&fetch_headers);
    act_http_resp_init(&resp);
    enum act_status st = *o->csrf_path ? act_url_join(&url, o->dest->url, o->csrf_path)
                                       : act_buf_adds(&url, o->dest->url);
    for (size_t i = 0; !st && i < h->n; i++)
        if (strcasecmp(h->v[i].name, "Content-Type") != 0)
            st = act_headers_add(&fetch_headers, h->v[i].name, h->v[i].value);
    if (!st)
        st = act_headers_set(&fetch_headers, "x-csrf-token", "Fetch");
    if (st) {
        st = nomem(err);
        goto done;
    }
    trace_note(o, ACT_TRACE_NOTE, "CSRF token fetch");
    st = send_routed(o, "GET", url.data, &fetch_headers, NULL, 0, &resp, err);
    if (st)
        goto done;
    const char *tok = act_headers_get(&resp.headers, "x-csrf-token");
    if (tok && strpbrk(tok, "\r\n"))
        tok = NULL;
    if (tok && add_secret(o, tok)) {
        st = nomem(err);
        goto done;
    }
    if ((base_cookie && act_buf_adds(&cookies, base_cookie)) ||
        collect_cookies(&resp.headers, &cookies) ||
        (tok && act_headers_set(h, "x-csrf-token", tok)) ||
        (cookies.len && act_headers_set(h, "Cookie", cookies.data))) {
        st = nomem(err);
        goto done;
    }
    if (!tok)
        trace_note(o, ACT_TRACE_WARNING,
                   "CSRF fetch from %s answered %ld without an x-csrf-token header", o->dest->name,
                   resp.status);
done:
    act_buf_release(&url);
    act_buf_release(&cookies);
    act_headers_release(&fetch_headers);
    act_http_resp_release(&resp);
    return st;
}

/* ----------------------------------------------------------- redirects */

/* Is status a redirect the operation does not declare (by code or range;
 * "default" does not count)? */
static int undeclared_redirect(const struct act_op *op, long status)
{
    if (!op || (status != 301 && status != 302 && status != 303 && status != 307 && status != 308))
        return 0;
    const cJSON *k;
    cJSON_ArrayForEach(k, op->responses)
    {
        if (act_status_key_matches(k->string, status, 0) ||
            act_status_key_matches(k->string, status, 1))
            return 0;
    }
    return 1;
}

/* 303, or 301/302 after a POST: continue as GET (HEAD stays HEAD) without the body. */
static enum act_status redirect_as_get(struct act_request *req, long code)
{
    if (code != 303 && !((code == 301 || code == 302) && strcmp(req->method, "POST") == 0))
        return ACT_OK;
    if (strcmp(req->method, "HEAD") != 0) {
        char *get = act_strdup("GET");
        if (!get)
            return ACT_ERR_NOMEM;
        act_free(req->method);
        req->method = get;
    }
    act_free(req->body);
    req->body = NULL;
    req->body_len = 0;
    act_headers_remove(&req->headers, "Content-Type");
    return ACT_OK;
}

/*
 * Follow redirects by hand, each hop routed like the first (so an OnPremise
 * destination's connector mapping and resource policy apply to every hop): a
 * 3xx the operation declares is its answer and is checked as such; one it
 * does not declare is followed when it stays on the destination's origin, else
 * it is left as the answer with a note.
 */
static enum act_status follow_redirects(struct act_request *req, const struct act_exchange_opts *o,
                                        struct act_exchange_result *res, struct act_error *err)
{
    struct act_http_resp *resp = res->resp;
    struct act_url *origin = NULL, *here = NULL;
    enum act_status st = act_url_parse(o->dest->url, &origin);
    if (!st)
        st = act_url_parse(req->url, &here);
    if (st == ACT_ERR_NOMEM) {
        act_url_free(origin);
        return nomem(err);
    }
    /* Not an http(s) URL: nothing could have been sent; no redirect to follow. */
    for (int hops = 0; !st && undeclared_redirect(o->op, resp->status); hops++) {
        const char *loc = act_headers_get(&resp->headers, "Location");
        if (!loc || !*loc || strpbrk(loc, "\r\n"))
            break;
        struct act_url *next = NULL;
        st = act_url_resolve(here, loc, &next);
        if (st == ACT_ERR_NOMEM)
            break;
        if (st || !act_url_same_origin(next, origin)) {
            /* The server's text: clipped, control characters escaped. */
            char e[ACT_ECHO_SIZE];
            const char *shown = st ? loc : act_url_text(next);
            act_echo(e, sizeof(e), shown, strlen(shown));
            act_url_free(next);
            st = act_msgs_add(res->notes,
                              "%ld redirect to another origin not followed (Location: %s); "
                              "the %ld is checked as the answer",
                              resp->status, e, resp->status);
            break;
        }
        if (hops == ACT_MAX_REDIRECTS) {
            char e[ACT_ECHO_SIZE];
            act_echo(e, sizeof(e), act_url_text(here), strlen(act_url_text(here)));
            act_url_free(next);
            act_url_free(here);
            act_url_free(origin);
            return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                                 "too many redirects from %s (more than %d)", e, ACT_MAX_REDIRECTS);
        }
        long code = resp->status;
        if (redirect_as_get(req, code)) {
            act_url_free(next);
            st = ACT_ERR_NOMEM;
            break;
        }
        trace_note(o, ACT_TRACE_NOTE, "following the %ld redirect", code);
        act_url_free(here);
        here = next;
        act_http_resp_release(resp);
        act_http_resp_init(resp);
        enum act_status cs = send_routed(o, req->method, act_url_text(here), &req->headers,
                                         req->body, req->body_len, resp, err);
        if (cs) {
            act_url_free(here);
            act_url_free(origin);
            return cs;
        }
    }
    act_url_free(here);
    act_url_free(origin);
    return st == ACT_ERR_NOMEM ? nomem(err) : ACT_OK;
}

/* ---------------------------------------------------------------- send */

/* The Authorization header, the token masked from now on. */
static enum act_status authenticate(struct act_request *req, const struct act_exchange_opts *o,
                                    struct act_error *err)
{
    if (!o->dest)
        return ACT_OK;
    int fetched = 0;
    enum act_status st =
        act_auth_session_apply(o->auth, o->dest, &o->http, &req->headers, &fetched, err);
    if (st)
        return st;
    if (o->dest->auth == ACT_AUTH_OAUTH2_CC)
        trace_note(o, ACT_TRACE_NOTE, "OAuth2 token %s",
                   fetched ? "obtained from the token service" : "taken from the cache");
    /* The token is now a secret of this run: mask it wherever it shows up. */
    const char *auth = act_headers_get(&req->headers, "Authorization");
    if (auth) {
        const char *sp = strchr(auth, ' ');
        if (add_secret(o, sp ? sp + 1 : auth))
            return nomem(err);
    }
    return ACT_OK;
}

/* Authenticate, CSRF, send, retry once on "x-csrf-token: Required", follow redirects. */
static enum act_status send_request(struct act_request *req, const struct act_exchange_opts *o,
                                    struct act_exchange_result *res, struct act_error *err)
{
    enum act_status st = authenticate(req, o, err);
    if (st)
        return st;
    int modifying =
        strcmp(req->method, "GET") && strcmp(req->method, "HEAD") && strcmp(req->method, "OPTIONS");
    int csrf = modifying && o->csrf_path && o->dest;
    char *own_cookie = NULL;
    if (csrf) {
        const char *own = act_headers_get(&req->headers, "Cookie");
        if (own && !(own_cookie = act_strdup(own)))
            return nomem(err);
        st = csrf_fetch(o, &req->headers, own_cookie, err);
        if (st) {
            act_free(own_cookie);
            return st;
        }
    }
    res->sent = 1;
    st = send_routed(o, req->method, req->url, &req->headers, req->body, req->body_len, res->resp,
                     err);
    if (!st && csrf && res->resp->status == 403) {
        const char *need = act_headers_get(&res->resp->headers, "x-csrf-token");
        if (need && strcasecmp(need, "Required") == 0) {
            trace_note(o, ACT_TRACE_NOTE,
                       "CSRF token rejected: fetching a new one and retrying once");
            act_headers_remove(&req->headers, "x-csrf-token");
            act_headers_remove(&req->headers, "Cookie");
            if (own_cookie && act_headers_add(&req->headers, "Cookie", own_cookie))
                st = nomem(err);
            if (!st)
                st = csrf_fetch(o, &req->headers, own_cookie, err);
            if (!st)
                st = send_routed(o, req->method, req->url, &req->headers, req->body, req->body_len,
                                 res->resp, err);
        }
    }
    act_free(own_cookie);
    if (st || !o->follow_redirects || !o->dest)
        return st;
    return follow_redirects(req, o, res, err);
}

enum act_status act_exchange(struct act_request *req, const struct act_exchange_opts *o,
                             struct act_exchange_result *res, struct act_error *err)
{
    size_t had = res->problems->n;
    res->outcome = ACT_OUTCOME_PASS;
    res->sent = 0;
    act_error_init(&res->failure);
    enum act_status st = send_request(req, o, res, err);
    if (st == ACT_ERR_LIMIT) {
        /* The backend answered with more than we accept: the action failed. */
        res->failure = *err;
        res->outcome = ACT_OUTCOME_FAIL;
        return act_msgs_add(res->problems, "%s", err->msg) ? nomem(err) : ACT_OK;
    }
    if (st == ACT_ERR_NETWORK) {
        res->failure = *err;
        res->outcome = ACT_OUTCOME_UNREACHABLE;
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(err, buf, sizeof(buf));
        return act_msgs_add(res->problems, "%s", buf) ? nomem(err) : ACT_OK;
    }
    if (st || !o->op)
        return st;
    struct act_check_in ci = {o->spec,
                              o->op,
                              res->resp->status,
                              &res->resp->headers,
                              res->resp->body.data,
                              res->resp->body.len,
                              strcmp(req->method, "HEAD") == 0,
                              res->schema_errors};
    struct act_check_out co;
    st = act_check_response(&ci, o->v, res->problems, &co, err);
    act_doc_free(co.body);
    if (st)
        return st;
    res->outcome = res->problems->n > had ? ACT_OUTCOME_FAIL : ACT_OUTCOME_PASS;
    return ACT_OK;
}

enum act_status act_exchange_dest_request(const struct act_dest *d, const char *method,
                                          const char *path, struct act_request **out,
                                          struct act_error *err)
{
    *out = NULL;
    struct act_request *req = act_calloc(1, sizeof(*req));
    struct act_buf url;
    act_buf_init(&url);
    if (!req)
        return nomem(err);
    act_headers_init(&req->headers);
    enum act_status st = path ? act_url_join(&url, d->url, path) : act_buf_adds(&url, d->url);
    for (size_t i = 0; !st && i < d->n_queries; i++)
        st = act_url_add_query(&url, d->queries[i].name, d->queries[i].value);
    for (size_t i = 0; !st && i < d->n_headers; i++)
        st = act_headers_set(&req->headers, d->headers[i].name, d->headers[i].value);
    if (!st && !(req->method = act_strdup(method)))
        st = ACT_ERR_NOMEM;
    if (!st)
        req->url = act_buf_detach(&url, NULL);
    act_buf_release(&url);
    if (st) {
        act_request_free(req);
        return nomem(err);
    }
    *out = req;
    return ACT_OK;
}
