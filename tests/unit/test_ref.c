/*
 * test_ref.c - $ref resolution: escapes, percent-encoding, other files (each
 * loaded once), chains, cycles, and errors that name the ref and its place.
 */
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "parser/pointer.h"
#include "parser/ref.h"

#define ROOT "tests/data/ref/root.json"

struct fixture {
    struct act_docset *ds;
    const struct act_doc *root;
};

static int setup(void **state)
{
    static struct fixture f;
    struct act_error err;
    act_error_init(&err);
    if (act_docset_new(&f.ds) || act_docset_load(f.ds, ROOT, &f.root, &err))
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    act_docset_free(f->ds);
    return 0;
}

static const cJSON *schema(struct fixture *f, const char *name)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(
        act_pointer_get(f->root->root, "/components/schemas"), name);
    assert_non_null(s);
    return s;
}

static struct act_node deref_ok(struct fixture *f, const char *name)
{
    struct act_node out;
    struct act_error err;
    act_error_init(&err);
    enum act_status st =
        act_ref_deref(f->ds, (struct act_node){f->root, schema(f, name)}, &out, &err);
    if (st)
        fail_msg("%s: %s", name, err.msg);
    return out;
}

static const char *type_of(struct act_node n)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(n.node, "type");
    return cJSON_IsString(t) ? t->valuestring : "?";
}

static void test_ref_resolves_escaped_slash_and_tilde(void **state)
{
    struct fixture *f = *state;
    struct act_node n;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_ref_resolve(f->ds, f->root, "#/components/schemas/a~1b", &n, &err),
                     ACT_OK);
    assert_string_equal(type_of(n), "string");
    assert_int_equal(act_ref_resolve(f->ds, f->root, "#/components/schemas/t~0n", &n, &err),
                     ACT_OK);
    assert_string_equal(type_of(n), "integer");
}

static void test_ref_percent_decodes_the_fragment(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(type_of(deref_ok(f, "Percent")), "boolean");
}

static void test_ref_follows_a_chain_of_refs_to_the_value(void **state)
{
    struct fixture *f = *state;
    struct act_node n = deref_ok(f, "Chain1");
    assert_string_equal(type_of(n), "string");
    assert_ptr_equal(n.doc, f->root);
}

static void test_ref_into_another_file_is_relative_to_the_referring_file(void **state)
{
    struct fixture *f = *state;
    struct act_node n = deref_ok(f, "Ext");
    assert_string_equal(type_of(n), "object");
    assert_non_null(strstr(n.doc->path, "sub/other.yaml"));
    /* A ref inside other.yaml is resolved against other.yaml's directory. */
    const cJSON *back = act_pointer_get(n.node, "/properties/back");
    struct act_node b;
    assert_int_equal(act_ref_deref(f->ds, (struct act_node){n.doc, back}, &b, NULL), ACT_OK);
    assert_ptr_equal(b.doc, f->root);
    assert_string_equal(type_of(b), "string");
}

static void test_ref_to_a_whole_file_gives_its_root(void **state)
{
    struct fixture *f = *state;
    struct act_node n = deref_ok(f, "WholeFile");
    assert_string_equal(type_of(n), "number");
}

static void test_ref_loads_each_file_once(void **state)
{
    struct fixture *f = *state;
    (void)deref_ok(f, "WholeFile");
    struct act_node ext = deref_ok(f, "Ext");
    const cJSON *whole = act_pointer_get(ext.node, "/properties/whole");
    struct act_node w;
    assert_int_equal(act_ref_deref(f->ds, (struct act_node){ext.doc, whole}, &w, NULL), ACT_OK);
    assert_ptr_equal(w.doc, deref_ok(f, "WholeFile").doc);
    assert_int_equal(act_docset_count(f->ds), 3);
}

static void test_ref_recursive_schema_resolves_without_expanding(void **state)
{
    struct fixture *f = *state;
    const cJSON *items = act_pointer_get(schema(f, "Tree"), "/properties/kids/items");
    struct act_node n;
    assert_int_equal(act_ref_deref(f->ds, (struct act_node){f->root, items}, &n, NULL), ACT_OK);
    assert_ptr_equal(n.node, schema(f, "Tree"));
    /* And again through the other file's self-reference. */
    struct act_node ext = deref_ok(f, "Ext");
    const cJSON *next = act_pointer_get(ext.node, "/properties/next");
    assert_int_equal(act_ref_deref(f->ds, (struct act_node){ext.doc, next}, &n, NULL), ACT_OK);
    assert_ptr_equal(n.node, ext.node);
}

static void expect_ref_error(struct fixture *f, const char *name, enum act_status st,
                             const char *msg_part, int line)
{
    struct act_node out;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_ref_deref(f->ds, (struct act_node){f->root, schema(f, name)}, &out, &err),
                     st);
    if (!strstr(err.msg, msg_part))
        fail_msg("%s: message \"%s\" lacks \"%s\"", name, err.msg, msg_part);
    assert_string_equal(err.file, ROOT);
    assert_int_equal(err.line, line);
    assert_true(err.col > 0);
    assert_true(strncmp(err.pointer, "/components/schemas/", 20) == 0);
}

static void test_ref_cycle_of_bare_refs_is_an_error_naming_the_loop(void **state)
{
    struct fixture *f = *state;
    expect_ref_error(f, "Loop1", ACT_ERR_REF,
                     "$ref cycle that never reaches a value: \"#/components/schemas/Loop2\" -> "
                     "\"#/components/schemas/Loop1\" -> \"#/components/schemas/Loop2\"",
                     15);
    expect_ref_error(f, "Self", ACT_ERR_REF, "$ref cycle", 17);
}

