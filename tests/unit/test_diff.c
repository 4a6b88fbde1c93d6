/*
 * test_diff.c - the comparison engine (validator/diff.c): directions, the memo on
 * recursive and shared schemas, the cache of clean pairs across actions, pointers,
 * OLD-only mode, $ref errors, out-of-memory at every allocation; and release files
 * loaded as specs (parser/library.c).
 */
#include "unit.h"

#include "parser/spec.h"
#include "parser/library.h"
#include "validator/diff.h"

/* A spec from JSON text, failing the test on error. */
static struct act_spec *spec_of(const char *name, const char *json)
{
    struct act_spec *s = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_spec_load_doc_take(must_parse(name, json, ACT_DOC_JSON), 0, &s, &err))
        fail_msg("%s: %s", name, err.msg);
    return s;
}

/* The spec text with one schema E used by a request body and a response of action
 * "put", and by the response of action "get"; E's status enum is the given list. */
static char *shop(const char *status_enum, const char *extra)
{
    char *t = act_malloc(4096);
    snprintf(t, 4096,
             "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
             " \"paths\": {\"/e\": {"
             "  \"put\": {\"operationId\": \"put\", \"requestBody\": {\"content\": "
             "   {\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/E\"}}}},"
             "   \"responses\": {\"200\": {\"description\": \"ok\", \"content\": "
             "   {\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/E\"}}}}}},"
             "  \"get\": {\"operationId\": \"get\", \"responses\": {\"200\": {\"description\": "
             "   \"ok\", \"content\": {\"application/json\": {\"schema\": "
             "   {\"$ref\": \"#/components/schemas/E\"}}}}}}}%s},"
             " \"components\": {\"schemas\": {\"E\": {\"type\": \"object\", \"properties\": {"
             "  \"status\": {\"type\": \"string\", \"enum\": [%s]},"
             "  \"child\": {\"$ref\": \"#/components/schemas/E\"}}}}}}",
             extra, status_enum);
    return t;
}

static void diff_ok(const struct act_spec *o, const struct act_spec *n, int flags,
                    struct act_diff *d)
{
    struct act_error err;
    act_error_init(&err);
    act_diff_init(d);
    if (act_diff_specs(o, n, flags, d, &err))
        fail_msg("diff: %s", err.msg);
}

/* The change of d for action with this message, or NULL. */
static const struct act_diff_change *find(const struct act_diff *d, const char *action,
                                          const char *message)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->changes[i].action, action) == 0 &&
            strcmp(d->changes[i].message, message) == 0)
            return &d->changes[i];
    return NULL;
}

static void test_diff_an_enum_widened_breaks_responses_not_requests(void **state)
{
    (void)state;
    char *a = shop("\"a\", \"b\"", ""), *b = shop("\"a\", \"b\", \"c\"", "");
    struct act_spec *o = spec_of("old", a), *n = spec_of("new", b);
    struct act_diff d;
    diff_ok(o, n, 0, &d);
    const struct act_diff_change *c =
        find(&d, "put", "request body property `/status` enum value \"c\" added");
    assert_non_null(c);
    assert_int_equal(c->severity, ACT_DIFF_INFO);
    c = find(&d, "put", "response 200 property `/status` enum value \"c\" added");
    assert_non_null(c);
    assert_int_equal(c->severity, ACT_DIFF_BREAKING);
    assert_string_equal(c->old_ptr, "/components/schemas/E/properties/status/enum");
    assert_string_equal(c->new_ptr, "/components/schemas/E/properties/status/enum/2");
    /* the shared E: once for get too, after put's walk of it; the recursion (child)
     * adds nothing */
    c = find(&d, "get", "response 200 property `/status` enum value \"c\" added");
    assert_non_null(c);
    assert_int_equal(d.n, 3);
    assert_int_equal(act_diff_count(&d, ACT_DIFF_BREAKING), 2);
    assert_int_equal(d.n_actions, 2);
    act_diff_release(&d);
    /* and back: narrowed, it breaks the request only */
    diff_ok(n, o, 0, &d);
    c = find(&d, "put", "request body property `/status` enum value \"c\" removed");
    assert_non_null(c);
    assert_int_equal(c->severity, ACT_DIFF_BREAKING);
    assert_int_equal(act_diff_count(&d, ACT_DIFF_BREAKING), 1);
    act_diff_release(&d);
    act_spec_free(o);
    act_spec_free(n);
    act_free(a);
    act_free(b);
}

