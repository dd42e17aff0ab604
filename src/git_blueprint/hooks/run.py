"""What the hook shims run, through ``git_blueprint._hook``: the hooks and git drivers.

Standard library only (PyYAML for the config and front matter), and nothing slow to
import (docs/design.md), so that a commit pays tens of milliseconds.
The pre-commit hook stamps the staged blobs with plumbing and mirrors the edit into the
working file only where that file's metadata line still matches; it never stashes,
checks out or runs ``git add``.
"""

from __future__ import annotations

import contextlib
import os
import sys

from git_blueprint.core.config import Config, config_of, read_config_file
from git_blueprint.core.lint import check_text_errors
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.paths import Layout
from git_blueprint.core.stamp import content_changed, stamp_text
from git_blueprint.core.summary import summarize
from git_blueprint.core.workflow import Actor, Version, Violation, check_change, describe
from git_blueprint.errors import BlueprintError, CheckFailed, DocumentError, GitError
from git_blueprint.git.process import (
    ZERO_SHAS,
    CatFile,
    Change,
    CommitQuestions,
    Identity,
    StartedGit,
    git_identity,
    identity_of,
    parse_raw_diff,
    run_git,
)
from git_blueprint.markdown.lines import decode_document
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.interrupts import checkpoint, deferred_signals, interrupt_on_termination

PROG = "git-blueprint"


def note(message: str) -> None:
    sys.stderr.write(f"{PROG}: {message}\n")


class HookContext:
    """The repository a hook runs in: its work tree's root and git folder (absolute), its
    config and where its blueprints are."""

    __slots__ = ("root", "git_dir", "config_bytes", "config", "layout")

    def __init__(
        self, root: str, git_dir: str, config_bytes: bytes | None, config: Config, layout: Layout
    ) -> None:
        self.root = root
        self.git_dir = git_dir
        self.config_bytes = config_bytes  # .blueprint.yaml as read, None without one
        self.config = config
        self.layout = layout

    def is_blueprint(self, path: str) -> bool:
        return self.layout.is_blueprint(path)

    def blueprint_id(self, path: str) -> str:
        return self.layout.blueprint_id(path)


def open_context(where: StartedGit | None = None) -> HookContext:
    """The hook's repository, from ``where`` (a started ``git rev-parse`` of
    :data:`CommitQuestions.WHERE`) or by asking git now."""
    proc = (where or StartedGit(CommitQuestions.WHERE)).result(check=False)
    if proc.returncode != 0:
        raise GitError("the hook is not running inside a git work tree")
    git_dir, root = proc.stdout.decode("utf-8", "surrogateescape").splitlines()[:2]
    data = read_config_file(root)
    config = config_of(data, cache_dir=git_dir)
    return HookContext(root, git_dir, data, config, Layout.of(config, root))


def staged_blueprint_changes(ctx: HookContext, staged: StartedGit | None = None) -> list[Change]:
    """Blueprints this commit adds, modifies, renames or deletes, from ``staged`` (a started
    ``git diff`` of :data:`CommitQuestions.STAGED`) or by asking git now."""
    proc = (staged or StartedGit(CommitQuestions.STAGED, ctx.root)).result()
    return [
        c
        for c in parse_raw_diff(proc.stdout)
        if ctx.is_blueprint(c.path) or ctx.is_blueprint(c.old_path)
    ]


def merge_parents(ctx: HookContext) -> list[str]:
    """The other parents of the merge being made: MERGE_HEAD when a conflicted merge is
    concluded; during a clean merge's pre-merge-commit git has not written MERGE_HEAD yet,
    but names each merged commit in a ``GITHEAD_<sha>`` variable."""
    try:
        with open(os.path.join(ctx.git_dir, "MERGE_HEAD")) as fh:
            return fh.read().split()
    except OSError:
        return sorted(key[len("GITHEAD_") :] for key in os.environ if key.startswith("GITHEAD_"))


class Edit:
    """A stamp to write: the staged change, its text before and after, the values set, and
    (once hashed) the stamped blob's id."""

    __slots__ = ("change", "staged", "stamped", "values", "sha")

    def __init__(self, change: Change, staged: str, stamped: str, values: dict[str, str]) -> None:
        self.change = change
        self.staged = staged  # the staged text before the stamp
        self.stamped = stamped
        self.values = values
        self.sha = ""


