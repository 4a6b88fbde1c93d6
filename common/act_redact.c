/*
 * act_redact.c - masking secrets by shape (headers, userinfo, query
 * parameters) and by value (known secrets), see act_redact.h.
 *
 * Redaction runs in two passes: shapes first, line by line, into a scratch
 * buffer; then every known secret value is replaced, longest first, so that a
 * secret containing another is masked whole.
 */
#include "act_redact.h"

#include <stdio.h>
#include <string.h>

#include "act_alloc.h"

void act_redactor_init(struct act_redactor *r)
{
    memset(r, 0, sizeof(*r));
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        act_free(v[i]);
    act_free(v);
}

void act_redactor_release(struct act_redactor *r)
{
    if (!r)
        return;
    free_list(r->secrets, r->n_secrets);
    free_list(r->headers, r->n_headers);
    free_list(r->queries, r->n_queries);
    act_redactor_init(r);
}

/* ------------------------------------------------------------------------ */
/* Registering secrets                                                       */

static int has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* Append s (taken: freed on failure) to *v, keeping it sorted longest first. */
static enum act_status push_sorted(char ***v, size_t *n, char *s)
{
    if (has(*v, *n, s)) {
        act_free(s);
        return ACT_OK;
    }
    char **nv = act_realloc(*v, (*n + 1) * sizeof(**v));
    if (!nv) {
        act_free(s);
        return ACT_ERR_NOMEM;
    }
    *v = nv;
    size_t len = strlen(s), i = *n;
    while (i > 0 && strlen(nv[i - 1]) < len) {
        nv[i] = nv[i - 1];
        i--;
    }
    nv[i] = s;
    (*n)++;
    return ACT_OK;
}

static int unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static char *percent_encoded(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    struct act_buf b;
    act_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
        if (unreserved(*p) ? act_buf_addc(&b, (char)*p) : act_buf_add(&b, esc, 3)) {
            act_buf_release(&b);
            return NULL;
        }
    }
    return act_buf_detach(&b, NULL);
}

static char *json_escaped(const char *s)
{
    struct act_buf b;
    act_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        enum act_status st;
        if (*p == '"' || *p == '\\')
            st = act_buf_printf(&b, "\\%c", *p);
        else if (*p == '\n')
            st = act_buf_adds(&b, "\\n");
        else if (*p == '\r')
            st = act_buf_adds(&b, "\\r");
        else if (*p == '\t')
            st = act_buf_adds(&b, "\\t");
        else if (*p < 0x20)
            st = act_buf_printf(&b, "\\u%04x", *p);
        else
            st = act_buf_addc(&b, (char)*p);
        if (st) {
            act_buf_release(&b);
            return NULL;
        }
    }
    return act_buf_detach(&b, NULL);
}

/* Add one form of a secret unless it is too short to search for. */
static enum act_status add_form(struct act_redactor *r, char *form)
{
    if (!form)
        return ACT_ERR_NOMEM;
    if (strlen(form) < ACT_REDACT_MIN_SECRET) {
        act_free(form);
        return ACT_OK;
    }
    return push_sorted(&r->secrets, &r->n_secrets, form);
}

enum act_status act_redactor_add_secret(struct act_redactor *r, const char *value)
{
    if (!value || !*value)
        return ACT_OK;
    enum act_status st = add_form(r, act_strdup(value));
    if (!st)
        st = add_form(r, percent_encoded(value));
    if (!st)
        st = add_form(r, json_escaped(value));
    return st;
}

static char *lower_dup(const char *s)
{
    char *d = act_strdup(s);
    for (char *p = d; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return d;
}

enum act_status act_redactor_add_header(struct act_redactor *r, const char *name)
{
    char *d = lower_dup(name);
    return d ? push_sorted(&r->headers, &r->n_headers, d) : ACT_ERR_NOMEM;
}

enum act_status act_redactor_add_query(struct act_redactor *r, const char *name)
{
    char *d = lower_dup(name);
    return d ? push_sorted(&r->queries, &r->n_queries, d) : ACT_ERR_NOMEM;
}

/* ------------------------------------------------------------------------ */
/* Deciding what is secret                                                   */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Does name (len bytes) contain needle (lowercase), ignoring case? */
static int ci_contains(const char *name, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++) {
        size_t k = 0;
        while (k < nl && lower(name[i + k]) == needle[k])
            k++;
        if (k == nl)
            return 1;
    }
    return 0;
}

