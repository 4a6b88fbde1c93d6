/*
 * diff.c - comparing two specs action by action (see diff.h).
 *
 * The walk carries, for each side, where it stands as a chain of struct loc on
 * the C stack (a pointer prefix, then keys and indexes), so nothing is built
 * until a change is recorded; following a $ref restarts the chain at the ref's
 * target. The memo is one act_map per action, keyed by (old node, new node,
 * direction).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_map.h"
#include "parser/pointer.h"
#include "parser/ref.h"
#include "validator/diff.h"

/* Which way values flow: a request is sent by the client, a response read by it. */
enum dir { REQ = 0, RESP = 1 };

/* Where a node stands: root locations carry a complete pointer (abs), children a key
 * (seg) or an index below up. */
struct loc {
    const struct loc *up;
    const char *abs;
    const char *seg;
    size_t idx;
};

/* The property path a message names ("/owner/login", "[]" for array items). */
struct ppath {
    const struct ppath *up;
    const char *name;
};

struct pair {
    const cJSON *o, *n;
    int dir;
};

/* A set of (old node, new node, key) pairs. */
struct pairset {
    struct act_map map;
    struct pair *v;
    size_t n, cap;
};

struct walk {
    struct act_diff *d;
    const struct act_spec *os, *ns;
    const char *action;
    const char *where;    /* "parameter `limit`", "response 200", "request body" */
    struct pairset memo;  /* pairs compared for this action */
    struct pairset clean; /* pairs whose whole comparison found nothing, for every action */
    unsigned long skips;  /* memo hits on pairs not known to be clean */
    struct act_buf tmp;
    struct act_error *err;
};

const char *act_diff_severity_name(enum act_diff_severity s)
{
    return s == ACT_DIFF_BREAKING ? "breaking" : s == ACT_DIFF_WARNING ? "warning" : "info";
}

void act_diff_init(struct act_diff *d)
{
    memset(d, 0, sizeof(*d));
}

void act_diff_release(struct act_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        act_free(d->changes[i].old_ptr);
        act_free(d->changes[i].new_ptr);
        act_free(d->changes[i].message);
    }
    act_free(d->changes);
    act_free(d->actions);
    act_diff_init(d);
}

size_t act_diff_count(const struct act_diff *d, enum act_diff_severity min)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->changes[i].severity >= min;
    return n;
}

/* ---- locations and messages ------------------------------------------------------------ */

static enum act_status loc_write(const struct loc *l, struct act_buf *b)
{
    if (!l)
        return ACT_OK;
    if (l->abs)
        return act_buf_adds(b, l->abs);
    enum act_status st = loc_write(l->up, b);
    if (st)
        return st;
    return l->seg ? act_pointer_append(b, l->seg) : act_pointer_append_index(b, l->idx);
}

static char *loc_string(const struct loc *l)
{
    if (!l)
        return NULL;
    struct act_buf b;
    act_buf_init(&b);
    if (loc_write(l, &b)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

/* Append text with control characters escaped as \xNN. */
static enum act_status add_escaped(struct act_buf *b, const char *s)
{
    enum act_status st = ACT_OK;
    for (; *s && !st; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            st = act_buf_printf(b, "\\x%02x", c);
        else
            st = act_buf_addc(b, (char)c);
    }
    return st;
}

static enum act_status ppath_write(const struct ppath *p, struct act_buf *b)
{
    if (!p)
        return ACT_OK;
    enum act_status st = ppath_write(p->up, b);
    if (!st && strcmp(p->name, "[]") != 0)
        st = act_buf_addc(b, '/');
    return st ? st : add_escaped(b, p->name);
}

/*
 * Record a change: "<where>[ property `<path>`] <what>". In the format, %s
 * arguments are spec text and are escaped; write literal text in fmt itself.
 */
static enum act_status emit(struct walk *w, enum act_diff_severity sev, const struct loc *ol,
                            const struct loc *nl, const struct ppath *pp, const char *fmt, ...)
{
    struct act_diff *d = w->d;
    if (ACT_GROW(d->changes, d->cap, d->n + 1, 64))
        return ACT_ERR_NOMEM;
    struct act_buf b;
    act_buf_init(&b);
    enum act_status st = ACT_OK;
    if (w->where && *w->where)
        st = act_buf_adds(&b, w->where);
    if (!st && pp) {
        st = act_buf_adds(&b, b.len ? " property `" : "property `");
        if (!st)
            st = ppath_write(pp, &b);
        if (!st)
            st = act_buf_addc(&b, '`');
    }
    if (!st && b.len)
        st = act_buf_addc(&b, ' ');
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f && !st; f++) {
        if (f[0] == '%' && f[1] == 's') {
            st = add_escaped(&b, va_arg(ap, const char *));
            f++;
        } else {
            st = act_buf_addc(&b, *f);
        }
    }
    va_end(ap);
    struct act_diff_change *c = &d->changes[d->n];
    c->action = w->action;
    c->severity = sev;
    c->old_ptr = loc_string(ol);
    c->new_ptr = loc_string(nl);
    c->message = st ? NULL : act_buf_detach(&b, NULL);
    if (st || !c->message || (ol && !c->old_ptr) || (nl && !c->new_ptr)) {
        act_free(c->old_ptr);
        act_free(c->new_ptr);
        act_free(c->message);
        act_buf_release(&b);
        return ACT_ERR_NOMEM;
    }
    d->n++;
    return ACT_OK;
}

/* A short rendering of a JSON value for messages (clipped to about SHOW_MAX bytes). */
#define SHOW_MAX 60
static const char *show(struct walk *w, const cJSON *v)
{
    act_buf_reset(&w->tmp);
    char *printed = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
    const char *s = cJSON_IsString(v) ? v->valuestring : printed;
    if (!s)
        return "?";
    size_t len = strlen(s), keep = len;
    if (len > SHOW_MAX) { /* clipped at a character boundary */
        keep = SHOW_MAX;
        while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
            keep--;
    }
    const char *q = cJSON_IsString(v) ? "\"" : "";
    enum act_status st =
        act_buf_printf(&w->tmp, "%s%.*s%s%s", q, (int)keep, s, keep < len ? "..." : "", q);
    cJSON_free(printed);
    return st ? "?" : w->tmp.data;
}

/* ---- following $refs -------------------------------------------------------------------- */

/* Follow the $ref chain of *n (in *doc); *l becomes a root location at the target,
 * using store for it. */
static enum act_status deref(struct walk *w, const struct act_spec *spec, struct act_node *n,
                             struct loc *store, const struct loc **l)
{
    for (int hops = 0;; hops++) {
        const char *ref = act_ref_of(n->node);
        if (!ref)
            return ACT_OK;
        if (hops >= ACT_MAX_REF_HOPS)
            return act_error_set(w->err, ACT_ERR_REF, n->doc->path, 0, 0,
                                 "$ref chain longer than %d hops at \"%s\"", ACT_MAX_REF_HOPS, ref);
        struct act_node t;
        enum act_status st = act_ref_resolve(spec->docs, n->doc, ref, &t, w->err);
        if (st)
            return st;
        memset(store, 0, sizeof(*store));
        store->abs = ref[0] == '#' ? ref + 1 : ref;
        *l = store;
        *n = t;
    }
}

static const cJSON *member(const cJSON *o, const char *k)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = member(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int flag_of(const cJSON *o, const char *k)
{
    return cJSON_IsTrue(member(o, k));
}

static uint32_t pair_hash(const cJSON *o, const cJSON *n, int key)
{
    return act_map_hash_ptr(o) * 31u + act_map_hash_ptr(n) * 7u + (uint32_t)key;
}

static int pairset_has(const struct pairset *ps, const cJSON *o, const cJSON *n, int key)
{
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &ps->map, pair_hash(o, n, key)); id != ACT_MAP_NONE;
         id = act_map_next(&it))
        if (ps->v[id].o == o && ps->v[id].n == n && ps->v[id].dir == key)
            return 1;
    return 0;
}

