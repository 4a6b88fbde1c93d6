/*
 * swagger2.c - Swagger 2.0 read as OpenAPI 3.0.3 (see swagger2.h).
 *
 * The rules, 2.0 -> 3.0:
 *   host, basePath, schemes     servers: one "SCHEME://HOST/BASEPATH" per scheme ("http"
 *                               when none is listed), or "/BASEPATH" without a host
 *   consumes / produces         the media types of request bodies / responses, the
 *                               operation's list replacing the global one ("application/json"
 *                               when neither says)
 *   in: body                    requestBody (its name kept as x-body-name)
 *   in: formData                requestBody of multipart/form-data (a type: file parameter,
 *                               or consumes says so) or application/x-www-form-urlencoded,
 *                               one schema property per parameter
 *   other parameters            type, format, items and the validation keywords move into
 *                               schema; collectionFormat becomes style/explode (csv: form or
 *                               simple, ssv: spaceDelimited, pipes: pipeDelimited, multi:
 *                               form + explode; tsv, which 3.0 cannot say: form plus
 *                               x-collectionFormat: tsv, which the codec reads, a loss)
 *   definitions, parameters,    components/schemas, parameters (body ones: requestBodies),
 *   responses                   responses; $refs to them rewritten
 *   a parameter or response     its target, loaded through the docset (the caller's, or one
 *   $ref into another file      of the translation's own), copied with its $refs rebased to
 *                               read from the root, and translated in place of the $ref as a
 *                               local one is (mapped at the $ref)
 *   response schema, headers,   content by media type (produces), header schemas, each
 *   examples                    example under its media type
 *   securityDefinitions         securitySchemes: basic -> http basic, apiKey as is, oauth2
 *                               flows implicit/password/application/accessCode ->
 *                               implicit/password/clientCredentials/authorizationCode
 *   schemas                     x-nullable -> nullable, discriminator NAME ->
 *                               {propertyName: NAME}, type: file -> string/binary
 *
 * Every translated node that does not stand at its 2.0 pointer gets a source-map entry,
 * so act_doc_locate finds it in the 2.0 text.
 */
#include "swagger2.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "pointer.h"
#include "srcmap.h"

/* The translation in progress. */
struct tr {
    const struct act_doc *doc; /* the 2.0 document */
    cJSON *losses;             /* where losses go, or NULL */
    struct act_srcmap *map;    /* the source map being built, or NULL */
    struct act_error *err;     /* the caller's error */
    enum act_status st;        /* the first failure (sticky) */
    const cJSON *consumes;     /* the global consumes, or NULL */
    const cJSON *produces;     /* the global produces, or NULL */
    struct act_buf sp;         /* the current pointer into the 2.0 document */
    struct act_buf tp;         /* the current pointer into the 3.0 tree */
    struct act_docset *ds;     /* where the spec's other files load (NULL: not yet) */
    int own_ds;                /* ds was made for this translation (freed with it) */
    cJSON *keep;               /* the rebased copies of other files' parameters and
                                * responses being translated (freed at the end) */
};

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

static const cJSON *member(const cJSON *o, const char *k)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

