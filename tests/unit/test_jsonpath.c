/*
 * test_jsonpath.c - RFC 9535 JSONPath (process/jsonpath.h): the examples of its
 * section 1.5 and of the example tables of section 2, well-formedness and validity
 * errors, the function extensions, and the limits.
 */
#include "unit.h"

#include "process/jsonpath.h"

/* The nodelist of query on json, as compact JSON text (caller frees). */
static char *q(const char *json, const char *query)
{
    cJSON *root = cJSON_Parse(json), *nodes = NULL;
    assert_non_null(root);
    struct act_error err;
    act_error_init(&err);
    size_t off = 0;
    if (act_jsonpath_query(query, root, &nodes, &off, &err))
        fail_msg("%s: %s", query, err.msg);
    char *t = cJSON_PrintUnformatted(nodes);
    cJSON_Delete(nodes);
    cJSON_Delete(root);
    return t;
}

#define assert_q(json, query, want)                                                                \
    do {                                                                                           \
        char *got_ = q(json, query);                                                               \
        if (strcmp(got_, want) != 0)                                                               \
            fail_msg("%s\n  got  %s\n  want %s", query, got_, want);                               \
        cJSON_free(got_);                                                                          \
    } while (0)

/* The offset of the syntax/validity error in query. */
static size_t bad(const char *query)
{
    struct act_error err;
    act_error_init(&err);
    size_t off = 9999;
    enum act_status st = act_jsonpath_check(query, &off, &err);
    if (st != ACT_ERR_PARSE)
        fail_msg("%s: expected a parse error, got %d", query, (int)st);
    assert_true(strstr(err.msg, "jsonpath: ") == err.msg);
    cJSON *root = cJSON_Parse("{}"), *nodes = (cJSON *)1;
    assert_int_equal(act_jsonpath_query(query, root, &nodes, NULL, NULL), ACT_ERR_PARSE);
    assert_null(nodes);
    cJSON_Delete(root);
    return off;
}

static void good(const char *query)
{
    struct act_error err;
    act_error_init(&err);
    if (act_jsonpath_check(query, NULL, &err))
        fail_msg("%s: %s", query, err.msg);
}

static const char store[] =
    "{\"store\":{\"book\":["
    "{\"category\":\"reference\",\"author\":\"Nigel Rees\",\"title\":\"Sayings of the Century\","
    "\"price\":8.95},"
    "{\"category\":\"fiction\",\"author\":\"Evelyn Waugh\",\"title\":\"Sword of Honour\","
    "\"price\":12.99},"
    "{\"category\":\"fiction\",\"author\":\"Herman Melville\",\"title\":\"Moby Dick\","
    "\"isbn\":\"0-553-21311-3\",\"price\":8.99},"
    "{\"category\":\"fiction\",\"author\":\"J. R. R. Tolkien\",\"title\":\"The Lord of the "
    "Rings\",\"isbn\":\"0-395-19395-8\",\"price\":22.99}],"
    "\"bicycle\":{\"color\":\"red\",\"price\":399}}}";

#define B0                                                                                         \
    "{\"category\":\"reference\",\"author\":\"Nigel Rees\",\"title\":\"Sayings of the "            \
    "Century\",\"price\":8.95}"
#define B1                                                                                         \
    "{\"category\":\"fiction\",\"author\":\"Evelyn Waugh\",\"title\":\"Sword of "                  \
    "Honour\",\"price\":12.99}"
#define B2                                                                                         \
    "{\"category\":\"fiction\",\"author\":\"Herman Melville\",\"title\":\"Moby "                   \
    "Dick\",\"isbn\":\"0-553-21311-3\",\"price\":8.99}"
#define B3                                                                                         \
    "{\"category\":\"fiction\",\"author\":\"J. R. R. Tolkien\",\"title\":\"The Lord of the "       \
    "Rings\",\"isbn\":\"0-395-19395-8\",\"price\":22.99}"

