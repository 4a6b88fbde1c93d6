/*
 * cmd_connector_check.c - `actions connector check`: Check availability of
 * internal host.
 *
 * A HEAD request to "/" on each mapped internal host (http or https per the
 * system's protocol), run by act_exchange without a destination. Any HTTP answer means Reachable;
 * no answer is Not Reachable with the reason. Exit 0 when every host is reachable, else 3.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "runner/exchange.h"

static const char usage[] =
    "usage: actions connector check [--connector FILE] [--timeout SECONDS] [--insecure]\n"
    "\n"
    "Check availability of internal host: a HEAD request to / on each mapped\n"
    "internal host, reported as Reachable or Not Reachable with the reason.\n"
    "Exit 0 when all are reachable, 3 otherwise.\n"
    "\n"
    "  --connector FILE     connector file\n"
    "  --timeout SECONDS    connect and total timeout per host (default 10)\n"
    "  --insecure           do not verify TLS certificates of HTTPS hosts\n";

enum { OPT_CONN = 256, OPT_TIMEOUT, OPT_INSECURE };

CLI_OPTIONS(cli_connector_check_opts, {"connector", required_argument, NULL, OPT_CONN},
            {"timeout", required_argument, NULL, OPT_TIMEOUT},
            {"insecure", no_argument, NULL, OPT_INSECURE});

int cmd_connector_check(int argc, char **argv, struct cli_ctx *c)
{
    const char *conn_opt = NULL;
    struct act_http_opts http = {0};
    int opt;
    http.timeout_ms = 10000;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        if (opt == OPT_CONN)
            conn_opt = optarg;
        else if (opt == OPT_TIMEOUT && cli_parse_timeout(c, optarg, &http.timeout_ms))
            return CLI_EXIT_USAGE;
        else if (opt == OPT_INSECURE)
            http.insecure = 1;
    }
    if (opt == 0)
        return g.rc;
    int rc = cli_operands(c, argc, argv, 0, 0, NULL);
    if (rc)
        return rc;

    struct act_connector *conn = NULL;
    enum act_status st = cli_load_connector(c, conn_opt, &conn);
    if (st)
        return cli_exit_code(st);
    int down = 0;
    struct act_buf url, virt, internal;
    struct act_http_resp resp;
    act_buf_init(&url);
    act_buf_init(&virt);
    act_buf_init(&internal);
    act_http_resp_init(&resp);
    for (size_t i = 0; i < conn->n; i++) {
        const struct act_system *s = &conn->v[i];
        const char *fmt = strchr(s->internal_host, ':') ? "[%s]:%d" : "%s:%d";
        act_buf_reset(&url);
        act_buf_reset(&virt);
        act_buf_reset(&internal);
        if (act_buf_printf(&internal, fmt, s->internal_host, s->internal_port) ||
            act_buf_printf(&virt, strchr(s->virtual_host, ':') ? "[%s]:%d" : "%s:%d",
                           s->virtual_host, s->virtual_port) ||
            act_buf_printf(&url, "%s://%s/", s->https ? "https" : "http", internal.data)) {
            st = ACT_ERR_NOMEM;
            break;
        }
        /* Borrowed strings: without a destination nothing rewrites the request. */
        struct act_request req = {.method = "HEAD", .url = url.data};
        struct act_msgs problems, notes;
        act_msgs_init(&problems);
        act_msgs_init(&notes);
        act_headers_init(&req.headers);
        struct act_exchange_opts o = {.http = http}; /* no destination: straight there */
        struct act_exchange_result res = {.resp = &resp, .problems = &problems, .notes = &notes};
        struct act_error err;
        act_error_init(&err);
        enum act_status hs = act_exchange(&req, &o, &res, &err);
        act_msgs_release(&problems);
        act_msgs_release(&notes);
        if (hs == ACT_ERR_NOMEM) {
            st = hs;
            break;
        }
        if (!hs && (res.outcome != ACT_OUTCOME_UNREACHABLE || resp.status)) {
            printf("%s -> %s  Reachable\n", virt.data, internal.data);
        } else {
            printf("%s -> %s  Not Reachable: %s\n", virt.data, internal.data,
                   hs ? err.msg : res.failure.msg);
            down++;
        }
    }
    act_http_resp_release(&resp);
    act_buf_release(&url);
    act_buf_release(&virt);
    act_buf_release(&internal);
    act_connector_free(conn);
    if (st)
        return cli_fail(c, "out of memory");
    return down ? CLI_EXIT_UNREACHABLE : CLI_EXIT_OK;
}
