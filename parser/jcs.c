/*
 * jcs.c - RFC 8785 canonical JSON, written for this project: member order by
 * UTF-16 code units, JCS string escaping, ECMAScript number formatting (the
 * shortest round-tripping digits, found with printf's correctly rounded %e and
 * checked with strtod).
 */
#include "jcs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_limits.h"
#include "common/act_utf8.h"

int act_jcs_number(double d, char buf[32])
{
    if (!isfinite(d))
        return -1;
    if (d == 0) {
        strcpy(buf, "0");
        return 0;
    }
    char e[40];
    int p;
    for (p = 1; p <= 17; p++) {
        snprintf(e, sizeof(e), "%.*e", p - 1, d);
        if (strtod(e, NULL) == d)
            break;
    }
    /* e is "-d.ddde+XX": the digits s (k of them) and n with d = 0.s * 10^n */
    char digits[24];
    int k = 0;
    const char *q = e;
    int neg = *q == '-';
    if (neg)
        q++;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9')
            digits[k++] = *q;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = '\0';
    int n = atoi(q + 1) + 1;
    char *o = buf;
    if (neg)
        *o++ = '-';
    if (k <= n && n <= 21) {
        memcpy(o, digits, (size_t)k);
        o += k;
        for (int i = k; i < n; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, digits, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, digits + n, (size_t)(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++)
            *o++ = '0';
        memcpy(o, digits, (size_t)k);
        o += k;
    } else {
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)(k - 1));
            o += k - 1;
        }
        o += sprintf(o, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    *o = '\0';
    return 0;
}

static enum act_status add_string(struct act_buf *out, const char *s)
{
    size_t n = strlen(s);
    if (act_utf8_check(s, n) != n)
        return ACT_ERR_INVALID;
    enum act_status st = act_buf_addc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; !st && *p; p++) {
        switch (*p) {
        case '"': st = act_buf_adds(out, "\\\""); break;
        case '\\': st = act_buf_adds(out, "\\\\"); break;
        case '\b': st = act_buf_adds(out, "\\b"); break;
        case '\f': st = act_buf_adds(out, "\\f"); break;
        case '\n': st = act_buf_adds(out, "\\n"); break;
        case '\r': st = act_buf_adds(out, "\\r"); break;
        case '\t': st = act_buf_adds(out, "\\t"); break;
        default:
            if (*p < 0x20)
                st = act_buf_printf(out, "\\u%04x", *p);
            else
                st = act_buf_addc(out, (char)*p);
        }
    }
    return st ? st : act_buf_addc(out, '"');
}

/* The code point at *p (well-formed UTF-8, checked before sorting); advances *p. */
static unsigned long next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    size_t len = act_utf8_len(s, 4);
    unsigned long cp = len == 1 ? s[0] : s[0] & (0xff >> (len + 1));
    for (size_t i = 1; i < len; i++)
        cp = cp << 6 | (s[i] & 0x3f);
    *p = s + (len ? len : 1);
    return cp;
}

/* The first UTF-16 code unit of cp. */
static unsigned long unit16(unsigned long cp)
{
    return cp < 0x10000 ? cp : 0xd800 + ((cp - 0x10000) >> 10);
}

static int cmp_names(const void *a, const void *b)
{
    const unsigned char *x = (const unsigned char *)(*(const cJSON *const *)a)->string;
    const unsigned char *y = (const unsigned char *)(*(const cJSON *const *)b)->string;
    while (*x && *y) {
        unsigned long cx = next_cp(&x), cy = next_cp(&y);
        if (cx == cy)
            continue;
        if ((cx < 0x10000) == (cy < 0x10000))
            return cx < cy ? -1 : 1;
        /* one is a surrogate pair: compare its first unit; equal units cannot be
         * (a BMP code point is never a surrogate) */
        return unit16(cx) < unit16(cy) ? -1 : 1;
    }
    return *x ? 1 : *y ? -1 : 0;
}

static enum act_status append(struct act_buf *out, const cJSON *item, int depth, const char *skip)
{
    enum act_status st;
    char num[32];
    if (depth > ACT_MAX_DEPTH)
        return ACT_ERR_LIMIT;
    switch (item->type & 0xff) {
    case cJSON_NULL: return act_buf_adds(out, "null");
    case cJSON_True: return act_buf_adds(out, "true");
    case cJSON_False: return act_buf_adds(out, "false");
    case cJSON_Number:
        if (act_jcs_number(item->valuedouble, num))
            return ACT_ERR_INVALID;
        return act_buf_adds(out, num);
    case cJSON_String: return add_string(out, item->valuestring ? item->valuestring : "");
    case cJSON_Array:
        if ((st = act_buf_addc(out, '[')))
            return st;
        for (const cJSON *c = item->child; c; c = c->next) {
            if (c != item->child && (st = act_buf_addc(out, ',')))
                return st;
            if ((st = append(out, c, depth + 1, NULL)))
                return st;
        }
        return act_buf_addc(out, ']');
    case cJSON_Object: break;
    default: return ACT_ERR_INVALID; /* cJSON_Raw and the like: not JSON data */
    }
    size_t n = 0;
    for (const cJSON *c = item->child; c; c = c->next) {
        size_t len = strlen(c->string ? c->string : "");
        if (!c->string || act_utf8_check(c->string, len) != len)
            return ACT_ERR_INVALID;
        n++;
    }
    const cJSON **m = act_malloc((n ? n : 1) * sizeof(*m));
    if (!m)
        return ACT_ERR_NOMEM;
    n = 0;
    for (const cJSON *c = item->child; c; c = c->next)
        if (!skip || strcmp(c->string, skip) != 0)
            m[n++] = c;
    qsort(m, n, sizeof(*m), cmp_names);
    st = act_buf_addc(out, '{');
    for (size_t i = 0; !st && i < n; i++) {
        if (i && (st = act_buf_addc(out, ',')))
            break;
        if ((st = add_string(out, m[i]->string)) || (st = act_buf_addc(out, ':')))
            break;
        st = append(out, m[i], depth + 1, NULL);
    }
    act_free(m);
    return st ? st : act_buf_addc(out, '}');
}

enum act_status act_jcs_append(struct act_buf *out, const cJSON *item)
{
    return append(out, item, 0, NULL);
}

enum act_status act_jcs_append_except(struct act_buf *out, const cJSON *object, const char *skip)
{
    return append(out, object, 0, skip);
}
