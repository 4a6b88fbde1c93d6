/*
 * ref.h - the files of one spec, and $ref resolution between them.
 *
 * A docset owns every file a spec pulls in, each loaded once (keyed by its
 * canonical path), on demand: nothing is loaded or expanded until a $ref is
 * followed. Recursive schemas are legal: resolution follows one $ref (or a
 * chain of $ref-only nodes) at a time and never expands a tree, so callers
 * walking a schema must keep their own visited set.
 */
#ifndef ACT_PARSER_REF_H
#define ACT_PARSER_REF_H

#include <cjson/cJSON.h>

#include "common/act_buf.h"
#include "common/act_error.h"
#include "parser/doc.h"

struct act_docset;

/* A node and the document it lives in (refs inside it are relative to that file). */
struct act_node {
    const struct act_doc *doc; /* borrowed from the docset */
    const cJSON *node;         /* borrowed from doc->root */
};

/* A new empty docset (caller frees with act_docset_free). */
enum act_status act_docset_new(struct act_docset **out) ACT_WUR;
void act_docset_free(struct act_docset *ds);

/*
 * Add an already parsed document, taking ownership of it (freed with the
 * docset, also on failure). Used for the root spec.
 */
enum act_status act_docset_add_take(struct act_docset *ds, struct act_doc *doc) ACT_WUR;

/*
 * A new docset *ds (caller frees with act_docset_free) whose root is the file at
 * path, loaded with act_doc_load_part as far as the node at pointer ("" = the whole
 * file) needs, and that node (*out, borrowed from *ds): what validate --schema
 * loads. Errors: those of act_doc_load, and ACT_ERR_NOTFOUND "no node at #..." for
 * a pointer that leads nowhere.
 */
enum act_status act_docset_load_node(const char *path, const char *pointer, struct act_docset **ds,
                                     struct act_node *out, struct act_error *err) ACT_WUR;

/*
 * The document at path, loading it on first use (at most ACT_MAX_REF_FILES
 * files per docset). *out is borrowed until act_docset_free.
 */
enum act_status act_docset_load(struct act_docset *ds, const char *path, const struct act_doc **out,
                                struct act_error *err) ACT_WUR;

/* Follow $refs whose file part is an absolute path ("/etc/x.yaml#/A") when allow
 * is 1; by default they are refused (ACT_ERR_REF): a spec with them works on one
 * machine only. */
void act_docset_allow_absolute_refs(struct act_docset *ds, int allow);

/* Call fn on every file ds loads from now on, before anyone reads it (root: ds's
 * first document); a failure of fn fails the load. A Swagger 2.0 spec rewrites the
 * schemas of its other files this way (swagger2.h). */
void act_docset_on_load(struct act_docset *ds,
                        enum act_status (*fn)(struct act_doc *doc, const struct act_doc *root));
/*
 * --ref-map URL_PREFIX=DIR: $refs (and, in the JSON Schema 2020-12 mode of the validator,
 * $id-based URIs) that start with prefix are read from the file under dir that the rest of
 * the URI names ("https://x.test/s/" + "a/b.json" -> dir/a/b.json). Several maps: the
 * longest matching prefix wins. Remote URIs without a map are never fetched.
 */
enum act_status act_docset_add_ref_map(struct act_docset *ds, const char *prefix,
                                       const char *dir) ACT_WUR;
/* The local path (in out) of uri (its fragment ignored) by the maps of ds: ACT_OK,
 * ACT_ERR_NOTFOUND when no prefix matches, ACT_ERR_INVALID when the rest of the URI has a
 * malformed %-escape or would leave the directory (a ".." segment, a NUL). */
enum act_status act_docset_map_uri(const struct act_docset *ds, const char *uri,
                                   struct act_buf *out) ACT_WUR;

/* Files loaded so far (the root first); act_docset_get(ds, i) for i < count. */
size_t act_docset_count(const struct act_docset *ds);
const struct act_doc *act_docset_get(const struct act_docset *ds, size_t i);

/*
 * Resolve the reference string ref ("#/components/schemas/Pet",
 * "common.yaml#/components/schemas/Error", "./pet.json") written in document
 * from. Relative file parts are taken relative to from's directory; the
 * fragment is percent-decoded, then read as a JSON Pointer (~0, ~1). Only
 * local files: http(s) refs are ACT_ERR_UNSUPPORTED unless a --ref-map covers them (see
 * act_docset_add_ref_map). Does not follow a $ref
 * found at the target (see act_ref_deref). Errors: ACT_ERR_REF naming the ref.
 */
enum act_status act_ref_resolve(struct act_docset *ds, const struct act_doc *from, const char *ref,
                                struct act_node *out, struct act_error *err) ACT_WUR;

/*
 * If in.node is an object with a string "$ref", follow it, and keep following
 * while the target is itself a $ref object, until a node that is not; else
 * *out = in. A cycle of refs that never reaches a value (A -> B -> A) and
 * chains longer than ACT_MAX_REF_HOPS are ACT_ERR_REF. An error names the ref
 * and where it stands (file:line:col of the $ref and its JSON Pointer).
 */
enum act_status act_ref_deref(struct act_docset *ds, struct act_node in, struct act_node *out,
                              struct act_error *err) ACT_WUR;

/* The "$ref" string of node, or NULL when node is not a $ref object. */
const char *act_ref_of(const cJSON *node);

/* Fill err's file/line/col/pointer from node's position in doc (for messages). */
void act_error_at_node(struct act_error *err, const struct act_doc *doc, const cJSON *node);

#endif
