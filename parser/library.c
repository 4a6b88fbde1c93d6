/*
 * library.c - semantic versions, release files, atomic writes (and the temporary
 * files an interrupted one leaves), the library directory, and a release as a spec
 * (library.h). Every reader of a release goes through release_lacks (its members),
 * and every release that becomes a spec through release_spec_take (its "spec" tree,
 * its "actions" checked and kept by in_release).
 */
#include "library.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "common/act_sha256.h"
#include "jcs.h"

/* ------------------------------------------------------------------ semver */

static int is_alnum_dash(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* A numeric identifier at *p (no leading zero); advances *p. */
static int numeric(const char **p)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return 0;
    if (*s == '0' && s[1] >= '0' && s[1] <= '9')
        return 0;
    while (*s >= '0' && *s <= '9')
        s++;
    *p = s;
    return 1;
}

/* Dot-separated identifiers up to end or stop; numeric ones without leading zeros when
 * strict (pre-release). */
static int identifiers(const char **p, int strict)
{
    const char *s = *p;
    for (;;) {
        const char *start = s;
        int digits = 1;
        while (is_alnum_dash(*s)) {
            if (*s < '0' || *s > '9')
                digits = 0;
            s++;
        }
        if (s == start)
            return 0;
        if (strict && digits && *start == '0' && s - start > 1)
            return 0;
        if (*s != '.')
            break;
        s++;
    }
    *p = s;
    return 1;
}

int act_semver_valid(const char *s)
{
    if (!s || !numeric(&s) || *s++ != '.' || !numeric(&s) || *s++ != '.' || !numeric(&s))
        return 0;
    if (*s == '-') {
        s++;
        if (!identifiers(&s, 1))
            return 0;
    }
    if (*s == '+') {
        s++;
        if (!identifiers(&s, 0))
            return 0;
    }
    return *s == '\0';
}

/* Compare the numeric strings a[0..na) and b[0..nb) (no leading zeros). */
static int cmp_num(const char *a, size_t na, const char *b, size_t nb)
{
    if (na != nb)
        return na < nb ? -1 : 1;
    int c = memcmp(a, b, na);
    return c < 0 ? -1 : c > 0;
}

static size_t span_digits(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

int act_semver_cmp(const char *a, const char *b)
{
    for (int i = 0; i < 3; i++) {
        size_t na = span_digits(a), nb = span_digits(b);
        int c = cmp_num(a, na, b, nb);
        if (c)
            return c;
        a += na;
        b += nb;
        if (i < 2)
            a++, b++;
    }
    /* a pre-release has lower precedence than the release itself */
    int pa = *a == '-', pb = *b == '-';
    if (!pa || !pb)
        return pa == pb ? 0 : pa ? -1 : 1;
    a++, b++;
    for (;;) {
        size_t la = strcspn(a, ".+"), lb = strcspn(b, ".+");
        int da = la == span_digits(a), db = lb == span_digits(b);
        int c;
        if (da && db)
            c = cmp_num(a, la, b, lb);
        else if (da != db)
            c = da ? -1 : 1; /* numeric identifiers sort before alphanumeric ones */
        else {
            c = memcmp(a, b, la < lb ? la : lb);
            c = c ? (c < 0 ? -1 : 1) : la == lb ? 0 : la < lb ? -1 : 1;
        }
        if (c)
            return c;
        a += la, b += lb;
        int ma = *a == '.', mb = *b == '.';
        if (!ma || !mb)
            return ma == mb ? 0 : ma ? 1 : -1; /* more identifiers: higher */
        a++, b++;
    }
}

int act_release_name_valid(const char *name)
{
    if (!name || !*name || name[0] == '.' || strlen(name) > 200)
        return 0;
    for (const char *p = name; *p; p++)
        if (!is_alnum_dash(*p) && *p != '.' && *p != '_')
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ release */

enum act_status act_release_digest(const cJSON *release, char out[ACT_DIGEST_SIZE])
{
    struct act_buf b;
    act_buf_init(&b);
    out[0] = '\0';
    enum act_status st = act_jcs_append_except(&b, release, "digest");
    if (!st) {
        char hex[ACT_SHA256_HEX];
        act_sha256_hex(b.data, b.len, hex);
        snprintf(out, ACT_DIGEST_SIZE, "sha256:%s", hex);
    }
    act_buf_release(&b);
    return st;
}

const char *act_release_str(const cJSON *release, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(release, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* What release lacks to be a release of ACT_RELEASE_FORMAT ("\"spec\" object", ...), or
 * NULL when it has all of it: the one structural check of a release, wherever it is read. */
static const char *release_lacks(const cJSON *r)
{
    if (!cJSON_IsObject(r) || strcmp(act_release_str(r, "format"), ACT_RELEASE_FORMAT) != 0)
        return "\"format\": \"" ACT_RELEASE_FORMAT "\"";
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r, "spec")))
        return "\"spec\" object";
    if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(r, "actions")))
        return "\"actions\" array";
    if (!*act_release_str(r, "project"))
        return "\"project\"";
    if (!act_semver_valid(act_release_str(r, "version")))
        return "semantic \"version\"";
    if (strncmp(act_release_str(r, "digest"), "sha256:", 7) != 0)
        return "\"digest\"";
    return NULL;
}

