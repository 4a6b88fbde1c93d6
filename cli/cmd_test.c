/*
 * cmd_test.c - `actions test [SPEC] ACTION --dest NAME ...`: run one action
 * against a destination and check the response against the spec; with --all,
 * every action of the project (or a filtered, sharded part), optionally in
 * parallel worker processes, with a summary line.
 *
 * Steps: load spec, destination (and the connector for OnPremise); build the
 * request and validate it (nothing is sent when it is invalid); route it;
 * authenticate; optional CSRF handshake; send; check; report as text, JSON or
 * JUnit. Every string that leaves the process passes the redactor first, which
 * knows the destination's secrets and the token of this run.
 *
 * --all --jobs N forks N workers (fork isolates them: a crash in one is one
 * failed action, and nothing shared needs locking). They take the next action
 * from a counter in shared memory and send one JSON line per result through a
 * pipe; the parent prints results in spec order as they complete.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "common/act_limits.h"
#include "common/act_redact.h"
#include "runner/auth.h"
#include "runner/check.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/http.h"
#include "runner/request.h"
#include "validator/validate.h"

static const char usage[] =
    "usage: actions test [SPEC] ACTION --dest NAME [-p NAME=VALUE]... [-H 'Name: value']...\n"
    "                    [--body FILE|-] [--format text|json|junit] [--timeout SECONDS]\n"
    "                    [--insecure] [--cacert FILE] [--max-size BYTES] [--any-dest] [-v]\n"
    "       actions test [SPEC] --all --dest NAME [--jobs N] [--shard K/N] [--method M]...\n"
    "                    [--tag TAG]... [-p NAME=VALUE]... [--fill] [--format ...] ...\n"
    "\n"
    "Build ACTION's request from the spec, send it to destination NAME and check the\n"
    "response: status declared, content type declared, JSON body valid against the schema,\n"
    "required headers present. --all runs every action of the project (or spec) and ends\n"
    "with a summary line.\n"
    "\n"
    "  --dest NAME          the destination (see: actions dest list)\n"
    "  -p, --param N=V      a parameter value (repeat, or a,b,c, for arrays; JSON for objects);\n"
    "                       required ones without -p come from the spec's examples/defaults;\n"
    "                       with --all, given to every action that has a parameter N\n"
    "  -H, --header 'N: V'  an extra header (wins over the destination's URL.headers.*)\n"
    "  --body FILE|-        the JSON request body (default: the spec's example)\n"
    "  --fill               required values with no -p and no example in the spec are\n"
    "                       generated from their schemas, and examples that do not match\n"
    "                       their schemas are replaced (for a mock: a real backend needs\n"
    "                       real values)\n"
    "  --all                every action; those that need a value nobody gave are skipped\n"
    "  --method M, --tag T  with --all: only these methods / tags (repeatable: any of them)\n"
    "  --jobs N             with --all: N actions at a time (default 1, at most 64)\n"
    "  --shard K/N          with --all: only the K-th of N equal parts (CI splits)\n"
    "  --format FORMAT      text (default), json (one object) or junit (XML)\n"
    "  --timeout SECONDS    connect and total timeout (default 30)\n"
    "  --insecure           do not verify TLS certificates (also: TrustAll=true)\n"
    "  --cacert FILE        CA certificates to verify the server with\n"
    "  --max-size BYTES     largest response body accepted (default 64 MiB)\n"
    "  --any-dest           accept a destination without\n"
    "                       sap.applicationdevelopment.actions.enabled=true\n"
    "  --destinations PATH  destinations file or directory\n"
    "  --connector FILE     connector file (for OnPremise destinations)\n"
    "  -v, --verbose        print request and response headers (secrets masked) to stderr\n"
    "  --spec FILE          the spec, when not given as SPEC\n"
    "\n"
    "Exit: 0 passed, 1 checks failed (or invalid parameters/body), 2 usage or invalid\n"
    "file, 3 backend not reachable. With --all: 1 when any action failed, else 3 when any\n"
    "was unreachable, else 0 (skipped actions do not fail the run).\n";

enum {
    OPT_BODY = 256,
    OPT_TIMEOUT,
    OPT_INSECURE,
    OPT_CACERT,
    OPT_MAXSIZE,
    OPT_ANYDEST,
    OPT_DESTS,
    OPT_CONN,
    OPT_ALL,
    OPT_FILL,
    OPT_JOBS,
    OPT_SHARD,
    OPT_METHOD,
    OPT_TAG
};

static const struct option options[] = {
    {"dest", required_argument, NULL, 'd'},
    {"param", required_argument, NULL, 'p'},
    {"header", required_argument, NULL, 'H'},
    {"body", required_argument, NULL, OPT_BODY},
    {"format", required_argument, NULL, 'f'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"max-size", required_argument, NULL, OPT_MAXSIZE},
    {"any-dest", no_argument, NULL, OPT_ANYDEST},
    {"destinations", required_argument, NULL, OPT_DESTS},
    {"connector", required_argument, NULL, OPT_CONN},
    {"all", no_argument, NULL, OPT_ALL},
    {"fill", no_argument, NULL, OPT_FILL},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"method", required_argument, NULL, OPT_METHOD},
    {"tag", required_argument, NULL, OPT_TAG},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

enum fmt { FMT_TEXT, FMT_JSON, FMT_JUNIT };
enum outcome { OUT_PASS, OUT_FAIL, OUT_UNREACHABLE, OUT_SKIP };

/* What the user gave for the request (borrowed from argv and the --body file). */
struct job {
    const struct act_arg *params; /* -p arguments */
    size_t n_params;
    const char *const *headers; /* -H lines */
    size_t n_headers;
    const char *body; /* --body contents, or NULL */
    size_t body_len;
    const char *body_path; /* --body FILE, for messages */
    int fill;              /* --fill */
};

