"""A sheet kind, declared: the TOML schema in ``schemas/`` as validated models.

A kind names its columns (keys, standard headers, aliases, types), its vocabularies, how
its header row is recognised and which cells are required; a county adapts headers,
aliases and vocabularies by copying the TOML file. Code knows only the column keys, and
a kind that needs rules across columns names a rule set (see ``RULE_SETS``). Lookups fold
case-insensitive noise (spaces, full-width characters, line breaks) so that hand-typed
headers and values still match.
"""

from __future__ import annotations

import functools
import importlib
import tomllib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, Protocol

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, model_validator

from laborcli import shipped_file
from laborcli.errors import SchemaError
from laborcli.i18n import pick
from laborcli.sheets.cells import fold
from laborcli.sheets.problems import ProblemCode

ColumnType = Literal["text", "name", "id_number", "date", "yesno", "integer", "money", "phone", "vocabulary"]

# Column types of schema files written before sheet kinds (a county's copy of the old
# village sheet): the type they are now, and the problem code of a value not in the list.
_LEGACY_TYPES: dict[str, tuple[str, ProblemCode | None]] = {
    "income": ("money", None),
    "status": ("vocabulary", ProblemCode.STATUS_UNKNOWN),
    "capacity": ("vocabulary", ProblemCode.CAPACITY_UNKNOWN),
    "gender": ("vocabulary", ProblemCode.GENDER_UNKNOWN),
}

# Rule sets a kind may name in ``[sheet] rules``: cross-column rules and the stored form,
# in Python. A name, not a module path, so a schema file cannot make laborcli import code.
RULE_SETS = {"village": "laborcli.roster.rules", "demand": "laborcli.jobs.rules"}


class Column(BaseModel):
    """One column of the sheet."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    key: str
    header: str
    aliases: list[str] = Field(default_factory=list)
    type: ColumnType = Field(default="text", validation_alias=AliasChoices("type", "kind"))
    vocabulary: str | None = None
    required: bool = False
    width: int = 12
    # Problem codes of this column, where it has its own: an empty required cell, a value
    # not in a closed vocabulary, a value its type cannot read.
    missing: ProblemCode | None = None
    unknown: ProblemCode | None = None
    invalid: ProblemCode | None = None
    # A required column the sheet lacks, with no value for it from the command line or
    # the file's name: one problem for the sheet (this code, else column-missing), every
    # row rejected, rather than one problem per row.
    absent: ProblemCode | None = None
    minimum: float | None = None  # a smaller number is ``invalid``

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        if isinstance(data, dict):
            t = data.get("type", data.get("kind"))
            if t in _LEGACY_TYPES:
                new, unknown = _LEGACY_TYPES[t]
                data = {k: v for k, v in data.items() if k not in ("type", "kind")} | {"type": new}
                if unknown is not None:
                    data.setdefault("unknown", unknown)
        return data

    @property
    def closed(self) -> bool:
        """Whether a value outside the vocabulary is a problem (text columns only fold to it)."""
        return self.type in ("vocabulary", "yesno") and self.vocabulary is not None

    @property
    def unknown_code(self) -> ProblemCode:
        """The problem of a value not in the list."""
        if self.unknown is not None:
            return self.unknown
        return ProblemCode.YESNO_UNKNOWN if self.type == "yesno" else ProblemCode.VALUE_UNKNOWN


class Term(BaseModel):
    """One accepted value of a vocabulary, with what it counts as."""

    model_config = ConfigDict(frozen=True, extra="allow")
    term: str
    aliases: list[str] = Field(default_factory=list)
    transferred: bool = False
    outside: bool = False
    labour_force: bool = True
    excluded: bool = False


class Vocabulary(BaseModel):
    """A closed list of terms."""

    model_config = ConfigDict(frozen=True)
    terms: list[Term]


class SheetInfo(BaseModel):
    """How a kind of sheet is recognised and checked as a whole."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: str
    # A header row names all of these, and at least ``min_header_matches`` columns.
    header_keys: list[str]
    min_header_matches: int = 3
    # The column every record fills: a row without it that looks like a header, totals or
    # a signature line is not a record.
    row_key: str | None = None
    # Columns where a totals word (合计, 小计) marks a totals row.
    record_keys: list[str] = Field(default_factory=list)
    # Without these columns no row can be kept: the sheet is refused (column-missing).
    required_columns: list[str] = Field(default_factory=list)
    # Required cells, checked in this order (then columns marked ``required``).
    required: list[str] = Field(default_factory=list)
    rules: str | None = None  # a name of RULE_SETS
    template_sheet: str = "Sheet1"
    instructions: list[str] = Field(default_factory=list)

    @property
    def record_key(self) -> str:
        """The column that marks a record."""
        return self.row_key or self.header_keys[0]


