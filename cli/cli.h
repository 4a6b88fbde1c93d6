/*
 * cli.h - what every subcommand shares.
 *
 * To add a command NAME:
 *   1. write cli/cmd_NAME.c defining `int cmd_NAME(int argc, char **argv, struct cli_ctx *c)`;
 *      argv[0] is the command name; keep the usage text beside the option table
 *      (CLI_OPTIONS), parse options with cli_getopt_next (cli/options.c: --help and
 *      refused options are handled there; cli_parse_format, cli_spec_arg for the usual
 *      --format and [SPEC]), print results to stdout and diagnostics with cli_error();
 *      return an exit code (enum cli_exit), usually cli_exit_code(status);
 *   2. declare it and its option table below (CLI_OPTIONS(cli_NAME_opts, ...) exports the
 *      table, which shell completion reads) and add a row to the table in cli/main.c;
 *   3. document it in README.md and test it in tests/e2e/NAME.bats.
 */
#ifndef ACT_CLI_CLI_H
#define ACT_CLI_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "common/act_buf.h"
#include "common/act_error.h"
#include "common/act_status.h"
#include "parser/project.h"
#include "parser/spec.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/report.h"

/* The exit codes (README.md, "Exit codes"), the only ones the tool uses. */
enum cli_exit {
    CLI_EXIT_OK = 0,          /* everything ran and passed */
    CLI_EXIT_FAILED = 1,      /* an action ran and failed its checks */
    CLI_EXIT_USAGE = 2,       /* usage error, or an invalid spec/project/destination file */
    CLI_EXIT_UNREACHABLE = 3, /* the backend could not be reached */
};

struct cli_ctx {
    const char *prog;            /* "actions" */
    const char *spec_opt;        /* --spec FILE given on the command line, or NULL */
    struct act_project *project; /* the project file, once loaded (cli_project) */
    int project_looked;          /* 1 once the project lookup ran */
    int stdout_tty;              /* stdout is a terminal */
    char cmd[32];                /* the command running ("test", "dest check"): see: ... --help */
    int absolute_refs;           /* --allow-absolute-refs: follow $refs to absolute paths */
    const char **ref_maps;       /* --ref-map URL_PREFIX=DIR values (argv strings), in order */
    int n_ref_maps;
};

/* The one status -> exit code mapping. */
int cli_exit_code(enum act_status st);

/* "actions: error: FILE:LINE:COL: msg" on stderr. */
void cli_error(struct cli_ctx *c, const struct act_error *err);
/* "actions: error: <formatted>" on stderr; returns CLI_EXIT_USAGE. */
int cli_fail(struct cli_ctx *c, const char *fmt, ...) ACT_PRINTF(2, 3);
/* --max-validation-steps N (validate, test, mock): *out = N (> 0); else prints the error
 * and returns CLI_EXIT_USAGE (0 on success). */
int cli_parse_steps(struct cli_ctx *c, const char *arg, unsigned long *out);
/* "actions: warning: <formatted>" on stderr. */
void cli_warn(struct cli_ctx *c, const char *fmt, ...) ACT_PRINTF(2, 3);

/*
 * A usage error: "actions: error: <formatted>", then "see: actions CMD --help" (the
 * command running, c->cmd) on stderr; returns CLI_EXIT_USAGE.
 */
int cli_usage_error(struct cli_ctx *c, const char *fmt, ...) ACT_PRINTF(2, 3);
/* The usage error for a positional argument the command does not take. */
int cli_extra_arg(struct cli_ctx *c, const char *arg);
/*
 * The usage error for the option getopt_long(argc, argv, shortopts, opts) just
 * refused (it returned '?'; set opterr = 0 so it printed nothing itself): names the
 * option and says whether it is unknown (with the closest long option when one is
 * near), ambiguous, or needs or takes no argument. Returns CLI_EXIT_USAGE.
 */
int cli_bad_option(struct cli_ctx *c, int argc, char **argv, const char *shortopts,
                   const struct option *opts);

/*
 * The project file of the current directory or a parent, loaded once;
 * *out NULL when there is none. Prints load errors itself.
 */
