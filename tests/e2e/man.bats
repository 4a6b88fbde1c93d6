#!/usr/bin/env bats
# The man page doc/actions.1 against the tool: for every command and verb, the
# options `actions CMD [VERB] --help` lists are exactly the options the man page
# documents for it; the page lints clean with mandoc and groff; make install
# puts it in MANDIR/man1.
#
# The man page's convention (see the comment at its top): each command or verb
# has a subsection `.SS "actions CMD [VERB]"`, and each of its options is one
# .TP item whose tag line (the line after .TP) names the option(s). -h/--help
# are global (section OPTIONS) and left out of the comparison.

load helpers

MAN=$ROOT/doc/actions.1

# Option names (-x, --long-name) in text on stdin, one per line, sorted and
# unique. An option starts a word or follows one of [ ( , | so that
# "[--tag TAG]...", "-p, --param N=V" and "--body FILE|-" all count, while
# "2XX-style" or "non-SAP" do not.
opt_names() {
    grep -oE '(^|[][ ,|(])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[][ ,|(]//' |
        grep -vxE -- '-h|--help' | LC_ALL=C sort -u
}

# The options `actions WORDS... --help` lists: its usage lines (up to the first
# blank line) and the first column of its option table (lines starting with
# blanks then "-"; the column ends at the first run of two blanks). Prose is
# not read, so a mention of another command's option cannot count.
help_opts() {
    "$ACTIONS_BIN" "$@" --help | awk '
        NR == 1 { usage = 1 }
        usage && /^[[:space:]]*$/ { usage = 0 }
        usage { print; next }
        /^[[:space:]][[:space:]]+-/ { sub(/^[[:space:]]+/, ""); sub(/  .*/, ""); print }
    ' | opt_names
}

