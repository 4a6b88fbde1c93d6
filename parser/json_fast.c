/*
 * json_fast.c - a one-pass RFC 8259 parser building cJSON nodes in an arena.
 *
 * The parser is a loop over three states (a value is expected; a value has
 * ended; a member name is expected) with the open arrays and objects on an
 * explicit stack, so a deep document costs memory in the arena, never C stack.
 * Nodes are linked as cJSON links them (the first child's prev is the last
 * child), so cJSON's readers work on the tree.
 *
 * Strings are decoded straight into the arena in one pass: eight bytes are
 * copied at a time while none of them is a quote, a backslash, a control
 * character or a non-ASCII byte (those are handled one at a time: escapes
 * decoded, UTF-8 sequences checked). Numbers are read digit by digit; when the
 * digits fit in 53 bits and the power of ten is exact (Clinger's fast path) one
 * multiplication or division gives the correctly rounded double, which is what
 * strtod returns; anything else goes to strtod, as cJSON does.
 *
 * U+0000: the escape \u0000 is valid JSON, but cJSON trees hold NUL-terminated
 * strings. So in the tree, U+0000 (in values and member names alike) is the two
 * bytes C0 80, the overlong form that valid UTF-8 never contains (the same choice
 * as Java's "modified UTF-8"): strlen, strcmp and hashing keep working, every
 * other string compares as before, and code points counted by lead bytes count it
 * once. What needs the real characters decodes it: the validator before pattern
 * and format checks and in messages (act_json_decode_nul).
 *
 * Errors are recorded with their offset. On the error path the text is checked
 * for invalid UTF-8 and NUL bytes first (act_text_check_bytes, text.h), so a document with several
 * problems reports the one act_doc_load would report (invalid UTF-8, then a NUL byte), whatever
 * this pass met first.
 */
#include "json_fast.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_utf8.h"
#include "pointer.h"
#include "text.h"

/* Room kept free ahead of a string being decoded: one eight-byte store plus a
 * four-byte UTF-8 sequence, with margin. */
#define STR_ROOM 16
#define STR_FIRST 64

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define WORDWISE 1
#endif

/* Clinger's fast path is exact only with IEEE doubles evaluated in double precision. */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0 && DBL_MANT_DIG == 53
#define FAST_FLOAT 1
#else
#define FAST_FLOAT 0
#endif

struct parser {
    const unsigned char *text;  /* the document */
    const unsigned char *end;   /* text + len; *end is '\0' */
    struct act_arena *a;        /* where nodes and strings go */
    const unsigned char *at;    /* where the first error is, NULL while there is none */
    enum act_status st;         /* its status */
    char msg[160];              /* its message */
    size_t *opened;             /* text offset where each open container starts (by depth) */
    size_t *members;            /* members of each open object so far (by depth) */
    const cJSON *dup_obj;       /* the first object found with a duplicate member name */
    const cJSON *dup_a, *dup_b; /* its first two members of one name */
    char *dup_ptr;              /* the object's JSON Pointer (act_malloc), NULL if none found */
    size_t dup_at;              /* text offset of the object */
    struct dup_slot *tab;       /* hash table reused by large objects */
    size_t tab_cap;
    uint32_t gen; /* generation of the object in tab */
};

/* One slot of the member-name table of a large object. This table, not an act_map, is
 * the parser's one hash table: it is reused by every large object of an instance and
 * never cleared (a slot of an older object is told apart by its generation), where an
 * act_map would be released and allocated again for every object on the hot path
 * (GitHub's repository objects have some 95 members each): with an act_map, validate
 * of bench/'s 20 MB instance ran 2.8% more instructions (callgrind). */
struct dup_slot {
    uint32_t gen;   /* the object it belongs to (parser.gen), older ones count as empty */
    uint32_t hash;  /* name_hash of the member's name */
    const cJSON *m; /* the member */
};

static void ACT_PRINTF(4, 5)
    fail(struct parser *p, const unsigned char *at, enum act_status st, const char *fmt, ...)
{
    if (p->at)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
    va_end(ap);
    p->at = at;
    p->st = st;
}

