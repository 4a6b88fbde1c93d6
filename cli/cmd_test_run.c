/*
 * cmd_test_run.c - one action of `actions test`: the request built from the
 * spec, routed (through the connector for OnPremise), authenticated, the
 * optional CSRF handshake, sent, redirects followed by hand, the response
 * checked. -v traces and every message pass the redactor first.
 */
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"
#include "runner/auth.h"
#include "runner/check.h"
#include "runner/route.h"

/* ------------------------------------------------------------- redaction */

/* s with every secret masked (act_free); NULL only when out of memory. */
char *test_redacted(struct run *r, const char *s, size_t len)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_redact_text(&r->red, s, len, &b)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

void test_print_error(struct run *r, const struct act_error *err)
{
    char buf[ACT_ERROR_MSG_MAX * 3];
    act_error_format(err, buf, sizeof(buf));
    char *s = test_redacted(r, buf, strlen(buf));
    fprintf(stderr, "%s: error: %s\n", r->c->prog, s ? s : "(message withheld: out of memory)");
    act_free(s);
}

/* Print text's lines to stderr, each prefixed, secrets masked (the -v trace). */
/* Start a -v line in b: "[ACTION] " when worker processes may interleave, then prefix. */
static enum act_status trace_start(struct run *r, struct act_buf *b, const char *prefix)
{
    act_buf_reset(b);
    if (r->tag_traces && r->op && act_buf_printf(b, "[%s] ", r->op->id))
        return ACT_ERR_NOMEM;
    return act_buf_adds(b, prefix);
}

/* One -v line, written with one call so that parallel workers do not mix their lines. */
static void trace(struct run *r, const char *fmt, ...) ACT_PRINTF(2, 3);
static void trace(struct run *r, const char *fmt, ...)
{
    struct act_buf b;
    act_buf_init(&b);
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (!trace_start(r, &b, line) && !act_buf_addc(&b, '\n'))
        fwrite(b.data, 1, b.len, stderr);
    act_buf_release(&b);
}

static void trace_lines(struct run *r, const char *prefix, const char *text, size_t len)
{
    char *s = test_redacted(r, text, len);
    if (!s)
        return;
    struct act_buf b;
    act_buf_init(&b);
    for (char *line = s; *line;) {
        size_t l = strcspn(line, "\r\n");
        enum act_status st = trace_start(r, &b, prefix);
        for (size_t i = 0; !st && i < l; i++) {
            unsigned char ch = (unsigned char)line[i];
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                st = act_buf_printf(&b, "\\x%02x", ch);
            else
                st = act_buf_addc(&b, (char)ch);
        }
        if (!st && !act_buf_addc(&b, '\n'))
            fwrite(b.data, 1, b.len, stderr);
        line += l;
        if (*line == '\r')
            line++;
        if (*line == '\n')
            line++;
    }
    act_buf_release(&b);
    act_free(s);
}

static void trace_response(struct run *r, const struct act_http_resp *resp)
{
    if (!r->verbose)
        return;
    trace_lines(r, "> ", resp->sent.data, resp->sent.len);
    if (resp->status_line) {
        struct act_buf b;
        act_buf_init(&b);
        if (act_buf_printf(&b, "%s\n", resp->status_line) == ACT_OK) {
            for (size_t i = 0; i < resp->headers.n; i++)
                if (act_buf_printf(&b, "%s: %s\n", resp->headers.v[i].name,
                                   resp->headers.v[i].value))
                    break;
            trace_lines(r, "< ", b.data, b.len);
        }
        act_buf_release(&b);
        trace(r, "< (%zu body bytes, %ld ms)", resp->body.len, resp->duration_ms);
    }
}

/* ----------------------------------------------------------------- calls */

