/*
 * spec.h - an OpenAPI 3.0.x or 3.1.x document and its operations ("actions").
 *
 * act_spec_load reads the root file, checks the version (and a 3.1 document's
 * jsonSchemaDialect), and enumerates every path x method in spec order; that is
 * all `list` needs. A 3.1 document's webhooks are enumerated the same way into
 * their own list (struct act_spec.webhooks): they are operations the API calls,
 * not actions, so nothing that runs or serves actions sees them. Parameters (with
 * their $refs) are resolved only when asked for (act_spec_op_params), schemas
 * never: they are followed lazily through the docset (ref.h). The OpenAPI
 * rules the consumers of a spec share (the parameter codec, media types,
 * security schemes, bodies and responses) are in openapi.h.
 */
#ifndef ACT_PARSER_SPEC_H
#define ACT_PARSER_SPEC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "parser/doc.h"
#include "parser/ref.h"

/* One operation. All pointers are borrowed from the spec. */
struct act_op {
    const char *id;                 /* operationId, or synthesized "get./pets/{petId}" */
    int id_synthesized;             /* 1 when there was no operationId */
    const char *method;             /* lowercase: get put post delete options head patch trace */
    const char *path;               /* the path template, "/pets/{petId}" */
    const char *summary;            /* NULL when absent */
    const char *description;        /* NULL when absent */
    const cJSON *tags;              /* array of strings, or NULL */
    int deprecated;                 /* deprecated: true */
    const cJSON *node;              /* the Operation Object */
    const cJSON *path_item;         /* the Path Item Object it belongs to (after its $ref) */
    const struct act_doc *path_doc; /* file of path_item (differs when the path item is a $ref) */
    const cJSON *request_body;      /* requestBody (possibly a $ref object), or NULL */
    const cJSON *responses;         /* responses object, or NULL */
    const cJSON *security;          /* operation security, else the global one, or NULL */
    const cJSON *servers;           /* operation servers, else path item's, else global, or NULL */
    char *pointer;                  /* JSON Pointer of the operation: "/paths/~1pets/get" */
    int webhook;                    /* 1: a webhook (path is the webhook's name, pointer
                                     * "/webhooks/NAME/post"); never tested nor served */
};

/* A parameter after $ref resolution and path/operation merging. */
struct act_param {
    const char *name;        /* "petId" */
    const char *in;          /* path, query, header, cookie */
    int required;            /* required: true (always 1 for in: path per the spec's rule) */
    int ignored;             /* a header named Accept, Content-Type or Authorization: OpenAPI
                              * says it SHALL be ignored (act_spec_param_ignored) */
    struct act_node node;    /* the Parameter Object (resolved) and its file */
    const char *description; /* its description; in 3.1 a $ref's sibling one overrides it */
};

struct act_spec {
    struct act_docset *docs;   /* every file of the spec (owned) */
    const struct act_doc *doc; /* the root file (owned by docs) */
    const char *openapi;       /* the version string, "3.0.3" */
    const char *title;         /* info.title, or NULL */
    const char *version;       /* info.version, or NULL */
    struct act_op *ops;        /* operations in spec order (owned) */
    size_t n_ops;
    struct act_op *webhooks; /* 3.1 webhooks in spec order (owned), webhook = 1 */
    size_t n_webhooks;
    int oas31;      /* 1: openapi 3.1.x (JSON Schema 2020-12 schemas) */
    int is_release; /* 1 when it is a release's spec: ops are the released actions only */
};

/* Flags for act_spec_load. */
#define ACT_SPEC_LENIENT 1       /* accept a missing openapi field and missing paths (for lint) */
#define ACT_SPEC_ABSOLUTE_REFS 2 /* follow $refs to absolute file paths (act_docset_allow_...) */

/* The JSON Schema dialects a 3.1 document's jsonSchemaDialect may name. */
#define ACT_DIALECT_OAS31_URI "https://spec.openapis.org/oas/3.1/dialect/base"
#define ACT_DIALECT_2020_12_URI "https://json-schema.org/draft/2020-12/schema"

