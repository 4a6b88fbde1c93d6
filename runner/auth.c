/*
 * auth.c - Basic and OAuth2 client-credentials authentication for destinations.
 *
 * The token cache is one small JSON file per destination:
 *   {"token_url": ..., "client_id": ..., "scope": ..., "access_token": ..., "renew_at": EPOCH}
 * A cached token is used only when the token URL, client id and scope still
 * match the destination, and only until renew_at (a little before the token
 * expires). The file is written to a temporary name with mode 0600 and
 * renamed, so a reader never sees half a file.
 */
#include "auth.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "common/act_base64.h"
#include "parser/doc.h"

enum act_status act_auth_check(const struct act_dest *d, struct act_error *err)
{
    if (d->auth == ACT_AUTH_UNSUPPORTED)
        return act_error_set(err, ACT_ERR_UNSUPPORTED, d->file, d->line, 0,
                             "destination \"%s\" uses Authentication \"%s\", which is not "
                             "supported (supported: NoAuthentication, BasicAuthentication, "
                             "OAuth2ClientCredentials)",
                             d->name, d->auth_name ? d->auth_name : "?");
    if (d->missing_secret)
        return act_error_set(err, ACT_ERR_INVALID, d->file, d->line, 0,
                             "destination \"%s\": the secret \"%s\" was removed on export; supply "
                             "it in the destination file (e.g. %s=${ENV_VAR})",
                             d->name, d->missing_secret, d->missing_secret);
    const char *need = NULL;
    if (d->auth == ACT_AUTH_BASIC) {
        if (!d->user)
            need = "User";
        else if (!d->password)
            need = "Password";
    } else if (d->auth == ACT_AUTH_OAUTH2_CC) {
        if (!d->token_url)
            need = "tokenServiceURL";
        else if (!d->client_id)
            need = "clientId";
        else if (!d->client_secret)
            need = "clientSecret";
    }
    if (need)
        return act_error_set(err, ACT_ERR_INVALID, d->file, d->line, 0,
                             "destination \"%s\" (%s) has no %s", d->name, d->auth_name, need);
    return ACT_OK;
}

static enum act_status basic_value(const char *user, const char *pass, struct act_buf *out)
{
    struct act_buf raw;
    act_buf_init(&raw);
    enum act_status st = act_buf_printf(&raw, "%s:%s", user, pass);
    if (!st)
        st = act_buf_adds(out, "Basic ");
    if (!st)
        st = act_base64(out, (const unsigned char *)raw.data, raw.len);
    /* The joined credentials are a secret: do not leave them in freed memory. */
    if (raw.cap)
        memset(raw.data, 0, raw.len);
    act_buf_release(&raw);
    return st;
}

char *act_auth_cache_path(const char *dest_name)
{
    struct act_buf b;
    act_buf_init(&b);
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    enum act_status st;
    if (xdg && *xdg == '/')
        st = act_buf_printf(&b, "%s/actions/oauth2-%s.json", xdg, dest_name);
    else if (home && *home)
        st = act_buf_printf(&b, "%s/.cache/actions/oauth2-%s.json", home, dest_name);
    else
        return NULL;
    if (st) {
        act_buf_release(&b);
        return NULL;
    }
    return act_buf_detach(&b, NULL);
}

static int same(const char *a, const cJSON *b)
{
    if (!a)
        return cJSON_IsNull(b) || !b;
    return cJSON_IsString(b) && strcmp(a, b->valuestring) == 0;
}

/* The cached token for d if still good, else NULL (act_free). Any problem
 * reading the cache just means fetching a new token. */
static char *cache_read(const struct act_dest *d, const char *path, double *renew_at)
{
    /* Only a regular file: a FIFO planted at the cache's name must not hang the run. */
    int fd;
    size_t size;
    struct act_error ferr;
    act_error_init(&ferr);
    if (act_file_open(path, &fd, &size, &ferr))
        return NULL;
    char buf[16384];
    size_t n = 0;
    while (n < sizeof(buf) - 1) {
        ssize_t got = read(fd, buf + n, sizeof(buf) - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    cJSON *j = cJSON_ParseWithLength(buf, n);
    char *tok = NULL;
    if (j) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "access_token");
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "renew_at");
        if (cJSON_IsString(t) && *t->valuestring && !strpbrk(t->valuestring, "\r\n") &&
            cJSON_IsNumber(r) && (double)time(NULL) < r->valuedouble &&
            same(d->token_url, cJSON_GetObjectItemCaseSensitive(j, "token_url")) &&
            same(d->client_id, cJSON_GetObjectItemCaseSensitive(j, "client_id")) &&
            same(d->scope, cJSON_GetObjectItemCaseSensitive(j, "scope"))) {
            tok = act_strdup(t->valuestring);
            *renew_at = r->valuedouble;
        }
        cJSON_Delete(j);
    }
    memset(buf, 0, sizeof(buf));
    return tok;
}

/* mkdir -p for the directory part of path, mode 0700. */
static int make_dirs(const char *path)
{
    char *p = act_strdup(path);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            act_free(p);
            return -1;
        }
        *s = '/';
    }
    act_free(p);
    return 0;
}

