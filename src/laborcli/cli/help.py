"""Help pages and usage errors in the officer's language: Chinese, or English with
LABORCLI_LANG=en.

The commands keep their help in English in the code; ``cli.help_zh`` translates it, as
gettext would, keyed by the English text. The language is chosen when a page or an error
is shown, not when the commands are defined, so one process can show both.

Every command and group of laborcli is made by ``LaborTyper``, whose classes
(``LaborCommand``, ``LaborGroup``) write the pages: readable placeholders instead of
type names (``文件或文件夹…``, not ``{paths}...`` or ``<str>``), the choices of a closed
set (``<snapshot|update>``), and Chinese section names. ``LaborGroup.main`` shows a usage
error (a missing option, a bad choice, no such command) in Chinese, still with exit 2.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from typer import _click
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from laborcli.cli.help_zh import ZH
from laborcli.i18n import lang, pick


def tr(text: str) -> str:
    """The Chinese of an English help text (itself when there is none, or in English)."""
    return ZH.get(text, text) if lang() == "zh" else text


# A placeholder for an option without a metavar of its own, by the type it takes.
_TYPE_NAMES = {
    "<str>": ("文本", "TEXT"),
    "<int>": ("整数", "N"),
    "<float>": ("数", "NUMBER"),
    "<path>": ("文件", "FILE"),
    "<file>": ("文件", "FILE"),
    "<directory>": ("文件夹", "FOLDER"),
    "<list[str]>": ("文本…", "TEXT..."),
    "<list[Path]>": ("文件…", "FILES..."),
}
_EXTRAS = (("default: ", "默认: "), ("env var: ", "环境变量: "), ("required", "必填"))


def _placeholder(p: TyperOption | TyperArgument, ctx: _click.Context) -> str:
    """What an option's value or an argument is called on the page."""
    if p.metavar:
        name = tr(p.metavar)
    else:
        shown = p.display_type(ctx)
        zh, en = _TYPE_NAMES.get(shown, (shown, shown))
        name = pick(zh, en)
    if isinstance(p, TyperArgument) and p.nargs != 1 and not name.endswith(("…", "...")):
        name += pick("…", "...")
    return name


def _record(p: _click.Parameter, ctx: _click.Context) -> tuple[str, str] | None:
    """An option's or argument's line: names and placeholder, help and its [extras]."""
    rv = p.get_help_record(ctx)
    if rv is None or not isinstance(p, TyperOption | TyperArgument):
        return rv
    names, text = rv
    if isinstance(p, TyperArgument):
        names = _placeholder(p, ctx)
    elif not p.is_flag and not p.count:
        names = f"{_click.formatting.join_options(p.opts)[0]} {_placeholder(p, ctx)}"
    own = p.help or ""
    if own and text.startswith(own):
        text = tr(own) + text[len(own) :]
    if lang() == "zh" and text.endswith("]") and "[" in text:
        head, _, extra = text.rpartition("[")
        for en, zh in _EXTRAS:
            extra = extra.replace(en, zh)
        text = f"{head}[{extra.replace('; ', '；')}"
    return names, text


def _format_params(cmd: _click.Command, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
    args: list[tuple[str, str]] = []
    opts: list[tuple[str, str]] = []
    for p in cmd.get_params(ctx):
        rv = _record(p, ctx)
        if rv is not None:
            (args if p.param_type_name == "argument" else opts).append(rv)
    for title, rows in ((pick("参数", "Arguments"), args), (pick("选项", "Options"), opts)):
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)


def _usage(cmd: _click.Command, ctx: _click.Context, formatter: _click.HelpFormatter, tail: str) -> None:
    pieces = [pick("[选项]", "[OPTIONS]")] if cmd.options_metavar else []
    for p in cmd.get_params(ctx):
        if isinstance(p, TyperArgument):
            name = _placeholder(p, ctx)
            pieces.append(name if p.required else f"[{name}]")
    if tail:
        pieces.append(tail)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=pick("用法: ", "Usage: "))


def _help_text(cmd: _click.Command, formatter: _click.HelpFormatter) -> None:
    text = tr(inspect.cleandoc(cmd.help)).partition("\f")[0] if cmd.help else ""
    if text:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)


