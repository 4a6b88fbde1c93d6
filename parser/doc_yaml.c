/*
 * doc_yaml.c - the YAML back end (doc_yaml.h): libyaml's event parser straight into a
 * cJSON tree.
 *
 * One pass over the events of yaml_parser_parse builds the tree; libyaml's
 * document loader is never used (it would build a second tree and has no
 * limits). The loop keeps:
 *
 *   - a stack of open collections on the heap. Each frame keeps the last child,
 *     so an append links child/prev/next the way cJSON does (the first child's
 *     prev is the last child) in O(1) instead of cJSON_AddItemToObject's walk,
 *     and an index of the mapping's keys for duplicate detection: a linear scan
 *     up to SMALL_KEYS keys, an act_map above;
 *   - an anchor table (an act_map from a name to its latest definition) whose entries know
 *     the weight (nodes, plus one per sizeof(cJSON) bytes of text) and height
 *     of what they anchor, so an alias is charged against ACT_MAX_ALIAS_NODES
 *     and ACT_MAX_DEPTH before anything is copied;
 *   - a "spare" array for nodes that are not part of the result but may be
 *     aliased later: inline merge sources and anchored mapping keys.
 *
 * Plain scalars are typed by the YAML 1.2 core schema; the standard scalar tags
 * (!!str !!int !!float !!bool !!null) are enforced, other tags are ignored.
 * Merge keys ("<<") are applied when their mapping ends, so explicit keys win
 * wherever they stand and earlier merge sources win over later ones.
 *
 * Nothing recurses on the depth of the input: the only tree walks (the alias
 * copy here, cJSON_Delete in the caller) see trees that passed the
 * ACT_MAX_DEPTH check. libyaml's parser is a state machine with heap stacks,
 * and the loop stops at the first collection past the limit, so a
 * million-deep "[[[[" costs a few hundred events.
 *
 * Statuses: ACT_ERR_PARSE for libyaml's syntax errors, more than one document
 * and an empty one; ACT_ERR_LIMIT for depth and alias expansion;
 * ACT_ERR_INVALID for duplicate keys, non-scalar keys, bad merges, values that
 * do not fit their tag, undefined or recursive aliases and NUL in a scalar;
 * ACT_ERR_NOMEM when an allocation fails.
 *
 * Positions (act_yaml_locate and the position index) are doc_yaml_index.c's.
 *
 * Numbers are read with strtod, which assumes the "C" LC_NUMERIC locale (the
 * CLI never changes it). cJSON numbers are doubles: integers beyond 2^53 lose
 * precision.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/act_alloc.h"
#include "common/act_arena.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_map.h"
#include "doc_yaml.h"
#include "pointer.h"

#define SMALL_KEYS 16                 /* keys searched linearly before a mapping gets a table */
#define YAML_TAG "tag:yaml.org,2002:" /* prefix of the standard tags (!!x) */
#define YAML_TAG_LEN (sizeof(YAML_TAG) - 1)

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */
/* ------------------------------------------------------------------------ */

/* libyaml marks are 0-based size_t; ours are 1-based int. */

/* Give text to the parser as UTF-8. A byte order mark is skipped here: with the
 * encoding set, libyaml would read it as a character of the first line (and then
 * refuse a second top-level key), and positions count from after it anyway. */
void act_yaml_set_input(yaml_parser_t *p, const char *text, size_t len)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    yaml_parser_set_input_string(p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(p, YAML_UTF8_ENCODING);
}

int act_yaml_pos1(size_t v)
{
    return v >= (size_t)INT_MAX ? INT_MAX : (int)v + 1;
}

/*
 * What a node costs against ACT_MAX_ALIAS_NODES: one, plus one per
 * sizeof(cJSON) bytes of its text (value and key), so that aliasing a long
 * string many times cannot slip past a limit meant to bound memory.
 */
static long weight(size_t text_bytes)
{
    return 1 + (long)(text_bytes / sizeof(cJSON));
}

/* Copy n bytes into a NUL-terminated string allocated through cJSON's hooks,
 * so that cJSON_Delete may free it. */
static char *cj_strndup(const char *s, size_t n)
{
    char *d = cJSON_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Append item to parent in O(1), keeping cJSON's invariant that the first
 * child's prev points at the last child. */
static void link_child(cJSON *parent, cJSON **tail, cJSON *item)
{
    assert(parent && item);
    if (*tail) {
        (*tail)->next = item;
        item->prev = *tail;
        parent->child->prev = item;
    } else {
        parent->child = item;
        item->prev = item;
    }
    *tail = item;
}

/* ------------------------------------------------------------------------ */
/* Core schema                                                              */
/* ------------------------------------------------------------------------ */

enum kind { K_STR, K_NULL, K_TRUE, K_FALSE, K_NUM };

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int text_is(const char *s, size_t n, const char *a, const char *b, const char *c)
{
    size_t k = strlen(a);
    return n == k && (!memcmp(s, a, k) || !memcmp(s, b, k) || !memcmp(s, c, k));
}

static int match_null(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '~') || text_is(s, n, "null", "Null", "NULL");
}

