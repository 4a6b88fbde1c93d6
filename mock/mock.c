/*
 * mock.c - `actions mock`: a server answering from a spec.
 *
 * Two halves. The app (router + validator + responder) turns one request into
 * one reply without any network, so it can be tested alone. The server wraps
 * it in libmicrohttpd on a socket we bind ourselves (a port in use is then a
 * clear error, and port 0 tells which port it got), with a thread per connection
 * (see "server" below for what they share and how). Parameters are read back
 * with the codec `test` writes them with (parser/openapi.h), so the two agree
 * on every style.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/openapi.h"
#include "mock/mock.h"

#define N_METHODS 8
static const char *const methods[N_METHODS] = {"get",     "put",  "post",  "delete",
                                               "options", "head", "patch", "trace"};

#define MAX_VARS 32

/* One path template and the operation of each method on it. */
struct route {
    const char *tmpl; /* "/pets/{petId}" (borrowed) */
    char **segs;      /* its segments, "pets", "{petId}" (owned) */
    size_t n_segs;
    const struct act_op *ops[N_METHODS]; /* by index in methods[], NULL when absent */
};

struct act_mock_app {
    struct act_spec *spec;
    struct act_validator *v;
    struct route *routes;
    size_t n_routes;
    int valid_only; /* replace spec examples that do not match their schemas */
    /* The time limit of the request being answered (act_validator_set_stop). */
    long validate_ms;         /* 0 = none */
    struct timespec deadline; /* when the current request's time is up */
    int stopped;              /* the current request ran out of time */
    char why[128];            /* and the reason given to the validator */
};

/* A path variable matched in the request. */
struct var {
    char name[128];
    char *value; /* decoded (owned) */
};

struct match {
    struct var vars[MAX_VARS];
    size_t n;
};

static void match_release(struct match *m)
{
    for (size_t i = 0; i < m->n; i++)
        act_free(m->vars[i].value);
    m->n = 0;
}

/* ---------------------------------------------------------------- helpers */

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

/* The first malformed escape in s[0..n) ('%' not followed by two hex digits), or NULL. */
static const char *bad_escape(const char *s, size_t n)
{
    for (const char *p = s; (p = memchr(p, '%', n - (size_t)(p - s))); p++)
        if ((size_t)(p - s) + 2 >= n || act_hex_digit(p[1]) < 0 || act_hex_digit(p[2]) < 0)
            return p;
    return NULL;
}

/*
 * The path of a request target: itself in origin form ("/pets"), the part after
 * the authority in absolute form ("http://host:8080/pets" -> "/pets", "/" when
 * there is none, RFC 9112 3.2.2). Anything else is returned as it is.
 */
static const char *target_path(const char *t)
{
    size_t sl = strncasecmp(t, "http://", 7) == 0 ? 7 : strncasecmp(t, "https://", 8) == 0 ? 8 : 0;
    if (!sl)
        return t;
    const char *p = strchr(t + sl, '/');
    return p ? p : "/";
}

static int method_index(const char *m)
{
    for (int i = 0; i < N_METHODS; i++)
        if (strcasecmp(methods[i], m) == 0)
            return i;
    return -1;
}

/* ---------------------------------------------------------------- routes */

static void routes_free(struct act_mock_app *a)
{
    for (size_t i = 0; i < a->n_routes; i++) {
        for (size_t k = 0; k < a->routes[i].n_segs; k++)
            act_free(a->routes[i].segs[k]);
        act_free(a->routes[i].segs);
    }
    act_free(a->routes);
    a->routes = NULL;
    a->n_routes = 0;
}

static enum act_status split_template(struct route *r, const char *tmpl)
{
    const char *p = tmpl[0] == '/' ? tmpl + 1 : tmpl;
    size_t n = 1;
    for (const char *q = p; *q; q++)
        n += *q == '/';
    r->segs = act_calloc(n, sizeof(char *));
    if (!r->segs)
        return ACT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t l = strcspn(p, "/");
        r->segs[i] = act_strndup(p, l);
        if (!r->segs[i])
            return ACT_ERR_NOMEM;
        r->n_segs = i + 1;
        p += l + (p[l] == '/');
    }
    return ACT_OK;
}

static enum act_status build_routes(struct act_mock_app *a)
{
    struct act_spec *s = a->spec;
    a->routes = act_calloc(s->n_ops ? s->n_ops : 1, sizeof(struct route));
    if (!a->routes)
        return ACT_ERR_NOMEM;
    for (size_t i = 0; i < s->n_ops; i++) {
        const struct act_op *op = &s->ops[i];
        struct route *r = NULL;
        for (size_t k = 0; k < a->n_routes; k++)
            if (strcmp(a->routes[k].tmpl, op->path) == 0)
                r = &a->routes[k];
        if (!r) {
            r = &a->routes[a->n_routes++];
            r->tmpl = op->path;
            if (split_template(r, op->path))
                return ACT_ERR_NOMEM;
        }
        int mi = method_index(op->method);
        if (mi >= 0 && !r->ops[mi])
            r->ops[mi] = op;
    }
    return ACT_OK;
}

/* Match template segment t against decoded segment s, appending variables to m. */
static int match_seg(const char *t, const char *s, struct match *m)
{
    const char *open = strchr(t, '{');
    if (!open)
        return strcmp(t, s) == 0;
    size_t lit = (size_t)(open - t);
    if (strncmp(t, s, lit) != 0)
        return 0;
    const char *close = strchr(open, '}');
    if (!close)
        return strcmp(t, s) == 0;
    const char *rest_t = close + 1;
    const char *sv = s + lit;
    size_t avail = strlen(sv);
    if (m->n >= MAX_VARS)
        return 0;
    /* A variable takes one character or more; the shortest that lets the rest match. */
    for (size_t take = 1; take <= avail; take++) {
        size_t before = m->n;
        struct var *v = &m->vars[m->n++];
        size_t nl = (size_t)(close - open - 1);
        if (nl >= sizeof(v->name))
            nl = sizeof(v->name) - 1;
        memcpy(v->name, open + 1, nl);
        v->name[nl] = '\0';
        v->value = act_strndup(sv, take);
        if (v->value && match_seg(rest_t, sv + take, m))
            return 1;
        while (m->n > before)
            act_free(m->vars[--m->n].value);
    }
    return 0;
}