static void nomem(struct parser *p, const unsigned char *at)
{
    fail(p, at, ACT_ERR_NOMEM, "out of memory");
}

/* "unexpected 'x'" for the character at s (its whole UTF-8 sequence), or the end. */
static void unexpected(struct parser *p, const unsigned char *s, const char *what)
{
    char ch[32];
    if (s >= p->end) {
        fail(p, p->end, ACT_ERR_PARSE, "invalid JSON: unexpected end of input");
        return;
    }
    size_t k = act_utf8_len(s, (size_t)(p->end - s));
    act_echo(ch, sizeof(ch), (const char *)s, k ? k : 1);
    fail(p, s, ACT_ERR_PARSE, "invalid JSON: unexpected '%s'%s", ch, what);
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static const unsigned char *skip_ws(const unsigned char *s)
{
    while (is_ws(*s))
        s++;
    return s;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ---- strings ----------------------------------------------------------------------------- */

#ifdef WORDWISE
#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/* High bit set in each byte of w that is zero. Borrows only travel upwards, so the
 * lowest flagged byte is always a true one, which is all the caller uses. */
static uint64_t zero_bytes(uint64_t w)
{
    return (w - ONES) & ~w & HIGH;
}

/* Flags the bytes a string cannot copy blindly: '"', '\\', below 0x20, 0x80 and above. */
static uint64_t special_bytes(uint64_t w)
{
    return zero_bytes(w ^ (ONES * '"')) | zero_bytes(w ^ (ONES * '\\')) |
           ((w - ONES * 0x20) & ~w & HIGH) | (w & HIGH);
}
#endif

static char *put_utf8(char *d, unsigned long cp)
{
    if (cp < 0x80) {
        *d++ = (char)cp;
    } else if (cp < 0x800) {
        *d++ = (char)(0xC0 | (cp >> 6));
        *d++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *d++ = (char)(0xE0 | (cp >> 12));
        *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *d++ = (char)(0xF0 | (cp >> 18));
        *d++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (char)(0x80 | (cp & 0x3F));
    }
    return d;
}

/* The escape at s (s[0] == '\\'): decoded into *d; returns the byte after it, NULL on error. */
static const unsigned char *unescape(struct parser *p, const unsigned char *s, char **d)
{
    char c;
    switch (s[1]) {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u': {
        unsigned cp, lo;
        if (!act_hex4((const char *)s + 2, &cp)) {
            fail(p, s, ACT_ERR_PARSE, "invalid JSON: \\u must be followed by four hex digits");
            return NULL;
        }
        if (cp == 0) {
            /* U+0000 as the two bytes C0 80 (see the file comment) */
            *(*d)++ = (char)0xC0;
            *(*d)++ = (char)0x80;
            return s + 6;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(p, s, ACT_ERR_PARSE,
                 "invalid JSON: \\u%04X is the second half of a surrogate pair without a first",
                 cp);
            return NULL;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s[6] != '\\' || s[7] != 'u' || !act_hex4((const char *)s + 8, &lo) || lo < 0xDC00 ||
                lo > 0xDFFF) {
                fail(p, s, ACT_ERR_PARSE,
                     "invalid JSON: \\u%04X is the first half of a surrogate pair without a "
                     "second",
                     cp);
                return NULL;
            }
            *d = put_utf8(*d, 0x10000 + (((unsigned long)cp - 0xD800) << 10) + (lo - 0xDC00));
            return s + 12;
        }
        *d = put_utf8(*d, cp);
        return s + 6;
    }
    default: {
        char ch[32];
        if (s + 1 >= p->end) {
            fail(p, p->end, ACT_ERR_PARSE, "invalid JSON: unexpected end of input");
            return NULL;
        }
        size_t k = act_utf8_len(s + 1, (size_t)(p->end - s - 1));
        act_echo(ch, sizeof(ch), (const char *)s + 1, k ? k : 1);
        fail(p, s, ACT_ERR_PARSE, "invalid JSON: invalid escape \"\\%s\" in a string", ch);
        return NULL;
    }
    }
    *(*d)++ = c;
    return s + 2;
}

