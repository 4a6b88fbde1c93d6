/*
 * request.c - from an operation, -p/-H/--body and a destination to an HTTP request.
 *
 * Each parameter's value is held as a typed cJSON value (the -p text coerced by
 * the schema's type, or the spec's example as written), validated in the
 * request direction, then serialized per `in`, `style` and `explode`. Values
 * are percent-encoded (unreserved characters only stay) unless the parameter
 * says allowReserved, so no value can change the path or add a query field.
 */
#include "request.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "parser/openapi.h"

/* ---------------------------------------------------------------- helpers */

/* A parameter being assembled: its wire rules (the shared codec) and its value. */
struct param_value {
    const struct act_param *p;
    struct act_param_codec codec; /* style, explode, resolved schema and types */
    cJSON *value;                 /* the value (owned), NULL when none */
    int from_user;                /* given with -p */
    const char *origin;           /* "the spec's example" / "the generated value", else NULL */
};

void act_request_free(struct act_request *r)
{
    if (!r)
        return;
    act_free(r->method);
    act_free(r->url);
    act_free(r->path);
    act_headers_release(&r->headers);
    act_free(r->body);
    act_free(r->media_type);
    act_free(r);
}

/* A query parameter name (or a key) onto q, with the codec's encoding. */
static enum act_status put_name(struct act_buf *q, const char *name)
{
    return act_pct_encode(q, name, strlen(name), ACT_PARAM_NAME_KEEP);
}

/* ------------------------------------------------------------- the values */

/* cJSON text s parsed, or NULL; *oom set when the parse failed for want of memory
 * (cJSON does not tell, the allocator's failure count does). */
static cJSON *parse_json(const char *s, int *oom)
{
    long before = act_alloc_failed();
    cJSON *j = cJSON_ParseWithLength(s, strlen(s));
    if (!j && act_alloc_failed() != before)
        *oom = 1;
    return j;
}

/* The -p values given for x, as one typed value (arrays: comma-split and repeated). */
static enum act_status user_value(struct param_value *x, const struct act_request_in *in,
                                  struct act_error *err)
{
    size_t count = 0;
    for (size_t i = 0; i < in->n_params; i++)
        if (strcmp(in->params[i].name, x->p->name) == 0)
            count++;
    if (count == 0)
        return ACT_OK;
    x->from_user = 1;
    int is_array = x->codec.type && strcmp(x->codec.type, "array") == 0 && !x->codec.content;
    if (!is_array) {
        if (count > 1)
            return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                                 "parameter \"%s\" is given %zu times but is not an array",
                                 x->p->name, count);
        for (size_t i = 0; i < in->n_params; i++) {
            if (strcmp(in->params[i].name, x->p->name) != 0)
                continue;
            /* content-based parameters take JSON text; keep it as a string if it is not JSON */
            int oom = 0;
            if (x->codec.content) {
                x->value = parse_json(in->params[i].value, &oom);
                if (!x->value && !oom)
                    x->value = cJSON_CreateString(in->params[i].value);
            } else {
                x->value = act_param_coerce(in->params[i].value, x->codec.type);
            }
            if (!x->value)
                return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
        return ACT_OK;
    }
    x->value = cJSON_CreateArray();
    if (!x->value)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < in->n_params; i++) {
        const char *s = in->params[i].value;
        if (strcmp(in->params[i].name, x->p->name) != 0)
            continue;
        if (*s == '[') {
            int oom = 0;
            cJSON *j = parse_json(s, &oom);
            if (oom)
                return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            if (cJSON_IsArray(j)) {
                while (j->child) {
                    cJSON *e = cJSON_DetachItemViaPointer(j, j->child);
                    cJSON_AddItemToArray(x->value, e);
                }
                cJSON_Delete(j);
                continue;
            }
            cJSON_Delete(j);
        }
        /* "a,b,c" is three items; an empty value is an empty array. */
        while (*s) {
            size_t l = strcspn(s, ",");
            char *piece = act_strndup(s, l);
            cJSON *e = piece ? act_param_coerce(piece, x->codec.item_type) : NULL;
            act_free(piece);
            if (!e)
                return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            cJSON_AddItemToArray(x->value, e);
            s += l;
            if (*s == ',')
                s++;
        }
    }
    return ACT_OK;
}

