/*
 * act_alloc.c - allocation wrappers with a fault-injection countdown.
 */
#include "act_alloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

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
