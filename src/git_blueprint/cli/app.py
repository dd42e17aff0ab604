"""The command-line interface: Typer commands that parse arguments and call ``commands/``.

``run`` is the one place where errors become a one-line message and an exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

# Typer 0.28 carries its own copy of click: its errors must be caught from that copy.
from typer._click import exceptions as click_errors

from git_blueprint import __version__
from git_blueprint.cli.output import COLOR_CHOICES, Output
from git_blueprint.errors import BlueprintError, UsageError, run_guarded

app = typer.Typer(
    name="bp",
    help="Manage a git repository of blueprints: Markdown design documents made from "
    "templates, stamped on every commit, moved Draft → Review → Approved through checked "
    "commits.",
    epilog='Example: bp init designs && cd designs && bp new "Payment Gateway" && bp list',
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_ids(incomplete: str) -> list[str]:
    try:
        from git_blueprint.store.workspace import open_workspace

        return [f.id for f in open_workspace().all_files() if f.id.startswith(incomplete)]
    except BlueprintError:
        return []


def _complete_status(incomplete: str) -> list[str]:
    try:
        from git_blueprint.store.workspace import open_workspace

        statuses = open_workspace().config.statuses
    except BlueprintError:
        statuses = ("Draft", "Review", "Approved")
    return [s for s in statuses if s.lower().startswith(incomplete.lower())]


def _choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(choices)}", param_hint=option)
    return value


ColorOpt = Annotated[
    str, typer.Option("--color", help="Colour: auto (on a terminal), always or never.")
]


def _version(value: bool) -> None:
    if value:
        print(f"git-blueprint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Blueprints: design documents in git, with a workflow git enforces."""


@app.command("init")
def init_cmd(
    path: Annotated[Path, typer.Argument(help="Folder to set up (default: here).")] = Path("."),
) -> None:
    """Make PATH a blueprint repository (runs git init where there is none).

    Writes .blueprint.yaml, the blueprints folder and .gitattributes. Running it again
    changes nothing that is already right.

    Example: bp init my-designs
    """
    from git_blueprint.cli.commands.init import run_init

    raise typer.Exit(run_init(path, Output()))


@app.command("new")
def new_cmd(
    title: Annotated[str, typer.Argument(help="The blueprint's title, e.g. 'Payment Gateway'.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help="Template kind.")] = "integration",
    blueprint_id: Annotated[
        str | None, typer.Option("--id", help="Id (default: made from the title).")
    ] = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Write the file but do not commit it.")
    ] = False,
) -> None:
    """Create a blueprint from a template: title filled, initial status, stamped, committed.

    Only the new file is committed; anything else you had staged stays staged.

    Example: bp new "Payment Gateway" --id payments/gateway
    """
    from git_blueprint.cli.commands.new import run_new

    raise typer.Exit(run_new(title, kind, blueprint_id, not no_commit, Output()))


@app.command("list")
def list_cmd(
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help="Only this status.", autocompletion=_complete_status),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    color: ColorOpt = "auto",
) -> None:
    """List blueprints: id, title, status, author, last updated.

    Example: bp list --status review --format json
    """
    from git_blueprint.cli.commands.listing import FORMATS, run_list

    _choice(color, COLOR_CHOICES, "--color")
    raise typer.Exit(run_list(status, _choice(fmt, FORMATS, "--format"), Output(color)))


