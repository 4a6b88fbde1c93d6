/*
 * test_doc_sparse.c - act_doc_load_part (parser/doc_sparse.c) and act_docset_load_node:
 * a large JSON file parsed only as far as one node needs, or whole when the partial
 * parse does not take it.
 */
#include "unit.h"

#include "parser/doc_json.h"
#include "parser/doc_sparse.h"
#include "parser/pointer.h"
#include "parser/ref.h"
#include "parser/text.h"

static char dir[] = "/tmp/act-sparse-XXXXXX";

/* A spec of more than ACT_JSON_PART_MIN_BYTES when filler is (filler bytes of 'x'
 * in /info/description), with schemas A -> B (a local $ref), C unrelated, and extra
 * (raw JSON) as the last member of /components/schemas. Written to dir/name. */
static const char *write_spec(const char *name, size_t filler, const char *extra)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"description\": \"", f);
    for (size_t i = 0; i < filler; i++)
        fputc('x', f);
    fputs("\"},\n  \"components\": {\n    \"schemas\": {\n"
          "      \"A\": {\"type\": \"object\", \"properties\": {\"b\": "
          "{\"$ref\": \"#/components/schemas/B\"}}},\n"
          "      \"C\": {\"type\": \"integer\"},\n"
          "      \"B\": {\"type\": \"string\", \"maxLength\": 3}",
          f);
    if (extra)
        fprintf(f, ",\n      %s", extra);
    fputs("\n    }\n  }\n}\n", f);
    fclose(f);
    return path;
}

static struct act_doc *must_load_part(const char *path, const char *pointer)
{
    struct act_doc *doc = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_doc_load_part(path, pointer, &doc, &err)) {
        char buf[4096];
        act_error_format(&err, buf, sizeof(buf));
        fail_msg("load failed: %s", buf);
    }
    return doc;
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_part_has_the_node_its_refs_and_openapi_only(void **state)
{
    (void)state;
    const char *path = write_spec("big.json", ACT_JSON_PART_MIN_BYTES, NULL);
    struct act_doc *doc = must_load_part(path, "/components/schemas/A");
    assert_non_null(act_pointer_get(doc->root, "/components/schemas/A/properties/b"));
    const cJSON *b = act_pointer_get(doc->root, "/components/schemas/B/maxLength");
    assert_non_null(b);
    assert_int_equal(b->valueint, 3);
    assert_string_equal(act_pointer_get(doc->root, "/openapi")->valuestring, "3.0.3");
    assert_null(act_pointer_get(doc->root, "/info"));
    assert_null(act_pointer_get(doc->root, "/components/schemas/C"));
    /* The text is whole: positions are those of the file. */
    assert_true(doc->len > ACT_JSON_PART_MIN_BYTES);
    int line = 0, col = 0;
    assert_true(act_doc_locate(doc, "/components/schemas/B", &line, &col));
    assert_int_equal(line, 8);
    assert_int_equal(col, 12);
    assert_non_null(doc->canon);
    assert_int_equal(doc->canon[0], '/');
    act_doc_free(doc);
}

static void test_part_falls_back_to_the_whole_parse(void **state)
{
    (void)state;
    /* Small files, a ref to another file, and YAML are parsed whole. */
    const char *path = write_spec("small.json", 10, NULL);
    struct act_doc *doc = must_load_part(path, "/components/schemas/A");
    assert_non_null(act_pointer_get(doc->root, "/components/schemas/C"));
    act_doc_free(doc);
    path = write_spec("other.json", ACT_JSON_PART_MIN_BYTES,
                      "\"D\": {\"$ref\": \"small.json#/components/schemas/C\"}");
    doc = must_load_part(path, "/components/schemas/D");
    assert_non_null(act_pointer_get(doc->root, "/info/description"));
    act_doc_free(doc);
    char yaml[256];
    snprintf(yaml, sizeof(yaml), "%s/s.yaml", dir);
    write_file(yaml, "openapi: 3.0.3\ncomponents:\n  schemas:\n    A: {type: string}\n");
    doc = must_load_part(yaml, "/components/schemas/A");
    assert_int_equal(doc->format, ACT_DOC_YAML);
    assert_non_null(act_pointer_get(doc->root, "/components/schemas/A/type"));
    act_doc_free(doc);
}

static void test_part_reports_a_broken_needed_slice_as_the_whole_parse_does(void **state)
{
    (void)state;
    const char *path = write_spec("bad.json", ACT_JSON_PART_MIN_BYTES, "\"E\": {\"x\": \"\xFF\"}");
    struct act_doc *doc = NULL;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_doc_load_part(path, "/components/schemas/E", &doc, &err), ACT_ERR_PARSE);
    assert_null(doc);
    assert_string_equal(err.msg, "invalid UTF-8");
    assert_int_equal(err.line, 9);
    assert_int_equal(err.col, 19);
    act_error_init(&err);
    assert_int_equal(act_doc_load_part(dir, "", &doc, &err), ACT_ERR_IO);
    assert_string_equal(err.msg, "is a directory, not a file");
}

static void test_docset_load_node_gives_the_node_or_says_there_is_none(void **state)
{
    (void)state;
    const char *path = write_spec("node.json", ACT_JSON_PART_MIN_BYTES, NULL);
    struct act_docset *ds = NULL;
    struct act_node node;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_docset_load_node(path, "/components/schemas/B", &ds, &node, &err), ACT_OK);
    assert_string_equal(cJSON_GetObjectItem(node.node, "type")->valuestring, "string");
    assert_ptr_equal(node.doc, act_docset_get(ds, 0));
    act_docset_free(ds);
    assert_int_equal(act_docset_load_node(path, "/components/schemas/Nope", &ds, &node, &err),
                     ACT_ERR_NOTFOUND);
    assert_null(ds);
    assert_string_equal(err.msg, "no node at #/components/schemas/Nope");
}

static void test_part_out_of_memory_at_every_allocation_is_reported(void **state)
{
    (void)state;
    const char *path = write_spec("oom.json", ACT_JSON_PART_MIN_BYTES, NULL);
    for (long n = 1;; n++) {
        struct act_doc *doc = NULL;
        struct act_error err;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_doc_load_part(path, "/components/schemas/A", &doc, &err);
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            assert_null(act_pointer_get(doc->root, "/info"));
            act_doc_free(doc);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_null(doc);
        assert_true(n < 10000);
    }
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_part_has_the_node_its_refs_and_openapi_only),
        cmocka_unit_test(test_part_falls_back_to_the_whole_parse),
        cmocka_unit_test(test_part_reports_a_broken_needed_slice_as_the_whole_parse_does),
        cmocka_unit_test(test_docset_load_node_gives_the_node_or_says_there_is_none),
        cmocka_unit_test(test_part_out_of_memory_at_every_allocation_is_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
