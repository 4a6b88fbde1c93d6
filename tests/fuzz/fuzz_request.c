/*
 * fuzz_request.c - building requests of a fixed spec (fixture.h) from
 * arbitrary parameters, headers and bodies.
 *
 * Input: the first byte picks the operation (low bits) and whether missing
 * values are filled from the schemas (bit 7); then lines up to the first
 * empty line: "H:Name: value" is a -H header line, "NAME=VALUE" (or "NAME"
 * alone, an empty value) a -p argument, names may repeat; everything after
 * the empty line is the --body (absent when there is no empty line).
 * Every problem, note and the built request are touched; usage errors,
 * invalid values and refusals are fine, crashes, leaks and hangs are not.
 */
#include <stdint.h>
#include <string.h>

#include "fixture.h"
#include "runner/request.h"

#define MAX_FIELDS 32

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct act_spec *spec = fixture_load();
    if (!spec || size < 1 || spec->n_ops == 0)
        return 0;
    const struct act_op *op = &spec->ops[(data[0] & 0x7f) % spec->n_ops];
    int fill = data[0] >> 7;
    /* A NUL-terminated copy, cut into fields in place. */
    char *text = act_malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    size_t len = size - 1;
    struct act_arg args[MAX_FIELDS];
    const char *headers[MAX_FIELDS];
    size_t na = 0, nh = 0, i = 0;
    const char *body = NULL;
    size_t body_len = 0;
    while (i < len) {
        char *line = text + i;
        char *nl = memchr(line, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - line) : len - i;
        if (nl)
            *nl = '\0';
        i += ll + (nl ? 1 : 0);
        if (ll == 0 && nl) {
            body = text + i;
            body_len = len - i;
            break;
        }
        if (strlen(line) != ll)
            continue; /* a NUL inside: argv strings cannot hold one */
        if (strncmp(line, "H:", 2) == 0) {
            if (nh < MAX_FIELDS)
                headers[nh++] = line + 2;
            continue;
        }
        if (na == MAX_FIELDS)
            continue;
        char *eq = strchr(line, '=');
        if (eq)
            *eq = '\0';
        args[na].name = line;
        args[na].value = eq ? eq + 1 : "";
        na++;
    }
    /* One validator for every input, as one run of the tool uses one for every call. */
    static struct act_validator *v;
    if (!v && act_validator_new(spec->docs, &v) != ACT_OK) {
        act_free(text);
        return 0;
    }
    struct act_msgs notes, problems;
    struct act_error err;
    int missing = 0;
    act_msgs_init(&notes);
    act_msgs_init(&problems);
    act_error_init(&err);
    struct act_request_in in = {spec,     op,          "http://127.0.0.1:1/base/",
                                NULL,     args,        na,
                                headers,  nh,          body,
                                body_len, "body.json", fill,
                                &notes,   &missing};
    struct act_request *r = NULL;
    enum act_status st = act_request_build(&in, v, &r, &problems, &err);
    /* The contract: a request exactly on ACT_OK and ACT_ERR_CHECK. */
    if ((st == ACT_OK || st == ACT_ERR_CHECK) != (r != NULL))
        __builtin_trap();
    if (r) {
        /* Touch everything a sender would read. */
        size_t total = strlen(r->method) + strlen(r->url) + strlen(r->path);
        for (size_t k = 0; k < r->headers.n; k++)
            total += strlen(r->headers.v[k].name) + strlen(r->headers.v[k].value);
        if (r->media_type)
            total += strlen(r->media_type);
        if (r->body && r->body_len)
            total += (unsigned char)r->body[r->body_len - 1];
        sink = total;
        act_request_free(r);
    }
    act_msgs_release(&problems);
    act_msgs_release(&notes);
    act_free(text);
    return 0;
}
