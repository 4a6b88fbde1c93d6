/*
 * dialect.c - which JSON Schema dialect a validator speaks, and the URI world of the
 * JSON Schema 2020-12 mode: base URIs (RFC 3986 reference resolution), schema resources
 * ($id), anchors ($anchor, $dynamicAnchor), the $vocabulary of a custom metaschema, and
 * resolving a $ref / $dynamicRef URI to a node (local files, or remote URIs through the
 * docset's --ref-map; never the network).
 *
 * A document is scanned once, when a schema of it is first compiled: every subschema with
 * an $id becomes a resource, every anchor is recorded in its resource. Only schema
 * keywords are followed, so an "$id" inside an enum value or an unknown keyword is data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/pointer.h"
#include "validator_int.h"

#define URI_2020 "https://json-schema.org/draft/2020-12/schema"
#define URI_OAS31 "https://spec.openapis.org/oas/3.1/dialect/base"
#define VOCAB_VALIDATION "https://json-schema.org/draft/2020-12/vocab/validation"

/* ---- the dialect ------------------------------------------------------------------------- */

void act_validator_set_dialect(struct act_validator *v, enum act_dialect d)
{
    v->dialect = d;
}

/* s names 2020-12 (with or without an empty fragment). */
static int is_2020(const char *s)
{
    size_t n = strlen(URI_2020);
    return strncmp(s, URI_2020, n) == 0 && (s[n] == '\0' || (s[n] == '#' && s[n + 1] == '\0'));
}

void act_dialect_detect(struct act_validator *v)
{
    const cJSON *root = act_docset_count(v->ds) ? act_docset_get(v->ds, 0)->root : NULL;
    const cJSON *oas = cJSON_GetObjectItemCaseSensitive(root, "openapi");
    const cJSON *sch = cJSON_GetObjectItemCaseSensitive(root, "$schema");
    v->dialect = ACT_DIALECT_OAS30;
    if (cJSON_IsString(oas) && strncmp(oas->valuestring, "3.1", 3) == 0 &&
        (oas->valuestring[3] == '\0' || oas->valuestring[3] == '.')) {
        v->dialect = ACT_DIALECT_2020_12;
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "jsonSchemaDialect");
        if (cJSON_IsString(d) && !is_2020(d->valuestring) && strcmp(d->valuestring, URI_OAS31) != 0)
            v->bad_dialect = d->valuestring;
    } else if (!cJSON_IsString(oas) && cJSON_IsString(sch) && is_2020(sch->valuestring)) {
        v->dialect = ACT_DIALECT_2020_12;
    }
}

/* ---- URIs (RFC 3986) --------------------------------------------------------------------- */

struct uri {
    const char *scheme, *auth, *path, *query, *frag; /* NULL when absent */
    size_t scheme_n, auth_n, path_n, query_n, frag_n;
};