/* How literal segment i of a template is: 2 literal, 1 mixed, 0 a lone variable. */
static int seg_rank(const char *seg)
{
    if (!strchr(seg, '{'))
        return 2;
    return seg[0] == '{' && strchr(seg, '}') == seg + strlen(seg) - 1 ? 0 : 1;
}

/* >0 when route a is more literal than b (earlier segments weigh more). */
static int more_literal(const struct route *a, const struct route *b)
{
    for (size_t i = 0; i < a->n_segs && i < b->n_segs; i++) {
        int d = seg_rank(a->segs[i]) - seg_rank(b->segs[i]);
        if (d)
            return d;
    }
    return 0;
}

/* ---------------------------------------------------------------- replies */

void act_mock_reply_release(struct act_mock_reply *r)
{
    if (!r)
        return;
    act_free(r->content_type);
    act_free(r->body);
    for (size_t i = 0; i < r->n_hdrs; i++) {
        act_free(r->hdrs[i].name);
        act_free(r->hdrs[i].value);
    }
    act_free(r->hdrs);
    memset(r, 0, sizeof(*r));
}

static enum act_status add_hdr(struct act_mock_reply *r, const char *name, const char *value)
{
    struct act_mock_hdr *h = act_realloc(r->hdrs, (r->n_hdrs + 1) * sizeof(*h));
    if (!h)
        return ACT_ERR_NOMEM;
    r->hdrs = h;
    h[r->n_hdrs].name = act_strdup(name);
    h[r->n_hdrs].value = act_strdup(value);
    if (!h[r->n_hdrs].name || !h[r->n_hdrs].value) {
        act_free(h[r->n_hdrs].name);
        act_free(h[r->n_hdrs].value);
        return ACT_ERR_NOMEM;
    }
    r->n_hdrs++;
    return ACT_OK;
}

/* A JSON body (takes nothing: j is borrowed). */
static enum act_status set_json(struct act_mock_reply *r, int status, const cJSON *j)
{
    r->status = status;
    char *txt = cJSON_PrintUnformatted(j);
    if (!txt)
        return ACT_ERR_NOMEM;
    r->body = act_strdup(txt);
    cJSON_free(txt);
    r->content_type = act_strdup("application/json");
    if (!r->body || !r->content_type)
        return ACT_ERR_NOMEM;
    r->body_len = strlen(r->body);
    return ACT_OK;
}

/* Messages collected for a 400 answer. */
struct msgs {
    cJSON *arr;
    int oom;
};

static void msg(struct msgs *m, const char *fmt, ...) ACT_PRINTF(2, 3);
static void msg(struct msgs *m, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    cJSON *s = cJSON_CreateString(buf);
    if (!s || !m->arr) {
        m->oom = 1;
        cJSON_Delete(s);
        return;
    }
    cJSON_AddItemToArray(m->arr, s);
}

/* Validate value against schema in the request direction; each error one message. */
static enum act_status check(struct act_mock_app *a, struct act_node schema,
                             const struct act_doc *idoc, const cJSON *value, const char *what,
                             struct msgs *m)
{
    struct act_errlist errs;
    struct act_error err;
    struct act_buf line;
    act_errlist_init(&errs, 0);
    act_error_init(&err);
    act_buf_init(&line);
    enum act_status st = act_validate_doc(a->v, schema, idoc, value, ACT_DIR_REQUEST, &errs, &err);
    if (st) {
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, buf, sizeof(buf));
        msg(m, "%s: the spec's schema is unusable: %s", what, buf);
    }
    for (size_t i = 0; i < errs.n; i++) {
        act_buf_reset(&line);
        act_verr_format(&errs.v[i], &line);
        const char *t = line.data;
        if (strncmp(t, "(root): ", 8) == 0)
            t += 8;
        msg(m, "%s%s%s", what, t[0] == '/' ? " " : ": ", t);
    }
    if (errs.dropped)
        msg(m, "%s: ... and %zu more errors", what, errs.dropped);
    act_buf_release(&line);
    act_errlist_release(&errs);
    return ACT_OK;
}

/* ------------------------------------------------------------ parameters */

static enum act_status check_params(struct act_mock_app *a, const struct act_op *op,
                                    const struct act_mock_req *req, const struct match *mt,
                                    struct msgs *m)
{
    struct act_param *ps = NULL;
    size_t n = 0;
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_spec_op_params(a->spec, op, &ps, &n, &err);
    if (st) {
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, buf, sizeof(buf));
        msg(m, "the spec's parameters are unusable: %s", buf);
        return st == ACT_ERR_NOMEM ? st : ACT_OK;
    }
    struct act_param_wire wire = {
        .path_decoded = 1, /* the router matched decoded segments */
        .query = req->query,
        .header = NULL,
        .cookie = req->header ? req->header(req->header_arg, "Cookie") : NULL,
    };
    for (size_t i = 0; i < n && !st; i++) {
        const struct act_param *p = &ps[i];
        struct act_param_codec codec;
        act_error_init(&err);
        st = act_param_codec_init(a->spec->docs, p, &codec, &err);
        if (st == ACT_ERR_NOMEM)
            break;
        if (st) { /* a schema that cannot be followed is not checked */
            codec.schema.node = NULL;
            codec.type = codec.item_type = NULL;
            st = ACT_OK;
        }
        char what[300];
        snprintf(what, sizeof(what), "%s parameter \"%.200s\"", p->in, p->name);
        wire.path_value = NULL;
        for (size_t k = 0; k < mt->n; k++)
            if (strcmp(mt->vars[k].name, p->name) == 0)
                wire.path_value = mt->vars[k].value;
        wire.header = req->header && strcmp(p->in, "header") == 0
                          ? req->header(req->header_arg, p->name)
                          : NULL;
        cJSON *value = NULL;
        size_t count = 0;
        if ((st = act_param_deserialize(&codec, &wire, &value, &count)))
            break;
        if (!value) {
            if (p->required)
                msg(m, "%s is required", what);
            continue;
        }
        int is_array = codec.type && strcmp(codec.type, "array") == 0 && !codec.content;
        if (count > 1 && !is_array)
            msg(m, "%s is given %zu times but is not an array", what, count);
        if (codec.schema.node)
            st =
                check(a, (struct act_node){p->node.doc, act_param_schema(p)}, NULL, value, what, m);
        cJSON_Delete(value);
    }
    act_free(ps);
    return st;
}

