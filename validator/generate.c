/*
 * generate.c - a deterministic instance generated from an OpenAPI 3.0 or 3.1
 * schema.
 *
 * The walk follows $refs one at a time and keeps the stack of schema nodes it
 * is inside: a property or array item whose schema is already on the stack
 * is left out when it is optional, so recursive schemas end. allOf branches
 * are merged into one object shape; oneOf/anyOf take the first branch whose
 * instance validates against the whole schema; strings with a pattern try a
 * few candidates against the validator. The caller validates the result.
 *
 * In a 3.1 document (or a schema whose $schema is 2020-12) the JSON Schema
 * 2020-12 keywords count too: const, type arrays (the first type that is not
 * "null"), prefixItems (then items for the rest), numeric exclusiveMinimum and
 * exclusiveMaximum, dependentRequired, if/then/else (then's members are added
 * when the instance satisfies if, else's otherwise) and, with examples, the
 * first of an examples array. A 3.0 document's schemas are read as 3.0 says,
 * where those keywords mean nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "validator/validate.h"

struct gen {
    struct act_validator *v;
    struct act_docset *ds;
    enum act_direction dir;
    int use_examples;
    int js2020;                                /* the 2020-12 keywords count (a 3.1 document) */
    const cJSON *stack[ACT_GEN_MAX_DEPTH + 1]; /* schema nodes being generated */
    int depth;
    struct act_error *err;
};

