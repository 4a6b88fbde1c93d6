/*
 * connector.c - the connector file, system mappings and access policies
 * (see connector.h and README.md, "Connector file").
 *
 * The file shape:
 *
 *   systems:
 *     - virtualHost: internalhost      # what destinations name
 *       virtualPort: 3333
 *       internalHost: 127.0.0.1        # where requests really go
 *       internalPort: 3333
 *       protocol: HTTP                 # HTTP | HTTPS (default HTTP)
 *       locationId: loc1               # optional
 *       hostInHeader: virtual          # virtual | internal (default virtual)
 *       resources:
 *         - path: /hello
 *           policy: path-and-subpaths  # path-only (default) | path-and-subpaths
 *           active: true               # default true
 *
 * A top-level list of systems (without `systems:`) is accepted too. Unknown
 * keys are errors, so that a typo cannot silently widen or narrow access.
 *
 * Path policy checks run on a normalized path (act_path_normalize) and refuse
 * paths that different backends would resolve differently; see the comment
 * there.
 */
#include "connector.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "parser/doc.h"
#include "parser/pointer.h"
#include "parser/ref.h"

/* Record an error at node of doc. */
static enum act_status bad(struct act_error *err, const struct act_doc *doc, const cJSON *node,
                           const char *fmt, ...) ACT_PRINTF(4, 5);
static enum act_status bad(struct act_error *err, const struct act_doc *doc, const cJSON *node,
                           const char *fmt, ...)
{
    char msg[ACT_ERROR_MSG_MAX];
    va_list ap;
    if (!err || err->status != ACT_OK)
        return ACT_ERR_INVALID;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0, "%s", msg);
    act_error_at_node(err, doc, node);
    return ACT_ERR_INVALID;
}

/*
 * The line of node in doc (0 when unknown) into *line. Each lookup rescans the
 * text, so only the first *budget nodes of a file are located (see
 * ACT_CONNECTOR_LOCATE_MAX); messages about an error always locate theirs.
 */
static enum act_status line_of(const struct act_doc *doc, const cJSON *node, int *line, int *budget,
                               struct act_error *err)
{
    *line = 0;
    if (*budget <= 0)
        return ACT_OK;
    (*budget)--;
    struct act_buf ptr;
    int col;
    long failed = act_alloc_failed(); /* locating may run out of memory quietly */
    act_buf_init(&ptr);
    enum act_status st = act_pointer_of(doc->root, node, &ptr);
    if (st != ACT_OK || !act_doc_locate(doc, ptr.data, line, &col))
        *line = 0;
    act_buf_release(&ptr);
    if (st == ACT_ERR_NOMEM || act_alloc_failed() != failed)
        return act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
    return ACT_OK;
}

/* Only these keys may appear in an object; else an error naming the stray one. */
static enum act_status known_keys(const struct act_doc *doc, const cJSON *o,
                                  const char *const *keys, const char *what, struct act_error *err)
{
    char echo[ACT_ECHO_SIZE];
    for (const cJSON *k = o->child; k; k = k->next) {
        size_t i;
        for (i = 0; keys[i]; i++)
            if (strcmp(k->string, keys[i]) == 0)
                break;
        if (!keys[i]) {
            struct act_buf list;
            act_buf_init(&list);
            for (i = 0; keys[i]; i++)
                if (act_buf_printf(&list, "%s%s", i ? ", " : "", keys[i])) {
                    act_buf_release(&list);
                    return act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
                }
            enum act_status st =
                bad(err, doc, k, "unknown key \"%s\" in %s (known: %s)",
                    act_echo(echo, sizeof(echo), k->string, strlen(k->string)), what, list.data);
            act_buf_release(&list);
            return st;
        }
    }
    return ACT_OK;
}

static int host_ok(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 253)
        return 0;
    if (h[0] == '[')
        return n > 2 && h[n - 1] == ']' && strspn(h + 1, "0123456789abcdefABCDEF:.") == n - 2;
    return strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == n;
}

