/*
 * http.c - one HTTP exchange over libcurl (the only file that includes curl).
 *
 * A fresh easy handle per exchange: the tool makes one to three calls per
 * run, so connection reuse buys nothing and a fresh handle leaks no state
 * (cookies, auth) between calls. The write callback enforces the body cap and
 * the header callback collects headers of the final response only (a
 * redirect's status line starts a new set). libcurl's error codes are turned
 * into messages a user can act on.
 */
#include "http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "parser/openapi.h"

/* ------------------------------------------------------------------ headers */

void act_headers_init(struct act_headers *h)
{
    h->v = NULL;
    h->n = 0;
    h->cap = 0;
}

void act_headers_release(struct act_headers *h)
{
    for (size_t i = 0; i < h->n; i++) {
        act_free(h->v[i].name);
        act_free(h->v[i].value);
    }
    act_free(h->v);
    act_headers_init(h);
}

enum act_status act_headers_add(struct act_headers *h, const char *name, const char *value)
{
    if (ACT_GROW(h->v, h->cap, h->n + 1, 8))
        return ACT_ERR_NOMEM;
    char *n = act_strdup(name), *val = act_strdup(value);
    if (!n || !val) {
        act_free(n);
        act_free(val);
        return ACT_ERR_NOMEM;
    }
    h->v[h->n].name = n;
    h->v[h->n].value = val;
    h->n++;
    return ACT_OK;
}

void act_headers_remove(struct act_headers *h, const char *name)
{
    size_t o = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (strcasecmp(h->v[i].name, name) == 0) {
            act_free(h->v[i].name);
            act_free(h->v[i].value);
        } else {
            h->v[o++] = h->v[i];
        }
    }
    h->n = o;
}

enum act_status act_headers_set(struct act_headers *h, const char *name, const char *value)
{
    /* Copy first: name may point into the list itself. */
    char *n = act_strdup(name);
    if (!n)
        return ACT_ERR_NOMEM;
    act_headers_remove(h, n);
    enum act_status st = act_headers_add(h, n, value);
    act_free(n);
    return st;
}

const char *act_headers_get(const struct act_headers *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->v[i].name, name) == 0)
            return h->v[i].value;
    return NULL;
}

/* ------------------------------------------------------------ url helpers */

enum act_status act_url_encode(struct act_buf *out, const char *s, size_t len, const char *keep)
{
    return act_pct_encode(out, s, len, keep); /* the parameter codec's encoding */
}

/* ------------------------------------------------------------- URL type */

struct act_url {
    char *text;   /* the URL as given (parsed) or as libcurl wrote it (resolved) */
    char *scheme; /* "http" or "https" (lowercase) */
    char *host;   /* without brackets */
    int port;     /* the default one when absent */
    char *rest;   /* path + query, "/" when empty; never the fragment */
};

void act_url_free(struct act_url *u)
{
    if (!u)
        return;
    act_free(u->text);
    act_free(u->scheme);
    act_free(u->host);
    act_free(u->rest);
    act_free(u);
}

/* A copy of a part libcurl allocated (act_free), or NULL (out of memory or no such part). */
static char *url_part(CURLU *h, CURLUPart part, unsigned flags, CURLUcode *rc)
{
    char *v = NULL;
    *rc = curl_url_get(h, part, &v, flags);
    if (*rc)
        return NULL;
    char *copy = act_strdup(v);
    curl_free(v);
    if (!copy)
        *rc = CURLUE_OUT_OF_MEMORY;
    return copy;
}

/* Fill a new act_url from a handle holding a parsed URL; text is taken over (or NULL:
 * libcurl writes it). */