/* The member k of a 3.0 object being built. */
static cJSON *out_member(cJSON *o, const char *k)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static const char *str_member(const cJSON *o, const char *k)
{
    const cJSON *v = member(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int act_swagger2_is(const cJSON *root)
{
    const char *v = str_member(root, "swagger");
    return v && strcmp(v, "2.0") == 0;
}

/* ---- bookkeeping: failures, pointers, map entries, losses ------------- */

static void nomem(struct tr *t)
{
    if (!t->st)
        t->st = act_error_set(t->err, ACT_ERR_NOMEM, t->doc->path, 0, 0, "out of memory");
}

/* Stop translating: node (in the 2.0 tree) breaks a rule of 2.0. */
static void invalid(struct tr *t, const cJSON *node, const char *msg)
{
    if (t->st)
        return;
    t->st = act_error_set(t->err, ACT_ERR_INVALID, t->doc->path, 0, 0, "%s", msg);
    act_error_at_node(t->err, t->doc, node);
}

static void check(struct tr *t, enum act_status st)
{
    if (st)
        nomem(t);
}

/* Append token (escaped) to b; returns the length to restore with pop. */
static size_t push(struct tr *t, struct act_buf *b, const char *tok)
{
    size_t l = b->len;
    check(t, act_pointer_append(b, tok));
    return l;
}

static size_t push_index(struct tr *t, struct act_buf *b, size_t i)
{
    size_t l = b->len;
    check(t, act_pointer_append_index(b, i));
    return l;
}

static void pop(struct act_buf *b, size_t l)
{
    if (b->cap) {
        b->len = l;
        b->data[l] = '\0';
    }
}

/* b = "/a/b/c" (b and c may be NULL). */
static void set_ptr(struct tr *t, struct act_buf *b, const char *a, const char *b2, const char *c)
{
    act_buf_reset(b);
    push(t, b, a);
    if (b2)
        push(t, b, b2);
    if (c)
        push(t, b, c);
}

/* The 3.0 node at t->tp came from the 2.0 node at t->sp. */
static void map_here(struct tr *t)
{
    if (t->map && !t->st)
        check(t, act_srcmap_add(t->map, t->tp.data, t->sp.data));
}

/* Record a loss at the 2.0 node t->sp. */
static void loss(struct tr *t, const char *done, const char *lost)
{
    if (!t->losses || t->st)
        return;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(t->losses, o) ||
        !cJSON_AddStringToObject(o, "pointer", t->sp.data) ||
        !cJSON_AddStringToObject(o, "done", done) || !cJSON_AddStringToObject(o, "lost", lost))
        nomem(t);
}

/* A new empty object, or NULL (t failed). */
static cJSON *new_obj(struct tr *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        nomem(t);
    return o;
}

static cJSON *add(struct tr *t, cJSON *to, const char *k, cJSON *v)
{
    if (!v || !to || !cJSON_AddItemToObject(to, k, v)) {
        cJSON_Delete(v);
        nomem(t);
        return NULL;
    }
    return v;
}

static cJSON *add_copy(struct tr *t, cJSON *to, const char *k, const cJSON *v)
{
    return v ? add(t, to, k, cJSON_Duplicate(v, 1)) : NULL;
}

static cJSON *add_str(struct tr *t, cJSON *to, const char *k, const char *s)
{
    return add(t, to, k, cJSON_CreateString(s));
}

static cJSON *add_obj(struct tr *t, cJSON *to, const char *k)
{
    cJSON *o = out_member(to, k);
    return o ? o : add(t, to, k, cJSON_CreateObject());
}

/* Copy the members named in keys and every x- extension of from into to. */
static void copy_members(struct tr *t, cJSON *to, const cJSON *from, const char *const *keys)
{
    for (const cJSON *m = cJSON_IsObject(from) ? from->child : NULL; m; m = m->next) {
        int take = strncmp(m->string, "x-", 2) == 0;
        for (size_t i = 0; keys && keys[i] && !take; i++)
            take = strcmp(m->string, keys[i]) == 0;
        if (take)
            add_copy(t, to, m->string, m);
    }
}

/* ---- $refs and schemas -------------------------------------------------- */

/* *out: the 3.0 form of a local $ref to a 2.0 top-level section (caller frees), or NULL
 * when ref is not one. */
static enum act_status rewrite_ref(const char *ref, char **out)
{
    *out = NULL;
    static const struct {
        const char *from, *to;
    } sec[] = {{"#/definitions/", "#/components/schemas/"},
               {"#/parameters/", "#/components/parameters/"},
               {"#/responses/", "#/components/responses/"}};
    for (size_t i = 0; i < sizeof(sec) / sizeof(sec[0]); i++) {
        size_t fl = strlen(sec[i].from);
        if (strncmp(ref, sec[i].from, fl) == 0) {
            size_t tl = strlen(sec[i].to), rl = strlen(ref + fl);
            char *s = act_malloc(tl + rl + 1);
            if (!s)
                return ACT_ERR_NOMEM;
            memcpy(s, sec[i].to, tl);
            memcpy(s + tl, ref + fl, rl + 1);
            *out = s;
            return ACT_OK;
        }
    }
    return ACT_OK;
}

/* Replace the string value of node with s (taken). */
static enum act_status set_string_take(cJSON *node, char *s)
{
    char *c = s ? cJSON_malloc(strlen(s) + 1) : NULL;
    if (!c) {
        act_free(s);
        return ACT_ERR_NOMEM;
    }
    strcpy(c, s);
    act_free(s);
    cJSON_free(node->valuestring);
    node->valuestring = c;
    return ACT_OK;
}

/* Rename member m of its object to name. */
static enum act_status rename_member(cJSON *m, const char *name)
{
    char *c = cJSON_malloc(strlen(name) + 1);
    if (!c)
        return ACT_ERR_NOMEM;
    strcpy(c, name);
    if (!(m->type & cJSON_StringIsConst))
        cJSON_free(m->string);
    m->type &= ~cJSON_StringIsConst;
    m->string = c;
    return ACT_OK;
}

/* Where fix_schema runs: which $refs lead into the root document. */
struct fix {
    const char *dir;  /* directory of the file being fixed, "" for the root itself */
    const char *root; /* canonical path of the root document, NULL in the root itself */
};

/* *out: the 3.0 form of ref, written in the file fx describes, or NULL when it is not
 * a ref into the root's definitions, parameters or responses. */
static enum act_status rewrite_ref_in(const struct fix *fx, const char *ref, char **out)
{
    *out = NULL;
    if (!fx->root)
        return rewrite_ref(ref, out);
    const char *hash = strchr(ref, '#');
    if (!hash || hash == ref)
        return ACT_OK; /* a local ref of another file: its own sections, left in place */
    char *frag;
    if (rewrite_ref(hash, &frag))
        return ACT_ERR_NOMEM;
    if (!frag)
        return ACT_OK;
    char file[PATH_MAX], resolved[PATH_MAX];
    size_t fl = (size_t)(hash - ref);
    int n = ref[0] == '/' ? snprintf(file, sizeof(file), "%.*s", (int)fl, ref)
                          : snprintf(file, sizeof(file), "%s/%.*s", fx->dir, (int)fl, ref);
    if (n < 0 || (size_t)n >= sizeof(file) || !realpath(file, resolved) ||
        strcmp(resolved, fx->root) != 0) {
        act_free(frag);
        return ACT_OK;
    }
    char *r = act_malloc(fl + strlen(frag) + 1);
    if (r) {
        memcpy(r, ref, fl);
        strcpy(r + fl, frag);
    }
    act_free(frag);
    *out = r;
    return r ? ACT_OK : ACT_ERR_NOMEM;
}

/*
 * Rewrite the 2.0 schema keywords under node in place, and the $refs into the root
 * document's sections (fx). Values (example, default, enum) and extensions are left
 * alone.
 */
static enum act_status fix_schema(const struct fix *fx, cJSON *node, int depth)
{
    if (depth > 4000)
        return ACT_OK; /* the loaders' depth limit lies far below */
    if (cJSON_IsArray(node)) {
        for (cJSON *c = node->child; c; c = c->next) {
            enum act_status st = fix_schema(fx, c, depth + 1);
            if (st)
                return st;
        }
        return ACT_OK;
    }
    if (!cJSON_IsObject(node))
        return ACT_OK;
    cJSON *fmt_after = NULL;
    for (cJSON *m = node->child; m; m = m->next) {
        enum act_status st = ACT_OK;
        const char *k = m->string;
        if (strcmp(k, "$ref") == 0 && cJSON_IsString(m)) {
            char *r;
            st = rewrite_ref_in(fx, m->valuestring, &r);
            if (!st && r)
                st = set_string_take(m, r);
        } else if (strcmp(k, "x-nullable") == 0 && cJSON_IsBool(m) &&
                   !cJSON_GetObjectItemCaseSensitive(node, "nullable")) {
            st = rename_member(m, "nullable");
        } else if (strcmp(k, "discriminator") == 0 && cJSON_IsString(m)) {
            /* In place, so the member keeps its key and place. */
            cJSON *pn = cJSON_CreateString(m->valuestring);
            if (!pn)
                return ACT_ERR_NOMEM;
            cJSON_free(m->valuestring);
            m->valuestring = NULL;
            m->type = cJSON_Object | (m->type & cJSON_StringIsConst);
            if (!cJSON_AddItemToObject(m, "propertyName", pn)) {
                cJSON_Delete(pn);
                return ACT_ERR_NOMEM;
            }
        } else if (strcmp(k, "type") == 0 && cJSON_IsString(m) &&
                   strcmp(m->valuestring, "file") == 0) {
            st = set_string_take(m, act_strdup("string"));
            fmt_after = m;
        } else if (strcmp(k, "example") == 0 || strcmp(k, "default") == 0 ||
                   strcmp(k, "enum") == 0 || strncmp(k, "x-", 2) == 0) {
            continue;
        } else if (cJSON_IsObject(m) || cJSON_IsArray(m)) {
            st = fix_schema(fx, m, depth + 1);
        }
        if (st)
            return st;
    }
    if (fmt_after) {
        cJSON *f = cJSON_GetObjectItemCaseSensitive(node, "format");
        if (!f) {
            if (!cJSON_AddStringToObject(node, "format", "binary"))
                return ACT_ERR_NOMEM;
        } else if (cJSON_IsString(f)) {
            if (set_string_take(f, act_strdup("binary")))
                return ACT_ERR_NOMEM;
        }
    }
    return ACT_OK;
}

/* A 3.0 copy of the 2.0 schema s (at t->sp), mapped at t->tp. */
static cJSON *schema(struct tr *t, const cJSON *s)
{
    static const struct fix in_root = {"", NULL};
    cJSON *c = cJSON_Duplicate(s, 1);
    if (!c || fix_schema(&in_root, c, 0)) {
        cJSON_Delete(c);
        nomem(t);
        return NULL;
    }
    map_here(t);
    return c;
}

/* ---- parameters and responses of the spec's other files ---------------- */

/* How the $refs of a node copied from another file are rewritten to read from the root. */
struct rebase {
    const char *dir;  /* the other file's canonical directory */
    const char *root; /* the root's canonical path */
    const char *rel;  /* the other file's path relative to the root's directory */
    size_t rel_dir;   /* the length of rel's directory part (with its '/') */
};

/* Into out: the path of file relative to the directory of root (both canonical). */
static enum act_status rel_path(const char *root, const char *file, struct act_buf *out)
{
    const char *rs = strrchr(root, '/');
    size_t rdl = rs ? (size_t)(rs - root) : 0, k = 0;
    for (size_t i = 0; i <= rdl && (i == rdl || root[i] == file[i]); i++)
        if ((i == rdl || root[i] == '/') && file[i] == '/')
            k = i; /* root's directory and file's path share root[0..k) */
    act_buf_reset(out);
    for (size_t i = k; i < rdl; i++)
        if (root[i] == '/' && act_buf_adds(out, "../"))
            return ACT_ERR_NOMEM;
    return act_buf_adds(out, file[k] == '/' ? file + k + 1 : file + k);
}

/* 1 when ref starts with a URI scheme ("https:", "urn:"): it reads the same from anywhere. */
static int has_scheme(const char *ref)
{
    size_t n = strspn(ref, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    return n > 0 && ref[n] == ':' && strchr("0123456789+.-", ref[0]) == NULL;
}

/* Rewrite, in the copy node, the $refs written in another file (rb) so that they read
 * from the root: a local one names that file, a relative one gets its directory, and one
 * into the root becomes local ("#/definitions/..."; the root's sections follow it to
 * components). Values and extensions are left alone, as fix_schema does. */
static enum act_status rebase_refs(const struct rebase *rb, cJSON *node, int depth)
{
    if (depth > 4000 || (!cJSON_IsObject(node) && !cJSON_IsArray(node)))
        return ACT_OK;
    for (cJSON *m = node->child; m; m = m->next) {
        const char *k = cJSON_IsObject(node) ? m->string : "";
        if (strcmp(k, "example") == 0 || strcmp(k, "examples") == 0 || strcmp(k, "default") == 0 ||
            strcmp(k, "enum") == 0 || strncmp(k, "x-", 2) == 0)
            continue;
        if (strcmp(k, "$ref") != 0 || !cJSON_IsString(m)) {
            enum act_status st = rebase_refs(rb, m, depth + 1);
            if (st)
                return st;
            continue;
        }
        const char *r = m->valuestring, *hash = strchr(r, '#');
        if (has_scheme(r) || r[0] == '/')
            continue; /* a URI or an absolute path reads the same from anywhere */
        struct act_buf b;
        act_buf_init(&b);
        enum act_status st = ACT_OK;
        if (r[0] == '#') {
            st = act_buf_adds(&b, rb->rel);
        } else {
            char file[PATH_MAX], resolved[PATH_MAX];
            int fl = hash ? (int)(hash - r) : (int)strlen(r);
            int n = snprintf(file, sizeof(file), "%s/%.*s", rb->dir, fl, r);
            if (n > 0 && (size_t)n < sizeof(file) && realpath(file, resolved) &&
                strcmp(resolved, rb->root) == 0)
                r = hash ? hash : "#"; /* into the root: local */
            else
                st = act_buf_add(&b, rb->rel, rb->rel_dir);
        }
        if (!st)
            st = act_buf_adds(&b, r);
        if (!st)
            st = set_string_take(m, act_strdup(b.data));
        act_buf_release(&b);
        if (st)
            return st;
    }
    return ACT_OK;
}

/*
 * The parameter or response that entry (an object whose "$ref" names another file,
 * "common.yaml#/parameters/limit", written in the root) stands for: a copy of its
 * target, $ref chains followed, whose own $refs are rebased to read from the root, so it
 * is translated as a node of the root would be (positions: the $ref's). NULL when the
 * ref cannot be followed: it is then kept as written, for the stages that follow it to
 * report.
 */
static const cJSON *foreign(struct tr *t, const cJSON *entry)
{
    if (t->st)
        return NULL;
    if (!t->ds) {
        if (act_docset_new(&t->ds)) {
            nomem(t);
            return NULL;
        }
        t->own_ds = 1;
    }
    if (!t->keep && !(t->keep = cJSON_CreateArray())) {
        nomem(t);
        return NULL;
    }
    struct act_error sub;
    struct act_node n;
    act_error_init(&sub);
    enum act_status st = act_ref_deref(t->ds, (struct act_node){t->doc, entry}, &n, &sub);
    if (st == ACT_ERR_NOMEM)
        nomem(t);
    if (st || !cJSON_IsObject(n.node))
        return NULL;
    char root[PATH_MAX];
    const char *rc = t->doc->canon ? t->doc->canon : realpath(t->doc->path, root);
    const char *fc = n.doc->canon;
    if (!rc || !fc)
        return NULL; /* no file to be relative to */
    cJSON *c = cJSON_Duplicate(n.node, 1);
    if (!c || !cJSON_AddItemToArray(t->keep, c)) {
        cJSON_Delete(c);
        nomem(t);
        return NULL;
    }
    if (strcmp(fc, rc) == 0)
        return c; /* a chain back into the root: its refs are the root's own */
    struct act_buf rel;
    act_buf_init(&rel);
    char dir[PATH_MAX];
    const char *slash = strrchr(fc, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - fc) : 1, slash ? fc : ".");
    if (rel_path(rc, fc, &rel)) {
        nomem(t);
    } else {
        const char *rs = strrchr(rel.data, '/');
        struct rebase rb = {dir, rc, rel.data, rs ? (size_t)(rs - rel.data + 1) : 0};
        if (rebase_refs(&rb, c, 0))
            nomem(t);
    }
    act_buf_release(&rel);
    return t->st ? NULL : c;
}

/* ---- parameters, items and headers -------------------------------------- */

/* The keywords a 2.0 parameter, header or items object shares with a schema. */
static const char *const schema_keys[] = {
    "type",     "format",           "items",     "default",    "maximum", "exclusiveMaximum",
    "minimum",  "exclusiveMinimum", "maxLength", "minLength",  "pattern", "maxItems",
    "minItems", "uniqueItems",      "enum",      "multipleOf", NULL};

/* The schema of a 2.0 parameter, header or items object p (at t->sp), mapped at t->tp;
 * nested items' collectionFormat (3.0 has no style for inner arrays) is a loss. */
static cJSON *simple_schema(struct tr *t, const cJSON *p, int nested)
{
    cJSON *s = new_obj(t);
    if (!s)
        return NULL;
    map_here(t);
    for (const cJSON *m = p->child; m; m = m->next) {
        int take = 0;
        for (size_t i = 0; schema_keys[i] && !take; i++)
            take = strcmp(m->string, schema_keys[i]) == 0;
        if (!take)
            continue;
        if (strcmp(m->string, "items") == 0 && cJSON_IsObject(m) && !member(m, "$ref")) {
            size_t ls = push(t, &t->sp, "items"), lt = push(t, &t->tp, "items");
            add(t, s, "items", simple_schema(t, m, 1));
            pop(&t->sp, ls);
            pop(&t->tp, lt);
        } else if (strcmp(m->string, "type") == 0 && cJSON_IsString(m) &&
                   strcmp(m->valuestring, "file") == 0) {
            add_str(t, s, "type", "string");
            add_str(t, s, "format", "binary");
        } else if (!(strcmp(m->string, "format") == 0 && member(s, "format"))) {
            add_copy(t, s, m->string, m);
        }
    }
    static const struct fix in_root = {"", NULL};
    if (cJSON_IsObject(member(s, "items")) && member(member(s, "items"), "$ref")) {
        cJSON *it = out_member(s, "items");
        if (fix_schema(&in_root, it, 0))
            nomem(t);
    }
    const char *cf = str_member(p, "collectionFormat");
    if (nested && cf && strcmp(cf, "csv") != 0) {
        size_t l = push(t, &t->sp, "collectionFormat");
        loss(t, "dropped", "the separator of a nested array (3.0 styles apply to the outer one)");
        pop(&t->sp, l);
    }
    return s;
}

/* style/explode for a 2.0 collectionFormat of a parameter in `in` (query, path, header,
 * formData), added to to; a loss when 3.0 has no such style. */
static void collection_format(struct tr *t, cJSON *to, const cJSON *p, const char *in)
{
    const char *type = str_member(p, "type");
    if (!type || strcmp(type, "array") != 0)
        return;
    static const struct {
        const char *format, *style;
        int explode;
    } styles[] = {{"csv", "form", 0},
                  {"multi", "form", 1},
                  {"ssv", "spaceDelimited", 0},
                  {"pipes", "pipeDelimited", 0},
                  {"tsv", "form", 0}};
    const char *cf = str_member(p, "collectionFormat");
    int query = strcmp(in, "query") == 0 || strcmp(in, "formData") == 0;
    size_t k, n = sizeof(styles) / sizeof(styles[0]);
    for (k = 0; k < n; k++)
        if (strcmp(cf ? cf : "csv", styles[k].format) == 0)
            break;
    size_t l = push(t, &t->sp, "collectionFormat");
    if (k < n && query) {
        add_str(t, to, "style", styles[k].style);
        add(t, to, "explode", cJSON_CreateBool(styles[k].explode));
    }
    if (k < n && query && strcmp(styles[k].format, "tsv") == 0) {
        add_str(t, to, "x-collectionFormat", "tsv");
        loss(t,
             "style: form, explode: false, x-collectionFormat: tsv (actions joins the items "
             "with tabs)",
             "tab-separated arrays: 3.0 has no such style; other tools send commas");
    } else if (k != 0 && !(k < n && query)) {
        /* csv (k 0) is simple style's commas outside a query */
        loss(t, "comma-separated (the default style)",
             "this collectionFormat, which 3.0 has no style for in this location");
    }
    pop(&t->sp, l);
}

/* A 2.0 parameter or header p (at t->sp), located in `in`, as a 3.0 Parameter or Header
 * Object, mapped at t->tp: the members named in keys, the rest in its schema. */
static cJSON *param_like(struct tr *t, const cJSON *p, const char *const *keys, const char *in)
{
    cJSON *o = new_obj(t);
    if (!o)
        return NULL;
    map_here(t);
    copy_members(t, o, p, keys);
    const cJSON *xex = member(o, "x-example");
    if (xex && !member(o, "example"))
        add_copy(t, o, "example", xex);
    collection_format(t, o, p, in);
    size_t l = push(t, &t->tp, "schema");
    add(t, o, "schema", simple_schema(t, p, 0));
    pop(&t->tp, l);
    return o;
}

/* A 2.0 non-body parameter p (at t->sp) as a 3.0 Parameter Object, mapped at t->tp. */
static cJSON *parameter(struct tr *t, const cJSON *p)
{
    static const char *const keys[] = {
        "name", "in", "description", "required", "deprecated", "allowEmptyValue", NULL};
    return param_like(t, p, keys, str_member(p, "in"));
}

/* A 2.0 header (at t->sp) as a 3.0 Header Object, mapped at t->tp. */
static cJSON *header(struct tr *t, const cJSON *h)
{
    static const char *const keys[] = {"description", NULL};
    return param_like(t, h, keys, "header");
}

/* ---- bodies and responses ------------------------------------------------ */

/* The media types in effect: the operation's list, else the global one, else JSON. */
static const cJSON *media_list(const cJSON *own, const cJSON *global)
{
    if (cJSON_IsArray(own))
        return own;
    if (cJSON_IsArray(global))
        return global;
    return NULL;
}

static int list_has(const cJSON *list, const char *mt)
{
    for (const cJSON *m = cJSON_IsArray(list) ? list->child : NULL; m; m = m->next)
        if (cJSON_IsString(m) && strcmp(m->valuestring, mt) == 0)
            return 1;
    return 0;
}

/* content[MT] for each media type MT of list ("application/json" when there is none), with
 * the 3.0 copy of s (at t->sp/schema, NULL: none) as its schema; t->tp is at content. */
static void content_schemas(struct tr *t, cJSON *content, const cJSON *s, const cJSON *list)
{
    const cJSON *one = cJSON_IsArray(list) ? list->child : NULL;
    do {
        const char *mt = one && cJSON_IsString(one) ? one->valuestring : "application/json";
        size_t l1 = push(t, &t->tp, mt);
        cJSON *mo = add_obj(t, content, mt);
        if (s) {
            size_t l2 = push(t, &t->sp, "schema"), l3 = push(t, &t->tp, "schema");
            add(t, mo, "schema", schema(t, s));
            pop(&t->sp, l2);
            pop(&t->tp, l3);
        }
        pop(&t->tp, l1);
    } while (one && (one = one->next) != NULL && !t->st);
}

/* A requestBody for the 2.0 body parameter p (at t->sp), mapped at t->tp. */
static cJSON *body(struct tr *t, const cJSON *p, const cJSON *consumes)
{
    cJSON *rb = new_obj(t);
    if (!rb)
        return NULL;
    map_here(t);
    add_copy(t, rb, "description", member(p, "description"));
    if (cJSON_IsTrue(member(p, "required")))
        add(t, rb, "required", cJSON_CreateTrue());
    const char *name = str_member(p, "name");
    if (name)
        add_str(t, rb, "x-body-name", name);
    cJSON *content = add_obj(t, rb, "content");
    size_t lt = push(t, &t->tp, "content");
    content_schemas(t, content, member(p, "schema"), consumes);
    pop(&t->tp, lt);
    return rb;
}

/* A requestBody for the formData parameters form[0..n) (each at ptrs[i] in the 2.0
 * document), mapped at t->tp. */
static cJSON *form_body(struct tr *t, const cJSON *const *form, char *const *ptrs, size_t n,
                        const cJSON *consumes)
{
    int file = 0;
    for (size_t i = 0; i < n; i++)
        file |= str_member(form[i], "type") && strcmp(str_member(form[i], "type"), "file") == 0;
    const char *types[2];
    size_t nt = 0;
    if (file || list_has(consumes, "multipart/form-data"))
        types[nt++] = "multipart/form-data";
    if (!file && (list_has(consumes, "application/x-www-form-urlencoded") || nt == 0))
        types[nt++] = "application/x-www-form-urlencoded";
    cJSON *rb = new_obj(t);
    if (!rb)
        return NULL;
    act_buf_reset(&t->sp);
    check(t, act_buf_adds(&t->sp, ptrs[0]));
    map_here(t);
    cJSON *content = add_obj(t, rb, "content");
    size_t lt = push(t, &t->tp, "content");
    for (size_t k = 0; k < nt; k++) {
        size_t l1 = push(t, &t->tp, types[k]);
        cJSON *mo = add_obj(t, content, types[k]);
        size_t l2 = push(t, &t->tp, "schema");
        cJSON *s = add_obj(t, mo, "schema");
        add_str(t, s, "type", "object");
        cJSON *props = add_obj(t, s, "properties");
        cJSON *req = NULL;
        size_t l3 = push(t, &t->tp, "properties");
        for (size_t i = 0; i < n && !t->st; i++) {
            const char *name = str_member(form[i], "name");
            act_buf_reset(&t->sp);
            check(t, act_buf_adds(&t->sp, ptrs[i]));
            size_t l4 = push(t, &t->tp, name);
            cJSON *ps = add(t, props, name, simple_schema(t, form[i], 0));
            add_copy(t, ps, "description", member(form[i], "description"));
            if (cJSON_IsTrue(member(form[i], "required"))) {
                if (!req)
                    req = add(t, s, "required", cJSON_CreateArray());
                if (req && !cJSON_AddItemToArray(req, cJSON_CreateString(name)))
                    nomem(t);
                if (!member(rb, "required"))
                    add(t, rb, "required", cJSON_CreateTrue());
            }
            if (cJSON_IsTrue(member(form[i], "allowEmptyValue")) && k == 0) {
                size_t la = push(t, &t->sp, "allowEmptyValue");
                loss(t, "dropped",
                     "that an empty form field may be sent (3.0 says so of query "
                     "parameters only)");
                pop(&t->sp, la);
            }
            const char *ty = str_member(form[i], "type");
            if (ty && strcmp(ty, "array") == 0 &&
                strcmp(types[k], "application/x-www-form-urlencoded") == 0) {
                cJSON *enc = add_obj(t, add_obj(t, mo, "encoding"), name);
                collection_format(t, enc, form[i], "formData");
            }
            pop(&t->tp, l4);
        }
        pop(&t->tp, l3);
        pop(&t->tp, l2);
        pop(&t->tp, l1);
    }
    pop(&t->tp, lt);
    act_buf_reset(&t->sp);
    return rb;
}

/* A 2.0 Response Object r (at t->sp) as a 3.0 one, mapped at t->tp. */
static cJSON *response(struct tr *t, const cJSON *r, const cJSON *produces)
{
    const char *ref = str_member(r, "$ref");
    if (ref && ref[0] != '#') {
        /* another file's response: translated here (foreign), as a local one would be */
        const cJSON *target = foreign(t, r);
        if (target && !member(target, "$ref"))
            return response(t, target, produces);
    }
    if (ref) {
        cJSON *o = cJSON_CreateObject();
        char *nr = NULL;
        if (!o || rewrite_ref(ref, &nr) || !cJSON_AddStringToObject(o, "$ref", nr ? nr : ref)) {
            cJSON_Delete(o);
            o = NULL;
            nomem(t);
        }
        act_free(nr);
        map_here(t);
        return o;
    }
    static const char *const keys[] = {"description", NULL};
    cJSON *o = new_obj(t);
    if (!o)
        return NULL;
    map_here(t);
    copy_members(t, o, r, keys);
    if (!member(o, "description"))
        add_str(t, o, "description", "");
    const cJSON *hs = member(r, "headers");
    if (cJSON_IsObject(hs)) {
        cJSON *ho = add_obj(t, o, "headers");
        size_t l1 = push(t, &t->sp, "headers"), l2 = push(t, &t->tp, "headers");
        for (const cJSON *h = hs->child; h && !t->st; h = h->next) {
            if (!cJSON_IsObject(h))
                continue;
            size_t l3 = push(t, &t->sp, h->string), l4 = push(t, &t->tp, h->string);
            add(t, ho, h->string, header(t, h));
            pop(&t->sp, l3);
            pop(&t->tp, l4);
        }
        pop(&t->sp, l1);
        pop(&t->tp, l2);
    }
    const cJSON *s = member(r, "schema");
    const cJSON *ex = member(r, "examples");
    if (!s && !cJSON_IsObject(ex))
        return o;
    cJSON *content = add_obj(t, o, "content");
    size_t lc = push(t, &t->tp, "content");
    content_schemas(t, content, s, produces);
    for (const cJSON *e = cJSON_IsObject(ex) ? ex->child : NULL; e && !t->st; e = e->next) {
        cJSON *mo = out_member(content, e->string);
        size_t l1 = t->sp.len, l2 = push(t, &t->tp, e->string), l3 = t->tp.len;
        if (!mo) {
            mo = add_obj(t, content, e->string);
            if (s && mo) {
                push(t, &t->sp, "schema");
                push(t, &t->tp, "schema");
                add(t, mo, "schema", schema(t, s));
                pop(&t->sp, l1);
                pop(&t->tp, l3);
            }
        }
        push(t, &t->sp, "examples");
        push(t, &t->sp, e->string);
        push(t, &t->tp, "example");
        map_here(t);
        add_copy(t, mo, "example", e);
        pop(&t->sp, l1);
        pop(&t->tp, l2);
    }
    pop(&t->tp, lc);
    return o;
}

/* ---- operations and paths ----------------------------------------------- */

/* The 2.0 parameter p (in the 2.0 document, at t->sp), following a local
 * "#/parameters/NAME" ref: *ref is that ref's 3.0 form when it was one. A ref to another
 * file gives the rebased copy of its target (foreign), translated in place of p. */
static const cJSON *param_target(struct tr *t, const cJSON *p, char **ref)
{
    *ref = NULL;
    const char *r = str_member(p, "$ref");
    if (!r)
        return p;
    if (r[0] != '#')
        return foreign(t, p);
    if (strncmp(r, "#/parameters/", 13) == 0) {
        struct act_buf b;
        act_buf_init(&b);
        enum act_status st = act_pointer_from_fragment(r, strlen(r), &b);
        if (st == ACT_ERR_NOMEM)
            nomem(t);
        if (st == ACT_OK) {
            const cJSON *target = act_pointer_get(t->doc->root, b.data);
            if (target) {
                act_buf_reset(&t->sp);
                check(t, act_buf_adds(&t->sp, b.data));
                if (rewrite_ref(r, ref))
                    nomem(t);
                act_buf_release(&b);
                /* #/parameters/NAME that is itself a ref into another file: components()
                 * translates that file's parameter under NAME */
                const char *tr = act_ref_of(target);
                return tr && tr[0] != '#' ? foreign(t, target) : target;
            }
        }
        act_buf_release(&b);
    }
    return NULL; /* a ref that leads nowhere: kept as written */
}

/* b = base + "/parameters/" + i. */
static void param_ptr(struct tr *t, struct act_buf *b, const char *base, size_t i)
{
    act_buf_reset(b);
    check(t, act_buf_adds(b, base));
    push(t, b, "parameters");
    push_index(t, b, i);
}

/* The parameter entry p, the i-th of the list at base/parameters (t->sp is set to it):
 * its target after a local ref (NULL for a ref kept as written), *ref that ref's 3.0 form
 * (caller frees), *in its location. *bad when it breaks 2.0's rules (error set). */
static const cJSON *param_entry(struct tr *t, const cJSON *p, const char *base, size_t i,
                                char **ref, const char **in, int *bad)
{
    param_ptr(t, &t->sp, base, i);
    const cJSON *tp = param_target(t, p, ref);
    *in = tp ? str_member(tp, "in") : NULL;
    *bad = tp && (!cJSON_IsObject(tp) || !*in || !str_member(tp, "name"));
    if (*bad) {
        /* another file's parameter (a copy): the error stands at the $ref */
        invalid(t, act_ref_of(p) && act_ref_of(p)[0] != '#' ? p : tp,
                "parameter without \"name\" and \"in\"");
        act_free(*ref);
        *ref = NULL;
    }
    return tp;
}

/* Append the 3.0 form of the non-body parameter entry p (the i-th at src/parameters;
 * tp and ref as param_entry gave them) to the parameters of o (at dst). */
static void append_param(struct tr *t, cJSON *o, const char *dst, const char *src, size_t i,
                         const cJSON *p, const cJSON *tp, const char *ref)
{
    cJSON *arr = out_member(o, "parameters");
    if (!arr)
        arr = add(t, o, "parameters", cJSON_CreateArray());
    param_ptr(t, &t->tp, dst, (size_t)cJSON_GetArraySize(arr));
    cJSON *np;
    if (ref || !tp) {
        np = cJSON_CreateObject();
        if (np && !cJSON_AddStringToObject(np, "$ref", ref ? ref : str_member(p, "$ref")))
            nomem(t);
        param_ptr(t, &t->sp, src, i);
        map_here(t);
    } else {
        np = parameter(t, tp);
    }
    if (!arr || !np || !cJSON_AddItemToArray(arr, np)) {
        cJSON_Delete(np);
        nomem(t);
    }
}

static void servers(struct tr *t, cJSON *to, const cJSON *schemes);

/* Translate one operation op (2.0, at t->sp = t->tp = its pointer), with the path
 * item's parameters pparams (at ppath). */
static cJSON *operation(struct tr *t, const cJSON *op, const cJSON *pparams, const char *ppath)
{
    static const char *const keys[] = {"tags",        "summary",    "description", "externalDocs",
                                       "operationId", "deprecated", "security",    NULL};
    cJSON *o = new_obj(t);
    if (!o)
        return NULL;
    copy_members(t, o, op, keys);
    char *opptr = act_strdup(t->sp.data);
    if (!opptr) {
        nomem(t);
        cJSON_Delete(o);
        return NULL;
    }
    if (cJSON_IsArray(member(op, "schemes")) && str_member(t->doc->root, "host")) {
        /* the operation's own schemes: servers of its own */
        size_t ls = push(t, &t->sp, "schemes"), lt0 = push(t, &t->tp, "servers");
        servers(t, o, member(op, "schemes"));
        pop(&t->sp, ls);
        pop(&t->tp, lt0);
    }
    const cJSON *consumes = media_list(member(op, "consumes"), t->consumes);
    const cJSON *produces = media_list(member(op, "produces"), t->produces);
    const cJSON *oparams = member(op, "parameters");
    size_t cap = (size_t)cJSON_GetArraySize(oparams) + (size_t)cJSON_GetArraySize(pparams) + 1;
    const cJSON **form = act_calloc(cap, sizeof(*form));
    char **fptr = act_calloc(cap, sizeof(*fptr));
    size_t nform = 0;
    const cJSON *bodyp = NULL;
    char *bodyptr = NULL, *bodyref = NULL;
    if (!form || !fptr)
        nomem(t);
    /* Operation parameters first, then the path item's body and form ones the operation
     * does not override (others stay on the path item). */
    for (int pass = 0; pass < 2 && !t->st; pass++) {
        const cJSON *list = pass == 0 ? oparams : pparams;
        const char *base = pass == 0 ? opptr : ppath;
        size_t i = 0;
        for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p && !t->st;
             p = p->next, i++) {
            char *ref;
            const char *in;
            int bad;
            const cJSON *tp = param_entry(t, p, base, i, &ref, &in, &bad);
            if (bad)
                break;
            int is_body = in && strcmp(in, "body") == 0;
            int is_form = in && strcmp(in, "formData") == 0;
            if (pass == 1 && !is_body && !is_form) {
                act_free(ref);
                continue;
            }
            if (is_body) {
                if (!bodyp) {
                    bodyp = tp;
                    bodyptr = act_strdup(t->sp.data);
                    bodyref = ref;
                    ref = NULL;
                    if (!bodyptr)
                        nomem(t);
                }
            } else if (is_form) {
                int dup = 0;
                for (size_t k = 0; k < nform; k++)
                    dup |= strcmp(str_member(form[k], "name"), str_member(tp, "name")) == 0;
                if (!dup && nform < cap) {
                    form[nform] = tp;
                    fptr[nform] = act_strdup(t->sp.data);
                    if (!fptr[nform])
                        nomem(t);
                    nform++;
                }
            } else {
                append_param(t, o, opptr, base, i, p, tp, ref);
            }
            act_free(ref);
        }
    }
    act_buf_reset(&t->tp);
    check(t, act_buf_adds(&t->tp, opptr));
    size_t lt = push(t, &t->tp, "requestBody");
    if (!t->st && bodyp) {
        act_buf_reset(&t->sp);
        check(t, act_buf_adds(&t->sp, bodyptr));
        if (bodyref) {
            /* "#/components/parameters/NAME": the body is components/requestBodies/NAME */
            cJSON *r = add_obj(t, o, "requestBody");
            struct act_buf b;
            act_buf_init(&b);
            if (!r || act_buf_adds(&b, "#/components/requestBodies/") ||
                act_buf_adds(&b, bodyref + strlen("#/components/parameters/")) ||
                !cJSON_AddStringToObject(r, "$ref", b.data))
                nomem(t);
            act_buf_release(&b);
            map_here(t);
        } else {
            add(t, o, "requestBody", body(t, bodyp, consumes));
        }
        if (nform) {
            loss(t, "the body parameter kept", "the formData parameters beside it");
        }
    } else if (!t->st && nform) {
        add(t, o, "requestBody", form_body(t, form, fptr, nform, consumes));
    }
    pop(&t->tp, lt);
    const cJSON *rs = member(op, "responses");
    if (cJSON_IsObject(rs)) {
        cJSON *ro = add_obj(t, o, "responses");
        act_buf_reset(&t->sp);
        check(t, act_buf_adds(&t->sp, opptr));
        push(t, &t->sp, "responses");
        act_buf_reset(&t->tp);
        check(t, act_buf_adds(&t->tp, t->sp.data));
        for (const cJSON *r = rs->child; r && !t->st; r = r->next) {
            if (!cJSON_IsObject(r)) {
                add_copy(t, ro, r->string, r);
                continue;
            }
            size_t l1 = push(t, &t->sp, r->string), l2 = push(t, &t->tp, r->string);
            add(t, ro, r->string, response(t, r, produces));
            pop(&t->sp, l1);
            pop(&t->tp, l2);
        }
    }
    for (size_t i = 0; fptr && i < nform; i++)
        act_free(fptr[i]);
    act_free(fptr);
    act_free(form);
    act_free(bodyptr);
    act_free(bodyref);
    act_buf_reset(&t->sp);
    check(t, act_buf_adds(&t->sp, opptr));
    act_buf_reset(&t->tp);
    check(t, act_buf_adds(&t->tp, opptr));
    act_free(opptr);
    return o;
}

