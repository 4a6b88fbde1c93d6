/*
 * openapi.h - the OpenAPI 3.0 rules every consumer of a spec shares.
 *
 * This module owns:
 *   - the parameter codec: a parameter's effective style, explode and
 *     allowReserved (OpenAPI's defaults), how a value goes on the wire
 *     (act_param_serialize: what `test` sends) and how the wire text reads back
 *     (act_param_deserialize: what the mock checks). One codec, so the two
 *     cannot disagree about the wire format;
 *   - the media-type rule (act_media_json): which media types carry JSON;
 *   - the Security Scheme Objects of components/securitySchemes;
 *   - "declared: a, b, c" lists of a map's keys for messages.
 * It knows nothing of HTTP transport or validation: values are cJSON, checked
 * by the caller.
 */
#ifndef ACT_PARSER_OPENAPI_H
#define ACT_PARSER_OPENAPI_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_error.h"
#include "parser/spec.h"

/* --------------------------------------------------------------- the codec */

/*
 * The characters allowReserved lets through unencoded (RFC 3986 reserved set).
 * Query parameter names keep ACT_PARAM_NAME_KEEP as written as well (OData's
 * "$top" must stay "$top"): the sub-delimiters that do not change a query's
 * structure ("&", "=", "+" and ";" do, so they are encoded).
 */
#define ACT_PARAM_RESERVED ":/?#[]@!$&'()*+,;="
#define ACT_PARAM_NAME_KEEP "!$'()*,"

/* How one parameter travels. Strings are borrowed from the spec. */
struct act_param_codec {
    struct act_docset *docs; /* to follow the schema's $refs (property types) */
    const char *name;        /* parameter name */
    const char *in;          /* path, query, header, cookie */
    const char *style;       /* effective style: the declared one, else form/simple */
    int explode;             /* effective explode: declared, else style == form */
    int reserved;            /* allowReserved (honoured for query parameters only) */
    const char *content;     /* media type of a content-based parameter, or NULL */
    struct act_node schema;  /* the resolved schema (node NULL when there is none) */
    const char *type;        /* the schema's type, or NULL */
    const char *item_type;   /* the type of an array's items, or NULL */
};

/*
 * The codec of parameter p: style/explode defaults applied, its schema (or its
 * content's schema) and the items' schema resolved. A $ref that cannot be
 * followed fails (err set); c is then usable with what was resolved so far.
 */
enum act_status act_param_codec_init(struct act_docset *docs, const struct act_param *p,
                                     struct act_param_codec *c, struct act_error *err) ACT_WUR;

/*
 * Append v in wire form. Query parameters append "name=value" pairs to q
 * (joined with '&'); path, header and cookie parameters append their text to
 * out (a path segment's expansion, a header's value, a cookie's "name=value").
 * Path, query and cookie values are percent-encoded (only unreserved
 * characters stay, plus ACT_PARAM_RESERVED with allowReserved in a query);
 * header values go as they are. Nested arrays/objects are written as JSON.
 */
enum act_status act_param_serialize(const struct act_param_codec *c, const cJSON *v,
                                    struct act_buf *out, struct act_buf *q) ACT_WUR;

/* Where act_param_deserialize reads from; fields the location does not use may be NULL. */
struct act_param_wire {
    const char *path_value; /* path: the text the template variable matched */
    int path_decoded;       /* 1: path_value is already percent-decoded */
    const char *query;      /* query: the raw query string, without '?' */
    const char *header;     /* header: the header's value */
    const char *cookie;     /* cookie: the Cookie header's value */
};

/*
 * Read the value of c back from the wire: the inverse of act_param_serialize.
 * Text is split on the style's separators first and percent-decoded after, so
 * an encoded separator inside a value stays in the value. Primitive pieces are
 * coerced by the schema's type (act_param_coerce). *out is NULL when the
 * parameter is absent; *count is how many times it was given (query pairs).
 * Fails only for want of memory.
 */
enum act_status act_param_deserialize(const struct act_param_codec *c,
                                      const struct act_param_wire *w, cJSON **out,
                                      size_t *count) ACT_WUR;

/*
 * s read as a value of JSON type type: a number, a boolean, or for "object" and
 * "array" JSON text of that kind; a string when it does not read so (the
 * validator reports the mismatch). NULL only for want of memory.
 */
cJSON *act_param_coerce(const char *s, const char *type);

/*
 * Percent-encode s[0..len) onto out: unreserved characters stay, so do the
 * characters in keep (may be NULL); every other byte becomes %XX.
 */
