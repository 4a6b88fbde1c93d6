/*
 * spec.c - loading an OpenAPI 3.0.x document and enumerating its operations.
 *
 * Loading checks the version and walks `paths` once, following only path
 * item $refs; parameters are resolved on request and schemas never (ref.h).
 */
#include "spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_suggest.h"
#include "pointer.h"
#include "swagger2.h"

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

/* The method name as a static string, or NULL when key is not an HTTP method. */
static const char *method_of(const char *key)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (strcmp(key, methods[i]) == 0)
            return methods[i];
    return NULL;
}

static const char *str_member(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void op_release(struct act_op *op);

void act_spec_free(struct act_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->n_ops; i++)
        op_release(&spec->ops[i]);
    act_free(spec->ops);
    act_docset_free(spec->docs);
    act_free(spec);
}

static enum act_status node_error(struct act_error *err, enum act_status st,
                                  const struct act_doc *doc, const cJSON *node, const char *msg)
{
    if (err && err->status == ACT_OK) {
        act_error_set(err, st, doc->path, 0, 0, "%s", msg);
        act_error_at_node(err, doc, node);
    }
    return st;
}

static enum act_status check_version(const struct act_doc *doc, int flags, struct act_error *err)
{
    const cJSON *root = doc->root;
    char msg[ACT_ERROR_MSG_MAX], echo[ACT_ECHO_SIZE];
    const cJSON *swagger = cJSON_GetObjectItemCaseSensitive(root, "swagger");
    if (swagger) {
        const char *v = cJSON_IsString(swagger) ? swagger->valuestring : "?";
        snprintf(msg, sizeof(msg),
                 "unsupported Swagger version \"%s\" (this tool reads Swagger 2.0 and OpenAPI "
                 "3.0.x)",
                 act_echo(echo, sizeof(echo), v, strlen(v)));
        return node_error(err, ACT_ERR_UNSUPPORTED, doc, swagger, msg);
    }
    const cJSON *oa = cJSON_GetObjectItemCaseSensitive(root, "openapi");
    if (!oa) {
        if (flags & ACT_SPEC_LENIENT)
            return ACT_OK;
        return act_error_set(err, ACT_ERR_INVALID, doc->path, 1, 1,
                             "not an OpenAPI document: no \"openapi\" field");
    }
    if (!cJSON_IsString(oa))
        return node_error(err, ACT_ERR_INVALID, doc, oa,
                          "\"openapi\" must be a string such as \"3.0.3\"");
    const char *v = oa->valuestring;
    if (strncmp(v, "3.0.", 4) == 0 || strcmp(v, "3.0") == 0)
        return ACT_OK;
    snprintf(msg, sizeof(msg), "unsupported OpenAPI version \"%s\" (this tool reads OpenAPI 3.0.x)",
             act_echo(echo, sizeof(echo), v, strlen(v)));
    return node_error(err, ACT_ERR_UNSUPPORTED, doc, oa, msg);
}

static enum act_status add_op(struct act_spec *spec, size_t *cap, const struct act_op *op)
{
    if (ACT_GROW(spec->ops, *cap, spec->n_ops + 1, 64))
        return ACT_ERR_NOMEM;
    spec->ops[spec->n_ops++] = *op;
    return ACT_OK;
}