/* The path item pi (2.0, at /paths/KEY). */
static cJSON *path_item(struct tr *t, const cJSON *pi)
{
    cJSON *o = new_obj(t);
    if (!o)
        return NULL;
    static const char *const keys[] = {"$ref", NULL};
    copy_members(t, o, pi, keys);
    char *base = act_strdup(t->sp.data);
    if (!base) {
        nomem(t);
        return o;
    }
    const cJSON *pparams = member(pi, "parameters");
    /* Path-level parameters other than body and formData stay on the path item. */
    if (cJSON_IsArray(pparams)) {
        size_t i = 0;
        for (const cJSON *p = pparams->child; p && !t->st; p = p->next, i++) {
            char *ref;
            const char *in;
            int bad;
            const cJSON *tp = param_entry(t, p, base, i, &ref, &in, &bad);
            if (bad)
                break;
            if (!in || (strcmp(in, "body") != 0 && strcmp(in, "formData") != 0))
                append_param(t, o, base, base, i, p, tp, ref);
            act_free(ref);
        }
    }
    for (const cJSON *op = pi->child; op && !t->st; op = op->next) {
        size_t k;
        for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
            if (strcmp(op->string, methods[k]) == 0)
                break;
        if (k == sizeof(methods) / sizeof(methods[0]))
            continue;
        act_buf_reset(&t->sp);
        check(t, act_buf_adds(&t->sp, base));
        push(t, &t->sp, methods[k]);
        act_buf_reset(&t->tp);
        check(t, act_buf_adds(&t->tp, t->sp.data));
        if (!cJSON_IsObject(op)) {
            invalid(t, op, "an operation must be an object");
            break;
        }
        char *pp = act_strdup(base);
        if (!pp) {
            nomem(t);
            break;
        }
        add(t, o, methods[k], operation(t, op, pparams, pp));
        act_free(pp);
    }
    act_free(base);
    return o;
}