/* doc (taken: freed on failure) as a release: *out, or ACT_ERR_INVALID naming what it lacks. */
static enum act_status release_check_take(struct act_doc *doc, struct act_doc **out,
                                          struct act_error *err)
{
    const char *lacks = release_lacks(doc->root);
    if (lacks) {
        act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0, "not a release file: no %s", lacks);
        act_doc_free(doc);
        return ACT_ERR_INVALID;
    }
    *out = doc;
    return ACT_OK;
}

enum act_status act_release_load(const char *path, struct act_doc **out, struct act_error *err)
{
    struct act_doc *doc;
    *out = NULL;
    enum act_status st = act_doc_load(path, ACT_DOC_JSON, &doc, err);
    return st ? st : release_check_take(doc, out, err);
}

int act_release_verify(const cJSON *release, char computed[ACT_DIGEST_SIZE])
{
    if (act_release_digest(release, computed)) {
        computed[0] = '\0';
        return 0;
    }
    return strcmp(computed, act_release_str(release, "digest")) == 0;
}

/* ------------------------------------------------------------------ files */

static enum act_status io_error(struct act_error *err, const char *path, const char *what)
{
    return act_error_set(err, ACT_ERR_IO, path, 0, 0, "cannot %s: %s", what, strerror(errno));
}

enum act_status act_mkdirs(const char *path, struct act_error *err)
{
    char *p = act_strdup(path);
    if (!p)
        return act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            enum act_status st = io_error(err, p, "create the directory");
            act_free(p);
            return st;
        }
        *s = c;
        if (!c)
            break;
    }
    act_free(p);
    return ACT_OK;
}

static void fsync_dir(const char *path)
{
    char *d = act_strdup(path);
    if (!d)
        return;
    char *slash = strrchr(d, '/');
    if (slash)
        *(slash == d ? slash + 1 : slash) = '\0';
    int fd = open(slash ? d : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    act_free(d);
}

/* The temporary file of act_write_atomic for path: ".NAME.tmp-XXXXXX" beside it. */
#define TMP_MARK ".tmp-"
#define TMP_RANDOM 6

static enum act_status temp_template(const char *path, struct act_buf *tmp)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    return act_buf_printf(tmp, "%.*s.%s" TMP_MARK "XXXXXX", (int)(name - path), path, name);
}

int act_atomic_is_temp(const char *name)
{
    size_t len = strlen(name), lm = strlen(TMP_MARK);
    return name[0] == '.' && len > 1 + lm + TMP_RANDOM &&
           strncmp(name + len - TMP_RANDOM - lm, TMP_MARK, lm) == 0;
}

/* A new temporary file for path, created and locked: its fd, or -1 (errno set). The
 * lock is taken after creation, so one that act_atomic_stale removed in between (it
 * found no lock) is seen unlinked and made again. */
static int temp_create(const char *path, struct act_buf *tmp)
{
    for (int tries = 0; tries < 8; tries++) {
        act_buf_reset(tmp);
        if (temp_template(path, tmp)) {
            errno = ENOMEM;
            return -1;
        }
        int fd = mkostemp(tmp->data, O_CLOEXEC);
        if (fd < 0)
            return -1;
        struct stat sb;
        if (flock(fd, LOCK_EX) == 0 && fstat(fd, &sb) == 0 && sb.st_nlink > 0)
            return fd;
        close(fd);
    }
    errno = EAGAIN;
    return -1;
}

