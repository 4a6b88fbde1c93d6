/*
 * test_openapi.c - the shared OpenAPI rules of parser/openapi.c: the
 * parameter codec (its defaults, and a round-trip property: for generated
 * values of every location x style x explode, deserialize(serialize(v)) == v),
 * the media-type rule, security schemes and declared-key lists; and that the
 * codec's percent-encoding is libcurl's (curl_easy_escape / curl_easy_unescape)
 * byte for byte, so the one encoder that the mock shares (the mock must not
 * link libcurl) cannot drift from what libcurl would send.
 */
#include "unit.h"

#include <curl/curl.h>

#include "parser/openapi.h"

/* ------------------------------------------------------------ generation */

/* A small deterministic generator (xorshift64*), so that a failure repeats. */
struct rng {
    uint64_t s;
};

static uint32_t rnd(struct rng *r, uint32_t below)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 2685821657736338717ULL) >> 33) % below;
}

/* What a string may hold: every piece is one "character" (some are multibyte UTF-8). */
static const char *const pieces[] = {"a",
                                     "Z",
                                     "0",
                                     "9",
                                     "-",
                                     ".",
                                     "_",
                                     "~",
                                     " ",
                                     "%",
                                     ":",
                                     "/",
                                     "?",
                                     "#",
                                     "[",
                                     "]",
                                     "@",
                                     "!",
                                     "$",
                                     "&",
                                     "'",
                                     "(",
                                     ")",
                                     "*",
                                     "+",
                                     ",",
                                     ";",
                                     "=",
                                     "|",
                                     "\"",
                                     "<",
                                     "\\",
                                     "^",
                                     "`",
                                     "{",
                                     "}",
                                     "\xc3\xa9" /* é */,
                                     "\xe6\x97\xa5" /* 日 */,
                                     "\xf0\x9f\x98\x80" /* U+1F600 */};

enum shape { PRIM, ARRAY, OBJECT, CONTENT };

/* One combination of the property. */
struct combo {
    const char *in, *style;
    int explode, reserved;
    enum shape shape;
};

/*
 * Characters a value cannot carry through this combination, because OpenAPI's
 * wire format itself cannot tell them from its syntax (not a codec bug):
 *   - header values are not encoded: "," separates items and "=" keys from
 *     values (RFC 6570 / OpenAPI simple style);
 *   - label style with explode separates items with "." which is unreserved
 *     and so never encoded (nor is a decimal point);
 *   - spaceDelimited separates with an encoded space, which a space inside a
 *     value also becomes;
 *   - allowReserved sends "&", "=", "#", "+" and "," as they are, where they
 *     end a pair, a name, the query, mean a space, or separate items.
 */
static const char *forbidden(const struct combo *c)
{
    if (c->shape == CONTENT)
        return strcmp(c->in, "header") == 0 ? "" : "";
    if (strcmp(c->in, "header") == 0)
        return ",=";
    if (strcmp(c->style, "label") == 0 && c->explode && c->shape != PRIM)
        return ".";
    if (strcmp(c->style, "spaceDelimited") == 0 && !c->explode && c->shape != PRIM)
        return " ";
    if (c->reserved)
        return "&=#+,";
    return "";
}

static char *gen_string(struct rng *r, const char *bad)
{
    static char buf[256];
    size_t n = 0, len = rnd(r, 4) == 0 ? 0 : rnd(r, 12);
    for (size_t i = 0; i < len; i++) {
        const char *p = pieces[rnd(r, sizeof(pieces) / sizeof(pieces[0]))];
        if (p[1] == '\0' && strchr(bad, p[0]))
            continue;
        size_t l = strlen(p);
        memcpy(buf + n, p, l);
        n += l;
    }
    buf[n] = '\0';
    return buf;
}

