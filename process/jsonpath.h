/*
 * jsonpath.h - RFC 9535 JSONPath queries on cJSON values.
 *
 * This module owns JSONPath: the root identifier, child and descendant segments; name,
 * wildcard, index, slice and filter selectors; comparisons, &&, ||, !, existence tests;
 * the function extensions length, count, match, search and value (match and search take
 * I-Regexp, RFC 9485, through the validator's ECMA-262 translation). A query that is not
 * well-formed or not valid (RFC 9535 section 2.1, the type rules of section 2.4.3) is an
 * error with the byte offset where it was found. Work is bounded: ACT_MAX_JSONPATH_NODES
 * nodes in any nodelist, ACT_MAX_JSONPATH_STEPS evaluation steps, ACT_MAX_EXPR_DEPTH
 * nesting of filters and parentheses.
 */
#ifndef ACT_PROCESS_JSONPATH_H
#define ACT_PROCESS_JSONPATH_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "common/act_status.h"

/*
 * Run the query path (NUL-terminated) on root. *nodes is a new cJSON array of copies of
 * the selected nodes, in the order RFC 9535 gives them (the caller frees it). A
 * malformed or invalid query returns ACT_ERR_PARSE with *err_off (when not NULL) its
 * byte offset and err's message saying what is wrong; ACT_ERR_LIMIT when a limit above
 * is crossed; ACT_ERR_NOMEM. On failure *nodes is NULL.
 */
enum act_status act_jsonpath_query(const char *path, const cJSON *root, cJSON **nodes,
                                   size_t *err_off, struct act_error *err) ACT_WUR;

/*
 * The same query, only asking whether it selects anything (*nonempty 1 or 0), without
 * copying the nodes: the jsonpath criterion. Errors as act_jsonpath_query.
 */
enum act_status act_jsonpath_exists(const char *path, const cJSON *root, int *nonempty,
                                    size_t *err_off, struct act_error *err) ACT_WUR;

/*
 * Parse-only check (lint): ACT_OK when path is a well-formed, valid query; else as
 * act_jsonpath_query.
 */
enum act_status act_jsonpath_check(const char *path, size_t *err_off,
                                   struct act_error *err) ACT_WUR;

#endif
