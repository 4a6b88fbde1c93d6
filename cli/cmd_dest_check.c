/*
 * cmd_dest_check.c - `actions dest check NAME [--path PATH]`: the destination's
 * Check Connection.
 *
 * A GET to the destination URL (plus PATH), run by act_exchange: through the
 * connector for OnPremise, with the destination's authentication and
 * URL.headers/queries.
 * Any HTTP status below 500 means the backend was reached (a 401 still proves
 * the connection), reported in the platform's words; 500 and above, or no
 * answer at all, fail with exit 3.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "common/act_redact.h"
#include "runner/exchange.h"

static const char usage[] =
    "usage: actions dest check NAME [--path PATH] [--destinations PATH] [--connector FILE]\n"
    "                          [--timeout SECONDS] [--insecure] [--cacert FILE] [-v]\n"
    "\n"
    "Check Connection: send a GET to the destination URL (plus PATH), through the\n"
    "connector for OnPremise destinations. Any status below 500 is success:\n"
    "  Connection to \"NAME\" established. Response returned: \"401: Unauthorized\"\n"
    "500 and above, or no answer, fail (exit 3).\n"
    "\n"
    "  --path PATH          appended to the destination URL (default: none)\n"
    "  --destinations PATH  destinations file or directory\n"
    "  --connector FILE     connector file (for OnPremise destinations)\n"
    "  --timeout SECONDS    connect and total timeout (default 30)\n"
    "  --insecure           do not verify TLS certificates\n"
    "  --cacert FILE        CA certificates to verify the server with\n"
    "  -v, --verbose        print the request and response headers (secrets masked)\n";

enum { OPT_PATH = 256, OPT_DESTS, OPT_CONN, OPT_TIMEOUT, OPT_INSECURE, OPT_CACERT };

CLI_OPTIONS(cli_dest_check_opts, {"path", required_argument, NULL, OPT_PATH},
            {"destinations", required_argument, NULL, OPT_DESTS},
            {"connector", required_argument, NULL, OPT_CONN},
            {"timeout", required_argument, NULL, OPT_TIMEOUT},
            {"insecure", no_argument, NULL, OPT_INSECURE},
            {"cacert", required_argument, NULL, OPT_CACERT}, {"verbose", no_argument, NULL, 'v'});

static void print_masked(struct cli_ctx *c, const struct act_redactor *red, const char *prefix,
                         const char *text, size_t len, FILE *f)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_redact_text(red, text, len, &b) == ACT_OK)
        fprintf(f, "%s%s\n", prefix, b.data);
    else
        fprintf(f, "%s: error: out of memory\n", c->prog);
    act_buf_release(&b);
}

/* What -v prints: the request as sent, then the status line, masked. */
struct trace_ctx {
    struct cli_ctx *c;
    const struct act_redactor *red;
};

static void on_trace(void *ctx, const struct act_trace_event *ev)
{
    const struct trace_ctx *t = ctx;
    if (ev->kind != ACT_TRACE_RESPONSE)
        return;
    const struct act_http_resp *resp = ev->resp;
    print_masked(t->c, t->red, "", resp->sent.data, resp->sent.len, stderr);
    if (resp->status_line)
        print_masked(t->c, t->red, "< ", resp->status_line, strlen(resp->status_line), stderr);
}

int cmd_dest_check(int argc, char **argv, struct cli_ctx *c)
{
    const char *path = NULL, *dests_opt = NULL, *conn_opt = NULL;
    struct act_http_opts http = {0};
    int verbose = 0, opt, rc = CLI_EXIT_USAGE;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "vh", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        switch (opt) {
        case OPT_PATH: path = optarg; break;
        case OPT_DESTS: dests_opt = optarg; break;
        case OPT_CONN: conn_opt = optarg; break;
        case OPT_TIMEOUT:
            if (cli_parse_timeout(c, optarg, &http.timeout_ms))
                return CLI_EXIT_USAGE;
            break;
        case OPT_INSECURE: http.insecure = 1; break;
        case OPT_CACERT: http.cacert = optarg; break;
        case 'v': verbose = 1; break;
        }
    }
    if (opt == 0)
        return g.rc;
    if (cli_operands(c, argc, argv, 1, 1, "dest check needs a destination NAME"))
        return CLI_EXIT_USAGE;
    const char *name = argv[optind];
    if (http.cacert && access(http.cacert, R_OK) != 0)
        return cli_fail(c, "cannot read --cacert \"%s\": %s", http.cacert, strerror(errno));

    struct act_destset *ds = NULL;
    struct act_connector *conn = NULL;
    struct act_request *req = NULL;
    struct act_redactor red;
    struct act_http_resp resp;
    struct act_msgs problems, notes;
    struct act_error err;
    act_redactor_init(&red);
    act_http_resp_init(&resp);
    act_msgs_init(&problems);
    act_msgs_init(&notes);
    act_error_init(&err);

    enum act_status st = cli_load_dests(c, dests_opt, &ds);
    if (st) {
        rc = cli_exit_code(st);
        goto done;
    }
    const struct act_dest *d = cli_find_dest(c, ds, name);
    if (!d)
        goto done;
    if (act_dest_add_secrets(d, &red)) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    if (d->proxy == ACT_PROXY_ONPREMISE && (st = cli_load_connector(c, conn_opt, &conn))) {
        rc = cli_exit_code(st);
        goto done;
    }
    if (d->trust_all)
        http.insecure = 1;
    http.max_size = 1024 * 1024;

    /* GET URL (+ PATH) + URL.queries.*, with URL.headers.*. */
    if (act_exchange_dest_request(d, "GET", path, &req, &err)) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    struct trace_ctx tc = {c, &red};
    struct act_exchange_opts o = {
        .http = http,
        .dest = d,
        .conn = conn,
        .red = &red,
        .trace = on_trace,
        .trace_ctx = &tc,
        .trace_steps = verbose,
    };
    struct act_exchange_result res = {.resp = &resp, .problems = &problems, .notes = &notes};
    st = act_exchange(req, &o, &res, &err);
    /* A body over the cap still proves the backend answered. */
    if (!st && (res.outcome == ACT_OUTCOME_UNREACHABLE || (res.failure.status && !resp.status))) {
        err = res.failure;
        st = err.status;
    }
    if (st) {
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, buf, sizeof(buf));
        struct act_buf m;
        act_buf_init(&m);
        if (act_redact_text(&red, buf, strlen(buf), &m) == ACT_OK)
            fprintf(stderr, "%s: error: %s\n", c->prog, m.data);
        act_buf_release(&m);
        if (st == ACT_ERR_NETWORK)
            fprintf(stderr, "Connection to \"%s\" failed.\n", d->name);
        rc = cli_exit_code(st);
        goto done;
    }
    const char *reason = resp.reason && *resp.reason ? resp.reason : "";
    if (resp.status < 500) {
        printf("Connection to \"%s\" established. Response returned: \"%ld: %s\"\n", d->name,
               resp.status, reason);
        rc = CLI_EXIT_OK;
    } else {
        printf("Connection to \"%s\" failed. Response returned: \"%ld: %s\"\n", d->name,
               resp.status, reason);
        rc = CLI_EXIT_UNREACHABLE;
    }
done:
    act_request_free(req);
    act_http_resp_release(&resp);
    act_msgs_release(&problems);
    act_msgs_release(&notes);
    act_redactor_release(&red);
    act_connector_free(conn);
    act_destset_free(ds);
    return rc;
}
