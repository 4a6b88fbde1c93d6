/*
 * openapi.c - the parameter codec, the media-type rule, security schemes and
 * declared-key lists (see openapi.h for what each promises).
 *
 * The codec's wire forms (OpenAPI 3.0, Parameter Object "style"), for a value
 * v = 5, ["a","b"] or {"x":"1","y":"2"}:
 *   path  simple          5   a,b   x,1,y,2   (explode: x=1,y=2)
 *   path  label           .5  .a,b  .x,1,y,2  (explode: .a.b  .x=1.y=2)
 *   path  matrix          ;id=5 ;id=a,b ;id=x,1,y,2 (explode: ;id=a;id=b  ;x=1;y=2)
 *   query form            id=5  id=a,b  id=x,1,y,2  (explode: id=a&id=b  x=1&y=2)
 *   query spaceDelimited  id=a%20b (explode: as form)   pipeDelimited  id=a|b
 *   query tabDelimited    id=a%09b: Swagger 2.0's tsv (x-collectionFormat: tsv)
 *   query deepObject      id[x]=1&id[y]=2
 *   header simple         as path simple, not encoded
 *   cookie form           id=5  id=a,b  id=x,1,y,2  (explode: id=x=1,y=2)
 */
#include "openapi.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ------------------------------------------------------------ percent codes */

enum act_status act_pct_encode(struct act_buf *out, const char *s, size_t len, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        enum act_status st;
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
            (keep && c && strchr(keep, c))) {
            st = act_buf_addc(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            st = act_buf_add(out, e, 3);
        }
        if (st)
            return st;
    }
    return ACT_OK;
}

char *act_pct_decode(const char *s, size_t n, int plus)
{
    char *r = act_malloc(n + 1);
    if (!r)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && act_hex_digit(s[i + 1]) >= 0 &&
            act_hex_digit(s[i + 2]) >= 0) {
            r[j++] = (char)(act_hex_digit(s[i + 1]) * 16 + act_hex_digit(s[i + 2]));
            i += 2;
        } else if (plus && s[i] == '+') {
            r[j++] = ' ';
        } else {
            r[j++] = s[i];
        }
    }
    r[j] = '\0';
    return r;
}

/* ------------------------------------------------------------- the codec */

enum act_status act_param_codec_init(struct act_docset *docs, const struct act_param *p,
                                     struct act_param_codec *c, struct act_error *err)
{
    const cJSON *pn = p->node.node;
    memset(c, 0, sizeof(*c));
    c->docs = docs;
    c->name = p->name;
    c->in = p->in;
    const char *dflt =
        strcmp(p->in, "query") == 0 || strcmp(p->in, "cookie") == 0 ? "form" : "simple";
    c->style = str_of(pn, "style") ? str_of(pn, "style") : dflt;
    /* A Swagger 2.0 tab-separated array (collectionFormat: tsv, swagger2.c): 3.0 has no
     * style for it, so it travels as an extension beside style: form. */
    const char *cf = str_of(pn, "x-collectionFormat");
    if (cf && strcmp(cf, "tsv") == 0 && strcmp(p->in, "query") == 0)
        c->style = "tabDelimited";
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(pn, "explode");
    c->explode = cJSON_IsBool(ex) ? cJSON_IsTrue(ex) : strcmp(c->style, "form") == 0;
    c->reserved = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pn, "allowReserved")) &&
                  strcmp(p->in, "query") == 0;
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(pn, "content");
    if (!cJSON_GetObjectItemCaseSensitive(pn, "schema") && cJSON_IsObject(content) &&
        content->child)
        c->content = content->child->string;
    const cJSON *sch = act_param_schema(p);
    if (!sch)
        return ACT_OK;
    struct act_node s;
    enum act_status st = act_ref_deref(docs, (struct act_node){p->node.doc, sch}, &s, err);
    if (st)
        return st;
    c->schema = s;
    c->type = str_of(s.node, "type");
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(s.node, "items");
    if (items) {
        struct act_node it;
        st = act_ref_deref(docs, (struct act_node){s.doc, items}, &it, err);
        if (st)
            return st;
        c->item_type = str_of(it.node, "type");
    }
    return ACT_OK;
}