/* The first value of an examples map (entries may be $refs) into *out, NULL when none. */
static enum act_status first_example(const struct act_spec *spec, const struct act_doc *doc,
                                     const cJSON *examples, const cJSON **out,
                                     struct act_error *err)
{
    *out = NULL;
    if (!cJSON_IsObject(examples) || !examples->child)
        return ACT_OK;
    struct act_node n = {doc, examples->child};
    enum act_status st = act_ref_deref(spec->docs, n, &n, err);
    if (!st)
        *out = cJSON_GetObjectItemCaseSensitive(n.node, "value");
    return st;
}

/* A value from the spec for a required parameter without -p into *out, NULL when none. */
static enum act_status spec_value(const struct act_spec *spec, const struct param_value *x,
                                  const cJSON **out, struct act_error *err)
{
    const cJSON *p = x->p->node.node, *v;
    if ((*out = cJSON_GetObjectItemCaseSensitive(p, "example")))
        return ACT_OK;
    enum act_status st = first_example(spec, x->p->node.doc,
                                       cJSON_GetObjectItemCaseSensitive(p, "examples"), out, err);
    if (st || *out)
        return st;
    const cJSON *s = x->codec.schema.node;
    if (!s)
        return ACT_OK;
    if ((*out = cJSON_GetObjectItemCaseSensitive(s, "default")))
        return ACT_OK;
    v = cJSON_GetObjectItemCaseSensitive(s, "enum");
    if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 1)
        *out = v->child;
    else
        *out = cJSON_GetObjectItemCaseSensitive(s, "example");
    return ACT_OK;
}