static enum act_status pairset_add(struct pairset *ps, const cJSON *o, const cJSON *n, int key)
{
    if (ACT_GROW(ps->v, ps->cap, ps->n + 1, 256) ||
        act_map_put(&ps->map, pair_hash(o, n, key), (uint32_t)ps->n))
        return ACT_ERR_NOMEM;
    ps->v[ps->n++] = (struct pair){o, n, key};
    return ACT_OK;
}

static void pairset_release(struct pairset *ps)
{
    act_map_release(&ps->map);
    act_free(ps->v);
    memset(ps, 0, sizeof(*ps));
}

/* ---- schemas ---------------------------------------------------------------------------- */

static enum act_status schema(struct walk *w, struct act_node o, const struct loc *ol,
                              struct act_node n, const struct loc *nl, enum dir dir,
                              const struct ppath *pp);
static enum act_status schema_at(struct walk *w, struct act_node o, const struct loc *ol,
                                 struct act_node n, const struct loc *nl, enum dir dir,
                                 const struct ppath *pp, int noprops);
static enum act_status schema_body(struct walk *w, struct act_node o, const struct loc *ol,
                                   struct act_node n, const struct loc *nl, enum dir dir,
                                   const struct ppath *pp, int noprops);

/* The severity of a change that narrows what is allowed: breaking for a request
 * (the server accepts less), info for a response (the client sees less). */
static enum act_diff_severity narrowed(enum dir dir)
{
    return dir == REQ ? ACT_DIFF_BREAKING : ACT_DIFF_INFO;
}
/* ...and of one that widens it: breaking for a response, info for a request. */
static enum act_diff_severity widened(enum dir dir)
{
    return dir == RESP ? ACT_DIFF_BREAKING : ACT_DIFF_INFO;
}

static int in_array(const cJSON *arr, const cJSON *v)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (cJSON_Compare(e, v, 1))
            return 1;
    }
    return 0;
}

static int has_string(const cJSON *arr, const char *s)
{
    const cJSON *e;
    if (!cJSON_IsArray(arr))
        return 0;
    cJSON_ArrayForEach(e, arr)
    {
        if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
            return 1;
    }
    return 0;
}

#define CHILD(name, parent, key) struct loc name = {(parent), NULL, (key), 0}

static enum act_status enums(struct walk *w, const cJSON *os, const struct loc *ol, const cJSON *ns,
                             const struct loc *nl, enum dir dir, const struct ppath *pp)
{
    const cJSON *oe = member(os, "enum"), *ne = member(ns, "enum");
    enum act_status st = ACT_OK;
    CHILD(oel, ol, "enum");
    CHILD(nel, nl, "enum");
    if (!cJSON_IsArray(oe) && !cJSON_IsArray(ne))
        return ACT_OK;
    if (!cJSON_IsArray(oe))
        return emit(w, narrowed(dir), ol, &nel, pp, "limited to an enum");
    if (!cJSON_IsArray(ne))
        return emit(w, widened(dir), &oel, nl, pp, "no longer limited to an enum");
    const cJSON *e;
    size_t i = 0;
    cJSON_ArrayForEach(e, oe)
    {
        struct loc el = {&oel, NULL, NULL, i++};
        if (!st && !in_array(ne, e))
            st = emit(w, narrowed(dir), &el, &nel, pp, "enum value %s removed", show(w, e));
    }
    i = 0;
    cJSON_ArrayForEach(e, ne)
    {
        struct loc el = {&nel, NULL, NULL, i++};
        if (!st && !in_array(oe, e))
            st = emit(w, widened(dir), &oel, &el, pp, "enum value %s added", show(w, e));
    }
    return st;
}

/* A bound: is_max for maximum-like keywords (lowering narrows). */
static enum act_status bound(struct walk *w, const cJSON *os, const struct loc *ol, const cJSON *ns,
                             const struct loc *nl, enum dir dir, const struct ppath *pp,
                             const char *kw, int is_max)
{
    const cJSON *o = member(os, kw), *n = member(ns, kw);
    int on = cJSON_IsNumber(o), nn = cJSON_IsNumber(n);
    if (!on && !nn)
        return ACT_OK;
    CHILD(okl, ol, kw);
    CHILD(nkl, nl, kw);
    if (on && nn && o->valuedouble == n->valuedouble)
        return ACT_OK;
    int narrows;
    if (!on)
        narrows = 1;
    else if (!nn)
        narrows = 0;
    else
        narrows = is_max ? n->valuedouble < o->valuedouble : n->valuedouble > o->valuedouble;
    /* A response range widened: the client may see values it never saw; a warning. */
    enum act_diff_severity sev = narrows       ? narrowed(dir)
                                 : dir == RESP ? ACT_DIFF_WARNING
                                               : ACT_DIFF_INFO;
    if (!on)
        return emit(w, sev, ol, &nkl, pp, "%s %s added", kw, show(w, n));
    if (!nn)
        return emit(w, sev, &okl, nl, pp, "%s removed", kw);
    char was[80];
    snprintf(was, sizeof(was), "%s", show(w, o));
    return emit(w, sev, &okl, &nkl, pp, "%s %s from %s to %s", kw,
                narrows == is_max ? "lowered" : "raised", was, show(w, n));
}

