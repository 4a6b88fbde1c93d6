/*
 * workflow.c - running Arazzo workflows against a step runner.
 *
 * One struct run holds a whole run: the limits and counters (steps executed,
 * seconds waited, nesting), the workflows already done (dependsOn runs each
 * once), and the `$workflows` part of the scope shared by all of them. Each
 * workflow gets its own scope object (process/expr.h describes its shape); a
 * step adds url, method, statusCode, request and response to it while its
 * criteria, outputs and actions are evaluated.
 */
#include "process/workflow.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "parser/pointer.h"
#include "process/criteria.h"
#include "process/expr.h"
#include "validator/validate.h"

void act_step_result_release(struct act_step_result *r)
{
    if (!r)
        return;
    cJSON_Delete(r->headers);
    cJSON_Delete(r->body);
    cJSON_Delete(r->errors);
    act_free(r->raw_body);
    act_free(r->url);
    act_free(r->method);
    memset(r, 0, sizeof *r);
}

/* A workflow that has run (dependsOn runs each once). */
struct done {
    const struct act_arazzo_workflow *wf; /* the workflow */
    int passed;                           /* its result */
};

/* A validator for the inputs schemas of one document. */
struct val {
    const struct act_arazzo *a; /* the document */
    struct act_validator *v;    /* over a->docs (owned) */
};

struct run {
    const struct act_run_opts *o;
    struct act_error *err;
    cJSON *wf_scope; /* {ID: {"inputs", "outputs"}} of the workflows run so far (owned) */
    struct done *done;
    size_t n_done, cap_done;
    const struct act_arazzo_workflow *stack[ACT_MAX_WORKFLOW_NESTING + 64]; /* dependsOn walk */
    size_t depth;
    struct val *vals;
    size_t n_vals, cap_vals;
    unsigned steps;     /* steps executed (attempts), against max_steps */
    double waited;      /* retry seconds spent, against max_wait */
    unsigned nesting;   /* sub-workflow calls open, against max_nesting */
    int unreachable;    /* a step's backend could not be reached */
    unsigned max_steps; /* limits, defaults applied */
    double max_wait;
    unsigned max_nesting;
};

/* ---------------------------------------------------------------- helpers */

/* Record an error at the node with pointer ptr of a's document. */
static enum act_status fail_at(struct run *r, const struct act_arazzo *a, const char *ptr,
                               enum act_status st, const char *fmt, ...) ACT_PRINTF(5, 6);
static enum act_status fail_at(struct run *r, const struct act_arazzo *a, const char *ptr,
                               enum act_status st, const char *fmt, ...)
{
    char msg[ACT_ERROR_MSG_MAX];
    int line = 0, col = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (a && ptr && !act_doc_locate(a->doc, ptr, &line, &col))
        line = col = 0;
    act_error_set(r->err, st, a ? a->doc->path : "", line, col, "%s", msg);
    if (ptr)
        act_error_set_pointer(r->err, ptr);
    return st;
}

static int set_item(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return 0;
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return 0;
    }
    return 1;
}

/* Add a non-owning view of the object target as member key of obj. (cJSON 1.7.15's
 * cJSON_AddItemReferenceToObject leaks the reference when adding it fails.) */
static int add_ref(cJSON *obj, const char *key, const cJSON *target)
{
    cJSON *ref = cJSON_CreateObjectReference(target->child);
    if (!ref || !cJSON_AddItemToObject(obj, key, ref)) {
        cJSON_Delete(ref);
        return 0;
    }
    return 1;
}

/* Flip the boolean member key of obj (created false) without allocating. */
static void set_bool(cJSON *obj, const char *key, int v)
{
    cJSON *b = cJSON_GetObjectItemCaseSensitive(obj, key);
    b->type = (b->type & ~0xFF) | (v ? cJSON_True : cJSON_False);
}

static enum act_status add_string(cJSON *arr, const char *s)
{
    cJSON *v = cJSON_CreateString(s);
    if (!v || !cJSON_AddItemToArray(arr, v)) {
        cJSON_Delete(v);
        return ACT_ERR_NOMEM;
    }
    return ACT_OK;
}

/* A string of the document resolved (expressions), or a deep copy with expressions
 * resolved for any other value. *out NULL when a whole expression is absent. */
static enum act_status resolve_value(struct run *r, const struct act_arazzo *a, const char *ptr,
                                     const cJSON *v, const cJSON *scope, cJSON **out)
{
    struct act_error le;
    size_t off = 0;
    enum act_status st;
    act_error_init(&le);
    *out = NULL;
    if (cJSON_IsString(v))
        st = act_rtexpr_value(v->valuestring, scope, out, &off, &le);
    else
        st = act_rtexpr_resolve(v, scope, out, &le);
    if (st == ACT_ERR_NOMEM)
        return st;
    if (st)
        return fail_at(r, a, ptr, st, "%s", le.msg);
    return ACT_OK;
}

/* Set *root at JSON Pointer ptr to v (taken): members are added or replaced, array
 * elements replaced, "-" appends. */
static enum act_status pointer_set(cJSON **root, const char *ptr, cJSON *v)
{
    if (!*ptr) {
        cJSON_Delete(*root);
        *root = v;
        return ACT_OK;
    }
    struct act_buf seg;
    act_buf_init(&seg);
    const char *p = ptr;
    cJSON *cur = *root;
    enum act_status st = ACT_OK;
    while (*p) {
        if ((st = act_pointer_next(&p, &seg)))
            break;
        int last = *p == '\0';
        cJSON *next = NULL;
        if (cJSON_IsArray(cur)) {
            char *end;
            int n = cJSON_GetArraySize(cur);
            long i = strcmp(seg.data, "-") == 0 ? n : strtol(seg.data, &end, 10);
            if (strcmp(seg.data, "-") != 0 && (*end || seg.len == 0 || i < 0 || i > n)) {
                st = ACT_ERR_NOTFOUND;
                break;
            }
            if (last) {
                if (i == n ? !cJSON_AddItemToArray(cur, v)
                           : !cJSON_ReplaceItemInArray(cur, (int)i, v))
                    st = ACT_ERR_NOMEM;
                else
                    v = NULL;
                break;
            }
            next = cJSON_GetArrayItem(cur, (int)i);
        } else if (cJSON_IsObject(cur)) {
            if (last) {
                if (!set_item(cur, seg.data, v))
                    st = ACT_ERR_NOMEM;
                v = NULL;
                break;
            }
            next = cJSON_GetObjectItemCaseSensitive(cur, seg.data);
        }
        if (!next) {
            st = ACT_ERR_NOTFOUND;
            break;
        }
        cur = next;
    }
    act_buf_release(&seg);
    cJSON_Delete(v);
    return st;
}

