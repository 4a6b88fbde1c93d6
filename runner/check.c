/*
 * check.c - response checks (status, content type, JSON schema, required
 * headers) and the connector route of on-premise destinations.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/act_alloc.h"
#include "parser/openapi.h"

static enum act_status nomem(struct act_error *err)
{
    return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

enum act_status act_check_response(const struct act_check_in *in, struct act_validator *v,
                                   struct act_msgs *problems, struct act_check_out *out,
                                   struct act_error *err)
{
    const struct act_op *op = in->op;
    struct act_docset *ds = in->spec->docs;
    struct act_buf tmp;
    struct act_doc *doc = NULL;
    enum act_status st = ACT_OK;
    act_buf_init(&tmp);
    if (out)
        memset(out, 0, sizeof(*out));

    /* Status: exact, then range, then default. */
    const cJSON *resp = act_spec_response_for(op->responses, in->status);
    if (!resp) {
        char decl[512];
        act_declared_list(op->responses, decl, sizeof(decl));
        if (act_msgs_add(problems, "status %ld is not declared for %s (declared: %s)", in->status,
                         op->id, decl))
            st = nomem(err);
        goto done;
    }
    if (out)
        out->response = resp->string;
    struct act_node rn;
    st = act_ref_deref(ds, (struct act_node){op->path_doc, resp}, &rn, err);
    if (st)
        goto done;

    /* Required headers. */
    const cJSON *hdrs = cJSON_GetObjectItemCaseSensitive(rn.node, "headers");
    for (const cJSON *h = cJSON_IsObject(hdrs) ? hdrs->child : NULL; h; h = h->next) {
        struct act_node hn;
        st = act_ref_deref(ds, (struct act_node){rn.doc, h}, &hn, err);
        if (st)
            goto done;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hn.node, "required")) &&
            strcasecmp(h->string, "Content-Type") != 0 &&
            !act_headers_get(in->headers, h->string) &&
            act_msgs_add(problems, "required response header \"%s\" is missing", h->string)) {
            st = nomem(err);
            goto done;
        }
    }

    /* Content type. */
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(rn.node, "content");
    const char *ct = act_headers_get(in->headers, "Content-Type");
    if (in->head || !cJSON_IsObject(content) || !content->child)
        goto done; /* nothing declared about the body: nothing to check */
    if (in->body_len == 0 && (!ct || in->status == 204))
        goto done; /* an empty body with no type is not a mistyped one */
    act_buf_reset(&tmp);
    if (!ct) {
        char decl[512];
        act_declared_list(content, decl, sizeof(decl));
        if (act_msgs_add(problems, "response has no Content-Type (declared for %s: %s)",
                         resp->string, decl))
            st = nomem(err);
        goto done;
    }
    const cJSON *media = act_spec_media_for(content, ct);
    if (!media) {
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof(e), ct, strlen(ct));
        char decl[512];
        act_declared_list(content, decl, sizeof(decl));
        if (act_msgs_add(problems, "content type \"%s\" is not declared for %s (declared: %s)", e,
                         resp->string, decl))
            st = nomem(err);
        goto done;
    }
    if (out)
        out->media_type = media->string;
    if (!act_media_is_json(ct))
        goto done;

    /* The JSON body: parsed, then validated. */
    struct act_error perr;
    act_error_init(&perr);
    st = act_doc_parse_instance("response body", in->body ? in->body : "", in->body_len, &doc,
                                &perr);
    if (st == ACT_ERR_NOMEM) {
        nomem(err);
        goto done;
    }
    if (st) {
        st = ACT_OK;
        if (perr.line)
            st = act_msgs_add(problems, "response body is not valid JSON: %d:%d: %s", perr.line,
                              perr.col, perr.msg);
        else
            st = act_msgs_add(problems, "response body is not valid JSON: %s", perr.msg);
        if (st)
            nomem(err);
        goto done;
    }
    if (perr.msg[0] &&
        act_msgs_add(problems, "response body has a duplicate member: %s", perr.msg)) {
        st = nomem(err);
        goto done;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(media, "schema");
    if (v && schema) {
        struct act_errlist own, *errs = in->errors ? in->errors : &own;
        act_errlist_init(&own, 0);
        size_t first = errs->n, dropped = errs->dropped;
        st = act_validate(v, (struct act_node){rn.doc, schema}, doc->root, ACT_DIR_RESPONSE, errs,
                          err);
        for (size_t i = first; !st && i < errs->n; i++) {
            act_buf_reset(&tmp);
            act_verr_format(&errs->v[i], &tmp);
            /* act_verr_format cannot report failure; it never formats "" otherwise. */
            if (!tmp.len || act_msgs_add(problems, "%s", tmp.data))
                st = nomem(err);
        }
        dropped = errs->dropped - dropped;
        if (!st && dropped && act_msgs_add(problems, "... and %zu more errors", dropped))
            st = nomem(err);
        act_errlist_release(&own);
    }
    if (!st && out) {
        out->body = doc;
        doc = NULL;
    }
done:
    act_doc_free(doc);
    act_buf_release(&tmp);
    return st;
}

/* ------------------------------------------------------------------ route */

void act_route_init(struct act_route *r)
{
    memset(r, 0, sizeof(*r));
}

void act_route_release(struct act_route *r)
{
    act_free(r->url);
    act_free(r->host);
    act_free(r->forwarded_host);
    act_free(r->virtual_addr);
    act_free(r->internal_addr);
    act_route_init(r);
}

/* "host:port", bracketing IPv6 literals. */
static char *addr(const char *host, int port)
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
    char *scheme = NULL, *host = NULL, *rest = NULL;
    int port = 0;
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
    st = act_url_split(url, &scheme, &host, &port, &rest);
    if (st) {
        char e[ACT_ECHO_SIZE];
        act_echo(e, sizeof(e), url, strlen(url));
        return act_error_set(err, st == ACT_ERR_NOMEM ? st : ACT_ERR_INVALID, d->file, d->line, 0,
                             "destination \"%s\": URL \"%s\" is not an http(s) URL", d->name, e);
    }
    out->virtual_addr = addr(host, port);
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
    out->internal_addr = addr(sys->internal_host, sys->internal_port);
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
    act_free(scheme);
    act_free(host);
    act_free(rest);
    act_buf_release(&norm);
    act_buf_release(&tmp);
    return st;
}

enum act_status act_route_headers(const struct act_route *r, struct act_headers *h)
{
    enum act_status st = ACT_OK;
    if (r->host)
        st = act_headers_set(h, "Host", r->host);
    if (!st && r->forwarded_host)
        st = act_headers_set(h, "X-Forwarded-Host", r->forwarded_host);
    return st;
}

void act_route_failure(const struct act_route *r, const struct act_error *cause,
                       struct act_error *err)
{
    if (!err || err->status)
        return;
    *err = *cause;
    if (!r->sys || cause->status != ACT_ERR_NETWORK)
        return;
    act_error_init(err);
    act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0, "%s", ACT_MSG_UNREACHABLE);
    act_error_set_context(err, "internal host %s (virtual host %s): %s", r->internal_addr,
                          r->virtual_addr, cause->msg);
}
