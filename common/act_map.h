/*
 * act_map.h - the one hash index every table of the project uses.
 *
 * An act_map is an open-addressing index (linear probing, power-of-two size, at most
 * half full) from a 32-bit hash to a 32-bit id. It does not own keys or values: the
 * caller keeps its entries in its own array and stores their index in the map, so a
 * table of anchors, positions or compiled schemas stays one plain array. Lookup walks
 * the candidates whose hash matches and the caller compares the keys itself:
 *
 *     struct act_map_it it;
 *     for (uint32_t id = act_map_first(&it, &m, h); id != ACT_MAP_NONE; id = act_map_next(&it))
 *         if (same_key(&entries[id], key))
 *             return id;
 *
 * act_map_it_set() replaces the id a lookup found (an anchor redefined, say). Ids are
 * below ACT_MAP_NONE; the map never allocates until the first act_map_put.
 */
#ifndef ACT_COMMON_ACT_MAP_H
#define ACT_COMMON_ACT_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "common/act_status.h"

#define ACT_MAP_NONE UINT32_MAX

struct act_map_slot {
    uint32_t hash;
    uint32_t id; /* ACT_MAP_NONE: empty */
};

struct act_map {
    struct act_map_slot *slot;
    size_t mask; /* slots - 1, or 0 before the first put */
    size_t count;
};

struct act_map_it {
    const struct act_map *m;
    size_t i;
    uint32_t hash;
};

/* An empty map (no allocation). */
void act_map_init(struct act_map *m);
/* Frees the slots; the map is empty again. */
void act_map_release(struct act_map *m);
/* Room for n entries without growing (an optional hint). */
enum act_status act_map_reserve(struct act_map *m, size_t n) ACT_WUR;
/* Adds (hash, id); does not look for an existing entry: look up first where keys are
 * unique. id must be below ACT_MAP_NONE. */
enum act_status act_map_put(struct act_map *m, uint32_t hash, uint32_t id) ACT_WUR;
/* The first id stored under hash, or ACT_MAP_NONE; act_map_next gives the following
 * ones, in insertion order of the probe sequence. */
uint32_t act_map_first(struct act_map_it *it, const struct act_map *m, uint32_t hash);
uint32_t act_map_next(struct act_map_it *it);
/* Replaces the id the iterator last returned. */
void act_map_it_set(struct act_map_it *it, uint32_t id);

/* 32-bit hash of a pointer value, for maps keyed by node address. */
uint32_t act_map_hash_ptr(const void *p);

#endif
