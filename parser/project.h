/*
 * project.h - the project file (actions.yaml / actions.json).
 *
 * Keys: project (name), version, spec (path, or library:PROJECT@VERSION for a
 * published release, kept as written), actions (operationIds
 * exposed; omitted = all), destinations and connector (paths), csrf (true, or
 * {fetch: PATH}), processes (Arazzo files `actions run` runs when given no
 * FILE, each a path or {file: PATH, destinations: {SOURCE: NAME}}), refMap (URL
 * prefix -> directory, as --ref-map). Paths are relative to the project file's
 * directory and are returned resolved. Unknown keys are errors: a typo must not be
 * ignored.
 */
#ifndef ACT_PARSER_PROJECT_H
#define ACT_PARSER_PROJECT_H

#include <cjson/cJSON.h>

#include "common/act_error.h"
#include "parser/doc.h"

/* One entry of `processes:`. */
struct act_project_process {
    char *file;                /* the Arazzo file, resolved against the project file (owned) */
    const char *written;       /* the path as written in the project file */
    const cJSON *destinations; /* object SOURCE -> destination name, or NULL */
};

struct act_project {
    struct act_doc *doc;  /* the project file (owned) */
    const char *name;     /* project, or NULL */
    const char *version;  /* version, or NULL */
    char *spec;           /* spec path resolved against the file's directory, a library:
                           * name as written, or NULL */
    const cJSON *actions; /* array of operationId strings, or NULL for all */
    char *destinations;   /* destinations path, resolved, or NULL */
    char *connector;      /* connector path, resolved, or NULL */
    const cJSON *csrf;    /* csrf setting as written, or NULL */
    struct act_project_process *processes; /* processes, in order (owned), or NULL */
    size_t n_processes;
    const cJSON *ref_map; /* refMap: URL prefix -> directory (strings, as written), or NULL */
};

/* path (as written in the project file) relative to its directory: a new string, or NULL
 * when out of memory. */
char *act_project_resolve(const struct act_project *p, const char *path);

/*
 * Look for actions.yaml, then actions.json, in dir and each parent up to the
 * root. *out is a new path (free with act_free) or NULL when there is none
 * (then ACT_ERR_NOTFOUND).
 */
enum act_status act_project_find(const char *dir, char **out) ACT_WUR;

/* Load and check a project file. *out: free with act_project_free. */
enum act_status act_project_load(const char *path, struct act_project **out,
                                 struct act_error *err) ACT_WUR;
void act_project_free(struct act_project *p);

#endif