/* Best effort: a cache that cannot be written only costs a token request. */
static void cache_write(const struct act_dest *d, const char *path, const char *token,
                        double renew_at)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return;
    cJSON_AddStringToObject(j, "token_url", d->token_url);
    cJSON_AddStringToObject(j, "client_id", d->client_id);
    if (d->scope)
        cJSON_AddStringToObject(j, "scope", d->scope);
    cJSON_AddStringToObject(j, "access_token", token);
    cJSON_AddNumberToObject(j, "renew_at", renew_at);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    struct act_buf tmp;
    act_buf_init(&tmp);
    if (text && make_dirs(path) == 0 &&
        act_buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid()) == ACT_OK) {
        /* O_EXCL: a leftover file of that name must not lend us its mode. */
        unlink(tmp.data);
        int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            size_t len = strlen(text);
            int ok = write(fd, text, len) == (ssize_t)len;
            ok = close(fd) == 0 && ok;
            if (!ok || rename(tmp.data, path) != 0)
                unlink(tmp.data);
        }
    }
    if (text) {
        memset(text, 0, strlen(text));
        cJSON_free(text);
    }
    act_buf_release(&tmp);
}

static enum act_status form_add(struct act_buf *b, const char *k, const char *v)
{
    enum act_status st = ACT_OK;
    if (b->len)
        st = act_buf_addc(b, '&');
    if (!st)
        st = act_buf_adds(b, k);
    if (!st)
        st = act_buf_addc(b, '=');
    if (!st)
        st = act_url_encode(b, v, strlen(v), NULL);
    return st;
}

static enum act_status fetch_token(const struct act_dest *d, const struct act_http_opts *http,
                                   char **token, double *renew_at, struct act_error *err)
{
    struct act_buf form, basic;
    struct act_headers h;
    struct act_http_resp resp;
    struct act_redactor red;
    act_redactor_init(&red);
    act_buf_init(&form);
    act_buf_init(&basic);
    act_headers_init(&h);
    act_http_resp_init(&resp);
    cJSON *j = NULL;
    *token = NULL;
    enum act_status st = form_add(&form, "grant_type", "client_credentials");
    if (!st && d->creds_in_body) {
        st = form_add(&form, "client_id", d->client_id);
        if (!st)
            st = form_add(&form, "client_secret", d->client_secret);
    } else if (!st) {
        st = basic_value(d->client_id, d->client_secret, &basic);
        if (!st)
            st = act_headers_add(&h, "Authorization", basic.data);
    }
    if (!st && d->scope)
        st = form_add(&form, "scope", d->scope);
    if (!st)
        st = act_headers_add(&h, "Content-Type", "application/x-www-form-urlencoded");
    if (!st)
        st = act_headers_add(&h, "Accept", "application/json");
    if (st) {
        act_error_set(err, st, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* The token service's answer may echo what it was sent (its reason phrase,
     * its "error" member): mask the client secret and the Basic credentials. */
    const char *b64 = basic.len ? strchr(basic.data, ' ') : NULL;
    if (act_redactor_add_secret(&red, d->client_secret) ||
        (b64 && act_redactor_add_secret(&red, b64 + 1))) {
        st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    struct act_http_opts o = *http;
    o.redact = &red;
    o.trace = 0;
    o.follow_redirects = 0;
    o.use_env_proxy = 1; /* the token service is on the Internet */
    if (o.max_size <= 0 || o.max_size > 1024 * 1024)
        o.max_size = 1024 * 1024;
    struct act_http_req req = {"POST", d->token_url, &h, form.data, form.len};
    struct act_error nerr;
    act_error_init(&nerr);
    st = act_http_perform(&req, &o, &resp, &nerr);
    if (st) {
        act_error_set(err, st == ACT_ERR_LIMIT ? ACT_ERR_NETWORK : st, NULL, 0, 0,
                      "cannot obtain an OAuth2 token for destination \"%s\": %s", d->name,
                      nerr.msg);
        st = err ? err->status : st;
        goto done;
    }
    j = cJSON_ParseWithLength(resp.body.data, resp.body.len);
    if (resp.status < 200 || resp.status > 299) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
        char echo[ACT_ECHO_SIZE] = "";
        struct act_buf masked;
        act_buf_init(&masked);
        if (cJSON_IsString(e) && act_redact_str(&red, e->valuestring, &masked) == ACT_OK)
            act_echo(echo, sizeof(echo), masked.data, masked.len);
        act_buf_release(&masked);
        st = act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                           "token service of destination \"%s\" refused the client credentials: "
                           "%ld %s%s%s%s",
                           d->name, resp.status, resp.reason ? resp.reason : "", *echo ? " (" : "",
                           echo, *echo ? ")" : "");
        goto done;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "access_token");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(j, "expires_in");
    if (!cJSON_IsString(t) || !*t->valuestring) {
        st = act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                           "token service of destination \"%s\" answered %ld without an "
                           "access_token",
                           d->name, resp.status);
        goto done;
    }
    if (strchr(t->valuestring, '\r') || strchr(t->valuestring, '\n')) {
        st = act_error_set(err, ACT_ERR_NETWORK, NULL, 0, 0,
                           "token service of destination \"%s\" sent an access_token with a "
                           "line break",
                           d->name);
        goto done;
    }
    *token = act_strdup(t->valuestring);
    if (!*token) {
        st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* Renew a minute early, or at three quarters of a short lifetime. */
    double life = cJSON_IsNumber(exp) ? exp->valuedouble : 0;
    double early = life >= 240 ? 60 : life / 4;
    *renew_at = life > 0 ? (double)time(NULL) + life - early : 0;
    st = ACT_OK;
done:
    cJSON_Delete(j);
    if (form.cap)
        memset(form.data, 0, form.len);
    if (basic.cap)
        memset(basic.data, 0, basic.len);
    if (resp.body.cap)
        memset(resp.body.data, 0, resp.body.len);
    act_buf_release(&form);
    act_buf_release(&basic);
    act_headers_release(&h);
    act_http_resp_release(&resp);
    act_redactor_release(&red);
    return st;
}

