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
#include "common/act_suggest.h"
#include "parser/library.h"

#ifndef ACT_VERSION
#define ACT_VERSION "0.1.0"
#endif

static const struct cli_command commands[] = {
    {"list", cmd_list, "list the actions (operations) of a spec", &cli_list_opts, NULL, NULL},
    {"show", cmd_show, "show one action: parameters, request body, responses, security",
     &cli_show_opts, NULL, NULL},
    {"lint", cmd_lint, "check a spec for structural problems", &cli_lint_opts, NULL, NULL},
    {"dest", cmd_dest, "list, show and check destinations (dest list | show NAME | check NAME)",
     NULL, &cli_dest_verbs, &cli_dest_n_verbs},
    {"connector", cmd_connector, "list the connector's system mappings and resources", NULL,
     &cli_connector_verbs, &cli_connector_n_verbs},
    {"test", cmd_test, "run an action against a destination and check the response", &cli_test_opts,
     NULL, NULL},
    {"validate", cmd_validate, "validate JSON instances against a schema or a declared response",
     &cli_validate_opts, NULL, NULL},
    {"mock", cmd_mock, "serve a spec: answer from its examples, validate requests", &cli_mock_opts,
     NULL, NULL},
    {"run", cmd_run, "run the workflows of an Arazzo 1.0.1 document", &cli_run_opts, NULL, NULL},
    {"bundle", cmd_bundle, "write a spec split over files as one self-contained document",
     &cli_bundle_opts, NULL, NULL},
    {"release", cmd_release, "freeze the project's actions as dist/PROJECT-VERSION.json",
     &cli_release_opts, NULL, NULL},
    {"publish", cmd_publish, "copy a verified release into the library", &cli_publish_opts, NULL,
     NULL},
    {"library", cmd_library, "the published releases (library list | show PROJECT[@VERSION])", NULL,
     &cli_library_verbs, &cli_library_n_verbs},
    {"diff", cmd_diff, "compare two specs action by action: breaking changes, warnings, additions",
     &cli_diff_opts, NULL, NULL},
    {"convert", cmd_convert,
     "write a spec as OpenAPI 3.0 (from 2.0 or 3.1, reporting losses) or 3.1", &cli_convert_opts,
     NULL, NULL},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct cli_command *cli_commands(size_t *n)
{
    *n = N_COMMANDS;
    return commands;
}

static const char main_usage[] =
    "usage: actions COMMAND [ARGS]...\n"
    "       actions --help | --version ; actions COMMAND --help\n"
    "\n"
    "Turns an OpenAPI spec (3.0, 3.1 or Swagger 2.0) into runnable, testable\n"
    "actions.\n"
    "\n"
    "Commands:\n";

static const char main_usage_tail[] =
    "\n"
    "SPEC may be omitted when --spec FILE, $ACTIONS_SPEC or a project file\n"
    "(actions.yaml or actions.json here or in a parent directory) names it.\n"
    "library:PROJECT@VERSION (or @latest) names a published release as SPEC.\n"
    "--allow-absolute-refs lets a spec's $refs name absolute file paths.\n"
    "--ref-map URL_PREFIX=DIR reads $refs to URLs under URL_PREFIX from files in DIR.\n"
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

/* "PROG: LEVEL: <formatted>\n" on stderr. */
static void say(struct cli_ctx *c, const char *level, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: %s: ", c->prog, level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_fail(struct cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(c, "error", fmt, ap);
    va_end(ap);
    return CLI_EXIT_USAGE;
}

void cli_warn(struct cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(c, "warning", fmt, ap);
    va_end(ap);
}

int cli_usage_error(struct cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(c, "error", fmt, ap);
    va_end(ap);
    fprintf(stderr, "see: %s %s --help\n", c->prog, c->cmd);
    return CLI_EXIT_USAGE;
}

int cli_extra_arg(struct cli_ctx *c, const char *arg)
{
    char echo[ACT_ECHO_SIZE];
    return cli_usage_error(c, "unexpected argument \"%s\"",
                           act_echo(echo, sizeof(echo), arg, strlen(arg)));
}

/* The long options of opts that name starts (all of them when exact is 0; with an exact
 * match only that one) into out[0..max); returns how many. */
static size_t long_matches(const struct option *opts, const char *name, size_t len,
                           const struct option **out, size_t max)
{
    size_t n = 0;
    for (const struct option *o = opts; o->name; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        if (strlen(o->name) == len) {
            out[0] = o;
            return 1;
        }
        if (n < max)
            out[n++] = o;
    }
    return n;
}

int cli_bad_option(struct cli_ctx *c, int argc, char **argv, const char *shortopts,
                   const struct option *opts)
{
    char echo[ACT_ECHO_SIZE];
    const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    if (strncmp(word, "--", 2) == 0 && word[2]) {
        const char *name = word + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct option *m[8];
        size_t n = long_matches(opts, name, len, m, 8);
        act_echo(echo, sizeof(echo), name, len);
        if (n == 1 && m[0]->has_arg == required_argument && !eq)
            return cli_usage_error(c, "option --%s needs an argument", m[0]->name);
        if (n == 1 && m[0]->has_arg == no_argument && eq)
            return cli_usage_error(c, "option --%s takes no argument", m[0]->name);
        if (n > 1) {
            char list[256] = "";
            for (size_t i = 0; i < n; i++)
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s--%s", i ? ", " : "",
                         m[i]->name);
            return cli_usage_error(c, "ambiguous option --%s (%s)", echo, list);
        }
        const char *near[1];
        struct act_suggest s;
        char typed[ACT_ECHO_SIZE];
        snprintf(typed, sizeof(typed), "%.*s", (int)(len < sizeof(typed) ? len : 0), name);
        act_suggest_init(&s, typed, strlen(typed) / 3 + 1, 0, near, 1);
        for (const struct option *o = opts; o->name; o++)
            act_suggest_add(&s, o->name);
        if (s.n)
            return cli_usage_error(c, "unknown option --%s; did you mean --%s?", echo, near[0]);
        return cli_usage_error(c, "unknown option --%s", echo);
    }
    /* a short option: getopt left it in optopt */
    const char *p = optopt > 0 && optopt < 256 ? strchr(shortopts, optopt) : NULL;
    if (p && p[1] == ':')
        return cli_usage_error(c, "option -%c needs an argument", optopt);
    if (optopt > 32 && optopt < 127)
        return cli_usage_error(c, "unknown option -%c", optopt);
    return cli_usage_error(c, "unknown option \"%s\"",
                           act_echo(echo, sizeof(echo), word, strlen(word)));
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

enum act_status cli_spec_path(struct cli_ctx *c, const char *positional, const char **path,
                              int *from_project)
{
    *path = positional;
    *from_project = 0;
    if (!*path)
        *path = c->spec_opt;
    if (!*path && getenv("ACTIONS_SPEC") && *getenv("ACTIONS_SPEC"))
        *path = getenv("ACTIONS_SPEC");
    if (*path)
        return ACT_OK;
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
        act_error_set(&err, ACT_ERR_INVALID, p->doc->path, 1, 1, "project file has no \"spec\"");
        cli_error(c, &err);
        return ACT_ERR_INVALID;
    }
    *path = p->spec;
    *from_project = 1;
    return ACT_OK;
}

