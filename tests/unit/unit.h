/*
 * unit.h - what the cmocka unit tests share: includes and small helpers.
 */
#ifndef ACT_TESTS_UNIT_H
#define ACT_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/act_alloc.h"
#include "common/act_error.h"
#include "parser/doc.h"

/* Parse text as fmt into a document, failing the test on error. */
static inline struct act_doc *must_parse(const char *name, const char *text,
                                         enum act_doc_format fmt)
{
    struct act_doc *doc = NULL;
    struct act_error err;
    act_error_init(&err);
    if (act_doc_parse(name, text, strlen(text), fmt, &doc, &err)) {
        char buf[4096];
        act_error_format(&err, buf, sizeof(buf));
        fail_msg("parse failed: %s", buf);
    }
    return doc;
}

/* Write text to path (relative to the test's temporary directory), failing on error. */
static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

#endif