/* Text of a primitive value (strings as they are, numbers as JSON writes them). */
static enum act_status prim_text(const cJSON *v, struct act_buf *out)
{
    if (cJSON_IsString(v))
        return act_buf_adds(out, v->valuestring);
    if (cJSON_IsBool(v))
        return act_buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNull(v))
        return ACT_OK;
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == floor(d) && fabs(d) < 1e15)
            return act_buf_printf(out, "%.0f", d);
        /* "1e20", not "1e+20": a '+' kept by allowReserved would read back as a space. */
        char num[40];
        snprintf(num, sizeof(num), "%.17g", d);
        char *plus = strchr(num, '+');
        if (plus)
            memmove(plus, plus + 1, strlen(plus));
        return act_buf_adds(out, num);
    }
    /* An array or object inside an array/object: JSON text. */
    char *s = cJSON_PrintUnformatted(v);
    if (!s)
        return ACT_ERR_NOMEM;
    enum act_status st = act_buf_adds(out, s);
    cJSON_free(s);
    return st;
}

/* How value text is written: as it is (headers), encoded, or encoded keeping the reserved set. */
enum wire_escape { AS_IS, ENCODE, ENCODE_KEEP_RESERVED };

static enum act_status put(struct act_buf *out, const char *s, enum wire_escape how)
{
    if (how == AS_IS)
        return act_buf_adds(out, s);
    return act_pct_encode(out, s, strlen(s),
                          how == ENCODE_KEEP_RESERVED ? ACT_PARAM_RESERVED : NULL);
}

/* A query parameter name (or a deepObject/exploded object key). */
static enum act_status put_name(struct act_buf *q, const char *name)
{
    return act_pct_encode(q, name, strlen(name), ACT_PARAM_NAME_KEEP);
}

static enum act_status put_prim(struct act_buf *out, const cJSON *v, enum wire_escape how)
{
    struct act_buf t;
    act_buf_init(&t);
    enum act_status st = prim_text(v, &t);
    if (!st)
        st = put(out, t.data ? t.data : "", how);
    act_buf_release(&t);
    return st;
}

/* "&name=" (or "name=" for the first pair) onto q. */
static enum act_status start_pair(struct act_buf *q, const char *name)
{
    enum act_status st = q->len ? act_buf_addc(q, '&') : ACT_OK;
    if (!st)
        st = put_name(q, name);
    return st ? st : act_buf_addc(q, '=');
}

#define TRY(e)                                                                                     \
    do {                                                                                           \
        if ((st = (e)) != ACT_OK)                                                                  \
            return st;                                                                             \
    } while (0)

static enum act_status serialize_content(const struct act_param_codec *c, const cJSON *v,
                                         enum wire_escape how, struct act_buf *out,
                                         struct act_buf *q)
{
    /* A content-based parameter carries its value as JSON text (or as a string). */
    enum act_status st;
    char *json = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
    if (!cJSON_IsString(v) && !json)
        return ACT_ERR_NOMEM;
    const char *text = json ? json : v->valuestring;
    if (strcmp(c->in, "query") == 0) {
        st = start_pair(q, c->name);
        if (!st)
            st = put(q, text, how);
    } else {
        st = ACT_OK;
        if (strcmp(c->in, "cookie") == 0 && (st = put(out, c->name, ENCODE)) == ACT_OK)
            st = act_buf_addc(out, '=');
        if (!st)
            st = put(out, text, how);
    }
    cJSON_free(json);
    return st;
}

