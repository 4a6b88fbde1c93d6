/*
 * dest.h - destinations: named backends with URL, proxy type and authentication.
 *
 * Loaded from YAML or JSON (`destinations:` list of objects) or from a
 * directory (or single file) of BTP-exported Java-properties files. Property
 * names are those of BTP destinations (CLI.md). `${VAR}` in a value is taken
 * from the environment. Secrets stay in this struct only: nothing here prints.
 */
#ifndef ACT_RUNNER_DEST_H
#define ACT_RUNNER_DEST_H

#include <stddef.h>

#include "common/act_error.h"

enum act_proxy_type {
    ACT_PROXY_INTERNET,  /* ProxyType: Internet (the default) */
    ACT_PROXY_ONPREMISE, /* ProxyType: OnPremise: only through the connector */
};

enum act_auth_type {
    ACT_AUTH_NONE,        /* NoAuthentication */
    ACT_AUTH_BASIC,       /* BasicAuthentication: User, Password (preemptive) */
    ACT_AUTH_OAUTH2_CC,   /* OAuth2ClientCredentials: tokenServiceURL, clientId, clientSecret */
    ACT_AUTH_UNSUPPORTED, /* a known BTP type this tool cannot perform (SAML, principal propagation...) */
};

/* A name/value pair: a property, or a URL.headers.* / URL.queries.* entry. */
struct act_kv {
    char *name;  /* property name as written ("URL.headers.X-Api-Key" keeps only "X-Api-Key" in headers) */
    char *value; /* value after ${VAR} expansion and properties unescaping */
    int line;    /* line in the destination file, 0 when unknown */
};

struct act_dest {
    char *name;                 /* Name */
    char *url;                  /* URL (http or https) */
    enum act_proxy_type proxy;  /* ProxyType */
    enum act_auth_type auth;    /* Authentication */
    char *auth_name;            /* Authentication as written, for messages */
    char *user, *password;      /* BasicAuthentication */
    char *token_url;            /* OAuth2: tokenServiceURL */
    char *client_id, *client_secret; /* OAuth2 */
    char *scope;                /* OAuth2: optional scope */
    int creds_in_body;          /* tokenService.addClientCredentialsInBody (default true) */
    char *location_id;          /* CloudConnectorLocationId, or NULL */
    int trust_all;              /* TrustAll=true */
    int pa_enabled;             /* sap.processautomation.enabled=true */
    int actions_enabled;        /* sap.applicationdevelopment.actions.enabled=true */
    struct act_kv *headers;     /* URL.headers.<Name>: added to every call */
    size_t n_headers;
    struct act_kv *queries;     /* URL.queries.<name>: added to every call */
    size_t n_queries;
    struct act_kv *props;       /* every property as loaded (for `dest show`) */
    size_t n_props;
    char *missing_secret;       /* name of a secret removed on export ("Password"), or NULL */
    char *file;                 /* file the destination came from */
    int line;                   /* line where it starts */
};

struct act_destset {
    struct act_dest *v; /* destinations in file order */
    size_t n;
    char *source;       /* the file or directory loaded */
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

/* The destination named name, or NULL. */
const struct act_dest *act_destset_find(const struct act_destset *ds, const char *name);

/* 1 when the property name holds a secret (Password, clientSecret, tokens...). */
int act_dest_is_secret(const char *prop_name);

#endif
