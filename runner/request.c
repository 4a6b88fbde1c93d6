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
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"

/* ---------------------------------------------------------------- helpers */

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

#define RESERVED ":/?#[]@!$&'()*+,;="

/* A parameter being assembled. */
struct pv {
    const struct act_param *p;
    struct act_node schema; /* the resolved schema (node NULL when none) */
    const char *type;       /* schema type, or NULL */
    const char *item_type;  /* items' type for arrays, or NULL */
    const char *content;    /* media type of a content-based parameter, or NULL */
    const char *style;      /* effective style */
    int explode;            /* effective explode */
    int reserved;           /* allowReserved */
    cJSON *value;           /* the value (owned), NULL when none */
    int from_user;          /* given with -p */
    const char *origin;     /* "the spec's example" / "the generated value", else NULL */
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

/* Text of a primitive value (strings as they are, numbers as JSON writes them). */
static enum act_status prim_text(const cJSON *v, struct act_buf *out)
{
    if (cJSON_IsString(v))
        return act_buf_adds(out, v->valuestring);
    if (cJSON_IsBool(v))
        return act_buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNull(v))
        return ACT_OK;
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == floor(d) && fabs(d) < 1e15)
            return act_buf_printf(out, "%.0f", d);
        return act_buf_printf(out, "%.17g", d);
    }
    /* An array or object inside an array/object: JSON text. */
    char *s = cJSON_PrintUnformatted(v);
    if (!s)
        return ACT_ERR_NOMEM;
    enum act_status st = act_buf_adds(out, s);
    cJSON_free(s);
    return st;
}

/* Append value text: percent-encoded (keeping reserved ones when asked), or raw for headers. */
static enum act_status put(struct act_buf *out, const char *s, int how)
{
    if (how == 0) /* raw (headers) */
        return act_buf_adds(out, s);
    return act_url_encode(out, s, strlen(s), how == 2 ? RESERVED : NULL);
}

/* Append a query parameter name (or a deepObject/exploded object key) to q. */
static enum act_status put_name(struct act_buf *q, const char *name)
{
    return act_url_encode(q, name, strlen(name), ACT_URL_QUERY_NAME_KEEP);
}

static enum act_status put_prim(struct act_buf *out, const cJSON *v, int how)
{
    struct act_buf t;
    act_buf_init(&t);
    enum act_status st = prim_text(v, &t);
    if (!st)
        st = put(out, t.data, how);
    act_buf_release(&t);
    return st;
}

/*
 * Serialize the value of x: path/header/cookie pieces go to out; query pairs
 * go to q (joined with '&'). how: 0 raw, 1 encode, 2 encode but keep reserved.
 */
static enum act_status serialize(const struct pv *x, struct act_buf *out, struct act_buf *q)
{
    const char *in = x->p->in, *name = x->p->name, *style = x->style;
    const cJSON *v = x->value;
    int hdr = strcmp(in, "header") == 0;
    int how = hdr ? 0 : (x->reserved ? 2 : 1);
    enum act_status st = ACT_OK;
    struct act_buf tmp;
    act_buf_init(&tmp);
#define TRY(e)                                                                                     \
    do {                                                                                           \
        if ((st = (e)) != ACT_OK)                                                                  \
            goto done;                                                                             \
    } while (0)

    if (x->content) {
        /* A content-based parameter carries its value as JSON text (or as a string). */
        if (cJSON_IsString(v))
            TRY(act_buf_adds(&tmp, v->valuestring));
        else {
            char *s = cJSON_PrintUnformatted(v);
            if (!s)
                TRY(ACT_ERR_NOMEM);
            st = act_buf_adds(&tmp, s);
            cJSON_free(s);
            TRY(st);
        }
        if (strcmp(in, "query") == 0) {
            if (q->len)
                TRY(act_buf_addc(q, '&'));
            TRY(put_name(q, name));
            TRY(act_buf_addc(q, '='));
            TRY(put(q, tmp.data, how));
        } else {
            TRY(put(out, tmp.data, how));
        }
        goto done;
    }