class SheetRules(Protocol):
    """A kind's rules across columns (a module named in ``RULE_SETS``)."""

    NEEDS: tuple[str, ...]
    row_rules: Callable[..., None]
    derive: Callable[..., dict[str, list[Any]]]


class SheetSchema(BaseModel):
    """A whole sheet kind."""

    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(cached_property,))
    name: str
    version: int = 1
    sheet: SheetInfo | None = None
    columns: list[Column]
    vocabularies: dict[str, Vocabulary] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        """A schema without ``[sheet]`` was written before sheet kinds: a county's copy of
        the village sheet. Its empty 姓名, 村 and 就业状态 keep their own problem codes."""
        if isinstance(data, dict) and "sheet" not in data and isinstance(data.get("columns"), list):
            shipped = _village_missing_codes()
            data = dict(data)
            data["columns"] = [
                {**c, "missing": shipped[c["key"]]}
                if isinstance(c, dict) and c.get("key") in shipped and "missing" not in c
                else c
                for c in data["columns"]
            ]
        return data

    @property
    def info(self) -> SheetInfo:
        """The kind's sheet rules; a schema written before kinds is a village sheet."""
        return self.sheet or _village_info()

    @property
    def kind(self) -> str:
        """The kind's name."""
        return self.info.kind

    @cached_property
    def by_key(self) -> dict[str, Column]:
        """Columns by key."""
        return {c.key: c for c in self.columns}

    @cached_property
    def header_lookup(self) -> dict[str, str]:
        """Folded header or alias -> column key (standard headers win over aliases)."""
        out: dict[str, str] = {}
        for c in self.columns:
            for a in c.aliases:
                out.setdefault(fold(a), c.key)
        for c in self.columns:
            out[fold(c.header)] = c.key
        return out

    @cached_property
    def header_chars(self) -> dict[str, frozenset[str]]:
        """Column key -> every character of its folded headers and aliases: a cell with none
        of them, in NFKC form, cannot be that header (no need to fold it to see)."""
        out: dict[str, set[str]] = {}
        for text, key in self.header_lookup.items():
            out.setdefault(key, set()).update(text)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def required_keys(self) -> list[str]:
        """Keys whose empty cell is a problem, in the order they are checked. In a schema
        written before sheet kinds, ``required = true`` only marked the template."""
        keys = [k for k in self.info.required if k in self.by_key]
        if self.sheet is None:
            return keys
        return keys + [c.key for c in self.columns if c.required and c.key not in keys]

    def is_required(self, key: str) -> bool:
        """Whether the template marks the column 必填 (and its dropdown refuses a blank)."""
        return key in self.required_keys or self.by_key[key].required

    @cached_property
    def _lookups(self) -> dict[str, dict[str, Term]]:
        # Held by the schema itself: a lookup is never handed to another schema.
        out: dict[str, dict[str, Term]] = {}
        for name, vocab in self.vocabularies.items():
            table: dict[str, Term] = {}
            for t in vocab.terms:
                for a in t.aliases:
                    table.setdefault(fold(a), t)
                    table.setdefault(fold(a).lower(), t)
            for t in vocab.terms:
                table[fold(t.term)] = t
            out[name] = table
        return out

    def lookup(self, vocabulary: str) -> dict[str, Term]:
        """Folded term or alias -> term, for one vocabulary."""
        return self._lookups[vocabulary]

    def terms(self, vocabulary: str) -> list[str]:
        """The standard terms of a vocabulary, in order (the template's dropdowns)."""
        return [t.term for t in self.vocabularies[vocabulary].terms]

    def rules(self) -> SheetRules | None:
        """The kind's rule set, if it names one (imported when first asked for: a worker
        process receives the schema, not the module)."""
        name = self.info.rules
        if name is None:
            return None
        module: ModuleType = importlib.import_module(RULE_SETS[name])
        return module


