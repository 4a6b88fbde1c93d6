/*
 * test_workflow.c - the workflow engine against an in-process step runner that
 * answers from a table: retries and their waits, goto loops ended by the step
 * limit, sub-workflow outputs, two source descriptions, inputs refused before
 * any call, dependsOn order, criteria failures quoted.
 */
#include "unit.h"

#include "process/workflow.h"

#define FLOWS "tests/fixtures/arazzo/flows.arazzo.yaml"

/* One call the runner saw. */
struct seen {
    char op[64];      /* operation id */
    char source[32];  /* source description */
    char params[256]; /* name=value;... */
    char body[256];   /* the body as JSON, "" when none */
};

/* The table runner: statuses per call in order (0 = the last one repeats), a
 * body. */
struct table {
    long statuses[8];  /* answers in order */
    size_t n_statuses; /* how many */
    const char *body;  /* JSON body of every answer, or NULL */
    struct seen calls[64];
    size_t n_calls;
    double sleeps[8]; /* waits requested */
    size_t n_sleeps;
};

static enum act_status table_run(void *ctx, const struct act_step_call *call,
                                 struct act_step_result *res)
{
    struct table *t = ctx;
    struct seen *s = &t->calls[t->n_calls < 64 ? t->n_calls : 63];
    size_t k = t->n_calls < t->n_statuses ? t->n_calls : t->n_statuses - 1;
    t->n_calls++;
    snprintf(s->op, sizeof s->op, "%s", call->op->id);
    snprintf(s->source, sizeof s->source, "%s", call->source);
    s->params[0] = s->body[0] = '\0';
    for (size_t i = 0; i < call->n_values; i++) {
        char *v = cJSON_PrintUnformatted(call->values[i].value);
        if (!v)
            return ACT_ERR_NOMEM; /* the OOM sweep reaches the runner too */
        size_t n = strlen(s->params);
        snprintf(s->params + n, sizeof s->params - n, "%s:%s=%s;", call->values[i].in,
                 call->values[i].name, v);
        act_free(v);
    }
    if (call->body) {
        char *b = cJSON_PrintUnformatted(call->body);
        if (!b)
            return ACT_ERR_NOMEM;
        snprintf(s->body, sizeof s->body, "%s", b);
        act_free(b);
    }
    res->status = t->statuses[k];
    res->passed = 1;
    res->duration_ms = 1;
    if (t->body && !(res->body = cJSON_Parse(t->body)))
        return ACT_ERR_NOMEM;
    return ACT_OK;
}

static void table_sleep(void *ctx, double secs)
{
    struct table *t = ctx;
    if (t->n_sleeps < 8)
        t->sleeps[t->n_sleeps] = secs;
    t->n_sleeps++;
}

static struct act_arazzo *load(void)
{
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_arazzo_load(FLOWS, 0, &a, &err))
        fail_msg("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    return a;
}

/* Run the one workflow id; the status, and *report. */
static enum act_status run_one(struct act_arazzo *a, struct table *t, const char *id,
                               const char *inputs, unsigned max_steps, cJSON **report,
                               struct act_error *err)
{
    const char *ids[1] = {id};
    cJSON *in = inputs ? cJSON_Parse(inputs) : NULL;
    struct act_run_opts o = {0};
    o.run = table_run;
    o.run_ctx = t;
    o.sleep = table_sleep;
    o.sleep_ctx = t;
    o.workflows = id ? ids : NULL;
    o.n_workflows = id ? 1 : 0;
    o.inputs = in;
    o.max_steps = max_steps;
    act_error_init(err);
    enum act_status st = act_workflow_run(a, &o, report, err);
    cJSON_Delete(in);
    return st;
}

static const cJSON *wf_rec(const cJSON *report, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(report, "workflows"), i);
}

static const cJSON *step_rec(const cJSON *wf, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(wf, "steps"), i);
}

