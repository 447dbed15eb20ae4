"""What the monthly report shows, gathered from the registry in one state of it.

The workbook itself is written by ``exports.report``; everything it shows is computed
here: the figures at three levels and over every as-of date, the zero-employment
households, each village's latest sheet and its quality, the source files, and the
retention (稳岗) and labour income (务工收入) of the tenure package, and the training
records with what they led to (培训).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.identity import Cluster, find_clusters
from laborcli.policy import CountyInfo, DedupPolicy, LabourForceAges, Policy
from laborcli.ranking.targets import load_targets
from laborcli.registry.engine import Registry
from laborcli.registry.store import registry_stamp
from laborcli.registry.tables import imports, problems, training_records
from laborcli.roster.figures import Rates, figure_table, rates, rates_of_table, unverified_by_village
from laborcli.roster.households import Household, collect
from laborcli.roster.state import current_row_count, latest_snapshots
from laborcli.roster.submissions import is_stale
from laborcli.roster.trend import transfer_trend
from laborcli.sheets.problems import problem_name
from laborcli.sheets.schema import SheetSchema, load_schema
from laborcli.sheets.workers import start_context
from laborcli.tenure.income import Income, incomes
from laborcli.tenure.retention import Retention, retentions
from laborcli.training.figures import COURSE_TYPES, Outcome, figures_of, group_key, outcomes
from laborcli.training.records import load_records


@dataclass(frozen=True, slots=True)
class Definitions:
    """What the figures count, as the policy and the sheet definition in force say."""

    ages: LabourForceAges
    transferred: tuple[str, ...]  # employment statuses that are transfer employment
    not_labour_force: tuple[str, ...]  # employment statuses outside the labour force
    excluded_capacities: tuple[str, ...]  # labour capacities outside the labour force


def definitions(policy: Policy, schema: SheetSchema) -> Definitions:
    """The definitions of the 说明 sheet, in the sheet definition's order of terms."""
    statuses = schema.vocabularies["employment_status"].terms
    capacities = schema.vocabularies["labour_capacity"].terms
    return Definitions(
        ages=policy.labour_force,
        transferred=tuple(t.term for t in statuses if t.transferred),
        not_labour_force=tuple(t.term for t in statuses if not t.labour_force),
        excluded_capacities=tuple(t.term for t in capacities if t.excluded),
    )


@dataclass(slots=True)
class ReportData:
    """Everything the workbook shows, computed once."""

    as_of: dt.date
    township: str | None
    county: Rates
    previous: Rates | None
    by_township: Rates
    by_village: Rates
    trend: list[tuple[dt.date, float | None]]
    zero: list[Household]
    quality: list[dict[str, Any]]
    sources: list[tuple[str, str, dt.date]]
    definitions: Definitions
    # The county, its office and the report's signatories (the policy's ``[county]``).
    info: CountyInfo = field(default_factory=CountyInfo)
    # Whether the year's targets are loaded: then the township and village rows (and
    # their totals) carry ``target`` (年度任务) and ``completion`` (完成率).
    has_targets: bool = False
    # 稳岗 and 务工收入 by township and village (None: not gathered).
    tenure: TenureFigures | None = None
    # 培训 by course type and township (None: no training roster was ever imported).
    training: TrainingReport | None = None
    # 补贴: due and paid by rule and township (None: no subsidy rule is on in the policy).
    subsidies: SubsidyFigures | None = None
    # The figures at every as-of date up to D, oldest first, by township (``gather``'s
    # ``trend_by`` "township", the dashboard's trends; empty for the county's report).
    history: list[Rates] = field(default_factory=list)


_Res = TypeVar("_Res", Retention, Income)


@dataclass(frozen=True, slots=True)
class TenureFigures:
    """Retention over the policy's horizon and labour income in D's year, by township and
    by village; for one township's report only its rows, its total the township's row."""

    retention_by_township: Retention
    retention_by_village: Retention
    income_by_township: Income
    income_by_village: Income


