/*
 * report_html.c - the HTML form of the results of a run (`actions test --format html`,
 * `--report html=FILE`): one self-contained page for a list of records.
 *
 * The page is one self-contained file: inline CSS, no script, nothing loaded
 * from elsewhere. Every piece of text that comes from the spec, the server or
 * the user is escaped, with invalid UTF-8 and control characters replaced, so
 * a hostile server cannot add markup. A summary comes first, then the actions
 * that failed (open), then the others (folded). Each schema error links to the
 * value it is about, highlighted in the pretty-printed response body, and back.
 * What a record carries for the page (request, response, schemaErrors) is put
 * there by whoever builds the record.
 */
#include <string.h>
#include <time.h>

#include "common/act_alloc.h"
#include "common/act_buf.h"
#include "common/act_utf8.h"
#include "runner/report.h"

/* ------------------------------------------------------------- text */

/*
 * Append s (len bytes) to out as HTML text: markup characters escaped,
 * invalid UTF-8 replaced by U+FFFD, control characters shown as \xNN (a raw
 * escape sequence stays visible and harmless; with markup, in a styled span);
 * tab, line feed and the carriage return of a CRLF are kept.
 */
static enum act_status html_esc(struct act_buf *out, const char *s, size_t len, int markup)
{
    const unsigned char *p = (const unsigned char *)s;
    enum act_status st = ACT_OK;
    for (size_t i = 0; !st && i < len;) {
        unsigned c = p[i];
        size_t n = 1;
        if (c == '&')
            st = act_buf_adds(out, "&amp;");
        else if (c == '<')
            st = act_buf_adds(out, "&lt;");
        else if (c == '>')
            st = act_buf_adds(out, "&gt;");
        else if (c == '"')
            st = act_buf_adds(out, "&quot;");
        else if (c == '\'')
            st = act_buf_adds(out, "&#39;");
        else if (c == '\t' || c == '\n' || (c == '\r' && i + 1 < len && p[i + 1] == '\n'))
            st = act_buf_addc(out, (char)c);
        else if (c < 0x20 || c == 0x7F)
            st = act_buf_printf(out, markup ? "<span class=\"ctl\">\\x%02x</span>" : "\\x%02x", c);
        else if (c < 0x80)
            st = act_buf_addc(out, (char)c);
        else if ((n = act_utf8_len(p + i, len - i)) != 0)
            st = act_buf_add(out, p + i, n);
        else {
            n = 1;
            st = act_buf_adds(out, "\xEF\xBF\xBD");
        }
        i += n;
    }
    return st;
}

static enum act_status html_escs(struct act_buf *out, const char *s)
{
    return html_esc(out, s ? s : "", s ? strlen(s) : 0, 1);
}

/* ------------------------------------------------------------- the page */

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Escaped text to f. */
static void put(FILE *f, const char *s)
{
    struct act_buf b;
    act_buf_init(&b);
    if (!html_escs(&b, s))
        fwrite(b.data, 1, b.len, f);
    act_buf_release(&b);
}

