/*
 * arazzo.c - loading an Arazzo 1.0.1 document and resolving what its steps name.
 *
 * Loading runs in three passes over the cJSON tree: the fixed fields
 * (arazzo, info, sourceDescriptions, workflows with their steps), the source
 * descriptions (specs, release files and other Arazzo documents, relative to this
 * file, or published releases named library:PROJECT@VERSION), then
 * the references between them (operationId, operationPath, workflowId,
 * dependsOn). Each problem is a diagnostic with the node's JSON Pointer, so
 * its file:line:column is found only when it is reported.
 */
#include "process/arazzo.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "parser/library.h"
#include "parser/pointer.h"

/* ---------------------------------------------------------------- diagnostics */

enum act_status act_arazzo_diag_vadd(struct act_arazzo_diags *d, const struct act_doc *doc,
                                     const char *pointer, int is_error, const char *fmt, va_list ap)
{
    char msg[ACT_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (ACT_GROW(d->v, d->cap, d->n + 1, 8))
        return ACT_ERR_NOMEM;
    struct act_arazzo_diag *g = &d->v[d->n];
    memset(g, 0, sizeof *g);
    g->is_error = is_error;
    g->file = act_strdup(doc ? doc->path : "");
    g->pointer = act_strdup(pointer ? pointer : "");
    g->msg = act_strdup(msg);
    if (!g->file || !g->pointer || !g->msg) {
        act_free(g->file);
        act_free(g->pointer);
        act_free(g->msg);
        return ACT_ERR_NOMEM;
    }
    if (doc && pointer && !act_doc_locate(doc, pointer, &g->line, &g->col))
        g->line = g->col = 0;
    d->n++;
    if (is_error)
        d->errors++;
    return ACT_OK;
}

enum act_status act_arazzo_diag_add(struct act_arazzo_diags *d, const struct act_doc *doc,
                                    const char *pointer, int is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum act_status st = act_arazzo_diag_vadd(d, doc, pointer, is_error, fmt, ap);
    va_end(ap);
    return st;
}

void act_arazzo_diags_release(struct act_arazzo_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        act_free(d->v[i].file);
        act_free(d->v[i].pointer);
        act_free(d->v[i].msg);
    }
    act_free(d->v);
    memset(d, 0, sizeof *d);
}

/* The loader's state: the document being loaded and where problems go. */
struct ld {
    struct act_arazzo *a; /* the document */
    int lenient;          /* keep going after a problem */
    struct act_error *err;
    enum act_status st; /* ACT_ERR_NOMEM once an allocation failed */
};

/* Record a problem; returns nonzero when loading must stop (strict mode or OOM). */
static int problem(struct ld *l, const char *ptr, int is_error, const char *fmt, ...)
    ACT_PRINTF(4, 5);
static int problem(struct ld *l, const char *ptr, int is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum act_status st = act_arazzo_diag_vadd(&l->a->diags, l->a->doc, ptr, is_error, fmt, ap);
    va_end(ap);
    if (st) {
        l->st = ACT_ERR_NOMEM;
        return 1;
    }
    if (!is_error || l->lenient)
        return 0;
    const struct act_arazzo_diag *g = &l->a->diags.v[l->a->diags.n - 1];
    act_error_set(l->err, ACT_ERR_INVALID, g->file, g->line, g->col, "%s", g->msg);
    act_error_set_pointer(l->err, g->pointer);
    if (!l->st)
        l->st = ACT_ERR_INVALID;
    return 1;
}

char *act_arazzo_pointer_join(const char *base, const char *tok)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_buf_adds(&b, base) || act_pointer_append(&b, tok)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

static char *ptr_index(const char *base, const char *tok, size_t i)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_buf_adds(&b, base) || act_pointer_append(&b, tok) || act_pointer_append_index(&b, i)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

