/*
 * act_error.c - recording and formatting load errors; escaping untrusted text.
 */
#include "act_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "act_limits.h"

void act_error_init(struct act_error *err)
{
    memset(err, 0, sizeof(*err));
}

enum act_status act_error_set(struct act_error *err, enum act_status st, const char *file, int line,
                              int col, const char *fmt, ...)
{
    if (!err || err->status != ACT_OK)
        return st;
    err->status = st;
    snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->pointer[0] = '\0';
    err->context[0] = '\0';
    return st;
}

void act_error_set_pointer(struct act_error *err, const char *pointer)
{
    if (err)
        snprintf(err->pointer, sizeof(err->pointer), "%s", pointer ? pointer : "");
}

void act_error_set_context(struct act_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->context, sizeof(err->context), fmt, ap);
    va_end(ap);
}

void act_error_format(const struct act_error *err, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define PUT(...)                                                                                   \
    do {                                                                                           \
        if (n < size) {                                                                            \
            int k = snprintf(buf + n, size - n, __VA_ARGS__);                                      \
            n += k > 0 ? (size_t)k : 0;                                                            \
        }                                                                                          \
    } while (0)
    if (err->file[0]) {
        PUT("%s:", err->file);
        if (err->line > 0) {
            PUT("%d:", err->line);
            if (err->col > 0)
                PUT("%d:", err->col);
        }
        PUT(" ");
    }
    PUT("%s", err->msg[0] ? err->msg : act_status_str(err->status));
    if (err->pointer[0])
        PUT(" (at %s)", err->pointer);
    if (err->context[0])
        PUT("\n  %s", err->context);
#undef PUT
}

char *act_echo(char *buf, size_t size, const char *text, size_t len)
{
    size_t o = 0, i;
    if (size == 0)
        return buf;
    for (i = 0; i < len && i < ACT_MAX_ECHO; i++) {
        unsigned char c = (unsigned char)text[i];
        char tmp[8];
        const char *piece = tmp;
        if (c == '\n')
            piece = "\\n";
        else if (c == '\t')
            piece = "\\t";
        else if (c == '\r')
            piece = "\\r";
        else if (c == '"')
            piece = "\\\"";
        else if (c == '\\')
            piece = "\\\\";
        else if (c < 0x20 || c == 0x7f)
            snprintf(tmp, sizeof(tmp), "\\x%02x", c);
        else {
            tmp[0] = (char)c;
            tmp[1] = '\0';
        }
        size_t pl = strlen(piece);
        if (o + pl + 4 >= size)
            break;
        memcpy(buf + o, piece, pl);
        o += pl;
    }
    if (i < len && o + 3 < size) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

const char *act_status_str(enum act_status st)
{
    switch (st) {
    case ACT_OK: return "ok";
    case ACT_ERR_NOMEM: return "out of memory";
    case ACT_ERR_IO: return "cannot read file";
    case ACT_ERR_PARSE: return "parse error";
    case ACT_ERR_LIMIT: return "limit exceeded";
    case ACT_ERR_REF: return "unresolvable $ref";
    case ACT_ERR_UNSUPPORTED: return "unsupported";
    case ACT_ERR_INVALID: return "invalid";
    case ACT_ERR_NOTFOUND: return "not found";
    case ACT_ERR_USAGE: return "usage error";
    case ACT_ERR_CHECK: return "check failed";
    case ACT_ERR_NETWORK: return "backend not reachable";
    }
    return "unknown status";
}
