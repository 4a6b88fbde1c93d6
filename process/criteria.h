/*
 * criteria.h - Arazzo 1.0.1 Criterion Objects: checking them against a scope, and linting.
 *
 * This module owns the criterion types of Arazzo 1.0.1:
 *   simple    (default) a condition: ==, !=, <, <=, >, >=, &&, ||, !, parentheses,
 *             literals (numbers, 'strings' with '' for a quote, true, false, null) and
 *             runtime expressions as operands, with [N], ['key'] and .key after one
 *             ($response.body.id, $response.body#/items[0].name).
 *             Strings compare case-insensitively, as the specification says; a string
 *             that reads as a number compares with a number as that number.
 *   regex     an ECMA-262 regular expression searched in the `context` value (a
 *             non-string value as its JSON text), through the validator's translation.
 *   jsonpath  an RFC 9535 query whose root is the `context` value; true when it selects
 *             at least one node.
 * `type` may be the string or a Criterion Expression Type Object ({type: jsonpath,
 * version: draft-goessner-dispatch-jsonpath-00}); xpath is not supported (an error).
 * A criterion with a `context` and no `type` is an error, so is regex/jsonpath without a
 * `context`.
 */
#ifndef ACT_PROCESS_CRITERIA_H
#define ACT_PROCESS_CRITERIA_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_error.h"
#include "common/act_status.h"

/*
 * Check one Criterion Object against scope (see process/expr.h). *passed is 1 or 0.
 * When it fails and why is not NULL, why gets one line explaining it, quoting the
 * condition and the values it saw ("$statusCode == 200: $statusCode is 404").
 * ACT_ERR_INVALID for a malformed criterion (no condition, context without type,
 * unknown type), ACT_ERR_PARSE for a malformed condition, expression or regex (err's
 * message gives the byte offset in the condition as "at offset N"), ACT_ERR_LIMIT,
 * ACT_ERR_NOMEM. *passed is written only on success.
 */
enum act_status act_criterion_check(const cJSON *criterion, const cJSON *scope, int *passed,
                                    struct act_buf *why, struct act_error *err) ACT_WUR;

/* Which member of the criterion a lint problem is in. */
enum act_criterion_field {
    ACT_CRIT_CONDITION, /* condition */
    ACT_CRIT_CONTEXT,   /* context */
    ACT_CRIT_TYPE,      /* type */
    ACT_CRIT_OBJECT,    /* the criterion itself (not an object, no condition) */
};

/*
 * Parse-only check of a Criterion Object (lint): ACT_OK when well-formed; else the
 * status act_criterion_check would return, err filled, *field (when not NULL) the member
 * at fault and *err_off (when not NULL) the byte offset in that member's string. Runtime
 * expressions inside are checked for syntax, not for what they refer to.
 */
enum act_status act_criterion_lint(const cJSON *criterion, enum act_criterion_field *field,
                                   size_t *err_off, struct act_error *err) ACT_WUR;

/*
 * Call fn for every runtime expression in the criterion (its context and the operands of
 * a simple condition), with the member it is in and its byte offset there, stopping at
 * the first non-zero return. Malformed parts are skipped (act_criterion_lint reports
 * them). For a lint that checks step and workflow ids.
 */
struct act_rtexpr;
void act_criterion_each_expr(const cJSON *criterion,
                             int (*fn)(const struct act_rtexpr *e, enum act_criterion_field f,
                                       size_t off, void *arg),
                             void *arg);

#endif
