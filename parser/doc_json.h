/*
 * doc_json.h - the JSON back end of act_doc (parser-internal): parsing a spec's JSON
 * with its checks, locating a JSON Pointer in the raw text, and the node -> offset
 * index built for documents asked for many positions.
 */
#ifndef ACT_PARSER_DOC_JSON_H
#define ACT_PARSER_DOC_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "common/act_status.h"

struct act_json_index;

/*
 * Parse JSON text (len bytes; text[len] is NUL) from the file named name into a new
 * cJSON tree (*out, caller frees with cJSON_Delete). Refused before cJSON parses, in
 * this order, each at its position: invalid UTF-8, a NUL byte, a \u0000 escape; then
 * syntax errors, nesting deeper than ACT_MAX_DEPTH, content after the document and
 * duplicate member names. A UTF-8 byte order mark is skipped.
 */
enum act_status act_json_parse(const char *name, const char *text, size_t len, cJSON **out,
                               struct act_error *err) ACT_WUR;

/* Byte offset of the node at pointer in JSON text (*off), 1 when found. */
int act_json_locate(const char *text, size_t len, const char *pointer, size_t *off);

/*
 * The offset of every value of root in text, found in one walk of both (for a
 * document asked for many positions: lint with hundreds of findings). NULL when
 * out of memory or when the tree is not the whole parse of text (a skeleton
 * from doc_sparse.c): callers then fall back to act_json_locate.
 */
struct act_json_index *act_json_index_build(const char *text, size_t len, const cJSON *root);
/* The offset of node's value (*off), 1 when node is in the index. */
int act_json_index_get(const struct act_json_index *ix, const cJSON *node, size_t *off);
void act_json_index_free(struct act_json_index *ix);

#endif
