/*
 * bundle.c - inlining a spec's external $refs into one document (bundle.h).
 *
 * The root file is copied; the copy is walked with, for each node, the file it
 * came from (refs are relative to that file). A $ref into another file gets its
 * target copied once into components (remembered by target node, before that
 * copy is walked, so a recursive schema across files ends in a $ref to its own
 * entry); a path item $ref is replaced by a copy of the path item, guarded by a
 * stack of the path items being inlined.
 */
#include "bundle.h"

#include <stdio.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_map.h"
#include "pointer.h"

/* A target already copied into components, and the $ref that now names it. */
struct done {
    const cJSON *target; /* the node in its own file (borrowed from the docset) */
    char *ref;           /* "#/components/schemas/book" (owned) */
};

struct bundle {
    struct act_docset *ds;
    const struct act_doc *root;
    cJSON *out;        /* the bundle being built */
    struct done *done; /* targets copied so far */
    size_t n_done, cap_done;
    struct act_map index;              /* target node address -> index into done */
    const cJSON *stack[ACT_MAX_DEPTH]; /* path items being inlined */
    size_t depth;
    struct act_error *err;
};

static const char *const kinds[] = {"schemas",         "responses",     "parameters",
                                    "examples",        "requestBodies", "headers",
                                    "securitySchemes", "links",         "callbacks"};

static int is_kind(const char *s)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(s, kinds[i]) == 0)
            return 1;
    return 0;
}

/* The components section a $ref standing at (key, parent key) names, by where it stands. */
static const char *kind_of_site(const char *key, const char *pkey)
{
    if (!pkey)
        return "schemas";
    if (strcmp(pkey, "properties") == 0 || strcmp(pkey, "schemas") == 0)
        return "schemas";
    if (key && strcmp(key, "requestBody") == 0)
        return "requestBodies";
    if (strcmp(pkey, "parameters") == 0)
        return "parameters";
    if (strcmp(pkey, "responses") == 0)
        return "responses";
    if (is_kind(pkey))
        return pkey;
    return "schemas";
}

static enum act_status nomem(struct bundle *b)
{
    return act_error_set(b->err, ACT_ERR_NOMEM, b->root->path, 0, 0, "out of memory");
}

static enum act_status walk(struct bundle *b, cJSON *node, const struct act_doc *from,
                            const char *key, const char *pkey, const char *gkey, int in_map);

/* A component name from text (len bytes): [A-Za-z0-9._-], others "_". */
static enum act_status add_name(struct act_buf *name, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_';
        if (act_buf_addc(name, ok ? c : '_'))
            return ACT_ERR_NOMEM;
    }
    if (name->len == 0 && act_buf_adds(name, "item"))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

/* Kind and base name of target (node in doc, at fragment pointer ptr). */
static enum act_status name_target(const struct act_doc *doc, const char *ptr, const char *site,
                                   struct act_buf *kind, struct act_buf *name)
{
    struct act_buf seg;
    enum act_status st = ACT_OK;
    act_buf_init(&seg);
    if (!*ptr) {
        /* a whole file: its file name (book.json), as messages and outlines call it */
        const char *base = strrchr(doc->path, '/');
        base = base ? base + 1 : doc->path;
        st = act_buf_adds(kind, site);
        if (!st)
            st = add_name(name, base, strlen(base));
        goto out;
    }
    /* the tokens: /components/TYPE/NAME keeps TYPE; the last token names it */
    const char *p = ptr;
    int i = 0, is_comp = 0;
    char type[32] = "";
    while (*p) {
        if ((st = act_pointer_next(&p, &seg)))
            goto out;
        if (i == 0)
            is_comp = strcmp(seg.data, "components") == 0;
        if (i == 1 && is_comp && is_kind(seg.data))
            snprintf(type, sizeof(type), "%s", seg.data);
        i++;
    }
    st = act_buf_adds(kind, i == 3 && type[0] ? type : site);
    if (!st) {
        act_buf_reset(name);
        st = add_name(name, seg.data, seg.len);
    }
out:
    act_buf_release(&seg);
    return st == ACT_ERR_NOMEM ? ACT_ERR_NOMEM : ACT_OK;
}

static long find_done(const struct bundle *b, const cJSON *target)
{
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &b->index, act_map_hash_ptr(target)); id != ACT_MAP_NONE;
         id = act_map_next(&it))
        if (b->done[id].target == target)
            return (long)id;
    return -1;
}

/* Set the "$ref" member of node to ref (cJSON_SetValuestring reports a failed copy;
 * replacing the item would not: cJSON 1.7.15 ignores a failed copy of its key). */
static enum act_status set_ref(cJSON *node, const char *ref)
{
    cJSON *r = cJSON_GetObjectItemCaseSensitive(node, "$ref");
    return r && cJSON_SetValuestring(r, ref) ? ACT_OK : ACT_ERR_NOMEM;
}

