"""The county's annual targets sheet (年度转移就业任务), for ``laborcli targets import``."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from laborcli.sample.places import CountyPlan
from laborcli.sample.standard import standard
from laborcli.sample.writers import Fmt, SheetCell, csv_bytes, xlsx_bytes
from laborcli.sheets.safe import write_whole


def write_targets(
    out_dir: Path, plan: CountyPlan, year: int, new: dict[str, int], seed: int, fmt: Fmt
) -> tuple[str, dict[str, int], int]:
    """The county's annual targets per village (年度转移就业任务数), near what each will achieve."""
    rng = random.Random(f"{seed}/targets/{year}")
    targets: dict[str, int] = {}
    headers = standard().headers
    rows: list[list[SheetCell]] = [
        [f"{plan.county}{year}年度农村劳动力转移就业目标任务分解表"],
        ["序号", headers["township"], headers["village"], "年度任务数", "备注"],
    ]
    for i, v in enumerate(plan.villages, start=1):
        key = f"{v.township}/{v.village}"
        base = new.get(key, 0)
        target = max(5, round(base * rng.uniform(0.85, 1.25) / 5.0) * 5)
        targets[key] = target
        rows.append([i, v.township, v.village, target, None])
    rows.append([None, "合计", None, sum(targets.values()), None])
    # Issued in January; the month in the name lets `laborcli import` take the whole folder
    # (it reports this file as having no village-sheet header) instead of refusing it.
    name = f"{year}年1月_年度转移就业任务.{fmt}"
    if fmt == "xlsx":
        data = xlsx_bytes(
            rows, sheet="任务分解", merges=["A1:E1"], widths=[6, 14, 14, 12, 16], when=dt.date(year, 1, 10)
        )
    else:
        data = csv_bytes(rows, "utf-8-sig")
    write_whole(out_dir / name, data, sync=False)  # a sample is made again at will
    return name, targets, len(data)