static const char *str_member(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---------------------------------------------------------------- lookups */

int act_arazzo_detect(const cJSON *root)
{
    return cJSON_IsObject(root) && cJSON_GetObjectItemCaseSensitive(root, "arazzo") != NULL;
}

const struct act_arazzo_workflow *act_arazzo_find_workflow(const struct act_arazzo *a,
                                                           const char *id)
{
    for (size_t i = 0; a && id && i < a->n_workflows; i++)
        if (a->workflows[i].id && strcmp(a->workflows[i].id, id) == 0)
            return &a->workflows[i];
    return NULL;
}

const struct act_arazzo_step *act_arazzo_find_step(const struct act_arazzo_workflow *wf,
                                                   const char *id)
{
    for (size_t i = 0; wf && id && i < wf->n_steps; i++)
        if (wf->steps[i].id && strcmp(wf->steps[i].id, id) == 0)
            return &wf->steps[i];
    return NULL;
}

const struct act_arazzo_source *act_arazzo_find_source(const struct act_arazzo *a, const char *name)
{
    for (size_t i = 0; a && name && i < a->n_sources; i++)
        if (strcmp(a->sources[i].name, name) == 0)
            return &a->sources[i];
    return NULL;
}

#define SD_PREFIX "$sourceDescriptions."

/*
 * rest is "NAME.TAIL" where NAME may itself contain dots: the sources whose
 * name followed by '.' starts rest. Up to 2 candidates in out; returns how many
 * sources matched.
 */
static size_t match_sources(const struct act_arazzo *a, const char *rest,
                            const struct act_arazzo_source **out)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_sources; i++) {
        size_t k = strlen(a->sources[i].name);
        if (k && strncmp(rest, a->sources[i].name, k) == 0 && rest[k] == '.' && rest[k + 1]) {
            if (n < 2)
                out[n] = &a->sources[i];
            n++;
        }
    }
    return n;
}

enum act_status act_arazzo_resolve_workflow(const struct act_arazzo *a, const char *ref,
                                            const struct act_arazzo_workflow **out, char *msg,
                                            size_t size)
{
    char e[ACT_ECHO_SIZE];
    *out = NULL;
    if (!ref)
        return ACT_ERR_NOTFOUND;
    if (strncmp(ref, SD_PREFIX, strlen(SD_PREFIX)) != 0) {
        *out = act_arazzo_find_workflow(a, ref);
        if (*out)
            return ACT_OK;
        snprintf(msg, size, "unknown workflowId '%s'", act_echo(e, sizeof e, ref, strlen(ref)));
        return ACT_ERR_NOTFOUND;
    }
    const char *rest = ref + strlen(SD_PREFIX);
    const struct act_arazzo_source *cand[2];
    size_t n = match_sources(a, rest, cand);
    const struct act_arazzo_workflow *found = NULL;
    size_t hits = 0;
    for (size_t i = 0; i < n && i < 2; i++) {
        const char *id = rest + strlen(cand[i]->name) + 1;
        const struct act_arazzo_workflow *w = cand[i]->type == ACT_ARAZZO_SRC_ARAZZO
                                                  ? act_arazzo_find_workflow(cand[i]->arazzo, id)
                                                  : NULL;
        if (w) {
            found = w;
            hits++;
        }
    }
    if (n == 0) {
        snprintf(msg, size, "no source description named by '%s'",
                 act_echo(e, sizeof e, ref, strlen(ref)));
        return ACT_ERR_NOTFOUND;
    }
    if (hits > 1) {
        snprintf(msg, size, "ambiguous workflow reference '%s': it names workflows in two sources",
                 act_echo(e, sizeof e, ref, strlen(ref)));
        return ACT_ERR_INVALID;
    }
    if (!found) {
        if (n == 1 && cand[0]->type != ACT_ARAZZO_SRC_ARAZZO)
            snprintf(msg, size, "'%s' names a workflow of source '%s', which is not of type arazzo",
                     act_echo(e, sizeof e, ref, strlen(ref)), cand[0]->name);
        else
            snprintf(msg, size, "unknown workflow '%s'", act_echo(e, sizeof e, ref, strlen(ref)));
        return ACT_ERR_NOTFOUND;
    }
    *out = found;
    return ACT_OK;
}

