/*
 * validate.c - walking a JSON instance against compiled schemas.
 *
 * One recursive walk: each (schema, instance node) pair checks its keywords
 * and recurses into properties, items and the applicators (allOf, anyOf,
 * oneOf, not). Errors go to an act_errlist; the instance pointer is built
 * from a stack of path segments only when an error is recorded, so a valid
 * instance allocates nothing.
 *
 * anyOf / oneOf / not first run their branches in "quick" mode (stop at the
 * first error, record nothing); only when no branch fits are the branches run
 * again in full to explain why, and then only the best-fitting branch is
 * reported (see explain_branches).
 *
 * Recursion: a schema applied again to the instance node it is already being
 * applied to (allOf: [{$ref: "#"}]) adds nothing, so it passes at once; that
 * makes every walk finite. Depth is bounded by ACT_MAX_SCHEMA_DEPTH.
 *
 * JSON Schema 2020-12 (see "JSON Schema 2020-12" below): the same walk, with the keywords
 * 3.0 lacks (check_array20, check_object20, check_appl20) and, where a schema has
 * unevaluatedProperties / unevaluatedItems, the annotations (struct ann) of which members
 * or items its keywords and in-place subschemas evaluated. The dynamic scope of
 * $dynamicRef is the stack of schemas being applied.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/json_fast.h"
#include "parser/pointer.h"
#include "validator_int.h"

#define TWO53 9007199254740992.0

/* Error paths keep their message buffers out of the recursive frames (check -> check_object
 * -> check ...), so deep instances stay well inside the stack, sanitizers included. */
#define NOINLINE __attribute__((noinline))

void act_schema_free_all(struct act_validator *v);

/* ---- the error list ---------------------------------------------------------------------- */

void act_errlist_init(struct act_errlist *l, size_t max)
{
    memset(l, 0, sizeof(*l));
    l->max = max ? max : ACT_MAX_ERRORS;
}

static void verr_release(struct act_verr *e)
{
    act_free(e->instance);
    act_free(e->schema);
    act_free(e->file);
    act_free(e->expected);
    act_free(e->found);
}

/* An error of s's file at keyword kw: instance and schema (pointers) taken, expected and
 * found copied. ACT_ERR_NOMEM, with all released, when any of them is missing. */
static enum act_status verr_make(struct act_verr *e, const char *kw, char *instance, char *schema,
                                 const struct schema *s, const char *expected, const char *found)
{
    *e = (struct act_verr){0};
    e->keyword = kw;
    e->instance = instance;
    if (schema && schema[0] == '#' && s->doc->srcmap) {
        /* a translated (Swagger 2.0) file: the keyword's place in the file as written */
        struct act_buf shown;
        act_buf_init(&shown);
        char *mapped = NULL;
        if (act_doc_source_pointer(s->doc, schema + 1, &shown) == ACT_OK &&
            (mapped = act_malloc(shown.len + 2)) != NULL) {
            mapped[0] = '#';
            memcpy(mapped + 1, shown.len ? shown.data : "", shown.len + 1);
            act_free(schema);
            schema = mapped;
        }
        act_buf_release(&shown);
    }
    e->schema = schema;
    e->file = act_strdup(s->doc->path);
    e->expected = act_strdup(expected);
    e->found = act_strdup(found);
    if (!e->instance || !e->schema || !e->file || !e->expected || !e->found) {
        verr_release(e);
        return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

void act_errlist_release(struct act_errlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        verr_release(&l->v[i]);
    act_free(l->v);
    l->v = NULL;
    l->n = l->cap = l->dropped = 0;
}

void act_verr_format(const struct act_verr *e, struct act_buf *out)
{
    /* Errors go to people; an allocation failure here only shortens the line. */
    int ok =
        act_buf_printf(out, "%s: expected %s, got %s (%s)", e->instance[0] ? e->instance : "(root)",
                       e->expected, e->found, e->schema) == ACT_OK;
    (void)ok;
}

/* Append e to l, taking its strings (freed when l is full). */
static enum act_status errlist_take(struct act_errlist *l, struct act_verr *e)
{
    if (l->n >= l->max) {
        l->dropped++;
        verr_release(e);
        return ACT_OK;
    }
    if (ACT_GROW(l->v, l->cap, l->n + 1, 8)) {
        verr_release(e);
        return ACT_ERR_NOMEM;
    }
    l->v[l->n++] = *e;
    return ACT_OK;
}

static size_t nerr(const struct act_errlist *l)
{
    return l->n + l->dropped;
}

/* ---- the walk ---------------------------------------------------------------------------- */

/* One step of the instance path. */
struct seg {
    const char *key; /* object member name, or NULL for an array index */
    size_t index;    /* array index */
};

/* A schema being applied to an instance node (for the recursion guard). */
struct frame {
    const struct schema *s;
    const cJSON *inst;
};

struct walk {
    struct act_validator *v;
    enum act_direction dir;
    struct act_error *err;      /* schema errors */
    const struct act_doc *idoc; /* the instance's document, for exact numbers (may be NULL) */
    struct seg *path;           /* instance path */
    size_t depth, path_cap;
    struct frame *stack; /* schemas being applied, innermost last */
    size_t sp, stack_cap;
    int quick;                    /* only whether there is an error matters: record none */
    unsigned long steps;          /* schema applications left (the work budget) */
    unsigned long steps_max;      /* the budget, for the message */
    unsigned long regex;          /* PCRE2 backtracking steps left (ACT_MAX_REGEX_BUDGET) */
    int spent;                    /* the work budget ran out: the walk is unwinding */
    char *spent_at;               /* the instance pointer where it ran out */
    const struct schema *spent_s; /* the schema being applied then */
    size_t guard_low;  /* lowest frame a recursion-guard hit relied on (SIZE_MAX: none) */
    int explaining;    /* nested explain_branches runs */
    struct memo *memo; /* results remembered within this validation */
    size_t memo_n, memo_cap;
    struct act_map memo_map; /* (schema, node, kind) -> index into memo */
    unsigned ticks;          /* schema applications since the last stop check */
    cJSON **names;           /* 2020-12 propertyNames: member names as string nodes */
    size_t n_names, cap_names;
};

/*
 * 2020-12 annotations for unevaluatedProperties / unevaluatedItems: which members (or items)
 * of one instance object (or array) some keyword has evaluated, bit i for the i-th child.
 */
struct ann {
    uint64_t *bits;
    size_t n; /* children of the instance node */
    uint64_t small[4];
};

static enum act_status ann_init(struct ann *a, const cJSON *inst)
{
    a->n = 0;
    for (const cJSON *c = inst->child; c; c = c->next)
        a->n++;
    memset(a->small, 0, sizeof(a->small));
    a->bits = a->small;
    if (a->n > 64 * 4 && !(a->bits = act_calloc((a->n + 63) / 64, sizeof(*a->bits))))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

static NOINLINE struct ann *ann_new(const cJSON *inst)
{
    struct ann *a = act_malloc(sizeof(*a));
    if (a && ann_init(a, inst)) {
        act_free(a);
        a = NULL;
    }
    return a;
}

static void ann_release(struct ann *a)
{
    if (a->bits != a->small)
        act_free(a->bits);
    a->bits = NULL;
}

static void ann_set(struct ann *a, size_t i)
{
    if (a && i < a->n)
        a->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

static int ann_get(const struct ann *a, size_t i)
{
    return i < a->n && (a->bits[i / 64] >> (i % 64) & 1);
}

static void ann_merge(struct ann *dst, const struct ann *src)
{
    for (size_t i = 0; dst && i < (dst->n + 63) / 64; i++)
        dst->bits[i] |= src->bits[i];
}

/* ---- remembered results ------------------------------------------------------------------ */

/*
 * Within one validation, a schema applied to an instance node always gives the same
 * result, except where the recursion guard (see check) let a re-application pass on
 * the strength of a frame further up the stack. So a result is remembered only when
 * every guard hit met while computing it referred to a frame pushed meanwhile, and
 * then (schema, node) -> valid or not serves every later quick check, and a nested
 * explanation of anyOf/oneOf is copied instead of being worked out again. Without
 * this, a recursive oneOf whose branches both descend doubles its work per level.
 */
enum { MEMO_VALIDITY = 1, MEMO_ANYOF, MEMO_ONEOF };

struct memo {
    const struct schema *s;
    const cJSON *inst;
    int kind;                 /* MEMO_* */
    int valid;                /* MEMO_VALIDITY: 1 valid, 0 not */
    struct act_errlist *errs; /* MEMO_ANYOF / MEMO_ONEOF: the errors the explanation gave */
};

static uint32_t memo_hash(const struct schema *s, const cJSON *inst, int kind)
{
    uint64_t x = (uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ull ^
                 (uint64_t)(uintptr_t)inst * 0xff51afd7ed558ccdull ^ (uint64_t)kind;
    x ^= x >> 29;
    return (uint32_t)(x ^ (x >> 32));
}

static struct memo *memo_find(const struct walk *w, const struct schema *s, const cJSON *inst,
                              int kind)
{
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &w->memo_map, memo_hash(s, inst, kind));
         id != ACT_MAP_NONE; id = act_map_next(&it)) {
        struct memo *m = &w->memo[id];
        if (m->s == s && m->inst == inst && m->kind == kind)
            return m;
    }
    return NULL;
}

/* A new entry for (s, inst, kind), not yet present; NULL when out of memory. The pointer
 * is good until the next memo_add. */
static struct memo *memo_add(struct walk *w, const struct schema *s, const cJSON *inst, int kind)
{
    if (w->memo_n >= ACT_MAP_NONE || ACT_GROW(w->memo, w->memo_cap, w->memo_n + 1, 256) ||
        act_map_put(&w->memo_map, memo_hash(s, inst, kind), (uint32_t)w->memo_n))
        return NULL;
    w->memo[w->memo_n] = (struct memo){s, inst, kind, 0, NULL};
    return &w->memo[w->memo_n++];
}

static void memo_release(struct walk *w)
{
    for (size_t i = 0; i < w->memo_n; i++) {
        if (w->memo[i].errs) {
            act_errlist_release(w->memo[i].errs);
            act_free(w->memo[i].errs);
        }
    }
    act_free(w->memo);
    act_map_release(&w->memo_map);
    w->memo = NULL;
    w->memo_n = w->memo_cap = 0;
}

static enum act_status check_ann(struct walk *w, struct schema *s, const cJSON *inst,
                                 struct act_errlist *out, struct ann *ann);

/* One schema on one node, no annotations wanted (a macro: no extra frame per level of a
 * deep instance). */
#define check(w, s, inst, out) check_ann(w, s, inst, out, NULL)

static enum act_status push_seg(struct walk *w, const char *key, size_t index)
{
    if (ACT_GROW(w->path, w->path_cap, w->depth + 1, 32))
        return ACT_ERR_NOMEM;
    w->path[w->depth].key = key;
    w->path[w->depth].index = index;
    w->depth++;
    return ACT_OK;
}

static char *instance_pointer(const struct walk *w)
{
    struct act_buf b;
    act_buf_init(&b);
    for (size_t i = 0; i < w->depth; i++) {
        enum act_status st = w->path[i].key ? act_pointer_append(&b, w->path[i].key)
                                            : act_pointer_append_index(&b, w->path[i].index);
        if (st) {
            act_buf_release(&b);
            return NULL;
        }
    }
    if (b.len && act_json_has_nul(b.data, b.len)) {
        /* a member name with U+0000 (C0 80 in the tree): shown as the escape */
        struct act_buf e;
        act_buf_init(&e);
        for (size_t i = 0; i < b.len; i++) {
            int nul = (unsigned char)b.data[i] == 0xC0 && i + 1 < b.len &&
                      (unsigned char)b.data[i + 1] == 0x80;
            if (nul ? act_buf_adds(&e, "\\u0000") : act_buf_addc(&e, b.data[i])) {
                act_buf_release(&e);
                act_buf_release(&b);
                return NULL;
            }
            i += (size_t)nul;
        }
        act_buf_release(&b);
        return act_buf_detach(&e, NULL);
    }
    return act_buf_detach(&b, NULL);
}

/* Record an error: keyword kw of s failed on the current instance node. */
static enum act_status ACT_PRINTF(6, 7)
    add_err(struct walk *w, struct act_errlist *out, const struct schema *s, const char *kw,
            const char *found, const char *fmt, ...)
{
    if (w->quick || out->n >= out->max) {
        out->dropped++;
        return ACT_OK;
    }
    char expected[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expected, sizeof(expected), fmt, ap);
    va_end(ap);
    struct act_verr e;
    char *schema = act_malloc(strlen(s->loc) + strlen(kw) + 2);
    if (schema)
        sprintf(schema, "%s%s%s", s->loc, kw[0] ? "/" : "", kw);
    if (verr_make(&e, kw, instance_pointer(w), schema, s, expected, found))
        return ACT_ERR_NOMEM;
    return errlist_take(out, &e);
}

static int is_integral(double d)
{
    return d == floor(d);
}

static unsigned type_of(const cJSON *j)
{
    switch (j->type & 0xFF) {
    case cJSON_NULL: return ACT_T_NULL;
    case cJSON_False:
    case cJSON_True: return ACT_T_BOOL;
    case cJSON_Number: return is_integral(j->valuedouble) ? ACT_T_INT : ACT_T_NUM;
    case cJSON_String: return ACT_T_STR;
    case cJSON_Array: return ACT_T_ARR;
    case cJSON_Object: return ACT_T_OBJ;
    default: return 0;
    }
}

static const char *type_name(unsigned t)
{
    switch (t) {
    case ACT_T_NULL: return "null";
    case ACT_T_BOOL: return "boolean";
    case ACT_T_INT: return "integer";
    case ACT_T_NUM: return "number";
    case ACT_T_STR: return "string";
    case ACT_T_ARR: return "array";
    case ACT_T_OBJ: return "object";
    default: return "?";
    }
}

/* "string or null" from a type mask. */
static void types_text(unsigned types, char *buf, size_t size)
{
    static const unsigned order[] = {ACT_T_OBJ, ACT_T_ARR,  ACT_T_STR, ACT_T_NUM,
                                     ACT_T_INT, ACT_T_BOOL, ACT_T_NULL};
    size_t o = 0;
    buf[0] = '\0';
    if (types & ACT_T_NUM)
        types &= ~(unsigned)ACT_T_INT;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if (!(types & order[i]))
            continue;
        types &= ~order[i];
        int n = snprintf(buf + o, size - o, "%s%s", o ? (types ? ", " : " or ") : "",
                         type_name(order[i]));
        if (n < 0 || (size_t)n >= size - o)
            break;
        o += (size_t)n;
    }
}

/* act_echo of an instance string, U+0000 (C0 80 in instance trees) shown as the control
 * character it is. */
static const char *echo_str(char *echo, size_t size, const char *str)
{
    size_t len = strlen(str), cut = len < 4 * ACT_ECHO_SIZE ? len : 4 * ACT_ECHO_SIZE;
    char raw[4 * ACT_ECHO_SIZE];
    memcpy(raw, str, cut);
    cut = act_json_decode_nul(raw, cut);
    return act_echo(echo, size, raw, cut);
}

/* A short description of a value for messages: "\"abc\"", "12.5", "object". */
static void value_text(const cJSON *j, char *buf, size_t size)
{
    char echo[ACT_ECHO_SIZE];
    switch (j->type & 0xFF) {
    case cJSON_String:
        snprintf(buf, size, "\"%s\"", echo_str(echo, sizeof(echo), j->valuestring));
        break;
    case cJSON_Number:
        if (j->valuedouble == floor(j->valuedouble) && fabs(j->valuedouble) < TWO53) {
            snprintf(buf, size, "%.0f", j->valuedouble); /* 30, not 3e+01 */
            break;
        }
        snprintf(buf, size, "%.17g", j->valuedouble);
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, size, "%.*g", prec, j->valuedouble);
            if (strtod(buf, NULL) == j->valuedouble)
                break;
        }
        break;
    case cJSON_Array: snprintf(buf, size, "array"); break;
    case cJSON_Object: snprintf(buf, size, "object"); break;
    case cJSON_True: snprintf(buf, size, "true"); break;
    case cJSON_False: snprintf(buf, size, "false"); break;
    default: snprintf(buf, size, "null"); break;
    }
}

