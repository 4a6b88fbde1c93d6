/*
 * expr.c - Arazzo 1.0.1 runtime expressions (see expr.h for the language and the scope).
 *
 * Parsing follows the ABNF of the specification: a NAME is *( CHAR ) with CHAR the JSON
 * string character of RFC 8259 (escapes decoded here), a TOKEN is RFC 9110's tchar run,
 * the body pointer is RFC 6901 text after '#'. Because a NAME may contain dots (and '#'),
 * where it splits is decided at evaluation, by the keys that exist; a '#' is taken as the
 * start of a pointer only when '/' or the end follows it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_utf8.h"
#include "parser/pointer.h"
#include "process/expr.h"
#include "process/process_int.h"

struct act_rtexpr {
    enum act_rtexpr_kind kind; /* what it reads */
    char *name;                /* decoded NAME or TOKEN ("" when none), owned */
    size_t name_len;           /* its length (a decoded \u0000 may sit inside) */
    char *ptr;                 /* JSON Pointer after '#', owned; NULL when none */
};

/* ---- shared with process/ (process_int.h) ---------------------------------------------- */

enum act_status act_unescape(const char *s, size_t n, const char *quotes, struct act_buf *b,
                             size_t *used, const char **why)
{
    char e = n > 1 ? s[1] : 0, out = 0;
    switch (e) {
    case 'b': out = '\b'; break;
    case 'f': out = '\f'; break;
    case 'n': out = '\n'; break;
    case 'r': out = '\r'; break;
    case 't': out = '\t'; break;
    case '/': out = '/'; break;
    case '\\': out = '\\'; break;
    case 'u': break;
    default:
        if (!e || !strchr(quotes, e)) {
            *why = "an unknown escape";
            return ACT_ERR_PARSE;
        }
        out = e;
        break;
    }
    if (e != 'u') {
        *used = 2;
        return act_buf_addc(b, out);
    }
    unsigned cp, lo;
    if (n < 6 || !act_hex4(s + 2, &cp)) {
        *why = "\\u needs four hex digits";
        return ACT_ERR_PARSE;
    }
    *used = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        *why = "a lone low surrogate escape";
        return ACT_ERR_PARSE;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (n < 12 || s[6] != '\\' || s[7] != 'u' || !act_hex4(s + 8, &lo) || lo < 0xDC00 ||
            lo > 0xDFFF) {
            *why = "a high surrogate escape without its low surrogate";
            return ACT_ERR_PARSE;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        *used = 12;
    }
    return act_buf_add_utf8(b, cp);
}

void act_cjson_unname(cJSON *c)
{
    if (c->string && !(c->type & cJSON_StringIsConst))
        cJSON_free(c->string);
    c->string = NULL;
    c->type &= ~cJSON_StringIsConst;
}

/* ---- parsing ---------------------------------------------------------------------------- */

struct prefix {
    const char *text;          /* what the expression starts with */
    enum act_rtexpr_kind kind; /* the kind it gives */
    int what;                  /* 0 nothing may follow, 1 NAME, 2 TOKEN, 3 body */
};

static const struct prefix prefixes[] = {
    {"$url", ACT_RTEXPR_URL, 0},
    {"$method", ACT_RTEXPR_METHOD, 0},
    {"$statusCode", ACT_RTEXPR_STATUS_CODE, 0},
    {"$request.header.", ACT_RTEXPR_REQUEST_HEADER, 2},
    {"$request.query.", ACT_RTEXPR_REQUEST_QUERY, 1},
    {"$request.path.", ACT_RTEXPR_REQUEST_PATH, 1},
    {"$request.body", ACT_RTEXPR_REQUEST_BODY, 3},
    {"$response.header.", ACT_RTEXPR_RESPONSE_HEADER, 2},
    {"$response.query.", ACT_RTEXPR_RESPONSE_QUERY, 1},
    {"$response.path.", ACT_RTEXPR_RESPONSE_PATH, 1},
    {"$response.body", ACT_RTEXPR_RESPONSE_BODY, 3},
    {"$inputs.", ACT_RTEXPR_INPUTS, 1},
    {"$outputs.", ACT_RTEXPR_OUTPUTS, 1},
    {"$steps.", ACT_RTEXPR_STEPS, 1},
    {"$workflows.", ACT_RTEXPR_WORKFLOWS, 1},
    {"$sourceDescriptions.", ACT_RTEXPR_SOURCE_DESCRIPTIONS, 1},
    {"$components.", ACT_RTEXPR_COMPONENTS, 1},
};

