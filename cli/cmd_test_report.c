/*
 * cmd_test_report.c - what `actions test` reports: one record per action (a
 * cJSON object, secrets masked), written as text, JSON, JUnit XML or TAP to
 * stdout and to the --report files (each written to a temporary file beside
 * it, then renamed: a report is complete or absent), and ::error workflow
 * commands for GitHub Actions.
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
    if (ok && r->details)
        ok = test_record_details(r, o) == ACT_OK;
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

/* One action as text to f: "PASS get.hello 200 OK 3 ms", then problems and warnings
 * indented; the word in colour when color is set. */
void test_print_record_text(FILE *f, const cJSON *rec, int color)
{
    static const char *const words[] = {"PASS", "FAIL", "FAIL", "SKIP"};
    static const char *const colors[] = {"\033[32m", "\033[31m", "\033[31m", "\033[33m"};
    struct act_buf st;
    act_buf_init(&st);
    status_text(rec, &st);
    const char *id = rec_str(rec, "action");
    enum outcome o = test_rec_outcome(rec);
    fprintf(f, "%s%s%s %s %s\n", color ? colors[o] : "", words[o], color ? "\033[0m" : "",
            id ? id : "?", st.len ? st.data : "");
    act_buf_release(&st);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "errors"))
    {
        if (cJSON_IsString(e))
            fprintf(f, "  %s\n", e->valuestring);
    }
    if (rec_str(rec, "skipped"))
        fprintf(f, "  %s\n", rec_str(rec, "skipped"));
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "warnings"))
    {
        if (cJSON_IsString(e))
            fprintf(f, "  warning: %s\n", e->valuestring);
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
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "not_run")))
        t->not_run++;
    else
        t->n[test_rec_outcome(rec)]++;
    t->total++;
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

void test_summary_line(const struct tally *t, char *buf, size_t size)
{
    char notrun[48] = "";
    if (t->not_run)
        snprintf(notrun, sizeof(notrun), ", %zu not run", t->not_run);
    snprintf(buf, size,
             "%zu passed, %zu failed, %zu unreachable, %zu skipped%s (%zu action%s, %.2f s)",
             t->n[OUT_PASS], t->n[OUT_FAIL], t->n[OUT_UNREACHABLE], t->n[OUT_SKIP], notrun,
             t->total, t->total == 1 ? "" : "s", t->secs);
}

/* JUnit XML for n records: one testsuite (the spec), one testcase per action. */
void test_print_junit(FILE *f, const struct run *r, cJSON *const *recs, size_t n,
                      const struct tally *t)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f,
            "<testsuites name=\"actions\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
            "time=\"%.3f\">\n",
            n, t->n[OUT_FAIL], t->n[OUT_UNREACHABLE], t->secs);
    fprintf(f, "  <testsuite name=\"");
    xml_put(f, r->spec->title ? r->spec->title : r->spec->doc->path);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            n, t->n[OUT_FAIL], t->n[OUT_UNREACHABLE], t->n[OUT_SKIP] + t->not_run, t->secs);
    for (size_t i = 0; i < n; i++) {
        const cJSON *rec = recs[i];
        enum outcome o = test_rec_outcome(rec);
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
        double secs = cJSON_IsNumber(ms) ? ms->valuedouble / 1000.0 : 0;
        fprintf(f, "    <testcase name=\"");
        xml_put(f, rec_str(rec, "action") ? rec_str(rec, "action") : "?");
        fprintf(f, "\" classname=\"");
        xml_put(f, r->dest ? r->dest->name : "actions");
        fprintf(f, "\" time=\"%.3f\">\n", secs);
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors");
        if (o == OUT_FAIL || o == OUT_UNREACHABLE) {
            const char *tag = o == OUT_UNREACHABLE ? "error" : "failure";
            const cJSON *first = cJSON_GetArrayItem(errs, 0);
            fprintf(f, "      <%s type=\"%s\" message=\"", tag,
                    o == OUT_UNREACHABLE ? "unreachable" : "check");
            xml_put(f, cJSON_IsString(first) ? first->valuestring : "failed");
            fprintf(f, "\">");
            const cJSON *e;
            cJSON_ArrayForEach(e, errs)
            {
                if (cJSON_IsString(e)) {
                    xml_put(f, e->valuestring);
                    xml_put(f, "\n");
                }
            }
            fprintf(f, "</%s>\n", tag);
        } else if (o == OUT_SKIP) {
            fprintf(f, "      <skipped message=\"");
            xml_put(f, rec_str(rec, "skipped") ? rec_str(rec, "skipped") : "not run");
            fprintf(f, "\"/>\n");
        }
        struct act_buf st;
        act_buf_init(&st);
        status_text(rec, &st);
        fprintf(f, "      <system-out>");
        xml_put(f, rec_str(rec, "method") ? rec_str(rec, "method") : "");
        fprintf(f, " ");
        xml_put(f, rec_str(rec, "url") ? rec_str(rec, "url") : "");
        fprintf(f, " -&gt; ");
        xml_put(f, st.len ? st.data : "");
        fprintf(f, "</system-out>\n");
        act_buf_release(&st);
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(rec, "warnings");
        if (cJSON_GetArraySize(w) > 0) {
            fprintf(f, "      <system-err>");
            const cJSON *e;
            cJSON_ArrayForEach(e, w)
            {
                if (cJSON_IsString(e)) {
                    xml_put(f, "warning: ");
                    xml_put(f, e->valuestring);
                    xml_put(f, "\n");
                }
            }
            fprintf(f, "</system-err>\n");
        }
        fprintf(f, "    </testcase>\n");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
}

