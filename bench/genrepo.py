"""A realistic blueprint repository, generated fast: one ``git fast-import`` stream.

Blueprints are the built-in integration template with every placeholder filled and sizes
varied; the history is edits and legal status moves (Draft -> Review -> Approved by someone
other than the Author, demotions, edits again) with pinned identities and dates, and the
status commits carry the trailers ``bp promote`` writes. Nothing here runs the hooks.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

from git_blueprint.cli.commands.init import attributes_line
from git_blueprint.core.config import CONFIG_NAME, CONFIG_TEMPLATE

GENERATOR_VERSION = 3
STAMP_FILE = "bench-params.json"  # inside the git folder, so never part of the work tree
START = datetime(2023, 1, 2, 9, 0, tzinfo=timezone.utc)
_PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")
_FIELD_LINE = re.compile(r"(?P<head>\s*- \*\*[^*]+\*\*: )(?P<value>.*)")
_NAMED_HEADING = re.compile(r"(?P<head>### [^:]+: )(?P<name>.*)")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = _words(
    "account adapter audit backlog batch broker buffer cache catalog checkout client "
    "cluster consumer contract cursor customer dashboard dataset deadline delivery digest "
    "endpoint event export feed gateway handler index inventory invoice job journal "
    "ledger limit listener manifest mapping message metric order outbox partition payload "
    "payment policy producer profile queue quota record refund region registry replica "
    "request response retry route schedule schema session settlement shard snapshot "
    "source stream tenant throttle token topic tracker upload user vendor version webhook "
    "window worker"
)
VERBS = _words(
    "accepts aggregates archives batches buffers checks collects computes confirms "
    "delivers emits enriches exports fetches filters forwards indexes loads maps merges "
    "publishes queues reads reconciles records replays retries routes samples sends signs "
    "splits stores streams syncs tracks transforms validates writes"
)
ADJECTIVES = _words(
    "async batched cached daily durable eventual hourly idempotent incremental internal "
    "nightly ordered partial primary regional secondary signed stale strict transient "
    "versioned"
)
SYSTEMS = _words(
    "Orders Payments Billing Ledger Inventory Catalog Search Identity Shipping Pricing "
    "Fulfilment Notifications Reporting Analytics Accounts Refunds Tax Fraud Loyalty "
    "Returns"
)
SUFFIXES = ("Service", "API", "Platform", "Store", "Gateway", "Hub", "Engine", "Bridge")
AREAS = _words(
    "payments orders billing identity logistics catalog search data platform mobile web "
    "partners finance support growth security infra ml ops legal"
)
PEOPLE = (
    ("Ada Lovelace", "ada@example.com", "+0000"),
    ("Grace Hopper", "grace@example.com", "-0500"),
    ("Alan Turing", "alan@example.com", "+0000"),
    ("Katherine Johnson", "katherine@example.com", "-0500"),
    ("Edsger Dijkstra", "edsger@example.com", "+0100"),
    ("Barbara Liskov", "barbara@example.com", "-0500"),
    ("Donald Knuth", "don@example.com", "-0800"),
    ("Margaret Hamilton", "margaret@example.com", "-0500"),
    ("Ken Thompson", "ken@example.com", "-0800"),
    ("Frances Allen", "fran@example.com", "-0500"),
    ("Tony Hoare", "tony@example.com", "+0000"),
    ("Radia Perlman", "radia@example.com", "-0800"),
    ("Linus Torvalds", "linus@example.com", "-0800"),
    ("Sophie Wilson", "sophie@example.com", "+0000"),
    ("Bjarne Stroustrup", "bjarne@example.com", "+0100"),
    ("Hedy Lamarr", "hedy@example.com", "+0100"),
)


@dataclass(frozen=True)
class Params:
    """What the generated repository depends on; a repository is reused only when its
    stamp holds the same values."""

    blueprints: int
    commits: int
    big_versions: int
    seed: int = 20231102
    generator: int = GENERATOR_VERSION
    inputs: str = field(default_factory=lambda: inputs_digest())

    def key(self) -> str:
        return f"{self.blueprints}bp-{self.commits}c-{self.big_versions}v-s{self.seed}"


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    tz: str

    def ident(self, when: datetime) -> str:
        return f"{self.name} <{self.email}> {int(when.timestamp())} {self.tz}"

    def local_date(self, when: datetime) -> str:
        sign = -1 if self.tz.startswith("-") else 1
        offset = timedelta(minutes=sign * (int(self.tz[1:3]) * 60 + int(self.tz[3:5])))
        return when.astimezone(timezone(offset)).date().isoformat()


@dataclass
class Blueprint:
    id: str
    body: list[str]  # every line above the metadata footer
    status: str
    last_updated: str
    author: Person
    versions: int = 1

    @property
    def path(self) -> str:
        return f"blueprints/{self.id}.md"

    def text(self) -> str:
        footer = (
            f"**Blueprint Status**: {self.status}\n"
            f"**Last Updated**: {self.last_updated}\n"
            f"**Author**: {self.author.name}\n"
        )
        return "\n".join(self.body) + "\n" + footer


@dataclass
class Summary:
    """What the generated repository holds; written next to the parameters."""

    params: Params
    head: str = ""
    commits: int = 0
    status_commits: int = 0
    trailerless_status_commits: int = 0
    edit_commits: int = 0
    other_commits: int = 0
    big_id: str = ""
    big_path: str = ""
    big_versions: int = 0
    review_id: str = ""
    draft_id: str = ""
    sizes: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class TextMaker:
    """Seeded filler text: no brackets, no Markdown syntax, so nothing reads as a
    placeholder or changes the document's structure."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, low: int = 6, high: int = 18) -> str:
        rng = self.rng
        words: list[str] = []
        for _ in range(rng.randint(low, high)):
            pick = rng.random()
            if pick < 0.15:
                words.append(rng.choice(VERBS))
            elif pick < 0.3:
                words.append(rng.choice(ADJECTIVES))
            else:
                words.append(rng.choice(WORDS))
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 5)))

    def system(self) -> str:
        return f"{self.rng.choice(SYSTEMS)} {self.rng.choice(SUFFIXES)}"

    def name(self) -> str:
        return f"{self.rng.choice(ADJECTIVES).capitalize()} {self.rng.choice(WORDS)} sync"

    def fill(self, placeholder: str, title: str) -> str:
        inner = placeholder[1:-1]
        if inner == "Integration Name":
            return title
        if inner == "System Name":
            return self.system()
        if inner in ("Flow Name", "Point Name", "Name"):
            return self.name()
        if inner == "One-way/two-way":
            return self.rng.choice(("One-way", "Two-way"))
        if inner.split(" ")[0] in ("Metric", "Check", "Alert"):
            return f"{self.rng.choice(WORDS).capitalize()} {self.rng.choice(WORDS)}"
        if inner.startswith("Describe"):
            return self.paragraph()
        return self.sentence(3, 14)


