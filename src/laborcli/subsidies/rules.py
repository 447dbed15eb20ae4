"""Subsidy and award lines (docs/programmes.md "Subsidies and awards") and the leaders'
list, as of D, with the ledger's statuses.

The rules are entries of ``RULES``: each has a name, whether the policy turns it on, and a
function from the facts to its lines. A rule adds its line when the facts qualify; a
line that qualifies but cannot be paid is ``held`` with its reasons. The ledger (what
finance returned) then makes a line ``paid`` or ``refused``; a paid line that no longer
qualifies stays, as ``review``. A 4th rule (the training payment) is one more entry:
a function ``(Context) -> list[Line]`` and its policy table under ``[subsidies]``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.policy import Policy
from laborcli.registry.migrate import REVIEW_SECRET
from laborcli.registry.tables import imports, ledger, meta, rows
from laborcli.subsidies.facts import Facts, Organised, PersonFacts, gather, organised_by, organiser_named
from laborcli.subsidies.leaders import Leader, registered
from laborcli.tenure import household_incomes, state_table
from laborcli.tenure.income import POPULATION_FROM
from laborcli.tenure.spells import Spell

# What a purged person's name and ID become on the ledger lines kept (`people purge`).
PURGED = "(已删除)"
RULE_NAMES = ("organised_placement", "household_income_award", "leader_award", "training_payment")
_PREFIX = {
    "organised_placement": "ZZ",
    "household_income_award": "SR",
    "leader_award": "DT",
    "training_payment": "PX",
}
RULE_TITLES = {
    "organised_placement": "组织跟踪服务补贴",
    "household_income_award": "劳务收入奖励",
    "leader_award": "带头人奖励",
    "training_payment": "培训补贴",
}


@dataclass(slots=True)
class Line:
    """One line: a rule's payment for one subject and period."""

    line_id: str
    rule: str
    year: int
    payee: str
    amount: int
    status: str  # due, held, paid, refused, review
    person: dict[str, str | None] | None
    household_id: str | None
    township: str | None
    village: str | None
    explanation: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

    def as_json(self, mask: Callable[[str | None], str | None]) -> dict[str, Any]:
        """A ``lines`` entry of docs/json.md#subsidy."""
        person = None
        if self.person is not None:
            person = {"name": self.person["name"], "id_number": mask(self.person["id_number"]) or ""}
        return {
            "line_id": self.line_id,
            "rule": self.rule,
            "year": self.year,
            "payee": self.payee,
            "amount": self.amount,
            "status": self.status,
            "person": person,
            "household_id": self.household_id,
            "township": self.township,
            "village": self.village,
            "explanation": self.explanation,
            "held_reasons": list(self.held),
            "sources": self.sources,
        }


@dataclass(slots=True)
class Context:
    """What the rules read: the facts, the leaders' registry, the policy, the year."""

    conn: Connection
    year: int
    as_of: dt.date
    policy: Policy
    facts: Facts
    leaders: dict[str, Leader]
    secret: bytes

    def line_id(self, rule: str, period: str, subject: str) -> str:
        """The line's stable identifier (``line_id``)."""
        return line_id(self.secret, rule, period, subject)


def line_id(secret: bytes, rule: str, period: str, subject: str) -> str:
    """Stable for (rule, period, subject) in this registry; a keyed digest, so that it
    never shows, or lets anyone recover, an ID number or a phone."""
    digest = hmac.new(secret, f"{rule}|{period}|{subject}".encode(), hashlib.sha256).hexdigest()
    return f"{_PREFIX[rule]}-{period}-{digest[:12]}"


def registry_secret(conn: Connection) -> bytes:
    """The registry's own key (made with the registry)."""
    v = conn.execute(sa.select(meta.c.value).where(meta.c.key == REVIEW_SECRET)).scalar_one_or_none()
    return (v or "laborcli").encode()


# --- leaders ------------------------------------------------------------------------------


