/*
 * cmd_convert.c - `actions convert [SPEC] --to 3.0|3.1 [-o OUT] [--format json|yaml]
 * [--report FILE]`: the spec as one document of another OpenAPI version
 * (parser/convert.h), written as `actions bundle` writes; the loss report on stderr,
 * one line per loss, or as JSON into FILE. Exit 0 when nothing was lost, 1 when
 * something was, 2 for invalid input or usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/convert.h"
#include "parser/library.h"

static const char usage[] =
    "usage: actions convert [SPEC] --to 3.0|3.1 [-o OUT] [--format json|yaml]\n"
    "                       [--report FILE]\n"
    "\n"
    "Write the spec as one document of another OpenAPI version: Swagger 2.0 or\n"
    "OpenAPI 3.1 to 3.0.3 (with a report of every construct 3.0 cannot express:\n"
    "its JSON Pointer in the source, what was done, what is lost), or 3.0 to 3.1.0\n"
    "(exact: nothing is lost). A spec split over files is bundled first, so the\n"
    "output is one file; for such a spec the pointers are into the bundle.\n"
    "\n"
    "  --to VERSION        3.0 (OpenAPI 3.0.3) or 3.1 (OpenAPI 3.1.0)\n"
    "  -o, --output OUT    write to OUT (atomically) instead of stdout; never a file of\n"
    "                      the spec itself\n"
    "  -f, --format FMT    json (default; yaml when OUT ends in .yaml or .yml) or yaml\n"
    "  --report FILE       the loss report as JSON into FILE instead of stderr\n"
    "\n"
    "Exit codes: 0 converted and nothing lost, 1 converted with losses (the report\n"
    "is not empty), 2 usage error or invalid input (a file that does not load, a\n"
    "document of no known version, a $ref that does not resolve).\n";

CLI_OPTIONS(cli_convert_opts, {"to", required_argument, NULL, 't'},
            {"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
            {"report", required_argument, NULL, 'r'});

static const char *version_name(enum act_oas_version v)
{
    return v == ACT_OAS_20 ? "Swagger 2.0" : v == ACT_OAS_30 ? "OpenAPI 3.0" : "OpenAPI 3.1";
}

/* The report: one line per loss on stderr, or a JSON object into path. */
static int report(struct cli_ctx *c, const char *path, const char *spec, enum act_oas_version from,
                  enum act_oas_version to, cJSON *losses)
{
    int n = cJSON_GetArraySize(losses);
    if (!path) {
        for (const cJSON *l = losses->child; l; l = l->next) {
            const char *lost = cJSON_GetObjectItemCaseSensitive(l, "lost")->valuestring;
            fprintf(stderr, "%s: %s%s%s\n",
                    cJSON_GetObjectItemCaseSensitive(l, "pointer")->valuestring,
                    cJSON_GetObjectItemCaseSensitive(l, "done")->valuestring,
                    *lost ? "; lost: " : "", lost);
        }
        if (n)
            fprintf(stderr, "%s: %d construct%s %s cannot express (%s to %s)\n", spec, n,
                    n == 1 ? "" : "s", version_name(to), version_name(from), version_name(to));
        return CLI_EXIT_OK;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "spec", spec) ||
        !cJSON_AddStringToObject(o, "from", version_name(from)) ||
        !cJSON_AddStringToObject(o, "to", version_name(to)) ||
        !cJSON_AddNumberToObject(o, "count", n) ||
        !cJSON_AddItemReferenceToObject(o, "losses", losses)) {
        cJSON_Delete(o);
        return cli_fail(c, "out of memory");
    }
    int rc = cli_write_doc(c, o, path, 0);
    cJSON_Delete(o);
    return rc;
}

