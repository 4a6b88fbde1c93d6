/*
 * cmd_test_report.c - what `actions test` reports: one record per action (a
 * cJSON object, secrets masked), printed as text, JSON or JUnit XML.
 */
#include <ctype.h>
#include <string.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"

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

const char *const test_outcome_names[] = {"passed", "failed", "unreachable", "skipped"};

static const char *rec_str(const cJSON *rec, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

enum outcome test_rec_outcome(const cJSON *rec)
{
    const char *o = rec_str(rec, "outcome");
    for (int i = 0; o && i < 4; i++)
        if (strcmp(o, test_outcome_names[i]) == 0)
            return (enum outcome)i;
    return OUT_FAIL;
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
         cJSON_AddStringToObject(o, "outcome", test_outcome_names[r->outcome]) &&
         add_msgs(r, o, "errors", &r->problems) && add_msgs(r, o, "warnings", &r->notes);
    if (ok && r->skipped) {
        char *s = test_redacted(r, r->skipped, strlen(r->skipped));
        ok = s && cJSON_AddStringToObject(o, "skipped", s);
        act_free(s);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* "200 OK 12 ms" for a record into b (left empty when out of memory). */
static void status_text(const cJSON *rec, struct act_buf *b)
{
    enum act_status st;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
    const char *reason = rec_str(rec, "reason");
    enum outcome o = test_rec_outcome(rec);
    if (o == OUT_UNREACHABLE)
        st = act_buf_adds(b, "(backend not reachable)");
    else if (o == OUT_SKIP)
        st = act_buf_adds(b, "(not run)");
    else if (!cJSON_IsNumber(status))
        st = act_buf_adds(b, "(request not sent)");
    else
        st = act_buf_printf(b, "%d%s%s %ld ms", status->valueint, reason && *reason ? " " : "",
                            reason ? reason : "", cJSON_IsNumber(ms) ? (long)ms->valuedouble : 0L);
    if (st)
        act_buf_reset(b);
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

/* One action as text: "PASS get.hello 200 OK 3 ms", then problems and warnings indented. */
void test_print_record_text(const cJSON *rec)
{
    static const char *const words[] = {"PASS", "FAIL", "FAIL", "SKIP"};
    struct act_buf st;
    act_buf_init(&st);
    status_text(rec, &st);
    const char *id = rec_str(rec, "action");
    printf("%s %s %s\n", words[test_rec_outcome(rec)], id ? id : "?", st.len ? st.data : "");
    act_buf_release(&st);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "errors"))
    {
        if (cJSON_IsString(e))
            printf("  %s\n", e->valuestring);
    }
    if (rec_str(rec, "skipped"))
        printf("  %s\n", rec_str(rec, "skipped"));
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "warnings"))
    {
        if (cJSON_IsString(e))
            printf("  warning: %s\n", e->valuestring);
    }
}

/* XML text: markup escaped, control characters and invalid UTF-8 replaced. */
static void xml_put(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c == '&')
            fputs("&amp;", f);
        else if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else if (c == '\'')
            fputs("&apos;", f);
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            fputs("\xEF\xBF\xBD", f);
        else if (c < 0x80)
            fputc((int)c, f);
        else {
            /* Copy one well-formed UTF-8 sequence, else U+FFFD for the byte. */
            int n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
            int ok = n > 0;
            for (int i = 1; ok && i < n; i++)
                ok = (p[i] & 0xC0) == 0x80;
            if (ok && n == 3) {
                unsigned cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
                ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
            } else if (ok && n == 4) {
                unsigned cp = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) |
                              (p[3] & 0x3F);
                ok = cp >= 0x10000 && cp <= 0x10FFFF;
            }
            if (ok) {
                fwrite(p, 1, (size_t)n, f);
                p += n;
                continue;
            }
            fputs("\xEF\xBF\xBD", f);
        }
        p++;
    }
}

void test_tally_add(struct tally *t, const cJSON *rec)
{
    t->n[test_rec_outcome(rec)]++;
    t->total++;
}

