"""What the HTML dashboard shows (`export html`), gathered in one state of the registry.

Nothing is computed here that a command computes already: the figures, their months,
the zero-employment households, 稳岗 and 务工收入 are the monthly report's
(``roster.report_data.gather``, with each township's figures kept at every date for the
trends); the week's ranking is ``ranking.weekly.rank_week``; the subsidy lines
``subsidies.rules.subsidy_lines``; the openings and placements ``jobs.listing.demand_list``;
the training figures ``training.figures.training_figures``. A township's page takes its
part of the county's (``township_part``), so a split dashboard costs one county's work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from laborcli.jobs.demand import DemandList
from laborcli.jobs.listing import demand_list
from laborcli.policy import CountyInfo, Policy
from laborcli.ranking.weekly import Ranking, rank_week
from laborcli.registry.engine import Registry
from laborcli.registry.store import registry_stamp
from laborcli.roster.households import Household
from laborcli.roster.report_data import CONCURRENT_FROM_ROWS, TenureFigures, gather, tenure_figures
from laborcli.roster.state import current_row_count
from laborcli.sheets.schema import SheetSchema
from laborcli.sheets.workers import start_context
from laborcli.subsidies.rules import SubsidyResult, subsidy_lines
from laborcli.training.figures import TrainingFigures, training_figures


@dataclass(slots=True)
class Dashboard:
    """The county's dashboard, or one township's part of it (``township`` set)."""

    as_of: dt.date
    info: CountyInfo
    township: str | None
    # This page's figures: the total (county or township), its townships (the county's
    # page) and its villages, each with 年度任务 and 完成率 when targets are loaded.
    total: dict[str, Any]
    previous: dict[str, Any] | None
    townships: list[dict[str, Any]]
    villages: list[dict[str, Any]]
    has_targets: bool
    # (date, this page's total, each township's row) at every as-of date up to D.
    trend: list[tuple[dt.date, dict[str, Any], list[dict[str, Any]]]]
    zero: list[Household]
    ranking: Ranking
    tenure: TenureFigures | None
    subsidies: SubsidyResult | None
    training: TrainingFigures | None
    demand: DemandList | None
    # The county's townships, for the pages' links (also on a township's page).
    all_townships: list[str] = field(default_factory=list)


def ranking_week(d: dt.date) -> tuple[int, int]:
    """The ISO week holding D: its Friday's ranking stands on the sheets of D's month."""
    y, w, _ = d.isocalendar()
    return y, w


def gather_dashboard(
    conn: Connection,
    d: dt.date,
    policy: Policy,
    schema: SheetSchema | None = None,
    subsidies: Callable[[], SubsidyResult | None] | None = None,
) -> Dashboard:
    """The county's dashboard at D; ``subsidies`` gives the subsidy lines once the rest is
    done (``dashboards`` computes them meanwhile in a second process), else they are
    computed here; a function that gives None leaves them out."""
    # The duplicate review is not on the dashboard: no clusters to find (the data-quality
    # part of ReportData is left with no pending reviews).
    rep = gather(conn, d, policy, clusters=[], schema=schema, trend_by="township")
    y, w = ranking_week(d)
    ranking = rank_week(conn, y, w, policy.labour_force, top=policy.ranking.top)
    training = training_figures(conn, d.year, d, "township", policy.dedup, policy.training)
    return Dashboard(
        as_of=d,
        info=policy.county,
        township=None,
        # The townships' total is the county's, with 年度任务 and 完成率 when targets are loaded.
        total=rep.by_township.total,
        previous=rep.previous.total if rep.previous else None,
        townships=rep.by_township.rows,
        villages=rep.by_village.rows,
        has_targets=rep.has_targets,
        trend=[(h.as_of, h.total, h.rows) for h in rep.history],
        zero=rep.zero,
        ranking=ranking,
        tenure=rep.tenure,
        subsidies=subsidies() if subsidies else subsidy_lines(conn, d.year, d, policy),
        training=training if training.outcomes else None,
        demand=demand_list(conn, d),
        all_townships=[r["township"] for r in rep.by_township.rows],
    )


def township_part(county: Dashboard, conn: Connection, township: str, policy: Policy) -> Dashboard:
    """One township's page: its row as the total, its villages, its part of each list.

    The ranks stay the county's (a village is 7th of the county's villages on its
    township's page too); the openings of employers are the county's, not a township's,
    and stay on the county's page.
    """
    row = next((r for r in county.townships if r["township"] == township), None)
    total = {**(row or {}), "township": township}
    trend = []
    for when, _, rows in county.trend:
        here = next((r for r in rows if r["township"] == township), None)
        if here is not None:
            trend.append((when, here, [here]))
    # As for the county (report_data.gather): the previous is the as-of date before the latest.
    previous = trend[-2][1] if len(trend) >= 2 else None
    ranking = Ranking(
        week=county.ranking.week,
        as_of=county.ranking.as_of,
        metric=county.ranking.metric,
        by=county.ranking.by,
        rows=[r for r in county.ranking.rows if r.township == township],
        unranked=[u for u in county.ranking.unranked if u["township"] == township],
    )
    subsidies = None
    if county.subsidies is not None:
        s = county.subsidies
        subsidies = SubsidyResult(s.year, s.as_of, [ln for ln in s.lines if ln.township == township])
    training = None
    if county.training is not None:
        t = county.training
        rows = [r for r in t.rows if r["key"] == township]
        mine = [o for o in t.outcomes if (o.record.township or "") == township]
        tot = rows[0] if rows else None
        if tot is not None:
            training = TrainingFigures(t.year, t.as_of, t.by, t.months, rows, tot, mine)
    tenure = tenure_figures(conn, county.as_of, policy, township, county.tenure) if county.tenure else None
    return Dashboard(
        as_of=county.as_of,
        info=county.info,
        township=township,
        total=total,
        previous=previous,
        townships=[row] if row else [],
        villages=[v for v in county.villages if v["township"] == township],
        has_targets=county.has_targets,
        trend=trend,
        zero=[h for h in county.zero if h.township == township],
        ranking=ranking,
        tenure=tenure,
        subsidies=subsidies,
        training=training,
        demand=None,
        all_townships=county.all_townships,
    )


def dashboards(
    reg: Registry,
    d: dt.date,
    policy: Policy,
    *,
    split: bool,
    schema: SheetSchema | None = None,
    min_rows: int = CONCURRENT_FROM_ROWS,
    subsidies: bool = True,
) -> list[Dashboard]:
    """The county's page, then (``split``) each township's, in one state of the registry.

    The subsidy lines are the slowest part and Python work, the figures mostly SQL: on a
    registry of ``min_rows`` current rows or more the lines are computed in a second
    process meanwhile, as ``report_data.gather_concurrently`` does the duplicate review,
    and computed again here if an import landed between the two reads (the registry's
    stamp differs). Without ``subsidies`` the page has none (``export html --no-subsidies``).
    """
    if not subsidies:
        with reg.reading() as conn:
            return _pages(conn, d, policy, split, schema, lambda: None)
    with reg.reading() as conn:
        small = current_row_count(conn, d) < min_rows
    pool = None
    if not small:
        try:
            pool = ProcessPoolExecutor(max_workers=1, mp_context=start_context(holds_connections=True))
        except OSError:  # no processes to be had: in turn
            pool = None
    if pool is None:
        with reg.reading() as conn:
            return _pages(conn, d, policy, split, schema, None)
    with pool:
        fut = pool.submit(_subsidy_lines, reg.url.render_as_string(hide_password=False), d, policy)
        with reg.reading() as conn:
            stamp = registry_stamp(conn)

            def lines() -> SubsidyResult:
                try:
                    theirs, found = fut.result()
                except (OSError, BrokenProcessPool):
                    return subsidy_lines(conn, d.year, d, policy)
                return found if theirs == stamp else subsidy_lines(conn, d.year, d, policy)

            return _pages(conn, d, policy, split, schema, lines)


def _pages(
    conn: Connection,
    d: dt.date,
    policy: Policy,
    split: bool,
    schema: SheetSchema | None,
    lines: Callable[[], SubsidyResult | None] | None,
) -> list[Dashboard]:
    county = gather_dashboard(conn, d, policy, schema, lines)
    return [county] + (
        [township_part(county, conn, t, policy) for t in county.all_townships] if split else []
    )


def _subsidy_lines(url: str, d: dt.date, policy: Policy) -> tuple[tuple[object, ...], SubsidyResult]:
    """The year's subsidy lines and the stamp of the state they saw (in a worker process)."""
    from laborcli.registry.engine import open_registry

    reg = open_registry(url, create=False)
    try:
        with reg.reading() as conn:
            return registry_stamp(conn), subsidy_lines(conn, d.year, d, policy)
    finally:
        reg.close()
