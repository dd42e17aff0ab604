"""git-blueprint beside hook managers: husky (its own runner, as husky 9.1.7 writes it),
lefthook, the pre-commit framework; a hooks folder shared by every repository or tracked
by git. Each way both directions: bp's hooks and the manager's own run together, and after
`bp hooks uninstall` the manager's files are byte for byte as they were and its hooks
still run."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, Runner, git
from git_blueprint.hooks import managers
from support.worlds import FILLED

HUSKY_RUNNER = REPO_ROOT / "tests" / "data" / "husky-9.1.7" / "h"
# The hooks husky 9.1.7 writes into .husky/_ (index.js), each a call of its runner.
HUSKY_HOOKS = (
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-rebase",
    "post-rewrite",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-auto-gc",
)
HUSKY_HOOK = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"'
STAMP = "**Last Updated**: 2026-11-27"
BIN = str(Path(sys.executable).parent)  # where bp (and pre-commit) are installed


@pytest.fixture(autouse=True)
def bp_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The managers' lines run `bp` from PATH, as on a teammate's machine."""
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")


def commit(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def commit_blueprint(root: Path, name: str = "a") -> subprocess.CompletedProcess[str]:
    """A new filled blueprint committed: the pre-commit hook stamps today's date into it."""
    (root / "blueprints" / f"{name}.md").write_text(FILLED)
    git(root, "add", "-A")
    proc = commit(root, "-m", f"add {name}")
    assert proc.returncode == 0, proc.stderr
    return proc


def stamped(root: Path, name: str = "a") -> bool:
    return STAMP in git(root, "show", f"HEAD:blueprints/{name}.md")


def uninstall_restores(bp: Runner, config: Path, original: bytes) -> None:
    """`bp hooks uninstall` gives the manager's file back byte for byte."""
    result = bp(config.parent, "hooks", "uninstall")
    assert result.code == 0, result.err
    assert config.read_bytes() == original


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# --- husky 9 ---------------------------------------------------------------------------------


def write_husky(root: Path) -> None:
    """What `husky` (9.1.7, index.js) writes on `npm install`: .husky/_ with its runner h,
    one call of it per hook, a .gitignore, and core.hooksPath."""
    folder = root / ".husky" / "_"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / ".gitignore").write_text("*")
    shutil.copyfile(HUSKY_RUNNER, folder / "h")
    for hook in HUSKY_HOOKS:
        (folder / hook).write_text(HUSKY_HOOK)
        (folder / hook).chmod(0o755)
    (folder / "husky.sh").write_text('echo "husky - DEPRECATED"')
    git(root, "config", "core.hooksPath", ".husky/_")


USER_SCRIPT = b'echo "user pre-commit" >> "$(git rev-parse --git-dir)/user.log"\n'


