/*
 * sparse.c - loading only the part of a big JSON spec that one schema needs.
 *
 * Validating against one response schema of GitHub's 13 MB description needs
 * a few dozen of its thousands of schemas, yet parsing it whole costs more
 * than parsing a 20 MB instance. act_schema_load therefore scans the text
 * without building anything (string and bracket skipping only), indexes the
 * members of the objects on the way to each needed node (each object once),
 * and parses just the needed subtrees with cJSON into a skeleton that has the
 * same JSON Pointers as the full document. Each parsed subtree's local $refs
 * are followed the same way until nothing new is needed. The text is kept
 * whole, so act_doc_locate still gives the right file:line.
 *
 * Anything unusual - YAML, small files, escaped keys, refs to other files or
 * to the root, a scan that does not match the JSON grammar - falls back to
 * loading the file whole with act_doc_load, which also produces the proper
 * error messages for broken files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/pointer.h"
#include "validator_int.h"

/* Files below this size are simply loaded whole. */
#define SPARSE_MIN_BYTES (512 * 1024)

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

static size_t ws(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t'))
        i++;
    return i;
}

/* End of the string whose opening quote is at i (index past the closing quote), 0 if none. */
static size_t string_end(const char *t, size_t len, size_t i)
{
    for (i++; i < len;) {
        const char *q = memchr(t + i, '"', len - i);
        if (!q)
            return 0;
        size_t k = (size_t)(q - t), bs = 0;
        while (k > i + bs && t[k - 1 - bs] == '\\')
            bs++;
        i = k + 1;
        if (bs % 2 == 0)
            return i;
    }
    return 0;
}

/* End of the value starting at i (after white space), 0 when malformed. */
static size_t value_end(const char *t, size_t len, size_t i)
{
    i = ws(t, len, i);
    if (i >= len)
        return 0;
    if (t[i] == '"')
        return string_end(t, len, i);
    if (t[i] != '{' && t[i] != '[') {
        while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' &&
               t[i] != '\n' && t[i] != '\r' && t[i] != '\t')
            i++;
        return i;
    }
    long depth = 0;
    for (; i < len; i++) {
        char c = t[i];
        if (c == '"') {
            size_t e = string_end(t, len, i);
            if (!e)
                return 0;
            i = e - 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return 0;
}

static struct index *index_object(struct sparse *sp, size_t obj)
{
    for (size_t i = 0; i < sp->n_idx; i++)
        if (sp->idx[i].obj == obj)
            return &sp->idx[i];
    if (sp->n_idx == sp->cap_idx) {
        size_t cap = sp->cap_idx ? sp->cap_idx * 2 : 16;
        struct index *n = act_realloc(sp->idx, cap * sizeof(*n));
        if (!n) {
            sp->nomem = 1;
            return NULL;
        }
        sp->idx = n;
        sp->cap_idx = cap;
    }
    struct index *x = &sp->idx[sp->n_idx];
    size_t cap = 0;
    x->obj = obj;
    x->m = NULL;
    x->n = 0;
    size_t i = ws(sp->t, sp->len, obj + 1);
    if (i < sp->len && sp->t[i] == '}') {
        sp->n_idx++;
        return x;
    }
    while (i < sp->len && sp->t[i] == '"') {
        size_t ke = string_end(sp->t, sp->len, i);
        if (!ke || memchr(sp->t + i + 1, '\\', ke - i - 2))
            break; /* escaped keys: not compared here */
        size_t colon = ws(sp->t, sp->len, ke);
        if (colon >= sp->len || sp->t[colon] != ':')
            break;
        size_t v = ws(sp->t, sp->len, colon + 1), ve = value_end(sp->t, sp->len, v);
        if (!ve)
            break;
        if (x->n == cap) {
            cap = cap ? cap * 2 : 16;
            struct member *m = act_realloc(x->m, cap * sizeof(*m));
            if (!m) {
                act_free(x->m);
                sp->nomem = 1;
                return NULL;
            }
            x->m = m;
        }
        x->m[x->n++] = (struct member){i + 1, ke - i - 2, v, ve};
        i = ws(sp->t, sp->len, ve);
        if (i < sp->len && sp->t[i] == ',') {
            i = ws(sp->t, sp->len, i + 1);
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
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        char **nv = act_realloc(*v, c * sizeof(*nv));
        if (!nv) {
            act_free(s);
            sp->nomem = 1;
            return;
        }
        *v = nv;
        *cap = c;
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
            } else if (act_pointer_from_fragment(r, strlen(r), &p) == ACT_OK) {
                if (!covered(sp, p.data))
                    push(&sp->todo, &sp->n_todo, &sp->cap_todo, act_buf_detach(&p, NULL), sp);
            } else {
                sp->bail = 1;
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

/* UTF-8, NUL bytes and depth of a slice, as the loader checks a whole file. */
static int slice_ok(const char *t, size_t len)
{
    const unsigned char *s = (const unsigned char *)t;
    long depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == 0)
            return 0;
        if (c >= 0x80) {
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
            if (!n || c > 0xF4 || i + n > len)
                return 0;
            for (size_t k = 1; k < n; k++)
                if ((s[i + k] & 0xC0) != 0x80)
                    return 0;
            if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0) ||
                (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))
                return 0;
            i += n - 1;
            continue;
        }
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > ACT_MAX_DEPTH)
                return 0;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 1;
}

