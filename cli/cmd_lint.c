/*
 * cmd_lint.c - `actions lint SPEC`: structural problems, each with
 * FILE:LINE:COL and the JSON Pointer of the node. Exit 2 on any error.
 *
 * Checks: openapi / info.title / info.version / paths present; path keys
 * start with "/"; duplicate operationIds; every {param} of a path template has
 * a required path parameter and every path parameter appears in the template;
 * every $ref in every file reached resolves (cycles of bare refs included);
 * operations declare responses; parameters have schema or content (not both).
 */
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/pointer.h"
#include "validator/validate.h"

static const char usage[] =
    "usage: actions lint [SPEC]\n"
    "\n"
    "Report structural problems of an OpenAPI 3.0 spec with file:line:column and\n"
    "JSON Pointer. Exit 2 when there is any error, 0 otherwise.\n";

static const struct option options[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct lint {
    struct cli_ctx *c;
    struct act_spec *spec;
    struct act_validator *v; /* checks examples against their schemas */
    int errors;              /* findings of severity error */
    int warnings;            /* findings of severity warning */
};

/* Print one finding at the node with pointer ptr in doc. */
static void report(struct lint *l, const struct act_doc *doc, const char *ptr, int is_error,
                   const char *fmt, ...) ACT_PRINTF(5, 6);

static void report(struct lint *l, const struct act_doc *doc, const char *ptr, int is_error,
                   const char *fmt, ...)
{
    int line = 0, col = 0;
    va_list ap;
    if (ptr && !act_doc_locate(doc, ptr, &line, &col))
        line = col = 0;
    if (line)
        printf("%s:%d:%d: ", doc->path, line, col);
    else
        printf("%s: ", doc->path);
    fputs(is_error ? "error: " : "warning: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (ptr)
        printf(" (at %s)", ptr[0] ? ptr : "/");
    putchar('\n');
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
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(info, "version")))
            report(l, doc, "/info", 1, "missing \"info.version\"");
    }
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(root, "paths");
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

/* Operations with an operationId, by id: open addressing over indexes into ops
 * (SIZE_MAX = free), so that the check is linear in the number of operations. */
