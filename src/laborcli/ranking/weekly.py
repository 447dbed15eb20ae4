"""The Friday ranking (周排名, 红黑榜) of villages or townships.

Week W's reference date is its Friday; its year (targets, new transfers from 1 January) is
W's ISO year. Places are ranked by completion (new transfers / annual target), or by
transfer rate when no targets are loaded, highest first; ties by more new transfers, then
by name in code-point order. The red list is the first k, the black list the last k, with
k = min(K, n // 2) so no place is on both. ``_order`` is the rule; ``order_rule`` says it
in words for the handout.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.engine import Connection

from laborcli.dates import week_friday, week_label
from laborcli.policy import LabourForceAges
from laborcli.ranking.targets import load_targets
from laborcli.roster.figures import rates_levels

Metric = Literal["completion", "transfer_rate"]


@dataclass(slots=True)
class RankRow:
    """One ranked place."""

    rank: int
    township: str
    village: str | None
    value: float
    new_transfers: int
    target: int | None
    transfer_rate: float | None
    previous_rank: int | None = None
    list: str | None = None
    sheet_as_of: dt.date | None = None
    stale: bool = False

    def as_json(self) -> dict[str, Any]:
        """A ``rows`` entry of docs/json.md#rank."""
        return {
            "rank": self.rank,
            "township": self.township,
            "village": self.village,
            "value": self.value,
            "new_transfers": self.new_transfers,
            "target": self.target,
            "previous_rank": self.previous_rank,
            "list": self.list,
            "transfer_rate": self.transfer_rate,
            "sheet_as_of": self.sheet_as_of.isoformat() if self.sheet_as_of else None,
            "stale": self.stale,
        }


@dataclass(slots=True)
class Ranking:
    """The whole ranking of a week."""

    week: str
    as_of: dt.date
    metric: Metric
    by: str
    rows: list[RankRow]
    unranked: list[dict[str, str | None]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#rank."""
        return {
            "week": self.week,
            "as_of": self.as_of.isoformat(),
            "metric": self.metric,
            "by": self.by,
            "rows": [r.as_json() for r in self.rows],
            "unranked": self.unranked,
        }

    @property
    def red(self) -> list[RankRow]:
        """The red list (红榜)."""
        return [r for r in self.rows if r.list == "red"]

    @property
    def black(self) -> list[RankRow]:
        """The black list (黑榜)."""
        return [r for r in self.rows if r.list == "black"]


def _order(r: RankRow) -> tuple[Any, ...]:
    return (-r.value, -r.new_transfers, r.village or "", r.township)


def order_rule(metric: Metric, by: str = "village") -> str:
    """``_order`` and the lists in words, as the handout prints them (change them together)."""
    value = "完成率 (本年新增转移就业人数 ÷ 年度任务)" if metric == "completion" else "转移就业率"
    names = "村名、乡镇名" if by == "village" else "乡镇名"
    return (
        f"排序规则: 按{value}从高到低; 相同时本年新增转移就业人数多者在前; 再相同时按{names}的"
        "字符编码顺序。红榜为前 K 名, 黑榜为后 K 名 (K 不超过参加排名数的一半, 不会同时上两榜)。"
    )


def _freshness(villages: list[dict[str, Any]], by: str) -> dict[tuple[str, str | None], tuple[Any, bool]]:
    """(sheet_as_of, stale) per ranked place; a township stands on its oldest village sheet."""
    if by == "village":
        return {(v["township"], v["village"]): (v["sheet_as_of"], v["stale"]) for v in villages}
    out: dict[tuple[str, str | None], tuple[Any, bool]] = {}
    for v in villages:
        key = (v["township"], None)
        d, stale = out.get(key, (v["sheet_as_of"], False))
        if d is None or (v["sheet_as_of"] is not None and v["sheet_as_of"] < d):
            d = v["sheet_as_of"]
        out[key] = (d, stale or v["stale"])
    return out


def rank_week(
    conn: Connection,
    year: int,
    week: int,
    ages: LabourForceAges,
    *,
    top: int = 10,
    by: Literal["village", "township"] = "village",
    metric: Metric | None = None,
    with_previous: bool = True,
) -> Ranking:
    """Rank the places for ISO week (year, week)."""
    d = week_friday(year, week)
    tg = load_targets(conn, year)
    chosen: Metric = metric or ("completion" if tg else "transfer_rate")
    levels = rates_levels(
        conn, d, ["village", "township"] if by == "township" else ["village"], ages, year=year
    )
    fig = levels[by]
    # A township's completion counts the new transfers of its villages that have a target
    # against the sum of those targets: a village without one adds to neither side.
    targeted_new: dict[str, int] = defaultdict(int)
    for v in levels["village"].rows:
        if (v["township"], v["village"]) in tg:
            targeted_new[v["township"]] += v["new_transfers"]
    freshness = _freshness(levels["village"].rows, by)
    ranked: list[RankRow] = []
    unranked: list[dict[str, str | None]] = []
    for r in fig.rows:
        place = (r["township"], r["village"]) if by == "village" else (r["township"], None)
        if by == "village":
            target = tg.get((r["township"], r["village"]))
        else:
            ts = [v for (t, _), v in tg.items() if t == r["township"]]
            target = sum(ts) if ts else None
            if chosen == "completion":
                r = {**r, "new_transfers": targeted_new[r["township"]]}
        if chosen == "completion":
            if target is None:
                unranked.append({"township": place[0], "village": place[1], "reason": "no target"})
                continue
            if target <= 0:
                unranked.append({"township": place[0], "village": place[1], "reason": "target is 0"})
                continue
            value = r["new_transfers"] / target
        else:
            if r["transfer_rate"] is None:
                unranked.append({"township": place[0], "village": place[1], "reason": "no labour force"})
                continue
            value = r["transfer_rate"]
        row = RankRow(0, place[0], place[1], value, r["new_transfers"], target, r["transfer_rate"])
        row.sheet_as_of, row.stale = freshness.get(place, (None, True))
        ranked.append(row)
    ranked.sort(key=_order)
    n = len(ranked)
    k = min(top, n // 2)
    for i, row in enumerate(ranked):
        row.rank = i + 1
        row.list = "red" if i < k else "black" if i >= n - k else None
    if with_previous:
        py, pw, _ = (d - dt.timedelta(days=7)).isocalendar()
        prev = rank_week(conn, py, pw, ages, top=top, by=by, metric=metric, with_previous=False)
        before = {(r.township, r.village): r.rank for r in prev.rows}
        for row in ranked:
            row.previous_rank = before.get((row.township, row.village))
    return Ranking(week=week_label(year, week), as_of=d, metric=chosen, by=by, rows=ranked, unranked=unranked)
