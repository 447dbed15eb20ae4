"""Render what laborcli writes for people as an officer would see it: xlsx -> PDF -> PNG.

    python scripts/render_report.py --db registry.db --as-of 2026-11-30 --out render/
    python scripts/render_report.py --db big.db --as-of 2026-11-30 --out render/ \
        --what all --sample-villages 42

Uses the registry given by --db (a path or URL). When that registry is empty (or the file
does not exist yet), a deterministic sample county is built into it first: village sheets
for the month before --as-of and for --as-of's month, written as the villages would send
them and imported with `laborcli import`. Files from sample_data/ are imported instead
when that folder exists and holds sheets (pass --sample-data DIR to use another folder).
With --sample-villages N the county is made by `laborcli sample` instead (N villages,
their targets, and one village's sheet of the later month held back, so it is stale).

--what says which workbooks to render (a comma list, or all): report (`export report`,
the default), handout (`rank --week W --export`, W the ISO week holding --as-of unless
--week), zero (`households --zero-employment --export`) and annotated (`validate
--annotate` of one sheet of --as-of's month). Each is converted with `libreoffice
--headless --convert-to pdf` and the PDF with `pdftoppm -png -r 60`, into --out as
NAME.xlsx, NAME.pdf and NAME-N.png (report, handout, zero, annotated). Exit code 0 on
success; 2 when libreoffice or pdftoppm is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

from laborcli.sheets.idcard import check_digit
from laborcli.sheets.schema import load_schema

ROOT = Path(__file__).resolve().parents[1]
HEADERS = [c.header for c in load_schema().columns]
# A made-up county: township -> villages (names of the usual kinds, none real on purpose).
COUNTY = {
    "青山镇": ["青山社区", "龙井村", "石板村"],
    "白水乡": ["白水村", "新街社区", "大湾村"],
    "南台街道": ["南台社区", "红岩村"],
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕春梅玉兰德明"
STATUSES = [
    ("县外务工", 40),
    ("县内务工", 14),
    ("公益性岗位", 4),
    ("扶贫车间", 4),
    ("自主创业", 3),
    ("灵活就业", 5),
    ("务农", 18),
    ("未就业", 8),
    ("在校学生", 4),
]
PLACES = ["浙江省宁波市", "广东省东莞市", "福建省晋江市", "安徽省芜湖市", "江苏省苏州市", "本县城区"]
EMPLOYERS = ["宁波某电子有限公司", "东莞某鞋业有限公司", "晋江某纺织厂", "芜湖某汽车零部件厂", "县城建筑工地"]


def month_end(d: dt.date) -> dt.date:
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def resident_id(rng: random.Random, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 100)
    sex = rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"530627{birth:%Y%m%d}{seq:02d}{sex}"
    return body + check_digit(body)


def sample_people(seed: int, per_village: int) -> list[dict[str, object]]:
    """Everyone in the sample county in the earlier month, with a stable person number."""
    rng = random.Random(seed)
    people: list[dict[str, object]] = []
    h = 0
    for town, villages in COUNTY.items():
        for village in villages:
            poor_share = rng.uniform(0.1, 0.35)
            n = 0
            while n < per_village:
                h += 1
                size = rng.randint(1, 5)
                poor = rng.random() < poor_share
                relocated = poor and rng.random() < 0.3
                for k in range(size):
                    male = rng.random() < 0.52
                    birth = dt.date(rng.randint(1962, 2012), rng.randint(1, 12), rng.randint(1, 28))
                    status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
                    if birth.year >= 2008:
                        status = "在校学生"
                    out = status == "县外务工"
                    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
                    people.append(
                        {
                            "乡镇(街道)": town,
                            "村(社区)": village,
                            "村民小组": f"{rng.randint(1, 8)}组",
                            "户编号": f"5306{h:06d}",
                            "与户主关系": "户主" if k == 0 else rng.choice(["配偶", "子", "女", "儿媳"]),
                            "家庭人口数": size,
                            "姓名": name,
                            "身份证号码": resident_id(rng, birth, male),
                            "性别": "男" if male else "女",
                            "出生日期": birth,
                            "民族": rng.choice(["汉族", "汉族", "汉族", "彝族", "苗族"]),
                            "文化程度": rng.choice(["小学", "初中", "初中", "高中", "中专"]),
                            "联系电话": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                            "是否脱贫户": "是" if poor else "否",
                            "是否易地搬迁户": "是" if relocated else "否",
                            "是否监测对象": "否",
                            "劳动能力": "普通劳动力" if rng.random() < 0.9 else "技能劳动力",
                            "技能特长": rng.choice(["", "", "电焊", "砌筑", "驾驶"]),
                            "培训意愿": rng.choice(["是", "否", ""]),
                            "就业意愿": "县外务工" if out else "",
                            "就业状态": status,
                            "务工地点": rng.choice(PLACES) if out else "",
                            "就业单位": rng.choice(EMPLOYERS) if out else "",
                            "务工开始时间": dt.date(rng.randint(2018, 2025), rng.randint(1, 12), 1)
                            if out
                            else "",
                            "月收入(元)": rng.randrange(3000, 7000, 100) if out else "",
                            "是否组织化输出": ("是" if rng.random() < 0.4 else "否") if out else "",
                            "输出组织者": "县劳务公司" if out and rng.random() < 0.4 else "",
                            "备注": "",
                        }
                    )
                    n += 1
    # A few rows with the usual faults, so 数据质量 has something to show.
    people[3]["联系电话"] = "1381234"
    people[11]["身份证号码"] = ""
    return people


def next_month(people: list[dict[str, object]], seed: int, as_of: dt.date) -> list[dict[str, object]]:
    """The same county a month on: some went out to work, a few came home."""
    rng = random.Random(seed + 1)
    out = []
    for p in people:
        q = dict(p)
        if q["就业状态"] in ("务农", "未就业") and rng.random() < 0.25:
            q.update(
                {
                    "就业状态": "县外务工",
                    "务工地点": rng.choice(PLACES),
                    "就业单位": rng.choice(EMPLOYERS),
                    "务工开始时间": as_of.replace(day=5),
                    "是否组织化输出": "是" if rng.random() < 0.5 else "否",
                }
            )
        elif q["就业状态"] == "县外务工" and rng.random() < 0.03:
            q.update({"就业状态": "务农", "务工地点": "", "就业单位": "", "务工开始时间": ""})
        out.append(q)
    return out


def write_sheets(people: list[dict[str, object]], folder: Path, month: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    by_village: dict[tuple[str, str], list[dict[str, object]]] = {}
    for p in people:
        by_village.setdefault((str(p["乡镇(街道)"]), str(p["村(社区)"])), []).append(p)
    for (town, village), rows in by_village.items():
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "劳动力信息"
        ws.append([f"{town}{village}劳动力信息统计表"])
        ws.append(HEADERS)
        for p in rows:
            ws.append([p[h] for h in HEADERS])
        wb.save(folder / f"{town}_{village}_{month}.xlsx")


def laborcli(db: str, *args: str) -> str:
    """Run one laborcli command in this process (same as the shell command); its stdout."""
    from laborcli.cli.app import main as laborcli_main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = laborcli_main(["--db", db, "--quiet", *args])
    if code not in (0, 1):
        raise SystemExit(f"failed ({code}): laborcli {' '.join(args)}")
    return buf.getvalue()


def registry_is_empty(db: str, as_of: dt.date) -> bool:
    if "://" not in db and not Path(db).exists():
        return True
    total = json.loads(
        laborcli(db, "rates", "--as-of", as_of.isoformat(), "--by", "county", "--format", "json")
    )["total"]
    return not total.get("labour_force") and not total.get("households")


def build_sample(db: str, as_of: dt.date, work: Path, per_village: int, sample_data: Path | None) -> None:
    if sample_data and sample_data.is_dir() and any(sample_data.iterdir()):
        print(f"importing {sample_data}", file=sys.stderr)
        laborcli(db, "import", str(sample_data))
        return
    this = month_end(as_of)
    before = month_end(this.replace(day=1) - dt.timedelta(days=1))
    first = sample_people(20261130, per_village)
    second = next_month(first, 20261130, this)
    for month_end_date, people in ((before, first), (this, second)):
        folder = work / "sheets" / f"{month_end_date:%Y-%m}"
        write_sheets(people, folder, f"{month_end_date:%Y-%m}")
        laborcli(db, "import", str(folder), "--as-of", month_end_date.isoformat())
    print(f"built a sample county into {db} ({len(first)} persons, {before} and {this})", file=sys.stderr)


def build_with_sample(db: str, as_of: dt.date, work: Path, villages: int) -> None:
    """`laborcli sample` with ``villages`` villages for two months and their targets; one
    village's later sheet is held back, so the handout and the report show a stale village."""
    this = month_end(as_of)
    before = month_end(this.replace(day=1) - dt.timedelta(days=1))
    folder = work / "county"
    months = f"{before:%Y-%m},{this:%Y-%m}"
    persons = str(max(60 * villages, 200))
    laborcli(
        db,
        "sample",
        "-o",
        str(folder),
        "-n",
        persons,
        "--months",
        months,
        "--villages",
        str(villages),
        "--targets",
        "--seed",
        "7",
    )
    later = sorted((folder / f"{this:%Y-%m}").iterdir())
    held = work / "held-back"
    held.mkdir(exist_ok=True)
    later[0].rename(held / later[0].name)
    for m in (before, this):
        laborcli(db, "import", str(folder / f"{m:%Y-%m}"))
    for t in folder.glob("*任务*.xlsx"):
        laborcli(db, "targets", "import", str(t), "--year", str(this.year))
    print(
        f"built a sample county of {villages} villages into {db}; held back {later[0].name}", file=sys.stderr
    )


