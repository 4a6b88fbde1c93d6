/*
 * options.c - the prologue every command shares: its getopt_long loop (--help, refused
 * options), the --format choice between a text form and json, and the optional SPEC
 * argument loaded as the spec, the --timeout SECONDS value, the --ref-map maps every
 * loaded spec or schema gets (see cli.h: struct cli_getopt, cli_only_help,
 * cli_parse_format, cli_spec_arg, cli_parse_timeout, cli_apply_ref_maps, the report
 * formats of test and run and their --report files).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/project.h"

void cli_getopt_init(struct cli_getopt *g, struct cli_ctx *c, int argc, char **argv,
                     const char *shortopts, const struct option *opts, const char *usage)
{
    *g = (struct cli_getopt){c, argc, argv, shortopts, opts, usage, CLI_EXIT_OK};
    optind = 1;
    opterr = 0;
}

int cli_getopt_next(struct cli_getopt *g)
{
    int opt = getopt_long(g->argc, g->argv, g->shortopts, g->opts, NULL);
    if (opt == 'h') {
        g->rc = cli_usage(g->c, g->usage, 0);
        return 0;
    }
    if (opt == '?' || opt == ':') {
        g->rc = cli_bad_option(g->c, g->argc, g->argv, g->shortopts, g->opts);
        return 0;
    }
    return opt;
}

const struct option cli_help_only[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

int cli_only_help(struct cli_ctx *c, int argc, char **argv, const char *usage)
{
    struct cli_getopt g;
    int opt;
    cli_getopt_init(&g, c, argc, argv, "h", cli_help_only, usage);
    while ((opt = cli_getopt_next(&g)) > 0)
        ; /* the table has no option of its own */
    return opt == 0 ? g.rc : -1;
}

int cli_parse_format(struct cli_ctx *c, const char *arg, const char *text, int *json)
{
    if (strcmp(arg, "json") == 0)
        *json = 1;
    else if (strcmp(arg, text) == 0)
        *json = 0;
    else
        return cli_usage_error(c, "unknown --format \"%s\" (use %s or json)", arg, text);
    return CLI_EXIT_OK;
}

int cli_spec_arg(struct cli_ctx *c, int argc, char **argv, int flags, struct act_spec **out)
{
    *out = NULL;
    if (argc - optind > 1)
        return cli_extra_arg(c, argv[optind + 1]);
    enum act_status st = cli_load_spec(c, optind < argc ? argv[optind] : NULL, flags, out);
    return st ? cli_exit_code(st) : CLI_EXIT_OK;
}

int cli_operands(struct cli_ctx *c, int argc, char **argv, int min, int max, const char *missing)
{
    if (argc - optind < min)
        return cli_usage_error(c, "%s", missing);
    if (argc - optind > max)
        return cli_extra_arg(c, argv[optind + max]);
    return CLI_EXIT_OK;
}

int cli_choice(const char *arg, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(arg, names[i]) == 0)
            return i;
    return -1;
}

/* One URL_PREFIX=DIR map for ds (dir as given, or NULL to split arg at its last '='). */
static enum act_status add_map(struct cli_ctx *c, struct act_docset *ds, const char *arg,
                               const char *prefix, size_t prefix_len, const char *dir)
{
    struct stat sb;
    char *p = act_malloc(prefix_len + 1);
    if (!p)
        return ACT_ERR_NOMEM;
    memcpy(p, prefix, prefix_len);
    p[prefix_len] = '\0';
    enum act_status st = ACT_OK;
    if (!prefix_len || !dir[0]) {
        cli_fail(c, "--ref-map expects URL_PREFIX=DIR, got \"%s\"", arg);
        st = ACT_ERR_USAGE;
    } else if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        cli_fail(c, "--ref-map %s: \"%s\" is not a directory", p, dir);
        st = ACT_ERR_USAGE;
    } else {
        st = act_docset_add_ref_map(ds, p, dir);
    }
    act_free(p);
    return st;
}

enum act_status cli_apply_ref_maps(struct cli_ctx *c, struct act_docset *ds)
{
    enum act_status st = ACT_OK;
    for (int i = 0; i < c->n_ref_maps && !st; i++) {
        const char *arg = c->ref_maps[i], *eq = strrchr(arg, '=');
        st = add_map(c, ds, arg, arg, eq ? (size_t)(eq - arg) : 0, eq ? eq + 1 : "");
    }
    struct act_project *p = NULL;
    if (st || cli_project(c, &p) || !p || !p->ref_map)
        return st;
    for (const cJSON *m = p->ref_map->child; m && !st; m = m->next) {
        char *dir = act_project_resolve(p, m->valuestring);
        st = dir ? add_map(c, ds, m->string, m->string, strlen(m->string), dir) : ACT_ERR_NOMEM;
        act_free(dir);
    }
    return st;
}

