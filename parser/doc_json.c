/*
 * doc_json.c - the JSON back end (doc_json.h): a pre-scan for what cJSON does not
 * check, cJSON for the tree, the checks of the tree (depth, duplicate member names),
 * a pointer locator over the raw text and the node -> offset index.
 *
 * cJSON accepts invalid UTF-8 and reports only where it stopped, so one linear
 * pre-scan (text.c) rejects NUL bytes and invalid UTF-8 with an exact position.
 * Positions of nodes are never stored: act_json_locate rescans the text with the
 * JSON scanner of text.h when a message needs one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_map.h"
#include "common/act_utf8.h"
#include "doc_json.h"
#include "pointer.h"
#include "text.h"

/* What cJSON accepts silently: invalid UTF-8, NUL bytes (text.c), then the escape
 * \u0000, which cJSON turns into a NUL that cuts the string short. */
static enum act_status check_bytes(const char *name, const char *text, size_t len,
                                   struct act_error *err)
{
    enum act_status st = act_text_check_bytes(name, text, len, err);
    if (st)
        return st;
    /* Escapes are read left to right, so an escaped backslash never starts one. */
    for (const char *p = text, *end_p = text + len; (p = memchr(p, '\\', (size_t)(end_p - p)));) {
        if (end_p - p >= 6 && memcmp(p + 1, "u0000", 5) == 0)
            return act_text_error_at(err, ACT_ERR_PARSE, name, text, len, (size_t)(p - text),
                                     "\\u0000 (NUL) in a string is not supported");
        if (end_p - p < 2)
            break;
        p += 2; /* the escaped character, whatever it is, cannot start another escape */
    }
    return ACT_OK;
}

/* Deeper than max anywhere? (cJSON bounds the recursion at 1000 levels.) */
static int deeper_than(const cJSON *node, int max)
{
    if (max < 0)
        return 1;
    for (const cJSON *c = node->child; c; c = c->next)
        if (c->child && deeper_than(c, max - 1))
            return 1;
    return 0;
}

static enum act_status depth_error(struct act_error *err, const char *name, const char *text,
                                   size_t len, size_t off)
{
    char msg[64];
    snprintf(msg, sizeof(msg), "nesting deeper than %d", ACT_MAX_DEPTH);
    return act_text_error_at(err, ACT_ERR_LIMIT, name, text, len, off, msg);
}

/* ---- duplicate member names --------------------------------------------- */

/* Objects with at most this many members are checked pair by pair; larger ones
 * through a hash set, so that the check stays linear in the document. */
#define DUP_PAIRWISE_MAX 12

struct dupset {
    struct act_map names; /* hash of a member's name -> its index in member */
    const cJSON **member; /* the members of the object being checked, in order */
    size_t cap;           /* slots in member */
};

/* The first member of obj whose name another member repeats, and that member:
 * *first, *again (NULL when there is none). ACT_ERR_NOMEM when the set cannot grow. */
