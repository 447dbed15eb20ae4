"""Properties of the core that must hold for every input, checked with hypothesis.

Resident IDs (GB 11643 check digit, 15→18 conversion, normalisation), date parsing in
every form a village writes, header folding, masking of identifiers, and a bounded fuzz
of the sheet reader: whatever bytes arrive, the tool answers with problems or with its
own error class (``LaborError``), never with a stray Python exception.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from laborcli.dates import age_in_years, years_before
from laborcli.errors import LaborError
from laborcli.identity.privacy import Mask, mask_id, mask_phone
from laborcli.roster.importing import Settings, check_file
from laborcli.sheets.cells import clean_text, fold, parse_date, parse_phone
from laborcli.sheets.idcard import (
    PROVINCE_CODES,
    check_digit,
    check_id,
    check_plain,
    convert_15_to_18,
    normalise_id,
    plain_mask,
)
from laborcli.sheets.locating import locate
from laborcli.sheets.reading import ExcelError, read_book
from laborcli.sheets.schema import load_schema
from laborcli.sheets.validating import Options, _parse_column, parser_for, validate_table
from tests.sheets import STANDARD, csv_text, person

TODAY = dt.date(2026, 6, 1)
FAST = settings(max_examples=300, deadline=None)

provinces = st.sampled_from(sorted(PROVINCE_CODES))
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31))


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    """A valid 18-character ID: province, 4 area digits, birth date, 3 sequence digits, check."""
    area = draw(provinces) + draw(st.text(string.digits, min_size=4, max_size=4))
    seq = draw(st.text(string.digits, min_size=3, max_size=3))
    body = f"{area}{draw(births):%Y%m%d}{seq}"
    return body + check_digit(body)


# --- resident IDs -------------------------------------------------------------------------


@FAST
@given(valid_ids())
def test_generated_ids_are_valid(id18: str) -> None:
    assert check_id(id18, TODAY).valid


@FAST
@given(valid_ids(), st.integers(0, 17), st.integers(1, 9))
def test_every_single_digit_change_is_detected(id18: str, pos: int, delta: int) -> None:
    chars = "0123456789X" if pos == 17 else "0123456789"
    old = chars.index(id18[pos])
    wrong = id18[:pos] + chars[(old + delta) % len(chars)] + id18[pos + 1 :]
    assert wrong != id18
    # MOD 11-2 catches every substitution: the recomputed check differs from the written one.
    assert check_digit(wrong[:17]) != wrong[17]
    assert not check_id(wrong, TODAY).valid


@FAST
@given(valid_ids(), st.integers(0, 16))
def test_every_adjacent_swap_is_detected(id18: str, pos: int) -> None:
    swapped = id18[:pos] + id18[pos + 1] + id18[pos] + id18[pos + 2 :]
    assume(swapped != id18)
    assert not check_id(swapped, TODAY).valid


@FAST
@given(
    provinces,
    st.text(string.digits, min_size=4, max_size=4),
    st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)),
    st.text(string.digits, min_size=3, max_size=3),
)
def test_15_digit_id_converts_to_valid_18_with_same_birth_date(
    prov: str, area: str, birth: dt.date, seq: str
) -> None:
    id15 = f"{prov}{area}{birth:%y%m%d}{seq}"
    id18 = convert_15_to_18(id15)
    assert len(id18) == 18 and id18[:6] == id15[:6] and id18[-4:-1] == seq
    c = check_id(id15, TODAY)
    assert c.valid and c.converted_from_15
    assert c.normalised == id18
    assert c.birth == birth


FULL_WIDTH = {ord(d): chr(0xFF10 + int(d)) for d in string.digits} | {ord("X"): "ｘ"}


@FAST
@given(valid_ids(), st.data())
def test_full_width_lower_x_and_spaces_normalise_to_the_same_id(id18: str, data: st.DataObject) -> None:
    mixed = "".join(data.draw(st.sampled_from([c, c.translate(FULL_WIDTH), c.lower()])) for c in id18)
    gaps = data.draw(st.lists(st.sampled_from([" ", "\u3000", "\t", "\u00a0"]), min_size=1, max_size=4))
    cut = sorted(data.draw(st.lists(st.integers(0, 18), min_size=len(gaps), max_size=len(gaps))))
    for n, (at, gap) in enumerate(zip(cut, gaps, strict=True)):
        mixed = mixed[: at + n] + gap + mixed[at + n :]
    assert normalise_id(mixed) == id18
    c = check_id(mixed, TODAY)
    assert c.valid and c.normalised == id18


# Texts that look like IDs and break each rule in turn: any province, impossible and future
# birth dates, leap days, a wrong check character.
id_like = st.builds(
    lambda head, y, m, d, tail, last: f"{head}{y:04d}{m:02d}{d:02d}{tail}{last}",
    st.text(string.digits, min_size=6, max_size=6),
    st.integers(1880, 2035) | st.sampled_from([0, 1, 9999]),
    st.integers(0, 13),
    st.integers(0, 32),
    st.text(string.digits, min_size=3, max_size=3),
    st.sampled_from(list("0123456789X")),
)


@FAST
@given(st.lists(st.one_of(valid_ids(), id_like), min_size=1, max_size=40))
def test_array_check_of_plain_ids_is_check_id(texts: list[str]) -> None:
    texts = [*texts, "990000000001011234"]  # a bad province and year 0: no birth date to keep
    assert all(plain_mask(texts))
    got = check_plain(texts, TODAY)
    for k, text in enumerate(texts):
        c = check_id(text, TODAY)
        assert (got.valid[k], got.code[k], got.birth[k], got.gender[k]) == (
            c.valid,
            c.code,
            c.birth,
            c.gender,
        )


@FAST
@given(st.lists(st.text(string.digits + "Xx５ -", min_size=15, max_size=19), max_size=20))
def test_only_plain_ids_take_the_array_path(texts: list[str]) -> None:
    plain = [len(t) == 18 and t[:17].isascii() and t[:17].isdigit() and t[17] in "0123456789X" for t in texts]
    assert plain_mask(texts) == plain


# --- dates --------------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)


def text_forms(d: dt.date) -> list[object]:
    """Every way a village writes the date d (the serial only where it has five digits)."""
    forms: list[object] = [
        d.isoformat(),
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d:%Y%m%d}",
        int(f"{d:%Y%m%d}"),
        d,
        dt.datetime(d.year, d.month, d.day),
    ]
    serial = (d - EXCEL_EPOCH).days
    if 10000 <= serial <= 99999:
        forms += [serial, float(serial), str(serial)]
    return forms


@FAST
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_parsing_round_trips_every_accepted_form(d: dt.date) -> None:
    for form in text_forms(d):
        assert parse_date(form) == d, form


@FAST
@given(st.dates(min_value=dt.date(1928, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_excel_serial_dates_round_trip(d: dt.date) -> None:
    # 1928 onwards every serial has five digits: 1928-01-01 is day 10228 after 1899-12-30.
    serial = (d - EXCEL_EPOCH).days
    assert parse_date(serial) == d
    assert parse_date(str(serial)) == d


@FAST
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
)
def test_age_in_years_agrees_with_the_figures_age_bounds(birth: dt.date, d: dt.date) -> None:
    assume(birth <= d)
    age = age_in_years(birth, d)
    # The figures test ages as birth <= the same day `age` years before, not `age + 1`.
    assert birth <= years_before(d, age)
    assert not birth <= years_before(d, age + 1)


# --- headers ------------------------------------------------------------------------------

STANDARD_HEADERS = ["乡镇(街道)", "村(社区)", "月收入(元)", "身份证号码", "是否脱贫户", "村民小组"]
noise = st.sampled_from([" ", "\n", "\r\n", "\t", "\u3000", " \n "])


# What hand-typed headers are made of: CJK, ASCII, full-width forms, spaces and line breaks.
header_chars = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.sampled_from(["\n", "\r", "\t", "\u3000", "\u00a0", "（", "）", "【", "】", "、"]),
)


any_text = st.text(st.characters(codec="utf-8"), max_size=20) | st.text(
    " \t\n\u3000\u00a0\x1cａ1２", max_size=8
)


@FAST
@given(any_text)
def test_text_cleaning_is_nfkc_with_whitespace_collapsed(s: str) -> None:
    nfkc = unicodedata.normalize("NFKC", s)
    assert clean_text(s) == re.sub(r"\s+", " ", nfkc).strip()
    assert fold(s) == re.sub(r"\s+", "", nfkc)


@FAST
@given(st.text("0123456789", min_size=11, max_size=11))
def test_an_eleven_digit_phone_is_a_mobile_or_a_landline(digits: str) -> None:
    mobile = re.fullmatch(r"1[3-9]\d{9}", digits) is not None
    landline = re.fullmatch(r"0\d{2,3}\d{7,8}", digits) is not None
    assert parse_phone(digits) == (digits, mobile or landline)
    assert parse_phone(f"{digits[:3]}-{digits[3:]}") == (digits, mobile or landline)


@FAST
@given(st.text("0123456789-", min_size=10, max_size=10))
def test_iso_looking_dates_read_as_the_patterns_say(s: str) -> None:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    try:
        want: object = dt.date(*map(int, m.groups())) if m else "unreadable"
        if isinstance(want, dt.date) and not 1900 <= want.year <= 2100:
            want = "unreadable"
    except ValueError:
        want = "unreadable"
    try:
        got: object = parse_date(s)
    except ValueError:
        got = "unreadable"
    assert got == want


def _digits_and_separators_reference(s: str) -> object:
    """docs/rules.md's date forms for text of digits and - . /, written out plainly."""
    t = s[:-2] if s.endswith(".0") and s[:-2].isdigit() else s

    def mk(y: int, m: int, d: int) -> object:
        try:
            return dt.date(y, m, d) if 1900 <= y <= 2100 else "unreadable"
        except ValueError:
            return "unreadable"

    if t.isdigit():
        n = int(t)
        if len(t) == 5:
            return dt.date(1899, 12, 30) + dt.timedelta(days=n) if n >= 10000 else "unreadable"
        if len(t) == 6:
            return mk(n // 100, n % 100, 1)
        if len(t) == 8:
            return mk(n // 10000, n // 100 % 100, n % 100)
        return "unreadable"
    if m := re.fullmatch(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", t):
        return mk(*map(int, m.groups()))
    if m := re.fullmatch(r"(\d{4})[-./](\d{1,2})", t):
        return mk(int(m.group(1)), int(m.group(2)), 1)
    return "unreadable"


@FAST
@st.composite
def typed_dates(draw: st.DrawFn) -> str:
    """A date as villages type it in digits: any separators, padded or not, maybe no day."""
    d = draw(st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2110, 12, 31)))
    seps = draw(st.lists(st.sampled_from("-./"), min_size=2, max_size=2))
    parts = [f"{d.year}", f"{d.month:02d}" if draw(st.booleans()) else f"{d.month}"]
    if draw(st.booleans()):
        parts.append(f"{d.day:02d}" if draw(st.booleans()) else f"{d.day}")
    return parts[0] + seps[0] + parts[1] + (seps[1] + parts[2] if len(parts) > 2 else "")


@given(
    st.one_of(
        typed_dates(),
        st.from_regex(r"[0-9]{4}[-./][0-9]{1,2}([-./][0-9]{1,2})?|[0-9]{5,8}(\.0)?", fullmatch=True),
        st.text("0123456789-./", min_size=1, max_size=11),
    )
)
def test_dates_of_digits_and_separators_read_as_the_forms_say(s: str) -> None:
    try:
        got: object = parse_date(s)
    except ValueError:
        got = "unreadable"
    assert got == _digits_and_separators_reference(s)


# Cells as a reader hands them over, chosen to collide as dictionary keys: True == 1 == 1.0,
# a typed "#N/A" beside a broken formula, a date beside its text.
cells = st.one_of(
    st.sampled_from(["", " ", "是", "否", "1", "0", "#N/A", "2021-03-05", "4,500", "务农", "3 "]),
    st.sampled_from([0, 1, 2, 0.0, 1.0, 1.5, True, False, None]),
    st.just(ExcelError("#N/A")),
    st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2030, 1, 1)),
)


