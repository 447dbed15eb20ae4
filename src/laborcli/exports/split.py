"""The monthly report split by township: one workbook each (`export report --split-by township`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from laborcli.exports.report import gather, write_report
from laborcli.identity import find_clusters
from laborcli.policy import Policy
from laborcli.privacy import Mask
from laborcli.registry.engine import Registry


def township_reports(reg: Registry, output: Path, d: dt.date, policy: Policy, mask: Mask) -> Iterator[Path]:
    """Write each township's report, yielding each path once written.

    The duplicate review is found once for the county and shared by every workbook; the
    townships are those of the county report, in its order.
    """
    with reg.reading() as conn:
        clusters = find_clusters(conn, d, policy.dedup)
        towns = [r["township"] for r in gather(conn, d, policy, clusters=clusters).by_township.rows]
        for t in towns:
            path = split_path(output, t)
            write_report(gather(conn, d, policy, township=t, clusters=clusters), path, mask)
            yield path


def split_path(output: Path, township: str) -> Path:
    """The township's workbook: ``{township}`` in the name replaced, else ``<stem>_<township>.xlsx``
    in the folder named (``月报_<township>.xlsx`` when ``output`` is a folder)."""
    if "{township}" in str(output):
        return Path(str(output).replace("{township}", township))
    folder = output if output.suffix.lower() != ".xlsx" else output.parent
    stem = "月报" if output.suffix.lower() != ".xlsx" else output.stem
    return folder / f"{stem}_{township}.xlsx"
