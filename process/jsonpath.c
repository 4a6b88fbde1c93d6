/*
 * jsonpath.c - RFC 9535 JSONPath: a parser into a small tree (in an arena), and its
 * evaluation on cJSON values.
 *
 * The parser follows the RFC's ABNF and its validity rules: integers within the I-JSON
 * range, no "-0" or leading zeros in indexes, string escapes as in section 2.3.1.2,
 * comparisons only between literals, singular queries and functions returning a value,
 * function arguments and results checked against the types of section 2.4 (ValueType,
 * LogicalType, NodesType). Evaluation gives nodelists in the RFC's order: a descendant
 * segment visits a node before its descendants, arrays in order, objects in member
 * order. Comparisons follow section 2.3.5.2.2 (Nothing equals only Nothing, < only
 * between two numbers or two strings). match() and search() read I-Regexp (RFC 9485):
 * its '.' (any character but \n and \r) is rewritten before the ECMA-262 translation of
 * validator/pattern.c compiles it; an invalid regex makes the test false.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_arena.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_utf8.h"
#include "process/jsonpath.h"
#include "process/process_int.h"
#include "validator/validator_int.h"

/* ---- the tree --------------------------------------------------------------------------- */

enum sel_kind { SEL_NAME, SEL_WILD, SEL_INDEX, SEL_SLICE, SEL_FILTER };

struct fexpr;

struct sel {
    enum sel_kind kind;   /* which selector */
    const char *name;     /* SEL_NAME: the decoded name (may hold a NUL) */
    size_t name_len;      /* its length */
    long long idx;        /* SEL_INDEX */
    long long sl[3];      /* SEL_SLICE: start, end, step */
    int has[3];           /* which of them were given */
    struct fexpr *filter; /* SEL_FILTER: its logical expression */
    struct sel *next;     /* the next selector of the segment */
};

struct seg {
    int desc;         /* 1 for a descendant segment (..) */
    struct sel *sels; /* its selectors, in order */
    struct seg *next; /* the next segment */
};

struct query {
    int relative;     /* 1 for @, 0 for $ */
    int singular;     /* only name and index selectors, one per child segment */
    struct seg *segs; /* segments, in order */
};

enum ftype { T_VALUE, T_LOGICAL, T_NODES };
enum fkind { F_OR, F_AND, F_NOT, F_CMP, F_QUERY, F_LIT, F_FUNC };
enum fn_id { FN_LENGTH, FN_COUNT, FN_MATCH, FN_SEARCH, FN_VALUE };
enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

/* A literal, kept with its length: a string literal may hold "\u0000". */
struct lit {
    int type;        /* cJSON_String, cJSON_Number, cJSON_True, cJSON_False, cJSON_NULL */
    const char *str; /* string bytes */
    size_t len;      /* their length */
    double num;      /* number */
};

struct fexpr {
    enum fkind kind;        /* node kind */
    struct fexpr *a, *b;    /* operands (OR, AND, CMP), the operand of NOT */
    enum cmp_op op;         /* CMP */
    struct query *q;        /* QUERY */
    struct lit lit;         /* LIT */
    enum fn_id fn;          /* FUNC */
    struct fexpr *args[2];  /* FUNC arguments */
    int nargs;              /* their number */
    struct act_pattern *re; /* match/search with a literal regex: compiled once */
    int re_state;           /* 0 not compiled, 1 compiled, -1 invalid */
    struct fexpr *next_re;  /* chain of nodes holding a compiled regex (to free) */
};

/* ---- parsing ---------------------------------------------------------------------------- */

struct parser {
    const char *s;       /* the query */
    size_t n;            /* its length */
    size_t i;            /* the read position */
    int depth;           /* nesting of filters, parentheses and ! */
    struct act_arena *a; /* where the tree lives */
    struct fexpr *res;   /* nodes with compiled regexes */
    enum act_status st;  /* the first failure */
    size_t err_at;       /* its offset */
    char msg[160];       /* its message */
};

#define MAX_SAFE_INT 9007199254740991LL

static int fail(struct parser *p, size_t at, const char *msg)
{
    if (!p->st) {
        p->st = ACT_ERR_PARSE;
        p->err_at = at;
        snprintf(p->msg, sizeof p->msg, "%s", msg);
    }
    return -1;
}

static void *alloc(struct parser *p, size_t n)
{
    void *v = act_arena_alloc(p->a, n);
    if (!v && !p->st) {
        p->st = ACT_ERR_NOMEM;
        snprintf(p->msg, sizeof p->msg, "out of memory");
    }
    return v;
}

static int peek(const struct parser *p)
{
    return p->i < p->n ? (unsigned char)p->s[p->i] : -1;
}

static void skip_blank(struct parser *p)
{
    while (p->i < p->n && strchr(" \t\n\r", p->s[p->i]) && p->s[p->i])
        p->i++;
}

static int eat(struct parser *p, const char *tok)
{
    size_t l = strlen(tok);
    if (p->n - p->i >= l && memcmp(p->s + p->i, tok, l) == 0) {
        p->i += l;
        return 1;
    }
    return 0;
}