def author() -> Actor:
    """The author git will record for this commit: git exports GIT_AUTHOR_NAME and
    GIT_AUTHOR_EMAIL to the pre-commit hook; ``git var`` answers otherwise."""
    name, email = os.environ.get("GIT_AUTHOR_NAME"), os.environ.get("GIT_AUTHOR_EMAIL")
    if name is not None and email is not None:
        return Actor(name, email)
    ident = git_identity("GIT_AUTHOR_IDENT")
    return Actor(ident.name, ident.email)


def _will_sign(ctx: HookContext) -> bool:
    proc = run_git(["config", "--bool", "commit.gpgsign"], ctx.root, check=False)
    return proc.stdout.strip() == b"true"


def pre_commit(stamp: bool = True, questions: CommitQuestions | None = None) -> int:
    """Stamp (unless ``stamp`` is False) and check every staged blueprint: ``bp check``
    errors and the workflow rules against HEAD (and, concluding a merge, against every
    parent). Refuse the commit on any; otherwise write the stamps.

    ``pre-merge-commit`` does not stamp: git has written the merge's tree before that hook
    runs, so a clean merge keeps what the merge driver chose (the later of the stamps)."""
    q = questions or CommitQuestions()
    writers = Writers() if stamp else None
    try:
        ctx = open_context(q.where)
        note_folder(ctx)
        changes = staged_blueprint_changes(ctx, q.staged)
        if not changes:
            record_moves(ctx, [])
            return 0
        who = identity_of(q.committer)
        return _check_and_stamp(ctx, changes, who, q.objects, writers)
    finally:
        if writers is not None:
            writers.close()
        q.close()


def _check_and_stamp(
    ctx: HookContext,
    changes: list[Change],
    who: Identity,
    objects: CatFile,
    writers: Writers | None,
) -> int:
    stamp = writers is not None
    actor = author()
    if ctx.config.signed:
        # The hook cannot see `git commit -S`; it sees commit.gpgsign (bp promote sets it).
        # Whether the key is allowed is bp verify's question, on the server and in CI.
        actor = Actor(actor.name, actor.email, "G" if _will_sign(ctx) else "N")
    others = merge_parents(ctx)
    edits: list[Edit] = []
    problems: list[str] = []
    violations: list[Violation] = []
    moves: list[tuple[str, str, str]] = []
    for change in changes:
        old: Version | None = None
        if change.status not in "A" and ctx.is_blueprint(change.old_path):
            old_data = objects.read(change.old_sha)
            if old_data is not None:
                old = Version.of(change.old_path, old_data.decode("utf-8", "replace"), ctx.config)
        if change.status == "D" or not ctx.is_blueprint(change.path):
            violations += check_change(
                old, None, ctx.config, actor, ctx.blueprint_id(change.old_path)
            )
            continue
        new_data = objects.read(change.new_sha)
        if new_data is None:
            raise GitError(f"{change.path}: staged object {change.new_sha} is missing")
        staged = decode_document(new_data, change.path)
        text = staged
        values: dict[str, str] = {}
        if stamp and content_changed(old.text if old else None, staged, ctx.config):
            try:
                result = stamp_text(staged, who, ctx.config, change.path)
                text, values = result.text, result.values
            except DocumentError:
                pass  # no metadata to stamp where it can be read: the check below says so
        problems += [p.format() for p in check_text_errors(text, change.path, ctx.config)]
        if values:
            edits.append(Edit(change, staged, text, values))
        olds = [old]
        for sha in others:
            data = objects.read(f"{sha}:{change.path}")
            olds.append(
                None
                if data is None
                else Version.of(change.path, data.decode("utf-8", "replace"), ctx.config)
            )
        if others and any(o is not None and o.text == staged for o in olds):
            continue  # the merge took this file from a parent as it was: nothing new
        new = Version.of(change.path, text, ctx.config)
        if old is not None:
            was, now = old.status(ctx.config), new.status(ctx.config)
            if was and now and was != now:
                moves.append((ctx.blueprint_id(change.path), was, now))
        seen: set[str] = set()
        for o in olds:
            for v in check_change(o, new, ctx.config, actor, ctx.blueprint_id(change.path)):
                if v.rule not in seen:
                    seen.add(v.rule)
                    violations.append(v)
    if problems or violations:
        for line in problems:
            sys.stderr.write(line + "\n")
        for line in describe(violations):
            sys.stderr.write(line + "\n")
        count = len(problems) + len(violations)
        raise CheckFailed(f"commit refused: {count} problem(s) in staged blueprints")
    record_moves(ctx, moves)
    if edits:
        assert writers is not None
        checkpoint("stamp-before-write")
        for edit, sha in zip(edits, writers.hash(ctx, [e.stamped for e in edits]), strict=True):
            edit.sha = sha
        checkpoint("stamp-hashed")
        # The index and the working files change together or not at all: a signal that
        # arrives now takes effect once both are written.
        with deferred_signals():
            write_index(ctx, edits, writers)
            checkpoint("stamp-index-written")
            mirror_to_work_tree(ctx, edits)
            checkpoint("stamp-done")
    return 0


