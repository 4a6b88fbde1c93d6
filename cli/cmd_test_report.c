/*
 * cmd_test_report.c - what `actions test` reports: the record of each action (a cJSON
 * object, secrets masked; with the request, response and schema errors when an HTML
 * report is asked for), where the reports go (stdout in --format, the --report files,
 * each written to a temporary file beside it and then renamed: a report is complete or
 * absent) and the response body on a terminal. The formats themselves are written by
 * runner/report.c and runner/report_html.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"
#include "common/act_utf8.h"
#include "parser/openapi.h"

/* ---------------------------------------------------------------- output */

/* The body as a cJSON value for reports: parsed JSON (masked) or a string, NULL when empty. */
static cJSON *body_value(struct run *r)
{
    if (!r->sent || r->resp.body.len == 0)
        return NULL;
    char *s = test_redacted(r, r->resp.body.data, r->resp.body.len);
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
static int add_msgs(struct run *r, cJSON *o, const char *key, const struct act_msgs *m)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    int ok = a != NULL;
    for (size_t i = 0; ok && i < m->n; i++) {
        char *s = test_redacted(r, m->v[i], strlen(m->v[i]));
        cJSON *item = s ? cJSON_CreateString(s) : NULL;
        ok = item && cJSON_AddItemToArray(a, item);
        act_free(s);
    }
    return ok;
}

/*
 * The report of the run as an object, secrets masked, without the body:
 * action, method, url, status, reason, duration_ms, passed, outcome, errors,
 * warnings, and skipped (why) for an action --all did not run. NULL when out
 * of memory (never an object with a field missing).
 */
cJSON *test_record(struct run *r)
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
    char *u = r->display_url ? test_redacted(r, r->display_url, strlen(r->display_url)) : NULL;
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
         cJSON_AddBoolToObject(o, "passed", r->outcome == OUT_PASS) &&
         cJSON_AddStringToObject(o, "outcome", act_outcome_names[r->outcome]) &&
         add_msgs(r, o, "errors", &r->problems) && add_msgs(r, o, "warnings", &r->notes);
    if (ok && r->skipped) {
        char *s = test_redacted(r, r->skipped, strlen(r->skipped));
        ok = s && cJSON_AddStringToObject(o, "skipped", s);
        act_free(s);
    }
    if (ok && r->details)
        ok = test_record_details(r, o) == ACT_OK;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Bytes of a non-JSON body shown on a terminal (the rest is summarized). */
#define TTY_BODY_MAX 65536

/* A text body for a terminal: control characters (escape sequences a hostile
 * server could send) are shown as \xNN; long bodies are clipped. */
static void print_text_body(const char *s)
{
    size_t len = strlen(s), n = len < TTY_BODY_MAX ? len : TTY_BODY_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
            printf("\\x%02x", ch);
        else
            putchar(ch);
    }
    if (n < len)
        printf("\n... (%zu more bytes; --format json prints the whole body)\n", len - n);
    else if (n == 0 || s[n - 1] != '\n')
        putchar('\n');
}

/* ------------------------------------------------ what the HTML page shows */

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
static cJSON *text_item(struct run *r, const char *s, size_t len, size_t max, size_t *cut)
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
static cJSON *headers_item(struct run *r, const struct act_headers *h)
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
static int add_exchange(struct run *r, cJSON *parent, const char *key, const struct act_headers *h,
                        const char *body, size_t len)
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
static int add_masked(struct run *r, cJSON *o, const char *key, const char *s)
{
    cJSON *item = text_item(r, s ? s : "", s ? strlen(s) : 0, HTML_BODY_MAX, NULL);
    if (!item || !cJSON_AddItemToObject(o, key, item)) {
        cJSON_Delete(item);
        return 0;
    }
    return 1;
}

enum act_status test_record_details(struct run *r, cJSON *rec)
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
cJSON *test_not_run_record(struct run *r, const struct act_op *op)
{
    test_run_reset(r);
    r->op = op;
    r->outcome = OUT_SKIP;
    if (!(r->skipped = act_strdup("not run (--fail-fast)")))
        return NULL;
    cJSON *rec = test_record(r);
    if (rec && !cJSON_AddTrueToObject(rec, "not_run")) {
        cJSON_Delete(rec);
        return NULL;
    }
    return rec;
}

void test_report_meta(const struct run *r, struct act_report_meta *m, struct act_buf *url)
{
    act_buf_init(url);
    m->spec_path = r->spec && r->spec->doc ? r->spec->doc->path : NULL;
    m->title = r->spec ? r->spec->title : NULL;
    m->dest = r->dest ? r->dest->name : NULL;
    m->dest_url = NULL;
    if (r->dest && r->dest->url && !act_redact_str(&r->red, r->dest->url, url))
        m->dest_url = url->data;
}