static enum act_status gen_node(struct gen *g, struct act_node s, const char *ref_name,
                                cJSON **out);

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static const char *get_str(const cJSON *o, const char *k)
{
    const cJSON *x = get(o, k);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

static int on_stack(const struct gen *g, const cJSON *n)
{
    for (int i = 0; i < g->depth; i++)
        if (g->stack[i] == n)
            return 1;
    return 0;
}

static enum act_status nomem(struct gen *g)
{
    return act_error_set(g->err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* The last token of a "#/components/schemas/Name" ref: the implicit discriminator value. */
static const char *ref_last(const char *ref)
{
    if (!ref)
        return NULL;
    const char *s = strrchr(ref, '/');
    return s ? s + 1 : ref;
}

/* 1 when instance validates against s (always 1 without a validator). */
static int fits(struct gen *g, struct act_node s, const cJSON *instance)
{
    if (!g->v)
        return 1;
    struct act_errlist errs;
    struct act_error e;
    act_errlist_init(&errs, 1);
    act_error_init(&e);
    enum act_status st = act_validate(g->v, s, instance, g->dir, &errs, &e);
    int ok = !st && errs.n == 0 && errs.dropped == 0;
    act_errlist_release(&errs);
    return ok;
}

/* ------------------------------------------------------------------ scalars */

/* The nearest value above lo (below, when down) for an exclusive bound. */
static double past(double lo, int is_int, int down)
{
    double d = is_int ? 1 : fabs(lo) > 1 ? fabs(lo) * 1e-9 : 1e-9;
    return is_int ? (down ? ceil(lo) - d : floor(lo) + d) : (down ? lo - d : lo + d);
}

static double num_limit(const cJSON *s, int is_int, int js2020, int *ok)
{
    const cJSON *mn = get(s, "minimum"), *mx = get(s, "maximum"), *mo = get(s, "multipleOf");
    const cJSON *xmn = get(s, "exclusiveMinimum"), *xmx = get(s, "exclusiveMaximum");
    double lo = -INFINITY, hi = INFINITY;
    if (cJSON_IsNumber(mn)) {
        lo = mn->valuedouble;
        if (cJSON_IsTrue(get(s, "exclusiveMinimum")))
            lo = is_int ? floor(lo) + 1 : lo + (fabs(lo) > 1 ? fabs(lo) * 1e-9 : 1e-9);
    }
    if (cJSON_IsNumber(mx)) {
        hi = mx->valuedouble;
        if (cJSON_IsTrue(get(s, "exclusiveMaximum")))
            hi = is_int ? ceil(hi) - 1 : hi - (fabs(hi) > 1 ? fabs(hi) * 1e-9 : 1e-9);
    }
    /* 2020-12: the exclusive bounds are numbers of their own. */
    if (js2020 && cJSON_IsNumber(xmn) && past(xmn->valuedouble, is_int, 0) > lo)
        lo = past(xmn->valuedouble, is_int, 0);
    if (js2020 && cJSON_IsNumber(xmx) && past(xmx->valuedouble, is_int, 1) < hi)
        hi = past(xmx->valuedouble, is_int, 1);
    if (is_int) {
        lo = ceil(lo);
        hi = floor(hi);
    }
    double v = is_int ? 1 : 1.5;
    if (v < lo)
        v = lo;
    if (v > hi)
        v = !isfinite(lo) ? hi : !isfinite(hi) ? lo : is_int ? floor((lo + hi) / 2) : (lo + hi) / 2;
    if (cJSON_IsNumber(mo) && mo->valuedouble > 0) {
        double m = mo->valuedouble;
        double k = ceil(v / m);
        v = k * m;
        if (v > hi)
            v = floor(hi / m) * m;
        if (is_int && v != floor(v))
            v = m * ceil(ceil(v) / m); /* best effort: the validator has the last word */
        if (v == 0 && lo <= m && m <= hi)
            v = m;
    }
    *ok = v >= lo && v <= hi;
    return v;
}

static const char *format_sample(const char *fmt)
{
    static const struct {
        const char *fmt, *sample;
    } t[] = {
        {"date-time", "2024-01-01T12:00:00Z"},
        {"date", "2024-01-01"},
        {"time", "12:00:00Z"},
        {"email", "user@example.com"},
        {"uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
        {"uri", "https://example.com/"},
        {"uri-reference", "/example"},
        {"hostname", "example.com"},
        {"ipv4", "192.0.2.1"},
        {"ipv6", "2001:db8::1"},
        {"byte", "c3RyaW5n"},
        {"password", "secret"},
        {"binary", "string"},
    };
    for (size_t i = 0; fmt && i < sizeof(t) / sizeof(t[0]); i++)
        if (strcmp(t[i].fmt, fmt) == 0)
            return t[i].sample;
    return NULL;
}

/* ------------------------------------------------- a string from a pattern */

/* One character that the escape \c stands for (or matches). */
static char esc_char(char c)
{
    switch (c) {
    case 'd': return '0';
    case 'w':
    case 'D':
    case 'S': return 'a';
    case 's': return ' ';
    case 'W': return '-';
    case 'n': return '\n';
    case 't': return '\t';
    default: return c;
    }
}

/* Where the group or class opened at p[i] closes (index of ')' or ']'), or n. */
static size_t closing(const char *p, size_t i, size_t n)
{
    char open = p[i], close = open == '(' ? ')' : ']';
    int depth = 0, in_class = 0;
    for (size_t k = i; k < n; k++) {
        if (p[k] == '\\') {
            k++;
            continue;
        }
        if (open == '(' && p[k] == '[' && !in_class) {
            in_class = 1;
            continue;
        }
        if (in_class) {
            if (p[k] == ']' && k > 0 && p[k - 1] != '[')
                in_class = 0;
            continue;
        }
        if (p[k] == open)
            depth++;
        else if (p[k] == close && --depth == 0)
            return k;
        if (open == '[' && p[k] == ']' && k > i + 1)
            return k;
    }
    return n;
}

/* A character of the class p[i..end] ('[' at i, ']' at end). */
static char class_char(const char *p, size_t i, size_t end)
{
    size_t k = i + 1;
    if (k < end && p[k] == '^') {
        static const char probe[] = "a0A-_x";
        for (const char *t = probe; *t; t++) {
            int in = 0;
            for (size_t j = k + 1; j < end; j++) {
                char lo = p[j], hi = p[j];
                if (lo == '\\' && j + 1 < end)
                    lo = hi = esc_char(p[++j]);
                if (j + 2 < end && p[j + 1] == '-') {
                    hi = p[j + 2];
                    j += 2;
                }
                if (*t >= lo && *t <= hi)
                    in = 1;
            }
            if (!in)
                return *t;
        }
        return '~';
    }
    if (k < end && p[k] == '\\' && k + 1 < end)
        return esc_char(p[k + 1]);
    return k < end ? p[k] : 'a';
}

/* Append to out a string matching the regex p[0..n) (best effort); 0 when unsupported. */
static int rx_gen(const char *p, size_t n, struct act_buf *out, int depth)
{
    if (depth > 16)
        return 0;
    size_t i = 0;
    while (i < n) {
        char c = p[i];
        size_t atom_start = out->len;
        struct act_buf atom;
        act_buf_init(&atom);
        int ok = 1;
        if (c == '|') {
            break; /* the first alternative is enough */
        } else if (c == '^' || c == '$') {
            i++;
            continue;
        } else if (c == '\\' && i + 1 < n) {
            char e = p[i + 1];
            if (e == 'b' || e == 'B') {
                i += 2;
                continue;
            }
            if (e >= '1' && e <= '9')
                return 0; /* backreference */
            ok = !act_buf_addc(&atom, esc_char(e));
            i += 2;
        } else if (c == '[') {
            size_t end = closing(p, i, n);
            if (end >= n)
                return 0;
            ok = !act_buf_addc(&atom, class_char(p, i, end));
            i = end + 1;
        } else if (c == '(') {
            size_t end = closing(p, i, n);
            if (end >= n)
                return 0;
            size_t b = i + 1;
            if (b < end && p[b] == '?') {
                if (b + 1 < end && p[b + 1] == ':')
                    b += 2;
                else
                    return 0; /* lookaround, named groups */
            }
            ok = rx_gen(p + b, end - b, &atom, depth + 1);
            i = end + 1;
        } else if (c == '.') {
            ok = !act_buf_addc(&atom, 'a');
            i++;
        } else {
            ok = !act_buf_addc(&atom, c);
            i++;
        }
        if (!ok) {
            act_buf_release(&atom);
            return 0;
        }
        /* The quantifier: the least it allows (at least once for +). */
        long times = 1;
        if (i < n && (p[i] == '*' || p[i] == '?')) {
            times = 0;
            i++;
        } else if (i < n && p[i] == '+') {
            i++;
        } else if (i < n && p[i] == '{') {
            char *e;
            times = strtol(p + i + 1, &e, 10);
            const char *close = memchr(p + i, '}', n - i);
            if (!close || times < 0 || times > 1000) {
                act_buf_release(&atom);
                return 0;
            }
            i = (size_t)(close - p) + 1;
        }
        if (i < n && p[i] == '?')
            i++; /* lazy */
        for (long t = 0; ok && t < times; t++)
            ok = !act_buf_add(out, atom.data, atom.len);
        act_buf_release(&atom);
        if (!ok)
            return 0;
        (void)atom_start;
    }
    return 1;
}

/* base fitted to minLength/maxLength (ASCII: bytes are code points). */
static char *fit_len(const char *base, const cJSON *s)
{
    const cJSON *mn = get(s, "minLength"), *mx = get(s, "maxLength");
    size_t len = strlen(base), want = len;
    if (cJSON_IsNumber(mn) && mn->valuedouble > (double)want)
        want = (size_t)mn->valuedouble;
    if (cJSON_IsNumber(mx) && mx->valuedouble >= 0 && mx->valuedouble < (double)want)
        want = (size_t)mx->valuedouble;
    if (want > 65536)
        want = 65536;
    char *r = act_malloc(want + 1);
    if (!r)
        return NULL;
    for (size_t i = 0; i < want; i++)
        r[i] = i < len ? base[i] : 'x';
    r[want] = '\0';
    return r;
}

static enum act_status gen_string(struct gen *g, struct act_node s, cJSON **out)
{
    const char *fmt = get_str(s.node, "format");
    const char *sample = format_sample(fmt);
    const char *pat = get_str(s.node, "pattern");
    if (pat && !sample) {
        struct act_buf b;
        act_buf_init(&b);
        if (rx_gen(pat, strlen(pat), &b, 0)) {
            cJSON *c = cJSON_CreateString(b.data);
            act_buf_release(&b);
            if (!c)
                return nomem(g);
            if (fits(g, s, c)) {
                *out = c;
                return ACT_OK;
            }
            cJSON_Delete(c);
        } else {
            act_buf_release(&b);
        }
    }
    static const char *const cands[] = {"string", "a",          "A",       "0",   "abc", "ABC",
                                        "a1",     "0000000000", "example", "x-1", "a_b", "1"};
    size_t nc = get(s.node, "pattern") ? sizeof(cands) / sizeof(cands[0]) : 1;
    cJSON *first = NULL;
    for (size_t i = 0; i < nc + (sample ? 1 : 0); i++) {
        const char *base = sample ? (i == 0 ? sample : cands[i - 1]) : cands[i];
        char *txt = fit_len(base, s.node);
        if (!txt)
            return nomem(g);
        cJSON *c = cJSON_CreateString(txt);
        act_free(txt);
        if (!c) {
            cJSON_Delete(first);
            return nomem(g);
        }
        if (nc == 1 || fits(g, s, c)) {
            cJSON_Delete(first);
            *out = c;
            return ACT_OK;
        }
        if (!first)
            first = c;
        else
            cJSON_Delete(c);
    }
    *out = first;
    return ACT_OK;
}

/* ------------------------------------------------------------------ objects */

/* The properties and required names of s and its allOf branches, merged. */
struct shape {
    struct act_node props[256]; /* property schemas (refs not followed) */
    const char *names[256];
    size_t n;
    const char *req[256];
    size_t n_req;
    const cJSON *disc; /* the discriminator object, if any */
    const cJSON *min_props;
};

static enum act_status collect_here(struct gen *g, struct act_node s, struct shape *sh, int depth);

/* 2020-12: a $ref with sibling keywords; the siblings apply beside the target. */
static int ref_with_siblings(const struct gen *g, const cJSON *n)
{
    return g->js2020 && cJSON_IsObject(n) && act_ref_of(n) && n->child && n->child->next;
}

static enum act_status collect(struct gen *g, struct act_node s, struct shape *sh, int depth)
{
    if (depth > 16)
        return ACT_OK;
    enum act_status st;
    /* the siblings first: they narrow the target (the first property schema wins) */
    if (ref_with_siblings(g, s.node) && (st = collect_here(g, s, sh, depth)))
        return st;
    if ((st = act_ref_deref(g->ds, s, &s, g->err)))
        return st;
    return collect_here(g, s, sh, depth);
}

/* The properties, required names, discriminator and minProperties written in s.node
 * itself (a $ref in it not followed), and those of its allOf branches. */
static enum act_status collect_here(struct gen *g, struct act_node s, struct shape *sh, int depth)
{
    enum act_status st = ACT_OK;
    const cJSON *props = get(s.node, "properties");
    for (const cJSON *p = cJSON_IsObject(props) ? props->child : NULL; p; p = p->next) {
        size_t i;
        for (i = 0; i < sh->n; i++)
            if (strcmp(sh->names[i], p->string) == 0)
                break;
        if (i == sh->n) {
            if (sh->n == 256)
                continue;
            sh->names[sh->n] = p->string;
            sh->props[sh->n++] = (struct act_node){s.doc, p};
        }
        /* A later allOf branch may narrow a property; the first one wins here. */
    }
    const cJSON *req = get(s.node, "required");
    for (const cJSON *r = cJSON_IsArray(req) ? req->child : NULL; r; r = r->next)
        if (cJSON_IsString(r) && sh->n_req < 256)
            sh->req[sh->n_req++] = r->valuestring;
    if (!sh->disc && get(s.node, "discriminator"))
        sh->disc = get(s.node, "discriminator");
    if (!sh->min_props && cJSON_IsNumber(get(s.node, "minProperties")))
        sh->min_props = get(s.node, "minProperties");
    const cJSON *all = get(s.node, "allOf");
    for (const cJSON *b = cJSON_IsArray(all) ? all->child : NULL; b; b = b->next)
        if ((st = collect(g, (struct act_node){s.doc, b}, sh, depth + 1)))
            return st;
    return ACT_OK;
}

static int is_required(const struct shape *sh, const char *name)
{
    for (size_t i = 0; i < sh->n_req; i++)
        if (strcmp(sh->req[i], name) == 0)
            return 1;
    return 0;
}

/* The discriminator value naming the schema we came to through ref. */
static const char *disc_value(const cJSON *disc, const char *ref)
{
    const cJSON *map = get(disc, "mapping");
    for (const cJSON *m = cJSON_IsObject(map) ? map->child : NULL; m; m = m->next)
        if (cJSON_IsString(m) && ref &&
            (strcmp(m->valuestring, ref) == 0 ||
             strcmp(ref_last(m->valuestring), ref_last(ref)) == 0))
            return m->string;
    return ref_last(ref);
}

/* Add to obj the members of add that it lacks (add is consumed). */
static enum act_status merge_missing(struct gen *g, cJSON *obj, cJSON *add)
{
    enum act_status st = ACT_OK;
    while (!st && cJSON_IsObject(add) && add->child) {
        cJSON *m = cJSON_DetachItemViaPointer(add, add->child);
        if (cJSON_GetObjectItemCaseSensitive(obj, m->string)) {
            cJSON_Delete(m);
            continue;
        }
        char *key = m->string;
        m->string = NULL;
        if (!cJSON_AddItemToObject(obj, key, m)) {
            cJSON_Delete(m);
            st = nomem(g);
        }
        cJSON_free(key);
    }
    cJSON_Delete(add);
    return st;
}

/*
 * 2020-12 on a generated object: dependentRequired (a present member's
 * dependencies added) and if/then/else (the branch that applies, its members
 * added where obj lacks them).
 */
static enum act_status add_2020_members(struct gen *g, struct act_node s, cJSON *obj)
{
    enum act_status st = act_ref_deref(g->ds, s, &s, g->err);
    if (st)
        return st;
    const cJSON *dif = get(s.node, "if");
    if (dif) {
        const cJSON *branch =
            fits(g, (struct act_node){s.doc, dif}, obj) ? get(s.node, "then") : get(s.node, "else");
        cJSON *add = NULL;
        if (branch && (st = gen_node(g, (struct act_node){s.doc, branch}, NULL, &add)))
            return st;
        if (add && (st = merge_missing(g, obj, add)))
            return st;
    }
    const cJSON *dep = get(s.node, "dependentRequired");
    const cJSON *props = get(s.node, "properties");
    for (const cJSON *d = cJSON_IsObject(dep) ? dep->child : NULL; d && !st; d = d->next) {
        if (!cJSON_GetObjectItemCaseSensitive(obj, d->string))
            continue;
        for (const cJSON *r = cJSON_IsArray(d) ? d->child : NULL; r && !st; r = r->next) {
            if (!cJSON_IsString(r) || cJSON_GetObjectItemCaseSensitive(obj, r->valuestring))
                continue;
            const cJSON *ps = get(props, r->valuestring);
            cJSON *val = NULL;
            if (ps && (st = gen_node(g, (struct act_node){s.doc, ps}, act_ref_of(ps), &val)))
                break;
            if (!val && !(val = cJSON_CreateString("string")))
                st = nomem(g);
            else if (!cJSON_AddItemToObject(obj, r->valuestring, val)) {
                cJSON_Delete(val);
                st = nomem(g);
            }
        }
    }
    return st;
}

static enum act_status gen_object(struct gen *g, struct act_node s, const char *ref_name,
                                  cJSON **out)
{
    struct shape *sh = act_calloc(1, sizeof(*sh));
    if (!sh)
        return nomem(g);
    enum act_status st = collect(g, s, sh, 0);
    cJSON *obj = st ? NULL : cJSON_CreateObject();
    if (!st && !obj)
        st = nomem(g);
    const char *dprop = sh->disc ? get_str(sh->disc, "propertyName") : NULL;
    for (size_t i = 0; !st && i < sh->n; i++) {
        const char *name = sh->names[i];
        int req = is_required(sh, name);
        struct act_node ps;
        if ((st = act_ref_deref(g->ds, sh->props[i], &ps, g->err)))
            break;
        int ro = cJSON_IsTrue(get(ps.node, "readOnly"));
        int wo = cJSON_IsTrue(get(ps.node, "writeOnly"));
        if ((g->dir == ACT_DIR_REQUEST && ro) || (g->dir == ACT_DIR_RESPONSE && wo))
            continue; /* may be absent (required) or must be (readOnly in a request) */
        if (!req && on_stack(g, ps.node))
            continue; /* recursion stops at optional properties */
        if (dprop && strcmp(dprop, name) == 0) {
            const char *dv = disc_value(sh->disc, ref_name);
            if (!dv) {
                if (!req)
                    continue;
            } else {
                if (!cJSON_AddStringToObject(obj, name, dv))
                    st = nomem(g);
                continue;
            }
        }
        cJSON *val = NULL;
        if ((st = gen_node(g, sh->props[i], act_ref_of(sh->props[i].node), &val)))
            break;
        if (!val) {
            if (req) {
                st = act_error_set(g->err, ACT_ERR_LIMIT, NULL, 0, 0,
                                   "required property \"%s\" recurses deeper than %d levels", name,
                                   ACT_GEN_MAX_DEPTH);
                break;
            }
            continue;
        }
        if (!cJSON_AddItemToObject(obj, name, val)) { /* the key's copy failed */
            cJSON_Delete(val);
            st = nomem(g);
        }
    }
    /* Required names with no schema of their own, and minProperties. */
    for (size_t i = 0; !st && i < sh->n_req; i++)
        if (!cJSON_GetObjectItemCaseSensitive(obj, sh->req[i])) {
            int skip = 0;
            for (size_t j = 0; j < sh->n; j++)
                if (strcmp(sh->names[j], sh->req[i]) == 0)
                    skip = 1; /* a readOnly/writeOnly one left out on purpose */
            if (!skip && !cJSON_AddStringToObject(obj, sh->req[i], "string"))
                st = nomem(g);
        }
    if (!st && g->js2020)
        st = add_2020_members(g, s, obj);
    if (!st && sh->min_props) {
        int want = (int)sh->min_props->valuedouble;
        for (int k = 1; !st && cJSON_GetArraySize(obj) < want && k < 1000; k++) {
            char key[32];
            snprintf(key, sizeof(key), "property%d", k);
            if (!cJSON_GetObjectItemCaseSensitive(obj, key) &&
                !cJSON_AddStringToObject(obj, key, "string"))
                st = nomem(g);
        }
    }
    act_free(sh);
    if (st) {
        cJSON_Delete(obj);
        return st;
    }
    *out = obj;
    return ACT_OK;
}

/* ------------------------------------------------------------------- arrays */

/* 2020-12 prefixItems: one item per entry, at most max (the rest of the array is items'). */
static enum act_status gen_prefix(struct gen *g, struct act_node s, const cJSON *prefix, int max,
                                  cJSON *arr)
{
    enum act_status st = ACT_OK;
    for (const cJSON *p = prefix->child; p && !st && cJSON_GetArraySize(arr) < max; p = p->next) {
        cJSON *val = NULL;
        if ((st = gen_node(g, (struct act_node){s.doc, p}, act_ref_of(p), &val)))
            break;
        if (!val && !(val = cJSON_CreateString("string")))
            return nomem(g);
        cJSON_AddItemToArray(arr, val);
    }
    return st;
}

static enum act_status gen_array(struct gen *g, struct act_node s, cJSON **out)
{
    const cJSON *items = get(s.node, "items");
    const cJSON *mn = get(s.node, "minItems"), *mx = get(s.node, "maxItems");
    const cJSON *prefix = g->js2020 ? get(s.node, "prefixItems") : NULL;
    int n = 1;
    if (cJSON_IsArray(prefix) && cJSON_GetArraySize(prefix) > n)
        n = cJSON_GetArraySize(prefix) > 1000 ? 1000 : cJSON_GetArraySize(prefix);
    if (cJSON_IsNumber(mn) && mn->valuedouble > n)
        n = mn->valuedouble > 1000 ? 1000 : (int)mn->valuedouble;
    if (cJSON_IsNumber(mx) && mx->valuedouble < n)
        n = (int)mx->valuedouble;
    int min = cJSON_IsNumber(mn) ? (int)mn->valuedouble : 0;
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        return nomem(g);
    if (cJSON_IsArray(prefix)) {
        enum act_status pst = gen_prefix(g, s, prefix, n, arr);
        if (pst) {
            cJSON_Delete(arr);
            return pst;
        }
        if (!items || cJSON_IsFalse(items) || cJSON_GetArraySize(arr) >= n) {
            *out = arr;
            return ACT_OK;
        }
    }
    if (!items || (g->js2020 && cJSON_IsBool(items))) {
        *out = arr;
        return ACT_OK;
    }
    struct act_node it;
    enum act_status st = act_ref_deref(g->ds, (struct act_node){s.doc, items}, &it, g->err);
    if (!st && on_stack(g, it.node) && min == 0)
        n = 0; /* recursion stops at optional items */
    int unique = cJSON_IsTrue(get(s.node, "uniqueItems"));
    for (int i = cJSON_GetArraySize(arr); !st && i < n; i++) {
        cJSON *val = NULL;
        if ((st = gen_node(g, (struct act_node){s.doc, items}, act_ref_of(items), &val)))
            break;
        if (!val)
            break;
        if (unique && i > 0) {
            /* Vary scalars so that uniqueItems holds. */
            if (cJSON_IsNumber(val))
                cJSON_SetNumberValue(val, val->valuedouble + i);
            else if (cJSON_IsString(val)) {
                char buf[256];
                snprintf(buf, sizeof(buf), "%.200s%d", val->valuestring, i);
                cJSON *nv = cJSON_CreateString(buf);
                cJSON_Delete(val);
                if (!(val = nv)) {
                    st = nomem(g);
                    break;
                }
            }
        }
        cJSON_AddItemToArray(arr, val);
    }
    if (st) {
        cJSON_Delete(arr);
        return st;
    }
    *out = arr;
    return ACT_OK;
}

/* --------------------------------------------------------------- the walk */

static const char *infer_type(const cJSON *s, int js2020)
{
    const char *t = get_str(s, "type");
    if (t)
        return t;
    const cJSON *ts = get(s, "type");
    if (js2020 && cJSON_IsArray(ts)) {
        /* A type array: the first type that is not "null" ("null" when it is the only one). */
        for (const cJSON *e = ts->child; e; e = e->next)
            if (cJSON_IsString(e) && strcmp(e->valuestring, "null") != 0)
                return e->valuestring;
        if (ts->child)
            return "null";
    }
    if (js2020 && (get(s, "prefixItems") || get(s, "contains")))
        return "array";
    if (js2020 && (get(s, "exclusiveMinimum") || get(s, "exclusiveMaximum")))
        return "number";
    if (js2020 && get(s, "dependentRequired"))
        return "object";
    if (get(s, "properties") || get(s, "required") || get(s, "additionalProperties") ||
        get(s, "allOf"))
        return "object";
    if (get(s, "items"))
        return "array";
    if (get(s, "minimum") || get(s, "maximum") || get(s, "multipleOf"))
        return "number";
    return "string";
}

/* The first oneOf/anyOf branch whose instance fits the whole schema s. */
static enum act_status gen_choice(struct gen *g, struct act_node s, const cJSON *branches,
                                  cJSON **out)
{
    cJSON *first = NULL;
    for (const cJSON *b = branches->child; b; b = b->next) {
        cJSON *val = NULL;
        enum act_status st = gen_node(g, (struct act_node){s.doc, b}, act_ref_of(b), &val);
        if (st) {
            cJSON_Delete(first);
            return st;
        }
        if (!val)
            continue;
        /* The parent's discriminator names the branch (mapping key, else schema name). */
        const cJSON *disc = get(s.node, "discriminator");
        const char *dprop = get_str(disc, "propertyName");
        const char *dv = disc_value(disc, act_ref_of(b));
        if (dprop && dv && cJSON_IsObject(val)) {
            cJSON *sv = cJSON_CreateString(dv);
            if (!sv) {
                cJSON_Delete(val);
                cJSON_Delete(first);
                return nomem(g);
            }
            cJSON_DeleteItemFromObjectCaseSensitive(val, dprop);
            if (!cJSON_AddItemToObject(val, dprop, sv)) {
                cJSON_Delete(sv);
                cJSON_Delete(val);
                cJSON_Delete(first);
                return nomem(g);
            }
        }
        if (fits(g, s, val)) {
            cJSON_Delete(first);
            *out = val;
            return ACT_OK;
        }
        if (!first)
            first = val;
        else
            cJSON_Delete(val);
    }
    *out = first;
    return ACT_OK;
}

/* *out NULL (and ACT_OK) when the depth limit cut the walk. */
static enum act_status gen_node(struct gen *g, struct act_node s, const char *ref_name, cJSON **out)
{
    *out = NULL;
    struct act_node as_written = s; /* a 2020-12 $ref's siblings are in it */
    enum act_status st = act_ref_deref(g->ds, s, &s, g->err);
    if (st)
        return st;
    if (g->depth >= ACT_GEN_MAX_DEPTH)
        return ACT_OK;
    const cJSON *n = s.node;
    if (!cJSON_IsObject(n)) {
        *out = cJSON_CreateString("string");
        return *out ? ACT_OK : nomem(g);
    }
    const cJSON *ex = get(n, "example");
    const cJSON *exs = g->js2020 ? get(n, "examples") : NULL;
    if (g->use_examples && !ex && cJSON_IsArray(exs) && exs->child)
        ex = exs->child; /* 2020-12: examples is an array; the first */
    if (g->use_examples && ex && !cJSON_IsNull(ex)) {
        *out = cJSON_Duplicate(ex, 1);
        return *out ? ACT_OK : nomem(g);
    }
    const cJSON *cv = g->js2020 ? get(n, "const") : NULL;
    if (cv) {
        *out = cJSON_Duplicate(cv, 1);
        return *out ? ACT_OK : nomem(g);
    }
    const cJSON *en = get(n, "enum");
    if (cJSON_IsArray(en) && en->child) {
        const cJSON *pick = en->child;
        for (const cJSON *e = en->child; e; e = e->next)
            if (!cJSON_IsNull(e)) {
                pick = e;
                break;
            }
        *out = cJSON_Duplicate(pick, 1);
        return *out ? ACT_OK : nomem(g);
    }
    g->stack[g->depth++] = n;
    const cJSON *one = get(n, "oneOf");
    if (!cJSON_IsArray(one) || !one->child)
        one = get(n, "anyOf");
    if (cJSON_IsArray(one) && one->child && !get(n, "properties")) {
        st = gen_choice(g, s, one, out);
        g->depth--;
        return st;
    }
    const char *t = infer_type(n, g->js2020);
    if (get(n, "allOf") && !get_str(n, "type")) {
        /* allOf of non-objects: the first branch that names a type decides. */
        const cJSON *all = get(n, "allOf");
        for (const cJSON *b = all->child; b; b = b->next) {
            struct act_node bn;
            if ((st = act_ref_deref(g->ds, (struct act_node){s.doc, b}, &bn, g->err)))
                break;
            const char *bt = get_str(bn.node, "type");
            if (bt) {
                t = bt;
                break;
            }
        }
    }
    if (!st) {
        if (strcmp(t, "object") == 0) {
            st = gen_object(g, ref_with_siblings(g, as_written.node) ? as_written : s, ref_name,
                            out);
        } else if (strcmp(t, "array") == 0) {
            st = gen_array(g, s, out);
        } else if (strcmp(t, "integer") == 0 || strcmp(t, "number") == 0) {
            int ok;
            double v = num_limit(n, strcmp(t, "integer") == 0, g->js2020, &ok);
            *out = cJSON_CreateNumber(v);
            if (!*out)
                st = nomem(g);
        } else if (strcmp(t, "boolean") == 0) {
            *out = cJSON_CreateTrue();
            if (!*out)
                st = nomem(g);
        } else if (strcmp(t, "null") == 0) {
            *out = cJSON_CreateNull();
            if (!*out)
                st = nomem(g);
        } else {
            st = gen_string(g, s, out);
        }
    }
    g->depth--;
    return st;
}

/* Do the 2020-12 keywords count for schema: a 3.1 document, or a schema file whose
 * $schema is 2020-12? */
static int is_2020(struct act_docset *ds, struct act_node schema)
{
    const struct act_doc *root = act_docset_get(ds, 0);
    const char *oa = root ? get_str(root->root, "openapi") : NULL;
    if (oa)
        return strncmp(oa, "3.1", 3) == 0;
    const char *js = root ? get_str(root->root, "$schema") : NULL;
    if (!js)
        js = get_str(schema.node, "$schema");
    return js && strstr(js, "2020-12") != NULL;
}

enum act_status act_generate(struct act_validator *v, struct act_docset *ds, struct act_node schema,
                             enum act_direction dir, int use_examples, cJSON **out,
                             struct act_error *err)
{
    struct gen g = {.v = v, .ds = ds, .dir = dir, .use_examples = use_examples, .err = err};
    g.js2020 = is_2020(ds, schema);
    cJSON *val = NULL;
    *out = NULL;
    enum act_status st = gen_node(&g, schema, act_ref_of(schema.node), &val);
    if (st)
        return st;
    if (!val)
        return act_error_set(err, ACT_ERR_LIMIT, NULL, 0, 0, "schema nests deeper than %d levels",
                             ACT_GEN_MAX_DEPTH);
    *out = val;
    return ACT_OK;
}
