"""Validating one located table: normalise every cell, collect problems, keep good rows.

Work is done column by column over the *distinct* values of each column (a village sheet
repeats the same statuses, yes/no marks and dates thousands of times), so the cost is one
parser call per distinct value rather than per cell. The rules are domain.md's
"Validation" section; each problem code is in :mod:`laborcli.sheets.problems`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
from laborcli.sheets.locating import PersonRows, Table, person_rows, without
from laborcli.sheets.problems import CODES, Problem, make_problem
from laborcli.sheets.reading import Cell, ExcelError, RawSheet
from laborcli.sheets.schema import SheetSchema

# Normalised fields of a row, in registry order (see registry.tables.rows).
TEXT_KEYS = (
    "township",
    "village",
    "group",
    "household_id",
    "relation",
    "ethnicity",
    "education",
    "skills",
    "training_wish",
    "job_intention",
    "work_place",
    "employer",
    "organiser",
    "remarks",
)
YESNO_KEYS = ("poor_household", "relocated", "monitored", "organised")


@dataclass(slots=True)
class Options:
    """What the caller knows beyond the sheet."""

    today: dt.date
    strict: bool = False
    township: str | None = None
    village: str | None = None


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


_Parsed = tuple[Any, str | None, str]  # value, problem code (None = fine), detail


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


def _parser_for(schema: SheetSchema, key: str, today: dt.date) -> Callable[[Cell], _Parsed]:
    col = schema.by_key[key]
    kind = col.kind

    def vocab(code: str) -> Callable[[Cell], _Parsed]:
        table = schema.lookup(col.vocabulary or "")

        def p(v: Cell) -> _Parsed:
            if is_blank(v):
                return None, None, ""
            f = fold(clean_text(v))
            t = table.get(f) or table.get(f.lower())
            return (t.term, None, "") if t else (clean_text(v), code, "")

        return p

    if kind == "yesno":
        return vocab("yesno-unknown")
    if kind == "status":
        return vocab("status-unknown")
    if kind == "capacity":
        return vocab("capacity-unknown")
    if kind == "gender":
        return vocab("gender-unknown")
    if kind == "date":

        def pdate(v: Cell) -> _Parsed:
            try:
                return parse_date(v), None, ""
            except ValueProblem as e:
                return None, e.code, ""

        return pdate
    if kind == "income":

        def pincome(v: Cell) -> _Parsed:
            try:
                return parse_income(v), None, ""
            except ValueProblem as e:
                return None, e.code, ""

        return pincome
    if kind == "integer":

        def pint(v: Cell) -> _Parsed:
            try:
                return parse_int(v), None, ""
            except ValueProblem as e:
                return None, e.code, ""

        return pint
    if kind == "phone":

        def pphone(v: Cell) -> _Parsed:
            text, ok = parse_phone(v)
            return text, (None if ok else "phone-invalid"), ""

        return pphone
    if kind == "id_number":
        return lambda v: _parse_id(v, today)
    if kind == "name":  # fold(clean_text(v)) is fold(v) for text
        return lambda v: (fold(v) if type(v) is str else fold(clean_text(v)), None, "")
    if col.vocabulary:
        table = schema.lookup(col.vocabulary)

        def psoft(v: Cell) -> _Parsed:
            text = clean_text(v)
            t = table.get(fold(text))
            return (t.term if t else text), None, ""

        return psoft
    return lambda v: (clean_text(v), None, "")


def _parse_id(v: Cell, today: dt.date) -> _Parsed:
    """An ID cell -> (IdCheck or None, problem code, detail)."""
    if is_blank(v):
        return None, "id-missing", ""
    if isinstance(v, bool):
        return None, "id-format", ""
    if isinstance(v, int | float):
        # Excel keeps 15 significant digits: an 18-digit ID stored as a number has lost its tail.
        # A 15-digit first-generation ID survives as a number and is read as such.
        if isinstance(v, float) and not v.is_integer():
            return None, "id-stored-as-number", ""
        n = int(v)
        if 10**14 <= n < 10**15:
            return _check(str(n), today)
        return None, "id-stored-as-number", ""
    text = clean_text(v)
    folded = idcard.normalise_id(text)
    if _looks_scientific(folded):
        return None, "id-stored-as-number", ""
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
    return c, c.code, ""


def validate_table(
    raw: RawSheet,
    table: Table,
    schema: SheetSchema,
    opts: Options,
    as_columns: bool = False,
) -> SheetResult:
    """Validate the data rows of a located table; rows with errors are not kept.

    The work goes column by column: each column's distinct values are parsed once and the
    results mapped back with list comprehensions, and the row rules run over whole columns.
    A per-cell Python call for ~30 columns of 100,000 rows cost more than reading the file.
    """
    res = SheetResult(sheet=raw.name, table=table)
    cols = table.columns
    data = person_rows(raw, table, schema)
    res.rows_read = len(data.numbers)
    for _key, text in table.duplicates:
        res.problems.append(
            make_problem(
                "column-duplicate",
                sheet=raw.name,
                row=table.header_row,
                column=text,
                value=text,
                strict=False,
            )
        )
    if "employment_status" not in cols:
        res.problems.append(
            make_problem(
                "column-missing",
                sheet=raw.name,
                row=table.header_row,
                column=schema.by_key["employment_status"].header,
                detail=schema.by_key["employment_status"].header,
            )
        )
        res.rejected_rows = list(data.numbers)
        return res
    if not data.numbers:
        return res
    cv = _Columns(raw.name, table, schema, opts, data)
    cv.parse_all()
    cv.row_rules()
    columns = cv.derive()
    errors = cv.error_rows()
    res.rejected_rows = [cv.row_nos[i] for i in sorted(errors)]
    res.accepted = cv.n - len(errors)
    if as_columns:
        names = ["sheet", "row_number", *columns]
        values: list[list[Any]] = [[raw.name] * cv.n, cv.row_nos, *columns.values()]
        if errors:  # a few rows: keep the runs between them, sliced in C
            values = [without(col, errors) for col in values]
        res.columns = dict(zip(names, values, strict=True))
    res.problems.extend(cv.problems())
    return res


def _with_error_cells(parse: Callable[[Cell], _Parsed]) -> Callable[[Cell], _Parsed]:
    """An Excel error value (#N/A) is a problem of its own in any column, never a value."""

    def p(v: Cell) -> _Parsed:
        if isinstance(v, ExcelError):
            return None, "cell-error", str(v)
        return parse(v)

    return p


class _Memo(dict[Any, Any]):
    """A column's cells to their parsed values: a cell seen first is parsed, every later
    equal cell is one dictionary lookup in C. Problems are kept by cell."""

    def __init__(self, parse: Callable[[Any], _Parsed], blank_none: bool, ready: type | None) -> None:
        super().__init__()
        self.parse, self.blank_none, self.ready = parse, blank_none, ready
        self.bad: dict[Any, tuple[str, str]] = {}

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
) -> tuple[list[Any], list[tuple[int, str, str]]]:
    """A column's values, parsed once per distinct cell; and (row index, code, detail) of
    every cell with a problem. Cells of type ``ready`` (dates in a date column) are their
    own value; an Excel error value (#N/A) is a problem in any column.

    One pass over the cells: the cell objects lie scattered in memory, and each pass that
    touches them (their type, their hash) cost a cache miss per cell, most of the time.
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


class _Columns:
    """One sheet's data as parsed columns plus the problems found, by row index."""

    def __init__(
        self,
        sheet: str,
        table: Table,
        schema: SheetSchema,
        opts: Options,
        data: PersonRows,
    ) -> None:
        self.sheet, self.table, self.schema, self.opts = sheet, table, schema, opts
        self.data = data
        self.row_nos = data.numbers
        self.n = len(data.numbers)
        self.raw: dict[str, list[Cell]] = {}
        self.val: dict[str, list[Any]] = {}
        self.found: dict[int, list[tuple[str, str | None, Cell, str]]] = {}
        self.header_of = {k: schema.by_key[k].header for k in schema.by_key}

    def add(self, i: int, code: str, key: str | None, value: Cell, detail: str = "") -> None:
        """Note a problem of row index i."""
        self.found.setdefault(i, []).append((code, key, value, detail))

    def raw_column(self, key: str) -> list[Cell]:
        """The cells of one column as read (None where the column or cell is absent)."""
        j = self.table.columns.get(key)
        return [None] * self.n if j is None else self.data.column(j)

    def parse_all(self) -> None:
        """Parse every column through its distinct values; IDs as one array, last."""
        for key in self.schema.by_key:
            if key == "id_number":
                continue
            if key not in self.table.columns:
                self.val[key] = [None] * self.n
                continue
            cells = self.raw_column(key)
            self.raw[key] = cells
            parse = _parser_for(self.schema, key, self.opts.today)
            ready = dt.date if self.schema.by_key[key].kind == "date" else None
            self.val[key], found = _parse_column(cells, parse, key in TEXT_KEYS, ready)
            for i, code, detail in found:
                self.add(i, code, key, cells[i], detail)
        self._id_fields(self.raw_column("id_number"))

    def _id_fields(self, raws: list[Cell]) -> None:
        """The ID columns: plainly typed IDs checked together, the rest one by one."""
        self.raw["id_number"] = raws
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
                self.add(i, str(code), "id_number", v)
        parse = _cached(_with_error_cells(lambda v: _parse_id(v, today)))
        for i in sorted(set(range(n)).difference(i for i, _ in plain)):
            cell = raws[i]
            c, code, _ = parse(cell)
            id_raw[i] = None if is_blank(cell) else clean_text(cell)
            if isinstance(c, idcard.IdCheck):
                ids[i], valid[i], births[i] = c.normalised, c.valid, c.birth
                genders[i] = c.gender if c.valid else None
            else:
                ids[i] = None if code == "id-missing" else id_raw[i]
            if code:
                self.add(i, code, "id_number", cell)
        self.val.update(id_raw=id_raw, id_number=ids, id_valid=valid, _id_birth=births, _id_gender=genders)

    def _fill(self, key: str, default: str | None) -> None:
        if default:
            self.val[key] = [v or default for v in self.val[key]]

    def row_rules(self) -> None:
        """Rules across a row: required fields, agreement with the ID, repeats in the sheet.

        Each rule first finds its rows with one comprehension over whole columns; only
        those rows are looked at one by one.
        """
        v = self.val
        self._fill("township", self.opts.township)
        self._fill("village", self.opts.village)
        v["township"] = [t or "" for t in v["township"]]
        for i in [i for i, name in enumerate(v["name"]) if not name]:
            self.add(i, "name-missing", "name", None)
        for i in [i for i, village in enumerate(v["village"]) if not village]:
            self.add(i, "village-missing", "village", None)
        for i in [i for i, status in enumerate(v["employment_status"]) if status is None]:
            if not any(f[0] == "status-unknown" for f in self.found.get(i, ())):
                self.add(i, "status-missing", "employment_status", None)
        self._cross_checks()
        valid_ids = [idn for idn, ok in zip(v["id_number"], v["id_valid"], strict=True) if ok]
        repeated = {idn for idn, count in Counter(valid_ids).items() if count > 1}
        if repeated:
            seen: dict[str, int] = {}
            for i, (idn, ok) in enumerate(zip(v["id_number"], v["id_valid"], strict=True)):
                if ok and idn in repeated:
                    first = seen.get(idn)
                    if first is not None:
                        self.add(i, "id-duplicate-in-sheet", "id_number", idn, f"同第{first}行")
                    else:
                        seen[idn] = self.row_nos[i]

    def _cross_checks(self) -> None:
        """Gender and birth date against a valid ID."""
        v = self.val
        valid, gender, id_gender = v["id_valid"], v["gender"], v["_id_gender"]
        for i in [
            i
            for i, (ok, g, id_g) in enumerate(zip(valid, gender, id_gender, strict=True))
            if ok and g != id_g and id_g and g in ("男", "女")
        ]:
            self.add(i, "gender-mismatch", "gender", gender[i], f"身份证显示为{id_gender[i]}")
        birth, id_birth = v["birth_date"], v["_id_birth"]
        raw_birth = self.raw.get("birth_date", [None] * self.n)
        for i in [
            i
            for i, (ok, b, id_b) in enumerate(zip(valid, birth, id_birth, strict=True))
            if ok and b != id_b and b is not None and id_b
        ]:
            b, id_b = birth[i], id_birth[i]
            if not isinstance(b, dt.date):
                continue
            # A sheet with only 出生年月 (YYYYMM read as the 1st) agrees when year and month do.
            month_only = b.day == 1 and _month_only(raw_birth[i])
            if not (month_only and (b.year, b.month) == (id_b.year, id_b.month)):
                self.add(i, "birth-mismatch", "birth_date", b.isoformat(), f"身份证显示为{id_b.isoformat()}")

    def derive(self) -> dict[str, list[Any]]:
        """The stored columns: parsed fields plus what the figures need, computed once.

        Per-status and per-capacity flags are looked up by term, a dictionary lookup in C
        per row.
        """
        v = self.val
        id_birth, id_gender = v.pop("_id_birth"), v.pop("_id_gender")
        v["birth_eff"] = [
            ib if ib is not None else b for ib, b in zip(id_birth, v["birth_date"], strict=True)
        ]
        for i in [i for i, b in enumerate(v["birth_eff"]) if b is None]:
            self.add(i, "age-unknown", None, None)
        v["gender_eff"] = [
            ig or (g if g in ("男", "女") else None) for ig, g in zip(id_gender, v["gender"], strict=True)
        ]
        statuses = v["employment_status"]
        terms = self.schema.vocabularies["employment_status"].terms
        # A status that is no term (empty, or text that is no status) counts as in the
        # labour force, neither transferred nor outside, as domain.md's figures say.
        for key, flag, other in (
            ("transferred", "transferred", False),
            ("outside", "outside", False),
            ("status_in_lf", "labour_force", True),
        ):
            by_term = {t.term: bool(getattr(t, flag)) for t in terms}
            v[key] = list(map(by_term.get, statuses, itertools.repeat(other)))
        excluded = {t.term: bool(t.excluded) for t in self.schema.vocabularies["labour_capacity"].terms}
        v["capacity_excluded"] = list(map(excluded.get, v["labour_capacity"], itertools.repeat(False)))
        v["poor"] = [p == "是" or r == "是" for p, r in zip(v["poor_household"], v["relocated"], strict=True)]
        yes_no: dict[Any, bool | None] = {None: None, "是": True}
        for k in YESNO_KEYS:
            v[k] = list(map(yes_no.get, v[k], itertools.repeat(False)))
        v["person_key"] = [
            "id:" + idn if ok else _unverified_key(v, i)
            for i, (idn, ok) in enumerate(zip(v["id_number"], v["id_valid"], strict=True))
        ]
        return v

    def error_rows(self) -> set[int]:
        """Row indexes with at least one error (strict mode counts warnings)."""
        if self.opts.strict:
            return set(self.found)
        return {i for i, fs in self.found.items() if any(CODES[f[0]].severity == "error" for f in fs)}

    def problems(self) -> list[Problem]:
        """Every problem found, in row order, as the user will read them."""
        out = []
        table, header_of = self.table, self.header_of
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
                        pii="id" if key == "id_number" else "phone" if key == "phone" else None,
                    )
                )
        return out


