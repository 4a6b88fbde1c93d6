/*
 * values.c - values files (values.h): loaded through the parser's document loader,
 * checked against the spec entry by entry, and merged into an action's job.
 */
#include <string.h>

#include "common/act_alloc.h"
#include "parser/doc.h"
#include "parser/openapi.h"
#include "parser/ref.h"
#include "runner/values.h"

/* A list of the strings an entry owns (parameter values, header lines, body). */
struct strs {
    char **v;
    size_t n, cap;
};

/* Keep s (owned; NULL: out of memory) in l; s, or NULL when out of memory. */
static char *keep_str(struct strs *l, char *s)
{
    if (!s)
        return NULL;
    if (ACT_GROW(l->v, l->cap, l->n + 1, 8)) {
        act_free(s);
        return NULL;
    }
    l->v[l->n++] = s;
    return s;
}

struct act_values_int {
    struct act_values pub;
    struct strs strs;
};

void act_values_free(struct act_values *v)
{
    if (!v)
        return;
    struct act_values_int *vi = (struct act_values_int *)v;
    for (size_t i = 0; i < v->n; i++) {
        act_free(v->e[i].params);
        act_free(v->e[i].headers);
    }
    act_free(v->e);
    for (size_t i = 0; i < vi->strs.n; i++)
        act_free(vi->strs.v[i]);
    act_free(vi->strs.v);
    act_free(vi);
}

const struct act_values_entry *act_values_find(const struct act_values *v, const struct act_op *op)
{
    for (size_t i = 0; v && i < v->n; i++)
        if (v->e[i].op == op)
            return &v->e[i];
    return NULL;
}

/* An error at node of doc. */
static enum act_status bad(struct act_error *err, const struct act_doc *doc, const cJSON *node,
                           const char *fmt, const char *a, const char *b)
{
    if (err && err->status == ACT_OK) {
        char msg[ACT_ERROR_MSG_MAX];
        snprintf(msg, sizeof(msg), fmt, a, b);
        act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0, "%s", msg);
        act_error_at_node(err, doc, node);
    }
    return ACT_ERR_INVALID;
}

/* What a YAML/JSON value is called in messages. */
static const char *type_name(const cJSON *v)
{
    return cJSON_IsObject(v) ? "a mapping" : act_json_kind(v);
}

/* A scalar as the text -p would take (NULL: out of memory); NULL too for other types. */
static char *scalar_text(const cJSON *v)
{
    if (cJSON_IsString(v))
        return act_strdup(v->valuestring);
    if (cJSON_IsBool(v))
        return act_strdup(cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNumber(v)) {
        char *t = cJSON_PrintUnformatted(v);
        char *s = t ? act_strdup(t) : NULL;
        cJSON_free(t);
        return s;
    }
    return NULL;
}

/* Is name a header field name (RFC 9110 token)? */
static int is_token(const char *name)
{
    if (!*name)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", *p))
            return 0;
    return 1;
}

