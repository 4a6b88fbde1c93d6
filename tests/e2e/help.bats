#!/usr/bin/env bats
# help.bats - `actions help`, and what a mistake on the command line prints: one
# "actions: error:" line, then "see: actions CMD --help" (stderr, exit 2).

load helpers

COMMANDS=(list show lint test validate mock dest connector "dest list" "dest show" "dest check"
    "connector list" "connector check")

setup() {
    cd "$BATS_TEST_TMPDIR" # no project file around
}

# usage_error EXPECTED_FIRST_LINE CMD: the last run printed exactly that line and
# "see: actions CMD --help" on stderr, nothing on stdout, and exited 2.
usage_error() {
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$stderr" = "$(printf '%s\nsee: actions %s --help' "$1" "$2")" ]
}

@test "help CMD is CMD --help, for every command and verb (stdout, exit 0)" {
    for cmd in "${COMMANDS[@]}"; do
        run_split act $cmd --help
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
        [[ "$output" == "usage: actions $cmd"* ]]
        local want=$output
        run_split act help $cmd
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
        [ "$output" = "$want" ]
    done
}

@test "help alone is --help; help with an unknown command is the unknown-command error" {
    run_split act --help
    [ "$status" -eq 0 ]
    local want=$output
    run_split act help
    [ "$status" -eq 0 ]
    [ "$output" = "$want" ]
    run_split act help help
    [ "$status" -eq 0 ]
    [ "$output" = "$want" ]
    run_split act help nosuch
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$stderr" = 'actions: error: unknown command "nosuch" (see: actions --help)' ]
}

@test "no arguments: the usage on stderr, exit 2" {
    run_split act
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ "$stderr" == "usage: actions COMMAND"* ]]
    [[ "$stderr" == *"Commands:"*"list"* ]]
}

@test "an unknown command suggests the closest ones" {
    run_split act lst
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: unknown command "lst"; did you mean:\n  list')" ]
    run_split act conector
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: unknown command "conector"; did you mean:\n  connector')" ]
    run_split act frobnicate
    [ "$status" -eq 2 ]
    [ "$stderr" = 'actions: error: unknown command "frobnicate" (see: actions --help)' ]
}

@test "an unknown verb of dest and connector suggests the closest ones" {
    run_split act dest lst
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: unknown verb "lst" for dest; did you mean:\n  list')" ]
    run_split act connector chek
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf 'actions: error: unknown verb "chek" for connector; did you mean:\n  check')" ]
    run_split act dest frobnicate
    [ "$status" -eq 2 ]
    [ "$stderr" = 'actions: error: unknown verb "frobnicate" for dest (see: actions dest --help)' ]
}

@test "dest and connector without a verb: one line naming the verbs" {
    run_split act dest
    usage_error "actions: error: dest needs a VERB: list, show or check" dest
    run_split act connector
    usage_error "actions: error: connector needs a VERB: list or check" connector
}

@test "an unknown long option: one line and see, for every command and verb" {
    for cmd in "${COMMANDS[@]}"; do
        [ "$cmd" = dest ] || [ "$cmd" = connector ] && continue
        run_split act $cmd --bogus
        usage_error "actions: error: unknown option --bogus" "$cmd"
    done
}

@test "an unknown short option: one line and see, for every command and verb" {
    for cmd in "${COMMANDS[@]}"; do
        [ "$cmd" = dest ] || [ "$cmd" = connector ] && continue
        run_split act $cmd -x
        usage_error "actions: error: unknown option -x" "$cmd"
    done
}

@test "a misspelt long option names the closest one" {
    run_split act list --formt json
    usage_error "actions: error: unknown option --formt; did you mean --format?" list
    run_split act test --dets LOCAL
    usage_error "actions: error: unknown option --dets; did you mean --dest?" test
    run_split act dest check --timout 3
    usage_error "actions: error: unknown option --timout; did you mean --timeout?" "dest check"
    run_split act mock --prot 0
    usage_error "actions: error: unknown option --prot; did you mean --port?" mock
}

@test "an option without its argument says so, for every command and verb" {
    local -A needs=([list]=--format [show]=--format [test]=--dest [validate]=--schema
        [mock]=--port ["dest list"]=--destinations ["dest show"]=--format
        ["dest check"]=--path ["connector list"]=--connector ["connector check"]=--timeout)
    for cmd in "${!needs[@]}"; do
        run_split act $cmd "${needs[$cmd]}"
        usage_error "actions: error: option ${needs[$cmd]} needs an argument" "$cmd"
    done
    run_split act test -p
    usage_error "actions: error: option -p needs an argument" test
    run_split act lint --spec
    usage_error "actions: error: option --spec needs an argument" lint
}

