/*
 * test_pointer.c - RFC 6901 pointers: decoding, walking, escaping, fragments.
 */
#include "unit.h"

#include "parser/pointer.h"

static const char *doc_text = "{\"a/b\": {\"m~n\": [10, 20, {\"x\": true}]}, \"\": 1, "
                              "\"sp ace\": 2, \"pct%\": 3}";

static void test_pointer_decodes_tilde_one_as_slash_and_tilde_zero_as_tilde(void **state)
{
    (void)state;
    struct act_doc *d = must_parse("t.json", doc_text, ACT_DOC_JSON);
    const cJSON *n = act_pointer_get(d->root, "/a~1b/m~0n/1");
    assert_non_null(n);
    assert_int_equal(n->valueint, 20);
    assert_true(cJSON_IsTrue(act_pointer_get(d->root, "/a~1b/m~0n/2/x")));
    act_doc_free(d);
}

static void test_pointer_empty_string_is_the_root_and_slash_is_the_empty_key(void **state)
{
    (void)state;
    struct act_doc *d = must_parse("t.json", doc_text, ACT_DOC_JSON);
    assert_ptr_equal(act_pointer_get(d->root, ""), d->root);
    assert_int_equal(act_pointer_get(d->root, "/")->valueint, 1);
    act_doc_free(d);
}

static void test_pointer_rejects_bad_escapes_leading_zeros_and_missing_nodes(void **state)
{
    (void)state;
    struct act_doc *d = must_parse("t.json", doc_text, ACT_DOC_JSON);
    assert_null(act_pointer_get(d->root, "/a~2b"));
    assert_null(act_pointer_get(d->root, "/a~1b/m~0n/01"));
    assert_null(act_pointer_get(d->root, "/a~1b/m~0n/3"));
    assert_null(act_pointer_get(d->root, "/a~1b/m~0n/-"));
    assert_null(act_pointer_get(d->root, "a"));
    assert_null(act_pointer_get(d->root, "/nope/deeper"));
    act_doc_free(d);
}

static void test_pointer_append_escapes_and_pointer_of_finds_the_node(void **state)
{
    (void)state;
    struct act_doc *d = must_parse("t.json", doc_text, ACT_DOC_JSON);
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_pointer_append(&b, "a/b"), ACT_OK);
    assert_int_equal(act_pointer_append(&b, "m~n"), ACT_OK);
    assert_int_equal(act_pointer_append_index(&b, 2), ACT_OK);
    assert_string_equal(b.data, "/a~1b/m~0n/2");
    const cJSON *x = act_pointer_get(d->root, "/a~1b/m~0n/2/x");
    assert_int_equal(act_pointer_of(d->root, x, &b), ACT_OK);
    assert_string_equal(b.data, "/a~1b/m~0n/2/x");
    cJSON *other = cJSON_CreateNull();
    assert_int_equal(act_pointer_of(d->root, other, &b), ACT_ERR_NOTFOUND);
    cJSON_Delete(other);
    act_buf_release(&b);
    act_doc_free(d);
}

static void test_pointer_fragment_is_percent_decoded(void **state)
{
    (void)state;
    struct act_buf b;
    act_buf_init(&b);
    const char *f = "#/sp%20ace";
    assert_int_equal(act_pointer_from_fragment(f, strlen(f), &b), ACT_OK);
    assert_string_equal(b.data, "/sp ace");
    f = "#/pct%25";
    assert_int_equal(act_pointer_from_fragment(f, strlen(f), &b), ACT_OK);
    assert_string_equal(b.data, "/pct%");
    f = "#/a%7Bb%7d";
    assert_int_equal(act_pointer_from_fragment(f, strlen(f), &b), ACT_OK);
    assert_string_equal(b.data, "/a{b}");
    f = "#/bad%2";
    assert_int_equal(act_pointer_from_fragment(f, strlen(f), &b), ACT_ERR_INVALID);
    f = "#/bad%zz";
    assert_int_equal(act_pointer_from_fragment(f, strlen(f), &b), ACT_ERR_INVALID);
    f = "#/nul%00";
    assert_int_equal(act_pointer_from_fragment(f, strlen(f), &b), ACT_ERR_INVALID);
    assert_int_equal(act_pointer_from_fragment("#/a\0b", 5, &b), ACT_ERR_INVALID); /* raw NUL */
    f = "/no-hash%41";
    assert_int_equal(act_pointer_from_fragment(f, strlen(f), &b), ACT_OK);
    assert_string_equal(b.data, "/no-hashA");
    act_buf_release(&b);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pointer_decodes_tilde_one_as_slash_and_tilde_zero_as_tilde),
        cmocka_unit_test(test_pointer_empty_string_is_the_root_and_slash_is_the_empty_key),
        cmocka_unit_test(test_pointer_rejects_bad_escapes_leading_zeros_and_missing_nodes),
        cmocka_unit_test(test_pointer_append_escapes_and_pointer_of_finds_the_node),
        cmocka_unit_test(test_pointer_fragment_is_percent_decoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
