"""The facts behind the training payment (培训补贴, docs/programmes.md "Subsidies and
awards"), and training as evidence for matching people to jobs.

The payment itself is a line of the subsidy engine (its status, ledger and explanation);
this module only says which records qualify and why, so that the engine can make one
line per record (rule ``training_payment``, period the record's year, subject the
record): the trainee reached stable employment (a transferred spell that lasted the
policy's ``tenure.stable_months``, on or before D) in a spell that started within the
training outcome window, (结束日期, 结束日期 + ``training.window_months``]. A spell whose
start is unknown never counts as started in the window. The payee is the record's
培训机构; the amount is ``training.payment_yuan`` of its course type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from laborcli.identity.keys import is_verified
from laborcli.policy import DedupPolicy, TrainingPolicy
from laborcli.sheets.cells import fold
from laborcli.tenure.months import add_months
from laborcli.tenure.spells import Spell, dates_up_to, spells_of
from laborcli.training.figures import Outcome, observed_persons, outcomes
from laborcli.training.records import TrainingRecord, load_records


@dataclass(frozen=True, slots=True)
class PaymentFact:
    """One training record that qualifies for the payment, with what made it qualify.

    ``held``: why the line cannot be paid yet (the trainee is not linked to a verified
    person, the record names no institution, or the policy has no amount for its course
    type), else None; the engine holds such a line, as for its other rules.
    """

    institution: str
    person_key: str
    record: TrainingRecord
    spell: Spell
    amount: int
    held: str | None

    @property
    def subject(self) -> str:
        """The line's subject: the record (``record_key``, no ID in it)."""
        return self.record.record_key

    def explanation(self) -> str:
        """The facts, in Chinese, for the line's explanation."""
        r, s = self.record, self.spell
        return (
            f"{r.name} {r.start or ''}～{r.end} 参加{r.course_type}"
            f"{'(' + r.trade + ')' if r.trade else ''}, 培训机构 {self.institution}; "
            f"{s.start} 开始转移就业 ({s.status}{' · ' + s.employer if s.employer else ''}), "
            f"至 {s.end} 已稳定就业 {s.months} 个月 (来源 {r.source} 第{r.row}行)"
        )


def qualifying_spell(o: Outcome, spells: list[Spell], window_months: int, stable_months: int) -> Spell | None:
    """The first transferred spell that started in the record's window and reached
    stable employment."""
    end = add_months(o.record.end, window_months)
    for s in spells:
        if s.start is not None and o.record.end < s.start <= end and s.lasted(stable_months):
            return s
    return None


def training_payment_facts(
    conn: Connection,
    year: int,
    as_of: dt.date,
    dedup: DedupPolicy,
    policy: TrainingPolicy,
    stable_months: int,
) -> Iterator[PaymentFact]:
    """The records of ``year`` (结束日期 in it, on or before D) that qualify as of D; none
    while the policy's ``training.payment`` is off."""
    if not policy.payment:
        return
    records = load_records(conn, year=year, until=as_of)
    outs = outcomes(conn, records, as_of, dedup, policy)
    persons = {o.link.person_key for o in outs if o.link.person_key}
    observed = observed_persons(conn, persons, as_of)
    dates = dates_up_to(conn, as_of)
    spells = {
        p: spells_of(sorted(obs, key=lambda x: x.d), dates, "transferred", stable_months)
        for p, obs in observed.items()
    }
    for o in outs:
        if o.link.person_key is None:
            continue
        s = qualifying_spell(o, spells.get(o.link.person_key, []), policy.window_months, stable_months)
        if s is None:
            continue
        institution = (o.record.institution or "").strip()
        amount = policy.payment_yuan.get(o.record.course_type, 0)
        held = None
        if not is_verified(o.link.person_key):
            held = "学员身份未核验 (无有效身份证号码)"
        elif not institution:
            held = "培训记录未写明培训机构"
        elif amount <= 0:
            held = f"政策未规定{o.record.course_type}的补贴标准"
        yield PaymentFact(institution, o.link.person_key, o.record, s, amount, held)


def trained_in(
    conn: Connection, person_keys: Collection[str], terms: Collection[str]
) -> dict[str, list[TrainingRecord]]:
    """Person key -> their training records whose 培训工种 is one of ``terms`` (the job's
    trade words or occupation names, compared whole after normalisation), for `match`'s
    "trained in the job's trade" reason. Records are found by the person's own keys (a
    valid ID, or a record decided to be them); the caller maps trades to occupation codes
    through its trades vocabulary and passes every alias it accepts."""
    wanted = {fold(t) for t in terms if t and fold(t)}
    out: dict[str, list[TrainingRecord]] = {}
    if not wanted or not person_keys:
        return out
    keys = set(person_keys)
    from laborcli.training.linking import decisions

    decided = {own: p for own, ds in decisions(conn).items() for p, d in ds if d == "same" and p in keys}
    own_keys = keys | set(decided)
    for i in range(0, len(own_keys), 500):
        chunk = sorted(own_keys)[i : i + 500]
        for r in load_records(conn, own_keys=chunk):
            if r.trade and fold(r.trade) in wanted:
                out.setdefault(decided.get(r.own_key, r.own_key), []).append(r)
    return out


def trained_trades(conn: Connection, person_keys: Collection[str], until: dt.date) -> dict[str, list[str]]:
    """Person key -> the 培训工种 of their training records ended by ``until``: what `match`
    reads through its trades vocabulary for the "trained in the job's trade" reason.

    Read in one pass over the records (a county's roster is far smaller than its people),
    each record counted for its own key or the person a review decided it is.
    """
    keys = set(person_keys)
    out: dict[str, list[str]] = {}
    if not keys:
        return out
    from laborcli.training.linking import decisions

    decided = {own: p for own, ds in decisions(conn).items() for p, d in ds if d == "same"}
    for r in load_records(conn, until=until):
        who = decided.get(r.own_key, r.own_key)
        if r.trade and who in keys:
            out.setdefault(who, []).append(r.trade)
    return out
