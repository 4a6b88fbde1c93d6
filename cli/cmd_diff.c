/*
 * cmd_diff.c - `actions diff [OLD NEW] [--actions ID,...] [--format text|json|junit]
 * [--fail-on breaking|warning]`.
 *
 * Owns the front end of the comparison (validator/diff.h does the work): loading
 * OLD and NEW (spec files, release files, library: names), the project drift check
 * (no arguments: the highest release in dist/ against the current spec, for the
 * project's actions), the action filter, the three output formats and the exit code.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/library.h"
#include "validator/diff.h"

static const char usage[] =
    "usage: actions diff [OLD NEW] [--actions ID,...] [--format text|json|junit]\n"
    "                    [--fail-on breaking|warning]\n"
    "\n"
    "Compare two specs action by action and report what changed for their clients:\n"
    "breaking changes, warnings and additions (info), each with a JSON Pointer into\n"
    "OLD and NEW. OLD and NEW are spec files, release files (dist/*.json written by\n"
    "`actions release`) or library:PROJECT@VERSION names. With no arguments, inside a\n"
    "project: the last release in dist/ against the current spec, for the project's\n"
    "actions (the CI drift check).\n"
    "\n"
    "  --actions ID,...  compare only these actions (repeatable)\n"
    "  --format FORMAT   text (default, grouped by action), json, or junit (a\n"
    "                    testcase per action, failed when it has a change at the\n"
    "                    --fail-on level)\n"
    "  --fail-on LEVEL   breaking (default) or warning: exit 1 when a change at\n"
    "                    that level or above is found\n"
    "\n"
    "Exit: 0 no change at the --fail-on level, 1 there is one, 2 invalid input.\n";

CLI_OPTIONS(cli_diff_opts, {"actions", required_argument, NULL, 'a'},
            {"format", required_argument, NULL, 'f'}, {"fail-on", required_argument, NULL, 'F'});

enum fmt { FMT_TEXT, FMT_JSON, FMT_JUNIT };

/* ---- loading ---------------------------------------------------------------------------- */

/* OLD or NEW: a spec file, a release file or a library: name, as every SPEC. */
static enum act_status load(struct cli_ctx *c, const char *arg, struct act_spec **out)
{
    return cli_load_spec(c, arg, c->absolute_refs ? ACT_SPEC_ABSOLUTE_REFS : 0, out);
}

/* "1.2.3" -> v[3]; 0 when s is not one. */
static int semver(const char *s, size_t len, long v[3])
{
    const char *p = s, *end = s + len;
    for (int i = 0; i < 3; i++) {
        if (p >= end || *p < '0' || *p > '9' ||
            (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9'))
            return 0;
        char *q;
        v[i] = strtol(p, &q, 10);
        p = q;
        if (i < 2) {
            if (p >= end || *p != '.')
                return 0;
            p++;
        }
    }
    return p == end;
}

/* The highest release "<name>-X.Y.Z.json" in dir (any name when name is NULL) into
 * *out (act_free); ACT_ERR_NOTFOUND when there is none. */
static enum act_status last_release(const char *dir, const char *name, char **out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return ACT_ERR_NOTFOUND;
    long best[3] = {-1, -1, -1};
    char *best_name = NULL;
    struct dirent *e;
    enum act_status st = ACT_OK;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 11 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        const char *ver;
        if (name) {
            size_t nl = strlen(name);
            if (strncmp(e->d_name, name, nl) != 0 || e->d_name[nl] != '-')
                continue;
            ver = e->d_name + nl + 1;
        } else {
            const char *dash = NULL;
            for (const char *p = e->d_name; p < e->d_name + len - 5; p++)
                if (*p == '-')
                    dash = p;
            if (!dash)
                continue;
            ver = dash + 1;
        }
        long v[3];
        if (ver > e->d_name + len - 5 || !semver(ver, (size_t)(e->d_name + len - 5 - ver), v))
            continue;
        if (v[0] > best[0] ||
            (v[0] == best[0] && (v[1] > best[1] || (v[1] == best[1] && v[2] > best[2])))) {
            char *copy = act_strdup(e->d_name);
            if (!copy) {
                st = ACT_ERR_NOMEM;
                break;
            }
            act_free(best_name);
            best_name = copy;
            memcpy(best, v, sizeof(best));
        }
    }
    closedir(d);
    if (st || !best_name) {
        act_free(best_name);
        return st ? st : ACT_ERR_NOTFOUND;
    }
    struct act_buf b;
    act_buf_init(&b);
    st = act_buf_printf(&b, "%s/%s", dir, best_name);
    act_free(best_name);
    *out = st ? NULL : act_buf_detach(&b, NULL);
    act_buf_release(&b);
    return st ? st : *out ? ACT_OK : ACT_ERR_NOMEM;
}

static int listed_in(const struct act_op *op, void *arg)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, (const cJSON *)arg)
    {
        if (cJSON_IsString(a) && strcmp(a->valuestring, op->id) == 0)
            return 1;
    }
    return 0;
}

