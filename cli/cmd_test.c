/*
 * cmd_test.c - `actions test [SPEC] ACTION --dest NAME ...`: run one action
 * against a destination and check the response against the spec; with --all,
 * every action of the project (or a filtered, sharded part), optionally in
 * parallel worker processes, with a summary line.
 *
 * Steps: load spec, destination (and the connector for OnPremise); build the
 * request and validate it (nothing is sent when it is invalid); route it;
 * authenticate; optional CSRF handshake; send; check; report as text, JSON or
 * JUnit. Every string that leaves the process passes the redactor first, which
 * knows the destination's secrets and the token of this run.
 *
 * The command keeps options, printing and exit codes: the work is the runner's
 * (runner/run.c one action, record.c its record, batch.c --all, values.c --values);
 * the -v trace is in cmd_test_run.c, where the reports go in cmd_test_report.c, the
 * printing of --all in cmd_test_all.c (shared types: cmd_test.h).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"
#include "parser/openapi.h"
#include "runner/auth.h"

static const char usage[] =
    "usage: actions test [SPEC] ACTION --dest NAME [-p NAME=VALUE]... [-H 'Name: value']...\n"
    "                    [--body FILE|-] [--values FILE] [--fill] [--format FORMAT]\n"
    "                    [--report FORMAT=FILE]... [--quiet] [--timeout SECONDS] [--insecure]\n"
    "                    [--cacert FILE] [--max-size BYTES] [--any-dest] [-v]\n"
    "       actions test [SPEC] --all --dest NAME [--jobs N] [--shard K/N] [--method M]...\n"
    "                    [--tag TAG]... [--fail-fast] [-p NAME=VALUE]... [--values FILE]\n"
    "                    [--fill] [--format FORMAT] [--report FORMAT=FILE]... [--quiet] ...\n"
    "\n"
    "Build ACTION's request from the spec, send it to destination NAME and check the\n"
    "response: status declared, content type declared, JSON body valid against the schema,\n"
    "required headers present. --all runs every action of the project (or spec) and ends\n"
    "with a summary line.\n"
    "\n"
    "  -d, --dest NAME      the destination (see: actions dest list)\n"
    "  -p, --param N=V      a parameter value (repeat, or a,b,c, for arrays; JSON for objects);\n"
    "                       required ones without -p come from the spec's examples/defaults;\n"
    "                       with --all, given to every action that has a parameter N\n"
    "  -H, --header 'N: V'  an extra header (wins over the destination's URL.headers.*)\n"
    "  --body FILE|-        the JSON request body (default: the spec's example)\n"
    "  --values FILE        per-action values, YAML or JSON: {ACTION: {params: {N: V},\n"
    "                       headers: {N: V}, body: ANY}}; they win over -p and -H for\n"
    "                       their action, and body replaces the spec's example\n"
    "  --fill               required values with no -p and no example in the spec are\n"
    "                       generated from their schemas, and examples that do not match\n"
    "                       their schemas are replaced (for a mock: a real backend needs\n"
    "                       real values)\n"
    "  --all                every action; those that need a value nobody gave are skipped\n"
    "  --method M, --tag T  with --all: only these methods / tags (repeatable: any of them)\n"
    "  --jobs N             with --all: N actions at a time (default 1, at most 64)\n"
    "  --shard K/N          with --all: only the K-th of N equal parts (CI splits)\n"
    "  --fail-fast          with --all: start no action after one failed or was unreachable;\n"
    "                       the rest count as not run\n"
    "  -f, --format FORMAT  on stdout: text (default), json (one object), junit (XML),\n"
    "                       tap (TAP version 13) or html (one self-contained page)\n"
    "  --report FORMAT=FILE also write the report in FORMAT to FILE (repeatable)\n"
    "  --quiet              no progress line (--all) and no response body on a terminal\n"
    "  --timeout SECONDS    connect and total timeout (default 30)\n"
    "  --insecure           do not verify TLS certificates (also: TrustAll=true)\n"
    "  --cacert FILE        CA certificates to verify the server with\n"
    "  --max-size BYTES     largest response body accepted (default 64 MiB)\n"
    "  --max-validation-steps N  work budget of each body validation\n"
    "                       (default 10000000 + 2 per byte)\n"
    "  --any-dest           accept a destination without\n"
    "                       sap.applicationdevelopment.actions.enabled=true\n"
    "  --destinations PATH  destinations file or directory\n"
    "  --connector FILE     connector file (for OnPremise destinations)\n"
    "  -v, --verbose        print request and response headers (secrets masked) to stderr\n"
    "  --spec FILE          the spec, when not given as SPEC\n"
    "\n"
    "On a terminal, PASS and FAIL are coloured (not with NO_COLOR set or TERM=dumb) and\n"
    "--all shows a progress line. With GITHUB_ACTIONS=true each failed or unreachable\n"
    "action also prints a ::error workflow command (on stdout for text, else stderr).\n"
    "\n"
    "Exit: 0 passed, 1 checks failed (or invalid parameters/body), 2 usage or invalid\n"
    "file (or a report that could not be written), 3 backend not reachable. With --all:\n"
    "1 when any action failed, else 3 when any was unreachable, else 0 (skipped actions\n"
    "do not fail the run).\n";

enum {
    OPT_BODY = 256,
    OPT_TIMEOUT,
    OPT_INSECURE,
    OPT_CACERT,
    OPT_MAXSIZE,
    OPT_ANYDEST,
    OPT_DESTS,
    OPT_CONN,
    OPT_ALL,
    OPT_FILL,
    OPT_JOBS,
    OPT_SHARD,
    OPT_METHOD,
    OPT_TAG,
    OPT_REPORT,
    OPT_QUIET,
    OPT_FAILFAST,
    OPT_VALUES,
    OPT_STEPS
};

static const struct option options[] = {
    {"dest", required_argument, NULL, 'd'},
    {"param", required_argument, NULL, 'p'},
    {"header", required_argument, NULL, 'H'},
    {"body", required_argument, NULL, OPT_BODY},
    {"format", required_argument, NULL, 'f'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"max-size", required_argument, NULL, OPT_MAXSIZE},
    {"max-validation-steps", required_argument, NULL, OPT_STEPS},
    {"any-dest", no_argument, NULL, OPT_ANYDEST},
    {"destinations", required_argument, NULL, OPT_DESTS},
    {"connector", required_argument, NULL, OPT_CONN},
    {"all", no_argument, NULL, OPT_ALL},
    {"fill", no_argument, NULL, OPT_FILL},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"method", required_argument, NULL, OPT_METHOD},
    {"tag", required_argument, NULL, OPT_TAG},
    {"report", required_argument, NULL, OPT_REPORT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"fail-fast", no_argument, NULL, OPT_FAILFAST},
    {"values", required_argument, NULL, OPT_VALUES},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

const struct option *const cli_test_opts = options; /* for completion */

