/*
 * format.c - the `format` values the validator checks.
 *
 * String formats: date-time, date, time (RFC 3339), email (RFC 5321 dot-atom
 * or quoted local part, host name or address literal), uuid, uri (RFC 3986
 * absolute URI), uri-reference, hostname (RFC 1123), ipv4 (dotted quad, no
 * leading zeros), ipv6 (RFC 4291 text forms, no zone), byte (base64, RFC 4648
 * with padding). Numeric formats (int32, int64, float, double) are range
 * checks done by the validator itself. Any other format passes, as OpenAPI
 * says formats are open-ended. Everything here is ASCII-only by design: a
 * non-ASCII byte fails every string format.
 */
#include <string.h>

#include "validator_int.h"

static const struct {
    const char *name;
    enum act_format f;
    const char *describe;
} formats[] = {
    {"date-time", ACT_FMT_DATE_TIME, "an RFC 3339 date-time"},
    {"date", ACT_FMT_DATE, "an RFC 3339 full-date"},
    {"time", ACT_FMT_TIME, "an RFC 3339 full-time"},
    {"email", ACT_FMT_EMAIL, "an email address"},
    {"uuid", ACT_FMT_UUID, "a UUID"},
    {"uri", ACT_FMT_URI, "an absolute URI"},
    {"uri-reference", ACT_FMT_URI_REF, "a URI reference"},
    {"hostname", ACT_FMT_HOSTNAME, "a host name"},
    {"ipv4", ACT_FMT_IPV4, "an IPv4 address"},
    {"ipv6", ACT_FMT_IPV6, "an IPv6 address"},
    {"byte", ACT_FMT_BYTE, "base64 data"},
    {"int32", ACT_FMT_INT32, "a 32-bit integer"},
    {"int64", ACT_FMT_INT64, "a 64-bit integer"},
    {"float", ACT_FMT_FLOAT, "a 32-bit float"},
    {"double", ACT_FMT_DOUBLE, "a 64-bit float"},
};

enum act_format act_format_of(const char *name)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(formats[i].name, name) == 0)
            return formats[i].f;
    return ACT_FMT_NONE;
}

const char *act_format_describe(enum act_format f)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (formats[i].f == f)
            return formats[i].describe;
    return "any value";
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* n digits at s as a number, -1 when any is not a digit. */
static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* ---- dates and times (RFC 3339 section 5.6) ---------------------------------------------- */

static int full_date(const char *s, size_t len)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* HH:MM:SS[.frac](Z|+HH:MM|-HH:MM); a leap second only at 23:59:60 UTC. */
static int full_time(const char *s, size_t len)
{
    if (len < 9 || s[2] != ':' || s[5] != ':')
        return 0;
    int h = num(s, 2), mi = num(s + 3, 2), se = num(s + 6, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
        return 0;
    size_t i = 8;
    if (i < len && s[i] == '.') {
        size_t f = ++i;
        while (i < len && is_digit(s[i]))
            i++;
        if (i == f)
            return 0;
    }
    if (i >= len)
        return 0;
    int off = 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        if (i + 1 != len)
            return 0;
    } else if (s[i] == '+' || s[i] == '-') {
        if (len - i != 6 || s[i + 3] != ':')
            return 0;
        int oh = num(s + i + 1, 2), om = num(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return 0;
        off = (oh * 60 + om) * (s[i] == '+' ? 1 : -1);
    } else {
        return 0;
    }
    if (se == 60) {
        int utc = ((h * 60 + mi - off) % 1440 + 1440) % 1440;
        if (utc != 23 * 60 + 59)
            return 0;
    }
    return 1;
}

static int date_time(const char *s, size_t len)
{
    if (len < 20 || (s[10] != 'T' && s[10] != 't'))
        return 0;
    return full_date(s, 10) && full_time(s + 11, len - 11);
}

/* ---- hosts and addresses ----------------------------------------------------------------- */

static int ipv4(const char *s, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
        size_t start = i;
        int v = 0;
        while (i < len && is_digit(s[i]) && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
            return 0;
    }
    return i == len;
}

static int ipv6(const char *s, size_t len)
{
    int groups = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
        if (i == len)
            return 1;
    } else if (len > 0 && s[0] == ':') {
        return 0;
    }
    while (i < len) {
        size_t start = i;
        while (i < len && is_hex(s[i]) && i - start < 5)
            i++;
        if (i < len && s[i] == '.') {
            /* an embedded IPv4 address ends the text and counts as two groups */
            if (!ipv4(s + start, len - start))
                return 0;
            groups += 2;
            i = len;
            break;
        }
        if (i == start || i - start > 4)
            return 0;
        groups++;
        if (i == len)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return 0;
            gap = groups;
            i++;
            if (i == len)
                break;
        } else if (i == len) {
            return 0; /* a single trailing colon */
        }
    }
    return gap >= 0 ? groups < 8 : groups == 8;
}

