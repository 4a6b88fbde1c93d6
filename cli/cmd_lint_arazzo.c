/*
 * cmd_lint_arazzo.c - `actions lint FILE` on an Arazzo document (one with an
 * `arazzo:` key): the loader's problems and the lint rules of
 * process/arazzo_lint.h, each as FILE:LINE:COL: error|warning: MESSAGE (at
 * POINTER), in the layout of the OpenAPI lint. Exit 2 on any error.
 */
#include <string.h>

#include "cli.h"
#include "process/arazzo_lint.h"

/* Print the problems of a and of the arazzo documents it loaded; counts into *e, *w. */
static void print_diags(const struct act_arazzo *a, int *e, int *w)
{
    for (size_t i = 0; i < a->diags.n; i++) {
        const struct act_arazzo_diag *d = &a->diags.v[i];
        if (d->line)
            printf("%s:%d:%d: ", d->file, d->line, d->col);
        else
            printf("%s: ", d->file);
        printf("%s: %s (at %s)\n", d->is_error ? "error" : "warning", d->msg,
               d->pointer[0] ? d->pointer : "/");
        d->is_error ? (*e)++ : (*w)++;
    }
    for (size_t i = 0; i < a->n_sources; i++)
        if (a->sources[i].arazzo)
            print_diags(a->sources[i].arazzo, e, w);
}

int cli_lint_arazzo(struct cli_ctx *c, const char *path, int *handled)
{
    struct act_doc *doc = NULL;
    *handled = 0;
    if (act_doc_load(path, ACT_DOC_AUTO, &doc, NULL))
        return CLI_EXIT_OK; /* not ours: the OpenAPI lint reports what is wrong */
    int is_arazzo = act_arazzo_detect(doc->root);
    act_doc_free(doc);
    if (!is_arazzo)
        return CLI_EXIT_OK;
    *handled = 1;
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_arazzo_load(path, ACT_ARAZZO_LENIENT, &a, &err);
    if (st) {
        cli_error(c, &err);
        return cli_exit_code(st);
    }
    if (act_arazzo_lint(a)) {
        act_arazzo_free(a);
        return cli_fail(c, "out of memory");
    }
    int errors = 0, warnings = 0;
    print_diags(a, &errors, &warnings);
    fflush(stdout);
    if (errors || warnings)
        fprintf(stderr, "%s: %d error%s, %d warning%s\n", a->doc->path, errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: no problems found (%zu workflow%s)\n", a->doc->path, a->n_workflows,
                a->n_workflows == 1 ? "" : "s");
    act_arazzo_free(a);
    return errors ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}