/*
 * The string whose opening quote is at *ps, decoded and NUL-terminated in the
 * arena; *ps moves past the closing quote. NULL on error (recorded).
 */
static char *parse_string(struct parser *p, const unsigned char **ps)
{
    const unsigned char *s = *ps + 1, *end = p->end;
    char *lim, *start = act_arena_open(p->a, STR_FIRST, &lim), *d = start;
    if (!start) {
        nomem(p, s);
        return NULL;
    }
    for (;;) {
        if (lim - d < STR_ROOM) {
            size_t used = (size_t)(d - start);
            start = act_arena_extend(p->a, start, used, STR_FIRST + used / 2, &lim);
            if (!start) {
                nomem(p, s);
                return NULL;
            }
            d = start + used;
        }
#ifdef WORDWISE
        if (end - s >= 8) {
            uint64_t w, m;
            memcpy(&w, s, 8);
            memcpy(d, &w, 8); /* the bytes past the first special one are rewritten below */
            m = special_bytes(w);
            if (!m) {
                s += 8;
                d += 8;
                continue;
            }
            unsigned k = (unsigned)__builtin_ctzll(m) >> 3;
            s += k;
            d += k;
        }
#endif
        unsigned char c = *s;
        if (c == '"')
            break;
        if (c == '\\') {
            if (!(s = unescape(p, s, &d)))
                goto bad;
        } else if (c >= 0x80) {
            size_t k = act_utf8_len(s, (size_t)(end - s));
            if (!k) {
                fail(p, s, ACT_ERR_PARSE, "invalid UTF-8");
                goto bad;
            }
            for (size_t i = 0; i < k; i++)
                *d++ = (char)*s++;
        } else if (c < 0x20) {
            if (s >= end)
                fail(p, end, ACT_ERR_PARSE, "invalid JSON: unexpected end of input");
            else if (c == 0)
                fail(p, s, ACT_ERR_PARSE, "NUL byte in document");
            else {
                char ch[16];
                act_echo(ch, sizeof(ch), (const char *)s, 1);
                fail(p, s, ACT_ERR_PARSE,
                     "invalid JSON: control character '%s' in a string (it must be escaped)", ch);
            }
            goto bad;
        } else {
            *d++ = (char)c;
            s++;
        }
    }
    /* Terminate, and clear what the eight-byte copies wrote beyond the end: the
     * arena hands out zeroed memory. At most 7 bytes past d were written, and
     * d + 8 is inside the room (STR_ROOM). */
    memset(d, 0, 8);
    act_arena_close(p->a, start, (size_t)(d - start) + 1);
    *ps = s + 1;
    return start;
bad:
    /* Keep the room written into, so the arena never hands those bytes out again. */
    act_arena_close(p->a, start, (size_t)(lim - start));
    return NULL;
}

/* ---- numbers ----------------------------------------------------------------------------- */

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod on the token [s, e), as cJSON calls it: in the C library's current
 * locale, with '.' replaced by the locale's decimal point. */