static void dec_text(const struct act_dec *d, char *buf, size_t size)
{
    char tmp[200];
    size_t o = 0;
    long e = d->exp;
    if (d->n == 0) {
        snprintf(buf, size, "0");
        return;
    }
    if (d->neg)
        tmp[o++] = '-';
    if (e > 0 && e <= 40) {
        for (long i = 0; i < e; i++)
            tmp[o++] = i < d->n ? d->buf[i] : '0';
        if (d->n > e) {
            tmp[o++] = '.';
            for (long i = e; i < d->n; i++)
                tmp[o++] = d->buf[i];
        }
    } else if (e <= 0 && e > -20) {
        tmp[o++] = '0';
        tmp[o++] = '.';
        for (long i = 0; i < -e; i++)
            tmp[o++] = '0';
        for (long i = 0; i < d->n; i++)
            tmp[o++] = d->buf[i];
    } else {
        tmp[o++] = d->buf[0];
        if (d->n > 1)
            tmp[o++] = '.';
        for (long i = 1; i < d->n; i++)
            tmp[o++] = d->buf[i];
        o += (size_t)snprintf(tmp + o, sizeof(tmp) - o, "e%ld", e - 1);
    }
    tmp[o] = '\0';
    snprintf(buf, size, "%s", tmp);
}

/* ---- exact numbers ----------------------------------------------------------------------- */

static void num_reset(struct act_validator *v)
{
    act_map_release(&v->num_map);
    act_free(v->nums);
    v->nums = NULL;
    v->n_nums = v->cap_nums = 0;
    v->numbad = 0;
    v->numdoc = NULL;
}

static enum act_status num_put(struct act_validator *v, const cJSON *node, size_t off, size_t len)
{
    if (v->n_nums >= ACT_MAP_NONE || ACT_GROW(v->nums, v->cap_nums, v->n_nums + 1, 16) ||
        act_map_put(&v->num_map, act_map_hash_ptr(node), (uint32_t)v->n_nums))
        return ACT_ERR_NOMEM;
    v->nums[v->n_nums++] = (struct act_numtext){node, off, len};
    return ACT_OK;
}

/* Pair the numbers of the tree (in document order) with the number tokens of the text. */
struct numscan {
    const char *t;
    size_t len, pos;
    int bad;
};

static int next_number(struct numscan *ns, size_t *off, size_t *len)
{
    const char *t = ns->t;
    for (size_t i = ns->pos; i < ns->len; i++) {
        char c = t[i];
        if (c == '"') {
            for (i++; i < ns->len && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            *off = i;
            *len = act_num_token(t + i, ns->len - i);
            ns->pos = i + (*len ? *len : 1);
            return *len > 0;
        }
    }
    ns->pos = ns->len;
    return 0;
}

static enum act_status index_numbers(struct act_validator *v, struct numscan *ns, const cJSON *j,
                                     int depth)
{
    if (ns->bad || depth > ACT_MAX_DEPTH + 8) {
        ns->bad = 1;
        return ACT_OK;
    }
    if (cJSON_IsNumber(j)) {
        size_t off, len;
        if (!next_number(ns, &off, &len)) {
            ns->bad = 1;
            return ACT_OK;
        }
        if (!(fabs(j->valuedouble) < TWO53))
            return num_put(v, j, off, len);
        return ACT_OK;
    }
    for (const cJSON *c = j->child; c; c = c->next) {
        enum act_status st = index_numbers(v, ns, c, depth + 1);
        if (st)
            return st;
    }
    return ACT_OK;
}

/* The exact decimal of instance number j: from the double when that is exact, else from
 * the document text. Returns 0 when the text is not available. */
static int inst_dec(struct walk *w, const cJSON *j, struct act_dec *d)
{
    struct act_validator *v = w->v;
    if (fabs(j->valuedouble) < TWO53) {
        act_dec_from_double(d, j->valuedouble);
        return 1;
    }
    if (!w->idoc || w->idoc->format != ACT_DOC_JSON || !w->idoc->text)
        return 0;
    if (v->numdoc != w->idoc) {
        num_reset(v);
        v->numdoc = w->idoc;
        struct numscan ns = {w->idoc->text, w->idoc->len, 0, 0};
        if (index_numbers(v, &ns, w->idoc->root, 0) || ns.bad)
            v->numbad = 1;
    }
    if (v->numbad)
        return 0;
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &v->num_map, act_map_hash_ptr(j)); id != ACT_MAP_NONE;
         id = act_map_next(&it))
        if (v->nums[id].node == j)
            return act_dec_parse(d, w->idoc->text + v->nums[id].off, v->nums[id].len);
    return 0;
}