/* 1 for true, 0 for false, -1 for neither. */
static int match_bool(const char *s, size_t n)
{
    if (text_is(s, n, "true", "True", "TRUE"))
        return 1;
    if (text_is(s, n, "false", "False", "FALSE"))
        return 0;
    return -1;
}

/* [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ ; s is NUL-terminated at n. */
static int match_int(const char *s, size_t n, double *out)
{
    if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        int base = s[1] == 'o' ? 8 : 16;
        double v = 0;
        for (size_t i = 2; i < n; i++) {
            int d = act_hex_digit(s[i]);
            if (d < 0 || d >= base)
                return 0;
            v = v * base + d;
        }
        *out = v;
        return 1;
    }
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (i == n)
        return 0;
    for (; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    *out = strtod(s, NULL);
    return 1;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.inf | \.nan (three spellings). */
static int match_float(const char *s, size_t n, double *out)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (text_is(s + i, n - i, ".inf", ".Inf", ".INF")) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return 1;
    }
    if (text_is(s, n, ".nan", ".NaN", ".NAN")) {
        *out = NAN;
        return 1;
    }
    size_t j = i;
    while (j < n && is_digit(s[j]))
        j++;
    size_t whole = j - i, frac = 0;
    if (j < n && s[j] == '.') {
        size_t k = ++j;
        while (j < n && is_digit(s[j]))
            j++;
        frac = j - k;
    }
    if (!whole && !frac)
        return 0;
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < n && (s[j] == '-' || s[j] == '+'))
            j++;
        size_t k = j;
        while (j < n && is_digit(s[j]))
            j++;
        if (j == k)
            return 0;
    }
    if (j != n)
        return 0;
    *out = strtod(s, NULL);
    return 1;
}

/* Type a plain scalar; the first character rules most candidates out. */
static enum kind core_kind(const char *s, size_t n, double *num)
{
    if (n == 0)
        return K_NULL;
    switch (s[0]) {
    case '~':
    case 'n':
    case 'N': return match_null(s, n) ? K_NULL : K_STR;
    case 't':
    case 'T':
    case 'f':
    case 'F': {
        int b = match_bool(s, n);
        return b < 0 ? K_STR : b ? K_TRUE : K_FALSE;
    }
    default:
        if (!is_digit(s[0]) && s[0] != '.' && s[0] != '+' && s[0] != '-')
            return K_STR;
        return match_int(s, n, num) || match_float(s, n, num) ? K_NUM : K_STR;
    }
}

/* The standard tag's short name ("int" for tag:yaml.org,2002:int), or NULL. */
static const char *std_tag(const char *tag)
{
    return tag && !strncmp(tag, YAML_TAG, YAML_TAG_LEN) ? tag + YAML_TAG_LEN : NULL;
}

static int is_scalar_tag(const char *t)
{
    return !strcmp(t, "str") || !strcmp(t, "int") || !strcmp(t, "float") || !strcmp(t, "bool") ||
           !strcmp(t, "null");
}

/* ------------------------------------------------------------------------ */
/* Key index                                                                */
/* ------------------------------------------------------------------------ */

struct keyent {
    const char *key; /* borrowed: the key string of the item (or of the pending key) */
    size_t len;      /* bytes in key */
    uint32_t hash;   /* act_hash_bytes of key */
    int line;        /* where the key was written, 1-based (0 for a merged key) */
    int col;         /* its column */
};

struct keyindex {
    struct keyent small[SMALL_KEYS]; /* the first keys while v is NULL */
    size_t n;                        /* keys in the index */
    struct keyent *v;                /* every key once past SMALL_KEYS, else NULL */
    size_t cap;                      /* slots in v */
    struct act_map by_hash;          /* keyent.hash -> index in v, while v is not NULL */
};

static const struct keyent *keys_find(const struct keyindex *ix, const char *k, size_t len,
                                      uint32_t h)
{
    if (!ix->v) {
        for (size_t i = 0; i < ix->n; i++) {
            const struct keyent *e = &ix->small[i];
            if (e->hash == h && e->len == len && !memcmp(e->key, k, len))
                return e;
        }
        return NULL;
    }
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &ix->by_hash, h); id != ACT_MAP_NONE;
         id = act_map_next(&it)) {
        const struct keyent *e = &ix->v[id];
        if (e->len == len && !memcmp(e->key, k, len))
            return e;
    }
    return NULL;
}