@dataclass(frozen=True, slots=True)
class SubsidyFigures:
    """The 补贴 sheet: the lines of D's year as of D (``subsidies.rules.subsidy_lines``),
    counted and added up by rule and township, for every rule the policy turns on and
    every township of the report, zeros included: the sheet has the same rows each month,
    and a zero reads as "nothing due" rather than as a row gone missing."""

    year: int
    rules: tuple[str, ...]  # the rules on, in their order
    rows: tuple[dict[str, Any], ...]  # rule, township, and the counts of SUBSIDY_COUNTS


# Per status: lines and yuan. "paid" and "review" are both paid out (review: no longer
# qualifying since); "held" qualifies but waits (unverified, unregistered organiser);
# "refused" was marked 不予发放 by finance.
SUBSIDY_COUNTS = ("due", "paid", "review", "held", "refused")
UNPLACED = "(未填乡镇)"  # lines of no township: a leader registered without one


def subsidy_figures(
    conn: Connection,
    d: dt.date,
    policy: Policy,
    townships: list[str],
    township: str | None = None,
    county: SubsidyFigures | None = None,
) -> SubsidyFigures | None:
    """What the 补贴 sheet shows, or None when the policy turns no rule on (the county does
    not run the programme: a sheet of zeros would say it does). For one township, taken
    from ``county`` when given, so that a split report computes the lines once."""
    from laborcli.subsidies.rules import RULES, subsidy_lines

    if county is None:
        on = tuple(r.name for r in RULES.values() if r.enabled(policy))
        if not on:
            return None
        acc: dict[tuple[str, str], dict[str, Any]] = {}
        for ln in subsidy_lines(conn, d.year, d, policy).lines:
            a = acc.setdefault((ln.rule, ln.township or UNPLACED), _zeros())
            if ln.status in SUBSIDY_COUNTS:
                a[ln.status] += 1
                a[f"amount_{ln.status}"] += ln.amount
        places = list(townships) + sorted({t for _, t in acc} - set(townships))
        rows = tuple({"rule": r, "township": t, **acc.get((r, t), _zeros())} for r in on for t in places)
        county = SubsidyFigures(d.year, on, rows)
    if township is None:
        return county
    return replace(county, rows=tuple(r for r in county.rows if r["township"] == township))


def _zeros() -> dict[str, Any]:
    return {k: 0 for s in SUBSIDY_COUNTS for k in (s, f"amount_{s}")}


def tenure_figures(
    conn: Connection,
    d: dt.date,
    policy: Policy,
    township: str | None = None,
    county: TenureFigures | None = None,
) -> TenureFigures:
    """What the 稳岗 and 务工收入 sheets show, from ``tenure.retention`` and ``tenure.income``;
    for one township, taken from ``county`` (the county's figures) when given, so that a
    split report computes them once."""
    if county is None:
        ages, k = policy.labour_force, policy.tenure.retention_months
        rets = retentions(conn, d, k, ("township", "village"), ages)
        incs = incomes(
            conn, d.year, d, ("township", "village"), ages, income_max=policy.income.max_monthly_yuan
        )
        county = TenureFigures(rets["township"], rets["village"], incs["township"], incs["village"])
    if township is None:
        return county
    ret, inc = county.retention_by_township.rows, county.income_by_township.rows
    return TenureFigures(
        _of_township(county.retention_by_township, ret, township),
        _of_township(county.retention_by_village, ret, township),
        _of_township(county.income_by_township, inc, township),
        _of_township(county.income_by_village, inc, township),
    )


def _of_township(res: _Res, towns: list[dict[str, Any]], township: str) -> _Res:
    """``res`` with the rows of one township only and that township's row as its total
    (zeros, and no rate, when the township has no row)."""
    row = next((r for r in towns if r["township"] == township), None)
    if row is None:
        ratios = ("retention_rate", "average_monthly_income")
        total = {
            k: 0 if isinstance(v, int | float) and k not in ratios else None for k, v in res.total.items()
        }
    else:
        total = {k: row.get(k) for k in res.total}
        total["township"] = None
    return replace(res, rows=[r for r in res.rows if r["township"] == township], total=total)


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """The 培训 sheet: the training records ending in D's year (by D), by course type and by
    the roster's township, with the totals (persons counted once), as `laborcli training`
    counts them; ``outcomes`` are the records judged, for a township's report to take its
    part of without linking the county's records again."""

    year: int
    months: int
    by_type: list[dict[str, Any]]
    by_township: list[dict[str, Any]]
    total: dict[str, Any]
    not_linked: int  # records left for review or unlinked: never counted as employed
    outcomes: tuple[Outcome, ...] = ()


