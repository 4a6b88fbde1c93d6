/*
 * dests.c - finding and loading the destinations and connector files, in the
 * first of these that applies:
 *
 *   1. --destinations PATH / --connector PATH
 *   2. $ACTIONS_DESTINATIONS / $ACTIONS_CONNECTOR
 *   3. the project file's `destinations` / `connector`
 *   4. ./destinations.yaml / ./connector.yaml
 *   5. $XDG_CONFIG_HOME/actions/destinations.yaml / .../connector.yaml
 *      ($XDG_CONFIG_HOME unset or not absolute: ~/.config)
 *
 * The first place that names a file wins; a file named by 1-3 must exist
 * (a typo there is an error, not a fall-through). 4 and 5 are used only when
 * present. When nothing is found, the message lists every place looked at.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "common/act_alloc.h"

/* One kind of file to look for. */
struct lookup {
    const char *what;   /* "destinations" / "connector" (messages) */
    const char *option; /* "--destinations" */
    const char *env;    /* "ACTIONS_DESTINATIONS" */
    const char *base;   /* "destinations.yaml" */
};

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* $XDG_CONFIG_HOME/actions/<base> (or ~/.config/...) into out; 0 when there is no home. */
static int config_path(const char *base, struct act_buf *out)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    act_buf_reset(out);
    if (xdg && xdg[0] == '/')
        return act_buf_printf(out, "%s/actions/%s", xdg, base) == ACT_OK;
    if (home && home[0])
        return act_buf_printf(out, "%s/.config/actions/%s", home, base) == ACT_OK;
    return 0;
}

/*
 * Decide which file to load: *path is set to a borrowed string (or one kept in
 * store), *source to where it came from. ACT_ERR_NOTFOUND after printing where
 * it looked when there is none.
 */
static enum act_status locate(struct cli_ctx *c, const struct lookup *lk, const char *opt,
                              struct act_buf *store, const char **path, const char **source)
{
    const char *env = getenv(lk->env);
    struct act_project *proj = NULL;
    enum act_status st;
    if (opt) {
        *path = opt;
        *source = lk->option;
        return ACT_OK;
    }
    if (env && *env) {
        *path = env;
        *source = lk->env;
        return ACT_OK;
    }
    if ((st = cli_project(c, &proj)))
        return st;
    const char *from_proj = !proj                                ? NULL
                            : strcmp(lk->what, "connector") == 0 ? proj->connector
                                                                 : proj->destinations;
    if (from_proj) {
        *path = from_proj;
        *source = proj->doc->path;
        return ACT_OK;
    }
    if (exists(lk->base)) {
        *path = lk->base;
        *source = "the current directory";
        return ACT_OK;
    }
    int have_cfg = config_path(lk->base, store);
    if (have_cfg && exists(store->data)) {
        *path = store->data;
        *source = "the configuration directory";
        return ACT_OK;
    }
    fprintf(stderr, "%s: error: no %s file found; looked in:\n", c->prog, lk->what);
    fprintf(stderr, "  %s PATH      (not given)\n", lk->option);
    fprintf(stderr, "  $%s  (not set)\n", lk->env);
    if (proj)
        fprintf(stderr, "  project file %s  (no \"%s\" key)\n", proj->doc->path, lk->what);
    else
        fprintf(stderr, "  project file actions.yaml  (none here or in a parent directory)\n");
    fprintf(stderr, "  ./%s  (does not exist)\n", lk->base);
    if (have_cfg)
        fprintf(stderr, "  %s  (does not exist)\n", store->data);
    else
        fprintf(stderr, "  $XDG_CONFIG_HOME/actions/%s  (neither XDG_CONFIG_HOME nor HOME set)\n",
                lk->base);
    return ACT_ERR_NOTFOUND;
}

/* Find lk's file and load it with load (into out); a failure is printed, and a file named
 * by an option or variable that cannot be read says which one named it. */
static enum act_status load_found(struct cli_ctx *c, const struct lookup *lk, const char *opt_path,
                                  enum act_status (*load)(const char *, void *, struct act_error *),
                                  void *out)
{
    struct act_buf store;
    const char *path = NULL, *source = NULL;
    struct act_error err;
    act_buf_init(&store);
    act_error_init(&err);
    enum act_status st = locate(c, lk, opt_path, &store, &path, &source);
    if (!st) {
        st = load(path, out, &err);
        if (st) {
            cli_error(c, &err);
            if (st == ACT_ERR_IO)
                fprintf(stderr, "  (%s file named by %s)\n", lk->what, source);
        }
    }
    act_buf_release(&store);
    return st;
}

static enum act_status load_destset(const char *path, void *out, struct act_error *err)
{
    return act_destset_load(path, out, err);
}

static enum act_status load_connector(const char *path, void *out, struct act_error *err)
{
    return act_connector_load(path, out, err);
}

enum act_status cli_load_dests(struct cli_ctx *c, const char *opt_path, struct act_destset **out)
{
    static const struct lookup lk = {"destinations", "--destinations", "ACTIONS_DESTINATIONS",
                                     "destinations.yaml"};
    *out = NULL;
    return load_found(c, &lk, opt_path, load_destset, out);
}

enum act_status cli_load_connector(struct cli_ctx *c, const char *opt_path,
                                   struct act_connector **out)
{
    static const struct lookup lk = {"connector", "--connector", "ACTIONS_CONNECTOR",
                                     "connector.yaml"};
    *out = NULL;
    return load_found(c, &lk, opt_path, load_connector, out);
}

const struct act_dest *cli_find_dest(struct cli_ctx *c, const struct act_destset *ds,
                                     const char *name)
{
    const struct act_dest *d = act_destset_find(ds, name);
    if (d)
        return d;
    const char *near[5];
    size_t n = act_destset_suggest(ds, name, near, 5);
    cli_unknown(c, "destination", name, ds->source, "dest list", near, n);
    return NULL;
}