@dataclass(slots=True)
class LeadersList:
    """docs/json.md#leaders."""

    year: int
    as_of: dt.date
    rows: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#leaders."""
        return {"year": self.year, "as_of": self.as_of, "rows": self.rows, "unmatched": self.unmatched}


def leaders_list(conn: Connection, year: int, as_of: dt.date, policy: Policy) -> LeadersList:
    """Each registered leader with the people organised in the year (all, poor or
    relocated), and the organiser names that match no leader, with their people."""
    months = policy.subsidies.organised_placement.min_months
    facts = gather(conn, as_of, policy.labour_force, months, year=year, placements=False)
    regs = registered(conn)
    org = facts.organised
    out = []
    for key, ld in regs.items():
        o = org.get(key, Organised())
        out.append(
            {
                "name": ld.name,
                "kind": ld.kind or "",
                "township": ld.township,
                "village": ld.village,
                "people_organised": len(o.people),
                "poor_people_organised": len(o.poor),
            }
        )
    out.sort(key=lambda r: (-int(str(r["people_organised"])), str(r["name"])))
    unmatched = [
        {"organiser": key, "people": len(o.people), "poor_people": len(o.poor)}
        for key, o in org.items()
        if key and key not in regs
    ]
    unmatched.sort(key=lambda r: (-int(str(r["people"])), str(r["organiser"])))
    return LeadersList(year, as_of, out, unmatched)


# --- the rules -----------------------------------------------------------------------------


def _src(o: Any) -> dict[str, Any]:
    return {"source": o.source, "sheet": o.sheet, "row": o.row}


def _carried(p: PersonFacts, dates: list[dt.date]) -> str:
    """The months whose observation came from an earlier month's sheet."""
    old = [
        f"{d:%Y-%m} (沿用 {p.rows[d].row_as_of} 的花名册)"
        for d in dates
        if p.rows[d].row_as_of.replace(day=1) < d.replace(day=1)
    ]
    return f"; 其中 {'、'.join(old)}" if old else ""


def placement_check(ctx: Context, p: PersonFacts) -> tuple[Line | None, str]:
    """The person's organised placement line for the year, or the first condition that
    fails, in Chinese."""
    pol = ctx.policy.subsidies.organised_placement
    n = pol.min_months
    why = "没有县外务工记录"
    for s in p.spells:
        org = organised_by(s)
        span = f"{s.start or s.first_observation} 至 {s.end}"
        if org is None:
            why = f"县外务工 ({span}) 不是组织化输出"
            continue
        q = s.qualifying
        if q is None:
            why = f"县外务工 ({span}) 持续 {s.months} 个月, 未满 {n} 个月"
            continue
        reached_year = s.reached_on.year if s.start is not None and s.reached_on else q.year
        if reached_year != ctx.year:
            why = f"县外务工 ({span}) 于 {reached_year} 年满 {n} 个月, 不在 {ctx.year} 年"
            continue
        row = p.rows[q]
        if not row.labour_force:
            why = f"满 {n} 个月时 ({q}) 不在劳动力范围内"
            continue
        if not ctx.facts.poor_at(row.household, q):
            why = f"满 {n} 个月时 ({q}) 所在户不是脱贫户或易地搬迁户"
            continue
        return _placement_line(ctx, p, s, org, q), ""
    return None, why