/* Compare instance number j with bound b: -1, 0, 1, or 2 when it cannot be decided. */
static int num_cmp(struct walk *w, const cJSON *j, const struct act_snum *b)
{
    double x = j->valuedouble;
    if (x < b->d)
        return -1;
    if (x > b->d)
        return 1;
    /* A tie between doubles is exact below 2^53; beyond, the decimal text decides. */
    if (fabs(x) < TWO53)
        return 0;
    struct act_dec d;
    if (!b->exact || !inst_dec(w, j, &d))
        return 2;
    return act_dec_cmp(&d, &b->dec);
}

/* ---- deep equality (enum, uniqueItems) --------------------------------------------------- */

/* Deep equality. w (may be NULL) is given when both values are instance nodes: numbers that
 * are the same double beyond 2^53 are then compared as written (see inst_dec). */
static int json_equal(struct walk *w, const cJSON *a, const cJSON *b, int depth)
{
    int ta = a->type & 0xFF, tb = b->type & 0xFF;
    if (ta != tb || depth > ACT_MAX_DEPTH + 8)
        return 0;
    switch (ta) {
    case cJSON_Number: {
        if (a->valuedouble != b->valuedouble)
            return 0;
        struct act_dec da, db;
        if (!w || fabs(a->valuedouble) < TWO53 || !inst_dec(w, a, &da) || !inst_dec(w, b, &db))
            return 1;
        return act_dec_cmp(&da, &db) == 0;
    }
    case cJSON_String: return strcmp(a->valuestring, b->valuestring) == 0;
    case cJSON_Array:
        for (a = a->child, b = b->child; a && b; a = a->next, b = b->next)
            if (!json_equal(w, a, b, depth + 1))
                return 0;
        return !a && !b;
    case cJSON_Object: {
        size_t na = 0, nb = 0;
        for (const cJSON *c = a->child; c; c = c->next)
            na++;
        for (const cJSON *c = b->child; c; c = c->next)
            nb++;
        if (na != nb)
            return 0;
        for (const cJSON *c = a->child; c; c = c->next) {
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, c->string);
            if (!o || !json_equal(w, c, o, depth + 1))
                return 0;
        }
        return 1;
    }
    default: return 1;
    }
}

