"""Leaders, subsidy lines and the payment ledger (docs/programmes.md "Leaders and
organisers", "Subsidies and awards"), hand-computed, through the CLI, on SQLite and
PostgreSQL. docs/json.md#leaders, #subsidy, #subsidy-record.

One village, four month ends of 2026 (D = 2026-04-30), everyone first observed in January:

- 甲 (seq 1): 县外务工 Jan-Apr from 2026-01-10 (given), organiser 张　明 (a full-width
  space; the leader is registered as 张 明): reaches 3 months on 04-10, qualifying 04-30.
  Income 1,250 a month in a one-person household: 5,000 per capita.
- 乙 (seq 2): from 2026-02-20 (after January at home): 2 months by D, no line.
- 丙 (seq 3): from 2025-12-01, organiser ＡＢ合作社 (full-width): reaches 3 months on
  2026-03-01; not counted for the leader (start not in 2026). Income 1,249.75: 4,999.
- 丁 (seq 4): from 2026-01-05, organiser 驻宁波工作站, not registered: held.
- 戊 (seq 5): no 务工开始时间 at their first observation: start unknown, held, not counted.
- 己 (seq 6): an ID with a wrong check digit: held (unverified); counted for 张 明.
- 庚 (seq 7): not poor: no placement line; counted for 张 明 (not among the poor).
- 辛 (seq 8): organised, nobody named: held (unnamed).
So 张 明 organised 甲, 乙, 己 and 庚 in 2026 (4 people, 3 poor; 戊 not counted).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from laborcli.cli.app import main
from laborcli.registry import tables
from tests.conftest import Cli
from tests.sheets import HEADER, make_id, person, write_xlsx

RULES = ("organised_placement", "household_income_award", "leader_award")
BORN = dt.date(1990, 5, 1)
MONTHS = {"01": "2026-01-31", "02": "2026-02-28", "03": "2026-03-31", "04": "2026-04-30"}
D = "2026-04-30"
BAD_ID = make_id(BORN, 6)[:-1] + ("0" if make_id(BORN, 6)[-1] != "0" else "1")


def _row(name: str, seq: int, m: str, **kw: Any) -> dict[str, object]:
    organiser = kw.pop("organiser", "")
    row = person(name, BORN, seq=seq, household=f"H{seq:03d}", poor=kw.pop("poor", "是"), **kw)
    row[HEADER["organiser"]] = organiser
    return row


def _month(m: str, april_home: bool = False) -> list[dict[str, object]]:
    out = "县外务工"
    zm = "张\u3000明"
    rows = [
        _row(
            "甲",
            1,
            m,
            status="务农" if april_home and m == "04" else out,
            organised="是",
            organiser=zm,
            job_start="2026-01-10",
            income=1250,
        ),
        _row(
            "乙",
            2,
            m,
            status="务农" if m == "01" else out,
            organised="是",
            organiser=zm,
            job_start="2026-02-20",
        ),
        _row("丙", 3, m, organised="是", organiser="ＡＢ合作社", job_start="2025-12-01", income=1249.75),
        _row("丁", 4, m, organised="是", organiser="驻宁波工作站", job_start="2026-01-05"),
        _row("戊", 5, m, organised="是", organiser=zm),
        _row("己", 6, m, organised="是", organiser=zm, job_start="2026-01-05", id_number=BAD_ID),
        _row("庚", 7, m, organised="是", organiser=zm, job_start="2026-01-05", poor="否"),
        _row("辛", 8, m, organised="是", organiser="", job_start="2026-01-05"),
    ]
    return rows


def _leaders_file(tmp: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某县带头能人数据库"])
    ws.append(["名称", "类型", "身份证号", "联系电话", "备注"])
    ws.append(["张 明", "带头能人", make_id(dt.date(1980, 1, 1), 9), "13800001111", ""])
    ws.append(["AB合作社", "合作社", "", "", ""])
    ws.append(["", "劳务经纪人", "", "", "姓名漏填"])
    p = tmp / "带头能人数据库.xlsx"
    wb.save(p)
    return p


def _county(cli: Cli, tmp: Path) -> None:
    for m, end in MONTHS.items():
        f = write_xlsx(tmp / f"甲镇_一村_2026-{m}.xlsx", _month(m))
        assert cli("import", str(f), "--as-of", end).exit_code == 0
    r = cli.json("leaders", "import", str(_leaders_file(tmp)))
    assert r["files"][0]["status"] == "imported" and r["files"][0]["rows_rejected"] == 1


def _lines(cli: Cli, *extra: str) -> dict[str, dict[str, Any]]:
    doc = cli.json("subsidy", "--year", "2026", "--as-of", D, *extra)
    return {f"{ln['rule']}:{(ln['person'] or {}).get('name') or ln['payee']}": ln for ln in doc["lines"]}


def test_leaders_registry_and_people_organised(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    again = cli.json("leaders", "import", str(tmp_path / "带头能人数据库.xlsx"))
    assert again["files"][0]["status"] == "unchanged"
    doc = cli.json("leaders", "--year", "2026", "--as-of", D)
    rows = {r["name"]: (r["people_organised"], r["poor_people_organised"]) for r in doc["rows"]}
    # 张 明: 甲, 乙, 己, 庚 (戊: start unknown, not counted); 庚 is not poor
    assert rows == {"张 明": (4, 3), "AB合作社": (0, 0)}
    assert doc["unmatched"] == [{"organiser": "驻宁波工作站", "people": 1, "poor_people": 1}]


def test_leaders_and_subsidy_on_a_registry_without_sheets(cli: Cli) -> None:
    """No sheet yet: no observation dates, no spells, no lines (and no malformed SQL)."""
    assert cli.json("leaders", "--year", "2026", "--as-of", D) == {
        "year": 2026,
        "as_of": D,
        "rows": [],
        "unmatched": [],
    }
    doc = cli.json("subsidy", "--year", "2026", "--as-of", D)
    assert doc["lines"] == [] and doc["totals"]["due"] == 0


def test_subsidy_lines_statuses_and_explanations(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    got = _lines(cli)
    placement = {k.split(":")[1]: v for k, v in got.items() if k.startswith("organised_placement")}
    assert {k: (v["status"], v["payee"], v["amount"]) for k, v in placement.items()} == {
        "甲": ("due", "张 明", 200),
        "丙": ("due", "AB合作社", 200),
        "丁": ("held", "驻宁波工作站", 200),
        "戊": ("held", "张 明", 200),
        "己": ("held", "张 明", 200),
        "辛": ("held", "", 200),
    }
    assert "2026-04-10" in placement["甲"]["explanation"] and "张\u3000明" not in placement["甲"]["line_id"]
    assert "务工开始时间" in placement["戊"]["explanation"]
    assert "未核验" in placement["己"]["explanation"]
    assert placement["甲"]["sources"][0]["row"] == 2
    assert make_id(BORN, 1) not in placement["甲"]["line_id"]
    assert placement["甲"]["person"]["id_number"].count("*") == 8  # masked
    income = {k: v for k, v in got.items() if k.startswith("household_income_award")}
    # 甲: 4 x 1,250 = 5,000 per capita (due); 丙: 4 x 1,249.75 = 4,999 (none)
    assert (
        list(income) == ["household_income_award:甲"]
        and income["household_income_award:甲"]["amount"] == 1000
    )
    assert not any(k.startswith("leader_award") for k in got)  # 4 people < 30
    why = cli.json("subsidy", "--person", make_id(BORN, 3), "--as-of", D, "--year", "2026")
    rules = {r["rule"]: r for r in why["rules"]}
    assert rules["organised_placement"]["applies"]
    assert not rules["household_income_award"]["applies"] and "4999" in rules["household_income_award"]["why"]
    why = cli.json("subsidy", "--person", make_id(BORN, 2), "--as-of", D, "--year", "2026")
    assert "未满 3 个月" in why["rules"][0]["why"]


def test_a_county_variant_amount_months_and_tiers(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    pol = tmp_path / "county.toml"
    pol.write_text(
        "[subsidies.organised_placement]\nyuan = 300\nmin_months = 4\n"
        "[subsidies.leader_award]\ntiers = [{people = 3, yuan = 500}, {people = 4, yuan = 900}]\n",
        encoding="utf-8",
    )
    doc = cli.json("--policy", str(pol), "subsidy", "--year", "2026", "--as-of", D)
    placed = {
        ln["person"]["name"]: ln["amount"] for ln in doc["lines"] if ln["rule"] == "organised_placement"
    }
    # 4 months: only 丙 (from 2025-12-01, 4 months on 2026-04-01)
    assert placed == {"丙": 300}
    leader = [ln for ln in doc["lines"] if ln["rule"] == "leader_award"]
    assert [(ln["payee"], ln["amount"], ln["status"]) for ln in leader] == [("张 明", 900, "due")]


def _returned(export: Path, out: Path, marks: dict[str, tuple[str, object]], reverse: bool = True) -> Path:
    """Finance's copy: rows sorted the other way, a column added, marks by 编号."""
    wb = load_workbook(export)
    ws = wb.worksheets[0]
    head = next(i for i, r in enumerate(ws.iter_rows(values_only=True), start=1) if r[0] == "编号")
    headers = [c.value for c in ws[head]]
    body = [list(r) for r in ws.iter_rows(min_row=head + 1, values_only=True)]
    if reverse:
        body.reverse()
    new = Workbook()
    nws = new.active
    assert nws is not None
    nws.append(["财务备注", *headers])
    for r in body:
        lid = r[0]
        if lid in marks:
            r[headers.index("发放状态")], r[headers.index("发放日期")] = marks[lid]
        nws.append(["", *r])
    new.save(out)
    return out


