"""`demand` and `match`: the openings, the proposals, one person's answers, what was recorded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from laborcli.cli.options import Format
from laborcli.cli.output import err, out, pct, print_csv, print_json, table

if TYPE_CHECKING:
    from rich.table import Table

    from laborcli.identity.decisions import Applied
    from laborcli.identity.privacy import Mask
    from laborcli.jobs.demand import DemandList
    from laborcli.jobs.matching import Match
    from laborcli.jobs.summary import SupplyDemand

DEMAND_KEYS = ["demand_id", "company", "job", "place", "region", "openings", "placed", "fill_rate", "open"]
MATCH_KEYS = [
    "proposal_id",
    "demand_id",
    "company",
    "job",
    "name",
    "id_number",
    "township",
    "village",
    "score",
]


def show_demand(res: DemandList, fmt: Format) -> None:
    """The demands in the asked format on stdout."""
    data = res.as_json()
    if fmt is Format.json:
        print_json(data)
        return
    if fmt is Format.csv:
        print_csv(DEMAND_KEYS, [[r[k] for k in DEMAND_KEYS] for r in data["rows"]])
        return
    rows = [
        [
            r["company"],
            r["job"],
            r["place"],
            r["region"] or "—",
            r["openings"],
            r["placed"],
            pct(r["fill_rate"]),
            "是" if r["open"] else "否",
        ]
        for r in data["rows"]
    ]
    out.print(
        table(
            f"用工需求 (截至 {res.as_of.isoformat()})",
            ["企业名称", "岗位", "工作地点", "区域", "需求人数", "已上岗", "到岗率", "在招"],
            rows,
            right=(4, 5, 6),
        )
    )
    t = data["total"]
    out.print(
        f"全县: {t['demands']} 个岗位, 需求 {t['openings']} 人, 已上岗 {t['placed']} 人, 到岗率 {pct(t['fill_rate'])}"
    )


def show_match(res: Match, mask: Mask, fmt: Format) -> None:
    """The proposals in the asked format on stdout; words matching no trade on stderr."""
    data = res.as_json(mask)
    if fmt is Format.json:
        print_json(data)
        return
    flat: list[dict[str, Any]] = [{**p, **p["person"]} for p in data["proposals"]]
    if fmt is Format.csv:
        print_csv(
            [*MATCH_KEYS, "reasons"], [[r[k] for k in MATCH_KEYS] + ["; ".join(r["reasons"])] for r in flat]
        )
        return
    rows = [
        [
            r["company"],
            r["job"],
            r["rank"],
            r["name"],
            r["id_number"],
            f"{r['township']}{r['village']}",
            f"{r['score']:g}",
            "; ".join(r["reasons"]),
        ]
        for r in flat
    ]
    out.print(
        table(
            f"送岗到户推荐 (截至 {res.as_of.isoformat()}): {len(res.open_demands)} 个在招岗位, {len(rows)} 条推荐",
            ["企业名称", "岗位", "名次", "姓名", "身份证号码", "村", "得分", "理由"],
            rows,
            right=(2, 6),
        )
    )
    if res.unmatched_terms:
        words = "、".join(f"{t}({n})" for t, _, n in res.unmatched_terms[:20])
        err.print(escape(f"未能对应工种的词 (可加入县工种词表): {words}"), markup=False)


def show_person(res: Match, mask: Mask, fmt: Format) -> None:
    """One person, job by job."""
    data = res.person_json(mask)
    data["subject"] = (
        mask.id(data["subject"]) if data["subject"] and data["subject"][:1].isdigit() else data["subject"]
    )
    if fmt is Format.json:
        print_json(data)
        return
    if fmt is Format.csv:
        keys = ["demand_id", "company", "job", "proposed", "proposal_id", "why"]
        print_csv(keys, [[j[k] for k in keys] for j in data["jobs"]])
        return
    rows = [[j["company"], j["job"], "是" if j["proposed"] else "否", j["why"]] for j in data["jobs"]]
    out.print(
        table(
            f"{data['subject']}: 各在招岗位的推荐情况 (截至 {data['as_of']})",
            ["企业名称", "岗位", "推荐", "说明"],
            rows,
        )
    )


def say_exported(paths: list[Path], n: int) -> None:
    """Where the lists went (stderr)."""
    where = (
        str(paths[0]) if len(paths) == 1 else f"{len(paths)} 个村的表 ({paths[0].parent})" if paths else "—"
    )
    err.print(escape(f"→ {where}: {n} 条推荐"), markup=False)


def show_recorded(done: list[Applied], fmt: Format, *, quiet: bool) -> None:
    """What `match record` recorded, per file."""
    if fmt is Format.json:
        if len(done) == 1:
            print_json(done[0].as_json())
        else:
            print_json(
                {
                    "file": ", ".join(a.file for a in done),
                    "sha256": "",
                    "recorded": sum(a.recorded for a in done),
                    "unchanged": sum(a.unchanged for a in done),
                    "problems": [p.as_json() for a in done for p in a.problems],
                    "files": [a.as_json() for a in done],
                }
            )
        return
    for a in done:
        if a.errors:
            out.print(f"[red]{escape(a.file)}: {a.errors} 个错误, 未记录任何反馈[/red]")
        else:
            out.print(escape(f"{a.file}: 记录 {a.recorded} 条反馈, {a.unchanged} 条未变"))
        for p in a.problems:
            err.print(escape(f"{a.file}, 第{p.row}行: {p.message} [{p.value or ''}]"), markup=False)


SUMMARY_HEADS = (
    ("open_demands", "在招岗位"),
    ("openings", "需求人数"),
    ("unfilled", "尚缺人数"),
    ("candidates", "推荐人数"),
    ("proposals", "推荐人次"),
    ("placements", "本周上岗"),
    ("placed_answered", "其中反馈"),
    ("placed_from_sheet", "其中花名册"),
    ("willing", "本周愿意"),
    ("refused", "本周不愿意"),
)


def show_summary(res: SupplyDemand, fmt: Format) -> None:
    """The week's session: per township and the county, the open jobs, the week's placements."""
    from laborcli.jobs.summary import KEYS

    data = res.as_json()
    if fmt is Format.json:
        print_json(data)
        return
    if fmt is Format.csv:
        lines = [*data["rows"], {**data["total"], "township": "合计"}]
        print_csv(
            ["week", "township", *KEYS], [[data["week"], r["township"], *(r[k] for k in KEYS)] for r in lines]
        )
        return
    body = [[r["township"], *(r[k] for k, _ in SUMMARY_HEADS)] for r in data["rows"]]
    body.append(["[bold]合计[/bold]", *(data["total"][k] for k, _ in SUMMARY_HEADS)])
    out.print(
        table(
            f"{data['week']} 供需对接 (截至 {data['as_of']} 周五; 本周上岗 {data['from']} 至 {data['as_of']})",
            ["乡镇", *(h for _, h in SUMMARY_HEADS)],
            body,
            right=tuple(range(1, len(SUMMARY_HEADS) + 1)),
        )
    )
    if data["jobs"]:
        out.print(_open_jobs_table(data["jobs"]))
    if data["placed"]:
        out.print(_placed_table(data["placed"]))


def _open_jobs_table(jobs: list[dict[str, Any]]) -> Table:
    """The openings still unfilled, with how many candidates each was proposed."""
    keys = ("company", "job", "place", "region", "openings", "unfilled", "candidates")
    body = [[j[k] if k != "region" else (j[k] or "—") for k in keys] for j in jobs]
    return table(
        "在招岗位",
        ["企业名称", "岗位", "工作地点", "区域", "需求人数", "尚缺", "推荐人数"],
        body,
        right=(4, 5, 6),
    )


def _placed_table(placed: list[dict[str, Any]]) -> Table:
    """The week's placements, each with where it was learnt (an answer or a later sheet)."""
    how = {"answer": "反馈已上岗", "sheet": "花名册"}
    keys = ("township", "village", "name", "company", "job")
    body = [[*(p[k] for k in keys), how[p["how"]]] for p in placed]
    return table("本周上岗", ["乡镇", "村(社区)", "姓名", "企业名称", "岗位", "来源"], body)