/* ------------------------------------------------------------------ body */

static enum act_status check_body(struct act_mock_app *a, const struct act_op *op,
                                  const struct act_mock_req *req, struct msgs *m)
{
    struct act_payload rb;
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_spec_request_body(a->spec, op, &rb, &err);
    if (st == ACT_ERR_NOTFOUND)
        return ACT_OK;
    if (st) {
        msg(m, "the spec's request body is unusable: %s", err.msg);
        return ACT_OK;
    }
    const cJSON *content = rb.content;
    if (!req->body || req->body_len == 0) {
        if (rb.required)
            msg(m, "request body is required");
        return ACT_OK;
    }
    if (!content || !content->child)
        return ACT_OK;
    char decl[512];
    act_declared_list(content, decl, sizeof(decl));
    const char *ct = req->header ? req->header(req->header_arg, "Content-Type") : NULL;
    if (!ct) {
        msg(m, "request body has no content type (declared: %s)", decl);
        return ACT_OK;
    }
    const cJSON *media = act_spec_media_for(content, ct);
    if (!media) {
        char echo[ACT_ECHO_SIZE];
        act_echo(echo, sizeof(echo), ct, strlen(ct));
        msg(m, "content type \"%s\" is not declared for the request body (declared: %s)", echo,
            decl);
        return ACT_OK;
    }
    if (!act_media_is_json(ct))
        return ACT_OK; /* only JSON bodies are validated */
    struct act_doc *doc = NULL;
    act_error_init(&err);
    if (act_doc_parse_instance("request body", req->body, req->body_len, &doc, &err)) {
        if (err.status == ACT_ERR_NOMEM)
            return ACT_ERR_NOMEM;
        msg(m, "request body is not valid JSON: %d:%d: %s", err.line, err.col, err.msg);
        return ACT_OK;
    }
    if (err.msg[0])
        msg(m, "request body has a duplicate member: %s", err.msg);
    const cJSON *schema = act_media_schema(media);
    st = ACT_OK;
    if (schema)
        st = check(a, (struct act_node){rb.node.doc, schema}, doc, doc->root, "request body", m);
    act_doc_free(doc);
    return st;
}

/* -------------------------------------------------------------- answering */

struct prefer {
    int code;          /* 0 when not asked for */
    char example[128]; /* "" when not asked for */
};

static void parse_prefer(const char *h, struct prefer *p)
{
    memset(p, 0, sizeof(*p));
    while (h && *h) {
        while (*h == ' ' || *h == ',' || *h == ';')
            h++;
        size_t l = strcspn(h, ",;");
        if (l > 5 && strncasecmp(h, "code=", 5) == 0) {
            p->code = atoi(h + 5);
        } else if (l > 8 && strncasecmp(h, "example=", 8) == 0) {
            const char *v = h + 8;
            size_t vl = l - 8;
            while (vl && v[vl - 1] == ' ')
                vl--;
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
                v++;
                vl -= 2;
            }
            if (vl >= sizeof(p->example))
                vl = sizeof(p->example) - 1;
            memcpy(p->example, v, vl);
            p->example[vl] = '\0';
        }
        h += l;
    }
}

/* The first declared 2XX response, else the first declared one. *code its status. */
static const cJSON *default_response(const cJSON *responses, int *code)
{
    for (const cJSON *r = responses->child; r; r = r->next)
        if (r->string[0] == '2' && strlen(r->string) == 3) {
            *code = isdigit((unsigned char)r->string[1]) ? atoi(r->string) : 200;
            return r;
        }
    for (const cJSON *r = responses->child; r; r = r->next)
        if (isdigit((unsigned char)r->string[0]) && strlen(r->string) == 3) {
            *code =
                isdigit((unsigned char)r->string[1]) ? atoi(r->string) : (r->string[0] - '0') * 100;
            return r;
        }
    *code = 200;
    return get(responses, "default");
}

static void warn(void (*log)(void *, const char *), void *arg, const char *fmt, ...)
    ACT_PRINTF(3, 4);