enum act_status act_pct_encode(struct act_buf *out, const char *s, size_t len,
                               const char *keep) ACT_WUR;

/* s[0..n) percent-decoded (plus: '+' is a space), malformed escapes kept; NULL: no memory. */
char *act_pct_decode(const char *s, size_t n, int plus);

/* ------------------------------------------------------------ media types */

/* What act_media_json says of a media type. */
enum act_media_kind {
    ACT_MEDIA_OTHER = 0, /* not JSON ("text/plain", "application/xml", "text/ *") */
    ACT_MEDIA_JSON = 1,  /* "application/json" or a "+json" suffix */
    ACT_MEDIA_RANGE = 2  /* "* / *" or "application/ *" (no spaces): a range JSON is in */
};

/*
 * The one media-type rule: case and parameters ("; charset=utf-8") are
 * ignored. A range that includes application/json is not JSON itself but
 * admits it: a body declared so is sent, generated and validated as JSON when
 * it parses, and a declared JSON type is preferred to it.
 */
enum act_media_kind act_media_json(const char *media_type);

/* 1 when media_type is JSON itself (ACT_MEDIA_JSON): application/json or a "+json" suffix. */
int act_media_is_json(const char *media_type);

/* --------------------------------------------------------------- security */

/* A Security Scheme Object (components/securitySchemes/NAME). Borrowed strings. */
struct act_security_scheme {
    const char *key;      /* its name under securitySchemes */
    struct act_node node; /* the object after $ref (node NULL when the $ref is broken) */
    const char *type;     /* apiKey, http, oauth2, openIdConnect; or NULL */
    const char *in;       /* apiKey: query, header, cookie; else NULL */
    const char *name;     /* apiKey: the parameter's name; else NULL */
    const char *scheme;   /* http: basic, bearer, ...; else NULL */
    const char *bearer;   /* http bearer: bearerFormat, or NULL */
};

/*
 * The securitySchemes of spec in declaration order into *out (caller frees with
 * act_free), *n their count; none is not an error.
 */
enum act_status act_spec_security_schemes(const struct act_spec *spec,
                                          struct act_security_scheme **out, size_t *n) ACT_WUR;

/*
 * The scheme named key into *out: ACT_OK; ACT_ERR_NOTFOUND when it is not
 * declared (err untouched); the $ref's error (err set) when it cannot be followed.
 */
enum act_status act_spec_security_scheme(const struct act_spec *spec, const char *key,
                                         struct act_security_scheme *out,
                                         struct act_error *err) ACT_WUR;

/* ------------------------------------------------------ bodies, responses */

/* The index in ps[0..n) of the path parameter named name[0..len) (a {name} of a
 * path template), or n when there is none. */
size_t act_path_param_index(const struct act_param *ps, size_t n, const char *name, size_t len);

/* The schema node of parameter p (its own, else its content's), unresolved; or NULL. */
const cJSON *act_param_schema(const struct act_param *p);
/* The schema node of a Media Type Object (a member of a content map), unresolved; or NULL. */
const cJSON *act_media_schema(const cJSON *media);
/* The url of a Server Object, or NULL when it has none (or not a string). */
const char *act_server_url(const cJSON *server);

/* A Request Body or Response Object after $ref. Borrowed from the spec. */
struct act_payload {
    struct act_node node;    /* the object and its file */
    int required;            /* required: true (request bodies) */
    const char *description; /* or NULL */
    const cJSON *content;    /* the map of media types, or NULL */
};

/* The request body of op into *out; ACT_ERR_NOTFOUND when it has none, else the $ref's error. */
enum act_status act_spec_request_body(const struct act_spec *spec, const struct act_op *op,
                                      struct act_payload *out, struct act_error *err) ACT_WUR;

/* The response entry (a member of op->responses) into *out; else the $ref's error. */
enum act_status act_spec_response(const struct act_spec *spec, const struct act_op *op,
                                  const cJSON *entry, struct act_payload *out,
                                  struct act_error *err) ACT_WUR;

/* ---------------------------------------------------------------- messages */

/* What a value is called in messages: "null", "a boolean", "a number", "a string",
 * "an array", "an object". */
const char *act_json_kind(const cJSON *v);

/*
 * The keys of obj into buf, "200, 404, default"; "none" when there is none;
 * ending "..." when buf is too small for them all.
 */
void act_declared_list(const cJSON *obj, char *buf, size_t size);

#endif