/* ---- the document -------------------------------------------------------- */

/* to.servers from the 2.0 document's host and basePath, one per scheme of schemes (the
 * document's own, or an operation's), mapped from t->sp at t->tp. */
static void servers(struct tr *t, cJSON *to, const cJSON *schemes)
{
    const char *host = str_member(t->doc->root, "host");
    const char *base = str_member(t->doc->root, "basePath");
    cJSON *arr = add(t, to, "servers", cJSON_CreateArray());
    const cJSON *one = cJSON_IsArray(schemes) ? schemes->child : NULL;
    map_here(t);
    for (;;) {
        struct act_buf u;
        act_buf_init(&u);
        enum act_status st = ACT_OK;
        if (host)
            st = act_buf_printf(&u, "%s://%s",
                                one && cJSON_IsString(one) ? one->valuestring : "http", host);
        if (!st && base && strcmp(base, "/") != 0)
            st = act_buf_adds(&u, base);
        if (!st && u.len == 0)
            st = act_buf_adds(&u, "/");
        cJSON *s = st ? NULL : cJSON_CreateObject();
        if (!s || !cJSON_AddStringToObject(s, "url", u.data) || !arr ||
            !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            nomem(t);
        }
        act_buf_release(&u);
        if (!host || !one || !(one = one->next) || t->st)
            break;
    }
}