enum act_status act_write_atomic(const char *path, const void *data, size_t len, int replace,
                                 int kill_before_rename, struct act_error *err)
{
    struct act_buf tmp;
    enum act_status st = ACT_OK;
    act_buf_init(&tmp);
    int fd = temp_create(path, &tmp);
    if (fd < 0) {
        st = errno == ENOMEM ? act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory")
                             : io_error(err, path, "create a temporary file beside it");
        act_buf_release(&tmp);
        return st;
    }
    (void)fchmod(fd, 0644);
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            st = io_error(err, tmp.data, "write");
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!st && fsync(fd) != 0)
        st = io_error(err, tmp.data, "sync");
    /* killed here, the temporary file stays, still marked ours by the lock until the
     * process is gone; act_atomic_stale finds it then */
    if (!st && kill_before_rename)
        raise(SIGKILL);
    if (!st && replace && rename(tmp.data, path) != 0)
        st = io_error(err, path, "rename the temporary file to");
    if (!st && !replace && link(tmp.data, path) != 0) {
        if (errno == EEXIST)
            st = act_error_set(err, ACT_ERR_INVALID, path, 0, 0,
                               "already exists (it is never overwritten)");
        else
            st = io_error(err, path, "create");
    }
    if (st || !replace)
        unlink(tmp.data);
    if (close(fd) != 0 && !st)
        st = io_error(err, path, "write");
    if (!st)
        fsync_dir(path);
    act_buf_release(&tmp);
    return st;
}

enum act_status act_atomic_stale(const char *dir, int remove, char ***out, size_t *n)
{
    char **v = NULL;
    size_t nv = 0, cap = 0;
    enum act_status st = ACT_OK;
    struct act_buf path;
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT || errno == ENOTDIR ? ACT_OK : ACT_ERR_IO;
    act_buf_init(&path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!act_atomic_is_temp(e->d_name))
            continue;
        act_buf_reset(&path);
        if ((st = act_buf_printf(&path, "%s/%s", dir, e->d_name)))
            break;
        int fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            continue; /* gone meanwhile: its writer finished */
        /* a writer holds the lock until its file has its final name: a lock we get
         * belongs to no one alive */
        int stale = flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (stale && remove && unlink(path.data) != 0)
            stale = 0;
        close(fd);
        if (!stale)
            continue;
        char *name = act_strdup(e->d_name);
        if (!name || ACT_GROW(v, cap, nv + 1, 4)) {
            act_free(name);
            st = ACT_ERR_NOMEM;
            break;
        }
        v[nv++] = name;
    }
    closedir(d);
    act_buf_release(&path);
    if (st) {
        act_release_names_free(v, nv);
        return st;
    }
    *out = v;
    *n = nv;
    return ACT_OK;
}

/* ------------------------------------------------------------------ library */

enum act_status act_library_dir(struct act_buf *out)
{
    const char *lib = getenv("ACTIONS_LIBRARY");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    act_buf_reset(out);
    if (lib && *lib)
        return act_buf_adds(out, lib);
    if (xdg && xdg[0] == '/')
        return act_buf_printf(out, "%s/actions/library", xdg);
    return act_buf_printf(out, "%s/.local/share/actions/library", home && *home ? home : ".");
}

void act_release_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        act_free(names[i]);
    act_free(names);
}

static int cmp_versions(const void *a, const void *b)
{
    int c = act_semver_cmp(*(char *const *)a, *(char *const *)b);
    return c ? c : strcmp(*(char *const *)a, *(char *const *)b);
}

enum act_status act_release_versions(const char *dir, const char *prefix, char ***out, size_t *n)
{
    char **v = NULL;
    size_t nv = 0, cap = 0;
    size_t lp = strlen(prefix);
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT || errno == ENOTDIR ? ACT_OK : ACT_ERR_IO;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= lp + 5 || strncmp(e->d_name, prefix, lp) != 0 ||
            strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char *ver = act_malloc(len - lp - 4);
        if (!ver || ACT_GROW(v, cap, nv + 1, 8)) {
            act_free(ver);
            closedir(d);
            act_release_names_free(v, nv);
            return ACT_ERR_NOMEM;
        }
        memcpy(ver, e->d_name + lp, len - lp - 5);
        ver[len - lp - 5] = '\0';
        if (!act_semver_valid(ver)) {
            act_free(ver);
            continue;
        }
        v[nv++] = ver;
    }
    closedir(d);
    if (nv)
        qsort(v, nv, sizeof(*v), cmp_versions);
    *out = v;
    *n = nv;
    return ACT_OK;
}