enum act_status cli_project(struct cli_ctx *c, struct act_project **out);

/*
 * Find and load the spec: the positional SPEC if given, else --spec, else
 * $ACTIONS_SPEC, else the project file's `spec`. When the spec came from the
 * project file and it lists `actions`, only those operations are kept (an
 * unknown id there is an error). Prints errors itself; *out freed by the caller.
 */
enum act_status cli_load_spec(struct cli_ctx *c, const char *positional, int flags,
                              struct act_spec **out);

/*
 * Where cli_load_spec finds the spec: *path (borrowed: argv, the environment or the
 * project) and whether it came from the project file. Prints errors itself.
 */
enum act_status cli_spec_path(struct cli_ctx *c, const char *positional, const char **path,
                              int *from_project);

/*
 * Find the action id in spec; when absent, print "unknown action" with the
 * closest ids and return NULL.
 */
const struct act_op *cli_find_op(struct cli_ctx *c, const struct act_spec *spec, const char *id);

/* A second-level verb (`dest list`, `connector check`): its name, its function and a
 * one-line summary for the command's help. */
struct cli_verb {
    const char *name;
    int (*fn)(int argc, char **argv, struct cli_ctx *c);
    const char *summary;
    const struct option *const *opts; /* its getopt_long table (for completion) */
};

/* A command of cli/main.c's table. */
struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv, struct cli_ctx *c);
    const char *summary;
    const struct option *const *opts;    /* its getopt_long table; NULL for a verb command */
    const struct cli_verb *const *verbs; /* its verbs (dest, connector), else NULL */
    const size_t *n_verbs;               /* how many */
};

/* The command table (borrowed, static), *n rows. */
const struct cli_command *cli_commands(size_t *n);

/*
 * Run the verb argv[1] of command cmd from verbs[0..n): with no verb the usage and
 * the verbs go to stderr (exit 2), with --help/-h to stdout (exit 0); an unknown
 * verb is named with the ones there are (exit 2).
 */
int cli_run_verb(struct cli_ctx *c, const char *cmd, const char *usage,
                 const struct cli_verb *verbs, size_t n, int argc, char **argv);

/* A --timeout value: a positive number of seconds (fractions allowed, at most a
 * day) as milliseconds (at least 1), or -1 when it is not one. */
long cli_parse_seconds(const char *s);

/* A byte count with an optional K, M or G suffix (powers of 1024), positive and at
 * most 1 TiB, or -1 when it is not one (--max-size, --max-buffered). */
long long cli_parse_size(const char *s);

/* "unknown KIND "NAME" in WHERE", with the near[0..n) suggestions when there are any,
 * else a pointer to the command that lists them (see). */
void cli_unknown(struct cli_ctx *c, const char *kind, const char *name, const char *where,
                 const char *see, const char *const *near, size_t n);

/* Does op carry one of tags[0..n) (always, when n is 0)? For --tag filters. */
int cli_op_has_tag(const struct act_op *op, char *const *tags, size_t n);

/* ---- the prologue of a command (cli/options.c) ---- */

/* A command's getopt_long table: its own options, then --help and the terminator; the
 * table is exported as name, which shell completion reads. Gives `options`. */
#define CLI_OPTIONS(name, ...)                                                                     \
    static const struct option options[] = {                                                       \
        __VA_ARGS__, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};                        \
    const struct option *const name = options

/* A command's verb table (struct cli_verb rows), exported as name with its length as
 * n_name (completion reads both). Gives `verbs`. */
#define CLI_VERBS(name, n_name, ...)                                                               \
    static const struct cli_verb verbs[] = {__VA_ARGS__};                                          \
    const struct cli_verb *const name = verbs;                                                     \
    const size_t n_name = sizeof(verbs) / sizeof(verbs[0])

/* A command's option loop over getopt_long (see cli_getopt_next). */
struct cli_getopt {
    struct cli_ctx *c;
    int argc;
    char **argv;
    const char *shortopts;     /* "h" and the command's short options */
    const struct option *opts; /* the table (CLI_OPTIONS) */
    const char *usage;         /* what --help prints */
    int rc;                    /* the exit code once cli_getopt_next returned 0 */
};

