"""Months of history (docs/programmes.md): observations, job spells, retention (稳岗率) and
labour income (务工收入), each case computed by hand, on SQLite and PostgreSQL.

docs/json.md#retention, #income, #person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from laborcli.cli.app import main
from laborcli.identity.decisions import record
from laborcli.policy import LabourForceAges
from laborcli.registry import open_registry
from laborcli.registry.tables import rows
from laborcli.tenure import add_months, full_months, household_incomes, income, observation_dates, retention
from tests.conftest import Cli
from tests.sheets import HEADER, make_id, person, write_xlsx

BORN = dt.date(1990, 5, 1)


def _sheet(
    cli: Cli,
    tmp: Path,
    month: str,
    people: Sequence[dict[str, object]],
    *,
    township: str = "甲镇",
    village: str = "一村",
    as_of: str | None = None,
) -> None:
    """Import one village's sheet for a month (named …_2026-01.xlsx, or dated --as-of)."""
    tmp.mkdir(parents=True, exist_ok=True)
    placed = [{**p, HEADER["township"]: township, HEADER["village"]: village} for p in people]
    f = write_xlsx(tmp / f"{township}_{village}_{month}.xlsx", placed)
    r = cli("import", str(f), *(["--as-of", as_of] if as_of else []))
    assert r.exit_code == 0, r.output


def _p(name: str, seq: int, status: str, **kw: Any) -> dict[str, object]:
    size = kw.pop("size", None)
    row = person(name, kw.pop("born", BORN), seq=seq, status=status, **kw)
    if size is not None:
        row[HEADER["household_size"]] = size
    return row


def _filler(seq: int = 40, **kw: Any) -> dict[str, object]:
    """Someone at home, so that a sheet is never empty."""
    return _p("赵大", seq, "务农", household="H900", born=dt.date(1980, 3, 3), **kw)


def _person(cli: Cli, seq: int, as_of: str, born: dt.date = BORN) -> dict[str, Any]:
    return cli.json("person", make_id(born, seq), "--as-of", as_of)  # type: ignore[no-any-return]


def _spells(doc: dict[str, Any], kind: str = "transferred") -> list[tuple[Any, ...]]:
    return [
        (s["start"], s["start_kind"], s["first_observation"], s["end"], s["months"])
        for s in doc["spells"][kind]
    ]


# --- month arithmetic -------------------------------------------------------------------


def test_month_arithmetic_keeps_the_day_clips_it_and_keeps_month_ends() -> None:
    d = dt.date
    assert add_months(d(2026, 1, 15), 1) == d(2026, 2, 15)
    assert add_months(d(2026, 1, 30), 1) == d(2026, 2, 28)
    assert add_months(d(2026, 1, 31), 1) == d(2026, 2, 28)
    assert add_months(d(2026, 11, 30), -3) == d(2026, 8, 31)
    assert add_months(d(2026, 2, 28), 3) == d(2026, 5, 31)
    assert add_months(d(2026, 8, 31), 3) == d(2026, 11, 30)
    assert add_months(d(2026, 1, 20), -1) == d(2025, 12, 20)
    # "at least N months": E >= S + N months
    assert full_months(d(2026, 1, 31), d(2026, 2, 28)) == 1
    assert full_months(d(2026, 1, 31), d(2026, 2, 27)) == 0
    assert full_months(d(2026, 1, 31), d(2026, 4, 30)) == 3
    assert full_months(d(2025, 10, 15), d(2026, 3, 31)) == 5
    # D not a month end: its own date closes the list
    assert observation_dates(d(2026, 10, 1), d(2026, 11, 20)) == [d(2026, 10, 31), d(2026, 11, 20)]
    assert observation_dates(d(2026, 10, 1), d(2026, 11, 30)) == [d(2026, 10, 31), d(2026, 11, 30)]


# --- spells ----------------------------------------------------------------------------


