/*
 * doc_sparse.c - the partial JSON parse (doc_sparse.h): only the part of a big JSON
 * spec that one node needs, for act_doc_load_part.
 *
 * Validating against one response schema of GitHub's 13 MB description needs
 * a few dozen of its thousands of schemas, yet parsing it whole costs more
 * than parsing a 20 MB instance. The text is therefore scanned without building
 * anything (the JSON scanner of text.h), the members of the objects on the way to
 * each needed node are indexed (each object once), and just the needed subtrees are
 * parsed with cJSON into a skeleton that has the same JSON Pointers as the full
 * document. Each parsed subtree's local $refs are followed the same way until
 * nothing new is needed. The document keeps the whole text (doc.c), so
 * act_doc_locate still gives the right file:line.
 *
 * Anything unusual - small files, escaped keys, refs to other files or to the
 * root, a scan that does not match the JSON grammar - gives no tree: doc.c then
 * parses the text whole, which also produces the proper error messages for
 * broken files.
 */
#include "doc_sparse.h"

#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "pointer.h"
#include "text.h"

/* One member of an indexed object: spans into the text. */
struct member {
    size_t key, key_len; /* the key's characters (between the quotes) */
    size_t val, val_end; /* the value */
};

/* The members of the object starting at offset obj. */
struct index {
    size_t obj;
    struct member *m;
    size_t n;
};

struct sparse {
    const char *t; /* the text */
    size_t len;
    struct index *idx; /* objects indexed so far */
    size_t n_idx, cap_idx;
    char **done; /* pointers materialized in the skeleton */
    size_t n_done, cap_done;
    char **todo; /* pointers still to materialize */
    size_t n_todo, cap_todo;
    cJSON *root; /* the skeleton */
    int bail;    /* give up: load the file whole */
    int nomem;   /* an allocation failed */
};

/* ---- scanning ---------------------------------------------------------------------------- */

/* End of the value starting at i (after white space), 0 when malformed or when the
 * text ends with it (a member's value never does: its object's '}' follows). */
static size_t value_end(const char *t, size_t len, size_t i)
{
    i = act_json_scan_ws(t, len, i);
    if (i >= len)
        return 0;
    size_t e = act_json_scan_value(t, len, i);
    return e < len ? e : 0;
}

static struct index *index_object(struct sparse *sp, size_t obj)
{
    for (size_t i = 0; i < sp->n_idx; i++)
        if (sp->idx[i].obj == obj)
            return &sp->idx[i];
    if (ACT_GROW(sp->idx, sp->cap_idx, sp->n_idx + 1, 16)) {
        sp->nomem = 1;
        return NULL;
    }
    struct index *x = &sp->idx[sp->n_idx];
    size_t cap = 0;
    x->obj = obj;
    x->m = NULL;
    x->n = 0;
    size_t i = act_json_scan_ws(sp->t, sp->len, obj + 1);
    if (i < sp->len && sp->t[i] == '}') {
        sp->n_idx++;
        return x;
    }
    while (i < sp->len && sp->t[i] == '"') {
        size_t ke = act_json_scan_string(sp->t, sp->len, i);
        if (ke >= sp->len || memchr(sp->t + i + 1, '\\', ke - i - 2))
            break; /* escaped keys: not compared here */
        size_t colon = act_json_scan_ws(sp->t, sp->len, ke);
        if (colon >= sp->len || sp->t[colon] != ':')
            break;
        size_t v = act_json_scan_ws(sp->t, sp->len, colon + 1), ve = value_end(sp->t, sp->len, v);
        if (!ve)
            break;
        if (ACT_GROW(x->m, cap, x->n + 1, 16)) {
            act_free(x->m);
            sp->nomem = 1;
            return NULL;
        }
        x->m[x->n++] = (struct member){i + 1, ke - i - 2, v, ve};
        i = act_json_scan_ws(sp->t, sp->len, ve);
        if (i < sp->len && sp->t[i] == ',') {
            i = act_json_scan_ws(sp->t, sp->len, i + 1);
            continue;
        }
        if (i < sp->len && sp->t[i] == '}') {
            sp->n_idx++;
            return x;
        }
        break;
    }
    act_free(x->m);
    sp->bail = 1;
    return NULL;
}

