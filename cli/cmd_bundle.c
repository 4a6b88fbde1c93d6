/*
 * cmd_bundle.c - `actions bundle [SPEC] [-o OUT] [--format json|yaml]`: one
 * self-contained document (parser/bundle.h) on stdout or into OUT, written
 * atomically; never over a file of the spec itself. Also the writing of a whole
 * document that `actions convert` shares (cli_print_yaml, cli_write_doc, ...).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/bundle.h"
#include "parser/jcs.h"
#include "parser/library.h"

static const char usage[] =
    "usage: actions bundle [SPEC] [-o OUT] [--format json|yaml]\n"
    "\n"
    "Write the spec as one self-contained document: every $ref into another file\n"
    "becomes a $ref into the document's own components (a new entry with a stable,\n"
    "collision-free name), a path item in another file is copied in place, and\n"
    "nothing else changes. References inside the root file stay as written, so\n"
    "recursive schemas stay finite.\n"
    "\n"
    "  -o, --output OUT   write to OUT (atomically) instead of stdout; never a file of\n"
    "                     the spec itself\n"
    "  -f, --format FMT   json (default; yaml when OUT ends in .yaml or .yml) or yaml\n"
    "\n"
    "Exit codes: 0 written, 2 usage error, an invalid spec, a $ref that does not\n"
    "resolve, or a cycle of path item files no single document can express.\n";

CLI_OPTIONS(cli_bundle_opts, {"output", required_argument, NULL, 'o'},
            {"format", required_argument, NULL, 'f'});

/* ---- YAML output: block style, every string and key double-quoted (JSON escapes are
 * YAML escapes), so no scalar can be misread (yes, 1e3, null, "- x"). */

static void yaml_string(FILE *f, const char *s)
{
    cJSON tmp = {0};
    tmp.type = cJSON_String;
    tmp.valuestring = (char *)s;
    char *q = cJSON_PrintUnformatted(&tmp);
    fputs(q ? q : "\"\"", f);
    cJSON_free(q);
}

static void yaml_scalar(FILE *f, const cJSON *v)
{
    char num[32];
    if (cJSON_IsString(v))
        yaml_string(f, v->valuestring);
    else if (cJSON_IsNumber(v) && act_jcs_number(v->valuedouble, num) == 0)
        fputs(num, f);
    else if (cJSON_IsTrue(v))
        fputs("true", f);
    else if (cJSON_IsFalse(v))
        fputs("false", f);
    else if (cJSON_IsArray(v))
        fputs("[]", f);
    else if (cJSON_IsObject(v))
        fputs("{}", f);
    else
        fputs("null", f);
}

static int is_block(const cJSON *v)
{
    return (cJSON_IsArray(v) || cJSON_IsObject(v)) && v->child;
}

static void yaml_put(FILE *f, const cJSON *v, int indent)
{
    for (const cJSON *c = v->child; c; c = c->next) {
        fprintf(f, "%*s", indent, "");
        if (cJSON_IsObject(v)) {
            yaml_string(f, c->string);
            fputc(':', f);
        } else {
            fputc('-', f);
        }
        if (is_block(c)) {
            fputc('\n', f);
            yaml_put(f, c, indent + 2);
        } else {
            fputc(' ', f);
            yaml_scalar(f, c);
            fputc('\n', f);
        }
    }
}

void cli_print_yaml(FILE *f, const cJSON *doc)
{
    if (is_block(doc))
        yaml_put(f, doc, 0);
    else {
        yaml_scalar(f, doc);
        fputc('\n', f);
    }
}

int cli_is_input_file(const struct act_docset *ds, const char *out)
{
    char real[PATH_MAX];
    if (!realpath(out, real))
        return 0;
    for (size_t i = 0; i < act_docset_count(ds); i++) {
        const struct act_doc *d = act_docset_get(ds, i);
        if (d->canon && strcmp(d->canon, real) == 0)
            return 1;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cli_doc_format(struct cli_ctx *c, const char *format, const char *out_path, int *yaml)
{
    if (format && strcmp(format, "json") != 0 && strcmp(format, "yaml") != 0)
        return cli_usage_error(c, "--format must be json or yaml, not \"%s\"", format);
    *yaml = format ? strcmp(format, "yaml") == 0
                   : out_path && (ends_with(out_path, ".yaml") || ends_with(out_path, ".yml"));
    if (out_path && !*out_path)
        return cli_usage_error(c, "-o needs a file name");
    return CLI_EXIT_OK;
}

int cli_write_doc(struct cli_ctx *c, const cJSON *doc, const char *out_path, int yaml)
{
    if (!out_path) {
        if (yaml)
            cli_print_yaml(stdout, doc);
        else
            cli_print_json(stdout, doc);
        return CLI_EXIT_OK;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return cli_fail(c, "out of memory");
    if (yaml)
        cli_print_yaml(mem, doc);
    else
        cli_print_json(mem, doc);
    int bad = ferror(mem);
    fclose(mem);
    if (bad) {
        free(text);
        return cli_fail(c, "out of memory");
    }
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_write_atomic(out_path, text, len, 1, 0, &err);
    free(text);
    if (st) {
        cli_error(c, &err);
        return cli_exit_code(st);
    }
    return CLI_EXIT_OK;
}

int cmd_bundle(int argc, char **argv, struct cli_ctx *c)
{
    const char *out_path = NULL, *format = NULL;
    int opt;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "ho:f:", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        if (opt == 'o')
            out_path = optarg;
        else if (opt == 'f')
            format = optarg;
    }
    if (opt == 0)
        return g.rc;
    int yaml;
    int rc = cli_doc_format(c, format, out_path, &yaml);
    if (rc)
        return rc;
    struct act_spec *spec;
    rc = cli_spec_arg(c, argc, argv, 0, &spec);
    if (rc)
        return rc;
    struct act_error err;
    act_error_init(&err);
    cJSON *doc;
    enum act_status st = act_bundle(spec, &doc, &err);
    if (st) {
        act_spec_free(spec);
        cli_error(c, &err);
        return cli_exit_code(st);
    }
    /* after bundling: every file of the spec is loaded now */
    if (out_path && cli_is_input_file(spec->docs, out_path)) {
        act_spec_free(spec);
        cJSON_Delete(doc);
        return cli_fail(c,
                        "refusing to write the bundle over \"%s\", a file of the spec "
                        "itself: choose another -o",
                        out_path);
    }
    act_spec_free(spec);
    rc = cli_write_doc(c, doc, out_path, yaml);
    cJSON_Delete(doc);
    return rc;
}
