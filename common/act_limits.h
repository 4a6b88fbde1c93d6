/*
 * act_limits.h - every limit applied to untrusted input, in one place.
 *
 * Each has a compile-time default (override with -DACT_...=N); the ones users
 * may need to raise also have a run-time override, noted beside them.
 */
#ifndef ACT_COMMON_ACT_LIMITS_H
#define ACT_COMMON_ACT_LIMITS_H

/* Largest spec/project/destination file read. GitHub's spec is 13 MB as JSON and
 * about 20 MB as YAML; 256 MiB leaves room and refuses a 2 GB file before reading it.
 * Run time: $ACTIONS_MAX_FILE_BYTES. */
#ifndef ACT_MAX_FILE_BYTES
#define ACT_MAX_FILE_BYTES (256L * 1024 * 1024)
#endif

/* Deepest nesting of arrays/objects in a document. cJSON 1.7.15 stops at 1000;
 * ours sits below so the message is ours, and recursive walkers stay well inside
 * the C stack. Real specs nest below 40. */
#ifndef ACT_MAX_DEPTH
#define ACT_MAX_DEPTH 512
#endif

/* How deep a generated instance (mock answers, --fill values) nests at most: a
 * required property that recurses further is cut there with an error. */
#ifndef ACT_GEN_MAX_DEPTH
#define ACT_GEN_MAX_DEPTH 32
#endif

/* Longest chain of $ref -> $ref -> ... followed before giving up (cycles are
 * detected separately; this bounds pathological but acyclic chains). */
#ifndef ACT_MAX_REF_HOPS
#define ACT_MAX_REF_HOPS 64
#endif

/* Most distinct files one spec may pull in through external $refs. */
#ifndef ACT_MAX_REF_FILES
#define ACT_MAX_REF_FILES 256
#endif

/* Nodes that YAML alias expansion may create, in total, per document: a
 * "billion laughs" alias bomb stops here instead of exhausting memory. */
#ifndef ACT_MAX_ALIAS_NODES
#define ACT_MAX_ALIAS_NODES (1000L * 1000)
#endif

/* Errors recorded per validation before the list is marked truncated
 * (run time: --max-errors). */
#ifndef ACT_MAX_ERRORS
#define ACT_MAX_ERRORS 100
#endif

/* Characters of untrusted text (a key, a value, a ref) echoed in a message. */
#ifndef ACT_MAX_ECHO
#define ACT_MAX_ECHO 128
#endif

/* Backtracking steps one `pattern` match may take (PCRE2 match limit): a
 * catastrophic pattern such as (a+)+$ on a long string stops with an error for
 * that string instead of hanging. About 25 ms. */
#ifndef ACT_MAX_REGEX_STEPS
#define ACT_MAX_REGEX_STEPS 10000000
#endif

/* Backtracking steps all the `pattern` matches of one validation may take together
 * (validator/pattern.c says what is counted): 1,000 strings against (a+)+$ cost
 * this much, not 1,000 times ACT_MAX_REGEX_STEPS. Once spent, strings whose match
 * needs backtracking fail their pattern with an error naming this budget. */
#ifndef ACT_MAX_REGEX_BUDGET
#define ACT_MAX_REGEX_BUDGET 100000000UL
#endif

/* Schema applications (one schema's keywords on one instance node) one validation
 * may perform before it stops with an error: ACT_MAX_VALIDATION_STEPS plus
 * ACT_VALIDATION_STEPS_PER_BYTE per byte of the instance's JSON text (8 per node
 * when the text is not at hand), so a large instance gets a proportional budget
 * and a small hostile one stops within about a second. Run time: a fixed number
 * with --max-validation-steps on validate, test and mock. Results of
 * oneOf/anyOf/not branches are remembered within a validation, so work is
 * polynomial; this is the backstop for what is not remembered (an allOf listing
 * one schema twice at every level). A 100 MB instance of GitHub's repository
 * list takes about 2 million steps. */
#ifndef ACT_MAX_VALIDATION_STEPS
#define ACT_MAX_VALIDATION_STEPS 10000000UL
#endif
#ifndef ACT_VALIDATION_STEPS_PER_BYTE
#define ACT_VALIDATION_STEPS_PER_BYTE 2UL
#endif

/* Nested schema applications on one instance path (allOf -> $ref -> anyOf ...
 * plus one per instance level) before validation gives up with a limit
 * error; keeps the validator's recursion well inside the C stack. */
#ifndef ACT_MAX_SCHEMA_DEPTH
#define ACT_MAX_SCHEMA_DEPTH 2048
#endif

/* Locating a node in YAML/JSON rescans the text up to it, so finding the line
 * of every destination is quadratic; d->line is found for the first
 * ACT_DEST_LOCATE_MAX destinations of a YAML/JSON file and is 0 (unknown)
 * after them. Error messages always locate their node. */
#ifndef ACT_DEST_LOCATE_MAX
#define ACT_DEST_LOCATE_MAX 256
#endif
/* Destinations read from one file or directory: bounds memory on hostile input. */
#ifndef ACT_MAX_DESTINATIONS
#define ACT_MAX_DESTINATIONS 10000
#endif

/* Systems and resources of one file whose line is found (each lookup rescans
 * the text); after them, line is 0 (unknown). */
#ifndef ACT_CONNECTOR_LOCATE_MAX
#define ACT_CONNECTOR_LOCATE_MAX 512
#endif