const cJSON *act_arazzo_component(const struct act_arazzo *a, const char *ref, char *msg,
                                  size_t size)
{
    static const char *const kinds[] = {"inputs", "parameters", "successActions", "failureActions"};
    char e[ACT_ECHO_SIZE];
    const char *p = "$components.";
    if (!ref || strncmp(ref, p, strlen(p)) != 0) {
        snprintf(msg, size, "reference '%s' is not a $components.KIND.NAME expression",
                 ref ? act_echo(e, sizeof e, ref, strlen(ref)) : "");
        return NULL;
    }
    const char *rest = ref + strlen(p);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t k = strlen(kinds[i]);
        if (strncmp(rest, kinds[i], k) == 0 && rest[k] == '.') {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(a->components, kinds[i]);
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, rest + k + 1);
            if (v)
                return v;
            snprintf(msg, size, "unknown component '%s'", act_echo(e, sizeof e, ref, strlen(ref)));
            return NULL;
        }
    }
    snprintf(msg, size,
             "unknown component kind in '%s' (inputs, parameters, successActions, failureActions)",
             act_echo(e, sizeof e, ref, strlen(ref)));
    return NULL;
}

const cJSON *act_arazzo_reusable(const struct act_arazzo *a, const cJSON *node,
                                 const cJSON **value_override, char *msg, size_t size)
{
    *value_override = NULL;
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(node, "reference");
    if (!r)
        return node;
    if (!cJSON_IsString(r)) {
        snprintf(msg, size, "reference must be a string");
        return NULL;
    }
    const cJSON *t = act_arazzo_component(a, r->valuestring, msg, size);
    if (t)
        *value_override = cJSON_GetObjectItemCaseSensitive(node, "value");
    return t;
}

/* ---------------------------------------------------------------- structure */

static void check_fixed(struct ld *l)
{
    const cJSON *root = l->a->doc->root;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "arazzo");
    if (!cJSON_IsString(v)) {
        problem(l, v ? "/arazzo" : "", 1, "%s", v ? "arazzo must be a string" : "missing arazzo");
        return;
    }
    l->a->version = v->valuestring;
    if (strncmp(v->valuestring, "1.0.", 4) != 0) {
        char e[ACT_ECHO_SIZE];
        l->st = ACT_ERR_UNSUPPORTED;
        if (problem(l, "/arazzo", 1, "unsupported Arazzo version '%s' (1.0.x is supported)",
                    act_echo(e, sizeof e, v->valuestring, strlen(v->valuestring))))
            return;
        if (l->st == ACT_ERR_UNSUPPORTED && l->lenient)
            l->st = ACT_OK;
    }
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(root, "info");
    if (!cJSON_IsObject(info)) {
        if (problem(l, info ? "/info" : "", 1, "%s",
                    info ? "info must be an object" : "missing info"))
            return;
    } else {
        if (!str_member(info, "title") && problem(l, "/info", 1, "info.title must be a string"))
            return;
        if (!str_member(info, "version") && problem(l, "/info", 1, "info.version must be a string"))
            return;
    }
    l->a->components = cJSON_GetObjectItemCaseSensitive(root, "components");
    if (l->a->components && !cJSON_IsObject(l->a->components))
        problem(l, "/components", 1, "components must be an object");
}

/* The directory part of path with a trailing '/', or "" (owned). */
static char *dir_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return act_strndup(path, s ? (size_t)(s - path + 1) : 0);
}

static enum act_status load_one(const char *path, int flags, struct act_arazzo *root,
                                const struct act_arazzo *parent, struct act_arazzo **out,
                                struct act_error *err);

