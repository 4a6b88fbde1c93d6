/*
 * cmd_run.c - `actions run [FILE] ...`: run the workflows of Arazzo 1.0.1 documents.
 *
 * Parses and checks everything before a request could be sent: the options, the
 * document and its source descriptions (process/arazzo.h) (with no FILE: every
 * process of the project file, each with its SOURCE -> destination mapping),
 * --workflow ids, --dest SOURCE names, the destination of every source description
 * the selected workflows (and those they depend on or call) use, and the inputs
 * (--inputs FILE, then each --input NAME=VALUE, JSON when it parses as JSON, else a
 * string) against every workflow's `inputs` schema; any problem is exit 2 with
 * nothing sent. The engine (process/workflow.h) then runs the workflows, document
 * after document, and one report prints as text, JSON, JUnit, TAP or HTML.
 *
 * Each operation step is sent by run_step_exchange(), the one place that connects
 * the engine to the runner's exchange: the request built as `test` builds it, the
 * destination of its source description (--dest SOURCE=NAME, else the project's
 * mapping for the process, else the one named like the source), OnPremise through
 * the connector, auth once per destination per run, URL.headers/URL.queries, CSRF,
 * and the response checks of `test` (--no-schema drops the schema ones). Every
 * secret is masked in what is printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "common/act_suggest.h"
#include "parser/openapi.h"
#include "process/report.h"
#include "process/workflow.h"
#include "runner/exchange.h"
#include "runner/run.h"

static const char usage[] =
    "usage: actions run [FILE] [--workflow ID]... [--input NAME=VALUE]... [--inputs FILE]\n"
    "                   [--dest SOURCE=NAME]... [--format FORMAT] [--report FORMAT=FILE]...\n"
    "                   [--timeout SECONDS] [--insecure] [--cacert FILE] [--max-size BYTES]\n"
    "                   [--max-validation-steps N] [--destinations PATH] [--connector FILE]\n"
    "                   [--no-schema] [-v]\n"
    "\n"
    "Run the workflows of the Arazzo 1.0.1 document FILE: every workflow in document\n"
    "order, or those named by --workflow (a workflow others depend on runs first, once).\n"
    "With no FILE, every process the project file lists under processes:, in order,\n"
    "one report for all. Inputs are checked against each workflow's inputs schema\n"
    "before any request is sent.\n"
    "\n"
    "  -w, --workflow ID    run this workflow (repeatable)\n"
    "  -i, --input N=V      an input; V is JSON when it parses as JSON, else a string\n"
    "                       (--input id=7 gives 7, --input name=Tom gives \"Tom\")\n"
    "  --inputs FILE        inputs from a YAML or JSON object (--input wins)\n"
    "  -d, --dest SOURCE=NAME  the destination of a source description (default: the\n"
    "                       project's mapping for the process, else the destination\n"
    "                       named like the source description)\n"
    "  -f, --format FORMAT  on stdout: text (default), json, junit, tap or html\n"
    "  --report FORMAT=FILE also write the report in FORMAT to FILE (repeatable)\n"
    "  --timeout SECONDS    connect and total timeout of each request (default 30)\n"
    "  --insecure           do not verify TLS certificates (also: TrustAll=true)\n"
    "  --cacert FILE        CA certificates to verify the servers with\n"
    "  --max-size BYTES     largest response body accepted (default 64 MiB)\n"
    "  --max-validation-steps N  work budget of each body validation\n"
    "                       (default 10000000 + 2 per byte)\n"
    "  --destinations PATH  destinations file or directory\n"
    "  --connector FILE     connector file (for OnPremise destinations)\n"
    "  --no-schema          do not check response bodies against their schemas: only\n"
    "                       the workflow's criteria decide\n"
    "  -v, --verbose        trace every exchange (secrets masked) to stderr\n"
    "\n"
    "Exit: 0 every workflow passed, 1 a step failed, 2 usage, invalid document, spec or\n"
    "inputs (nothing sent), 3 a backend could not be reached.\n";

enum {
    OPT_INPUTS = 256,
    OPT_REPORT,
    OPT_TIMEOUT,
    OPT_DESTS,
    OPT_CONN,
    OPT_NOSCHEMA,
    OPT_INSECURE,
    OPT_CACERT,
    OPT_MAXSIZE,
    OPT_STEPS
};

static const struct option options[] = {
    {"workflow", required_argument, NULL, 'w'},
    {"input", required_argument, NULL, 'i'},
    {"inputs", required_argument, NULL, OPT_INPUTS},
    {"dest", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"report", required_argument, NULL, OPT_REPORT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"max-size", required_argument, NULL, OPT_MAXSIZE},
    {"max-validation-steps", required_argument, NULL, OPT_STEPS},
    {"destinations", required_argument, NULL, OPT_DESTS},
    {"connector", required_argument, NULL, OPT_CONN},
    {"no-schema", no_argument, NULL, OPT_NOSCHEMA},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const struct option *const cli_run_opts = options; /* for completion */