static void security_schemes(struct tr *t, cJSON *comp, const cJSON *defs)
{
    static const struct {
        const char *from, *to;
        int auth, token;
    } flows[] = {{"implicit", "implicit", 1, 0},
                 {"password", "password", 0, 1},
                 {"application", "clientCredentials", 0, 1},
                 {"accessCode", "authorizationCode", 1, 1}};
    cJSON *out = add_obj(t, comp, "securitySchemes");
    for (const cJSON *d = defs->child; d && !t->st; d = d->next) {
        set_ptr(t, &t->sp, "securityDefinitions", d->string, NULL);
        set_ptr(t, &t->tp, "components", "securitySchemes", d->string);
        const char *type = str_member(d, "type");
        if (!type) {
            invalid(t, d, "security definition without \"type\"");
            return;
        }
        static const char *const keys[] = {"description", NULL};
        cJSON *o = add(t, out, d->string, cJSON_CreateObject());
        map_here(t);
        if (strcmp(type, "basic") == 0) {
            add_str(t, o, "type", "http");
            add_str(t, o, "scheme", "basic");
        } else if (strcmp(type, "apiKey") == 0) {
            add_str(t, o, "type", "apiKey");
            add_copy(t, o, "name", member(d, "name"));
            add_copy(t, o, "in", member(d, "in"));
        } else if (strcmp(type, "oauth2") == 0) {
            add_str(t, o, "type", "oauth2");
            const char *flow = str_member(d, "flow");
            cJSON *fl = add_obj(t, o, "flows");
            size_t k;
            for (k = 0; flow && k < sizeof(flows) / sizeof(flows[0]); k++)
                if (strcmp(flow, flows[k].from) == 0)
                    break;
            if (!flow || k == sizeof(flows) / sizeof(flows[0])) {
                invalid(t, d,
                        "oauth2 security definition without a known \"flow\" (implicit, "
                        "password, application or accessCode)");
                return;
            }
            cJSON *f = add_obj(t, fl, flows[k].to);
            if (flows[k].auth)
                add_copy(t, f, "authorizationUrl", member(d, "authorizationUrl"));
            if (flows[k].token)
                add_copy(t, f, "tokenUrl", member(d, "tokenUrl"));
            if (member(d, "scopes"))
                add_copy(t, f, "scopes", member(d, "scopes"));
            else
                add(t, f, "scopes", cJSON_CreateObject());
        } else {
            add_str(t, o, "type", type);
        }
        copy_members(t, o, d, keys);
    }
}

