/*
 * cmd_validate.c - `actions validate`: JSON instances against a schema.
 *
 *   actions validate --schema FILE[#/json/pointer] [INSTANCE|-]...
 *   actions validate [SPEC] ACTION --status CODE [--content-type TYPE] [INSTANCE|-]
 *
 * The schema is compiled once and every instance is checked against it. Text
 * output: one line per instance when valid, else one line per error with the
 * schema's file:line; --format json: an array with one object per instance.
 * Exit 0 when every instance is valid, 1 when any is invalid, 2 when an input
 * is unusable (bad schema, unreadable or malformed instance, unknown action,
 * undeclared status or media type).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "common/act_alloc.h"
#include "common/act_limits.h"
#include "common/act_map.h"
#include "parser/openapi.h"
#include "parser/pointer.h"
#include "parser/swagger2.h"
#include "validator/validate.h"

static const char usage[] =
    "usage: actions validate --schema FILE[#/json/pointer] [options] [INSTANCE|-]...\n"
    "       actions validate [SPEC] ACTION --status CODE [--content-type TYPE] [options]\n"
    "                        [INSTANCE|-]\n"
    "\n"
    "Validate JSON instances against an OpenAPI 3.0 schema: a schema file (JSON or\n"
    "YAML, a bare schema or a document with a pointer into it), or the response an\n"
    "action declares for a status code and media type. With no INSTANCE, or '-',\n"
    "the instance is read from standard input.\n"
    "\n"
    "  --schema FILE[#PTR]     the schema: a file, optionally a JSON Pointer into it\n"
    "  --status CODE           the response status (exact, then 2XX-style, then default)\n"
    "  --content-type TYPE     the response media type (default: the JSON one declared)\n"
    "  --direction DIR         response (default) or request: readOnly/writeOnly rules\n"
    "  --max-errors N          errors reported per instance (default 100; 0 = all)\n"
    "  --max-validation-steps N  work budget per instance: schema applications\n"
    "                          (default 10000000 + 2 per byte)\n"
    "  --format FORMAT         text (default) or json\n"
    "  --spec FILE             the spec, when not given as SPEC\n"
    "\n"
    "Exit status: 0 all valid, 1 some instance invalid, 2 unusable input.\n";

CLI_OPTIONS(cli_validate_opts, {"schema", required_argument, NULL, 's'},
            {"status", required_argument, NULL, 'S'},
            {"content-type", required_argument, NULL, 'c'},
            {"direction", required_argument, NULL, 'd'},
            {"max-errors", required_argument, NULL, 'm'},
            {"max-validation-steps", required_argument, NULL, 'B'},
            {"format", required_argument, NULL, 'f'});

struct vopts {
    const char *schema;       /* --schema */
    const char *status;       /* --status */
    const char *content_type; /* --content-type */
    enum act_direction dir;   /* --direction */
    size_t max_errors;        /* --max-errors (0 = unlimited) */
    unsigned long max_steps;  /* --max-validation-steps (0 = the default) */
    int json;                 /* --format json */
};

/* Where a schema location lies in its file, looked up once per location: "FILE\nLOCATION"
 * -> line and column (entries, indexed by act_hash_str of the key). */
struct loc_cache {
    struct act_map map;
    struct loc_entry {
        char *key;
        int line, col;
    } * v;
    size_t n, cap;
};

static void loc_cache_release(struct loc_cache *lc)
{
    for (size_t i = 0; i < lc->n; i++)
        act_free(lc->v[i].key);
    act_free(lc->v);
    act_map_release(&lc->map);
}

static const struct act_doc *doc_by_path(struct act_docset *ds, const char *path)
{
    for (size_t i = 0; i < act_docset_count(ds); i++)
        if (strcmp(act_docset_get(ds, i)->path, path) == 0)
            return act_docset_get(ds, i);
    return NULL;
}

