#!/bin/bash
# structure-check.sh - the structural facts of the layout, checked on the source tree.
#
#   scripts/structure-check.sh [--root DIR] CHECK...
#
# CHECK is one of:
#   size    cli/ has fewer lines than runner/ (the front end stays thin: the work is in the
#           library, where other front ends can call it)
#   cycles  no include cycle inside a module (common, parser, validator, runner, mock, cli,
#           process).
#           The nodes are units: X.c with X.h (and X_int.h when X.c exists). A header
#           with no .c of its own (cli.h, validator_int.h, ...) is a set of shared
#           declarations, not a unit: including it counts as including what it includes.
#           An arrow U -> V is a file of U including a header of V (a "..." include of
#           the same module); a cycle is a way from a unit back to itself.
#   libs    curl/curl.h only in runner/http.c; microhttpd.h only in the mock's server file
#   urls    no URL parsing outside the URL type (runner/http.c): a heuristic over C code
#           (comments left out) for "://" searched or compared, the delimiters of an
#           authority scanned for, a "?" or "#" searched for (a query or fragment looked
#           for by hand), the hand-written URL helpers the URL type replaced, and a
#           function of the URL type (act_url_*) defined elsewhere. Calls to act_url_*
#           are uses of the URL type, not parsing. The allowed exceptions are listed in
#           URL_ALLOWED below, each with its reason.
#   all     every check above
#
# Prints one line per offence, naming the file and line ("structure: FILE:LINE: ..."),
# and exits 1 when any check fails, 0 when all pass, 2 on a usage error.
set -u

ROOT=.
MODULES="common parser validator runner mock cli process"
CURL_FILE=runner/http.c
MHD_FILE=mock/mock.c
URL_FILE=runner/http.c

# file|fixed text of the line: not URL parsing, and why. Each of these files sits in a
# layer that may not call runner/http.c (the layers run cli -> runner/mock -> validator
# -> parser -> common, no arrow back up, and mock/ does not link the runner), so the URL
# type is out of its reach.
URL_ALLOWED=(
    # common/ is below every module: it masks userinfo wherever a URL stands in free text
    # (messages, traces); redaction has to find URLs in text that is not a URL
    'common/act_redact.c|memcmp(s + i, "://", 3)'
    # parser/ is below the runner: a $ref naming another document by URL is refused,
    # not parsed
    'parser/ref.c|strstr(ref, "://")'
    # mock/ does not link the runner: the mock's server reads a request target in
    # absolute form (RFC 9112 3.2.2)
    'mock/mock.c|strncasecmp(t, "http://", 7)'
    # the Arazzo document loader stands on common/ and parser/ only (process/arazzo.c
    # includes no runner header): a source description naming a URL with a scheme is
    # refused, not parsed (the URL type knows http and https only, this refuses any)
    'process/arazzo.c|strstr(url, "://")'
    # the validator is below the runner: JSON Schema 2020-12 base URIs ($id, $ref) are RFC
    # 3986 references of any scheme (urn:, file:, https:) resolved as text, never fetched;
    # the URL type knows http and https requests only
    'validator/dialect.c|u->auth_n = strcspn(s + i, "/?#");'
    'validator/dialect.c|if (strncmp(u.data, "file://", 7) == 0) {'
)

usage() {
    echo "usage: scripts/structure-check.sh [--root DIR] size|cycles|libs|urls|all..." >&2
    exit 2
}

fail=0
offence() {
    printf 'structure: %s\n' "$*"
    fail=1
}

# The C files of the modules, relative to ROOT, sorted.
c_files() {
    local m
    for m in $MODULES; do
        [ -d "$ROOT/$m" ] || continue
        (cd "$ROOT" && find "$m" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \)) | sort
    done
}

lines_of() {
    local n
    n=$(cd "$ROOT" && find "$1" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) \
        -exec cat {} + 2>/dev/null | wc -l)
    echo "${n:-0}"
}

