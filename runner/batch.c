/*
 * batch.c - many actions in one run (batch.h): in order, or in forked worker processes.
 *
 * The workers take the next action from a counter in shared memory and send one JSON
 * line per event through a pipe ({"i":N,"start":true} before an action, its record
 * with "i" after); the parent keeps the records by plan index. With fail_fast a flag
 * beside the counter stops them: a worker reads it before taking the next action, and
 * sets it when one of its actions fails. An action whose worker stopped before
 * reporting it fails, saying how the worker ended.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/act_alloc.h"
#include "runner/batch.h"
#include "runner/record.h"

void act_plan_params_used(const struct act_spec *spec, const struct act_op *const *ops,
                          size_t n_ops, const struct act_job *j, char *used)
{
    size_t n_used = 0;
    for (size_t k = 0; k < n_ops && n_used < j->n_params; k++) {
        struct act_param *ps = NULL;
        size_t np = 0;
        struct act_error err;
        act_error_init(&err);
        if (act_spec_op_params(spec, ops[k], &ps, &np, &err))
            continue;
        for (size_t i = 0; i < j->n_params; i++)
            for (size_t m = 0; !used[i] && m < np; m++)
                if (strcmp(ps[m].name, j->params[i].name) == 0) {
                    used[i] = 1;
                    n_used++;
                }
        act_free(ps);
    }
}

/* Is rec a failure for fail_fast (failed or unreachable)? */
static int is_failure(const cJSON *rec)
{
    enum act_outcome o = act_report_outcome(rec);
    return o == ACT_OUTCOME_FAIL || o == ACT_OUTCOME_UNREACHABLE;
}

/* Run op with the values of the job that name one of its parameters and its entry of
 * the values file; its record (NULL: out of memory). */
static cJSON *run_record(struct act_run *r, const struct act_op *op, const struct act_plan *p)
{
    const struct act_job *all = p->job;
    act_run_reset(r);
    r->op = op;
    struct act_param *params = NULL;
    size_t n = 0;
    struct act_error err;
    act_error_init(&err);
    struct act_arg *mine = act_calloc(all->n_params + 1, sizeof(*mine));
    if (!mine)
        return NULL;
    enum act_status st = act_spec_op_params(r->spec, op, &params, &n, &err);
    struct act_job j = *all;
    j.params = mine;
    j.n_params = 0;
    for (size_t i = 0; !st && i < all->n_params; i++)
        for (size_t k = 0; k < n; k++)
            if (strcmp(params[k].name, all->params[i].name) == 0) {
                mine[j.n_params++] = all->params[i];
                break;
            }
    const struct act_values_entry *e = act_values_find(p->values, op);
    struct act_job vj = j;
    if (!st && e && act_values_job(&j, e, &vj)) {
        act_free(params);
        act_free(mine);
        return NULL;
    }
    int missing = 0;
    if (!st)
        st = act_run_one(r, &vj, &missing, &err);
    if (vj.params != j.params) {
        act_free((void *)vj.params);
        act_free((void *)vj.headers);
    }
    act_free(params);
    act_free(mine);
    if (st == ACT_ERR_NOMEM)
        return NULL;
    if (st) {
        char buf[ACT_ERROR_MSG_MAX * 3];
        act_error_format(&err, buf, sizeof(buf));
        if (missing) {
            r->outcome = ACT_OUTCOME_SKIP;
            if (!(r->skipped = act_strdup(buf)))
                return NULL;
        } else {
            r->outcome = ACT_OUTCOME_FAIL;
            if (act_msgs_add(&r->problems, "%s", buf))
                return NULL;
        }
    }
    return act_run_record(r);
}

/* Shared with the workers: the next action to take, and fail_fast's stop flag. */
struct shared {
    int next;
    int stop;
};

/* Write all of len bytes of s to fd; -1 on failure. */
static int write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

/* A worker: take the next action from sh->next until none is left (or sh->stop is
 * set); one JSON line per event on fd. */