/* A string keyword of two schemas (format, pattern): changed (at the severity changed),
 * added (it narrows), or removed. */
static enum act_status string_keyword(struct walk *w, const cJSON *os, const struct loc *ol,
                                      const cJSON *ns, const struct loc *nl, enum dir dir,
                                      const struct ppath *pp, const char *key,
                                      enum act_diff_severity changed)
{
    const char *o = str_of(os, key), *n = str_of(ns, key);
    CHILD(okl, ol, key);
    CHILD(nkl, nl, key);
    if (o && n && strcmp(o, n) != 0)
        return emit(w, changed, &okl, &nkl, pp, "%s changed from `%s` to `%s`", key, o, n);
    if (!o && n)
        return emit(w, narrowed(dir), ol, &nkl, pp, "%s `%s` added", key, n);
    if (o && !n)
        return emit(w, dir == RESP ? ACT_DIFF_WARNING : ACT_DIFF_INFO, &okl, nl, pp,
                    "%s `%s` removed", key, o);
    return ACT_OK;
}
static enum act_status keyword_changes(struct walk *w, const cJSON *os, const struct loc *ol,
                                       const cJSON *ns, const struct loc *nl, enum dir dir,
                                       const struct ppath *pp)
{
    enum act_status st = ACT_OK;
    if ((st = string_keyword(w, os, ol, ns, nl, dir, pp, "format", ACT_DIFF_BREAKING)) ||
        (st = string_keyword(w, os, ol, ns, nl, dir, pp, "pattern",
                             dir == REQ ? ACT_DIFF_BREAKING : ACT_DIFF_WARNING)))
        return st;
    /* nullable */
    int onl = flag_of(os, "nullable"), nnl = flag_of(ns, "nullable");
    CHILD(onll, ol, "nullable");
    CHILD(nnll, nl, "nullable");
    if (onl && !nnl)
        st = emit(w, narrowed(dir), &onll, nl, pp, "no longer nullable");
    else if (!onl && nnl)
        st = emit(w, widened(dir), ol, &nnll, pp, "became nullable");
    if (st)
        return st;
    /* bounds */
    static const struct {
        const char *kw;
        int is_max;
    } bounds[] = {
        {"maximum", 1},  {"minimum", 0},  {"maxLength", 1},     {"minLength", 0},
        {"maxItems", 1}, {"minItems", 0}, {"maxProperties", 1}, {"minProperties", 0},
    };
    for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]) && !st; i++)
        st = bound(w, os, ol, ns, nl, dir, pp, bounds[i].kw, bounds[i].is_max);
    if (st)
        return st;
    st = enums(w, os, ol, ns, nl, dir, pp);
    if (st)
        return st;
    /* default, example, deprecated */
    const cJSON *od = member(os, "default"), *nd = member(ns, "default");
    CHILD(odl, ol, "default");
    CHILD(ndl, nl, "default");
    if (od && nd && !cJSON_Compare(od, nd, 1)) {
        char was[80];
        snprintf(was, sizeof(was), "%s", show(w, od));
        st = emit(w, ACT_DIFF_WARNING, &odl, &ndl, pp, "default changed from %s to %s", was,
                  show(w, nd));
    } else if (od && !nd) {
        st = emit(w, ACT_DIFF_WARNING, &odl, nl, pp, "default %s removed", show(w, od));
    } else if (!od && nd) {
        st = emit(w, ACT_DIFF_INFO, ol, &ndl, pp, "default %s added", show(w, nd));
    }
    if (st)
        return st;
    const cJSON *ox = member(os, "example"), *nx = member(ns, "example");
    CHILD(oxl, ol, "example");
    CHILD(nxl, nl, "example");
    if (ox && nx && !cJSON_Compare(ox, nx, 1))
        st = emit(w, ACT_DIFF_WARNING, &oxl, &nxl, pp, "example changed");
    if (!st && !flag_of(os, "deprecated") && flag_of(ns, "deprecated")) {
        CHILD(ndep, nl, "deprecated");
        st = emit(w, ACT_DIFF_WARNING, ol, &ndep, pp, "deprecated");
    }
    return st;
}

/* The properties a schema declares, its own and those of its allOf members (a schema
 * wrapped in allOf with an extension keeps its properties), and its required lists. */
#define FLAT_MAX 8
struct flat {
    size_t n, n_req;
    const cJSON *props[FLAT_MAX]; /* "properties" objects */
    struct loc at[FLAT_MAX];      /* where each stands */
    char *owned[FLAT_MAX];        /* the pointers of allOf members' (owned) */
    const cJSON *req[FLAT_MAX];   /* "required" arrays */
};

static enum act_status flat_add(struct walk *w, const struct act_spec *spec, struct act_node s,
                                const struct loc *l, struct flat *f, int depth)
{
    struct loc store;
    enum act_status st = depth ? deref(w, spec, &s, &store, &l) : ACT_OK;
    if (st || !cJSON_IsObject(s.node))
        return st;
    const cJSON *p = member(s.node, "properties");
    if (cJSON_IsObject(p) && f->n < FLAT_MAX) {
        struct loc pl = {l, NULL, "properties", 0};
        f->at[f->n] = pl;
        if (depth) { /* l lives on this call's stack: keep the pointer as text */
            f->owned[f->n] = loc_string(&pl);
            if (!f->owned[f->n])
                return ACT_ERR_NOMEM;
            f->at[f->n] = (struct loc){NULL, f->owned[f->n], NULL, 0};
        }
        f->props[f->n++] = p;
    }
    const cJSON *r = member(s.node, "required");
    if (cJSON_IsArray(r) && f->n_req < FLAT_MAX)
        f->req[f->n_req++] = r;
    const cJSON *all = member(s.node, "allOf");
    if (!cJSON_IsArray(all) || depth >= 4)
        return ACT_OK;
    struct loc al = {l, NULL, "allOf", 0};
    size_t i = 0;
    for (const cJSON *m = all->child; m && !st; m = m->next, i++) {
        struct loc ml = {&al, NULL, NULL, i};
        st = flat_add(w, spec, (struct act_node){s.doc, m}, &ml, f, depth + 1);
    }
    return st;
}

static void flat_release(struct flat *f)
{
    for (size_t i = 0; i < f->n; i++)
        act_free(f->owned[i]);
}

