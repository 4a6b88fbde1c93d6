/*
 * text.h - reading document text without building anything: the parser's leaf.
 *
 * Owns what every loader needs from raw bytes: the line and column of an offset,
 * the byte checks a document must pass before it is parsed (well-formed UTF-8 through
 * common/act_utf8, no NUL byte), and the one JSON scanner (white space, strings,
 * whole values skipped by counting brackets) that the JSON locator, the position
 * index and the partial loader (doc_sparse.c) walk text with. Includes nothing of
 * the parser, so every other parser file may include it.
 */
#ifndef ACT_PARSER_TEXT_H
#define ACT_PARSER_TEXT_H

#include <stddef.h>

#include "common/act_error.h"
#include "common/act_status.h"

/*
 * Line and column (1-based) of byte offset off in text, counting columns in
 * characters (UTF-8 code points).
 */
void act_text_position(const char *text, size_t len, size_t off, int *line, int *col);

/* Set err (name:line:col of offset off in text, message msg) and return st. */
enum act_status act_text_error_at(struct act_error *err, enum act_status st, const char *name,
                                  const char *text, size_t len, size_t off, const char *msg);

/*
 * The byte checks every document passes: invalid UTF-8 before the first NUL byte
 * ("invalid UTF-8"), then a NUL byte ("NUL byte in document"), each reported at
 * its position as ACT_ERR_PARSE. ASCII, nearly all of a spec, is skipped a word
 * at a time.
 */
enum act_status act_text_check_bytes(const char *name, const char *text, size_t len,
                                     struct act_error *err) ACT_WUR;

/* 3 when text (len bytes) opens with a UTF-8 byte order mark, else 0. */
size_t act_text_bom(const char *text, size_t len);

/* ---- the JSON scanner: offsets into t (len bytes), nothing decoded or built ---- */

/* The first offset at or after i that is not JSON white space (space, tab, CR, LF). */
size_t act_json_scan_ws(const char *t, size_t len, size_t i);

/* The offset past the closing quote of the string whose opening quote is at i, or
 * len when it is not closed. */
size_t act_json_scan_string(const char *t, size_t len, size_t i);

/*
 * The offset past the value that starts at i (no white space before it): a string,
 * a container (brackets counted outside strings, no recursion), or a scalar (up to
 * the next ',', '}', ']' or white space). len when the text ends first.
 */
size_t act_json_scan_value(const char *t, size_t len, size_t i);

/* The offset of the first '[' or '{' outside strings nested deeper than max, or len
 * when there is none. */
size_t act_json_scan_depth(const char *t, size_t len, int max);

#endif
