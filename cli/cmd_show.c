/*
 * cmd_show.c - `actions show [SPEC] ACTION [--format text|json]`.
 *
 * Builds one description of the action (a cJSON object), then prints it as
 * JSON or as text, so both formats always say the same thing.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "parser/openapi.h"

static const char usage[] =
    "usage: actions show [SPEC] ACTION [--format text|json]\n"
    "\n"
    "Show one action (or a 3.1 webhook): parameters (in, name, required, type),\n"
    "request body media types, responses (status, media types, an outline of the\n"
    "schema), security.\n"
    "\n"
    "  --format FORMAT   text (default) or json\n"
    "  --spec FILE       the spec, when not given as SPEC\n";

/* What the TYPE column says of a parameter OpenAPI says to ignore. */
#define IGNORED_WHY                                                                                \
    "ignored (OpenAPI: Accept/Content-Type/Authorization header parameters are ignored)"

CLI_OPTIONS(cli_show_opts, {"format", required_argument, NULL, 'f'});

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

/* Every $ref written in the schema tree at n resolves (their targets are checked
 * where they are used, as the outline reaches them by name); else the first error
 * is printed, as lint reports it. Values that are data (example, default, enum)
 * are not looked into. */
static enum act_status check_schema_refs(struct cli_ctx *c, const struct act_spec *spec,
                                         struct act_node n)
{
    if (act_ref_of(n.node)) {
        struct act_node target;
        struct act_error err;
        act_error_init(&err);
        enum act_status st = act_ref_deref(spec->docs, n, &target, &err);
        if (st && st != ACT_ERR_NOMEM)
            cli_error(c, &err);
        return st;
    }
    int obj = cJSON_IsObject(n.node);
    for (const cJSON *k = n.node->child; k; k = k->next) {
        if (obj && (strcmp(k->string, "example") == 0 || strcmp(k->string, "default") == 0 ||
                    strcmp(k->string, "enum") == 0))
            continue;
        enum act_status st = check_schema_refs(c, spec, (struct act_node){n.doc, k});
        if (st)
            return st;
    }
    return ACT_OK;
}

/* Outline of schema (a node in doc) as a string member k of o. A $ref in it that
 * does not resolve (a cycle of bare refs, a missing node or file) is an error. */
static enum act_status add_outline(struct cli_ctx *c, const struct act_spec *spec, cJSON *o,
                                   const char *k, const struct act_doc *doc, const cJSON *schema,
                                   struct act_buf *tmp)
{
    if (!schema) {
        cJSON_AddNullToObject(o, k);
        return ACT_OK;
    }
    enum act_status st = check_schema_refs(c, spec, (struct act_node){doc, schema});
    if (st)
        return st;
    st = cli_schema_outline(spec->docs, (struct act_node){doc, schema}, tmp);
    if (st)
        return st;
    cJSON_AddStringToObject(o, k, tmp->data);
    return ACT_OK;
}

/* [{mediaType, schema}] for a content map. */
static enum act_status content_list(struct cli_ctx *c, const struct act_spec *spec,
                                    const struct act_doc *doc, const cJSON *content, cJSON *out,
                                    struct act_buf *tmp)
{
    for (const cJSON *m = cJSON_IsObject(content) ? content->child : NULL; m; m = m->next) {
        cJSON *e = cJSON_CreateObject();
        if (!e)
            return ACT_ERR_NOMEM;
        cJSON_AddItemToArray(out, e);
        cJSON_AddStringToObject(e, "mediaType", m->string);
        enum act_status st = add_outline(c, spec, e, "schema", doc, act_media_schema(m), tmp);
        if (st)
            return st;
    }
    return ACT_OK;
}

