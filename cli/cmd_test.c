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
 * The run of one action is in cmd_test_run.c, the reports in
 * cmd_test_report.c, --all in cmd_test_all.c (shared types: cmd_test.h).
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
static int parse_fmt(const char *s, size_t len)
{
    static const char *const names[] = {"text", "json", "junit", "tap", "html"};
    for (int i = 0; i < 5; i++)
        if (strlen(names[i]) == len && strncmp(s, names[i], len) == 0)
            return i;
    return -1;
}

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

int cmd_test(int argc, char **argv, struct cli_ctx *c)
{
    struct run r;
    memset(&r, 0, sizeof(r));
    r.c = c;
    act_redactor_init(&r.red);
    act_http_resp_init(&r.resp);
    act_msgs_init(&r.problems);
    act_msgs_init(&r.notes);
    act_error_init(&r.neterr);
    struct act_arg *params = act_calloc((size_t)argc + 1, sizeof(*params));
    const char **headers = act_calloc((size_t)argc + 1, sizeof(*headers));
    char **methods = act_calloc((size_t)argc + 1, sizeof(*methods));
    char **tags = act_calloc((size_t)argc + 1, sizeof(*tags));
    const struct act_op **sel = NULL;
    struct outs outs;
    memset(&outs, 0, sizeof(outs));
    outs.reports = act_calloc((size_t)argc + 1, sizeof(*outs.reports));
    const char *values_path = NULL;
    struct values *values = NULL;
    struct job vj;
    memset(&vj, 0, sizeof(vj));
    size_t n_params = 0, n_headers = 0, n_methods = 0, n_tags = 0;
    const char *dest_name = NULL, *body_path = NULL, *dests_opt = NULL, *conn_opt = NULL;
    enum fmt fmt = FMT_TEXT;
    int any_dest = 0, all = 0, fill = 0, jobs = 1, shard_k = 1, shard_n = 1;
    unsigned long max_steps = 0; /* --max-validation-steps (0 = the default) */
    int rc = CLI_EXIT_USAGE, opt;
    char *body = NULL;
    size_t body_len = 0;
    struct act_spec *spec = NULL;
    struct act_destset *dests = NULL;
    struct act_connector *conn = NULL;
    struct act_error err;
    act_error_init(&err);
    if (!params || !headers || !methods || !tags || !outs.reports) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }

    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "d:p:H:f:vh", options, NULL)) != -1) {
        switch (opt) {
        case 'd': dest_name = optarg; break;
        case 'p': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) {
                rc = cli_usage_error(c, "-p expects NAME=VALUE, got \"%s\"", optarg);
                goto done;
            }
            *eq = '\0';
            params[n_params].name = optarg;
            params[n_params++].value = eq + 1;
            break;
        }
        case 'H': headers[n_headers++] = optarg; break;
        case OPT_BODY: body_path = optarg; break;
        case 'f': {
            int f = parse_fmt(optarg, strlen(optarg));
            if (f < 0) {
                rc = cli_usage_error(c, "unknown --format \"%s\" (text, json, junit, tap or html)",
                                     optarg);
                goto done;
            }
            fmt = (enum fmt)f;
            break;
        }
        case OPT_REPORT: {
            const char *eq = strchr(optarg, '=');
            int f = eq ? parse_fmt(optarg, (size_t)(eq - optarg)) : -1;
            if (f < 0 || !eq[1]) {
                rc = cli_fail(c,
                              "--report expects FORMAT=FILE with FORMAT text, json, junit, tap "
                              "or html, got \"%s\"",
                              optarg);
                goto done;
            }
            outs.reports[outs.n_reports].fmt = (enum fmt)f;
            outs.reports[outs.n_reports++].path = eq + 1;
            break;
        }
        case OPT_QUIET: outs.quiet = 1; break;
        case OPT_FAILFAST: outs.fail_fast = 1; break;
        case OPT_VALUES: values_path = optarg; break;
        case OPT_TIMEOUT:
            r.http.timeout_ms = cli_parse_seconds(optarg);
            if (r.http.timeout_ms < 0) {
                rc = cli_usage_error(
                    c, "--timeout expects a positive number of seconds, got \"%s\"", optarg);
                goto done;
            }
            break;
        case OPT_INSECURE: r.http.insecure = 1; break;
        case OPT_CACERT: r.http.cacert = optarg; break;
        case OPT_MAXSIZE:
            r.http.max_size = cli_parse_size(optarg);
            if (r.http.max_size < 0) {
                rc = cli_fail(c,
                              "--max-size expects a positive number of bytes (K, M, G "
                              "suffixes allowed), got \"%s\"",
                              optarg);
                goto done;
            }
            break;
        case OPT_STEPS:
            if ((rc = cli_parse_steps(c, optarg, &max_steps)))
                goto done;
            break;
        case OPT_ANYDEST: any_dest = 1; break;
        case OPT_DESTS: dests_opt = optarg; break;
        case OPT_CONN: conn_opt = optarg; break;
        case OPT_ALL: all = 1; break;
        case OPT_FILL: fill = 1; break;
        case OPT_JOBS: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 1 || n > ACT_MAX_TEST_JOBS) {
                rc = cli_usage_error(c, "--jobs expects a number from 1 to %d, got \"%s\"",
                                     ACT_MAX_TEST_JOBS, optarg);
                goto done;
            }
            jobs = (int)n;
            break;
        }
        case OPT_SHARD:
            if (parse_shard(optarg, &shard_k, &shard_n)) {
                rc = cli_usage_error(c, "--shard expects K/N with 1 <= K <= N, got \"%s\"", optarg);
                goto done;
            }
            break;
        case OPT_METHOD: methods[n_methods++] = optarg; break;
        case OPT_TAG: tags[n_tags++] = optarg; break;
        case 'v': r.verbose = 1; break;
        case 'h': rc = cli_usage(c, usage, 0); goto done;
        default: rc = cli_bad_option(c, argc, argv, "d:p:H:f:vh", options); goto done;
        }
    }
    int npos = argc - optind;
    if (all && npos > 1) {
        rc = cli_usage_error(c, "--all runs every action: give SPEC at most, no ACTION");
        goto done;
    }
    if (!all && npos < 1) {
        rc = cli_usage_error(c, "test needs an ACTION, or --all");
        goto done;
    }
    if (!all && npos > 2) {
        rc = cli_extra_arg(c, argv[optind + 2]);
        goto done;
    }
    if (!all && npos == 1 && looks_like_spec(argv[optind])) {
        rc = cli_usage_error(c, "test needs an ACTION after the spec \"%s\", or --all",
                             argv[optind]);
        goto done;
    }
    if (!dest_name) {
        rc = cli_usage_error(c, "test needs --dest NAME (%s dest list shows them)", c->prog);
        goto done;
    }
    if (!all && (jobs != 1 || shard_n != 1 || n_methods || n_tags)) {
        rc = cli_usage_error(c, "--jobs, --shard, --method and --tag go with --all");
        goto done;
    }
    if (!all && outs.fail_fast) {
        rc = cli_usage_error(c, "--fail-fast goes with --all");
        goto done;
    }
    if (all && body_path) {
        rc = cli_usage_error(c, "--body is for one ACTION: with --all each action sends the spec's "
                                "example (or, with --fill, a generated body)");
        goto done;
    }
    for (size_t i = 0; all && i < n_headers; i++)
        if (!header_line_ok(headers[i])) {
            rc = cli_usage_error(c, "-H expects 'Name: value' without CR or LF, got \"%s\"",
                                 headers[i]);
            goto done;
        }
    if (r.http.cacert && access(r.http.cacert, R_OK) != 0) {
        rc = cli_fail(c, "cannot read --cacert \"%s\": %s", r.http.cacert, strerror(errno));
        goto done;
    }
    const char *spec_path =
        all ? (npos == 1 ? argv[optind] : NULL) : (npos == 2 ? argv[optind] : NULL);
    if (body_path && read_body(c, body_path, &body, &body_len))
        goto done;

    enum act_status st = cli_load_spec(c, spec_path, 0, &spec);
    if (st) {
        rc = cli_exit_code(st);
        goto done;
    }
    r.spec = spec;
    size_t n_sel = 0;
    if (all) {
        /* The plan: filters, then the shard (position in the filtered list). */
        sel = act_calloc(spec->n_ops ? spec->n_ops : 1, sizeof(*sel));
        if (!sel) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
        size_t pos = 0;
        for (size_t i = 0; i < spec->n_ops; i++) {
            const struct act_op *op = &spec->ops[i];
            if (!has_method(op, methods, n_methods) || !cli_op_has_tag(op, tags, n_tags))
                continue;
            if (pos++ % (size_t)shard_n == (size_t)(shard_k - 1))
                sel[n_sel++] = op;
        }
        if (pos == 0) {
            if (n_methods || n_tags)
                rc = cli_fail(c, "no action of %s matches --method/--tag (see: %s list)",
                              spec->doc->path, c->prog);
            else
                rc = cli_fail(c, "%s has no actions to test", spec->doc->path);
            goto done;
        }
        /* Every -p must mean something to at least one action of the run: each
         * action's parameters are resolved once, marking the -p names they have. */
        char *used = act_calloc(n_params + 1, 1);
        if (!used) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
        size_t n_used = 0;
        for (size_t k = 0; k < n_sel && n_used < n_params; k++) {
            struct act_param *ps = NULL;
            size_t np = 0;
            if (act_spec_op_params(spec, sel[k], &ps, &np, &err)) {
                act_error_init(&err);
                continue;
            }
            for (size_t i = 0; i < n_params; i++)
                for (size_t m = 0; !used[i] && m < np; m++)
                    if (strcmp(ps[m].name, params[i].name) == 0) {
                        used[i] = 1;
                        n_used++;
                    }
            act_free(ps);
        }
        for (size_t i = 0; i < n_params && n_sel; i++)
            if (!used[i]) {
                rc = cli_usage_error(c, "-p %s: no action of this run has a parameter \"%s\"",
                                     params[i].name, params[i].name);
                act_free(used);
                goto done;
            }
        act_free(used);
    } else {
        r.op = cli_find_op(c, spec, argv[argc - 1]);
        if (!r.op)
            goto done;
    }
    if (values_path) {
        st = test_values_load(values_path, spec, &values, &err);
        if (st) {
            cli_error(c, &err);
            rc = cli_exit_code(st);
            goto done;
        }
    }

    st = cli_load_dests(c, dests_opt, &dests);
    if (st) {
        rc = cli_exit_code(st);
        goto done;
    }
    r.dest = cli_find_dest(c, dests, dest_name);
    if (!r.dest)
        goto done;
    if (act_dest_add_secrets(r.dest, &r.red)) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    /* A secret given with -H (Authorization, an API key) is masked wherever it shows up. */
    for (size_t i = 0; i < n_headers; i++) {
        const char *colon = strchr(headers[i], ':');
        if (!colon ||
            !act_redact_is_secret_header(&r.red, headers[i], (size_t)(colon - headers[i])))
            continue;
        const char *val = colon + 1;
        while (*val == ' ' || *val == '\t')
            val++;
        const char *sp = strchr(val, ' ');
        if (act_redactor_add_secret(&r.red, val) ||
            (sp && act_redactor_add_secret(&r.red, sp + 1))) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
    }
    /* The spec's apiKey names carry secrets whatever they are called. */
    const cJSON *schemes = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(spec->doc->root, "components"), "securitySchemes");
    for (const cJSON *sc = cJSON_IsObject(schemes) ? schemes->child : NULL; sc; sc = sc->next) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(sc, "type");
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(sc, "in");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(sc, "name");
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "apiKey") != 0 ||
            !cJSON_IsString(in) || !cJSON_IsString(nm))
            continue;
        enum act_status rs = strcmp(in->valuestring, "query") == 0
                                 ? act_redactor_add_query(&r.red, nm->valuestring)
                                 : act_redactor_add_header(&r.red, nm->valuestring);
        if (rs) {
            rc = cli_fail(c, "out of memory");
            goto done;
        }
    }
    if (!r.dest->actions_enabled && !any_dest) {
        rc = cli_fail(c,
                      "destination \"%s\" is not enabled for actions: set "
                      "sap.applicationdevelopment.actions.enabled=true in %s, or pass --any-dest "
                      "for plain, non-SAP use",
                      r.dest->name, r.dest->file ? r.dest->file : "its file");
        goto done;
    }
    st = act_auth_check(r.dest, &err);
    if (st) {
        cli_error(c, &err);
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    if (r.dest->trust_all)
        r.http.insecure = 1;
    r.http.follow_redirects = 0; /* by hand: follow_redirects() */
    if (r.dest->proxy == ACT_PROXY_ONPREMISE) {
        st = cli_load_connector(c, conn_opt, &conn);
        if (st) {
            rc = cli_exit_code(st);
            goto done;
        }
        r.conn = conn;
    }

    st = act_validator_new(spec->docs, &r.v);
    if (st) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    /* How the results look: colour and progress only on a terminal that can show them. */
    outs.fmt = fmt;
    int dumb = getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0;
    outs.color = c->stdout_tty && !dumb && !env_set("NO_COLOR") && fmt == FMT_TEXT;
    /* -v traces go to the same terminal, from the workers too: no line to redraw then. */
    outs.progress = all && c->stdout_tty && !dumb && !outs.quiet && !r.verbose;
    outs.gha = getenv("GITHUB_ACTIONS") && strcmp(getenv("GITHUB_ACTIONS"), "true") == 0;
    for (size_t i = 0; i < outs.n_reports; i++)
        if (outs.reports[i].fmt == FMT_HTML)
            r.details = 1;
    if (fmt == FMT_HTML)
        r.details = 1;
    if (test_reports_open(c, &outs))
        goto done;
    act_validator_set_max_steps(r.v, max_steps);

    struct job j = {params, n_params, headers, n_headers, body, body_len, body_path, fill};
    if (all) {
        struct plan p = {sel, n_sel, &j, values};
        r.tag_traces = 1;
        rc = test_run_all(&r, &p, jobs, &outs);
        if (rc != CLI_EXIT_USAGE) { /* else the run broke off: no report is renamed */
            int wrc = test_reports_close(c, &outs);
            if (wrc)
                rc = wrc;
        }
        goto done;
    }

    const struct values_entry *ve = test_values_find(values, r.op);
    if (ve && ve->body && body_path) {
        rc = cli_usage_error(c, "--body and a body in --values for \"%s\": give one", r.op->id);
        goto done;
    }
    if (ve && test_values_job(&j, ve, &vj)) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    st = test_run_one(&r, ve ? &vj : &j, NULL, &err);
    if (st) {
        test_print_error(&r, &err);
        rc = cli_exit_code(st);
        goto done;
    }
    if (r.outcome == OUT_UNREACHABLE)
        test_print_error(&r, &r.neterr);
    test_report(&r, &outs);
    rc = r.outcome == OUT_PASS          ? CLI_EXIT_OK
         : r.outcome == OUT_UNREACHABLE ? CLI_EXIT_UNREACHABLE
                                        : CLI_EXIT_FAILED;
    int wrc = test_reports_close(c, &outs);
    if (wrc)
        rc = wrc;

done:
    test_reports_abort(&outs);
    act_free(outs.reports);
    act_free((void *)vj.params);
    act_free((void *)vj.headers);
    test_values_free(values);
    test_run_reset(&r);
    act_validator_free(r.v);
    act_redactor_release(&r.red);
    act_auth_session_release(&r.auth);
    act_connector_free(conn);
    act_destset_free(dests);
    act_spec_free(spec);
    if (body) {
        memset(body, 0, body_len);
        act_free(body);
    }
    act_free(params);
    act_free(headers);
    act_free(methods);
    act_free(tags);
    act_free(sel);
    return rc;
}