static int slow_number(struct parser *p, const unsigned char *s, const unsigned char *e,
                       double *out)
{
    size_t n = (size_t)(e - s);
    char point = localeconv()->decimal_point[0];
    char *endp;
    if (point == '.') {
        /* The token is followed by a byte that cannot continue it, so strtod stops there. */
        *out = strtod((const char *)s, &endp);
        return endp == (const char *)e;
    }
    char small[64], *buf = n < sizeof(small) ? small : act_malloc(n + 1);
    if (!buf) {
        nomem(p, s);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = s[i] == '.' ? point : (char)s[i];
    buf[n] = '\0';
    *out = strtod(buf, &endp);
    int ok = endp == buf + n;
    if (buf != small)
        act_free(buf);
    return ok;
}

/* The number at *ps (RFC 8259 grammar) into node; *ps moves past it. 0 on error. */
static int parse_number(struct parser *p, const unsigned char **ps, cJSON *node)
{
    const unsigned char *s = *ps, *t0 = s;
    int neg = 0;
    size_t digits = 0, frac = 0; /* significant digits read; digits after the point */
    uint64_t m = 0;
    long ex = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    if (*s == '0') {
        s++;
        if (is_digit(*s)) {
            fail(p, s - 1, ACT_ERR_PARSE, "invalid JSON: leading zero in a number");
            return 0;
        }
    } else if (is_digit(*s)) {
        for (; is_digit(*s); s++, digits++)
            if (digits < 19)
                m = m * 10 + (uint64_t)(*s - '0');
    } else {
        unexpected(p, s, " in a number (a digit must follow '-')");
        return 0;
    }
    if (*s == '.') {
        s++;
        if (!is_digit(*s)) {
            unexpected(p, s, " in a number (a digit must follow '.')");
            return 0;
        }
        for (; is_digit(*s); s++) {
            if (*s == '0' && digits == 0) {
                frac++; /* a leading zero after the point: shifts, adds no digit */
                continue;
            }
            if (digits < 19)
                m = m * 10 + (uint64_t)(*s - '0');
            digits++;
            frac++;
        }
    }
    if (*s == 'e' || *s == 'E') {
        int eneg = 0;
        s++;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        if (!is_digit(*s)) {
            unexpected(p, s, " in a number (a digit must follow the exponent)");
            return 0;
        }
        for (; is_digit(*s); s++)
            if (ex < 100000)
                ex = ex * 10 + (*s - '0');
        if (eneg)
            ex = -ex;
    }
    double d;
    long e10 = frac > 1000 ? -1000 : ex - (long)frac;
    if (FAST_FLOAT && digits <= 19 && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        d = (double)m;
        d = e10 < 0 ? d / pow10_exact[-e10] : d * pow10_exact[e10];
        if (neg)
            d = -d;
    } else if (!slow_number(p, t0, s, &d)) {
        if (!p->at)
            fail(p, t0, ACT_ERR_PARSE, "invalid JSON: number not understood");
        return 0;
    }
    node->type = cJSON_Number;
    node->valuedouble = d;
    /* cJSON's saturating conversion */
    if (d >= INT_MAX)
        node->valueint = INT_MAX;
    else if (d <= (double)INT_MIN)
        node->valueint = INT_MIN;
    else
        node->valueint = (int)d;
    *ps = s;
    return 1;
}

/* ---- duplicate member names ------------------------------------------------------------- */

/*
 * RFC 8259: member names SHOULD be unique, and receivers disagree on which value wins. Each
 * object is checked when it closes, while its members are in cache: up to 16 members by
 * comparing each pair (most pairs differ in their first byte), more through a hash table
 * kept for the whole parse. Only the first duplicate is kept; its positions are found by
 * rescanning that one object's text (see dup_report).
 */
#define DUP_LINEAR 16

/* The arena poisons the room past each allocation under AddressSanitizer: the word-wise
 * reads of name_hash are then replaced by exact ones. */
#if defined(__SANITIZE_ADDRESS__)
#define NAME_HASH_BYTEWISE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NAME_HASH_BYTEWISE 1
#endif
#endif

/* A cheap hash of a member name: its first sixteen bytes. */
static uint32_t name_hash(const char *k)
{
#if defined(WORDWISE) && !defined(NAME_HASH_BYTEWISE)
    /* Names live in the arena, and parse_string zeroed eight bytes past each one's end
     * inside the same block: whole words can be read up to the first word holding the NUL
     * (bytes past it are masked off). */
    uint64_t a, b = 0, z;
    memcpy(&a, k, 8);
    if ((z = zero_bytes(a)) != 0) {
        a &= ((z & -z) >> 7) - 1;
    } else {
        memcpy(&b, k + 8, 8);
        if ((z = zero_bytes(b)) != 0)
            b &= ((z & -z) >> 7) - 1;
    }
#else
    size_t n = strlen(k);
    uint64_t a = 0, b = 0;
    memcpy(&a, k, n < 8 ? n : 8);
    if (n > 8)
        memcpy(&b, k + 8, n < 16 ? n - 8 : 8);
#endif
    uint64_t x = (a ^ (b * 0x9E3779B97F4A7C15ull)) * 0xff51afd7ed558ccdull;
    return (uint32_t)(x >> 32);
}

/* Two members of obj (n of them) with one name: 1 with *a before *b. 0 none, -1 no memory. */
static int find_dup(struct parser *p, const cJSON *obj, size_t n, const cJSON **a, const cJSON **b)
{
    if (n <= DUP_LINEAR) {
        for (const cJSON *x = obj->child; x; x = x->next)
            for (const cJSON *y = x->next; y; y = y->next)
                if (x->string[0] == y->string[0] && strcmp(x->string, y->string) == 0) {
                    *a = x;
                    *b = y;
                    return 1;
                }
        return 0;
    }
    size_t cap = 64;
    while (cap < 2 * n)
        cap *= 2;
    if (cap > p->tab_cap) {
        struct dup_slot *t = act_calloc(cap, sizeof(*t));
        if (!t)
            return -1;
        act_free(p->tab);
        p->tab = t;
        p->tab_cap = cap;
        p->gen = 0;
    }
    /* slots of earlier objects are told apart by their generation: no clearing */
    if (++p->gen == 0) {
        memset(p->tab, 0, p->tab_cap * sizeof(*p->tab));
        p->gen = 1;
    }
    size_t mask = cap - 1;
    for (const cJSON *x = obj->child; x; x = x->next) {
        uint32_t h = name_hash(x->string);
        size_t i = h & mask;
        for (; p->tab[i].gen == p->gen; i = (i + 1) & mask) {
            if (p->tab[i].hash == h && strcmp(p->tab[i].m->string, x->string) == 0) {
                *a = p->tab[i].m;
                *b = x;
                return 1;
            }
        }
        p->tab[i].gen = p->gen;
        p->tab[i].hash = h;
        p->tab[i].m = x;
    }
    return 0;
}

/* The object on top of stack[0..depth) has just closed: note its first duplicate name. */
static void check_dups(struct parser *p, cJSON **stack, size_t depth)
{
    const cJSON *obj = stack[depth - 1], *a, *b;
    size_t n = p->members[depth - 1];
    if (n < 2)
        return;
    int r = find_dup(p, obj, n, &a, &b);
    if (r < 0)
        nomem(p, p->text + p->opened[depth - 1]);
    if (r <= 0)
        return;
    struct act_buf ptr;
    act_buf_init(&ptr);
    for (size_t i = 1; i < depth; i++) {
        enum act_status st;
        if (stack[i - 1]->type == cJSON_Object) {
            st = act_pointer_append(&ptr, stack[i]->string);
        } else {
            size_t k = 0;
            for (const cJSON *x = stack[i - 1]->child; x != stack[i]; x = x->next)
                k++;
            st = act_pointer_append_index(&ptr, k);
        }
        if (st) {
            act_buf_release(&ptr);
            nomem(p, p->text + p->opened[depth - 1]);
            return;
        }
    }
    if (act_buf_addc(&ptr, '\0')) {
        act_buf_release(&ptr);
        nomem(p, p->text + p->opened[depth - 1]);
        return;
    }
    p->dup_ptr = act_buf_detach(&ptr, NULL);
    p->dup_obj = obj;
    p->dup_a = a;
    p->dup_b = b;
    p->dup_at = p->opened[depth - 1];
}

/* Where the members dup_a and dup_b of the duplicate's object start (their keys). */
static void dup_offsets(struct parser *p, size_t *oa, size_t *ob)
{
    const char *t = (const char *)p->text;
    size_t len = (size_t)(p->end - p->text);
    size_t i = act_json_scan_ws(t, len, p->dup_at + 1);
    *oa = *ob = p->dup_at;
    for (const cJSON *m = p->dup_obj->child; m && i < len && t[i] == '"'; m = m->next) {
        if (m == p->dup_a)
            *oa = i;
        if (m == p->dup_b) {
            *ob = i;
            return;
        }
        i = act_json_scan_ws(t, len, act_json_scan_string(t, len, i)) + 1; /* the key, ':' */
        i = act_json_scan_ws(t, len, act_json_scan_value(t, len, act_json_scan_ws(t, len, i)));
        if (i < len && t[i] == ',')
            i = act_json_scan_ws(t, len, i + 1);
    }
}

/* ---- the document ------------------------------------------------------------------------ */

static cJSON *new_node(struct parser *p, const unsigned char *at)
{
    cJSON *n = act_arena_alloc(p->a, sizeof(cJSON));
    if (!n)
        nomem(p, at);
    return n;
}

/* Append node to the children of parent, linked as cJSON links them. */
static void attach(cJSON *parent, cJSON *node)
{
    cJSON *head = parent->child;
    if (!head) {
        parent->child = node;
        node->prev = node;
        return;
    }
    cJSON *last = head->prev;
    last->next = node;
    node->prev = last;
    head->prev = node;
}

/* The literal word (true, false, null) at s, or 0. */
static int literal(const unsigned char *s, const char *word, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != (unsigned char)word[i])
            return 0; /* stops at the first difference: never reads past the NUL */
    return 1;
}