def _short_help(cmd: _click.Command, limit: int) -> str:
    """The first sentence of the help, as the list of commands shows it."""
    text = tr(inspect.cleandoc(cmd.short_help or cmd.help or ""))
    first = re.split(r"(?<=[。.])\s+|(?<=。)", text.partition("\n\n")[0], maxsplit=1)[0]
    if _cols(first) <= limit:
        return first
    cut = ""
    for ch in first:
        if _cols(cut + ch) > limit - 1:
            break
        cut += ch
    return cut.rstrip(" ,;，；") + "…"


_HELP_OPTION = "Show this message and exit."


def _cols(text: str) -> int:
    """Terminal columns of a text: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


# A word of Latin letters and signs stays whole; Chinese may break between any characters.
_TOKEN = re.compile(r"\s+|[^\s\u2e80-\uffff]+|.")


_NO_LINE_START = set("。，、；：？！）」』”’,.;:)")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, for help texts that mix Chinese and English."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for tok in _TOKEN.findall(para):
            if line and _cols(line) + _cols(tok) > width and tok not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = "" if tok.isspace() else tok
            else:
                line += tok
        lines.append(line.rstrip())
    return lines


class LaborFormatter(_click.HelpFormatter):
    """Click's help layout, with columns measured as a terminal shows Chinese."""

    def write_text(self, text: str) -> None:
        """A paragraph, wrapped at the page's width."""
        indent = " " * self.current_indent
        paras = [_wrap(p, self.width - self.current_indent) for p in text.split("\n\n")]
        self.write("\n\n".join("\n".join(indent + line for line in lines) for lines in paras) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """Names on the left, help on the right, wrapped beside them."""
        rows = list(rows)
        first_col = min(max((_cols(a) for a, _ in rows), default=0), col_max) + col_spacing
        pad = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _cols(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _cols(first)))
            else:
                self.write("\n" + pad)
            lines = _wrap(second, max(self.width - first_col - self.current_indent, 20))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(pad + line + "\n")


class LaborContext(typer.Context):
    """A context whose help pages are laid out by ``LaborFormatter``."""

    formatter_class = LaborFormatter