/* Validate value against schema; each error becomes a message prefixed by what. */
static enum act_status check_value(struct act_validator *v, struct act_node schema,
                                   const cJSON *value, const char *what, struct act_msgs *problems,
                                   struct act_error *err)
{
    if (!v || !schema.node)
        return ACT_OK;
    struct act_errlist errs;
    struct act_buf line;
    act_errlist_init(&errs, 0);
    act_buf_init(&line);
    enum act_status st = act_validate(v, schema, value, ACT_DIR_REQUEST, &errs, err);
    for (size_t i = 0; !st && i < errs.n; i++) {
        act_buf_reset(&line);
        act_verr_format(&errs.v[i], &line);
        /* act_verr_format cannot report failure; it never formats "" otherwise. */
        if (!line.len) {
            st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        /* "(root): expected ..." reads better as "query parameter \"x\": expected ..." */
        const char *msg = line.data;
        if (strncmp(msg, "(root): ", 8) == 0)
            msg += 8;
        if (act_msgs_add(problems, "%s%s%s", what, msg[0] == '/' ? " " : ": ", msg))
            st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (!st && errs.dropped &&
        act_msgs_add(problems, "%s: ... and %zu more errors", what, errs.dropped))
        st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    act_buf_release(&line);
    act_errlist_release(&errs);
    return st;
}

/*
 * A value generated from schema (--fill) into *out, NULL when the generator cannot
 * make one (a $ref it cannot follow, a required recursion too deep): the caller
 * then treats the value as missing. Fails only with ACT_ERR_NOMEM (err set).
 */
static enum act_status generate(const struct act_request_in *in, struct act_validator *v,
                                struct act_node schema, cJSON **out, struct act_error *err)
{
    struct act_error gerr;
    act_error_init(&gerr);
    *out = NULL;
    enum act_status st = act_generate(v, in->spec->docs, schema, ACT_DIR_REQUEST, 0, out, &gerr);
    if (st == ACT_ERR_NOMEM)
        return act_error_set(err, st, NULL, 0, 0, "out of memory");
    if (st)
        *out = NULL;
    return ACT_OK;
}

/*
 * Validate a value the tool chose itself (origin: the spec's example, or one it
 * generated). A mismatch is not the user's fault and never a failure: it becomes
 * a note, and with in->fill *replace gets a generated value that does match
 * (NULL when there is none, or when value was fine).
 */
static enum act_status check_own_value(const struct act_request_in *in, struct act_validator *v,
                                       struct act_node schema, const cJSON *value, const char *what,
                                       const char *origin, cJSON **replace, struct act_error *err)
{
    struct act_msgs found, again;
    act_msgs_init(&found);
    act_msgs_init(&again);
    *replace = NULL;
    enum act_status st = check_value(v, schema, value, what, &found, err);
    if (st || !found.n)
        goto done;
    if (in->fill) {
        cJSON *g;
        if ((st = generate(in, v, schema, &g, err)))
            goto done;
        if (g && (st = check_value(v, schema, g, what, &again, err)) == ACT_OK && !again.n)
            *replace = g;
        else
            cJSON_Delete(g);
        if (st == ACT_ERR_NOMEM)
            goto done;
        st = ACT_OK;
    }
    if (in->notes) {
        char more[64] = "";
        if (found.n > 1)
            snprintf(more, sizeof(more), " (and %zu more)", found.n - 1);
        if (act_msgs_add(in->notes, "%s for %s does not match its schema: %s%s; %s", origin, what,
                         found.v[0], more,
                         *replace ? "a generated value was sent instead" : "sent as written"))
            st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
done:
    if (st) {
        cJSON_Delete(*replace);
        *replace = NULL;
    }
    act_msgs_release(&found);
    act_msgs_release(&again);
    return st;
}

/* ------------------------------------------------------------------- body */

static enum act_status build_body(const struct act_request_in *in, struct act_validator *v,
                                  struct act_request *r, struct act_msgs *problems,
                                  struct act_error *err)
{
    const struct act_spec *spec = in->spec;
    const struct act_op *op = in->op;
    struct act_node rb = {op->path_doc, op->request_body};
    const cJSON *media = NULL;
    const char *mt = NULL;
    enum act_status st;
    if (rb.node) {
        st = act_ref_deref(spec->docs, rb, &rb, err);
        if (st)
            return st;
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(rb.node, "content");
        for (const cJSON *m = cJSON_IsObject(content) ? content->child : NULL; m; m = m->next)
            if (act_media_json(m->string) == ACT_MEDIA_JSON) {
                media = m;
                break;
            }
        if (!media && cJSON_IsObject(content))
            media = content->child;
        mt = media ? media->string : NULL;
    }
    int required = rb.node && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rb.node, "required"));
    int json = !mt || act_media_json(mt) != ACT_MEDIA_OTHER;
    struct act_node schema = {rb.doc, media ? act_media_schema(media) : NULL};
    cJSON *owned = NULL;
    const cJSON *value = NULL;

    if (in->body) {
        r->body = act_malloc(in->body_len + 1);
        if (!r->body)
            return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        memcpy(r->body, in->body, in->body_len);
        r->body[in->body_len] = '\0';
        r->body_len = in->body_len;
        if (json) {
            struct act_doc *d = NULL;
            struct act_error perr;
            act_error_init(&perr);
            const char *name = in->body_name ? in->body_name : "--body";
            st = act_doc_parse(strcmp(name, "-") == 0 ? "<stdin>" : name, in->body, in->body_len,
                               ACT_DOC_JSON, &d, &perr);
            if (st == ACT_ERR_NOMEM)
                return act_error_set(err, st, NULL, 0, 0, "out of memory");
            if (st) {
                if (err && !err->status) {
                    *err = perr;
                    err->status = ACT_ERR_USAGE;
                    snprintf(err->context, sizeof(err->context),
                             "the request body (--body) must be JSON for %s",
                             mt ? mt : "this action");
                }
                return ACT_ERR_USAGE;
            }
            owned = d->root;
            d->root = NULL;
            act_doc_free(d);
            value = owned;
        }
    } else if (media) {
        const char *origin = "the spec's example";
        value = cJSON_GetObjectItemCaseSensitive(media, "example");
        if (!value &&
            (st = first_example(spec, rb.doc, cJSON_GetObjectItemCaseSensitive(media, "examples"),
                                &value, err)))
            return st;
        if (!value && schema.node) {
            struct act_node s;
            if ((st = act_ref_deref(spec->docs, schema, &s, err)))
                return st;
            value = cJSON_GetObjectItemCaseSensitive(s.node, "example");
        }
        if (!value && in->fill && json && schema.node) {
            if ((st = generate(in, v, schema, &owned, err)))
                return st;
            value = owned;
            origin = "the generated value";
        }
        if (value && json) {
            cJSON *better = NULL;
            st = check_own_value(in, v, schema, value, "request body", origin, &better, err);
            if (st) {
                cJSON_Delete(owned);
                return st;
            }
            if (better) {
                cJSON_Delete(owned);
                value = owned = better;
            }
        }
        if (value) {
            char *text = cJSON_IsString(value) && !json ? act_strdup(value->valuestring)
                                                        : cJSON_PrintUnformatted(value);
            if (text) {
                r->body = act_strdup(text);
                if (cJSON_IsString(value) && !json)
                    act_free(text);
                else
                    cJSON_free(text);
            }
            cJSON_Delete(owned);
            owned = NULL;
            value = NULL; /* checked above */
            if (!r->body)
                return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            r->body_len = strlen(r->body);
        } else if (required) {
            if (in->missing)
                *in->missing = 1;
            return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                                 "action \"%s\" needs a request body (%s) and the spec has no "
                                 "example%s: pass --body FILE (or - for stdin)",
                                 op->id, mt, in->fill ? " nor a schema to generate one from" : "");
        }
    }
    if (r->body) {
        const char *ct = mt && !strchr(mt, '*') ? mt : "application/json";
        r->media_type = act_strdup(ct);
        if (!r->media_type)
            st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        else
            st = act_headers_add(&r->headers, "Content-Type", ct)
                     ? act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory")
                     : ACT_OK;
        if (!st && json && value)
            st = check_value(v, schema, value, "request body", problems, err);
    } else {
        st = ACT_OK;
    }
    cJSON_Delete(owned);
    return st;
}