static enum act_status describe_security(const struct act_spec *spec, const cJSON *security,
                                         cJSON *out)
{
    /* Each entry of the array is an alternative; an empty object means anonymous access. */
    for (const cJSON *req = cJSON_IsArray(security) ? security->child : NULL; req;
         req = req->next) {
        cJSON *alt = cJSON_CreateArray();
        if (!alt)
            return ACT_ERR_NOMEM;
        cJSON_AddItemToArray(out, alt);
        for (const cJSON *s = cJSON_IsObject(req) ? req->child : NULL; s; s = s->next) {
            cJSON *e = cJSON_CreateObject();
            if (!e)
                return ACT_ERR_NOMEM;
            cJSON_AddItemToArray(alt, e);
            cJSON_AddStringToObject(e, "scheme", s->string);
            struct act_security_scheme def;
            enum act_status st = act_spec_security_scheme(spec, s->string, &def, NULL);
            if (st == ACT_ERR_NOMEM)
                return st;
            if (st == ACT_OK) {
                add_str(e, "type", def.type);
                if (def.scheme)
                    cJSON_AddStringToObject(e, "httpScheme", def.scheme);
                if (def.in)
                    cJSON_AddStringToObject(e, "in", def.in);
                if (def.name)
                    cJSON_AddStringToObject(e, "name", def.name);
            } else {
                cJSON_AddNullToObject(e, "type");
            }
            const cJSON *scopes = s;
            cJSON *sc = cJSON_CreateArray();
            if (!sc)
                return ACT_ERR_NOMEM;
            cJSON_AddItemToObject(e, "scopes", sc);
            for (const cJSON *x = cJSON_IsArray(scopes) ? scopes->child : NULL; x; x = x->next)
                if (cJSON_IsString(x))
                    cJSON_AddItemToArray(sc, cJSON_CreateString(x->valuestring));
        }
    }
    return ACT_OK;
}

static enum act_status describe(struct cli_ctx *c, const struct act_spec *spec,
                                const struct act_op *op, cJSON **out)
{
    struct act_buf tmp;
    struct act_param *params = NULL;
    size_t n_params = 0;
    struct act_error err;
    enum act_status st;
    cJSON *o = cJSON_CreateObject(), *arr;
    act_buf_init(&tmp);
    act_error_init(&err);
    *out = NULL;
    if (!o)
        return ACT_ERR_NOMEM;
    cJSON_AddStringToObject(o, "id", op->id);
    cJSON_AddStringToObject(o, "method", op->method);
    cJSON_AddStringToObject(o, "path", op->path);
    add_str(o, "summary", op->summary);
    add_str(o, "description", op->description);
    arr = cJSON_AddArrayToObject(o, "tags");
    for (const cJSON *t = op->tags ? op->tags->child : NULL; t; t = t->next)
        if (cJSON_IsString(t))
            cJSON_AddItemToArray(arr, cJSON_CreateString(t->valuestring));
    cJSON_AddBoolToObject(o, "deprecated", op->deprecated);
    if (op->webhook)
        cJSON_AddTrueToObject(o, "webhook");

    st = act_spec_op_params_all(spec, op, ACT_PARAMS_IGNORED, &params, &n_params, &err);
    if (st) {
        cli_error(c, &err);
        goto fail;
    }
    arr = cJSON_AddArrayToObject(o, "parameters");
    for (size_t i = 0; i < n_params && arr; i++) {
        cJSON *p = cJSON_CreateObject();
        if (!p) {
            st = ACT_ERR_NOMEM;
            goto fail;
        }
        cJSON_AddItemToArray(arr, p);
        cJSON_AddStringToObject(p, "in", params[i].in);
        cJSON_AddStringToObject(p, "name", params[i].name);
        cJSON_AddBoolToObject(p, "required", params[i].required && !params[i].ignored);
        if (params[i].ignored)
            cJSON_AddBoolToObject(p, "ignored", 1);
        if ((st = add_outline(c, spec, p, "type", params[i].node.doc, act_param_schema(&params[i]),
                              &tmp)))
            goto fail;
        add_str(p, "description", params[i].description);
    }

    struct act_payload pl;
    st = act_spec_request_body(spec, op, &pl, &err);
    if (st == ACT_ERR_NOTFOUND) {
        cJSON_AddNullToObject(o, "requestBody");
    } else if (st) {
        cli_error(c, &err);
        goto fail;
    } else {
        cJSON *body = cJSON_AddObjectToObject(o, "requestBody");
        cJSON_AddBoolToObject(body, "required", pl.required);
        arr = cJSON_AddArrayToObject(body, "content");
        if ((st = content_list(c, spec, pl.node.doc, pl.content, arr, &tmp)))
            goto fail;
    }

    arr = cJSON_AddArrayToObject(o, "responses");
    for (const cJSON *r = cJSON_IsObject(op->responses) ? op->responses->child : NULL; r;
         r = r->next) {
        st = act_spec_response(spec, op, r, &pl, &err);
        if (st) {
            cli_error(c, &err);
            goto fail;
        }
        cJSON *e = cJSON_CreateObject();
        if (!e) {
            st = ACT_ERR_NOMEM;
            goto fail;
        }
        cJSON_AddItemToArray(arr, e);
        cJSON_AddStringToObject(e, "status", r->string);
        add_str(e, "description", pl.description);
        cJSON *ct = cJSON_AddArrayToObject(e, "content");
        if ((st = content_list(c, spec, pl.node.doc, pl.content, ct, &tmp)))
            goto fail;
    }

    arr = cJSON_AddArrayToObject(o, "security");
    if ((st = describe_security(spec, op->security, arr)))
        goto fail;
    arr = cJSON_AddArrayToObject(o, "servers");
    for (const cJSON *s = cJSON_IsArray(op->servers) ? op->servers->child : NULL; s; s = s->next)
        if (act_server_url(s))
            cJSON_AddItemToArray(arr, cJSON_CreateString(act_server_url(s)));
    *out = o;
    o = NULL;
fail:
    if (st == ACT_ERR_NOMEM)
        cli_fail(c, "out of memory");
    cJSON_Delete(o);
    act_free(params);
    act_buf_release(&tmp);
    return st;
}

