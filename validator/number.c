/*
 * number.c - exact decimal arithmetic for the few comparisons doubles get wrong.
 *
 * cJSON keeps only a double. That is exact for integers below 2^53 and good to
 * about 16 significant digits, so the validator compares doubles first and
 * falls back to the decimal text only when two doubles tie and one side lies
 * beyond 2^53 (or overflowed to infinity): 18446744073709551616 and
 * 18446744073709551615 are the same double but not the same number. multipleOf
 * always works on decimals, so that 19.99 is a multiple of 0.01 and 19.991 is
 * not, without the rounding noise of fmod, and 1e308 does not overflow.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validator_int.h"

size_t act_num_token(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    size_t d0 = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i == d0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '-' || s[j] == '+'))
            j++;
        size_t e0 = j;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j > e0)
            i = j;
    }
    return i;
}

int act_dec_parse(struct act_dec *d, const char *s, size_t len)
{
    size_t i = 0;
    int n = 0, seen_digit = 0;
    long point = -1; /* digits before the '.' */
    memset(d, 0, sizeof(*d));
    if (i < len && (s[i] == '-' || s[i] == '+'))
        d->neg = s[i++] == '-';
    for (; i < len; i++) {
        char c = s[i];
        if (c == '.' && point < 0) {
            point = n;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        seen_digit = 1;
        if (n == 0 && c == '0') {
            /* a leading zero: shifts the point, stores nothing */
            if (point >= 0)
                point--;
            continue;
        }
        if (n >= (int)sizeof(d->buf))
            return 0;
        d->buf[n++] = c;
    }
    if (!seen_digit)
        return 0;
    if (point < 0)
        point = n;
    long exp = point;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0;
        long e = 0;
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        if (i >= len || s[i] < '0' || s[i] > '9')
            return 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            if (e < 1000000000L)
                e = e * 10 + (s[i] - '0');
        exp += eneg ? -e : e;
    }
    if (i != len)
        return 0;
    while (n > 0 && d->buf[n - 1] == '0')
        n--;
    d->n = n;
    d->exp = n ? exp : 0;
    if (n == 0)
        d->neg = 0;
    return 1;
}

void act_dec_from_double(struct act_dec *d, double x)
{
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, x);
        if (prec == 17 || strtod(tmp, NULL) == x)
            break;
    }
    if (!act_dec_parse(d, tmp, strlen(tmp)))
        memset(d, 0, sizeof(*d)); /* unreachable for finite x */
}

static int cmp_abs(const struct act_dec *a, const struct act_dec *b)
{
    if (a->n == 0 || b->n == 0)
        return (a->n != 0) - (b->n != 0);
    if (a->exp != b->exp)
        return a->exp < b->exp ? -1 : 1;
    int m = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->buf, b->buf, (size_t)m);
    if (c)
        return c < 0 ? -1 : 1;
    return (a->n > b->n) - (a->n < b->n);
}

int act_dec_cmp(const struct act_dec *a, const struct act_dec *b)
{
    if (a->neg != b->neg)
        return a->neg ? -1 : 1;
    int c = cmp_abs(a, b);
    return a->neg ? -c : c;
}

int act_dec_is_integer(const struct act_dec *d)
{
    return d->n == 0 || d->exp >= d->n;
}

int act_dec_multiple(const struct act_dec *x, const struct act_dec *m)
{
    if (x->n == 0)
        return 1;
    if (m->n == 0 || m->n > 18)
        return 0;
    uint64_t M = 0;
    for (int i = 0; i < m->n; i++)
        M = M * 10 + (uint64_t)(m->buf[i] - '0');
    /* x = X * 10^p, m = M * 10^q with X, M integers without trailing zeros. */
    long p = x->exp - x->n, q = m->exp - m->n, d = p - q;
    if (d < 0)
        return 0; /* X has no trailing zero, so it cannot be a multiple of 10^-d */
    uint64_t r = 0;
    if (d >= 64) {
        /* 10^d already contains every factor 2 and 5 of M; what is left must divide X. */
        while (M % 2 == 0)
            M /= 2;
        while (M % 5 == 0)
            M /= 5;
        for (int i = 0; i < x->n; i++)
            r = (r * 10 + (uint64_t)(x->buf[i] - '0')) % M;
        return r == 0;
    }
    for (int i = 0; i < x->n; i++)
        r = (r * 10 + (uint64_t)(x->buf[i] - '0')) % M;
    for (long i = 0; i < d && r; i++)
        r = r * 10 % M;
    return r == 0;
}
