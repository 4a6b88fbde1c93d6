/*
 * arazzo_lint.c - lint rules over a leniently loaded Arazzo document.
 *
 * Every workflow is walked once: its parameters, steps (parameters, request
 * body, criteria, actions, outputs) and outputs. Strings that may hold runtime
 * expressions are checked for syntax (process/expr.h), and the names the
 * expressions use are checked against the document: $steps.ID against the
 * workflow's steps, $workflows.ID against the document's workflows,
 * $sourceDescriptions.NAME against its sources, $components.KIND.NAME against
 * its components.
 */
#include "process/arazzo_lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "parser/pointer.h"
#include "process/criteria.h"
#include "process/expr.h"

/* The lint's state: the document and the workflow being walked. */
struct lt {
    struct act_arazzo *a;                 /* the document */
    const struct act_arazzo_workflow *wf; /* the workflow walked, NULL for components */
    const char *ptr;                      /* pointer of the string being checked */
    enum act_status st;                   /* ACT_ERR_NOMEM once it happened */
};

static void diag(struct lt *l, const char *ptr, int is_error, const char *fmt, ...)
    ACT_PRINTF(4, 5);
static void diag(struct lt *l, const char *ptr, int is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (act_arazzo_diag_vadd(&l->a->diags, l->a->doc, ptr, is_error, fmt, ap))
        l->st = ACT_ERR_NOMEM;
    va_end(ap);
}

/* The first dot-separated segment of name (n bytes) into buf. */
static const char *first_seg(const char *name, size_t n, char *buf, size_t size)
{
    size_t k = 0;
    while (k < n && name[k] != '.' && name[k] != '#')
        k++;
    snprintf(buf, size, "%.*s", (int)k, name);
    return buf;
}

/* Is name (n bytes) the id, or the id and a dotted rest? */
static int names_id(const char *name, size_t n, const char *id)
{
    size_t k = strlen(id);
    return k <= n && strncmp(name, id, k) == 0 && (k == n || name[k] == '.');
}

/* Check what one expression names. */
static int check_names(const struct act_rtexpr *e, struct lt *l)
{
    size_t n = 0;
    const char *name = act_rtexpr_name(e, &n);
    char seg[256];
    char msg[ACT_ERROR_MSG_MAX];
    switch (act_rtexpr_kind(e)) {
    case ACT_RTEXPR_STEPS:
        first_seg(name, n, seg, sizeof seg);
        if (l->wf && !act_arazzo_find_step(l->wf, seg))
            diag(l, l->ptr, 1, "$steps.%s: workflow '%s' has no step '%s'", seg, l->wf->id, seg);
        break;
    case ACT_RTEXPR_WORKFLOWS: {
        /* Workflow ids of this document; a dotted id may hold dots, so try prefixes. */
        int found = 0;
        for (size_t i = 0; i < l->a->n_workflows && !found; i++)
            found = names_id(name, n, l->a->workflows[i].id);
        if (!found)
            diag(l, l->ptr, 1, "$workflows.%s: no workflow '%s'",
                 first_seg(name, n, seg, sizeof seg), seg);
        break;
    }
    case ACT_RTEXPR_SOURCE_DESCRIPTIONS: {
        int found = 0;
        for (size_t i = 0; i < l->a->n_sources && !found; i++)
            found = names_id(name, n, l->a->sources[i].name);
        if (!found)
            diag(l, l->ptr, 1, "$sourceDescriptions.%.*s: unknown source description",
                 (int)(n > 200 ? 200 : n), name);
        break;
    }
    case ACT_RTEXPR_COMPONENTS: {
        char ref[512];
        snprintf(ref, sizeof ref, "$components.%.*s", (int)(n > 400 ? 400 : n), name);
        /* Cut a further .member or #pointer after KIND.NAME. */
        char *dot = strchr(ref + strlen("$components."), '.');
        if (dot) {
            char *cut = strpbrk(dot + 1, ".#");
            if (cut)
                *cut = '\0';
        }
        if (!act_arazzo_component(l->a, ref, msg, sizeof msg))
            diag(l, l->ptr, 1, "%s", msg);
        break;
    }
    default: break;
    }
    return 0;
}

static int each_expr(const struct act_rtexpr *e, size_t off, void *arg)
{
    (void)off;
    return check_names(e, arg);
}