/* Add a key known to be absent. */
static enum act_status keys_add(struct keyindex *ix, const struct keyent *e)
{
    if (!ix->v && ix->n < SMALL_KEYS) {
        ix->small[ix->n++] = *e;
        return ACT_OK;
    }
    if (ix->n >= ACT_MAP_NONE - 1 || ACT_GROW(ix->v, ix->cap, ix->n + 1, 4 * SMALL_KEYS))
        return ACT_ERR_NOMEM;
    if (ix->by_hash.count == 0) { /* the table starts: the small keys go first */
        memcpy(ix->v, ix->small, ix->n * sizeof(*ix->v));
        for (size_t i = 0; i < ix->n; i++)
            if (act_map_put(&ix->by_hash, ix->small[i].hash, (uint32_t)i))
                return ACT_ERR_NOMEM;
    }
    if (act_map_put(&ix->by_hash, e->hash, (uint32_t)ix->n))
        return ACT_ERR_NOMEM;
    ix->v[ix->n++] = *e;
    return ACT_OK;
}

static void keys_release(struct keyindex *ix)
{
    act_free(ix->v);
    act_map_release(&ix->by_hash);
    ix->v = NULL;
    ix->cap = 0;
    ix->n = 0;
}

/* ------------------------------------------------------------------------ */
/* Anchors                                                                  */
/* ------------------------------------------------------------------------ */

struct anchor {
    char *name;    /* the anchor's name (owned) */
    uint32_t hash; /* act_hash_bytes of name */
    cJSON *node;   /* borrowed: lives in the result or in the spare array until the end */
    char *text;    /* a scalar's source text, for an alias used as a key (owned); NULL otherwise */
    long count;    /* weight (see weight()) of the anchored subtree */
    int height;    /* collections on the longest path down from the node (0 for a scalar) */
    int open;      /* its collection has not ended: an alias to it would be recursive */
};

struct anchors {
    struct anchor *v;       /* every definition in stream order (a name may be redefined) */
    size_t n;               /* definitions in v */
    size_t cap;             /* slots allocated in v */
    struct act_map by_name; /* anchor.hash -> index in v of the name's latest definition */
};

/* The latest definition of name: its index in v (and it at *it), or ACT_MAP_NONE. */
static uint32_t anchor_lookup(const struct anchors *an, const char *name, uint32_t h,
                              struct act_map_it *it)
{
    for (uint32_t id = act_map_first(it, &an->by_name, h); id != ACT_MAP_NONE;
         id = act_map_next(it))
        if (!strcmp(an->v[id].name, name))
            return id;
    return ACT_MAP_NONE;
}

static struct anchor *anchor_find(const struct anchors *an, const char *name)
{
    struct act_map_it it;
    uint32_t id = anchor_lookup(an, name, act_hash_bytes(name, strlen(name)), &it);
    return id != ACT_MAP_NONE ? &an->v[id] : NULL;
}

/* Record a definition of name for node; *idx is its index in v (stable across growth). */
static enum act_status anchor_define(struct anchors *an, const char *name, cJSON *node,
                                     const char *text, size_t tlen, size_t *idx)
{
    if (an->n >= ACT_MAP_NONE - 1 || ACT_GROW(an->v, an->cap, an->n + 1, 16))
        return ACT_ERR_NOMEM;
    struct anchor a = {0};
    a.hash = act_hash_bytes(name, strlen(name));
    a.name = act_strdup(name);
    a.text = text ? act_strndup(text, tlen) : NULL;
    if (!a.name || (text && !a.text)) {
        act_free(a.name);
        act_free(a.text);
        return ACT_ERR_NOMEM;
    }
    a.node = node;
    a.count = 1;
    struct act_map_it it;
    if (anchor_lookup(an, name, a.hash, &it) != ACT_MAP_NONE) {
        act_map_it_set(&it, (uint32_t)an->n); /* redefined: aliases now mean this one */
    } else if (act_map_put(&an->by_name, a.hash, (uint32_t)an->n)) {
        act_free(a.name);
        act_free(a.text);
        return ACT_ERR_NOMEM;
    }
    an->v[an->n] = a;
    *idx = an->n++;
    return ACT_OK;
}

static void anchors_release(struct anchors *an)
{
    for (size_t i = 0; i < an->n; i++) {
        act_free(an->v[i].name);
        act_free(an->v[i].text);
    }
    act_free(an->v);
    act_map_release(&an->by_name);
}

/* ------------------------------------------------------------------------ */
/* The builder                                                              */
/* ------------------------------------------------------------------------ */

