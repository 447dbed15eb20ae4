"""Sheet kinds: every kind of sheet is a TOML schema on one machinery (reading, header
finding, totals rows, problems, annotated copies, templates); a kind's own rules are an
optional rule set."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from laborcli.cli.app import main
from laborcli.errors import SchemaError
from laborcli.ranking.target_sheet import read_targets, targets_schema
from laborcli.sheets import schema as schema_module
from laborcli.sheets.annotate import annotate_book
from laborcli.sheets.checking import FileReport, Settings, check_file
from laborcli.sheets.schema import default_schema_path, load_schema
from laborcli.sheets.template import write_template
from tests.conftest import Cli
from tests.sheets import person, write_xlsx

TOY = """
name = "农机具登记表"

[sheet]
kind = "machines"
header_keys = ["machine"]
min_header_matches = 2
record_keys = ["owner", "machine"]
required = ["machine", "count"]
template_sheet = "农机具"
instructions = ["每台农机一行。"]

[[columns]]
key = "owner"
header = "户主姓名"
aliases = ["户主"]
type = "name"

[[columns]]
key = "machine"
header = "农机名称"
aliases = ["机具", "名称"]
type = "text"

[[columns]]
key = "count"
header = "数量"
aliases = ["台数"]
type = "integer"
minimum = 1

[[columns]]
key = "bought"
header = "购置日期"
type = "date"

[[columns]]
key = "fuel"
header = "燃料"
type = "vocabulary"
vocabulary = "fuel"

[[columns]]
key = "phone"
header = "联系电话"
type = "phone"

