"""`dedup`: clusters of rows that are or may be one person, as a table or CSV."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from laborcli.cli.listing import TableOptions, print_listing
from laborcli.cli.options import Format
from laborcli.cli.output import print_csv, print_json
from laborcli.exports.listing import Column, Kind, Listing, write_listing_csv
from laborcli.identity.privacy import Mask

if TYPE_CHECKING:
    from laborcli.identity import Cluster

DECISION_ZH = {"same": "同一人", "probable": "疑似", "different": "不同人"}
RECORD_KEYS = ["source", "sheet", "row", "township", "village", "name", "id_number"]


def show_clusters(
    clusters: list[Cluster], d: dt.date, mask: Mask, fmt: Format, opts: TableOptions | None = None
) -> None:
    """The clusters in the asked format on stdout (``opts``: --wide and --excel)."""
    opts = opts or TableOptions()
    if opts.excel is not None:
        write_listing_csv(clusters_listing(clusters, d, mask), opts.excel)
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
        print_listing(clusters_listing(clusters, d, mask), wide=opts.wide)


def clusters_listing(clusters: list[Cluster], d: dt.date, mask: Mask) -> Listing:
    """One line per row; the cluster's number, decision, score and reasons on its first."""
    rows: list[dict[str, object]] = []
    for c in clusters:
        for i, r in enumerate(c.records):
            first = i == 0
            rows.append(
                {
                    "cluster": c.cluster_id if first else "",
                    "decision": DECISION_ZH[c.decision] if first else "",
                    "score": c.score if first else None,
                    "reasons": "；".join(c.reasons) if first else "",
                    "source": f"{r.source}:{r.row}",
                    "place": f"{r.township}{r.village}",
                    "name": r.name,
                    "id_number": mask.id(r.id_number),
                }
            )
    return Listing(
        f"重复登记 (截至 {d.isoformat()}, {len(clusters)} 组)",
        f"Registered more than once as of {d.isoformat()} ({len(clusters)} clusters)",
        COLUMNS,
        rows,
        sheet="重复登记",
    )


COLUMNS = (
    Column("cluster", "组号", "cluster"),
    Column("decision", "判定", "decision"),
    Column("score", "得分", "score", Kind.float),
    Column("reasons", "理由", "reasons", width=30),
    Column("source", "来源", "source", width=30),
    Column("place", "村", "village"),
    Column("name", "姓名", "name"),
    Column("id_number", "身份证号码", "ID number", width=21),
)