/* int = "0" / ["-"] DIGIT1 *DIGIT, within +-(2^53 - 1). */
static int parse_int(struct parser *p, long long *v)
{
    size_t at = p->i;
    int neg = eat(p, "-");
    if (peek(p) < '0' || peek(p) > '9')
        return fail(p, p->i, "expected an integer");
    if (peek(p) == '0') {
        p->i++;
        if (neg)
            return fail(p, at, "\"-0\" is not an integer here");
        if (peek(p) >= '0' && peek(p) <= '9')
            return fail(p, at, "an integer has no leading zeros");
        *v = 0;
        return 0;
    }
    long long x = 0;
    while (peek(p) >= '0' && peek(p) <= '9') {
        x = x * 10 + (p->s[p->i++] - '0');
        if (x > MAX_SAFE_INT)
            return fail(p, at, "an integer outside the range -(2^53)+1 .. (2^53)-1");
    }
    *v = neg ? -x : x;
    return 0;
}

/* A string literal, quote at p->i: its decoded bytes into the arena. */
static int parse_string(struct parser *p, const char **out, size_t *len)
{
    char q = p->s[p->i];
    size_t start = p->i++;
    struct act_buf b;
    act_buf_init(&b);
    for (;;) {
        if (p->i >= p->n) {
            act_buf_release(&b);
            return fail(p, start, "a string literal without its closing quote");
        }
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == (unsigned char)q) {
            p->i++;
            break;
        }
        if (c < 0x20) {
            act_buf_release(&b);
            return fail(p, p->i, "a control character in a string literal (escape it)");
        }
        if (c >= 0x80) {
            size_t l = act_utf8_len((const unsigned char *)p->s + p->i, p->n - p->i);
            if (!l) {
                act_buf_release(&b);
                return fail(p, p->i, "malformed UTF-8 in a string literal");
            }
            if (act_buf_add(&b, p->s + p->i, l))
                goto nomem;
            p->i += l;
            continue;
        }
        if (c != '\\') {
            if (act_buf_addc(&b, (char)c))
                goto nomem;
            p->i++;
            continue;
        }
        size_t used = 0;
        const char *why = NULL;
        char own[2] = {q, 0};
        enum act_status st = act_unescape(p->s + p->i, p->n - p->i, own, &b, &used, &why);
        if (st == ACT_ERR_NOMEM)
            goto nomem;
        if (st) {
            act_buf_release(&b);
            return fail(p, p->i, why);
        }
        p->i += used;
    }
    char *m = alloc(p, b.len + 1);
    if (!m) {
        act_buf_release(&b);
        return -1;
    }
    memcpy(m, b.data, b.len + 1);
    *out = m;
    *len = b.len;
    act_buf_release(&b);
    return 0;
nomem:
    act_buf_release(&b);
    if (!p->st) {
        p->st = ACT_ERR_NOMEM;
        snprintf(p->msg, sizeof p->msg, "out of memory");
    }
    return -1;
}

/* name-first = ALPHA / "_" / %x80-D7FF / %xE000-10FFFF (any non-ASCII scalar value). */
static size_t name_char(const struct parser *p, int first)
{
    if (p->i >= p->n)
        return 0;
    unsigned char c = (unsigned char)p->s[p->i];
    if (c >= 0x80)
        return act_utf8_len((const unsigned char *)p->s + p->i, p->n - p->i);
    if (isalpha(c) || c == '_' || (!first && isdigit(c)))
        return 1;
    return 0;
}

static int parse_shorthand(struct parser *p, struct sel *s)
{
    size_t start = p->i, l;
    if (!name_char(p, 1))
        return fail(p, p->i, "expected a member name, '*' or '['");
    while ((l = name_char(p, p->i == start)) > 0)
        p->i += l;
    s->kind = SEL_NAME;
    s->name = p->s + start;
    s->name_len = p->i - start;
    return 0;
}

static struct fexpr *parse_or(struct parser *p);
static struct query *parse_query(struct parser *p);

static int parse_selector(struct parser *p, struct sel *s)
{
    int c = peek(p);
    if (c == '\'' || c == '"') {
        s->kind = SEL_NAME;
        return parse_string(p, &s->name, &s->name_len);
    }
    if (c == '*') {
        p->i++;
        s->kind = SEL_WILD;
        return 0;
    }
    if (c == '?') {
        p->i++;
        skip_blank(p);
        s->kind = SEL_FILTER;
        s->filter = parse_or(p);
        return s->filter ? 0 : -1;
    }
    if (c == ':' || c == '-' || (c >= '0' && c <= '9')) {
        /* index = int; slice = [start S] ":" S [end S] [":" [S step]] */
        if (c != ':') {
            if (parse_int(p, &s->sl[0]))
                return -1;
            s->has[0] = 1;
            size_t save = p->i;
            skip_blank(p);
            if (peek(p) != ':') {
                p->i = save;
                s->kind = SEL_INDEX;
                s->idx = s->sl[0];
                return 0;
            }
        }
        p->i++; /* ':' */
        skip_blank(p);
        c = peek(p);
        if (c == '-' || (c >= '0' && c <= '9')) {
            if (parse_int(p, &s->sl[1]))
                return -1;
            s->has[1] = 1;
        }
        size_t save = p->i;
        skip_blank(p);
        if (eat(p, ":")) {
            skip_blank(p);
            c = peek(p);
            if (c == '-' || (c >= '0' && c <= '9')) {
                if (parse_int(p, &s->sl[2]))
                    return -1;
                s->has[2] = 1;
            }
        } else {
            p->i = save;
        }
        s->kind = SEL_SLICE;
        return 0;
    }
    return fail(p, p->i, "expected a selector: a quoted name, '*', an index, a slice or '?'");
}