static void test_section_1_5_bookstore_examples(void **state)
{
    (void)state;
    const char *authors = "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\","
                          "\"J. R. R. Tolkien\"]";
    assert_q(store, "$.store.book[*].author", authors);
    assert_q(store, "$..author", authors);
    assert_q(store, "$.store.*",
             "[[" B0 "," B1 "," B2 "," B3 "],{\"color\":\"red\",\"price\":399}]");
    assert_q(store, "$.store..price", "[8.95,12.99,8.99,22.99,399]");
    assert_q(store, "$..book[2]", "[" B2 "]");
    assert_q(store, "$..book[2].author", "[\"Herman Melville\"]");
    assert_q(store, "$..book[2].publisher", "[]");
    assert_q(store, "$..book[-1]", "[" B3 "]");
    assert_q(store, "$..book[0,1]", "[" B0 "," B1 "]");
    assert_q(store, "$..book[:2]", "[" B0 "," B1 "]");
    assert_q(store, "$..book[?@.isbn]", "[" B2 "," B3 "]");
    assert_q(store, "$..book[?@.price<10]", "[" B0 "," B2 "]");
    char *all = q(store, "$..*");
    cJSON *a = cJSON_Parse(all);
    /* store, book, bicycle, 4 books, 4+4+5+5 book members, 2 bicycle members */
    assert_int_equal(cJSON_GetArraySize(a), 1 + 1 + 1 + 4 + 18 + 2);
    cJSON_Delete(a);
    cJSON_free(all);
}

static void test_section_2_2_root_identifier(void **state)
{
    (void)state;
    assert_q("{\"k\":\"v\"}", "$", "[{\"k\":\"v\"}]");
    assert_q("[1]", "$", "[[1]]");
    assert_q("3", "$", "[3]");
}

static void test_section_2_3_1_name_selector(void **state)
{
    (void)state;
    const char *j = "{\"o\":{\"j j\":{\"k.k\":3}},\"'\":{\"@\":2}}";
    assert_q(j, "$.o['j j']", "[{\"k.k\":3}]");
    assert_q(j, "$.o['j j']['k.k']", "[3]");
    assert_q(j, "$.o[\"j j\"][\"k.k\"]", "[3]");
    assert_q(j, "$[\"'\"][\"@\"]", "[2]");
    assert_q("{\"\xc3\xa9\":1,\"\xf0\x9d\x84\x9e\":2,\"a/b\":3}", "$['\\u00e9']", "[1]");
    assert_q("{\"\xc3\xa9\":1,\"\xf0\x9d\x84\x9e\":2,\"a/b\":3}", "$[\"\\uD834\\uDD1E\"]", "[2]");
    assert_q("{\"\xc3\xa9\":1}", "$.\xc3\xa9", "[1]");
    assert_q("{\"a/b\":3,\"'\":4,\"\\\"\":5}", "$['a\\/b','\\'',\"\\\"\"]", "[3,4,5]");
    assert_q("{\"a\":1}", "$.b", "[]");
    assert_q("[1]", "$.a", "[]");
    assert_q("{\"a\":1}", "$['a\\u0000']", "[]");
}

static void test_section_2_3_2_wildcard_selector(void **state)
{
    (void)state;
    const char *j = "{\"o\":{\"j\":1,\"k\":2},\"a\":[5,3]}";
    assert_q(j, "$[*]", "[{\"j\":1,\"k\":2},[5,3]]");
    assert_q(j, "$.o[*]", "[1,2]");
    assert_q(j, "$.o[*, *]", "[1,2,1,2]");
    assert_q(j, "$.a[*]", "[5,3]");
    assert_q(j, "$.*", "[{\"j\":1,\"k\":2},[5,3]]");
    assert_q("3", "$.*", "[]");
}

static void test_section_2_3_3_index_selector(void **state)
{
    (void)state;
    assert_q("[\"a\",\"b\"]", "$[1]", "[\"b\"]");
    assert_q("[\"a\",\"b\"]", "$[-2]", "[\"a\"]");
    assert_q("[\"a\",\"b\"]", "$[2]", "[]");
    assert_q("[\"a\",\"b\"]", "$[-3]", "[]");
    assert_q("{\"0\":1}", "$[0]", "[]");
}

