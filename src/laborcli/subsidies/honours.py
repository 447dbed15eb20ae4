"""The honour list (两比两看, 劳务输出光荣户; docs/rules.md#honours-and-the-payment-ledger):
households ranked on their members' stable employment (比稳定) and labour income (看收入).

A household (its 户编号 within township and village) is a candidate when at least one of
its members at D (persons whose current row at D has its 户编号) is in stable employment
at D: their transferred spell going on at D has lasted at least the policy's
``[tenure] stable_months`` (3); a spell whose start is unknown is measured from its first
observation, a lower bound. In each township the candidates are ordered by members in
stable employment, then per-capita labour income in year Y as of D (unknown months
counted as 0, ``tenure.household_incomes``), then 户编号, then village; the first
``[honours] top`` (10) are listed, each with the facts behind its place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.policy import Policy
from laborcli.registry.tables import rows
from laborcli.tenure import household_incomes, state_table
from laborcli.tenure.income import POPULATION_FROM, HouseholdIncome, check_year
from laborcli.tenure.runs import OngoingSpell, ongoing_spells

Household = tuple[str, str, str]  # township, village, 户编号


@dataclass(frozen=True, slots=True)
class StableMember:
    """A member in stable employment at D, and the spell that makes it so."""

    name: str
    id_number: str | None
    status: str
    work_place: str | None
    start: dt.date | None
    start_kind: str  # given, estimated, unknown
    first_observation: dt.date
    months: int

    def as_json(self, mask: Callable[[str | None], str | None]) -> dict[str, Any]:
        """A ``members`` entry of docs/json.md#honours."""
        return {
            "name": self.name,
            "id_number": mask(self.id_number),
            "employment_status": self.status,
            "start": self.start,
            "start_kind": self.start_kind,
            "months": self.months,
        }

    def briefly(self) -> str:
        """The member on a notice: name, where, how long (a lower bound: 至少)."""
        where = f"{self.work_place}, " if self.work_place else ""
        least = "至少 " if self.start is None else ""
        return f"{self.name} ({where}{least}{self.months} 个月)"

    def said(self) -> str:
        """The member's facts, in Chinese."""
        if self.start is None:
            since = f"自 {self.first_observation} 首次记录起 (开始时间未知), 至少 {self.months} 个月"
        else:
            kind = "填报" if self.start_kind == "given" else "推定"
            since = f"自 {self.start} ({kind}) 起, 已 {self.months} 个月"
        where = f", {self.work_place}" if self.work_place else ""
        return f"{self.name} ({self.status}{where}, {since})"


@dataclass(slots=True)
class HonourRow:
    """One place of the list."""

    rank: int
    township: str
    village: str
    household_id: str
    head: str
    members: list[StableMember]
    income: HouseholdIncome
    facts: str = ""  # what the explanation says beyond the household and its 户主

    def notice(self) -> str:
        """The facts as the notice board prints them: who works where and how long, and
        the household's income; the full facts are the explanation."""
        inc = self.income
        who = "、".join(m.briefly() for m in self.members)
        return (
            f"稳定就业 {self.stable_members} 人: {who}; 本年务工收入 {inc.labour_income:,.0f} 元, "
            f"家庭人口 {inc.population} 人"
        )

    @property
    def explanation(self) -> str:
        """The facts behind the place, in Chinese, naming the household and its 户主."""
        head = f"户主 {self.head}" if self.head else "没有户主"
        return f"户 {self.household_id} ({self.township}{self.village}), {head}: {self.facts}"

    @property
    def stable_members(self) -> int:
        """Members in stable employment at D."""
        return len(self.members)

    def as_json(self, mask: Callable[[str | None], str | None]) -> dict[str, Any]:
        """A ``rows`` entry of docs/json.md#honours."""
        inc = self.income
        return {
            "rank": self.rank,
            "township": self.township,
            "village": self.village,
            "household_id": self.household_id,
            "head": self.head,
            "stable_members": self.stable_members,
            "per_capita_income": round(inc.per_capita, 2),
            "explanation": self.explanation,
            "labour_income": inc.labour_income,
            "population": inc.population,
            "unknown_months": inc.unknown_months,
            "members": [m.as_json(mask) for m in self.members],
        }


@dataclass(slots=True)
class Honours:
    """docs/json.md#honours."""

    year: int
    as_of: dt.date
    top: int
    stable_months: int
    rows: list[HonourRow] = field(default_factory=list)
    # Households with a member in stable employment, by township (before the cut to ``top``).
    candidates: dict[str, int] = field(default_factory=dict)

    def as_json(self, mask: Callable[[str | None], str | None]) -> dict[str, Any]:
        """The JSON shape of docs/json.md#honours."""
        return {
            "year": self.year,
            "as_of": self.as_of,
            "top": self.top,
            "stable_months": self.stable_months,
            "rows": [r.as_json(mask) for r in self.rows],
            "candidates": dict(self.candidates),
        }


