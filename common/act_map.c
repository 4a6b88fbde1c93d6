/*
 * act_map.c - open-addressing hash index (see act_map.h).
 */
#include "common/act_map.h"

#include <string.h>

#include "common/act_alloc.h"

void act_map_init(struct act_map *m)
{
    m->slot = NULL;
    m->mask = 0;
    m->count = 0;
}

void act_map_release(struct act_map *m)
{
    act_free(m->slot);
    act_map_init(m);
}

static void put_slot(struct act_map_slot *slot, size_t mask, uint32_t hash, uint32_t id)
{
    size_t i = hash & mask;
    while (slot[i].id != ACT_MAP_NONE)
        i = (i + 1) & mask;
    slot[i].hash = hash;
    slot[i].id = id;
}

static enum act_status rehash(struct act_map *m, size_t slots)
{
    struct act_map_slot *s = act_malloc(slots * sizeof(*s));
    if (!s)
        return ACT_ERR_NOMEM;
    memset(s, 0xff, slots * sizeof(*s));
    if (m->slot) {
        for (size_t i = 0; i <= m->mask; i++)
            if (m->slot[i].id != ACT_MAP_NONE)
                put_slot(s, slots - 1, m->slot[i].hash, m->slot[i].id);
        act_free(m->slot);
    }
    m->slot = s;
    m->mask = slots - 1;
    return ACT_OK;
}

enum act_status act_map_reserve(struct act_map *m, size_t n)
{
    size_t slots = m->slot ? m->mask + 1 : 0;
    if (n <= slots / 2)
        return ACT_OK;
    if (n > SIZE_MAX / 4 / sizeof(struct act_map_slot))
        return ACT_ERR_NOMEM;
    size_t want = 16;
    while (want / 2 < n)
        want *= 2;
    return rehash(m, want);
}

enum act_status act_map_put(struct act_map *m, uint32_t hash, uint32_t id)
{
    if (!m->slot || m->count + 1 > (m->mask + 1) / 2) {
        enum act_status st = act_map_reserve(m, m->count + 1 < 8 ? 8 : (m->count + 1) * 2);
        if (st)
            return st;
    }
    put_slot(m->slot, m->mask, hash, id);
    m->count++;
    return ACT_OK;
}

static uint32_t scan(struct act_map_it *it)
{
    const struct act_map *m = it->m;
    for (;; it->i = (it->i + 1) & m->mask) {
        const struct act_map_slot *s = &m->slot[it->i];
        if (s->id == ACT_MAP_NONE)
            return ACT_MAP_NONE;
        if (s->hash == it->hash)
            return s->id;
    }
}

uint32_t act_map_first(struct act_map_it *it, const struct act_map *m, uint32_t hash)
{
    it->m = m;
    it->hash = hash;
    if (!m->slot)
        return ACT_MAP_NONE;
    it->i = hash & m->mask;
    return scan(it);
}

uint32_t act_map_next(struct act_map_it *it)
{
    it->i = (it->i + 1) & it->m->mask;
    return scan(it);
}

void act_map_it_set(struct act_map_it *it, uint32_t id)
{
    it->m->slot[it->i].id = id;
}

uint32_t act_map_hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x;
}
