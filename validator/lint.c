/*
 * lint.c - the lint rules: structural problems of an OpenAPI 3.0 spec, each
 * found at a node (file, line, column, JSON Pointer) and handed to a callback.
 *
 * Errors: openapi / info.title / info.version / paths present; path keys
 * start with "/"; duplicate operationIds; every {param} of a path template has
 * a required path parameter and every path parameter appears in the template;
 * a known "in"; every $ref in every file reached resolves (cycles of bare refs
 * included), and to an object where an OpenAPI Object is expected; operations
 * declare responses; parameters have schema or content (not both); a schema an
 * example cannot be checked against. Warnings: examples and defaults that do
 * not match their schemas (checked with the validator), an empty info.version,
 * nullable without type or with an enum that lacks null, header parameters
 * OpenAPI says to ignore.
 *
 * Version detection: a schema keyword of the other OpenAPI version is a
 * warning, since that version's validator ignores it. In a 3.0 document the
 * JSON Schema 2020-12 keywords (const, prefixItems, $defs, if/then/else, type
 * arrays, numeric exclusiveMinimum...); in a 3.1 document nullable, boolean
 * exclusiveMinimum/exclusiveMaximum, and example (deprecated, still
 * documentation: examples is an array there, each item checked like an
 * example). A 3.1 document needs no paths (webhooks or components will do), and
 * its operations need not declare responses.
 */
#include "lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_map.h"
#include "parser/openapi.h"
#include "parser/pointer.h"
#include "validator/validate.h"

struct lint {
    act_lint_cb cb; /* where findings go */
    void *arg;      /* cb's argument */
    struct act_spec *spec;
    struct act_validator *v; /* checks examples against their schemas */
    int errors;              /* findings of severity error */
    int warnings;            /* findings of severity warning */
};

/* Hand one finding at the node with pointer ptr in doc to the callback. */
static void report(struct lint *l, const struct act_doc *doc, const char *ptr, int is_error,
                   const char *fmt, ...) ACT_PRINTF(5, 6);

static void report(struct lint *l, const struct act_doc *doc, const char *ptr, int is_error,
                   const char *fmt, ...)
{
    struct act_lint_finding f = {is_error, doc, ptr, 0, 0, NULL};
    char small[512];
    char *big = NULL;
    va_list ap;
    struct act_buf shown; /* a Swagger 2.0 spec's findings name the 2.0 node */
    act_buf_init(&shown);
    if (ptr && doc->srcmap && act_doc_source_pointer(doc, ptr, &shown) == ACT_OK)
        f.pointer = shown.data;
    if (ptr && !act_doc_locate(doc, ptr, &f.line, &f.col))
        f.line = f.col = 0;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    f.message = small;
    if (n >= (int)sizeof(small) && (big = act_malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        f.message = big;
    }
    l->cb(l->arg, &f);
    act_free(big);
    act_buf_release(&shown);
    if (is_error)
        l->errors++;
    else
        l->warnings++;
}

static void check_top(struct lint *l)
{
    const struct act_doc *doc = l->spec->doc;
    const cJSON *root = doc->root;
    if (!cJSON_GetObjectItemCaseSensitive(root, "openapi"))
        report(l, doc, "", 1, "missing \"openapi\" (the version, e.g. \"3.0.3\")");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(root, "info");
    if (!cJSON_IsObject(info)) {
        report(l, doc, "", 1, "missing \"info\" object");
    } else {
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(info, "title")))
            report(l, doc, "/info", 1, "missing \"info.title\"");
        const cJSON *version = cJSON_GetObjectItemCaseSensitive(info, "version");
        if (!cJSON_IsString(version))
            report(l, doc, "/info", 1, "missing \"info.version\"");
        else if (!version->valuestring[strspn(version->valuestring, " \t")])
            report(l, doc, "/info/version", 0,
                   "\"info.version\" is empty: say which version of the API this describes");
        const cJSON *lic = cJSON_GetObjectItemCaseSensitive(info, "license");
        if (l->spec->oas31 && cJSON_GetObjectItemCaseSensitive(lic, "identifier") &&
            cJSON_GetObjectItemCaseSensitive(lic, "url"))
            report(l, doc, "/info/license", 0,
                   "\"license\" has both \"identifier\" and \"url\": OpenAPI 3.1 allows one "
                   "of them");
    }
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(root, "paths");
    if (!paths && l->spec->oas31) {
        if (!cJSON_GetObjectItemCaseSensitive(root, "webhooks") &&
            !cJSON_GetObjectItemCaseSensitive(root, "components"))
            report(l, doc, "", 1,
                   "an OpenAPI 3.1 document needs \"paths\", \"webhooks\" or \"components\"");
        return;
    }
    if (!paths) {
        report(l, doc, "", 1, "missing \"paths\" object");
        return;
    }
    if (!cJSON_IsObject(paths)) {
        report(l, doc, "/paths", 1, "\"paths\" must be an object");
        return;
    }
    struct act_buf ptr;
    act_buf_init(&ptr);
    for (const cJSON *p = paths->child; p; p = p->next) {
        if (p->string[0] == '/')
            continue;
        act_buf_reset(&ptr);
        if (act_buf_adds(&ptr, "/paths") || act_pointer_append(&ptr, p->string))
            break;
        report(l, doc, ptr.data, 1, "path \"%s\" must start with \"/\"", p->string);
    }
    act_buf_release(&ptr);
}