def _placement_line(ctx: Context, p: PersonFacts, s: Spell, org: str, q: dt.date) -> Line:
    pol = ctx.policy.subsidies.organised_placement
    me = p.latest
    held: list[str] = []
    leader = ctx.leaders.get(org) if org else None
    named = organiser_named(s)
    if not me.id_valid:
        held.append("本人身份证号码未核验")
    if not org:
        held.append("组织者未填写 (输出组织者为空)")
    elif leader is None:
        held.append(f"组织者 {named} 不在带头人名录中, 请先登记")
    elif leader.needs_id and not leader.id_valid:
        held.append(f"带头人 {leader.name} 身份证号码未核验")
    if s.start is None:
        held.append("务工开始时间未知, 请村里补填 务工开始时间")
    start = (
        f"{s.start} ({'填报' if s.start_kind == 'given' else '推定'})"
        if s.start
        else f"未知 (首次记录 {s.first_observation})"
    )
    months = [o.d for o in s.observations]
    home = p.rows[q].household
    hh_id = home[2] if home else "-"
    text = (
        f"{me.name} 县外务工, 开始 {start}, 记录至 {s.end}, 于 {s.reached_on} 满 {pol.min_months} 个月 "
        f"(以 {q} 的记录核定); 组织者 {named or '未填写'}"
        f"{' (带头人名录: ' + leader.name + ')' if leader else ''}; 所在户 {hh_id} "
        f"为脱贫户或易地搬迁户{_carried(p, months)}"
    )
    if held:
        text += "; 暂缓: " + "; ".join(held)
    hh = p.rows[q].household
    return Line(
        line_id=ctx.line_id("organised_placement", str(ctx.year), p.pkey),
        rule="organised_placement",
        year=ctx.year,
        payee=leader.name if leader else named,
        amount=pol.yuan,
        status="held" if held else "due",
        person={"name": me.name, "id_number": me.id_number},
        household_id=hh[2] if hh else None,
        township=hh[0] if hh else s.observations[-1].township,
        village=hh[1] if hh else s.observations[-1].village,
        explanation=text,
        sources=[_src(o) for o in s.observations],
        held=held,
    )


def organised_placement(ctx: Context) -> list[Line]:
    """组织跟踪服务补贴: one line per person and year."""
    out = []
    for p in ctx.facts.people.values():
        line, _ = placement_check(ctx, p)
        if line is not None:
            out.append(line)
    return out


def _households(
    ctx: Context, st: sa.Table, household: tuple[str, str, str] | None = None
) -> list[dict[str, Any]]:
    """Each household at D (``st``: the state at D): poor or relocated, its 户主 (name,
    ID, valid), its rows."""
    q = (
        sa.select(
            st.c.township,
            st.c.village,
            st.c.household_id,
            st.c.relation,
            rows.c.name,
            rows.c.id_number,
            rows.c.id_valid,
            rows.c.poor,
            rows.c.sheet,
            rows.c.row_number,
            imports.c.file_name,
        )
        .select_from(st.join(rows, rows.c.id == st.c.rid).join(imports, imports.c.id == rows.c.import_id))
        .where(st.c.household_id.is_not(None))
    )
    if household is not None:
        q = q.where(
            st.c.township == household[0], st.c.village == household[1], st.c.household_id == household[2]
        )
    else:  # the award's households only: a member's row at D marks them poor or relocated
        mark = st.alias("poor_member")
        poor = (
            sa.select(mark.c.township, mark.c.village, mark.c.household_id)
            .join(rows, rows.c.id == mark.c.rid)
            .where(rows.c.poor.is_(True))
        )
        q = q.where(sa.tuple_(st.c.township, st.c.village, st.c.household_id).in_(poor))
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in ctx.conn.execute(q):
        h = found.setdefault(
            (r.township, r.village, r.household_id), {"poor": False, "head": None, "sources": []}
        )
        h["poor"] = h["poor"] or bool(r.poor)
        if r.relation == "户主" and h["head"] is None:
            h["head"] = (r.name, r.id_number, bool(r.id_valid))
        h["sources"].append({"source": r.file_name, "sheet": r.sheet, "row": r.row_number})
    return [{"key": k, **v} for k, v in found.items()]


