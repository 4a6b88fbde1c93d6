/*
 * convert.c - OpenAPI 3.1 <-> 3.0 on document trees, and a spec's whole conversion
 * (convert.h).
 *
 * One walker knows where the OpenAPI structure holds schemas (components, parameters,
 * headers, media types, callbacks, path items) and calls the direction's rewrite on
 * every Schema Object, children first, so that each rewrite sees converted subschemas
 * and every loss is reported at its pointer in the source document (the walk keeps that
 * pointer; restructuring happens after a node's children are done). $defs moved into
 * components/schemas are remembered by their source pointer, and a last pass rewrites
 * the $refs that named them.
 */
#include "convert.h"

#include <stdio.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/bundle.h"
#include "parser/pointer.h"
#include "parser/swagger2.h"

#define TRY(x)                                                                                     \
    do {                                                                                           \
        enum act_status st_ = (x);                                                                 \
        if (st_)                                                                                   \
            return st_;                                                                            \
    } while (0)

/* A $defs entry moved into components/schemas. */
struct moved {
    char *from; /* its JSON Pointer in the source document (owned) */
    char *to;   /* "/components/schemas/NAME" (owned) */
};

struct conv {
    cJSON *root;         /* the tree being rewritten (the output) */
    cJSON *losses;       /* the report, or NULL (3.0 -> 3.1 loses nothing) */
    int down;            /* 1: 3.1 -> 3.0, 0: 3.0 -> 3.1 */
    int nullable_any;    /* a 3.0.0-3.0.2 source: nullable admits null whatever the rest says */
    struct act_buf ptr;  /* the source pointer of the node being converted */
    cJSON *defs;         /* moved $defs awaiting components/schemas: name -> schema */
    struct moved *moved; /* what moved where */
    size_t n_moved, cap_moved;
    size_t depth;     /* schema nesting, bounded by ACT_MAX_DEPTH */
    const char *name; /* the document's name in messages */
    struct act_error *err;
};

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

/* ---- small tree helpers ------------------------------------------------------------------ */

static cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static int has(const cJSON *o, const char *k)
{
    return get(o, k) != NULL;
}

static void del(cJSON *o, const char *k)
{
    cJSON_DeleteItemFromObjectCaseSensitive(o, k);
}

