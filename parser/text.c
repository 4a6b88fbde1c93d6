/*
 * text.c - positions, byte checks and the JSON scanner over raw document text
 * (see text.h). A leaf: it includes nothing of the parser.
 */
#include "text.h"

#include <stdint.h>
#include <string.h>

#include "common/act_utf8.h"

void act_text_position(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    const char *p = text, *end, *nl;
    if (off > len)
        off = len;
    end = text + off;
    /* memchr finds newlines far faster than a byte loop: this runs per message. */
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        l++;
        p = nl + 1;
    }
    for (; p < end; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            c++; /* count code points, not continuation bytes */
    *line = l;
    *col = c;
}

enum act_status act_text_error_at(struct act_error *err, enum act_status st, const char *name,
                                  const char *text, size_t len, size_t off, const char *msg)
{
    int line, col;
    act_text_position(text, len, off, &line, &col);
    return act_error_set(err, st, name, line, col, "%s", msg);
}

enum act_status act_text_check_bytes(const char *name, const char *text, size_t len,
                                     struct act_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    const char *nul = memchr(text, '\0', len);
    size_t end = nul ? (size_t)(nul - text) : len;
    size_t i = 0;
    while (i < end) {
        if (i + 8 <= end) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = act_utf8_len(s + i, end - i);
        if (!k)
            return act_text_error_at(err, ACT_ERR_PARSE, name, text, len, i, "invalid UTF-8");
        i += k;
    }
    if (nul)
        return act_text_error_at(err, ACT_ERR_PARSE, name, text, len, end, "NUL byte in document");
    return ACT_OK;
}

size_t act_text_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

size_t act_json_scan_ws(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

size_t act_json_scan_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len;) {
        const char *q = memchr(t + i, '"', len - i);
        if (!q)
            return len;
        size_t at = (size_t)(q - t), run = 0;
        while (at - run > i && t[at - run - 1] == '\\')
            run++;
        if (run % 2 == 0)
            return at + 1; /* not escaped */
        i = at + 1;
    }
    return len;
}

size_t act_json_scan_value(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return len;
    char c = t[i];
    if (c == '"')
        return act_json_scan_string(t, len, i);
    if (c != '{' && c != '[') { /* a scalar: up to what ends it */
        while (i < len && (c = t[i]) != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' &&
               c != '\r' && c != '\t')
            i++;
        return i;
    }
    /* A container: the loop is kept this tight, it crosses most of a big spec. */
    long depth = 0;
    for (; i < len; i++) {
        c = t[i];
        if (c == '"') {
            i = act_json_scan_string(t, len, i) - 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return len;
}

size_t act_json_scan_depth(const char *t, size_t len, int max)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (c == '"') {
            i = act_json_scan_string(t, len, i) - 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return i;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return len;
}
