#!/usr/bin/env bats
# The structural facts of the layout (scripts/structure-check.sh) on this tree, and for
# each check a small tree that breaks it, so that none of them can pass by doing nothing.

load helpers

CHECK="$ROOT/scripts/structure-check.sh"

# A file under the temporary tree: put PATH < content
put() {
    mkdir -p "$(dirname "$T/$1")"
    cat >"$T/$1"
}

# The check $1 on this repository: passes, or the test fails showing the offences.
on_this_tree() {
    run "$CHECK" --root "$ROOT" "$1"
    [ "$status" -eq 0 ] || {
        echo "$output"
        false
    }
}

# The check $1 on the temporary tree: passes_on_tmp wants no offence, fails_on_tmp some
# (in $output).
passes_on_tmp() {
    run "$CHECK" --root "$T" "$1"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}
fails_on_tmp() {
    run "$CHECK" --root "$T" "$1"
    [ "$status" -eq 1 ]
}

setup() {
    T=$BATS_TEST_TMPDIR/tree
    mkdir -p "$T"
}

@test "structure: cli/ has fewer lines than runner/" {
    on_this_tree size
}

@test "structure: no include cycle inside any module" {
    on_this_tree cycles
}

@test "structure: curl/curl.h only in runner/http.c, microhttpd.h only in the mock's server" {
    on_this_tree libs
}

@test "structure: no URL parsing outside the URL type" {
    on_this_tree urls
}

@test "structure self-test: a cli/ larger than runner/ fails the size check" {
    printf 'int a;\nint b;\nint c;\n' | put cli/main.c
    printf 'int r;\n' | put runner/http.c
    fails_on_tmp size
    [[ "$output" == *"cli/: 3 lines, runner/: 1 lines: cli/ must have fewer lines than runner/"* ]]
    printf 'int s;\nint t;\nint u;\n' | put runner/dest.c
    passes_on_tmp size
}

@test "structure self-test: an include cycle is found, with the includes that make it" {
    printf '#include "parser/b.h"\n' | put parser/a.c
    printf 'void a(void);\n' | put parser/a.h
    printf '#include "shared.h"\n' | put parser/b.c
    printf 'void b(void);\n' | put parser/b.h
    # a header of shared declarations (no shared.c): including it includes a.h
    printf '#include "parser/a.h"\n' | put parser/shared.h
    printf '#include "common/x.h"\n' | put common/y.c
    fails_on_tmp cycles
    [[ "$output" == *"include cycle in parser/: "*" -> "*" -> "* ]]
    [[ "$output" == *'parser/a.c:1 includes "parser/b.h"'* ]]
    [[ "$output" == *'parser/b.c:1 includes "parser/a.h"'* ]]
    [[ "$output" != *common/* ]]
    # the arrow back removed: no cycle
    printf 'int b_only;\n' | put parser/shared.h
    passes_on_tmp cycles
    # process/ is a module too
    printf '#include "process/q.h"\n' | put process/p.c
    printf '#include "process/p.h"\n' | put process/q.c
    printf 'void p(void);\n' | put process/p.h
    printf 'void q(void);\n' | put process/q.h
    fails_on_tmp cycles
    [[ "$output" == *"include cycle in process/: "* ]]
}

@test "structure self-test: curl/curl.h or microhttpd.h elsewhere is named with its line" {
    printf '#include <curl/curl.h>\n' | put runner/http.c
    printf '#include <microhttpd.h>\n' | put mock/mock.c
    passes_on_tmp libs
    printf '#include <stdio.h>\n#include <curl/curl.h>\n' | put runner/dest.c
    printf '\n\n#include <microhttpd.h>\n' | put cli/cmd_mock.c
    fails_on_tmp libs
    [[ "$output" == *"runner/dest.c:2: includes curl/curl.h (only runner/http.c may)"* ]]
    [[ "$output" == *"cli/cmd_mock.c:3: includes microhttpd.h (only mock/mock.c may)"* ]]
}

@test "structure self-test: URL parsing outside runner/http.c is named with its line" {
    printf 'int f(const char *u) { return strstr(u, "://") != 0; }\n' | put runner/http.c
    # in a comment or a message it is not parsing
    put cli/ok.c <<'EOF'
/* strstr(u, "://") finds the scheme */
static const char *m = "listening on http://host";
EOF
    passes_on_tmp urls
    put cli/bad.c <<'EOF'
int f(const char *u)
{
    const char *s = strstr(u, "://");
    size_t n = strcspn(s + 3, "/?#");
    return strncasecmp(u, "https://", 8) == 0 && resolve_location(u, s, n);
}
EOF
    fails_on_tmp urls
    [[ "$output" == *'cli/bad.c:3: URL parsing outside the URL type (runner/http.c): const char *s = strstr(u, "://");'* ]]
    [[ "$output" == *"cli/bad.c:4: "* ]]
    [[ "$output" == *"cli/bad.c:5: "* ]]
    [[ "$output" != *cli/ok.c* ]]
}

@test "structure self-test: calls to the URL type pass, a query looked for or a URL function defined elsewhere fail" {
    printf 'int act_url_join(void) { return 0; }\n' | put runner/http.c
    put runner/exchange.c <<'EOF'
static int f(struct act_buf *b, const char *base, const char *path)
{
    return act_url_join(b, base, path) || act_url_same_origin(0, 0);
}
EOF
    passes_on_tmp urls
    put runner/dest.c <<'EOF'
static int has_query(const char *u)
{
    return strchr(u, '?') != 0;
}
enum act_status act_url_split(const char *u)
{
    return 0;
}
EOF
    fails_on_tmp urls
    [[ "$output" == *"runner/dest.c:3: URL parsing outside the URL type (runner/http.c): return strchr(u, '?') != 0;"* ]]
    [[ "$output" == *"runner/dest.c:5: "* ]]
    [[ "$output" != *runner/exchange.c* ]]
}

@test "structure-check: a usage error exits 2" {
    run "$CHECK" nonsense
    [ "$status" -eq 2 ]
    [[ "$output" == *"usage: scripts/structure-check.sh"* ]]
}