/* A TAP description or directive text: one line, '#' and '\' escaped. */
static void tap_put(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '#' || *s == '\\')
            fputc('\\', f);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
}

/* A YAML scalar for a TAP diagnostic: a JSON string (YAML's double-quoted form). */
static void yaml_str(FILE *f, const char *s)
{
    cJSON *j = cJSON_CreateString(s ? s : "");
    char *t = j ? cJSON_PrintUnformatted(j) : NULL;
    fputs(t ? t : "\"\"", f);
    cJSON_free(t);
    cJSON_Delete(j);
}

/* The YAML list named key of the strings in rec's array key (nothing when empty). */
static void yaml_list(FILE *f, const cJSON *rec, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, key), *e;
    if (cJSON_GetArraySize(a) == 0)
        return;
    fprintf(f, "  %s:\n", key);
    cJSON_ArrayForEach(e, a)
    {
        if (cJSON_IsString(e)) {
            fputs("    - ", f);
            yaml_str(f, e->valuestring);
            fputc('\n', f);
        }
    }
}

/* TAP version 13 for n records: failures with a YAML block, skips as # SKIP. */
void test_print_tap(FILE *f, cJSON *const *recs, size_t n)
{
    fprintf(f, "TAP version 13\n1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *rec = recs[i];
        enum outcome o = test_rec_outcome(rec);
        const char *id = rec_str(rec, "action");
        fprintf(f, "%s %zu ", o == OUT_PASS || o == OUT_SKIP ? "ok" : "not ok", i + 1);
        tap_put(f, id ? id : "?");
        if (o == OUT_SKIP) {
            const char *why = rec_str(rec, "skipped");
            fputs(" # SKIP ", f);
            tap_put(f, why ? why : "not run");
        }
        fputc('\n', f);
        if (o != OUT_FAIL && o != OUT_UNREACHABLE)
            continue;
        const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rec, "errors"), 0);
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
        fputs("  ---\n  message: ", f);
        yaml_str(f, cJSON_IsString(first)  ? first->valuestring
                    : o == OUT_UNREACHABLE ? "backend not reachable"
                                           : "failed");
        fprintf(f, "\n  severity: %s\n  outcome: %s\n", o == OUT_UNREACHABLE ? "error" : "fail",
                test_outcome_names[o]);
        fputs("  method: ", f);
        yaml_str(f, rec_str(rec, "method"));
        fputs("\n  url: ", f);
        if (rec_str(rec, "url"))
            yaml_str(f, rec_str(rec, "url"));
        else
            fputs("null", f);
        if (cJSON_IsNumber(status))
            fprintf(f, "\n  status: %d\n", status->valueint);
        else
            fputs("\n  status: null\n", f);
        fprintf(f, "  duration_ms: %ld\n", cJSON_IsNumber(ms) ? (long)ms->valuedouble : 0L);
        yaml_list(f, rec, "errors");
        yaml_list(f, rec, "warnings");
        fputs("  ...\n", f);
    }
}

/* rec without the fields only the HTML report shows (a copy when it has them; NULL:
 * out of memory). *copy is what the caller deletes. */
static const cJSON *plain(const cJSON *rec, cJSON **copy)
{
    static const char *const detail[] = {"request", "response", "schemaErrors"};
    *copy = NULL;
    int has = 0;
    for (size_t k = 0; k < 3; k++)
        has |= cJSON_HasObjectItem(rec, detail[k]);
    if (!has)
        return rec;
    if (!(*copy = cJSON_Duplicate(rec, 1)))
        return NULL;
    for (size_t k = 0; k < 3; k++)
        cJSON_DeleteItemFromObjectCaseSensitive(*copy, detail[k]);
    return *copy;
}

