/*
 * report.c - a process run's report in every format (see report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "process/report.h"

/* Sum the number member name of from into to. */
static int add_count(cJSON *to, const cJSON *from, const char *name)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(from, name);
    cJSON *t = cJSON_GetObjectItemCaseSensitive(to, name);
    if (!cJSON_IsNumber(f))
        return 0;
    if (!t)
        return !cJSON_AddNumberToObject(to, name, f->valuedouble);
    cJSON_SetNumberValue(t, t->valuedouble + f->valuedouble);
    return 0;
}

int act_process_report_merge(cJSON **all, cJSON *frep, const char *file)
{
    cJSON *wfs = cJSON_GetObjectItemCaseSensitive(frep, "workflows");
    for (cJSON *w = wfs ? wfs->child : NULL; w; w = w->next)
        if (!cJSON_AddStringToObject(w, "file", file)) {
            cJSON_Delete(frep);
            return 1;
        }
    if (!*all) {
        *all = frep;
        return 0;
    }
    cJSON *into = cJSON_GetObjectItemCaseSensitive(*all, "workflows");
    while (wfs && wfs->child)
        cJSON_AddItemToArray(into, cJSON_DetachItemViaPointer(wfs, wfs->child));
    cJSON *sum = cJSON_GetObjectItemCaseSensitive(*all, "summary");
    const cJSON *fsum = cJSON_GetObjectItemCaseSensitive(frep, "summary");
    int bad = !sum || add_count(sum, fsum, "workflows") || add_count(sum, fsum, "passed") ||
              add_count(sum, fsum, "failed") || add_count(sum, fsum, "steps") ||
              add_count(sum, fsum, "steps_executed");
    if (sum && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fsum, "unreachable"))) {
        cJSON *t = cJSON_CreateTrue();
        if (!t || !cJSON_ReplaceItemInObjectCaseSensitive(sum, "unreachable", t)) {
            cJSON_Delete(t);
            bad = 1;
        }
    }
    cJSON_Delete(frep);
    return bad;
}

/* ---------------------------------------------------------------- text output */

/* One workflow record as text, indented by ind spaces: its header line, a line per
 * step (PASS, FAIL, or SKIP for one that never ran) with its errors under it and the
 * workflow it called or went to indented under that, then its outputs. */
static void print_workflow(FILE *f, const cJSON *w, int ind)
{
    fprintf(f, "%*sworkflow %s: %s\n", ind, "",
            cJSON_GetObjectItemCaseSensitive(w, "workflowId")->valuestring,
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "passed")) ? "passed" : "failed");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(w, "steps");
    for (const cJSON *s = steps ? steps->child : NULL; s; s = s->next) {
        const char *id = cJSON_GetObjectItemCaseSensitive(s, "stepId")->valuestring;
        const char *action = cJSON_GetObjectItemCaseSensitive(s, "action")->valuestring;
        if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(s, "ran"))) {
            fprintf(f, "%*sSKIP %s %s (not run)\n", ind, "", id, action);
            continue;
        }
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(s, "status");
        char st[32] = "-";
        if (cJSON_IsNumber(status))
            snprintf(st, sizeof st, "%d", status->valueint);
        fprintf(f, "%*s%s %s %s %s %.0f ms\n", ind, "",
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "passed")) ? "PASS" : "FAIL", id,
                action, st, cJSON_GetObjectItemCaseSensitive(s, "duration_ms")->valuedouble);
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(s, "errors");
        for (const cJSON *e = errs ? errs->child : NULL; e; e = e->next)
            fprintf(f, "%*s    %s\n", ind, "", e->valuestring);
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(s, "workflow");
        if (cJSON_IsObject(sub))
            print_workflow(f, sub, ind + 2);
    }
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(w, "errors");
    for (const cJSON *e = errs ? errs->child : NULL; e; e = e->next)
        fprintf(f, "%*s  %s\n", ind, "", e->valuestring);
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(w, "outputs");
    for (const cJSON *o = outs ? outs->child : NULL; o; o = o->next) {
        char *j = cJSON_PrintUnformatted(o);
        fprintf(f, "%*s  %s = %s\n", ind, "", o->string, j ? j : "?");
        act_free(j);
    }
}