/* The value at *ps (the whole document); *ps moves past it. NULL on error (recorded). */
static cJSON *parse(struct parser *p, const unsigned char **ps)
{
    const unsigned char *s = *ps;
    cJSON **stack = act_arena_alloc(p->a, sizeof(cJSON *) * ACT_MAX_DEPTH);
    size_t depth = 0;
    cJSON *root = NULL, *node, *parent = NULL;
    char *key = NULL;
    p->opened = act_arena_alloc(p->a, sizeof(size_t) * ACT_MAX_DEPTH);
    p->members = act_arena_alloc(p->a, sizeof(size_t) * ACT_MAX_DEPTH);
    if (!stack || !p->opened || !p->members) {
        nomem(p, s);
        return NULL;
    }

value:
    s = skip_ws(s);
    if (*s == '[' || *s == '{') {
        if (depth == ACT_MAX_DEPTH) {
            fail(p, s, ACT_ERR_LIMIT, "nesting deeper than %d", ACT_MAX_DEPTH);
            return NULL;
        }
    }
    if (!(node = new_node(p, s)))
        return NULL;
    node->string = key;
    key = NULL;
    if (parent)
        attach(parent, node);
    else
        root = node;
    switch (*s) {
    case '{':
        node->type = cJSON_Object;
        p->opened[depth] = (size_t)(s - p->text);
        p->members[depth] = 0;
        stack[depth++] = parent = node;
        s = skip_ws(s + 1);
        if (*s == '}') {
            s++;
            goto close;
        }
        goto member;
    case '[':
        node->type = cJSON_Array;
        stack[depth++] = parent = node;
        s = skip_ws(s + 1);
        if (*s == ']') {
            s++;
            goto close;
        }
        goto value;
    case '"':
        node->type = cJSON_String;
        if (!(node->valuestring = parse_string(p, &s)))
            return NULL;
        goto next;
    case 't':
        if (!literal(s, "true", 4))
            break;
        node->type = cJSON_True;
        node->valueint = 1;
        s += 4;
        goto next;
    case 'f':
        if (!literal(s, "false", 5))
            break;
        node->type = cJSON_False;
        s += 5;
        goto next;
    case 'n':
        if (!literal(s, "null", 4))
            break;
        node->type = cJSON_NULL;
        s += 4;
        goto next;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        if (!parse_number(p, &s, node))
            return NULL;
        goto next;
    default: break;
    }
    unexpected(p, s, "");
    return NULL;

close: /* the container on top of the stack has ended */
    if (parent->type == cJSON_Object && !p->dup_ptr)
        check_dups(p, stack, depth);
    depth--;
    parent = depth ? stack[depth - 1] : NULL;
next: /* a value has ended */
    if (!parent) {
        *ps = s;
        return root;
    }
    s = skip_ws(s);
    if (*s == ',') {
        s = skip_ws(s + 1);
        if (parent->type == cJSON_Object)
            goto member;
        goto value;
    }
    if (*s == (parent->type == cJSON_Object ? '}' : ']')) {
        s++;
        goto close;
    }
    unexpected(p, s, "");
    return NULL;

member: /* a member name is expected at s */
    p->members[depth - 1]++;
    if (*s != '"') {
        unexpected(p, s, "");
        return NULL;
    }
    if (!(key = parse_string(p, &s)))
        return NULL;
    s = skip_ws(s);
    if (*s != ':') {
        unexpected(p, s, "");
        return NULL;
    }
    s++;
    goto value;
}

