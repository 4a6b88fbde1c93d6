/*
 * test_batch.c - runs of actions as library calls: the record of a run (runner/record.h:
 * fields, secrets masked, the HTML page's details, not-run and failed records) and a
 * batch (runner/batch.h) against a port on 127.0.0.1 that nothing listens on: every
 * action unreachable, in plan order, in order and in worker processes; fail_fast stops
 * after the first; the values of the job reach only the actions that have them.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "runner/batch.h"
#include "runner/record.h"

#define SPEC "specs/petstore.yaml"

struct fx {
    struct act_spec *spec;
    struct act_validator *v;
    struct act_dest dest;
    char url[64];
    struct act_run r;
};

/* A port on 127.0.0.1 nothing listens on (bound, then closed). */
static int closed_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    return ntohs(a.sin_port);
}

static int setup(void **state)
{
    struct fx *f = act_calloc(1, sizeof(*f));
    struct act_error err;
    act_error_init(&err);
    if (!f || act_spec_load(SPEC, 0, &f->spec, &err) || act_validator_new(f->spec->docs, &f->v))
        return -1;
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%d/api", closed_port());
    f->dest.name = "local";
    f->dest.url = f->url;
    act_run_init(&f->r);
    f->r.spec = f->spec;
    f->r.dest = &f->dest;
    f->r.v = f->v;
    f->r.http.timeout_ms = 5000;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    act_run_release(&f->r);
    act_validator_free(f->v);
    act_spec_free(f->spec);
    act_free(f);
    return 0;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_a_record_masks_secrets_and_adds_details(void **state)
{
    struct fx *f = *state;
    struct act_run *r = &f->r;
    assert_int_equal(act_redactor_add_secret(&r->red, "s3cretvalue"), ACT_OK);
    act_run_reset(r);
    r->op = act_spec_find_op(f->spec, "listPets");
    r->outcome = ACT_OUTCOME_FAIL;
    assert_int_equal(act_msgs_add(&r->problems, "token s3cretvalue refused"), ACT_OK);
    r->display_url = act_strdup("http://127.0.0.1:1/pets?key=s3cretvalue");
    r->details = 1;
    cJSON *rec = act_run_record(r);
    assert_non_null(rec);
    assert_string_equal(str(rec, "action"), "listPets");
    assert_string_equal(str(rec, "method"), "GET");
    assert_string_equal(str(rec, "outcome"), "failed");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(rec, "passed")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(rec, "status")));
    assert_null(strstr(str(rec, "url"), "s3cretvalue"));
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(rec, "errors");
    assert_int_equal(cJSON_GetArraySize(errs), 1);
    assert_null(strstr(cJSON_GetArrayItem(errs, 0)->valuestring, "s3cretvalue"));
    assert_non_null(strstr(cJSON_GetArrayItem(errs, 0)->valuestring, "refused"));
    /* the HTML page's fields: nothing was built or sent */
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(rec, "request")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(rec, "response")));
    assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(rec, "schemaErrors")));
    assert_null(act_run_body_value(r));
    cJSON_Delete(rec);
    r->details = 0;

    rec = act_run_not_run_record(r, act_spec_find_op(f->spec, "createPet"));
    assert_non_null(rec);
    assert_string_equal(str(rec, "method"), "POST");
    assert_string_equal(str(rec, "outcome"), "skipped");
    assert_string_equal(str(rec, "skipped"), "not run (--fail-fast)");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "not_run")));
    assert_null(cJSON_GetObjectItemCaseSensitive(rec, "request"));
    cJSON_Delete(rec);

    rec = act_run_failed_record(r, act_spec_find_op(f->spec, "listPets"), "the worker stopped");
    assert_non_null(rec);
    assert_string_equal(str(rec, "outcome"), "failed");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rec, "errors"), 0)->valuestring,
        "the worker stopped");
    cJSON_Delete(rec);
}

/* Counts the result callbacks. */
static void count(void *ctx, const struct act_batch *b)
{
    (void)b;
    ++*(int *)ctx;
}

/* Run listPets, showPetById and getCategory with jobs and fail_fast; checks the order. */
static void run_plan(struct fx *f, int jobs, int fail_fast, struct act_batch *b, int *calls)
{
    const struct act_op *ops[] = {act_spec_find_op(f->spec, "listPets"),
                                  act_spec_find_op(f->spec, "showPetById"),
                                  act_spec_find_op(f->spec, "getCategory")};
    const struct act_arg ps[] = {{"petId", "7"}, {"categoryId", "3"}};
    struct act_job j = {ps, 2, NULL, 0, NULL, 0, NULL, 0};
    struct act_plan p = {ops, 3, &j, NULL};
    struct act_batch_events ev = {count, NULL, -1, calls};
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_batch_run(&f->r, &p, jobs, fail_fast, &ev, b, &err), ACT_OK);
    assert_int_equal(b->n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_non_null(b->recs[i]);
        assert_string_equal(str(b->recs[i], "action"), ops[i]->id);
    }
    assert_int_equal(b->t.total, 3);
}

static void test_a_batch_in_order_reports_every_action_unreachable(void **state)
{
    struct fx *f = *state;
    struct act_batch b;
    int calls = 0;
    run_plan(f, 1, 0, &b, &calls);
    assert_int_equal(calls, 3);
    assert_int_equal(b.done, 3);
    assert_int_equal(b.failed, 3);
    assert_int_equal(b.t.n[ACT_OUTCOME_UNREACHABLE], 3);
    /* -p petId went to showPetById only */
    assert_non_null(strstr(str(b.recs[1], "url"), "/pets/7"));
    assert_non_null(strstr(str(b.recs[2], "url"), "/3"));
    act_batch_release(&b);
}

static void test_a_batch_in_workers_keeps_the_plan_order(void **state)
{
    struct fx *f = *state;
    struct act_batch b;
    int calls = 0;
    run_plan(f, 2, 0, &b, &calls);
    assert_true(calls >= 1);
    assert_int_equal(b.done, 3);
    assert_int_equal(b.t.n[ACT_OUTCOME_UNREACHABLE], 3);
    assert_non_null(strstr(str(b.recs[1], "url"), "/pets/7"));
    act_batch_release(&b);
}

static void test_fail_fast_leaves_the_rest_not_run(void **state)
{
    struct fx *f = *state;
    struct act_batch b;
    int calls = 0;
    run_plan(f, 1, 1, &b, &calls);
    assert_int_equal(calls, 1);
    assert_string_equal(str(b.recs[0], "outcome"), "unreachable");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b.recs[1], "not_run")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b.recs[2], "not_run")));
    assert_int_equal(b.t.not_run, 2);
    act_batch_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_record_masks_secrets_and_adds_details, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_batch_in_order_reports_every_action_unreachable,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_batch_in_workers_keeps_the_plan_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fail_fast_leaves_the_rest_not_run, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
