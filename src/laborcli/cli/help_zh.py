"""The Chinese of the commands' help, keyed by the English text in the code (as gettext
would be): ``cli.help.tr`` looks a text up when a help page is shown.

A help text changed in the code must be changed here too; ``tests/test_cli_help.py``
fails for any text of the command tree that has no Chinese.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # --- the pages themselves
    "Show this message and exit.": "显示此帮助并退出。",
    "FILE.xlsx": "文件.xlsx",
    "FILE.csv": "文件.csv",
    "FILE": "文件",
    "FOLDER": "文件夹",
    "DATE": "日期",
    "FILES_OR_FOLDERS": "文件或文件夹",
    "URL": "文件或网址",
    # --- laborcli and its global options
    "劳动力基础数据库 — county labour-force registries: import village sheets, count each person once, "
    "transfer rates, zero-employment households, Friday red/black lists.": (
        "劳动力基础数据库: 导入村表, 每人只计一次, 计算转移就业率、零就业家庭, 生成周五红黑榜。"
    ),
    "Registry: a file path or sqlite:///path (default laborcli.db), or postgresql+psycopg://…; "
    "also LABORCLI_DB.": (
        "数据库: 文件路径或 sqlite:///路径 (默认 laborcli.db), 或 postgresql+psycopg://…; 也可用环境变量 LABORCLI_DB。"
    ),
    "Sheet definition (TOML) to use instead of the standard one.": "代替标准定义使用的表格定义 (TOML)。",
    "County policy file (TOML): age bounds, list size, subsidies.": "县政策文件 (TOML): 年龄界限、榜单人数、补贴。",
    "No progress or notes on stderr.": "不在 stderr 显示进度和提示。",
    "Show tracebacks of errors.": "出错时显示完整的错误追踪。",
    "Show the version.": "显示版本。",
    # --- shared options
    "Reference date (2026-11-30) or month (2026-11); default: the month end of the latest sheet imported.": (
        "基准日期 (2026-11-30) 或月份 (2026-11); 默认为最新导入报表的月末。"
    ),
    "table (default), json or csv.": "table (表格, 默认)、json 或 csv。",
    "Show ID numbers and phones whole (masked by default).": "完整显示身份证号码和电话 (默认打码)。",
    "Only this township (乡镇).": "只看此乡镇。",
    "Only this village (村/社区).": "只看此村 (社区)。",
    "Township for sheets without a 乡镇 column.": "没有“乡镇”列的表所属的乡镇。",
    "Village for sheets without a 村(社区) column.": "没有“村(社区)”列的表所属的村 (社区)。",
    "Treat warnings as errors.": "把警告当作错误。",
    "Show every column of the table, however wide the terminal.": "显示表格的全部列, 不论终端多宽。",
    "Also write the table to a print-ready .xlsx workbook with Chinese headers.": (
        "同时把表格写入可直接打印的 .xlsx 工作簿 (中文表头)。"
    ),
    "Also write the table as a CSV for Excel: UTF-8 with BOM, Chinese headers.": (
        "同时写一份给 Excel 打开的 CSV: UTF-8 带 BOM, 中文表头。"
    ),
    # --- template, validate, import
    "Write the blank sheet with dropdowns, text-formatted ID column and instructions.": (
        "生成空白村表: 带下拉选项、文本格式的身份证号码列和填表说明。"
    ),
    "Where to write the .xlsx template (default: <sheet name>.xlsx).": "模板 .xlsx 的保存位置 (默认: <表名>.xlsx)。",
    "Check sheets against their kind's schema and report every problem; writes nothing to the registry.": (
        "按表的定义检查村表并列出每个问题; 不写入数据库。"
    ),
    "Files, folders or globs of sheets to check.": "要检查的文件、文件夹或通配符。",
    "Write a copy of each sheet with problem cells coloured and commented into this folder.": (
        "把每张表的批注副本 (问题单元格标色并加批注) 写到此文件夹。"
    ),
    "Import village sheets; each file is imported whole or not at all.": "导入村表; 每个文件要么整个导入, 要么整个不导入。",
    "Files, folders or globs of .xlsx/.xls/.et/.ods/.csv sheets.": ".xlsx/.xls/.et/.ods/.csv 村表的文件、文件夹或通配符。",
    "As-of date of the sheets; default: the month in each file name, as its last day.": (
        "村表的统计日期; 默认: 文件名中的月份的最后一天。"
    ),
    "snapshot: each sheet is the village's complete register; update: rows update only the persons they name.": (
        "snapshot: 每张表是该村的完整名册; update: 只更新表中列出的人。"
    ),
    "Check and report, write nothing.": "只检查和报告, 不写入。",
    "Import even a file whose ID numbers mostly belong to other villages "
    "(normally refused as a sheet filed under the wrong village).": (
        "即使文件中的身份证号码大多属于其他村也导入 (通常会作为报错村的表被拒收)。"
    ),
    # --- rates, households, rank
    "Labour force, transfers, rates, households and zero-employment households as of a date.": (
        "某日的劳动力、转移就业、转移就业率、有劳动力家庭和零就业家庭。"
    ),
    "The places to count by.": "按哪一级统计。",
    "Year of 'new transfers' (default: the year of --as-of).": "“新增转移就业”的年份 (默认: --as-of 所在的年份)。",
    "Households with at least one labour-force member, with members and their status.": (
        "至少有一名劳动力的家庭, 及其成员和就业状态。"
    ),
    "Only households with labour and nobody transferred (零就业家庭).": "只列有劳动力但无人转移就业的家庭 (零就业家庭)。",
    "Write the list to an .xlsx workbook, one sheet per township.": "把名单写入 .xlsx 工作簿, 每个乡镇一页。",
    "Rank villages on transfer-employment completion for a week; top K red, bottom K black.": (
        "按转移就业任务完成率给各村排周名次; 前 K 名上红榜, 后 K 名上黑榜。"
    ),
    "ISO week 2026-W47, 'this' (default) or 'last'.": "ISO 周 2026-W47、this (本周, 默认) 或 last (上周)。",
    "Places on each list (default 10, from the policy).": "每个榜单的名额 (默认 10, 来自政策文件)。",
    "The places to rank.": "给哪一级排名。",
    "What to rank on (default: completion when targets are loaded).": "按什么排名 (默认: 已导入任务时按完成率)。",
    "Write the meeting handout (.xlsx); {week} in the name becomes the week.": (
        "生成会议用的红黑榜 (.xlsx); 文件名中的 {week} 换成周次。"
    ),
    "Also draw the lists as a picture for a phone (.png); {week} in the name becomes the week.": (
        "同时生成适合手机查看的红黑榜图片 (.png); 文件名中的 {week} 换成周次。"
    ),
    "The Chinese font for --png (default: one found on this machine).": (
        "--png 所用的中文字体文件 (默认: 在本机查找)。"
    ),
    "FILE.png": "文件.png",
    # --- person, household
    "Every imported row about one person: which file, which row, what changed; then their\n"
    "job spells and labour income in the year as of --as-of.": (
        "一个人导入过的每一行: 哪个文件、哪一行、改了什么; 然后是截至 --as-of 的就业经历和当年务工收入。"
    ),
    "The person's ID number (18 or 15 digits).": "此人的身份证号码 (18 位或 15 位)。",
    "Every imported row of one household's members, month by month (一户一档); then its\n"
    "labour income in the year per capita, as of --as-of.": (
        "一户成员逐月导入过的每一行 (一户一档); 然后是截至 --as-of 的当年人均务工收入。"
    ),
    "The household number (户编号).": "户编号。",
    # --- income, retention
    "Labour income in the year, unknown months, and the monthly income of the transferred.": (
        "当年务工收入、收入不详的月数, 以及转移就业人员的月收入。"
    ),
    "The year (default: the year of --as-of).": "年份 (默认: --as-of 所在的年份)。",
    "Retention (稳岗率): of the labour force transferred k months before, how many still are.": (
        "稳岗率: k 个月前已转移就业的劳动力中, 现在仍在就业的比例。"
    ),
    "The horizon k in months (default 3, from the policy).": "月数 k (默认 3, 来自政策文件)。",
    # --- leaders, subsidy
    "Import the leaders' registry; the last sheet imported is the complete registry.": (
        "导入带头能人名册; 最后导入的表即完整名册。"
    ),
    "Only this rule's lines.": "只列此规则的明细。",
    "Check only; the registry is not changed.": "只检查, 不改动数据库。",
    "Leaders and organisers (带头能人数据库): import, and people organised in a year.": (
        "带头能人数据库: 导入, 以及一年内组织输出的人员。"
    ),
    "Leaders sheets (.xlsx, .xls, .csv), folders or globs.": "带头能人表 (.xlsx, .xls, .csv) 的文件、文件夹或通配符。",
    "Record 已发放 and 不予发放 lines of the returned workbook: all or nothing.": (
        "记录退回工作簿中“已发放”和“不予发放”的明细: 要么全部记录, 要么都不记录。"
    ),
    "Subsidies and awards (补贴奖励): lines, the payment workbook and its ledger.": "补贴奖励: 明细、发放表和台账。",
    "Take a recorded line out of the ledger (a correction), keeping what it was and why.": (
        "把已记录的一条明细移出台账 (更正), 保留原内容和原因。"
    ),
    "The payment workbook returned by finance.": "财务退回的发放工作簿。",
    "The 编号 of a recorded line.": "已记录明细的编号。",
    "Why (not): an ID or person key, or a household as 乡镇/村/户编号.": (
        "(不予发放的) 原因: 身份证号码或人员编号, 或以 乡镇/村/户编号 表示的户。"
    ),
    "Why the recorded line is corrected.": "更正此明细的原因。",
    "Write the payment workbook (补贴发放表.xlsx) for finance.": "生成交财务的补贴发放表 (.xlsx)。",
    # --- honours
    "Households ranked per township on members in stable employment, then per-capita income.": (
        "两比两看: 各乡镇按家中稳定就业人数、再按人均务工收入给各户排名 (光荣户)。"
    ),
    "Write the notice for the board (两比两看.xlsx): one page per township, no IDs.": (
        "生成张贴公示用的光荣户名单 (两比两看.xlsx): 每个乡镇一页, 不含身份证号码。"
    ),
    # --- sample
    "Write <乡镇>_<村>_<YYYY-MM> sheets for every village and month, ready for `laborcli import`.": (
        "为每个村每个月生成 <乡镇>_<村>_<YYYY-MM> 村表, 可直接 laborcli import。"
    ),
    "Folder to write the county into.": "写入示例县的文件夹。",
    "Persons in the county (each listed once).": "全县人数 (每人只列一次)。",
    "Months to write: 2026-10,2026-11, or a count of months ending with --last.": (
        "要生成的月份: 2026-10,2026-11, 或到 --last 为止的月数。"
    ),
    "Last month when --months is a count (default: last month).": "--months 为月数时的最后一个月 (默认: 上个月)。",
    "Same seed, same files.": "同一种子, 同样的文件。",
    "xlsx (default) or csv.": "xlsx (默认) 或 csv。",
    "Faults of hand-typed sheets at small rates (default), or template-clean sheets.": (
        "以小概率加入手工填表的常见错误 (默认), 或生成完全符合模板的表。"
    ),
    "Also write the annual targets sheet for the last month's year.": "同时生成最后一个月所在年份的年度任务表。",
    "Number of townships (default: by size).": "乡镇数 (默认: 按规模)。",
    "Number of villages (default: by size).": "村数 (默认: 按规模)。",
    "Processes (default: one per CPU for large counties).": "进程数 (默认: 大县每个 CPU 一个)。",
    "Print the summary as JSON on stdout.": "在 stdout 以 JSON 输出汇总。",
    # --- targets
    "Annual targets per village (年度转移就业任务数).": "各村年度转移就业任务数。",
    "Load a year's targets; they replace any targets loaded before for that year.\n\n"
    "The file is loaded whole or not at all: a row in error changes nothing.": (
        "导入一年的任务数; 替换该年以前导入的任务。\n\n文件要么整个导入, 要么整个不导入: 有一行出错就什么都不改。"
    ),
    "Accept villages that have no sheet yet (a county starting its registry with the targets).": (
        "接受还没有导入过村表的村 (全县从任务表开始建库时)。"
    ),
    "Targets sheet with 乡镇, 村(社区), 年度任务数.": "含 乡镇、村(社区)、年度任务数 的任务表。",
    "The year the targets are for.": "任务所属的年份。",
    # --- submissions
    "Per township and village: this month's sheet (file, rows, rejected rows, problems) or none.": (
        "按乡镇和村列出本月的村表 (文件、行数、退回行、问题) 或未报送。"
    ),
    "The month, 2026-11 (default: the month of the latest sheet imported).": "月份, 如 2026-11 (默认: 最近导入的村表的月份)。",
    # --- dedup
    "People registered more than once (重复登记), for review.": "重复登记的人员, 供核查。",
    "Write the review workbook (.xlsx) of the undecided clusters, to decide on.": (
        "生成待核查 (尚未判定) 各组的核查工作簿 (.xlsx), 在表上判定。"
    ),
    "With --export: every cluster, the decided ones too.": "与 --export 同用: 导出全部各组, 包括已判定的。",
    "Record the decisions of a review workbook (all or, on any error, none); they keep\n"
    "applying in later imports.": "记录核查工作簿中的判定 (全部记录, 有任何错误则都不记录); 以后的导入继续沿用。",
    "The review workbook with decisions filled in.": "已填好判定的核查工作簿。",
    # --- db
    "The registry itself: info, upgrade, backup.": "数据库本身: 信息、升级、备份。",
    "Show the registry URL (password hidden), schema version and sizes.": "显示数据库地址 (隐藏密码)、结构版本和大小。",
    "Migrate an older registry to this version's schema, keeping its data.": "把旧版数据库升级到本版结构, 保留数据。",
    "Copy an SQLite registry safely while others use it (PostgreSQL: use pg_dump).": (
        "在他人使用时安全复制 SQLite 数据库 (PostgreSQL 请用 pg_dump)。"
    ),
    "The backup file to write (must not exist).": "要写入的备份文件 (不能已存在)。",
    # --- export
    "Report workbooks and data exports.": "报表工作簿和数据导出。",
    "The monthly report: 汇总, 乡镇, 村, 稳岗, 务工收入, 培训, 零就业家庭, 脱贫劳动力, 数据质量, 说明.": (
        "月报: 汇总、乡镇、村、稳岗、务工收入、培训、零就业家庭、脱贫劳动力、数据质量、说明。"
    ),
    "The .xlsx to write; with --split-by township, a folder or a name with {township}.": (
        "要写入的 .xlsx; 用 --split-by township 时, 为文件夹或含 {township} 的文件名。"
    ),
    "One workbook per township.": "每个乡镇一个工作簿。",
    "The dashboard: static HTML pages that open offline by double-click (DIR/index.html).": (
        "数据看板: 静态网页, 无需联网, 双击 DIR/index.html 即可打开。"
    ),
    "The folder to write the dashboard into.": "看板写入的文件夹。",
    "Also one page per township.": "另外为每个乡镇生成一页。",
    "Leave the subsidy lines out (on a large county their computation takes the longest).": (
        "不含补贴明细 (大县计算补贴耗时最长)。"
    ),
    "DIR": "文件夹",
    "The current register, one row per person, with age, labour force, transfer and duplicate cluster.": (
        "当前名册, 每人一行, 含年龄、是否劳动力、转移就业和重复登记组。"
    ),
    "The file to write.": "要写入的文件。",
    "The file's format (default: the file name's extension).": "文件格式 (默认: 按文件扩展名)。",
    # --- people
    "Personal data: deletion on request.": "个人信息: 应本人要求删除。",
    "Remove every row of a person from the registry and record that it was done.": "从数据库删除一个人的所有行, 并记录已删除。",
    "The person's ID number.": "此人的身份证号码。",
    "Why (recorded in the purge log).": "删除原因 (记入删除日志)。",
    "Do not ask for confirmation.": "不再询问确认。",
    # --- demand and match (issue 21)
    "The kind of sheet: village (村花名册, the default), targets (年度任务表), leaders (带头能人数据库), "
    "demand (企业用工需求登记表) or training (培训花名册); "
    "--schema FILE of the same kind replaces the shipped one.": (
        "表的种类: village (村花名册, 默认)、targets (年度任务表)、leaders (带头能人数据库)、"
        "demand (企业用工需求登记表) 或 training (培训花名册); 同种类的 --schema 文件代替自带的定义。"
    ),
    "Employer demand (企业用工需求): openings, placements, fill rates.": "企业用工需求: 岗位、已上岗人数、到岗率。",
    "List the demands with their openings, placements and fill rates, per company and county.": (
        "列出各岗位的需求人数、已上岗人数和到岗率, 并按企业和全县合计。"
    ),
    "Only the demands open at the date.": "只列该日在招的岗位。",
    "Import demand sheets; rows in error are rejected and listed, each file whole or not at all.": (
        "导入企业用工需求登记表; 有错误的行被拒绝并列出, 每个文件整体导入或整体不导入。"
    ),
    "Demand sheets (企业用工需求登记表): files, folders or globs.": "企业用工需求登记表: 文件、文件夹或通配符。",
    "Matching people to jobs (送岗到户, 供需对接).": "人岗匹配 (送岗到户, 供需对接)。",
    "For each open job, the candidates best first, with score and reasons.": (
        "为每个在招岗位列出候选人 (得分高者在前), 附得分和理由。"
    ),
    "Only the people of this village (村, or 乡镇/村).": "只列该村的人 (村, 或 乡镇/村)。",
    "One person's ID: proposed, or why not, job by job.": "一个人的身份证号码: 逐个岗位说明是否推荐, 或为何未推荐。",
    "Write the 送岗到户 workbook (.xlsx), or one per village into a folder.": (
        "写出送岗到户表 (.xlsx), 或在文件夹中每村一个。"
    ),
    "Record the answers (反馈) of returned lists: each file all or, on any error, nothing.": (
        "登记交回的送岗到户表中的反馈: 每个文件全部登记, 有任何错误则不登记。"
    ),
    "送岗到户 workbooks with 反馈 filled in.": "已填写反馈的送岗到户表。",
    "The Friday supply-demand session (逢五供需对接): per township the open jobs, the\n"
    "candidates proposed and the placements of the week, as of the week's Friday.": (
        "逢五供需对接: 按乡镇列出在招岗位、推荐人数和本周上岗人数, 截至该周周五。"
    ),
    "ISO week 2026-W49, 'this' or 'last' (default: the week of the reference date).": (
        "ISO 周 2026-W49、this (本周) 或 last (上周); 默认为基准日期所在的周。"
    ),
    "YYYY-Www": "年-W周",
    "VILLAGE": "村",
    "ID": "身份证号码",
    "FILE_OR_FOLDER": "文件或文件夹",
    # --- training (培训花名册, issue 22)
    "Every imported row about one person: which file, which row, what changed; then their\n"
    "job spells and labour income in the year as of --as-of, and their training records.": (
        "一个人导入过的每一行: 哪个文件、哪一行、改了什么; 然后是截至 --as-of 的就业经历和当年务工收入, 以及培训记录。"
    ),
    "Training records (培训台账) and employment after training (培训一人、转移一人).": (
        "培训台账与培训后就业 (培训一人、转移一人)。"
    ),
    "Persons trained and person-times, certificates, employed after training within the\n"
    "window and, for order training, placed with the order employer; with rates.": (
        "培训人数和人次、取得证书数、结业后观察期内就业人次, 订单培训在订单企业就业人次, 以及各项比率。"
    ),
    "Records ending in this year (default: D's year).": "结束日期在此年份的记录 (默认为 --as-of 所在年份)。",
    "Rows by course type, institution or place.": "按培训类别、培训机构或地区分行。",
    "Write the workbook of the records left for review (.xlsx), to decide with training apply.": (
        "导出待核实培训记录的核实表 (.xlsx), 填好后用 training apply 登记。"
    ),
    "Import training rosters; rows with errors are rejected and listed, the others kept,\n"
    "and a record already imported (same person, type, institution and dates) is kept once.": (
        "导入培训花名册: 有错误的行拒收并列出, 其余导入; 已导入的记录 (同一人、类别、机构和起止日期) 只保留一条。"
    ),
    "Files, folders or globs of training rosters.": "培训花名册文件、文件夹或通配符。",
    "Decide a record without a valid ID: it is this person (or, with --different, not);\n"
    "the decision is remembered for every later run.": (
        "判定一条无有效身份证号码的培训记录: 是此人 (加 --different 则不是); 判定长期有效。"
    ),
    "The record_id of a record left for review (training --format json).": (
        "待核实记录的 record_id (见 training --format json)。"
    ),
    "The registry person's ID number (or person key).": "数据库中此人的身份证号码 (或人员键)。",
    "The record is NOT this person (never proposed again).": "该记录不是此人 (不再提示)。",
    "Record the decisions of a review workbook (all or, on any error, none); they keep\n"
    "applying in every later run.": "登记核实表中的判定 (全部登记, 有任何错误则一条都不登记); 判定长期有效。",
    "The review workbook (training --export-review) with 判定 filled in.": (
        "填好 判定 的核实表 (training --export-review 导出)。"
    ),
}