/* Start parsing argv (optind = 1; getopt_long prints nothing itself). */
void cli_getopt_init(struct cli_getopt *g, struct cli_ctx *c, int argc, char **argv,
                     const char *shortopts, const struct option *opts, const char *usage);
/*
 * The next option, as getopt_long returns it (optarg set), -1 after the last one, or 0
 * when the command is done: --help printed the usage on stdout (g->rc 0), or a refused
 * option was named in a usage error (g->rc CLI_EXIT_USAGE). The command then returns
 * g->rc:
 *
 *     while ((opt = cli_getopt_next(&g)) > 0)
 *         switch (opt) { ... }
 *     if (opt == 0)
 *         return g.rc;
 */
int cli_getopt_next(struct cli_getopt *g);
/* The option table of a command whose only option is --help (export it under the
 * command's own name for completion: `... cli_NAME_opts = cli_help_only;`). */
extern const struct option cli_help_only[];
/* The prologue of such a command: -1 to go on (optind at the first operand), else the
 * exit code (--help printed, or a refused option named). */
int cli_only_help(struct cli_ctx *c, int argc, char **argv, const char *usage);
/* --format ARG where the choice is text (named text: "text", "table") or json: *json set,
 * 0; else the usage error "unknown --format" and CLI_EXIT_USAGE. */
int cli_parse_format(struct cli_ctx *c, const char *arg, const char *text, int *json);
/* The operands left after the options (argv[optind..]): CLI_EXIT_OK when there are min to
 * max of them; else the usage error missing (too few) or "unexpected argument" naming the
 * first one too many, and CLI_EXIT_USAGE. */
int cli_operands(struct cli_ctx *c, int argc, char **argv, int min, int max, const char *missing);
/* The index of arg in names (NULL-terminated), -1 when it is none of them: an option's
 * value among fixed words. */
int cli_choice(const char *arg, const char *const *names);
/* --timeout SECONDS (cli_parse_seconds): *ms set, 0; else the usage error "--timeout
 * expects a positive number of seconds" and CLI_EXIT_USAGE. */
int cli_parse_timeout(struct cli_ctx *c, const char *arg, long *ms);
/* --max-size BYTES (cli_parse_size: K, M, G suffixes): *out set, 0; else the error
 * "--max-size expects a positive number of bytes" and CLI_EXIT_USAGE. */
int cli_parse_max_size(struct cli_ctx *c, const char *arg, long long *out);
/* --cacert FILE: 0 when FILE can be read; else the error "cannot read --cacert" and
 * CLI_EXIT_USAGE. */
int cli_check_cacert(struct cli_ctx *c, const char *path);
/* The report formats of `test` and `run` (text, json, junit, tap, html). --format ARG:
 * *fmt set, 0; else the usage error "unknown --format" and CLI_EXIT_USAGE. */
int cli_parse_report_format(struct cli_ctx *c, const char *arg, enum act_report_fmt *fmt);
/* --report FORMAT=FILE: *fmt and *path (FILE, borrowed from arg) set, 0; else the usage
 * error "--report expects FORMAT=FILE" and CLI_EXIT_USAGE. */
int cli_parse_report(struct cli_ctx *c, const char *arg, enum act_report_fmt *fmt,
                     const char **path);
/* A --report FORMAT=FILE of test and run: written to a temporary file beside FILE, opened
 * before anything is sent, and renamed onto FILE at the end: a report is complete or absent. */
struct cli_report {
    enum act_report_fmt fmt;
    const char *path; /* FILE (borrowed from argv) */
    char *tmp;        /* the temporary file; NULL once renamed or removed */
    FILE *f;          /* open on tmp, or NULL */
};
/* Open the temporary file of each of the n reports rs; 0, or CLI_EXIT_USAGE after an error
 * naming the file (cli_reports_abort removes those already open). */