/* file:line:col of the schema location of e, 0 when unknown. */
static int locate(struct act_docset *ds, struct loc_cache *lc, const struct act_verr *e, int *line,
                  int *col)
{
    size_t key_len = strlen(e->file) + strlen(e->schema) + 2;
    char *key = act_malloc(key_len);
    if (!key)
        return 0;
    snprintf(key, key_len, "%s\n%s", e->file, e->schema);
    uint32_t h = act_hash_str(key);
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, &lc->map, h); id != ACT_MAP_NONE;
         id = act_map_next(&it)) {
        if (strcmp(lc->v[id].key, key) == 0) {
            act_free(key);
            *line = lc->v[id].line;
            *col = lc->v[id].col;
            return *line > 0;
        }
    }
    const struct act_doc *doc = doc_by_path(ds, e->file);
    *line = *col = 0;
    if (doc && e->schema[0] == '#' && !act_doc_locate(doc, e->schema + 1, line, col))
        *line = *col = 0;
    if (lc->n >= ACT_MAP_NONE || ACT_GROW(lc->v, lc->cap, lc->n + 1, 16) ||
        act_map_put(&lc->map, h, (uint32_t)lc->n)) {
        act_free(key); /* not remembered: looked up again next time */
        return *line > 0;
    }
    lc->v[lc->n++] = (struct loc_entry){key, *line, *col};
    return *line > 0;
}

/* Read all of stdin into a new buffer. */
static enum act_status read_stdin(char **out, size_t *len)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    *out = NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)ACT_MAX_FILE_BYTES) {
                act_free(buf);
                return ACT_ERR_LIMIT;
            }
            if (ACT_GROW(buf, cap, n + 1, 1 << 16)) {
                act_free(buf);
                return ACT_ERR_NOMEM;
            }
        }
        ssize_t r = read(STDIN_FILENO, buf + n, cap - n);
        if (r < 0) {
            act_free(buf);
            return ACT_ERR_IO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *out = buf;
    *len = n;
    return ACT_OK;
}

/* The --schema file, loaded on a second thread while the first instance is read and parsed
 * (the big allocations stay in the main thread's malloc arena). */
struct prefetch {
    const char *path;      /* the schema file */
    const char *pointer;   /* the JSON Pointer into it */
    struct act_docset *ds; /* the result, or NULL */
    struct act_node node;
    enum act_status st; /* act_docset_load_node's status */
    struct act_error err;
    pthread_t thread;
    int started; /* the thread runs (join it) */
};

static void *prefetch_run(void *arg)
{
    struct prefetch *pf = arg;
    pf->st = act_swagger2_load_node(pf->path, pf->pointer, &pf->ds, &pf->node, &pf->err);
    return NULL;
}

/* Load the instance arg ("-" = stdin) into *out; *dup gets the duplicate member name it
 * has, if any (dup->msg[0] then; see act_json_fast_parse). */
static enum act_status load_instance(struct cli_ctx *c, const char *arg, struct act_doc **out,
                                     struct act_error *dup)
{
    struct act_error err;
    enum act_status st;
    act_error_init(&err);
    act_error_init(dup);
    if (strcmp(arg, "-") == 0) {
        char *buf;
        size_t len;
        st = read_stdin(&buf, &len);
        if (st) {
            cli_fail(c, "<stdin>: %s", act_status_str(st));
            return st;
        }
        st = act_doc_parse_instance("<stdin>", buf, len, out, &err);
        act_free(buf);
    } else {
        st = act_doc_load_instance(arg, out, &err);
    }
    if (st)
        cli_error(c, &err);
    else
        *dup = err;
    return st;
}

/* ---- output ------------------------------------------------------------------------------ */

/* The duplicate member of an instance, as its first error: "/x/a: expected unique member
 * names, got ..." */
static const char dup_expected[] = "unique member names (RFC 8259)";

static void print_text(struct act_docset *ds, struct loc_cache *lc, const char *name,
                       const struct act_errlist *errs, const struct act_error *dup)
{
    struct act_buf b;
    act_buf_init(&b);
    if (dup->msg[0])
        printf("%s: %s: expected %s, got a %s\n", name, dup->pointer, dup_expected, dup->msg);
    if (errs->n == 0 && errs->dropped == 0 && !dup->msg[0]) {
        printf("%s: valid\n", name);
        return;
    }
    for (size_t i = 0; i < errs->n; i++) {
        const struct act_verr *e = &errs->v[i];
        int line, col;
        act_buf_reset(&b);
        if (act_buf_printf(&b, "%s: expected %s, got %s (", e->instance[0] ? e->instance : "(root)",
                           e->expected, e->found))
            break;
        if (locate(ds, lc, e, &line, &col)) {
            if (act_buf_printf(&b, "%s:%d:%d ", e->file, line, col))
                break;
        }
        if (act_buf_printf(&b, "%s)", e->schema))
            break;
        printf("%s: %s\n", name, b.data);
    }
    if (errs->dropped)
        printf("%s: \xe2\x80\xa6 and %zu more error%s\n", name, errs->dropped,
               errs->dropped == 1 ? "" : "s");
    act_buf_release(&b);
}