/* The project drift check's OLD and NEW: the last release in the project's dist/ and
 * its current spec; old limited to the project's actions. */
static int load_project(struct cli_ctx *c, struct act_spec **old, struct act_spec **new_spec,
                        char **old_name)
{
    struct act_project *p;
    if (cli_project(c, &p))
        return CLI_EXIT_USAGE;
    if (!p)
        return cli_usage_error(c, "diff needs OLD and NEW, or a project (actions.yaml) with a "
                                  "release in its dist/ directory");
    const char *slash = strrchr(p->doc->path, '/');
    struct act_buf dir;
    act_buf_init(&dir);
    enum act_status st = slash ? act_buf_add(&dir, p->doc->path, (size_t)(slash - p->doc->path))
                               : act_buf_adds(&dir, ".");
    if (!st)
        st = act_buf_adds(&dir, "/dist");
    if (!st)
        st = last_release(dir.data, p->name, old_name);
    if (st == ACT_ERR_NOTFOUND) {
        char echo[ACT_ECHO_SIZE];
        cli_fail(c, "no release of the project in %s (write one with: actions release)",
                 act_echo(echo, sizeof(echo), dir.data, dir.len));
        act_buf_release(&dir);
        return CLI_EXIT_USAGE;
    }
    act_buf_release(&dir);
    if (st)
        return cli_fail(c, "out of memory");
    if (load(c, *old_name, old))
        return CLI_EXIT_USAGE;
    if (p->actions)
        act_spec_retain(*old, listed_in, (void *)p->actions);
    const char *path;
    int from_project;
    if (cli_spec_path(c, NULL, &path, &from_project))
        return CLI_EXIT_USAGE;
    if (load(c, path, new_spec))
        return CLI_EXIT_USAGE;
    return CLI_EXIT_OK;
}

/* --actions: the ids, comma-separated, in one array. */
static int add_ids(struct cli_ctx *c, cJSON *ids, const char *arg)
{
    const char *p = arg;
    while (1) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len) {
            char *id = act_strndup(p, len);
            cJSON *s = id ? cJSON_CreateString(id) : NULL;
            act_free(id);
            if (!s || !cJSON_AddItemToArray(ids, s)) {
                cJSON_Delete(s);
                return cli_fail(c, "out of memory");
            }
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    return CLI_EXIT_OK;
}

/* Every id of ids must name an action of old or new. */
static int check_ids(struct cli_ctx *c, const cJSON *ids, const struct act_spec *old,
                     const struct act_spec *new_spec)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, ids)
    {
        if (act_spec_find_op(old, a->valuestring) || act_spec_find_op(new_spec, a->valuestring))
            continue;
        const char *near[5];
        size_t n = act_spec_suggest(old, a->valuestring, near, 5);
        cli_unknown(c, "action", a->valuestring, old->doc->path, "list", near, n);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* ---- output ----------------------------------------------------------------------------- */

/* Text with control characters shown as \xNN (pointers name spec keys). */
static void put_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f)
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
}

/* XML text: markup escaped, control characters as \xNN. */
static void put_xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s < 0x20 || *s == 0x7f)
                fprintf(f, "\\x%02x", (unsigned char)*s);
            else
                fputc(*s, f);
        }
    }
}

/* The changes of d about action id: [*first, *end). Changes come grouped by action. */
static void changes_of(const struct act_diff *d, const char *id, size_t *first, size_t *end)
{
    size_t i = 0;
    while (i < d->n && d->changes[i].action != id)
        i++;
    *first = i;
    while (i < d->n && d->changes[i].action == id)
        i++;
    *end = i;
}

static void counts(const struct act_diff *d, size_t from, size_t to, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = from; i < to; i++)
        n[d->changes[i].severity]++;
}