/* Load the entry of op from node (a mapping). */
static enum act_status load_entry(const struct act_spec *spec, const struct act_doc *doc,
                                  const cJSON *node, struct act_values_entry *e, struct strs *strs,
                                  struct act_error *err)
{
    const char *id = e->op->id;
    if (!cJSON_IsObject(node))
        return bad(err, doc, node,
                   "the values of \"%s\" must be a mapping of params, headers and body, not %s", id,
                   type_name(node));
    struct act_param *ps = NULL;
    size_t nps = 0;
    enum act_status st = act_spec_op_params(spec, e->op, &ps, &nps, err);
    if (st)
        return st;
    for (const cJSON *k = node->child; !st && k; k = k->next) {
        if (strcmp(k->string, "params") == 0) {
            if (!cJSON_IsObject(k)) {
                st = bad(err, doc, k, "params of \"%s\" must be a mapping, not %s", id,
                         type_name(k));
                break;
            }
            size_t n = 0;
            for (const cJSON *p = k->child; p; p = p->next)
                n += cJSON_IsArray(p) ? (size_t)cJSON_GetArraySize(p) : 1;
            e->params = act_calloc(n + 1, sizeof(*e->params));
            if (!e->params) {
                st = ACT_ERR_NOMEM;
                break;
            }
            for (const cJSON *p = k->child; !st && p; p = p->next) {
                size_t m = 0;
                while (m < nps && strcmp(ps[m].name, p->string) != 0)
                    m++;
                if (m == nps) {
                    st = bad(err, doc, p, "action \"%s\" has no parameter \"%s\"", id, p->string);
                    break;
                }
                if (cJSON_IsArray(p)) {
                    for (const cJSON *it = p->child; !st && it; it = it->next) {
                        if (!cJSON_IsString(it) && !cJSON_IsNumber(it) && !cJSON_IsBool(it)) {
                            st = bad(err, doc, it,
                                     "parameter \"%s\": an array item must be a string, number "
                                     "or boolean, not %s",
                                     p->string, type_name(it));
                            break;
                        }
                        char *s = keep_str(strs, scalar_text(it));
                        if (!s)
                            st = ACT_ERR_NOMEM;
                        else
                            e->params[e->n_params++] = (struct act_arg){ps[m].name, s};
                    }
                    continue;
                }
                char *s = NULL;
                if (cJSON_IsObject(p)) {
                    char *t = cJSON_PrintUnformatted(p);
                    s = t ? act_strdup(t) : NULL;
                    cJSON_free(t);
                } else if (!cJSON_IsNull(p)) {
                    s = scalar_text(p);
                } else {
                    st = bad(err, doc, p,
                             "parameter \"%s\" of \"%s\" must be a string, number, boolean, "
                             "array or mapping, not null",
                             p->string, id);
                    break;
                }
                if (!keep_str(strs, s))
                    st = ACT_ERR_NOMEM;
                else
                    e->params[e->n_params++] = (struct act_arg){ps[m].name, s};
            }
        } else if (strcmp(k->string, "headers") == 0) {
            if (!cJSON_IsObject(k)) {
                st = bad(err, doc, k, "headers of \"%s\" must be a mapping, not %s", id,
                         type_name(k));
                break;
            }
            e->headers = act_calloc((size_t)cJSON_GetArraySize(k) + 1, sizeof(*e->headers));
            if (!e->headers) {
                st = ACT_ERR_NOMEM;
                break;
            }
            for (const cJSON *h = k->child; !st && h; h = h->next) {
                if (!is_token(h->string)) {
                    st = bad(err, doc, h, "header name \"%s\" of \"%s\" is not a valid name",
                             h->string, id);
                    break;
                }
                char *v = scalar_text(h);
                if (!v && (cJSON_IsString(h) || cJSON_IsNumber(h) || cJSON_IsBool(h))) {
                    st = ACT_ERR_NOMEM;
                    break;
                }
                if (!v || strpbrk(v, "\r\n")) {
                    act_free(v);
                    st = bad(err, doc, h,
                             v ? "header \"%s\" of \"%s\" must be one line"
                               : "header \"%s\" of \"%s\" must be a string, number or boolean",
                             h->string, id);
                    break;
                }
                size_t len = strlen(h->string) + strlen(v) + 3;
                char *line = act_malloc(len);
                if (line)
                    snprintf(line, len, "%s: %s", h->string, v);
                act_free(v);
                if (!keep_str(strs, line))
                    st = ACT_ERR_NOMEM;
                else
                    e->headers[e->n_headers++] = line;
            }
        } else if (strcmp(k->string, "body") == 0) {
            if (!e->op->request_body) {
                st = bad(err, doc, k, "action \"%s\" takes no request body%s", id, "");
                break;
            }
            char *t = cJSON_PrintUnformatted(k);
            char *s = t ? act_strdup(t) : NULL;
            cJSON_free(t);
            if (!keep_str(strs, s)) {
                st = ACT_ERR_NOMEM;
                break;
            }
            e->body = s;
            e->body_len = strlen(s);
        } else {
            st = bad(err, doc, k,
                     "unknown key \"%s\" in the values of \"%s\" (params, headers, body)",
                     k->string, id);
        }
    }
    act_free(ps);
    return st;
}

