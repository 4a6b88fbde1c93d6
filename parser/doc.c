/*
 * doc.c - reading a file into a struct act_doc (see doc.h): limits and refusals,
 * format detection, the one constructor every loader builds its document through
 * (the whole parse, the partial parse of doc_sparse.c, the instance parse of
 * json_fast.c), the canonical path (one realpath per file), and positions with
 * their caches (struct act_doc_positions, doc_int.h).
 */
#include "doc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "common/act_arena.h"
#include "common/act_limits.h"
#include "doc_int.h"
#include "doc_json.h"
#include "doc_sparse.h"
#include "doc_yaml.h"
#include "doc_yaml_index.h"
#include "json_fast.h"
#include "pointer.h"
#include "srcmap.h"
#include "text.h"

/* Positions asked of one document before act_doc_locate indexes all of it. */
#define ACT_LOCATE_INDEX_AFTER 8

long act_doc_max_bytes(void)
{
    const char *s = getenv("ACTIONS_MAX_FILE_BYTES");
    if (s && *s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*end == '\0' && v > 0)
            return v;
    }
    return ACT_MAX_FILE_BYTES;
}

enum act_doc_format act_doc_detect(const char *name, const char *text, size_t len)
{
    const char *dot = strrchr(name, '.');
    if (dot && strcmp(dot, ".json") == 0)
        return ACT_DOC_JSON;
    if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        return ACT_DOC_YAML;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    return i < len && (text[i] == '{' || text[i] == '[') ? ACT_DOC_JSON : ACT_DOC_YAML;
}

/* The constructor: a document named name holding text (len bytes, NUL-terminated,
 * owned by the new doc on success, freed on failure) in format fmt (AUTO: detected)
 * and no tree yet. */
static enum act_status doc_new(const char *name, char *text, size_t len, enum act_doc_format fmt,
                               struct act_doc **out, struct act_error *err)
{
    struct act_doc *doc = act_calloc(1, sizeof(*doc));
    if (doc)
        doc->path = act_strdup(name);
    if (!doc || !doc->path) {
        act_free(doc);
        act_free(text);
        return act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    doc->text = text;
    doc->len = len;
    doc->format = fmt == ACT_DOC_AUTO ? act_doc_detect(name, text, len) : fmt;
    *out = doc;
    return ACT_OK;
}

/* Parse doc's text whole into its tree; frees doc on failure. */
static enum act_status parse_whole(struct act_doc *doc, struct act_error *err)
{
    const char *name = doc->path;
    enum act_status st = doc->format == ACT_DOC_JSON
                             ? act_json_parse(name, doc->text, doc->len, &doc->root, err)
                             : act_yaml_parse(name, doc->text, doc->len, &doc->root, err);
    if (st) {
        if (st == ACT_ERR_NOMEM)
            act_error_set(err, st, name, 0, 0, "out of memory");
        act_doc_free(doc);
    }
    return st;
}

/* A document of text parsed whole (text owned by the new doc on success, freed on failure). */
static enum act_status doc_from_text(const char *name, char *text, size_t len,
                                     enum act_doc_format fmt, struct act_doc **out,
                                     struct act_error *err)
{
    struct act_doc *doc;
    enum act_status st = doc_new(name, text, len, fmt, &doc, err);
    if (st || (st = parse_whole(doc, err)))
        return st;
    *out = doc;
    return ACT_OK;
}

enum act_status act_doc_parse(const char *name, const char *text, size_t len,
                              enum act_doc_format fmt, struct act_doc **out, struct act_error *err)
{
    *out = NULL;
    char *copy = act_malloc(len + 1);
    if (!copy)
        return act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    return doc_from_text(name, copy, len, fmt, out, err);
}

/* What a file that is not a regular one is, for messages. */
static const char *file_kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    return "not a file";
}