static void warn(void (*log)(void *, const char *), void *arg, const char *fmt, ...)
{
    if (!log)
        return;
    char buf[2048];
    int n = snprintf(buf, sizeof(buf), "warning: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
    va_end(ap);
    log(arg, buf);
}

/* The first error of instance against schema, formatted into buf, or 0 when valid. */
static int first_error(struct act_mock_app *a, struct act_node schema, const char *loc,
                       const cJSON *instance, char *buf, size_t size)
{
    struct act_errlist errs;
    struct act_error err;
    act_errlist_init(&errs, 1);
    act_error_init(&err);
    enum act_status st =
        act_validate_at(a->v, schema, loc, NULL, instance, ACT_DIR_RESPONSE, &errs, &err);
    int bad = 0;
    if (a->stopped) {
        /* out of time: the request is answered 503, no warning about the answer */
    } else if (st) {
        act_error_format(&err, buf, size);
        bad = 1;
    } else if (errs.n) {
        struct act_buf line;
        act_buf_init(&line);
        act_verr_format(&errs.v[0], &line);
        snprintf(buf, size, "%s", line.data);
        act_buf_release(&line);
        bad = 1;
    }
    act_errlist_release(&errs);
    return bad;
}

/* Append token to b escaped as a JSON Pointer token (~0, ~1). */
static enum act_status add_token(struct act_buf *b, const char *token)
{
    enum act_status st = act_buf_addc(b, '/');
    for (const char *c = token; !st && *c; c++)
        st = *c == '~'   ? act_buf_adds(b, "~0")
             : *c == '/' ? act_buf_adds(b, "~1")
                         : act_buf_addc(b, *c);
    return st;
}

/*
 * Where the schema of media (in response rkey of op) stands, "#/paths/...", so
 * the validator need not search a large file for it. Left empty (the validator
 * then searches) when the response or path item lives elsewhere.
 */
static enum act_status schema_loc(const struct act_mock_app *a, const struct act_op *op,
                                  const cJSON *rkey, struct act_node resp, const cJSON *media,
                                  struct act_buf *loc)
{
    const char *ref = act_ref_of(rkey);
    enum act_status st = ACT_OK;
    if (op->path_doc != a->spec->doc || resp.doc != a->spec->doc)
        return ACT_OK;
    if (!ref)
        st = act_buf_printf(loc, "#%s", op->pointer);
    else if (ref[0] == '#' && ref[1] == '/' && !strchr(ref, '%'))
        st = act_buf_adds(loc, ref);
    else
        return ACT_OK;
    if (!st && !ref)
        st = add_token(loc, "responses") || add_token(loc, rkey->string) ? ACT_ERR_NOMEM : ACT_OK;
    if (!st &&
        (add_token(loc, "content") || add_token(loc, media->string) || add_token(loc, "schema")))
        st = ACT_ERR_NOMEM;
    return st;
}

/* The value of an Example Object (after its $ref), or NULL. */
static const cJSON *example_value(struct act_mock_app *a, const struct act_doc *doc,
                                  const cJSON *ex)
{
    struct act_node n;
    struct act_error err;
    act_error_init(&err);
    if (act_ref_deref(a->spec->docs, (struct act_node){doc, ex}, &n, &err))
        return NULL;
    return get(n.node, "value");
}

/* A header value: the header's example, its schema's example, or a generated scalar. */
static enum act_status header_value(struct act_mock_app *a, struct act_node h, struct act_buf *out)
{
    struct act_error err;
    act_error_init(&err);
    if (act_ref_deref(a->spec->docs, h, &h, &err))
        return ACT_OK;
    const cJSON *ex = get(h.node, "example");
    cJSON *gen = NULL;
    if (!ex && get(h.node, "schema")) {
        struct act_node s = {h.doc, get(h.node, "schema")};
        enum act_status st = act_generate(a->v, a->spec->docs, s, ACT_DIR_RESPONSE, 1, &gen, &err);
        if (st == ACT_ERR_NOMEM)
            return st;
        ex = gen;
    }
    enum act_status st = ACT_OK;
    if (cJSON_IsString(ex)) {
        st = act_buf_adds(out, ex->valuestring);
    } else if (ex) {
        char *t = cJSON_PrintUnformatted(ex);
        st = t ? act_buf_adds(out, t) : ACT_ERR_NOMEM;
        cJSON_free(t);
    } else {
        st = act_buf_adds(out, "string");
    }
    cJSON_Delete(gen);
    return st;
}

static enum act_status answer_op(struct act_mock_app *a, const struct act_op *op,
                                 const struct act_mock_req *req, int head,
                                 void (*log)(void *, const char *), void *log_arg,
                                 struct act_mock_reply *out, struct msgs *m)
{
    struct prefer pf;
    parse_prefer(req->header ? req->header(req->header_arg, "Prefer") : NULL, &pf);
    const cJSON *responses = op->responses;
    if (!cJSON_IsObject(responses) || !responses->child) {
        out->status = 204;
        return ACT_OK;
    }
    char decl[512];
    act_declared_list(responses, decl, sizeof(decl));
    int code = 200;
    const cJSON *rkey;
    if (pf.code) {
        rkey = act_spec_response_for(responses, pf.code);
        if (!rkey || pf.code < 100 || pf.code > 599) {
            msg(m, "Prefer: code=%d is not declared for %s (declared: %s)", pf.code, op->id, decl);
            return ACT_OK;
        }
        code = pf.code;
    } else {
        rkey = default_response(responses, &code);
        if (!rkey) {
            out->status = 204;
            return ACT_OK;
        }
    }
    out->status = code;
    struct act_node resp;
    struct act_error err;
    act_error_init(&err);
    if (act_ref_deref(a->spec->docs, (struct act_node){op->path_doc, rkey}, &resp, &err)) {
        msg(m, "the spec's response %s is unusable: %s", rkey->string, err.msg);
        return ACT_OK;
    }
    /* Declared headers. */
    const cJSON *hdrs = get(resp.node, "headers");
    struct act_buf hv;
    act_buf_init(&hv);
    for (const cJSON *h = cJSON_IsObject(hdrs) ? hdrs->child : NULL; h; h = h->next) {
        if (strcasecmp(h->string, "Content-Type") == 0)
            continue;
        act_buf_reset(&hv);
        if (header_value(a, (struct act_node){resp.doc, h}, &hv) ||
            add_hdr(out, h->string, hv.data)) {
            act_buf_release(&hv);
            return ACT_ERR_NOMEM;
        }
    }
    act_buf_release(&hv);

    const cJSON *content = get(resp.node, "content");
    if (!cJSON_IsObject(content) || !content->child || code == 204 || code == 304) {
        if (pf.example[0])
            msg(m, "Prefer: example=%s: response %s of %s has no examples", pf.example,
                rkey->string, op->id);
        return ACT_OK;
    }
    const cJSON *media = NULL;
    for (const cJSON *c = content->child; c && !media; c = c->next)
        if (act_media_is_json(c->string))
            media = c;
    if (!media)
        media = content->child;
    enum act_media_kind kind = act_media_json(media->string);
    int is_json = kind != ACT_MEDIA_OTHER; /* JSON, or a range JSON is in */
    struct act_node schema = {resp.doc, act_media_schema(media)};
    /* Kept on the stack (NULL when long or unknown), so no return below can leak it. */
    char locbuf[1024];
    const char *loc = NULL;
    struct act_buf lb;
    act_buf_init(&lb);
    if (schema_loc(a, op, rkey, resp, media, &lb)) {
        act_buf_release(&lb);
        return ACT_ERR_NOMEM;
    }
    if (lb.len && lb.len < sizeof(locbuf)) {
        memcpy(locbuf, lb.data, lb.len + 1);
        loc = locbuf;
    }
    act_buf_release(&lb);

    const cJSON *val = NULL;
    const char *source = NULL;
    cJSON *gen = NULL;
    const cJSON *exs = get(media, "examples");
    if (pf.example[0]) {
        const cJSON *e = get(exs, pf.example);
        val = e ? example_value(a, resp.doc, e) : NULL;
        if (!val) {
            char names[512];
            act_declared_list(exs, names, sizeof(names));
            msg(m, "Prefer: example=%s is not an example of %s %s %s (examples: %s)", pf.example,
                op->id, rkey->string, media->string, names);
            return ACT_OK;
        }
        source = "example";
    }
    if (!val && get(media, "example")) {
        val = get(media, "example");
        source = "example";
    }
    for (const cJSON *e = cJSON_IsObject(exs) ? exs->child : NULL; e && !val; e = e->next) {
        val = example_value(a, resp.doc, e);
        source = "example";
    }
    struct act_node rs = {NULL, NULL};
    if (schema.node && act_ref_deref(a->spec->docs, schema, &rs, &err))
        rs.node = NULL;
    if (!val && rs.node && get(rs.node, "example")) {
        val = get(rs.node, "example");
        source = "schema example";
    }
    char why[1024];
    if (val && is_json && schema.node && first_error(a, schema, loc, val, why, sizeof(why))) {
        /* --valid-only replaces it, unless the client asked for it by name. */
        int replace = a->valid_only && !pf.example[0];
        warn(log, log_arg, "the %s of %s %s %s does not match its schema, %s: %s", source, op->id,
             rkey->string, media->string,
             replace ? "a generated body is served instead (--valid-only)" : "served anyway", why);
        if (replace)
            val = NULL;
    }
    if (!val && schema.node) {
        for (int use = 1; use >= 0 && !val; use--) {
            enum act_status st =
                act_generate(a->v, a->spec->docs, schema, ACT_DIR_RESPONSE, use, &gen, &err);
            if (st == ACT_ERR_NOMEM)
                return st;
            if (st) {
                msg(m, "cannot generate a body for %s %s: %s", op->id, rkey->string, err.msg);
                return ACT_OK;
            }
            if (!first_error(a, schema, loc, gen, why, sizeof(why)) || use == 0)
                val = gen;
            else {
                cJSON_Delete(gen);
                gen = NULL;
            }
        }
        if (val && first_error(a, schema, loc, val, why, sizeof(why)))
            warn(log, log_arg, "the generated body of %s %s does not match its schema: %s", op->id,
                 rkey->string, why);
    }
    if (!val) {
        gen = is_json ? cJSON_CreateObject() : cJSON_CreateString("");
        if (!gen)
            return ACT_ERR_NOMEM;
        val = gen;
    }
    /* The declared media type, made concrete when it is a wildcard. */
    const char *ct = media->string;
    if (kind == ACT_MEDIA_RANGE)
        ct = "application/json";
    else if (strchr(ct, '*'))
        ct = "text/plain";
    out->content_type = act_strdup(ct);
    if (!is_json && cJSON_IsString(val)) {
        out->body = act_strdup(val->valuestring);
    } else {
        char *t = cJSON_PrintUnformatted(val);
        out->body = t ? act_strdup(t) : NULL;
        cJSON_free(t);
    }
    cJSON_Delete(gen);
    if (!out->content_type || !out->body)
        return ACT_ERR_NOMEM;
    out->body_len = strlen(out->body);
    (void)head; /* the server leaves the body out of HEAD answers */
    return ACT_OK;
}

/* Reply status with {"errors": [the messages of m]}. */
static enum act_status reply_errors(struct act_mock_reply *out, int status, struct msgs *m)
{
    cJSON *o = cJSON_CreateObject();
    enum act_status st = ACT_ERR_NOMEM;
    if (o && cJSON_AddItemReferenceToObject(o, "errors", m->arr))
        st = set_json(out, status, o);
    cJSON_Delete(o);
    return st;
}

/* The validator's stop callback: the request's time is up. */
static const char *time_up(void *arg)
{
    struct act_mock_app *a = arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec < a->deadline.tv_sec ||
        (now.tv_sec == a->deadline.tv_sec && now.tv_nsec < a->deadline.tv_nsec))
        return NULL;
    a->stopped = 1;
    return a->why;
}