static void components(struct tr *t, cJSON *root, const cJSON *src)
{
    const cJSON *defs = member(src, "definitions");
    const cJSON *params = member(src, "parameters");
    const cJSON *resps = member(src, "responses");
    const cJSON *sec = member(src, "securityDefinitions");
    if (!cJSON_IsObject(defs) && !cJSON_IsObject(params) && !cJSON_IsObject(resps) &&
        !cJSON_IsObject(sec))
        return;
    cJSON *comp = add_obj(t, root, "components");
    if (cJSON_IsObject(defs)) {
        cJSON *out = add_obj(t, comp, "schemas");
        for (const cJSON *d = defs->child; d && !t->st; d = d->next) {
            set_ptr(t, &t->sp, "definitions", d->string, NULL);
            set_ptr(t, &t->tp, "components", "schemas", d->string);
            add(t, out, d->string, schema(t, d));
        }
    }
    if (cJSON_IsObject(params)) {
        for (const cJSON *entry = params->child; entry && !t->st; entry = entry->next) {
            set_ptr(t, &t->sp, "parameters", entry->string, NULL);
            /* a ref into another file: its parameter, translated here */
            const char *fr = act_ref_of(entry);
            const cJSON *p = fr && fr[0] != '#' ? foreign(t, entry) : entry;
            if (!p && !t->st) {
                /* one that cannot be followed: kept as written, for later stages to report */
                set_ptr(t, &t->tp, "components", "parameters", entry->string);
                add_copy(t, add_obj(t, comp, "parameters"), entry->string, entry);
                map_here(t);
                continue;
            }
            const char *in = str_member(p, "in");
            if (!cJSON_IsObject(p) || !in || !str_member(p, "name")) {
                invalid(t, entry, "parameter without \"name\" and \"in\"");
                return;
            }
            if (strcmp(in, "body") == 0) {
                set_ptr(t, &t->tp, "components", "requestBodies", entry->string);
                add(t, add_obj(t, comp, "requestBodies"), entry->string, body(t, p, t->consumes));
            } else if (strcmp(in, "formData") == 0) {
                continue; /* inlined into each operation that refers to it */
            } else {
                set_ptr(t, &t->tp, "components", "parameters", entry->string);
                add(t, add_obj(t, comp, "parameters"), entry->string, parameter(t, p));
            }
        }
    }
    if (cJSON_IsObject(resps)) {
        cJSON *out = add_obj(t, comp, "responses");
        for (const cJSON *r = resps->child; r && !t->st; r = r->next) {
            set_ptr(t, &t->sp, "responses", r->string, NULL);
            set_ptr(t, &t->tp, "components", "responses", r->string);
            if (!cJSON_IsObject(r)) {
                invalid(t, r, "a response must be an object");
                return;
            }
            add(t, out, r->string, response(t, r, t->produces));
        }
    }
    if (cJSON_IsObject(sec))
        security_schemes(t, comp, sec);
}