/* The page's style sheet (pieces: C99 caps a string literal at 4095 bytes). */
static const char *const css[] = {
    ":root{--pass:#1a7f37;--fail:#cf222e;--unr:#bc4c00;--skip:#6e7781;--line:#d0d7de;",
    "--muted:#57606a;--bg:#f6f8fa}",
    "*{box-sizing:border-box}",
    "body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',",
    "Arial,sans-serif;color:#1f2328;background:var(--bg)}",
    "code,pre,.mono{font-family:ui-monospace,SFMono-Regular,'DejaVu Sans Mono',Menlo,Consolas,",
    "monospace;font-size:12.5px}",
    "header{background:#24292f;color:#fff;padding:18px 32px 20px}",
    "header h1{margin:0 0 6px;font-size:20px;font-weight:600}",
    "header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;",
    "color:#d0d7de}",
    "header dt{color:#8c959f}header dd{margin:0;overflow-wrap:anywhere}",
    ".cards{display:flex;flex-wrap:wrap;gap:12px;padding:18px 32px 4px}",
    ".card{background:#fff;border:1px solid var(--line);border-top:4px solid var(--skip);",
    "border-radius:8px;padding:8px 18px;min-width:120px}",
    ".card b{display:block;font-size:26px;line-height:1.2}",
    ".card span{color:var(--muted)}",
    ".card.pass{border-top-color:var(--pass)}.card.pass b{color:var(--pass)}",
    ".card.fail{border-top-color:var(--fail)}.card.fail b{color:var(--fail)}",
    ".card.unreachable{border-top-color:var(--unr)}.card.unreachable b{color:var(--unr)}",
    ".card.zero b{color:var(--skip)}",
    "main{padding:8px 32px 40px;max-width:1400px}",
    "h2{font-size:15px;margin:22px 0 8px;color:var(--muted);text-transform:uppercase;",
    "letter-spacing:.04em}",
    "details.act{background:#fff;border:1px solid var(--line);border-left:6px solid var(--skip);",
    "border-radius:6px;margin:8px 0}",
    "details.pass{border-left-color:var(--pass)}details.fail{border-left-color:var(--fail)}",
    "details.unreachable{border-left-color:var(--unr)}",
    "summary{cursor:pointer;padding:9px 14px;display:flex;flex-wrap:wrap;gap:6px 12px;",
    "align-items:center}",
    "summary .id{font-weight:600}",
    "summary .url{color:var(--muted);overflow-wrap:anywhere;flex:1 1 300px}",
    "summary .st{white-space:nowrap;color:var(--muted)}",
    ".badge{font-size:11px;font-weight:700;letter-spacing:.05em;padding:2px 8px;",
    "border-radius:10px;color:#fff;background:var(--skip)}",
    ".pass .badge{background:var(--pass)}.fail .badge{background:var(--fail)}",
    ".unreachable .badge{background:var(--unr)}",
    ".verb{font-weight:700;color:#0550ae}",
    ".inner{padding:4px 18px 16px;border-top:1px solid var(--line)}",
    "h3{font-size:13px;margin:14px 0 6px}",
    "ul.msgs{margin:0;padding-left:20px}ul.msgs li{overflow-wrap:anywhere}",
    "ul.msgs.bad li::marker{color:var(--fail)}",
    "table{border-collapse:collapse;width:100%}",
    "th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #eaeef2}",
    "th{font-size:12px;color:var(--muted);font-weight:600}",
    "td{overflow-wrap:anywhere}",
    "table.errs tr:target{background:#fff8c5}",
    "table.hdrs td:first-child{color:var(--muted);white-space:nowrap;width:1%}",
    "pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px 12px;",
    "margin:0;max-height:640px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}",
    "mark{background:#ffebe9;color:#82071e;outline:2px solid var(--fail);border-radius:2px}",
    "mark.blk{outline:none;background:#ffe4e1}",
    "mark:target{background:#fff8c5}",
    ".bar{display:flex;height:8px;margin:10px 32px 0;border-radius:4px;overflow:hidden;",
    "background:#eaeef2}",
    ".bar span{display:block}.bar .pass{background:var(--pass)}.bar .fail{background:var(--fail)}",
    ".bar .unreachable{background:var(--unr)}.bar .skip{background:var(--skip)}",
    ".line{margin:0 0 6px;overflow-wrap:anywhere}",
    ".code{font-weight:700;padding:0 6px;border-radius:4px;color:#fff;background:var(--skip)}",
    ".code.c2{background:var(--pass)}.code.c3{background:#0969da}.code.c4,.code.c5{",
    "background:var(--fail)}",
    "a.ref{font-size:10px;vertical-align:super;margin-left:2px;color:var(--fail);",
    "text-decoration:none;font-weight:700}",
    ".ctl{background:#eaeef2;color:#6e7781;border-radius:3px;padding:0 2px;font-size:90%}",
    ".note{color:var(--muted);font-style:italic;margin:4px 0}",
    ".cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:0 24px}",
    ".index summary{padding:0;margin:22px 0 8px}.index h2{margin:0}"
    "summary::before{content:'\\25B8';color:var(--muted);width:10px}"
    "details[open]>summary::before{content:'\\25BE'}"
    ".index ul{list-style:none;margin:0;padding:10px 16px;background:#fff;border:1px solid ",
    "var(--line);border-radius:6px}",
    ".index li{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:2px 0}",
    ".index a{font-weight:600;margin-right:8px}.why{color:var(--muted)}",
    ".dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:8px;",
    "background:var(--fail)}.dot.unreachable{background:var(--unr)}",
    "@media print{pre{max-height:none}details.act{break-inside:avoid}}",
    "footer{color:var(--muted);padding:0 32px 24px;font-size:12px}",
};
/* The schema errors of a record, as parallel arrays. */
struct errs {
    const cJSON *const *v; /* schemaErrors items */
    const char **ptr;      /* their pointers */
    int *shown;            /* 1 when the value is highlighted in the body */
    size_t n;
};