static enum act_status url_from_handle(CURLU *h, char *text, struct act_url **out)
{
    CURLUcode rc;
    enum act_status st = ACT_ERR_USAGE;
    struct act_url *u = act_calloc(1, sizeof(*u));
    char *user = NULL, *port = NULL, *path = NULL, *query = NULL;
    if (!u) {
        act_free(text);
        return ACT_ERR_NOMEM;
    }
    u->text = text;
    if (!u->text && !(u->text = url_part(h, CURLUPART_URL, 0, &rc)))
        goto fail_rc;
    if (!(u->scheme = url_part(h, CURLUPART_SCHEME, 0, &rc)))
        goto fail_rc;
    if (strcmp(u->scheme, "http") != 0 && strcmp(u->scheme, "https") != 0)
        goto fail; /* ftp:// and the like */
    /* Userinfo is refused: credentials belong in Authentication. */
    if ((user = url_part(h, CURLUPART_USER, 0, &rc)) != NULL || rc == CURLUE_OUT_OF_MEMORY)
        goto fail_rc;
    if (!(u->host = url_part(h, CURLUPART_HOST, 0, &rc)))
        goto fail_rc;
    size_t hl = strlen(u->host);
    if (!hl)
        goto fail;
    if (u->host[0] == '[' && hl > 1 && u->host[hl - 1] == ']') {
        memmove(u->host, u->host + 1, hl - 2);
        u->host[hl - 2] = '\0';
    }
    if (!(port = url_part(h, CURLUPART_PORT, CURLU_DEFAULT_PORT, &rc)))
        goto fail_rc;
    u->port = atoi(port);
    if (u->port < 1 || u->port > 65535)
        goto fail;
    if (!(path = url_part(h, CURLUPART_PATH, 0, &rc)))
        goto fail_rc;
    query = url_part(h, CURLUPART_QUERY, 0, &rc);
    if (!query && rc == CURLUE_OUT_OF_MEMORY)
        goto fail_rc;
    struct act_buf rest;
    act_buf_init(&rest);
    if (act_buf_adds(&rest, *path ? path : "/") ||
        (query && (act_buf_addc(&rest, '?') || act_buf_adds(&rest, query)))) {
        act_buf_release(&rest);
        st = ACT_ERR_NOMEM;
        goto fail;
    }
    u->rest = act_buf_detach(&rest, NULL);
    act_free(port);
    act_free(path);
    act_free(query);
    *out = u;
    return ACT_OK;
fail_rc:
    if (rc == CURLUE_OUT_OF_MEMORY)
        st = ACT_ERR_NOMEM;
fail:
    act_free(user);
    act_free(port);
    act_free(path);
    act_free(query);
    act_url_free(u);
    return st;
}

/* Spaces are let through as libcurl's transfer lets them (the server decides). */
#define URL_FLAGS (CURLU_PATH_AS_IS | CURLU_ALLOW_SPACE)

enum act_status act_url_parse(const char *text, struct act_url **out)
{
    *out = NULL;
    CURLU *h = curl_url();
    if (!h)
        return ACT_ERR_NOMEM;
    enum act_status st;
    CURLUcode rc = curl_url_set(h, CURLUPART_URL, text, URL_FLAGS);
    if (rc) {
        st = rc == CURLUE_OUT_OF_MEMORY ? ACT_ERR_NOMEM : ACT_ERR_USAGE;
    } else {
        char *copy = act_strdup(text);
        st = copy ? url_from_handle(h, copy, out) : ACT_ERR_NOMEM;
    }
    curl_url_cleanup(h);
    return st;
}

enum act_status act_url_resolve(const struct act_url *base, const char *ref, struct act_url **out)
{
    *out = NULL;
    CURLU *h = curl_url();
    if (!h)
        return ACT_ERR_NOMEM;
    enum act_status st;
    /* The base as given, then ref over it: RFC 3986 5.2, dot segments removed
     * (libcurl sends paths as given, so the resolution is done here). */
    CURLUcode rc = curl_url_set(h, CURLUPART_URL, base->text, URL_FLAGS);
    if (!rc)
        rc = curl_url_set(h, CURLUPART_URL, ref, CURLU_ALLOW_SPACE);
    if (rc)
        st = rc == CURLUE_OUT_OF_MEMORY ? ACT_ERR_NOMEM : ACT_ERR_USAGE;
    else
        st = url_from_handle(h, NULL, out);
    curl_url_cleanup(h);
    return st;
}

enum act_status act_url_join(struct act_buf *out, const char *base, const char *path)
{
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        bl--;
    enum act_status st = act_buf_add(out, base, bl);
    /* The path is kept as written ("//admin" stays so: the connector must see it). */
    if (!st && *path != '/')
        st = act_buf_addc(out, '/');
    if (!st)
        st = act_buf_adds(out, path);
    return st;
}