static int each_crit_expr(const struct act_rtexpr *e, enum act_criterion_field f, size_t off,
                          void *arg)
{
    (void)f;
    (void)off;
    return check_names(e, arg);
}

/* A string that may hold runtime expressions. */
static void check_string(struct lt *l, const char *ptr, const char *s)
{
    struct act_error err;
    size_t off = 0;
    act_error_init(&err);
    l->ptr = ptr;
    enum act_status st = act_rtexpr_each(s, each_expr, l, &off, &err);
    if (st == ACT_ERR_NOMEM)
        l->st = st;
    else if (st == ACT_ERR_PARSE)
        diag(l, ptr, 1, "malformed runtime expression: %s", err.msg);
}

/* Every string inside v (payloads, values). */
static void check_deep(struct lt *l, struct act_buf *ptr, const cJSON *v)
{
    if (cJSON_IsString(v)) {
        check_string(l, ptr->data, v->valuestring);
        return;
    }
    size_t mark = ptr->len;
    size_t i = 0;
    for (const cJSON *c = v ? v->child : NULL; c && !l->st; c = c->next, i++) {
        if ((cJSON_IsObject(v) ? act_pointer_append(ptr, c->string)
                               : act_pointer_append_index(ptr, i))) {
            l->st = ACT_ERR_NOMEM;
            return;
        }
        check_deep(l, ptr, c);
        ptr->len = mark;
        ptr->data[mark] = '\0';
    }
}

static void check_member_deep(struct lt *l, const char *base, const char *key, const cJSON *v)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_buf_adds(&b, base) || (key && act_pointer_append(&b, key)))
        l->st = ACT_ERR_NOMEM;
    else
        check_deep(l, &b, v);
    act_buf_release(&b);
}

static void check_criteria(struct lt *l, const char *base, const cJSON *list)
{
    if (!list)
        return;
    if (!cJSON_IsArray(list)) {
        diag(l, base, 1, "criteria must be a list of Criterion Objects");
        return;
    }
    int i = 0;
    for (const cJSON *c = list->child; c && !l->st; c = c->next, i++) {
        char ptr[ACT_ERROR_PATH_MAX + 16];
        snprintf(ptr, sizeof ptr, "%s/%d", base, i);
        struct act_error err;
        enum act_criterion_field f = ACT_CRIT_OBJECT;
        size_t off = 0;
        act_error_init(&err);
        enum act_status st = act_criterion_lint(c, &f, &off, &err);
        if (st == ACT_ERR_NOMEM) {
            l->st = st;
            return;
        }
        if (st) {
            static const char *const fields[] = {"/condition", "/context", "/type", ""};
            char fp[ACT_ERROR_PATH_MAX + 32];
            /* A missing member (a context with no type) is reported at the criterion. */
            snprintf(fp, sizeof fp, "%s%s", ptr,
                     f != ACT_CRIT_OBJECT && cJSON_GetObjectItemCaseSensitive(c, fields[f] + 1)
                         ? fields[f]
                         : "");
            diag(l, fp, 1, "malformed criterion: %s", err.msg);
            continue;
        }
        l->ptr = ptr;
        act_criterion_each_expr(c, each_crit_expr, l);
    }
}