/* The pretty-printer of a JSON body with the schema errors' values marked. */
struct pp {
    struct act_buf *out;
    struct act_buf path; /* JSON Pointer of the current node */
    const struct errs *e;
    size_t id;  /* the action's index, for anchors */
    size_t max; /* output bytes at most */
    int cut;    /* the output reached max */
    int st;     /* out of memory */
};

static void pp_indent(struct pp *p, int depth)
{
    for (int i = 0; !p->st && i < depth; i++)
        p->st = act_buf_adds(p->out, "  ") != ACT_OK;
}

/* A JSON string literal of s, HTML-escaped. */
static void pp_string(struct pp *p, const char *s)
{
    struct act_buf j;
    act_buf_init(&j);
    int st = act_buf_addc(&j, '"') != ACT_OK;
    /* A string longer than what is left of the page's budget is cut (and so is the rest). */
    size_t room = p->max > p->out->len ? p->max - p->out->len : 0;
    const unsigned char *end = (const unsigned char *)s + strlen(s);
    if ((size_t)(end - (const unsigned char *)s) > room) {
        end = (const unsigned char *)s + room;
        while (end > (const unsigned char *)s && (*end & 0xC0) == 0x80)
            end--; /* do not split a character */
        p->cut = 1;
    }
    for (const unsigned char *c = (const unsigned char *)s; !st && c < end; c++) {
        if (*c == '"' || *c == '\\')
            st = act_buf_addc(&j, '\\') || act_buf_addc(&j, (char)*c);
        else if (*c == '\n')
            st = act_buf_adds(&j, "\\n") != ACT_OK;
        else if (*c == '\t')
            st = act_buf_adds(&j, "\\t") != ACT_OK;
        else if (*c == '\r')
            st = act_buf_adds(&j, "\\r") != ACT_OK;
        else if (*c < 0x20)
            st = act_buf_printf(&j, "\\u%04x", *c) != ACT_OK;
        else
            st = act_buf_addc(&j, (char)*c) != ACT_OK;
    }
    if (st || (!p->cut && act_buf_addc(&j, '"')) || html_esc(p->out, j.data, j.len, 1))
        p->st = 1;
    act_buf_release(&j);
}

/* Append "/" + key escaped per RFC 6901 to the path. */
static int path_push(struct act_buf *path, const char *key)
{
    if (act_buf_addc(path, '/'))
        return 1;
    for (const char *c = key; *c; c++)
        if (*c == '~'   ? act_buf_adds(path, "~0")
            : *c == '/' ? act_buf_adds(path, "~1")
                        : act_buf_addc(path, *c))
            return 1;
    return 0;
}

