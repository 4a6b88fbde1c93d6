/*
 * spec_release.c - a spec, or the spec inside a release file (see spec_release.h).
 *
 * The release's "spec" member is detached from the release tree and becomes the
 * root of a document of its own, so its "#/components/..." refs resolve inside
 * it. That document has no source text of its own: messages about it carry the
 * release's path without line numbers.
 */
#include <string.h>

#include "common/act_alloc.h"
#include "parser/spec_release.h"

struct ids {
    const cJSON *actions;
};

static int released(const struct act_op *op, void *arg)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, ((const struct ids *)arg)->actions)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(a, "id");
        if (cJSON_IsString(id) && strcmp(id->valuestring, op->id) == 0)
            return 1;
    }
    return 0;
}

/* The release in doc (owned, freed here) as a spec limited to its actions. */
static enum act_status from_release(struct act_doc *doc, int flags, struct act_spec **out,
                                    struct act_error *err)
{
    enum act_status st;
    cJSON *root = doc->root;
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (strcmp(format->valuestring, ACT_RELEASE_FORMAT) != 0) {
        char echo[ACT_ECHO_SIZE];
        st = act_error_set(
            err, ACT_ERR_UNSUPPORTED, doc->path, 0, 0,
            "unsupported release format \"%s\" (this tool reads %s)",
            act_echo(echo, sizeof(echo), format->valuestring, strlen(format->valuestring)),
            ACT_RELEASE_FORMAT);
        act_doc_free(doc);
        return st;
    }
    cJSON *spec = cJSON_GetObjectItemCaseSensitive(root, "spec");
    cJSON *actions = cJSON_GetObjectItemCaseSensitive(root, "actions");
    if (!cJSON_IsObject(spec) || !cJSON_IsArray(actions)) {
        st = act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0, "release file has no \"%s\" %s",
                           !cJSON_IsObject(spec) ? "spec" : "actions",
                           !cJSON_IsObject(spec) ? "object" : "array");
        act_doc_free(doc);
        return st;
    }
    struct act_doc *sdoc = NULL;
    st = act_doc_parse(doc->path, "{}", 2, ACT_DOC_JSON, &sdoc, err);
    if (!st) {
        sdoc->canon = act_strdup(doc->canon ? doc->canon : doc->path);
        if (!sdoc->canon) {
            act_doc_free(sdoc);
            st = act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
        }
    }
    if (st) {
        act_doc_free(doc);
        return st;
    }
    /* the spec becomes sdoc's tree; the release keeps its "actions" until the end */
    cJSON_Delete(sdoc->root);
    sdoc->root = cJSON_DetachItemViaPointer(root, spec);
    st = act_spec_load_doc_take(sdoc, flags, out, err);
    if (!st) {
        const cJSON *a;
        cJSON_ArrayForEach(a, actions)
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(a, "id");
            if (!cJSON_IsString(id) || !act_spec_find_op(*out, id->valuestring)) {
                char echo[ACT_ECHO_SIZE];
                const char *s = cJSON_IsString(id) ? id->valuestring : "";
                st = act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0,
                                   "release lists action \"%s\", which is not in its spec",
                                   act_echo(echo, sizeof(echo), s, strlen(s)));
                break;
            }
        }
        if (st) {
            act_spec_free(*out);
            *out = NULL;
        } else {
            struct ids ids = {actions};
            act_spec_retain(*out, released, &ids);
        }
    }
    act_doc_free(doc);
    return st;
}

enum act_status act_spec_load_release(const char *path, int flags, struct act_spec **out,
                                      int *is_release, struct act_error *err)
{
    struct act_doc *doc;
    *out = NULL;
    if (is_release)
        *is_release = 0;
    enum act_status st = act_doc_load(path, ACT_DOC_AUTO, &doc, err);
    if (st)
        return st;
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc->root, "format");
    if (cJSON_IsObject(doc->root) && cJSON_IsString(format) &&
        strncmp(format->valuestring, "actions-release/", 16) == 0) {
        if (is_release)
            *is_release = 1;
        return from_release(doc, flags, out, err);
    }
    return act_spec_load_doc_take(doc, flags, out, err);
}
