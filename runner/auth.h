/*
 * auth.h - a destination's authentication turned into request headers.
 *
 * BasicAuthentication is preemptive (the header goes with the first request).
 * OAuth2ClientCredentials obtains a token from tokenServiceURL through http.c
 * and caches it per destination in $XDG_CACHE_HOME/actions/ (default
 * ~/.cache/actions/), mode 0600, reused until shortly before expires_in runs
 * out. Secrets go into headers only, never into messages.
 */
#ifndef ACT_RUNNER_AUTH_H
#define ACT_RUNNER_AUTH_H

#include "common/act_error.h"
#include "runner/dest.h"
#include "runner/http.h"

/*
 * Check that d can authenticate: ACT_ERR_UNSUPPORTED for an authentication
 * type this tool cannot perform, ACT_ERR_INVALID naming a secret removed on
 * export or a missing User/Password/clientId/clientSecret/tokenServiceURL.
 */
enum act_status act_auth_check(const struct act_dest *d, struct act_error *err) ACT_WUR;

/*
 * Add d's Authorization header to h (replacing one already there): Basic, or
 * "Bearer TOKEN" for OAuth2 (from the cache, else fetched with http). Sets
 * *fetched (when not NULL) to 1 when a token was requested from the token
 * service. Token service failures are ACT_ERR_NETWORK with its status (a
 * refusal, e.g. a wrong client secret) or the network cause.
 */
enum act_status act_auth_apply(const struct act_dest *d, const struct act_http_opts *http,
                               struct act_headers *h, int *fetched, struct act_error *err) ACT_WUR;

/*
 * The authentication of one run: the OAuth2 token is read (from the cache
 * file, else the token service) once per run and reused by every exchange of
 * the run until shortly before it expires. Zero-filled (or
 * act_auth_session_init) is empty; act_auth_session_release wipes the token.
 * A run that forks workers prepares it first (act_auth_prepare), so that they
 * all start with the token.
 */
struct act_auth_session {
    const struct act_dest *dest; /* whose token it is */
    char *authorization;         /* "Bearer TOKEN", or NULL */
    double renew_at;             /* time() from which it is read again */
    int fetched;                 /* it came from the token service */
    int used;                    /* an exchange was told where it came from */
};

void act_auth_session_init(struct act_auth_session *s);
void act_auth_session_release(struct act_auth_session *s);

/* act_auth_apply through the session s (NULL: none): the token it holds for d,
 * else one read and kept. *fetched is 1 for the first use of a token that came
 * from the token service. */
enum act_status act_auth_session_apply(struct act_auth_session *s, const struct act_dest *d,
                                       const struct act_http_opts *http, struct act_headers *h,
                                       int *fetched, struct act_error *err) ACT_WUR;

/* Obtain d's token into s ahead of the exchanges (before forking workers).
 * A failure is left for the exchanges to meet and report. */
enum act_status act_auth_prepare(struct act_auth_session *s, const struct act_dest *d,
                                 const struct act_http_opts *http);

/* The token cache file of destination name (act_free), or NULL when no
 * cache directory can be determined (no $XDG_CACHE_HOME and no $HOME). */
char *act_auth_cache_path(const char *dest_name);

#endif