/* The roots an expression may start with ("$" then these letters), for messages. */
static const char *const roots[] = {
    "url",   "method",    "statusCode",         "request",   "response", "inputs", "outputs",
    "steps", "workflows", "sourceDescriptions", "components"};

static int is_tchar(unsigned char c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static enum act_status perr(struct act_error *err, size_t *err_off, size_t off, const char *fmt,
                            const char *what)
{
    char msg[ACT_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, fmt, what);
    if (err_off)
        *err_off = off;
    return act_error_set(err, ACT_ERR_PARSE, NULL, 0, 0, "%s at offset %zu", msg, off);
}

/* Is s (n bytes) meant as a whole expression: '$' and a letter ("$5.00" is a literal)? */
static int starts_expression(const char *s, size_t n)
{
    return n >= 2 && s[0] == '$' && isalpha((unsigned char)s[1]);
}

/* Decode a NAME (JSON string characters, escapes allowed) of s[i..n) into b. */
static enum act_status parse_name(const char *s, size_t i, size_t n, struct act_buf *b,
                                  size_t *err_off, struct act_error *err)
{
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"')
            return perr(err, err_off, i, "%s", "a control character or '\"' in a name");
        if (c >= 0x80) {
            size_t l = act_utf8_len((const unsigned char *)s + i, n - i);
            if (!l)
                return perr(err, err_off, i, "%s", "malformed UTF-8 in a name");
            if (act_buf_add(b, s + i, l))
                return ACT_ERR_NOMEM;
            i += l;
            continue;
        }
        if (c != '\\') {
            if (act_buf_addc(b, (char)c))
                return ACT_ERR_NOMEM;
            i++;
            continue;
        }
        size_t used = 0;
        const char *why = NULL;
        enum act_status st = act_unescape(s + i, n - i, "\"", b, &used, &why);
        if (st == ACT_ERR_PARSE)
            return perr(err, err_off, i, "%s in a name", why);
        if (st)
            return st;
        i += used;
    }
    return ACT_OK;
}