/* JUnit XML for n records: one testsuite (the spec), one testcase per action. */
void test_print_junit(const struct run *r, cJSON *const *recs, size_t n, const struct tally *t)
{
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    printf("<testsuites name=\"actions\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
           "time=\"%.3f\">\n",
           n, t->n[OUT_FAIL], t->n[OUT_UNREACHABLE], t->secs);
    printf("  <testsuite name=\"");
    xml_put(stdout, r->spec->title ? r->spec->title : r->spec->doc->path);
    printf("\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", n,
           t->n[OUT_FAIL], t->n[OUT_UNREACHABLE], t->n[OUT_SKIP], t->secs);
    for (size_t i = 0; i < n; i++) {
        const cJSON *rec = recs[i];
        enum outcome o = test_rec_outcome(rec);
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
        double secs = cJSON_IsNumber(ms) ? ms->valuedouble / 1000.0 : 0;
        printf("    <testcase name=\"");
        xml_put(stdout, rec_str(rec, "action") ? rec_str(rec, "action") : "?");
        printf("\" classname=\"");
        xml_put(stdout, r->dest ? r->dest->name : "actions");
        printf("\" time=\"%.3f\">\n", secs);
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors");
        if (o == OUT_FAIL || o == OUT_UNREACHABLE) {
            const char *tag = o == OUT_UNREACHABLE ? "error" : "failure";
            const cJSON *first = cJSON_GetArrayItem(errs, 0);
            printf("      <%s type=\"%s\" message=\"", tag,
                   o == OUT_UNREACHABLE ? "unreachable" : "check");
            xml_put(stdout, cJSON_IsString(first) ? first->valuestring : "failed");
            printf("\">");
            const cJSON *e;
            cJSON_ArrayForEach(e, errs)
            {
                if (cJSON_IsString(e)) {
                    xml_put(stdout, e->valuestring);
                    xml_put(stdout, "\n");
                }
            }
            printf("</%s>\n", tag);
        } else if (o == OUT_SKIP) {
            printf("      <skipped message=\"");
            xml_put(stdout, rec_str(rec, "skipped") ? rec_str(rec, "skipped") : "not run");
            printf("\"/>\n");
        }
        struct act_buf st;
        act_buf_init(&st);
        status_text(rec, &st);
        printf("      <system-out>");
        xml_put(stdout, rec_str(rec, "method") ? rec_str(rec, "method") : "");
        printf(" ");
        xml_put(stdout, rec_str(rec, "url") ? rec_str(rec, "url") : "");
        printf(" -&gt; ");
        xml_put(stdout, st.len ? st.data : "");
        printf("</system-out>\n");
        act_buf_release(&st);
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(rec, "warnings");
        if (cJSON_GetArraySize(w) > 0) {
            printf("      <system-err>");
            const cJSON *e;
            cJSON_ArrayForEach(e, w)
            {
                if (cJSON_IsString(e)) {
                    xml_put(stdout, "warning: ");
                    xml_put(stdout, e->valuestring);
                    xml_put(stdout, "\n");
                }
            }
            printf("</system-err>\n");
        }
        printf("    </testcase>\n");
    }
    printf("  </testsuite>\n</testsuites>\n");
}

/* The report of a single action in format f. */
void test_report(struct run *r, enum fmt f)
{
    cJSON *rec = test_record(r);
    if (!rec) {
        fprintf(stderr, "%s: error: out of memory\n", r->c->prog);
        return;
    }
    if (f == FMT_JSON) {
        cJSON *b = body_value(r);
        if (b ? !cJSON_AddItemToObject(rec, "body", b) : !cJSON_AddNullToObject(rec, "body")) {
            cJSON_Delete(b);
            cJSON_Delete(rec);
            fprintf(stderr, "%s: error: out of memory\n", r->c->prog);
            return;
        }
        cli_print_json(stdout, rec);
    } else if (f == FMT_JUNIT) {
        struct tally t = {{0}, 0, r->sent ? (double)r->resp.duration_ms / 1000.0 : 0};
        test_tally_add(&t, rec);
        test_print_junit(r, &rec, 1, &t);
    } else {
        test_print_record_text(rec);
        if (r->c->stdout_tty && r->sent && r->resp.body.len) {
            cJSON *b = body_value(r);
            if (cJSON_IsString(b))
                print_text_body(b->valuestring);
            else if (b)
                cli_print_json(stdout, b);
            cJSON_Delete(b);
        }
    }
    cJSON_Delete(rec);
}