enum act_status cli_load_spec(struct cli_ctx *c, const char *positional, int flags,
                              struct act_spec **out)
{
    const char *path;
    int from_project;
    *out = NULL;
    enum act_status st0 = cli_spec_path(c, positional, &path, &from_project);
    if (st0)
        return st0;
    struct act_error err;
    act_error_init(&err);
    if (c->absolute_refs)
        flags |= ACT_SPEC_ABSOLUTE_REFS;
    /* library:PROJECT@VERSION or a release file: the release's spec, limited to its actions */
    enum act_status st = act_spec_load_name(path, flags, out, &err);
    if (st) {
        cli_error(c, &err);
        return st;
    }
    if ((st = cli_apply_ref_maps(c, (*out)->docs))) {
        act_spec_free(*out);
        *out = NULL;
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
    if (act_spec_find_webhook(spec, id)) {
        char echo[ACT_ECHO_SIZE];
        cli_fail(c,
                 "\"%s\" is a webhook of %s: the API sends it, so it is not an action to call "
                 "or test (see: %s show %s)",
                 act_echo(echo, sizeof(echo), id, strlen(id)), spec->doc->path, c->prog, id);
        return NULL;
    }
    const char *near[5];
    if (spec->is_release) {
        /* the spec may have the operation: what is refused is using it from this release */
        char echo[ACT_ECHO_SIZE], list[ACT_ERROR_MSG_MAX / 2] = "";
        size_t k = 0;
        for (size_t i = 0; i < spec->n_ops; i++) {
            size_t len = strlen(list);
            if (len + strlen(spec->ops[i].id) + 16 >= sizeof(list)) {
                snprintf(list + len, sizeof(list) - len, ", and %zu more", spec->n_ops - k);
                break;
            }
            snprintf(list + len, sizeof(list) - len, "%s%s", k ? ", " : "", spec->ops[i].id);
            k++;
        }
        cli_fail(c, "action \"%s\" is not in the release %s (its actions: %s)",
                 act_echo(echo, sizeof(echo), id, strlen(id)), spec->doc->path, k ? list : "none");
        return NULL;
    }
    size_t n = act_spec_suggest(spec, id, near, 5);
    cli_unknown(c, "action", id, spec->doc->path, "list", near, n);
    return NULL;
}

/* "unknown KIND "NAME"CONTEXT", then the near[0..n) suggestions, or "(see: PROG SEE)". */
static void unknown(struct cli_ctx *c, const char *kind, const char *name, const char *context,
                    const char *see, const char *const *near, size_t n)
{
    char echo[ACT_ECHO_SIZE];
    act_echo(echo, sizeof(echo), name, strlen(name));
    if (n == 0) {
        cli_fail(c, "unknown %s \"%s\"%s (see: %s %s)", kind, echo, context, c->prog, see);
        return;
    }
    fprintf(stderr, "%s: error: unknown %s \"%s\"%s; did you mean:\n", c->prog, kind, echo,
            context);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  %s\n", near[i]);
}

void cli_unknown(struct cli_ctx *c, const char *kind, const char *name, const char *where,
                 const char *see, const char *const *near, size_t n)
{
    char context[ACT_ERROR_MSG_MAX];
    snprintf(context, sizeof(context), " in %s", where);
    unknown(c, kind, name, context, see, near, n);
}

/* The closest of names[0..n) (table rows `stride` bytes apart, each starting with its
 * name) to typo, the ties of the best distance only: a command table is short. */
static size_t suggest_names(const char *typo, const void *names, size_t n, size_t stride,
                            const char **near, size_t max)
{
    struct act_suggest s;
    size_t k = 0;
    act_suggest_init(&s, typo, strlen(typo) / 3 + 1, 1, near, max);
    for (size_t i = 0; i < n; i++)
        act_suggest_add(&s, *(const char *const *)((const char *)names + i * stride));
    while (k < s.n && s.score[k] == s.score[0])
        k++;
    return k;
}

int cli_run_verb(struct cli_ctx *c, const char *cmd, const char *usage,
                 const struct cli_verb *verbs, size_t n, int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        for (size_t i = 0; i < n; i++)
            printf("  %-6s %s\n", verbs[i].name, verbs[i].summary);
        return CLI_EXIT_OK;
    }
    if (argc < 2) {
        char list[128] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                     i == 0       ? ""
                     : i + 1 == n ? " or "
                                  : ", ",
                     verbs[i].name);
        return cli_usage_error(c, "%s needs a VERB: %s", cmd, list);
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], verbs[i].name) == 0) {
            snprintf(c->cmd, sizeof(c->cmd), "%s %s", cmd, verbs[i].name);
            return verbs[i].fn(argc - 1, argv + 1, c);
        }
    const char *near[4];
    size_t nn = suggest_names(argv[1], verbs, n, sizeof(*verbs), near, 4);
    char context[64], see[64];
    snprintf(context, sizeof(context), " for %s", cmd);
    snprintf(see, sizeof(see), "%s --help", cmd);
    unknown(c, "verb", argv[1], context, see, near, nn);
    return CLI_EXIT_USAGE;
}

