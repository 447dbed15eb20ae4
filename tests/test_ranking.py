"""The Friday ranking (周排名, 红黑榜) and the annual targets it is measured against.

docs/rules.md#new-transfers and #the-ranking; docs/json.md#rank and #targets-import.
2026-W48 runs 2026-11-23..2026-11-29, so its reference date (Friday) is 2026-11-27; the
sheets below are imported with an explicit --as-of before that Friday.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from laborcli.cli.app import main
from tests.conftest import Cli
from tests.sheets import person, write_xlsx

NEW = dt.date(2026, 3, 1)  # a 2026 job start: a new transfer of 2026
OLD = dt.date(2020, 3, 1)  # transferred long ago: not new in 2026
_seq = {"n": 0}


def _people(
    township: str, village: str, new: int = 0, old: int = 0, idle: int = 0
) -> list[dict[str, object]]:
    """`new` new transfers of 2026, `old` earlier transfers, `idle` farmers; all of working age."""
    rows: list[dict[str, object]] = []
    kinds = [("县外务工", NEW)] * new + [("县内务工", OLD)] * old + [("务农", "")] * idle
    for status, start in kinds:
        _seq["n"] += 1
        i = _seq["n"]
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=i)  # distinct birth -> distinct ID
        rows.append(
            person(
                f"村民{i}",
                birth,
                seq=i,
                status=status,
                job_start=start,
                township=township,
                village=village,
                household=f"{village}-H{i:04d}",
            )
        )
    return rows


def _load(
    cli: Cli, folder: Path, villages: dict[tuple[str, str], list[dict[str, object]]], as_of: str
) -> None:
    """One complete sheet per village, imported together as of `as_of`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [str(write_xlsx(folder / f"{t}_{v}_{as_of[:7]}.xlsx", rows)) for (t, v), rows in villages.items()]
    r = cli("import", *paths, "--as-of", as_of, "--format", "json")
    assert r.exit_code == 0, r.output


