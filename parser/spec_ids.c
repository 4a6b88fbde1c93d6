/*
 * spec_ids.c - the action ids of a spec without modelling it (spec_ids.h).
 *
 * The skim walks the JSON text with a cursor: keys are decoded where they
 * decide something (top level, `paths`, path items, operations; a string with
 * escapes by cJSON, as the loader decodes it), every other value is skipped by
 * bracket counting over its bytes (strings skipped quote to unescaped quote).
 * It checks no more of the grammar than it reads: a flaw elsewhere that the
 * loader refuses (invalid UTF-8 in a description, say) may still give ids. It mirrors spec.c's
 * enumerate(): paths in order, methods in the order they appear, an operation's first "operationId"
 * member, "METHOD.PATH" when it is not a string, non-object path items and operations ignored.
 */
#include "spec_ids.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_error.h"
#include "doc.h"
#include "doc_int.h"
#include "library.h"
#include "spec.h"
#include "text.h"

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

struct skim {
    const char *p, *end;
    struct act_buf key;  /* the last key decoded */
    struct act_buf path; /* the path of the item being read */
    struct act_spec_ids *out;
};

/* A status for "the skim cannot decide: load in full". */
#define BAIL ACT_ERR_UNSUPPORTED

/* The cursor moves with the JSON scanner of text.h. No string or value of a spec ends
 * the text (the top-level object closes after it), so one that reaches the end is
 * malformed: BAIL. */
static void ws(struct skim *s)
{
    s->p += act_json_scan_ws(s->p, (size_t)(s->end - s->p), 0);
}

static int eat(struct skim *s, char c)
{
    ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    return 0;
}

static enum act_status skip_string(struct skim *s)
{
    size_t n = (size_t)(s->end - s->p), e = act_json_scan_string(s->p, n, 0);
    if (e >= n)
        return BAIL;
    s->p += e;
    return ACT_OK;
}

static enum act_status skip_value(struct skim *s)
{
    ws(s);
    size_t n = (size_t)(s->end - s->p), e = act_json_scan_value(s->p, n, 0);
    /* A scalar is not empty and holds no NUL byte (the loader refuses those). */
    if (e == 0 || e >= n || (*s->p != '"' && *s->p != '{' && *s->p != '[' && memchr(s->p, 0, e)))
        return BAIL;
    s->p += e;
    return ACT_OK;
}

/* Decode the string at the cursor into out (replacing it). One without escapes is copied;
 * one with escapes is decoded by cJSON, as the loader decodes it. */
static enum act_status read_string(struct skim *s, struct act_buf *out)
{
    ws(s);
    act_buf_reset(out);
    if (s->p >= s->end || *s->p != '"')
        return BAIL;
    const char *start = s->p;
    if (skip_string(s))
        return BAIL;
    size_t len = (size_t)(s->p - start);
    int escaped = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if ((unsigned char)start[i] < 0x20)
            return BAIL;
        escaped |= start[i] == '\\';
    }
    if (!escaped)
        return act_buf_add(out, start + 1, len - 2) ? ACT_ERR_NOMEM : ACT_OK;
    if (memmem(start, len, "\\u0000", 6))
        return BAIL; /* refused by the loader, cut short by cJSON */
    cJSON *str = cJSON_ParseWithLength(start, len);
    enum act_status st = BAIL;
    if (cJSON_IsString(str))
        st = act_buf_adds(out, str->valuestring) ? ACT_ERR_NOMEM : ACT_OK;
    cJSON_Delete(str);
    return st;
}

/*
 * Iterate the members of the object at the cursor: for each, the key is in
 * s->key and member(s, arg) consumes the value. An empty object is fine.
 */
static enum act_status members(struct skim *s, enum act_status (*member)(struct skim *, void *),
                               void *arg)
{
    enum act_status st;
    if (!eat(s, '{'))
        return BAIL;
    if (eat(s, '}'))
        return ACT_OK;
    for (;;) {
        if ((st = read_string(s, &s->key)))
            return st;
        if (!eat(s, ':'))
            return BAIL;
        if ((st = member(s, arg)))
            return st;
        if (eat(s, ','))
            continue;
        return eat(s, '}') ? ACT_OK : BAIL;
    }
}

static int at_object(struct skim *s)
{
    ws(s);
    return s->p < s->end && *s->p == '{';
}

struct op_state {
    int seen;           /* an operationId member was met */
    struct act_buf *id; /* its string value, when it is one */
    int is_string;
};

static enum act_status op_member(struct skim *s, void *arg)
{
    struct op_state *o = arg;
    if (strcmp(s->key.data, "operationId") == 0) {
        if (o->seen)
            return BAIL; /* a duplicate key: the loader refuses the document */
        o->seen = 1;
        ws(s);
        if (s->p < s->end && *s->p == '"') {
            o->is_string = 1;
            return read_string(s, o->id);
        }
    }
    return skip_value(s);
}

struct item_state {
    struct act_buf *id; /* scratch for the ids */
    unsigned methods;   /* bit i: methods[i] was met in this path item */
};

