/*
 * act_utf8.h - UTF-8 well-formedness (RFC 3629): the one copy every module uses.
 */
#ifndef ACT_COMMON_ACT_UTF8_H
#define ACT_COMMON_ACT_UTF8_H

#include <stddef.h>

/* Length (1-4) of the well-formed UTF-8 sequence at s (n >= 1 bytes left), 0 when the
 * bytes there start none: overlong forms, UTF-16 surrogates and code points above
 * U+10FFFF are not well-formed. A NUL byte is a sequence of length 1. */
size_t act_utf8_len(const unsigned char *s, size_t n);

/* Offset of the first byte of s (n bytes) that starts no well-formed sequence, or n
 * when all of s is well-formed UTF-8. */
size_t act_utf8_check(const char *s, size_t n);

#endif