static int parse_bracket(struct parser *p, struct sel **out)
{
    struct sel **tail = out;
    p->i++; /* '[' */
    skip_blank(p);
    for (;;) {
        struct sel *s = alloc(p, sizeof *s);
        if (!s || parse_selector(p, s))
            return -1;
        *tail = s;
        tail = &s->next;
        skip_blank(p);
        if (eat(p, "]"))
            return 0;
        if (!eat(p, ","))
            return fail(p, p->i, "expected ',' or ']'");
        skip_blank(p);
    }
}

/* The segments after the root identifier; singular noted in q. */
static int parse_segments(struct parser *p, struct query *q)
{
    struct seg **tail = &q->segs;
    q->singular = 1;
    for (;;) {
        size_t save = p->i;
        skip_blank(p);
        int c = peek(p);
        if (c != '[' && c != '.') {
            p->i = save;
            return 0;
        }
        struct seg *g = alloc(p, sizeof *g);
        if (!g)
            return -1;
        int dots = eat(p, "..") ? 2 : eat(p, ".") ? 1 : 0;
        if (dots == 2) {
            g->desc = 1;
            q->singular = 0;
        }
        if (dots == 0 || (dots == 2 && peek(p) == '[')) {
            if (parse_bracket(p, &g->sels))
                return -1;
        } else {
            /* .name, .*, ..name, ..* */
            struct sel *s = alloc(p, sizeof *s);
            if (!s)
                return -1;
            if (eat(p, "*"))
                s->kind = SEL_WILD;
            else if (parse_shorthand(p, s))
                return -1;
            g->sels = s;
        }
        if (g->sels->next || (g->sels->kind != SEL_NAME && g->sels->kind != SEL_INDEX))
            q->singular = 0;
        *tail = g;
        tail = &g->next;
    }
}

static struct query *parse_query(struct parser *p)
{
    struct query *q = alloc(p, sizeof *q);
    if (!q)
        return NULL;
    q->relative = p->s[p->i] == '@';
    p->i++;
    return parse_segments(p, q) ? NULL : q;
}

static enum ftype ftype_of(const struct fexpr *e)
{
    switch (e->kind) {
    case F_LIT: return T_VALUE;
    case F_QUERY: return T_NODES;
    case F_FUNC: return e->fn == FN_MATCH || e->fn == FN_SEARCH ? T_LOGICAL : T_VALUE;
    default: return T_LOGICAL;
    }
}

/* May e stand where a ValueType is wanted (a comparable, a ValueType argument)? */
static int is_value(const struct fexpr *e)
{
    return e->kind == F_LIT || (e->kind == F_QUERY && e->q->singular) ||
           (e->kind == F_FUNC && ftype_of(e) == T_VALUE);
}

static const char *const fn_names[] = {"length", "count", "match", "search", "value"};

