/*
 * fuzz_json_fast.c - the instance parser on arbitrary bytes, checked against cJSON.
 *
 * Must never crash, leak or hang. Whatever it accepts, cJSON must accept too
 * and build the same tree (RFC 8259 is the stricter grammar; the one known
 * difference, numbers longer than the 63 bytes cJSON reads, is skipped). A
 * refusal must carry a position inside the text. The accepted tree is then
 * validated against a small schema, which walks every node.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "common/act_limits.h"
#include "parser/doc.h"
#include "parser/ref.h"
#include "validator/validate.h"

/* A string of the fast parser (a) as cJSON reads it (b): U+0000 is kept in a as the two
 * bytes C0 80, where cJSON's C string ends; the rest must be the same bytes. */
static int same_str(const char *a, const char *b)
{
    const char *nul = strstr(a, "\xC0\x80");
    if (!nul)
        return strcmp(a, b) == 0;
    size_t n = (size_t)(nul - a);
    return strlen(b) == n && memcmp(a, b, n) == 0;
}

static int same_tree(const cJSON *a, const cJSON *b, int depth)
{
    if (depth > ACT_MAX_DEPTH + 2 || a->type != b->type || a->valueint != b->valueint ||
        memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0)
        return 0;
    if ((a->string == NULL) != (b->string == NULL) ||
        (a->string && !same_str(a->string, b->string)))
        return 0;
    if ((a->valuestring == NULL) != (b->valuestring == NULL) ||
        (a->valuestring && !same_str(a->valuestring, b->valuestring)))
        return 0;
    const cJSON *x = a->child, *y = b->child, *px = NULL;
    for (; x && y; px = x, x = x->next, y = y->next)
        if ((px && x->prev != px) || !same_tree(x, y, depth + 1))
            return 0;
    return !x && !y && (!a->child || a->child->prev == px);
}

static size_t longest_number(const char *s, size_t len)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        run = s[i] && strchr("0123456789+-.eE", s[i]) ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

static void validate(const struct act_doc *id)
{
    static const char schema[] =
        "{\"properties\": {\"a\": {\"maxLength\": 3}, \"n\": {\"maximum\": 18446744073709551615}},"
        " \"items\": {\"$ref\": \"#\"}, \"additionalProperties\": {\"$ref\": \"#\"},"
        " \"minimum\": 0, \"format\": \"uri\"}";
    struct act_doc *sd = NULL;
    struct act_docset *ds = NULL;
    struct act_validator *v = NULL;
    struct act_errlist errs;
    act_errlist_init(&errs, 16);
    if (act_doc_parse("schema.json", schema, sizeof(schema) - 1, ACT_DOC_JSON, &sd, NULL) ||
        act_docset_new(&ds)) {
        act_doc_free(sd);
        goto out;
    }
    struct act_doc *take = sd;
    if (act_docset_add_take(ds, take) || act_validator_new(ds, &v))
        goto out;
    if (act_validate_doc(v, (struct act_node){take, take->root}, id, id->root, ACT_DIR_RESPONSE,
                         &errs, NULL) == ACT_OK) {
        struct act_buf b;
        act_buf_init(&b);
        for (size_t i = 0; i < errs.n; i++)
            act_verr_format(&errs.v[i], &b);
        act_buf_release(&b);
    }
out:
    act_errlist_release(&errs);
    act_validator_free(v);
    act_docset_free(ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        act_alloc_init_cjson();
        init = 1;
    }
    const char *text = (const char *)data;
    struct act_doc *doc = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_doc_parse_instance("fuzz.json", text, size, &doc, &err)) {
        if (err.status != ACT_ERR_NOMEM && (err.line < 1 || err.col < 1))
            abort(); /* every refusal has a position */
        return 0;
    }
    size_t bom = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    /* without the byte order mark, as act_doc_load calls cJSON (cJSON skips one
     * only in documents of five bytes or more) */
    cJSON *c = cJSON_ParseWithLengthOpts(text + bom, size - bom, NULL, 0);
    if (!c && longest_number(text, size) <= 63)
        abort(); /* accepted here, refused by cJSON */
    if (c && !same_tree(doc->root, c, 0))
        abort(); /* read differently */
    cJSON_Delete(c);
    validate(doc);
    act_doc_free(doc);
    return 0;
}