def training_report(
    conn: Connection,
    d: dt.date,
    policy: Policy,
    township: str | None = None,
    county: TrainingReport | None = None,
) -> TrainingReport | None:
    """What the 培训 sheet shows; None when the registry holds no training record at all (a
    county that keeps no roster gets no empty sheet). For one township, its records only."""
    if county is None:
        if conn.execute(sa.select(training_records.c.id).limit(1)).first() is None:
            return None
        records = load_records(conn, year=d.year, until=d)
        outs: tuple[Outcome, ...] = tuple(outcomes(conn, records, d, policy.dedup, policy.training))
    else:
        outs = county.outcomes
    if township is not None:
        outs = tuple(o for o in outs if group_key(o, "township") == township)

    def rows_by(by: str) -> list[dict[str, Any]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in outs:
            groups[group_key(o, by)].append(o)
        order = {t: i for i, t in enumerate(COURSE_TYPES)} if by == "type" else {}
        keys = sorted(groups, key=lambda k: (order.get(k, len(order)), k))
        return [{"key": k, **figures_of(groups[k])} for k in keys]

    return TrainingReport(
        year=d.year,
        months=policy.training.window_months,
        by_type=rows_by("type"),
        by_township=rows_by("township"),
        total=figures_of(outs),
        not_linked=sum(1 for o in outs if o.link.how in ("review", "unlinked")),
        outcomes=outs,
    )


def as_of_dates(conn: Connection) -> list[dt.date]:
    """Every as-of date in the registry, oldest first."""
    return [r[0] for r in conn.execute(sa.select(imports.c.as_of).distinct().order_by(imports.c.as_of))]


def gather(
    conn: Connection,
    d: dt.date,
    policy: Policy,
    township: str | None = None,
    clusters: list[Cluster] | Callable[[], list[Cluster]] | None = None,
    schema: SheetSchema | None = None,
    county_tenure: TenureFigures | None = None,
    county_training: TrainingReport | None = None,
    county_subsidies: SubsidyFigures | None = None,
    trend_by: Literal["county", "township"] = "county",
) -> ReportData:
    """Compute the report's figures in the registry.

    ``clusters`` (the duplicate review, for the 数据质量 sheet) may be given, or a function
    that gives them once the figures are done (see ``gather_concurrently``). ``schema``
    is the sheet definition in force (the shipped one by default), whose vocabularies
    the 说明 sheet cites. ``county_tenure``, ``county_training``, ``county_subsidies``:
    the county's 稳岗 and 务工收入, its 培训 and its 补贴, for a township's report to take
    its part of. ``trend_by`` "township" keeps each township's figures at every date in
    ``history`` (the dashboard's trends: one figure computation per date); the county's
    report needs the transfer rate alone, from one pass over the observations at every
    date (roster.trend).
    """
    ages = policy.labour_force
    dates = [x for x in as_of_dates(conn) if x <= d]
    # "This month" is the latest as-of on or before D; the previous is the one before it.
    prev_d = dates[-2] if len(dates) >= 2 else None
    # One computation of the current persons serves the three levels and the zero list.
    with figure_table(conn, d, ages, township=township) as ft:
        now = {by: rates_of_table(conn, ft, by) for by in ("county", "township", "village")}
        zero = collect(conn, ft, True)
        unverified = unverified_by_village(conn, ft)
    county: dict[dt.date, Rates] = {d: now[trend_by]}

    def county_at(x: dt.date) -> Rates:
        """The figures at ``x``; their total is the county's (or the township's)."""
        if x not in county:
            county[x] = rates(conn, x, trend_by, ages, township=township)
        return county[x]

    previous = county_at(prev_d) if prev_d else None
    tg = load_targets(conn, d.year)
    if tg:
        _add_targets(now["township"], now["village"], tg)
    if trend_by == "township":  # the dashboard shows every figure of every month
        history = [county_at(x) for x in dates]
        trend = [(x, h.total["transfer_rate"]) for x, h in zip(dates, history, strict=True)]
    else:  # the report's trend is the rate alone: one pass over the observations
        history = []
        counts = transfer_trend(conn, dates, ages, township)
        trend = [(x, tr / lf if lf else None) for x, (lf, tr) in ((x, counts[x]) for x in dates)]
    if clusters is None:
        clusters = find_clusters(conn, d, policy.dedup)
    elif callable(clusters):
        clusters = clusters()
    return ReportData(
        as_of=d,
        township=township,
        county=now["county"],
        previous=previous,
        by_township=now["township"],
        by_village=now["village"],
        trend=trend,
        zero=zero,
        quality=_quality(conn, d, township, clusters, unverified),
        sources=_sources(conn, d, township),
        definitions=definitions(policy, schema or load_schema()),
        info=policy.county,
        has_targets=bool(tg),
        tenure=tenure_figures(conn, d, policy, township, county_tenure),
        training=training_report(conn, d, policy, township, county_training),
        subsidies=subsidy_figures(
            conn, d, policy, [r["township"] for r in now["township"].rows], township, county_subsidies
        ),
        history=history,
    )


def _add_targets(towns: Rates, villages: Rates, tg: dict[tuple[str, str], int]) -> None:
    """年度任务 and 完成率 on each village, township and total row.

    As in the Friday ranking, a township's (and the total's) completion counts the new
    transfers of its villages that have a target against the sum of those targets: a
    village without one adds to neither side. A village without a target has neither.
    """
    target: dict[str | None, int] = defaultdict(int)
    new: dict[str | None, int] = defaultdict(int)
    for v in villages.rows:
        t = tg.get((v["township"], v["village"]))
        v["target"] = t
        v["completion"] = v["new_transfers"] / t if t else None
        if t is not None:
            for key in (v["township"], None):
                target[key] += t
                new[key] += v["new_transfers"]
    places: list[tuple[dict[str, Any], str | None]] = [(r, r["township"]) for r in towns.rows]
    for r, k in [*places, (towns.total, None), (villages.total, None)]:
        r["target"] = target.get(k)
        r["completion"] = new[k] / target[k] if target.get(k) else None


# Below this many current rows the review takes less than starting a second process.
CONCURRENT_FROM_ROWS = 50_000


def gather_concurrently(
    reg: Registry,
    d: dt.date,
    policy: Policy,
    township: str | None = None,
    min_rows: int = CONCURRENT_FROM_ROWS,
    schema: SheetSchema | None = None,
) -> ReportData:
    """``gather`` with the duplicate review computed meanwhile in a second process.

    Finding duplicates is Python work and the figures are mostly SQL; on two cores they
    overlap (a thread would not: both want the interpreter lock). Each side reads in its
    own transaction; if an import or a decision landed between the two (the registry's
    stamp differs), the review is computed again in the figures' transaction, so the
    workbook always describes one state of the registry. A registry of fewer than
    ``min_rows`` current rows is done in turn.
    """
    with reg.reading() as conn:
        if current_row_count(conn, d) < min_rows:
            return gather(conn, d, policy, township, schema=schema)
    url = reg.url.render_as_string(hide_password=False)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=start_context(holds_connections=True))
    except OSError:  # no processes to be had: do it in turn
        with reg.reading() as conn:
            return gather(conn, d, policy, township, schema=schema)
    with pool:
        fut = pool.submit(_review, url, d, policy.dedup)
        with reg.reading() as conn:
            stamp = registry_stamp(conn)

            def clusters() -> list[Cluster]:
                try:
                    theirs, found = fut.result()
                except (OSError, BrokenProcessPool):
                    return find_clusters(conn, d, policy.dedup)
                return found if theirs == stamp else find_clusters(conn, d, policy.dedup)

            return gather(conn, d, policy, township, clusters=clusters, schema=schema)


