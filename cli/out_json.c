/*
 * out_json.c - JSON output for every command: 2-space indented, UTF-8 kept
 * as is, control characters escaped, numbers printed exactly (shortest form
 * that reads back the same double).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void put_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    fputc('"', f);
    for (;; p++) {
        unsigned char c = *p;
        /* Plain bytes go out in runs; only what JSON must escape is handled alone. */
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        fwrite(run, 1, (size_t)(p - run), f);
        run = p + 1;
        if (c == '\0')
            break;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default: fprintf(f, "\\u%04x", c); break;
        }
    }
    fputc('"', f);
}

static void put_number(FILE *f, double d)
{
    char buf[64];
    if (!isfinite(d)) {
        fputs("null", f);
        return;
    }
    if (d == floor(d) && fabs(d) < 9007199254740992.0) {
        fprintf(f, "%.0f", d);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    fputs(buf, f);
}

static void indent(FILE *f, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", f);
}

static void put(FILE *f, const cJSON *item, int depth)
{
    if (cJSON_IsNull(item) || cJSON_IsInvalid(item))
        fputs("null", f);
    else if (cJSON_IsTrue(item))
        fputs("true", f);
    else if (cJSON_IsFalse(item))
        fputs("false", f);
    else if (cJSON_IsNumber(item))
        put_number(f, item->valuedouble);
    else if (cJSON_IsString(item))
        put_string(f, item->valuestring);
    else if (cJSON_IsRaw(item))
        fputs(item->valuestring, f);
    else {
        int obj = cJSON_IsObject(item);
        if (!item->child) {
            fputs(obj ? "{}" : "[]", f);
            return;
        }
        fputc(obj ? '{' : '[', f);
        for (const cJSON *c = item->child; c; c = c->next) {
            fputc('\n', f);
            indent(f, depth + 1);
            if (obj) {
                put_string(f, c->string ? c->string : "");
                fputs(": ", f);
            }
            put(f, c, depth + 1);
            if (c->next)
                fputc(',', f);
        }
        fputc('\n', f);
        indent(f, depth);
        fputc(obj ? '}' : ']', f);
    }
}

void cli_print_json(FILE *f, const cJSON *item)
{
    put(f, item, 0);
    fputc('\n', f);
}
