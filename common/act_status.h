/*
 * act_status.h - the status code every fallible library function returns.
 *
 * ACT_OK is 0 so that `if (st)` reads as "on failure". The CLI maps statuses
 * to exit codes in one place (cli/main.c, act_exit_code()).
 */
#ifndef ACT_COMMON_ACT_STATUS_H
#define ACT_COMMON_ACT_STATUS_H

enum act_status {
    ACT_OK = 0,          /* success */
    ACT_ERR_NOMEM,       /* an allocation failed */
    ACT_ERR_IO,          /* a file could not be opened or read */
    ACT_ERR_PARSE,       /* malformed JSON or YAML */
    ACT_ERR_LIMIT,       /* input exceeds a limit of act_limits.h */
    ACT_ERR_REF,         /* a $ref cannot be resolved, or loops */
    ACT_ERR_UNSUPPORTED, /* valid input this tool does not handle (OpenAPI 2.0, 3.1) */
    ACT_ERR_INVALID,     /* well-formed input that breaks the format's rules */
    ACT_ERR_NOTFOUND,    /* a named thing (action, file, project) does not exist */
    ACT_ERR_USAGE,       /* bad command-line use */
    ACT_ERR_CHECK,       /* an action ran and failed its checks */
    ACT_ERR_NETWORK,     /* the backend could not be reached */
};

/* A short lowercase name for a status ("out of memory", "parse error", ...). */
const char *act_status_str(enum act_status st);

#if defined(__GNUC__)
#define ACT_WUR __attribute__((warn_unused_result))
#define ACT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ACT_WUR
#define ACT_PRINTF(f, a)
#endif

#endif