/* Success or failure actions: structure, goto targets, criteria. */
static void check_actions(struct lt *l, const char *base, const char *key, const cJSON *list,
                          int failure)
{
    char ptr[ACT_ERROR_PATH_MAX + 64];
    char msg[ACT_ERROR_MSG_MAX];
    if (!list)
        return;
    if (!cJSON_IsArray(list)) {
        snprintf(ptr, sizeof ptr, "%s/%s", base, key);
        diag(l, ptr, 1, "%s must be a list", key);
        return;
    }
    int i = 0;
    for (const cJSON *a = list->child; a && !l->st; a = a->next, i++) {
        snprintf(ptr, sizeof ptr, "%s/%s/%d", base, key, i);
        const cJSON *over;
        const cJSON *n = act_arazzo_reusable(l->a, a, &over, msg, sizeof msg);
        if (!n) {
            diag(l, ptr, 1, "%s", msg);
            continue;
        }
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(n, "type");
        const char *t = cJSON_IsString(type) ? type->valuestring : NULL;
        if (!t || (strcmp(t, "end") != 0 && strcmp(t, "goto") != 0 &&
                   !(failure && strcmp(t, "retry") == 0))) {
            diag(l, ptr, 1, "%s action type must be %s", failure ? "a failure" : "a success",
                 failure ? "end, goto or retry" : "end or goto");
            continue;
        }
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(n, "name")))
            diag(l, ptr, 1, "an action needs a name");
        const cJSON *sid = cJSON_GetObjectItemCaseSensitive(n, "stepId");
        const cJSON *wid = cJSON_GetObjectItemCaseSensitive(n, "workflowId");
        if (sid && wid)
            diag(l, ptr, 1, "an action takes stepId or workflowId, not both");
        if (strcmp(t, "goto") == 0 && !sid && !wid)
            diag(l, ptr, 1, "a goto action needs a stepId or a workflowId");
        if (cJSON_IsString(sid) && l->wf && !act_arazzo_find_step(l->wf, sid->valuestring))
            diag(l, ptr, 1, "goto: workflow '%s' has no step '%s'", l->wf->id, sid->valuestring);
        const struct act_arazzo_workflow *tw;
        if (cJSON_IsString(wid) &&
            act_arazzo_resolve_workflow(l->a, wid->valuestring, &tw, msg, sizeof msg))
            diag(l, ptr, 1, "%s: %s", t, msg);
        if (strcmp(t, "retry") == 0) {
            const cJSON *ra = cJSON_GetObjectItemCaseSensitive(n, "retryAfter");
            const cJSON *rl = cJSON_GetObjectItemCaseSensitive(n, "retryLimit");
            if (ra && (!cJSON_IsNumber(ra) || ra->valuedouble < 0))
                diag(l, ptr, 1, "retryAfter must be a non-negative number of seconds");
            if (rl && (!cJSON_IsNumber(rl) || rl->valuedouble < 0 ||
                       rl->valuedouble != (double)(long long)rl->valuedouble))
                diag(l, ptr, 1, "retryLimit must be a non-negative integer");
        }
        char cp[ACT_ERROR_PATH_MAX + 80];
        snprintf(cp, sizeof cp, "%s/criteria", ptr);
        check_criteria(l, cp, cJSON_GetObjectItemCaseSensitive(n, "criteria"));
    }
}

/* The parameters of a list: references, in, expressions; names into seen (name/in). */
static void check_params(struct lt *l, const char *base, const cJSON *list,
                         const struct act_arazzo_step *st, cJSON *seen)
{
    char msg[ACT_ERROR_MSG_MAX];
    if (!list)
        return;
    if (!cJSON_IsArray(list)) {
        diag(l, base, 1, "parameters must be a list");
        return;
    }
    struct act_param *ops = NULL;
    size_t n_ops = 0;
    if (st && st->kind == ACT_ARAZZO_STEP_OPERATION) {
        enum act_status ps =
            act_spec_op_params_all(st->src->spec, st->op, ACT_PARAMS_IGNORED, &ops, &n_ops, NULL);
        if (ps == ACT_ERR_NOMEM) {
            l->st = ps;
            return;
        }
        if (ps)
            ops = NULL, n_ops = 0;
    }
    int i = 0;
    for (const cJSON *p = list->child; p && !l->st; p = p->next, i++) {
        char ptr[ACT_ERROR_PATH_MAX + 16];
        snprintf(ptr, sizeof ptr, "%s/%d", base, i);
        const cJSON *over;
        const cJSON *d = act_arazzo_reusable(l->a, p, &over, msg, sizeof msg);
        if (!d) {
            diag(l, ptr, 1, "%s", msg);
            continue;
        }
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(d, "name");
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(d, "in");
        const cJSON *val = over ? over : cJSON_GetObjectItemCaseSensitive(d, "value");
        if (!cJSON_IsString(name) || !val) {
            diag(l, ptr, 1, "a parameter needs a name and a value");
            continue;
        }
        if (in &&
            (!cJSON_IsString(in) ||
             (strcmp(in->valuestring, "path") != 0 && strcmp(in->valuestring, "query") != 0 &&
              strcmp(in->valuestring, "header") != 0 && strcmp(in->valuestring, "cookie") != 0))) {
            diag(l, ptr, 1, "parameter '%s': in must be path, query, header or cookie",
                 name->valuestring);
            continue;
        }
        check_member_deep(l, ptr, over ? NULL : "value", val);
        if (st && st->kind == ACT_ARAZZO_STEP_OPERATION && !in)
            diag(l, ptr, 1, "parameter '%s' of an operation step needs `in`", name->valuestring);
        if (st && st->kind == ACT_ARAZZO_STEP_OPERATION && in) {
            int has = 0;
            for (size_t k = 0; k < n_ops && !has; k++)
                has = strcmp(ops[k].name, name->valuestring) == 0 &&
                      strcmp(ops[k].in, in->valuestring) == 0;
            if (!has)
                diag(l, ptr, 1, "operation '%s' has no %s parameter '%s'", st->op->id,
                     in->valuestring, name->valuestring);
        }
        if (seen) {
            char key[512];
            snprintf(key, sizeof key, "%s/%s", cJSON_IsString(in) ? in->valuestring : "",
                     name->valuestring);
            if (!cJSON_GetObjectItemCaseSensitive(seen, key) && !cJSON_AddTrueToObject(seen, key))
                l->st = ACT_ERR_NOMEM;
        }
    }
    act_free(ops);
}