static enum act_status item_member(struct skim *s, void *arg)
{
    struct item_state *it = arg;
    struct act_buf *id = it->id;
    const char *method = NULL;
    enum act_status st;
    if (strcmp(s->key.data, "$ref") == 0)
        return BAIL; /* a path item elsewhere: act_ref_deref's business */
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (strcmp(s->key.data, methods[i]) == 0) {
            if (it->methods & (1u << i))
                return BAIL; /* a duplicate key: the loader refuses the document */
            it->methods |= 1u << i;
            method = methods[i];
        }
    if (!method || !at_object(s))
        return skip_value(s);
    struct op_state o = {0, id, 0};
    act_buf_reset(id);
    if ((st = members(s, op_member, &o)))
        return st;
    if (!o.is_string) {
        act_buf_reset(id);
        if (act_buf_printf(id, "%s.%s", method, s->path.data))
            return ACT_ERR_NOMEM;
    }
    return act_spec_ids_add(s->out, id->data, id->len);
}

static enum act_status paths_member(struct skim *s, void *arg)
{
    act_buf_reset(&s->path);
    if (act_buf_add(&s->path, s->key.data, s->key.len))
        return ACT_ERR_NOMEM;
    if (!at_object(s))
        return skip_value(s); /* not a path item: nothing to enumerate */
    struct item_state it = {arg, 0};
    return members(s, item_member, &it);
}

struct top_state {
    int openapi, paths; /* seen */
    struct act_buf id;  /* scratch for the ids */
};

static enum act_status top_member(struct skim *s, void *arg)
{
    struct top_state *t = arg;
    if (strcmp(s->key.data, "swagger") == 0)
        return BAIL;
    /* A second "openapi" or "paths" is a duplicate key the loader refuses: so does
     * the skim, and the loader says why. Duplicates among the keys it skips are
     * left to the loader when it runs (list, show...). */
    if ((t->openapi && strcmp(s->key.data, "openapi") == 0) ||
        (t->paths && strcmp(s->key.data, "paths") == 0))
        return BAIL;
    if (strcmp(s->key.data, "openapi") == 0) {
        t->openapi = 1;
        enum act_status st = read_string(s, &s->key);
        if (st)
            return st;
        const char *v = s->key.data;
        return strncmp(v, "3.0.", 4) == 0 || strcmp(v, "3.0") == 0 ? ACT_OK : BAIL;
    }
    if (strcmp(s->key.data, "paths") == 0) {
        t->paths = 1;
        return members(s, paths_member, &t->id);
    }
    return skip_value(s);
}

enum act_status act_spec_ids_skim(const char *text, size_t len, struct act_spec_ids *out)
{
    struct skim s = {text, text + len, {0}, {0}, out};
    struct top_state t = {0, 0, {0}};
    enum act_status st;
    memset(out, 0, sizeof(*out));
    act_buf_init(&s.key);
    act_buf_init(&s.path);
    act_buf_init(&t.id);
    s.p += act_text_bom(text, len);
    st = members(&s, top_member, &t);
    ws(&s);
    if (!st && (s.p != s.end || !t.openapi || !t.paths))
        st = BAIL;
    act_buf_release(&s.key);
    act_buf_release(&s.path);
    act_buf_release(&t.id);
    if (st)
        act_spec_ids_free(out);
    else
        out->skimmed = 1;
    return st;
}

enum act_status act_spec_ids_add(struct act_spec_ids *ids, const char *id, size_t len)
{
    if (ACT_GROW(ids->v, ids->cap, ids->n + 1, 16))
        return ACT_ERR_NOMEM;
    char *copy = act_malloc(len + 1);
    if (!copy)
        return ACT_ERR_NOMEM;
    memcpy(copy, id, len);
    copy[len] = '\0';
    ids->v[ids->n++] = copy;
    return ACT_OK;
}

void act_spec_ids_free(struct act_spec_ids *ids)
{
    for (size_t i = 0; i < ids->n; i++)
        act_free(ids->v[i]);
    act_free(ids->v);
    memset(ids, 0, sizeof(*ids));
}

/* Skim the JSON file at path, mapped rather than read (a 13 MB spec is not copied);
 * BAIL when it is not a JSON regular file the loader would read. */
static enum act_status skim_file(const char *path, struct act_spec_ids *out)
{
    struct stat sb;
    enum act_status st = BAIL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return BAIL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        sb.st_size <= act_doc_max_bytes()) {
        size_t len = (size_t)sb.st_size;
        const char *text = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (text != MAP_FAILED) {
            if (act_doc_detect(path, text, len) == ACT_DOC_JSON)
                st = act_spec_ids_skim(text, len, out);
            munmap((void *)text, len);
        }
    }
    close(fd);
    return st;
}

enum act_status act_spec_ids_load(const char *path, struct act_spec_ids *out)
{
    struct act_error err;
    enum act_status st = skim_file(path, out);
    if (st != BAIL)
        return st;
    memset(out, 0, sizeof(*out));
    act_error_init(&err);
    struct act_spec *spec = NULL;
    /* a library: name or a release file: the released ids */
    if ((st = act_spec_load_name(path, 0, &spec, &err)))
        return st;
    for (size_t i = 0; !st && i < spec->n_ops; i++)
        st = act_spec_ids_add(out, spec->ops[i].id, strlen(spec->ops[i].id));
    act_spec_free(spec);
    if (st)
        act_spec_ids_free(out);
    return st;
}