static enum act_status serialize_query(const struct act_param_codec *c, const cJSON *v,
                                       enum wire_escape how, struct act_buf *q)
{
    const char *style = c->style;
    int is_arr = cJSON_IsArray(v), is_obj = cJSON_IsObject(v);
    enum act_status st;
    if (is_obj && strcmp(style, "deepObject") == 0) {
        for (const cJSON *e = v->child; e; e = e->next) {
            if (q->len)
                TRY(act_buf_addc(q, '&'));
            TRY(put_name(q, c->name));
            TRY(act_buf_addc(q, '['));
            TRY(put_name(q, e->string));
            TRY(act_buf_adds(q, "]="));
            TRY(put_prim(q, e, how));
        }
        return ACT_OK;
    }
    /* Exploded: one pair per item (spaceDelimited/pipeDelimited are written like form). */
    if (c->explode && (is_arr || (is_obj && strcmp(style, "form") == 0))) {
        for (const cJSON *e = v->child; e; e = e->next) {
            TRY(start_pair(q, is_obj ? e->string : c->name));
            TRY(put_prim(q, e, how));
        }
        return ACT_OK;
    }
    const char *delim = strcmp(style, "spaceDelimited") == 0  ? "%20"
                        : strcmp(style, "pipeDelimited") == 0 ? "|"
                        : strcmp(style, "tabDelimited") == 0  ? "%09"
                                                              : ",";
    TRY(start_pair(q, c->name));
    if (!is_arr && !is_obj)
        return put_prim(q, v, how);
    for (const cJSON *e = v->child; e; e = e->next) {
        if (is_obj) {
            TRY(put(q, e->string, how));
            TRY(act_buf_adds(q, delim));
        }
        TRY(put_prim(q, e, how));
        if (e->next)
            TRY(act_buf_adds(q, delim));
    }
    return ACT_OK;
}

/* path (simple, label, matrix), header (simple), cookie (form) */
static enum act_status serialize_piece(const struct act_param_codec *c, const cJSON *v,
                                       enum wire_escape how, struct act_buf *out)
{
    const char *lead = "", *sep = ",";
    int is_arr = cJSON_IsArray(v), is_obj = cJSON_IsObject(v);
    int matrix = strcmp(c->style, "matrix") == 0;
    enum act_status st;
    if (strcmp(c->style, "label") == 0) {
        lead = ".";
        if (c->explode)
            sep = ".";
    } else if (matrix) {
        lead = ";";
        if (c->explode)
            sep = ";";
    }
    TRY(act_buf_adds(out, lead));
    if (strcmp(c->in, "cookie") == 0) {
        TRY(put(out, c->name, ENCODE));
        TRY(act_buf_addc(out, '='));
    }
    if (matrix && !(c->explode && (is_arr || is_obj))) {
        TRY(put(out, c->name, ENCODE));
        TRY(act_buf_addc(out, '='));
    }
    if (!is_arr && !is_obj)
        return put_prim(out, v, how);
    for (const cJSON *e = v->child; e; e = e->next) {
        if (matrix && c->explode) {
            TRY(put(out, is_obj ? e->string : c->name, how == AS_IS ? AS_IS : ENCODE));
            TRY(act_buf_addc(out, '='));
        } else if (is_obj) {
            TRY(put(out, e->string, how));
            TRY(act_buf_adds(out, c->explode ? "=" : ","));
        }
        TRY(put_prim(out, e, how));
        if (e->next)
            TRY(act_buf_adds(out, sep));
    }
    return ACT_OK;
}

#undef TRY

enum act_status act_param_serialize(const struct act_param_codec *c, const cJSON *v,
                                    struct act_buf *out, struct act_buf *q)
{
    enum wire_escape how = strcmp(c->in, "header") == 0 ? AS_IS
                           : c->reserved                ? ENCODE_KEEP_RESERVED
                                                        : ENCODE;
    if (c->content)
        return serialize_content(c, v, how, out, q);
    if (strcmp(c->in, "query") == 0)
        return serialize_query(c, v, how, q);
    return serialize_piece(c, v, how, out);
}

/* ---------------------------------------------------------- reading back */

/* cJSON text s parsed, or NULL; *oom set when the parse failed for want of memory
 * (cJSON does not tell, the allocator's failure count does). */
