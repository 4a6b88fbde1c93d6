/*
 * expr.h - Arazzo 1.0.1 runtime expressions: parsing, and evaluation against a scope.
 *
 * This module owns the runtime-expression language of Arazzo 1.0.1 (its ABNF):
 *   $url  $method  $statusCode
 *   $request.header.TOKEN  $request.query.NAME  $request.path.NAME  $request.body[#/ptr]
 *   $response.header.TOKEN  $response.body[#/ptr]          (header names case-insensitive)
 *   $inputs.NAME  $outputs.NAME  $steps.NAME  $workflows.NAME  $sourceDescriptions.NAME
 *   $components.NAME  ($components.parameters.NAME, .inputs, .successActions, ...)
 * and the embedded form "text {$expression} text". In the ABNF a NAME is any run of JSON
 * string characters, dots included, so "$steps.get.hello.outputs.x" is one name
 * "get.hello.outputs.x"; evaluation splits it at the dots by the keys that exist in the
 * scope (the longest key first), and a trailing "#/json/pointer" navigates further into
 * the value found.
 *
 * The evaluation scope is a cJSON object built by the caller (the workflow engine):
 *   {"url": "...", "method": "GET", "statusCode": 200,
 *    "request":  {"header": {}, "query": {}, "path": {}, "body": ...},
 *    "response": {"header": {}, "body": ...},
 *    "inputs": {}, "outputs": {},
 *    "steps": {ID: {"outputs": {}}},
 *    "workflows": {ID: {"inputs": {}, "outputs": {}}},
 *    "sourceDescriptions": {NAME: {"name": "...", "url": "...", "type": "..."}},
 *    "components": {"inputs": {}, "parameters": {}, "successActions": {}, ...}}
 * A member that is missing makes the expressions that read it absent (NULL), not an error.
 */
#ifndef ACT_PROCESS_EXPR_H
#define ACT_PROCESS_EXPR_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "common/act_status.h"

/* A parsed runtime expression (opaque). */
struct act_rtexpr;

/* What an expression reads: its first segment. */
enum act_rtexpr_kind {
    ACT_RTEXPR_URL,                 /* $url */
    ACT_RTEXPR_METHOD,              /* $method */
    ACT_RTEXPR_STATUS_CODE,         /* $statusCode */
    ACT_RTEXPR_REQUEST_HEADER,      /* $request.header.TOKEN */
    ACT_RTEXPR_REQUEST_QUERY,       /* $request.query.NAME */
    ACT_RTEXPR_REQUEST_PATH,        /* $request.path.NAME */
    ACT_RTEXPR_REQUEST_BODY,        /* $request.body[#/pointer] */
    ACT_RTEXPR_RESPONSE_HEADER,     /* $response.header.TOKEN */
    ACT_RTEXPR_RESPONSE_BODY,       /* $response.body[#/pointer] */
    ACT_RTEXPR_INPUTS,              /* $inputs.NAME */
    ACT_RTEXPR_OUTPUTS,             /* $outputs.NAME */
    ACT_RTEXPR_STEPS,               /* $steps.NAME (ID.outputs.X) */
    ACT_RTEXPR_WORKFLOWS,           /* $workflows.NAME (ID.inputs.X, ID.outputs.X) */
    ACT_RTEXPR_SOURCE_DESCRIPTIONS, /* $sourceDescriptions.NAME (SOURCE.url, ...) */
    ACT_RTEXPR_COMPONENTS,          /* $components.NAME (parameters.X, inputs.X, ...) */
    ACT_RTEXPR_RESPONSE_QUERY,      /* $response.query.NAME (the ABNF allows it; absent) */
    ACT_RTEXPR_RESPONSE_PATH,       /* $response.path.NAME (likewise) */
};

/*
 * Parse the runtime expression s (n bytes, no NUL needed), which must be the whole of
 * it: "$inputs.id", not "{$inputs.id}". On success *out is a new expression (free with
 * act_rtexpr_free). On a syntax error returns ACT_ERR_PARSE, sets *err_off (when not
 * NULL) to the byte offset in s where it was found and fills err (may be NULL) with a
 * message naming what was expected; *out is NULL. ACT_ERR_NOMEM on allocation failure.
 */