/* The destination of one source description, resolved at its first step. */
struct run_target {
    const char *source;           /* the source description's name (borrowed) */
    const struct act_spec *spec;  /* its spec: two documents may name different ones alike */
    const struct act_dest *dest;  /* its destination (in run_cli.destset) */
    struct act_validator *v;      /* over the source's spec */
    struct act_auth_session auth; /* the destination's token, read once per run */
};

/* What the step runner needs from the command line, and the run's shared state. */
struct run_cli {
    struct cli_ctx *c;
    const cJSON *dests;            /* SOURCE -> destination name (--dest) */
    const cJSON *proj_dests;       /* the project's SOURCE -> NAME for this document, or NULL */
    const char *dests_path;        /* --destinations */
    const char *conn_path;         /* --connector */
    long timeout_ms;               /* --timeout, 0 = default */
    int insecure;                  /* --insecure */
    const char *cacert;            /* --cacert, or NULL */
    long long max_size;            /* --max-size, 0 = default */
    unsigned long max_steps;       /* --max-validation-steps, 0 = default */
    int no_schema;                 /* --no-schema */
    int verbose;                   /* -v */
    struct act_redactor red;       /* every secret of the run's destinations and specs */
    struct act_destset *destset;   /* loaded at the first step */
    struct act_connector *conn;    /* loaded at the first OnPremise step */
    struct run_target targets[64]; /* one per source description used */
    size_t n_targets;
    const struct act_step_call *call; /* the step being traced */
    int reported;                     /* the error that stopped the run was printed */
};

/* ------------------------------------------------------------ the -v trace */

/* The exchange's events: -v lines, as `test -v` prints them, and warnings always. */
static void on_trace(void *ctx, const struct act_trace_event *ev)
{
    struct run_cli *rc = ctx;
    if (ev->kind == ACT_TRACE_WARNING) {
        char *s = act_run_mask(&rc->red, ev->text, strlen(ev->text));
        cli_warn(rc->c, "[%s/%s] %s", rc->call->workflow_id, rc->call->step_id, s ? s : "");
        act_free(s);
        return;
    }
    struct act_buf tag;
    act_buf_init(&tag);
    if (!act_buf_printf(&tag, "[%s/%s] ", rc->call->workflow_id, rc->call->step_id))
        cli_trace_event(&rc->red, tag.data, rc->verbose, ev);
    act_buf_release(&tag);
}

/* ------------------------------------------------------------ the step runner */

/*
 * The destination of the source description source: --dest, else the project's
 * mapping for the document, else the one named like the source; enabled for actions,
 * its authentication usable, the connector loaded for OnPremise. NULL after the error
 * is printed (*st its status).
 */
static const struct act_dest *source_dest(struct run_cli *rc, const char *source,
                                          enum act_status *st)
{
    if (!rc->destset && (*st = cli_load_dests(rc->c, rc->dests_path, &rc->destset)))
        return NULL;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(rc->dests, source);
    if (!cJSON_IsString(d))
        d = cJSON_GetObjectItemCaseSensitive(rc->proj_dests, source);
    const char *name = cJSON_IsString(d) ? d->valuestring : source;
    const struct act_dest *dest = cli_find_dest(rc->c, rc->destset, name);
    *st = ACT_ERR_USAGE;
    if (!dest)
        return NULL;
    if (!dest->actions_enabled) {
        cli_fail(rc->c,
                 "destination \"%s\" (source description \"%s\") is not enabled for actions: "
                 "set sap.applicationdevelopment.actions.enabled=true in %s",
                 dest->name, source, dest->file ? dest->file : "its file");
        return NULL;
    }
    struct act_error err;
    act_error_init(&err);
    if (act_auth_check(dest, &err)) {
        cli_error(rc->c, &err);
        return NULL;
    }
    if (dest->proxy == ACT_PROXY_ONPREMISE && !rc->conn &&
        (*st = cli_load_connector(rc->c, rc->conn_path, &rc->conn)))
        return NULL;
    *st = ACT_OK;
    return dest;
}