static enum act_status get_host(const struct act_doc *doc, const cJSON *sys, const char *key,
                                char **out, struct act_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sys, key);
    char echo[ACT_ECHO_SIZE];
    if (!v)
        return bad(err, doc, sys, "system has no \"%s\"", key);
    if (!cJSON_IsString(v) || !host_ok(v->valuestring))
        return bad(err, doc, v, "\"%s\" must be a host name or address, not \"%s\"", key,
                   cJSON_IsString(v)
                       ? act_echo(echo, sizeof(echo), v->valuestring, strlen(v->valuestring))
                       : "a non-string");
    *out = act_strdup(v->valuestring);
    return *out ? ACT_OK : act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
}

static enum act_status get_port(const struct act_doc *doc, const cJSON *sys, const char *key,
                                int *out, struct act_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sys, key);
    double d = -1;
    if (!v)
        return bad(err, doc, sys, "system has no \"%s\"", key);
    if (cJSON_IsNumber(v))
        d = v->valuedouble;
    else if (cJSON_IsString(v) && v->valuestring[0] && strlen(v->valuestring) <= 5 &&
             strspn(v->valuestring, "0123456789") == strlen(v->valuestring))
        d = (double)atoi(v->valuestring);
    if (!(d >= 1 && d <= 65535 && d == (double)(int)d))
        return bad(err, doc, v, "\"%s\" must be a port number from 1 to 65535", key);
    *out = (int)d;
    return ACT_OK;
}

/* A boolean that may also be written as the string "true"/"false". */
static int get_bool(const cJSON *v, int *out)
{
    if (cJSON_IsBool(v))
        *out = cJSON_IsTrue(v);
    else if (cJSON_IsString(v) && strcasecmp(v->valuestring, "true") == 0)
        *out = 1;
    else if (cJSON_IsString(v) && strcasecmp(v->valuestring, "false") == 0)
        *out = 0;
    else
        return 0;
    return 1;
}

static void system_release(struct act_system *s)
{
    act_free(s->virtual_host);
    act_free(s->internal_host);
    act_free(s->location_id);
    for (size_t i = 0; i < s->n_res; i++)
        act_free(s->res[i].path);
    act_free(s->res);
}

static enum act_status load_resource(const struct act_doc *doc, const cJSON *o,
                                     struct act_resource *r, int *budget, struct act_error *err)
{
    static const char *const keys[] = {"path", "policy", "active", "description", NULL};
    char echo[ACT_ECHO_SIZE];
    enum act_status st;
    if (!cJSON_IsObject(o))
        return bad(err, doc, o, "a resource must be a mapping with \"path\" and \"policy\"");
    if ((st = known_keys(doc, o, keys, "resource", err)))
        return st;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "path");
    if (!p)
        return bad(err, doc, o, "resource has no \"path\"");
    if (!cJSON_IsString(p) || p->valuestring[0] != '/')
        return bad(err, doc, p, "resource path must start with \"/\"");
    struct act_buf norm;
    act_buf_init(&norm);
    st = act_path_normalize(p->valuestring, &norm);
    int same = !st && strcmp(norm.data, p->valuestring) == 0;
    act_buf_release(&norm);
    if (st == ACT_ERR_NOMEM)
        return act_error_set(err, st, doc->path, 0, 0, "out of memory");
    if (!same || strstr(p->valuestring, "//"))
        return bad(err, doc, p,
                   "resource path \"%s\" is not in normal form (no \"//\", \".\" or \"..\" "
                   "segments, query or fragment; escapes only where needed)",
                   act_echo(echo, sizeof(echo), p->valuestring, strlen(p->valuestring)));
    r->policy = ACT_POLICY_PATH_ONLY;
    const cJSON *pol = cJSON_GetObjectItemCaseSensitive(o, "policy");
    if (pol) {
        if (cJSON_IsString(pol) && strcmp(pol->valuestring, "path-and-subpaths") == 0)
            r->policy = ACT_POLICY_PATH_SUBPATHS;
        else if (!cJSON_IsString(pol) || strcmp(pol->valuestring, "path-only") != 0)
            return bad(err, doc, pol, "policy must be path-only or path-and-subpaths");
    }
    r->active = 1;
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(o, "active");
    if (act && !get_bool(act, &r->active))
        return bad(err, doc, act, "\"active\" must be true or false");
    if ((st = line_of(doc, o, &r->line, budget, err)))
        return st;
    r->path = act_strdup(p->valuestring);
    return r->path ? ACT_OK : act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
}