/* Required parameters of the step's operation that no parameter supplies. */
static void check_required(struct lt *l, const struct act_arazzo_step *st, const cJSON *seen)
{
    struct act_param *ops = NULL;
    size_t n_ops = 0;
    if (st->kind != ACT_ARAZZO_STEP_OPERATION)
        return;
    enum act_status ps = act_spec_op_params(st->src->spec, st->op, &ops, &n_ops, NULL);
    if (ps) {
        if (ps == ACT_ERR_NOMEM)
            l->st = ps;
        return;
    }
    for (size_t k = 0; k < n_ops; k++) {
        char key[512];
        snprintf(key, sizeof key, "%s/%s", ops[k].in, ops[k].name);
        if (ops[k].required && !cJSON_GetObjectItemCaseSensitive(seen, key))
            diag(l, st->pointer, 0, "step '%s': required %s parameter '%s' of '%s' is not supplied",
                 st->id, ops[k].in, ops[k].name, st->op->id);
    }
    act_free(ops);
}

/* Does a step or its actions carry criteria that could end a loop through it? */
static int has_exit(const struct act_arazzo_step *st)
{
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st->node, "successCriteria")) > 0)
        return 1;
    static const char *const keys[] = {"onSuccess", "onFailure"};
    for (int k = 0; k < 2; k++) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(st->node, keys[k]);
        for (const cJSON *a = cJSON_IsArray(list) ? list->child : NULL; a; a = a->next)
            if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "criteria")) > 0 ||
                cJSON_GetObjectItemCaseSensitive(a, "reference"))
                return 1;
    }
    return 0;
}

/* A success goto without criteria back to an earlier step (or itself), where no step
 * of the loop has criteria that could end it. */
static void check_loops(struct lt *l, const struct act_arazzo_workflow *wf)
{
    for (size_t j = 0; j < wf->n_steps; j++) {
        const struct act_arazzo_step *st = &wf->steps[j];
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(st->node, "onSuccess");
        int i = 0;
        for (const cJSON *a = cJSON_IsArray(list) ? list->child : NULL; a; a = a->next, i++) {
            const cJSON *type = cJSON_GetObjectItemCaseSensitive(a, "type");
            const cJSON *sid = cJSON_GetObjectItemCaseSensitive(a, "stepId");
            if (!cJSON_IsString(type) || strcmp(type->valuestring, "goto") != 0 ||
                !cJSON_IsString(sid) ||
                cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "criteria")) > 0)
                continue;
            const struct act_arazzo_step *t = act_arazzo_find_step(wf, sid->valuestring);
            if (!t || t > st)
                continue;
            int exits = 0;
            for (const struct act_arazzo_step *s = t; s <= st && !exits; s++)
                exits = has_exit(s);
            if (!exits) {
                char ptr[ACT_ERROR_PATH_MAX + 32];
                snprintf(ptr, sizeof ptr, "%s/onSuccess/%d", st->pointer, i);
                diag(l, ptr, 0,
                     "goto '%s' loops back with no criteria that could end the loop (it stops "
                     "only at the run's step limit)",
                     sid->valuestring);
            }
        }
    }
}

/* The first step of wf (of document a) that calls target, directly or through the
 * workflows it calls, before any step with criteria that could end the run there; NULL
 * when there is none. seen marks the workflows searched; depth bounds the recursion. */
