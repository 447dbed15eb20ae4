"""`training` and `training import`: figures by course type, institution or place, and
what a roster import did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape

from laborcli.cli.options import Format
from laborcli.cli.output import err, out, pct, print_csv, print_json, table
from laborcli.cli.views.runs import show_run
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.training.figures import Outcome, TrainingFigures
    from laborcli.training.importing import TrainingRun
    from laborcli.training.person import PersonTraining

KEYS = (
    "persons",
    "person_times",
    "certificates",
    "in_window",
    "employed_after",
    "employed_after_rate",
    "order_records",
    "placed_with_order_employer",
    "placed_with_order_employer_rate",
)
HEADS = (
    "人数",
    "人次",
    "取得证书",
    "观察期内",
    "培训后就业",
    "就业率",
    "订单培训",
    "订单企业就业",
    "订单就业率",
)
BY_ZH = {
    "type": "培训类别",
    "institution": "培训机构",
    "county": "全县",
    "township": "乡镇",
    "village": "乡镇/村",
}


def _cells(r: dict[str, Any]) -> list[object]:
    return [
        r["persons"],
        r["person_times"],
        r["certificates"],
        r["in_window"],
        r["employed_after"],
        pct(r["employed_after_rate"]),
        r["order_records"],
        r["placed_with_order_employer"],
        pct(r["placed_with_order_employer_rate"]),
    ]


def show_training(res: TrainingFigures, fmt: Format, show_pii: bool) -> None:
    """The figures in the asked format on stdout; records left for review or unlinked
    are counted on stderr at a terminal (listed in the JSON)."""
    if fmt is Format.json:
        print_json(res.as_json(show_pii))
        return
    if fmt is Format.csv:
        print_csv(
            ["key", *KEYS],
            [[r["key"], *(r[k] for k in KEYS)] for r in res.rows] + [["合计", *(res.total[k] for k in KEYS)]],
        )
        return
    title = pick(
        f"{res.year} 年培训 (截至 {res.as_of.isoformat()}, 结业后 {res.months} 个月内就业)",
        f"Training in {res.year} as of {res.as_of.isoformat()} (employed within {res.months} months)",
    )
    rows = [[r["key"], *_cells(r)] for r in res.rows] + [["合计", *_cells(res.total)]]
    out.print(table(title, [BY_ZH.get(res.by, res.by), *HEADS], rows, right=range(1, 10)))
    counts = res.link_counts()
    if counts["review"] or counts["unlinked"]:
        out.print(
            pick(
                f"无有效身份证号码的记录: {counts['evidence']} 条按姓名等信息对应到人, "
                f"{counts['review']} 条待核实, {counts['unlinked']} 条未能对应 (见 --format json 的 review、unlinked)",
                f"records without a valid ID: {counts['evidence']} linked on evidence, {counts['review']} "
                f"for review, {counts['unlinked']} unlinked (see review and unlinked in --format json)",
            )
        )


def show_import(run: TrainingRun, fmt: Format, show_pii: bool) -> None:
    """import's report, with the records each file added."""
    if fmt is Format.json:
        print_json(run.as_json(show_pii))
        for f in run.run.files:
            if f.status == "rejected":
                err.print(
                    f"[red]{escape(f.path)}: {escape(f.problems[-1].message if f.problems else '')}[/red]"
                )
        return
    show_run(run.run, fmt, show_pii)
    if fmt is Format.table:
        added = sum(run.added.values())
        repeated = sum(run.repeated.values())
        out.print(
            pick(
                f"新增培训记录 {added} 条; 已有记录 {repeated} 条 (不重复计人次)",
                f"{added} training records added; {repeated} already known (not counted again)",
            )
        )


def show_person_training(t: PersonTraining) -> None:
    """A person's training records as a table (or one line when there are none)."""
    d = t.as_of.isoformat()
    if not t.outcomes:
        out.print(pick(f"截至 {d} 无培训记录", f"No training record as of {d}"))
        return

    def outcome(o: Outcome) -> str:
        if not o.closed:
            return pick(
                f"观察期内 (至 {o.window_end.isoformat()})", f"in window (to {o.window_end.isoformat()})"
            )
        if o.placed:
            return pick(f"订单企业就业 {o.placed_on}", f"placed with the order employer {o.placed_on}")
        if o.employed:
            return pick(f"已就业 {o.employed_on}", f"employed {o.employed_on}")
        return pick("期内未就业", "not employed in the window")

    rows = [
        [
            o.record.course_type,
            o.record.trade or "",
            o.record.institution or "",
            f"{o.record.start or ''}～{o.record.end}",
            {True: "是", False: "否", None: ""}[o.record.certificate],
            o.record.order_employer or "",
            outcome(o),
            f"{o.record.source}:{o.record.row}",
        ]
        for o in t.outcomes
    ]
    out.print(
        table(
            pick(
                f"培训记录 (截至 {d}, 结业后 {t.months} 个月内)",
                f"Training as of {d} ({t.months}-month window)",
            ),
            ["培训类别", "工种", "培训机构", "起止日期", "证书", "订单企业", "结果", "来源:行"],
            rows,
        )
    )


def show_linked(record: str, same: bool, fmt: Format) -> None:
    """What `training link` recorded (the person is not echoed: it may be an ID)."""
    if fmt is Format.json:
        print_json({"record_id": record, "decision": "same" if same else "different"})
        return
    out.print(
        pick(
            f"已记录: 培训记录 {record} {'是' if same else '不是'}此人",
            f"recorded: training record {record} is {'' if same else 'not '}this person",
        )
    )