static void print_text(FILE *f, const cJSON *rep)
{
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(rep, "workflows");
    const char *file = NULL;
    for (const cJSON *w = wfs ? wfs->child : NULL; w; w = w->next) {
        const cJSON *wfile = cJSON_GetObjectItemCaseSensitive(w, "file");
        if (cJSON_IsString(wfile) && (!file || strcmp(file, wfile->valuestring))) {
            file = wfile->valuestring;
            fprintf(f, "process %s\n", file);
        }
        print_workflow(f, w, 0);
    }
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(rep, "summary");
    fprintf(f, "%d workflows: %d passed, %d failed (%d steps)\n",
            cJSON_GetObjectItemCaseSensitive(sum, "workflows")->valueint,
            cJSON_GetObjectItemCaseSensitive(sum, "passed")->valueint,
            cJSON_GetObjectItemCaseSensitive(sum, "failed")->valueint,
            cJSON_GetObjectItemCaseSensitive(sum, "steps")->valueint);
}

/* ------------------------------------------------- junit, tap, html (report.h) */

/*
 * The steps that ran, as runner/report.h records (action is "STEP" with prefix NULL,
 * else "WORKFLOW/STEP"), appended to recs (up to max) and counted in t; the number added.
 */
static size_t step_records(const cJSON *wf, int prefix, cJSON **recs, size_t max,
                           struct act_tally *t)
{
    const char *wid = cJSON_GetObjectItemCaseSensitive(wf, "workflowId")->valuestring;
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(wf, "steps");
    size_t n = 0;
    for (const cJSON *st = steps ? steps->child : NULL; st && n < max; st = st->next) {
        if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(st, "ran")))
            continue;
        const char *sid = cJSON_GetObjectItemCaseSensitive(st, "stepId")->valuestring;
        int passed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "passed"));
        int unreachable = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "unreachable"));
        enum act_outcome o = passed        ? ACT_OUTCOME_PASS
                             : unreachable ? ACT_OUTCOME_UNREACHABLE
                                           : ACT_OUTCOME_FAIL;
        cJSON *rec = cJSON_CreateObject();
        char name[512];
        snprintf(name, sizeof name, "%s%s%s", prefix ? wid : "", prefix ? "/" : "", sid);
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(st, "status");
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(st, "duration_ms");
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(st, "errors");
        const cJSON *method = cJSON_GetObjectItemCaseSensitive(st, "method");
        const cJSON *url = cJSON_GetObjectItemCaseSensitive(st, "url");
        if (!rec || !cJSON_AddStringToObject(rec, "action", name) ||
            !cJSON_AddStringToObject(
                rec, "method",
                cJSON_IsString(method)
                    ? method->valuestring
                    : cJSON_GetObjectItemCaseSensitive(st, "action")->valuestring) ||
            !cJSON_AddStringToObject(rec, "url", cJSON_IsString(url) ? url->valuestring : "") ||
            !cJSON_AddNumberToObject(rec, "status",
                                     cJSON_IsNumber(status) ? status->valuedouble : 0) ||
            !cJSON_AddStringToObject(rec, "reason", "") ||
            !cJSON_AddNumberToObject(rec, "duration_ms",
                                     cJSON_IsNumber(ms) ? ms->valuedouble : 0) ||
            !cJSON_AddBoolToObject(rec, "passed", passed) ||
            !cJSON_AddStringToObject(rec, "outcome", act_outcome_names[o]) ||
            !cJSON_AddItemToObject(rec, "errors",
                                   errs ? cJSON_Duplicate(errs, 1) : cJSON_CreateArray()) ||
            !cJSON_AddArrayToObject(rec, "warnings")) {
            cJSON_Delete(rec);
            continue;
        }
        recs[n++] = rec;
        act_tally_add(t, rec);
        t->secs += (cJSON_IsNumber(ms) ? ms->valuedouble : 0) / 1000.0;
    }
    return n;
}