static cJSON *parse_json(const char *s, int *oom)
{
    long before = act_alloc_failed();
    cJSON *j = cJSON_ParseWithLength(s, strlen(s));
    if (!j && act_alloc_failed() != before)
        *oom = 1;
    return j;
}

cJSON *act_param_coerce(const char *s, const char *type)
{
    if (!type)
        return cJSON_CreateString(s);
    if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
        char *end;
        double d = strtod(s, &end);
        if (*s && !isspace((unsigned char)*s) && *end == '\0' && isfinite(d) &&
            strchr("-0123456789", *s) && !strpbrk(s, "xXpP")) {
            /* cJSON keeps the double; the validator decides whether it is an integer. */
            return cJSON_CreateNumber(d);
        }
        return cJSON_CreateString(s);
    }
    if (strcmp(type, "boolean") == 0) {
        if (strcmp(s, "true") == 0)
            return cJSON_CreateTrue();
        if (strcmp(s, "false") == 0)
            return cJSON_CreateFalse();
        return cJSON_CreateString(s);
    }
    if (strcmp(type, "object") == 0 || strcmp(type, "array") == 0) {
        int oom = 0;
        cJSON *j = parse_json(s, &oom);
        if (j && ((strcmp(type, "object") == 0 && cJSON_IsObject(j)) ||
                  (strcmp(type, "array") == 0 && cJSON_IsArray(j))))
            return j;
        cJSON_Delete(j);
        return oom ? NULL : cJSON_CreateString(s);
    }
    return cJSON_CreateString(s);
}

/* The type of property key of c's object schema, or NULL. */
static const char *prop_type(const struct act_param_codec *c, const char *key)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(c->schema.node, "properties");
    const cJSON *ps = cJSON_IsObject(props) ? cJSON_GetObjectItemCaseSensitive(props, key) : NULL;
    struct act_node n;
    if (!ps || act_ref_deref(c->docs, (struct act_node){c->schema.doc, ps}, &n, NULL))
        return NULL;
    return str_of(n.node, "type");
}

/* Text from the wire, decoded unless it already is. */
static char *wire_text(const char *s, size_t n, int decoded, int plus)
{
    return decoded ? act_strndup(s, n) : act_pct_decode(s, n, plus);
}

/* Add s[0..n) (decoded unless it is) to arr as an item of type type. */
static enum act_status add_item(cJSON *arr, const char *s, size_t n, int decoded, int plus,
                                const char *type)
{
    char *t = wire_text(s, n, decoded, plus);
    cJSON *it = t ? act_param_coerce(t, type) : NULL;
    act_free(t);
    if (!it)
        return ACT_ERR_NOMEM;
    cJSON_AddItemToArray(arr, it);
    return ACT_OK;
}

/* Add member key = s[0..n) to obj, its value coerced by the property's type; the key is
 * decoded unless key_decoded, the value unless decoded. */
static enum act_status add_member(const struct act_param_codec *c, cJSON *obj, const char *k,
                                  size_t kn, int key_decoded, const char *s, size_t n, int decoded,
                                  int plus)
{
    char *key = wire_text(k, kn, key_decoded, plus);
    char *t = key ? wire_text(s, n, decoded, plus) : NULL;
    cJSON *it = t ? act_param_coerce(t, prop_type(c, key)) : NULL;
    act_free(t);
    if (it && !cJSON_AddItemToObject(obj, key, it)) {
        cJSON_Delete(it);
        it = NULL;
    }
    act_free(key);
    return it ? ACT_OK : ACT_ERR_NOMEM;
}

/* The length of the next piece of s[0..n) up to delim (n when none). */
static size_t piece_len(const char *s, size_t n, const char *delim)
{
    size_t dl = strlen(delim);
    for (size_t i = 0; i + dl <= n; i++)
        if (memcmp(s + i, delim, dl) == 0)
            return i;
    return n;
}

