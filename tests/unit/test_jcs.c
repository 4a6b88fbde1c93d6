/*
 * test_jcs.c - parser/jcs.h against RFC 8785's own examples: the number table of
 * its appendix B, the sorting example of section 3.2.3 and the example of 3.2.2.
 */
#include "unit.h"

#include <math.h>

#include "common/act_buf.h"
#include "parser/jcs.h"

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof(d));
    return d;
}

static void test_numbers_follow_the_rfc_8785_appendix_b_table(void **state)
{
    (void)state;
    static const struct {
        uint64_t bits;
        const char *want;
    } t[] = {
        {0x0000000000000000, "0"},
        {0x8000000000000000, "0"},
        {0x0000000000000001, "5e-324"},
        {0x8000000000000001, "-5e-324"},
        {0x7fefffffffffffff, "1.7976931348623157e+308"},
        {0xffefffffffffffff, "-1.7976931348623157e+308"},
        {0x4340000000000000, "9007199254740992"},
        {0xc340000000000000, "-9007199254740992"},
        {0x4430000000000000, "295147905179352830000"},
        {0x44b52d02c7e14af5, "9.999999999999997e+22"},
        {0x44b52d02c7e14af6, "1e+23"},
        {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
        {0x444b1ae4d6e2ef4e, "999999999999999700000"},
        {0x444b1ae4d6e2ef4f, "999999999999999900000"},
        {0x444b1ae4d6e2ef50, "1e+21"},
        {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
        {0x3eb0c6f7a0b5ed8d, "0.000001"},
        {0x41b3de4355555553, "333333333.3333332"},
        {0x41b3de4355555554, "333333333.33333325"},
        {0x41b3de4355555555, "333333333.3333333"},
        {0x41b3de4355555556, "333333333.3333334"},
        {0x41b3de4355555557, "333333333.33333343"},
        {0xbecbf647612f3696, "-0.0000033333333333333333"},
        {0x43143ff3c1cb0959, "1424953923781206.2"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        assert_int_equal(act_jcs_number(from_bits(t[i].bits), buf), 0);
        assert_string_equal(buf, t[i].want);
    }
    assert_int_equal(act_jcs_number(from_bits(0x7fffffffffffffff), buf), -1); /* NaN */
    assert_int_equal(act_jcs_number(from_bits(0x7ff0000000000000), buf), -1); /* Infinity */
}

static char *canon(const char *json)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    struct act_buf b;
    act_buf_init(&b);
    assert_int_equal(act_jcs_append(&b, j), ACT_OK);
    cJSON_Delete(j);
    return act_buf_detach(&b, NULL);
}

static void test_members_sort_by_utf16_code_units(void **state)
{
    (void)state;
    char *s = canon("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", "
                    "\"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\", "
                    "\"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
                    "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}");
    assert_string_equal(s, "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
                           "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
                           "\"\xe2\x82\xac\":\"Euro Sign\","
                           "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
                           "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
    act_free(s);
}

static void test_the_rfc_8785_example_object(void **state)
{
    (void)state;
    char *s = canon("{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, "
                    "0.000000000000000000000000001],\n"
                    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                    "  \"literals\": [null, true, false]\n}");
    assert_string_equal(s, "{\"literals\":[null,true,false],"
                           "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                           "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    act_free(s);
}

static void test_nested_and_empty_values(void **state)
{
    (void)state;
    char *s = canon("{\"b\": {\"z\": [], \"a\": {}}, \"a\": [1, -0.0, \"\\u007f\\b\\t\\f\"]}");
    assert_string_equal(s, "{\"a\":[1,0,\"\x7f\\b\\t\\f\"],\"b\":{\"a\":{},\"z\":[]}}");
    act_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_follow_the_rfc_8785_appendix_b_table),
        cmocka_unit_test(test_members_sort_by_utf16_code_units),
        cmocka_unit_test(test_the_rfc_8785_example_object),
        cmocka_unit_test(test_nested_and_empty_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