@FAST
@given(
    st.lists(cells, max_size=40),
    st.sampled_from(["poor_household", "birth_date", "household_size", "remarks", "monthly_income", "name"]),
)
def test_a_column_parses_as_its_cells_do_one_by_one(column: list[object], key: str) -> None:
    """Parsing once per distinct cell gives what parsing every cell would."""
    schema = load_schema(None)
    parse = parser_for(schema, schema.by_key[key], TODAY)
    ready = dt.date if schema.by_key[key].type == "date" else None
    blank_none = key == "remarks"
    want_values, want_found = [], []
    for i, cell in enumerate(column):
        if isinstance(cell, ExcelError):
            value, code, detail = None, "cell-error", str(cell)
        elif ready is not None and type(cell) is ready:
            value, code, detail = cell, None, ""
        else:
            value, code, detail = parse(cell)
        want_values.append(None if blank_none and value == "" else value)
        if code:
            want_found.append((i, code, detail))
    values, found = _parse_column(column, parse, blank_none, ready)
    assert [(type(v), v) for v in values] == [(type(v), v) for v in want_values]
    assert found == want_found


@FAST
@given(st.text(header_chars, max_size=30))
def test_header_folding_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@FAST
@given(st.sampled_from(STANDARD_HEADERS), st.data())
def test_header_folding_ignores_spaces_line_breaks_and_full_width_brackets(
    header: str, data: st.DataObject
) -> None:
    written = header.replace("(", data.draw(st.sampled_from(["(", "（"]))).replace(
        ")", data.draw(st.sampled_from([")", "）"]))
    )
    chars = list(written)
    for _ in range(data.draw(st.integers(1, 4))):
        chars.insert(data.draw(st.integers(0, len(chars))), data.draw(noise))
    assert fold("".join(chars)) == fold(header) == header