/* *t moved ms milliseconds on. */
static void add_ms(struct timespec *t, long ms)
{
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

/* Start the clock of one request (act_validator_set_stop), when it has a limit. */
static void clock_start(struct act_mock_app *a)
{
    a->stopped = 0;
    if (a->validate_ms <= 0) {
        act_validator_set_stop(a->v, NULL, NULL);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &a->deadline);
    add_ms(&a->deadline, a->validate_ms);
    snprintf(a->why, sizeof(a->why),
             "the mock spends at most %g s on one request (--validate-timeout)",
             (double)a->validate_ms / 1000);
    act_validator_set_stop(a->v, time_up, a);
}

/* Route req and answer it into out (the body of act_mock_app_answer). */
static enum act_status answer(struct act_mock_app *a, const struct act_mock_req *req,
                              void (*log)(void *arg, const char *line), void *log_arg,
                              struct act_mock_reply *out, struct msgs *m)
{
    struct match best_m = {0}, cur = {0};
    const struct route *best = NULL;
    const char *target = target_path(req->path ? req->path : "");
    const char *path = target[0] == '/' ? target + 1 : "";
    const char *bad = bad_escape(target, strlen(target)), *where = "path";
    /* A path the spec declares verbatim with a bare '%' ("/c%d") is still routed. */
    for (size_t r = 0; bad && r < a->n_routes; r++)
        if (strcmp(a->routes[r].tmpl, target) == 0)
            bad = NULL;
    if (!bad && req->query) {
        bad = bad_escape(req->query, strlen(req->query));
        where = "query";
    }
    if (bad) {
        char echo[64];
        act_echo(echo, sizeof(echo), bad, strnlen(bad, 3));
        msg(m,
            "invalid percent-encoding in the %s: \"%s\" (\"%%\" must be followed by two hex "
            "digits)",
            where, echo);
        return reply_errors(out, 400, m);
    }
    size_t n_segs = 1;
    for (const char *p = path; *p; p++)
        n_segs += *p == '/';
    char **segs = act_calloc(n_segs, sizeof(char *));
    enum act_status st = segs ? ACT_OK : ACT_ERR_NOMEM;
    for (size_t i = 0; !st && i < n_segs; i++) {
        size_t l = strcspn(path, "/");
        if (!(segs[i] = act_pct_decode(path, l, 0)))
            st = ACT_ERR_NOMEM;
        path += l + (path[l] == '/');
    }
    int mi = method_index(req->method);
    int head = mi >= 0 && strcmp(methods[mi], "head") == 0;
    int allow[N_METHODS] = {0}, any_path = 0;
    for (size_t r = 0; !st && r < a->n_routes; r++) {
        const struct route *rt = &a->routes[r];
        if (rt->n_segs != n_segs)
            continue;
        size_t k;
        for (k = 0; k < n_segs; k++)
            if (!match_seg(rt->segs[k], segs[k], &cur))
                break;
        if (k < n_segs) {
            match_release(&cur);
            continue;
        }
        any_path = 1;
        for (int j = 0; j < N_METHODS; j++)
            allow[j] |= rt->ops[j] != NULL;
        const struct act_op *op = mi < 0 ? NULL : rt->ops[mi];
        if (!op && head)
            op = rt->ops[0];
        if (op && (!best || more_literal(rt, best) > 0)) {
            best = rt;
            match_release(&best_m);
            best_m = cur;
            cur.n = 0;
        }
        match_release(&cur);
    }
    if (st) {
        /* fall through to the cleanup */
    } else if (!any_path) {
        char echo[ACT_ECHO_SIZE];
        act_echo(echo, sizeof(echo), target, strlen(target));
        msg(m, "no path of the spec matches \"%s\"", echo);
        st = reply_errors(out, 404, m);
    } else if (!best) {
        char list[128] = "";
        size_t u = 0;
        for (int j = 0; j < N_METHODS; j++)
            if (allow[j] || (j == 5 && allow[0])) {
                u += (size_t)snprintf(list + u, sizeof(list) - u, "%s", u ? ", " : "");
                for (const char *c = methods[j]; *c && u + 1 < sizeof(list); c++)
                    list[u++] = (char)toupper((unsigned char)*c);
                list[u] = '\0';
            }
        char echo[64], pecho[ACT_ECHO_SIZE];
        act_echo(echo, sizeof(echo), req->method, strlen(req->method));
        act_echo(pecho, sizeof(pecho), target, strlen(target));
        msg(m, "method %s is not allowed on %s (allowed: %s)", echo, pecho, list);
        st = reply_errors(out, 405, m);
        if (!st)
            st = add_hdr(out, "Allow", list);
    } else {
        const struct act_op *op = best->ops[mi];
        if (!op)
            op = best->ops[0];
        st = check_params(a, op, req, &best_m, m);
        if (!st)
            st = check_body(a, op, req, m);
        if (!st && cJSON_GetArraySize(m->arr) == 0 && !a->stopped)
            st = answer_op(a, op, req, head, log, log_arg, out, m);
        if (!st && (cJSON_GetArraySize(m->arr) > 0 || a->stopped)) {
            act_mock_reply_release(out);
            if (a->stopped) {
                /* What was found before the time ran out is incomplete: say only why. */
                cJSON_Delete(m->arr);
                m->arr = cJSON_CreateArray();
                msg(m, "validation stopped: %s", a->why);
                st = reply_errors(out, 503, m);
            } else {
                st = reply_errors(out, 400, m);
            }
        }
    }
    match_release(&best_m);
    match_release(&cur);
    for (size_t i = 0; segs && i < n_segs; i++)
        act_free(segs[i]);
    act_free(segs);
    return st;
}

enum act_status act_mock_app_answer(struct act_mock_app *a, const struct act_mock_req *req,
                                    void (*log)(void *arg, const char *line), void *log_arg,
                                    struct act_mock_reply *out)
{
    memset(out, 0, sizeof(*out));
    struct msgs m = {cJSON_CreateArray(), 0};
    clock_start(a);
    enum act_status st = m.arr ? answer(a, req, log, log_arg, out, &m) : ACT_ERR_NOMEM;
    act_validator_set_stop(a->v, NULL, NULL);
    if (!st && m.oom)
        st = ACT_ERR_NOMEM;
    cJSON_Delete(m.arr);
    if (st)
        act_mock_reply_release(out);
    return st;
}

enum act_status act_mock_app_new(struct act_spec *spec, struct act_mock_app **out,
                                 struct act_error *err)
{
    *out = NULL;
    struct act_mock_app *a = act_calloc(1, sizeof(*a));
    if (!a)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    a->spec = spec;
    if (act_validator_new(spec->docs, &a->v) || build_routes(a)) {
        act_mock_app_free(a);
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = a;
    return ACT_OK;
}

void act_mock_app_set_timeout(struct act_mock_app *a, long ms)
{
    a->validate_ms = ms > 0 ? ms : 0;
}

void act_mock_app_free(struct act_mock_app *a)
{
    if (!a)
        return;
    routes_free(a);
    act_validator_free(a->v);
    act_free(a);
}

/* ---------------------------------------------------------------- server */

/*
 * The server: libmicrohttpd with a thread per connection (at most
 * max_connections), so a slow client, or a request waiting for its turn, never
 * holds up another connection. The app is not reentrant (the validator
 * compiles schemas into caches on first use, the docset loads $ref files and
 * indexes positions on demand), so answering takes one mutex: a request waits
 * at most twice validate_ms for it (then 503), and holds it at most about
 * validate_ms. Receiving bodies and sending answers run in parallel. Request
 * bodies count against one budget over all connections (max_buffered): a
 * request that would go beyond it is answered 503 and its connection closed.
 * (A pool of polling threads was measured too: about half the CPU per request,
 * but a request waiting for the mutex there stalls every connection of its
 * polling thread.)
 */
struct act_mock {
    struct act_mock_app *app;
    struct MHD_Daemon *d;
    int port;
    void (*log)(void *arg, const char *line);
    void *log_arg;
    pthread_mutex_t lock; /* held while the app answers */
    int locked_init;
    atomic_llong buffered;  /* request body bytes held, over all connections */
    long long max_buffered; /* cap on buffered */
};

/* Per-connection request state: the body received so far and when it started. */
struct pending {
    struct act_buf body;
    struct timespec t0;
    long long reserved; /* bytes of m->buffered this request holds */
    int refused;        /* 413 or 503 decided: the rest of the body is dropped */
    char why[256];      /* the refusal's message */
};

/* Count n more bytes against the global budget for p; 0 when it would go beyond. */
static int reserve(struct act_mock *m, struct pending *p, long long n)
{
    long long now = atomic_fetch_add(&m->buffered, n) + n;
    if (now > m->max_buffered) {
        atomic_fetch_sub(&m->buffered, n);
        return 0;
    }
    p->reserved += n;
    return 1;
}

/* Drop p's body and give its bytes back. */
static void unreserve(struct act_mock *m, struct pending *p)
{
    act_buf_release(&p->body);
    act_buf_init(&p->body);
    atomic_fetch_sub(&m->buffered, p->reserved);
    p->reserved = 0;
}

static void refuse(struct act_mock *m, struct pending *p, int status, const char *fmt, ...)
    ACT_PRINTF(4, 5);
static void refuse(struct act_mock *m, struct pending *p, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->why, sizeof(p->why), fmt, ap);
    va_end(ap);
    p->refused = status;
    unreserve(m, p);
}

/* Keep the path as sent: the app decodes each segment itself, so %2F stays inside one. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static const char *lookup_header(void *arg, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)arg, MHD_HEADER_KIND, name);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    struct act_buf *b = cls;
    if ((b->len && act_buf_addc(b, '&')) || act_buf_adds(b, key) ||
        (value && (act_buf_addc(b, '=') || act_buf_adds(b, value))))
        return MHD_NO;
    return MHD_YES;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    struct act_mock *m = cls;
    struct pending *p = *con_cls;
    if (p) {
        unreserve(m, p);
        act_buf_release(&p->body);
        act_free(p);
        *con_cls = NULL;
    }
}

/* Queue r; close the connection after it when close_after (a refused body). */
static enum MHD_Result queue(struct MHD_Connection *c, const struct act_mock_reply *r,
                             int close_after)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->body ? r->body_len : 0, r->body ? r->body : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    for (size_t i = 0; i < r->n_hdrs; i++)
        MHD_add_response_header(resp, r->hdrs[i].name, r->hdrs[i].value);
    if (close_after)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* One log line: method, path and query as sent, status, milliseconds. */
static void log_request(struct act_mock *m, const struct pending *p, const char *method,
                        const char *url, const struct act_buf *q, int status)
{
    if (!m->log)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms =
        (double)(t1.tv_sec - p->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - p->t0.tv_nsec) / 1e6;
    char line[ACT_ECHO_SIZE * 2 + 128], ep[ACT_ECHO_SIZE], eq[ACT_ECHO_SIZE], em[64];
    act_echo(ep, sizeof(ep), url, strlen(url));
    act_echo(eq, sizeof(eq), q ? q->data : "", q ? q->len : 0);
    act_echo(em, sizeof(em), method, strlen(method));
    snprintf(line, sizeof(line), "%s %s%s%s %d %.1f ms", em, ep, q && q->len ? "?" : "", eq, status,
             ms);
    m->log(m->log_arg, line);
}

/* r: status with the body {"errors": [text]} (no body when out of memory). */
static void reply_message(struct act_mock_reply *r, int status, const char *text)
{
    memset(r, 0, sizeof(*r));
    cJSON *o = cJSON_CreateObject();
    cJSON *arr = o ? cJSON_AddArrayToObject(o, "errors") : NULL;
    cJSON *s = arr ? cJSON_CreateString(text) : NULL;
    if (s)
        cJSON_AddItemToArray(arr, s);
    if (!s || set_json(r, status, o)) {
        act_mock_reply_release(r);
        r->status = status;
    }
    cJSON_Delete(o);
}

/* Answer the refusal p holds ({"errors": [why]}) and close the connection. */
static enum MHD_Result answer_refusal(struct act_mock *m, struct MHD_Connection *c,
                                      struct pending *p, const char *method, const char *url)
{
    struct act_mock_reply r;
    reply_message(&r, p->refused, p->why);
    enum MHD_Result ret = queue(c, &r, 1);
    log_request(m, p, method, url, NULL, r.status);
    act_mock_reply_release(&r);
    return ret;
}

/*
 * Take the app's lock. With a time limit per request, a request waits at most
 * twice that limit for its turn (behind one request using its whole time, and
 * then some): 0 when it could not, and the caller answers 503.
 */
static int app_lock(struct act_mock *m)
{
    long ms = m->app->validate_ms;
    if (ms <= 0)
        return pthread_mutex_lock(&m->lock) == 0;
    /* timedlock, not clocklock on CLOCK_MONOTONIC: ThreadSanitizer knows only the
     * former, and a jump of the wall clock merely changes one wait. */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    add_ms(&until, 2 * ms);
    return pthread_mutex_timedlock(&m->lock, &until) == 0;
}

/* "64 MiB" for a byte count that is a whole number of MiB, else "N bytes". */
static const char *size_text(long long n, char *buf, size_t size)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        snprintf(buf, size, "%lld MiB", n / (1024 * 1024));
    else
        snprintf(buf, size, "%lld bytes", n);
    return buf;
}