    int is_arr = cJSON_IsArray(v), is_obj = cJSON_IsObject(v);
    if (strcmp(in, "query") == 0) {
        const char *delim = ",";
        if (strcmp(style, "spaceDelimited") == 0)
            delim = "%20";
        else if (strcmp(style, "pipeDelimited") == 0)
            delim = "|";
        if (is_obj && strcmp(style, "deepObject") == 0) {
            for (const cJSON *e = v->child; e; e = e->next) {
                if (q->len)
                    TRY(act_buf_addc(q, '&'));
                TRY(put_name(q, name));
                TRY(act_buf_addc(q, '['));
                TRY(put_name(q, e->string));
                TRY(act_buf_addc(q, ']'));
                TRY(act_buf_addc(q, '='));
                TRY(put_prim(q, e, how));
            }
        } else if ((is_arr || is_obj) && x->explode && strcmp(style, "form") == 0) {
            for (const cJSON *e = v->child; e; e = e->next) {
                if (q->len)
                    TRY(act_buf_addc(q, '&'));
                TRY(put_name(q, is_obj ? e->string : name));
                TRY(act_buf_addc(q, '='));
                TRY(put_prim(q, e, how));
            }
        } else if (is_arr && x->explode) {
            /* spaceDelimited/pipeDelimited with explode: true are written like form. */
            for (const cJSON *e = v->child; e; e = e->next) {
                if (q->len)
                    TRY(act_buf_addc(q, '&'));
                TRY(put_name(q, name));
                TRY(act_buf_addc(q, '='));
                TRY(put_prim(q, e, how));
            }
        } else {
            if (q->len)
                TRY(act_buf_addc(q, '&'));
            TRY(put_name(q, name));
            TRY(act_buf_addc(q, '='));
            for (const cJSON *e = (is_arr || is_obj) ? v->child : NULL; e; e = e->next) {
                if (is_obj) {
                    TRY(put(q, e->string, how));
                    TRY(act_buf_adds(q, delim));
                }
                TRY(put_prim(q, e, how));
                if (e->next)
                    TRY(act_buf_adds(q, delim));
            }
            if (!is_arr && !is_obj)
                TRY(put_prim(q, v, how));
        }
        goto done;
    }

    /* path (simple, label, matrix), header (simple), cookie (form) */
    const char *lead = "", *sep = ",";
    int matrix = strcmp(style, "matrix") == 0;
    if (strcmp(style, "label") == 0) {
        lead = ".";
        if (x->explode)
            sep = ".";
    } else if (matrix) {
        lead = ";";
        if (x->explode)
            sep = ";";
    }
    TRY(act_buf_adds(out, lead));
    if (strcmp(in, "cookie") == 0) {
        TRY(put(out, name, 1));
        TRY(act_buf_addc(out, '='));
    }
    if (matrix && !(x->explode && (is_arr || is_obj))) {
        TRY(put(out, name, 1));
        TRY(act_buf_addc(out, '='));
    }
    if (!is_arr && !is_obj) {
        TRY(put_prim(out, v, how));
        goto done;
    }
    for (const cJSON *e = v->child; e; e = e->next) {
        if (matrix && x->explode) {
            TRY(put(out, is_obj ? e->string : name, how ? 1 : 0));
            TRY(act_buf_addc(out, '='));
        } else if (is_obj) {
            TRY(put(out, e->string, how));
            TRY(act_buf_adds(out, x->explode ? "=" : ","));
        }
        TRY(put_prim(out, e, how));
        if (e->next)
            TRY(act_buf_adds(out, sep));
    }
#undef TRY
done:
    act_buf_release(&tmp);
    return st;
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

/* A string coerced to the JSON type named type; a string that does not read as
 * one stays a string (the validator reports the mismatch). NULL: out of memory. */
static cJSON *coerce(const char *s, const char *type)
{
    if (!type)
        return cJSON_CreateString(s);
    if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
        char *end;
        double d = strtod(s, &end);
        if (*s && !isspace((unsigned char)*s) && *end == '\0' && isfinite(d) &&
            strchr("-0123456789", *s) && !strpbrk(s, "xXpP")) {
            /* cJSON keeps the double; the validator decides whether it is an integer. */
            return cJSON_CreateNumber(d);
        }
        return cJSON_CreateString(s);
    }
    if (strcmp(type, "boolean") == 0) {
        if (strcmp(s, "true") == 0)
            return cJSON_CreateTrue();
        if (strcmp(s, "false") == 0)
            return cJSON_CreateFalse();
        return cJSON_CreateString(s);
    }
    if (strcmp(type, "object") == 0 || strcmp(type, "array") == 0) {
        int oom = 0;
        cJSON *j = parse_json(s, &oom);
        if (j && ((strcmp(type, "object") == 0 && cJSON_IsObject(j)) ||
                  (strcmp(type, "array") == 0 && cJSON_IsArray(j))))
            return j;
        cJSON_Delete(j);
        return oom ? NULL : cJSON_CreateString(s);
    }
    return cJSON_CreateString(s);
}