static enum act_status enumerate(struct act_spec *spec, const cJSON *paths, struct act_error *err)
{
    const cJSON *root = spec->doc->root;
    const cJSON *gsecurity = cJSON_GetObjectItemCaseSensitive(root, "security");
    const cJSON *gservers = cJSON_GetObjectItemCaseSensitive(root, "servers");
    size_t cap = 0;
    struct act_buf ptr;
    enum act_status st = ACT_OK;
    act_buf_init(&ptr);
    for (const cJSON *pi = paths->child; pi; pi = pi->next) {
        struct act_node item;
        st = act_ref_deref(spec->docs, (struct act_node){spec->doc, pi}, &item, err);
        if (st)
            goto out;
        if (!cJSON_IsObject(item.node))
            continue; /* lint reports it; nothing to enumerate */
        const cJSON *pservers = cJSON_GetObjectItemCaseSensitive(item.node, "servers");
        for (const cJSON *m = item.node->child; m; m = m->next) {
            const char *method = method_of(m->string);
            if (!method || !cJSON_IsObject(m))
                continue;
            struct act_op op = {0};
            op.method = method;
            op.path = pi->string;
            op.node = m;
            op.path_item = item.node;
            op.path_doc = item.doc;
            op.id = str_member(m, "operationId");
            op.summary = str_member(m, "summary");
            op.description = str_member(m, "description");
            const cJSON *tags = cJSON_GetObjectItemCaseSensitive(m, "tags");
            op.tags = cJSON_IsArray(tags) ? tags : NULL;
            op.deprecated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "deprecated"));
            op.request_body = cJSON_GetObjectItemCaseSensitive(m, "requestBody");
            op.responses = cJSON_GetObjectItemCaseSensitive(m, "responses");
            op.security = cJSON_GetObjectItemCaseSensitive(m, "security");
            if (!op.security)
                op.security = gsecurity;
            op.servers = cJSON_GetObjectItemCaseSensitive(m, "servers");
            if (!op.servers)
                op.servers = pservers ? pservers : gservers;
            act_buf_reset(&ptr);
            if (act_buf_adds(&ptr, "/paths") || act_pointer_append(&ptr, pi->string) ||
                act_pointer_append(&ptr, method)) {
                st = ACT_ERR_NOMEM;
                goto out;
            }
            op.pointer = act_strdup(ptr.data);
            if (!op.pointer) {
                st = ACT_ERR_NOMEM;
                goto out;
            }
            if (!op.id) {
                char *id = act_malloc(strlen(method) + strlen(pi->string) + 2);
                if (!id) {
                    act_free(op.pointer);
                    st = ACT_ERR_NOMEM;
                    goto out;
                }
                sprintf(id, "%s.%s", method, pi->string);
                op.id = id;
                op.id_synthesized = 1;
            }
            st = add_op(spec, &cap, &op);
            if (st) {
                act_free(op.pointer);
                if (op.id_synthesized)
                    act_free((char *)op.id);
                goto out;
            }
        }
    }
out:
    if (st == ACT_ERR_NOMEM)
        act_error_set(err, st, spec->doc->path, 0, 0, "out of memory");
    act_buf_release(&ptr);
    return st;
}

