/*
 * doc_int.h - the two format back ends behind doc.h (parser-internal).
 */
#ifndef ACT_PARSER_DOC_INT_H
#define ACT_PARSER_DOC_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "doc.h"

/*
 * Parse YAML text (len bytes; text[len] is NUL) from the file named name into a
 * new cJSON tree (*out, caller frees with cJSON_Delete). YAML 1.2 core schema
 * typing for plain scalars; anchors/aliases expanded within ACT_MAX_ALIAS_NODES;
 * merge keys; duplicate keys, more than one document, nesting deeper than
 * ACT_MAX_DEPTH and non-scalar keys are errors. Errors carry name:line:col.
 * Allocates with act_malloc (cJSON's hooks) so OOM is ACT_ERR_NOMEM.
 */
enum act_status act_yaml_parse(const char *name, const char *text, size_t len, cJSON **out,
                               struct act_error *err) ACT_WUR;

/* Position of the node at pointer in YAML text, as act_doc_locate. */
int act_yaml_locate(const char *text, size_t len, const char *pointer, int *line, int *col);

/*
 * act_yaml_locate's answer for every pointer, found in one pass over the events
 * of text (for a document asked for many positions: lint with hundreds of
 * findings). Memory: about 30 bytes a node, plus each distinct key once. NULL
 * when out of memory or when text is not a YAML document act_yaml_parse loads
 * (callers then fall back to act_yaml_locate).
 */
struct act_yaml_index *act_yaml_index_build(const char *text, size_t len);
/* As act_yaml_locate: 1 with *line and *col set, 0 when the pointer leads to no
 * node; -1 when out of memory (ask act_yaml_locate). */
int act_yaml_index_get(const struct act_yaml_index *ix, const char *pointer, int *line, int *col);
void act_yaml_index_free(struct act_yaml_index *ix);

/* The format of a file named name with this text: by its extension (.json, .yaml,
 * .yml), else JSON when the text opens with '{' or '[' (doc.c). */
enum act_doc_format act_doc_detect(const char *name, const char *text, size_t len);

/* JSON counterparts (doc_json.c). */
enum act_status act_json_parse(const char *name, const char *text, size_t len, cJSON **out,
                               struct act_error *err) ACT_WUR;
/* The refusals cJSON does not make, in this order: invalid UTF-8 before the
 * first NUL byte, a NUL byte, a \u0000 escape; each at its position. Used before
 * cJSON parses, and by json_fast.c on its error path so that a document with
 * several problems reports the same one either way. */
enum act_status act_json_check_bytes(const char *name, const char *text, size_t len,
                                     struct act_error *err) ACT_WUR;
/* Byte offset of the node at pointer in JSON text (*off), 1 when found. */
int act_json_locate(const char *text, size_t len, const char *pointer, size_t *off);

/*
 * The offset of every value of root in text, found in one walk of both (for a
 * document asked for many positions: lint with hundreds of findings). NULL when
 * out of memory or when the tree is not the whole parse of text (a skeleton
 * from validator/sparse.c): callers then fall back to act_json_locate.
 */
struct act_json_index *act_json_index_build(const char *text, size_t len, const cJSON *root);
/* The offset of node's value (*off), 1 when node is in the index. */
int act_json_index_get(const struct act_json_index *ix, const cJSON *node, size_t *off);
void act_json_index_free(struct act_json_index *ix);

#endif
