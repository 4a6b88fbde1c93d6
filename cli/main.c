/*
 * main.c - the command table and everything commands share: exit codes,
 * error printing, finding the project file and the spec.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"

#ifndef ACT_VERSION
#define ACT_VERSION "0.1.0"
#endif

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv, struct cli_ctx *c);
    const char *summary;
} commands[] = {
    {"list", cmd_list, "list the actions (operations) of a spec"},
    {"show", cmd_show, "show one action: parameters, request body, responses, security"},
    {"lint", cmd_lint, "check a spec for structural problems"},
    {"dest", cmd_dest, "list and show destinations (dest list | show NAME | check NAME)"},
    {"connector", cmd_connector, "list the connector's system mappings and resources"},
    {"test", cmd_test, "run an action against a destination and check the response"},
    {"validate", cmd_validate, "validate JSON instances against a schema or a declared response"},
    {"mock", cmd_mock, "serve a spec: answer from its examples, validate requests"},
};

static const char main_usage[] = "usage: actions COMMAND [ARGS]...\n"
                                 "       actions --help | --version ; actions COMMAND --help\n"
                                 "\n"
                                 "Turns an OpenAPI 3.0 spec into runnable, testable actions.\n"
                                 "\n"
                                 "Commands:\n";

static const char main_usage_tail[] =
    "\n"
    "SPEC may be omitted when --spec FILE, $ACTIONS_SPEC or a project file\n"
    "(actions.yaml or actions.json here or in a parent directory) names it.\n"
    "\n"
    "Exit codes: 0 passed, 1 an action failed its checks, 2 usage error or invalid\n"
    "input file, 3 backend not reachable.\n";

int cli_exit_code(enum act_status st)
{
    switch (st) {
    case ACT_OK: return CLI_EXIT_OK;
    case ACT_ERR_CHECK: return CLI_EXIT_FAILED;
    case ACT_ERR_NETWORK: return CLI_EXIT_UNREACHABLE;
    default: return CLI_EXIT_USAGE;
    }
}

void cli_error(struct cli_ctx *c, const struct act_error *err)
{
    char buf[ACT_ERROR_MSG_MAX * 3];
    act_error_format(err, buf, sizeof(buf));
    fprintf(stderr, "%s: error: %s\n", c->prog, buf);
}

int cli_fail(struct cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: error: ", c->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

void cli_warn(struct cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: warning: ", c->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage(struct cli_ctx *c, const char *usage, int to_stderr)
{
    (void)c;
    fputs(usage, to_stderr ? stderr : stdout);
    return to_stderr ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

int cli_term_width(struct cli_ctx *c)
{
    if (!c->stdout_tty)
        return 0;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    if (cols && atoi(cols) > 0)
        return atoi(cols);
    return 80;
}

enum act_status cli_project(struct cli_ctx *c, struct act_project **out)
{
    *out = c->project;
    if (c->project_looked)
        return ACT_OK;
    c->project_looked = 1;
    char *path = NULL;
    enum act_status st = act_project_find(".", &path);
    if (st == ACT_ERR_NOTFOUND)
        return ACT_OK;
    if (st)
        return st;
    struct act_error err;
    act_error_init(&err);
    st = act_project_load(path, &c->project, &err);
    act_free(path);
    if (st) {
        cli_error(c, &err);
        return st;
    }
    *out = c->project;
    return ACT_OK;
}

static int listed(const struct act_op *op, void *arg)
{
    for (const cJSON *a = ((const cJSON *)arg)->child; a; a = a->next)
        if (strcmp(a->valuestring, op->id) == 0)
            return 1;
    return 0;
}

/* Keep only the operations the project exposes, in spec order. */
static enum act_status filter_ops(struct cli_ctx *c, struct act_spec *spec)
{
    const cJSON *list = c->project->actions;
    for (const cJSON *a = list->child; a; a = a->next) {
        if (!act_spec_find_op(spec, a->valuestring)) {
            struct act_error err;
            act_error_init(&err);
            act_error_set(&err, ACT_ERR_INVALID, c->project->doc->path, 0, 0,
                          "project lists action \"%s\", which is not in %s", a->valuestring,
                          spec->doc->path);
            act_error_at_node(&err, c->project->doc, a);
            cli_error(c, &err);
            return ACT_ERR_INVALID;
        }
    }
    act_spec_retain(spec, listed, (void *)list);
    return ACT_OK;
}

