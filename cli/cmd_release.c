/*
 * cmd_release.c - `actions release` in a project: freeze the project's actions,
 * with the bundled spec, as dist/PROJECT-VERSION.json (format and digest:
 * parser/library.h); `--list` the releases there; `--verify FILE` a digest.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/bundle.h"
#include "parser/library.h"

static const char usage[] =
    "usage: actions release [--version X.Y.Z] [--notes TEXT | --notes-file FILE]\n"
    "       actions release --list\n"
    "       actions release --verify FILE\n"
    "\n"
    "In a project (actions.yaml): write dist/PROJECT-VERSION.json, a frozen release\n"
    "of the project's actions: project, version, notes, creation time (UTC;\n"
    "$SOURCE_DATE_EPOCH when set), the actions (id, method, path), the bundled spec\n"
    "and a SHA-256 digest of its canonical (RFC 8785) form. Refused when the version\n"
    "is not a semantic version, is not greater than the last release in dist/,\n"
    "already exists, the spec does not lint clean of errors, or an action the\n"
    "project lists is not in the spec.\n"
    "\n"
    "  --version X.Y.Z     the version (default: the project file's version)\n"
    "  --notes TEXT        release notes\n"
    "  --notes-file FILE   release notes from a file\n"
    "  --list              the releases in dist/: version, date, actions, digest\n"
    "  --verify FILE       recompute the digest of a release file\n"
    "\n"
    "Exit codes: 0 done (--verify: the digest matches), 1 --verify: the digest does\n"
    "not match, 2 refused, usage error, or an unreadable release file.\n";

CLI_OPTIONS(cli_release_opts, {"version", required_argument, NULL, 'V'},
            {"notes", required_argument, NULL, 'n'}, {"notes-file", required_argument, NULL, 'N'},
            {"list", no_argument, NULL, 'l'}, {"verify", required_argument, NULL, 'v'});

/* Does the spec at path lint clean of errors? The one place release asks the linter:
 * its findings are shown (on stderr) only when there are errors. Switch it to the
 * library's lint entry point when there is one. */
static int lint_clean(struct cli_ctx *c, const char *path)
{
    char cmd[sizeof(c->cmd)];
    char lint[] = "lint", *p = act_strdup(path);
    FILE *cap = tmpfile();
    if (!p || !cap) {
        act_free(p);
        if (cap)
            fclose(cap);
        return 0;
    }
    char *argv[] = {lint, p, NULL};
    memcpy(cmd, c->cmd, sizeof(cmd));
    fflush(stdout);
    fflush(stderr);
    int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
    dup2(fileno(cap), STDOUT_FILENO);
    dup2(fileno(cap), STDERR_FILENO);
    int rc = cmd_lint(2, argv, c);
    fflush(stdout);
    fflush(stderr);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    close(out);
    close(err);
    if (rc != CLI_EXIT_OK) {
        char buf[4096];
        size_t n;
        rewind(cap);
        while ((n = fread(buf, 1, sizeof(buf), cap)) > 0)
            fwrite(buf, 1, n, stderr);
    }
    fclose(cap);
    memcpy(c->cmd, cmd, sizeof(cmd));
    act_free(p);
    return rc == CLI_EXIT_OK;
}

struct act_project *cli_release_project(struct cli_ctx *c, const char *what)
{
    struct act_project *p;
    if (cli_project(c, &p))
        return NULL;
    if (!p) {
        cli_fail(c, "%s runs in a project: no actions.yaml here or in a parent directory", what);
        return NULL;
    }
    if (!p->name) {
        cli_fail(c, "%s: the project file has no \"project\" name", p->doc->path);
        return NULL;
    }
    if (!act_release_name_valid(p->name)) {
        char echo[ACT_ECHO_SIZE];
        cli_fail(c,
                 "%s: project name \"%s\" cannot name release files (letters, digits, '.', "
                 "'_' and '-', not starting with '.')",
                 p->doc->path, act_echo(echo, sizeof(echo), p->name, strlen(p->name)));
        return NULL;
    }
    return p;
}

