/*
 * swagger2.h - Swagger 2.0 documents read as OpenAPI 3.0.3.
 *
 * Owns the translation of a Swagger 2.0 document into an OpenAPI 3.0.3 tree (the
 * rules are listed in swagger2.c), the record of what 3.0 cannot say (the losses
 * array), and the loading of a 2.0 spec into the same model as a 3.0 one: the
 * root document's tree is replaced by its translation while its text stays, with a
 * source map (srcmap.h) so that every position in a message names the 2.0 file and
 * node; the other files of a multi-file 2.0 spec have their schemas rewritten in
 * place as they are loaded.
 */
#ifndef ACT_PARSER_SWAGGER2_H
#define ACT_PARSER_SWAGGER2_H

#include <cjson/cJSON.h>

#include "common/act_error.h"
#include "parser/doc.h"
#include "parser/ref.h"

/* 1 when root is a Swagger 2.0 document ("swagger": "2.0"). */
int act_swagger2_is(const cJSON *root);

/* Translate the Swagger 2.0 document doc (root has "swagger": "2.0") into a new OpenAPI
 * 3.0.3 tree *out (caller frees with cJSON_Delete). losses, when not NULL, is a cJSON array
 * to which one object {"pointer": JSON Pointer into the 2.0 document, "done": what was
 * done, "lost": what 3.0 cannot say (or "" when nothing)} is appended per construct that
 * was not carried over exactly. ACT_ERR_INVALID (file:line:col) for a document that is not
 * valid 2.0 in a way that stops translation. */
enum act_status act_swagger2_to_oas30(const struct act_doc *doc, cJSON **out, cJSON *losses,
                                      struct act_error *err) ACT_WUR;

/*
 * Make doc, the root of ds and a Swagger 2.0 document, read as OpenAPI 3.0.3: its tree
 * becomes the translation (the 2.0 tree is kept for positions, doc->srcmap), and every
 * file ds loads later has its schemas rewritten in place (act_swagger2_fix_file). Errors
 * as act_swagger2_to_oas30; doc is unchanged on failure.
 */
enum act_status act_swagger2_adopt(struct act_docset *ds, struct act_doc *doc,
                                   struct act_error *err) ACT_WUR;

/*
 * Rewrite, in place, the 2.0 schema keywords of a file a 2.0 spec references (x-nullable,
 * a discriminator property name, whose values this file's definition names map to,
 * type: file) and, when root was translated (act_swagger2_adopt), its $refs to the
 * root's definitions, parameters and responses. Every node keeps its JSON Pointer, so
 * positions stay right.
 */
enum act_status act_swagger2_fix_file(struct act_doc *doc, const struct act_doc *root) ACT_WUR;

/*
 * act_docset_load_node (ref.h) for a file that may be a Swagger 2.0 document (validate
 * --schema api.json#/definitions/Pet): when it is one, its schemas, and those of every
 * file it references, are rewritten in place as act_swagger2_fix_file does, so the 3.0
 * validator reads them as 2.0 means them; pointers and positions do not change.
 */
enum act_status act_swagger2_load_node(const char *path, const char *pointer,
                                       struct act_docset **ds, struct act_node *out,
                                       struct act_error *err) ACT_WUR;

#endif