@app.command("show")
def show_cmd(
    blueprint: Annotated[str, typer.Argument(help="Id or path.", autocompletion=_complete_ids)],
    rev: Annotated[str | None, typer.Option("--rev", help="Read it as of this revision.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    color: ColorOpt = "auto",
) -> None:
    """Show a blueprint's parsed structure: title, metadata, sections, fields.

    Example: bp show payments/gateway --rev HEAD~3 --format json
    """
    from git_blueprint.cli.commands.show import FORMATS, run_show

    _choice(color, COLOR_CHOICES, "--color")
    raise typer.Exit(run_show(blueprint, rev, _choice(fmt, FORMATS, "--format"), Output(color)))


@app.command("check")
def check_cmd(
    blueprints: Annotated[
        list[str] | None,
        typer.Argument(help="Ids or paths (default: all).", autocompletion=_complete_ids),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    color: ColorOpt = "auto",
    ignore_others: Annotated[
        bool,
        typer.Option(
            "--ignore-others",
            help="Skip named files outside the blueprints folder (for hook managers).",
        ),
    ] = False,
) -> None:
    """Lint blueprints: metadata, status, duplicate keys, unfilled placeholders.

    Each problem is printed as PATH:LINE: SEVERITY RULE: MESSAGE. Exit 1 when any
    error is found (with --strict, any warning too).

    Example: bp check payments/gateway
    """
    from git_blueprint.cli.commands.check import FORMATS, run_check

    _choice(color, COLOR_CHOICES, "--color")
    code = run_check(
        list(blueprints or []),
        strict,
        _choice(fmt, FORMATS, "--format"),
        Output(color),
        ignore_others,
    )
    raise typer.Exit(code)


@app.command("stamp")
def stamp_cmd(
    blueprints: Annotated[
        list[str] | None,
        typer.Argument(
            help="Ids or paths (default: every blueprint changed since HEAD).",
            autocompletion=_complete_ids,
        ),
    ] = None,
) -> None:
    """Stamp Last Updated and Author in working-tree blueprints, as a commit would.

    Named blueprints are always stamped; with none named, those whose content differs
    from HEAD. The date and name come from git (GIT_COMMITTER_DATE pins the date).

    Example: bp stamp payments/gateway
    """
    from git_blueprint.cli.commands.stamp import run_stamp

    raise typer.Exit(run_stamp(list(blueprints or []), Output()))


def _move(
    blueprint: str, forward: bool, to: str | None, message: str | None, no_commit: bool
) -> None:
    from git_blueprint.cli.commands.move import run_move

    raise typer.Exit(run_move(blueprint, forward, to, message, not no_commit, Output()))


BlueprintArg = Annotated[str, typer.Argument(help="Id or path.", autocompletion=_complete_ids)]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Target status.", autocompletion=_complete_status)
]
MessageOpt = Annotated[str | None, typer.Option("--message", "-m", help="Commit message.")]
NoCommitOpt = Annotated[
    bool, typer.Option("--no-commit", help="Change the file but do not commit it.")
]


@app.command("promote")
def promote_cmd(
    blueprint: BlueprintArg,
    to: ToOpt = None,
    message: MessageOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Move a blueprint forward (Draft -> Review -> Approved) and commit that change alone.

    The target is the first allowed status later in the workflow, or --to. Refused (exit
    2) when the blueprint has uncommitted edits; refused by the workflow rules, named as
    the pre-commit hook names them (exit 1), when the move is not allowed, when
    placeholders remain (entering Review or Approved), or when you are its Author
    (entering Approved). Other staged files stay staged. The commit carries Blueprint:
    and Blueprint-Status: trailers.

    Example: bp promote payments/gateway
    """
    _move(blueprint, True, to, message, no_commit)


@app.command("demote")
def demote_cmd(
    blueprint: BlueprintArg,
    to: ToOpt = None,
    message: MessageOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Move a blueprint back (Review -> Draft, Approved -> Draft) and commit that change alone.

    An Approved blueprint must be demoted before its content may change. Refused like
    promote: a broken workflow rule is named, exit 1.

    Example: bp demote payments/gateway -m "Reopen for the EU launch"
    """
    _move(blueprint, False, to, message, no_commit)


@app.command("diff", context_settings={"allow_interspersed_args": True})
def diff_cmd(
    args: Annotated[
        list[str] | None,
        typer.Argument(metavar="[REV [REV]] [-- PATH…]", help="Revisions, then paths after --."),
    ] = None,
    cached: Annotated[
        bool, typer.Option("--cached", "--staged", help="The index against HEAD (or REV).")
    ] = False,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Compare two files A B, anywhere.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or markdown.")] = "text",
    color: ColorOpt = "auto",
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are differences.")
    ] = False,
    ignore_metadata: Annotated[
        bool,
        typer.Option("--ignore-metadata", help="Hide Last Updated and Author changes."),
    ] = False,
) -> None:
    """The semantic diff of blueprints: sections added, removed, moved or renamed; fields
    and words changed; the status change first.

    Like git diff: no revision compares the working tree with the index, one compares it
    with REV, two compare REV with REV; --cached compares the index with HEAD.

    Example: bp diff main --format markdown -- blueprints/payments/gateway.md
    """
    from git_blueprint.cli.commands.diff import FORMATS, run_diff

    given = list(args or [])
    raw = _ARGS
    if "--" in raw:  # Typer drops the separator: split what it gave us by the one typed
        after = raw[raw.index("--") + 1 :]
        revs, paths = given[: len(given) - len(after)], after
    else:
        revs, paths = given, []
    _choice(color, COLOR_CHOICES, "--color")
    code = run_diff(
        revs,
        paths,
        cached,
        no_index,
        _choice(fmt, FORMATS, "--format"),
        color,
        exit_code,
        ignore_metadata,
        Output(color),
    )
    raise typer.Exit(code)


@app.command("log")
def log_cmd(
    blueprint: Annotated[
        str | None, typer.Argument(help="Id or path (default: all).", autocompletion=_complete_ids)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    patch: Annotated[
        bool,
        typer.Option(
            "--patch",
            "-p",
            help="Every commit that changed the blueprint, with its semantic diff.",
        ),
    ] = False,
    color: ColorOpt = "auto",
) -> None:
    """The status timeline read from history: date, blueprint, move, who, commit, signature.

    Read from Blueprint-Status trailers, and from the content of commits without them;
    renames are followed. With --patch, one blueprint's history as semantic diffs, oldest
    first (git log -p shows the lines).

    Example: bp log payments/gateway --patch
    """
    from git_blueprint.cli.commands.log import FORMATS, run_log

    _choice(color, COLOR_CHOICES, "--color")
    raise typer.Exit(
        run_log(blueprint, _choice(fmt, FORMATS, "--format"), Output(color), patch=patch)
    )


@app.command("verify")
def verify_cmd(
    revisions: Annotated[
        str | None,
        typer.Argument(
            metavar="[RANGE]",
            help="A..B, or one revision for its whole history "
            "(default: @{upstream}..HEAD, else HEAD).",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    color: ColorOpt = "auto",
) -> None:
    """Check every commit in RANGE against the workflow rules; exit 1 on violations.

    Each commit is checked against its parent; a merge on what it changed against every
    parent. With a range A..B, the config and the allowed signers are read from A.

    Example: bp verify origin/main..HEAD --format json
    """
    from git_blueprint.cli.commands.verify import FORMATS, run_verify

    _choice(color, COLOR_CHOICES, "--color")
    raise typer.Exit(run_verify(revisions, _choice(fmt, FORMATS, "--format"), Output(color)))


hooks_app = typer.Typer(
    help="Install or remove the git hooks that stamp and check blueprints.",
    epilog="Example: bp hooks install (on a server, in the bare repository: "
    "bp hooks install --server); bp hooks uninstall",
    no_args_is_help=True,
)
app.add_typer(hooks_app, name="hooks")


@hooks_app.command("install")
def hooks_install_cmd(
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace another tool's hook instead of chaining it."),
    ] = False,
    server: Annotated[
        bool,
        typer.Option("--server", help="In a bare repository: install the pre-receive hook."),
    ] = False,
    manager: Annotated[
        str,
        typer.Option(
            "--manager",
            help="Where the hooks go: auto (the hook manager found: husky, lefthook, "
            "pre-commit), one of those by name, or git (hook files in the hooks folder).",
        ),
    ] = "auto",
    allow_shared: Annotated[
        bool,
        typer.Option(
            "--allow-shared",
            help="Install into a hooks folder every repository shares (core.hooksPath set "
            "in ~/.gitconfig or the system's config).",
        ),
    ] = False,
    allow_tracked: Annotated[
        bool,
        typer.Option(
            "--allow-tracked",
            help="Install into a hooks folder git tracks, in the portable form (it runs "
            "the bp found on PATH).",
        ),
    ] = False,
) -> None:
    """Install the git hooks: pre-commit, pre-merge-commit, commit-msg, pre-push
    (with --server, in a bare repository: pre-receive).

    With husky, lefthook or the pre-commit framework, a line running 'bp hooks run HOOK'
    goes into that tool's own configuration (.husky/HOOK, lefthook.yml,
    .pre-commit-config.yaml) instead. Otherwise the hooks go where git looks for them
    (core.hooksPath and linked worktrees are honoured), and a hook of another tool that is
    already there is kept (as HOOK.before-blueprint) and still runs first. A hooks folder
    shared by every repository, or tracked by git, is refused unless allowed.

    Example: bp hooks install, or on the server: bp hooks install --server
    """
    from git_blueprint.cli.commands.hooks import MANAGER_CHOICES, run_hooks_install

    chosen = _choice(manager, MANAGER_CHOICES, "--manager")
    raise typer.Exit(
        run_hooks_install(
            force,
            server,
            Output(),
            allow_shared=allow_shared,
            allow_tracked=allow_tracked,
            manager=chosen,
        )
    )


@hooks_app.command("uninstall")
def hooks_uninstall_cmd(
    allow_shared: Annotated[
        bool,
        typer.Option(
            "--allow-shared",
            help="Also take the hooks out of a hooks folder every repository shares.",
        ),
    ] = False,
) -> None:
    """Remove git-blueprint's hooks: its blocks in hook managers' configuration (each file
    as it was before), its hook files (putting back any hook they had chained) and the
    diff and merge drivers.

    Example: bp hooks uninstall
    """
    from git_blueprint.cli.commands.hooks import run_hooks_uninstall

    raise typer.Exit(run_hooks_uninstall(Output(), allow_shared=allow_shared))


@hooks_app.command(
    "run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def hooks_run_cmd(
    hook: Annotated[
        str, typer.Argument(metavar="HOOK", help="pre-commit, pre-merge-commit, commit-msg, …")
    ],
    args: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ARGS]...", help="The arguments git gave the hook."),
    ] = None,
) -> None:
    """Run git-blueprint's hook HOOK with git's arguments: what husky, lefthook and
    pre-commit framework configurations call. It names no interpreter, so the same line
    works on every machine with bp on PATH.

    Example (in .husky/pre-commit): bp hooks run pre-commit "$@"
    """
    from git_blueprint.hooks.shim import run_hook

    raise typer.Exit(run_hook([hook, *(args or [])]))


comment_app = typer.Typer(
    help="Post the blueprint diff of a pull request (GitHub) or a merge request (GitLab) as "
    "one comment on it, kept up to date.",
    epilog="Example: bp comment github (in a GitHub Actions job); bp comment gitlab "
    "(in a GitLab merge-request pipeline)",
    no_args_is_help=True,
)
app.add_typer(comment_app, name="comment")

RangeArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[RANGE]",
        help="A...B or A..B to diff (default: the pull request's, from the CI environment).",
    ),
]
ApiUrlOpt = Annotated[
    str | None, typer.Option("--api-url", help="The forge's API (default: from the CI job).")
]