int cli_reports_open(struct cli_ctx *c, struct cli_report *rs, size_t n);
/* Close and rename every temporary file onto its FILE; 0, or CLI_EXIT_USAGE after an error
 * naming each file that could not be written (its temporary file removed). */
int cli_reports_close(struct cli_ctx *c, struct cli_report *rs, size_t n);
/* Close and remove the temporary files that remain (on an early exit). */
void cli_reports_abort(struct cli_report *rs, size_t n);

struct act_trace_event;
/* (cmd_test_run.c) One exchange event as the -v trace on stderr, for `test` and `run`:
 * note and request lines, and when verbose the response's lines, each "TAGPREFIXline"
 * (PREFIX "* ", "> " or "< "), secrets masked by red, control characters as \xNN.
 * Warnings are left to the caller. */
void cli_trace_event(const struct act_redactor *red, const char *tag, int verbose,
                     const struct act_trace_event *ev);
/* [SPEC], the one positional argument left after the options (argv[optind]), or the
 * spec found without it, loaded by cli_load_spec: CLI_EXIT_OK with *out (freed by the
 * caller), else the exit code after the error was printed (*out NULL). */
int cli_spec_arg(struct cli_ctx *c, int argc, char **argv, int flags, struct act_spec **out);
/* Give ds the --ref-map maps of the command line, then the project file's refMap (DIRs
 * relative to it): remote $refs under a prefix are read from its directory. A malformed
 * --ref-map or a DIR that is no directory is a usage error (printed). */
enum act_status cli_apply_ref_maps(struct cli_ctx *c, struct act_docset *ds);

/* Print usage text to stdout (for --help) or stderr (for a usage error). */
int cli_usage(struct cli_ctx *c, const char *usage, int to_stderr);

/* Terminal width for table output (0 = unlimited, e.g. when piped). */
int cli_term_width(struct cli_ctx *c);

/* JSON output: pretty-print item (2-space indent) to f, with a final newline (the
 * printer of runner/report.h, that the reports use too). */
static inline void cli_print_json(FILE *f, const cJSON *item)
{
    act_report_json(f, item);
}

/* Adds key to object o: the string s, or null when s is NULL; the item, NULL when out of
 * memory. */
static inline cJSON *cli_json_str_or_null(cJSON *o, const char *key, const char *s)
{
    return s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key);
}

/*
 * A one-line outline of a schema ("Pet {id*: integer(int64), name*: string}")
 * into out (replacing its contents). Bounded in depth: safe on recursive schemas.
 */
enum act_status cli_schema_outline(struct act_docset *ds, struct act_node schema,
                                   struct act_buf *out);

int cmd_list(int argc, char **argv, struct cli_ctx *c);
int cmd_show(int argc, char **argv, struct cli_ctx *c);
int cmd_lint(int argc, char **argv, struct cli_ctx *c);
/* `actions lint FILE` when FILE is an Arazzo document (cli/cmd_lint_arazzo.c): *handled 0
 * when it is not one (nothing printed), else 1 and the exit code. */
int cli_lint_arazzo(struct cli_ctx *c, const char *path, int *handled);
int cmd_validate(int argc, char **argv, struct cli_ctx *c);
int cmd_test(int argc, char **argv, struct cli_ctx *c);
int cmd_mock(int argc, char **argv, struct cli_ctx *c);
int cmd_run(int argc, char **argv, struct cli_ctx *c);
/* bundle, release, publish and library (cli/cmd_bundle.c, cmd_release.c, cmd_library.c). */
int cmd_bundle(int argc, char **argv, struct cli_ctx *c);
int cmd_release(int argc, char **argv, struct cli_ctx *c);
int cmd_publish(int argc, char **argv, struct cli_ctx *c);
int cmd_library(int argc, char **argv, struct cli_ctx *c);
/* `actions diff` (cli/cmd_diff.c). */
int cmd_diff(int argc, char **argv, struct cli_ctx *c);
/* `actions __complete` (hidden): shell completion candidates (cli/cmd_complete.c). */
int cmd_complete(int argc, char **argv, struct cli_ctx *c);