@pytest.fixture
def husky_repo(tmp_path: Path, bp: Runner) -> Path:
    """A repository with husky 9 and the user's .husky/pre-commit, then `bp init`."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_husky(root)
    (root / ".husky" / "pre-commit").write_bytes(USER_SCRIPT)
    result = bp(root, "init", ".")
    assert result.code == 0, result.err
    assert "husky: .husky/pre-commit: added a block running bp hooks run pre-commit" in result.out
    assert "to do" not in result.out  # husky's hooks are installed: nothing left to do
    git(root, "add", "-A")
    assert commit(root, "-m", "set up").returncode == 0
    return root


def test_husky_runs_the_users_script_and_bp_and_keeps_both_after_npm_install(
    husky_repo: Path, bp: Runner
) -> None:
    """Under husky 9 bp goes into .husky/pre-commit, never into husky's generated .husky/_
    (it renamed husky's one-liner, whose runner then looked for .husky/pre-commit.before-
    blueprint: the user's script stopped running; npm install then dropped bp's shim)."""
    root = husky_repo
    log = root / ".git" / "user.log"
    assert files_under(root / ".husky" / "_")["pre-commit"] == HUSKY_HOOK.encode()
    assert not list((root / ".husky" / "_").glob("*blueprint*"))
    assert (root / ".husky" / "pre-commit").read_bytes().startswith(USER_SCRIPT)
    log.unlink()
    commit_blueprint(root, "a")
    assert stamped(root, "a")
    assert log.read_text() == "user pre-commit\n"
    write_husky(root)  # npm install runs husky again
    commit_blueprint(root, "b")
    assert stamped(root, "b")
    assert log.read_text() == "user pre-commit\n" * 2
    again = bp(root, "hooks", "install")
    assert again.code == 0, again.err
    assert "already runs bp hooks run pre-commit" in again.out
    assert (root / ".husky" / "pre-commit").read_bytes().count(managers.BEGIN.encode()) == 1


def test_husky_commit_msg_gets_the_trailers(husky_repo: Path) -> None:
    root = husky_repo
    commit_blueprint(root, "a")
    doc = root / "blueprints" / "a.md"
    doc.write_text(doc.read_text().replace("Status**: Draft", "Status**: Review"))
    proc = commit(root, "-a", "-m", "to review")
    assert proc.returncode == 0, proc.stderr
    body = git(root, "log", "-1", "--format=%B")
    assert "Blueprint: a\nBlueprint-Status: Draft -> Review" in body


def test_husky_uninstall_gives_back_the_users_script_byte_for_byte(
    husky_repo: Path, bp: Runner
) -> None:
    root = husky_repo
    generated = files_under(root / ".husky" / "_")
    result = bp(root, "hooks", "uninstall")
    assert result.code == 0, result.err
    assert ".husky/pre-commit: took out git-blueprint's block" in result.out
    assert (root / ".husky" / "pre-commit").read_bytes() == USER_SCRIPT
    for hook in ("pre-merge-commit", "commit-msg", "pre-push"):  # bp had made these
        assert not (root / ".husky" / hook).exists()
    assert files_under(root / ".husky" / "_") == generated
    (root / "x.txt").write_text("x")
    git(root, "add", "x.txt")
    assert commit(root, "-m", "x").returncode == 0
    assert (root / ".git" / "user.log").read_text().count("user pre-commit") >= 1
    assert bp(root, "hooks", "uninstall").code == 0  # nothing left: changes nothing


def test_husky_before_npm_install_is_found_by_package_json(tmp_path: Path, bp: Runner) -> None:
    """A fresh clone: .husky/ and package.json, husky's hooks not installed yet. bp goes into
    .husky/pre-commit (husky runs it once npm install is done), and says what to run."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "package.json").write_text('{"devDependencies": {"husky": "^9.1.7"}}\n')
    (root / ".husky").mkdir()
    (root / ".husky" / "pre-commit").write_bytes(USER_SCRIPT)
    result = bp(root, "init", ".")
    assert result.code == 0, result.err
    assert "husky: .husky/pre-commit: added a block" in result.out
    assert "to do: husky's hooks are not installed in this clone yet: run npm install" in (
        result.out
    )
    assert not (root / ".git" / "hooks" / "pre-commit").exists()
    write_husky(root)  # npm install
    git(root, "add", "-A")
    assert commit(root, "-m", "set up").returncode == 0
    commit_blueprint(root)
    assert stamped(root)


def test_husky_block_keeps_a_file_without_a_final_line_break(tmp_path: Path, bp: Runner) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_husky(root)
    script = b"npm test\r\nnpx lint-staged"  # CRLF, no line break at the end
    (root / ".husky" / "pre-commit").write_bytes(script)
    assert bp(root, "init", ".").code == 0
    edited = (root / ".husky" / "pre-commit").read_bytes()
    assert edited.startswith(script + b"\r\n" + managers.BEGIN_AFTER_BREAK.encode() + b"\r\n")
    assert bp(root, "hooks", "uninstall").code == 0
    assert (root / ".husky" / "pre-commit").read_bytes() == script


