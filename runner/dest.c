/*
 * dest.c - loading and checking destinations (see dest.h).
 *
 * Two readers feed one checker. The YAML/JSON reader (through act_doc_load)
 * and the Java-properties reader both produce a `struct reader`: the raw
 * properties of one destination in file order, with where each stands. Then
 * build() expands ${VAR}, applies the removed-on-export markers, validates
 * the BTP properties and fills a struct act_dest. Positions: properties files
 * count their own lines; YAML/JSON nodes are located only when a message
 * needs one (act_error_at_node), so loading never pays for it.
 */
#include "dest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "common/act_base64.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_suggest.h"
#include "common/act_utf8.h"
#include "parser/doc.h"
#include "parser/pointer.h"
#include "parser/ref.h"
#include "parser/text.h"
#include "runner/http.h"

#define NONE ((size_t)-1) /* "the destination as a whole" instead of one property */

/* BTP's text for a secret an export left out. */
#define REMOVED_MARK "removed on export"

/* One destination being read. */
struct reader {
    const char *file;          /* file for messages */
    const struct act_doc *doc; /* YAML/JSON source, or NULL for a properties file */
    const cJSON *obj;          /* the destination's object in doc */
    int line;                  /* properties file: line of the first property */
    struct act_kv *props;      /* raw properties, file order (owned) */
    const cJSON **nodes;       /* doc: node of each property, parallel to props (owned) */
    size_t n, cap;
    struct act_buf missing; /* secrets removed on export, ", "-separated */
    int locate;             /* doc: find the destination's line for d->line */
    struct act_error *err;
};

static void reader_init(struct reader *r, const char *file, const struct act_doc *doc,
                        struct act_error *err)
{
    memset(r, 0, sizeof(*r));
    r->file = file;
    r->doc = doc;
    r->err = err;
    act_buf_init(&r->missing);
}

static void kv_release(struct act_kv *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        act_free(v[i].name);
        act_free(v[i].value);
    }
    act_free(v);
}

static void reader_release(struct reader *r)
{
    kv_release(r->props, r->n);
    act_free(r->nodes);
    act_buf_release(&r->missing);
    r->props = NULL;
    r->nodes = NULL;
    r->n = r->cap = 0;
}

static enum act_status nomem(struct reader *r)
{
    return act_error_set(r->err, ACT_ERR_NOMEM, r->file, 0, 0, "out of memory");
}

/* Record an error at property i (or the destination when i is NONE). */
static enum act_status fail_at(struct reader *r, size_t i, enum act_status st, const char *fmt, ...)
    ACT_PRINTF(4, 5);
static enum act_status fail_at(struct reader *r, size_t i, enum act_status st, const char *fmt, ...)
{
    char msg[ACT_ERROR_MSG_MAX];
    va_list ap;
    if (!r->err || r->err->status != ACT_OK)
        return st;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    int line = i == NONE ? r->line : r->props[i].line;
    act_error_set(r->err, st, r->file, line, 0, "%s", msg);
    if (r->doc)
        act_error_at_node(r->err, r->doc, i == NONE ? r->obj : r->nodes[i]);
    return st;
}

/* Take name and value (both freed on failure). */
static enum act_status add_prop(struct reader *r, char *name, char *value, int line,
                                const cJSON *node)
{
    if (!name || !value) {
        act_free(name);
        act_free(value);
        return nomem(r);
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct act_kv *p = act_realloc(r->props, cap * sizeof(*p));
        if (!p)
            goto oom;
        r->props = p;
        const cJSON **nd = act_realloc(r->nodes, cap * sizeof(*nd));
        if (!nd)
            goto oom;
        r->nodes = nd;
        r->cap = cap;
    }
    r->props[r->n] = (struct act_kv){name, value, line};
    r->nodes[r->n] = node;
    r->n++;
    return ACT_OK;
oom:
    act_free(name);
    act_free(value);
    return nomem(r);
}

static enum act_status add_missing(struct reader *r, const char *name, size_t len)
{
    if ((r->missing.len && act_buf_adds(&r->missing, ", ")) || act_buf_add(&r->missing, name, len))
        return nomem(r);
    return ACT_OK;
}

/* ------------------------------------------------------------------------ */
/* Secrets and small helpers                                                 */

static int ci_has(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return 1;
    return 0;
}

int act_dest_is_secret(const char *name)
{
    if (strncmp(name, "URL.headers.", 12) == 0) {
        const char *h = name + 12;
        return act_redact_is_secret_header(NULL, h, strlen(h));
    }
    if (strncmp(name, "URL.queries.", 12) == 0) {
        const char *q = name + 12;
        return act_redact_is_secret_query(NULL, q, strlen(q));
    }
    size_t len = strlen(name);
    return ci_has(name, "password") || ci_has(name, "secret") || ci_has(name, "passphrase") ||
           ci_has(name, "privatekey") || (len >= 5 && strcasecmp(name + len - 5, "token") == 0);
}

