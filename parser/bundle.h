/*
 * bundle.h - one self-contained OpenAPI document from a spec split over files.
 *
 * Owns `actions bundle`'s transformation: every $ref into another file is
 * replaced by a $ref into the bundle's own `components` (a new entry with a
 * stable, collision-free name), or, for a path item (which OpenAPI 3.0 cannot
 * keep in components), by the path item itself. References inside the root
 * file stay as written, so recursive schemas stay finite; nothing else changes.
 */
#ifndef ACT_PARSER_BUNDLE_H
#define ACT_PARSER_BUNDLE_H

#include <cjson/cJSON.h>

#include "common/act_error.h"
#include "parser/spec.h"

/*
 * Bundle spec (its root file and every file reached from it, loaded through its
 * docset as needed). *out is a new tree the caller frees with cJSON_Delete.
 * Names: a target at /components/TYPE/NAME of its file keeps TYPE and NAME, a
 * whole file is named after the file (schemas/book.json -> book.json), anything else
 * after the last token of its pointer; characters a component name cannot hold
 * become "_", and a name already taken gets "_2", "_3", ... in the order the
 * references are met (document order), so the same input always gives the same
 * names. Errors: ACT_ERR_REF for a $ref that does not resolve, ACT_ERR_INVALID
 * for a cycle of path item files (a path item that includes itself), which no
 * single document can express; ACT_ERR_NOMEM.
 */
enum act_status act_bundle(const struct act_spec *spec, cJSON **out, struct act_error *err) ACT_WUR;

/* As act_bundle, for the file root of docset ds, whatever its version (no act_spec
 * needed): what `actions convert` bundles. */
enum act_status act_bundle_docs(struct act_docset *ds, const struct act_doc *root, cJSON **out,
                                struct act_error *err) ACT_WUR;

#endif