# The roff of the tag lines of the .TP items in subsection `.SS "actions WORDS"`
# of man page $1, with the escapes that matter undone (\- \f? \& \(aq) and
# macro names and quotes removed.
man_tags() {
    local file=$1
    shift
    awk -v want="actions $*" '
        /^\.S[SH][[:space:]]/ {
            t = $0
            sub(/^\.S[SH][[:space:]]+/, "", t)
            gsub(/"/, "", t)
            insec = ($1 == ".SS" && t == want)
            tag = 0
            next
        }
        !insec { next }
        /^\.\\"/ { next }
        /^\.TP([[:space:]]|$)/ { tag = 1; next }
        tag { print; tag = 0 }
    ' "$file" | sed -E 's/\\-/-/g; s/\\f(\[[^]]*\]|\(..|.)//g; s/\\&//g; s/\\\(aq/'"'"'/g;
        s/^\.[A-Z]+[[:space:]]*//; s/"//g'
}

man_opts() {
    man_tags "$@" | opt_names
}

# compare_opts MANFILE WORDS...: fail naming each option that --help lists and
# the man page does not document for that command, or the reverse.
compare_opts() {
    local file=$1
    shift
    local cmd="actions $*" h m bad=0 o
    grep -qxE "\.SS \"?$cmd\"?" "$file" || {
        echo "$cmd: no section .SS \"$cmd\" in doc/actions.1"
        return 1
    }
    h=$(help_opts "$@") || { echo "$cmd --help failed"; return 1; }
    m=$(man_opts "$file" "$@")
    for o in $(LC_ALL=C comm -23 <(printf '%s\n' "$h") <(printf '%s\n' "$m")); do
        echo "$cmd: option $o is in --help but not in doc/actions.1 (add a .TP item to .SS \"$cmd\")"
        bad=1
    done
    for o in $(LC_ALL=C comm -13 <(printf '%s\n' "$h") <(printf '%s\n' "$m")); do
        echo "$cmd: option $o is in doc/actions.1 but not in --help"
        bad=1
    done
    return $bad
}

# The commands `actions --help` lists, then for those with verbs ("Verbs:" in
# their --help) "CMD VERB" instead: one per line.
leaves() {
    local cmd verbs
    for cmd in $("$ACTIONS_BIN" --help | awk '/^Commands:/ { on = 1; next }
            on && /^[^[:space:]]/ { on = 0 } on && NF { print $1 }'); do
        verbs=$("$ACTIONS_BIN" "$cmd" --help | awk '/^Verbs:/ { on = 1; next }
            on && /^[^[:space:]]/ { on = 0 } on && NF { print $1 }')
        if [ -n "$verbs" ]; then
            printf "$cmd %s\n" $verbs
        else
            echo "$cmd"
        fi
    done
}

@test "man: actions list: --help and the man page list the same options" {
    compare_opts "$MAN" list
}

@test "man: actions show: --help and the man page list the same options" {
    compare_opts "$MAN" show
}

@test "man: actions lint: --help and the man page list the same options" {
    compare_opts "$MAN" lint
}

@test "man: actions test: --help and the man page list the same options" {
    compare_opts "$MAN" test
}

@test "man: actions validate: --help and the man page list the same options" {
    compare_opts "$MAN" validate
}

@test "man: actions mock: --help and the man page list the same options" {
    compare_opts "$MAN" mock
}

@test "man: actions dest list: --help and the man page list the same options" {
    compare_opts "$MAN" dest list
}

@test "man: actions dest show: --help and the man page list the same options" {
    compare_opts "$MAN" dest show
}

@test "man: actions dest check: --help and the man page list the same options" {
    compare_opts "$MAN" dest check
}

@test "man: actions connector list: --help and the man page list the same options" {
    compare_opts "$MAN" connector list
}

@test "man: actions connector check: --help and the man page list the same options" {
    compare_opts "$MAN" connector check
}

@test "man: every command and verb in --help has a section, and its options match" {
    run leaves
    [ "$status" -eq 0 ]
    # The listing is read right: the known commands and verbs are all in it.
    for w in list show lint test validate mock "dest list" "dest show" "dest check" \
        "connector list" "connector check"; do
        grep -qx "$w" <<<"$output" || { echo "\"$w\" not found in --help: $output"; false; }
    done
    local bad=0 w
    while IFS= read -r w; do
        # `help` prints the general usage, which the OPTIONS section covers.
        if [ "$w" = help ]; then
            grep -qx '\.SS "actions help"' "$MAN" || { echo "no section for help"; bad=1; }
            continue
        fi
        # shellcheck disable=SC2086
        compare_opts "$MAN" $w || bad=1
    done <<<"$output"
    [ "$bad" -eq 0 ]
}

@test "man: the global options of actions --help are in the OPTIONS section" {
    local m
    m=$(awk '/^\.SH/ { on = ($2 == "OPTIONS"); next } on && /^\.TP/ { getline; print }' "$MAN" |
        sed -E 's/\\-/-/g; s/\\f(\[[^]]*\]|\(..|.)//g' | opt_names)
    for o in $("$ACTIONS_BIN" --help | opt_names) --spec; do
        grep -qx -- "$o" <<<"$m" || { echo "global option $o is not in OPTIONS"; false; }
    done
}

@test "man: the extraction sees what it must (no vacuous comparison)" {
    run help_opts test
    [ "$status" -eq 0 ]
    for o in --dest -p --param -H --header --body --all --method --tag -v --verbose --spec; do
        grep -qx -- "$o" <<<"$output" || { echo "help_opts test: missing $o in: $output"; false; }
    done
    run man_opts "$MAN" test
    for o in --dest -p --param -H --header --body --all --method --tag -v --verbose --spec; do
        grep -qx -- "$o" <<<"$output" || { echo "man_opts test: missing $o in: $output"; false; }
    done
    run man_opts "$MAN" mock
    grep -qx -- -q <<<"$output"
    grep -qx -- --quiet <<<"$output"
}

@test "man: an option added to the man page only, or removed from it, fails the comparison" {
    local fake=$BATS_TEST_TMPDIR/actions.1
    # An extra .TP item in "actions list".
    awk '{ print } $0 == ".SS \"actions list\"" {
        print ".TP"; print "\\fB\\-\\-bogus\\-option\\fR \\fIX\\fR"; print "Not real." }' \
        "$MAN" >"$fake"
    run compare_opts "$fake" list
    [ "$status" -ne 0 ]
    [[ "$output" == *"actions list: option --bogus-option is in doc/actions.1 but not in --help"* ]]
    # The .TP item of -p, --param removed from "actions test".
    awk '/^\.TP$/ { held = $0; next }
        held != "" { if ($0 ~ /--param|\\-\\-param/) { held = ""; skip = 1; next }
                     print held; held = "" }
        skip && /^\.(TP|SS|SH)/ { skip = 0 }
        skip { next }
        { print }' "$MAN" >"$fake"
    run compare_opts "$fake" test
    [ "$status" -ne 0 ]
    [[ "$output" == *"actions test: option --param is in --help but not in doc/actions.1"* ]]
    [[ "$output" == *"actions test: option -p is in --help but not in doc/actions.1"* ]]
    # A missing section.
    sed '/^\.SS "actions dest show"$/d' "$MAN" >"$fake"
    run compare_opts "$fake" dest show
    [ "$status" -ne 0 ]
    [[ "$output" == *'no section .SS "actions dest show"'* ]]
}

@test "man: doc/actions.1 lints clean with mandoc -T lint" {
    command -v mandoc >/dev/null ||
        skip "needs mandoc: apt-get install mandoc (scripts/deps.sh --test does it as root)"
    run mandoc -T lint "$MAN"
    echo "$output"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "man: doc/actions.1 lints clean with groff -ww -z" {
    command -v groff >/dev/null ||
        skip "needs groff: apt-get install groff-base (scripts/deps.sh --test does it as root)"
    run groff -ww -z -man "$MAN"
    echo "$output"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "man: the rendered page fits 80 columns and names every section" {
    command -v man >/dev/null ||
        skip "needs man: apt-get install man-db (scripts/deps.sh --test does it as root)"
    run_split env MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$MAN"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "FILE FORMATS" ENVIRONMENT FILES \
        "EXIT STATUS" EXAMPLES DIAGNOSTICS; do
        grep -qx "$s" <<<"$output" || { echo "no section $s"; false; }
    done
    run python3 -c 'import sys
long = [l for l in sys.stdin.read().splitlines() if len(l) > 80]
print("\n".join(long))
sys.exit(1 if long else 0)' <<<"$output"
    [ "$status" -eq 0 ]
}

@test "man: it says destinations and the connector follow SAP BTP and SAP Cloud Connector" {
    local text msgs
    text=$(env MANWIDTH=200 MANPAGER=cat man -l "$MAN" | tr -s ' \n' '  ')
    [[ "$text" == *"follow the SAP BTP destination service and the SAP Cloud Connector"* ]]
    # The three Cloud Connector messages, exactly as the tool prints them.
    msgs=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$ROOT/runner/route.h" |
        sed -nE 's/^#define ACT_MSG_[A-Z_]+[[:space:]]+"(.*)"$/\1/p')
    [ "$(wc -l <<<"$msgs")" -eq 3 ]
    while IFS= read -r msg; do
        [[ "$text" == *"$msg"* ]] || { echo "missing: $msg"; false; }
    done <<<"$msgs"
    [[ "$text" == *'Connection to "NAME" established. Response returned: "STATUS: REASON"'* ]]
    [[ "$text" == *'Connection to "NAME" failed. Response returned: "STATUS: REASON"'* ]]
}

@test "man: make install puts the page in MANDIR/man1, and man -l reads it there" {
    local dest=$BATS_TEST_TMPDIR/inst
    # The man page's part of the install rule, for real (it needs no build).
    run make -s -C "$ROOT" install-man DESTDIR="$dest" PREFIX=/usr
    [ "$status" -eq 0 ]
    cmp "$MAN" "$dest/usr/share/man/man1/actions.1"
    [ "$(stat -c %a "$dest/usr/share/man/man1/actions.1")" = 644 ]
    # make install runs it (dry run: a real one would rebuild ./actions).
    run make -n -C "$ROOT" install SAN= DESTDIR="$dest" PREFIX=/usr
    [ "$status" -eq 0 ]
    [[ "$output" == *"doc/actions.1 $dest/usr/share/man/man1/actions.1"* ]]
    run make -n -C "$ROOT" install SAN= DESTDIR="$dest" PREFIX=/opt/x MANDIR=/opt/man
    [[ "$output" == *"doc/actions.1 $dest/opt/man/man1/actions.1"* ]]
    if command -v man >/dev/null; then
        run env MANPAGER=cat man -l "$dest/usr/share/man/man1/actions.1"
        [ "$status" -eq 0 ]
        [[ "$output" == *"actions dest check"* ]]
    fi
}

@test "man: the page refers to no file outside the repository" {
    run grep -nE 'CLI\.md|STYLE\.md|\.\./shared' "$MAN"
    [ "$status" -eq 1 ]
}
