/*
 * cmd_list.c - `actions list [SPEC] [--tag TAG] [--webhooks] [--format table|json]`.
 *
 * Spec order. A 3.1 document's webhooks are not actions: a footer counts them,
 * --webhooks lists them in a section of their own. The table fits the terminal on a TTY (the
 * summary, then the path, give way) and is never truncated when piped.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "common/act_buf.h"

static const char usage[] =
    "usage: actions list [SPEC] [--tag TAG] [--webhooks] [--format table|json]\n"
    "\n"
    "List every operation of SPEC as an action: id, method, path, summary.\n"
    "\n"
    "  --tag TAG         only actions carrying this tag (repeatable: any of them)\n"
    "  --webhooks        also list an OpenAPI 3.1 document's webhooks, in their own\n"
    "                    section (NAME instead of PATH); json: an object\n"
    "                    {actions: [...], webhooks: [...]}\n"
    "  --format FORMAT   table (default) or json: an array of\n"
    "                    {id, method, path, summary, tags, deprecated}\n"
    "  --spec FILE       the spec, when not given as SPEC\n";

/* Display width of a UTF-8 string (code points; good enough for a table). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* Print s in a field of w columns: clipped with "…" when longer and clip is set,
 * padded with spaces to w when pad is set. */
static void field(const char *s, size_t w, int clip, int pad)
{
    size_t sw = width(s);
    if (clip && w && sw > w) {
        size_t cols = 0;
        const char *p = s;
        while (*p) {
            if (((unsigned char)*p & 0xC0) != 0x80) {
                if (cols == w - 1)
                    break;
                cols++;
            }
            putchar(*p++);
        }
        fputs("\xE2\x80\xA6", stdout);
        sw = w;
    } else {
        fputs(s, stdout);
    }
    if (pad)
        for (size_t i = sw; i < w; i++)
            putchar(' ');
}

static void upper(char *dst, const char *src)
{
    size_t i = 0;
    for (; src[i] && i < 15; i++)
        dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
    dst[i] = '\0';
}

/* Take up to *excess columns from *w without going below min. */
static void shrink(size_t *w, size_t min, size_t *excess)
{
    if (*w <= min || !*excess)
        return;
    size_t cut = *w - min < *excess ? *w - min : *excess;
    *w -= cut;
    *excess -= cut;
}

static const char *summary_of(const struct act_op *op)
{
    return op->summary ? op->summary : "";
}

/* The table of ops[0..n_ops); col is the third column's title (PATH, or NAME for webhooks). */
static enum act_status print_table(struct cli_ctx *c, const struct act_op *ops, size_t n_ops,
                                   const char *col, char **tags, int n_tags)
{
    struct act_buf sum;
    act_buf_init(&sum);
    size_t wid = 2, wpath = 4, wsum = 7;
    for (size_t i = 0; i < n_ops; i++) {
        const struct act_op *op = &ops[i];
        if (!cli_op_has_tag(op, tags, (size_t)n_tags))
            continue;
        size_t a = width(op->id), b = width(op->path), s = width(summary_of(op));
        if (op->deprecated)
            s += 13;
        wid = a > wid ? a : wid;
        wpath = b > wpath ? b : wpath;
        wsum = s > wsum ? s : wsum;
    }
    const size_t wmeth = 7;
    int term = cli_term_width(c);
    if (term > 0) {
        /* Give way in turn: summary, path, id; first to comfortable widths, then to narrow ones. */
        size_t total = wid + 2 + wmeth + 2 + wpath + 2 + wsum, t = (size_t)term;
        size_t excess = total > t ? total - t : 0;
        shrink(&wsum, 20, &excess);
        shrink(&wpath, 24, &excess);
        shrink(&wid, 16, &excess);
        shrink(&wsum, 8, &excess);
        shrink(&wpath, 12, &excess);
        shrink(&wid, 10, &excess);
    }
    int clip = term > 0;
    field("ID", wid, clip, 1);
    fputs("  ", stdout);
    field("METHOD", wmeth, clip, 1);
    fputs("  ", stdout);
    field(col, wpath, clip, 1);
    fputs("  SUMMARY\n", stdout);
    for (size_t i = 0; i < n_ops; i++) {
        const struct act_op *op = &ops[i];
        char m[16];
        if (!cli_op_has_tag(op, tags, (size_t)n_tags))
            continue;
        upper(m, op->method);
        act_buf_reset(&sum);
        if (act_buf_adds(&sum, summary_of(op)) ||
            (op->deprecated &&
             act_buf_adds(&sum, op->summary ? " [deprecated]" : "[deprecated]"))) {
            act_buf_release(&sum);
            return ACT_ERR_NOMEM;
        }
        field(op->id, wid, clip, 1);
        fputs("  ", stdout);
        field(m, wmeth, clip, 1);
        fputs("  ", stdout);
        field(op->path, wpath, clip, 1);
        fputs("  ", stdout);
        field(sum.data, wsum, clip, 0);
        putchar('\n');
    }
    act_buf_release(&sum);
    return ACT_OK;
}