/* Check the JSON Pointer s[i..n) (after '#'). */
static enum act_status check_pointer(const char *s, size_t i, size_t n, size_t *err_off,
                                     struct act_error *err)
{
    if (i < n && s[i] != '/')
        return perr(err, err_off, i, "%s", "a JSON Pointer must start with '/'");
    for (; i < n; i++) {
        if (s[i] == '\0')
            return perr(err, err_off, i, "%s", "a NUL byte in a JSON Pointer");
        if (s[i] == '~' && (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1')))
            return perr(err, err_off, i, "%s", "'~' not followed by '0' or '1' in a JSON Pointer");
    }
    size_t bad = act_utf8_check(s, n);
    if (bad < n)
        return perr(err, err_off, bad, "%s", "malformed UTF-8 in a JSON Pointer");
    return ACT_OK;
}

/* Where a '#' starts a pointer in a NAME: the first '#' followed by '/' or the end. */
static size_t name_end(const char *s, size_t i, size_t n)
{
    for (; i < n; i++)
        if (s[i] == '#' && (i + 1 == n || s[i + 1] == '/'))
            return i;
    return n;
}

enum act_status act_rtexpr_parse(const char *s, size_t n, struct act_rtexpr **out, size_t *err_off,
                                 struct act_error *err)
{
    *out = NULL;
    if (n == 0 || s[0] != '$')
        return perr(err, err_off, 0, "%s", "a runtime expression must start with '$'");
    const struct prefix *p = NULL;
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t l = strlen(prefixes[k].text);
        if (n >= l && memcmp(s, prefixes[k].text, l) == 0) {
            p = &prefixes[k];
            break;
        }
    }
    if (!p) {
        /* Say what was expected after the longest known beginning. */
        if (n >= 9 && (memcmp(s, "$request.", 9) == 0))
            return perr(err, err_off, 9, "%s", "expected header., query., path. or body");
        if (n >= 10 && (memcmp(s, "$response.", 10) == 0))
            return perr(err, err_off, 10, "%s", "expected header., query., path. or body");
        size_t w = 1;
        while (w < n && isalpha((unsigned char)s[w]))
            w++;
        for (size_t k = 0; k < sizeof roots / sizeof *roots; k++)
            if (strlen(roots[k]) == w - 1 && memcmp(s + 1, roots[k], w - 1) == 0)
                return perr(err, err_off, w, "expected '.' after $%s", roots[k]);
        return perr(err, err_off, 0, "%s",
                    "unknown runtime expression (expected $url, $method, $statusCode, "
                    "$request., $response., $inputs., $outputs., $steps., $workflows., "
                    "$sourceDescriptions. or $components.)");
    }
    size_t i = strlen(p->text), ne = n;
    struct act_buf name;
    act_buf_init(&name);
    enum act_status st = ACT_OK;
    size_t ptr_at = 0;
    int has_ptr = 0;
    switch (p->what) {
    case 0:
        if (i < n)
            return perr(err, err_off, i, "unexpected text after %s", p->text);
        break;
    case 2:
        if (i == n)
            return perr(err, err_off, i, "%s", "expected a header name");
        for (size_t j = i; j < n; j++)
            if (!is_tchar((unsigned char)s[j]))
                return perr(err, err_off, j, "%s", "a header name holds only token characters");
        if (act_buf_add(&name, s + i, n - i))
            return ACT_ERR_NOMEM;
        break;
    case 3:
        if (i < n && s[i] != '#')
            return perr(err, err_off, i, "%s", "expected '#' and a JSON Pointer after body");
        if (i < n) {
            has_ptr = 1;
            ptr_at = i + 1;
        }
        break;
    default:
        if (p->kind != ACT_RTEXPR_REQUEST_QUERY && p->kind != ACT_RTEXPR_REQUEST_PATH &&
            p->kind != ACT_RTEXPR_RESPONSE_QUERY && p->kind != ACT_RTEXPR_RESPONSE_PATH) {
            ne = name_end(s, i, n);
            if (ne < n) {
                has_ptr = 1;
                ptr_at = ne + 1;
            }
        }
        st = parse_name(s, i, ne, &name, err_off, err);
        break;
    }
    if (!st && has_ptr)
        st = check_pointer(s, ptr_at, n, err_off, err);
    struct act_rtexpr *e = NULL;
    if (st)
        goto fail;
    st = ACT_ERR_NOMEM;
    e = act_calloc(1, sizeof *e);
    if (!e)
        goto fail;
    e->kind = p->kind;
    e->name_len = name.len;
    e->name = act_buf_detach(&name, NULL);
    if (!e->name)
        goto fail;
    if (has_ptr && !(e->ptr = act_strndup(s + ptr_at, n - ptr_at)))
        goto fail;
    *out = e;
    return ACT_OK;
fail:
    act_buf_release(&name);
    act_rtexpr_free(e);
    return st;
}

void act_rtexpr_free(struct act_rtexpr *e)
{
    if (!e)
        return;
    act_free(e->name);
    act_free(e->ptr);
    act_free(e);
}

enum act_rtexpr_kind act_rtexpr_kind(const struct act_rtexpr *e)
{
    return e->kind;
}

const char *act_rtexpr_name(const struct act_rtexpr *e, size_t *len)
{
    if (len)
        *len = e->name_len;
    return e->name;
}

const char *act_rtexpr_pointer(const struct act_rtexpr *e)
{
    return e->ptr;
}

/* ---- evaluation ------------------------------------------------------------------------- */

/* Member key (klen bytes) of object o, case-sensitive (nocase: ASCII case-insensitive). */
static const cJSON *member(const cJSON *o, const char *key, size_t klen, int nocase)
{
    if (!cJSON_IsObject(o))
        return NULL;
    for (const cJSON *c = o->child; c; c = c->next) {
        if (!c->string || strlen(c->string) != klen)
            continue;
        if (nocase ? strncasecmp(c->string, key, klen) == 0 : memcmp(c->string, key, klen) == 0)
            return c;
    }
    return NULL;
}

/* Element key of array a when key is a decimal index without leading zeros. */
static const cJSON *element(const cJSON *a, const char *key, size_t klen)
{
    if (!cJSON_IsArray(a) || klen == 0 || klen > 9 || (klen > 1 && key[0] == '0'))
        return NULL;
    int idx = 0;
    for (size_t i = 0; i < klen; i++) {
        if (!isdigit((unsigned char)key[i]))
            return NULL;
        idx = idx * 10 + (key[i] - '0');
    }
    return cJSON_GetArrayItem(a, idx);
}

static const cJSON *child(const cJSON *v, const char *key, size_t klen)
{
    const cJSON *c = member(v, key, klen, 0);
    return c ? c : element(v, key, klen);
}

/*
 * Walk the dotted name (len bytes) down from v: the whole rest as one key first, then
 * the longest prefix ending before a dot that exists, backtracking to shorter ones.
 * *budget bounds the lookups (keys such as "a", "a.a", "a.a.a" at every level).
 */
static const cJSON *walk(const cJSON *v, const char *name, size_t len, long *budget)
{
    if (--*budget < 0)
        return NULL;
    const cJSON *c = child(v, name, len);
    if (c)
        return c;
    for (size_t i = len; i-- > 0;) {
        if (name[i] != '.')
            continue;
        c = child(v, name, i);
        if (c && (c = walk(c, name + i + 1, len - i - 1, budget)))
            return c;
        if (*budget < 0)
            return NULL;
    }
    return NULL;
}

/* Compact-JSON size of v, stopping once it exceeds limit. */
static size_t json_size(const cJSON *v, size_t limit)
{
    size_t n = 0;
    if (v->string)
        n += strlen(v->string) + 3;
    if (cJSON_IsString(v))
        return n + strlen(v->valuestring) + 2;
    if (cJSON_IsNumber(v))
        return n + 24;
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
        return n + 5;
    n += 2;
    for (const cJSON *c = v->child; c && n <= limit; c = c->next)
        n += json_size(c, limit - n > limit ? 0 : limit - n) + 1;
    return n;
}

static const cJSON *locate(const struct act_rtexpr *e, const cJSON *scope)
{
    static const char *const top[] = {
        [ACT_RTEXPR_INPUTS] = "inputs",
        [ACT_RTEXPR_OUTPUTS] = "outputs",
        [ACT_RTEXPR_STEPS] = "steps",
        [ACT_RTEXPR_WORKFLOWS] = "workflows",
        [ACT_RTEXPR_SOURCE_DESCRIPTIONS] = "sourceDescriptions",
        [ACT_RTEXPR_COMPONENTS] = "components",
    };
    const cJSON *v = NULL, *msg;
    long budget = 10000;
    switch (e->kind) {
    case ACT_RTEXPR_URL: return cJSON_GetObjectItemCaseSensitive(scope, "url");
    case ACT_RTEXPR_METHOD: return cJSON_GetObjectItemCaseSensitive(scope, "method");
    case ACT_RTEXPR_STATUS_CODE: return cJSON_GetObjectItemCaseSensitive(scope, "statusCode");
    case ACT_RTEXPR_REQUEST_HEADER:
    case ACT_RTEXPR_RESPONSE_HEADER:
        msg = cJSON_GetObjectItemCaseSensitive(
            scope, e->kind == ACT_RTEXPR_REQUEST_HEADER ? "request" : "response");
        return member(cJSON_GetObjectItemCaseSensitive(msg, "header"), e->name, e->name_len, 1);
    case ACT_RTEXPR_REQUEST_QUERY:
    case ACT_RTEXPR_REQUEST_PATH:
    case ACT_RTEXPR_RESPONSE_QUERY:
    case ACT_RTEXPR_RESPONSE_PATH:
        msg = cJSON_GetObjectItemCaseSensitive(
            scope, (e->kind == ACT_RTEXPR_REQUEST_QUERY || e->kind == ACT_RTEXPR_REQUEST_PATH)
                       ? "request"
                       : "response");
        return member(cJSON_GetObjectItemCaseSensitive(msg, (e->kind == ACT_RTEXPR_REQUEST_QUERY ||
                                                             e->kind == ACT_RTEXPR_RESPONSE_QUERY)
                                                                ? "query"
                                                                : "path"),
                      e->name, e->name_len, 0);
    case ACT_RTEXPR_REQUEST_BODY:
    case ACT_RTEXPR_RESPONSE_BODY:
        msg = cJSON_GetObjectItemCaseSensitive(
            scope, e->kind == ACT_RTEXPR_REQUEST_BODY ? "request" : "response");
        v = cJSON_GetObjectItemCaseSensitive(msg, "body");
        break;
    default:
        v = walk(cJSON_GetObjectItemCaseSensitive(scope, top[e->kind]), e->name, e->name_len,
                 &budget);
        break;
    }
    if (v && e->ptr)
        v = act_pointer_get(v, e->ptr);
    return v;
}

static enum act_status copy_value(const cJSON *v, cJSON **value, struct act_error *err)
{
    if (!v)
        return ACT_OK;
    if (json_size(v, ACT_MAX_EXPR_RESULT_BYTES) > ACT_MAX_EXPR_RESULT_BYTES)
        return act_error_set(err, ACT_ERR_LIMIT, NULL, 0, 0,
                             "the value of a runtime expression is larger than "
                             "ACT_MAX_EXPR_RESULT_BYTES (%ld bytes)",
                             (long)ACT_MAX_EXPR_RESULT_BYTES);
    cJSON *c = cJSON_Duplicate(v, 1);
    if (!c)
        return ACT_ERR_NOMEM;
    act_cjson_unname(c);
    *value = c;
    return ACT_OK;
}

enum act_status act_rtexpr_eval(const struct act_rtexpr *e, const cJSON *scope, cJSON **value,
                                struct act_error *err)
{
    *value = NULL;
    return copy_value(locate(e, scope), value, err);
}

/* ---- strings with expressions ----------------------------------------------------------- */

/* Append v to b as embedded text: a string as is, anything else as compact JSON. */
static enum act_status add_text(struct act_buf *b, const cJSON *v)
{
    if (!v)
        return ACT_OK;
    if (cJSON_IsString(v))
        return act_buf_adds(b, v->valuestring);
    char *t = cJSON_PrintUnformatted(v);
    if (!t)
        return ACT_ERR_NOMEM;
    enum act_status st = act_buf_adds(b, t);
    cJSON_free(t);
    return st;
}

/*
 * The common walk over a document string: a whole expression, or the embedded ones.
 * fn is called per expression with its offset; b (when not NULL) collects the text with
 * each expression replaced by its value in scope.
 */
struct walk_ctx {
    const cJSON *scope;                                           /* for b's values */
    struct act_buf *b;                                            /* the resolved text, or NULL */
    int (*fn)(const struct act_rtexpr *e, size_t off, void *arg); /* per expression, or NULL */
    void *arg;                                                    /* fn's argument */
    struct act_rtexpr *whole;                                     /* the whole expression, kept */
    int form; /* 0 literal, 1 whole, 2 embedded */
};

static enum act_status scan(const char *s, struct walk_ctx *w, size_t *err_off,
                            struct act_error *err)
{
    size_t n = strlen(s);
    enum act_status st;
    struct act_rtexpr *e = NULL;
    if (starts_expression(s, n)) {
        w->form = 1;
        if ((st = act_rtexpr_parse(s, n, &e, err_off, err)))
            return st;
        if (w->fn && w->fn(e, 0, w->arg)) {
            act_rtexpr_free(e);
            return act_error_set(err, ACT_ERR_INVALID, NULL, 0, 0, "stopped");
        }
        w->whole = e;
        return ACT_OK;
    }
    size_t last = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '{' || s[i + 1] != '$')
            continue;
        const char *close = memchr(s + i, '}', n - i);
        if (!close)
            return perr(err, err_off, i, "%s", "'{$' without its closing '}'");
        size_t len = (size_t)(close - (s + i + 1));
        size_t sub = 0;
        struct act_error sub_err;
        act_error_init(&sub_err);
        st = act_rtexpr_parse(s + i + 1, len, &e, &sub, &sub_err);
        if (st == ACT_ERR_PARSE) {
            /* Say the offset in the whole string, not in the expression. */
            char *cut = strstr(sub_err.msg, " at offset");
            if (cut)
                *cut = '\0';
            return perr(err, err_off, i + 1 + sub, "%s", sub_err.msg);
        }
        if (st)
            return st;
        w->form = 2;
        if (w->fn && w->fn(e, i + 1, w->arg)) {
            act_rtexpr_free(e);
            return act_error_set(err, ACT_ERR_INVALID, NULL, 0, 0, "stopped");
        }
        if (w->b) {
            if (act_buf_add(w->b, s + last, i - last) || add_text(w->b, locate(e, w->scope))) {
                act_rtexpr_free(e);
                return ACT_ERR_NOMEM;
            }
            if (w->b->len > (size_t)ACT_MAX_EXPR_RESULT_BYTES) {
                act_rtexpr_free(e);
                return act_error_set(err, ACT_ERR_LIMIT, NULL, 0, 0,
                                     "a string with runtime expressions is larger than "
                                     "ACT_MAX_EXPR_RESULT_BYTES (%ld bytes)",
                                     (long)ACT_MAX_EXPR_RESULT_BYTES);
            }
        }
        act_rtexpr_free(e);
        e = NULL;
        i = (size_t)(close - s);
        last = i + 1;
    }
    if (w->b && act_buf_add(w->b, s + last, n - last))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