static uint64_t json_hash(const cJSON *j, int depth)
{
    uint64_t h = (uint64_t)(j->type & 0xFF) * 0x9E3779B97F4A7C15ull;
    if (depth > ACT_MAX_DEPTH + 8)
        return h;
    switch (j->type & 0xFF) {
    case cJSON_Number: {
        double d = j->valuedouble == 0 ? 0 : j->valuedouble; /* -0 == 0 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof(bits));
        return h ^ (bits * 0xff51afd7ed558ccdull);
    }
    case cJSON_String: return h ^ act_hash_str(j->valuestring);
    case cJSON_Array:
        for (const cJSON *c = j->child; c; c = c->next)
            h = (h ^ json_hash(c, depth + 1)) * 0x100000001b3ull;
        return h;
    case cJSON_Object:
        for (const cJSON *c = j->child; c; c = c->next)
            h += act_hash_str(c->string) * 31 + json_hash(c, depth + 1); /* order-free */
        return h;
    default: return h;
    }
}

struct hitem {
    uint64_t h;
    size_t i;
    const cJSON *j;
};

static int hitem_cmp(const void *a, const void *b)
{
    const struct hitem *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : (x->i > y->i);
}

/* Indexes of two equal items of array a (*i < *k), 1 when found. */
static int find_duplicate(struct walk *w, const cJSON *a, size_t n, size_t *i, size_t *k,
                          enum act_status *st)
{
    *st = ACT_OK;
    if (n <= 32) {
        size_t x = 0;
        for (const cJSON *p = a->child; p; p = p->next, x++) {
            size_t y = x + 1;
            for (const cJSON *q = p->next; q; q = q->next, y++) {
                if (json_equal(w, p, q, 0)) {
                    *i = x;
                    *k = y;
                    return 1;
                }
            }
        }
        return 0;
    }
    struct hitem *items = act_malloc(n * sizeof(*items));
    if (!items) {
        *st = ACT_ERR_NOMEM;
        return 0;
    }
    size_t x = 0;
    for (const cJSON *p = a->child; p; p = p->next, x++)
        items[x] = (struct hitem){json_hash(p, 0), x, p};
    qsort(items, n, sizeof(*items), hitem_cmp);
    int found = 0;
    for (size_t s = 0; s < n && !found; s++)
        for (size_t t = s + 1; t < n && items[t].h == items[s].h && !found; t++)
            if (json_equal(w, items[s].j, items[t].j, 0)) {
                *i = items[s].i < items[t].i ? items[s].i : items[t].i;
                *k = items[s].i < items[t].i ? items[t].i : items[s].i;
                found = 1;
            }
    act_free(items);
    return found;
}

/* ---- keyword groups ---------------------------------------------------------------------- */

static enum act_status check_string_as(struct walk *w, const struct schema *s, const cJSON *inst,
                                       const char *str, size_t len, struct act_errlist *out);

static size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static NOINLINE enum act_status check_string(struct walk *w, const struct schema *s,
                                             const cJSON *inst, struct act_errlist *out)
{
    const char *str = inst->valuestring;
    size_t len = strlen(str);
    char *plain = NULL; /* str with U+0000 as NUL bytes, when it has any (json_fast.h) */
    if ((s->pattern || s->format != ACT_FMT_NONE) && act_json_has_nul(str, len)) {
        if (!(plain = act_malloc(len + 1)))
            return ACT_ERR_NOMEM;
        memcpy(plain, str, len + 1);
        size_t n = act_json_decode_nul(plain, len);
        str = plain;
        len = n; /* a NUL byte counts as one character, as C0 80 would */
    }
    enum act_status st = check_string_as(w, s, inst, str, len, out);
    act_free(plain);
    return st;
}

static NOINLINE enum act_status check_string_as(struct walk *w, const struct schema *s,
                                                const cJSON *inst, const char *str, size_t len,
                                                struct act_errlist *out)
{
    char found[ACT_ECHO_SIZE + 64];
    enum act_status st = ACT_OK;
    if (s->max_len != (size_t)-1 && len > s->max_len) {
        size_t n = utf8_count(str, len);
        if (n > s->max_len) {
            snprintf(found, sizeof(found), "%zu characters", n);
            st = add_err(w, out, s, "maxLength", found, "at most %zu characters", s->max_len);
        }
    }
    if (!st && s->min_len > 0) {
        size_t n = len < s->min_len ? len : utf8_count(str, len);
        if (n < s->min_len) {
            snprintf(found, sizeof(found), "%zu character%s", n, n == 1 ? "" : "s");
            st = add_err(w, out, s, "minLength", found, "at least %zu characters", s->min_len);
        }
    }
    if (!st && s->pattern) {
        int r = act_pattern_match(s->pattern, str, len, &w->regex);
        if (r == -3)
            return ACT_ERR_NOMEM;
        if (r != 1) {
            char echo[ACT_ECHO_SIZE];
            value_text(inst, found, sizeof(found));
            act_echo(echo, sizeof(echo), s->pattern_src, strlen(s->pattern_src));
            if (r == 0)
                st = add_err(w, out, s, "pattern", found, "a match for /%s/", echo);
            else if (r == -1)
                st = add_err(w, out, s, "pattern", "invalid UTF-8", "a valid UTF-8 string");
            else if (w->regex)
                st = add_err(w, out, s, "pattern", "a string too costly to match",
                             "a match for /%s/ within %d steps", echo, ACT_MAX_REGEX_STEPS);
            else
                st = add_err(w, out, s, "pattern", "a string too costly to match",
                             "a match for /%s/ within the regex budget of %lu steps per "
                             "validation (spent)",
                             echo, (unsigned long)ACT_MAX_REGEX_BUDGET);
        }
    }
    if (!st && s->format != ACT_FMT_NONE && s->format < ACT_FMT_INT32 &&
        !act_format_check_string(s->format, str, len)) {
        value_text(inst, found, sizeof(found));
        st = add_err(w, out, s, "format", found, "%s", act_format_describe(s->format));
    }
    return st;
}

/* The instance number as messages show it (as written when the double is not
 * exact); formatted only when an error is recorded. Returns buf. */
static const char *number_text(struct walk *w, const cJSON *inst, char *buf, size_t size)
{
    struct act_dec exact;
    if (!(fabs(inst->valuedouble) < TWO53) && inst_dec(w, inst, &exact))
        dec_text(&exact, buf, size); /* as written, not as the double reads */
    else
        value_text(inst, buf, size);
    return buf;
}

/* 2020-12 exclusiveMaximum / exclusiveMinimum (numbers of their own). */
static NOINLINE enum act_status check_exclusive(struct walk *w, const struct schema *s,
                                                const cJSON *inst, struct act_errlist *out)
{
    char found[128], bound[128];
    for (int max = 1; max >= 0; max--) {
        if (!(s->flags & (max ? ACT_S_HAS_XMAX : ACT_S_HAS_XMIN)))
            continue;
        const struct act_snum *b = max ? &s->xmax : &s->xmin;
        int c = num_cmp(w, inst, b);
        if (c != 2 && (max ? c < 0 : c > 0))
            continue;
        dec_text(&b->dec, bound, sizeof(bound));
        const char *kw = max ? "exclusiveMaximum" : "exclusiveMinimum";
        if (c == 2)
            return add_err(w, out, s, kw, "a number beyond double precision",
                           "a number that can be compared exactly with %s", bound);
        return add_err(w, out, s, kw, number_text(w, inst, found, sizeof(found)), "%s %s",
                       max ? "less than" : "greater than", bound);
    }
    return ACT_OK;
}

static NOINLINE enum act_status check_number(struct walk *w, const struct schema *s,
                                             const cJSON *inst, struct act_errlist *out)
{
    char found[128], bound[128];
    enum act_status st = ACT_OK;
    if (s->flags & ACT_S_HAS_MAX) {
        int c = num_cmp(w, inst, &s->max);
        int ex = (s->flags & ACT_S_EXMAX) != 0;
        if (c == 2 || c > 0 || (ex && c == 0))
            dec_text(&s->max.dec, bound, sizeof(bound));
        if (c == 2)
            st = add_err(w, out, s, "maximum", "a number beyond double precision",
                         "a number that can be compared exactly with %s", bound);
        else if (c > 0 || (ex && c == 0))
            st = add_err(w, out, s, ex ? "exclusiveMaximum" : "maximum",
                         number_text(w, inst, found, sizeof(found)), "%s %s",
                         ex ? "less than" : "at most", bound);
    }
    if (!st && (s->flags & ACT_S_HAS_MIN)) {
        int c = num_cmp(w, inst, &s->min);
        int ex = (s->flags & ACT_S_EXMIN) != 0;
        if (c == 2 || c < 0 || (ex && c == 0))
            dec_text(&s->min.dec, bound, sizeof(bound));
        if (c == 2)
            st = add_err(w, out, s, "minimum", "a number beyond double precision",
                         "a number that can be compared exactly with %s", bound);
        else if (c < 0 || (ex && c == 0))
            st = add_err(w, out, s, ex ? "exclusiveMinimum" : "minimum",
                         number_text(w, inst, found, sizeof(found)), "%s %s",
                         ex ? "greater than" : "at least", bound);
    }
    if (!st && (s->flags & (ACT_S_HAS_XMAX | ACT_S_HAS_XMIN)))
        st = check_exclusive(w, s, inst, out);
    if (!st && (s->flags & ACT_S_HAS_MULT)) {
        double x = inst->valuedouble, m = s->mult.d;
        int ok;
        if (fabs(x) < TWO53 && is_integral(x) && is_integral(m))
            ok = fmod(x, m) == 0;
        else {
            struct act_dec d;
            if (!inst_dec(w, inst, &d))
                act_dec_from_double(&d, isfinite(x) ? x : 0); /* no text: the double's value */
            ok = act_dec_multiple(&d, &s->mult.dec);
        }
        if (!ok) {
            dec_text(&s->mult.dec, bound, sizeof(bound));
            st = add_err(w, out, s, "multipleOf", number_text(w, inst, found, sizeof(found)),
                         "a multiple of %s", bound);
        }
    }
    if (!st && s->format >= ACT_FMT_INT32) {
        double x = inst->valuedouble;
        static const struct act_snum i64min = {
            -9223372036854775808.0, 1, {19, 19, 1, "9223372036854775808"}};
        static const struct act_snum i64max = {
            9223372036854775807.0, 1, {19, 19, 0, "9223372036854775807"}};
        int ok = 1;
        switch (s->format) {
        case ACT_FMT_INT32: ok = is_integral(x) && x >= -2147483648.0 && x <= 2147483647.0; break;
        case ACT_FMT_INT64: {
            int lo = num_cmp(w, inst, &i64min), hi = num_cmp(w, inst, &i64max);
            ok = is_integral(x) && lo != -1 && lo != 2 && hi != 1 && hi != 2;
            break;
        }
        case ACT_FMT_FLOAT: ok = fabs(x) <= 3.4028234663852886e38; break;
        case ACT_FMT_DOUBLE: ok = isfinite(x); break;
        default: break;
        }
        if (!ok)
            st = add_err(w, out, s, "format", number_text(w, inst, found, sizeof(found)), "%s",
                         act_format_describe(s->format));
    }
    return st;
}

static NOINLINE enum act_status array_counts(struct walk *w, const struct schema *s,
                                             const cJSON *inst, size_t n, struct act_errlist *out)
{
    char found[64];
    enum act_status st = ACT_OK;
    if (n > s->max_items) {
        snprintf(found, sizeof(found), "%zu", n);
        st = add_err(w, out, s, "maxItems", found, "at most %zu items", s->max_items);
    }
    if (!st && n < s->min_items) {
        snprintf(found, sizeof(found), "%zu", n);
        st = add_err(w, out, s, "minItems", found, "at least %zu items", s->min_items);
    }
    if (!st && (s->flags & ACT_S_UNIQUE) && n > 1) {
        size_t i = 0, k = 0;
        if (find_duplicate(w, inst, n, &i, &k, &st)) {
            snprintf(found, sizeof(found), "items %zu and %zu equal", i, k);
            st = add_err(w, out, s, "uniqueItems", found, "unique items");
        }
    }
    return st;
}

/* An object-level error naming a property: additionalProperties, required. */
static NOINLINE enum act_status prop_err(struct walk *w, const struct schema *s,
                                         struct act_errlist *out, const char *kw, const char *name)
{
    char echo[ACT_ECHO_SIZE], found[ACT_ECHO_SIZE + 16];
    echo_str(echo, sizeof(echo), name);
    if (kw[0] == 'a') {
        snprintf(found, sizeof(found), "property \"%s\"", echo);
        return add_err(w, out, s, kw, found, "no property outside \"properties\"");
    }
    return add_err(w, out, s, kw, "nothing", "property \"%s\"", echo);
}

static NOINLINE enum act_status object_counts(struct walk *w, const struct schema *s, size_t n,
                                              struct act_errlist *out)
{
    char found[32];
    snprintf(found, sizeof(found), "%zu", n);
    if (n > s->max_props)
        return add_err(w, out, s, "maxProperties", found, "at most %zu properties", s->max_props);
    return add_err(w, out, s, "minProperties", found, "at least %zu properties", s->min_props);
}

static NOINLINE enum act_status type_err(struct walk *w, const struct schema *s, const cJSON *inst,
                                         unsigned t, struct act_errlist *out)
{
    char want[96], found[96], num[64];
    types_text(s->types, want, sizeof(want));
    if (t == ACT_T_NUM && (s->types & ACT_T_INT)) {
        value_text(inst, num, sizeof(num));
        snprintf(found, sizeof(found), "number %s", num);
    } else {
        snprintf(found, sizeof(found), "%s", type_name(t == ACT_T_INT ? ACT_T_NUM : t));
    }
    return add_err(w, out, s, "type", found, "%s", want);
}

static enum act_status check_array(struct walk *w, struct schema *s, const cJSON *inst,
                                   struct act_errlist *out)
{
    size_t n = 0;
    enum act_status st = ACT_OK;
    for (const cJSON *c = inst->child; c; c = c->next)
        n++;
    if (n > s->max_items || n < s->min_items || ((s->flags & ACT_S_UNIQUE) && n > 1))
        st = array_counts(w, s, inst, n, out);
    if (st || (w->quick && nerr(out)))
        return st;
    if (s->items.node) {
        if ((st = act_sref_get(w->v, &s->items, w->err)))
            return st;
        struct schema *is = s->items.s;
        if (is->flags & ACT_S_ANY)
            return ACT_OK;
        size_t i = 0;
        for (const cJSON *c = inst->child; c; c = c->next, i++) {
            if ((st = push_seg(w, NULL, i)))
                return st;
            st = check(w, is, c, out);
            w->depth--;
            if (st || (w->quick && nerr(out)))
                return st;
        }
    }
    return ACT_OK;
}

/* Is the property with schema ps exempt from "required" in this direction? */
static int exempt(const struct walk *w, const struct schema *ps)
{
    if (w->dir == ACT_DIR_REQUEST)
        return (ps->flags & ACT_S_READONLY) != 0;
    return (ps->flags & ACT_S_WRITEONLY) != 0;
}

/* The property of s named name. Members usually come in the order of "properties"
 * (serializers generated from the same schema write them so), so the few properties
 * after the previous match (*hint) are tried before the hash table. */
static const struct act_sprop *find_prop(const struct schema *s, const char *name, size_t *hint)
{
    size_t end = *hint + 4 < s->n_props ? *hint + 4 : s->n_props;
    for (size_t i = *hint; i < end; i++) {
        if (strcmp(s->props[i].name, name) == 0) {
            *hint = i + 1;
            return &s->props[i];
        }
    }
    const struct act_sprop *p = act_schema_prop(s, name);
    if (p)
        *hint = (size_t)(p - s->props) + 1;
    return p;
}

static enum act_status check_object(struct walk *w, struct schema *s, const cJSON *inst,
                                    struct act_errlist *out)
{
    size_t hint = 0;              /* where the next member's property probably is */
    uint64_t seen_small[4] = {0}; /* bit i: property i is present */
    uint64_t *seen = seen_small;
    size_t n = 0;
    enum act_status st = ACT_OK;
    if (s->n_props > 256) {
        seen = act_calloc((s->n_props + 63) / 64, sizeof(*seen));
        if (!seen)
            return ACT_ERR_NOMEM;
    }
    for (const cJSON *m = inst->child; m; m = m->next) {
        n++;
        const struct act_sprop *p = s->n_props ? find_prop(s, m->string, &hint) : NULL;
        struct schema *child = NULL;
        if (p) {
            size_t pi = (size_t)(p - s->props);
            seen[pi / 64] |= (uint64_t)1 << (pi % 64);
            struct act_sref *r = (struct act_sref *)&p->ref;
            if ((st = act_sref_get(w->v, r, w->err)))
                break;
            child = r->s;
        } else if (s->flags & ACT_S_ADDL_FALSE) {
            if ((st = push_seg(w, m->string, 0)))
                break;
            st = prop_err(w, s, out, "additionalProperties", m->string);
            w->depth--;
            if (st || (w->quick && nerr(out)))
                break;
            continue;
        } else if (s->addl.node) {
            if ((st = act_sref_get(w->v, &s->addl, w->err)))
                break;
            child = s->addl.s;
        }
        if (!child || ((child->flags & ACT_S_ANY) && !(child->flags & ACT_S_READONLY)))
            continue;
        if ((st = push_seg(w, m->string, 0)))
            break;
        if (p && w->dir == ACT_DIR_REQUEST && (child->flags & ACT_S_READONLY))
            st = add_err(w, out, child, "readOnly", "a readOnly property",
                         "no readOnly property in a request");
        if (!st)
            st = check(w, child, m, out);
        w->depth--;
        if (st || (w->quick && nerr(out)))
            break;
    }
    for (size_t i = 0; !st && i < s->n_props && !(w->quick && nerr(out)); i++) {
        struct act_sprop *p = &s->props[i];
        if (!p->required || (seen[i / 64] >> (i % 64) & 1))
            continue;
        if ((st = act_sref_get(w->v, &p->ref, w->err)))
            break;
        if (!exempt(w, p->ref.s))
            st = prop_err(w, s, out, "required", p->name);
    }
    for (size_t i = 0; !st && i < s->n_req_extra && !(w->quick && nerr(out)); i++)
        if (!cJSON_GetObjectItemCaseSensitive(inst, s->req_extra[i]))
            st = prop_err(w, s, out, "required", s->req_extra[i]);
    if (seen != seen_small)
        act_free(seen);
    if (!st && (n > s->max_props || n < s->min_props))
        st = object_counts(w, s, n, out);
    return st;
}

static NOINLINE enum act_status check_enum(struct walk *w, const struct schema *s,
                                           const cJSON *inst, struct act_errlist *out)
{
    for (const cJSON *e = s->enumv->child; e; e = e->next)
        if (json_equal(NULL, e, inst, 0))
            return ACT_OK;
    if (w->quick)
        return add_err(w, out, s, "enum", "", "%s", "");
    char list[300], one[ACT_ECHO_SIZE + 8], found[ACT_ECHO_SIZE + 8];
    size_t o = 0, k = 0;
    list[0] = '\0';
    for (const cJSON *e = s->enumv->child; e; e = e->next, k++) {
        value_text(e, one, sizeof(one));
        if (o + strlen(one) + 8 >= sizeof(list) || k == 10) {
            snprintf(list + o, sizeof(list) - o, ", ...");
            break;
        }
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", k ? ", " : "", one);
    }
    value_text(inst, found, sizeof(found));
    return add_err(w, out, s, "enum", found, "one of %s", list);
}

/* ---- anyOf / oneOf / discriminator ------------------------------------------------------- */

/* The schema the discriminator of s selects for inst: *out NULL and an error recorded when
 * the value is missing or selects nothing. */
static NOINLINE enum act_status discriminate(struct walk *w, struct schema *s, const cJSON *inst,
                                             struct act_errlist *out, const cJSON **target,
                                             const struct act_doc **tdoc)
{
    *target = NULL;
    const cJSON *val = cJSON_GetObjectItemCaseSensitive(inst, s->disc_prop);
    char echo[ACT_ECHO_SIZE];
    if (!val)
        return ACT_OK; /* absent: the discriminator is a hint, the schemas still decide */
    if (!cJSON_IsString(val))
        return add_err(w, out, s, "discriminator", type_name(type_of(val)),
                       "a string property \"%s\" (the discriminator)",
                       act_echo(echo, sizeof(echo), s->disc_prop, strlen(s->disc_prop)));
    struct act_dmap *d;
    for (d = s->dmap; d; d = d->next)
        if (strcmp(d->value, val->valuestring) == 0)
            break;
    if (!d) {
        d = act_calloc(1, sizeof(*d));
        if (!d || !(d->value = act_strdup(val->valuestring))) {
            act_free(d);
            return ACT_ERR_NOMEM;
        }
        d->next = s->dmap;
        s->dmap = d;
        const cJSON *m = s->disc_mapping
                             ? cJSON_GetObjectItemCaseSensitive(s->disc_mapping, val->valuestring)
                             : NULL;
        const char *name = m ? m->valuestring : val->valuestring;
        struct act_node t = {s->doc, NULL};
        enum act_status st = ACT_OK;
        if (m && strpbrk(name, "#/.")) {
            if ((st = act_ref_resolve(w->v->ds, s->doc, name, &t, NULL)))
                t.node = NULL;
        } else {
            /* implicit mapping, or a bare schema name in mapping: #/components/schemas/NAME */
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(s->doc->root, "components");
            t.node = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(c, "schemas"), name);
        }
        if (t.node && (st = act_ref_deref(w->v->ds, t, &t, NULL)) == ACT_OK) {
            d->doc = t.doc;
            d->target = t.node;
        }
        if (st == ACT_ERR_NOMEM) {
            d->value[0] = '\0'; /* do not cache a failure to allocate */
            return st;
        }
    }
    if (!d->target) {
        char names[300];
        size_t o = 0;
        names[0] = '\0';
        for (const cJSON *e = s->disc_mapping ? s->disc_mapping->child : NULL; e && o < 250;
             e = e->next)
            o += (size_t)snprintf(names + o, sizeof(names) - o, "%s\"%s\"", o ? ", " : "",
                                  act_echo(echo, sizeof(echo), e->string, strlen(e->string)));
        char found[ACT_ECHO_SIZE + 8];
        value_text(val, found, sizeof(found));
        return add_err(w, out, s, "discriminator", found, "%s%s", o ? "one of " : "",
                       o ? names : "the name of a schema in #/components/schemas");
    }
    *target = d->target;
    *tdoc = d->doc;
    return ACT_OK;
}