def template_text() -> str:
    return (resources.files("git_blueprint") / "templates" / "integration.md").read_text("utf-8")


def inputs_digest() -> str:
    """What the generated files are made from, in the package: when it changes, the
    repository is generated again."""
    made_from = template_text() + CONFIG_TEMPLATE + attributes_line("blueprints")
    return hashlib.sha256(made_from.encode("utf-8")).hexdigest()[:12]


def template_body() -> list[str]:
    """The built-in integration template's lines above its metadata footer."""
    lines = template_text().rstrip("\n").split("\n")
    footer = next(i for i, line in enumerate(lines) if line.startswith("**Blueprint Status**"))
    return lines[:footer]


def new_body(template: list[str], title: str, maker: TextMaker) -> list[str]:
    body = [_PLACEHOLDER.sub(lambda m: maker.fill(m.group(), title), line) for line in template]
    rng = maker.rng
    for _ in range(rng.choice((0, 0, 1, 2, 3, 6, 10))):
        add_paragraph(body, maker)
    flows = rng.choice((0, 0, 1, 2, 4, 8))
    at = _separator_before(body, "## Integration Points")
    for n in range(flows):
        block = [
            f"### Flow {n + 3}: {maker.name()}",
            f"- **Source**: {maker.sentence(3, 10)}",
            f"- **Destination**: {maker.sentence(3, 10)}",
            f"- **Data**: {maker.sentence(3, 12)}",
            f"- **Frequency**: {maker.sentence(2, 6)}",
            "",
        ]
        body[at:at] = block
        at += len(block)
    return body


