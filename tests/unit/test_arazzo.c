/*
 * test_arazzo.c - the Arazzo document model: loading JSON and YAML, source
 * descriptions relative to the document, operationId resolution by the source
 * names that exist (dotted ids, ambiguity), operationPath, workflowId across
 * documents, dependsOn, duplicate ids, and positions of every problem.
 */
#include "unit.h"

#include "process/arazzo.h"

#define FIX "tests/fixtures/arazzo/"

static struct act_arazzo *load_lenient(const char *path)
{
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_arazzo_load(path, ACT_ARAZZO_LENIENT, &a, &err))
        fail_msg("%s: %s", path, err.msg);
    return a;
}

/* The first diagnostic whose message contains text, or NULL. */
static const struct act_arazzo_diag *diag_with(const struct act_arazzo *a, const char *text)
{
    for (size_t i = 0; i < a->diags.n; i++)
        if (strstr(a->diags.v[i].msg, text))
            return &a->diags.v[i];
    return NULL;
}

static void test_arazzo_loads_json_with_a_relative_source(void **state)
{
    (void)state;
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_arazzo_load(FIX "min.arazzo.json", 0, &a, &err), ACT_OK);
    assert_string_equal(a->version, "1.0.1");
    assert_int_equal(a->n_sources, 1);
    assert_string_equal(a->sources[0].path, FIX "./pets.yaml");
    assert_non_null(a->sources[0].spec);
    assert_int_equal(a->n_workflows, 1);
    const struct act_arazzo_step *s = &a->workflows[0].steps[0];
    assert_int_equal(s->kind, ACT_ARAZZO_STEP_OPERATION);
    assert_string_equal(s->op->id, "getPet");
    assert_ptr_equal(s->src, &a->sources[0]);
    act_arazzo_free(a);
}

static void test_arazzo_resolves_dotted_ids_by_the_source_names_that_exist(void **state)
{
    (void)state;
    struct act_arazzo *a = load_lenient(FIX "ids.arazzo.yaml");
    const struct act_arazzo_workflow *w = act_arazzo_find_workflow(a, "w1");
    assert_non_null(w);
    /* $sourceDescriptions.pets.get.hello: source pets, operation get.hello */
    assert_string_equal(w->steps[0].op->id, "get.hello");
    assert_string_equal(w->steps[0].src->name, "pets");
    /* $sourceDescriptions.pets.v2.listPets: source "pets.v2", not "pets" */
    assert_string_equal(w->steps[1].op->id, "listPets");
    assert_string_equal(w->steps[1].src->name, "pets.v2");
    /* a plain id found in one source only */
    assert_string_equal(w->steps[3].op->id, "get.hello");
    /* operationPath */
    assert_string_equal(w->steps[4].op->id, "getPet");
    act_arazzo_free(a);
}

static void test_arazzo_reports_every_problem_with_its_position(void **state)
{
    (void)state;
    struct act_arazzo *a = load_lenient(FIX "ids.arazzo.yaml");
    const struct act_arazzo_diag *d = diag_with(a, "ambiguous operationId 'listPets'");
    assert_non_null(d);
    assert_int_equal(d->line, 14);
    assert_int_equal(d->col, 22);
    assert_non_null(diag_with(a, "unknown operationId 'nothere'"));
    assert_non_null(diag_with(a, "unknown source description in '$sourceDescriptions.nosuch.x'"));
    d = diag_with(a, "duplicate stepId 's1'");
    assert_non_null(d);
    assert_int_equal(d->line, 23);
    d = diag_with(a, "unknown workflowId 'w9'");
    assert_non_null(d);
    assert_string_equal(d->pointer, "/workflows/1/dependsOn/1");
    assert_int_equal(a->diags.errors, 5);
    /* What could be resolved still is. */
    const struct act_arazzo_workflow *w2 = act_arazzo_find_workflow(a, "w2");
    assert_int_equal(w2->n_depends, 1);
    assert_int_equal(w2->steps[0].kind, ACT_ARAZZO_STEP_WORKFLOW);
    assert_string_equal(w2->steps[0].wf->id, "w1");
    act_arazzo_free(a);
}