static void real_sleep(double seconds)
{
    struct timespec ts;
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* ---------------------------------------------------------------- inputs */

static enum act_status validator_for(struct run *r, const struct act_arazzo *a,
                                     struct act_validator **out)
{
    for (size_t i = 0; i < r->n_vals; i++)
        if (r->vals[i].a == a) {
            *out = r->vals[i].v;
            return ACT_OK;
        }
    if (ACT_GROW(r->vals, r->cap_vals, r->n_vals + 1, 4))
        return ACT_ERR_NOMEM;
    enum act_status st = act_validator_new(a->docs, out);
    if (st)
        return st;
    r->vals[r->n_vals].a = a;
    r->vals[r->n_vals++].v = *out;
    return ACT_OK;
}

/* Validate inputs against wf's inputs schema; each error as "WF: message" into errs. */
static enum act_status check_inputs(struct run *r, const struct act_arazzo_workflow *wf,
                                    const cJSON *inputs, cJSON *errs)
{
    if (!wf->inputs)
        return ACT_OK;
    struct act_validator *v;
    enum act_status st = validator_for(r, wf->doc, &v);
    if (st)
        return st;
    struct act_errlist el;
    act_errlist_init(&el, 0);
    struct act_node schema = {wf->doc->doc, wf->inputs};
    cJSON *empty = NULL;
    if (!inputs && !(inputs = empty = cJSON_CreateObject())) {
        act_errlist_release(&el);
        return ACT_ERR_NOMEM;
    }
    st = act_validate(v, schema, inputs, ACT_DIR_REQUEST, &el, r->err);
    struct act_buf b;
    act_buf_init(&b);
    for (size_t i = 0; !st && i < el.n; i++) {
        act_buf_reset(&b);
        if (act_buf_printf(&b, "%s: ", wf->id))
            st = ACT_ERR_NOMEM;
        else {
            act_verr_format(&el.v[i], &b);
            st = add_string(errs, b.data);
        }
    }
    if (!st && el.dropped) {
        act_buf_reset(&b);
        if (act_buf_printf(&b, "%s: ... and %zu more", wf->id, el.dropped))
            st = ACT_ERR_NOMEM;
        else
            st = add_string(errs, b.data);
    }
    act_buf_release(&b);
    act_errlist_release(&el);
    cJSON_Delete(empty);
    return st;
}

/* The workflows a run starts from: o->workflows by id, or all. */
static enum act_status selected(struct run *r, struct act_arazzo *a, size_t i,
                                const struct act_arazzo_workflow **out)
{
    if (!r->o->workflows) {
        *out = &a->workflows[i];
        return ACT_OK;
    }
    const char *id = r->o->workflows[i];
    *out = act_arazzo_find_workflow(a, id);
    if (*out)
        return ACT_OK;
    char e[ACT_ECHO_SIZE];
    act_echo(e, sizeof e, id, strlen(id));
    return act_error_set(r->err, ACT_ERR_NOTFOUND, a->doc->path, 0, 0, "unknown workflow '%s'", e);
}

/* wf and, first, everything it depends on, into list (each once); cycles are errors. */
static enum act_status closure(struct run *r, const struct act_arazzo_workflow *wf,
                               const struct act_arazzo_workflow **list, size_t *n, size_t cap)
{
    for (size_t i = 0; i < *n; i++)
        if (list[i] == wf)
            return ACT_OK;
    for (size_t i = 0; i < r->depth; i++)
        if (r->stack[i] == wf)
            return fail_at(r, wf->doc, wf->pointer, ACT_ERR_INVALID,
                           "dependsOn cycle through workflow '%s'", wf->id);
    if (r->depth >= sizeof r->stack / sizeof *r->stack)
        return fail_at(r, wf->doc, wf->pointer, ACT_ERR_LIMIT,
                       "dependsOn chain deeper than %zu workflows",
                       sizeof r->stack / sizeof *r->stack);
    r->stack[r->depth++] = wf;
    for (size_t i = 0; i < wf->n_depends; i++) {
        enum act_status st = closure(r, wf->depends[i], list, n, cap);
        if (st)
            return st;
    }
    r->depth--;
    if (*n < cap)
        list[(*n)++] = wf;
    return ACT_OK;
}

static size_t count_workflows(const struct act_arazzo *a)
{
    size_t n = a->n_workflows;
    for (size_t i = 0; i < a->n_sources; i++)
        if (a->sources[i].arazzo)
            n += count_workflows(a->sources[i].arazzo);
    return n;
}

/* The workflows to run, dependencies first: *list (act_malloc), *n. */
static enum act_status plan(struct run *r, struct act_arazzo *a,
                            const struct act_arazzo_workflow ***list, size_t *n)
{
    size_t cap = count_workflows(a);
    size_t top = r->o->workflows ? r->o->n_workflows : a->n_workflows;
    *n = 0;
    *list = act_calloc(cap + 1, sizeof **list);
    if (!*list)
        return ACT_ERR_NOMEM;
    for (size_t i = 0; i < top; i++) {
        const struct act_arazzo_workflow *wf;
        enum act_status st = selected(r, a, i, &wf);
        if (!st)
            st = closure(r, wf, *list, n, cap);
        if (st) {
            act_free(*list);
            *list = NULL;
            return st;
        }
    }
    return ACT_OK;
}

static void run_init(struct run *r, const struct act_run_opts *o, struct act_error *err)
{
    memset(r, 0, sizeof *r);
    r->o = o;
    r->err = err;
    r->max_steps = o->max_steps ? o->max_steps : ACT_MAX_RUN_STEPS;
    r->max_wait = o->max_retry_wait > 0 ? o->max_retry_wait : ACT_MAX_RETRY_WAIT_S;
    r->max_nesting = o->max_nesting ? o->max_nesting : ACT_MAX_WORKFLOW_NESTING;
}

static void run_release(struct run *r)
{
    for (size_t i = 0; i < r->n_vals; i++)
        act_validator_free(r->vals[i].v);
    act_free(r->vals);
    act_free(r->done);
    cJSON_Delete(r->wf_scope);
}

static enum act_status check_all(struct run *r, struct act_arazzo *a, cJSON **errors)
{
    const struct act_arazzo_workflow **list = NULL;
    size_t n = 0;
    cJSON *errs = cJSON_CreateArray();
    if (!errs)
        return ACT_ERR_NOMEM;
    enum act_status st = plan(r, a, &list, &n);
    for (size_t i = 0; !st && i < n; i++)
        st = check_inputs(r, list[i], r->o->inputs, errs);
    act_free(list);
    if (st) {
        cJSON_Delete(errs);
        return st;
    }
    *errors = errs;
    return ACT_OK;
}

enum act_status act_workflow_check_inputs(struct act_arazzo *a, const struct act_run_opts *o,
                                          cJSON **errors, struct act_error *err)
{
    struct run r;
    *errors = NULL;
    run_init(&r, o, err);
    enum act_status st = check_all(&r, a, errors);
    run_release(&r);
    return st;
}

/* ---------------------------------------------------------------- scope */

static cJSON *sources_scope(const struct act_arazzo *a)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < a->n_sources; i++) {
        const struct act_arazzo_source *s = &a->sources[i];
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToObject(o, s->name, e) ||
            !cJSON_AddStringToObject(e, "name", s->name) ||
            !cJSON_AddStringToObject(e, "url", s->url) ||
            !cJSON_AddStringToObject(e, "type",
                                     s->type == ACT_ARAZZO_SRC_ARAZZO ? "arazzo" : "openapi")) {
            if (e && !cJSON_GetObjectItemCaseSensitive(o, s->name))
                cJSON_Delete(e);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

/* Point the scope's "workflows" at the run's current $workflows (a cJSON reference
 * copies the child list's head when made, so it is made again before each use). */
static enum act_status refresh_workflows(struct run *r, cJSON *scope)
{
    cJSON_DeleteItemFromObjectCaseSensitive(scope, "workflows");
    return add_ref(scope, "workflows", r->wf_scope) ? ACT_OK : ACT_ERR_NOMEM;
}

/* The scope of one workflow run: inputs, its steps, $workflows, sources, components. */
static cJSON *new_scope(struct run *r, const struct act_arazzo_workflow *wf, const cJSON *inputs)
{
    cJSON *s = cJSON_CreateObject();
    if (!s)
        return NULL;
    cJSON *in = inputs ? cJSON_Duplicate(inputs, 1) : cJSON_CreateObject();
    if (!set_item(s, "inputs", in) || !set_item(s, "outputs", cJSON_CreateObject()) ||
        !set_item(s, "steps", cJSON_CreateObject()) ||
        !set_item(s, "sourceDescriptions", sources_scope(wf->doc)) ||
        !add_ref(s, "workflows", r->wf_scope) ||
        (wf->doc->components && !add_ref(s, "components", (cJSON *)wf->doc->components))) {
        cJSON_Delete(s);
        return NULL;
    }
    return s;
}

/* ---------------------------------------------------------------- one step */

/* The step's parameters: the workflow's, then the step's (same name and in replace). */
static enum act_status collect_params(struct run *r, const struct act_arazzo_workflow *wf,
                                      const struct act_arazzo_step *st, const cJSON *scope,
                                      cJSON *out)
{
    char msg[ACT_ERROR_MSG_MAX];
    const cJSON *lists[2] = {cJSON_GetObjectItemCaseSensitive(wf->node, "parameters"),
                             cJSON_GetObjectItemCaseSensitive(st->node, "parameters")};
    const char *owners[2] = {wf->pointer, st->pointer};
    for (int k = 0; k < 2; k++) {
        int i = 0;
        for (const cJSON *p = cJSON_IsArray(lists[k]) ? lists[k]->child : NULL; p;
             p = p->next, i++) {
            char ptr[ACT_ERROR_PATH_MAX];
            snprintf(ptr, sizeof ptr, "%s/parameters/%d", owners[k], i);
            const cJSON *over = NULL;
            const cJSON *def = act_arazzo_reusable(wf->doc, p, &over, msg, sizeof msg);
            if (!def)
                return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID, "%s", msg);
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(def, "name");
            const cJSON *in = cJSON_GetObjectItemCaseSensitive(def, "in");
            const cJSON *val = over ? over : cJSON_GetObjectItemCaseSensitive(def, "value");
            if (!cJSON_IsString(name) || !val)
                return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID,
                               "a parameter needs a name and a value");
            if (st->kind == ACT_ARAZZO_STEP_OPERATION && !cJSON_IsString(in))
                return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID,
                               "parameter '%s' of an operation step needs `in`", name->valuestring);
            cJSON *v = NULL;
            enum act_status s2 = resolve_value(r, wf->doc, ptr, val, scope, &v);
            if (s2)
                return s2;
            /* Replace an earlier one with the same name and in. */
            int idx = 0;
            for (cJSON *q = out->child; q; q = q->next, idx++) {
                const char *qn = cJSON_GetObjectItemCaseSensitive(q, "name")->valuestring;
                const cJSON *qi = cJSON_GetObjectItemCaseSensitive(q, "in");
                if (strcmp(qn, name->valuestring) == 0 &&
                    (cJSON_IsString(in)
                         ? cJSON_IsString(qi) && strcmp(qi->valuestring, in->valuestring) == 0
                         : !cJSON_IsString(qi))) {
                    cJSON_DeleteItemFromArray(out, idx);
                    break;
                }
            }
            cJSON *e = cJSON_CreateObject();
            if (!e || !cJSON_AddItemToArray(out, e)) {
                cJSON_Delete(e);
                cJSON_Delete(v);
                return ACT_ERR_NOMEM;
            }
            /* The value first: set_item owns it from here, also when it fails. */
            if (!set_item(e, "value", v ? v : cJSON_CreateNull()) ||
                !cJSON_AddStringToObject(e, "name", name->valuestring) ||
                (cJSON_IsString(in) && !cJSON_AddStringToObject(e, "in", in->valuestring)))
                return ACT_ERR_NOMEM;
        }
    }
    return ACT_OK;
}

