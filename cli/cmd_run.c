/*
 * cmd_run.c - `actions run FILE ...`: run the workflows of an Arazzo 1.0.1 document.
 *
 * Parses and checks everything before a request could be sent: the options, the
 * document and its source descriptions (process/arazzo.h), --workflow ids, --dest
 * SOURCE names, and the inputs (--inputs FILE, then each --input NAME=VALUE, JSON
 * when it parses as JSON, else a string) against every workflow's `inputs` schema;
 * any problem is exit 2 with nothing sent. The engine (process/workflow.h) then
 * runs the workflows, and the report prints as text or JSON.
 *
 * Each operation step is sent by run_step_exchange(), the one place that connects
 * the engine to the runner's exchange (destinations, connector, auth, CSRF, the
 * checks of `test`). Until that connection exists, `run` refuses after its checks
 * rather than pretend to send anything.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "common/act_suggest.h"
#include "process/workflow.h"

static const char usage[] =
    "usage: actions run FILE [--workflow ID]... [--input NAME=VALUE]... [--inputs FILE]\n"
    "                   [--dest SOURCE=NAME]... [--format FORMAT] [--report FORMAT=FILE]...\n"
    "                   [--timeout SECONDS] [--destinations PATH] [--connector FILE]\n"
    "                   [--no-schema] [-v]\n"
    "\n"
    "Run the workflows of the Arazzo 1.0.1 document FILE: every workflow in document\n"
    "order, or those named by --workflow (a workflow others depend on runs first, once).\n"
    "Inputs are checked against each workflow's inputs schema before any request is sent.\n"
    "\n"
    "  -w, --workflow ID    run this workflow (repeatable)\n"
    "  -i, --input N=V      an input; V is JSON when it parses as JSON, else a string\n"
    "                       (--input id=7 gives 7, --input name=Tom gives \"Tom\")\n"
    "  --inputs FILE        inputs from a YAML or JSON object (--input wins)\n"
    "  -d, --dest SOURCE=NAME  the destination of a source description (default: the\n"
    "                       destination named like the source description)\n"
    "  -f, --format FORMAT  on stdout: text (default), json, junit, tap or html\n"
    "  --report FORMAT=FILE also write the report in FORMAT to FILE (repeatable)\n"
    "  --timeout SECONDS    connect and total timeout of each request (default 30)\n"
    "  --destinations PATH  destinations file or directory\n"
    "  --connector FILE     connector file (for OnPremise destinations)\n"
    "  --no-schema          do not check response bodies against their schemas: only\n"
    "                       the workflow's criteria decide\n"
    "  -v, --verbose        trace every exchange (secrets masked) to stderr\n"
    "\n"
    "Exit: 0 every workflow passed, 1 a step failed, 2 usage, invalid document, spec or\n"
    "inputs (nothing sent), 3 a backend could not be reached.\n";

enum { OPT_INPUTS = 256, OPT_REPORT, OPT_TIMEOUT, OPT_DESTS, OPT_CONN, OPT_NOSCHEMA };

static const struct option options[] = {
    {"workflow", required_argument, NULL, 'w'},
    {"input", required_argument, NULL, 'i'},
    {"inputs", required_argument, NULL, OPT_INPUTS},
    {"dest", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"report", required_argument, NULL, OPT_REPORT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"destinations", required_argument, NULL, OPT_DESTS},
    {"connector", required_argument, NULL, OPT_CONN},
    {"no-schema", no_argument, NULL, OPT_NOSCHEMA},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const struct option *const cli_run_opts = options; /* for completion */

static const char *const formats[] = {"text", "json", "junit", "tap", "html"};

static int parse_format(const char *s, size_t n)
{
    for (int i = 0; i < 5; i++)
        if (strlen(formats[i]) == n && strncmp(s, formats[i], n) == 0)
            return i;
    return -1;
}

/* What the step runner needs from the command line. */
struct run_cli {
    struct cli_ctx *c;
    const cJSON *dests;     /* SOURCE -> destination name (--dest) */
    const char *dests_path; /* --destinations */
    const char *conn_path;  /* --connector */
    long timeout_ms;        /* --timeout, 0 = default */
    int no_schema;          /* --no-schema */
    int verbose;            /* -v */
};