const char *act_proxy_name(enum act_proxy_type p)
{
    return p == ACT_PROXY_ONPREMISE ? "OnPremise" : "Internet";
}

static const char *find(const struct reader *r, const char *name, size_t *idx)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->props[i].name, name) == 0) {
            if (idx)
                *idx = i;
            return r->props[i].value;
        }
    return NULL;
}

/* An untrusted value fit for a message: clipped, escaped, URL userinfo masked. */
static const char *echo_value(char *buf, size_t size, const char *name, const char *value)
{
    if (act_dest_is_secret(name))
        return ACT_REDACT_MASK;
    struct act_buf b;
    act_buf_init(&b);
    if (act_redact_str(NULL, value, &b) != ACT_OK) {
        act_buf_release(&b);
        return "(value)";
    }
    act_echo(buf, size, b.data, b.len);
    act_buf_release(&b);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* ${VAR} expansion                                                          */

static int var_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int var_char(char c)
{
    return var_start(c) || (c >= '0' && c <= '9');
}

static enum act_status expand(struct reader *r, size_t i)
{
    const char *v = r->props[i].value;
    if (!strchr(v, '$'))
        return ACT_OK;
    struct act_buf b;
    char echo[ACT_ECHO_SIZE];
    act_buf_init(&b);
    for (const char *p = v; *p;) {
        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            if (act_buf_add(&b, "${", 2))
                goto oom;
            p += 3;
            continue;
        }
        if (p[0] != '$' || p[1] != '{') {
            if (act_buf_addc(&b, *p++))
                goto oom;
            continue;
        }
        const char *s = p + 2, *e = s;
        while (var_char(*e))
            e++;
        if (*e != '}' || e == s || !var_start(*s)) {
            const char *close = strchr(s, '}');
            size_t n = close ? (size_t)(close - s) : strlen(s);
            act_buf_release(&b);
            return fail_at(r, i, ACT_ERR_INVALID,
                           "property \"%s\": malformed variable reference \"${%s%s\" (write "
                           "${NAME} with letters, digits and _, or $${ for a literal ${)",
                           r->props[i].name, act_echo(echo, sizeof(echo), s, n), close ? "}" : "");
        }
        char name[256];
        size_t n = (size_t)(e - s);
        if (n >= sizeof(name)) {
            act_buf_release(&b);
            return fail_at(r, i, ACT_ERR_INVALID, "property \"%s\": variable name too long",
                           r->props[i].name);
        }
        memcpy(name, s, n);
        name[n] = '\0';
        const char *val = getenv(name);
        if (!val) {
            act_buf_release(&b);
            return fail_at(r, i, ACT_ERR_INVALID,
                           "property \"%s\" uses ${%s}, but the environment variable %s is not "
                           "set",
                           r->props[i].name, name, name);
        }
        if (act_buf_adds(&b, val))
            goto oom;
        p = e + 1;
    }
    char *nv = act_buf_detach(&b, NULL);
    if (!nv)
        goto oom;
    act_free(r->props[i].value);
    r->props[i].value = nv;
    return ACT_OK;
oom:
    act_buf_release(&b);
    return nomem(r);
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                */

static const char *const unsupported_auth[] = {
    "ClientCertificateAuthentication",
    "PrincipalPropagation",
    "SAMLAssertion",
    "OAuth2SAMLBearerAssertion",
    "OAuth2UserTokenExchange",
    "OAuth2JWTBearer",
    "OAuth2Password",
    "OAuth2AuthorizationCode",
    "OAuth2RefreshToken",
    "OAuth2TechnicalUserPropagation",
    "SAPAssertionSSO",
    "OAuth2ClientCredentialsMTLS",
    "AppToAppSSO",
};

/* Check an http(s) URL; on failure *why says what is wrong. */
static int bool_value(const char *v, int *out)
{
    if (strcasecmp(v, "true") == 0)
        *out = 1;
    else if (strcasecmp(v, "false") == 0)
        *out = 0;
    else
        return 0;
    return 1;
}

static int header_name_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!var_char(*s) && !strchr("!#$%&'*+-.^`|~", *s))
            return 0;
    return 1;
}

static int has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < ' ' || *s == 0x7f)
            return 1;
    return 0;
}

/* Is name one of the ", "-separated names of list? */
static int in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
            return 1;
    return 0;
}

/* Duplicate a possibly absent value; 0 on allocation failure. */
static int dup_opt(char **dst, const char *src)
{
    if (!src)
        return 1;
    *dst = act_strdup(src);
    return *dst != NULL;
}

static void dest_release(struct act_dest *d)
{
    act_free(d->name);
    act_free(d->url);
    act_free(d->auth_name);
    act_free(d->user);
    act_free(d->password);
    act_free(d->token_url);
    act_free(d->client_id);
    act_free(d->client_secret);
    act_free(d->scope);
    act_free(d->location_id);
    kv_release(d->headers, d->n_headers);
    kv_release(d->queries, d->n_queries);
    kv_release(d->props, d->n_props);
    act_free(d->missing_secret);
    act_free(d->file);
    memset(d, 0, sizeof(*d));
}