def kind_path(kind: str) -> Path:
    """The shipped schema of a kind."""
    return shipped_file(f"{kind}_sheet.toml")


def default_schema_path() -> Path:
    """The shipped village sheet."""
    return kind_path("village")


def load_schema(path: Path | None = None, kind: str | None = None) -> SheetSchema:
    """Read and check a sheet kind: ``path``, else the shipped schema of ``kind`` (default:
    the village sheet)."""
    p = path or kind_path(kind or "village")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        schema = SheetSchema.model_validate(data)
    except FileNotFoundError as e:
        raise _refused(p, "找不到表格定义文件", "schema file not found") from e
    except tomllib.TOMLDecodeError as e:
        raise SchemaError(f"{p}: {_not_valid()}: {str(e).splitlines()[0]}") from e
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise SchemaError(f"{p}: {_not_valid()}: {where}: {first['msg']}") from e
    _check(schema, p)
    return schema


def _not_valid() -> str:
    return pick("不是有效的表格定义", "not a valid sheet definition")


def _refused(p: Path, zh: str, en: str) -> SchemaError:
    """A schema file that cannot be used, in one line naming the file."""
    return SchemaError(f"{p}: {pick(zh, en)}")


def _check(schema: SheetSchema, p: Path) -> None:
    """Every key the kind's rules name is a column, every vocabulary named exists."""
    info = schema.info
    if info.rules is not None and info.rules not in RULE_SETS:
        known = ", ".join(RULE_SETS)
        raise _refused(
            p,
            f"未知的规则集 {info.rules!r} (rule set; 可用: {known})",
            f"unknown rule set {info.rules!r} (known: {known})",
        )
    if info.row_key and info.row_key not in info.header_keys:
        raise _refused(
            p,
            f"row_key {info.row_key} 必须是 header_keys 之一",
            f"row_key {info.row_key} must be one of header_keys",
        )
    rules = schema.rules()
    needed = [
        *info.header_keys,
        *info.record_keys,
        *info.required_columns,
        *info.required,
        *(rules.NEEDS if rules is not None else ()),
    ]
    missing = ", ".join(sorted({k for k in needed if k not in schema.by_key}))
    if missing:
        raise _refused(
            p, f"表格定义缺少以下列: {missing}", f"the sheet definition lacks the columns {missing}"
        )
    for c in schema.columns:
        if c.vocabulary and c.vocabulary not in schema.vocabularies:
            raise _refused(
                p,
                f"列 {c.key} 引用了不存在的取值列表 {c.vocabulary}",
                f"column {c.key} names an unknown vocabulary {c.vocabulary}",
            )
        if c.type in ("vocabulary", "yesno") and not c.vocabulary:
            raise _refused(
                p,
                f"列 {c.key} 的类型为 {c.type}, 但没有指定取值列表 (vocabulary)",
                f"column {c.key} is of type {c.type} but names no vocabulary",
            )


@functools.cache
def _shipped_village() -> dict[str, Any]:
    """The shipped village sheet's TOML, read once: what a schema written before sheet
    kinds (a county's copy of the village sheet) takes its ``[sheet]`` and codes from."""
    return tomllib.loads(kind_path("village").read_text(encoding="utf-8"))


def _village_missing_codes() -> dict[str, str]:
    """The shipped village sheet's problem codes of empty required cells, by key."""
    return {c["key"]: c["missing"] for c in _shipped_village()["columns"] if "missing" in c}


@functools.cache
def _village_info() -> SheetInfo:
    """The shipped village sheet's ``[sheet]``."""
    return SheetInfo.model_validate(_shipped_village()["sheet"])
