"""Employer demand and matching (docs/programmes.md, "Employer demand", "Matching people to
jobs"): every filter, point and cap on a village whose scores are computed by hand in
tests/jobs_sheets.py, through the CLI, on both back ends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from laborcli.jobs.names import names_company
from laborcli.jobs.rules import credit_code_ok, parse_age, parse_openings, parse_wage
from laborcli.jobs.trades import closeness, code_num, shipped_trades
from tests.conftest import Cli
from tests.jobs_sheets import (
    BAD_CODE,
    GOOD_CODE,
    WELD,
    demand,
    demand_rows,
    write_demand,
    write_village,
)

D = "2026-11-30"


# ---------------------------------------------------------------- the sheet's own rules


def test_credit_code_check_character() -> None:
    from stdnum.cn import uscc

    for code in (GOOD_CODE, "91530627127704451D", BAD_CODE, "91530627647681863Y", "9153062764768186"):
        assert credit_code_ok(code) is uscc.is_valid(code), code


def test_ranges_as_typed() -> None:
    assert parse_wage("4000-6000") == (4000, 6000)
    assert parse_wage("4000~6000元") == (4000, 6000)
    assert parse_wage(2800) == (2800, 2800)
    assert parse_wage("面议") == (None, None)
    assert parse_wage("很多") is None
    assert parse_age("18-45岁") == (18, 45)
    assert parse_age("18~45周岁") == (18, 45)
    assert parse_age("45周岁以下") == (None, 45)
    assert parse_age("18岁以上") == (18, None)
    assert parse_age("年轻") is None
    assert parse_openings("5人") == 5
    assert parse_openings(5) == 5
    assert parse_openings(0) is None
    assert parse_openings("若干") is None


def test_company_naming_rule() -> None:
    assert names_company("浙江宁海汇丰电子有限公司", "浙江宁海汇丰电子有限公司")
    assert names_company("浙江宁海汇丰电子有限公司宁海分厂", WELD)
    assert not names_company("宁海电子厂", WELD)
    # A remainder under 4 characters names nothing but itself.
    assert not names_company("温州鞋厂三车间", "鞋厂")


def test_trades_meet_by_alias_code_and_class() -> None:
    tr = shipped_trades()
    assert tr.read("电焊")[0] == ["6-18-02-04"]  # the county's word
    assert tr.read("焊工")[0] == ["6-18-02-04"]  # the name
    assert tr.read("氩弧焊工")[0] == ["6-18-02-04"]  # an alias of the source
    assert tr.read("坭瓦工")[0] == tr.read("泥瓦工")[0]  # a homophone, by pinyin
    assert tr.read("竹编、电焊") == (["6-18-02-04"], ["竹编"])
    # Whole terms: 电工 is not 电焊 (no partial scores on unsegmented text).
    assert tr.read("电工")[0] != tr.read("电焊")[0]
    assert closeness(code_num("6-29-01-04"), code_num("6-29-01-01")) == 2
    assert closeness(code_num("6-18-03-04"), code_num("6-18-02-04")) == 1
    assert closeness(code_num("6-00-00-00"), code_num("6-18-02-04")) == 0


# ---------------------------------------------------------------- demand sheets


def test_demand_sheet_problems_and_import(cli: Cli, tmp_path: Path) -> None:
    rows = [
        demand("甲公司", "普工", openings="5人", wage="4000~6000元", age="18-45岁", code=GOOD_CODE),
        demand("乙公司", "焊工", age="45周岁以下", code=BAD_CODE),
        demand("丙公司", "装配工", openings=0),
        demand("丁公司", "包装工", openings="若干"),
        demand("", "搬运工"),
        demand("戊公司", "检验员", registered="2026年13月5日"),
    ]
    # A title row, and the aliases 用工单位 and 招聘人数.
    f = write_demand(
        tmp_path / "需求.xlsx",
        rows,
        rename={"企业名称": "用工单位", "需求人数": "招聘人数"},
        title="企业用工需求登记表",
    )
    r = cli("demand", "import", str(f), "--format", "json")
    assert r.exit_code == 1, r.output
    data = __import__("json").loads(r.stdout)
    rep = data["files"][0]
    assert (rep["status"], rep["rows_read"], rep["rows_imported"], rep["rows_rejected"]) == (
        "imported",
        6,
        2,
        4,
    )
    got = {(p["row"], p["code"], p["severity"]) for p in rep["problems"]}
    assert (4, "demand-credit-code", "warning") in got
    assert (5, "demand-openings-invalid", "error") in got
    assert (6, "demand-openings-invalid", "error") in got
    assert (7, "value-missing", "error") in got
    assert (8, "demand-date-invalid", "error") in got
    listed = cli.json("demand", "--as-of", D)
    by_company = {x["company"]: x for x in listed["rows"]}
    assert set(by_company) == {"甲公司", "乙公司"}
    assert by_company["甲公司"]["openings"] == 5
    assert by_company["甲公司"]["row"] == 3 and by_company["甲公司"]["source"] == "需求.xlsx"
    assert listed["total"]["openings"] == 6
    # The same file again: unchanged, nothing written.
    again = cli.json("demand", "import", str(f))
    assert again["files"][0]["status"] == "unchanged"
    assert len(cli.json("demand", "--as-of", D)["rows"]) == 2


def test_annotated_copy_and_template(cli: Cli, tmp_path: Path) -> None:
    f = write_demand(
        tmp_path / "需求.xlsx", [demand("丙公司", "装配工", openings=0), demand("丁公司", "普工")]
    )
    r = cli("validate", "--kind", "demand", str(f), "--annotate", str(tmp_path / "out"))
    assert r.exit_code == 1, r.output
    (copy,) = list((tmp_path / "out").iterdir())
    wb = load_workbook(copy)
    listed = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("需求人数应为不小于 1 的整数" in v for v in listed)
    out = tmp_path / "tpl.xlsx"
    r = cli("template", "--kind", "demand", "-o", str(out))
    assert r.exit_code == 0, r.output
    heads = [
        str(c.value)
        for ws in load_workbook(out).worksheets
        for row in ws.iter_rows(max_row=3)
        for c in row
        if c.value
    ]
    assert any("企业名称" in h for h in heads) and any("需求人数" in h for h in heads)


def test_newer_sheet_updates_its_demands(cli: Cli, tmp_path: Path) -> None:
    first = write_demand(
        tmp_path / "q3.xlsx",
        [demand("甲公司", "普工", openings=3), demand("甲公司", "焊工", openings=2)],
    )
    newer = write_demand(
        tmp_path / "q4.xlsx",
        [
            demand(
                "甲公司 ",
                "普工",
                openings=8,
                wage=5000,
                registered=dt.date(2026, 11, 1),
                until=dt.date(2026, 12, 31),
            )
        ],
    )
    cli.json("demand", "import", str(first))
    before = {r["job"]: r["demand_id"] for r in cli.json("demand", "--as-of", D)["rows"]}
    cli.json("demand", "import", str(newer))
    rows = {r["job"]: r for r in cli.json("demand", "--as-of", D)["rows"]}
    assert rows["普工"]["openings"] == 8 and rows["普工"]["source"] == "q4.xlsx"
    assert rows["普工"]["demand_id"] == before["普工"]  # the same demand, updated
    assert rows["焊工"]["openings"] == 2  # not listed by the newer sheet: as it was
    # An older row imported afterwards leaves the newer one standing.
    older = write_demand(
        tmp_path / "old.xlsx", [demand("甲公司", "普工", openings=1, registered=dt.date(2026, 9, 1))]
    )
    cli.json("demand", "import", str(older))
    assert {r["job"]: r["openings"] for r in cli.json("demand", "--as-of", D)["rows"]}["普工"] == 8


# ---------------------------------------------------------------- matching


def _setup(cli: Cli, tmp_path: Path) -> None:
    village = tmp_path / "v"
    village.mkdir()
    r = cli("import", str(write_village(village)))
    assert r.exit_code == 0, r.output
    cli.json("demand", "import", str(write_demand(tmp_path / "需求.xlsx", demand_rows())))


def _by_job(data: dict[str, Any]) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for p in data["proposals"]:
        out.setdefault(p["job"], []).append((p["person"]["name"], p["score"]))
    return out


def test_filters_points_and_caps(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    data = cli.json("match", "--as-of", D)
    jobs = _by_job(data)
    # Hand-computed (tests/jobs_sheets.py): J1 甲 3+1+2+1, 癸 3+1+2 (a woman for a job
    # asking for men), 丙 3+1 (age unknown); 己 3 is fourth, beyond 1 × 3. 乙 (46), 戊 (小学),
    # 庚 (县内), 辛 (暂无意愿), 壬 (自主创业) and 丁 (transferred) are filtered out.
    assert jobs["焊工"] == [("甲", 7.0), ("癸", 6.0), ("丙", 4.0)]
    # J2 县内: 庚 same 小类 2 + 县内 1 + zero 2; 己 (no intention stated) zero 2.
    assert jobs["砌筑工"] == [("庚", 5.0), ("己", 2.0)]
    assert jobs["电焊工"] == [("甲", 7.0), ("癸", 6.0), ("丙", 4.0)]
    assert "理货员" not in jobs and "行李搬运工" not in jobs  # expired, not yet open
    reasons = {(p["job"], p["person"]["name"]): p["reasons"] for p in data["proposals"]}
    assert any("年龄不详" in x for x in reasons[("焊工", "丙")])
    assert any("仅供参考" in x for x in reasons[("焊工", "癸")])
    assert any("同一小类" in x for x in reasons[("砌筑工", "庚")])
    assert any("零就业家庭" in x for x in reasons[("焊工", "甲")])
    assert any("脱贫户" in x for x in reasons[("焊工", "甲")])
    assert all(p["person"]["id_number"] is None or "*" in p["person"]["id_number"] for p in data["proposals"])
    assert all("530627" not in p["proposal_id"] for p in data["proposals"])
    # The proposal ids are stable from run to run.
    assert [p["proposal_id"] for p in cli.json("match", "--as-of", D)["proposals"]] == [
        p["proposal_id"] for p in data["proposals"]
    ]


def test_education_unknown_and_caps_per_person(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    pol = tmp_path / "p.toml"
    pol.write_text("[matching]\ncandidates_per_opening = 1\njobs_per_person = 1\n", encoding="utf-8")
    jobs = _by_job(cli.json("--policy", str(pol), "match", "--as-of", D))
    # 甲 scores 7 on J1 and J5: he keeps J5 (registered earlier); J1 takes its next, 癸.
    assert jobs == {"电焊工": [("甲", 7.0)], "焊工": [("癸", 6.0)], "砌筑工": [("庚", 5.0)]}
    pol.write_text("[matching]\ncandidates_per_opening = 5\n", encoding="utf-8")
    data = cli.json("--policy", str(pol), "match", "--as-of", D)
    j1 = [p for p in data["proposals"] if p["job"] == "焊工"]
    assert [p["person"]["name"] for p in j1] == ["甲", "癸", "丙", "己"]
    assert any("文化程度不详" in x for x in j1[3]["reasons"])
    assert any("同一中类" in x for x in j1[3]["reasons"])


def test_why_not_proposed(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    from tests.sheets import make_id

    old = make_id(dt.date(1980, 11, 29), 2, True)
    data = cli.json("match", "--as-of", D, "--person", old)
    why = {j["job"]: j for j in data["jobs"]}
    assert "*" in data["subject"]
    assert not why["焊工"]["proposed"] and "超过岗位要求 45 岁" in why["焊工"]["why"]
    assert "区域" in why["砌筑工"]["why"]
    assert not why["电焊工"]["proposed"] and "超出本岗位推荐名额 3 名" in why["电焊工"]["why"]
    first = cli.json("match", "--as-of", D, "--person", make_id(dt.date(1981, 11, 30), 1, True))
    assert {j["job"]: j["proposed"] for j in first["jobs"]} == {"焊工": True, "砌筑工": False, "电焊工": True}
    worker = cli.json("match", "--as-of", D, "--person", make_id(dt.date(1990, 5, 5), 4, True))
    assert all("已转移就业" in j["why"] for j in worker["jobs"])


def _answer(path: Path, marks: dict[tuple[str, str], str]) -> Path:
    """Fill 反馈 of the proposals workbook by header, for (name, job)."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    head = next(r for r in ws.iter_rows(min_row=1, max_row=5) if any(c.value == "编号" for c in r))
    col = {c.value: c.column for c in head}
    for row in ws.iter_rows(min_row=head[0].row + 1):
        key = (row[col["姓名"] - 1].value, row[col["岗位名称"] - 1].value)
        if key in marks:
            ws.cell(row=row[0].row, column=col["反馈"], value=marks[key])
    out = path.with_name("filled_" + path.name)
    wb.save(out)
    return out