enum act_status act_url_add_query(struct act_buf *url, const char *name, const char *value)
{
    enum act_status st = act_buf_addc(url, strchr(url->data, '?') ? '&' : '?');
    if (!st)
        st = act_url_encode(url, name, strlen(name), ACT_URL_QUERY_NAME_KEEP);
    if (!st)
        st = act_buf_addc(url, '=');
    if (!st)
        st = act_url_encode(url, value, strlen(value), NULL);
    return st;
}

enum act_status act_url_for_call(const char *base, const char *path, const char *query,
                                 size_t query_len, struct act_url **out)
{
    *out = NULL;
    struct act_buf url;
    act_buf_init(&url);
    /* A query already in the base URL comes first. */
    const char *bq = strchr(base, '?');
    char *bpath = act_strndup(base, bq ? (size_t)(bq - base) : strlen(base));
    enum act_status st = bpath ? act_url_join(&url, bpath, path) : ACT_ERR_NOMEM;
    act_free(bpath);
    if (!st && bq && bq[1])
        st = act_buf_addc(&url, '?') ? ACT_ERR_NOMEM : act_buf_adds(&url, bq + 1);
    if (!st && query_len)
        st = act_buf_addc(&url, bq && bq[1] ? '&' : '?') ? ACT_ERR_NOMEM
                                                         : act_buf_add(&url, query, query_len);
    if (!st)
        st = act_url_parse(url.data, out);
    act_buf_release(&url);
    return st;
}

const char *act_url_problem(const char *text)
{
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return "contains a space or control character";
    CURLU *h = curl_url();
    if (!h)
        return NULL; /* out of memory: the first request says so */
    const char *why = NULL;
    char *scheme = NULL, *port = NULL;
    CURLUcode rc = curl_url_set(h, CURLUPART_URL, text, CURLU_PATH_AS_IS);
    switch (rc) {
    case CURLUE_OK:
        if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
            strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
            why = "must start with http:// or https://";
        else if (curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
                 atoi(port) < 1)
            why = "has a port that is not a number from 1 to 65535";
        break;
    case CURLUE_OUT_OF_MEMORY: break;
    case CURLUE_NO_HOST: why = "has no host"; break;
    case CURLUE_BAD_PORT_NUMBER: why = "has a port that is not a number from 1 to 65535"; break;
    case CURLUE_BAD_IPV6: why = "has a malformed IPv6 host"; break;
    case CURLUE_BAD_HOSTNAME:
    case CURLUE_BAD_LOGIN:
    case CURLUE_BAD_USER:
    case CURLUE_BAD_PASSWORD: why = "has a malformed host"; break;
    default: why = "must start with http:// or https://"; break;
    }
    curl_free(scheme);
    curl_free(port);
    curl_url_cleanup(h);
    return why;
}

const char *act_url_text(const struct act_url *u)
{
    return u->text;
}

const char *act_url_scheme(const struct act_url *u)
{
    return u->scheme;
}

const char *act_url_host(const struct act_url *u)
{
    return u->host;
}

int act_url_port(const struct act_url *u)
{
    return u->port;
}

const char *act_url_rest(const struct act_url *u)
{
    return u->rest;
}

int act_url_same_origin(const struct act_url *a, const struct act_url *b)
{
    return strcmp(a->scheme, b->scheme) == 0 && strcasecmp(a->host, b->host) == 0 &&
           a->port == b->port;
}

/* --------------------------------------------------------------- exchange */

void act_http_resp_init(struct act_http_resp *r)
{
    memset(r, 0, sizeof(*r));
    act_headers_init(&r->headers);
    act_buf_init(&r->body);
    act_buf_init(&r->sent);
}

void act_http_resp_release(struct act_http_resp *r)
{
    act_free(r->reason);
    act_free(r->status_line);
    act_headers_release(&r->headers);
    act_buf_release(&r->body);
    act_buf_release(&r->sent);
    act_http_resp_init(r);
}