int cli_parse_timeout(struct cli_ctx *c, const char *arg, long *ms)
{
    if ((*ms = cli_parse_seconds(arg)) < 0)
        return cli_usage_error(c, "--timeout expects a positive number of seconds, got \"%s\"",
                               arg);
    return CLI_EXIT_OK;
}

static const char *const report_formats[] = {"text", "json", "junit", "tap", "html"};

/* The report format named by the len bytes at s, or -1. */
static int report_format(const char *s, size_t len)
{
    for (int i = 0; i < (int)(sizeof report_formats / sizeof *report_formats); i++)
        if (strlen(report_formats[i]) == len && strncmp(s, report_formats[i], len) == 0)
            return i;
    return -1;
}

int cli_parse_report_format(struct cli_ctx *c, const char *arg, enum act_report_fmt *fmt)
{
    int f = report_format(arg, strlen(arg));
    if (f < 0)
        return cli_usage_error(c, "unknown --format \"%s\" (text, json, junit, tap or html)", arg);
    *fmt = (enum act_report_fmt)f;
    return CLI_EXIT_OK;
}

int cli_parse_report(struct cli_ctx *c, const char *arg, enum act_report_fmt *fmt,
                     const char **path)
{
    const char *eq = strchr(arg, '=');
    int f = eq ? report_format(arg, (size_t)(eq - arg)) : -1;
    if (f < 0 || !eq[1])
        return cli_usage_error(
            c,
            "--report expects FORMAT=FILE with FORMAT text, json, junit, tap or html, got \"%s\"",
            arg);
    *fmt = (enum act_report_fmt)f;
    *path = eq + 1;
    return CLI_EXIT_OK;
}

int cli_parse_max_size(struct cli_ctx *c, const char *arg, long long *out)
{
    long long n = cli_parse_size(arg);
    if (n < 0)
        return cli_fail(c,
                        "--max-size expects a positive number of bytes (K, M, G suffixes "
                        "allowed), got \"%s\"",
                        arg);
    *out = n;
    return CLI_EXIT_OK;
}

int cli_check_cacert(struct cli_ctx *c, const char *path)
{
    if (access(path, R_OK) != 0)
        return cli_fail(c, "cannot read --cacert \"%s\": %s", path, strerror(errno));
    return CLI_EXIT_OK;
}

/* The --report files of test and run (cli.h: struct cli_report). */

int cli_reports_open(struct cli_ctx *c, struct cli_report *rs, size_t n)
{
    mode_t mask = umask(0);
    umask(mask);
    for (size_t i = 0; i < n; i++) {
        struct cli_report *rp = &rs[i];
        size_t len = strlen(rp->path);
        rp->tmp = act_malloc(len + 16);
        if (!rp->tmp)
            return cli_fail(c, "out of memory");
        snprintf(rp->tmp, len + 16, "%s.tmp.XXXXXX", rp->path);
        int fd = mkstemp(rp->tmp);
        if (fd < 0) {
            int e = errno;
            act_free(rp->tmp);
            rp->tmp = NULL;
            return cli_fail(c, "cannot write report \"%s\": %s", rp->path, strerror(e));
        }
        if (fchmod(fd, 0666 & ~mask) != 0 || !(rp->f = fdopen(fd, "w"))) {
            int e = errno;
            close(fd);
            return cli_fail(c, "cannot write report \"%s\": %s", rp->path, strerror(e));
        }
    }
    return 0;
}

int cli_reports_close(struct cli_ctx *c, struct cli_report *rs, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct cli_report *rp = &rs[i];
        if (!rp->f || !rp->tmp)
            continue;
        errno = 0;
        int bad = fflush(rp->f) != 0 || ferror(rp->f);
        int e = errno;
        if (fclose(rp->f) != 0 && !bad)
            bad = 1, e = errno;
        rp->f = NULL;
        if (!bad && rename(rp->tmp, rp->path) != 0)
            bad = 1, e = errno;
        if (bad) {
            unlink(rp->tmp);
            rc = cli_fail(c, "cannot write report \"%s\": %s", rp->path,
                          e ? strerror(e) : "write error");
        }
        act_free(rp->tmp);
        rp->tmp = NULL;
    }
    return rc;
}

void cli_reports_abort(struct cli_report *rs, size_t n)
{
    for (size_t i = 0; rs && i < n; i++) {
        struct cli_report *rp = &rs[i];
        if (rp->f)
            fclose(rp->f);
        rp->f = NULL;
        if (rp->tmp)
            unlink(rp->tmp);
        act_free(rp->tmp);
        rp->tmp = NULL;
    }
}
