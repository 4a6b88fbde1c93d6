/*
 * pattern.c - ECMA-262 flavoured regular expressions on PCRE2 (the only PCRE2 user).
 *
 * OpenAPI's `pattern` is an ECMA-262 regex, searched (not anchored) in the
 * string. PCRE2 in UTF mode, without UCP, already gives ECMA's ASCII-only
 * \d \w \b; what differs is patched by a small rewrite of the source:
 *   .         any character but \n, \r, U+2028 and U+2029 (PCRE2: all but \n);
 *   \s, \S    ECMA's WhiteSpace and LineTerminator set, U+00A0, U+FEFF, U+1680,
 *             U+2000-200A, U+202F, U+205F, U+3000 included (PCRE2 without UCP knows
 *             only ASCII spaces), inside classes too ([^a\S] via a lookahead);
 *   [^]       any character, []  nothing;
 *   ^ $       start and end of the string only: no m flag, and PCRE2_DOLLAR_ENDONLY,
 *             so $ does not match before a final \n as PCRE2's does by default;
 *   \uXXXX    code points (PCRE2_ALT_BSUX); a surrogate pair \uD83D\uDE00 is the
 *             one code point it encodes, a lone surrogate matches nothing (no UTF-8
 *             string holds one);
 *   \v        U+000B only; \A \Z \h \R ... (PCRE2-only escapes) the letter itself,
 *             as ECMA reads them without the u flag.
 * Strings are matched as code points. JSON Schema patterns have no flags, so
 * ECMA's non-u syntax applies, with one exception where the u flag's reading is
 * the only one that makes sense on code points: \u{1F600} is that code point
 * (PCRE2_EXTRA_ALT_BSUX), not "u" 1F600 times.
 * Each pattern is compiled once (JIT when available) and matched within a step
 * budget shared by one whole validation (see act_pattern_match), so neither one
 * catastrophic pattern nor many strings against it can hang a run.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "validator_int.h"

static void *pmalloc(PCRE2_SIZE n, void *data)
{
    (void)data;
    return act_malloc(n);
}

static void pfree(void *ptr, void *data)
{
    (void)data;
    act_free(ptr);
}

struct act_pattern {
    pcre2_code *code;          /* the compiled expression */
    pcre2_match_data *md;      /* reused by every match (the validator is single-threaded) */
    pcre2_match_context *mctx; /* carries the step limit */
    int jit;                   /* 1 when JIT compilation succeeded */
};

/* ECMA-262 WhiteSpace and LineTerminator, as class members (\\u needs PCRE2_ALT_BSUX). */
static const char ecma_space[] = "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A"
                                 "\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";