/* ----------------------------------------------------------- the command */

/* Read all of path ("-" = stdin) into *out (act_free), at most limit bytes. */
static int read_body(struct cli_ctx *c, const char *path, char **out, size_t *len)
{
    FILE *f = stdin;
    struct act_buf b;
    act_buf_init(&b);
    if (strcmp(path, "-") != 0) {
        int fd;
        size_t size;
        struct act_error err;
        act_error_init(&err);
        if (act_file_open(path, &fd, &size, &err))
            return cli_fail(c, "cannot read --body \"%s\": %s", path, err.msg);
        if (!(f = fdopen(fd, "rb"))) {
            close(fd);
            return cli_fail(c, "cannot open --body \"%s\": %s", path, strerror(errno));
        }
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > (size_t)ACT_MAX_BODY_BYTES || act_buf_add(&b, chunk, n)) {
            if (f != stdin)
                fclose(f);
            act_buf_release(&b);
            return cli_fail(c, "--body \"%s\" is larger than %lld bytes", path,
                            (long long)ACT_MAX_BODY_BYTES);
        }
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        act_buf_release(&b);
        return cli_fail(c, "cannot read --body \"%s\"", path);
    }
    *out = act_buf_detach(&b, len);
    return *out ? 0 : cli_fail(c, "out of memory");
}

/* "K/N" with 1 <= K <= N <= 10000 into *k, *n; -1 when malformed. */
static int parse_shard(const char *s, int *k, int *n)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || *end != '/')
        return -1;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (errno || end == t || *end || a < 1 || b < 1 || a > b || b > 10000)
        return -1;
    *k = (int)a;
    *n = (int)b;
    return 0;
}

static int has_method(const struct act_op *op, char **methods, size_t n_methods)
{
    if (n_methods == 0)
        return 1;
    for (size_t i = 0; i < n_methods; i++)
        if (strcasecmp(op->method, methods[i]) == 0)
            return 1;
    return 0;
}

