/*
 * outline.c - a one-line outline of a schema for `show`:
 *   Pet {id*: integer(int64), name*: string, tag: string, owner: User}
 * 3.1 type arrays print as "string | null" (or "string | integer"), const as
 * `const "cat"`, prefixItems as "[number, string]". Named schemas ($ref to .../schemas/NAME) print
 * as NAME below the top level, so recursive schemas stay finite; depth and width are bounded.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define OUTLINE_PROPS 8 /* properties shown before ", …" */
#define OUTLINE_ENUMS 5 /* enum values shown before "|…" */

static const char *ref_name(const char *ref)
{
    const char *slash = strrchr(ref, '/');
    return slash ? slash + 1 : ref;
}

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static enum act_status outline(struct act_docset *ds, struct act_node n, int depth,
                               struct act_buf *b);

static enum act_status composite(struct act_docset *ds, struct act_node n, const char *kw,
                                 const char *sep, int depth, struct act_buf *b)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(n.node, kw);
    enum act_status st = act_buf_printf(b, "%s(", kw);
    int i = 0;
    for (const cJSON *c = cJSON_IsArray(list) ? list->child : NULL; c && !st; c = c->next, i++) {
        if (i)
            st = act_buf_adds(b, sep);
        if (!st)
            st = outline(ds, (struct act_node){n.doc, c}, depth, b);
    }
    return st ? st : act_buf_addc(b, ')');
}

/* 2020-12 prefixItems: "[number, number]", and ", ...T" when items allows more. */
static enum act_status tuple(struct act_docset *ds, struct act_node n, const cJSON *prefix,
                             int depth, const char *nullable, struct act_buf *b)
{
    enum act_status st = act_buf_addc(b, '[');
    for (const cJSON *p = prefix->child; p && !st; p = p->next) {
        if (p != prefix->child)
            st = act_buf_adds(b, ", ");
        if (!st)
            st = outline(ds, (struct act_node){n.doc, p}, depth + 1, b);
    }
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(n.node, "items");
    if (!st && cJSON_IsObject(items)) {
        st = act_buf_adds(b, ", ...");
        if (!st)
            st = outline(ds, (struct act_node){n.doc, items}, depth + 1, b);
    }
    return st ? st : act_buf_printf(b, "]%s", nullable);
}

