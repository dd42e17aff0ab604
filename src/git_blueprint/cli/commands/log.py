"""``bp log [ID]``: who moved which blueprint to which status, and when."""

from __future__ import annotations

from git_blueprint.cli.output import Output, Progress, status_style, table
from git_blueprint.errors import UsageError
from git_blueprint.history.progress import silent
from git_blueprint.history.timeline import Timeline, renamed_to
from git_blueprint.store.workspace import open_workspace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from git_blueprint.history.timeline import Version
    from git_blueprint.store.workspace import Workspace

FORMATS = ("text", "json")
SIGNATURES = {
    "G": "signed",
    "U": "signed (key not allowed)",
    "B": "bad signature",
    "N": "",
    "E": "signature unchecked",
    "X": "signed (expired)",
    "Y": "signed (expired key)",
    "R": "signed (revoked key)",
}


def run_log(ref: str | None, fmt: str, out: Output, patch: bool = False) -> int:
    ws = open_workspace()
    if patch:
        if ref is None:
            raise UsageError(
                "--patch: name the blueprint whose history to show (bp log ID --patch)"
            )
        return run_patch_log(ws, ref, fmt, out)
    path = None
    blueprint_id = None
    if ref is not None:
        bp = ws.resolve(ref, must_exist=False)
        path, blueprint_id = bp.rel, bp.id
    events = (
        []
        if not ws.repo.has_commits()
        else Timeline(ws.root, ws.config, ws.repo.git_dir).events(
            path, Progress if fmt != "json" else silent
        )
    )
    if ref is not None and not events and not bp.path.exists():
        raise UsageError(f"{ref}: no such blueprint, now or in its history")
    if ref is not None and events and not bp.path.exists() and events[-1].new is None:
        renamed = renamed_to(ws.root, events[-1].commit, bp.rel)
        if renamed is not None:
            # Renamed away, not deleted: the blueprint's log under the name it has now.
            now = ws.resolve(str(ws.root / renamed), must_exist=False)
            out.note(f"{bp.rel} was renamed to {renamed} in commit {events[-1].commit[:10]}")
            path, blueprint_id = now.rel, now.id
            events = Timeline(ws.root, ws.config, ws.repo.git_dir).events(
                path, Progress if fmt != "json" else silent
            )
    if fmt == "json":
        out.json(
            {
                "schema": "git-blueprint/log/1",
                "id": blueprint_id,
                "events": [e.to_dict() for e in events],
            }
        )
        return 0
    if not events:
        out.note("no status changes in history" + (f" for {blueprint_id}" if blueprint_id else ""))
        return 0
    rows = []
    for e in events:
        if e.old is None and e.new is not None:
            move = f"created {e.new}"
        elif e.new is None:
            move = f"deleted ({e.old})" if e.old else "deleted"
        else:
            move = f"{e.old} -> {e.new}"
        rows.append(
            [
                e.date[:10],
                e.id,
                move,
                e.author[0],
                e.commit[:10],
                f"signed by {e.signer}"
                if e.signature == "G" and e.signer
                else SIGNATURES.get(e.signature, e.signature),
            ]
        )
    statuses = ws.config.statuses

    def paint(column: int, cell: str) -> str:
        if column != 2:
            return cell
        target = cell.rsplit(" ", 1)[-1].strip("()")  # "Draft -> Review", "created Draft"
        return out.paint(cell, *status_style(target, statuses))

    lines = table(rows, ["DATE", "BLUEPRINT", "STATUS", "BY", "COMMIT", "SIGNATURE"], paint)
    out.line(out.paint(lines[0], "bold"))
    for line in lines[1:]:
        out.line(line)
    return 0


def run_patch_log(ws: Workspace, ref: str, fmt: str, out: Output) -> int:
    """``bp log ID --patch``: every commit that changed the blueprint, oldest first, each
    with its semantic diff against the version before: one ``git log`` per name the file
    had and one ``git cat-file --batch`` for every version."""
    from git_blueprint.core.semdiff import FileDiff, Side, diff_documents
    from git_blueprint.git.objects import Blobs
    from git_blueprint.git.rawdiff import ZERO_SHAS
    from git_blueprint.git.repo import EMPTY_TREE
    from git_blueprint.history.timeline import versions
    from git_blueprint.store.documents import parse_blob

    bp = ws.resolve(ref, must_exist=False)
    found = versions(ws.root, ws.config, bp.rel) if ws.repo.has_commits() else []
    if not found:
        if not bp.path.exists():
            raise UsageError(f"{ref}: no such blueprint, now or in its history")
        out.note(f"{bp.id}: no commits have changed it yet")
        return 0
    wanted: list[str] = []
    for v in found:
        wanted += [sha for sha in (v.change.old_sha, v.change.new_sha) if sha not in ZERO_SHAS]
    names = ws.config.names
    diffs: list[tuple[Version, FileDiff]] = []
    cache: dict[str, bytes | None] = {}
    with Blobs(ws.root, list(dict.fromkeys(wanted))) as objects:

        def blob(sha: str) -> bytes | None:
            if sha in ZERO_SHAS:
                return None
            if sha not in cache:
                cache[sha] = objects.read(sha)
            return cache[sha]

        for v in found:
            c = v.change
            old_path = None if c.old_sha in ZERO_SHAS else c.old_path
            new_path = None if c.deleted else c.path
            old_doc = parse_blob(blob(c.old_sha), c.old_path, names)
            new_doc = parse_blob(blob(c.new_sha), c.path, names)
            # a root commit is diffed against git's empty tree, as `git diff EMPTY ROOT` is
            parent = (v.commit.parents[0] if v.commit.parents else EMPTY_TREE)[:10]
            diffs.append(
                (
                    v,
                    FileDiff(
                        c.path,
                        Side(parent, old_path),
                        Side(v.commit.sha[:10], new_path),
                        diff_documents(old_doc, new_doc),
                    ),
                )
            )
    if fmt == "json":
        out.json(
            {
                "schema": "git-blueprint/log/1",
                "id": bp.id,
                "versions": [
                    {
                        "commit": v.commit.sha,
                        "date": v.commit.committer_date,
                        "author": {"name": v.commit.author_name, "email": v.commit.author_email},
                        "subject": v.commit.subject,
                        "diff": d.to_dict(),
                    }
                    for v, d in diffs
                ],
            }
        )
        return 0
    from git_blueprint.render.text import render_text

    for k, (v, d) in enumerate(diffs):
        if k:
            out.line("")
        head = (
            f"commit {v.commit.sha[:10]}  {v.commit.committer_date[:10]}  "
            f"{v.commit.author_name}  {v.commit.subject}"
        )
        out.line(out.paint(head, "yellow"))
        out.stdout.write(render_text([d], out.color))
    return 0
