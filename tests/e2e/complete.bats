#!/usr/bin/env bats
# complete.bats - shell completion: completions/actions.bash through COMP_WORDS and
# COMP_CWORD and the function it registers, completions/_actions loaded by zsh's
# compinit, and the ids `actions __complete` gives, which must be `actions list`'s.

load helpers

setup() {
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    ln -sf "$ACTIONS_BIN" "$BATS_TEST_TMPDIR/bin/actions"
    export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
    export XDG_CACHE_HOME="$BATS_TEST_TMPDIR/cache"
    unset ACTIONS_DESTINATIONS ACTIONS_CONNECTOR
    mkdir -p "$BATS_TEST_TMPDIR/work"
    cd "$BATS_TEST_TMPDIR/work"
}

# comp WORD...: complete the last word of the command line WORD... in bash, as
# readline would (COMP_WORDBREAKS splits "--format=js" into "--format" "=" "js"),
# with the function `complete -p actions` names; prints COMPREPLY, one a line.
comp() {
    bash -c '
        source "$1"
        shift
        fn=$(complete -p actions | sed -E "s/.*-F ([^ ]+) .*/\1/")
        [ -n "$fn" ] || exit 9
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        "$fn" actions "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"
    ' comp "$ROOT/completions/actions.bash" "$@"
}

# ids SPEC: the ids `actions list --format json SPEC` prints, one a line.
list_ids() {
    act list --format json "$1" | python3 -c 'import json, sys
for o in json.load(sys.stdin): print(o["id"])'
}

@test "bash: commands, and the hidden __complete is not one of them" {
    run comp actions ""
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' list show lint dest connector test validate mock run bundle release publish library diff convert help)" ]
    run comp actions te
    [ "$output" = test ]
    run comp actions --
    [ "$output" = "$(printf '%s\n' --help --version)" ]
    run act --help
    [[ "$output" != *__complete* ]]
    run comp actions help l
    [ "$output" = "$(printf '%s\n' list lint library)" ]
}

@test "bash: the options of each command are those its --help lists (plus --help)" {
    for cmd in list show lint test validate mock "dest list" "dest show" "dest check" \
        "connector list" "connector check"; do
        run comp actions $cmd --
        [ "$status" -eq 0 ]
        local got want
        got=$(printf '%s\n' "$output" | sort -u)
        # --spec, --allow-absolute-refs and --ref-map are taken by every command that reads a
        # spec (cli/main.c)
        want=$( (act $cmd --help | grep -oE -- '--[a-z][a-z-]+'; echo --help
            case $cmd in list | show | lint | test | validate | mock) echo --spec; echo --allow-absolute-refs; echo --ref-map ;; esac) | sort -u)
        [ "$got" = "$want" ] || { echo "$cmd: got"; echo "$got"; echo "want"; echo "$want"; false; }
    done
    run comp actions test --de
    [ "$output" = "$(printf '%s\n' --dest --destinations)" ]
}

@test "bash: --format values per command, also written --format=VALUE" {
    run comp actions list --format ""
    [ "$output" = "$(printf '%s\n' table json)" ]
    run comp actions show --format ""
    [ "$output" = "$(printf '%s\n' text json)" ]
    run comp actions test --format j
    [ "$output" = "$(printf '%s\n' json junit)" ]
    run comp actions test --format = ju
    [ "$output" = junit ]
    run comp actions dest list --format ""
    [ "$output" = "$(printf '%s\n' table json)" ]
    run comp actions validate --direction r
    [ "$output" = "$(printf '%s\n' response request)" ]
    run comp actions test --method p
    [ "$output" = "$(printf '%s\n' PUT POST PATCH)" ]
}

@test "bash: dest and connector verbs" {
    run comp actions dest ""
    [ "$output" = "$(printf '%s\n' list show check)" ]
    run comp actions connector ""
    [ "$output" = "$(printf '%s\n' list check)" ]
    run comp actions dest s
    [ "$output" = show ]
}

