/*
 * act_base64.h - standard base64 (RFC 4648 section 4, with padding): the one
 * encoder, for Basic authentication and for masking its header value.
 */
#ifndef ACT_COMMON_ACT_BASE64_H
#define ACT_COMMON_ACT_BASE64_H

#include <stddef.h>

#include "common/act_buf.h"

/* Standard base64 of len bytes, appended to out. */
enum act_status act_base64(struct act_buf *out, const unsigned char *s, size_t len) ACT_WUR;

#endif