class Writers:
    """The git processes a stamp writes through, started with the hook's first questions:
    by the time the stamped text is ready, each has started and ``update-index`` has read
    the index (holding its lock from then on, as it would have to anyway). Closed without
    input, they write nothing."""

    __slots__ = ("_hasher", "_indexer")

    def __init__(self) -> None:
        # The staged blob is already what git's clean filter produced: store it unfiltered.
        self._hasher = StartedGit(
            ["hash-object", "-w", "--no-filters", "--stdin-paths"], stdin=True
        )
        self._indexer = StartedGit(["update-index", "-z", "--index-info"], stdin=True)

    def hash(self, ctx: HookContext, texts: list[str]) -> list[str]:
        """Each text stored as a blob; their object ids, in order."""
        if "\n" in ctx.git_dir:  # a folder --stdin-paths cannot name
            return [_hash_one(ctx, text) for text in texts]
        paths: list[str] = []
        try:
            for i, text in enumerate(texts):
                path = os.path.join(ctx.git_dir, f"blueprint-stamp-{os.getpid()}-{i}.tmp")
                paths.append(path)
                with open(path, "wb") as fh:
                    fh.write(text.encode("utf-8"))
            names = "".join(f"{path}\n" for path in paths).encode("utf-8", "surrogateescape")
            shas = self._hasher.result(names).stdout.decode().split()
        finally:
            for path in paths:
                _unlink(path)
        if len(shas) != len(texts):
            raise GitError(f"git hash-object gave {len(shas)} ids for {len(texts)} blobs")
        return shas

    def update_index(self, ctx: HookContext, lines: list[str]) -> None:
        """The entries into the index git gave the hook."""
        proc = self._indexer.result("".join(lines).encode("utf-8", "surrogateescape"), check=False)
        _index_updated(ctx, proc.returncode, proc.stderr)

    def close(self) -> None:
        """Whatever was not written is not: both processes end without input."""
        self._hasher.result(b"", check=False)
        self._indexer.result(b"", check=False)


def _hash_one(ctx: HookContext, text: str) -> str:
    proc = run_git(
        ["hash-object", "-w", "--no-filters", "--stdin"], ctx.root, input=text.encode("utf-8")
    )
    return proc.stdout.decode().strip()


def _update_index(ctx: HookContext, index_file: str, lines: list[str]) -> None:
    proc = run_git(
        ["update-index", "-z", "--index-info"],
        ctx.root,
        input="".join(lines).encode("utf-8", "surrogateescape"),
        env={"GIT_INDEX_FILE": index_file},
        check=False,
    )
    _index_updated(ctx, proc.returncode, proc.stderr)


def _index_updated(ctx: HookContext, returncode: int, stderr: bytes) -> None:
    if returncode != 0:
        reason = stderr.decode("utf-8", "replace")
        if "index.lock" in reason and "exists" in reason:
            lock = os.path.join(ctx.git_dir, "index.lock")
            raise GitError(
                f"cannot stamp: another git process holds the index lock ({lock}); if none "
                "is running, remove that file and commit again"
            )
        raise GitError(f"git update-index: {reason.strip().splitlines()[0] if reason else '?'}")