static cJSON *json_result(struct act_docset *ds, struct loc_cache *lc, const char *name,
                          const struct act_errlist *errs, const struct act_error *dup)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "instance", name);
    cJSON_AddBoolToObject(o, "valid", errs->n == 0 && errs->dropped == 0 && !dup->msg[0]);
    cJSON *arr = cJSON_AddArrayToObject(o, "errors");
    struct act_buf b;
    act_buf_init(&b);
    cJSON *d = dup->msg[0] && arr ? cJSON_CreateObject() : NULL;
    if (d) {
        cJSON_AddItemToArray(arr, d);
        cJSON_AddStringToObject(d, "instancePath", dup->pointer);
        cJSON_AddStringToObject(d, "keyword", "duplicate");
        cJSON_AddStringToObject(d, "expected", dup_expected);
        cJSON_AddStringToObject(d, "found", dup->msg);
        if (!act_buf_printf(&b, "%s: expected %s, got a %s", dup->pointer, dup_expected, dup->msg))
            cJSON_AddStringToObject(d, "message", b.data);
        cJSON_AddNumberToObject(d, "line", dup->line);
        cJSON_AddNumberToObject(d, "column", dup->col);
    }
    for (size_t i = 0; arr && i < errs->n; i++) {
        const struct act_verr *e = &errs->v[i];
        cJSON *j = cJSON_CreateObject();
        if (!j)
            break;
        cJSON_AddItemToArray(arr, j);
        act_buf_reset(&b);
        act_verr_format(e, &b);
        cJSON_AddStringToObject(j, "instancePath", e->instance);
        cJSON_AddStringToObject(j, "schemaPath", e->schema);
        cJSON_AddStringToObject(j, "keyword", e->keyword);
        cJSON_AddStringToObject(j, "expected", e->expected);
        cJSON_AddStringToObject(j, "found", e->found);
        cJSON_AddStringToObject(j, "message", b.data);
        cJSON_AddStringToObject(j, "file", e->file);
        int line, col;
        if (locate(ds, lc, e, &line, &col)) {
            cJSON_AddNumberToObject(j, "line", line);
            cJSON_AddNumberToObject(j, "column", col);
        }
    }
    act_buf_release(&b);
    cJSON_AddNumberToObject(o, "more", (double)errs->dropped);
    return o;
}

/* ---- finding the schema ------------------------------------------------------------------ */

/* --schema FILE[#PTR]: load (what is needed of) FILE into a new docset and find the node,
 * on a second thread when there is an instance file to read meanwhile. */
static enum act_status schema_start(struct cli_ctx *c, const char *arg, int background,
                                    struct prefetch *pf, struct act_buf *path, struct act_buf *ptr)
{
    const char *hash = strchr(arg, '#');
    act_error_init(&pf->err);
    if (hash == arg || !*arg) {
        cli_usage_error(c,
                        "--schema \"%s\" names no file: give FILE or FILE#POINTER "
                        "(e.g. spec.yaml#/components/schemas/Pet)",
                        arg);
        return ACT_ERR_USAGE;
    }
    if (act_buf_add(path, arg, hash ? (size_t)(hash - arg) : strlen(arg)))
        return ACT_ERR_NOMEM;
    if (hash && act_pointer_from_fragment(hash, strlen(hash), ptr)) {
        cli_usage_error(c, "--schema: \"%s\" is not a JSON Pointer fragment", hash);
        return ACT_ERR_USAGE;
    }
    pf->path = path->data;
    pf->pointer = ptr->data;
    if (background && pthread_create(&pf->thread, NULL, prefetch_run, pf) == 0)
        pf->started = 1;
    else
        prefetch_run(pf);
    return ACT_OK;
}

static enum act_status schema_finish(struct cli_ctx *c, struct prefetch *pf, struct act_docset **ds,
                                     struct act_node *node)
{
    if (pf->started)
        pthread_join(pf->thread, NULL);
    pf->started = 0;
    *ds = pf->ds;
    *node = pf->node;
    if (*ds) /* refs are followed later, during validation */
        act_docset_allow_absolute_refs(*ds, c->absolute_refs);
    if (pf->st) {
        cli_error(c, &pf->err);
    } else if (*ds && (pf->st = cli_apply_ref_maps(c, *ds))) {
        act_docset_free(*ds);
        *ds = NULL;
    }
    return pf->st;
}

