/*
 * validator_int.h - what the files of validator/ share (not a public header).
 *
 *   number.c   exact decimal numbers: comparisons beyond double precision, multipleOf
 *   format.c   the `format` checks (date-time, email, uri, ipv6, ...)
 *   pattern.c  ECMA-262 regular expressions on top of PCRE2 (the only PCRE2 user)
 *   schema.c   compiling a Schema Object once (the struct schema below)
 *   validate.c walking an instance against compiled schemas, the error list
 *   dialect.c  the dialect of a validator; for JSON Schema 2020-12: base URIs, resources
 *              ($id), anchors, vocabularies and $ref / $dynamicRef resolution
 */
#ifndef ACT_VALIDATOR_VALIDATOR_INT_H
#define ACT_VALIDATOR_VALIDATOR_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "common/act_map.h"
#include "common/act_status.h"
#include "validator/validate.h"

/* ---- number.c ---------------------------------------------------------------------------- */

/* A decimal number: (-1)^neg * 0.d1 d2 ... dn * 10^exp, digits without leading or trailing
 * zeros; zero has n == 0. Plain data: safe to copy. */
struct act_dec {
    int n;        /* significant digits in buf */
    long exp;     /* decimal exponent of the point before buf[0] */
    int neg;      /* 1 for a negative number (never for zero) */
    char buf[80]; /* the digits, not NUL-terminated (cJSON accepts numbers of <= 63 bytes) */
};

/* Read a JSON number token s[0..len) ("-12.5e3"). Returns 0 when it is not one. */
int act_dec_parse(struct act_dec *d, const char *s, size_t len);
/* The shortest decimal that reads back as x (x finite). */
void act_dec_from_double(struct act_dec *d, double x);
/* -1, 0, 1 as a < b, a == b, a > b (exactly). */
int act_dec_cmp(const struct act_dec *a, const struct act_dec *b);
/* 1 when x is an integer multiple of m (m > 0), exactly. */
int act_dec_multiple(const struct act_dec *x, const struct act_dec *m);
/* 1 when the number has no fractional part. */
int act_dec_is_integer(const struct act_dec *d);
/* Length of the JSON/YAML number token at s (0 when none); stops at the first other byte. */
size_t act_num_token(const char *s, size_t len);

/* ---- format.c ---------------------------------------------------------------------------- */

enum act_format {
    ACT_FMT_NONE = 0, /* absent or unknown: not checked */
    ACT_FMT_DATE_TIME,
    ACT_FMT_DATE,
    ACT_FMT_TIME,
    ACT_FMT_EMAIL,
    ACT_FMT_UUID,
    ACT_FMT_URI,
    ACT_FMT_URI_REF,
    ACT_FMT_HOSTNAME,
    ACT_FMT_IPV4,
    ACT_FMT_IPV6,
    ACT_FMT_BYTE,
    ACT_FMT_INT32,
    ACT_FMT_INT64,
    ACT_FMT_FLOAT,
    ACT_FMT_DOUBLE,
};

/* The format named name, ACT_FMT_NONE when it is not checked. */
enum act_format act_format_of(const char *name);
/* 1 when the string s (len bytes) is valid for a string format; numeric formats pass. */
int act_format_check_string(enum act_format f, const char *s, size_t len);
/* A readable description of what the format wants ("an RFC 3339 date-time"). */
const char *act_format_describe(enum act_format f);

/* ---- pattern.c --------------------------------------------------------------------------- */

struct act_pattern;

/*
 * Compile an ECMA-262 regular expression (translated to PCRE2, UTF mode). On a
 * syntax error returns ACT_ERR_INVALID with a message in msg (size bytes).
 */
enum act_status act_pattern_compile(const char *src, struct act_pattern **out, char *msg,
                                    size_t size) ACT_WUR;
/*
 * 1 a match somewhere in s (len bytes, NULs included), 0 none, -1 s is not valid UTF-8,
 * -2 the match needed more steps than ACT_MAX_REGEX_STEPS or than *budget has left,
 * -3 out of memory.
 * Backtracking beyond the first 1000 steps is subtracted from *budget (the steps left
 * for the whole validation), so the total cost of a validation's matches is bounded.
 */