/* The property name of f, its index in *k; NULL when f has none. */
static const cJSON *flat_find(const struct flat *f, const char *name, size_t *k)
{
    for (size_t i = 0; i < f->n; i++) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(f->props[i], name);
        if (p) {
            *k = i;
            return p;
        }
    }
    return NULL;
}

static int flat_required(const struct flat *f, const char *name)
{
    for (size_t i = 0; i < f->n_req; i++)
        if (has_string(f->req[i], name))
            return 1;
    return 0;
}

static enum act_status compare_props(struct walk *w, struct act_node o, const struct loc *ol,
                                     const struct flat *of, struct act_node n, const struct loc *nl,
                                     const struct flat *nf, enum dir dir, const struct ppath *pp)
{
    enum act_status st = ACT_OK;
    const struct loc *oany = of->n ? &of->at[0] : ol, *nany = nf->n ? &nf->at[0] : nl;
    for (size_t i = 0; i < of->n && !st; i++) {
        for (const cJSON *p = of->props[i]->child; p && !st; p = p->next) {
            size_t k;
            if (flat_find(of, p->string, &k) != p)
                continue; /* an earlier member declares it too */
            struct ppath sub = {pp, p->string};
            CHILD(pl, &of->at[i], p->string);
            const cJSON *q = flat_find(nf, p->string, &k);
            if (!q) {
                /* A request property the server no longer reads: clients still send it. */
                st = emit(w, dir == RESP ? ACT_DIFF_BREAKING : ACT_DIFF_WARNING, &pl, nany, &sub,
                          "removed");
                continue;
            }
            CHILD(ql, &nf->at[k], p->string);
            int was = flat_required(of, p->string), is = flat_required(nf, p->string);
            if (!was && is)
                st = emit(w, dir == REQ ? ACT_DIFF_BREAKING : ACT_DIFF_INFO, &pl, &ql, &sub,
                          "became required");
            else if (was && !is && dir == RESP)
                st =
                    emit(w, ACT_DIFF_BREAKING, &pl, &ql, &sub, "became optional (it was required)");
            else if (was && !is)
                st = emit(w, ACT_DIFF_INFO, &pl, &ql, &sub, "became optional");
            if (!st)
                st = schema(w, (struct act_node){o.doc, p}, &pl, (struct act_node){n.doc, q}, &ql,
                            dir, &sub);
        }
    }
    for (size_t i = 0; i < nf->n && !st; i++) {
        for (const cJSON *p = nf->props[i]->child; p && !st; p = p->next) {
            size_t k;
            if (flat_find(nf, p->string, &k) != p || flat_find(of, p->string, &k))
                continue;
            struct ppath sub = {pp, p->string};
            CHILD(ql, &nf->at[i], p->string);
            if (flat_required(nf, p->string) && dir == REQ)
                st =
                    emit(w, ACT_DIFF_BREAKING, oany, &ql, &sub, "added as a new required property");
            else
                st = emit(w, ACT_DIFF_INFO, oany, &ql, &sub, "added");
        }
    }
    return st;
}

static enum act_status properties(struct walk *w, struct act_node o, const struct loc *ol,
                                  struct act_node n, const struct loc *nl, enum dir dir,
                                  const struct ppath *pp)
{
    struct flat of, nf;
    memset(&of, 0, sizeof(of));
    memset(&nf, 0, sizeof(nf));
    enum act_status st = flat_add(w, w->os, o, ol, &of, 0);
    if (!st)
        st = flat_add(w, w->ns, n, nl, &nf, 0);
    if (!st)
        st = compare_props(w, o, ol, &of, n, nl, &nf, dir, pp);
    flat_release(&of);
    flat_release(&nf);
    return st;
}

/* The member of arr matching m: the one with the same $ref, else (for an inline m) the
 * inline member at the same index i. Its index in *k; NULL when none. */
static const cJSON *match_member(const cJSON *arr, const cJSON *m, size_t i, size_t *k)
{
    const char *ref = act_ref_of(m);
    size_t j = 0;
    for (const cJSON *e = cJSON_IsArray(arr) ? arr->child : NULL; e; e = e->next, j++) {
        const char *eref = act_ref_of(e);
        if (ref ? eref && strcmp(ref, eref) == 0 : !eref && j == i) {
            *k = j;
            return e;
        }
    }
    return NULL;
}

/* The type of s, or of the first of its allOf members that declares one; NULL when none
 * does. */
static const char *type_of(struct walk *w, const struct act_spec *spec, struct act_node s)
{
    const char *t = str_of(s.node, "type");
    const cJSON *all = member(s.node, "allOf");
    for (const cJSON *m = cJSON_IsArray(all) ? all->child : NULL; m && !t; m = m->next) {
        struct act_node mn = {s.doc, m};
        struct loc store;
        const struct loc *l = NULL;
        struct act_error *err = w->err;
        w->err = NULL; /* a broken $ref is reported where it is compared */
        if (deref(w, spec, &mn, &store, &l) == ACT_OK)
            t = str_of(mn.node, "type");
        w->err = err;
    }
    return t;
}

/* allOf, oneOf, anyOf: members matched by $ref (inline ones by position). */
static enum act_status compositions(struct walk *w, struct act_node o, const struct loc *ol,
                                    struct act_node n, const struct loc *nl, enum dir dir,
                                    const struct ppath *pp)
{
    static const char *const kws[] = {"allOf", "oneOf", "anyOf"};
    enum act_status st = ACT_OK;
    for (size_t kw = 0; kw < 3 && !st; kw++) {
        const cJSON *oa = member(o.node, kws[kw]), *na = member(n.node, kws[kw]);
        if (!cJSON_IsArray(oa) && !cJSON_IsArray(na))
            continue;
        int all = kw == 0;
        CHILD(oal, ol, kws[kw]);
        CHILD(nal, nl, kws[kw]);
        /* allOf: its members' properties were compared with the parent's, and a member
         * more or less is seen there; oneOf/anyOf: a member added allows more */
        enum act_diff_severity added = all ? ACT_DIFF_INFO : widened(dir);
        enum act_diff_severity removed = all ? ACT_DIFF_INFO : narrowed(dir);
        size_t i = 0, k;
        for (const cJSON *a = cJSON_IsArray(oa) ? oa->child : NULL; a && !st; a = a->next, i++) {
            struct loc al = {&oal, NULL, NULL, i};
            const cJSON *b = match_member(na, a, i, &k);
            if (!b && all && !cJSON_IsArray(na))
                continue; /* a schema unwrapped from allOf: compared as properties */
            if (!b) {
                const char *ref = act_ref_of(a);
                st = ref ? emit(w, removed, &al, cJSON_IsArray(na) ? &nal : nl, pp,
                                "%s member `%s` removed", kws[kw], ref)
                         : emit(w, removed, &al, cJSON_IsArray(na) ? &nal : nl, pp,
                                "%s member %s removed", kws[kw], "(an inline schema)");
                continue;
            }
            struct loc bl = {&nal, NULL, NULL, k};
            st = schema_at(w, (struct act_node){o.doc, a}, &al, (struct act_node){n.doc, b}, &bl,
                           dir, pp, all);
        }
        i = 0;
        for (const cJSON *b = cJSON_IsArray(na) ? na->child : NULL; b && !st; b = b->next, i++) {
            if (match_member(oa, b, i, &k) || (all && !cJSON_IsArray(oa)))
                continue;
            struct loc bl = {&nal, NULL, NULL, i};
            const char *ref = act_ref_of(b);
            st = ref ? emit(w, added, cJSON_IsArray(oa) ? &oal : ol, &bl, pp,
                            "%s member `%s` added", kws[kw], ref)
                     : emit(w, added, cJSON_IsArray(oa) ? &oal : ol, &bl, pp, "%s member %s added",
                            kws[kw], "(an inline schema)");
        }
    }
    return st;
}

