/*
 * route.h - how one call reaches its server (owns the connector route).
 *
 * An Internet destination is called directly (proxies from the environment).
 * An OnPremise destination is reached only through the connector: its virtual
 * host:port must be mapped, the normalized path admitted by an active
 * resource, and the internal host must answer. Each failure carries the
 * platform's message (Cloud Connector's wording) with the local cause in
 * err->context.
 */
#ifndef ACT_RUNNER_ROUTE_H
#define ACT_RUNNER_ROUTE_H

#include "common/act_error.h"
#include "runner/connector.h"
#include "runner/dest.h"
#include "runner/http.h"

/* The three messages of SAP Cloud Connector, word for word (users search for them). */
#define ACT_MSG_NOT_MAPPED                                                                         \
    "Backend is not available in the list of defined system mappings in Cloud Connector."
#define ACT_MSG_NOT_ADMITTED                                                                       \
    "Resource is not accessible in Cloud Connector or backend is not reachable."
#define ACT_MSG_UNREACHABLE "Backend is not reachable from Cloud Connector."

/* Where and how to connect for one call. */
struct act_route {
    char *url;                    /* the URL to connect to (the internal host for OnPremise) */
    char *host;                   /* the Host header to send, or NULL to let it follow url */
    char *forwarded_host;         /* X-Forwarded-Host to send (hostInHeader: internal), or NULL */
    char *virtual_addr;           /* "internalhost:3333" (OnPremise), for messages */
    char *internal_addr;          /* "127.0.0.1:3333" (OnPremise), for messages */
    const struct act_system *sys; /* the mapping used, or NULL for Internet */
    int use_env_proxy;            /* Internet: honour HTTP(S)_PROXY / NO_PROXY */
};

void act_route_init(struct act_route *route);
void act_route_release(struct act_route *route);

/*
 * Decide how to reach url (a destination URL with the path of the call) for
 * destination d. Internet: url itself, proxies from the environment.
 * OnPremise: conn must not be NULL (else ACT_ERR_NETWORK with
 * ACT_MSG_NOT_MAPPED); the virtual host:port is mapped (ACT_ERR_NETWORK with
 * ACT_MSG_NOT_MAPPED, context naming the host and the connector file), the
 * normalized path admitted (ACT_ERR_NETWORK with ACT_MSG_NOT_ADMITTED, context
 * naming the normalized path and the configured resources), and the URL
 * rewritten to the internal host:port with Host per hostInHeader.
 * conn_source names the connector file for messages when conn is NULL.
 */
enum act_status act_route_resolve(const struct act_dest *d, const struct act_connector *conn,
                                  const char *conn_source, const char *url, struct act_route *out,
                                  struct act_error *err) ACT_WUR;

/*
 * Add the route's Host / X-Forwarded-Host headers to h (replacing any).
 */
enum act_status act_route_headers(const struct act_route *route, struct act_headers *h) ACT_WUR;

/*
 * Turn a network failure (cause) of a call made along route into the
 * message the user sees: for OnPremise ACT_MSG_UNREACHABLE with the internal
 * host:port and the system error beneath; for Internet the cause itself.
 * Only ACT_ERR_NETWORK causes are rewritten.
 */
void act_route_failure(const struct act_route *route, const struct act_error *cause,
                       struct act_error *err);

#endif