/* The request body: payload resolved, then each replacement applied. *out may be NULL. */
static enum act_status build_body(struct run *r, const struct act_arazzo_step *st,
                                  const struct act_arazzo *a, const cJSON *scope, cJSON **out,
                                  const char **ctype)
{
    const cJSON *rb = cJSON_GetObjectItemCaseSensitive(st->node, "requestBody");
    *out = NULL;
    *ctype = NULL;
    if (!rb)
        return ACT_OK;
    char *ptr = act_arazzo_pointer_join(st->pointer, "requestBody");
    if (!ptr)
        return ACT_ERR_NOMEM;
    const cJSON *ct = cJSON_GetObjectItemCaseSensitive(rb, "contentType");
    if (cJSON_IsString(ct))
        *ctype = ct->valuestring;
    enum act_status s = ACT_OK;
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(rb, "payload");
    cJSON *body = NULL;
    if (payload)
        s = resolve_value(r, a, ptr, payload, scope, &body);
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(rb, "replacements");
    int i = 0;
    for (const cJSON *rep = cJSON_IsArray(reps) ? reps->child : NULL; !s && rep;
         rep = rep->next, i++) {
        char rp[ACT_ERROR_PATH_MAX + 40];
        snprintf(rp, sizeof rp, "%s/replacements/%d", ptr, i);
        const cJSON *target = cJSON_GetObjectItemCaseSensitive(rep, "target");
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(rep, "value");
        if (!cJSON_IsString(target) || !value) {
            s = fail_at(r, a, rp, ACT_ERR_INVALID, "a replacement needs a target and a value");
            break;
        }
        cJSON *v = NULL;
        if ((s = resolve_value(r, a, rp, value, scope, &v)))
            break;
        if (!v && !(v = cJSON_CreateNull())) {
            s = ACT_ERR_NOMEM;
            break;
        }
        s = pointer_set(&body, target->valuestring, v);
        if (s == ACT_ERR_NOTFOUND)
            s = fail_at(r, a, rp, ACT_ERR_INVALID, "replacement target '%s' is not in the payload",
                        target->valuestring);
    }
    act_free(ptr);
    if (s) {
        cJSON_Delete(body);
        return s;
    }
    *out = body;
    return ACT_OK;
}