enum act_status act_rtexpr_parse(const char *s, size_t n, struct act_rtexpr **out, size_t *err_off,
                                 struct act_error *err) ACT_WUR;

/* Free an expression (NULL is fine). */
void act_rtexpr_free(struct act_rtexpr *e);

/* The kind of e. */
enum act_rtexpr_kind act_rtexpr_kind(const struct act_rtexpr *e);

/*
 * The name after the kind's prefix, JSON escapes decoded ("ID.outputs.X" for
 * $steps.ID.outputs.X, the header token for $response.header.X, "" for $url and the
 * bodies), borrowed from e; *len (when not NULL) gets its length. A lint uses it to find
 * the step and workflow ids an expression refers to.
 */
const char *act_rtexpr_name(const struct act_rtexpr *e, size_t *len);

/*
 * The JSON Pointer after '#' ("/a/0" for $response.body#/a/0, "" for "#" alone), or NULL
 * when the expression has none. Borrowed from e.
 */
const char *act_rtexpr_pointer(const struct act_rtexpr *e);

/*
 * Evaluate e against scope (see the top of this file). *value is a new cJSON copy of
 * what the expression names (the caller frees it with cJSON_Delete), or NULL when it
 * names nothing (absent: no such input, step, header, member, pointer target).
 * ACT_ERR_LIMIT (err names ACT_MAX_EXPR_RESULT_BYTES) when the value is larger than
 * that limit; ACT_ERR_NOMEM. On failure *value is NULL.
 */
enum act_status act_rtexpr_eval(const struct act_rtexpr *e, const cJSON *scope, cJSON **value,
                                struct act_error *err) ACT_WUR;

/*
 * A string value from a document, resolved:
 *   - a whole expression ("$inputs.id") gives its value with its JSON type (NULL when
 *     absent);
 *   - a string with embedded expressions ("Bearer {$inputs.token}") gives a string, each
 *     {$...} replaced by its value (a string as is, any other value as compact JSON,
 *     an absent value as nothing);
 *   - any other string gives a string copy of s. A string is a whole expression when it
 *     starts with '$' and a letter, so "$resposne.body" is an error, not a literal, while
 *     "$5.00" is a literal.
 * Syntax errors return ACT_ERR_PARSE with *err_off (when not NULL) the byte offset in s.
 * ACT_ERR_LIMIT when the result exceeds ACT_MAX_EXPR_RESULT_BYTES. *value is new (the
 * caller frees it), NULL on failure or when a whole expression is absent.
 */
enum act_status act_rtexpr_value(const char *s, const cJSON *scope, cJSON **value, size_t *err_off,
                                 struct act_error *err) ACT_WUR;

/*
 * Deep resolution of a payload: a copy of v in which every string (values, not member
 * names) is resolved as act_rtexpr_value does. An absent whole expression becomes null.
 * *out is new (the caller frees it), NULL on failure. Errors as act_rtexpr_value; the
 * pointer of the offending string is set in err.
 */
enum act_status act_rtexpr_resolve(const cJSON *v, const cJSON *scope, cJSON **out,
                                   struct act_error *err) ACT_WUR;

/*
 * Parse-only check of a document string (lint): 0 when s is a literal, 1 when it is a
 * whole expression, 2 when it embeds expressions. ACT_ERR_PARSE with *err_off and err as
 * act_rtexpr_value. When out is not NULL and s is a whole expression, *out gets it.
 */
enum act_status act_rtexpr_check(const char *s, int *form, struct act_rtexpr **out, size_t *err_off,
                                 struct act_error *err) ACT_WUR;

/*
 * Call fn for every expression in s (the whole expression, or each embedded one), with
 * the expression and its byte offset in s, stopping at the first non-zero return (which
 * this returns as ACT_ERR_INVALID). For a lint that checks ids; syntax errors as
 * act_rtexpr_value.
 */
enum act_status act_rtexpr_each(const char *s,
                                int (*fn)(const struct act_rtexpr *e, size_t off, void *arg),
                                void *arg, size_t *err_off, struct act_error *err) ACT_WUR;

#endif