[vocabularies.fuel]
terms = [
  { term = "柴油", aliases = ["柴"] },
  { term = "汽油", aliases = [] },
  { term = "电动", aliases = ["电"] },
]
"""


def _book(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _codes(rep: FileReport) -> list[tuple[int, str, str | None, str]]:
    return [(p.row, str(p.code), p.column, p.severity) for p in rep.problems]


def test_a_toy_sheet_kind_from_a_toml_file_alone_is_validated_with_problems_and_an_annotated_copy(
    tmp_path: Path,
) -> None:
    kind_file = tmp_path / "machines.toml"
    kind_file.write_text(TOY, encoding="utf-8")
    toy = load_schema(kind_file)
    assert toy.kind == "machines" and toy.rules() is None
    sheet = _book(
        tmp_path / "农机_2026-11.xlsx",
        [
            ["2026年农机具登记表"],  # a title row above the header
            ["户主", "机具", "台数", "购置日期", "燃料", "联系电话"],  # aliases
            ["张三", "拖拉机", 1, "2021.3.5", "柴", "13812345678"],
            ["李四", "收割机", "两台", "2020-13-01", "煤", "123"],
            ["王五", "", 0, None, "电", None],
            ["合计", "", 1, None, None, None],  # a totals row is no record
        ],
    )
    rep = check_file(sheet, Settings(schema=toy), keep_book=True, for_store=True)
    assert rep.status == "checked" and rep.rows_read == 3
    assert _codes(rep) == [
        (4, "number-invalid", "台数", "warning"),
        (4, "date-unreadable", "购置日期", "error"),
        (4, "value-unknown", "燃料", "error"),
        (4, "phone-invalid", "联系电话", "warning"),
        (4, "value-missing", "台数", "error"),
        (5, "number-invalid", "台数", "warning"),
        (5, "value-missing", "机具", "error"),  # the header as the sheet writes it
        (5, "value-missing", "台数", "error"),  # below the minimum: ignored, so empty
    ]
    assert rep.rows_imported == 1 and rep.rows_rejected == 2
    cols = rep.sheets[0].columns
    assert cols is not None  # a kind without a rule set keeps its accepted columns
    assert (cols["owner"], cols["count"], cols["bought"], cols["fuel"]) == (
        ["张三"],
        [1],
        [dt.date(2021, 3, 5)],
        ["柴油"],
    )
    fix = rep.problems[0]
    assert fix.level == "cell" and fix.fix and fix.fix in fix.message
    copy = annotate_book(rep, tmp_path)
    ws = load_workbook(copy)["Sheet"]
    assert ws["D4"].fill.start_color.rgb == "FFFFC7CE"  # an error: red
    assert ws["F4"].fill.start_color.rgb == "FFFFEB9C"  # a warning alone: yellow
    assert ws["D4"].comment is not None and "日期" in ws["D4"].comment.text
    assert ws["B3"].comment is None


def test_a_toy_sheet_kind_validates_through_the_cli_and_has_a_template(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    kind_file = tmp_path / "machines.toml"
    kind_file.write_text(TOY, encoding="utf-8")
    sheet = _book(tmp_path / "农机.xlsx", [["农机名称", "数量"], ["拖拉机", 1], ["", 2]])
    r = cli_sqlite("--schema", str(kind_file), "validate", str(sheet), "--format", "json")
    assert r.exit_code == 1, r.output
    problems = json.loads(r.stdout)["files"][0]["problems"]
    assert [(p["row"], p["code"], p["level"]) for p in problems] == [(3, "value-missing", "cell")]
    write_template(load_schema(kind_file), tmp_path / "模板.xlsx")
    wb = load_workbook(tmp_path / "模板.xlsx")
    assert wb.sheetnames[0] == "农机具"
    assert [c.value for c in wb["农机具"][1]][:3] == ["户主姓名", "农机名称", "数量"]
    assert wb["农机具"].data_validations.dataValidation  # the fuel dropdown


def _targets_csv(path: Path, encoding: str) -> Path:
    lines = [
        "2026年转移就业任务分解表,,",
        "乡(镇),行政村,任务数",
        "甲镇,一村,10",
        "甲镇,二村,很多",
        "小计,,10",
        "填报人: 张三,,",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_a_targets_sheet_with_a_title_aliases_totals_and_gb18030_is_read_like_a_village_sheet(
    tmp_path: Path,
) -> None:
    f = _targets_csv(tmp_path / "任务.csv", "gb18030")
    rep, values = read_targets(f, 2026, {("甲镇", "一村"), ("甲镇", "二村")})
    assert rep.rows_read == 2  # neither the totals row nor the signature line
    assert (rep.status, values) == ("rejected", [])  # whole or nothing: 二村 is in error
    [p] = rep.problems
    assert (p.row, str(p.code), p.column, p.value, p.level) == (4, "target-invalid", "任务数", "很多", "cell")
    # The same faults in a village sheet: the same kind of problem, at the cell as typed.
    v = write_xlsx(
        tmp_path / "甲镇_一村_2026-11.xlsx",
        [person("张三", dt.date(1990, 1, 1)), person("李四", dt.date(1991, 1, 1), income="很多")],
        title_rows=[("2026年11月花名册",)],
        rename={"月收入(元)": "月收入"},
        extra_rows=[("合计",)],
    )
    village = check_file(v, Settings(schema=load_schema()))
    assert village.rows_read == 2
    [q] = village.problems
    assert (q.row, str(q.code), q.column, q.value, q.level) == (4, "income-invalid", "月收入", "很多", "cell")
    copy = annotate_book(rep, tmp_path)
    ws = load_workbook(copy).worksheets[1]  # after the 问题清单
    assert ws["C4"].fill.start_color.rgb == "FFFFC7CE" and ws["C4"].comment is not None


def test_targets_import_reads_a_gb18030_csv_with_a_title_and_totals(cli: Cli, tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "甲镇_一村_2026-11.xlsx",
        [person("张三", dt.date(1990, 1, 1))],
    )
    assert cli("import", str(tmp_path / "甲镇_一村_2026-11.xlsx")).exit_code == 0
    f = _targets_csv(tmp_path / "任务.csv", "gb18030")
    r = cli("targets", "import", str(f), "--year", "2026", "--format", "json")
    rep = json.loads(r.stdout)
    assert r.exit_code == 1
    assert (rep["rows_read"], rep["imported"], rep["status"]) == (2, 0, "rejected")
    assert [(p["row"], p["code"], p["column"]) for p in rep["problems"]] == [(4, "target-invalid", "任务数")]


def test_the_targets_kind_is_declared_without_python_of_its_own() -> None:
    kind = targets_schema()
    assert kind.kind == "targets" and kind.rules() is None
    assert kind.info.header_keys == ["village", "target"]


def test_a_vocabulary_lookup_belongs_to_its_schema_even_when_python_reuses_an_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A freed schema's id() can be given to the next one; a cache keyed by id() then handed
    # the old schema's lookup to a county schema with an extra alias. Every id() the same:
    monkeypatch.setattr(schema_module, "id", lambda obj: 1, raising=False)
    text = default_schema_path().read_text(encoding="utf-8")
    county = tmp_path / "county.toml"
    county.write_text(
        text.replace('"在家务农", "农业生产"', '"在家务农", "农业生产", "种地"'), encoding="utf-8"
    )
    first = load_schema()
    assert "种地" not in first.lookup("employment_status")
    del first
    assert load_schema(county).lookup("employment_status")["种地"].term == "务农"


def _legacy(text: str) -> str:
    """The village schema as counties copied it before sheet kinds: no [sheet], `kind`,
    no problem codes of its own, and `required = true` where a county marked its template."""
    text = re.sub(r"\n\[sheet\]\n.*?\n\]\n", "\n", text, flags=re.S)
    text = re.sub(r'^missing = "[a-z-]+"\n', "", text, flags=re.M)
    text = text.replace(
        'key = "phone"\nheader = "联系电话"\n', 'key = "phone"\nheader = "联系电话"\nrequired = true\n'
    )
    for new, old in (
        ("status-unknown", "status"),
        ("capacity-unknown", "capacity"),
        ("gender-unknown", "gender"),
    ):
        text = text.replace(f'type = "vocabulary"\nunknown = "{new}"', f'kind = "{old}"')
    text = text.replace('type = "money"', 'kind = "income"')
    return re.sub(r'^type = "', 'kind = "', text, flags=re.M)


def test_a_county_schema_written_before_sheet_kinds_still_reads_as_a_village_sheet(tmp_path: Path) -> None:
    old = tmp_path / "county.toml"
    old.write_text(_legacy(default_schema_path().read_text(encoding="utf-8")), encoding="utf-8")
    assert "[sheet]" not in old.read_text(encoding="utf-8") and "missing =" not in old.read_text(
        encoding="utf-8"
    )
    legacy, shipped = load_schema(old), load_schema()
    assert legacy.kind == "village" and legacy.rules() is shipped.rules()
    assert [(c.key, c.type, c.unknown) for c in legacy.columns] == [
        (c.key, c.type, c.unknown) for c in shipped.columns
    ]
    sheet = write_xlsx(
        tmp_path / "甲镇_一村_2026-11.xlsx",
        [
            person("张三", dt.date(1990, 1, 1), status="打工"),
            person("", dt.date(1991, 1, 1), gender="男人"),
            person("李四", dt.date(1992, 1, 1), status=""),
            person("王五", dt.date(1993, 1, 1), village=""),
        ],
    )
    a, b = check_file(sheet, Settings(schema=legacy)), check_file(sheet, Settings(schema=shipped))
    assert _codes(a) == _codes(b)
    codes = {c for _, c, _, _ in _codes(a)}
    assert {"status-unknown", "name-missing", "gender-unknown", "status-missing", "village-missing"} <= codes
    assert "value-missing" not in codes  # the template's 必填 on 联系电话 rejects no row
    assert legacy.is_required("phone") and not shipped.is_required("phone")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda t: t.replace('rules = "village"', 'rules = "os"'), "rule set"),
        (lambda t: t.replace('header_keys = ["name"]', 'header_keys = ["nom"]'), "nom"),
        (lambda t: t.replace('type = "date"', 'type = "datum"', 1), "type"),
        (lambda t: t.replace('unknown = "status-unknown"', 'unknown = "status-unkown"'), "unknown"),
        (lambda t: t.replace("[sheet]\n", "[sheet]\ncolour = 1\n"), "colour"),
    ],
)
def test_a_schema_with_an_unknown_rule_set_key_type_code_or_setting_is_refused(
    tmp_path: Path, change: object, says: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(change(default_schema_path().read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(SchemaError, match=says):
        load_schema(bad)


def test_a_bad_schema_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    text = default_schema_path().read_text(encoding="utf-8")
    bad.write_text(text.replace('rules = "village"', 'rules = "os"'), encoding="utf-8")
    sheet = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", [person("张三", dt.date(1990, 1, 1))])
    assert main(["--db", str(tmp_path / "r.db"), "--schema", str(bad), "validate", str(sheet)]) == 2
    said = capsys.readouterr().err
    assert "Traceback" not in said and "rule set" in said and len(said.strip().splitlines()) == 1


def _load_two_villages(cli: Cli, tmp_path: Path) -> None:
    for seq, village in enumerate(("一村", "二村"), start=1):
        who = person(f"张{seq}", dt.date(1990, 1, seq), seq=seq, village=village)
        f = write_xlsx(tmp_path / f"甲镇_{village}_2026-11.xlsx", [who])
        assert cli("import", str(f)).exit_code == 0


def _stored_targets(cli: Cli) -> list[tuple[str, int | None]]:
    res = cli.json("rank", "--week", "2026-W49")  # the sheets are as of 2026-11-30
    return sorted((row["village"], row["target"]) for row in res["rows"])


def test_a_targets_file_without_a_targets_table_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    _load_two_villages(cli, tmp_path)
    good = _book(
        tmp_path / "任务.xlsx",
        [["乡镇", "村(社区)", "年度任务数"], ["甲镇", "一村", 10], ["甲镇", "二村", 20]],
    )
    assert cli("targets", "import", str(good), "--year", "2026").exit_code == 0
    wrong = write_xlsx(
        tmp_path / "村表.xlsx", [person("李四", dt.date(1990, 1, 1))]
    )  # a village sheet by mistake
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    for f in (wrong, broken):
        assert main(["--db", cli.db, "targets", "import", str(f), "--year", "2026"]) == 1
        assert _stored_targets(cli) == [("一村", 10), ("二村", 20)]


def test_only_the_first_targets_sheet_of_a_workbook_is_read(cli: Cli, tmp_path: Path) -> None:
    _load_two_villages(cli, tmp_path)
    wb = Workbook()
    this_year = wb.active
    assert this_year is not None
    for r in (["乡镇", "村(社区)", "年度任务数"], ["甲镇", "一村", 12], ["甲镇", "二村", 8]):
        this_year.append(r)
    last_year = wb.create_sheet("2025年")
    for r in (["乡镇", "村(社区)", "年度任务数"], ["甲镇", "一村", 99]):
        last_year.append(r)
    wb.save(tmp_path / "任务.xlsx")
    rep = cli.json("targets", "import", str(tmp_path / "任务.xlsx"), "--year", "2026")
    assert (rep["rows_read"], rep["imported"]) == (2, 2)
    assert _stored_targets(cli) == [("一村", 12), ("二村", 8)]


def test_a_targets_warning_or_a_remark_neither_fails_the_import_nor_drops_a_row(
    cli: Cli, tmp_path: Path
) -> None:
    _load_two_villages(cli, tmp_path)
    f = _book(
        tmp_path / "任务.xlsx",
        [
            ["乡镇", "村(社区)", "年度任务数", "任务数", "备注"],  # 任务数 twice: a warning
            ["甲镇", "一村", 10, 10, "总数含新增"],  # a remark that starts like a totals word
            ["甲镇", "二村", 0, 0, ""],
        ],
    )
    r = cli("targets", "import", str(f), "--year", "2026", "--format", "json")
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert [(p["code"], p["severity"]) for p in rep["problems"]] == [("column-duplicate", "warning")]
    assert _stored_targets(cli) == [("一村", 10)]  # a target of 0 is stored and not ranked


def test_import_refuses_a_schema_of_another_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", [person("张三", dt.date(1990, 1, 1))])
    targets_file = Path(schema_module.kind_path("targets"))
    argv = ["--db", str(tmp_path / "r.db"), "--schema", str(targets_file), "import", str(sheet)]
    assert main(argv) == 2
    assert "targets" in capsys.readouterr().err


def test_a_county_village_sheet_without_some_columns_imports_them_empty(cli: Cli, tmp_path: Path) -> None:
    text = default_schema_path().read_text(encoding="utf-8")
    for key in ("remarks", "monitored", "organised"):
        pattern = r'\[\[columns\]\]\nkey = "' + key + r'"\n.*?(?=\n\[\[columns\]\]|\n#)'
        text = re.sub(pattern, "", text, flags=re.S)
    county = tmp_path / "county.toml"
    county.write_text(text, encoding="utf-8")
    assert {"remarks", "monitored", "organised"}.isdisjoint(c.key for c in load_schema(county).columns)
    sheet = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", [person("张三", dt.date(1990, 1, 1))])
    rep = cli.json("--schema", str(county), "import", str(sheet))
    assert rep["totals"]["rows_imported"] == 1
