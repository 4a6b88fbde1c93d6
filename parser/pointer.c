/*
 * pointer.c - RFC 6901 JSON Pointers.
 */
#include "pointer.h"

#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"

enum act_status act_pointer_next(const char **p, struct act_buf *seg)
{
    const char *s = *p;
    act_buf_reset(seg);
    if (*s != '/')
        return ACT_ERR_INVALID;
    s++;
    const char *start = s;
    while (*s && *s != '/') {
        if (*s == '~') {
            if (s[1] != '0' && s[1] != '1')
                return ACT_ERR_INVALID;
            if (act_buf_add(seg, start, (size_t)(s - start)) ||
                act_buf_addc(seg, s[1] == '0' ? '~' : '/'))
                return ACT_ERR_NOMEM;
            s += 2;
            start = s;
            continue;
        }
        s++;
    }
    if (act_buf_add(seg, start, (size_t)(s - start)))
        return ACT_ERR_NOMEM;
    *p = s;
    return ACT_OK;
}

/* Does the escaped token tok[0..len) equal the plain key? ("~1" is '/', "~0" is '~'.) */
static int token_equals(const char *tok, size_t len, const char *key)
{
    size_t i = 0;
    for (; i < len; i++, key++) {
        char c = tok[i];
        if (c == '~') {
            if (i + 1 >= len || (tok[i + 1] != '0' && tok[i + 1] != '1'))
                return 0;
            c = tok[++i] == '0' ? '~' : '/';
        }
        if (*key != c)
            return 0;
    }
    return *key == '\0';
}

static int parse_index(const char *s, size_t len, size_t *out)
{
    size_t v = 0;
    if (len == 0 || (s[0] == '0' && len > 1))
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > ((size_t)-1) / 10 - 10)
            return 0;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Walks without allocating, so "not found" never hides an allocation failure. */
const cJSON *act_pointer_get(const cJSON *root, const char *pointer)
{
    const cJSON *node = root;
    while (node && *pointer) {
        if (*pointer != '/')
            return NULL;
        const char *tok = pointer + 1;
        size_t len = strcspn(tok, "/");
        pointer = tok + len;
        if (cJSON_IsObject(node)) {
            const cJSON *c = node->child;
            while (c && !(c->string && token_equals(tok, len, c->string)))
                c = c->next;
            node = c;
        } else if (cJSON_IsArray(node)) {
            size_t i;
            if (!parse_index(tok, len, &i))
                return NULL;
            const cJSON *c = node->child;
            while (c && i--)
                c = c->next;
            node = c;
        } else {
            return NULL;
        }
    }
    return node;
}

enum act_status act_pointer_append(struct act_buf *b, const char *token)
{
    if (act_buf_addc(b, '/'))
        return ACT_ERR_NOMEM;
    for (const char *s = token; *s; s++) {
        enum act_status st;
        if (*s == '~')
            st = act_buf_add(b, "~0", 2);
        else if (*s == '/')
            st = act_buf_add(b, "~1", 2);
        else
            st = act_buf_addc(b, *s);
        if (st)
            return st;
    }
    return ACT_OK;
}

enum act_status act_pointer_append_index(struct act_buf *b, size_t index)
{
    return act_buf_printf(b, "/%zu", index);
}

enum act_status act_pointer_from_fragment(const char *frag, size_t len, struct act_buf *out)
{
    size_t hash = len && frag[0] == '#';
    act_buf_reset(out);
    return act_buf_add_pct_decoded(out, frag + hash, len - hash);
}

/* Depth-first search for target; on success path[0..*n) holds the nodes from
 * root's child down to target. Nothing is built until the node is found. */
static int find(const cJSON *node, const cJSON *target, const cJSON **path, int depth, int *n)
{
    if (node == target) {
        *n = depth;
        return 1;
    }
    if (depth >= 4096)
        return 0;
    for (const cJSON *c = node->child; c; c = c->next) {
        path[depth] = c;
        if (find(c, target, path, depth + 1, n))
            return 1;
    }
    return 0;
}

enum act_status act_pointer_of(const cJSON *root, const cJSON *node, struct act_buf *out)
{
    const cJSON **path = act_malloc(4096 * sizeof(*path));
    int n = 0;
    enum act_status st = ACT_OK;
    act_buf_reset(out);
    if (!path)
        return ACT_ERR_NOMEM;
    if (!find(root, node, path, 0, &n)) {
        act_free(path);
        return ACT_ERR_NOTFOUND;
    }
    const cJSON *parent = root;
    for (int i = 0; i < n && !st; i++) {
        if (cJSON_IsObject(parent)) {
            st = act_pointer_append(out, path[i]->string ? path[i]->string : "");
        } else {
            size_t index = 0;
            for (const cJSON *c = parent->child; c != path[i]; c = c->next)
                index++;
            st = act_pointer_append_index(out, index);
        }
        parent = path[i];
    }
    act_free(path);
    return st;
}