def _separator_before(body: list[str], heading: str) -> int:
    """Index of the ``---`` line above ``heading``."""
    index = body.index(heading)
    while body[index] != "---":
        index -= 1
    return index


def _headings(body: list[str]) -> list[int]:
    return [i for i, line in enumerate(body) if line.startswith(("## ", "### ")) and i > 0]


def add_paragraph(body: list[str], maker: TextMaker) -> None:
    at = maker.rng.choice(_headings(body))  # every heading below the title follows a blank line
    body[at:at] = [maker.paragraph(), ""]


def _is_prose(line: str) -> bool:
    return bool(line) and not line.startswith(("#", "-", "*", " "))


def remove_paragraph(body: list[str], maker: TextMaker) -> bool:
    candidates = [
        i
        for i in range(1, len(body) - 1)
        if _is_prose(body[i]) and body[i - 1] == "" and body[i + 1] == ""
    ]
    if not candidates:
        return False
    at = maker.rng.choice(candidates)
    del body[at : at + 2]
    return True


def edit_field(body: list[str], maker: TextMaker) -> None:
    lines = [i for i, line in enumerate(body) if _FIELD_LINE.fullmatch(line)]
    at = maker.rng.choice(lines)
    m = _FIELD_LINE.fullmatch(body[at])
    assert m is not None
    body[at] = m["head"] + maker.sentence(3, 16)


def rename_section(body: list[str], maker: TextMaker) -> None:
    lines = [i for i, line in enumerate(body) if _NAMED_HEADING.fullmatch(line)]
    at = maker.rng.choice(lines)
    m = _NAMED_HEADING.fullmatch(body[at])
    assert m is not None
    body[at] = m["head"] + (maker.system() if "System" in m["head"] else maker.name())


def edit_body(bp: Blueprint, maker: TextMaker, target_size: int | None = None) -> None:
    """One realistic content change; the body always ends up different."""
    before = list(bp.body)
    while bp.body == before:
        roll = maker.rng.random()
        too_big = target_size is not None and len(bp.text()) > target_size
        if too_big and remove_paragraph(bp.body, maker):
            continue
        if roll < 0.5:
            edit_field(bp.body, maker)
        elif roll < 0.75:
            add_paragraph(bp.body, maker)
        elif roll < 0.9:
            rename_section(bp.body, maker)
        elif not remove_paragraph(bp.body, maker):
            edit_field(bp.body, maker)


@dataclass
class Commit:
    author: Person
    when: datetime
    message: str
    files: dict[str, bytes]


