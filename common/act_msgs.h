/*
 * act_msgs.h - a list of messages (problems found, warnings), owned by the list.
 *
 * The request builder, the response checks and the exchange append to one;
 * the caller prints or reports them. Nothing here prints.
 */
#ifndef ACT_COMMON_ACT_MSGS_H
#define ACT_COMMON_ACT_MSGS_H

#include <stddef.h>

#include "common/act_error.h"

/* A list of messages, each owned by the list. */
struct act_msgs {
    char **v;   /* the messages, in the order found */
    size_t n;   /* messages in use */
    size_t cap; /* slots allocated */
};

void act_msgs_init(struct act_msgs *m);
void act_msgs_release(struct act_msgs *m);
/* Append a message formatted like printf. ACT_ERR_NOMEM leaves the list as it was. */
enum act_status act_msgs_add(struct act_msgs *m, const char *fmt, ...) ACT_WUR ACT_PRINTF(2, 3);

#endif