/*
 * s[0..n) split on delim into the value: the items of an array, the members of
 * an object (explode: "k=v" pieces, else alternating keys and values), else
 * the whole text as one primitive.
 */
static enum act_status read_pieces(const struct act_param_codec *c, const char *s, size_t n,
                                   const char *delim, int decoded, int plus, cJSON **out)
{
    int arr = c->type && strcmp(c->type, "array") == 0;
    int obj = c->type && strcmp(c->type, "object") == 0;
    enum act_status st = ACT_OK;
    if (!arr && !obj) {
        char *t = wire_text(s, n, decoded, plus);
        *out = t ? act_param_coerce(t, c->type) : NULL;
        act_free(t);
        return *out ? ACT_OK : ACT_ERR_NOMEM;
    }
    *out = arr ? cJSON_CreateArray() : cJSON_CreateObject();
    if (!*out)
        return ACT_ERR_NOMEM;
    size_t dl = strlen(delim);
    const char *key = NULL;
    size_t key_len = 0;
    /* "" is the empty array or object. */
    for (size_t i = 0; n && i <= n && !st;) {
        size_t l = piece_len(s + i, n - i, delim);
        const char *p = s + i;
        if (arr) {
            st = add_item(*out, p, l, decoded, plus, c->item_type);
        } else if (c->explode) {
            const char *eq = memchr(p, '=', l);
            size_t kl = eq ? (size_t)(eq - p) : l;
            st = add_member(c, *out, p, kl, decoded, eq ? eq + 1 : p + l, eq ? l - kl - 1 : 0,
                            decoded, plus);
        } else if (!key) {
            key = p;
            key_len = l;
        } else {
            st = add_member(c, *out, key, key_len, decoded, p, l, decoded, plus);
            key = NULL;
        }
        i += l + dl;
    }
    if (!st && key) /* a key without its value */
        st = add_member(c, *out, key, key_len, decoded, "", 0, decoded, plus);
    if (st) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return st;
}

/* A raw query pair. */
struct pair {
    const char *k, *v;
    size_t kl, vl;
};

/* The next pair of the query at *s (empty fields skipped); 0 at the end. */
static int next_pair(const char **s, struct pair *p)
{
    while (**s == '&')
        (*s)++;
    if (!**s)
        return 0;
    size_t l = strcspn(*s, "&");
    const char *eq = memchr(*s, '=', l);
    p->k = *s;
    p->kl = eq ? (size_t)(eq - *s) : l;
    p->v = eq ? eq + 1 : *s + l;
    p->vl = eq ? l - p->kl - 1 : 0;
    *s += l;
    return 1;
}

/* Does the raw key k[0..kl) decode to name? -1: out of memory. */
static int key_is(const char *k, size_t kl, const char *name)
{
    char *d = act_pct_decode(k, kl, 1);
    if (!d)
        return -1;
    int same = strcmp(d, name) == 0;
    act_free(d);
    return same;
}