/* Operations with an operationId, indexed by id (act_map), so that the check is
 * linear in the number of operations. */
static void check_duplicate_ids(struct lint *l)
{
    const struct act_spec *s = l->spec;
    struct act_map seen;
    act_map_init(&seen);
    for (size_t i = 0; i < s->n_ops; i++) {
        if (s->ops[i].id_synthesized)
            continue;
        uint32_t h = act_hash_str(s->ops[i].id);
        struct act_map_it it;
        uint32_t j;
        for (j = act_map_first(&it, &seen, h); j != ACT_MAP_NONE; j = act_map_next(&it))
            if (strcmp(s->ops[j].id, s->ops[i].id) == 0)
                break;
        if (j == ACT_MAP_NONE) {
            if (act_map_put(&seen, h, (uint32_t)i)) {
                report(l, s->doc, NULL, 1, "out of memory checking operationIds");
                break;
            }
            continue;
        }
        /* j: the first operation with this id */
        char where[1200];
        int line = 0, col = 0;
        act_doc_locate(s->doc, s->ops[j].pointer, &line, &col);
        snprintf(where, sizeof(where), "%s:%d", s->doc->path, line);
        report(l, s->ops[i].path_doc, s->ops[i].pointer, 1,
               "duplicate operationId \"%s\" (first used by %s %s at %s)", s->ops[i].id,
               s->ops[j].method, s->ops[j].path, where);
    }
    act_map_release(&seen);
}

/* Report a finding at a parameter; its pointer is searched for only now. */
static void report_param_at(struct lint *l, const struct act_param *p, int is_error,
                            const char *fmt, ...) ACT_PRINTF(4, 5);