struct frame {
    cJSON *node;          /* the open collection, already linked into its parent */
    cJSON *tail;          /* its last child, NULL while it has none */
    int is_map;           /* a mapping (else a sequence) */
    int have_key;         /* mapping: a key has been read, its value not yet */
    int key_is_merge;     /* mapping: that key is the merge key << */
    int merge_value;      /* this collection is the value of a << key */
    char *key;            /* mapping: the pending key (cJSON_malloc'd, owned), NULL if none */
    size_t key_len;       /* mapping: bytes in key */
    size_t own_key_len;   /* bytes in the key this collection sits under (0 if none) */
    size_t anchor;        /* 1 + index of the anchor defined on this collection, 0 if none */
    long count;           /* weight of this subtree so far, itself included */
    int height;           /* largest height among the children (0 for scalars) */
    yaml_mark_t mark;     /* where the collection starts */
    struct keyindex keys; /* mapping: the keys so far */
    const cJSON **merges; /* mapping: merge sources in order (borrowed mappings) */
    size_t nmerges;       /* entries in merges */
    size_t capmerges;     /* slots allocated in merges */
};

struct copyent {
    const cJSON *next; /* next source child to copy at this level */
    cJSON *dst;        /* the copy being filled */
    cJSON *tail;       /* its last child */
};

struct builder {
    const char *name;       /* file name for messages */
    struct act_error *err;  /* where the first error goes (may be NULL) */
    cJSON *root;            /* the document's node, NULL until the first node event */
    cJSON *spare;           /* array keeping merge sources and anchored keys alive, or NULL */
    cJSON *spare_tail;      /* its last child */
    struct frame *fr;       /* open collections, outermost first */
    size_t nfr;             /* entries in fr: the current depth */
    size_t capfr;           /* slots allocated in fr */
    struct anchors an;      /* anchor definitions */
    struct copyent *cstack; /* work stack of copy_tree, grown on demand */
    size_t capcstack;       /* slots allocated in cstack */
    long alias_nodes;       /* weight charged to alias expansion so far */
    int docs;               /* documents seen */
};

static enum act_status fail(struct builder *b, enum act_status st, yaml_mark_t m, const char *fmt,
                            ...) ACT_PRINTF(4, 5);

