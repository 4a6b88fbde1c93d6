/*
 * fuzz_doc_yaml.c - YAML loading, pointer location and $ref resolution on
 * arbitrary bytes: must never crash, leak or hang. The position index must
 * answer every pointer asked exactly as the rescanner does.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/act_alloc.h"
#include "parser/doc.h"
#include "parser/doc_int.h"
#include "parser/doc_yaml.h"
#include "parser/doc_yaml_index.h"
#include "parser/pointer.h"

/* The index and act_yaml_locate agree on ptr, and on a child of it that may not exist. */
static void agree(const struct act_doc *doc, const struct act_yaml_index *ix, struct act_buf *ptr)
{
    if (!ix)
        return;
    for (int k = 0; k < 2; k++) {
        int l1 = -1, c1 = -1, l2 = -1, c2 = -1;
        int a = act_yaml_locate(doc->text, doc->len, ptr->data, &l1, &c1);
        int b = act_yaml_index_get(ix, ptr->data, &l2, &c2);
        if (b >= 0 && (a != b || l1 != l2 || c1 != c2))
            abort();
        if (k == 0 && act_pointer_append(ptr, "x"))
            return;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        act_alloc_init_cjson();
        init = 1;
    }
    struct act_doc *doc = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_doc_parse("fuzz.yaml", (const char *)data, size, ACT_DOC_YAML, &doc, &err))
        return 0;
    struct act_yaml_index *ix = act_yaml_index_build(doc->text, doc->len);
    /* Locate every top-level member and its first child: exercises the rescanner,
     * then (after a few lookups) the index act_doc_locate builds. */
    struct act_buf ptr;
    act_buf_init(&ptr);
    for (const cJSON *c = doc->root->child; c; c = c->next) {
        int line, col;
        if (act_pointer_of(doc->root, c, &ptr) == ACT_OK) {
            act_doc_locate(doc, ptr.data, &line, &col);
            agree(doc, ix, &ptr);
        }
        if (c->child && act_pointer_of(doc->root, c->child, &ptr) == ACT_OK) {
            act_doc_locate(doc, ptr.data, &line, &col);
            agree(doc, ix, &ptr);
        }
    }
    act_buf_release(&ptr);
    act_yaml_index_free(ix);
    act_doc_free(doc);
    return 0;
}