# --- masking ------------------------------------------------------------------------------


def visible(masked: str) -> int:
    return sum(1 for c in masked if c != "*")


@FAST
@given(valid_ids())
def test_masked_id_shows_first_6_and_last_4_only(id18: str) -> None:
    m = Mask().id(id18)
    assert m == id18[:6] + "*" * 8 + id18[-4:]
    assert visible(m) == 10 and m != id18
    assert Mask(show_pii=True).id(id18) == id18


@FAST
@given(st.text("0123456789X", min_size=1, max_size=24))
def test_masked_id_of_any_length_hides_something_and_never_more_than_10(raw: str) -> None:
    m = mask_id(raw)
    assert len(m) == len(raw) and m != raw
    assert visible(m) <= min(10, len(raw) - 1)


mobiles = st.builds(
    lambda p, rest: f"1{p}{rest}", st.sampled_from("3456789"), st.text(string.digits, min_size=9, max_size=9)
)


@FAST
@given(mobiles)
def test_masked_mobile_shows_first_3_and_last_4_only(phone: str) -> None:
    m = Mask().phone(phone)
    assert m == phone[:3] + "****" + phone[-4:]
    assert visible(m) == 7 and m != phone


@FAST
@given(
    st.text(string.digits + "-", min_size=6, max_size=20).filter(lambda s: not (len(s) == 11 and s.isdigit()))
)
def test_masked_other_phone_shows_at_most_first_3_and_last_2(phone: str) -> None:
    m = mask_phone(phone)
    assert len(m) == len(phone) and m != phone
    assert visible(m) <= 5
    assert m[:3] == phone[:3] and m[-2:] == phone[-2:]


