/*
 * test_arazzo_lint.c - the Arazzo lint rules: names inside expressions, goto
 * targets, parameters the operation lacks and required ones nobody supplies,
 * dependsOn cycles, malformed expressions and criteria, goto loops and
 * self-calling workflows without an exit; each problem at its line and column.
 */
#include "unit.h"

#include "process/arazzo_lint.h"

#define FIX "tests/fixtures/arazzo/"

static struct act_arazzo *lint(const char *path)
{
    struct act_arazzo *a = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_arazzo_load(path, ACT_ARAZZO_LENIENT, &a, &err))
        fail_msg("%s: %s", path, err.msg);
    assert_int_equal(act_arazzo_lint(a), ACT_OK);
    return a;
}

/* The diagnostic whose message contains text (failing the test when none). */
static const struct act_arazzo_diag *find(const struct act_arazzo *a, const char *text)
{
    for (size_t i = 0; i < a->diags.n; i++)
        if (strstr(a->diags.v[i].msg, text))
            return &a->diags.v[i];
    fail_msg("no diagnostic containing \"%s\"", text);
    return NULL;
}

static void test_arazzo_lint_names_inside_expressions(void **state)
{
    (void)state;
    struct act_arazzo *a = lint(FIX "lint.arazzo.yaml");
    const struct act_arazzo_diag *d = find(a, "workflow 'a' has no step 'ghost'");
    assert_int_equal(d->line, 14);
    assert_true(d->is_error);
    d = find(a, "$workflows.zzz: no workflow 'zzz'");
    assert_int_equal(d->line, 21);
    d = find(a, "unknown component '$components.parameters.missing'");
    assert_int_equal(d->line, 22);
    d = find(a, "malformed runtime expression");
    assert_string_equal(d->pointer, "/workflows/0/steps/0/outputs/bad");
    assert_int_equal(d->line, 20);
    assert_int_equal(d->col, 16);
    act_arazzo_free(a);
}

static void test_arazzo_lint_goto_targets_and_depends_on_cycles(void **state)
{
    (void)state;
    struct act_arazzo *a = lint(FIX "lint.arazzo.yaml");
    assert_int_equal(find(a, "goto: workflow 'a' has no step 'nowhere'")->line, 16);
    assert_int_equal(find(a, "goto: unknown workflowId 'nosuch'")->line, 18);
    const struct act_arazzo_diag *d = find(a, "dependsOn cycle");
    assert_string_equal(d->pointer, "/workflows/1/dependsOn");
    act_arazzo_free(a);
}

static void test_arazzo_lint_parameters_against_the_operation(void **state)
{
    (void)state;
    struct act_arazzo *a = lint(FIX "lint.arazzo.yaml");
    const struct act_arazzo_diag *d =
        find(a, "operation 'listPets' has no query parameter 'color'");
    assert_int_equal(d->line, 13);
    assert_int_equal(d->col, 13);
    act_arazzo_free(a);

    a = lint(FIX "ids.arazzo.yaml");
    d = find(a, "required path parameter 'petId' of 'getPet' is not supplied");
    assert_false(d->is_error);
    assert_int_equal(d->line, 17);
    act_arazzo_free(a);
}

static void test_arazzo_lint_criterion_with_context_and_no_type(void **state)
{
    (void)state;
    struct act_arazzo *a = lint(FIX "lint.arazzo.yaml");
    const struct act_arazzo_diag *d = find(a, "malformed criterion");
    assert_true(d->is_error);
    assert_int_equal(d->line, 32);
    act_arazzo_free(a);
}

static void test_arazzo_lint_warns_about_a_goto_loop_without_exit(void **state)
{
    (void)state;
    struct act_arazzo *a = lint(FIX "flows.arazzo.yaml");
    const struct act_arazzo_diag *d = find(a, "goto 'spin' loops back");
    assert_false(d->is_error);
    assert_int_equal(d->line, 24);
    assert_int_equal(a->diags.errors, 0);
    act_arazzo_free(a);
}

static void test_arazzo_lint_warns_about_a_workflow_calling_itself_without_exit(void **state)
{
    (void)state;
    struct act_arazzo *a = lint(FIX "recursion.arazzo.yaml");
    const struct act_arazzo_diag *d = find(a, "step 'again' calls its own workflow 'self'");
    assert_false(d->is_error);
    assert_string_equal(d->pointer, "/workflows/0/steps/1");
    assert_int_equal(d->line, 10);
    assert_non_null(strstr(d->msg, "ACT_MAX_WORKFLOW_NESTING"));
    d = find(a, "step 'toPong' calls workflow 'pong', which calls 'ping' again");
    assert_int_equal(d->line, 14);
    d = find(a, "step 'toPing' calls workflow 'ping', which calls 'pong' again");
    assert_int_equal(d->line, 18);
    /* criteria before the call could end it; a workflow that calls a recursive one once
     * is not itself recursive */
    for (size_t i = 0; i < a->diags.n; i++)
        assert_null(strstr(a->diags.v[i].msg, "'guarded'"));
    for (size_t i = 0; i < a->diags.n; i++)
        assert_null(strstr(a->diags.v[i].msg, "step 'once'"));
    assert_int_equal(a->diags.n, 3);
    act_arazzo_free(a);
}

static void test_arazzo_lint_the_shipped_process_is_clean(void **state)
{
    (void)state;
    struct act_arazzo *a = lint("examples/hello/process.arazzo.yaml");
    for (size_t i = 0; i < a->diags.n; i++)
        print_message("%d:%d: %s\n", a->diags.v[i].line, a->diags.v[i].col, a->diags.v[i].msg);
    assert_int_equal(a->diags.n, 0);
    act_arazzo_free(a);
}

static void test_arazzo_lint_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        struct act_arazzo *a = NULL;
        struct act_error err;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_arazzo_load(FIX "lint.arazzo.yaml", ACT_ARAZZO_LENIENT, &a, &err);
        if (!st)
            st = act_arazzo_lint(a);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_arazzo_free(a);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        /* ACT_OK too: a position that cannot be found for want of memory is left out
         * (act_doc_locate), the problem is still reported. */
        if (st != ACT_ERR_NOMEM && st != ACT_OK)
            fail_msg("allocation %ld failed, status %d (%s)", n, st, err.msg);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arazzo_lint_names_inside_expressions),
        cmocka_unit_test(test_arazzo_lint_goto_targets_and_depends_on_cycles),
        cmocka_unit_test(test_arazzo_lint_parameters_against_the_operation),
        cmocka_unit_test(test_arazzo_lint_criterion_with_context_and_no_type),
        cmocka_unit_test(test_arazzo_lint_warns_about_a_goto_loop_without_exit),
        cmocka_unit_test(test_arazzo_lint_warns_about_a_workflow_calling_itself_without_exit),
        cmocka_unit_test(test_arazzo_lint_the_shipped_process_is_clean),
        cmocka_unit_test(test_arazzo_lint_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