static int hostname(const char *s, size_t len)
{
    if (len == 0 || len > 253)
        return 0;
    size_t label = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            if (label == 0 || label > 63 || s[i - 1] == '-')
                return 0;
            label = 0;
            continue;
        }
        char c = s[i];
        if (!(is_alpha(c) || is_digit(c) || c == '-'))
            return 0;
        if (label == 0 && c == '-')
            return 0;
        label++;
    }
    return 1;
}

/* ---- email (RFC 5321 Mailbox, without comments or folding) ------------------------------- */

static int atext(char c)
{
    return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int email(const char *s, size_t len)
{
    const char *at = NULL;
    size_t i = 0;
    if (len && s[0] == '"') {
        for (i = 1; i < len && s[i] != '"'; i++) {
            if (s[i] == '\\')
                i++;
            else if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
                return 0;
        }
        if (i >= len || i + 1 >= len || s[i + 1] != '@')
            return 0;
        at = s + i + 1;
    } else {
        for (; i < len && s[i] != '@'; i++) {
            if (s[i] == '.') {
                if (i == 0 || s[i - 1] == '.' || i + 1 >= len || s[i + 1] == '@')
                    return 0;
            } else if (!atext(s[i])) {
                return 0;
            }
        }
        if (i == 0 || i >= len)
            return 0;
        at = s + i;
    }
    const char *dom = at + 1;
    size_t dlen = len - (size_t)(dom - s);
    if (dlen >= 2 && dom[0] == '[' && dom[dlen - 1] == ']') {
        if (dlen > 7 && strncmp(dom + 1, "IPv6:", 5) == 0)
            return ipv6(dom + 6, dlen - 7);
        return ipv4(dom + 1, dlen - 2);
    }
    return hostname(dom, dlen);
}

/* ---- URIs (RFC 3986) --------------------------------------------------------------------- */

/* Unreserved or sub-delims: the characters every part of a URI may hold. */
static int uri_plain(char c)
{
    if (is_alpha(c) || is_digit(c))
        return 1;
    switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=': return 1;
    default: return 0;
    }
}

/* The characters some parts of a URI allow besides uri_plain ones. */
enum { URI_COLON = 1, URI_AT = 2, URI_SLASH = 4, URI_QUESTION = 8 };

static unsigned uri_extra(char c)
{
    switch (c) {
    case ':': return URI_COLON;
    case '@': return URI_AT;
    case '/': return URI_SLASH;
    case '?': return URI_QUESTION;
    default: return 0;
    }
}

/* Characters of s[0..len) all in unreserved / pct-encoded / sub-delims / extra (URI_*). */
static int uri_chars(const char *s, size_t len, unsigned extra)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (uri_plain(c))
            continue;
        if (c == '%') {
            if (i + 2 >= len)
                return 0;
            if (!is_hex(s[i + 1]) || !is_hex(s[i + 2]))
                return 0;
            i += 2;
        } else if (!(uri_extra(c) & extra)) {
            return 0;
        }
    }
    return 1;
}