static void report_param_at(struct lint *l, const struct act_param *p, int is_error,
                            const char *fmt, ...)
{
    struct act_buf ptr, msg;
    va_list ap;
    act_buf_init(&ptr);
    act_buf_init(&msg);
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && act_buf_grow(&msg, (size_t)n + 1) == ACT_OK) {
        va_start(ap, fmt);
        vsnprintf(msg.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (act_pointer_of(p->node.doc->root, p->node.node, &ptr))
        act_buf_reset(&ptr);
    report(l, p->node.doc, ptr.len ? ptr.data : NULL, is_error, "%s",
           msg.data ? msg.data : "out of memory");
    act_buf_release(&ptr);
    act_buf_release(&msg);
}

#define report_param(l, p, ...) report_param_at(l, p, 1, __VA_ARGS__)

static void check_params(struct lint *l, const struct act_op *op)
{
    struct act_param *params;
    size_t n;
    struct act_error err;
    act_error_init(&err);
    if (act_spec_op_params_all(l->spec, op, ACT_PARAMS_IGNORED, &params, &n, &err)) {
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, buf, sizeof(buf));
        /* The error names its own file and place. */
        struct act_lint_finding f = {1, NULL, NULL, 0, 0, buf};
        l->cb(l->arg, &f);
        l->errors++;
        return;
    }
    /* Every {name} in the template needs a required path parameter. */
    for (const char *s = strchr(op->path, '{'); s; s = strchr(s + 1, '{')) {
        const char *e = strchr(s, '}');
        if (!e)
            break;
        size_t len = (size_t)(e - s - 1);
        size_t k = act_path_param_index(params, n, s + 1, len);
        if (k == n)
            report(l, op->path_doc, op->pointer, 1,
                   "path template parameter {%.*s} of %s %s has no \"in: path\" parameter",
                   (int)len, s + 1, op->method, op->path);
        else if (!params[k].required)
            report_param(l, &params[k], "path parameter \"%s\" must be \"required: true\"",
                         params[k].name);
    }
    for (size_t k = 0; k < n; k++) {
        const cJSON *pn = params[k].node.node;
        if (params[k].ignored)
            report_param_at(l, &params[k], 0,
                            "header parameter \"%s\" is ignored: OpenAPI says header parameters "
                            "named Accept, Content-Type or Authorization SHALL be ignored (the "
                            "media types and security of the operation say those)",
                            params[k].name);
        if (strcmp(params[k].in, "path") == 0) {
            char needle[512];
            snprintf(needle, sizeof(needle), "{%s}", params[k].name);
            if (!strstr(op->path, needle))
                report_param(l, &params[k],
                             "path parameter \"%s\" does not appear in the path template %s",
                             params[k].name, op->path);
        } else if (strcmp(params[k].in, "query") && strcmp(params[k].in, "header") &&
                   strcmp(params[k].in, "cookie")) {
            report_param(
                l, &params[k],
                "parameter \"%s\" has unknown \"in\": \"%s\" (path, query, header, cookie)",
                params[k].name, params[k].in);
        }
        int has_schema = cJSON_GetObjectItemCaseSensitive(pn, "schema") != NULL;
        int has_content = cJSON_GetObjectItemCaseSensitive(pn, "content") != NULL;
        if (!has_schema && !has_content)
            report_param(l, &params[k], "parameter \"%s\" has neither \"schema\" nor \"content\"",
                         params[k].name);
        else if (has_schema && has_content)
            report_param(l, &params[k], "parameter \"%s\" has both \"schema\" and \"content\"",
                         params[k].name);
    }
    act_free(params);
}

static void check_ops(struct lint *l)
{
    for (size_t i = 0; i < l->spec->n_ops; i++) {
        const struct act_op *op = &l->spec->ops[i];
        if ((!cJSON_IsObject(op->responses) || !op->responses->child) && !l->spec->oas31)
            report(l, op->path_doc, op->pointer, 1, "%s %s declares no responses", op->method,
                   op->path);
        check_params(l, op);
    }
}

#define LINT_EXAMPLE_ERRORS 5 /* schema errors shown per example that does not match */

static int has_schema_keyword(const cJSON *node)
{
    static const char *const kw[] = {"type",  "properties", "items",  "allOf", "oneOf",
                                     "anyOf", "enum",       "format", "$ref"};
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (cJSON_GetObjectItemCaseSensitive(node, kw[i]))
            return 1;
    return 0;
}

/* Warn when example (at pointer ptr) does not match schema: this is a
 * warning, never an error, since examples are documentation. */
static void check_value(struct lint *l, const char *what, const struct act_doc *doc,
                        const cJSON *schema, const char *schema_ptr, const cJSON *example,
                        const struct act_doc *at, const char *ptr)
{
    struct act_errlist errs;
    struct act_error err;
    enum act_direction dir = strstr(ptr, "/requestBody/") || strstr(ptr, "/parameters/")
                                 ? ACT_DIR_REQUEST
                                 : ACT_DIR_RESPONSE;
    act_errlist_init(&errs, LINT_EXAMPLE_ERRORS);
    act_error_init(&err);
    struct act_buf loc;
    act_buf_init(&loc);
    enum act_status st = act_buf_addc(&loc, '#') || act_buf_adds(&loc, schema_ptr)
                             ? ACT_ERR_NOMEM
                             : act_validate_at(l->v, (struct act_node){doc, schema}, loc.data, NULL,
                                               example, dir, &errs, &err);
    act_buf_release(&loc);
    if (st) {
        /* An unusable schema (bad pattern, broken $ref) is reported where it stands. */
        if (err.status != ACT_ERR_REF)
            report(l, at, ptr, 1, "cannot check this %s: %s", what, err.msg);
        act_errlist_release(&errs);
        return;
    }
    struct act_buf line;
    act_buf_init(&line);
    for (size_t i = 0; i < errs.n; i++) {
        act_buf_reset(&line);
        act_verr_format(&errs.v[i], &line);
        report(l, at, ptr, 0, "%s does not match its schema: %s", what, line.data);
    }
    if (errs.dropped)
        report(l, at, ptr, 0, "%s does not match its schema: ... and %zu more", what, errs.dropped);
    act_buf_release(&line);
    act_errlist_release(&errs);
}