static void test_section_2_3_4_slice_selector(void **state)
{
    (void)state;
    const char *j = "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]";
    assert_q(j, "$[1:3]", "[\"b\",\"c\"]");
    assert_q(j, "$[5:]", "[\"f\",\"g\"]");
    assert_q(j, "$[1:5:2]", "[\"b\",\"d\"]");
    assert_q(j, "$[5:1:-2]", "[\"f\",\"d\"]");
    assert_q(j, "$[::-1]", "[\"g\",\"f\",\"e\",\"d\",\"c\",\"b\",\"a\"]");
    assert_q(j, "$[:]", "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]");
    assert_q(j, "$[::0]", "[]");
    assert_q(j, "$[-2:]", "[\"f\",\"g\"]");
    assert_q(j, "$[-100:2]", "[\"a\",\"b\"]");
    assert_q(j, "$[2:100]", "[\"c\",\"d\",\"e\",\"f\",\"g\"]");
    assert_q(j, "$[4:1]", "[]");
    assert_q(j, "$[ 1 : 3 : 1 ]", "[\"b\",\"c\"]");
    assert_q(j, "$[-1:-8:-3]", "[\"g\",\"d\",\"a\"]");
    assert_q(j, "$[9007199254740991:]", "[]");
    assert_q(j, "$[:-9007199254740991:-9007199254740991]", "[\"g\"]");
    assert_q("{\"a\":1}", "$[0:1]", "[]");
}

static const char fj[] =
    "{\"a\":[3,5,1,2,4,6,{\"b\":\"j\"},{\"b\":\"k\"},{\"b\":{}},{\"b\":\"kilo\"}],"
    "\"o\":{\"p\":1,\"q\":2,\"r\":3,\"s\":5,\"t\":{\"u\":6}},\"e\":\"f\"}";

static void test_section_2_3_5_filter_selector_examples(void **state)
{
    (void)state;
    assert_q(fj, "$.a[?@.b == 'kilo']", "[{\"b\":\"kilo\"}]");
    assert_q(fj, "$.a[?(@.b == 'kilo')]", "[{\"b\":\"kilo\"}]");
    assert_q(fj, "$.a[?@>3.5]", "[5,4,6]");
    assert_q(fj, "$.a[?@.b]", "[{\"b\":\"j\"},{\"b\":\"k\"},{\"b\":{}},{\"b\":\"kilo\"}]");
    assert_q(fj, "$[?@.*]",
             "[[3,5,1,2,4,6,{\"b\":\"j\"},{\"b\":\"k\"},{\"b\":{}},{\"b\":\"kilo\"}],"
             "{\"p\":1,\"q\":2,\"r\":3,\"s\":5,\"t\":{\"u\":6}}]");
    assert_q(fj, "$[?@[?@.b]]",
             "[[3,5,1,2,4,6,{\"b\":\"j\"},{\"b\":\"k\"},{\"b\":{}},{\"b\":\"kilo\"}]]");
    assert_q(fj, "$.o[?@<3, ?@<3]", "[1,2,1,2]");
    assert_q(fj, "$.a[?@<2 || @.b == \"k\"]", "[1,{\"b\":\"k\"}]");
    assert_q(fj, "$.a[?match(@.b, \"[jk]\")]", "[{\"b\":\"j\"},{\"b\":\"k\"}]");
    assert_q(fj, "$.a[?search(@.b, \"[jk]\")]", "[{\"b\":\"j\"},{\"b\":\"k\"},{\"b\":\"kilo\"}]");
    assert_q(fj, "$.o[?@>1 && @<4]", "[2,3]");
    assert_q(fj, "$.o[?@.u || @.x]", "[{\"u\":6}]");
    assert_q(fj, "$.a[?@.b == $.x]", "[3,5,1,2,4,6]");
    assert_q(fj, "$.a[?@ == @]",
             "[3,5,1,2,4,6,{\"b\":\"j\"},{\"b\":\"k\"},{\"b\":{}},{\"b\":\"kilo\"}]");
    assert_q(fj, "$.a[?!@.b]", "[3,5,1,2,4,6]");
    assert_q(fj, "$.a[?!(@ > 2)]", "[1,2,{\"b\":\"j\"},{\"b\":\"k\"},{\"b\":{}},{\"b\":\"kilo\"}]");
    assert_q(fj, "$.o[?@ >= 3]", "[3,5]");
    assert_q(fj, "$.o[?@ <= 2]", "[1,2]");
    assert_q(fj, "$.o[?@ != 1 && @ != 2 && @ != 3]", "[5,{\"u\":6}]");
    assert_q(fj, "$.a[?@.b > 'j']", "[{\"b\":\"k\"},{\"b\":\"kilo\"}]");
    assert_q(fj, "$.a[?@ == 2.0]", "[2]");
    assert_q(fj, "$.a[?@ == 2e0 || @ == 0.3e1 || @ == 400E-2]", "[3,2,4]");
    assert_q(fj, "$.e[?@]", "[]"); /* a filter on a string selects nothing */
}