/* I-Regexp's '.' is any character but \n and \r; ECMA's excludes U+2028/9 too. */
static char *iregexp(const char *re, size_t len, int anchored)
{
    struct act_buf b;
    act_buf_init(&b);
    int cls = 0, ok = !anchored || act_buf_adds(&b, "^(?:") == ACT_OK;
    for (size_t i = 0; ok && i < len; i++) {
        char c = re[i];
        if (c == '\\' && i + 1 < len) {
            ok = act_buf_add(&b, re + i, 2) == ACT_OK;
            i++;
            continue;
        }
        if (c == '[')
            cls = 1;
        else if (c == ']')
            cls = 0;
        if (c == '.' && !cls)
            ok = act_buf_adds(&b, "[^\\n\\r]") == ACT_OK;
        else
            ok = act_buf_addc(&b, c) == ACT_OK;
    }
    if (ok && anchored)
        ok = act_buf_adds(&b, ")$") == ACT_OK;
    if (!ok) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

/* Compile a regex literal (no NUL inside); *state 1 compiled, -1 invalid. */
static enum act_status compile_re(const char *re, size_t len, int anchored,
                                  struct act_pattern **out, int *state)
{
    *out = NULL;
    if (memchr(re, '\0', len)) {
        *state = -1;
        return ACT_OK;
    }
    char *t = iregexp(re, len, anchored);
    if (!t)
        return ACT_ERR_NOMEM;
    char msg[128];
    long failed = act_alloc_failed();
    enum act_status st = act_pattern_compile(t, out, msg, sizeof msg);
    act_free(t);
    if (st == ACT_ERR_INVALID && act_alloc_failed() != failed)
        st = ACT_ERR_NOMEM; /* PCRE2 reports its allocation failures as syntax errors */
    if (st == ACT_ERR_NOMEM)
        return st;
    *state = st ? -1 : 1;
    return ACT_OK;
}

static struct fexpr *parse_atom(struct parser *p);

static struct fexpr *parse_arg(struct parser *p)
{
    size_t save = p->i;
    int c = peek(p);
    if (c != '!' && c != '(') {
        struct fexpr *e = parse_atom(p);
        if (!e)
            return NULL;
        size_t after = p->i;
        skip_blank(p);
        if (peek(p) == ',' || peek(p) == ')') {
            p->i = after;
            return e;
        }
        p->i = save;
    }
    return parse_or(p);
}

static struct fexpr *parse_function(struct parser *p, size_t at, size_t len)
{
    int fn = -1;
    for (int k = 0; k < 5; k++)
        if (strlen(fn_names[k]) == len && memcmp(p->s + at, fn_names[k], len) == 0)
            fn = k;
    if (fn < 0)
        return fail(p, at, "unknown function (length, count, match, search and value exist)"), NULL;
    struct fexpr *e = alloc(p, sizeof *e);
    if (!e)
        return NULL;
    e->kind = F_FUNC;
    e->fn = (enum fn_id)fn;
    p->i++; /* '(' */
    skip_blank(p);
    int want = fn == FN_MATCH || fn == FN_SEARCH ? 2 : 1;
    if (peek(p) != ')') {
        for (;;) {
            size_t arg_at = p->i;
            struct fexpr *a = parse_arg(p);
            if (!a)
                return NULL;
            if (e->nargs == want)
                return fail(p, arg_at, "too many arguments"), NULL;
            int nodes = fn == FN_COUNT || fn == FN_VALUE;
            if (nodes && a->kind != F_QUERY)
                return fail(p, arg_at, "this argument must be a query (a NodesType)"), NULL;
            if (!nodes && !is_value(a))
                return fail(p, arg_at,
                            "this argument must be a value: a literal, a singular query or "
                            "a function returning a value"),
                       NULL;
            e->args[e->nargs++] = a;
            skip_blank(p);
            if (eat(p, ")"))
                break;
            if (!eat(p, ","))
                return fail(p, p->i, "expected ',' or ')'"), NULL;
            skip_blank(p);
        }
    } else {
        p->i++;
    }
    if (e->nargs != want)
        return fail(p, at,
                    want == 2 ? "this function takes two arguments"
                              : "this function takes one argument"),
               NULL;
    if ((fn == FN_MATCH || fn == FN_SEARCH) && e->args[1]->kind == F_LIT &&
        e->args[1]->lit.type == cJSON_String) {
        enum act_status st = compile_re(e->args[1]->lit.str, e->args[1]->lit.len, fn == FN_MATCH,
                                        &e->re, &e->re_state);
        if (st) {
            if (!p->st)
                p->st = st;
            return NULL;
        }
        if (e->re) {
            e->next_re = p->res;
            p->res = e;
        }
    }
    return e;
}

static struct fexpr *parse_atom_(struct parser *p);

/* A literal, a query or a function call; function arguments and filters nest through here. */
static struct fexpr *parse_atom(struct parser *p)
{
    if (++p->depth > ACT_MAX_EXPR_DEPTH)
        return fail(p, p->i, "nested deeper than ACT_MAX_EXPR_DEPTH"), NULL;
    struct fexpr *e = parse_atom_(p);
    p->depth--;
    return e;
}

static struct fexpr *parse_atom_(struct parser *p)
{
    int c = peek(p);
    size_t at = p->i;
    struct fexpr *e;
    if (c == '$' || c == '@') {
        struct query *q = parse_query(p);
        if (!q || !(e = alloc(p, sizeof *e)))
            return NULL;
        e->kind = F_QUERY;
        e->q = q;
        return e;
    }
    if (!(e = alloc(p, sizeof *e)))
        return NULL;
    e->kind = F_LIT;
    if (c == '\'' || c == '"') {
        e->lit.type = cJSON_String;
        return parse_string(p, &e->lit.str, &e->lit.len) ? NULL : e;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        /* num = (int / "-0") [ frac ] [ exp ] */
        eat(p, "-");
        if (peek(p) == '0') {
            p->i++;
            if (peek(p) >= '0' && peek(p) <= '9')
                return fail(p, at, "a number has no leading zeros"), NULL;
        } else if (peek(p) >= '1' && peek(p) <= '9') {
            while (peek(p) >= '0' && peek(p) <= '9')
                p->i++;
        } else {
            return fail(p, p->i, "expected a digit"), NULL;
        }
        if (eat(p, ".")) {
            if (peek(p) < '0' || peek(p) > '9')
                return fail(p, p->i, "expected a digit after '.'"), NULL;
            while (peek(p) >= '0' && peek(p) <= '9')
                p->i++;
        }
        if (peek(p) == 'e' || peek(p) == 'E') {
            p->i++;
            if (peek(p) == '+' || peek(p) == '-')
                p->i++;
            if (peek(p) < '0' || peek(p) > '9')
                return fail(p, p->i, "expected a digit in the exponent"), NULL;
            while (peek(p) >= '0' && peek(p) <= '9')
                p->i++;
        }
        char buf[64];
        size_t l = p->i - at;
        if (l >= sizeof buf)
            l = sizeof buf - 1;
        memcpy(buf, p->s + at, l);
        buf[l] = '\0';
        e->lit.type = cJSON_Number;
        e->lit.num = strtod(buf, NULL);
        if (p->i - at >= sizeof buf) {
            /* A very long number: let strtod read it whole. */
            char *t = act_strndup(p->s + at, p->i - at);
            if (!t)
                return fail(p, at, "out of memory"), NULL;
            e->lit.num = strtod(t, NULL);
            act_free(t);
        }
        return e;
    }
    if (c >= 'a' && c <= 'z') {
        size_t l = 0;
        while (at + l < p->n && (islower((unsigned char)p->s[at + l]) ||
                                 isdigit((unsigned char)p->s[at + l]) || p->s[at + l] == '_'))
            l++;
        if (at + l < p->n && p->s[at + l] == '(') {
            p->i = at + l;
            return parse_function(p, at, l);
        }
        p->i = at + l;
        if (l == 4 && memcmp(p->s + at, "true", 4) == 0)
            e->lit.type = cJSON_True;
        else if (l == 5 && memcmp(p->s + at, "false", 5) == 0)
            e->lit.type = cJSON_False;
        else if (l == 4 && memcmp(p->s + at, "null", 4) == 0)
            e->lit.type = cJSON_NULL;
        else
            return fail(p, at, "expected a literal, a query or a function call"), NULL;
        return e;
    }
    return fail(p, at, "expected a literal, a query ($ or @), a function call, '!' or '('"), NULL;
}

static int cmp_op(struct parser *p, enum cmp_op *op)
{
    static const struct {
        const char *t;
        enum cmp_op op;
    } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE},
               {">=", OP_GE}, {"<", OP_LT},  {">", OP_GT}};
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (eat(p, ops[k].t)) {
            *op = ops[k].op;
            return 1;
        }
    return 0;
}

