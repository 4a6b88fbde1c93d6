/*
 * test_schema_suite.c - the official JSON-Schema-Test-Suite (draft4 for the OpenAPI 3.0
 * mode, draft2020-12 for the JSON Schema 2020-12 mode), read where it lies.
 *
 * $JSON_SCHEMA_TEST_SUITE (tests/run.sh sets it; default: a checkout beside the clone)
 * holds tests/draft4, tests/draft2020-12 (each with optional/) and remotes/, which the
 * 2020-12 cases reach through the ref map http://localhost:1234/ -> remotes/ (as
 * --ref-map does). Cases of 2020-12 are named "draft2020-12/FILE". Every case becomes one cmocka
 * test, except those listed in tests/schema-suite-exclusions.md, which this runner reads:
 * the list and the behaviour cannot drift apart, and an exclusion that matches no case
 * fails the run. The schema and the data of each case are cut out of the file's text and
 * parsed on their own, so "$ref": "#/definitions/x" resolves against the schema and big
 * numbers keep their exact text.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "unit.h"

#include "parser/ref.h"
#include "validator/validate.h"

#define EXCLUSIONS "tests/schema-suite-exclusions.md"

struct excl {
    char *file, *group, *test; /* "*" matches anything */
    int used;
};

struct scase {
    char *name;
    char *schema_text; /* the schema's JSON text */
    char *data_text;   /* the instance's JSON text */
    int valid;         /* expected outcome */
    int draft2020;     /* a draft2020-12 case: the 2020-12 mode, remotes mapped */
};

static const char *suite_root; /* the checkout */
static int adding2020;         /* add_dir is adding draft2020-12 cases */

static struct excl *excls;
static size_t n_excls;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '`')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '`'))
        n--;
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Table rows "| `file` | `group` | `test` | reason |" of the exclusions file. */
static int load_exclusions(void)
{
    size_t len;
    char *text = slurp(EXCLUSIONS, &len);
    if (!text)
        return 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "| `", 3) != 0)
            continue;
        char *cols[4];
        size_t nc = 0;
        char *p = line + 1;
        while (nc < 4) {
            char *bar = strstr(p, " | ");
            if (!bar)
                break;
            cols[nc++] = p;
            *bar = '\0';
            p = bar + 3;
        }
        if (nc < 3)
            continue;
        excls = realloc(excls, (n_excls + 1) * sizeof(*excls));
        excls[n_excls].file = trim_dup(cols[0], strlen(cols[0]));
        excls[n_excls].group = trim_dup(cols[1], strlen(cols[1]));
        excls[n_excls].test = trim_dup(cols[2], strlen(cols[2]));
        excls[n_excls].used = 0;
        n_excls++;
    }
    free(text);
    return 1;
}

static int excluded(const char *file, const char *group, const char *test)
{
    int hit = 0;
    for (size_t i = 0; i < n_excls; i++) {
        struct excl *e = &excls[i];
        if (strcmp(e->file, file) == 0 &&
            (strcmp(e->group, "*") == 0 || strcmp(e->group, group) == 0) &&
            (strcmp(e->test, "*") == 0 || strcmp(e->test, test) == 0)) {
            e->used = 1;
            hit = 1;
        }
    }
    return hit;
}