static const struct act_arazzo_step *call_to(const struct act_arazzo *a,
                                             const struct act_arazzo_workflow *wf,
                                             const struct act_arazzo_workflow *target,
                                             unsigned char *seen, unsigned depth)
{
    for (size_t j = 0; j < wf->n_steps; j++) {
        const struct act_arazzo_step *st = &wf->steps[j];
        const struct act_arazzo_workflow *t = st->kind == ACT_ARAZZO_STEP_WORKFLOW ? st->wf : NULL;
        if (t && t->doc == a) {
            size_t k = (size_t)(t - a->workflows);
            if (t == target)
                return st;
            if (!seen[k] && depth < 64) {
                seen[k] = 1;
                if (call_to(a, t, target, seen, depth + 1))
                    return st;
            }
        }
        if (has_exit(st))
            return NULL;
    }
    return NULL;
}

/* A workflow that calls itself (through its own steps or the workflows they call) with
 * no criteria on the way that could stop the recursion: it ends only at the nesting
 * limit. Reported at the step of wf that starts it. */
static void check_recursion(struct lt *l, const struct act_arazzo_workflow *wf)
{
    unsigned char *seen = act_calloc(l->a->n_workflows + 1, 1);
    if (!seen) {
        l->st = ACT_ERR_NOMEM;
        return;
    }
    const struct act_arazzo_step *st = call_to(l->a, wf, wf, seen, 0);
    if (st && st->wf == wf)
        diag(l, st->pointer, 0,
             "step '%s' calls its own workflow '%s' with no criteria that could stop the "
             "recursion (it ends only at the nesting limit, ACT_MAX_WORKFLOW_NESTING)",
             st->id, wf->id);
    else if (st)
        diag(l, st->pointer, 0,
             "step '%s' calls workflow '%s', which calls '%s' again with no criteria that "
             "could stop the recursion (it ends only at the nesting limit, "
             "ACT_MAX_WORKFLOW_NESTING)",
             st->id, st->wf->id, wf->id);
    act_free(seen);
}

/* dependsOn cycles: a depth-first walk with colours (0 new, 1 on the path, 2 done). */
static void check_cycles(struct lt *l)
{
    size_t n = l->a->n_workflows;
    unsigned char *colour = act_calloc(n + 1, 1);
    size_t *stack = act_calloc(n + 1, sizeof *stack);
    size_t *next = act_calloc(n + 1, sizeof *next);
    if (!colour || !stack || !next) {
        l->st = ACT_ERR_NOMEM;
        goto out;
    }
    for (size_t r = 0; r < n; r++) {
        if (colour[r])
            continue;
        size_t depth = 0;
        stack[depth++] = r;
        colour[r] = 1;
        next[r] = 0;
        while (depth) {
            size_t w = stack[depth - 1];
            const struct act_arazzo_workflow *wf = &l->a->workflows[w];
            if (next[w] >= wf->n_depends) {
                colour[w] = 2;
                depth--;
                continue;
            }
            const struct act_arazzo_workflow *d = wf->depends[next[w]++];
            if (d->doc != l->a)
                continue;
            size_t di = (size_t)(d - l->a->workflows);
            if (colour[di] == 1) {
                char ptr[ACT_ERROR_PATH_MAX + 16];
                snprintf(ptr, sizeof ptr, "%s/dependsOn", wf->pointer);
                diag(l, ptr, 1, "dependsOn cycle: workflow '%s' depends on '%s', which leads back",
                     wf->id, d->id);
            } else if (colour[di] == 0) {
                colour[di] = 1;
                next[di] = 0;
                stack[depth++] = di;
            }
        }
    }
out:
    act_free(colour);
    act_free(stack);
    act_free(next);
}