static void check_duplicate_ids(struct lint *l)
{
    const struct act_spec *s = l->spec;
    size_t slots = 16;
    while (slots < 2 * s->n_ops)
        slots *= 2;
    size_t *seen = act_malloc(slots * sizeof(*seen));
    if (!seen) {
        report(l, s->doc, NULL, 1, "out of memory checking operationIds");
        return;
    }
    for (size_t k = 0; k < slots; k++)
        seen[k] = SIZE_MAX;
    for (size_t i = 0; i < s->n_ops; i++) {
        if (s->ops[i].id_synthesized)
            continue;
        size_t k = act_hash_str(s->ops[i].id) & (slots - 1);
        while (seen[k] != SIZE_MAX && strcmp(s->ops[seen[k]].id, s->ops[i].id) != 0)
            k = (k + 1) & (slots - 1);
        if (seen[k] == SIZE_MAX) {
            seen[k] = i;
            continue;
        }
        size_t j = seen[k]; /* the first operation with this id */
        char where[1200];
        int line = 0, col = 0;
        act_doc_locate(s->doc, s->ops[j].pointer, &line, &col);
        snprintf(where, sizeof(where), "%s:%d", s->doc->path, line);
        report(l, s->ops[i].path_doc, s->ops[i].pointer, 1,
               "duplicate operationId \"%s\" (first used by %s %s at %s)", s->ops[i].id,
               s->ops[j].method, s->ops[j].path, where);
    }
    act_free(seen);
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
    if (n >= 0 && act_buf_grow(&msg, (size_t)n) == ACT_OK) {
        va_start(ap, fmt);
        vsnprintf(msg.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (act_pointer_of(p->node.doc->root, p->node.node, &ptr))
        act_buf_reset(&ptr);
    report(l, p->node.doc, ptr.len ? ptr.data : NULL, is_error, "%s", msg.data);
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
        printf("%s\n", buf);
        l->errors++;
        return;
    }
    /* Every {name} in the template needs a required path parameter. */
    for (const char *s = strchr(op->path, '{'); s; s = strchr(s + 1, '{')) {
        const char *e = strchr(s, '}');
        if (!e)
            break;
        size_t len = (size_t)(e - s - 1);
        size_t k;
        for (k = 0; k < n; k++)
            if (strcmp(params[k].in, "path") == 0 && strlen(params[k].name) == len &&
                strncmp(params[k].name, s + 1, len) == 0)
                break;
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
        if (!cJSON_IsObject(op->responses) || !op->responses->child)
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
static void check_example(struct lint *l, const struct act_doc *doc, const cJSON *schema,
                          const char *schema_ptr, const cJSON *example, const struct act_doc *at,
                          const char *ptr)
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
            report(l, at, ptr, 1, "cannot check this example: %s", err.msg);
        act_errlist_release(&errs);
        return;
    }
    struct act_buf line;
    act_buf_init(&line);
    for (size_t i = 0; i < errs.n; i++) {
        act_buf_reset(&line);
        act_verr_format(&errs.v[i], &line);
        report(l, at, ptr, 0, "example does not match its schema: %s", line.data);
    }
    if (errs.dropped)
        report(l, at, ptr, 0, "example does not match its schema: ... and %zu more", errs.dropped);
    act_buf_release(&line);
    act_errlist_release(&errs);
}

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

/*
 * Walk every node of doc: check each $ref, and each example against its schema.
 * ptr holds the current pointer; map_of_schemas says node is a map whose values
 * are schemas (properties, components/schemas), not a schema itself.
 */
static void walk(struct lint *l, const struct act_doc *doc, const cJSON *node, struct act_buf *ptr,
                 int map_of_schemas)
{
    const char *ref = act_ref_of(node);
    if (ref) {
        struct act_node target;
        struct act_error err;
        act_error_init(&err);
        if (act_ref_deref(l->spec->docs, (struct act_node){doc, node}, &target, &err))
            report(l, doc, ptr->data, 1, "%s%s%s", err.msg, err.context[0] ? "; " : "",
                   err.context);
        return; /* the target is checked where it stands */
    }
    if (cJSON_IsObject(node) && !map_of_schemas) {
        if (cJSON_GetObjectItemCaseSensitive(node, "schema") &&
            (cJSON_GetObjectItemCaseSensitive(node, "example") ||
             cJSON_GetObjectItemCaseSensitive(node, "examples")))
            check_examples_of(l, doc, node, ptr);
        else if (cJSON_GetObjectItemCaseSensitive(node, "example") && has_schema_keyword(node)) {
            size_t mark = ptr->len;
            char *sp = act_strdup(ptr->data);
            if (sp && act_pointer_append(ptr, "example") == ACT_OK)
                check_example(l, doc, node, sp, cJSON_GetObjectItemCaseSensitive(node, "example"),
                              doc, ptr->data);
            act_free(sp);
            ptr->len = mark;
            ptr->data[mark] = '\0';
        }
    }
    size_t i = 0;
    for (const cJSON *c = node->child; c; c = c->next, i++) {
        size_t mark = ptr->len;
        int obj = cJSON_IsObject(node);
        enum act_status st =
            obj ? act_pointer_append(ptr, c->string) : act_pointer_append_index(ptr, i);
        if (st)
            return;
        /* Examples are data, not spec: nothing inside them is checked. */
        if (!(obj && !map_of_schemas &&
              (strcmp(c->string, "example") == 0 || strcmp(c->string, "examples") == 0 ||
               strcmp(c->string, "default") == 0 || strcmp(c->string, "enum") == 0)))
            walk(l, doc, c, ptr,
                 obj && !map_of_schemas &&
                     (strcmp(c->string, "properties") == 0 || strcmp(c->string, "schemas") == 0));
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
        walk(l, doc, doc->root, &ptr, 0);
    }
    act_buf_release(&ptr);
}

int cmd_lint(int argc, char **argv, struct cli_ctx *c)
{
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (opt == 'h')
            return cli_usage(c, usage, 0);
        return cli_usage(c, usage, 1);
    }
    if (argc - optind > 1)
        return cli_usage(c, usage, 1);
    struct lint l = {c, NULL, NULL, 0, 0};
    enum act_status st =
        cli_load_spec(c, optind < argc ? argv[optind] : NULL, ACT_SPEC_LENIENT, &l.spec);
    if (st)
        return cli_exit_code(st);
    st = act_validator_new(l.spec->docs, &l.v);
    if (st) {
        act_spec_free(l.spec);
        return cli_fail(c, "out of memory");
    }
    check_top(&l);
    check_duplicate_ids(&l);
    check_ops(&l);
    check_refs(&l);
    fflush(stdout); /* the summary comes after the findings, also when both go to one file */
    if (l.errors || l.warnings)
        fprintf(stderr, "%s: %d error%s, %d warning%s\n", l.spec->doc->path, l.errors,
                l.errors == 1 ? "" : "s", l.warnings, l.warnings == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: no problems found (%zu actions)\n", l.spec->doc->path, l.spec->n_ops);
    act_validator_free(l.v);
    act_spec_free(l.spec);
    return l.errors ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}