@comment_app.command("github")
def comment_github_cmd(
    rev_range: RangeArg = None,
    repo: Annotated[
        str | None, typer.Option("--repo", help="OWNER/NAME (default: GITHUB_REPOSITORY).")
    ] = None,
    pr: Annotated[
        int | None,
        typer.Option("--pr", min=1, help="The pull request's number (default: the event's)."),
    ] = None,
    api_url: ApiUrlOpt = None,
) -> None:
    """Create, or update, the one comment on a GitHub pull request that shows its blueprint
    diff (bp diff --format markdown), found again by a hidden marker.

    The token is GITHUB_TOKEN, from the environment; it needs pull-requests: write. On a
    pull_request event from a fork (a read-only token) it does nothing but say so. When no
    blueprint changed, an existing comment is updated to say so and none is started.

    Example: GITHUB_TOKEN=... bp comment github origin/main...HEAD --repo acme/designs --pr 12
    """
    from git_blueprint.cli.commands.comment import run_comment_github

    raise typer.Exit(run_comment_github(rev_range, repo, pr, api_url, Output()))


@comment_app.command("gitlab")
def comment_gitlab_cmd(
    rev_range: RangeArg = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project", help="The project's id or path (default: CI_MERGE_REQUEST_PROJECT_ID)."
        ),
    ] = None,
    mr: Annotated[
        int | None,
        typer.Option(
            "--mr", min=1, help="The merge request's iid (default: CI_MERGE_REQUEST_IID)."
        ),
    ] = None,
    api_url: ApiUrlOpt = None,
) -> None:
    """Create, or update, the one note on a GitLab merge request that shows its blueprint
    diff (bp diff --format markdown), found again by a hidden marker.

    The token is GITLAB_TOKEN, from the environment: a project access token with the api
    scope (CI_JOB_TOKEN cannot write notes). When no blueprint changed, an existing note is
    updated to say so and none is started.

    Example: bp comment gitlab (in a merge-request pipeline, GITLAB_TOKEN a masked variable)
    """
    from git_blueprint.cli.commands.comment import run_comment_gitlab

    raise typer.Exit(run_comment_gitlab(rev_range, project, mr, api_url, Output()))


