/* bare_cjson.c - baseline for `make bench`: the least work that lists the
 * operations of an OpenAPI JSON document with cJSON.
 *
 *   bare_cjson SPEC.json          read, cJSON_ParseWithLengthOpts, count the
 *                                 method keys under `paths`, free; print it
 *   bare_cjson -n SPEC.json       print the number of YAML-style nodes instead
 *                                 (values + object keys), to compare with
 *                                 bare_yaml on a YAML conversion
 *
 * Exit status 0, or 1 with a message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static long count_ops(const cJSON *doc)
{
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(doc, "paths");
    long n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, paths)
    {
        if (!cJSON_IsObject(item))
            continue;
        for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
            if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(item, methods[i])))
                n++;
    }
    return n;
}

static long count_nodes(const cJSON *v)
{
    long n = 1;
    const cJSON *c;
    cJSON_ArrayForEach(c, v)
    {
        n += count_nodes(c);
        if (cJSON_IsObject(v))
            n++; /* the key */
    }
    return n;
}

int main(int argc, char **argv)
{
    int nodes = argc == 3 && strcmp(argv[1], "-n") == 0;
    if (argc != 2 + nodes) {
        fprintf(stderr, "usage: bare_cjson [-n] SPEC.json\n");
        return 1;
    }
    const char *path = argv[1 + nodes];
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf) {
        perror(path);
        return 1;
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!doc) {
        fprintf(stderr, "bare_cjson: %s: parse error at byte %ld\n", path,
                end ? (long)(end - buf) : -1L);
        free(buf);
        return 1;
    }
    printf("%ld\n", nodes ? count_nodes(doc) : count_ops(doc));
    cJSON_Delete(doc);
    free(buf);
    return 0;
}