/* --------------------------------------------------------------- headers */

/* Split "Name: value" into h (replacing same-named headers); CR/LF is refused. */
static enum act_status add_user_header(struct act_headers *h, const char *line,
                                       struct act_error *err)
{
    char e[ACT_ECHO_SIZE];
    const char *colon = strchr(line, ':');
    act_echo(e, sizeof(e), line, strlen(line));
    if (strpbrk(line, "\r\n"))
        return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                             "-H \"%s\": a header must not contain CR or LF", e);
    if (!colon || colon == line)
        return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0, "-H \"%s\": expected 'Name: value'",
                             e);
    for (const char *c = line; c < colon; c++)
        if (!(isalnum((unsigned char)*c) || strchr("!#$%&'*+-.^_`|~", *c)))
            return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                                 "-H \"%s\": invalid character in the header name", e);
    char *name = act_strndup(line, (size_t)(colon - line));
    const char *val = colon + 1;
    while (*val == ' ' || *val == '\t')
        val++;
    size_t vl = strlen(val);
    while (vl && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
        vl--;
    char *value = act_strndup(val, vl);
    enum act_status st = name && value ? act_headers_set(h, name, value) : ACT_ERR_NOMEM;
    act_free(name);
    act_free(value);
    if (st)
        return act_error_set(err, st, NULL, 0, 0, "out of memory");
    return ACT_OK;
}

/* ---------------------------------------------------------------- security */

