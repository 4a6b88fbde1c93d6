/*
 * doc_sparse.h - the partial JSON parse behind act_doc_load_part (parser-internal):
 * only the part of a large JSON document that one node and its local $refs need.
 */
#ifndef ACT_PARSER_DOC_SPARSE_H
#define ACT_PARSER_DOC_SPARSE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_status.h"

/*
 * Parse of the JSON text (len bytes, text[len] NUL) of the file named name, as far
 * as the node at pointer needs: *out is a tree (caller frees with cJSON_Delete) with
 * the same JSON Pointers as the whole document, holding that node, the nodes its
 * local $refs reach (transitively) and /openapi. ACT_OK with *out NULL when the
 * partial parse does not take this text (not named .json, under
 * ACT_JSON_PART_MIN_BYTES, escaped keys on the way, refs to other files or to the
 * root, a scan that does not match the JSON grammar): the caller parses it whole,
 * which also gives the right error for a broken file. ACT_ERR_NOMEM.
 */
enum act_status act_json_parse_part(const char *name, const char *text, size_t len,
                                    const char *pointer, cJSON **out) ACT_WUR;

/* Files below this size are parsed whole: the partial parse saves nothing there. */
#define ACT_JSON_PART_MIN_BYTES (512 * 1024)

#endif
