/*
 * cmd_test_all.c - `actions test --all`: every action of the plan, in spec
 * order, with a summary line.
 *
 * --jobs N forks N workers (fork isolates them: a crash in one is one failed
 * action, and nothing shared needs locking). They take the next action from a
 * counter in shared memory and send one JSON line per result through a pipe;
 * the parent prints results in spec order as they complete. With --fail-fast a
 * flag beside the counter stops them: a worker reads it before taking the next
 * action, and sets it when one of its actions fails.
 *
 * On a terminal a progress line (done/total, failed, elapsed) is redrawn below
 * the results and erased before each result line and at the end.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "cli.h"
#include "cmd_test.h"
#include "common/act_alloc.h"

/* ------------------------------------------------------------------ --all */

/* Is rec a failure for --fail-fast (failed or unreachable)? */
static int is_failure(const cJSON *rec)
{
    enum act_outcome o = act_report_outcome(rec);
    return o == ACT_OUTCOME_FAIL || o == ACT_OUTCOME_UNREACHABLE;
}

/* Run op with the -p values that name one of its parameters and its --values; its
 * record (NULL: out of memory). */
static cJSON *run_record(struct run *r, const struct act_op *op, const struct plan *p)
{
    const struct job *all = p->job;
    test_run_reset(r);
    r->op = op;
    struct act_param *params = NULL;
    size_t n = 0;
    struct act_error err;
    act_error_init(&err);
    struct act_arg *mine = act_calloc(all->n_params + 1, sizeof(*mine));
    if (!mine)
        return NULL;
    enum act_status st = act_spec_op_params(r->spec, op, &params, &n, &err);
    struct job j = *all;
    j.params = mine;
    j.n_params = 0;
    for (size_t i = 0; !st && i < all->n_params; i++)
        for (size_t k = 0; k < n; k++)
            if (strcmp(params[k].name, all->params[i].name) == 0) {
                mine[j.n_params++] = all->params[i];
                break;
            }
    const struct values_entry *e = test_values_find(p->values, op);
    struct job vj = j;
    if (!st && e && test_values_job(&j, e, &vj)) {
        act_free(params);
        act_free(mine);
        return NULL;
    }
    int missing = 0;
    if (!st)
        st = test_run_one(r, &vj, &missing, &err);
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
            r->outcome = OUT_SKIP;
            if (!(r->skipped = act_strdup(buf)))
                return NULL;
        } else {
            r->outcome = OUT_FAIL;
            if (act_msgs_add(&r->problems, "%s", buf))
                return NULL;
        }
    }
    return test_record(r);
}

/* Shared with the workers: the next action to take, and --fail-fast's stop flag. */
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
 * set); one JSON line per event on fd: {"i":N,"start":true} before, the record with
 * "i" after. */
static void worker(struct run *r, const struct plan *p, struct shared *sh, int fail_fast, int fd)
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

/* A failed record for an action whose worker stopped before reporting it. */
static cJSON *stopped_record(struct run *r, const struct act_op *op, const char *why)
{
    test_run_reset(r);
    r->op = op;
    r->outcome = OUT_FAIL;
    if (act_msgs_add(&r->problems, "%s", why))
        return NULL;
    return test_record(r);
}

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct results {
    cJSON **recs;   /* by plan index, NULL until known */
    size_t n;       /* actions in the plan */
    size_t printed; /* records before this index are printed */
    const struct outs *o;
    struct shared *sh; /* sh->stop: --fail-fast stopped the run */
    double t0;         /* when the run started */
    size_t done;       /* records known */
    size_t failed;     /* of them failed or unreachable */
    int drawn;         /* the progress line is on the screen */
};

/* The progress line, redrawn in place. */
static void progress_draw(struct results *res)
{
    if (!res->o->progress)
        return;
    printf("\r\033[K%zu/%zu done, %zu failed, %.1f s", res->done, res->n, res->failed,
           now_secs() - res->t0);
    fflush(stdout);
    res->drawn = 1;
}

static void progress_erase(struct results *res)
{
    if (!res->drawn)
        return;
    fputs("\r\033[K", stdout);
    fflush(stdout);
    res->drawn = 0;
}

/* Print the records that are now next in order: text lines on stdout (for the text
 * format) and ::error lines (stdout for text, else stderr). */
static void flush_in_order(struct results *res)
{
    const struct outs *o = res->o;
    int any = 0;
    while (res->printed < res->n && res->recs[res->printed]) {
        const cJSON *rec = res->recs[res->printed++];
        if (!any++)
            progress_erase(res);
        if (o->fmt == FMT_TEXT)
            act_report_text(stdout, rec, o->color);
        if (o->gha)
            act_report_gha(o->fmt == FMT_TEXT ? stdout : stderr, rec);
    }
    if (any) {
        fflush(stdout);
        progress_draw(res);
    }
}

