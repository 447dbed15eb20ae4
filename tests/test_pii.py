"""Personal data (PIPL: ID numbers are sensitive): deletion on request, masking, quiet errors.

docs/json.md: identifiers in every output are masked by default, an ID as its first 6 and last 4
characters with ``*`` between, a mobile as ``138****5678``; ``--show-pii`` shows them whole.
``laborcli people purge ID --reason R --yes`` deletes every row of a person and logs it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from laborcli.cli.app import app, main
from laborcli.registry import tables
from tests.conftest import Cli
from tests.sheets import make_id, person, write_xlsx

AS_OF = "2026-11-30"

# The test person, 张三: a valid ID and a mobile; the hand-masked forms of both.
ZS_ID = make_id(dt.date(1985, 3, 4), 7)
ZS_PHONE = "13812345678"
ZS_ID_MASKED = ZS_ID[:6] + "********" + ZS_ID[-4:]  # 18 = 6 + 8 stars + 4
ZS_PHONE_MASKED = "138****5678"
# Another person, 李四, who must never be touched by 张三's purge.
LS_ID = make_id(dt.date(1990, 1, 1), 2)
LS_PHONE = "13900001111"


def _two(income: int) -> list[dict[str, object]]:
    """一村: 张三 farms alone in H001 (a zero-employment household), 李四 works outside in H002."""
    return [
        person("张三", dt.date(1985, 3, 4), seq=7, status="务农", phone=ZS_PHONE),
        person("李四", dt.date(1990, 1, 1), seq=2, household="H002", phone=LS_PHONE, income=income),
    ]


def _two_months(cli: Cli, d: Path) -> list[Path]:
    """Import October and November (李四's income differs, so the files differ)."""
    files = [
        write_xlsx(d / "甲镇_一村_2026-10.xlsx", _two(3000)),
        write_xlsx(d / "甲镇_一村_2026-11.xlsx", _two(3500)),
    ]
    for f in files:
        assert cli("import", str(f), "--format", "json").exit_code == 0
    return files


def _engine(db: str) -> sa.Engine:
    return sa.create_engine(db if "://" in db else f"sqlite:///{db}")


def _dump(db: str) -> str:
    """Every value of every table of the registry, as one text."""
    eng = _engine(db)
    try:
        with eng.connect() as c:
            return "\n".join(
                repr(tuple(r)) for t in tables.metadata.sorted_tables for r in c.execute(sa.select(t))
            )
    finally:
        eng.dispose()


def _main(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    """The real entry point (a LaborError becomes one stderr line and an exit code)."""
    capsys.readouterr()
    code = main(["--db", db, *args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def _labour_force(cli: Cli, as_of: str = AS_OF) -> int:
    return int(cli.json("rates", "--as-of", as_of)["total"]["labour_force"])


# --- (1) deletion on request


def test_purge_removes_every_row_of_the_person_and_nothing_else(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_months(cli, tmp_path)
    assert _labour_force(cli) == 2  # 张三 (务农) and 李四 (县外务工)
    r = cli("people", "purge", ZS_ID, "--reason", "本人申请删除个人信息", "--yes")
    assert r.exit_code == 0, r.output
    assert "已删除 2 行" in r.stderr  # one row in each month
    # 张三 is gone from his history, the figures and the register export.
    code, out, err = _main(capsys, cli.db, "person", ZS_ID, "--format", "json")
    assert (code, out) == (1, "")
    assert "没有找到" in err
    assert _labour_force(cli) == 1
    assert _labour_force(cli, "2026-10-31") == 1
    csv_path = tmp_path / "people.csv"
    assert cli("export", "people", "-o", str(csv_path), "--as-of", AS_OF, "--show-pii").exit_code == 0
    text = csv_path.read_text(encoding="utf-8-sig")
    assert ZS_ID not in text and "张三" not in text
    # 李四 keeps both months.
    assert LS_ID in text
    assert len(cli.json("person", LS_ID)["entries"]) == 2
    # The registry holds 2 rows (李四's) and nothing of 张三's ID or phone anywhere.
    info = cli.json("db", "info")
    assert info["tables"]["rows"] == 2
    dump = _dump(cli.db)
    assert ZS_ID not in dump and ZS_PHONE not in dump
    assert LS_ID in dump


def test_purge_is_logged_without_the_id(cli: Cli, tmp_path: Path) -> None:
    _two_months(cli, tmp_path)
    assert cli("people", "purge", ZS_ID, "--reason", "本人申请删除", "--yes").exit_code == 0
    assert cli.json("db", "info")["tables"]["purges"] == 1
    eng = _engine(cli.db)
    try:
        with eng.connect() as c:
            logged = [r._mapping for r in c.execute(sa.select(tables.purges))]
    finally:
        eng.dispose()
    assert len(logged) == 1
    assert (logged[0]["rows_removed"], logged[0]["reason"]) == (2, "本人申请删除")
    text = repr(dict(logged[0]))
    assert ZS_ID not in text and ZS_ID[:17] not in text  # not even the ID body without check digit


def test_re_importing_the_same_old_file_does_not_bring_the_purged_person_back(
    cli_sqlite: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = cli_sqlite
    october, _ = _two_months(cli, tmp_path)
    assert cli("people", "purge", ZS_ID, "--yes").exit_code == 0
    rep = cli.json("import", str(october))
    assert rep["files"][0]["status"] == "unchanged"  # same bytes as before: nothing written again
    code, _, _ = _main(capsys, cli.db, "person", ZS_ID)
    assert code == 1
    assert _labour_force(cli, "2026-10-31") == 1


def test_a_new_sheet_that_lists_the_purged_person_brings_him_back_for_its_month_only(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    cli = cli_sqlite
    _two_months(cli, tmp_path)
    assert cli("people", "purge", ZS_ID, "--yes").exit_code == 0
    # A corrected October sheet (李四's income changed) still lists 张三: he is imported again.
    again = write_xlsx(tmp_path / "甲镇_一村_2026-10.xlsx", _two(3001))
    assert cli.json("import", str(again))["files"][0]["status"] == "imported"
    entries = cli.json("person", ZS_ID)["entries"]
    assert [e["as_of"] for e in entries] == ["2026-10-31"]
    # October counts him again; November's sheet (his row purged) still does not.
    assert (_labour_force(cli, "2026-10-31"), _labour_force(cli)) == (2, 1)


def test_purge_leaves_no_trace_of_the_id_in_stored_import_problems(cli: Cli, tmp_path: Path) -> None:
    # October lists 张三 twice: the warning id-duplicate-in-sheet is stored with his ID as its value.
    rows = [*_two(3000), person("张三", dt.date(1985, 3, 4), seq=7, status="务农", phone=ZS_PHONE)]
    rep = cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-10.xlsx", rows)))
    assert [p["code"] for p in rep["files"][0]["problems"]] == ["id-duplicate-in-sheet"]
    assert cli("people", "purge", ZS_ID, "--yes").exit_code == 0
    assert ZS_ID not in _dump(cli.db)


def test_purge_takes_the_id_as_people_type_it(cli_sqlite: Cli, tmp_path: Path) -> None:
    _two_months(cli_sqlite, tmp_path)
    assert LS_ID.endswith("X")
    typed = f" {LS_ID[:6]} {LS_ID[6:14]} {LS_ID[14:].lower()}"  # spaces and a lower-case x
    r = cli_sqlite("people", "purge", typed, "--yes")
    assert r.exit_code == 0, r.output
    assert "已删除 2 行" in r.stderr
    assert _labour_force(cli_sqlite) == 1  # 张三 stays
    assert len(cli_sqlite.json("person", ZS_ID)["entries"]) == 2


def test_purge_asks_first_and_a_no_deletes_nothing(cli_sqlite: Cli, tmp_path: Path) -> None:
    _two_months(cli_sqlite, tmp_path)
    r = cli_sqlite.runner.invoke(app, ["--db", cli_sqlite.db, "people", "purge", ZS_ID], input="n\n")
    assert r.exit_code == 1
    assert len(cli_sqlite.json("person", ZS_ID)["entries"]) == 2
    assert cli_sqlite.json("db", "info")["tables"]["purges"] == 0


def test_purge_takes_the_old_15_digit_form_of_the_id(
    cli_sqlite: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_months(cli_sqlite, tmp_path)
    old = LS_ID[:6] + LS_ID[8:17]  # drop the 19 of the year and the check digit
    code, _, err = _main(capsys, cli_sqlite.db, "people", "purge", old, "--yes")
    assert code == 0, err
    assert _labour_force(cli_sqlite) == 1


# --- (2) masked by default everywhere an ID or a phone can appear

Output = Callable[[Cli, Path, list[str]], tuple[Any, str]]


def _cells(path: Path, only: str | None = None) -> str:
    """Every non-empty cell of a workbook (or of one sheet), one per line."""
    wb = load_workbook(path)
    return "\n".join(
        str(c.value)
        for ws in wb
        if only is None or ws.title == only
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    )


def _stdout(*args: str, fmt: str = "json") -> Output:
    def run(cli: Cli, d: Path, pii: list[str]) -> tuple[Any, str]:
        r = cli(*args, "--format", fmt, *pii)
        return r, r.stdout

    return run


def _file(*args: str, suffix: str, only: str | None = None) -> Output:
    def run(cli: Cli, d: Path, pii: list[str]) -> tuple[Any, str]:
        out = d / f"out{len(pii)}{suffix}"
        r = cli(*args, str(out), *pii)
        return r, out.read_text(encoding="utf-8-sig") if suffix == ".csv" else _cells(out, only)

    return run


# (how to get the output's text, whether that output shows the phone at all)
OUTPUTS: list[Any] = [
    pytest.param(_stdout("households", "--as-of", AS_OF), True, id="households"),
    pytest.param(_stdout("households", "--zero-employment", "--as-of", AS_OF), True, id="zero-employment"),
    pytest.param(_stdout("households", "--as-of", AS_OF, fmt="csv"), True, id="households-csv"),
    pytest.param(
        _file("households", "--as-of", AS_OF, "--export", suffix=".xlsx"), True, id="households-xlsx"
    ),
    pytest.param(_stdout("person", ZS_ID), True, id="person"),
    pytest.param(_stdout("household", "H001"), True, id="household"),
    pytest.param(_stdout("dedup", "--as-of", AS_OF), True, id="dedup-json"),
    pytest.param(_file("export", "people", "--as-of", AS_OF, "-o", suffix=".csv"), True, id="people-csv"),
    pytest.param(
        _file("export", "people", "--as-of", AS_OF, "--format", "xlsx", "-o", suffix=".xlsx"),
        True,
        id="people-xlsx",
    ),
    pytest.param(
        _file("export", "report", "--as-of", AS_OF, "-o", suffix=".xlsx", only="零就业家庭"),
        True,
        id="report-zero-employment-sheet",
    ),
    pytest.param(_file("export", "report", "--as-of", AS_OF, "-o", suffix=".xlsx"), True, id="report"),
    pytest.param(_file("dedup", "--as-of", AS_OF, "--export", suffix=".xlsx"), True, id="dedup-review"),
]


@pytest.fixture
def registry(cli_sqlite: Cli, tmp_path: Path) -> Cli:
    """November: 一村 (张三 alone in a zero-employment household, 李四) and 二村 listing 张三 again."""
    again = person("张三", dt.date(1985, 3, 4), seq=7, status="务农", phone=ZS_PHONE, village="二村")
    rep = cli_sqlite.json(
        "import",
        str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _two(3500))),
        str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", [{**again, "户编号": "H101"}])),
    )
    assert rep["totals"]["rows_imported"] == 3
    return cli_sqlite


def _notices(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "--show-pii" in line]


@pytest.mark.parametrize(("output", "phone"), OUTPUTS)
def test_ids_and_phones_are_masked_by_default(
    registry: Cli, tmp_path: Path, output: Output, phone: bool
) -> None:
    r, text = output(registry, tmp_path, [])
    assert r.exit_code == 0, r.output
    assert ZS_ID_MASKED in text
    assert (ZS_PHONE_MASKED in text) is phone
    assert _notices(r.stderr) == []
    assert ZS_ID not in text
    assert ZS_PHONE not in text


@pytest.mark.parametrize(("output", "phone"), OUTPUTS)
def test_show_pii_shows_them_whole_and_says_so_once_on_stderr(
    registry: Cli, tmp_path: Path, output: Output, phone: bool
) -> None:
    r, text = output(registry, tmp_path, ["--show-pii"])
    assert r.exit_code == 0, r.output
    assert ZS_ID in text and ZS_ID_MASKED not in text
    assert (ZS_PHONE in text) is phone
    assert ZS_PHONE_MASKED not in text
    assert _notices(r.stderr) == ["注意: 输出包含完整的身份证号码和电话 (--show-pii)"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["households", "--as-of", AS_OF], id="households"),
        pytest.param(["person", ZS_ID], id="person"),
        pytest.param(["household", "H001"], id="household"),
        pytest.param(["dedup", "--as-of", AS_OF], id="dedup"),
    ],
)
def test_human_tables_never_show_the_full_id(registry: Cli, args: list[str]) -> None:
    r = registry(*args)
    assert r.exit_code == 0, r.output
    assert "张三" in r.stdout
    assert ZS_ID not in r.stdout and ZS_PHONE not in r.stdout


@pytest.mark.parametrize(
    "args",
    [["person", ZS_ID], ["household", "H001"], ["dedup", "--as-of", AS_OF]],
    ids=["person", "household", "dedup"],
)
def test_history_csv_carries_the_masked_id(registry: Cli, args: list[str]) -> None:
    r = registry(*args, "--format", "csv")
    assert r.exit_code == 0, r.output
    assert ZS_ID_MASKED in r.stdout and ZS_ID not in r.stdout
    assert "┃" not in r.stdout


BAD_PHONE = "12812345678"  # 11 digits but no mobile prefix: warning phone-invalid
BAD_PHONE_MASKED = "128****5678"


def _bad_sheet(d: Path) -> Path:
    """三村: 李四, 张三, and 张三 again on row 4 with a wrong phone (two warnings, both on row 4)."""
    rows = [{**p, "村(社区)": "三村"} for p in _two(3000)]
    again = person("张三", dt.date(1985, 3, 4), seq=7, status="务农", village="三村", phone=BAD_PHONE)
    return write_xlsx(d / "甲镇_三村_2026-11.xlsx", [*rows, again])


@pytest.mark.parametrize("command", ["validate", "import"])
def test_problem_values_of_ids_and_phones_are_masked_by_default(
    cli_sqlite: Cli, tmp_path: Path, command: str
) -> None:
    r = cli_sqlite(command, str(_bad_sheet(tmp_path)), "--format", "json")
    assert r.exit_code == 0, r.output  # warnings only
    problems = json.loads(r.stdout)["files"][0]["problems"]
    assert sorted((p["row"], p["code"], p["value"]) for p in problems) == [
        (4, "id-duplicate-in-sheet", ZS_ID_MASKED),
        (4, "phone-invalid", BAD_PHONE_MASKED),
    ]
    assert ZS_ID not in r.stdout and BAD_PHONE not in r.stdout
    table = cli_sqlite("validate", str(tmp_path / "甲镇_三村_2026-11.xlsx"))  # the human table too
    assert ZS_ID not in table.output and BAD_PHONE not in table.output


@pytest.mark.parametrize("command", ["validate", "import"])
def test_problem_values_are_whole_with_show_pii(cli_sqlite: Cli, tmp_path: Path, command: str) -> None:
    r = cli_sqlite(command, str(_bad_sheet(tmp_path)), "--format", "json", "--show-pii")
    assert r.exit_code == 0, r.output
    problems = json.loads(r.stdout)["files"][0]["problems"]
    assert sorted((p["code"], p["value"]) for p in problems) == [
        ("id-duplicate-in-sheet", ZS_ID),
        ("phone-invalid", BAD_PHONE),
    ]


@pytest.mark.parametrize("command", ["validate", "import"])
def test_problem_values_with_show_pii_carry_the_notice(cli_sqlite: Cli, tmp_path: Path, command: str) -> None:
    r = cli_sqlite(command, str(_bad_sheet(tmp_path)), "--format", "json", "--show-pii")
    assert r.exit_code == 0, r.output
    assert _notices(r.stderr) == ["注意: 输出包含完整的身份证号码和电话 (--show-pii)"]


# --- (3) error messages never carry a full ID

UNKNOWN_ID = make_id(dt.date(1970, 6, 15), 33, male=False)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["person", UNKNOWN_ID], id="person"),
        pytest.param(["person", UNKNOWN_ID, "--format", "json", "--show-pii"], id="person-show-pii"),
        pytest.param(["people", "purge", UNKNOWN_ID, "--yes"], id="purge"),
    ],
)
def test_not_found_errors_do_not_repeat_the_id(
    registry: Cli, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = _main(capsys, registry.db, *args)
    assert code == 1
    assert out == ""
    assert "没有找到此人" in err
    assert UNKNOWN_ID not in err and UNKNOWN_ID[:17] not in err


def test_a_purge_that_finds_nobody_logs_nothing(registry: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _main(capsys, registry.db, "people", "purge", UNKNOWN_ID, "--yes")
    assert code == 1
    assert registry.json("db", "info")["tables"]["purges"] == 0


def test_purge_of_a_person_listed_in_two_villages_removes_him_from_both(registry: Cli) -> None:
    assert len(registry.json("dedup", "--as-of", AS_OF)["clusters"]) == 1  # 张三 in 一村 and 二村
    r = registry("people", "purge", ZS_ID, "--yes")
    assert r.exit_code == 0, r.output
    assert "已删除 2 行" in r.stderr  # one row per village
    assert registry.json("dedup", "--as-of", AS_OF)["clusters"] == []
    assert registry.json("households", "--zero-employment", "--as-of", AS_OF)["rows"] == []
    assert _labour_force(registry) == 1  # 李四