class History:
    """The generator's state: blueprints as they are at the tip, and the commits so far."""

    def __init__(self, params: Params) -> None:
        self.params = params
        self.rng = random.Random(params.seed)
        self.maker = TextMaker(self.rng)
        self.people = [Person(*p) for p in PEOPLE]
        self.template = template_body()
        self.blueprints: dict[str, Blueprint] = {}
        self.order: list[str] = []  # ids in creation order, for seeded choices
        self.commits: list[Commit] = []
        self.clock = START
        self.summary = Summary(params)

    def tick(self) -> datetime:
        self.clock += timedelta(minutes=self.rng.randint(3, 240))
        return self.clock

    def other_than(self, person: Person) -> Person:
        return self.rng.choice([p for p in self.people if p != person])

    def new_id(self) -> str:
        while True:
            slug = f"{self.rng.choice(WORDS)}-{self.rng.choice(WORDS)}-{self.rng.randint(1, 999)}"
            bid = f"{self.rng.choice(AREAS)}/{slug}"
            if bid not in self.blueprints:
                return bid

    def create(self, who: Person, when: datetime, bid: str | None = None) -> Blueprint:
        bid = bid or self.new_id()
        title = " ".join(w.capitalize() for w in bid.split("/")[1].split("-")[:2])
        bp = Blueprint(
            bid,
            new_body(self.template, title, self.maker),
            "Draft",
            who.local_date(when),
            who,
        )
        self.blueprints[bid] = bp
        self.order.append(bid)
        return bp

    def add(self, who: Person, when: datetime, message: str, changed: list[Blueprint]) -> None:
        files = {bp.path: bp.text().encode("utf-8") for bp in changed}
        self.commits.append(Commit(who, when, message, files))

    # -- the kinds of commit -------------------------------------------------------------

    def root_commit(self, imported: int) -> None:
        who, when = self.people[0], self.tick()
        changed = [self.create(self.rng.choice(self.people), when) for _ in range(imported)]
        files = {bp.path: bp.text().encode("utf-8") for bp in changed}
        files[CONFIG_NAME] = CONFIG_TEMPLATE.encode("utf-8")
        files[".gitattributes"] = (attributes_line("blueprints") + "\n").encode("utf-8")
        files["README.md"] = b"# Designs\n\nThe team's blueprints, managed with git-blueprint.\n"
        message = f"Import {imported} existing designs"
        self.commits.append(Commit(who, when, message, files))

    def create_commit(self, bid: str | None = None) -> Blueprint:
        who, when = self.rng.choice(self.people), self.tick()
        bp = self.create(who, when, bid)
        self.add(who, when, f"{bp.id}: create (Draft)", [bp])
        return bp

    def edit_commit(self, bps: list[Blueprint], target_size: int | None = None) -> None:
        owner = bps[0].author
        who = owner if self.rng.random() < 0.7 else self.other_than(owner)
        when = self.tick()
        for bp in bps:
            edit_body(bp, self.maker, target_size)
            bp.last_updated = who.local_date(when)
            bp.versions += 1
        subject = f"{bps[0].id}: {self.maker.sentence(3, 8).rstrip('.').lower()}"
        if len(bps) > 1:
            subject = f"Update {len(bps)} blueprints: {self.maker.sentence(2, 5).rstrip('.')}"
        self.add(who, when, subject, bps)
        self.summary.edit_commits += 1

    def move_commit(self, bp: Blueprint, target: str) -> None:
        if target == "Approved":
            who = self.other_than(bp.author)
        else:
            who = bp.author if self.rng.random() < 0.6 else self.other_than(bp.author)
        when = self.tick()
        move = f"{bp.status} -> {target}"
        bp.status = target
        bp.last_updated = who.local_date(when)
        bp.versions += 1
        if self.rng.random() < 0.1:  # committed with --no-verify: no trailers
            message = f"{bp.id}: set status to {target}"
            self.summary.trailerless_status_commits += 1
        else:
            message = f"{bp.id}: {move}\n\nBlueprint: {bp.id}\nBlueprint-Status: {move}"
        self.add(who, when, message, [bp])
        self.summary.status_commits += 1

    def other_commit(self) -> None:
        who, when = self.rng.choice(self.people), self.tick()
        path = f"docs/notes-{self.rng.randint(1, 20)}.md"
        text = f"# Notes\n\n{self.maker.paragraph()}\n".encode()
        self.commits.append(Commit(who, when, "docs: notes", {path: text}))
        self.summary.other_commits += 1

    def step(self, bp: Blueprint, target_size: int | None = None) -> None:
        """The next legal change of ``bp``, chosen by its status."""
        roll = self.rng.random()
        if bp.status == "Draft":
            if roll < 0.6:
                self.edit_commit([bp], target_size)
            else:
                self.move_commit(bp, "Review")
        elif bp.status == "Review":
            if roll < 0.3:
                self.edit_commit([bp], target_size)
            elif roll < 0.8:
                self.move_commit(bp, "Approved")
            else:
                self.move_commit(bp, "Draft")
        else:
            self.move_commit(bp, "Draft")

    def random_commit(self, big: str) -> None:
        if self.rng.random() < 0.02:
            self.other_commit()
            return
        candidates = [b for b in self.order if b != big]
        bp = self.blueprints[self.rng.choice(candidates)]
        if bp.status != "Approved" and self.rng.random() < 0.1:
            editable = [
                self.blueprints[b]
                for b in self.rng.sample(candidates, 3)
                if self.blueprints[b].status != "Approved" and b != bp.id
            ]
            self.edit_commit([bp, *editable[:2]])
            return
        self.step(bp)


