/*
 * fuzz_doc_json.c - JSON loading, pointer location and $ref resolution on
 * arbitrary bytes: must never crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/act_alloc.h"
#include "parser/doc.h"
#include "parser/pointer.h"

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
    if (act_doc_parse("fuzz.json", (const char *)data, size, ACT_DOC_JSON, &doc, &err))
        return 0;
    /* Locate every top-level member and its first child: exercises the rescanner. */
    struct act_buf ptr;
    act_buf_init(&ptr);
    for (const cJSON *c = doc->root->child; c; c = c->next) {
        int line, col;
        if (act_pointer_of(doc->root, c, &ptr) == ACT_OK)
            act_doc_locate(doc, ptr.data, &line, &col);
        if (c->child && act_pointer_of(doc->root, c->child, &ptr) == ACT_OK)
            act_doc_locate(doc, ptr.data, &line, &col);
    }
    act_buf_release(&ptr);
    act_doc_free(doc);
    return 0;
}