static void load_sources(struct ld *l)
{
    struct act_arazzo *a = l->a;
    const cJSON *sds = cJSON_GetObjectItemCaseSensitive(a->doc->root, "sourceDescriptions");
    char e[ACT_ECHO_SIZE];
    if (!cJSON_IsArray(sds) || cJSON_GetArraySize(sds) == 0) {
        problem(l, sds ? "/sourceDescriptions" : "", 1,
                "sourceDescriptions must be a non-empty list");
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(sds);
    a->sources = act_calloc(n, sizeof *a->sources);
    if (!a->sources) {
        l->st = ACT_ERR_NOMEM;
        return;
    }
    char *dir = dir_of(a->doc->path);
    if (!dir) {
        l->st = ACT_ERR_NOMEM;
        return;
    }
    size_t i = 0;
    for (const cJSON *s = sds->child; s; s = s->next, i++) {
        char *ptr = ptr_index("", "sourceDescriptions", i);
        if (!ptr) {
            l->st = ACT_ERR_NOMEM;
            break;
        }
        const char *name = str_member(s, "name");
        const char *url = str_member(s, "url");
        const char *type = str_member(s, "type");
        if (!name || !url) {
            int stop = problem(l, ptr, 1, "a source description needs a name and a url");
            act_free(ptr);
            if (stop)
                break;
            continue;
        }
        struct act_arazzo_source *src = &a->sources[a->n_sources];
        src->pointer = ptr;
        src->name = name;
        src->url = url;
        src->node = s;
        a->n_sources++;
        if (act_arazzo_find_source(a, name) != src &&
            problem(l, ptr, 1, "duplicate source description name '%s'",
                    act_echo(e, sizeof e, name, strlen(name))))
            break;
        if (type && strcmp(type, "arazzo") == 0)
            src->type = ACT_ARAZZO_SRC_ARAZZO;
        else if (type && strcmp(type, "openapi") != 0) {
            if (problem(l, ptr, 1, "source description type must be openapi or arazzo, not '%s'",
                        act_echo(e, sizeof e, type, strlen(type))))
                break;
            continue;
        }
        if (strstr(url, "://")) {
            if (problem(l, ptr, 1,
                        "source description '%s': only file urls are supported, not '%s'",
                        act_echo(e, sizeof e, name, strlen(name)), url))
                break;
            continue;
        }
        const char *u = strncmp(url, "file:", 5) == 0 ? url + 5 : url;
        /* library:PROJECT@VERSION: a published release, not a file beside this one */
        int lib = strncmp(u, ACT_LIBRARY_PREFIX, strlen(ACT_LIBRARY_PREFIX)) == 0;
        if (lib && src->type != ACT_ARAZZO_SRC_OPENAPI) {
            if (problem(l, ptr, 1,
                        "source description '%s': a library: url names a release of OpenAPI "
                        "actions, so its type is openapi",
                        act_echo(e, sizeof e, name, strlen(name))))
                break;
            continue;
        }
        struct act_buf b;
        act_buf_init(&b);
        if ((!lib && u[0] != '/' && act_buf_adds(&b, dir)) || act_buf_adds(&b, u)) {
            act_buf_release(&b);
            l->st = ACT_ERR_NOMEM;
            break;
        }
        /* A fragment ("x.yaml#/...") is not part of the file name. */
        char *hash = strchr(b.data, '#');
        if (hash)
            *hash = '\0';
        src->path = act_buf_detach(&b, NULL);
        if (!src->path) {
            l->st = ACT_ERR_NOMEM;
            break;
        }
        struct act_error le;
        act_error_init(&le);
        enum act_status st;
        if (src->type == ACT_ARAZZO_SRC_OPENAPI)
            st = act_spec_load_name(src->path, 0, &src->spec, &le); /* also a release */
        else
            st = load_one(src->path, l->lenient ? ACT_ARAZZO_LENIENT : 0, a->root, a, &src->arazzo,
                          &le);
        if (st == ACT_ERR_NOMEM) {
            l->st = st;
            break;
        }
        if (st) {
            char m[ACT_ERROR_MSG_MAX + 64];
            act_error_format(&le, m, sizeof m);
            size_t k = strlen(m);
            while (k && m[k - 1] == '\n')
                m[--k] = '\0';
            if (problem(l, ptr, 1, "source description '%s': %s",
                        act_echo(e, sizeof e, name, strlen(name)), m))
                break;
        }
    }
    act_free(dir);
}

static void load_steps(struct ld *l, struct act_arazzo_workflow *wf, const cJSON *steps)
{
    char e[ACT_ECHO_SIZE];
    if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) == 0) {
        problem(l, wf->pointer, 1, "workflow '%s' needs a non-empty steps list",
                act_echo(e, sizeof e, wf->id, strlen(wf->id)));
        return;
    }
    wf->steps = act_calloc((size_t)cJSON_GetArraySize(steps), sizeof *wf->steps);
    if (!wf->steps) {
        l->st = ACT_ERR_NOMEM;
        return;
    }
    size_t i = 0;
    for (const cJSON *s = steps->child; s; s = s->next, i++) {
        char *ptr = ptr_index(wf->pointer, "steps", i);
        if (!ptr) {
            l->st = ACT_ERR_NOMEM;
            return;
        }
        const char *id = str_member(s, "stepId");
        if (!cJSON_IsObject(s) || !id) {
            int stop = problem(l, ptr, 1, "a step needs a stepId");
            act_free(ptr);
            if (stop)
                return;
            continue;
        }
        struct act_arazzo_step *st = &wf->steps[wf->n_steps++];
        st->id = id;
        st->node = s;
        st->pointer = ptr;
        st->kind = ACT_ARAZZO_STEP_UNRESOLVED;
        if (act_arazzo_find_step(wf, id) != st &&
            problem(l, ptr, 1, "duplicate stepId '%s' in workflow '%s'",
                    act_echo(e, sizeof e, id, strlen(id)), wf->id))
            return;
        int kinds = !!cJSON_GetObjectItemCaseSensitive(s, "operationId") +
                    !!cJSON_GetObjectItemCaseSensitive(s, "operationPath") +
                    !!cJSON_GetObjectItemCaseSensitive(s, "workflowId");
        if (kinds != 1 &&
            problem(l, ptr, 1,
                    "step '%s' needs exactly one of operationId, operationPath, workflowId",
                    act_echo(e, sizeof e, id, strlen(id))))
            return;
    }
}