static enum act_status schema(struct walk *w, struct act_node o, const struct loc *ol,
                              struct act_node n, const struct loc *nl, enum dir dir,
                              const struct ppath *pp)
{
    return schema_at(w, o, ol, n, nl, dir, pp, 0);
}

/* noprops: leave out properties and required (an allOf member, whose properties were
 * compared with its parent's). */
static enum act_status schema_at(struct walk *w, struct act_node o, const struct loc *ol,
                                 struct act_node n, const struct loc *nl, enum dir dir,
                                 const struct ppath *pp, int noprops)
{
    struct loc ostore, nstore;
    enum act_status st = deref(w, w->os, &o, &ostore, &ol);
    if (!st)
        st = deref(w, w->ns, &n, &nstore, &nl);
    if (st)
        return st;
    if (!cJSON_IsObject(o.node) || !cJSON_IsObject(n.node))
        return ACT_OK;
    /* A pair compared before in this action is not compared again (recursion ends
     * here); one whose whole comparison found nothing, in any action, never again. */
    int key = (int)dir | noprops << 1;
    if (pairset_has(&w->clean, o.node, n.node, key))
        return ACT_OK;
    if (pairset_has(&w->memo, o.node, n.node, key)) {
        w->skips++;
        return ACT_OK;
    }
    if ((st = pairset_add(&w->memo, o.node, n.node, key)))
        return st;
    size_t changes = w->d->n;
    unsigned long skips = w->skips;
    st = schema_body(w, o, ol, n, nl, dir, pp, noprops);
    if (!st && w->d->n == changes && w->skips == skips)
        st = pairset_add(&w->clean, o.node, n.node, key);
    return st;
}

/* schema_at after the $refs and the memo. */
static enum act_status schema_body(struct walk *w, struct act_node o, const struct loc *ol,
                                   struct act_node n, const struct loc *nl, enum dir dir,
                                   const struct ppath *pp, int noprops)
{
    enum act_status st = ACT_OK;
    const char *ot = type_of(w, w->os, o), *nt = type_of(w, w->ns, n);
    CHILD(otl, ol, "type");
    CHILD(ntl, nl, "type");
    if (ot && nt && strcmp(ot, nt) != 0) {
        /* integer -> number accepts more; number -> integer sends less */
        int widen = strcmp(ot, "integer") == 0 && strcmp(nt, "number") == 0;
        int narrow = strcmp(ot, "number") == 0 && strcmp(nt, "integer") == 0;
        enum act_diff_severity sev = ACT_DIFF_BREAKING;
        if ((widen && dir == REQ) || (narrow && dir == RESP))
            sev = ACT_DIFF_INFO;
        return emit(w, sev, &otl, &ntl, pp, "type changed from `%s` to `%s`", ot, nt);
    }
    if (!ot && nt)
        st = emit(w, narrowed(dir), ol, &ntl, pp, "type `%s` set where any type was allowed", nt);
    else if (ot && !nt)
        st = emit(w, dir == RESP ? ACT_DIFF_WARNING : ACT_DIFF_INFO, &otl, nl, pp,
                  "type `%s` no longer declared", ot);
    if (!st)
        st = keyword_changes(w, o.node, ol, n.node, nl, dir, pp);
    if (!st && !noprops)
        st = properties(w, o, ol, n, nl, dir, pp);
    const cJSON *oi = member(o.node, "items"), *ni = member(n.node, "items");
    if (!st && oi && ni) {
        struct ppath sub = {pp, "[]"};
        CHILD(oil, ol, "items");
        CHILD(nil, nl, "items");
        st = schema(w, (struct act_node){o.doc, oi}, &oil, (struct act_node){n.doc, ni}, &nil, dir,
                    &sub);
    }
    const cJSON *oap = member(o.node, "additionalProperties");
    const cJSON *nap = member(n.node, "additionalProperties");
    if (!st && cJSON_IsObject(oap) && cJSON_IsObject(nap)) {
        struct ppath sub = {pp, "*"};
        CHILD(oal, ol, "additionalProperties");
        CHILD(nal, nl, "additionalProperties");
        st = schema(w, (struct act_node){o.doc, oap}, &oal, (struct act_node){n.doc, nap}, &nal,
                    dir, &sub);
    }
    if (!st)
        st = compositions(w, o, ol, n, nl, dir, pp);
    return st;
}

/* ---- media types, bodies, responses ------------------------------------------------------ */

/* What a map entry gets: o (at ol) and its match n (at nl); o NULL when n was added, n
 * NULL when o was removed (the location of that side is then the map's, or its owner's
 * when the map is absent). */
typedef enum act_status (*entry_fn)(struct walk *w, const cJSON *o, const struct loc *ol,
                                    const cJSON *n, const struct loc *nl, void *arg);

/* Walk two maps keyed by name, om at oml (owner at olp) and nm at nml (owner at nlp): each
 * entry of om with its match in nm, then each entry only in nm; stops at an error. */
