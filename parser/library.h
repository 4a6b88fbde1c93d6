/*
 * library.h - releases and the library of published releases.
 *
 * Owns: semantic versions (semver.org 2.0.0 grammar and precedence); the release
 * file (dist/PROJECT-VERSION.json, format "actions-release/1") and its digest,
 * "sha256:" + SHA-256 of the RFC 8785 form of the release without "digest";
 * atomic file writes (temporary file in the same directory, fsync, rename); the
 * library directory ($ACTIONS_LIBRARY, else $XDG_DATA_HOME/actions/library,
 * else ~/.local/share/actions/library; PROJECT/VERSION.json inside) and the
 * resolution of "library:PROJECT@VERSION" names (@latest: highest precedence);
 * a release as a spec: its "spec" member, limited to its "actions" (one check of
 * a release's members, one predicate for "released", wherever a release is read:
 * a release file, a library name, an Arazzo source); the SPEC names users write
 * (act_spec_load_name).
 */
#ifndef ACT_PARSER_LIBRARY_H
#define ACT_PARSER_LIBRARY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_error.h"
#include "parser/spec.h"

#define ACT_RELEASE_FORMAT "actions-release/1"
#define ACT_LIBRARY_PREFIX "library:"

/* 1 when s is a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]), else 0. */
int act_semver_valid(const char *s);

/* Precedence of two valid versions: <0, 0 (build metadata is ignored) or >0. */
int act_semver_cmp(const char *a, const char *b);

/* 1 when name can be a project name in file names: [A-Za-z0-9._-], not starting with ".". */
int act_release_name_valid(const char *name);

/*
 * The digest of release (a release object; its "digest" member, if any, is left
 * out): "sha256:" and 64 hex digits into out (72 bytes). ACT_ERR_INVALID when
 * the release holds a value RFC 8785 cannot express, ACT_ERR_NOMEM.
 */
#define ACT_DIGEST_SIZE 72
enum act_status act_release_digest(const cJSON *release, char out[ACT_DIGEST_SIZE]) ACT_WUR;

/*
 * Load the release file at path: *out the document (free with act_doc_free).
 * ACT_ERR_INVALID (in err) when it is not a release object of ACT_RELEASE_FORMAT
 * with a spec object, an actions array, string project, a semantic version and a
 * "sha256:" digest. The digest is not checked: see act_release_verify.
 */
enum act_status act_release_load(const char *path, struct act_doc **out,
                                 struct act_error *err) ACT_WUR;

/* 1 when the recorded digest of release matches its content, 0 when not; computed
 * receives the digest computed (ACT_DIGEST_SIZE bytes, "" when it cannot be). */
int act_release_verify(const cJSON *release, char computed[ACT_DIGEST_SIZE]);

/* A member of release as a string, or "" when absent. */
const char *act_release_str(const cJSON *release, const char *name);

/*
 * Write len bytes of data to path atomically: a temporary file in the same
 * directory (".NAME.tmp-XXXXXX", see act_atomic_is_temp), locked (flock) while it
 * is written, fsync, then rename over path (replace = 1) or link to path and fail
 * with ACT_ERR_INVALID when it exists (replace = 0), then fsync the directory.
 * Never a half-written path. kill_before_rename: raise SIGKILL just before the
 * rename (fault injection for tests), which leaves the temporary file behind.
 */
enum act_status act_write_atomic(const char *path, const void *data, size_t len, int replace,
                                 int kill_before_rename, struct act_error *err) ACT_WUR;

/* 1 when name (a file name, without directory) has the form of act_write_atomic's
 * temporary files. */
int act_atomic_is_temp(const char *name);

/*
 * The temporary files of act_write_atomic in dir that no writer holds any more: left
 * by a writer that died (killed mid-write or before its rename). A file a live writer
 * still writes is never reported. Each one found is removed when remove is 1 (one
 * that cannot be removed is not reported). *out: their names (free with
 * act_release_names_free), *n how many. A directory that does not exist has none;
 * ACT_ERR_IO when it cannot be read, ACT_ERR_NOMEM.
 */
enum act_status act_atomic_stale(const char *dir, int remove, char ***out, size_t *n) ACT_WUR;

/* mkdir -p path (mode 0777 before umask). */
enum act_status act_mkdirs(const char *path, struct act_error *err) ACT_WUR;

/* The library directory into out (replacing its contents). */
enum act_status act_library_dir(struct act_buf *out) ACT_WUR;

/*
 * The versions of project in the library (or in a dist directory: pass the
 * directory and prefix "PROJECT-"; for the library pass DIR/PROJECT and prefix
 * ""): files PREFIX + VERSION + ".json" with a valid VERSION, sorted by
 * precedence, lowest first. *out: array of *n strings, free with act_release_names_free.
 * A directory that does not exist has no versions.
 */
enum act_status act_release_versions(const char *dir, const char *prefix, char ***out,
                                     size_t *n) ACT_WUR;
void act_release_names_free(char **names, size_t n);

/*
 * Resolve a library name: "library:PROJECT@VERSION", "PROJECT@VERSION",
 * "@latest" or no "@" for the highest version. *path: the release file
 * (replacing its contents). ACT_ERR_NOTFOUND with a message naming what exists
 * when there is no such project or version; ACT_ERR_USAGE for a malformed name.
 * The Arazzo sourceDescriptions resolver calls this too.
 */
enum act_status act_library_resolve(const char *name, struct act_buf *path,
                                    struct act_error *err) ACT_WUR;

/*
 * The spec of the library release name: its "spec" member as a spec named
 * "library:PROJECT@VERSION", restricted to the release's actions (is_release set).
 * The member's tree becomes the spec's document as it is (no second serialization
 * and parse). The release's digest is verified first: a library file changed after
 * it was published is ACT_ERR_INVALID. Errors of act_library_resolve too.
 */
enum act_status act_library_load_spec(const char *name, int flags, struct act_spec **out,
                                      struct act_error *err) ACT_WUR;

/*
 * Load path as a spec or as a release file (detected by a "format" member starting
 * "actions-release/"). *is_release (may be NULL) says which. A release loads as its
 * spec limited to its actions, as act_library_load_spec (its digest is not checked:
 * see act_release_verify). A release lacking a member (see act_release_load), or
 * whose "actions" name an operation its spec does not have, is ACT_ERR_INVALID;
 * another "actions-release/..." format is ACT_ERR_UNSUPPORTED. The file is read
 * once. *out: free with act_spec_free.
 */
enum act_status act_spec_load_release(const char *path, int flags, struct act_spec **out,
                                      int *is_release, struct act_error *err) ACT_WUR;

/*
 * A SPEC as users name it: "library:PROJECT@VERSION" (act_library_load_spec), else a
 * file, a spec or a release (act_spec_load_release). *out: free with act_spec_free.
 */
enum act_status act_spec_load_name(const char *name, int flags, struct act_spec **out,
                                   struct act_error *err) ACT_WUR;

#endif