/* The workflows check_dests has seen (past the last slot, steps are checked as they run). */
struct wf_seen {
    const struct act_arazzo_workflow *v[256];
    size_t n;
};

/*
 * Before anything is sent: the destination of every source description the operation
 * steps of wf use, and those of the workflows it depends on or calls. Nonzero after
 * the error is printed (*st its status).
 */
static int check_dests(struct run_cli *rc, const struct act_arazzo_workflow *wf,
                       struct wf_seen *seen, enum act_status *st)
{
    for (size_t i = 0; i < seen->n; i++)
        if (seen->v[i] == wf)
            return 0;
    if (seen->n == sizeof seen->v / sizeof *seen->v)
        return 0;
    seen->v[seen->n++] = wf;
    for (size_t i = 0; i < wf->n_depends; i++)
        if (check_dests(rc, wf->depends[i], seen, st))
            return 1;
    for (size_t i = 0; i < wf->n_steps; i++) {
        const struct act_arazzo_step *step = &wf->steps[i];
        if (step->kind == ACT_ARAZZO_STEP_OPERATION && step->src &&
            !source_dest(rc, step->src->name, st))
            return 1;
        if (step->kind == ACT_ARAZZO_STEP_WORKFLOW && step->wf &&
            check_dests(rc, step->wf, seen, st))
            return 1;
    }
    return 0;
}

/*
 * The target of call->source: its destination (source_dest), its secrets in the
 * redactor, a validator over its spec; made once per source and spec. NULL after an
 * error printed (rc->reported; *st the status).
 */
static struct run_target *find_target(struct run_cli *rc, const struct act_step_call *call,
                                      enum act_status *st)
{
    for (size_t i = 0; i < rc->n_targets; i++)
        if (strcmp(rc->targets[i].source, call->source) == 0 && rc->targets[i].spec == call->spec)
            return &rc->targets[i];
    rc->reported = 1;
    if (rc->n_targets == sizeof rc->targets / sizeof *rc->targets) {
        *st = ACT_ERR_LIMIT;
        cli_fail(rc->c, "too many source descriptions in one run (at most 64)");
        return NULL;
    }
    const struct act_dest *dest = source_dest(rc, call->source, st);
    if (!dest)
        return NULL;
    struct run_target *t = &rc->targets[rc->n_targets];
    memset(t, 0, sizeof *t);
    t->source = call->source;
    t->spec = call->spec;
    t->dest = dest;
    if (act_dest_add_secrets(dest, &rc->red) || act_run_seed_spec(&rc->red, call->spec) ||
        act_validator_new(call->spec->docs, &t->v)) {
        *st = ACT_ERR_NOMEM;
        cli_fail(rc->c, "out of memory");
        return NULL;
    }
    act_validator_set_max_steps(t->v, rc->max_steps);
    rc->n_targets++;
    rc->reported = 0;
    *st = ACT_OK;
    return t;
}

/* The operation declares a parameter name in `in`. */
static int op_has_param(const struct act_step_call *call, const char *name, const char *in)
{
    for (size_t i = 0; i < call->n_params; i++)
        if (strcmp(call->params[i].in, in) == 0 &&
            (strcmp(in, "header") ? strcmp(call->params[i].name, name)
                                  : strcasecmp(call->params[i].name, name)) == 0)
            return 1;
    return 0;
}

/* The text of a parameter value: a string as it is, anything else as JSON. */
static char *value_text(const cJSON *v)
{
    return cJSON_IsString(v) ? act_strdup(v->valuestring) : cJSON_PrintUnformatted(v);
}

/* The step's values as the request builder takes them: -p arguments for the
 * operation's parameters (an array as repeated names), -H lines for headers and
 * cookies it does not declare. Strings in *texts (act_free each). */