def _review(url: str, d: dt.date, dedup: DedupPolicy) -> tuple[tuple[object, ...], list[Cluster]]:
    """The duplicate review and the stamp of the state it saw (run in a worker process)."""
    from laborcli.registry.engine import open_registry

    reg = open_registry(url, create=False)
    try:
        with reg.reading() as conn:
            return registry_stamp(conn), find_clusters(conn, d, dedup)
    finally:
        reg.close()


def _sources(conn: Connection, d: dt.date, township: str | None) -> list[tuple[str, str, dt.date]]:
    """(file name, SHA-256, as-of) of the files whose sheets are the villages' latest."""
    latest = latest_snapshots(d)
    q = (
        sa.select(imports.c.file_name, imports.c.sha256, imports.c.as_of)
        .distinct()
        .join(latest, latest.c.import_id == imports.c.id)
        .order_by(imports.c.file_name)
    )
    if township:
        q = q.where(latest.c.township == township)
    return [(r[0], r[1], r[2]) for r in conn.execute(q)]


def _quality(
    conn: Connection,
    d: dt.date,
    township: str | None,
    clusters: list[Cluster],
    unverified: dict[tuple[str, str], int],
) -> list[dict[str, Any]]:
    """Each village's latest sheet: how old, how many rows kept and refused, its warnings
    by code, its unverified persons and the duplicates still waiting for review."""
    latest = latest_snapshots(d)
    q = sa.select(
        latest.c.township,
        latest.c.village,
        latest.c.as_of,
        latest.c.rows,
        latest.c.import_id,
        imports.c.rows_rejected,
        imports.c.file_name,
    ).join(imports, imports.c.id == latest.c.import_id)
    if township:
        q = q.where(latest.c.township == township)
    snaps = list(conn.execute(q))
    codes: dict[int, Counter[str]] = defaultdict(Counter)
    ids = [s.import_id for s in snaps]
    for i in range(0, len(ids), 500):
        for r in conn.execute(
            sa.select(problems.c.import_id, problems.c.code, sa.func.count())
            .where(problems.c.import_id.in_(ids[i : i + 500]), problems.c.severity == "warning")
            .group_by(problems.c.import_id, problems.c.code)
        ):
            codes[r[0]][r[1]] += int(r[2])
    pending: Counter[tuple[str, str]] = Counter()
    for c in clusters:
        if c.decision == "probable":
            for place in {(r.township, r.village) for r in c.records}:
                pending[place] += 1
    out = []
    for s in sorted(snaps, key=lambda s: (s.township, s.village)):
        out.append(
            {
                "township": s.township,
                "village": s.village,
                "latest_sheet": s.as_of,
                "file": s.file_name,
                "rows_imported": s.rows,
                "rows_rejected": s.rows_rejected,
                "warnings": "; ".join(
                    f"{problem_name(k)} {n} 处" for k, n in codes[s.import_id].most_common()
                ),
                "warning_codes": dict(codes[s.import_id].most_common()),
                "unverified": unverified.get((s.township, s.village), 0),
                "pending_reviews": pending[(s.township, s.village)],
                "stale": is_stale(s.as_of, d),
            }
        )
    return out


def township_reports(
    reg: Registry, d: dt.date, policy: Policy, schema: SheetSchema | None = None
) -> Iterator[tuple[str, ReportData]]:
    """Each township's report data, in the county report's order (`export report
    --split-by township`). The duplicate review is found once for the county and shared."""
    with reg.reading() as conn:
        clusters = find_clusters(conn, d, policy.dedup)
        county = gather(conn, d, policy, clusters=clusters, schema=schema)
        for t in [r["township"] for r in county.by_township.rows]:
            yield (
                t,
                gather(
                    conn,
                    d,
                    policy,
                    township=t,
                    clusters=clusters,
                    schema=schema,
                    county_tenure=county.tenure,
                    county_training=county.training,
                    county_subsidies=county.subsidies,
                ),
            )