def test_export_record_and_memory(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    book = tmp_path / "送岗.xlsx"
    r = cli("match", "--as-of", D, "--export", str(book))
    assert r.exit_code == 0, r.output
    ws = load_workbook(book).worksheets[0]
    heads = [c.value for c in ws[2]]
    for h in ("编号", "姓名", "身份证号码", "企业名称", "岗位名称", "反馈"):
        assert h in heads
    assert ws.data_validations.dataValidation[0].formula1 == '"愿意,不愿意,已上岗"'
    filled = _answer(book, {("甲", "电焊工"): "不愿意", ("癸", "焊工"): "已上岗", ("庚", "砌筑工"): "愿意"})
    rec = cli.json("match", "record", str(filled))
    assert (rec["recorded"], rec["unchanged"], rec["problems"]) == (3, 0, [])
    assert cli.json("match", "record", str(filled))["recorded"] == 0  # twice: nothing changes
    jobs = _by_job(cli.json("match", "--as-of", D))
    # J1 is filled by 癸 (已上岗): no longer open. 甲 refused J5; 癸 is placed: J5 takes 丙,
    # then the 3-point ties by household 乙 (H002), 戊 (H004).
    assert "焊工" not in jobs
    assert jobs["电焊工"] == [("丙", 4.0), ("乙", 3.0), ("戊", 3.0)]
    listed = {x["job"]: x for x in cli.json("demand", "--as-of", D)["rows"]}
    assert (listed["焊工"]["placed"], listed["焊工"]["fill_rate"], listed["焊工"]["open"]) == (1, 1.0, False)


# Points of printed width a column unit takes at 100 % in the house font's 11 pt, in
# LibreOffice (measured on a render; Excel's and WPS's 等线 unit is narrower, so prints larger).
UNIT_PT = 7.0


def _hidden(ws: Any, column: int) -> bool:
    """Whether a column is hidden (openpyxl files a run of like columns under its first)."""
    return any(d.hidden for d in ws.column_dimensions.values() if d.min <= column <= d.max)


def test_the_printed_list_is_landscape_fitted_to_width_in_nine_point_type_and_top_aligned(
    cli: Cli, tmp_path: Path
) -> None:
    _setup(cli, tmp_path)
    book = tmp_path / "送岗.xlsx"
    assert cli("match", "--as-of", D, "--export", str(book)).exit_code == 0
    ws = load_workbook(book).worksheets[0]
    ps = ws.page_setup
    assert (ps.orientation, int(ps.paperSize), int(ps.fitToWidth), int(ps.fitToHeight)) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$2"
    col = {c.value: c.column for c in ws[2]}
    # The columns `match record` reads and the officer checks are in the workbook; the
    # proposal id is hidden (not on paper), the person, the job and 反馈 are printed.
    assert _hidden(ws, col["编号"])
    for name in ("姓名", "身份证号码", "企业名称", "岗位名称", "推荐理由", "反馈"):
        assert not _hidden(ws, col[name]), name
    # Fitted to the page's width, the 11-pt body prints at 9 pt or more.
    units = sum(ws.column_dimensions[c.column_letter].width for c in ws[2] if not _hidden(ws, c.column))
    printable = (297 / 25.4 - ws.page_margins.left - ws.page_margins.right) * 72
    body = [row for row in ws.iter_rows(min_row=3) if row[0].value]
    assert len(body) == 8
    size = min(c.font.sz for row in body for c in row)
    assert size >= 11 and size * min(1.0, printable / (units * UNIT_PT)) >= 9
    # Every cell of a row stands at its top, and the row is as tall as its longest cell's lines.
    assert {c.alignment.vertical for row in body for c in row} == {"top"}
    for row in body:
        lines = max(str(c.value).count("\n") + 1 for c in row if c.alignment.wrap_text)
        assert (ws.row_dimensions[row[0].row].height or 15) >= 15 * lines
    jobs = {row[col["岗位名称"] - 1].value: row[col["地点、待遇、联系人"] - 1].value for row in body}
    assert "月薪" in jobs["焊工"] and jobs["焊工"].count("\n") >= 1


def test_record_errors_record_nothing(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    book = tmp_path / "送岗.xlsx"
    cli("match", "--as-of", D, "--export", str(book))
    bad = _answer(book, {("甲", "电焊工"): "不愿意", ("癸", "焊工"): "去了"})
    r = cli("match", "record", str(bad), "--format", "json")
    assert r.exit_code == 1
    data = __import__("json").loads(r.stdout)
    assert data["recorded"] == 0 and [p["code"] for p in data["problems"]] == ["match-answer-unknown"]
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    col = {c.value: c.column for c in ws[2]}
    ws.cell(row=3, column=col["编号"], value="P00000000000")
    ws.cell(row=3, column=col["反馈"], value="愿意")
    wb.save(tmp_path / "forged.xlsx")
    data = cli.json("match", "record", str(tmp_path / "forged.xlsx"))
    assert [p["code"] for p in data["problems"]] == ["match-proposal-unknown"] and data["recorded"] == 0
    assert len(_by_job(cli.json("match", "--as-of", D))["电焊工"]) == 3  # 甲's 不愿意 was not kept


def test_placement_from_a_later_sheet(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    cli("match", "--as-of", D, "--export", str(tmp_path / "送岗.xlsx"))
    dec = tmp_path / "dec"
    dec.mkdir()
    r = cli("import", str(write_village(dec, "2026-12", c_employer=f"{WELD}宁海分厂", c_status="县外务工")))
    assert r.exit_code == 0, r.output
    listed = {x["job"]: x for x in cli.json("demand", "--as-of", "2026-12-31")["rows"]}
    assert (listed["电焊工"]["placed"], listed["电焊工"]["placed_from_sheet"]) == (1, 1)
    assert listed["焊工"]["placed"] == 0  # 丙 was proposed there too, but 昆明城投 is not named


def test_export_to_folder_one_book_per_village(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    out = tmp_path / "lists"
    r = cli("match", "--as-of", D, "--export", str(out))
    assert r.exit_code == 0, r.output
    assert [p.name for p in out.iterdir()] == [f"送岗到户_甲镇_一村_{D}.xlsx"]


@pytest.mark.parametrize("village", ["一村", "甲镇/一村", "二村"])
def test_village_option(cli: Cli, tmp_path: Path, village: str) -> None:
    _setup(cli, tmp_path)
    n = len(cli.json("match", "--as-of", D, "--village", village)["proposals"])
    assert n == (0 if village == "二村" else 8)


def test_a_candidate_trained_in_the_jobs_trade_gets_its_points_and_reason(cli: Cli, tmp_path: Path) -> None:
    from tests.sheets import make_id
    from tests.test_training import _rec, _roster

    _setup(cli, tmp_path)
    # 己 (喷涂喷焊工: only the same 中类 as 焊工) finished a 焊工 course in October.
    roster = _roster(
        tmp_path / "培训花名册.xlsx",
        [
            _rec(
                "己",
                "职业技能培训",
                "2026-09-01",
                "2026-10-15",
                trade="焊工",
                id_number=make_id(dt.date(1996, 2, 2), 6),
            )
        ],
    )
    r = cli("training", "import", str(roster))
    assert r.exit_code == 0, r.output
    data = cli.json("match", "--as-of", D)
    jobs = _by_job(data)
    # 己: same 中类 1 + trained in the trade 2 + zero-employment household 2 = 5, ahead of 丙's 4.
    assert jobs["焊工"] == [("甲", 7.0), ("癸", 6.0), ("己", 5.0)]
    reasons = {(p["job"], p["person"]["name"]): p["reasons"] for p in data["proposals"]}
    assert any("受过该工种培训" in x for x in reasons[("焊工", "己")])
    assert not any("受过该工种培训" in x for x in reasons[("焊工", "甲")])