static void load_workflows(struct ld *l)
{
    struct act_arazzo *a = l->a;
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(a->doc->root, "workflows");
    char e[ACT_ECHO_SIZE];
    if (!cJSON_IsArray(wfs) || cJSON_GetArraySize(wfs) == 0) {
        problem(l, wfs ? "/workflows" : "", 1, "workflows must be a non-empty list");
        return;
    }
    a->workflows = act_calloc((size_t)cJSON_GetArraySize(wfs), sizeof *a->workflows);
    if (!a->workflows) {
        l->st = ACT_ERR_NOMEM;
        return;
    }
    size_t i = 0;
    for (const cJSON *w = wfs->child; w; w = w->next, i++) {
        char *ptr = ptr_index("", "workflows", i);
        if (!ptr) {
            l->st = ACT_ERR_NOMEM;
            return;
        }
        const char *id = str_member(w, "workflowId");
        if (!cJSON_IsObject(w) || !id) {
            int stop = problem(l, ptr, 1, "a workflow needs a workflowId");
            act_free(ptr);
            if (stop)
                return;
            continue;
        }
        struct act_arazzo_workflow *wf = &a->workflows[a->n_workflows++];
        wf->id = id;
        wf->node = w;
        wf->pointer = ptr;
        wf->doc = a;
        wf->inputs = cJSON_GetObjectItemCaseSensitive(w, "inputs");
        if (act_arazzo_find_workflow(a, id) != wf &&
            problem(l, ptr, 1, "duplicate workflowId '%s'", act_echo(e, sizeof e, id, strlen(id))))
            return;
        load_steps(l, wf, cJSON_GetObjectItemCaseSensitive(w, "steps"));
        if (l->st)
            return;
    }
}

/* ---------------------------------------------------------------- references */

/* For an operationId not found: " (not in the release R of source 'S', whose actions are:
 * ...)" for each source (or only `only`) that is a release, which may well have the
 * operation in its spec but does not release it; "" when none is. */
static const char *release_note(const struct act_arazzo *a, const struct act_arazzo_source *only,
                                char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < a->n_sources; i++) {
        const struct act_arazzo_source *src = &a->sources[i];
        if ((only && src != only) || !src->spec || !src->spec->is_release || len + 1 >= size)
            continue;
        len += (size_t)snprintf(buf + len, size - len,
                                " (not in the release %s of source '%s', whose actions are:",
                                src->spec->doc->path, src->name);
        for (size_t k = 0; k < src->spec->n_ops && len + 1 < size; k++)
            len += (size_t)snprintf(buf + len, size - len, " %s", src->spec->ops[k].id);
        if (len + 1 < size)
            len += (size_t)snprintf(buf + len, size - len, ")");
    }
    return buf;
}