static enum act_status fail(struct builder *b, enum act_status st, yaml_mark_t m, const char *fmt,
                            ...)
{
    char msg[ACT_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return act_error_set(b->err, st, b->name, act_yaml_pos1(m.line), act_yaml_pos1(m.column), "%s",
                         msg);
}

static enum act_status nomem(struct builder *b, yaml_mark_t m)
{
    return fail(b, ACT_ERR_NOMEM, m, "out of memory");
}

static struct frame *top(struct builder *b)
{
    return b->nfr ? &b->fr[b->nfr - 1] : NULL;
}

/* "!!int" for a standard tag, else the tag clipped for echoing. */
static const char *tag_name(const char *tag, char *buf, size_t size)
{
    const char *t = std_tag(tag);
    if (t) {
        snprintf(buf, size, "!!%s", t);
        return buf;
    }
    return act_echo(buf, size, tag, strlen(tag));
}

static enum act_status ensure_spare(struct builder *b, yaml_mark_t m)
{
    if (!b->spare && !(b->spare = cJSON_CreateArray()))
        return nomem(b, m);
    return ACT_OK;
}

/* Link a new node where the event stream puts it: the root, the open
 * collection (taking the pending key), or the spare array for a merge value.
 * Returns the length of the key it took. */
static size_t attach(struct builder *b, cJSON *node)
{
    struct frame *f = top(b);
    size_t key_len = 0;
    if (!f) {
        b->root = node;
        return 0;
    }
    if (f->is_map) {
        assert(f->have_key);
        f->have_key = 0;
        if (f->key_is_merge) {
            f->key_is_merge = 0;
            assert(b->spare);
            link_child(b->spare, &b->spare_tail, node);
            return 0;
        }
        node->string = f->key;
        key_len = f->key_len;
        f->key = NULL;
    }
    link_child(f->node, &f->tail, node);
    return key_len;
}

/* A finished child of the given weight and height joins its parent's totals. */
static void complete(struct builder *b, long count, int height)
{
    struct frame *f = top(b);
    if (f) {
        f->count += count;
        if (height > f->height)
            f->height = height;
    }
}

/* Shallow copy of one node, without its children; the key only when with_key.
 * Adds the copy's weight to *w. */
static cJSON *clone1(const cJSON *s, int with_key, long *w)
{
    size_t bytes = 0;
    cJSON *d = cJSON_CreateNull();
    if (!d)
        return NULL;
    d->type = s->type & ~(cJSON_IsReference | cJSON_StringIsConst);
    d->valueint = s->valueint;
    d->valuedouble = s->valuedouble;
    if (s->valuestring) {
        size_t n = strlen(s->valuestring);
        if (!(d->valuestring = cj_strndup(s->valuestring, n)))
            goto fail;
        bytes += n;
    }
    if (with_key && s->string) {
        size_t n = strlen(s->string);
        if (!(d->string = cj_strndup(s->string, n)))
            goto fail;
        bytes += n;
    }
    *w += weight(bytes);
    return d;
fail:
    cJSON_Delete(d);
    return NULL;
}

/* Deep copy of src with an explicit stack (no recursion), returning the copy's
 * weight and height. */
static enum act_status copy_tree(struct builder *b, const cJSON *src, int with_key, cJSON **out,
                                 long *count, int *height)
{
    long n = 0;
    cJSON *root = clone1(src, with_key, &n);
    if (!root)
        return ACT_ERR_NOMEM;
    int h = 0;
    size_t sp = 0;
    if (cJSON_IsArray(src) || cJSON_IsObject(src)) {
        h = 1;
        if (src->child) {
            if (!b->capcstack) {
                b->cstack = act_malloc((ACT_MAX_DEPTH + 1) * sizeof(*b->cstack));
                if (!b->cstack)
                    goto nomem;
                b->capcstack = ACT_MAX_DEPTH + 1;
            }
            b->cstack[sp++] = (struct copyent){src->child, root, NULL};
        }
    }
    while (sp) {
        struct copyent *t = &b->cstack[sp - 1];
        if (!t->next) {
            sp--;
            continue;
        }
        const cJSON *s = t->next;
        t->next = s->next;
        cJSON *d = clone1(s, 1, &n);
        if (!d)
            goto nomem;
        link_child(t->dst, &t->tail, d);
        if (cJSON_IsArray(s) || cJSON_IsObject(s)) {
            if ((int)sp + 1 > h)
                h = (int)sp + 1;
            if (s->child) {
                /* Every tree here passed the depth check, so this cannot overflow. */
                assert(sp < b->capcstack);
                b->cstack[sp++] = (struct copyent){s->child, d, NULL};
            }
        }
    }
    *out = root;
    *count = n;
    *height = h;
    return ACT_OK;
nomem:
    cJSON_Delete(root);
    return ACT_ERR_NOMEM;
}

static enum act_status push_merge(struct builder *b, struct frame *f, const cJSON *src,
                                  yaml_mark_t m)
{
    if (ACT_GROW(f->merges, f->capmerges, f->nmerges + 1, 4))
        return nomem(b, m);
    f->merges[f->nmerges++] = src;
    return ACT_OK;
}

/* Record the sources of a finished << value (borrowed) in the mapping f. */
static enum act_status add_merge(struct builder *b, struct frame *f, const cJSON *v, yaml_mark_t m)
{
    static const char msg[] = "merge value must be a mapping or a sequence of mappings";
    enum act_status st;
    if (cJSON_IsObject(v))
        return push_merge(b, f, v, m);
    if (!cJSON_IsArray(v))
        return fail(b, ACT_ERR_INVALID, m, "%s", msg);
    for (const cJSON *c = v->child; c; c = c->next)
        if (!cJSON_IsObject(c))
            return fail(b, ACT_ERR_INVALID, m, "%s", msg);
    for (const cJSON *c = v->child; c; c = c->next)
        if ((st = push_merge(b, f, c, m)))
            return st;
    return ACT_OK;
}

/* Copy into the closing mapping f every merged key it does not define yet. */
static enum act_status apply_merges(struct builder *b, struct frame *f)
{
    for (size_t i = 0; i < f->nmerges; i++) {
        for (const cJSON *c = f->merges[i]->child; c; c = c->next) {
            size_t len = strlen(c->string);
            uint32_t h = act_hash_bytes(c->string, len);
            if (keys_find(&f->keys, c->string, len, h))
                continue;
            cJSON *d;
            long n;
            int ht;
            if (copy_tree(b, c, 1, &d, &n, &ht))
                return nomem(b, f->mark);
            link_child(f->node, &f->tail, d);
            struct keyent e = {d->string, len, h, 0, 0};
            if (keys_add(&f->keys, &e))
                return nomem(b, f->mark);
            f->count += n;
            if (ht > f->height)
                f->height = ht;
        }
    }
    return ACT_OK;
}

/* Check that a (possibly tagged) scalar fits its tag and say what it is. */
static enum act_status scalar_kind(struct builder *b, const yaml_event_t *ev, enum kind *k,
                                   double *num)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    const char *t = std_tag(tag);
    char tb[ACT_MAX_ECHO * 4 + 8];

    if (!tag) {
        *k = plain ? core_kind(s, n, num) : K_STR;
        return ACT_OK;
    }
    if (!t || !strcmp(tag, "!")) {
        /* "!" is the non-specific tag: a string. Unknown tags keep the core typing. */
        *k = plain && strcmp(tag, "!") ? core_kind(s, n, num) : K_STR;
        return ACT_OK;
    }
    int ok = 1;
    if (!strcmp(t, "str")) {
        *k = K_STR;
    } else if (!strcmp(t, "null")) {
        ok = match_null(s, n);
        *k = K_NULL;
    } else if (!strcmp(t, "bool")) {
        int v = match_bool(s, n);
        ok = v >= 0;
        *k = v > 0 ? K_TRUE : K_FALSE;
    } else if (!strcmp(t, "int")) {
        ok = match_int(s, n, num);
        *k = K_NUM;
    } else if (!strcmp(t, "float")) {
        ok = match_float(s, n, num);
        *k = K_NUM;
    } else if (!strcmp(t, "map") || !strcmp(t, "seq")) {
        return fail(b, ACT_ERR_INVALID, ev->start_mark, "tag %s does not fit a scalar",
                    tag_name(tag, tb, sizeof(tb)));
    } else {
        *k = plain ? core_kind(s, n, num) : K_STR;
    }
    if (!ok) {
        char vb[ACT_MAX_ECHO * 4 + 8];
        return fail(b, ACT_ERR_INVALID, ev->start_mark, "value \"%s\" does not fit tag %s",
                    act_echo(vb, sizeof(vb), s, n), tag_name(tag, tb, sizeof(tb)));
    }
    return ACT_OK;
}