static enum act_status each_entry(struct walk *w, const cJSON *om, const struct loc *oml,
                                  const struct loc *olp, const cJSON *nm, const struct loc *nml,
                                  const struct loc *nlp, entry_fn fn, void *arg)
{
    enum act_status st = ACT_OK;
    const cJSON *e;
    if (cJSON_IsObject(om)) {
        cJSON_ArrayForEach(e, om)
        {
            if (st)
                break;
            CHILD(el, oml, e->string);
            const cJSON *q = member(nm, e->string);
            if (!q) {
                st = fn(w, e, &el, NULL, nm ? nml : nlp, arg);
                continue;
            }
            CHILD(ql, nml, e->string);
            st = fn(w, e, &el, q, &ql, arg);
        }
    }
    if (cJSON_IsObject(nm)) {
        cJSON_ArrayForEach(e, nm)
        {
            if (st)
                break;
            if (member(om, e->string))
                continue;
            CHILD(ql, nml, e->string);
            st = fn(w, NULL, om ? oml : olp, e, &ql, arg);
        }
    }
    return st;
}

/* The documents of two content maps and the direction of their schemas. */
struct content_arg {
    const struct act_doc *od, *nd;
    enum dir dir;
};

/* One media type of two content maps. */
static enum act_status media_type(struct walk *w, const cJSON *m, const struct loc *ml,
                                  const cJSON *q, const struct loc *ql, void *arg)
{
    const struct content_arg *a = arg;
    enum act_status st = ACT_OK;
    if (!q)
        return emit(w, ACT_DIFF_BREAKING, ml, ql, NULL, "media type `%s` removed", m->string);
    if (!m)
        return emit(w, ACT_DIFF_INFO, ml, ql, NULL, "media type `%s` added", q->string);
    const cJSON *os = member(m, "schema"), *ns = member(q, "schema");
    const cJSON *ox = member(m, "example"), *nx = member(q, "example");
    if (ox && nx && !cJSON_Compare(ox, nx, 1)) {
        CHILD(oxl, ml, "example");
        CHILD(nxl, ql, "example");
        st = emit(w, ACT_DIFF_WARNING, &oxl, &nxl, NULL, "example changed (%s)", m->string);
    }
    const cJSON *oxs = member(m, "examples"), *nxs = member(q, "examples");
    if (!st && oxs && nxs && !cJSON_Compare(oxs, nxs, 1)) {
        CHILD(oxl, ml, "examples");
        CHILD(nxl, ql, "examples");
        st = emit(w, ACT_DIFF_WARNING, &oxl, &nxl, NULL, "examples changed (%s)", m->string);
    }
    if (!st && os && ns) {
        CHILD(osl, ml, "schema");
        CHILD(nsl, ql, "schema");
        st = schema(w, (struct act_node){a->od, os}, &osl, (struct act_node){a->nd, ns}, &nsl,
                    a->dir, NULL);
    }
    return st;
}

/* Compare two content maps (media type -> Media Type Object); dir: the direction of
 * their schemas. */
static enum act_status content(struct walk *w, struct act_node o, const struct loc *ol,
                               struct act_node n, const struct loc *nl, enum dir dir)
{
    struct content_arg a = {o.doc, n.doc, dir};
    CHILD(ocl, ol, "content");
    CHILD(ncl, nl, "content");
    return each_entry(w, member(o.node, "content"), &ocl, ol, member(n.node, "content"), &ncl, nl,
                      media_type, &a);
}

static enum act_status request_body(struct walk *w, const struct act_op *oo, const struct loc *opl,
                                    const struct act_op *no, const struct loc *npl)
{
    struct act_node o = {oo->path_doc, oo->request_body}, n = {no->path_doc, no->request_body};
    struct loc ostore, nstore;
    CHILD(obl, opl, "requestBody");
    CHILD(nbl, npl, "requestBody");
    const struct loc *ol = &obl, *nl = &nbl;
    enum act_status st = ACT_OK;
    w->where = "request body";
    if (o.node && (st = deref(w, w->os, &o, &ostore, &ol)))
        return st;
    if (n.node && (st = deref(w, w->ns, &n, &nstore, &nl)))
        return st;
    if (!o.node && !n.node)
        return ACT_OK;
    if (!o.node)
        return flag_of(n.node, "required")
                   ? emit(w, ACT_DIFF_BREAKING, NULL, nl, NULL, "newly required")
                   : emit(w, ACT_DIFF_INFO, NULL, nl, NULL, "added (optional)");
    if (!n.node)
        return emit(w, ACT_DIFF_WARNING, ol, NULL, NULL, "removed");
    if (!flag_of(o.node, "required") && flag_of(n.node, "required"))
        st = emit(w, ACT_DIFF_BREAKING, ol, nl, NULL, "became required");
    else if (flag_of(o.node, "required") && !flag_of(n.node, "required"))
        st = emit(w, ACT_DIFF_INFO, ol, nl, NULL, "became optional");
    if (!st)
        st = content(w, o, ol, n, nl, REQ);
    return st;
}

static enum act_status response(struct walk *w, const char *code, struct act_node o,
                                const struct loc *ol, struct act_node n, const struct loc *nl)
{
    struct loc ostore, nstore;
    char where[96];
    char echo[ACT_ECHO_SIZE];
    snprintf(where, sizeof(where), "response %.40s",
             act_echo(echo, sizeof(echo), code, strlen(code)));
    w->where = where;
    enum act_status st = deref(w, w->os, &o, &ostore, &ol);
    if (!st)
        st = deref(w, w->ns, &n, &nstore, &nl);
    if (!st)
        st = content(w, o, ol, n, nl, RESP);
    w->where = NULL;
    return st;
}

/* One response code of two operations (arg: the operations). */
static enum act_status response_entry(struct walk *w, const cJSON *r, const struct loc *rl,
                                      const cJSON *q, const struct loc *ql, void *arg)
{
    const struct act_op *const *ops = arg;
    w->where = NULL;
    if (!q)
        return emit(w, ACT_DIFF_BREAKING, rl, ql, NULL, "response %s removed", r->string);
    if (!r && strcmp(q->string, "default") == 0)
        return emit(w, ACT_DIFF_WARNING, rl, ql, NULL,
                    "statuses the old spec did not declare are now described by "
                    "response `default`");
    if (!r)
        return emit(w, ACT_DIFF_INFO, rl, ql, NULL, "response %s added", q->string);
    return response(w, r->string, (struct act_node){ops[0]->path_doc, r}, rl,
                    (struct act_node){ops[1]->path_doc, q}, ql);
}

