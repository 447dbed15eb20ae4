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
import typer.core
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
    assert r.output.startswith("用法: ") and len(r.output.splitlines()) > 3, r.output


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
        ["export", "people", "-o", "p.csv", "--format", "json"],
    ],
    ids=" ".join,
)
def test_a_value_outside_the_set_is_a_usage_error(args: list[str], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "r.db"), *args])
    assert r.exit_code == 2, r.output
    assert "的值无效" in r.output
    assert not (tmp_path / "r.db").exists()  # refused before any work


# --- the officer's language -------------------------------------------------------------------


def _help(*args: str) -> str:
    r = CliRunner().invoke(app, [*args, "--help"], catch_exceptions=False, terminal_width=100)
    assert r.exit_code == 0, r.output
    return str(r.output)


def test_laborcli_help_is_chinese_by_default() -> None:
    page = _help()
    assert page.startswith("用法: laborcli [选项] 命令 [参数]…")
    assert "选项:" in page and "命令:" in page and "显示此帮助并退出" in page
    assert "导入村表" in page and "Import village sheets" not in page


def test_rates_help_is_chinese_with_readable_placeholders() -> None:
    page = _help("rates")
    assert page.startswith("用法: laborcli rates [选项]")
    assert "--as-of 日期" in page and "--export 文件.xlsx" in page and "--excel 文件.csv" in page
    assert "--by <county|township|village|group>" in page and "[默认: village]" in page
    assert "按哪一级统计" in page and "Labour force" not in page


def test_laborcli_lang_en_gives_english_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCLI_LANG", "en")
    page = _help("rates")
    assert page.startswith("Usage: laborcli rates [OPTIONS]")
    assert "--as-of DATE" in page and "Options:" in page and "[default: village]" in page
    assert "按哪一级统计" not in page
    assert "Import village sheets" in _help()


def test_arguments_are_named_for_the_officer_not_by_their_type() -> None:
    page = _help("import")
    assert page.startswith("用法: laborcli import [选项] 文件或文件夹…")
    assert "{paths}" not in page and "<list[str]>" not in page


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_no_help_page_shows_type_names(
    path: tuple[str, ...], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABORCLI_LANG", lang)
    page = _help(*path)
    for noise in ("<str>", "<int>", "<path>", "<float>", "<list[", "{paths}"):
        assert noise not in page, (noise, page)


def _texts() -> list[str]:
    """Every help text and placeholder of the command tree."""
    found: list[str] = []

    def walk(cmd: typer.core.TyperCommand | TyperGroup) -> None:
        found.extend(t for t in (cmd.help, cmd.short_help) if t)
        for p in cmd.params:
            found.extend(t for t in (getattr(p, "help", None), p.metavar) if t)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_group(app))
    return found


@pytest.mark.parametrize("text", _texts())
def test_every_help_text_has_its_chinese(text: str) -> None:
    from laborcli.cli.help_zh import ZH

    assert text in ZH, f"add the Chinese of {text!r} to cli/help_zh.py"


def test_every_command_is_made_by_labortyper() -> None:
    from laborcli.cli.help import LaborCommand, LaborGroup

    group = typer.main.get_group(app)

    def walk(cmd: object) -> list[object]:
        return [cmd] + [c for sub in getattr(cmd, "commands", {}).values() for c in walk(sub)]

    assert all(isinstance(c, LaborCommand | LaborGroup) for c in walk(group))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["rates", "--by", "town"],
            "错误: '--by' 的值无效: 'town' 不在可选值中 (可选: county|township|village|group)",
        ),
        (["ratez"], "错误: 没有这个命令: ratez (是不是 'rates'?)"),
        (["targets", "import", "t.xlsx"], "错误: 缺少选项 '--year'"),
        (["rank", "--top", "0"], "错误: '--top' 的值无效: 应不小于 1"),
        (["rates", "--nope"], "错误: 没有这个选项: --nope"),
        (["import"], "错误: 缺少参数 文件或文件夹…"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_usage_errors_are_chinese_with_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "r.db"), *args])
    assert r.exit_code == 2, r.output
    assert r.output.strip().splitlines()[-1] == message, r.output
    assert "查看帮助: laborcli" in r.output


def test_usage_errors_are_english_with_laborcli_lang_en(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCLI_LANG", "en")
    r = CliRunner().invoke(app, ["rates", "--by", "town"])
    assert r.exit_code == 2
    assert "Error: Invalid value for '--by'" in r.output and "Try 'laborcli rates --help'" in r.output