check_size() {
    local cli runner
    cli=$(lines_of cli)
    runner=$(lines_of runner)
    if [ "$cli" -ge "$runner" ]; then
        offence "cli/: $cli lines, runner/: $runner lines: cli/ must have fewer lines than runner/"
    fi
}

check_cycles() {
    local m out
    for m in $MODULES; do
        [ -d "$ROOT/$m" ] || continue
        # "file<TAB>line<TAB>included path" for each "..." include of the module
        out=$(cd "$ROOT" &&
            for f in "$m"/*.c "$m"/*.h; do
                [ -f "$f" ] || continue
                awk -v f="$f" -v m="$m" '
                    /^[ \t]*#[ \t]*include[ \t]*"/ {
                        s = $0; sub(/^[^"]*"/, "", s); sub(/".*$/, "", s)
                        if (index(s, "/") == 0) s = m "/" s
                        if (index(s, m "/") == 1) print f "\t" FNR "\t" s
                    }' "$f"
            done | awk -F '\t' -v root="$ROOT" '
            function stem(p,   s) { s = p; sub(/^.*\//, "", s); sub(/\.[ch]$/, "", s); return s }
            # The unit of a file, "" for a header of shared declarations.
            function unit(p,   s, d, base) {
                s = stem(p); d = p; sub(/\/[^\/]*$/, "", d)
                if (p ~ /\.c$/) return s
                base = s; sub(/_int$/, "", base)
                if (hasc[d "/" base ".c"]) return base
                return ""
            }
            {
                file[NR] = $1; ln[NR] = $2; inc[NR] = $3; n = NR
                hasfile[$1] = 1
                if ($1 ~ /\.c$/) hasc[$1] = 1
                incs[$1] = incs[$1] SUBSEP NR
            }
            # Arrows from unit u through the includes of file p (shared headers followed).
            function arrows(u, p, via,   k, parts, i, j, t, tu) {
                if (seen[u, p]) return
                seen[u, p] = 1
                k = split(incs[p], parts, SUBSEP)
                for (i = 2; i <= k; i++) {
                    j = parts[i]; t = inc[j]
                    tu = unit(t)
                    if (tu == "") { arrows(u, t, via != "" ? via : file[j] ":" ln[j]); continue }
                    if (tu == u) continue
                    if (!((u, tu) in edge)) {
                        edge[u, tu] = (via != "" ? via : file[j] ":" ln[j]) " includes \"" t "\""
                        adj[u] = adj[u] " " tu
                    }
                }
            }
            function dfs(u,   k, parts, i, v, s, path) {
                color[u] = 1; stack[++sp] = u
                k = split(adj[u], parts, " ")
                for (i = 1; i <= k; i++) {
                    v = parts[i]
                    if (v == "") continue
                    if (color[v] == 1) {
                        # the cycle: v ... u -> v
                        path = ""; why = ""
                        for (s = 1; s <= sp; s++) if (stack[s] == v) break
                        for (; s <= sp; s++) {
                            path = path stack[s] " -> "
                            nxt = s < sp ? stack[s + 1] : v
                            why = why "; " edge[stack[s], nxt]
                        }
                        print path v ": " substr(why, 3)
                    } else if (color[v] == 0) dfs(v)
                }
                color[u] = 2; sp--
            }
            END {
                for (i = 1; i <= n; i++) {
                    u = unit(file[i])
                    if (u != "") { units[u] = 1; arrows(u, file[i], "") }
                }
                for (u in units) if (!color[u]) { sp = 0; dfs(u) }
            }')
        if [ -n "$out" ]; then
            while IFS= read -r line; do
                offence "include cycle in $m/: $line"
            done <<<"$out"
        fi
    done
}

# Files (of the modules) that include <header> or "header", other than the one allowed.
only_in() {
    local header=$1 allowed=$2 f hits re=${1//./\\.}
    hits=$(cd "$ROOT" && c_files | while read -r f; do
        grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]${re}[>\"]" "$f" |
            sed "s|^|$f:|"
    done)
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        case $line in "$allowed":*) continue ;; esac
        offence "${line%%:#*}: includes $header (only $allowed may)"
    done <<<"$hits"
}

check_libs() {
    only_in curl/curl.h "$CURL_FILE"
    only_in microhttpd.h "$MHD_FILE"
}

# The C code of a file with comments blanked (line numbers kept).
code_of() {
    awk '{
        out = ""; s = $0
        while (s != "") {
            if (inc) {
                k = index(s, "*/"); if (!k) { s = ""; break }
                s = substr(s, k + 2); inc = 0; continue
            }
            a = index(s, "/*"); b = index(s, "//"); q = index(s, "\"")
            # a comment opener inside a string literal stays code
            if (q && (!a || q < a) && (!b || q < b)) {
                rest = substr(s, q + 1)
                e = match(rest, /([^"\\]|\\.)*"/)
                if (!e) { out = out s; s = ""; break }
                out = out substr(s, 1, q) substr(rest, 1, RLENGTH); s = substr(rest, RLENGTH + 1)
                continue
            }
            if (b && (!a || b < a)) { out = out substr(s, 1, b - 1); s = ""; break }
            if (a) { out = out substr(s, 1, a - 1) " "; s = substr(s, a + 2); inc = 1; continue }
            out = out s; s = ""
        }
        print out
    }' "$1"
}

