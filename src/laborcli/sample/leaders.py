"""The sample county's leaders' registry (带头能人数据库), for `laborcli leaders import` and
the README's subsidy steps: the organisers its village sheets name, as an office types
them. A title row and alias headers (名称, 带头人类型 is not one: 类型); companies without
an ID; one leader's name typed with a space (张 三 is 张三 after normalisation); one
personal leader without an ID (their lines are held: 未核验); a row without a name
(rejected); and the last township's two smallest organisers left out, so that `leaders`
lists them as unregistered and their people's lines stay held.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from laborcli.sample.county import CountyRun
from laborcli.sample.draws import Rng
from laborcli.sample.township import Job, Township
from laborcli.sample.writers import SheetCell, xlsx_bytes
from laborcli.sheets.idcard import check_digit
from laborcli.sheets.safe import write_whole

NAME = "带头能人数据库_2026年.xlsx"
_HEADERS = ["名称", "类型", "身份证号码", "联系电话", "乡镇(街道)", "村(社区)", "备注"]


def county_organisers(run: CountyRun) -> list[tuple[str, str]]:
    """(township, organiser) as the village sheets name them, township by township (each
    township draws its organisers first from its own generator: ``sample.jobs.organisers``)."""
    out: list[tuple[str, str]] = []
    plan = run.plan
    for ti, town in enumerate(plan.townships):
        job = Job(
            out_dir=run.out_dir,
            plan=plan,
            township_index=ti,
            villages=tuple(v for v in plan.villages if v.township_index == ti),
            months=run.months,
            seed=run.seed,
            messy=run.messy,
            fmt=run.fmt,
            targets_year=None,
        )
        out += [(town, name) for name in Township(job).organisers]
    return out


def _kind(name: str) -> str:
    if name.endswith("公司"):
        return "劳务公司"
    if name.endswith("中心"):
        return "人力资源公司"
    return "带头能人"


def _id(area: str, rng: Rng) -> str:
    birth = dt.date(1968, 1, 1) + dt.timedelta(days=int(rng.random() * 9000))
    body = f"{area}{birth:%Y%m%d}{int(rng.random() * 900) + 100:03d}"
    return body + check_digit(body)


def leaders_rows(run: CountyRun) -> list[list[SheetCell]]:
    """The registry's rows under its header."""
    rng = Rng(f"{run.seed}/leaders")
    seen: set[str] = set()
    rows: list[list[SheetCell]] = []
    found = county_organisers(run)
    left_out = {name for _, name in found[-2:]}  # the last township's last two leaders
    people = 0
    for town, name in found:
        if name in seen or name in left_out:
            continue
        seen.add(name)
        kind = _kind(name)
        if kind != "带头能人":  # a county-wide body: registered once, with no place
            rows.append([name, kind, None, f"0870-{3100000 + len(rows) * 7919 % 900000}", None, None, None])
            continue
        people += 1
        typed = f"{name[0]} {name[1:]}" if people == 1 else name  # a space typed in the name
        ident: str | None = _id(run.plan.area, rng) if people != 2 else None
        remark = "身份证待补" if ident is None else None
        kind = "劳务经纪人" if people % 3 == 0 else kind
        phone = f"13{int(rng.random() * 10**9):09d}"
        rows.append([typed, kind, ident, phone, town, None, remark])
    rows.append([None, "带头能人", None, None, None, None, "姓名漏填"])  # rejected: no name
    return rows


def write_leaders_sheet(out_dir: Path, run: CountyRun) -> str:
    """Write the registry into ``out_dir``; its file name."""
    title = f"{run.plan.county}带头能人数据库 (2026年)"
    rows: list[list[SheetCell]] = [[title], list(_HEADERS), *leaders_rows(run)]
    data = xlsx_bytes(
        rows,
        sheet="带头能人",
        merges=["A1:G1"],
        widths=[28, 12, 21, 14, 10, 10, 12],
        when=dt.date(2026, 11, 20),
    )
    write_whole(out_dir / NAME, data, sync=False)  # a sample is made again at will
    return NAME
