/*
 * doc_yaml_index.c - positions in YAML text (doc_yaml_index.h).
 *
 * act_yaml_locate re-parses and follows the pointer through the events
 * without building anything. A mapping key's match yields its value's start
 * mark, except for a block collection (which starts on the line after its
 * key): then the key itself. A flow collection yields its bracket. A pointer that runs through an
 * alias yields the alias; a key a mapping lacks but may get from a merge yields the merge value
 * (merges are not resolved there).
 * act_yaml_index_build records the same answers for every node in one pass
 * (see "A position index" below), for documents asked for many positions.
 */
#include "doc_yaml_index.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

#include "common/act_alloc.h"
#include "common/act_arena.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_map.h"
#include "doc_yaml.h"
#include "pointer.h"

/* ------------------------------------------------------------------------ */
/* Locating a pointer                                                       */
/* ------------------------------------------------------------------------ */

/* Decimal array index without leading zeros, as act_pointer_get takes it. */
static size_t token_index(const struct act_buf *t)
{
    size_t v = 0;
    if (!t->len || (t->data[0] == '0' && t->len > 1))
        return SIZE_MAX;
    for (size_t i = 0; i < t->len; i++) {
        if (!(t->data[i] >= '0' && t->data[i] <= '9') || v > SIZE_MAX / 10 - 10)
            return SIZE_MAX;
        v = v * 10 + (size_t)(t->data[i] - '0');
    }
    return v;
}

/*
 * Only the innermost collection on the pointer's path needs state: when it
 * ends without a match the pointer leads nowhere, so the walk stops. Subtrees
 * off the path are skipped by counting their nesting. Memory is the tokens,
 * whatever the depth of the text.
 */
struct locator {
    struct act_buf *tok; /* the pointer's decoded tokens */
    size_t *idx;         /* each token as an array index, SIZE_MAX when it is not one */
    size_t ntok;         /* number of tokens */
    size_t level;        /* tokens matched by the open on-path collection */
    int started;         /* the root node has been seen */
    int is_map;          /* the on-path collection is a mapping */
    size_t index;        /* sequence: index of the next child */
    int want_key;        /* mapping: the next node is a key */
    int key_hit;         /* mapping: the last key equals the token */
    int key_merge;       /* mapping: the last key is << */
    yaml_mark_t key_at;  /* mapping: start of the last key */
    int have_merge;      /* mapping: a << value was seen (fallback position) */
    yaml_mark_t merge;   /* its start */
    size_t skip;         /* nesting inside an off-path subtree */
};

enum { L_GO, L_FOUND, L_MISS };

static int locate_event(struct locator *L, const yaml_event_t *ev, yaml_mark_t *at)
{
    int coll = ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT;
    size_t matched; /* tokens matched by this node, when it is on the path */

    switch (ev->type) {
    case YAML_SCALAR_EVENT:
    case YAML_ALIAS_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (L->skip) {
            L->skip--;
            return L_GO;
        }
        /* The on-path collection ended without the token: only a merge may hold it. */
        if (L->have_merge) {
            *at = L->merge;
            return L_FOUND;
        }
        return L_MISS;
    case YAML_DOCUMENT_END_EVENT:
    case YAML_STREAM_END_EVENT: return L_MISS;
    default: return L_GO;
    }

    if (L->skip) {
        if (coll && ++L->skip + L->level > ACT_MAX_DEPTH)
            return L_MISS;
        return L_GO;
    }
    if (!L->started) {
        L->started = 1;
        matched = 0;
    } else if (L->is_map && L->want_key) {
        L->want_key = 0;
        L->key_hit = 0;
        L->key_merge = 0;
        L->key_at = ev->start_mark;
        if (ev->type == YAML_SCALAR_EVENT) {
            const struct act_buf *t = &L->tok[L->level];
            size_t n = ev->data.scalar.length;
            L->key_hit = n == t->len && !memcmp(ev->data.scalar.value, t->data, n);
            L->key_merge = act_yaml_is_merge_key(ev);
        }
        if (coll)
            L->skip = 1;
        return L_GO;
    } else {
        int hit;
        if (L->is_map) {
            L->want_key = 1;
            hit = L->key_hit;
            if (L->key_merge && !L->have_merge) {
                L->have_merge = 1;
                L->merge = ev->start_mark;
            }
        } else {
            hit = L->index++ == L->idx[L->level];
        }
        if (!hit) {
            if (coll)
                L->skip = 1;
            return L_GO;
        }
        matched = L->level + 1;
    }
    /* Past an alias the path leads into the anchored node: the alias is the answer. */
    if (matched == L->ntok || ev->type == YAML_ALIAS_EVENT) {
        /* A block collection starts on the line after its key: messages read
         * better pointing at "key:" itself. */
        int block = (ev->type == YAML_MAPPING_START_EVENT &&
                     ev->data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE) ||
                    (ev->type == YAML_SEQUENCE_START_EVENT &&
                     ev->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE);
        *at = block && matched > 0 && L->is_map ? L->key_at : ev->start_mark;
        return L_FOUND;
    }
    if (!coll || matched > ACT_MAX_DEPTH)
        return L_MISS;
    L->is_map = ev->type == YAML_MAPPING_START_EVENT;
    L->index = 0;
    L->want_key = 1;
    L->key_hit = 0;
    L->key_merge = 0;
    L->have_merge = 0;
    L->level = matched;
    return L_GO;
}