/* One run of one action (reset between the actions of --all). */
struct run {
    struct cli_ctx *c;
    const struct act_spec *spec;
    const struct act_op *op;
    const struct act_dest *dest;
    const struct act_connector *conn;
    struct act_validator *v;
    struct act_http_opts http;
    struct act_redactor red; /* secrets of the destination and of this process's runs */
    int verbose;
    struct act_request *req;   /* the request (also when it was not sent) */
    struct act_http_resp resp; /* the final response */
    struct act_msgs problems;  /* what failed */
    struct act_msgs notes;     /* warnings (the spec's own examples) */
    struct act_error neterr;   /* why the backend was not reached */
    enum outcome outcome;
    int sent;          /* the request went out */
    char *display_url; /* the destination URL + path, for reports */
    char *skipped;     /* why the action was not run (--all), or NULL */
    int tag_traces;    /* --all: -v lines start with "[ACTION] " (workers interleave) */
};

/* ------------------------------------------------------------- redaction */

/* s with every secret masked (act_free); NULL only when out of memory. */
static char *redacted(struct run *r, const char *s, size_t len)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_redact_text(&r->red, s, len, &b)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

static void print_error(struct run *r, const struct act_error *err)
{
    char buf[ACT_ERROR_MSG_MAX * 3];
    act_error_format(err, buf, sizeof(buf));
    char *s = redacted(r, buf, strlen(buf));
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
    char *s = redacted(r, text, len);
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
static enum act_status resolve_location(const char *base, const char *loc, struct act_buf *out)
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
            st = act_msgs_add(&r->notes,
                              "%ld redirect to another origin not followed (Location: %s); "
                              "the %ld is checked as the answer",
                              r->resp.status, next.data, r->resp.status);
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

/* ---------------------------------------------------------------- output */

/* The body as a cJSON value for reports: parsed JSON (masked) or a string, NULL when empty. */
static cJSON *body_value(struct run *r)
{
    if (!r->sent || r->resp.body.len == 0)
        return NULL;
    char *s = redacted(r, r->resp.body.data, r->resp.body.len);
    if (!s)
        return NULL;
    const char *ct = act_headers_get(&r->resp.headers, "Content-Type");
    cJSON *j = ct && act_media_is_json(ct) ? cJSON_ParseWithLength(s, strlen(s)) : NULL;
    if (!j)
        j = cJSON_CreateString(s);
    act_free(s);
    return j;
}

static const char *const outcome_names[] = {"passed", "failed", "unreachable", "skipped"};

static const char *rec_str(const cJSON *rec, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static enum outcome rec_outcome(const cJSON *rec)
{
    const char *o = rec_str(rec, "outcome");
    for (int i = 0; o && i < 4; i++)
        if (strcmp(o, outcome_names[i]) == 0)
            return (enum outcome)i;
    return OUT_FAIL;
}

/* An array named key in o with each message of m, masked; 0 when out of memory. */
static int add_msgs(struct run *r, cJSON *o, const char *key, const struct act_msgs *m)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    int ok = a != NULL;
    for (size_t i = 0; ok && i < m->n; i++) {
        char *s = redacted(r, m->v[i], strlen(m->v[i]));
        cJSON *item = s ? cJSON_CreateString(s) : NULL;
        ok = item && cJSON_AddItemToArray(a, item);
        act_free(s);
    }
    return ok;
}

/*
 * The report of the run as an object, secrets masked, without the body:
 * action, method, url, status, reason, duration_ms, passed, outcome, errors,
 * warnings, and skipped (why) for an action --all did not run. NULL when out
 * of memory (never an object with a field missing).
 */
static cJSON *record(struct run *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char method[16];
    snprintf(method, sizeof(method), "%s", r->req ? r->req->method : r->op->method);
    for (char *m = method; *m; m++)
        *m = (char)toupper((unsigned char)*m);
    int ok = cJSON_AddStringToObject(o, "action", r->op->id) &&
             cJSON_AddStringToObject(o, "method", method);
    char *u = r->display_url ? redacted(r, r->display_url, strlen(r->display_url)) : NULL;
    if (r->display_url && !u)
        ok = 0;
    ok = ok && (u ? cJSON_AddStringToObject(o, "url", u) : cJSON_AddNullToObject(o, "url"));
    act_free(u);
    if (r->sent && r->resp.status)
        ok = ok && cJSON_AddNumberToObject(o, "status", (double)r->resp.status) &&
             cJSON_AddStringToObject(o, "reason", r->resp.reason ? r->resp.reason : "");
    else
        ok = ok && cJSON_AddNullToObject(o, "status") && cJSON_AddNullToObject(o, "reason");
    ok = ok &&
         cJSON_AddNumberToObject(o, "duration_ms", r->sent ? (double)r->resp.duration_ms : 0) &&
         cJSON_AddBoolToObject(o, "passed", r->outcome == OUT_PASS) &&
         cJSON_AddStringToObject(o, "outcome", outcome_names[r->outcome]) &&
         add_msgs(r, o, "errors", &r->problems) && add_msgs(r, o, "warnings", &r->notes);
    if (ok && r->skipped) {
        char *s = redacted(r, r->skipped, strlen(r->skipped));
        ok = s && cJSON_AddStringToObject(o, "skipped", s);
        act_free(s);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* "200 OK 12 ms" for a record into b (left empty when out of memory). */
static void status_text(const cJSON *rec, struct act_buf *b)
{
    enum act_status st;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
    const char *reason = rec_str(rec, "reason");
    enum outcome o = rec_outcome(rec);
    if (o == OUT_UNREACHABLE)
        st = act_buf_adds(b, "(backend not reachable)");
    else if (o == OUT_SKIP)
        st = act_buf_adds(b, "(not run)");
    else if (!cJSON_IsNumber(status))
        st = act_buf_adds(b, "(request not sent)");
    else
        st = act_buf_printf(b, "%d%s%s %ld ms", status->valueint, reason && *reason ? " " : "",
                            reason ? reason : "", cJSON_IsNumber(ms) ? (long)ms->valuedouble : 0L);
    if (st)
        act_buf_reset(b);
}

/* Bytes of a non-JSON body shown on a terminal (the rest is summarized). */
#define TTY_BODY_MAX 65536

/* A text body for a terminal: control characters (escape sequences a hostile
 * server could send) are shown as \xNN; long bodies are clipped. */
static void print_text_body(const char *s)
{
    size_t len = strlen(s), n = len < TTY_BODY_MAX ? len : TTY_BODY_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
            printf("\\x%02x", ch);
        else
            putchar(ch);
    }
    if (n < len)
        printf("\n... (%zu more bytes; --format json prints the whole body)\n", len - n);
    else if (n == 0 || s[n - 1] != '\n')
        putchar('\n');
}

/* One action as text: "PASS get.hello 200 OK 3 ms", then problems and warnings indented. */
static void print_record_text(const cJSON *rec)
{
    static const char *const words[] = {"PASS", "FAIL", "FAIL", "SKIP"};
    struct act_buf st;
    act_buf_init(&st);
    status_text(rec, &st);
    const char *id = rec_str(rec, "action");
    printf("%s %s %s\n", words[rec_outcome(rec)], id ? id : "?", st.len ? st.data : "");
    act_buf_release(&st);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "errors"))
    {
        if (cJSON_IsString(e))
            printf("  %s\n", e->valuestring);
    }
    if (rec_str(rec, "skipped"))
        printf("  %s\n", rec_str(rec, "skipped"));
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "warnings"))
    {
        if (cJSON_IsString(e))
            printf("  warning: %s\n", e->valuestring);
    }
}