static void test_section_2_3_5_2_2_comparison_table(void **state)
{
    (void)state;
    static const struct {
        const char *cmp;
        int want;
    } cases[] = {
        {"$.absent1 == $.absent2", 1},
        {"$.absent1 <= $.absent2", 1},
        {"$.absent == 'g'", 0},
        {"$.absent1 != $.absent2", 0},
        {"$.absent != 'g'", 1},
        {"1 <= 2", 1},
        {"1 > 2", 0},
        {"13 == '13'", 0},
        {"'a' <= 'b'", 1},
        {"'a' > 'b'", 0},
        {"$.obj == $.arr", 0},
        {"$.obj != $.arr", 1},
        {"$.obj == $.obj", 1},
        {"$.obj != $.obj", 0},
        {"$.arr == $.arr", 1},
        {"$.arr != $.arr", 0},
        {"$.obj == 17", 0},
        {"$.obj != 17", 1},
        {"$.obj <= $.arr", 0},
        {"$.obj < $.arr", 0},
        {"$.obj <= $.obj", 1},
        {"$.arr <= $.arr", 1},
        {"1 <= $.arr", 0},
        {"1 >= $.arr", 0},
        {"1 > $.arr", 0},
        {"1 < $.arr", 0},
        {"true <= true", 1},
        {"true > true", 0},
        {"null == null", 1},
        {"false == false", 1},
        {"false != true", 1},
        {"'\xc3\xa9' > 'z'", 1},
        {"'ab' < 'abc'", 1},
        {"1 == 1.0", 1},
        {"-0 == 0", 1},
        {"$.arr[0] == 2", 1},
    };
    const char *j = "{\"obj\":{\"x\":\"y\"},\"arr\":[2,3]}";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char query[128];
        snprintf(query, sizeof query, "$[?%s]", cases[i].cmp);
        assert_q(j, query, cases[i].want ? "[{\"x\":\"y\"},[2,3]]" : "[]");
    }
}

