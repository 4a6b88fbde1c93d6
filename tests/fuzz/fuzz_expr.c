/*
 * fuzz_expr.c - Arazzo runtime expressions, criteria and RFC 9535 JSONPath from
 * arbitrary bytes.
 *
 * The first byte picks what the rest is (its value modulo 4):
 *   0  a document string: act_rtexpr_value, act_rtexpr_check and act_rtexpr_each
 *      against a fixed scope, and act_rtexpr_resolve of it inside a payload;
 *   1  a simple condition: act_criterion_check and act_criterion_lint;
 *   2  a JSONPath query, a newline, then a JSON document: act_jsonpath_query (and the
 *      jsonpath and regex criteria on the fixed scope with the query as condition);
 *   3  a Criterion Object as JSON: act_criterion_check and act_criterion_lint.
 * Errors are fine; crashes, hangs, leaks and sanitizer reports are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "process/criteria.h"
#include "process/expr.h"
#include "process/jsonpath.h"

static const char scope_json[] =
    "{\"url\":\"http://127.0.0.1/x\",\"method\":\"GET\",\"statusCode\":200,"
    "\"request\":{\"header\":{\"Accept\":\"*/*\"},\"query\":{\"q\":\"1\"},\"path\":{\"id\":\"7\"},"
    "\"body\":{\"a\":[1,2,{\"b\":\"c\"}]}},"
    "\"response\":{\"header\":{\"Content-Type\":\"application/json\"},"
    "\"body\":{\"pets\":[{\"name\":\"Rex\",\"age\":3},{\"name\":\"Tom\",\"tags\":[\"x\"]}],"
    "\"ok\":true,\"n\":null,\"s\":\"text\"}},"
    "\"inputs\":{\"id\":7,\"a.b\":{\"c\":[true]}},\"outputs\":{\"o\":\"v\"},"
    "\"steps\":{\"get.hello\":{\"outputs\":{\"message\":\"hi\"}}},"
    "\"workflows\":{\"w\":{\"inputs\":{},\"outputs\":{\"t\":1}}},"
    "\"sourceDescriptions\":{\"api\":{\"name\":\"api\",\"url\":\"./a.yaml\","
    "\"type\":\"openapi\"}},"
    "\"components\":{\"parameters\":{\"p\":{\"name\":\"p\",\"in\":\"query\",\"value\":1}}}}";

static int each(const struct act_rtexpr *e, size_t off, void *arg)
{
    (void)off;
    size_t len;
    *(size_t *)arg += act_rtexpr_name(e, &len) ? len : 0;
    return 0;
}

static int each_crit(const struct act_rtexpr *e, enum act_criterion_field f, size_t off, void *arg)
{
    (void)f;
    return each(e, off, arg);
}

static void criterion(const cJSON *c, const cJSON *scope)
{
    struct act_buf why;
    act_buf_init(&why);
    int passed;
    size_t off, sum = 0;
    enum act_criterion_field f;
    if (act_criterion_check(c, scope, &passed, &why, NULL) == ACT_OK && passed != 0 && passed != 1)
        abort();
    if (act_criterion_lint(c, &f, &off, NULL))
        off = 0;
    act_criterion_each_expr(c, each_crit, &sum);
    act_buf_release(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        act_alloc_init_cjson();
        init = 1;
    }
    if (size < 1 || size > 65536)
        return 0;
    int mode = data[0] % 4;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    cJSON *scope = cJSON_Parse(scope_json);
    size_t off = 0, sum = 0;
    cJSON *v = NULL, *c = NULL;
    switch (mode) {
    case 0: {
        int form;
        struct act_rtexpr *e = NULL;
        if (act_rtexpr_value(text, scope, &v, &off, NULL) == ACT_OK)
            cJSON_Delete(v);
        v = NULL;
        if (act_rtexpr_check(text, &form, &e, &off, NULL) == ACT_OK && e) {
            (void)act_rtexpr_kind(e);
            (void)act_rtexpr_pointer(e);
            if (act_rtexpr_eval(e, scope, &v, NULL) == ACT_OK)
                cJSON_Delete(v);
            v = NULL;
        }
        act_rtexpr_free(e);
        if (act_rtexpr_each(text, each, &sum, &off, NULL))
            sum = 0;
        if (act_rtexpr_parse(text, strlen(text), &e, &off, NULL) == ACT_OK)
            act_rtexpr_free(e);
        cJSON *p = cJSON_CreateObject();
        cJSON *arr = cJSON_AddArrayToObject(p, "list");
        cJSON_AddItemToArray(arr, cJSON_CreateString(text));
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(1));
        if (act_rtexpr_resolve(p, scope, &v, NULL) == ACT_OK)
            cJSON_Delete(v);
        cJSON_Delete(p);
        break;
    }
    case 1:
        c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "condition", text);
        criterion(c, scope);
        break;
    case 2: {
        char *nl = strchr(text, '\n');
        if (nl)
            *nl = '\0';
        cJSON *doc = nl ? cJSON_Parse(nl + 1) : NULL;
        if (act_jsonpath_query(text, doc ? doc : scope, &v, &off, NULL) == ACT_OK)
            cJSON_Delete(v);
        if (act_jsonpath_check(text, &off, NULL))
            off = 0;
        cJSON_Delete(doc);
        c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "context", "$response.body");
        cJSON_AddStringToObject(c, "condition", text);
        cJSON_AddStringToObject(c, "type", "jsonpath");
        criterion(c, scope);
        cJSON_ReplaceItemInObject(c, "type", cJSON_CreateString("regex"));
        criterion(c, scope);
        break;
    }
    default:
        c = cJSON_Parse(text);
        if (c)
            criterion(c, scope);
        break;
    }
    cJSON_Delete(c);
    cJSON_Delete(scope);
    free(text);
    return 0;
}