static enum act_status make_scalar(struct builder *b, const yaml_event_t *ev, cJSON **out)
{
    enum kind k;
    double num = 0;
    enum act_status st = scalar_kind(b, ev, &k, &num);
    if (st)
        return st;
    cJSON *node = NULL;
    switch (k) {
    case K_NULL: node = cJSON_CreateNull(); break;
    case K_TRUE: node = cJSON_CreateTrue(); break;
    case K_FALSE: node = cJSON_CreateFalse(); break;
    case K_NUM:
        /* cJSON_CreateNumber casts to int, undefined for NaN. */
        node = cJSON_CreateNumber(isnan(num) ? 0 : num);
        if (node && isnan(num))
            node->valuedouble = num;
        break;
    case K_STR:
        node = cJSON_CreateNull();
        if (node) {
            node->valuestring =
                cj_strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
            node->type = cJSON_String;
            if (!node->valuestring) {
                cJSON_Delete(node);
                node = NULL;
            }
        }
        break;
    }
    if (!node)
        return nomem(b, ev->start_mark);
    *out = node;
    return ACT_OK;
}

int act_yaml_is_merge_key(const yaml_event_t *ev)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    const char *t = std_tag(tag);
    if (ev->data.scalar.length != 2 || memcmp(ev->data.scalar.value, "<<", 2))
        return 0;
    return tag ? t && !strcmp(t, "merge") : ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A key of the open mapping f: checked against the earlier ones, then kept
 * pending until its value arrives. */
static enum act_status take_key(struct builder *b, struct frame *f, const char *s, size_t n,
                                int merge, yaml_mark_t m)
{
    if (merge) {
        f->have_key = 1;
        f->key_is_merge = 1;
        return ensure_spare(b, m);
    }
    uint32_t h = act_hash_bytes(s, n);
    const struct keyent *e = keys_find(&f->keys, s, n, h);
    if (e) {
        char kb[ACT_MAX_ECHO * 4 + 8];
        return fail(b, ACT_ERR_INVALID, m,
                    "duplicate key \"%s\" (first defined at line %d, column %d)",
                    act_echo(kb, sizeof(kb), s, n), e->line, e->col);
    }
    char *k = cj_strndup(s, n);
    if (!k)
        return nomem(b, m);
    struct keyent ne = {k, n, h, act_yaml_pos1(m.line), act_yaml_pos1(m.column)};
    if (keys_add(&f->keys, &ne)) {
        cJSON_free(k);
        return nomem(b, m);
    }
    f->key = k;
    f->key_len = n;
    f->have_key = 1;
    return ACT_OK;
}