/* XML text: markup escaped, control characters and invalid UTF-8 replaced. */
static void xml_put(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c == '&')
            fputs("&amp;", f);
        else if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else if (c == '\'')
            fputs("&apos;", f);
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            fputs("\xEF\xBF\xBD", f);
        else if (c < 0x80)
            fputc((int)c, f);
        else {
            /* Copy one well-formed UTF-8 sequence, else U+FFFD for the byte. */
            int n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
            int ok = n > 0;
            for (int i = 1; ok && i < n; i++)
                ok = (p[i] & 0xC0) == 0x80;
            if (ok && n == 3) {
                unsigned cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
                ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
            } else if (ok && n == 4) {
                unsigned cp = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) |
                              (p[3] & 0x3F);
                ok = cp >= 0x10000 && cp <= 0x10FFFF;
            }
            if (ok) {
                fwrite(p, 1, (size_t)n, f);
                p += n;
                continue;
            }
            fputs("\xEF\xBF\xBD", f);
        }
        p++;
    }
}

/* Counts of outcomes over records. */
struct tally {
    size_t n[4]; /* by enum outcome */
    size_t total;
    double secs; /* wall time of the whole run */
};

static void tally_add(struct tally *t, const cJSON *rec)
{
    t->n[rec_outcome(rec)]++;
    t->total++;
}

/* JUnit XML for n records: one testsuite (the spec), one testcase per action. */
static void print_junit(const struct run *r, cJSON *const *recs, size_t n, const struct tally *t)
{
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    printf("<testsuites name=\"actions\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
           "time=\"%.3f\">\n",
           n, t->n[OUT_FAIL], t->n[OUT_UNREACHABLE], t->secs);
    printf("  <testsuite name=\"");
    xml_put(stdout, r->spec->title ? r->spec->title : r->spec->doc->path);
    printf("\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", n,
           t->n[OUT_FAIL], t->n[OUT_UNREACHABLE], t->n[OUT_SKIP], t->secs);
    for (size_t i = 0; i < n; i++) {
        const cJSON *rec = recs[i];
        enum outcome o = rec_outcome(rec);
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
        double secs = cJSON_IsNumber(ms) ? ms->valuedouble / 1000.0 : 0;
        printf("    <testcase name=\"");
        xml_put(stdout, rec_str(rec, "action") ? rec_str(rec, "action") : "?");
        printf("\" classname=\"");
        xml_put(stdout, r->dest ? r->dest->name : "actions");
        printf("\" time=\"%.3f\">\n", secs);
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors");
        if (o == OUT_FAIL || o == OUT_UNREACHABLE) {
            const char *tag = o == OUT_UNREACHABLE ? "error" : "failure";
            const cJSON *first = cJSON_GetArrayItem(errs, 0);
            printf("      <%s type=\"%s\" message=\"", tag,
                   o == OUT_UNREACHABLE ? "unreachable" : "check");
            xml_put(stdout, cJSON_IsString(first) ? first->valuestring : "failed");
            printf("\">");
            const cJSON *e;
            cJSON_ArrayForEach(e, errs)
            {
                if (cJSON_IsString(e)) {
                    xml_put(stdout, e->valuestring);
                    xml_put(stdout, "\n");
                }
            }
            printf("</%s>\n", tag);
        } else if (o == OUT_SKIP) {
            printf("      <skipped message=\"");
            xml_put(stdout, rec_str(rec, "skipped") ? rec_str(rec, "skipped") : "not run");
            printf("\"/>\n");
        }
        struct act_buf st;
        act_buf_init(&st);
        status_text(rec, &st);
        printf("      <system-out>");
        xml_put(stdout, rec_str(rec, "method") ? rec_str(rec, "method") : "");
        printf(" ");
        xml_put(stdout, rec_str(rec, "url") ? rec_str(rec, "url") : "");
        printf(" -&gt; ");
        xml_put(stdout, st.len ? st.data : "");
        printf("</system-out>\n");
        act_buf_release(&st);
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(rec, "warnings");
        if (cJSON_GetArraySize(w) > 0) {
            printf("      <system-err>");
            const cJSON *e;
            cJSON_ArrayForEach(e, w)
            {
                if (cJSON_IsString(e)) {
                    xml_put(stdout, "warning: ");
                    xml_put(stdout, e->valuestring);
                    xml_put(stdout, "\n");
                }
            }
            printf("</system-err>\n");
        }
        printf("    </testcase>\n");
    }
    printf("  </testsuite>\n</testsuites>\n");
}

