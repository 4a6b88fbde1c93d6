/*
 * cmd_complete.c - `actions __complete SHELL CWORD WORD...`: the candidates for
 * shell completion, so that completions/actions.bash and completions/_actions
 * hold no logic. Hidden: not in --help.
 *
 * SHELL is bash or zsh, WORD... the words of the command line from the program
 * name on, CWORD the index among them of the word being completed (one past
 * the last for a new, empty word). The answer on stdout, first line:
 *   words   the candidates follow, one a line, each a replacement for the
 *           shell's current word (already filtered by what is typed)
 *   files   complete file paths; the second line is the path typed so far
 * Nothing at all when there is nothing to offer. stderr is silenced: a bad
 * spec, project or destinations file gives no candidates, never a message.
 *
 * bash splits "--format=js" into "--format", "=", "js" (COMP_WORDBREAKS) and
 * replaces only the text after the '='; the words are joined back here and the
 * candidates cut to that text. zsh keeps such a word whole.
 *
 * Options come from the commands' own getopt_long tables (cli_commands), so
 * they cannot drift from what the commands accept. Action ids come from
 * act_spec_ids_load (a JSON spec is skimmed, any other loaded), once: they are
 * kept in $XDG_CACHE_HOME/actions/ (else ~/.cache/actions/), keyed by the
 * spec's real path, size and modification time.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/library.h"
#include "parser/spec_ids.h"

struct comp {
    struct cli_ctx *c;
    char **w;           /* the words up to the current one (joined at '=' for bash) */
    int cw;             /* index of the current word in w */
    const char *cur;    /* the current word */
    size_t keep;        /* leading bytes of cur the shell keeps (bash: through the '=') */
    int header;         /* "words" printed */
    int nocase;         /* candidates match what is typed in any case */
    const char *pos[8]; /* the positional arguments before the current word */
    int npos;
    const char *dests; /* --destinations */
    int schema, all;   /* --schema, --all given */
};

/* Offer cand, when it starts with what is typed after the kept part... of cur. */
static void offer(struct comp *k, const char *prefix, const char *cand)
{
    size_t np = strlen(prefix), nc = strlen(k->cur);
    /* the candidate as a whole word: prefix + cand */
    if (nc <= np) {
        if (strncmp(prefix, k->cur, nc) != 0)
            return;
    } else if (strncmp(prefix, k->cur, np) != 0 ||
               (k->nocase ? strncasecmp(cand, k->cur + np, nc - np)
                          : strncmp(cand, k->cur + np, nc - np)) != 0)
        return;
    if (!k->header) {
        fputs("words\n", stdout);
        k->header = 1;
    }
    size_t skip = k->keep;
    if (skip < np)
        printf("%s%s\n", prefix + skip, cand);
    else
        printf("%s\n", cand + (skip - np));
}

/* Complete a path: the part of cur after the kept bytes and after prefix. */
static void offer_files(struct comp *k, size_t prefix)
{
    size_t skip = k->keep > prefix ? k->keep : prefix;
    printf("files\n%s\n", k->cur + (skip < strlen(k->cur) ? skip : strlen(k->cur)));
}

static int uses_spec(const char *cmd)
{
    static const char *const with_spec[] = {"list",     "show", "lint",  "test",
                                            "validate", "mock", "bundle"};
    for (size_t i = 0; i < sizeof(with_spec) / sizeof(with_spec[0]); i++)
        if (strcmp(cmd, with_spec[i]) == 0)
            return 1;
    return 0;
}

/* The options of every spec command (cli/main.c takes them anywhere on the line). */
static const struct option global_opts[] = {
    {"spec", required_argument, NULL, 0},
    {"allow-absolute-refs", no_argument, NULL, 0},
    {"ref-map", required_argument, NULL, 0},
    {NULL, 0, NULL, 0},
};

static const struct option *find_long(const struct option *opts, const char *cmd, const char *name,
                                      size_t len)
{
    const struct option *tables[2] = {uses_spec(cmd) ? global_opts : NULL, opts};
    const struct option *hit = NULL;
    int n = 0;
    for (int t = 0; t < 2; t++)
        for (const struct option *o = tables[t]; o && o->name; o++) {
            if (strncmp(o->name, name, len) != 0)
                continue;
            if (strlen(o->name) == len)
                return o;
            hit = o;
            n++;
        }
    return n == 1 ? hit : NULL; /* a unique prefix, as getopt_long takes it */
}