static void test_section_2_4_functions(void **state)
{
    (void)state;
    const char *j = "[\"abc\",\"\xc3\xa9t\xc3\xa9\",[1,2],{\"a\":1,\"b\":2,\"c\":3},7,null,true]";
    assert_q(j, "$[?length(@) == 3]", "[\"abc\",\"\xc3\xa9t\xc3\xa9\",{\"a\":1,\"b\":2,\"c\":3}]");
    assert_q(j, "$[?length(@) == 2]", "[[1,2]]");
    assert_q(j, "$[?length(@) < 3]", "[[1,2]]");
    assert_q(j, "$[?count(@.*) == 3]", "[{\"a\":1,\"b\":2,\"c\":3}]");
    assert_q(j, "$[?count(@[*]) == 2]", "[[1,2]]");
    assert_q(j, "$[?value(@.b) == 2]", "[{\"a\":1,\"b\":2,\"c\":3}]");
    assert_q(j, "$[?value(@..*) == 7]", "[]"); /* more than one node: Nothing */
    assert_q(j, "$[?length('ab') == 2]",
             "[\"abc\",\"\xc3\xa9t\xc3\xa9\",[1,2],"
             "{\"a\":1,\"b\":2,\"c\":3},7,null,true]");
    assert_q(j, "$[?length(length(@)) == 1]", "[]"); /* a number has no length */
    const char *tz = "[{\"timezone\":\"Europe/Paris\"},{\"timezone\":\"America/Lima\"},"
                     "{\"timezone\":\"Europe\"},{\"timezone\":7}]";
    assert_q(tz, "$[?match(@.timezone, 'Europe/.*')]", "[{\"timezone\":\"Europe/Paris\"}]");
    assert_q(tz, "$[?search(@.timezone, 'rope')]",
             "[{\"timezone\":\"Europe/Paris\"},{\"timezone\":\"Europe\"}]");
    assert_q(tz, "$[?!match(@.timezone, 'Europe/.*')]",
             "[{\"timezone\":\"America/Lima\"},{\"timezone\":\"Europe\"},{\"timezone\":7}]");
    assert_q(tz, "$[?match(@.timezone, 'Europe')]", "[{\"timezone\":\"Europe\"}]");
    assert_q(tz, "$[?match(@.timezone, '[')]", "[]"); /* an invalid regex: false */
    assert_q(tz, "$[?match(@.timezone, $[0].timezone)]", "[{\"timezone\":\"Europe/Paris\"}]");
    /* I-Regexp's dot matches U+2028 but not \n or \r. */
    const char *dots = "[\"a\xe2\x80\xa8\",\"a\\n\",\"a\\r\",\"ab\"]";
    assert_q(dots, "$[?match(@, 'a.')]", "[\"a\xe2\x80\xa8\",\"ab\"]");
    assert_q(dots, "$[?match(@, 'a[.]')]", "[]");
    assert_q(dots, "$[?search(@, '\\\\.')]", "[]");
    const char *colors = "[{\"color\":\"red\"},{\"x\":{\"color\":\"red\"}},{\"color\":\"blue\"}]";
    assert_q(colors, "$[?value(@..color) == \"red\"]",
             "[{\"color\":\"red\"},{\"x\":{\"color\":"
             "\"red\"}}]");
}

static void test_section_2_4_9_well_typedness(void **state)
{
    (void)state;
    good("$[?length(@) < 3]");
    bad("$[?length(@.*) < 3]");
    good("$[?count(@.*) == 1]");
    bad("$[?count(1) == 1]");
    bad("$[?count(foo(@.*)) == 1]"); /* no function foo */
    good("$[?match(@.timezone, 'Europe/.*')]");
    bad("$[?match(@.timezone, 'Europe/.*') == true]");
    good("$[?value(@..color) == \"red\"]");
    bad("$[?value(@..color)]");
    bad("$[?bar(@.a)]");
    bad("$[?length(@)]");
    bad("$[?count(@.*)]");
    bad("$[?length()]");
    bad("$[?length(@, @)]");
    bad("$[?match(@.a)]");
    bad("$[?match(@.a, 'x', 'y')]");
    bad("$[?length(@.a == 1)]");
    bad("$[?value(1)]");
    good("$[?length(value(@.a)) == 1]");
    good("$[?count($..*) > 0]");
    bad("$[?@.* == 1]");
    bad("$[?@..a == 1]");
    bad("$[?@['a','b'] == 1]");
    good("$[?@['a'][0] == 1]");
    bad("$[?1]");
    bad("$[?'a']");
    bad("$[?true]");
    bad("$[?(@.a) == 1]");
    bad("$[?!@.a == 1]");
    bad("$[?!!@.a]");
    bad("$[?!1]");
}

static void test_section_2_5_segments(void **state)
{
    (void)state;
    const char *j = "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]";
    assert_q(j, "$[0, 3]", "[\"a\",\"d\"]");
    assert_q(j, "$[0:2, 5]", "[\"a\",\"b\",\"f\"]");
    assert_q(j, "$[0, 0]", "[\"a\",\"a\"]");
    const char *d = "{\"o\":{\"j\":1,\"k\":2},\"a\":[5,3,[{\"j\":4},{\"k\":6}]]}";
    assert_q(d, "$..j", "[1,4]");
    assert_q(d, "$..[0]", "[5,{\"j\":4}]");
    const char *all = "[{\"j\":1,\"k\":2},[5,3,[{\"j\":4},{\"k\":6}]],1,2,5,3,[{\"j\":4},"
                      "{\"k\":6}],{\"j\":4},{\"k\":6},4,6]";
    assert_q(d, "$..[*]", all);
    assert_q(d, "$..*", all);
    assert_q(d, "$..o", "[{\"j\":1,\"k\":2}]");
    assert_q(d, "$.o..[*, *]", "[1,2,1,2]");
    assert_q(d, "$.a..[0, 1]", "[5,3,{\"j\":4},{\"k\":6}]");
    assert_q(d, "$ .o .j", "[1]"); /* blanks between segments */
    assert_q(d, "$[ 'o' ][ \"j\" ]", "[1]");
}

