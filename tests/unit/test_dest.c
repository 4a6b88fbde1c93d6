/*
 * test_dest.c - destinations: YAML, JSON and exported properties files,
 * ${VAR} expansion, removed-on-export secrets, validation errors with
 * positions, secrets for the redactor, allocation failure.
 */
#include "unit.h"

#include <unistd.h>

#include "runner/dest.h"

#define DATA "tests/data/dest/"

/* A scratch file name of this process (tests may run side by side). */
static const char *tmp(const char *name)
{
    static char path[128];
    snprintf(path, sizeof(path), "/tmp/act-test-dest-%ld-%s", (long)getpid(), name);
    return path;
}

static void set_env(void)
{
    setenv("ACT_TEST_PASSWORD", "pw-Hunter2-secret", 1);
    setenv("ACT_TEST_API_KEY", "apikey-987654", 1);
    unsetenv("ACT_TEST_SURELY_UNDEFINED");
}

static struct act_destset *must_load(const char *path)
{
    struct act_destset *ds = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_destset_load(path, &ds, &err)) {
        char buf[4096];
        act_error_format(&err, buf, sizeof(buf));
        fail_msg("load failed: %s", buf);
    }
    return ds;
}

/* Load path, expect status st and an error at file:line whose message contains msg. */
static void expect_error(const char *path, enum act_status st, int line, const char *msg)
{
    struct act_destset *ds = (struct act_destset *)1;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_destset_load(path, &ds, &err), st);
    assert_null(ds);
    if (!strstr(err.msg, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
    assert_int_equal(err.line, line);
    if (!strstr(err.file, "tests/data/dest/"))
        fail_msg("file \"%s\"", err.file);
}

static void test_yaml_destinations_load_with_defaults_and_flags(void **state)
{
    (void)state;
    set_env();
    struct act_destset *ds = must_load(DATA "dests.yaml");
    assert_int_equal(ds->n, 4);
    const struct act_dest *d = act_destset_find(ds, "ON_PREM_HELLO_WORLD");
    assert_non_null(d);
    assert_string_equal(d->url, "http://internalhost:3333");
    assert_int_equal(d->proxy, ACT_PROXY_ONPREMISE);
    assert_int_equal(d->auth, ACT_AUTH_NONE);
    assert_string_equal(d->location_id, "loc1");
    assert_true(d->pa_enabled);
    assert_true(d->actions_enabled);
    assert_int_equal(d->line, 3);
    assert_false(d->from_properties);
    assert_null(d->missing_secret);
    assert_null(act_destset_find(ds, "on_prem_hello_world")); /* names are case-sensitive */
    act_destset_free(ds);
}

static void test_basic_destination_expands_variables_and_collects_headers(void **state)
{
    (void)state;
    set_env();
    struct act_destset *ds = must_load(DATA "dests.yaml");
    const struct act_dest *d = act_destset_find(ds, "BASIC_DEST");
    assert_int_equal(d->auth, ACT_AUTH_BASIC);
    assert_int_equal(d->proxy, ACT_PROXY_INTERNET);
    assert_string_equal(d->user, "alice");
    assert_string_equal(d->password, "pw-Hunter2-secret");
    assert_int_equal(d->n_headers, 2);
    assert_string_equal(d->headers[0].name, "X-Api-Key");
    assert_string_equal(d->headers[0].value, "apikey-987654");
    assert_string_equal(d->headers[1].name, "Accept-Language");
    assert_int_equal(d->n_queries, 1);
    assert_string_equal(d->queries[0].name, "sap-client");
    assert_string_equal(d->queries[0].value, "100");
    assert_string_equal(act_dest_prop(d, "Password"), "pw-Hunter2-secret");
    assert_null(act_dest_prop(d, "Nope"));
    act_destset_free(ds);
}

static void test_oauth_destination_reads_token_settings_and_literal_dollars(void **state)
{
    (void)state;
    set_env();
    struct act_destset *ds = must_load(DATA "dests.yaml");
    const struct act_dest *d = act_destset_find(ds, "OAUTH_DEST");
    assert_int_equal(d->auth, ACT_AUTH_OAUTH2_CC);
    assert_string_equal(d->token_url, "https://auth.example.com/oauth/token");
    assert_string_equal(d->client_id, "my-client");
    assert_string_equal(d->client_secret, "s3cr3t-Cl13nt-V4lue");
    assert_string_equal(d->scope, "read write");
    assert_false(d->creds_in_body);
    assert_true(d->trust_all); /* "TRUE" in any case */
    assert_false(d->actions_enabled);
    assert_string_equal(act_dest_prop(d, "Description"), "price is ${NOT_A_VAR} and $5");
    d = act_destset_find(ds, "SAML_DEST");
    assert_int_equal(d->auth, ACT_AUTH_UNSUPPORTED);
    assert_string_equal(d->auth_name, "SAMLAssertion");
    act_destset_free(ds);
}

static void test_json_destinations_load_and_numbers_become_strings(void **state)
{
    (void)state;
    struct act_destset *ds = must_load(DATA "dests.json");
    assert_int_equal(ds->n, 1);
    assert_string_equal(act_dest_prop(&ds->v[0], "Port"), "8080");
    assert_true(ds->v[0].actions_enabled);
    act_destset_free(ds);
}

static void test_exported_directory_loads_every_file_in_name_order(void **state)
{
    (void)state;
    struct act_destset *ds = must_load(DATA "exported");
    assert_int_equal(ds->n, 3);
    assert_string_equal(ds->v[0].name, "BASIC_EXPORTED");
    assert_string_equal(ds->v[1].name, "CONTINUED_DEST");
    assert_string_equal(ds->v[2].name, "ON_PREM_HELLO_WORLD");
    const struct act_dest *d = &ds->v[2];
    assert_true(d->from_properties);
    assert_string_equal(d->url, "http://internalhost:3333"); /* "http\://internalhost\:3333" */
    assert_string_equal(act_dest_prop(d, "Description"), "Hello world: on premise");
    assert_int_equal(d->proxy, ACT_PROXY_ONPREMISE);
    assert_true(d->actions_enabled);
    assert_true(d->pa_enabled);
    assert_int_equal(d->line, 7);
    act_destset_free(ds);
}

static void test_removed_password_loads_and_names_the_missing_secrets(void **state)
{
    (void)state;
    struct act_destset *ds = must_load(DATA "exported/BASIC_EXPORTED");
    const struct act_dest *d = &ds->v[0];
    assert_int_equal(d->auth, ACT_AUTH_BASIC);
    assert_null(d->password);
    assert_string_equal(d->missing_secret, "clientSecret, Password");
    assert_string_equal(d->url, "https://erp.example.com:44300/sap/opu/odata");
    act_destset_free(ds);
}

static void test_supplied_secret_is_not_reported_missing(void **state)
{
    (void)state;
    write_file(tmp("supplied"), "#Password=<< Existing password/certificate removed on export >>\n"
                                "Name=S\nURL=http://h\nAuthentication=BasicAuthentication\nUser=u\n"
                                "Password=given-later\n");
    struct act_destset *ds = must_load(tmp("supplied"));
    assert_null(ds->v[0].missing_secret);
    assert_string_equal(ds->v[0].password, "given-later");
    act_destset_free(ds);
    unlink(tmp("supplied"));
}

static void test_properties_syntax_continuations_escapes_and_separators(void **state)
{
    (void)state;
    struct act_destset *ds = must_load(DATA "exported/CONTINUED_DEST.properties");
    const struct act_dest *d = &ds->v[0];
    assert_string_equal(d->name, "CONTINUED_DEST");           /* "Name : X" */
    assert_string_equal(act_dest_prop(d, "Type"), "HTTP");    /* "Type HTTP" */
    assert_string_equal(d->url, "https://example.com/a/b/c"); /* continued lines */
    assert_string_equal(act_dest_prop(d, "Description"),
                        "caf\xc3\xa9 \xf0\x9f\x98\x80 tab\tend");    /* \u, surrogates, \t */
    assert_string_equal(act_dest_prop(d, "URL.headers.X-Odd"), "v"); /* CRLF line end */
    assert_string_equal(act_dest_prop(d, "empty"), "");
    assert_true(d->trust_all);
    assert_int_equal(d->line, 3);
    act_destset_free(ds);
}

static void test_latin1_properties_file_is_read_as_java_does(void **state)
{
    (void)state;
    write_file(tmp("latin1"), "Name=L\nURL=http://h\nDescription=caf\xe9\n");
    struct act_destset *ds = must_load(tmp("latin1"));
    assert_string_equal(act_dest_prop(&ds->v[0], "Description"), "caf\xc3\xa9");
    act_destset_free(ds);
    unlink(tmp("latin1"));
}

static void test_file_without_extension_is_sniffed_as_yaml(void **state)
{
    (void)state;
    write_file(tmp("sniff"), "# yaml\ndestinations:\n  - Name: Y\n    URL: http://h\n");
    struct act_destset *ds = must_load(tmp("sniff"));
    assert_int_equal(ds->n, 1);
    assert_false(ds->v[0].from_properties);
    act_destset_free(ds);
    unlink(tmp("sniff"));
}

static void test_invalid_names_types_urls_proxies_and_auth_are_errors_at_their_line(void **state)
{
    (void)state;
    expect_error(DATA "broken/bad-name.yaml", ACT_ERR_INVALID, 2, "invalid destination name");
    expect_error(DATA "broken/bad-type.yaml", ACT_ERR_INVALID, 3, "Type \"RFC\" is not supported");
    expect_error(DATA "broken/bad-scheme.yaml", ACT_ERR_INVALID, 3,
                 "must start with http:// or https://");
    expect_error(DATA "broken/bad-port.yaml", ACT_ERR_INVALID, 3, "not a number from 1 to 65535");
    expect_error(DATA "broken/bad-proxy.yaml", ACT_ERR_INVALID, 4, "unknown ProxyType");
    expect_error(DATA "broken/bad-auth.yaml", ACT_ERR_INVALID, 4, "unknown Authentication");
    expect_error(DATA "broken/bad-bool.yaml", ACT_ERR_INVALID, 4, "must be true or false");
    expect_error(DATA "broken/nested.yaml", ACT_ERR_INVALID, 4,
                 "must be a string, number or boolean");
    expect_error(DATA "broken/unknown-top.yaml", ACT_ERR_INVALID, 1, "unknown key \"destination\"");
}

static void test_auth_types_need_their_properties(void **state)
{
    (void)state;
    expect_error(DATA "broken/basic-no-password.yaml", ACT_ERR_INVALID, 2,
                 "BasicAuthentication needs \"Password\"");
    expect_error(DATA "broken/oauth-no-token-url.yaml", ACT_ERR_INVALID, 2,
                 "OAuth2ClientCredentials needs \"tokenServiceURL\"");
}

static void test_duplicates_and_bad_properties_syntax_are_errors(void **state)
{
    (void)state;
    expect_error(DATA "broken/duplicate-names.yaml", ACT_ERR_INVALID, 6,
                 "duplicate destination name \"SAME\"");
    expect_error(DATA "broken/dupdir", ACT_ERR_INVALID, 1, "duplicate destination name \"TWICE\"");
    expect_error(DATA "broken/duplicate-property.properties", ACT_ERR_INVALID, 4,
                 "duplicate property \"URL\" (first at line 2)");
    expect_error(DATA "broken/bad-escape.properties", ACT_ERR_INVALID, 3, "malformed \\uXXXX");
    expect_error(DATA "broken/header-crlf.properties", ACT_ERR_INVALID, 3,
                 "contains a control character");
    expect_error(DATA "broken/empty.properties", ACT_ERR_INVALID, 0, "no properties");
    expect_error(DATA "broken/no-name.properties", ACT_ERR_INVALID, 1, "has no \"Name\"");
}

static void test_undefined_variable_is_an_error_naming_it(void **state)
{
    (void)state;
    set_env();
    expect_error(DATA "broken/undefined-var.yaml", ACT_ERR_INVALID, 6,
                 "environment variable ACT_TEST_SURELY_UNDEFINED is not set");
    write_file(tmp("badvar"), "Name=V\nURL=http://h/${1X}\n");
    struct act_destset *ds;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_destset_load(tmp("badvar"), &ds, &err), ACT_ERR_INVALID);
    assert_non_null(strstr(err.msg, "malformed variable reference"));
    assert_int_equal(err.line, 2);
    unlink(tmp("badvar"));
}

