/*
 * act_error.h - the load error: what went wrong, and where.
 *
 * A caller that wants details passes a struct act_error (zeroed with
 * act_error_init); the first failure fills it and later ones leave it alone,
 * as curl's CURLOPT_ERRORBUFFER does. Passing NULL is always allowed.
 * The optional context is the enclosing construct with its own position
 * (libyaml's problem/context pair), e.g. "in $ref at specs/a.yaml:12:9".
 */
#ifndef ACT_COMMON_ACT_ERROR_H
#define ACT_COMMON_ACT_ERROR_H

#include <stddef.h>

#include "act_limits.h"
#include "act_status.h"

#define ACT_ERROR_MSG_MAX 1024
#define ACT_ERROR_PATH_MAX 1024

struct act_error {
    enum act_status status;           /* ACT_OK while nothing has been recorded */
    char msg[ACT_ERROR_MSG_MAX];      /* problem, lowercase, no trailing period */
    char file[ACT_ERROR_PATH_MAX];    /* file the problem is in, "" when none */
    int line;                         /* 1-based line, 0 when unknown */
    int col;                          /* 1-based column, 0 when unknown */
    char pointer[ACT_ERROR_PATH_MAX]; /* JSON Pointer of the node, "" when none */
    char context[ACT_ERROR_MSG_MAX];  /* enclosing construct and its position, "" when none */
};

void act_error_init(struct act_error *err);

/* Record a problem unless one is already recorded (err may be NULL).
 * Returns st, so `return act_error_set(err, ACT_ERR_PARSE, ...)` reads well. */
enum act_status act_error_set(struct act_error *err, enum act_status st, const char *file, int line,
                              int col, const char *fmt, ...) ACT_PRINTF(6, 7);

/* Set the pointer / context of an already recorded error (no-op when err is NULL). */
void act_error_set_pointer(struct act_error *err, const char *pointer);
void act_error_set_context(struct act_error *err, const char *fmt, ...) ACT_PRINTF(2, 3);

/* Format as "FILE:LINE:COL: MSG (at POINTER)\n  CONTEXT" into buf (always terminated). */
void act_error_format(const struct act_error *err, char *buf, size_t size);

/* Copy at most ACT_MAX_ECHO characters of untrusted text into buf, escaping
 * control characters and quotes, adding "..." when clipped. Returns buf. */
/* Room for any act_echo result. */
#define ACT_ECHO_SIZE (ACT_MAX_ECHO * 4 + 8)

char *act_echo(char *buf, size_t size, const char *text, size_t len);

#endif
