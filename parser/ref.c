/*
 * ref.c - the docset (files of one spec, each loaded once) and $ref resolution.
 *
 * Resolution is lazy and one step at a time: a reference is followed when a
 * caller asks, never by expanding a tree, so recursive schemas cost nothing
 * and cannot loop here. A chain of $ref-only nodes is followed with cycle
 * detection and a hop limit (ACT_MAX_REF_HOPS).
 */
#include "ref.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "doc_int.h"
#include "pointer.h"

struct act_docset {
    struct act_doc **docs; /* loaded files; docs[0] is the root spec */
    size_t n;              /* files loaded */
    size_t cap;            /* slots in docs */
    int absolute_refs;     /* $refs to absolute file paths are followed */
    enum act_status (*on_load)(struct act_doc *doc,
                               const struct act_doc *root); /* act_docset_on_load's, or NULL */
    struct ref_map {
        char *prefix; /* "https://schemas.example.com/" */
        char *dir;    /* the local directory standing for it */
    } * maps;         /* --ref-map URL_PREFIX=DIR, in the order given */
    size_t n_maps, cap_maps;
};

enum act_status act_docset_new(struct act_docset **out)
{
    *out = act_calloc(1, sizeof(**out));
    return *out ? ACT_OK : ACT_ERR_NOMEM;
}

void act_docset_free(struct act_docset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->n; i++)
        act_doc_free(ds->docs[i]);
    act_free(ds->docs);
    for (size_t i = 0; i < ds->n_maps; i++) {
        act_free(ds->maps[i].prefix);
        act_free(ds->maps[i].dir);
    }
    act_free(ds->maps);
    act_free(ds);
}

enum act_status act_docset_add_take(struct act_docset *ds, struct act_doc *doc)
{
    if (ACT_GROW(ds->docs, ds->cap, ds->n + 1, 4)) {
        act_doc_free(doc);
        return ACT_ERR_NOMEM;
    }
    ds->docs[ds->n++] = doc;
    return ACT_OK;
}

void act_docset_allow_absolute_refs(struct act_docset *ds, int allow)
{
    ds->absolute_refs = allow;
}

void act_docset_on_load(struct act_docset *ds,
                        enum act_status (*fn)(struct act_doc *doc, const struct act_doc *root))
{
    ds->on_load = fn;
}

enum act_status act_docset_add_ref_map(struct act_docset *ds, const char *prefix, const char *dir)
{
    if (ACT_GROW(ds->maps, ds->cap_maps, ds->n_maps + 1, 4))
        return ACT_ERR_NOMEM;
    struct ref_map *m = &ds->maps[ds->n_maps];
    m->prefix = act_strdup(prefix);
    m->dir = act_strdup(dir);
    if (!m->prefix || !m->dir) {
        act_free(m->prefix);
        act_free(m->dir);
        return ACT_ERR_NOMEM;
    }
    ds->n_maps++;
    return ACT_OK;
}

enum act_status act_docset_map_uri(const struct act_docset *ds, const char *uri,
                                   struct act_buf *out)
{
    const struct ref_map *best = NULL;
    size_t uri_len = strcspn(uri, "#");
    for (size_t i = 0; i < ds->n_maps; i++) {
        size_t n = strlen(ds->maps[i].prefix);
        if (n <= uri_len && strncmp(uri, ds->maps[i].prefix, n) == 0 &&
            (!best || n > strlen(best->prefix)))
            best = &ds->maps[i];
    }
    if (!best)
        return ACT_ERR_NOTFOUND;
    size_t n = strlen(best->prefix), dl = strlen(best->dir);
    const char *rest = uri + n;
    size_t rest_len = uri_len - n;
    while (rest_len && *rest == '/') {
        rest++;
        rest_len--;
    }
    act_buf_reset(out);
    if (act_buf_add(out, best->dir, dl) ||
        (dl && best->dir[dl - 1] != '/' && act_buf_addc(out, '/')))
        return ACT_ERR_NOMEM;
    /* the rest of the URI, %-escapes decoded, its query dropped */
    rest_len = strcspn(rest, "?#") < rest_len ? strcspn(rest, "?#") : rest_len;
    enum act_status st = act_buf_add_pct_decoded(out, rest, rest_len);
    if (st)
        return st;
    /* ".." segments would leave DIR: refused */
    for (const char *p = out->data + dl; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == out->data + dl || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return ACT_ERR_INVALID;
    return ACT_OK;
}

size_t act_docset_count(const struct act_docset *ds)
{
    return ds->n;
}

const struct act_doc *act_docset_get(const struct act_docset *ds, size_t i)
{
    return i < ds->n ? ds->docs[i] : NULL;
}

static const char *doc_key(const struct act_doc *d)
{
    return d->canon ? d->canon : d->path;
}

enum act_status act_docset_load(struct act_docset *ds, const char *path, const struct act_doc **out,
                                struct act_error *err)
{
    char resolved[PATH_MAX];
    *out = NULL;
    /* A file loaded under this very spelling is found without resolving it again:
     * realpath runs once per file, not once per $ref. */
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->docs[i]->canon && strcmp(ds->docs[i]->path, path) == 0) {
            *out = ds->docs[i];
            return ACT_OK;
        }
    }
    const char *canon = realpath(path, resolved) ? resolved : NULL;
    const char *key = canon ? canon : path;
    for (size_t i = 0; i < ds->n; i++) {
        if (strcmp(doc_key(ds->docs[i]), key) == 0) {
            *out = ds->docs[i];
            return ACT_OK;
        }
    }
    if (ds->n >= ACT_MAX_REF_FILES)
        return act_error_set(err, ACT_ERR_LIMIT, path, 0, 0, "too many files referenced (limit %d)",
                             ACT_MAX_REF_FILES);
    struct act_doc *doc;
    enum act_status st = act_doc_load_canon(path, canon, ACT_DOC_AUTO, &doc, err);
    if (st)
        return st;
    if (ds->on_load && ds->n && (st = ds->on_load(doc, ds->docs[0])) != ACT_OK) {
        act_doc_free(doc);
        return act_error_set(err, st, path, 0, 0, "out of memory");
    }
    st = act_docset_add_take(ds, doc);
    if (st)
        return act_error_set(err, st, path, 0, 0, "out of memory");
    *out = doc;
    return ACT_OK;
}

