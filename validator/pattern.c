/*
 * pattern.c - ECMA-262 flavoured regular expressions on PCRE2 (the only PCRE2 user).
 *
 * OpenAPI's `pattern` is an ECMA-262 regex, searched (not anchored) in the
 * string. PCRE2 in UTF mode, without UCP, already gives ECMA's ASCII-only
 * \d \w \b; what differs is patched by a small rewrite of the source:
 *   \s, \S    ECMA's Unicode white space and line terminators (PCRE2 without UCP
 *             knows only ASCII spaces);
 *   [^]       any character, []  nothing;
 *   $         end of subject only (PCRE2_DOLLAR_ENDONLY), not before a final \n;
 *   \uXXXX    code points (PCRE2_ALT_BSUX, and \u{...} via PCRE2_EXTRA_ALT_BSUX).
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

/* Rewrite the ECMA source into PCRE2 syntax (see the file comment). */
static enum act_status translate(const char *src, struct act_buf *out)
{
    int in_class = 0;
    for (const char *p = src; *p; p++) {
        enum act_status st = ACT_OK;
        if (*p == '\\' && p[1]) {
            if (p[1] == 's' || p[1] == 'S') {
                if (in_class && p[1] == 's')
                    st = act_buf_adds(out, ecma_space);
                else if (in_class)
                    st = act_buf_add(out, p, 2); /* approximate: ASCII \S inside a class */
                else
                    st = act_buf_printf(out, "[%s%s]", p[1] == 'S' ? "^" : "", ecma_space);
            } else if ((p[1] == 'p' || p[1] == 'P') && p[2] == '{') {
                if ((st = property(&p, out)))
                    return st;
                continue; /* p is at the closing brace */
            } else {
                st = act_buf_add(out, p, 2);
            }
            p++;
        } else if (!in_class && *p == '[') {
            if (p[1] == '^' && p[2] == ']') {
                st = act_buf_adds(out, "[\\s\\S]");
                p += 2;
            } else if (p[1] == ']') {
                st = act_buf_adds(out, "(?!)");
                p += 1;
            } else {
                in_class = 1;
                st = act_buf_addc(out, '[');
                if (p[1] == '^') {
                    st = st ? st : act_buf_addc(out, '^');
                    p++;
                }
            }
        } else if (in_class && *p == ']') {
            in_class = 0;
            st = act_buf_addc(out, ']');
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
    return -2;
}