static void test_errors_never_echo_secrets(void **state)
{
    (void)state;
    struct act_destset *ds;
    struct act_error err;
    char buf[4096];
    act_error_init(&err);
    assert_int_equal(act_destset_load(DATA "broken/bad-port.yaml", &ds, &err), ACT_ERR_INVALID);
    act_error_format(&err, buf, sizeof(buf));
    assert_null(strstr(buf, "hunter2"));
    assert_non_null(strstr(buf, "http://***@h:99999/x"));
    act_error_init(&err);
    assert_int_equal(act_destset_load(DATA "broken/oauth-no-token-url.yaml", &ds, &err),
                     ACT_ERR_INVALID);
    act_error_format(&err, buf, sizeof(buf));
    assert_null(strstr(buf, "oauth-secret-value-123"));
}

static void test_missing_path_is_an_io_error(void **state)
{
    (void)state;
    struct act_destset *ds;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_destset_load(DATA "nope.yaml", &ds, &err), ACT_ERR_IO);
    assert_null(ds);
    assert_non_null(strstr(err.msg, "cannot open"));
}

static void test_names_up_to_200_characters_are_valid(void **state)
{
    (void)state;
    char name[202], text[512];
    memset(name, 'N', 200);
    name[200] = '\0';
    snprintf(text, sizeof(text), "Name=%s\nURL=http://h\n", name);
    write_file(tmp("long"), text);
    struct act_destset *ds = must_load(tmp("long"));
    act_destset_free(ds);
    name[200] = 'N';
    name[201] = '\0';
    snprintf(text, sizeof(text), "Name=%s\nURL=http://h\n", name);
    write_file(tmp("long"), text);
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_destset_load(tmp("long"), &ds, &err), ACT_ERR_INVALID);
    unlink(tmp("long"));
}