/* Secrets shorter than this are not searched for as plain text in output (masking
 * every "ab" would wreck it); they are still masked in headers, URL userinfo,
 * parameters and JSON members (common/act_redact.c). */
#ifndef ACT_REDACT_MIN_SECRET
#define ACT_REDACT_MIN_SECRET 4
#endif

/* Redirects followed before giving up (curl's --max-redirs). */
#ifndef ACT_MAX_REDIRECTS
#define ACT_MAX_REDIRECTS 10
#endif

/* Default response body cap (run time: --max-size). */
#ifndef ACT_MAX_BODY_BYTES
#define ACT_MAX_BODY_BYTES (64LL * 1024 * 1024)
#endif

/* Response header bytes accepted per response (a header flood stops here). */
#ifndef ACT_MAX_HEADER_BYTES
#define ACT_MAX_HEADER_BYTES (1024L * 1024)
#endif

/* Response headers accepted per response (a flood of small headers stops here,
 * as a large one stops at ACT_MAX_HEADER_BYTES). Real servers send fewer than 100. */
#ifndef ACT_MAX_HEADER_COUNT
#define ACT_MAX_HEADER_COUNT 1000
#endif

/* Default total timeout in milliseconds (run time: --timeout). */
#ifndef ACT_DEFAULT_TIMEOUT_MS
#define ACT_DEFAULT_TIMEOUT_MS 30000L
#endif

/* Schema applications between two asks of a validator's stop callback
 * (act_validator_set_stop): rare enough to cost nothing, frequent enough to stop
 * within a millisecond or so. */
#ifndef ACT_VALIDATE_STOP_EVERY
#define ACT_VALIDATE_STOP_EVERY 1024
#endif

/* actions mock: request bodies buffered at once, over all connections; a request
 * that would go beyond it is answered 503 (run time: --max-buffered). */
#ifndef ACT_MOCK_MAX_BUFFERED
#define ACT_MOCK_MAX_BUFFERED (256LL * 1024 * 1024)
#endif

/* actions mock: time spent validating one request and its answer, in
 * milliseconds; beyond it the request is answered 503 (run time:
 * --validate-timeout). */
#ifndef ACT_MOCK_VALIDATE_MS
#define ACT_MOCK_VALIDATE_MS 2000L
#endif

/* actions mock: connections served at once, a thread each; one beyond them is
 * closed at once (run time: --max-connections). */
#ifndef ACT_MOCK_MAX_CONNECTIONS
#define ACT_MOCK_MAX_CONNECTIONS 512
#endif

/* actions mock: seconds a connection may stay idle (a client withholding its
 * request or its body) before it is closed (run time: --idle-timeout). */
#ifndef ACT_MOCK_IDLE_TIMEOUT
#define ACT_MOCK_IDLE_TIMEOUT 30
#endif

/* Most worker processes `test --all --jobs N` starts. */
#ifndef ACT_MAX_TEST_JOBS
#define ACT_MAX_TEST_JOBS 64
#endif

/* Arazzo runtime expressions: bytes (as compact JSON) of one expression's value, of
 * a string with embedded {$...} expressions, and of a resolved payload. A response
 * body is bounded already; this stops a payload that embeds it many times. */
#ifndef ACT_MAX_EXPR_RESULT_BYTES
#define ACT_MAX_EXPR_RESULT_BYTES (16L * 1024 * 1024)
#endif

/* Nesting of parentheses, `!` and filters in a criterion condition or a JSONPath
 * query: the parsers recurse, so this keeps them well inside the C stack. */
#ifndef ACT_MAX_EXPR_DEPTH
#define ACT_MAX_EXPR_DEPTH 64
#endif

/* Nodes one JSONPath nodelist may hold: `$..*..*` on a large body multiplies. */
#ifndef ACT_MAX_JSONPATH_NODES
#define ACT_MAX_JSONPATH_NODES 1000000L
#endif

/* Evaluation steps (a selector on a node, a filter on a node) one JSONPath query
 * may take: nested descendant filters are polynomial, this bounds their degree's cost. */
#ifndef ACT_MAX_JSONPATH_STEPS
#define ACT_MAX_JSONPATH_STEPS 20000000L
#endif

/* actions run: steps executed in one run, retries and sub-workflow steps included;
 * a goto loop whose criteria never end it stops here with an error naming this
 * limit. */
#ifndef ACT_MAX_RUN_STEPS
#define ACT_MAX_RUN_STEPS 1000
#endif

/* actions run: seconds of retryAfter waits one run may spend in total; a retry
 * that would go beyond it fails its step with an error naming this limit. */
#ifndef ACT_MAX_RETRY_WAIT_S
#define ACT_MAX_RETRY_WAIT_S 300.0
#endif

/* actions run: workflows calling workflows (a step's workflowId, goto workflowId)
 * nested this deep at most; deeper, or a workflow calling itself forever, is an
 * error naming this limit. */
#ifndef ACT_MAX_WORKFLOW_NESTING
#define ACT_MAX_WORKFLOW_NESTING 16
#endif

/* Arazzo documents reached through sourceDescriptions of type arazzo, from one
 * document, in total (cycles are detected; this bounds wide graphs). */
#ifndef ACT_MAX_ARAZZO_DOCS
#define ACT_MAX_ARAZZO_DOCS 64
#endif

#endif
