"""The honour list (两比两看; docs/rules.md#honours-and-the-payment-ledger, docs/json.md#honours),
hand-computed at the policy's defaults (stable employment: 3 months; top 10 per township),
through the CLI, on SQLite and PostgreSQL.

Four month ends of 2026 (D = 2026-04-30); every sheet lists everyone, so the months are
all observed. 甲镇:

- H001 (一村): 甲 (户主, 县外 from 2026-01-10 given: 3 months on 04-10) at 3,000 a month and
  乙 (县内 from 2025-06-01) at 2,000: 2 stable, (12,000 + 8,000) / 家庭人口 4 = 5,000.
- H002 (一村): 丙 (户主, from 2025-10-01) at 5,000 and 丁 (from 2025-12-15) at 4,000 but no
  income in February (unknown, as 0): 2 stable, (20,000 + 12,000) / 3 = 10,666.67.
- H003 (二村) and H004 (一村): one stable member each at 3,000, population 2: 6,000 each;
  the tie goes to 户编号 (H003 first, whatever the village).
- H005: 戊 from 2026-03-01: 1 month at D, not stable; the household is not listed.
- H006: 己, no 务工开始时间 and first observed 01-31 (start unknown): 01-31 + 3 months =
  04-30, stable as a lower bound; 1,000 a month but 200,000 in March (above the policy's
  plausible maximum: unknown): 3,000 / 1.
- H007: 庚, 县外 January to March, at home (务农) in April: not in stable employment at D.
- H008: 辛 (子女), no 户主 in the household; 2,000 a month, 家庭人口 2 on the row
  (the largest of its rows): 4,000.
So 甲镇 ranks H002, H001, H003, H004, H008, H006. 乙镇 has 11 one-person households at
1,000 × i a month (i = 1..11), all stable: the top 10 are i = 11 down to 2.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from laborcli.cli.app import main
from tests.conftest import Cli
from tests.sheets import HEADER, make_id, person, write_xlsx

BORN = dt.date(1990, 5, 1)
MONTHS = {"01": "2026-01-31", "02": "2026-02-28", "03": "2026-03-31", "04": "2026-04-30"}
D = "2026-04-30"


def _r(name: str, seq: int, household: str, m: str, **kw: Any) -> dict[str, object]:
    size = kw.pop("size", 1)
    row = person(name, BORN, seq=seq, household=household, **kw)
    row[HEADER["household_size"]] = size
    return row


def _month(m: str) -> list[dict[str, object]]:
    rows = [
        _r("甲", 1, "H001", m, job_start="2026-01-10", income=3000, size=4),
        _r(
            "乙",
            2,
            "H001",
            m,
            status="县内务工",
            job_start="2025-06-01",
            income=2000,
            relation="配偶",
            size=4,
        ),
        _r("丙", 3, "H002", m, job_start="2025-10-01", income=5000, size=3),
        _r(
            "丁",
            4,
            "H002",
            m,
            job_start="2025-12-15",
            income="" if m == "02" else 4000,
            relation="子女",
            size=3,
        ),
        _r("子", 5, "H003", m, village="二村", job_start="2025-11-01", income=3000, size=2),
        _r("丑", 6, "H004", m, job_start="2025-11-01", income=3000, size=2),
        _r("戊", 7, "H005", m, status="县外务工" if m in ("03", "04") else "务农", job_start="2026-03-01"),
        _r("己", 8, "H006", m, income=200000 if m == "03" else 1000),
        _r("庚", 9, "H007", m, status="务农" if m == "04" else "县外务工", job_start="2026-01-05"),
        _r("辛", 10, "H008", m, job_start="2025-11-01", income=2000, relation="子女", size=2),
    ]
    rows += [
        _r(f"乙镇{i}号", 20 + i, f"K{i:02d}", m, township="乙镇", job_start="2025-01-01", income=1000 * i)
        for i in range(1, 12)
    ]
    return rows


def _county(cli: Cli, tmp: Path) -> None:
    for m, end in MONTHS.items():
        f = write_xlsx(tmp / f"县_2026-{m}.xlsx", _month(m))
        r = cli("import", str(f), "--as-of", end)
        assert r.exit_code in (0, 1), r.output  # 己's 200,000 is a warning, not a rejected row


def _places(doc: dict[str, Any], township: str) -> list[tuple[int, str, int, float]]:
    return [
        (r["rank"], r["household_id"], r["stable_members"], r["per_capita_income"])
        for r in doc["rows"]
        if r["township"] == township
    ]


def test_honours_rank_on_stable_members_then_per_capita_income_then_household_id(
    cli: Cli, tmp_path: Path
) -> None:
    _county(cli, tmp_path)
    doc = cli.json("honours", "--year", "2026", "--as-of", D)
    assert (doc["year"], doc["as_of"], doc["top"], doc["stable_months"]) == (2026, D, 10, 3)
    assert _places(doc, "甲镇") == [
        (1, "H002", 2, 10666.67),
        (2, "H001", 2, 5000.0),
        (3, "H003", 1, 6000.0),  # the tie on 6,000 goes to 户编号, 二村 before 一村
        (4, "H004", 1, 6000.0),
        (5, "H008", 1, 4000.0),
        (6, "H006", 1, 3000.0),  # March's 200,000 is above the plausible maximum: unknown
    ]
    # 乙镇: eleven candidates, the top 10 listed; 1,000 x i a month over 4 months.
    assert _places(doc, "乙镇") == [(k, f"K{12 - k:02d}", 1, 4000.0 * (12 - k)) for k in range(1, 11)]
    assert doc["candidates"] == {"甲镇": 6, "乙镇": 11}
    rows = {r["household_id"]: r for r in doc["rows"]}
    h1 = rows["H001"]
    assert h1["head"] == "甲" and h1["village"] == "一村"
    assert [(m["name"], m["start"], m["start_kind"], m["months"]) for m in h1["members"]] == [
        ("乙", "2025-06-01", "given", 10),
        ("甲", "2026-01-10", "given", 3),
    ]
    assert "务工收入合计 20,000 元" in h1["explanation"]
    assert "家庭人口 4 人 (户主行的家庭人口数)" in h1["explanation"]
    assert "人均 5,000.00 元" in h1["explanation"]
    assert (h1["labour_income"], h1["population"], h1["unknown_months"]) == (20000.0, 4, 0)
    h2 = rows["H002"]
    assert h2["unknown_months"] == 1 and "收入未知的月份 1 个" in h2["explanation"]
    h6 = rows["H006"]
    assert h6["members"][0]["start_kind"] == "unknown" and h6["members"][0]["start"] is None
    assert "开始时间未知" in h6["explanation"] and "至少 3 个月" in h6["explanation"]
    assert (h6["labour_income"], h6["unknown_months"]) == (3000.0, 1)
    h8 = rows["H008"]
    assert h8["head"] == "" and "没有户主" in h8["explanation"]
    assert "各成员行中最大的家庭人口数" in h8["explanation"]
    # masked IDs, whole with --show-pii
    assert h1["members"][1]["id_number"] == make_id(BORN, 1)[:6] + "*" * 8 + make_id(BORN, 1)[-4:]
    whole = cli.json("honours", "--as-of", D, "--show-pii")
    assert {r["household_id"]: r for r in whole["rows"]}["H001"]["members"][1]["id_number"] == make_id(
        BORN, 1
    )


def test_honours_of_one_township_and_a_county_policy(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _county(cli, tmp_path)
    one = cli.json("honours", "--as-of", D, "--township", "乙镇")
    assert {r["township"] for r in one["rows"]} == {"乙镇"} and len(one["rows"]) == 10
    pol = tmp_path / "county.toml"
    pol.write_text("[honours]\ntop = 2\n[tenure]\nstable_months = 4\n", encoding="utf-8")
    doc = cli.json("--policy", str(pol), "honours", "--as-of", D)
    # 4 months: 甲 (from 01-10) and 己 (a lower bound of 3) drop out; H001 keeps 乙.
    assert _places(doc, "甲镇") == [(1, "H002", 2, 10666.67), (2, "H003", 1, 6000.0)]
    assert doc["candidates"]["甲镇"] == 5 and len(_places(doc, "乙镇")) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[honours]\ntop = 10\nper_village = true\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", cli.db, "--policy", str(bad), "honours", "--as-of", D]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "honours.per_village" in err[0]


def _documented_keys(section: str) -> tuple[set[str], set[str]]:
    """The top-level and the row keys of a JSON shape in docs/json.md."""
    page = (Path(__file__).parent.parent / "docs" / "json.md").read_text(encoding="utf-8")
    block = page.split(f"## {section}\n", 1)[1].split("```")[1]
    head, rest = block.split('"rows"', 1)
    rows, tail = rest.split("]}]", 1)
    return set(re.findall(r'"(\w+)":', head + tail)) | {"rows"}, set(re.findall(r'"(\w+)":', rows))


_ROW = {
    "rank": int,
    "township": str,
    "village": str,
    "household_id": str,
    "head": str,
    "stable_members": int,
    "per_capita_income": float,
    "explanation": str,
}


def test_honours_json_has_the_shape_of_the_cli_contract_and_of_docs_json(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    doc = cli.json("honours", "--as-of", D)
    assert isinstance(doc["year"], int) and isinstance(doc["as_of"], str) and doc["rows"]
    for r in doc["rows"]:
        for k, t in _ROW.items():
            assert isinstance(r[k], t) and not isinstance(r[k], bool), (k, r[k])
    top, row = _documented_keys("honours")
    assert top <= set(doc), top - set(doc)
    got = {k for r in doc["rows"] for k in r} | {k for r in doc["rows"] for m in r["members"] for k in m}
    assert row <= got, row - got
    assert set(_ROW) <= row  # docs/json.md documents the contract's keys
    csv = cli("honours", "--as-of", D, "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.splitlines()[0].split(",") == list(_ROW)
    assert len(csv.stdout.strip().splitlines()) == 1 + len(doc["rows"])


def test_the_notice_board_workbook_has_a_page_per_township_and_no_ids(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    out = tmp_path / "两比两看.xlsx"
    r = cli("honours", "--as-of", D, "--export", str(out), "--show-pii")
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["乙镇", "甲镇"]
    ws = wb["甲镇"]
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    text = " ".join(str(v) for v in cells)
    assert "甲镇2026年“两比两看”劳务输出光荣户名单" in text and "公示期" in text
    assert make_id(BORN, 1) not in text and make_id(BORN, 1)[:6] not in text  # no ID, even with --show-pii
    head = next(i for i, row in enumerate(ws.iter_rows(values_only=True), start=1) if row[0] == "名次")
    body = [row for row in ws.iter_rows(min_row=head + 1, max_row=head + 6, values_only=True)]
    assert [(b[0], b[2], b[3], b[4]) for b in body] == [
        (1, "H002", "丙", 2),
        (2, "H001", "甲", 2),
        (3, "H003", "子", 1),
        (4, "H004", "丑", 1),
        (5, "H008", "—", 1),
        (6, "H006", "己", 1),
    ]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 1
    assert ws.print_title_rows == f"$1:${head}"
    assert main(["--db", cli.db, "honours", "--as-of", D, "--export", str(tmp_path / "x.pdf")]) == 2
