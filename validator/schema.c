/*
 * schema.c - compiling a Schema Object once per validator: OpenAPI 3.0, or JSON Schema
 * 2020-12 (compile_kw20: the keywords it reads differently or adds; $ref is then a keyword
 * beside the others, resolved against the schema's base URI by dialect.c).
 *
 * A schema node is compiled the first time an instance reaches it: its
 * keywords are read and checked, $refs resolved, the pattern compiled, the
 * properties indexed by hash. Subschemas are recorded, not compiled, so a
 * recursive schema costs one compilation per node and never loops here. The
 * cache is keyed by the cJSON node (a $ref node and its target share one entry).
 *
 * A keyword of the wrong type, multipleOf <= 0, an invalid pattern or an
 * unresolvable $ref is a schema error: ACT_ERR_INVALID / ACT_ERR_REF with
 * file:line:col and the JSON Pointer of the keyword.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/pointer.h"
#include "validator_int.h"

#define TWO53 9007199254740992.0

struct act_docset *act_validator_docset(struct act_validator *v)
{
    return v->ds;
}

/* ---- the cache --------------------------------------------------------------------------- */

/* The entry of the cache for node, or ACT_MAP_NONE. */
static uint32_t cache_id(const struct act_validator *v, const cJSON *node, struct act_map_it *it)
{
    for (uint32_t id = act_map_first(it, &v->cache, act_map_hash_ptr(node)); id != ACT_MAP_NONE;
         id = act_map_next(it))
        if (v->cached[id].node == node)
            return id;
    return ACT_MAP_NONE;
}

static struct schema *cache_find(const struct act_validator *v, const cJSON *node)
{
    struct act_map_it it;
    uint32_t id = cache_id(v, node, &it);
    return id == ACT_MAP_NONE ? NULL : v->cached[id].s;
}

static enum act_status cache_put(struct act_validator *v, const cJSON *node, struct schema *s)
{
    struct act_map_it it;
    uint32_t id = cache_id(v, node, &it);
    if (id != ACT_MAP_NONE) {
        v->cached[id].s = s;
        return ACT_OK;
    }
    if (v->n_cached >= ACT_MAP_NONE || ACT_GROW(v->cached, v->cap_cached, v->n_cached + 1, 64) ||
        act_map_put(&v->cache, act_map_hash_ptr(node), (uint32_t)v->n_cached))
        return ACT_ERR_NOMEM;
    v->cached[v->n_cached].node = node;
    v->cached[v->n_cached++].s = s;
    return ACT_OK;
}

/* ---- errors ------------------------------------------------------------------------------ */

/* Record a schema error at loc (+ "/" kw) in doc. */
static enum act_status ACT_PRINTF(6, 7)
    serr(struct act_error *err, enum act_status st, const struct act_doc *doc, const char *loc,
         const char *kw, const char *fmt, ...)
{
    char msg[ACT_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!err || err->status != ACT_OK)
        return st;
    char ptr[ACT_ERROR_PATH_MAX];
    snprintf(ptr, sizeof(ptr), "%s%s%s", loc[0] == '#' ? loc + 1 : loc, kw ? "/" : "",
             kw ? kw : "");
    int line = 0, col = 0;
    act_doc_locate(doc, ptr, &line, &col);
    act_error_set(err, st, doc->path, line, col, "invalid schema: %s", msg);
    act_error_set_pointer(err, ptr);
    return st;
}

/* The OpenAPI version the docset's root document declares: what nullable means. */
static void read_version(struct act_validator *v)
{
    const cJSON *o = NULL;
    if (act_docset_count(v->ds))
        o = cJSON_GetObjectItemCaseSensitive(act_docset_get(v->ds, 0)->root, "openapi");
    const char *ver = cJSON_IsString(o) ? o->valuestring : "";
    v->nullable_any = strncmp(ver, "3.0.", 4) == 0 && ver[4] >= '0' && ver[4] <= '2' &&
                      !(ver[5] >= '0' && ver[5] <= '9');
    if (strncmp(ver, "3.0.", 4) == 0 && ver[4] >= '3' && strlen(ver) < sizeof(v->oas))
        snprintf(v->oas, sizeof(v->oas), "%s", ver);
    else
        snprintf(v->oas, sizeof(v->oas), "%s", v->nullable_any ? ver : "3.0.3");
}

/* ---- compiling --------------------------------------------------------------------------- */

/* "loc/kw[/token]" as a new string (token escaped per RFC 6901), NULL on NOMEM. */
static char *sub_loc(const char *loc, const char *kw, const char *token, long index)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_buf_adds(&b, loc) || act_pointer_append(&b, kw) ||
        (token && act_pointer_append(&b, token)) ||
        (index >= 0 && act_pointer_append_index(&b, (size_t)index))) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

/* Subschema node of s at s->loc/kw[/token | /index]. */
static enum act_status set_sref(struct act_sref *r, const struct schema *s, const cJSON *node,
                                const char *kw, const char *token, long index)
{
    r->doc = s->doc;
    r->node = node;
    r->res = s->res;
    r->loc = sub_loc(s->loc, kw, token, index);
    return r->loc ? ACT_OK : ACT_ERR_NOMEM;
}