def test_husky_reinstall_after_the_old_chaining_puts_husky_back(tmp_path: Path, bp: Runner) -> None:
    """A repository where bp once chained husky's hook (the shim in .husky/_/pre-commit,
    husky's one-liner as pre-commit.before-blueprint): install takes its shim out and gives
    husky's file back, so the user's script runs again, once."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_husky(root)
    (root / ".husky" / "pre-commit").write_bytes(USER_SCRIPT)
    assert bp(root, "init", ".").code == 0
    assert bp(root, "hooks", "install", "--manager", "git").code == 0  # the old way
    hooks = root / ".husky" / "_"
    assert (hooks / "pre-commit.before-blueprint").read_text() == HUSKY_HOOK
    result = bp(root, "hooks", "install")
    assert result.code == 0, result.err
    assert "took out git-blueprint's own hook files (husky runs bp now)" in result.out
    assert (hooks / "pre-commit").read_text() == HUSKY_HOOK
    assert not list(hooks.glob("*blueprint*"))
    git(root, "add", "-A")
    log = root / ".git" / "user.log"
    assert commit(root, "-m", "set up").returncode == 0
    log.unlink()
    commit_blueprint(root)
    assert stamped(root) and log.read_text() == "user pre-commit\n"


def test_a_hook_without_bp_on_path_says_what_to_install(husky_repo: Path) -> None:
    """On a teammate's machine without git-blueprint: a commit that touches no blueprint
    goes on; one that does stops with one line naming what to install (the workflow's
    checks fail closed)."""
    root = husky_repo
    (root / "x.txt").write_text("x")
    git(root, "add", "x.txt")
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != BIN)
    assert shutil.which("bp", path=path) is None
    proc = commit(root, "-m", "x", env={"PATH": path})
    assert proc.returncode == 0, proc.stderr
    assert "git-blueprint" not in proc.stderr
    (root / "blueprints" / "a.md").write_text(FILLED)
    git(root, "add", "-A")
    proc = commit(root, "-m", "a blueprint", env={"PATH": path})
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if "git-blueprint" in line]
    assert lines == [
        "git-blueprint: the pre-commit hook of this repository checks blueprints with bp, "
        "which is not on PATH: install git-blueprint (from where your team gets it) and "
        "try again"
    ]
    assert "Traceback" not in proc.stderr


# --- lefthook ---------------------------------------------------------------------------------

LEFTHOOK_YML = b"""# the team's hooks
pre-commit:
  parallel: false
  commands:
    lint:
      run: echo "lint" >> "$(git rev-parse --git-dir)/lint.log"

commit-msg:
  commands:
    words:
      run: grep -q . {1}
