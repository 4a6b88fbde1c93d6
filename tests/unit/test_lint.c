/*
 * test_lint.c - the lint rules (validator/lint.c), one test per rule at least:
 * each lints a small spec and checks the finding's severity, message, pointer
 * and line, and that a spec without the problem gives no such finding.
 */
#include "unit.h"

#include <sys/stat.h>

#include "parser/spec.h"
#include "validator/lint.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/actions-test-lint-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* What act_lint reported: one line per finding, "E|W LINE message (at ptr)". */
struct seen {
    char text[16384];
    size_t len;
    struct act_lint_counts n;
};

static void collect(void *arg, const struct act_lint_finding *f)
{
    struct seen *s = arg;
    int k = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%c %d %s%s%s%s\n",
                     f->is_error ? 'E' : 'W', f->line, f->message, f->pointer ? " (at " : "",
                     f->pointer ? f->pointer : "", f->pointer ? ")" : "");
    if (k > 0 && (size_t)k < sizeof(s->text) - s->len)
        s->len += (size_t)k;
}

/* Lint text (the spec; name says JSON or YAML by its extension) into *s. */
static void lint(const char *name, const char *text, struct seen *s)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    write_file(path, text);
    struct act_spec *spec = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_spec_load(path, ACT_SPEC_LENIENT, &spec, &err)) {
        char buf[4096];
        act_error_format(&err, buf, sizeof(buf));
        fail_msg("load failed: %s", buf);
    }
    memset(s, 0, sizeof(*s));
    assert_int_equal(act_lint(spec, collect, s, &s->n), ACT_OK);
    act_spec_free(spec);
}

#define HEAD "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
#define OK_OP "      responses: {'200': {description: ok}}\n"

/* s has a finding with this start ("E 3 missing ..."): severity, line, message. */
static void assert_found(const struct seen *s, const char *want)
{
    if (!strstr(s->text, want))
        fail_msg("no finding \"%s\" in:\n%s", want, s->text);
}

static void test_clean_spec_has_no_findings(void **state)
{
    (void)state;
    struct seen s;
    lint("ok.yaml", HEAD "paths:\n  /a:\n    get:\n      operationId: a\n" OK_OP, &s);
    assert_int_equal(s.n.errors, 0);
    assert_int_equal(s.n.warnings, 0);
    assert_int_equal(s.len, 0);
}

static void test_missing_openapi_info_title_version_and_paths(void **state)
{
    (void)state;
    struct seen s;
    lint("top.json", "{\"info\": {}}", &s);
    assert_found(&s, "E 1 missing \"openapi\" (the version, e.g. \"3.0.3\") (at )");
    assert_found(&s, "missing \"info.title\" (at /info)");
    assert_found(&s, "missing \"info.version\" (at /info)");
    assert_found(&s, "missing \"paths\" object (at )");
    assert_int_equal(s.n.errors, 4);
    lint("noinfo.json", "{\"openapi\": \"3.0.3\", \"paths\": {}}", &s);
    assert_found(&s, "E 1 missing \"info\" object (at )");
    assert_int_equal(s.n.errors, 1);
}

static void test_empty_info_version_is_a_warning(void **state)
{
    (void)state;
    struct seen s;
    lint("v.yaml", "openapi: 3.0.3\ninfo: {title: t, version: ' '}\npaths: {}\n", &s);
    assert_found(&s, "W 2 \"info.version\" is empty");
    assert_int_equal(s.n.errors, 0);
    assert_int_equal(s.n.warnings, 1);
}

static void test_paths_must_be_an_object_of_slash_keys(void **state)
{
    (void)state;
    struct seen s;
    lint("p.yaml", HEAD "paths: []\n", &s);
    assert_found(&s, "E 3 \"paths\" must be an object (at /paths)");
    lint("p2.yaml", HEAD "paths:\n  a:\n    get:\n" OK_OP, &s);
    assert_found(&s, "E 4 path \"a\" must start with \"/\" (at /paths/a)");
}

static void test_duplicate_operation_ids_name_the_first_use(void **state)
{
    (void)state;
    struct seen s;
    lint("d.yaml",
         HEAD "paths:\n  /a:\n    get:\n      operationId: x\n" OK_OP
              "  /b:\n    get:\n      operationId: x\n" OK_OP
              "  /c:\n    get:\n      operationId: y\n" OK_OP,
         &s);
    assert_found(&s, "E 9 duplicate operationId \"x\" (first used by get /a at ");
    assert_int_equal(s.n.errors, 1);
}

static void test_operation_without_responses(void **state)
{
    (void)state;
    struct seen s;
    lint("r.yaml", HEAD "paths:\n  /a:\n    get: {operationId: a}\n", &s);
    assert_found(&s, "E 5 get /a declares no responses (at /paths/~1a/get)");
}

static void test_template_variable_without_required_path_parameter(void **state)
{
    (void)state;
    struct seen s;
    lint("t.yaml",
         HEAD "paths:\n  /a/{id}/{other}:\n    get:\n" OK_OP "      parameters:\n"
              "        - {name: other, in: path, schema: {type: string}}\n",
         &s);
    assert_found(&s, "E 5 path template parameter {id} of get /a/{id}/{other} has no \"in: "
                     "path\" parameter");
    assert_found(&s, "E 8 path parameter \"other\" must be \"required: true\"");
    assert_int_equal(s.n.errors, 2);
}

static void test_path_parameter_not_in_template_and_unknown_in(void **state)
{
    (void)state;
    struct seen s;
    lint("pt.yaml",
         HEAD "paths:\n  /a:\n    get:\n" OK_OP "      parameters:\n"
              "        - {name: id, in: path, required: true, schema: {type: string}}\n"
              "        - {name: q, in: body, schema: {type: string}}\n",
         &s);
    assert_found(&s, "E 8 path parameter \"id\" does not appear in the path template /a (at "
                     "/paths/~1a/get/parameters/0)");
    assert_found(&s, "E 9 parameter \"q\" has unknown \"in\": \"body\" (path, query, header, "
                     "cookie) (at /paths/~1a/get/parameters/1)");
}