/* An array of a few short scalars, printed on one line ("[\"Host\", \"example.com\"]"). */
static int short_array(const cJSON *v)
{
    size_t width = 2;
    if (!cJSON_IsArray(v) || !v->child)
        return 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        if (cJSON_IsObject(c) || cJSON_IsArray(c))
            return 0;
        width += (cJSON_IsString(c) ? strlen(c->valuestring) + 2 : 8) + 2;
        if (width > 72)
            return 0;
    }
    return 1;
}

static void pp_value(struct pp *p, const cJSON *v, int depth)
{
    if (p->st || p->cut)
        return;
    if (p->out->len > p->max) {
        p->cut = 1;
        return;
    }
    size_t first = (size_t)-1;
    for (size_t i = 0; i < p->e->n; i++)
        if (strcmp(p->e->ptr[i], p->path.data) == 0) {
            if (first == (size_t)-1)
                first = i;
            p->e->shown[i] = 1;
        }
    int blk = cJSON_IsObject(v) || cJSON_IsArray(v);
    if (first != (size_t)-1 && act_buf_printf(p->out, "<mark id=\"a%zu-v%zu\"%s>", p->id, first + 1,
                                              blk ? " class=\"blk\"" : ""))
        p->st = 1;
    if (blk) {
        /* Objects and long arrays: one member a line; short arrays of scalars: one line. */
        int obj = cJSON_IsObject(v), inl = short_array(v);
        p->st = p->st || act_buf_addc(p->out, obj ? '{' : '[');
        size_t k = 0;
        for (const cJSON *c = v->child; c && !p->st && !p->cut; c = c->next, k++) {
            size_t mark = p->path.len;
            char idx[32];
            snprintf(idx, sizeof(idx), "%zu", k);
            const char *key = obj ? (c->string ? c->string : "") : idx;
            p->st = (!inl && act_buf_addc(p->out, '\n')) || path_push(&p->path, key);
            if (!inl)
                pp_indent(p, depth + 1);
            if (obj && !p->st) {
                pp_string(p, key);
                p->st = p->st || act_buf_adds(p->out, ": ");
            }
            pp_value(p, c, depth + 1);
            if (c->next && !p->cut)
                p->st = p->st || act_buf_adds(p->out, inl ? ", " : ",");
            p->path.len = mark;
            p->path.data[mark] = '\0';
        }
        if (v->child && !p->cut && !inl) {
            p->st = p->st || act_buf_addc(p->out, '\n');
            pp_indent(p, depth);
        }
        if (!p->cut)
            p->st = p->st || act_buf_addc(p->out, obj ? '}' : ']');
    } else if (cJSON_IsString(v)) {
        pp_string(p, v->valuestring);
    } else {
        char *s = cJSON_PrintUnformatted(v);
        p->st = p->st || !s || act_buf_adds(p->out, s);
        cJSON_free(s);
    }
    if (first == (size_t)-1)
        return;
    p->st = p->st || act_buf_adds(p->out, "</mark>");
    for (size_t i = first; i < p->e->n; i++)
        if (strcmp(p->e->ptr[i], p->path.data) == 0 &&
            act_buf_printf(p->out,
                           "<a class=\"ref\" href=\"#a%zu-e%zu\" title=\"error %zu\">%zu</a>",
                           p->id, i + 1, i + 1, i + 1))
            p->st = 1;
}

/* Bytes of a body shown in the page: more for an action that failed, where people look. */
#define HTML_SHOW_FAILED (512 * 1024)
#define HTML_SHOW_PASSED (32 * 1024)

/*
 * The body of exchange x (a record's "request" or "response") as the inside
 * of a <pre> into out, about max bytes at most: JSON pretty-printed with the
 * errors' values marked (e may be NULL), anything else as text. *note: what
 * was cut, or "". 1 when there is a body, 0 when not, -1 when out of memory.
 */
