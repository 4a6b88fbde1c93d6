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

/* The token cache file of destination name (act_free), or NULL when no
 * cache directory can be determined (no $XDG_CACHE_HOME and no $HOME). */
char *act_auth_cache_path(const char *dest_name);

#endif