/* A number; whole ones only when a '.' cannot be carried. */
static cJSON *gen_number(struct rng *r, const char *type, const char *bad)
{
    static const double reals[] = {0.5, -0.25, 3.141592653589793, 1e20, -1e-7, 123456.789};
    if (strcmp(type, "integer") == 0 || rnd(r, 2) || strchr(bad, '.'))
        return cJSON_CreateNumber((double)((int)rnd(r, 2000000) - 1000000));
    return cJSON_CreateNumber(reals[rnd(r, sizeof(reals) / sizeof(reals[0]))]);
}

static const char *const prim_types[] = {"string", "integer", "number", "boolean"};

static cJSON *gen_prim(struct rng *r, const char *type, const char *bad)
{
    if (strcmp(type, "string") == 0)
        return cJSON_CreateString(gen_string(r, bad));
    if (strcmp(type, "boolean") == 0)
        return cJSON_CreateBool(rnd(r, 2));
    return gen_number(r, type, bad);
}

/* Property names of the object schema: tricky ones, the codec must keep them apart. */
static const char *const keys[] = {"a",   "b c", "x,y",        "k=v",     "\xc3\xa9t\xc3\xa9",
                                   "[0]", "n%2", "semi;colon", "dot.ted", "plus+"};

static int key_ok(const char *k, const char *bad)
{
    for (; *k; k++)
        if (strchr(bad, *k))
            return 0;
    return 1;
}

/* The schema of the combination's values: items' or properties' types. */
static cJSON *make_schema(const struct combo *c, const char *prim_type)
{
    cJSON *s = cJSON_CreateObject();
    if (c->shape == PRIM) {
        cJSON_AddStringToObject(s, "type", prim_type);
    } else if (c->shape == ARRAY) {
        cJSON_AddStringToObject(s, "type", "array");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "items"), "type", prim_type);
    } else {
        cJSON_AddStringToObject(s, "type", "object");
        cJSON *props = cJSON_AddObjectToObject(s, "properties");
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
            cJSON_AddStringToObject(cJSON_AddObjectToObject(props, keys[i]), "type",
                                    i == 0 ? "integer" : "string");
    }
    return s;
}

static cJSON *gen_value(struct rng *r, const struct combo *c, const char *prim_type)
{
    const char *bad = forbidden(c);
    if (c->shape == PRIM)
        return gen_prim(r, prim_type, bad);
    if (c->shape == CONTENT) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, gen_string(r, ""), gen_prim(r, "string", ""));
        cJSON_AddItemToObject(o, "n", gen_number(r, "number", ""));
        return o;
    }
    size_t n = rnd(r, 5);
    if (c->shape == ARRAY) {
        cJSON *a = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(a, gen_prim(r, prim_type, bad));
        return a;
    }
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (rnd(r, 3) == 0 && key_ok(keys[i], bad))
            cJSON_AddItemToObject(
                o, keys[i], i == 0 ? gen_number(r, "integer", bad) : gen_prim(r, "string", bad));
    return o;
}

/*
 * Values whose wire form another value shares, so that no reading can tell
 * them apart (OpenAPI defines no escape for these):
 *   - an array holding one empty string and the empty array ("" both), an
 *     empty array/object and an absent one when each item or member becomes
 *     its own query pair (no pair at all);
 */
static int ambiguous(const struct combo *c, const cJSON *v)
{
    int size = cJSON_GetArraySize(v);
    if (c->shape == ARRAY && size == 1 && cJSON_IsString(v->child) && !v->child->valuestring[0])
        return 1;
    if (strcmp(c->in, "query") == 0 && size == 0 &&
        ((c->shape == ARRAY && c->explode) ||
         (c->shape == OBJECT && (c->explode || strcmp(c->style, "deepObject") == 0))))
        return 1;
    /* In matrix style one array item that is empty reads as the name alone. */
    return 0;
}

/* ---------------------------------------------------------------- the law */