/* The optional member key of o, one of two words (compared by eq): *on set for the word
 * on, left for the word off (the default). */
static enum act_status get_choice(const struct act_doc *doc, const cJSON *o, const char *key,
                                  const char *off, const char *on,
                                  int (*eq)(const char *, const char *), int *flag,
                                  struct act_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return ACT_OK;
    if (cJSON_IsString(v) && eq(v->valuestring, on) == 0)
        *flag = 1;
    else if (!cJSON_IsString(v) || eq(v->valuestring, off) != 0)
        return bad(err, doc, v, "%s must be %s or %s", key, off, on);
    return ACT_OK;
}

static enum act_status load_system(const struct act_doc *doc, const cJSON *o, struct act_system *s,
                                   int *budget, struct act_error *err)
{
    static const char *const keys[] = {"virtualHost", "virtualPort", "internalHost", "internalPort",
                                       "protocol",    "locationId",  "hostInHeader", "resources",
                                       "description", NULL};
    enum act_status st;
    if (!cJSON_IsObject(o))
        return bad(err, doc, o, "a system must be a mapping (virtualHost, virtualPort, ...)");
    if ((st = known_keys(doc, o, keys, "system", err)) ||
        (st = get_host(doc, o, "virtualHost", &s->virtual_host, err)) ||
        (st = get_port(doc, o, "virtualPort", &s->virtual_port, err)) ||
        (st = get_host(doc, o, "internalHost", &s->internal_host, err)) ||
        (st = get_port(doc, o, "internalPort", &s->internal_port, err)) ||
        (st = get_choice(doc, o, "protocol", "HTTP", "HTTPS", strcasecmp, &s->https, err)) ||
        (st = get_choice(doc, o, "hostInHeader", "virtual", "internal", strcmp, &s->host_internal,
                         err)))
        return st;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "locationId");
    if (v) {
        if (!cJSON_IsString(v))
            return bad(err, doc, v, "locationId must be a string");
        if (v->valuestring[0] && !(s->location_id = act_strdup(v->valuestring)))
            return act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
    }
    v = cJSON_GetObjectItemCaseSensitive(o, "resources");
    if (v && !cJSON_IsArray(v))
        return bad(err, doc, v, "resources must be a list of {path, policy, active}");
    int n = v ? cJSON_GetArraySize(v) : 0;
    if (n > 0) {
        s->res = act_calloc((size_t)n, sizeof(*s->res));
        if (!s->res)
            return act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
        for (const cJSON *r = v->child; r; r = r->next) {
            if ((st = load_resource(doc, r, &s->res[s->n_res], budget, err))) {
                act_free(s->res[s->n_res].path);
                return st;
            }
            s->n_res++;
        }
    }
    return line_of(doc, o, &s->line, budget, err);
}

static int same_location(const char *a, const char *b)
{
    if (!a || !*a || !b || !*b)
        return (!a || !*a) && (!b || !*b);
    return strcmp(a, b) == 0;
}