/* Each command's getopt_long table, exported by its file for completion. */
extern const struct option *const cli_list_opts;
extern const struct option *const cli_show_opts;
extern const struct option *const cli_lint_opts;
extern const struct option *const cli_run_opts;
extern const struct option *const cli_test_opts;
extern const struct option *const cli_validate_opts;
extern const struct option *const cli_mock_opts;
/* The action ids of a release, "id1,id2", into out (replacing its contents). */
void cli_release_ids(const cJSON *release, struct act_buf *out);
/* The project a release command (what: "actions release") runs in, with a name fit for
 * release file names; NULL after the error was printed. */
struct act_project *cli_release_project(struct cli_ctx *c, const char *what);
/* path relative to the current directory when it lies inside it, else path (borrowed). */
const char *cli_shown_path(const char *path);
extern const struct option *const cli_bundle_opts;
/* (cmd_bundle.c) A document as `actions bundle` writes it: YAML in block style, every
 * string and key double-quoted, so no scalar can be misread. */
void cli_print_yaml(FILE *f, const cJSON *doc);
/* --format json|yaml of a written document (NULL: json, or yaml when out_path ends in
 * .yaml or .yml) into *yaml; else the usage error and CLI_EXIT_USAGE. */
int cli_doc_format(struct cli_ctx *c, const char *format, const char *out_path, int *yaml);
/* doc printed to stdout (out_path NULL) or written atomically to out_path, as JSON or
 * YAML: the exit code, errors printed. */
int cli_write_doc(struct cli_ctx *c, const cJSON *doc, const char *out_path, int yaml);
/* Is out one of the files of ds (the same file, by its real path)? */
int cli_is_input_file(const struct act_docset *ds, const char *out);
/* `actions convert` (cli/cmd_convert.c). */
int cmd_convert(int argc, char **argv, struct cli_ctx *c);
extern const struct option *const cli_convert_opts;
extern const struct option *const cli_release_opts;
extern const struct option *const cli_publish_opts;
extern const struct cli_verb *const cli_library_verbs;
extern const size_t cli_library_n_verbs;
extern const struct option *const cli_diff_opts;
extern const struct option *const cli_dest_opts;
extern const struct option *const cli_dest_check_opts;
extern const struct option *const cli_connector_opts;
extern const struct option *const cli_connector_check_opts;
/* The verb tables of dest and connector. */
extern const struct cli_verb *const cli_dest_verbs;
extern const size_t cli_dest_n_verbs;
extern const struct cli_verb *const cli_connector_verbs;
extern const size_t cli_connector_n_verbs;

/*
 * Destinations and connector (cli/dests.c). Find the file in this order
 * (opt_path from --destinations / --connector, then $ACTIONS_DESTINATIONS /
 * $ACTIONS_CONNECTOR, the project file, ./destinations.yaml /
 * ./connector.yaml, $XDG_CONFIG_HOME/actions/...) and load it. Prints errors
 * itself: a load error with file:line, or ACT_ERR_NOTFOUND with every place
 * it looked. *out freed by the caller (act_destset_free / act_connector_free).
 */
enum act_status cli_load_dests(struct cli_ctx *c, const char *opt_path, struct act_destset **out);
enum act_status cli_load_connector(struct cli_ctx *c, const char *opt_path,
                                   struct act_connector **out);
/* The destination name of ds; when absent, print "unknown destination" with the
 * closest names and return NULL (exit 2). */
const struct act_dest *cli_find_dest(struct cli_ctx *c, const struct act_destset *ds,
                                     const char *name);

/* `actions dest VERB` and `actions connector VERB` (cli/cmd_dest.c, cli/cmd_connector.c);
 * the `check` verbs live in cli/cmd_dest_check.c and cli/cmd_connector_check.c. argv[0]
 * of a verb function is the verb. */
int cmd_dest(int argc, char **argv, struct cli_ctx *c);
int cmd_connector(int argc, char **argv, struct cli_ctx *c);
int cmd_dest_check(int argc, char **argv, struct cli_ctx *c);
int cmd_connector_check(int argc, char **argv, struct cli_ctx *c);

#endif
