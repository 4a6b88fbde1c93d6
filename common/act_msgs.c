/*
 * act_msgs.c - the list of messages.
 */
#include "common/act_msgs.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/act_alloc.h"

void act_msgs_init(struct act_msgs *m)
{
    m->v = NULL;
    m->n = 0;
    m->cap = 0;
}

void act_msgs_release(struct act_msgs *m)
{
    for (size_t i = 0; i < m->n; i++)
        act_free(m->v[i]);
    act_free(m->v);
    act_msgs_init(m);
}

enum act_status act_msgs_add(struct act_msgs *m, const char *fmt, ...)
{
    if (ACT_GROW(m->v, m->cap, m->n + 1, 8))
        return ACT_ERR_NOMEM;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return ACT_ERR_INVALID;
    char *s = act_malloc((size_t)len + 1);
    if (!s)
        return ACT_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    m->v[m->n++] = s;
    return ACT_OK;
}
