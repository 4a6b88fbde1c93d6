/*
 * act_arena.h - bump allocation from big blocks, all freed at once (git's mem-pool.h).
 *
 * For data that lives and dies together, such as the nodes and strings of a
 * parsed document: an allocation is a pointer increment, and freeing a
 * hundred million bytes of them is one call per block. Blocks of
 * ACT_ARENA_PAGES_MIN bytes or more come from act_pages_alloc (whole pages,
 * huge pages where the kernel offers them); smaller ones from act_calloc.
 * Memory handed out is zeroed and 8-byte aligned.
 *
 * Besides fixed-size allocations, an arena can grow one object whose final size
 * is not known in advance (a string being decoded): act_arena_open gives room at
 * the end of the current block, act_arena_extend makes more (moving what was
 * written when the block is full), act_arena_close keeps what was used.
 */
#ifndef ACT_COMMON_ACT_ARENA_H
#define ACT_COMMON_ACT_ARENA_H

#include <stddef.h>

#include "act_status.h"

/* Blocks this large or larger are mapped pages rather than heap memory. */
#define ACT_ARENA_PAGES_MIN ((size_t)1 << 20)

struct act_arena_block;

struct act_arena {
    struct act_arena_block *blocks; /* every block, newest first */
    char *cur;                      /* next free byte of the newest block */
    char *end;                      /* end of the newest block */
    char *lim;                      /* end of the room of the object being grown, if any */
    size_t next;                    /* size of the next block (grows geometrically) */
};

/* An empty arena whose first block will hold at least first bytes (0 = a default). */
void act_arena_init(struct act_arena *a, size_t first);
/* Free every block; the arena is empty (and usable) again. */
void act_arena_release(struct act_arena *a);

/* n bytes, zeroed, 8-byte aligned, valid until act_arena_release; NULL on allocation failure. */
void *act_arena_alloc(struct act_arena *a, size_t n);

/*
 * Start an object of unknown size: returns where to write, with at least min
 * bytes of room up to *lim (NULL on allocation failure). Until it is closed,
 * nothing else may be allocated from a.
 */
char *act_arena_open(struct act_arena *a, size_t min, char **lim);
/* The object at start has used bytes written; make room for min more. Returns its
 * (possibly new) start, the used bytes copied there, and sets *lim; NULL on
 * allocation failure (the object is then abandoned). */
char *act_arena_extend(struct act_arena *a, char *start, size_t used, size_t min, char **lim);
/* Keep used bytes of the object at start (the rest of the room returns to a). */
void act_arena_close(struct act_arena *a, char *start, size_t used);

#endif