/* The report of a single action in format f. */
static void report(struct run *r, enum fmt f)
{
    cJSON *rec = record(r);
    if (!rec) {
        fprintf(stderr, "%s: error: out of memory\n", r->c->prog);
        return;
    }
    if (f == FMT_JSON) {
        cJSON *b = body_value(r);
        if (b ? !cJSON_AddItemToObject(rec, "body", b) : !cJSON_AddNullToObject(rec, "body")) {
            cJSON_Delete(b);
            cJSON_Delete(rec);
            fprintf(stderr, "%s: error: out of memory\n", r->c->prog);
            return;
        }
        cli_print_json(stdout, rec);
    } else if (f == FMT_JUNIT) {
        struct tally t = {{0}, 0, r->sent ? (double)r->resp.duration_ms / 1000.0 : 0};
        tally_add(&t, rec);
        print_junit(r, &rec, 1, &t);
    } else {
        print_record_text(rec);
        if (r->c->stdout_tty && r->sent && r->resp.body.len) {
            cJSON *b = body_value(r);
            if (cJSON_IsString(b))
                print_text_body(b->valuestring);
            else if (b)
                cli_print_json(stdout, b);
            cJSON_Delete(b);
        }
    }
    cJSON_Delete(rec);
}

/* ------------------------------------------------------------- one action */

/* Forget the last action's request and outcome (the shared state stays). */
static void run_reset(struct run *r)
{
    act_request_free(r->req);
    r->req = NULL;
    act_http_resp_release(&r->resp);
    act_http_resp_init(&r->resp);
    act_msgs_release(&r->problems);
    act_msgs_init(&r->problems);
    act_msgs_release(&r->notes);
    act_msgs_init(&r->notes);
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
static enum act_status run_one(struct run *r, const struct job *j, int *missing,
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
                              strcmp(r->req->method, "HEAD") == 0};
    struct act_check_out co;
    st = act_check_response(&ci, r->v, &r->problems, &co, err);
    act_doc_free(co.body);
    if (st)
        return st;
    r->outcome = r->problems.n ? OUT_FAIL : OUT_PASS;
    return ACT_OK;
}

/* ------------------------------------------------------------------ --all */

/* What --all runs. */
struct plan {
    const struct act_op **ops; /* selected actions, spec order */
    size_t n;
    const struct job *job; /* the user's values (all -p, for every action) */
};

/* Run op with the -p values that name one of its parameters; its record (NULL: out of memory). */
static cJSON *run_record(struct run *r, const struct act_op *op, const struct job *all)
{
    run_reset(r);
    r->op = op;
    struct act_param *params = NULL;
    size_t n = 0;
    struct act_error err;
    act_error_init(&err);
    struct act_arg *mine = act_calloc(all->n_params + 1, sizeof(*mine));
    if (!mine)
        return NULL;
    enum act_status st = act_spec_op_params(r->spec, op, &params, &n, &err);
    struct job j = *all;
    j.params = mine;
    j.n_params = 0;
    for (size_t i = 0; !st && i < all->n_params; i++)
        for (size_t k = 0; k < n; k++)
            if (strcmp(params[k].name, all->params[i].name) == 0) {
                mine[j.n_params++] = all->params[i];
                break;
            }
    int missing = 0;
    if (!st)
        st = run_one(r, &j, &missing, &err);
    act_free(params);
    act_free(mine);
    if (st == ACT_ERR_NOMEM)
        return NULL;
    if (st) {
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, buf, sizeof(buf));
        if (missing) {
            r->outcome = OUT_SKIP;
            if (!(r->skipped = act_strdup(buf)))
                return NULL;
        } else {
            r->outcome = OUT_FAIL;
            if (act_msgs_add(&r->problems, "%s", buf))
                return NULL;
        }
    }
    return record(r);
}

/* Write all of len bytes of s to fd; -1 on failure. */
static int write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

/* A worker: take the next action from *next until none is left; one JSON line per
 * event on fd: {"i":N,"start":true} before, the record with "i" after. */
static void worker(struct run *r, const struct plan *p, int *next, int fd)
{
    for (;;) {
        int i = __atomic_fetch_add(next, 1, __ATOMIC_SEQ_CST);
        if (i < 0 || (size_t)i >= p->n)
            return;
        char start[64];
        int l = snprintf(start, sizeof(start), "{\"i\":%d,\"start\":true}\n", i);
        if (write_all(fd, start, (size_t)l))
            return;
        cJSON *rec = run_record(r, p->ops[i], p->job);
        char *line = NULL;
        if (rec && cJSON_AddNumberToObject(rec, "i", i))
            line = cJSON_PrintUnformatted(rec);
        cJSON_Delete(rec);
        if (!line) /* out of memory: the parent reports the action as stopped */
            return;
        int bad = write_all(fd, line, strlen(line)) || write_all(fd, "\n", 1);
        cJSON_free(line);
        if (bad)
            return;
    }
}

/* One worker as the parent sees it. */
struct wk {
    pid_t pid;
    int fd;            /* read end of its pipe, -1 once closed */
    struct act_buf in; /* bytes of an incomplete line */
    long cur;          /* action it started and has not reported, or -1 */
};

