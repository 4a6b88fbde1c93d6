/*
 * test_redact.c - masking secrets in headers, URLs, traces and free text.
 */
#include "unit.h"

#include "common/act_redact.h"

/* act_redact_str(r, in) must equal want. */
static void redacts(const struct act_redactor *r, const char *in, const char *want)
{
    struct act_buf out;
    act_buf_init(&out);
    assert_int_equal(act_redact_str(r, in, &out), ACT_OK);
    if (strcmp(out.data, want) != 0)
        fail_msg("redacted \"%s\" to \"%s\", expected \"%s\"", in, out.data, want);
    act_buf_release(&out);
}

static void header(const struct act_redactor *r, const char *in, const char *want)
{
    struct act_buf out;
    act_buf_init(&out);
    assert_int_equal(act_redact_header(r, in, strlen(in), &out), ACT_OK);
    assert_string_equal(out.data, want);
    act_buf_release(&out);
}

static void test_secret_headers_are_masked_whole(void **state)
{
    (void)state;
    header(NULL, "Authorization: Basic YWxpY2U6cHc=", "Authorization: ***");
    header(NULL, "proxy-authorization: Bearer abc", "proxy-authorization: ***");
    header(NULL, "Cookie: SESSION=abc; other=1", "Cookie: ***");
    header(NULL, "Set-Cookie: SAP_SESSIONID=xyz; Path=/", "Set-Cookie: ***");
    header(NULL, "x-csrf-token: 0123456789abcdef", "x-csrf-token: ***");
    header(NULL, "X-Api-Key: k-123", "X-Api-Key: ***");
    header(NULL, "X-Auth-Token: t", "X-Auth-Token: ***");
    header(NULL, "Content-Type: application/json", "Content-Type: application/json");
    header(NULL, "Accept: */*", "Accept: */*");
}

static void test_registered_header_names_are_masked_too(void **state)
{
    (void)state;
    struct act_redactor r;
    act_redactor_init(&r);
    header(&r, "X-Tenant: acme", "X-Tenant: acme");
    assert_int_equal(act_redactor_add_header(&r, "X-Tenant"), ACT_OK);
    header(&r, "x-tenant: acme", "x-tenant: ***");
    act_redactor_release(&r);
}

static void test_url_userinfo_is_masked(void **state)
{
    (void)state;
    redacts(NULL, "http://user:pw@h/x", "http://***@h/x");
    redacts(NULL, "GET https://bob@example.com:8443/a?b=1 HTTP/1.1",
            "GET https://***@example.com:8443/a?b=1 HTTP/1.1");
    redacts(NULL, "see http://h/x@y", "see http://h/x@y"); /* '@' in the path is not userinfo */
    redacts(NULL, "\"url\": \"http://a:b@h\"", "\"url\": \"http://***@h\"");
}

static void test_secret_query_and_form_parameters_are_masked(void **state)
{
    (void)state;
    redacts(NULL, "http://h/x?access_token=abc&x=1", "http://h/x?access_token=***&x=1");
    redacts(NULL, "http://h/x?a=1&api_key=k#f", "http://h/x?a=1&api_key=***#f");
    redacts(NULL, "http://h/x?sig=s&page=2", "http://h/x?sig=***&page=2");
    redacts(NULL, "grant_type=client_credentials&client_secret=zz&scope=a",
            "grant_type=client_credentials&client_secret=***&scope=a");
    redacts(NULL, "password=x", "password=***");
    redacts(NULL, "http://h/x?author=me&page=2", "http://h/x?author=me&page=2");
}

static void test_json_members_with_secret_names_are_masked(void **state)
{
    (void)state;
    redacts(NULL, "{\"access_token\":\"eyJabc\",\"expires_in\":3600}",
            "{\"access_token\":\"***\",\"expires_in\":3600}");
    redacts(NULL, "{\"client_secret\": \"a\\\"b\", \"x\": \"y\"}",
            "{\"client_secret\": \"***\", \"x\": \"y\"}");
    redacts(NULL, "{\"message\": \"Hello World\"}", "{\"message\": \"Hello World\"}");
    redacts(NULL, "{\"headers\": {\"Authorization\": \"Basic eHh4\"}}",
            "{\"headers\": {\"Authorization\": \"***\"}}");
}

