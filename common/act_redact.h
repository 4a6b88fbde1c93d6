/*
 * act_redact.h - masking secrets in text the tool prints.
 *
 * Everything that leaves the process (results, -v traces, reports, error
 * messages) and may carry a credential goes through a redactor first. It masks
 * by shape and by value:
 *
 *   - header lines whose name is secret ("Authorization: Basic ..." becomes
 *     "Authorization: ***"): Authorization, Proxy-Authorization, Cookie,
 *     Set-Cookie, x-csrf-token, any name containing key, token, secret, auth,
 *     password, passwd, session, signature, credential or cookie, and names
 *     registered with act_redactor_add_header();
 *   - URL userinfo (user and password before "@" in "http:" "//user:pw@h/" become ***);
 *   - query and form parameters with secret-looking names (access_token,
 *     api_key, password, sig, ...) and names registered with
 *     act_redactor_add_query(): "?access_token=abc&x=1" becomes
 *     "?access_token=***&x=1";
 *   - JSON string members whose name is secret in the same sense
 *     ("access_token": "eyJ..." becomes "access_token": "***"), as in token
 *     responses and echoed headers;
 *   - known secret values (a destination's password, client secret, the
 *     current token) wherever they appear, also in their percent-encoded and
 *     JSON-escaped forms.
 *
 * The mask is ACT_REDACT_MASK. Values shorter than ACT_REDACT_MIN_SECRET are
 * not searched for as plain text (masking every "ab" would make output
 * unreadable); they are still masked in headers, userinfo, secret parameters
 * and JSON members.
 *
 * Embed a struct act_redactor, act_redactor_init it, add secrets, redact, then
 * act_redactor_release it. The redactor copies what it is given. No function
 * here prints anything.
 */
#ifndef ACT_COMMON_ACT_REDACT_H
#define ACT_COMMON_ACT_REDACT_H

#include <stddef.h>

#include "act_buf.h"
#include "act_limits.h"
#include "act_status.h"

#define ACT_REDACT_MASK "***"

struct act_redactor {
    char **secrets; /* known secret values, longest first (owned) */
    size_t n_secrets;
    char **headers; /* extra header names to mask, lowercase (owned) */
    size_t n_headers;
    char **queries; /* extra query parameter names to mask, lowercase (owned) */
    size_t n_queries;
};

void act_redactor_init(struct act_redactor *r);
/* Free everything the redactor holds; it is left initialized and empty. */
void act_redactor_release(struct act_redactor *r);

/*
 * Remember a secret value (copied), with its percent-encoded and JSON-escaped
 * forms when they differ. NULL and "" are ignored. ACT_ERR_NOMEM on failure
 * (the redactor is unchanged then).
 */
enum act_status act_redactor_add_secret(struct act_redactor *r, const char *value) ACT_WUR;
/* Mask the value of header name (case-insensitive) from now on. */
enum act_status act_redactor_add_header(struct act_redactor *r, const char *name) ACT_WUR;
/* Mask the value of query/form parameter name (case-insensitive) from now on. */
enum act_status act_redactor_add_query(struct act_redactor *r, const char *name) ACT_WUR;

/* 1 when a header of this name (len bytes) carries a secret value. r may be NULL. */
int act_redact_is_secret_header(const struct act_redactor *r, const char *name, size_t len);
/* 1 when a query/form parameter of this name (len bytes) carries a secret value. */
int act_redact_is_secret_query(const struct act_redactor *r, const char *name, size_t len);

/*
 * Append to out one header "Name: value" (len bytes, no line end): the value
 * becomes ACT_REDACT_MASK when the name is secret; otherwise it is copied
 * with known secrets masked. A line without ':' is treated as text.
 */
enum act_status act_redact_header(const struct act_redactor *r, const char *line, size_t len,
                                  struct act_buf *out) ACT_WUR;

/*
 * Append text (len bytes, any number of lines) to out with every secret
 * masked: header-shaped lines ("Name: value" at the start of a line) whose
 * name is secret, URL userinfo, secret query/form parameters, known values.
 * r may be NULL (then only the shapes are masked). Line ends are kept.
 */
enum act_status act_redact_text(const struct act_redactor *r, const char *text, size_t len,
                                struct act_buf *out) ACT_WUR;

/* act_redact_text of a NUL-terminated string, replacing out's contents. */
enum act_status act_redact_str(const struct act_redactor *r, const char *text,
                               struct act_buf *out) ACT_WUR;

#endif