static void test_secret_property_names_are_recognized(void **state)
{
    (void)state;
    assert_true(act_dest_is_secret("Password"));
    assert_true(act_dest_is_secret("clientSecret"));
    assert_true(act_dest_is_secret("tokenServicePassword"));
    assert_true(act_dest_is_secret("URL.headers.X-Api-Key"));
    assert_true(act_dest_is_secret("URL.headers.Authorization"));
    assert_true(act_dest_is_secret("URL.queries.access_token"));
    assert_true(act_dest_is_secret("refreshToken"));
    assert_false(act_dest_is_secret("User"));
    assert_false(act_dest_is_secret("tokenServiceURL"));
    assert_false(act_dest_is_secret("tokenService.addClientCredentialsInBody"));
    assert_false(act_dest_is_secret("URL.headers.Accept-Language"));
    assert_false(act_dest_is_secret("URL.queries.sap-client"));
}

static void test_suggestions_find_close_names(void **state)
{
    (void)state;
    set_env();
    struct act_destset *ds = must_load(DATA "dests.yaml");
    const char *near[5];
    size_t n = act_destset_suggest(ds, "ON_PREM_HELO_WORLD", near, 5);
    assert_true(n >= 1);
    assert_string_equal(near[0], "ON_PREM_HELLO_WORLD");
    n = act_destset_suggest(ds, "oauth", near, 5);
    assert_true(n >= 1);
    assert_string_equal(near[0], "OAUTH_DEST");
    assert_int_equal(act_destset_suggest(ds, "zzzzzzzzzz", near, 5), 0);
    act_destset_free(ds);
}

