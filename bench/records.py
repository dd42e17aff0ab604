"""What values.Record costs: the hook path's imports, A/B between two source trees, and
building a record against a hand-written __init__ (docs/performance.md, "Value classes").

    .venv/bin/python bench/records.py OLD_SRC NEW_SRC [RUNS]

OLD_SRC and NEW_SRC are folders holding a ``git_blueprint`` package, such as
``git archive <commit> src | tar -x -C /tmp/old``. Python starts as the shims start it
(``-I -S``); runs alternate between the two trees.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def hook_imports(src: str) -> tuple[int, int, set[str]]:
    """Summed self-times of all modules and of git_blueprint's, in µs, and the modules."""
    code = f"import sys; sys.path.insert(0, {src!r}); import git_blueprint.hooks.run"
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-X", "importtime", "-c", code],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    total = ours = 0
    modules = set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line.removeprefix("import time:").split("|")
        total += int(self_us)
        modules.add(name.strip())
        if name.strip().startswith("git_blueprint"):
            ours += int(self_us)
    return total, ours, modules


CONSTRUCT = """
import sys, timeit
sys.path.insert(0, {src!r})
from git_blueprint.core.workflow import Violation
from git_blueprint.markdown.blocks import Block
from git_blueprint.values import Record

class Declared(Record):
    kind: str
    start: int
    end: int
    level: int
    text: str
    nested: bool

def best(make):
    return min(timeit.repeat(make, number=200_000, repeat=7)) / 200_000 * 1e9

args = ("heading", 3, 4, 2, "Title", False)
print(round(best(lambda: Block(*args))), round(best(lambda: Declared(*args))),
      round(best(lambda: Violation("rule", "path", "message", "fix"))))
"""


def main() -> None:
    old, new = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 41
    for src in (old, new):
        subprocess.run([sys.executable, "-m", "compileall", "-q", src], env=ENV, check=True)
    seen: dict[str, list[tuple[int, int]]] = {old: [], new: []}
    modules: dict[str, set[str]] = {}
    for i in range(runs):
        for src in (old, new) if i % 2 == 0 else (new, old):
            total, ours, modules[src] = hook_imports(src)
            seen[src].append((total, ours))
    for src in (old, new):
        total = statistics.median(t for t, _ in seen[src]) / 1000
        ours = statistics.median(o for _, o in seen[src]) / 1000
        print(f"{src}: hook imports {total:.2f} ms summed self-time, git_blueprint's {ours:.2f} ms")
    print("modules only in the new tree:", sorted(modules[new] - modules[old]) or "none")
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", CONSTRUCT.format(src=new)],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    print(
        f"construction: hand-written Block {out[0]} ns, the same fields declared {out[1]} ns,"
        f" Violation {out[2]} ns"
    )


if __name__ == "__main__":
    main()
