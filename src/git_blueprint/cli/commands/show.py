"""``bp show``: the parsed document, as an outline or as JSON."""

from __future__ import annotations

from git_blueprint.cli.output import Output, status_style
from git_blueprint.core.content import decode_document
from git_blueprint.core.document import Document, Node, parse_document
from git_blueprint.errors import UsageError
from git_blueprint.git.repo import read_blob, resolve_commit
from git_blueprint.store.workspace import open_workspace, read_blueprint

FORMATS = ("text", "json")


def run_show(ref: str, rev: str | None, fmt: str, out: Output) -> int:
    ws = open_workspace()
    bp = ws.resolve(ref, must_exist=rev is None)
    if rev is None:
        text = read_blueprint(bp.path, bp.rel)
        shown = bp.rel
    else:
        data = read_blob(ws.root, rev, bp.rel)
        if data is None:
            if resolve_commit(ws.root, rev) is None:
                raise UsageError(f"'{rev}': not a revision here")
            raise UsageError(f"{rev}:{bp.rel}: no such blueprint at that revision")
        shown = f"{rev}:{bp.rel}"
        text = decode_document(data, shown)
    doc = parse_document(text, bp.rel, ws.config.names)
    if fmt == "json":
        out.json({"schema": "git-blueprint/show/1", "id": bp.id, "rev": rev, **doc.to_dict()})
        return 0
    _outline(doc, shown, ws.config.statuses, out)
    return 0


def _outline(doc: Document, shown: str, statuses: tuple[str, ...], out: Output) -> None:
    title = doc.title.text if doc.title else "(no title)"
    out.line(out.paint(title, "bold"))
    meta = doc.metadata
    status = meta.value("status") or "?"
    facts = [
        out.paint(status, *status_style(status, statuses)),
        f"updated {meta.value('last_updated') or '?'}",
        f"by {meta.value('author') or '?'}",
        out.paint(shown, "dim"),
    ]
    out.line(" · ".join(facts))
    if doc.text:
        out.line()
        for line in doc.text.splitlines():
            out.line(f"  {line}".rstrip())

    def node(n: Node, depth: int) -> None:
        pad = "  " * depth
        out.line()
        label = n.heading if n.kind is None else f"{n.kind}: {n.key}"
        out.line(pad + out.paint(label, "bold"))
        for f in n.fields:
            value = " ".join(f.value.split())
            out.line(f"{pad}  {out.paint(f.name, 'cyan')}: {value}")
        for line in n.text.splitlines():
            out.line(f"{pad}  {line}".rstrip())
        for child in n.children:
            node(child, depth + 1)

    for n in doc.nodes:
        node(n, 0)
    if doc.placeholders:
        out.line()
        out.line(out.paint(f"{len(doc.placeholders)} placeholder(s) not filled", "yellow"))
