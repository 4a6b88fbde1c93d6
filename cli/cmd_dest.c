/*
 * cmd_dest.c - `actions dest list | show NAME | check NAME`.
 *
 * A small verb table, as git's builtin/remote.c has: `dest VERB ARGS...` runs
 * the row named VERB with argv[0] = VERB. To add a verb, write
 * `int cmd_dest_VERB(int argc, char **argv, struct cli_ctx *c)` in its own file,
 * declare it in cli.h and add one row below. Secrets never reach the output:
 * secret properties print as ***, and everything else goes through a redactor
 * that knows the destination's secrets.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "common/act_redact.h"

static int dest_list(int argc, char **argv, struct cli_ctx *c);
static int dest_show(int argc, char **argv, struct cli_ctx *c);

CLI_VERBS(
    cli_dest_verbs, cli_dest_n_verbs,
    {"list", dest_list, "list destinations: name, URL, proxy type, authentication", &cli_dest_opts},
    {"show", dest_show, "show every property of one destination (secrets as ***)", &cli_dest_opts},
    {"check", cmd_dest_check, "Check Connection: reach the destination URL (status < 500 is ok)",
     &cli_dest_check_opts});

static const char usage[] =
    "usage: actions dest VERB [ARGS]... [--destinations PATH]\n"
    "\n"
    "Destinations name a backend: URL, proxy type (Internet or OnPremise through\n"
    "the connector) and authentication. They are read from --destinations PATH,\n"
    "$ACTIONS_DESTINATIONS, the project file's \"destinations\", ./destinations.yaml\n"
    "or $XDG_CONFIG_HOME/actions/destinations.yaml, in that order.\n"
    "\n"
    "Verbs:\n";

static const char list_usage[] =
    "usage: actions dest list [--destinations PATH] [--format table|json]\n"
    "\n"
    "List the destinations: name, URL, proxy type, authentication and notes\n"
    "(secret removed on export, not enabled for actions, unsupported authentication).\n"
    "\n"
    "  --destinations PATH  destinations file or directory of exported files\n"
    "  --format FORMAT      table (default) or json\n";

static const char show_usage[] =
    "usage: actions dest show NAME [--destinations PATH] [--format text|json]\n"
    "\n"
    "Show every property of destination NAME in file order; secret values print\n"
    "as ***. Says which secret an export removed and how to supply it.\n"
    "\n"
    "  --destinations PATH  destinations file or directory of exported files\n"
    "  --format FORMAT      text (default) or json\n";

/* dest list, dest show */
CLI_OPTIONS(cli_dest_opts, {"destinations", required_argument, NULL, 'd'},
            {"format", required_argument, NULL, 'f'});

/* Options shared by the verbs, npos positional arguments after them, and the destinations
 * loaded into *ds (freed by the caller); returns -1 to go on, else an exit code. */
static int parse(int argc, char **argv, struct cli_ctx *c, const char *verb_usage,
                 const char *fmt_text, int npos, int *json, struct act_destset **ds)
{
    const char *dpath = NULL;
    int opt, rc = CLI_EXIT_OK;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, verb_usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        if (opt == 'd')
            dpath = optarg;
        else if (opt == 'f' && (rc = cli_parse_format(c, optarg, fmt_text, json)))
            return rc;
    }
    if (opt == 0)
        return g.rc;
    if ((rc = cli_operands(c, argc, argv, npos, npos, "dest show needs a destination NAME")))
        return rc;
    enum act_status st = cli_load_dests(c, dpath, ds);
    return st ? cli_exit_code(st) : -1;
}

static const char *auth_label(const struct act_dest *d)
{
    return d->auth_name ? d->auth_name : "NoAuthentication";
}

/* Notes worth a user's attention, ", "-separated into out. */
static enum act_status notes(const struct act_dest *d, struct act_buf *out)
{
    enum act_status st = ACT_OK;
    act_buf_reset(out);
    if (d->missing_secret)
        st = act_buf_printf(out, "%s removed on export", d->missing_secret);
    if (!st && d->auth == ACT_AUTH_UNSUPPORTED)
        st = act_buf_printf(out, "%sauthentication not supported", out->len ? ", " : "");
    if (!st && !d->actions_enabled)
        st = act_buf_printf(out, "%snot enabled for actions", out->len ? ", " : "");
    return st;
}

/* The redactor for one destination's output: its secrets and secret names. */
static enum act_status redactor_for(const struct act_dest *d, struct act_redactor *r)
{
    act_redactor_init(r);
    return act_dest_add_secrets(d, r);
}

/* ------------------------------------------------------------------------ */
/* dest list                                                                 */

