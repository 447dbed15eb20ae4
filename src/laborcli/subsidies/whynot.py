"""`subsidy --person`: for one person or household, each rule's answer: applies (with its
line), or the first condition that fails, with the facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Connection

from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.identity.privacy import mask_identifiers
from laborcli.policy import Policy
from laborcli.roster.history import person_keys
from laborcli.subsidies.rules import RULE_NAMES, context, household_check, placement_check


def why_not(conn: Connection, ident: str, year: int, as_of: dt.date, policy: Policy) -> dict[str, Any]:
    """docs/json.md#subsidy-person: ``ident`` is an ID or person key, or a household
    written 乡镇/村/户编号."""
    parts = ident.split("/")
    household: tuple[str, str, str] | None = None
    answers: dict[str, tuple[bool, str | None, str]] = {}
    if len(parts) == 3 and all(parts):
        household = (parts[0], parts[1], parts[2])
        ctx = context(conn, year, as_of, policy, keys=[])
        answers["organised_placement"] = (False, None, "按人计发: 请用身份证号码查询该户成员")
    else:
        keys = person_keys(conn, ident)
        ctx = context(conn, year, as_of, policy, keys=sorted(keys))
        if not ctx.facts.people:
            raise UsageError(
                pick(
                    f"数据库中没有此人: {mask_identifiers(ident)}",
                    f"no such person: {mask_identifiers(ident)}",
                )
            )
        found = [placement_check(ctx, p) for p in ctx.facts.people.values()]
        line = next((ln for ln, _ in found if ln is not None), None)
        if not policy.subsidies.organised_placement.enabled:
            answers["organised_placement"] = (False, None, "该项补贴未启用 (政策文件)")
        elif line is not None:
            answers["organised_placement"] = (True, line.line_id, line.explanation)
        else:
            answers["organised_placement"] = (False, None, found[-1][1])
        rows = [p.rows[max(p.rows)] for p in ctx.facts.people.values() if p.rows]
        homes = [r.household for r in rows if r.household is not None]
        household = homes[-1] if homes else None
    if not policy.subsidies.household_income_award.enabled:
        answers["household_income_award"] = (False, None, "该项奖励未启用 (政策文件)")
    elif household is None:
        answers["household_income_award"] = (False, None, "没有户编号, 无法按户核定")
    else:
        lines, why = household_check(ctx, household)
        answers["household_income_award"] = (
            (True, lines[0].line_id, lines[0].explanation) if lines else (False, None, why)
        )
    answers["leader_award"] = (
        False,
        None,
        "按带头人名录计发, 不按个人或户: 请用 laborcli leaders 查看组织人数",
    )
    answers["training_payment"] = (False, None, "该项补贴未启用")
    return {
        "as_of": as_of,
        "year": year,
        "subject": mask_identifiers(ident),
        "rules": [
            {"rule": r, "applies": answers[r][0], "line_id": answers[r][1], "why": answers[r][2]}
            for r in RULE_NAMES
        ],
    }