static enum act_status outline(struct act_docset *ds, struct act_node n, int depth,
                               struct act_buf *b)
{
    const char *ref = act_ref_of(n.node);
    enum act_status st;
    if (ref && depth > 0)
        return act_buf_adds(b, ref_name(ref));
    if (ref) {
        struct act_node t;
        if (act_ref_deref(ds, n, &t, NULL))
            return act_buf_printf(b, "%s (unresolvable)", ref_name(ref));
        if ((st = act_buf_printf(b, "%s ", ref_name(ref))))
            return st;
        n = t;
        depth++;
    }
    if (!cJSON_IsObject(n.node))
        return act_buf_adds(b, "any");
    const cJSON *s = n.node;
    if (cJSON_GetObjectItemCaseSensitive(s, "allOf"))
        return composite(ds, n, "allOf", " & ", depth, b);
    if (cJSON_GetObjectItemCaseSensitive(s, "oneOf"))
        return composite(ds, n, "oneOf", " | ", depth, b);
    if (cJSON_GetObjectItemCaseSensitive(s, "anyOf"))
        return composite(ds, n, "anyOf", " | ", depth, b);
    const char *type = str_of(s, "type");
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
    const char *nullable = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "nullable")) ? "?" : "";
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(s, "type");
    if (cJSON_IsArray(types)) {
        /* 3.1 type arrays: one type and "null" reads "string | null"; more: every type. */
        int nt = 0, has_null = 0;
        for (const cJSON *t = types->child; t; t = t->next) {
            if (cJSON_IsString(t) && strcmp(t->valuestring, "null") == 0)
                has_null = 1;
            else if (cJSON_IsString(t) && nt++ == 0)
                type = t->valuestring;
        }
        if (nt > 1) {
            st = ACT_OK;
            int i = 0;
            for (const cJSON *t = types->child; t && !st; t = t->next)
                if (cJSON_IsString(t))
                    st = act_buf_printf(b, "%s%s", i++ ? " | " : "", t->valuestring);
            return st;
        }
        if (has_null)
            nullable = nt ? " | null" : "null";
    }
    const cJSON *cv = cJSON_GetObjectItemCaseSensitive(s, "const");
    if (cv) {
        char *txt = cJSON_PrintUnformatted(cv);
        if (!txt)
            return ACT_ERR_NOMEM;
        st = act_buf_printf(b, "const %.40s", txt);
        cJSON_free(txt);
        return st;
    }
    if (cJSON_IsArray(en) && en->child) {
        int i = 0;
        st = ACT_OK;
        for (const cJSON *e = en->child; e && !st; e = e->next, i++) {
            if (i == OUTLINE_ENUMS) {
                st = act_buf_adds(b, "|…");
                break;
            }
            char *txt = cJSON_PrintUnformatted(e);
            if (!txt)
                return ACT_ERR_NOMEM;
            st = act_buf_printf(b, "%s%.40s", i ? "|" : "", txt);
            cJSON_free(txt);
        }
        return st ? st : act_buf_adds(b, nullable);
    }
    const cJSON *prefix = cJSON_GetObjectItemCaseSensitive(s, "prefixItems");
    if (type && strcmp(type, "array") == 0 && cJSON_IsArray(prefix) && prefix->child)
        return tuple(ds, n, prefix, depth, nullable, b);
    if (type && strcmp(type, "array") == 0) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
        if ((st = act_buf_addc(b, '[')))
            return st;
        st = items ? outline(ds, (struct act_node){n.doc, items}, depth + 1, b)
                   : act_buf_adds(b, "any");
        return st ? st : act_buf_printf(b, "]%s", nullable);
    }
    if ((type && strcmp(type, "object") == 0) || (!type && props)) {
        const char *title = str_of(s, "title");
        if (title && depth == 0 && (st = act_buf_printf(b, "%s ", title)))
            return st;
        if (!cJSON_IsObject(props) || !props->child) {
            const cJSON *ap = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
            if (cJSON_IsObject(ap)) {
                if ((st = act_buf_adds(b, "{string: ")))
                    return st;
                st = outline(ds, (struct act_node){n.doc, ap}, depth + 1, b);
                return st ? st : act_buf_printf(b, "}%s", nullable);
            }
            return act_buf_printf(b, "object%s", nullable);
        }
        if (depth >= 2)
            return act_buf_printf(b, "{…}%s", nullable);
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
        if ((st = act_buf_addc(b, '{')))
            return st;
        int i = 0;
        for (const cJSON *p = props->child; p; p = p->next, i++) {
            if (i == OUTLINE_PROPS) {
                if ((st = act_buf_adds(b, ", …")))
                    return st;
                break;
            }
            int required = 0;
            for (const cJSON *r = cJSON_IsArray(req) ? req->child : NULL; r; r = r->next)
                if (cJSON_IsString(r) && strcmp(r->valuestring, p->string) == 0)
                    required = 1;
            if ((st = act_buf_printf(b, "%s%s%s: ", i ? ", " : "", p->string, required ? "*" : "")))
                return st;
            if ((st = outline(ds, (struct act_node){n.doc, p}, depth + 1, b)))
                return st;
        }
        return act_buf_printf(b, "}%s", nullable);
    }
    const char *format = str_of(s, "format");
    if (!type)
        return act_buf_adds(b, *nullable == 'n' ? "null" : "any");
    if (format)
        return act_buf_printf(b, "%s(%s)%s", type, format, nullable);
    return act_buf_printf(b, "%s%s", type, nullable);
}

enum act_status cli_schema_outline(struct act_docset *ds, struct act_node schema,
                                   struct act_buf *out)
{
    act_buf_reset(out);
    return outline(ds, schema, 0, out);
}