static const char *s_or(const cJSON *o, const char *k, const char *dflt)
{
    const char *v = str_of(o, k);
    return v ? v : dflt;
}

/* One "MEDIA-TYPE  SCHEMA" line per entry of content, indented. */
static void print_content(const cJSON *content, int indent)
{
    for (const cJSON *m = content->child; m; m = m->next)
        printf("%*s%s  %s\n", indent, "", str_of(m, "mediaType"), s_or(m, "schema", "any"));
}

static void print_text(const cJSON *d)
{
    char method[16];
    const char *m = str_of(d, "method");
    size_t i;
    for (i = 0; m[i] && i < sizeof(method) - 1; i++)
        method[i] = (char)(m[i] - 32 * (m[i] >= 'a' && m[i] <= 'z'));
    method[i] = '\0';
    printf("%s  %s %s%s\n", str_of(d, "id"), method, str_of(d, "path"),
           cJSON_IsTrue(cJSON_GetObjectItem(d, "deprecated")) ? "  [deprecated]" : "");
    if (str_of(d, "summary"))
        printf("  %s\n", str_of(d, "summary"));
    if (cJSON_IsTrue(cJSON_GetObjectItem(d, "webhook")))
        puts("  webhook: the API sends this request to its subscribers (never tested)");
    const cJSON *tags = cJSON_GetObjectItem(d, "tags");
    if (cJSON_GetArraySize(tags) > 0) {
        fputs("  tags:", stdout);
        for (const cJSON *t = tags->child; t; t = t->next)
            printf(" %s", t->valuestring);
        putchar('\n');
    }

    const cJSON *params = cJSON_GetObjectItem(d, "parameters");
    if (cJSON_GetArraySize(params) == 0) {
        puts("\nParameters: none");
    } else {
        size_t wn = 4;
        for (const cJSON *p = params->child; p; p = p->next)
            if (strlen(str_of(p, "name")) > wn)
                wn = strlen(str_of(p, "name"));
        puts("\nParameters:");
        printf("  %-6s  %-*s  %-8s  %s\n", "IN", (int)wn, "NAME", "REQUIRED", "TYPE");
        for (const cJSON *p = params->child; p; p = p->next)
            if (cJSON_IsTrue(cJSON_GetObjectItem(p, "ignored")))
                printf("  %-6s  %-*s  %-8s  %s\n", str_of(p, "in"), (int)wn, str_of(p, "name"), "-",
                       IGNORED_WHY);
            else
                printf("  %-6s  %-*s  %-8s  %s\n", str_of(p, "in"), (int)wn, str_of(p, "name"),
                       cJSON_IsTrue(cJSON_GetObjectItem(p, "required")) ? "yes" : "no",
                       s_or(p, "type", "any"));
    }

    const cJSON *body = cJSON_GetObjectItem(d, "requestBody");
    if (!cJSON_IsObject(body)) {
        puts("\nRequest body: none");
    } else {
        printf("\nRequest body (%s):\n",
               cJSON_IsTrue(cJSON_GetObjectItem(body, "required")) ? "required" : "optional");
        print_content(cJSON_GetObjectItem(body, "content"), 2);
    }

    const cJSON *resp = cJSON_GetObjectItem(d, "responses");
    if (cJSON_GetArraySize(resp) == 0) {
        puts("\nResponses: none declared");
    } else {
        puts("\nResponses:");
        for (const cJSON *r = resp->child; r; r = r->next) {
            const cJSON *ct = cJSON_GetObjectItem(r, "content");
            printf("  %-7s %s\n", str_of(r, "status"), s_or(r, "description", ""));
            print_content(ct, 10);
        }
    }

    const cJSON *sec = cJSON_GetObjectItem(d, "security");
    if (cJSON_GetArraySize(sec) == 0) {
        puts("\nSecurity: none");
    } else {
        puts("\nSecurity (any one of):");
        for (const cJSON *alt = sec->child; alt; alt = alt->next) {
            if (!alt->child) {
                puts("  anonymous");
                continue;
            }
            fputs(" ", stdout);
            for (const cJSON *s = alt->child; s; s = s->next) {
                printf(" %s%s (%s", s == alt->child ? "" : "+ ", str_of(s, "scheme"),
                       s_or(s, "type", "undefined scheme"));
                if (str_of(s, "httpScheme"))
                    printf(" %s", str_of(s, "httpScheme"));
                if (str_of(s, "in"))
                    printf(", %s %s", str_of(s, "in"), s_or(s, "name", ""));
                const cJSON *sc = cJSON_GetObjectItem(s, "scopes");
                for (const cJSON *x = sc->child; x; x = x->next)
                    printf("%s%s", x == sc->child ? "; scopes: " : " ", x->valuestring);
                putchar(')');
            }
            putchar('\n');
        }
    }
}

int cmd_show(int argc, char **argv, struct cli_ctx *c)
{
    int opt, json = 0, rc;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0)
        if (opt == 'f' && (rc = cli_parse_format(c, optarg, "text", &json)))
            return rc;
    if (opt == 0)
        return g.rc;
    if ((rc = cli_operands(c, argc, argv, 1, 2, "show needs an ACTION")))
        return rc;
    int npos = argc - optind;
    const char *spec_path = npos == 2 ? argv[optind] : NULL;
    const char *id = argv[optind + npos - 1];
    struct act_spec *spec;
    enum act_status st = cli_load_spec(c, spec_path, 0, &spec);
    if (st)
        return cli_exit_code(st);
    const struct act_op *op = act_spec_find_webhook(spec, id);
    if (!op || act_spec_find_op(spec, id))
        op = cli_find_op(c, spec, id);
    cJSON *d = NULL;
    if (!op)
        st = ACT_ERR_NOTFOUND;
    else
        st = describe(c, spec, op, &d);
    if (!st) {
        if (json)
            cli_print_json(stdout, d);
        else
            print_text(d);
    }
    cJSON_Delete(d);
    act_spec_free(spec);
    return cli_exit_code(st);
}