/* ECMA / Unicode long General_Category names PCRE2 10.42 knows only by their short names. */
static const char *const long_names[][2] = {
    {"Letter", "L"},
    {"Cased_Letter", "LC"},
    {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"},
    {"Titlecase_Letter", "Lt"},
    {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"},
    {"Mark", "M"},
    {"Number", "N"},
    {"Decimal_Number", "Nd"},
    {"digit", "Nd"},
    {"Letter_Number", "Nl"},
    {"Other_Number", "No"},
    {"Punctuation", "P"},
    {"Symbol", "S"},
    {"Separator", "Z"},
    {"Space_Separator", "Zs"},
    {"Other", "C"},
    {"Control", "Cc"},
    {"Format", "Cf"},
    {"Private_Use", "Co"},
    {"Unassigned", "Cn"},
    {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"},
};

/* Append \p{NAME} (or \P) with NAME in a form PCRE2 accepts; *p points at the backslash. */
static enum act_status property(const char **p, struct act_buf *out)
{
    const char *s = *p, *name = s + 3, *close = strchr(name, '}');
    if (!close)
        return act_buf_add(out, s, 2); /* let PCRE2 report it */
    const char *eq = memchr(name, '=', (size_t)(close - name));
    if (eq)
        name = eq + 1; /* General_Category=Letter, Script=Greek, sc=Greek */
    size_t len = (size_t)(close - name);
    const char *use = name;
    for (size_t i = 0; i < sizeof(long_names) / sizeof(long_names[0]); i++) {
        if (strlen(long_names[i][0]) == len && strncmp(long_names[i][0], name, len) == 0) {
            use = long_names[i][1];
            len = strlen(use);
            break;
        }
    }
    *p = close;
    if (act_buf_add(out, s, 3) || act_buf_add(out, use, len) || act_buf_addc(out, '}'))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

/* ECMA-262's `.`: any character but the line terminators. */
static const char ecma_dot[] = "[^\\n\\r\\u2028\\u2029]";

/* Escapes that PCRE2 reads as something else, and that ECMA-262 (without the u flag)
 * reads as the letter itself: \A is "A" there, an anchor in PCRE2. */
static const char identity_escapes[] = "aeghijlmoqyzACEFGHIJKLMNOQRTUVXYZ";

static int is_high(unsigned u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

static int is_surrogate(unsigned u)
{
    return u >= 0xD800 && u <= 0xDFFF;
}

/* At p (a backslash): \uHHHH, its value in *u. */
static int u_escape(const char *p, unsigned *u)
{
    return p[0] == '\\' && p[1] == 'u' && act_hex4(p + 2, u);
}

/*
 * The escape at *p (a backslash, not at the end), as PCRE2 should read it, into out;
 * *p moves to its last character. in_class: inside [...] (\S is dealt with by the
 * caller there). *never: set when it is a lone surrogate, which no UTF-8 string holds.
 */
static enum act_status escape(const char **p, int in_class, struct act_buf *out, int *never)
{
    const char *s = *p;
    unsigned hi, lo;
    *never = 0;
    if (u_escape(s, &hi) && is_surrogate(hi)) {
        /* \uD83D\uDE00: one code point, as ECMA reads a surrogate pair */
        if (is_high(hi) && u_escape(s + 6, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            *p = s + 11;
            return act_buf_printf(out, "\\u{%X}", 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
        }
        *p = s + 5;
        *never = 1;
        return ACT_OK;
    }
    *p = s + 1;
    switch (s[1]) {
    case 's':
        return in_class ? act_buf_adds(out, ecma_space) : act_buf_printf(out, "[%s]", ecma_space);
    case 'S': return act_buf_printf(out, "[^%s]", ecma_space); /* outside classes only */
    case 'v': return act_buf_adds(out, "\\x0B");               /* PCRE2: vertical space */
    case 'p':
    case 'P':
        if (s[2] == '{') {
            *p = s;
            return property(p, out);
        }
        break;
    default: break;
    }
    if (strchr(identity_escapes, s[1]))
        return act_buf_addc(out, s[1]);
    return act_buf_add(out, s, 2);
}

/*
 * The class at *p ('['), into out; *p moves to its ']' (or the end). ECMA's \S inside a
 * class is the complement of a Unicode set PCRE2 cannot complement inside a class, so such
 * a class becomes an alternation: [a\S] -> (?:[a]|[^SPACE]), [^a\S] -> (?![a])[SPACE].
 */
static enum act_status class(const char **p, struct act_buf *out) {
    const char *s = *p + 1; int neg = 0, has_S = 0, never; struct act_buf body;
    enum act_status st = ACT_OK; act_buf_init(&body); if (*s == '^'){neg = 1; s++;}
if (*s == ']' && !neg)
{
    *p = s;
    return act_buf_adds(out, "(?!)"); /* []: nothing */
}
if (*s == ']' && neg) {
    *p = s;
    return act_buf_adds(out, "[\\s\\S]"); /* [^]: anything */
}
for (; *s && *s != ']' && !st; s++) {
    if (*s == '\\' && s[1] == 'S') {
        has_S = 1;
        s++;
    } else if (*s == '\\' && s[1]) {
        size_t before = body.len;
        st = escape(&s, 1, &body, &never);
        if (!st && never && s[1] == '-' && s[2] == '\\') {
            /* a range of surrogates ([\uD800-\uDFFF]): no UTF-8 string has them */
            const char *q = s + 2;
            unsigned u;
            if (u_escape(q, &u) && is_surrogate(u)) {
                s = q + 5;
                body.len = before;
            }
        }
    } else {
        st = act_buf_addc(&body, *s);
    }
}
*p = *s ? s : s - 1;
if (st) {
    act_buf_release(&body);
    return st;
}
const char *b = body.len ? body.data : "";
if (!has_S)
    st = body.len ? act_buf_printf(out, "[%s%s]", neg ? "^" : "", b)
                  : act_buf_adds(out, neg ? "[\\s\\S]" : "(?!)");
else if (!body.len)
    st = act_buf_printf(out, "[%s%s]", neg ? "" : "^", ecma_space);
else if (neg)
    st = act_buf_printf(out, "(?![%s])[%s]", b, ecma_space);
else
    st = act_buf_printf(out, "(?:[%s]|[^%s])", b, ecma_space);
act_buf_release(&body);
return st;
}

/* Rewrite the ECMA source into PCRE2 syntax (see the file comment). */
static enum act_status translate(const char *src, struct act_buf *out)
{
    for (const char *p = src; *p; p++) {
        enum act_status st;
        int never;
        if (*p == '\\' && p[1]) {
            st = escape(&p, 0, out, &never);
            if (!st && never)
                st = act_buf_adds(out, "(?!)");
        } else if (*p == '[') {
            st = class(&p, out);
        } else if (*p == '.') {
            st = act_buf_adds(out, ecma_dot);
        } else {
            st = act_buf_addc(out, *p);
        }
        if (st)
            return st;
    }
    return ACT_OK;
}

void act_pattern_free(struct act_pattern *p)
{
    if (!p)
        return;
    pcre2_match_data_free(p->md);
    pcre2_match_context_free(p->mctx);
    pcre2_code_free(p->code);
    act_free(p);
}

enum act_status act_pattern_compile(const char *src, struct act_pattern **out, char *msg,
                                    size_t size)
{
    struct act_buf pat;
    struct act_pattern *p = NULL;
    pcre2_compile_context *cctx = NULL;
    pcre2_general_context *gctx = NULL;
    enum act_status st;
    *out = NULL;
    if (size)
        msg[0] = '\0';
    act_buf_init(&pat);
    if ((st = translate(src, &pat)))
        goto fail;
    st = ACT_ERR_NOMEM;
    p = act_calloc(1, sizeof(*p));
    gctx = pcre2_general_context_create(pmalloc, pfree, NULL);
    cctx = gctx ? pcre2_compile_context_create(gctx) : NULL;
    if (!p || !cctx)
        goto fail;
    pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALT_BSUX);
    int code;
    PCRE2_SIZE off;
    p->code = pcre2_compile((PCRE2_SPTR)pat.data, pat.len,
                            PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX, &code, &off, cctx);
    if (!p->code && code == PCRE2_ERROR_HEAP_FAILED)
        goto fail; /* out of memory, not a bad pattern */
    if (!p->code) {
        PCRE2_UCHAR text[256];
        pcre2_get_error_message(code, text, sizeof(text));
        snprintf(msg, size, "%s", (const char *)text);
        st = ACT_ERR_INVALID;
        goto fail;
    }
    p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
    p->md = pcre2_match_data_create_from_pattern(p->code, gctx);
    p->mctx = pcre2_match_context_create(gctx);
    if (!p->md || !p->mctx)
        goto fail;
    pcre2_set_depth_limit(p->mctx, 100000);
    pcre2_compile_context_free(cctx);
    pcre2_general_context_free(gctx);
    act_buf_release(&pat);
    *out = p;
    return ACT_OK;
fail:
    if (st == ACT_ERR_NOMEM)
        snprintf(msg, size, "out of memory");
    pcre2_compile_context_free(cctx);
    pcre2_general_context_free(gctx);
    act_pattern_free(p);
    act_buf_release(&pat);
    return st;
}

/* Steps a match may take before anything is charged to the budget: PCRE2's JIT matches a
 * pattern without backtracking in a handful of steps whatever the string's length, so
 * only real backtracking is counted. */
#define FREE_STEPS 1000UL

int act_pattern_match(struct act_pattern *p, const char *s, size_t len, unsigned long *budget)
{
    /* PCRE2 does not say how many steps a match took, only whether it hit the limit. So a
     * match runs with limits of 1000, 10000, ... steps, again each time the limit was hit,
     * and every limit hit is charged (that many steps were spent): what is charged is what
     * the retries cost, and at least a tenth of what the match took. A round never gets
     * more than what is left of the budget nor more than ACT_MAX_REGEX_STEPS. */
    unsigned long limit = FREE_STEPS, charged = 0;
    int rc;
    for (;;) {
        pcre2_set_match_limit(p->mctx, (uint32_t)limit);
        rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, 0, p->md, p->mctx);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
            rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_JIT, p->md, p->mctx);
        if (rc != PCRE2_ERROR_MATCHLIMIT)
            break;
        charged += limit;
        unsigned long left = charged < *budget ? *budget - charged : 0, next = limit * 10;
        if (next > ACT_MAX_REGEX_STEPS)
            next = ACT_MAX_REGEX_STEPS;
        if (next > left)
            next = left;
        if (next <= limit)
            break; /* the budget or the per-match cap is spent */
        limit = next;
    }
    *budget = charged < *budget ? *budget - charged : 0;
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        return -1;
    if (rc == PCRE2_ERROR_NOMEMORY)
        return -3;
    return -2;
}