static int body_html(const cJSON *x, const struct errs *e, size_t id, size_t max,
                     struct act_buf *out, char *note, size_t note_size)
{
    const char *body = str_of(x, "body");
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(x, "truncated");
    double cut = cJSON_IsNumber(tr) ? tr->valuedouble : 0;
    note[0] = '\0';
    if (!body)
        return 0;
    size_t len = strlen(body);
    cJSON *j = cut > 0 ? NULL : cJSON_Parse(body);
    if (j && (cJSON_IsObject(j) || cJSON_IsArray(j))) {
        static const struct errs none = {NULL, NULL, NULL, 0};
        struct pp p = {out, {0}, e ? e : &none, id, max, 0, 0};
        act_buf_init(&p.path);
        pp_value(&p, j, 0);
        act_buf_release(&p.path);
        cJSON_Delete(j);
        if (p.cut)
            snprintf(note, note_size,
                     "the pretty-printed body is cut after %zu KiB (%zu bytes received)",
                     max / 1024, len);
        return p.st ? -1 : 1;
    }
    cJSON_Delete(j);
    size_t shown = len;
    if (shown > max) {
        shown = max;
        while (shown > 0 && ((unsigned char)body[shown] & 0xC0) == 0x80)
            shown--; /* do not split a character */
    }
    if (html_esc(out, body, shown, 1))
        return -1;
    if (cut > 0 || shown < len)
        snprintf(note, note_size, "%.0f more bytes cut (the first %zu shown)",
                 cut + (double)(len - shown), shown);
    return 1;
}

static void print_headers(FILE *f, const cJSON *hs)
{
    if (cJSON_GetArraySize(hs) == 0) {
        fputs("<p class=\"note\">no headers set by the action</p>\n", f);
        return;
    }
    fputs("<table class=\"hdrs mono\">\n", f);
    const cJSON *h;
    cJSON_ArrayForEach(h, hs)
    {
        fputs("<tr><td>", f);
        put(f, str_of(h, "name"));
        fputs("</td><td>", f);
        put(f, str_of(h, "value"));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* A body rendered by body_html (has: its result) in a <pre>, then the cut note. */
static void print_pre(FILE *f, const char *label, int has, const struct act_buf *b,
                      const char *note)
{
    fprintf(f, "<h3>%s body</h3>\n", label);
    if (has > 0) {
        fputs("<pre>", f);
        fwrite(b->data, 1, b->len, f);
        fputs("</pre>\n", f);
    } else
        fputs(has < 0 ? "<p class=\"note\">(not shown: out of memory)</p>\n"
                      : "<p class=\"note\">no body</p>\n",
              f);
    if (note[0])
        fprintf(f, "<p class=\"note\">%s</p>\n", note);
}

/* Is message m the string form of schema error e ("PTR: MESSAGE (LOC)")? */
static int is_schema_msg(const char *m, const cJSON *e)
{
    const char *ptr = str_of(e, "pointer"), *msg = str_of(e, "message");
    const char *loc = str_of(e, "schemaLocation");
    if (!ptr || !msg || !loc)
        return 0;
    const char *p = *ptr ? ptr : "(root)";
    size_t pl = strlen(p), ml = strlen(msg), ll = strlen(loc), n = strlen(m);
    return n == pl + 2 + ml + 2 + ll + 1 && strncmp(m, p, pl) == 0 &&
           strncmp(m + pl, ": ", 2) == 0 && strncmp(m + pl + 2, msg, ml) == 0 &&
           strncmp(m + pl + 2 + ml, " (", 2) == 0 && strncmp(m + pl + ml + 4, loc, ll) == 0 &&
           m[n - 1] == ')';
}

/* A titled list of the strings of array a, leaving out those that only repeat a schema
 * error of e (e may be NULL); nothing when none is left. */
static void print_msgs(FILE *f, const cJSON *a, const char *title, const char *cls,
                       const struct errs *e)
{
    size_t shown = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, a)
    {
        int schema = 0;
        for (size_t i = 0; e && cJSON_IsString(m) && !schema && i < e->n; i++)
            schema = is_schema_msg(m->valuestring, e->v[i]);
        if (!cJSON_IsString(m) || schema)
            continue;
        if (!shown++)
            fprintf(f, "<h3>%s</h3>\n<ul class=\"%s\">\n", title, cls);
        fputs("<li>", f);
        put(f, m->valuestring);
        fputs("</li>\n", f);
    }
    if (shown)
        fputs("</ul>\n", f);
}

static const char *const badges[] = {"PASS", "FAIL", "UNREACHABLE", "SKIP"};
static const char *const classes[] = {"pass", "fail", "unreachable", "skip"};

/* The page's groups, in the order shown: what failed first, what passed last. */
enum group { G_FAIL, G_UNREACHABLE, G_SKIP, G_NOT_RUN, G_PASS, G_N };
static const char *const group_heads[] = {"Failed", "Unreachable", "Skipped",
                                          "Not run (--fail-fast)", "Passed"};

static int not_run(const cJSON *rec)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "not_run"));
}