/* Record i's result (out of memory: rec NULL, nothing kept). */
static void keep(struct results *res, size_t i, cJSON *rec)
{
    if (!rec || res->recs[i]) {
        cJSON_Delete(rec);
        return;
    }
    res->recs[i] = rec;
    res->done++;
    if (is_failure(rec)) {
        res->failed++;
        if (res->o->fail_fast)
            __atomic_store_n(&res->sh->stop, 1, __ATOMIC_SEQ_CST);
    }
}

/* Handle the complete lines in w->in. */
static void take_lines(const struct plan *p, struct wk *w, struct results *res)
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
        keep(res, i, rec);
        w->cur = -1;
    }
    memmove(data, data + used, w->in.len - used);
    w->in.len -= used;
    flush_in_order(res);
}

/* Run the plan in jobs worker processes, filling res->recs. 0, or -1 when they could not start. */
static int run_workers(struct run *r, const struct plan *p, int jobs, struct results *res)
{
    struct shared *sh = res->sh;
    struct wk *ws = act_calloc((size_t)jobs, sizeof(*ws));
    struct pollfd *pf = act_calloc((size_t)jobs, sizeof(*pf));
    int started = 0, rc = 0;
    if (!ws || !pf) {
        cli_fail(r->c, "out of memory");
        rc = -1;
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
            worker(r, p, sh, res->o->fail_fast, fds[1]);
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
        cli_fail(r->c, "cannot start worker processes: %s", strerror(errno));
        rc = -1;
        goto done;
    }
    for (int open = started; open > 0;) {
        for (int k = 0; k < started; k++) {
            pf[k].fd = ws[k].fd;
            pf[k].events = POLLIN;
            pf[k].revents = 0;
        }
        int ready = poll(pf, (nfds_t)started, res->o->progress ? 200 : -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (ready == 0) { /* only the elapsed time changed */
            progress_draw(res);
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
                    take_lines(p, w, res);
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
            if (w->cur >= 0 && !res->recs[w->cur]) {
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
                keep(res, (size_t)w->cur, stopped_record(r, p->ops[w->cur], why));
                flush_in_order(res);
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
    return rc;
}

/* Run every action of the plan and report; the exit code. */
int test_run_all(struct run *r, const struct plan *p, int jobs, struct outs *o)
{
    struct shared *sh =
        mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return cli_fail(r->c, "cannot share memory with the workers: %s", strerror(errno));
    sh->next = 0;
    sh->stop = 0;
    struct results res = {
        act_calloc(p->n ? p->n : 1, sizeof(cJSON *)), p->n, 0, o, sh, now_secs(), 0, 0, 0};
    if (!res.recs) {
        munmap(sh, sizeof(*sh));
        return cli_fail(r->c, "out of memory");
    }
    int rc = CLI_EXIT_OK;
    progress_draw(&res);
    if (jobs > 1 && p->n > 1) {
        if (run_workers(r, p, jobs < (int)p->n ? jobs : (int)p->n, &res))
            rc = CLI_EXIT_USAGE;
    } else {
        for (size_t i = 0; i < p->n && !sh->stop; i++) {
            cJSON *rec = run_record(r, p->ops[i], p);
            if (!rec) {
                rc = cli_fail(r->c, "out of memory");
                break;
            }
            keep(&res, i, rec);
            flush_in_order(&res);
        }
    }
    struct act_tally t = {{0}, 0, now_secs() - res.t0, 0};
    for (size_t i = 0; rc == CLI_EXIT_OK && i < p->n; i++) {
        if (!res.recs[i]) /* --fail-fast stopped the run, or every worker stopped */
            res.recs[i] =
                sh->stop ? test_not_run_record(r, p->ops[i])
                         : stopped_record(r, p->ops[i], "not run: every worker process stopped");
        if (!res.recs[i]) {
            rc = cli_fail(r->c, "out of memory");
            break;
        }
        act_tally_add(&t, res.recs[i]);
    }
    if (rc == CLI_EXIT_OK) {
        flush_in_order(&res);
        progress_erase(&res);
        char line[256];
        act_report_summary(&t, line, sizeof(line));
        struct act_report_meta m;
        struct act_buf url;
        test_report_meta(r, &m, &url);
        if (o->fmt == FMT_TEXT)
            printf("%s\n", line);
        else
            act_report_write(stdout, (enum act_report_fmt)o->fmt, &m, res.recs, p->n, &t, 1);
        for (size_t k = 0; k < o->n_reports; k++)
            if (o->reports[k].f)
                act_report_write(o->reports[k].f, (enum act_report_fmt)o->reports[k].fmt, &m,
                                 res.recs, p->n, &t, 1);
        act_buf_release(&url);
        if (o->fmt != FMT_TEXT)
            fprintf(stderr, "%s\n", line);
        rc = t.n[OUT_FAIL]          ? CLI_EXIT_FAILED
             : t.n[OUT_UNREACHABLE] ? CLI_EXIT_UNREACHABLE
                                    : CLI_EXIT_OK;
    }
    progress_erase(&res);
    for (size_t i = 0; i < p->n; i++)
        cJSON_Delete(res.recs[i]);
    act_free(res.recs);
    munmap(sh, sizeof(*sh));
    return rc;
}