size_t act_json_decode_nul(char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] == 0xC0 && i + 1 < len && (unsigned char)s[i + 1] == 0x80) {
            s[o++] = '\0';
            i++;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

/* Fill err for the error recorded in p, as act_doc_load would report it. */
static enum act_status report(const struct parser *p, const char *name, const char *text,
                              size_t len, const unsigned char *start, struct act_error *err)
{
    int line, col;
    if (p->st == ACT_ERR_NOMEM)
        return act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    /* Invalid UTF-8 before the first NUL byte, then a NUL byte: what act_doc_load
     * refuses before it parses (a \u0000 escape aside, which instances allow). */
    enum act_status st = act_text_check_bytes(name, text, len, err);
    if (st)
        return st;
    size_t off = (size_t)(p->at - p->text);
    if (skip_ws(start) == p->end) {
        act_text_position(text, len, len, &line, &col);
        return act_error_set(err, ACT_ERR_PARSE, name, line, col, "empty document");
    }
    act_text_position(text, len, off, &line, &col);
    return act_error_set(err, p->st, name, line, col, "%s", p->msg);
}

enum act_status act_json_fast_parse(const char *name, const char *text, size_t len,
                                    struct act_arena *arena, cJSON **out, struct act_error *err)
{
    struct parser p = {0};
    const unsigned char *start = (const unsigned char *)text, *s;
    *out = NULL;
    p.text = start;
    p.end = start + len;
    p.a = arena;
    start += act_text_bom(text, len); /* a UTF-8 byte order mark is tolerated */
    s = start;
    cJSON *root = parse(&p, &s);
    if (root) {
        s = skip_ws(s);
        if (s != p.end)
            fail(&p, s, ACT_ERR_PARSE, "invalid JSON: unexpected content after the document");
    }
    if (p.at) {
        act_free(p.dup_ptr);
        act_free(p.tab);
        return report(&p, name, text, len, start, err);
    }
    if (p.dup_ptr) {
        size_t oa, ob;
        int la, ca, lb, cb;
        char echo[ACT_ECHO_SIZE];
        dup_offsets(&p, &oa, &ob);
        act_text_position(text, len, oa, &la, &ca);
        act_text_position(text, len, ob, &lb, &cb);
        const char *k = p.dup_a->string;
        size_t kl = strlen(k), cut = kl < 4 * ACT_ECHO_SIZE ? kl : 4 * ACT_ECHO_SIZE;
        char raw[4 * ACT_ECHO_SIZE];
        memcpy(raw, k, cut);
        cut = act_json_decode_nul(raw, cut);
        act_error_set(err, ACT_OK, name, lb, cb,
                      "duplicate member name \"%s\" in the object at %s (at %d:%d and %d:%d)",
                      act_echo(echo, sizeof(echo), raw, cut), p.dup_ptr[0] ? p.dup_ptr : "(root)",
                      la, ca, lb, cb);
        if (err) {
            struct act_buf b;
            act_buf_init(&b);
            if (!act_buf_adds(&b, p.dup_ptr) && !act_pointer_append(&b, k))
                act_error_set_pointer(err, b.data);
            act_buf_release(&b);
        }
    }
    act_free(p.dup_ptr);
    act_free(p.tab);
    *out = root;
    return ACT_OK;
}