static struct fexpr *parse_basic(struct parser *p)
{
    size_t at = p->i;
    struct fexpr *e;
    if (eat(p, "!")) {
        skip_blank(p);
        struct fexpr *x = alloc(p, sizeof *x);
        if (!x)
            return NULL;
        x->kind = F_NOT;
        size_t in = p->i;
        if (eat(p, "(")) {
            skip_blank(p);
            if (!(x->a = parse_or(p)))
                return NULL;
            skip_blank(p);
            if (!eat(p, ")"))
                return fail(p, p->i, "expected ')'"), NULL;
            return x;
        }
        int c = peek(p);
        if (c != '$' && c != '@' && !(c >= 'a' && c <= 'z'))
            return fail(p, in, "'!' applies to a query, a function or a parenthesized expression"),
                   NULL;
        if (!(x->a = parse_atom(p)))
            return NULL;
        if (x->a->kind == F_LIT || ftype_of(x->a) == T_VALUE)
            return fail(p, in, "'!' needs a test: a query or a function returning a logical"), NULL;
        return x;
    }
    if (eat(p, "(")) {
        skip_blank(p);
        if (!(e = parse_or(p)))
            return NULL;
        skip_blank(p);
        if (!eat(p, ")"))
            return fail(p, p->i, "expected ')'"), NULL;
        return e;
    }
    struct fexpr *l = parse_atom(p);
    if (!l)
        return NULL;
    size_t after = p->i;
    skip_blank(p);
    enum cmp_op op;
    if (cmp_op(p, &op)) {
        if (!is_value(l))
            return fail(p, at,
                        l->kind == F_QUERY ? "a query compared must be singular (names and "
                                             "indexes only)"
                                           : "a function compared must return a value"),
                   NULL;
        skip_blank(p);
        size_t r_at = p->i;
        struct fexpr *r = parse_atom(p);
        if (!r)
            return NULL;
        if (!is_value(r))
            return fail(p, r_at,
                        r->kind == F_QUERY ? "a query compared must be singular (names and "
                                             "indexes only)"
                                           : "a function compared must return a value"),
                   NULL;
        if (!(e = alloc(p, sizeof *e)))
            return NULL;
        e->kind = F_CMP;
        e->op = op;
        e->a = l;
        e->b = r;
        return e;
    }
    p->i = after;
    if (l->kind == F_LIT)
        return fail(p, at, "a literal alone is not a test (compare it)"), NULL;
    if (l->kind == F_FUNC && ftype_of(l) == T_VALUE)
        return fail(p, at, "a function returning a value must be compared"), NULL;
    return l;
}

/* logical-and-expr (is_or 0) or logical-or-expr (is_or 1). */
static struct fexpr *parse_binary(struct parser *p, int is_or)
{
    if (++p->depth > ACT_MAX_EXPR_DEPTH)
        return fail(p, p->i, "nested deeper than ACT_MAX_EXPR_DEPTH"), NULL;
    struct fexpr *l = is_or ? parse_binary(p, 0) : parse_basic(p);
    while (l) {
        size_t save = p->i;
        skip_blank(p);
        if (!eat(p, is_or ? "||" : "&&")) {
            p->i = save;
            break;
        }
        skip_blank(p);
        struct fexpr *r = is_or ? parse_binary(p, 0) : parse_basic(p), *e;
        if (!r || !(e = alloc(p, sizeof *e)))
            return NULL;
        e->kind = is_or ? F_OR : F_AND;
        e->a = l;
        e->b = r;
        l = e;
    }
    p->depth--;
    return l;
}

static struct fexpr *parse_or(struct parser *p)
{
    return parse_binary(p, 1);
}

static void free_res(struct parser *p)
{
    for (struct fexpr *e = p->res; e; e = e->next_re)
        act_pattern_free(e->re);
    p->res = NULL;
}

