/*
 * process_int.h - what the modules of process/ share and nothing else uses: the JSON
 * string escapes (runtime-expression names, JSONPath string literals) and the cJSON
 * copy helper. Defined in expr.c.
 */
#ifndef ACT_PROCESS_PROCESS_INT_H
#define ACT_PROCESS_PROCESS_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_status.h"

/*
 * Decode the escape at s (s[0] is '\\', n bytes left) into b: \b \f \n \r \t \/ \\, a
 * backslash before one of the characters of quotes (a JSON name: "\""; a JSONPath string:
 * its own quote), and \uXXXX, a surrogate pair being the one code point it encodes.
 * *used gets the bytes read. ACT_ERR_PARSE with *why (a static message) when malformed:
 * an unknown escape, too few hex digits, a lone surrogate. ACT_ERR_NOMEM.
 */
enum act_status act_unescape(const char *s, size_t n, const char *quotes, struct act_buf *b,
                             size_t *used, const char **why) ACT_WUR;

/* Forget the member name a copied or detached cJSON item still carries. */
void act_cjson_unname(cJSON *c);

#endif