/* The JSON array of ops[0..n_ops) (webhooks say "name" where operations say "path"), or NULL. */
static cJSON *ops_json(const struct act_op *ops, size_t n_ops, char **tags, int n_tags)
{
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        return NULL;
    for (size_t i = 0; i < n_ops; i++) {
        const struct act_op *op = &ops[i];
        if (!cli_op_has_tag(op, tags, (size_t)n_tags))
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON *t = cJSON_CreateArray();
        if (!o || !t) {
            cJSON_Delete(o);
            cJSON_Delete(t);
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", op->id);
        cJSON_AddStringToObject(o, "method", op->method);
        cJSON_AddStringToObject(o, op->webhook ? "name" : "path", op->path);
        cli_json_str_or_null(o, "summary", op->summary);
        for (const cJSON *x = op->tags ? op->tags->child : NULL; x; x = x->next)
            if (cJSON_IsString(x))
                cJSON_AddItemToArray(t, cJSON_CreateString(x->valuestring));
        cJSON_AddItemToObject(o, "tags", t);
        cJSON_AddBoolToObject(o, "deprecated", op->deprecated);
    }
    return arr;
}

/* An array of the actions; with webhooks, {actions, webhooks}. */
static enum act_status print_json(const struct act_spec *spec, int webhooks, char **tags,
                                  int n_tags)
{
    cJSON *arr = ops_json(spec->ops, spec->n_ops, tags, n_tags), *out = arr;
    if (arr && webhooks) {
        cJSON *hooks = ops_json(spec->webhooks, spec->n_webhooks, tags, n_tags);
        out = cJSON_CreateObject();
        if (!hooks || !out) {
            cJSON_Delete(hooks);
            cJSON_Delete(out);
            cJSON_Delete(arr);
            return ACT_ERR_NOMEM;
        }
        cJSON_AddItemToObject(out, "actions", arr);
        cJSON_AddItemToObject(out, "webhooks", hooks);
    }
    if (!out)
        return ACT_ERR_NOMEM;
    cli_print_json(stdout, out);
    cJSON_Delete(out);
    return ACT_OK;
}

CLI_OPTIONS(cli_list_opts, {"tag", required_argument, NULL, 't'},
            {"webhooks", no_argument, NULL, 'w'}, {"format", required_argument, NULL, 'f'});

int cmd_list(int argc, char **argv, struct cli_ctx *c)
{
    char *tags[64];
    int n_tags = 0, opt, json = 0, webhooks = 0, rc = CLI_EXIT_OK;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        if (opt == 't' && n_tags == 64)
            return cli_fail(c, "too many --tag options (at most 64)");
        if (opt == 't')
            tags[n_tags++] = optarg;
        else if (opt == 'w')
            webhooks = 1;
        else if (opt == 'f' && (rc = cli_parse_format(c, optarg, "table", &json)))
            return rc;
    }
    if (opt == 0)
        return g.rc;
    struct act_spec *spec;
    if ((rc = cli_spec_arg(c, argc, argv, 0, &spec)))
        return rc;
    enum act_status st;
    size_t nw = spec->n_webhooks;
    if (json) {
        st = print_json(spec, webhooks, tags, n_tags);
    } else {
        st = print_table(c, spec->ops, spec->n_ops, "PATH", tags, n_tags);
        if (!st && webhooks && nw) {
            puts("\nWebhooks (the API sends these; not actions, never tested):");
            st = print_table(c, spec->webhooks, nw, "NAME", tags, n_tags);
        } else if (!st && webhooks) {
            puts("\nWebhooks: none");
        } else if (!st && nw) {
            printf("\n%zu webhook%s (see: %s list --webhooks)\n", nw, nw == 1 ? "" : "s", c->prog);
        }
    }
    act_spec_free(spec);
    if (st)
        return cli_fail(c, "out of memory");
    return CLI_EXIT_OK;
}