@test "bash: action ids from the SPEC argument, --spec and \$ACTIONS_SPEC" {
    local want
    want=$(list_ids "$SPECS/petstore.yaml")
    [ "$(echo "$want" | wc -l)" -eq 6 ]
    run comp actions show "$SPECS/petstore.yaml" ""
    [ "$output" = "$want" ]
    run comp actions test "$SPECS/petstore.yaml" ""
    [ "$output" = "$want" ]
    run comp actions show --spec "$SPECS/petstore.yaml" ""
    [ "$output" = "$want" ]
    run comp actions validate "$SPECS/petstore.yaml" show
    [ "$output" = showPetById ]
    ACTIONS_SPEC="$SPECS/petstore.yaml" run comp actions test ""
    [ "$output" = "$want" ]
    ACTIONS_SPEC="$SPECS/petstore.yaml" run comp actions test cr
    [ "$output" = createPet ]
}

@test "bash: action ids and destination names from the project file" {
    cd "$ROOT/examples/hello"
    run comp actions test ""
    [ "$output" = get.hello ]
    run comp actions test get.hello --dest ""
    [ "$output" = "$(printf '%s\n' ON_PREM_HELLO_WORLD ON_PREM_UNMAPPED NUMBER_BACKEND INBOX)" ]
    run comp actions dest show ON_
    [ "$output" = "$(printf '%s\n' ON_PREM_HELLO_WORLD ON_PREM_UNMAPPED)" ]
    run comp actions dest check N
    [ "$output" = NUMBER_BACKEND ]
}

@test "bash: a project's actions list limits the ids; --destinations names the file" {
    cat >actions.yaml <<EOF
spec: $SPECS/petstore.yaml
actions: [createPet, listPets]
EOF
    run comp actions show ""
    [ "$output" = "$(printf '%s\n' listPets createPet)" ]
    run comp actions test x --destinations "$ROOT/examples/hello/destinations.yaml" --dest O
    [ "$output" = "$(printf '%s\n' ON_PREM_HELLO_WORLD ON_PREM_UNMAPPED)" ]
    cp "$ROOT/examples/hello/destinations.yaml" .
    run comp actions dest show ""
    [ "$(echo "$output" | wc -l)" -eq 4 ]
}

@test "bash: file paths after --body, --spec, --destinations, SPEC, and validate's instances" {
    mkdir sub
    touch body.json bother.txt sub/x.json
    run comp actions test get.hello --body b
    [ "$(sort <<<"$output")" = "$(printf '%s\n' body.json bother.txt)" ]
    run comp actions test get.hello --body = bo
    [ "$(sort <<<"$output")" = "$(printf '%s\n' body.json bother.txt)" ]
    run comp actions list s
    [ "$output" = sub ]
    run comp actions list --spec sub/
    [ "$output" = sub/x.json ]
    run comp actions dest list --destinations bod
    [ "$output" = body.json ]
    run comp actions validate --schema s
    [ "$output" = sub ]
    run comp actions validate --schema x.json bo
    [ "$(sort <<<"$output")" = "$(printf '%s\n' body.json bother.txt)" ]
}

