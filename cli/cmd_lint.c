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
    int errors;   /* findings of severity error */
    int warnings; /* findings of severity warning */
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

static void check_duplicate_ids(struct lint *l)
{
    const struct act_spec *s = l->spec;
    for (size_t i = 0; i < s->n_ops; i++) {
        if (s->ops[i].id_synthesized)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (!s->ops[j].id_synthesized && strcmp(s->ops[i].id, s->ops[j].id) == 0) {
                char where[1200];
                int line = 0, col = 0;
                act_doc_locate(s->doc, s->ops[j].pointer, &line, &col);
                snprintf(where, sizeof(where), "%s:%d", s->doc->path, line);
                report(l, s->ops[i].path_doc, s->ops[i].pointer, 1,
                       "duplicate operationId \"%s\" (first used by %s %s at %s)", s->ops[i].id,
                       s->ops[j].method, s->ops[j].path, where);
                break;
            }
        }
    }
}

/* Report a finding at a parameter; its pointer is searched for only now. */
static void report_param(struct lint *l, const struct act_param *p, const char *fmt, ...)
    ACT_PRINTF(3, 4);

static void report_param(struct lint *l, const struct act_param *p, const char *fmt, ...)
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
    report(l, p->node.doc, ptr.len ? ptr.data : NULL, 1, "%s", msg.data);
    act_buf_release(&ptr);
    act_buf_release(&msg);
}

static void check_params(struct lint *l, const struct act_op *op)
{
    struct act_param *params;
    size_t n;
    struct act_error err;
    act_error_init(&err);
    if (act_spec_op_params(l->spec, op, &params, &n, &err)) {
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
        if (strcmp(params[k].in, "path") == 0) {
            char needle[512];
            snprintf(needle, sizeof(needle), "{%s}", params[k].name);
            if (!strstr(op->path, needle))
                report_param(l, &params[k],
                             "path parameter \"%s\" does not appear in the path template %s",
                             params[k].name, op->path);
        } else if (strcmp(params[k].in, "query") && strcmp(params[k].in, "header") &&
                   strcmp(params[k].in, "cookie")) {
            report_param(l, &params[k],
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

/* Walk every node of doc, checking each $ref; ptr holds the current pointer. */
static void walk_refs(struct lint *l, const struct act_doc *doc, const cJSON *node,
                      struct act_buf *ptr)
{
    const char *ref = act_ref_of(node);
    if (ref) {
        struct act_node target;
        struct act_error err;
        act_error_init(&err);
        if (act_ref_deref(l->spec->docs, (struct act_node){doc, node}, &target, &err)) {
            report(l, doc, ptr->data, 1, "%s%s%s", err.msg, err.context[0] ? "; " : "",
                   err.context);
        }
        return; /* the target is checked where it stands */
    }
    size_t i = 0;
    for (const cJSON *c = node->child; c; c = c->next, i++) {
        size_t mark = ptr->len;
        enum act_status st = cJSON_IsObject(node) ? act_pointer_append(ptr, c->string)
                                                  : act_pointer_append_index(ptr, i);
        if (st)
            return;
        walk_refs(l, doc, c, ptr);
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
        walk_refs(l, doc, doc->root, &ptr);
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
    struct lint l = {c, NULL, 0, 0};
    enum act_status st =
        cli_load_spec(c, optind < argc ? argv[optind] : NULL, ACT_SPEC_LENIENT, &l.spec);
    if (st)
        return cli_exit_code(st);
    check_top(&l);
    check_duplicate_ids(&l);
    check_ops(&l);
    check_refs(&l);
    if (l.errors || l.warnings)
        fprintf(stderr, "%s: %d error%s, %d warning%s\n", l.spec->doc->path, l.errors,
                l.errors == 1 ? "" : "s", l.warnings, l.warnings == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: no problems found (%zu actions)\n", l.spec->doc->path,
                l.spec->n_ops);
    act_spec_free(l.spec);
    return l.errors ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}