def write_index(ctx: HookContext, edits: list[Edit], writers: Writers) -> None:
    """Stamped blobs into the index git commits from, and into the real index as well when
    ``git commit <paths>`` commits from a temporary one (else the next commit would revert
    the stamp)."""
    new_lines = [f"{e.change.new_mode} {e.sha}\t{e.change.path}\0" for e in edits]
    index_file = os.environ.get("GIT_INDEX_FILE")
    partial = index_file is not None and os.path.basename(index_file).startswith("next-index-")
    real_lock = os.path.join(ctx.git_dir, "index.lock")
    if partial:
        _update_index(ctx, real_lock, new_lines)
    try:
        writers.update_index(ctx, new_lines)
    except BlueprintError:
        if partial:
            old_lines = [
                f"{e.change.new_mode} {e.change.new_sha}\t{e.change.path}\0" for e in edits
            ]
            _update_index(ctx, real_lock, old_lines)
        raise


def mirror_to_work_tree(ctx: HookContext, edits: list[Edit]) -> None:
    """The same edit in each working file, where every line it touches still reads as in
    the staged blob; otherwise the working file is left exactly as it is."""
    for edit in edits:
        path = os.path.join(ctx.root, edit.change.path)
        try:
            with open(path, "rb") as fh:
                work = fh.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        new_work = edit.stamped if work == edit.staged else _same_edit(work, edit, ctx.config)
        if new_work is None:
            note(
                f"{edit.change.path}: stamped in the commit; the working file's metadata "
                "lines differ from the staged ones, so it was left as it is"
            )
            continue
        if new_work != work:
            atomic_write(path, new_work.encode("utf-8"), edit.change.path)


def _same_edit(work: str, edit: Edit, config: Config) -> str | None:
    staged = summarize(edit.staged, config.names)
    mine = summarize(work, config.names)
    if staged.metadata.source != mine.metadata.source:
        return None
    for name in edit.values:
        a = staged.metadata.fields.get(name)
        b = mine.metadata.fields.get(name)
        if a is None or b is None:
            return None  # an insertion: only safe where the files are identical
        if staged.src.lines[a.line] != mine.src.lines[b.line]:
            return None
    return set_fields(work, edit.values, config.names, edit.change.path)


TRAILERS_FILE = "blueprint-trailers"


FOLDER_NOTE = "blueprint-folder"


def note_folder(ctx: HookContext) -> None:
    """Leave the blueprints folder, and the config it came from, for the pre-commit shim:
    with them it can see in one git call that a commit stages no blueprint, and skip
    starting Python (a commit of other files then costs milliseconds, not tens of them)."""
    note = os.path.join(ctx.git_dir, FOLDER_NOTE)
    copy = f"{note}.config"
    config = ctx.config_bytes
    prefix = ctx.layout.prefix.encode("utf-8", "surrogateescape")
    if (_read_or_none(note) or b"", _read_or_none(copy)) == (prefix, config):
        return
    try:
        _unlink(note)  # no note while the two files disagree
        if not prefix or b"\n" in prefix:
            # The whole repository (every commit needs the hook), or a folder name the
            # shim cannot read back: no note, and the shim always starts Python.
            return
        if config is None:
            _unlink(copy)
        else:
            atomic_write(copy, config, copy)
        atomic_write(note, prefix, note)
    except (BlueprintError, OSError):
        _unlink(note)  # without a valid note the shim always starts Python


