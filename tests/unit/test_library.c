/*
 * test_library.c - parser/library.h: semantic versions (grammar and precedence,
 * semver.org 2.0.0), the release digest, atomic writes that never overwrite,
 * library names and @latest; the temporary files an interrupted write leaves;
 * a library name and a release file loading as the same spec (out-of-memory
 * sweep); parser/bundle.h on specs/multifile, with an out-of-memory sweep.
 */
#include "unit.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void test_atomic_stale_temporaries_are_found_unless_a_writer_holds_them(void **state)
{
    (void)state;
    assert_true(act_atomic_is_temp(".1.0.0.json.tmp-Ab12Z9"));
    assert_false(act_atomic_is_temp("1.0.0.json.tmp-Ab12Z9")); /* not hidden */
    assert_false(act_atomic_is_temp(".1.0.0.json.tmp-Ab12"));  /* no 6 characters */
    assert_false(act_atomic_is_temp(".tmp-Ab12Z9"));
    assert_false(act_atomic_is_temp("1.0.0.json"));
    char dir[] = "/tmp/act-lib-XXXXXX", p[128], held[128], stale[128];
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof(p), "%s/1.0.0.json", dir);
    assert_int_equal(act_write_atomic(p, "{}", 2, 0, 0, NULL), ACT_OK);
    snprintf(stale, sizeof(stale), "%s/.2.0.0.json.tmp-aaaaaa", dir);
    snprintf(held, sizeof(held), "%s/.3.0.0.json.tmp-bbbbbb", dir);
    write_file(stale, "{\"half");
    write_file(held, "{\"half");
    /* a live writer holds its temporary file locked: this test, here */
    int fd = open(held, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    char **v;
    size_t n;
    assert_int_equal(act_atomic_stale(dir, 0, &v, &n), ACT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], ".2.0.0.json.tmp-aaaaaa");
    act_release_names_free(v, n);
    assert_int_equal(access(stale, F_OK), 0); /* reported, not removed */
    assert_int_equal(act_atomic_stale(dir, 1, &v, &n), ACT_OK);
    assert_int_equal(n, 1);
    act_release_names_free(v, n);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(access(held, F_OK), 0);
    assert_int_equal(access(p, F_OK), 0);
    close(fd); /* the writer is gone: now it is stale */
    assert_int_equal(act_atomic_stale(dir, 1, &v, &n), ACT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], ".3.0.0.json.tmp-bbbbbb");
    act_release_names_free(v, n);
    snprintf(p, sizeof(p), "%s/none", dir);
    assert_int_equal(act_atomic_stale(p, 1, &v, &n), ACT_OK);
    assert_int_equal(n, 0);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A release of p VERSION with actions ids (of "a" and "b") into path, digest computed. */
static void write_release(const char *path, const char *version, const char *ids)
{
    char text[2048];
    snprintf(text, sizeof(text),
             "{\"format\": \"actions-release/1\", \"project\": \"p\", \"version\": \"%s\","
             " \"created\": \"2026-01-01T00:00:00Z\", \"actions\": [%s],"
             " \"spec\": {\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
             " \"paths\": {\"/a\": {\"get\": {\"operationId\": \"a\", \"responses\": {\"200\": "
             "{\"$ref\": \"#/components/responses/R\"}}}}, \"/b\": {\"get\": {\"operationId\": "
             "\"b\", \"responses\": {}}}}, \"components\": {\"responses\": {\"R\": "
             "{\"description\": \"r\"}}}}}",
             version, ids);
    cJSON *r = cJSON_Parse(text);
    assert_non_null(r);
    char digest[ACT_DIGEST_SIZE];
    assert_int_equal(act_release_digest(r, digest), ACT_OK);
    cJSON_AddStringToObject(r, "digest", digest);
    char *out = cJSON_Print(r);
    write_file(path, out);
    cJSON_free(out);
    cJSON_Delete(r);
}

static void test_a_library_name_and_a_release_file_load_as_the_same_spec(void **state)
{
    (void)state;
    char dir[] = "/tmp/act-lib-XXXXXX", p[256], file[256];
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof(p), "%s/p", dir);
    assert_int_equal(act_mkdirs(p, NULL), ACT_OK);
    snprintf(file, sizeof(file), "%s/p/1.0.0.json", dir);
    write_release(file, "1.0.0", "{\"id\": \"a\", \"method\": \"get\", \"path\": \"/a\"}");
    setenv("ACTIONS_LIBRARY", dir, 1);
    struct act_spec *lib = NULL, *rel = NULL, *plain = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_spec_load_name("library:p@latest", 0, &lib, &err), ACT_OK);
    assert_int_equal(act_spec_load_name(file, 0, &rel, &err), ACT_OK);
    assert_string_equal(lib->doc->path, "library:p@1.0.0");
    assert_string_equal(rel->doc->path, file);
    assert_true(lib->is_release && rel->is_release);
    assert_int_equal(lib->n_ops, 1);
    assert_int_equal(rel->n_ops, 1);
    assert_string_equal(lib->ops[0].id, "a");
    assert_string_equal(rel->ops[0].id, "a");
    assert_null(act_spec_find_op(lib, "b")); /* in the spec, not released */
    act_spec_free(lib);
    act_spec_free(rel);
    assert_int_equal(act_spec_load_name("specs/helloworld.json", 0, &plain, &err), ACT_OK);
    assert_false(plain->is_release);
    act_spec_free(plain);
    /* an action the spec lacks: the same refusal by both ways */
    write_release(file, "1.0.0", "{\"id\": \"zz\"}");
    act_error_init(&err);
    assert_int_equal(act_spec_load_name("library:p@1.0.0", 0, &lib, &err), ACT_ERR_INVALID);
    assert_null(lib);
    assert_non_null(strstr(err.msg, "release lists action \"zz\", which is not in its spec"));
    act_error_init(&err);
    assert_int_equal(act_spec_load_name(file, 0, &rel, &err), ACT_ERR_INVALID);
    assert_non_null(strstr(err.msg, "release lists action \"zz\", which is not in its spec"));
    /* out of memory anywhere on the way from the library to the spec: reported, no leak */
    write_release(file, "1.0.0", "{\"id\": \"a\"}, {\"id\": \"b\"}");
    for (long k = 1;; k++) {
        act_error_init(&err);
        act_alloc_fail_after(k);
        enum act_status st = act_spec_load_name("library:p", 0, &lib, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            assert_int_equal(lib->n_ops, 2);
            act_spec_free(lib);
            break;
        }
        assert_null(lib);
        if (st != ACT_ERR_NOMEM)
            fail_msg("allocation %ld: status %d (%s)", k, st, err.msg);
        assert_true(k < 100000);
    }
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
        cmocka_unit_test(test_atomic_stale_temporaries_are_found_unless_a_writer_holds_them),
        cmocka_unit_test(test_a_library_name_and_a_release_file_load_as_the_same_spec),
        cmocka_unit_test(test_bundle_multifile_and_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
