"""The rooms keep their rules (docs/design.md, "The map"): what each folder of the package
may import, that only ``git/`` starts processes, that only ``cli/``, ``hooks/`` and the
error boundary write to the terminal, and that the rooms a hook loads import nothing
beyond the standard library at module level. Read from the source, so a rule broken
anywhere fails here, whether or not a test runs that code."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "git_blueprint"

# What each room may import of git-blueprint at run time (imports under TYPE_CHECKING are
# for the type checker only and do not count).
BASE = {"errors", "values"}
MAY_IMPORT = {
    "values": set(),
    "errors": set(),
    "markdown": BASE | {"markdown"},
    "core": BASE | {"markdown", "core"},
    "git": BASE | {"git"},
    "store": BASE | {"markdown", "core", "git", "store"},
    "history": BASE | {"markdown", "core", "git", "store", "history"},
    "render": BASE | {"markdown", "core", "render"},
    "forge": BASE | {"forge"},
    "hooks": BASE | {"markdown", "core", "git", "store", "history", "render", "hooks"},
    "cli": BASE
    | {"markdown", "core", "git", "store", "history", "render", "forge", "hooks", "cli"},
    "_hook": BASE | {"git", "hooks"},
    "__main__": {"errors", "hooks", "cli"},  # the boundary's settle() at the very end
    "__init__": set(),
}
# The rooms whose modules may write to the terminal.
SPEAKERS = {"cli", "hooks", "errors"}
# The rooms a commit's hooks load: the standard library only at module level.
HOOK_PATH = {"values", "errors", "markdown", "core", "git", "store", "hooks", "_hook"}
# The git layer's process starters: called nowhere else.
STARTERS = {"run_git", "git_text", "start", "StartedGit"}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of the statements inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if hasattr(sub, "lineno"):
                        lines.add(sub.lineno)
    return lines


def imports(path: Path, *, runtime_only: bool = True, top_level: bool = False):
    """``(line, module, names)`` of every import in ``path``."""
    tree = ast.parse(path.read_text(), str(path))
    skip = _type_checking_only(tree) if runtime_only else set()
    nodes = tree.body if top_level else list(ast.walk(tree))
    for node in nodes:
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module, [a.name for a in node.names]


def test_no_relative_imports() -> None:
    """Every import names its room, so that the rules above can read it."""
    found = [
        f"{p.relative_to(PACKAGE)}:{node.lineno}"
        for p in modules()
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert found == []


def test_every_module_lives_in_a_known_room() -> None:
    assert {room(p) for p in modules()} <= set(MAY_IMPORT)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_room_imports_only_the_rooms_below_it(path: Path) -> None:
    mine = room(path)
    wrong = []
    for line, module, names in imports(path):
        if module == "git_blueprint":
            targets = set(names) - {"__version__"}
        elif module.startswith("git_blueprint."):
            targets = {module.split(".")[1]}
        else:
            continue
        if not targets <= MAY_IMPORT[mine] | {mine}:
            wrong.append(f"{path.name}:{line} imports {module}")
    assert not wrong, f"{mine}/ may import only {sorted(MAY_IMPORT[mine])}: {wrong}"


def test_only_the_git_layer_imports_subprocess() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line}"
        for p in modules()
        for line, module, _ in imports(p, runtime_only=False)
        if module.split(".")[0] == "subprocess" and room(p) != "git"
    ]
    assert found == []


def test_only_the_git_layer_starts_git() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line} {module} {names}"
        for p in modules()
        if room(p) != "git"
        for line, module, names in imports(p)
        if (module == "git_blueprint.git.process" and set(names) & STARTERS)
        or (module == "git_blueprint.git" and "process" in names)
        or (module == "git_blueprint.git.process" and not names)
    ]
    assert found == []


# Ways to start a process without subprocess: none is used outside git/ either.
PROCESS_CALLS = {"system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp"}
PROCESS_CALLS |= {f"exec{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")}
PROCESS_CALLS |= {f"spawn{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")}


def test_no_process_is_started_another_way() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{node.lineno} os.{node.attr}"
        for p in modules()
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in PROCESS_CALLS
    ]
    found += [
        f"{p.relative_to(PACKAGE)}:{line} {module}"
        for p in modules()
        for line, module, _ in imports(p, runtime_only=False)
        if module.split(".")[0] in ("multiprocessing", "concurrent", "asyncio", "pty")
    ]
    assert found == []


# The pure rooms touch no file: they import none of what reads or writes one, and call no
# open().
PURE = {"core", "markdown", "render"}
FILE_MODULES = {"os", "io", "pathlib", "shutil", "tempfile", "glob", "fcntl", "mmap"}
# What of those computes only: paths as strings, text in memory.
PURE_NAMES = {"pathlib": {"PurePath", "PurePosixPath"}, "io": {"StringIO"}}


def test_the_pure_rooms_touch_no_file() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line} {module}"
        for p in modules()
        if room(p) in PURE
        for line, module, names in imports(p)
        if module.split(".")[0] in FILE_MODULES
        and not (names and set(names) <= PURE_NAMES.get(module, set()))
    ]
    found += [
        f"{p.relative_to(PACKAGE)}:{node.lineno} open()"
        for p in modules()
        if room(p) in PURE
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"
    ]
    assert found == []


def _writes_to_terminal(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), str(path))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        ):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (
                (node.value.id == "sys" and node.attr in TERMINAL)
                or (node.value.id == "traceback" and node.attr.startswith("print_"))
                or (node.value.id == "os" and node.attr == "write")
            )
        ):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "sys"
            and {a.name for a in node.names} & TERMINAL
        ):
            lines.append(node.lineno)
        if isinstance(node, ast.Import) and any(
            a.name in ("logging", "warnings") for a in node.names
        ):
            lines.append(node.lineno)
    return lines


TERMINAL = {"stdout", "stderr", "__stdout__", "__stderr__"}


def test_only_the_cli_the_hooks_and_the_boundary_write_to_the_terminal() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line}"
        for p in modules()
        if room(p) not in SPEAKERS
        for line in _writes_to_terminal(p)
    ]
    assert found == []


def test_the_hook_path_imports_only_the_standard_library_at_module_level() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line} {module}"
        for p in modules()
        if room(p) in HOOK_PATH
        for line, module, _ in imports(p, top_level=True)
        if module.split(".")[0] not in sys.stdlib_module_names
        and module.split(".")[0] not in ("git_blueprint", "__future__")
    ]
    assert found == []


def test_markdown_imports_only_the_standard_library_anywhere() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line} {module}"
        for p in modules()
        if room(p) == "markdown"
        for line, module, _ in imports(p)
        if module.split(".")[0] not in sys.stdlib_module_names
        and module.split(".")[0] not in ("git_blueprint", "__future__")
    ]
    assert found == []


def test_typer_and_click_are_imported_by_the_app_alone() -> None:
    app = PACKAGE / "cli" / "app.py"
    found = [
        f"{p.relative_to(PACKAGE)}:{line} {module}"
        for p in modules()
        if p != app
        for line, module, _ in imports(p, runtime_only=False)
        if module.split(".")[0] in ("typer", "click")
    ]
    assert found == []


# Where a broad except stands, and why; anywhere else it would be a second error boundary.
BROAD_EXCEPTS = {
    "errors.py": "the boundary itself",
    "git/process.py": "ends the git it was waiting for, then re-raises",
    "hooks/commit.py": "ends the hook's git processes, then re-raises",
    "history/verify.py": "a blob read ahead that fails is read again, and fails there",
    "store/atomic.py": "a cache that cannot be read is a miss",
    "hooks/diff_driver.py": "a bug still lets git show its diff, and says it is a bug",
}


def test_broad_excepts_stand_only_where_they_are_meant_to() -> None:
    found = set()
    for p in modules():
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.ExceptHandler):
                caught = node.type
                names = (
                    [caught.id]
                    if isinstance(caught, ast.Name)
                    else [e.id for e in caught.elts if isinstance(e, ast.Name)]
                    if isinstance(caught, ast.Tuple)
                    else []
                )
                if caught is None or {"Exception", "BaseException"} & set(names):
                    found.add(str(p.relative_to(PACKAGE)))
    assert found == set(BROAD_EXCEPTS)


def test_the_rules_see_a_broken_rule(tmp_path: Path) -> None:
    """The checks above read what they are meant to: a module that breaks each rule is
    caught by the same helpers."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import subprocess\nimport yaml\nimport sys\n"
        "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    import typer\n"
        "def f():\n    print('x')\n    sys.stderr.write('y')\n"
        "    from sys import stderr\n    traceback.print_exc()\n    os.write(2, b'')\n"
    )
    assert [m for _, m, _ in imports(bad)] == ["subprocess", "yaml", "sys", "sys"]
    assert "typer" in [m for _, m, _ in imports(bad, runtime_only=False)]
    assert [m for _, m, _ in imports(bad, top_level=True)] == ["subprocess", "yaml", "sys"]
    assert sorted(_writes_to_terminal(bad)) == [8, 9, 10, 11, 12]


def test_one_value_idiom_no_dataclasses() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line}"
        for p in modules()
        for line, module, _ in imports(p, runtime_only=False)
        if module == "dataclasses"
    ]
    assert found == []


def test_the_tests_mirror_the_package() -> None:
    """A test folder is named after the room it tests (``support/`` holds what tests share,
    ``system/`` what crosses rooms), and no two test files share a name (pytest imports
    them by name)."""
    tests = REPO_ROOT / "tests"
    folders = {p.name for p in tests.iterdir() if p.is_dir() and p.name != "__pycache__"}
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders - {"support", "system", "data"} <= rooms
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names))
    top = {p.stem.removeprefix("test_") for p in tests.glob("test_*.py")}
    assert top <= {p.stem for p in PACKAGE.glob("*.py")}, (
        "a test beside conftest tests a module at the package's top"
    )
