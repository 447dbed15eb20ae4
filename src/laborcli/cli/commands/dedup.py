"""`laborcli dedup`: persons registered more than once, and the review loop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    pass
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import (
    as_of_or_today,
    err,
    out,
    pii_notice,
    print_csv,
    print_json,
    state,
    table,
    working,
)
from laborcli.privacy import Mask

app = typer.Typer(
    help="People registered more than once (重复登记), for review.", invoke_without_command=True
)

DECISION_ZH = {"same": "同一人", "probable": "疑似", "different": "不同人"}


@app.callback(invoke_without_command=True)
def dedup(
    ctx: typer.Context,
    as_of: AsOf = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Write the review workbook (.xlsx) with a decision column."),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """List clusters of rows that are (same) or may be (probable) one person, in the current state."""
    from laborcli.cli.context import open_reg, policy
    from laborcli.exports.review import write_review
    from laborcli.identity import find_clusters

    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    d = as_of_or_today(as_of)
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    with working(st, "查找重复登记"), reg.reading() as conn:
        clusters = find_clusters(conn, d, policy(st).dedup)
    if export is not None:
        write_review(clusters, export, mask)
        if not st.quiet:
            err.print(f"→ {export}")
    if fmt is Format.json:
        print_json({"as_of": d.isoformat(), "clusters": [c.as_json(mask) for c in clusters]})
        return
    if fmt is Format.csv:
        # The JSON records, flattened: one line per row, the cluster's fields repeated.
        rec_keys = ["source", "sheet", "row", "township", "village", "name", "id_number"]
        print_csv(
            ["cluster", "decision", "score", "reasons", *rec_keys],
            [
                [cj["cluster"], cj["decision"], cj["score"], "；".join(cj["reasons"])]
                + [rec[k] for k in rec_keys]
                for cj in (c.as_json(mask) for c in clusters)
                for rec in cj["records"]
            ],
        )
        return
    body = []
    for c in clusters:
        for i, r in enumerate(c.records):
            body.append(
                [
                    c.cluster_id if i == 0 else "",
                    DECISION_ZH[c.decision] if i == 0 else "",
                    f"{c.score:.2f}" if i == 0 else "",
                    "；".join(c.reasons) if i == 0 else "",
                    f"{r.source}:{r.row}",
                    f"{r.township}{r.village}",
                    r.name,
                    mask.id(r.id_number),
                ]
            )
    out.print(
        table(
            f"重复登记 (截至 {d.isoformat()}, {len(clusters)} 组)",
            ["组号", "判定", "得分", "理由", "来源", "村", "姓名", "身份证号码"],
            body,
        )
    )


@app.command("apply")
def apply(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The review workbook with decisions filled in.")],
) -> None:
    """Record the decisions of a review workbook; they keep applying in later imports."""
    from laborcli.cli.context import open_reg
    from laborcli.exports.review import read_review
    from laborcli.identity import record

    st = state(ctx)
    pairs = read_review(file)
    reg = open_reg(st)
    with reg.writing() as conn:
        n = record(conn, pairs, source=file.name)
    if not st.quiet:
        err.print(f"已记录 {n} 条判定 ({file.name})")
