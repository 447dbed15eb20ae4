"""Training rosters (培训花名册) and what they led to (docs/programmes.md "Training"), each
case computed by hand, through the CLI, on SQLite and PostgreSQL.

The county: one village, 甲镇一村, with sheets for January to June 2026, and a roster of
eleven records ending 31 January (window to 30 April), 31 March (to 30 June) and 31 May
(still open at 30 June), judged as of 30 June 2026.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from laborcli.cli.app import main
from laborcli.sheets.schema import load_schema
from laborcli.training.companies import names_company
from tests.conftest import Cli
from tests.sheets import HEADER, make_id, person, write_xlsx

T_HEADER = {c.key: c.header for c in load_schema(kind="training").columns}
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
AS_OF = "2026-06-30"
ORDER = "贵州华丽鞋业有限公司"

# name, birth, seq, statuses Jan..Jun (T: 县外务工, N: 务农), 就业单位 when transferred
VILLAGERS: list[tuple[str, dt.date, int, str, str]] = [
    ("王一", dt.date(1990, 1, 1), 1, "NNNTTT", ""),  # A: first transferred 30 April
    ("李二", dt.date(1990, 2, 2), 2, "NNNNTT", ""),  # B: first transferred 31 May
    ("孙三", dt.date(1990, 3, 3), 3, "TNNNNN", ""),  # C: transferred on 结束日期 only
    ("周四", dt.date(1990, 4, 4), 4, "NNNNTT", ""),  # D: trained twice
    ("吴五", dt.date(1990, 5, 5), 5, "NNTTTT", "贵州华丽鞋业有限公司毕节分厂"),  # E: order employer
    ("郑六", dt.date(1990, 6, 6), 6, "NTTTTT", "浙江宁波某电子厂"),  # F: elsewhere
    ("赵刚", dt.date(1985, 3, 3), 7, "NTTTTT", ""),  # G: record without ID
    ("张丽", dt.date(1991, 7, 7), 8, "TTTTTT", ""),  # H: a homophone's record, for review
    ("冯九", dt.date(1990, 9, 9), 9, "NNNNNT", ""),  # J: window still open
]


def _id(name: str) -> str:
    for n, birth, seq, _, _ in VILLAGERS:
        if n == name:
            return make_id(birth, seq)
    raise KeyError(name)


def _villages(cli: Cli, tmp: Path) -> None:
    """Import the village's six monthly sheets."""
    for m, month in enumerate(MONTHS):
        people = []
        for name, birth, seq, statuses, employer in VILLAGERS:
            t = statuses[m] == "T"
            p = person(name, birth, seq=seq, household=f"H{seq:03d}", status="县外务工" if t else "务农")
            p[HEADER["employer"]] = employer if t else ""
            people.append(p)
        f = write_xlsx(tmp / f"甲镇_一村_{month}.xlsx", people)
        r = cli("import", str(f))
        assert r.exit_code == 0, r.output


def _rec(name: str, kind: str, start: object, end: object, **kw: Any) -> dict[str, object]:
    by_key: dict[str, object] = {
        "name": name,
        "id_number": kw.get("id_number", ""),
        "township": kw.get("township", "甲镇"),
        "village": kw.get("village", "一村"),
        "course_type": kind,
        "trade": kw.get("trade", "电焊"),
        "institution": kw.get("institution", "县职业技术学校"),
        "start_date": start,
        "end_date": end,
        "certificate": kw.get("certificate", "否"),
        "order_employer": kw.get("order", ""),
        "birth_date": kw.get("birth", ""),
        "phone": kw.get("phone", ""),
    }
    return {T_HEADER[k]: v for k, v in by_key.items()}