def test_ledger_record_twice_tampered_and_review(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    got = _lines(cli)
    a, c, held = got["organised_placement:甲"], got["organised_placement:丙"], got["organised_placement:丁"]
    export = tmp_path / "补贴发放表.xlsx"
    assert cli("subsidy", "--year", "2026", "--as-of", D, "--export", str(export)).exit_code == 0
    ret = _returned(
        export,
        tmp_path / "returned.xlsx",
        {a["line_id"]: ("已发放", dt.date(2026, 5, 8)), c["line_id"]: ("不予发放", None)},
    )
    first = cli.json("subsidy", "record", str(ret))
    assert (first["recorded"], first["unchanged"], first["problems"]) == (2, 0, [])
    second = cli.json("subsidy", "record", str(ret))
    assert (second["recorded"], second["unchanged"]) == (0, 2)
    after = _lines(cli)
    assert after["organised_placement:甲"]["status"] == "paid"
    assert after["organised_placement:丙"]["status"] == "refused"
    doc = cli.json("subsidy", "--year", "2026", "--as-of", D)
    assert doc["totals"]["paid"] == 1 and doc["totals"]["amount_paid"] == 200
    # tampered: an unknown 编号, 已发放 on a held line, a bad date: nothing recorded
    bad = _returned(
        export,
        tmp_path / "bad.xlsx",
        {
            got["household_income_award:甲"]["line_id"]: ("已发放", "2026-13-01"),
            held["line_id"]: ("已发放", dt.date(2026, 5, 8)),
        },
    )
    wb = load_workbook(bad)
    wb.worksheets[0].append(
        [
            "",
            "ZZ-2026-000000000000",
            "x",
            2026,
            "",
            "",
            "",
            "",
            "",
            "",
            200,
            "",
            "",
            "已发放",
            dt.date(2026, 5, 8),
        ]
    )
    wb.save(bad)
    r = cli("subsidy", "record", str(bad), "--format", "json")
    assert r.exit_code == 1
    import json

    rej = json.loads(r.stdout)
    assert rej["recorded"] == 0
    assert {p["code"] for p in rej["problems"]} == {
        "ledger-line-unknown",
        "ledger-paid-held",
        "ledger-date-invalid",
    }
    assert _lines(cli)["household_income_award:甲"]["status"] == "due"
    # a corrected April sheet: 甲 at home in April, the spell ends 03-31 before 3 months
    f = write_xlsx(tmp_path / "甲镇_一村_2026-04.xlsx", _month("04", april_home=True))
    assert cli("import", str(f), "--as-of", MONTHS["04"]).exit_code == 0
    review = cli.json("subsidy", "--year", "2026", "--as-of", D)
    mine = [ln for ln in review["lines"] if ln["line_id"] == a["line_id"]]
    assert [(ln["status"], ln["amount"]) for ln in mine] == [("review", 200)]
    assert review["totals"]["review"] == 1


@pytest.mark.parametrize("kind", ["leaders"])
def test_template_of_the_leaders_kind(cli: Cli, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "t.xlsx"
    assert cli("template", "--kind", kind, "-o", str(out)).exit_code == 0
    ws = load_workbook(out).worksheets[0]
    assert "姓名" in [c.value for row in ws.iter_rows(max_row=3) for c in row]


def _subsidy_sheet(path: Path) -> dict[tuple[str, str], tuple[object, ...]]:
    ws = load_workbook(path)["补贴"]
    head = next(i for i, r in enumerate(ws.iter_rows(values_only=True), start=1) if r[0] == "补贴类别")
    assert [c.value for c in ws[head]][2:] == [
        "待发放 笔数",
        "待发放 金额(元)",
        "已发放 笔数",
        "已发放 金额(元)",
        "其中待复核 笔数",
        "暂缓 笔数",
        "暂缓 金额(元)",
        "不予发放 笔数",
    ]
    body = ws.iter_rows(min_row=head + 1, values_only=True)
    return {(r[0], r[1]): tuple(r[2:]) for r in body if r[0] and not str(r[0]).startswith("审核人")}


def test_the_report_has_a_subsidy_sheet_of_due_paid_and_held_by_rule_and_township(
    cli: Cli, tmp_path: Path
) -> None:
    _county(cli, tmp_path)
    got = _lines(cli)
    export = tmp_path / "补贴发放表.xlsx"
    assert cli("subsidy", "--year", "2026", "--as-of", D, "--export", str(export)).exit_code == 0
    paid = {
        got["organised_placement:甲"]["line_id"]: ("已发放", dt.date(2026, 5, 8)),
        got["organised_placement:丙"]["line_id"]: ("不予发放", None),
    }
    assert cli.json("subsidy", "record", str(_returned(export, tmp_path / "r.xlsx", paid)))["recorded"] == 2
    out = tmp_path / "月报.xlsx"
    assert cli("export", "report", "--as-of", D, "-o", str(out)).exit_code == 0
    # 组织跟踪服务补贴: 甲 paid, 丙 refused, 丁 戊 己 辛 held (4 x 200); 劳务收入奖励: 甲's household
    # due; no leader reaches 30 people, and the row is there with zeros.
    assert _subsidy_sheet(out) == {
        ("组织跟踪服务补贴", "甲镇"): (0, 0, 1, 200, 0, 4, 800, 1),
        ("组织跟踪服务补贴", "小计"): (0, 0, 1, 200, 0, 4, 800, 1),
        ("劳务收入奖励", "甲镇"): (1, 1000, 0, 0, 0, 0, 0, 0),
        ("劳务收入奖励", "小计"): (1, 1000, 0, 0, 0, 0, 0, 0),
        ("带头人奖励", "甲镇"): (0, 0, 0, 0, 0, 0, 0, 0),
        ("带头人奖励", "小计"): (0, 0, 0, 0, 0, 0, 0, 0),
        ("合计", None): (1, 1000, 1, 200, 0, 4, 800, 1),
    }
    # One township's report shows its own rows; a county with no rule on has no sheet.
    split = tmp_path / "split"
    assert cli("export", "report", "--as-of", D, "--split-by", "township", "-o", str(split)).exit_code == 0
    assert _subsidy_sheet(split / "月报_甲镇.xlsx")[("合计", None)] == (1, 1000, 1, 200, 0, 4, 800, 1)
    pol = tmp_path / "off.toml"
    pol.write_text(
        "".join(f"[subsidies.{r}]\nenabled = false\n" for r in RULES),
        encoding="utf-8",
    )
    off = tmp_path / "off.xlsx"
    assert cli("--policy", str(pol), "export", "report", "--as-of", D, "-o", str(off)).exit_code == 0
    assert "补贴" not in load_workbook(off).sheetnames


def test_people_purge_keeps_paid_ledger_lines_with_the_person_masked_and_says_so(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _county(cli, tmp_path)
    got = _lines(cli)
    placed, award = got["organised_placement:甲"], got["household_income_award:甲"]
    export = tmp_path / "补贴发放表.xlsx"
    assert cli("subsidy", "--year", "2026", "--as-of", D, "--export", str(export)).exit_code == 0
    paid = {placed["line_id"]: ("已发放", dt.date(2026, 5, 8))}
    assert cli.json("subsidy", "record", str(_returned(export, tmp_path / "r.xlsx", paid)))["recorded"] == 1
    capsys.readouterr()
    assert main(["--db", cli.db, "people", "purge", make_id(BORN, 1), "--yes"]) == 0
    said = capsys.readouterr().err
    assert "已删除 4 行" in said and "补贴台账保留 1 笔" in said and "已发放 1 笔" in said, said
    doc = cli.json("subsidy", "--year", "2026", "--as-of", D)
    mine = [ln for ln in doc["lines"] if ln["line_id"] == placed["line_id"]]
    # Still paid (never offered again), 200 yuan, its date; the person masked out.
    assert [(ln["status"], ln["amount"], ln["person"]) for ln in mine] == [
        ("paid", 200, {"name": "(已删除)", "id_number": ""})
    ]
    assert "people purge" in mine[0]["explanation"] and "2026-05-08" in mine[0]["explanation"]
    assert doc["totals"]["paid"] == 1 and doc["totals"]["review"] == 0
    assert award["line_id"] not in {ln["line_id"] for ln in doc["lines"]}  # no longer computed
    # Nothing of him is left in the ledger's tables: not his ID, not his name.
    eng = sa.create_engine(cli.db if "://" in cli.db else f"sqlite:///{cli.db}")
    with eng.connect() as c:
        for t in (tables.ledger, tables.subsidy_lines):
            for r in c.execute(sa.select(t)):
                text = " ".join(str(v) for v in r)
                assert make_id(BORN, 1) not in text and "甲 " not in text, (t.name, text)
        kept = c.execute(sa.select(tables.ledger)).one()
        exported = {r.line_id for r in c.execute(sa.select(tables.subsidy_lines.c.line_id))}
    eng.dispose()
    assert (kept.line_id, kept.person_name, kept.id_number, kept.paid_on) == (
        placed["line_id"],
        "(已删除)",
        None,
        dt.date(2026, 5, 8),
    )
    # The award of his household (he was its 户主) stays exported, masked: finance may still
    # pay it from the workbook it holds, and that must be recordable.
    assert {award["line_id"], got["organised_placement:丙"]["line_id"]} <= exported
    # The same returned workbook recorded again changes nothing.
    again = cli.json("subsidy", "record", str(tmp_path / "r.xlsx"))
    assert (again["recorded"], again["unchanged"], again["problems"]) == (0, 1, [])


def test_an_implausible_monthly_income_is_unknown_for_the_household_income_award(
    cli: Cli, tmp_path: Path
) -> None:
    # Two poor households of one, at 1,250 a month but 150,000 typed for March. 一村 is
    # imported under the default policy, whose plausible maximum is 100,000: March is
    # unknown (a warning, not a rejected row) and counts as 0, so the year is 3 x 1,250 =
    # 3,750 per capita, short of 5,000. 二村 is imported and computed under a county policy
    # that believes up to 200,000: March makes 153,750 and the award is due.
    pol = tmp_path / "county.toml"
    pol.write_text("[income]\nmax_monthly_yuan = 200000\n", encoding="utf-8")
    for m, end in MONTHS.items():
        income = 150000 if m == "03" else 1250
        one = write_xlsx(
            tmp_path / f"甲镇_一村_2026-{m}.xlsx", [_row("甲", 1, m, job_start="2026-01-10", income=income)]
        )
        r = cli.json("import", str(one), "--as-of", end)
        assert r["files"][0]["rows_rejected"] == 0
        assert any(p["code"] == "income-implausible" for p in r["files"][0]["problems"]) == (m == "03")
        row = _row("乙", 2, m, village="二村", job_start="2026-01-10", income=income)
        two = write_xlsx(tmp_path / f"甲镇_二村_2026-{m}.xlsx", [row])
        assert cli.json("--policy", str(pol), "import", str(two), "--as-of", end)["files"][0]["warnings"] == 0
    doc = cli.json("subsidy", "--year", "2026", "--as-of", D, "--rule", "household_income_award")
    assert doc["lines"] == []  # 二村's 150,000 is above the default maximum when computed, too
    why = cli.json("subsidy", "--person", make_id(BORN, 1), "--as-of", D, "--year", "2026")
    award = {r["rule"]: r for r in why["rules"]}["household_income_award"]
    assert not award["applies"]
    assert "3750" in award["why"] and "未知收入的月份 1 个" in award["why"], award["why"]
    doc = cli.json("--policy", str(pol), "subsidy", "--year", "2026", "--as-of", D)
    lines = [ln for ln in doc["lines"] if ln["rule"] == "household_income_award"]
    assert [(ln["village"], ln["status"], ln["amount"]) for ln in lines] == [("二村", "due", 1000)]
    assert "153750" in lines[0]["explanation"] and "未知收入的月份 0 个" in lines[0]["explanation"]


def test_the_payment_workbook_is_grouped_by_rule_print_ready_with_no_dropdown_on_held_lines(
    cli: Cli, tmp_path: Path
) -> None:
    _county(cli, tmp_path)
    export = tmp_path / "补贴发放表.xlsx"
    assert cli("subsidy", "--year", "2026", "--as-of", D, "--export", str(export)).exit_code == 0
    ws = load_workbook(export).worksheets[0]
    head = next(i for i, r in enumerate(ws.iter_rows(values_only=True), start=1) if r[0] == "编号")
    headers = [c.value for c in ws[head]]
    body = list(ws.iter_rows(min_row=head + 1, values_only=True))
    rules = [r[headers.index("补贴类别")] for r in body]
    # 6 placements (甲 丙 due; 丁 戊 己 辛 held), then 甲's household award; a page break between.
    assert rules == ["组织跟踪服务补贴"] * 6 + ["劳务收入奖励"]
    assert [b.id for b in ws.row_breaks.brk] == [head + 6]
    (dv,) = ws.data_validations.dataValidation
    assert dv.formula1 == '"已发放,不予发放"'
    status = headers.index("核定状态")
    letter = ws.cell(row=head, column=headers.index("发放状态") + 1).column_letter
    held = {f"{letter}{head + 1 + k}" for k, r in enumerate(body) if r[status] == "暂缓"}
    rows = {f"{letter}{head + 1 + k}" for k in range(len(body))}
    offered = {c for c in rows if c in dv.sqref}
    assert len(held) == 4 and not held & offered and len(offered) == 3
    # Print-ready: A4 landscape, one page wide, the head on every page, the 说明 wrapped and
    # each row as tall as its explanation needs.
    ps = ws.page_setup
    assert ps.orientation == "landscape" and int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0
    assert ws.print_title_rows == f"$1:${head}"
    say = headers.index("说明") + 1
    assert all(ws.cell(row=head + 1 + k, column=say).alignment.wrap_text for k in range(len(body)))
    assert all(ws.row_dimensions[head + 1 + k].height >= 36 for k in range(len(body)))