int act_yaml_locate(const char *text, size_t len, const char *pointer, int *line, int *col)
{
    struct locator L;
    yaml_parser_t p;
    yaml_event_t ev;
    yaml_mark_t at;
    int result = L_GO;
    size_t i;

    memset(&L, 0, sizeof(L));
    if (*pointer && *pointer != '/')
        return 0;
    for (const char *s = pointer; *s; s++)
        L.ntok += *s == '/';
    L.tok = act_calloc(L.ntok + 1, sizeof(*L.tok));
    L.idx = act_calloc(L.ntok + 1, sizeof(*L.idx));
    if (!L.tok || !L.idx) {
        act_free(L.tok);
        act_free(L.idx);
        return 0;
    }
    for (i = 0; i < L.ntok; i++)
        act_buf_init(&L.tok[i]);
    const char *s = pointer;
    for (i = 0; i < L.ntok; i++) {
        if (act_pointer_next(&s, &L.tok[i]))
            goto out;
        L.idx[i] = token_index(&L.tok[i]);
    }
    if (!yaml_parser_initialize(&p))
        goto out;
    act_yaml_set_input(&p, text, len);
    while (result == L_GO) {
        if (!yaml_parser_parse(&p, &ev))
            break;
        result = locate_event(&L, &ev, &at);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
out:
    for (i = 0; i < L.ntok; i++)
        act_buf_release(&L.tok[i]);
    act_free(L.tok);
    act_free(L.idx);
    if (result != L_FOUND)
        return 0;
    *line = act_yaml_pos1(at.line);
    *col = act_yaml_pos1(at.column);
    return 1;
}

/* ------------------------------------------------------------------------ */
/* A position index                                                         */
/* ------------------------------------------------------------------------ */

/*
 * act_yaml_locate's answer for every node, from one pass over the events, for
 * a document asked for many positions. The nodes form a trie: each entry knows
 * its parent entry and its selector there (a key id in a mapping, an index in
 * a sequence), and one open-addressing hash on (parent, selector) finds a
 * child. Keys are interned (each distinct key text once, in an arena), so a
 * token absent from the key table is absent from every mapping. The rules of
 * locate_event are recorded rather than re-derived: an entry holds the answer
 * itself (the key's position for a block collection under a key), an alias is
 * a leaf that answers for everything below it, and a mapping whose first <<
 * value is known gets a pseudo-entry under IX_MERGE_SEL with that position.
 * Only what locate_event could reach is entered: children of an alias key's
 * value and of a repeated key are skipped, as the first matching key wins.
 */

#define IX_NONE UINT32_MAX      /* no entry: a node no pointer reaches, or no such key */
#define IX_MERGE_SEL UINT32_MAX /* selector of a mapping's merge pseudo-entry */

enum ixkind { IX_MAP, IX_SEQ, IX_SCALAR, IX_ALIAS, IX_MERGE };

struct ixent {
    uint32_t parent;    /* id of the parent entry (IX_NONE for the root) */
    uint32_t sel;       /* key id in a mapping, index in a sequence, or IX_MERGE_SEL */
    int line;           /* act_yaml_locate's answer for the node: 1-based line */
    int col;            /* and column */
    unsigned char kind; /* an enum ixkind */
};

struct ixkey {
    const char *s; /* the key's bytes (in the arena; not NUL-terminated) */
    uint32_t len;  /* bytes in s */
    uint32_t hash; /* act_hash_bytes of s */
};

struct act_yaml_index {
    struct ixent *ent;          /* entries by id; the root is entry 0 */
    size_t n;                   /* entries in ent */
    size_t cap;                 /* slots allocated in ent */
    struct act_map children;    /* ix_hash(parent, sel) -> entry id (the root is not in it) */
    struct ixkey *key;          /* distinct mapping keys by id */
    size_t nkeys;               /* keys in key */
    size_t capkeys;             /* slots allocated in key */
    struct act_map key_by_text; /* act_hash_bytes of a key -> key id */
    struct act_arena arena;     /* the key bytes */
};

/* One open collection during the pass. */
struct ixframe {
    uint32_t id;        /* its entry, IX_NONE when no pointer reaches it */
    uint32_t index;     /* sequence: index of the next item */
    uint32_t key;       /* mapping: id of the pending key, IX_NONE for none or an alias key */
    int is_map;         /* a mapping (else a sequence) */
    int want_key;       /* mapping: the next node is a key */
    int key_merge;      /* mapping: the pending key is << */
    yaml_mark_t key_at; /* mapping: where the pending key starts */
};

/* A 64-bit finalizer (MurmurHash3's): every input bit reaches the low bits used as slot. */
static uint32_t ix_hash(uint32_t parent, uint32_t sel)
{
    uint64_t x = (uint64_t)parent << 32 | sel;
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

static uint32_t ix_child(const struct act_yaml_index *ix, uint32_t parent, uint32_t sel)
{
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &ix->children, ix_hash(parent, sel)); id != ACT_MAP_NONE;
         id = act_map_next(&it))
        if (ix->ent[id].parent == parent && ix->ent[id].sel == sel)
            return id;
    return IX_NONE;
}