enum act_status act_rtexpr_value(const char *s, const cJSON *scope, cJSON **value, size_t *err_off,
                                 struct act_error *err)
{
    *value = NULL;
    struct act_buf b;
    act_buf_init(&b);
    struct walk_ctx w = {scope, &b, NULL, NULL, NULL, 0};
    enum act_status st = scan(s, &w, err_off, err);
    if (!st && w.whole)
        st = act_rtexpr_eval(w.whole, scope, value, err);
    else if (!st && !(*value = cJSON_CreateString(b.data)))
        st = ACT_ERR_NOMEM;
    act_rtexpr_free(w.whole);
    act_buf_release(&b);
    return st;
}

enum act_status act_rtexpr_check(const char *s, int *form, struct act_rtexpr **out, size_t *err_off,
                                 struct act_error *err)
{
    if (out)
        *out = NULL;
    struct walk_ctx w = {NULL, NULL, NULL, NULL, NULL, 0};
    enum act_status st = scan(s, &w, err_off, err);
    if (st)
        return st;
    if (form)
        *form = w.form;
    if (out)
        *out = w.whole;
    else
        act_rtexpr_free(w.whole);
    return ACT_OK;
}

enum act_status act_rtexpr_each(const char *s,
                                int (*fn)(const struct act_rtexpr *e, size_t off, void *arg),
                                void *arg, size_t *err_off, struct act_error *err)
{
    struct walk_ctx w = {NULL, NULL, fn, arg, NULL, 0};
    enum act_status st = scan(s, &w, err_off, err);
    act_rtexpr_free(w.whole);
    return st;
}