/* The operation an operationId names: plain, or $sourceDescriptions.NAME.ID. */
static void resolve_operation_id(struct ld *l, struct act_arazzo_step *st, const char *ptr,
                                 const char *ref)
{
    struct act_arazzo *a = l->a;
    char e[ACT_ECHO_SIZE], note[ACT_ERROR_MSG_MAX / 2];
    const struct act_arazzo_source *src = NULL;
    const struct act_op *op = NULL;
    size_t hits = 0;
    if (strncmp(ref, SD_PREFIX, strlen(SD_PREFIX)) == 0) {
        const char *rest = ref + strlen(SD_PREFIX);
        const struct act_arazzo_source *cand[2];
        size_t n = match_sources(a, rest, cand);
        if (n == 0) {
            problem(l, ptr, 1, "unknown source description in '%s'",
                    act_echo(e, sizeof e, ref, strlen(ref)));
            return;
        }
        for (size_t i = 0; i < n && i < 2; i++) {
            if (!cand[i]->spec)
                continue;
            const struct act_op *o =
                act_spec_find_op(cand[i]->spec, rest + strlen(cand[i]->name) + 1);
            if (o) {
                op = o;
                src = cand[i];
                hits++;
            }
        }
        if (hits > 1) {
            problem(l, ptr, 1, "ambiguous operationId '%s': two source descriptions match",
                    act_echo(e, sizeof e, ref, strlen(ref)));
            return;
        }
        if (!op) {
            if (n == 1 && !cand[0]->spec && cand[0]->type == ACT_ARAZZO_SRC_OPENAPI)
                return; /* the source failed to load: reported there */
            problem(l, ptr, 1, "unknown operationId '%s'%s",
                    act_echo(e, sizeof e, ref, strlen(ref)),
                    release_note(a, n == 1 ? cand[0] : NULL, note, sizeof note));
            return;
        }
    } else {
        int unloaded = 0;
        const struct act_arazzo_source *other = NULL;
        for (size_t i = 0; i < a->n_sources; i++) {
            if (a->sources[i].type != ACT_ARAZZO_SRC_OPENAPI)
                continue;
            if (!a->sources[i].spec) {
                unloaded = 1;
                continue;
            }
            const struct act_op *o = act_spec_find_op(a->sources[i].spec, ref);
            if (o) {
                if (hits)
                    other = &a->sources[i];
                else {
                    op = o;
                    src = &a->sources[i];
                }
                hits++;
            }
        }
        if (hits > 1) {
            problem(l, ptr, 1,
                    "ambiguous operationId '%s': in source descriptions '%s' and '%s' (write "
                    "$sourceDescriptions.NAME.%s)",
                    act_echo(e, sizeof e, ref, strlen(ref)), src->name, other->name, ref);
            return;
        }
        if (!op) {
            if (unloaded)
                return;
            const char *sug = NULL;
            for (size_t i = 0; i < a->n_sources && !sug; i++)
                if (a->sources[i].spec && act_spec_suggest(a->sources[i].spec, ref, &sug, 1) == 0)
                    sug = NULL;
            if (sug)
                problem(l, ptr, 1, "unknown operationId '%s' (did you mean '%s'?)%s",
                        act_echo(e, sizeof e, ref, strlen(ref)), sug,
                        release_note(a, NULL, note, sizeof note));
            else
                problem(l, ptr, 1, "unknown operationId '%s'%s",
                        act_echo(e, sizeof e, ref, strlen(ref)),
                        release_note(a, NULL, note, sizeof note));
            return;
        }
    }
    st->kind = ACT_ARAZZO_STEP_OPERATION;
    st->src = src;
    st->op = op;
}