/* A --format / --report format name; -1 when unknown. */
/* Is the environment variable name set to something other than ""? */
static int env_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

/* Is arg, given where ACTION stands alone, rather a spec file (an existing regular
 * file named .json, .yaml or .yml)? Then the ACTION is what is missing. */
static int looks_like_spec(const char *arg)
{
    const char *dot = strrchr(arg, '.');
    struct stat sb;
    return dot &&
           (strcmp(dot, ".json") == 0 || strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0) &&
           stat(arg, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A "Name: value" line -H accepts (checked once for --all, not per action). */
static int header_line_ok(const char *h)
{
    const char *colon = strchr(h, ':');
    return colon && colon != h && !strpbrk(h, "\r\n");
}

/* A step's result that lets the command go on (any other value is the exit code). */
#define GO_ON (-1)

/* What the command line says (strings borrowed from argv). */
struct test_opts {
    struct act_arg *params; /* -p NAME=VALUE */
    size_t n_params;
    const char **headers; /* -H lines */
    size_t n_headers;
    char **methods; /* --method */
    size_t n_methods;
    char **tags; /* --tag */
    size_t n_tags;
    const char *dest_name, *body_path, *dests_opt, *conn_opt, *values_path;
    const char *spec_path; /* SPEC, or NULL for the project's */
    const char *action;    /* ACTION (not with --all) */
    enum fmt fmt;
    int any_dest, all, fill, jobs, shard_k, shard_n;
    unsigned long max_steps; /* --max-validation-steps (0 = the default) */
};

static void opts_release(struct test_opts *o)
{
    act_free(o->params);
    act_free(o->headers);
    act_free(o->methods);
    act_free(o->tags);
}

/* Read the options into o, r's HTTP options and outs; GO_ON or the exit code. */
static int parse_options(int argc, char **argv, struct cli_ctx *c, struct test_opts *o,
                         struct run *r, struct outs *outs)
{
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "d:p:H:f:vh", options, NULL)) != -1) {
        switch (opt) {
        case 'd': o->dest_name = optarg; break;
        case 'p': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return cli_usage_error(c, "-p expects NAME=VALUE, got \"%s\"", optarg);
            *eq = '\0';
            o->params[o->n_params].name = optarg;
            o->params[o->n_params++].value = eq + 1;
            break;
        }
        case 'H': o->headers[o->n_headers++] = optarg; break;
        case OPT_BODY: o->body_path = optarg; break;
        case 'f': {
            enum act_report_fmt f;
            if (cli_parse_report_format(c, optarg, &f))
                return CLI_EXIT_USAGE;
            o->fmt = (enum fmt)f;
            break;
        }
        case OPT_REPORT: {
            struct cli_report *rp = &outs->reports[outs->n_reports];
            if (cli_parse_report(c, optarg, &rp->fmt, &rp->path))
                return CLI_EXIT_USAGE;
            outs->n_reports++;
            break;
        }
        case OPT_QUIET: outs->quiet = 1; break;
        case OPT_FAILFAST: outs->fail_fast = 1; break;
        case OPT_VALUES: o->values_path = optarg; break;
        case OPT_TIMEOUT:
            if (cli_parse_timeout(c, optarg, &r->a.http.timeout_ms))
                return CLI_EXIT_USAGE;
            break;
        case OPT_INSECURE: r->a.http.insecure = 1; break;
        case OPT_CACERT: r->a.http.cacert = optarg; break;
        case OPT_MAXSIZE:
            if (cli_parse_max_size(c, optarg, &r->a.http.max_size))
                return CLI_EXIT_USAGE;
            break;
        case OPT_STEPS: {
            int rc = cli_parse_steps(c, optarg, &o->max_steps);
            if (rc)
                return rc;
            break;
        }
        case OPT_ANYDEST: o->any_dest = 1; break;
        case OPT_DESTS: o->dests_opt = optarg; break;
        case OPT_CONN: o->conn_opt = optarg; break;
        case OPT_ALL: o->all = 1; break;
        case OPT_FILL: o->fill = 1; break;
        case OPT_JOBS: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 1 || n > ACT_MAX_TEST_JOBS)
                return cli_usage_error(c, "--jobs expects a number from 1 to %d, got \"%s\"",
                                       ACT_MAX_TEST_JOBS, optarg);
            o->jobs = (int)n;
            break;
        }
        case OPT_SHARD:
            if (parse_shard(optarg, &o->shard_k, &o->shard_n))
                return cli_usage_error(c, "--shard expects K/N with 1 <= K <= N, got \"%s\"",
                                       optarg);
            break;
        case OPT_METHOD: o->methods[o->n_methods++] = optarg; break;
        case OPT_TAG: o->tags[o->n_tags++] = optarg; break;
        case 'v': r->a.trace_steps = 1; break;
        case 'h': return cli_usage(c, usage, 0);
        default: return cli_bad_option(c, argc, argv, "d:p:H:f:vh", options);
        }
    }
    return GO_ON;
}