/* Copy target (in doc, at fragment ptr) into components; the new $ref into *ref. */
static enum act_status add_component(struct bundle *b, struct act_node target, const char *ptr,
                                     const char *site, const char **ref)
{
    struct act_buf kind, name, full;
    enum act_status st = ACT_ERR_NOMEM;
    act_buf_init(&kind);
    act_buf_init(&name);
    act_buf_init(&full);
    if (name_target(target.doc, ptr, site, &kind, &name))
        goto out;
    cJSON *comps = cJSON_GetObjectItemCaseSensitive(b->out, "components");
    if (!comps && !(comps = cJSON_AddObjectToObject(b->out, "components")))
        goto out;
    cJSON *section = cJSON_GetObjectItemCaseSensitive(comps, kind.data);
    if (!section && !(section = cJSON_AddObjectToObject(comps, kind.data)))
        goto out;
    if (!cJSON_IsObject(section)) {
        st = act_error_set(b->err, ACT_ERR_INVALID, b->root->path, 0, 0,
                           "cannot bundle: components/%s of the root file is not an object",
                           kind.data);
        goto out;
    }
    size_t base_len = name.len;
    for (unsigned k = 2; cJSON_GetObjectItemCaseSensitive(section, name.data); k++) {
        name.len = base_len;
        name.data[base_len] = '\0';
        if (act_buf_printf(&name, "_%u", k))
            goto out;
    }
    if (act_buf_printf(&full, "#/components/%s/%s", kind.data, name.data))
        goto out;
    cJSON *copy = cJSON_Duplicate(target.node, 1);
    if (!copy)
        goto out;
    if (!cJSON_AddItemToObject(section, name.data, copy)) {
        cJSON_Delete(copy);
        goto out;
    }
    /* the name resolves before its contents are walked: recursion ends in a $ref */
    if (ACT_GROW(b->done, b->cap_done, b->n_done + 1, 16))
        goto out;
    char *r = act_buf_detach(&full, NULL);
    if (!r)
        goto out;
    b->done[b->n_done] = (struct done){target.node, r};
    if (act_map_put(&b->index, act_map_hash_ptr(target.node), (uint32_t)b->n_done)) {
        act_free(r);
        goto out;
    }
    b->n_done++;
    *ref = r;
    /* a copied components entry stands where its kind says */
    const char *k0 = cJSON_GetObjectItemCaseSensitive(comps, kind.data)->string;
    st = walk(b, copy, target.doc, copy->string, k0, "components", 0);
    act_buf_release(&kind);
    act_buf_release(&name);
    return st;
out:
    act_buf_release(&kind);
    act_buf_release(&name);
    act_buf_release(&full);
    return st == ACT_ERR_NOMEM ? nomem(b) : st;
}

/* The $ref node (its ref string, written in from) standing at (key, pkey, gkey). */
static enum act_status bundle_ref(struct bundle *b, cJSON *node, const char *ref,
                                  const struct act_doc *from, const char *key, const char *pkey,
                                  const char *gkey)
{
    const char *hash = strchr(ref, '#');
    if (ref[0] == '#' && from == b->root)
        return ACT_OK; /* internal to the root: kept as written */
    struct act_node target;
    enum act_status st = act_ref_resolve(b->ds, from, ref, &target, b->err);
    if (st)
        return st;
    const char *frag = hash ? hash + 1 : "";
    if (target.doc == b->root) {
        struct act_buf r;
        act_buf_init(&r);
        if (act_buf_addc(&r, '#') || act_buf_adds(&r, frag) || set_ref(node, r.data)) {
            act_buf_release(&r);
            return nomem(b);
        }
        act_buf_release(&r);
        return ACT_OK;
    }
    int path_item = (pkey && strcmp(pkey, "paths") == 0 && key && key[0] == '/') ||
                    (gkey && strcmp(gkey, "callbacks") == 0);
    if (path_item) {
        for (size_t i = 0; i < b->depth; i++)
            if (b->stack[i] == target.node) {
                char echo[ACT_ECHO_SIZE];
                act_error_set(b->err, ACT_ERR_INVALID, from->path, 0, 0,
                              "cannot bundle: the path item $ref \"%s\" includes itself "
                              "(a cycle of files no single document can express)",
                              act_echo(echo, sizeof(echo), ref, strlen(ref)));
                return ACT_ERR_INVALID;
            }
        if (b->depth == ACT_MAX_DEPTH)
            return act_error_set(b->err, ACT_ERR_LIMIT, from->path, 0, 0,
                                 "cannot bundle: path item $refs nested too deep");
        /* the path item itself in place of the $ref (siblings of $ref are ignored) */
        cJSON *copy = cJSON_Duplicate(target.node, 1);
        if (!copy)
            return nomem(b);
        while (node->child) {
            cJSON *c = cJSON_DetachItemViaPointer(node, node->child);
            cJSON_Delete(c);
        }
        node->child = copy->child;
        node->type = copy->type;
        copy->child = NULL;
        cJSON_Delete(copy);
        b->stack[b->depth++] = target.node;
        st = walk(b, node, target.doc, key, pkey, gkey, 0);
        b->depth--;
        return st;
    }
    long i = find_done(b, target.node);
    const char *newref = NULL;
    if (i >= 0) {
        newref = b->done[i].ref;
    } else {
        struct act_buf ptr;
        act_buf_init(&ptr);
        if (act_pointer_from_fragment(frag, strlen(frag), &ptr)) {
            act_buf_release(&ptr);
            return nomem(b);
        }
        st = add_component(b, target, ptr.data, kind_of_site(key, pkey), &newref);
        act_buf_release(&ptr);
        if (st)
            return st;
    }
    return set_ref(node, newref) ? nomem(b) : ACT_OK;
}