def test_a_spell_is_broken_by_a_missing_month_and_by_a_non_transferred_month(
    cli: Cli, tmp_path: Path
) -> None:
    plan = {"01": "县外务工", "02": "县外务工", "03": None, "04": "县外务工", "05": "务农", "06": "县内务工"}
    for m, status in plan.items():
        people = [_filler()] + ([_p("张三", 1, status)] if status else [])
        _sheet(cli, tmp_path / m, f"2026-{m}", people)
    doc = _person(cli, 1, "2026-06-30")
    # Jan-Feb: the person's first observation, no 务工开始时间: start unknown, lasted from
    # the first observation (01-31 + 1 month = 02-28). April and June follow an earlier
    # observation: estimated at their first observation.
    assert _spells(doc) == [
        (None, "unknown", "2026-01-31", "2026-02-28", 1),
        ("2026-04-30", "estimated", "2026-04-30", "2026-04-30", 0),
        ("2026-06-30", "estimated", "2026-06-30", "2026-06-30", 0),
    ]
    assert _spells(doc, "outside") == [
        (None, "unknown", "2026-01-31", "2026-02-28", 1),
        ("2026-04-30", "estimated", "2026-04-30", "2026-04-30", 0),
    ]
    last = doc["spells"]["transferred"][-1]
    assert last["ongoing"] and last["status"] == "县内务工"
    assert [r["source"] for r in doc["spells"]["transferred"][0]["rows"]] == [
        "甲镇_一村_2026-01.xlsx",
        "甲镇_一村_2026-02.xlsx",
    ]
    table = cli("person", make_id(BORN, 1), "--as-of", "2026-06-30")
    assert "务工经历" in table.stdout and "(估计)" in table.stdout and "未知" in table.stdout


def test_job_start_used_only_between_the_earlier_observation_and_the_first_one(
    cli: Cli, tmp_path: Path
) -> None:
    jan = [_filler(), _p("钱三", 3, "务农"), _p("孙四", 4, "务农")]
    feb = [
        _filler(),
        _p("钱三", 3, "县外务工", job_start=dt.date(2026, 1, 10)),  # before Jan's observation
        _p("孙四", 4, "县外务工", job_start=dt.date(2026, 2, 5)),  # after it: given
    ]
    mar = [
        *feb,
        _p("张一", 1, "县外务工", job_start=dt.date(2025, 10, 15)),  # before the first observation
        _p("李二", 2, "县外务工", job_start=dt.date(2026, 5, 10)),  # later than the row's date
        _p("周五", 5, "县外务工"),  # missing, first observation
    ]
    for m, people in (("01", jan), ("02", feb), ("03", mar)):
        _sheet(cli, tmp_path / m, f"2026-{m}", people)
    at = "2026-03-31"
    assert _spells(_person(cli, 3, at)) == [("2026-02-28", "estimated", "2026-02-28", at, 1)]
    assert _spells(_person(cli, 4, at)) == [("2026-02-05", "given", "2026-02-28", at, 1)]
    one = _person(cli, 1, at)
    # 2025-10-15 + 5 months = 2026-03-15 <= 03-31 < 04-15: five months, stable (>= 3)
    assert _spells(one) == [("2025-10-15", "given", at, at, 5)]
    s = one["spells"]["transferred"][0]
    assert (s["reached_on"], s["qualifying_observation"]) == ("2026-01-15", at)
    assert _spells(_person(cli, 2, at)) == [(None, "unknown", at, at, 0)]
    assert _spells(_person(cli, 5, at)) == [(None, "unknown", at, at, 0)]


def test_a_start_on_the_31st_reaches_its_months_on_month_ends(cli: Cli, tmp_path: Path) -> None:
    for m in ("01", "02", "03", "04"):
        _sheet(
            cli,
            tmp_path / m,
            f"2026-{m}",
            [_filler(), _p("张三", 1, "县外务工", job_start=dt.date(2026, 1, 31))],
        )
    # 01-31 + 3 months = 04-30: not yet stable at 03-31, stable at 04-30
    march = _person(cli, 1, "2026-03-31")["spells"]["transferred"][0]
    assert (march["start"], march["months"], march["reached_on"], march["qualifying_observation"]) == (
        "2026-01-31",
        2,
        "2026-04-30",
        None,
    )
    april = _person(cli, 1, "2026-04-30")["spells"]["transferred"][0]
    assert (april["months"], april["qualifying_observation"]) == (3, "2026-04-30")
    assert "是" in cli("person", make_id(BORN, 1), "--as-of", "2026-04-30").stdout