/* All criteria of list hold in scope? Failures explained into errs (when not NULL). */
static enum act_status criteria_hold(struct run *r, const struct act_arazzo *a, const char *ptr,
                                     const cJSON *list, const cJSON *scope, int *ok, cJSON *errs)
{
    *ok = 1;
    int i = 0;
    struct act_buf why;
    act_buf_init(&why);
    for (const cJSON *c = cJSON_IsArray(list) ? list->child : NULL; c; c = c->next, i++) {
        struct act_error le;
        act_error_init(&le);
        int passed = 0;
        act_buf_reset(&why);
        enum act_status st = act_criterion_check(c, scope, &passed, &why, &le);
        if (st) {
            act_buf_release(&why);
            if (st == ACT_ERR_NOMEM)
                return st;
            char cp[ACT_ERROR_PATH_MAX + 24];
            snprintf(cp, sizeof cp, "%s/%d", ptr, i);
            return fail_at(r, a, cp, st, "%s", le.msg);
        }
        if (!passed) {
            *ok = 0;
            if (!errs)
                break;
            const cJSON *cond = cJSON_GetObjectItemCaseSensitive(c, "condition");
            struct act_buf m;
            act_buf_init(&m);
            if (act_buf_printf(&m, "criterion failed: %s",
                               why.len ? why.data
                                       : (cJSON_IsString(cond) ? cond->valuestring : "?")) ||
                add_string(errs, m.data)) {
                act_buf_release(&m);
                act_buf_release(&why);
                return ACT_ERR_NOMEM;
            }
            act_buf_release(&m);
        }
    }
    act_buf_release(&why);
    return ACT_OK;
}

/* Evaluate an outputs map into out (absent values are left out). With publish (the
 * scope, for a workflow's outputs), each output is $outputs.NAME to those after it. */
static enum act_status eval_outputs(struct run *r, const struct act_arazzo *a, const char *owner,
                                    const cJSON *map, const cJSON *scope, cJSON *out,
                                    cJSON *publish)
{
    for (const cJSON *m = cJSON_IsObject(map) ? map->child : NULL; m; m = m->next) {
        char ptr[ACT_ERROR_PATH_MAX];
        struct act_buf b;
        act_buf_init(&b);
        if (act_buf_adds(&b, owner) || act_pointer_append(&b, "outputs") ||
            act_pointer_append(&b, m->string)) {
            act_buf_release(&b);
            return ACT_ERR_NOMEM;
        }
        snprintf(ptr, sizeof ptr, "%s", b.data);
        act_buf_release(&b);
        cJSON *v = NULL;
        enum act_status st = resolve_value(r, a, ptr, m, scope, &v);
        if (st)
            return st;
        if (v && !set_item(out, m->string, v))
            return ACT_ERR_NOMEM;
        if (v && publish) {
            cJSON_DeleteItemFromObjectCaseSensitive(publish, "outputs");
            if (!add_ref(publish, "outputs", out))
                return ACT_ERR_NOMEM;
        }
    }
    return ACT_OK;
}

/* What an action does. */
enum act_kind { ACT_NONE, ACT_END, ACT_GOTO, ACT_RETRY };

struct action {
    enum act_kind kind;
    const cJSON *node;  /* the action (after its reference) */
    const char *step;   /* goto/retry stepId */
    const char *wf;     /* goto/retry workflowId */
    double retry_after; /* seconds */
    long retry_limit;   /* retries after the first attempt */
};

/* Does the step's list hold an action named like n? */
static int overridden(const struct act_arazzo *a, const cJSON *list, const cJSON *n)
{
    char msg[ACT_ERROR_MSG_MAX];
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(n, "name");
    for (const cJSON *e = cJSON_IsArray(list) && cJSON_IsString(name) ? list->child : NULL; e;
         e = e->next) {
        const cJSON *over;
        const cJSON *m = act_arazzo_reusable(a, e, &over, msg, sizeof msg);
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(m, "name");
        if (cJSON_IsString(mn) && strcmp(mn->valuestring, name->valuestring) == 0)
            return 1;
    }
    return 0;
}

/* The first action of the step's list (else the workflow's) whose criteria hold. */
static enum act_status pick_action(struct run *r, const struct act_arazzo_workflow *wf,
                                   const struct act_arazzo_step *st, int failure,
                                   const cJSON *scope, struct action *out)
{
    /* The step's actions first, then the workflow's that the step does not override by
     * name (Arazzo: they "can be overridden at the step level but cannot be removed"). */
    const char *keys[2] = {failure ? "onFailure" : "onSuccess",
                           failure ? "failureActions" : "successActions"};
    const cJSON *lists[2] = {cJSON_GetObjectItemCaseSensitive(st->node, keys[0]),
                             cJSON_GetObjectItemCaseSensitive(wf->node, keys[1])};
    const char *owners[2] = {st->pointer, wf->pointer};
    memset(out, 0, sizeof *out);
    char msg[ACT_ERROR_MSG_MAX];
    for (int pass = 0; pass < 2; pass++) {
        int i = 0;
        for (const cJSON *a = cJSON_IsArray(lists[pass]) ? lists[pass]->child : NULL; a;
             a = a->next, i++) {
            char ptr[ACT_ERROR_PATH_MAX];
            snprintf(ptr, sizeof ptr, "%s/%s/%d", owners[pass], keys[pass], i);
            const cJSON *over;
            const cJSON *n = act_arazzo_reusable(wf->doc, a, &over, msg, sizeof msg);
            if (!n)
                return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID, "%s", msg);
            if (pass == 1 && overridden(wf->doc, lists[0], n))
                continue;
            const cJSON *type = cJSON_GetObjectItemCaseSensitive(n, "type");
            if (!cJSON_IsString(type))
                return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID, "an action needs a type");
            int ok = 1;
            char cptr[ACT_ERROR_PATH_MAX + 16];
            snprintf(cptr, sizeof cptr, "%s/criteria", ptr);
            enum act_status s =
                criteria_hold(r, wf->doc, cptr, cJSON_GetObjectItemCaseSensitive(n, "criteria"),
                              scope, &ok, NULL);
            if (s)
                return s;
            if (!ok)
                continue;
            const char *t = type->valuestring;
            out->node = n;
            const cJSON *sid = cJSON_GetObjectItemCaseSensitive(n, "stepId");
            const cJSON *wid = cJSON_GetObjectItemCaseSensitive(n, "workflowId");
            out->step = cJSON_IsString(sid) ? sid->valuestring : NULL;
            out->wf = cJSON_IsString(wid) ? wid->valuestring : NULL;
            if (strcmp(t, "end") == 0)
                out->kind = ACT_END;
            else if (strcmp(t, "goto") == 0) {
                out->kind = ACT_GOTO;
                if (!out->step == !out->wf)
                    return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID,
                                   "a goto action needs exactly one of stepId and workflowId");
            } else if (failure && strcmp(t, "retry") == 0) {
                out->kind = ACT_RETRY;
                const cJSON *ra = cJSON_GetObjectItemCaseSensitive(n, "retryAfter");
                const cJSON *rl = cJSON_GetObjectItemCaseSensitive(n, "retryLimit");
                if ((ra && (!cJSON_IsNumber(ra) || !(ra->valuedouble >= 0) ||
                            !isfinite(ra->valuedouble))) ||
                    (rl && (!cJSON_IsNumber(rl) || rl->valuedouble < 0 ||
                            rl->valuedouble != floor(rl->valuedouble))))
                    return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID,
                                   "retryAfter must be a non-negative number and retryLimit a "
                                   "non-negative integer");
                out->retry_after = ra ? ra->valuedouble : 0;
                /* Arazzo 1.0.1: without retryLimit, a single retry is attempted. */
                out->retry_limit =
                    rl ? (rl->valuedouble > 1e9 ? 1000000000L : (long)rl->valuedouble) : 1;
            } else
                return fail_at(r, wf->doc, ptr, ACT_ERR_INVALID, "unknown %s action type '%s'",
                               failure ? "failure" : "success", t);
            return ACT_OK;
        }
    }
    return ACT_OK;
}