#define check_example(l, ...) check_value(l, "example", __VA_ARGS__)

/* The examples of a media type, parameter or header object (schema + example/examples). */
static void check_examples_of(struct lint *l, const struct act_doc *doc, const cJSON *node,
                              struct act_buf *ptr)
{
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(node, "schema");
    const cJSON *example = cJSON_GetObjectItemCaseSensitive(node, "example");
    const cJSON *examples = cJSON_GetObjectItemCaseSensitive(node, "examples");
    size_t mark = ptr->len;
    struct act_buf sptr;
    act_buf_init(&sptr);
    if (act_buf_adds(&sptr, ptr->data) || act_pointer_append(&sptr, "schema")) {
        act_buf_release(&sptr);
        return;
    }
    if (example) {
        if (act_pointer_append(ptr, "example") == ACT_OK)
            check_example(l, doc, schema, sptr.data, example, doc, ptr->data);
        ptr->len = mark;
        ptr->data[mark] = '\0';
    }
    for (const cJSON *e = cJSON_IsObject(examples) ? examples->child : NULL; e; e = e->next) {
        struct act_node ex;
        if (act_ref_deref(l->spec->docs, (struct act_node){doc, e}, &ex, NULL))
            continue; /* reported as an unresolvable $ref */
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(ex.node, "value");
        if (!value)
            continue;
        /* An example given by $ref is reported where its value stands. */
        const struct act_doc *at = doc;
        struct act_buf *where = ptr;
        struct act_buf target;
        act_buf_init(&target);
        if (ex.node != e) {
            /* Reached through $ref: name the value where it stands. A single local
             * hop gives its pointer directly; anything else is searched for. */
            const char *r = act_ref_of(e);
            at = ex.doc;
            where = &target;
            if (!(at == doc && r[0] == '#' &&
                  act_pointer_from_fragment(r, strlen(r), &target) == ACT_OK &&
                  act_pointer_get(doc->root, target.data) == ex.node &&
                  act_pointer_append(&target, "value") == ACT_OK) &&
                act_pointer_of(ex.doc->root, value, &target))
                act_buf_reset(&target);
        } else if (act_pointer_append(ptr, "examples") || act_pointer_append(ptr, e->string) ||
                   act_pointer_append(ptr, "value")) {
            act_buf_reset(ptr);
        }
        check_example(l, doc, schema, sptr.data, value, at, where->data);
        act_buf_release(&target);
        ptr->len = mark;
        ptr->data[mark] = '\0';
    }
    act_buf_release(&sptr);
}

/* What a $ref must lead to where it stands: the kind of Object expected there. */
static const char K_SCHEMA[] = "Schema"; /* compared by address */

static int is_one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

/* The kind of Object expected at member ck (NULL for an array element) of node, which
 * is the member key of its parent and is expected to be a kind (or NULL: unknown). */