static void worker(struct act_run *r, const struct act_plan *p, struct shared *sh, int fail_fast,
                   int fd)
{
    for (;;) {
        if (__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST))
            return;
        int i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_SEQ_CST);
        if (i < 0 || (size_t)i >= p->n)
            return;
        char start[64];
        int l = snprintf(start, sizeof(start), "{\"i\":%d,\"start\":true}\n", i);
        if (write_all(fd, start, (size_t)l))
            return;
        cJSON *rec = run_record(r, p->ops[i], p);
        if (fail_fast && rec && is_failure(rec))
            __atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
        char *line = NULL;
        if (rec && cJSON_AddNumberToObject(rec, "i", i))
            line = cJSON_PrintUnformatted(rec);
        cJSON_Delete(rec);
        if (!line) /* out of memory: the parent reports the action as stopped */
            return;
        int bad = write_all(fd, line, strlen(line)) || write_all(fd, "\n", 1);
        cJSON_free(line);
        if (bad)
            return;
    }
}

/* One worker as the parent sees it. */
struct wk {
    pid_t pid;
    int fd;            /* read end of its pipe, -1 once closed */
    struct act_buf in; /* bytes of an incomplete line */
    long cur;          /* action it started and has not reported, or -1 */
};

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A batch while it runs. */
struct running {
    struct act_batch *b;
    const struct act_batch_events *ev;
    struct shared *sh; /* sh->stop: fail_fast stopped the run */
    int fail_fast;
};

static void tell(struct running *run)
{
    if (run->ev && run->ev->result)
        run->ev->result(run->ev->ctx, run->b);
}

/* Record i's result (out of memory: rec NULL, nothing kept). */
static void keep(struct running *run, size_t i, cJSON *rec)
{
    struct act_batch *b = run->b;
    if (!rec || b->recs[i]) {
        cJSON_Delete(rec);
        return;
    }
    b->recs[i] = rec;
    b->done++;
    if (is_failure(rec)) {
        b->failed++;
        if (run->fail_fast)
            __atomic_store_n(&run->sh->stop, 1, __ATOMIC_SEQ_CST);
    }
}

/* Handle the complete lines in w->in. */
static void take_lines(const struct act_plan *p, struct wk *w, struct running *run)
{
    char *data = w->in.data;
    size_t used = 0;
    for (;;) {
        char *nl = memchr(data + used, '\n', w->in.len - used);
        if (!nl)
            break;
        cJSON *rec = cJSON_ParseWithLength(data + used, (size_t)(nl - (data + used)));
        used = (size_t)(nl - data) + 1;
        const cJSON *iv = cJSON_GetObjectItemCaseSensitive(rec, "i");
        if (!cJSON_IsNumber(iv) || iv->valuedouble < 0 || iv->valuedouble >= (double)p->n) {
            cJSON_Delete(rec);
            continue;
        }
        size_t i = (size_t)iv->valuedouble;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "start"))) {
            w->cur = (long)i;
            cJSON_Delete(rec);
            continue;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(rec, "i");
        keep(run, i, rec);
        w->cur = -1;
    }
    memmove(data, data + used, w->in.len - used);
    w->in.len -= used;
    tell(run);
}