static void test_section_2_6_null_semantics(void **state)
{
    (void)state;
    const char *j = "{\"a\":null,\"b\":[null],\"c\":[{}],\"null\":1}";
    assert_q(j, "$.a", "[null]");
    assert_q(j, "$.a[0]", "[]");
    assert_q(j, "$.a.d", "[]");
    assert_q(j, "$.b[0]", "[null]");
    assert_q(j, "$.b[*]", "[null]");
    assert_q(j, "$.b[?@]", "[null]");
    assert_q(j, "$.b[?@==null]", "[null]");
    assert_q(j, "$.c[?@.d==null]", "[]");
    assert_q(j, "$.null", "[1]");
}

static void test_malformed_queries_report_their_offset(void **state)
{
    (void)state;
    assert_int_equal(bad(""), 0);
    assert_int_equal(bad("@"), 0);
    assert_int_equal(bad(" $"), 0);
    assert_int_equal(bad("$ "), 1);
    assert_int_equal(bad("$."), 2);
    assert_int_equal(bad("$.."), 3);
    assert_int_equal(bad("$.1"), 2);
    assert_int_equal(bad("$. a"), 2);
    assert_int_equal(bad("$[01]"), 2);
    assert_int_equal(bad("$[-0]"), 2);
    assert_int_equal(bad("$[9007199254740992]"), 2);
    assert_int_equal(bad("$[-9007199254740992]"), 2);
    assert_int_equal(bad("$["), 2);
    assert_int_equal(bad("$[1"), 3);
    assert_int_equal(bad("$[1,]"), 4);
    assert_int_equal(bad("$[]"), 2);
    assert_int_equal(bad("$['a'"), 5);
    assert_int_equal(bad("$['a]"), 2);
    assert_int_equal(bad("$['\\x']"), 3);
    assert_int_equal(bad("$['\\\"']"), 3);
    assert_int_equal(bad("$['\\ud800']"), 3);
    assert_int_equal(bad("$['\\udc00']"), 3);
    assert_int_equal(bad("$['\\u12']"), 3);
    assert_int_equal(bad("$['a\tb']"), 4);
    assert_int_equal(bad("$['\xff']"), 3);
    assert_int_equal(bad("$[?@.a==]"), 8);
    assert_int_equal(bad("$[?@.a=1]"), 6);
    assert_int_equal(bad("$[?(@.a]"), 7);
    assert_int_equal(bad("$[?@.a == 1 == 2]"), 12);
    assert_int_equal(bad("$[?@.a == 01]"), 10);
    assert_int_equal(bad("$[?@.a == 1.]"), 12);
    assert_int_equal(bad("$[?@.a == 1e]"), 12);
    assert_int_equal(bad("$[?@.a == nul]"), 10);
    assert_int_equal(bad("$[?@.a == True]"), 10);
    assert_int_equal(bad("$[?length (@) == 1]"), 3);
    assert_int_equal(bad("$[1:2:3:4]"), 7);
    assert_int_equal(bad("$.a b"), 3);
    assert_int_equal(bad("$[?@.a]x"), 7);
    assert_int_equal(bad("$..[?@.a"), 8);
}