/* A discriminator's mapping: its values that are references (they hold a '#') follow their
 * targets as $refs do (they are relative to the file they are written in); schema names
 * stay as they are. */
static enum act_status bundle_mapping(struct bundle *b, cJSON *mapping, const struct act_doc *from)
{
    for (cJSON *m = mapping->child; m; m = m->next) {
        if (!cJSON_IsString(m) || !strchr(m->valuestring, '#'))
            continue;
        char *r = act_strdup(m->valuestring);
        cJSON *tmp = cJSON_CreateObject();
        if (!r || !tmp || !cJSON_AddStringToObject(tmp, "$ref", r)) {
            act_free(r);
            cJSON_Delete(tmp);
            return nomem(b);
        }
        enum act_status st = bundle_ref(b, tmp, r, from, NULL, NULL, NULL);
        act_free(r);
        if (!st && !cJSON_SetValuestring(m, act_ref_of(tmp)))
            st = nomem(b);
        cJSON_Delete(tmp);
        if (st)
            return st;
    }
    return ACT_OK;
}

static int is_data_key(const char *k)
{
    return strcmp(k, "example") == 0 || strcmp(k, "default") == 0 || strcmp(k, "enum") == 0 ||
           strcmp(k, "value") == 0;
}

static enum act_status walk(struct bundle *b, cJSON *node, const struct act_doc *from,
                            const char *key, const char *pkey, const char *gkey, int in_map)
{
    const char *ref = act_ref_of(node);
    if (ref && !in_map) {
        /* a copy: bundle_ref may replace node's "$ref" string */
        char *r = act_strdup(ref);
        if (!r)
            return nomem(b);
        enum act_status st = bundle_ref(b, node, r, from, key, pkey, gkey);
        act_free(r);
        return st;
    }
    int obj = cJSON_IsObject(node);
    for (cJSON *c = node->child; c; c = c->next) {
        const char *ck = obj ? c->string : NULL;
        if (obj && !in_map && is_data_key(ck))
            continue; /* examples, defaults and enums are data: a "$ref" there is a value */
        if (obj && !in_map && strcmp(ck, "examples") == 0 && cJSON_IsObject(c)) {
            /* a map of Example Objects: only their own $refs are spec */
            for (cJSON *e = c->child; e; e = e->next)
                if (act_ref_of(e)) {
                    enum act_status st = walk(b, e, from, e->string, "examples", ck, 0);
                    if (st)
                        return st;
                }
            continue;
        }
        if (obj && !in_map && strcmp(ck, "mapping") == 0 && key &&
            strcmp(key, "discriminator") == 0 && cJSON_IsObject(c)) {
            enum act_status st = bundle_mapping(b, c, from);
            if (st)
                return st;
            continue;
        }
        /* a child whose members are names, not keywords: properties, components/TYPE */
        int map = obj && !in_map &&
                  (strcmp(ck, "properties") == 0 || strcmp(ck, "responses") == 0 ||
                   strcmp(ck, "content") == 0 || strcmp(ck, "headers") == 0 ||
                   strcmp(ck, "encoding") == 0 || strcmp(ck, "links") == 0 ||
                   strcmp(ck, "callbacks") == 0 ||
                   (key && strcmp(key, "components") == 0 && is_kind(ck)));
        enum act_status st = walk(b, c, from, ck, key, pkey, map);
        if (st)
            return st;
    }
    return ACT_OK;
}

enum act_status act_bundle(const struct act_spec *spec, cJSON **out, struct act_error *err)
{
    return act_bundle_docs(spec->docs, spec->doc, out, err);
}

enum act_status act_bundle_docs(struct act_docset *ds, const struct act_doc *root, cJSON **out,
                                struct act_error *err)
{
    struct bundle b = {0};
    enum act_status st;
    *out = NULL;
    b.ds = ds;
    b.root = root;
    b.err = err;
    act_map_init(&b.index);
    b.out = cJSON_Duplicate(root->root, 1);
    if (!b.out)
        return nomem(&b);
    st = walk(&b, b.out, b.root, NULL, NULL, NULL, 0);
    for (size_t i = 0; i < b.n_done; i++)
        act_free(b.done[i].ref);
    act_free(b.done);
    act_map_release(&b.index);
    if (st) {
        cJSON_Delete(b.out);
        return st;
    }
    *out = b.out;
    return ACT_OK;
}
