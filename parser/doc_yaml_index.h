/*
 * doc_yaml_index.h - positions in YAML text (parser-internal): the locator, which
 * follows a JSON Pointer through the events of the text without building anything,
 * and the position index, which records its answer for every node in one pass.
 */
#ifndef ACT_PARSER_DOC_YAML_INDEX_H
#define ACT_PARSER_DOC_YAML_INDEX_H

#include <stddef.h>

struct act_yaml_index;

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

#endif
