/*
 * record.c - the record of an action run (record.h): the fields every report reads,
 * and for the HTML page the request, response and schema errors, masked, cut to a size
 * and made valid UTF-8. Secrets are masked before anything is cut: a secret across the
 * cut must not leave half of itself.
 */
#include <ctype.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_utf8.h"
#include "parser/openapi.h"
#include "runner/record.h"

/* The body as a cJSON value for reports: parsed JSON (masked) or a string, NULL when empty. */
cJSON *act_run_body_value(struct act_run *r)
{
    if (!r->sent || r->resp.body.len == 0)
        return NULL;
    char *s = act_run_redacted(r, r->resp.body.data, r->resp.body.len);
    if (!s)
        return NULL;
    const char *ct = act_headers_get(&r->resp.headers, "Content-Type");
    cJSON *j = ct && act_media_is_json(ct) ? cJSON_ParseWithLength(s, strlen(s)) : NULL;
    if (!j)
        j = cJSON_CreateString(s);
    act_free(s);
    return j;
}

/* An array named key in o with each message of m, masked; 0 when out of memory. */
static int add_msgs(struct act_run *r, cJSON *o, const char *key, const struct act_msgs *m)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    int ok = a != NULL;
    for (size_t i = 0; ok && i < m->n; i++) {
        char *s = act_run_redacted(r, m->v[i], strlen(m->v[i]));
        cJSON *item = s ? cJSON_CreateString(s) : NULL;
        ok = item && cJSON_AddItemToArray(a, item);
        act_free(s);
    }
    return ok;
}

cJSON *act_run_record(struct act_run *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char method[16];
    snprintf(method, sizeof(method), "%s", r->req ? r->req->method : r->op->method);
    for (char *m = method; *m; m++)
        *m = (char)toupper((unsigned char)*m);
    int ok = cJSON_AddStringToObject(o, "action", r->op->id) &&
             cJSON_AddStringToObject(o, "method", method);
    char *u = r->display_url ? act_run_redacted(r, r->display_url, strlen(r->display_url)) : NULL;
    if (r->display_url && !u)
        ok = 0;
    ok = ok && (u ? cJSON_AddStringToObject(o, "url", u) : cJSON_AddNullToObject(o, "url"));
    act_free(u);
    if (r->sent && r->resp.status)
        ok = ok && cJSON_AddNumberToObject(o, "status", (double)r->resp.status) &&
             cJSON_AddStringToObject(o, "reason", r->resp.reason ? r->resp.reason : "");
    else
        ok = ok && cJSON_AddNullToObject(o, "status") && cJSON_AddNullToObject(o, "reason");
    ok = ok &&
         cJSON_AddNumberToObject(o, "duration_ms", r->sent ? (double)r->resp.duration_ms : 0) &&
         cJSON_AddBoolToObject(o, "passed", r->outcome == ACT_OUTCOME_PASS) &&
         cJSON_AddStringToObject(o, "outcome", act_outcome_names[r->outcome]) &&
         add_msgs(r, o, "errors", &r->problems) && add_msgs(r, o, "warnings", &r->notes);
    if (ok && r->skipped) {
        char *s = act_run_redacted(r, r->skipped, strlen(r->skipped));
        ok = s && cJSON_AddStringToObject(o, "skipped", s);
        act_free(s);
    }
    if (ok && r->details)
        ok = act_run_record_details(r, o) == ACT_OK;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Body bytes a record keeps for the HTML report (request and response each); the rest is cut. */
#define HTML_BODY_MAX (256 * 1024)

/* s (len bytes) as valid UTF-8: a NUL or a byte that starts no well-formed sequence becomes
 * U+FFFD. Appended to out. */
static enum act_status add_valid_utf8(struct act_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = p[i] ? act_utf8_len(p + i, len - i) : 0;
        if (act_buf_add(out, n ? p + i : (const unsigned char *)"\xEF\xBF\xBD", n ? n : 3))
            return ACT_ERR_NOMEM;
        i += n ? n : 1;
    }
    return ACT_OK;
}

/* A string item for len bytes of s, secrets masked, cut at max bytes (*cut: bytes left
 * out), valid UTF-8. NULL when out of memory. */
static cJSON *text_item(struct act_run *r, const char *s, size_t len, size_t max, size_t *cut)
{
    struct act_buf red, ok;
    act_buf_init(&red);
    act_buf_init(&ok);
    cJSON *item = NULL;
    /* Mask first, then cut: a secret across the cut must not leave half of itself. */
    if (act_redact_text(&r->red, s, len, &red))
        goto done;
    size_t keep = red.len;
    if (keep > max) {
        keep = max;
        while (keep > 0 && ((unsigned char)red.data[keep] & 0xC0) == 0x80)
            keep--; /* do not split a character */
    }
    if (cut)
        *cut = red.len - keep;
    if (add_valid_utf8(&ok, red.data, keep))
        goto done;
    item = cJSON_CreateString(ok.data);
done:
    act_buf_release(&red);
    act_buf_release(&ok);
    return item;
}

