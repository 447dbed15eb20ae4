"""Problems found in sheets are data: a stable code, a level and place, the value, a
message and a fix.

Codes are kebab-case and never change meaning; :class:`ProblemCode` names every one (a
misspelt code fails type checking), and the catalogue below is the single source of
their messages and advice in Chinese and English. It generates ``docs/problem-codes.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from laborcli.i18n import lang

Severity = Literal["error", "warning"]
# Where a problem sits: the whole file (or sheet), one row, or one cell of a row.
Level = Literal["file", "row", "cell"]


class ProblemCode(StrEnum):
    """Every kind of problem laborcli reports; the values are the stable codes in the JSON."""

    FILE_UNREADABLE = "file-unreadable"
    NO_HEADER = "no-header"
    COLUMN_MISSING = "column-missing"
    COLUMN_DUPLICATE = "column-duplicate"
    COLUMN_CONFLICT = "column-conflict"
    SHEET_EXTENT = "sheet-extent"
    CELL_TOO_LARGE = "cell-too-large"
    TEXT_CLEANED = "text-cleaned"
    AS_OF_CONFLICT = "as-of-conflict"
    AS_OF_MISSING = "as-of-missing"
    PLACE_UNKNOWN = "place-unknown"
    FILE_TOO_LARGE = "file-too-large"
    BATCH_IMPLAUSIBLE = "batch-implausible"
    CELL_ERROR = "cell-error"
    NAME_MISSING = "name-missing"
    VILLAGE_MISSING = "village-missing"
    STATUS_MISSING = "status-missing"
    STATUS_UNKNOWN = "status-unknown"
    CAPACITY_UNKNOWN = "capacity-unknown"
    YESNO_UNKNOWN = "yesno-unknown"
    INCOME_INVALID = "income-invalid"
    INCOME_IMPLAUSIBLE = "income-implausible"
    DATE_UNREADABLE = "date-unreadable"
    ID_STORED_AS_NUMBER = "id-stored-as-number"
    ID_MISSING = "id-missing"
    ID_FORMAT = "id-format"
    ID_PROVINCE = "id-province"
    ID_BIRTH_DATE = "id-birth-date"
    ID_CHECK_DIGIT = "id-check-digit"
    ID_DUPLICATE_IN_SHEET = "id-duplicate-in-sheet"
    GENDER_MISMATCH = "gender-mismatch"
    GENDER_UNKNOWN = "gender-unknown"
    BIRTH_MISMATCH = "birth-mismatch"
    PHONE_INVALID = "phone-invalid"
    NUMBER_INVALID = "number-invalid"
    TARGET_VILLAGE_UNKNOWN = "target-village-unknown"
    TARGET_INVALID = "target-invalid"
    AGE_UNKNOWN = "age-unknown"
    VALUE_MISSING = "value-missing"
    VALUE_UNKNOWN = "value-unknown"
    # the review workbook of `dedup apply`
    REVIEW_TOKEN_INVALID = "review-token-invalid"
    REVIEW_ROW_GONE = "review-row-gone"
    REVIEW_FORMULA = "review-formula"
    REVIEW_CHOICE_UNKNOWN = "review-choice-unknown"
    REVIEW_CONFLICT = "review-conflict"
    REVIEW_HOME_NOT_SAME = "review-home-not-same"
    # leaders' registry and the payment workbook of `subsidy record` (issue 20)
    LEADER_KIND_UNKNOWN = "leader-kind-unknown"
    LEDGER_LINE_UNKNOWN = "ledger-line-unknown"
    LEDGER_AMOUNT_CHANGED = "ledger-amount-changed"
    LEDGER_DATE_INVALID = "ledger-date-invalid"
    LEDGER_PAID_HELD = "ledger-paid-held"
    LEDGER_CONFLICT = "ledger-conflict"
    # jobs (issue 21): the demand sheet and the proposals workbook of `match record`
    DEMAND_OPENINGS_INVALID = "demand-openings-invalid"
    DEMAND_DATE_INVALID = "demand-date-invalid"
    DEMAND_CREDIT_CODE = "demand-credit-code"
    DEMAND_WAGE_INVALID = "demand-wage-invalid"
    DEMAND_AGE_INVALID = "demand-age-invalid"
    DEMAND_VALUE_UNKNOWN = "demand-value-unknown"
    DEMAND_DATES_REVERSED = "demand-dates-reversed"
    MATCH_COLUMNS_MISSING = "match-columns-missing"
    MATCH_PROPOSAL_UNKNOWN = "match-proposal-unknown"
    MATCH_ANSWER_UNKNOWN = "match-answer-unknown"
    MATCH_ANSWER_CONFLICT = "match-answer-conflict"


P = ProblemCode


@dataclass(frozen=True, slots=True)
class Code:
    """One kind of problem: its default severity, its level and its texts."""

    code: ProblemCode
    severity: Severity
    zh: str
    en: str
    fix_zh: str
    fix_en: str
    level: Level = "cell"


_CODES: list[Code] = [
    # --- file level
    Code(
        P.FILE_UNREADABLE,
        "error",
        "文件无法读取",
        "the file cannot be read",
        "请用 Excel 或 WPS 打开原表格, 另存为 .xlsx 后重新报送",
        "open the sheet in Excel or WPS, save it as .xlsx and send it again",
        level="file",
    ),
    Code(
        P.NO_HEADER,
        "error",
        "找不到表头行",
        "no header row found",
        "请使用标准模板 (laborcli template) 的表头",
        "use the headers of the standard template (laborcli template)",
        level="file",
    ),
    Code(
        P.COLUMN_MISSING,
        "error",
        "缺少必需的列",
        "a required column is missing",
        "请在表头中加入该列",
        "add the column to the header",
        level="file",
    ),
    Code(
        P.COLUMN_DUPLICATE,
        "warning",
        "表头中该列出现了多次, 各列内容相同, 使用第一列",
        "the column appears twice with the same content; the first is used",
        "请删除重复的列",
        "remove the duplicate column",
    ),
    Code(
        P.COLUMN_CONFLICT,
        "error",
        "表头中同一列出现了两次, 两列内容不同, 无法判断应使用哪一列, 整个文件未导入",
        "the column appears twice with different content: which one holds the data cannot be "
        "told; the file is not imported",
        "请核对两列, 保留正确的一列, 删除或改名另一列后再导入",
        "check both columns, keep the right one and delete or rename the other",
        level="file",
    ),
    Code(
        P.SHEET_EXTENT,
        "error",
        "工作表的已用范围大得不合理 (远处有零散的单元格), 读取它需要过多内存, 拒绝读取",
        "the sheet's used range is absurdly large (a stray cell far away); reading it would "
        "take too much memory, so it is refused",
        "请在 Excel 中按 Ctrl+End 找到最远的单元格, 删除多余的行和列后保存",
        "press Ctrl+End in Excel to find the far cell, delete the extra rows and columns and save",
        level="file",
    ),
    Code(
        P.CELL_TOO_LARGE,
        "error",
        "单元格内容过长 (超过 128 KB), 拒绝读取",
        "a cell holds more than 128 KB; the file is refused",
        "多为引号不成对, 使后面的内容都并进了一个单元格; 请改正该行后另存",
        "usually an unmatched quote joins the rest of the file into one cell: fix that row and save",
        level="file",
    ),
    Code(
        P.TEXT_CLEANED,
        "warning",
        "单元格中有工作簿无法保存的控制字符, 已删除",
        "the cell held control characters that a workbook cannot hold; they were removed",
        "请检查该单元格的内容是否完整",
        "check that the cell still reads right",
    ),
    Code(
        P.AS_OF_CONFLICT,
        "warning",
        "文件名中的月份与 --as-of 不一致",
        "the month in the file name differs from --as-of",
        "请核对统计月份",
        "check the month",
        level="file",
    ),
    Code(
        P.AS_OF_MISSING,
        "error",
        "无法确定统计月份: 文件名和标题行都没有写明, 未导入",
        "no month in the file name or the title row; not imported",
        "请把月份写进文件名 (如 花山镇_石门村_2026-11.xlsx) 或标题行 (统计时间：2026年11月), 或导入时用 --as-of 指定",
        "put the month in the file name (花山镇_石门村_2026-11.xlsx) or the title row "
        "(统计时间：2026年11月), or give --as-of",
        level="file",
    ),
    Code(
        P.PLACE_UNKNOWN,
        "error",
        "表中没有该列, 文件名和标题行也没有写明是哪个乡镇、村, 本表各行均未导入",
        "the sheet has no such column, and neither its file name nor its title row names the "
        "township and village; no row imported",
        "请在表中加上该列, 或把文件名写成 乡镇_村_年-月 (如 花山镇_石门村_2026-11.xlsx), 或导入时用 --village 指定",
        "add the column, name the file 乡镇_村_YYYY-MM (花山镇_石门村_2026-11.xlsx), or give --village",
        level="file",
    ),
    Code(
        P.FILE_TOO_LARGE,
        "error",
        "文件过大或解压后体积异常, 拒绝读取",
        "the file is too large or inflates suspiciously",
        "请拆分文件或检查文件来源",
        "split the file or check where it came from",
        level="file",
    ),
    Code(
        P.BATCH_IMPLAUSIBLE,
        "error",
        "该表的身份证号大多已在其他村的表中, 疑似同一张表报成了两个村或把乡镇汇总表当作村表导入, 未导入",
        "most valid IDs of this sheet are already in other villages' sheets (the same sheet filed "
        "twice, or a township sheet imported as a village); not imported",
        "请核对文件所属的乡镇和村; 确认无误时加 --force 重新导入",
        "check which village the file belongs to; if it is right, import again with --force",
        level="file",
    ),
    # --- row errors
    Code(
        P.CELL_ERROR,
        "error",
        "单元格是 Excel 错误值",
        "the cell holds an Excel error value",
        "公式出错 (#N/A、#DIV/0! 等), 请改正公式或直接填写数值",
        "a formula failed (#N/A, #DIV/0!, ...): fix it or type the value",
    ),
    Code(
        P.NAME_MISSING,
        "error",
        "姓名为空",
        "the name is empty",
        "请填写姓名",
        "fill in the name",
        level="row",
    ),
    Code(
        P.VILLAGE_MISSING,
        "error",
        "村(社区)为空, 命令行也未指定",
        "no village in the row or on the command line",
        "请填写村(社区)列, 或在命令中用 --village 指定",
        "fill in the village or pass --village",
        level="row",
    ),
    Code(
        P.STATUS_MISSING,
        "error",
        "就业状态为空",
        "the employment status is empty",
        "请从下拉列表中选择就业状态",
        "choose a status from the list",
        level="row",
    ),
    Code(
        P.STATUS_UNKNOWN,
        "error",
        "就业状态不在规定的取值中",
        "the employment status is not in the vocabulary",
        "请改为: 县外务工、县内务工、公益性岗位、扶贫车间、自主创业、灵活就业、务农、未就业、在校学生、服兵役、其他",
        "use one of the statuses of the template",
    ),
    Code(
        P.CAPACITY_UNKNOWN,
        "error",
        "劳动能力不在规定的取值中",
        "the labour capacity is not in the vocabulary",
        "请改为: 普通劳动力、技能劳动力、弱劳动力、半劳动力、丧失劳动力、无劳动能力",
        "use one of the capacities of the template",
    ),
    Code(
        P.YESNO_UNKNOWN,
        "error",
        "是/否 栏填写的值无法识别",
        "a yes/no cell holds something else",
        "请填写 是 或 否",
        "write 是 or 否",
    ),
    Code(
        P.INCOME_INVALID,
        "error",
        "月收入不是非负数字",
        "the income is not a non-negative number",
        "请只填写数字, 如 4500",
        "write a number such as 4500",
    ),
    Code(
        P.INCOME_IMPLAUSIBLE,
        "warning",
        "月收入超过政策规定的上限, 疑似填错 (如把电话号码填进了月收入), 按收入未知处理",
        "the income is above the policy's maximum (a phone number typed into the income?); "
        "it is counted as unknown",
        "请核对月收入, 按元/月填写数字",
        "check the income: yuan per month, as a number",
    ),
    Code(
        P.DATE_UNREADABLE,
        "error",
        "日期无法识别",
        "the date cannot be read",
        "请写成 2021-03-05 或 2021年3月5日",
        "write it as 2021-03-05",
    ),
    Code(
        P.ID_STORED_AS_NUMBER,
        "error",
        "身份证号码以数字格式保存, 后几位已丢失",
        "the ID was stored by Excel as a number: its last digits are lost",
        "请把该列设为文本后重新填写完整号码",
        "format the column as text and type the ID again",
    ),
    # --- row warnings
    Code(
        P.ID_MISSING,
        "warning",
        "身份证号码为空, 身份无法核验",
        "the ID is empty: identity unverified",
        "请补填身份证号码",
        "fill in the ID",
    ),
    Code(
        P.ID_FORMAT,
        "warning",
        "身份证号码位数或字符不对 (应为18位)",
        "the ID is not 18 characters of digits and X",
        "请核对身份证号码",
        "check the ID",
    ),
    Code(
        P.ID_PROVINCE,
        "warning",
        "身份证号码前两位不是有效的省份代码",
        "the ID does not start with a province code",
        "请核对身份证号码",
        "check the ID",
    ),
    Code(
        P.ID_BIRTH_DATE,
        "warning",
        "身份证号码中的出生日期无效",
        "the birth date inside the ID is not a real date",
        "请核对身份证号码第7-14位",
        "check digits 7-14 of the ID",
    ),
    Code(
        P.ID_CHECK_DIGIT,
        "warning",
        "身份证号码校验位不符, 可能有录入错误",
        "the ID's check digit is wrong: probably a typo",
        "请对照身份证核对每一位",
        "compare the ID digit by digit",
    ),
    Code(
        P.ID_DUPLICATE_IN_SHEET,
        "warning",
        "同一身份证号码在本表中出现多次",
        "the same ID appears more than once in the sheet",
        "请删除重复的行",
        "remove the duplicate row",
    ),
    Code(
        P.GENDER_MISMATCH,
        "warning",
        "性别与身份证号码不一致",
        "the gender disagrees with the ID",
        "请核对性别或身份证号码",
        "check the gender or the ID",
    ),
    Code(
        P.GENDER_UNKNOWN,
        "warning",
        "性别无法识别 (应为 男/女)",
        "the gender is neither 男 nor 女",
        "请填写 男 或 女",
        "write 男 or 女",
    ),
    Code(
        P.BIRTH_MISMATCH,
        "warning",
        "出生日期与身份证号码不一致",
        "the birth date disagrees with the ID",
        "请核对出生日期或身份证号码",
        "check the birth date or the ID",
    ),
    Code(
        P.PHONE_INVALID,
        "warning",
        "联系电话不是11位手机号或带区号的固定电话",
        "the phone is neither an 11-digit mobile nor a landline with area code",
        "请核对电话号码",
        "check the phone number",
    ),
    Code(
        P.NUMBER_INVALID,
        "warning",
        "应为整数, 已忽略该值",
        "a whole number was expected; the value is ignored",
        "请填写整数",
        "write a whole number",
    ),
    Code(
        P.TARGET_VILLAGE_UNKNOWN,
        "error",
        "任务表中的村在数据库中没有任何花名册",
        "the targets name a village with no sheet",
        "请核对乡镇和村名, 或先导入该村的花名册; 新建数据库时先导任务, 可加 --new-villages",
        "check the names, or import the village's sheet first; a new registry starting "
        "with its targets takes --new-villages",
        level="row",
    ),
    Code(
        P.TARGET_INVALID,
        "error",
        "年度任务数不是非负整数",
        "the target is not a whole number",
        "请填写整数, 如 30",
        "write a whole number such as 30",
    ),
    Code(
        P.AGE_UNKNOWN,
        "warning",
        "无法确定年龄 (身份证号码和出生日期都不可用)",
        "the age is unknown (no usable ID or birth date)",
        "请补填出生日期或身份证号码",
        "fill in the birth date or ID",
        level="row",
    ),
    Code(
        P.VALUE_MISSING,
        "error",
        "必填项为空",
        "a required cell is empty",
        "请填写该项",
        "fill in the cell",
    ),
    Code(
        P.VALUE_UNKNOWN,
        "error",
        "不是该列可选的值",
        "not one of the column's values",
        "请从下拉列表或模板的取值列表中选择",
        "choose one of the values of the template's list",
    ),
    # --- the review workbook (`dedup apply`): any of these records nothing
    Code(
        P.REVIEW_TOKEN_INVALID,
        "error",
        "隐藏的行标记与所在的组不符 (被改动, 或来自别的组、别的数据库)",
        "the hidden row token does not belong to its cluster (changed, or from another cluster or registry)",
        "请重新导出核查表 (laborcli dedup --export), 不要改动隐藏的 人员键 和 组键 列",
        "export the review again (laborcli dedup --export) and leave the hidden columns alone",
    ),
    Code(
        P.REVIEW_ROW_GONE,
        "error",
        "该行已不在数据库中 (已删除)",
        "the row is no longer in the registry (deleted)",
        "请重新导出核查表 (laborcli dedup --export)",
        "export the review again (laborcli dedup --export)",
    ),
    Code(
        P.REVIEW_FORMULA,
        "error",
        "填写的是公式, 不是选项",
        "the cell holds a formula, not a choice",
        "请删除公式, 从下拉列表中选择",
        "delete the formula and choose from the dropdown",
    ),
    Code(
        P.REVIEW_CHOICE_UNKNOWN,
        "error",
        "不是下拉列表中的选项",
        "not one of the dropdown's choices",
        "请从下拉列表中选择",
        "choose from the dropdown",
    ),
    Code(
        P.REVIEW_CONFLICT,
        "error",
        "同一组填了两个不同的选择",
        "one cluster has two different choices",
        "每组只保留一个选择",
        "keep one choice per cluster",
    ),
    Code(
        P.REVIEW_HOME_NOT_SAME,
        "error",
        "选了归属村, 但该组没有判定为同一人",
        "a 归属村 is chosen but the cluster is not decided 同一人",
        "请在判定列选择 同一人, 或清空归属村",
        "choose 同一人 in 判定, or clear 归属村",
    ),
    # --- leaders' registry and the payment workbook of `subsidy record` (issue 20)
    Code(
        P.LEADER_KIND_UNKNOWN,
        "warning",
        "类型不是可选的值 (带头能人、劳务经纪人、劳务公司、合作社、人力资源公司、其他), 按个人处理",
        "the 类型 is not one of the list; the leader is taken as a person (an ID is needed)",
        "请从下拉列表中选择类型",
        "choose the 类型 from the dropdown",
    ),
    Code(
        P.LEDGER_LINE_UNKNOWN,
        "error",
        "编号不是本数据库导出的补贴明细编号",
        "the 编号 is not a line this registry exported",
        "请用 laborcli subsidy --export 重新导出发放表, 不要改动 编号 列",
        "export the workbook again (laborcli subsidy --export) and leave 编号 alone",
    ),
    Code(
        P.LEDGER_AMOUNT_CHANGED,
        "error",
        "金额与导出时不一致",
        "the amount differs from the exported line",
        "金额不能在发放表中修改; 如需更正请联系业务科室重新核定",
        "amounts are not changed in the workbook; ask the office to correct the line",
    ),
    Code(
        P.LEDGER_DATE_INVALID,
        "error",
        "发放日期不是有效日期 (已发放的明细必须填写发放日期)",
        "the 发放日期 is not a date (a paid line needs one)",
        "请写成 2026-12-05",
        "write it as 2026-12-05",
    ),
    Code(
        P.LEDGER_PAID_HELD,
        "error",
        "该明细为暂缓 (held), 不能标记为已发放",
        "the line is held and cannot be marked 已发放",
        "暂缓明细待核实后重新导出再发放; 请清空该行的发放状态",
        "clear the 发放状态 of held lines; they are paid after they are verified and exported again",
    ),
    Code(
        P.LEDGER_CONFLICT,
        "error",
        "该明细已登记为另一种发放状态 (或在本表中标记了两次且不同)",
        "the line was recorded with another 发放状态 (or is marked twice, differently, in this workbook)",
        "如需更正, 请用 laborcli subsidy reopen 编号 --reason 原因",
        "correct it with laborcli subsidy reopen LINE_ID --reason …",
    ),
    # --- jobs (issue 21): the demand sheet (企业用工需求登记表)
    Code(
        P.DEMAND_OPENINGS_INVALID,
        "error",
        "需求人数应为不小于 1 的整数",
        "the openings are not a whole number of at least 1",
        "请填写招聘人数, 如 5 或 5人",
        "write the number of openings, such as 5",
    ),
    Code(
        P.DEMAND_DATE_INVALID,
        "error",
        "日期无法识别",
        "the date cannot be read",
        "请写成 2026-10-01 或 2026年10月1日",
        "write it as 2026-10-01",
    ),
    Code(
        P.DEMAND_CREDIT_CODE,
        "warning",
        "统一社会信用代码不符合 GB 32100 (18位, 校验码不符)",
        "the unified social credit code fails GB 32100 (18 characters and its check character)",
        "请对照营业执照核对信用代码",
        "check the code against the business licence",
    ),
    Code(
        P.DEMAND_WAGE_INVALID,
        "warning",
        "月薪无法识别, 已忽略",
        "the monthly wage cannot be read; ignored",
        "请写一个数 (4500) 或范围 (4000-6000)",
        "write a number (4500) or a range (4000-6000)",
    ),
    Code(
        P.DEMAND_AGE_INVALID,
        "warning",
        "年龄要求无法识别, 已忽略 (不按年龄筛选)",
        "the age requirement cannot be read; ignored (no age filter)",
        "请写成 18-45 或 45周岁以下",
        "write it as 18-45 or 45周岁以下",
    ),
    Code(
        P.DEMAND_VALUE_UNKNOWN,
        "warning",
        "不是该列可选的值, 已忽略",
        "not one of the column's values; ignored",
        "请从模板的下拉列表中选择",
        "choose one of the template's values",
    ),
    Code(
        P.DEMAND_DATES_REVERSED,
        "error",
        "有效期至早于登记日期",
        "the end of validity is before the registration date",
        "请核对登记日期和有效期至",
        "check both dates",
        level="row",
    ),
    # --- jobs (issue 21): the proposals workbook of `match record`; any error records nothing
    Code(
        P.MATCH_COLUMNS_MISSING,
        "error",
        "送岗到户表缺少 编号 或 反馈 列",
        "the proposals workbook lacks the 编号 or 反馈 column",
        "请使用 laborcli match --export 导出的表, 保留 编号 和 反馈 列",
        "use the workbook of laborcli match --export and keep its 编号 and 反馈 columns",
        level="file",
    ),
    Code(
        P.MATCH_PROPOSAL_UNKNOWN,
        "error",
        "编号不是已导出的送岗记录",
        "the 编号 is no proposal that was exported",
        "请勿改动 编号 列; 请重新导出 (laborcli match --export)",
        "leave 编号 as exported, or export again (laborcli match --export)",
    ),
    Code(
        P.MATCH_ANSWER_UNKNOWN,
        "error",
        "反馈不是 愿意、不愿意 或 已上岗",
        "the answer is not 愿意, 不愿意 or 已上岗",
        "请从下拉列表中选择, 或留空",
        "choose from the dropdown, or leave it empty",
    ),
    Code(
        P.MATCH_ANSWER_CONFLICT,
        "error",
        "同一编号填了两个不同的反馈",
        "one 编号 has two different answers",
        "每个编号只保留一个反馈",
        "keep one answer per 编号",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}


def problem_name(code: str) -> str:
    """What a code means, in Chinese (its catalogue text), for workbooks that list
    problems by kind; the code itself when it is not in the catalogue."""
    c = CODES.get(code)
    return c.zh if c else code


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem at one place; ``row`` is numbered as Excel shows it (1-based, 0 for the
    file as a whole)."""

    code: ProblemCode
    severity: Severity
    sheet: str
    row: int
    column: str | None
    value: str | None
    message: str  # what is wrong and how to fix it, in one sentence (docs/json.md#import-validate)
    pii: str | None = None  # "id" or "phone" when the value is a personal identifier
    level: Level = "cell"
    fix: str = ""  # how to fix it, on its own

    def shown_value(self, show_pii: bool = False) -> str | None:
        """The value as outputs show it: identifiers masked unless asked for, also where
        one was typed into a column of another kind."""
        if self.value is None or show_pii:
            return self.value
        from laborcli.identity.privacy import mask_id, mask_identifiers, mask_phone

        if self.pii == "id":
            return mask_id(self.value)
        if self.pii == "phone":
            return mask_phone(self.value)
        return mask_identifiers(self.value)

    def as_json(self, show_pii: bool = False) -> dict[str, object]:
        """A ``problem`` of docs/json.md#import-validate."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "severity": self.severity,
            "code": str(self.code),
            "message": self.message,
            "value": self.shown_value(show_pii),
            "level": self.level,
            "fix": self.fix,
        }


def make_problem(
    code: ProblemCode,
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
        code=c.code,
        severity=severity,
        sheet=sheet,
        row=row,
        column=column,
        value=value,
        message=f"{text}; {fix}",
        pii=pii,
        level=c.level if c.level != "cell" or column else "row",
        fix=fix,
    )


def catalogue_markdown() -> str:
    """The docs page listing every code (kept in docs/problem-codes.md, checked by a test)."""
    lines = [
        "# Problem codes",
        "",
        "Generated from `laborcli.sheets.problems`; do not edit by hand.",
        "",
        "| code | severity | level | meaning | how to fix |",
        "|---|---|---|---|---|",
    ]
    for c in _CODES:
        lines.append(f"| `{c.code}` | {c.severity} | {c.level} | {c.zh} ({c.en}) | {c.fix_zh} ({c.fix_en}) |")
    return "\n".join(lines) + "\n"