/* {$sourceDescriptions.NAME.url}#/paths/~1pets/get */
static void resolve_operation_path(struct ld *l, struct act_arazzo_step *st, const char *ptr,
                                   const char *ref)
{
    struct act_arazzo *a = l->a;
    char e[ACT_ECHO_SIZE];
    const char *pre = "{" SD_PREFIX;
    const char *hash = strchr(ref, '#');
    if (strncmp(ref, pre, strlen(pre)) != 0 || !hash || hash - ref < 6 ||
        strncmp(hash - 5, ".url}", 5) != 0) {
        problem(l, ptr, 1, "operationPath '%s' is not {$sourceDescriptions.NAME.url}#/JSON/pointer",
                act_echo(e, sizeof e, ref, strlen(ref)));
        return;
    }
    const char *name = ref + strlen(pre);
    size_t nlen = (size_t)(hash - 5 - name);
    const struct act_arazzo_source *src = NULL;
    for (size_t i = 0; i < a->n_sources; i++)
        if (strlen(a->sources[i].name) == nlen && strncmp(a->sources[i].name, name, nlen) == 0)
            src = &a->sources[i];
    if (!src) {
        problem(l, ptr, 1, "unknown source description '%.*s' in operationPath", (int)nlen, name);
        return;
    }
    if (!src->spec) {
        if (src->type != ACT_ARAZZO_SRC_OPENAPI)
            problem(l, ptr, 1, "operationPath names source '%s', which is not of type openapi",
                    src->name);
        return;
    }
    struct act_buf p;
    act_buf_init(&p);
    enum act_status pst = act_pointer_from_fragment(hash + 1, strlen(hash + 1), &p);
    if (pst) {
        act_buf_release(&p);
        if (pst == ACT_ERR_NOMEM) {
            l->st = pst;
            return;
        }
        problem(l, ptr, 1, "operationPath '%s' has a malformed JSON Pointer",
                act_echo(e, sizeof e, ref, strlen(ref)));
        return;
    }
    const struct act_op *op = NULL;
    for (size_t i = 0; i < src->spec->n_ops && !op; i++)
        if (strcmp(src->spec->ops[i].pointer, p.data) == 0)
            op = &src->spec->ops[i];
    act_buf_release(&p);
    if (!op) {
        char note[ACT_ERROR_MSG_MAX / 2];
        problem(l, ptr, 1, "operationPath '%s' names no operation of source '%s'%s",
                act_echo(e, sizeof e, ref, strlen(ref)), src->name,
                release_note(a, src, note, sizeof note));
        return;
    }
    st->kind = ACT_ARAZZO_STEP_OPERATION;
    st->src = src;
    st->op = op;
}

static void resolve_refs(struct ld *l)
{
    struct act_arazzo *a = l->a;
    char msg[ACT_ERROR_MSG_MAX];
    for (size_t w = 0; w < a->n_workflows && !l->st; w++) {
        struct act_arazzo_workflow *wf = &a->workflows[w];
        for (size_t s = 0; s < wf->n_steps && !l->st; s++) {
            struct act_arazzo_step *st = &wf->steps[s];
            const char *k = NULL;
            const cJSON *v = NULL;
            static const char *const keys[] = {"operationId", "operationPath", "workflowId"};
            for (size_t i = 0; i < 3 && !v; i++)
                if ((v = cJSON_GetObjectItemCaseSensitive(st->node, keys[i])))
                    k = keys[i];
            if (!v)
                continue;
            char *ptr = act_arazzo_pointer_join(st->pointer, k);
            if (!ptr) {
                l->st = ACT_ERR_NOMEM;
                return;
            }
            if (!cJSON_IsString(v))
                problem(l, ptr, 1, "%s must be a string", k);
            else {
                st->target = v->valuestring;
                if (k[9] == 'I' && k[0] == 'o')
                    resolve_operation_id(l, st, ptr, v->valuestring);
                else if (k[0] == 'o')
                    resolve_operation_path(l, st, ptr, v->valuestring);
                else if (act_arazzo_resolve_workflow(a, v->valuestring, &st->wf, msg, sizeof msg))
                    problem(l, ptr, 1, "step '%s': %s", st->id, msg);
                else
                    st->kind = ACT_ARAZZO_STEP_WORKFLOW;
            }
            act_free(ptr);
        }
        const cJSON *deps = cJSON_GetObjectItemCaseSensitive(wf->node, "dependsOn");
        if (!deps)
            continue;
        char *dptr = act_arazzo_pointer_join(wf->pointer, "dependsOn");
        if (!dptr) {
            l->st = ACT_ERR_NOMEM;
            return;
        }
        if (!cJSON_IsArray(deps)) {
            problem(l, dptr, 1, "dependsOn must be a list of workflow ids");
            act_free(dptr);
            continue;
        }
        wf->depends = act_calloc((size_t)cJSON_GetArraySize(deps) + 1, sizeof *wf->depends);
        if (!wf->depends) {
            act_free(dptr);
            l->st = ACT_ERR_NOMEM;
            return;
        }
        size_t i = 0;
        for (const cJSON *d = deps->child; d && !l->st; d = d->next, i++) {
            char *ip = ptr_index(wf->pointer, "dependsOn", i);
            const struct act_arazzo_workflow *t = NULL;
            if (!ip) {
                l->st = ACT_ERR_NOMEM;
                break;
            }
            if (!cJSON_IsString(d))
                problem(l, ip, 1, "dependsOn entries must be workflow ids");
            else if (act_arazzo_resolve_workflow(a, d->valuestring, &t, msg, sizeof msg))
                problem(l, ip, 1, "dependsOn: %s", msg);
            else
                wf->depends[wf->n_depends++] = t;
            act_free(ip);
        }
        act_free(dptr);
    }
}

