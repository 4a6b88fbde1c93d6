/*
 * test_utf8.c - UTF-8 well-formedness (common/act_utf8.h), RFC 3629 table 3.
 */
#include "unit.h"

#include "common/act_utf8.h"

static size_t len_of(const char *s, size_t n)
{
    return act_utf8_len((const unsigned char *)s, n);
}

static void test_sequence_lengths(void **state)
{
    (void)state;
    assert_int_equal(len_of("a", 1), 1);
    assert_int_equal(len_of("\0", 1), 1);
    assert_int_equal(len_of("\xC3\xA9", 2), 2);         /* é */
    assert_int_equal(len_of("\xE2\x82\xAC", 3), 3);     /* € */
    assert_int_equal(len_of("\xF0\x9F\x98\x80", 4), 4); /* U+1F600 */
    assert_int_equal(len_of("\xF4\x8F\xBF\xBF", 4), 4); /* U+10FFFF */
    assert_int_equal(len_of("\xC0\xAF", 2), 0);         /* overlong '/' */
    assert_int_equal(len_of("\xC1\xBF", 2), 0);
    assert_int_equal(len_of("\xE0\x9F\xBF", 3), 0);     /* overlong */
    assert_int_equal(len_of("\xED\xA0\x80", 3), 0);     /* surrogate D800 */
    assert_int_equal(len_of("\xF0\x8F\xBF\xBF", 4), 0); /* overlong */
    assert_int_equal(len_of("\xF4\x90\x80\x80", 4), 0); /* above U+10FFFF */
    assert_int_equal(len_of("\xF5\x80\x80\x80", 4), 0);
    assert_int_equal(len_of("\x80", 1), 0); /* lone continuation */
    assert_int_equal(len_of("\xC3", 1), 0); /* truncated */
    assert_int_equal(len_of("\xE2\x82", 2), 0);
    assert_int_equal(len_of("\xE2\x28\xAC", 3), 0);
}

static void test_check_gives_the_first_bad_offset(void **state)
{
    (void)state;
    assert_int_equal(act_utf8_check("", 0), 0);
    assert_int_equal(act_utf8_check("plain", 5), 5);
    assert_int_equal(act_utf8_check("caf\xC3\xA9", 5), 5);
    assert_int_equal(act_utf8_check("caf\xC3", 4), 3);
    assert_int_equal(act_utf8_check("ab\xFF"
                                    "cd",
                                    5),
                     2);
    assert_int_equal(act_utf8_check("\xE2\x82\xAC\xED\xBF\xBF", 6), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequence_lengths),
        cmocka_unit_test(test_check_gives_the_first_bad_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