static void test_arazzo_strict_load_fails_at_the_first_problem(void **state)
{
    (void)state;
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_arazzo_load(FIX "ids.arazzo.yaml", 0, &a, &err), ACT_ERR_INVALID);
    assert_null(a);
    /* The structure is checked before references: the duplicate comes first. */
    assert_int_equal(err.line, 23);
    assert_non_null(strstr(err.msg, "duplicate stepId 's1'"));
}

static void test_arazzo_workflow_of_an_arazzo_source(void **state)
{
    (void)state;
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_arazzo_load(FIX "outer.arazzo.yaml", 0, &a, &err), ACT_OK);
    const struct act_arazzo_step *s = &a->workflows[0].steps[0];
    assert_int_equal(s->kind, ACT_ARAZZO_STEP_WORKFLOW);
    assert_string_equal(s->wf->id, "caller");
    assert_ptr_equal(s->wf->doc, a->sources[0].arazzo);
    act_arazzo_free(a);
}

static void test_arazzo_components_and_reusable_objects(void **state)
{
    (void)state;
    struct act_arazzo a;
    memset(&a, 0, sizeof a);
    cJSON *c = cJSON_Parse("{\"parameters\": {\"page\": {\"name\": \"page\", \"in\": \"query\", "
                           "\"value\": 1}}, \"successActions\": {\"done\": {\"name\": \"done\", "
                           "\"type\": \"end\"}}}");
    a.components = c;
    char msg[256];
    const cJSON *p = act_arazzo_component(&a, "$components.parameters.page", msg, sizeof msg);
    assert_non_null(p);
    cJSON *ref = cJSON_Parse("{\"reference\": \"$components.parameters.page\", \"value\": 5}");
    const cJSON *over = NULL;
    assert_ptr_equal(act_arazzo_reusable(&a, ref, &over, msg, sizeof msg), p);
    assert_int_equal(over->valueint, 5);
    assert_null(act_arazzo_component(&a, "$components.parameters.nope", msg, sizeof msg));
    assert_non_null(strstr(msg, "unknown component"));
    assert_null(act_arazzo_component(&a, "$components.widgets.x", msg, sizeof msg));
    assert_non_null(strstr(msg, "unknown component kind"));
    cJSON_Delete(ref);
    cJSON_Delete(c);
}

static void test_arazzo_refuses_other_versions_and_non_objects(void **state)
{
    (void)state;
    struct act_arazzo *a = NULL;
    struct act_error err;
    char path[] = "/tmp/act_arazzo_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, "arazzo: 2.0.0\ninfo: {title: t, version: '1'}\n");
    act_error_init(&err);
    assert_int_equal(act_arazzo_load(path, 0, &a, &err), ACT_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "unsupported Arazzo version '2.0.0'"));
    write_file(path, "- 1\n");
    act_error_init(&err);
    assert_int_equal(act_arazzo_load(path, ACT_ARAZZO_LENIENT, &a, &err), ACT_ERR_INVALID);
    unlink(path);
}

static void test_arazzo_a_cycle_of_arazzo_sources_is_an_error(void **state)
{
    (void)state;
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_arazzo_load(FIX "cycle_a.arazzo.yaml", 0, &a, &err), ACT_ERR_INVALID);
    assert_null(a);
    assert_non_null(strstr(err.msg, "a cycle of arazzo source descriptions leads back to"));
    assert_int_equal(err.line, 4);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arazzo_loads_json_with_a_relative_source),
        cmocka_unit_test(test_arazzo_resolves_dotted_ids_by_the_source_names_that_exist),
        cmocka_unit_test(test_arazzo_reports_every_problem_with_its_position),
        cmocka_unit_test(test_arazzo_strict_load_fails_at_the_first_problem),
        cmocka_unit_test(test_arazzo_workflow_of_an_arazzo_source),
        cmocka_unit_test(test_arazzo_components_and_reusable_objects),
        cmocka_unit_test(test_arazzo_refuses_other_versions_and_non_objects),
        cmocka_unit_test(test_arazzo_a_cycle_of_arazzo_sources_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