static void print_text(const struct act_diff *d)
{
    size_t affected = 0, n[3];
    for (size_t a = 0; a < d->n_actions; a++) {
        size_t first, end;
        changes_of(d, d->actions[a], &first, &end);
        if (first == end)
            continue;
        affected++;
        counts(d, first, end, n);
        put_text(stdout, d->actions[a]);
        printf(": %zu breaking, %zu warning%s, %zu info\n", n[2], n[1], n[1] == 1 ? "" : "s", n[0]);
        for (size_t i = first; i < end; i++) {
            const struct act_diff_change *ch = &d->changes[i];
            printf("  %-8s %s\n", act_diff_severity_name(ch->severity), ch->message);
            printf("           old: ");
            put_text(stdout, ch->old_ptr ? ch->old_ptr : "-");
            printf("  new: ");
            put_text(stdout, ch->new_ptr ? ch->new_ptr : "-");
            putchar('\n');
        }
    }
    counts(d, 0, d->n, n);
    if (d->n == 0)
        printf("no changes (%zu action%s compared)\n", d->n_actions, d->n_actions == 1 ? "" : "s");
    else
        printf("%zu change%s in %zu of %zu actions: %zu breaking, %zu warning%s, %zu info\n", d->n,
               d->n == 1 ? "" : "s", affected, d->n_actions, n[2], n[1], n[1] == 1 ? "" : "s",
               n[0]);
}

static int print_json(struct cli_ctx *c, const struct act_diff *d, const char *old_name,
                      const char *new_name)
{
    size_t n[3];
    counts(d, 0, d->n, n);
    cJSON *root = cJSON_CreateObject(), *sum = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    int ok = root && sum && arr;
    if (ok) {
        cJSON_AddItemToObject(root, "old", cJSON_CreateString(old_name));
        cJSON_AddItemToObject(root, "new", cJSON_CreateString(new_name));
        cJSON_AddItemToObject(root, "actions", cJSON_CreateNumber((double)d->n_actions));
        cJSON_AddItemToObject(sum, "breaking", cJSON_CreateNumber((double)n[2]));
        cJSON_AddItemToObject(sum, "warning", cJSON_CreateNumber((double)n[1]));
        cJSON_AddItemToObject(sum, "info", cJSON_CreateNumber((double)n[0]));
        cJSON_AddItemToObject(root, "summary", sum);
        cJSON_AddItemToObject(root, "changes", arr);
        sum = arr = NULL;
    }
    for (size_t i = 0; ok && i < d->n; i++) {
        const struct act_diff_change *ch = &d->changes[i];
        cJSON *o = cJSON_CreateObject();
        ok = o && cJSON_AddItemToArray(cJSON_GetObjectItem(root, "changes"), o);
        if (!ok) {
            cJSON_Delete(o);
            break;
        }
        cJSON_AddItemToObject(o, "action", cJSON_CreateString(ch->action));
        cJSON_AddItemToObject(o, "severity",
                              cJSON_CreateString(act_diff_severity_name(ch->severity)));
        cJSON_AddItemToObject(o, "old",
                              ch->old_ptr ? cJSON_CreateString(ch->old_ptr) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "new",
                              ch->new_ptr ? cJSON_CreateString(ch->new_ptr) : cJSON_CreateNull());
        ok = cJSON_AddItemToObject(o, "message", cJSON_CreateString(ch->message)) &&
             cJSON_GetObjectItem(o, "message");
    }
    if (ok)
        cli_print_json(stdout, root);
    cJSON_Delete(root);
    cJSON_Delete(sum);
    cJSON_Delete(arr);
    return ok ? CLI_EXIT_OK : cli_fail(c, "out of memory");
}

static void print_junit(const struct act_diff *d, enum act_diff_severity fail_at,
                        const char *old_name, const char *new_name)
{
    size_t failures = 0;
    for (size_t a = 0; a < d->n_actions; a++) {
        size_t first, end;
        changes_of(d, d->actions[a], &first, &end);
        for (size_t i = first; i < end; i++)
            if (d->changes[i].severity >= fail_at) {
                failures++;
                break;
            }
    }
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    printf("<testsuites name=\"actions diff\" tests=\"%zu\" failures=\"%zu\">\n", d->n_actions,
           failures);
    printf("  <testsuite name=\"diff ");
    put_xml(stdout, old_name);
    printf(" ");
    put_xml(stdout, new_name);
    printf("\" tests=\"%zu\" failures=\"%zu\">\n", d->n_actions, failures);
    for (size_t a = 0; a < d->n_actions; a++) {
        size_t first, end, n[3];
        changes_of(d, d->actions[a], &first, &end);
        counts(d, first, end, n);
        printf("    <testcase classname=\"diff\" name=\"");
        put_xml(stdout, d->actions[a]);
        printf("\"");
        if (first == end) {
            printf("/>\n");
            continue;
        }
        printf(">\n");
        size_t bad = fail_at == ACT_DIFF_BREAKING ? n[2] : n[2] + n[1];
        if (bad)
            printf("      <failure type=\"%s\" message=\"%zu breaking, %zu warning%s\">",
                   fail_at == ACT_DIFF_BREAKING ? "breaking" : "warning", n[2], n[1],
                   n[1] == 1 ? "" : "s");
        else
            printf("      <system-out>");
        for (size_t i = first; i < end; i++) {
            const struct act_diff_change *ch = &d->changes[i];
            printf("%s: ", act_diff_severity_name(ch->severity));
            put_xml(stdout, ch->message);
            printf(" (old: ");
            put_xml(stdout, ch->old_ptr ? ch->old_ptr : "-");
            printf(", new: ");
            put_xml(stdout, ch->new_ptr ? ch->new_ptr : "-");
            printf(")\n");
        }
        printf(bad ? "</failure>\n" : "</system-out>\n");
        printf("    </testcase>\n");
    }
    printf("  </testsuite>\n</testsuites>\n");
}

