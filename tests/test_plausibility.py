"""A sheet filed under the wrong village is refused, not turned into a thousand duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import Cli
from tests.sheets import person, write_xlsx


def _village(n: int, village: str, township: str = "甲镇", start: int = 0) -> list[dict[str, object]]:
    return [
        person(
            f"村民{i}",
            dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            seq=i,
            township=township,
            village=village,
            household=f"{village}-H{i:03d}",
        )
        for i in range(start, start + n)
    ]


def _county(cli: Cli) -> list[int]:
    rates = cli.json("rates", "--as-of", "2026-11-30")
    return [rates["total"]["labour_force"], rates["total"]["transferred"]]


def test_same_sheet_under_a_second_village_is_refused(cli: Cli, tmp_path: Path) -> None:
    rows = _village(20, "一村")
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows)))
    copied = [{**r, "村(社区)": "二村"} for r in rows]
    rep = cli.json("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", copied)))
    f = rep["files"][0]
    assert f["status"] == "rejected"
    assert f["rows_imported"] == 0
    assert f["problems"][0]["code"] == "batch-implausible"
    assert "20/20" in f["problems"][0]["message"] and "一村" in f["problems"][0]["message"]
    assert _county(cli) == [20, 20]
    assert cli.json("dedup", "--as-of", "2026-11-30")["clusters"] == []


def test_force_imports_the_refused_sheet(cli: Cli, tmp_path: Path) -> None:
    rows = _village(20, "一村")
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows)))
    copied = write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", [{**r, "村(社区)": "二村"} for r in rows])
    r = cli("import", str(copied), "--force", "--format", "json")
    assert r.exit_code == 0, r.output
    assert _county(cli) == [20, 20]  # still one person each: counted once
    assert len(cli.json("dedup", "--as-of", "2026-11-30")["clusters"]) == 20


def test_a_few_people_moving_villages_is_normal(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-10.xlsx", _village(30, "一村"))))
    moved = _village(3, "一村")  # three people now listed in 二村 too
    second = _village(17, "二村", start=100) + [{**r, "村(社区)": "二村"} for r in moved]
    r = cli("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", second)), "--format", "json")
    assert r.exit_code == 0, r.output


def test_small_sheets_are_never_judged(cli: Cli, tmp_path: Path) -> None:
    rows = _village(9, "一村")  # below implausible_min = 10
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows)))
    copied = [{**r, "村(社区)": "二村"} for r in rows]
    r = cli("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", copied)), "--format", "json")
    assert r.exit_code == 0, r.output


def test_township_sheet_imported_as_one_village_is_refused(cli: Cli, tmp_path: Path) -> None:
    a, b = _village(12, "一村"), _village(12, "二村", start=50)
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", a)))
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", b)))
    whole = [{**r, "村(社区)": "三村"} for r in a + b] + _village(4, "三村", start=200)
    rep = cli.json("import", str(write_xlsx(tmp_path / "甲镇_三村_2026-11.xlsx", whole)))
    f = rep["files"][0]
    assert (f["status"], f["problems"][0]["code"]) == ("rejected", "batch-implausible")
    assert "24/28" in f["problems"][0]["message"]


def test_large_sheets_are_judged_on_a_sample_first_and_refused_with_true_counts(
    cli: Cli, tmp_path: Path
) -> None:
    # 450 valid IDs: more than twice the sample, so the sample is looked at first.
    rows = _village(450, "一村")
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows)))
    copied = [{**r, "村(社区)": "二村"} for r in rows]
    f = cli.json("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", copied)))["files"][0]
    assert (f["status"], f["problems"][0]["code"]) == ("rejected", "batch-implausible")
    assert "450/450" in f["problems"][0]["message"]  # counted over every ID, not the sample


def test_a_large_genuine_sheet_with_a_few_movers_is_imported(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-10.xlsx", _village(450, "一村"))))
    movers = [{**r, "村(社区)": "二村"} for r in _village(20, "一村")]
    second = _village(430, "二村", start=1000) + movers
    r = cli("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", second)), "--format", "json")
    assert r.exit_code == 0, r.output
    assert cli.json("rates", "--as-of", "2026-11-30")["total"]["labour_force"] == 880


def test_files_of_one_import_are_judged_against_the_sheets_it_wrote_before_them(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "oct").mkdir()
    (tmp_path / "nov").mkdir()
    # October: 一村 lists 20 people. November's folder: 一村's new sheet lists 20 others,
    # and 二村's sheet the October 20 (they are 二村's now) and a copy of 一村's new 20.
    cli.json("import", str(write_xlsx(tmp_path / "oct" / "甲镇_一村_2026-10.xlsx", _village(20, "一村"))))
    nov = tmp_path / "nov"
    fresh = _village(20, "一村", start=200)
    write_xlsx(nov / "甲镇_一村_2026-11.xlsx", fresh)
    write_xlsx(nov / "甲镇_二村_2026-11.xlsx", [{**r, "村(社区)": "二村"} for r in _village(20, "一村")])
    write_xlsx(nov / "甲镇_三村_2026-11.xlsx", [{**r, "村(社区)": "三村"} for r in fresh])
    files = {Path(f["path"]).name: f for f in cli.json("import", str(nov))["files"]}
    # 一村's October sheet is no longer current once its November sheet is written.
    assert files["甲镇_二村_2026-11.xlsx"]["status"] == "imported"
    # The copy of the November sheet written a file before it is refused.
    refused = files["甲镇_三村_2026-11.xlsx"]
    assert refused["status"] == "rejected" and refused["problems"][0]["code"] == "batch-implausible"
    assert "一村" in refused["problems"][0]["message"]