"""


def run_like_lefthook(root: Path, hook: str, args: list[str], stdin: bytes = b"") -> int:
    """Run ``hook``'s commands from lefthook.yml the way lefthook does: each ``run`` through
    ``sh -c`` at the top of the work tree, ``{0}`` the hook's arguments, ``{N}`` the Nth;
    standard input only for a command with ``use_stdin``."""
    config = yaml.safe_load((root / "lefthook.yml").read_text()) or {}
    for command in ((config.get(hook) or {}).get("commands") or {}).values():
        line = command["run"].replace("{0}", " ".join(map(shlex.quote, args)))
        for n, arg in enumerate(args, 1):
            line = line.replace(f"{{{n}}}", shlex.quote(arg))
        feed = stdin if command.get("use_stdin") else b""
        code = subprocess.run(["sh", "-c", line], cwd=root, input=feed).returncode
        if code:
            return code
    return 0


@pytest.fixture
def lefthook_repo(repo: Path, bp: Runner) -> Path:
    """A blueprint repository whose team adds lefthook.yml, then runs bp hooks install."""
    (repo / "lefthook.yml").write_bytes(LEFTHOOK_YML)
    result = bp(repo, "hooks", "install")
    assert result.code == 0, result.err
    assert "lefthook: lefthook.yml: added a 'git-blueprint' command to pre-commit" in result.out
    assert "took out git-blueprint's own hook files (lefthook runs bp now)" in result.out
    return repo


def test_lefthook_config_gets_bps_command_next_to_the_users(lefthook_repo: Path) -> None:
    root = lefthook_repo
    config = yaml.safe_load((root / "lefthook.yml").read_text())
    assert list(config["pre-commit"]["commands"]) == ["git-blueprint", "lint"]
    assert config["pre-commit"]["parallel"] is False
    assert config["commit-msg"]["commands"]["words"] == {"run": "grep -q . {1}"}
    assert config["pre-push"]["commands"]["git-blueprint"]["use_stdin"] is True
    assert not any((root / ".git" / "hooks" / h).exists() for h in ("pre-commit", "commit-msg"))
    (root / "blueprints" / "a.md").write_text(FILLED)
    git(root, "add", "-A")
    assert run_like_lefthook(root, "pre-commit", []) == 0
    staged = git(root, "show", ":blueprints/a.md")
    assert STAMP in staged
    assert (root / ".git" / "lint.log").read_text() == "lint\n"


def test_lefthook_uninstall_gives_back_the_file_byte_for_byte(
    lefthook_repo: Path, bp: Runner
) -> None:
    root = lefthook_repo
    uninstall_restores(bp, root / "lefthook.yml", LEFTHOOK_YML)
    assert run_like_lefthook(root, "pre-commit", []) == 0  # the team's command still runs
    assert (root / ".git" / "lint.log").read_text() == "lint\n"


def test_lefthook_config_too_complex_is_left_alone_with_instructions(
    repo: Path, bp: Runner
) -> None:
    text = b"pre-commit: {commands: {lint: {run: make lint}}}\n"
    (repo / "lefthook.yml").write_bytes(text)
    result = bp(repo, "hooks", "install")
    assert result.code == 1
    assert "lefthook.yml: 'pre-commit' is not a plain block mapping, so git-blueprint changed " in (
        result.out
    )
    assert "bp hooks run pre-commit" in result.out
    assert (repo / "lefthook.yml").read_bytes() == text


def test_lefthook_moving_bps_shim_aside_never_runs_bp_twice(repo: Path, bp: Runner) -> None:
    """`lefthook install` renames a hook it finds to <hook>.old, and runs it no more; bp's
    shim left there is taken out by the next bp hooks install."""
    hooks = repo / ".git" / "hooks"
    (repo / "lefthook.yml").write_bytes(LEFTHOOK_YML)
    os.replace(hooks / "pre-commit", hooks / "pre-commit.old")  # what lefthook install does
    (hooks / "pre-commit").write_text('#!/bin/sh\nlefthook run "pre-commit" "$@"\n')
    result = bp(repo, "hooks", "install")
    assert result.code == 0, result.err
    assert not (hooks / "pre-commit.old").exists()
    assert (hooks / "pre-commit").read_text().startswith("#!/bin/sh\nlefthook run")


@pytest.mark.npm
def test_real_lefthook_runs_both(repo: Path, bp: Runner, npm_tools: Path) -> None:
    """lefthook itself (the npm package's binary): `lefthook install`, then a commit runs
    the team's command and bp's stamping."""
    env = {"PATH": f"{npm_tools}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    (repo / "lefthook.yml").write_bytes(LEFTHOOK_YML)
    assert bp(repo, "hooks", "install").code == 0
    subprocess.run(["lefthook", "install"], cwd=repo, env={**os.environ, **env}, check=True)
    proc = commit_blueprint_env(repo, env)
    assert proc.returncode == 0, proc.stderr
    assert stamped(repo)
    assert (repo / ".git" / "lint.log").read_text() == "lint\n"
    assert bp(repo, "hooks", "uninstall").code == 0
    assert (repo / "lefthook.yml").read_bytes() == LEFTHOOK_YML


def commit_blueprint_env(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    (root / "blueprints" / "a.md").write_text(FILLED)
    git(root, "add", "-A")
    return commit(root, "-m", "add a", env=env)


@pytest.mark.npm
def test_real_husky_runs_both(tmp_path: Path, bp: Runner, npm_tools: Path) -> None:
    """husky itself (`npx husky`, from the npm registry) writes .husky/_; bp goes into
    .husky/pre-commit; a commit runs both; `npx husky` again changes nothing of that."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    env = {**os.environ, "PATH": f"{npm_tools}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["husky"], cwd=root, env=env, check=True, capture_output=True)
    (root / ".husky" / "pre-commit").write_bytes(USER_SCRIPT)
    assert bp(root, "init", ".").code == 0
    git(root, "add", "-A")
    assert commit(root, "-m", "set up", env=env).returncode == 0
    subprocess.run(["husky"], cwd=root, env=env, check=True, capture_output=True)
    (root / ".git" / "user.log").unlink()
    proc = commit_blueprint_env(root, env)
    assert proc.returncode == 0, proc.stderr
    assert stamped(root) and (root / ".git" / "user.log").read_text() == "user pre-commit\n"