static enum group group_of(const cJSON *rec)
{
    switch (act_report_outcome(rec)) {
    case ACT_OUTCOME_PASS: return G_PASS;
    case ACT_OUTCOME_UNREACHABLE: return G_UNREACHABLE;
    case ACT_OUTCOME_SKIP: return not_run(rec) ? G_NOT_RUN : G_SKIP;
    default: return G_FAIL;
    }
}

static void print_action(FILE *f, const cJSON *rec, size_t id)
{
    enum act_outcome o = act_report_outcome(rec);
    const cJSON *se = cJSON_GetObjectItemCaseSensitive(rec, "schemaErrors");
    size_t n = (size_t)(cJSON_GetArraySize(se) > 0 ? cJSON_GetArraySize(se) : 0);
    const cJSON **ev = act_calloc(n + 1, sizeof(*ev));
    const char **ptr = act_calloc(n + 1, sizeof(*ptr));
    int *shown = act_calloc(n + 1, sizeof(*shown));
    struct errs e = {ev, ptr, shown, 0};
    if (ev && ptr && shown) {
        const cJSON *x;
        cJSON_ArrayForEach(x, se)
        {
            ev[e.n] = x;
            ptr[e.n++] = str_of(x, "pointer") ? str_of(x, "pointer") : "\x01";
        }
    }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(rec, "request");
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(rec, "response");
    /* The response body first (it decides which errors link to a highlighted value). */
    struct act_buf rb;
    act_buf_init(&rb);
    char rnote[160] = "";
    size_t show =
        o == ACT_OUTCOME_FAIL || o == ACT_OUTCOME_UNREACHABLE ? HTML_SHOW_FAILED : HTML_SHOW_PASSED;
    int rhas = cJSON_IsObject(resp) ? body_html(resp, &e, id, show, &rb, rnote, sizeof(rnote)) : 0;

    fprintf(f, "<details class=\"act %s\" id=\"a%zu\"%s>\n<summary>", classes[o], id,
            o == ACT_OUTCOME_FAIL || o == ACT_OUTCOME_UNREACHABLE ? " open" : "");
    fprintf(f, "<span class=\"badge\">%s</span> <span class=\"verb mono\">",
            not_run(rec) ? "NOT RUN" : badges[o]);
    put(f, str_of(rec, "method"));
    fputs("</span> <span class=\"id mono\">", f);
    put(f, str_of(rec, "action"));
    fputs("</span> <span class=\"url mono\">", f);
    put(f, str_of(rec, "url") ? str_of(rec, "url") : "");
    fputs("</span> <span class=\"st\">", f);
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "duration_ms");
    if (cJSON_IsNumber(status)) {
        fprintf(f, "%d ", status->valueint);
        put(f, str_of(rec, "reason"));
        fprintf(f, " &middot; %ld ms", cJSON_IsNumber(ms) ? (long)ms->valuedouble : 0L);
    } else
        fputs(o == ACT_OUTCOME_UNREACHABLE ? "not reachable"
              : o == ACT_OUTCOME_SKIP      ? "not run"
                                           : "not sent",
              f);
    fputs("</span></summary>\n<div class=\"inner\">\n", f);

    if (str_of(rec, "skipped")) {
        fputs("<p>", f);
        put(f, str_of(rec, "skipped"));
        fputs("</p>\n", f);
    }
    /* Problems other than the schema errors (those come as a table below). */
    print_msgs(f, cJSON_GetObjectItemCaseSensitive(rec, "errors"), "Problems", "msgs bad", &e);
    if (e.n) {
        fprintf(f,
                "<h3>Schema errors (%zu)</h3>\n<table class=\"errs\">\n<tr><th>#</th>"
                "<th>Pointer</th><th>Error</th><th>Keyword</th><th>Schema location</th></tr>\n",
                e.n);
        for (size_t i = 0; i < e.n; i++) {
            const char *p = ptr[i];
            fprintf(f, "<tr id=\"a%zu-e%zu\"><td>%zu</td><td class=\"mono\">", id, i + 1, i + 1);
            if (shown[i])
                fprintf(f, "<a href=\"#a%zu-v%zu\">", id, i + 1);
            put(f, *p ? p : "(root)");
            if (shown[i])
                fputs("</a>", f);
            fputs("</td><td>", f);
            put(f, str_of(ev[i], "message"));
            fputs("</td><td class=\"mono\">", f);
            put(f, str_of(ev[i], "keyword"));
            fputs("</td><td class=\"mono\">", f);
            put(f, str_of(ev[i], "schemaLocation"));
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    print_msgs(f, cJSON_GetObjectItemCaseSensitive(rec, "warnings"), "Warnings", "msgs", NULL);

    fputs("<div class=\"cols\">\n", f);
    if (cJSON_IsObject(req)) {
        fputs("<div>\n<h3>Request</h3>\n<p class=\"mono line\"><span class=\"verb\">", f);
        put(f, str_of(rec, "method"));
        fputs("</span> ", f);
        put(f, str_of(rec, "url"));
        fputs("</p>\n", f);
        print_headers(f, cJSON_GetObjectItemCaseSensitive(req, "headers"));
        if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(req, "body"))) {
            struct act_buf qb;
            act_buf_init(&qb);
            char qnote[160];
            int qhas = body_html(req, NULL, id, show, &qb, qnote, sizeof(qnote));
            print_pre(f, "Request", qhas, &qb, qnote);
            act_buf_release(&qb);
        }
        fputs("</div>\n", f);
    }
    if (cJSON_IsObject(resp)) {
        fputs("<div>\n<h3>Response</h3>\n<p class=\"mono line\">", f);
        if (cJSON_IsNumber(status)) {
            fprintf(f, "<span class=\"code c%d\">%d</span> ", status->valueint / 100,
                    status->valueint);
            put(f, str_of(rec, "reason"));
        }
        fputs("</p>\n", f);
        print_headers(f, cJSON_GetObjectItemCaseSensitive(resp, "headers"));
        fputs("</div>\n", f);
    }
    fputs("</div>\n", f);
    if (cJSON_IsObject(resp))
        print_pre(f, "Response", rhas, &rb, rnote);
    fputs("</div>\n</details>\n", f);
    act_buf_release(&rb);
    act_free(ev);
    act_free(ptr);
    act_free(shown);
}

