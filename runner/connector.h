/*
 * connector.h - the connector (Cloud Connector emulation): system mappings from
 * a virtual host:port to an internal host:port, with resource access policies.
 */
#ifndef ACT_RUNNER_CONNECTOR_H
#define ACT_RUNNER_CONNECTOR_H

#include <stddef.h>

#include "common/act_buf.h"
#include "common/act_limits.h"
#include "common/act_error.h"

enum act_policy {
    ACT_POLICY_PATH_ONLY,     /* admits exactly that path (query ignored) */
    ACT_POLICY_PATH_SUBPATHS, /* admits every path starting with it as a plain string */
};

struct act_resource {
    char *path;             /* "/hello" */
    enum act_policy policy; /* path-only | path-and-subpaths */
    int active;             /* active: false admits nothing */
    int line;               /* line in connector.yaml */
};

struct act_system {
    char *virtual_host;  /* "internalhost" */
    int virtual_port;    /* 3333 */
    char *internal_host; /* "127.0.0.1" */
    int internal_port;   /* 3333 */
    int https;           /* protocol: HTTPS */
    char *location_id;   /* locationId, or NULL */
    int host_internal;   /* hostInHeader: internal (else virtual) */
    struct act_resource *res;
    size_t n_res;
    int line; /* line in connector.yaml */
};

struct act_connector {
    struct act_system *v;
    size_t n;
    char *file; /* the connector file */
};

/* Load connector.yaml (YAML or JSON). Errors carry file:line. */
enum act_status act_connector_load(const char *path, struct act_connector **out,
                                   struct act_error *err) ACT_WUR;
void act_connector_free(struct act_connector *c);

/* The system mapping virtual host:port (host compared case-insensitively) for
 * location_id (NULL = default location), or NULL. */
const struct act_system *act_connector_map(const struct act_connector *c, const char *host,
                                           int port, const char *location_id);

/*
 * Normalize a request path for policy checks: percent-decode unreserved
 * characters (so %2e is '.'), remove dot segments (RFC 3986 5.2.4), drop the
 * query. "/hello/../admin" -> "/admin", "/hello/%2e%2e/admin" -> "/admin".
 */
enum act_status act_path_normalize(const char *path, struct act_buf *out) ACT_WUR;

/* RFC 3986 5.2.4 (remove dot segments) on an absolute path (starts with '/'),
 * literal "." and ".." only (no decoding), into out (replaced). */
enum act_status act_path_remove_dots(const char *in, struct act_buf *out) ACT_WUR;

/* The active resource of sys admitting the normalized path, or NULL. */
const struct act_resource *act_connector_admits(const struct act_system *sys, const char *path);

#endif