/* Add item (taken, may be NULL after a failed create) to object o under k. */
static enum act_status put(cJSON *o, const char *k, cJSON *item)
{
    if (!item)
        return ACT_ERR_NOMEM;
    if (!cJSON_AddItemToObject(o, k, item)) { /* the key's copy failed: item is not in o */
        cJSON_Delete(item);
        return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

/* Append item (taken) to array a. */
static enum act_status push_item(cJSON *a, cJSON *item)
{
    if (!item)
        return ACT_ERR_NOMEM;
    if (!cJSON_AddItemToArray(a, item)) {
        cJSON_Delete(item);
        return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

/* A new key string for item, allocated as cJSON frees it. */
static enum act_status set_key(cJSON *item, const char *key)
{
    size_t n = strlen(key) + 1;
    char *k = cJSON_malloc(n);
    if (!k)
        return ACT_ERR_NOMEM;
    memcpy(k, key, n);
    if (item->string && !(item->type & cJSON_StringIsConst))
        cJSON_free(item->string);
    item->string = k;
    item->type &= ~cJSON_StringIsConst;
    return ACT_OK;
}

/* Put item (taken) in the place of old, a member of parent, under key (NULL: old's key). */
static enum act_status swap(cJSON *parent, cJSON *old, cJSON *item, const char *key)
{
    if (!item)
        return ACT_ERR_NOMEM;
    if (key) {
        if (set_key(item, key)) {
            cJSON_Delete(item);
            return ACT_ERR_NOMEM;
        }
    } else if (old->string) {
        item->string = old->string;
        item->type |= old->type & cJSON_StringIsConst;
        old->string = NULL;
    }
    cJSON_ReplaceItemViaPointer(parent, old, item);
    return ACT_OK;
}

/* Set o[k] to item (taken): in place when k is there, else appended. */
static enum act_status set(cJSON *o, const char *k, cJSON *item)
{
    cJSON *old = get(o, k);
    return old ? swap(o, old, item, NULL) : put(o, k, item);
}

static cJSON *dup(const cJSON *v)
{
    return cJSON_Duplicate(v, 1);
}

/* An object {k: v} (v taken), NULL when out of memory. */
static cJSON *obj1(const char *k, cJSON *v)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || put(o, k, v)) {
        if (!o)
            cJSON_Delete(v);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* An array [a] or, when want_b, [a, b] (both taken, either may be NULL after a failed
 * create); NULL when out of memory. */
static cJSON *arr2(cJSON *a, cJSON *b, int want_b)
{
    cJSON *r = cJSON_CreateArray();
    if (!r || !a || (want_b && !b)) {
        cJSON_Delete(r);
        cJSON_Delete(a);
        cJSON_Delete(b);
        return NULL;
    }
    cJSON_AddItemToArray(r, a); /* cannot fail: both exist */
    if (want_b)
        cJSON_AddItemToArray(r, b);
    return r;
}

/* Add schema member (taken) to s's allOf, making the array when there is none. */
static enum act_status add_all_of(cJSON *s, cJSON *member)
{
    cJSON *a = get(s, "allOf");
    if (!member)
        return ACT_ERR_NOMEM;
    if (!cJSON_IsArray(a)) {
        cJSON *n = cJSON_CreateArray();
        if (!n) {
            cJSON_Delete(member);
            return ACT_ERR_NOMEM;
        }
        if (set(s, "allOf", n)) {
            cJSON_Delete(member);
            return ACT_ERR_NOMEM;
        }
        a = n;
    }
    return push_item(a, member);
}

/* {} (anything) and {"not": {}} (nothing): the 3.0 spellings of true and false. */
static int is_true_schema(const cJSON *s)
{
    return cJSON_IsTrue(s) || (cJSON_IsObject(s) && !s->child);
}

static int is_false_schema(const cJSON *s)
{
    if (cJSON_IsFalse(s))
        return 1;
    const cJSON *n = get(s, "not");
    return cJSON_IsObject(s) && s->child == n && !n->next && is_true_schema(n);
}

/* ---- the report -------------------------------------------------------------------------- */

/* Report a loss at pointer. */
static enum act_status loss_at(struct conv *c, const char *pointer, const char *done,
                               const char *lost)
{
    if (!c->losses)
        return ACT_OK;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return ACT_ERR_NOMEM;
    if (put(o, "pointer", cJSON_CreateString(pointer)) ||
        put(o, "done", cJSON_CreateString(done)) || put(o, "lost", cJSON_CreateString(lost))) {
        cJSON_Delete(o);
        return ACT_ERR_NOMEM;
    }
    return push_item(c->losses, o);
}

/* Report a loss at the current pointer (and key below it, when given). */
static enum act_status loss(struct conv *c, const char *key, const char *done, const char *lost)
{
    if (!c->losses)
        return ACT_OK;
    struct act_buf p;
    act_buf_init(&p);
    enum act_status st = act_buf_add(&p, c->ptr.data, c->ptr.len);
    if (!st && key)
        st = act_pointer_append(&p, key);
    if (!st)
        st = loss_at(c, p.data, done, lost);
    act_buf_release(&p);
    return st;
}

/* ---- the source pointer ------------------------------------------------------------------ */

static enum act_status enter(struct conv *c, const char *key, size_t *mark)
{
    *mark = c->ptr.len;
    return act_pointer_append(&c->ptr, key);
}

static enum act_status enter_index(struct conv *c, size_t i, size_t *mark)
{
    *mark = c->ptr.len;
    return act_pointer_append_index(&c->ptr, i);
}

static void leave(struct conv *c, size_t mark)
{
    c->ptr.len = mark;
    c->ptr.data[mark] = '\0';
}

/* ---- Schema Objects: 3.1 -> 3.0 ---------------------------------------------------------- */

static enum act_status schema(struct conv *c, cJSON *parent, cJSON **node);

/* The keywords whose value is one schema, an array of schemas, a map of them. */
static const char *const one_kw[] = {"items",
                                     "not",
                                     "if",
                                     "then",
                                     "else",
                                     "contains",
                                     "unevaluatedItems",
                                     "additionalProperties",
                                     "unevaluatedProperties",
                                     NULL};
static const char *const many_kw[] = {"allOf", "anyOf", "oneOf", "prefixItems", NULL};
static const char *const map_kw[] = {"properties", "patternProperties", "dependentSchemas", "$defs",
                                     NULL};
/* 3.0's own: the only ones a 3.0 schema's children are under. */
static const char *const one_kw30[] = {"items", "not", "additionalProperties", NULL};
static const char *const many_kw30[] = {"allOf", "anyOf", "oneOf", NULL};
static const char *const map_kw30[] = {"properties", NULL};

static int in_list(const char *k, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(k, list[i]) == 0)
            return 1;
    return 0;
}

/* Each member of the map o[key] (properties, components/schemas, ...) as a schema. */
static enum act_status schema_map(struct conv *c, cJSON *o, const char *key)
{
    cJSON *map = get(o, key);
    if (!cJSON_IsObject(map))
        return ACT_OK;
    size_t mark, mark2;
    TRY(enter(c, key, &mark));
    for (cJSON *e = map->child; e; e = e->next) {
        TRY(enter(c, e->string, &mark2));
        enum act_status st = schema(c, map, &e);
        leave(c, mark2);
        TRY(st);
    }
    leave(c, mark);
    return ACT_OK;
}

/* The subschemas of s, each converted. */
static enum act_status children(struct conv *c, cJSON *s)
{
    const char *const *one = c->down ? one_kw : one_kw30;
    const char *const *many = c->down ? many_kw : many_kw30;
    const char *const *map = c->down ? map_kw : map_kw30;
    for (cJSON *m = s->child; m; m = m->next) {
        size_t mark;
        if (in_list(m->string, one)) {
            /* additionalProperties (and what may become it) keeps its booleans */
            if (cJSON_IsBool(m) && (strcmp(m->string, "additionalProperties") == 0 ||
                                    strcmp(m->string, "unevaluatedProperties") == 0))
                continue;
            /* items beside prefixItems, unevaluatedItems: their rules read the booleans */
            if (cJSON_IsBool(m) && ((strcmp(m->string, "items") == 0 && has(s, "prefixItems")) ||
                                    strcmp(m->string, "unevaluatedItems") == 0))
                continue;
            TRY(enter(c, m->string, &mark));
            enum act_status st = schema(c, s, &m);
            leave(c, mark);
            TRY(st);
        } else if (in_list(m->string, many) && cJSON_IsArray(m)) {
            TRY(enter(c, m->string, &mark));
            size_t i = 0;
            for (cJSON *e = m->child; e; e = e->next, i++) {
                size_t mark2;
                TRY(enter_index(c, i, &mark2));
                enum act_status st = schema(c, m, &e);
                leave(c, mark2);
                TRY(st);
            }
            leave(c, mark);
        } else if (in_list(m->string, map)) {
            TRY(schema_map(c, s, m->string));
        }
    }
    return ACT_OK;
}

/* "[a, b]" of a type array (or "null" of a type string), for messages; clipped to size. */
static void type_list(const cJSON *t, char *buf, size_t size)
{
    if (cJSON_IsString(t)) {
        snprintf(buf, size, "\"%.64s\"", t->valuestring);
        return;
    }
    size_t n = 0;
    buf[n++] = '[';
    for (const cJSON *e = t->child; e && n + 80 < size; e = e->next)
        n += (size_t)snprintf(buf + n, size - n, "%s%.64s", e == t->child ? "" : ", ",
                              cJSON_IsString(e) ? e->valuestring : "?");
    snprintf(buf + n, size - n, "]");
}

static enum act_status down_type(struct conv *c, cJSON *s)
{
    cJSON *t = get(s, "type");
    if (!(cJSON_IsArray(t) || (cJSON_IsString(t) && strcmp(t->valuestring, "null") == 0)))
        return ACT_OK;
    char was[256], done[512];
    type_list(t, was, sizeof(was));
    const char *names[8];
    size_t n = 0;
    int null = 0, number = 0;
    for (const cJSON *e = cJSON_IsArray(t) ? t->child : t; e;
         e = cJSON_IsArray(t) ? e->next : NULL) {
        if (!cJSON_IsString(e))
            continue;
        const char *v = e->valuestring;
        if (strcmp(v, "null") == 0) {
            null = 1;
            continue;
        }
        number |= strcmp(v, "number") == 0;
        int seen = 0;
        for (size_t i = 0; i < n; i++)
            seen |= strcmp(names[i], v) == 0;
        if (!seen && n < sizeof(names) / sizeof(names[0]))
            names[n++] = v;
    }
    if (number) { /* integer is a number: [integer, number] is number */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(names[i], "integer") != 0)
                names[k++] = names[i];
        n = k;
    }
    if (n == 0 && !null)
        return ACT_OK; /* no type name at all: not a schema 2020-12 accepts, left alone */
    if (n == 0) {
        /* only null: 3.0 has no null type; an enum of null says it */
        del(s, "type");
        TRY(set(s, "enum", arr2(cJSON_CreateNull(), NULL, 0)));
        snprintf(done, sizeof(done), "type %s became enum: [null]", was);
        return loss(c, "type", done, "the type: 3.0 has no null type");
    }
    if (n == 1) {
        char *one = act_strdup(names[0]);
        if (!one)
            return ACT_ERR_NOMEM;
        enum act_status st = swap(s, t, cJSON_CreateString(one), NULL);
        act_free(one);
        TRY(st);
        if (null)
            TRY(set(s, "nullable", cJSON_CreateTrue()));
        snprintf(done, sizeof(done),
                 null ? "type %s became type \"%s\" with nullable: true"
                      : "type %s became type \"%s\"",
                 was, get(s, "type")->valuestring);
        return loss(c, "type", done, "nothing: the same values are valid");
    }
    cJSON *any = cJSON_CreateArray();
    if (!any)
        return ACT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        cJSON *m = obj1("type", cJSON_CreateString(names[i]));
        if (m && null && i == 0 && put(m, "nullable", cJSON_CreateTrue())) {
            cJSON_Delete(m);
            m = NULL;
        }
        if (push_item(any, m)) {
            cJSON_Delete(any);
            return ACT_ERR_NOMEM;
        }
    }
    del(s, "type");
    if (has(s, "anyOf"))
        TRY(add_all_of(s, obj1("anyOf", any)));
    else
        TRY(put(s, "anyOf", any));
    snprintf(done, sizeof(done), "type %s became anyOf with one schema per type%s", was,
             null ? " (the first nullable)" : "");
    return loss(c, "type", done,
                "the single type: tools that read only `type` see none (the same values "
                "are valid)");
}

static enum act_status down_bound(struct conv *c, cJSON *s, const char *ex, const char *inc,
                                  int lower)
{
    cJSON *e = get(s, ex);
    if (!cJSON_IsNumber(e))
        return ACT_OK;
    cJSON *m = get(s, inc);
    char done[256];
    double v = e->valuedouble;
    if (cJSON_IsNumber(m) && (lower ? m->valuedouble > v : m->valuedouble < v)) {
        /* the inclusive bound is the stricter one: the exclusive one says nothing more */
        snprintf(done, sizeof(done), "%s: %.17g dropped (%s: %.17g is stricter)", ex, v, inc,
                 m->valuedouble);
        del(s, ex);
        return loss(c, ex, done, "nothing: the same values are valid");
    }
    TRY(set(s, inc, cJSON_CreateNumber(v)));
    TRY(set(s, ex, cJSON_CreateTrue()));
    snprintf(done, sizeof(done), "%s: %.17g became %s: %.17g with %s: true", ex, v, inc, v, ex);
    return loss(c, ex, done, "nothing: the same values are valid");
}

static enum act_status down_items(struct conv *c, cJSON *s)
{
    cJSON *pi = get(s, "prefixItems");
    if (!cJSON_IsArray(pi))
        return ACT_OK;
    cJSON *items = get(s, "items");
    int n = cJSON_GetArraySize(pi), any = 0, closed = items && is_false_schema(items);
    cJSON *members = cJSON_CreateArray();
    if (!members)
        return ACT_ERR_NOMEM;
    for (cJSON *e = pi->child; e; e = e->next) {
        any |= is_true_schema(e);
        int seen = 0; /* [number, number] is number */
        for (cJSON *f = members->child; f && !seen; f = f->next)
            seen = cJSON_Compare(f, e, 1);
        if (!seen && push_item(members, dup(e))) {
            cJSON_Delete(members);
            return ACT_ERR_NOMEM;
        }
    }
    int items_seen = 0;
    for (cJSON *f = members->child; f && items && !items_seen; f = f->next)
        items_seen = cJSON_Compare(f, items, 1);
    if (items && !closed) {
        any |= is_true_schema(items);
        if (!items_seen && push_item(members, dup(items))) {
            cJSON_Delete(members);
            return ACT_ERR_NOMEM;
        }
    } else if (!items) {
        any = 1; /* the items after the prefix are free */
    }
    cJSON *u;
    if (any || !members->child) {
        cJSON_Delete(members);
        u = cJSON_CreateObject();
    } else if (!members->child->next) {
        u = cJSON_DetachItemViaPointer(members, members->child);
        cJSON_Delete(members);
    } else {
        u = obj1("anyOf", members);
    }
    TRY(set(s, "items", u));
    if (closed) {
        cJSON *mx = get(s, "maxItems");
        if (!cJSON_IsNumber(mx) || mx->valuedouble > n)
            TRY(set(s, "maxItems", cJSON_CreateNumber(n)));
    }
    del(s, "prefixItems");
    char done[256];
    snprintf(done, sizeof(done), "prefixItems (%d position%s) became items: %s%s", n,
             n == 1 ? "" : "s",
             any ? "{} (any item)" : "the union (anyOf) of the positions' schemas",
             closed ? ", and items: false became maxItems" : "");
    return loss(c, "prefixItems", done,
                "the tuple order: each item is checked against the union, not against the "
                "schema of its position");
}

static enum act_status down_contains(struct conv *c, cJSON *s)
{
    cJSON *ct = get(s, "contains");
    if (!ct)
        return ACT_OK;
    cJSON *mn = get(s, "minContains"), *mx = get(s, "maxContains");
    double min = cJSON_IsNumber(mn) ? mn->valuedouble : 1;
    const char *lost = "nothing: the same values are valid";
    if (min != 1 || mx)
        lost = "minContains/maxContains: only \"at least one item matches\" is kept";
    if (min > 0) {
        /* some item matches ct = not every item fails it; a non-array passes contains */
        cJSON *m = obj1("not", obj1("items", obj1("not", dup(ct))));
        cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
        if (m && !(cJSON_IsString(t) && strcmp(t->valuestring, "array") == 0)) {
            cJSON *arr = obj1("type", cJSON_CreateString("array"));
            if (arr && put(arr, "items", cJSON_CreateObject())) {
                cJSON_Delete(arr);
                arr = NULL;
            }
            m = obj1("anyOf", arr2(obj1("not", arr), m, 1));
        }
        TRY(add_all_of(s, m));
    } else if (!mx) {
        lost = "nothing: minContains: 0 admits every array";
    }
    del(s, "contains");
    del(s, "minContains");
    del(s, "maxContains");
    return loss(c, "contains",
                min > 0 ? "contains became allOf: [not: {items: {not: <contains>}}]"
                        : "contains dropped",
                lost);
}

static enum act_status down_if(struct conv *c, cJSON *s)
{
    cJSON *i = cJSON_DetachItemFromObjectCaseSensitive(s, "if");
    cJSON *t = cJSON_DetachItemFromObjectCaseSensitive(s, "then");
    cJSON *e = cJSON_DetachItemFromObjectCaseSensitive(s, "else");
    enum act_status st = ACT_OK;
    if (!i || (!t && !e)) {
        /* then/else without if, or if alone, constrain nothing */
        if (i || t || e)
            st = loss(c,
                      i   ? "if"
                      : t ? "then"
                          : "else",
                      "dropped (without both a condition and a branch it checks nothing)",
                      "nothing: the same values are valid");
        cJSON_Delete(i);
        cJSON_Delete(t);
        cJSON_Delete(e);
        return st;
    }
    /* (if and then) or (not if and else) */
    cJSON *yes = t ? obj1("allOf", arr2(dup(i), t, 1)) : dup(i);
    cJSON *no = e ? obj1("allOf", arr2(obj1("not", i), e, 1)) : obj1("not", i);
    TRY(add_all_of(s, obj1("anyOf", arr2(yes, no, 1))));
    return loss(c, "if", "if/then/else became anyOf: [allOf: [if, then], allOf: [not: if, else]]",
                "nothing: the same values are valid (readers see the condition spelled out)");
}

static enum act_status down_dependent(struct conv *c, cJSON *s)
{
    cJSON *dr = get(s, "dependentRequired"), *ds = get(s, "dependentSchemas");
    for (int k = 0; k < 2; k++) {
        cJSON *d = k ? ds : dr;
        if (!cJSON_IsObject(d))
            continue;
        for (cJSON *m = d->child; m; m = m->next) {
            if (!k && (!cJSON_IsArray(m) || !m->child))
                continue;
            cJSON *absent =
                obj1("not", obj1("required", arr2(cJSON_CreateString(m->string), NULL, 0)));
            cJSON *then = k ? dup(m) : obj1("required", dup(m));
            TRY(add_all_of(s, obj1("anyOf", arr2(absent, then, 1))));
        }
        del(s, k ? "dependentSchemas" : "dependentRequired");
        TRY(loss(c, k ? "dependentSchemas" : "dependentRequired",
                 k ? "dependentSchemas became allOf: [anyOf: [not: {required: [name]}, schema]]"
                   : "dependentRequired became allOf: [anyOf: [not: {required: [name]}, "
                     "{required: [...]}]]",
                 "nothing: the same values are valid"));
    }
    return ACT_OK;
}

/* Applicators: keywords after which unevaluated* differ from additional*. */
static int has_applicators(const cJSON *s)
{
    static const char *const kw[] = {
        "allOf", "anyOf", "oneOf", "not", "if", "$ref", "$dynamicRef", "dependentSchemas", NULL};
    for (size_t i = 0; kw[i]; i++)
        if (has(s, kw[i]))
            return 1;
    return 0;
}

static enum act_status down_unevaluated(struct conv *c, cJSON *s, int applicators)
{
    cJSON *up = get(s, "unevaluatedProperties");
    if (up) {
        if (!applicators && !has(s, "additionalProperties") && !has(s, "patternProperties")) {
            TRY(set_key(up, "additionalProperties"));
            TRY(loss(c, "unevaluatedProperties",
                     "became additionalProperties (no subschema evaluates properties here, so "
                     "they mean the same)",
                     "nothing: the same values are valid"));
        } else {
            del(s, "unevaluatedProperties");
            TRY(loss(c, "unevaluatedProperties", "dropped",
                     "stricter checking: properties no other keyword evaluated are no longer "
                     "checked"));
        }
    }
    cJSON *ui = get(s, "unevaluatedItems");
    if (ui) {
        if (!applicators && !has(s, "items") && !has(s, "prefixItems") && !has(s, "contains")) {
            if (is_true_schema(ui))
                del(s, "unevaluatedItems");
            else if (cJSON_IsFalse(ui))
                TRY(swap(s, ui, obj1("not", cJSON_CreateObject()), "items"));
            else
                TRY(set_key(ui, "items"));
            TRY(loss(c, "unevaluatedItems",
                     "became items (no subschema evaluates items here, so they mean the same)",
                     "nothing: the same values are valid"));
        } else {
            del(s, "unevaluatedItems");
            TRY(loss(c, "unevaluatedItems", "dropped",
                     "stricter checking: items no other keyword evaluated are no longer checked"));
        }
    }
    return ACT_OK;
}

static enum act_status down_pattern_props(struct conv *c, cJSON *s)
{
    cJSON *pp = get(s, "patternProperties");
    if (cJSON_IsObject(pp)) {
        cJSON *ap = get(s, "additionalProperties");
        const char *done = "dropped";
        if (pp->child && (cJSON_IsFalse(ap) || cJSON_IsObject(ap))) {
            /* additionalProperties now also covers what the patterns matched */
            cJSON *u = cJSON_CreateArray();
            int any = 0;
            if (!u)
                return ACT_ERR_NOMEM;
            if (cJSON_IsObject(ap) && push_item(u, dup(ap))) {
                cJSON_Delete(u);
                return ACT_ERR_NOMEM;
            }
            for (cJSON *m = pp->child; m; m = m->next) {
                any |= is_true_schema(m);
                if (push_item(u, dup(m))) {
                    cJSON_Delete(u);
                    return ACT_ERR_NOMEM;
                }
            }
            if (any) {
                cJSON_Delete(u);
                del(s, "additionalProperties");
            } else {
                TRY(set(s, "additionalProperties", obj1("anyOf", u)));
            }
            done = "dropped; additionalProperties now admits a value of any of its schemas";
        }
        del(s, "patternProperties");
        TRY(loss(c, "patternProperties", done,
                 "the property-name patterns: 3.0 cannot tie a schema to a name pattern"));
    }
    if (has(s, "propertyNames")) {
        del(s, "propertyNames");
        TRY(loss(c, "propertyNames", "dropped", "the rule on property names"));
    }
    return ACT_OK;
}

static enum act_status down_content(struct conv *c, cJSON *s)
{
    cJSON *enc = get(s, "contentEncoding");
    if (enc) {
        int b64 = cJSON_IsString(enc) && strcmp(enc->valuestring, "base64") == 0;
        if (b64 && !has(s, "format"))
            TRY(put(s, "format", cJSON_CreateString("byte")));
        del(s, "contentEncoding");
        TRY(loss(c, "contentEncoding", b64 ? "became format: byte" : "dropped",
                 b64 ? "nothing" : "the encoding annotation"));
    }
    static const char *const ann[] = {"contentMediaType", "contentSchema", NULL};
    for (size_t i = 0; ann[i]; i++)
        if (has(s, ann[i])) {
            del(s, ann[i]);
            TRY(loss(c, ann[i], "dropped", "an annotation of the string's content"));
        }
    return ACT_OK;
}

/* A components/schemas name for a moved $defs entry: key's characters a name can hold,
 * "_2", "_3", ... when taken. */
static enum act_status def_name(struct conv *c, const char *key, struct act_buf *name)
{
    const cJSON *schemas = get(get(c->root, "components"), "schemas");
    for (const char *p = key; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '-' || ch == '_';
        TRY(act_buf_addc(name, ok ? ch : '_'));
    }
    if (!name->len)
        TRY(act_buf_adds(name, "def"));
    size_t base = name->len;
    for (unsigned k = 2; has(schemas, name->data) || has(c->defs, name->data); k++) {
        name->len = base;
        name->data[base] = '\0';
        TRY(act_buf_printf(name, "_%u", k));
    }
    return ACT_OK;
}

static enum act_status down_defs(struct conv *c, cJSON *s)
{
    cJSON *d = get(s, "$defs");
    if (!d)
        return ACT_OK;
    if (!cJSON_IsObject(d)) {
        del(s, "$defs");
        return ACT_OK;
    }
    while (d->child) {
        cJSON *m = d->child;
        struct act_buf name, from, to;
        act_buf_init(&name);
        act_buf_init(&from);
        act_buf_init(&to);
        enum act_status st = def_name(c, m->string, &name);
        if (!st)
            st = act_buf_add(&from, c->ptr.data, c->ptr.len);
        if (!st)
            st = act_pointer_append(&from, "$defs");
        if (!st)
            st = act_pointer_append(&from, m->string);
        if (!st)
            st = act_buf_printf(&to, "/components/schemas/%s", name.data);
        if (!st)
            st = ACT_GROW(c->moved, c->cap_moved, c->n_moved + 1, 8);
        char done[ACT_ERROR_MSG_MAX];
        if (!st) {
            snprintf(done, sizeof(done), "moved to %s", to.data);
            st = loss_at(c, from.data, done, "nothing: the $refs to it now name its new place");
        }
        if (!st) {
            cJSON_DetachItemViaPointer(d, m);
            st = put(c->defs, name.data, m);
        }
        if (!st) {
            c->moved[c->n_moved].from = act_buf_detach(&from, NULL);
            c->moved[c->n_moved].to = act_buf_detach(&to, NULL);
            if (!c->moved[c->n_moved].from || !c->moved[c->n_moved].to) {
                act_free(c->moved[c->n_moved].from);
                act_free(c->moved[c->n_moved].to);
                st = ACT_ERR_NOMEM;
            } else {
                c->n_moved++;
            }
        }
        act_buf_release(&name);
        act_buf_release(&from);
        act_buf_release(&to);
        TRY(st);
    }
    del(s, "$defs");
    return ACT_OK;
}

/* Documentation only: may stand beside a $ref in 3.0 (where it is ignored) harmlessly. */
static int is_annotation(const char *k)
{
    static const char *const ann[] = {"description", "title",      "summary", "example",
                                      "examples",    "deprecated", "default", "externalDocs",
                                      "xml",         "$comment",   NULL};
    return strncmp(k, "x-", 2) == 0 || in_list(k, ann);
}

static enum act_status down_ref(struct conv *c, cJSON *s)
{
    cJSON *r = get(s, "$ref");
    if (!cJSON_IsString(r) || (s->child == r && !r->next))
        return ACT_OK;
    int only_ann = 1;
    for (cJSON *m = s->child; m; m = m->next)
        if (m != r && !is_annotation(m->string))
            only_ann = 0;
    if (only_ann)
        return loss(c, "$ref", "kept its sibling annotations beside the $ref",
                    "their effect: 3.0 ignores the siblings of a $ref, so they are documentation "
                    "only");
    cJSON_DetachItemViaPointer(s, r);
    cJSON *ref = obj1("$ref", r);
    cJSON *all = get(s, "allOf");
    if (cJSON_IsArray(all)) {
        if (!ref || !cJSON_InsertItemInArray(all, 0, ref)) {
            cJSON_Delete(ref);
            return ACT_ERR_NOMEM;
        }
    } else {
        TRY(add_all_of(s, ref));
    }
    return loss(c, "$ref", "$ref with sibling keywords became allOf: [{$ref}] beside them",
                "nothing: the same values are valid");
}

/* The keywords of 2020-12 that 3.0 has no use for, dropped (what else is lost). */
static enum act_status down_identifiers(struct conv *c, cJSON *s)
{
    static const char *const ids[] = {"$schema",        "$id",         "$anchor",
                                      "$dynamicAnchor", "$vocabulary", NULL};
    if (has(s, "nullable")) {
        del(s, "nullable");
        TRY(loss(c, "nullable", "dropped",
                 "nothing: nullable is no keyword of 3.1 (it had no effect there)"));
    }
    for (size_t i = 0; ids[i]; i++)
        if (has(s, ids[i])) {
            del(s, ids[i]);
            TRY(loss(c, ids[i], "dropped",
                     "the identifier: $refs that name it by URI or anchor do not resolve"));
        }
    del(s, "$comment");
    cJSON *dr = get(s, "$dynamicRef");
    if (dr) {
        int as_ref = !has(s, "$ref") && cJSON_IsString(dr);
        if (as_ref)
            TRY(set_key(dr, "$ref"));
        else
            del(s, "$dynamicRef");
        TRY(loss(c, "$dynamicRef", as_ref ? "became a plain $ref" : "dropped",
                 "the dynamic scope: the reference no longer follows $dynamicAnchor"));
    }
    return ACT_OK;
}

static enum act_status down_examples(struct conv *c, cJSON *s)
{
    cJSON *ex = get(s, "examples");
    if (!ex)
        return ACT_OK;
    int n = cJSON_IsArray(ex) ? cJSON_GetArraySize(ex) : 0;
    if (n > 0 && !has(s, "example"))
        TRY(put(s, "example", dup(ex->child)));
    del(s, "examples");
    char lost[128];
    snprintf(lost, sizeof(lost),
             n > 2    ? "the other %d examples"
             : n == 2 ? "the other example"
                      : "nothing",
             n - 1);
    return loss(c, "examples", n ? "the first became example" : "dropped", lost);
}

static enum act_status down_schema(struct conv *c, cJSON *s)
{
    int applicators = has_applicators(s);
    TRY(down_identifiers(c, s));
    cJSON *k = get(s, "const");
    if (k) {
        del(s, "enum"); /* the const is the stricter of the two */
        TRY(swap(s, k, arr2(dup(k), NULL, 0), "enum"));
        TRY(loss(c, "const", "const became a one-value enum",
                 "nothing: the same values are valid"));
    }
    TRY(down_type(c, s));
    TRY(down_examples(c, s));
    TRY(down_bound(c, s, "exclusiveMinimum", "minimum", 1));
    TRY(down_bound(c, s, "exclusiveMaximum", "maximum", 0));
    TRY(down_unevaluated(c, s, applicators));
    TRY(down_items(c, s));
    TRY(down_contains(c, s));
    TRY(down_if(c, s));
    TRY(down_dependent(c, s));
    TRY(down_pattern_props(c, s));
    TRY(down_content(c, s));
    TRY(down_defs(c, s));
    return down_ref(c, s);
}

/* ---- Schema Objects: 3.0 -> 3.1 ---------------------------------------------------------- */

/* Keywords a 3.0 schema may carry without effect that 3.1 would evaluate. */
static const char *const only31[] = {"const",
                                     "prefixItems",
                                     "contains",
                                     "minContains",
                                     "maxContains",
                                     "if",
                                     "then",
                                     "else",
                                     "dependentRequired",
                                     "dependentSchemas",
                                     "propertyNames",
                                     "patternProperties",
                                     "unevaluatedItems",
                                     "unevaluatedProperties",
                                     "$id",
                                     "$anchor",
                                     "$dynamicRef",
                                     "$dynamicAnchor",
                                     "$schema",
                                     "$vocabulary",
                                     "contentSchema",
                                     "examples",
                                     "additionalItems",
                                     "dependencies",
                                     NULL};

static enum act_status up_schema(struct conv *c, cJSON *s)
{
    cJSON *r = get(s, "$ref");
    if (cJSON_IsString(r)) {
        /* 3.0 ignores a $ref's siblings; 3.1 would apply them: keep the documentation only */
        for (cJSON *m = s->child, *next; m; m = next) {
            next = m->next;
            if (m != r && !is_annotation(m->string)) {
                cJSON_DetachItemViaPointer(s, m);
                cJSON_Delete(m);
            }
        }
    }
    for (size_t i = 0; only31[i]; i++)
        del(s, only31[i]);
    cJSON *nl = get(s, "nullable");
    if (cJSON_IsTrue(nl)) {
        cJSON *t = get(s, "type");
        if (cJSON_IsString(t) && strcmp(t->valuestring, "null") != 0) {
            TRY(swap(s, t, arr2(cJSON_CreateString(t->valuestring), cJSON_CreateString("null"), 1),
                     NULL));
            cJSON *e = get(s, "enum");
            if (c->nullable_any && cJSON_IsArray(e)) {
                int null = 0;
                for (cJSON *m = e->child; m; m = m->next)
                    null |= cJSON_IsNull(m);
                if (!null)
                    TRY(push_item(e, cJSON_CreateNull()));
            }
        } else if (!t && c->nullable_any) {
            /* 3.0.0-3.0.2: null is admitted whatever the other keywords say */
            cJSON *rest = cJSON_CreateObject();
            if (!rest)
                return ACT_ERR_NOMEM;
            for (cJSON *m = s->child, *next; m; m = next) {
                next = m->next;
                if (!is_annotation(m->string) && strcmp(m->string, "nullable") != 0 &&
                    !cJSON_AddItemToObject(rest, m->string, cJSON_DetachItemViaPointer(s, m))) {
                    cJSON_Delete(rest);
                    return ACT_ERR_NOMEM;
                }
            }
            if (rest->child)
                TRY(put(s, "anyOf", arr2(obj1("type", cJSON_CreateString("null")), rest, 1)));
            else
                cJSON_Delete(rest);
        }
    }
    del(s, "nullable");
    cJSON *ex = get(s, "example");
    if (ex)
        TRY(swap(s, ex, arr2(dup(ex), NULL, 0), "examples"));
    static const char *const ex_kw[] = {"exclusiveMinimum", "exclusiveMaximum"};
    static const char *const inc_kw[] = {"minimum", "maximum"};
    for (int i = 0; i < 2; i++) {
        cJSON *e = get(s, ex_kw[i]), *m = get(s, inc_kw[i]);
        if (!e || cJSON_IsNumber(e))
            continue;
        if (cJSON_IsTrue(e) && cJSON_IsNumber(m)) {
            TRY(swap(s, e, cJSON_CreateNumber(m->valuedouble), NULL));
            del(s, inc_kw[i]);
        } else {
            del(s, ex_kw[i]);
        }
    }
    return ACT_OK;
}

/* ---- the walk ---------------------------------------------------------------------------- */

/* The schema *node (a member of parent): converted, booleans (3.1) spelled as objects. */
static enum act_status schema(struct conv *c, cJSON *parent, cJSON **node)
{
    if (c->depth >= ACT_MAX_DEPTH)
        return act_error_set(c->err, ACT_ERR_LIMIT, c->name, 0, 0,
                             "schemas nested deeper than %d levels", ACT_MAX_DEPTH);
    cJSON *s = *node;
    if (c->down && cJSON_IsBool(s)) {
        int t = cJSON_IsTrue(s);
        cJSON *o = t ? cJSON_CreateObject() : obj1("not", cJSON_CreateObject());
        TRY(swap(parent, s, o, NULL));
        *node = o;
        return loss(c, NULL,
                    t ? "the boolean schema true became {}"
                      : "the boolean schema false became {not: {}}",
                    "nothing: the same values are valid");
    }
    if (!cJSON_IsObject(s))
        return ACT_OK;
    c->depth++;
    enum act_status st = children(c, s);
    if (!st)
        st = c->down ? down_schema(c, s) : up_schema(c, s);
    c->depth--;
    return st;
}

/* The member key of o, when it is a schema. */
static enum act_status schema_member(struct conv *c, cJSON *o, const char *key)
{
    cJSON *m = get(o, key);
    if (!m)
        return ACT_OK;
    size_t mark;
    TRY(enter(c, key, &mark));
    enum act_status st = schema(c, o, &m);
    leave(c, mark);
    return st;
}

typedef enum act_status (*visit_fn)(struct conv *c, cJSON *node);

/* fn on each member of the map o[key]. */
static enum act_status each(struct conv *c, cJSON *o, const char *key, visit_fn fn)
{
    cJSON *map = get(o, key);
    if (!cJSON_IsObject(map))
        return ACT_OK;
    size_t mark, mark2;
    TRY(enter(c, key, &mark));
    for (cJSON *m = map->child; m; m = m->next) {
        TRY(enter(c, m->string, &mark2));
        enum act_status st = fn(c, m);
        leave(c, mark2);
        TRY(st);
    }
    leave(c, mark);
    return ACT_OK;
}

/* fn on each element of the array o[key]. */
static enum act_status each_elem(struct conv *c, cJSON *o, const char *key, visit_fn fn)
{
    cJSON *a = get(o, key);
    if (!cJSON_IsArray(a))
        return ACT_OK;
    size_t mark, mark2, i = 0;
    TRY(enter(c, key, &mark));
    for (cJSON *m = a->child; m; m = m->next, i++) {
        TRY(enter_index(c, i, &mark2));
        enum act_status st = fn(c, m);
        leave(c, mark2);
        TRY(st);
    }
    leave(c, mark);
    return ACT_OK;
}

/* The object a local reference leads to in the output, through $ref chains; NULL when
 * there is none (another file, a bad fragment, a cycle). */
static const cJSON *local_target(struct conv *c, const char *ref, enum act_status *st)
{
    const cJSON *t = NULL;
    struct act_buf p;
    act_buf_init(&p);
    for (int hop = 0; hop < ACT_MAX_REF_HOPS && ref && ref[0] == '#'; hop++) {
        *st = act_pointer_from_fragment(ref, strlen(ref), &p);
        t = *st ? NULL : act_pointer_get(c->root, p.data);
        const cJSON *next = get(t, "$ref");
        ref = cJSON_IsString(next) ? next->valuestring : NULL;
        if (!ref)
            break;
        t = NULL;
    }
    act_buf_release(&p);
    if (*st != ACT_ERR_NOMEM)
        *st = ACT_OK;
    return cJSON_IsObject(t) ? t : NULL;
}

/* 3.1 -> 3.0: a Reference Object's summary and description override the referenced
 * object's, which 3.0 cannot say: the (converted) object copied in place with them.
 * Within components, whose entries may not be converted yet, they are kept (and ignored). */
static enum act_status override(struct conv *c, cJSON *node, const char *ref)
{
    enum act_status st = ACT_OK;
    const cJSON *t = NULL;
    if (strncmp(c->ptr.data, "/components/", 12) != 0 ||
        strncmp(c->ptr.data, "/components/pathItems/", 22) == 0)
        t = local_target(c, ref, &st);
    TRY(st);
    if (!t)
        return loss(c, has(node, "summary") ? "summary" : "description", "kept beside the $ref",
                    "its effect: 3.0 ignores the siblings of a $ref, so the referenced object's "
                    "own text shows");
    cJSON *copy = dup(t);
    if (!copy)
        return ACT_ERR_NOMEM;
    static const char *const texts[] = {"summary", "description"};
    for (int i = 0; i < 2; i++) {
        cJSON *v = get(node, texts[i]);
        /* a summary only where the object has one (3.0 responses and parameters have not) */
        if (v && (i == 1 || has(copy, texts[i])) && set(copy, texts[i], dup(v))) {
            cJSON_Delete(copy);
            return ACT_ERR_NOMEM;
        }
    }
    while (node->child)
        cJSON_Delete(cJSON_DetachItemViaPointer(node, node->child));
    node->child = copy->child;
    copy->child = NULL;
    cJSON_Delete(copy);
    return loss(c, "$ref",
                "the referenced object was copied in place with the reference's summary and "
                "description",
                "nothing: the object is no longer shared there");
}

/* A Reference Object in place of a component: 1 (nothing to convert in it), else 0. */
static int reference(struct conv *c, cJSON *node, enum act_status *st)
{
    *st = ACT_OK;
    cJSON *r = get(node, "$ref");
    if (!cJSON_IsString(r))
        return 0;
    if (!has(node, "summary") && !has(node, "description"))
        return 1;
    if (!c->down) {
        /* 3.0 ignores them; 3.1 would show them in place of the referenced object's */
        del(node, "summary");
        del(node, "description");
        return 1;
    }
    char *ref = act_strdup(r->valuestring);
    *st = ref ? override(c, node, ref) : ACT_ERR_NOMEM;
    act_free(ref);
    return 1;
}

static enum act_status header(struct conv *c, cJSON *h);

static enum act_status encoding(struct conv *c, cJSON *e)
{
    return each(c, e, "headers", header);
}

static enum act_status media(struct conv *c, cJSON *m)
{
    TRY(schema_member(c, m, "schema"));
    return each(c, m, "encoding", encoding);
}

static enum act_status header(struct conv *c, cJSON *h)
{
    enum act_status st;
    if (reference(c, h, &st))
        return st;
    TRY(schema_member(c, h, "schema"));
    return each(c, h, "content", media);
}

static enum act_status parameter(struct conv *c, cJSON *p)
{
    return header(c, p);
}

static enum act_status request_body(struct conv *c, cJSON *b)
{
    enum act_status st;
    if (reference(c, b, &st))
        return st;
    return each(c, b, "content", media);
}

static enum act_status response(struct conv *c, cJSON *r)
{
    enum act_status st;
    if (reference(c, r, &st))
        return st;
    TRY(each(c, r, "headers", header));
    return each(c, r, "content", media);
}

static enum act_status simple_ref(struct conv *c, cJSON *o)
{
    enum act_status st;
    reference(c, o, &st);
    return st;
}

static enum act_status path_item(struct conv *c, cJSON *p);

static enum act_status callback(struct conv *c, cJSON *cb)
{
    enum act_status st;
    if (reference(c, cb, &st))
        return st;
    size_t mark;
    for (cJSON *m = cb->child; m; m = m->next) {
        TRY(enter(c, m->string, &mark));
        st = path_item(c, m);
        leave(c, mark);
        TRY(st);
    }
    return ACT_OK;
}

/* 3.1 -> 3.0: a security requirement's roles are for OAuth 2 and OpenID Connect only. */
static enum act_status requirement(struct conv *c, cJSON *req)
{
    const cJSON *schemes = get(get(c->root, "components"), "securitySchemes");
    size_t mark;
    for (cJSON *m = cJSON_IsObject(req) ? req->child : NULL; m; m = m->next) {
        const cJSON *type = get(get(schemes, m->string), "type");
        int scoped = cJSON_IsString(type) && (strcmp(type->valuestring, "oauth2") == 0 ||
                                              strcmp(type->valuestring, "openIdConnect") == 0);
        if (scoped || !cJSON_IsArray(m) || !m->child)
            continue;
        while (m->child) {
            cJSON *e = cJSON_DetachItemViaPointer(m, m->child);
            cJSON_Delete(e);
        }
        TRY(enter(c, m->string, &mark));
        enum act_status st = loss(c, NULL, "its roles were removed",
                                  "the roles: 3.0 lists scopes for OAuth 2 and OpenID Connect "
                                  "schemes only");
        leave(c, mark);
        TRY(st);
    }
    return ACT_OK;
}

static enum act_status operation(struct conv *c, cJSON *op)
{
    TRY(each_elem(c, op, "parameters", parameter));
    cJSON *rb = get(op, "requestBody");
    if (rb) {
        size_t mark;
        TRY(enter(c, "requestBody", &mark));
        enum act_status st = request_body(c, rb);
        leave(c, mark);
        TRY(st);
    }
    TRY(each(c, op, "responses", response));
    TRY(each(c, op, "callbacks", callback));
    if (c->down) {
        TRY(each_elem(c, op, "security", requirement));
        if (!has(op, "responses")) {
            /* 3.0 requires responses; 3.1 lets an operation leave them unsaid */
            cJSON *r = obj1("default", obj1("description", cJSON_CreateString("any response")));
            TRY(put(op, "responses", r));
        }
    }
    return ACT_OK;
}

static enum act_status path_item(struct conv *c, cJSON *p)
{
    if (!cJSON_IsObject(p))
        return ACT_OK;
    cJSON *r = get(p, "$ref");
    if (c->down && cJSON_IsString(r) &&
        strncmp(r->valuestring, "#/components/pathItems/", 23) == 0) {
        /* 3.0 has no path items in components: the (converted) path item in place */
        struct act_buf ptr;
        act_buf_init(&ptr);
        enum act_status st =
            act_pointer_from_fragment(r->valuestring, strlen(r->valuestring), &ptr);
        if (st == ACT_ERR_NOMEM) {
            act_buf_release(&ptr);
            return st;
        }
        const cJSON *target = st ? NULL : act_pointer_get(c->root, ptr.data);
        act_buf_release(&ptr);
        if (cJSON_IsObject(target) && !has(target, "$ref")) {
            cJSON *copy = dup(target);
            if (!copy)
                return ACT_ERR_NOMEM;
            cJSON_Delete(cJSON_DetachItemViaPointer(p, r));
            for (cJSON *m = copy->child; m; m = m->next)
                if (!has(p, m->string) && put(p, m->string, dup(m))) {
                    cJSON_Delete(copy);
                    return ACT_ERR_NOMEM;
                }
            cJSON_Delete(copy);
            return loss(c, "$ref", "the path item of components/pathItems was copied in place",
                        "nothing: the same operations are here");
        }
    }
    if (cJSON_IsString(r))
        return ACT_OK;
    TRY(each_elem(c, p, "parameters", parameter));
    size_t mark;
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        cJSON *op = get(p, methods[i]);
        if (!cJSON_IsObject(op))
            continue;
        TRY(enter(c, methods[i], &mark));
        enum act_status st = operation(c, op);
        leave(c, mark);
        TRY(st);
    }
    return ACT_OK;
}