static void round_trip(const struct combo *c, unsigned runs)
{
    struct rng r = {0x9E3779B97F4A7C15ULL ^ (uint64_t)(uintptr_t)c->style ^ (uint64_t)c->shape};
    for (size_t t = 0; t < (c->shape == OBJECT || c->shape == CONTENT ? 1 : 4); t++) {
        const char *type = prim_types[t];
        cJSON *schema = make_schema(c, type);
        struct act_param_codec codec = {
            .docs = NULL,
            .name = "id",
            .in = c->in,
            .style = c->style,
            .explode = c->explode,
            .reserved = c->reserved,
            .content = c->shape == CONTENT ? "application/json" : NULL,
            .schema = {NULL, schema},
            .type = c->shape == CONTENT  ? "object"
                    : c->shape == ARRAY  ? "array"
                    : c->shape == OBJECT ? "object"
                                         : type,
            .item_type = c->shape == ARRAY ? type : NULL,
        };
        for (unsigned i = 0; i < runs; i++) {
            cJSON *v = gen_value(&r, c, type);
            assert_non_null(v);
            if (ambiguous(c, v)) {
                cJSON_Delete(v);
                continue;
            }
            struct act_buf out, q;
            act_buf_init(&out);
            act_buf_init(&q);
            assert_int_equal(act_param_serialize(&codec, v, &out, &q), ACT_OK);
            const char *wire = strcmp(c->in, "query") == 0 ? q.data : out.data;
            wire = wire ? wire : "";
            struct act_param_wire w = {0};
            if (strcmp(c->in, "path") == 0)
                w.path_value = wire;
            else if (strcmp(c->in, "query") == 0)
                w.query = wire;
            else if (strcmp(c->in, "header") == 0)
                w.header = wire;
            else
                w.cookie = wire;
            cJSON *back = NULL;
            size_t count = 0;
            assert_int_equal(act_param_deserialize(&codec, &w, &back, &count), ACT_OK);
            if (!back || !cJSON_Compare(v, back, 1)) {
                char *want = cJSON_PrintUnformatted(v);
                char *got = back ? cJSON_PrintUnformatted(back) : NULL;
                fail_msg("%s %s explode=%d reserved=%d type=%s: %s -> wire \"%s\" -> %s", c->in,
                         c->style, c->explode, c->reserved, type, want, wire,
                         got ? got : "(absent)");
            }
            cJSON_Delete(back);
            cJSON_Delete(v);
            act_buf_release(&out);
            act_buf_release(&q);
        }
        cJSON_Delete(schema);
    }
}

#define RUNS 400

static void test_round_trip_path_simple_label_matrix(void **state)
{
    (void)state;
    static const char *const styles[] = {"simple", "label", "matrix"};
    for (size_t s = 0; s < 3; s++)
        for (int e = 0; e < 2; e++)
            for (int sh = PRIM; sh <= OBJECT; sh++)
                round_trip(&(struct combo){"path", styles[s], e, 0, (enum shape)sh}, RUNS);
}

static void test_round_trip_query_form_with_and_without_allow_reserved(void **state)
{
    (void)state;
    for (int reserved = 0; reserved < 2; reserved++)
        for (int e = 0; e < 2; e++)
            for (int sh = PRIM; sh <= OBJECT; sh++)
                round_trip(&(struct combo){"query", "form", e, reserved, (enum shape)sh}, RUNS);
}

static void test_round_trip_query_space_and_pipe_delimited(void **state)
{
    (void)state;
    static const char *const styles[] = {"spaceDelimited", "pipeDelimited"};
    for (size_t s = 0; s < 2; s++)
        for (int e = 0; e < 2; e++) {
            round_trip(&(struct combo){"query", styles[s], e, 0, ARRAY}, RUNS);
            /* OpenAPI defines the delimited styles for objects without explode only. */
            if (!e)
                round_trip(&(struct combo){"query", styles[s], e, 0, OBJECT}, RUNS);
        }
}

static void test_round_trip_query_deep_object(void **state)
{
    (void)state;
    round_trip(&(struct combo){"query", "deepObject", 1, 0, OBJECT}, RUNS);
}

static void test_round_trip_header_simple(void **state)
{
    (void)state;
    for (int e = 0; e < 2; e++)
        for (int sh = PRIM; sh <= OBJECT; sh++)
            round_trip(&(struct combo){"header", "simple", e, 0, (enum shape)sh}, RUNS);
}