int cmd_convert(int argc, char **argv, struct cli_ctx *c)
{
    const char *out_path = NULL, *format = NULL, *to_arg = NULL, *report_path = NULL;
    int opt;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "ho:f:", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        if (opt == 'o')
            out_path = optarg;
        else if (opt == 'f')
            format = optarg;
        else if (opt == 't')
            to_arg = optarg;
        else if (opt == 'r')
            report_path = optarg;
    }
    if (opt == 0)
        return g.rc;
    if (!to_arg)
        return cli_usage_error(c, "convert needs --to 3.0 or --to 3.1");
    static const char *const targets[] = {"3.0", "3.1", NULL};
    int t = cli_choice(to_arg, targets);
    if (t < 0)
        return cli_usage_error(c, "--to must be 3.0 or 3.1, not \"%s\"", to_arg);
    enum act_oas_version to = t == 0 ? ACT_OAS_30 : ACT_OAS_31;
    int yaml;
    int rc = cli_doc_format(c, format, out_path, &yaml);
    if (rc)
        return rc;
    if (report_path && !*report_path)
        return cli_usage_error(c, "--report needs a file name");
    if (report_path && out_path && strcmp(report_path, out_path) == 0)
        return cli_usage_error(c, "-o and --report name the same file \"%s\"", out_path);
    if ((rc = cli_operands(c, argc, argv, 0, 1, "")))
        return rc;
    const char *path;
    int from_project;
    if (cli_spec_path(c, optind < argc ? argv[optind] : NULL, &path, &from_project))
        return CLI_EXIT_USAGE;

    struct act_error err;
    act_error_init(&err);
    struct act_spec *spec = NULL;
    struct act_docset *ds = NULL;
    struct act_doc *root;
    enum act_status st;
    if (strncmp(path, ACT_LIBRARY_PREFIX, strlen(ACT_LIBRARY_PREFIX)) == 0) {
        /* a published release: its bundled spec */
        if ((st = cli_load_spec(c, path, 0, &spec)))
            return cli_exit_code(st);
        root = (struct act_doc *)spec->doc; /* a release: 3.0, never translated in place */
    } else {
        struct act_doc *doc;
        if ((st = act_doc_load(path, ACT_DOC_AUTO, &doc, &err))) {
            cli_error(c, &err);
            return cli_exit_code(st);
        }
        if ((st = act_docset_new(&ds))) {
            act_doc_free(doc);
            return cli_fail(c, "out of memory");
        }
        act_docset_allow_absolute_refs(ds, c->absolute_refs);
        if ((st = act_docset_add_take(ds, doc))) {
            act_docset_free(ds);
            return cli_fail(c, "out of memory");
        }
        root = doc; /* owned by ds now */
    }
    struct act_docset *files = spec ? spec->docs : ds;
    enum act_oas_version from = act_oas_version_of(root->root);
    cJSON *losses = cJSON_CreateArray(), *out = NULL;
    st = losses ? act_convert_spec(files, root, to, &out, losses, &err) : ACT_ERR_NOMEM;
    if (st == ACT_ERR_NOMEM && !err.status)
        act_error_set(&err, st, root->path, 0, 0, "out of memory");
    if (st) {
        cli_error(c, &err);
        rc = cli_exit_code(st);
    } else if (out_path && cli_is_input_file(files, out_path)) {
        rc = cli_fail(c,
                      "refusing to write the conversion over \"%s\", a file of the spec "
                      "itself: choose another -o",
                      out_path);
    } else if (report_path && cli_is_input_file(files, report_path)) {
        rc = cli_fail(c,
                      "refusing to write the report over \"%s\", a file of the spec "
                      "itself: choose another --report",
                      report_path);
    } else if (!(rc = cli_write_doc(c, out, out_path, yaml))) {
        rc = report(c, report_path, root->path, from, to, losses);
        if (!rc && cJSON_GetArraySize(losses) > 0)
            rc = CLI_EXIT_FAILED;
    }
    cJSON_Delete(out);
    cJSON_Delete(losses);
    act_spec_free(spec);
    act_docset_free(ds);
    return rc;
}