static void card(FILE *f, const char *cls, size_t n, const char *label)
{
    fprintf(f, "<div class=\"card %s%s\"><b>%zu</b><span>%s</span></div>\n", cls, n ? "" : " zero",
            n, label);
}

void act_report_html(FILE *f, const struct act_report_meta *m, cJSON *const *recs, size_t n,
                     const struct act_tally *t)
{
    const char *spec = m->spec_path ? m->spec_path : "";
    const char *title = m->title ? m->title : spec;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>",
          f);
    size_t failed = t->n[ACT_OUTCOME_FAIL] + t->n[ACT_OUTCOME_UNREACHABLE];
    fprintf(f, "%s: ", failed ? "FAILED" : "passed");
    struct act_buf tb;
    act_buf_init(&tb);
    if (!html_esc(&tb, title, strlen(title), 0))
        fwrite(tb.data, 1, tb.len, f);
    act_buf_release(&tb);
    fputs(" - actions test</title>\n<style>", f);
    for (size_t i = 0; i < sizeof(css) / sizeof(css[0]); i++)
        fputs(css[i], f);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>", f);
    put(f, title);
    fputs("</h1>\n<dl>\n<dt>spec</dt><dd class=\"mono\">", f);
    put(f, spec);
    fputs("</dd>\n<dt>destination</dt><dd class=\"mono\">", f);
    if (m->dest) {
        put(f, m->dest);
        if (m->dest_url) {
            fputs(" &middot; ", f);
            put(f, m->dest_url);
        }
    }
    char when[64] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
    fprintf(f,
            "</dd>\n<dt>duration</dt><dd>%.2f s</dd>\n<dt>run</dt><dd>%s</dd>\n</dl>\n"
            "</header>\n<section class=\"cards\">\n",
            t->secs, when);
    card(f, "total", t->total, "actions");
    card(f, "pass", t->n[ACT_OUTCOME_PASS], "passed");
    card(f, "fail", t->n[ACT_OUTCOME_FAIL], "failed");
    card(f, "unreachable", t->n[ACT_OUTCOME_UNREACHABLE], "unreachable");
    card(f, "skip", t->n[ACT_OUTCOME_SKIP], "skipped");
    if (t->not_run)
        card(f, "skip", t->not_run, "not run (--fail-fast)");
    fputs("</section>\n", f);
    /* A bar of the outcomes, in proportion. */
    if (t->total) {
        fputs("<div class=\"bar\">", f);
        size_t parts[] = {t->n[ACT_OUTCOME_PASS], t->n[ACT_OUTCOME_FAIL],
                          t->n[ACT_OUTCOME_UNREACHABLE], t->n[ACT_OUTCOME_SKIP] + t->not_run};
        for (size_t k = 0; k < 4; k++)
            if (parts[k])
                fprintf(f, "<span class=\"%s\" style=\"width:%.3f%%\"></span>", classes[k],
                        100.0 * (double)parts[k] / (double)t->total);
        fputs("</div>\n", f);
    }
    fputs("<main>\n", f);
    /* With more than a few actions, an index of what failed, each with its first problem. */
    if (failed && n > 3) {
        fprintf(f,
                "<nav class=\"index\">\n<details open>\n<summary><h2>What failed (%zu)</h2>"
                "</summary>\n<ul>\n",
                failed);
        for (size_t i = 0; i < n; i++) {
            enum group g = recs[i] ? group_of(recs[i]) : G_PASS;
            if (g != G_FAIL && g != G_UNREACHABLE)
                continue;
            const cJSON *first =
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(recs[i], "errors"), 0);
            fprintf(f, "<li><span class=\"dot %s\"></span><a class=\"mono\" href=\"#a%zu\">",
                    classes[g == G_FAIL ? ACT_OUTCOME_FAIL : ACT_OUTCOME_UNREACHABLE], i + 1);
            put(f, str_of(recs[i], "action"));
            fputs("</a> <span class=\"why\">", f);
            put(f, cJSON_IsString(first) ? first->valuestring : "");
            fputs("</span></li>\n", f);
        }
        fputs("</ul>\n</details>\n</nav>\n", f);
    }
    /* Failed and unreachable first, then skipped, then passed; spec order within each. */
    for (int g = 0; g < G_N; g++) {
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
            if (!recs[i] || group_of(recs[i]) != (enum group)g)
                continue;
            if (!shown++)
                fprintf(f, "<h2>%s</h2>\n", group_heads[g]);
            print_action(f, recs[i], i + 1);
        }
    }
    if (!n)
        fputs("<p class=\"note\">no actions</p>\n", f);
    fputs("</main>\n<footer>written by actions test</footer>\n</body>\n</html>\n", f);
}