int act_pattern_match(struct act_pattern *p, const char *s, size_t len, unsigned long *budget);
void act_pattern_free(struct act_pattern *p);

/* ---- dialect.c --------------------------------------------------------------------------- */

/* An $anchor or $dynamicAnchor of a resource. */
struct act_anchor {
    const char *name;  /* borrowed from the schema document */
    const cJSON *node; /* the subschema that declares it */
    int dynamic;       /* $dynamicAnchor */
    struct act_anchor *next;
};

/* A schema resource (2020-12): a document, or a subschema with an $id. */
struct act_res {
    char *uri;                 /* its absolute URI, without fragment (owned) */
    char *loc;                 /* "#/pointer" of node in doc (owned), NULL until needed */
    const struct act_doc *doc; /* the file it is in */
    const cJSON *node;         /* its root */
    struct act_anchor *anchors;
    struct act_res *alias;  /* the resource this is another URI of, or NULL */
    const char *metaschema; /* its "$schema" when not 2020-12's own (borrowed) */
    int is_doc;             /* the resource of a whole document */
    int vocab_read;         /* metaschema's $vocabulary read */
    int no_validation;      /* the metaschema leaves out the validation vocabulary */
    struct act_res *next;   /* every resource of the validator */
};

/* Set v->dialect from its docset's root document (see act_validator_new). */
void act_dialect_detect(struct act_validator *v);
/* RFC 3986 5.2: ref resolved against the absolute URI base, into out. */
enum act_status act_uri_resolve(const char *base, const char *ref, struct act_buf *out) ACT_WUR;
/* The innermost resource around the node at JSON Pointer ptr ("#/a" or "/a") of doc,
 * scanning doc on first use. */
enum act_status act_res_locate(struct act_validator *v, const struct act_doc *doc, const char *ptr,
                               struct act_res **out) ACT_WUR;
/* The resource of subschema node under parent: its own when it has an $id, else parent. */
struct act_res *act_res_of(struct act_validator *v, struct act_res *parent, const cJSON *node);
/* The node of r named by the (dynamic when dynamic is 1) anchor name, or NULL. */
const cJSON *act_res_anchor(const struct act_res *r, const char *name, int dynamic);
/* Resolve the $ref / $dynamicRef URI ref written in resource from: the node, its resource
 * and its location ("#/..." in its file, into loc). Errors: ACT_ERR_REF naming the URI. */
enum act_status act_res_resolve(struct act_validator *v, struct act_res *from, const char *ref,
                                struct act_node *out, struct act_res **out_res, struct act_buf *loc,
                                struct act_error *err) ACT_WUR;
/* Read r's metaschema's $vocabulary once (r->no_validation). */
enum act_status act_res_vocabulary(struct act_validator *v, struct act_res *r,
                                   struct act_error *err) ACT_WUR;
void act_res_free_all(struct act_validator *v);

/* ---- schema.c: a compiled Schema Object ------------------------------------------------- */

/* Instance type bits. "number" allows ACT_T_NUM | ACT_T_INT; an integral number has ACT_T_INT. */
enum {
    ACT_T_NULL = 1,
    ACT_T_BOOL = 2,
    ACT_T_INT = 4,
    ACT_T_NUM = 8,
    ACT_T_STR = 16,
    ACT_T_ARR = 32,
    ACT_T_OBJ = 64,
};

