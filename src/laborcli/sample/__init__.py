"""A realistic county of monthly village sheets, deterministic by seed (``laborcli sample``).

Why it exists: the tool has to be tried, demonstrated and benchmarked on data that looks
like what village officers really send, without anybody's personal data. The county made
here has townships, villages and villager groups; households with a head and relations,
every age from school children to the elderly; poverty, relocation and monitoring flags;
statuses that change from month to month (people leave for work after the Spring
Festival, some come home in winter); and, when ``messy``, the faults of hand-typed
sheets at small rates, each of which the import must report as the problem code the
summary predicts. The summary therefore doubles as the answer key of an end-to-end test.

The modules, from the whole to the parts:

- ``county``: plan, write every township (in parallel when large), add up the summary
- ``township``: one township over all months, on its own random generator
- ``villages``: a village's households and persons as first listed
- ``people``: names, ID numbers, phones, ages, household make-up
- ``jobs``: statuses, destinations, employers, incomes, start dates
- ``months``: the months to write and what changes between them
- ``duplicates``: persons listed twice
- ``faults``: the faults of hand-typed sheets and the problem codes they produce
- ``style``: how a village writes its sheet (headers, date forms, yes/no marks)
- ``sheets``: a village's rows for one month, decorated and written
- ``targets``: the annual targets sheet
- ``summary``: the answer key and the true figures
- ``places``: the plan of townships and villages
- ``standard``: columns and status rules, read from schemas/village_sheet.toml
- ``writers``: xlsx and CSV bytes
- ``draws``: cheap random draws and weighted tables
"""

from __future__ import annotations

from laborcli.sample.county import CountyRun, generate_county, prepare_county
from laborcli.sample.duplicates import DUPLICATES
from laborcli.sample.faults import ERRORS, WARNINGS
from laborcli.sample.months import month_list
from laborcli.sample.places import CountyPlan, VillagePlan, plan_county
from laborcli.sample.summary import CountySummary, MonthSummary
from laborcli.sample.writers import csv_bytes, xlsx_bytes

__all__ = [
    "DUPLICATES",
    "ERRORS",
    "WARNINGS",
    "CountyPlan",
    "CountyRun",
    "CountySummary",
    "MonthSummary",
    "VillagePlan",
    "csv_bytes",
    "generate_county",
    "month_list",
    "plan_county",
    "prepare_county",
    "xlsx_bytes",
]