static void test_dest_secrets_teach_the_redactor(void **state)
{
    (void)state;
    set_env();
    struct act_destset *ds = must_load(DATA "dests.yaml");
    struct act_redactor r;
    struct act_buf out;
    act_redactor_init(&r);
    act_buf_init(&out);
    assert_int_equal(act_dest_add_secrets(act_destset_find(ds, "BASIC_DEST"), &r), ACT_OK);
    assert_int_equal(act_dest_add_secrets(act_destset_find(ds, "OAUTH_DEST"), &r), ACT_OK);
    /* base64("alice:pw-Hunter2-secret") */
    const char *text =
        "pw=pw-Hunter2-secret key apikey-987654 basic YWxpY2U6cHctSHVudGVyMi1zZWNyZXQ= "
        "cs=s3cr3t-Cl13nt-V4lue";
    assert_int_equal(act_redact_str(&r, text, &out), ACT_OK);
    assert_null(strstr(out.data, "Hunter2"));
    assert_null(strstr(out.data, "987654"));
    assert_null(strstr(out.data, "YWxpY2U6"));
    assert_null(strstr(out.data, "Cl13nt"));
    assert_int_equal(act_redact_is_secret_header(&r, "X-Api-Key", 9), 1);
    act_buf_release(&out);
    act_redactor_release(&r);
    act_destset_free(ds);
}

