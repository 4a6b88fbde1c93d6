/*
 * validate.h - validating a JSON instance against an OpenAPI 3.0 Schema Object, or a
 * JSON Schema 2020-12 schema (OpenAPI 3.1).
 *
 * A validator belongs to one docset (the spec and the files it references).
 * Schemas are compiled on first use (refs resolved, patterns compiled) and
 * cached for the validator's lifetime, so validating many instances, or a
 * large array, compiles each schema node once. Recursive schemas are walked
 * lazily, never expanded.
 *
 * Every error is recorded (up to a cap), each with the RFC 6901 pointer of the
 * instance node, the location of the schema keyword, the keyword, what was
 * expected and what was found.
 */
#ifndef ACT_VALIDATOR_VALIDATE_H
#define ACT_VALIDATOR_VALIDATE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_error.h"
#include "parser/ref.h"

/* Which way the instance travels: readOnly / writeOnly rules depend on it. */
enum act_direction {
    ACT_DIR_RESPONSE, /* required writeOnly properties may be absent */
    ACT_DIR_REQUEST,  /* readOnly properties must not be sent; required readOnly may be absent */
};

/* One schema error. All strings are owned by the list. */
struct act_verr {
    char *instance; /* JSON Pointer of the instance node, "" for the root */
    char *schema;   /* where the failing keyword is: "#/components/schemas/Pet/properties/id/type"
                       (a URI-style JSON Pointer into the schema's file) */
    char *file;     /* the schema's file (path as given), for file:line messages */
    const char *keyword; /* "type", "required", "maxLength", ... (static) */
    char *expected;      /* "string", "at most 10 characters", ... */
    char *found;         /* "null", "12 characters", ... */
};

/* A growable list of schema errors, capped at max; the rest are only counted. */
struct act_errlist {
    struct act_verr *v; /* the errors, in instance order */
    size_t n;           /* errors recorded */
    size_t cap;         /* slots allocated */
    size_t max;         /* record at most this many (0 = ACT_MAX_ERRORS) */
    size_t dropped;     /* errors beyond max, counted not recorded ("... and N more") */
};

void act_errlist_init(struct act_errlist *l, size_t max);
void act_errlist_release(struct act_errlist *l);
/* "/message: expected string, got number (#/components/schemas/Msg/properties/message/type)" */
void act_verr_format(const struct act_verr *e, struct act_buf *out);

struct act_validator;

/* The JSON Schema dialect of a validator's schemas. */
enum act_dialect {
    ACT_DIALECT_OAS30,   /* OpenAPI 3.0 Schema Objects (nullable, boolean exclusive bounds) */
    ACT_DIALECT_2020_12, /* JSON Schema 2020-12 (OpenAPI 3.1, $schema of 2020-12) */
};

/*
 * A validator over the files of ds (borrowed: ds must outlive it). Its dialect comes from
 * ds's root document: `openapi: 3.1.x` is 2020-12 (a jsonSchemaDialect other than 2020-12
 * or the OAS 3.1 base dialect makes every validation fail with ACT_ERR_UNSUPPORTED, naming
 * it), a schema file whose $schema is 2020-12 too; anything else is OpenAPI 3.0.
 */
enum act_status act_validator_new(struct act_docset *ds, struct act_validator **out) ACT_WUR;
/* Force the dialect of v (before its first validation). */
void act_validator_set_dialect(struct act_validator *v, enum act_dialect d);
void act_validator_free(struct act_validator *v);

/*
 * The work budget of each later validation by v: schema applications (one schema
 * on one instance node) it may perform; 0 = the default, ACT_MAX_VALIDATION_STEPS
 * plus ACT_VALIDATION_STEPS_PER_BYTE per byte of the instance. A validation
 * that runs out stops and records one error, keyword "budget", "validation work
 * budget of N steps exceeded" (the instance is then reported invalid). Results of
 * anyOf/oneOf/not branches are remembered within a validation, so recursive
 * schemas cost polynomial work; the budget is the backstop. Pattern matches
 * share a budget of their own per validation (ACT_MAX_REGEX_BUDGET steps).
 */
void act_validator_set_max_steps(struct act_validator *v, unsigned long steps);

/*
 * A caller's limit on one validation (the mock's time per request): every
 * ACT_VALIDATE_STOP_EVERY schema applications, stop(arg) is asked; a non-NULL
 * answer (why, e.g. "the request took longer than 2 s") ends the validation
 * with ACT_ERR_LIMIT "validation stopped: WHY". stop NULL removes the limit.
 */
void act_validator_set_stop(struct act_validator *v, const char *(*stop)(void *arg), void *arg);

/*
 * Validate instance against schema (a Schema Object, possibly a $ref, in
 * schema.doc). Appends every error to errs. Returns ACT_OK when the instance
 * was checked (valid or not: see errs->n + errs->dropped), or an error status
 * (with err filled) when the schema itself is unusable: an unresolvable $ref,
 * an invalid pattern, multipleOf <= 0, a keyword of the wrong type.
 */
enum act_status act_validate(struct act_validator *v, struct act_node schema, const cJSON *instance,
                             enum act_direction dir, struct act_errlist *errs,
                             struct act_error *err) ACT_WUR;

/*
 * As act_validate, for an instance inside the JSON document idoc (instance is
 * idoc->root or a node of it). Numbers are compared as doubles; where two
 * doubles tie and the value lies beyond 2^53 (or overflowed, like 1e400), the
 * number's text in idoc decides exactly. Without idoc (act_validate) such a
 * tie is reported as an error ("cannot be compared exactly"), never guessed.
 */
enum act_status act_validate_doc(struct act_validator *v, struct act_node schema,
                                 const struct act_doc *idoc, const cJSON *instance,
                                 enum act_direction dir, struct act_errlist *errs,
                                 struct act_error *err) ACT_WUR;

/*
 * As act_validate_doc (idoc may be NULL), for a caller that knows where the
 * schema stands: loc is "#" + the JSON Pointer of schema.node in its file.
 * Without it (NULL) the validator searches the file for the node once per
 * schema, which is linear in the file's size.
 */
enum act_status act_validate_at(struct act_validator *v, struct act_node schema, const char *loc,
                                const struct act_doc *idoc, const cJSON *instance,
                                enum act_direction dir, struct act_errlist *errs,
                                struct act_error *err) ACT_WUR;

/*
 * Generate a deterministic instance of schema (a Schema Object, possibly a
 * $ref, in schema.doc): honours type, required, enum, format, length, range
 * and multipleOf limits, allOf (merged), the first fitting oneOf/anyOf branch,
 * discriminator, readOnly/writeOnly for dir, and stops recursion at optional
 * properties and optional array items. v (may be NULL) is used to pick among
 * candidates (patterns, oneOf branches); the result is not guaranteed valid
 * for patterns it cannot satisfy, so callers validate it. use_examples 1
 * takes a subschema's `example` where it has one. *out: a new tree the caller
 * frees with cJSON_Delete. Errors: ACT_ERR_REF (unresolvable $ref),
 * ACT_ERR_LIMIT (a required property recursing deeper than ACT_GEN_MAX_DEPTH),
 * ACT_ERR_NOMEM.
 */
enum act_status act_generate(struct act_validator *v, struct act_docset *ds, struct act_node schema,
                             enum act_direction dir, int use_examples, cJSON **out,
                             struct act_error *err) ACT_WUR;

#endif