static void test_round_trip_cookie_form(void **state)
{
    (void)state;
    for (int e = 0; e < 2; e++)
        for (int sh = PRIM; sh <= OBJECT; sh++)
            round_trip(&(struct combo){"cookie", "form", e, 0, (enum shape)sh}, RUNS);
}

static void test_round_trip_content_parameters_in_every_location(void **state)
{
    (void)state;
    static const char *const ins[] = {"path", "query", "header", "cookie"};
    for (size_t i = 0; i < 4; i++)
        round_trip(&(struct combo){ins[i], i == 1 || i == 3 ? "form" : "simple", 0, 0, CONTENT},
                   RUNS);
}

/* ------------------------------------------------------------- the wire */

/* The wire form of v under codec c (query pairs or the piece). */
static char *wire_of(const struct act_param_codec *c, const char *json)
{
    static char buf[512];
    cJSON *v = cJSON_Parse(json);
    struct act_buf out, q;
    act_buf_init(&out);
    act_buf_init(&q);
    assert_int_equal(act_param_serialize(c, v, &out, &q), ACT_OK);
    snprintf(buf, sizeof(buf), "%s", q.len ? q.data : out.len ? out.data : "");
    act_buf_release(&out);
    act_buf_release(&q);
    cJSON_Delete(v);
    return buf;
}

static void test_serialize_writes_the_forms_openapi_shows(void **state)
{
    (void)state;
    struct act_param_codec c = {.name = "id", .in = "path", .style = "matrix", .explode = 1};
    assert_string_equal(wire_of(&c, "[3,4,5]"), ";id=3;id=4;id=5");
    assert_string_equal(wire_of(&c, "{\"role\":\"admin\",\"first\":\"Alex\"}"),
                        ";role=admin;first=Alex");
    c.explode = 0;
    assert_string_equal(wire_of(&c, "[3,4,5]"), ";id=3,4,5");
    c.style = "label";
    assert_string_equal(wire_of(&c, "[3,4,5]"), ".3,4,5");
    c.explode = 1;
    assert_string_equal(wire_of(&c, "{\"role\":\"admin\",\"first\":\"Alex\"}"),
                        ".role=admin.first=Alex");
    c = (struct act_param_codec){.name = "id", .in = "query", .style = "deepObject", .explode = 1};
    assert_string_equal(wire_of(&c, "{\"role\":\"admin\",\"first\":\"Alex\"}"),
                        "id[role]=admin&id[first]=Alex");
    c.style = "pipeDelimited";
    c.explode = 0;
    assert_string_equal(wire_of(&c, "[3,4,5]"), "id=3|4|5");
    c.style = "spaceDelimited";
    assert_string_equal(wire_of(&c, "[3,4,5]"), "id=3%204%205");
    c = (struct act_param_codec){.name = "$top", .in = "query", .style = "form", .explode = 1};
    assert_string_equal(wire_of(&c, "\"a b/c\""), "$top=a%20b%2Fc");
    c.reserved = 1;
    assert_string_equal(wire_of(&c, "\"a b/c\""), "$top=a%20b/c");
    /* found by the round trip: an exponent's '+' would read back as a space */
    assert_string_equal(wire_of(&c, "1e20"), "$top=1e20");
    assert_string_equal(wire_of(&c, "2.5e-7"), "$top=2.4999999999999999e-07");
    /* found by the round trip: a content-based cookie is a cookie, name=value */
    c = (struct act_param_codec){
        .name = "s", .in = "cookie", .style = "form", .content = "application/json"};
    assert_string_equal(wire_of(&c, "{\"a\":1}"), "s=%7B%22a%22%3A1%7D");
    c = (struct act_param_codec){.name = "X-Id", .in = "header", .style = "simple"};
    assert_string_equal(wire_of(&c, "\"a b/c\""), "a b/c");
}