def _unverified_key(v: dict[str, list[Any]], i: int) -> str:
    return person_key(
        {k: v[k][i] for k in ("township", "village", "household_id", "name", "id_number", "birth_eff")}
    )


def _month_only(raw: Cell) -> bool:
    if not isinstance(raw, str):
        return False
    f = fold(raw)
    digits = "".join(ch for ch in f if ch.isdigit())
    return (
        (len(digits) == 6 and f.isdigit())
        or (f.endswith("月") and "日" not in f)
        or (f.count(".") == 1 or f.count("-") == 1 or f.count("/") == 1)
    )


def person_key(rec: dict[str, Any]) -> str:
    """Who a row is about, stable across monthly imports.

    A valid ID is the person. Without one, the row is keyed on where and who it says it is
    (township, village, household, name and the ID text or birth date as written), so the
    same unverified person in next month's sheet gets the same key; the dedup review links
    such keys to real persons.
    """
    if rec.get("id_valid"):
        return "id:" + str(rec["id_number"])
    b = rec.get("birth_eff")
    parts = [
        rec.get("township") or "",
        rec.get("village") or "",
        rec.get("household_id") or "",
        rec.get("name") or "",
        rec.get("id_number") or "",
        b.isoformat() if isinstance(b, dt.date) else "",
    ]
    return "nk:" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:20]