/* Schema flags. */
enum {
    ACT_S_NULLABLE = 1 << 0,   /* nullable: true (see act_validator.nullable_any) */
    ACT_S_READONLY = 1 << 1,   /* readOnly: true */
    ACT_S_WRITEONLY = 1 << 2,  /* writeOnly: true */
    ACT_S_UNIQUE = 1 << 3,     /* uniqueItems: true */
    ACT_S_HAS_MIN = 1 << 4,    /* minimum given */
    ACT_S_HAS_MAX = 1 << 5,    /* maximum given */
    ACT_S_EXMIN = 1 << 6,      /* exclusiveMinimum: true */
    ACT_S_EXMAX = 1 << 7,      /* exclusiveMaximum: true */
    ACT_S_HAS_MULT = 1 << 8,   /* multipleOf given */
    ACT_S_ADDL_FALSE = 1 << 9, /* additionalProperties: false */
    ACT_S_ANY = 1 << 10,       /* no constraint at all: every instance passes */
    ACT_S_HAS_OBJ = 1 << 11,   /* some object keyword (properties, required, ...) */
    ACT_S_HAS_ARR = 1 << 12,   /* some array keyword */
    ACT_S_HAS_STR = 1 << 13,   /* some string keyword (length, pattern, string format) */
    ACT_S_HAS_NUM = 1 << 14,   /* some number keyword */
    /* JSON Schema 2020-12 only: */
    ACT_S_FALSE = 1 << 15,    /* the schema false: no instance passes */
    ACT_S_HAS_XMIN = 1 << 16, /* exclusiveMinimum given (a number) */
    ACT_S_HAS_XMAX = 1 << 17, /* exclusiveMaximum given (a number) */
    ACT_S_UNEVAL = 1 << 18,   /* unevaluatedProperties / unevaluatedItems: collect annotations */
    ACT_S_OBJ20 = 1 << 19, /* patternProperties, propertyNames, dependent*, unevaluatedProperties */
    ACT_S_ARR20 = 1 << 20, /* prefixItems, contains, unevaluatedItems */
    ACT_S_APPL20 = 1 << 21, /* $ref / $dynamicRef beside other keywords, if, const */
};

struct schema;

/* A subschema, compiled on first use. */
struct act_sref {
    const struct act_doc *doc; /* file of node */
    const cJSON *node;         /* the subschema as written (may be a $ref), NULL when absent */
    char *loc;                 /* its location, "#/components/schemas/Pet/properties/id" (owned) */
    struct schema *s;          /* the compiled schema, NULL until needed */
    struct act_res *res;       /* 2020-12: the resource around it (base URI), else NULL */
};

/* One member of "patternProperties" (2020-12). */
struct act_spat {
    struct act_pattern *re;
    const char *src; /* the regex (borrowed) */
    struct act_sref ref;
};

/* One member of "dependentSchemas" (2020-12). */
struct act_sdep {
    const char *name;
    struct act_sref ref;
};

/* One member of "properties". */
struct act_sprop {
    const char *name;    /* the key (borrowed from the schema document) */
    uint32_t hash;       /* act_hash_str(name) */
    int required;        /* listed in "required" */
    struct act_sref ref; /* its schema */
};

/* A numeric bound or multipleOf operand. */
struct act_snum {
    double d;           /* as cJSON read it */
    int exact;          /* dec holds the exact decimal */
    struct act_dec dec; /* the value as written */
};

/* A discriminator value already resolved to its schema. */
struct act_dmap {
    char *value; /* the discriminator value (owned) */
    const struct act_doc *doc;
    const cJSON *target; /* the schema it selects, after $refs; NULL if it selects none */
    struct act_dmap *next;
};

