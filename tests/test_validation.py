"""Validation of village sheets (docs/rules.md#validation and #the-village-sheet).

Errors keep a row out of the registry; warnings let it in, flagged. Each problem names the
code, the row as Excel shows it, the column header and the value. ``validate`` needs no
registry, so those tests run once; tests that look at what was stored run on both back ends.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.sheets import STANDARD, make_id, person, write_csv, write_xlsx

NAME = "甲镇_一村_2026-11"
AS_OF = "2026-11-30"
BIRTH = dt.date(1990, 5, 1)
GOOD_ID = make_id(BIRTH, 2)  # 530627199005010257, a man (17th digit 5 is odd)
TITLES = [["一村劳动力信息统计表"], ["填报日期:2026年11月30日"]]
Problem = tuple[str, str, int, str | None, str | None]


def _run_validate(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """`laborcli validate PATH --format json --show-pii`: (exit code, files[0])."""
    r = Cli("")("validate", str(path), "--format", "json", "--show-pii", *extra, db=False)
    assert r.exit_code in (0, 1), (r.exit_code, r.output)
    return r.exit_code, json.loads(r.stdout)["files"][0]


def check(tmp_path: Path, rows: list[dict[str, object]], *extra: str, **kw: Any) -> dict[str, Any]:
    """Validate an .xlsx of these rows (header on row 1, people from row 2)."""
    return _run_validate(write_xlsx(tmp_path / f"{NAME}.xlsx", rows, **kw), *extra)[1]


def problems(f: dict[str, Any]) -> list[Problem]:
    """(severity, code, row, column, value) of every problem, in report order."""
    return [(p["severity"], p["code"], p["row"], p["column"], p["value"]) for p in f["problems"]]


def counts(f: dict[str, Any]) -> tuple[int, int, int, int]:
    """(rows_read, rows_imported, rows_rejected, warnings)."""
    return (f["rows_read"], f["rows_imported"], f["rows_rejected"], f["warnings"])


def two_rows(column: str, value: object) -> list[dict[str, object]]:
    """A good row (Excel row 2) and a row (Excel row 3) whose ``column`` holds ``value``."""
    bad = person("李四", BIRTH, seq=2, household="H002")
    bad[column] = value
    return [person("张三", BIRTH, seq=1), bad]


def stored(cli: Cli, id_number: str) -> dict[str, Any]:
    """The values the registry holds for the latest row of this person (`laborcli person`)."""
    entries = cli.json("person", id_number, "--show-pii")["entries"]
    assert entries, id_number
    return dict(entries[-1]["values"])


def total(cli: Cli) -> dict[str, Any]:
    return dict(cli.json("rates", "--as-of", AS_OF)["total"])


# --- errors: the row is not imported -------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "code", "reported"),
    [
        ("姓名", "", "name-missing", None),
        ("村(社区)", "", "village-missing", None),
        ("就业状态", "", "status-missing", None),
        ("就业状态", "打工", "status-unknown", "打工"),
        ("劳动能力", "强劳动力", "capacity-unknown", "强劳动力"),
        ("是否脱贫户", "可能", "yesno-unknown", "可能"),
        ("是否易地搬迁户", "不详", "yesno-unknown", "不详"),
        ("是否监测对象", "2", "yesno-unknown", "2"),
        ("是否组织化输出", "maybe", "yesno-unknown", "maybe"),
        ("月收入(元)", -5, "income-invalid", "-5"),
        ("月收入(元)", "面议", "income-invalid", "面议"),
        ("务工开始时间", "去年春天", "date-unreadable", "去年春天"),
        ("务工开始时间", "2021-02-30", "date-unreadable", "2021-02-30"),
        ("务工开始时间", "20211301", "date-unreadable", "20211301"),
        ("出生日期", "1990年13月", "date-unreadable", "1990年13月"),
    ],
)
def test_a_value_outside_the_rules_is_an_error_and_the_row_is_not_imported(
    tmp_path: Path, column: str, value: object, code: str, reported: str | None
) -> None:
    code_, f = _run_validate(write_xlsx(tmp_path / f"{NAME}.xlsx", two_rows(column, value)))
    assert problems(f) == [("error", code, 3, column, reported)]
    assert counts(f) == (2, 1, 1, 0)  # two read, the good one would be imported, one rejected
    assert code_ == 1  # found problems


def test_no_village_column_nor_option_nor_village_in_the_name_is_one_problem_of_the_file(
    tmp_path: Path,
) -> None:
    headers = [h for h in STANDARD if h != "村(社区)"]
    people = [person(n, BIRTH, seq=i) for i, n in enumerate(("李四", "王五", "赵六"), start=2)]
    path = write_xlsx(tmp_path / "劳动力台账_2026-11.xlsx", people, headers=headers)
    code, f = _run_validate(path)
    # one problem at the header row, not one per row; every row rejected, the file with them
    assert problems(f) == [("error", "place-unknown", 1, "村(社区)", None)]
    assert f["problems"][0]["level"] == "file"
    assert (code, f["status"], counts(f)) == (1, "rejected", (3, 0, 3, 0))


def test_an_empty_village_cell_is_a_problem_of_its_row_even_when_the_file_name_names_one(
    tmp_path: Path,
) -> None:
    # the column is there: the file name does not fill its cells (a township's sheet of many
    # villages may be named after one of them)
    f = check(tmp_path, two_rows("村(社区)", ""))
    assert problems(f) == [("error", "village-missing", 3, "村(社区)", None)]


def test_the_village_option_stands_in_for_a_missing_village_column(tmp_path: Path) -> None:
    headers = [h for h in STANDARD if h != "村(社区)"]
    path = write_xlsx(tmp_path / f"{NAME}.xlsx", [person("李四", BIRTH, seq=2)], headers=headers)
    code, f = _run_validate(path, "--village", "一村")
    assert (code, problems(f), counts(f)) == (0, [], (1, 1, 0, 0))


def test_id_stored_as_a_number_by_excel_is_an_error_of_its_own(tmp_path: Path) -> None:
    # 110105194912310000 as Excel keeps it: a float, 15 significant digits, the last three lost
    f = check(tmp_path, two_rows("身份证号码", 1.10105194912310e17))
    assert problems(f) == [("error", "id-stored-as-number", 3, "身份证号码", "110105194912310000")]
    assert counts(f) == (2, 1, 1, 0)


def test_id_in_scientific_notation_as_text_is_stored_as_number_too(tmp_path: Path) -> None:
    # what Excel writes into a CSV for such a cell
    path = write_csv(tmp_path / f"{NAME}.csv", two_rows("身份证号码", "1.10105E+17"))
    _, f = _run_validate(path)
    assert problems(f) == [("error", "id-stored-as-number", 3, "身份证号码", "1.10105E+17")]


def test_rows_with_errors_are_left_out_of_the_registry(cli: Cli, tmp_path: Path) -> None:
    rows = [person("张三", BIRTH, seq=1)]
    bad = [("姓名", ""), ("就业状态", "打工"), ("劳动能力", "强"), ("是否脱贫户", "?"), ("月收入(元)", "-1")]
    for i, (column, value) in enumerate(bad, start=2):
        r = person(f"村民{i}", BIRTH, seq=i, household=f"H{i:03d}")
        r[column] = value
        rows.append(r)
    rep = cli.json("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)))
    f = rep["files"][0]
    assert counts(f) == (6, 1, 5, 0)
    assert [p["row"] for p in f["problems"]] == [3, 4, 5, 6, 7]
    assert total(cli)["labour_force"] == 1  # only 张三


# --- vocabularies ----------------------------------------------------------------------------


STATUSES = ["县外务工", "外出务工", "省内县外务工", "县内务工", "就近就业", "公益岗", "帮扶车间", "创业"]
STATUSES += ["灵活就业", "在家务农", "待业", "在校生", "参军", "其他"]


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_and_alias_of_the_vocabulary_is_accepted(tmp_path: Path, status: str) -> None:
    f = check(tmp_path, [person("李四", BIRTH, seq=2, status=status)])
    assert (problems(f), counts(f)) == ([], (1, 1, 0, 0))


def test_a_status_alias_is_stored_as_its_status(cli: Cli, tmp_path: Path) -> None:
    aliases = {"外出务工": "县外务工", "公益岗": "公益性岗位", "在家务农": "务农", "待业": "未就业"}
    rows = [person(f"村民{i}", BIRTH, seq=i, status=a) for i, a in enumerate(aliases)]
    cli.json("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)))
    got = [stored(cli, make_id(BIRTH, i))["employment_status"] for i in range(len(aliases))]
    assert got == list(aliases.values())


def test_every_labour_capacity_of_the_vocabulary_is_accepted(tmp_path: Path) -> None:
    caps = ["普通劳动力", "技能劳动力", "弱劳动力", "半劳动力", "丧失劳动力", "无劳动能力"]
    rows = [person(f"村民{i}", BIRTH, seq=i, capacity=c) for i, c in enumerate(caps)]
    f = check(tmp_path, rows)
    assert (problems(f), counts(f)) == ([], (6, 6, 0, 0))


YES = ["是", "Y", "yes", "1", "√"]
NO = ["否", "N", "no", "0", "×", ""]


def test_every_yes_no_form_is_accepted(tmp_path: Path) -> None:
    rows = [
        person(f"村民{i}", BIRTH, seq=i, poor=v, relocated=v, organised=v) for i, v in enumerate(YES + NO)
    ]
    f = check(tmp_path, rows)
    assert (problems(f), counts(f)) == ([], (11, 11, 0, 0))


def test_yes_forms_count_as_yes_and_no_forms_and_empty_as_no(cli: Cli, tmp_path: Path) -> None:
    rows = [person(f"村民{i}", BIRTH, seq=i, household=f"H{i:03d}", poor=v) for i, v in enumerate(YES + NO)]
    cli.json("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)))
    t = total(cli)
    assert (t["labour_force"], t["poor_labour_force"]) == (11, 5)  # 5 yes forms, 6 no forms


# --- numbers and dates ---------------------------------------------------------------------


def test_income_with_thousands_separator_or_yuan_is_read_as_4500(cli: Cli, tmp_path: Path) -> None:
    forms: list[object] = ["4,500", "4500元", 4500, "0"]
    rows = [person(f"村民{i}", BIRTH, seq=i, income=v) for i, v in enumerate(forms)]
    rep = cli.json("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)))
    assert rep["files"][0]["problems"] == []
    assert [stored(cli, make_id(BIRTH, i))["monthly_income"] for i in range(4)] == [4500, 4500, 4500, 0]


@pytest.mark.parametrize("income", ["inf", "Infinity", "1e400"])
def test_an_infinite_income_is_not_a_number(tmp_path: Path, income: str) -> None:
    f = check(tmp_path, two_rows("月收入(元)", income))
    assert problems(f) == [("error", "income-invalid", 3, "月收入(元)", income)]


DATE_FORMS: list[tuple[object, str]] = [
    (dt.date(2021, 3, 5), "2021-03-05"),  # a date cell
    ("2021-03-05", "2021-03-05"),
    ("2021.3.5", "2021-03-05"),
    ("2021/3/5", "2021-03-05"),
    ("2021年3月5日", "2021-03-05"),
    ("202103", "2021-03-01"),  # YYYYMM: the 1st of that month
    ("20210305", "2021-03-05"),
    (44260, "2021-03-05"),  # Excel serial as a number cell: 1899-12-30 + 44260 days
    ("44260", "2021-03-05"),  # ... and as text
]


def test_every_accepted_date_form_is_read_as_that_date(cli: Cli, tmp_path: Path) -> None:
    rows = [person(f"村民{i}", BIRTH, seq=i, job_start=v) for i, (v, _) in enumerate(DATE_FORMS)]
    rep = cli.json("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)))
    f = rep["files"][0]
    assert (f["problems"], counts(f)) == ([], (9, 9, 0, 0))
    got = [stored(cli, make_id(BIRTH, i))["job_start"] for i in range(len(DATE_FORMS))]
    assert got == [iso for _, iso in DATE_FORMS]


def test_every_accepted_date_form_is_accepted_in_a_csv_too(tmp_path: Path) -> None:
    rows = [person(f"村民{i}", BIRTH, seq=i, job_start=v) for i, (v, _) in enumerate(DATE_FORMS)]
    _, f = _run_validate(write_csv(tmp_path / f"{NAME}.csv", rows))
    assert (problems(f), counts(f)) == ([], (9, 9, 0, 0))


def test_empty_optional_cells_are_unknown_not_errors(tmp_path: Path) -> None:
    r = person("李四", BIRTH, seq=2, birth_cell="", phone="", income="", job_start="")
    for column in (
        "村民小组",
        "民族",
        "文化程度",
        "技能特长",
        "培训意愿",
        "就业意愿",
        "务工地点",
        "就业单位",
    ):
        r[column] = ""
    r.update({"是否脱贫户": "", "是否易地搬迁户": "", "是否监测对象": "", "是否组织化输出": "", "备注": ""})
    f = check(tmp_path, [r])
    assert (problems(f), counts(f)) == ([], (1, 1, 0, 0))


# --- resident IDs: warnings, the row is imported but unverified ---------------------------

ID_WARNINGS: list[tuple[object, str, str | None]] = [
    ("", "id-missing", None),
    ("530627199005010250", "id-check-digit", "530627199005010250"),  # right one is 7
    ("53062719900501025", "id-format", "53062719900501025"),  # 17 characters
    # 99 is no province; check digit of 99062719900501013 is X (sum 239, 239 % 11 = 8 -> X)
    ("99062719900501013X", "id-province", "99062719900501013X"),
    ("530627199002310131", "id-birth-date", "530627199002310131"),  # 31 February 1990
    ("530627203001010136", "id-birth-date", "530627203001010136"),  # born 2030: in the future
    ("530627900231013", "id-birth-date", "530627900231013"),  # 15 digits, 31 February 1990
]


@pytest.mark.parametrize(("id_number", "code", "reported"), ID_WARNINGS)
def test_a_missing_or_invalid_id_is_a_warning_and_the_row_is_imported(
    tmp_path: Path, id_number: str, code: str, reported: str | None
) -> None:
    exit_code, f = _run_validate(write_xlsx(tmp_path / f"{NAME}.xlsx", two_rows("身份证号码", id_number)))
    assert problems(f)[0] == ("warning", code, 3, "身份证号码", reported)
    assert {p[0] for p in problems(f)} == {"warning"}
    assert (f["rows_read"], f["rows_imported"], f["rows_rejected"]) == (2, 2, 0)
    assert exit_code == 0  # warnings alone are no failure


def test_rows_with_invalid_ids_are_imported_as_unverified(cli: Cli, tmp_path: Path) -> None:
    rows = [person("张三", BIRTH, seq=1)]
    for i, (id_number, _, _) in enumerate(ID_WARNINGS, start=2):
        rows.append(person(f"村民{i}", BIRTH, seq=i, household=f"H{i:03d}", id_number=id_number))
    rep = cli.json("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)))
    assert counts(rep["files"][0])[:3] == (8, 8, 0)
    t = total(cli)
    # age from 出生日期 (1990) where the ID has no valid date: all 8 in the labour force, 7 unverified
    assert (t["labour_force"], t["unverified"]) == (8, 7)


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
X_ID = make_id(BIRTH, 3)  # 53062719900501037X


def test_full_width_digits_spaces_and_lower_case_x_are_normalised(tmp_path: Path) -> None:
    forms = [
        make_id(BIRTH, 10).translate(FULL_WIDTH),  # 530627199005011014 in full width
        " 530627 19900501 1137 ",  # make_id(BIRTH, 11) with spaces
        "53062719900501125x",  # make_id(BIRTH, 12) with a lower-case x
        "５３０６２７１９９００５０１１２５ｘ",  # the same, full width with a full-width lower-case x
    ]
    rows = [person(f"村民{i}", BIRTH, seq=i, household=f"H{i}", id_number=v) for i, v in enumerate(forms)]
    rows[3]["姓名"] = rows[2]["姓名"]  # row 5 repeats row 4: the same ID once normalised
    f = check(tmp_path, rows)
    assert [p[:4] for p in problems(f)] == [("warning", "id-duplicate-in-sheet", 5, "身份证号码")]
    assert counts(f) == (4, 4, 0, 1)


def test_normalised_and_15_digit_ids_are_stored_as_18_digits(cli: Cli, tmp_path: Path) -> None:
    # 530627900501013 -> 530627 19 900501 013 + check digit:
    # weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 give 261, 261 % 11 = 8 -> "4"
    old = "530627900501013"
    rows = [
        person("甲", BIRTH, seq=1, household="H1", id_number=old),
        person("乙", BIRTH, seq=2, household="H2", id_number=" 530627 19900501 0257 ".translate(FULL_WIDTH)),
        person("丙", BIRTH, seq=3, household="H3", id_number=X_ID.lower()),
    ]
    rep = cli.json("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)))
    assert rep["files"][0]["problems"] == []
    assert stored(cli, "530627199005010134")["id_number"] == "530627199005010134"
    assert stored(cli, GOOD_ID)["id_number"] == GOOD_ID
    assert stored(cli, X_ID)["id_number"] == "53062719900501037X"
    assert total(cli)["unverified"] == 0


@pytest.mark.parametrize(("male", "written"), [(True, "女"), (False, "男")])
def test_gender_disagreeing_with_the_id_is_a_warning(tmp_path: Path, male: bool, written: str) -> None:
    # make_id puts an odd 17th digit for a man, an even one for a woman
    rows = [person("张三", BIRTH, seq=1), person("李四", BIRTH, seq=2, male=male, gender=written)]
    f = check(tmp_path, rows)
    assert problems(f) == [("warning", "gender-mismatch", 3, "性别", written)]
    assert counts(f) == (2, 2, 0, 1)


def test_birth_date_disagreeing_with_the_id_is_a_warning(tmp_path: Path) -> None:
    f = check(tmp_path, two_rows("出生日期", dt.date(1991, 5, 1)))  # the ID says 1990-05-01
    assert problems(f) == [("warning", "birth-mismatch", 3, "出生日期", "1991-05-01")]
    assert counts(f) == (2, 2, 0, 1)


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["12345678901", "1381234567", "138123456789", "1234567", "电话"])
def test_a_phone_neither_mobile_nor_landline_is_a_warning(tmp_path: Path, phone: str) -> None:
    f = check(tmp_path, two_rows("联系电话", phone))
    assert problems(f) == [("warning", "phone-invalid", 3, "联系电话", phone)]
    assert counts(f) == (2, 2, 0, 1)


@pytest.mark.parametrize("phone", ["13812345678", 13812345678, "19912345678", "0854-1234567", "010-12345678"])
def test_mobile_and_area_code_landline_numbers_are_accepted(tmp_path: Path, phone: object) -> None:
    f = check(tmp_path, [person("李四", BIRTH, seq=2, phone=phone)])
    assert (problems(f), counts(f)) == ([], (1, 1, 0, 0))


# --- strict mode -----------------------------------------------------------------------------


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / f"{NAME}.xlsx", two_rows("性别", "女"))
    assert _run_validate(path)[0] == 0
    code, f = _run_validate(path, "--strict")
    assert code == 1
    assert problems(f) == [("error", "gender-mismatch", 3, "性别", "女")]
    assert counts(f) == (2, 1, 1, 0)


def test_strict_import_leaves_rows_with_warnings_out(cli: Cli, tmp_path: Path) -> None:
    rows = two_rows("联系电话", "12345")
    rows.append(person("王五", BIRTH, seq=3, household="H003", id_number=""))
    r = cli("import", str(write_xlsx(tmp_path / f"{NAME}.xlsx", rows)), "--strict", "--format", "json")
    assert r.exit_code == 1
    f = json.loads(r.stdout)["files"][0]
    assert [(p["severity"], p["code"], p["row"]) for p in f["problems"]] == [
        ("error", "phone-invalid", 3),
        ("error", "id-missing", 4),
    ]
    assert counts(f)[:3] == (3, 1, 2)
    assert total(cli)["labour_force"] == 1  # only 张三


# --- where a problem is: row numbers as Excel shows them, in every file format -------------


def test_row_numbers_count_title_rows_header_and_blank_rows(tmp_path: Path) -> None:
    # rows 1-2 titles, 3 header, 4 张三, 5 blank, 6 the bad row
    rows = [person("张三", BIRTH, seq=1), {}, person("李四", BIRTH, seq=2, status="打工")]
    f = check(tmp_path, rows, title_rows=TITLES)
    assert problems(f) == [("error", "status-unknown", 6, "就业状态", "打工")]
    assert f["problems"][0]["sheet"] == "Sheet1"
    assert counts(f) == (2, 1, 1, 0)


def test_the_column_is_named_by_the_header_the_sheet_uses(tmp_path: Path) -> None:
    rows = [person("李四", BIRTH, seq=2, status="打工", income="面议")]
    f = check(tmp_path, rows, rename={"就业状态": "就业情况", "月收入(元)": "月均收入"})
    assert problems(f) == [
        ("error", "status-unknown", 2, "就业情况", "打工"),
        ("error", "income-invalid", 2, "月均收入", "面议"),
    ]


def _mixed_rows() -> list[dict[str, object]]:
    """Rows 4-9 below two title rows and the header: one good, the rest each with one problem."""
    return [
        person("张三", BIRTH, seq=1, income="4,500", job_start="2021年3月5日", phone="13812345678"),
        person("李四", BIRTH, seq=2, status="打工"),
        person("王五", BIRTH, seq=3, phone="12345"),
        person("赵六", BIRTH, seq=4, income="四千"),
        person("", BIRTH, seq=5),
        person("孙七", BIRTH, seq=6, id_number="530627199005010250"),
    ]


MIXED_EXPECTED: list[Problem] = [
    ("error", "status-unknown", 5, "就业状态", "打工"),
    ("warning", "phone-invalid", 6, "联系电话", "12345"),
    ("error", "income-invalid", 7, "月收入(元)", "四千"),
    ("error", "name-missing", 8, "姓名", None),
    ("warning", "id-check-digit", 9, "身份证号码", "530627199005010250"),
]


@pytest.mark.parametrize("fmt", ["xlsx", "utf-8", "utf-8-sig", "gb18030"])
def test_same_content_validates_identically_as_xlsx_and_csv_in_every_encoding(
    tmp_path: Path, fmt: str
) -> None:
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / f"{NAME}.xlsx", _mixed_rows(), title_rows=TITLES)
    else:
        path = write_csv(tmp_path / f"{NAME}.csv", _mixed_rows(), encoding=fmt, title_rows=TITLES)
    code, f = _run_validate(path)
    assert problems(f) == MIXED_EXPECTED
    assert counts(f) == (6, 3, 3, 2)  # 张三, 王五, 孙七 pass; 李四, 赵六, the nameless row do not
    assert code == 1