static enum act_status components(struct conv *c, cJSON *comps)
{
    TRY(schema_map(c, comps, "schemas"));
    TRY(each(c, comps, "responses", response));
    TRY(each(c, comps, "parameters", parameter));
    TRY(each(c, comps, "examples", simple_ref));
    TRY(each(c, comps, "requestBodies", request_body));
    TRY(each(c, comps, "headers", header));
    TRY(each(c, comps, "securitySchemes", simple_ref));
    TRY(each(c, comps, "links", simple_ref));
    TRY(each(c, comps, "callbacks", callback));
    return ACT_OK;
}

/* The requirements of the list that name the scheme name go. */
static void drop_requirements(cJSON *list, const char *name)
{
    for (cJSON *r = cJSON_IsArray(list) ? list->child : NULL, *next; r; r = next) {
        next = r->next;
        if (has(r, name))
            cJSON_Delete(cJSON_DetachItemViaPointer(list, r));
    }
}

/* 3.1 -> 3.0: what the document level of 3.0 has not got. */
static enum act_status down_document(struct conv *c)
{
    cJSON *root = c->root;
    size_t mark;
    cJSON *info = get(root, "info");
    TRY(enter(c, "info", &mark));
    if (has(info, "summary")) {
        del(info, "summary");
        TRY(loss(c, "summary", "dropped", "the API's summary (3.0 has description only)"));
    }
    cJSON *lic = get(info, "license");
    cJSON *id = get(lic, "identifier");
    if (id) {
        size_t mark2;
        TRY(enter(c, "license", &mark2));
        char done[ACT_ERROR_MSG_MAX];
        if (cJSON_IsString(id) && !has(lic, "url")) {
            struct act_buf url;
            act_buf_init(&url);
            if (act_buf_printf(&url, "https://spdx.org/licenses/%s.html", id->valuestring) ||
                put(lic, "url", cJSON_CreateString(url.data))) {
                act_buf_release(&url);
                return ACT_ERR_NOMEM;
            }
            snprintf(done, sizeof(done), "became url: %s", url.data);
            act_buf_release(&url);
        } else {
            snprintf(done, sizeof(done), "dropped (the license has a url)");
        }
        del(lic, "identifier");
        TRY(loss(c, "identifier", done, "the SPDX identifier as a field of its own"));
        leave(c, mark2);
    }
    leave(c, mark);
    cJSON *dialect = get(root, "jsonSchemaDialect");
    if (dialect) {
        int base =
            cJSON_IsString(dialect) &&
            strcmp(dialect->valuestring, "https://spec.openapis.org/oas/3.1/dialect/base") == 0;
        del(root, "jsonSchemaDialect");
        TRY(loss(c, "jsonSchemaDialect", "dropped",
                 base ? "nothing: it named the OpenAPI default dialect"
                      : "the dialect its schemas declared: 3.0 schemas are OpenAPI's own"));
    }
    cJSON *wh = get(root, "webhooks");
    if (wh) {
        char lost[256];
        int n = cJSON_IsObject(wh) ? cJSON_GetArraySize(wh) : 0;
        snprintf(lost, sizeof(lost), "the %d webhook%s: 3.0 has no webhooks", n, n == 1 ? "" : "s");
        del(root, "webhooks");
        TRY(loss(c, "webhooks", "dropped", lost));
    }
    if (!has(root, "paths"))
        TRY(put(root, "paths", cJSON_CreateObject()));
    TRY(each_elem(c, root, "security", requirement));
    /* mutualTLS: no such security scheme in 3.0 */
    cJSON *schemes = get(get(root, "components"), "securitySchemes");
    for (cJSON *m = cJSON_IsObject(schemes) ? schemes->child : NULL, *next; m; m = next) {
        next = m->next;
        const cJSON *t = get(m, "type");
        if (!cJSON_IsString(t) || strcmp(t->valuestring, "mutualTLS") != 0)
            continue;
        TRY(enter(c, "components", &mark));
        size_t m2, m3;
        TRY(enter(c, "securitySchemes", &m2));
        TRY(enter(c, m->string, &m3));
        enum act_status st = loss(c, NULL, "dropped (and the security requirements naming it)",
                                  "the mutual TLS scheme: 3.0 has none");
        leave(c, mark);
        TRY(st);
        cJSON_DetachItemViaPointer(schemes, m);
        /* the requirements naming it, at the top and in operations */
        drop_requirements(get(root, "security"), m->string);
        cJSON *paths = get(root, "paths");
        for (cJSON *p = cJSON_IsObject(paths) ? paths->child : NULL; p; p = p->next)
            for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
                drop_requirements(get(get(p, methods[i]), "security"), m->string);
        cJSON_Delete(m);
    }
    return ACT_OK;
}