/* [{"name","value"}] of h, values masked; NULL when out of memory. */
static cJSON *headers_item(struct act_run *r, const struct act_headers *h)
{
    cJSON *a = cJSON_CreateArray();
    struct act_buf line, red;
    act_buf_init(&line);
    act_buf_init(&red);
    for (size_t i = 0; a && i < h->n; i++) {
        act_buf_reset(&line);
        act_buf_reset(&red);
        cJSON *o = NULL, *name = NULL, *value = NULL;
        if (!act_buf_printf(&line, "%s: %s", h->v[i].name, h->v[i].value) &&
            !act_redact_header(&r->red, line.data, line.len, &red)) {
            /* The masked line is "Name: value"; the name is the header's own. */
            size_t nl = strlen(h->v[i].name);
            const char *v = red.len > nl && red.data[nl] == ':' ? red.data + nl + 1 : red.data;
            while (*v == ' ')
                v++;
            o = cJSON_CreateObject();
            name = text_item(r, h->v[i].name, nl, HTML_BODY_MAX, NULL);
            value = text_item(r, v, strlen(v), HTML_BODY_MAX, NULL);
        }
        if (!o || !name || !value || !cJSON_AddItemToObject(o, "name", name) ||
            (name = NULL, !cJSON_AddItemToObject(o, "value", value)) ||
            (value = NULL, !cJSON_AddItemToArray(a, o))) {
            cJSON_Delete(o);
            cJSON_Delete(name);
            cJSON_Delete(value);
            cJSON_Delete(a);
            a = NULL;
        }
    }
    act_buf_release(&line);
    act_buf_release(&red);
    return a;
}

/* {"headers", "body", "truncated"} into parent under key; 0 when out of memory. */
static int add_exchange(struct act_run *r, cJSON *parent, const char *key,
                        const struct act_headers *h, const char *body, size_t len)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);
    cJSON *hs = o ? headers_item(r, h) : NULL;
    if (!hs || !cJSON_AddItemToObject(o, "headers", hs)) {
        cJSON_Delete(hs);
        return 0;
    }
    size_t cut = 0;
    cJSON *b = body && len ? text_item(r, body, len, HTML_BODY_MAX, &cut) : cJSON_CreateNull();
    if (!b || !cJSON_AddItemToObject(o, "body", b)) {
        cJSON_Delete(b);
        return 0;
    }
    return cJSON_AddNumberToObject(o, "truncated", (double)cut) != NULL;
}

/* A masked string member; 0 when out of memory. */
static int add_masked(struct act_run *r, cJSON *o, const char *key, const char *s)
{
    cJSON *item = text_item(r, s ? s : "", s ? strlen(s) : 0, HTML_BODY_MAX, NULL);
    if (!item || !cJSON_AddItemToObject(o, key, item)) {
        cJSON_Delete(item);
        return 0;
    }
    return 1;
}

enum act_status act_run_record_details(struct act_run *r, cJSON *rec)
{
    int ok = 1;
    if (r->req)
        ok = add_exchange(r, rec, "request", &r->req->headers, r->req->body, r->req->body_len);
    else
        ok = cJSON_AddNullToObject(rec, "request") != NULL;
    if (ok && r->sent && r->resp.status)
        ok =
            add_exchange(r, rec, "response", &r->resp.headers, r->resp.body.data, r->resp.body.len);
    else if (ok)
        ok = cJSON_AddNullToObject(rec, "response") != NULL;
    cJSON *errs = ok ? cJSON_AddArrayToObject(rec, "schemaErrors") : NULL;
    struct act_buf msg;
    act_buf_init(&msg);
    for (size_t i = 0; errs && i < r->verrs.n; i++) {
        const struct act_verr *e = &r->verrs.v[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(errs, o)) {
            cJSON_Delete(o);
            errs = NULL;
            break;
        }
        act_buf_reset(&msg);
        if (act_buf_printf(&msg, "expected %s, got %s", e->expected, e->found) ||
            !add_masked(r, o, "pointer", e->instance) ||
            !add_masked(r, o, "schemaLocation", e->schema) ||
            !cJSON_AddStringToObject(o, "keyword", e->keyword ? e->keyword : "") ||
            !add_masked(r, o, "message", msg.data))
            errs = NULL;
    }
    act_buf_release(&msg);
    return errs ? ACT_OK : ACT_ERR_NOMEM;
}

/* The record of an action --fail-fast did not start (NULL: out of memory). */
cJSON *act_run_not_run_record(struct act_run *r, const struct act_op *op)
{
    act_run_reset(r);
    r->op = op;
    r->outcome = ACT_OUTCOME_SKIP;
    if (!(r->skipped = act_strdup("not run (--fail-fast)")))
        return NULL;
    cJSON *rec = act_run_record(r);
    if (rec && !cJSON_AddTrueToObject(rec, "not_run")) {
        cJSON_Delete(rec);
        return NULL;
    }
    return rec;
}

/* A failed record for op with the problem why (NULL: out of memory). */
cJSON *act_run_failed_record(struct act_run *r, const struct act_op *op, const char *why)
{
    act_run_reset(r);
    r->op = op;
    r->outcome = ACT_OUTCOME_FAIL;
    if (act_msgs_add(&r->problems, "%s", why))
        return NULL;
    return act_run_record(r);
}

void act_run_report_meta(const struct act_run *r, struct act_report_meta *m, struct act_buf *url)
{
    act_buf_init(url);
    m->spec_path = r->spec && r->spec->doc ? r->spec->doc->path : NULL;
    m->title = r->spec ? r->spec->title : NULL;
    m->dest = r->dest ? r->dest->name : NULL;
    m->dest_url = NULL;
    if (r->dest && r->dest->url && !act_redact_str(&r->red, r->dest->url, url))
        m->dest_url = url->data;
}