check_urls() {
    # "://" searched for or compared; an authority or path delimiter set scanned for; a
    # "?" or "#" searched for; the hand-written URL helpers the URL type replaced, defined
    # or called (a name of its own, not act_url_*: act_url_same_origin is the URL type's);
    # a function of the URL type defined outside it (a definition starts in column 1,
    # a call never does).
    local pat='(strstr|strcasestr|strncmp|strncasecmp|strcmp|strcasecmp|memcmp|memmem)[[:space:]]*\([^;]*"[a-zA-Z+.-]*://"'
    pat+='|str(c?spn|pbrk)[[:space:]]*\([^;]*"[^"]*[:/][^"]*[?#][^"]*"'
    pat+="|str(r?chr|chrnul)[[:space:]]*\\([^;]*'[?]'"
    pat+='|(^|[^a-z_])(url_ok|url_authority|resolve_location|same_origin)[[:space:]]*\('
    pat+='|^[a-z][^;=(]*[^a-z_]act_url_[a-z_]+[[:space:]]*\('
    local f hit lno text a ok
    while read -r f; do
        [ "$f" = "$URL_FILE" ] && continue
        case $f in *.c) ;; *) continue ;; esac
        while IFS= read -r hit; do
            [ -n "$hit" ] || continue
            lno=${hit%%:*}
            text=$(sed -n "${lno}p" "$ROOT/$f")
            ok=0
            for a in "${URL_ALLOWED[@]}"; do
                if [ "${a%%|*}" = "$f" ] && [[ "$text" == *"${a#*|}"* ]]; then
                    ok=1
                    break
                fi
            done
            [ "$ok" = 1 ] && continue
            text=${text#"${text%%[![:space:]]*}"}
            offence "$f:$lno: URL parsing outside the URL type ($URL_FILE): $text"
        done < <(code_of "$ROOT/$f" | grep -nE "$pat")
    done < <(c_files)
}

checks=()
while [ $# -gt 0 ]; do
    case $1 in
    --root)
        [ $# -ge 2 ] || usage
        ROOT=$2
        shift 2
        ;;
    size | cycles | libs | urls) checks+=("$1") && shift ;;
    all) checks+=(size cycles libs urls) && shift ;;
    *) usage ;;
    esac
done
[ ${#checks[@]} -gt 0 ] || usage
[ -d "$ROOT" ] || {
    echo "structure-check: no directory $ROOT" >&2
    exit 2
}
for c in "${checks[@]}"; do
    case $c in
    size) check_size ;;
    cycles) check_cycles ;;
    libs) check_libs ;;
    urls) check_urls ;;
    esac
done
exit $fail