static enum act_status read_query(const struct act_param_codec *c, const char *query, cJSON **out,
                                  size_t *count)
{
    struct pair p;
    const char *s = query ? query : "";
    int arr = c->type && strcmp(c->type, "array") == 0 && !c->content;
    int obj = c->type && strcmp(c->type, "object") == 0 && !c->content;
    int deep = obj && strcmp(c->style, "deepObject") == 0;
    int spread = obj && c->explode && strcmp(c->style, "form") == 0;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(c->schema.node, "properties");
    size_t nl = strlen(c->name);
    enum act_status st = ACT_OK;
    if (arr && c->explode) {
        if (!(*out = cJSON_CreateArray()))
            return ACT_ERR_NOMEM;
    } else if (deep || spread) {
        if (!(*out = cJSON_CreateObject()))
            return ACT_ERR_NOMEM;
    }
    while (!st && next_pair(&s, &p)) {
        char *key = act_pct_decode(p.k, p.kl, 1);
        if (!key)
            return ACT_ERR_NOMEM;
        size_t kl = strlen(key);
        if (deep) {
            /* name[prop]=value */
            if (kl > nl + 2 && strncmp(key, c->name, nl) == 0 && key[nl] == '[' &&
                key[kl - 1] == ']') {
                st = add_member(c, *out, key + nl + 1, kl - nl - 2, 1, p.v, p.vl, 0, 1);
                *count = 1;
            }
        } else if (spread) {
            /* Every pair that names a property (any pair when the schema lists none). */
            if (!cJSON_IsObject(props) || cJSON_GetObjectItemCaseSensitive(props, key)) {
                st = add_member(c, *out, key, kl, 1, p.v, p.vl, 0, 1);
                *count = 1;
            }
        } else if (strcmp(key, c->name) == 0) {
            ++*count;
            if (arr && c->explode) {
                st = add_item(*out, p.v, p.vl, 0, 1, c->item_type);
            } else if (*count == 1) {
                const char *delim = strcmp(c->style, "spaceDelimited") == 0  ? "%20"
                                    : strcmp(c->style, "pipeDelimited") == 0 ? "|"
                                    : strcmp(c->style, "tabDelimited") == 0  ? "%09"
                                                                             : ",";
                if (c->content) {
                    char *t = act_pct_decode(p.v, p.vl, 1);
                    int oom = 0;
                    *out = t ? parse_json(t, &oom) : NULL;
                    if (t && !*out && !oom)
                        *out = cJSON_CreateString(t);
                    act_free(t);
                    st = *out ? ACT_OK : ACT_ERR_NOMEM;
                } else {
                    st = read_pieces(c, p.v, p.vl, delim, 0, 1, out);
                }
            }
        }
        act_free(key);
    }
    if (!st && !*count) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return st;
}

/* The raw value of cookie name in a Cookie header, or NULL; *n its length. */
static const char *cookie_value(const char *hdr, const char *name, size_t *n)
{
    const char *p = hdr;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        size_t l = strcspn(p, ";");
        const char *eq = memchr(p, '=', l);
        if (eq && key_is(p, (size_t)(eq - p), name) == 1) {
            *n = l - (size_t)(eq + 1 - p);
            return eq + 1;
        }
        p += l;
    }
    return NULL;
}

/* A path value in matrix style: ";name=a,b", ";name=a;name=b", ";x=1;y=2". */
static enum act_status read_matrix(const struct act_param_codec *c, const char *s, size_t n,
                                   int decoded, cJSON **out)
{
    int arr = c->type && strcmp(c->type, "array") == 0;
    int obj = c->type && strcmp(c->type, "object") == 0;
    if (n && *s == ';') {
        s++;
        n--;
    }
    if (c->explode && obj)
        return read_pieces(c, s, n, ";", decoded, 0, out);
    size_t nl = strlen(c->name);
    if (c->explode && arr) {
        if (!(*out = cJSON_CreateArray()))
            return ACT_ERR_NOMEM;
        for (size_t i = 0; n && i <= n;) {
            size_t l = piece_len(s + i, n - i, ";");
            const char *eq = memchr(s + i, '=', l);
            size_t skip = eq ? (size_t)(eq + 1 - (s + i)) : l;
            if (add_item(*out, s + i + skip, l - skip, decoded, 0, c->item_type)) {
                cJSON_Delete(*out);
                *out = NULL;
                return ACT_ERR_NOMEM;
            }
            i += l + 1;
        }
        return ACT_OK;
    }
    /* ";name=..." (";name" for an empty value) */
    const char *eq = memchr(s, '=', n);
    if (eq) {
        n -= (size_t)(eq + 1 - s);
        s = eq + 1;
    } else if (n == nl && memcmp(s, c->name, nl) == 0) {
        n = 0;
    }
    return read_pieces(c, s, n, ",", decoded, 0, out);
}