static void test_diff_identical_specs_have_no_change(void **state)
{
    (void)state;
    char *a = shop("\"a\"", "");
    struct act_spec *o = spec_of("old", a), *n = spec_of("new", a);
    struct act_diff d;
    diff_ok(o, n, 0, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(d.n_actions, 2);
    act_diff_release(&d);
    act_spec_free(o);
    act_spec_free(n);
    act_free(a);
}

static void test_diff_added_actions_are_info_unless_old_only(void **state)
{
    (void)state;
    char *a = shop("\"a\"", ""),
         *b = shop("\"a\"", ", \"/f\": {\"get\": {\"operationId\": \"f\", \"responses\": "
                            "{\"204\": {\"description\": \"none\"}}}}");
    struct act_spec *o = spec_of("old", a), *n = spec_of("new", b);
    struct act_diff d;
    diff_ok(o, n, 0, &d);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.changes[0].action, "f");
    assert_string_equal(d.changes[0].message, "action added (`get /f`)");
    assert_null(d.changes[0].old_ptr);
    assert_string_equal(d.changes[0].new_ptr, "/paths/~1f/get");
    act_diff_release(&d);
    diff_ok(o, n, ACT_DIFF_OLD_ONLY, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(d.n_actions, 2);
    act_diff_release(&d);
    /* removed the other way round: breaking, no pointer into NEW */
    diff_ok(n, o, 0, &d);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.changes[0].severity, ACT_DIFF_BREAKING);
    assert_null(d.changes[0].new_ptr);
    act_diff_release(&d);
    act_spec_free(o);
    act_spec_free(n);
    act_free(a);
    act_free(b);
}

static void test_diff_an_unresolvable_ref_is_an_error(void **state)
{
    (void)state;
    char *a = shop("\"a\"", "");
    char *b = act_strdup(a);
    char *p = strstr(b, "#/components/schemas/E\"}}}}}}");
    assert_non_null(p);
    memcpy(p + strlen("#/components/schemas/"), "X", 1);
    struct act_spec *o = spec_of("old", a), *n = spec_of("new", b);
    struct act_diff d;
    struct act_error err;
    act_error_init(&err);
    act_diff_init(&d);
    assert_int_equal(act_diff_specs(o, n, 0, &d, &err), ACT_ERR_REF);
    assert_non_null(strstr(err.msg, "#/components/schemas/X"));
    act_diff_release(&d);
    act_spec_free(o);
    act_spec_free(n);
    act_free(a);
    act_free(b);
}

static void test_diff_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    struct act_spec *o, *n;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(
        act_spec_load_release("tests/fixtures/diff/additions/old.json", 0, &o, NULL, &err), ACT_OK);
    assert_int_equal(
        act_spec_load_release("tests/fixtures/diff/additions/new.json", 0, &n, NULL, &err), ACT_OK);
    for (long k = 1;; k++) {
        struct act_diff d;
        act_diff_init(&d);
        act_error_init(&err);
        act_alloc_fail_after(k);
        enum act_status st = act_diff_specs(o, n, 0, &d, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        size_t count = d.n;
        act_diff_release(&d);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            assert_int_equal(count, 6);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d (%s)", k, st, err.msg);
        assert_true(k < 100000);
    }
    act_spec_free(o);
    act_spec_free(n);
}

/* A release file at path: the members given (without "digest"), then the digest of them. */
static void write_release(const char *path, const char *members)
{
    char text[4096];
    snprintf(text, sizeof(text), "{%s}", members);
    cJSON *rel = cJSON_Parse(text);
    assert_non_null(rel);
    char digest[ACT_DIGEST_SIZE];
    assert_int_equal(act_release_digest(rel, digest), ACT_OK);
    cJSON_Delete(rel);
    snprintf(text, sizeof(text), "{%s, \"digest\": \"%s\"}", members, digest);
    write_file(path, text);
}