static void test_ref_unresolvable_names_the_ref_and_where_it_stands(void **state)
{
    struct fixture *f = *state;
    expect_ref_error(f, "Missing", ACT_ERR_REF,
                     "unresolvable $ref \"#/components/schemas/Nope\": no such node", 19);
    expect_ref_error(f, "MissingFile", ACT_ERR_REF,
                     "unresolvable $ref \"sub/nope.yaml#/x\": tests/data/ref/sub/nope.yaml: "
                     "cannot open",
                     20);
    expect_ref_error(f, "BadFragment", ACT_ERR_REF, "the fragment is not a JSON Pointer", 22);
}

static void test_ref_to_a_url_is_not_followed(void **state)
{
    struct fixture *f = *state;
    expect_ref_error(f, "Remote", ACT_ERR_UNSUPPORTED, "only references to local files", 21);
}

static void test_ref_of_recognizes_only_string_refs(void **state)
{
    (void)state;
    struct act_doc *d =
        must_parse("r.json", "[{\"$ref\": 1}, {\"x\": 1, \"$ref\": \"#/a\"}, []]", ACT_DOC_JSON);
    assert_null(act_ref_of(d->root->child));
    assert_string_equal(act_ref_of(d->root->child->next), "#/a");
    assert_null(act_ref_of(d->root->child->next->next));
    act_doc_free(d);
}

static void test_ref_oom_while_loading_other_files_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        struct act_docset *ds = NULL;
        const struct act_doc *root;
        struct act_node out;
        struct act_error err;
        act_error_init(&err);
        act_alloc_fail_after(n);
        enum act_status st = act_docset_new(&ds);
        if (!st)
            st = act_docset_load(ds, ROOT, &root, &err);
        if (!st) {
            const cJSON *ext = act_pointer_get(root->root, "/components/schemas/Ext");
            st = act_ref_deref(ds, (struct act_node){root, ext}, &out, &err);
        }
        long failed = act_alloc_failed();
        act_alloc_fail_after(0);
        act_docset_free(ds);
        if (!failed) {
            assert_int_equal(st, ACT_OK);
            break;
        }
        assert_int_equal(st, ACT_ERR_NOMEM);
        assert_true(n < 100000);
    }
}

/* A $ref to an absolute path works on one machine only: refused unless allowed. */
static void test_ref_to_an_absolute_path_is_refused_unless_allowed(void **state)
{
    (void)state;
    char dir[] = "/tmp/act-ref-XXXXXX", path[128], text[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/s.json", dir);
    write_file(path, "{\"A\": {\"type\": \"string\"}}");
    snprintf(text, sizeof(text), "{\"x\": {\"$ref\": \"%s#/A\"}}", path);
    snprintf(path, sizeof(path), "%s/root.json", dir);
    write_file(path, text);
    struct act_docset *ds;
    const struct act_doc *root;
    struct act_node out;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    assert_int_equal(act_docset_load(ds, path, &root, &err), ACT_OK);
    const cJSON *x = cJSON_GetObjectItem(root->root, "x");
    assert_int_equal(act_ref_deref(ds, (struct act_node){root, x}, &out, &err), ACT_ERR_REF);
    assert_non_null(strstr(err.msg, "absolute $ref paths are not portable; "
                                    "--allow-absolute-refs permits them"));
    assert_int_equal(act_docset_count(ds), 1); /* nothing was opened */
    act_error_init(&err);
    act_docset_allow_absolute_refs(ds, 1);
    assert_int_equal(act_ref_deref(ds, (struct act_node){root, x}, &out, &err), ACT_OK);
    assert_string_equal(cJSON_GetObjectItem(out.node, "type")->valuestring, "string");
    act_docset_free(ds);
    remove(path);
    snprintf(path, sizeof(path), "%s/s.json", dir);
    remove(path);
    rmdir(dir);
}

/* A $ref to a FIFO is refused at once, never waited on (it would block forever). */
static void test_ref_to_a_fifo_is_refused_without_blocking(void **state)
{
    (void)state;
    char dir[] = "/tmp/act-ref-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/fifo.json", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    struct act_docset *ds;
    const struct act_doc *root;
    struct act_error err;
    act_error_init(&err);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    char rel[160];
    snprintf(rel, sizeof(rel), "%s/r.json", dir);
    write_file(rel, "{\"x\": {\"$ref\": \"fifo.json\"}}");
    assert_int_equal(act_docset_load(ds, rel, &root, &err), ACT_OK);
    struct act_node out;
    const cJSON *x = cJSON_GetObjectItem(root->root, "x");
    assert_int_equal(act_ref_deref(ds, (struct act_node){root, x}, &out, &err), ACT_ERR_REF);
    assert_non_null(strstr(err.msg, "fifo.json: is not a regular file (a FIFO)"));
    act_docset_free(ds);
    remove(path);
    remove(rel);
    rmdir(dir);
}

int main(void)
{
    act_alloc_init_cjson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ref_resolves_escaped_slash_and_tilde, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_percent_decodes_the_fragment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_follows_a_chain_of_refs_to_the_value, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_ref_into_another_file_is_relative_to_the_referring_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_to_a_whole_file_gives_its_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_loads_each_file_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_recursive_schema_resolves_without_expanding, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ref_cycle_of_bare_refs_is_an_error_naming_the_loop,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_unresolvable_names_the_ref_and_where_it_stands,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_to_a_url_is_not_followed, setup, teardown),
        cmocka_unit_test(test_ref_of_recognizes_only_string_refs),
        cmocka_unit_test(test_ref_to_an_absolute_path_is_refused_unless_allowed),
        cmocka_unit_test(test_ref_to_a_fifo_is_refused_without_blocking),
        cmocka_unit_test(test_ref_oom_while_loading_other_files_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