static const char *expect_of(const cJSON *node, const char *key, const char *kind,
                             int map_of_schemas, const char *ck)
{
    static const char *const combos[] = {"allOf", "oneOf", "anyOf", "prefixItems", NULL};
    static const char *const subs[] = {"schema",
                                       "items",
                                       "additionalProperties",
                                       "not",
                                       "if",
                                       "then",
                                       "else",
                                       "contains",
                                       "propertyNames",
                                       "unevaluatedItems",
                                       "unevaluatedProperties",
                                       NULL};
    if (map_of_schemas)
        return K_SCHEMA; /* properties, components/schemas */
    if (cJSON_IsArray(node)) {
        if (is_one_of(key, combos))
            return K_SCHEMA;
        if (key && strcmp(key, "parameters") == 0 && kind != K_SCHEMA)
            return "Parameter";
        return NULL;
    }
    if (is_one_of(ck, subs))
        return K_SCHEMA;
    if (kind == K_SCHEMA || !key)
        return NULL;
    if (ck && strcmp(ck, "requestBody") == 0)
        return "Request Body";
    /* The maps whose values are Objects of one kind. */
    static const char *const maps[][2] = {
        {"responses", "Response"},
        {"parameters", "Parameter"},
        {"requestBodies", "Request Body"},
        {"headers", "Header"},
        {"paths", "Path Item"},
        {"securitySchemes", "Security Scheme"},
    };
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        if (strcmp(key, maps[i][0]) == 0)
            return maps[i][1];
    return NULL;
}

/* A $ref at ptr: it resolves, and to an object where a kind of Object is expected. */
static void check_ref(struct lint *l, const struct act_doc *doc, const cJSON *node, const char *ptr,
                      const char *kind)
{
    struct act_node target;
    struct act_error err;
    act_error_init(&err);
    if (act_ref_deref(l->spec->docs, (struct act_node){doc, node}, &target, &err))
        report(l, doc, ptr, 1, "%s%s%s", err.msg, err.context[0] ? "; " : "", err.context);
    else if (kind && !cJSON_IsObject(target.node)) {
        char echo[ACT_ECHO_SIZE];
        const char *ref = act_ref_of(node);
        report(l, doc, ptr, 1, "$ref \"%s\" leads to %s where %s %s Object is expected",
               act_echo(echo, sizeof(echo), ref, strlen(ref)), act_json_kind(target.node),
               strchr("AEIOU", kind[0]) ? "an" : "a", kind);
    }
}

/* The version the document declares is before 3.0.3 (3.0.0 to 3.0.2)? */
static int before_303(const struct lint *l)
{
    const char *v = l->spec->openapi;
    return v && strncmp(v, "3.0.", 4) == 0 && (v[4] == '0' || v[4] == '1' || v[4] == '2') &&
           (v[5] == '\0' || v[5] == '-');
}

/* Schema checks that need no validation: nullable without type, a nullable enum
 * without null. */
static void check_nullable(struct lint *l, const struct act_doc *doc, const cJSON *s,
                           const char *ptr)
{
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "nullable")))
        return;
    if (!cJSON_GetObjectItemCaseSensitive(s, "type"))
        report(l, doc, ptr, 0,
               "\"nullable\" without \"type\": since OpenAPI 3.0.3 it only adds null to the "
               "\"type\" of the same schema, so here it has no effect%s",
               before_303(l) ? " (this document declares an earlier 3.0 version, whose text "
                               "allows null for the whole schema: add \"type\" to say which)"
                             : "");
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
    if (cJSON_IsArray(en)) {
        const cJSON *e;
        for (e = en->child; e && !cJSON_IsNull(e); e = e->next)
            ;
        if (!e)
            report(l, doc, ptr, 0, "\"nullable\" with an \"enum\" that lacks null: %s",
                   before_303(l)
                       ? "this document declares an earlier 3.0 version, whose text allows null "
                         "here, but OpenAPI 3.0.3 rejects it (null is not one of the enum "
                         "values); add null to the enum to allow it under both"
                       : "null is not one of the enum values, so it is rejected (OpenAPI "
                         "3.0.3); add null to the enum to allow it");
    }
}

/* JSON Schema 2020-12 keywords that OpenAPI 3.0's Schema Object does not have. */
static const char *const kw_2020[] = {"const",
                                      "prefixItems",
                                      "$defs",
                                      "if",
                                      "then",
                                      "else",
                                      "dependentRequired",
                                      "dependentSchemas",
                                      "contains",
                                      "minContains",
                                      "maxContains",
                                      "propertyNames",
                                      "patternProperties",
                                      "unevaluatedProperties",
                                      "unevaluatedItems",
                                      "$anchor",
                                      "$dynamicRef",
                                      "$dynamicAnchor",
                                      "$id",
                                      "$schema",
                                      "contentEncoding",
                                      "contentMediaType",
                                      "contentSchema",
                                      NULL};