/* The first call for a request: refuse a declared body that cannot be held. */
static void admit(struct act_mock *m, struct MHD_Connection *c, struct pending *p)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (!cl)
        return; /* chunked, or no body: counted as it arrives */
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    char a[64], b[64];
    if (errno || end == cl || *end || n > (unsigned long long)ACT_MAX_BODY_BYTES)
        refuse(m, p, 413, "request body of %s bytes is larger than the mock accepts (%s)", cl,
               size_text(ACT_MAX_BODY_BYTES, a, sizeof(a)));
    else if (n && !reserve(m, p, (long long)n))
        refuse(m, p, 503,
               "request body of %s does not fit: the mock holds at most %s of request bodies at "
               "once (--max-buffered), try again later",
               size_text((long long)n, a, sizeof(a)), size_text(m->max_buffered, b, sizeof(b)));
    else if (n && act_buf_grow(&p->body, (size_t)n))
        refuse(m, p, 503, "out of memory for a request body of %s",
               size_text((long long)n, a, sizeof(a)));
}

/* A piece of the body: keep it, within the request's and the global limits. */
static void take(struct act_mock *m, struct pending *p, const char *data, size_t n)
{
    char a[64], b[64];
    if (p->refused)
        return;
    long long need = (long long)(p->body.len + n);
    if (need > ACT_MAX_BODY_BYTES)
        refuse(m, p, 413, "request body is larger than the mock accepts (%s)",
               size_text(ACT_MAX_BODY_BYTES, a, sizeof(a)));
    else if (need > p->reserved && !reserve(m, p, need - p->reserved))
        refuse(m, p, 503,
               "request body does not fit: the mock holds at most %s of request bodies at once "
               "(--max-buffered), try again later",
               size_text(m->max_buffered, b, sizeof(b)));
    else if (act_buf_add(&p->body, data, n))
        refuse(m, p, 503, "out of memory for a request body of %s", size_text(need, a, sizeof(a)));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    struct act_mock *m = cls;
    struct pending *p = *con_cls;
    if (!p) {
        p = act_calloc(1, sizeof(*p));
        if (!p)
            return MHD_NO;
        act_buf_init(&p->body);
        clock_gettime(CLOCK_MONOTONIC, &p->t0);
        *con_cls = p;
        admit(m, c, p);
        /* Refused before its body: answered now, the body is never read. */
        return p->refused ? answer_refusal(m, c, p, method, url) : MHD_YES;
    }
    if (*upload_size) {
        take(m, p, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (p->refused)
        return answer_refusal(m, c, p, method, url);
    struct act_buf q;
    act_buf_init(&q);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &q);
    struct act_mock_req req = {
        .method = method,
        .path = url,
        .query = q.len ? q.data : NULL,
        .header = lookup_header,
        .header_arg = c,
        .body = p->body.data,
        .body_len = p->body.len,
    };
    struct act_mock_reply r;
    memset(&r, 0, sizeof(r));
    if (app_lock(m)) {
        enum act_status st = act_mock_app_answer(m->app, &req, m->log, m->log_arg, &r);
        pthread_mutex_unlock(&m->lock);
        if (st) {
            act_mock_reply_release(&r);
            r.status = 500;
        }
    } else {
        char why[256];
        snprintf(why, sizeof(why),
                 "the mock is busy with other requests, try again later (a request waits at "
                 "most %g s for its turn: twice --validate-timeout)",
                 (double)m->app->validate_ms / 500);
        reply_message(&r, 503, why);
    }
    unreserve(m, p); /* the body is no longer needed */
    enum MHD_Result ret = queue(c, &r, 0);
    log_request(m, p, method, url, &q, r.status);
    act_buf_release(&q);
    act_mock_reply_release(&r);
    return ret;
}

/* Bind and listen on host:port; *fd the socket, *bound the port it got. */
static enum act_status listen_on(const char *host, int port, int *fd, int *bound,
                                 struct act_error *err)
{
    struct addrinfo hints = {0}, *res = NULL;
    char ps[16];
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(ps, sizeof(ps), "%d", port);
    int gai = getaddrinfo(host, ps, &hints, &res);
    if (gai)
        return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0, "cannot use host \"%s\": %s", host,
                             gai_strerror(gai));
    int s = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
    if (s < 0) {
        freeaddrinfo(res);
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "cannot create a socket: %s",
                             strerror(errno));
    }
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(s, res->ai_addr, res->ai_addrlen) != 0 || listen(s, 128) != 0) {
        int e = errno;
        close(s);
        freeaddrinfo(res);
        if (e == EADDRINUSE)
            return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                                 "address %s:%d is already in use", host, port);
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "cannot listen on %s:%d: %s", host,
                             port, strerror(e));
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    *bound = port;
    if (getsockname(s, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET)
            *bound = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            *bound = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    *fd = s;
    return ACT_OK;
}