static enum act_status step_args(const struct act_step_call *call, struct act_arg *args,
                                 size_t *n_args, const char **hdrs, size_t *n_hdrs, char **texts,
                                 size_t *n_texts, size_t max)
{
    for (size_t i = 0; i < call->n_values; i++) {
        const struct act_step_param *p = &call->values[i];
        if (op_has_param(call, p->name, p->in)) {
            int arr = cJSON_IsArray(p->value);
            for (const cJSON *v = arr ? p->value->child : p->value; v; v = arr ? v->next : NULL) {
                if (*n_args == max || *n_texts == max)
                    return ACT_ERR_LIMIT;
                char *t = value_text(v);
                if (!t)
                    return ACT_ERR_NOMEM;
                texts[(*n_texts)++] = t;
                args[(*n_args)++] = (struct act_arg){p->name, t};
            }
            continue;
        }
        if (strcmp(p->in, "header") && strcmp(p->in, "cookie"))
            continue; /* path/query the operation does not have: lint reports it */
        char *v = value_text(p->value);
        struct act_buf b;
        act_buf_init(&b);
        enum act_status st = !v ? ACT_ERR_NOMEM
                             : strcmp(p->in, "header") == 0
                                 ? act_buf_printf(&b, "%s: %s", p->name, v)
                                 : act_buf_printf(&b, "Cookie: %s=%s", p->name, v);
        act_free(v);
        if (st || *n_hdrs == max || *n_texts == max) {
            act_buf_release(&b);
            return st ? st : ACT_ERR_LIMIT;
        }
        char *line = act_buf_detach(&b, NULL);
        if (!line)
            return ACT_ERR_NOMEM;
        texts[(*n_texts)++] = line;
        hdrs[(*n_hdrs)++] = line;
    }
    return ACT_OK;
}

