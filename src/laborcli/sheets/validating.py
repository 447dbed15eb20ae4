"""Validating one located table of any sheet kind: parse every cell by its column's type,
collect problems, keep the good rows.

Work is done column by column over the *distinct* values of each column (a sheet repeats
the same statuses, yes/no marks and dates thousands of times), so the cost is one parser
call per distinct value rather than per cell. The generic rules are the column types and
the required cells of the kind's schema; a kind's own rules across columns (the village
sheet's ID against birth date and gender) run after them, from its rule set
(``SheetSchema.rules``). docs/rules.md gives the rules; each problem code is in
:mod:`laborcli.sheets.problems`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from laborcli.i18n import pick
from laborcli.sheets import idcard
from laborcli.sheets.cells import (
    ValueProblem,
    clean_text,
    fold,
    is_blank,
    parse_date,
    parse_income,
    parse_int,
    parse_phone,
)
from laborcli.sheets.locating import RecordRows, Table, record_rows, title_rows, without
from laborcli.sheets.problems import CODES, Problem, ProblemCode, make_problem
from laborcli.sheets.reading import Cell, ExcelError, RawSheet, column_letter
from laborcli.sheets.schema import Column, SheetSchema

P = ProblemCode


@dataclass(slots=True)
class Options:
    """What the caller knows beyond the sheet."""

    today: dt.date
    strict: bool = False
    # Values for empty cells, by column key (the village a file is known to be from).
    defaults: dict[str, str] = field(default_factory=dict)
    # The highest plausible monthly income (the policy's); a higher one is unknown, with a warning.
    income_max: float | None = None
    # The file's name: a kind's rule set may read values of columns a sheet lacks from it
    # (the village sheet's ``file_defaults``).
    source: str = ""


@dataclass(slots=True)
class SheetResult:
    """The outcome of one sheet."""

    sheet: str
    table: Table | None = None
    rows_read: int = 0
    rejected_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # With ``as_columns``: the accepted rows as whole columns, for an import to store.
    columns: dict[str, list[Any]] | None = None
    accepted: int = 0


_Parsed = tuple[Any, ProblemCode | None, str]  # value, problem code (None = fine), detail


def _cached(fn: Callable[[Cell], _Parsed]) -> Callable[[Cell], _Parsed]:
    cache: dict[tuple[type, Cell], _Parsed] = {}

    def call(v: Cell) -> _Parsed:
        k = (type(v), v)
        try:
            return cache[k]
        except KeyError:
            r = cache[k] = fn(v)
            return r
        except TypeError:  # unhashable: never from our readers, but stay safe
            return fn(v)

    return call


def _reader(parse: Callable[[Cell], Any], code: ProblemCode | None) -> Callable[[Cell], _Parsed]:
    """A cell parser that raises ValueProblem as a parsed problem (``code`` overrides its code)."""

    def p(v: Cell) -> _Parsed:
        try:
            return parse(v), None, ""
        except ValueProblem as e:
            return None, code or ProblemCode(e.code), ""

    return p


def _at_least(
    parse: Callable[[Cell], _Parsed], minimum: float, code: ProblemCode
) -> Callable[[Cell], _Parsed]:
    def p(v: Cell) -> _Parsed:
        value, problem, detail = parse(v)
        if problem is None and value is not None and value < minimum:
            return None, code, ""
        return value, problem, detail

    return p


def _at_most(parse: Callable[[Cell], _Parsed], maximum: float) -> Callable[[Cell], _Parsed]:
    """An amount above ``maximum`` is no amount: unknown, with a warning saying the limit."""
    detail = pick(f"上限 {maximum:g} 元/月", f"the maximum is {maximum:g} yuan a month")

    def p(v: Cell) -> _Parsed:
        value, problem, found = parse(v)
        if problem is None and value is not None and value > maximum:
            return None, P.INCOME_IMPLAUSIBLE, detail
        return value, problem, found

    return p


def parser_for(
    schema: SheetSchema, col: Column, today: dt.date, income_max: float | None = None
) -> Callable[[Cell], _Parsed]:
    """How the cells of one column are read, by its type (``income_max``: the highest
    plausible amount of a money column)."""
    kind = col.type
    if kind == "money" and income_max is not None and not col.closed:
        return _at_most(parser_for(schema, col, today), income_max)
    if col.closed:
        table = schema.lookup(col.vocabulary or "")
        code = col.unknown_code

        def vocab(v: Cell) -> _Parsed:
            if is_blank(v):
                return None, None, ""
            f = fold(clean_text(v))
            t = table.get(f) or table.get(f.lower())
            return (t.term, None, "") if t else (clean_text(v), code, "")

        return vocab
    if kind == "date":
        return _reader(parse_date, col.invalid)
    if kind in ("money", "integer"):
        parse = _reader(parse_income if kind == "money" else parse_int, col.invalid)
        if col.minimum is not None:
            return _at_least(parse, col.minimum, col.invalid or CODES_BY_TYPE[kind])
        return parse
    if kind == "phone":

        def pphone(v: Cell) -> _Parsed:
            text, ok = parse_phone(v)
            return text, (None if ok else col.invalid or P.PHONE_INVALID), ""

        return pphone
    if kind == "id_number":
        return lambda v: parse_id(v, today)
    if kind == "name":  # fold(clean_text(v)) is fold(v) for text
        return lambda v: (fold(v) if type(v) is str else fold(clean_text(v)), None, "")
    if col.vocabulary:
        soft = schema.lookup(col.vocabulary)

        def psoft(v: Cell) -> _Parsed:
            text = clean_text(v)
            t = soft.get(fold(text))
            return (t.term if t else text), None, ""

        return psoft
    return lambda v: (clean_text(v), None, "")


# The problem of a cell that its type cannot read (also of a number below the minimum).
CODES_BY_TYPE = {
    "money": P.INCOME_INVALID,
    "integer": P.NUMBER_INVALID,
    "date": P.DATE_UNREADABLE,
    "phone": P.PHONE_INVALID,
}


def parse_id(v: Cell, today: dt.date) -> _Parsed:
    """An ID cell -> (IdCheck or None, problem code, detail)."""
    if is_blank(v):
        return None, P.ID_MISSING, ""
    if isinstance(v, bool):
        return None, P.ID_FORMAT, ""
    if isinstance(v, int | float):
        # Excel keeps 15 significant digits: an 18-digit ID stored as a number has lost its tail.
        # A 15-digit first-generation ID survives as a number and is read as such.
        if isinstance(v, float) and not v.is_integer():
            return None, P.ID_STORED_AS_NUMBER, ""
        n = int(v)
        if 10**14 <= n < 10**15:
            return _check(str(n), today)
        return None, P.ID_STORED_AS_NUMBER, ""
    text = clean_text(v)
    folded = idcard.normalise_id(text)
    if _looks_scientific(folded):
        return None, P.ID_STORED_AS_NUMBER, ""
    return _check(text, today)


def _looks_scientific(s: str) -> bool:
    """5.30627E+17 or 5.30627199807033e17: a number Excel printed, digits lost."""
    u = s.upper()
    if "E" not in u:
        return False
    mant, _, exp = u.partition("E")
    return mant.replace(".", "", 1).isdigit() and exp.lstrip("+-").isdigit()


def _check(text: str, today: dt.date) -> _Parsed:
    c = idcard.check_id(text, today)
    return c, ProblemCode(c.code) if c.code else None, ""


def validate_table(
    raw: RawSheet,
    table: Table,
    schema: SheetSchema,
    opts: Options,
    as_columns: bool = False,
) -> SheetResult:
    """Validate the record rows of a located table; rows with errors are not kept.

    The work goes column by column: each column's distinct values are parsed once and the
    results mapped back with list comprehensions, and the row rules run over whole columns,
    so that no Python call is made per cell.
    """
    res = SheetResult(sheet=raw.name, table=table)
    cols = table.columns
    data = record_rows(raw, table, schema)
    res.rows_read = len(data.numbers)
    conflicts = False
    for (key, text), j in zip(table.duplicates, table.repeats, strict=True):
        problem = _repeated_column(raw.name, table, data, key, text, j)
        res.problems.append(problem)
        conflicts = conflicts or problem.code == P.COLUMN_CONFLICT
    if conflicts:
        res.rejected_rows = list(data.numbers)
        return res
    for key in schema.info.required_columns:
        if key not in cols:
            header = schema.by_key[key].header
            res.problems.append(
                make_problem(
                    P.COLUMN_MISSING, sheet=raw.name, row=table.header_row, column=header, detail=header
                )
            )
            res.rejected_rows = list(data.numbers)
            return res
    if not data.numbers:
        return res
    rules = schema.rules()
    opts = replace(opts, defaults=_defaults(raw, table, schema, opts, rules))
    for key in schema.required_keys:
        if key not in cols and not opts.defaults.get(key):
            col = schema.by_key[key]
            res.problems.append(
                make_problem(
                    col.absent or P.COLUMN_MISSING,
                    sheet=raw.name,
                    row=table.header_row,
                    column=col.header,
                    detail="" if col.absent else col.header,
                )
            )
            res.rejected_rows = list(data.numbers)
            return res
    sd = SheetData(raw.name, table, schema, opts, data)
    sd.parse_all()
    sd.fill_defaults()
    sd.required_cells()
    if rules is not None:
        rules.row_rules(sd)
        columns = rules.derive(sd)
    else:
        columns = dict(sd.val)
    errors = sd.error_rows()
    res.rejected_rows = [sd.row_nos[i] for i in sorted(errors)]
    res.accepted = sd.n - len(errors)
    if as_columns:
        names = ["sheet", "row_number", *columns]
        values: list[list[Any]] = [[raw.name] * sd.n, sd.row_nos, *columns.values()]
        if errors:  # a few rows: keep the runs between them, sliced in C
            values = [without(col, errors) for col in values]
        res.columns = dict(zip(names, values, strict=True))
    res.problems.extend(sd.problems())
    return res


def _repeated_column(sheet: str, table: Table, data: RecordRows, key: str, text: str, j: int) -> Problem:
    """A column named twice: a warning when both hold the same on every record row, else
    an error naming both columns and the first row where they differ (no values: the
    column may hold IDs)."""
    first = table.columns[key]
    ours, theirs = data.column(first), data.column(j)
    differ = next(
        (
            i
            for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
            if a != b and clean_text(a) != clean_text(b)
        ),
        None,
    )
    both = pick(
        f"{column_letter(first)} 列与 {column_letter(j)} 列",
        f"columns {column_letter(first)} and {column_letter(j)}",
    )
    if differ is None:
        return make_problem(
            P.COLUMN_DUPLICATE, sheet=sheet, row=table.header_row, column=text, value=text, detail=both
        )
    row = data.numbers[differ]
    return make_problem(
        P.COLUMN_CONFLICT,
        sheet=sheet,
        row=table.header_row,
        column=text,
        value=text,
        detail=pick(
            f"{table.headers[key]} 在 {column_letter(first)} 列, {text} 在 {column_letter(j)} 列, 第{row}行起不同",
            f"{table.headers[key]} in column {column_letter(first)}, {text} in column {column_letter(j)}, "
            f"differing from row {row}",
        ),
    )


def _defaults(
    raw: RawSheet, table: Table, schema: SheetSchema, opts: Options, rules: object
) -> dict[str, str]:
    """Values for empty cells: the command line's (``Options.defaults``); then, for a column
    the sheet lacks, what its file name or title rows say, where the kind's rule set reads
    them (``file_defaults``)."""
    out = dict(opts.defaults)
    from_file = getattr(rules, "file_defaults", None)
    if from_file is not None:
        for key, value in from_file(opts.source, title_rows(raw, table, schema)).items():
            if key not in table.columns and value:
                out.setdefault(key, value)
    return out


def _with_error_cells(parse: Callable[[Cell], _Parsed]) -> Callable[[Cell], _Parsed]:
    """An Excel error value (#N/A) is a problem of its own in any column, never a value."""

    def p(v: Cell) -> _Parsed:
        if isinstance(v, ExcelError):
            return None, P.CELL_ERROR, str(v)
        return parse(v)

    return p


class _Memo(dict[Any, Any]):
    """A column's cells to their parsed values: a cell seen first is parsed, every later
    equal cell is one dictionary lookup in C. Problems are kept by cell."""

    def __init__(self, parse: Callable[[Any], _Parsed], blank_none: bool, ready: type | None) -> None:
        super().__init__()
        self.parse, self.blank_none, self.ready = parse, blank_none, ready
        self.bad: dict[Any, tuple[ProblemCode, str]] = {}

    def __missing__(self, cell: Any) -> Any:
        if self.ready is not None and type(cell) is self.ready:
            value = cell
        else:
            value, code, detail = self.parse(cell)
            if code:
                self.bad[cell] = (code, detail)
            if self.blank_none and value == "":
                value = None
        self[cell] = value
        return value


def _parse_column(
    cells: list[Cell], parse: Callable[[Cell], _Parsed], blank_none: bool, ready: type | None = None
) -> tuple[list[Any], list[tuple[int, ProblemCode, str]]]:
    """A column's values, parsed once per distinct cell; and (row index, code, detail) of
    every cell with a problem. Cells of type ``ready`` (dates in a date column) are their
    own value; an Excel error value (#N/A) is a problem in any column.

    One pass over the cells: the cell objects lie scattered in memory, and each pass that
    touches them (their type, their hash) costs a cache miss per cell.
    True equals 1 as a key but parses differently, so a column that holds both is parsed
    again with (type, value) keys; 1 and 1.0 parse alike.
    """
    memo = _Memo(_with_error_cells(parse), blank_none, ready)
    values = list(map(memo.__getitem__, cells))
    if (True in memo or False in memo) and bool in set(map(type, cells)):
        keyed = [(type(v), v) for v in cells]

        def parse_keyed(k: tuple[type, Cell]) -> _Parsed:
            return (k[1], None, "") if k[0] is ready else memo.parse(k[1])

        by_type = _Memo(parse_keyed, blank_none, None)
        values = list(map(by_type.__getitem__, keyed))
        return values, [(i, *by_type.bad[k]) for i, k in enumerate(keyed) if k in by_type.bad]
    bad = memo.bad
    if not bad:
        return values, []
    return values, [(i, *bad[c]) for i, c in enumerate(cells) if c in bad]


@dataclass(slots=True)
class IdColumn:
    """An ID column read: the text as typed, whether valid, and what a valid ID says."""

    raw: list[str | None]
    valid: list[bool]
    birth: list[dt.date | None]
    gender: list[str | None]


class SheetData:
    """One sheet's data as parsed columns plus the problems found, by row index: what a
    kind's rule set works on."""

    def __init__(
        self,
        sheet: str,
        table: Table,
        schema: SheetSchema,
        opts: Options,
        data: RecordRows,
    ) -> None:
        self.sheet, self.table, self.schema, self.opts = sheet, table, schema, opts
        self.data = data
        self.row_nos = data.numbers
        self.n = len(data.numbers)
        self.raw: dict[str, list[Cell]] = {}
        self.val: dict[str, list[Any]] = {}
        self.ids: dict[str, IdColumn] = {}
        self.found: dict[int, list[tuple[ProblemCode, str | None, Cell, str]]] = {}
        self.header_of = {k: schema.by_key[k].header for k in schema.by_key}

    def add(self, i: int, code: ProblemCode, key: str | None, value: Cell, detail: str = "") -> None:
        """Note a problem of row index i."""
        self.found.setdefault(i, []).append((code, key, value, detail))

    def raw_column(self, key: str) -> list[Cell]:
        """The cells of one column as read (None where the column or cell is absent)."""
        j = self.table.columns.get(key)
        return [None] * self.n if j is None else self.data.column(j)

    def parse_all(self) -> None:
        """Parse every column through its distinct values; ID columns as arrays, last."""
        id_keys = []
        for col in self.schema.columns:
            key = col.key
            if col.type == "id_number":
                id_keys.append(key)
                continue
            if key not in self.table.columns:
                self.val[key] = [None] * self.n
                continue
            cells = self.raw_column(key)
            self.raw[key] = cells
            parse = parser_for(self.schema, col, self.opts.today, self.opts.income_max)
            ready = dt.date if col.type == "date" else None
            self.val[key], found = _parse_column(cells, parse, col.type == "text", ready)
            for i, code, detail in found:
                self.add(i, code, key, cells[i], detail)
        for key in id_keys:
            self._id_column(key, self.raw_column(key))

    def _id_column(self, key: str, raws: list[Cell]) -> None:
        """An ID column: plainly typed IDs checked together, the rest one by one. The value
        is the normalised ID where one could be read, else the text as typed."""
        self.raw[key] = raws
        n, today = self.n, self.opts.today
        id_raw: list[str | None] = [None] * n
        ids: list[str | None] = [None] * n
        valid = [False] * n
        births: list[dt.date | None] = [None] * n
        genders: list[str | None] = [None] * n
        candidates = [i for i, v in enumerate(raws) if type(v) is str and len(v) == 18]
        texts = [str(raws[i]) for i in candidates]
        mask = idcard.plain_mask(texts)
        plain = [(i, t) for i, t, ok in zip(candidates, texts, mask, strict=True) if ok]
        checks = idcard.check_plain([t for _, t in plain], today)
        for (i, v), ok, birth, gender, code in zip(
            plain, checks.valid, checks.birth, checks.gender, checks.code, strict=True
        ):
            id_raw[i] = ids[i] = v
            births[i] = birth
            if ok:
                valid[i] = True
                genders[i] = gender
            else:
                self.add(i, ProblemCode(str(code)), key, v)
        parse = _cached(_with_error_cells(lambda v: parse_id(v, today)))
        for i in sorted(set(range(n)).difference(i for i, _ in plain)):
            cell = raws[i]
            c, code, _ = parse(cell)
            id_raw[i] = None if is_blank(cell) else clean_text(cell)
            if isinstance(c, idcard.IdCheck):
                ids[i], valid[i], births[i] = c.normalised, c.valid, c.birth
                genders[i] = c.gender if c.valid else None
            else:
                ids[i] = None if code == P.ID_MISSING else id_raw[i]
            if code:
                self.add(i, code, key, cell)
        self.val[key] = ids
        self.ids[key] = IdColumn(raw=id_raw, valid=valid, birth=births, gender=genders)

    def fill_defaults(self) -> None:
        """Empty cells take the values the caller knows (``Options.defaults``)."""
        for key, default in self.opts.defaults.items():
            if default and key in self.val:
                self.val[key] = [v or default for v in self.val[key]]

    def required_cells(self) -> None:
        """An empty required cell is a problem, unless the cell is already reported as an
        error of a value the column cannot take (not in its list, not readable as its type):
        a value ignored with a warning leaves the cell empty, which is still an error."""
        for key in self.schema.required_keys:
            col = self.schema.by_key[key]
            code = col.missing or P.VALUE_MISSING
            reported = {c for c in (col.unknown_code if col.closed else None, col.invalid) if c}
            reported |= {c for c in [CODES_BY_TYPE.get(col.type)] if c}
            reported = {c for c in reported if CODES[c].severity == "error"}
            for i in [i for i, v in enumerate(self.val[key]) if v is None or v == ""]:
                if not any(f[0] in reported and f[1] == key for f in self.found.get(i, ())):
                    self.add(i, code, key, None)

    def error_rows(self) -> set[int]:
        """Row indexes with at least one error (strict mode counts warnings)."""
        if self.opts.strict:
            return set(self.found)
        return {i for i, fs in self.found.items() if any(CODES[f[0]].severity == "error" for f in fs)}

    def problems(self) -> list[Problem]:
        """Every problem found, in row order, as the user will read them."""
        out = []
        table, header_of = self.table, self.header_of
        pii = {c.key: "id" if c.type == "id_number" else "phone" for c in self.schema.columns}
        pii = {k: v for k, v in pii.items() if self.schema.by_key[k].type in ("id_number", "phone")}
        for i in sorted(self.found):
            for code, key, value, detail in self.found[i]:
                out.append(
                    make_problem(
                        code,
                        sheet=self.sheet,
                        row=self.row_nos[i],
                        column=(table.headers.get(key) or header_of.get(key)) if key else None,
                        value=None if is_blank(value) else clean_text(value),
                        detail=detail,
                        strict=self.opts.strict,
                        pii=pii.get(key) if key else None,
                    )
                )
        return out