static void test_release_loads_as_its_spec_limited_to_its_actions(void **state)
{
    (void)state;
    const char *spec = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
                       " \"paths\": {\"/a\": {\"get\": {\"operationId\": \"a\", \"responses\": "
                       "{\"200\": {\"$ref\": \"#/components/responses/R\"}}}},"
                       " \"/b\": {\"get\": {\"operationId\": \"b\", \"responses\": {}}}},"
                       " \"components\": {\"responses\": {\"R\": {\"description\": \"r\"}}}}";
    char text[2048];
    snprintf(text, sizeof(text),
             "\"format\": \"actions-release/1\", \"project\": \"p\", \"version\": \"1.0.0\","
             " \"actions\": [{\"id\": \"a\", \"method\": \"get\", \"path\": \"/a\"}],"
             " \"spec\": %s",
             spec);
    write_release("test_diff_release.json", text);
    struct act_spec *s = NULL;
    struct act_error err;
    int is_release = 0;
    act_error_init(&err);
    assert_int_equal(act_spec_load_release("test_diff_release.json", 0, &s, &is_release, &err),
                     ACT_OK);
    assert_true(is_release);
    assert_int_equal(s->n_ops, 1);
    assert_string_equal(s->ops[0].id, "a");
    assert_string_equal(s->version, "1");
    act_spec_free(s);
    /* a plain spec loads as itself */
    write_file("test_diff_spec.json", spec);
    assert_int_equal(act_spec_load_release("test_diff_spec.json", 0, &s, &is_release, &err),
                     ACT_OK);
    assert_false(is_release);
    assert_int_equal(s->n_ops, 2);
    act_spec_free(s);
    /* refusals */
    write_file("test_diff_release.json",
               "{\"format\": \"actions-release/1\", \"actions\": [], \"spec\": 3}");
    act_error_init(&err);
    assert_int_equal(act_spec_load_release("test_diff_release.json", 0, &s, NULL, &err),
                     ACT_ERR_INVALID);
    assert_null(s);
    assert_non_null(strstr(err.msg, "no \"spec\" object"));
    write_file("test_diff_release.json", "{\"format\": \"actions-release/2\"}");
    act_error_init(&err);
    assert_int_equal(act_spec_load_release("test_diff_release.json", 0, &s, NULL, &err),
                     ACT_ERR_UNSUPPORTED);
    snprintf(text, sizeof(text),
             "\"format\": \"actions-release/1\", \"project\": \"p\", \"version\": \"1.0.0\","
             " \"actions\": [{\"id\": \"zz\"}], \"spec\": %s",
             spec);
    write_release("test_diff_release.json", text);
    act_error_init(&err);
    assert_int_equal(act_spec_load_release("test_diff_release.json", 0, &s, NULL, &err),
                     ACT_ERR_INVALID);
    assert_non_null(strstr(err.msg, "release lists action \"zz\", which is not in its spec"));
    /* a digest that does not match the content: the file was changed */
    char changed[4096];
    snprintf(changed, sizeof(changed),
             "{\"format\": \"actions-release/1\", \"project\": \"p\", \"version\": \"1.0.0\","
             " \"actions\": [{\"id\": \"a\"}], \"spec\": %s, \"digest\": \"sha256:0\"}",
             spec);
    write_file("test_diff_release.json", changed);
    act_error_init(&err);
    assert_int_equal(act_spec_load_release("test_diff_release.json", 0, &s, NULL, &err),
                     ACT_ERR_INVALID);
    assert_null(s);
    assert_non_null(strstr(err.msg, "the release's digest does not match its content "
                                    "(recorded sha256:0, computed sha256:"));
    unlink("test_diff_release.json");
    unlink("test_diff_spec.json");
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff_an_enum_widened_breaks_responses_not_requests),
        cmocka_unit_test(test_diff_identical_specs_have_no_change),
        cmocka_unit_test(test_diff_added_actions_are_info_unless_old_only),
        cmocka_unit_test(test_diff_an_unresolvable_ref_is_an_error),
        cmocka_unit_test(test_diff_oom_at_every_allocation_is_reported_and_leaks_nothing),
        cmocka_unit_test(test_release_loads_as_its_spec_limited_to_its_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