static int ci_equals(const char *name, size_t len, const char *s)
{
    return strlen(s) == len && ci_contains(name, len, s);
}

static int listed(char **v, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (ci_equals(name, len, v[i]))
            return 1;
    return 0;
}

int act_redact_is_secret_header(const struct act_redactor *r, const char *name, size_t len)
{
    static const char *const words[] = {"auth",       "key",    "token",   "secret",
                                        "password",   "passwd", "session", "signature",
                                        "credential", "cookie", "csrf"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (ci_contains(name, len, words[i]))
            return 1;
    return r && listed(r->headers, r->n_headers, name, len);
}

int act_redact_is_secret_query(const struct act_redactor *r, const char *name, size_t len)
{
    static const char *const words[] = {
        "token",  "secret",  "password", "passwd",  "signature",     "credential", "session",
        "apikey", "api_key", "api-key",  "private", "authorization", "cookie"};
    static const char *const exact[] = {"key", "sig", "pwd", "pass", "auth", "code"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (ci_contains(name, len, words[i]))
            return 1;
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (ci_equals(name, len, exact[i]))
            return 1;
    if (len >= 3 && ci_equals(name + len - 3, 3, "key"))
        return 1; /* subscription-key, access_key, ... */
    return r && listed(r->queries, r->n_queries, name, len);
}

/* ------------------------------------------------------------------------ */
/* Pass 1: shapes                                                            */

static int tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Characters that end a URL or a parameter value in running text. */
static int stop(unsigned char c)
{
    return c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == 0x7f;
}

/*
 * If line (len bytes, no line end) is a header line, possibly after a trace
 * marker ("> ", "< "), with a secret name: set *name_end to the colon and
 * return 1.
 */
static int secret_header_line(const struct act_redactor *r, const char *line, size_t len,
                              size_t *colon)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i + 1 < len && (line[i] == '>' || line[i] == '<') && line[i + 1] == ' ')
        i += 2;
    size_t start = i;
    while (i < len && tchar((unsigned char)line[i]))
        i++;
    if (i == start || i >= len || line[i] != ':')
        return 0;
    if (!act_redact_is_secret_header(r, line + start, i - start))
        return 0;
    *colon = i;
    return 1;
}

/* Userinfo and secret parameters of one line (no header shape). */
static enum act_status mask_line(const struct act_redactor *r, const char *s, size_t len,
                                 struct act_buf *out)
{
    size_t i = 0;
    int boundary = 1; /* at a place where a parameter name may start */
    while (i < len) {
        /* URL userinfo: "scheme://user:pw@host" */
        if (i + 3 <= len && memcmp(s + i, "://", 3) == 0) {
            size_t a = i + 3, at = 0, k;
            for (k = a; k < len && !stop((unsigned char)s[k]) && !strchr("/?#", s[k]); k++)
                if (s[k] == '@')
                    at = k;
            if (act_buf_add(out, "://", 3))
                return ACT_ERR_NOMEM;
            i = a;
            if (at) {
                if (act_buf_adds(out, ACT_REDACT_MASK))
                    return ACT_ERR_NOMEM;
                i = at;
            }
            boundary = 0;
            continue;
        }
        /* JSON member with a secret name: "access_token": "abc" */
        if (s[i] == '"') {
            size_t k = i + 1;
            while (k < len && s[k] != '"' && s[k] != '\\')
                k++;
            size_t v = k + 1;
            while (v < len && (s[v] == ' ' || s[v] == '\t'))
                v++;
            if (k < len && s[k] == '"' && v < len && s[v] == ':') {
                v++;
                while (v < len && (s[v] == ' ' || s[v] == '\t'))
                    v++;
                if (v < len && s[v] == '"' && act_redact_is_secret_query(r, s + i + 1, k - i - 1)) {
                    size_t e = v + 1;
                    while (e < len && s[e] != '"')
                        e += s[e] == '\\' && e + 1 < len ? 2 : 1;
                    if (act_buf_add(out, s + i, v + 1 - i) || act_buf_adds(out, ACT_REDACT_MASK))
                        return ACT_ERR_NOMEM;
                    i = e;
                    boundary = 0;
                    continue;
                }
            }
        }
        if (boundary) {
            size_t k = i;
            while (k < len && !stop((unsigned char)s[k]) && !strchr("=&?#;,", s[k]))
                k++;
            if (k > i && k < len && s[k] == '=' && act_redact_is_secret_query(r, s + i, k - i)) {
                size_t v = k + 1;
                while (v < len && !stop((unsigned char)s[v]) && !strchr("&#,", s[v]))
                    v++;
                if (act_buf_add(out, s + i, k + 1 - i))
                    return ACT_ERR_NOMEM;
                if (v > k + 1 && act_buf_adds(out, ACT_REDACT_MASK))
                    return ACT_ERR_NOMEM;
                i = v;
                boundary = 0;
                continue;
            }
        }
        boundary = s[i] == '?' || s[i] == '&';
        if (act_buf_addc(out, s[i]))
            return ACT_ERR_NOMEM;
        i++;
    }
    return ACT_OK;
}

