/*
 * route.c - the connector route: mapping, resource policy, Host headers and
 * the platform's failure messages.
 */
#include "route.h"

#include <string.h>

#include "common/act_alloc.h"

static enum act_status nomem(struct act_error *err)
{
    return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void act_route_init(struct act_route *route)
{
    memset(route, 0, sizeof(*route));
}

void act_route_release(struct act_route *route)
{
    act_free(route->url);
    act_free(route->host);
    act_free(route->forwarded_host);
    act_free(route->virtual_addr);
    act_free(route->internal_addr);
    act_route_init(route);
}

/* "host:port", bracketing IPv6 literals. */
static char *host_port(const char *host, int port)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_buf_printf(&b, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

enum act_status act_route_resolve(const struct act_dest *d, const struct act_connector *conn,
                                  const char *conn_source, const char *url, struct act_route *out,
                                  struct act_error *err)
{
    struct act_url *u = NULL;
    struct act_buf norm, tmp;
    act_buf_init(&norm);
    act_buf_init(&tmp);
    enum act_status st;
    act_route_release(out);
    if (d->proxy != ACT_PROXY_ONPREMISE) {
        out->url = act_strdup(url);
        out->use_env_proxy = 1;
        return out->url ? ACT_OK : nomem(err);
    }
    st = act_url_parse(url, &u);
    if (st) {
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof(e), url, strlen(url));
        return act_error_set(err, st == ACT_ERR_NOMEM ? st : ACT_ERR_INVALID, d->file, d->line, 0,
                             "destination \"%s\": URL \"%s\" is not an http(s) URL", d->name, e);
    }
    const char *host = act_url_host(u), *rest = act_url_rest(u);
    int port = act_url_port(u);
    out->virtual_addr = host_port(host, port);
    if (!out->virtual_addr) {
        st = nomem(err);
        goto fail;
    }
    const char *loc = d->location_id && *d->location_id ? d->location_id : NULL;
    const struct act_system *sys = conn ? act_connector_map(conn, host, port, loc) : NULL;
    if (!sys) {
        st = act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "%s", ACT_MSG_NOT_MAPPED);
        if (conn)
            act_error_set_context(err,
                                  "virtual host %s%s%s%s of destination \"%s\" is not mapped in "
                                  "%s (%zu system mapping%s searched)",
                                  out->virtual_addr, loc ? " (location \"" : "", loc ? loc : "",
                                  loc ? "\")" : "", d->name, conn->file, conn->n,
                                  conn->n == 1 ? "" : "s");
        else
            act_error_set_context(err,
                                  "virtual host %s of destination \"%s\" cannot be mapped: no "
                                  "connector file (%s)",
                                  out->virtual_addr, d->name,
                                  conn_source ? conn_source : "looked for connector.yaml");
        goto fail;
    }
    out->sys = sys;
    st = act_path_normalize(rest, &norm);
    if (st == ACT_ERR_NOMEM) {
        nomem(err);
        goto fail;
    }
    if (st || !act_connector_admits(sys, norm.data)) {
        if (st)
            act_buf_reset(&norm);
        for (size_t i = 0; i < sys->n_res; i++)
            if (act_buf_printf(&tmp, "%s%s (%s%s)", i ? ", " : "", sys->res[i].path,
                               sys->res[i].policy == ACT_POLICY_PATH_ONLY ? "path-only"
                                                                          : "path-and-subpaths",
                               sys->res[i].active ? "" : ", inactive")) {
                st = nomem(err);
                goto fail;
            }
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof(e), st ? rest : norm.data, strlen(st ? rest : norm.data));
        st = act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "%s", ACT_MSG_NOT_ADMITTED);
        act_error_set_context(err,
                              "%s path \"%s\" on %s is not admitted by an active resource in %s; "
                              "resources: %s",
                              norm.len ? "normalized" : "invalid", e, out->virtual_addr, conn->file,
                              tmp.len ? tmp.data : "none");
        goto fail;
    }
    out->internal_addr = host_port(sys->internal_host, sys->internal_port);
    act_buf_reset(&tmp);
    if (!out->internal_addr || act_buf_printf(&tmp, "%s://%s%s", sys->https ? "https" : "http",
                                              out->internal_addr, rest)) {
        st = nomem(err);
        goto fail;
    }
    out->url = act_buf_detach(&tmp, NULL);
    out->host = act_strdup(sys->host_internal ? out->internal_addr : out->virtual_addr);
    if (sys->host_internal)
        out->forwarded_host = act_strdup(out->virtual_addr);
    if (!out->url || !out->host || (sys->host_internal && !out->forwarded_host)) {
        st = nomem(err);
        goto fail;
    }
    st = ACT_OK;
    goto done;
fail:
    act_route_release(out);
done:
    act_url_free(u);
    act_buf_release(&norm);
    act_buf_release(&tmp);
    return st;
}

enum act_status act_route_headers(const struct act_route *route, struct act_headers *h)
{
    enum act_status st = ACT_OK;
    if (route->host)
        st = act_headers_set(h, "Host", route->host);
    if (!st && route->forwarded_host)
        st = act_headers_set(h, "X-Forwarded-Host", route->forwarded_host);
    return st;
}

void act_route_failure(const struct act_route *route, const struct act_error *cause,
                       struct act_error *err)
{
    if (!err || err->status)
        return;
    *err = *cause;
    if (!route->sys || cause->status != ACT_ERR_NETWORK)
        return;
    act_error_init(err);
    act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "%s", ACT_MSG_UNREACHABLE);
    act_error_set_context(err, "internal host %s (virtual host %s): %s", route->internal_addr,
                          route->virtual_addr, cause->msg);
}