static enum act_status run_workflow(struct run *r, const struct act_arazzo_workflow *wf,
                                    const cJSON *inputs, cJSON **record);

/* The request/response part of the scope after an exchange. */
static enum act_status set_exchange(cJSON *scope, const cJSON *params, const cJSON *body,
                                    const struct act_step_result *res)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *resp = cJSON_CreateObject();
    if (!set_item(scope, "request", req)) {
        cJSON_Delete(resp);
        return ACT_ERR_NOMEM;
    }
    if (!set_item(scope, "response", resp))
        return ACT_ERR_NOMEM;
    static const char *const ins[] = {"header", "query", "path", "cookie"};
    for (int i = 0; i < 4; i++)
        if (!cJSON_AddObjectToObject(req, ins[i]))
            return ACT_ERR_NOMEM;
    for (const cJSON *p = params ? params->child : NULL; p; p = p->next) {
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(p, "in");
        cJSON *m =
            cJSON_IsString(in) ? cJSON_GetObjectItemCaseSensitive(req, in->valuestring) : NULL;
        if (m && !set_item(m, cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring,
                           cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "value"), 1)))
            return ACT_ERR_NOMEM;
    }
    if (body && !set_item(req, "body", cJSON_Duplicate(body, 1)))
        return ACT_ERR_NOMEM;
    if (!res)
        return ACT_OK;
    if (!set_item(resp, "header",
                  res->headers ? cJSON_Duplicate(res->headers, 1) : cJSON_CreateObject()))
        return ACT_ERR_NOMEM;
    if (res->body ? !set_item(resp, "body", cJSON_Duplicate(res->body, 1))
                  : res->raw_body && !set_item(resp, "body", cJSON_CreateString(res->raw_body)))
        return ACT_ERR_NOMEM;
    if (!set_item(scope, "statusCode", cJSON_CreateNumber((double)res->status)) ||
        (res->url && !set_item(scope, "url", cJSON_CreateString(res->url))) ||
        (res->method && !set_item(scope, "method", cJSON_CreateString(res->method))))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

/* One attempt of an operation step: *passed, the record's status/errors/duration. */
static enum act_status attempt_operation(struct run *r, const struct act_arazzo_workflow *wf,
                                         const struct act_arazzo_step *st, cJSON *scope,
                                         unsigned attempt, cJSON *rec, int *passed)
{
    cJSON *params = cJSON_CreateArray();
    cJSON *body = NULL;
    const char *ctype = NULL;
    struct act_param *ops = NULL;
    size_t n_ops = 0;
    struct act_step_param *vals = NULL;
    struct act_step_result res;
    memset(&res, 0, sizeof res);
    enum act_status s = params ? ACT_OK : ACT_ERR_NOMEM;
    if (!s)
        s = collect_params(r, wf, st, scope, params);
    if (!s)
        s = build_body(r, st, wf->doc, scope, &body, &ctype);
    if (!s)
        s = act_spec_op_params(st->src->spec, st->op, &ops, &n_ops, r->err);
    size_t n_vals = params ? (size_t)cJSON_GetArraySize(params) : 0;
    if (!s && !(vals = act_calloc(n_vals + 1, sizeof *vals)))
        s = ACT_ERR_NOMEM;
    if (s)
        goto out;
    size_t i = 0;
    for (cJSON *p = params->child; p; p = p->next, i++) {
        vals[i].name = cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring;
        vals[i].in = cJSON_GetObjectItemCaseSensitive(p, "in")->valuestring;
        vals[i].value = cJSON_GetObjectItemCaseSensitive(p, "value");
    }
    struct act_step_call call = {wf->id, st->id, st->src->name, st->src->spec, st->op, ops,
                                 n_ops,  vals,   n_vals,        body,          ctype,  attempt};
    if ((s = r->o->run(r->o->run_ctx, &call, &res))) {
        if (s != ACT_ERR_NOMEM)
            fail_at(r, wf->doc, st->pointer, s, "step '%s': the step runner failed: %s", st->id,
                    act_status_str(s));
        goto out;
    }
    if ((s = set_exchange(scope, params, body, &res)))
        goto out;
    cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors");
    int ok = !res.transport_failed && res.passed;
    if (res.transport_failed)
        r->unreachable = 1;
    cJSON_DeleteItemFromObjectCaseSensitive(rec, "unreachable");
    if (res.transport_failed && !cJSON_AddTrueToObject(rec, "unreachable")) {
        s = ACT_ERR_NOMEM;
        goto out;
    }
    for (const cJSON *e = res.errors ? res.errors->child : NULL; e; e = e->next)
        if (cJSON_IsString(e) && (s = add_string(errs, e->valuestring)))
            goto out;
    if (!res.transport_failed) {
        int crit = 1;
        char *cp = act_arazzo_pointer_join(st->pointer, "successCriteria");
        if (!cp) {
            s = ACT_ERR_NOMEM;
            goto out;
        }
        s = criteria_hold(r, wf->doc, cp,
                          cJSON_GetObjectItemCaseSensitive(st->node, "successCriteria"), scope,
                          &crit, errs);
        act_free(cp);
        if (s)
            goto out;
        ok = ok && crit;
    }
    *passed = ok;
    /* In place: cJSON 1.7.15's Replace leaves a nameless member when it runs out of memory.
     * null when nothing was received (nothing sent, or no answer). */
    cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
    status->type = (status->type & ~0xFF) | (res.status ? cJSON_Number : cJSON_NULL);
    cJSON_SetNumberValue(status, (double)res.status);
    cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
    cJSON_SetNumberValue(d, d->valuedouble + res.duration_ms);
    /* The request of the last attempt, for the reports (the URL has its secrets masked). */
    if ((res.method && !set_item(rec, "method", cJSON_CreateString(res.method))) ||
        (res.url && !set_item(rec, "url", cJSON_CreateString(res.url))))
        s = ACT_ERR_NOMEM;
out:
    act_step_result_release(&res);
    act_free(vals);
    act_free(ops);
    cJSON_Delete(body);
    cJSON_Delete(params);
    return s;
}