/* A new entry (hashed unless it is the root); its id in *id, or IX_NONE when parent
 * already has a child at sel (a repeated key: the first one is what a pointer finds). */
static enum act_status ix_add(struct act_yaml_index *ix, uint32_t parent, uint32_t sel,
                              enum ixkind kind, yaml_mark_t at, uint32_t *id)
{
    *id = IX_NONE;
    if (parent != IX_NONE && ix_child(ix, parent, sel) != IX_NONE)
        return ACT_OK;
    if (ix->n >= IX_NONE - 1)
        return ACT_ERR_LIMIT;
    if (ACT_GROW(ix->ent, ix->cap, ix->n + 1, 1024))
        return ACT_ERR_NOMEM;
    if (parent != IX_NONE && act_map_put(&ix->children, ix_hash(parent, sel), (uint32_t)ix->n))
        return ACT_ERR_NOMEM;
    struct ixent *e = &ix->ent[ix->n];
    e->parent = parent;
    e->sel = sel;
    e->line = act_yaml_pos1(at.line);
    e->col = act_yaml_pos1(at.column);
    e->kind = (unsigned char)kind;
    *id = (uint32_t)ix->n++;
    return ACT_OK;
}

/* The id of key s (len bytes), IX_NONE when no mapping has it. */
static uint32_t ix_key_find(const struct act_yaml_index *ix, const char *s, size_t len, uint32_t h)
{
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &ix->key_by_text, h); id != ACT_MAP_NONE;
         id = act_map_next(&it)) {
        const struct ixkey *k = &ix->key[id];
        if (k->len == len && !memcmp(k->s, s, len))
            return id;
    }
    return IX_NONE;
}

