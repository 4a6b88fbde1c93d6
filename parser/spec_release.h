/*
 * spec_release.h - loading a spec that may be a release file.
 *
 * This module owns reading `actions release` files as specs: a JSON document
 * whose "format" is "actions-release/1" carries the bundled OpenAPI document in
 * "spec" and the released actions in "actions" ([{id, method, path}]). Such a
 * file loads as its spec, limited to the released actions; any other file loads
 * as act_spec_load would load it. The file is read once either way.
 */
#ifndef ACT_PARSER_SPEC_RELEASE_H
#define ACT_PARSER_SPEC_RELEASE_H

#include "common/act_error.h"
#include "parser/spec.h"

/* The format string of a release file this tool reads. */
#define ACT_RELEASE_FORMAT "actions-release/1"

/*
 * Load path as a spec or as a release file (detected by its "format" member).
 * *is_release (may be NULL) says which. A release whose "spec" is missing or not
 * an OpenAPI 3.0 document, or whose "actions" name an operation its spec does not
 * have, is ACT_ERR_INVALID; another "actions-release/..." format is
 * ACT_ERR_UNSUPPORTED. *out: free with act_spec_free.
 */
enum act_status act_spec_load_release(const char *path, int flags, struct act_spec **out,
                                      int *is_release, struct act_error *err) ACT_WUR;

#endif
