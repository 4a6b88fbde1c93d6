/*
 * test_library.c - parser/library.h: semantic versions (grammar and precedence,
 * semver.org 2.0.0), the release digest, atomic writes that never overwrite,
 * library names and @latest; parser/bundle.h on specs/multifile, with an
 * out-of-memory sweep.
 */
#include "unit.h"

#include <sys/stat.h>

#include "parser/bundle.h"
#include "common/act_sha256.h"
#include "parser/library.h"

static void test_semver_grammar(void **state)
{
    (void)state;
    const char *good[] = {"0.0.0",           "1.2.3",          "10.20.30",       "1.0.0-alpha",
                          "1.0.0-0.3.7",     "1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "1.0.0+20130313",
                          "1.0.0-rc.1+b.01", "1.0.0+001",      "1.0.0-a0.b"};
    const char *bad[] = {
        "1",        "1.2",        "1.2.3.4", "01.2.3", "1.02.3",   "1.2.03", "1.2.3-",  "1.2.3+",
        "1.2.3-01", "1.2.3-a..b", "v1.2.3",  "1.2.3 ", "1.2.3-a+", "-1.2.3", "1.2.3-é", ""};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(act_semver_valid(good[i]));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(act_semver_valid(bad[i]));
    assert_false(act_semver_valid(NULL));
}

static void test_semver_precedence_follows_semver_org(void **state)
{
    (void)state;
    /* semver.org, section 11: each lower than the next */
    const char *order[] = {"1.0.0-alpha",
                           "1.0.0-alpha.1",
                           "1.0.0-alpha.beta",
                           "1.0.0-beta",
                           "1.0.0-beta.2",
                           "1.0.0-beta.11",
                           "1.0.0-rc.1",
                           "1.0.0",
                           "1.0.1",
                           "1.9.0",
                           "1.10.0",
                           "2.0.0",
                           "10.0.0",
                           "99999999999999999999.0.0"};
    size_t n = sizeof(order) / sizeof(order[0]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int c = act_semver_cmp(order[i], order[j]);
            assert_int_equal(c < 0 ? -1 : c > 0, i < j ? -1 : i > j);
        }
    assert_int_equal(act_semver_cmp("1.0.0+a", "1.0.0+b"), 0); /* build metadata ignored */
    assert_int_equal(act_semver_cmp("1.0.0-rc.1+x", "1.0.0-rc.1"), 0);
}

static void test_release_digest_leaves_out_the_digest_member(void **state)
{
    (void)state;
    cJSON *r = cJSON_Parse("{\"b\": 1, \"a\": [true, null], \"digest\": \"x\"}");
    char d1[ACT_DIGEST_SIZE], d2[ACT_DIGEST_SIZE], hex[ACT_SHA256_HEX];
    assert_int_equal(act_release_digest(r, d1), ACT_OK);
    cJSON_DeleteItemFromObject(r, "digest");
    assert_int_equal(act_release_digest(r, d2), ACT_OK);
    assert_string_equal(d1, d2);
    const char *canon = "{\"a\":[true,null],\"b\":1}";
    char want[ACT_DIGEST_SIZE];
    snprintf(want, sizeof(want), "sha256:%s", act_sha256_hex(canon, strlen(canon), hex));
    assert_string_equal(d1, want);
    cJSON_AddStringToObject(r, "digest", want);
    char computed[ACT_DIGEST_SIZE];
    assert_true(act_release_verify(r, computed));
    cJSON_ReplaceItemInObject(r, "b", cJSON_CreateNumber(2));
    assert_false(act_release_verify(r, computed));
    cJSON_Delete(r);
}

static void test_release_digest_out_of_memory(void **state)
{
    (void)state;
    cJSON *r = cJSON_Parse("{\"z\": {\"b\": [1, 2.5, \"x\"], \"a\": {}}, \"y\": \"\\u0001\", "
                           "\"digest\": \"sha256:0\"}");
    assert_non_null(r);
    char want[ACT_DIGEST_SIZE], got[ACT_DIGEST_SIZE];
    assert_int_equal(act_release_digest(r, want), ACT_OK);
    for (long n = 1;; n++) {
        act_alloc_fail_after(n);
        enum act_status st = act_release_digest(r, got);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            assert_string_equal(got, want);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_true(n < 1000);
    }
    cJSON_Delete(r);
}

