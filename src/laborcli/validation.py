"""Validating one located table: normalise every cell, collect problems, keep good rows.

Work is done column by column over the *distinct* values of each column (a village sheet
repeats the same statuses, yes/no marks and dates thousands of times), so the cost is one
parser call per distinct value rather than per cell. The rules are domain.md's
"Validation" section; each problem code is in :mod:`laborcli.problems`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from laborcli import idcard
from laborcli.layout import Table, is_blank_row, is_footer_row, is_repeated_header, is_totals_row
from laborcli.problems import Problem, make_problem
from laborcli.reading import Cell, RawSheet
from laborcli.schema import SheetSchema
from laborcli.values import (
    ValueProblem,
    clean_text,
    fold,
    is_blank,
    parse_date,
    parse_income,
    parse_int,
    parse_phone,
)

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
    records: list[dict[str, Any]] = field(default_factory=list)
    rejected_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def warning_rows(self) -> int:
        """Imported rows that carry at least one warning."""
        accepted = {r["row_number"] for r in self.records}
        return len({p.row for p in self.problems if p.severity == "warning" and p.row in accepted})


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
    if kind == "name":
        return lambda v: (fold(clean_text(v)), None, "")
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
    raw: RawSheet, table: Table, schema: SheetSchema, opts: Options, file_key: str = ""
) -> SheetResult:
    """Validate the data rows of a located table; rows with errors are not kept."""
    res = SheetResult(sheet=raw.name, table=table)
    cols = table.columns
    data: list[tuple[int, list[Cell]]] = []
    for i in range(table.header_row, len(raw.rows)):
        row = raw.rows[i]
        if (
            is_blank_row(row)
            or is_totals_row(row, table)
            or is_footer_row(row, table)
            or is_repeated_header(row, table, schema)
        ):
            continue
        data.append((i + 1, row))
    res.rows_read = len(data)
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
        res.rejected_rows = [n for n, _ in data]
        return res

    parsers = {k: _cached(_parser_for(schema, k, opts.today)) for k in cols}
    header_of = {k: schema.by_key[k].header for k in schema.by_key}
    status_terms = {t.term: t for t in schema.vocabularies["employment_status"].terms}
    capacity_terms = {t.term: t for t in schema.vocabularies["labour_capacity"].terms}
    seen_ids: dict[str, int] = {}

    for row_no, row in data:
        rec: dict[str, Any] = {"sheet": raw.name, "row_number": row_no}
        probs: list[Problem] = []

        def add(
            code: str,
            key: str | None,
            value: Cell,
            detail: str = "",
            probs: list[Problem] = probs,
            row_no: int = row_no,
        ) -> None:
            probs.append(
                make_problem(
                    code,
                    sheet=raw.name,
                    row=row_no,
                    column=(table.headers.get(key) or header_of.get(key)) if key else None,
                    value=None if is_blank(value) else clean_text(value),
                    detail=detail,
                    strict=opts.strict,
                    pii="id" if key == "id_number" else "phone" if key == "phone" else None,
                )
            )

        for key in schema.by_key:
            j = cols.get(key)
            v = row[j] if j is not None and j < len(row) else None
            if j is None and key != "id_number":
                rec[key] = None
                continue
            value, code, detail = parsers[key](v)
            if key == "id_number":
                continue_id(rec, value, code, v, add)
                continue
            rec[key] = value
            if code:
                add(code, key, v, detail)
        for key in TEXT_KEYS:
            if rec.get(key) == "":
                rec[key] = None
        if not rec.get("township") and opts.township:
            rec["township"] = opts.township
        if not rec.get("village") and opts.village:
            rec["village"] = opts.village
        rec["township"] = rec.get("township") or ""
        if not rec.get("name"):
            add("name-missing", "name", None)
        if not rec.get("village"):
            add("village-missing", "village", None)
        if rec.get("employment_status") is None and not any(p.code == "status-unknown" for p in probs):
            add("status-missing", "employment_status", None)
        _cross_checks(rec, add, row, cols)
        _derive(rec, status_terms, capacity_terms, file_key)
        if rec["id_valid"]:
            first = seen_ids.get(rec["id_number"])
            if first is not None:
                add("id-duplicate-in-sheet", "id_number", rec["id_number"], f"同第{first}行")
            else:
                seen_ids[rec["id_number"]] = row_no
        if rec["birth_eff"] is None:
            add("age-unknown", None, None)
        res.problems.extend(probs)
        if any(p.severity == "error" for p in probs):
            res.rejected_rows.append(row_no)
        else:
            res.records.append(rec)
    return res


def continue_id(
    rec: dict[str, Any],
    check: Any,
    code: str | None,
    raw: Cell,
    add: Callable[[str, str | None, Cell, str], None],
) -> None:
    """Store the ID fields of a row and report its problem, if any."""
    rec["id_raw"] = None if is_blank(raw) else clean_text(raw)
    if isinstance(check, idcard.IdCheck):
        rec["id_number"] = check.normalised
        rec["id_valid"] = check.valid
        rec["_id_birth"] = check.birth
        rec["_id_gender"] = check.gender if check.valid else None
    else:
        rec["id_number"] = None if code == "id-missing" else rec["id_raw"]
        rec["id_valid"] = False
        rec["_id_birth"] = None
        rec["_id_gender"] = None
    if code:
        add(code, "id_number", raw, "")


def _cross_checks(
    rec: dict[str, Any], add: Callable[..., None], row: list[Cell], cols: dict[str, int]
) -> None:
    """Gender and birth date against a valid ID."""
    if not rec["id_valid"]:
        return
    g = rec.get("gender")
    if g in ("男", "女") and rec["_id_gender"] and g != rec["_id_gender"]:
        add("gender-mismatch", "gender", g, f"身份证显示为{rec['_id_gender']}")
    b = rec.get("birth_date")
    if isinstance(b, dt.date) and rec["_id_birth"] and b != rec["_id_birth"]:
        id_b: dt.date = rec["_id_birth"]
        # A sheet with only 出生年月 (YYYYMM read as the 1st) agrees when year and month do.
        raw = row[cols["birth_date"]] if "birth_date" in cols and cols["birth_date"] < len(row) else None
        month_only = b.day == 1 and _month_only(raw)
        if not (month_only and (b.year, b.month) == (id_b.year, id_b.month)):
            add("birth-mismatch", "birth_date", b.isoformat(), f"身份证显示为{id_b.isoformat()}")


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


def _derive(
    rec: dict[str, Any], status_terms: dict[str, Any], capacity_terms: dict[str, Any], file_key: str
) -> None:
    """Fields the figures need, computed once at import."""
    id_birth = rec.pop("_id_birth")
    id_gender = rec.pop("_id_gender")
    rec["birth_eff"] = id_birth if id_birth is not None else rec.get("birth_date")
    rec["gender_eff"] = id_gender or (rec.get("gender") if rec.get("gender") in ("男", "女") else None)
    st = status_terms.get(rec.get("employment_status") or "")
    rec["transferred"] = bool(st and st.transferred)
    rec["outside"] = bool(st and st.outside)
    rec["status_in_lf"] = bool(st is None or st.labour_force)
    cap = capacity_terms.get(rec.get("labour_capacity") or "")
    rec["capacity_excluded"] = bool(cap and cap.excluded)
    rec["poor"] = bool(rec.get("poor_household") == "是" or rec.get("relocated") == "是")
    for k in YESNO_KEYS:
        v = rec.get(k)
        rec[k] = None if v is None else (v == "是")
    rec["person_key"] = person_key(rec)


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
