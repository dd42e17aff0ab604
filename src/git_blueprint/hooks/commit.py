"""The pre-commit and pre-merge-commit hooks: stamp the staged blobs with plumbing, mirror
the edit into the working file only where that file's metadata lines still match, and
check every staged blueprint against the workflow rules. Never a stash, a checkout or a
``git add``.

Standard library only, and nothing slow to import (docs/design.md): a commit pays for
every module here.
"""

from __future__ import annotations

import os
import sys

from git_blueprint.core.config import Config
from git_blueprint.core.content import decode_document
from git_blueprint.core.lint import Problem, check_text_errors
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.stamp import content_changed, stamp_text
from git_blueprint.core.summary import summarize
from git_blueprint.core.workflow import Version, Violation, check_change, describe
from git_blueprint.errors import BlueprintError, CheckFailed, DocumentError, GitError, say
from git_blueprint.git.index import CommitQuestions, IndexWriter, update_index_file
from git_blueprint.git.objects import CatFile
from git_blueprint.git.process import passing_signals
from git_blueprint.git.rawdiff import Change
from git_blueprint.git.repo import Identity, identity_of
from git_blueprint.hooks.context import (
    HookContext,
    author,
    merge_parents,
    note_folder,
    open_context,
    record_moves,
    staged_blueprint_changes,
)
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.interrupts import checkpoint
from git_blueprint.values import Record


class Edit(Record):
    """A stamp to write: the staged change, its text before and after, the values set, and
    (once hashed) the stamped blob's id."""

    change: Change
    staged: str  # the staged text before the stamp
    stamped: str
    values: dict[str, str]
    sha: str = ""


def pre_commit(stamp: bool = True, questions: CommitQuestions | None = None) -> int:
    """Stamp (unless ``stamp`` is False) and check every staged blueprint: ``bp check``
    errors and the workflow rules against HEAD (and, concluding a merge, against every
    parent). Refuse the commit on any; otherwise write the stamps.

    ``pre-merge-commit`` does not stamp: git has written the merge's tree before that hook
    runs, so a clean merge keeps what the merge driver chose (the later of the stamps)."""
    q = questions or CommitQuestions()
    writers = IndexWriter() if stamp else None
    try:
        ctx = open_context(q.where, q.objects)
        note_folder(ctx)
        changes = staged_blueprint_changes(ctx, q.staged)
        if not changes:
            record_moves(ctx, [])
            return 0
        who = identity_of(q.committer)
        return _check_and_stamp(ctx, changes, who, q.objects, writers)
    except BaseException:
        # Failing or interrupted: git answers that nobody will read must not keep the hook
        # (and the commit) waiting.
        if writers is not None:
            writers.stop()
        q.stop()
        raise
    finally:
        if writers is not None:
            writers.close()
        q.close()


def _check_and_stamp(
    ctx: HookContext,
    changes: list[Change],
    who: Identity,
    objects: CatFile,
    writers: IndexWriter | None,
) -> int:
    stamp = writers is not None
    # Who commits, with no signature state: the hook cannot see `git commit -S` (nor the one
    # `bp promote` makes), so `unsigned` is judged where the signature can be read — the
    # pre-push hook, `bp verify`, the server.
    actor = author()
    others = merge_parents(ctx)
    edits: list[Edit] = []
    problems: list[Problem] = []
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
        problems += check_text_errors(text, change.path, ctx.config)
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
    # A rule the workflow reports (with its fix) is not reported again by the lint; nor are
    # the placeholders of a file that `incomplete` refuses already.
    judged = {(v.path, v.rule) for v in violations}
    judged |= {(v.path, "placeholder") for v in violations if v.rule == "incomplete"}
    problems = [p for p in problems if (p.path, p.rule) not in judged]
    if problems or violations:
        for problem in problems:
            sys.stderr.write(problem.format() + "\n")
        for line in describe(violations):
            sys.stderr.write(line + "\n")
        count = len(problems) + len(violations)
        raise CheckFailed(f"commit refused: {count} problem(s) in staged blueprints")
    record_moves(ctx, moves)
    if edits:
        assert writers is not None
        checkpoint("stamp-before-write")
        for edit, sha in zip(
            edits, writers.hash(ctx.git_dir, [e.stamped for e in edits]), strict=True
        ):
            edit.sha = sha
        checkpoint("stamp-hashed")
        # The index and the working files change together or not at all: a signal that
        # arrives now is passed on to git and takes effect once both are written (or the
        # index write has failed, and nothing is).
        with passing_signals():
            write_index(ctx, edits, writers)
            checkpoint("stamp-index-written")
            mirror_to_work_tree(ctx, edits)
            checkpoint("stamp-done")
    return 0


def write_index(ctx: HookContext, edits: list[Edit], writers: IndexWriter) -> None:
    """Stamped blobs into the index git commits from, and into the real index as well when
    ``git commit <paths>`` commits from a temporary one (else the next commit would revert
    the stamp)."""
    new = [(e.change.new_mode, e.sha, e.change.path) for e in edits]
    index_file = os.environ.get("GIT_INDEX_FILE")
    partial = index_file is not None and os.path.basename(index_file).startswith("next-index-")
    real_lock = os.path.join(ctx.git_dir, "index.lock")
    if partial:
        update_index_file(ctx.root, ctx.git_dir, real_lock, new)
    try:
        writers.update_index(ctx.git_dir, new)
    except BlueprintError:
        if partial:
            old = [(e.change.new_mode, e.change.new_sha, e.change.path) for e in edits]
            update_index_file(ctx.root, ctx.git_dir, real_lock, old)
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
            say(
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
