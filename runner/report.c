/*
 * report.c - the results of a run written as text, JSON, JUnit XML or TAP, the summary
 * line and the tally of outcomes, the ::error workflow commands of GitHub Actions, and
 * the JSON printer every command's --format json uses (the HTML page is report_html.c).
 * Records are read, never changed; nothing here masks secrets, exits or picks a file.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_buf.h"
#include "common/act_utf8.h"
#include "runner/report.h"

const char *const act_outcome_names[] = {"passed", "failed", "unreachable", "skipped"};

static const char *rec_str(const cJSON *rec, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

enum act_outcome act_report_outcome(const cJSON *rec)
{
    const char *o = rec_str(rec, "outcome");
    for (int i = 0; o && i < 4; i++)
        if (strcmp(o, act_outcome_names[i]) == 0)
            return (enum act_outcome)i;
    return ACT_OUTCOME_FAIL;
}

/* "200 OK 12 ms" for a record into b (left empty when out of memory). */
static void status_text(const cJSON *rec, struct act_buf *b)
{
    enum act_status st;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
    const char *reason = rec_str(rec, "reason");
    enum act_outcome o = act_report_outcome(rec);
    if (o == ACT_OUTCOME_UNREACHABLE)
        st = act_buf_adds(b, "(backend not reachable)");
    else if (o == ACT_OUTCOME_SKIP)
        st = act_buf_adds(b, "(not run)");
    else if (!cJSON_IsNumber(status))
        st = act_buf_adds(b, "(request not sent)");
    else
        st = act_buf_printf(b, "%d%s%s %ld ms", status->valueint, reason && *reason ? " " : "",
                            reason ? reason : "", cJSON_IsNumber(ms) ? (long)ms->valuedouble : 0L);
    if (st)
        act_buf_reset(b);
}

/* One action as text to f: "PASS get.hello 200 OK 3 ms", then problems and warnings
 * indented; the word in colour when color is set. */
void act_report_text(FILE *f, const cJSON *rec, int color)
{
    static const char *const words[] = {"PASS", "FAIL", "FAIL", "SKIP"};
    static const char *const colors[] = {"\033[32m", "\033[31m", "\033[31m", "\033[33m"};
    struct act_buf st;
    act_buf_init(&st);
    status_text(rec, &st);
    const char *id = rec_str(rec, "action");
    enum act_outcome o = act_report_outcome(rec);
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

/* XML text: markup escaped, control characters and what is not well-formed UTF-8 (or is
 * U+FFFE, U+FFFF: not XML characters) replaced by U+FFFD. */
static void xml_put(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (*p) {
        unsigned c = *p;
        size_t n = 1;
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
        else if ((n = act_utf8_len(p, left)) != 0 &&
                 !(n == 3 && c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)))
            fwrite(p, 1, n, f);
        else {
            n = 1;
            fputs("\xEF\xBF\xBD", f);
        }
        p += n;
        left -= n;
    }
}

void act_tally_add(struct act_tally *t, const cJSON *rec)
{
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "not_run")))
        t->not_run++;
    else
        t->n[act_report_outcome(rec)]++;
    t->total++;
}

void act_report_summary(const struct act_tally *t, char *buf, size_t size)
{
    char notrun[48] = "";
    if (t->not_run)
        snprintf(notrun, sizeof(notrun), ", %zu not run", t->not_run);
    snprintf(buf, size,
             "%zu passed, %zu failed, %zu unreachable, %zu skipped%s (%zu action%s, %.2f s)",
             t->n[ACT_OUTCOME_PASS], t->n[ACT_OUTCOME_FAIL], t->n[ACT_OUTCOME_UNREACHABLE],
             t->n[ACT_OUTCOME_SKIP], notrun, t->total, t->total == 1 ? "" : "s", t->secs);
}

