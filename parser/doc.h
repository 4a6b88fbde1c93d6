/*
 * doc.h - one JSON or YAML file loaded into a cJSON tree: the parser's document.
 *
 * Owns reading files (limits, refusals), format detection, the documents' text and
 * tree, and positions (act_doc_locate). The format back ends (doc_json.c,
 * doc_yaml.c, json_fast.c, doc_sparse.c) and the position caches are parser-internal
 * (doc_int.h); text.h reads raw text.
 *
 * JSON and YAML load into the same model (cJSON), so everything above the
 * parser is format-blind. The source text is kept so that positions (line and
 * column of a JSON Pointer) are found only when a message needs one, by
 * rescanning: loading and listing never pay for positions.
 */
#ifndef ACT_PARSER_DOC_H
#define ACT_PARSER_DOC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "common/act_status.h"

struct act_arena;
struct act_doc_positions;
struct act_srcmap;

enum act_doc_format {
    ACT_DOC_AUTO, /* by extension (.json / .yaml / .yml), else by the first character */
    ACT_DOC_JSON,
    ACT_DOC_YAML,
};

struct act_doc {
    char *path;                 /* path as given, used in messages */
    char *canon;                /* canonical absolute path (realpath), identity for $ref */
    char *text;                 /* the source bytes, NUL-terminated (owned; in arena if any) */
    size_t len;                 /* bytes in text */
    enum act_doc_format format; /* ACT_DOC_JSON or ACT_DOC_YAML, never AUTO */
    cJSON *root;                /* the document tree (owned; in arena if any) */
    struct act_arena *arena;    /* text and tree of an instance document, else NULL (owned) */
    struct act_doc_positions
        *positions;            /* act_doc_locate's caches, private to the parser (owned) */
    struct act_srcmap *srcmap; /* root translated from text's tree (Swagger 2.0): where
                                * its nodes stand in text (owned, srcmap.h), else NULL */
};

/*
 * Read and parse the file at path. On success *out is a new document the
 * caller frees with act_doc_free; on failure *out is NULL and err (if given)
 * says FILE:LINE:COL and what. Refuses directories, files over
 * ACT_MAX_FILE_BYTES, NUL bytes, invalid UTF-8, nesting over ACT_MAX_DEPTH.
 */
enum act_status act_doc_load(const char *path, enum act_doc_format fmt, struct act_doc **out,
                             struct act_error *err) ACT_WUR;

/*
 * As act_doc_load, for a caller that needs only the node at pointer (RFC 6901) and
 * what it references within the file (validate --schema). A large JSON file is read
 * once and only the values on the way to that node and to the local $refs below it
 * are parsed (doc_sparse.c), into a tree with the same JSON Pointers as the whole
 * document; the text stays whole, so positions are right. Anything the partial parse
 * does not take (YAML, small files, escaped keys on the way, refs to other files or
 * to the root) is parsed whole, with act_doc_load's errors.
 */
enum act_status act_doc_load_part(const char *path, const char *pointer, struct act_doc **out,
                                  struct act_error *err) ACT_WUR;

/*
 * Read the regular file at path whole: *text is NUL-terminated and the caller
 * frees it with act_free; *len its size. Refuses directories, other non-regular
 * files and files over ACT_MAX_FILE_BYTES ($ACTIONS_MAX_FILE_BYTES) before reading.
 */
enum act_status act_file_read(const char *path, char **text, size_t *len,
                              struct act_error *err) ACT_WUR;

/*
 * Open path for reading when it is a regular file, which every file the tool reads
 * must be: a FIFO, socket or device is refused by name ("is not a regular file (a
 * FIFO)") without blocking, a directory likewise. *fd (blocking, close-on-exec; the
 * caller closes it) and its *size on success, *fd = -1 on failure. Every loader
 * opens files through here; standard input ("-") is the callers' business.
 */
enum act_status act_file_open(const char *path, int *fd, size_t *size,
                              struct act_error *err) ACT_WUR;

/* The largest file the loaders read: $ACTIONS_MAX_FILE_BYTES when set to a positive
 * number, else ACT_MAX_FILE_BYTES. */
long act_doc_max_bytes(void);

/*
 * Parse text (len bytes, need not be NUL-terminated) named name in messages.
 * The text is copied. Same contract as act_doc_load.
 */
enum act_status act_doc_parse(const char *name, const char *text, size_t len,
                              enum act_doc_format fmt, struct act_doc **out,
                              struct act_error *err) ACT_WUR;

/*
 * As act_doc_load / act_doc_parse, for a JSON instance, possibly a very large
 * one: parsed with act_json_fast_parse (parser/json_fast.h), the text and the
 * tree in one arena (doc->arena), freed at once by act_doc_free. The tree is
 * read-only: never modify it or cJSON_Delete its nodes. The grammar is RFC
 * 8259's, stricter than cJSON's (no leading zeros, no raw control characters
 * in strings, only space, tab, CR and LF as whitespace); the refusals and
 * limits are act_doc_load's.
 */
enum act_status act_doc_load_instance(const char *path, struct act_doc **out,
                                      struct act_error *err) ACT_WUR;
enum act_status act_doc_parse_instance(const char *name, const char *text, size_t len,
                                       struct act_doc **out, struct act_error *err) ACT_WUR;

void act_doc_free(struct act_doc *doc);

/*
 * Find where the node at pointer (RFC 6901, "" = root) starts in the source:
 * sets *line and *col (1-based) and returns 1, or returns 0 when the pointer
 * does not lead to a node. The first few lookups of a document scan its
 * text; after them one pass indexes every node (JSON and YAML alike) and each
 * lookup costs a walk of the pointer. Meant for messages. For a document whose
 * tree was translated from its text (doc->srcmap), pointer is into the tree and
 * the position is that of the source node it came from (or of its nearest
 * ancestor that the source has).
 */
int act_doc_locate(const struct act_doc *doc, const char *pointer, int *line, int *col);

#endif