/* ---- payloads --------------------------------------------------------------------------- */

static enum act_status resolve(const cJSON *v, const cJSON *scope, cJSON **out, size_t *total,
                               struct act_buf *path, struct act_error *err)
{
    enum act_status st;
    if (cJSON_IsString(v)) {
        size_t off = 0;
        st = act_rtexpr_value(v->valuestring, scope, out, &off, err);
        if (st) {
            act_error_set_pointer(err, path->data);
            return st;
        }
        if (!*out && !(*out = cJSON_CreateNull()))
            return ACT_ERR_NOMEM;
        *total += json_size(*out, ACT_MAX_EXPR_RESULT_BYTES);
        if (*total > (size_t)ACT_MAX_EXPR_RESULT_BYTES) {
            cJSON_Delete(*out);
            *out = NULL;
            st = act_error_set(err, ACT_ERR_LIMIT, NULL, 0, 0,
                               "a resolved payload is larger than ACT_MAX_EXPR_RESULT_BYTES "
                               "(%ld bytes)",
                               (long)ACT_MAX_EXPR_RESULT_BYTES);
            act_error_set_pointer(err, path->data);
            return st;
        }
        return ACT_OK;
    }
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) {
        *out = cJSON_Duplicate(v, 0);
        if (*out)
            act_cjson_unname(*out);
        return *out ? ACT_OK : ACT_ERR_NOMEM;
    }
    cJSON *r = cJSON_IsArray(v) ? cJSON_CreateArray() : cJSON_CreateObject();
    if (!r)
        return ACT_ERR_NOMEM;
    size_t idx = 0, mark = path->len;
    for (const cJSON *c = v->child; c; c = c->next, idx++) {
        cJSON *rc = NULL;
        st = cJSON_IsArray(v) ? act_pointer_append_index(path, idx)
                              : act_pointer_append(path, c->string ? c->string : "");
        if (!st)
            st = resolve(c, scope, &rc, total, path, err);
        if (path->cap) {
            path->len = mark;
            path->data[mark] = '\0';
        }
        if (st) {
            cJSON_Delete(r);
            return st;
        }
        if (cJSON_IsArray(v) ? !cJSON_AddItemToArray(r, rc)
                             : !cJSON_AddItemToObject(r, c->string ? c->string : "", rc)) {
            cJSON_Delete(rc);
            cJSON_Delete(r);
            return ACT_ERR_NOMEM;
        }
    }
    *out = r;
    return ACT_OK;
}

enum act_status act_rtexpr_resolve(const cJSON *v, const cJSON *scope, cJSON **out,
                                   struct act_error *err)
{
    *out = NULL;
    struct act_buf path;
    act_buf_init(&path);
    size_t total = 0;
    enum act_status st = resolve(v, scope, out, &total, &path, err);
    act_buf_release(&path);
    return st;
}