def test_a_village_without_a_sheet_one_month_keeps_its_earlier_sheet(cli: Cli, tmp_path: Path) -> None:
    _sheet(cli, tmp_path / "01", "2026-01", [_p("张三", 1, "县外务工", income=3000)], village="二村")
    for m in ("01", "02", "03"):
        _sheet(cli, tmp_path / m, f"2026-{m}", [_filler()])
    _sheet(cli, tmp_path / "03", "2026-03", [_p("张三", 1, "县外务工", income=3500)], village="二村")
    doc = _person(cli, 1, "2026-03-31")
    # February is observed on January's sheet (dated 02-28): one spell, no month unknown
    assert _spells(doc) == [(None, "unknown", "2026-01-31", "2026-03-31", 2)]
    assert [(r["as_of"], r["source"]) for r in doc["spells"]["transferred"][0]["rows"]] == [
        ("2026-01-31", "甲镇_二村_2026-01.xlsx"),
        ("2026-02-28", "甲镇_二村_2026-01.xlsx"),
        ("2026-03-31", "甲镇_二村_2026-03.xlsx"),
    ]
    assert doc["income"] == {
        "year": 2026,
        "as_of": "2026-03-31",
        "labour_income": 9500.0,
        "unknown_months": 0,
        "months": 3,
    }
    feb = cli.json("income", "--as-of", "2026-02-28")
    two = next(r for r in feb["rows"] if r["village"] == "二村")
    assert (two["labour_income"], two["sheet_as_of"], two["stale"]) == (6000.0, "2026-01-31", True)
    ret = cli.json("retention", "--as-of", "2026-03-31", "--months", "1")
    assert [(r["village"], r["cohort"], r["retained"]) for r in ret["rows"]] == [
        ("一村", 0, 0),
        ("二村", 1, 1),
    ]


def test_a_person_moving_between_villages_keeps_one_spell(cli: Cli, tmp_path: Path) -> None:
    for m, where in (("01", "一村"), ("02", "一村"), ("03", "二村"), ("04", "二村")):
        for v in ("一村", "二村"):
            people = [_filler(seq=41 if v == "二村" else 40)]
            if v == where:
                people.append(_p("张三", 1, "县外务工", village=v))
            _sheet(cli, tmp_path / m, f"2026-{m}", people, village=v)
    assert _spells(_person(cli, 1, "2026-04-30")) == [(None, "unknown", "2026-01-31", "2026-04-30", 3)]
    # Retention counts them in their place at the cohort date, retained wherever they are.
    ret = cli.json("retention", "--as-of", "2026-04-30", "--months", "2")
    assert [(r["village"], r["cohort"], r["retained"], r["no_longer_listed"]) for r in ret["rows"]] == [
        ("一村", 1, 1, 0),
        ("二村", 0, 0, 0),
    ]


def test_a_person_listed_in_two_villages_is_observed_once_a_month(cli: Cli, tmp_path: Path) -> None:
    # January: both sheets of the same date; 一村 comes first in code-point order (一 < 二)
    _sheet(cli, tmp_path / "01", "2026-01", [_filler(), _p("张三", 1, "县外务工", income=4000)])
    _sheet(cli, tmp_path / "01", "2026-01", [_filler(41), _p("张三", 1, "务农")], village="二村")
    # February: only 二村 sends: its newer sheet (务农) is the person's row
    _sheet(cli, tmp_path / "02", "2026-02", [_filler(41), _p("张三", 1, "务农")], village="二村")
    doc = _person(cli, 1, "2026-02-28")
    assert _spells(doc) == [(None, "unknown", "2026-01-31", "2026-01-31", 0)]
    assert (doc["income"]["labour_income"], doc["income"]["unknown_months"]) == (4000.0, 0)
    inc = cli.json("income", "--as-of", "2026-02-28")
    # The person counts in 二村 (their place at D) with 4,000; 一村's 赵大 has nothing.
    assert [(r["village"], r["labour_income"], r["unknown_months"]) for r in inc["rows"]] == [
        ("一村", 0.0, 0),
        ("二村", 4000.0, 0),
    ]
    # 赵大 of 一村 is observed in Jan and Feb (January's sheet stays current); 二村's
    # 赵大 (seq 41) too: every month known.
    assert inc["total"]["labour_income"] == 4000.0