/* A schema keyword of the other OpenAPI version than the document's: a warning each. */
static void check_version_keywords(struct lint *l, const struct act_doc *doc, const cJSON *s,
                                   struct act_buf *ptr, const char *kind)
{
    size_t mark = ptr->len;
    for (const cJSON *k = s->child; k; k = k->next) {
        const char *w = NULL;
        const char *name = k->string;
        if (!l->spec->oas31) {
            if (is_one_of(name, kw_2020))
                w = "is not an OpenAPI 3.0 keyword; it is ignored (it is JSON Schema 2020-12, "
                    "as in OpenAPI 3.1)";
            else if (strcmp(name, "type") == 0 && cJSON_IsArray(k))
                w = "as an array is OpenAPI 3.1 (JSON Schema 2020-12); OpenAPI 3.0 wants one type "
                    "(and \"nullable: true\" for null)";
            else if ((strcmp(name, "exclusiveMinimum") == 0 ||
                      strcmp(name, "exclusiveMaximum") == 0) &&
                     cJSON_IsNumber(k))
                w = "as a number is OpenAPI 3.1 (JSON Schema 2020-12); OpenAPI 3.0 wants a "
                    "boolean beside minimum/maximum";
            else if (strcmp(name, "examples") == 0 && kind == K_SCHEMA && cJSON_IsArray(k))
                w = "is not an OpenAPI 3.0 Schema keyword (OpenAPI 3.1 has it); it is ignored: "
                    "use \"example\"";
        } else {
            if (strcmp(name, "nullable") == 0)
                w = "is not an OpenAPI 3.1 keyword; it is ignored: write null into the type, "
                    "type: [T, \"null\"]";
            else if ((strcmp(name, "exclusiveMinimum") == 0 ||
                      strcmp(name, "exclusiveMaximum") == 0) &&
                     cJSON_IsBool(k))
                w = "as a boolean is the OpenAPI 3.0 form; in 3.1 (JSON Schema 2020-12) it is the "
                    "bound itself, a number, in place of minimum/maximum";
            else if (strcmp(name, "example") == 0 && kind == K_SCHEMA)
                w = "is deprecated in an OpenAPI 3.1 schema (still documentation, and checked); "
                    "use \"examples\", an array";
            else if (strcmp(name, "examples") == 0 && kind == K_SCHEMA && !cJSON_IsArray(k))
                w = "in an OpenAPI 3.1 schema is an array of values";
        }
        if (!w || act_pointer_append(ptr, name))
            continue;
        report(l, doc, ptr->data, 0, "`%s` %s", name, w);
        ptr->len = mark;
        ptr->data[mark] = '\0';
    }
}

/* A 3.1 schema's examples array: each item checked like an example. */
static void check_schema_examples(struct lint *l, const struct act_doc *doc, const cJSON *s,
                                  struct act_buf *ptr)
{
    const cJSON *exs = cJSON_GetObjectItemCaseSensitive(s, "examples");
    size_t mark = ptr->len, i = 0;
    char *sp = act_strdup(ptr->data);
    for (const cJSON *e = cJSON_IsArray(exs) ? exs->child : NULL; sp && e; e = e->next, i++) {
        if (act_pointer_append(ptr, "examples") == ACT_OK &&
            act_pointer_append_index(ptr, i) == ACT_OK)
            check_value(l, "example", doc, s, sp, e, doc, ptr->data);
        ptr->len = mark;
        ptr->data[mark] = '\0';
    }
    act_free(sp);
}

/*
 * Walk every node of doc: check each $ref, each example and default against its
 * schema, and what a schema says of null. ptr holds the current pointer; key is
 * node's member name in its parent (NULL for an array element or the root), kind
 * the Object expected at node (NULL: not known); map_of_schemas says node is a map
 * whose values are schemas (properties, components/schemas), not a schema itself.
 */