enum act_status act_param_deserialize(const struct act_param_codec *c,
                                      const struct act_param_wire *w, cJSON **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (strcmp(c->in, "query") == 0)
        return read_query(c, w->query, out, count);
    const char *s;
    size_t n = 0;
    int decoded = 0;
    if (strcmp(c->in, "path") == 0) {
        s = w->path_value;
        decoded = w->path_decoded;
    } else if (strcmp(c->in, "header") == 0) {
        s = w->header;
        decoded = 1; /* header values are not percent-encoded */
    } else if (strcmp(c->in, "cookie") == 0) {
        s = w->cookie ? cookie_value(w->cookie, c->name, &n) : NULL;
        if (s) {
            char *t = act_strndup(s, n);
            if (!t)
                return ACT_ERR_NOMEM;
            enum act_status st = ACT_OK;
            *count = 1;
            if (c->content) {
                char *d = act_pct_decode(t, n, 0);
                int oom = 0;
                *out = d ? parse_json(d, &oom) : NULL;
                if (d && !*out && !oom)
                    *out = cJSON_CreateString(d);
                act_free(d);
                st = *out ? ACT_OK : ACT_ERR_NOMEM;
            } else {
                st = read_pieces(c, t, n, ",", 0, 0, out);
            }
            act_free(t);
            return st;
        }
    } else {
        return ACT_OK;
    }
    if (!s)
        return ACT_OK;
    *count = 1;
    if (!n)
        n = strlen(s);
    if (c->content) {
        char *t = wire_text(s, n, decoded, 0);
        int oom = 0;
        *out = t ? parse_json(t, &oom) : NULL;
        if (t && !*out && !oom)
            *out = cJSON_CreateString(t);
        act_free(t);
        return *out ? ACT_OK : ACT_ERR_NOMEM;
    }
    if (strcmp(c->style, "matrix") == 0)
        return read_matrix(c, s, n, decoded, out);
    if (strcmp(c->style, "label") == 0) {
        if (n && *s == '.') {
            s++;
            n--;
        }
        return read_pieces(c, s, n, c->explode ? "." : ",", decoded, 0, out);
    }
    return read_pieces(c, s, n, ",", decoded, 0, out);
}

/* ------------------------------------------------------------ media types */

enum act_media_kind act_media_json(const char *mt)
{
    while (*mt == ' ')
        mt++;
    size_t l = strcspn(mt, ";");
    while (l && (mt[l - 1] == ' ' || mt[l - 1] == '\t'))
        l--;
    if (l == 16 && strncasecmp(mt, "application/json", 16) == 0)
        return ACT_MEDIA_JSON;
    const char *slash = memchr(mt, '/', l);
    if (slash && l >= 5 && (size_t)(mt + l - slash) > 5 && strncasecmp(mt + l - 5, "+json", 5) == 0)
        return ACT_MEDIA_JSON;
    if ((l == 3 && strncmp(mt, "*/*", 3) == 0) ||
        (l == 13 && strncasecmp(mt, "application/*", 13) == 0))
        return ACT_MEDIA_RANGE;
    return ACT_MEDIA_OTHER;
}

int act_media_is_json(const char *mt)
{
    return act_media_json(mt) == ACT_MEDIA_JSON;
}

/* --------------------------------------------------------------- security */

static const cJSON *schemes_of(const struct act_spec *spec)
{
    const cJSON *comp = cJSON_GetObjectItemCaseSensitive(spec->doc->root, "components");
    const cJSON *s =
        cJSON_IsObject(comp) ? cJSON_GetObjectItemCaseSensitive(comp, "securitySchemes") : NULL;
    return cJSON_IsObject(s) ? s : NULL;
}

static enum act_status scheme_from(const struct act_spec *spec, const cJSON *entry,
                                   struct act_security_scheme *out, struct act_error *err)
{
    memset(out, 0, sizeof(*out));
    out->key = entry->string;
    enum act_status st =
        act_ref_deref(spec->docs, (struct act_node){spec->doc, entry}, &out->node, err);
    if (st) {
        out->node.node = NULL;
        return st;
    }
    out->type = str_of(out->node.node, "type");
    out->in = str_of(out->node.node, "in");
    out->name = str_of(out->node.node, "name");
    out->scheme = str_of(out->node.node, "scheme");
    out->bearer = str_of(out->node.node, "bearerFormat");
    return ACT_OK;
}

