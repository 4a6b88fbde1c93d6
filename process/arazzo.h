/*
 * arazzo.h - an Arazzo 1.0.1 document: its source descriptions, workflows and steps.
 *
 * This module owns the document model of `actions run` and `actions lint` on an
 * Arazzo file: loading it (JSON or YAML, through the parser, so every node has a
 * file:line:column), loading its source descriptions (type openapi through the spec
 * loader, type arazzo as another document; urls relative to the Arazzo document's
 * own location), and resolving what the steps name: operationId (plain, or
 * `$sourceDescriptions.NAME.ID` where NAME is matched against the sources that
 * exist, so dotted ids such as `get.hello` work and an ambiguity is an error),
 * operationPath (`{$sourceDescriptions.NAME.url}#/paths/~1pets/get`), workflowId
 * (in this document or, by expression, in an arazzo source), dependsOn, and
 * `$components.*` references. Runtime values (parameters, payloads, criteria,
 * outputs) stay cJSON nodes of the document; process/workflow.h evaluates them.
 *
 * Everything here is borrowed from the struct act_arazzo and lives until
 * act_arazzo_free.
 */
#ifndef ACT_PROCESS_ARAZZO_H
#define ACT_PROCESS_ARAZZO_H

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stddef.h>

#include "common/act_error.h"
#include "parser/doc.h"
#include "parser/ref.h"
#include "parser/spec.h"

struct act_arazzo;
struct act_arazzo_workflow;

/* One problem found while loading (all of them in lenient mode, for lint). */
struct act_arazzo_diag {
    int is_error;  /* 1 error, 0 warning */
    char *file;    /* the document's path as given (owned) */
    int line;      /* 1-based, 0 when unknown */
    int col;       /* 1-based, 0 when unknown */
    char *pointer; /* JSON Pointer of the node (owned) */
    char *msg;     /* lowercase, no trailing period (owned) */
};

/* A growable list of problems. */
struct act_arazzo_diags {
    struct act_arazzo_diag *v; /* in the order found */
    size_t n;                  /* problems recorded */
    size_t cap;                /* slots allocated */
    size_t errors;             /* how many are errors */
};

enum act_arazzo_src_type {
    ACT_ARAZZO_SRC_OPENAPI, /* an OpenAPI 3.0 description (the default type) */
    ACT_ARAZZO_SRC_ARAZZO,  /* another Arazzo document */
};

/* A Source Description Object. */
struct act_arazzo_source {
    const char *name;              /* its name */
    const char *url;               /* its url as written */
    enum act_arazzo_src_type type; /* openapi or arazzo */
    char *path;                    /* the file it names (owned), or its library: name */
    const cJSON *node;             /* the Source Description Object */
    char *pointer;                 /* its JSON Pointer, "/sourceDescriptions/0" (owned) */
    struct act_spec *spec;         /* openapi: the loaded spec, NULL if it failed (owned) */
    struct act_arazzo *arazzo;     /* arazzo: the loaded document, NULL if it failed (owned) */
};

enum act_arazzo_step_kind {
    ACT_ARAZZO_STEP_OPERATION, /* operationId or operationPath */
    ACT_ARAZZO_STEP_WORKFLOW,  /* workflowId */
    ACT_ARAZZO_STEP_UNRESOLVED /* what it names could not be resolved (lenient mode) */
};

/* A Step Object. */
struct act_arazzo_step {
    const char *id;                       /* stepId */
    const cJSON *node;                    /* the Step Object */
    char *pointer;                        /* "/workflows/0/steps/1" (owned) */
    enum act_arazzo_step_kind kind;       /* what it runs */
    const char *target;                   /* the operationId/operationPath/workflowId text */
    const struct act_arazzo_source *src;  /* operation steps: the source description */
    const struct act_op *op;              /* operation steps: the operation, in src->spec */
    const struct act_arazzo_workflow *wf; /* workflow steps: the workflow it calls */
};

/* A Workflow Object. */
struct act_arazzo_workflow {
    const char *id;                /* workflowId */
    const cJSON *node;             /* the Workflow Object */
    char *pointer;                 /* "/workflows/0" (owned) */
    const cJSON *inputs;           /* the inputs JSON Schema (maybe a $ref), or NULL */
    struct act_arazzo_step *steps; /* in document order (owned) */
    size_t n_steps;
    const struct act_arazzo_workflow **depends; /* dependsOn, resolved (owned array) */
    size_t n_depends;
    struct act_arazzo *doc; /* the document it belongs to */
};