static void test_parameter_needs_schema_or_content_not_both(void **state)
{
    (void)state;
    struct seen s;
    lint("sc.yaml",
         HEAD "paths:\n  /a:\n    get:\n" OK_OP "      parameters:\n"
              "        - {name: a, in: query}\n"
              "        - name: b\n          in: query\n          schema: {type: string}\n"
              "          content: {application/json: {schema: {type: string}}}\n",
         &s);
    assert_found(&s, "E 8 parameter \"a\" has neither \"schema\" nor \"content\"");
    assert_found(&s, "E 9 parameter \"b\" has both \"schema\" and \"content\"");
}

static void test_ignored_header_parameters_are_warnings(void **state)
{
    (void)state;
    struct seen s;
    lint("h.yaml",
         HEAD "paths:\n  /a:\n    get:\n" OK_OP "      parameters:\n"
              "        - {name: accept, in: header, schema: {type: string}}\n",
         &s);
    assert_found(&s, "W 8 header parameter \"accept\" is ignored");
    assert_int_equal(s.n.errors, 0);
}

static void test_unusable_parameters_are_one_error_naming_their_place(void **state)
{
    (void)state;
    struct seen s;
    lint("u.yaml",
         HEAD "paths:\n  /a:\n    get:\n" OK_OP
              "      parameters:\n        - $ref: '#/components/parameters/nope'\n",
         &s);
    assert_true(s.n.errors >= 1);
    assert_found(&s, "nope");
}

static void test_unresolvable_ref_and_ref_to_a_non_object(void **state)
{
    (void)state;
    struct seen s;
    lint("ref.yaml",
         HEAD "paths:\n  /a:\n    get:\n" OK_OP "      requestBody: {$ref: '#/components/x-str'}\n"
              "components:\n  x-str: text\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
         &s);
    assert_found(&s, "E 7 $ref \"#/components/x-str\" leads to a string where a Request Body "
                     "Object is expected");
    assert_found(&s, "E 11 unresolvable $ref \"#/components/schemas/B\"");
    assert_found(&s, "(at /components/schemas/A)");
}

static void test_examples_and_defaults_that_do_not_match_are_warnings(void **state)
{
    (void)state;
    struct seen s;
    lint("ex.yaml",
         HEAD "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
              "          description: ok\n          content:\n            application/json:\n"
              "              schema: {type: integer, default: x}\n              example: y\n",
         &s);
    assert_found(&s, "W 12 example does not match its schema");
    assert_found(&s, "(at /paths/~1a/get/responses/200/content/application~1json/example)");
    assert_found(&s, "W 11 default does not match its schema");
    assert_int_equal(s.n.errors, 0);
    assert_int_equal(s.n.warnings, 2);
}

static void test_example_against_an_unusable_schema_is_an_error(void **state)
{
    (void)state;
    struct seen s;
    lint("bad.yaml",
         HEAD "paths:\n  /a:\n    get:\n" OK_OP "components:\n  schemas:\n"
              "    P: {type: string, pattern: '(', example: x}\n",
         &s);
    assert_found(&s, "E 9 cannot check this example:");
}

static void test_nullable_without_type_and_enum_without_null(void **state)
{
    (void)state;
    struct seen s;
    lint("n.yaml",
         "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
         "    A: {nullable: true}\n    B: {type: string, nullable: true, enum: [a]}\n",
         &s);
    assert_found(&s, "W 6 \"nullable\" without \"type\"");
    assert_found(&s, "earlier 3.0 version");
    assert_found(&s, "W 7 \"nullable\" with an \"enum\" that lacks null: this document declares "
                     "an earlier 3.0 version, whose text allows null here, but OpenAPI 3.0.3 "
                     "rejects it");
    assert_int_equal(s.n.warnings, 2);
    /* 3.0.3: null is rejected, and the message says so without the earlier text */
    lint("n303.yaml",
         "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
         "    A: {nullable: true}\n    B: {type: string, nullable: true, enum: [a]}\n",
         &s);
    assert_found(&s, "W 7 \"nullable\" with an \"enum\" that lacks null: null is not one of the "
                     "enum values, so it is rejected (OpenAPI 3.0.3)");
    assert_null(strstr(s.text, "earlier 3.0 version"));
    assert_int_equal(s.n.warnings, 2);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_spec_has_no_findings),
        cmocka_unit_test(test_missing_openapi_info_title_version_and_paths),
        cmocka_unit_test(test_empty_info_version_is_a_warning),
        cmocka_unit_test(test_paths_must_be_an_object_of_slash_keys),
        cmocka_unit_test(test_duplicate_operation_ids_name_the_first_use),
        cmocka_unit_test(test_operation_without_responses),
        cmocka_unit_test(test_template_variable_without_required_path_parameter),
        cmocka_unit_test(test_path_parameter_not_in_template_and_unknown_in),
        cmocka_unit_test(test_parameter_needs_schema_or_content_not_both),
        cmocka_unit_test(test_ignored_header_parameters_are_warnings),
        cmocka_unit_test(test_unusable_parameters_are_one_error_naming_their_place),
        cmocka_unit_test(test_unresolvable_ref_and_ref_to_a_non_object),
        cmocka_unit_test(test_examples_and_defaults_that_do_not_match_are_warnings),
        cmocka_unit_test(test_example_against_an_unusable_schema_is_an_error),
        cmocka_unit_test(test_nullable_without_type_and_enum_without_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
