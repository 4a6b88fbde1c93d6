/*
 * fuzz_connector.c - connector files and request paths from arbitrary bytes:
 * loading, validation, mapping, path normalization and policy checks must
 * never crash, leak or hang. The input is also used as a request path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "runner/connector.h"

static const char *const paths[] = {
    "/",       "/hello",       "/hello/../admin", "/hello/%2e%2e/admin",
    "//admin", "/hello-world", "/a;b/..;/c",      "/x?y=1"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        act_alloc_init_cjson();
        snprintf(path, sizeof(path), "/tmp/actions-fuzz-connector-%ld.yaml", (long)getpid());
    }
    struct act_buf norm;
    act_buf_init(&norm);
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
        if (act_path_normalize(text, &norm) == ACT_OK)
            act_connector_admits(NULL, norm.data);
        free(text);
    }
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
        struct act_connector *c = NULL;
        struct act_error err;
        act_error_init(&err);
        if (act_connector_load(path, &c, &err) == ACT_OK) {
            for (size_t i = 0; i < c->n; i++) {
                const struct act_system *s = &c->v[i];
                act_connector_map(c, s->virtual_host, s->virtual_port, s->location_id);
                for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
                    if (act_path_normalize(paths[k], &norm) == ACT_OK)
                        act_connector_admits(s, norm.data);
                if (act_path_normalize(norm.data, &norm) == ACT_OK)
                    act_connector_admits(s, norm.data);
            }
            act_connector_free(c);
        }
        unlink(path);
    }
    act_buf_release(&norm);
    return 0;
}