/* The runner's exchange is not connected to `run` yet (see the top of this file). */
static const int exchange_wired = 0;

/*
 * The step runner of `actions run`: sends call through the runner's exchange to the
 * destination of call->source and fills res. This is where the lead connects
 * runner/exchange.h; until then it is never reached (exchange_wired is 0).
 */
static enum act_status run_step_exchange(void *ctx, const struct act_step_call *call,
                                         struct act_step_result *res)
{
    (void)ctx;
    (void)call;
    (void)res;
    return ACT_ERR_UNSUPPORTED;
}

/* "NAME=VALUE" into obj: VALUE as JSON when it parses, else a string. */
static int add_input(struct cli_ctx *c, cJSON *obj, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return cli_usage_error(c, "--input expects NAME=VALUE, got \"%s\"", arg);
    char *name = act_strndup(arg, (size_t)(eq - arg));
    if (!name)
        return cli_fail(c, "out of memory");
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithOpts(eq + 1, &end, 1);
    if (!v)
        v = cJSON_CreateString(eq + 1);
    cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
    if (!v || !cJSON_AddItemToObject(obj, name, v)) {
        cJSON_Delete(v);
        act_free(name);
        return cli_fail(c, "out of memory");
    }
    act_free(name);
    return 0;
}

/* The source description named name, or a usage error with the closest names. */
static int check_source(struct cli_ctx *c, const struct act_arazzo *a, const char *name)
{
    if (act_arazzo_find_source(a, name))
        return 0;
    const char *best[1];
    struct act_suggest s;
    act_suggest_init(&s, name, 3, 1, best, 1);
    for (size_t i = 0; i < a->n_sources; i++)
        act_suggest_add(&s, a->sources[i].name);
    if (s.n)
        return cli_usage_error(
            c, "--dest: unknown source description \"%s\" (did you mean \"%s\"?)", name, best[0]);
    return cli_usage_error(c, "--dest: unknown source description \"%s\"", name);
}

/* ---------------------------------------------------------------- text output */

static void print_text(FILE *f, const cJSON *rep)
{
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(rep, "workflows");
    for (const cJSON *w = wfs ? wfs->child : NULL; w; w = w->next) {
        fprintf(f, "workflow %s: %s\n",
                cJSON_GetObjectItemCaseSensitive(w, "workflowId")->valuestring,
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "passed")) ? "passed" : "failed");
        const cJSON *steps = cJSON_GetObjectItemCaseSensitive(w, "steps");
        for (const cJSON *s = steps ? steps->child : NULL; s; s = s->next) {
            const cJSON *status = cJSON_GetObjectItemCaseSensitive(s, "status");
            char st[32] = "-";
            if (cJSON_IsNumber(status))
                snprintf(st, sizeof st, "%d", status->valueint);
            fprintf(f, "%s %s %s %s %.0f ms\n",
                    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "passed")) ? "PASS" : "FAIL",
                    cJSON_GetObjectItemCaseSensitive(s, "stepId")->valuestring,
                    cJSON_GetObjectItemCaseSensitive(s, "action")->valuestring, st,
                    cJSON_GetObjectItemCaseSensitive(s, "duration_ms")->valuedouble);
            const cJSON *errs = cJSON_GetObjectItemCaseSensitive(s, "errors");
            for (const cJSON *e = errs ? errs->child : NULL; e; e = e->next)
                fprintf(f, "    %s\n", e->valuestring);
        }
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(w, "errors");
        for (const cJSON *e = errs ? errs->child : NULL; e; e = e->next)
            fprintf(f, "  %s\n", e->valuestring);
        const cJSON *outs = cJSON_GetObjectItemCaseSensitive(w, "outputs");
        for (const cJSON *o = outs ? outs->child : NULL; o; o = o->next) {
            char *j = cJSON_PrintUnformatted(o);
            fprintf(f, "  %s = %s\n", o->string, j ? j : "?");
            act_free(j);
        }
    }
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(rep, "summary");
    fprintf(f, "%d workflows: %d passed, %d failed (%d steps)\n",
            cJSON_GetObjectItemCaseSensitive(sum, "workflows")->valueint,
            cJSON_GetObjectItemCaseSensitive(sum, "passed")->valueint,
            cJSON_GetObjectItemCaseSensitive(sum, "failed")->valueint,
            cJSON_GetObjectItemCaseSensitive(sum, "steps")->valueint);
}