/* A failed record for an action whose worker stopped before reporting it. */
static cJSON *stopped_record(struct run *r, const struct act_op *op, const char *why)
{
    run_reset(r);
    r->op = op;
    r->outcome = OUT_FAIL;
    if (act_msgs_add(&r->problems, "%s", why))
        return NULL;
    return record(r);
}

struct results {
    cJSON **recs;   /* by plan index, NULL until known */
    size_t printed; /* records before this index are printed (text format) */
    enum fmt fmt;
};

/* Print the records that are now next in order (text format streams). */
static void flush_in_order(struct results *res, size_t n)
{
    if (res->fmt != FMT_TEXT)
        return;
    while (res->printed < n && res->recs[res->printed]) {
        print_record_text(res->recs[res->printed++]);
        fflush(stdout);
    }
}

/* Handle the complete lines in w->in. */
static void take_lines(struct run *r, const struct plan *p, struct wk *w, struct results *res)
{
    char *data = w->in.data;
    size_t used = 0;
    for (;;) {
        char *nl = memchr(data + used, '\n', w->in.len - used);
        if (!nl)
            break;
        cJSON *rec = cJSON_ParseWithLength(data + used, (size_t)(nl - (data + used)));
        used = (size_t)(nl - data) + 1;
        const cJSON *iv = cJSON_GetObjectItemCaseSensitive(rec, "i");
        if (!cJSON_IsNumber(iv) || iv->valuedouble < 0 || iv->valuedouble >= (double)p->n) {
            cJSON_Delete(rec);
            continue;
        }
        size_t i = (size_t)iv->valuedouble;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "start"))) {
            w->cur = (long)i;
            cJSON_Delete(rec);
            continue;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(rec, "i");
        if (!res->recs[i])
            res->recs[i] = rec;
        else
            cJSON_Delete(rec);
        w->cur = -1;
    }
    memmove(data, data + used, w->in.len - used);
    w->in.len -= used;
    flush_in_order(res, p->n);
    (void)r;
}