static void uri_parse(const char *s, struct uri *u)
{
    memset(u, 0, sizeof(*u));
    size_t i = 0;
    if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) {
        size_t k = 1;
        while (s[k] && (strchr("+-.", s[k]) || (s[k] >= '0' && s[k] <= '9') ||
                        (s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
            k++;
        if (s[k] == ':') {
            u->scheme = s;
            u->scheme_n = k;
            i = k + 1;
        }
    }
    if (s[i] == '/' && s[i + 1] == '/') {
        i += 2;
        u->auth = s + i;
        u->auth_n = strcspn(s + i, "/?#");
        i += u->auth_n;
    }
    u->path = s + i;
    u->path_n = strcspn(s + i, "?#");
    i += u->path_n;
    if (s[i] == '?') {
        u->query = s + i + 1;
        u->query_n = strcspn(s + i + 1, "#");
        i += 1 + u->query_n;
    }
    if (s[i] == '#') {
        u->frag = s + i + 1;
        u->frag_n = strlen(s + i + 1);
    }
}

/* RFC 3986 5.2.4, on p[0..n) into out. */
static enum act_status remove_dots(const char *p, size_t n, struct act_buf *out)
{
    struct act_buf b;
    act_buf_init(&b);
    size_t i = 0;
    while (i < n) {
        if (n - i >= 3 && strncmp(p + i, "../", 3) == 0) {
            i += 3;
        } else if (n - i >= 2 && strncmp(p + i, "./", 2) == 0) {
            i += 2;
        } else if ((n - i >= 3 && strncmp(p + i, "/./", 3) == 0) ||
                   (n - i == 2 && !strncmp(p + i, "/.", 2))) {
            i += 2;
            if (i == n && act_buf_addc(&b, '/'))
                goto nomem;
            if (i < n)
                continue;
        } else if ((n - i >= 4 && strncmp(p + i, "/../", 4) == 0) ||
                   (n - i == 3 && strncmp(p + i, "/..", 3) == 0)) {
            i += 3;
            while (b.len && b.data[b.len - 1] != '/')
                b.len--;
            if (b.len)
                b.len--;
            if (i == n && act_buf_addc(&b, '/'))
                goto nomem;
        } else if ((n - i == 1 && p[i] == '.') || (n - i == 2 && strncmp(p + i, "..", 2) == 0)) {
            i = n;
        } else {
            size_t k = i + 1;
            while (k < n && p[k] != '/')
                k++;
            if (act_buf_add(&b, p + i, k - i))
                goto nomem;
            i = k;
        }
    }
    enum act_status st = act_buf_add(out, b.data ? b.data : "", b.len);
    act_buf_release(&b);
    return st;
nomem:
    act_buf_release(&b);
    return ACT_ERR_NOMEM;
}

static int add_part(struct act_buf *b, const char *pre, const char *s, size_t n)
{
    return s && (act_buf_adds(b, pre) || act_buf_add(b, s, n));
}

enum act_status act_uri_resolve(const char *base, const char *ref, struct act_buf *out)
{
    struct uri b, r;
    uri_parse(base, &b);
    uri_parse(ref, &r);
    act_buf_reset(out);
    enum act_status st = ACT_OK;
    if (act_buf_add(out, "", 0))
        return ACT_ERR_NOMEM;
    const struct uri *sch = r.scheme ? &r : &b;
    if (sch->scheme && (act_buf_add(out, sch->scheme, sch->scheme_n) || act_buf_addc(out, ':')))
        return ACT_ERR_NOMEM;
    if (r.scheme || r.auth) {
        if (add_part(out, "//", r.auth, r.auth_n) || remove_dots(r.path, r.path_n, out) ||
            add_part(out, "?", r.query, r.query_n))
            return ACT_ERR_NOMEM;
    } else {
        if (add_part(out, "//", b.auth, b.auth_n))
            return ACT_ERR_NOMEM;
        if (r.path_n == 0) {
            if (act_buf_add(out, b.path, b.path_n) ||
                add_part(out, "?", r.query ? r.query : b.query, r.query ? r.query_n : b.query_n))
                return ACT_ERR_NOMEM;
        } else if (r.path[0] == '/') {
            if (remove_dots(r.path, r.path_n, out) || add_part(out, "?", r.query, r.query_n))
                return ACT_ERR_NOMEM;
        } else {
            struct act_buf m;
            act_buf_init(&m);
            size_t keep = b.path_n;
            while (keep && b.path[keep - 1] != '/')
                keep--;
            if ((b.auth && b.path_n == 0 && act_buf_addc(&m, '/')) ||
                act_buf_add(&m, b.path, keep) || act_buf_add(&m, r.path, r.path_n) ||
                remove_dots(m.data, m.len, out))
                st = ACT_ERR_NOMEM;
            act_buf_release(&m);
            if (st || add_part(out, "?", r.query, r.query_n))
                return ACT_ERR_NOMEM;
        }
    }
    if (add_part(out, "#", r.frag, r.frag_n))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

/* ---- resources --------------------------------------------------------------------------- */

static struct act_res *res_new(struct act_validator *v, const char *uri, size_t uri_n,
                               const struct act_doc *doc, const cJSON *node)
{
    struct act_res *r = act_calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->uri = act_malloc(uri_n + 1);
    if (!r->uri) {
        act_free(r);
        return NULL;
    }
    memcpy(r->uri, uri, uri_n);
    r->uri[uri_n] = '\0';
    r->doc = doc;
    r->node = node;
    r->next = v->res;
    v->res = r;
    return r;
}

void act_res_free_all(struct act_validator *v)
{
    for (struct act_res *r = v->res, *rn; r; r = rn) {
        rn = r->next;
        for (struct act_anchor *a = r->anchors, *an; a; a = an) {
            an = a->next;
            act_free(a);
        }
        act_free(r->uri);
        act_free(r->loc);
        act_free(r);
    }
    v->res = NULL;
}

/* The newest resource whose root is node, or NULL. */
static struct act_res *res_by_node(const struct act_validator *v, const cJSON *node)
{
    for (struct act_res *r = v->res; r; r = r->next)
        if (r->node == node && !r->alias)
            return r;
    return NULL;
}

static struct act_res *res_by_uri(const struct act_validator *v, const char *uri, size_t n)
{
    for (struct act_res *r = v->res; r; r = r->next)
        if (strlen(r->uri) == n && strncmp(r->uri, uri, n) == 0)
            return r;
    return NULL;
}

static enum act_status add_anchor(struct act_res *r, const cJSON *name, const cJSON *node,
                                  int dynamic)
{
    if (!cJSON_IsString(name))
        return ACT_OK;
    struct act_anchor *a = act_calloc(1, sizeof(*a));
    if (!a)
        return ACT_ERR_NOMEM;
    a->name = name->valuestring;
    a->node = node;
    a->dynamic = dynamic;
    a->next = r->anchors;
    r->anchors = a;
    return ACT_OK;
}

const cJSON *act_res_anchor(const struct act_res *r, const char *name, int dynamic)
{
    if (r && r->alias)
        r = r->alias;
    for (const struct act_anchor *a = r ? r->anchors : NULL; a; a = a->next)
        if ((!dynamic || a->dynamic) && strcmp(a->name, name) == 0)
            return a->node;
    return NULL;
}

/* A new resource for the subschema node with "$id" id under parent. */
static enum act_status enter_id(struct act_validator *v, struct act_res *parent,
                                const struct act_doc *doc, const cJSON *node, const char *id,
                                struct act_res **out)
{
    struct act_buf b;
    act_buf_init(&b);
    enum act_status st = act_uri_resolve(parent->uri, id, &b);
    if (!st) {
        size_t n = strcspn(b.data, "#");
        *out = res_new(v, b.data, n, doc, node);
        if (!*out)
            st = ACT_ERR_NOMEM;
    }
    act_buf_release(&b);
    return st;
}

static enum act_status scan_schema(struct act_validator *v, const struct act_doc *doc,
                                   const cJSON *node, struct act_res *cur, int depth);

static enum act_status scan_members(struct act_validator *v, const struct act_doc *doc,
                                    const cJSON *m, struct act_res *cur, int depth)
{
    for (const cJSON *c = m ? m->child : NULL; c; c = c->next) {
        enum act_status st = scan_schema(v, doc, c, cur, depth + 1);
        if (st)
            return st;
    }
    return ACT_OK;
}

static enum act_status scan_schema(struct act_validator *v, const struct act_doc *doc,
                                   const cJSON *node, struct act_res *cur, int depth)
{
    static const char *const maps[] = {"properties",  "patternProperties", "$defs",
                                       "definitions", "dependentSchemas",  NULL};
    static const char *const lists[] = {"prefixItems", "allOf", "anyOf", "oneOf", NULL};
    static const char *const ones[] = {"items",
                                       "contains",
                                       "additionalProperties",
                                       "unevaluatedProperties",
                                       "unevaluatedItems",
                                       "propertyNames",
                                       "not",
                                       "if",
                                       "then",
                                       "else",
                                       "contentSchema",
                                       NULL};
    enum act_status st;
    if (!cJSON_IsObject(node) || depth > ACT_MAX_DEPTH)
        return ACT_OK;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "$id");
    if (cJSON_IsString(id) && id->valuestring[0] != '#' &&
        (st = enter_id(v, cur, doc, node, id->valuestring, &cur)))
        return st;
    if ((st = add_anchor(cur, cJSON_GetObjectItemCaseSensitive(node, "$anchor"), node, 0)) ||
        (st = add_anchor(cur, cJSON_GetObjectItemCaseSensitive(node, "$dynamicAnchor"), node, 1)))
        return st;
    const cJSON *sch = cJSON_GetObjectItemCaseSensitive(node, "$schema");
    if (cJSON_IsString(sch) && cur->node == node && !is_2020(sch->valuestring))
        cur->metaschema = sch->valuestring;
    for (const cJSON *m = node->child; m; m = m->next) {
        for (int i = 0; maps[i]; i++)
            if (strcmp(m->string, maps[i]) == 0 && cJSON_IsObject(m) &&
                (st = scan_members(v, doc, m, cur, depth)))
                return st;
        for (int i = 0; lists[i]; i++)
            if (strcmp(m->string, lists[i]) == 0 && cJSON_IsArray(m) &&
                (st = scan_members(v, doc, m, cur, depth)))
                return st;
        for (int i = 0; ones[i]; i++)
            if (strcmp(m->string, ones[i]) == 0 && (st = scan_schema(v, doc, m, cur, depth + 1)))
                return st;
    }
    return ACT_OK;
}

/* An OpenAPI document: the schemas stand under "schema" keys and in components.schemas. */
static enum act_status scan_oas(struct act_validator *v, const struct act_doc *doc,
                                const cJSON *node, const char *key, struct act_res *cur, int depth)
{
    enum act_status st = ACT_OK;
    if (depth > ACT_MAX_DEPTH)
        return ACT_OK;
    for (const cJSON *c = node->child; c && !st; c = c->next) {
        if (cJSON_IsObject(node) && strcmp(c->string, "schema") == 0)
            st = scan_schema(v, doc, c, cur, depth + 1);
        else if (cJSON_IsObject(node) && key && strcmp(key, "components") == 0 &&
                 strcmp(c->string, "schemas") == 0)
            st = scan_members(v, doc, c, cur, depth + 1);
        else if ((cJSON_IsObject(c) || cJSON_IsArray(c)) &&
                 !(c->string &&
                   (strcmp(c->string, "example") == 0 || strcmp(c->string, "examples") == 0)))
            st = scan_oas(v, doc, c, cJSON_IsObject(node) ? c->string : NULL, cur, depth + 1);
    }
    return st;
}

/* The file URI of doc. */
static enum act_status file_uri(const struct act_doc *doc, struct act_buf *out)
{
    const char *p = doc->canon ? doc->canon : doc->path;
    char cwd[4096];
    if (act_buf_adds(out, "file://"))
        return ACT_ERR_NOMEM;
    if (p[0] != '/') {
        if (!getcwd(cwd, sizeof(cwd)))
            snprintf(cwd, sizeof(cwd), "/");
        if (act_buf_adds(out, cwd) || (cwd[strlen(cwd) - 1] != '/' && act_buf_addc(out, '/')))
            return ACT_ERR_NOMEM;
    }
    for (; *p; p++) {
        enum act_status st = strchr("%#? ", *p) ? act_buf_printf(out, "%%%02X", (unsigned char)*p)
                                                : act_buf_addc(out, *p);
        if (st)
            return st;
    }
    return ACT_OK;
}

/* The resource of the document doc (scanning it on first use); uri names it when it was
 * reached by a URI, NULL for its file URI. */
static enum act_status res_doc(struct act_validator *v, const struct act_doc *doc, const char *uri,
                               size_t uri_n, struct act_res **out)
{
    for (struct act_res *r = v->res; r; r = r->next) {
        if (r->doc == doc && r->is_doc) {
            *out = r;
            return ACT_OK;
        }
    }
    struct act_buf b;
    act_buf_init(&b);
    enum act_status st = ACT_OK;
    if (!uri) {
        if ((st = file_uri(doc, &b)))
            goto out;
        uri = b.data;
        uri_n = b.len;
    }
    struct act_res *r = res_new(v, uri, uri_n, doc, doc->root);
    if (!r) {
        st = ACT_ERR_NOMEM;
        goto out;
    }
    r->is_doc = 1;
    r->loc = act_strdup("#");
    if (!r->loc) {
        st = ACT_ERR_NOMEM;
        goto out;
    }
    if (cJSON_IsObject(doc->root) && cJSON_GetObjectItemCaseSensitive(doc->root, "openapi"))
        st = scan_oas(v, doc, doc->root, NULL, r, 0);
    else
        st = scan_schema(v, doc, doc->root, r, 0);
    *out = res_by_node(v, doc->root);
out:
    act_buf_release(&b);
    return st;
}

/* The vocabulary rules of a resource's $schema: a custom metaschema (read through the
 * ref maps) whose $vocabulary leaves out the validation vocabulary turns the validation
 * keywords off. A metaschema that cannot be read is an error. */
static enum act_status read_vocabulary(struct act_validator *v, struct act_res *r,
                                       struct act_error *err)
{
    r->vocab_read = 1;
    if (!r->metaschema)
        return ACT_OK;
    struct act_node m;
    struct act_res *mr;
    struct act_buf loc;
    act_buf_init(&loc);
    enum act_status st = act_res_resolve(v, r, r->metaschema, &m, &mr, &loc, err);
    act_buf_release(&loc);
    if (st)
        return st;
    const cJSON *voc = cJSON_GetObjectItemCaseSensitive(m.node, "$vocabulary");
    if (!cJSON_IsObject(voc))
        return ACT_OK;
    int validation = 0;
    for (const cJSON *c = voc->child; c; c = c->next) {
        if (strcmp(c->string, VOCAB_VALIDATION) == 0)
            validation = 1;
        else if (cJSON_IsTrue(c) &&
                 strncmp(c->string, "https://json-schema.org/draft/2020-12/vocab/", 44) != 0) {
            act_error_set(err, ACT_ERR_UNSUPPORTED, r->doc->path, 0, 0,
                          "metaschema \"%s\" requires the unknown vocabulary \"%s\"", r->metaschema,
                          c->string);
            return ACT_ERR_UNSUPPORTED;
        }
    }
    r->no_validation = !validation;
    return ACT_OK;
}

/* Walk pointer ptr (a JSON Pointer) from the root of r: the node, and the innermost
 * resource on the way (*res). NULL when there is no such node. */
static const cJSON *walk_pointer(const struct act_validator *v, struct act_res *r, const char *ptr,
                                 struct act_res **res, enum act_status *st)
{
    const cJSON *node = r->node;
    struct act_buf seg;
    act_buf_init(&seg);
    *res = r;
    *st = ACT_OK;
    while (node && *ptr) {
        if ((*st = act_pointer_next(&ptr, &seg)))
            break;
        if (cJSON_IsArray(node)) {
            char *end;
            long i = strtol(seg.data, &end, 10);
            node = *end || i < 0 ? NULL : cJSON_GetArrayItem(node, (int)i);
        } else {
            node = cJSON_GetObjectItemCaseSensitive(node, seg.data);
        }
        if (node && cJSON_IsObject(node) &&
            cJSON_IsString(cJSON_GetObjectItemCaseSensitive(node, "$id"))) {
            struct act_res *inner = res_by_node(v, node);
            if (inner)
                *res = inner;
        }
    }
    act_buf_release(&seg);
    return *st ? NULL : node;
}

enum act_status act_res_locate(struct act_validator *v, const struct act_doc *doc, const char *ptr,
                               struct act_res **out)
{
    struct act_res *r;
    enum act_status st = res_doc(v, doc, NULL, 0, &r);
    if (st)
        return st;
    walk_pointer(v, r, ptr[0] == '#' ? ptr + 1 : ptr, out, &st);
    if (st == ACT_ERR_NOMEM)
        return st;
    if (st)
        *out = r;
    return ACT_OK;
}

struct act_res *act_res_of(struct act_validator *v, struct act_res *parent, const cJSON *node)
{
    if (!cJSON_IsObject(node) || node == parent->node)
        return parent;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "$id");
    if (!cJSON_IsString(id))
        return parent;
    struct act_res *r = res_by_node(v, node);
    return r ? r : parent;
}

/* The document a URI (without fragment) names: a resource already known, a local file, or
 * a file under a --ref-map directory. */
static enum act_status load_uri(struct act_validator *v, struct act_res *from, const char *uri,
                                size_t n, const char *ref, struct act_res **out,
                                struct act_error *err)
{
    struct act_buf path, u;
    enum act_status st;
    act_buf_init(&path);
    act_buf_init(&u);
    char echo[ACT_ECHO_SIZE];
    act_echo(echo, sizeof(echo), ref, strlen(ref));
    if ((st = act_buf_add(&u, uri, n)))
        goto out;
    const struct act_doc *doc = NULL;
    if (strncmp(u.data, "file://", 7) == 0) {
        const char *p = u.data + 7;
        p += strcspn(p, "/"); /* the authority: empty or localhost */
        for (; *p; p++) {
            char c = *p;
            if (c == '%' && act_hex_digit(p[1]) >= 0 && act_hex_digit(p[2]) >= 0) {
                c = (char)(act_hex_digit(p[1]) * 16 + act_hex_digit(p[2]));
                p += 2;
            }
            if ((st = act_buf_addc(&path, c)))
                goto out;
        }
    } else {
        st = act_docset_map_uri(v->ds, u.data, &path);
        if (st == ACT_ERR_NOMEM)
            goto out;
        if (st) {
            act_error_set(err, ACT_ERR_REF, from->doc->path, 0, 0,
                          "unresolvable $ref \"%s\": %s is not a local file; remote references "
                          "are never fetched: map it with --ref-map URL_PREFIX=DIR",
                          echo, u.data);
            st = ACT_ERR_REF;
            goto out;
        }
    }
    struct act_error sub;
    act_error_init(&sub);
    if ((st = act_docset_load(v->ds, path.data ? path.data : "", &doc, &sub))) {
        char why[ACT_ERROR_MSG_MAX + 16];
        act_error_format(&sub, why, sizeof(why));
        act_error_set(err, st == ACT_ERR_NOMEM ? st : ACT_ERR_REF, from->doc->path, 0, 0,
                      "unresolvable $ref \"%s\": %s", echo, why);
        st = st == ACT_ERR_NOMEM ? st : ACT_ERR_REF;
        goto out;
    }
    struct act_res *r;
    if ((st = res_doc(v, doc, u.data, u.len, &r)))
        goto out;
    *out = res_by_uri(v, u.data, u.len);
    if (!*out) {
        /* the file is known under another URI (its $id, or its file URI): this one too */
        *out = res_new(v, u.data, u.len, doc, doc->root);
        if (!*out || !((*out)->loc = act_strdup("#")))
            st = ACT_ERR_NOMEM;
        else
            (*out)->alias = res_by_node(v, doc->root);
    }
out:
    act_buf_release(&path);
    act_buf_release(&u);
    return st;
}

/* loc of node in r's document: r's location + ptr. */
static enum act_status node_loc(struct act_res *r, const cJSON *node, const char *ptr,
                                struct act_buf *loc)
{
    act_buf_reset(loc);
    if (!r->loc) {
        struct act_buf p;
        act_buf_init(&p);
        enum act_status st = act_pointer_of(r->doc->root, r->node, &p);
        if (st == ACT_ERR_NOMEM || act_buf_addc(loc, '#') || act_buf_add(loc, p.data, p.len)) {
            act_buf_release(&p);
            return ACT_ERR_NOMEM;
        }
        act_buf_release(&p);
        r->loc = act_buf_detach(loc, NULL);
        if (!r->loc)
            return ACT_ERR_NOMEM;
    }
    if (ptr)
        return act_buf_adds(loc, r->loc) || act_buf_adds(loc, ptr) ? ACT_ERR_NOMEM : ACT_OK;
    struct act_buf p;
    act_buf_init(&p);
    enum act_status st = act_pointer_of(r->doc->root, node, &p);
    if (st != ACT_ERR_NOMEM)
        st = act_buf_addc(loc, '#') || act_buf_add(loc, p.data, p.len) ? ACT_ERR_NOMEM : ACT_OK;
    act_buf_release(&p);
    return st;
}

enum act_status act_res_resolve(struct act_validator *v, struct act_res *from, const char *ref,
                                struct act_node *out, struct act_res **out_res, struct act_buf *loc,
                                struct act_error *err)
{
    struct act_buf abs, ptr;
    act_buf_init(&abs);
    act_buf_init(&ptr);
    char echo[ACT_ECHO_SIZE];
    act_echo(echo, sizeof(echo), ref, strlen(ref));
    enum act_status st = act_uri_resolve(from->uri, ref, &abs);
    if (st)
        goto out;
    size_t n = strcspn(abs.data, "#");
    const char *frag = abs.data[n] == '#' ? abs.data + n + 1 : "";
    struct act_res *r = res_by_uri(v, abs.data, n);
    if (!r && (st = load_uri(v, from, abs.data, n, ref, &r, err)))
        goto out;
    const cJSON *node = NULL;
    struct act_res *nr = r;
    if (frag[0] == '\0') {
        node = r->node;
        st = node_loc(r, node, "", loc);
    } else if (frag[0] == '/') {
        st = act_pointer_from_fragment(frag - 1, strlen(frag) + 1, &ptr);
        if (!st)
            node = walk_pointer(v, r, ptr.data, &nr, &st);
        if (node && !st)
            st = node_loc(r, node, ptr.data, loc);
    } else {
        node = act_res_anchor(r, frag, 0);
        if (node) {
            nr = act_res_of(v, r, node);
            st = node_loc(r, node, NULL, loc);
        }
    }
    if (st == ACT_ERR_NOMEM)
        goto out;
    if (!node || st) {
        act_error_set(err, ACT_ERR_REF, from->doc->path, 0, 0,
                      "unresolvable $ref \"%s\": nothing at %s", echo, abs.data);
        st = ACT_ERR_REF;
        goto out;
    }
    out->doc = r->doc;
    out->node = node;
    *out_res = nr;
out:
    act_buf_release(&abs);
    act_buf_release(&ptr);
    if (st == ACT_ERR_NOMEM && err && err->status == ACT_OK)
        act_error_set(err, st, from->doc->path, 0, 0, "out of memory");
    return st;
}

enum act_status act_res_vocabulary(struct act_validator *v, struct act_res *r,
                                   struct act_error *err)
{
    return r->vocab_read ? ACT_OK : read_vocabulary(v, r, err);
}
