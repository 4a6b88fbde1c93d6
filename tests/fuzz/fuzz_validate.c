/*
 * fuzz_validate.c - a schema and an instance from arbitrary bytes.
 *
 * The input is split at the first NUL byte (or, without one, at the first
 * newline): the schema (JSON or YAML) before, the instance (JSON) after. Both
 * are parsed with the loader; when both load, the instance is validated
 * against the schema in both directions with a small error cap, and every
 * error is formatted. Schema errors, unresolvable refs and limits are fine;
 * crashes, hangs, leaks and sanitizer reports are not.
 */
#include <stdint.h>
#include <string.h>

#include "common/act_alloc.h"
#include "parser/ref.h"
#include "validator/validate.h"

static void run(struct act_validator *v, const struct act_doc *sd, const struct act_doc *id,
                enum act_direction dir)
{
    struct act_errlist errs;
    struct act_error err;
    struct act_buf b;
    act_errlist_init(&errs, 16);
    act_error_init(&err);
    act_buf_init(&b);
    if (act_validate_doc(v, (struct act_node){sd, sd->root}, id, id->root, dir, &errs, &err) ==
        ACT_OK)
        for (size_t i = 0; i < errs.n; i++)
            act_verr_format(&errs.v[i], &b);
    act_buf_release(&b);
    act_errlist_release(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        act_alloc_init_cjson();
        init = 1;
    }
    const char *text = (const char *)data;
    const char *cut = memchr(text, '\0', size);
    if (!cut)
        cut = memchr(text, '\n', size);
    if (!cut)
        return 0;
    size_t slen = (size_t)(cut - text);
    struct act_doc *sd = NULL, *id = NULL;
    struct act_docset *ds = NULL;
    struct act_validator *v = NULL;
    if (act_doc_parse("schema", text, slen, ACT_DOC_AUTO, &sd, NULL) ||
        act_doc_parse("instance.json", cut + 1, size - slen - 1, ACT_DOC_JSON, &id, NULL))
        goto out;
    if (act_docset_new(&ds))
        goto out;
    struct act_doc *take = sd;
    sd = NULL; /* owned (and freed, also on failure) by the docset from here */
    if (act_docset_add_take(ds, take))
        goto out;
    const struct act_doc *schema = act_docset_get(ds, 0);
    if (act_validator_new(ds, &v) == ACT_OK) {
        run(v, schema, id, ACT_DIR_RESPONSE);
        run(v, schema, id, ACT_DIR_REQUEST); /* again: compiled schemas come from the cache */
    }
out:
    act_validator_free(v);
    act_docset_free(ds);
    act_doc_free(sd);
    act_doc_free(id);
    return 0;
}