@FAST
@given(st.text(string.digits, min_size=1, max_size=5))
def test_masked_short_phone_never_equals_the_input(phone: str) -> None:
    # A 95588-style service number must not come out whole (s[:3] + s[-2:] would be the input).
    assert mask_phone(phone) != phone


# --- bounded fuzz of the sheet reader and validator ---------------------------------------

SCHEMA = load_schema()
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces real sheets are made of, so that random text often reaches the validator.
tokens = st.one_of(
    st.sampled_from(
        [
            *STANDARD,
            "姓名",
            "合计",
            "填报人:",
            "县外务工",
            "是",
            "否",
            "2021.3.5",
            "44260",
            "4,500元",
            "x",
            "",
            '"',
            '""',
        ]
    ),
    valid_ids(),
    st.text(max_size=8),
)
csv_lines = st.lists(st.lists(tokens, max_size=30).map(",".join), min_size=1, max_size=10)
GOOD_CSV = csv_text(
    [
        person("张三", dt.date(1990, 5, 1), seq=1, phone="13812345678", income="4500元"),
        person("李四", dt.date(1992, 6, 1), seq=2, status="务农", job_start="2021.3.5"),
        person("王五", dt.date(2012, 1, 1), seq=3, status="在校学生", id_number="530627120101003"),
    ]
).encode("utf-8-sig")