def _read_or_none(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def record_moves(ctx: HookContext, moves: list[tuple[str, str, str]]) -> None:
    """Leave the commit's status moves for the commit-msg hook, which turns them into
    trailers (in its shim, src/git_blueprint/hooks/shim.sh), and removes the file when there
    are none."""
    marker = os.path.join(ctx.git_dir, TRAILERS_FILE)
    if not moves:
        _unlink(marker)
        return
    atomic_write(marker, "".join(f"{i}\t{a}\t{b}\n" for i, a, b in moves).encode("utf-8"))


def _report_and_refuse(violations: list[Violation], what: str) -> int:
    unique = {(v.commit, v.path, v.rule): v for v in violations}
    violations = list(unique.values())
    if not violations:
        return 0
    for line in describe(violations):
        sys.stderr.write(line + "\n")
    raise CheckFailed(f"{what} refused: {len(violations)} workflow violation(s)")


def pre_push(args: list[str]) -> int:
    """``bp verify`` over what is being pushed: for each ref, the commits the remote lacks."""
    from pathlib import Path

    from git_blueprint.history.verify import Verifier

    ctx = open_context()
    remote = args[0] if args else "origin"
    violations: list[Violation] = []
    root, git_dir = Path(ctx.root), Path(ctx.git_dir)
    verifier = Verifier(root, git_dir, ctx.config, work_tree=root, cache_dir=git_dir)
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        _, local_sha, _, remote_sha = parts
        if local_sha in ZERO_SHAS:
            continue  # a deletion pushes no commits
        known = (
            remote_sha not in ZERO_SHAS
            and run_git(
                ["cat-file", "-e", f"{remote_sha}^{{commit}}"], ctx.root, check=False
            ).returncode
            == 0
        )
        revisions = (
            [f"{remote_sha}..{local_sha}"] if known else [local_sha, "--not", f"--remotes={remote}"]
        )
        violations += verifier.run(revisions)
    return _report_and_refuse(violations, "push")


def pre_receive() -> int:
    """On the server: the new commits of every pushed ref, with the config and the allowed
    signers read from the ref's old tip (or the repository's HEAD for a new ref), never from
    the pushed commits. Works inside git's quarantine: nothing here writes a ref."""
    from pathlib import Path

    from git_blueprint.history.verify import Verifier, config_at

    proc = run_git(["rev-parse", "--absolute-git-dir"], check=False)
    if proc.returncode != 0:
        raise GitError("the pre-receive hook is not running inside a git repository")
    git_dir = Path(proc.stdout.decode("utf-8", "surrogateescape").strip())
    cwd = Path.cwd()
    violations: list[Violation] = []
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        old, new, ref = parts
        if new in ZERO_SHAS:
            continue  # a deleted ref brings no commits
        base: str | None = old if old not in ZERO_SHAS else None
        if base is None:
            head = run_git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], cwd, check=False)
            base = head.stdout.decode().strip() if head.returncode == 0 else None
        verifier = Verifier(cwd, git_dir, config_at(cwd, base), base, cache_dir=git_dir)
        found = verifier.run([new, "--not", "--all"])
        violations += [_on_ref(v, ref) for v in found]
    return _report_and_refuse(violations, "push")


def _on_ref(v: Violation, ref: str) -> Violation:
    return Violation(
        v.rule, f"{v.path} ({ref})", v.message, v.fix, v.old_status, v.new_status, v.commit
    )


HOOKS = {
    "pre-commit": lambda args: pre_commit(),
    "pre-merge-commit": lambda args: pre_commit(stamp=False),
    "merge-driver": lambda args: _merge_driver(args),
    "diff-driver": lambda args: _diff_driver(args),
    "textconv": lambda args: _textconv(args),
    "pre-push": lambda args: pre_push(args),
    "pre-receive": lambda args: pre_receive(),
}


def _diff_driver(args: list[str]) -> int:
    from git_blueprint.cli.commands.diff import run_diff_driver

    return run_diff_driver(args)


def _textconv(args: list[str]) -> int:
    from git_blueprint.cli.commands.diff import run_textconv

    return run_textconv(args[0])


def _merge_driver(args: list[str]) -> int:
    from git_blueprint.hooks.merge_driver import merge_driver

    return merge_driver(args)


def main(argv: list[str] | None = None, questions: CommitQuestions | None = None) -> int:
    """Run hook ``argv[0]``; ``questions`` are a pre-commit's, already asked."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in HOOKS:
        note(f"hook: unknown hook {args[0] if args else '(none)'}; known: {', '.join(HOOKS)}")
        return 2
    name = args[0]
    interrupt_on_termination()
    try:
        if name in ("pre-commit", "pre-merge-commit"):
            return pre_commit(stamp=name == "pre-commit", questions=questions)
        return HOOKS[name](args[1:])
    except BlueprintError as exc:
        if str(exc):
            note(f"{name}: {exc}")
        return exc.exit_code if exc.exit_code != 0 else 1
    except KeyboardInterrupt:
        note(f"{name}: interrupted")
        return 130
    except Exception as exc:  # a bug: never a traceback in the middle of someone's commit
        if os.environ.get("GIT_BLUEPRINT_DEBUG"):
            raise
        note(
            f"{name}: internal error: {type(exc).__name__}: {exc} — this is a bug; rerun with "
            "GIT_BLUEPRINT_DEBUG=1 for a traceback"
        )
        return 3