/* ACTION --status CODE: the schema of the declared response. node->node NULL = no schema. */
static enum act_status schema_from_action(struct cli_ctx *c, const struct vopts *o,
                                          struct act_spec *spec, const char *id,
                                          struct act_node *node)
{
    char list[512];
    struct act_error err;
    act_error_init(&err);
    node->node = NULL;
    const struct act_op *op = cli_find_op(c, spec, id);
    if (!op)
        return ACT_ERR_NOTFOUND;
    const cJSON *r = act_spec_response_for(op->responses, strtol(o->status, NULL, 10));
    if (!r) {
        act_declared_list(op->responses, list, sizeof(list));
        cli_fail(c, "status %s is not declared for %s (declared: %s)", o->status, op->id, list);
        return ACT_ERR_NOTFOUND;
    }
    struct act_node rn;
    enum act_status st = act_ref_deref(spec->docs, (struct act_node){op->path_doc, r}, &rn, &err);
    if (st) {
        cli_error(c, &err);
        return st;
    }
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(rn.node, "content");
    const cJSON *media = NULL;
    if (o->content_type) {
        media = act_spec_media_for(content, o->content_type);
    } else {
        for (const cJSON *m = content ? content->child : NULL; m && !media; m = m->next)
            if (act_media_json(m->string) != ACT_MEDIA_OTHER)
                media = m;
    }
    if (!media) {
        act_declared_list(content, list, sizeof(list));
        cli_fail(c, "response %s of %s declares no %s content (declared: %s)", r->string, op->id,
                 o->content_type ? o->content_type : "JSON", list);
        return ACT_ERR_NOTFOUND;
    }
    if (act_media_json(media->string) == ACT_MEDIA_OTHER) {
        cli_fail(c, "response %s of %s: media type %s is not JSON; only JSON bodies are validated",
                 r->string, op->id, media->string);
        return ACT_ERR_UNSUPPORTED;
    }
    node->doc = rn.doc;
    node->node = act_media_schema(media);
    return ACT_OK;
}

/* ---- the command ------------------------------------------------------------------------- */

static int parse_opts(struct cli_ctx *c, int argc, char **argv, struct vopts *o)
{
    int opt, rc;
    memset(o, 0, sizeof(*o));
    o->max_errors = ACT_MAX_ERRORS;
    struct cli_getopt g;
    cli_getopt_init(&g, c, argc, argv, "h", options, usage);
    while ((opt = cli_getopt_next(&g)) > 0) {
        switch (opt) {
        case 's': o->schema = optarg; break;
        case 'S': o->status = optarg; break;
        case 'c': o->content_type = optarg; break;
        case 'd':
            if (strcmp(optarg, "response") == 0)
                o->dir = ACT_DIR_RESPONSE;
            else if (strcmp(optarg, "request") == 0)
                o->dir = ACT_DIR_REQUEST;
            else
                return cli_fail(c, "unknown --direction \"%s\" (use response or request)", optarg);
            break;
        case 'm': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 0)
                return cli_usage_error(c, "--max-errors needs a number >= 0, not \"%s\"", optarg);
            o->max_errors = n == 0 ? (size_t)-1 : (size_t)n;
            break;
        }
        case 'B':
            if (cli_parse_steps(c, optarg, &o->max_steps))
                return CLI_EXIT_USAGE;
            break;
        case 'f':
            if ((rc = cli_parse_format(c, optarg, "text", &o->json)))
                return rc;
            break;
        }
    }
    return opt == 0 ? g.rc : -1;
}

static int is_file(const char *p)
{
    struct stat sb;
    return strcmp(p, "-") == 0 || (stat(p, &sb) == 0 && S_ISREG(sb.st_mode));
}