/* 3.1 -> 3.0: components/pathItems, used in place by now, go. */
static enum act_status down_path_items(struct conv *c)
{
    cJSON *comps = get(c->root, "components");
    cJSON *pi = get(comps, "pathItems");
    if (!pi)
        return ACT_OK;
    size_t mark, mark2;
    TRY(enter(c, "components", &mark));
    TRY(enter(c, "pathItems", &mark2));
    for (cJSON *m = cJSON_IsObject(pi) ? pi->child : NULL; m; m = m->next)
        TRY(loss(c, m->string, "removed from components (its uses are copied in place)",
                 "the reusable path item: 3.0 has no path items in components"));
    leave(c, mark);
    del(comps, "pathItems");
    return ACT_OK;
}

/* The $refs (and discriminator mappings) that named a moved $defs entry name its new place. */
static enum act_status rewrite_refs(struct conv *c, cJSON *node, int mapping)
{
    for (cJSON *m = node->child; m; m = m->next) {
        if (cJSON_IsString(m) && m->valuestring[0] == '#' &&
            (mapping || (m->string && strcmp(m->string, "$ref") == 0))) {
            struct act_buf p;
            act_buf_init(&p);
            enum act_status st0 =
                act_pointer_from_fragment(m->valuestring, strlen(m->valuestring), &p);
            if (st0) {
                act_buf_release(&p);
                if (st0 == ACT_ERR_NOMEM)
                    return st0;
                continue; /* a malformed fragment: left for lint to report */
            }
            size_t best = 0, best_len = 0;
            for (size_t i = 0; i < c->n_moved; i++) {
                size_t n = strlen(c->moved[i].from);
                if (n > best_len && strncmp(p.data, c->moved[i].from, n) == 0 &&
                    (p.data[n] == '\0' || p.data[n] == '/'))
                    best = i, best_len = n;
            }
            if (best_len) {
                struct act_buf r;
                act_buf_init(&r);
                enum act_status st = act_buf_printf(&r, "#%s", c->moved[best].to);
                /* the rest of the pointer, its characters safe in a fragment */
                for (const char *q = p.data + best_len; !st && *q; q++) {
                    unsigned char ch = (unsigned char)*q;
                    if (ch < 0x21 || ch >= 0x7f || strchr("%\"<>\\^`{|}#", ch))
                        st = act_buf_printf(&r, "%%%02X", ch);
                    else
                        st = act_buf_addc(&r, (char)ch);
                }
                if (!st && !cJSON_SetValuestring(m, r.data))
                    st = ACT_ERR_NOMEM;
                act_buf_release(&r);
                act_buf_release(&p);
                TRY(st);
                continue;
            }
            act_buf_release(&p);
        } else if (cJSON_IsObject(m) || cJSON_IsArray(m)) {
            TRY(rewrite_refs(c, m, m->string && strcmp(m->string, "mapping") == 0));
        }
    }
    return ACT_OK;
}