/* ---------------------------------------------------------------- load / free */

static enum act_status load_one(const char *path, int flags, struct act_arazzo *root,
                                const struct act_arazzo *parent, struct act_arazzo **out,
                                struct act_error *err)
{
    *out = NULL;
    if (root && ++root->n_docs > ACT_MAX_ARAZZO_DOCS)
        return act_error_set(err, ACT_ERR_LIMIT, path, 0, 0,
                             "more than %d Arazzo documents through sourceDescriptions "
                             "(ACT_MAX_ARAZZO_DOCS)",
                             ACT_MAX_ARAZZO_DOCS);
    struct act_arazzo *a = act_calloc(1, sizeof *a);
    if (!a)
        return ACT_ERR_NOMEM;
    a->root = root ? root : a;
    if (!root)
        a->n_docs = 1;
    enum act_status st = act_docset_new(&a->docs);
    if (st)
        goto fail;
    a->parent = parent;
    st = act_docset_load(a->docs, path, &a->doc, err);
    if (st)
        goto fail;
    /* A cycle of arazzo sources: this file again on the way down. */
    for (const struct act_arazzo *p = parent; p; p = p->parent)
        if (p->doc->canon && a->doc->canon && strcmp(p->doc->canon, a->doc->canon) == 0) {
            st = act_error_set(err, ACT_ERR_INVALID, a->doc->path, 0, 0,
                               "a cycle of arazzo source descriptions leads back to %s",
                               p->doc->path);
            goto fail;
        }
    if (!cJSON_IsObject(a->doc->root)) {
        st = act_error_set(err, ACT_ERR_INVALID, a->doc->path, 1, 1,
                           "an Arazzo document must be an object");
        goto fail;
    }
    struct ld l = {a, flags & ACT_ARAZZO_LENIENT, err, ACT_OK};
    check_fixed(&l);
    if (!l.st)
        load_sources(&l);
    if (!l.st)
        load_workflows(&l);
    if (!l.st)
        resolve_refs(&l);
    st = l.st;
    if (st)
        goto fail;
    *out = a;
    return ACT_OK;
fail:
    act_arazzo_free(a);
    return st;
}

enum act_status act_arazzo_load(const char *path, int flags, struct act_arazzo **out,
                                struct act_error *err)
{
    return load_one(path, flags, NULL, NULL, out, err);
}

void act_arazzo_free(struct act_arazzo *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_sources; i++) {
        act_free(a->sources[i].path);
        act_free(a->sources[i].pointer);
        act_spec_free(a->sources[i].spec);
        act_arazzo_free(a->sources[i].arazzo);
    }
    act_free(a->sources);
    for (size_t i = 0; i < a->n_workflows; i++) {
        struct act_arazzo_workflow *wf = &a->workflows[i];
        for (size_t s = 0; s < wf->n_steps; s++)
            act_free(wf->steps[s].pointer);
        act_free(wf->steps);
        act_free(wf->depends);
        act_free(wf->pointer);
    }
    act_free(a->workflows);
    act_arazzo_diags_release(&a->diags);
    act_docset_free(a->docs);
    act_free(a);
}