/* The branch of br[0..n) (compiled) whose schema is target's, or -1. */
static long branch_of(struct walk *w, struct act_sref *br, size_t n, const struct act_doc *tdoc,
                      const cJSON *target, enum act_status *st)
{
    struct schema *ts;
    if ((*st = act_schema_get(w->v, tdoc, target, NULL, &ts, w->err)))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (br[i].s == ts)
            return (long)i;
    return -1;
}

/* Move the errors of from into to (from is left empty). */
static enum act_status move_errors(struct act_errlist *to, struct act_errlist *from)
{
    enum act_status st = ACT_OK;
    for (size_t i = 0; i < from->n; i++) {
        if (st)
            verr_release(&from->v[i]);
        else
            st = errlist_take(to, &from->v[i]);
    }
    to->dropped += from->dropped;
    from->n = from->dropped = 0;
    return st;
}

/* Append copies of the errors of from to to. */
static enum act_status copy_errors(struct act_errlist *to, const struct act_errlist *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const struct act_verr *f = &from->v[i];
        struct act_verr e = {0};
        e.keyword = f->keyword;
        e.instance = act_strdup(f->instance);
        e.schema = act_strdup(f->schema);
        e.file = act_strdup(f->file);
        e.expected = act_strdup(f->expected);
        e.found = act_strdup(f->found);
        if (!e.instance || !e.schema || !e.file || !e.expected || !e.found) {
            verr_release(&e);
            return ACT_ERR_NOMEM;
        }
        enum act_status st = errlist_take(to, &e);
        if (st)
            return st;
    }
    to->dropped += from->dropped;
    return ACT_OK;
}

/* Does the branch clearly not fit: a type error on the instance itself, or an enum error on
 * one of its direct properties (a "kind" field that says it is another variant)? */
static int misfit(const struct act_errlist *l, const char *here)
{
    size_t hl = strlen(here);
    for (size_t i = 0; i < l->n; i++) {
        const struct act_verr *e = &l->v[i];
        if (strcmp(e->instance, here) == 0 && strcmp(e->keyword, "type") == 0)
            return 1;
        if (strncmp(e->instance, here, hl) == 0 && e->instance[hl] == '/' &&
            !strchr(e->instance + hl + 1, '/') &&
            (strcmp(e->keyword, "enum") == 0 || strcmp(e->keyword, "discriminator") == 0))
            return 1;
    }
    return 0;
}

/* No branch fitted: run them again recording errors, report the best one, or one line each. */
static NOINLINE enum act_status explain_branches(struct walk *w, struct schema *s, const char *kw,
                                                 struct act_sref *br, size_t n, const cJSON *inst,
                                                 struct act_errlist *out)
{
    struct act_errlist *tmp = act_calloc(n, sizeof(*tmp));
    char *here = instance_pointer(w);
    enum act_status st = ACT_OK;
    if (!tmp || !here) {
        act_free(tmp);
        act_free(here);
        return ACT_ERR_NOMEM;
    }
    w->explaining++;
    for (size_t i = 0; i < n && !st; i++) {
        act_errlist_init(&tmp[i], out->max);
        st = check(w, br[i].s, inst, &tmp[i]);
    }
    w->explaining--;
    long best = -1;
    if (!st) {
        size_t fits = 0, fewest = (size_t)-1, n_fewest = 0;
        long fit = -1, few = -1;
        for (size_t i = 0; i < n; i++) {
            if (misfit(&tmp[i], here))
                continue;
            fits++;
            fit = (long)i;
            size_t e = nerr(&tmp[i]);
            if (e < fewest) {
                fewest = e;
                few = (long)i;
                n_fewest = 1;
            } else if (e == fewest) {
                n_fewest++;
            }
        }
        if (fits == 1)
            best = fit;
        else if (fits > 1 && n_fewest == 1)
            best = few;
    }
    if (!st && best >= 0) {
        st = move_errors(out, &tmp[best]);
    } else if (!st) {
        char found[64];
        snprintf(found, sizeof(found), "none of %zu", n);
        st = add_err(w, out, s, kw, found, "a match for %s of its schemas",
                     kw[0] == 'o' ? "exactly one" : "at least one");
        for (size_t i = 0; i < n && !st; i++) {
            if (tmp[i].n == 0)
                continue;
            struct act_verr e = tmp[i].v[0]; /* the first error of each branch */
            memset(&tmp[i].v[0], 0, sizeof(e));
            st = errlist_take(out, &e);
        }
    }
    for (size_t i = 0; i < n; i++)
        act_errlist_release(&tmp[i]);
    act_free(tmp);
    act_free(here);
    return st;
}

/* Does inst fit s? Checked in quick mode (no errors recorded), once per validation; the
 * 2020-12 annotations of s go to a when it fits (a may be NULL). */