/* Byte offset of 1-based line/col (columns in code points). */
static size_t offset_of(const char *text, size_t len, int line, int col)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    for (int c = 1; c < col && i < len; c++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* End of the JSON value starting at text[i]. */
static size_t value_end(const char *t, size_t len, size_t i)
{
    int depth = 0;
    for (; i < len; i++) {
        char c = t[i];
        if (c == '"') {
            for (i++; i < len && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
            if (depth == 0)
                return i + 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
            if (depth < 0)
                return i;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            return i;
        }
    }
    return i;
}

static char *cut(const struct act_doc *d, const char *pointer)
{
    int line, col;
    if (!act_doc_locate(d, pointer, &line, &col))
        return NULL;
    size_t a = offset_of(d->text, d->len, line, col);
    size_t b = value_end(d->text, d->len, a);
    char *s = malloc(b - a + 1);
    memcpy(s, d->text + a, b - a);
    s[b - a] = '\0';
    return s;
}

static struct scase *cases;
static size_t n_cases;

static void add_file(const char *root, const char *rel)
{
    char path[8200];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    struct act_doc *d = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_doc_load(path, ACT_DOC_JSON, &d, &err)) {
        /* The loader refuses "\u0000" (cJSON would cut the string there). Only
         * excluded cases carry one: neutralize the escape so the file's other
         * cases still run. Any other failure is a failing test, never a skip. */
        size_t len;
        char *text = slurp(path, &len);
        for (char *p = text; p && (p = strstr(p, "\\u0000")); p += 6)
            p[5] = '1';
        act_error_init(&err);
        if (!text || act_doc_parse(path, text, len, ACT_DOC_JSON, &d, &err)) {
            free(text);
            cases = realloc(cases, (n_cases + 1) * sizeof(*cases));
            struct scase *c = &cases[n_cases++];
            memset(c, 0, sizeof(*c));
            size_t nl = strlen(rel) + strlen(err.msg) + 32;
            c->name = malloc(nl);
            snprintf(c->name, nl, "%s: cannot load: %s", rel, err.msg);
            return;
        }
        free(text);
    }
    char label[4200];
    snprintf(label, sizeof(label), "%s%s", adding2020 ? "draft2020-12/" : "", rel);
    rel = label;
    int gi = 0;
    for (const cJSON *g = d->root->child; g; g = g->next, gi++) {
        const cJSON *gdesc = cJSON_GetObjectItem(g, "description");
        int ti = 0;
        for (const cJSON *t = cJSON_GetObjectItem(g, "tests")->child; t; t = t->next, ti++) {
            const cJSON *tdesc = cJSON_GetObjectItem(t, "description");
            if (excluded(rel, gdesc->valuestring, tdesc->valuestring))
                continue;
            char ptr[128];
            cases = realloc(cases, (n_cases + 1) * sizeof(*cases));
            struct scase *c = &cases[n_cases++];
            size_t nl = strlen(rel) + strlen(gdesc->valuestring) + strlen(tdesc->valuestring) + 8;
            c->name = malloc(nl);
            snprintf(c->name, nl, "%s: %s: %s", rel, gdesc->valuestring, tdesc->valuestring);
            snprintf(ptr, sizeof(ptr), "/%d/schema", gi);
            c->schema_text = cut(d, ptr);
            snprintf(ptr, sizeof(ptr), "/%d/tests/%d/data", gi, ti);
            c->data_text = cut(d, ptr);
            c->valid = cJSON_IsTrue(cJSON_GetObjectItem(t, "valid"));
            c->draft2020 = adding2020;
        }
    }
    act_doc_free(d);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json under root/dir (recursively), relative names, in sorted order. */
static void add_dir(const char *root, const char *dir)
{
    char path[8200];
    snprintf(path, sizeof(path), "%s/%s", root, dir);
    DIR *dh = opendir(path);
    if (!dh)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n++] = strdup(e->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof(*names), name_cmp);
    for (size_t i = 0; i < n; i++) {
        char rel[4096];
        struct stat sb;
        if (snprintf(rel, sizeof(rel), "%s%s%s", dir, dir[0] ? "/" : "", names[i]) >=
                (int)sizeof(rel) ||
            snprintf(path, sizeof(path), "%s/%s", root, rel) >= (int)sizeof(path))
            continue;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            add_dir(root, rel);
        else if (strlen(names[i]) > 5 && strcmp(names[i] + strlen(names[i]) - 5, ".json") == 0)
            add_file(root, rel);
        free(names[i]);
    }
    free(names);
}

static void run_case(void **state)
{
    const struct scase *c = *state;
    struct act_doc *sd = NULL, *id = NULL;
    struct act_docset *ds = NULL;
    struct act_validator *v = NULL;
    struct act_error err;
    struct act_errlist errs;
    act_error_init(&err);
    act_errlist_init(&errs, 0);
    assert_non_null(c->schema_text);
    assert_non_null(c->data_text);
    assert_int_equal(act_doc_parse("schema.json", c->schema_text, strlen(c->schema_text),
                                   ACT_DOC_JSON, &sd, NULL),
                     ACT_OK);
    assert_int_equal(
        act_doc_parse("data.json", c->data_text, strlen(c->data_text), ACT_DOC_JSON, &id, NULL),
        ACT_OK);
    assert_int_equal(act_docset_new(&ds), ACT_OK);
    const cJSON *root = sd->root;
    assert_int_equal(act_docset_add_take(ds, sd), ACT_OK);
    assert_int_equal(act_validator_new(ds, &v), ACT_OK);
    if (c->draft2020) {
        char remotes[4200];
        snprintf(remotes, sizeof(remotes), "%s/remotes", suite_root);
        act_validator_set_dialect(v, ACT_DIALECT_2020_12);
        assert_int_equal(act_docset_add_ref_map(ds, "http://localhost:1234/", remotes), ACT_OK);
    }
    enum act_status st = act_validate_doc(v, (struct act_node){sd, root}, id, id->root,
                                          ACT_DIR_RESPONSE, &errs, &err);
    if (st) {
        char buf[2048];
        act_error_format(&err, buf, sizeof(buf));
        fail_msg("schema error: %s\n  schema: %s", buf, c->schema_text);
    }
    int got_valid = errs.n + errs.dropped == 0;
    if (got_valid != c->valid) {
        struct act_buf b;
        act_buf_init(&b);
        for (size_t i = 0; i < errs.n; i++) {
            act_verr_format(&errs.v[i], &b);
            (void)!act_buf_addc(&b, '\n');
        }
        print_error("schema: %s\ndata: %s\nerrors:\n%s", c->schema_text, c->data_text, b.data);
        act_buf_release(&b);
    }
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
    act_doc_free(id);
    assert_int_equal(got_valid, c->valid);
}

static void test_suite_is_absent(void **state)
{
    (void)state;
    const char *root = getenv("JSON_SCHEMA_TEST_SUITE");
    /* tests/run.sh lists this line with the skip: what is missing and how to enable it. */
    print_message("skip: JSON-Schema-Test-Suite (draft4 and draft2020-12) not found at %s; set "
                  "JSON_SCHEMA_TEST_SUITE=DIR to a checkout of "
                  "github.com/json-schema-org/JSON-Schema-Test-Suite to run its cases\n",
                  root && *root ? root : "../shared/json-schema-test-suite");
    skip();
}

static void test_every_exclusion_matches_a_case(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < n_excls; i++) {
        if (!excls[i].used) {
            print_error("exclusion matches no case: %s | %s | %s\n", excls[i].file, excls[i].group,
                        excls[i].test);
            bad = 1;
        }
    }
    assert_false(bad);
}

