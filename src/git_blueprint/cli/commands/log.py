"""``bp log [ID]``: who moved which blueprint to which status, and when."""

from __future__ import annotations

from git_blueprint.cli.output import Output, Progress, status_style, table
from git_blueprint.errors import UsageError
from git_blueprint.history.progress import silent
from git_blueprint.history.timeline import Timeline, renamed_to
from git_blueprint.store.workspace import open_workspace

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


def run_log(ref: str | None, fmt: str, out: Output) -> int:
    ws = open_workspace()
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
