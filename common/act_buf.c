/*
 * act_buf.c - growable byte buffer.
 */
#include "act_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "act_alloc.h"

static char empty[1];

void act_buf_init(struct act_buf *b)
{
    b->data = empty;
    b->len = 0;
    b->cap = 0;
}

void act_buf_release(struct act_buf *b)
{
    if (b->cap)
        act_free(b->data);
    act_buf_init(b);
}

void act_buf_reset(struct act_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

enum act_status act_buf_grow(struct act_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return ACT_OK;
    if (extra > ((size_t)-1) / 4 - b->len)
        return ACT_ERR_NOMEM;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = act_realloc(b->cap ? b->data : NULL, cap);
    if (!p)
        return ACT_ERR_NOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return ACT_OK;
}

enum act_status act_buf_add(struct act_buf *b, const void *p, size_t n)
{
    if (act_buf_grow(b, n))
        return ACT_ERR_NOMEM;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ACT_OK;
}

enum act_status act_buf_adds(struct act_buf *b, const char *s)
{
    return act_buf_add(b, s, strlen(s));
}

enum act_status act_buf_addc(struct act_buf *b, char c)
{
    return act_buf_add(b, &c, 1);
}

uint32_t act_hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

uint32_t act_hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int act_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int act_hex4(const char *s, unsigned *v)
{
    unsigned x = 0;
    for (int i = 0; i < 4; i++) {
        int d = act_hex_digit((unsigned char)s[i]);
        if (d < 0)
            return 0;
        x = x << 4 | (unsigned)d;
    }
    *v = x;
    return 1;
}

enum act_status act_buf_add_pct_decoded(struct act_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= len)
                return ACT_ERR_INVALID;
            int hi = act_hex_digit((unsigned char)s[i + 1]);
            int lo = act_hex_digit((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return ACT_ERR_INVALID;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0')
            return ACT_ERR_INVALID;
        if (act_buf_addc(b, c))
            return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

enum act_status act_buf_add_utf8(struct act_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return act_buf_add(b, u, n);
}

enum act_status act_buf_vprintf(struct act_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0 || act_buf_grow(b, (size_t)n)) {
        va_end(again);
        return n < 0 ? ACT_ERR_INVALID : ACT_ERR_NOMEM;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
    va_end(again);
    b->len += (size_t)n;
    return ACT_OK;
}

enum act_status act_buf_printf(struct act_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum act_status st = act_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

char *act_buf_detach(struct act_buf *b, size_t *len)
{
    char *p;
    if (!b->cap) {
        p = act_malloc(1);
        if (!p)
            return NULL;
        p[0] = '\0';
    } else {
        p = b->data;
    }
    if (len)
        *len = b->len;
    act_buf_init(b);
    return p;
}