/* Copy the URL.headers.* or URL.queries.* entries of r into *v. */
static enum act_status collect(struct reader *r, const char *prefix, struct act_kv **v, size_t *n)
{
    size_t plen = strlen(prefix), count = 0;
    for (size_t i = 0; i < r->n; i++)
        count += strncmp(r->props[i].name, prefix, plen) == 0;
    if (!count)
        return ACT_OK;
    *v = act_calloc(count, sizeof(**v));
    if (!*v)
        return nomem(r);
    for (size_t i = 0; i < r->n; i++) {
        if (strncmp(r->props[i].name, prefix, plen) != 0)
            continue;
        struct act_kv *kv = &(*v)[(*n)++];
        kv->name = act_strdup(r->props[i].name + plen);
        kv->value = act_strdup(r->props[i].value);
        kv->line = r->props[i].line;
        if (!kv->name || !kv->value)
            return nomem(r);
    }
    return ACT_OK;
}

/* Validate the properties of r and fill d (released by the caller on failure). */
static enum act_status build(struct reader *r, struct act_dest *d)
{
    enum act_status st;
    char echo[ACT_ECHO_SIZE];
    size_t i, at;

    for (i = 0; i < r->n; i++)
        if ((st = expand(r, i)))
            return st;
    /* A value BTP wrote in place of a secret counts as the secret's absence. */
    for (i = 0; i < r->n;) {
        const char *v = r->props[i].value;
        if (strncmp(v, "<<", 2) == 0 && strstr(v, REMOVED_MARK)) {
            if ((st = add_missing(r, r->props[i].name, strlen(r->props[i].name))))
                return st;
            act_free(r->props[i].name);
            act_free(r->props[i].value);
            memmove(&r->props[i], &r->props[i + 1], (r->n - i - 1) * sizeof(*r->props));
            memmove(&r->nodes[i], &r->nodes[i + 1], (r->n - i - 1) * sizeof(*r->nodes));
            r->n--;
            continue;
        }
        i++;
    }
    for (i = 0; i < r->n; i++) {
        size_t first;
        if (find(r, r->props[i].name, &first) && first != i)
            return fail_at(r, i, ACT_ERR_INVALID, "duplicate property \"%s\" (first at line %d)",
                           r->props[i].name, r->props[first].line);
    }

    const char *name = find(r, "Name", &at);
    if (!name)
        return fail_at(r, NONE, ACT_ERR_INVALID, "destination has no \"Name\"");
    size_t nlen = strlen(name);
    size_t bad = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
    if (nlen == 0 || nlen > 200 || bad != nlen)
        return fail_at(r, at, ACT_ERR_INVALID,
                       "invalid destination name \"%s\": use 1 to 200 letters, digits, _ and -",
                       act_echo(echo, sizeof(echo), name, nlen));

    const char *type = find(r, "Type", &at);
    if (type && strcmp(type, "HTTP") != 0)
        return fail_at(r, at, ACT_ERR_INVALID,
                       "destination \"%s\": Type \"%s\" is not supported (only HTTP)", name,
                       act_echo(echo, sizeof(echo), type, strlen(type)));

    const char *url = find(r, "URL", &at), *why;
    if (!url)
        return fail_at(r, NONE, ACT_ERR_INVALID, "destination \"%s\" has no \"URL\"", name);
    if ((why = act_url_problem(url)) != NULL)
        return fail_at(r, at, ACT_ERR_INVALID, "destination \"%s\": URL \"%s\" %s", name,
                       echo_value(echo, sizeof(echo), "URL", url), why);

    d->proxy = ACT_PROXY_INTERNET;
    const char *proxy = find(r, "ProxyType", &at);
    if (proxy && strcmp(proxy, "OnPremise") == 0)
        d->proxy = ACT_PROXY_ONPREMISE;
    else if (proxy && strcmp(proxy, "Internet") != 0)
        return fail_at(r, at, ACT_ERR_INVALID,
                       "destination \"%s\": unknown ProxyType \"%s\" (use Internet or OnPremise)",
                       name, act_echo(echo, sizeof(echo), proxy, strlen(proxy)));

    const char *auth = find(r, "Authentication", &at);
    if (!auth)
        auth = "NoAuthentication";
    if (strcmp(auth, "NoAuthentication") == 0) {
        d->auth = ACT_AUTH_NONE;
    } else if (strcmp(auth, "BasicAuthentication") == 0) {
        d->auth = ACT_AUTH_BASIC;
    } else if (strcmp(auth, "OAuth2ClientCredentials") == 0) {
        d->auth = ACT_AUTH_OAUTH2_CC;
    } else {
        size_t k;
        for (k = 0; k < sizeof(unsupported_auth) / sizeof(*unsupported_auth); k++)
            if (strcmp(auth, unsupported_auth[k]) == 0)
                break;
        if (k == sizeof(unsupported_auth) / sizeof(*unsupported_auth))
            return fail_at(r, at, ACT_ERR_INVALID,
                           "destination \"%s\": unknown Authentication \"%s\" (use "
                           "NoAuthentication, BasicAuthentication or OAuth2ClientCredentials)",
                           name, act_echo(echo, sizeof(echo), auth, strlen(auth)));
        d->auth = ACT_AUTH_UNSUPPORTED;
    }

