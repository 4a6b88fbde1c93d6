/*
 * doc_int.h - what the parser keeps of struct act_doc to itself (parser-internal):
 * the position caches behind act_doc_locate, format detection, and the loaders
 * that take a canonical path already resolved or build a document from a tree.
 * Nothing outside parser/ (tests aside) includes it.
 */
#ifndef ACT_PARSER_DOC_INT_H
#define ACT_PARSER_DOC_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "doc.h"

struct act_lines;
struct act_json_index;
struct act_yaml_index;

/* The caches act_doc_locate fills (doc->positions), none part of the document's value. */
struct act_doc_positions {
    struct act_lines *lines;           /* line starts, built on the first position asked for */
    struct act_json_index *index;      /* JSON: node -> offset, built after a few positions */
    struct act_yaml_index *yaml_index; /* YAML: pointer -> position, likewise */
    unsigned locates;                  /* positions asked for so far */
    int no_index;                      /* the index cannot be built for this document */
};

/* The format of a file named name with this text: by its extension (.json, .yaml,
 * .yml), else JSON when the text opens with '{' or '[' (doc.c). */
enum act_doc_format act_doc_detect(const char *name, const char *text, size_t len);

/* As act_doc_load, for a caller that has already resolved path: canon is its
 * canonical path (NULL: resolve it here), so realpath runs once per file. */
enum act_status act_doc_load_canon(const char *path, const char *canon, enum act_doc_format fmt,
                                   struct act_doc **out, struct act_error *err) ACT_WUR;

#endif
