/*
 * test_project.c - finding the project file upwards and reading its keys.
 */
#include "unit.h"

#include <sys/stat.h>

#include "parser/project.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/actions-test-project-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char p[256];
    snprintf(p, sizeof(p), "%s/a", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/a/b", dir);
    mkdir(p, 0755);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static void test_project_is_found_in_a_parent_directory(void **state)
{
    (void)state;
    char p[256], *found;
    snprintf(p, sizeof(p), "%s/actions.yaml", dir);
    write_file(p, "project: x\n");
    snprintf(p, sizeof(p), "%s/a/b", dir);
    assert_int_equal(act_project_find(p, &found), ACT_OK);
    assert_non_null(strstr(found, "/actions.yaml"));
    assert_null(strstr(found, "/a/b/"));
    act_free(found);
}

static void test_project_prefers_yaml_then_json_in_the_nearest_directory(void **state)
{
    (void)state;
    char p[256], *found;
    snprintf(p, sizeof(p), "%s/actions.yaml", dir);
    write_file(p, "project: top\n");
    snprintf(p, sizeof(p), "%s/a/actions.json", dir);
    write_file(p, "{\"project\": \"a\"}");
    snprintf(p, sizeof(p), "%s/a/b", dir);
    assert_int_equal(act_project_find(p, &found), ACT_OK);
    assert_non_null(strstr(found, "/a/actions.json"));
    act_free(found);
    snprintf(p, sizeof(p), "%s/a/actions.yaml", dir);
    write_file(p, "project: a\n");
    snprintf(p, sizeof(p), "%s/a", dir);
    assert_int_equal(act_project_find(p, &found), ACT_OK);
    assert_non_null(strstr(found, "/a/actions.yaml"));
    act_free(found);
}

static void test_project_paths_are_resolved_against_the_file(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof(p), "%s/a/actions.yaml", dir);
    write_file(p, "project: hello\nversion: 1.0.0\nspec: ../specs/h.json\nactions: [get.hello]\n"
                  "destinations: d.yaml\nconnector: /etc/c.yaml\ncsrf: {fetch: /}\n");
    struct act_project *pr;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_project_load(p, &pr, &err), ACT_OK);
    assert_string_equal(pr->name, "hello");
    assert_string_equal(pr->version, "1.0.0");
    char want[300];
    snprintf(want, sizeof(want), "%s/a/../specs/h.json", dir);
    assert_string_equal(pr->spec, want);
    snprintf(want, sizeof(want), "%s/a/d.yaml", dir);
    assert_string_equal(pr->destinations, want);
    assert_string_equal(pr->connector, "/etc/c.yaml");
    assert_int_equal(cJSON_GetArraySize(pr->actions), 1);
    assert_true(cJSON_IsObject(pr->csrf));
    act_project_free(pr);
}

static void expect_project_error(const char *text, const char *msg, int line)
{
    char p[256];
    snprintf(p, sizeof(p), "%s/actions.yaml", dir);
    write_file(p, text);
    struct act_project *pr = (struct act_project *)1;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_project_load(p, &pr, &err), ACT_ERR_INVALID);
    assert_null(pr);
    if (!strstr(err.msg, msg))
        fail_msg("\"%s\" lacks \"%s\"", err.msg, msg);
    assert_int_equal(err.line, line);
}

static void test_project_rejects_unknown_keys_and_wrong_types_with_their_line(void **state)
{
    (void)state;
    expect_project_error("project: x\nspce: a.yaml\n", "unknown key \"spce\"", 2);
    expect_project_error("project: x\nactions: get.hello\n", "\"actions\" must be a list", 2);
    expect_project_error("actions:\n  - a\n  - 12\n", "entries must be operationId strings", 3);
    expect_project_error("spec: [a]\n", "\"spec\" must be a path", 1);
    expect_project_error("csrf: {fetch: 1}\n", "\"csrf\" must be", 1);
    expect_project_error("- a\n", "project file must be a mapping", 1);
}

static void test_project_processes_are_paths_or_file_and_destinations(void **state)
{
    (void)state;
    char p[256], want[300];
    snprintf(p, sizeof(p), "%s/a/actions.yaml", dir);
    write_file(p, "processes:\n  - flows/one.arazzo.yaml\n"
                  "  - {file: /abs/two.arazzo.yaml, destinations: {hello: H, inbox: I}}\n");
    struct act_project *pr;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_project_load(p, &pr, &err), ACT_OK);
    assert_int_equal(pr->n_processes, 2);
    snprintf(want, sizeof(want), "%s/a/flows/one.arazzo.yaml", dir);
    assert_string_equal(pr->processes[0].file, want);
    assert_string_equal(pr->processes[0].written, "flows/one.arazzo.yaml");
    assert_null(pr->processes[0].destinations);
    assert_string_equal(pr->processes[1].file, "/abs/two.arazzo.yaml");
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(pr->processes[1].destinations, "inbox")->valuestring, "I");
    act_project_free(pr);
    expect_project_error("processes: a.arazzo.yaml\n", "\"processes\" must be a list", 1);
    expect_project_error("processes:\n  - a.yaml\n  - [b]\n", "entries must be Arazzo file paths",
                         3);
    expect_project_error("processes:\n  - {destinations: {}}\n", "a process needs \"file\"", 2);
    expect_project_error("processes:\n  - file: a.yaml\n    dests: {}\n",
                         "unknown key \"dests\" in a process", 3);
    expect_project_error("processes:\n  - file: a.yaml\n    destinations: [x]\n",
                         "\"destinations\" of a process must map", 3);
    expect_project_error("processes:\n  - file: a.yaml\n    destinations: {x: \"\"}\n",
                         "must be a destination name", 3);
}

static void test_project_absent_everywhere_is_not_found(void **state)
{
    (void)state;
    char *found = (char *)1;
    assert_int_equal(act_project_find(dir, &found), ACT_ERR_NOTFOUND);
    assert_null(found);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_project_is_found_in_a_parent_directory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_project_prefers_yaml_then_json_in_the_nearest_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_paths_are_resolved_against_the_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_project_rejects_unknown_keys_and_wrong_types_with_their_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_processes_are_paths_or_file_and_destinations,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_absent_everywhere_is_not_found, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