    /* The removed-on-export names that the file does not supply after all. */
    struct act_buf miss;
    act_buf_init(&miss);
    for (const char *p = r->missing.data; *p;) {
        size_t n = strcspn(p, ",");
        char one[256];
        snprintf(one, sizeof(one), "%.*s", (int)(n < 255 ? n : 255), p);
        if (!find(r, one, NULL) &&
            ((miss.len && act_buf_adds(&miss, ", ")) || act_buf_adds(&miss, one))) {
            act_buf_release(&miss);
            return nomem(r);
        }
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    int removed_pw = in_list(miss.data, "Password");
    int removed_cs = in_list(miss.data, "clientSecret");
    if (miss.len && !(d->missing_secret = act_buf_detach(&miss, NULL))) {
        act_buf_release(&miss);
        return nomem(r);
    }
    act_buf_release(&miss);

    static const char *const basic_req[] = {"User", "Password"};
    static const char *const oauth_req[] = {"tokenServiceURL", "clientId", "clientSecret"};
    const char *const *req = d->auth == ACT_AUTH_BASIC       ? basic_req
                             : d->auth == ACT_AUTH_OAUTH2_CC ? oauth_req
                                                             : NULL;
    size_t n_req = d->auth == ACT_AUTH_BASIC ? 2 : d->auth == ACT_AUTH_OAUTH2_CC ? 3 : 0;
    for (size_t k = 0; k < n_req; k++) {
        if (find(r, req[k], NULL))
            continue;
        if ((strcmp(req[k], "Password") == 0 && removed_pw) ||
            (strcmp(req[k], "clientSecret") == 0 && removed_cs))
            continue;
        return fail_at(r, NONE, ACT_ERR_INVALID, "destination \"%s\": %s needs \"%s\"", name, auth,
                       req[k]);
    }
    const char *tok = find(r, "tokenServiceURL", &at);
    if (d->auth == ACT_AUTH_OAUTH2_CC && (why = act_url_problem(tok)) != NULL)
        return fail_at(r, at, ACT_ERR_INVALID, "destination \"%s\": tokenServiceURL \"%s\" %s",
                       name, echo_value(echo, sizeof(echo), "tokenServiceURL", tok), why);

    /* Booleans, and names and values that end up in requests. */
    d->creds_in_body = 1;
    for (i = 0; i < r->n; i++) {
        const char *k = r->props[i].name, *v = r->props[i].value;
        int *flag = NULL;
        if (strcmp(k, "TrustAll") == 0)
            flag = &d->trust_all;
        else if (strcmp(k, "sap.processautomation.enabled") == 0)
            flag = &d->pa_enabled;
        else if (strcmp(k, "sap.applicationdevelopment.actions.enabled") == 0)
            flag = &d->actions_enabled;
        else if (strcmp(k, "tokenService.addClientCredentialsInBody") == 0)
            flag = &d->creds_in_body;
        if (flag && !bool_value(v, flag))
            return fail_at(r, i, ACT_ERR_INVALID,
                           "destination \"%s\": %s must be true or false, not \"%s\"", name, k,
                           act_echo(echo, sizeof(echo), v, strlen(v)));
        if (!k[0])
            return fail_at(r, i, ACT_ERR_INVALID, "destination \"%s\": empty property name", name);
        int hdr = strncmp(k, "URL.headers.", 12) == 0;
        if (hdr && !header_name_ok(k + 12))
            return fail_at(r, i, ACT_ERR_INVALID,
                           "destination \"%s\": \"%s\" does not name a valid header", name,
                           act_echo(echo, sizeof(echo), k, strlen(k)));
        if (strncmp(k, "URL.queries.", 12) == 0 && !k[12])
            return fail_at(r, i, ACT_ERR_INVALID,
                           "destination \"%s\": \"URL.queries.\" needs a parameter name", name);
        /* CR or LF in anything sent would let a value inject headers. */
        if ((hdr || strncmp(k, "URL.queries.", 12) == 0 || strcmp(k, "User") == 0 ||
             strcmp(k, "Password") == 0 || strcmp(k, "clientId") == 0 ||
             strcmp(k, "clientSecret") == 0 || strcmp(k, "scope") == 0) &&
            has_ctl(v))
            return fail_at(r, i, ACT_ERR_INVALID,
                           "destination \"%s\": %s contains a control character", name, k);
    }

    if (!dup_opt(&d->name, name) || !dup_opt(&d->url, url) || !dup_opt(&d->auth_name, auth) ||
        !dup_opt(&d->user, find(r, "User", NULL)) ||
        !dup_opt(&d->password, find(r, "Password", NULL)) ||
        !dup_opt(&d->token_url, find(r, "tokenServiceURL", NULL)) ||
        !dup_opt(&d->client_id, find(r, "clientId", NULL)) ||
        !dup_opt(&d->client_secret, find(r, "clientSecret", NULL)) ||
        !dup_opt(&d->scope, find(r, "scope", NULL)) ||
        !dup_opt(&d->location_id, find(r, "CloudConnectorLocationId", NULL)) ||
        !dup_opt(&d->file, r->file))
        return nomem(r);
    if ((st = collect(r, "URL.headers.", &d->headers, &d->n_headers)) ||
        (st = collect(r, "URL.queries.", &d->queries, &d->n_queries)))
        return st;
    size_t name_at = 0;
    find(r, "Name", &name_at);
    d->line = r->props[name_at].line;
    /* The properties move to d: the reader is done with them. */
    d->props = r->props;
    d->n_props = r->n;
    act_free(r->nodes);
    r->props = NULL;
    r->nodes = NULL;
    r->n = r->cap = 0;
    d->from_properties = r->doc == NULL;
    if (r->doc && r->locate) {
        struct act_buf ptr;
        int line, col;
        long failed = act_alloc_failed(); /* locating may run out of memory quietly */
        act_buf_init(&ptr);
        st = act_pointer_of(r->doc->root, r->obj, &ptr);
        if (st == ACT_OK && act_doc_locate(r->doc, ptr.data, &line, &col))
            d->line = line;
        act_buf_release(&ptr);
        if (st == ACT_ERR_NOMEM || act_alloc_failed() != failed)
            return nomem(r);
    }
    return ACT_OK;
}

/* ------------------------------------------------------------------------ */
/* The set                                                                   */

struct loader {
    struct act_destset *ds;
    size_t cap;
    struct act_error *err;
};

/* Build r into a new destination of the set. */
static enum act_status append(struct loader *l, struct reader *r)
{
    struct act_destset *ds = l->ds;
    if (ds->n >= ACT_MAX_DESTINATIONS)
        return fail_at(r, NONE, ACT_ERR_LIMIT, "more than %d destinations", ACT_MAX_DESTINATIONS);
    if (ds->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct act_dest *v = act_realloc(ds->v, cap * sizeof(*v));
        if (!v)
            return nomem(r);
        ds->v = v;
        l->cap = cap;
    }
    struct act_dest *d = &ds->v[ds->n];
    memset(d, 0, sizeof(*d));
    enum act_status st = build(r, d);
    if (st) {
        dest_release(d);
        return st;
    }
    for (size_t i = 0; i < ds->n; i++) {
        if (strcmp(ds->v[i].name, d->name) == 0) {
            st = ACT_ERR_INVALID;
            if (l->err && l->err->status == ACT_OK) {
                act_error_set(l->err, st, d->file, d->line, 0, "duplicate destination name \"%s\"",
                              d->name);
                if (r->doc && !d->line)
                    act_error_at_node(l->err, r->doc, r->obj);
                act_error_set_context(l->err, "first defined at %s:%d", ds->v[i].file,
                                      ds->v[i].line);
            }
            dest_release(d);
            return st;
        }
    }
    ds->n++;
    return ACT_OK;
}

/* ------------------------------------------------------------------------ */
/* YAML and JSON                                                             */

static enum act_status scalar_string(const cJSON *v, char **out)
{
    char num[64];
    *out = NULL;
    if (cJSON_IsString(v))
        *out = act_strdup(v->valuestring);
    else if (cJSON_IsBool(v))
        *out = act_strdup(cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d > -1e15 && d < 1e15 && d == (double)(long long)d) /* cast only in range */
            snprintf(num, sizeof(num), "%lld", (long long)d);
        else
            snprintf(num, sizeof(num), "%.17g", d);
        *out = act_strdup(num);
    } else
        return ACT_ERR_INVALID;
    return *out ? ACT_OK : ACT_ERR_NOMEM;
}

