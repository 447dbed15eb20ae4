"""The officer's month: which villages' sheets came (submissions), figures standing on an old
sheet (stale), reports dated by the data rather than the clock, targets whole or nothing.

docs/json.md#submissions, #rates (sheet_as_of, stale), #targets-import.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import Cli
from tests.sheets import person, write_xlsx
from tests.test_ranking import _people, _targets

VILLAGES = [("甲镇", "一村"), ("甲镇", "二村"), ("乙镇", "三村")]


def _sheet(folder: Path, township: str, village: str, month: str, new: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_xlsx(
        folder / f"{township}_{village}_{month}.xlsx", _people(township, village, new=new, idle=2)
    )


def _october_all_november_two(cli: Cli, tmp_path: Path) -> list[Path]:
    """Every village sends October; 乙镇三村 sends nothing for November."""
    octo = [_sheet(tmp_path / "10", t, v, "2026-10") for t, v in VILLAGES]
    assert cli("import", *map(str, octo)).exit_code == 0
    nov = [_sheet(tmp_path / "11", t, v, "2026-11", new=3) for t, v in VILLAGES[:2]]
    return nov


def test_import_ends_naming_the_villages_with_no_sheet_for_the_month(cli: Cli, tmp_path: Path) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    r = cli("import", str(nov[0].parent))
    assert r.exit_code == 0, r.output
    assert "2026-11 未报送 1 个村(社区): 乙镇三村 (最近 2026-10-31)" in r.stdout
    # Beside JSON the line goes to stderr: stdout stays one JSON document.
    again = cli("import", str(nov[0].parent), "--format", "json")
    assert "未报送" in again.stderr and "未报送" not in again.stdout


def test_submissions_lists_each_village_with_its_sheet_or_its_latest_one(cli: Cli, tmp_path: Path) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    assert cli("import", *map(str, nov)).exit_code == 0
    r = cli("submissions", "--month", "2026-11", "--format", "json")
    assert r.exit_code == 1  # a village is missing: a script can chase it
    res = json.loads(r.stdout)
    assert (res["month"], res["as_of"], res["missing"]) == ("2026-11", "2026-11-30", 1)
    got = {(row["township"], row["village"]): row for row in res["rows"]}
    assert [k for k in got] == [("乙镇", "三村"), ("甲镇", "一村"), ("甲镇", "二村")]  # code-point order
    three = got[("乙镇", "三村")]
    assert (three["arrived"], three["source"], three["rows"], three["latest_sheet_as_of"]) == (
        False,
        None,
        None,
        "2026-10-31",
    )
    one = got[("甲镇", "一村")]
    assert one["arrived"] and one["source"] == "甲镇_一村_2026-11.xlsx"
    assert (one["rows"], one["rows_rejected"], one["latest_sheet_as_of"]) == (5, 0, "2026-11-30")
    assert one["imported_at"] is not None
    # October: everyone sent; without --month, the month of the latest sheet (November).
    assert cli.json("submissions", "--month", "2026-10")["missing"] == 0
    plain = cli("submissions")
    assert "乙镇三村" in plain.stdout and "2026-11-30" in plain.stderr


def test_a_village_with_only_a_target_is_expected_and_never_sent(cli: Cli, tmp_path: Path) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    assert cli("import", *map(str, nov)).exit_code == 0
    f = _targets(tmp_path / "t.xlsx", [("甲镇", "一村", 5), ("丙镇", "新村", 3)])
    assert cli("targets", "import", str(f), "--year", "2026", "--new-villages").exit_code == 0
    res = cli.json("submissions", "--month", "2026-11")
    new = [r for r in res["rows"] if r["village"] == "新村"]
    assert new and new[0]["arrived"] is False and new[0]["latest_sheet_as_of"] is None
    assert res["missing"] == 2


def test_rates_and_rank_mark_a_village_still_on_its_october_sheet_stale(cli: Cli, tmp_path: Path) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    assert cli("import", *map(str, nov)).exit_code == 0
    rates = cli.json("rates", "--as-of", "2026-11-30")
    marks = {r["village"]: (r["sheet_as_of"], r["stale"]) for r in rates["rows"]}
    assert marks == {
        "一村": ("2026-11-30", False),
        "二村": ("2026-11-30", False),
        "三村": ("2026-10-31", True),
    }
    assert "stale" not in rates["total"]
    # Mid-November, October's sheet is the one due: nobody is stale.
    mid = cli.json("rates", "--as-of", "2026-11-20")
    assert not any(r["stale"] for r in mid["rows"])
    # Friday 2026-12-04 (W49): November's sheets are due; 三村 is ranked on October's.
    rank = cli.json("rank", "--week", "2026-W49")
    assert {r["village"]: (r["sheet_as_of"], r["stale"]) for r in rank["rows"]} == marks
    table = cli("rank", "--week", "2026-W49")
    assert "尚无 2026-11 的报表, 仍按旧表计算: 乙镇三村" in table.stdout
    assert "数据未更新" in cli("rates", "--as-of", "2026-11-30", "--township", "乙镇").stdout
    towns = cli.json("rank", "--week", "2026-W49", "--by", "township")
    assert {r["township"]: r["stale"] for r in towns["rows"]} == {"甲镇": False, "乙镇": True}


def test_households_mark_the_households_of_a_stale_village(cli: Cli, tmp_path: Path) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    assert cli("import", *map(str, nov)).exit_code == 0
    res = cli.json("households", "--as-of", "2026-11-30")
    assert {(h["village"], h["stale"]) for h in res["rows"]} == {
        ("一村", False),
        ("二村", False),
        ("三村", True),
    }


def test_without_as_of_reports_use_the_month_end_of_the_latest_sheet_not_today(
    cli: Cli, tmp_path: Path
) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    assert cli("import", *map(str, nov)).exit_code == 0
    for args in (("rates",), ("households",), ("dedup",)):
        r = cli(*args, "--format", "json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["as_of"] == "2026-11-30", args
        assert "2026-11-30" in r.stderr  # said on stderr
    quiet = cli("--quiet", "rates", "--format", "json")
    assert quiet.stderr == ""
    out = tmp_path / "报表.xlsx"
    r = cli("export", "report", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = " ".join(
        str(c.value) for row in load_workbook(out).worksheets[0].iter_rows() for c in row if c.value
    )
    assert "2026-11-30" in text and "2026-12" not in text


def test_an_empty_registry_defaults_to_today(cli: Cli) -> None:
    res = cli.json("rates")
    assert res["as_of"] == dt.date.today().isoformat() and res["rows"] == []


# --- targets: whole or nothing -----------------------------------------------------------


def _two_known(cli: Cli, tmp_path: Path) -> None:
    files = [_sheet(tmp_path / "s", t, v, "2026-11") for t, v in VILLAGES[:2]]
    assert cli("import", *map(str, files)).exit_code == 0


def _stored(cli: Cli) -> dict[str, int | None]:
    return {r["village"]: r["target"] for r in cli.json("rank", "--week", "2026-W49")["rows"]}


def test_a_targets_file_naming_an_unknown_village_changes_nothing_and_lists_every_problem(
    cli: Cli, tmp_path: Path
) -> None:
    _two_known(cli, tmp_path)
    good = _targets(tmp_path / "good.xlsx", [("甲镇", "一村", 10), ("甲镇", "二村", 20)])
    assert cli("targets", "import", str(good), "--year", "2026").exit_code == 0
    bad = _targets(
        tmp_path / "bad.xlsx", [("甲镇", "一村", 11), ("甲镇", "二邨", 21), ("甲镇", "九村", 5)]
    )  # a misspelt village and a village never seen
    r = cli("targets", "import", str(bad), "--year", "2026", "--format", "json")
    assert r.exit_code == 1
    rep = json.loads(r.stdout)
    assert (rep["status"], rep["imported"]) == ("rejected", 0)
    assert [(p["row"], p["code"]) for p in rep["problems"]] == [
        (3, "target-village-unknown"),
        (4, "target-village-unknown"),
    ]
    assert _stored(cli) == {"一村": 10, "二村": 20}  # the year's targets as they were
    table = cli("targets", "import", str(bad), "--year", "2026")
    assert table.exit_code == 1 and "未导入" in table.stdout


def test_targets_before_any_sheet_load_with_new_villages(cli: Cli, tmp_path: Path) -> None:
    f = _targets(tmp_path / "t.xlsx", [("甲镇", "一村", 10), ("甲镇", "二村", 20)])
    assert cli("targets", "import", str(f), "--year", "2026").exit_code == 1
    r = cli("targets", "import", str(f), "--year", "2026", "--new-villages", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["imported"] == 2
    _two_known(cli, tmp_path)
    assert _stored(cli) == {"一村": 10, "二村": 20}


def test_a_row_in_error_needs_a_township_even_with_new_villages(cli: Cli, tmp_path: Path) -> None:
    f = _targets(tmp_path / "t.xlsx", [("甲镇", "一村", 10), ("", "二村", 20)])
    rep = cli.json("targets", "import", str(f), "--year", "2026", "--new-villages")
    assert rep["status"] == "rejected" and [p["row"] for p in rep["problems"]] == [3]


def test_stale_marks_follow_an_update_sheet_too(cli: Cli, tmp_path: Path) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    assert cli("import", *map(str, nov)).exit_code == 0
    upd = write_xlsx(
        tmp_path / "乙镇_三村_补报.xlsx",
        [person("补报人", dt.date(1990, 5, 5), township="乙镇", village="三村", seq=77)],
    )
    r = cli("import", str(upd), "--mode", "update", "--as-of", "2026-11-30")
    assert r.exit_code == 0, r.output
    marks = {r["village"]: r["stale"] for r in cli.json("rates", "--as-of", "2026-11-30")["rows"]}
    assert marks["三村"] is False


def test_the_zero_employment_workbook_marks_the_households_of_a_stale_village(
    cli: Cli, tmp_path: Path
) -> None:
    nov = _october_all_november_two(cli, tmp_path)
    assert cli("import", *map(str, nov)).exit_code == 0
    out = tmp_path / "零就业.xlsx"
    r = cli("households", "--as-of", "2026-11-30", "--export", str(out))
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    marks = {
        (ws.title, row[0]): row[-1]
        for ws in wb.worksheets
        for row in ws.iter_rows(min_row=3, values_only=True)
        if row and row[0] in ("一村", "三村")
    }
    assert marks[("乙镇", "三村")] == "数据未更新 (花名册 2026-10-31)"
    assert marks[("甲镇", "一村")] in (None, "")
    legend = [c.value for c in wb["乙镇"]["A"] if c.value and str(c.value).startswith("备注")]
    assert legend and "2026-11-30" in legend[0]
