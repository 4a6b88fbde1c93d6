/*
 * act_arena.c - bump allocation from big blocks, all freed at once.
 *
 * Each block starts with a small header linking it to the older ones. Block
 * sizes double up to ARENA_MAX_STEP, so a document of any size needs few
 * blocks. Under AddressSanitizer the free room of a block is poisoned and
 * unpoisoned piece by piece as it is handed out, so an overrun of the last
 * object of a block is still reported.
 */
#include "act_arena.h"

#include <stdint.h>
#include <string.h>

#include "act_alloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif

#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
/* Room unpoisoned by act_arena_open beyond what was asked for. */
#define OPEN_WINDOW 256
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_ALIGN 8
#define ARENA_FIRST_DEFAULT ((size_t)64 << 10)
#define ARENA_MAX_STEP ((size_t)256 << 20)

struct act_arena_block {
    struct act_arena_block *next; /* the previous (older) block */
    size_t size;                  /* bytes of this block, header included */
};

static size_t align_up(size_t n)
{
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void act_arena_init(struct act_arena *a, size_t first)
{
    memset(a, 0, sizeof(*a));
    a->next = first ? first + sizeof(struct act_arena_block) : ARENA_FIRST_DEFAULT;
}

void act_arena_release(struct act_arena *a)
{
    struct act_arena_block *b = a->blocks;
    while (b) {
        struct act_arena_block *older = b->next;
        size_t size = b->size;
        UNPOISON(b, size);
        if (size >= ACT_ARENA_PAGES_MIN)
            act_pages_free(b, size);
        else
            act_free(b);
        b = older;
    }
    a->blocks = NULL;
    a->cur = a->end = a->lim = NULL;
}

/* A new block with at least need free bytes; the rest of the current one is abandoned. */
static int new_block(struct act_arena *a, size_t need)
{
    size_t hdr = align_up(sizeof(struct act_arena_block));
    if (need > SIZE_MAX / 2)
        return 0;
    size_t size = align_up(a->next > need + hdr ? a->next : need + hdr);
    struct act_arena_block *b =
        size >= ACT_ARENA_PAGES_MIN ? act_pages_alloc(size) : act_calloc(1, size);
    if (!b)
        return 0;
    b->size = size;
    b->next = a->blocks;
    a->blocks = b;
    a->cur = (char *)b + hdr;
    a->end = (char *)b + size;
    POISON(a->cur, (size_t)(a->end - a->cur));
    if (a->next < ARENA_MAX_STEP)
        a->next *= 2;
    return 1;
}

void *act_arena_alloc(struct act_arena *a, size_t n)
{
    n = align_up(n ? n : 1);
    if ((size_t)(a->end - a->cur) < n && !new_block(a, n))
        return NULL;
    char *p = a->cur;
    a->cur += n;
    UNPOISON(p, n);
    return p;
}

/* Hand out the room from `from` on, at least min bytes (all of the block, or under
 * AddressSanitizer a window a little larger than min, unpoisoned). */
static char *window(struct act_arena *a, char *from, size_t min)
{
#ifdef ARENA_ASAN
    size_t room = (size_t)(a->end - from), want = min + OPEN_WINDOW;
    a->lim = from + (room < want ? room : want);
    UNPOISON(from, (size_t)(a->lim - from));
#else
    (void)from;
    (void)min;
    a->lim = a->end;
#endif
    return a->lim;
}

char *act_arena_open(struct act_arena *a, size_t min, char **lim)
{
    if ((size_t)(a->end - a->cur) < min && !new_block(a, min))
        return NULL;
    *lim = window(a, a->cur, min);
    return a->cur;
}

char *act_arena_extend(struct act_arena *a, char *start, size_t used, size_t min, char **lim)
{
    if ((size_t)(a->end - start) - used >= min) {
        *lim = window(a, start, used + min);
        return start;
    }
    size_t want = used + min;
    if (want < used || want > SIZE_MAX / 2)
        return NULL;
    char *old_lim = a->lim;
    if (!new_block(a, want * 2))
        return NULL;
    /* The old copy stays where it was, abandoned with the rest of its block. */
    *lim = window(a, a->cur, want);
    memcpy(a->cur, start, used);
    POISON(start, (size_t)(old_lim - start));
    return a->cur;
}

void act_arena_close(struct act_arena *a, char *start, size_t used)
{
    a->cur = start + align_up(used ? used : 1);
    if (a->lim > a->cur)
        POISON(a->cur, (size_t)(a->lim - a->cur));
    a->lim = NULL;
}