/* The -p values given for x, as one typed value (arrays: comma-split and repeated). */
static enum act_status user_value(struct pv *x, const struct act_request_in *in,
                                  struct act_error *err)
{
    size_t count = 0;
    for (size_t i = 0; i < in->n_params; i++)
        if (strcmp(in->params[i].name, x->p->name) == 0)
            count++;
    if (count == 0)
        return ACT_OK;
    x->from_user = 1;
    int is_array = x->type && strcmp(x->type, "array") == 0 && !x->content;
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
            if (x->content) {
                x->value = parse_json(in->params[i].value, &oom);
                if (!x->value && !oom)
                    x->value = cJSON_CreateString(in->params[i].value);
            } else {
                x->value = coerce(in->params[i].value, x->type);
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
            cJSON *e = piece ? coerce(piece, x->item_type) : NULL;
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
static enum act_status spec_value(const struct act_spec *spec, const struct pv *x,
                                  const cJSON **out, struct act_error *err)
{
    const cJSON *p = x->p->node.node, *v;
    if ((*out = cJSON_GetObjectItemCaseSensitive(p, "example")))
        return ACT_OK;
    enum act_status st = first_example(spec, x->p->node.doc,
                                       cJSON_GetObjectItemCaseSensitive(p, "examples"), out, err);
    if (st || *out)
        return st;
    const cJSON *s = x->schema.node;
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

/* Resolve x's schema, type, style and explode from its Parameter Object. */
static enum act_status describe(const struct act_spec *spec, struct pv *x, struct act_error *err)
{
    const cJSON *p = x->p->node.node;
    const cJSON *sch = cJSON_GetObjectItemCaseSensitive(p, "schema");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(p, "content");
    if (!sch && cJSON_IsObject(content) && content->child) {
        x->content = content->child->string;
        sch = cJSON_GetObjectItemCaseSensitive(content->child, "schema");
    }
    if (sch) {
        enum act_status st =
            act_ref_deref(spec->docs, (struct act_node){x->p->node.doc, sch}, &x->schema, err);
        if (st)
            return st;
        x->type = str_of(x->schema.node, "type");
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(x->schema.node, "items");
        if (items) {
            struct act_node it;
            st = act_ref_deref(spec->docs, (struct act_node){x->schema.doc, items}, &it, err);
            if (st)
                return st;
            x->item_type = str_of(it.node, "type");
        }
    }
    const char *in = x->p->in;
    const char *dflt = strcmp(in, "query") == 0 || strcmp(in, "cookie") == 0 ? "form" : "simple";
    x->style = str_of(p, "style") ? str_of(p, "style") : dflt;
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(p, "explode");
    x->explode = cJSON_IsBool(ex) ? cJSON_IsTrue(ex) : strcmp(x->style, "form") == 0;
    x->reserved = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "allowReserved")) &&
                  strcmp(in, "query") == 0;
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

static int is_json_type(const char *mt)
{
    size_t l = strcspn(mt, ";");
    while (l && mt[l - 1] == ' ')
        l--;
    if (l == 16 && strncasecmp(mt, "application/json", 16) == 0)
        return 1;
    if (l >= 5 && strncasecmp(mt + l - 5, "+json", 5) == 0)
        return 1;
    return l == 3 && strncmp(mt, "*/*", 3) == 0;
}

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
            if (is_json_type(m->string) && strcmp(m->string, "*/*") != 0) {
                media = m;
                break;
            }
        if (!media && cJSON_IsObject(content))
            media = content->child;
        mt = media ? media->string : NULL;
    }
    int required = rb.node && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rb.node, "required"));
    int json = !mt || is_json_type(mt);
    struct act_node schema = {rb.doc,
                              media ? cJSON_GetObjectItemCaseSensitive(media, "schema") : NULL};
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
    const cJSON *schemes = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(in->spec->doc->root, "components"), "securitySchemes");
    if (!d || !cJSON_IsArray(in->op->security) || !cJSON_IsObject(schemes))
        return ACT_OK;
    for (const cJSON *alt = in->op->security->child; alt; alt = alt->next) {
        for (const cJSON *req = cJSON_IsObject(alt) ? alt->child : NULL; req; req = req->next) {
            struct act_node sn = {in->spec->doc,
                                  cJSON_GetObjectItemCaseSensitive(schemes, req->string)};
            if (!sn.node)
                continue;
            enum act_status st = act_ref_deref(in->spec->docs, sn, &sn, err);
            if (st)
                return st;
            const char *type = str_of(sn.node, "type"), *where = str_of(sn.node, "in");
            const char *name = str_of(sn.node, "name");
            if (!type || strcmp(type, "apiKey") != 0 || !where || !name)
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
    struct pv *x = NULL;
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
        if ((st = describe(in->spec, &x[i], err)) || (st = user_value(&x[i], in, err)))
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
        } else if (in->fill && x[i].schema.node) {
            if ((st = generate(in, v, x[i].schema, &x[i].value, err)))
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
            if ((st = check_value(v, x[i].schema, x[i].value, piece.data, problems, err)))
                goto fail;
            continue;
        }
        cJSON *better = NULL;
        if ((st = check_own_value(in, v, x[i].schema, x[i].value, piece.data, x[i].origin, &better,
                                  err)))
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
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(params[i].in, "path") == 0 && strlen(params[i].name) == nl &&
                strncmp(params[i].name, open + 1, nl) == 0)
                break;
        if (i < n && x[i].value)
            st = serialize(&x[i], &path, &query);
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
            st = serialize(&x[i], &piece, &query);
        } else if (strcmp(where, "header") == 0) {
            st = serialize(&x[i], &piece, &query);
            if (!st && strpbrk(piece.data, "\r\n")) {
                st = act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0,
                                   "header parameter \"%s\" must not contain CR or LF",
                                   params[i].name);
                goto fail;
            }
            if (!st)
                st = act_headers_set(&r->headers, params[i].name, piece.data);
        } else if (strcmp(where, "cookie") == 0) {
            st = serialize(&x[i], &piece, &query);
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