/* ---- the command ------------------------------------------------------------------------ */

int cmd_diff(int argc, char **argv, struct cli_ctx *c)
{
    enum fmt format = FMT_TEXT;
    enum act_diff_severity fail_at = ACT_DIFF_BREAKING;
    cJSON *ids = cJSON_CreateArray();
    static const char *const formats[] = {"text", "json", "junit", NULL}; /* enum fmt */
    static const char *const fail_on[] = {"breaking", "warning", NULL};
    int opt, k, rc = CLI_EXIT_OK;
    if (!ids)
        return cli_fail(c, "out of memory");
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, usage);
    while (!rc && (opt = cli_getopt_next(&g)) > 0) {
        switch (opt) {
        case 'a': rc = add_ids(c, ids, optarg); break;
        case 'f':
            if ((k = cli_choice(optarg, formats)) < 0)
                rc = cli_usage_error(c, "--format must be text, json or junit");
            else
                format = (enum fmt)k;
            break;
        case 'F':
            if ((k = cli_choice(optarg, fail_on)) < 0)
                rc = cli_usage_error(c, "--fail-on must be breaking or warning");
            else
                fail_at = k ? ACT_DIFF_WARNING : ACT_DIFF_BREAKING;
            break;
        }
    }
    if (!rc && opt == 0) {
        cJSON_Delete(ids);
        return g.rc;
    }
    int npos = argc - optind;
    if (!rc && npos == 1)
        rc = cli_usage_error(c, "diff needs both OLD and NEW (or neither, in a project)");
    if (!rc && npos > 2)
        rc = cli_extra_arg(c, argv[optind + 2]);
    if (rc) {
        cJSON_Delete(ids);
        return rc;
    }
    struct act_spec *old = NULL, *new_spec = NULL;
    char *release = NULL;
    const char *old_name, *new_name;
    int flags = 0;
    if (npos == 2) {
        old_name = argv[optind];
        new_name = argv[optind + 1];
        rc = load(c, old_name, &old) ? CLI_EXIT_USAGE : CLI_EXIT_OK;
        if (!rc)
            rc = load(c, new_name, &new_spec) ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    } else {
        rc = load_project(c, &old, &new_spec, &release);
        old_name = release ? release : "";
        new_name = new_spec ? new_spec->doc->path : "";
        flags = ACT_DIFF_OLD_ONLY;
    }
    if (!rc && cJSON_GetArraySize(ids) > 0) {
        rc = check_ids(c, ids, old, new_spec);
        if (!rc) {
            act_spec_retain(old, listed_in, ids);
            act_spec_retain(new_spec, listed_in, ids);
        }
    }
    struct act_diff d;
    act_diff_init(&d);
    if (!rc) {
        struct act_error err;
        act_error_init(&err);
        enum act_status st = act_diff_specs(old, new_spec, flags, &d, &err);
        if (st) {
            cli_error(c, &err);
            rc = CLI_EXIT_USAGE;
        }
    }
    if (!rc) {
        if (format == FMT_JSON)
            rc = print_json(c, &d, old_name, new_name);
        else if (format == FMT_JUNIT)
            print_junit(&d, fail_at, old_name, new_name);
        else
            print_text(&d);
        if (!rc && act_diff_count(&d, fail_at) > 0)
            rc = CLI_EXIT_FAILED;
    }
    act_diff_release(&d);
    act_spec_free(old);
    act_spec_free(new_spec);
    act_free(release);
    cJSON_Delete(ids);
    return rc;
}