/* The id of key s (len bytes), interned on its first use. */
static enum act_status ix_key(struct act_yaml_index *ix, const char *s, size_t len, uint32_t *id)
{
    uint32_t h = act_hash_bytes(s, len);
    if ((*id = ix_key_find(ix, s, len, h)) != IX_NONE)
        return ACT_OK;
    if (len > UINT32_MAX || ix->nkeys >= IX_NONE - 1)
        return ACT_ERR_LIMIT;
    if (ACT_GROW(ix->key, ix->capkeys, ix->nkeys + 1, 256))
        return ACT_ERR_NOMEM;
    char *copy = act_arena_alloc(&ix->arena, len);
    if (!copy || act_map_put(&ix->key_by_text, h, (uint32_t)ix->nkeys))
        return ACT_ERR_NOMEM;
    memcpy(copy, s, len);
    ix->key[ix->nkeys] = (struct ixkey){copy, (uint32_t)len, h};
    *id = (uint32_t)ix->nkeys++;
    return ACT_OK;
}

/* The pass: frames fr[0..*nfr) are the open collections. ACT_OK to go on, ACT_ERR_NOTFOUND
 * at the end of the (first) document, another status when the index cannot be built. */
static enum act_status ix_event(struct act_yaml_index *ix, struct ixframe *fr, size_t *nfr,
                                const yaml_event_t *ev)
{
    enum ixkind kind;
    switch (ev->type) {
    case YAML_SCALAR_EVENT: kind = IX_SCALAR; break;
    case YAML_ALIAS_EVENT: kind = IX_ALIAS; break;
    case YAML_SEQUENCE_START_EVENT: kind = IX_SEQ; break;
    case YAML_MAPPING_START_EVENT: kind = IX_MAP; break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (!*nfr)
            return ACT_ERR_PARSE;
        --*nfr;
        return ACT_OK;
    case YAML_DOCUMENT_END_EVENT:
    case YAML_STREAM_END_EVENT: return ACT_ERR_NOTFOUND; /* act_yaml_locate stops here too */
    default: return ACT_OK;
    }
    int coll = kind == IX_SEQ || kind == IX_MAP;
    struct ixframe *f = *nfr ? &fr[*nfr - 1] : NULL;
    uint32_t parent = IX_NONE, sel = 0, id = IX_NONE;
    int under_key = 0;
    enum act_status st;

    if (!f) {
        if (ix->n)
            return ACT_ERR_PARSE; /* a second root: not a document act_yaml_parse loads */
    } else if (f->is_map && f->want_key) {
        f->want_key = 0;
        f->key = IX_NONE;
        f->key_merge = 0;
        f->key_at = ev->start_mark;
        if (coll)
            return ACT_ERR_INVALID; /* a collection as key: not loaded either */
        if (kind == IX_SCALAR && f->id != IX_NONE) {
            f->key_merge = act_yaml_is_merge_key(ev);
            return ix_key(ix, (const char *)ev->data.scalar.value, ev->data.scalar.length, &f->key);
        }
        return ACT_OK;
    } else if (f->is_map) {
        f->want_key = 1;
        /* Only the first << value counts: ix_add keeps the first entry under a selector. */
        if (f->id != IX_NONE && f->key_merge &&
            (st = ix_add(ix, f->id, IX_MERGE_SEL, IX_MERGE, ev->start_mark, &id)))
            return st;
        id = IX_NONE;
        parent = f->key == IX_NONE ? IX_NONE : f->id;
        sel = f->key;
        under_key = 1;
    } else {
        if (f->index == IX_NONE)
            return ACT_ERR_LIMIT;
        parent = f->id;
        sel = f->index++;
    }
    if (!f || parent != IX_NONE) {
        int block = (kind == IX_MAP && ev->data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE) ||
                    (kind == IX_SEQ && ev->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE);
        if ((st = ix_add(ix, parent, sel, kind, block && under_key ? f->key_at : ev->start_mark,
                         &id)))
            return st;
    }
    if (coll) {
        if (*nfr >= ACT_MAX_DEPTH)
            return ACT_ERR_LIMIT; /* act_yaml_parse refuses it, act_yaml_locate gives up */
        fr[(*nfr)++] =
            (struct ixframe){.id = id, .is_map = kind == IX_MAP, .want_key = 1, .key = IX_NONE};
    }
    return ACT_OK;
}