/* A schema in 2020-12 may be a boolean. */
static int is_schema(const struct schema *s, const cJSON *c)
{
    return cJSON_IsObject(c) || (s->res && cJSON_IsBool(c));
}

/* Byte offset of 1-based line/col (columns in code points) in text. */
static size_t offset_of(const char *text, size_t len, int line, int col)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    for (int c = 1; c < col && i < len; c++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* A numeric keyword: the double, and its exact decimal (from the source text when
 * the double alone is not exact). */
static void make_snum(struct act_snum *n, const struct act_doc *doc, const char *loc,
                      const char *kw, const cJSON *val)
{
    n->d = val->valuedouble;
    n->exact = 0;
    if (fabs(n->d) < TWO53) {
        act_dec_from_double(&n->dec, n->d);
        n->exact = 1;
        return;
    }
    char ptr[ACT_ERROR_PATH_MAX];
    int line, col;
    snprintf(ptr, sizeof(ptr), "%s/%s", loc + 1, kw);
    if (doc->text && act_doc_locate(doc, ptr, &line, &col)) {
        size_t off = offset_of(doc->text, doc->len, line, col);
        size_t tl = act_num_token(doc->text + off, doc->len - off);
        if (tl && act_dec_parse(&n->dec, doc->text + off, tl))
            n->exact = 1;
    }
}

static int type_bits(const char *t)
{
    static const struct {
        const char *name;
        unsigned bits;
    } types[] = {
        {"string", ACT_T_STR},  {"number", ACT_T_NUM | ACT_T_INT},
        {"integer", ACT_T_INT}, {"boolean", ACT_T_BOOL},
        {"array", ACT_T_ARR},   {"object", ACT_T_OBJ},
        {"null", ACT_T_NULL},
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i].name, t) == 0)
            return (int)types[i].bits;
    return -1;
}

/* The non-negative integer keywords: the field of struct schema each fills and the kind of
 * instance it is about. */
static const struct {
    const char *name;
    size_t off; /* of a size_t in struct schema */
    unsigned flag;
} size_kws[] = {
    {"maxLength", offsetof(struct schema, max_len), ACT_S_HAS_STR},
    {"minLength", offsetof(struct schema, min_len), ACT_S_HAS_STR},
    {"maxItems", offsetof(struct schema, max_items), ACT_S_HAS_ARR},
    {"minItems", offsetof(struct schema, min_items), ACT_S_HAS_ARR},
    {"maxProperties", offsetof(struct schema, max_props), ACT_S_HAS_OBJ},
    {"minProperties", offsetof(struct schema, min_props), ACT_S_HAS_OBJ},
};

/* Keyword m of s when it is one of size_kws: checked and stored (ACT_OK or the error);
 * ACT_ERR_NOTFOUND for any other keyword. */
static enum act_status size_kw(struct schema *s, const cJSON *m, struct act_error *err)
{
    for (size_t i = 0; i < sizeof(size_kws) / sizeof(size_kws[0]); i++) {
        if (strcmp(size_kws[i].name, m->string) != 0)
            continue;
        double d = m->valuedouble;
        if (!cJSON_IsNumber(m) || d < 0 || d != floor(d))
            return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string,
                        "\"%s\" must be a non-negative integer", m->string);
        size_t *out = (size_t *)(void *)((char *)s + size_kws[i].off);
        *out = d >= 1e18 ? (size_t)-1 : (size_t)d;
        s->flags |= size_kws[i].flag;
        return ACT_OK;
    }
    return ACT_ERR_NOTFOUND;
}