def _roster(path: Path, records: Sequence[dict[str, object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    headers = list(T_HEADER.values())
    ws.append(headers)
    for r in records:
        ws.append([r.get(h, "") for h in headers])
    wb.save(path)
    return path


def _records() -> list[dict[str, object]]:
    jan = ("2026-01-05", "2026-01-31")
    return [
        _rec("王一", "职业技能培训", *jan, id_number=_id("王一"), certificate="是"),
        _rec("李二", "职业技能培训", *jan, id_number=_id("李二")),
        _rec("孙三", "特色工种培训", *jan, id_number=_id("孙三")),
        _rec("周四", "实用技术", *jan, id_number=_id("周四")),  # an alias
        _rec("周四", "技能培训", "2026-03-01", "2026-03-31", id_number=_id("周四")),
        _rec("吴五", "订单培训", *jan, id_number=_id("吴五"), order=ORDER, certificate="是"),
        _rec("郑六", "定向培训", *jan, id_number=_id("郑六"), order=ORDER),
        _rec("赵刚", "职业技能培训", *jan, birth="1985-03-03"),  # no ID: name + birth date
        _rec("张莉", "职业技能培训", *jan, birth="1991-07-07"),  # homophone: for review
        _rec("钱多多", "特色工种培训", *jan, birth="1970-01-01"),  # nobody: unlinked
        _rec("冯九", "岗前军训式培训", "2026-05-10", "2026-05-31", id_number=_id("冯九")),
    ]


@pytest.fixture
def county(cli: Cli, tmp_path: Path) -> Path:
    _villages(cli, tmp_path)
    f = _roster(tmp_path / "培训花名册_2026.xlsx", _records())
    r = cli("training", "import", str(f))
    assert r.exit_code == 0, r.output
    return f


def _rows(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in doc["rows"]}


def test_training_by_type_hand_computed(cli: Cli, county: Path) -> None:
    doc = cli.json("training", "--year", "2026", "--as-of", AS_OF, "--by", "type")
    assert (doc["year"], doc["as_of"], doc["by"], doc["months"]) == (2026, AS_OF, "type", 3)
    rows = _rows(doc)
    assert list(rows) == ["特色工种培训", "职业技能培训", "农村实用技术培训", "岗前培训"]
    skill = rows["职业技能培训"]
    # A (employed 30 April, the window's last month end), B (31 May: just outside),
    # D's second course (employed 31 May, inside its own window), G linked by name and
    # birth date (employed), H left for review (not linked, so not employed).
    assert skill == {
        "key": "职业技能培训",
        "persons": 5,
        "person_times": 5,
        "certificates": 1,
        "in_window": 0,
        "employed_after": 3,
        "employed_after_rate": 0.6,
        "order_records": 0,
        "placed_with_order_employer": 0,
        "placed_with_order_employer_rate": None,
    }
    # C transferred on 结束日期 itself (31 January) only: the window is open at its start.
    assert rows["特色工种培训"]["employed_after"] == 0
    assert rows["特色工种培训"]["employed_after_rate"] == 0.0
    # D's first course by its alias 实用技术: employed 31 May, after its window closed.
    assert (rows["农村实用技术培训"]["person_times"], rows["农村实用技术培训"]["employed_after"]) == (1, 0)
    pre = rows["岗前培训"]
    assert (pre["persons"], pre["person_times"], pre["in_window"]) == (3, 3, 1)
    assert (pre["employed_after"], pre["employed_after_rate"]) == (2, 1.0)
    assert (pre["order_records"], pre["placed_with_order_employer"]) == (2, 1)
    assert pre["placed_with_order_employer_rate"] == 0.5
    total = doc["total"]
    assert "key" not in total
    # D is one person over two person-times.
    assert (total["persons"], total["person_times"], total["certificates"]) == (10, 11, 2)
    assert (total["in_window"], total["employed_after"], total["employed_after_rate"]) == (1, 5, 0.5)
    assert (total["order_records"], total["placed_with_order_employer"]) == (2, 1)
    assert doc["links"] == {"id": 8, "evidence": 1, "decided": 0, "review": 1, "unlinked": 1}
    assert [r["name"] for r in doc["review"]] == ["张莉"]
    assert [c["name"] for c in doc["review"][0]["candidates"]] == ["张丽"]
    assert "*" in doc["review"][0]["candidates"][0]["id_number"]  # masked
    assert [r["name"] for r in doc["unlinked"]] == ["钱多多"]


def test_window_moves_with_as_of_and_policy(cli: Cli, county: Path, tmp_path: Path) -> None:
    # As of 31 March no January window has closed: all in window, no rate.
    doc = cli.json("training", "--year", "2026", "--as-of", "2026-03-31", "--by", "county")
    assert doc["total"]["in_window"] == doc["total"]["person_times"] == 10  # 冯九's course not ended
    assert doc["total"]["employed_after_rate"] is None
    # A window of 4 months takes in B's 31 May.
    pol = tmp_path / "policy.toml"
    pol.write_text("[training]\nwindow_months = 4\n", encoding="utf-8")
    r = cli(
        "--policy", str(pol), "training", "--as-of", "2026-06-30", "--by", "institution", "--format", "json"
    )
    assert r.exit_code == 0, r.output
    import json

    doc = json.loads(r.stdout)
    assert doc["months"] == 4
    # Closed by 30 June: the January records (to 31 May); D's March course (to 31 July) is open.
    assert doc["total"]["in_window"] == 2
    assert doc["rows"][0]["key"] == "县职业技术学校"


def test_reimport_and_cumulative_roster_add_nothing(cli: Cli, county: Path, tmp_path: Path) -> None:
    before = cli.json("training", "--as-of", AS_OF)["total"]
    again = cli.json("training", "import", str(county))
    assert again["files"][0]["status"] == "unchanged"
    assert again["totals"]["records_added"] == 0
    # A cumulative roster: every earlier record (certificate now obtained by 李二) and one new.
    recs = _records()
    recs[1] = _rec(
        "李二", "职业技能培训", "2026-01-05", "2026-01-31", id_number=_id("李二"), certificate="是"
    )
    recs.append(_rec("王一", "特色工种培训", "2026-02-01", "2026-02-20", id_number=_id("王一")))
    cum = cli.json("training", "import", str(_roster(tmp_path / "培训花名册_累计.xlsx", recs)))
    f = cum["files"][0]
    assert (f["status"], f["records_added"], f["records_repeated"]) == ("imported", 1, 11)
    after = cli.json("training", "--as-of", AS_OF)["total"]
    assert after["person_times"] == before["person_times"] + 1
    assert after["persons"] == before["persons"]
    assert after["certificates"] == before["certificates"] + 1


def test_bad_rows_rejected_others_kept(cli: Cli, tmp_path: Path) -> None:
    f = _roster(
        tmp_path / "培训花名册_错.xlsx",
        [
            _rec("甲", "职业技能培训", "2026-03-01", "2026-02-01", id_number=_id("王一")),  # reversed
            _rec("乙", "职业技能培训", "2026.13.01", "2026-03-01", id_number=_id("李二")),  # unreadable
            _rec("丙", "职业技能培训", "2026-01-01", "", id_number=_id("孙三")),  # no 结束日期
            _rec("丁", "电脑培训", "2026-01-01", "2026-01-09", id_number=_id("周四")),  # no such type
            _rec("", "职业技能培训", "2026-01-01", "2026-01-09"),  # no name
            _rec("戊", "职业技能培训", "2026-01-01", "2026-01-09", id_number=_id("吴五")),
            _rec("戊", "职业技能培训", "2026-01-01", "2026-01-09", id_number=_id("吴五")),  # repeated
        ],
    )
    r = cli("training", "import", str(f), "--format", "json")
    assert r.exit_code == 1
    import json

    doc = json.loads(r.stdout)
    rep = doc["files"][0]
    assert (rep["rows_read"], rep["rows_imported"], rep["rows_rejected"]) == (7, 2, 5)
    assert rep["records_added"] == 1
    codes = {(p["row"], p["code"]) for p in rep["problems"] if p["severity"] == "error"}
    assert codes == {
        (2, "training-dates-reversed"),
        (3, "date-unreadable"),
        (4, "value-missing"),
        (5, "training-type-unknown"),
        (6, "name-missing"),
    }
    assert (8, "training-repeated") in {(p["row"], p["code"]) for p in rep["problems"]}
    assert cli.json("training", "--year", "2026", "--as-of", AS_OF)["total"]["person_times"] == 1


def test_names_company() -> None:
    assert names_company("贵州华丽鞋业有限公司毕节分厂", ORDER)
    assert names_company(" 贵州华丽鞋业有限公司 ", "贵州华丽鞋业有限公司")
    assert not names_company("浙江宁波某电子厂", ORDER)
    assert not names_company("某厂分部", "某厂")  # a remainder under 4 characters names nothing
    assert names_company("某厂", "某厂")  # equal after normalisation


def test_review_decision_remembered_and_person_shows_training(cli: Cli, county: Path) -> None:
    doc = cli.json("training", "--as-of", AS_OF)
    rid = doc["review"][0]["record_id"]
    assert _id("张丽") not in rid
    r = cli("training", "link", rid, _id("张丽"))
    assert r.exit_code == 0, r.output
    doc = cli.json("training", "--as-of", AS_OF)
    assert doc["links"] == {"id": 8, "evidence": 1, "decided": 1, "review": 0, "unlinked": 1}
    # 张丽 is transferred every month: the linked record is employed after training.
    assert doc["total"]["employed_after"] == 6
    assert doc["total"]["persons"] == 10
    # ... and shows on her page, as G's evidence-linked record shows on his.
    page = cli.json("person", _id("张丽"), "--as-of", AS_OF)
    assert [(t["name"], t["link"], t["employed_after"]) for t in page["training"]["records"]] == [
        ("张莉", "decided", True)
    ]
    page = cli.json("person", _id("赵刚"), "--as-of", AS_OF)
    assert [(t["link"], t["employed_on"]) for t in page["training"]["records"]] == [
        ("evidence", "2026-02-28")
    ]
    # D: two records, each on its own window.
    page = cli.json("person", _id("周四"), "--as-of", AS_OF)
    assert [(t["course_type"], t["employed_after"]) for t in page["training"]["records"]] == [
        ("农村实用技术培训", False),
        ("职业技能培训", True),
    ]
    # Not this person after all: back to unlinked, and not proposed again.
    r = cli("training", "link", rid, _id("张丽"), "--different")
    assert r.exit_code == 0, r.output
    doc = cli.json("training", "--as-of", AS_OF)
    assert doc["links"] == {"id": 8, "evidence": 1, "decided": 0, "review": 0, "unlinked": 2}
    assert main(["--db", cli.db, "training", "link", "nosuchrecord", _id("张丽")]) == 2


def test_training_payment_facts_off_by_default_then_two_amounts(cli: Cli, county: Path) -> None:
    from laborcli.policy import DedupPolicy, TrainingPolicy
    from laborcli.registry import open_registry
    from laborcli.training.payment import trained_in, training_payment_facts

    d = dt.date(2026, 6, 30)
    reg = open_registry(cli.db)
    try:
        with reg.reading() as conn:
            assert list(training_payment_facts(conn, 2026, d, DedupPolicy(), TrainingPolicy(), 3)) == []
            on = TrainingPolicy(payment=True, payment_yuan={"职业技能培训": 1200, "岗前培训": 800})
            facts = list(training_payment_facts(conn, 2026, d, DedupPolicy(), on, 3))
            # E and F (岗前培训): spells from 31 March and 28 February, 3 and 4 months by
            # 30 June; G (linked by name and birth date): from 28 February. A's spell from
            # 30 April and D's from 31 May have not lasted 3 months; B's began after its window.
            got = sorted((f.record.name, f.amount, f.spell.start, f.held) for f in facts)
            assert got == [
                ("吴五", 800, dt.date(2026, 3, 31), None),
                ("赵刚", 1200, dt.date(2026, 2, 28), None),
                ("郑六", 800, dt.date(2026, 2, 28), None),
            ]
            assert all(f.institution == "县职业技术学校" for f in facts)
            assert len({f.subject for f in facts}) == 3
            assert "县职业技术学校" in facts[0].explanation()
            trained = trained_in(conn, {"id:" + _id("王一"), "id:" + _id("李二")}, ["电焊", "焊工"])
            assert set(trained) == {"id:" + _id("王一"), "id:" + _id("李二")}
            assert trained_in(conn, {"id:" + _id("王一")}, ["挖掘机"]) == {}
    finally:
        reg.close()


def test_template_and_annotated_copy_of_a_roster(cli_sqlite: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    blank = tmp_path / "培训花名册.xlsx"
    assert cli_sqlite("template", "--kind", "training", "-o", str(blank)).exit_code == 0
    ws = load_workbook(blank).worksheets[0]
    assert [c.value for c in ws[1]] == list(T_HEADER.values())
    dropdowns = [str(dv.formula1) for dv in ws.data_validations.dataValidation]
    assert len(dropdowns) == 2  # 培训类别 and 是否取得证书
    # Headers by alias, a course type by alias, and a bad row: the copy marks the cell.
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(["学员姓名", "身份证号", "培训类型", "培训单位", "开班日期", "结业日期", "订单单位"])
    sheet.append(["王一", _id("王一"), "技能培训", "县职校", "2026-03-01", "2026-02-01", ""])
    sheet.append(["李二", _id("李二"), "定向培训", "县职校", "2026-03-01", "2026-03-09", ORDER])
    src = tmp_path / "花名册.xlsx"
    wb.save(src)
    out = tmp_path / "批注"
    r = cli_sqlite("validate", "--kind", "training", str(src), "--annotate", str(out), "--format", "json")
    assert r.exit_code == 1
    import json

    rep = json.loads(r.stdout)["files"][0]
    assert (rep["rows_read"], rep["rows_rejected"]) == (2, 1)
    assert [p["code"] for p in rep["problems"] if p["severity"] == "error"] == ["training-dates-reversed"]
    copy = load_workbook(next(out.iterdir()))
    marked = [c for ws2 in copy.worksheets for row in ws2.iter_rows() for c in row if c.comment]
    assert any("结束日期早于开始日期" in (c.comment.text if c.comment else "") for c in marked)


def test_many_trained_persons_are_filtered_in_sql_alike(
    cli: Cli, county: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above a few thousand persons the keys go through a temporary table instead of the
    statement: the same figures."""
    import laborcli.training.figures as figures

    few = cli.json("training", "--as-of", AS_OF, "--by", "village")
    monkeypatch.setattr(figures, "_KEYS_IN_SQL", 0)
    many = cli.json("training", "--as-of", AS_OF, "--by", "village")
    assert many["rows"] == few["rows"] and many["total"] == few["total"]
    assert [r["key"] for r in few["rows"]] == ["甲镇/一村"]
    assert few["total"]["employed_after"] == 5


def test_review_workbook_decided_and_applied(cli: Cli, county: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "待核实.xlsx"
    r = cli("training", "--as-of", AS_OF, "--export-review", str(book))
    assert r.exit_code == 0, r.output
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert all(_id("张丽") not in str(v) for row in values for v in row)  # masked, and no token shows it
    names = [row[4] for row in values[1:]]
    assert names == ["张莉", "张丽"]
    candidate = next(i for i, row in enumerate(values, start=1) if row[4] == "张丽")
    # A token typed over: refused, nothing recorded.
    token = ws.cell(row=candidate, column=14).value
    ws.cell(row=candidate, column=2).value = "是此人"
    ws.cell(row=candidate, column=14).value = "0000000000000000"
    bad = tmp_path / "改过.xlsx"
    wb.save(bad)
    doc = cli.json("training", "apply", str(bad), "--as-of", AS_OF)
    assert (doc["recorded"], [p["code"] for p in doc["problems"]]) == (0, ["review-token-invalid"])
    assert cli.json("training", "--as-of", AS_OF)["links"]["review"] == 1
    ws.cell(row=candidate, column=14).value = token
    good = tmp_path / "已核实.xlsx"
    wb.save(good)
    doc = cli.json("training", "apply", str(good), "--as-of", AS_OF)
    assert (doc["recorded"], doc["unchanged"], doc["problems"]) == (1, 0, [])
    again = cli.json("training", "apply", str(good), "--as-of", AS_OF)
    assert (again["recorded"], again["unchanged"]) == (0, 1)
    links = cli.json("training", "--as-of", AS_OF)["links"]
    assert (links["decided"], links["review"]) == (1, 0)


def test_training_payment_through_the_subsidy_lines_paid_once(cli: Cli, county: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert not [
        ln
        for ln in cli.json("subsidy", "--year", "2026", "--as-of", AS_OF)["lines"]
        if ln["rule"] == "training_payment"
    ]
    pol = tmp_path / "county.toml"
    pol.write_text(
        '[training]\npayment = true\npayment_yuan = { "职业技能培训" = 1200, "岗前培训" = 800 }\n',
        encoding="utf-8",
    )
    args = ["--policy", str(pol), "subsidy", "--year", "2026", "--as-of", AS_OF, "--rule", "training_payment"]
    doc = cli.json(*args)
    got = sorted((ln["person"]["name"], ln["payee"], ln["amount"], ln["status"]) for ln in doc["lines"])
    assert got == [
        ("吴五", "县职业技术学校", 800, "due"),
        ("赵刚", "县职业技术学校", 1200, "due"),
        ("郑六", "县职业技术学校", 800, "due"),
    ]
    assert doc["totals"]["amount_due"] == 2800
    # Paid once: finance marks 赵刚's line 已发放; it is paid, and never offered again.
    zg = next(ln for ln in doc["lines"] if ln["person"]["name"] == "赵刚")
    export = tmp_path / "补贴发放表.xlsx"
    assert cli(*args, "--export", str(export)).exit_code == 0
    wb = load_workbook(export)
    ws = wb.worksheets[0]
    head = next(i for i, r in enumerate(ws.iter_rows(values_only=True), start=1) if r and r[0] == "编号")
    headers = [c.value for c in ws[head]]
    for row in ws.iter_rows(min_row=head + 1):
        if row[0].value == zg["line_id"]:
            row[headers.index("发放状态")].value = "已发放"
            row[headers.index("发放日期")].value = dt.date(2026, 7, 5)
    returned = tmp_path / "returned.xlsx"
    wb.save(returned)
    assert cli.json("--policy", str(pol), "subsidy", "record", str(returned))["recorded"] == 1
    # The cumulative roster imported again changes nothing: the same record, the same line.
    assert cli("training", "import", str(county)).exit_code == 0
    after = cli.json(*args)
    lines = {ln["line_id"]: ln for ln in after["lines"]}
    assert len(lines) == 3 and lines[zg["line_id"]]["status"] == "paid"
    assert (after["totals"]["paid"], after["totals"]["due"], after["totals"]["amount_due"]) == (1, 2, 1600)


def test_the_report_workbook_has_a_training_sheet_by_type_and_township(
    cli: Cli, county: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    # One more record, of 乙镇, of nobody in the registry: unlinked, never employed.
    extra = _roster(
        tmp_path / "乙镇培训.xlsx",
        [_rec("钱小小", "特色工种", "2026-01-05", "2026-01-31", township="乙镇", village="二村")],
    )
    assert cli("training", "import", str(extra)).exit_code == 0
    out = tmp_path / "月报.xlsx"
    r = cli("export", "report", "-o", str(out), "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert wb.sheetnames.index("培训") == wb.sheetnames.index("务工收入") + 1
    ws = wb["培训"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    heads = [i for i, r in enumerate(cells) if r[1] == "培训人数"]
    assert len(heads) == 2 and cells[heads[0]][0] == "培训类别" and cells[heads[1]][0] == "乡镇"
    by_type = {r[0]: r[1:10] for r in cells[heads[0] + 1 : heads[1] - 1]}
    # The figures of test_training_by_type_hand_computed, and 钱小小 in 特色工种培训.
    assert list(by_type) == ["特色工种培训", "职业技能培训", "农村实用技术培训", "岗前培训", "合计"]
    assert by_type["特色工种培训"] == [3, 3, 0, 0, 0, 0.0, 0, 0, None]
    assert by_type["职业技能培训"] == [5, 5, 1, 0, 3, 0.6, 0, 0, None]
    assert by_type["岗前培训"] == [3, 3, 1, 1, 2, 1.0, 2, 1, 0.5]
    # D once over two person-times; 5 employed of the 11 records whose window closed.
    assert by_type["合计"][:5] == [11, 12, 2, 1, 5] and by_type["合计"][5] == pytest.approx(5 / 11)
    by_town = {r[0]: r[1:10] for r in cells[heads[1] + 1 :] if r[0] in ("甲镇", "乙镇", "合计")}
    assert by_town["甲镇"][:6] == [10, 11, 2, 1, 5, 0.5]
    assert by_town["乙镇"][:6] == [1, 1, 0, 0, 0, 0.0]
    assert by_town["合计"][:2] == [11, 12]
    assert ws.cell(row=heads[0] + 2, column=7).number_format == "0.0%"
    assert any("未能对应到劳动力台账的记录 (3 条)" in str(r[0]) for r in cells[:8])
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == f"$1:${heads[0] + 1}"
    assert any(str(r[0]).startswith("审核人") for r in cells)
    # A township's own report: its records only.
    split = tmp_path / "split"
    r = cli("export", "report", "-o", str(split), "--as-of", AS_OF, "--split-by", "township")
    assert r.exit_code == 0, r.output
    (book,) = [p for p in split.iterdir() if "甲镇" in p.name]
    cells = [[c.value for c in row] for row in load_workbook(book)["培训"].iter_rows()]
    total = [r for r in cells if r[0] == "合计"]
    assert [r[1:3] for r in total] == [[10, 11], [10, 11]]


def test_a_report_without_training_records_has_no_training_sheet(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _villages(cli, tmp_path)
    out = tmp_path / "月报.xlsx"
    assert cli("export", "report", "-o", str(out), "--as-of", AS_OF).exit_code == 0
    assert "培训" not in load_workbook(out).sheetnames