/* The options that go (or do not go) together, SPEC and ACTION; GO_ON or the exit code. */
static int check_usage(int argc, char **argv, struct cli_ctx *c, struct test_opts *o,
                       const struct run *r, const struct outs *outs)
{
    int npos = argc - optind;
    if (o->all && npos > 1)
        return cli_usage_error(c, "--all runs every action: give SPEC at most, no ACTION");
    if (!o->all && npos < 1)
        return cli_usage_error(c, "test needs an ACTION, or --all");
    if (!o->all && npos > 2)
        return cli_extra_arg(c, argv[optind + 2]);
    if (!o->all && npos == 1 && looks_like_spec(argv[optind]))
        return cli_usage_error(c, "test needs an ACTION after the spec \"%s\", or --all",
                               argv[optind]);
    if (!o->dest_name)
        return cli_usage_error(c, "test needs --dest NAME (%s dest list shows them)", c->prog);
    if (!o->all && (o->jobs != 1 || o->shard_n != 1 || o->n_methods || o->n_tags))
        return cli_usage_error(c, "--jobs, --shard, --method and --tag go with --all");
    if (!o->all && outs->fail_fast)
        return cli_usage_error(c, "--fail-fast goes with --all");
    if (o->all && o->body_path)
        return cli_usage_error(c,
                               "--body is for one ACTION: with --all each action sends the spec's "
                               "example (or, with --fill, a generated body)");
    for (size_t i = 0; o->all && i < o->n_headers; i++)
        if (!header_line_ok(o->headers[i]))
            return cli_usage_error(c, "-H expects 'Name: value' without CR or LF, got \"%s\"",
                                   o->headers[i]);
    if (r->a.http.cacert && cli_check_cacert(c, r->a.http.cacert))
        return CLI_EXIT_USAGE;
    o->spec_path = o->all ? (npos == 1 ? argv[optind] : NULL) : (npos == 2 ? argv[optind] : NULL);
    o->action = o->all ? NULL : argv[argc - 1];
    return GO_ON;
}

/*
 * The plan of --all: the --method/--tag filters, then the shard (position in
 * the filtered list), into *sel (act_free); every -p must name a parameter of
 * at least one planned action. GO_ON or the exit code.
 */
static int plan_all(struct cli_ctx *c, const struct act_spec *spec, const struct test_opts *o,
                    const struct act_op ***sel, size_t *n_sel)
{
    *sel = act_calloc(spec->n_ops ? spec->n_ops : 1, sizeof(**sel));
    if (!*sel)
        return cli_fail(c, "out of memory");
    size_t pos = 0;
    for (size_t i = 0; i < spec->n_ops; i++) {
        const struct act_op *op = &spec->ops[i];
        if (!has_method(op, o->methods, o->n_methods) || !cli_op_has_tag(op, o->tags, o->n_tags))
            continue;
        if (pos++ % (size_t)o->shard_n == (size_t)(o->shard_k - 1))
            (*sel)[(*n_sel)++] = op;
    }
    if (pos == 0) {
        if (o->n_methods || o->n_tags)
            return cli_fail(c, "no action of %s matches --method/--tag (see: %s list)",
                            spec->doc->path, c->prog);
        return cli_fail(c, "%s has no actions to test", spec->doc->path);
    }
    /* Each action's parameters are resolved once, marking the -p names they have. */
    char *used = act_calloc(o->n_params + 1, 1);
    if (!used)
        return cli_fail(c, "out of memory");
    struct act_job j = {o->params, o->n_params, NULL, 0, NULL, 0, NULL, 0};
    act_plan_params_used(spec, *sel, *n_sel, &j, used);
    int rc = GO_ON;
    for (size_t i = 0; i < o->n_params && *n_sel && rc == GO_ON; i++)
        if (!used[i])
            rc = cli_usage_error(c, "-p %s: no action of this run has a parameter \"%s\"",
                                 o->params[i].name, o->params[i].name);
    act_free(used);
    return rc;
}