/* The --all JSON report: {"actions": [...], "summary": {...}}. */
static void print_json_all(FILE *f, cJSON *const *recs, size_t n, const struct tally *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(o, "actions");
    int ok = a != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *copy = NULL;
        const cJSON *p = plain(recs[i], &copy);
        cJSON *item = copy ? copy : p ? cJSON_Duplicate(p, 1) : NULL;
        ok = item && cJSON_AddItemToArray(a, item);
    }
    cJSON *s = ok ? cJSON_AddObjectToObject(o, "summary") : NULL;
    for (int k = 0; s && k < 4; k++)
        if (!cJSON_AddNumberToObject(s, test_outcome_names[k], (double)t->n[k]))
            s = NULL;
    if (s && (!cJSON_AddNumberToObject(s, "not_run", (double)t->not_run) ||
              !cJSON_AddNumberToObject(s, "total", (double)t->total) ||
              !cJSON_AddNumberToObject(s, "seconds", (double)(long long)(t->secs * 1000) / 1000)))
        s = NULL;
    if (s)
        cli_print_json(f, o);
    else
        fputs("{\"error\": \"out of memory\"}\n", f); /* never an object with a field missing */
    cJSON_Delete(o);
}

void test_write(FILE *f, enum fmt fmt, const struct run *r, cJSON *const *recs, size_t n,
                const struct tally *t, int all)
{
    switch (fmt) {
    case FMT_TEXT:
        for (size_t i = 0; i < n; i++)
            test_print_record_text(f, recs[i], 0);
        if (all) {
            char line[256];
            test_summary_line(t, line, sizeof(line));
            fprintf(f, "%s\n", line);
        }
        break;
    case FMT_JSON:
        if (all) {
            print_json_all(f, recs, n, t);
        } else {
            for (size_t i = 0; i < n; i++) {
                cJSON *copy = NULL;
                const cJSON *p = plain(recs[i], &copy);
                if (p)
                    cli_print_json(f, p);
                cJSON_Delete(copy);
            }
        }
        break;
    case FMT_JUNIT: test_print_junit(f, r, recs, n, t); break;
    case FMT_TAP: test_print_tap(f, recs, n); break;
    case FMT_HTML: test_print_html(f, r, recs, n, t); break;
    }
}

/* s escaped for a workflow command: % CR LF always, : and , too in a property. */
static void gha_put(FILE *f, const char *s, int property)
{
    for (; *s; s++) {
        if (*s == '%')
            fputs("%25", f);
        else if (*s == '\r')
            fputs("%0D", f);
        else if (*s == '\n')
            fputs("%0A", f);
        else if (property && *s == ':')
            fputs("%3A", f);
        else if (property && *s == ',')
            fputs("%2C", f);
        else
            fputc(*s, f);
    }
}

void test_print_gha(FILE *f, const cJSON *rec)
{
    enum outcome o = test_rec_outcome(rec);
    if (o != OUT_FAIL && o != OUT_UNREACHABLE)
        return;
    const char *id = rec_str(rec, "action");
    fputs("::error title=", f);
    gha_put(f, id ? id : "?", 1);
    fputs("::", f);
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors"), *e;
    int any = 0;
    cJSON_ArrayForEach(e, errs)
    {
        if (!cJSON_IsString(e))
            continue;
        if (any++)
            gha_put(f, "\n", 0);
        gha_put(f, e->valuestring, 0);
    }
    if (!any)
        gha_put(f, o == OUT_UNREACHABLE ? "backend not reachable" : "failed", 0);
    fputc('\n', f);
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
    struct tally t = {{0}, 0, r->sent ? (double)r->resp.duration_ms / 1000.0 : 0, 0};
    test_tally_add(&t, rec);
    for (size_t i = 0; i < o->n_reports; i++)
        if (o->reports[i].f)
            test_write(o->reports[i].f, o->reports[i].fmt, r, &rec, 1, &t, 0);
    enum outcome oc = test_rec_outcome(rec);
    if (o->fmt != FMT_TEXT) {
        if (o->gha)
            test_print_gha(stderr, rec);
        test_write(stdout, o->fmt, r, &rec, 1, &t, 0);
    } else if (oc != OUT_UNREACHABLE) { /* the error on stderr says it all */
        test_print_record_text(stdout, rec, o->color);
        if (o->gha)
            test_print_gha(stdout, rec);
        if (r->c->stdout_tty && !o->quiet && r->sent && r->resp.body.len) {
            const cJSON *bv = cJSON_GetObjectItemCaseSensitive(rec, "body");
            if (cJSON_IsString(bv))
                print_text_body(bv->valuestring);
            else if (bv && !cJSON_IsNull(bv))
                cli_print_json(stdout, bv);
        }
    } else if (o->gha) {
        test_print_gha(stdout, rec);
    }
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