static enum act_status srefs(const cJSON *m, struct act_sref **out, size_t *n,
                             const struct schema *s, struct act_error *err)
{
    const struct act_doc *doc = s->doc;
    const char *loc = s->loc;
    int count = cJSON_GetArraySize(m);
    if (!cJSON_IsArray(m) || count == 0)
        return serr(err, ACT_ERR_INVALID, doc, loc, m->string,
                    "\"%s\" must be a non-empty array of schemas", m->string);
    *out = act_calloc((size_t)count, sizeof(**out));
    if (!*out)
        return ACT_ERR_NOMEM;
    *n = (size_t)count;
    long i = 0;
    for (const cJSON *c = m->child; c; c = c->next, i++) {
        if (!is_schema(s, c))
            return serr(err, ACT_ERR_INVALID, doc, loc, m->string,
                        "\"%s\" must be an array of schema objects", m->string);
        if (set_sref(&(*out)[i], s, c, m->string, NULL, i))
            return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

static void free_sref(struct act_sref *r)
{
    act_free(r->loc);
}

static void free_srefs(struct act_sref *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        free_sref(&r[i]);
    act_free(r);
}

void act_schema_free_all(struct act_validator *v);
void act_schema_free_all(struct act_validator *v)
{
    struct schema *s = v->all, *next;
    for (; s; s = next) {
        next = s->next;
        act_free(s->loc);
        act_pattern_free(s->pattern);
        for (size_t i = 0; i < s->n_props; i++)
            free_sref(&s->props[i].ref);
        act_free(s->props);
        act_map_release(&s->pmap);
        act_free(s->req_extra);
        free_sref(&s->addl);
        free_sref(&s->items);
        free_sref(&s->not_);
        free_srefs(s->all, s->n_all);
        free_srefs(s->any, s->n_any);
        free_srefs(s->one, s->n_one);
        free_srefs(s->prefix, s->n_prefix);
        free_sref(&s->contains);
        free_sref(&s->pnames);
        free_sref(&s->if_);
        free_sref(&s->then_);
        free_sref(&s->else_);
        free_sref(&s->uprops);
        free_sref(&s->uitems);
        free_sref(&s->ref);
        free_sref(&s->dref);
        for (size_t i = 0; i < s->n_pprops; i++) {
            act_pattern_free(s->pprops[i].re);
            free_sref(&s->pprops[i].ref);
        }
        act_free(s->pprops);
        for (size_t i = 0; i < s->n_deps; i++)
            free_sref(&s->deps[i].ref);
        act_free(s->deps);
        for (struct act_dmap *d = s->dmap, *dn; d; d = dn) {
            dn = d->next;
            act_free(d->value);
            act_free(d);
        }
        act_free(s);
    }
    v->all = NULL;
    act_map_release(&v->cache);
    act_free(v->cached);
    v->cached = NULL;
    v->n_cached = v->cap_cached = 0;
    act_res_free_all(v);
}

const struct act_sprop *act_schema_prop(const struct schema *s, const char *name)
{
    struct act_map_it it;
    if (!s->n_props)
        return NULL;
    for (uint32_t id = act_map_first(&it, &s->pmap, act_hash_str(name)); id != ACT_MAP_NONE;
         id = act_map_next(&it))
        if (strcmp(s->props[id].name, name) == 0)
            return &s->props[id];
    return NULL;
}

static enum act_status compile_props(struct schema *s, const cJSON *m, struct act_error *err)
{
    if (!cJSON_IsObject(m))
        return serr(err, ACT_ERR_INVALID, s->doc, s->loc, "properties",
                    "\"properties\" must be an object");
    size_t n = 0;
    for (const cJSON *c = m->child; c; c = c->next)
        n++;
    if (n == 0)
        return ACT_OK;
    s->props = act_calloc(n, sizeof(*s->props));
    if (!s->props || n >= ACT_MAP_NONE || act_map_reserve(&s->pmap, n))
        return ACT_ERR_NOMEM;
    for (const cJSON *c = m->child; c; c = c->next) {
        if (!is_schema(s, c))
            return serr(err, ACT_ERR_INVALID, s->doc, s->loc, "properties",
                        "property \"%s\" must be a schema object", c->string);
        if (act_schema_prop(s, c->string))
            continue; /* a duplicate key: the first one wins */
        struct act_sprop *p = &s->props[s->n_props];
        p->name = c->string;
        p->hash = act_hash_str(c->string);
        if (set_sref(&p->ref, s, c, "properties", c->string, -1))
            return ACT_ERR_NOMEM;
        if (act_map_put(&s->pmap, p->hash, (uint32_t)s->n_props))
            return ACT_ERR_NOMEM;
        s->n_props++;
    }
    return ACT_OK;
}

static enum act_status compile_required(struct schema *s, const cJSON *m, struct act_error *err)
{
    if (!cJSON_IsArray(m))
        return serr(err, ACT_ERR_INVALID, s->doc, s->loc, "required",
                    "\"required\" must be an array of strings");
    size_t n = (size_t)cJSON_GetArraySize(m);
    if (n)
        s->req_extra = act_calloc(n, sizeof(*s->req_extra));
    if (n && !s->req_extra)
        return ACT_ERR_NOMEM;
    for (const cJSON *c = m->child; c; c = c->next) {
        if (!cJSON_IsString(c))
            return serr(err, ACT_ERR_INVALID, s->doc, s->loc, "required",
                        "\"required\" must be an array of strings");
        struct act_sprop *p = (struct act_sprop *)act_schema_prop(s, c->valuestring);
        if (p)
            p->required = 1;
        else
            s->req_extra[s->n_req_extra++] = c->valuestring;
    }
    return ACT_OK;
}

/* ---- JSON Schema 2020-12 keywords -------------------------------------------------------- */

/* The keywords of the validation vocabulary (off under a metaschema without it). */
static int validation_kw(const char *k)
{
    static const char *const kws[] = {"type",
                                      "const",
                                      "enum",
                                      "multipleOf",
                                      "maximum",
                                      "minimum",
                                      "maxLength",
                                      "minLength",
                                      "pattern",
                                      "maxItems",
                                      "minItems",
                                      "uniqueItems",
                                      "maxContains",
                                      "minContains",
                                      "maxProperties",
                                      "minProperties",
                                      "required",
                                      "dependentRequired",
                                      "exclusiveMaximum",
                                      "exclusiveMinimum",
                                      NULL};
    for (int i = 0; kws[i]; i++)
        if (strcmp(k, kws[i]) == 0)
            return 1;
    return 0;
}

/* A non-negative integer keyword (1.0 counts as an integer in 2020-12). */
static enum act_status count_kw(struct schema *s, const cJSON *m, size_t *out,
                                struct act_error *err)
{
    double d = m->valuedouble;
    if (!cJSON_IsNumber(m) || d < 0 || d != floor(d))
        return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string,
                    "\"%s\" must be a non-negative integer", m->string);
    *out = d >= 1e18 ? (size_t)-1 : (size_t)d;
    return ACT_OK;
}

static enum act_status one_schema(struct schema *s, const cJSON *m, struct act_sref *r,
                                  unsigned flags, struct act_error *err)
{
    if (!is_schema(s, m))
        return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string,
                    "\"%s\" must be a schema (an object or a boolean)", m->string);
    s->flags |= flags;
    return set_sref(r, s, m, m->string, NULL, -1);
}