const char *act_http_reason(long status)
{
    static const struct {
        long code;
        const char *text;
    } tab[] = {
        {100, "Continue"},
        {101, "Switching Protocols"},
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {203, "Non-Authoritative Information"},
        {204, "No Content"},
        {205, "Reset Content"},
        {206, "Partial Content"},
        {300, "Multiple Choices"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {303, "See Other"},
        {304, "Not Modified"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {402, "Payment Required"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {407, "Proxy Authentication Required"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
        {413, "Content Too Large"},
        {414, "URI Too Long"},
        {415, "Unsupported Media Type"},
        {416, "Range Not Satisfiable"},
        {417, "Expectation Failed"},
        {418, "I'm a teapot"},
        {422, "Unprocessable Content"},
        {428, "Precondition Required"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (tab[i].code == status)
            return tab[i].text;
    return "";
}

static int curl_ready;

enum act_status act_http_global_init(void)
{
    if (curl_ready)
        return ACT_OK;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return ACT_ERR_NOMEM;
    curl_ready = 1;
    return ACT_OK;
}

/* State shared with the callbacks. */
struct xfer {
    struct act_http_resp *resp; /* where things go */
    long long max_size;         /* body cap */
    size_t header_bytes;        /* header bytes of this response so far */
    size_t header_count;        /* header lines of the current response so far */
    int over_body;              /* the body cap was hit */
    int over_headers;           /* the header cap was hit */
    int nomem;                  /* an allocation failed in a callback */
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
    struct xfer *x = arg;
    size_t n = size * nmemb;
    if ((long long)(x->resp->body.len + n) > x->max_size) {
        x->over_body = 1;
        return 0;
    }
    if (act_buf_add(&x->resp->body, p, n)) {
        x->nomem = 1;
        return 0;
    }
    return n;
}

static char *trimmed(const char *s, size_t len)
{
    while (len &&
           (s[len - 1] == '\r' || s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    return act_strndup(s, len);
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *arg)
{
    struct xfer *x = arg;
    struct act_http_resp *r = x->resp;
    size_t n = size * nmemb;
    x->header_bytes += n;
    if (x->header_bytes > ACT_MAX_HEADER_BYTES) {
        x->over_headers = 1;
        return 0;
    }
    if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* A new response (after a redirect or a 100 Continue): start over. */
        x->header_count = 0;
        act_headers_release(&r->headers);
        act_free(r->status_line);
        act_free(r->reason);
        r->reason = NULL;
        r->status_line = trimmed(p, n);
        if (!r->status_line) {
            x->nomem = 1;
            return 0;
        }
        const char *sp = strchr(r->status_line, ' ');
        sp = sp ? strchr(sp + 1, ' ') : NULL;
        r->reason = act_strdup(sp ? sp + 1 : "");
        if (!r->reason) {
            x->nomem = 1;
            return 0;
        }
        return n;
    }
    const char *colon = memchr(p, ':', n);
    if (!colon)
        return n; /* the blank line that ends the headers */
    if (++x->header_count > ACT_MAX_HEADER_COUNT) {
        x->over_headers = 2;
        return 0;
    }
    char *name = trimmed(p, (size_t)(colon - p));
    char *value = trimmed(colon + 1, n - (size_t)(colon + 1 - p));
    enum act_status st = name && value ? act_headers_add(&r->headers, name, value) : ACT_ERR_NOMEM;
    act_free(name);
    act_free(value);
    if (st) {
        x->nomem = 1;
        return 0;
    }
    return n;
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
    (void)h;
    struct xfer *x = arg;
    if (type == CURLINFO_HEADER_OUT && act_buf_add(&x->resp->sent, data, size))
        x->nomem = 1;
    return 0;
}

/* ------------------------------------------------------ the reason phrase */

/* Length of the well-formed UTF-8 sequence at s (n bytes left) that is not a
 * C1 control (U+0080..U+009F), else 0. */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
    if (s[0] > 0xf4 || s[0] == 0xc0 || s[0] == 0xc1 || len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (s[0] == 0xc2 && s[1] < 0xa0)
        return 0; /* C1 control */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xf0 && s[1] < 0x90) ||
        (s[0] == 0xf4 && s[1] >= 0x90) || (s[0] == 0xed && s[1] >= 0xa0))
        return 0; /* overlong, beyond U+10FFFF, or a surrogate */
    return len;
}

/* Append text to out with control characters and invalid UTF-8 as \xNN, at
 * most ACT_MAX_ECHO characters ("..." when clipped). */
static enum act_status printable(struct act_buf *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t chars = 0;
    for (size_t i = 0; i < len; chars++) {
        if (chars == ACT_MAX_ECHO)
            return act_buf_adds(out, "...");
        size_t u = s[i] >= 0x80 ? utf8_printable(s + i, len - i) : 0;
        enum act_status st;
        if (u)
            st = act_buf_add(out, text + i, u);
        else if (s[i] < 0x20 || s[i] >= 0x7f)
            st = act_buf_printf(out, "\\x%02x", s[i]);
        else
            st = act_buf_addc(out, text[i]);
        if (st)
            return st;
        i += u ? u : 1;
    }
    return ACT_OK;
}

/*
 * Make resp->reason and resp->status_line safe to print: the reason phrase is
 * the server's text and may echo a credential (a reverse proxy that puts the
 * Authorization header into its error status) or carry terminal escapes.
 * Secrets known to red, and the values of the response's own secret headers
 * (Set-Cookie, x-csrf-token, ...), are masked first, then the text is made
 * printable and clipped.
 */
static enum act_status clean_reason(struct act_http_resp *r, const struct act_redactor *red)
{
    if (!r->reason)
        return ACT_OK;
    struct act_redactor own;
    struct act_buf a, b;
    act_redactor_init(&own);
    act_buf_init(&a);
    act_buf_init(&b);
    enum act_status st = act_redact_text(red, r->reason, strlen(r->reason), &a);
    for (size_t i = 0; !st && i < r->headers.n; i++) {
        const struct act_header *hd = &r->headers.v[i];
        if (!act_redact_is_secret_header(red, hd->name, strlen(hd->name)))
            continue;
        st = act_redactor_add_secret(&own, hd->value);
        /* A cookie's value alone ("SID=abc; Path=/" -> "abc"). */
        const char *eq = strchr(hd->value, '=');
        if (!st && eq) {
            char *v = act_strndup(eq + 1, strcspn(eq + 1, ";"));
            st = v ? act_redactor_add_secret(&own, v) : ACT_ERR_NOMEM;
            act_free(v);
        }
    }
    if (!st && own.n_secrets)
        st = act_redact_text(&own, a.data ? a.data : "", a.len, &b);
    else if (!st)
        st = act_buf_add(&b, a.data ? a.data : "", a.len);
    act_buf_reset(&a);
    if (!st)
        st = printable(&a, b.data ? b.data : "", b.len);
    char *reason = st ? NULL : act_buf_detach(&a, NULL);
    if (!st && !reason)
        st = ACT_ERR_NOMEM;
    /* The status line again: "HTTP/1.1 200" and the clean reason. */
    act_buf_reset(&b);
    if (!st && r->status_line) {
        const char *sp = strchr(r->status_line, ' ');
        sp = sp ? strchr(sp + 1, ' ') : NULL;
        size_t pl = sp ? (size_t)(sp - r->status_line) : strlen(r->status_line);
        st = printable(&b, r->status_line, pl);
        if (!st && *reason)
            st = act_buf_printf(&b, " %s", reason);
        if (!st) {
            act_free(r->status_line);
            r->status_line = act_buf_detach(&b, NULL);
            st = r->status_line ? ACT_OK : ACT_ERR_NOMEM;
        }
    }
    if (reason) {
        act_free(r->reason);
        r->reason = reason;
    }
    act_redactor_release(&own);
    act_buf_release(&a);
    act_buf_release(&b);
    return st;
}

/* The proxy for url from the environment, lowercase first (curl's rule), or NULL. */
static const char *env_proxy(const char *url)
{
    const char *v;
    struct act_url *u = NULL;
    int https = act_url_parse(url, &u) == ACT_OK && strcmp(u->scheme, "https") == 0;
    act_url_free(u);
    if (https) {
        v = getenv("https_proxy");
        if (!v || !*v)
            v = getenv("HTTPS_PROXY");
    } else {
        v = getenv("http_proxy");
        if (!v || !*v)
            v = getenv("HTTP_PROXY");
    }
    if (!v || !*v)
        v = getenv("all_proxy");
    if (!v || !*v)
        v = getenv("ALL_PROXY");
    return v && *v ? v : NULL;
}

static const char *env_noproxy(void)
{
    const char *v = getenv("no_proxy");
    if (!v || !*v)
        v = getenv("NO_PROXY");
    return v && *v ? v : NULL;
}

/* host:port of url for messages (clipped, escaped). */
static void url_authority(const char *url, char *buf, size_t size)
{
    struct act_url *u = NULL;
    if (act_url_parse(url, &u) == ACT_OK) {
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof(e), u->host, strlen(u->host));
        snprintf(buf, size, "%s:%d", e, u->port);
        act_url_free(u);
    } else {
        act_echo(buf, size < ACT_ECHO_SIZE ? size : ACT_ECHO_SIZE, url, strlen(url));
    }
}

/* Is rc libcurl's refusal of a header over its own size limit? */
static int header_overflow(CURLcode rc)
{
#if LIBCURL_VERSION_NUM >= 0x080600
    if (rc == CURLE_TOO_LARGE)
        return 1;
#endif
    return rc == CURLE_OUT_OF_MEMORY;
}

/* Does url name an http(s) origin (so that an "unsupported protocol" came from the server)? */
static int http_url(const char *url)
{
    struct act_url *u = NULL;
    if (act_url_parse(url, &u) != ACT_OK)
        return 0;
    act_url_free(u);
    return 1;
}

static enum act_status map_error(CURLcode rc, CURL *h, const struct xfer *x,
                                 const struct act_http_req *req, const struct act_http_opts *o,
                                 const char *detail, struct act_error *err)
{
    char where[ACT_ECHO_SIZE + 16];
    url_authority(req->url, where, sizeof(where));
    /* libcurl's message may quote what the server sent: clipped and escaped. */
    char echoed[ACT_ECHO_SIZE];
    if (detail && *detail)
        detail = act_echo(echoed, sizeof(echoed), detail, strlen(detail));
    long oserr = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
    const char *sys =
        oserr ? strerror((int)oserr) : (detail && *detail ? detail : curl_easy_strerror(rc));
    long timeout = o->timeout_ms > 0 ? o->timeout_ms : ACT_DEFAULT_TIMEOUT_MS;
    if (x->nomem)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (x->over_body || rc == CURLE_FILESIZE_EXCEEDED)
        return act_error_set(err, ACT_ERR_LIMIT, NULL, 0, 0,
                             "response body from %s exceeds the limit of %lld bytes (--max-size)",
                             where, x->max_size);
    if (x->over_headers == 2)
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "response headers too large from %s: more than %d headers", where,
                             ACT_MAX_HEADER_COUNT);
    /* libcurl refuses one header over its own limit (100 KB) itself: out of
     * memory in 7.x, CURLE_TOO_LARGE from 8.6. No allocation of ours failed,
     * and no body byte arrived, so it was the headers. */
    if (x->over_headers || (header_overflow(rc) && x->resp->body.len == 0))
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "response headers too large from %s: more than %ld bytes", where,
                             x->over_headers ? (long)ACT_MAX_HEADER_BYTES
                                             : (long)CURL_MAX_HTTP_HEADER);
    /* An answer without an HTTP status line (HTTP/0.9, another protocol,
     * garbage): libcurl calls it an unsupported protocol when the URL was fine. */
    if ((rc == CURLE_UNSUPPORTED_PROTOCOL && !x->resp->status_line && http_url(req->url)) ||
        rc == CURLE_WEIRD_SERVER_REPLY)
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "%s did not answer with HTTP (%s)",
                             where, detail && *detail ? detail : curl_easy_strerror(rc));
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                             "cannot use URL for %s: only http and https are allowed (%s)", where,
                             curl_easy_strerror(rc));
    case CURLE_COULDNT_RESOLVE_HOST:
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "cannot resolve host %s", where);
    case CURLE_COULDNT_RESOLVE_PROXY:
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "cannot resolve the proxy for %s (check HTTP(S)_PROXY)", where);
    case CURLE_COULDNT_CONNECT:
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "cannot connect to %s: %s", where,
                             sys);
    case CURLE_OPERATION_TIMEDOUT:
        if (x->resp->status == 0 && x->resp->body.len == 0)
            return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                                 "%s did not answer within %ld ms (--timeout)", where, timeout);
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "timed out after %ld ms (--timeout) reading the response from %s "
                             "(%zu body bytes received)",
                             timeout, where, x->resp->body.len);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "TLS handshake with %s failed: %s (--cacert FILE, or --insecure to "
                             "skip verification)",
                             where, detail && *detail ? detail : curl_easy_strerror(rc));
    case CURLE_TOO_MANY_REDIRECTS:
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "too many redirects from %s (more than %d)", where, ACT_MAX_REDIRECTS);
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
        if (x->resp->status == 0)
            return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                                 "connection to %s closed before a response: %s", where, sys);
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "connection reset after %zu bytes of the response body from %s",
                             x->resp->body.len, where);
    default:
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "request to %s failed: %s", where,
                             detail && *detail ? detail : curl_easy_strerror(rc));
    }
}