static enum act_status nomem(struct act_error *err)
{
    return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* The value the destination supplies under name: a URL.headers entry (any case)
 * or a URL.queries entry; NULL when none. */
static const char *dest_value(const struct act_dest *d, const char *name)
{
    for (size_t i = 0; i < d->n_headers; i++)
        if (strcasecmp(d->headers[i].name, name) == 0)
            return d->headers[i].value;
    for (size_t i = 0; i < d->n_queries; i++)
        if (strcmp(d->queries[i].name, name) == 0)
            return d->queries[i].value;
    return NULL;
}

/*
 * Satisfy the operation's apiKey schemes from the destination: a value kept
 * under URL.headers.NAME or URL.queries.NAME goes where the scheme says
 * (header, query or cookie). The entries themselves go out on every call
 * anyway; this covers a scheme that wants the value somewhere else. http
 * schemes (basic, bearer) come from the destination's Authentication.
 */
static enum act_status apply_security(const struct act_request_in *in, struct act_headers *h,
                                      struct act_buf *query, struct act_buf *cookie,
                                      struct act_error *err)
{
    const struct act_dest *d = in->dest;
    if (!d || !cJSON_IsArray(in->op->security))
        return ACT_OK;
    for (const cJSON *alt = in->op->security->child; alt; alt = alt->next) {
        for (const cJSON *req = cJSON_IsObject(alt) ? alt->child : NULL; req; req = req->next) {
            struct act_security_scheme sc;
            enum act_status st = act_spec_security_scheme(in->spec, req->string, &sc, err);
            if (st == ACT_ERR_NOTFOUND)
                continue;
            if (st)
                return st;
            const char *where = sc.in, *name = sc.name;
            if (!sc.type || strcmp(sc.type, "apiKey") != 0 || !where || !name)
                continue;
            const char *v = dest_value(d, name);
            if (!v)
                continue;
            if (strpbrk(v, "\r\n"))
                return act_error_set(err, ACT_ERR_INVALID, d->file, d->line, 0,
                                     "the value for API key \"%s\" of destination \"%s\" "
                                     "contains CR or LF",
                                     name, d->name);
            if (strcmp(where, "header") == 0 && !act_headers_get(h, name)) {
                st = act_headers_add(h, name, v);
            } else if (strcmp(where, "query") == 0) {
                int have = 0;
                for (size_t i = 0; i < d->n_queries; i++)
                    have |= strcmp(d->queries[i].name, name) == 0;
                if (!have &&
                    ((query->len && act_buf_addc(query, '&')) || put_name(query, name) ||
                     act_buf_addc(query, '=') || act_url_encode(query, v, strlen(v), NULL)))
                    st = ACT_ERR_NOMEM;
            } else if (strcmp(where, "cookie") == 0) {
                if ((cookie->len && act_buf_adds(cookie, "; ")) ||
                    act_url_encode(cookie, name, strlen(name), NULL) || act_buf_addc(cookie, '=') ||
                    act_url_encode(cookie, v, strlen(v), NULL))
                    st = ACT_ERR_NOMEM;
            }
            if (st)
                return nomem(err);
        }
    }
    return ACT_OK;
}

/* ------------------------------------------------------------------ build */

/* Dots at s[0..len): "." or "%2e"/"%2E" only, counted in *dots; 0 when something else. */
static int only_dots(const char *s, size_t len, int *dots)
{
    *dots = 0;
    for (size_t i = 0; i < len; (*dots)++) {
        if (s[i] == '.')
            i++;
        else if (i + 2 < len && s[i] == '%' && s[i + 1] == '2' && (s[i + 2] | 0x20) == 'e')
            i += 3;
        else
            return 0;
    }
    return 1;
}

/*
 * Path parameters cannot change the path: a segment of the expanded path that
 * is, or decodes to, "." or ".." would be resolved away by the server (or by
 * any proxy on the way), so its dots go out as "%2E". The part before a ";"
 * counts as the segment ("..;x" is ".." to Tomcat). path is rewritten in place.
 */
static enum act_status encode_dot_segments(struct act_buf *path)
{
    struct act_buf out;
    act_buf_init(&out);
    enum act_status st = ACT_OK;
    const char *p = path->data ? path->data : "";
    int changed = 0;
    while (*p && !st) {
        size_t len = strcspn(p, "/");
        size_t name = strcspn(p, ";/");
        int dots;
        if (len && only_dots(p, name, &dots) && dots >= 1 && dots <= 2) {
            st = act_buf_adds(&out, dots == 1 ? "%2E" : "%2E%2E");
            if (!st)
                st = act_buf_add(&out, p + name, len - name);
            changed = 1;
        } else {
            st = act_buf_add(&out, p, len);
        }
        p += len;
        if (*p == '/' && !st)
            st = act_buf_addc(&out, *p++);
    }
    if (!st && changed) {
        act_buf_release(path);
        *path = out;
        return ACT_OK;
    }
    act_buf_release(&out);
    return st;
}

enum act_status act_request_build(const struct act_request_in *in, struct act_validator *v,
                                  struct act_request **out, struct act_msgs *problems,
                                  struct act_error *err)
{
    const struct act_op *op = in->op;
    struct act_param *params = NULL;
    size_t n = 0;
    struct param_value *x = NULL;
    struct act_buf path, query, cookie, piece, missing;
    act_buf_init(&path);
    act_buf_init(&query);
    act_buf_init(&cookie);
    act_buf_init(&piece);
    act_buf_init(&missing);
    size_t problems_before = problems->n;
    *out = NULL;
    struct act_request *r = act_calloc(1, sizeof(*r));
    enum act_status st;
    if (!r)
        return nomem(err);
    act_headers_init(&r->headers);