class LaborCommand(TyperCommand):
    """A command whose --help page is in the officer's language."""

    context_class = LaborContext

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The usage line: 用法: laborcli rates [选项]."""
        _usage(self, ctx, formatter, "")

    def format_help_text(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The command's help, translated."""
        _help_text(self, formatter)

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """Arguments and options with readable placeholders."""
        _format_params(self, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The line in the list of commands."""
        return _short_help(self, limit)

    def get_help_option(self, ctx: _click.Context) -> Any:
        """--help, its help text in the catalogue."""
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = _HELP_OPTION
        return opt


class LaborGroup(TyperGroup):
    """A group (laborcli itself, db, export, …) whose pages and usage errors are in the
    officer's language."""

    context_class = LaborContext

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The usage line: 用法: laborcli [选项] 命令 [参数]…."""
        _usage(self, ctx, formatter, pick("命令 [参数]…", "COMMAND [ARGS]..."))

    def format_help_text(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The group's help, translated."""
        _help_text(self, formatter)

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The group's options, then its commands."""
        _format_params(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """One line per command: its name and the first sentence of its help."""
        cmds = [(n, c) for n in self.list_commands(ctx) if (c := self.get_command(ctx, n)) and not c.hidden]
        if cmds:
            limit = formatter.width - 6 - max(len(n) for n, _ in cmds)
            with formatter.section(pick("命令", "Commands")):
                formatter.write_dl([(n, _short_help(c, limit)) for n, c in cmds])

    def get_short_help_str(self, limit: int = 45) -> str:
        """The line in the list of commands."""
        return _short_help(self, limit)

    def get_help_option(self, ctx: _click.Context) -> Any:
        """--help, its help text in the catalogue."""
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = _HELP_OPTION
        return opt

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; a usage error is shown in the officer's language, exit 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError as e:
            _click.echo(e.ctx.get_help(), err=True)
            sys.exit(e.exit_code)
        except ClickException as e:
            show_usage_error(e)
            sys.exit(e.exit_code)
        except typer.Abort:
            _click.echo(pick("已中止", "Aborted!"), err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def show_usage_error(e: ClickException) -> None:
    """The usage line, where to find help, and the error, on stderr."""
    ctx = getattr(e, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = pick(
                f"查看帮助: {ctx.command_path} {ctx.help_option_names[0]}",
                f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.",
            )
        _click.echo(f"{ctx.get_usage()}\n{hint}\n", err=True)
    _click.echo(pick("错误: ", "Error: ") + usage_message(e), err=True)


def usage_message(e: ClickException) -> str:
    """Click's message in the officer's language."""
    if lang() == "en":
        return e.format_message()
    if isinstance(e, MissingParameter):
        what = "参数" if isinstance(e.param, TyperArgument) else "选项"
        hint = _hint(e)
        choices = _choices(e.param)
        return f"缺少{what} {hint}" + (f" (可选: {choices})" if choices else "")
    if isinstance(e, NoSuchOption):
        also = f" (可能是: {', '.join(sorted(e.possibilities))})" if e.possibilities else ""
        return f"没有这个选项: {e.option_name}{also}"
    if isinstance(e, BadParameter):
        return f"{_hint(e)} 的值无效: {_bad_value(e.message, e.param)}"
    if isinstance(e, UsageError):
        return _usage_text(e.message)
    return e.format_message()


def _hint(e: BadParameter) -> str:
    if isinstance(e.param, TyperArgument) and e.ctx is not None:
        return _placeholder(e.param, e.ctx)
    if e.param_hint is not None:
        hint = e.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    return e.param.get_error_hint() if e.param is not None else ""


def _choices(param: _click.Parameter | None) -> str:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not desc.is_choice or not desc.choices:
        return ""
    return "|".join(str(getattr(c, "value", c)) for c in desc.choices)


_BAD_VALUE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(?:Value error, )?(.+) is not one of (.+)\.$"), lambda m: f"{m[1]} 不在可选值中"),
    (re.compile(r"^Input should be a valid integer"), lambda m: "应为整数"),
    (re.compile(r"^Input should be a valid number"), lambda m: "应为数字"),
    (re.compile(r"^Input should be greater than or equal to (.+)$"), lambda m: f"应不小于 {m[1]}"),
    (re.compile(r"^Input should be less than or equal to (.+)$"), lambda m: f"应不大于 {m[1]}"),
    (re.compile(r"^Input should be a valid boolean"), lambda m: "应为 是/否 (true/false)"),
]


def _bad_value(message: str, param: _click.Parameter | None) -> str:
    for pattern, say in _BAD_VALUE:
        m = pattern.match(message)
        if m:
            text = say(m)
            choices = _choices(param)
            return text + (f" (可选: {choices})" if choices else "")
    return message  # laborcli's own checks are in Chinese already


_USAGE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^No such command '(.+?)'\.?(?: Did you mean (.+)\?)?$"),
        lambda m: f"没有这个命令: {m[1]}" + (f" (是不是 {m[2]}?)" if m[2] else ""),
    ),
    (re.compile(r"^Missing command\.$"), lambda m: "缺少命令"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), lambda m: f"多余的参数: {m[1]}"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), lambda m: f"选项 {m[1]} 需要一个值"),
    (re.compile(r"^Option '(.+)' requires (\d+) arguments\.$"), lambda m: f"选项 {m[1]} 需要 {m[2]} 个值"),
    (re.compile(r"^Option '(.+)' does not take a value\.$"), lambda m: f"选项 {m[1]} 不带值"),
]


def _usage_text(message: str) -> str:
    for pattern, say in _USAGE:
        m = pattern.match(message)
        if m:
            return say(m)
    return message


_F = TypeVar("_F", bound=Callable[..., Any])


class LaborTyper(typer.Typer):
    """A Typer whose commands and groups are laborcli's (``LaborCommand``, ``LaborGroup``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", LaborGroup)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[_F], _F]:
        """A command of the group, made as a ``LaborCommand``."""
        kwargs.setdefault("cls", LaborCommand)
        return super().command(*args, **kwargs)