/*
 * Load the destination (with its secrets into the redactor), check it may run
 * actions and its authentication, and load the connector an OnPremise
 * destination needs. GO_ON or the exit code.
 */
static int load_destination(struct cli_ctx *c, struct run *r, const struct test_opts *o,
                            struct act_destset **dests, struct act_connector **conn)
{
    struct act_error err;
    act_error_init(&err);
    enum act_status st = cli_load_dests(c, o->dests_opt, dests);
    if (st)
        return cli_exit_code(st);
    r->a.dest = cli_find_dest(c, *dests, o->dest_name);
    if (!r->a.dest)
        return CLI_EXIT_USAGE;
    if (act_run_seed_redactor(&r->a, o->headers, o->n_headers))
        return cli_fail(c, "out of memory");
    if (!r->a.dest->actions_enabled && !o->any_dest)
        return cli_fail(c,
                        "destination \"%s\" is not enabled for actions: set "
                        "sap.applicationdevelopment.actions.enabled=true in %s, or pass --any-dest "
                        "for plain, non-SAP use",
                        r->a.dest->name, r->a.dest->file ? r->a.dest->file : "its file");
    st = act_auth_check(r->a.dest, &err);
    if (st) {
        cli_error(c, &err);
        return CLI_EXIT_USAGE;
    }
    if (r->a.dest->trust_all)
        r->a.http.insecure = 1;
    r->a.http.follow_redirects = 0; /* by hand: follow_redirects() */
    if (r->a.dest->proxy == ACT_PROXY_ONPREMISE) {
        st = cli_load_connector(c, o->conn_opt, conn);
        if (st)
            return cli_exit_code(st);
        r->a.conn = *conn;
    }
    return GO_ON;
}

/* How the results look: colour and progress only on a terminal that can show them. */
static int open_outputs(struct cli_ctx *c, struct run *r, const struct test_opts *o,
                        struct outs *outs)
{
    outs->fmt = o->fmt;
    int dumb = getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0;
    outs->color = c->stdout_tty && !dumb && !env_set("NO_COLOR") && o->fmt == FMT_TEXT;
    /* -v traces go to the same terminal, from the workers too: no line to redraw then. */
    outs->progress = o->all && c->stdout_tty && !dumb && !outs->quiet && !r->a.trace_steps;
    outs->gha = getenv("GITHUB_ACTIONS") && strcmp(getenv("GITHUB_ACTIONS"), "true") == 0;
    for (size_t i = 0; i < outs->n_reports; i++)
        if (outs->reports[i].fmt == ACT_REPORT_HTML)
            r->a.details = 1;
    if (o->fmt == FMT_HTML)
        r->a.details = 1;
    return cli_reports_open(c, outs->reports, outs->n_reports) ? CLI_EXIT_USAGE : GO_ON;
}

/* Run r->a.op with the user's values (or its entry of --values) and report it. */
static int run_one(struct run *r, const struct act_job *j, const struct act_values *values,
                   struct act_job *vj, struct outs *outs)
{
    struct cli_ctx *c = r->c;
    struct act_error err;
    act_error_init(&err);
    const struct act_values_entry *ve = act_values_find(values, r->a.op);
    if (ve && ve->body && j->body_path)
        return cli_usage_error(c, "--body and a body in --values for \"%s\": give one",
                               r->a.op->id);
    if (ve && act_values_job(j, ve, vj))
        return cli_fail(c, "out of memory");
    enum act_status st = act_run_one(&r->a, ve ? vj : j, NULL, &err);
    if (st) {
        test_print_error(r, &err);
        return cli_exit_code(st);
    }
    if (r->a.outcome == ACT_OUTCOME_UNREACHABLE)
        test_print_error(r, &r->a.neterr);
    test_report(r, outs);
    int rc = r->a.outcome == ACT_OUTCOME_PASS          ? CLI_EXIT_OK
             : r->a.outcome == ACT_OUTCOME_UNREACHABLE ? CLI_EXIT_UNREACHABLE
                                                       : CLI_EXIT_FAILED;
    int wrc = cli_reports_close(c, outs->reports, outs->n_reports);
    return wrc ? wrc : rc;
}