enum act_status act_library_resolve(const char *name, struct act_buf *path, struct act_error *err)
{
    char echo[ACT_ECHO_SIZE];
    struct act_buf lib, proj;
    enum act_status st;
    const char *full = name;
    if (strncmp(name, ACT_LIBRARY_PREFIX, strlen(ACT_LIBRARY_PREFIX)) == 0)
        name += strlen(ACT_LIBRARY_PREFIX);
    act_echo(echo, sizeof(echo), full, strlen(full));
    const char *at = strchr(name, '@');
    const char *version = at ? at + 1 : "latest";
    act_buf_init(&lib);
    act_buf_init(&proj);
    if ((st = act_buf_add(&proj, name, at ? (size_t)(at - name) : strlen(name))) ||
        (st = act_library_dir(&lib)))
        goto nomem;
    if (!act_release_name_valid(proj.data) ||
        (strcmp(version, "latest") != 0 && !act_semver_valid(version))) {
        st = act_error_set(err, ACT_ERR_USAGE, full, 0, 0,
                           "bad library name \"%s\": expected library:PROJECT@VERSION (a "
                           "semantic version, or latest)",
                           echo);
        goto out;
    }
    size_t lib_len = lib.len;
    if ((st = act_buf_printf(&lib, "/%s", proj.data)))
        goto nomem;
    char **v;
    size_t n;
    st = act_release_versions(lib.data, "", &v, &n);
    if (st == ACT_ERR_NOMEM)
        goto nomem;
    if (st || n == 0) {
        /* the error's file is the name itself: the message does not repeat it */
        st = act_error_set(err, ACT_ERR_NOTFOUND, full, 0, 0,
                           "project \"%s\" is not in the library %.*s (see: actions library "
                           "list; actions publish VERSION adds a release)",
                           proj.data, (int)lib_len, lib.data);
        goto out;
    }
    const char *pick = NULL;
    if (strcmp(version, "latest") == 0)
        pick = v[n - 1];
    for (size_t i = 0; !pick && i < n; i++)
        if (strcmp(v[i], version) == 0)
            pick = v[i];
    if (!pick) {
        struct act_buf list;
        act_buf_init(&list);
        for (size_t i = 0; i < n; i++)
            if (act_buf_printf(&list, "%s%s", i ? ", " : "", v[i]))
                break;
        st = act_error_set(err, ACT_ERR_NOTFOUND, full, 0, 0,
                           "version %s of \"%s\" is not in the library (published: %s)", version,
                           proj.data, list.data);
        act_buf_release(&list);
        act_release_names_free(v, n);
        goto out;
    }
    act_buf_reset(path);
    st = act_buf_printf(path, "%s/%s.json", lib.data, pick);
    act_release_names_free(v, n);
    if (st)
        goto nomem;
    goto out;
nomem:
    st = act_error_set(err, ACT_ERR_NOMEM, full, 0, 0, "out of memory");
out:
    act_buf_release(&lib);
    act_buf_release(&proj);
    return st;
}

/* ------------------------------------------------------------------ release as a spec */

/* The one test of "is op released": its id is among the release's "actions". */
static int in_release(const struct act_op *op, void *arg)
{
    for (const cJSON *a = ((const cJSON *)arg)->child; a; a = a->next)
        if (strcmp(act_release_str(a, "id"), op->id) == 0)
            return 1;
    return 0;
}

/* ACT_OK when the digest recorded in the release rel matches its content; else an error
 * naming both (the file was changed after `actions release` wrote it). */
static enum act_status release_check_digest(const struct act_doc *rel, struct act_error *err)
{
    char computed[ACT_DIGEST_SIZE];
    if (act_release_digest(rel->root, computed) == ACT_ERR_NOMEM)
        return act_error_set(err, ACT_ERR_NOMEM, rel->path, 0, 0, "out of memory");
    if (strcmp(computed, act_release_str(rel->root, "digest")) != 0)
        return act_error_set(err, ACT_ERR_INVALID, rel->path, 0, 0,
                             "the release's digest does not match its content (recorded %s, "
                             "computed %s): the file was changed after it was released",
                             act_release_str(rel->root, "digest"), computed);
    return ACT_OK;
}