/* Parse the value at ptr (or the array on its way) into the skeleton. */
static void materialize(struct sparse *sp, const char *ptr)
{
    struct act_buf tok, key, done;
    act_buf_init(&tok);
    act_buf_init(&key);
    act_buf_init(&done);
    size_t a = ws(sp->t, sp->len, 0), b;
    if (sp->len >= 3 && memcmp(sp->t, "\xEF\xBB\xBF", 3) == 0)
        a = ws(sp->t, sp->len, 3);
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
        if (act_pointer_next(&p, &tok)) {
            sp->bail = 1;
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

/* ---- loading ----------------------------------------------------------------------------- */

/* The file's bytes, or NULL (then the whole-file loader reports why). */
static char *read_all(const char *path, size_t *len)
{
    int fd;
    size_t size, got = 0;
    if (act_file_open(path, &fd, &size, NULL))
        return NULL;
    if (size > (size_t)act_doc_max_bytes() || size < SPARSE_MIN_BYTES) {
        close(fd);
        return NULL;
    }
    char *t = act_malloc(size + 1);
    while (t && got < size) {
        ssize_t r = read(fd, t + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (t && got != size) {
        act_free(t);
        t = NULL;
    }
    if (t) {
        t[size] = '\0';
        *len = size;
    }
    return t;
}

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

/* Build the sparse document, or return NULL (fall back; *nomem set on allocation failure). */
static struct act_doc *sparse_doc(const char *path, const char *pointer, int *nomem)
{
    size_t len = 0;
    const char *dot = strrchr(path, '.');
    if (!dot || strcmp(dot, ".json") != 0)
        return NULL;
    char *text = read_all(path, &len);
    if (!text)
        return NULL;
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
    struct act_doc *doc = NULL;
    if (!sp.bail && !sp.nomem) {
        char resolved[PATH_MAX];
        doc = act_calloc(1, sizeof(*doc));
        if (doc) {
            doc->path = act_strdup(path);
            doc->canon = act_strdup(realpath(path, resolved) ? resolved : path);
            doc->text = text;
            doc->len = len;
            doc->format = ACT_DOC_JSON;
            doc->root = sp.root;
            sp.root = NULL;
            text = NULL;
            if (!doc->path || !doc->canon) {
                act_doc_free(doc);
                doc = NULL;
                sp.nomem = 1;
            }
        } else {
            sp.nomem = 1;
        }
    }
    *nomem = sp.nomem;
    sparse_release(&sp);
    act_free(text);
    return doc;
}

enum act_status act_schema_load(const char *path, const char *pointer, struct act_docset **ds,
                                struct act_node *out, struct act_error *err)
{
    struct act_doc *doc = NULL;
    int nomem = 0;
    enum act_status st;
    *ds = NULL;
    if ((st = act_docset_new(ds)))
        return act_error_set(err, st, path, 0, 0, "out of memory");
    doc = sparse_doc(path, pointer, &nomem);
    if (!doc && nomem) {
        st = act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
        goto fail;
    }
    if (!doc && (st = act_doc_load(path, ACT_DOC_AUTO, &doc, err)))
        goto fail;
    if ((st = act_docset_add_take(*ds, doc))) {
        act_error_set(err, st, path, 0, 0, "out of memory");
        goto fail;
    }
    out->doc = doc;
    out->node = act_pointer_get(doc->root, pointer);
    if (!out->node) {
        char echo[ACT_ECHO_SIZE];
        st = act_error_set(err, ACT_ERR_NOTFOUND, path, 0, 0, "no node at #%s",
                           act_echo(echo, sizeof(echo), pointer, strlen(pointer)));
        goto fail;
    }
    return ACT_OK;
fail:
    act_docset_free(*ds);
    *ds = NULL;
    return st;
}