static enum act_status translate(const struct act_doc *doc, struct act_docset *ds, cJSON **out,
                                 cJSON *losses, struct act_srcmap *map, struct act_error *err)
{
    struct tr t = {doc, losses, map, err, ACT_OK, NULL, NULL, {0}, {0}, ds, 0, NULL};
    const cJSON *src = doc->root;
    *out = NULL;
    if (!act_swagger2_is(src)) {
        const cJSON *v = member(src, "swagger");
        act_error_set(err, ACT_ERR_INVALID, doc->path, 1, 1,
                      "not a Swagger 2.0 document: \"swagger\" is not \"2.0\"");
        if (v)
            act_error_at_node(err, doc, v);
        return ACT_ERR_INVALID;
    }
    const cJSON *paths = member(src, "paths");
    if (!cJSON_IsObject(paths)) {
        if (paths) {
            act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0, "\"paths\" must be an object");
            act_error_at_node(err, doc, paths);
        } else {
            act_error_set(err, ACT_ERR_INVALID, doc->path, 1, 1,
                          "not a Swagger 2.0 document: no \"paths\" object");
        }
        return ACT_ERR_INVALID;
    }
    act_buf_init(&t.sp);
    act_buf_init(&t.tp);
    t.consumes = member(src, "consumes");
    t.produces = member(src, "produces");
    cJSON *root = cJSON_CreateObject();
    if (!root)
        nomem(&t);
    add_str(&t, root, "openapi", "3.0.3");
    static const char *const keys[] = {"info", "externalDocs", "tags", "security", NULL};
    copy_members(&t, root, src, keys);
    if (!member(root, "info"))
        add(&t, root, "info", cJSON_CreateObject());
    push(&t, &t.sp, "swagger");
    push(&t, &t.tp, "openapi");
    map_here(&t);
    if (member(src, "host") || member(src, "basePath")) {
        set_ptr(&t, &t.sp, member(src, "host") ? "host" : "basePath", NULL, NULL);
        set_ptr(&t, &t.tp, "servers", NULL, NULL);
        servers(&t, root, member(src, "schemes"));
    }
    cJSON *po = add_obj(&t, root, "paths");
    for (const cJSON *pi = paths->child; pi && !t.st; pi = pi->next) {
        act_buf_reset(&t.sp);
        push(&t, &t.sp, "paths");
        push(&t, &t.sp, pi->string);
        act_buf_reset(&t.tp);
        check(&t, act_buf_adds(&t.tp, t.sp.data));
        if (strncmp(pi->string, "x-", 2) == 0) {
            add_copy(&t, po, pi->string, pi);
            continue;
        }
        if (!cJSON_IsObject(pi)) {
            invalid(&t, pi, "a path item must be an object");
            break;
        }
        add(&t, po, pi->string, path_item(&t, pi));
    }
    if (!t.st)
        components(&t, root, src);
    act_buf_release(&t.sp);
    act_buf_release(&t.tp);
    cJSON_Delete(t.keep);
    if (t.own_ds)
        act_docset_free(t.ds);
    if (t.st) {
        cJSON_Delete(root);
        return t.st;
    }
    *out = root;
    return ACT_OK;
}