/* The response into res: status, headers, body (JSON or text). */
static enum act_status fill_response(struct run_cli *rc, const struct act_http_resp *resp,
                                     struct act_step_result *res)
{
    res->status = resp->status;
    res->duration_ms = (double)resp->duration_ms;
    if (!resp->status)
        return ACT_OK;
    res->headers = cJSON_CreateObject();
    if (!res->headers)
        return ACT_ERR_NOMEM;
    for (size_t i = 0; i < resp->headers.n; i++) {
        cJSON_DeleteItemFromObject(res->headers, resp->headers.v[i].name);
        if (!cJSON_AddStringToObject(res->headers, resp->headers.v[i].name,
                                     resp->headers.v[i].value))
            return ACT_ERR_NOMEM;
    }
    (void)rc;
    if (!resp->body.len)
        return ACT_OK;
    res->body = cJSON_ParseWithLength(resp->body.data, resp->body.len);
    if (!res->body && !(res->raw_body = act_strndup(resp->body.data, resp->body.len)))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

/* The problems of the step into res->errors, masked. */
static enum act_status fill_errors(struct run_cli *rc, const struct act_msgs *m,
                                   struct act_step_result *res)
{
    if (!m->n)
        return ACT_OK;
    if (!res->errors && !(res->errors = cJSON_CreateArray()))
        return ACT_ERR_NOMEM;
    for (size_t i = 0; i < m->n; i++) {
        char *s = act_run_mask(&rc->red, m->v[i], strlen(m->v[i]));
        cJSON *e = s ? cJSON_CreateString(s) : NULL;
        act_free(s);
        if (!e || !cJSON_AddItemToArray(res->errors, e)) {
            cJSON_Delete(e);
            return ACT_ERR_NOMEM;
        }
    }
    return ACT_OK;
}

#define RUN_MAX_ARGS 256

/*
 * The step runner of `actions run`: builds call's request as `test` does, sends it
 * through the runner's exchange to the destination of call->source (the connector
 * for OnPremise, auth once per destination, CSRF, the checks of `test`) and fills
 * res. Errors that stop the run are printed here (rc->reported).
 */
static enum act_status run_step_exchange(void *ctx, const struct act_step_call *call,
                                         struct act_step_result *res)
{
    struct run_cli *rc = ctx;
    rc->call = call;
    enum act_status st;
    struct run_target *t = find_target(rc, call, &st);
    if (!t)
        return st;
    struct act_arg args[RUN_MAX_ARGS];
    const char *hdrs[RUN_MAX_ARGS];
    char *texts[RUN_MAX_ARGS];
    size_t n_args = 0, n_hdrs = 0, n_texts = 0;
    char *body = NULL;
    struct act_request *req = NULL;
    struct act_msgs problems, notes;
    act_msgs_init(&problems);
    act_msgs_init(&notes);
    struct act_http_resp resp;
    act_http_resp_init(&resp);
    struct act_errlist verrs;
    act_errlist_init(&verrs, 0);
    struct act_error err;
    act_error_init(&err);
    st = step_args(call, args, &n_args, hdrs, &n_hdrs, texts, &n_texts, RUN_MAX_ARGS);
    if (!st && call->body && !(body = cJSON_PrintUnformatted(call->body)))
        st = ACT_ERR_NOMEM;
    if (st) {
        act_error_set(&err, st, NULL, 0, 0, "step %s: %s", call->step_id,
                      st == ACT_ERR_LIMIT ? "too many parameter values (at most 256)"
                                          : "out of memory");
        goto done;
    }
    struct act_request_in in = {call->spec,
                                call->op,
                                t->dest->url,
                                t->dest,
                                args,
                                n_args,
                                hdrs,
                                n_hdrs,
                                body,
                                body ? strlen(body) : 0,
                                "the step's requestBody",
                                0,
                                &notes,
                                NULL};
    st = act_request_build(&in, t->v, &req, &problems, &err);
    if (st == ACT_ERR_USAGE || st == ACT_ERR_NETWORK) { /* an invalid request fails the step */
        char msg[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, msg, sizeof msg);
        act_error_init(&err);
        st = act_msgs_add(&problems, "invalid request: %s", msg);
        if (!st)
            st = fill_errors(rc, &problems, res);
        goto done;
    }
    if (req && !(res->method = act_strdup(req->method)))
        st = act_error_set(&err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (req && !st && !(res->url = act_run_mask(&rc->red, req->url, strlen(req->url))))
        st = act_error_set(&err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == ACT_ERR_CHECK) { /* values that do not match their schemas: nothing sent */
        st = fill_errors(rc, &problems, res);
        goto done;
    }
    if (st)
        goto done;
    int modifying =
        strcmp(req->method, "GET") && strcmp(req->method, "HEAD") && strcmp(req->method, "OPTIONS");
    struct act_project *proj = NULL;
    const char *csrf = modifying && !cli_project(rc->c, &proj) ? act_run_csrf_path(proj) : NULL;
    struct act_exchange_opts o = {
        .dest = t->dest,
        .conn = rc->conn,
        .auth = &t->auth,
        .csrf_path = csrf,
        .follow_redirects = 1,
        .spec = call->spec,
        .op = call->op,
        .v = rc->no_schema ? NULL : t->v,
        .red = &rc->red,
        .trace = on_trace,
        .trace_ctx = rc,
        .trace_steps = rc->verbose,
    };
    o.http.timeout_ms = rc->timeout_ms;
    o.http.insecure = rc->insecure || t->dest->trust_all;
    o.http.cacert = rc->cacert;
    o.http.max_size = rc->max_size;
    struct act_exchange_result xr = {
        .resp = &resp, .problems = &problems, .notes = &notes, .schema_errors = &verrs};
    st = act_exchange(req, &o, &xr, &err);
    if (st)
        goto done;
    res->transport_failed = xr.outcome == ACT_OUTCOME_UNREACHABLE;
    res->passed = xr.outcome == ACT_OUTCOME_PASS;
    st = fill_response(rc, &resp, res);
    if (!st)
        st = fill_errors(rc, &problems, res);
    if (st)
        act_error_set(&err, st, NULL, 0, 0, "out of memory");
done:
    if (st) {
        char msg[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, msg, sizeof msg);
        char *s = act_run_mask(&rc->red, msg, strlen(msg));
        cli_fail(rc->c, "%s", s ? s : "(message withheld: out of memory)");
        act_free(s);
        rc->reported = 1;
    }
    for (size_t i = 0; i < notes.n; i++) {
        char *m = act_run_mask(&rc->red, notes.v[i], strlen(notes.v[i]));
        cli_warn(rc->c, "[%s/%s] %s", call->workflow_id, call->step_id, m ? m : "");
        act_free(m);
    }
    act_errlist_release(&verrs);
    act_http_resp_release(&resp);
    act_msgs_release(&notes);
    act_msgs_release(&problems);
    act_request_free(req);
    act_free(body);
    for (size_t i = 0; i < n_texts; i++)
        act_free(texts[i]);
    return st;
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

/* One Arazzo document of the run: FILE, or one of the project's processes. */
struct run_file {
    const char *written;  /* its path as given or as the project file writes it */
    const cJSON *dests;   /* the project's SOURCE -> NAME for it, or NULL */
    struct act_arazzo *a; /* loaded (owned) */
    const char *wf[64];   /* the --workflow ids it has */
    size_t n_wf;
    int skip; /* --workflow names none of its workflows */
};

/*
 * name is a source description of a, or of a document a's arazzo sources load (their
 * steps run too); with s, every such name is offered to it instead. depth bounds a
 * chain of documents.
 */
static int has_source(const struct act_arazzo *a, const char *name, struct act_suggest *s,
                      unsigned depth)
{
    if (!a || depth > ACT_MAX_ARAZZO_DOCS)
        return 0;
    for (size_t j = 0; j < a->n_sources; j++) {
        if (s)
            act_suggest_add(s, a->sources[j].name);
        else if (strcmp(a->sources[j].name, name) == 0)
            return 1;
        if (has_source(a->sources[j].arazzo, name, s, depth + 1))
            return 1;
    }
    return 0;
}

/* name is a source description of one of the documents (or of the documents they
 * load); else a usage error with the closest name. */
static int check_source(struct cli_ctx *c, const struct run_file *files, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (has_source(files[i].a, name, NULL, 0))
            return 0;
    const char *best[1];
    struct act_suggest s;
    act_suggest_init(&s, name, 3, 1, best, 1);
    for (size_t i = 0; i < n; i++)
        has_source(files[i].a, name, &s, 0);
    if (s.n)
        return cli_usage_error(
            c, "--dest: unknown source description \"%s\" (did you mean \"%s\"?)", name, best[0]);
    return cli_usage_error(c, "--dest: unknown source description \"%s\"", name);
}

/* A process's destinations name only source descriptions of its document. */
static int check_process_dests(struct cli_ctx *c, const struct act_project *p,
                               const struct run_file *f)
{
    for (const cJSON *m = f->dests ? f->dests->child : NULL; m; m = m->next) {
        if (has_source(f->a, m->string, NULL, 0))
            continue;
        const char *best[1];
        struct act_suggest s;
        act_suggest_init(&s, m->string, 3, 1, best, 1);
        has_source(f->a, m->string, &s, 0);
        char e[ACT_ECHO_SIZE];
        struct act_error err;
        act_error_init(&err);
        act_error_set(&err, ACT_ERR_INVALID, p->doc->path, 0, 0,
                      "process %s has no source description \"%s\"%s%s%s", f->written,
                      act_echo(e, sizeof e, m->string, strlen(m->string)),
                      s.n ? " (did you mean \"" : "", s.n ? best[0] : "", s.n ? "\"?)" : "");
        act_error_at_node(&err, p->doc, m);
        cli_error(c, &err);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/*
 * The documents of the run, loaded: FILE, or with path NULL every process of the
 * project file, in order (*report_path: the project file). Errors printed: exit 2.
 */
static int open_files(struct cli_ctx *c, const char *path, struct run_file **files, size_t *n,
                      const char **report_path)
{
    struct act_project *p = NULL;
    size_t want = 1;
    *report_path = path;
    if (!path) {
        enum act_status st = cli_project(c, &p);
        if (st)
            return cli_exit_code(st);
        if (!p)
            return cli_usage_error(c, "no workflow file given (actions run FILE, or run inside "
                                      "a project whose actions.yaml lists processes)");
        if (!p->n_processes)
            return cli_usage_error(c,
                                   "no workflow file given, and the project file %s has no "
                                   "\"processes\"",
                                   p->doc->path);
        want = p->n_processes;
        *report_path = p->doc->path;
    }
    if (!(*files = act_calloc(want, sizeof **files)))
        return cli_fail(c, "out of memory");
    for (size_t i = 0; i < want; i++) {
        struct run_file *f = &(*files)[i];
        f->written = p ? p->processes[i].written : path;
        f->dests = p ? p->processes[i].destinations : NULL;
        struct act_error err;
        act_error_init(&err);
        if (act_arazzo_load(p ? p->processes[i].file : path, 0, &f->a, &err)) {
            cli_error(c, &err);
            return CLI_EXIT_USAGE;
        }
        (*n)++;
        if (p && check_process_dests(c, p, f))
            return CLI_EXIT_USAGE;
    }
    return 0;
}

/*
 * Which --workflow ids each document has. FILE alone takes them all (the engine
 * refuses an unknown one); with the project's processes, an id no document has is
 * a usage error with the closest, and a document with none of them is skipped.
 */
static int select_workflows(struct cli_ctx *c, struct run_file *files, size_t n,
                            const char *const *ids, size_t n_ids, int from_project)
{
    for (size_t k = 0; k < n_ids; k++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (!from_project || act_arazzo_find_workflow(files[i].a, ids[k])) {
                files[i].wf[files[i].n_wf++] = ids[k];
                found = 1;
            }
        if (found)
            continue;
        const char *best[1];
        struct act_suggest s;
        act_suggest_init(&s, ids[k], 3, 1, best, 1);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < files[i].a->n_workflows; j++)
                act_suggest_add(&s, files[i].a->workflows[j].id);
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof e, ids[k], strlen(ids[k]));
        if (s.n)
            return cli_usage_error(c,
                                   "--workflow: no process of the project has workflow \"%s\" "
                                   "(did you mean \"%s\"?)",
                                   e, best[0]);
        return cli_usage_error(c, "--workflow: no process of the project has workflow \"%s\"", e);
    }
    for (size_t i = 0; i < n; i++)
        files[i].skip = n_ids && !files[i].n_wf;
    return 0;
}

/* Forget the run's targets: the next document's sources are its own. */
static void drop_targets(struct run_cli *rc)
{
    for (size_t i = 0; i < rc->n_targets; i++) {
        act_validator_free(rc->targets[i].v);
        act_auth_session_release(&rc->targets[i].auth);
    }
    rc->n_targets = 0;
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
    enum act_report_fmt fmt = ACT_REPORT_TEXT;
    struct cli_report reports[16];
    memset(reports, 0, sizeof reports);
    size_t n_reports = 0;
    struct run_cli rc;
    memset(&rc, 0, sizeof rc);
    rc.c = c;
    act_redactor_init(&rc.red);
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
            if (cli_parse_report_format(c, optarg, &fmt))
                return CLI_EXIT_USAGE;
            break;
        case OPT_REPORT:
            if (n_reports == sizeof reports / sizeof *reports)
                return cli_usage_error(c, "too many --report options (at most 16)");
            if (cli_parse_report(c, optarg, &reports[n_reports].fmt, &reports[n_reports].path))
                return CLI_EXIT_USAGE;
            n_reports++;
            break;
        case OPT_TIMEOUT:
            if (cli_parse_timeout(c, optarg, &rc.timeout_ms))
                return CLI_EXIT_USAGE;
            break;
        case OPT_INSECURE: rc.insecure = 1; break;
        case OPT_CACERT:
            if (cli_check_cacert(c, optarg))
                return CLI_EXIT_USAGE;
            rc.cacert = optarg;
            break;
        case OPT_MAXSIZE:
            if (cli_parse_max_size(c, optarg, &rc.max_size))
                return CLI_EXIT_USAGE;
            break;
        case OPT_STEPS: {
            int r = cli_parse_steps(c, optarg, &rc.max_steps);
            if (r)
                return r;
            break;
        }
        case OPT_DESTS: rc.dests_path = optarg; break;
        case OPT_CONN: rc.conn_path = optarg; break;
        case OPT_NOSCHEMA: rc.no_schema = 1; break;
        case 'v': rc.verbose = 1; break;
        default: return cli_bad_option(c, argc, argv, "w:i:d:f:vh", options);
        }
    }
    if (argc - optind > 1)
        return cli_extra_arg(c, argv[optind + 1]);