/* Run the plan in jobs worker processes, filling res->recs. 0, or -1 when they could not start. */
static int run_workers(struct run *r, const struct plan *p, int jobs, struct results *res)
{
    int *next = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (next == MAP_FAILED)
        return cli_fail(r->c, "cannot share memory with the workers: %s", strerror(errno)), -1;
    *next = 0;
    struct wk *ws = act_calloc((size_t)jobs, sizeof(*ws));
    struct pollfd *pf = act_calloc((size_t)jobs, sizeof(*pf));
    int started = 0, rc = 0;
    if (!ws || !pf) {
        rc = cli_fail(r->c, "out of memory") ? -1 : -1;
        goto done;
    }
    fflush(NULL); /* nothing buffered may be written twice */
    for (; started < jobs; started++) {
        int fds[2];
        if (pipe(fds) != 0)
            break;
        pid_t pid = fork();
        if (pid < 0) {
            close(fds[0]);
            close(fds[1]);
            break;
        }
        if (pid == 0) {
            close(fds[0]);
            for (int k = 0; k < started; k++)
                close(ws[k].fd);
            worker(r, p, next, fds[1]);
            close(fds[1]);
            fflush(NULL);
            _exit(0);
        }
        close(fds[1]);
        ws[started].pid = pid;
        ws[started].fd = fds[0];
        ws[started].cur = -1;
        act_buf_init(&ws[started].in);
    }
    if (started == 0) {
        rc = cli_fail(r->c, "cannot start worker processes: %s", strerror(errno)) ? -1 : -1;
        goto done;
    }
    for (int open = started; open > 0;) {
        for (int k = 0; k < started; k++) {
            pf[k].fd = ws[k].fd;
            pf[k].events = POLLIN;
            pf[k].revents = 0;
        }
        if (poll(pf, (nfds_t)started, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 0; k < started; k++) {
            struct wk *w = &ws[k];
            if (w->fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char chunk[65536];
            ssize_t got = read(w->fd, chunk, sizeof(chunk));
            if (got < 0 && errno == EINTR)
                continue;
            if (got > 0) {
                if (act_buf_add(&w->in, chunk, (size_t)got)) {
                    kill(w->pid, SIGKILL);
                    got = 0;
                } else {
                    take_lines(r, p, w, res);
                    continue;
                }
            }
            /* End of this worker: reap it; an action it left unreported failed. */
            close(w->fd);
            w->fd = -1;
            open--;
            int status = 0;
            while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
                ;
            if (w->cur >= 0 && !res->recs[w->cur]) {
                char why[160];
                if (WIFSIGNALED(status))
                    snprintf(why, sizeof(why),
                             "the worker running this action stopped on signal %d (%s)",
                             WTERMSIG(status), strsignal(WTERMSIG(status)));
                else
                    snprintf(why, sizeof(why),
                             "the worker running this action stopped without a result "
                             "(exit status %d)",
                             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
                res->recs[w->cur] = stopped_record(r, p->ops[w->cur], why);
                flush_in_order(res, p->n);
            }
            w->cur = -1;
        }
    }
done:
    for (int k = 0; ws && k < started; k++) {
        if (ws[k].fd >= 0) {
            close(ws[k].fd);
            kill(ws[k].pid, SIGKILL);
            waitpid(ws[k].pid, NULL, 0);
        }
        act_buf_release(&ws[k].in);
    }
    act_free(ws);
    act_free(pf);
    munmap(next, sizeof(int));
    return rc;
}

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run every action of the plan and report; the exit code. */
static int run_all(struct run *r, const struct plan *p, int jobs, enum fmt fmt)
{
    struct results res = {act_calloc(p->n ? p->n : 1, sizeof(cJSON *)), 0, fmt};
    if (!res.recs)
        return cli_fail(r->c, "out of memory");
    double t0 = now_secs();
    int rc = CLI_EXIT_OK;
    if (jobs > 1 && p->n > 1) {
        if (run_workers(r, p, jobs < (int)p->n ? jobs : (int)p->n, &res))
            rc = CLI_EXIT_USAGE;
    } else {
        for (size_t i = 0; i < p->n; i++) {
            res.recs[i] = run_record(r, p->ops[i], p->job);
            if (!res.recs[i]) {
                rc = cli_fail(r->c, "out of memory");
                break;
            }
            flush_in_order(&res, p->n);
        }
    }
    struct tally t = {{0}, 0, now_secs() - t0};
    for (size_t i = 0; rc == CLI_EXIT_OK && i < p->n; i++) {
        if (!res.recs[i]) /* every worker stopped before this one was taken */
            res.recs[i] = stopped_record(r, p->ops[i], "not run: every worker process stopped");
        if (!res.recs[i]) {
            rc = cli_fail(r->c, "out of memory");
            break;
        }
        tally_add(&t, res.recs[i]);
    }
    if (rc == CLI_EXIT_OK) {
        char line[256];
        snprintf(line, sizeof(line),
                 "%zu passed, %zu failed, %zu unreachable, %zu skipped (%zu action%s, %.2f s)",
                 t.n[OUT_PASS], t.n[OUT_FAIL], t.n[OUT_UNREACHABLE], t.n[OUT_SKIP], t.total,
                 t.total == 1 ? "" : "s", t.secs);
        if (fmt == FMT_TEXT) {
            flush_in_order(&res, p->n);
            printf("%s\n", line);
        } else {
            if (fmt == FMT_JSON) {
                cJSON *o = cJSON_CreateObject();
                cJSON *a = cJSON_AddArrayToObject(o, "actions");
                for (size_t i = 0; a && i < p->n; i++) {
                    cJSON_AddItemToArray(a, res.recs[i]);
                    res.recs[i] = NULL;
                }
                cJSON *s = cJSON_AddObjectToObject(o, "summary");
                for (int k = 0; s && k < 4; k++)
                    if (!cJSON_AddNumberToObject(s, outcome_names[k], (double)t.n[k]))
                        s = NULL;
                if (s && (!cJSON_AddNumberToObject(s, "total", (double)t.total) ||
                          !cJSON_AddNumberToObject(s, "seconds",
                                                   (double)(long long)(t.secs * 1000) / 1000)))
                    s = NULL;
                if (o && a && s)
                    cli_print_json(stdout, o);
                else
                    rc = cli_fail(r->c, "out of memory");
                cJSON_Delete(o);
            } else {
                print_junit(r, res.recs, p->n, &t);
            }
            fprintf(stderr, "%s\n", line);
        }
        if (rc == CLI_EXIT_OK)
            rc = t.n[OUT_FAIL]          ? CLI_EXIT_FAILED
                 : t.n[OUT_UNREACHABLE] ? CLI_EXIT_UNREACHABLE
                                        : CLI_EXIT_OK;
    }
    for (size_t i = 0; i < p->n; i++)
        cJSON_Delete(res.recs[i]);
    act_free(res.recs);
    return rc;
}

/* ----------------------------------------------------------- the command */

/* Read all of path ("-" = stdin) into *out (act_free), at most limit bytes. */
static int read_body(struct cli_ctx *c, const char *path, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    struct act_buf b;
    act_buf_init(&b);
    if (!f)
        return cli_fail(c, "cannot open --body \"%s\": %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > (size_t)ACT_MAX_BODY_BYTES || act_buf_add(&b, chunk, n)) {
            if (f != stdin)
                fclose(f);
            act_buf_release(&b);
            return cli_fail(c, "--body \"%s\" is larger than %lld bytes", path,
                            (long long)ACT_MAX_BODY_BYTES);
        }
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        act_buf_release(&b);
        return cli_fail(c, "cannot read --body \"%s\"", path);
    }
    *out = act_buf_detach(&b, len);
    return *out ? 0 : cli_fail(c, "out of memory");
}

/* A positive number of seconds (fractions allowed) as milliseconds, or -1. */
static long parse_seconds(const char *s)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || !(d > 0) || d > 86400)
        return -1;
    long ms = (long)(d * 1000);
    return ms > 0 ? ms : 1;
}

static long long parse_size(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    long long mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1024, end++;
    else if (*end == 'm' || *end == 'M')
        mul = 1024 * 1024, end++;
    else if (*end == 'g' || *end == 'G')
        mul = 1024LL * 1024 * 1024, end++;
    if (errno || end == s || *end || v <= 0 || v > (1LL << 40) / mul)
        return -1;
    return v * mul;
}

/* "K/N" with 1 <= K <= N <= 10000 into *k, *n; -1 when malformed. */
static int parse_shard(const char *s, int *k, int *n)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || *end != '/')
        return -1;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (errno || end == t || *end || a < 1 || b < 1 || a > b || b > 10000)
        return -1;
    *k = (int)a;
    *n = (int)b;
    return 0;
}

static int has_tag(const struct act_op *op, char **tags, size_t n_tags)
{
    if (n_tags == 0)
        return 1;
    const cJSON *t;
    cJSON_ArrayForEach(t, op->tags)
    {
        for (size_t i = 0; i < n_tags; i++)
            if (cJSON_IsString(t) && strcmp(t->valuestring, tags[i]) == 0)
                return 1;
    }
    return 0;
}

static int has_method(const struct act_op *op, char **methods, size_t n_methods)
{
    if (n_methods == 0)
        return 1;
    for (size_t i = 0; i < n_methods; i++)
        if (strcasecmp(op->method, methods[i]) == 0)
            return 1;
    return 0;
}