/* One attempt of a workflow step: the called workflow runs with the step's
 * parameters as its inputs; its outputs become the step's. */
static enum act_status attempt_workflow(struct run *r, const struct act_arazzo_workflow *wf,
                                        const struct act_arazzo_step *st, cJSON *scope, cJSON *rec,
                                        int *passed)
{
    cJSON *params = cJSON_CreateArray();
    cJSON *inputs = cJSON_CreateObject();
    cJSON *sub = NULL;
    enum act_status s = params && inputs ? ACT_OK : ACT_ERR_NOMEM;
    if (!s)
        s = collect_params(r, wf, st, scope, params);
    for (cJSON *p = params ? params->child : NULL; !s && p; p = p->next)
        if (!set_item(inputs, cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring,
                      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "value"), 1)))
            s = ACT_ERR_NOMEM;
    cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors");
    if (!s) {
        cJSON *bad = cJSON_CreateArray();
        s = bad ? check_inputs(r, st->wf, inputs, bad) : ACT_ERR_NOMEM;
        if (!s && cJSON_GetArraySize(bad)) {
            for (cJSON *e = bad->child; !s && e; e = e->next)
                s = add_string(errs, e->valuestring);
            *passed = 0;
            cJSON_Delete(bad);
            goto out;
        }
        cJSON_Delete(bad);
    }
    if (!s) {
        if (r->nesting >= r->max_nesting) {
            s = fail_at(r, wf->doc, st->pointer, ACT_ERR_LIMIT,
                        "step '%s': workflows nested deeper than %u (ACT_MAX_WORKFLOW_NESTING)",
                        st->id, r->max_nesting);
            goto out;
        }
        r->nesting++;
        s = run_workflow(r, st->wf, inputs, &sub);
        r->nesting--;
    }
    if (sub) {
        cJSON *p = cJSON_GetObjectItemCaseSensitive(sub, "passed");
        *passed = cJSON_IsTrue(p);
        /* the step took what the called workflow's steps took */
        cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
        const cJSON *steps = cJSON_GetObjectItemCaseSensitive(sub, "steps");
        for (const cJSON *e = steps ? steps->child : NULL; e; e = e->next) {
            const cJSON *ms = cJSON_GetObjectItemCaseSensitive(e, "duration_ms");
            if (cJSON_IsNumber(ms))
                cJSON_SetNumberValue(d, d->valuedouble + ms->valuedouble);
        }
        if (!*passed && (s == ACT_OK) &&
            (s = add_string(errs, "the called workflow failed")) == ACT_OK) {
        }
        cJSON *outs = cJSON_GetObjectItemCaseSensitive(sub, "outputs");
        if (!set_item(rec, "outputs", cJSON_Duplicate(outs, 1)) && !s)
            s = ACT_ERR_NOMEM;
        if (!cJSON_AddItemToObject(rec, "workflow", sub)) {
            cJSON_Delete(sub);
            if (!s)
                s = ACT_ERR_NOMEM;
        }
    }
out:
    cJSON_Delete(params);
    cJSON_Delete(inputs);
    return s;
}

/* Wait before a retry, counting against the run's total. */
static enum act_status wait_retry(struct run *r, const struct act_arazzo_workflow *wf,
                                  const struct act_arazzo_step *st, double secs)
{
    if (r->waited + secs > r->max_wait)
        return fail_at(r, wf->doc, st->pointer, ACT_ERR_LIMIT,
                       "step '%s': retries would wait more than %g s in total "
                       "(ACT_MAX_RETRY_WAIT_S)",
                       st->id, r->max_wait);
    r->waited += secs;
    if (secs > 0) {
        if (r->o->sleep)
            r->o->sleep(r->o->sleep_ctx, secs);
        else
            real_sleep(secs);
    }
    return ACT_OK;
}

/* A step record with its fixed members. */
static cJSON *new_step_record(const struct act_arazzo_step *st)
{
    cJSON *rec = cJSON_CreateObject();
    if (!rec || !cJSON_AddStringToObject(rec, "stepId", st->id) ||
        !cJSON_AddStringToObject(rec, "action", st->target ? st->target : "") ||
        !cJSON_AddFalseToObject(rec, "passed") || !cJSON_AddNullToObject(rec, "status") ||
        !cJSON_AddNumberToObject(rec, "attempts", 0) ||
        !cJSON_AddNumberToObject(rec, "duration_ms", 0) ||
        !cJSON_AddObjectToObject(rec, "outputs") || !cJSON_AddArrayToObject(rec, "errors")) {
        cJSON_Delete(rec);
        return NULL;
    }
    return rec;
}

