"""Templates: the built-in ones shipped with the package, and a repository's own in
``.blueprint/templates/<kind>.md``, which add kinds or override built-in ones."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

from git_blueprint.errors import UsageError

KIND_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
REPO_TEMPLATES = Path(".blueprint") / "templates"
_PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")


def builtin_kinds() -> list[str]:
    folder = resources.files("git_blueprint") / "templates"
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".md"))


def available_kinds(root: Path) -> list[str]:
    local = root / REPO_TEMPLATES
    kinds = set(builtin_kinds())
    if local.is_dir():
        kinds.update(p.stem for p in local.glob("*.md") if KIND_PATTERN.fullmatch(p.stem))
    return sorted(kinds)


def load_template(root: Path, kind: str) -> tuple[str, str]:
    """``(text, where)`` of template ``kind``: the repository's own first, then built-in."""
    if not KIND_PATTERN.fullmatch(kind):
        raise UsageError(f"'{kind}': not a template kind (lowercase letters, digits and '-')")
    local = root / REPO_TEMPLATES / f"{kind}.md"
    if local.is_file():
        from git_blueprint.store.workspace import read_blueprint

        return read_blueprint(local, local.relative_to(root).as_posix()), local.as_posix()
    builtin = resources.files("git_blueprint") / "templates" / f"{kind}.md"
    if builtin.is_file():
        return builtin.read_bytes().decode("utf-8"), f"built-in {kind}"
    raise UsageError(f"'{kind}': no such template (available: {', '.join(available_kinds(root))})")


def slugify(title: str) -> str:
    """An id from a title: "Payment Gateway (EU)" -> "payment-gateway-eu"."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].rstrip("-")


def fill_title(text: str, title: str) -> str:
    """The template with its first H1 naming ``title``: the H1's first placeholder replaced,
    or the part after "Kind: ", or the whole heading; a title is added when there is none."""
    from git_blueprint.core.document import parse_document

    doc = parse_document(text)
    src = doc.src
    if doc.title is None:
        eol = src.dominant_ending()
        head = "\ufeff" if src.bom else ""
        return f"{head}# {title}{eol}{eol}{text[len(head) :]}"
    index = doc.title.line - 1
    line = src.lines[index]
    start = src.content_start(index)
    heading = doc.title.text
    at = line.find(heading)
    if at < 0:
        raise UsageError("the template's title spans several lines; write it as '# Kind: [Name]'")
    m = _PLACEHOLDER.search(heading)
    if m:
        new_heading = heading[: m.start()] + title + heading[m.end() :]
    elif doc.title.kind is not None:
        new_heading = f"{doc.title.kind}: {title}"
    else:
        new_heading = title
    return text[: start + at] + new_heading + text[start + at + len(heading) :]


def relabel_footer(text: str, labels: dict[str, str]) -> str:
    """A template whose footer uses the default labels (``**Blueprint Status**:``…) with
    the labels the config names instead, so that a new blueprint has one footer, the
    configured one. A label the template already uses is left alone."""
    import re

    from git_blueprint.core.config import MetadataNames

    defaults = MetadataNames().footer
    out = text
    for name, wanted in labels.items():
        default = defaults.get(name)
        if default is None or default == wanted:
            continue
        if re.search(rf"^\*\*{re.escape(wanted)}\*\*:", out, re.MULTILINE):
            continue
        found = list(re.finditer(rf"^\*\*{re.escape(default)}\*\*:", out, re.MULTILINE))
        if found:
            last = found[-1]  # the footer is the document's last such line
            out = f"{out[: last.start()]}**{wanted}**:{out[last.end() :]}"
    return out