static void test_workflow_retries_until_the_step_passes_and_waits_each_time(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {
        .statuses = {503, 503, 200}, .n_statuses = 3, .body = "{\"message\": \"Hello World\"}"};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "retrying", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 3);
    assert_int_equal(t.n_sleeps, 2);
    assert_true(t.sleeps[0] == 0.5 && t.sleeps[1] == 0.5);
    const cJSON *w = wf_rec(rep, 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(w, "passed")));
    const cJSON *s = step_rec(w, 0);
    assert_int_equal(cJSON_GetObjectItem(s, "attempts")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(s, "status")->valueint, 200);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(w, "outputs"), "message")->valuestring,
        "Hello World");
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_retry_limit_counts_retries_after_the_first_attempt(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {503}, .n_statuses = 1};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "retrying", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 4); /* the first attempt and 3 retries */
    const cJSON *w = wf_rec(rep, 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(w, "passed")));
    char *txt = cJSON_PrintUnformatted(cJSON_GetObjectItem(step_rec(w, 0), "errors"));
    assert_non_null(strstr(txt, "$statusCode == 200"));
    assert_non_null(strstr(txt, "retry limit of 3 reached"));
    act_free(txt);
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_goto_loop_ends_at_the_step_limit(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {200}, .n_statuses = 1};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "looping", NULL, 10, &rep, &err), ACT_ERR_LIMIT);
    assert_non_null(strstr(err.msg, "ACT_MAX_RUN_STEPS"));
    assert_true(err.line > 0);
    assert_int_equal(t.n_calls, 10);
    assert_non_null(rep);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(wf_rec(rep, 0), "passed")));
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_sub_workflow_outputs_flow_back(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {200}, .n_statuses = 1, .body = "{\"name\": \"Rex\"}"};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "caller", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 1);
    assert_string_equal(t.calls[0].op, "getPet");
    assert_string_equal(t.calls[0].params, "path:petId=7;header:X-Trace=\"trace-7\";");
    const cJSON *outs = cJSON_GetObjectItem(wf_rec(rep, 0), "outputs");
    assert_string_equal(cJSON_GetObjectItem(outs, "fromStep")->valuestring, "Rex");
    assert_string_equal(cJSON_GetObjectItem(outs, "fromWorkflow")->valuestring, "Rex");
    const cJSON *sub = cJSON_GetObjectItem(step_rec(wf_rec(rep, 0), 0), "workflow");
    assert_string_equal(cJSON_GetObjectItem(sub, "workflowId")->valuestring, "sub");
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_two_source_descriptions(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {200, 201}, .n_statuses = 2};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "twoSources", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 2);
    assert_string_equal(t.calls[0].source, "pets");
    assert_string_equal(t.calls[0].op, "listPets");
    assert_string_equal(t.calls[0].params, "query:limit=2;");
    assert_string_equal(t.calls[1].source, "store");
    assert_string_equal(t.calls[1].op, "placeOrder");
    assert_string_equal(t.calls[1].body, "{\"pet\":\"\",\"qty\":3}");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(wf_rec(rep, 0), "passed")));
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_invalid_inputs_are_refused_before_any_call(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {200}, .n_statuses = 1};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "typed", "{\"id\": \"seven\"}", 0, &rep, &err),
                     ACT_ERR_INVALID);
    assert_null(rep);
    assert_int_equal(t.n_calls, 0);
    assert_non_null(strstr(err.msg, "/id"));

    const char *ids[1] = {"typed"};
    cJSON *in = cJSON_Parse("{}");
    struct act_run_opts o = {0};
    o.run = table_run;
    o.run_ctx = &t;
    o.workflows = ids;
    o.n_workflows = 1;
    o.inputs = in;
    cJSON *errs = NULL;
    act_error_init(&err);
    assert_int_equal(act_workflow_check_inputs(a, &o, &errs, &err), ACT_OK);
    assert_int_equal(cJSON_GetArraySize(errs), 1);
    assert_non_null(strstr(cJSON_GetArrayItem(errs, 0)->valuestring, "typed: "));
    assert_non_null(strstr(cJSON_GetArrayItem(errs, 0)->valuestring, "id"));
    cJSON_Delete(errs);
    cJSON_Delete(in);
    act_arazzo_free(a);
}

