"""The declarative sheet definition (schemas/village_sheet.toml) as validated models.

A county adapts headers, aliases and vocabularies by copying the TOML file; the code only
knows the column keys and kinds. Lookups fold case-insensitive noise (spaces, full-width
characters, line breaks) so that hand-typed headers and values still match.
"""

from __future__ import annotations

import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from laborcli.errors import SchemaError
from laborcli.sheets.cells import fold

Kind = Literal[
    "text", "name", "id_number", "gender", "date", "yesno", "integer", "income", "phone", "status", "capacity"
]

REQUIRED_KEYS = ("name", "employment_status")


class Column(BaseModel):
    """One column of the sheet."""

    model_config = ConfigDict(frozen=True)
    key: str
    header: str
    aliases: list[str] = Field(default_factory=list)
    kind: Kind = "text"
    vocabulary: str | None = None
    required: bool = False
    width: int = 12


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


class SheetSchema(BaseModel):
    """The whole sheet definition."""

    model_config = ConfigDict(frozen=True, ignored_types=(cached_property,))
    name: str
    version: int = 1
    columns: list[Column]
    vocabularies: dict[str, Vocabulary]

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

    def lookup(self, vocabulary: str) -> dict[str, Term]:
        """Folded term or alias -> term, for one vocabulary."""
        return _vocab_lookup(self, vocabulary)

    def terms(self, vocabulary: str) -> list[str]:
        """The standard terms of a vocabulary, in order (the template's dropdowns)."""
        return [t.term for t in self.vocabularies[vocabulary].terms]


_LOOKUPS: dict[tuple[int, str], dict[str, Term]] = {}


def _vocab_lookup(schema: SheetSchema, vocabulary: str) -> dict[str, Term]:
    key = (id(schema), vocabulary)
    if key not in _LOOKUPS:
        table: dict[str, Term] = {}
        for t in schema.vocabularies[vocabulary].terms:
            for a in t.aliases:
                table.setdefault(fold(a), t)
                table.setdefault(fold(a).lower(), t)
        for t in schema.vocabularies[vocabulary].terms:
            table[fold(t.term)] = t
        _LOOKUPS[key] = table
    return _LOOKUPS[key]


def default_schema_path() -> Path:
    """The shipped schema: inside the wheel, or ``schemas/`` of a source checkout."""
    packaged = resources.files("laborcli").joinpath("schemas/village_sheet.toml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "schemas" / "village_sheet.toml"


def load_schema(path: Path | None = None) -> SheetSchema:
    """Read and check a sheet definition; the default is the shipped standard sheet."""
    p = path or default_schema_path()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        schema = SheetSchema.model_validate(data)
    except FileNotFoundError as e:
        raise SchemaError(f"schema file not found: {p}") from e
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise SchemaError(f"{p}: not a valid sheet definition: {str(e).splitlines()[0]}") from e
    missing = [k for k in (*REQUIRED_KEYS, "village", "id_number") if k not in schema.by_key]
    if missing:
        raise SchemaError(f"{p}: the sheet definition lacks the columns {', '.join(missing)}")
    for c in schema.columns:
        if c.vocabulary and c.vocabulary not in schema.vocabularies:
            raise SchemaError(f"{p}: column {c.key} names an unknown vocabulary {c.vocabulary}")
    return schema
