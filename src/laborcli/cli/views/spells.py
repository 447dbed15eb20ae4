"""A person's job spells and labour income, the section `person` prints after the rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.output import out, table
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.tenure.income import HouseholdIncome
    from laborcli.tenure.person import PersonTenure
    from laborcli.tenure.spells import Spell

KIND = {"transferred": ("转移就业", "transferred"), "outside": ("县外务工", "outside")}
START = {"given": ("", ""), "estimated": (" (估计)", " (estimated)"), "unknown": ("未知", "unknown")}


def show_tenure(t: PersonTenure) -> None:
    """The spells as a table (or one line when there are none), then the year's income."""
    sp = t.spells
    spells = [*sp.transferred, *sp.outside]
    d = sp.as_of.isoformat()
    if spells:
        out.print(
            table(
                pick(f"务工经历 (截至 {d}, 稳定就业 ≥ {sp.stable_months} 个月)", f"Job spells as of {d}"),
                [
                    pick("类型", "kind"),
                    pick("开始", "start"),
                    pick("最近记录", "last seen"),
                    pick("月数", "months"),
                    pick("稳定", "stable"),
                    pick("状态 · 地点 · 单位", "status · place · employer"),
                    pick("有组织", "organised"),
                    pick("行", "rows"),
                ],
                [_row(s, sp.stable_months) for s in spells],
                right=(3, 7),
            )
        )
    else:
        out.print(pick(f"截至 {d} 无转移就业记录", f"No job spell as of {d}"))
    inc = t.income
    out.print(
        pick(
            f"{inc.year} 年务工收入 (截至 {inc.as_of.isoformat()}): {inc.labour_income:,.0f} 元, "
            f"{inc.months} 个月中收入未知 {inc.unknown_months} 个月",
            f"Labour income in {inc.year} as of {inc.as_of.isoformat()}: {inc.labour_income:,.0f} yuan, "
            f"unknown in {inc.unknown_months} of {inc.months} months",
        )
    )


def _row(s: Spell, stable_months: int) -> list[object]:
    zh, en = START[s.start_kind]
    start = pick(zh, en) if s.start is None else f"{s.start.isoformat()}{pick(zh, en)}"
    ongoing = pick(" (至今)", " (ongoing)") if s.ongoing else ""
    yes, no = pick("是", "yes"), pick("否", "no")
    job = " · ".join(x for x in (s.status, s.work_place, s.employer) if x)
    organised = (yes if s.organised else no) + (f" ({s.organiser})" if s.organiser else "")
    return [
        pick(*KIND[s.kind]),
        start,
        f"{s.end.isoformat()}{ongoing}",
        s.months,
        yes if s.lasted(stable_months) else no,
        job,
        organised,
        len(s.observations),
    ]


POPULATION = {
    "head": ("户主行的家庭人口数", "the 户主 row's 家庭人口数"),
    "largest": ("各行中最大的家庭人口数", "the largest 家庭人口数 of its rows"),
    "members": ("在册成员数", "the members listed"),
}


def show_household_income(households: list[HouseholdIncome]) -> None:
    """One line per household of that number (one per village) with its income per capita."""
    for h in households:
        src = pick(*POPULATION[h.population_from])
        out.print(
            pick(
                f"{h.township}{h.village} {h.household_id}: 务工收入 {h.labour_income:,.0f} 元 / "
                f"{h.population} 人 ({src}) = 人均 {h.per_capita:,.0f} 元, 收入未知 {h.unknown_months} 人月",
                f"{h.township}{h.village} {h.household_id}: labour income {h.labour_income:,.0f} yuan / "
                f"{h.population} ({src}) = {h.per_capita:,.0f} per capita, {h.unknown_months} person-months unknown",
            )
        )