int cmd_validate(int argc, char **argv, struct cli_ctx *c)
{
    struct vopts o;
    int rc = parse_opts(c, argc, argv, &o);
    if (rc >= 0)
        return rc;
    char **pos = argv + optind;
    int npos = argc - optind;
    struct act_docset *own_ds = NULL, *ds;
    struct act_spec *spec = NULL;
    struct act_node schema = {NULL, NULL};
    enum act_status st;
    struct prefetch pf = {0};
    struct act_buf spath, sptr;
    struct act_doc *first = NULL; /* the first instance, read while the schema loads */
    struct act_error first_dup;   /* its duplicate member name, if any */
    act_error_init(&first_dup);
    enum act_status first_st = ACT_OK;
    act_buf_init(&spath);
    act_buf_init(&sptr);
    if (o.schema) {
        if (o.status || o.content_type)
            return cli_usage_error(c, "--status and --content-type go with ACTION, not --schema");
        int background = npos >= 1 && strcmp(pos[0], "-") != 0;
        st = schema_start(c, o.schema, background, &pf, &spath, &sptr);
        if (!st && background)
            first_st = load_instance(c, pos[0], &first, &first_dup); /* meanwhile */
        if (!st)
            st = schema_finish(c, &pf, &own_ds, &schema);
        act_buf_release(&spath);
        act_buf_release(&sptr);
        if (st) {
            act_doc_free(first);
            return cli_exit_code(st == ACT_ERR_NOMEM ? st : ACT_ERR_INVALID);
        }
        if (!background)
            first_st = load_instance(c, pos[0] ? pos[0] : "-", &first, &first_dup);
        ds = own_ds;
    } else {
        if (!o.status)
            return cli_usage_error(c, "validate needs --schema FILE[#PTR], or ACTION with "
                                      "--status CODE");
        /* [SPEC] ACTION [INSTANCE]: with two words, the first is SPEC when it is a file */
        const char *spec_path = NULL, *id;
        if (npos > 3)
            return cli_extra_arg(c, pos[3]);
        if (npos == 3 || (npos == 2 && is_file(pos[0]) && strcmp(pos[0], "-") != 0)) {
            spec_path = pos[0];
            pos++;
            npos--;
        }
        if (npos < 1)
            return cli_usage_error(c, "validate needs an ACTION with --status");
        id = pos[0];
        pos++;
        npos--;
        if ((st = cli_load_spec(c, spec_path, 0, &spec)))
            return cli_exit_code(st);
        if ((st = schema_from_action(c, &o, spec, id, &schema))) {
            act_spec_free(spec);
            return CLI_EXIT_USAGE;
        }
        ds = spec->docs;
    }

    static char *stdin_only[] = {"-"};
    if (npos == 0) {
        pos = stdin_only;
        npos = 1;
    }
    struct act_validator *v = NULL;
    struct loc_cache lc = {0};
    cJSON *results = o.json ? cJSON_CreateArray() : NULL;
    int any_invalid = 0, unusable = 0;
    if ((st = act_validator_new(ds, &v)) || (o.json && !results)) {
        cli_fail(c, "out of memory");
        unusable = 1;
        npos = 0;
    } else {
        act_validator_set_max_steps(v, o.max_steps);
    }
    for (int i = 0; i < npos; i++) {
        const char *name = strcmp(pos[i], "-") == 0 ? "<stdin>" : pos[i];
        struct act_doc *inst = NULL;
        struct act_error dup;
        if (i == 0 && o.schema) {
            inst = first;
            first = NULL;
            dup = first_dup;
            if (first_st) {
                unusable = 1;
                continue;
            }
        } else if (load_instance(c, pos[i], &inst, &dup)) {
            unusable = 1;
            continue;
        }
        struct act_errlist errs;
        struct act_error err;
        act_errlist_init(&errs, o.max_errors);
        act_error_init(&err);
        if (schema.node)
            st = act_validate_doc(v, schema, inst, inst->root, o.dir, &errs, &err);
        else
            st = ACT_OK; /* no schema declared: any JSON is valid */
        if (st) {
            cli_error(c, &err);
            act_errlist_release(&errs);
            act_doc_free(inst);
            unusable = 1;
            break; /* the schema is unusable: so it is for every instance */
        }
        if (errs.n || errs.dropped || dup.msg[0])
            any_invalid = 1;
        if (o.json)
            cJSON_AddItemToArray(results, json_result(ds, &lc, name, &errs, &dup));
        else
            print_text(ds, &lc, name, &errs, &dup);
        act_errlist_release(&errs);
        act_doc_free(inst);
    }
    act_doc_free(first); /* when the loop never ran */
    if (results) {
        cli_print_json(stdout, results);
        cJSON_Delete(results);
    }
    loc_cache_release(&lc);
    act_validator_free(v);
    act_docset_free(own_ds);
    act_spec_free(spec);
    return unusable ? CLI_EXIT_USAGE : any_invalid ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
