/*
 * convert.h - `actions convert`: one OpenAPI version's document tree rewritten as another's.
 *
 * Owns the translations between OpenAPI 3.1 and 3.0 (3.1 -> 3.0.3 with a report of what
 * 3.0 cannot express, 3.0 -> 3.1.0 exactly), the detection of a document's version, and
 * the whole conversion of a spec (its files bundled into one document first, Swagger 2.0
 * translated by parser/swagger2.h). It works on document trees only: it needs nothing of
 * act_spec_load.
 *
 * The loss report is a cJSON array of objects {"pointer", "done", "lost"}: the JSON
 * Pointer (RFC 6901, as `actions diff` prints them) of the construct in the source
 * document, what was done with it, and what the 3.0 document no longer says.
 */
#ifndef ACT_PARSER_CONVERT_H
#define ACT_PARSER_CONVERT_H

#include <cjson/cJSON.h>

#include "common/act_error.h"
#include "parser/doc.h"
#include "parser/ref.h"

/* OpenAPI versions a document can declare, by their major.minor. */
enum act_oas_version {
    ACT_OAS_UNKNOWN = 0, /* neither "swagger": "2.0" nor "openapi": "3.0.x" / "3.1.x" */
    ACT_OAS_20,          /* "swagger": "2.0" */
    ACT_OAS_30,          /* "openapi": "3.0.x" */
    ACT_OAS_31,          /* "openapi": "3.1.x" */
};

/* The version root declares (an object with "swagger" or "openapi"), or ACT_OAS_UNKNOWN. */
enum act_oas_version act_oas_version_of(const cJSON *root);

/*
 * An OpenAPI 3.1 document tree as an OpenAPI 3.0.3 one: *out is a new tree (the caller
 * frees it with cJSON_Delete); root is not changed. Every rewrite of a construct 3.0 has
 * not got is appended to losses (an array; the caller owns it), in document order.
 * Errors: ACT_ERR_INVALID when root is not an object, ACT_ERR_NOMEM (err names name).
 */
enum act_status act_convert_31_to_30(const cJSON *root, const char *name, cJSON **out,
                                     cJSON *losses, struct act_error *err) ACT_WUR;

/*
 * An OpenAPI 3.0.x document tree as an OpenAPI 3.1.0 one, validating the same instances:
 * nullable becomes a type array (3.0.0-3.0.2's nullable without type, a union with
 * null), a schema's example an examples array, boolean exclusiveMinimum/Maximum numbers;
 * keywords 3.0 ignored that 3.1 would evaluate (const, prefixItems, if, ...), the
 * siblings of a schema $ref other than annotations, and the summary and description beside
 * a Reference Object's $ref (3.1 would show them) are dropped. Nothing is lost, so there is
 * no report. *out and errors as act_convert_31_to_30.
 */
enum act_status act_convert_30_to_31(const cJSON *root, const char *name, cJSON **out,
                                     struct act_error *err) ACT_WUR;

/*
 * The spec whose root file is root (in ds, which loads the files its $refs reach) as one
 * document of version to (ACT_OAS_30 or ACT_OAS_31): bundled (parser/bundle.h) into one
 * tree, then translated step by step (2.0 -> 3.0 -> 3.1; 3.1 -> 3.0). A document already
 * of version to is only bundled. A Swagger 2.0 root is read as 3.0 in place (its tree
 * becomes the translation, parser/swagger2.h). *out as above; losses of every step go
 * to losses, in the order of the steps, each pointing into the document of its step.
 * Errors: ACT_ERR_UNSUPPORTED for a document of no known version, those of act_bundle
 * (a $ref that does not resolve), of the 2.0 translation (act_swagger2_to_oas30),
 * ACT_ERR_NOMEM.
 */
enum act_status act_convert_spec(struct act_docset *ds, struct act_doc *root,
                                 enum act_oas_version to, cJSON **out, cJSON *losses,
                                 struct act_error *err) ACT_WUR;

#endif