/*
 * The one way a release becomes a spec: rel (a checked release, taken) gives its "spec"
 * tree to a document named name (no second serialization and parse), which loads as a
 * spec; every entry of "actions" must name an operation of it, and the spec keeps those.
 */
static enum act_status release_spec_take(struct act_doc *rel, const char *name, int flags,
                                         struct act_spec **out, struct act_error *err)
{
    struct act_doc *doc = NULL;
    enum act_status st = act_doc_parse(name, "{}", 2, ACT_DOC_JSON, &doc, err);
    if (!st && rel->canon && !(doc->canon = act_strdup(rel->canon))) {
        act_doc_free(doc);
        st = act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    if (st) {
        act_doc_free(rel);
        return st;
    }
    cJSON_Delete(doc->root);
    doc->root =
        cJSON_DetachItemViaPointer(rel->root, cJSON_GetObjectItemCaseSensitive(rel->root, "spec"));
    const cJSON *actions = cJSON_GetObjectItemCaseSensitive(rel->root, "actions");
    if ((st = act_spec_load_doc_take(doc, flags, out, err)))
        goto out;
    for (const cJSON *a = actions->child; a; a = a->next) {
        const char *id = act_release_str(a, "id");
        if (!act_spec_find_op(*out, id)) {
            char echo[ACT_ECHO_SIZE];
            st = act_error_set(err, ACT_ERR_INVALID, rel->path, 0, 0,
                               "release lists action \"%s\", which is not in its spec",
                               act_echo(echo, sizeof(echo), id, strlen(id)));
            act_spec_free(*out);
            *out = NULL;
            goto out;
        }
    }
    act_spec_retain(*out, in_release, (void *)actions);
    (*out)->is_release = 1;
out:
    act_doc_free(rel);
    return st;
}

enum act_status act_spec_load_release(const char *path, int flags, struct act_spec **out,
                                      int *is_release, struct act_error *err)
{
    struct act_doc *doc, *rel;
    *out = NULL;
    if (is_release)
        *is_release = 0;
    enum act_status st = act_doc_load(path, ACT_DOC_AUTO, &doc, err);
    if (st)
        return st;
    const char *format = act_release_str(doc->root, "format");
    if (strncmp(format, "actions-release/", 16) != 0)
        return act_spec_load_doc_take(doc, flags, out, err);
    if (is_release)
        *is_release = 1;
    if (strcmp(format, ACT_RELEASE_FORMAT) != 0) {
        char echo[ACT_ECHO_SIZE];
        st =
            act_error_set(err, ACT_ERR_UNSUPPORTED, doc->path, 0, 0,
                          "unsupported release format \"%s\" (this tool reads %s)",
                          act_echo(echo, sizeof(echo), format, strlen(format)), ACT_RELEASE_FORMAT);
        act_doc_free(doc);
        return st;
    }
    if ((st = release_check_take(doc, &rel, err)))
        return st;
    if ((st = release_check_digest(rel, err))) {
        act_doc_free(rel);
        return st;
    }
    return release_spec_take(rel, rel->path, flags, out, err);
}

enum act_status act_library_load_spec(const char *name, int flags, struct act_spec **out,
                                      struct act_error *err)
{
    struct act_buf path, label;
    struct act_doc *rel = NULL;
    enum act_status st;
    *out = NULL;
    act_buf_init(&path);
    act_buf_init(&label);
    if ((st = act_library_resolve(name, &path, err)) ||
        (st = act_release_load(path.data, &rel, err)))
        goto out;
    if ((st = release_check_digest(rel, err)))
        goto out;
    if (act_buf_printf(&label, ACT_LIBRARY_PREFIX "%s@%s", act_release_str(rel->root, "project"),
                       act_release_str(rel->root, "version"))) {
        st = act_error_set(err, ACT_ERR_NOMEM, name, 0, 0, "out of memory");
        goto out;
    }
    st = release_spec_take(rel, label.data, flags, out, err);
    rel = NULL;
out:
    act_doc_free(rel);
    act_buf_release(&path);
    act_buf_release(&label);
    return st;
}

enum act_status act_spec_load_name(const char *name, int flags, struct act_spec **out,
                                   struct act_error *err)
{
    if (strncmp(name, ACT_LIBRARY_PREFIX, strlen(ACT_LIBRARY_PREFIX)) == 0)
        return act_library_load_spec(name, flags, out, err);
    return act_spec_load_release(name, flags, out, NULL, err);
}