/* act_spec_load of path, or of doc (taken) when it is not NULL. */
static enum act_status load(const char *path, struct act_doc *doc, int flags, struct act_spec **out,
                            struct act_error *err)
{
    struct act_spec *spec = act_calloc(1, sizeof(*spec));
    enum act_status st;
    *out = NULL;
    if (!spec) {
        act_doc_free(doc);
        return act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    st = act_docset_new(&spec->docs);
    if (st) {
        act_doc_free(doc);
        act_error_set(err, st, path, 0, 0, "out of memory");
        goto fail;
    }
    act_docset_allow_absolute_refs(spec->docs, (flags & ACT_SPEC_ABSOLUTE_REFS) != 0);
    if (doc) {
        st = act_docset_add_take(spec->docs, doc);
        if (st)
            act_error_set(err, st, path, 0, 0, "out of memory");
        spec->doc = doc;
    } else {
        st = act_docset_load(spec->docs, path, &spec->doc, err);
    }
    if (st)
        goto fail;
    const cJSON *root = spec->doc->root;
    if (!cJSON_IsObject(root)) {
        st = act_error_set(err, ACT_ERR_INVALID, path, 1, 1,
                           "not an OpenAPI document: the top level is not an object");
        goto fail;
    }
    if (act_swagger2_is(root)) {
        /* Swagger 2.0: read as its 3.0 translation, positions still in the 2.0 file. */
        st = act_swagger2_adopt(spec->docs, (struct act_doc *)spec->doc, err);
        if (st)
            goto fail;
        root = spec->doc->root;
    }
    st = check_version(spec->doc, flags, err);
    if (st)
        goto fail;
    spec->openapi = str_member(root, "openapi");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(root, "info");
    spec->title = str_member(info, "title");
    spec->version = str_member(info, "version");
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(root, "paths");
    if (!paths && !(flags & ACT_SPEC_LENIENT)) {
        st = act_error_set(err, ACT_ERR_INVALID, path, 1, 1,
                           "not an OpenAPI document: no \"paths\" object");
        goto fail;
    }
    if (paths && !cJSON_IsObject(paths)) {
        st = node_error(err, ACT_ERR_INVALID, spec->doc, paths, "\"paths\" must be an object");
        if (!(flags & ACT_SPEC_LENIENT))
            goto fail;
        st = ACT_OK;
        paths = NULL;
    }
    if (paths) {
        st = enumerate(spec, paths, err);
        if (st)
            goto fail;
    }
    *out = spec;
    return ACT_OK;
fail:
    act_spec_free(spec);
    return st;
}

enum act_status act_spec_load(const char *path, int flags, struct act_spec **out,
                              struct act_error *err)
{
    return load(path, NULL, flags, out, err);
}

enum act_status act_spec_load_doc_take(struct act_doc *doc, int flags, struct act_spec **out,
                                       struct act_error *err)
{
    return load(doc->path, doc, flags, out, err);
}

const struct act_op *act_spec_find_op(const struct act_spec *spec, const char *id)
{
    for (size_t i = 0; i < spec->n_ops; i++)
        if (strcmp(spec->ops[i].id, id) == 0)
            return &spec->ops[i];
    return NULL;
}

static void op_release(struct act_op *op)
{
    act_free(op->pointer);
    if (op->id_synthesized)
        act_free((char *)op->id);
}

void act_spec_retain(struct act_spec *spec, int (*keep)(const struct act_op *op, void *arg),
                     void *arg)
{
    size_t n = 0;
    for (size_t i = 0; i < spec->n_ops; i++) {
        if (keep(&spec->ops[i], arg))
            spec->ops[n++] = spec->ops[i];
        else
            op_release(&spec->ops[i]);
    }
    spec->n_ops = n;
}

size_t act_spec_suggest(const struct act_spec *spec, const char *id, const char **out, size_t max)
{
    struct act_suggest s;
    act_suggest_init(&s, id, strlen(id) / 3 + 2, 0, out, max);
    for (size_t i = 0; i < spec->n_ops; i++)
        act_suggest_add(&s, spec->ops[i].id);
    return s.n;
}

/* ---- responses and media types ---------------------------------------- */

/* Length of the media type without parameters and trailing blanks. */
static size_t bare_len(const char *mt)
{
    size_t l = strcspn(mt, ";");
    while (l && (mt[l - 1] == ' ' || mt[l - 1] == '\t'))
        l--;
    return l;
}

int act_status_key_matches(const char *key, long status, int precedence)
{
    switch (precedence) {
    case 0:
        return strlen(key) == 3 && key[0] >= '1' && key[0] <= '5' &&
               (key[0] - '0') * 100 + (key[1] - '0') * 10 + (key[2] - '0') == status &&
               key[1] >= '0' && key[1] <= '9' && key[2] >= '0' && key[2] <= '9';
    case 1:
        return strlen(key) == 3 && (key[1] == 'X' || key[1] == 'x') &&
               (key[2] == 'X' || key[2] == 'x') && key[0] - '0' == status / 100;
    default: return strcmp(key, "default") == 0;
    }
}

const cJSON *act_spec_response_for(const cJSON *responses, long status)
{
    for (int prec = 0; prec < 3; prec++)
        for (const cJSON *r = cJSON_IsObject(responses) ? responses->child : NULL; r; r = r->next)
            if (act_status_key_matches(r->string, status, prec))
                return r;
    return NULL;
}

const cJSON *act_spec_media_for(const cJSON *content, const char *ct)
{
    while (*ct == ' ')
        ct++;
    size_t l = bare_len(ct);
    const char *slash = memchr(ct, '/', l);
    size_t tl = slash ? (size_t)(slash - ct) : l;
    for (const cJSON *m = cJSON_IsObject(content) ? content->child : NULL; m; m = m->next)
        if (bare_len(m->string) == l && strncasecmp(m->string, ct, l) == 0)
            return m;
    for (const cJSON *m = cJSON_IsObject(content) ? content->child : NULL; m; m = m->next) {
        size_t ml = bare_len(m->string);
        if (slash && ml == tl + 2 && strncasecmp(m->string, ct, tl) == 0 &&
            strncmp(m->string + tl, "/*", 2) == 0)
            return m;
    }
    for (const cJSON *m = cJSON_IsObject(content) ? content->child : NULL; m; m = m->next)
        if (bare_len(m->string) == 3 && strncmp(m->string, "*/*", 3) == 0)
            return m;
    return NULL;
}

static enum act_status collect(const struct act_spec *spec, const struct act_doc *doc,
                               const cJSON *list, struct act_param *params, size_t *n,
                               size_t first_override, struct act_error *err)
{
    if (!list)
        return ACT_OK;
    if (!cJSON_IsArray(list))
        return node_error(err, ACT_ERR_INVALID, doc, list, "\"parameters\" must be an array");
    for (const cJSON *p = list->child; p; p = p->next) {
        struct act_node r;
        enum act_status st = act_ref_deref(spec->docs, (struct act_node){doc, p}, &r, err);
        if (st)
            return st;
        const char *name = str_member(r.node, "name");
        const char *in = str_member(r.node, "in");
        if (!cJSON_IsObject(r.node) || !name || !in)
            return node_error(err, ACT_ERR_INVALID, r.doc, r.node,
                              "parameter without \"name\" and \"in\"");
        struct act_param np = {name, in, 0, 0, r};
        np.required = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.node, "required"));
        np.ignored = act_spec_param_ignored(in, name);
        size_t k;
        /* Operation parameters replace path-level ones with the same name and location. */
        for (k = 0; k < first_override; k++)
            if (strcmp(params[k].name, name) == 0 && strcmp(params[k].in, in) == 0)
                break;
        if (k < first_override)
            params[k] = np;
        else
            params[(*n)++] = np;
    }
    return ACT_OK;
}

