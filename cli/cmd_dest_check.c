/*
 * cmd_dest_check.c - `actions dest check NAME [--path PATH]`: the destination's
 * Check Connection.
 *
 * A GET to the destination URL (plus PATH), through the connector for
 * OnPremise, with the destination's authentication and URL.headers/queries.
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
#include "runner/auth.h"
#include "runner/check.h"
#include "runner/route.h"
#include "runner/http.h"
#include "runner/request.h"

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

static const struct option options[] = {
    {"path", required_argument, NULL, OPT_PATH},
    {"destinations", required_argument, NULL, OPT_DESTS},
    {"connector", required_argument, NULL, OPT_CONN},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const struct option *const cli_dest_check_opts = options; /* for completion */

static void print_masked(struct cli_ctx *c, const struct act_redactor *red, const char *prefix,
                         const char *text, size_t len, FILE *f)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_redact_text(red, text, len, &b) == ACT_OK)
        fprintf(f, "%s%s%s\n", prefix, prefix[0] ? "" : "", b.data);
    else
        fprintf(f, "%s: error: out of memory\n", c->prog);
    act_buf_release(&b);
}

int cmd_dest_check(int argc, char **argv, struct cli_ctx *c)
{
    const char *path = NULL, *dests_opt = NULL, *conn_opt = NULL;
    struct act_http_opts http = {0};
    int verbose = 0, opt, rc = CLI_EXIT_USAGE;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "vh", options, NULL)) != -1) {
        switch (opt) {
        case OPT_PATH: path = optarg; break;
        case OPT_DESTS: dests_opt = optarg; break;
        case OPT_CONN: conn_opt = optarg; break;
        case OPT_TIMEOUT:
            if ((http.timeout_ms = cli_parse_seconds(optarg)) < 0)
                return cli_usage_error(
                    c, "--timeout expects a positive number of seconds, got \"%s\"", optarg);
            break;
        case OPT_INSECURE: http.insecure = 1; break;
        case OPT_CACERT: http.cacert = optarg; break;
        case 'v': verbose = 1; break;
        case 'h': return cli_usage(c, usage, 0);
        default: return cli_bad_option(c, argc, argv, "vh", options);
        }
    }
    if (argc - optind < 1)
        return cli_usage_error(c, "dest check needs a destination NAME");
    if (argc - optind > 1)
        return cli_extra_arg(c, argv[optind + 1]);
    const char *name = argv[optind];
    if (http.cacert && access(http.cacert, R_OK) != 0)
        return cli_fail(c, "cannot read --cacert \"%s\": %s", http.cacert, strerror(errno));

    struct act_destset *ds = NULL;
    struct act_connector *conn = NULL;
    struct act_redactor red;
    struct act_headers h;
    struct act_buf url;
    struct act_route route;
    struct act_http_resp resp;
    struct act_error err, cause;
    act_redactor_init(&red);
    act_headers_init(&h);
    act_buf_init(&url);
    act_route_init(&route);
    act_http_resp_init(&resp);
    act_error_init(&err);
    act_error_init(&cause);

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

    /* URL (+ PATH) + URL.queries.*, then the headers. */
    st = path ? act_url_join(&url, d->url, path) : act_buf_adds(&url, d->url);
    for (size_t i = 0; !st && i < d->n_queries; i++) {
        st = act_buf_addc(
            &url, i == 0 && !strchr(d->url, '?') && !(path && strchr(path, '?')) ? '?' : '&');
        if (!st)
            st = act_url_encode(&url, d->queries[i].name, strlen(d->queries[i].name),
                                ACT_URL_QUERY_NAME_KEEP);
        if (!st)
            st = act_buf_addc(&url, '=');
        if (!st)
            st = act_url_encode(&url, d->queries[i].value, strlen(d->queries[i].value), NULL);
    }
    for (size_t i = 0; !st && i < d->n_headers; i++)
        st = act_headers_set(&h, d->headers[i].name, d->headers[i].value);
    if (st) {
        rc = cli_fail(c, "out of memory");
        goto done;
    }
    st = act_auth_apply(d, &http, &h, NULL, &err);
    if (!st) {
        const char *auth = act_headers_get(&h, "Authorization");
        const char *sp = auth ? strchr(auth, ' ') : NULL;
        if (sp && act_redactor_add_secret(&red, sp + 1))
            st = act_error_set(&err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (!st)
        st = act_route_resolve(d, conn, NULL, url.data, &route, &err);
    if (!st && act_route_headers(&route, &h))
        st = act_error_set(&err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!st) {
        http.use_env_proxy = route.use_env_proxy;
        http.trace = verbose;
        http.redact = &red; /* the reason phrase comes back masked */
        struct act_http_req req = {"GET", route.url, &h, NULL, 0};
        st = act_http_perform(&req, &http, &resp, &cause);
        if (verbose) {
            print_masked(c, &red, "", resp.sent.data, resp.sent.len, stderr);
            if (resp.status_line)
                print_masked(c, &red, "< ", resp.status_line, strlen(resp.status_line), stderr);
        }
        /* A body over the cap still proves the backend answered. */
        if (st == ACT_ERR_LIMIT && resp.status)
            st = ACT_OK;
        if (st)
            act_route_failure(&route, &cause, &err);
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
    act_http_resp_release(&resp);
    act_route_release(&route);
    act_buf_release(&url);
    act_headers_release(&h);
    act_redactor_release(&red);
    act_connector_free(conn);
    act_destset_free(ds);
    return rc;
}
