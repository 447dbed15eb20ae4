"""The docs are part of the contract: they must match the code and run as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from laborcli.cli.app import app
from laborcli.sheets.problems import catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_problem_codes_page_is_generated_from_the_code() -> None:
    page = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    assert page == catalogue_markdown(), "run: python scripts/make_docs.py"


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_a_readme_section(name: str) -> None:
    headings = re.findall(r"^### (.+)$", README, flags=re.M)
    words = {w.strip() for h in headings for w in re.split(r"[ ,]+", h)}
    assert name in words, f"README has no '### {name}' section"


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_help_text(name: str) -> None:
    import typer.main

    cmd = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert (cmd.help or cmd.short_help or "").strip(), f"{name} has no help text"


def _blocks() -> list[str]:
    """The ```sh blocks of the quick start."""
    part = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [str(b) for b in re.findall(r"```sh\n(.+?)\n```", part, flags=re.S)]


VENV = "python3 -m venv .venv && . .venv/bin/activate && "


def test_readme_test_command_is_what_ci_runs() -> None:
    test_cmd = next(b for b in _blocks() if "pytest" in b)
    assert test_cmd.startswith(VENV)  # PEP 668: the system Python refuses pip install
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for piece in test_cmd.split("&&"):
        assert piece.strip() in ci, f"{piece.strip()!r} is not what .ci/run runs"


def test_readme_quick_start_runs_as_written_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    """The officer's first command, verbatim, in a real shell, in a copy of the project: it
    makes its own venv, so it works where the system Python refuses pip install (PEP 668)."""
    line = _blocks()[0]
    assert line.startswith(VENV + "pip install . && laborcli import "), line
    assert "\n" not in line  # one line, to paste
    project = tmp_path / "劳动力 laborcli"  # a folder name with Chinese and a space
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    for name in ("src", "schemas", "sample_data"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "LABORCLI_DB", "PYTHONPATH")}
    # The interpreter the tests run on stands for the system's python3.
    env["PATH"] = str(Path(sys.base_prefix) / "bin") + os.pathsep + env.get("PATH", "")
    p = subprocess.run(
        ["bash", "-c", line], cwd=project, env=env, capture_output=True, text=True, timeout=900
    )
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    assert "合计" in p.stdout and "%" in p.stdout
    assert (project / "laborcli.db").exists() and (project / ".venv").is_dir()


def test_readme_has_windows_and_pipx_install_lines() -> None:
    part = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "py -m venv .venv; .venv\\Scripts\\activate; pip install .;" in part
    assert "pipx install ." in part
    assert "Where laborcli has been tried" in part and "PYTHONIOENCODING=gbk" in part