enum act_status act_connector_load(const char *path, struct act_connector **out,
                                   struct act_error *err)
{
    struct act_doc *doc = NULL;
    struct act_connector *c = NULL;
    enum act_status st;
    char echo[ACT_ECHO_SIZE];
    *out = NULL;
    if ((st = act_doc_load(path, ACT_DOC_AUTO, &doc, err)))
        return st;
    const cJSON *list = doc->root;
    if (cJSON_IsObject(list)) {
        for (const cJSON *k = list->child; k; k = k->next)
            if (strcmp(k->string, "systems") != 0) {
                st = bad(err, doc, k, "unknown key \"%s\" in connector file (expected \"systems\")",
                         act_echo(echo, sizeof(echo), k->string, strlen(k->string)));
                goto fail;
            }
        list = cJSON_GetObjectItemCaseSensitive(list, "systems");
        if (!list) {
            st = act_error_set(err, ACT_ERR_INVALID, path, 1, 1,
                               "connector file has no \"systems\" list");
            goto fail;
        }
    }
    if (!cJSON_IsArray(list)) {
        st = bad(err, doc, list, "\"systems\" must be a list of system mappings");
        goto fail;
    }
    int budget = ACT_CONNECTOR_LOCATE_MAX;
    c = act_calloc(1, sizeof(*c));
    int n = cJSON_GetArraySize(list);
    if (!c || !(c->file = act_strdup(path)) ||
        (n > 0 && !(c->v = act_calloc((size_t)n, sizeof(*c->v))))) {
        st = act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
        goto fail;
    }
    for (const cJSON *o = list->child; o; o = o->next) {
        struct act_system *s = &c->v[c->n];
        st = load_system(doc, o, s, &budget, err);
        c->n++; /* counted even when half-built, so that the free below releases it */
        if (st)
            goto fail;
        for (size_t i = 0; i + 1 < c->n; i++) {
            const struct act_system *p = &c->v[i];
            if (strcasecmp(p->virtual_host, s->virtual_host) == 0 &&
                p->virtual_port == s->virtual_port &&
                same_location(p->location_id, s->location_id)) {
                st =
                    bad(err, doc, o, "duplicate mapping for virtual host %s:%d (first: system %zu)",
                        s->virtual_host, s->virtual_port, i + 1);
                if (p->line)
                    act_error_set_context(err, "first defined at %s:%d", path, p->line);
                goto fail;
            }
        }
    }
    act_doc_free(doc);
    *out = c;
    return ACT_OK;
fail:
    act_connector_free(c);
    act_doc_free(doc);
    return st;
}

void act_connector_free(struct act_connector *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        system_release(&c->v[i]);
    act_free(c->v);
    act_free(c->file);
    act_free(c);
}