static void test_workflow_depends_on_runs_first_and_once(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {200, 201, 201}, .n_statuses = 3};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "dependent", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 2);
    assert_string_equal(t.calls[0].op, "get.hello");
    assert_string_equal(t.calls[1].op, "createPet");
    assert_string_equal(cJSON_GetObjectItem(wf_rec(rep, 0), "workflowId")->valuestring, "base");
    assert_string_equal(cJSON_GetObjectItem(wf_rec(rep, 1), "workflowId")->valuestring,
                        "dependent");
    cJSON_Delete(rep);

    /* Both named: base still runs once. */
    const char *ids[2] = {"dependent", "base"};
    struct act_run_opts o = {0};
    t.n_calls = 0;
    o.run = table_run;
    o.run_ctx = &t;
    o.workflows = ids;
    o.n_workflows = 2;
    act_error_init(&err);
    assert_int_equal(act_workflow_run(a, &o, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rep, "workflows")), 2);
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_failed_criterion_is_quoted_and_later_steps_do_not_run(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {404}, .n_statuses = 1};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "strict", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 1);
    const cJSON *w = wf_rec(rep, 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(w, "passed")));
    /* the step that never ran is recorded as such, and not counted */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(w, "steps")), 2);
    assert_string_equal(cJSON_GetObjectItem(step_rec(w, 1), "stepId")->valuestring, "never");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(step_rec(w, 1), "ran")));
    assert_null(cJSON_GetObjectItem(step_rec(w, 0), "ran"));
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rep, "summary"), "steps")->valueint,
                     1);
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(step_rec(w, 0), "errors"), 0);
    assert_non_null(strstr(e->valuestring, "$statusCode == 200"));
    assert_non_null(strstr(e->valuestring, "404"));
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rep, "summary"), "failed")->valueint,
                     1);
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_unknown_workflow_id_is_an_error(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    struct table t = {.statuses = {200}, .n_statuses = 1};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "nope", NULL, 0, &rep, &err), ACT_ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "unknown workflow 'nope'"));
    assert_int_equal(t.n_calls, 0);
    act_arazzo_free(a);
}