int cmd_test(int argc, char **argv, struct cli_ctx *c)
{
    struct run r;
    memset(&r, 0, sizeof(r));
    act_run_init(&r.a);
    r.c = c;
    r.a.trace = test_on_trace;
    r.a.trace_ctx = &r;
    struct test_opts o = {
        .params = act_calloc((size_t)argc + 1, sizeof(*o.params)),
        .headers = act_calloc((size_t)argc + 1, sizeof(*o.headers)),
        .methods = act_calloc((size_t)argc + 1, sizeof(*o.methods)),
        .tags = act_calloc((size_t)argc + 1, sizeof(*o.tags)),
        .fmt = FMT_TEXT,
        .jobs = 1,
        .shard_k = 1,
        .shard_n = 1,
    };
    const struct act_op **sel = NULL;
    size_t n_sel = 0;
    struct outs outs;
    memset(&outs, 0, sizeof(outs));
    outs.reports = act_calloc((size_t)argc + 1, sizeof(*outs.reports));
    struct act_values *values = NULL;
    struct act_job vj;
    memset(&vj, 0, sizeof(vj));
    int rc = CLI_EXIT_USAGE;
    char *body = NULL;
    size_t body_len = 0;
    struct act_spec *spec = NULL;
    struct act_destset *dests = NULL;
    struct act_connector *conn = NULL;
    struct act_error err;
    act_error_init(&err);
    enum act_status st;
    if (!o.params || !o.headers || !o.methods || !o.tags || !outs.reports) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    if ((rc = parse_options(argc, argv, c, &o, &r, &outs)) != GO_ON ||
        (rc = check_usage(argc, argv, c, &o, &r, &outs)) != GO_ON)
        goto done;
    rc = CLI_EXIT_USAGE;
    if (o.body_path && read_body(c, o.body_path, &body, &body_len))
        goto done;

    st = cli_load_spec(c, o.spec_path, 0, &spec);
    if (st) {
        rc = cli_exit_code(st);
        goto done;
    }
    r.a.spec = spec;
    if (o.all) {
        if ((rc = plan_all(c, spec, &o, &sel, &n_sel)) != GO_ON)
            goto done;
        rc = CLI_EXIT_USAGE;
    } else if (!(r.a.op = cli_find_op(c, spec, o.action))) {
        goto done;
    }
    if (o.values_path) {
        st = act_values_load(o.values_path, spec, &values, &err);
        if (st) {
            cli_error(c, &err);
            rc = cli_exit_code(st);
            goto done;
        }
    }
    if ((rc = load_destination(c, &r, &o, &dests, &conn)) != GO_ON)
        goto done;
    /* The project's CSRF setting, read only when a modifying action may run. */
    for (size_t i = 0; i < (o.all ? n_sel : 1) && !r.a.csrf_path; i++) {
        const char *m = o.all ? sel[i]->method : r.a.op->method;
        struct act_project *p = NULL;
        if (strcasecmp(m, "GET") && strcasecmp(m, "HEAD") && strcasecmp(m, "OPTIONS") &&
            !cli_project(c, &p))
            r.a.csrf_path = act_run_csrf_path(p);
    }
    rc = CLI_EXIT_USAGE;
    if (act_validator_new(spec->docs, &r.a.v)) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    if ((rc = open_outputs(c, &r, &o, &outs)) != GO_ON)
        goto done;
    act_validator_set_max_steps(r.a.v, o.max_steps);

    struct act_job j = {o.params, o.n_params, o.headers,   o.n_headers,
                        body,     body_len,   o.body_path, o.fill};
    if (o.all) {
        struct act_plan p = {sel, n_sel, &j, values};
        r.tag_traces = 1;
        rc = test_run_all(&r, &p, o.jobs, &outs);
        if (rc != CLI_EXIT_USAGE) { /* else the run broke off: no report is renamed */
            int wrc = cli_reports_close(c, outs.reports, outs.n_reports);
            if (wrc)
                rc = wrc;
        }
    } else {
        rc = run_one(&r, &j, values, &vj, &outs);
    }

done:
    cli_reports_abort(outs.reports, outs.n_reports);
    act_free(outs.reports);
    act_free((void *)vj.params);
    act_free((void *)vj.headers);
    act_values_free(values);
    act_run_release(&r.a);
    act_validator_free(r.a.v);
    act_connector_free(conn);
    act_destset_free(dests);
    act_spec_free(spec);
    if (body) {
        memset(body, 0, body_len);
        act_free(body);
    }
    opts_release(&o);
    act_free(sel);
    return rc;
}