static void walk(struct lint *l, const struct act_doc *doc, const cJSON *node, struct act_buf *ptr,
                 int map_of_schemas, const char *key, const char *kind)
{
    if (act_ref_of(node)) {
        check_ref(l, doc, node, ptr->data, kind);
        return; /* the target is checked where it stands */
    }
    int obj = cJSON_IsObject(node);
    int schema_like = obj && !map_of_schemas && (kind == K_SCHEMA || has_schema_keyword(node));
    if (obj && !map_of_schemas) {
        if (cJSON_GetObjectItemCaseSensitive(node, "schema") &&
            (cJSON_GetObjectItemCaseSensitive(node, "example") ||
             cJSON_GetObjectItemCaseSensitive(node, "examples")))
            check_examples_of(l, doc, node, ptr);
        const char *const vals[] = {"example", "default"};
        for (size_t k = 0; k < 2; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(node, vals[k]);
            /* a media type's example was checked with its schema just above */
            if (!v || !schema_like || (k == 0 && cJSON_GetObjectItemCaseSensitive(node, "schema")))
                continue;
            size_t mark = ptr->len;
            char *sp = act_strdup(ptr->data);
            if (sp && act_pointer_append(ptr, vals[k]) == ACT_OK)
                check_value(l, vals[k], doc, node, sp, v, doc, ptr->data);
            act_free(sp);
            ptr->len = mark;
            ptr->data[mark] = '\0';
        }
        if (schema_like && !l->spec->oas31)
            check_nullable(l, doc, node, ptr->data);
        if (schema_like && l->spec->oas31 && kind == K_SCHEMA)
            check_schema_examples(l, doc, node, ptr);
        if (schema_like)
            check_version_keywords(l, doc, node, ptr, kind);
    }
    size_t i = 0;
    for (const cJSON *c = node->child; c; c = c->next, i++) {
        size_t mark = ptr->len;
        enum act_status st =
            obj ? act_pointer_append(ptr, c->string) : act_pointer_append_index(ptr, i);
        if (st)
            return;
        const char *ck = obj ? c->string : NULL;
        if (obj && !map_of_schemas && strcmp(ck, "examples") == 0 && cJSON_IsObject(c)) {
            /* A map of Example Objects: their values are data, their $refs are not. */
            for (const cJSON *e = c->child; e; e = e->next) {
                size_t m2 = ptr->len;
                if (act_ref_of(e) && act_pointer_append(ptr, e->string) == ACT_OK)
                    check_ref(l, doc, e, ptr->data, "Example");
                ptr->len = m2;
                ptr->data[m2] = '\0';
            }
        } else if (!(obj && !map_of_schemas &&
                     (strcmp(ck, "example") == 0 || strcmp(ck, "examples") == 0 ||
                      strcmp(ck, "default") == 0 || strcmp(ck, "enum") == 0 ||
                      strcmp(ck, "const") == 0))) {
            /* Examples, defaults and enums are data, not spec: nothing inside is checked. */
            walk(l, doc, c, ptr,
                 obj && !map_of_schemas &&
                     (strcmp(ck, "properties") == 0 || strcmp(ck, "schemas") == 0 ||
                      (kind == K_SCHEMA &&
                       (strcmp(ck, "$defs") == 0 || strcmp(ck, "dependentSchemas") == 0 ||
                        strcmp(ck, "patternProperties") == 0))),
                 ck, expect_of(node, key, kind, map_of_schemas, ck));
        }
        ptr->len = mark;
        ptr->data[mark] = '\0';
    }
}

static void check_refs(struct lint *l)
{
    struct act_buf ptr;
    act_buf_init(&ptr);
    /* Following refs may load more files: walk each once, in load order. */
    for (size_t i = 0; i < act_docset_count(l->spec->docs); i++) {
        const struct act_doc *doc = act_docset_get(l->spec->docs, i);
        act_buf_reset(&ptr);
        walk(l, doc, doc->root, &ptr, 0, NULL, NULL);
    }
    act_buf_release(&ptr);
}

enum act_status act_lint(struct act_spec *spec, act_lint_cb cb, void *arg,
                         struct act_lint_counts *counts)
{
    struct lint l = {cb, arg, spec, NULL, 0, 0};
    counts->errors = counts->warnings = 0;
    if (act_validator_new(spec->docs, &l.v))
        return ACT_ERR_NOMEM;
    check_top(&l);
    check_duplicate_ids(&l);
    check_ops(&l);
    check_refs(&l);
    act_validator_free(l.v);
    counts->errors = l.errors;
    counts->warnings = l.warnings;
    return ACT_OK;
}
