"""The hooks' and drivers' dispatcher: ``python -m git_blueprint._hook NAME ARGS`` (what
the shims run) and ``bp _hook NAME ARGS`` come here, and each entry point runs inside the
one error boundary, :func:`~git_blueprint.errors.run_guarded`.

Standard library only: the commit path. Each hook's module is imported when it runs.
"""

from __future__ import annotations

import sys

from git_blueprint.errors import run_guarded, say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from git_blueprint.git.index import CommitQuestions


def _pre_commit(args: list[str], questions: CommitQuestions | None, stamp: bool = True) -> int:
    from git_blueprint.hooks.commit import pre_commit

    return pre_commit(stamp=stamp, questions=questions)


def _pre_merge_commit(args: list[str], questions: CommitQuestions | None) -> int:
    return _pre_commit(args, questions, stamp=False)


def _pre_push(args: list[str], questions: CommitQuestions | None) -> int:
    from git_blueprint.hooks.push import pre_push

    return pre_push(args)


def _pre_receive(args: list[str], questions: CommitQuestions | None) -> int:
    from git_blueprint.hooks.push import pre_receive

    return pre_receive()


def _merge_driver(args: list[str], questions: CommitQuestions | None) -> int:
    from git_blueprint.hooks.merge_driver import merge_driver

    return merge_driver(args)


def _diff_driver(args: list[str], questions: CommitQuestions | None) -> int:
    from git_blueprint.hooks.diff_driver import run_diff_driver

    return run_diff_driver(args)


def _textconv(args: list[str], questions: CommitQuestions | None) -> int:
    """The textconv an earlier git-blueprint configured, until ``bp init`` takes it out:
    the file's own bytes, so that git shows the file as it is."""
    try:
        with open(args[0] if args else "/dev/null", "rb") as fh:
            sys.stdout.buffer.write(fh.read())
    except OSError as exc:
        say(f"textconv: {args[0]}: cannot be read: {exc.strerror}")
    sys.stdout.flush()
    return 0


HOOKS: dict[str, Callable[[list[str], CommitQuestions | None], int]] = {
    "pre-commit": _pre_commit,
    "pre-merge-commit": _pre_merge_commit,
    "pre-push": _pre_push,
    "pre-receive": _pre_receive,
    "merge-driver": _merge_driver,
    "diff-driver": _diff_driver,
    "textconv": _textconv,
}


def main(
    argv: list[str] | None = None,
    questions: CommitQuestions | None = None,
    settle: bool | None = None,
) -> int:
    """Run hook ``argv[0]``; ``questions`` are a pre-commit's, already asked. ``settle``
    (by default: when the hook is the process, ``argv`` not given) ignores signals once
    the hook has ended."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in HOOKS:
        say(f"hook: unknown hook {args[0] if args else '(none)'}; known: {', '.join(HOOKS)}")
        return 2
    name, entry = args[0], HOOKS[args[0]]
    return run_guarded(
        lambda: entry(args[1:], questions),
        label=name,
        settle=argv is None if settle is None else settle,
    )
