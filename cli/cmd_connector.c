/*
 * cmd_connector.c - `actions connector list | check`.
 *
 * A verb table as in cmd_dest.c: `connector VERB ARGS...` runs the row named
 * VERB with argv[0] = VERB. To add a verb, define
 * `int cmd_connector_VERB(int argc, char **argv, struct cli_ctx *c)` in its own
 * file, declare it in cli.h and add one row below.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static int connector_list(int argc, char **argv, struct cli_ctx *c);

CLI_VERBS(cli_connector_verbs, cli_connector_n_verbs,
          {"list", connector_list, "list system mappings and their resources (policy, active)",
           &cli_connector_opts},
          {"check", cmd_connector_check, "HEAD / on each internal host: Reachable or Not Reachable",
           &cli_connector_check_opts});

static const char usage[] =
    "usage: actions connector VERB [ARGS]... [--connector PATH]\n"
    "\n"
    "The connector maps virtual hosts (named by OnPremise destinations) to internal\n"
    "hosts and admits only the paths its resources allow. It is read from\n"
    "--connector PATH, $ACTIONS_CONNECTOR, the project file's \"connector\",\n"
    "./connector.yaml or $XDG_CONFIG_HOME/actions/connector.yaml, in that order.\n"
    "\n"
    "Verbs:\n";

static const char list_usage[] =
    "usage: actions connector list [--connector PATH] [--format text|json]\n"
    "\n"
    "List each system mapping (virtual host:port -> internal host:port, protocol,\n"
    "location, Host header) and its resources (path, policy, active).\n"
    "\n"
    "  --connector PATH  the connector file\n"
    "  --format FORMAT   text (default) or json\n";

CLI_OPTIONS(cli_connector_opts, /* connector list */ {"connector", required_argument, NULL, 'c'},
            {"format", required_argument, NULL, 'f'});

static const char *policy_name(enum act_policy p)
{
    return p == ACT_POLICY_PATH_SUBPATHS ? "path-and-subpaths" : "path-only";
}

static cJSON *to_json(const struct act_connector *conn)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < conn->n; i++) {
        const struct act_system *s = &conn->v[i];
        cJSON *o = cJSON_CreateObject(), *res;
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddStringToObject(o, "virtualHost", s->virtual_host);
        cJSON_AddNumberToObject(o, "virtualPort", s->virtual_port);
        cJSON_AddStringToObject(o, "internalHost", s->internal_host);
        cJSON_AddNumberToObject(o, "internalPort", s->internal_port);
        cJSON_AddStringToObject(o, "protocol", s->https ? "HTTPS" : "HTTP");
        if (s->location_id)
            cJSON_AddStringToObject(o, "locationId", s->location_id);
        else
            cJSON_AddNullToObject(o, "locationId");
        cJSON_AddStringToObject(o, "hostInHeader", s->host_internal ? "internal" : "virtual");
        cJSON_AddNumberToObject(o, "line", s->line);
        res = cJSON_AddArrayToObject(o, "resources");
        for (size_t k = 0; res && k < s->n_res; k++) {
            cJSON *r = cJSON_CreateObject();
            if (!r)
                break;
            cJSON_AddItemToArray(res, r);
            cJSON_AddStringToObject(r, "path", s->res[k].path);
            cJSON_AddStringToObject(r, "policy", policy_name(s->res[k].policy));
            cJSON_AddBoolToObject(r, "active", s->res[k].active);
            cJSON_AddNumberToObject(r, "line", s->res[k].line);
        }
    }
    return arr;
}

static void print_text(const struct act_connector *conn)
{
    for (size_t i = 0; i < conn->n; i++) {
        const struct act_system *s = &conn->v[i];
        if (i)
            putchar('\n');
        printf("%s:%d -> %s:%d  %s  location: %s  host header: %s  (%s:%d)\n", s->virtual_host,
               s->virtual_port, s->internal_host, s->internal_port, s->https ? "HTTPS" : "HTTP",
               s->location_id ? s->location_id : "(default)",
               s->host_internal ? "internal" : "virtual", conn->file, s->line);
        if (s->n_res == 0) {
            puts("  no resources: no path is accessible");
            continue;
        }
        int w = 8;
        for (size_t k = 0; k < s->n_res; k++)
            if ((int)strlen(s->res[k].path) > w)
                w = (int)strlen(s->res[k].path);
        printf("  %-*s  %-17s  %s\n", w, "RESOURCE", "POLICY", "ACTIVE");
        for (size_t k = 0; k < s->n_res; k++)
            printf("  %-*s  %-17s  %s\n", w, s->res[k].path, policy_name(s->res[k].policy),
                   s->res[k].active ? "yes" : "no");
    }
}

static int connector_list(int argc, char **argv, struct cli_ctx *c)
{
    const char *cpath = NULL;
    int opt, json = 0, rc;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, list_usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        if (opt == 'c')
            cpath = optarg;
        else if (opt == 'f' && (rc = cli_parse_format(c, optarg, "text", &json)))
            return rc;
    }
    if (opt == 0)
        return g.rc;
    if ((rc = cli_operands(c, argc, argv, 0, 0, NULL)))
        return rc;
    struct act_connector *conn;
    enum act_status st = cli_load_connector(c, cpath, &conn);
    if (st)
        return cli_exit_code(st);
    if (json) {
        cJSON *arr = to_json(conn);
        if (arr)
            cli_print_json(stdout, arr);
        else
            st = ACT_ERR_NOMEM;
        cJSON_Delete(arr);
    } else if (conn->n == 0) {
        fprintf(stderr, "%s: no system mappings in %s\n", c->prog, conn->file);
    } else {
        print_text(conn);
    }
    if (st)
        cli_fail(c, "out of memory");
    act_connector_free(conn);
    return cli_exit_code(st);
}

int cmd_connector(int argc, char **argv, struct cli_ctx *c)
{
    return cli_run_verb(c, "connector", usage, verbs, cli_connector_n_verbs, argc, argv);
}
