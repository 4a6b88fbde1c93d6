/*
 * jcs.h - the JSON Canonicalization Scheme (RFC 8785) of a cJSON tree.
 *
 * Owns canonical serialization: object members sorted by their names' UTF-16
 * code units, no whitespace, JCS string escaping, numbers as ECMAScript's
 * Number.prototype.toString writes them. Release digests hash this form.
 */
#ifndef ACT_PARSER_JCS_H
#define ACT_PARSER_JCS_H

#include <cjson/cJSON.h>

#include "common/act_buf.h"
#include "common/act_status.h"

/*
 * Append the canonical form of item to out. ACT_ERR_INVALID for a number that is
 * not finite (NaN, Infinity) or a string that is not valid UTF-8, ACT_ERR_LIMIT
 * beyond ACT_MAX_DEPTH nesting, ACT_ERR_NOMEM; out may hold a partial result then.
 */
enum act_status act_jcs_append(struct act_buf *out, const cJSON *item) ACT_WUR;

/* As act_jcs_append, leaving out the member named skip of the object at the top level
 * (a release without its "digest"). */
enum act_status act_jcs_append_except(struct act_buf *out, const cJSON *object,
                                      const char *skip) ACT_WUR;

/*
 * A double as ECMAScript writes it (the shortest digits that read back as d; plain
 * notation from 1e-6 up to 1e21, else exponent form "1e+30"); -0 is "0". buf needs
 * 32 bytes. Returns 0, or -1 when d is not finite.
 */
int act_jcs_number(double d, char buf[32]);

#endif