/* Send one request along the destination's route (connector for OnPremise). */
static enum act_status call(struct run *r, const char *method, const char *url,
                            const struct act_headers *headers, const char *body, size_t body_len,
                            struct act_http_resp *resp, struct act_error *err)
{
    struct act_route route;
    struct act_headers h;
    act_route_init(&route);
    act_headers_init(&h);
    enum act_status st = act_route_resolve(r->dest, r->conn, NULL, url, &route, err);
    for (size_t i = 0; !st && i < headers->n; i++)
        st = act_headers_add(&h, headers->v[i].name, headers->v[i].value);
    if (!st)
        st = act_route_headers(&route, &h);
    if (st == ACT_ERR_NOMEM)
        act_error_set(err, st, NULL, 0, 0, "out of memory");
    if (!st) {
        struct act_http_opts o = r->http;
        o.use_env_proxy = route.use_env_proxy;
        o.trace = r->verbose;
        o.redact = &r->red; /* the reason phrase comes back masked */
        struct act_http_req req = {method, route.url, &h, body, body_len};
        struct act_error cause;
        act_error_init(&cause);
        if (r->verbose) {
            /* The URL may carry URL.queries secrets: it goes through the redactor too. */
            struct act_buf line;
            act_buf_init(&line);
            if (act_buf_printf(&line, "%s %s%s%s", method, route.url,
                               route.sys ? " via connector " : "",
                               route.sys ? route.virtual_addr : "") == ACT_OK)
                trace_lines(r, "* ", line.data, line.len);
            act_buf_release(&line);
        }
        st = act_http_perform(&req, &o, resp, &cause);
        trace_response(r, resp);
        if (st)
            act_route_failure(&route, &cause, err);
    }
    act_headers_release(&h);
    act_route_release(&route);
    return st;
}

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

/* The CSRF fetch path from the project file, or NULL when CSRF is off. */
static const char *csrf_path(struct cli_ctx *c)
{
    struct act_project *p = NULL;
    if (cli_project(c, &p) || !p || !p->csrf)
        return NULL;
    if (cJSON_IsTrue(p->csrf))
        return "";
    if (cJSON_IsString(p->csrf)) /* csrf: /path, short for {fetch: /path} */
        return p->csrf->valuestring;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(p->csrf, "fetch");
    if (cJSON_IsObject(p->csrf) && cJSON_IsString(f))
        return f->valuestring;
    return NULL;
}

/* x-csrf-token: Fetch, then put the token and the cookies into h (Cookie becomes
 * base_cookie, the request's own cookies or NULL, plus those of the answer). */
