/*
 * json_fast.h - a one-pass JSON parser for large instances, building cJSON
 * nodes in an arena.
 *
 * The spec's documents are parsed by cJSON (parser/doc_json.c); the instances
 * that `actions validate` checks, which may be hundreds of megabytes, go
 * through this parser instead: one pass over the text with no recursion,
 * strings decoded and UTF-8 checked as they are copied, integers and short
 * decimals converted without strtod, every node and string bump-allocated from
 * one arena. The tree is the one cJSON would build (same types, values, valueint
 * and prev links), so everything that reads cJSON trees reads it unchanged.
 */
#ifndef ACT_PARSER_JSON_FAST_H
#define ACT_PARSER_JSON_FAST_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <string.h>

#include "common/act_arena.h"
#include "common/act_error.h"
#include "common/act_status.h"

/*
 * Parse text (len bytes; text[len] must be '\0'), named name in messages, into
 * a tree whose nodes and strings live in arena: on success *out is the root,
 * valid until the arena is released. The tree is read-only: never modify it
 * or pass its nodes to cJSON_Delete (cJSON_Duplicate makes an ordinary copy).
 * On failure *out is NULL, err says name:line:col and what, and the arena may
 * hold partial allocations (release it).
 *
 * The grammar is exactly RFC 8259's: whitespace is space, tab, CR and LF only;
 * numbers have no leading zeros, a digit after '.' and after the exponent
 * mark; strings have no raw control characters and only the escapes of the
 * RFC, \u escapes with four hex digits and surrogates in pairs. Duplicate
 * member names are kept, in order, as cJSON keeps them; the first object that
 * has one is reported through err, with the status still ACT_OK: err->msg
 * "duplicate member name \"a\" in the object at /x (at 1:7 and 1:15)", err->line
 * and col at the second one, err->pointer the member's pointer ("/x/a"). A
 * caller that passes err checks err->msg[0] after a success. A UTF-8 byte order mark
 * is skipped. The escape \u0000 is accepted: U+0000 is stored as the bytes
 * C0 80 (valid UTF-8 never has them), so the tree's strings stay NUL-terminated
 * and whole (act_json_decode_nul gives the real characters back). Refused like
 * act_doc_load refuses them, with the same messages: NUL bytes, invalid UTF-8,
 * nesting deeper than ACT_MAX_DEPTH (ACT_ERR_LIMIT), an empty document. Numbers read as strtod
 * reads them; their text stays in text for exact comparisons. Errors: ACT_ERR_PARSE, ACT_ERR_LIMIT,
 * ACT_ERR_NOMEM.
 */
enum act_status act_json_fast_parse(const char *name, const char *text, size_t len,
                                    struct act_arena *arena, cJSON **out,
                                    struct act_error *err) ACT_WUR;

/*
 * Turn each C0 80 of s[0..len) (U+0000 as act_json_fast_parse stores it) back into a NUL
 * byte, in place; returns the new length. s need not be NUL-terminated.
 */
size_t act_json_decode_nul(char *s, size_t len);

/* 1 when s[0..len) holds a U+0000 as act_json_fast_parse stores it (C0 80). */
static inline int act_json_has_nul(const char *s, size_t len)
{
    const char *c = memchr(s, 0xC0, len);
    return c && c + 1 < s + len && (unsigned char)c[1] == 0x80;
}

#endif
