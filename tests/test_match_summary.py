"""The Friday supply-demand session (逢五供需对接, `laborcli match summary`): per township the
open jobs, the candidates proposed and the placements of the week, counted by hand on the
village of tests/jobs_sheets.py and one person of a second township, on both back ends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from laborcli.errors import UsageError
from laborcli.jobs.workbook import record_answers
from laborcli.registry.engine import open_registry
from tests.conftest import Cli
from tests.jobs_sheets import WELD, demand_rows, villager, write_demand, write_village
from tests.sheets import write_xlsx
from tests.test_jobs import _answer

D = "2026-11-30"


def _setup(cli: Cli, tmp_path: Path) -> Path:
    """甲镇/一村 of the matching tests, and 乙镇/二村 with 子 (县内务工, 砌筑工, alone: a
    zero-employment household): J2 砌筑工 scores 子 3 + 1 + 2 = 6, ahead of 庚 5 and 己 2.
    The demands of the matching tests but J4 (not yet open on 2026-11-30, open on 12-04).
    Returns the 送岗到户 list exported as of 2026-11-30."""
    one, two = tmp_path / "v1", tmp_path / "v2"
    one.mkdir()
    two.mkdir()
    zi = villager("子", dt.date(1996, 7, 7), "H101", seq=11, intention="县内务工", skills="砌筑工")
    zi.update({"乡镇(街道)": "乙镇", "村(社区)": "二村"})
    for f in (write_village(one), write_xlsx(two / "乙镇_二村_2026-11.xlsx", [zi])):
        r = cli("import", str(f))
        assert r.exit_code == 0, r.output
    jobs = [r for r in demand_rows() if r["岗位名称"] != "行李搬运工"]
    cli.json("demand", "import", str(write_demand(tmp_path / "需求.xlsx", jobs)))
    book = tmp_path / "送岗.xlsx"
    r = cli("match", "--as-of", D, "--export", str(book))
    assert r.exit_code == 0, r.output
    return book


def _record(cli: Cli, book: Path, marks: dict[tuple[str, str], str], on: dt.datetime) -> None:
    """Record answers as the office would on the day ``on``."""
    reg = open_registry(cli.db)
    try:
        done = record_answers(reg, _answer(book, marks), now=lambda: on)
    finally:
        reg.close()
    assert done.recorded == len(marks) and not done.problems


def _rows(data: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    return {**{r["township"]: r for r in data["rows"]}, None: data["total"]}


def _counts(row: dict[str, Any], *keys: str) -> tuple[int, ...]:
    return tuple(row[k] for k in keys)


OPEN = ("open_demands", "openings", "unfilled", "candidates", "proposals")
PLACED = ("placements", "placed_answered", "placed_from_sheet", "willing", "refused")


def test_the_week_seen_on_its_friday_with_the_answers_recorded_in_it(cli: Cli, tmp_path: Path) -> None:
    book = _setup(cli, tmp_path)
    # Wednesday of W49: 癸 placed in J1 焊工, 甲 refuses J5 电焊工, 庚 willing for J2 砌筑工.
    _record(
        cli,
        book,
        {("癸", "焊工"): "已上岗", ("甲", "电焊工"): "不愿意", ("庚", "砌筑工"): "愿意"},
        dt.datetime(2026, 12, 2, 16, 30),
    )
    # Wednesday of W50: 子 placed in J2.
    _record(cli, book, {("子", "砌筑工"): "已上岗"}, dt.datetime(2026, 12, 9, 9, 0))

    w49 = cli.json("match", "summary", "--week", "2026-W49")
    assert (w49["week"], w49["as_of"], w49["from"]) == ("2026-W49", "2026-12-04", "2026-11-28")
    rows = _rows(w49)
    assert list(rows) == ["乙镇", "甲镇", None]
    # On Friday 12-04 J1 is filled (癸); 子's answer is not recorded yet, so J2 is open.
    # J5: 丙 4, then the 3-point ties 乙 (H002), 戊 (H004) (甲 refused, 癸 placed); J2: 子 6,
    # 庚 5, 己 2. 甲镇: J2 and J5, 5 persons on 5 proposals; 乙镇: J2, 子.
    assert _counts(rows["甲镇"], *OPEN) == (2, 2, 2, 5, 5)
    assert _counts(rows["乙镇"], *OPEN) == (1, 1, 1, 1, 1)
    assert _counts(rows[None], *OPEN) == (2, 2, 2, 6, 6)
    assert _counts(rows["甲镇"], *PLACED) == (1, 1, 0, 1, 1)
    assert _counts(rows["乙镇"], *PLACED) == (0, 0, 0, 0, 0)
    assert _counts(rows[None], *PLACED) == (1, 1, 0, 1, 1)
    assert [(p["name"], p["job"], p["how"]) for p in w49["placed"]] == [("癸", "焊工", "answer")]
    jobs = {j["job"]: j for j in w49["jobs"]}
    assert set(jobs) == {"砌筑工", "电焊工"}
    assert (jobs["砌筑工"]["candidates"], jobs["砌筑工"]["townships"]) == (3, ["乙镇", "甲镇"])

    # W50: 子's placement; 癸's was last week's and is not counted again. Only J5 is open.
    rows = _rows(cli.json("match", "summary", "--week", "2026-W50"))
    assert _counts(rows["甲镇"], *OPEN) == (1, 1, 1, 3, 3)
    assert _counts(rows["乙镇"], *OPEN) == (0, 0, 0, 0, 0)
    assert _counts(rows["乙镇"], *PLACED) == (1, 1, 0, 0, 0)
    assert _counts(rows[None], *PLACED) == (1, 1, 0, 0, 0)
    assert _counts(rows[None], *OPEN) == (1, 1, 1, 3, 3)


def test_a_placement_found_in_a_sheet_counts_in_the_week_of_that_sheet_once(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    later = tmp_path / "v3"
    later.mkdir()
    # A sheet of Thursday 12-03 (W49): 丙, proposed for J5 on the list of 11-30, works for it.
    f = write_village(later, "2026-12", c_employer=f"{WELD}宁海分厂", c_status="县外务工")
    r = cli("import", str(f), "--as-of", "2026-12-03")
    assert r.exit_code == 0, r.output
    w49 = cli.json("match", "summary", "--week", "2026-W49")
    assert [(p["name"], p["job"], p["how"]) for p in w49["placed"]] == [("丙", "电焊工", "sheet")]
    assert _counts(_rows(w49)["甲镇"], *PLACED) == (1, 0, 1, 0, 0)
    # J5 is filled; J1 (丙 transferred now: 甲 7, 癸 6, then 己 at 1 + 2 = 3 with the
    # education unknown) and J2 stay open.
    assert {j["job"] for j in w49["jobs"]} == {"焊工", "砌筑工"}
    w50 = cli.json("match", "summary", "--week", "2026-W50")
    assert w50["placed"] == [] and w50["total"]["placements"] == 0


def test_before_any_sheet_the_county_total_still_lists_the_open_jobs(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    # Friday 11-27: no village sheet is current yet (they are of 11-30); J1, J2, J3 (until
    # 11-29) and J5 are open, 1 opening each, and nobody is proposed.
    data = cli.json("match", "summary", "--week", "2026-W48")
    assert data["rows"] == []
    assert _counts(data["total"], *OPEN) == (4, 4, 4, 0, 0)


def test_default_week_is_the_one_of_the_reference_date_and_csv_and_table(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    # The latest sheet is of 2026-11-30, a Monday of W49.
    assert cli.json("match", "summary")["week"] == "2026-W49"
    assert cli.json("match", "summary", "--as-of", "2026-11-20")["week"] == "2026-W47"
    r = cli("match", "summary", "--week", "2026-W49", "--format", "csv")
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("week,township,open_demands,openings,unfilled,candidates")
    assert lines[-1].startswith("2026-W49,合计,3,3,3,6,9")
    r = cli("match", "summary", "--week", "2026-W49")
    assert r.exit_code == 0 and "供需对接" in r.stdout and "合计" in r.stdout
    with pytest.raises(UsageError, match="没有第 60 周"):
        cli("match", "summary", "--week", "2026-W60")


def test_the_rank_handout_carries_the_session_sheet(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    out = tmp_path / "红黑榜.xlsx"
    r = cli("rank", "--week", "2026-W49", "--export", str(out))
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert "供需对接" in wb.sheetnames
    ws = wb["供需对接"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    head = next(i for i, r in enumerate(cells) if r[0] == "乡镇")
    assert cells[head + 1][:6] == ["乙镇", 1, 1, 1, 1, 1]
    assert cells[head + 2][:6] == ["甲镇", 3, 3, 3, 5, 8]
    assert cells[head + 3][:6] == ["合计", 3, 3, 3, 6, 9]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows


def test_a_handout_without_demands_has_no_session_sheet(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "v"
    folder.mkdir()
    cli("import", str(write_village(folder)))
    out = tmp_path / "红黑榜.xlsx"
    r = cli("rank", "--week", "2026-W49", "--export", str(out))
    assert r.exit_code == 0, r.output
    assert "供需对接" not in load_workbook(out).sheetnames
