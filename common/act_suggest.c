/*
 * act_suggest.c - "did you mean": capped edit distance and a sorted top list.
 */
#include "act_suggest.h"

#include <string.h>

/* Longest names compared (longer ones are never suggested). */
#define NAME_MAX_LEN 256

static int same_char(char a, char b, int nocase)
{
    if (nocase) {
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (char)(b + 32);
    }
    return a == b;
}

/* Edit distance, capped: returns cap + 1 once the distance is known to exceed cap. */
static size_t distance(const char *a, const char *b, size_t cap, int nocase)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    size_t row[NAME_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best;
        row[0] = best = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t v = diag + (same_char(a[i - 1], b[j - 1], nocase) ? 0 : 1);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb];
}

void act_suggest_init(struct act_suggest *s, const char *name, size_t cap, int nocase,
                      const char **out, size_t max)
{
    memset(s, 0, sizeof(*s));
    s->name = name;
    s->cap = cap;
    s->nocase = nocase;
    s->out = out;
    s->max = max > ACT_SUGGEST_MAX ? ACT_SUGGEST_MAX : max;
}

void act_suggest_add(struct act_suggest *s, const char *cand)
{
    if (!s->max)
        return;
    size_t d = distance(s->name, cand, s->cap, s->nocase);
    if (d > s->cap) {
        if (strlen(s->name) >= 3 && strcasestr(cand, s->name))
            d = s->cap; /* a substring is worth showing, after close spellings */
        else
            return;
    }
    /* insertion into the sorted top list, after the equal ones */
    size_t pos = s->n;
    while (pos > 0 && s->score[pos - 1] > d)
        pos--;
    if (pos >= s->max)
        return;
    size_t last = s->n < s->max ? s->n : s->max - 1;
    for (size_t k = last; k > pos; k--) {
        s->out[k] = s->out[k - 1];
        s->score[k] = s->score[k - 1];
    }
    s->out[pos] = cand;
    s->score[pos] = d;
    if (s->n < s->max)
        s->n++;
}