def _targets(
    path: Path,
    rows: Sequence[Sequence[object]],
    headers: Sequence[str] = ("乡镇", "村(社区)", "年度任务数"),
    title_rows: Sequence[Sequence[object]] = (),
) -> Path:
    """A targets workbook: optional title rows, a header row, then one row per village."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for t in title_rows:
        ws.append(list(t))
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def _set_targets(cli: Cli, tmp_path: Path, rows: Sequence[Sequence[object]], year: int = 2026) -> Any:
    _seq["n"] += 1
    r = cli(
        "targets", "import", str(_targets(tmp_path / f"targets{_seq['n']}.xlsx", rows)), "--year", str(year)
    )
    assert r.exit_code == 0, r.output
    return r


def _three_villages(cli: Cli, tmp_path: Path) -> None:
    """W47: 一村 0.3, 二村 0.1; W48: 二村 0.4 (↑1), 一村 0.3 (↓1), 三村 0.2 (new)."""
    _load(
        cli,
        tmp_path / "a",
        {("甲镇", "一村"): _people("甲镇", "一村", new=3), ("甲镇", "二村"): _people("甲镇", "二村", new=1)},
        "2026-11-16",
    )
    _load(
        cli,
        tmp_path / "b",
        {("甲镇", "二村"): _people("甲镇", "二村", new=4), ("甲镇", "三村"): _people("甲镇", "三村", new=2)},
        "2026-11-23",
    )
    _set_targets(cli, tmp_path, [("甲镇", "一村", 10), ("甲镇", "二村", 10), ("甲镇", "三村", 10)])


def _rank(cli: Cli, *args: str) -> Any:
    r = cli("rank", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _order(res: Any) -> list[tuple[int, str | None, float, str | None]]:
    return [(row["rank"], row["village"], round(row["value"], 6), row["list"]) for row in res["rows"]]


# --- targets import ---------------------------------------------------------------------------


def test_targets_import_loads_every_known_village(cli: Cli, tmp_path: Path) -> None:
    _load(
        cli,
        tmp_path / "s",
        {("甲镇", "一村"): _people("甲镇", "一村", 1), ("甲镇", "二村"): _people("甲镇", "二村", 1)},
        "2026-11-20",
    )
    f = _targets(tmp_path / "t.xlsx", [("甲镇", "一村", 10), ("甲镇", "二村", 20)])
    r = cli("targets", "import", str(f), "--year", "2026", "--format", "json")
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert (rep["year"], rep["rows_read"], rep["imported"], rep["problems"]) == (2026, 2, 2, [])
    res = _rank(cli, "--week", "2026-W48")
    assert {row["village"]: row["target"] for row in res["rows"]} == {"一村": 10, "二村": 20}


def test_targets_headers_may_use_aliases_under_a_title_and_totals_are_skipped(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    cli = cli_sqlite
    _load(
        cli,
        tmp_path / "s",
        {("甲镇", "一村"): _people("甲镇", "一村", 1), ("甲镇", "二村"): _people("甲镇", "二村", 1)},
        "2026-11-20",
    )
    f = _targets(
        tmp_path / "t.xlsx",
        [("甲镇", "一村", 10), ("甲镇", "二村", 20), ("合计", "", 30)],
        headers=("乡(镇)", "行政村", "年度转移就业任务数"),
        title_rows=[("2026年转移就业任务分解表",)],
    )
    rep = cli.json("targets", "import", str(f), "--year", "2026")
    assert (rep["rows_read"], rep["imported"], rep["problems"]) == (2, 2, [])


def test_targets_unknown_village_and_non_numeric_target_are_errors_with_row_numbers(
    cli: Cli, tmp_path: Path
) -> None:
    _load(
        cli,
        tmp_path / "s",
        {("甲镇", "一村"): _people("甲镇", "一村", 1), ("甲镇", "二村"): _people("甲镇", "二村", 1)},
        "2026-11-20",
    )
    # row 1 header; row 2 fine; row 3 a village with no sheet; row 4 a target in words
    f = _targets(tmp_path / "t.xlsx", [("甲镇", "一村", 10), ("甲镇", "九村", 5), ("甲镇", "二村", "很多")])
    r = cli("targets", "import", str(f), "--year", "2026", "--format", "json")
    assert r.exit_code == 1, r.output
    rep = json.loads(r.stdout)
    got = [(p["row"], p["severity"], p["code"], p["value"]) for p in rep["problems"]]
    assert got == [
        (3, "error", "target-village-unknown", "甲镇九村"),
        (4, "error", "target-invalid", "很多"),
    ]


def test_targets_import_needs_a_year(cli_sqlite: Cli, tmp_path: Path) -> None:
    f = _targets(tmp_path / "t.xlsx", [("甲镇", "一村", 10)])
    assert cli_sqlite("targets", "import", str(f)).exit_code == 2


def test_targets_reimport_replaces_that_years_targets_only(cli: Cli, tmp_path: Path) -> None:
    _load(
        cli,
        tmp_path / "s",
        {("甲镇", "一村"): _people("甲镇", "一村", 1), ("甲镇", "二村"): _people("甲镇", "二村", 1)},
        "2026-11-20",
    )
    _set_targets(cli, tmp_path, [("甲镇", "一村", 100), ("甲镇", "二村", 100)], year=2027)
    _set_targets(cli, tmp_path, [("甲镇", "一村", 10), ("甲镇", "二村", 10)])
    _set_targets(cli, tmp_path, [("甲镇", "一村", 5)])  # the 2026 list again, now 一村 only
    res = _rank(cli, "--week", "2026-W48")
    assert [(row["village"], row["target"]) for row in res["rows"]] == [("一村", 5)]
    assert [(u["village"], u["reason"]) for u in res["unranked"]] == [("二村", "no target")]
    later = _rank(cli, "--week", "2027-W01")  # 2027's targets untouched
    assert sorted((row["village"], row["target"]) for row in later["rows"]) == [("一村", 100), ("二村", 100)]


# --- rank: order, ties, lists -------------------------------------------------------------


def test_rank_orders_villages_by_completion_highest_first(cli: Cli, tmp_path: Path) -> None:
    _load(
        cli,
        tmp_path / "s",
        {
            ("甲镇", "一村"): _people("甲镇", "一村", new=3, old=2),
            ("甲镇", "二村"): _people("甲镇", "二村", new=1, idle=1),
            ("甲镇", "三村"): _people("甲镇", "三村", new=0, old=2),
        },
        "2026-11-20",
    )
    _set_targets(cli, tmp_path, [("甲镇", "一村", 10), ("甲镇", "二村", 2), ("甲镇", "三村", 5)])
    res = _rank(cli, "--week", "2026-W48")
    assert (res["week"], res["as_of"], res["metric"]) == ("2026-W48", "2026-11-27", "completion")
    # 二村 1/2 = 0.5; 一村 3/10 = 0.3 (old transfers do not count); 三村 0/5 = 0.0
    # n = 3 -> k = min(10, 3 // 2) = 1: one red, one black, the middle one on neither list
    assert _order(res) == [(1, "二村", 0.5, "red"), (2, "一村", 0.3, None), (3, "三村", 0.0, "black")]
    assert [(row["new_transfers"], row["target"]) for row in res["rows"]] == [(1, 2), (3, 10), (0, 5)]
    assert res["unranked"] == []


def test_rank_ties_go_to_more_new_transfers_then_village_name(cli: Cli, tmp_path: Path) -> None:
    _load(
        cli,
        tmp_path / "s",
        {
            ("甲镇", "一村"): _people("甲镇", "一村", new=1),
            ("甲镇", "二村"): _people("甲镇", "二村", new=2),
            ("甲镇", "四村"): _people("甲镇", "四村", new=1),
            ("乙镇", "三村"): _people("乙镇", "三村", new=1),
            ("乙镇", "五村"): _people("乙镇", "五村", new=0, old=1),
        },
        "2026-11-20",
    )
    _set_targets(
        cli,
        tmp_path,
        [
            ("甲镇", "一村", 2),
            ("甲镇", "二村", 4),
            ("甲镇", "四村", 4),
            ("乙镇", "三村", 4),
            ("乙镇", "五村", 3),
        ],
    )
    res = _rank(cli, "--week", "2026-W48", "--top", "10")
    # 二村 2/4 = 0.5 and 一村 1/2 = 0.5 tie: 二村 first, more new transfers (2 > 1), though 一 < 二 by name.
    # 乙镇三村 1/4 and 甲镇四村 1/4 tie on value and new transfers: 三村 first by village name
    # (三 U+4E09 < 四 U+56DB; also first by pinyin), though 甲镇 < 乙镇. 五村 0/3 = 0 last.
    # n = 5, --top 10 -> k = min(10, 5 // 2) = 2
    assert _order(res) == [
        (1, "二村", 0.5, "red"),
        (2, "一村", 0.5, "red"),
        (3, "三村", 0.25, None),
        (4, "四村", 0.25, "black"),
        (5, "五村", 0.0, "black"),
    ]
    small = _rank(cli, "--week", "2026-W48", "--top", "1")  # k = min(1, 2) = 1
    assert [row["list"] for row in small["rows"]] == ["red", None, None, None, "black"]


def test_villages_without_a_target_are_left_out_and_listed(cli: Cli, tmp_path: Path) -> None:
    _load(
        cli,
        tmp_path / "s",
        {
            ("甲镇", "一村"): _people("甲镇", "一村", new=1),
            ("甲镇", "二村"): _people("甲镇", "二村", new=3),
            ("甲镇", "三村"): _people("甲镇", "三村", new=5),
        },
        "2026-11-20",
    )
    _set_targets(cli, tmp_path, [("甲镇", "一村", 4), ("甲镇", "二村", 4)])
    res = _rank(cli, "--week", "2026-W48")
    # 二村 3/4 = 0.75, 一村 1/4 = 0.25; n = 2 -> k = 1
    assert _order(res) == [(1, "二村", 0.75, "red"), (2, "一村", 0.25, "black")]
    assert [(u["township"], u["village"]) for u in res["unranked"]] == [("甲镇", "三村")]
    assert res["unranked"][0]["reason"]


def test_without_targets_villages_are_ranked_by_transfer_rate(cli: Cli, tmp_path: Path) -> None:
    _load(
        cli,
        tmp_path / "s",
        {
            ("甲镇", "一村"): _people("甲镇", "一村", new=1, old=1, idle=2),
            ("甲镇", "二村"): _people("甲镇", "二村", new=0, old=3, idle=1),
            ("甲镇", "三村"): _people("甲镇", "三村", idle=2),
        },
        "2026-11-20",
    )
    res = _rank(cli, "--week", "2026-W48")
    # transfer rate = transferred / labour force: 二村 3/4, 一村 2/4, 三村 0/2
    assert res["metric"] == "transfer_rate"
    assert _order(res) == [(1, "二村", 0.75, "red"), (2, "一村", 0.5, None), (3, "三村", 0.0, "black")]
    assert res["unranked"] == []
    # with targets loaded for 一村 only, --metric transfer_rate still ranks every village by rate
    _set_targets(cli, tmp_path, [("甲镇", "一村", 1)])
    assert _rank(cli, "--week", "2026-W48")["metric"] == "completion"
    forced = _rank(cli, "--week", "2026-W48", "--metric", "transfer_rate")
    assert forced["metric"] == "transfer_rate"
    assert _order(forced) == _order(res)


def test_rank_by_township_sums_new_transfers_and_targets(cli: Cli, tmp_path: Path) -> None:
    _load(
        cli,
        tmp_path / "s",
        {
            ("甲镇", "一村"): _people("甲镇", "一村", new=3),
            ("甲镇", "二村"): _people("甲镇", "二村", new=1),
            ("乙镇", "三村"): _people("乙镇", "三村", new=3),
        },
        "2026-11-20",
    )
    _set_targets(cli, tmp_path, [("甲镇", "一村", 10), ("甲镇", "二村", 10), ("乙镇", "三村", 5)])
    res = _rank(cli, "--week", "2026-W48", "--by", "township")
    # 乙镇 3/5 = 0.6; 甲镇 (3 + 1)/(10 + 10) = 0.2
    got = [
        (r["rank"], r["township"], r["village"], r["value"], r["new_transfers"], r["target"])
        for r in res["rows"]
    ]
    assert got == [(1, "乙镇", None, 0.6, 3, 5), (2, "甲镇", None, 0.2, 4, 20)]
    assert [r["list"] for r in res["rows"]] == ["red", "black"]


def test_a_township_counts_only_the_new_transfers_of_its_villages_with_a_target(
    cli: Cli, tmp_path: Path
) -> None:
    _load(
        cli,
        tmp_path / "s",
        {
            ("甲镇", "一村"): _people("甲镇", "一村", new=3),
            ("甲镇", "二村"): _people("甲镇", "二村", new=5),  # no target: adds to neither side
            ("乙镇", "三村"): _people("乙镇", "三村", new=3),
        },
        "2026-11-20",
    )
    _set_targets(cli, tmp_path, [("甲镇", "一村", 10), ("乙镇", "三村", 5)])
    res = _rank(cli, "--week", "2026-W48", "--by", "township")
    # 乙镇 3/5 = 0.6; 甲镇 3/10 = 0.3 (二村's 5 would have made it 0.8 against a target of 10)
    got = [(r["township"], r["value"], r["new_transfers"], r["target"]) for r in res["rows"]]
    assert got == [("乙镇", 0.6, 3, 5), ("甲镇", 0.3, 3, 10)]


# --- rank: the week before, and the week's year -------------------------------------------


def test_rank_shows_each_villages_rank_in_the_week_before(cli: Cli, tmp_path: Path) -> None:
    # W47's Friday is 2026-11-20, W48's is 2026-11-27; sheets as of 2026-11-16 and 2026-11-23.
    _three_villages(cli, tmp_path)
    w47 = _rank(cli, "--week", "2026-W47")
    # W47: 一村 3/10 = 0.3, 二村 1/10 = 0.1; 三村 had no sheet yet
    assert _order(w47) == [(1, "一村", 0.3, "red"), (2, "二村", 0.1, "black")]
    w48 = _rank(cli, "--week", "2026-W48")
    # W48: 二村 4/10 = 0.4 (was 2nd), 一村 0.3 (was 1st), 三村 2/10 = 0.2 (new: no previous rank)
    got = [(r["rank"], r["village"], r["value"], r["previous_rank"]) for r in w48["rows"]]
    assert got == [(1, "二村", 0.4, 2), (2, "一村", 0.3, 1), (3, "三村", 0.2, None)]


def test_week_53_friday_is_in_the_next_year_but_counts_against_the_weeks_iso_year(
    cli: Cli, tmp_path: Path
) -> None:
    # 2026-W53 runs 2026-12-28..2027-01-03, Friday 2027-01-01; 2027-W01 runs 2027-01-04..01-10, Friday 01-08.
    # 一村 in December: two jobs begun 2026-03-01, one in 2020, one on 2025-12-31 (not new in 2026)
    dec = [
        *_people("甲镇", "一村", new=2, old=1),
        {**_people("甲镇", "一村", new=1)[0], "务工开始时间": dt.date(2025, 12, 31)},
    ]
    _load(
        cli,
        tmp_path / "a",
        {("甲镇", "一村"): dec, ("甲镇", "二村"): _people("甲镇", "二村", new=1)},
        "2026-12-20",
    )
    jan = [*dec, {**_people("甲镇", "一村", new=1)[0], "务工开始时间": dt.date(2027, 1, 5)}]
    _load(cli, tmp_path / "b", {("甲镇", "一村"): jan}, "2027-01-06")
    _set_targets(cli, tmp_path, [("甲镇", "一村", 4), ("甲镇", "二村", 4)], year=2026)
    _set_targets(cli, tmp_path, [("甲镇", "一村", 100), ("甲镇", "二村", 50)], year=2027)
    w53 = _rank(cli, "--week", "2026-W53")
    assert (w53["week"], w53["as_of"]) == ("2026-W53", "2027-01-01")
    # 2026 targets, new transfers from 2026-01-01: 一村 2/4 = 0.5, 二村 1/4 = 0.25
    got = [(r["village"], r["value"], r["new_transfers"], r["target"]) for r in w53["rows"]]
    assert got == [("一村", 0.5, 2, 4), ("二村", 0.25, 1, 4)]
    w01 = _rank(cli, "--week", "2027-W01")
    assert (w01["week"], w01["as_of"]) == ("2027-W01", "2027-01-08")
    # 2027 targets, new transfers from 2027-01-01: 一村 1/100 = 0.01 (job began 2027-01-05), 二村 0/50
    got01 = [
        (r["village"], r["value"], r["new_transfers"], r["target"], r["previous_rank"]) for r in w01["rows"]
    ]
    assert got01 == [("一村", 0.01, 1, 100, 1), ("二村", 0.0, 0, 50, 2)]


def test_week_last_is_the_iso_week_seven_days_ago(cli_sqlite: Cli) -> None:
    y, w, _ = (dt.date.today() - dt.timedelta(days=7)).isocalendar()
    res = _rank(cli_sqlite, "--week", "last")
    assert res["week"] == f"{y}-W{w:02d}"
    assert res["as_of"] == dt.date.fromisocalendar(y, w, 5).isoformat()


def test_a_week_that_does_not_exist_is_a_usage_error(cli_sqlite: Cli) -> None:
    # 2027 has 52 ISO weeks (1 January 2027 is a Friday, 2027 is not a leap year)
    assert main(["--db", cli_sqlite.db, "rank", "--week", "2027-W53"]) == 2


def test_rank_table_shows_the_change_since_the_week_before(cli_sqlite: Cli, tmp_path: Path) -> None:
    _three_villages(cli_sqlite, tmp_path)
    r = cli_sqlite("rank", "--week", "2026-W48")
    assert r.exit_code == 0, r.output
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in r.stdout.splitlines() if "甲镇" in line]
    # 名次, 变化 (previous rank - rank: 2 - 1 = ↑1, 1 - 2 = ↓1, none before = 新), 村, 榜单
    assert [(c[0], c[1], c[3], c[7]) for c in cells] == [
        ("1", "↑1", "二村", "红榜"),
        ("2", "↓1", "一村", ""),
        ("3", "新", "三村", "黑榜"),
    ]


def test_cron_export_writes_the_weeks_handout_and_confirms_it_on_stderr_only(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    _three_villages(cli_sqlite, tmp_path)
    out = tmp_path / "out"
    r = cli_sqlite("rank", "--week", "2026-W48", "--export", f"{out}/{{week}}.xlsx")
    assert r.exit_code == 0, r.output
    # no table for a cron log; the file confirmed on stderr like every other export
    assert r.stdout == "" and "2026-W48.xlsx" in r.stderr
    assert [p.name for p in out.iterdir()] == ["2026-W48.xlsx"]
    wb = load_workbook(out / "2026-W48.xlsx")
    whole, red, black = wb.worksheets[:3]
    assert (red.title, black.title) == ("红榜", "黑榜")
    for ws in (whole, red, black):
        assert "2026年第48周 (11月23日—11月27日)" in str(ws["A1"].value)
        assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)  # 9 = A4
    assert whole._charts  # the bar chart of the metric

    def body(ws: Any) -> tuple[int, list[tuple[Any, ...]]]:
        h = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "名次")
        return h, [row for row in ws.iter_rows(min_row=h + 1, values_only=True) if row[0] is not None]

    # columns 名次, 上周名次, 乡镇, 村(社区), 完成率, ...
    h, rows = body(whole)
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        (1, 2, "二村", 0.4),
        (2, 1, "一村", 0.3),
        (3, None, "三村", 0.2),
    ]
    assert [r[3] for r in body(red)[1]] == ["二村"]
    assert [r[3] for r in body(black)[1]] == ["三村"]
    # red: a light red ground; black: bold on white (prints in black and white)
    assert whole.cell(row=h + 1, column=4).fill.fgColor.rgb == "FFFFC7CE"
    assert whole.cell(row=h + 3, column=4).fill.fill_type is None and whole.cell(row=h + 3, column=4).font.b
    assert whole.cell(row=h + 2, column=4).fill.fill_type is None  # the middle village on neither list
