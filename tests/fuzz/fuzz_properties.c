/*
 * fuzz_properties.c - BTP-exported Java-properties destination files from
 * arbitrary bytes, read in memory (no file): line continuations, escapes,
 * \uXXXX and surrogate pairs, ISO-8859-1 fallback, "removed on export"
 * comments, ${VAR} expansion, then the destination checks. The input is
 * handed over in a buffer of its exact size (not NUL-terminated). Every
 * property, header and query of a loaded destination is read back and its
 * secrets go through the redactor; crashes, leaks and hangs are not fine.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/act_alloc.h"
#include "runner/dest.h"

static volatile size_t sink;

static size_t kv_len(const struct act_kv *v, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(v[i].name) + strlen(v[i].value);
    return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        act_alloc_init_cjson();
        setenv("FUZZ_VAR", "value-of-fuzz-var", 1);
        setenv("FUZZ_SECRET", "s3cr3t", 1);
        init = 1;
    }
    char *text = act_malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    struct act_destset *ds = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_destset_parse_properties("fuzz.properties", text, size, &ds, &err) == ACT_OK) {
        struct act_redactor r;
        struct act_buf out;
        act_redactor_init(&r);
        act_buf_init(&out);
        for (size_t i = 0; i < ds->n; i++) {
            const struct act_dest *d = &ds->v[i];
            sink = kv_len(d->props, d->n_props) + kv_len(d->headers, d->n_headers) +
                   kv_len(d->queries, d->n_queries);
            if (act_dest_add_secrets(d, &r) != ACT_OK || act_redact_str(&r, d->url, &out))
                break;
        }
        act_buf_release(&out);
        act_redactor_release(&r);
        act_destset_free(ds);
    }
    act_free(text);
    return 0;
}