/* $ref / $dynamicRef: resolved now, against the schema's base URI. */
static enum act_status ref_kw(struct act_validator *v, struct schema *s, const cJSON *m,
                              struct act_sref *r, struct act_error *err)
{
    if (!cJSON_IsString(m))
        return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string, "\"%s\" must be a string",
                    m->string);
    struct act_node t;
    struct act_res *tres;
    struct act_buf loc;
    act_buf_init(&loc);
    struct act_error sub;
    act_error_init(&sub);
    enum act_status st = act_res_resolve(v, s->res, m->valuestring, &t, &tres, &loc, &sub);
    if (st) {
        act_buf_release(&loc);
        if (st == ACT_ERR_NOMEM)
            return st;
        /* where the $ref stands, with the resolver's reason */
        return serr(err, st, s->doc, s->loc, m->string, "%s", sub.msg);
    }
    r->doc = t.doc;
    r->node = t.node;
    r->res = tres;
    r->loc = act_buf_detach(&loc, NULL);
    if (!r->loc)
        return ACT_ERR_NOMEM;
    s->flags |= ACT_S_APPL20;
    if (m->string[1] == 'd') {
        const char *hash = strchr(m->valuestring, '#');
        if (hash && hash[1] && hash[1] != '/' && act_res_anchor(tres, hash + 1, 1) == t.node) {
            s->dyn_name = hash + 1;
            v->has_dynamic = 1;
        }
    }
    return ACT_OK;
}

static enum act_status pattern_props(struct schema *s, const cJSON *m, struct act_error *err)
{
    if (!cJSON_IsObject(m))
        return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string,
                    "\"patternProperties\" must be an object");
    size_t n = (size_t)cJSON_GetArraySize(m);
    s->flags |= ACT_S_OBJ20 | ACT_S_HAS_OBJ;
    if (!n)
        return ACT_OK;
    if (!(s->pprops = act_calloc(n, sizeof(*s->pprops))))
        return ACT_ERR_NOMEM;
    for (const cJSON *c = m->child; c; c = c->next) {
        struct act_spat *p = &s->pprops[s->n_pprops];
        char msg[256], echo[ACT_ECHO_SIZE];
        if (!is_schema(s, c))
            return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string,
                        "pattern property \"%s\" must be a schema", c->string);
        enum act_status st = act_pattern_compile(c->string, &p->re, msg, sizeof(msg));
        if (st == ACT_ERR_INVALID)
            return serr(err, st, s->doc, s->loc, m->string, "invalid pattern \"%s\": %s",
                        act_echo(echo, sizeof(echo), c->string, strlen(c->string)), msg);
        if (st)
            return st;
        p->src = c->string;
        s->n_pprops++;
        if (set_sref(&p->ref, s, c, m->string, c->string, -1))
            return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