static void lint_workflow(struct lt *l, const struct act_arazzo_workflow *wf)
{
    char ptr[ACT_ERROR_PATH_MAX + 64];
    l->wf = wf;
    snprintf(ptr, sizeof ptr, "%s/parameters", wf->pointer);
    cJSON *wseen = cJSON_CreateObject();
    if (!wseen) {
        l->st = ACT_ERR_NOMEM;
        return;
    }
    check_params(l, ptr, cJSON_GetObjectItemCaseSensitive(wf->node, "parameters"), NULL, wseen);
    check_actions(l, wf->pointer, "successActions",
                  cJSON_GetObjectItemCaseSensitive(wf->node, "successActions"), 0);
    check_actions(l, wf->pointer, "failureActions",
                  cJSON_GetObjectItemCaseSensitive(wf->node, "failureActions"), 1);
    for (size_t i = 0; i < wf->n_steps && !l->st; i++) {
        const struct act_arazzo_step *st = &wf->steps[i];
        cJSON *seen = cJSON_Duplicate(wseen, 1);
        if (!seen) {
            l->st = ACT_ERR_NOMEM;
            break;
        }
        snprintf(ptr, sizeof ptr, "%s/parameters", st->pointer);
        check_params(l, ptr, cJSON_GetObjectItemCaseSensitive(st->node, "parameters"), st, seen);
        check_required(l, st, seen);
        cJSON_Delete(seen);
        const cJSON *rb = cJSON_GetObjectItemCaseSensitive(st->node, "requestBody");
        if (rb) {
            snprintf(ptr, sizeof ptr, "%s/requestBody", st->pointer);
            if (cJSON_GetObjectItemCaseSensitive(rb, "payload"))
                check_member_deep(l, ptr, "payload",
                                  cJSON_GetObjectItemCaseSensitive(rb, "payload"));
            const cJSON *reps = cJSON_GetObjectItemCaseSensitive(rb, "replacements");
            int k = 0;
            for (const cJSON *r = cJSON_IsArray(reps) ? reps->child : NULL; r; r = r->next, k++) {
                char rp[ACT_ERROR_PATH_MAX + 128];
                snprintf(rp, sizeof rp, "%s/replacements/%d", ptr, k);
                const cJSON *target = cJSON_GetObjectItemCaseSensitive(r, "target");
                if (!cJSON_IsString(target) ||
                    (target->valuestring[0] && target->valuestring[0] != '/'))
                    diag(l, rp, 1, "a replacement needs a target JSON Pointer");
                check_member_deep(l, rp, "value", cJSON_GetObjectItemCaseSensitive(r, "value"));
            }
        }
        snprintf(ptr, sizeof ptr, "%s/successCriteria", st->pointer);
        check_criteria(l, ptr, cJSON_GetObjectItemCaseSensitive(st->node, "successCriteria"));
        check_actions(l, st->pointer, "onSuccess",
                      cJSON_GetObjectItemCaseSensitive(st->node, "onSuccess"), 0);
        check_actions(l, st->pointer, "onFailure",
                      cJSON_GetObjectItemCaseSensitive(st->node, "onFailure"), 1);
        const cJSON *outs = cJSON_GetObjectItemCaseSensitive(st->node, "outputs");
        if (outs)
            check_member_deep(l, st->pointer, "outputs", outs);
    }
    cJSON_Delete(wseen);
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(wf->node, "outputs");
    if (outs)
        check_member_deep(l, wf->pointer, "outputs", outs);
    check_loops(l, wf);
    if (!l->st)
        check_recursion(l, wf);
}

enum act_status act_arazzo_lint(struct act_arazzo *a)
{
    struct lt l = {a, NULL, NULL, ACT_OK};
    for (size_t i = 0; i < a->n_workflows && !l.st; i++)
        lint_workflow(&l, &a->workflows[i]);
    l.wf = NULL;
    const cJSON *comp = a->components;
    if (!l.st && comp) {
        /* Component actions are maps, not lists: check each as a one-element list. */
        static const char *const kinds[] = {"successActions", "failureActions"};
        for (int k = 0; k < 2 && !l.st; k++) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(comp, kinds[k]);
            for (const cJSON *e = cJSON_IsObject(m) ? m->child : NULL; e && !l.st; e = e->next) {
                char ptr[ACT_ERROR_PATH_MAX];
                struct act_buf b;
                act_buf_init(&b);
                if (act_buf_adds(&b, "/components") || act_pointer_append(&b, kinds[k]) ||
                    act_pointer_append(&b, e->string)) {
                    act_buf_release(&b);
                    l.st = ACT_ERR_NOMEM;
                    break;
                }
                snprintf(ptr, sizeof ptr, "%s/criteria", b.data);
                act_buf_release(&b);
                check_criteria(&l, ptr, cJSON_GetObjectItemCaseSensitive(e, "criteria"));
            }
        }
    }
    if (!l.st)
        check_cycles(&l);
    return l.st;
}