int cli_parse_steps(struct cli_ctx *c, const char *arg, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(arg, &end, 10);
    if (!*arg || *end || arg[0] == '-' || n == 0 || errno)
        return cli_usage_error(c, "--max-validation-steps needs a number > 0, not \"%s\"", arg);
    *out = n;
    return 0;
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

static void print_help(FILE *f)
{
    fputs(main_usage, f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs(main_usage_tail, f);
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    struct cli_ctx c = {0};
    int rc;
    c.prog = "actions";
    c.stdout_tty = isatty(STDOUT_FILENO);
    act_alloc_init_cjson();

    if (argc < 2) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "__complete") == 0) {
        rc = cmd_complete(argc - 1, argv + 1, &c);
        act_project_free(c.project);
        return rc;
    }
    static char help_opt[] = "--help";
    char *help_argv[5];
    if (strcmp(name, "help") == 0 && argc > 2 && strcmp(argv[2], "help") != 0) {
        /* `actions help CMD [VERB]` is `actions CMD [VERB] --help` */
        int k = 0;
        help_argv[k++] = argv[0];
        help_argv[k++] = argv[2];
        if (argc > 3)
            help_argv[k++] = argv[3];
        help_argv[k++] = help_opt;
        help_argv[k] = NULL;
        argv = help_argv;
        argc = k;
        name = argv[1];
    } else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
               strcmp(name, "help") == 0) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("actions %s\n", ACT_VERSION);
        return CLI_EXIT_OK;
    }
    const struct cli_command *cmd = find_command(name);
    if (!cmd) {
        const char *near[4];
        size_t n = suggest_names(name, commands, N_COMMANDS, sizeof(*commands), near, 4);
        unknown(&c, "command", name, "", "--help", near, n);
        return CLI_EXIT_USAGE;
    }
    snprintf(c.cmd, sizeof(c.cmd), "%s", cmd->name);
    /* --spec FILE, --allow-absolute-refs and --ref-map MAP are accepted by every command,
     * anywhere. */
    int n = 1;
    const char **maps = act_calloc((size_t)argc, sizeof(*maps));
    if (!maps) {
        fprintf(stderr, "%s: error: out of memory\n", c.prog);
        return CLI_EXIT_USAGE;
    }
    c.ref_maps = maps;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                argv[n++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--spec") == 0) {
            if (i + 1 >= argc) {
                act_free(maps);
                return cli_usage_error(&c, "option --spec needs an argument");
            }
            c.spec_opt = argv[++i];
            continue;
        }
        if (strncmp(argv[i], "--spec=", 7) == 0) {
            c.spec_opt = argv[i] + 7;
            continue;
        }
        if (strcmp(argv[i], "--allow-absolute-refs") == 0) {
            c.absolute_refs = 1;
            continue;
        }
        if (strcmp(argv[i], "--ref-map") == 0) {
            if (i + 1 >= argc) {
                act_free(maps);
                return cli_usage_error(&c, "option --ref-map needs an argument");
            }
            maps[c.n_ref_maps++] = argv[++i];
            continue;
        }
        if (strncmp(argv[i], "--ref-map=", 10) == 0) {
            maps[c.n_ref_maps++] = argv[i] + 10;
            continue;
        }
        argv[n++] = argv[i];
    }
    argv[n] = NULL;
    rc = cmd->fn(n - 1, argv + 1, &c);
    act_project_free(c.project);
    act_free(maps);

    /* A result that did not reach stdout is a failure, not a silent success. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: error: cannot write output\n", c.prog);
        if (rc == CLI_EXIT_OK)
            rc = CLI_EXIT_USAGE;
    }
    return rc;
}