static enum act_status parse(struct parser *p, struct query **out, size_t *err_off,
                             struct act_error *err)
{
    *out = NULL;
    struct query *q = NULL;
    if (peek(p) != '$')
        fail(p, 0, "a JSONPath query starts with '$'");
    else if ((q = parse_query(p)) && p->i < p->n)
        fail(p, p->i, "unexpected text after the query");
    if (!p->st && !q)
        p->st = ACT_ERR_NOMEM;
    if (p->st) {
        if (p->st == ACT_ERR_NOMEM)
            return ACT_ERR_NOMEM;
        if (err_off)
            *err_off = p->err_at;
        return act_error_set(err, p->st, NULL, 0, 0, "jsonpath: %s at offset %zu", p->msg,
                             p->err_at);
    }
    *out = q;
    return ACT_OK;
}

/* ---- evaluation ------------------------------------------------------------------------- */

struct nodes {
    const cJSON **v; /* the nodes */
    size_t n, cap;   /* how many, room */
};

struct eval {
    const cJSON *root;    /* the query argument ($) */
    long steps;           /* steps left */
    unsigned long budget; /* regex steps left */
    enum act_status st;   /* the first failure */
    char msg[160];        /* its message */
};

static int efail(struct eval *x, enum act_status st, const char *msg)
{
    if (!x->st) {
        x->st = st;
        snprintf(x->msg, sizeof x->msg, "%s", msg);
    }
    return -1;
}

static int push(struct eval *x, struct nodes *l, const cJSON *v)
{
    if (l->n >= (size_t)ACT_MAX_JSONPATH_NODES)
        return efail(x, ACT_ERR_LIMIT,
                     "jsonpath: a nodelist holds more than ACT_MAX_JSONPATH_NODES nodes");
    if (ACT_GROW(l->v, l->cap, l->n + 1, 16))
        return efail(x, ACT_ERR_NOMEM, "out of memory");
    l->v[l->n++] = v;
    return 0;
}

static int step(struct eval *x)
{
    if (--x->steps < 0)
        return efail(x, ACT_ERR_LIMIT,
                     "jsonpath: the query took more than ACT_MAX_JSONPATH_STEPS steps");
    return 0;
}

static int eval_logical(struct eval *x, const struct fexpr *e, const cJSON *cur);
static int eval_query(struct eval *x, const struct query *q, const cJSON *cur, struct nodes *out);

static long long norm(long long i, long long len)
{
    return i >= 0 ? i : len + i;
}

static int apply_sel(struct eval *x, const struct sel *s, const cJSON *v, struct nodes *out)
{
    if (step(x))
        return -1;
    const cJSON *c;
    switch (s->kind) {
    case SEL_NAME:
        if (!cJSON_IsObject(v))
            return 0;
        for (c = v->child; c; c = c->next)
            if (c->string && strlen(c->string) == s->name_len &&
                memcmp(c->string, s->name, s->name_len) == 0)
                return push(x, out, c);
        return 0;
    case SEL_WILD:
        if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
            return 0;
        for (c = v->child; c; c = c->next)
            if (push(x, out, c))
                return -1;
        return 0;
    case SEL_INDEX: {
        if (!cJSON_IsArray(v))
            return 0;
        long long len = cJSON_GetArraySize(v), i = norm(s->idx, len);
        if (i < 0 || i >= len)
            return 0;
        for (c = v->child; i > 0; i--)
            c = c->next;
        return push(x, out, c);
    }
    case SEL_SLICE: {
        if (!cJSON_IsArray(v))
            return 0;
        long long len = cJSON_GetArraySize(v);
        long long st = s->has[2] ? s->sl[2] : 1;
        if (st == 0 || len == 0)
            return 0;
        const cJSON **arr = act_malloc((size_t)len * sizeof *arr);
        if (!arr)
            return efail(x, ACT_ERR_NOMEM, "out of memory");
        long long k = 0;
        for (c = v->child; c; c = c->next)
            arr[k++] = c;
        int r = 0;
        if (st > 0) {
            long long a = s->has[0] ? norm(s->sl[0], len) : 0;
            long long b = s->has[1] ? norm(s->sl[1], len) : len;
            long long lo = a < 0 ? 0 : (a > len ? len : a);
            long long hi = b < 0 ? 0 : (b > len ? len : b);
            for (long long i = lo; i < hi && !r; i += st)
                r = push(x, out, arr[i]);
        } else {
            long long a = s->has[0] ? norm(s->sl[0], len) : len - 1;
            long long b = s->has[1] ? norm(s->sl[1], len) : -len - 1;
            long long hi = a < -1 ? -1 : (a > len - 1 ? len - 1 : a);
            long long lo = b < -1 ? -1 : (b > len - 1 ? len - 1 : b);
            for (long long i = hi; lo < i && !r; i += st)
                r = push(x, out, arr[i]);
        }
        act_free(arr);
        return r;
    }
    case SEL_FILTER:
        if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
            return 0;
        for (c = v->child; c; c = c->next) {
            int t = eval_logical(x, s->filter, c);
            if (t < 0 || (t && push(x, out, c)))
                return -1;
        }
        return 0;
    }
    return 0;
}

static int descend(struct eval *x, const struct seg *g, const cJSON *v, struct nodes *out)
{
    for (const struct sel *s = g->sels; s; s = s->next)
        if (apply_sel(x, s, v, out))
            return -1;
    if (cJSON_IsObject(v) || cJSON_IsArray(v))
        for (const cJSON *c = v->child; c; c = c->next)
            if (descend(x, g, c, out))
                return -1;
    return 0;
}