enum act_status act_docset_load_node(const char *path, const char *pointer, struct act_docset **ds,
                                     struct act_node *out, struct act_error *err)
{
    struct act_doc *doc = NULL;
    enum act_status st;
    *ds = NULL;
    if ((st = act_docset_new(ds)))
        return act_error_set(err, st, path, 0, 0, "out of memory");
    if ((st = act_doc_load_part(path, pointer, &doc, err)))
        goto fail;
    if ((st = act_docset_add_take(*ds, doc))) {
        act_error_set(err, st, path, 0, 0, "out of memory");
        goto fail;
    }
    out->doc = doc;
    out->node = act_pointer_get(doc->root, pointer);
    if (!out->node) {
        char echo[ACT_ECHO_SIZE];
        st = act_error_set(err, ACT_ERR_NOTFOUND, path, 0, 0, "no node at #%s",
                           act_echo(echo, sizeof(echo), pointer, strlen(pointer)));
        goto fail;
    }
    return ACT_OK;
fail:
    act_docset_free(*ds);
    *ds = NULL;
    return st;
}

const char *act_ref_of(const cJSON *node)
{
    if (!cJSON_IsObject(node))
        return NULL;
    /* "$ref" is nearly always the first (often only) member: check it first. */
    const cJSON *r = node->child;
    if (!r || !r->string || strcmp(r->string, "$ref") != 0)
        r = cJSON_GetObjectItemCaseSensitive(node, "$ref");
    return cJSON_IsString(r) ? r->valuestring : NULL;
}

void act_error_at_node(struct act_error *err, const struct act_doc *doc, const cJSON *node)
{
    struct act_buf ptr;
    int line = 0, col = 0;
    if (!err || !doc)
        return;
    act_buf_init(&ptr);
    snprintf(err->file, sizeof(err->file), "%s", doc->path);
    if (act_pointer_of(doc->root, node, &ptr) == ACT_OK) {
        struct act_buf shown;
        act_buf_init(&shown);
        act_error_set_pointer(err, act_doc_source_pointer(doc, ptr.data, &shown) ? ptr.data
                                                                                 : shown.data);
        act_buf_release(&shown);
        if (act_doc_locate(doc, ptr.data, &line, &col)) {
            err->line = line;
            err->col = col;
        }
    }
    act_buf_release(&ptr);
}

/* The file at path a $ref of from names (echo: the ref for messages, how: how the path was
 * found, "" or " (mapped by --ref-map)"). */
static enum act_status load_target(struct act_docset *ds, const struct act_doc *from,
                                   const char *path, const char *echo, const char *how,
                                   const struct act_doc **target, struct act_error *err)
{
    struct act_error sub;
    act_error_init(&sub);
    enum act_status st = act_docset_load(ds, path, target, &sub);
    if (st) {
        char where[ACT_ERROR_MSG_MAX + 16];
        act_error_format(&sub, where, sizeof(where));
        st = act_error_set(err, st == ACT_ERR_NOMEM ? st : ACT_ERR_REF, from->path, 0, 0,
                           "unresolvable $ref \"%s\"%s: %s", echo, how, where);
    }
    return st;
}

enum act_status act_ref_resolve(struct act_docset *ds, const struct act_doc *from, const char *ref,
                                struct act_node *out, struct act_error *err)
{
    char echo[ACT_ECHO_SIZE];
    const char *hash = strchr(ref, '#');
    size_t file_len = hash ? (size_t)(hash - ref) : strlen(ref);
    const struct act_doc *target = from;
    struct act_buf path, ptr;
    enum act_status st = ACT_OK;