static enum act_status responses(struct walk *w, const struct act_op *oo, const struct loc *opl,
                                 const struct act_op *no, const struct loc *npl)
{
    const struct act_op *ops[2] = {oo, no};
    CHILD(orl, opl, "responses");
    CHILD(nrl, npl, "responses");
    w->where = NULL;
    return each_entry(w, oo->responses, &orl, opl, no->responses, &nrl, npl, response_entry, ops);
}

/* ---- parameters ------------------------------------------------------------------------- */

struct param {
    const char *name, *in;
    struct act_node node; /* resolved */
    struct loc at;        /* root location (abs owned by buf) */
    char *where;          /* its pointer (owned) */
};

/* The effective parameters of op: path-level ones, overridden by the operation's. */
static enum act_status params_of(struct walk *w, const struct act_spec *spec,
                                 const struct act_op *op, struct param **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    struct act_buf b;
    act_buf_init(&b);
    for (int level = 0; level < 2; level++) {
        const cJSON *owner = level ? op->node : op->path_item;
        const cJSON *list = member(owner, "parameters");
        if (!cJSON_IsArray(list))
            continue;
        const cJSON *p;
        size_t i = 0;
        cJSON_ArrayForEach(p, list)
        {
            struct act_node node = {op->path_doc, p};
            struct loc store;
            const struct loc *l = NULL;
            enum act_status st = deref(w, spec, &node, &store, &l);
            if (st) {
                act_buf_release(&b);
                return st;
            }
            act_buf_reset(&b);
            if (l) {
                st = act_buf_adds(&b, l->abs);
            } else {
                /* the path item's pointer is the operation's minus its method */
                const char *slash = strrchr(op->pointer, '/');
                st = act_buf_add(&b, op->pointer,
                                 level ? strlen(op->pointer) : (size_t)(slash - op->pointer));
                if (!st)
                    st = act_buf_adds(&b, "/parameters");
                if (!st)
                    st = act_pointer_append_index(&b, i);
            }
            i++;
            const char *name = str_of(node.node, "name"), *in = str_of(node.node, "in");
            if (st || !name || !in) {
                if (st) {
                    act_buf_release(&b);
                    return st;
                }
                continue;
            }
            size_t k = 0;
            while (k < *n && !(strcmp((*out)[k].name, name) == 0 && strcmp((*out)[k].in, in) == 0))
                k++;
            if (k == *n) {
                if (ACT_GROW(*out, cap, *n + 1, 8)) {
                    act_buf_release(&b);
                    return ACT_ERR_NOMEM;
                }
                (*n)++;
            } else {
                act_free((*out)[k].where);
            }
            struct param *q = &(*out)[k];
            q->name = name;
            q->in = in;
            q->node = node;
            q->where = act_strdup(b.data);
            memset(&q->at, 0, sizeof(q->at));
            q->at.abs = q->where;
            if (!q->where) {
                act_buf_release(&b);
                return ACT_ERR_NOMEM;
            }
        }
    }
    act_buf_release(&b);
    return ACT_OK;
}

static void params_free(struct param *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        act_free(p[i].where);
    act_free(p);
}

static int param_required(const struct param *p)
{
    return strcmp(p->in, "path") == 0 || flag_of(p->node.node, "required");
}

static enum act_status param_pair(struct walk *w, const struct param *o, const struct param *n)
{
    enum act_status st = ACT_OK;
    if (!param_required(o) && param_required(n))
        st = emit(w, ACT_DIFF_BREAKING, &o->at, &n->at, NULL, "became required");
    else if (param_required(o) && !param_required(n))
        st = emit(w, ACT_DIFF_INFO, &o->at, &n->at, NULL, "became optional");
    if (!st && !flag_of(o->node.node, "deprecated") && flag_of(n->node.node, "deprecated"))
        st = emit(w, ACT_DIFF_WARNING, &o->at, &n->at, NULL, "deprecated");
    const cJSON *ox = member(o->node.node, "example"), *nx = member(n->node.node, "example");
    if (!st && ox && nx && !cJSON_Compare(ox, nx, 1))
        st = emit(w, ACT_DIFF_WARNING, &o->at, &n->at, NULL, "example changed");
    const cJSON *os = member(o->node.node, "schema"), *ns = member(n->node.node, "schema");
    if (!st && os && ns) {
        CHILD(osl, &o->at, "schema");
        CHILD(nsl, &n->at, "schema");
        st = schema(w, (struct act_node){o->node.doc, os}, &osl, (struct act_node){n->node.doc, ns},
                    &nsl, REQ, NULL);
    }
    if (!st)
        st = content(w, o->node, &o->at, n->node, &n->at, REQ);
    return st;
}

static enum act_status parameters(struct walk *w, const struct act_op *oo, const struct loc *opl,
                                  const struct act_op *no, const struct loc *npl)
{
    struct param *op = NULL, *np = NULL;
    size_t on = 0, nn = 0;
    enum act_status st = params_of(w, w->os, oo, &op, &on);
    if (!st)
        st = params_of(w, w->ns, no, &np, &nn);
    char where[ACT_ECHO_SIZE + 64], echo[ACT_ECHO_SIZE];
    for (size_t i = 0; i < on && !st; i++) {
        size_t k = 0;
        while (k < nn && !(strcmp(np[k].name, op[i].name) == 0 && strcmp(np[k].in, op[i].in) == 0))
            k++;
        snprintf(where, sizeof(where), "%s parameter `%s`", op[i].in,
                 act_echo(echo, sizeof(echo), op[i].name, strlen(op[i].name)));
        w->where = where;
        if (k == nn)
            st = emit(w, ACT_DIFF_WARNING, &op[i].at, npl, NULL, "removed");
        else
            st = param_pair(w, &op[i], &np[k]);
    }
    for (size_t k = 0; k < nn && !st; k++) {
        size_t i = 0;
        while (i < on && !(strcmp(np[k].name, op[i].name) == 0 && strcmp(np[k].in, op[i].in) == 0))
            i++;
        if (i < on)
            continue;
        snprintf(where, sizeof(where), "%s parameter `%s`", np[k].in,
                 act_echo(echo, sizeof(echo), np[k].name, strlen(np[k].name)));
        w->where = NULL;
        if (param_required(&np[k]))
            st = emit(w, ACT_DIFF_BREAKING, opl, &np[k].at, NULL, "new required %s", where);
        else
            st = emit(w, ACT_DIFF_WARNING, opl, &np[k].at, NULL, "new optional %s", where);
    }
    w->where = NULL;
    params_free(op, on);
    params_free(np, nn);
    return st;
}

/* ---- security --------------------------------------------------------------------------- */