/* ---- the skeleton ------------------------------------------------------------------------ */

static int covered(const struct sparse *sp, const char *ptr)
{
    for (size_t i = 0; i < sp->n_done; i++) {
        size_t l = strlen(sp->done[i]);
        if (strncmp(sp->done[i], ptr, l) == 0 && (ptr[l] == '\0' || ptr[l] == '/'))
            return 1;
    }
    return 0;
}

static void push(char ***v, size_t *n, size_t *cap, char *s, struct sparse *sp)
{
    if (!s) {
        sp->nomem = 1;
        return;
    }
    if (ACT_GROW(*v, *cap, *n + 1, 16)) {
        act_free(s);
        sp->nomem = 1;
        return;
    }
    (*v)[(*n)++] = s;
}

/* The local $refs of a parsed subtree, queued; a discriminator queues every schema. */
static void collect(struct sparse *sp, const cJSON *j, int depth)
{
    if (depth > ACT_MAX_DEPTH) {
        sp->bail = 1;
        return;
    }
    for (const cJSON *c = j->child; c && !sp->bail && !sp->nomem; c = c->next) {
        if (c->string && cJSON_IsObject(j) && strcmp(c->string, "$ref") == 0 && cJSON_IsString(c)) {
            const char *r = c->valuestring;
            struct act_buf p;
            act_buf_init(&p);
            if (r[0] != '#' || r[1] != '/') {
                sp->bail = 1; /* another file, or the root: load whole */
            } else {
                enum act_status st = act_pointer_from_fragment(r, strlen(r), &p);
                if (st == ACT_ERR_NOMEM)
                    sp->nomem = 1;
                else if (st)
                    sp->bail = 1;
                else if (!covered(sp, p.data))
                    push(&sp->todo, &sp->n_todo, &sp->cap_todo, act_buf_detach(&p, NULL), sp);
            }
            act_buf_release(&p);
        } else if (c->string && cJSON_IsObject(j) && strcmp(c->string, "discriminator") == 0 &&
                   cJSON_IsObject(c)) {
            /* implicit mappings name any schema: have them all */
            push(&sp->todo, &sp->n_todo, &sp->cap_todo, act_strdup("/components/schemas"), sp);
        }
        if (c->child)
            collect(sp, c, depth + 1);
    }
}

/* UTF-8, NUL bytes and depth of a slice, as the whole parse checks a file. */
static int slice_ok(const char *t, size_t len)
{
    return act_text_check_bytes(NULL, t, len, NULL) == ACT_OK &&
           act_json_scan_depth(t, len, ACT_MAX_DEPTH) == len;
}

