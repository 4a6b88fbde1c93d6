# bash completion for actions
#
# Installed by `make install` as $(PREFIX)/share/bash-completion/completions/actions.
# All the knowledge is in the program: `actions __complete bash CWORD WORD...`
# answers "words" and the candidates, or "files" and the path typed so far.

_actions() {
    local -a reply
    mapfile -t reply < <("${COMP_WORDS[0]}" __complete bash "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null)
    COMPREPLY=()
    case ${reply[0]-} in
    words) COMPREPLY=("${reply[@]:1}") ;;
    files)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "${reply[1]-}")
        ;;
    esac
}
complete -F _actions actions