static int eval_query(struct eval *x, const struct query *q, const cJSON *cur, struct nodes *out)
{
    struct nodes a = {0}, b = {0};
    if (push(x, &a, q->relative ? cur : x->root))
        return -1;
    for (const struct seg *g = q->segs; g; g = g->next) {
        b.n = 0;
        for (size_t i = 0; i < a.n; i++) {
            int r = 0;
            if (g->desc)
                r = descend(x, g, a.v[i], &b);
            else
                for (const struct sel *s = g->sels; s && !r; s = s->next)
                    r = apply_sel(x, s, a.v[i], &b);
            if (r) {
                act_free(a.v);
                act_free(b.v);
                return -1;
            }
        }
        struct nodes t = a;
        a = b;
        b = t;
    }
    act_free(b.v);
    *out = a;
    return 0;
}

/* A comparable: Nothing, a JSON node, or a computed number / literal. */
struct cval {
    int nothing;     /* 1 for Nothing */
    int type;        /* cJSON type bits of the value */
    const cJSON *j;  /* the node, when it is one (arrays and objects always are) */
    const char *str; /* string bytes */
    size_t len;      /* their length */
    double num;      /* number */
};

static void from_node(struct cval *c, const cJSON *j)
{
    memset(c, 0, sizeof *c);
    c->j = j;
    c->type = j->type & 0xFF;
    if (cJSON_IsString(j)) {
        c->str = j->valuestring;
        c->len = strlen(j->valuestring);
    } else if (cJSON_IsNumber(j)) {
        c->num = j->valuedouble;
    }
}

static int eval_value(struct eval *x, const struct fexpr *e, const cJSON *cur, struct cval *out);

static size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static int eval_value(struct eval *x, const struct fexpr *e, const cJSON *cur, struct cval *out)
{
    memset(out, 0, sizeof *out);
    out->nothing = 1;
    if (e->kind == F_LIT) {
        out->nothing = 0;
        out->type = e->lit.type;
        out->str = e->lit.str;
        out->len = e->lit.len;
        out->num = e->lit.num;
        return 0;
    }
    if (e->kind == F_QUERY) {
        struct nodes l = {0};
        if (eval_query(x, e->q, cur, &l))
            return -1;
        if (l.n == 1)
            from_node(out, l.v[0]);
        act_free(l.v);
        return 0;
    }
    /* F_FUNC returning a value */
    if (e->fn == FN_LENGTH) {
        struct cval a;
        if (eval_value(x, e->args[0], cur, &a))
            return -1;
        if (a.nothing)
            return 0;
        double n;
        if (a.type == cJSON_String)
            n = (double)utf8_count(a.str, a.len);
        else if (a.j && (cJSON_IsArray(a.j) || cJSON_IsObject(a.j)))
            n = cJSON_GetArraySize(a.j);
        else
            return 0;
        out->nothing = 0;
        out->type = cJSON_Number;
        out->num = n;
        return 0;
    }
    struct nodes l = {0};
    if (eval_query(x, e->args[0]->q, cur, &l))
        return -1;
    if (e->fn == FN_COUNT) {
        out->nothing = 0;
        out->type = cJSON_Number;
        out->num = (double)l.n;
    } else if (l.n == 1) { /* FN_VALUE */
        from_node(out, l.v[0]);
    }
    act_free(l.v);
    return 0;
}

static int json_equal(const cJSON *a, const cJSON *b)
{
    int ta = a->type & 0xFF, tb = b->type & 0xFF;
    if (ta != tb)
        return 0;
    if (cJSON_IsNumber(a))
        return a->valuedouble == b->valuedouble;
    if (cJSON_IsString(a))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsArray(a)) {
        for (a = a->child, b = b->child; a && b; a = a->next, b = b->next)
            if (!json_equal(a, b))
                return 0;
        return !a && !b;
    }
    if (cJSON_IsObject(a)) {
        if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
            return 0;
        for (const cJSON *c = a->child; c; c = c->next) {
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(b, c->string);
            if (!d || !json_equal(c, d))
                return 0;
        }
        return 1;
    }
    return 1; /* true, false, null */
}

static int cval_equal(const struct cval *a, const struct cval *b)
{
    if (a->nothing || b->nothing)
        return a->nothing && b->nothing;
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case cJSON_Number: return a->num == b->num;
    case cJSON_String: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case cJSON_Array:
    case cJSON_Object: return json_equal(a->j, b->j);
    default: return 1;
    }
}

static int cval_less(const struct cval *a, const struct cval *b)
{
    if (a->nothing || b->nothing || a->type != b->type)
        return 0;
    if (a->type == cJSON_Number)
        return a->num < b->num;
    if (a->type == cJSON_String) {
        size_t m = a->len < b->len ? a->len : b->len;
        int r = memcmp(a->str, b->str, m);
        return r < 0 || (r == 0 && a->len < b->len);
    }
    return 0;
}