struct act_arazzo {
    struct act_docset *docs;           /* the document's file (owned); validators use it */
    const struct act_doc *doc;         /* the document (owned by docs) */
    const char *version;               /* the `arazzo` field, "1.0.1" */
    const cJSON *components;           /* components, or NULL */
    struct act_arazzo_source *sources; /* sourceDescriptions in order (owned) */
    size_t n_sources;
    struct act_arazzo_workflow *workflows; /* in document order (owned) */
    size_t n_workflows;
    struct act_arazzo_diags diags;   /* problems found while loading (lenient mode) */
    struct act_arazzo *root;         /* the document loading started from (itself for the root) */
    const struct act_arazzo *parent; /* the document whose source this is, NULL for the root */
    unsigned n_docs;                 /* root only: documents loaded in all (ACT_MAX_ARAZZO_DOCS) */
};

/* Flags of act_arazzo_load. */
#define ACT_ARAZZO_LENIENT 1 /* record every problem in diags and keep going (lint) */

/*
 * Load the Arazzo document at path, its source descriptions and what its steps
 * name. Without ACT_ARAZZO_LENIENT the first problem fails the load with
 * ACT_ERR_INVALID (or the loader's status) and err says FILE:LINE:COL and what;
 * with it, only an unreadable or unparsable file (or one that is not an object)
 * fails, and every problem is in (*out)->diags. *out: caller frees with
 * act_arazzo_free. Limits: ACT_MAX_ARAZZO_DOCS documents through arazzo sources.
 */
enum act_status act_arazzo_load(const char *path, int flags, struct act_arazzo **out,
                                struct act_error *err) ACT_WUR;
void act_arazzo_free(struct act_arazzo *a);

/* 1 when root looks like an Arazzo document (an object with an `arazzo` member). */
int act_arazzo_detect(const cJSON *root);

/* The workflow with this id in a (not in its sources), or NULL. */
const struct act_arazzo_workflow *act_arazzo_find_workflow(const struct act_arazzo *a,
                                                           const char *id);

/* The step with this id in wf, or NULL. */
const struct act_arazzo_step *act_arazzo_find_step(const struct act_arazzo_workflow *wf,
                                                   const char *id);

/* The source description named name, or NULL. */
const struct act_arazzo_source *act_arazzo_find_source(const struct act_arazzo *a,
                                                       const char *name);

/*
 * A workflow reference as steps, goto actions and dependsOn write it: a plain
 * workflowId of a, or `$sourceDescriptions.NAME.ID` naming a workflow of an
 * arazzo source (NAME matched against the sources that exist). *out on
 * success; ACT_ERR_NOTFOUND / ACT_ERR_INVALID (ambiguous) with a message in
 * msg (size bytes) otherwise.
 */
enum act_status act_arazzo_resolve_workflow(const struct act_arazzo *a, const char *ref,
                                            const struct act_arazzo_workflow **out, char *msg,
                                            size_t size) ACT_WUR;

/*
 * A `$components.KIND.NAME` reference (KIND: inputs, parameters, successActions,
 * failureActions): the component node, or NULL with a message in msg.
 */
const cJSON *act_arazzo_component(const struct act_arazzo *a, const char *ref, char *msg,
                                  size_t size);

/*
 * Resolve a Reusable Object ({reference, value}) or return node itself when it is
 * not one: *out the referenced node; *value_override the `value` member or NULL.
 * NULL with a message in msg when the reference names nothing.
 */
const cJSON *act_arazzo_reusable(const struct act_arazzo *a, const cJSON *node,
                                 const cJSON **value_override, char *msg, size_t size);

/* Record a problem at pointer of a's document (positions found from the pointer). */
enum act_status act_arazzo_diag_add(struct act_arazzo_diags *d, const struct act_doc *doc,
                                    const char *pointer, int is_error, const char *fmt, ...) ACT_WUR
    ACT_PRINTF(5, 6);
/* act_arazzo_diag_add with the arguments as a va_list. */
enum act_status act_arazzo_diag_vadd(struct act_arazzo_diags *d, const struct act_doc *doc,
                                     const char *pointer, int is_error, const char *fmt,
                                     va_list ap) ACT_WUR ACT_PRINTF(5, 0);
void act_arazzo_diags_release(struct act_arazzo_diags *d);

/* base + "/" + tok escaped (RFC 6901), a new string (act_free), or NULL when out of memory. */
char *act_arazzo_pointer_join(const char *base, const char *tok);

#endif