def test_d_not_a_month_end_is_a_last_observation(cli: Cli, tmp_path: Path) -> None:
    _sheet(cli, tmp_path / "01", "2026-01", [_p("张三", 1, "县外务工", income=3000)])
    _sheet(cli, tmp_path / "mid", "mid", [_p("张三", 1, "县外务工", income=3200)], as_of="2026-02-15")
    at_20 = cli.json("income", "--as-of", "2026-02-20", "--by", "county")
    assert (at_20["as_of"], at_20["total"]["labour_income"], at_20["total"]["unknown_months"]) == (
        "2026-02-20",
        6200.0,
        0,
    )
    at_10 = cli.json("income", "--as-of", "2026-02-10", "--by", "county")
    assert at_10["total"]["labour_income"] == 6000.0  # 02-10 still sees January's sheet
    assert at_20["total"]["average_monthly_income"] == 3200.0
    doc = _person(cli, 1, "2026-02-20")
    assert _spells(doc) == [(None, "unknown", "2026-01-31", "2026-02-20", 0)]


# --- income -----------------------------------------------------------------------------


def test_unknown_months_and_the_labour_force_at_d(cli: Cli, tmp_path: Path) -> None:
    old = dt.date(1956, 1, 1)  # 70: outside the labour force, income not counted
    plan: dict[str, list[dict[str, object]]] = {
        "01": [_p("张三", 1, "县外务工")],  # transferred, no income: unknown
        "02": [_p("张三", 1, "县外务工", income=4000)],
        "03": [],  # not listed: unknown
        "04": [_p("张三", 1, "务农")],  # adds 0, known
        "05": [_p("张三", 1, "县外务工", income=150000)],  # above the maximum: unknown
    }
    for m, people in plan.items():
        rest = [
            _p("李四", 2, "县内务工", income=5000, household="H002"),
            _p("老王", 3, "县外务工", income=3000, born=old),
        ]
        _sheet(cli, tmp_path / m, f"2026-{m}", [*people, *rest])
    res = cli.json("income", "--as-of", "2026-05-31", "--year", "2026")
    assert (res["year"], res["by"], res["as_of"]) == (2026, "village", "2026-05-31")
    (row,) = res["rows"]
    assert {k: row[k] for k in row if k not in ("sheet_as_of", "stale")} == {
        "township": "甲镇",
        "village": "一村",
        "group": None,
        "labour_income": 4000.0 + 5 * 5000.0,
        "unknown_months": 3,
        "transferred": 2,
        "transferred_with_income": 1,
        "average_monthly_income": 5000.0,
    }
    assert (row["sheet_as_of"], row["stale"]) == ("2026-05-31", False)
    assert res["total"]["labour_income"] == 29000.0 and res["total"]["unknown_months"] == 3
    # A year before the registry began: every month unknown for everyone at D.
    before = cli.json("income", "--as-of", "2026-05-31", "--year", "2025", "--by", "county")
    assert (before["total"]["labour_income"], before["total"]["unknown_months"]) == (0.0, 24)
    csv = cli("income", "--as-of", "2026-05-31", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("township,village,group,labour_income") and csv[-1].startswith("合计")


def test_a_sheet_sent_again_for_its_month_replaces_the_earlier_one_in_the_income(
    cli: Cli, tmp_path: Path
) -> None:
    # March's sheet came on the 10th and again, corrected, at the month's end; February's
    # sheet was sent twice for the same date (the later import counts).
    _sheet(cli, tmp_path / "01", "2026-01", [_p("张三", 1, "县外务工", income=3000)])
    _sheet(cli, tmp_path / "02a", "2026-02", [_p("张三", 1, "县外务工", income=100)])
    _sheet(cli, tmp_path / "02b", "2026-02", [_p("张三", 1, "县外务工", income=3100)])
    _sheet(cli, tmp_path / "03a", "early", [_p("张三", 1, "县外务工", income=50)], as_of="2026-03-10")
    _sheet(cli, tmp_path / "03b", "2026-03", [_p("张三", 1, "县外务工", income=3200)])
    res = cli.json("income", "--as-of", "2026-03-31", "--by", "county")
    assert (res["total"]["labour_income"], res["total"]["unknown_months"]) == (9300.0, 0)
    doc = _person(cli, 1, "2026-03-31")
    assert (doc["income"]["labour_income"], doc["income"]["unknown_months"]) == (9300.0, 0)
    # Asked on the 20th, the sheet of the 10th is March's observation.
    mid = cli.json("income", "--as-of", "2026-03-20", "--by", "county")
    assert mid["total"]["labour_income"] == 6150.0


def test_household_population_from_the_head_the_largest_size_or_the_members(
    db_url: str, tmp_path: Path
) -> None:
    cli = Cli(db_url)
    people = [
        _p("户主甲", 1, "县外务工", income=6000, household="H1", size=5),
        _p("配偶甲", 2, "务农", household="H1", relation="配偶", size=3),
        _p("配偶乙", 3, "县外务工", income=4000, household="H2", relation="配偶", size=2),
        _p("子乙", 4, "县内务工", income=2000, household="H2", relation="子", size=4),
        _p("户主丙", 5, "县外务工", income=1000, household="H3", size=""),
        _p("子丙", 6, "在校学生", household="H3", relation="子", size=""),
    ]
    for m in ("01", "02"):
        _sheet(cli, tmp_path / m, f"2026-{m}", people)
    reg = open_registry(db_url)
    try:
        with reg.reading() as conn:
            got = household_incomes(conn, 2026, dt.date(2026, 2, 28), LabourForceAges())
    finally:
        reg.close()
    assert [(h.household_id, h.population, h.population_from, h.members, h.labour_income) for h in got] == [
        ("H1", 5, "head", 2, 12000.0),
        ("H2", 4, "largest", 2, 12000.0),
        ("H3", 2, "members", 2, 2000.0),
    ]
    assert [h.per_capita for h in got] == [2400.0, 3000.0, 1000.0]
    (two,) = cli.json("household", "H2", "--as-of", "2026-02-28")["income"]
    assert (two["population"], two["population_from"], two["per_capita_income"]) == (4, "largest", 3000.0)
    assert "人均 3,000 元" in cli("household", "H2", "--as-of", "2026-02-28").stdout


def test_a_dedup_decision_joins_two_rows_into_one_person(cli: Cli, tmp_path: Path) -> None:
    _sheet(
        cli,
        tmp_path / "01",
        "2026-01",
        [_filler(), _p("王五", 1, "县外务工", income=3000, id_number="530627199005")],
    )
    for m in ("02", "03"):
        _sheet(
            cli,
            tmp_path / m,
            f"2026-{m}",
            [_filler(41), _p("王五", 1, "县外务工", income=3000)],
            village="二村",
        )
        _sheet(cli, tmp_path / m, f"2026-{m}", [_filler()])
    apart = _person(cli, 1, "2026-03-31")
    assert _spells(apart) == [(None, "unknown", "2026-02-28", "2026-03-31", 1)]
    assert (apart["income"]["labour_income"], apart["income"]["unknown_months"]) == (6000.0, 1)
    reg = open_registry(cli.db)
    try:
        with reg.writing() as conn:
            keys = {r[0] for r in conn.execute(sa.select(rows.c.person_key).where(rows.c.name == "王五"))}
            assert len(keys) == 2
            a, b = sorted(keys)
            record(conn, [(a, b, "same")], "test")
    finally:
        reg.close()
    joined = _person(cli, 1, "2026-03-31")
    assert _spells(joined) == [(None, "unknown", "2026-01-31", "2026-03-31", 2)]
    assert (joined["income"]["labour_income"], joined["income"]["unknown_months"]) == (9000.0, 0)
    inc = cli.json("income", "--as-of", "2026-03-31")
    assert {r["village"]: r["labour_income"] for r in inc["rows"]} == {"一村": 0.0, "二村": 9000.0}


# --- retention --------------------------------------------------------------------------


def test_retention_cohort_retained_and_no_longer_listed(cli: Cli, tmp_path: Path) -> None:
    aug_one = [
        _p("甲", 1, "县外务工", born=dt.date(1965, 10, 15), group="1组"),  # 60 at 08-31, 61 at 11-30
        _p("乙", 2, "县内务工", group="1组"),
        _p("丙", 3, "务农", group="2组"),
        _p("丁", 4, "县外务工", born=dt.date(1965, 6, 1), group="2组"),  # 61: not labour force
    ]
    nov_one = [
        _p("甲", 1, "县外务工", born=dt.date(1965, 10, 15), group="1组"),
        _p("乙", 2, "务农", group="1组"),
        _p("戊", 5, "县外务工", group="1组"),
        _p("辛", 8, "县外务工", group="2组"),  # moved in from 二村
    ]
    aug_two = [_p("庚", 7, "县外务工", household="H7"), _p("辛", 8, "县外务工", household="H8")]
    nov_two = [_p("壬", 9, "务农", household="H9")]
    _sheet(cli, tmp_path / "08", "2026-08", aug_one)
    _sheet(cli, tmp_path / "08", "2026-08", aug_two, village="二村")
    _sheet(cli, tmp_path / "11", "2026-11", nov_one)
    _sheet(cli, tmp_path / "11", "2026-11", nov_two, village="二村")
    res = cli.json("retention", "--as-of", "2026-11-30", "--months", "3")
    assert (res["as_of"], res["months"], res["cohort_date"], res["by"]) == (
        "2026-11-30",
        3,
        "2026-08-31",
        "village",
    )
    got = [
        (r["village"], r["cohort"], r["retained"], r["retention_rate"], r["no_longer_listed"])
        for r in res["rows"]
    ]
    assert got == [("一村", 2, 1, 0.5, 0), ("二村", 2, 1, 0.5, 1)]
    assert {(r["sheet_as_of"], r["stale"]) for r in res["rows"]} == {("2026-11-30", False)}
    t = res["total"]
    assert (t["cohort"], t["retained"], t["retention_rate"], t["no_longer_listed"]) == (4, 2, 0.5, 1)
    town = cli.json("retention", "--as-of", "2026-11-30", "--by", "township")  # the policy's 3 months
    assert [(r["township"], r["cohort"], r["retained"]) for r in town["rows"]] == [("甲镇", 4, 2)]
    groups = cli.json("retention", "--as-of", "2026-11-30", "--by", "group")
    assert [(r["village"], r["group"], r["cohort"]) for r in groups["rows"]] == [
        ("一村", "1组", 2),
        ("一村", "2组", 0),
        ("二村", "1组", 2),
    ]
    # A horizon reaching before any sheet: nobody in the cohort, the rate is null.
    early = cli.json("retention", "--as-of", "2026-11-30", "--months", "6")
    assert early["cohort_date"] == "2026-05-31" and early["total"]["retention_rate"] is None
    table = cli("retention", "--as-of", "2026-11-30")
    assert "稳岗率" in table.stdout and "50.0%" in table.stdout


# --- JSON shapes and usage errors ------------------------------------------------------

_INCOME_ROW = {
    "township": (str,),
    "village": (str,),
    "group": (str, type(None)),
    "labour_income": (float,),
    "unknown_months": (int,),
    "transferred": (int,),
    "transferred_with_income": (int,),
    "average_monthly_income": (float, type(None)),
    "sheet_as_of": (str, type(None)),
    "stale": (bool,),
}
_RETENTION_ROW = {
    "township": (str,),
    "village": (str,),
    "group": (str, type(None)),
    "cohort": (int,),
    "retained": (int,),
    "retention_rate": (float, type(None)),
    "no_longer_listed": (int,),
    "sheet_as_of": (str, type(None)),
    "stale": (bool,),
}
_PLACE = ("township", "village", "group", "sheet_as_of", "stale")


def _shape(row: dict[str, Any], want: dict[str, tuple[type, ...]], *, total: bool = False) -> None:
    keys = {k: v for k, v in want.items() if not (total and k in _PLACE)}
    assert keys.keys() <= row.keys(), row
    for k, types in keys.items():
        assert isinstance(row[k], types) and not (bool in types) ^ isinstance(row[k], bool), (k, row[k])


def _documented_keys(section: str) -> set[str]:
    """The keys of a JSON shape in docs/json.md (the contract's shapes, extended)."""
    page = (Path(__file__).parent.parent / "docs" / "json.md").read_text(encoding="utf-8")
    block = page.split(f"## {section}\n", 1)[1].split("```")[1]
    return set(re.findall(r'"(\w+)":', block))


def test_income_and_retention_json_have_the_shapes_of_the_cli_contract(cli: Cli, tmp_path: Path) -> None:
    for m in ("08", "11"):
        _sheet(cli, tmp_path / m, f"2026-{m}", [_filler(), _p("张三", 1, "县外务工", income=4200)])
    inc = cli.json("income", "--as-of", "2026-11-30", "--year", "2026")
    assert isinstance(inc["as_of"], str) and isinstance(inc["year"], int) and isinstance(inc["by"], str)
    for r in inc["rows"]:
        _shape(r, _INCOME_ROW)
    _shape(inc["total"], _INCOME_ROW, total=True)
    ret = cli.json("retention", "--as-of", "2026-11-30")
    assert isinstance(ret["months"], int) and isinstance(ret["cohort_date"], str)
    for r in ret["rows"]:
        _shape(r, _RETENTION_ROW)
    _shape(ret["total"], _RETENTION_ROW, total=True)
    for doc, section in ((inc, "income"), (ret, "retention")):
        got = set(doc) | {k for r in doc["rows"] for k in r}
        assert _documented_keys(section) <= got, _documented_keys(section) - got


@pytest.mark.parametrize(
    "args",
    [
        ("retention", "--months", "0"),
        ("retention", "--months", "-2"),
        ("retention", "--months", "121"),
        ("income", "--year", "2027", "--as-of", "2026-11-30"),
        ("income", "--year", "26"),
    ],
)
def test_an_invalid_months_or_year_is_a_usage_error_in_one_line(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    capsys.readouterr()
    assert main(["--db", sqlite_url, *args]) == 2
    cap = capsys.readouterr()
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1 and ("--months" in lines[0] or "--year" in lines[0]), cap.err
    assert cap.out == ""


def test_a_policy_horizon_of_zero_months_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "county.toml"
    p.write_text("[tenure]\nretention_months = 0\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "r.db"), "--policy", str(p), "retention"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "tenure.retention_months" in err[0] and "1" in err[0]


def test_the_policy_sets_the_horizon_and_the_months_of_stable_employment(cli: Cli, tmp_path: Path) -> None:
    for m in ("01", "02"):
        _sheet(cli, tmp_path / m, f"2026-{m}", [_p("张三", 1, "县外务工")])
    p = tmp_path / "county.toml"
    p.write_text("[tenure]\nretention_months = 6\nstable_months = 1\n", encoding="utf-8")
    r = cli("--policy", str(p), "retention", "--as-of", "2026-11-30", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["cohort_date"] == "2026-05-31"
    r = cli("--policy", str(p), "person", make_id(BORN, 1), "--as-of", "2026-02-28", "--format", "json")
    spells = json.loads(r.stdout)["spells"]
    assert spells["stable_months"] == 1 and spells["transferred"][0]["reached_on"] == "2026-02-28"


def test_income_and_retention_json_equal_the_core_results(db_url: str, tmp_path: Path) -> None:
    cli = Cli(db_url)
    for m in ("08", "11"):
        _sheet(cli, tmp_path / m, f"2026-{m}", [_filler(), _p("张三", 1, "县外务工", income=4200)])
    d = dt.date(2026, 11, 30)
    reg = open_registry(db_url)
    try:
        with reg.reading() as conn:
            core_income = income(conn, 2026, d, "village", LabourForceAges()).as_json()
            core_retention = retention(conn, d, 3, "village", LabourForceAges()).as_json()
    finally:
        reg.close()

    def plain(doc: dict[str, Any]) -> Any:
        return json.loads(json.dumps(doc, default=lambda o: o.isoformat()))

    assert cli.json("income", "--as-of", "2026-11-30") == plain(core_income)
    assert cli.json("retention", "--as-of", "2026-11-30") == plain(core_retention)


def test_the_policy_maximum_monthly_income_makes_a_higher_one_unknown(cli: Cli, tmp_path: Path) -> None:
    for m in ("01", "02"):
        _sheet(
            cli, tmp_path / m, f"2026-{m}", [_p("张三", 1, "县外务工", income=4200 if m == "01" else 3000)]
        )
    p = tmp_path / "county.toml"
    p.write_text("[income]\nmax_monthly_yuan = 4000\n", encoding="utf-8")
    r = cli("--policy", str(p), "income", "--as-of", "2026-02-28", "--by", "county", "--format", "json")
    assert r.exit_code == 0, r.output
    total = json.loads(r.stdout)["total"]
    assert (total["labour_income"], total["unknown_months"], total["average_monthly_income"]) == (
        3000.0,
        1,
        3000.0,
    )
    r = cli("--policy", str(p), "person", make_id(BORN, 1), "--as-of", "2026-02-28", "--format", "json")
    assert json.loads(r.stdout)["income"]["unknown_months"] == 1
    default = cli.json("income", "--as-of", "2026-02-28", "--by", "county")["total"]
    assert (default["labour_income"], default["unknown_months"]) == (7200.0, 0)
