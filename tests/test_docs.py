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


def _quick_start_block() -> str:
    part = README.split("## Quick start", 1)[1]
    return str(re.findall(r"```sh\n(.+?)\n```", part, flags=re.S)[0])


def test_readme_test_command_is_what_ci_runs() -> None:
    part = README.split("## Quick start", 1)[1]
    test_cmd = re.findall(r"```sh\n(.+?)\n```", part, flags=re.S)[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for piece in test_cmd.split("&&"):
        assert piece.strip() in ci, f"{piece.strip()!r} is not what .ci/run runs"


def test_readme_quick_start_runs_on_the_sample_data(tmp_path: Path) -> None:
    """The officer's first command, in a real shell, from a folder holding sample_data/."""
    line = _quick_start_block()
    assert line.startswith("pip install . && ")
    run = line.removeprefix("pip install . && ")
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    env.pop("LABORCLI_DB", None)
    p = subprocess.run(
        ["bash", "-c", run], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    assert "合计" in p.stdout and "%" in p.stdout
    assert (tmp_path / "laborcli.db").exists()
