#!/bin/sh
# git-blueprint hook shim: @HOOK@. `bp hooks install` writes it; `bp hooks uninstall` removes it.
hook='@HOOK@'
py='@PYTHON@'
if [ -z "$py" ]; then
    # A copy installed by hand: use the interpreter of the `bp` on PATH.
    bp=$(command -v bp 2>/dev/null) && py=$(sed -n '1s/^#!//p' "$bp")
fi
if [ -z "$py" ] || [ ! -x "$py" ]; then
    echo "git-blueprint: the $hook hook cannot find git-blueprint's Python (${py:-bp is not on PATH}): reinstall git-blueprint and run 'bp hooks install', or run 'bp hooks uninstall'" >&2
    exit 1
fi
before="$(dirname "$0")/$hook.before-blueprint"
if [ -x "$before" ]; then
    # The hook that was here before git-blueprint's: it still runs, first.
    if [ "$hook" = pre-push ] || [ "$hook" = pre-receive ]; then
        input=$(mktemp) || exit 1
        trap 'rm -f "$input"' EXIT
        cat >"$input"
        "$before" "$@" <"$input" || exit $?
        "$py" -I -m git_blueprint._hook "$hook" "$@" <"$input"
        exit $?
    fi
    "$before" "$@" || exit $?
fi
# pre-commit: Python starts only when something under the blueprints folder is staged.
# The folder is the one the last run noted, while .blueprint.yaml reads as it did then.
if [ "$hook" = pre-commit ] && note=$(git rev-parse --git-path blueprint-folder 2>/dev/null) &&
    [ -s "$note" ] && if [ -f .blueprint.yaml ]; then cmp -s .blueprint.yaml "$note.config"
    else [ ! -e "$note.config" ]; fi && git diff --cached --quiet -- "$(cat "$note")"; then
    rm -f "$(dirname "$note")/blueprint-trailers"
    exit 0
fi
if [ "$hook" = commit-msg ]; then
    # The pre-commit hook left this commit's status moves, a line each: id, from, to,
    # tab-separated. Each becomes the trailers "Blueprint: id" and "Blueprint-Status: from
    # -> to", unless the message has that pair already (bp promote writes its own).
    moves=$(git rev-parse --git-path blueprint-trailers) && [ -f "$moves" ] || exit 0
    message=$1
    have=$(git interpret-trailers --parse <"$message") || exit 1
    tab=$(printf '\t')
    set --
    while IFS="$tab" read -r id from to; do
        [ -n "$id" ] || continue
        if printf '%s\n' "$have" | grep -qxF -e "Blueprint: $id" &&
            printf '%s\n' "$have" | grep -qxF -e "Blueprint-Status: $from -> $to"; then
            continue
        fi
        set -- "$@" --trailer "Blueprint: $id" --trailer "Blueprint-Status: $from -> $to"
    done <"$moves"
    [ $# -gt 0 ] || exit 0
    exec git interpret-trailers --in-place --if-exists add "$@" "$message"
fi
exec "$py" -I -m git_blueprint._hook "$hook" "$@"