@test "an ambiguous prefix and an argument given to a flag are named" {
    run_split act test --d
    usage_error "actions: error: ambiguous option --d (--dest, --destinations)" test
    run_split act test a --all=yes
    usage_error "actions: error: option --all takes no argument" test
}

@test "a missing or extra positional argument: one line and see" {
    run_split act test
    usage_error "actions: error: test needs an ACTION, or --all" test
    run_split act test --dest LOCAL
    usage_error "actions: error: test needs an ACTION, or --all" test
    # a spec file alone: the ACTION after it is what is missing, whether --dest is there or not
    run_split act test "$SPECS/helloworld.json" --dest LOCAL
    usage_error "actions: error: test needs an ACTION after the spec \"$SPECS/helloworld.json\", or --all" test
    run_split act test "$SPECS/helloworld.json"
    usage_error "actions: error: test needs an ACTION after the spec \"$SPECS/helloworld.json\", or --all" test
    run_split act test "$SPECS/helloworld.json" get.hello
    usage_error "actions: error: test needs --dest NAME (actions dest list shows them)" test
    run_split act test "$SPECS/helloworld.json" --all extra --dest X
    usage_error "actions: error: --all runs every action: give SPEC at most, no ACTION" test
    run_split act show
    usage_error "actions: error: show needs an ACTION" show
    run_split act validate
    usage_error "actions: error: validate needs --schema FILE[#PTR], or ACTION with --status CODE" validate
    run_split act dest show
    usage_error "actions: error: dest show needs a destination NAME" "dest show"
    run_split act dest check
    usage_error "actions: error: dest check needs a destination NAME" "dest check"
    run_split act list a b
    usage_error 'actions: error: unexpected argument "b"' list
    run_split act lint a b
    usage_error 'actions: error: unexpected argument "b"' lint
    run_split act show a b c
    usage_error 'actions: error: unexpected argument "c"' show
    run_split act test a b c --dest X
    usage_error 'actions: error: unexpected argument "c"' test
    run_split act mock a b
    usage_error 'actions: error: unexpected argument "b"' mock
    run_split act validate a b c d --status 200
    usage_error 'actions: error: unexpected argument "d"' validate
    run_split act dest list x
    usage_error 'actions: error: unexpected argument "x"' "dest list"
    run_split act dest show A B
    usage_error 'actions: error: unexpected argument "B"' "dest show"
    run_split act connector list x
    usage_error 'actions: error: unexpected argument "x"' "connector list"
    run_split act connector check x
    usage_error 'actions: error: unexpected argument "x"' "connector check"
}

@test "no message of getopt's own: every stderr line is actions: error: or see:" {
    for cmd in "${COMMANDS[@]}"; do
        for bad in --bogus -x --format --dest= -; do
            run_split act $cmd $bad --also-bogus
            [ "$status" -eq 2 ]
            while IFS= read -r line; do
                [[ "$line" == "actions: error: "* || "$line" == "see: actions "* || "$line" == "  "* ]]
            done <<<"$stderr"
        done
    done
}

@test "a bad option value or combination is one error line and see: CMD --help" {
    run_split act list "$SPECS/petstore.yaml" --format xml
    usage_error 'actions: error: unknown --format "xml" (use table or json)' "list"
    run_split act show "$SPECS/petstore.yaml" listPets --format xml
    usage_error 'actions: error: unknown --format "xml" (use text or json)' "show"
    run_split act validate --schema "$SPECS/petstore.yaml" --max-errors -1
    usage_error 'actions: error: --max-errors needs a number >= 0, not "-1"' "validate"
    run_split act mock "$SPECS/petstore.yaml" --port 70000
    usage_error 'actions: error: --port needs a number from 0 to 65535, not "70000"' "mock"
    run_split act test "$SPECS/petstore.yaml" listPets --dest X --jobs 2
    usage_error 'actions: error: --jobs, --shard, --method and --tag go with --all' "test"
    run_split act test "$SPECS/petstore.yaml" --all --dest X --shard 3/2
    usage_error 'actions: error: --shard expects K/N with 1 <= K <= N, got "3/2"' "test"
    run_split act dest check X --timeout 0
    usage_error 'actions: error: --timeout expects a positive number of seconds, got "0"' "dest check"
    run_split act connector list --format xml
    usage_error 'actions: error: unknown --format "xml" (use text or json)' "connector list"
}
