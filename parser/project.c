/*
 * project.c - finding and reading the project file.
 */
#include "project.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_limits.h"
#include "parser/library.h"
#include "parser/ref.h"

/* Anything there but a directory is the project file: one that is not a regular
 * file (a FIFO, say) is then refused by name when loaded, not silently passed over. */
static int is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

enum act_status act_project_find(const char *dir, char **out)
{
    static const char *const names[] = {"actions.yaml", "actions.json"};
    char cur[PATH_MAX];
    *out = NULL;
    if (!realpath(dir, cur))
        return ACT_ERR_NOTFOUND;
    for (;;) {
        for (size_t i = 0; i < 2; i++) {
            char cand[PATH_MAX + 16];
            snprintf(cand, sizeof(cand), "%s/%s", strcmp(cur, "/") ? cur : "", names[i]);
            if (is_file(cand)) {
                *out = act_strdup(cand);
                return *out ? ACT_OK : ACT_ERR_NOMEM;
            }
        }
        char *slash = strrchr(cur, '/');
        if (!slash || strcmp(cur, "/") == 0)
            return ACT_ERR_NOTFOUND;
        if (slash == cur)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

void act_project_free(struct act_project *p)
{
    if (!p)
        return;
    act_doc_free(p->doc);
    act_free(p->spec);
    act_free(p->destinations);
    act_free(p->connector);
    for (size_t i = 0; i < p->n_processes; i++)
        act_free(p->processes[i].file);
    act_free(p->processes);
    act_free(p);
}

static enum act_status bad(struct act_error *err, const struct act_doc *doc, const cJSON *node,
                           const char *msg)
{
    if (err && err->status == ACT_OK) {
        act_error_set(err, ACT_ERR_INVALID, doc->path, 0, 0, "%s", msg);
        act_error_at_node(err, doc, node);
    }
    return ACT_ERR_INVALID;
}

/* path relative to the directory of base (unless absolute), as a new string. */
static char *resolve(const char *base, const char *path)
{
    struct act_buf b;
    act_buf_init(&b);
    const char *slash = strrchr(base, '/');
    if (path[0] != '/' && slash && act_buf_add(&b, base, (size_t)(slash - base + 1)))
        return NULL;
    if (act_buf_adds(&b, path)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

/* One `processes:` entry's destinations: an object of non-empty strings. */
static enum act_status process_dests(struct act_project *p, const cJSON *d, struct act_error *err)
{
    if (!cJSON_IsObject(d))
        return bad(err, p->doc, d,
                   "\"destinations\" of a process must map source descriptions to destination "
                   "names ({SOURCE: NAME})");
    for (const cJSON *m = d->child; m; m = m->next)
        if (!cJSON_IsString(m) || !m->valuestring[0])
            return bad(err, p->doc, m,
                       "a process's destination must be a destination name (a string)");
    return ACT_OK;
}

/*
 * `processes:`: a list of Arazzo files, each a path or {file: PATH, destinations:
 * {SOURCE: NAME}}, resolved against the project file into p->processes.
 */
static enum act_status load_processes(struct act_project *p, const char *path, const cJSON *k,
                                      struct act_error *err)
{
    static const char shape[] =
        "\"processes\" entries must be Arazzo file paths or {file: PATH, destinations: "
        "{SOURCE: NAME}}";
    if (!cJSON_IsArray(k))
        return bad(err, p->doc, k, "\"processes\" must be a list of Arazzo files");
    size_t n = (size_t)cJSON_GetArraySize(k);
    if (n && !(p->processes = act_calloc(n, sizeof *p->processes)))
        return act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
    for (const cJSON *e = k->child; e; e = e->next) {
        const cJSON *file = e, *dests = NULL;
        if (cJSON_IsObject(e)) {
            file = NULL;
            for (const cJSON *m = e->child; m; m = m->next) {
                if (strcmp(m->string, "file") == 0) {
                    file = m;
                } else if (strcmp(m->string, "destinations") == 0) {
                    dests = m;
                    if (process_dests(p, m, err))
                        return ACT_ERR_INVALID;
                } else {
                    char echo[ACT_ECHO_SIZE], msg[256];
                    snprintf(msg, sizeof msg,
                             "unknown key \"%s\" in a process (known: file, destinations)",
                             act_echo(echo, sizeof echo, m->string, strlen(m->string)));
                    return bad(err, p->doc, m, msg);
                }
            }
            if (!file)
                return bad(err, p->doc, e, "a process needs \"file\", the Arazzo file's path");
        }
        if (!cJSON_IsString(file) || !file->valuestring[0])
            return bad(err, p->doc, file, shape);
        struct act_project_process *pr = &p->processes[p->n_processes];
        if (!(pr->file = resolve(path, file->valuestring)))
            return act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
        pr->written = file->valuestring;
        pr->destinations = dests;
        p->n_processes++;
    }
    return ACT_OK;
}

char *act_project_resolve(const struct act_project *p, const char *path)
{
    return resolve(p->doc->path, path);
}

enum act_status act_project_load(const char *path, struct act_project **out, struct act_error *err)
{
    struct act_project *p = act_calloc(1, sizeof(*p));
    enum act_status st;
    char msg[256];
    *out = NULL;
    if (!p)
        return act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
    st = act_doc_load(path, ACT_DOC_AUTO, &p->doc, err);
    if (st)
        goto fail;
    const cJSON *root = p->doc->root;
    if (!cJSON_IsObject(root)) {
        st = act_error_set(err, ACT_ERR_INVALID, path, 1, 1, "project file must be a mapping");
        goto fail;
    }
    for (const cJSON *k = root->child; k; k = k->next) {
        const char *key = k->string;
        char **dest = NULL;
        if (strcmp(key, "project") == 0 || strcmp(key, "version") == 0) {
            if (!cJSON_IsString(k) && !cJSON_IsNumber(k)) {
                snprintf(msg, sizeof(msg), "\"%s\" must be a string", key);
                st = bad(err, p->doc, k, msg);
                goto fail;
            }
            if (cJSON_IsString(k))
                *(key[0] == 'p' ? &p->name : &p->version) = k->valuestring;
            continue;
        }
        if (strcmp(key, "spec") == 0)
            dest = &p->spec;
        else if (strcmp(key, "destinations") == 0)
            dest = &p->destinations;
        else if (strcmp(key, "connector") == 0)
            dest = &p->connector;
        if (dest) {
            if (!cJSON_IsString(k) || !k->valuestring[0]) {
                snprintf(msg, sizeof(msg), "\"%s\" must be a path", key);
                st = bad(err, p->doc, k, msg);
                goto fail;
            }
            /* spec: library:PROJECT@VERSION names a published release, not a file */
            *dest = dest == &p->spec && strncmp(k->valuestring, ACT_LIBRARY_PREFIX,
                                                strlen(ACT_LIBRARY_PREFIX)) == 0
                        ? act_strdup(k->valuestring)
                        : resolve(path, k->valuestring);
            if (!*dest) {
                st = act_error_set(err, ACT_ERR_NOMEM, path, 0, 0, "out of memory");
                goto fail;
            }
            continue;
        }
        if (strcmp(key, "actions") == 0) {
            if (!cJSON_IsArray(k)) {
                st = bad(err, p->doc, k, "\"actions\" must be a list of operationIds");
                goto fail;
            }
            for (const cJSON *a = k->child; a; a = a->next)
                if (!cJSON_IsString(a)) {
                    st = bad(err, p->doc, a, "\"actions\" entries must be operationId strings");
                    goto fail;
                }
            p->actions = k;
            continue;
        }
        if (strcmp(key, "refMap") == 0) {
            int ok = cJSON_IsObject(k);
            for (const cJSON *m = ok ? k->child : NULL; m; m = m->next)
                ok &= m->string[0] && cJSON_IsString(m) && m->valuestring[0];
            if (!ok) {
                st = bad(err, p->doc, k, "\"refMap\" must map URL prefixes to directories");
                goto fail;
            }
            p->ref_map = k;
            continue;
        }
        if (strcmp(key, "csrf") == 0) {
            const cJSON *f = cJSON_GetObjectItemCaseSensitive(k, "fetch");
            if (!cJSON_IsBool(k) && !cJSON_IsString(k) &&
                !(cJSON_IsObject(k) && cJSON_IsString(f) && k->child == f && !f->next)) {
                st = bad(err, p->doc, k, "\"csrf\" must be true, false, a path, or {fetch: PATH}");
                goto fail;
            }
            p->csrf = k;
            continue;
        }
        if (strcmp(key, "processes") == 0) {
            if ((st = load_processes(p, path, k, err)))
                goto fail;
            continue;
        }
        char echo[ACT_ECHO_SIZE];
        snprintf(msg, sizeof(msg),
                 "unknown key \"%s\" in project file (known: project, version, spec, actions, "
                 "destinations, connector, csrf, processes, refMap)",
                 act_echo(echo, sizeof(echo), key, strlen(key)));
        st = bad(err, p->doc, k, msg);
        goto fail;
    }
    *out = p;
    return ACT_OK;
fail:
    act_project_free(p);
    return st;
}