#define RUN_MAX_RECORDS 4096

/* JUnit XML: a testsuite per workflow, a testcase per step that ran. Each suite is
 * written by act_report_junit and taken from inside its <testsuites> element. */
static void write_junit(FILE *f, const cJSON *rep, cJSON **recs)
{
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(rep, "workflows");
    struct act_tally all;
    memset(&all, 0, sizeof all);
    struct act_buf suites;
    act_buf_init(&suites);
    for (const cJSON *w = wfs ? wfs->child : NULL; w; w = w->next) {
        struct act_tally t;
        memset(&t, 0, sizeof t);
        size_t n = step_records(w, 0, recs, RUN_MAX_RECORDS, &t);
        for (size_t i = 0; i < n; i++)
            act_tally_add(&all, recs[i]);
        const char *wid = cJSON_GetObjectItemCaseSensitive(w, "workflowId")->valuestring;
        struct act_report_meta m = {NULL, wid, wid, NULL};
        char *text = NULL;
        size_t len = 0;
        FILE *mf = open_memstream(&text, &len);
        if (mf) {
            act_report_junit(mf, &m, recs, n, &t);
            if (fclose(mf) == 0) {
                const char *from = strstr(text, "  <testsuite ");
                const char *to = from ? strstr(from, "</testsuites>") : NULL;
                if (to && act_buf_add(&suites, from, (size_t)(to - from)))
                    to = NULL;
            }
            free(text);
        }
        for (size_t i = 0; i < n; i++)
            cJSON_Delete(recs[i]);
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"actions run\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
            all.total, all.n[ACT_OUTCOME_FAIL], all.n[ACT_OUTCOME_UNREACHABLE]);
    if (suites.len)
        fwrite(suites.data, 1, suites.len, f);
    fprintf(f, "</testsuites>\n");
    act_buf_release(&suites);
}

/* TAP or HTML over the steps that ran, each named WORKFLOW/STEP. */
static void write_steps(FILE *f, int fmt, const cJSON *rep, const char *path, cJSON **recs)
{
    const cJSON *wfs = cJSON_GetObjectItemCaseSensitive(rep, "workflows");
    struct act_tally t;
    memset(&t, 0, sizeof t);
    size_t n = 0;
    for (const cJSON *w = wfs ? wfs->child : NULL; w; w = w->next)
        n += step_records(w, 1, recs + n, RUN_MAX_RECORDS - n, &t);
    if (fmt == ACT_REPORT_TAP) {
        act_report_tap(f, recs, n);
    } else {
        struct act_report_meta m = {path, NULL, NULL, NULL};
        act_report_html(f, &m, recs, n, &t);
    }
    for (size_t i = 0; i < n; i++)
        cJSON_Delete(recs[i]);
}

void act_process_report_write(FILE *f, enum act_report_fmt fmt, const cJSON *rep, const char *path,
                              const struct act_redactor *red)
{
    char *text = NULL;
    size_t len = 0;
    cJSON **recs = act_calloc(RUN_MAX_RECORDS, sizeof *recs);
    FILE *m = recs ? open_memstream(&text, &len) : NULL;
    if (!m) {
        act_free(recs);
        return;
    }
    if (fmt == ACT_REPORT_JSON)
        act_report_json(m, rep);
    else if (fmt == ACT_REPORT_JUNIT) {
        write_junit(m, rep, recs);
    } else if (fmt == ACT_REPORT_TAP || fmt == ACT_REPORT_HTML) {
        write_steps(m, fmt, rep, path, recs);
    } else {
        print_text(m, rep);
    }
    act_free(recs);
    if (fclose(m) == 0) {
        struct act_buf b;
        act_buf_init(&b);
        if (!act_redact_text(red, text, len, &b))
            fwrite(b.data, 1, b.len, f);
        act_buf_release(&b);
    }
    free(text);
}