@pytest.fixture(scope="session")
def npm_tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """husky and lefthook installed from the npm registry (opt-in: `pytest -m npm`); the
    tests skip where npm or the registry cannot be reached. In a folder outside any git
    repository and without install scripts: lefthook's postinstall runs `lefthook install`
    in the repository npm was started in."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    where = tmp_path_factory.mktemp("npm")
    (where / "package.json").write_text('{"private": true}\n')  # npm installs here, no higher
    proc = subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "husky@9",
            "lefthook@2",
        ],
        cwd=where,
        env={**os.environ, "LEFTHOOK": "0", "GIT_CEILING_DIRECTORIES": str(where.parent)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.skip(f"npm install failed (registry unreachable?): {proc.stderr.strip()[-200:]}")
    return where / "node_modules" / ".bin"


# --- the pre-commit framework -------------------------------------------------------------------

FRAMEWORK_YAML = b"""repos:
-   repo: local
    hooks:
    -   id: marker
        name: the team's own check
        entry: sh -c 'echo ran >> .git/framework.log' --
        language: system
        pass_filenames: false
        always_run: true
        stages: [pre-commit]
"""


def pre_commit(root: Path, *args: str) -> None:
    exe = shutil.which("pre-commit", path=BIN)
    assert exe is not None, "pre-commit is in the test extras"
    proc = subprocess.run([exe, *args], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def framework_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the team's framework config, its hooks installed."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".pre-commit-config.yaml").write_bytes(FRAMEWORK_YAML)
    pre_commit(root, "install")
    return root


@pytest.fixture
def framework_repo(tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The framework installed first, then `bp init`, then `pre-commit install` again."""
    root = framework_first(tmp_path, monkeypatch)
    result = bp(root, "init", ".")
    assert result.code == 0, result.err
    assert "pre-commit: .pre-commit-config.yaml: added a 'repo: local' entry" in result.out
    assert "to do: the framework has not installed its pre-merge-commit, commit-msg" in result.out
    pre_commit(root, "install")
    git(root, "add", "-A")
    assert commit(root, "-m", "set up").returncode == 0
    return root


def test_framework_runs_bp_and_the_teams_hook(framework_repo: Path) -> None:
    root = framework_repo
    hook = (root / ".git" / "hooks" / "pre-commit").read_text()
    assert "File generated by pre-commit" in hook
    assert not (root / ".git" / "hooks" / "pre-commit.legacy").exists()
    log = root / ".git" / "framework.log"
    log.unlink()
    proc = commit_blueprint(root)
    assert stamped(root)
    assert log.read_text() == "ran\n"
    assert "git status" not in proc.stderr


def test_framework_commit_msg_and_pre_push_once_installed(
    framework_repo: Path, tmp_path: Path
) -> None:
    root = framework_repo
    pre_commit(root, "install", "--hook-type", "commit-msg", "--hook-type", "pre-push")
    commit_blueprint(root)
    doc = root / "blueprints" / "a.md"
    doc.write_text(doc.read_text().replace("Status**: Draft", "Status**: Review"))
    proc = commit(root, "-a", "-m", "to review")
    assert proc.returncode == 0, proc.stderr
    assert "Blueprint-Status: Draft -> Review" in git(root, "log", "-1", "--format=%B")
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", str(server))
    git(root, "remote", "add", "origin", str(server))
    git(root, "push", "-q", "origin", "HEAD:main")
    doc.write_text(doc.read_text().replace("Status**: Review", "Status**: Approved"))
    assert commit(root, "-a", "--no-verify", "-m", "approve my own").returncode == 0
    pushed = subprocess.run(
        ["git", "push", "-q", "origin", "HEAD:main"], cwd=root, capture_output=True, text=True
    )
    assert pushed.returncode != 0
    assert "four-eyes" in pushed.stdout + pushed.stderr