enum act_status act_swagger2_to_oas30(const struct act_doc *doc, cJSON **out, cJSON *losses,
                                      struct act_error *err)
{
    return translate(doc, NULL, out, losses, NULL, err);
}

/* ---- loading --------------------------------------------------------------- */

enum act_status act_swagger2_fix_file(struct act_doc *doc, const struct act_doc *root)
{
    if (doc->arena)
        return ACT_OK; /* an instance document: read-only, and never a schema file */
    char dir[PATH_MAX];
    const char *path = doc->canon ? doc->canon : doc->path;
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    /* refs into the root follow its sections to components only when it was translated */
    struct fix fx = {dir, !root->srcmap ? "" : root->canon ? root->canon : root->path};
    enum act_status st = fix_schema(&fx, doc->root, 0);
    if (st)
        return st;
    /* A 2.0 discriminator's values are definition names; 3.0's implicit mapping looks in
     * the root's components only, so a definition here maps its values to this file's
     * definitions explicitly. */
    cJSON *defs = cJSON_GetObjectItemCaseSensitive(doc->root, "definitions");
    for (cJSON *d = cJSON_IsObject(defs) ? defs->child : NULL; d; d = d->next) {
        cJSON *disc = out_member(d, "discriminator");
        if (!cJSON_IsObject(disc) || out_member(disc, "mapping"))
            continue;
        cJSON *map = cJSON_AddObjectToObject(disc, "mapping");
        if (!map)
            return ACT_ERR_NOMEM;
        for (const cJSON *e = defs->child; e; e = e->next) {
            struct act_buf b;
            act_buf_init(&b);
            st = act_buf_adds(&b, "#/definitions");
            if (!st)
                st = act_pointer_append(&b, e->string);
            if (!st && !cJSON_AddStringToObject(map, e->string, b.data))
                st = ACT_ERR_NOMEM;
            act_buf_release(&b);
            if (st)
                return st;
        }
    }
    return ACT_OK;
}

static enum act_status on_load(struct act_doc *doc, const struct act_doc *root)
{
    return act_swagger2_fix_file(doc, root);
}

enum act_status act_swagger2_adopt(struct act_docset *ds, struct act_doc *doc,
                                   struct act_error *err)
{
    struct act_srcmap *map;
    cJSON *tree;
    if (act_srcmap_new(&map))
        return act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
    size_t before = act_docset_count(ds);
    enum act_status st = translate(doc, ds, &tree, NULL, map, err);
    if (st) {
        act_srcmap_free(map);
        return st;
    }
    act_srcmap_take_source(map, doc->root);
    doc->root = tree;
    act_srcmap_free(doc->srcmap);
    doc->srcmap = map;
    /* the files the translation loaded (other files' parameters and responses), as every
     * file loaded from now on */
    for (size_t i = before; i < act_docset_count(ds); i++)
        if (act_swagger2_fix_file((struct act_doc *)act_docset_get(ds, i), doc))
            return act_error_set(err, ACT_ERR_NOMEM, doc->path, 0, 0, "out of memory");
    act_docset_on_load(ds, on_load);
    return ACT_OK;
}

enum act_status act_swagger2_load_node(const char *path, const char *pointer,
                                       struct act_docset **ds, struct act_node *out,
                                       struct act_error *err)
{
    enum act_status st = act_docset_load_node(path, pointer, ds, out, err);
    if (st || !act_swagger2_is(out->doc->root))
        return st;
    struct act_doc *doc = (struct act_doc *)out->doc; /* the docset's own, and mutable */
    if (doc->arena)
        return ACT_OK;
    static const struct fix in_place = {"", ""}; /* local refs stay: the tree keeps its shape */
    st = fix_schema(&in_place, doc->root, 0);
    if (st) {
        act_docset_free(*ds);
        *ds = NULL;
        return act_error_set(err, st, path, 0, 0, "out of memory");
    }
    act_docset_on_load(*ds, on_load);
    return ACT_OK;
}