/* The attempts of one step into its record rec (run_step). */
static enum act_status step_attempts(struct run *r, const struct act_arazzo_workflow *wf,
                                     const struct act_arazzo_step *st, cJSON *scope, cJSON *rec,
                                     long *retries, int *passed, struct action *act)
{
    enum act_status s = ACT_OK;
    for (unsigned attempt = 1;; attempt++) {
        if (++r->steps > r->max_steps)
            return fail_at(r, wf->doc, st->pointer, ACT_ERR_LIMIT,
                           "step '%s': more than %u steps executed in this run "
                           "(ACT_MAX_RUN_STEPS)",
                           st->id, r->max_steps);
        cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "attempts"), attempt);
        cJSON_DeleteItemFromObjectCaseSensitive(rec, "workflow");
        if (!set_item(rec, "errors", cJSON_CreateArray()))
            return ACT_ERR_NOMEM;
        *passed = 0;
        if ((s = refresh_workflows(r, scope)))
            return s;
        if (st->kind == ACT_ARAZZO_STEP_OPERATION)
            s = attempt_operation(r, wf, st, scope, attempt, rec, passed);
        else if (st->kind == ACT_ARAZZO_STEP_WORKFLOW)
            s = attempt_workflow(r, wf, st, scope, rec, passed);
        else
            s = fail_at(r, wf->doc, st->pointer, ACT_ERR_INVALID,
                        "step '%s' names no operation or workflow", st->id);
        if (s)
            return s;
        /* The step's outputs (also on failure: actions' criteria may read them). */
        cJSON *outs = cJSON_GetObjectItemCaseSensitive(rec, "outputs");
        cJSON *sstep = cJSON_CreateObject();
        if (!sstep || !set_item(cJSON_GetObjectItemCaseSensitive(scope, "steps"), st->id, sstep) ||
            !add_ref(sstep, "outputs", outs))
            return ACT_ERR_NOMEM;
        if ((s = eval_outputs(r, wf->doc, st->pointer,
                              cJSON_GetObjectItemCaseSensitive(st->node, "outputs"), scope, outs,
                              NULL)))
            return s;
        /* The scope must own what it keeps: replace the reference with a copy. */
        if (!set_item(sstep, "outputs", cJSON_Duplicate(outs, 1)))
            return ACT_ERR_NOMEM;
        if ((s = refresh_workflows(r, scope)) || (s = pick_action(r, wf, st, !*passed, scope, act)))
            return s;
        if (*passed)
            *retries = 0;
        if (*passed || act->kind != ACT_RETRY)
            break;
        if (*retries >= act->retry_limit) {
            struct act_buf m;
            act_buf_init(&m);
            if (act_buf_printf(&m, "retry limit of %ld reached", act->retry_limit) ||
                add_string(cJSON_GetObjectItemCaseSensitive(rec, "errors"), m.data)) {
                act_buf_release(&m);
                return ACT_ERR_NOMEM;
            }
            act_buf_release(&m);
            act->kind = ACT_NONE;
            break;
        }
        (*retries)++;
        if (act->wf) {
            /* A retry naming a workflow runs it before the step is retried. */
            const struct act_arazzo_workflow *t;
            char msg[ACT_ERROR_MSG_MAX];
            if (act_arazzo_resolve_workflow(wf->doc, act->wf, &t, msg, sizeof msg))
                return fail_at(r, wf->doc, st->pointer, ACT_ERR_INVALID, "%s", msg);
            cJSON *sub = NULL;
            r->nesting++;
            s = r->nesting > r->max_nesting
                    ? fail_at(r, wf->doc, st->pointer, ACT_ERR_LIMIT,
                              "workflows nested deeper than %u (ACT_MAX_WORKFLOW_NESTING)",
                              r->max_nesting)
                    : run_workflow(r, t, NULL, &sub);
            r->nesting--;
            cJSON_Delete(sub);
            if (s)
                return s;
        }
        if ((s = wait_retry(r, wf, st, act->retry_after)))
            return s;
        if (act->step)
            break; /* a retry through that step: run_workflow continues there */
    }
    set_bool(rec, "passed", *passed);
    return ACT_OK;
}

/* Run one step (with its retries): *passed, the action chosen after it in *act.
 * *retries counts the step's retries until it passes; it outlives this call so that
 * a retry through another step (retry with stepId) still counts against the limit. */
static enum act_status run_step(struct run *r, const struct act_arazzo_workflow *wf,
                                const struct act_arazzo_step *st, cJSON *scope, cJSON *steps_rec,
                                long *retries, int *passed, struct action *act)
{
    cJSON *rec = new_step_record(st);
    if (!rec || !cJSON_AddItemToArray(steps_rec, rec)) {
        cJSON_Delete(rec);
        return ACT_ERR_NOMEM;
    }
    memset(act, 0, sizeof *act);
    enum act_status s = step_attempts(r, wf, st, scope, rec, retries, passed, act);
    /* An error that ends the run is the failed step's error in the report too (a JSON or
     * JUnit reader does not see stderr). */
    if (s && s != ACT_ERR_NOMEM && r->err && r->err->msg[0] &&
        add_string(cJSON_GetObjectItemCaseSensitive(rec, "errors"), r->err->msg))
        return ACT_ERR_NOMEM;
    return s;
}

/* ---------------------------------------------------------------- a workflow */

/* The steps of wf that never ran, appended to steps_rec as {"stepId", "action",
 * "ran": false} records (text output shows them as SKIP). */
static enum act_status add_not_run(const struct act_arazzo_workflow *wf, cJSON *steps_rec)
{
    for (size_t i = 0; i < wf->n_steps; i++) {
        const struct act_arazzo_step *st = &wf->steps[i];
        int ran = 0;
        for (const cJSON *e = steps_rec->child; e && !ran; e = e->next)
            ran = strcmp(cJSON_GetObjectItemCaseSensitive(e, "stepId")->valuestring, st->id) == 0;
        if (ran)
            continue;
        cJSON *rec = cJSON_CreateObject();
        if (!rec || !cJSON_AddStringToObject(rec, "stepId", st->id) ||
            !cJSON_AddStringToObject(rec, "action", st->target ? st->target : "") ||
            !cJSON_AddFalseToObject(rec, "ran") || !cJSON_AddItemToArray(steps_rec, rec)) {
            cJSON_Delete(rec);
            return ACT_ERR_NOMEM;
        }
    }
    return ACT_OK;
}

/* The steps of a workflow record that ran. */
static int steps_ran(const cJSON *rec)
{
    int n = 0;
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(rec, "steps");
    for (const cJSON *e = steps ? steps->child : NULL; e; e = e->next)
        n += !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(e, "ran"));
    return n;
}

