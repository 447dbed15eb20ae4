"""The sample county generator: deterministic by seed, and its summary is the answer key.

A generated county is imported through the real pipeline; the import must report exactly
the problems the generator injected, count exactly the persons it predicts (every person
once, minus those whose only row was rejected, plus second listings without a valid ID),
and ``dedup`` must find every injected duplicate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from typer.testing import CliRunner

from laborcli.cli.commands import sample as sample_cmd
from laborcli.dates import as_of_from_name, month_end
from laborcli.errors import UsageError
from laborcli.identity.names import name_pinyin
from laborcli.registry import open_registry
from laborcli.roster.state import current_rows
from laborcli.sample import (
    DUPLICATES,
    ERRORS,
    WARNINGS,
    CountySummary,
    generate_county,
    month_list,
    plan_county,
    xlsx_bytes,
)
from laborcli.sample.duplicates import HOMOPHONES
from laborcli.sample.style import HEADER_ALIASES
from laborcli.sheets.idcard import check_digit, check_id
from laborcli.sheets.reading import read_book
from laborcli.sheets.schema import load_schema
from tests.conftest import Cli

MONTHS = ["2026-10", "2026-11"]
PERSONS = 2400


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


def _key(s: CountySummary) -> dict[str, Any]:
    d = s.as_json()
    d.pop("out_dir")
    return d


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CountySummary]:
    """A small messy county (4 townships, 12 villages, two months, targets)."""
    out = tmp_path_factory.mktemp("county")
    s = generate_county(out, PERSONS, MONTHS, seed=12, townships=4, villages=12, targets=True, workers=1)
    return out, s


@pytest.fixture(scope="module")
def imported(
    county: tuple[Path, CountySummary], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Cli, list[dict[str, Any]]]:
    """The county imported month by month into a fresh SQLite registry."""
    out, _ = county
    cli = Cli(str(tmp_path_factory.mktemp("reg") / "registry.db"))
    reports = [cli.json("import", str(out / m)) for m in MONTHS]
    return cli, reports


def test_same_seed_same_bytes_other_seed_other_people(tmp_path: Path) -> None:
    a = generate_county(tmp_path / "a", 600, MONTHS, seed=11, targets=True)
    b = generate_county(tmp_path / "b", 600, MONTHS, seed=11, targets=True)
    generate_county(tmp_path / "c", 600, MONTHS, seed=12, targets=True)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _key(a) == _key(b)
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_parallel_townships_write_the_same_files(tmp_path: Path) -> None:
    one = generate_county(tmp_path / "one", 1500, ["2026-11"], seed=4, townships=3, workers=1)
    two = generate_county(tmp_path / "two", 1500, ["2026-11"], seed=4, townships=3, workers=2)
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")
    assert _key(one) == _key(two)


def test_csv_sheets_are_the_same_county(tmp_path: Path) -> None:
    x = generate_county(tmp_path / "x", 500, ["2026-11"], seed=8, fmt="xlsx")
    c = generate_county(tmp_path / "c", 500, ["2026-11"], seed=8, fmt="csv")
    assert [m.problems for m in x.months] == [m.problems for m in c.months]
    assert (x.months[0].labour_force, x.months[0].transferred) == (
        c.months[0].labour_force,
        c.months[0].transferred,
    )
    raw = [(tmp_path / "c" / f).read_bytes() for f in c.files]
    assert all(f.endswith(".csv") for f in c.files)
    assert all(b.startswith(b"\xef\xbb\xbf") or b.decode("gb18030") for b in raw)


def test_layout_names_counts_and_targets(county: tuple[Path, CountySummary]) -> None:
    out, s = county
    assert (s.persons, s.townships, s.villages, [m.month for m in s.months]) == (PERSONS, 4, 12, MONTHS)
    assert len(s.files) == 12 * 2
    for rel in s.files:
        month, name = rel.split("/")
        _, _, tail = name.split("_")
        assert tail == f"{month}.xlsx"
        assert as_of_from_name(name) == month_end(int(month[:4]), int(month[5:]))
        assert (out / rel).is_file()
    # Every person listed once per month, plus the second listings.
    listed = sum(s.duplicates.values())
    assert all(m.rows == PERSONS + listed for m in s.months)
    # Villages sized by N, households of 1-7 (with unlisted young children), ages and statuses.
    assert 2.5 < PERSONS / s.households < 4.5
    for m in s.months:
        assert 0.6 <= m.transferred / m.labour_force <= 0.75
        assert 0 < m.zero_employment_households < 0.15 * m.households
        assert 0.25 < m.organised_outside / m.outside_county < 0.5
        assert 0 < m.new_transfers < m.transferred
    assert s.targets_file == "2026年1月_年度转移就业任务.xlsx" and s.targets_year == 2026
    assert len(s.targets) == 12 and all(t >= 5 and t % 5 == 0 for t in s.targets.values())
    assert s.bytes_written == sum(f.stat().st_size for f in out.rglob("*") if f.is_file())


def test_every_fault_is_reported_as_predicted(
    county: tuple[Path, CountySummary], imported: tuple[Cli, list[dict[str, Any]]]
) -> None:
    _, s = county
    _, reports = imported
    for m, rep in zip(s.months, reports, strict=True):
        assert {f["status"] for f in rep["files"]} == {"imported"}
        assert rep["totals"]["rows_read"] == m.rows
        assert rep["totals"]["rows_rejected"] == m.rows_rejected
        assert rep["totals"]["rows_imported"] == m.rows - m.rows_rejected
        found = Counter(p["code"] for f in rep["files"] for p in f["problems"])
        assert dict(found) == m.problems
        severity = {p["code"]: p["severity"] for f in rep["files"] for p in f["problems"]}
        assert all(severity[c] == "error" for c in m.problems if c in ERRORS)
        assert all(severity[c] == "warning" for c in m.problems if c in WARNINGS)
    # The injected faults are all there (rates small, but the county is chosen to hold each).
    seen = {c for m in s.months for c, n in m.problems.items() if n}
    assert seen == set(ERRORS) | set(WARNINGS)
    assert 0 < sum(m.rows_rejected for m in s.months) < 0.01 * 2 * PERSONS


def test_persons_counted_match_n(
    county: tuple[Path, CountySummary], imported: tuple[Cli, list[dict[str, Any]]]
) -> None:
    _, s = county
    cli, _ = imported
    reg = open_registry(cli.db)
    try:
        with reg.reading() as conn:
            for m in s.months:
                q = sa.select(sa.func.count()).select_from(current_rows(m.as_of, reg.dialect).subquery())
                counted = conn.execute(q).scalar_one()
                assert counted == m.persons_counted
                assert m.persons_counted == PERSONS - m.persons_lost + m.unverified_copies
    finally:
        reg.close()
    assert all(
        m.unverified_copies == s.duplicates["no_id"] + s.duplicates["homophone"] + s.duplicates["id_typo"]
        for m in s.months
    )


def test_figures_are_near_the_truth(
    county: tuple[Path, CountySummary], imported: tuple[Cli, list[dict[str, Any]]]
) -> None:
    _, s = county
    cli, _ = imported
    for m in s.months:
        total = cli.json("rates", "--as-of", m.as_of.isoformat())["total"]
        slack = m.persons_lost + m.unverified_copies
        assert abs(total["labour_force"] - m.labour_force) <= slack
        assert abs(total["transferred"] - m.transferred) <= slack
        assert abs(total["outside_county"] - m.outside_county) <= slack
        assert 0.6 <= total["transfer_rate"] <= 0.75
        assert abs(total["households"] - m.households) <= slack
        assert total["unknown_age"] == 0


def test_dedup_finds_every_second_listing(
    county: tuple[Path, CountySummary], imported: tuple[Cli, list[dict[str, Any]]]
) -> None:
    _, s = county
    cli, _ = imported
    clusters = cli.json("dedup", "--as-of", "2026-11-30")["clusters"]
    kinds = Counter(c["decision"] for c in clusters)
    assert kinds["same"] == s.duplicates["same_id"] + s.duplicates["in_sheet"]
    probable = s.duplicates["no_id"] + s.duplicates["homophone"] + s.duplicates["id_typo"]
    assert probable <= kinds["probable"] <= probable + 1
    homophones = [c for c in clusters if any(r.startswith("同音姓名") for r in c["reasons"])]
    assert len(homophones) >= s.duplicates["homophone"]


def test_targets_import_and_rank(
    county: tuple[Path, CountySummary], imported: tuple[Cli, list[dict[str, Any]]]
) -> None:
    out, s = county
    cli, _ = imported
    assert s.targets_file is not None
    r = cli.json("targets", "import", str(out / s.targets_file), "--year", "2026")
    assert (r["rows_read"], r["imported"], r["problems"]) == (12, 12, [])
    rank = cli.json("rank", "--week", "2026-W49")
    assert rank["metric"] == "completion" and len(rank["rows"]) == 12 and rank["unranked"] == []
    values = [row["value"] for row in rank["rows"]]
    assert min(values) > 0.5 and max(values) < 1.6


def test_the_whole_folder_imports(county: tuple[Path, CountySummary], cli_sqlite: Cli) -> None:
    """`laborcli import DIR` takes every sheet; the targets sheet is reported, not fatal."""
    out, s = county
    rep = cli_sqlite.json("import", str(out))
    status = {Path(f["path"]).name: f["status"] for f in rep["files"]}
    assert s.targets_file is not None and status.pop(s.targets_file) == "rejected"
    assert set(status.values()) == {"imported"} and len(status) == len(s.files)


def test_clean_county_imports_without_a_problem(tmp_path: Path, cli_sqlite: Cli) -> None:
    s = generate_county(tmp_path, 700, ["2026-11"], seed=2, messy=False)
    m = s.months[0]
    assert m.problems == {} and m.rows_rejected == 0
    assert set(s.duplicates) == set(DUPLICATES) and sum(s.duplicates.values()) == s.duplicates["same_id"]
    rep = cli_sqlite.json("import", str(tmp_path / "2026-11"))
    assert rep["totals"]["rows_rejected"] == 0
    assert [p for f in rep["files"] for p in f["problems"]] == []
    total = cli_sqlite.json("rates", "--as-of", "2026-11-30")["total"]
    assert (total["labour_force"], total["transferred"], total["unverified"]) == (
        m.labour_force,
        m.transferred,
        0,
    )
    assert m.persons_counted == 700


def test_sheets_read_as_real_workbooks(tmp_path: Path) -> None:
    """openpyxl opens them as Excel would: IDs are text cells formatted @, dates are date cells."""
    s = generate_county(tmp_path, 200, ["2026-11"], seed=1, messy=False, villages=1)
    wb = load_workbook(tmp_path / s.files[0])
    ws = wb.active
    assert ws is not None
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    id_j, b_j = header.index("身份证号码"), header.index("出生日期")
    for row in rows[1:]:
        assert row[id_j].data_type == "s" and row[id_j].number_format == "@"
        assert check_id(str(row[id_j].value), dt.date(2026, 12, 1)).valid
        assert isinstance(row[b_j].value, dt.datetime) and row[b_j].is_date
    assert len(rows) == 1 + s.months[0].rows


def test_generated_ids_are_valid_and_agree_with_gender(tmp_path: Path) -> None:
    s = generate_county(tmp_path, 400, ["2026-11"], seed=5, messy=False, fmt="csv")
    book = read_book(tmp_path / s.files[0])
    header = book.sheets[0].rows[0]
    id_j, g_j, b_j = header.index("身份证号码"), header.index("性别"), header.index("出生日期")
    for row in book.sheets[0].rows[1:]:
        c = check_id(str(row[id_j]), dt.date(2026, 12, 1))
        assert c.valid and c.gender == row[g_j] and c.birth is not None
        assert c.birth.isoformat() == row[b_j]
        assert check_digit(c.normalised[:17]) == c.normalised[17]


def test_headers_and_aliases_are_the_schemas() -> None:
    schema = load_schema()
    lookup = schema.header_lookup
    for key, aliases in HEADER_ALIASES.items():
        assert lookup[schema.by_key[key].header] == key
        assert all(lookup[a] == key for a in aliases)


def test_clean_sheets_have_the_schemas_headers_in_its_order(tmp_path: Path) -> None:
    s = generate_county(tmp_path, 200, ["2026-11"], seed=1, messy=False, fmt="csv", villages=1)
    header = read_book(tmp_path / s.files[0]).sheets[0].rows[0]
    assert header == [c.header for c in load_schema().columns]


def test_homophones_sound_the_same() -> None:
    for a, b in HOMOPHONES.items():
        assert name_pinyin(a) == name_pinyin(b), (a, b)
        for name in (f"张{a}", f"李秀{a}", f"王{a}华"):
            assert name_pinyin(name) == name_pinyin(name.replace(a, b)), name


def test_plan_scales_with_the_county() -> None:
    small, big = plan_county(2000), plan_county(800_000)
    assert 10 <= len(small.villages) <= 14 and 2 <= len(small.townships) <= 4
    assert 200 <= len(big.villages) <= 300 and 10 <= len(big.townships) <= 20
    assert sum(v.persons for v in big.villages) == 800_000
    sizes = sorted(v.persons for v in big.villages)
    assert sizes[0] >= 300 and sizes[-1] <= 12_000
    assert len({v.code for v in big.villages}) == len(big.villages)


def test_months() -> None:
    assert month_list("2026-11,2026-10") == ["2026-10", "2026-11"]
    assert month_list(3, "2026-02") == ["2025-12", "2026-01", "2026-02"]
    assert month_list("2", "2026-1") == ["2025-12", "2026-01"]
    assert month_list(1, today=dt.date(2026, 3, 15)) == ["2026-02"]
    for bad in ("2026-13", "11/2026", ""):
        with pytest.raises(UsageError):
            month_list(bad)
    with pytest.raises(UsageError):
        month_list(0, "2026-11")


def test_months_follow_each_other(tmp_path: Path) -> None:
    """Statuses change month to month: some start work (with a start date in the month), some return."""
    s = generate_county(tmp_path, 3000, ["2026-02", "2026-03"], seed=3, messy=False, fmt="csv")
    feb, mar = s.months
    assert mar.new_transfers > feb.new_transfers  # after the Spring Festival people leave for work
    assert mar.transferred > feb.transferred


def test_xlsx_writer_cells() -> None:
    data = xlsx_bytes(
        [["标题"], [], ["a & b", 3, 4.5, dt.date(2026, 1, 2), None, "<x>"]], merges=["A1:F1"], text_cols=[0]
    )
    path_rows = read_book_bytes(data)
    assert path_rows == [
        ["标题", "", "", "", "", ""],
        ["", "", "", "", "", ""],
        ["a & b", 3.0, 4.5, dt.date(2026, 1, 2), "", "<x>"],
    ]


def read_book_bytes(data: bytes) -> list[list[object]]:
    import io

    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
    return [list(r) for r in rows]


def test_command_writes_and_summarises(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(
        sample_cmd.app,
        [
            "-o",
            str(tmp_path),
            "-n",
            "300",
            "--months",
            "2",
            "--last",
            "2026-11",
            "--seed",
            "9",
            "--targets",
            "--json",
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert [m["month"] for m in summary["months"]] == MONTHS
    assert summary["persons"] == 300 and summary["targets_file"] == "2026年1月_年度转移就业任务.xlsx"
    assert all((tmp_path / f).is_file() for f in summary["files"])
    r = runner.invoke(
        sample_cmd.app, ["-o", str(tmp_path / "t"), "-n", "200", "--months", "2026-11", "-f", "csv"]
    )
    assert r.exit_code == 0, r.output
    assert "2026-11" in r.stdout and list((tmp_path / "t" / "2026-11").glob("*.csv"))
