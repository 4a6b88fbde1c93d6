/*
 * cmd_library.c - `actions publish VERSION` (a verified release of the project
 * into the library, atomically) and `actions library list | show`.
 * Fault injection for tests: ACTIONS_TEST_KILL_BEFORE_RENAME=1 makes publish
 * raise SIGKILL just before the library file appears. The temporary file such a
 * kill leaves is reported by library list and removed by the next publish.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/library.h"

static const char publish_usage[] =
    "usage: actions publish VERSION\n"
    "\n"
    "In a project: verify the digest of dist/PROJECT-VERSION.json and copy it into\n"
    "the library, $ACTIONS_LIBRARY (default $XDG_DATA_HOME/actions/library, i.e.\n"
    "~/.local/share/actions/library), as PROJECT/VERSION.json. The copy is atomic:\n"
    "a temporary file, fsync, then rename; a temporary file an interrupted publish\n"
    "left is removed. The same release already there is fine\n"
    "(\"already published\"); the same version with another digest is refused.\n"
    "\n"
    "Exit codes: 0 published or already there, 2 refused, usage error or an\n"
    "unreadable release.\n";

const struct option *const cli_publish_opts = cli_help_only; /* for completion */

static int library_list(int argc, char **argv, struct cli_ctx *c);
static int library_show(int argc, char **argv, struct cli_ctx *c);

CLI_VERBS(cli_library_verbs, cli_library_n_verbs,
          {"list", library_list, "every published release: project, version, date, actions",
           &cli_publish_opts},
          {"show", library_show, "one release (PROJECT[@VERSION], default latest): actions, notes",
           &cli_publish_opts});

static const char library_usage[] =
    "usage: actions library list\n"
    "       actions library show PROJECT[@VERSION]\n"
    "\n"
    "The library of published releases: $ACTIONS_LIBRARY, default\n"
    "$XDG_DATA_HOME/actions/library (~/.local/share/actions/library). Any command\n"
    "that takes a SPEC also takes library:PROJECT@VERSION (or @latest, the highest\n"
    "version), the release's spec limited to its actions.\n"
    "\n"
    "Verbs:\n";

/* The temporary files an interrupted publish left in dir (a project's directory of the
 * library): removed (remove = 1, publish) or reported (library list), one line each on
 * stderr. Files a running publish writes are not touched. */
static void stale_temps(struct cli_ctx *c, const char *dir, int remove)
{
    char **v;
    size_t n;
    if (act_atomic_stale(dir, remove, &v, &n))
        return;
    for (size_t i = 0; i < n; i++)
        fprintf(stderr,
                remove ? "%s: removed %s/%s, left by an interrupted publish\n"
                       : "%s: %s/%s: left by an interrupted publish (the next actions publish "
                         "of the project removes it)\n",
                c->prog, dir, v[i]);
    act_release_names_free(v, n);
}