enum act_status cli_load_spec(struct cli_ctx *c, const char *positional, int flags,
                              struct act_spec **out)
{
    const char *path = positional;
    int from_project = 0;
    *out = NULL;
    if (!path)
        path = c->spec_opt;
    if (!path && getenv("ACTIONS_SPEC") && *getenv("ACTIONS_SPEC"))
        path = getenv("ACTIONS_SPEC");
    if (!path) {
        struct act_project *p;
        enum act_status st = cli_project(c, &p);
        if (st)
            return st;
        if (!p) {
            cli_fail(c, "no spec given: pass SPEC, --spec FILE or $ACTIONS_SPEC, or run inside "
                        "a project (actions.yaml)");
            return ACT_ERR_USAGE;
        }
        if (!p->spec) {
            struct act_error err;
            act_error_init(&err);
            act_error_set(&err, ACT_ERR_INVALID, p->doc->path, 1, 1,
                          "project file has no \"spec\"");
            cli_error(c, &err);
            return ACT_ERR_INVALID;
        }
        path = p->spec;
        from_project = 1;
    }
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_spec_load(path, flags, out, &err);
    if (st) {
        cli_error(c, &err);
        return st;
    }
    if (from_project && c->project->actions) {
        st = filter_ops(c, *out);
        if (st) {
            act_spec_free(*out);
            *out = NULL;
        }
    }
    return st;
}

const struct act_op *cli_find_op(struct cli_ctx *c, const struct act_spec *spec, const char *id)
{
    const struct act_op *op = act_spec_find_op(spec, id);
    if (op)
        return op;
    const char *near[5];
    size_t n = act_spec_suggest(spec, id, near, 5);
    cli_unknown(c, "action", id, spec->doc->path, "list", near, n);
    return NULL;
}

void cli_unknown(struct cli_ctx *c, const char *kind, const char *name, const char *where,
                 const char *see, const char *const *near, size_t n)
{
    char echo[ACT_ECHO_SIZE];
    act_echo(echo, sizeof(echo), name, strlen(name));
    if (n == 0) {
        cli_fail(c, "unknown %s \"%s\" in %s (see: %s %s)", kind, echo, where, c->prog, see);
        return;
    }
    fprintf(stderr, "%s: error: unknown %s \"%s\" in %s; did you mean:\n", c->prog, kind, echo,
            where);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  %s\n", near[i]);
}

int cli_run_verb(struct cli_ctx *c, const char *cmd, const char *usage,
                 const struct cli_verb *verbs, size_t n, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *f = argc < 2 ? stderr : stdout;
        fputs(usage, f);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "  %-6s %s\n", verbs[i].name, verbs[i].summary);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].fn(argc - 1, argv + 1, c);
    char echo[ACT_ECHO_SIZE];
    fprintf(stderr, "%s: error: unknown verb \"%s\" for %s (use:", c->prog,
            act_echo(echo, sizeof(echo), argv[1], strlen(argv[1])), cmd);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %s", verbs[i].name);
    fputs(")\n", stderr);
    return CLI_EXIT_USAGE;
}

long long cli_parse_size(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    long long mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1024, end++;
    else if (*end == 'm' || *end == 'M')
        mul = 1024 * 1024, end++;
    else if (*end == 'g' || *end == 'G')
        mul = 1024LL * 1024 * 1024, end++;
    if (errno || end == s || *end || v <= 0 || v > (1LL << 40) / mul)
        return -1;
    return v * mul;
}

long cli_parse_seconds(const char *s)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || !(d > 0) || d > 86400)
        return -1;
    long ms = (long)(d * 1000);
    return ms > 0 ? ms : 1;
}

int cli_op_has_tag(const struct act_op *op, char *const *tags, size_t n)
{
    if (n == 0)
        return 1;
    for (const cJSON *t = op->tags ? op->tags->child : NULL; t; t = t->next)
        for (size_t i = 0; i < n; i++)
            if (cJSON_IsString(t) && strcmp(t->valuestring, tags[i]) == 0)
                return 1;
    return 0;
}

static void print_help(void)
{
    fputs(main_usage, stdout);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs(main_usage_tail, stdout);
}

int main(int argc, char **argv)
{
    struct cli_ctx c = {0};
    int rc;
    c.prog = "actions";
    c.stdout_tty = isatty(STDOUT_FILENO);
    act_alloc_init_cjson();

    if (argc < 2) {
        print_help();
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_help();
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("actions %s\n", ACT_VERSION);
        return CLI_EXIT_OK;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "%s: error: unknown command \"%s\" (see: %s --help)\n", c.prog, name,
                c.prog);
        return CLI_EXIT_USAGE;
    }
    /* --spec FILE is accepted by every command, anywhere on the line. */
    int n = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                argv[n++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--spec") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: error: --spec needs a FILE\n", c.prog);
                return CLI_EXIT_USAGE;
            }
            c.spec_opt = argv[++i];
            continue;
        }
        if (strncmp(argv[i], "--spec=", 7) == 0) {
            c.spec_opt = argv[i] + 7;
            continue;
        }
        argv[n++] = argv[i];
    }
    argv[n] = NULL;
    rc = cmd->fn(n - 1, argv + 1, &c);
    act_project_free(c.project);

    /* A result that did not reach stdout is a failure, not a silent success. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: error: cannot write output\n", c.prog);
        if (rc == CLI_EXIT_OK)
            rc = CLI_EXIT_USAGE;
    }
    return rc;
}