static enum act_status load_doc(struct loader *l, const struct act_doc *doc)
{
    const cJSON *root = doc->root, *list = root;
    struct act_error *err = l->err;
    char echo[ACT_ECHO_SIZE];
    if (cJSON_IsObject(root)) {
        list = NULL;
        for (const cJSON *k = root->child; k; k = k->next) {
            if (strcmp(k->string, "destinations") == 0) {
                list = k;
                continue;
            }
            act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0,
                          "unknown key \"%s\" in destinations file (expected \"destinations\")",
                          act_echo(echo, sizeof(echo), k->string, strlen(k->string)));
            act_error_at_node(err, doc, k);
            return ACT_ERR_INVALID;
        }
        if (!list) {
            act_error_set(err, ACT_ERR_INVALID, doc->path, 1, 1,
                          "destinations file has no \"destinations\" list");
            return ACT_ERR_INVALID;
        }
    }
    if (!cJSON_IsArray(list)) {
        act_error_set(err, ACT_ERR_INVALID, doc->path, 1, 1,
                      "\"destinations\" must be a list of destinations");
        if (list != root)
            act_error_at_node(err, doc, list);
        return ACT_ERR_INVALID;
    }
    size_t index = 0;
    for (const cJSON *o = list->child; o; o = o->next) {
        struct reader r;
        reader_init(&r, doc->path, doc, err);
        r.obj = o;
        r.locate = index++ < ACT_DEST_LOCATE_MAX;
        enum act_status st = ACT_OK;
        if (!cJSON_IsObject(o))
            st = fail_at(&r, NONE, ACT_ERR_INVALID,
                         "a destination must be a mapping of property names to values");
        for (const cJSON *p = cJSON_IsObject(o) ? o->child : NULL; p && !st; p = p->next) {
            char *value;
            st = scalar_string(p, &value);
            if (st == ACT_ERR_NOMEM)
                st = nomem(&r);
            else if (st && err && err->status == ACT_OK) {
                act_error_set(err, st, doc->path, 0, 0,
                              "property \"%s\" must be a string, number or boolean",
                              act_echo(echo, sizeof(echo), p->string, strlen(p->string)));
                act_error_at_node(err, doc, p);
            }
            if (st)
                break;
            st = add_prop(&r, act_strdup(p->string), value, 0, p);
        }
        if (!st)
            st = append(l, &r);
        reader_release(&r);
        if (st)
            return st;
    }
    return ACT_OK;
}

