/*
 * act_alloc.h - the allocator every module uses, with fault injection for tests.
 *
 * act_malloc/act_realloc/act_free wrap the C library. cli/main.c installs them as
 * cJSON's hooks so that documents are counted too. A test may call
 * act_alloc_fail_after(n): the n-th allocation from then on (1-based) returns
 * NULL, and every later one succeeds again. This drives the OOM sweeps of §9.
 */
#ifndef ACT_COMMON_ACT_ALLOC_H
#define ACT_COMMON_ACT_ALLOC_H

#include <stddef.h>

#include "common/act_status.h"

void *act_malloc(size_t n);
void *act_calloc(size_t count, size_t n);
void *act_realloc(void *p, size_t n);
void act_free(void *p);
/* A copy of s (NULL on allocation failure); act_strndup copies at most n bytes. */
char *act_strdup(const char *s);
char *act_strndup(const char *s, size_t n);

/*
 * n bytes of zeroed memory straight from the kernel (mmap), for the large blocks
 * of an arena: transparent huge pages are asked for, so touching 100 MB costs
 * about 50 page faults instead of 25,000. Under AddressSanitizer it comes from
 * act_calloc instead, so leaks stay visible. Counts as one allocation for fault
 * injection. Free with act_pages_free(p, n) (same n); NULL on failure.
 */
void *act_pages_alloc(size_t n);
void act_pages_free(void *p, size_t n);

/*
 * Growing arrays: ACT_GROW(v, cap, need, first) makes the array v (any T *, with its
 * capacity cap, a size_t lvalue) hold at least need elements: nothing when need <= cap,
 * else cap doubles from first until it does, v is reallocated and both are updated.
 * ACT_OK, or ACT_ERR_NOMEM with v and cap unchanged (v still valid). New elements are
 * not initialised.
 */
#define ACT_GROW(v, cap, need, first)                                                              \
    ((size_t)(need) <= (cap) ? ACT_OK                                                              \
                             : act_grow_array_(&(v), &(cap), (need), (first), sizeof(*(v))))
enum act_status act_grow_array_(void *vp, size_t *cap, size_t need, size_t first,
                                size_t elem) ACT_WUR;

/* Fail the n-th allocation from now (n >= 1); 0 disables fault injection. */
void act_alloc_fail_after(long n);
/* Allocations that have failed (injected or real) since the last act_alloc_fail_after;
 * compare before and after a call to learn whether it ran out of memory. */
long act_alloc_failed(void);
/* Install act_malloc/act_free as cJSON's allocator (once, at start-up). */
void act_alloc_init_cjson(void);

#endif