static int eval_regex(struct eval *x, const struct fexpr *e, const cJSON *cur)
{
    struct cval s, r;
    if (eval_value(x, e->args[0], cur, &s) || eval_value(x, e->args[1], cur, &r))
        return -1;
    if (s.nothing || r.nothing || s.type != cJSON_String || r.type != cJSON_String)
        return 0;
    struct act_pattern *pat = e->re;
    int state = e->re_state;
    /* A regex read from the document is compiled per node: count it as some steps. */
    if (!state && (x->steps -= 64, step(x)))
        return -1;
    if (!state && compile_re(r.str, r.len, e->fn == FN_MATCH, &pat, &state))
        return efail(x, ACT_ERR_NOMEM, "out of memory");
    if (state < 0)
        return 0;
    int m = act_pattern_match(pat, s.str, s.len, &x->budget);
    if (pat != e->re)
        act_pattern_free(pat);
    if (m == -2)
        return efail(x, ACT_ERR_LIMIT,
                     "jsonpath: match() or search() took more than the regex step limit "
                     "(ACT_MAX_REGEX_STEPS, ACT_MAX_REGEX_BUDGET)");
    return m == 1;
}

static int eval_logical(struct eval *x, const struct fexpr *e, const cJSON *cur)
{
    if (step(x))
        return -1;
    int a, b;
    struct cval l, r;
    switch (e->kind) {
    case F_OR: a = eval_logical(x, e->a, cur); return a != 0 ? a : eval_logical(x, e->b, cur);
    case F_AND: a = eval_logical(x, e->a, cur); return a <= 0 ? a : eval_logical(x, e->b, cur);
    case F_NOT: a = eval_logical(x, e->a, cur); return a < 0 ? a : !a;
    case F_CMP:
        if (eval_value(x, e->a, cur, &l) || eval_value(x, e->b, cur, &r))
            return -1;
        switch (e->op) {
        case OP_EQ: return cval_equal(&l, &r);
        case OP_NE: return !cval_equal(&l, &r);
        case OP_LT: return cval_less(&l, &r);
        case OP_LE: return cval_less(&l, &r) || cval_equal(&l, &r);
        case OP_GT: return cval_less(&r, &l);
        case OP_GE: return cval_less(&r, &l) || cval_equal(&l, &r);
        }
        return 0;
    case F_QUERY: {
        struct nodes n = {0};
        if (eval_query(x, e->q, cur, &n))
            return -1;
        b = n.n > 0;
        act_free(n.v);
        return b;
    }
    case F_FUNC: return eval_regex(x, e, cur);
    case F_LIT: return 0; /* not reachable: the parser rejects a bare literal */
    }
    return 0;
}

/* ---- entry points ----------------------------------------------------------------------- */

static size_t count_nodes(const cJSON *v, size_t limit)
{
    size_t n = 1;
    for (const cJSON *c = v->child; c && n <= limit; c = c->next)
        n += count_nodes(c, limit - n);
    return n;
}

static enum act_status run(const char *path, const cJSON *root, cJSON **nodes, int *nonempty,
                           size_t *err_off, struct act_error *err)
{
    struct act_arena a;
    act_arena_init(&a, 0);
    struct parser p = {.s = path, .n = strlen(path), .a = &a};
    struct query *q = NULL;
    enum act_status st = parse(&p, &q, err_off, err);
    if (st || !root)
        goto out;
    struct eval x = {.root = root, .steps = ACT_MAX_JSONPATH_STEPS, .budget = ACT_MAX_REGEX_BUDGET};
    struct nodes l = {0};
    if (eval_query(&x, q, root, &l)) {
        st = x.st == ACT_ERR_NOMEM ? ACT_ERR_NOMEM
                                   : act_error_set(err, x.st, NULL, 0, 0, "%s", x.msg);
        goto out;
    }
    if (nonempty)
        *nonempty = l.n > 0;
    if (nodes) {
        cJSON *arr = cJSON_CreateArray();
        size_t total = 0;
        st = arr ? ACT_OK : ACT_ERR_NOMEM;
        for (size_t i = 0; !st && i < l.n; i++) {
            total += count_nodes(l.v[i], ACT_MAX_JSONPATH_NODES);
            if (total > (size_t)ACT_MAX_JSONPATH_NODES) {
                st = act_error_set(err, ACT_ERR_LIMIT, NULL, 0, 0,
                                   "jsonpath: the selected values hold more than "
                                   "ACT_MAX_JSONPATH_NODES nodes");
                break;
            }
            cJSON *c = cJSON_Duplicate(l.v[i], 1);
            if (!c) {
                st = ACT_ERR_NOMEM;
                break;
            }
            act_cjson_unname(c);
            if (!cJSON_AddItemToArray(arr, c)) {
                cJSON_Delete(c);
                st = ACT_ERR_NOMEM;
            }
        }
        if (st)
            cJSON_Delete(arr);
        else
            *nodes = arr;
    }
    act_free(l.v);
out:
    free_res(&p);
    act_arena_release(&a);
    return st;
}

enum act_status act_jsonpath_query(const char *path, const cJSON *root, cJSON **nodes,
                                   size_t *err_off, struct act_error *err)
{
    *nodes = NULL;
    static const cJSON null_node = {.type = cJSON_NULL};
    return run(path, root ? root : &null_node, nodes, NULL, err_off, err);
}

enum act_status act_jsonpath_exists(const char *path, const cJSON *root, int *nonempty,
                                    size_t *err_off, struct act_error *err)
{
    static const cJSON null_node = {.type = cJSON_NULL};
    return run(path, root ? root : &null_node, NULL, nonempty, err_off, err);
}

enum act_status act_jsonpath_check(const char *path, size_t *err_off, struct act_error *err)
{
    return run(path, NULL, NULL, NULL, err_off, err);
}