    struct run_file *files = NULL;
    size_t n_files = 0;
    const char *report_path = NULL;
    int ret = open_files(c, optind < argc ? argv[optind] : NULL, &files, &n_files, &report_path);
    if (ret) {
        for (size_t i = 0; i < n_files; i++)
            act_arazzo_free(files[i].a);
        act_free(files);
        return ret;
    }
    cJSON *inputs = NULL, *dests = cJSON_CreateObject(), *bad = cJSON_CreateArray(), *rep = NULL;
    struct act_error err;
    enum act_status st = ACT_OK;
    int from_project = optind >= argc;
    if (!dests || !bad) {
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
        ret = check_source(c, files, n_files, src);
        if (!ret && !cJSON_AddStringToObject(dests, src, eq + 1))
            ret = cli_fail(c, "out of memory");
        act_free(src);
        if (ret)
            goto done;
    }
    rc.dests = dests;
    if ((ret = select_workflows(c, files, n_files, wf_ids, n_wf, from_project)))
        goto done;
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
    o.inputs = inputs;
    /* Every document's inputs are checked before the first request of any. */
    for (size_t i = 0; i < n_files; i++) {
        if (files[i].skip)
            continue;
        cJSON *fbad = NULL;
        o.workflows = n_wf ? files[i].wf : NULL;
        o.n_workflows = files[i].n_wf;
        act_error_init(&err);
        st = act_workflow_check_inputs(files[i].a, &o, &fbad, &err);
        if (st) {
            cli_error(c, &err);
            ret = cli_exit_code(st);
            goto done;
        }
        for (const cJSON *e = fbad ? fbad->child : NULL; e; e = e->next) {
            cJSON *m = from_project ? NULL : cJSON_CreateString(e->valuestring);
            if (from_project) {
                struct act_buf b;
                act_buf_init(&b);
                if (!act_buf_printf(&b, "%s: %s", files[i].written, e->valuestring))
                    m = cJSON_CreateString(b.data);
                act_buf_release(&b);
            }
            if (!m || !cJSON_AddItemToArray(bad, m)) {
                cJSON_Delete(m);
                cJSON_Delete(fbad);
                ret = cli_fail(c, "out of memory");
                goto done;
            }
        }
        cJSON_Delete(fbad);
    }
    if (cJSON_GetArraySize(bad)) {
        for (const cJSON *e = bad->child; e; e = e->next)
            fprintf(stderr, "%s: error: invalid input: %s\n", c->prog, e->valuestring);
        fprintf(stderr, "%s: error: %d invalid input%s: nothing was sent\n", c->prog,
                cJSON_GetArraySize(bad), cJSON_GetArraySize(bad) == 1 ? "" : "s");
        ret = CLI_EXIT_USAGE;
        goto done;
    }
    /* Every destination the selected workflows need, before the first request. */
    for (size_t i = 0; i < n_files; i++) {
        if (files[i].skip)
            continue;
        struct wf_seen seen;
        seen.n = 0;
        rc.proj_dests = files[i].dests;
        for (size_t k = 0; k < (n_wf ? files[i].n_wf : files[i].a->n_workflows); k++) {
            const struct act_arazzo_workflow *wf =
                n_wf ? act_arazzo_find_workflow(files[i].a, files[i].wf[k])
                     : &files[i].a->workflows[k];
            if (wf && check_dests(&rc, wf, &seen, &st)) {
                ret = cli_exit_code(st);
                goto done;
            }
        }
    }
    /* The --report files, before the first request (each complete or absent at the end). */
    if ((ret = cli_reports_open(c, reports, n_reports)))
        goto done;
    st = ACT_OK;
    /* Then the documents run in order, one report for all; a run error stops there. */
    for (size_t i = 0; i < n_files && !st; i++) {
        if (files[i].skip)
            continue;
        cJSON *frep = NULL;
        o.workflows = n_wf ? files[i].wf : NULL;
        o.n_workflows = files[i].n_wf;
        rc.proj_dests = files[i].dests;
        act_error_init(&err);
        st = act_workflow_run(files[i].a, &o, &frep, &err);
        drop_targets(&rc);
        if (frep && (from_project ? act_process_report_merge(&rep, frep, files[i].written)
                                  : (rep = frep, 0))) {
            st = act_error_set(&err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            rc.reported = 0;
        }
    }
    if (rep) {
        act_process_report_write(stdout, fmt, rep, report_path, &rc.red);
        for (size_t i = 0; i < n_reports; i++)
            act_process_report_write(reports[i].f, reports[i].fmt, rep, report_path, &rc.red);
        ret = cli_reports_close(c, reports, n_reports);
    }
    if (st) {
        if (!rc.reported)
            cli_error(c, &err);
        ret = cli_exit_code(st);
    } else if (!ret && rep) {
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(rep, "summary");
        if (cJSON_GetObjectItemCaseSensitive(sum, "failed")->valueint)
            ret = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sum, "unreachable"))
                      ? CLI_EXIT_UNREACHABLE
                      : CLI_EXIT_FAILED;
    }
done:
    cli_reports_abort(reports, n_reports);
    drop_targets(&rc);
    act_connector_free(rc.conn);
    act_destset_free(rc.destset);
    act_redactor_release(&rc.red);
    cJSON_Delete(rep);
    cJSON_Delete(bad);
    cJSON_Delete(inputs);
    cJSON_Delete(dests);
    for (size_t i = 0; i < n_files; i++)
        act_arazzo_free(files[i].a);
    act_free(files);
    return ret;
}
