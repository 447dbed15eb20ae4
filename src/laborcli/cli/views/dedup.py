"""`dedup`: clusters of rows that are or may be one person, as a table or CSV."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.table import Table

from laborcli.cli.options import Format
from laborcli.cli.output import out, print_csv, print_json, table
from laborcli.identity.privacy import Mask

if TYPE_CHECKING:
    from laborcli.identity import Cluster

DECISION_ZH = {"same": "同一人", "probable": "疑似", "different": "不同人"}
RECORD_KEYS = ["source", "sheet", "row", "township", "village", "name", "id_number"]


def show_clusters(clusters: list[Cluster], d: dt.date, mask: Mask, fmt: Format) -> None:
    """The clusters in the asked format on stdout."""
    if fmt is Format.json:
        print_json({"as_of": d.isoformat(), "clusters": [c.as_json(mask) for c in clusters]})
    elif fmt is Format.csv:
        # The JSON records, flattened: one line per row, the cluster's fields repeated.
        print_csv(
            ["cluster", "decision", "score", "reasons", *RECORD_KEYS],
            [
                [cj["cluster"], cj["decision"], cj["score"], "；".join(cj["reasons"])]
                + [rec[k] for k in RECORD_KEYS]
                for cj in (c.as_json(mask) for c in clusters)
                for rec in cj["records"]
            ],
        )
    else:
        out.print(clusters_table(clusters, d, mask))


def clusters_table(clusters: list[Cluster], d: dt.date, mask: Mask) -> Table:
    """One line per row; the cluster's number, decision, score and reasons on its first."""
    body = []
    for c in clusters:
        for i, r in enumerate(c.records):
            first = i == 0
            body.append(
                [
                    c.cluster_id if first else "",
                    DECISION_ZH[c.decision] if first else "",
                    f"{c.score:.2f}" if first else "",
                    "；".join(c.reasons) if first else "",
                    f"{r.source}:{r.row}",
                    f"{r.township}{r.village}",
                    r.name,
                    mask.id(r.id_number),
                ]
            )
    return table(
        f"重复登记 (截至 {d.isoformat()}, {len(clusters)} 组)",
        ["组号", "判定", "得分", "理由", "来源", "村", "姓名", "身份证号码"],
        body,
    )
