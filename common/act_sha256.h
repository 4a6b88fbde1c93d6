/*
 * act_sha256.h - SHA-256 (FIPS 180-4): the digest of releases.
 *
 * Owns the hash function only: streaming (init, update, final) and one-shot
 * helpers, the result as 32 bytes or 64 lowercase hex digits. No allocation.
 */
#ifndef ACT_COMMON_ACT_SHA256_H
#define ACT_COMMON_ACT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define ACT_SHA256_LEN 32 /* bytes in a digest */
#define ACT_SHA256_HEX 65 /* 64 hex digits and the NUL */

struct act_sha256 {
    uint32_t h[8];       /* the chaining state */
    uint64_t bytes;      /* message bytes hashed so far */
    unsigned char b[64]; /* the partial block */
    size_t n;            /* bytes in b */
};

void act_sha256_init(struct act_sha256 *s);
void act_sha256_update(struct act_sha256 *s, const void *data, size_t len);
/* Finish: the digest into out; s must be initialized again before reuse. */
void act_sha256_final(struct act_sha256 *s, unsigned char out[ACT_SHA256_LEN]);

/* The digest of len bytes at data as lowercase hex into hex (NUL-terminated); returns hex. */
char *act_sha256_hex(const void *data, size_t len, char hex[ACT_SHA256_HEX]);

#endif