enum act_status act_values_load(const char *path, const struct act_spec *spec,
                                struct act_values **out, struct act_error *err)
{
    *out = NULL;
    struct act_doc *doc = NULL;
    enum act_status st = act_doc_load(path, ACT_DOC_AUTO, &doc, err);
    if (st)
        return st;
    struct act_values_int *vi = act_calloc(1, sizeof(*vi));
    struct act_values *v = vi ? &vi->pub : NULL;
    const cJSON *root = doc->root;
    if (!vi) {
        st = ACT_ERR_NOMEM;
        goto fail;
    }
    if (!cJSON_IsObject(root)) {
        st = bad(err, doc, root, "--values must be a mapping of action ids to their values, not %s",
                 type_name(root), "");
        goto fail;
    }
    v->e = act_calloc((size_t)cJSON_GetArraySize(root) + 1, sizeof(*v->e));
    if (!v->e) {
        st = ACT_ERR_NOMEM;
        goto fail;
    }
    for (const cJSON *k = root->child; k; k = k->next) {
        const struct act_op *op = act_spec_find_op(spec, k->string);
        if (!op) {
            st = bad(err, doc, k, "unknown action \"%s\" in --values (see: actions list%s)",
                     k->string, "");
            goto fail;
        }
        struct act_values_entry *e = &v->e[v->n++];
        e->op = op;
        st = load_entry(spec, doc, k, e, &vi->strs, err);
        if (st)
            goto fail;
    }
    act_doc_free(doc);
    *out = v;
    return ACT_OK;
fail:
    if (st == ACT_ERR_NOMEM)
        act_error_set(err, st, path, 0, 0, "out of memory");
    act_doc_free(doc);
    act_values_free(v);
    return st;
}

/* Is the header line h named name (case-insensitive)? */
static int header_named(const char *h, const char *name, size_t len)
{
    const char *colon = strchr(h, ':');
    return colon && (size_t)(colon - h) == len && strncasecmp(h, name, len) == 0;
}

enum act_status act_values_job(const struct act_job *j, const struct act_values_entry *e,
                               struct act_job *out)
{
    struct act_arg *ps = act_calloc(j->n_params + e->n_params + 1, sizeof(*ps));
    const char **hs = act_calloc(j->n_headers + e->n_headers + 1, sizeof(*hs));
    if (!ps || !hs) {
        act_free(ps);
        act_free(hs);
        return ACT_ERR_NOMEM;
    }
    *out = *j;
    size_t np = 0, nh = 0;
    for (size_t i = 0; i < j->n_params; i++) {
        int mine = 0;
        for (size_t k = 0; !mine && k < e->n_params; k++)
            mine = strcmp(e->params[k].name, j->params[i].name) == 0;
        if (!mine)
            ps[np++] = j->params[i];
    }
    for (size_t k = 0; k < e->n_params; k++)
        ps[np++] = e->params[k];
    for (size_t i = 0; i < j->n_headers; i++) {
        int mine = 0;
        for (size_t k = 0; !mine && k < e->n_headers; k++) {
            const char *colon = strchr(e->headers[k], ':');
            mine = header_named(j->headers[i], e->headers[k], (size_t)(colon - e->headers[k]));
        }
        if (!mine)
            hs[nh++] = j->headers[i];
    }
    for (size_t k = 0; k < e->n_headers; k++)
        hs[nh++] = e->headers[k];
    out->params = ps;
    out->n_params = np;
    out->headers = hs;
    out->n_headers = nh;
    if (e->body) {
        out->body = e->body;
        out->body_len = e->body_len;
        out->body_path = "--values";
    }
    return ACT_OK;
}