/*
 * Load the spec at path. Fails with ACT_ERR_UNSUPPORTED for swagger 2.0, other
 * versions than 3.0.x and 3.1.x ("unsupported OpenAPI version ...") and a
 * jsonSchemaDialect other than the two above; ACT_ERR_INVALID for a document
 * that is not an OpenAPI object (3.0 needs "paths"; 3.1 needs one of "paths",
 * "webhooks", "components"). *out: caller frees with act_spec_free.
 */
enum act_status act_spec_load(const char *path, int flags, struct act_spec **out,
                              struct act_error *err) ACT_WUR;
/* As act_spec_load, for a document already parsed (a released spec); takes doc, which
 * is freed with the spec, also on failure. */
enum act_status act_spec_load_doc_take(struct act_doc *doc, int flags, struct act_spec **out,
                                       struct act_error *err) ACT_WUR;
void act_spec_free(struct act_spec *spec);

/* The operation with this id, or NULL. */
const struct act_op *act_spec_find_op(const struct act_spec *spec, const char *id);

/* The webhook with this id (operationId, else "post.NAME"), or NULL. */
const struct act_op *act_spec_find_webhook(const struct act_spec *spec, const char *id);

/*
 * The string member key ("summary", "description") of a Reference Object ref
 * that stands for target: in a 3.1 document a sibling of "$ref" overrides the
 * target's (OpenAPI 3.1, Reference Object); in 3.0 siblings are ignored. ref may
 * be the target itself (no $ref). NULL when neither has it.
 */
const char *act_spec_ref_text(const struct act_spec *spec, const cJSON *ref, const cJSON *target,
                              const char *key);

/* Keep only the operations for which keep(op, arg) returns nonzero, in order. */
void act_spec_retain(struct act_spec *spec, int (*keep)(const struct act_op *op, void *arg),
                     void *arg);

/*
 * Up to max ids closest to id (edit distance, prefix and substring matches),
 * best first, into out[]; returns how many.
 */
size_t act_spec_suggest(const struct act_spec *spec, const char *id, const char **out, size_t max);

/*
 * Does a key of a Responses Object match status at the given precedence?
 * 0: the exact code ("404"), 1: its range ("4XX", any case), 2: "default".
 */
int act_status_key_matches(const char *key, long status, int precedence);

/* The entry of responses for status: exact code, then range, then "default"; or NULL. */
const cJSON *act_spec_response_for(const cJSON *responses, long status);

/*
 * The entry of a content map (media type -> Media Type Object) for the media
 * type content_type: exact, then "type/ *", then "* / *" (without the spaces);
 * parameters such as "; charset=utf-8" and case are ignored. NULL when none.
 */
const cJSON *act_spec_media_for(const cJSON *content, const char *content_type);

/*
 * The effective parameters of op: path-level ones merged with the operation's
 * (same name and in: the operation's wins), $refs resolved. *out is a new
 * array the caller frees with act_free; *n its length.
 */
enum act_status act_spec_op_params(const struct act_spec *spec, const struct act_op *op,
                                   struct act_param **out, size_t *n,
                                   struct act_error *err) ACT_WUR;

/*
 * OpenAPI 3.0 (Parameter Object): a header parameter named Accept, Content-Type
 * or Authorization (any case) SHALL be ignored; the request's media types and
 * security say those. 1 for such a parameter (in, name as declared).
 */
int act_spec_param_ignored(const char *in, const char *name);

/* What act_spec_op_params_all includes. */
#define ACT_PARAMS_IGNORED 1 /* also the ignored header parameters, with ignored = 1 */

/*
 * act_spec_op_params leaves out the parameters OpenAPI says to ignore, so that
 * every consumer (requests, the mock, test) ignores them; show and lint ask for
 * them too with ACT_PARAMS_IGNORED, in declaration order, marked ignored.
 */
enum act_status act_spec_op_params_all(const struct act_spec *spec, const struct act_op *op,
                                       int flags, struct act_param **out, size_t *n,
                                       struct act_error *err) ACT_WUR;

#endif
