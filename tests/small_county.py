"""A small county for the pictures and pages (the Friday board, the dashboard): two
townships, five villages, sheets of October and November 2026 (乙乡五村 sends only
October's, so it is stale at 2026-11-30), the year's targets, and in each village one
household of two farmers (a zero-employment household)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import Cli
from tests.sheets import person, write_xlsx

NEW = dt.date(2026, 3, 1)  # a job started in 2026: a new transfer of the year
# (township, village): (new transfers, earlier transfers, farmers in one household), target
VILLAGES: dict[tuple[str, str], tuple[tuple[int, int, int], int]] = {
    ("甲镇", "一村"): ((4, 1, 2), 5),
    ("甲镇", "二村"): ((2, 2, 2), 5),
    ("乙乡", "三村"): ((5, 0, 2), 5),
    ("乙乡", "四村"): ((1, 1, 2), 5),
    ("乙乡", "五村"): ((3, 1, 2), 5),
}
STALE = ("乙乡", "五村")
MONTHS = ("2026-10-31", "2026-11-30")
WEEK = "2026-W49"  # the week holding 2026-11-30: its Friday ranks on November's sheets


def people(township: str, village: str, base: int, month: int) -> list[dict[str, object]]:
    """The village's rows; in November each village has one new transfer more."""
    (new, old, idle), _ = VILLAGES[(township, village)]
    new += month
    rows: list[dict[str, object]] = []
    for i in range(new + old):
        seq = base + i
        rows.append(
            person(
                f"村民{seq}",
                dt.date(1980, 1, 1) + dt.timedelta(days=seq),
                seq=seq,
                status="县外务工",
                job_start=NEW if i < new else dt.date(2019, 5, 1),
                township=township,
                village=village,
                household=f"{village}-H{seq:04d}",
                phone=f"1391234{seq:04d}",
            )
        )
    for j in range(idle):
        seq = 5000 + base + j
        rows.append(
            person(
                f"农户{seq}",
                dt.date(1970, 1, 1) + dt.timedelta(days=base + j),
                seq=seq,
                status="务农",
                township=township,
                village=village,
                household=f"{village}-Z01",
                relation="户主" if j == 0 else "配偶",
            )
        )
    return rows


def load(cli: Cli, folder: Path) -> None:
    """Import both months and the targets."""
    for m, as_of in enumerate(MONTHS):
        paths = []
        for n, (t, v) in enumerate(VILLAGES):
            if m == 1 and (t, v) == STALE:
                continue
            rows = people(t, v, 100 * (n + 1), m)
            paths.append(str(write_xlsx(folder / f"{t}_{v}_{as_of[:7]}.xlsx", rows)))
        r = cli("import", *paths, "--as-of", as_of, "--format", "json")
        assert r.exit_code == 0, r.output
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["乡镇", "村(社区)", "年度任务数"])
    for (t, v), (_, target) in VILLAGES.items():
        ws.append([t, v, target])
    wb.save(folder / "targets.xlsx")
    r = cli("targets", "import", str(folder / "targets.xlsx"), "--year", "2026")
    assert r.exit_code == 0, r.output


def policy(folder: Path) -> Path:
    """A policy naming the county and its office, with lists of two."""
    path = folder / "policy.toml"
    path.write_text(
        '[county]\nname = "测试县"\noffice = "测试县人力资源和社会保障局"\n\n[ranking]\ntop = 2\n',
        encoding="utf-8",
    )
    return path


def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    """The small county in a SQLite registry of a new folder, and its policy file: for a
    module's fixture, made once for tests that only read it."""
    folder = tmp_path_factory.mktemp("county")
    cli = Cli(str(folder / "registry.db"))
    load(cli, folder)
    return cli, policy(folder)