/* JUnit XML for n records: one testsuite (the spec), one testcase per action. */
void act_report_junit(FILE *f, const struct act_report_meta *m, cJSON *const *recs, size_t n,
                      const struct act_tally *t)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f,
            "<testsuites name=\"actions\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
            "time=\"%.3f\">\n",
            n, t->n[ACT_OUTCOME_FAIL], t->n[ACT_OUTCOME_UNREACHABLE], t->secs);
    fprintf(f, "  <testsuite name=\"");
    xml_put(f, m->title ? m->title : m->spec_path ? m->spec_path : "");
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            n, t->n[ACT_OUTCOME_FAIL], t->n[ACT_OUTCOME_UNREACHABLE],
            t->n[ACT_OUTCOME_SKIP] + t->not_run, t->secs);
    for (size_t i = 0; i < n; i++) {
        const cJSON *rec = recs[i];
        enum act_outcome o = act_report_outcome(rec);
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
        double secs = cJSON_IsNumber(ms) ? ms->valuedouble / 1000.0 : 0;
        fprintf(f, "    <testcase name=\"");
        xml_put(f, rec_str(rec, "action") ? rec_str(rec, "action") : "?");
        fprintf(f, "\" classname=\"");
        xml_put(f, m->dest ? m->dest : "actions");
        fprintf(f, "\" time=\"%.3f\">\n", secs);
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors");
        if (o == ACT_OUTCOME_FAIL || o == ACT_OUTCOME_UNREACHABLE) {
            const char *tag = o == ACT_OUTCOME_UNREACHABLE ? "error" : "failure";
            const cJSON *first = cJSON_GetArrayItem(errs, 0);
            fprintf(f, "      <%s type=\"%s\" message=\"", tag,
                    o == ACT_OUTCOME_UNREACHABLE ? "unreachable" : "check");
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
        } else if (o == ACT_OUTCOME_SKIP) {
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
void act_report_tap(FILE *f, cJSON *const *recs, size_t n)
{
    fprintf(f, "TAP version 13\n1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *rec = recs[i];
        enum act_outcome o = act_report_outcome(rec);
        const char *id = rec_str(rec, "action");
        fprintf(f, "%s %zu ", o == ACT_OUTCOME_PASS || o == ACT_OUTCOME_SKIP ? "ok" : "not ok",
                i + 1);
        tap_put(f, id ? id : "?");
        if (o == ACT_OUTCOME_SKIP) {
            const char *why = rec_str(rec, "skipped");
            fputs(" # SKIP ", f);
            tap_put(f, why ? why : "not run");
        }
        fputc('\n', f);
        if (o != ACT_OUTCOME_FAIL && o != ACT_OUTCOME_UNREACHABLE)
            continue;
        const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rec, "errors"), 0);
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
        fputs("  ---\n  message: ", f);
        yaml_str(f, cJSON_IsString(first)          ? first->valuestring
                    : o == ACT_OUTCOME_UNREACHABLE ? "backend not reachable"
                                                   : "failed");
        fprintf(f, "\n  severity: %s\n  outcome: %s\n",
                o == ACT_OUTCOME_UNREACHABLE ? "error" : "fail", act_outcome_names[o]);
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
static void print_json_all(FILE *f, cJSON *const *recs, size_t n, const struct act_tally *t)
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
        if (!cJSON_AddNumberToObject(s, act_outcome_names[k], (double)t->n[k]))
            s = NULL;
    if (s && (!cJSON_AddNumberToObject(s, "not_run", (double)t->not_run) ||
              !cJSON_AddNumberToObject(s, "total", (double)t->total) ||
              !cJSON_AddNumberToObject(s, "seconds", (double)(long long)(t->secs * 1000) / 1000)))
        s = NULL;
    if (s)
        act_report_json(f, o);
    else
        fputs("{\"error\": \"out of memory\"}\n", f); /* never an object with a field missing */
    cJSON_Delete(o);
}

void act_report_write(FILE *f, enum act_report_fmt fmt, const struct act_report_meta *m,
                      cJSON *const *recs, size_t n, const struct act_tally *t, int all)
{
    switch (fmt) {
    case ACT_REPORT_TEXT:
        for (size_t i = 0; i < n; i++)
            act_report_text(f, recs[i], 0);
        if (all) {
            char line[256];
            act_report_summary(t, line, sizeof(line));
            fprintf(f, "%s\n", line);
        }
        break;
    case ACT_REPORT_JSON:
        if (all) {
            print_json_all(f, recs, n, t);
        } else {
            for (size_t i = 0; i < n; i++) {
                cJSON *copy = NULL;
                const cJSON *p = plain(recs[i], &copy);
                if (p)
                    act_report_json(f, p);
                cJSON_Delete(copy);
            }
        }
        break;
    case ACT_REPORT_JUNIT: act_report_junit(f, m, recs, n, t); break;
    case ACT_REPORT_TAP: act_report_tap(f, recs, n); break;
    case ACT_REPORT_HTML: act_report_html(f, m, recs, n, t); break;
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

void act_report_gha(FILE *f, const cJSON *rec)
{
    enum act_outcome o = act_report_outcome(rec);
    if (o != ACT_OUTCOME_FAIL && o != ACT_OUTCOME_UNREACHABLE)
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
        gha_put(f, o == ACT_OUTCOME_UNREACHABLE ? "backend not reachable" : "failed", 0);
    fputc('\n', f);
}

static void put_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    fputc('"', f);
    for (;; p++) {
        unsigned char c = *p;
        /* Plain bytes go out in runs; only what JSON must escape is handled alone. */
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        fwrite(run, 1, (size_t)(p - run), f);
        run = p + 1;
        if (c == '\0')
            break;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default: fprintf(f, "\\u%04x", c); break;
        }
    }
    fputc('"', f);
}

static void put_number(FILE *f, double d)
{
    char buf[64];
    if (!isfinite(d)) {
        fputs("null", f);
        return;
    }
    if (d == floor(d) && fabs(d) < 9007199254740992.0) {
        fprintf(f, "%.0f", d);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    fputs(buf, f);
}

static void json_indent(FILE *f, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", f);
}

static void json_put(FILE *f, const cJSON *item, int depth)
{
    if (cJSON_IsNull(item) || cJSON_IsInvalid(item))
        fputs("null", f);
    else if (cJSON_IsTrue(item))
        fputs("true", f);
    else if (cJSON_IsFalse(item))
        fputs("false", f);
    else if (cJSON_IsNumber(item))
        put_number(f, item->valuedouble);
    else if (cJSON_IsString(item))
        put_string(f, item->valuestring);
    else if (cJSON_IsRaw(item))
        fputs(item->valuestring, f);
    else {
        int obj = cJSON_IsObject(item);
        if (!item->child) {
            fputs(obj ? "{}" : "[]", f);
            return;
        }
        fputc(obj ? '{' : '[', f);
        for (const cJSON *c = item->child; c; c = c->next) {
            fputc('\n', f);
            json_indent(f, depth + 1);
            if (obj) {
                put_string(f, c->string ? c->string : "");
                fputs(": ", f);
            }
            json_put(f, c, depth + 1);
            if (c->next)
                fputc(',', f);
        }
        fputc('\n', f);
        json_indent(f, depth);
        fputc(obj ? '}' : ']', f);
    }
}

void act_report_json(FILE *f, const cJSON *item)
{
    json_put(f, item, 0);
    fputc('\n', f);
}