int act_spec_param_ignored(const char *in, const char *name)
{
    return strcmp(in, "header") == 0 &&
           (strcasecmp(name, "Accept") == 0 || strcasecmp(name, "Content-Type") == 0 ||
            strcasecmp(name, "Authorization") == 0);
}

enum act_status act_spec_op_params(const struct act_spec *spec, const struct act_op *op,
                                   struct act_param **out, size_t *n, struct act_error *err)
{
    return act_spec_op_params_all(spec, op, 0, out, n, err);
}

enum act_status act_spec_op_params_all(const struct act_spec *spec, const struct act_op *op,
                                       int flags, struct act_param **out, size_t *n,
                                       struct act_error *err)
{
    const cJSON *plist = cJSON_GetObjectItemCaseSensitive(op->path_item, "parameters");
    const cJSON *olist = cJSON_GetObjectItemCaseSensitive(op->node, "parameters");
    size_t max = (size_t)cJSON_GetArraySize(plist) + (size_t)cJSON_GetArraySize(olist);
    struct act_param *params = act_calloc(max ? max : 1, sizeof(*params));
    size_t count = 0;
    enum act_status st;
    *out = NULL;
    *n = 0;
    if (!params)
        return act_error_set(err, ACT_ERR_NOMEM, spec->doc->path, 0, 0, "out of memory");
    st = collect(spec, op->path_doc, plist, params, &count, 0, err);
    if (!st)
        st = collect(spec, op->path_doc, olist, params, &count, count, err);
    if (st) {
        act_free(params);
        return st;
    }
    if (!(flags & ACT_PARAMS_IGNORED)) {
        size_t kept = 0;
        for (size_t i = 0; i < count; i++)
            if (!params[i].ignored)
                params[kept++] = params[i];
        count = kept;
    }
    *out = params;
    *n = count;
    return ACT_OK;
}