static int probe_ann(struct walk *w, struct schema *s, const cJSON *inst, struct ann *a,
                     enum act_status *st)
{
    struct act_errlist l;
    int quick = w->quick;
    act_errlist_init(&l, 1);
    w->quick = 1;
    *st = check_ann(w, s, inst, &l, a);
    w->quick = quick;
    int fits = nerr(&l) == 0;
    act_errlist_release(&l);
    return fits;
}

static int probe(struct walk *w, struct schema *s, const cJSON *inst, enum act_status *st)
{
    return probe_ann(w, s, inst, NULL, st);
}

static enum act_status check_branches(struct walk *w, struct schema *s, const char *kw,
                                      struct act_sref *br, size_t n, const cJSON *inst,
                                      struct act_errlist *out)
{
    enum act_status st = ACT_OK;
    for (size_t i = 0; i < n; i++)
        if ((st = act_sref_get(w->v, &br[i], w->err)))
            return st;
    if (s->disc_prop && cJSON_IsObject(inst)) {
        const cJSON *target;
        const struct act_doc *tdoc;
        size_t before = nerr(out);
        if ((st = discriminate(w, s, inst, out, &target, &tdoc)) || nerr(out) > before)
            return st;
        if (!target)
            goto plain;
        long b = branch_of(w, br, n, tdoc, target, &st);
        if (st)
            return st;
        if (b >= 0)
            return check(w, br[b].s, inst, out);
        char found[ACT_ECHO_SIZE + 8];
        value_text(cJSON_GetObjectItemCaseSensitive(inst, s->disc_prop), found, sizeof(found));
        return add_err(w, out, s, "discriminator", found,
                       "a value that selects one of the %s schemas", kw);
    }
plain:;
    size_t matched = 0, first = 0, second = 0;
    for (size_t i = 0; i < n; i++) {
        int fits = probe(w, br[i].s, inst, &st);
        if (st)
            break;
        if (fits) {
            if (matched == 0)
                first = i;
            else if (matched == 1)
                second = i;
            matched++;
            if (kw[0] == 'a' || matched > 1)
                break;
        }
    }
    if (st)
        return st;
    if (matched == 1 || (matched > 1 && kw[0] == 'a'))
        return ACT_OK;
    if (matched > 1) {
        char found[64];
        snprintf(found, sizeof(found), "more than one (%zu and %zu)", first, second);
        return add_err(w, out, s, kw, found, "exactly one schema to match");
    }
    if (w->quick)
        return add_err(w, out, s, kw, "", "%s", "");
    if (!w->explaining)
        return explain_branches(w, s, kw, br, n, inst, out);
    /* Inside another explanation: the same one may be asked for again through another
     * branch (see "remembered results"), so it is kept. */
    int kind = kw[0] == 'a' ? MEMO_ANYOF : MEMO_ONEOF;
    struct memo *m = memo_find(w, s, inst, kind);
    if (m)
        return copy_errors(out, m->errs);
    struct act_errlist *mine = act_calloc(1, sizeof(*mine));
    if (!mine)
        return ACT_ERR_NOMEM;
    act_errlist_init(mine, out->max);
    size_t low = w->guard_low;
    w->guard_low = (size_t)-1;
    st = explain_branches(w, s, kw, br, n, inst, mine);
    if (!st)
        st = copy_errors(out, mine);
    if (!st && (w->guard_low == (size_t)-1 || w->guard_low + 1 >= w->sp) &&
        (m = memo_add(w, s, inst, kind))) {
        m->errs = mine;
        mine = NULL;
    }
    if (w->guard_low > low)
        w->guard_low = low;
    if (mine) {
        act_errlist_release(mine);
        act_free(mine);
    }
    return st;
}

/* ---- JSON Schema 2020-12 ------------------------------------------------------------------ */

/* Apply sub (an act_sref of s) to child number i of the instance, path segment key/i. */
static enum act_status check_child(struct walk *w, struct act_sref *sub, const cJSON *c,
                                   const char *key, size_t i, struct act_errlist *out)
{
    enum act_status st = act_sref_get(w->v, sub, w->err);
    if (st || (sub->s->flags & ACT_S_ANY))
        return st;
    if ((st = push_seg(w, key, i)))
        return st;
    st = check(w, sub->s, c, out);
    w->depth--;
    return st;
}

#define STOP(w, out, st) ((st) || ((w)->quick && nerr(out)))

static NOINLINE enum act_status contains_err(struct walk *w, const struct schema *s, size_t got,
                                             struct act_errlist *out)
{
    char found[64];
    snprintf(found, sizeof(found), "%zu matching item%s", got, got == 1 ? "" : "s");
    if (got > s->max_contains)
        return add_err(w, out, s, "maxContains", found, "at most %zu items matching \"contains\"",
                       s->max_contains);
    if (s->min_contains == 1 && !got)
        return add_err(w, out, s, "contains", found, "an item matching \"contains\"");
    return add_err(w, out, s, "minContains", found, "at least %zu items matching \"contains\"",
                   s->min_contains);
}

/* Arrays in 2020-12: prefixItems, items after them, contains, annotations. */
static NOINLINE enum act_status check_array20(struct walk *w, struct schema *s, const cJSON *inst,
                                              struct act_errlist *out, struct ann *a)
{
    size_t n = 0, i = 0, got = 0;
    enum act_status st = ACT_OK;
    for (const cJSON *c = inst->child; c; c = c->next)
        n++;
    if (n > s->max_items || n < s->min_items || ((s->flags & ACT_S_UNIQUE) && n > 1))
        st = array_counts(w, s, inst, n, out);
    for (const cJSON *c = inst->child; c && !STOP(w, out, st); c = c->next, i++) {
        struct act_sref *sub = i < s->n_prefix ? &s->prefix[i] : s->items.node ? &s->items : NULL;
        if (sub) {
            ann_set(a, i);
            st = check_child(w, sub, c, NULL, i, out);
        }
    }
    if (!STOP(w, out, st) && s->contains.node) {
        if ((st = act_sref_get(w->v, &s->contains, w->err)))
            return st;
        i = 0;
        for (const cJSON *c = inst->child; c && !st; c = c->next, i++) {
            if (probe(w, s->contains.s, c, &st)) {
                got++;
                ann_set(a, i);
            }
        }
        if (!st && (got < s->min_contains || got > s->max_contains))
            st = contains_err(w, s, got, out);
    }
    return st;
}

static NOINLINE enum act_status name_node(struct walk *w, const char *name, cJSON **out)
{
    if (ACT_GROW(w->names, w->cap_names, w->n_names + 1, 8) || !(*out = cJSON_CreateString(name)))
        return ACT_ERR_NOMEM;
    w->names[w->n_names++] = *out;
    return ACT_OK;
}

static NOINLINE enum act_status dep_required(struct walk *w, const struct schema *s,
                                             const cJSON *inst, struct act_errlist *out)
{
    enum act_status st = ACT_OK;
    for (const cJSON *d = s->dep_req->child; d && !STOP(w, out, st); d = d->next) {
        if (!cJSON_GetObjectItemCaseSensitive(inst, d->string))
            continue;
        for (const cJSON *r = d->child; r && !STOP(w, out, st); r = r->next) {
            if (cJSON_GetObjectItemCaseSensitive(inst, r->valuestring))
                continue;
            char echo[ACT_ECHO_SIZE], echo2[ACT_ECHO_SIZE];
            echo_str(echo, sizeof(echo), r->valuestring);
            echo_str(echo2, sizeof(echo2), d->string);
            st = add_err(w, out, s, "dependentRequired", "nothing",
                         "property \"%s\" (required with \"%s\")", echo, echo2);
        }
    }
    return st;
}

/* A member name patternProperties could not match (r: see act_pattern_match). */
static NOINLINE enum act_status pattern_name_err(struct walk *w, const struct schema *s,
                                                 struct act_errlist *out, const char *name, int r,
                                                 size_t i)
{
    char echo[ACT_ECHO_SIZE];
    enum act_status st = push_seg(w, name, 0);
    if (st)
        return st;
    act_echo(echo, sizeof(echo), s->pprops[i].src, strlen(s->pprops[i].src));
    st = add_err(w, out, s, "patternProperties",
                 r == -1 ? "a name of invalid UTF-8" : "a name too costly to match",
                 "a name that /%s/ can be tried on within the regex budget", echo);
    w->depth--;
    return st;
}

/* Objects in 2020-12: properties, patternProperties, additionalProperties (of the members
 * neither names), propertyNames, required, dependent*, counts, annotations. */
static NOINLINE enum act_status check_object20(struct walk *w, struct schema *s, const cJSON *inst,
                                               struct act_errlist *out, struct ann *a)
{
    size_t n = 0;
    enum act_status st = ACT_OK;
    for (const cJSON *m = inst->child; m && !STOP(w, out, st); m = m->next, n++) {
        int matched = 0;
        const struct act_sprop *p = s->n_props ? act_schema_prop(s, m->string) : NULL;
        if (p) {
            matched = 1;
            ann_set(a, n);
            struct act_sref *r = (struct act_sref *)&p->ref;
            if ((st = act_sref_get(w->v, r, w->err)))
                break;
            if (w->dir == ACT_DIR_REQUEST && (r->s->flags & ACT_S_READONLY)) {
                if ((st = push_seg(w, m->string, 0)))
                    break;
                st = add_err(w, out, r->s, "readOnly", "a readOnly property",
                             "no readOnly property in a request");
                w->depth--;
            }
            if (!STOP(w, out, st))
                st = check_child(w, r, m, m->string, 0, out);
        }
        for (size_t i = 0; i < s->n_pprops && !STOP(w, out, st); i++) {
            const char *str = m->string;
            int r = act_pattern_match(s->pprops[i].re, str, strlen(str), &w->regex);
            if (r < 0) {
                st = r == -3 ? ACT_ERR_NOMEM : pattern_name_err(w, s, out, m->string, r, i);
                continue;
            }
            if (r != 1)
                continue;
            matched = 1;
            ann_set(a, n);
            st = check_child(w, &s->pprops[i].ref, m, m->string, 0, out);
        }
        if (!matched && s->addl.node && !STOP(w, out, st)) {
            ann_set(a, n);
            if (s->flags & ACT_S_ADDL_FALSE) {
                if ((st = push_seg(w, m->string, 0)))
                    break;
                st = prop_err(w, s, out, "additionalProperties", m->string);
                w->depth--;
            } else {
                st = check_child(w, &s->addl, m, m->string, 0, out);
            }
        }
        if (s->pnames.node && !STOP(w, out, st)) {
            cJSON *name;
            if (!(st = name_node(w, m->string, &name)))
                st = check_child(w, &s->pnames, name, m->string, 0, out);
        }
    }
    for (size_t i = 0; i < s->n_props && !STOP(w, out, st); i++) {
        struct act_sprop *p = &s->props[i];
        if (!p->required || cJSON_GetObjectItemCaseSensitive(inst, p->name))
            continue;
        if ((st = act_sref_get(w->v, &p->ref, w->err)))
            break;
        if (!exempt(w, p->ref.s))
            st = prop_err(w, s, out, "required", p->name);
    }
    for (size_t i = 0; i < s->n_req_extra && !STOP(w, out, st); i++)
        if (!cJSON_GetObjectItemCaseSensitive(inst, s->req_extra[i]))
            st = prop_err(w, s, out, "required", s->req_extra[i]);
    if (s->dep_req && !STOP(w, out, st))
        st = dep_required(w, s, inst, out);
    for (size_t i = 0; i < s->n_deps && !STOP(w, out, st); i++) {
        if (!cJSON_GetObjectItemCaseSensitive(inst, s->deps[i].name))
            continue;
        if (!(st = act_sref_get(w->v, &s->deps[i].ref, w->err)))
            st = check_ann(w, s->deps[i].ref.s, inst, out, a);
    }
    if (!STOP(w, out, st) && (n > s->max_props || n < s->min_props))
        st = object_counts(w, s, n, out);
    return st;
}

