/*
 * cmd_lint.c - `actions lint SPEC`: prints the findings of act_lint
 * (validator/lint.h), each with FILE:LINE:COL and the JSON Pointer of the
 * node, then a summary. Exit 2 on any error.
 * The rules themselves live in validator/lint.c.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "validator/lint.h"

static const char usage[] =
    "usage: actions lint [SPEC]\n"
    "\n"
    "Report structural problems of an OpenAPI 3.0 spec with file:line:column and\n"
    "JSON Pointer. Exit 2 when there is any error, 0 otherwise. An Arazzo 1.0.1\n"
    "document (a file with an `arazzo` key) gets the workflow checks instead.\n";

const struct option *const cli_lint_opts = cli_help_only; /* for completion */

/* Print a finding: FILE:LINE:COL: error: MESSAGE (at POINTER). */
static void print_finding(void *arg, const struct act_lint_finding *f)
{
    (void)arg;
    if (!f->doc) {
        printf("%s\n", f->message);
        return;
    }
    if (f->line)
        printf("%s:%d:%d: ", f->doc->path, f->line, f->col);
    else
        printf("%s: ", f->doc->path);
    printf("%s%s", f->is_error ? "error: " : "warning: ", f->message);
    if (f->pointer)
        printf(" (at %s)", f->pointer[0] ? f->pointer : "/");
    putchar('\n');
}

int cmd_lint(int argc, char **argv, struct cli_ctx *c)
{
    int rc = cli_only_help(c, argc, argv, usage);
    if (rc >= 0)
        return rc;
    if (argc - optind > 1)
        return cli_extra_arg(c, argv[optind + 1]);
    if (optind < argc) {
        int handled;
        rc = cli_lint_arazzo(c, argv[optind], &handled);
        if (handled)
            return rc;
    }
    struct act_spec *spec;
    if ((rc = cli_spec_arg(c, argc, argv, ACT_SPEC_LENIENT, &spec)))
        return rc;
    struct act_lint_counts n;
    enum act_status st = act_lint(spec, print_finding, NULL, &n);
    if (st) {
        act_spec_free(spec);
        return cli_fail(c, "out of memory");
    }
    fflush(stdout); /* the summary comes after the findings, also when both go to one file */
    if (n.errors || n.warnings)
        fprintf(stderr, "%s: %d error%s, %d warning%s\n", spec->doc->path, n.errors,
                n.errors == 1 ? "" : "s", n.warnings, n.warnings == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: no problems found (%zu actions)\n", spec->doc->path, spec->n_ops);
    int errors = n.errors;
    act_spec_free(spec);
    return errors ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}