static int authority(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    if (at) {
        if (!uri_chars(s, (size_t)(at - s), URI_COLON))
            return 0;
        len -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    size_t hlen = len;
    if (len && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return 0;
        size_t in = (size_t)(close - s) - 1;
        if (in > 0 && (s[1] == 'v' || s[1] == 'V')) {
            const char *dot = memchr(s + 1, '.', in);
            if (!dot || dot == s + 2 || !uri_chars(dot + 1, in - (size_t)(dot - s), URI_COLON))
                return 0;
        } else if (!ipv6(s + 1, in)) {
            return 0;
        }
        hlen = (size_t)(close - s) + 1;
    } else {
        const char *colon = memchr(s, ':', len);
        hlen = colon ? (size_t)(colon - s) : len;
        if (!uri_chars(s, hlen, 0))
            return 0;
    }
    if (hlen < len) {
        if (s[hlen] != ':')
            return 0;
        for (size_t i = hlen + 1; i < len; i++)
            if (!is_digit(s[i]))
                return 0;
    }
    return 1;
}

/* A URI (absolute, fragment allowed) or, when relative is set, a URI reference. */
static int uri(const char *s, size_t len, int relative)
{
    size_t i = 0;
    while (i < len && (is_alpha(s[i]) ||
                       (i > 0 && (is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))))
        i++;
    size_t rest = 0;
    if (i > 0 && i < len && s[i] == ':') {
        rest = i + 1;
    } else if (!relative) {
        return 0;
    }
    /* hier-part or relative-part, then ?query and #fragment */
    size_t end = rest;
    while (end < len && s[end] != '?' && s[end] != '#')
        end++;
    const char *p = s + rest;
    size_t plen = end - rest;
    if (plen >= 2 && p[0] == '/' && p[1] == '/') {
        size_t a = 2;
        while (a < plen && p[a] != '/')
            a++;
        if (!authority(p + 2, a - 2))
            return 0;
        p += a;
        plen -= a;
    } else if (rest == 0) {
        /* relative-path: the first segment has no colon */
        const char *slash = memchr(p, '/', plen);
        size_t seg = slash ? (size_t)(slash - p) : plen;
        if (memchr(p, ':', seg))
            return 0;
    }
    if (!uri_chars(p, plen, URI_COLON | URI_AT | URI_SLASH))
        return 0;
    if (end < len && s[end] == '?') {
        size_t q = end + 1;
        end = q;
        while (end < len && s[end] != '#')
            end++;
        if (!uri_chars(s + q, end - q, URI_COLON | URI_AT | URI_SLASH | URI_QUESTION))
            return 0;
    }
    if (end < len && s[end] == '#') {
        if (!uri_chars(s + end + 1, len - end - 1, URI_COLON | URI_AT | URI_SLASH | URI_QUESTION))
            return 0;
    }
    return 1;
}

/* ---- the rest ---------------------------------------------------------------------------- */

static int uuid(const char *s, size_t len)
{
    if (len != 36)
        return 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!is_hex(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int base64(const char *s, size_t len)
{
    if (len % 4)
        return 0;
    size_t pad = 0;
    while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
        pad++;
    for (size_t i = 0; i < len - pad; i++)
        if (!(is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '/'))
            return 0;
    return 1;
}

int act_format_check_string(enum act_format f, const char *s, size_t len)
{
    switch (f) {
    case ACT_FMT_DATE_TIME: return date_time(s, len);
    case ACT_FMT_DATE: return full_date(s, len);
    case ACT_FMT_TIME: return full_time(s, len);
    case ACT_FMT_EMAIL: return email(s, len);
    case ACT_FMT_UUID: return uuid(s, len);
    case ACT_FMT_URI: return uri(s, len, 0);
    case ACT_FMT_URI_REF: return uri(s, len, 1);
    case ACT_FMT_HOSTNAME: return hostname(s, len);
    case ACT_FMT_IPV4: return ipv4(s, len);
    case ACT_FMT_IPV6: return ipv6(s, len);
    case ACT_FMT_BYTE: return base64(s, len);
    default: return 1;
    }
}