def check_is_answered(path: Path) -> None:
    """Problems in the report, or the project's own error; anything else propagates and fails."""
    try:
        rep = check_file(path, Settings(schema=SCHEMA, today=TODAY))
    except LaborError:
        return
    assert rep.status in ("checked", "rejected")
    if rep.status == "rejected":
        assert rep.problems, "a rejected file says why"
    assert rep.rows_imported + rep.rows_rejected == rep.rows_read
    rep.as_json()  # the report can be printed
    try:
        book = read_book(path)
    except LaborError:
        return
    for raw in book.sheets:
        table = locate(raw, SCHEMA)
        if table is not None:
            res = validate_table(raw, table, SCHEMA, Options(today=TODAY))
            assert res.accepted + len(res.rejected_rows) == res.rows_read


@FUZZ
@given(
    csv_lines,
    st.sampled_from(["\r\n", "\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
)
def test_random_csv_text_gives_problems_or_a_labor_error(
    tmp_path: Path, lines: list[str], eol: str, encoding: str
) -> None:
    header = ",".join(STANDARD)
    path = tmp_path / "甲镇_一村_2026-11.csv"
    path.write_bytes((header + eol + eol.join(lines)).encode(encoding, errors="replace"))
    check_is_answered(path)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([".csv", ".xlsx", ".xls"]))
def test_random_bytes_give_problems_or_a_labor_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"甲镇_一村_2026-11{suffix}"
    path.write_bytes(data)
    check_is_answered(path)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(GOOD_CSV)), st.integers(0, 4), st.binary(max_size=4)),
        min_size=1,
        max_size=6,
    )
)
def test_a_good_csv_with_random_byte_edits_gives_problems_or_a_labor_error(
    tmp_path: Path, edits: list[tuple[int, int, bytes]]
) -> None:
    data = GOOD_CSV
    for at, cut, insert in edits:  # at a position: drop `cut` bytes, put `insert` there
        data = data[:at] + insert + data[at + cut :]
    path = tmp_path / "甲镇_一村_2026-11.csv"
    path.write_bytes(data)
    check_is_answered(path)


xlsx_cells = st.one_of(
    st.none(),
    tokens.filter(lambda s: ILLEGAL_CHARACTERS_RE.search(s) is None),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)


@FUZZ
@given(
    st.lists(st.lists(xlsx_cells, max_size=28), max_size=8),
    st.integers(0, 3),
    st.booleans(),
)
def test_random_xlsx_grids_give_problems_or_a_labor_error(
    tmp_path: Path, grid: list[list[object]], header_at: int, with_header: bool
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    rows = list(grid)
    if with_header:
        rows.insert(min(header_at, len(rows)), list(STANDARD))
    for r in rows:
        ws.append(r)
    path = tmp_path / "甲镇_一村_2026-11.xlsx"
    wb.save(path)
    check_is_answered(path)