static void print_report(FILE *f, int fmt, const cJSON *rep)
{
    if (fmt == 1) {
        char *s = cJSON_Print(rep);
        if (s)
            fprintf(f, "%s\n", s);
        act_free(s);
    } else {
        print_text(f, rep);
    }
}

/* ---------------------------------------------------------------- the command */

int cmd_run(int argc, char **argv, struct cli_ctx *c)
{
    const char *wf_ids[64];
    size_t n_wf = 0;
    const char *inputs_path = NULL;
    const char *input_args[256];
    size_t n_inputs = 0;
    const char *dest_args[64];
    size_t n_dests = 0;
    int fmt = 0;
    struct {
        int fmt;
        const char *path;
    } reports[16];
    size_t n_reports = 0;
    struct run_cli rc = {c, NULL, NULL, NULL, 0, 0, 0};
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "w:i:d:f:vh", options, NULL)) != -1) {
        switch (opt) {
        case 'h': return cli_usage(c, usage, 0);
        case 'w':
            if (n_wf == sizeof wf_ids / sizeof *wf_ids)
                return cli_usage_error(c, "too many --workflow options (at most 64)");
            wf_ids[n_wf++] = optarg;
            break;
        case 'i':
            if (n_inputs == sizeof input_args / sizeof *input_args)
                return cli_usage_error(c, "too many --input options (at most 256)");
            input_args[n_inputs++] = optarg;
            break;
        case OPT_INPUTS: inputs_path = optarg; break;
        case 'd':
            if (n_dests == sizeof dest_args / sizeof *dest_args)
                return cli_usage_error(c, "too many --dest options (at most 64)");
            if (!strchr(optarg, '=') || optarg[0] == '=' || !strchr(optarg, '=')[1])
                return cli_usage_error(c, "--dest expects SOURCE=NAME, got \"%s\"", optarg);
            dest_args[n_dests++] = optarg;
            break;
        case 'f':
            fmt = parse_format(optarg, strlen(optarg));
            if (fmt < 0)
                return cli_usage_error(
                    c, "unknown --format \"%s\" (text, json, junit, tap or html)", optarg);
            if (fmt > 1)
                return cli_usage_error(c, "--format %s is not available for run yet (text, json)",
                                       optarg);
            break;
        case OPT_REPORT: {
            const char *eq = strchr(optarg, '=');
            int f = eq ? parse_format(optarg, (size_t)(eq - optarg)) : -1;
            if (f < 0 || !eq[1])
                return cli_usage_error(c,
                                       "--report expects FORMAT=FILE with FORMAT text, json, "
                                       "junit, tap or html, got \"%s\"",
                                       optarg);
            if (f > 1)
                return cli_usage_error(c, "--report %.*s is not available for run yet (text, json)",
                                       (int)(eq - optarg), optarg);
            if (n_reports == sizeof reports / sizeof *reports)
                return cli_usage_error(c, "too many --report options (at most 16)");
            reports[n_reports].fmt = f;
            reports[n_reports++].path = eq + 1;
            break;
        }
        case OPT_TIMEOUT:
            rc.timeout_ms = cli_parse_seconds(optarg);
            if (rc.timeout_ms < 0)
                return cli_usage_error(
                    c, "--timeout expects a positive number of seconds, got \"%s\"", optarg);
            break;
        case OPT_DESTS: rc.dests_path = optarg; break;
        case OPT_CONN: rc.conn_path = optarg; break;
        case OPT_NOSCHEMA: rc.no_schema = 1; break;
        case 'v': rc.verbose = 1; break;
        default: return cli_bad_option(c, argc, argv, "w:i:d:f:vh", options);
        }
    }
    if (optind >= argc)
        return cli_usage_error(c, "no workflow file given (actions run FILE)");
    if (argc - optind > 1)
        return cli_extra_arg(c, argv[optind + 1]);
    const char *path = argv[optind];

    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_arazzo_load(path, 0, &a, &err);
    if (st) {
        cli_error(c, &err);
        return CLI_EXIT_USAGE;
    }
    int ret = CLI_EXIT_OK;
    cJSON *inputs = NULL, *dests = cJSON_CreateObject(), *bad = NULL, *rep = NULL;
    if (!dests) {
        ret = cli_fail(c, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n_dests; i++) {
        const char *eq = strchr(dest_args[i], '=');
        char *src = act_strndup(dest_args[i], (size_t)(eq - dest_args[i]));
        if (!src) {
            ret = cli_fail(c, "out of memory");
            goto done;
        }
        ret = check_source(c, a, src);
        if (!ret && !cJSON_AddStringToObject(dests, src, eq + 1))
            ret = cli_fail(c, "out of memory");
        act_free(src);
        if (ret)
            goto done;
    }
    rc.dests = dests;
    if (inputs_path) {
        struct act_doc *doc = NULL;
        act_error_init(&err);
        if (act_doc_load(inputs_path, ACT_DOC_AUTO, &doc, &err)) {
            cli_error(c, &err);
            ret = CLI_EXIT_USAGE;
            goto done;
        }
        if (!cJSON_IsObject(doc->root)) {
            act_doc_free(doc);
            ret = cli_usage_error(c, "--inputs: %s must hold an object", inputs_path);
            goto done;
        }
        inputs = cJSON_Duplicate(doc->root, 1);
        act_doc_free(doc);
    } else {
        inputs = cJSON_CreateObject();
    }
    if (!inputs) {
        ret = cli_fail(c, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n_inputs; i++)
        if ((ret = add_input(c, inputs, input_args[i])))
            goto done;

    struct act_run_opts o;
    memset(&o, 0, sizeof o);
    o.run = run_step_exchange;
    o.run_ctx = &rc;
    o.workflows = n_wf ? wf_ids : NULL;
    o.n_workflows = n_wf;
    o.inputs = inputs;
    act_error_init(&err);
    st = act_workflow_check_inputs(a, &o, &bad, &err);
    if (st) {
        cli_error(c, &err);
        ret = cli_exit_code(st);
        goto done;
    }
    if (cJSON_GetArraySize(bad)) {
        for (const cJSON *e = bad->child; e; e = e->next)
            fprintf(stderr, "%s: error: invalid input: %s\n", c->prog, e->valuestring);
        fprintf(stderr, "%s: error: %d invalid input%s: nothing was sent\n", c->prog,
                cJSON_GetArraySize(bad), cJSON_GetArraySize(bad) == 1 ? "" : "s");
        ret = CLI_EXIT_USAGE;
        goto done;
    }
    if (!exchange_wired) {
        ret = cli_fail(c,
                       "%s is valid, but actions run cannot send its steps yet: the step "
                       "runner is not wired to the runner's exchange (nothing was sent)",
                       path);
        goto done;
    }
    act_error_init(&err);
    st = act_workflow_run(a, &o, &rep, &err);
    if (rep) {
        print_report(stdout, fmt, rep);
        for (size_t i = 0; i < n_reports; i++) {
            FILE *f = fopen(reports[i].path, "w");
            if (!f) {
                ret = cli_fail(c, "cannot write report %s", reports[i].path);
                continue;
            }
            print_report(f, reports[i].fmt, rep);
            if (fclose(f))
                ret = cli_fail(c, "cannot write report %s", reports[i].path);
        }
    }
    if (st) {
        cli_error(c, &err);
        ret = cli_exit_code(st);
    } else if (!ret) {
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(rep, "summary");
        if (cJSON_GetObjectItemCaseSensitive(sum, "failed")->valueint)
            ret = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sum, "unreachable"))
                      ? CLI_EXIT_UNREACHABLE
                      : CLI_EXIT_FAILED;
    }
done:
    cJSON_Delete(rep);
    cJSON_Delete(bad);
    cJSON_Delete(inputs);
    cJSON_Delete(dests);
    act_arazzo_free(a);
    return ret;
}