static enum act_status walk_document(struct conv *c)
{
    cJSON *root = c->root;
    size_t mark;
    cJSON *comps = get(root, "components");
    /* components first, then their path items: what paths copy is converted already */
    if (cJSON_IsObject(comps)) {
        TRY(enter(c, "components", &mark));
        enum act_status st = components(c, comps);
        if (!st && c->down)
            st = each(c, comps, "pathItems", path_item);
        leave(c, mark);
        TRY(st);
    }
    TRY(each(c, root, "paths", path_item));
    if (!c->down)
        return ACT_OK;
    TRY(down_document(c));
    TRY(down_path_items(c));
    if (c->defs->child) {
        comps = get(root, "components");
        if (!comps && put(root, "components", comps = cJSON_CreateObject()))
            return ACT_ERR_NOMEM;
        cJSON *schemas = get(comps, "schemas");
        if (!cJSON_IsObject(schemas)) {
            if (schemas)
                del(comps, "schemas");
            TRY(put(comps, "schemas", schemas = cJSON_CreateObject()));
        }
        while (c->defs->child) {
            cJSON *m = cJSON_DetachItemViaPointer(c->defs, c->defs->child);
            /* the key moves with the item: the object takes it as it is */
            cJSON_AddItemToArray(schemas, m);
        }
        TRY(rewrite_refs(c, root, 0));
    }
    return ACT_OK;
}