int cmd_publish(int argc, char **argv, struct cli_ctx *c)
{
    int rc = cli_only_help(c, argc, argv, publish_usage);
    if (rc >= 0)
        return rc;
    if ((rc = cli_operands(c, argc, argv, 1, 1, "publish needs the VERSION to publish")))
        return rc;
    const char *version = argv[optind];
    char echo[ACT_ECHO_SIZE];
    if (!act_semver_valid(version))
        return cli_fail(c, "\"%s\" is not a semantic version (MAJOR.MINOR.PATCH)",
                        act_echo(echo, sizeof(echo), version, strlen(version)));
    struct act_project *p = cli_release_project(c, "actions publish");
    if (!p)
        return CLI_EXIT_USAGE;
    struct act_buf src, lib, dst;
    struct act_doc *rel = NULL, *old = NULL;
    struct act_error err;
    char *bytes = NULL;
    size_t len;
    act_error_init(&err);
    act_buf_init(&src);
    act_buf_init(&lib);
    act_buf_init(&dst);
    rc = CLI_EXIT_USAGE;
    const char *proj = cli_shown_path(p->doc->path), *slash = strrchr(proj, '/');
    if ((slash && act_buf_add(&src, proj, (size_t)(slash - proj + 1))) ||
        act_buf_printf(&src, "dist/%s-%s.json", p->name, version) || act_library_dir(&lib) ||
        act_buf_printf(&lib, "/%s", p->name) ||
        act_buf_printf(&dst, "%s/%s.json", lib.data, version)) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (access(src.data, F_OK) != 0) {
        rc = cli_fail(c, "no release %s %s: %s does not exist (see: actions release --list)",
                      p->name, version, src.data);
        goto out;
    }
    if (act_release_load(src.data, &rel, &err)) {
        cli_error(c, &err);
        goto out;
    }
    if (strcmp(act_release_str(rel->root, "project"), p->name) != 0 ||
        strcmp(act_release_str(rel->root, "version"), version) != 0) {
        rc = cli_fail(c, "publish refused: %s is a release of %s %s, not of %s %s", src.data,
                      act_release_str(rel->root, "project"), act_release_str(rel->root, "version"),
                      p->name, version);
        goto out;
    }
    char computed[ACT_DIGEST_SIZE];
    if (!act_release_verify(rel->root, computed)) {
        rc = cli_fail(c,
                      "publish refused: %s does not match its digest (recorded %s, computed "
                      "%s): the file was changed after it was released",
                      src.data, act_release_str(rel->root, "digest"), computed);
        goto out;
    }
    const char *digest = act_release_str(rel->root, "digest");
    if (access(dst.data, F_OK) == 0) {
        if (act_release_load(dst.data, &old, &err)) {
            cli_error(c, &err);
            goto out;
        }
        if (strcmp(act_release_str(old->root, "digest"), digest) == 0) {
            printf("%s %s is already published: %s (%s)\n", p->name, version, dst.data, digest);
            rc = CLI_EXIT_OK;
        } else {
            rc = cli_fail(c,
                          "publish refused: %s %s is already in the library with another "
                          "digest (%s there, %s here): a published version never changes; "
                          "release a new version",
                          p->name, version, act_release_str(old->root, "digest"), digest);
        }
        goto out;
    }
    /* the released bytes themselves, not a re-serialization */
    int kill_hook = getenv("ACTIONS_TEST_KILL_BEFORE_RENAME") &&
                    strcmp(getenv("ACTIONS_TEST_KILL_BEFORE_RENAME"), "1") == 0;
    stale_temps(c, lib.data, 1);
    if (act_file_read(src.data, &bytes, &len, &err) || act_mkdirs(lib.data, &err) ||
        act_write_atomic(dst.data, bytes, len, 0, kill_hook, &err)) {
        cli_error(c, &err);
        goto out;
    }
    printf("published %s %s: %s (%s)\n", p->name, version, dst.data, digest);
    rc = CLI_EXIT_OK;
out:
    act_free(bytes);
    act_doc_free(rel);
    act_doc_free(old);
    act_buf_release(&src);
    act_buf_release(&lib);
    act_buf_release(&dst);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int library_list(int argc, char **argv, struct cli_ctx *c)
{
    int rc = cli_only_help(c, argc, argv, library_usage);
    if (rc >= 0)
        return rc;
    if ((rc = cli_operands(c, argc, argv, 0, 0, NULL)))
        return rc;
    struct act_buf lib, path, ids;
    act_buf_init(&lib);
    act_buf_init(&path);
    act_buf_init(&ids);
    if (act_library_dir(&lib))
        return cli_fail(c, "out of memory");
    char **projects = NULL;
    size_t n = 0, cap = 0;
    DIR *d = opendir(lib.data);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!act_release_name_valid(e->d_name))
            continue;
        char *s = act_strdup(e->d_name);
        if (!s || ACT_GROW(projects, cap, n + 1, 8)) {
            act_free(s);
            break;
        }
        projects[n++] = s;
    }
    if (d)
        closedir(d);
    if (n)
        qsort(projects, n, sizeof(*projects), cmp_str);
    size_t shown = 0;
    rc = CLI_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        char **v;
        size_t nv;
        act_buf_reset(&path);
        if (act_buf_printf(&path, "%s/%s", lib.data, projects[i]))
            continue;
        stale_temps(c, path.data, 0);
        if (act_release_versions(path.data, "", &v, &nv))
            continue;
        for (size_t k = 0; k < nv; k++) {
            struct act_doc *rel;
            struct act_error err;
            act_error_init(&err);
            act_buf_reset(&path);
            if (act_buf_printf(&path, "%s/%s/%s.json", lib.data, projects[i], v[k]))
                break;
            if (act_release_load(path.data, &rel, &err)) {
                cli_error(c, &err);
                rc = CLI_EXIT_USAGE;
                continue;
            }
            if (shown++ == 0)
                printf("%-20s %-14s %-20s %s\n", "PROJECT", "VERSION", "CREATED", "ACTIONS");
            cli_release_ids(rel->root, &ids);
            printf("%-20s %-14s %-20s %s\n", projects[i], v[k],
                   act_release_str(rel->root, "created"), ids.data);
            act_doc_free(rel);
        }
        act_release_names_free(v, nv);
    }
    if (shown == 0)
        fprintf(stderr, "%s: the library %s has no releases (actions publish VERSION adds one)\n",
                c->prog, lib.data);
    act_release_names_free(projects, n);
    act_buf_release(&lib);
    act_buf_release(&path);
    act_buf_release(&ids);
    return rc;
}

static int library_show(int argc, char **argv, struct cli_ctx *c)
{
    int rc = cli_only_help(c, argc, argv, library_usage);
    if (rc >= 0)
        return rc;
    if ((rc = cli_operands(c, argc, argv, 1, 1, "library show needs PROJECT[@VERSION]")))
        return rc;
    struct act_buf path;
    struct act_doc *rel = NULL;
    struct act_error err;
    act_error_init(&err);
    act_buf_init(&path);
    enum act_status st = act_library_resolve(argv[optind], &path, &err);
    if (!st)
        st = act_release_load(path.data, &rel, &err);
    if (st) {
        cli_error(c, &err);
        act_buf_release(&path);
        return cli_exit_code(st);
    }
    const cJSON *r = rel->root;
    char computed[ACT_DIGEST_SIZE];
    int ok = act_release_verify(r, computed);
    printf("project: %s\nversion: %s\ncreated: %s\ndigest:  %s%s\nfile:    %s\n",
           act_release_str(r, "project"), act_release_str(r, "version"),
           act_release_str(r, "created"), act_release_str(r, "digest"),
           ok ? "" : " (MISMATCH: the file was changed)", path.data);
    const char *notes = act_release_str(r, "notes");
    if (*notes)
        printf("notes:   %s\n", notes);
    printf("actions:\n");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(r, "actions");
    for (const cJSON *x = a->child; x; x = x->next) {
        char method[16];
        snprintf(method, sizeof(method), "%s", act_release_str(x, "method"));
        for (char *m = method; *m; m++)
            if (*m >= 'a' && *m <= 'z')
                *m = (char)(*m - 'a' + 'A');
        printf("  %-30s %-7s %s\n", act_release_str(x, "id"), method, act_release_str(x, "path"));
    }
    act_doc_free(rel);
    act_buf_release(&path);
    return ok ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

int cmd_library(int argc, char **argv, struct cli_ctx *c)
{
    return cli_run_verb(c, "library", library_usage, verbs, cli_library_n_verbs, argc, argv);
}
