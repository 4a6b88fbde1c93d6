/*
 * doc_yaml.h - the YAML back end of act_doc (parser-internal): libyaml's events
 * straight into a cJSON tree, and the event helpers the locator and position index
 * (doc_yaml_index.c) read the same text with. libyaml is used by these two files only.
 */
#ifndef ACT_PARSER_DOC_YAML_H
#define ACT_PARSER_DOC_YAML_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/act_error.h"
#include "common/act_status.h"

struct yaml_parser_s; /* yaml_parser_t */
struct yaml_event_s;  /* yaml_event_t */

/*
 * Parse YAML text (len bytes; text[len] is NUL) from the file named name into a
 * new cJSON tree (*out, caller frees with cJSON_Delete). YAML 1.2 core schema
 * typing for plain scalars; anchors/aliases expanded within ACT_MAX_ALIAS_NODES;
 * merge keys; duplicate keys, more than one document, nesting deeper than
 * ACT_MAX_DEPTH and non-scalar keys are errors. Errors carry name:line:col.
 * Allocates with act_malloc (cJSON's hooks) so OOM is ACT_ERR_NOMEM.
 */
enum act_status act_yaml_parse(const char *name, const char *text, size_t len, cJSON **out,
                               struct act_error *err) ACT_WUR;

/* Give text to the parser p as UTF-8, past a byte order mark. */
void act_yaml_set_input(struct yaml_parser_s *p, const char *text, size_t len);
/* A libyaml mark (0-based size_t) as our 1-based int. */
int act_yaml_pos1(size_t v);
/* 1 when the scalar event ev is the merge key: a plain "<<", or one tagged !!merge. */
int act_yaml_is_merge_key(const struct yaml_event_s *ev);

#endif
