"""The programmes at county scale (issues 20, 21, 22): leaders and subsidies with the
payment ledger, employers' demand and matching, training rosters; and the dashboard
(issue 24) of the registry they leave.

Run from the project root, after bench/scale.py (or bench/history.py) has built the
registry of 12 months::

    python bench/programmes.py                     # 800,000 persons, 12 months
    python bench/programmes.py --jobs 2000 --trainees 200000

The registry of all months is copied (the ledger, demand and training tables are written
into the copy, never into the kept registry). The leaders sheet, the demand sheets and the
training roster are made here from the registry's own people and organisers: the leaders
are the organiser names the sheets give most often; 2,000 openings over a few hundred
companies in the trades the people list; the roster trains people the registry lists
(most with their ID, some by name and birth date only). Each step is the installed
``laborcli`` in a fresh process, timed once; the section between this script's markers in
docs/benchmarks.md is replaced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import laborcli, timed, uptime, write_section  # bench/ is not a package: found through sys.path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- bench/programmes.py: begin -->"
END = "<!-- bench/programmes.py: end -->"
AS_OF = "2026-11-30"
YEAR = "2026"
TRADES = (
    "电焊工",
    "砌筑工",
    "钢筋工",
    "木工",
    "家政服务员",
    "厨师",
    "保安员",
    "电工",
    "叉车司机",
    "缝纫工",
    "育婴员",
    "装配工",
)
COURSES = ("职业技能培训", "特色工种培训", "农村实用技术培训", "岗前培训", "订单培训", "技能培训")


def write_book(path: Path, title: str, header: list[str], rows: list[list[object]]) -> None:
    """A sheet as an office types it: a title row, the header, the rows (write-only)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)


def leaders_sheet(db: Path, out: Path, n: int) -> int:
    """The ``n`` organiser names the year's sheets give most often, as registered leaders."""
    with sqlite3.connect(db) as c:
        found = c.execute(
            "SELECT organiser, MIN(township), MIN(village), COUNT(*) FROM rows "
            "WHERE organiser IS NOT NULL AND organiser <> '' AND as_of = ? "
            "GROUP BY organiser ORDER BY COUNT(*) DESC, organiser LIMIT ?",
            (AS_OF, n),
        ).fetchall()
    kinds = ("劳务公司", "合作社", "带头能人", "劳务经纪人")
    rows = [[name, kinds[i % len(kinds)], "", "", t, v, ""] for i, (name, t, v, _) in enumerate(found)]
    write_book(
        out,
        "带头能人数据库",
        ["姓名", "类型", "身份证号码", "联系电话", "乡镇(街道)", "村(社区)", "备注"],
        rows,
    )
    return len(rows)