enum act_status act_spec_security_schemes(const struct act_spec *spec,
                                          struct act_security_scheme **out, size_t *n)
{
    const cJSON *schemes = schemes_of(spec);
    *out = NULL;
    *n = 0;
    size_t count = (size_t)cJSON_GetArraySize(schemes);
    if (!count)
        return ACT_OK;
    *out = act_calloc(count, sizeof(**out));
    if (!*out)
        return ACT_ERR_NOMEM;
    for (const cJSON *e = schemes->child; e; e = e->next)
        if (scheme_from(spec, e, &(*out)[(*n)++], NULL) == ACT_ERR_NOMEM)
            return ACT_ERR_NOMEM;
    return ACT_OK;
}

enum act_status act_spec_security_scheme(const struct act_spec *spec, const char *key,
                                         struct act_security_scheme *out, struct act_error *err)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(schemes_of(spec), key);
    if (!e)
        return ACT_ERR_NOTFOUND;
    return scheme_from(spec, e, out, err);
}

/* ------------------------------------------------------ bodies, responses */

size_t act_path_param_index(const struct act_param *ps, size_t n, const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(ps[i].in, "path") == 0 && strlen(ps[i].name) == len &&
            strncmp(ps[i].name, name, len) == 0)
            break;
    return i;
}

const cJSON *act_param_schema(const struct act_param *p)
{
    const cJSON *pn = p->node.node;
    const cJSON *sch = cJSON_GetObjectItemCaseSensitive(pn, "schema");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(pn, "content");
    if (!sch && cJSON_IsObject(content) && content->child)
        sch = cJSON_GetObjectItemCaseSensitive(content->child, "schema");
    return sch;
}

static enum act_status payload(const struct act_spec *spec, struct act_node n,
                               struct act_payload *out, struct act_error *err)
{
    memset(out, 0, sizeof(*out));
    enum act_status st = act_ref_deref(spec->docs, n, &out->node, err);
    if (st)
        return st;
    out->required = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(out->node.node, "required"));
    out->description = str_of(out->node.node, "description");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(out->node.node, "content");
    out->content = cJSON_IsObject(content) ? content : NULL;
    return ACT_OK;
}

enum act_status act_spec_request_body(const struct act_spec *spec, const struct act_op *op,
                                      struct act_payload *out, struct act_error *err)
{
    if (!op->request_body) {
        memset(out, 0, sizeof(*out));
        return ACT_ERR_NOTFOUND;
    }
    return payload(spec, (struct act_node){op->path_doc, op->request_body}, out, err);
}

enum act_status act_spec_response(const struct act_spec *spec, const struct act_op *op,
                                  const cJSON *entry, struct act_payload *out,
                                  struct act_error *err)
{
    return payload(spec, (struct act_node){op->path_doc, entry}, out, err);
}

/* ---------------------------------------------------------------- messages */

const char *act_json_kind(const cJSON *v)
{
    return !v || cJSON_IsNull(v) ? "null"
           : cJSON_IsBool(v)     ? "a boolean"
           : cJSON_IsNumber(v)   ? "a number"
           : cJSON_IsString(v)   ? "a string"
           : cJSON_IsArray(v)    ? "an array"
                                 : "an object";
}

void act_declared_list(const cJSON *obj, char *buf, size_t size)
{
    size_t u = 0;
    buf[0] = '\0';
    for (const cJSON *m = cJSON_IsObject(obj) ? obj->child : NULL; m && u + 1 < size; m = m->next)
        u += (size_t)snprintf(buf + u, size - u, "%s%s", u ? ", " : "", m->string);
    if (u >= size && size > 4) /* cut short: say so */
        memcpy(buf + size - 4, "...", 4);
    if (!u)
        snprintf(buf, size, "none");
}
