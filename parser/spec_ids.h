/*
 * spec_ids.h - the action ids of a spec, fast enough for shell completion.
 *
 * act_spec_load reads and models a whole spec (GitHub's 13 MB description takes
 * about 200 ms); completing an action id needs only the ids. A JSON spec is
 * skimmed instead: one pass over its text that decodes only the keys of
 * `paths`, of each path item, and each operation's `operationId`, skipping
 * every other value unread. Whatever the skim cannot settle the way
 * act_spec_load would (YAML, a path item $ref, another OpenAPI version,
 * malformed text) is loaded in full, so the answer is always act_spec_load's; a
 * library:PROJECT@VERSION name or a release file gives the released actions' ids.
 * The file is mapped, not read, for the skim.
 */
#ifndef ACT_PARSER_SPEC_IDS_H
#define ACT_PARSER_SPEC_IDS_H

#include <stddef.h>

#include "common/act_status.h"

/* A list of ids: v[0..n), each and the array owned (act_spec_ids_free). */
struct act_spec_ids {
    char **v;    /* the ids, owned */
    size_t n;    /* ids in v */
    size_t cap;  /* slots in v */
    int skimmed; /* 1 when the JSON skim answered, 0 when the spec was loaded in full */
};

/*
 * The ids act_spec_load(path, 0, ...) enumerates, in spec order (an operation
 * without operationId gets the same "METHOD.PATH" id). Fills *out on success;
 * errors are those of act_spec_load (no message: completion prints none).
 */
enum act_status act_spec_ids_load(const char *path, struct act_spec_ids *out) ACT_WUR;

/* Only the skim, of len bytes of text (no NUL needed): ACT_ERR_UNSUPPORTED when the
 * text needs a full load. */
enum act_status act_spec_ids_skim(const char *text, size_t len, struct act_spec_ids *out) ACT_WUR;

/* Add a copy of id to ids; ACT_ERR_NOMEM. */
enum act_status act_spec_ids_add(struct act_spec_ids *ids, const char *id, size_t len) ACT_WUR;

/* Free the ids; accepts an empty (zeroed) list. */
void act_spec_ids_free(struct act_spec_ids *ids);

#endif