static enum act_status run_workflow(struct run *r, const struct act_arazzo_workflow *wf,
                                    const cJSON *inputs, cJSON **record)
{
    *record = NULL;
    cJSON *rec = cJSON_CreateObject();
    cJSON *scope = new_scope(r, wf, inputs);
    enum act_status s = ACT_OK;
    if (!rec || !scope || !cJSON_AddStringToObject(rec, "workflowId", wf->id) ||
        !cJSON_AddFalseToObject(rec, "passed") ||
        !set_item(rec, "inputs",
                  cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(scope, "inputs"), 1)) ||
        !cJSON_AddObjectToObject(rec, "outputs") || !cJSON_AddArrayToObject(rec, "steps") ||
        !cJSON_AddArrayToObject(rec, "errors")) {
        cJSON_Delete(rec);
        cJSON_Delete(scope);
        return ACT_ERR_NOMEM;
    }
    cJSON *steps_rec = cJSON_GetObjectItemCaseSensitive(rec, "steps");
    int passed = 1;
    cJSON *sub = NULL;
    size_t i = 0;
    long *retries = act_calloc(wf->n_steps + 1, sizeof *retries);
    if (!retries) {
        cJSON_Delete(rec);
        cJSON_Delete(scope);
        return ACT_ERR_NOMEM;
    }
    while (i < wf->n_steps) {
        const struct act_arazzo_step *st = &wf->steps[i];
        struct action act;
        int ok = 0;
        if ((s = run_step(r, wf, st, scope, steps_rec, &retries[i], &ok, &act)))
            break;
        passed = ok;
        if (act.kind == ACT_NONE) {
            if (!ok)
                break; /* no failure action: the workflow ends as failed */
            i++;
            continue;
        }
        if (act.kind == ACT_END || (act.kind == ACT_RETRY && !act.step))
            break;
        /* goto */
        if (act.step) {
            const struct act_arazzo_step *t = act_arazzo_find_step(wf, act.step);
            if (!t) {
                s = fail_at(r, wf->doc, st->pointer, ACT_ERR_INVALID,
                            "goto: unknown stepId '%s' in workflow '%s'", act.step, wf->id);
                break;
            }
            i = (size_t)(t - wf->steps);
            continue;
        }
        const struct act_arazzo_workflow *t;
        char msg[ACT_ERROR_MSG_MAX];
        if (act_arazzo_resolve_workflow(wf->doc, act.wf, &t, msg, sizeof msg)) {
            s = fail_at(r, wf->doc, st->pointer, ACT_ERR_INVALID, "goto: %s", msg);
            break;
        }
        if (r->nesting >= r->max_nesting) {
            s = fail_at(r, wf->doc, st->pointer, ACT_ERR_LIMIT,
                        "goto workflow '%s': workflows nested deeper than %u "
                        "(ACT_MAX_WORKFLOW_NESTING)",
                        t->id, r->max_nesting);
            break;
        }
        /* Control passes to that workflow; this one ends with its result. */
        r->nesting++;
        s = run_workflow(r, t, NULL, &sub);
        r->nesting--;
        if (sub) {
            passed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sub, "passed"));
            if (!cJSON_AddItemToObject(
                    cJSON_GetArrayItem(steps_rec, cJSON_GetArraySize(steps_rec) - 1), "workflow",
                    sub))
                cJSON_Delete(sub);
        }
        break;
    }
    if (s == ACT_OK || s == ACT_ERR_LIMIT) {
        enum act_status s2 = add_not_run(wf, steps_rec);
        if (!s2)
            s2 = refresh_workflows(r, scope);
        if (!s2)
            s2 = eval_outputs(r, wf->doc, wf->pointer,
                              cJSON_GetObjectItemCaseSensitive(wf->node, "outputs"), scope,
                              cJSON_GetObjectItemCaseSensitive(rec, "outputs"), scope);
        if (!s)
            s = s2;
        set_bool(rec, "passed", passed && !s);
        cJSON *w = cJSON_CreateObject();
        if (!w || !set_item(r->wf_scope, wf->id, w) ||
            !set_item(w, "inputs",
                      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "inputs"), 1)) ||
            !set_item(w, "outputs",
                      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "outputs"), 1))) {
            if (!s)
                s = ACT_ERR_NOMEM;
        }
    }
    act_free(retries);
    cJSON_Delete(scope);
    if (s && s != ACT_ERR_LIMIT) {
        cJSON_Delete(rec);
        return s;
    }
    *record = rec;
    return s;
}

/* ---------------------------------------------------------------- the run */

static int done_result(const struct run *r, const struct act_arazzo_workflow *wf)
{
    for (size_t i = 0; i < r->n_done; i++)
        if (r->done[i].wf == wf)
            return r->done[i].passed;
    return -1;
}

enum act_status act_workflow_run(struct act_arazzo *a, const struct act_run_opts *o, cJSON **report,
                                 struct act_error *err)
{
    struct run r;
    *report = NULL;
    run_init(&r, o, err);
    const struct act_arazzo_workflow **list = NULL;
    size_t n = 0;
    cJSON *bad = NULL;
    cJSON *rep = cJSON_CreateObject();
    cJSON *wfs = rep ? cJSON_AddArrayToObject(rep, "workflows") : NULL;
    enum act_status s = (r.wf_scope = cJSON_CreateObject()) && wfs ? ACT_OK : ACT_ERR_NOMEM;
    if (!s)
        s = check_all(&r, a, &bad);
    if (!s && cJSON_GetArraySize(bad)) {
        s = act_error_set(err, ACT_ERR_INVALID, a->doc->path, 0, 0, "invalid inputs: %s%s",
                          bad->child->valuestring,
                          cJSON_GetArraySize(bad) > 1 ? " (and more)" : "");
    }
    cJSON_Delete(bad);
    if (!s)
        s = plan(&r, a, &list, &n);
    int n_pass = 0, n_fail = 0, n_steps = 0;
    for (size_t i = 0; !s && i < n; i++) {
        const struct act_arazzo_workflow *wf = list[i];
        cJSON *rec = NULL;
        const struct act_arazzo_workflow *failed_dep = NULL;
        for (size_t d = 0; d < wf->n_depends && !failed_dep; d++)
            if (done_result(&r, wf->depends[d]) != 1)
                failed_dep = wf->depends[d];
        if (failed_dep) {
            rec = cJSON_CreateObject();
            char m[ACT_ERROR_MSG_MAX];
            snprintf(m, sizeof m, "not run: workflow '%s', which it depends on, failed",
                     failed_dep->id);
            cJSON *errs;
            if (!rec || !cJSON_AddStringToObject(rec, "workflowId", wf->id) ||
                !cJSON_AddFalseToObject(rec, "passed") ||
                !cJSON_AddObjectToObject(rec, "outputs") || !cJSON_AddArrayToObject(rec, "steps") ||
                !(errs = cJSON_AddArrayToObject(rec, "errors")) || add_string(errs, m)) {
                cJSON_Delete(rec);
                s = ACT_ERR_NOMEM;
                break;
            }
        } else {
            s = run_workflow(&r, wf, o->inputs, &rec);
        }
        if (rec) {
            int p = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "passed"));
            p ? n_pass++ : n_fail++;
            n_steps += steps_ran(rec);
            if (!cJSON_AddItemToArray(wfs, rec)) {
                cJSON_Delete(rec);
                s = ACT_ERR_NOMEM;
            }
            if (ACT_GROW(r.done, r.cap_done, r.n_done + 1, 8) == ACT_OK) {
                r.done[r.n_done].wf = wf;
                r.done[r.n_done++].passed = p;
            } else if (!s)
                s = ACT_ERR_NOMEM;
        }
    }
    act_free(list);
    cJSON *sum =
        rep && (s == ACT_OK || s == ACT_ERR_LIMIT) ? cJSON_AddObjectToObject(rep, "summary") : NULL;
    if (sum && (!cJSON_AddNumberToObject(sum, "workflows", n_pass + n_fail) ||
                !cJSON_AddNumberToObject(sum, "passed", n_pass) ||
                !cJSON_AddNumberToObject(sum, "failed", n_fail) ||
                !cJSON_AddNumberToObject(sum, "steps", n_steps) ||
                !cJSON_AddNumberToObject(sum, "steps_executed", r.steps) ||
                !cJSON_AddBoolToObject(sum, "unreachable", r.unreachable)))
        s = s ? s : ACT_ERR_NOMEM;
    run_release(&r);
    if ((s && s != ACT_ERR_LIMIT) || !sum) {
        cJSON_Delete(rep);
        return s ? s : ACT_ERR_NOMEM;
    }
    *report = rep;
    return s;
}