/* The report of a single action: stdout in o->fmt, and every --report file. */
void test_report(struct run *r, const struct outs *o)
{
    cJSON *rec = test_record(r);
    cJSON *b = rec ? body_value(r) : NULL;
    if (!rec ||
        (b ? !cJSON_AddItemToObject(rec, "body", b) : !cJSON_AddNullToObject(rec, "body"))) {
        cJSON_Delete(b);
        cJSON_Delete(rec);
        fprintf(stderr, "%s: error: out of memory\n", r->c->prog);
        return;
    }
    struct act_report_meta m;
    struct act_buf url;
    test_report_meta(r, &m, &url);
    struct act_tally t = {{0}, 0, r->sent ? (double)r->resp.duration_ms / 1000.0 : 0, 0};
    act_tally_add(&t, rec);
    for (size_t i = 0; i < o->n_reports; i++)
        if (o->reports[i].f)
            act_report_write(o->reports[i].f, (enum act_report_fmt)o->reports[i].fmt, &m, &rec, 1,
                             &t, 0);
    enum act_outcome oc = act_report_outcome(rec);
    if (o->fmt != FMT_TEXT) {
        if (o->gha)
            act_report_gha(stderr, rec);
        act_report_write(stdout, (enum act_report_fmt)o->fmt, &m, &rec, 1, &t, 0);
    } else if (oc != ACT_OUTCOME_UNREACHABLE) { /* the error on stderr says it all */
        act_report_text(stdout, rec, o->color);
        if (o->gha)
            act_report_gha(stdout, rec);
        if (r->c->stdout_tty && !o->quiet && r->sent && r->resp.body.len) {
            const cJSON *bv = cJSON_GetObjectItemCaseSensitive(rec, "body");
            if (cJSON_IsString(bv))
                print_text_body(bv->valuestring);
            else if (bv && !cJSON_IsNull(bv))
                cli_print_json(stdout, bv);
        }
    } else if (o->gha) {
        act_report_gha(stdout, rec);
    }
    act_buf_release(&url);
    cJSON_Delete(rec);
}

/* ----------------------------------------------------------- report files */

int test_reports_open(struct cli_ctx *c, struct outs *o)
{
    mode_t mask = umask(0);
    umask(mask);
    for (size_t i = 0; i < o->n_reports; i++) {
        struct report *rp = &o->reports[i];
        size_t len = strlen(rp->path);
        rp->tmp = act_malloc(len + 16);
        if (!rp->tmp)
            return cli_fail(c, "out of memory");
        snprintf(rp->tmp, len + 16, "%s.tmp.XXXXXX", rp->path);
        int fd = mkstemp(rp->tmp);
        if (fd < 0) {
            int e = errno;
            act_free(rp->tmp);
            rp->tmp = NULL;
            return cli_fail(c, "cannot write report \"%s\": %s", rp->path, strerror(e));
        }
        if (fchmod(fd, 0666 & ~mask) != 0 || !(rp->f = fdopen(fd, "w"))) {
            int e = errno;
            close(fd);
            return cli_fail(c, "cannot write report \"%s\": %s", rp->path, strerror(e));
        }
    }
    return 0;
}

int test_reports_close(struct cli_ctx *c, struct outs *o)
{
    int rc = 0;
    for (size_t i = 0; i < o->n_reports; i++) {
        struct report *rp = &o->reports[i];
        if (!rp->f || !rp->tmp)
            continue;
        errno = 0;
        int bad = fflush(rp->f) != 0 || ferror(rp->f);
        int e = errno;
        if (fclose(rp->f) != 0 && !bad)
            bad = 1, e = errno;
        rp->f = NULL;
        if (!bad && rename(rp->tmp, rp->path) != 0)
            bad = 1, e = errno;
        if (bad) {
            unlink(rp->tmp);
            rc = cli_fail(c, "cannot write report \"%s\": %s", rp->path,
                          e ? strerror(e) : "write error");
        }
        act_free(rp->tmp);
        rp->tmp = NULL;
    }
    return rc;
}

void test_reports_abort(struct outs *o)
{
    for (size_t i = 0; o && i < o->n_reports; i++) {
        struct report *rp = &o->reports[i];
        if (rp->f)
            fclose(rp->f);
        rp->f = NULL;
        if (rp->tmp)
            unlink(rp->tmp);
        act_free(rp->tmp);
        rp->tmp = NULL;
    }
}