static enum act_status on_scalar(struct builder *b, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const char *anchor = (const char *)ev->data.scalar.anchor;
    struct frame *f = top(b);
    cJSON *node = NULL;
    size_t idx;
    enum act_status st;

    if (memchr(s, '\0', n))
        return fail(b, ACT_ERR_INVALID, ev->start_mark, "scalar contains a NUL character");
    if (f && f->is_map && !f->have_key) {
        if (anchor) {
            /* An anchored key may be aliased as a value later: keep a node for it. */
            if ((st = ensure_spare(b, ev->start_mark)) || (st = make_scalar(b, ev, &node)))
                return st;
            link_child(b->spare, &b->spare_tail, node);
            if (anchor_define(&b->an, anchor, node, s, n, &idx))
                return nomem(b, ev->start_mark);
            b->an.v[idx].count = weight(n);
        } else if (ev->data.scalar.tag) {
            enum kind k;
            double num;
            if ((st = scalar_kind(b, ev, &k, &num)))
                return st;
        }
        return take_key(b, f, s, n, act_yaml_is_merge_key(ev), ev->start_mark);
    }
    if (f && f->is_map && f->key_is_merge)
        return fail(b, ACT_ERR_INVALID, ev->start_mark,
                    "merge value must be a mapping or a sequence of mappings");
    if (!f && n == 0 && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag &&
        !anchor)
        return fail(b, ACT_ERR_PARSE, ev->start_mark, "empty document");
    if ((st = make_scalar(b, ev, &node)))
        return st;
    size_t key_len = attach(b, node);
    if (anchor) {
        if (anchor_define(&b->an, anchor, node, s, n, &idx))
            return nomem(b, ev->start_mark);
        b->an.v[idx].count = weight(n);
    }
    complete(b, weight(n + key_len), 0);
    return ACT_OK;
}

static enum act_status on_alias(struct builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    char nb[ACT_MAX_ECHO * 4 + 8];
    struct anchor *a = anchor_find(&b->an, name);
    struct frame *f = top(b);

    if (!a)
        return fail(b, ACT_ERR_INVALID, ev->start_mark, "undefined alias \"%s\"",
                    act_echo(nb, sizeof(nb), name, strlen(name)));
    if (a->open)
        return fail(b, ACT_ERR_INVALID, ev->start_mark,
                    "recursive alias \"%s\" (inside its own anchor)",
                    act_echo(nb, sizeof(nb), name, strlen(name)));
    /* Charge first, so a bomb fails before it is built. */
    b->alias_nodes += a->count;
    if (b->alias_nodes > ACT_MAX_ALIAS_NODES)
        return fail(b, ACT_ERR_LIMIT, ev->start_mark, "too many alias expansions (alias bomb?)");
    if (f && f->is_map && !f->have_key) {
        if (!a->text)
            return fail(b, ACT_ERR_INVALID, ev->start_mark, "mapping key is not a scalar");
        return take_key(b, f, a->text, strlen(a->text), 0, ev->start_mark);
    }
    if (b->nfr + (size_t)a->height > ACT_MAX_DEPTH)
        return fail(b, ACT_ERR_LIMIT, ev->start_mark, "nesting deeper than %d", ACT_MAX_DEPTH);
    if (f && f->is_map && f->key_is_merge) {
        /* The anchored node lives until the end: merge from it without a copy. */
        f->have_key = 0;
        f->key_is_merge = 0;
        return add_merge(b, f, a->node, ev->start_mark);
    }
    cJSON *copy;
    long n;
    int h;
    if (copy_tree(b, a->node, 0, &copy, &n, &h))
        return nomem(b, ev->start_mark);
    size_t key_len = attach(b, copy);
    complete(b, n + weight(key_len) - 1, h);
    return ACT_OK;
}

