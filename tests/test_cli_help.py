"""Every command answers --help, and every import the commands defer resolves.

Commands import their core modules inside the function, so that `laborcli --help` stays
quick; a broken import there would only show when someone runs that command. The tree is
walked from the app itself, so a new command is covered without being listed here.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from laborcli.cli.app import app

CLI = Path(__file__).resolve().parent.parent / "src" / "laborcli" / "cli"


def _paths(group: TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(cmd, TyperGroup):
            out += _paths(cmd, (*prefix, name))
    return out


COMMANDS = _paths(typer.main.get_group(app))


def _laborcli_imports() -> list[tuple[str, str, str]]:
    """(where, module, name) of every ``from laborcli… import name`` in cli/."""
    found = []
    for path in sorted(CLI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and (node.module or "").startswith("laborcli")
            ):
                where = f"{path.relative_to(CLI)}:{node.lineno}"
                found += [(where, node.module or "", a.name) for a in node.names]
    return found


def test_the_tree_has_the_commands_and_groups_of_the_contract() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"import", "validate", "rates", "rank", "households", "dedup", "dedup apply"} <= names
    assert {"targets import", "db info", "export report", "people purge"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_answers_help(path: tuple[str, ...]) -> None:
    r = CliRunner().invoke(app, [*path, "--help"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Usage: ") and len(r.output.splitlines()) > 3, r.output


def test_the_top_level_answers_help() -> None:
    r = CliRunner().invoke(app, ["--help"], catch_exceptions=False)
    assert r.exit_code == 0
    assert all(p[0] in r.output for p in COMMANDS)


@pytest.mark.parametrize(("where", "module", "name"), _laborcli_imports(), ids=lambda v: str(v))
def test_every_import_of_the_cli_resolves(where: str, module: str, name: str) -> None:
    mod = importlib.import_module(module)
    assert hasattr(mod, name) or importlib.util.find_spec(f"{module}.{name}"), f"{where}: {module}.{name}"


@pytest.mark.parametrize(
    ("path", "option", "choices"),
    [
        (["rates"], "--by", "county|township|village|group"),
        (["rank"], "--by", "village|township"),
        (["rank"], "--metric", "completion|transfer_rate"),
        (["import"], "--mode", "snapshot|update"),
        (["export", "report"], "--split-by", "township"),
        (["export", "people"], "--format", "csv|xlsx|parquet"),
    ],
)
def test_options_with_a_closed_set_of_values_show_it_in_help(
    path: list[str], option: str, choices: str
) -> None:
    r = CliRunner().invoke(app, [*path, "--help"], catch_exceptions=False, terminal_width=200)
    assert f"{option} <{choices}>" in r.output, r.output


@pytest.mark.parametrize(
    "args",
    [
        ["rates", "--by", "town"],
        ["rank", "--by", "county"],
        ["rank", "--metric", "rate"],
        ["import", "x.xlsx", "--mode", "replace"],
        ["export", "report", "-o", "r.xlsx", "--split-by", "village"],
        ["export", "people", "-o", "p.json", "--format", "json"],
    ],
    ids=" ".join,
)
def test_a_value_outside_the_set_is_a_usage_error(args: list[str], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "r.db"), *args])
    assert r.exit_code == 2, r.output
    assert "Invalid value" in r.output
    assert not (tmp_path / "r.db").exists()  # refused before any work
