"""Problems found in sheets are data: a stable code, a place, the value and a message.

Codes are kebab-case and never change meaning; the catalogue below is the single source
of their messages (Chinese and English) and of the advice on how to fix them, and it
generates ``docs/problem-codes.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from laborcli.i18n import lang

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Code:
    """One kind of problem: its default severity and its texts."""

    code: str
    severity: Severity
    zh: str
    en: str
    fix_zh: str
    fix_en: str


_CODES: list[Code] = [
    # --- file level
    Code(
        "file-unreadable",
        "error",
        "文件无法读取",
        "the file cannot be read",
        "请确认文件是完整的 .xlsx/.xls/.csv 文件, 重新导出后再试",
        "save it again as .xlsx, .xls or .csv",
    ),
    Code(
        "no-header",
        "error",
        "找不到表头行(需包含 姓名 等列)",
        "no header row found (it must name 姓名 and more)",
        "请使用标准模板 (laborcli template) 的表头",
        "use the headers of the standard template",
    ),
    Code(
        "column-missing",
        "error",
        "缺少必需的列",
        "a required column is missing",
        "请在表头中加入该列",
        "add the column to the header",
    ),
    Code(
        "column-duplicate",
        "warning",
        "表头中该列出现了多次, 只使用第一列",
        "the column appears twice; the first is used",
        "请删除重复的列",
        "remove the duplicate column",
    ),
    Code(
        "as-of-conflict",
        "warning",
        "文件名中的月份与 --as-of 不一致",
        "the month in the file name differs from --as-of",
        "请核对统计月份",
        "check the month",
    ),
    Code(
        "file-too-large",
        "error",
        "文件过大或解压后体积异常, 拒绝读取",
        "the file is too large or inflates suspiciously",
        "请拆分文件或检查文件来源",
        "split the file or check where it came from",
    ),
    Code(
        "batch-implausible",
        "error",
        "该表的身份证号大多已在其他村的表中, 疑似同一张表报成了两个村或把乡镇汇总表当作村表导入, 未导入",
        "most valid IDs of this sheet are already in other villages' sheets (the same sheet filed "
        "twice, or a township sheet imported as a village); not imported",
        "请核对文件所属的乡镇和村; 确认无误时加 --force 重新导入",
        "check which village the file belongs to; if it is right, import again with --force",
    ),
    # --- row errors
    Code(
        "cell-error",
        "error",
        "单元格是 Excel 错误值",
        "the cell holds an Excel error value",
        "公式出错 (#N/A、#DIV/0! 等), 请改正公式或直接填写数值",
        "a formula failed (#N/A, #DIV/0!, ...): fix it or type the value",
    ),
    Code("name-missing", "error", "姓名为空", "the name is empty", "请填写姓名", "fill in the name"),
    Code(
        "village-missing",
        "error",
        "村(社区)为空, 命令行也未指定",
        "no village in the row or on the command line",
        "请填写村(社区)列, 或在命令中用 --village 指定",
        "fill in the village or pass --village",
    ),
    Code(
        "status-missing",
        "error",
        "就业状态为空",
        "the employment status is empty",
        "请从下拉列表中选择就业状态",
        "choose a status from the list",
    ),
    Code(
        "status-unknown",
        "error",
        "就业状态不在规定的取值中",
        "the employment status is not in the vocabulary",
        "请改为: 县外务工、县内务工、公益性岗位、扶贫车间、自主创业、灵活就业、务农、未就业、在校学生、服兵役、其他",
        "use one of the statuses of the template",
    ),
    Code(
        "capacity-unknown",
        "error",
        "劳动能力不在规定的取值中",
        "the labour capacity is not in the vocabulary",
        "请改为: 普通劳动力、技能劳动力、弱劳动力、半劳动力、丧失劳动力、无劳动能力",
        "use one of the capacities of the template",
    ),
    Code(
        "yesno-unknown",
        "error",
        "是/否 栏填写的值无法识别",
        "a yes/no cell holds something else",
        "请填写 是 或 否",
        "write 是 or 否",
    ),
    Code(
        "income-invalid",
        "error",
        "月收入不是非负数字",
        "the income is not a non-negative number",
        "请只填写数字, 如 4500",
        "write a number such as 4500",
    ),
    Code(
        "date-unreadable",
        "error",
        "日期无法识别",
        "the date cannot be read",
        "请写成 2021-03-05 或 2021年3月5日",
        "write it as 2021-03-05",
    ),
    Code(
        "id-stored-as-number",
        "error",
        "身份证号码以数字格式保存, 后几位已丢失",
        "the ID was stored by Excel as a number: its last digits are lost",
        "请把该列设为文本后重新填写完整号码",
        "format the column as text and type the ID again",
    ),
    # --- row warnings
    Code(
        "id-missing",
        "warning",
        "身份证号码为空, 身份无法核验",
        "the ID is empty: identity unverified",
        "请补填身份证号码",
        "fill in the ID",
    ),
    Code(
        "id-format",
        "warning",
        "身份证号码位数或字符不对 (应为18位)",
        "the ID is not 18 characters of digits and X",
        "请核对身份证号码",
        "check the ID",
    ),
    Code(
        "id-province",
        "warning",
        "身份证号码前两位不是有效的省份代码",
        "the ID does not start with a province code",
        "请核对身份证号码",
        "check the ID",
    ),
    Code(
        "id-birth-date",
        "warning",
        "身份证号码中的出生日期无效",
        "the birth date inside the ID is not a real date",
        "请核对身份证号码第7-14位",
        "check digits 7-14 of the ID",
    ),
    Code(
        "id-check-digit",
        "warning",
        "身份证号码校验位不符, 可能有录入错误",
        "the ID's check digit is wrong: probably a typo",
        "请对照身份证核对每一位",
        "compare the ID digit by digit",
    ),
    Code(
        "id-duplicate-in-sheet",
        "warning",
        "同一身份证号码在本表中出现多次",
        "the same ID appears more than once in the sheet",
        "请删除重复的行",
        "remove the duplicate row",
    ),
    Code(
        "gender-mismatch",
        "warning",
        "性别与身份证号码不一致",
        "the gender disagrees with the ID",
        "请核对性别或身份证号码",
        "check the gender or the ID",
    ),
    Code(
        "gender-unknown",
        "warning",
        "性别无法识别 (应为 男/女)",
        "the gender is neither 男 nor 女",
        "请填写 男 或 女",
        "write 男 or 女",
    ),
    Code(
        "birth-mismatch",
        "warning",
        "出生日期与身份证号码不一致",
        "the birth date disagrees with the ID",
        "请核对出生日期或身份证号码",
        "check the birth date or the ID",
    ),
    Code(
        "phone-invalid",
        "warning",
        "联系电话不是11位手机号或带区号的固定电话",
        "the phone is neither an 11-digit mobile nor a landline with area code",
        "请核对电话号码",
        "check the phone number",
    ),
    Code(
        "number-invalid",
        "warning",
        "应为整数, 已忽略该值",
        "a whole number was expected; the value is ignored",
        "请填写整数",
        "write a whole number",
    ),
    Code(
        "target-village-unknown",
        "error",
        "任务表中的村在数据库中没有任何花名册",
        "the targets name a village with no sheet",
        "请核对乡镇和村名, 或先导入该村的花名册",
        "check the names, or import the village's sheet first",
    ),
    Code(
        "target-invalid",
        "error",
        "年度任务数不是非负整数",
        "the target is not a whole number",
        "请填写整数, 如 30",
        "write a whole number such as 30",
    ),
    Code(
        "age-unknown",
        "warning",
        "无法确定年龄 (身份证号码和出生日期都不可用)",
        "the age is unknown (no usable ID or birth date)",
        "请补填出生日期或身份证号码",
        "fill in the birth date or ID",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem at one place; ``row`` is numbered as Excel shows it (1-based)."""

    code: str
    severity: Severity
    sheet: str
    row: int
    column: str | None
    value: str | None
    message: str
    pii: str | None = None  # "id" or "phone" when the value is a personal identifier

    def shown_value(self, show_pii: bool = False) -> str | None:
        """The value as outputs show it: identifiers masked unless asked for."""
        if self.value is None or show_pii or self.pii is None:
            return self.value
        from laborcli.privacy import mask_id, mask_phone

        return mask_id(self.value) if self.pii == "id" else mask_phone(self.value)

    def as_json(self, show_pii: bool = False) -> dict[str, object]:
        """The shape of cli.md's ``problems`` entries."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "value": self.shown_value(show_pii),
        }


def make_problem(
    code: str,
    *,
    sheet: str,
    row: int,
    column: str | None = None,
    value: str | None = None,
    detail: str = "",
    strict: bool = False,
    pii: str | None = None,
) -> Problem:
    """Build a problem with the catalogue's message; strict mode turns warnings into errors."""
    c = CODES[code]
    en = lang() == "en"
    text = c.en if en else c.zh
    if detail:
        text = f"{text} ({detail})"
    fix = c.fix_en if en else c.fix_zh
    severity: Severity = "error" if strict else c.severity
    return Problem(
        code=code,
        severity=severity,
        sheet=sheet,
        row=row,
        column=column,
        value=value,
        message=f"{text}; {fix}",
        pii=pii,
    )


def catalogue_markdown() -> str:
    """The docs page listing every code (kept in docs/problem-codes.md, checked by a test)."""
    lines = [
        "# Problem codes",
        "",
        "Generated from `laborcli.sheets.problems`; do not edit by hand.",
        "",
        "| code | severity | meaning | how to fix |",
        "|---|---|---|---|",
    ]
    for c in _CODES:
        lines.append(f"| `{c.code}` | {c.severity} | {c.zh} ({c.en}) | {c.fix_zh} ({c.fix_en}) |")
    return "\n".join(lines) + "\n"