static enum act_status convert(const cJSON *root, const char *name, int down, cJSON **out,
                               cJSON *losses, struct act_error *err)
{
    *out = NULL;
    if (!cJSON_IsObject(root))
        return act_error_set(err, ACT_ERR_INVALID, name, 0, 0,
                             "cannot convert: the document is not an object");
    struct conv c = {0};
    c.down = down;
    c.losses = losses;
    c.name = name;
    c.err = err;
    act_buf_init(&c.ptr);
    const cJSON *v = get(root, "openapi");
    c.nullable_any = cJSON_IsString(v) && strncmp(v->valuestring, "3.0.", 4) == 0 &&
                     v->valuestring[4] >= '0' && v->valuestring[4] <= '2' &&
                     !(v->valuestring[5] >= '0' && v->valuestring[5] <= '9');
    c.root = dup(root);
    c.defs = cJSON_CreateObject();
    enum act_status st = c.root && c.defs ? ACT_OK : ACT_ERR_NOMEM;
    if (!st)
        st = set(c.root, "openapi", cJSON_CreateString(down ? "3.0.3" : "3.1.0"));
    if (!st)
        st = walk_document(&c);
    for (size_t i = 0; i < c.n_moved; i++) {
        act_free(c.moved[i].from);
        act_free(c.moved[i].to);
    }
    act_free(c.moved);
    cJSON_Delete(c.defs);
    act_buf_release(&c.ptr);
    if (st) {
        cJSON_Delete(c.root);
        if (st == ACT_ERR_NOMEM)
            act_error_set(err, st, name, 0, 0, "out of memory");
        return st;
    }
    *out = c.root;
    return ACT_OK;
}