enum act_status act_mock_start(struct act_spec *spec, const struct act_mock_opts *opts,
                               struct act_mock **out, struct act_error *err)
{
    *out = NULL;
    const char *host = opts->host ? opts->host : "127.0.0.1";
    if (opts->port < 0 || opts->port > 65535)
        return act_error_set(err, ACT_ERR_USAGE, NULL, 0, 0, "port %d is outside 0-65535",
                             opts->port);
    struct act_mock *m = act_calloc(1, sizeof(*m));
    if (!m)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    m->log = opts->log;
    m->log_arg = opts->log_arg;
    m->max_buffered = opts->max_buffered > 0 ? opts->max_buffered : ACT_MOCK_MAX_BUFFERED;
    atomic_init(&m->buffered, 0);
    /* Adaptive: answers are short, so a waiter spins a little before it sleeps. */
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ADAPTIVE_NP);
    int mrc = pthread_mutex_init(&m->lock, &ma);
    pthread_mutexattr_destroy(&ma);
    if (mrc) {
        act_free(m);
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    m->locked_init = 1;
    enum act_status st = act_mock_app_new(spec, &m->app, err);
    if (!st) {
        m->app->valid_only = opts->valid_only;
        act_validator_set_max_steps(m->app->v, opts->max_validation_steps);
        act_mock_app_set_timeout(m->app, opts->validate_ms);
    }
    int fd = -1;
    if (!st)
        st = listen_on(host, opts->port, &fd, &m->port, err);
    if (st) {
        act_mock_free(m);
        return st;
    }
    unsigned conns =
        opts->max_connections > 0 ? (unsigned)opts->max_connections : ACT_MOCK_MAX_CONNECTIONS;
    unsigned idle = opts->idle_timeout > 0 ? (unsigned)opts->idle_timeout : ACT_MOCK_IDLE_TIMEOUT;
    m->d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, handle, m,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, completed, m, MHD_OPTION_CONNECTION_TIMEOUT, idle,
        MHD_OPTION_CONNECTION_LIMIT, conns, MHD_OPTION_END);
    if (!m->d) {
        close(fd);
        act_mock_free(m);
        return act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                             "cannot start the HTTP server on %s:%d", host, opts->port);
    }
    *out = m;
    return ACT_OK;
}

int act_mock_port(const struct act_mock *m)
{
    return m->port;
}

void act_mock_free(struct act_mock *m)
{
    if (!m)
        return;
    if (m->d)
        MHD_stop_daemon(m->d);
    act_mock_app_free(m->app);
    if (m->locked_init)
        pthread_mutex_destroy(&m->lock);
    act_free(m);
}