/* unevaluatedProperties / unevaluatedItems: the children no keyword evaluated (a). */
static NOINLINE enum act_status check_unevaluated(struct walk *w, struct schema *s,
                                                  const cJSON *inst, struct act_errlist *out,
                                                  struct ann *a)
{
    int obj = cJSON_IsObject(inst);
    struct act_sref *sub = obj ? &s->uprops : &s->uitems;
    enum act_status st = ACT_OK;
    size_t i = 0;
    if (!sub->node || (!obj && !cJSON_IsArray(inst)))
        return ACT_OK;
    if ((st = act_sref_get(w->v, sub, w->err)))
        return st;
    for (const cJSON *c = inst->child; c && !STOP(w, out, st); c = c->next, i++) {
        if (ann_get(a, i))
            continue;
        ann_set(a, i);
        if (sub->s->flags & ACT_S_FALSE) {
            char found[ACT_ECHO_SIZE + 16], echo[ACT_ECHO_SIZE];
            if ((st = push_seg(w, obj ? c->string : NULL, i)))
                break;
            if (obj)
                snprintf(found, sizeof(found), "property \"%s\"",
                         echo_str(echo, sizeof(echo), c->string));
            else
                snprintf(found, sizeof(found), "item %zu", i);
            st = add_err(w, out, s, obj ? "unevaluatedProperties" : "unevaluatedItems", found,
                         "no %s that other keywords do not evaluate", obj ? "property" : "item");
            w->depth--;
        } else {
            st = check_child(w, sub, c, obj ? c->string : NULL, i, out);
        }
    }
    return st;
}

/* anyOf / oneOf collecting annotations (a, not NULL): every branch is tried. */
static NOINLINE enum act_status branches_ann(struct walk *w, struct schema *s, const char *kw,
                                             struct act_sref *br, size_t n, const cJSON *inst,
                                             struct act_errlist *out, struct ann *a)
{
    enum act_status st = ACT_OK;
    size_t matched = 0;
    for (size_t i = 0; i < n && !st; i++) {
        struct ann t;
        if ((st = act_sref_get(w->v, &br[i], w->err)) || (st = ann_init(&t, inst)))
            break;
        if (probe_ann(w, br[i].s, inst, &t, &st) && !st) {
            matched++;
            ann_merge(a, &t);
        }
        ann_release(&t);
    }
    if (st || (kw[0] == 'a' ? matched >= 1 : matched == 1))
        return st;
    return check_branches(w, s, kw, br, n, inst, out);
}

/* The schema a $dynamicRef of s leads to here: the outermost resource of the dynamic scope
 * (the schemas being applied) with the dynamic anchor, else the static target. */
static NOINLINE enum act_status dynamic_target(struct walk *w, struct schema *s,
                                               struct schema **out)
{
    enum act_status st = act_sref_get(w->v, &s->dref, w->err);
    *out = s->dref.s;
    if (st || !s->dyn_name)
        return st;
    for (size_t i = 0; i < w->sp; i++) {
        struct act_res *r = w->stack[i].s->res;
        const cJSON *node = act_res_anchor(r, s->dyn_name, 1);
        if (node)
            return act_schema_get(w->v, r->doc, node, NULL, out, w->err);
    }
    return ACT_OK;
}

/* The 2020-12 applicators and const: $ref, $dynamicRef, if / then / else. */
static NOINLINE enum act_status check_appl20(struct walk *w, struct schema *s, const cJSON *inst,
                                             struct act_errlist *out, struct ann *a)
{
    enum act_status st = ACT_OK;
    if (s->constv && !json_equal(NULL, s->constv, inst, 0)) {
        char want[ACT_ECHO_SIZE + 8], found[ACT_ECHO_SIZE + 8];
        value_text(s->constv, want, sizeof(want));
        value_text(inst, found, sizeof(found));
        if ((st = add_err(w, out, s, "const", found, "%s", want)) || w->quick)
            return st;
    }
    if (s->ref.node) {
        if (!(st = act_sref_get(w->v, &s->ref, w->err)))
            st = check_ann(w, s->ref.s, inst, out, a);
        if (STOP(w, out, st))
            return st;
    }
    if (s->dref.node) {
        struct schema *t;
        if (!(st = dynamic_target(w, s, &t)))
            st = check_ann(w, t, inst, out, a);
        if (STOP(w, out, st))
            return st;
    }
    if (s->if_.node) {
        struct ann t;
        if ((st = act_sref_get(w->v, &s->if_, w->err)))
            return st;
        if (a && (st = ann_init(&t, inst)))
            return st;
        int fits = probe_ann(w, s->if_.s, inst, a ? &t : NULL, &st);
        if (a) {
            if (fits)
                ann_merge(a, &t);
            ann_release(&t);
        }
        struct act_sref *br = fits ? &s->then_ : &s->else_;
        if (!st && br->node && !(st = act_sref_get(w->v, br, w->err)))
            st = check_ann(w, br->s, inst, out, a);
    }
    return st;
}

/* ---- one schema on one node -------------------------------------------------------------- */

/* Null failed a schema that says nullable: true (OpenAPI 3.0.3 rules): say why. */
static NOINLINE enum act_status nullable_note(struct walk *w, const struct schema *s,
                                              struct act_errlist *out)
{
    const char *v = w->v->oas;
    if (!s->types)
        return add_err(w, out, s, "nullable", "null",
                       "a value other than null: `nullable` has no effect without `type` in "
                       "OpenAPI %s",
                       v);
    if (s->enumv)
        return add_err(w, out, s, "nullable", "null",
                       "a value of the enum: null is not in the enum, and `nullable` does not "
                       "add it in OpenAPI %s",
                       v);
    return add_err(w, out, s, "nullable", "null",
                   "a value the other keywords allow: `nullable` adds null to `type` only in "
                   "OpenAPI %s",
                   v);
}

/* The schema false (2020-12): no instance passes. */
static NOINLINE enum act_status false_err(struct walk *w, const struct schema *s, const cJSON *inst,
                                          struct act_errlist *out)
{
    char found[ACT_ECHO_SIZE + 8];
    value_text(inst, found, sizeof(found));
    return add_err(w, out, s, "", found, "nothing (the schema is false)");
}

/* The work budget ran out applying s here: note where, and unwind the whole walk. */
static NOINLINE enum act_status budget_spent(struct walk *w, const struct schema *s)
{
    if (!w->spent) {
        w->spent = 1;
        w->spent_at = instance_pointer(w);
        w->spent_s = s;
    }
    return ACT_ERR_LIMIT;
}

static enum act_status check_ann(struct walk *w, struct schema *s, const cJSON *inst,
                                 struct act_errlist *out, struct ann *ann)
{
    enum act_status st = ACT_OK;
    if (s->flags & ACT_S_ANY)
        return ACT_OK;
    if (s->flags & ACT_S_FALSE)
        return false_err(w, s, inst, out);
    /* Already applying s to this very node further up: nothing new to check. */
    for (size_t i = w->sp; i-- > 0 && w->stack[i].inst == inst;) {
        if (w->stack[i].s == s) {
            if (i < w->guard_low)
                w->guard_low = i;
            return ACT_OK;
        }
    }
    /* Known already (quick checks, and any check inside an explanation), unless annotations
     * are asked for or the dynamic scope may change what s means: */
    int remember = (w->quick || w->explaining) && !ann && !w->v->has_dynamic;
    if (remember) {
        const struct memo *m = memo_find(w, s, inst, MEMO_VALIDITY);
        if (m && m->valid)
            return ACT_OK;
        if (m && w->quick)
            return add_err(w, out, s, "", "", "%s", "");
    }
    if (w->steps == 0)
        return budget_spent(w, s);
    w->steps--;
    if (w->sp == w->stack_cap) {
        if (w->sp >= ACT_MAX_SCHEMA_DEPTH) {
            act_error_set(w->err, ACT_ERR_LIMIT, s->doc->path, 0, 0,
                          "schema applied more than %d levels deep (at %s)", ACT_MAX_SCHEMA_DEPTH,
                          s->loc);
            return ACT_ERR_LIMIT;
        }
        if (ACT_GROW(w->stack, w->stack_cap, w->sp + 1, 64))
            return ACT_ERR_NOMEM;
    }
    w->stack[w->sp++] = (struct frame){s, inst};
    if (w->v->stop && ++w->ticks >= ACT_VALIDATE_STOP_EVERY) {
        w->ticks = 0;
        const char *why = w->v->stop(w->v->stop_arg);
        if (why) {
            act_error_set(w->err, ACT_ERR_LIMIT, s->doc->path, 0, 0, "validation stopped: %s", why);
            w->sp--;
            return ACT_ERR_LIMIT;
        }
    }

