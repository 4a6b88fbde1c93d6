/*
 * test_values.c - values files (runner/values.h): loaded and checked against the spec
 * (unknown actions, parameters and keys named with FILE:LINE:COL), arrays and objects
 * as -p would take them, and merged into a job (their values win over -p and -H of the
 * same name, their body replaces the job's).
 */
#include "unit.h"

#include "runner/values.h"

#define SPEC "specs/petstore.yaml"

static struct act_spec *spec_load(void)
{
    struct act_spec *spec = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_spec_load(SPEC, 0, &spec, &err), ACT_OK);
    return spec;
}

/* Load text as a values file; its status, the message in msg. */
static enum act_status load(const struct act_spec *spec, const char *text, struct act_values **v,
                            char *msg, size_t size)
{
    char path[] = "/tmp/act-values-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, text);
    struct act_error err;
    act_error_init(&err);
    enum act_status st = act_values_load(path, spec, v, &err);
    act_error_format(&err, msg, size);
    unlink(path);
    return st;
}

static void test_values_load_and_find(void **state)
{
    (void)state;
    struct act_spec *spec = spec_load();
    struct act_values *v = NULL;
    char msg[512];
    assert_int_equal(load(spec,
                          "showPetById:\n"
                          "  params: {petId: 42}\n"
                          "  headers: {X-Tenant: acme, X-N: 3}\n"
                          "listPets:\n"
                          "  params: {status: [a, b]}\n"
                          "createPet:\n"
                          "  body: {name: rex}\n",
                          &v, msg, sizeof(msg)),
                     ACT_OK);
    const struct act_values_entry *e = act_values_find(v, act_spec_find_op(spec, "showPetById"));
    assert_non_null(e);
    assert_int_equal(e->n_params, 1);
    assert_string_equal(e->params[0].name, "petId");
    assert_string_equal(e->params[0].value, "42");
    assert_int_equal(e->n_headers, 2);
    assert_string_equal(e->headers[0], "X-Tenant: acme");
    assert_string_equal(e->headers[1], "X-N: 3");
    e = act_values_find(v, act_spec_find_op(spec, "listPets"));
    assert_non_null(e);
    assert_int_equal(e->n_params, 2); /* one per item of the array */
    assert_string_equal(e->params[1].value, "b");
    e = act_values_find(v, act_spec_find_op(spec, "createPet"));
    assert_non_null(e);
    assert_string_equal(e->body, "{\"name\":\"rex\"}");
    assert_null(act_values_find(v, act_spec_find_op(spec, "placeOrder")));
    assert_null(act_values_find(NULL, act_spec_find_op(spec, "placeOrder")));
    act_values_free(v);
    act_spec_free(spec);
}

static void test_values_errors_name_the_place(void **state)
{
    (void)state;
    struct act_spec *spec = spec_load();
    struct act_values *v = NULL;
    char msg[512];
    assert_int_equal(load(spec, "nope:\n  params: {}\n", &v, msg, sizeof(msg)), ACT_ERR_INVALID);
    assert_non_null(strstr(msg, ":1:1: unknown action \"nope\" in --values"));
    assert_null(v);
    assert_int_equal(load(spec, "showPetById:\n  params:\n    color: red\n", &v, msg, sizeof(msg)),
                     ACT_ERR_INVALID);
    assert_non_null(strstr(msg, ":3:12: action \"showPetById\" has no parameter \"color\""));
    assert_int_equal(load(spec, "listPets:\n  body: {}\n", &v, msg, sizeof(msg)), ACT_ERR_INVALID);
    assert_non_null(strstr(msg, "action \"listPets\" takes no request body"));
    assert_int_equal(load(spec, "listPets:\n  other: 1\n", &v, msg, sizeof(msg)), ACT_ERR_INVALID);
    assert_non_null(strstr(msg, "unknown key \"other\""));
    assert_int_equal(load(spec, "- a\n", &v, msg, sizeof(msg)), ACT_ERR_INVALID);
    assert_non_null(strstr(msg, "--values must be a mapping of action ids"));
    act_spec_free(spec);
}

static void test_values_win_over_the_job(void **state)
{
    (void)state;
    struct act_spec *spec = spec_load();
    struct act_values *v = NULL;
    char msg[512];
    assert_int_equal(load(spec,
                          "listPets:\n"
                          "  params: {limit: 5}\n"
                          "  headers: {x-tenant: mine}\n"
                          "createPet:\n"
                          "  body: {name: rex}\n",
                          &v, msg, sizeof(msg)),
                     ACT_OK);
    const struct act_values_entry *e = act_values_find(v, act_spec_find_op(spec, "listPets"));
    assert_non_null(e);
    const struct act_arg ps[] = {{"limit", "1"}, {"other", "2"}};
    const char *hs[] = {"X-Tenant: theirs", "Accept: */*"};
    struct act_job j = {ps, 2, hs, 2, "{}", 2, "body.json", 0}, out;
    assert_int_equal(act_values_job(&j, e, &out), ACT_OK);
    assert_int_equal(out.n_params, 2);
    assert_string_equal(out.params[0].name, "other");
    assert_string_equal(out.params[1].value, "5");
    assert_int_equal(out.n_headers, 2);
    assert_string_equal(out.headers[0], "Accept: */*");
    assert_string_equal(out.headers[1], "x-tenant: mine");
    assert_string_equal(out.body, "{}"); /* no body in the entry: the job's stays */
    assert_string_equal(out.body_path, "body.json");
    act_free((void *)out.params);
    act_free((void *)out.headers);
    e = act_values_find(v, act_spec_find_op(spec, "createPet"));
    assert_non_null(e);
    assert_int_equal(act_values_job(&j, e, &out), ACT_OK);
    assert_int_equal(out.n_params, 2);
    assert_string_equal(out.body, "{\"name\":\"rex\"}");
    assert_string_equal(out.body_path, "--values");
    act_free((void *)out.params);
    act_free((void *)out.headers);
    act_values_free(v);
    act_spec_free(spec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_load_and_find),
        cmocka_unit_test(test_values_errors_name_the_place),
        cmocka_unit_test(test_values_win_over_the_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
