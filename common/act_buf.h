/*
 * act_buf.h - a growable, always NUL-terminated byte buffer (git's strbuf).
 *
 * Embed a struct act_buf, act_buf_init it, append, then act_buf_release it or
 * act_buf_detach the bytes (the caller then owns them, free with act_free).
 * Appends return ACT_ERR_NOMEM on allocation failure and leave the buffer as it was.
 */
#ifndef ACT_COMMON_ACT_BUF_H
#define ACT_COMMON_ACT_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "act_status.h"

struct act_buf {
    char *data; /* the bytes, NUL-terminated; points at a static "" until the first append */
    size_t len; /* bytes in use, not counting the NUL */
    size_t cap; /* bytes allocated, 0 while data is the static "" */
};

void act_buf_init(struct act_buf *b);
void act_buf_release(struct act_buf *b);
void act_buf_reset(struct act_buf *b);
enum act_status act_buf_grow(struct act_buf *b, size_t extra) ACT_WUR;
enum act_status act_buf_add(struct act_buf *b, const void *p, size_t n) ACT_WUR;
enum act_status act_buf_adds(struct act_buf *b, const char *s) ACT_WUR;
enum act_status act_buf_addc(struct act_buf *b, char c) ACT_WUR;
/* Append code point cp (at most U+10FFFF) encoded as UTF-8. */
enum act_status act_buf_add_utf8(struct act_buf *b, unsigned long cp) ACT_WUR;

/* FNV-1a of n bytes at s, and of the NUL-terminated s (the same value for the same
 * bytes): for hash tables of short keys. */
uint32_t act_hash_bytes(const char *s, size_t n);
uint32_t act_hash_str(const char *s);

/* The value of the hex digit c (0-9, a-f, A-F), or -1 for any other character. */
int act_hex_digit(int c);
/* The four hex digits at s into *v (a \uXXXX escape): 1, or 0 when one is not a hex
 * digit (reading stops there, so it never runs past a NUL). */
int act_hex4(const char *s, unsigned *v);
/* Append s[0..len) to b with its %XX escapes decoded: a file path or a JSON Pointer taken
 * from a URI. ACT_ERR_INVALID for a truncated or malformed escape and for a byte 0, raw
 * or escaped (no path or name can hold it); b then holds a partial result. */
enum act_status act_buf_add_pct_decoded(struct act_buf *b, const char *s, size_t len) ACT_WUR;
enum act_status act_buf_printf(struct act_buf *b, const char *fmt, ...) ACT_WUR ACT_PRINTF(2, 3);
/* act_buf_printf with the arguments as a va_list (ap is used up, as by vsnprintf). */
enum act_status act_buf_vprintf(struct act_buf *b, const char *fmt, va_list ap) ACT_WUR
    ACT_PRINTF(2, 0);
/* Hand the bytes to the caller (never NULL: an empty buffer yields a fresh "");
 * NULL only on allocation failure. The buffer is left initialized and empty. */
char *act_buf_detach(struct act_buf *b, size_t *len);

#endif
