/*
 * fuzz_mock.c - the mock's request handling in process, without sockets:
 * routing, request validation and answering for a fixed spec (fixture.h).
 *
 * Input: a request as a client would write it: "METHOD TARGET" on the first
 * line (TARGET split at its first '?' into path and query, both raw), header
 * lines "Name: value" up to the first empty line (CRLF or LF), then the body
 * (none when there is no empty line). Header lookup is case-insensitive and
 * takes the first match, as libmicrohttpd's does. Every answer is checked
 * for shape; crashes, leaks and hangs are not fine.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "fixture.h"
#include "mock/mock.h"

#define MAX_HEADERS 64

struct hdrs {
    const char *name[MAX_HEADERS];
    const char *value[MAX_HEADERS];
    size_t n;
};

static volatile size_t sink;

static const char *lookup(void *arg, const char *name)
{
    const struct hdrs *h = arg;
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->name[i], name) == 0)
            return h->value[i];
    return NULL;
}

static void log_line(void *arg, const char *line)
{
    (void)arg;
    sink = strlen(line);
}

/* Cut text at the end of the current line (LF, an optional CR before it dropped). */
static char *next_line(char **p, char *end)
{
    char *line = *p;
    char *nl = memchr(line, '\n', (size_t)(end - line));
    if (!nl) {
        *p = end;
        return line;
    }
    *nl = '\0';
    if (nl > line && nl[-1] == '\r')
        nl[-1] = '\0';
    *p = nl + 1;
    return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct act_mock_app *app;
    struct act_spec *spec = fixture_load();
    if (!spec)
        return 0;
    if (!app) {
        struct act_error err;
        act_error_init(&err);
        if (act_mock_app_new(spec, &app, &err) != ACT_OK)
            return 0;
    }
    char *text = act_malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *p = text, *end = text + size;
    char *first = next_line(&p, end);
    char *sp = strchr(first, ' ');
    if (!sp) {
        act_free(text);
        return 0;
    }
    *sp = '\0';
    char *target = sp + 1;
    char *q = strchr(target, '?');
    if (q)
        *q++ = '\0';
    struct hdrs h = {.n = 0};
    const char *body = NULL;
    size_t body_len = 0;
    while (p < end) {
        char *line = next_line(&p, end);
        if (!*line) {
            body = p;
            body_len = (size_t)(end - p);
            break;
        }
        char *colon = strchr(line, ':');
        if (!colon || h.n == MAX_HEADERS)
            continue;
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        h.name[h.n] = line;
        h.value[h.n++] = value;
    }
    /* The body in a buffer of its own, not NUL-terminated (as the contract allows). */
    char *copy = body ? act_malloc(body_len ? body_len : 1) : NULL;
    if (body && !copy) {
        act_free(text);
        return 0;
    }
    if (copy)
        memcpy(copy, body, body_len);
    struct act_mock_req req = {first, target, q, lookup, &h, copy, body_len};
    struct act_mock_reply reply;
    if (act_mock_app_answer(app, &req, log_line, NULL, &reply) == ACT_OK) {
        if (reply.status < 100 || reply.status > 599)
            __builtin_trap();
        if (reply.body && reply.body[reply.body_len] != '\0')
            __builtin_trap();
        size_t total = reply.content_type ? strlen(reply.content_type) : 0;
        for (size_t i = 0; i < reply.n_hdrs; i++)
            total += strlen(reply.hdrs[i].name) + strlen(reply.hdrs[i].value);
        sink = total;
        act_mock_reply_release(&reply);
    }
    act_free(copy);
    act_free(text);
    return 0;
}
