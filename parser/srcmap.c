/*
 * srcmap.c - the source map of a translated document (see srcmap.h): an array of
 * (translated prefix, source pointer) pairs indexed by an act_map on the prefix.
 */
#include "srcmap.h"

#include <string.h>

#include "common/act_alloc.h"
#include "common/act_map.h"

struct entry {
    char *to;   /* translated prefix */
    char *from; /* source pointer */
};

struct act_srcmap {
    struct entry *v;   /* the pairs */
    size_t n;          /* pairs in v */
    size_t cap;        /* slots in v */
    struct act_map ix; /* hash of to -> index in v */
    cJSON *source;     /* the source tree (owned), or NULL */
};

enum act_status act_srcmap_new(struct act_srcmap **out)
{
    *out = act_calloc(1, sizeof(**out));
    if (!*out)
        return ACT_ERR_NOMEM;
    act_map_init(&(*out)->ix);
    return ACT_OK;
}

void act_srcmap_free(struct act_srcmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        act_free(m->v[i].to);
        act_free(m->v[i].from);
    }
    act_free(m->v);
    act_map_release(&m->ix);
    cJSON_Delete(m->source);
    act_free(m);
}

static uint32_t find(const struct act_srcmap *m, const char *to, size_t len)
{
    struct act_map_it it;
    uint32_t h = act_hash_bytes(to, len);
    for (uint32_t id = act_map_first(&it, &m->ix, h); id != ACT_MAP_NONE; id = act_map_next(&it))
        if (strlen(m->v[id].to) == len && memcmp(m->v[id].to, to, len) == 0)
            return id;
    return ACT_MAP_NONE;
}

enum act_status act_srcmap_add(struct act_srcmap *m, const char *to, const char *from)
{
    char *f = act_strdup(from);
    if (!f)
        return ACT_ERR_NOMEM;
    uint32_t id = find(m, to, strlen(to));
    if (id != ACT_MAP_NONE) {
        act_free(m->v[id].from);
        m->v[id].from = f;
        return ACT_OK;
    }
    char *t = act_strdup(to);
    if (!t || m->n >= ACT_MAP_NONE || ACT_GROW(m->v, m->cap, m->n + 1, 32) ||
        act_map_put(&m->ix, act_hash_str(to), (uint32_t)m->n)) {
        act_free(t);
        act_free(f);
        return ACT_ERR_NOMEM;
    }
    m->v[m->n++] = (struct entry){t, f};
    return ACT_OK;
}

void act_srcmap_take_source(struct act_srcmap *m, cJSON *source)
{
    cJSON_Delete(m->source);
    m->source = source;
}

const cJSON *act_srcmap_source(const struct act_srcmap *m)
{
    return m ? m->source : NULL;
}

enum act_status act_srcmap_lookup(const struct act_srcmap *m, const char *pointer,
                                  struct act_buf *out)
{
    size_t len = strlen(pointer);
    act_buf_reset(out);
    /* The longest prefix that ends at a token boundary wins. */
    for (size_t l = len;; l--) {
        if (l == len || pointer[l] == '/') {
            uint32_t id = find(m, pointer, l);
            if (id != ACT_MAP_NONE) {
                enum act_status st = act_buf_adds(out, m->v[id].from);
                return st ? st : act_buf_add(out, pointer + l, len - l);
            }
        }
        if (l == 0)
            break;
    }
    return act_buf_add(out, pointer, len);
}