/* Parse the value at ptr (or the array on its way) into the skeleton. */
static void materialize(struct sparse *sp, const char *ptr)
{
    struct act_buf tok, key, done;
    act_buf_init(&tok);
    act_buf_init(&key);
    act_buf_init(&done);
    size_t a = act_json_scan_ws(sp->t, sp->len, act_text_bom(sp->t, sp->len)), b;
    cJSON *parent = NULL; /* skeleton object holding the value at a (under key); NULL: root */
    const char *p = ptr;
    while (*p && a < sp->len && sp->t[a] == '{') {
        /* descend into the object at a: its skeleton node first */
        cJSON *node = sp->root;
        if (parent) {
            node = cJSON_GetObjectItemCaseSensitive(parent, key.data);
            if (!node && !(node = cJSON_AddObjectToObject(parent, key.data))) {
                sp->nomem = 1;
                goto out;
            }
        }
        const char *save = p;
        enum act_status st = act_pointer_next(&p, &tok);
        if (st) {
            *(st == ACT_ERR_NOMEM ? &sp->nomem : &sp->bail) = 1;
            goto out;
        }
        struct index *x = index_object(sp, a);
        if (!x)
            goto out;
        size_t k;
        for (k = 0; k < x->n; k++)
            if (x->m[k].key_len == tok.len && memcmp(sp->t + x->m[k].key, tok.data, tok.len) == 0)
                break;
        if (k == x->n)
            goto out; /* not there: the validator reports the unresolvable ref */
        if (act_buf_add(&done, save, (size_t)(p - save))) {
            sp->nomem = 1;
            goto out;
        }
        act_buf_reset(&key);
        if (act_buf_add(&key, tok.data, tok.len)) {
            sp->nomem = 1;
            goto out;
        }
        parent = node;
        a = x->m[k].val;
    }
    if (covered(sp, done.data))
        goto out;
    b = value_end(sp->t, sp->len, a);
    if (!b || !slice_ok(sp->t + a, b - a)) {
        sp->bail = 1;
        goto out;
    }
    long failed = act_alloc_failed();
    cJSON *sub = cJSON_ParseWithLengthOpts(sp->t + a, b - a, NULL, 0);
    if (!sub) {
        if (act_alloc_failed() != failed)
            sp->nomem = 1;
        else
            sp->bail = 1;
        goto out;
    }
    if (!parent) {
        cJSON_Delete(sp->root);
        sp->root = sub;
    } else if (cJSON_GetObjectItemCaseSensitive(parent, key.data)) {
        /* it was only a skeleton on the way to something below: replace it */
        if (!cJSON_ReplaceItemInObjectCaseSensitive(parent, key.data, sub)) {
            cJSON_Delete(sub);
            sp->nomem = 1;
            goto out;
        }
    } else if (!cJSON_AddItemToObject(parent, key.data, sub)) {
        cJSON_Delete(sub);
        sp->nomem = 1;
        goto out;
    }
    push(&sp->done, &sp->n_done, &sp->cap_done, act_strdup(done.data), sp);
    collect(sp, sub, 0);
out:
    act_buf_release(&tok);
    act_buf_release(&key);
    act_buf_release(&done);
}

/* ---- the parse ------------------------------------------------------------------------- */

static void sparse_release(struct sparse *sp)
{
    for (size_t i = 0; i < sp->n_idx; i++)
        act_free(sp->idx[i].m);
    act_free(sp->idx);
    for (size_t i = 0; i < sp->n_done; i++)
        act_free(sp->done[i]);
    act_free(sp->done);
    for (size_t i = 0; i < sp->n_todo; i++)
        act_free(sp->todo[i]);
    act_free(sp->todo);
    cJSON_Delete(sp->root);
}

enum act_status act_json_parse_part(const char *name, const char *text, size_t len,
                                    const char *pointer, cJSON **out)
{
    const char *dot = strrchr(name, '.');
    *out = NULL;
    if (!dot || strcmp(dot, ".json") != 0 || len < ACT_JSON_PART_MIN_BYTES)
        return ACT_OK;
    struct sparse sp = {0};
    sp.t = text;
    sp.len = len;
    sp.root = cJSON_CreateObject();
    if (!sp.root)
        sp.nomem = 1;
    if (!sp.nomem)
        push(&sp.todo, &sp.n_todo, &sp.cap_todo, act_strdup(pointer), &sp);
    if (!sp.nomem && pointer[0]) /* the version decides what nullable means */
        push(&sp.todo, &sp.n_todo, &sp.cap_todo, act_strdup("/openapi"), &sp);
    while (!sp.bail && !sp.nomem && sp.n_todo) {
        char *p = sp.todo[--sp.n_todo];
        if (!covered(&sp, p))
            materialize(&sp, p);
        act_free(p);
    }
    if (!sp.bail && !sp.nomem) {
        *out = sp.root;
        sp.root = NULL;
    }
    sparse_release(&sp);
    return sp.nomem ? ACT_ERR_NOMEM : ACT_OK;
}