static void test_deserialize_reads_what_a_client_sent_and_counts_repeats(void **state)
{
    (void)state;
    struct act_param_codec c = {
        .name = "id", .in = "query", .style = "form", .explode = 0, .type = "integer"};
    struct act_param_wire w = {.query = "x=1&id=7&id=8"};
    cJSON *v = NULL;
    size_t count = 0;
    assert_int_equal(act_param_deserialize(&c, &w, &v, &count), ACT_OK);
    assert_int_equal(count, 2);
    assert_true(cJSON_IsNumber(v) && v->valuedouble == 7);
    cJSON_Delete(v);
    /* absent */
    w.query = "x=1";
    assert_int_equal(act_param_deserialize(&c, &w, &v, &count), ACT_OK);
    assert_null(v);
    assert_int_equal(count, 0);
    /* an encoded comma stays inside its item */
    c = (struct act_param_codec){
        .name = "t", .in = "query", .style = "form", .type = "array", .item_type = "string"};
    w.query = "t=a%2Cb,c+d";
    assert_int_equal(act_param_deserialize(&c, &w, &v, &count), ACT_OK);
    assert_int_equal(cJSON_GetArraySize(v), 2);
    assert_string_equal(cJSON_GetArrayItem(v, 0)->valuestring, "a,b");
    assert_string_equal(cJSON_GetArrayItem(v, 1)->valuestring, "c d");
    cJSON_Delete(v);
    /* a number that does not read as one stays a string: the validator says so */
    c = (struct act_param_codec){.name = "n", .in = "header", .style = "simple", .type = "integer"};
    w = (struct act_param_wire){.header = " 5"};
    assert_int_equal(act_param_deserialize(&c, &w, &v, &count), ACT_OK);
    assert_true(cJSON_IsString(v));
    cJSON_Delete(v);
    /* path values the router already decoded are not decoded twice */
    c = (struct act_param_codec){.name = "p", .in = "path", .style = "simple", .type = "string"};
    w = (struct act_param_wire){.path_value = "100%25", .path_decoded = 1};
    assert_int_equal(act_param_deserialize(&c, &w, &v, &count), ACT_OK);
    assert_string_equal(v->valuestring, "100%25");
    cJSON_Delete(v);
    /* a cookie among others */
    c = (struct act_param_codec){.name = "s", .in = "cookie", .style = "form", .type = "string"};
    w = (struct act_param_wire){.cookie = "a=1; s=x%3By; b=2"};
    assert_int_equal(act_param_deserialize(&c, &w, &v, &count), ACT_OK);
    assert_string_equal(v->valuestring, "x;y");
    cJSON_Delete(v);
}

static void test_codec_init_applies_openapi_defaults(void **state)
{
    (void)state;
    struct act_doc *doc = must_parse(
        "p.json",
        "[{\"name\":\"q\",\"in\":\"query\",\"schema\":{\"type\":\"array\",\"items\":"
        "{\"type\":\"integer\"}}},"
        "{\"name\":\"p\",\"in\":\"path\",\"schema\":{\"type\":\"string\"},\"allowReserved\":true},"
        "{\"name\":\"h\",\"in\":\"header\",\"style\":\"simple\",\"explode\":true,"
        "\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}},"
        "{\"name\":\"c\",\"in\":\"cookie\",\"allowReserved\":true}]",
        ACT_DOC_JSON);
    struct act_param ps[4];
    size_t i = 0;
    for (const cJSON *e = doc->root->child; e; e = e->next, i++)
        ps[i] = (struct act_param){.name = cJSON_GetObjectItem(e, "name")->valuestring,
                                   .in = cJSON_GetObjectItem(e, "in")->valuestring,
                                   .node = {doc, e}};
    struct act_param_codec c;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_param_codec_init(NULL, &ps[0], &c, &err), ACT_OK);
    assert_string_equal(c.style, "form");
    assert_true(c.explode);
    assert_string_equal(c.type, "array");
    assert_string_equal(c.item_type, "integer");
    assert_int_equal(act_param_codec_init(NULL, &ps[1], &c, &err), ACT_OK);
    assert_string_equal(c.style, "simple");
    assert_false(c.explode);
    assert_false(c.reserved); /* allowReserved applies to query parameters only */
    assert_int_equal(act_param_codec_init(NULL, &ps[2], &c, &err), ACT_OK);
    assert_true(c.explode);
    assert_string_equal(c.content, "application/json");
    assert_string_equal(c.type, "object");
    assert_int_equal(act_param_codec_init(NULL, &ps[3], &c, &err), ACT_OK);
    assert_string_equal(c.style, "form");
    assert_false(c.reserved);
    assert_null(c.schema.node);
    act_doc_free(doc);
}