def household_check(ctx: Context, household: tuple[str, str, str] | None = None) -> tuple[list[Line], str]:
    """劳务收入奖励 lines (one household's when given), and for one household the reason
    it gets none."""
    pol = ctx.policy.subsidies.household_income_award
    with state_table(ctx.conn, ctx.as_of, ctx.policy.labour_force) as st:
        homes = {h["key"]: h for h in _households(ctx, st, household)}
        incomes = household_incomes(
            ctx.conn,
            ctx.year,
            ctx.as_of,
            ctx.policy.labour_force,
            township=household[0] if household else None,
            village=household[1] if household else None,
            household_id=household[2] if household else None,
            income_max=ctx.policy.income.max_monthly_yuan,
            poor_only=household is None,
            state=st,
        )
    out: list[Line] = []
    why = "该户在 D 时不在花名册中"
    for inc in incomes:
        key = (inc.township, inc.village, inc.household_id)
        h = homes.get(key)
        if h is None:
            continue
        facts = (
            f"户 {inc.household_id} ({inc.township}{inc.village}): {ctx.year} 年截至 {ctx.as_of} 务工收入合计 "
            f"{inc.labour_income:.0f} 元, 家庭人口 {inc.population} 人 ({POPULATION_FROM[inc.population_from]}), "
            f"人均 {inc.per_capita:.2f} 元; 未知收入的月份 {inc.unknown_months} 个, 按 0 计"
        )
        if not h["poor"]:
            why = f"{facts}; 该户在 {ctx.as_of} 不是脱贫户或易地搬迁户"
            continue
        if inc.per_capita < pol.per_capita_yuan:
            why = f"{facts}; 未达到人均 {pol.per_capita_yuan} 元"
            continue
        head = h["head"]
        held = []
        if head is None:
            held.append(f"该户在 {ctx.as_of} 没有户主")
        elif not head[2]:
            held.append(f"户主 {head[0]} 身份证号码未核验")
        text = f"{facts}, 达到 {pol.per_capita_yuan} 元; 脱贫户或易地搬迁户; 户主 {head[0] if head else '无'}"
        if held:
            text += "; 暂缓: " + "; ".join(held)
        out.append(
            Line(
                line_id=ctx.line_id("household_income_award", "once", "|".join(key)),
                rule="household_income_award",
                year=ctx.year,
                payee=head[0] if head else "",
                amount=pol.yuan,
                status="held" if held else "due",
                person={"name": head[0], "id_number": head[1]} if head else None,
                household_id=inc.household_id,
                township=inc.township,
                village=inc.village,
                explanation=text,
                sources=h["sources"],
                held=held,
            )
        )
    return out, why


def household_income_award(ctx: Context) -> list[Line]:
    """劳务收入奖励: once ever per household."""
    return household_check(ctx)[0]


def leader_tier(ctx: Context, people: int) -> int:
    """The amount of the highest tier reached (0: none)."""
    reached = [t.yuan for t in ctx.policy.subsidies.leader_award.tiers if people >= t.people]
    return max(reached, default=0)


def leader_award(ctx: Context) -> list[Line]:
    """带头人奖励: per registered leader and year, the highest tier reached."""
    org = ctx.facts.organised
    out = []
    for key, ld in ctx.leaders.items():
        o = org.get(key, Organised())
        amount = leader_tier(ctx, len(o.people))
        if not amount:
            continue
        held = ["带头人身份证号码未核验"] if ld.needs_id and not ld.id_valid else []
        text = (
            f"{ld.name} ({ld.kind or '类型未填'}) {ctx.year} 年组织县外务工 {len(o.people)} 人 "
            f"(开始时间在 {ctx.year}-01-01 至 {ctx.as_of}), 其中脱贫户或易地搬迁户 {len(o.poor)} 人; 奖励 {amount} 元"
        )
        if held:
            text += "; 暂缓: " + "; ".join(held)
        out.append(
            Line(
                line_id=ctx.line_id("leader_award", str(ctx.year), key),
                rule="leader_award",
                year=ctx.year,
                payee=ld.name,
                amount=amount,
                status="held" if held else "due",
                person={"name": ld.name, "id_number": ld.id_number} if ld.needs_id else None,
                household_id=None,
                township=ld.township,
                village=ld.village,
                explanation=text,
                sources=list(o.sources),
                held=held,
            )
        )
    return out