enum act_status act_http_perform(const struct act_http_req *req, const struct act_http_opts *o,
                                 struct act_http_resp *resp, struct act_error *err)
{
    enum act_status st = act_http_global_init();
    if (st)
        return act_error_set(err, st, NULL, 0, 0, "cannot initialize libcurl");
    act_http_resp_release(resp);
    struct xfer x = {.resp = resp, .max_size = o->max_size > 0 ? o->max_size : ACT_MAX_BODY_BYTES};
    char ebuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hl = NULL;
    CURL *h = curl_easy_init();
    if (!h)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");

    long timeout = o->timeout_ms > 0 ? o->timeout_ms : ACT_DEFAULT_TIMEOUT_MS;
    curl_easy_setopt(h, CURLOPT_URL, req->url);
    /* The path goes out as built: "/a/%2E%2E/b" must not become "/b" on the way. */
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_HTTP09_ALLOWED, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, o->follow_redirects ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)ACT_MAX_REDIRECTS);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x.max_size);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
    if (o->cacert)
        curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "actions");
    /* An empty string turns proxies off, including curl's own environment lookup. */
    const char *proxy = o->use_env_proxy ? env_proxy(req->url) : NULL;
    curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "");
    if (proxy && env_noproxy())
        curl_easy_setopt(h, CURLOPT_NOPROXY, env_noproxy());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    if (o->trace) {
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, &x);
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    }

    const char *m = req->method ? req->method : "GET";
    if (strcmp(m, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (req->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        if (strcmp(m, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
    } else if (strcmp(m, "GET") != 0) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
    }

    struct act_buf line;
    act_buf_init(&line);
    /* "Expect: 100-continue" costs a round trip for nothing here. */
    hl = curl_slist_append(hl, "Expect:");
    if (!hl)
        goto nomem;
    for (size_t i = 0; req->headers && i < req->headers->n; i++) {
        const struct act_header *hd = &req->headers->v[i];
        act_buf_reset(&line);
        /* "Name;" is curl's way to send a header with an empty value. */
        if (act_buf_printf(&line, *hd->value ? "%s: %s" : "%s;", hd->name, hd->value))
            goto nomem;
        struct curl_slist *n = curl_slist_append(hl, line.data);
        if (!n)
            goto nomem;
        hl = n;
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);

    CURLcode rc = curl_easy_perform(h);
    curl_off_t us = 0;
    curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &us);
    resp->duration_ms = (long)(us / 1000);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &resp->redirects);
    /* HTTP/2 has no reason phrase: use the standard one. */
    if (resp->status && (!resp->reason || !*resp->reason)) {
        act_free(resp->reason);
        resp->reason = act_strdup(act_http_reason(resp->status));
        if (!resp->reason)
            x.nomem = 1;
    }
    if (clean_reason(resp, o->redact))
        x.nomem = 1;
    if (rc == CURLE_OK && !x.nomem)
        st = ACT_OK;
    else
        st = map_error(rc, h, &x, req, o, ebuf, err);
    act_buf_release(&line);
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    return st;

nomem:
    act_buf_release(&line);
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}
