/*
 * srcmap.h - where the nodes of a translated document stand in its source text
 * (parser-internal).
 *
 * A document whose tree was rebuilt from another one (a Swagger 2.0 file read as
 * OpenAPI 3.0, swagger2.c) keeps the source text and tree; its source map says, for
 * prefixes of JSON Pointers into the new tree, which source pointer they came from
 * ("/components/schemas/Pet" <- "/definitions/Pet"). act_doc_locate rewrites the
 * longest mapped prefix of a pointer and looks the result up in the source, so every
 * message names the file the user wrote. A pointer with no mapped prefix is taken as
 * it is (the translation keeps most nodes where they were).
 */
#ifndef ACT_PARSER_SRCMAP_H
#define ACT_PARSER_SRCMAP_H

#include <cjson/cJSON.h>

#include "common/act_buf.h"
#include "common/act_status.h"

struct act_srcmap;

/* A new empty map (caller frees with act_srcmap_free). */
enum act_status act_srcmap_new(struct act_srcmap **out) ACT_WUR;
/* Frees the map and the source tree it holds; accepts NULL. */
void act_srcmap_free(struct act_srcmap *m);

/* Map the translated prefix to (a pointer to the node at) from in the source; a later
 * entry for the same prefix replaces the earlier one. Both strings are copied. */
enum act_status act_srcmap_add(struct act_srcmap *m, const char *to, const char *from) ACT_WUR;

/* Hand the source tree to the map (freed with it): positions are looked up in it. */
void act_srcmap_take_source(struct act_srcmap *m, cJSON *source);
/* The source tree, or NULL. */
const cJSON *act_srcmap_source(const struct act_srcmap *m);

/* The source pointer of the translated pointer into out (replacing its contents). */
enum act_status act_srcmap_lookup(const struct act_srcmap *m, const char *pointer,
                                  struct act_buf *out) ACT_WUR;

#endif
