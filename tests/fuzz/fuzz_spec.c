/*
 * fuzz_spec.c - a whole spec from arbitrary bytes: version checks, operation
 * enumeration, parameter merging and $ref chains (local refs only: the input
 * is written to a temporary file, so relative refs find nothing).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "parser/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        act_alloc_init_cjson();
        snprintf(path, sizeof(path), "/tmp/actions-fuzz-spec-%ld.yaml", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct act_spec *spec = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_spec_load(path, ACT_SPEC_LENIENT, &spec, &err) == ACT_OK) {
        for (size_t i = 0; i < spec->n_ops; i++) {
            struct act_param *params;
            size_t n;
            struct act_error e2;
            act_error_init(&e2);
            if (act_spec_op_params(spec, &spec->ops[i], &params, &n, &e2) == ACT_OK)
                act_free(params);
        }
        act_spec_free(spec);
    }
    unlink(path);
    return 0;
}
