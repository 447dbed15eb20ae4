"""The sample county's employer demand sheet (企业用工需求登记表), for `laborcli demand import`
and the weekly matching steps of the README: title row, alias headers, ranges as people
type them, and two rows that must be rejected (需求人数 0, a date that is no date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from laborcli.sample.writers import SheetCell, xlsx_bytes
from laborcli.sheets.safe import write_whole

NAME = "企业用工需求登记表_2026年11月.xlsx"
_HEADERS = [
    "用工单位", "统一社会信用代码", "联系人", "联系电话", "岗位名称", "工种", "招聘人数", "工作地点",
    "岗位区域", "月薪(元)", "年龄要求", "性别要求", "文化程度要求", "技能要求", "是否包吃住", "登记日期", "有效期至",
]  # fmt: skip
_ROWS: list[list[SheetCell]] = [
    ["浙江宁海汇丰电子有限公司", "91530627647681863X", "史华", "14950603091", "电子装配工", "电子设备装接工", 10,
     "浙江省宁波市宁海县", "县外", "4500-6000", "18-45", "不限", "初中", None, "是", "2026-11-02", "2026-12-31"],
    ["昆明城投建设集团有限公司", "91530627127704451D", "金琼花", "13632682857", "钢筋工", "钢筋工", "6人",
     "云南省昆明市", "县外", "6000~8000元", "45周岁以下", "男", None, "钢筋绑扎", "是", "2026-10-08", None],
    ["云岭县城投建筑有限公司", None, "薛勇宇", "13046553157", "砌筑工", "砌筑工", 5, "云岭县城关镇", "县内",
     3500, "18-55岁", None, "小学", None, "否", "2026-11-10", "2026-12-31"],
    ["东莞市长安镇恒达模具厂", "91530627230419640T", "熊雪", "13562211206", "普工", None, 8, "广东省东莞市",
     "县外", "5000-6500", "18-45", None, "初中", None, "是", "2026-11-15", "2027-02-28"],
    ["云岭县物业服务中心", "915306272253591021", "毛勇刚", "19143997651", "保洁员", "保洁员", 4, "云岭县城关镇",
     "县内", 2400, "18-60", "不限", None, None, "否", "2026-10-10", "2026-12-31"],
    ["温州鹿城服装有限公司", "91530627821946848M", "常飞", "15548212685", "缝纫工", "缝纫工", 0, "浙江省温州市",
     "县外", 5000, "18-45", None, None, None, "是", "2026-10-01", "2026-12-31"],
    ["温州乐清开关厂", "915306273915811989", "万刚", "19869249078", "检验员", None, 2, "浙江省乐清市", "县外",
     5200, "18-45", None, None, None, "是", "2026年13月5日", "2026-12-31"],
]  # fmt: skip


def write_demand_sheet(out_dir: Path) -> str:
    """Write the sheet into ``out_dir``; its file name."""
    rows: list[list[SheetCell]] = [["云岭县企业用工需求登记表 (2026年11月)"], list(_HEADERS), *_ROWS]
    data = xlsx_bytes(
        rows, sheet="用工需求", merges=["A1:Q1"], widths=[26] + [12] * 16, when=dt.date(2026, 11, 20)
    )
    write_whole(out_dir / NAME, data, sync=False)  # a sample is made again at will
    return NAME