def build_history(params: Params) -> History:
    imported = params.blueprints // 2
    created = params.blueprints - imported - 1
    later = params.commits - 1 - created - params.big_versions
    if later < 0:
        raise ValueError(f"{params}: too few commits for that many blueprints and versions")
    h = History(params)
    h.root_commit(imported)
    slots = ["create"] * created + ["big"] * (params.big_versions - 1) + ["random"] * later
    h.rng.shuffle(slots)
    big = h.create_commit("platform/event-bus-integration")
    for slot in slots:
        if slot == "create":
            h.create_commit()
        elif slot == "big":
            h.step(big, target_size=24_000)
        else:
            h.random_commit(big.id)
    s = h.summary
    s.commits = len(h.commits)
    s.big_id, s.big_path, s.big_versions = big.id, big.path, big.versions
    sizes = sorted(len(b.text()) for b in h.blueprints.values())
    s.sizes = {
        "min": sizes[0],
        "median": sizes[len(sizes) // 2],
        "max": sizes[-1],
        "big": len(big.text()),
    }
    for bp in h.blueprints.values():
        s.statuses[bp.status] = s.statuses.get(bp.status, 0) + 1
    s.review_id = next((b for b in h.order if h.blueprints[b].status == "Review"), "")
    s.draft_id = next((b for b in h.order if h.blueprints[b].status == "Draft"), "")
    return h


def fast_import_stream(commits: list[Commit]) -> bytes:
    out: list[bytes] = []
    for n, c in enumerate(commits, start=1):
        message = c.message.encode("utf-8") + b"\n"
        ident = c.author.ident(c.when).encode("utf-8")
        out.append(b"commit refs/heads/main\nmark :%d\n" % n)
        out.append(b"author " + ident + b"\ncommitter " + ident + b"\n")
        out.append(b"data %d\n%s\n" % (len(message), message))
        if n > 1:
            out.append(b"from :%d\n" % (n - 1))
        for path, data in sorted(c.files.items()):
            out.append(b"M 100644 inline " + path.encode("utf-8") + b"\n")
            out.append(b"data %d\n%s\n" % (len(data), data))
        out.append(b"\n")
    return b"".join(out)


def git(repo: Path, *args: str, data: bytes | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.decode(errors='replace')}")
    return proc.stdout.decode("utf-8", "replace").strip()


def read_stamp(repo: Path) -> Summary | None:
    """The summary of a repository generated earlier, put back at its generated tip (a run
    that was interrupted may have left a benchmark commit or edit behind); None when there
    is no usable one."""
    stamp = repo / ".git" / STAMP_FILE
    try:
        data = json.loads(stamp.read_text())
        params = Params(**data["params"])
        summary = Summary(params, **{k: v for k, v in data.items() if k != "params"})
        git(repo, "reset", "-q", "--hard", summary.head)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError):
        return None
    return summary


def generate(repo: Path, params: Params) -> Summary:
    """Write the repository at ``repo`` (which must not exist yet)."""
    history = build_history(params)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    stream = fast_import_stream(history.commits)
    git(repo, "fast-import", "--quiet", "--done", data=stream + b"done\n")
    git(repo, "repack", "-a", "-d", "-f", "-q")
    git(repo, "reset", "-q", "--hard", "main")
    summary = history.summary
    summary.head = git(repo, "rev-parse", "HEAD")
    return summary


def write_stamp(repo: Path, summary: Summary) -> None:
    (repo / ".git" / STAMP_FILE).write_text(json.dumps(summary.to_json(), indent=2) + "\n")