/* Run the plan in jobs worker processes, filling the records. */
static enum act_status run_workers(struct act_run *r, const struct act_plan *p, int jobs,
                                   struct running *run, struct act_error *err)
{
    struct shared *sh = run->sh;
    struct wk *ws = act_calloc((size_t)jobs, sizeof(*ws));
    struct pollfd *pf = act_calloc((size_t)jobs, sizeof(*pf));
    int started = 0;
    enum act_status st = ACT_OK;
    if (!ws || !pf) {
        st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* The OAuth2 token read once for the run, before the workers copy the session
     * (a failure is met and reported by each action, as without workers). */
    if (r->dest)
        (void)act_auth_prepare(&r->auth, r->dest, &r->http);
    fflush(NULL); /* nothing buffered may be written twice */
    for (; started < jobs; started++) {
        int fds[2];
        if (pipe(fds) != 0)
            break;
        pid_t pid = fork();
        if (pid < 0) {
            close(fds[0]);
            close(fds[1]);
            break;
        }
        if (pid == 0) {
            close(fds[0]);
            for (int k = 0; k < started; k++)
                close(ws[k].fd);
            worker(r, p, sh, run->fail_fast, fds[1]);
            close(fds[1]);
            fflush(NULL);
            _exit(0);
        }
        close(fds[1]);
        ws[started].pid = pid;
        ws[started].fd = fds[0];
        ws[started].cur = -1;
        act_buf_init(&ws[started].in);
    }
    if (started == 0) {
        st = act_error_set(err, ACT_ERR_IO, NULL, 0, 0, "cannot start worker processes: %s",
                           strerror(errno));
        goto done;
    }
    int idle_ms = run->ev && run->ev->idle ? run->ev->idle_ms : -1;
    for (int open = started; open > 0;) {
        for (int k = 0; k < started; k++) {
            pf[k].fd = ws[k].fd;
            pf[k].events = POLLIN;
            pf[k].revents = 0;
        }
        int ready = poll(pf, (nfds_t)started, idle_ms);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (ready == 0) { /* only the elapsed time changed */
            run->ev->idle(run->ev->ctx, run->b);
            continue;
        }
        for (int k = 0; k < started; k++) {
            struct wk *w = &ws[k];
            if (w->fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char chunk[65536];
            ssize_t got = read(w->fd, chunk, sizeof(chunk));
            if (got < 0 && errno == EINTR)
                continue;
            if (got > 0) {
                if (act_buf_add(&w->in, chunk, (size_t)got)) {
                    kill(w->pid, SIGKILL);
                    got = 0;
                } else {
                    take_lines(p, w, run);
                    continue;
                }
            }
            /* End of this worker: reap it; an action it left unreported failed. */
            close(w->fd);
            w->fd = -1;
            open--;
            int status = 0;
            while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
                ;
            if (w->cur >= 0 && !run->b->recs[w->cur]) {
                char why[160];
                if (WIFSIGNALED(status))
                    snprintf(why, sizeof(why),
                             "the worker running this action stopped on signal %d (%s)",
                             WTERMSIG(status), strsignal(WTERMSIG(status)));
                else
                    snprintf(why, sizeof(why),
                             "the worker running this action stopped without a result "
                             "(exit status %d)",
                             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
                keep(run, (size_t)w->cur, act_run_failed_record(r, p->ops[w->cur], why));
                tell(run);
            }
            w->cur = -1;
        }
    }
done:
    for (int k = 0; ws && k < started; k++) {
        if (ws[k].fd >= 0) {
            close(ws[k].fd);
            kill(ws[k].pid, SIGKILL);
            waitpid(ws[k].pid, NULL, 0);
        }
        act_buf_release(&ws[k].in);
    }
    act_free(ws);
    act_free(pf);
    return st;
}

enum act_status act_batch_run(struct act_run *r, const struct act_plan *p, int jobs, int fail_fast,
                              const struct act_batch_events *ev, struct act_batch *b,
                              struct act_error *err)
{
    memset(b, 0, sizeof(*b));
    b->n = p->n;
    struct shared *sh =
        mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return act_error_set(err, ACT_ERR_IO, NULL, 0, 0,
                             "cannot share memory with the workers: %s", strerror(errno));
    sh->next = 0;
    sh->stop = 0;
    b->recs = act_calloc(p->n ? p->n : 1, sizeof(cJSON *));
    if (!b->recs) {
        munmap(sh, sizeof(*sh));
        return act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    struct running run = {b, ev, sh, fail_fast};
    double t0 = now_secs();
    enum act_status st = ACT_OK;
    if (jobs > 1 && p->n > 1) {
        st = run_workers(r, p, jobs < (int)p->n ? jobs : (int)p->n, &run, err);
    } else {
        for (size_t i = 0; i < p->n && !sh->stop; i++) {
            cJSON *rec = run_record(r, p->ops[i], p);
            if (!rec) {
                st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            keep(&run, i, rec);
            tell(&run);
        }
    }
    struct act_tally t = {{0}, 0, now_secs() - t0, 0};
    for (size_t i = 0; st == ACT_OK && i < p->n; i++) {
        if (!b->recs[i]) /* fail_fast stopped the run, or every worker stopped */
            b->recs[i] = sh->stop ? act_run_not_run_record(r, p->ops[i])
                                  : act_run_failed_record(r, p->ops[i],
                                                          "not run: every worker process stopped");
        if (!b->recs[i]) {
            st = act_error_set(err, ACT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        act_tally_add(&t, b->recs[i]);
    }
    b->t = t;
    munmap(sh, sizeof(*sh));
    return st;
}

void act_batch_release(struct act_batch *b)
{
    for (size_t i = 0; b->recs && i < b->n; i++)
        cJSON_Delete(b->recs[i]);
    act_free(b->recs);
    b->recs = NULL;
}