enum act_status act_file_open(const char *path, int *fd_out, size_t *size, struct act_error *err)
{
    /* O_NONBLOCK: opening a FIFO with no writer, or some devices, would block here
     * before fstat could tell what it is. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    *fd_out = -1;
    *size = 0;
    if (fd < 0)
        return act_error_set(err, ACT_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return act_error_set(err, ACT_ERR_IO, path, 0, 0, "cannot read: %s", strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return act_error_set(err, ACT_ERR_IO, path, 0, 0, "is a directory, not a file");
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return act_error_set(err, ACT_ERR_IO, path, 0, 0, "is not a regular file (%s)",
                             file_kind(sb.st_mode));
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags != -1)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    *fd_out = fd;
    *size = (size_t)sb.st_size;
    return ACT_OK;
}

/* act_file_open, and refuse files over act_doc_max_bytes. */
static enum act_status open_regular(const char *path, int *fd_out, size_t *size,
                                    struct act_error *err)
{
    int fd;
    enum act_status st = act_file_open(path, &fd, size, err);
    if (st)
        return st;
    long max = act_doc_max_bytes();
    if (*size > (size_t)max) {
        close(fd);
        return act_error_set(err, ACT_ERR_LIMIT, path, 0, 0,
                             "file too large: %zu bytes (limit %ld, set ACTIONS_MAX_FILE_BYTES "
                             "to raise it)",
                             *size, max);
    }
    *fd_out = fd;
    return ACT_OK;
}

/* Read up to size bytes of fd into t; *got is what was there (a file that shrank
 * while we read gives what is left). Closes fd. */
static enum act_status read_all(const char *path, int fd, char *t, size_t size, size_t *got,
                                struct act_error *err)
{
    size_t n = 0;
    while (n < size) {
        ssize_t r = read(fd, t + n, size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            return act_error_set(err, ACT_ERR_IO, path, 0, 0, "cannot read: %s", strerror(e));
        }
        if (r == 0)
            break; /* the file shrank while we read it: use what is there */
        n += (size_t)r;
    }
    close(fd);
    t[n] = '\0';
    *got = n;
    return ACT_OK;
}

enum act_status act_file_read(const char *path, char **text, size_t *len, struct act_error *err)
{
    int fd;
    size_t size;
    *text = NULL;
    *len = 0;
    enum act_status st = open_regular(path, &fd, &size, err);
    if (st)
        return st;
    char *t = act_malloc(size + 1);
    if (!t) {
        close(fd);
        return act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    if ((st = read_all(path, fd, t, size, len, err))) {
        act_free(t);
        return st;
    }
    *text = t;
    return ACT_OK;
}

/* A document loaded from path gets its canonical path (its identity for $refs: canon
 * when the caller resolved it already, else realpath's) and goes to *out; freed when
 * that fails. */
static enum act_status finish_load(struct act_doc *doc, const char *path, const char *canon,
                                   struct act_doc **out, struct act_error *err)
{
    char resolved[PATH_MAX];
    if (!canon)
        canon = realpath(path, resolved) ? resolved : path;
    doc->canon = act_strdup(canon);
    if (!doc->canon) {
        act_doc_free(doc);
        return act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    *out = doc;
    return ACT_OK;
}

enum act_status act_doc_load_canon(const char *path, const char *canon, enum act_doc_format fmt,
                                   struct act_doc **out, struct act_error *err)
{
    char *text;
    size_t got;
    *out = NULL;
    enum act_status st = act_file_read(path, &text, &got, err);
    if (st)
        return st;
    struct act_doc *doc = NULL;
    if ((st = doc_from_text(path, text, got, fmt, &doc, err)))
        return st;
    return finish_load(doc, path, canon, out, err);
}

enum act_status act_doc_load(const char *path, enum act_doc_format fmt, struct act_doc **out,
                             struct act_error *err)
{
    return act_doc_load_canon(path, NULL, fmt, out, err);
}

enum act_status act_doc_load_part(const char *path, const char *pointer, struct act_doc **out,
                                  struct act_error *err)
{
    char *text;
    size_t got;
    struct act_doc *doc;
    *out = NULL;
    enum act_status st = act_file_read(path, &text, &got, err);
    if (st || (st = doc_new(path, text, got, ACT_DOC_AUTO, &doc, err)))
        return st;
    if (doc->format == ACT_DOC_JSON &&
        (st = act_json_parse_part(path, doc->text, doc->len, pointer, &doc->root))) {
        act_doc_free(doc);
        return act_error_set(err, st, path, 0, 0, "out of memory");
    }
    if (!doc->root && (st = parse_whole(doc, err)))
        return st; /* not a text the partial parse takes: the whole one reports why */
    return finish_load(doc, path, NULL, out, err);
}

/* ---- instances: text and tree in one arena ---------------------------------------------- */

/* An instance document named name with an arena whose first block holds the
 * text (size bytes) and, usually, its tree: the tree of a typical document takes
 * one to two and a half times its text, and untouched room costs address space,
 * not memory. Beyond INSTANCE_TREE_GUESS_MAX the arena grows by further blocks. */
#define INSTANCE_TREE_GUESS_MAX ((size_t)512 << 20)

static enum act_status instance_new(const char *name, size_t size, struct act_doc **out,
                                    struct act_error *err)
{
    struct act_doc *doc = act_calloc(1, sizeof(*doc));
    if (doc)
        doc->arena = act_calloc(1, sizeof(*doc->arena));
    if (doc && doc->arena) {
        size_t guess = size < INSTANCE_TREE_GUESS_MAX / 2 ? 2 * size : INSTANCE_TREE_GUESS_MAX;
        act_arena_init(doc->arena, size + 1 + guess + ((size_t)64 << 10));
        doc->text = act_arena_alloc(doc->arena, size + 1);
        doc->path = act_strdup(name);
    }
    if (!doc || !doc->arena || !doc->text || !doc->path) {
        act_doc_free(doc);
        return act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    doc->format = ACT_DOC_JSON;
    *out = doc;
    return ACT_OK;
}

static enum act_status instance_parse(struct act_doc *doc, struct act_error *err)
{
    return act_json_fast_parse(doc->path, doc->text, doc->len, doc->arena, &doc->root, err);
}

enum act_status act_doc_parse_instance(const char *name, const char *text, size_t len,
                                       struct act_doc **out, struct act_error *err)
{
    struct act_doc *doc;
    *out = NULL;
    enum act_status st = instance_new(name, len, &doc, err);
    if (st)
        return st;
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;
    if ((st = instance_parse(doc, err))) {
        act_doc_free(doc);
        return st;
    }
    *out = doc;
    return ACT_OK;
}

enum act_status act_doc_load_instance(const char *path, struct act_doc **out, struct act_error *err)
{
    struct act_doc *doc;
    int fd;
    size_t size;
    *out = NULL;
    enum act_status st = open_regular(path, &fd, &size, err);
    if (st)
        return st;
    if ((st = instance_new(path, size, &doc, err))) {
        close(fd);
        return st;
    }
    if ((st = read_all(path, fd, doc->text, size, &doc->len, err)) ||
        (st = instance_parse(doc, err))) {
        act_doc_free(doc);
        return st;
    }
    return finish_load(doc, path, NULL, out, err);
}

/* Offsets where each line starts: positions of many messages cost a binary
 * search each instead of a scan of the file. */
struct act_lines {
    size_t *start; /* start[i] = offset of line i + 1 */
    size_t n;      /* lines */
};

/* doc's position caches, made on the first position asked for; NULL when out of memory.
 * The caches are not part of the document's value: filling them through a const
 * pointer is safe (single-threaded, owned by doc). */
static struct act_doc_positions *positions_of(const struct act_doc *doc)
{
    if (!doc->positions)
        ((struct act_doc *)doc)->positions = act_calloc(1, sizeof(*doc->positions));
    return doc->positions;
}

static struct act_lines *lines_of(struct act_doc_positions *pos, const struct act_doc *doc)
{
    if (pos->lines)
        return pos->lines;
    struct act_lines *l = act_calloc(1, sizeof(*l));
    size_t n = 1;
    for (const char *p = doc->text; (p = memchr(p, '\n', doc->len - (size_t)(p - doc->text))); p++)
        n++;
    if (l)
        l->start = act_malloc(n * sizeof(*l->start));
    if (!l || !l->start) {
        act_free(l);
        return NULL;
    }
    l->start[l->n++] = 0;
    for (const char *p = doc->text; (p = memchr(p, '\n', doc->len - (size_t)(p - doc->text))); p++)
        l->start[l->n++] = (size_t)(p - doc->text) + 1;
    pos->lines = l;
    return l;
}

static void position(struct act_doc_positions *pos, const struct act_doc *doc, size_t off,
                     int *line, int *col)
{
    struct act_lines *l = lines_of(pos, doc);
    if (!l) {
        act_text_position(doc->text, doc->len, off, line, col);
        return;
    }
    size_t lo = 0, hi = l->n; /* the last line start <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    int c = 1;
    for (size_t i = l->start[lo]; i < off && i < doc->len; i++)
        if (((unsigned char)doc->text[i] & 0xC0) != 0x80)
            c++;
    *line = (int)lo + 1;
    *col = c;
}

void act_doc_free(struct act_doc *doc)
{
    if (!doc)
        return;
    if (doc->positions) {
        if (doc->positions->lines)
            act_free(doc->positions->lines->start);
        act_free(doc->positions->lines);
        act_json_index_free(doc->positions->index);
        act_yaml_index_free(doc->positions->yaml_index);
        act_free(doc->positions);
    }
    if (doc->arena) {
        act_arena_release(doc->arena); /* the text and every node */
        act_free(doc->arena);
    } else {
        cJSON_Delete(doc->root);
        act_free(doc->text);
    }
    act_srcmap_free(doc->srcmap);
    act_free(doc->path);
    act_free(doc->canon);
    act_free(doc);
}

static int locate(const struct act_doc *doc, const cJSON *root, const char *pointer, int *line,
                  int *col);

/* A translated document: the pointer rewritten into the source, then the nearest
 * node the source has on its way. */
static int locate_mapped(const struct act_doc *doc, const char *pointer, int *line, int *col)
{
    struct act_buf b;
    int found = 0;
    act_buf_init(&b);
    if (act_srcmap_lookup(doc->srcmap, pointer, &b) == ACT_OK) {
        const cJSON *src = act_srcmap_source(doc->srcmap);
        for (;;) {
            if ((found = locate(doc, src, b.data, line, col)) != 0 || b.len == 0)
                break;
            char *slash = strrchr(b.data, '/');
            b.len = slash ? (size_t)(slash - b.data) : 0;
            b.data[b.len] = '\0';
        }
    }
    act_buf_release(&b);
    return found;
}

int act_doc_locate(const struct act_doc *doc, const char *pointer, int *line, int *col)
{
    if (!doc || !pointer)
        return 0;
    if (doc->srcmap)
        return locate_mapped(doc, pointer, line, col);
    return locate(doc, doc->root, pointer, line, col);
}

/* act_doc_locate of pointer into root, the tree of doc's text. */
static int locate(const struct act_doc *doc, const cJSON *root, const char *pointer, int *line,
                  int *col)
{
    /* Each lookup rescans the text up to the node; after a few, one walk indexes every
     * node instead. */
    struct act_doc_positions *d = positions_of(doc);
    if (!d) {
        size_t off;
        if (doc->format != ACT_DOC_JSON)
            return act_yaml_locate(doc->text, doc->len, pointer, line, col);
        if (!act_json_locate(doc->text, doc->len, pointer, &off))
            return 0;
        act_text_position(doc->text, doc->len, off, line, col);
        return 1;
    }
    if (doc->format == ACT_DOC_JSON) {
        size_t off;
        if (!d->index && !d->no_index && ++d->locates > ACT_LOCATE_INDEX_AFTER) {
            d->index = act_json_index_build(doc->text, doc->len, root);
            d->no_index = !d->index;
        }
        if (d->index) {
            if (!act_json_index_get(d->index, act_pointer_get(root, pointer), &off))
                return 0;
        } else if (!act_json_locate(doc->text, doc->len, pointer, &off)) {
            return 0;
        }
        position(d, doc, off, line, col);
        return 1;
    }
    if (!d->yaml_index && !d->no_index && ++d->locates > ACT_LOCATE_INDEX_AFTER) {
        d->yaml_index = act_yaml_index_build(doc->text, doc->len);
        d->no_index = !d->yaml_index;
    }
    if (d->yaml_index) {
        int found = act_yaml_index_get(d->yaml_index, pointer, line, col);
        if (found >= 0)
            return found;
    }
    return act_yaml_locate(doc->text, doc->len, pointer, line, col);
}