const struct act_system *act_connector_map(const struct act_connector *c, const char *host,
                                           int port, const char *location_id)
{
    for (size_t i = 0; c && host && i < c->n; i++)
        if (strcasecmp(c->v[i].virtual_host, host) == 0 && c->v[i].virtual_port == port &&
            same_location(c->v[i].location_id, location_id))
            return &c->v[i];
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Path normalization                                                        */

static int unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

enum act_status act_path_remove_dots(const char *in, struct act_buf *out)
{
    act_buf_reset(out);
    const char *p = in;
    while (*p) {
        if (strncmp(p, "/./", 3) == 0) {
            p += 2;
        } else if (strcmp(p, "/.") == 0) {
            p = "/";
        } else if (strncmp(p, "/../", 4) == 0 || strcmp(p, "/..") == 0) {
            p = p[3] ? p + 3 : "/";
            char *slash = out->len ? strrchr(out->data, '/') : NULL;
            if (slash) {
                out->len = (size_t)(slash - out->data);
                out->data[out->len] = '\0';
            }
        } else {
            size_t n = 1 + strcspn(p + 1, "/");
            if (act_buf_add(out, p, n))
                return ACT_ERR_NOMEM;
            p += n;
        }
    }
    return ACT_OK;
}

enum {
    T_COLLAPSE = 1, /* "//" read as "/" */
    T_SLASHES = 2,  /* %2F and %5C read as "/" */
    T_PARAMS = 4,   /* ";params" of a segment ignored */
};

/* Read path as a lenient backend would (the T_ flags), into out (replaced). */
static enum act_status reinterpret(const char *in, int flags, struct act_buf *out)
{
    act_buf_reset(out);
    for (const char *p = in; *p;) {
        char c = *p;
        size_t step = 1;
        if ((flags & T_SLASHES) && c == '%' &&
            (strncmp(p, "%2F", 3) == 0 || strncmp(p, "%5C", 3) == 0)) {
            c = '/';
            step = 3;
        }
        if ((flags & T_PARAMS) && c == ';') {
            while (
                *p && *p != '/' &&
                !((flags & T_SLASHES) && (strncmp(p, "%2F", 3) == 0 || strncmp(p, "%5C", 3) == 0)))
                p++;
            continue;
        }
        if (c == '/' && (flags & T_COLLAPSE) && out->len && out->data[out->len - 1] == '/') {
            p += step;
            continue;
        }
        if (act_buf_addc(out, c))
            return ACT_ERR_NOMEM;
        p += step;
    }
    return ACT_OK;
}

/*
 * The path a policy is checked on. Beyond the header's contract:
 *
 * - Only unreserved characters are decoded (%2e -> '.', %41 -> 'A'); other
 *   escapes stay encoded with upper-case hex (%2f -> %2F), so an encoded
 *   slash never creates a segment here. A malformed escape, a character not
 *   allowed in a URI path (space, '\', control or non-ASCII bytes), or a path
 *   not starting with '/' is ACT_ERR_INVALID. "" is "/".
 * - "//" is kept: "//admin" stays "//admin" and is admitted only by a
 *   resource that covers it ("/" with path-and-subpaths). Merging it could
 *   only widen access.
 * - Backends differ: some merge "//", decode %2F or %5C to '/', or ignore
 *   ";params" (Tomcat reads "/..;/" as "/../"). A path whose dot segments
 *   resolve differently under any of those readings ("/hello/..%2Fadmin",
 *   "/hello//../admin", "/hello/..;/admin") is ACT_ERR_INVALID: the caller
 *   must refuse it, as no single normalized form is safe to check.
 */
enum act_status act_path_normalize(const char *path, struct act_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    struct act_buf dec, n1, a, b;
    enum act_status st = ACT_OK;
    size_t len = strcspn(path, "?#");
    act_buf_init(&dec);
    act_buf_init(&n1);
    act_buf_init(&a);
    act_buf_init(&b);
    if (len == 0) {
        act_buf_reset(out);
        return act_buf_addc(out, '/');
    }
    if (path[0] != '/')
        return ACT_ERR_INVALID;
    for (size_t i = 0; i < len && !st; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c == '%') {
            int h = i + 2 < len ? act_hex_digit(path[i + 1]) : -1;
            int l = h >= 0 ? act_hex_digit(path[i + 2]) : -1;
            if (h < 0 || l < 0) {
                st = ACT_ERR_INVALID;
                break;
            }
            unsigned char v = (unsigned char)(h * 16 + l);
            char esc[3] = {'%', hex[v >> 4], hex[v & 15]};
            st = unreserved(v) ? act_buf_addc(&dec, (char)v) : act_buf_add(&dec, esc, 3);
            i += 2;
        } else if (unreserved(c) || strchr("!$&'()*+,;=:@/", c)) {
            st = act_buf_addc(&dec, (char)c);
        } else {
            st = ACT_ERR_INVALID;
        }
    }
    if (!st)
        st = act_path_remove_dots(dec.data, &n1);
    for (int flags = 1; flags < 8 && !st; flags++) {
        if ((st = reinterpret(dec.data, flags, &b)) || (st = act_path_remove_dots(b.data, &a)) ||
            (st = reinterpret(n1.data, flags, &b)))
            break;
        if (strcmp(a.data, b.data) != 0)
            st = ACT_ERR_INVALID;
    }
    if (!st) {
        act_buf_reset(out);
        st = act_buf_add(out, n1.data, n1.len);
    }
    act_buf_release(&dec);
    act_buf_release(&n1);
    act_buf_release(&a);
    act_buf_release(&b);
    return st;
}

const struct act_resource *act_connector_admits(const struct act_system *sys, const char *path)
{
    size_t len = strcspn(path, "?#"); /* the query never decides */
    for (size_t i = 0; sys && i < sys->n_res; i++) {
        const struct act_resource *r = &sys->res[i];
        size_t rl = strlen(r->path);
        if (!r->active)
            continue;
        if (r->policy == ACT_POLICY_PATH_ONLY ? rl == len && memcmp(path, r->path, rl) == 0
                                              : rl <= len && memcmp(path, r->path, rl) == 0)
            return r;
    }
    return NULL;
}