static enum act_status on_start(struct builder *b, const yaml_event_t *ev, int is_map)
{
    const char *tag =
        (const char *)(is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
    const char *anchor =
        (const char *)(is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor);
    struct frame *f = top(b);
    const char *t = std_tag(tag);

    if (f && f->is_map && !f->have_key)
        return fail(b, ACT_ERR_INVALID, ev->start_mark, "mapping key is not a scalar");
    if (b->nfr + 1 > ACT_MAX_DEPTH)
        return fail(b, ACT_ERR_LIMIT, ev->start_mark, "nesting deeper than %d", ACT_MAX_DEPTH);
    if (t && (is_scalar_tag(t) || !strcmp(t, is_map ? "seq" : "map"))) {
        char tb[ACT_MAX_ECHO * 4 + 8];
        return fail(b, ACT_ERR_INVALID, ev->start_mark, "tag %s does not fit a %s",
                    tag_name(tag, tb, sizeof(tb)), is_map ? "mapping" : "sequence");
    }
    /* f is not used past here: growing the stack may move it. */
    int merge = f && f->is_map && f->key_is_merge;
    if (ACT_GROW(b->fr, b->capfr, b->nfr + 1, 16))
        return nomem(b, ev->start_mark);
    cJSON *node = is_map ? cJSON_CreateObject() : cJSON_CreateArray();
    if (!node)
        return nomem(b, ev->start_mark);
    size_t key_len = attach(b, node);
    assert(b->fr);
    struct frame *nf = &b->fr[b->nfr++];
    nf->node = node;
    nf->tail = NULL;
    nf->is_map = is_map;
    nf->have_key = 0;
    nf->key_is_merge = 0;
    nf->merge_value = merge;
    nf->key = NULL;
    nf->key_len = 0;
    nf->own_key_len = key_len;
    nf->anchor = 0;
    nf->count = 1;
    nf->height = 0;
    nf->mark = ev->start_mark;
    nf->keys.n = 0;
    nf->keys.v = NULL;
    nf->keys.cap = 0;
    act_map_init(&nf->keys.by_hash);
    nf->merges = NULL;
    nf->nmerges = 0;
    nf->capmerges = 0;
    if (anchor) {
        size_t idx;
        if (anchor_define(&b->an, anchor, node, NULL, 0, &idx))
            return nomem(b, ev->start_mark);
        b->an.v[idx].open = 1;
        nf->anchor = idx + 1;
    }
    return ACT_OK;
}

static enum act_status on_end(struct builder *b)
{
    struct frame *f = top(b);
    enum act_status st;
    assert(f);
    if (f->nmerges && (st = apply_merges(b, f)))
        return st;
    keys_release(&f->keys);
    act_free(f->merges);
    f->merges = NULL;
    int height = f->height + 1;
    if (f->anchor) {
        struct anchor *a = &b->an.v[f->anchor - 1];
        a->open = 0;
        a->count = f->count;
        a->height = height;
    }
    long count = f->count + weight(f->own_key_len) - 1;
    int merge = f->merge_value;
    cJSON *node = f->node;
    yaml_mark_t mark = f->mark;
    b->nfr--;
    if (merge)
        return add_merge(b, top(b), node, mark);
    complete(b, count, height);
    return ACT_OK;
}

static enum act_status on_event(struct builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->docs++)
            return fail(b, ACT_ERR_PARSE, ev->start_mark, "more than one YAML document");
        return ACT_OK;
    case YAML_SCALAR_EVENT: return on_scalar(b, ev);
    case YAML_ALIAS_EVENT: return on_alias(b, ev);
    case YAML_SEQUENCE_START_EVENT: return on_start(b, ev, 0);
    case YAML_MAPPING_START_EVENT: return on_start(b, ev, 1);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return on_end(b);
    default: return ACT_OK;
    }
}

/* Line and column of byte offset off (reader errors carry an offset, not a mark). */
static void offset_position(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static enum act_status syntax_error(struct builder *b, const yaml_parser_t *p, const char *text,
                                    size_t len)
{
    const char *problem = p->problem ? p->problem : "syntax error";
    int recording = b->err && b->err->status == ACT_OK;
    enum act_status st;
    int line, col;

    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return act_error_set(b->err, ACT_ERR_NOMEM, b->name, 0, 0, "out of memory");
    case YAML_READER_ERROR:
        offset_position(text, len, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            return act_error_set(b->err, ACT_ERR_PARSE, b->name, line, col, "%s (#%X)", problem,
                                 (unsigned)p->problem_value);
        return act_error_set(b->err, ACT_ERR_PARSE, b->name, line, col, "%s", problem);
    default:
        st = act_error_set(b->err, ACT_ERR_PARSE, b->name, act_yaml_pos1(p->problem_mark.line),
                           act_yaml_pos1(p->problem_mark.column), "%s", problem);
        if (recording && p->context)
            act_error_set_context(b->err, "%s at %s:%d:%d", p->context, b->name ? b->name : "",
                                  act_yaml_pos1(p->context_mark.line),
                                  act_yaml_pos1(p->context_mark.column));
        return st;
    }
}

static void builder_release(struct builder *b, int ok)
{
    for (size_t i = 0; i < b->nfr; i++) {
        cJSON_free(b->fr[i].key);
        keys_release(&b->fr[i].keys);
        act_free(b->fr[i].merges);
    }
    act_free(b->fr);
    act_free(b->cstack);
    anchors_release(&b->an);
    cJSON_Delete(b->spare);
    if (!ok)
        cJSON_Delete(b->root);
}

enum act_status act_yaml_parse(const char *name, const char *text, size_t len, cJSON **out,
                               struct act_error *err)
{
    struct builder b;
    yaml_parser_t p;
    yaml_event_t ev;
    enum act_status st = ACT_OK;

    assert(text && out);
    memset(&b, 0, sizeof(b));
    b.name = name;
    b.err = err;
    if (!yaml_parser_initialize(&p))
        return act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    act_yaml_set_input(&p, text, len);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            st = syntax_error(&b, &p, text, len);
            break;
        }
        int done = ev.type == YAML_STREAM_END_EVENT;
        st = on_event(&b, &ev);
        yaml_event_delete(&ev);
        if (st || done)
            break;
    }
    if (!st && !b.root)
        st = act_error_set(err, ACT_ERR_PARSE, name, 1, 1, len ? "empty document" : "empty file");
    yaml_parser_delete(&p);
    builder_release(&b, st == ACT_OK);
    if (!st)
        *out = b.root;
    return st;
}
