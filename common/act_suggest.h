/*
 * act_suggest.h - "did you mean": the known names closest to a mistyped one.
 *
 * Candidates are scored by edit distance (capped, so a hopeless candidate costs
 * little); one that contains the typed name (3 characters or more, any case) is
 * worth showing too, after the close spellings. The best are kept, closest
 * first, ties in the order the candidates came.
 */
#ifndef ACT_COMMON_ACT_SUGGEST_H
#define ACT_COMMON_ACT_SUGGEST_H

#include <stddef.h>

/* Most suggestions kept. */
#define ACT_SUGGEST_MAX 16

struct act_suggest {
    const char *name;              /* what was typed */
    size_t cap;                    /* largest edit distance still suggested */
    int nocase;                    /* letters compare case-insensitively */
    const char **out;              /* the suggestions, closest first (borrowed) */
    size_t score[ACT_SUGGEST_MAX]; /* their distances */
    size_t n;                      /* suggestions in out */
    size_t max;                    /* room in out (at most ACT_SUGGEST_MAX) */
};

/* Start suggesting for name into out[0..max). */
void act_suggest_init(struct act_suggest *s, const char *name, size_t cap, int nocase,
                      const char **out, size_t max);
/* Consider one known name (borrowed: it must outlive out). */
void act_suggest_add(struct act_suggest *s, const char *cand);

#endif