static void test_known_values_are_masked_everywhere_in_every_form(void **state)
{
    (void)state;
    struct act_redactor r;
    act_redactor_init(&r);
    assert_int_equal(act_redactor_add_secret(&r, "p@ss w\"rd"), ACT_OK);
    assert_int_equal(act_redactor_add_secret(&r, "tok-12345"), ACT_OK);
    assert_int_equal(act_redactor_add_secret(&r, NULL), ACT_OK);
    assert_int_equal(act_redactor_add_secret(&r, ""), ACT_OK);
    redacts(&r, "error: p@ss w\"rd rejected", "error: *** rejected");
    redacts(&r, "body=p%40ss%20w%22rd", "body=***");
    redacts(&r, "{\"v\": \"p@ss w\\\"rd\"}", "{\"v\": \"***\"}");
    redacts(&r, "tok-12345tok-12345", "******");
    act_redactor_release(&r);
}

static void test_longer_secret_containing_a_shorter_one_is_masked_whole(void **state)
{
    (void)state;
    struct act_redactor r;
    act_redactor_init(&r);
    assert_int_equal(act_redactor_add_secret(&r, "abcd"), ACT_OK);
    assert_int_equal(act_redactor_add_secret(&r, "xxabcdxx"), ACT_OK);
    redacts(&r, "[xxabcdxx] [abcd]", "[***] [***]");
    act_redactor_release(&r);
}

static void test_very_short_secrets_are_not_searched_for_as_text(void **state)
{
    (void)state;
    struct act_redactor r;
    act_redactor_init(&r);
    assert_int_equal(act_redactor_add_secret(&r, "ab"), ACT_OK);
    assert_int_equal(r.n_secrets, 0);
    redacts(&r, "about tab", "about tab");
    act_redactor_release(&r);
}

static void test_traces_are_masked_line_by_line_keeping_line_ends(void **state)
{
    (void)state;
    struct act_redactor r;
    act_redactor_init(&r);
    assert_int_equal(act_redactor_add_secret(&r, "s3cr3t-value"), ACT_OK);
    redacts(&r,
            "> GET /hello?token=abc HTTP/1.1\r\n"
            "> Host: internalhost:3333\r\n"
            "> Authorization: Bearer s3cr3t-value\r\n"
            "< Set-Cookie: a=b\r\n"
            "< X-Echo: s3cr3t-value\n"
            "last line",
            "> GET /hello?token=*** HTTP/1.1\r\n"
            "> Host: internalhost:3333\r\n"
            "> Authorization: ***\r\n"
            "< Set-Cookie: ***\r\n"
            "< X-Echo: ***\n"
            "last line");
    act_redactor_release(&r);
}

static void test_secret_name_checks(void **state)
{
    (void)state;
    assert_true(act_redact_is_secret_header(NULL, "Authorization", 13));
    assert_true(act_redact_is_secret_header(NULL, "Ocp-Apim-Subscription-Key", 25));
    assert_false(act_redact_is_secret_header(NULL, "Accept-Language", 15));
    assert_true(act_redact_is_secret_query(NULL, "subscription-key", 16));
    assert_true(act_redact_is_secret_query(NULL, "refresh_token", 13));
    assert_false(act_redact_is_secret_query(NULL, "sap-client", 10));
}

static void test_redact_oom_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        struct act_redactor r;
        struct act_buf out;
        act_redactor_init(&r);
        act_buf_init(&out);
        act_alloc_fail_after(n);
        enum act_status st = act_redactor_add_secret(&r, "secret-1 \"x\"");
        if (!st)
            st = act_redactor_add_header(&r, "X-A");
        if (!st)
            st = act_redact_str(&r, "Authorization: x\nhttp://u:p@h/?key=1 secret-1 \"x\"", &out);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_buf_release(&out);
        act_redactor_release(&r);
        if (failed == 0) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_true(n < 10000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret_headers_are_masked_whole),
        cmocka_unit_test(test_registered_header_names_are_masked_too),
        cmocka_unit_test(test_url_userinfo_is_masked),
        cmocka_unit_test(test_secret_query_and_form_parameters_are_masked),
        cmocka_unit_test(test_json_members_with_secret_names_are_masked),
        cmocka_unit_test(test_known_values_are_masked_everywhere_in_every_form),
        cmocka_unit_test(test_longer_secret_containing_a_shorter_one_is_masked_whole),
        cmocka_unit_test(test_very_short_secrets_are_not_searched_for_as_text),
        cmocka_unit_test(test_traces_are_masked_line_by_line_keeping_line_ends),
        cmocka_unit_test(test_secret_name_checks),
        cmocka_unit_test(test_redact_oom_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