    act_echo(echo, sizeof(echo), ref, strlen(ref));
    act_buf_init(&path);
    act_buf_init(&ptr);
    if (strstr(ref, "://") && (!hash || strstr(ref, "://") < hash)) {
        /* a remote URI: followed only where --ref-map names a local directory for it */
        st = act_docset_map_uri(ds, ref, &path);
        if (st == ACT_ERR_NOMEM)
            goto nomem;
        if (st == ACT_ERR_INVALID) {
            st = act_error_set(err, ACT_ERR_REF, from->path, 0, 0,
                               "unresolvable $ref \"%s\": its path under the --ref-map prefix "
                               "has a malformed %%-escape, a NUL or a \"..\" segment",
                               echo);
            goto out;
        }
        if (st) {
            st = act_error_set(err, ACT_ERR_UNSUPPORTED, from->path, 0, 0,
                               "unsupported $ref \"%s\": only references to local files are "
                               "followed (--ref-map URL_PREFIX=DIR maps URIs to local files)",
                               echo);
            goto out;
        }
        if ((st = load_target(ds, from, path.data, echo, " (mapped by --ref-map)", &target, err)))
            goto out;
        file_len = 0;
    }
    if (file_len > 0 && ref[0] == '/' && !ds->absolute_refs) {
        st = act_error_set(err, ACT_ERR_REF, from->path, 0, 0,
                           "unresolvable $ref \"%s\": absolute $ref paths are not portable; "
                           "--allow-absolute-refs permits them",
                           echo);
        goto out;
    }
    if (file_len > 0) {
        /* Relative to the path as the user gave it, so messages show familiar paths. */
        const char *base = from->path;
        const char *slash = strrchr(base, '/');
        if (ref[0] != '/' && slash) {
            if (act_buf_add(&path, base, (size_t)(slash - base + 1))) {
                st = ACT_ERR_NOMEM;
                goto nomem;
            }
        }
        st = act_buf_add_pct_decoded(&path, ref, file_len);
        if (st == ACT_ERR_NOMEM)
            goto nomem;
        if (st) {
            st = act_error_set(err, ACT_ERR_REF, from->path, 0, 0,
                               "unresolvable $ref \"%s\": bad %%-escape in the file name", echo);
            goto out;
        }
        if ((st = load_target(ds, from, path.data, echo, "", &target, err)))
            goto out;
    }
    if (!hash || hash[1] == '\0') {
        out->doc = target;
        out->node = target->root;
        goto out;
    }
    st = act_pointer_from_fragment(hash, strlen(hash), &ptr);
    if (st == ACT_ERR_NOMEM)
        goto nomem;
    if (st || ptr.data[0] != '/') {
        st = act_error_set(err, ACT_ERR_REF, from->path, 0, 0,
                           "unresolvable $ref \"%s\": the fragment is not a JSON Pointer", echo);
        goto out;
    }
    const cJSON *node = act_pointer_get(target->root, ptr.data);
    if (!node) {
        st = act_error_set(err, ACT_ERR_REF, from->path, 0, 0,
                           "unresolvable $ref \"%s\": no such node in %s", echo, target->path);
        goto out;
    }
    out->doc = target;
    out->node = node;
    goto out;
nomem:
    act_error_set(err, ACT_ERR_NOMEM, from->path, 0, 0, "out of memory");
out:
    act_buf_release(&path);
    act_buf_release(&ptr);
    return st;
}

enum act_status act_ref_deref(struct act_docset *ds, struct act_node in, struct act_node *out,
                              struct act_error *err)
{
    const cJSON *seen[ACT_MAX_REF_HOPS];
    struct act_node cur = in;
    int hops = 0;
    const char *ref;
    while ((ref = act_ref_of(cur.node)) != NULL) {
        char echo[ACT_ECHO_SIZE];
        for (int i = 0; i < hops; i++) {
            if (seen[i] != cur.node)
                continue;
            /* Name the whole loop: "#/a" -> "#/b" -> "#/a". */
            struct act_buf chain;
            act_buf_init(&chain);
            for (int k = i; k <= hops; k++) {
                const char *r = act_ref_of(k < hops ? seen[k] : cur.node);
                if (act_buf_printf(&chain, "%s\"%s\"", k > i ? " -> " : "",
                                   act_echo(echo, sizeof(echo), r, strlen(r))))
                    break;
            }
            act_error_set(err, ACT_ERR_REF, cur.doc->path, 0, 0,
                          "$ref cycle that never reaches a value: %s", chain.data);
            act_buf_release(&chain);
            act_error_at_node(err, cur.doc, cur.node);
            return ACT_ERR_REF;
        }
        if (hops == ACT_MAX_REF_HOPS) {
            act_error_set(err, ACT_ERR_REF, cur.doc->path, 0, 0, "$ref chain longer than %d hops",
                          ACT_MAX_REF_HOPS);
            act_error_at_node(err, cur.doc, cur.node);
            return ACT_ERR_REF;
        }
        seen[hops++] = cur.node;
        struct act_node next;
        int fresh = err && err->status == ACT_OK;
        enum act_status st = act_ref_resolve(ds, cur.doc, ref, &next, err);
        if (st) {
            if (fresh && err)
                act_error_at_node(err, cur.doc, cur.node);
            return st;
        }
        cur = next;
    }
    *out = cur;
    return ACT_OK;
}