static enum act_status shapes(const struct act_redactor *r, const char *text, size_t len,
                              struct act_buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, body = end, colon;
        if (body > i && text[body - 1] == '\r')
            body--;
        enum act_status st;
        if (secret_header_line(r, text + i, body - i, &colon)) {
            st = act_buf_add(out, text + i, colon + 1);
            if (!st)
                st = act_buf_adds(out, " " ACT_REDACT_MASK);
        } else {
            st = mask_line(r, text + i, body - i, out);
        }
        if (!st)
            st = act_buf_add(out, text + body, end - body + (nl ? 1 : 0));
        if (st)
            return st;
        i = end + (nl ? 1 : 0);
    }
    return ACT_OK;
}

/* ------------------------------------------------------------------------ */
/* Pass 2: known values                                                      */

static enum act_status replace_all(const char *text, size_t len, const char *secret,
                                   struct act_buf *out)
{
    size_t sl = strlen(secret), i = 0;
    while (i < len) {
        const char *hit = memmem(text + i, len - i, secret, sl);
        size_t upto = hit ? (size_t)(hit - text) : len;
        if (act_buf_add(out, text + i, upto - i))
            return ACT_ERR_NOMEM;
        if (!hit)
            break;
        if (act_buf_adds(out, ACT_REDACT_MASK))
            return ACT_ERR_NOMEM;
        i = upto + sl;
    }
    return ACT_OK;
}

enum act_status act_redact_text(const struct act_redactor *r, const char *text, size_t len,
                                struct act_buf *out)
{
    struct act_buf a, b;
    act_buf_init(&a);
    act_buf_init(&b);
    enum act_status st = shapes(r, text, len, &a);
    for (size_t i = 0; !st && r && i < r->n_secrets; i++) {
        act_buf_reset(&b);
        st = replace_all(a.data, a.len, r->secrets[i], &b);
        struct act_buf t = a;
        a = b;
        b = t;
    }
    if (!st)
        st = act_buf_add(out, a.data, a.len);
    act_buf_release(&a);
    act_buf_release(&b);
    return st;
}

enum act_status act_redact_str(const struct act_redactor *r, const char *text, struct act_buf *out)
{
    struct act_buf tmp;
    act_buf_init(&tmp);
    enum act_status st = act_redact_text(r, text, strlen(text), &tmp);
    if (!st) {
        act_buf_release(out);
        *out = tmp;
        return ACT_OK;
    }
    act_buf_release(&tmp);
    return st;
}

enum act_status act_redact_header(const struct act_redactor *r, const char *line, size_t len,
                                  struct act_buf *out)
{
    const char *colon = memchr(line, ':', len);
    if (colon) {
        size_t n = (size_t)(colon - line);
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            n--;
        if (n > 0 && act_redact_is_secret_header(r, line, n)) {
            if (act_buf_add(out, line, (size_t)(colon - line) + 1))
                return ACT_ERR_NOMEM;
            return act_buf_adds(out, " " ACT_REDACT_MASK);
        }
    }
    return act_redact_text(r, line, len, out);
}
