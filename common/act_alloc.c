/*
 * act_alloc.c - allocation wrappers with a fault-injection countdown.
 */
#include "act_alloc.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define ACT_PAGES_FROM_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ACT_PAGES_FROM_MALLOC 1
#endif
#endif

/* Transparent huge pages are 2 MiB on x86-64 and (with 4 KiB base pages) arm64. */
#define HUGE_PAGE ((size_t)2 << 20)

static long fail_countdown; /* 0 = off; else allocations left until the failing one */
static long failed;         /* failed allocations (injected or real) since the countdown was set */

static int should_fail(void)
{
    if (fail_countdown <= 0)
        return 0;
    if (--fail_countdown == 0) {
        failed++;
        return 1;
    }
    return 0;
}

/* Count real failures too, so callers can tell an allocation failure from a
 * syntax error where a library (cJSON) reports both the same way. */
static void *counted(void *p)
{
    if (!p)
        failed++;
    return p;
}

void *act_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return counted(malloc(n ? n : 1));
}

void *act_calloc(size_t count, size_t n)
{
    if (should_fail())
        return NULL;
    return counted(calloc(count ? count : 1, n ? n : 1));
}

void *act_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return counted(realloc(p, n ? n : 1));
}

void act_free(void *p)
{
    free(p);
}

char *act_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = act_malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *act_strdup(const char *s)
{
    return act_strndup(s, strlen(s));
}

#ifdef ACT_PAGES_FROM_MALLOC
void *act_pages_alloc(size_t n)
{
    return act_calloc(1, n);
}

void act_pages_free(void *p, size_t n)
{
    (void)n;
    act_free(p);
}
#else
/* Mappings of at least a huge page are placed on a huge-page boundary (the
 * kernel backs only aligned 2 MiB extents with huge pages), and their tails
 * rounded up to one. */
void *act_pages_alloc(size_t n)
{
    if (should_fail())
        return NULL;
    if (n == 0)
        n = 1;
    if (n < HUGE_PAGE) {
        void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return counted(p == MAP_FAILED ? NULL : p);
    }
    size_t len = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (len < n || len + HUGE_PAGE < len)
        return counted(NULL);
    char *raw =
        mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return counted(NULL);
    char *p = (char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (p > raw)
        munmap(raw, (size_t)(p - raw));
    if (p + len < raw + len + HUGE_PAGE)
        munmap(p + len, (size_t)(raw + len + HUGE_PAGE - (p + len)));
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE); /* advice only: without THP it changes nothing */
#endif
    return p;
}

void act_pages_free(void *p, size_t n)
{
    if (!p)
        return;
    if (n == 0)
        n = 1;
    if (n >= HUGE_PAGE)
        n = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    munmap(p, n);
}
#endif

void act_alloc_fail_after(long n)
{
    fail_countdown = n > 0 ? n : 0;
    failed = 0;
}

long act_alloc_failed(void)
{
    return failed;
}

void act_alloc_init_cjson(void)
{
    cJSON_Hooks hooks = {act_malloc, act_free};
    cJSON_InitHooks(&hooks);
}

enum act_status act_grow_array_(void *vp, size_t *cap, size_t need, size_t first, size_t elem)
{
    size_t c = *cap ? *cap : (first ? first : 1);
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return ACT_ERR_NOMEM;
        c *= 2;
    }
    if (elem && c > SIZE_MAX / elem)
        return ACT_ERR_NOMEM;
    void *v;
    memcpy(&v, vp, sizeof(v)); /* vp is the address of a T *: no aliasing through void ** */
    void *nv = act_realloc(v, c * elem);
    if (!nv)
        return ACT_ERR_NOMEM;
    memcpy(vp, &nv, sizeof(nv));
    *cap = c;
    return ACT_OK;
}