def order_rule(top: int, stable_months: int, year: int) -> str:
    """The ranking rule in the words of the list's head."""
    return (
        f"比稳定、看收入: 各乡镇家中有成员稳定就业 (连续转移就业满 {stable_months} 个月) 的户中, "
        f"按稳定就业人数排序, 人数相同按 {year} 年人均务工收入, 再相同按户编号; 每个乡镇前 {top} 户。"
    )


def stable_spells(conn: Connection, as_of: dt.date, stable_months: int) -> dict[str, OngoingSpell]:
    """Person key -> the transferred spell going on at D that has lasted at least
    ``stable_months`` (stable employment at D); in SQL (tenure.runs)."""
    return {k: s for k, s in ongoing_spells(conn, as_of).items() if s.lasted(stable_months)}


def _members_at(
    conn: Connection, as_of: dt.date, policy: Policy, stable: dict[str, OngoingSpell], township: str | None
) -> tuple[dict[Household, list[StableMember]], dict[Household, str]]:
    """The stable members of each household at D, and each household's 户主 (its first
    户主 row in the state's order, as the subsidy rules take it)."""
    members: dict[Household, list[StableMember]] = defaultdict(list)
    heads: dict[Household, str] = {}
    with state_table(conn, as_of, policy.labour_force) as st:
        q = (
            sa.select(
                st.c.pkey,
                st.c.township,
                st.c.village,
                st.c.household_id,
                st.c.relation,
                rows.c.name,
                rows.c.id_number,
            )
            .select_from(st.join(rows, rows.c.id == st.c.rid))
            .where(st.c.household_id.is_not(None))
            .order_by(st.c.rid)
        )
        if township is not None:
            q = q.where(st.c.township == township)
        for r in conn.execute(q):
            hh = (r.township, r.village, r.household_id)
            if r.relation == "户主" and hh not in heads:
                heads[hh] = r.name
            s = stable.get(r.pkey)
            if s is not None:
                members[hh].append(
                    StableMember(
                        r.name,
                        r.id_number,
                        s.status,
                        s.work_place,
                        s.start,
                        s.start_kind,
                        s.first_observation,
                        s.months,
                    )
                )
    return members, heads


def honours(
    conn: Connection, year: int, as_of: dt.date, policy: Policy, township: str | None = None
) -> Honours:
    """The honour list of year Y as of D (one township's when given)."""
    check_year(year, as_of)
    n, top = policy.tenure.stable_months, policy.honours.top
    res = Honours(year, as_of, top, n)
    stable = stable_spells(conn, as_of, n)
    members, heads = _members_at(conn, as_of, policy, stable, township)
    if not members:
        return res
    incomes = {
        (i.township, i.village, i.household_id): i
        for i in household_incomes(
            conn,
            year,
            as_of,
            policy.labour_force,
            township=township,
            income_max=policy.income.max_monthly_yuan,
        )
    }
    by_town: dict[str, list[HonourRow]] = defaultdict(list)
    for hh, ms in members.items():
        ms.sort(key=lambda m: (-m.months, m.name))
        by_town[hh[0]].append(HonourRow(0, hh[0], hh[1], hh[2], heads.get(hh, ""), ms, incomes[hh]))
    for town in sorted(by_town):
        cands = by_town[town]
        res.candidates[town] = len(cands)
        cands.sort(key=lambda r: (-r.stable_members, -r.income.per_capita, r.household_id, r.village))
        for i, r in enumerate(cands[:top], start=1):
            r.rank = i
            r.facts = facts(r, year, as_of, n)
            res.rows.append(r)
    return res


def facts(r: HonourRow, year: int, as_of: dt.date, stable_months: int) -> str:
    """Who is in stable employment since when, the household's labour income, population
    and per capita, and its unknown months, in Chinese."""
    inc = r.income
    who = "; ".join(m.said() for m in r.members)
    return (
        f"稳定就业 (满 {stable_months} 个月) {r.stable_members} 人: {who}; {year} 年截至 {as_of} "
        f"务工收入合计 {inc.labour_income:,.0f} 元, 家庭人口 {inc.population} 人 "
        f"({POPULATION_FROM[inc.population_from]}), 人均 {inc.per_capita:,.2f} 元; "
        f"收入未知的月份 {inc.unknown_months} 个, 按 0 计"
    )