/* --------------------------------------------------- the other shared rules */

static void test_media_rule_says_json_range_or_other(void **state)
{
    (void)state;
    assert_int_equal(act_media_json("application/json"), ACT_MEDIA_JSON);
    assert_int_equal(act_media_json("Application/JSON; charset=utf-8"), ACT_MEDIA_JSON);
    assert_int_equal(act_media_json("application/problem+json"), ACT_MEDIA_JSON);
    assert_int_equal(act_media_json("*/*"), ACT_MEDIA_RANGE);
    assert_int_equal(act_media_json("application/*"), ACT_MEDIA_RANGE);
    assert_int_equal(act_media_json("APPLICATION/*; q=1"), ACT_MEDIA_RANGE);
    assert_int_equal(act_media_json("text/*"), ACT_MEDIA_OTHER);
    assert_int_equal(act_media_json("application/jsonx"), ACT_MEDIA_OTHER);
    assert_int_equal(act_media_json("+json"), ACT_MEDIA_OTHER);
    assert_int_equal(act_media_json("text/plain"), ACT_MEDIA_OTHER);
    assert_true(act_media_is_json("application/vnd.api+json"));
    assert_false(act_media_is_json("*/*"));
}

static void test_declared_list_names_keys_none_and_cuts_long_lists(void **state)
{
    (void)state;
    char buf[64];
    cJSON *o = cJSON_Parse("{\"200\":1,\"404\":2,\"default\":3}");
    act_declared_list(o, buf, sizeof(buf));
    assert_string_equal(buf, "200, 404, default");
    cJSON_Delete(o);
    act_declared_list(NULL, buf, sizeof(buf));
    assert_string_equal(buf, "none");
    o = cJSON_Parse("{\"aaaaaaaaaa\":1,\"bbbbbbbbbb\":1,\"cccccccccc\":1,\"dddddddddd\":1}");
    char small[20];
    act_declared_list(o, small, sizeof(small));
    assert_int_equal(strlen(small), sizeof(small) - 1);
    assert_string_equal(small + sizeof(small) - 4, "...");
    cJSON_Delete(o);
}

static void test_json_kind_names_every_kind_of_value(void **state)
{
    (void)state;
    static const char *const texts[] = {"null", "true", "1.5", "\"s\"", "[]", "{}"};
    static const char *const names[] = {"null",     "a boolean", "a number",
                                        "a string", "an array",  "an object"};
    for (size_t i = 0; i < 6; i++) {
        cJSON *v = cJSON_Parse(texts[i]);
        assert_string_equal(act_json_kind(v), names[i]);
        cJSON_Delete(v);
    }
}