static enum act_status csrf_fetch(struct run *r, const char *path, struct act_headers *h,
                                  const char *base_cookie, struct act_error *err)
{
    struct act_buf url, cookies;
    struct act_headers fh;
    struct act_http_resp resp;
    act_buf_init(&url);
    act_buf_init(&cookies);
    act_headers_init(&fh);
    act_http_resp_init(&resp);
    enum act_status st =
        *path ? act_url_join(&url, r->dest->url, path) : act_buf_adds(&url, r->dest->url);
    for (size_t i = 0; !st && i < h->n; i++)
        if (strcasecmp(h->v[i].name, "Content-Type") != 0)
            st = act_headers_add(&fh, h->v[i].name, h->v[i].value);
    if (!st)
        st = act_headers_set(&fh, "x-csrf-token", "Fetch");
    if (st) {
        st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (r->verbose)
        trace(r, "* CSRF token fetch");
    st = call(r, "GET", url.data, &fh, NULL, 0, &resp, err);
    if (st)
        goto done;
    const char *tok = act_headers_get(&resp.headers, "x-csrf-token");
    if (tok && strpbrk(tok, "\r\n"))
        tok = NULL;
    if (tok && act_redactor_add_secret(&r->red, tok)) {
        st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if ((base_cookie && act_buf_adds(&cookies, base_cookie)) ||
        collect_cookies(&resp.headers, &cookies) ||
        (tok && act_headers_set(h, "x-csrf-token", tok)) ||
        (cookies.len && act_headers_set(h, "Cookie", cookies.data))) {
        st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (!tok)
        cli_warn(r->c, "CSRF fetch from %s answered %ld without an x-csrf-token header",
                 r->dest->name, resp.status);
done:
    act_buf_release(&url);
    act_buf_release(&cookies);
    act_headers_release(&fh);
    act_http_resp_release(&resp);
    return st;
}

/* Is status a redirect the operation does not declare (by code or range; "default" does not count)?
 */
static int undeclared_redirect(const struct act_op *op, long status)
{
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
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

/* Same scheme, host and port? */
static int same_origin(const char *a, const char *b)
{
    char *sa = NULL, *ha = NULL, *pa = NULL, *sb = NULL, *hb = NULL, *pb = NULL;
    int na = 0, nb = 0;
    int same = !act_url_split(a, &sa, &ha, &na, &pa) && !act_url_split(b, &sb, &hb, &nb, &pb) &&
               strcasecmp(sa, sb) == 0 && strcasecmp(ha, hb) == 0 && na == nb;
    act_free(sa);
    act_free(ha);
    act_free(pa);
    act_free(sb);
    act_free(hb);
    act_free(pb);
    return same;
}

/* Location resolved against base (absolute, "//host/...", "/path" or "relative") into out. */
static enum act_status resolve_location_raw(const char *base, const char *loc, struct act_buf *out)
{
    if (strstr(loc, "://") && strcspn(loc, ":") < strcspn(loc, "/?#"))
        return act_buf_adds(out, loc);
    const char *colon = strstr(base, "://");
    if (!colon)
        return act_buf_adds(out, loc);
    if (loc[0] == '/' && loc[1] == '/')
        return act_buf_add(out, base, (size_t)(colon + 1 - base)) ? ACT_ERR_NOMEM
                                                                  : act_buf_adds(out, loc);
    const char *path = colon + 3 + strcspn(colon + 3, "/?#");
    if (loc[0] == '/')
        return act_buf_add(out, base, (size_t)(path - base)) ? ACT_ERR_NOMEM
                                                             : act_buf_adds(out, loc);
    /* Relative: replace the last segment of base's path. */
    size_t plen = strcspn(path, "?#");
    const char *slash = NULL;
    for (const char *p = path; p < path + plen; p++)
        if (*p == '/')
            slash = p;
    if (slash)
        return act_buf_add(out, base, (size_t)(slash + 1 - base)) ? ACT_ERR_NOMEM
                                                                  : act_buf_adds(out, loc);
    if (act_buf_add(out, base, (size_t)(path - base)) || act_buf_addc(out, '/'))
        return ACT_ERR_NOMEM;
    return act_buf_adds(out, loc);
}

/*
 * Location resolved against base into out, its dot segments removed as RFC
 * 3986 5.2 says ("/dir/" + "../hello" is "/hello"): libcurl sends paths as
 * given, so the resolution is done here.
 */
static enum act_status resolve_location(const char *base, const char *loc, struct act_buf *out)
{
    struct act_buf raw, path;
    act_buf_init(&raw);
    act_buf_init(&path);
    enum act_status st = resolve_location_raw(base, loc, &raw);
    const char *sep = st ? NULL : strstr(raw.data, "://");
    if (!st && !sep)
        st = act_buf_add(out, raw.data, raw.len);
    else if (!st) {
        const char *p = sep + 3 + strcspn(sep + 3, "/?#");
        size_t pl = strcspn(p, "?#");
        if (*p != '/') {
            st = act_buf_add(out, raw.data, raw.len);
        } else {
            char *only = act_strndup(p, pl);
            st = only ? act_path_remove_dots(only, &path) : ACT_ERR_NOMEM;
            act_free(only);
            if (!st)
                st = act_buf_add(out, raw.data, (size_t)(p - raw.data));
            if (!st)
                st = act_buf_add(out, path.data, path.len);
            if (!st)
                st = act_buf_adds(out, p + pl);
        }
    }
    act_buf_release(&raw);
    act_buf_release(&path);
    return st;
}

/*
 * Follow redirects by hand, each hop routed like the first (so an OnPremise
 * destination's connector mapping and resource policy apply to every hop): a
 * 3xx the operation declares is its answer and is checked as such; one it
 * does not declare is followed when it stays on the destination's origin, else
 * it is left as the answer with a warning. 303 (and 301/302 after a POST)
 * continue as GET without the body.
 */
static enum act_status follow_redirects(struct run *r, struct act_error *err)
{
    struct act_request *q = r->req;
    struct act_buf url;
    act_buf_init(&url);
    enum act_status st = act_buf_adds(&url, q->url);
    for (int hops = 0; !st && undeclared_redirect(r->op, r->resp.status); hops++) {
        const char *loc = act_headers_get(&r->resp.headers, "Location");
        if (!loc || !*loc || strpbrk(loc, "\r\n"))
            break;
        struct act_buf next;
        act_buf_init(&next);
        if (resolve_location(url.data, loc, &next)) {
            act_buf_release(&next);
            st = ACT_ERR_NOMEM;
            break;
        }
        if (!same_origin(next.data, r->dest->url)) {
            /* The server's text: clipped, control characters escaped. */
            char e[ACT_ECHO_SIZE];
            act_echo(e, sizeof(e), next.data, next.len);
            st = act_msgs_add(&r->notes,
                              "%ld redirect to another origin not followed (Location: %s); "
                              "the %ld is checked as the answer",
                              r->resp.status, e, r->resp.status);
            act_buf_release(&next);
            break;
        }
        if (hops == ACT_MAX_REDIRECTS) {
            char e[ACT_ECHO_SIZE];
            act_echo(e, sizeof(e), url.data, url.len);
            act_buf_release(&next);
            act_buf_release(&url);
            return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                                 "too many redirects from %s (more than %d)", e, ACT_MAX_REDIRECTS);
        }
        long code = r->resp.status;
        if (code == 303 || ((code == 301 || code == 302) && strcmp(q->method, "POST") == 0)) {
            if (strcmp(q->method, "HEAD") != 0) {
                act_free(q->method);
                if (!(q->method = act_strdup("GET"))) {
                    act_buf_release(&next);
                    st = ACT_ERR_NOMEM;
                    break;
                }
            }
            act_free(q->body);
            q->body = NULL;
            q->body_len = 0;
            act_headers_remove(&q->headers, "Content-Type");
        }
        if (r->verbose)
            trace(r, "* following the %ld redirect", code);
        act_buf_release(&url);
        url = next;
        act_http_resp_release(&r->resp);
        act_http_resp_init(&r->resp);
        enum act_status cs =
            call(r, q->method, url.data, &q->headers, q->body, q->body_len, &r->resp, err);
        if (cs) {
            act_buf_release(&url);
            return cs;
        }
    }
    act_buf_release(&url);
    return st ? act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory") : ACT_OK;
}

/* Authenticate, CSRF, send, retry once on "x-csrf-token: Required", follow redirects. */
static enum act_status send_request(struct run *r, struct act_error *err)
{
    struct act_request *q = r->req;
    int fetched = 0;
    enum act_status st = act_auth_apply(r->dest, &r->http, &q->headers, &fetched, err);
    if (st)
        return st;
    if (r->verbose && r->dest->auth == ACT_AUTH_OAUTH2_CC)
        trace(r, "* OAuth2 token %s",
              fetched ? "obtained from the token service" : "taken from the cache");
    /* The token is now a secret of this run: mask it wherever it shows up. */
    const char *auth = act_headers_get(&q->headers, "Authorization");
    if (auth) {
        const char *sp = strchr(auth, ' ');
        if (act_redactor_add_secret(&r->red, sp ? sp + 1 : auth))
            return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    const char *csrf = NULL;
    int modifying =
        strcmp(q->method, "GET") && strcmp(q->method, "HEAD") && strcmp(q->method, "OPTIONS");
    char *cookie = NULL;
    if (modifying && (csrf = csrf_path(r->c)) != NULL) {
        const char *own = act_headers_get(&q->headers, "Cookie");
        if (own && !(cookie = act_strdup(own)))
            return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        st = csrf_fetch(r, csrf, &q->headers, cookie, err);
        if (st) {
            act_free(cookie);
            return st;
        }
    }
    r->sent = 1;
    st = call(r, q->method, q->url, &q->headers, q->body, q->body_len, &r->resp, err);
    if (!st && csrf && r->resp.status == 403) {
        const char *need = act_headers_get(&r->resp.headers, "x-csrf-token");
        if (need && strcasecmp(need, "Required") == 0) {
            if (r->verbose)
                trace(r, "* CSRF token rejected: fetching a new one and retrying once");
            act_headers_remove(&q->headers, "x-csrf-token");
            act_headers_remove(&q->headers, "Cookie");
            if (cookie && act_headers_add(&q->headers, "Cookie", cookie))
                st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            if (!st)
                st = csrf_fetch(r, csrf, &q->headers, cookie, err);
            if (!st)
                st = call(r, q->method, q->url, &q->headers, q->body, q->body_len, &r->resp, err);
        }
    }
    act_free(cookie);
    return st ? st : follow_redirects(r, err);
}

/* ------------------------------------------------------------- one action */

/* Forget the last action's request and outcome (the shared state stays). */
void test_run_reset(struct run *r)
{
    act_request_free(r->req);
    r->req = NULL;
    act_http_resp_release(&r->resp);
    act_http_resp_init(&r->resp);
    act_msgs_release(&r->problems);
    act_msgs_init(&r->problems);
    act_msgs_release(&r->notes);
    act_msgs_init(&r->notes);
    act_errlist_release(&r->verrs);
    act_errlist_init(&r->verrs, 0);
    act_free(r->display_url);
    r->display_url = NULL;
    act_free(r->skipped);
    r->skipped = NULL;
    act_error_init(&r->neterr);
    r->outcome = OUT_PASS;
    r->sent = 0;
}

/*
 * Build, send and check r->op. ACT_OK when the action came to an outcome
 * (r->outcome; for OUT_UNREACHABLE the reason is in r->neterr and in the
 * problems); otherwise the error that stopped it is in err (*missing 1 when
 * it was only a value nobody supplied).
 */
enum act_status test_run_one(struct run *r, const struct job *j, int *missing,
                             struct act_error *err)
{
    struct act_request_in in = {r->spec,      r->op,      r->dest->url, r->dest, j->params,
                                j->n_params,  j->headers, j->n_headers, j->body, j->body_len,
                                j->body_path, j->fill,    &r->notes,    missing};
    enum act_status st = act_request_build(&in, r->v, &r->req, &r->problems, err);
    if (st && st != ACT_ERR_CHECK)
        return st == ACT_ERR_NETWORK ? ACT_ERR_USAGE : st;
    r->display_url = act_strdup(r->req->url);
    if (!r->display_url)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == ACT_ERR_CHECK) {
        r->outcome = OUT_FAIL;
        return ACT_OK;
    }
    st = send_request(r, err);
    if (st == ACT_ERR_LIMIT) {
        /* The backend answered with more than we accept: the action failed. */
        if (act_msgs_add(&r->problems, "%s", err->msg))
            return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        r->outcome = OUT_FAIL;
        return ACT_OK;
    }
    if (st == ACT_ERR_NETWORK) {
        r->outcome = OUT_UNREACHABLE;
        r->neterr = *err;
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(err, buf, sizeof(buf));
        if (act_msgs_add(&r->problems, "%s", buf))
            return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return ACT_OK;
    }
    if (st)
        return st;
    struct act_check_in ci = {r->spec,
                              r->op,
                              r->resp.status,
                              &r->resp.headers,
                              r->resp.body.data,
                              r->resp.body.len,
                              strcmp(r->req->method, "HEAD") == 0,
                              &r->verrs};
    struct act_check_out co;
    if (!r->verrs.max) /* a struct run fresh from memset, not yet reset */
        act_errlist_init(&r->verrs, 0);
    st = act_check_response(&ci, r->v, &r->problems, &co, err);
    act_doc_free(co.body);
    if (st)
        return st;
    r->outcome = r->problems.n ? OUT_FAIL : OUT_PASS;
    return ACT_OK;
}