static void test_workflow_step_actions_override_the_workflow_defaults_by_name(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    /* inherits: 500 then 200 (the workflow's retry); overrides: 500 (its own end). */
    struct table t = {.statuses = {500, 200, 500}, .n_statuses = 3};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "defaults", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 3);
    const cJSON *w = wf_rec(rep, 0);
    assert_int_equal(cJSON_GetObjectItem(step_rec(w, 0), "attempts")->valueint, 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(step_rec(w, 0), "passed")));
    assert_int_equal(cJSON_GetObjectItem(step_rec(w, 1), "attempts")->valueint, 1);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(w, "passed")));
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_retry_through_another_step_counts_against_the_limit(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    /* login 200, fetch 500, (wait) login 200, fetch 500: the one retry is spent. */
    struct table t = {.statuses = {200, 500, 200, 500, 200, 201}, .n_statuses = 6};
    cJSON *rep = NULL;
    struct act_error err;
    assert_int_equal(run_one(a, &t, "retryVia", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t.n_calls, 4);
    assert_int_equal(t.n_sleeps, 1);
    assert_true(t.sleeps[0] == 0.25);
    assert_string_equal(t.calls[2].op, "get.hello");
    const cJSON *w = wf_rec(rep, 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(w, "passed")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(w, "steps")), 4);
    cJSON_Delete(rep);

    /* login 200, fetch 500, login 200, fetch 201: passes. */
    struct table t2 = {.statuses = {200, 500, 200, 201}, .n_statuses = 4};
    assert_int_equal(run_one(a, &t2, "retryVia", NULL, 0, &rep, &err), ACT_OK);
    assert_int_equal(t2.n_calls, 4);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(wf_rec(rep, 0), "passed")));
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_total_retry_wait_and_nesting_have_limits(void **state)
{
    (void)state;
    struct act_arazzo *a = load();
    /* retryAfter 0.5, three retries: 1.5 s in all, over a limit of 1 s */
    struct table t = {.statuses = {503}, .n_statuses = 1};
    const char *ids[1] = {"retrying"};
    struct act_run_opts o = {0};
    o.run = table_run;
    o.run_ctx = &t;
    o.sleep = table_sleep;
    o.sleep_ctx = &t;
    o.workflows = ids;
    o.n_workflows = 1;
    o.max_retry_wait = 1.0;
    cJSON *rep = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_workflow_run(a, &o, &rep, &err), ACT_ERR_LIMIT);
    assert_non_null(strstr(err.msg, "ACT_MAX_RETRY_WAIT_S"));
    assert_int_equal(t.n_sleeps, 2); /* the third wait would cross it: not slept */
    cJSON_Delete(rep);

    /* a workflow calling itself stops at the nesting limit */
    struct table t2 = {.statuses = {200}, .n_statuses = 1};
    ids[0] = "recurse";
    o.run_ctx = &t2;
    o.sleep_ctx = &t2;
    o.max_retry_wait = 0;
    o.max_nesting = 5;
    rep = NULL;
    act_error_init(&err);
    assert_int_equal(act_workflow_run(a, &o, &rep, &err), ACT_ERR_LIMIT);
    assert_non_null(strstr(err.msg, "ACT_MAX_WORKFLOW_NESTING"));
    assert_true(err.line > 0);
    assert_int_equal(t2.n_calls, 0);
    cJSON_Delete(rep);
    act_arazzo_free(a);
}

static void test_workflow_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    const char *ids[2] = {"caller", "twoSources"};
    for (long n = 1;; n++) {
        struct table t = {.statuses = {200}, .n_statuses = 1, .body = NULL};
        struct act_arazzo *a = NULL;
        struct act_error err;
        cJSON *rep = NULL;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_arazzo_load(FLOWS, 0, &a, &err);
        if (!st) {
            struct act_run_opts o = {0};
            o.run = table_run;
            o.run_ctx = &t;
            o.workflows = ids;
            o.n_workflows = 2;
            st = act_workflow_run(a, &o, &rep, &err);
        }
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        cJSON_Delete(rep);
        act_arazzo_free(a);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld failed, status %d (%s)", n, st, err.msg);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workflow_retries_until_the_step_passes_and_waits_each_time),
        cmocka_unit_test(test_workflow_retry_limit_counts_retries_after_the_first_attempt),
        cmocka_unit_test(test_workflow_goto_loop_ends_at_the_step_limit),
        cmocka_unit_test(test_workflow_sub_workflow_outputs_flow_back),
        cmocka_unit_test(test_workflow_two_source_descriptions),
        cmocka_unit_test(test_workflow_invalid_inputs_are_refused_before_any_call),
        cmocka_unit_test(test_workflow_depends_on_runs_first_and_once),
        cmocka_unit_test(test_workflow_failed_criterion_is_quoted_and_later_steps_do_not_run),
        cmocka_unit_test(test_workflow_unknown_workflow_id_is_an_error),
        cmocka_unit_test(test_workflow_step_actions_override_the_workflow_defaults_by_name),
        cmocka_unit_test(test_workflow_retry_through_another_step_counts_against_the_limit),
        cmocka_unit_test(test_workflow_total_retry_wait_and_nesting_have_limits),
        cmocka_unit_test(test_workflow_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
