/*
 * pointer.h - RFC 6901 JSON Pointers: walking, escaping, building.
 */
#ifndef ACT_PARSER_POINTER_H
#define ACT_PARSER_POINTER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_status.h"

/*
 * Decode the next reference token of *p into seg (replacing its contents):
 * *p must point at '/'; on return it points past the token. "~1" becomes "/",
 * "~0" becomes "~". Returns ACT_OK, ACT_ERR_INVALID for a '~' followed by
 * anything else or a pointer not starting with '/', ACT_ERR_NOMEM.
 */
enum act_status act_pointer_next(const char **p, struct act_buf *seg) ACT_WUR;

/*
 * The node at pointer inside root ("" is root itself). Array indexes are
 * decimal without leading zeros. Returns NULL when the pointer is malformed or
 * leads nowhere. Borrowed: the node belongs to root.
 */
const cJSON *act_pointer_get(const cJSON *root, const char *pointer);

/* Append "/" and token escaped ("~" -> "~0", "/" -> "~1") to b. */
enum act_status act_pointer_append(struct act_buf *b, const char *token) ACT_WUR;
/* Append "/" and the decimal index to b. */
enum act_status act_pointer_append_index(struct act_buf *b, size_t index) ACT_WUR;

/*
 * Percent-decode a URI fragment ("#/paths/~1pets%7Bid%7D") into a plain JSON
 * Pointer in out (replacing its contents), dropping the leading '#'.
 * Returns ACT_ERR_INVALID for a bad %-escape or a decoded NUL.
 */
enum act_status act_pointer_from_fragment(const char *frag, size_t len,
                                          struct act_buf *out) ACT_WUR;

/*
 * Find the JSON Pointer of node inside root by searching the tree (for messages
 * only: linear in the tree size). Returns ACT_ERR_NOTFOUND if node is not in root.
 */
enum act_status act_pointer_of(const cJSON *root, const cJSON *node, struct act_buf *out) ACT_WUR;

#endif
