/*
 * criteria.c - Arazzo 1.0.1 Criterion Objects (see criteria.h): the simple condition
 * language (a small recursive-descent parser and evaluator), and the regex and jsonpath
 * types on a runtime-expression context.
 *
 * In a simple condition a runtime expression ends at a blank, a parenthesis, a bracket,
 * or an operator (== != < <= > >= && ||), since its NAME could otherwise run to the end
 * of the condition; [N], ['key'] and .key after it index into its value (the spec's []
 * and . operators), and $response.body.key reads the body's member key.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "process/criteria.h"
#include "process/expr.h"
#include "process/jsonpath.h"
#include "process/process_int.h"
#include "validator/validator_int.h"

/* ---- the simple condition tree ---------------------------------------------------------- */

enum ckind { C_OR, C_AND, C_NOT, C_CMP, C_EXPR, C_LIT };
enum cop { CO_EQ, CO_NE, CO_LT, CO_LE, CO_GT, CO_GE };

struct cidx {
    char *key;         /* ['key'], owned; NULL for [N] */
    long n;            /* [N] */
    struct cidx *next; /* the next index */
};

struct cnode {
    enum ckind kind;      /* node kind */
    struct cnode *a, *b;  /* operands */
    enum cop op;          /* C_CMP */
    struct act_rtexpr *e; /* C_EXPR, owned */
    cJSON *lit;           /* C_LIT, owned */
    struct cidx *idx;     /* indexes after an operand, owned */
    size_t off, len;      /* the operand's text in the condition */
};

struct cparser {
    const char *s;               /* the condition */
    size_t n, i;                 /* its length, the read position */
    int depth;                   /* nesting */
    enum act_status st;          /* the first failure */
    size_t err_at;               /* its offset */
    char msg[ACT_ERROR_MSG_MAX]; /* its message */
    int (*fn)(const struct act_rtexpr *e, size_t off, void *arg); /* each expression */
    void *arg;                                                    /* fn's argument */
};

static void cfree(struct cnode *c)
{
    if (!c)
        return;
    cfree(c->a);
    cfree(c->b);
    act_rtexpr_free(c->e);
    cJSON_Delete(c->lit);
    for (struct cidx *x = c->idx, *nx; x; x = nx) {
        nx = x->next;
        act_free(x->key);
        act_free(x);
    }
    act_free(c);
}

static struct cnode *cfail(struct cparser *p, size_t at, const char *msg)
{
    if (!p->st) {
        p->st = ACT_ERR_PARSE;
        p->err_at = at;
        snprintf(p->msg, sizeof p->msg, "%s", msg);
    }
    return NULL;
}

static struct cnode *cnomem(struct cparser *p)
{
    if (!p->st)
        p->st = ACT_ERR_NOMEM;
    return NULL;
}

static void blanks(struct cparser *p)
{
    while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
        p->i++;
}

static int at(const struct cparser *p, const char *tok)
{
    size_t l = strlen(tok);
    return p->n - p->i >= l && memcmp(p->s + p->i, tok, l) == 0;
}

static int ends_expression(const struct cparser *p, size_t j)
{
    char c = p->s[j];
    if (isspace((unsigned char)c) || strchr("()[]<>", c))
        return 1;
    if (j + 1 < p->n) {
        char d = p->s[j + 1];
        if ((c == '=' && d == '=') || (c == '!' && d == '=') || (c == '&' && d == '&') ||
            (c == '|' && d == '|'))
            return 1;
    }
    return 0;
}

static struct cnode *cnew(struct cparser *p, enum ckind k)
{
    struct cnode *c = act_calloc(1, sizeof *c);
    if (!c)
        return cnomem(p);
    c->kind = k;
    return c;
}

/* A '...' literal ('' is a quote) at p->i into a new string. */
/* A JSON value's text for a message: cJSON has escaped its control characters and
 * quotes already, so it is only clipped (at ACT_MAX_ECHO bytes, never inside a UTF-8
 * sequence, "..." added). Returns buf. */