enum act_status act_convert_31_to_30(const cJSON *root, const char *name, cJSON **out,
                                     cJSON *losses, struct act_error *err)
{
    return convert(root, name, 1, out, losses, err);
}

enum act_status act_convert_30_to_31(const cJSON *root, const char *name, cJSON **out,
                                     struct act_error *err)
{
    return convert(root, name, 0, out, NULL, err);
}

enum act_oas_version act_oas_version_of(const cJSON *root)
{
    const cJSON *s = get(root, "swagger"), *o = get(root, "openapi");
    if (cJSON_IsString(s) && strcmp(s->valuestring, "2.0") == 0)
        return ACT_OAS_20;
    if (!cJSON_IsString(o))
        return ACT_OAS_UNKNOWN;
    if (strncmp(o->valuestring, "3.0.", 4) == 0 && o->valuestring[4])
        return ACT_OAS_30;
    if (strncmp(o->valuestring, "3.1.", 4) == 0 && o->valuestring[4])
        return ACT_OAS_31;
    return ACT_OAS_UNKNOWN;
}

enum act_status act_convert_spec(struct act_docset *ds, struct act_doc *root,
                                 enum act_oas_version to, cJSON **out, cJSON *losses,
                                 struct act_error *err)
{
    *out = NULL;
    enum act_oas_version from = act_oas_version_of(root->root);
    if (from == ACT_OAS_UNKNOWN)
        return act_error_set(err, ACT_ERR_UNSUPPORTED, root->path, 1, 1,
                             "cannot convert: not an OpenAPI 3.0 or 3.1 or Swagger 2.0 "
                             "document (no \"openapi\": \"3.0.x\" or \"3.1.x\", no "
                             "\"swagger\": \"2.0\")");
    cJSON *tree;
    if (from == ACT_OAS_20) {
        /* the losses, pointing into the 2.0 file; then the spec read as 3.0 (the files
         * its $refs reach translated as they load, as every command reads it), bundled */
        TRY(act_swagger2_to_oas30(root, &tree, losses, err));
        cJSON_Delete(tree);
        TRY(act_swagger2_adopt(ds, root, err));
        from = ACT_OAS_30;
    }
    TRY(act_bundle_docs(ds, root, &tree, err));
    if (from == to) {
        *out = tree;
        return ACT_OK;
    }
    cJSON *next;
    enum act_status st = from == ACT_OAS_31
                             ? act_convert_31_to_30(tree, root->path, &next, losses, err)
                             : act_convert_30_to_31(tree, root->path, &next, err);
    cJSON_Delete(tree);
    if (st)
        return st;
    *out = next;
    return ACT_OK;
}