struct schema {
    const struct act_doc *doc;      /* file the schema is in */
    const cJSON *node;              /* the Schema Object (never a $ref) */
    char *loc;                      /* "#/components/schemas/Pet" (owned) */
    unsigned flags;                 /* ACT_S_* */
    unsigned types;                 /* ACT_T_* allowed, 0 = any type */
    struct act_snum min, max, mult; /* minimum, maximum, multipleOf */
    size_t min_len, max_len;        /* minLength / maxLength (max SIZE_MAX when absent) */
    size_t min_items, max_items;
    size_t min_props, max_props;
    const cJSON *enumv;          /* the enum array, or NULL */
    struct act_pattern *pattern; /* compiled pattern, or NULL */
    const char *pattern_src;     /* its source (borrowed) */
    enum act_format format;      /* checked format, ACT_FMT_NONE when not checked */
    struct act_sprop *props;     /* "properties", in schema order */
    size_t n_props;
    struct act_map pmap;    /* act_hash_str(name) -> index into props */
    const char **req_extra; /* required names that are not in properties */
    size_t n_req_extra;
    struct act_sref addl;             /* additionalProperties as a schema */
    struct act_sref items;            /* items */
    struct act_sref not_;             /* not */
    struct act_sref *all, *any, *one; /* allOf, anyOf, oneOf */
    size_t n_all, n_any, n_one;
    const char *disc_prop;     /* discriminator.propertyName, or NULL */
    const cJSON *disc_mapping; /* discriminator.mapping, or NULL */
    struct act_dmap *dmap;     /* discriminator values resolved so far */
    /* JSON Schema 2020-12 only (zero in the OpenAPI 3.0 mode): */
    struct act_res *res;        /* the resource the schema is in */
    const cJSON *constv;        /* const, or NULL */
    struct act_snum xmin, xmax; /* exclusiveMinimum / exclusiveMaximum as numbers */
    size_t min_contains, max_contains;
    struct act_sref *prefix; /* prefixItems */
    size_t n_prefix;
    struct act_sref contains, pnames, if_, then_, else_, uprops, uitems;
    struct act_spat *pprops; /* patternProperties */
    size_t n_pprops;
    struct act_sdep *deps; /* dependentSchemas */
    size_t n_deps;
    const cJSON *dep_req; /* dependentRequired, or NULL */
    struct act_sref ref;  /* $ref beside other keywords: its target */
    struct act_sref dref; /* $dynamicRef: its initial target */
    const char *dyn_name; /* the $dynamicAnchor name a bookended $dynamicRef looks for */
    struct schema *next;  /* every compiled schema of the validator, for freeing */
};

struct act_validator;

/*
 * The compiled schema for node in doc (following $refs), compiled on first
 * use and cached by node for the validator's lifetime. loc is node's location
 * ("#/..."), or NULL to find it (a linear search, meant for entry points).
 */
enum act_status act_schema_get(struct act_validator *v, const struct act_doc *doc,
                               const cJSON *node, const char *loc, struct schema **out,
                               struct act_error *err) ACT_WUR;
/* The compiled schema of a subschema reference (compiling it on first use). */
enum act_status act_sref_get(struct act_validator *v, struct act_sref *r,
                             struct act_error *err) ACT_WUR;
/* The docset of the validator. */
struct act_docset *act_validator_docset(struct act_validator *v);
/* The property named name of s, or NULL. */
const struct act_sprop *act_schema_prop(const struct schema *s, const char *name);

/* The validator (validate.c creates it; schema.c fills the cache). */
struct act_validator {
    struct act_docset *ds; /* the files schemas live in (borrowed) */
    enum act_dialect dialect;
    const char *bad_dialect; /* a jsonSchemaDialect this validator cannot speak (borrowed) */
    struct act_res *res;     /* 2020-12: every schema resource found so far */
    int has_dynamic;         /* 2020-12: some compiled schema has a bookended $dynamicRef */
    /* The cache: a schema node -> its compiled schema (cached[id], by act_map_hash_ptr). */
    struct act_map cache;
    struct act_cached {
        const cJSON *node;
        struct schema *s;
    } * cached;
    size_t n_cached, cap_cached;
    struct schema *all;           /* every compiled schema (list through ->next) */
    const struct act_doc *numdoc; /* instance document whose big numbers are indexed */
    /* The big-number index: a number node of numdoc -> where its text is (nums[id], by
     * act_map_hash_ptr). */
    struct act_map num_map;
    struct act_numtext {
        const cJSON *node;
        size_t off, len;
    } * nums;
    size_t n_nums, cap_nums;
    int numbad;              /* indexing numdoc failed: no exact text available */
    unsigned long max_steps; /* work budget per validation, 0 = ACT_MAX_VALIDATION_STEPS */
    /* What nullable: true means, by the OpenAPI version the docset's root document
     * declares (read when the first schema is compiled): 1 for 3.0.0 to 3.0.2 ("allows
     * sending a null value for the defined schema": null passes whatever the other
     * keywords say), 0 for 3.0.3 and later, and documents that declare none (null is
     * added to an explicit type only; enum, allOf, ... still apply). -1 not read yet. */
    int nullable_any;
    char oas[16]; /* the version the nullable rule comes from, for messages ("3.0.3") */
    /* act_validator_set_stop: asked every ACT_VALIDATE_STOP_EVERY schema applications. */
    const char *(*stop)(void *arg);
    void *stop_arg;
};

#endif
