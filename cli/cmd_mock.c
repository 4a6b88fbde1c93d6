/*
 * cmd_mock.c - `actions mock`: serve a spec on loopback until SIGINT/SIGTERM.
 *
 *   actions mock [SPEC] [--host 127.0.0.1] [--port 3333] [--quiet]
 *
 * Prints "listening on http://HOST:PORT" on stdout once the socket is bound
 * (with --port 0, the port the system chose), then one line per request on
 * stderr. SIGINT and SIGTERM are blocked before the server's thread starts,
 * so it inherits the mask and only this thread receives them (sigwait).
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mock/mock.h"

static const char usage[] =
    "usage: actions mock [SPEC] [--host ADDRESS] [--port PORT] [--quiet] [--valid-only]\n"
    "                    [--max-validation-steps N]\n"
    "\n"
    "Serve the spec: route each request by path and method, validate it (400 with\n"
    "a JSON list of errors), and answer the first declared 2XX response from its\n"
    "example, or an instance generated from its schema. `Prefer: code=404` and\n"
    "`Prefer: example=NAME` request headers choose another response or example.\n"
    "\n"
    "  --host ADDRESS   address to bind (default 127.0.0.1: loopback)\n"
    "  --port PORT      port to listen on (default 3333; 0 = any free port)\n"
    "  -q, --quiet      no log line per request\n"
    "  --valid-only     a spec example that does not match its schema is replaced by a\n"
    "                   generated body (default: served anyway, with a warning)\n"
    "  --max-validation-steps N  work budget of each request validation\n"
    "                   (default 10000000 + 2 per byte)\n"
    "\n"
    "Prints \"listening on http://ADDRESS:PORT\" on stdout, a log line per request\n"
    "(method, path, status, milliseconds) on stderr. Stops on SIGINT or SIGTERM.\n"
    "Exit codes: 0 stopped by a signal, 2 usage error, invalid spec, or the\n"
    "address cannot be bound (e.g. the port is in use).\n";

static void log_line(void *arg, const char *line)
{
    (void)arg;
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
}

static const struct option opts[] = {
    {"host", required_argument, NULL, 'H'},
    {"port", required_argument, NULL, 'p'},
    {"quiet", no_argument, NULL, 'q'},
    {"valid-only", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {"max-validation-steps", required_argument, NULL, 'B'},
    {NULL, 0, NULL, 0},
};
const struct option *const cli_mock_opts = opts; /* for completion */

int cmd_mock(int argc, char **argv, struct cli_ctx *c)
{
    const char *host = "127.0.0.1";
    long port = 3333;
    int quiet = 0, valid_only = 0, ch;
    unsigned long max_steps = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'H': host = optarg; break;
        case 'p': {
            char *end;
            port = strtol(optarg, &end, 10);
            if (!*optarg || *end || port < 0 || port > 65535)
                return cli_usage_error(c, "--port needs a number from 0 to 65535, not \"%s\"",
                                       optarg);
            break;
        }
        case 'q': quiet = 1; break;
        case 'V': valid_only = 1; break;
        case 'B':
            if (cli_parse_steps(c, optarg, &max_steps))
                return CLI_EXIT_USAGE;
            break;
        case 'h': return cli_usage(c, usage, 0);
        default: return cli_bad_option(c, argc, argv, "qh", opts);
        }
    }
    if (argc - optind > 1)
        return cli_extra_arg(c, argv[optind + 1]);
    struct act_spec *spec = NULL;
    enum act_status st = cli_load_spec(c, optind < argc ? argv[optind] : NULL, 0, &spec);
    if (st)
        return cli_exit_code(st);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    struct act_mock_opts mo = {
        .host = host,
        .port = (int)port,
        .log = quiet ? NULL : log_line,
        .valid_only = valid_only,
        .max_validation_steps = max_steps,
    };
    struct act_mock *m = NULL;
    struct act_error err;
    act_error_init(&err);
    st = act_mock_start(spec, &mo, &m, &err);
    if (st) {
        cli_error(c, &err);
        act_spec_free(spec);
        return CLI_EXIT_USAGE;
    }
    int v6 = strchr(host, ':') != NULL;
    printf("listening on http://%s%s%s:%d\n", v6 ? "[" : "", host, v6 ? "]" : "", act_mock_port(m));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    act_mock_free(m);
    act_spec_free(spec);
    return CLI_EXIT_OK;
}
