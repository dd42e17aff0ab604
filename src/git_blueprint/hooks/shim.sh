#!/bin/sh
# git-blueprint hook shim: @HOOK@. `bp hooks install` writes it; `bp hooks uninstall` removes it.
hook='@HOOK@'
# Reached again from inside its own run (another tool's hook that calls this one, kept and
# run by it in turn): the outer run does the work, so a chain can never loop or run twice.
case " ${GIT_BLUEPRINT_IN_HOOK-} " in
    *" $hook "*) exit 0 ;;
esac
GIT_BLUEPRINT_IN_HOOK="${GIT_BLUEPRINT_IN_HOOK-} $hook"
export GIT_BLUEPRINT_IN_HOOK
case $0 in
    */*) before="${0%/*}/$hook.before-blueprint" ;;
    *) before="./$hook.before-blueprint" ;;
esac
# The hooks act in a blueprint repository only: one with .blueprint.yaml at the top of its
# work tree, where git runs a client hook. Elsewhere (a hooks folder that other
# repositories share: core.hooksPath, bp hooks install --allow-shared) only the hook that
# was there before runs.
if [ "$hook" != pre-receive ] && [ ! -f .blueprint.yaml ]; then
    if [ -x "$before" ]; then
        exec "$before" "$@"
    fi
    exit 0
fi
py='@PYTHON@'
# sys.path as `python -I` sees it, fixed when the hooks were installed: Python then starts
# with -S, without the site module, a few milliseconds sooner on every commit. Should the
# package have moved since, the site module is loaded after all.
paths='@PATHS@'
fast="import sys
sys.path[:] = $paths
try:
    from git_blueprint._hook import run
except ImportError:
    import site
    site.main()
    from git_blueprint._hook import run
run()"
if [ -z "$py" ]; then
    # A copy installed by hand, or a tracked hooks folder: use the interpreter of the `bp`
    # on PATH, with its site. Where there is none (a teammate without git-blueprint), what
    # touches no blueprint goes on; what does stops, saying what to install.
    bp=$(command -v bp 2>/dev/null) && py=$(sed -n '1s/^#!//p' "$bp")
    paths=
    if [ -z "$py" ] && [ "$hook" != pre-receive ]; then
        f=$(sed -n 's/^blueprints:[ ]*\([^ #]*\).*/\1/p' .blueprint.yaml 2>/dev/null | tr -d '"')
        f=${f:-blueprints}
        if [ "$hook" = pre-push ]; then
            [ -n "$(git rev-list -1 HEAD --not --remotes -- "$f")" ] || exit 0
        else
            git diff --cached --quiet -- "$f" && exit 0
        fi
        echo "git-blueprint: the $hook hook of this repository checks blueprints with bp, which is not on PATH: install git-blueprint (from where your team gets it) and try again" >&2
        exit 1
    fi
fi
if [ -z "$py" ] || [ ! -x "$py" ]; then
    echo "git-blueprint: the $hook hook cannot find git-blueprint's Python (${py:-bp is not on PATH}): reinstall git-blueprint and run 'bp hooks install', or run 'bp hooks uninstall'" >&2
    exit 1
fi
if [ -x "$before" ]; then
    # The hook that was here before git-blueprint's: it still runs, first.
    if [ "$hook" = pre-push ] || [ "$hook" = pre-receive ]; then
        input=$(mktemp) || exit 1
        trap 'rm -f "$input"' EXIT
        cat >"$input"
        "$before" "$@" <"$input" || exit $?
        if [ -n "$paths" ]; then
            "$py" -I -S -c "$fast" "$hook" "$@" <"$input"
        else
            "$py" -I -m git_blueprint._hook "$hook" "$@" <"$input"
        fi
        exit $?
    fi
    "$before" "$@" || exit $?
fi
# pre-commit: Python starts only when something under the blueprints folder is staged.
# The folder is the one the last run noted in the git folder (where the index that git
# gives the hook lives), trusted while .blueprint.yaml reads as it did then. Shell
# built-ins, cmp and one git call: a commit of other files costs a few milliseconds.
if [ "$hook" = pre-commit ]; then
    case ${GIT_INDEX_FILE:-} in
        */*) note="${GIT_INDEX_FILE%/*}/blueprint-folder" ;;
        *) note= ;;
    esac
    if [ -n "$note" ] && [ -s "$note" ]; then
        folder=
        IFS= read -r folder <"$note" || :
        if [ -f .blueprint.yaml ]; then
            cmp -s .blueprint.yaml "$note.config" || folder=
        elif [ -e "$note.config" ]; then
            folder=
        fi
        if [ -n "$folder" ] && git diff --cached --quiet -- "$folder"; then
            trailers="${note%/*}/blueprint-trailers"
            if [ -e "$trailers" ]; then rm -f "$trailers"; fi
            exit 0
        fi
    fi
fi
if [ "$hook" = commit-msg ]; then
    # The pre-commit hook left this commit's status moves, a line each: id, from, to,
    # tab-separated, in the git folder, beside the message file git gives this hook. Each
    # becomes the trailers "Blueprint: id" and "Blueprint-Status: from -> to", unless the
    # message has that pair already (bp promote writes its own).
    message=$1
    case $message in
        */*) moves="${message%/*}/blueprint-trailers" ;;
        *) moves=blueprint-trailers ;;
    esac
    [ -f "$moves" ] || exit 0
    have=$(git interpret-trailers --parse <"$message") || exit 1
    nl='
'
    have="$nl$have$nl"
    tab=$(printf '\t')
    set --
    while IFS="$tab" read -r id from to; do
        [ -n "$id" ] || continue
        case $have in
            *"${nl}Blueprint: $id$nl"*)
                case $have in
                    *"${nl}Blueprint-Status: $from -> $to$nl"*) continue ;;
                esac
                ;;
        esac
        set -- "$@" --trailer "Blueprint: $id" --trailer "Blueprint-Status: $from -> $to"
    done <"$moves"
    [ $# -gt 0 ] || exit 0
    exec git interpret-trailers --in-place --if-exists add "$@" "$message"
fi
if [ -n "$paths" ]; then
    exec "$py" -I -S -c "$fast" "$hook" "$@"
fi
exec "$py" -I -m git_blueprint._hook "$hook" "$@"
