"""How long the document model takes: ``parse_document`` in-process on the template and on
every corpus version, and ``bp show`` / ``bp diff --no-index`` as whole cold processes on a
large blueprint.

    .venv/bin/python bench/parse.py [--runs N] [--out FILE]

In-process figures are the median over documents of each document's median over N runs
(after one warm-up), in microseconds; process figures are medians of whole runs. To compare
two revisions, extract the other's ``src`` (``git archive REV src | tar -x -C DIR``) and run
with ``PYTHONPATH=DIR/src``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
TEMPLATE = ROOT / "src" / "git_blueprint" / "templates" / "integration.md"
# As a module, so that PYTHONPATH can choose the source tree being measured.
BP = [sys.executable, "-m", "git_blueprint"]


def per_document(text: str, runs: int) -> float:
    """Median seconds of ``parse_document`` on ``text``, placeholders not asked for."""
    from git_blueprint.core.document import parse_document

    parse_document(text)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        parse_document(text)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def in_process(runs: int) -> dict[str, float]:
    texts = [p.read_bytes().decode("utf-8") for p in sorted(CORPUS.glob("*/v*.md"))]
    template = TEMPLATE.read_text(encoding="utf-8")
    corpus = [per_document(t, runs) for t in texts]
    biggest = max(texts, key=len)
    return {
        "template_us": per_document(template, runs) * 1e6,
        "corpus_median_us": statistics.median(corpus) * 1e6,
        "corpus_total_ms": sum(corpus) * 1e3,
        "corpus_documents": len(texts),
        "largest_corpus_us": per_document(biggest, max(3, runs // 10)) * 1e6,
        "largest_corpus_kb": len(biggest.encode()) / 1024,
    }


def process_median(argv: list[str], cwd: Path, runs: int, ok: tuple[int, ...]) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
        if proc.returncode not in ok:
            raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.decode()}")
    return statistics.median(times)


def processes(runs: int) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    import run as bench_run  # the benchmark's own large pair

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = work / "repo"
        old, new = bench_run.synthetic_pair(work / "pair")
        subprocess.run([*BP, "init", str(repo)], capture_output=True, check=True)
        shutil.copyfile(new, repo / "blueprints" / "catalogue.md")
        cases = {
            "show_5000_items_ms": ([*BP, "show", "catalogue"], repo),
            "show_5000_items_json_ms": ([*BP, "show", "catalogue", "--format", "json"], repo),
            "diff_5000_items_ms": ([*BP, "diff", "--no-index", str(old), str(new)], work),
        }
        pair = bench_run.largest_corpus_pair()
        if pair is not None:
            argv = [*BP, "diff", "--no-index", *map(str, pair)]
            cases["diff_largest_corpus_pair_ms"] = (argv, work)
        for name, (argv, cwd) in cases.items():
            out[name] = process_median(argv, cwd, runs, (0, 1)) * 1e3
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--process-runs", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = {**in_process(args.runs), **processes(args.process_runs)}
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
