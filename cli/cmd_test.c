/*
 * cmd_test.c - `actions test [SPEC] ACTION --dest NAME ...`: run one action
 * against a destination and check the response against the spec.
 *
 * Steps: load spec, destination (and the connector for OnPremise); build the
 * request and validate it (nothing is sent when it is invalid); route it;
 * authenticate; optional CSRF handshake; send; check; report as text, JSON or
 * JUnit. Every string that leaves the process passes the redactor first, which
 * knows the destination's secrets and the token of this run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"
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
    "\n"
    "Build ACTION's request from the spec, send it to destination NAME and check the\n"
    "response: status declared, content type declared, JSON body valid against the schema,\n"
    "required headers present.\n"
    "\n"
    "  --dest NAME          the destination (see: actions dest list)\n"
    "  -p, --param N=V      a parameter value (repeat, or a,b,c, for arrays; JSON for objects);\n"
    "                       required ones without -p come from the spec's examples/defaults\n"
    "  -H, --header 'N: V'  an extra header (wins over the destination's URL.headers.*)\n"
    "  --body FILE|-        the JSON request body (default: the spec's example)\n"
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
    "file, 3 backend not reachable.\n";

enum {
    OPT_BODY = 256,
    OPT_TIMEOUT,
    OPT_INSECURE,
    OPT_CACERT,
    OPT_MAXSIZE,
    OPT_ANYDEST,
    OPT_DESTS,
    OPT_CONN,
    OPT_ALL
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
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

enum fmt { FMT_TEXT, FMT_JSON, FMT_JUNIT };
enum outcome { OUT_PASS, OUT_FAIL, OUT_UNREACHABLE };

/* One run of one action. */
struct run {
    struct cli_ctx *c;
    const struct act_spec *spec;
    const struct act_op *op;
    const struct act_dest *dest;
    const struct act_connector *conn;
    struct act_http_opts http;
    struct act_redactor red;
    int verbose;
    struct act_request *req;   /* the request (also when it was not sent) */
    struct act_http_resp resp; /* the final response */
    struct act_msgs problems;  /* what failed */
    struct act_error neterr;   /* why the backend was not reached */
    enum outcome outcome;
    int sent;          /* the request went out */
    char *display_url; /* the destination URL + path, for reports */
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
static void trace_lines(struct run *r, const char *prefix, const char *text, size_t len)
{
    char *s = redacted(r, text, len);
    if (!s)
        return;
    for (char *line = s; *line;) {
        size_t l = strcspn(line, "\r\n");
        fputs(prefix, stderr);
        for (size_t i = 0; i < l; i++) {
            unsigned char ch = (unsigned char)line[i];
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                fprintf(stderr, "\\x%02x", ch);
            else
                fputc(ch, stderr);
        }
        fputc('\n', stderr);
        line += l;
        if (*line == '\r')
            line++;
        if (*line == '\n')
            line++;
    }
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
        fprintf(stderr, "< (%zu body bytes, %ld ms)\n", resp->body.len, resp->duration_ms);
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
        fprintf(stderr, "* CSRF token fetch\n");
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

/* Authenticate, CSRF, send, retry once on "x-csrf-token: Required". */
static enum act_status send_request(struct run *r, struct act_error *err)
{
    struct act_request *q = r->req;
    int fetched = 0;
    enum act_status st = act_auth_apply(r->dest, &r->http, &q->headers, &fetched, err);
    if (st)
        return st;
    if (r->verbose && r->dest->auth == ACT_AUTH_OAUTH2_CC)
        fprintf(stderr, "* OAuth2 token %s\n",
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
                fprintf(stderr, "* CSRF token rejected: fetching a new one and retrying once\n");
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
    return st;
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

/* "200 OK 12 ms" into b (left empty when out of memory). */
static void status_text(struct run *r, struct act_buf *b)
{
    enum act_status st;
    if (r->outcome == OUT_UNREACHABLE)
        st = act_buf_adds(b, "(backend not reachable)");
    else if (!r->sent)
        st = act_buf_adds(b, "(request not sent)");
    else
        st = act_buf_printf(b, "%ld%s%s %ld ms", r->resp.status,
                            r->resp.reason && *r->resp.reason ? " " : "",
                            r->resp.reason ? r->resp.reason : "", r->resp.duration_ms);
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

static void out_text(struct run *r)
{
    struct act_buf st;
    act_buf_init(&st);
    status_text(r, &st);
    printf("%s %s %s\n", r->outcome == OUT_PASS ? "PASS" : "FAIL", r->op->id, st.data);
    act_buf_release(&st);
    for (size_t i = 0; i < r->problems.n; i++) {
        char *s = redacted(r, r->problems.v[i], strlen(r->problems.v[i]));
        printf("  %s\n", s ? s : "(withheld)");
        act_free(s);
    }
    if (r->c->stdout_tty && r->sent && r->resp.body.len) {
        cJSON *b = body_value(r);
        if (cJSON_IsString(b))
            print_text_body(b->valuestring);
        else if (b)
            cli_print_json(stdout, b);
        cJSON_Delete(b);
    }
}

static void out_json(struct run *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "action", r->op->id);
    cJSON_AddStringToObject(o, "method", r->req ? r->req->method : "");
    char *u = r->display_url ? redacted(r, r->display_url, strlen(r->display_url)) : NULL;
    if (u)
        cJSON_AddStringToObject(o, "url", u);
    else
        cJSON_AddNullToObject(o, "url");
    act_free(u);
    if (r->sent && r->resp.status)
        cJSON_AddNumberToObject(o, "status", (double)r->resp.status);
    else
        cJSON_AddNullToObject(o, "status");
    cJSON_AddNumberToObject(o, "duration_ms", r->sent ? (double)r->resp.duration_ms : 0);
    cJSON_AddBoolToObject(o, "passed", r->outcome == OUT_PASS);
    if (r->outcome == OUT_UNREACHABLE)
        cJSON_AddStringToObject(o, "outcome", "unreachable");
    else
        cJSON_AddStringToObject(o, "outcome", r->outcome == OUT_PASS ? "passed" : "failed");
    cJSON *errs = cJSON_AddArrayToObject(o, "errors");
    for (size_t i = 0; errs && i < r->problems.n; i++) {
        char *s = redacted(r, r->problems.v[i], strlen(r->problems.v[i]));
        if (s)
            cJSON_AddItemToArray(errs, cJSON_CreateString(s));
        act_free(s);
    }
    cJSON *b = body_value(r);
    if (b)
        cJSON_AddItemToObject(o, "body", b);
    else
        cJSON_AddNullToObject(o, "body");
    cli_print_json(stdout, o);
    cJSON_Delete(o);
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

static void out_junit(struct run *r)
{
    int fail = r->outcome == OUT_FAIL, error = r->outcome == OUT_UNREACHABLE;
    double secs = r->sent ? (double)r->resp.duration_ms / 1000.0 : 0;
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    printf("<testsuites name=\"actions\" tests=\"1\" failures=\"%d\" errors=\"%d\" "
           "time=\"%.3f\">\n",
           fail, error, secs);
    printf("  <testsuite name=\"");
    xml_put(stdout, r->spec->title ? r->spec->title : r->spec->doc->path);
    printf("\" tests=\"1\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n", fail,
           error, secs);
    printf("    <testcase name=\"");
    xml_put(stdout, r->op->id);
    printf("\" classname=\"");
    xml_put(stdout, r->dest ? r->dest->name : "actions");
    printf("\" time=\"%.3f\">\n", secs);
    struct act_buf all;
    act_buf_init(&all);
    for (size_t i = 0; i < r->problems.n; i++)
        if (act_buf_printf(&all, "%s\n", r->problems.v[i]))
            break;
    char *text = redacted(r, all.data, all.len);
    char *first = r->problems.n ? redacted(r, r->problems.v[0], strlen(r->problems.v[0])) : NULL;
    if (fail || error) {
        printf("      <%s type=\"%s\" message=\"", error ? "error" : "failure",
               error ? "unreachable" : "check");
        xml_put(stdout, first ? first : "failed");
        printf("\">");
        xml_put(stdout, text ? text : "");
        printf("</%s>\n", error ? "error" : "failure");
    }
    struct act_buf st;
    act_buf_init(&st);
    status_text(r, &st);
    char *u = r->display_url ? redacted(r, r->display_url, strlen(r->display_url)) : NULL;
    printf("      <system-out>");
    xml_put(stdout, r->req ? r->req->method : "");
    printf(" ");
    xml_put(stdout, u ? u : "");
    printf(" -&gt; ");
    xml_put(stdout, st.data);
    printf("</system-out>\n    </testcase>\n  </testsuite>\n</testsuites>\n");
    act_free(u);
    act_free(text);
    act_free(first);
    act_buf_release(&st);
    act_buf_release(&all);
}

static void report(struct run *r, enum fmt f)
{
    if (f == FMT_JSON)
        out_json(r);
    else if (f == FMT_JUNIT)
        out_junit(r);
    else
        out_text(r);
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

int cmd_test(int argc, char **argv, struct cli_ctx *c)
{
    struct run r;
    memset(&r, 0, sizeof(r));
    r.c = c;
    act_redactor_init(&r.red);
    act_http_resp_init(&r.resp);
    act_msgs_init(&r.problems);
    act_error_init(&r.neterr);
    struct act_arg *params = act_calloc((size_t)argc + 1, sizeof(*params));
    const char **headers = act_calloc((size_t)argc + 1, sizeof(*headers));
    size_t n_params = 0, n_headers = 0;
    const char *dest_name = NULL, *body_path = NULL, *dests_opt = NULL, *conn_opt = NULL;
    enum fmt fmt = FMT_TEXT;
    int any_dest = 0, rc = CLI_EXIT_USAGE, opt;
    char *body = NULL;
    size_t body_len = 0;
    struct act_spec *spec = NULL;
    struct act_destset *dests = NULL;
    struct act_connector *conn = NULL;
    struct act_validator *v = NULL;
    struct act_error err;
    act_error_init(&err);
    if (!params || !headers) {
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
        case OPT_ALL:
            rc = cli_fail(c, "test --all is not available yet: test one ACTION at a time");
            goto done;
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
    if (npos < 1 || npos > 2 || !dest_name) {
        if (npos >= 1 && npos <= 2 && !dest_name)
            fprintf(stderr, "%s: error: test needs --dest NAME (see: %s dest list)\n", c->prog,
                    c->prog);
        rc = cli_usage(c, usage, 1);
        goto done;
    }
    if (r.http.cacert && access(r.http.cacert, R_OK) != 0) {
        rc = cli_fail(c, "cannot read --cacert \"%s\": %s", r.http.cacert, strerror(errno));
        goto done;
    }
    const char *spec_path = npos == 2 ? argv[optind] : NULL;
    const char *action = argv[argc - 1];
    if (body_path && read_body(c, body_path, &body, &body_len))
        goto done;

    enum act_status st = cli_load_spec(c, spec_path, 0, &spec);
    if (st) {
        rc = cli_exit_code(st);
        goto done;
    }
    r.spec = spec;
    r.op = cli_find_op(c, spec, action);
    if (!r.op)
        goto done;

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
    r.http.follow_redirects = 1;
    if (r.dest->proxy == ACT_PROXY_ONPREMISE) {
        st = cli_load_connector(c, conn_opt, &conn);
        if (st) {
            rc = cli_exit_code(st);
            goto done;
        }
        r.conn = conn;
    }

    st = act_validator_new(spec->docs, &v);
    if (st) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    struct act_request_in in = {spec,    r.op,      r.dest->url, r.dest,   params,   n_params,
                                headers, n_headers, body,        body_len, body_path};
    st = act_request_build(&in, v, &r.req, &r.problems, &err);
    if (st && st != ACT_ERR_CHECK) {
        print_error(&r, &err);
        rc = cli_exit_code(st == ACT_ERR_NETWORK ? ACT_ERR_USAGE : st);
        goto done;
    }
    r.display_url = act_strdup(r.req->url);
    if (st == ACT_ERR_CHECK) {
        r.outcome = OUT_FAIL;
        report(&r, fmt);
        rc = CLI_EXIT_FAILED;
        goto done;
    }

    st = send_request(&r, &err);
    if (st == ACT_ERR_LIMIT) {
        /* The backend answered with more than we accept: the action failed. */
        if (act_msgs_add(&r.problems, "%s", err.msg)) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
        r.outcome = OUT_FAIL;
        report(&r, fmt);
        rc = CLI_EXIT_FAILED;
        goto done;
    }
    if (st == ACT_ERR_NETWORK) {
        r.outcome = OUT_UNREACHABLE;
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, buf, sizeof(buf));
        if (act_msgs_add(&r.problems, "%s", buf)) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
        print_error(&r, &err);
        if (fmt != FMT_TEXT)
            report(&r, fmt);
        rc = CLI_EXIT_UNREACHABLE;
        goto done;
    }
    if (st) {
        print_error(&r, &err);
        rc = cli_exit_code(st);
        goto done;
    }

    struct act_check_in ci = {spec,
                              r.op,
                              r.resp.status,
                              &r.resp.headers,
                              r.resp.body.data,
                              r.resp.body.len,
                              strcmp(r.req->method, "HEAD") == 0};
    struct act_check_out co;
    st = act_check_response(&ci, v, &r.problems, &co, &err);
    cJSON_Delete(co.json);
    if (st) {
        print_error(&r, &err);
        rc = cli_exit_code(st);
        goto done;
    }
    r.outcome = r.problems.n ? OUT_FAIL : OUT_PASS;
    report(&r, fmt);
    rc = r.outcome == OUT_PASS ? CLI_EXIT_OK : CLI_EXIT_FAILED;

done:
    act_validator_free(v);
    act_request_free(r.req);
    act_http_resp_release(&r.resp);
    act_msgs_release(&r.problems);
    act_redactor_release(&r.red);
    act_free(r.display_url);
    act_connector_free(conn);
    act_destset_free(dests);
    act_spec_free(spec);
    if (body) {
        memset(body, 0, body_len);
        act_free(body);
    }
    act_free(params);
    act_free(headers);
    return rc;
}