def test_framework_uninstall_gives_back_the_config_byte_for_byte(
    framework_repo: Path, bp: Runner
) -> None:
    root = framework_repo
    uninstall_restores(bp, root / ".pre-commit-config.yaml", FRAMEWORK_YAML)
    (root / ".git" / "framework.log").unlink()
    (root / "x.txt").write_text("x")
    git(root, "add", "-A")
    proc = commit(root, "-m", "x")
    assert proc.returncode == 0, proc.stderr
    assert (root / ".git" / "framework.log").read_text() == "ran\n"


def test_framework_after_the_old_chaining_loops_no_more(
    tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's loop: the framework's hook chained by bp's shim (the old way), then
    `pre-commit install` moves the shim to pre-commit.legacy and runs it, which runs the
    framework again: every commit failed ("installed in migration mode"). bp hooks install
    takes its stale copies out; commits work and run bp once."""
    root = framework_first(tmp_path, monkeypatch)
    assert bp(root, "init", ".").code == 0
    assert bp(root, "hooks", "uninstall").code == 0
    assert bp(root, "init", ".").code == 0
    assert bp(root, "hooks", "install", "--manager", "git").code == 0  # the old way: chained
    pre_commit(root, "install")  # moves bp's shim to pre-commit.legacy
    hooks = root / ".git" / "hooks"
    assert "git-blueprint hook shim" in (hooks / "pre-commit.legacy").read_text()
    result = bp(root, "hooks", "install")
    assert result.code == 0, result.err
    assert not (hooks / "pre-commit.legacy").exists()
    assert not (hooks / "pre-commit.before-blueprint").exists()
    git(root, "add", "-A")
    assert commit(root, "-m", "set up").returncode == 0
    (root / ".git" / "framework.log").unlink()
    commit_blueprint(root)
    assert stamped(root)
    assert (root / ".git" / "framework.log").read_text() == "ran\n"


def test_a_chain_that_calls_bps_hook_again_runs_it_once(repo: Path) -> None:
    """A kept hook that runs the hooks folder's pre-commit again (as a manager whose own
    hook bp had chained does): the shim reached inside its own run does nothing, so the
    chain ends, and bp's hook runs once."""
    hooks = repo / ".git" / "hooks"
    again = hooks / "pre-commit.before-blueprint"
    again.write_text(
        '#!/bin/sh\necho kept >> "$(git rev-parse --git-dir)/kept.log"\n'
        'exec "$(dirname "$0")/pre-commit" "$@"\n'
    )
    again.chmod(0o755)
    proc = subprocess.run(
        ["timeout", "60", "git", "commit", "-q", "--allow-empty", "-m", "e"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert (repo / ".git" / "kept.log").read_text() == "kept\n"


# --- shared and tracked hooks folders ----------------------------------------------------------


def test_a_global_hooks_path_is_refused_and_installed_into_only_when_asked(
    tmp_path: Path, bp: Runner
) -> None:
    shared = tmp_path / "shared-hooks"
    shared.mkdir()
    home = Path(os.environ["HOME"])  # the test's own HOME (conftest)
    with (home / ".gitconfig").open("a") as fh:
        fh.write(f"[core]\n\thooksPath = {shared}\n")
    result = bp(tmp_path, "init", "repo")
    assert result.code == 0, result.err
    assert f"hooks not installed: {shared}: core.hooksPath is set in {home / '.gitconfig'} " in (
        result.out
    )
    assert list(shared.iterdir()) == []
    root = tmp_path / "repo"
    refused = bp(root, "hooks", "install")
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert "shared by every repository" in refused.err and "--allow-shared" in refused.err
    assert list(shared.iterdir()) == []
    (shared / "pre-commit").write_text(f"#!/bin/sh\necho shared >> {tmp_path / 'ran.log'}\n")
    (shared / "pre-commit").chmod(0o755)  # a hook every repository already runs
    allowed = bp(root, "hooks", "install", "--allow-shared")
    assert allowed.code == 0, allowed.err
    assert (shared / "pre-commit").exists()
    # Another repository, no blueprint repository, with a folder called blueprints: the
    # shared hook it had still runs, and git-blueprint's leaves it alone.
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    (other / "blueprints").mkdir()
    (other / "blueprints" / "notes.md").write_text("# Notes\n\nNo metadata at all.\n")
    git(other, "add", "-A")
    committed = commit(other, "-m", "notes")
    assert committed.returncode == 0, committed.stderr
    assert "git-blueprint" not in committed.stderr
    assert (tmp_path / "ran.log").read_text() == "shared\n"
    assert bp(root, "hooks", "uninstall").code == 2  # would take them out of every repository
    assert (shared / "pre-commit").exists()
    assert bp(root, "hooks", "uninstall", "--allow-shared").code == 0
    assert (shared / "pre-commit").read_text().startswith("#!/bin/sh\necho shared")


def test_a_tracked_hooks_folder_is_refused_and_written_portably_when_asked(
    repo: Path, bp: Runner
) -> None:
    assert bp(repo, "hooks", "uninstall").code == 0
    folder = repo / ".githooks"
    folder.mkdir()
    (folder / "post-checkout").write_text("#!/bin/sh\n")
    git(repo, "add", ".githooks")
    git(repo, "config", "core.hooksPath", ".githooks")
    refused = bp(repo, "hooks", "install")
    assert refused.code == 2
    assert ".githooks: this hooks folder is tracked by git (1 file(s))" in refused.err
    assert "--allow-tracked" in refused.err
    assert not (folder / "pre-commit").exists()
    allowed = bp(repo, "hooks", "install", "--allow-tracked")
    assert allowed.code == 0, allowed.err
    text = (folder / "pre-commit").read_text()
    assert "py=''" in text and "paths=''" in text
    assert sys.executable not in text and str(Path(sys.executable).resolve()) not in text
    commit_blueprint(repo)
    assert stamped(repo)


# --- the pieces ----------------------------------------------------------------------------------


def test_a_block_without_its_end_is_an_error_naming_the_file_and_line(
    husky_repo: Path, bp: Runner
) -> None:
    script = root_script = husky_repo / ".husky" / "pre-commit"
    before = script.read_bytes()
    script.write_bytes(before.replace(managers.END.encode(), b"# edited"))
    result = bp(husky_repo, "hooks", "uninstall")
    assert result.code == 2
    assert "git-blueprint: error: .husky/pre-commit: line 2: git-blueprint's block has no end" in (
        result.err
    )
    assert "Traceback" not in result.err
    assert root_script.read_bytes() == before.replace(managers.END.encode(), b"# edited")


def test_framework_entry_reads_as_written() -> None:
    hooks = ("pre-commit", "pre-merge-commit", "commit-msg", "pre-push")
    entry = managers.framework_expected(hooks)
    assert entry["repo"] == "local"
    by_stage = {h["stages"][0]: h for h in entry["hooks"]}
    assert by_stage["commit-msg"].get("pass_filenames", True) is True
    assert by_stage["pre-push"]["entry"].endswith("exec bp verify' --")
    assert all(h["always_run"] and h["language"] == "system" for h in entry["hooks"])
    assert shlex.split(by_stage["pre-commit"]["entry"])[:2] == ["sh", "-c"]


HOOKS = ("pre-commit", "pre-merge-commit", "commit-msg", "pre-push")


@pytest.mark.parametrize(
    "text",
    [
        b"pre-commit:\n  parallel: true\n",  # a hook without commands
        b"pre-commit:\r\n    commands:\r\n        lint:\r\n            run: make lint\r\n",  # CRLF, 4
        b"# only a comment\n",
        b"",
        b"pre-push:\n  commands:\n    test:\n      run: make test # the suite\n",  # no final break
    ],
    ids=["no-commands", "crlf-indent-4", "comment-only", "empty", "no-final-break"],
)
def test_lefthook_shapes_edit_and_come_back_byte_for_byte(tmp_path: Path, text: bytes) -> None:
    config = tmp_path / "lefthook.yml"
    config.write_bytes(text.rstrip(b"\n") if text.endswith(b"suite\n") else text)
    original = config.read_bytes()
    done = managers.lefthook_install(tmp_path, config, HOOKS)
    assert not done.manual, done.todo
    (edit,) = done.edits
    parsed = yaml.safe_load(edit.new.decode())
    for hook in HOOKS:
        assert parsed[hook]["commands"]["git-blueprint"] == managers.lefthook_command(hook)
    assert managers.remove_blocks(edit.new, "lefthook.yml") == original


@pytest.mark.parametrize(
    "text",
    [
        FRAMEWORK_YAML,
        b"default_stages: [pre-commit]\nrepos:\n  - repo: local\n    hooks: []\nci:\n  skip: []\n",
        b"repos:\r\n- repo: local\r\n  hooks: []",
    ],
    ids=["indent-4", "indent-2-more-keys", "crlf-indentless-no-final-break"],
)
def test_framework_shapes_edit_and_come_back_byte_for_byte(tmp_path: Path, text: bytes) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_bytes(text)
    done = managers.framework_install(tmp_path, config, HOOKS, set(HOOKS))
    # all hook types installed: what is left is to commit the edited file
    assert not done.manual and done.todo == (
        "git add .pre-commit-config.yaml and commit it: the framework refuses to commit "
        "while it is unstaged",
    )
    (edit,) = done.edits
    parsed = yaml.safe_load(edit.new.decode())
    assert parsed["repos"][0] == managers.framework_expected(HOOKS)
    assert parsed["repos"][1:] == yaml.safe_load(text.decode())["repos"]
    assert managers.remove_blocks(edit.new, ".pre-commit-config.yaml") == text


def test_framework_config_without_a_block_list_is_left_alone(repo: Path, bp: Runner) -> None:
    text = b"repos: []\n"
    (repo / ".pre-commit-config.yaml").write_bytes(text)
    result = bp(repo, "hooks", "install")
    assert result.code == 1
    assert "add this by hand" in result.out and "- repo: local" in result.out
    assert (repo / ".pre-commit-config.yaml").read_bytes() == text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (".pre-commit-config.yaml", b"repos: [\n", ".pre-commit-config.yaml: line 2: "),
        ("lefthook.yml", b"pre-commit:\n  commands: {\n", "lefthook.yml: line 3: "),
    ],
)
def test_a_config_that_does_not_parse_is_an_error_naming_it(
    repo: Path, bp: Runner, name: str, data: bytes, message: str
) -> None:
    (repo / name).write_bytes(data)
    before = files_under(repo / ".git" / "hooks")
    result = bp(repo, "hooks", "install")
    assert result.code == 2
    assert result.err.startswith(f"git-blueprint: error: {message}")
    assert result.err.count("\n") == 1 and "(not valid YAML)" in result.err
    assert (repo / name).read_bytes() == data
    assert files_under(repo / ".git" / "hooks") == before