def one_sheet(db: str, as_of: dt.date, work: Path, sample_data: Path | None) -> Path | None:
    """The village sheet of --as-of's month with the most problems, to annotate."""
    for folder in (work / "county" / f"{as_of:%Y-%m}", work / "sheets" / f"{as_of:%Y-%m}", sample_data):
        if folder and folder.is_dir() and any(folder.iterdir()):
            run = json.loads(laborcli(db, "validate", str(folder), "--format", "json"))
            files = sorted(run["files"], key=lambda f: (-len(f["problems"]), f["path"]))
            if files:
                return Path(files[0]["path"])
    return None


def render(xlsx: Path, out: Path, name: str, resolution: int) -> list[Path]:
    """``xlsx`` as out/NAME.pdf and out/NAME-N.png; the PNG pages."""
    if xlsx != out / f"{name}.xlsx":
        shutil.copyfile(xlsx, out / f"{name}.xlsx")
        xlsx = out / f"{name}.xlsx"
    pdf = to_pdf(xlsx, out)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(out / name)], check=True)
    return [pdf, *sorted(out.glob(f"{name}-*.png"))]


def to_pdf(xlsx: Path, out: Path) -> Path:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            office,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(xlsx),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=240)
    pdf = out / (xlsx.stem + ".pdf")
    if not pdf.is_file():
        raise SystemExit(f"libreoffice wrote no {pdf}")
    return pdf