static void test_write_atomic_never_overwrites_unless_asked(void **state)
{
    (void)state;
    char dir[] = "/tmp/act-lib-XXXXXX", path[128], *text;
    size_t len;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/a/b/r.json", dir);
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/a/b", dir);
    assert_int_equal(act_mkdirs(sub, NULL), ACT_OK);
    assert_int_equal(act_mkdirs(sub, NULL), ACT_OK); /* exists: fine */
    assert_int_equal(act_write_atomic(path, "one", 3, 0, 0, NULL), ACT_OK);
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_write_atomic(path, "two", 3, 0, 0, &err), ACT_ERR_INVALID);
    assert_non_null(strstr(err.msg, "already exists"));
    assert_int_equal(act_file_read(path, &text, &len, NULL), ACT_OK);
    assert_string_equal(text, "one");
    act_free(text);
    assert_int_equal(act_write_atomic(path, "three", 5, 1, 0, NULL), ACT_OK);
    assert_int_equal(act_file_read(path, &text, &len, NULL), ACT_OK);
    assert_string_equal(text, "three");
    act_free(text);
    /* no temporary file is left behind */
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 1", sub);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_library_resolve_names_and_latest(void **state)
{
    (void)state;
    char dir[] = "/tmp/act-lib-XXXXXX", p[256];
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof(p), "%s/hello", dir);
    assert_int_equal(act_mkdirs(p, NULL), ACT_OK);
    const char *versions[] = {"1.0.0", "1.10.0", "1.9.0", "2.0.0-rc.1"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof(p), "%s/hello/%s.json", dir, versions[i]);
        write_file(p, "{}");
    }
    snprintf(p, sizeof(p), "%s/hello/notes.json", dir); /* not a version: ignored */
    write_file(p, "{}");
    setenv("ACTIONS_LIBRARY", dir, 1);
    struct act_buf path;
    act_buf_init(&path);
    char want[256];
    assert_int_equal(act_library_resolve("library:hello@latest", &path, NULL), ACT_OK);
    snprintf(want, sizeof(want), "%s/hello/2.0.0-rc.1.json", dir);
    assert_string_equal(path.data, want);
    assert_int_equal(act_library_resolve("hello@1.9.0", &path, NULL), ACT_OK);
    snprintf(want, sizeof(want), "%s/hello/1.9.0.json", dir);
    assert_string_equal(path.data, want);
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_library_resolve("library:hello@3.0.0", &path, &err), ACT_ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "(published: 1.0.0, 1.9.0, 1.10.0, 2.0.0-rc.1)"));
    assert_int_equal(act_library_resolve("library:../etc@1.0.0", &path, NULL), ACT_ERR_USAGE);
    assert_int_equal(act_library_resolve("library:hello@1.0", &path, NULL), ACT_ERR_USAGE);
    assert_int_equal(act_library_resolve("library:nobody", &path, NULL), ACT_ERR_NOTFOUND);
    act_buf_release(&path);
    unsetenv("ACTIONS_LIBRARY");
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_bundle_multifile_and_out_of_memory(void **state)
{
    (void)state;
    struct act_spec *spec;
    cJSON *b;
    assert_int_equal(act_spec_load("specs/multifile/api.yaml", 0, &spec, NULL), ACT_OK);
    assert_int_equal(act_bundle(spec, &b, NULL), ACT_OK);
    act_spec_free(spec);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(b, "components"), "schemas");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(s, "book.json"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(s, "author.json"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(s, "Problem"));
    char *text = cJSON_PrintUnformatted(b);
    assert_null(strstr(text, ".yaml#"));
    assert_null(strstr(text, "\"../"));
    cJSON_free(text);
    cJSON_Delete(b);
    for (long n = 1;; n++) {
        struct act_error err;
        act_error_init(&err);
        spec = NULL;
        b = NULL;
        act_alloc_fail_after(n);
        enum act_status st = act_spec_load("specs/multifile/api.yaml", 0, &spec, &err);
        if (!st)
            st = act_bundle(spec, &b, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_spec_free(spec);
        cJSON_Delete(b);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_true(n < 100000);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semver_grammar),
        cmocka_unit_test(test_semver_precedence_follows_semver_org),
        cmocka_unit_test(test_release_digest_leaves_out_the_digest_member),
        cmocka_unit_test(test_release_digest_out_of_memory),
        cmocka_unit_test(test_write_atomic_never_overwrites_unless_asked),
        cmocka_unit_test(test_library_resolve_names_and_latest),
        cmocka_unit_test(test_bundle_multifile_and_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
