"""The hook shims' entry point: ``python -I -m git_blueprint._hook NAME ARGS``, or
``python -I -S -c "…; from git_blueprint._hook import run; run()" NAME ARGS``.

A commit's first questions to git are asked before the rest of git-blueprint is imported:
on two cores git answers them while Python loads the modules that read the answers.
"""

import contextlib
import sys


def run() -> None:
    questions = None
    try:
        if sys.argv[1:2] in (["pre-commit"], ["pre-merge-commit"]):
            from git_blueprint.errors import BlueprintError, interrupt_on_termination
            from git_blueprint.git.index import CommitQuestions

            # SIGTERM and SIGHUP unwind like Ctrl-C from here on, so that a hook
            # interrupted while it starts says so, and its git processes are ended.
            interrupt_on_termination()
            # Asked again, inside the error boundary, by the hook, which then reports what
            # went wrong: git missing, a process that cannot be started.
            with contextlib.suppress(BlueprintError, OSError):
                questions = CommitQuestions()
        from git_blueprint.hooks.main import main
    except KeyboardInterrupt:
        if questions is not None:
            questions.stop()
        from git_blueprint.errors import say

        say(f"{sys.argv[1]}: interrupted")
        raise SystemExit(130) from None

    try:
        code = main(questions=questions)
    except KeyboardInterrupt:  # in the instant between the boundary and the process's end
        from git_blueprint.errors import say

        say(f"{sys.argv[1]}: interrupted")
        code = 130
    raise SystemExit(code)


if __name__ == "__main__":
    run()