WHAT = ("report", "handout", "zero", "annotated")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="registry path or URL; built from a sample when empty")
    ap.add_argument("--as-of", default=dt.date.today().isoformat(), help="reference date, e.g. 2026-11-30")
    ap.add_argument("--out", type=Path, required=True, help="folder for NAME.xlsx, NAME.pdf, NAME-N.png")
    ap.add_argument("--township", help="only this township (the report)")
    ap.add_argument("--per-village", type=int, default=40, help="persons per village in the sample county")
    ap.add_argument(
        "--sample-data", type=Path, default=ROOT / "sample_data", help="sheets to import if empty"
    )
    ap.add_argument(
        "--sample-villages", type=int, help="build the county with `laborcli sample` (N villages)"
    )
    ap.add_argument("--what", default="report", help=f"comma list of {', '.join(WHAT)}, or all")
    ap.add_argument("--week", help="the handout's ISO week (default: the week holding --as-of)")
    ap.add_argument("--policy", type=Path, help="a county policy file (its [county] heads the workbooks)")
    ap.add_argument("--resolution", type=int, default=60, help="PNG resolution (pdftoppm -r)")
    args = ap.parse_args(argv)
    what = list(WHAT) if args.what == "all" else [w.strip() for w in args.what.split(",") if w.strip()]
    unknown = [w for w in what if w not in WHAT]
    if unknown:
        print(f"unknown --what: {', '.join(unknown)} (use {', '.join(WHAT)} or all)", file=sys.stderr)
        return 2
    missing = [t for t in ("pdftoppm",) if not shutil.which(t)]
    if not (shutil.which("libreoffice") or shutil.which("soffice")):
        missing.insert(0, "libreoffice")
    if missing:
        print(
            f"missing: {', '.join(missing)} (apt-get install libreoffice-calc poppler-utils)", file=sys.stderr
        )
        return 2
    as_of = dt.date.fromisoformat(args.as_of)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if registry_is_empty(args.db, as_of):
        if args.sample_villages:
            build_with_sample(args.db, as_of, out, args.sample_villages)
        else:
            build_sample(args.db, as_of, out, args.per_village, args.sample_data)
    pol = ["--policy", str(args.policy)] if args.policy else []
    d = as_of.isoformat()
    made: list[Path] = []
    for name in what:
        xlsx = out / f"{name}.xlsx"
        if name == "report":
            extra = ["--township", args.township] if args.township else []
            laborcli(args.db, *pol, "export", "report", "--as-of", d, "-o", str(xlsx), *extra)
        elif name == "handout":
            y, w, _ = as_of.isocalendar()
            week = args.week or f"{y}-W{w:02d}"
            laborcli(args.db, *pol, "rank", "--week", week, "--export", str(xlsx))
        elif name == "zero":
            laborcli(args.db, *pol, "households", "--as-of", d, "--zero-employment", "--export", str(xlsx))
        else:
            sheet = one_sheet(args.db, as_of, out, args.sample_data)
            if sheet is None:
                print("no village sheet to annotate", file=sys.stderr)
                return 1
            copies = out / "annotated-copy"
            laborcli(args.db, "validate", str(sheet), "--annotate", str(copies))
            xlsx = next(copies.glob("*_批注.xlsx"))
        if not xlsx.is_file():
            print(f"laborcli wrote no {xlsx}", file=sys.stderr)
            return 1
        made += [out / f"{name}.xlsx", *render(xlsx, out, name, args.resolution)]
    print("\n".join(str(p) for p in made))
    return 0


if __name__ == "__main__":
    sys.exit(main())