    unsigned t = type_of(inst);
    size_t low = 0, before = 0;
    /* where this schema's annotations go: its own (on the heap, so that the frame of this
     * recursive function stays small) when it has unevaluated*, else the caller's */
    struct ann *local = NULL, *a = ann;
    if ((s->flags & ACT_S_UNEVAL) && (t == ACT_T_ARR || t == ACT_T_OBJ)) {
        if (!(local = ann_new(inst))) {
            w->sp--;
            return ACT_ERR_NOMEM;
        }
        a = local;
    } else if (t != ACT_T_ARR && t != ACT_T_OBJ) {
        a = NULL;
    }
    if (remember) {
        low = w->guard_low;
        w->guard_low = (size_t)-1;
    }
    if (remember || (t == ACT_T_NULL && (s->flags & ACT_S_NULLABLE)))
        before = nerr(out);

    if (s->types && !(s->types & t)) {
        st = type_err(w, s, inst, t, out);
        goto done;
    }
    if (t == ACT_T_NULL && (s->flags & ACT_S_NULLABLE) && w->v->nullable_any)
        goto done; /* OpenAPI 3.0.0-3.0.2: null is allowed for the schema, whatever it says */
    if (s->enumv && (st = check_enum(w, s, inst, out)))
        goto done;
    if (w->quick && nerr(out))
        goto done;
    switch (t) {
    case ACT_T_STR:
        if (s->flags & ACT_S_HAS_STR)
            st = check_string(w, s, inst, out);
        break;
    case ACT_T_INT:
    case ACT_T_NUM:
        if (s->flags & ACT_S_HAS_NUM)
            st = check_number(w, s, inst, out);
        break;
    case ACT_T_ARR:
        if ((s->flags & ACT_S_ARR20) || (a && (s->flags & ACT_S_HAS_ARR)))
            st = check_array20(w, s, inst, out, a);
        else if (s->flags & ACT_S_HAS_ARR)
            st = check_array(w, s, inst, out);
        break;
    case ACT_T_OBJ:
        if ((s->flags & ACT_S_OBJ20) || (a && (s->flags & ACT_S_HAS_OBJ)))
            st = check_object20(w, s, inst, out, a);
        else if (s->flags & ACT_S_HAS_OBJ)
            st = check_object(w, s, inst, out);
        break;
    default: break;
    }
    if (st || (w->quick && nerr(out)))
        goto done;
    for (size_t i = 0; i < s->n_all && !st; i++) {
        if (!(st = act_sref_get(w->v, &s->all[i], w->err)))
            st = check_ann(w, s->all[i].s, inst, out, a);
        if (w->quick && nerr(out))
            goto done;
    }
    if (!st && (s->flags & ACT_S_APPL20)) {
        st = check_appl20(w, s, inst, out, a);
        if (w->quick && nerr(out))
            goto done;
    }
    if (!st && s->n_any)
        st = a ? branches_ann(w, s, "anyOf", s->any, s->n_any, inst, out, a)
               : check_branches(w, s, "anyOf", s->any, s->n_any, inst, out);
    if (!st && s->n_one && !(w->quick && nerr(out)))
        st = a ? branches_ann(w, s, "oneOf", s->one, s->n_one, inst, out, a)
               : check_branches(w, s, "oneOf", s->one, s->n_one, inst, out);
    if (!st && s->disc_prop && !s->n_any && !s->n_one && cJSON_IsObject(inst) &&
        !(w->quick && nerr(out))) {
        /* A discriminator on a base schema (allOf inheritance): check the selected schema. */
        const cJSON *target;
        const struct act_doc *tdoc;
        size_t had = nerr(out);
        st = discriminate(w, s, inst, out, &target, &tdoc);
        if (!st && nerr(out) == had && target && target != s->node) {
            struct schema *ts;
            if (!(st = act_schema_get(w->v, tdoc, target, NULL, &ts, w->err)))
                st = check(w, ts, inst, out);
        }
    }
    if (!st && s->not_.node && !(w->quick && nerr(out))) {
        if (!(st = act_sref_get(w->v, &s->not_, w->err))) {
            int fits = probe(w, s->not_.s, inst, &st);
            if (!st && fits)
                st = add_err(w, out, s, "not", "a match", "no match for the schema in \"not\"");
        }
    }
    if (!st && local && !(w->quick && nerr(out)))
        st = check_unevaluated(w, s, inst, out, a);
done:
    if (local) {
        if (ann && !st)
            ann_merge(ann, local);
        ann_release(local);
        act_free(local);
    }
    if (!st && !w->quick && t == ACT_T_NULL && (s->flags & ACT_S_NULLABLE) && nerr(out) > before)
        st = nullable_note(w, s, out);
    w->sp--;
    if (!remember)
        return st;
    if (!st && (!w->quick || before == 0) && w->guard_low >= w->sp &&
        !memo_find(w, s, inst, MEMO_VALIDITY)) {
        struct memo *m = memo_add(w, s, inst, MEMO_VALIDITY);
        if (!m)
            st = ACT_ERR_NOMEM;
        else
            m->valid = nerr(out) == before;
    }
    if (w->guard_low > low)
        w->guard_low = low;
    return st;
}

/* ---- the public API ---------------------------------------------------------------------- */

/* The error that says the work budget ran out (recorded whatever --max-errors says). */
static NOINLINE enum act_status budget_error(struct walk *w, struct act_errlist *errs)
{
    char found[96], expected[160];
    const struct schema *s = w->spent_s;
    snprintf(found, sizeof(found), "validation work budget of %lu steps exceeded", w->steps_max);
    snprintf(expected, sizeof(expected),
             "a validation within %lu steps (raise it with --max-validation-steps N)",
             w->steps_max);
    struct act_verr e;
    char *at = w->spent_at ? w->spent_at : act_strdup("");
    w->spent_at = NULL;
    if (verr_make(&e, "budget", at, act_strdup(s->loc), s, expected, found))
        return ACT_ERR_NOMEM;
    if (errs->n >= errs->max && errs->n) {
        /* make room: this one says why the list may be incomplete */
        verr_release(&errs->v[errs->n - 1]);
        errs->n--;
        errs->dropped++;
    }
    return errlist_take(errs, &e);
}

static unsigned long count_nodes(const cJSON *j, int depth)
{
    unsigned long n = 1;
    if (depth > ACT_MAX_DEPTH + 8)
        return n;
    for (const cJSON *c = j->child; c; c = c->next)
        n += count_nodes(c, depth + 1);
    return n;
}

/* The work budget when none was set: see ACT_MAX_VALIDATION_STEPS. */
static unsigned long default_budget(const struct act_doc *idoc, const cJSON *instance)
{
    unsigned long size =
        idoc && idoc->text ? (unsigned long)idoc->len : 4 * count_nodes(instance, 0);
    return ACT_MAX_VALIDATION_STEPS + ACT_VALIDATION_STEPS_PER_BYTE * size;
}

void act_validator_set_max_steps(struct act_validator *v, unsigned long steps)
{
    v->max_steps = steps;
}

enum act_status act_validator_new(struct act_docset *ds, struct act_validator **out)
{
    *out = act_calloc(1, sizeof(**out));
    if (!*out)
        return ACT_ERR_NOMEM;
    (*out)->ds = ds;
    (*out)->nullable_any = -1;
    act_dialect_detect(*out);
    return ACT_OK;
}

void act_validator_set_stop(struct act_validator *v, const char *(*stop)(void *arg), void *arg)
{
    v->stop = stop;
    v->stop_arg = arg;
}

void act_validator_free(struct act_validator *v)
{
    if (!v)
        return;
    act_schema_free_all(v);
    num_reset(v);
    act_free(v);
}

enum act_status act_validate_doc(struct act_validator *v, struct act_node schema,
                                 const struct act_doc *idoc, const cJSON *instance,
                                 enum act_direction dir, struct act_errlist *errs,
                                 struct act_error *err)
{
    return act_validate_at(v, schema, NULL, idoc, instance, dir, errs, err);
}

enum act_status act_validate_at(struct act_validator *v, struct act_node schema, const char *loc,
                                const struct act_doc *idoc, const cJSON *instance,
                                enum act_direction dir, struct act_errlist *errs,
                                struct act_error *err)
{
    struct walk w = {0};
    struct schema *s;
    if (v->bad_dialect) {
        char echo[ACT_ECHO_SIZE];
        return act_error_set(err, ACT_ERR_UNSUPPORTED, act_docset_get(v->ds, 0)->path, 0, 0,
                             "jsonSchemaDialect \"%s\" is not supported (only JSON Schema "
                             "2020-12 and the OpenAPI 3.1 base dialect are)",
                             act_echo(echo, sizeof(echo), v->bad_dialect, strlen(v->bad_dialect)));
    }
    enum act_status st = act_schema_get(v, schema.doc, schema.node, loc, &s, err);
    if (st)
        return st;
    w.v = v;
    w.dir = dir;
    w.err = err;
    w.idoc = idoc;
    w.steps = w.steps_max = v->max_steps ? v->max_steps : default_budget(idoc, instance);
    w.regex = ACT_MAX_REGEX_BUDGET;
    w.guard_low = (size_t)-1;
    if (v->numdoc != idoc)
        num_reset(v);
    st = check(&w, s, instance, errs);
    if (w.spent && (st == ACT_ERR_LIMIT || st == ACT_OK))
        st = budget_error(&w, errs);
    memo_release(&w);
    for (size_t i = 0; i < w.n_names; i++)
        cJSON_Delete(w.names[i]);
    act_free(w.names);
    act_free(w.spent_at);
    act_free(w.path);
    act_free(w.stack);
    if (st == ACT_ERR_NOMEM && err && err->status == ACT_OK)
        act_error_set(err, st, schema.doc->path, 0, 0, "out of memory");
    return st;
}

enum act_status act_validate(struct act_validator *v, struct act_node schema, const cJSON *instance,
                             enum act_direction dir, struct act_errlist *errs,
                             struct act_error *err)
{
    return act_validate_doc(v, schema, NULL, instance, dir, errs, err);
}