    st = act_spec_op_params(in->spec, op, &params, &n, err);
    if (st)
        goto fail;
    x = act_calloc(n ? n : 1, sizeof(*x));
    if (!x) {
        st = nomem(err);
        goto fail;
    }

    /* Every -p must name a parameter of the action. */
    for (size_t i = 0; i < in->n_params; i++) {
        size_t j;
        for (j = 0; j < n && strcmp(params[j].name, in->params[i].name) != 0; j++)
            ;
        if (j < n)
            continue;
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof(e), in->params[i].name, strlen(in->params[i].name));
        struct act_buf names;
        act_buf_init(&names);
        for (j = 0; j < n; j++)
            if (act_buf_printf(&names, "%s%s", j ? ", " : "", params[j].name)) {
                act_buf_release(&names);
                st = nomem(err);
                goto fail;
            }
        st = act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                           "action \"%s\" has no parameter \"%s\" (parameters: %s)", op->id, e,
                           n ? names.data : "none");
        act_buf_release(&names);
        goto fail;
    }

    /* Values: -p first, then the spec's examples for required ones. */
    for (size_t i = 0; i < n; i++) {
        x[i].p = &params[i];
        if ((st = act_param_codec_init(in->spec->docs, &params[i], &x[i].codec, err)) ||
            (st = user_value(&x[i], in, err)))
            goto fail;
        if (x[i].value || !params[i].required)
            continue;
        const cJSON *sv;
        if ((st = spec_value(in->spec, &x[i], &sv, err)))
            goto fail;
        if (sv) {
            x[i].value = cJSON_Duplicate(sv, 1);
            if (!x[i].value) {
                st = nomem(err);
                goto fail;
            }
            x[i].origin = "the spec's example";
        } else if (in->fill && x[i].codec.schema.node) {
            if ((st = generate(in, v, x[i].codec.schema, &x[i].value, err)))
                goto fail;
            x[i].origin = "the generated value";
        }
        if (!x[i].value && act_buf_printf(&missing, "%s%s (%s)", missing.len ? ", " : "",
                                          params[i].name, params[i].in)) {
            st = nomem(err);
            goto fail;
        }
    }
    if (missing.len) {
        if (in->missing)
            *in->missing = 1;
        st = act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                           "action \"%s\" needs required parameters with no value and no example "
                           "in the spec: %s; pass them with -p NAME=VALUE%s",
                           op->id, missing.data, in->fill ? "" : " (or --fill for a mock)");
        goto fail;
    }

    /* Validate each value against its schema, in the request direction. */
    for (size_t i = 0; i < n; i++) {
        if (!x[i].value)
            continue;
        act_buf_reset(&piece);
        if (act_buf_printf(&piece, "%s parameter \"%s\"", params[i].in, params[i].name)) {
            st = nomem(err);
            goto fail;
        }
        if (!x[i].origin) {
            if ((st = check_value(v, x[i].codec.schema, x[i].value, piece.data, problems, err)))
                goto fail;
            continue;
        }
        cJSON *better = NULL;
        if ((st = check_own_value(in, v, x[i].codec.schema, x[i].value, piece.data, x[i].origin,
                                  &better, err)))
            goto fail;
        if (better) {
            cJSON_Delete(x[i].value);
            x[i].value = better;
        }
    }

    /* The path: each {name} replaced by its serialized, encoded value. */
    for (const char *s = op->path; *s;) {
        const char *open = strchr(s, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            if (act_buf_adds(&path, s)) {
                st = nomem(err);
                goto fail;
            }
            break;
        }
        if (act_buf_add(&path, s, (size_t)(open - s))) {
            st = nomem(err);
            goto fail;
        }
        size_t nl = (size_t)(close - open - 1);
        size_t i = act_path_param_index(params, n, open + 1, nl);
        if (i < n && x[i].value)
            st = act_param_serialize(&x[i].codec, x[i].value, &path, &query);
        else /* an undeclared template variable: leave it as written, encoded */
            st = act_url_encode(&path, open, (size_t)(close + 1 - open), NULL);
        if (st) {
            st = nomem(err);
            goto fail;
        }
        s = close + 1;
    }
    if (encode_dot_segments(&path)) {
        st = nomem(err);
        goto fail;
    }

    /* Query, headers and cookies in parameter order. */
    for (size_t i = 0; i < n; i++) {
        if (!x[i].value)
            continue;
        const char *where = params[i].in;
        act_buf_reset(&piece);
        if (strcmp(where, "query") == 0) {
            st = act_param_serialize(&x[i].codec, x[i].value, &piece, &query);
        } else if (strcmp(where, "header") == 0) {
            st = act_param_serialize(&x[i].codec, x[i].value, &piece, &query);
            if (!st && strpbrk(piece.data, "\r\n")) {
                st = act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                                   "header parameter \"%s\" must not contain CR or LF",
                                   params[i].name);
                goto fail;
            }
            if (!st)
                st = act_headers_set(&r->headers, params[i].name, piece.data);
        } else if (strcmp(where, "cookie") == 0) {
            st = act_param_serialize(&x[i].codec, x[i].value, &piece, &query);
            if (!st && cookie.len)
                st = act_buf_adds(&cookie, "; ");
            if (!st)
                st = act_buf_adds(&cookie, piece.data);
        }
        if (st) {
            st = nomem(err);
            goto fail;
        }
    }
    if ((st = apply_security(in, &r->headers, &query, &cookie, err)))
        goto fail;
    if (cookie.len && act_headers_add(&r->headers, "Cookie", cookie.data)) {
        st = nomem(err);
        goto fail;
    }

    /* The destination's URL.queries.* and URL.headers.* go on every call. */
    for (size_t i = 0; in->dest && i < in->dest->n_queries; i++) {
        const struct act_kv *kv = &in->dest->queries[i];
        if ((query.len && act_buf_addc(&query, '&')) || put_name(&query, kv->name) ||
            act_buf_addc(&query, '=') ||
            act_url_encode(&query, kv->value, strlen(kv->value), NULL)) {
            st = nomem(err);
            goto fail;
        }
    }
    for (size_t i = 0; in->dest && i < in->dest->n_headers; i++) {
        const struct act_kv *kv = &in->dest->headers[i];
        if (strpbrk(kv->value, "\r\n")) {
            st = act_error_set(err, ACT_ERR_INVALID, in->dest->file, kv->line, 0,
                               "URL.headers.%s of destination \"%s\" contains CR or LF", kv->name,
                               in->dest->name);
            goto fail;
        }
        if (act_headers_set(&r->headers, kv->name, kv->value)) {
            st = nomem(err);
            goto fail;
        }
    }

    if ((st = build_body(in, v, r, problems, err)))
        goto fail;

    /* -H last: it wins over everything above. */
    for (size_t i = 0; i < in->n_headers; i++)
        if ((st = add_user_header(&r->headers, in->headers[i], err)))
            goto fail;

    /* base + path + query, parsed once (the URL type assembles it). */
    struct act_url *call_url = NULL;
    st = act_url_for_call(in->base_url, path.data, query.data, query.len, &call_url);
    if (!st && (!(r->url = act_strdup(act_url_text(call_url))) ||
                !(r->path = act_strdup(act_url_rest(call_url)))))
        st = ACT_ERR_NOMEM;
    act_url_free(call_url);
    if (st == ACT_ERR_NOMEM) {
        st = nomem(err);
        goto fail;
    }
    if (st) {
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof(e), in->base_url, strlen(in->base_url));
        st = act_error_set(err, ACT_ERR_INVALID, NULL, 0, 0,
                           "destination URL \"%s\" is not an http(s) URL without credentials", e);
        goto fail;
    }
    r->method = act_strdup(op->method);
    if (!r->url || !r->method) {
        st = nomem(err);
        goto fail;
    }
    for (char *c = r->method; *c; c++)
        *c = (char)toupper((unsigned char)*c);

    /* Also on ACT_ERR_CHECK: the report names the request that was not sent. */
    st = problems->n > problems_before ? ACT_ERR_CHECK : ACT_OK;
    *out = r;
    r = NULL;
    goto done;
fail:
    act_request_free(r);
done:
    for (size_t i = 0; x && i < n; i++)
        cJSON_Delete(x[i].value);
    act_free(x);
    act_free(params);
    act_buf_release(&path);
    act_buf_release(&query);
    act_buf_release(&cookie);
    act_buf_release(&piece);
    act_buf_release(&missing);
    return st;
}