static void test_security_schemes_in_order_refs_followed_unknown_not_found(void **state)
{
    (void)state;
    char dir[] = "/tmp/actions-test-openapi-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/sec.yaml", dir);
    write_file(path, "openapi: 3.0.3\n"
                     "info: {title: t, version: '1'}\n"
                     "paths: {}\n"
                     "components:\n"
                     "  securitySchemes:\n"
                     "    key: {type: apiKey, in: query, name: api_key}\n"
                     "    bearer: {$ref: '#/components/x-schemes/b'}\n"
                     "    broken: {$ref: '#/nowhere'}\n"
                     "  x-schemes:\n"
                     "    b: {type: http, scheme: bearer, bearerFormat: JWT}\n");
    struct act_spec *spec = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_spec_load(path, 0, &spec, &err), ACT_OK);
    struct act_security_scheme *v = NULL;
    size_t n = 0;
    assert_int_equal(act_spec_security_schemes(spec, &v, &n), ACT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].key, "key");
    assert_string_equal(v[0].type, "apiKey");
    assert_string_equal(v[0].in, "query");
    assert_string_equal(v[0].name, "api_key");
    assert_string_equal(v[1].scheme, "bearer");
    assert_string_equal(v[1].bearer, "JWT");
    assert_null(v[2].node.node);
    act_free(v);
    struct act_security_scheme one;
    assert_int_equal(act_spec_security_scheme(spec, "bearer", &one, &err), ACT_OK);
    assert_string_equal(one.type, "http");
    assert_int_equal(act_spec_security_scheme(spec, "nope", &one, &err), ACT_ERR_NOTFOUND);
    assert_int_equal(act_spec_security_scheme(spec, "broken", &one, &err), ACT_ERR_REF);
    act_spec_free(spec);
    unlink(path);
    rmdir(dir);
}

/* act_pct_encode without a keep set is curl_easy_escape, and act_pct_decode (no
 * '+' rule) is curl_easy_unescape, on every byte value and on random strings with
 * well-formed, truncated and malformed escapes. */
static void test_pct_codec_is_libcurls_byte_for_byte(void **state)
{
    (void)state;
    CURL *h = curl_easy_init();
    assert_non_null(h);
    struct rng r = {0x9e3779b97f4a7c15ULL};
    static const char alphabet[] = "%%%0123456789abcdefABCDEFxz+ /?&=~-._";
    for (int round = 0; round < 20000; round++) {
        char s[40];
        size_t len = 1 + rnd(&r, sizeof s - 1);
        for (size_t i = 0; i < len; i++)
            s[i] = round < 256  ? (char)(round == 0 ? 1 : round) /* every byte value once */
                   : rnd(&r, 2) ? alphabet[rnd(&r, sizeof alphabet - 1)]
                                : (char)(1 + rnd(&r, 255));
        if (round < 256)
            len = 1;
        struct act_buf b;
        act_buf_init(&b);
        assert_int_equal(act_pct_encode(&b, s, len, NULL), ACT_OK);
        char *want = curl_easy_escape(h, s, (int)len);
        assert_non_null(want);
        assert_string_equal(b.data ? b.data : "", want);
        curl_free(want);
        act_buf_release(&b);

        int n = 0;
        char *cd = curl_easy_unescape(h, s, (int)len, &n);
        char *ad = act_pct_decode(s, len, 0);
        assert_non_null(cd);
        assert_non_null(ad);
        assert_memory_equal(ad, cd, (size_t)n + 1);
        curl_free(cd);
        act_free(ad);
    }
    curl_easy_cleanup(h);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_path_simple_label_matrix),
        cmocka_unit_test(test_round_trip_query_form_with_and_without_allow_reserved),
        cmocka_unit_test(test_round_trip_query_space_and_pipe_delimited),
        cmocka_unit_test(test_round_trip_query_deep_object),
        cmocka_unit_test(test_round_trip_header_simple),
        cmocka_unit_test(test_round_trip_cookie_form),
        cmocka_unit_test(test_round_trip_content_parameters_in_every_location),
        cmocka_unit_test(test_serialize_writes_the_forms_openapi_shows),
        cmocka_unit_test(test_deserialize_reads_what_a_client_sent_and_counts_repeats),
        cmocka_unit_test(test_codec_init_applies_openapi_defaults),
        cmocka_unit_test(test_media_rule_says_json_range_or_other),
        cmocka_unit_test(test_declared_list_names_keys_none_and_cuts_long_lists),
        cmocka_unit_test(test_json_kind_names_every_kind_of_value),
        cmocka_unit_test(test_security_schemes_in_order_refs_followed_unknown_not_found),
        cmocka_unit_test(test_pct_codec_is_libcurls_byte_for_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