static const struct option *find_short(const struct option *opts, int ch)
{
    for (const struct option *o = opts; o && o->name; o++)
        if (o->val == ch && o->has_arg == required_argument)
            return o;
    return NULL;
}

/* ---- what the candidates are made of ------------------------------------------------ */

/* Where the cache of the ids of spec path lives, and its first line, for this version
 * of the file; 0 when there is no cache directory. */
static int cache_names(const char *path, struct act_buf *file, struct act_buf *head)
{
    struct stat sb;
    char real[PATH_MAX];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (stat(path, &sb) != 0 || !realpath(path, real))
        return 0;
    if (xdg && xdg[0] == '/') {
        if (act_buf_printf(file, "%s/actions", xdg))
            return 0;
    } else if (home && home[0]) {
        if (act_buf_printf(file, "%s/.cache/actions", home))
            return 0;
    } else
        return 0;
    return act_buf_printf(file, "/ids-%08x", (unsigned)act_hash_str(real)) == ACT_OK &&
           act_buf_printf(head, "actions ids 1\t%lld\t%lld.%09ld\t%s\n", (long long)sb.st_size,
                          (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec, real) == ACT_OK;
}

static int cache_read(const char *file, const char *head, struct act_spec_ids *ids)
{
    FILE *f = fopen(file, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int ok = 0;
    if (!f)
        return 0;
    if ((n = getline(&line, &cap, f)) > 0 && strcmp(line, head) == 0) {
        ok = 1;
        while (ok && (n = getline(&line, &cap, f)) > 0) {
            if (line[n - 1] != '\n') {
                ok = 0; /* cut short: not written whole */
                break;
            }
            ok = act_spec_ids_add(ids, line, (size_t)n - 1) == ACT_OK;
        }
        ok = ok && !ferror(f);
    }
    free(line);
    fclose(f);
    if (!ok)
        act_spec_ids_free(ids);
    return ok;
}

/* Write the cache whole or not at all (a temporary file renamed into place). */
static void cache_write(const char *file, const char *head, const struct act_spec_ids *ids)
{
    struct act_buf tmp;
    act_buf_init(&tmp);
    for (size_t i = 0; i < ids->n; i++)
        if (strchr(ids->v[i], '\n'))
            return; /* one id a line: such a spec is not cached */
    char *slash = strrchr(file, '/');
    *slash = '\0';
    if (mkdir(file, 0700) != 0 && errno == ENOENT) {
        char *up = strrchr(file, '/');
        if (up && up != file) {
            *up = '\0';
            (void)mkdir(file, 0700); /* ~/.cache itself */
            *up = '/';
            (void)mkdir(file, 0700);
        }
    }
    *slash = '/';
    if (act_buf_printf(&tmp, "%s.%ld.tmp", file, (long)getpid()))
        return;
    FILE *f = fopen(tmp.data, "w");
    if (f) {
        int bad = fputs(head, f) == EOF;
        for (size_t i = 0; !bad && i < ids->n; i++)
            bad = fprintf(f, "%s\n", ids->v[i]) < 0;
        if (fclose(f) != 0 || bad || rename(tmp.data, file) != 0)
            unlink(tmp.data);
    }
    act_buf_release(&tmp);
}

/* The ids of the spec at path: from the cache, else skimmed (JSON) or loaded, then cached. */
static enum act_status spec_ids(const char *path, struct act_spec_ids *ids)
{
    struct act_buf file, head;
    enum act_status st;
    act_buf_init(&file);
    act_buf_init(&head);
    int cacheable = cache_names(path, &file, &head);
    if (cacheable && cache_read(file.data, head.data, ids)) {
        st = ACT_OK;
    } else {
        st = act_spec_ids_load(path, ids);
        if (!st && cacheable)
            cache_write(file.data, head.data, ids);
    }
    act_buf_release(&file);
    act_buf_release(&head);
    return st;
}

/* The action ids of the spec in use: positional when given, else as cli_load_spec finds
 * it (with the project's `actions` list when the spec comes from the project). */
static void offer_ids(struct comp *k, const char *positional)
{
    const char *path;
    int from_project;
    struct act_spec_ids ids = {0};
    if (cli_spec_path(k->c, positional, &path, &from_project) || spec_ids(path, &ids))
        return;
    const cJSON *only = from_project ? k->c->project->actions : NULL;
    for (size_t i = 0; i < ids.n; i++) {
        int listed = !only;
        for (const cJSON *a = only ? only->child : NULL; a && !listed; a = a->next)
            listed = cJSON_IsString(a) && strcmp(a->valuestring, ids.v[i]) == 0;
        if (listed)
            offer(k, "", ids.v[i]);
    }
    act_spec_ids_free(&ids);
}

/* Is a spec found without a positional SPEC (--spec, $ACTIONS_SPEC, the project)? */
static int spec_known(struct comp *k)
{
    const char *path;
    int from_project;
    return cli_spec_path(k->c, NULL, &path, &from_project) == ACT_OK;
}

static void offer_dests(struct comp *k, const char *prefix)
{
    struct act_destset *ds = NULL;
    if (cli_load_dests(k->c, k->dests, &ds))
        return;
    for (size_t i = 0; i < ds->n; i++)
        offer(k, prefix, ds->v[i].name);
    act_destset_free(ds);
}

static int is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* ---- options and their values ------------------------------------------------------- */

/* The fixed values of an option (NULL when they are not a fixed set). */
static const char *values_of(const char *cmd, const char *opt)
{
    static const struct {
        const char *cmd, *opt, *values;
    } fixed[] = {
        {"list", "format", "table json"},
        {"show", "format", "text json"},
        {"validate", "format", "text json"},
        {"validate", "direction", "response request"},
        {"test", "format", "text json junit tap html"},
        {"test", "report", "text= json= junit= tap= html="},
        {"test", "method", "GET PUT POST DELETE OPTIONS HEAD PATCH TRACE"},
        {"dest list", "format", "table json"},
        {"dest show", "format", "text json"},
        {"connector list", "format", "text json"},
        {"bundle", "format", "json yaml"},
        {"convert", "format", "json yaml"},
        {"convert", "to", "3.0 3.1"},
    };
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (strcmp(fixed[i].cmd, cmd) == 0 && strcmp(fixed[i].opt, opt) == 0)
            return fixed[i].values;
    return NULL;
}

static int wants_file(const char *opt)
{
    static const char *const files[] = {"spec",   "body",   "values", "destinations", "connector",
                                        "cacert", "schema", "output", "notes-file",   "verify"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (strcmp(opt, files[i]) == 0)
            return 1;
    return 0;
}

/* Complete the value of option o of cmd; the value starts at cur + at. */
static void offer_value(struct comp *k, const char *cmd, const struct option *o, size_t at)
{
    const char *value = k->cur + at;
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "%.*s", (int)(at < sizeof(prefix) ? at : 0), k->cur);
    if (strcmp(o->name, "report") == 0 && strchr(value, '=')) {
        offer_files(k, (size_t)(strchr(value, '=') - k->cur) + 1);
        return;
    }
    if (wants_file(o->name) || (strcmp(cmd, "convert") == 0 && strcmp(o->name, "report") == 0)) {
        offer_files(k, at);
        return;
    }
    if (strcmp(o->name, "dest") == 0) {
        offer_dests(k, prefix);
        return;
    }
    const char *vals = values_of(cmd, o->name);
    char word[32];
    k->nocase = strcmp(o->name, "method") == 0;
    for (const char *p = vals; p && *p;) {
        size_t n = strcspn(p, " ");
        snprintf(word, sizeof(word), "%.*s", (int)n, p);
        offer(k, prefix, word);
        p += n + (p[n] == ' ');
    }
}

static void offer_options(struct comp *k, const char *cmd, const struct option *opts)
{
    char word[64];
    for (const struct option *o = opts; o && o->name; o++) {
        snprintf(word, sizeof(word), "--%s", o->name);
        offer(k, "", word);
    }
    for (const struct option *o = uses_spec(cmd) ? global_opts : NULL; o && o->name; o++) {
        snprintf(word, sizeof(word), "--%s", o->name);
        offer(k, "", word);
    }
}

/* ---- positional arguments ----------------------------------------------------------- */

static void offer_positional(struct comp *k, const char *cmd)
{
    int n = k->npos;
    if (strcmp(cmd, "list") == 0 || strcmp(cmd, "lint") == 0 || strcmp(cmd, "mock") == 0 ||
        strcmp(cmd, "bundle") == 0 || (strcmp(cmd, "test") == 0 && k->all)) {
        if (n == 0)
            offer_files(k, 0);
        return;
    }
    if (strcmp(cmd, "show") == 0 || strcmp(cmd, "test") == 0 ||
        (strcmp(cmd, "validate") == 0 && !k->schema)) {
        /* [SPEC] ACTION (validate: [INSTANCE] after) */
        if (n == 0) {
            if (spec_known(k))
                offer_ids(k, NULL);
            else
                offer_files(k, 0);
        } else if (n == 1 && (is_file(k->pos[0]) || strncmp(k->pos[0], ACT_LIBRARY_PREFIX,
                                                            strlen(ACT_LIBRARY_PREFIX)) == 0))
            offer_ids(k, k->pos[0]);
        else if (strcmp(cmd, "validate") == 0 && n <= 2)
            offer_files(k, 0);
        return;
    }
    if (strcmp(cmd, "validate") == 0) { /* --schema FILE [INSTANCE]... */
        offer_files(k, 0);
        return;
    }
    if ((strcmp(cmd, "dest show") == 0 || strcmp(cmd, "dest check") == 0) && n == 0)
        offer_dests(k, "");
}

/* ---- the walk ----------------------------------------------------------------------- */

/* bash: join "X" "=" "Y" back into "X=Y" up to the current word; sets k->w, cw, keep. */
static int join_words(struct comp *k, char **words, int n, int cword, int bash)
{
    struct act_buf b;
    k->w = act_calloc((size_t)n + 2, sizeof(*k->w));
    if (!k->w)
        return -1;
    int out = 0;
    size_t keep = 0;
    for (int i = 0; i <= cword; i++) {
        const char *w = i < n ? words[i] : "";
        if (bash && i > 0 && out > 0 && strcmp(w, "=") == 0) {
            /* "X" "=" ["Y"]: one word, of which the shell replaces only Y */
            act_buf_init(&b);
            int with_next = i + 1 <= cword && i + 1 < n;
            if (act_buf_printf(&b, "%s=%s", k->w[out - 1], with_next ? words[i + 1] : ""))
                return -1;
            act_free(k->w[out - 1]);
            k->w[out - 1] = b.data;
            keep = strlen(b.data) - (with_next ? strlen(words[i + 1]) : 0);
            if (i == cword || (with_next && i + 1 == cword)) {
                k->cw = out - 1;
                k->keep = keep;
                return 0;
            }
            i++;
            continue;
        }
        k->w[out++] = act_strdup(w);
        if (!k->w[out - 1])
            return -1;
        if (i == cword) {
            k->cw = out - 1;
            k->keep = 0;
            return 0;
        }
    }
    return -1;
}

static void complete(struct comp *k)
{
    size_t ncmds;
    const struct cli_command *cmds = cli_commands(&ncmds), *cmd = NULL;
    const char *cur = k->cur;
    char name[64];
    if (k->cw == 0)
        return;
    if (k->cw == 1) {
        if (cur[0] == '-') {
            offer(k, "", "--help");
            offer(k, "", "--version");
            return;
        }
        for (size_t i = 0; i < ncmds; i++)
            offer(k, "", cmds[i].name);
        offer(k, "", "help");
        return;
    }
    int help = strcmp(k->w[1], "help") == 0;
    const char *cname = help ? (k->cw >= 3 ? k->w[2] : "") : k->w[1];
    if (help && k->cw == 2) {
        for (size_t i = 0; i < ncmds; i++)
            offer(k, "", cmds[i].name);
        return;
    }
    for (size_t i = 0; i < ncmds; i++)
        if (strcmp(cmds[i].name, cname) == 0)
            cmd = &cmds[i];
    if (!cmd)
        return;
    const struct option *opts = cmd->opts ? *cmd->opts : NULL;
    int start = help ? 3 : 2;
    snprintf(name, sizeof(name), "%s", cmd->name);
    if (cmd->verbs) {
        const struct cli_verb *verbs = *cmd->verbs, *verb = NULL;
        if (k->cw == start) {
            if (cur[0] == '-' && !help)
                offer(k, "", "--help");
            for (size_t i = 0; cur[0] != '-' && i < *cmd->n_verbs; i++)
                offer(k, "", verbs[i].name);
            return;
        }
        for (size_t i = 0; i < *cmd->n_verbs; i++)
            if (strcmp(verbs[i].name, k->w[start]) == 0)
                verb = &verbs[i];
        if (!verb || help)
            return;
        opts = *verb->opts;
        snprintf(name, sizeof(name), "%s %s", cmd->name, verb->name);
        start++;
    }
    if (help)
        return;

    /* the words before the current one: options, their values, positionals */
    int dashdash = 0;
    for (int i = start; i < k->cw; i++) {
        const char *w = k->w[i], *value = NULL;
        const struct option *o = NULL;
        if (dashdash || w[0] != '-' || w[1] == '\0') {
            if (k->npos < (int)(sizeof(k->pos) / sizeof(k->pos[0])))
                k->pos[k->npos++] = w;
            continue;
        }
        if (strcmp(w, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (w[1] == '-') {
            const char *eq = strchr(w + 2, '=');
            o = find_long(opts, name, w + 2, eq ? (size_t)(eq - w - 2) : strlen(w + 2));
            if (eq)
                value = eq + 1;
        } else {
            /* a cluster of short options: the last one may take the next word */
            for (const char *p = w + 1; *p && !o; p++)
                if ((o = find_short(opts, *p)) && p[1])
                    value = p + 1;
        }
        if (!o)
            continue;
        if (!value && o->has_arg == required_argument) {
            if (i + 1 == k->cw) { /* the current word is this option's value */
                offer_value(k, name, o, 0);
                return;
            }
            value = k->w[++i];
        }
        if (strcmp(o->name, "spec") == 0)
            k->c->spec_opt = value;
        else if (strcmp(o->name, "allow-absolute-refs") == 0)
            k->c->absolute_refs = 1;
        else if (strcmp(o->name, "destinations") == 0)
            k->dests = value;
        else if (strcmp(o->name, "schema") == 0)
            k->schema = 1;
        else if (strcmp(o->name, "all") == 0)
            k->all = 1;
    }

    /* the current word */
    if (!dashdash && strncmp(cur, "--", 2) == 0 && strchr(cur, '=')) {
        const char *eq = strchr(cur, '=');
        const struct option *o = find_long(opts, name, cur + 2, (size_t)(eq - cur - 2));
        if (o && o->has_arg != no_argument)
            offer_value(k, name, o, (size_t)(eq - cur) + 1);
        return;
    }
    if (!dashdash && cur[0] == '-') {
        offer_options(k, name, opts);
        return;
    }
    offer_positional(k, name);
}

int cmd_complete(int argc, char **argv, struct cli_ctx *c)
{
    struct comp k = {0};
    char *end;
    if (!freopen("/dev/null", "w", stderr) || argc < 4)
        return CLI_EXIT_OK;
    int bash = strcmp(argv[1], "bash") == 0;
    long cword = strtol(argv[2], &end, 10);
    int n = argc - 3;
    if (*end || end == argv[2] || cword < 0 || cword > n)
        return CLI_EXIT_OK;
    k.c = c;
    if (join_words(&k, argv + 3, n, (int)cword, bash) == 0) {
        k.cur = k.w[k.cw];
        complete(&k);
    }
    for (int i = 0; k.w && k.w[i]; i++)
        act_free(k.w[i]);
    act_free(k.w);
    return CLI_EXIT_OK;
}