# The arguments as typed: click drops the "--" that separates revisions from paths.
_ARGS: list[str] = []


def _invoke(args: list[str], prog: str = "bp") -> int:
    """The command line parsed and run; click's own outcomes become exit codes, and its
    usage errors :class:`UsageError` s for the boundary to report."""
    command = typer.main.get_command(app)
    try:
        result: Any = command.main(args=args, prog_name=prog, standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except click_errors.NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            sys.stdout.write(exc.ctx.get_help() + "\n")
        return 0
    except click_errors.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        raise UsageError(f"{exc.format_message()}{hint}") from None
    except click_errors.ClickException as exc:
        raise UsageError(exc.format_message()) from None
    except typer.Abort:
        raise KeyboardInterrupt from None
    code = int(result or 0)
    if code == 130:  # Typer turns Ctrl-C (and, here, SIGTERM) in a command into 130
        raise KeyboardInterrupt
    return code


def run(args: list[str], prog: str = "bp", settle: bool = False) -> int:
    """Run the CLI on ``args``; returns the exit code. Never lets a traceback out unless
    ``--debug`` was given. ``prog`` is the name it was called by, for usage lines and
    shell completion (``bp``, ``git-blueprint``, ``python -m git_blueprint``). ``settle``:
    this is the process's command, and signals are ignored once it has ended."""
    _ARGS[:] = args
    head = args[: args.index("--")] if "--" in args else args
    return run_guarded(
        lambda: _invoke(args, prog),
        label="error",
        debug="--debug" in head,
        rerun="with --debug",
        settle=settle,
    )