def training_payment(ctx: Context) -> list[Line]:
    """培训补贴 (off by default): one line per training record whose trainee reached stable
    employment in a spell that started within the outcome window, to its institution
    (the facts: laborcli.training.payment; amounts per course type: policy [training])."""
    from laborcli.identity.keys import id_of
    from laborcli.training.payment import training_payment_facts

    pol = ctx.policy
    out = []
    for f in training_payment_facts(
        ctx.conn, ctx.year, ctx.as_of, pol.dedup, pol.training, pol.tenure.stable_months
    ):
        r, held = f.record, [f.held] if f.held else []
        text = f.explanation() + ("; 暂缓: " + "; ".join(held) if held else "")
        out.append(
            Line(
                line_id=ctx.line_id("training_payment", str(ctx.year), f.subject),
                rule="training_payment",
                year=ctx.year,
                payee=f.institution or "未填写培训机构",
                amount=f.amount,
                status="held" if held else "due",
                person={"name": r.name, "id_number": id_of(f.person_key) or r.id_number},
                household_id=None,
                township=r.township or None,
                village=r.village or None,
                explanation=text,
                sources=[{"source": r.source, "sheet": r.sheet, "row": r.row}]
                + [_src(o) for o in f.spell.observations],
                held=held,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Rule:
    """One subsidy rule: on when the policy says so."""

    name: str
    enabled: Callable[[Policy], bool]
    lines: Callable[[Context], list[Line]]


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("organised_placement", lambda p: p.subsidies.organised_placement.enabled, organised_placement),
        Rule(
            "household_income_award",
            lambda p: p.subsidies.household_income_award.enabled,
            household_income_award,
        ),
        Rule("leader_award", lambda p: p.subsidies.leader_award.enabled, leader_award),
        Rule("training_payment", lambda p: p.training.payment, training_payment),
    )
}


# --- lines with the ledger ------------------------------------------------------------------


@dataclass(slots=True)
class SubsidyResult:
    """docs/json.md#subsidy."""

    year: int
    as_of: dt.date
    lines: list[Line]

    def totals(self) -> dict[str, int]:
        """Counts and yuan by status."""
        out: dict[str, int] = {}
        for st in ("due", "paid", "held", "review", "refused"):
            these = [ln for ln in self.lines if ln.status == st]
            out[st] = len(these)
            out[f"amount_{st}"] = sum(ln.amount for ln in these)
        return out

    def by_rule_township(self) -> list[dict[str, Any]]:
        """Due and paid by rule and township (the totals table and the report's 补贴)."""
        acc: dict[tuple[str, str], dict[str, Any]] = {}
        for ln in self.lines:
            k = (ln.rule, ln.township or "")
            a = acc.setdefault(
                k,
                {
                    "rule": ln.rule,
                    "township": ln.township or "",
                    "due": 0,
                    "amount_due": 0,
                    "paid": 0,
                    "amount_paid": 0,
                },
            )
            if ln.status in ("due", "paid"):
                a[ln.status] += 1
                a[f"amount_{ln.status}"] += ln.amount
        return [acc[k] for k in sorted(acc)]

    def as_json(self, mask: Callable[[str | None], str | None]) -> dict[str, Any]:
        """The JSON shape of docs/json.md#subsidy."""
        return {
            "year": self.year,
            "as_of": self.as_of,
            "lines": [ln.as_json(mask) for ln in self.lines],
            "totals": self.totals(),
            "by_rule_township": self.by_rule_township(),
        }


def context(conn: Connection, year: int, as_of: dt.date, policy: Policy, keys: Any = None) -> Context:
    """The facts and registry the rules read."""
    facts = gather(
        conn, as_of, policy.labour_force, policy.subsidies.organised_placement.min_months, keys, year
    )
    return Context(conn, year, as_of, policy, facts, registered(conn), registry_secret(conn))