static enum act_status dependent(struct schema *s, const cJSON *m, struct act_error *err)
{
    if (!cJSON_IsObject(m))
        return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string, "\"%s\" must be an object",
                    m->string);
    s->flags |= ACT_S_OBJ20 | ACT_S_HAS_OBJ;
    if (m->string[9] == 'R') { /* dependentRequired */
        for (const cJSON *c = m->child; c; c = c->next) {
            int ok = cJSON_IsArray(c);
            for (const cJSON *e = ok ? c->child : NULL; e; e = e->next)
                ok &= cJSON_IsString(e);
            if (!ok)
                return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string,
                            "\"dependentRequired\" values must be arrays of strings");
        }
        s->dep_req = m;
        return ACT_OK;
    }
    size_t n = (size_t)cJSON_GetArraySize(m);
    if (!n)
        return ACT_OK;
    if (!(s->deps = act_calloc(n, sizeof(*s->deps))))
        return ACT_ERR_NOMEM;
    for (const cJSON *c = m->child; c; c = c->next) {
        if (!is_schema(s, c))
            return serr(err, ACT_ERR_INVALID, s->doc, s->loc, m->string,
                        "\"dependentSchemas\" values must be schemas");
        s->deps[s->n_deps].name = c->string;
        if (set_sref(&s->deps[s->n_deps++].ref, s, c, m->string, c->string, -1))
            return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

/* A keyword as JSON Schema 2020-12 reads it; ACT_ERR_NOTFOUND for one it reads as OpenAPI
 * 3.0 does (compile_keyword). */
static enum act_status compile_kw20(struct act_validator *v, struct schema *s, const cJSON *m,
                                    struct act_error *err)
{
    const char *k = m->string;
    if (s->res->no_validation && validation_kw(k))
        return ACT_OK;
    if (strcmp(k, "type") == 0) {
        if (cJSON_IsString(m)) {
            int b = type_bits(m->valuestring);
            if (b < 0)
                return serr(err, ACT_ERR_INVALID, s->doc, s->loc, k, "unknown type \"%s\"",
                            m->valuestring);
            s->types = (unsigned)b;
            return ACT_OK;
        }
        if (!cJSON_IsArray(m))
            return serr(err, ACT_ERR_INVALID, s->doc, s->loc, k,
                        "\"type\" must be a string or an array of strings");
        for (const cJSON *t = m->child; t; t = t->next) {
            int b = cJSON_IsString(t) ? type_bits(t->valuestring) : -1;
            if (b < 0)
                return serr(err, ACT_ERR_INVALID, s->doc, s->loc, k, "unknown type in \"type\"");
            s->types |= (unsigned)b;
        }
        if (!m->child)
            s->flags |= ACT_S_FALSE; /* no type allowed */
        return ACT_OK;
    }
    if (strcmp(k, "nullable") == 0)
        return ACT_OK; /* not a 2020-12 keyword: null goes in "type" */
    if (strcmp(k, "const") == 0) {
        s->constv = m;
        s->flags |= ACT_S_APPL20;
        return ACT_OK;
    }
    if (strcmp(k, "exclusiveMaximum") == 0 || strcmp(k, "exclusiveMinimum") == 0) {
        if (!cJSON_IsNumber(m))
            return serr(err, ACT_ERR_INVALID, s->doc, s->loc, k, "\"%s\" must be a number", k);
        int max = k[10] == 'a';
        make_snum(max ? &s->xmax : &s->xmin, s->doc, s->loc, k, m);
        s->flags |= (max ? ACT_S_HAS_XMAX : ACT_S_HAS_XMIN) | ACT_S_HAS_NUM;
        return ACT_OK;
    }
    if (strcmp(k, "items") == 0)
        return one_schema(s, m, &s->items, ACT_S_HAS_ARR, err);
    if (strcmp(k, "prefixItems") == 0) {
        s->flags |= ACT_S_ARR20 | ACT_S_HAS_ARR;
        return srefs(m, &s->prefix, &s->n_prefix, s, err);
    }
    if (strcmp(k, "contains") == 0)
        return one_schema(s, m, &s->contains, ACT_S_ARR20 | ACT_S_HAS_ARR, err);
    if (strcmp(k, "minContains") == 0)
        return count_kw(s, m, &s->min_contains, err);
    if (strcmp(k, "maxContains") == 0)
        return count_kw(s, m, &s->max_contains, err);
    if (strcmp(k, "patternProperties") == 0)
        return pattern_props(s, m, err);
    if (strcmp(k, "additionalProperties") == 0) {
        if (cJSON_IsFalse(m))
            s->flags |= ACT_S_ADDL_FALSE;
        return one_schema(s, m, &s->addl, ACT_S_HAS_OBJ, err);
    }
    if (strcmp(k, "propertyNames") == 0)
        return one_schema(s, m, &s->pnames, ACT_S_OBJ20 | ACT_S_HAS_OBJ, err);
    if (strcmp(k, "dependentRequired") == 0 || strcmp(k, "dependentSchemas") == 0)
        return dependent(s, m, err);
    if (strcmp(k, "if") == 0)
        return one_schema(s, m, &s->if_, ACT_S_APPL20, err);
    if (strcmp(k, "then") == 0)
        return one_schema(s, m, &s->then_, 0, err);
    if (strcmp(k, "else") == 0)
        return one_schema(s, m, &s->else_, 0, err);
    if (strcmp(k, "unevaluatedProperties") == 0)
        return one_schema(s, m, &s->uprops, ACT_S_UNEVAL | ACT_S_OBJ20 | ACT_S_HAS_OBJ, err);
    if (strcmp(k, "unevaluatedItems") == 0)
        return one_schema(s, m, &s->uitems, ACT_S_UNEVAL | ACT_S_ARR20 | ACT_S_HAS_ARR, err);
    if (strcmp(k, "$ref") == 0)
        return ref_kw(v, s, m, &s->ref, err);
    if (strcmp(k, "$dynamicRef") == 0)
        return ref_kw(v, s, m, &s->dref, err);
    if (strcmp(k, "not") == 0)
        return one_schema(s, m, &s->not_, 0, err);
    return ACT_ERR_NOTFOUND;
}

static enum act_status compile_keyword(struct act_validator *v, struct schema *s, const cJSON *m,
                                       const cJSON **required, struct act_error *err)
{
    const char *k = m->string;
    const struct act_doc *doc = s->doc;
    const char *loc = s->loc;
    enum act_status st;
    if (s->res && (st = compile_kw20(v, s, m, err)) != ACT_ERR_NOTFOUND)
        return st;
    if (strcmp(k, "type") == 0) {
        if (cJSON_IsString(m)) {
            int b = type_bits(m->valuestring);
            if (b < 0)
                return serr(err, ACT_ERR_INVALID, doc, loc, k, "unknown type \"%s\"",
                            m->valuestring);
            s->types = (unsigned)b;
        } else if (cJSON_IsArray(m) && m->child) {
            /* Not OpenAPI 3.0, but unambiguous: accepted as a union. */
            for (const cJSON *t = m->child; t; t = t->next) {
                int b = cJSON_IsString(t) ? type_bits(t->valuestring) : -1;
                if (b < 0)
                    return serr(err, ACT_ERR_INVALID, doc, loc, k, "unknown type in \"type\"");
                s->types |= (unsigned)b;
            }
        } else {
            return serr(err, ACT_ERR_INVALID, doc, loc, k, "\"type\" must be a string");
        }
    } else if (strcmp(k, "nullable") == 0) {
        if (cJSON_IsTrue(m))
            s->flags |= ACT_S_NULLABLE;
    } else if (strcmp(k, "enum") == 0) {
        if (!cJSON_IsArray(m))
            return serr(err, ACT_ERR_INVALID, doc, loc, k, "\"enum\" must be an array");
        s->enumv = m;
    } else if (strcmp(k, "format") == 0) {
        if (cJSON_IsString(m))
            s->format = act_format_of(m->valuestring);
    } else if (strcmp(k, "multipleOf") == 0) {
        if (!cJSON_IsNumber(m) || !(m->valuedouble > 0))
            return serr(err, ACT_ERR_INVALID, doc, loc, k,
                        "\"multipleOf\" must be a number greater than 0");
        make_snum(&s->mult, doc, loc, k, m);
        if (!s->mult.exact || s->mult.dec.n > 18 || !isfinite(m->valuedouble))
            return serr(err, ACT_ERR_UNSUPPORTED, doc, loc, k,
                        "\"multipleOf\" with more than 18 significant digits is not supported");
        s->flags |= ACT_S_HAS_MULT | ACT_S_HAS_NUM;
    } else if (strcmp(k, "maximum") == 0 || strcmp(k, "minimum") == 0) {
        if (!cJSON_IsNumber(m))
            return serr(err, ACT_ERR_INVALID, doc, loc, k, "\"%s\" must be a number", k);
        int max = k[1] == 'a';
        make_snum(max ? &s->max : &s->min, doc, loc, k, m);
        s->flags |= (max ? ACT_S_HAS_MAX : ACT_S_HAS_MIN) | ACT_S_HAS_NUM;
    } else if (strcmp(k, "exclusiveMaximum") == 0 || strcmp(k, "exclusiveMinimum") == 0) {
        if (!cJSON_IsBool(m))
            return serr(err, ACT_ERR_INVALID, doc, loc, k,
                        "\"%s\" must be a boolean in OpenAPI 3.0", k);
        if (cJSON_IsTrue(m))
            s->flags |= k[10] == 'a' ? ACT_S_EXMAX : ACT_S_EXMIN;
    } else if ((st = size_kw(s, m, err)) != ACT_ERR_NOTFOUND) {
        return st;
    } else if (strcmp(k, "uniqueItems") == 0) {
        if (!cJSON_IsBool(m))
            return serr(err, ACT_ERR_INVALID, doc, loc, k, "\"uniqueItems\" must be a boolean");
        if (cJSON_IsTrue(m))
            s->flags |= ACT_S_UNIQUE | ACT_S_HAS_ARR;
    } else if (strcmp(k, "pattern") == 0) {
        if (!cJSON_IsString(m))
            return serr(err, ACT_ERR_INVALID, doc, loc, k, "\"pattern\" must be a string");
        char msg[256], echo[ACT_ECHO_SIZE];
        st = act_pattern_compile(m->valuestring, &s->pattern, msg, sizeof(msg));
        if (st == ACT_ERR_INVALID)
            return serr(err, ACT_ERR_INVALID, doc, loc, k, "invalid pattern \"%s\": %s",
                        act_echo(echo, sizeof(echo), m->valuestring, strlen(m->valuestring)), msg);
        if (st)
            return st;
        s->pattern_src = m->valuestring;
        s->flags |= ACT_S_HAS_STR;
    } else if (strcmp(k, "required") == 0) {
        *required = m;
        s->flags |= ACT_S_HAS_OBJ;
    } else if (strcmp(k, "properties") == 0) {
        s->flags |= ACT_S_HAS_OBJ;
        return compile_props(s, m, err);
    } else if (strcmp(k, "additionalProperties") == 0) {
        if (cJSON_IsFalse(m)) {
            s->flags |= ACT_S_ADDL_FALSE | ACT_S_HAS_OBJ;
        } else if (cJSON_IsObject(m)) {
            s->flags |= ACT_S_HAS_OBJ;
            return set_sref(&s->addl, s, m, k, NULL, -1);
        } else if (!cJSON_IsTrue(m)) {
            return serr(err, ACT_ERR_INVALID, doc, loc, k,
                        "\"additionalProperties\" must be a boolean or a schema");
        }
    } else if (strcmp(k, "items") == 0) {
        if (!cJSON_IsObject(m))
            return serr(err, ACT_ERR_INVALID, doc, loc, k,
                        "\"items\" must be a schema object (OpenAPI 3.0 has no tuple items)");
        s->flags |= ACT_S_HAS_ARR;
        return set_sref(&s->items, s, m, k, NULL, -1);
    } else if (strcmp(k, "allOf") == 0) {
        return srefs(m, &s->all, &s->n_all, s, err);
    } else if (strcmp(k, "anyOf") == 0) {
        return srefs(m, &s->any, &s->n_any, s, err);
    } else if (strcmp(k, "oneOf") == 0) {
        return srefs(m, &s->one, &s->n_one, s, err);
    } else if (strcmp(k, "not") == 0) {
        if (!cJSON_IsObject(m))
            return serr(err, ACT_ERR_INVALID, doc, loc, k, "\"not\" must be a schema object");
        return set_sref(&s->not_, s, m, k, NULL, -1);
    } else if (strcmp(k, "readOnly") == 0) {
        if (cJSON_IsTrue(m))
            s->flags |= ACT_S_READONLY;
    } else if (strcmp(k, "writeOnly") == 0) {
        if (cJSON_IsTrue(m))
            s->flags |= ACT_S_WRITEONLY;
    } else if (strcmp(k, "discriminator") == 0) {
        const cJSON *pn = cJSON_GetObjectItemCaseSensitive(m, "propertyName");
        const cJSON *map = cJSON_GetObjectItemCaseSensitive(m, "mapping");
        if (!cJSON_IsObject(m) || !cJSON_IsString(pn))
            return serr(err, ACT_ERR_INVALID, doc, loc, k,
                        "\"discriminator\" needs a string \"propertyName\"");
        if (map && !cJSON_IsObject(map))
            return serr(err, ACT_ERR_INVALID, doc, loc, k,
                        "\"discriminator.mapping\" must be an object");
        for (const cJSON *e = map ? map->child : NULL; e; e = e->next)
            if (!cJSON_IsString(e))
                return serr(err, ACT_ERR_INVALID, doc, loc, k,
                            "\"discriminator.mapping\" values must be strings");
        s->disc_prop = pn->valuestring;
        s->disc_mapping = map;
    }
    /* Everything else (title, description, default, example, x-*, deprecated, xml,
     * externalDocs, and JSON Schema keywords OpenAPI 3.0 does not have) is ignored. */
    return ACT_OK;
}

static enum act_status compile(struct act_validator *v, const struct act_doc *doc,
                               const cJSON *node, const char *loc, struct act_res *res,
                               struct schema **out, struct act_error *err)
{
    if (!cJSON_IsObject(node) && !(res && cJSON_IsBool(node)))
        return serr(err, ACT_ERR_INVALID, doc, loc, NULL, "a schema must be an object");
    struct schema *s = act_calloc(1, sizeof(*s));
    if (!s)
        return ACT_ERR_NOMEM;
    s->loc = act_strdup(loc);
    if (!s->loc) {
        act_free(s);
        return ACT_ERR_NOMEM;
    }
    if (v->nullable_any < 0)
        read_version(v);
    s->doc = doc;
    s->node = node;
    s->res = res;
    s->max_len = s->max_items = s->max_props = s->max_contains = (size_t)-1;
    s->min_contains = 1;
    s->next = v->all;
    v->all = s; /* freed with the validator from here on, also on failure below */
    const cJSON *required = NULL;
    enum act_status st = ACT_OK;
    if (cJSON_IsBool(node)) {
        s->flags |= cJSON_IsTrue(node) ? ACT_S_ANY : ACT_S_FALSE;
        *out = s;
        return ACT_OK;
    }
    if (res && (st = act_res_vocabulary(v, res, err)))
        return st;
    for (const cJSON *m = node->child; m && !st; m = m->next) {
        /* a duplicate key (YAML refuses them, cJSON keeps them): the first one wins */
        const cJSON *prev = node->child;
        while (prev != m && strcmp(prev->string, m->string) != 0)
            prev = prev->next;
        if (prev == m)
            st = compile_keyword(v, s, m, &required, err);
    }
    if (!st && required)
        st = compile_required(s, required, err);
    if (st)
        return st;
    if (s->types && (s->flags & ACT_S_NULLABLE))
        s->types |= ACT_T_NULL;
    if (s->format >= ACT_FMT_INT32)
        s->flags |= ACT_S_HAS_NUM;
    else if (s->format != ACT_FMT_NONE)
        s->flags |= ACT_S_HAS_STR;
    if (!s->types && !s->enumv && !s->n_all && !s->n_any && !s->n_one && !s->not_.node &&
        !s->disc_prop &&
        !(s->flags & (ACT_S_HAS_OBJ | ACT_S_HAS_ARR | ACT_S_HAS_STR | ACT_S_HAS_NUM |
                      ACT_S_READONLY | ACT_S_WRITEONLY | ACT_S_FALSE | ACT_S_APPL20)))
        s->flags |= ACT_S_ANY;
    *out = s;
    return ACT_OK;
}

/* The location of the final target of the $ref at node: the last ref's fragment. */
static enum act_status target_loc(struct act_validator *v, struct act_node cur, struct act_buf *out)
{
    const char *last = NULL;
    const char *r;
    int hops = 0;
    while ((r = act_ref_of(cur.node)) != NULL && hops++ <= ACT_MAX_REF_HOPS) {
        last = r;
        enum act_status st = act_ref_resolve(v->ds, cur.doc, r, &cur, NULL);
        if (st == ACT_ERR_NOMEM)
            return st;
        if (st)
            break;
    }
    const char *hash = last ? strchr(last, '#') : NULL;
    act_buf_reset(out);
    if (act_buf_addc(out, '#'))
        return ACT_ERR_NOMEM;
    if (!hash)
        return ACT_OK;
    struct act_buf ptr;
    act_buf_init(&ptr);
    enum act_status st = act_pointer_from_fragment(hash, strlen(hash), &ptr);
    if (!st)
        st = act_buf_add(out, ptr.data, ptr.len);
    act_buf_release(&ptr);
    return st == ACT_ERR_NOMEM ? st : ACT_OK;
}

/* "#" + the JSON Pointer of node in doc, into b (a linear search: for entry points). */
static enum act_status loc_of(const struct act_doc *doc, const cJSON *node, struct act_buf *b)
{
    struct act_buf ptr;
    act_buf_init(&ptr);
    enum act_status st = act_pointer_of(doc->root, node, &ptr);
    if (st != ACT_ERR_NOMEM)
        st = act_buf_addc(b, '#') || act_buf_add(b, ptr.data, ptr.len) ? ACT_ERR_NOMEM : ACT_OK;
    act_buf_release(&ptr);
    return st;
}

/* node is {"$ref": ...} and nothing else. */
static int ref_only(const cJSON *node)
{
    return cJSON_IsObject(node) && node->child && !node->child->next &&
           strcmp(node->child->string, "$ref") == 0 && cJSON_IsString(node->child);
}

/* act_schema_get in the 2020-12 mode: $ref is a keyword like any other, the schema belongs
 * to a resource (res, or the one around node when NULL). A node that is a $ref and nothing
 * else, to a target in its own resource, shares the target's compiled schema (hops: such
 * nodes followed so far): nothing beside the $ref can change what it means, and skipping
 * it leaves the dynamic scope as it is. */
static enum act_status get20_at(struct act_validator *v, const struct act_doc *doc,
                                const cJSON *node, const char *loc, struct act_res *res, int hops,
                                struct schema **out, struct act_error *err)
{
    struct schema *s = cache_find(v, node);
    if (s) {
        *out = s;
        return ACT_OK;
    }
    struct act_buf b;
    act_buf_init(&b);
    enum act_status st = ACT_OK;
    if (!loc) {
        st = loc_of(doc, node, &b);
        loc = b.data;
    }
    if (!st) {
        if (res)
            res = act_res_of(v, res, node);
        else
            st = act_res_locate(v, doc, loc, &res);
    }
    if (!st && ref_only(node) && hops < ACT_MAX_REF_HOPS) {
        struct act_node t;
        struct act_res *tres;
        struct act_buf tloc;
        struct act_error sub;
        act_buf_init(&tloc);
        act_error_init(&sub);
        st = act_res_resolve(v, res, node->child->valuestring, &t, &tres, &tloc, &sub);
        if (!st && tres == res)
            st = get20_at(v, t.doc, t.node, tloc.data, tres, hops + 1, &s, err);
        else if (st != ACT_ERR_NOMEM)
            st = compile(v, doc, node, loc, res, &s, err); /* says where the $ref stands */
        act_buf_release(&tloc);
    } else if (!st) {
        st = compile(v, doc, node, loc, res, &s, err);
    }
    if (!st)
        st = cache_put(v, node, s);
    act_buf_release(&b);
    if (st == ACT_ERR_NOMEM && err && err->status == ACT_OK)
        act_error_set(err, st, doc->path, 0, 0, "out of memory");
    if (!st)
        *out = s;
    return st;
}

static enum act_status get20(struct act_validator *v, const struct act_doc *doc, const cJSON *node,
                             const char *loc, struct act_res *res, struct schema **out,
                             struct act_error *err)
{
    return get20_at(v, doc, node, loc, res, 0, out, err);
}

enum act_status act_schema_get(struct act_validator *v, const struct act_doc *doc,
                               const cJSON *node, const char *loc, struct schema **out,
                               struct act_error *err)
{
    if (v->dialect == ACT_DIALECT_2020_12)
        return get20(v, doc, node, loc, NULL, out, err);
    struct schema *s = cache_find(v, node);
    struct act_buf b;
    enum act_status st = ACT_OK;
    if (s) {
        *out = s;
        return ACT_OK;
    }
    act_buf_init(&b);
    if (act_ref_of(node)) {
        struct act_node t;
        st = act_ref_deref(v->ds, (struct act_node){doc, node}, &t, err);
        if (st)
            goto out;
        s = cache_find(v, t.node);
        if (!s) {
            if ((st = target_loc(v, (struct act_node){doc, node}, &b)))
                goto out;
            if ((st = compile(v, t.doc, t.node, b.data, NULL, &s, err)))
                goto out;
            if ((st = cache_put(v, t.node, s)))
                goto out;
        }
    } else {
        if (!loc) {
            if ((st = loc_of(doc, node, &b)))
                goto out;
            loc = b.data;
        }
        if ((st = compile(v, doc, node, loc, NULL, &s, err)))
            goto out;
    }
    st = cache_put(v, node, s);
out:
    act_buf_release(&b);
    if (st == ACT_ERR_NOMEM && err && err->status == ACT_OK)
        act_error_set(err, st, doc->path, 0, 0, "out of memory");
    if (!st)
        *out = s;
    return st;
}

enum act_status act_sref_get(struct act_validator *v, struct act_sref *r, struct act_error *err)
{
    if (r->s)
        return ACT_OK;
    if (r->res)
        return get20(v, r->doc, r->node, r->loc, r->res, &r->s, err);
    return act_schema_get(v, r->doc, r->node, r->loc, &r->s, err);
}