static void test_deep_nesting_and_large_results_hit_limits(void **state)
{
    (void)state;
    /* ACT_MAX_EXPR_DEPTH: nested parentheses stop with an error, not a stack overflow. */
    size_t n = 5000;
    char *deep = malloc(n * 2 + 16);
    strcpy(deep, "$[?");
    for (size_t i = 0; i < n; i++)
        strcat(deep, "(");
    strcat(deep, "@");
    for (size_t i = 0; i < n; i++)
        strcat(deep, ")");
    strcat(deep, "]");
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_jsonpath_check(deep, NULL, &err), ACT_ERR_PARSE);
    assert_true(strstr(err.msg, "ACT_MAX_EXPR_DEPTH") != NULL);
    free(deep);
    /* Nested function calls count too. */
    deep = malloc(n * 8 + 32);
    strcpy(deep, "$[?");
    for (size_t i = 0; i < n; i++)
        strcat(deep, "length(");
    strcat(deep, "@");
    for (size_t i = 0; i < n; i++)
        strcat(deep, ")");
    strcat(deep, " == 1]");
    act_error_init(&err);
    assert_int_equal(act_jsonpath_check(deep, NULL, &err), ACT_ERR_PARSE);
    assert_true(strstr(err.msg, "ACT_MAX_EXPR_DEPTH") != NULL);
    free(deep);
    good("$[?length(length(length(@))) == 1]");
    /* ACT_MAX_JSONPATH_NODES: a wide array under $..*..*..* multiplies. */
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < 2000; i++) {
        cJSON *inner = cJSON_CreateArray();
        for (int k = 0; k < 50; k++)
            cJSON_AddItemToArray(inner, cJSON_CreateNumber(k));
        cJSON_AddItemToArray(arr, inner);
    }
    cJSON *nodes = NULL;
    act_error_init(&err);
    enum act_status st =
        act_jsonpath_query("$[*,*,*,*,*,*,*,*,*,*][*,*,*,*,*,*,*,*,*,*]", arr, &nodes, NULL, &err);
    assert_int_equal(st, ACT_ERR_LIMIT);
    assert_null(nodes);
    assert_true(strstr(err.msg, "ACT_MAX_JSONPATH") != NULL);
    int ne = -1;
    assert_int_equal(act_jsonpath_exists("$[5][?@ == 7]", arr, &ne, NULL, NULL), ACT_OK);
    assert_int_equal(ne, 1);
    assert_int_equal(act_jsonpath_exists("$[5][?@ == 70]", arr, &ne, NULL, NULL), ACT_OK);
    assert_int_equal(ne, 0);
    cJSON_Delete(arr);
}

static void test_out_of_memory_is_reported_and_nothing_leaks(void **state)
{
    (void)state;
    act_alloc_init_cjson();
    cJSON *root = cJSON_Parse(fj);
    const char *query = "$..[?match(@.b, 'k.*') || search(@.b, $.e) || @.b == 'kilo'][0:2, 'b']";
    char *want = q(fj, query);
    for (long n = 1;; n++) {
        cJSON *nodes = NULL;
        act_alloc_fail_after(n);
        enum act_status st = act_jsonpath_query(query, root, &nodes, NULL, NULL);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (st == ACT_OK) {
            /* PCRE2's JIT falls back to its interpreter when its memory fails. */
            char *got = cJSON_PrintUnformatted(nodes);
            assert_string_equal(got, want);
            cJSON_free(got);
            cJSON_Delete(nodes);
            if (!failed)
                break;
            continue;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_null(nodes);
        assert_true(n < 10000);
    }
    cJSON_free(want);
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section_1_5_bookstore_examples),
        cmocka_unit_test(test_section_2_2_root_identifier),
        cmocka_unit_test(test_section_2_3_1_name_selector),
        cmocka_unit_test(test_section_2_3_2_wildcard_selector),
        cmocka_unit_test(test_section_2_3_3_index_selector),
        cmocka_unit_test(test_section_2_3_4_slice_selector),
        cmocka_unit_test(test_section_2_3_5_filter_selector_examples),
        cmocka_unit_test(test_section_2_3_5_2_2_comparison_table),
        cmocka_unit_test(test_section_2_4_functions),
        cmocka_unit_test(test_section_2_4_9_well_typedness),
        cmocka_unit_test(test_section_2_5_segments),
        cmocka_unit_test(test_section_2_6_null_semantics),
        cmocka_unit_test(test_malformed_queries_report_their_offset),
        cmocka_unit_test(test_deep_nesting_and_large_results_hit_limits),
        cmocka_unit_test(test_out_of_memory_is_reported_and_nothing_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