/* The Authorization value for d into v: Basic, or "Bearer TOKEN" (the token
 * from the cache file, else fetched; *renew_at says until when it is good,
 * 0 for Basic). */
static enum act_status authorization(const struct act_dest *d, const struct act_http_opts *http,
                                     struct act_buf *v, int *fetched, double *renew_at,
                                     struct act_error *err)
{
    *renew_at = 0;
    if (d->auth == ACT_AUTH_BASIC)
        return basic_value(d->user, d->password, v);
    char *path = act_auth_cache_path(d->name);
    char *tok = path ? cache_read(d, path, renew_at) : NULL;
    if (!tok) {
        enum act_status st = fetch_token(d, http, &tok, renew_at, err);
        if (st) {
            act_free(path);
            return st;
        }
        *fetched = 1;
        if (path && *renew_at > 0)
            cache_write(d, path, tok, *renew_at);
    }
    act_free(path);
    enum act_status st = act_buf_printf(v, "Bearer %s", tok);
    memset(tok, 0, strlen(tok));
    act_free(tok);
    return st;
}

void act_auth_session_init(struct act_auth_session *s)
{
    memset(s, 0, sizeof(*s));
}

void act_auth_session_release(struct act_auth_session *s)
{
    if (s->authorization)
        memset(s->authorization, 0, strlen(s->authorization));
    act_free(s->authorization);
    act_auth_session_init(s);
}

enum act_status act_auth_session_apply(struct act_auth_session *s, const struct act_dest *d,
                                       const struct act_http_opts *http, struct act_headers *h,
                                       int *fetched, struct act_error *err)
{
    int got = 0;
    if (fetched)
        *fetched = 0;
    enum act_status st = act_auth_check(d, err);
    if (st || d->auth == ACT_AUTH_NONE)
        return st;
    if (s && s->authorization && s->dest == d && (double)time(NULL) < s->renew_at) {
        /* Read once per run: the token this run already holds. */
        if (fetched)
            *fetched = s->fetched && !s->used;
        s->used = 1;
        st = act_headers_set(h, "Authorization", s->authorization);
        return st ? act_error_set(err, st, NULL, 0, 0, "out of memory") : ACT_OK;
    }
    struct act_buf v;
    act_buf_init(&v);
    double renew_at = 0;
    st = authorization(d, http, &v, &got, &renew_at, err);
    if (st && st != ACT_ERR_NOMEM) {
        act_buf_release(&v);
        return st;
    }
    if (!st)
        st = act_headers_set(h, "Authorization", v.data);
    if (!st && s && d->auth == ACT_AUTH_OAUTH2_CC) {
        char *keep = act_strdup(v.data);
        if (keep) { /* no copy kept: the next exchange reads the cache again */
            act_auth_session_release(s);
            s->authorization = keep;
            s->dest = d;
            s->renew_at = renew_at > 0 ? renew_at : 1e300; /* no expiry: the whole run */
            s->fetched = got;
            s->used = 1;
        }
    }
    if (fetched)
        *fetched = got;
    if (v.cap)
        memset(v.data, 0, v.len);
    act_buf_release(&v);
    if (st)
        return act_error_set(err, st, NULL, 0, 0, "out of memory");
    return ACT_OK;
}

enum act_status act_auth_prepare(struct act_auth_session *s, const struct act_dest *d,
                                 const struct act_http_opts *http)
{
    struct act_headers h;
    struct act_error err;
    act_headers_init(&h);
    act_error_init(&err);
    enum act_status st = act_auth_session_apply(s, d, http, &h, NULL, &err);
    act_headers_release(&h);
    s->used = 0; /* the first exchange reports where the token came from */
    return st;
}

enum act_status act_auth_apply(const struct act_dest *d, const struct act_http_opts *http,
                               struct act_headers *h, int *fetched, struct act_error *err)
{
    return act_auth_session_apply(NULL, d, http, h, fetched, err);
}