/* DIR/dist of the project file's directory into out. */
static enum act_status dist_dir(const struct act_project *p, struct act_buf *out)
{
    const char *path = cli_shown_path(p->doc->path), *slash = strrchr(path, '/');
    act_buf_reset(out);
    if (slash)
        return act_buf_add(out, path, (size_t)(slash - path + 1)) || act_buf_adds(out, "dist")
                   ? ACT_ERR_NOMEM
                   : ACT_OK;
    return act_buf_adds(out, "dist");
}

/* Now (or $SOURCE_DATE_EPOCH) as 2026-01-02T03:04:05Z; -1 when the variable is bad. */
static int created_now(char out[32])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0 || v > 253402300799LL)
            return -1;
        t = (time_t)v;
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return -1;
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return 0;
}

static int verify(struct cli_ctx *c, const char *file)
{
    struct act_doc *rel;
    struct act_error err;
    act_error_init(&err);
    if (act_release_load(file, &rel, &err)) {
        cli_error(c, &err);
        return CLI_EXIT_USAGE;
    }
    char computed[ACT_DIGEST_SIZE];
    int ok = act_release_verify(rel->root, computed);
    if (ok)
        printf("%s: ok, %s\n", file, computed);
    else
        cli_fail(c,
                 "%s: digest mismatch: recorded %s, computed %s (the file was changed after "
                 "it was released)",
                 file, act_release_str(rel->root, "digest"), computed[0] ? computed : "none");
    act_doc_free(rel);
    return ok ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

void cli_release_ids(const cJSON *release, struct act_buf *out)
{
    act_buf_reset(out);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(release, "actions");
    for (const cJSON *x = a ? a->child : NULL; x; x = x->next)
        if (act_buf_printf(out, "%s%s", x == a->child ? "" : ",", act_release_str(x, "id")))
            return;
}

const char *cli_shown_path(const char *path)
{
    char cwd[4096];
    size_t n;
    if (path[0] != '/' || !getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/") == 0)
        return path;
    n = strlen(cwd);
    return strncmp(path, cwd, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static int list(struct cli_ctx *c, const struct act_project *p, const char *dist)
{
    char **v;
    size_t n;
    struct act_buf prefix, path, ids;
    act_buf_init(&prefix);
    act_buf_init(&path);
    act_buf_init(&ids);
    if (act_buf_printf(&prefix, "%s-", p->name) ||
        act_release_versions(dist, prefix.data, &v, &n)) {
        act_buf_release(&prefix);
        return cli_fail(c, "cannot read %s", dist);
    }
    if (n == 0)
        fprintf(stderr, "%s: no releases of %s in %s\n", c->prog, p->name, dist);
    else
        printf("%-14s %-20s %-71s %s\n", "VERSION", "CREATED", "DIGEST", "ACTIONS");
    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        struct act_doc *rel;
        struct act_error err;
        act_error_init(&err);
        act_buf_reset(&path);
        if (act_buf_printf(&path, "%s/%s%s.json", dist, prefix.data, v[i]))
            break;
        if (act_release_load(path.data, &rel, &err)) {
            cli_error(c, &err);
            rc = CLI_EXIT_USAGE;
            continue;
        }
        cli_release_ids(rel->root, &ids);
        printf("%-14s %-20s %-71s %s\n", v[i], act_release_str(rel->root, "created"),
               act_release_str(rel->root, "digest"), ids.data);
        act_doc_free(rel);
    }
    act_release_names_free(v, n);
    act_buf_release(&prefix);
    act_buf_release(&path);
    act_buf_release(&ids);
    return rc;
}

static int keep_listed(const struct act_op *op, void *arg)
{
    for (const cJSON *a = ((const cJSON *)arg)->child; a; a = a->next)
        if (cJSON_IsString(a) && strcmp(a->valuestring, op->id) == 0)
            return 1;
    return 0;
}

/* The release object (members in the documented order) into *out. */
static enum act_status build(const struct act_project *p, const char *version, const char *notes,
                             const char *created, const struct act_spec *spec, cJSON *bundled,
                             cJSON **out)
{
    cJSON *r = cJSON_CreateObject(), *acts;
    if (!r || !cJSON_AddStringToObject(r, "format", ACT_RELEASE_FORMAT) ||
        !cJSON_AddStringToObject(r, "project", p->name) ||
        !cJSON_AddStringToObject(r, "version", version) ||
        !cJSON_AddStringToObject(r, "notes", notes) ||
        !cJSON_AddStringToObject(r, "created", created) ||
        !(acts = cJSON_AddArrayToObject(r, "actions")))
        goto fail;
    for (size_t i = 0; i < spec->n_ops; i++) {
        const struct act_op *op = &spec->ops[i];
        cJSON *a = cJSON_CreateObject();
        if (!a || !cJSON_AddItemToArray(acts, a) || !cJSON_AddStringToObject(a, "id", op->id) ||
            !cJSON_AddStringToObject(a, "method", op->method) ||
            !cJSON_AddStringToObject(a, "path", op->path))
            goto fail;
    }
    if (!cJSON_AddItemToObject(r, "spec", bundled)) {
        cJSON_Delete(bundled);
        goto fail_nobundle;
    }
    char digest[ACT_DIGEST_SIZE];
    enum act_status st = act_release_digest(r, digest);
    if (st) {
        cJSON_Delete(r);
        return st;
    }
    if (!cJSON_AddStringToObject(r, "digest", digest))
        goto fail_nobundle;
    *out = r;
    return ACT_OK;
fail:
    cJSON_Delete(bundled);
fail_nobundle:
    cJSON_Delete(r);
    return ACT_ERR_NOMEM;
}

/* Load the project's spec, check and keep its listed actions, bundle it. */
static int load_and_bundle(struct cli_ctx *c, const struct act_project *p, struct act_spec **spec,
                           cJSON **bundled)
{
    struct act_error err;
    act_error_init(&err);
    int flags = c->absolute_refs ? ACT_SPEC_ABSOLUTE_REFS : 0;
    if (act_spec_load_name(p->spec, flags, spec, &err)) {
        cli_error(c, &err);
        return CLI_EXIT_USAGE;
    }
    for (const cJSON *a = p->actions ? p->actions->child : NULL; a; a = a->next) {
        if (!act_spec_find_op(*spec, a->valuestring)) {
            act_error_set(&err, ACT_ERR_INVALID, p->doc->path, 0, 0,
                          "release refused: the project lists action \"%s\", which is not in %s",
                          a->valuestring, cli_shown_path(p->spec));
            act_error_at_node(&err, p->doc, a);
            cli_error(c, &err);
            return CLI_EXIT_USAGE;
        }
    }
    if (p->actions)
        act_spec_retain(*spec, keep_listed, (void *)p->actions);
    if (act_bundle(*spec, bundled, &err)) {
        cli_error(c, &err);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int release(struct cli_ctx *c, const struct act_project *p, const char *dist,
                   const char *version, const char *notes)
{
    char echo[ACT_ECHO_SIZE];
    if (!version)
        return cli_fail(c, "no version: pass --version X.Y.Z or set \"version\" in %s",
                        p->doc->path);
    if (!act_semver_valid(version))
        return cli_fail(c,
                        "release refused: \"%s\" is not a semantic version (MAJOR.MINOR.PATCH, "
                        "e.g. 1.2.0 or 2.0.0-rc.1; see semver.org)",
                        act_echo(echo, sizeof(echo), version, strlen(version)));
    struct act_buf file, prefix;
    act_buf_init(&file);
    act_buf_init(&prefix);
    int rc = CLI_EXIT_USAGE;
    char **v = NULL;
    size_t n = 0;
    struct act_spec *spec = NULL;
    cJSON *bundled = NULL, *rel = NULL;
    char *text = NULL;
    if (act_buf_printf(&prefix, "%s-", p->name) ||
        act_buf_printf(&file, "%s/%s%s.json", dist, prefix.data, version)) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (access(file.data, F_OK) == 0) {
        rc = cli_fail(c,
                      "release refused: %s %s already exists (%s); a release is never "
                      "overwritten: choose a greater version",
                      p->name, version, file.data);
        goto out;
    }
    if (act_release_versions(dist, prefix.data, &v, &n)) {
        rc = cli_fail(c, "cannot read %s", dist);
        goto out;
    }
    if (n && act_semver_cmp(version, v[n - 1]) <= 0) {
        rc = cli_fail(c,
                      "release refused: version %s is not greater than the last release, %s "
                      "(%s/%s%s.json)",
                      version, v[n - 1], dist, prefix.data, v[n - 1]);
        goto out;
    }
    if (!p->spec) {
        rc = cli_fail(c, "%s: the project file has no \"spec\"", p->doc->path);
        goto out;
    }
    if (!lint_clean(c, p->spec)) {
        rc = cli_fail(c,
                      "release refused: %s does not lint clean of errors (see above, or run "
                      "actions lint)",
                      cli_shown_path(p->spec));
        goto out;
    }
    if ((rc = load_and_bundle(c, p, &spec, &bundled)))
        goto out;
    char created[32];
    if (created_now(created)) {
        cJSON_Delete(bundled);
        rc = cli_fail(c, "$SOURCE_DATE_EPOCH must be a number of seconds since 1970");
        goto out;
    }
    enum act_status st = build(p, version, notes, created, spec, bundled, &rel);
    if (st) {
        rc = cli_fail(c, "cannot build the release: %s", act_status_str(st));
        goto out;
    }
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    cli_print_json(mem, rel);
    fclose(mem);
    struct act_error err;
    act_error_init(&err);
    if (act_mkdirs(dist, &err) || act_write_atomic(file.data, text, len, 0, 0, &err)) {
        cli_error(c, &err);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    printf("released %s %s: %s (%zu action%s, %s)\n", p->name, version, file.data, spec->n_ops,
           spec->n_ops == 1 ? "" : "s", act_release_str(rel, "digest"));
    rc = CLI_EXIT_OK;
out:
    free(text);
    cJSON_Delete(rel);
    act_spec_free(spec);
    act_release_names_free(v, n);
    act_buf_release(&file);
    act_buf_release(&prefix);
    return rc;
}

int cmd_release(int argc, char **argv, struct cli_ctx *c)
{
    const char *version = NULL, *notes = NULL, *notes_file = NULL, *verify_file = NULL;
    int do_list = 0, opt;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        switch (opt) {
        case 'V': version = optarg; break;
        case 'n': notes = optarg; break;
        case 'N': notes_file = optarg; break;
        case 'l': do_list = 1; break;
        case 'v': verify_file = optarg; break;
        }
    }
    if (opt == 0)
        return g.rc;
    int rc;
    if ((rc = cli_operands(c, argc, argv, 0, 0, NULL)))
        return rc;
    if (notes && notes_file)
        return cli_usage_error(c, "--notes and --notes-file exclude each other");
    if ((do_list || verify_file) && (version || notes || notes_file || (do_list && verify_file)))
        return cli_usage_error(c, "--list and --verify FILE take no other option");
    if (verify_file)
        return verify(c, verify_file);
    struct act_project *p =
        cli_release_project(c, do_list ? "actions release --list" : "actions release");
    if (!p)
        return CLI_EXIT_USAGE;
    struct act_buf dist;
    act_buf_init(&dist);
    if (dist_dir(p, &dist))
        return cli_fail(c, "out of memory");
    if (do_list) {
        rc = list(c, p, dist.data);
    } else if (notes_file) {
        char *text;
        size_t len;
        struct act_error err;
        act_error_init(&err);
        if (act_file_read(notes_file, &text, &len, &err)) {
            cli_error(c, &err);
            rc = CLI_EXIT_USAGE;
        } else {
            rc = release(c, p, dist.data, version ? version : p->version, text);
            act_free(text);
        }
    } else {
        rc = release(c, p, dist.data, version ? version : p->version, notes ? notes : "");
    }
    act_buf_release(&dist);
    return rc;
}