def test_a_husky_script_not_in_utf8_is_an_error_naming_it(tmp_path: Path, bp: Runner) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_husky(root)
    (root / ".husky" / "pre-commit").write_bytes(b"echo caf\xe9\n")
    result = bp(root, "hooks", "install")
    assert result.code == 2
    assert "error: .husky/pre-commit: not UTF-8" in result.err
    assert not (root / ".husky" / "commit-msg").exists()  # nothing written


def test_two_managers_are_not_guessed_between(repo: Path, bp: Runner) -> None:
    (repo / "lefthook.yml").write_bytes(LEFTHOOK_YML)
    (repo / ".pre-commit-config.yaml").write_bytes(FRAMEWORK_YAML)
    before = {
        name: (repo / name).read_bytes() for name in ("lefthook.yml", ".pre-commit-config.yaml")
    }
    result = bp(repo, "hooks", "install")
    assert result.code == 2
    assert "the configuration of lefthook and pre-commit: say which runs its hooks" in result.err
    assert {name: (repo / name).read_bytes() for name in before} == before
    chosen = bp(repo, "hooks", "install", "--manager", "lefthook")
    assert chosen.code == 0, chosen.err
    assert (repo / ".pre-commit-config.yaml").read_bytes() == before[".pre-commit-config.yaml"]
    missing = bp(repo, "hooks", "install", "--manager", "husky")
    assert missing.code == 0  # husky's folder is made: .husky/<hook>
    assert (repo / ".husky" / "pre-commit").exists()