def subsidy_lines(
    conn: Connection, year: int, as_of: dt.date, policy: Policy, rule: str | None = None
) -> SubsidyResult:
    """Every line of the year as of D (one rule's when given), with the ledger's statuses."""
    ctx = context(conn, year, as_of, policy)
    lines: list[Line] = []
    for r in RULES.values():
        if (rule is None or r.name == rule) and r.enabled(policy):
            lines.extend(r.lines(ctx))
    return SubsidyResult(year, as_of, with_ledger(ctx, lines, rule))


def with_ledger(ctx: Context, lines: list[Line], rule: str | None) -> list[Line]:
    """Statuses from the ledger: recorded lines as recorded; a paid line that no longer
    qualifies as ``review``; a leader paid at a lower tier gets a top-up line."""
    recorded = {r.line_id: r for r in ctx.conn.execute(sa.select(ledger))}
    out: list[Line] = []
    seen: set[str] = set()
    for ln in lines:
        seen.add(ln.line_id)
        rec = recorded.get(ln.line_id)
        if rec is None:
            out.append(ln)
            continue
        ln.status, qualifying = rec.status, ln.amount
        ln.amount = rec.amount
        said = f"已发放 {rec.paid_on}" if rec.status == "paid" else f"不予发放: {rec.reason or ''}"
        ln.explanation += f"; 已登记为 {said}"
        out.append(ln)
        if ln.rule == "leader_award" and rec.status == "paid":
            paid = rec.amount + sum(
                r.amount
                for lid, r in recorded.items()
                if lid.startswith(ln.line_id + "-") and r.status == "paid"
            )
            top_id = f"{ln.line_id}-{qualifying}"
            if qualifying > paid:
                top = recorded.get(top_id)
                seen.add(top_id)
                out.append(
                    Line(
                        top_id,
                        ln.rule,
                        ln.year,
                        ln.payee,
                        top.amount if top else qualifying - paid,
                        top.status if top else ("held" if ln.held else "due"),
                        ln.person,
                        None,
                        ln.township,
                        ln.village,
                        f"补差: 已发放 {paid} 元, 现达到 {qualifying} 元档次, 补发 {qualifying - paid} 元; "
                        + ln.explanation,
                        ln.sources,
                        ln.held,
                    )
                )
    for lid, rec in recorded.items():
        if lid in seen or rec.year != ctx.year or (rule is not None and rec.rule != rule):
            continue
        if lid.rsplit("-", 1)[0] in seen:
            continue  # a top-up of a leader line shown above
        if rec.person_name == PURGED:
            # The person asked for their data to be deleted (`people purge`): the line no
            # longer qualifies because their rows are gone, not because the facts changed.
            said = f"已于 {rec.paid_on} 发放 {rec.amount} 元" if rec.status == "paid" else "已登记为不予发放"
            out.append(
                Line(
                    lid,
                    rec.rule,
                    rec.year,
                    rec.payee,
                    rec.amount,
                    rec.status,
                    {"name": PURGED, "id_number": None},
                    None,
                    None,
                    None,
                    f"{said}; 本人已申请删除个人信息 (people purge), 登记记录保留, 姓名和身份证号码已删除",
                )
            )
            continue
        out.append(
            Line(
                lid,
                rec.rule,
                rec.year,
                rec.payee,
                rec.amount,
                "review" if rec.status == "paid" else "refused",
                {"name": rec.person_name, "id_number": rec.id_number} if rec.person_name else None,
                None,
                None,
                None,
                (
                    f"已于 {rec.paid_on} 发放 {rec.amount} 元, 但按 {ctx.as_of} 的数据不再符合条件, 请复核"
                    if rec.status == "paid"
                    else f"已登记为不予发放: {rec.reason or ''}; 按 {ctx.as_of} 的数据不再符合条件"
                ),
            )
        )
    return out