void act_yaml_index_free(struct act_yaml_index *ix)
{
    if (!ix)
        return;
    act_free(ix->ent);
    act_map_release(&ix->children);
    act_free(ix->key);
    act_map_release(&ix->key_by_text);
    act_arena_release(&ix->arena);
    act_free(ix);
}

struct act_yaml_index *act_yaml_index_build(const char *text, size_t len)
{
    struct act_yaml_index *ix = act_calloc(1, sizeof(*ix));
    struct ixframe *fr = act_malloc(ACT_MAX_DEPTH * sizeof(*fr));
    size_t nfr = 0;
    enum act_status st = ACT_ERR_NOMEM;
    yaml_parser_t p;
    yaml_event_t ev;

    if (ix) {
        act_arena_init(&ix->arena, 0);
        act_map_init(&ix->children);
        act_map_init(&ix->key_by_text);
    }
    if (ix && fr && yaml_parser_initialize(&p)) {
        act_yaml_set_input(&p, text, len);
        do {
            if (!yaml_parser_parse(&p, &ev)) {
                st = ACT_ERR_PARSE;
                break;
            }
            st = ix_event(ix, fr, &nfr, &ev);
            yaml_event_delete(&ev);
        } while (st == ACT_OK);
        yaml_parser_delete(&p);
    }
    act_free(fr);
    if (st != ACT_ERR_NOTFOUND || !ix->n) {
        act_yaml_index_free(ix);
        return NULL;
    }
    /* Give back the slack of the last doubling. */
    struct ixent *ent = act_realloc(ix->ent, ix->n * sizeof(*ent));
    if (ent) {
        ix->ent = ent;
        ix->cap = ix->n;
    }
    return ix;
}

int act_yaml_index_get(const struct act_yaml_index *ix, const char *pointer, int *line, int *col)
{
    /* act_yaml_locate refuses a malformed pointer whatever the document says. */
    if (*pointer && *pointer != '/')
        return 0;
    for (const char *s = pointer; (s = strchr(s, '~')); s++)
        if (s[1] != '0' && s[1] != '1')
            return 0;
    struct act_buf tok;
    act_buf_init(&tok);
    uint32_t cur = 0;
    int found = 1;
    while (*pointer) {
        const struct ixent *e = &ix->ent[cur];
        if (e->kind == IX_ALIAS)
            break; /* past an alias the alias is the answer */
        if (e->kind != IX_MAP && e->kind != IX_SEQ) {
            found = 0;
            break;
        }
        if (act_pointer_next(&pointer, &tok)) {
            found = -1; /* out of memory: let the caller rescan */
            break;
        }
        uint32_t next = IX_NONE;
        if (e->kind == IX_MAP) {
            uint32_t k = ix_key_find(ix, tok.data, tok.len, act_hash_bytes(tok.data, tok.len));
            if (k != IX_NONE)
                next = ix_child(ix, cur, k);
            if (next == IX_NONE) {
                /* A key the mapping lacks may come from a merge: its value answers. */
                next = ix_child(ix, cur, IX_MERGE_SEL);
                found = next != IX_NONE;
                cur = next;
                break;
            }
        } else {
            size_t i = token_index(&tok);
            if (i < IX_NONE)
                next = ix_child(ix, cur, (uint32_t)i);
            if (next == IX_NONE) {
                found = 0;
                break;
            }
        }
        cur = next;
    }
    act_buf_release(&tok);
    if (found == 1) {
        *line = ix->ent[cur].line;
        *col = ix->ent[cur].col;
    }
    return found;
}
