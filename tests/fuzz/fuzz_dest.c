/*
 * fuzz_dest.c - destination files from arbitrary bytes, read both as a
 * sniffed file (properties or YAML/JSON) and as YAML: loading, validation,
 * ${VAR} expansion, suggestions and the redactor must never crash, leak or hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "runner/dest.h"

static void load(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, size, f);
    fclose(f);
    struct act_destset *ds = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_destset_load(path, &ds, &err) != ACT_OK)
        return;
    struct act_redactor r;
    struct act_buf out;
    act_redactor_init(&r);
    act_buf_init(&out);
    for (size_t i = 0; i < ds->n; i++) {
        const char *near[3];
        act_destset_suggest(ds, ds->v[i].name, near, 3);
        if (act_dest_add_secrets(&ds->v[i], &r) == ACT_OK &&
            act_redact_str(&r, ds->v[i].url, &out) != ACT_OK)
            break;
    }
    act_buf_release(&out);
    act_redactor_release(&r);
    act_destset_free(ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char sniffed[64], yaml[64];
    if (!sniffed[0]) {
        act_alloc_init_cjson();
        snprintf(sniffed, sizeof(sniffed), "/tmp/actions-fuzz-dest-%ld", (long)getpid());
        snprintf(yaml, sizeof(yaml), "/tmp/actions-fuzz-dest-%ld.yaml", (long)getpid());
        setenv("FUZZ_VAR", "value-of-fuzz-var", 1);
    }
    load(sniffed, data, size);
    load(yaml, data, size);
    unlink(sniffed);
    unlink(yaml);
    return 0;
}