/* Every allocation failure is ACT_ERR_NOMEM and leaks nothing (ASan checks). */
static void oom_sweep(const char *path)
{
    for (long n = 1;; n++) {
        struct act_destset *ds = (struct act_destset *)1;
        struct act_error err;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_destset_load(path, &ds, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (failed == 0) {
            assert_int_equal(st, ACT_OK);
            act_destset_free(ds);
            break;
        }
        if (st != ACT_ERR_NOMEM)
            fail_msg("%s: allocation %ld failed but status is %d (%s)", path, n, st, err.msg);
        assert_null(ds);
        assert_true(n < 100000);
    }
}

static void test_oom_at_every_allocation_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    set_env();
    oom_sweep(DATA "dests.yaml");
    oom_sweep(DATA "dests.json");
    oom_sweep(DATA "exported");
    write_file(tmp("oom"),
               "Name=L\nURL=http://h/${ACT_TEST_PASSWORD}\nDescription=caf\xe9 \\u00e9\n");
    oom_sweep(tmp("oom"));
    unlink(tmp("oom"));
}

static void test_properties_text_in_memory_reads_like_a_properties_file(void **state)
{
    (void)state;
    set_env();
    /* No NUL at the end: the length bounds the text (the last value ends at "key"). */
    static const char text[] = "Name=MEM_DEST\nType=HTTP\nURL=https\\://h.example/a\\\n"
                               "   /b\nURL.headers.X-Api-Key=${ACT_TEST_API_KEY}XX";
    struct act_destset *ds = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(
        act_destset_parse_properties("mem.properties", text, sizeof(text) - 3, &ds, &err), ACT_OK);
    assert_int_equal(ds->n, 1);
    assert_string_equal(ds->v[0].name, "MEM_DEST");
    assert_string_equal(ds->v[0].url, "https://h.example/a/b");
    assert_true(ds->v[0].from_properties);
    assert_int_equal(ds->v[0].n_headers, 1);
    assert_string_equal(ds->v[0].headers[0].value, "apikey-987654");
    assert_string_equal(ds->v[0].file, "mem.properties");
    act_destset_free(ds);
    /* The same errors as from a file, named after the given name. */
    ds = (struct act_destset *)1;
    act_error_init(&err);
    assert_int_equal(
        act_destset_parse_properties("x.properties", "Name=A\nURL=ftp://h", 17, &ds, &err),
        ACT_ERR_INVALID);
    assert_null(ds);
    assert_string_equal(err.file, "x.properties");
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_destinations_load_with_defaults_and_flags),
        cmocka_unit_test(test_basic_destination_expands_variables_and_collects_headers),
        cmocka_unit_test(test_oauth_destination_reads_token_settings_and_literal_dollars),
        cmocka_unit_test(test_json_destinations_load_and_numbers_become_strings),
        cmocka_unit_test(test_exported_directory_loads_every_file_in_name_order),
        cmocka_unit_test(test_removed_password_loads_and_names_the_missing_secrets),
        cmocka_unit_test(test_supplied_secret_is_not_reported_missing),
        cmocka_unit_test(test_properties_syntax_continuations_escapes_and_separators),
        cmocka_unit_test(test_latin1_properties_file_is_read_as_java_does),
        cmocka_unit_test(test_file_without_extension_is_sniffed_as_yaml),
        cmocka_unit_test(test_invalid_names_types_urls_proxies_and_auth_are_errors_at_their_line),
        cmocka_unit_test(test_auth_types_need_their_properties),
        cmocka_unit_test(test_duplicates_and_bad_properties_syntax_are_errors),
        cmocka_unit_test(test_undefined_variable_is_an_error_naming_it),
        cmocka_unit_test(test_errors_never_echo_secrets),
        cmocka_unit_test(test_missing_path_is_an_io_error),
        cmocka_unit_test(test_names_up_to_200_characters_are_valid),
        cmocka_unit_test(test_secret_property_names_are_recognized),
        cmocka_unit_test(test_suggestions_find_close_names),
        cmocka_unit_test(test_dest_secrets_teach_the_redactor),
        cmocka_unit_test(test_properties_text_in_memory_reads_like_a_properties_file),
        cmocka_unit_test(test_oom_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