static int dest_list(int argc, char **argv, struct cli_ctx *c)
{
    struct act_destset *ds;
    int json = 0, rc = parse(argc, argv, c, list_usage, "table", 0, &json, &ds);
    if (rc >= 0)
        return rc;
    enum act_status st = ACT_OK;

    size_t n = ds->n;
    char **urls = act_calloc(n ? n : 1, sizeof(*urls));
    char **note = act_calloc(n ? n : 1, sizeof(*note));
    struct act_buf b;
    act_buf_init(&b);
    if (!urls || !note)
        st = ACT_ERR_NOMEM;
    for (size_t i = 0; i < n && !st; i++) {
        struct act_redactor r;
        const struct act_dest *d = &ds->v[i];
        st = redactor_for(d, &r);
        if (!st)
            st = act_redact_str(&r, d->url, &b);
        act_redactor_release(&r);
        if (!st && !(urls[i] = act_buf_detach(&b, NULL)))
            st = ACT_ERR_NOMEM;
        if (!st)
            st = notes(d, &b);
        if (!st && !(note[i] = act_buf_detach(&b, NULL)))
            st = ACT_ERR_NOMEM;
    }
    if (st) {
        cli_fail(c, "out of memory");
    } else if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; arr && i < n; i++) {
            const struct act_dest *d = &ds->v[i];
            cJSON *o = cJSON_CreateObject();
            if (!o)
                break;
            cJSON_AddItemToArray(arr, o);
            cJSON_AddStringToObject(o, "name", d->name);
            cJSON_AddStringToObject(o, "url", urls[i]);
            cJSON_AddStringToObject(o, "proxyType", act_proxy_name(d->proxy));
            cJSON_AddStringToObject(o, "authentication", auth_label(d));
            cJSON_AddBoolToObject(o, "authenticationSupported", d->auth != ACT_AUTH_UNSUPPORTED);
            cJSON_AddBoolToObject(o, "actionsEnabled", d->actions_enabled);
            cJSON_AddBoolToObject(o, "processAutomationEnabled", d->pa_enabled);
            cli_json_str_or_null(o, "missingSecret", d->missing_secret);
            cJSON_AddStringToObject(o, "file", d->file);
            cJSON_AddNumberToObject(o, "line", d->line);
        }
        if (!arr) {
            st = ACT_ERR_NOMEM;
            cli_fail(c, "out of memory");
        } else {
            cli_print_json(stdout, arr);
        }
        cJSON_Delete(arr);
    } else if (n == 0) {
        fprintf(stderr, "%s: no destinations in %s\n", c->prog, ds->source);
    } else {
        int wn = 4, wu = 3, wa = 14;
        for (size_t i = 0; i < n; i++) {
            int l = (int)strlen(ds->v[i].name);
            wn = l > wn ? l : wn;
            l = (int)strlen(urls[i]);
            wu = l > wu ? l : wu;
            l = (int)strlen(auth_label(&ds->v[i]));
            wa = l > wa ? l : wa;
        }
        int any_note = 0;
        for (size_t i = 0; i < n; i++)
            any_note |= note[i][0] != '\0';
        printf("%-*s  %-*s  %-9s  %-*s%s\n", wn, "NAME", wu, "URL", "PROXY", any_note ? wa : 0,
               "AUTHENTICATION", any_note ? "  NOTES" : "");
        for (size_t i = 0; i < n; i++) {
            const struct act_dest *d = &ds->v[i];
            /* No trailing blanks when there is no note. */
            printf("%-*s  %-*s  %-9s  %-*s%s%s\n", wn, d->name, wu, urls[i],
                   act_proxy_name(d->proxy), note[i][0] ? wa : 0, auth_label(d),
                   note[i][0] ? "  " : "", note[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        act_free(urls ? urls[i] : NULL);
        act_free(note ? note[i] : NULL);
    }
    act_free(urls);
    act_free(note);
    act_buf_release(&b);
    act_destset_free(ds);
    return cli_exit_code(st);
}

/* ------------------------------------------------------------------------ */
/* dest show                                                                 */

/* value with control characters escaped (not clipped: show prints it all). */
static enum act_status escaped(const char *v, struct act_buf *out)
{
    act_buf_reset(out);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        enum act_status st = *p < 0x20 || *p == 0x7f ? act_buf_printf(out, "\\x%02x", *p)
                                                     : act_buf_addc(out, (char)*p);
        if (st)
            return st;
    }
    return ACT_OK;
}

/* The value of property i as shown: *** for secrets, else redacted and escaped. */
static enum act_status shown(const struct act_redactor *r, const struct act_kv *kv,
                             struct act_buf *tmp, struct act_buf *out)
{
    act_buf_reset(out);
    if (act_dest_is_secret(kv->name))
        return act_buf_adds(out, ACT_REDACT_MASK);
    enum act_status st = act_redact_str(r, kv->value, tmp);
    return st ? st : escaped(tmp->data, out);
}

/* The note on secrets removed on export, one line per secret. */
static enum act_status missing_hints(const struct act_dest *d, cJSON *arr)
{
    char hint[512];
    for (const char *p = d->missing_secret; p && *p;) {
        size_t n = strcspn(p, ",");
        char var[128];
        size_t k = 0;
        /* MY_PASSWORD, MY_CLIENTSECRET: a variable name derived from the property. */
        for (size_t i = 0; i < n && k < sizeof(var) - 1; i++) {
            char ch = p[i];
            if (ch >= 'a' && ch <= 'z')
                ch = (char)(ch - 32);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
                var[k++] = ch;
            else if (k && var[k - 1] != '_')
                var[k++] = '_';
        }
        var[k] = '\0';
        snprintf(hint, sizeof(hint),
                 "%.*s was removed on export: set it in %s, e.g. %.*s%s${%s_%s}", (int)n, p,
                 d->file, (int)n, p, d->from_properties ? "=" : ": ", d->name, var);
        cJSON *s = cJSON_CreateString(hint);
        if (!s)
            return ACT_ERR_NOMEM;
        cJSON_AddItemToArray(arr, s);
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return ACT_OK;
}

static enum act_status describe(const struct act_dest *d, cJSON **out)
{
    struct act_redactor r;
    struct act_buf tmp, val;
    enum act_status st = redactor_for(d, &r);
    cJSON *o = cJSON_CreateObject(), *props = NULL, *nt = NULL;
    act_buf_init(&tmp);
    act_buf_init(&val);
    *out = NULL;
    if (!o || st)
        goto fail;
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddStringToObject(o, "file", d->file);
    cJSON_AddNumberToObject(o, "line", d->line);
    cJSON_AddStringToObject(o, "proxyType", act_proxy_name(d->proxy));
    cJSON_AddStringToObject(o, "authentication", auth_label(d));
    props = cJSON_AddObjectToObject(o, "properties");
    for (size_t i = 0; props && i < d->n_props; i++) {
        if ((st = shown(&r, &d->props[i], &tmp, &val)))
            goto fail;
        if (!cJSON_AddStringToObject(props, d->props[i].name, val.data))
            goto fail;
    }
    cli_json_str_or_null(o, "missingSecret", d->missing_secret);
    nt = cJSON_AddArrayToObject(o, "notes");
    if (!nt || (st = missing_hints(d, nt)))
        goto fail;
    if (d->auth == ACT_AUTH_UNSUPPORTED) {
        struct act_buf m;
        act_buf_init(&m);
        st = act_buf_printf(&m,
                            "Authentication %s is not supported: actions test cannot call this "
                            "destination (supported: NoAuthentication, BasicAuthentication, "
                            "OAuth2ClientCredentials)",
                            d->auth_name);
        if (!st)
            cJSON_AddItemToArray(nt, cJSON_CreateString(m.data));
        act_buf_release(&m);
    }
    if (!d->actions_enabled)
        cJSON_AddItemToArray(
            nt, cJSON_CreateString("sap.applicationdevelopment.actions.enabled is not true: "
                                   "actions test refuses this destination (use --any-dest "
                                   "for plain, non-SAP use)"));
    if (!st) {
        *out = o;
        o = NULL;
    }
fail:
    if (!st && !*out)
        st = ACT_ERR_NOMEM;
    cJSON_Delete(o);
    act_redactor_release(&r);
    act_buf_release(&tmp);
    act_buf_release(&val);
    return st;
}

static void print_show(const cJSON *o)
{
    const cJSON *props = cJSON_GetObjectItem(o, "properties");
    int w = 4;
    printf("%s  (%s:%d)\n", cJSON_GetObjectItem(o, "name")->valuestring,
           cJSON_GetObjectItem(o, "file")->valuestring,
           (int)cJSON_GetObjectItem(o, "line")->valuedouble);
    for (const cJSON *p = props->child; p; p = p->next)
        if ((int)strlen(p->string) > w)
            w = (int)strlen(p->string);
    for (const cJSON *p = props->child; p; p = p->next)
        printf("  %-*s%s%s\n", p->valuestring[0] ? w : 0, p->string, p->valuestring[0] ? "  " : "",
               p->valuestring);
    for (const cJSON *n = cJSON_GetObjectItem(o, "notes")->child; n; n = n->next)
        printf("note: %s\n", n->valuestring);
}

static int dest_show(int argc, char **argv, struct cli_ctx *c)
{
    struct act_destset *ds;
    int json = 0, rc = parse(argc, argv, c, show_usage, "text", 1, &json, &ds);
    if (rc >= 0)
        return rc;
    const struct act_dest *d = cli_find_dest(c, ds, argv[optind]);
    cJSON *o = NULL;
    enum act_status st = d ? describe(d, &o) : ACT_ERR_NOTFOUND;
    if (d && st)
        cli_fail(c, "out of memory");
    if (!st && json)
        cli_print_json(stdout, o);
    else if (!st)
        print_show(o);
    cJSON_Delete(o);
    act_destset_free(ds);
    return cli_exit_code(st);
}

/* ------------------------------------------------------------------------ */

int cmd_dest(int argc, char **argv, struct cli_ctx *c)
{
    return cli_run_verb(c, "dest", usage, verbs, cli_dest_n_verbs, argc, argv);
}
