/*
 * cmd_mock.c - `actions mock`: serve a spec on loopback until SIGINT/SIGTERM.
 *
 *   actions mock [SPEC] [--host 127.0.0.1] [--port 3333] [--quiet] [--max-connections N] ...
 *
 * Prints "listening on http://HOST:PORT" on stdout once the socket is bound
 * (with --port 0, the port the system chose), then one line per request on
 * stderr. SIGINT and SIGTERM are blocked before the server's threads start,
 * so they inherit the mask and only this thread receives them (sigwait).
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/act_limits.h"
#include "mock/mock.h"

static const char usage[] =
    "usage: actions mock [SPEC] [--host ADDRESS] [--port PORT] [--quiet] [--valid-only]\n"
    "                    [--max-validation-steps N]\n"
    "                    [--max-connections N] [--max-buffered BYTES]\n"
    "                    [--validate-timeout SECONDS] [--idle-timeout SECONDS]\n"
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
    "  --max-connections N\n"
    "                   connections served at once, a thread each (default 512);\n"
    "                   one beyond them is closed at once\n"
    "  --max-buffered BYTES\n"
    "                   request bodies held at once over all connections (K, M, G\n"
    "                   suffixes; default 256M); a request beyond it is answered 503\n"
    "  --validate-timeout SECONDS\n"
    "                   time validating and answering one request may take (default\n"
    "                   2); beyond it the request is answered 503\n"
    "  --idle-timeout SECONDS\n"
    "                   a connection idle this long (a client withholding its request\n"
    "                   or body) is closed (default 30)\n"
    "\n"
    "Prints \"listening on http://ADDRESS:PORT\" on stdout, a log line per request\n"
    "(method, path, status, milliseconds) on stderr. Request bodies above 64 MiB are\n"
    "answered 413. Stops on SIGINT or SIGTERM.\n"
    "Exit codes: 0 stopped by a signal, 2 usage error, invalid spec, or the\n"
    "address cannot be bound (e.g. the port is in use).\n";

/* Called from any server thread: the line and its flush go out whole. */
static void log_line(void *arg, const char *line)
{
    (void)arg;
    flockfile(stderr);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
    funlockfile(stderr);
}

enum { OPT_CONNS = 256, OPT_MAXBUF, OPT_VTIMEOUT, OPT_ITIMEOUT };
CLI_OPTIONS(cli_mock_opts, {"host", required_argument, NULL, 'H'},
            {"port", required_argument, NULL, 'p'}, {"quiet", no_argument, NULL, 'q'},
            {"valid-only", no_argument, NULL, 'V'},
            {"max-validation-steps", required_argument, NULL, 'B'},
            {"max-connections", required_argument, NULL, OPT_CONNS},
            {"max-buffered", required_argument, NULL, OPT_MAXBUF},
            {"validate-timeout", required_argument, NULL, OPT_VTIMEOUT},
            {"idle-timeout", required_argument, NULL, OPT_ITIMEOUT});

int cmd_mock(int argc, char **argv, struct cli_ctx *c)
{
    const char *host = "127.0.0.1";
    long port = 3333, conns = ACT_MOCK_MAX_CONNECTIONS, validate_ms = ACT_MOCK_VALIDATE_MS;
    long idle_ms = ACT_MOCK_IDLE_TIMEOUT * 1000L;
    long long max_buffered = ACT_MOCK_MAX_BUFFERED;
    int quiet = 0, valid_only = 0, ch;
    unsigned long max_steps = 0;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "qh", options, usage);
    while ((ch = cli_getopt_next(&g)) > 0) {
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
        case OPT_CONNS: {
            char *end;
            conns = strtol(optarg, &end, 10);
            if (!*optarg || *end || conns < 1 || conns > 10000)
                return cli_usage_error(
                    c, "--max-connections needs a number from 1 to 10000, not \"%s\"", optarg);
            break;
        }
        case OPT_MAXBUF:
            if ((max_buffered = cli_parse_size(optarg)) < 0)
                return cli_usage_error(c,
                                       "--max-buffered expects a positive number of bytes (K, M, G "
                                       "suffixes allowed), not \"%s\"",
                                       optarg);
            break;
        case OPT_VTIMEOUT:
            if ((validate_ms = cli_parse_seconds(optarg)) < 0)
                return cli_usage_error(
                    c, "--validate-timeout expects a positive number of seconds, not \"%s\"",
                    optarg);
            break;
        case OPT_ITIMEOUT:
            if ((idle_ms = cli_parse_seconds(optarg)) < 0)
                return cli_usage_error(
                    c, "--idle-timeout expects a positive number of seconds, not \"%s\"", optarg);
            break;
        }
    }
    if (ch == 0)
        return g.rc;
    struct act_spec *spec;
    int rc = cli_spec_arg(c, argc, argv, 0, &spec);
    if (rc)
        return rc;

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
        .max_connections = (int)conns,
        .max_buffered = max_buffered,
        .validate_ms = validate_ms,
        .idle_timeout = (int)((idle_ms + 999) / 1000),
    };
    struct act_mock *m = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_mock_start(spec, &mo, &m, &err)) {
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