def demand_sheet(out: Path, jobs: int, seed: int) -> int:
    """``jobs`` openings over a few hundred companies, registered in November."""
    rnd = random.Random(seed)
    companies = [
        f"县外{i:03d}制造有限公司" if i % 3 else f"本县{i:03d}建筑劳务公司" for i in range(jobs // 5)
    ]
    rows = []
    for j in range(jobs):
        company = companies[j % len(companies)]
        lo = rnd.choice((3000, 3500, 4000, 4500, 5000))
        rows.append(
            [
                company,
                "",
                "张经理",
                f"1380000{j % 10000:04d}",
                f"{rnd.choice(TRADES)}岗位{j}",
                rnd.choice(TRADES),
                rnd.randint(1, 20),
                "浙江省宁波市" if j % 3 else "本县工业园区",
                "县外" if j % 3 else "县内",
                f"{lo}-{lo + 2000}",
                rnd.choice(("18-45岁", "45周岁以下", "18-55岁", "")),
                rnd.choice(("不限", "男", "不限")),
                rnd.choice(("", "初中", "小学")),
                "",
                rnd.choice(("是", "否")),
                dt.date(2026, 11, 1 + j % 20),
                dt.date(2026, 12, 31),
                "",
            ]
        )
    header = [
        "企业名称", "统一社会信用代码", "联系人", "联系电话", "岗位名称", "工种", "需求人数", "工作地点",
        "岗位区域", "月薪(元)", "年龄要求", "性别要求", "文化程度要求", "技能要求", "是否包吃住", "登记日期",
        "有效期至", "备注",
    ]  # fmt: skip
    write_book(out, "企业用工需求登记表", header, rows)
    return len(rows)


def training_roster(db: Path, out: Path, n: int, seed: int) -> int:
    """``n`` training records of people the registry lists in June; one in twenty
    without an ID (linked by name and birth date)."""
    rnd = random.Random(seed)
    with sqlite3.connect(db) as c:
        people = c.execute(
            "SELECT name, id_number, township, village, birth_date FROM rows "
            "WHERE id_valid = 1 AND as_of = '2026-06-30' ORDER BY person_key LIMIT ?",
            (n,),
        ).fetchall()
    rows = []
    for i, (name, ident, t, v, birth) in enumerate(people):
        start = dt.date(2026, 1 + i % 9, 1 + i % 20)
        rows.append(
            [
                name,
                "" if i % 20 == 0 else ident,
                t,
                v,
                COURSES[i % len(COURSES)],
                rnd.choice(TRADES),
                f"县第{i % 12 + 1}职业培训学校",
                start,
                start + dt.timedelta(days=14),
                rnd.choice(("是", "否")),
                "县外001制造有限公司" if i % 6 == 4 else "",
                birth,
                "",
                "",
            ]
        )
    header = [
        "姓名", "身份证号码", "乡镇(街道)", "村(社区)", "培训类别", "培训工种", "培训机构", "开始日期", "结束日期",
        "是否取得证书", "订单企业", "出生日期", "联系电话", "备注",
    ]  # fmt: skip
    write_book(out, "培训花名册", header, rows)
    return len(rows)


def mark_paid(book: Path, out: Path) -> int:
    """The ledger workbook as finance returns it: every due line (核定状态 待发放) 已发放 on
    a date; the held lines are left alone, as laborcli refuses paying them."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    ws = wb.worksheets[0]
    head = next(r for r in range(1, 20) if any(c.value == "编号" for c in ws[r]))
    col = {c.value: c.column for c in ws[head]}
    n = 0
    for r in range(head + 1, ws.max_row + 1):
        if not ws.cell(r, col["编号"]).value:
            continue
        status = ws.cell(r, col["发放状态"])
        if ws.cell(r, col["核定状态"]).value == "待发放" and status.value in (None, ""):
            status.value = "已发放"
            ws.cell(r, col["发放日期"]).value = dt.date(2026, 12, 10)
            n += 1
    wb.save(out)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--db", default="/work/bench-data/county-800000-12m-s1-all.db", help="the kept registry")
    ap.add_argument("--data", default="/work/bench-data/programmes", help="where the sheets and the copy go")
    ap.add_argument("--leaders", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2000)
    ap.add_argument("--trainees", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    data = Path(args.data)
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    src = Path(args.db)
    db = data / "registry.db"
    shutil.copyfile(src, db)
    with sqlite3.connect(db) as c:
        persons = c.execute(
            "SELECT COUNT(DISTINCT person_key) FROM rows WHERE as_of = ?", (AS_OF,)
        ).fetchone()[0]
        n_rows = c.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    n_leaders = leaders_sheet(db, data / "带头能人数据库.xlsx", args.leaders)
    n_jobs = demand_sheet(data / "企业用工需求_2026-11.xlsx", args.jobs, args.seed)
    n_trained = training_roster(db, data / "培训花名册_2026.xlsx", args.trainees, args.seed)
    lc = [laborcli(), "-q", "--db", str(db)]
    steps: list[tuple[str, float, float, str, str]] = []

    def step(name: str, argv: list[str], target: str = "", note: str = "") -> None:
        secs, peak, code = timed([*lc, *argv], data)
        steps.append((name, secs, peak, target, note))
        print(f"  {name:<40} {secs:7.2f} s {peak:6.0f} MB (exit {code})", flush=True)

    load_before = uptime()
    step(
        "leaders import", ["leaders", "import", str(data / "带头能人数据库.xlsx")], "", f"{n_leaders} leaders"
    )
    step("leaders --year", ["leaders", "--year", YEAR, "--as-of", AS_OF, "--format", "json"], "< 5 s")
    step("subsidy --year", ["subsidy", "--year", YEAR, "--as-of", AS_OF, "--format", "json"], "< 10 s")
    ledger = data / "补贴发放表.xlsx"
    step("subsidy --export", ["subsidy", "--year", YEAR, "--as-of", AS_OF, "--export", str(ledger)])
    paid = data / "补贴发放表_已发放.xlsx"
    n_paid = mark_paid(ledger, paid)
    step(
        "subsidy record",
        ["subsidy", "record", str(paid)],
        "< 10 s for 50,000 lines",
        f"{n_paid:,} lines paid",
    )
    step(
        "demand import",
        ["demand", "import", str(data / "企业用工需求_2026-11.xlsx")],
        "",
        f"{n_jobs:,} openings",
    )
    step("match", ["match", "--as-of", AS_OF, "--format", "json"], "< 30 s")
    step(
        "match --export (a workbook per village)",
        ["match", "--as-of", AS_OF, "--export", str(data / "送岗到户")],
        "< 60 s",
    )
    step(
        "training import",
        ["training", "import", str(data / "培训花名册_2026.xlsx")],
        "< 20 s",
        f"{n_trained:,} records",
    )
    step("training --year", ["training", "--year", YEAR, "--as-of", AS_OF, "--format", "json"], "< 10 s")
    step(
        "export html (the dashboard, issue 24)",
        ["export", "html", str(data / "看板"), "--as-of", AS_OF],
        "< 30 s",
        "with the leaders, demand and training above",
    )
    load_after = uptime()
    lines = [
        f"## The programmes at county scale: {persons:,} persons, 12 months",
        "",
        f"Measured on {dt.date.today().isoformat()} by `python bench/programmes.py` on {os.cpu_count()} cores "
        f"(load average {load_before} before, {load_after} after), {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite. The registry is a copy of bench/scale.py's registry of 12 months "
        f"({n_rows:,} rows); the leaders sheet ({n_leaders} organisers the sheets name most), the demand sheet "
        f"({n_jobs:,} openings) and the training roster ({n_trained:,} records of people the registry lists, one "
        "in twenty without an ID) are made by the script from it. Each step is a fresh `laborcli` process, "
        "timed once; peak memory is the process's.",
        "",
        "| step | seconds | peak MB | target | note |",
        "|---|---:|---:|---|---|",
    ]
    lines += [f"| {n} | {s:.2f} | {p:.0f} | {t} | {note} |" for n, s, p, t, note in steps]
    write_section(Path(args.out), "\n".join(lines), begin=BEGIN, end=END)


if __name__ == "__main__":
    main()