static const char *json_echo(char *buf, size_t size, const char *json)
{
    size_t n = strlen(json), max = size > ACT_MAX_ECHO + 4 ? ACT_MAX_ECHO : size - 4;
    int clipped = n > max;
    if (clipped) {
        n = max;
        while (n && ((unsigned char)json[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, json, n);
    memcpy(buf + n, clipped ? "..." : "", clipped ? 4 : 1);
    return buf;
}

static char *quoted(struct cparser *p)
{
    size_t start = p->i++;
    struct act_buf b;
    act_buf_init(&b);
    for (;;) {
        if (p->i >= p->n) {
            act_buf_release(&b);
            cfail(p, start, "a string without its closing quote");
            return NULL;
        }
        if (p->s[p->i] == '\'') {
            if (p->i + 1 < p->n && p->s[p->i + 1] == '\'') {
                if (act_buf_addc(&b, '\''))
                    goto nomem;
                p->i += 2;
                continue;
            }
            p->i++;
            break;
        }
        if (act_buf_addc(&b, p->s[p->i++]))
            goto nomem;
    }
    char *r = act_buf_detach(&b, NULL);
    if (!r)
        cnomem(p);
    return r;
nomem:
    act_buf_release(&b);
    cnomem(p);
    return NULL;
}

static struct cnode *c_or(struct cparser *p);

static int indexes(struct cparser *p, struct cnode *c)
{
    struct cidx **tail = &c->idx;
    while (p->i < p->n && (p->s[p->i] == '[' || p->s[p->i] == '.')) {
        if (p->s[p->i] == '.') {
            /* .name: a member, as ['name'] */
            size_t k = ++p->i;
            while (k < p->n && (isalnum((unsigned char)p->s[k]) || p->s[k] == '_' ||
                                p->s[k] == '-' || p->s[k] == '$'))
                k++;
            if (k == p->i)
                return cfail(p, p->i, "expected a member name after '.'"), -1;
            struct cidx *x = act_calloc(1, sizeof *x);
            if (!x || !(x->key = act_strndup(p->s + p->i, k - p->i))) {
                act_free(x);
                return cnomem(p), -1;
            }
            *tail = x;
            tail = &x->next;
            p->i = k;
            c->len = p->i - c->off;
            continue;
        }
        size_t open = p->i++;
        blanks(p);
        struct cidx *x = act_calloc(1, sizeof *x);
        if (!x)
            return cnomem(p), -1;
        *tail = x;
        tail = &x->next;
        if (p->i < p->n && p->s[p->i] == '\'') {
            if (!(x->key = quoted(p)))
                return -1;
        } else if (p->i < p->n && isdigit((unsigned char)p->s[p->i])) {
            char *end;
            errno = 0;
            x->n = strtol(p->s + p->i, &end, 10);
            if (errno || x->n > 1000000000L)
                return cfail(p, p->i, "an index too large"), -1;
            p->i = (size_t)(end - p->s);
        } else {
            return cfail(p, p->i, "expected an index or a 'key' after '['"), -1;
        }
        blanks(p);
        if (p->i >= p->n || p->s[p->i] != ']')
            return cfail(p, open, "'[' without its ']'"), -1;
        p->i++;
        c->len = p->i - c->off;
    }
    return 0;
}

static struct cnode *c_operand(struct cparser *p)
{
    blanks(p);
    size_t start = p->i;
    if (p->i >= p->n)
        return cfail(p, p->i, "expected an operand");
    char c = p->s[p->i];
    struct cnode *r;
    if (c == '$') {
        size_t j = p->i;
        while (j < p->n && !ends_expression(p, j))
            j++;
        /* $response.body.a.b: the '.' operator dereferences the body (no pointer there). */
        static const char *const bodies[] = {"$response.body.", "$request.body."};
        for (size_t k = 0; k < 2; k++)
            if (j - p->i > strlen(bodies[k]) &&
                memcmp(p->s + p->i, bodies[k], strlen(bodies[k])) == 0)
                j = p->i + strlen(bodies[k]) - 1;
        size_t off = 0;
        struct act_rtexpr *e = NULL;
        enum act_status st = act_rtexpr_parse(p->s + p->i, j - p->i, &e, &off, NULL);
        if (st == ACT_ERR_NOMEM)
            return cnomem(p);
        if (st) {
            /* Re-run for the message. */
            struct act_error err;
            act_error_init(&err);
            if (act_rtexpr_parse(p->s + p->i, j - p->i, &e, &off, &err) == ACT_ERR_NOMEM)
                return cnomem(p);
            char *cut = strstr(err.msg, " at offset");
            if (cut)
                *cut = '\0';
            return cfail(p, p->i + off, err.msg);
        }
        if (p->fn && p->fn(e, p->i, p->arg)) {
            act_rtexpr_free(e);
            return cfail(p, p->i, "stopped");
        }
        if (!(r = cnew(p, C_EXPR))) {
            act_rtexpr_free(e);
            return NULL;
        }
        r->e = e;
        p->i = j;
    } else {
        if (!(r = cnew(p, C_LIT)))
            return NULL;
        if (c == '\'') {
            char *t = quoted(p);
            if (!t) {
                cfree(r);
                return NULL;
            }
            r->lit = cJSON_CreateString(t);
            act_free(t);
        } else if (isdigit((unsigned char)c) ||
                   (c == '-' && p->i + 1 < p->n && isdigit((unsigned char)p->s[p->i + 1]))) {
            char *end;
            double d = strtod(p->s + p->i, &end);
            size_t j = (size_t)(end - p->s);
            if (j > p->n || (j < p->n && (isalpha((unsigned char)p->s[j]) || p->s[j] == '.'))) {
                cfree(r);
                return cfail(p, p->i, "a malformed number");
            }
            p->i = j;
            r->lit = cJSON_CreateNumber(d);
        } else if (at(p, "true") || at(p, "false") || at(p, "null")) {
            size_t l = at(p, "true") ? 4 : at(p, "null") ? 4 : 5;
            if (p->i + l < p->n &&
                (isalnum((unsigned char)p->s[p->i + l]) || p->s[p->i + l] == '_')) {
                cfree(r);
                return cfail(p, p->i,
                             "expected an operand: $expression, number, 'string', "
                             "true, false or null");
            }
            r->lit = c == 't'   ? cJSON_CreateTrue()
                     : c == 'f' ? cJSON_CreateFalse()
                                : cJSON_CreateNull();
            p->i += l;
        } else {
            cfree(r);
            return cfail(p, p->i,
                         "expected an operand: $expression, number, 'string', true, "
                         "false, null, '!' or '('");
        }
        if (!r->lit) {
            cfree(r);
            return cnomem(p);
        }
    }
    r->off = start;
    r->len = p->i - start;
    if (indexes(p, r)) {
        cfree(r);
        return NULL;
    }
    return r;
}

static struct cnode *c_unary(struct cparser *p)
{
    if (++p->depth > ACT_MAX_EXPR_DEPTH)
        return cfail(p, p->i, "nested deeper than ACT_MAX_EXPR_DEPTH");
    blanks(p);
    struct cnode *r;
    if (p->i < p->n && p->s[p->i] == '!' && !at(p, "!=")) {
        p->i++;
        struct cnode *a = c_unary(p);
        if (!a)
            return NULL;
        if (!(r = cnew(p, C_NOT))) {
            cfree(a);
            return NULL;
        }
        r->a = a;
    } else if (p->i < p->n && p->s[p->i] == '(') {
        size_t open = p->i++;
        if (!(r = c_or(p)))
            return NULL;
        blanks(p);
        if (p->i >= p->n || p->s[p->i] != ')') {
            cfree(r);
            return cfail(p, open, "'(' without its ')'");
        }
        p->i++;
    } else {
        struct cnode *a = c_operand(p);
        if (!a)
            return NULL;
        blanks(p);
        static const struct {
            const char *t;
            enum cop op;
        } ops[] = {{"==", CO_EQ}, {"!=", CO_NE}, {"<=", CO_LE},
                   {">=", CO_GE}, {"<", CO_LT},  {">", CO_GT}};
        size_t k;
        for (k = 0; k < sizeof ops / sizeof *ops; k++)
            if (at(p, ops[k].t))
                break;
        if (k == sizeof ops / sizeof *ops) {
            r = a;
        } else {
            p->i += strlen(ops[k].t);
            struct cnode *b = c_operand(p);
            if (!b || !(r = cnew(p, C_CMP))) {
                cfree(a);
                cfree(b);
                return NULL;
            }
            r->op = ops[k].op;
            r->a = a;
            r->b = b;
        }
    }
    p->depth--;
    return r;
}

static struct cnode *c_binary(struct cparser *p, int is_or)
{
    if (++p->depth > ACT_MAX_EXPR_DEPTH)
        return cfail(p, p->i, "nested deeper than ACT_MAX_EXPR_DEPTH");
    struct cnode *l = is_or ? c_binary(p, 0) : c_unary(p);
    while (l) {
        blanks(p);
        if (!at(p, is_or ? "||" : "&&"))
            break;
        p->i += 2;
        struct cnode *r = is_or ? c_binary(p, 0) : c_unary(p), *x;
        if (!r || !(x = cnew(p, is_or ? C_OR : C_AND))) {
            cfree(l);
            cfree(r);
            return NULL;
        }
        x->a = l;
        x->b = r;
        l = x;
    }
    p->depth--;
    return l;
}

static struct cnode *c_or(struct cparser *p)
{
    return c_binary(p, 1);
}

static enum act_status cparse(const char *cond, struct cnode **out, size_t *err_off,
                              struct act_error *err,
                              int (*fn)(const struct act_rtexpr *, size_t, void *), void *arg)
{
    struct cparser p = {.s = cond, .n = strlen(cond), .fn = fn, .arg = arg};
    *out = NULL;
    struct cnode *r = c_or(&p);
    if (r) {
        blanks(&p);
        if (p.i < p.n) {
            cfree(r);
            r = NULL;
            cfail(&p, p.i,
                  p.s[p.i] == ')'   ? "')' without its '('"
                  : p.s[p.i] == '=' ? "'=' is not an operator (use ==)"
                                    : "expected an operator");
        }
    }
    if (!r) {
        if (p.st == ACT_ERR_NOMEM)
            return ACT_ERR_NOMEM;
        if (err_off)
            *err_off = p.err_at;
        char echo[ACT_ECHO_SIZE];
        return act_error_set(err, ACT_ERR_PARSE, NULL, 0, 0, "condition '%s': %s at offset %zu",
                             act_echo(echo, sizeof echo, cond, strlen(cond)), p.msg, p.err_at);
    }
    *out = r;
    return ACT_OK;
}

/* ---- evaluating a simple condition ------------------------------------------------------ */

struct ceval {
    const cJSON *scope;   /* the scope */
    const char *cond;     /* the condition's text (for why) */
    struct act_buf *seen; /* "operand = value" notes, or NULL */
    struct act_error *err;
};

/* The value of an operand, a new cJSON (NULL = absent). */
static enum act_status operand(struct ceval *x, const struct cnode *c, cJSON **v)
{
    *v = NULL;
    enum act_status st;
    if (c->kind == C_LIT) {
        if (!(*v = cJSON_Duplicate(c->lit, 1)))
            return ACT_ERR_NOMEM;
    } else if ((st = act_rtexpr_eval(c->e, x->scope, v, x->err))) {
        return st;
    }
    for (const struct cidx *i = c->idx; i && *v; i = i->next) {
        cJSON *n =
            i->key
                ? (cJSON_IsObject(*v) ? cJSON_DetachItemFromObjectCaseSensitive(*v, i->key) : NULL)
            : cJSON_IsArray(*v) ? cJSON_DetachItemFromArray(*v, (int)i->n)
                                : NULL;
        cJSON_Delete(*v);
        *v = n;
    }
    if (*v)
        act_cjson_unname(*v);
    if (c->kind == C_EXPR && x->seen) {
        char echo[ACT_ECHO_SIZE], val[ACT_ECHO_SIZE];
        char *t = *v ? cJSON_PrintUnformatted(*v) : NULL;
        if (*v && !t) {
            cJSON_Delete(*v);
            *v = NULL;
            return ACT_ERR_NOMEM;
        }
        st = act_buf_printf(x->seen, "%s%s is %s", x->seen->len ? ", " : "",
                            act_echo(echo, sizeof echo, x->cond + c->off, c->len),
                            t ? json_echo(val, sizeof val, t) : "absent");
        cJSON_free(t);
        if (st) {
            cJSON_Delete(*v);
            *v = NULL;
            return st;
        }
    }
    return ACT_OK;
}

/* A string that reads wholly as a number. */
static int as_number(const cJSON *v, double *d)
{
    if (cJSON_IsNumber(v)) {
        *d = v->valuedouble;
        return 1;
    }
    if (!cJSON_IsString(v) || !*v->valuestring || isspace((unsigned char)*v->valuestring))
        return 0;
    char *end;
    *d = strtod(v->valuestring, &end);
    return *end == '\0' && isfinite(*d);
}

/* -2 not comparable, else <0, 0, >0. */
static int compare(const cJSON *a, const cJSON *b)
{
    double x, y;
    if (!a || cJSON_IsNull(a))
        return (!b || cJSON_IsNull(b)) ? 0 : -2;
    if (!b || cJSON_IsNull(b))
        return -2;
    if ((cJSON_IsNumber(a) || cJSON_IsNumber(b)) && as_number(a, &x) && as_number(b, &y))
        return x < y ? -1 : x > y ? 1 : 0;
    if (cJSON_IsString(a) && cJSON_IsString(b)) {
        int r = strcasecmp(a->valuestring, b->valuestring);
        return r < 0 ? -1 : r > 0 ? 1 : 0;
    }
    if (cJSON_IsBool(a) && cJSON_IsBool(b))
        return cJSON_IsTrue(a) == cJSON_IsTrue(b) ? 0 : -2;
    if ((cJSON_IsArray(a) && cJSON_IsArray(b)) || (cJSON_IsObject(a) && cJSON_IsObject(b)))
        return cJSON_Compare(a, b, 1) ? 0 : -2;
    return -2;
}

static int truthy(const cJSON *v)
{
    if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
        return 0;
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0;
    if (cJSON_IsString(v))
        return *v->valuestring != '\0';
    return 1;
}

static enum act_status ceval(struct ceval *x, const struct cnode *c, int *r)
{
    enum act_status st;
    int a;
    cJSON *l = NULL, *rv = NULL;
    switch (c->kind) {
    case C_OR:
    case C_AND:
        if ((st = ceval(x, c->a, &a)))
            return st;
        if ((c->kind == C_OR) == (a != 0)) {
            *r = a;
            return ACT_OK;
        }
        return ceval(x, c->b, r);
    case C_NOT:
        if ((st = ceval(x, c->a, &a)))
            return st;
        *r = !a;
        return ACT_OK;
    case C_CMP:
        if ((st = operand(x, c->a, &l)) || (st = operand(x, c->b, &rv))) {
            cJSON_Delete(l);
            return st;
        }
        a = compare(l, rv);
        switch (c->op) {
        case CO_EQ: *r = a == 0; break;
        case CO_NE: *r = a != 0; break;
        case CO_LT: *r = a == -1; break;
        case CO_LE: *r = a == -1 || a == 0; break;
        case CO_GT: *r = a == 1; break;
        case CO_GE: *r = a == 1 || a == 0; break;
        }
        cJSON_Delete(l);
        cJSON_Delete(rv);
        return ACT_OK;
    default:
        if ((st = operand(x, c, &l)))
            return st;
        *r = truthy(l);
        cJSON_Delete(l);
        return ACT_OK;
    }
}

/* ---- the Criterion Object --------------------------------------------------------------- */

enum ctype { CT_SIMPLE, CT_REGEX, CT_JSONPATH };

struct crit {
    enum ctype type;     /* which language */
    const char *cond;    /* condition */
    const char *context; /* context, or NULL */
};

static enum act_status crit_read(const cJSON *c, struct crit *out, enum act_criterion_field *field,
                                 struct act_error *err)
{
    enum act_criterion_field f = ACT_CRIT_OBJECT;
    enum act_status st = ACT_ERR_INVALID;
    char echo[ACT_ECHO_SIZE];
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(c)) {
        st = act_error_set(err, st, NULL, 0, 0, "a criterion must be an object");
        goto fail;
    }
    const cJSON *cond = cJSON_GetObjectItemCaseSensitive(c, "condition");
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(c, "context");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(c, "type");
    if (!cJSON_IsString(cond)) {
        f = ACT_CRIT_CONDITION;
        st = act_error_set(err, st, NULL, 0, 0,
                           cond ? "a criterion's condition must be a string"
                                : "a criterion needs a condition");
        goto fail;
    }
    out->cond = cond->valuestring;
    if (ctx && !cJSON_IsString(ctx)) {
        f = ACT_CRIT_CONTEXT;
        st = act_error_set(err, st, NULL, 0, 0, "a criterion's context must be a string");
        goto fail;
    }
    out->context = ctx ? ctx->valuestring : NULL;
    const char *tname = NULL;
    if (cJSON_IsString(type)) {
        tname = type->valuestring;
    } else if (cJSON_IsObject(type)) {
        const cJSON *tn = cJSON_GetObjectItemCaseSensitive(type, "type");
        const cJSON *ver = cJSON_GetObjectItemCaseSensitive(type, "version");
        f = ACT_CRIT_TYPE;
        if (!cJSON_IsString(tn) || !cJSON_IsString(ver)) {
            st = act_error_set(err, st, NULL, 0, 0,
                               "a criterion expression type object needs a type and a version");
            goto fail;
        }
        tname = tn->valuestring;
        /* Arazzo 1.0.1 names the draft; 1.1 adds rfc9535, which is what runs either way. */
        if (strcmp(tname, "jsonpath") == 0 &&
            strcmp(ver->valuestring, "draft-goessner-dispatch-jsonpath-00") != 0 &&
            strcmp(ver->valuestring, "rfc9535") != 0) {
            st = act_error_set(
                err, ACT_ERR_UNSUPPORTED, NULL, 0, 0,
                "unknown jsonpath version '%s' (draft-goessner-dispatch-"
                "jsonpath-00 is known)",
                act_echo(echo, sizeof echo, ver->valuestring, strlen(ver->valuestring)));
            goto fail;
        }
    } else if (type) {
        f = ACT_CRIT_TYPE;
        st = act_error_set(err, st, NULL, 0, 0,
                           "a criterion's type must be a string or a type object");
        goto fail;
    }
    f = ACT_CRIT_TYPE;
    if (!tname || strcmp(tname, "simple") == 0) {
        out->type = CT_SIMPLE;
        if (!tname && out->context) {
            st = act_error_set(err, st, NULL, 0, 0,
                               "a criterion with a context needs a type (simple, regex or "
                               "jsonpath)");
            goto fail;
        }
    } else if (strcmp(tname, "regex") == 0) {
        out->type = CT_REGEX;
    } else if (strcmp(tname, "jsonpath") == 0) {
        out->type = CT_JSONPATH;
    } else if (strcmp(tname, "xpath") == 0) {
        st =
            act_error_set(err, ACT_ERR_UNSUPPORTED, NULL, 0, 0, "xpath criteria are not supported");
        goto fail;
    } else {
        st = act_error_set(err, st, NULL, 0, 0,
                           "unknown criterion type '%s' (simple, regex, jsonpath)",
                           act_echo(echo, sizeof echo, tname, strlen(tname)));
        goto fail;
    }
    if (out->type != CT_SIMPLE && !out->context) {
        f = ACT_CRIT_CONTEXT;
        st = act_error_set(err, st, NULL, 0, 0, "a %s criterion needs a context",
                           out->type == CT_REGEX ? "regex" : "jsonpath");
        goto fail;
    }
    return ACT_OK;
fail:
    if (field)
        *field = f;
    return st;
}

static enum act_status context_parse(const char *ctx, struct act_rtexpr **e, size_t *err_off,
                                     struct act_error *err)
{
    return act_rtexpr_parse(ctx, strlen(ctx), e, err_off, err);
}

static enum act_status regex_compile(const char *re, struct act_pattern **p, size_t *err_off,
                                     struct act_error *err)
{
    char msg[256], echo[ACT_ECHO_SIZE];
    long failed = act_alloc_failed();
    enum act_status st = act_pattern_compile(re, p, msg, sizeof msg);
    if (st == ACT_ERR_INVALID && act_alloc_failed() != failed)
        st = ACT_ERR_NOMEM;
    if (st == ACT_ERR_NOMEM || !st)
        return st;
    if (err_off)
        *err_off = 0;
    return act_error_set(err, ACT_ERR_PARSE, NULL, 0, 0, "regex '%s': %s at offset 0",
                         act_echo(echo, sizeof echo, re, strlen(re)), msg);
}

enum act_status act_criterion_check(const cJSON *criterion, const cJSON *scope, int *passed,
                                    struct act_buf *why, struct act_error *err)
{
    struct crit c;
    enum act_status st = crit_read(criterion, &c, NULL, err);
    char echo[ACT_ECHO_SIZE], echo2[ACT_ECHO_SIZE];
    if (st)
        return st;
    if (c.type == CT_SIMPLE) {
        struct cnode *tree = NULL;
        if ((st = cparse(c.cond, &tree, NULL, err, NULL, NULL)))
            return st;
        struct act_buf seen;
        act_buf_init(&seen);
        struct ceval x = {scope, c.cond, why ? &seen : NULL, err};
        int r = 0;
        st = ceval(&x, tree, &r);
        if (!st && !r && why) {
            st = act_buf_printf(why, "condition '%s' is false",
                                act_echo(echo, sizeof echo, c.cond, strlen(c.cond)));
            if (!st && seen.len)
                st = act_buf_printf(why, ": %s", seen.data);
        }
        act_buf_release(&seen);
        cfree(tree);
        if (!st)
            *passed = r;
        return st;
    }
    struct act_rtexpr *e = NULL;
    cJSON *v = NULL;
    if ((st = context_parse(c.context, &e, NULL, err)) ||
        (st = act_rtexpr_eval(e, scope, &v, err))) {
        act_rtexpr_free(e);
        return st;
    }
    act_rtexpr_free(e);
    int r = 0;
    const char *ctx_echo = act_echo(echo2, sizeof echo2, c.context, strlen(c.context));
    if (c.type == CT_REGEX) {
        struct act_pattern *pat = NULL;
        if ((st = regex_compile(c.cond, &pat, NULL, err))) {
            cJSON_Delete(v);
            return st;
        }
        char *text = NULL, *shown = NULL;
        if (v && ((!cJSON_IsString(v) && !(text = cJSON_PrintUnformatted(v))) ||
                  !(shown = cJSON_PrintUnformatted(v))))
            st = ACT_ERR_NOMEM;
        const char *s = text ? text : v ? v->valuestring : NULL;
        if (!st && s) {
            unsigned long budget = ACT_MAX_REGEX_BUDGET;
            int m = act_pattern_match(pat, s, strlen(s), &budget);
            if (m == -2)
                st = act_error_set(err, ACT_ERR_LIMIT, NULL, 0, 0,
                                   "regex '%s' took more than ACT_MAX_REGEX_STEPS steps",
                                   act_echo(echo, sizeof echo, c.cond, strlen(c.cond)));
            r = m == 1;
        }
        if (!st && !r && why) {
            char val[ACT_ECHO_SIZE];
            st = act_buf_printf(why, "regex '%s' does not match %s: %s is %s",
                                act_echo(echo, sizeof echo, c.cond, strlen(c.cond)), ctx_echo,
                                ctx_echo, shown ? json_echo(val, sizeof val, shown) : "absent");
        }
        cJSON_free(text);
        cJSON_free(shown);
        act_pattern_free(pat);
    } else {
        st = act_jsonpath_exists(c.cond, v ? v : NULL, &r, NULL, err);
        if (!v)
            r = 0;
        if (!st && !r && why)
            st = act_buf_printf(why, "jsonpath '%s' selects nothing in %s%s",
                                act_echo(echo, sizeof echo, c.cond, strlen(c.cond)), ctx_echo,
                                v ? "" : " (absent)");
    }
    cJSON_Delete(v);
    if (!st)
        *passed = r;
    return st;
}

enum act_status act_criterion_lint(const cJSON *criterion, enum act_criterion_field *field,
                                   size_t *err_off, struct act_error *err)
{
    struct crit c;
    enum act_status st = crit_read(criterion, &c, field, err);
    if (st)
        return st;
    if (c.context) {
        struct act_rtexpr *e = NULL;
        if ((st = context_parse(c.context, &e, err_off, err))) {
            if (field)
                *field = ACT_CRIT_CONTEXT;
            return st;
        }
        act_rtexpr_free(e);
    }
    if (field)
        *field = ACT_CRIT_CONDITION;
    if (c.type == CT_SIMPLE) {
        struct cnode *tree = NULL;
        st = cparse(c.cond, &tree, err_off, err, NULL, NULL);
        cfree(tree);
        return st;
    }
    if (c.type == CT_REGEX) {
        struct act_pattern *pat = NULL;
        st = regex_compile(c.cond, &pat, err_off, err);
        act_pattern_free(pat);
        return st;
    }
    return act_jsonpath_check(c.cond, err_off, err);
}

struct each_ctx {
    int (*fn)(const struct act_rtexpr *e, enum act_criterion_field f, size_t off, void *arg);
    void *arg; /* fn's argument */
    int stop;  /* fn returned non-zero */
};

static int each_cond(const struct act_rtexpr *e, size_t off, void *arg)
{
    struct each_ctx *x = arg;
    if (x->fn(e, ACT_CRIT_CONDITION, off, x->arg))
        x->stop = 1;
    return x->stop;
}

void act_criterion_each_expr(const cJSON *criterion,
                             int (*fn)(const struct act_rtexpr *e, enum act_criterion_field f,
                                       size_t off, void *arg),
                             void *arg)
{
    struct crit c;
    if (crit_read(criterion, &c, NULL, NULL))
        return;
    if (c.context) {
        struct act_rtexpr *e = NULL;
        if (!context_parse(c.context, &e, NULL, NULL)) {
            int stop = fn(e, ACT_CRIT_CONTEXT, 0, arg);
            act_rtexpr_free(e);
            if (stop)
                return;
        }
    }
    if (c.type == CT_SIMPLE) {
        struct each_ctx x = {fn, arg, 0};
        struct cnode *tree = NULL;
        if (!cparse(c.cond, &tree, NULL, NULL, each_cond, &x))
            cfree(tree);
    }
}