static enum act_status dup_in(const cJSON *obj, size_t n, struct dupset *set, const cJSON **first,
                              const cJSON **again)
{
    *first = *again = NULL;
    if (n <= DUP_PAIRWISE_MAX) {
        for (const cJSON *b = obj->child; b; b = b->next)
            for (const cJSON *a = obj->child; a != b; a = a->next)
                if (a->string[0] == b->string[0] && strcmp(a->string, b->string) == 0) {
                    *first = a;
                    *again = b;
                    return ACT_OK;
                }
        return ACT_OK;
    }
    act_map_release(&set->names);
    if (ACT_GROW(set->member, set->cap, n, 64) || act_map_reserve(&set->names, n))
        return ACT_ERR_NOMEM;
    uint32_t id = 0;
    for (const cJSON *b = obj->child; b; b = b->next, id++) {
        uint32_t h = act_hash_str(b->string);
        struct act_map_it it;
        for (uint32_t k = act_map_first(&it, &set->names, h); k != ACT_MAP_NONE;
             k = act_map_next(&it))
            if (strcmp(set->member[k]->string, b->string) == 0) {
                *first = set->member[k];
                *again = b;
                return ACT_OK;
            }
        set->member[id] = b;
        if (act_map_put(&set->names, h, id))
            return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

/* One walk of the tree for what the parse leaves to check: nesting deeper than max
 * (returns 1; cJSON bounds its recursion at 1000 levels), else the first object with
 * a repeated member name as in dup_in (*first, *again), *st ACT_ERR_NOMEM when the
 * set cannot grow. Walking once keeps the check cheap on a large spec. */
static int tree_check(const cJSON *node, int max, struct dupset *set, const cJSON **first,
                      const cJSON **again, enum act_status *st)
{
    if (max < 0)
        return 1;
    size_t n = 0;
    for (const cJSON *c = node->child; c; c = c->next) {
        n++;
        if (c->child && (tree_check(c, max - 1, set, first, again, st) || *first || *st))
            return *first || *st ? 0 : 1;
    }
    if (n > 1 && (node->type & 0xFF) == cJSON_Object)
        *st = dup_in(node, n, set, first, again);
    return 0;
}

/* Where the name of the member whose value starts at off begins: back over the
 * blanks, the colon and the name's closing quote to its opening quote. */
static size_t name_offset(const char *t, size_t off)
{
    size_t i = off;
    while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n' || t[i - 1] == '\r'))
        i--;
    if (i > 0 && t[i - 1] == ':')
        i--;
    while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n' || t[i - 1] == '\r'))
        i--;
    if (i == 0 || t[i - 1] != '"')
        return off;
    /* The opening quote is the nearest quote before the closing one that no odd run
     * of backslashes escapes (a name holds no unescaped quote). */
    for (size_t q = i - 1; q > 0; q--) {
        if (t[q - 1] != '"')
            continue;
        size_t run = 0;
        while (q - 1 - run > 0 && t[q - 2 - run] == '\\')
            run++;
        if (run % 2 == 0)
            return q - 1;
    }
    return off;
}

/* RFC 8259 says member names SHOULD be unique; cJSON keeps both members and
 * lookups see only the first, so the second (a whole `paths` object, say)
 * would vanish silently. Refuse it as the YAML reader does, at both places. */
static enum act_status duplicate_error(const char *name, const char *text, size_t len,
                                       const cJSON *root, const cJSON *first, const cJSON *again,
                                       struct act_error *err)
{
    struct act_json_index *ix = act_json_index_build(text, len, root);
    size_t off1 = 0, off2 = 0;
    int l1 = 0, c1 = 0, l2 = 0, c2 = 0;
    if (ix && act_json_index_get(ix, first, &off1) && act_json_index_get(ix, again, &off2)) {
        act_text_position(text, len, name_offset(text, off1), &l1, &c1);
        act_text_position(text, len, name_offset(text, off2), &l2, &c2);
    }
    act_json_index_free(ix);
    char kb[ACT_ECHO_SIZE];
    act_echo(kb, sizeof(kb), again->string, strlen(again->string));
    if (!l1)
        return act_error_set(err, ACT_ERR_INVALID, name, 0, 0, "duplicate key \"%s\"", kb);
    return act_error_set(err, ACT_ERR_INVALID, name, l2, c2,
                         "duplicate key \"%s\" (first defined at line %d, column %d)", kb, l1, c1);
}

enum act_status act_json_parse(const char *name, const char *text, size_t len, cJSON **out,
                               struct act_error *err)
{
    *out = NULL;
    size_t start = act_text_bom(text, len); /* a UTF-8 byte order mark is tolerated */
    enum act_status st = check_bytes(name, text, len, err);
    if (st)
        return st;
    if (act_json_scan_ws(text, len, start) == len)
        return act_text_error_at(err, ACT_ERR_PARSE, name, text, len, len, "empty document");
    const char *end = NULL;
    long failed_before = act_alloc_failed();
    cJSON *root = cJSON_ParseWithLengthOpts(text + start, len - start, &end, 0);
    if (!root && act_alloc_failed() != failed_before)
        return act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    if (!root) {
        size_t off = end ? (size_t)(end - text) : len;
        if (off > len)
            off = len;
        size_t deep = act_json_scan_depth(text, off, ACT_MAX_DEPTH);
        if (deep < off)
            return depth_error(err, name, text, len, deep);
        char msg[200], ch[32];
        if (act_json_scan_ws(text, len, off) >= len) {
            snprintf(msg, sizeof(msg), "invalid JSON: unexpected end of input");
            off = len;
        } else {
            size_t k = act_utf8_len((const unsigned char *)text + off, len - off);
            snprintf(msg, sizeof(msg), "invalid JSON: unexpected '%s'",
                     act_echo(ch, sizeof(ch), text + off, k ? k : 1));
        }
        return act_text_error_at(err, ACT_ERR_PARSE, name, text, len, off, msg);
    }
    struct dupset set = {.member = NULL, .cap = 0};
    const cJSON *first = NULL, *again = NULL;
    act_map_init(&set.names);
    int deep = tree_check(root, ACT_MAX_DEPTH - 1, &set, &first, &again, &st);
    act_map_release(&set.names);
    act_free(set.member);
    /* Found a repeated name before the walk was over: too deep still comes first. */
    if (!deep && (first || st))
        deep = deeper_than(root, ACT_MAX_DEPTH - 1);
    if (deep) {
        cJSON_Delete(root);
        return depth_error(err, name, text, len, act_json_scan_depth(text, len, ACT_MAX_DEPTH));
    }
    if (st) {
        cJSON_Delete(root);
        return act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    size_t rest = act_json_scan_ws(text, len, (size_t)(end - text));
    if (rest < len) {
        cJSON_Delete(root);
        return act_text_error_at(err, ACT_ERR_PARSE, name, text, len, rest,
                                 "invalid JSON: unexpected content after the document");
    }
    if (first) {
        st = duplicate_error(name, text, len, root, first, again, err);
        cJSON_Delete(root);
        return st;
    }
    *out = root;
    return ACT_OK;
}

/* ---- locating a pointer in raw JSON text -------------------------------- */

/* Decode the JSON string at t[i] == '"' into b; returns the index after it. */
static size_t read_string(const char *t, size_t len, size_t i, struct act_buf *b, int *ok)
{
    act_buf_reset(b);
    *ok = 1;
    for (i++; i < len && t[i] != '"'; i++) {
        char c = t[i];
        if (c != '\\') {
            if (act_buf_addc(b, c))
                *ok = 0;
            continue;
        }
        if (++i >= len)
            break;
        unsigned cp;
        switch (t[i]) {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
            if (i + 4 >= len || !act_hex4(t + i + 1, &cp)) {
                *ok = 0;
                return len;
            }
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < len && t[i + 1] == '\\' &&
                t[i + 2] == 'u') {
                unsigned lo;
                if (act_hex4(t + i + 3, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            if (act_buf_add_utf8(b, cp))
                *ok = 0;
            continue;
        default: c = t[i]; break;
        }
        if (act_buf_addc(b, c))
            *ok = 0;
    }
    return i < len ? i + 1 : len;
}

int act_json_locate(const char *text, size_t len, const char *pointer, size_t *off)
{
    struct act_buf seg, key;
    int found = 0;
    size_t i = 0;
    act_buf_init(&seg);
    act_buf_init(&key);
    i = act_json_scan_ws(text, len, act_text_bom(text, len));
    while (*pointer) {
        if (act_pointer_next(&pointer, &seg) || i >= len)
            goto done;
        if (text[i] == '{') {
            int matched = 0;
            i = act_json_scan_ws(text, len, i + 1);
            while (i < len && text[i] == '"') {
                int ok;
                i = read_string(text, len, i, &key, &ok);
                if (!ok)
                    goto done;
                i = act_json_scan_ws(text, len, i);
                if (i >= len || text[i] != ':')
                    goto done;
                i = act_json_scan_ws(text, len, i + 1);
                if (key.len == seg.len && memcmp(key.data, seg.data, seg.len) == 0) {
                    matched = 1;
                    break;
                }
                i = act_json_scan_ws(text, len, act_json_scan_value(text, len, i));
                if (i < len && text[i] == ',')
                    i = act_json_scan_ws(text, len, i + 1);
            }
            if (!matched)
                goto done;
        } else if (text[i] == '[') {
            char *endp;
            unsigned long idx = strtoul(seg.data, &endp, 10);
            if (!seg.len || *endp || (seg.data[0] == '0' && seg.len > 1))
                goto done;
            i = act_json_scan_ws(text, len, i + 1);
            for (unsigned long k = 0; k < idx; k++) {
                if (i >= len || text[i] == ']')
                    goto done;
                i = act_json_scan_ws(text, len, act_json_scan_value(text, len, i));
                if (i >= len || text[i] != ',')
                    goto done;
                i = act_json_scan_ws(text, len, i + 1);
            }
            if (i >= len || text[i] == ']')
                goto done;
        } else {
            goto done;
        }
    }
    if (i < len) {
        *off = i;
        found = 1;
    }
done:
    act_buf_release(&seg);
    act_buf_release(&key);
    return found;
}

/* ---- an offset index for documents asked for many positions ------------- */

/* Where each value of a parsed JSON document starts, keyed by its node. */
struct act_json_index {
    struct act_map by_node; /* act_map_hash_ptr(node) -> index in at */
    struct json_at {
        const cJSON *node;
        size_t off; /* offset of the node's value in the text */
    } * at;
    size_t n, cap; /* entries in at, and its room (the tree's node count) */
};

static enum act_status index_put(struct act_json_index *ix, const cJSON *n, size_t off)
{
    if (ix->n == ix->cap)
        return ACT_ERR_INVALID; /* more values in the text than nodes in the tree */
    ix->at[ix->n] = (struct json_at){n, off};
    return act_map_put(&ix->by_node, act_map_hash_ptr(n), (uint32_t)ix->n++);
}

static size_t count_nodes(const cJSON *n)
{
    size_t c = 1;
    for (const cJSON *k = n->child; k; k = k->next)
        c += count_nodes(k);
    return c;
}

/* Does the raw key at t[i] == '"' (up to the closing quote at end - 1) spell name? */
static int key_is(const char *t, size_t i, size_t end, const char *name, struct act_buf *tmp)
{
    if (end < i + 2 || t[end - 1] != '"')
        return 0;
    size_t l = end - i - 2;
    if (!memchr(t + i + 1, '\\', l))
        return name && strlen(name) == l && memcmp(t + i + 1, name, l) == 0;
    int ok;
    read_string(t, end, i, tmp, &ok);
    return ok && name && strlen(name) == tmp->len && memcmp(tmp->data, name, tmp->len) == 0;
}

/* Record node at t[i] and, for containers, its members in order; the index after the
 * value, or SIZE_MAX when text and tree disagree (a skeleton tree, say). */
static size_t index_value(const char *t, size_t len, size_t i, const cJSON *node,
                          struct act_json_index *ix, struct act_buf *tmp)
{
    i = act_json_scan_ws(t, len, i);
    if (i >= len)
        return SIZE_MAX;
    if (index_put(ix, node, i))
        return SIZE_MAX;
    char open = t[i];
    if (cJSON_IsObject(node) != (open == '{') || cJSON_IsArray(node) != (open == '['))
        return SIZE_MAX;
    if (open != '{' && open != '[') {
        if (cJSON_IsString(node) != (open == '"'))
            return SIZE_MAX;
        return act_json_scan_value(t, len, i);
    }
    i++;
    for (const cJSON *k = node->child; k; k = k->next) {
        i = act_json_scan_ws(t, len, i);
        if (open == '{') {
            if (i >= len || t[i] != '"')
                return SIZE_MAX;
            size_t end = act_json_scan_string(t, len, i);
            if (!key_is(t, i, end, k->string, tmp))
                return SIZE_MAX;
            i = act_json_scan_ws(t, len, end);
            if (i >= len || t[i] != ':')
                return SIZE_MAX;
            i++;
        }
        i = index_value(t, len, i, k, ix, tmp);
        if (i == SIZE_MAX)
            return SIZE_MAX;
        i = act_json_scan_ws(t, len, i);
        if (i < len && t[i] == ',')
            i++;
    }
    i = act_json_scan_ws(t, len, i);
    if (i >= len || t[i] != (open == '{' ? '}' : ']'))
        return SIZE_MAX; /* the tree has fewer members than the text */
    return i + 1;
}

struct act_json_index *act_json_index_build(const char *text, size_t len, const cJSON *root)
{
    if (!root)
        return NULL;
    size_t n = count_nodes(root);
    struct act_json_index *ix = act_calloc(1, sizeof(*ix));
    if (ix) {
        act_map_init(&ix->by_node);
        ix->at = n < ACT_MAP_NONE ? act_malloc(n * sizeof(*ix->at)) : NULL;
        ix->cap = n;
    }
    struct act_buf tmp;
    act_buf_init(&tmp);
    if (!ix || !ix->at || act_map_reserve(&ix->by_node, n) ||
        index_value(text, len, act_text_bom(text, len), root, ix, &tmp) == SIZE_MAX) {
        act_json_index_free(ix);
        ix = NULL;
    }
    act_buf_release(&tmp);
    return ix;
}

int act_json_index_get(const struct act_json_index *ix, const cJSON *node, size_t *off)
{
    if (!ix || !node)
        return 0;
    struct act_map_it it;
    for (uint32_t k = act_map_first(&it, &ix->by_node, act_map_hash_ptr(node)); k != ACT_MAP_NONE;
         k = act_map_next(&it))
        if (ix->at[k].node == node) {
            *off = ix->at[k].off;
            return 1;
        }
    return 0;
}

void act_json_index_free(struct act_json_index *ix)
{
    if (!ix)
        return;
    act_map_release(&ix->by_node);
    act_free(ix->at);
    act_free(ix);
}