/* ------------------------------------------------------------------------ */
/* Java-properties files                                                     */

/* Java's ISO-8859-1 reading, for files that are not UTF-8: a new UTF-8 copy. */
static char *latin1_to_utf8(const char *t, size_t len, size_t *out_len)
{
    struct act_buf b;
    act_buf_init(&b);
    for (size_t i = 0; i < len; i++)
        if (act_buf_add_utf8(&b, (unsigned char)t[i])) {
            act_buf_release(&b);
            return NULL;
        }
    return act_buf_detach(&b, out_len);
}

/* Unescape s[0..n) (one key or value of a logical line) into a new string. */
static enum act_status unescape(struct reader *r, int line, const char *s, size_t n, char **out)
{
    struct act_buf b;
    enum act_status st = ACT_OK;
    act_buf_init(&b);
    *out = NULL;
    for (size_t i = 0; i < n && !st; i++) {
        if (s[i] != '\\') {
            st = act_buf_addc(&b, s[i]);
            continue;
        }
        if (++i >= n)
            break; /* a lone backslash at the very end: Java drops it */
        char c = s[i];
        if (c == 't' || c == 'n' || c == 'r' || c == 'f') {
            st = act_buf_addc(&b, c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : '\f');
            continue;
        }
        if (c != 'u') {
            st = act_buf_addc(&b, c);
            continue;
        }
        unsigned cp, lo;
        if (i + 4 >= n)
            goto bad;
        if (!act_hex4(s + i + 1, &cp))
            goto bad;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u' && act_hex4(s + i + 3, &lo) &&
                lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else
                goto bad;
        } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0)
            goto bad;
        st = act_buf_add_utf8(&b, cp);
    }
    if (st) {
        act_buf_release(&b);
        return nomem(r);
    }
    *out = act_buf_detach(&b, NULL);
    return *out ? ACT_OK : nomem(r);
bad:
    act_buf_release(&b);
    return act_error_set(r->err, ACT_ERR_INVALID, r->file, line, 0,
                         "malformed \\uXXXX escape (four hex digits, no NUL, surrogates in pairs)");
}