/* Is every scheme of requirement a also in requirement b (a client meeting b meets a)? */
static int req_subset(const cJSON *a, const cJSON *b)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, a)
    {
        if (!member(b, s->string))
            return 0;
    }
    return 1;
}

static enum act_status security(struct walk *w, const struct act_op *oo, const struct act_op *no,
                                const struct loc *opl, const struct loc *npl)
{
    static const cJSON none_req = {.type = cJSON_Object};
    const cJSON *os = oo->security, *ns = no->security;
    struct loc root_o = {NULL, "/security", NULL, 0}, root_n = root_o;
    CHILD(osl, opl, "security");
    CHILD(nsl, npl, "security");
    const struct loc *ol = member(oo->node, "security") ? &osl : os ? &root_o : opl;
    const struct loc *nl = member(no->node, "security") ? &nsl : ns ? &root_n : npl;
    enum act_status st = ACT_OK;
    /* A client able to meet an old alternative must still meet a new one. */
    int on = cJSON_IsArray(os) ? cJSON_GetArraySize(os) : 0;
    int nn = cJSON_IsArray(ns) ? cJSON_GetArraySize(ns) : 0;
    for (int i = 0; i < (on ? on : 1) && !st; i++) {
        const cJSON *a = on ? cJSON_GetArrayItem(os, i) : &none_req;
        int ok = nn == 0;
        for (int j = 0; j < nn && !ok; j++)
            ok = req_subset(cJSON_GetArrayItem(ns, j), a);
        if (ok)
            continue;
        /* name the schemes the closest new alternative adds */
        struct act_buf names;
        act_buf_init(&names);
        const cJSON *b = cJSON_GetArrayItem(ns, 0), *s;
        cJSON_ArrayForEach(s, b)
        {
            if (!member(a, s->string) && !st)
                st = act_buf_printf(&names, "%s%s", names.len ? "`, `" : "", s->string);
        }
        if (!st)
            st = emit(w, ACT_DIFF_BREAKING, ol, nl, NULL, "security requirement added: `%s`",
                      names.data);
        act_buf_release(&names);
        return st;
    }
    if (nn > on && on > 0)
        st = emit(w, ACT_DIFF_INFO, ol, nl, NULL, "security alternative added");
    return st;
}

/* ---- actions ---------------------------------------------------------------------------- */

static enum act_status add_action(struct act_diff *d, const char *id)
{
    if (ACT_GROW(d->actions, d->cap_actions, d->n_actions + 1, 64))
        return ACT_ERR_NOMEM;
    d->actions[d->n_actions++] = id;
    return ACT_OK;
}

static enum act_status action(struct walk *w, const struct act_op *oo, const struct act_op *no)
{
    struct loc opl = {NULL, oo->pointer, NULL, 0}, npl = {NULL, no->pointer, NULL, 0};
    enum act_status st = ACT_OK;
    w->where = NULL;
    if (strcmp(oo->method, no->method) != 0 || strcmp(oo->path, no->path) != 0) {
        char was[ACT_ECHO_SIZE + 16], echo[ACT_ECHO_SIZE];
        snprintf(was, sizeof(was), "%s %s", oo->method,
                 act_echo(echo, sizeof(echo), oo->path, strlen(oo->path)));
        st = emit(w, ACT_DIFF_BREAKING, &opl, &npl, NULL, "moved from `%s` to `%s %s`", was,
                  no->method, no->path);
    }
    if (!st && !oo->deprecated && no->deprecated)
        st = emit(w, ACT_DIFF_WARNING, &opl, &npl, NULL, "action deprecated");
    if (!st)
        st = parameters(w, oo, &opl, no, &npl);
    if (!st)
        st = request_body(w, oo, &opl, no, &npl);
    w->where = NULL;
    if (!st)
        st = responses(w, oo, &opl, no, &npl);
    w->where = NULL;
    if (!st)
        st = security(w, oo, no, &opl, &npl);
    return st;
}

enum act_status act_diff_specs(const struct act_spec *old, const struct act_spec *new_spec,
                               int flags, struct act_diff *d, struct act_error *err)
{
    struct walk w = {.d = d, .os = old, .ns = new_spec, .err = err};
    struct act_map ids;
    act_map_init(&ids);
    act_buf_init(&w.tmp);
    enum act_status st = act_map_reserve(&ids, new_spec->n_ops);
    for (size_t i = 0; i < new_spec->n_ops && !st; i++)
        st = act_map_put(&ids, act_hash_str(new_spec->ops[i].id), (uint32_t)i);
    char *matched = st ? NULL : act_calloc(new_spec->n_ops + 1, 1);
    if (!st && !matched)
        st = ACT_ERR_NOMEM;
    for (size_t i = 0; i < old->n_ops && !st; i++) {
        const struct act_op *oo = &old->ops[i], *no = NULL;
        struct act_map_it it;
        for (uint32_t k = act_map_first(&it, &ids, act_hash_str(oo->id)); k != ACT_MAP_NONE;
             k = act_map_next(&it))
            if (strcmp(new_spec->ops[k].id, oo->id) == 0) {
                no = &new_spec->ops[k];
                matched[k] = 1;
                break;
            }
        w.action = oo->id;
        w.where = NULL;
        st = add_action(d, oo->id);
        if (st)
            break;
        if (!no) {
            struct loc ol = {NULL, oo->pointer, NULL, 0};
            st = emit(&w, ACT_DIFF_BREAKING, &ol, NULL, NULL, "action removed (was `%s %s`)",
                      oo->method, oo->path);
            continue;
        }
        w.memo.n = 0;
        act_map_release(&w.memo.map);
        st = action(&w, oo, no);
    }
    for (size_t k = 0; k < new_spec->n_ops && !st && !(flags & ACT_DIFF_OLD_ONLY); k++) {
        if (matched[k])
            continue;
        const struct act_op *no = &new_spec->ops[k];
        struct loc nl = {NULL, no->pointer, NULL, 0};
        w.action = no->id;
        w.where = NULL;
        st = add_action(d, no->id);
        if (!st)
            st = emit(&w, ACT_DIFF_INFO, NULL, &nl, NULL, "action added (`%s %s`)", no->method,
                      no->path);
    }
    if (st == ACT_ERR_NOMEM)
        act_error_set(err, st, NULL, 0, 0, "out of memory");
    act_free(matched);
    act_map_release(&ids);
    pairset_release(&w.memo);
    pairset_release(&w.clean);
    act_buf_release(&w.tmp);
    return st;
}
