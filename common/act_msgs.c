/*
 * act_msgs.c - the list of messages.
 */
#include "common/act_msgs.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"

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
    struct act_buf b;
    act_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    enum act_status st = act_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = st ? NULL : act_buf_detach(&b, NULL);
    if (!s) {
        act_buf_release(&b);
        return st ? st : ACT_ERR_NOMEM;
    }
    m->v[m->n++] = s;
    return ACT_OK;
}