/* A "Name: value" line -H accepts (checked once for --all, not per action). */
static int header_line_ok(const char *h)
{
    const char *colon = strchr(h, ':');
    return colon && colon != h && !strpbrk(h, "\r\n");
}

int cmd_test(int argc, char **argv, struct cli_ctx *c)
{
    struct run r;
    memset(&r, 0, sizeof(r));
    r.c = c;
    act_redactor_init(&r.red);
    act_http_resp_init(&r.resp);
    act_msgs_init(&r.problems);
    act_msgs_init(&r.notes);
    act_error_init(&r.neterr);
    struct act_arg *params = act_calloc((size_t)argc + 1, sizeof(*params));
    const char **headers = act_calloc((size_t)argc + 1, sizeof(*headers));
    char **methods = act_calloc((size_t)argc + 1, sizeof(*methods));
    char **tags = act_calloc((size_t)argc + 1, sizeof(*tags));
    const struct act_op **sel = NULL;
    size_t n_params = 0, n_headers = 0, n_methods = 0, n_tags = 0;
    const char *dest_name = NULL, *body_path = NULL, *dests_opt = NULL, *conn_opt = NULL;
    enum fmt fmt = FMT_TEXT;
    int any_dest = 0, all = 0, fill = 0, jobs = 1, shard_k = 1, shard_n = 1;
    int rc = CLI_EXIT_USAGE, opt;
    char *body = NULL;
    size_t body_len = 0;
    struct act_spec *spec = NULL;
    struct act_destset *dests = NULL;
    struct act_connector *conn = NULL;
    struct act_error err;
    act_error_init(&err);
    if (!params || !headers || !methods || !tags) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }

    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "d:p:H:f:vh", options, NULL)) != -1) {
        switch (opt) {
        case 'd': dest_name = optarg; break;
        case 'p': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) {
                rc = cli_fail(c, "-p expects NAME=VALUE, got \"%s\"", optarg);
                goto done;
            }
            *eq = '\0';
            params[n_params].name = optarg;
            params[n_params++].value = eq + 1;
            break;
        }
        case 'H': headers[n_headers++] = optarg; break;
        case OPT_BODY: body_path = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                fmt = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                fmt = FMT_JSON;
            else if (strcmp(optarg, "junit") == 0)
                fmt = FMT_JUNIT;
            else {
                rc = cli_fail(c, "unknown --format \"%s\" (text, json or junit)", optarg);
                goto done;
            }
            break;
        case OPT_TIMEOUT:
            r.http.timeout_ms = parse_seconds(optarg);
            if (r.http.timeout_ms < 0) {
                rc = cli_fail(c, "--timeout expects a positive number of seconds, got \"%s\"",
                              optarg);
                goto done;
            }
            break;
        case OPT_INSECURE: r.http.insecure = 1; break;
        case OPT_CACERT: r.http.cacert = optarg; break;
        case OPT_MAXSIZE:
            r.http.max_size = parse_size(optarg);
            if (r.http.max_size < 0) {
                rc = cli_fail(c,
                              "--max-size expects a positive number of bytes (K, M, G "
                              "suffixes allowed), got \"%s\"",
                              optarg);
                goto done;
            }
            break;
        case OPT_ANYDEST: any_dest = 1; break;
        case OPT_DESTS: dests_opt = optarg; break;
        case OPT_CONN: conn_opt = optarg; break;
        case OPT_ALL: all = 1; break;
        case OPT_FILL: fill = 1; break;
        case OPT_JOBS: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 1 || n > ACT_MAX_TEST_JOBS) {
                rc = cli_fail(c, "--jobs expects a number from 1 to %d, got \"%s\"",
                              ACT_MAX_TEST_JOBS, optarg);
                goto done;
            }
            jobs = (int)n;
            break;
        }
        case OPT_SHARD:
            if (parse_shard(optarg, &shard_k, &shard_n)) {
                rc = cli_fail(c, "--shard expects K/N with 1 <= K <= N, got \"%s\"", optarg);
                goto done;
            }
            break;
        case OPT_METHOD: methods[n_methods++] = optarg; break;
        case OPT_TAG: tags[n_tags++] = optarg; break;
        case 'v': r.verbose = 1; break;
        case 'h': rc = cli_usage(c, usage, 0); goto done;
        default:
            fprintf(stderr, "%s: error: unknown or incomplete option \"%s\"\n", c->prog,
                    argv[optind - 1]);
            rc = cli_usage(c, usage, 1);
            goto done;
        }
    }
    int npos = argc - optind;
    if (all ? npos > 1 : npos < 1 || npos > 2) {
        if (all)
            fprintf(stderr, "%s: error: --all runs every action: give SPEC at most, no ACTION\n",
                    c->prog);
        rc = cli_usage(c, usage, 1);
        goto done;
    }
    if (!dest_name) {
        fprintf(stderr, "%s: error: test needs --dest NAME (see: %s dest list)\n", c->prog,
                c->prog);
        rc = cli_usage(c, usage, 1);
        goto done;
    }
    if (!all && (jobs != 1 || shard_n != 1 || n_methods || n_tags)) {
        rc = cli_fail(c, "--jobs, --shard, --method and --tag go with --all");
        goto done;
    }
    if (all && body_path) {
        rc = cli_fail(c, "--body is for one ACTION: with --all each action sends the spec's "
                         "example (or, with --fill, a generated body)");
        goto done;
    }
    for (size_t i = 0; all && i < n_headers; i++)
        if (!header_line_ok(headers[i])) {
            rc = cli_fail(c, "-H expects 'Name: value' without CR or LF, got \"%s\"", headers[i]);
            goto done;
        }
    if (r.http.cacert && access(r.http.cacert, R_OK) != 0) {
        rc = cli_fail(c, "cannot read --cacert \"%s\": %s", r.http.cacert, strerror(errno));
        goto done;
    }
    const char *spec_path =
        all ? (npos == 1 ? argv[optind] : NULL) : (npos == 2 ? argv[optind] : NULL);
    if (body_path && read_body(c, body_path, &body, &body_len))
        goto done;

    enum act_status st = cli_load_spec(c, spec_path, 0, &spec);
    if (st) {
        rc = cli_exit_code(st);
        goto done;
    }
    r.spec = spec;
    size_t n_sel = 0;
    if (all) {
        /* The plan: filters, then the shard (position in the filtered list). */
        sel = act_calloc(spec->n_ops ? spec->n_ops : 1, sizeof(*sel));
        if (!sel) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
        size_t pos = 0;
        for (size_t i = 0; i < spec->n_ops; i++) {
            const struct act_op *op = &spec->ops[i];
            if (!has_method(op, methods, n_methods) || !has_tag(op, tags, n_tags))
                continue;
            if (pos++ % (size_t)shard_n == (size_t)(shard_k - 1))
                sel[n_sel++] = op;
        }
        if (pos == 0) {
            rc = cli_fail(c, "no action of %s matches --method/--tag (see: %s list)",
                          spec->doc->path, c->prog);
            goto done;
        }
        /* Every -p must mean something to at least one action of the run. */
        for (size_t i = 0; i < n_params; i++) {
            int used = 0;
            for (size_t k = 0; !used && k < n_sel; k++) {
                struct act_param *ps = NULL;
                size_t np = 0;
                if (act_spec_op_params(spec, sel[k], &ps, &np, &err)) {
                    act_error_init(&err);
                    continue;
                }
                for (size_t m = 0; m < np && !used; m++)
                    used = strcmp(ps[m].name, params[i].name) == 0;
                act_free(ps);
            }
            if (!used && n_sel) {
                rc = cli_fail(c, "-p %s: no action of this run has a parameter \"%s\"",
                              params[i].name, params[i].name);
                goto done;
            }
        }
    } else {
        r.op = cli_find_op(c, spec, argv[argc - 1]);
        if (!r.op)
            goto done;
    }

    st = cli_load_dests(c, dests_opt, &dests);
    if (st) {
        rc = cli_exit_code(st);
        goto done;
    }
    r.dest = cli_find_dest(c, dests, dest_name);
    if (!r.dest)
        goto done;
    if (act_dest_add_secrets(r.dest, &r.red)) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    /* A secret given with -H (Authorization, an API key) is masked wherever it shows up. */
    for (size_t i = 0; i < n_headers; i++) {
        const char *colon = strchr(headers[i], ':');
        if (!colon ||
            !act_redact_is_secret_header(&r.red, headers[i], (size_t)(colon - headers[i])))
            continue;
        const char *val = colon + 1;
        while (*val == ' ' || *val == '\t')
            val++;
        const char *sp = strchr(val, ' ');
        if (act_redactor_add_secret(&r.red, val) ||
            (sp && act_redactor_add_secret(&r.red, sp + 1))) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
    }
    /* The spec's apiKey names carry secrets whatever they are called. */
    const cJSON *schemes = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(spec->doc->root, "components"), "securitySchemes");
    for (const cJSON *sc = cJSON_IsObject(schemes) ? schemes->child : NULL; sc; sc = sc->next) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(sc, "type");
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(sc, "in");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(sc, "name");
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "apiKey") != 0 ||
            !cJSON_IsString(in) || !cJSON_IsString(nm))
            continue;
        enum act_status rs = strcmp(in->valuestring, "query") == 0
                                 ? act_redactor_add_query(&r.red, nm->valuestring)
                                 : act_redactor_add_header(&r.red, nm->valuestring);
        if (rs) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
    }
    if (!r.dest->actions_enabled && !any_dest) {
        rc = cli_fail(c,
                      "destination \"%s\" is not enabled for actions: set "
                      "sap.applicationdevelopment.actions.enabled=true in %s, or pass --any-dest "
                      "for plain, non-SAP use",
                      r.dest->name, r.dest->file ? r.dest->file : "its file");
        goto done;
    }
    st = act_auth_check(r.dest, &err);
    if (st) {
        cli_error(c, &err);
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    if (r.dest->trust_all)
        r.http.insecure = 1;
    r.http.follow_redirects = 0; /* by hand: follow_redirects() */
    if (r.dest->proxy == ACT_PROXY_ONPREMISE) {
        st = cli_load_connector(c, conn_opt, &conn);
        if (st) {
            rc = cli_exit_code(st);
            goto done;
        }
        r.conn = conn;
    }

    st = act_validator_new(spec->docs, &r.v);
    if (st) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    struct job j = {params, n_params, headers, n_headers, body, body_len, body_path, fill};
    if (all) {
        struct plan p = {sel, n_sel, &j};
        r.tag_traces = 1;
        rc = run_all(&r, &p, jobs, fmt);
        goto done;
    }

    st = run_one(&r, &j, NULL, &err);
    if (st) {
        print_error(&r, &err);
        rc = cli_exit_code(st);
        goto done;
    }
    if (r.outcome == OUT_UNREACHABLE) {
        print_error(&r, &r.neterr);
        if (fmt != FMT_TEXT)
            report(&r, fmt);
        rc = CLI_EXIT_UNREACHABLE;
        goto done;
    }
    report(&r, fmt);
    rc = r.outcome == OUT_PASS ? CLI_EXIT_OK : CLI_EXIT_FAILED;

done:
    run_reset(&r);
    act_validator_free(r.v);
    act_redactor_release(&r.red);
    act_connector_free(conn);
    act_destset_free(dests);
    act_spec_free(spec);
    if (body) {
        memset(body, 0, body_len);
        act_free(body);
    }
    act_free(params);
    act_free(headers);
    act_free(methods);
    act_free(tags);
    act_free(sel);
    return rc;
}
