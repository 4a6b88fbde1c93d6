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
    const cJSON *schema = act_media_schema(media);
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
