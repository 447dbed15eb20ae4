"""The current register, one row per person, as a table for analysts and other systems.

Scripts read its CSV back by column: new columns go at the end, none is renamed or moved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.dates import age_in_years
from laborcli.identity import Cluster, find_clusters
from laborcli.identity.privacy import Mask
from laborcli.policy import LabourForceAges, Policy
from laborcli.registry.engine import Registry
from laborcli.roster.figures import labour_force_expr
from laborcli.roster.state import current_rows
from laborcli.sheets.schema import SheetSchema
from laborcli.tenure.income import DEFAULT_INCOME_MAX, person_incomes
from laborcli.tenure.spells import current_spell_months

DERIVED = ["年龄", "是否劳动力", "是否转移就业", "重复登记组", "人员键"]
# Months of history (tenure): the months lasted of the transferred spell going on at D
# (blank when not transferred), and the labour income in D's year with its unknown months.
TENURE = ["连续转移就业月数", "本年务工收入", "本年收入未知月数"]


def people_frame(
    conn: Connection,
    d: dt.date,
    ages: LabourForceAges,
    schema: SheetSchema,
    mask: Mask,
    clusters: list[Cluster],
    township: str | None = None,
    *,
    income_max: float = DEFAULT_INCOME_MAX,
) -> pd.DataFrame:
    """Standard headers plus derived fields and months of history, identifiers masked
    unless asked."""
    cur = current_rows(d, conn.dialect.name).subquery("cur")
    q = sa.select(cur, labour_force_expr(cur.c, d, ages).label("_lf"))
    if township:
        q = q.where(cur.c.township == township)
    q = q.order_by(cur.c.township, cur.c.village, cur.c.grp, cur.c.household_id, cur.c.row_number)
    cluster_of = {r.pkey: c.cluster_id for c in clusters if c.decision != "different" for r in c.records}
    spell_months = current_spell_months(conn, d)
    incomes, year_months = person_incomes(conn, d.year, d, income_max=income_max)
    recs: list[dict[str, Any]] = []
    for r in conn.execute(q):
        m = r._mapping
        rec: dict[str, Any] = {}
        for col in schema.columns:
            key = "grp" if col.key == "group" else col.key
            v = m.get(key) if key in m else None
            if col.type == "yesno" and v is not None:
                v = "是" if v else "否"
            if col.key == "id_number":
                v = mask.id(v)
            elif col.key == "phone":
                v = mask.phone(v)
            rec[col.header] = v
        b = m["birth_eff"]
        rec["年龄"] = None if b is None else age_in_years(b, d)
        rec["是否劳动力"] = "是" if m["_lf"] else "否"
        rec["是否转移就业"] = "是" if (m["_lf"] and m["transferred"]) else "否"
        rec["重复登记组"] = cluster_of.get(m["pkey"])
        rec["人员键"] = mask.key(m["pkey"])
        rec["连续转移就业月数"] = spell_months.get(m["pkey"])
        rec["本年务工收入"], rec["本年收入未知月数"] = incomes.get(m["pkey"], (0.0, year_months))
        recs.append(rec)
    df = pd.DataFrame.from_records(recs, columns=[c.header for c in schema.columns] + DERIVED + TENURE)
    # Whole months, blank when not transferred (not 92.0 beside NaN).
    df["连续转移就业月数"] = df["连续转移就业月数"].astype("Int64")
    return df


def register(
    reg: Registry, d: dt.date, policy: Policy, schema: SheetSchema, mask: Mask, township: str | None = None
) -> pd.DataFrame:
    """The current register as of ``d`` with each person's duplicate cluster (`export people`)."""
    with reg.reading() as conn:
        clusters = find_clusters(conn, d, policy.dedup)
        return people_frame(
            conn,
            d,
            policy.labour_force,
            schema,
            mask,
            clusters,
            township=township,
            income_max=policy.income.max_monthly_yuan,
        )
