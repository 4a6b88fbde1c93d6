/*
 * run.c - one action run as a library call (run.h): the request built from the spec
 * and the job's values, run by act_exchange, the outcome kept in struct act_run; and
 * the secrets a run's redactor must know before anything is printed (also for
 * `actions run`, whose steps share one redactor), masking a text with it, and the CSRF
 * fetch path a project file asks for.
 */
#include <string.h>

#include "common/act_alloc.h"
#include "parser/openapi.h"
#include "parser/project.h"
#include "runner/run.h"

void act_run_init(struct act_run *r)
{
    memset(r, 0, sizeof(*r));
    act_redactor_init(&r->red);
    act_http_resp_init(&r->resp);
    act_msgs_init(&r->problems);
    act_msgs_init(&r->notes);
    act_error_init(&r->neterr);
    act_errlist_init(&r->verrs, 0);
}

void act_run_reset(struct act_run *r)
{
    act_request_free(r->req);
    r->req = NULL;
    act_http_resp_release(&r->resp);
    act_http_resp_init(&r->resp);
    act_msgs_release(&r->problems);
    act_msgs_init(&r->problems);
    act_msgs_release(&r->notes);
    act_msgs_init(&r->notes);
    act_errlist_release(&r->verrs);
    act_errlist_init(&r->verrs, 0);
    act_free(r->display_url);
    r->display_url = NULL;
    act_free(r->skipped);
    r->skipped = NULL;
    act_error_init(&r->neterr);
    r->outcome = ACT_OUTCOME_PASS;
    r->sent = 0;
}

void act_run_release(struct act_run *r)
{
    act_run_reset(r);
    act_redactor_release(&r->red);
    act_auth_session_release(&r->auth);
}

char *act_run_mask(const struct act_redactor *red, const char *s, size_t len)
{
    struct act_buf b;
    act_buf_init(&b);
    if (act_redact_text(red, s, len, &b)) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

char *act_run_redacted(struct act_run *r, const char *s, size_t len)
{
    return act_run_mask(&r->red, s, len);
}

enum act_status act_run_seed_spec(struct act_redactor *red, const struct act_spec *spec)
{
    struct act_security_scheme *schemes = NULL;
    size_t n = 0;
    enum act_status st = act_spec_security_schemes(spec, &schemes, &n);
    for (size_t i = 0; !st && i < n; i++) {
        const struct act_security_scheme *sc = &schemes[i];
        if (!sc->type || strcmp(sc->type, "apiKey") != 0 || !sc->in || !sc->name)
            continue;
        st = strcmp(sc->in, "query") == 0 ? act_redactor_add_query(red, sc->name)
                                          : act_redactor_add_header(red, sc->name);
    }
    act_free(schemes);
    return st;
}

const char *act_run_csrf_path(const struct act_project *p)
{
    if (!p || !p->csrf)
        return NULL;
    if (cJSON_IsTrue(p->csrf))
        return "";
    if (cJSON_IsString(p->csrf)) /* csrf: /path, short for {fetch: /path} */
        return p->csrf->valuestring;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(p->csrf, "fetch");
    return cJSON_IsObject(p->csrf) && cJSON_IsString(f) ? f->valuestring : NULL;
}

enum act_status act_run_seed_redactor(struct act_run *r, const char *const *headers,
                                      size_t n_headers)
{
    if (act_dest_add_secrets(r->dest, &r->red))
        return ACT_ERR_NOMEM;
    for (size_t i = 0; i < n_headers; i++) {
        const char *h = headers[i], *colon = strchr(h, ':');
        if (!colon || !act_redact_is_secret_header(&r->red, h, (size_t)(colon - h)))
            continue;
        const char *val = colon + 1;
        while (*val == ' ' || *val == '\t')
            val++;
        const char *sp = strchr(val, ' ');
        if (act_redactor_add_secret(&r->red, val) ||
            (sp && act_redactor_add_secret(&r->red, sp + 1)))
            return ACT_ERR_NOMEM;
    }
    return act_run_seed_spec(&r->red, r->spec) ? ACT_ERR_NOMEM : ACT_OK;
}

enum act_status act_run_one(struct act_run *r, const struct act_job *j, int *missing,
                            struct act_error *err)
{
    struct act_request_in in = {r->spec,      r->op,      r->dest->url, r->dest, j->params,
                                j->n_params,  j->headers, j->n_headers, j->body, j->body_len,
                                j->body_path, j->fill,    &r->notes,    missing};
    enum act_status st = act_request_build(&in, r->v, &r->req, &r->problems, err);
    if (st && st != ACT_ERR_CHECK)
        return st == ACT_ERR_NETWORK ? ACT_ERR_USAGE : st;
    r->display_url = act_strdup(r->req->url);
    if (!r->display_url)
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == ACT_ERR_CHECK) {
        r->outcome = ACT_OUTCOME_FAIL;
        return ACT_OK;
    }
    int modifying = strcmp(r->req->method, "GET") && strcmp(r->req->method, "HEAD") &&
                    strcmp(r->req->method, "OPTIONS");
    struct act_exchange_opts o = {
        .http = r->http,
        .dest = r->dest,
        .conn = r->conn,
        .auth = &r->auth,
        .csrf_path = modifying ? r->csrf_path : NULL,
        .follow_redirects = 1,
        .spec = r->spec,
        .op = r->op,
        .v = r->v,
        .red = &r->red,
        .trace = r->trace,
        .trace_ctx = r->trace_ctx,
        .trace_steps = r->trace_steps,
    };
    struct act_exchange_result res = {
        .resp = &r->resp, .problems = &r->problems, .notes = &r->notes, .schema_errors = &r->verrs};
    st = act_exchange(r->req, &o, &res, err);
    r->sent = res.sent;
    if (st)
        return st;
    r->outcome = res.outcome;
    if (res.outcome == ACT_OUTCOME_UNREACHABLE)
        r->neterr = res.failure;
    return ACT_OK;
}