@test "__complete never prints an error: bad spec, bad project, no destinations, bad input" {
    printf 'spec: [unclosed\n' >actions.yaml
    for words in "show $SPECS/broken/truncated.json ''" "show $SPECS/broken/swagger12.json ''" \
        "show nosuch.yaml ''" "test x --dest ''" "dest show ''" "nosuch ''" "test --timeout ''"; do
        eval "set -- actions $words"
        run_split act __complete bash $(($# - 1)) "$@"
        [ "$status" -eq 0 ]
        [ -z "$output" ] || { echo "$words: $output"; false; }
        [ -z "$stderr" ]
    done
    run_split act __complete bash 99 actions
    [ "$status" -eq 0 ]
    [ -z "$output$stderr" ]
    run_split act __complete bash x actions
    [ -z "$output$stderr" ]
    run_split act __complete
    [ "$status" -eq 0 ]
    [ -z "$output$stderr" ]
}

@test "zsh: __complete answers whole words (no '=' split)" {
    run act __complete zsh 2 actions test --format=j
    [ "$output" = "$(printf '%s\n' words --format=json --format=junit)" ]
    run act __complete zsh 2 actions test --body=x
    [ "$(echo "$output" | head -n 1)" = files ]
}

@test "zsh: the script parses and compinit registers _actions for actions" {
    command -v zsh >/dev/null || skip "needs zsh: run scripts/deps.sh --test as root (apt-get install zsh)"
    zsh -n "$ROOT/completions/_actions"
    mkdir fn
    cp "$ROOT/completions/_actions" fn/
    run zsh -f -c "fpath=($PWD/fn \$fpath); autoload -Uz compinit && compinit -u -d $BATS_TEST_TMPDIR/zcompdump; print -r -- \${_comps[actions]}"
    [ "$status" -eq 0 ]
    [ "$output" = _actions ]
}

@test "zsh: _actions hands __complete's answer to compadd, or to _files" {
    command -v zsh >/dev/null || skip "needs zsh: run scripts/deps.sh --test as root (apt-get install zsh)"
    cd "$ROOT/examples/hello"
    # outside a completion widget, compadd, compset and _files are stand-ins that say
    # how they were called
    run zsh -f -c '
        compadd() { print -r -- "compadd $*"; }
        compset() { print -r -- "compset $*"; }
        _files() { print -r -- "_files $*"; }
        source "$1"
        words=(actions test ""); CURRENT=3; _actions
        words=(actions test --format=j); CURRENT=3; _actions
        words=(actions dest s); CURRENT=3; _actions
        words=(actions test --body ""); CURRENT=4; _actions
        words=(actions test --body=x); CURRENT=3; _actions
    ' zsh "$ROOT/completions/_actions"
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' 'compadd -- get.hello' 'compadd -- --format=json --format=junit' \
        'compadd -- show' 'compset -P *=' '_files ' 'compset -P *=' '_files ')" ]
}

# --- the ids are `actions list`'s --------------------------------------------------

@test "ids: identical to actions list on every spec in specs/, and on their JSON forms" {
    local s n=0
    while IFS= read -r s; do
        local want got
        want=$(list_ids "$s" 2>/dev/null || true)
        got=$(act __complete bash 3 actions show "$s" "" | tail -n +2)
        [ "$got" = "$want" ] || { echo "differs: $s"; false; }
        [ -z "$want" ] || n=$((n + 1))
        case $s in *.yaml)
            local j="$BATS_TEST_TMPDIR/$(basename "$s" .yaml).json"
            python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"))' "$s" "$j" 2>/dev/null || continue
            want=$(list_ids "$j" 2>/dev/null || true)
            got=$(act __complete bash 3 actions show "$j" "" | tail -n +2)
            [ "$got" = "$want" ] || { echo "differs: $j"; false; }
            ;;
        esac
    done < <(find "$SPECS" -name '*.yaml' -o -name '*.json' | sort)
    [ "$n" -ge 5 ]
}

@test "ids: the JSON skim agrees with the loader on awkward JSON" {
    cat >awkward.json <<'EOF'
{"info": {"title": "a \"}{\" b", "version": "1"}, "x-extra": [{"paths": {"/no": {}}}, "]}"],
 "paths": {
   "/a\u002fb": {"get": {"description": "x \\\" y \\", "operationId": "first"},
                 "summary": "not an operation", "parameters": [],
                 "post": {"operationId": 7}, "put": "not an object",
                 "delete": {"responses": {"200": {"description": "{"}}}},
   "/esc/{id}": {"patch": {"operationId": "\u00e9t\u00e9 \ud83d\ude00 \t tab"}},
   "/empty": {},
   "/scalar": 42,
   "/dup": {"head": {"operationId": "dupHead"}}
 },
 "openapi": "3.0.3"}
EOF
    want=$(list_ids awkward.json)
    [ "$(echo "$want" | wc -l)" -eq 5 ]
    got=$(act __complete bash 3 actions show awkward.json "" | tail -n +2)
    [ "$got" = "$want" ]
    # a duplicate key (a second paths, method or operationId): the loader refuses the
    # document, so completion offers nothing, as list lists nothing
    local head='{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, '
    printf '%s\n' "$head"'"paths": {"/y": {"put": {}}}, "paths": {}}' >dup1.json
    printf '%s\n' "$head"'"paths": {"/x": {"get": {}, "get": {}}}}' >dup2.json
    printf '%s\n' "$head"'"paths": {"/x": {"get": {"operationId": "a", "operationId": "b"}}}}' >dup3.json
    for f in dup1.json dup2.json dup3.json; do
        run act list "$f"
        [ "$status" -eq 2 ]
        [[ "$output" == *"duplicate key"* ]]
        run_split act __complete bash 3 actions show "$f" ""
        [ -z "$output$stderr" ]
    done
    # a path item $ref, and a swagger 2 document: the loader decides, as for list
    printf '%s' '{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/r": {"$ref": "#/x-items/r"}}, "x-items": {"r": {"get": {"operationId": "viaRef"}}}}' >ref.json
    run act __complete bash 3 actions show ref.json ""
    [ "$output" = "$(printf '%s\n' words viaRef)" ]
    [ "$(list_ids ref.json)" = viaRef ]
    printf '%s' '{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "v2"}}}}' >sw.json
    run act __complete bash 3 actions show sw.json ""
    [ "$output" = "$(printf '%s\n' words v2)" ]
    printf '%s' '{"swagger": "1.2", "paths": {"/a": {"get": {"operationId": "no"}}}}' >sw.json
    run_split act __complete bash 3 actions show sw.json ""
    [ -z "$output$stderr" ]
}

@test "ids: a YAML spec's ids are cached by path, size and mtime" {
    cp "$SPECS/petstore.yaml" pets.yaml
    run comp actions show pets.yaml ""
    [ "$(echo "$output" | wc -l)" -eq 6 ]
    ls "$XDG_CACHE_HOME"/actions/ids-*
    # a changed spec is read again, not served from the cache
    sed -i 's/operationId: listPets/operationId: listAllPets/' pets.yaml
    run comp actions show pets.yaml list
    [ "$output" = listAllPets ]
    [ "$(list_ids pets.yaml | head -n 1)" = listAllPets ]
    # a cache that is not whole is ignored
    for f in "$XDG_CACHE_HOME"/actions/ids-*; do printf 'garbage' >"$f"; done
    run comp actions show pets.yaml list
    [ "$output" = listAllPets ]
}

@test "ids: GitHub's description, JSON and YAML, cold and warm cache, are actions list's" {
    local cache=${ACTIONS_BENCH_CACHE:-$HOME/.cache/actions-bench} gh ghy
    gh=$(ls "$cache"/github-*.json 2>/dev/null | head -n 1)
    [ -n "$gh" ] || skip "needs the npm registry: GitHub's description is not cached; run bench/fetch-github.sh once online"
    ghy=${gh%.json}.yaml
    want=$(list_ids "$gh")
    [ "$(echo "$want" | wc -l)" -gt 1000 ]
    got=$(act __complete bash 3 actions show "$gh" "" | tail -n +2)
    [ "$got" = "$want" ]
    if [ -f "$ghy" ]; then
        [ "$(list_ids "$ghy")" = "$want" ]
        got=$(act __complete bash 3 actions show "$ghy" "" | tail -n +2) # cold
        [ "$got" = "$want" ]
        got=$(act __complete bash 3 actions show "$ghy" "" | tail -n +2) # warm
        [ "$got" = "$want" ]
    fi
}

@test "make install puts the bash and zsh scripts where the shells look" {
    make -s -C "$ROOT" install-completions PREFIX=/usr DESTDIR="$BATS_TEST_TMPDIR/root" >/dev/null
    # make install installs them too (its recipe, without building or copying anything)
    run make -n -C "$ROOT" -o actions install PREFIX=/usr DESTDIR=/x
    [[ "$output" == *"completions/actions.bash /x/usr/share/bash-completion/completions/actions"* ]]
    [[ "$output" == *"completions/_actions /x/usr/share/zsh/site-functions/_actions"* ]]
    cmp "$ROOT/completions/actions.bash" "$BATS_TEST_TMPDIR/root/usr/share/bash-completion/completions/actions"
    cmp "$ROOT/completions/_actions" "$BATS_TEST_TMPDIR/root/usr/share/zsh/site-functions/_actions"
}
