/*
 * fuzz_check.c - checking arbitrary responses against an operation of a
 * fixed spec (fixture.h).
 *
 * Input: the first byte picks the operation (low bits) and marks a HEAD
 * request (bit 7); the rest is a raw response as it comes off the wire: a
 * status line, header lines up to the first empty line (CRLF or LF), and the
 * body. The status comes from the status line the way the runner reads it
 * (the number after "HTTP/x "); header lines are split at their first colon
 * and trimmed as runner/http.c does. Every problem is formatted;
 * crashes, leaks and hangs are not fine.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "runner/check.h"

static volatile size_t sink;

/* A copy of s[0..len) without the surrounding blanks and line ends (http.c's trimming). */
static char *trimmed(const char *s, size_t len)
{
    while (len &&
           (s[len - 1] == '\r' || s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    return act_strndup(s, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct act_spec *spec = fixture_load();
    if (!spec || size < 1 || spec->n_ops == 0)
        return 0;
    const struct act_op *op = &spec->ops[(data[0] & 0x7f) % spec->n_ops];
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    struct act_headers h;
    act_headers_init(&h);
    long status = 0;
    int first = 1;
    /* Header lines, each ending in '\n', up to the empty one. */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
        const char *line = p;
        p += n;
        if (n == 1 || (n == 2 && line[0] == '\r'))
            break; /* the blank line: the body follows */
        if (first) {
            first = 0;
            char *sl = trimmed(line, n);
            if (!sl)
                goto out;
            const char *sp = strchr(sl, ' ');
            if (strncmp(sl, "HTTP/", 5) == 0 && sp)
                status = strtol(sp + 1, NULL, 10);
            act_free(sl);
            continue;
        }
        const char *colon = memchr(line, ':', n);
        if (!colon)
            continue;
        char *name = trimmed(line, (size_t)(colon - line));
        char *value = trimmed(colon + 1, n - (size_t)(colon + 1 - line));
        enum act_status st = name && value ? act_headers_add(&h, name, value) : ACT_ERR_NOMEM;
        act_free(name);
        act_free(value);
        if (st)
            goto out;
    }
    /* One validator for every input, as one run of the tool uses one for every call. */
    static struct act_validator *v;
    if (!v && act_validator_new(spec->docs, &v) != ACT_OK)
        goto out;
    /* The body in a buffer of its own, not NUL-terminated (as the contract allows). */
    size_t body_len = (size_t)(end - p);
    char *body = act_malloc(body_len ? body_len : 1);
    if (body) {
        memcpy(body, p, body_len);
        struct act_check_in in = {spec, op, status, &h, body, body_len, data[0] >> 7, NULL};
        struct act_msgs problems;
        struct act_check_out co = {0};
        struct act_error err;
        act_msgs_init(&problems);
        act_error_init(&err);
        if (act_check_response(&in, v, &problems, &co, &err) == ACT_OK) {
            size_t total = 0;
            for (size_t i = 0; i < problems.n; i++)
                total += strlen(problems.v[i]);
            if (co.media_type)
                total += strlen(co.media_type);
            if (co.response)
                total += strlen(co.response);
            sink = total;
        }
        act_doc_free(co.body);
        act_msgs_release(&problems);
        act_free(body);
    }
out:
    act_headers_release(&h);
    return 0;
}