static int pspace(char c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

/* Split a logical line into key and value (both still escaped). */
static void split(const char *s, size_t n, size_t *klen, size_t *vstart)
{
    size_t i = 0;
    while (i < n && s[i] != '=' && s[i] != ':' && !pspace(s[i]))
        i += s[i] == '\\' && i + 1 < n ? 2 : 1;
    *klen = i < n ? i : n;
    while (i < n && pspace(s[i]))
        i++;
    if (i < n && (s[i] == '=' || s[i] == ':'))
        i++;
    while (i < n && pspace(s[i]))
        i++;
    *vstart = i;
}

/* A comment "#Password=<< Existing password/certificate removed on export >>". */
static enum act_status comment(struct reader *r, const char *s, size_t n)
{
    size_t klen, v;
    while (n && (s[n - 1] == '\r'))
        n--;
    split(s, n, &klen, &v);
    if (klen == 0 || v >= n || s[v] != '<' ||
        !memmem(s + v, n - v, REMOVED_MARK, strlen(REMOVED_MARK)))
        return ACT_OK;
    return add_missing(r, s, klen);
}

static enum act_status parse_properties(struct reader *r, const char *t, size_t len)
{
    struct act_buf logical;
    enum act_status st = ACT_OK;
    size_t i = 0;
    int line = 1;
    act_buf_init(&logical);
    while (i < len && !st) {
        /* Start of a natural line. */
        while (i < len && pspace(t[i]))
            i++;
        size_t eol = i;
        while (eol < len && t[eol] != '\n' && t[eol] != '\r')
            eol++;
        if (i == eol || t[i] == '#' || t[i] == '!') {
            if (i < eol && (st = comment(r, t + i + 1, eol - i - 1)))
                break;
            goto next_line;
        }
        int start_line = line;
        act_buf_reset(&logical);
        for (;;) {
            size_t bs = 0;
            while (bs < eol - i && t[eol - 1 - bs] == '\\')
                bs++;
            int cont = bs % 2 == 1;
            if (act_buf_add(&logical, t + i, eol - i - (cont ? 1 : 0))) {
                st = nomem(r);
                break;
            }
            if (!cont || eol >= len)
                break;
            /* Continue on the next natural line, leading white space skipped. */
            eol += t[eol] == '\r' && eol + 1 < len && t[eol + 1] == '\n' ? 2 : 1;
            line++;
            i = eol;
            while (i < len && pspace(t[i]))
                i++;
            eol = i;
            while (eol < len && t[eol] != '\n' && t[eol] != '\r')
                eol++;
        }
        if (st)
            break;
        size_t klen, v;
        split(logical.data, logical.len, &klen, &v);
        char *key = NULL, *val = NULL;
        if ((st = unescape(r, start_line, logical.data, klen, &key)))
            break;
        if ((st = unescape(r, start_line, logical.data + v, logical.len - v, &val))) {
            act_free(key);
            break;
        }
        if (!r->n)
            r->line = start_line;
        st = add_prop(r, key, val, start_line, NULL);
    next_line:
        i = eol;
        if (i < len) {
            i += t[i] == '\r' && i + 1 < len && t[i + 1] == '\n' ? 2 : 1;
            line++;
        }
    }
    act_buf_release(&logical);
    return st;
}

static enum act_status load_properties(struct loader *l, const char *path, const char *text,
                                       size_t len)
{
    struct reader r;
    enum act_status st;
    char *conv = NULL;
    reader_init(&r, path, NULL, l->err);
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int line, col;
        act_text_position(text, len, (size_t)(nul - text), &line, &col);
        return act_error_set(l->err, ACT_ERR_PARSE, path, line, col, "NUL byte in file");
    }
    if (act_utf8_check(text, len) != len) {
        conv = latin1_to_utf8(text, len, &len);
        if (!conv)
            return nomem(&r);
        text = conv;
    }
    r.line = 1;
    st = parse_properties(&r, text, len);
    if (!st && r.n == 0)
        st = act_error_set(l->err, ACT_ERR_INVALID, path, 0, 0,
                           "no properties: not a destination file");
    if (!st)
        st = append(l, &r);
    reader_release(&r);
    act_free(conv);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Files and directories                                                     */

static int doc_ext(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return 0;
    return strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 || strcmp(dot, ".json") == 0;
}

/* Does text look like YAML/JSON rather than a properties file? */
static int looks_like_doc(const char *t, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
            i++;
        if (i < len && t[i] == '#') {
            while (i < len && t[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    const char *s = t + i;
    size_t n = len - i;
    return (n && (*s == '{' || *s == '[')) || (n >= 3 && memcmp(s, "---", 3) == 0) ||
           (n >= 13 && memcmp(s, "destinations:", 13) == 0);
}

static enum act_status load_file(struct loader *l, const char *path)
{
    struct act_doc *doc = NULL;
    enum act_status st;
    if (doc_ext(path)) {
        if ((st = act_doc_load(path, ACT_DOC_AUTO, &doc, l->err)))
            return st;
    } else {
        char *text;
        size_t len = 0;
        if ((st = act_file_read(path, &text, &len, l->err)))
            return st;
        if (!looks_like_doc(text, len)) {
            st = load_properties(l, path, text, len);
            act_free(text);
            return st;
        }
        st = act_doc_parse(path, text, len, ACT_DOC_AUTO, &doc, l->err);
        act_free(text);
        if (st)
            return st;
    }
    st = load_doc(l, doc);
    act_doc_free(doc);
    return st;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum act_status load_dir(struct loader *l, const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return act_error_set(l->err, ACT_ERR_IO, path, 0, 0, "cannot open directory: %s",
                             strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    enum act_status st = ACT_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t el = strlen(e->d_name);
        if (e->d_name[0] == '.' || e->d_name[el - 1] == '~')
            continue;
        struct act_buf full;
        act_buf_init(&full);
        if (act_buf_printf(&full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
                           e->d_name)) {
            st = ACT_ERR_NOMEM;
            break;
        }
        struct stat sb;
        if (stat(full.data, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            act_buf_release(&full);
            continue;
        }
        if (n >= ACT_MAX_DESTINATIONS) {
            act_buf_release(&full);
            st = act_error_set(l->err, ACT_ERR_LIMIT, path, 0, 0, "more than %d files",
                               ACT_MAX_DESTINATIONS);
            break;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nv = act_realloc(names, nc * sizeof(*nv));
            if (!nv) {
                act_buf_release(&full);
                st = ACT_ERR_NOMEM;
                break;
            }
            names = nv;
            cap = nc;
        }
        names[n] = act_buf_detach(&full, NULL);
        if (!names[n]) {
            st = ACT_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (st == ACT_ERR_NOMEM)
        act_error_set(l->err, st, path, 0, 0, "out of memory");
    if (!st && n == 0)
        st =
            act_error_set(l->err, ACT_ERR_INVALID, path, 0, 0, "no destination files in directory");
    if (!st)
        qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n && !st; i++)
        st = load_file(l, names[i]);
    for (size_t i = 0; i < n; i++)
        act_free(names[i]);
    act_free(names);
    return st;
}

/* Start a loader on an empty set read from source. */
static enum act_status loader_start(struct loader *l, const char *source, struct act_error *err)
{
    *l = (struct loader){0};
    l->err = err;
    l->ds = act_calloc(1, sizeof(*l->ds));
    if (!l->ds || !(l->ds->source = act_strdup(source))) {
        act_destset_free(l->ds);
        return act_error_set(err, ACT_ERR_NOMEM, source, 0, 0, "out of memory");
    }
    return ACT_OK;
}

/* End a loader: its set into *out when st is ACT_OK, else freed; returns st. */
static enum act_status loader_finish(struct loader *l, enum act_status st, struct act_destset **out)
{
    if (st)
        act_destset_free(l->ds);
    else
        *out = l->ds;
    return st;
}

enum act_status act_destset_load(const char *path, struct act_destset **out, struct act_error *err)
{
    struct loader l;
    enum act_status st;
    struct stat sb;
    *out = NULL;
    if ((st = loader_start(&l, path, err)))
        return st;
    if (stat(path, &sb) != 0)
        st = act_error_set(err, ACT_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    else if (S_ISDIR(sb.st_mode))
        st = load_dir(&l, path);
    else
        st = load_file(&l, path);
    return loader_finish(&l, st, out);
}

enum act_status act_destset_parse_properties(const char *name, const char *text, size_t len,
                                             struct act_destset **out, struct act_error *err)
{
    struct loader l;
    enum act_status st;
    *out = NULL;
    if ((st = loader_start(&l, name, err)))
        return st;
    return loader_finish(&l, load_properties(&l, name, text, len), out);
}

void act_destset_free(struct act_destset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->n; i++)
        dest_release(&ds->v[i]);
    act_free(ds->v);
    act_free(ds->source);
    act_free(ds);
}

const struct act_dest *act_destset_find(const struct act_destset *ds, const char *name)
{
    for (size_t i = 0; ds && i < ds->n; i++)
        if (strcmp(ds->v[i].name, name) == 0)
            return &ds->v[i];
    return NULL;
}

const char *act_dest_prop(const struct act_dest *d, const char *name)
{
    for (size_t i = 0; i < d->n_props; i++)
        if (strcmp(d->props[i].name, name) == 0)
            return d->props[i].value;
    return NULL;
}

size_t act_destset_suggest(const struct act_destset *ds, const char *name, const char **out,
                           size_t max)
{
    struct act_suggest s;
    act_suggest_init(&s, name, strlen(name) / 3 + 1, 1, out, max);
    for (size_t i = 0; ds && i < ds->n; i++)
        act_suggest_add(&s, ds->v[i].name);
    return s.n;
}

/* ------------------------------------------------------------------------ */
/* Secrets for the redactor                                                  */

enum act_status act_dest_add_secrets(const struct act_dest *d, struct act_redactor *r)
{
    enum act_status st = ACT_OK;
    for (size_t i = 0; i < d->n_props && !st; i++)
        if (act_dest_is_secret(d->props[i].name))
            st = act_redactor_add_secret(r, d->props[i].value);
    for (size_t i = 0; i < d->n_headers && !st; i++)
        if (act_redact_is_secret_header(NULL, d->headers[i].name, strlen(d->headers[i].name)))
            st = act_redactor_add_header(r, d->headers[i].name);
    for (size_t i = 0; i < d->n_queries && !st; i++)
        if (act_redact_is_secret_query(NULL, d->queries[i].name, strlen(d->queries[i].name)))
            st = act_redactor_add_query(r, d->queries[i].name);
    if (!st && d->password && d->user) {
        struct act_buf b;
        act_buf_init(&b);
        struct act_buf enc;
        act_buf_init(&enc);
        st = act_buf_printf(&b, "%s:%s", d->user, d->password);
        if (!st)
            st = act_base64(&enc, (const unsigned char *)b.data, b.len);
        if (!st)
            st = act_redactor_add_secret(r, enc.data);
        act_buf_release(&b);
        act_buf_release(&enc);
    }
    return st;
}
