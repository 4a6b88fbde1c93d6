/*
 * dest.h - destinations: named backends with URL, proxy type and authentication.
 *
 * Loaded from YAML or JSON (`destinations:` list of objects) or from a
 * directory (or single file) of BTP-exported Java-properties files. Property
 * names are those of SAP BTP destinations. `${VAR}` in a value is taken
 * from the environment. Secrets stay in this struct only: nothing here prints.
 */
#ifndef ACT_RUNNER_DEST_H
#define ACT_RUNNER_DEST_H

#include <stddef.h>

#include "common/act_error.h"
#include "common/act_limits.h"
#include "common/act_redact.h"

enum act_proxy_type {
    ACT_PROXY_INTERNET,  /* ProxyType: Internet (the default) */
    ACT_PROXY_ONPREMISE, /* ProxyType: OnPremise: only through the connector */
};

enum act_auth_type {
    ACT_AUTH_NONE,        /* NoAuthentication */
    ACT_AUTH_BASIC,       /* BasicAuthentication: User, Password (preemptive) */
    ACT_AUTH_OAUTH2_CC,   /* OAuth2ClientCredentials: tokenServiceURL, clientId, clientSecret */
    ACT_AUTH_UNSUPPORTED, /* a known BTP type this tool cannot perform (SAML, principal
                             propagation...) */
};

/* A name/value pair: a property, or a URL.headers.* / URL.queries.* entry. */
struct act_kv {
    char *name;  /* property name as written ("URL.headers.X-Api-Key" keeps only "X-Api-Key" in
                    headers) */
    char *value; /* value after ${VAR} expansion and properties unescaping */
    int line;    /* line in the destination file, 0 when unknown */
};

struct act_dest {
    char *name;                      /* Name */
    char *url;                       /* URL (http or https) */
    enum act_proxy_type proxy;       /* ProxyType */
    enum act_auth_type auth;         /* Authentication */
    char *auth_name;                 /* Authentication as written, for messages */
    char *user, *password;           /* BasicAuthentication */
    char *token_url;                 /* OAuth2: tokenServiceURL */
    char *client_id, *client_secret; /* OAuth2 */
    char *scope;                     /* OAuth2: optional scope */
    int creds_in_body;               /* tokenService.addClientCredentialsInBody (default true) */
    char *location_id;               /* CloudConnectorLocationId, or NULL */
    int trust_all;                   /* TrustAll=true */
    int pa_enabled;                  /* sap.processautomation.enabled=true */
    int actions_enabled;             /* sap.applicationdevelopment.actions.enabled=true */
    struct act_kv *headers;          /* URL.headers.<Name>: added to every call */
    size_t n_headers;
    struct act_kv *queries; /* URL.queries.<name>: added to every call */
    size_t n_queries;
    struct act_kv *props; /* every property as loaded (for `dest show`) */
    size_t n_props;
    char *missing_secret; /* name of a secret removed on export ("Password"), or NULL */
    char *file;           /* file the destination came from */
    int line;             /* line where it starts */
    int from_properties;  /* 1 when read from a Java-properties file (for hints) */
};

struct act_destset {
    struct act_dest *v; /* destinations in file order */
    size_t n;
    char *source; /* the file or directory loaded */
};

/*
 * Load destinations from path: a .yaml/.yml/.json file, a properties file, or
 * a directory of properties files. Validates names (letters, digits, _ and -,
 * at most 200), Type HTTP, URL scheme, ProxyType, Authentication; duplicate
 * names are an error. Errors carry file:line. *out: free with act_destset_free.
 */
enum act_status act_destset_load(const char *path, struct act_destset **out,
                                 struct act_error *err) ACT_WUR;
void act_destset_free(struct act_destset *ds);

/*
 * Read text (len bytes, need not be NUL-terminated) as one Java-properties
 * destination file called name (for messages), as act_destset_load reads a
 * properties file: the same checks and errors. *out holds one destination;
 * free with act_destset_free.
 */
enum act_status act_destset_parse_properties(const char *name, const char *text, size_t len,
                                             struct act_destset **out,
                                             struct act_error *err) ACT_WUR;

/* The destination named name, or NULL. */
const struct act_dest *act_destset_find(const struct act_destset *ds, const char *name);

/* 1 when the property name holds a secret (Password, clientSecret, tokens...). */
int act_dest_is_secret(const char *prop_name);

/*
 * Details of the contract above, for the commands that use destinations:
 *
 * - Every char * of struct act_dest and struct act_kv is owned by the set
 *   (NULL when the property is absent); borrow them until act_destset_free.
 * - Properties are kept in props in file order, values after ${VAR} expansion.
 *   `${NAME}` takes the environment variable NAME (letters, digits, _; not
 *   starting with a digit); `$${` writes a literal `${`; any other `$` is
 *   literal. An undefined variable is ACT_ERR_INVALID naming it and file:line.
 * - Defaults: Type HTTP, ProxyType Internet, Authentication NoAuthentication,
 *   tokenService.addClientCredentialsInBody true, booleans false. Booleans are
 *   true/false in any case (YAML booleans or strings, as exported).
 * - missing_secret: the secret(s) an export removed ("Password", or several
 *   joined by ", ") that the file does not supply otherwise. Such a
 *   destination loads; commands that need the secret refuse with a hint.
 * - In a directory, every regular file not starting with '.' and not ending
 *   in '~' is read, in name order: *.yaml, *.yml, *.json as YAML/JSON, the
 *   rest as properties files (one destination each). A file given directly
 *   without a .yaml/.yml/.json extension is read as YAML/JSON when its first
 *   line that is not blank or a comment starts with '{', '[', "---" or
 *   "destinations:", else as a properties file.
 * - Limits: at most ACT_MAX_DESTINATIONS destinations, files as act_doc_load.
 */

/* The value of property name (exact name) of d, or NULL. */
const char *act_dest_prop(const struct act_dest *d, const char *name);

/*
 * Up to max destination names closest to name (case-insensitive edit
 * distance, prefix and substring matches), best first, borrowed from ds.
 */
size_t act_destset_suggest(const struct act_destset *ds, const char *name, const char **out,
                           size_t max);

/*
 * Teach r everything of d that must never be printed: the values of secret
 * properties (password, client secret, secret URL.headers / URL.queries), the
 * Basic credentials in base64 ("user:password"), and the names of secret
 * URL.headers / URL.queries. ACT_ERR_NOMEM on failure.
 */
enum act_status act_dest_add_secrets(const struct act_dest *d, struct act_redactor *r) ACT_WUR;

/* "Internet" / "OnPremise". */
const char *act_proxy_name(enum act_proxy_type p);

#endif