int main(void)
{
    const char *env = getenv("JSON_SCHEMA_TEST_SUITE");
    char root[4096], root2020[4096];
    suite_root = env && *env ? env : "../shared/json-schema-test-suite";
    snprintf(root, sizeof(root), "%s/tests/draft4", suite_root);
    snprintf(root2020, sizeof(root2020), "%s/tests/draft2020-12", suite_root);
    struct stat sb;
    if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode) || stat(root2020, &sb) != 0 ||
        !S_ISDIR(sb.st_mode)) {
        const struct CMUnitTest absent[] = {cmocka_unit_test(test_suite_is_absent)};
        return cmocka_run_group_tests_name("schema_suite", absent, NULL, NULL);
    }
    assert_true(load_exclusions());
    add_dir(root, "");
    adding2020 = 1;
    add_dir(root2020, "");
    struct CMUnitTest *tests = calloc(n_cases + 1, sizeof(*tests));
    for (size_t i = 0; i < n_cases; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    tests[n_cases].name = "every exclusion matches a case";
    tests[n_cases].test_func = test_every_exclusion_matches_a_case;
    int rc = _cmocka_run_group_tests("schema_suite", tests, n_cases + 1, NULL, NULL);
    for (size_t i = 0; i < n_cases; i++) {
        free(cases[i].name);
        free(cases[i].schema_text);
        free(cases[i].data_text);
    }
    free(cases);
    free(tests);
    for (size_t i = 0; i < n_excls; i++) {
        free(excls[i].file);
        free(excls[i].group);
        free(excls[i].test);
    }
    free(excls);
    return rc;
}
