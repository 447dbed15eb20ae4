"""One village's sheet for one month: its rows and decoration, and what the import must find."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from operator import itemgetter
from typing import TYPE_CHECKING

from laborcli.sample.faults import QUIRK_CODE, ROW_ERRORS, inject_error
from laborcli.sample.people import MALE_CHARS, SURNAMES
from laborcli.sample.style import Style, yesno
from laborcli.sample.writers import SheetCell, col_letter, csv_bytes, xlsx_bytes
from laborcli.sheets.safe import write_whole

if TYPE_CHECKING:
    from laborcli.sample.duplicates import Copy
    from laborcli.sample.people import Person
    from laborcli.sample.places import VillagePlan
    from laborcli.sample.standard import Standard
    from laborcli.sample.summary import MonthSummary
    from laborcli.sample.township import Township
    from laborcli.sample.villages import Village


def _person_row(
    p: Person, style: Style, v: VillagePlan, c: Copy | None, std: Standard
) -> dict[str, SheetCell]:
    """A person's cells by column key, "" for a 序号 column (before the village's choice and order of columns)."""
    status = style.status_alias.get(p.status, p.status)
    transferred = p.status in std.transferred
    outside = p.status == "县外务工"
    return {
        "": None,  # a 序号 column, numbered once the rows are in order
        "township": v.township,
        "village": v.village,
        "group": c.group if c else p.group,
        "household_id": c.household if c else p.household,
        "relation": c.relation if c else p.relation,
        "household_size": c.hh_size if c else p.hh_size,
        "name": c.name if c else p.name,
        "id_number": c.id_cell if c else p.id_cell,
        "gender": p.gender_cell,
        "birth_date": c.birth_cell if c else p.birth_cell,
        "ethnicity": p.ethnicity,
        "education": p.education,
        "phone": p.phone_cell,
        "poor_household": yesno(style, p.poor),
        "relocated": yesno(style, p.relocated),
        "monitored": yesno(style, p.monitored),
        "labour_capacity": p.capacity,
        "skills": p.skills or None,
        "training_wish": p.training or None,
        "job_intention": p.intention or None,
        "employment_status": status,
        "work_place": p.place or None,
        "employer": p.employer or None,
        "job_start": p.start_cell if transferred else None,
        "monthly_income": p.income_cell if transferred else None,
        "organised": yesno(style, p.organised) if outside else (style.no or None) if transferred else None,
        "organiser": (p.organiser or None) if outside else None,
        "remarks": p.remarks or None,
    }


def write_village(
    t: Township, v: Village, month: str, as_of: dt.date, ms: MonthSummary, valid_ids: set[str]
) -> tuple[str, int]:
    """Write one village's sheet for one month; count in ``ms`` what the import must find in it.

    ``valid_ids`` collects the valid IDs listed in the township this month (a person listed
    twice with the same ID is counted once); returns the file's path under the output
    folder and its size.
    """
    job, rng = t.job, t.rng
    style = v.style
    plan = v.plan
    fmt = job.fmt
    std = t.std
    pick_cells = itemgetter(*style.keys)
    problems: Counter[str] = Counter()
    body: list[list[SheetCell]] = []
    lost = 0
    error_rates = ROW_ERRORS if job.messy else {}
    copies_after: dict[int, list[Copy]] = {}
    tail: list[Copy] = []
    for c in v.copies:
        if c.kind == "in_sheet":
            copies_after.setdefault(id(c.person), []).append(c)
        else:
            tail.append(c)

    def emit(cells: dict[str, SheetCell]) -> None:
        body.append(list(pick_cells(cells)))

    for p in v.people:
        cells = _person_row(p, style, plan, None, std)
        code = ""
        if error_rates and not p.quirk and not p.dup:
            r = rng.random()
            for k, rate in error_rates.items():
                if r < rate:
                    code = k
                    break
                r -= rate
            if code and not inject_error(rng, code, cells, p, fmt, std):
                code = ""
        if code:
            problems[code] += 1
            ms.rows_rejected += 1
            lost += 1
        else:
            if p.id_valid:
                valid_ids.add(p.id18)
            else:
                ms.persons_counted += 1
            q = QUIRK_CODE.get(p.quirk)
            if q:
                problems[q] += 1
        emit(cells)
        for c in copies_after.get(id(p), ()):
            emit(_person_row(p, style, plan, c, std))
            problems["id-duplicate-in-sheet"] += 1
    for c in tail:
        emit(_person_row(c.person, style, plan, c, std))
        if c.id_valid:
            valid_ids.add(c.person.id18)
        else:
            ms.persons_counted += 1
            ms.unverified_copies += 1
            problems["id-missing" if c.id_cell is None else "id-check-digit"] += 1
    ms.persons_lost += lost
    ms.rows += len(body)
    for k, n in problems.items():
        ms.problems[k] = ms.problems.get(k, 0) + n
    for i, row in enumerate(body):
        if style.keys and style.keys[0] == "":
            row[0] = i + 1
    rows = _decorate(rng, style, plan, job.plan.county, month, body, len(style.keys))
    name = f"{plan.township}_{plan.village}_{month}.{fmt}"
    rel = f"{month}/{name}"
    path = job.out_dir / month / name
    if fmt == "xlsx":
        text_cols = {i for i, k in enumerate(style.keys) if k in ("id_number", "phone", "household_id")}
        merges = [f"A1:{col_letter(len(style.keys) - 1)}1"] if (style.titles and style.merge_title) else []
        widths = [len(std.headers[k]) * 2 + 4 if k else 6 for k in style.keys]
        widths = [max(w, 22) if k == "id_number" else w for w, k in zip(widths, style.keys, strict=True)]
        fill = as_of.replace(day=min(25, as_of.day))
        data = xlsx_bytes(rows, sheet="Sheet1", merges=merges, widths=widths, text_cols=text_cols, when=fill)
    else:
        data = csv_bytes(rows, style.encoding)
    write_whole(path, data, sync=False)  # a sample is made again at will
    return rel, len(data)


def _decorate(
    rng: random.Random,
    style: Style,
    plan: VillagePlan,
    county: str,
    month: str,
    body: list[list[SheetCell]],
    ncols: int,
) -> list[list[SheetCell]]:
    """Title rows above the header, blank rows among the data, a totals row and a footer below."""
    y, m = month.split("-")
    rows: list[list[SheetCell]] = []
    if style.titles >= 1:
        rows.append([f"{county}{plan.township}{plan.village}劳动力信息统计表({y}年{int(m)}月)"])
    if style.titles >= 2:
        line: list[SheetCell] = [None] * ncols
        line[0] = f"填报单位:{plan.village}村民委员会"
        line[min(ncols - 1, 8)] = f"填报日期:{y}年{int(m)}月25日"
        rows.append(line)
    rows.append(list(style.headers))
    data = list(body)
    if style.blank_rows and rng.random() < style.blank_rows and len(data) > 4:
        for _ in range(rng.randint(1, 2)):
            data.insert(rng.randrange(1, len(data)), [])
    rows.extend(data)
    if style.totals and rng.random() < style.totals:
        tot: list[SheetCell] = [None] * ncols
        tot[0] = "合计"
        name_i = style.keys.index("name")
        tot[name_i] = f"{len(body)}人"
        rows.append(tot)
    if style.footer and rng.random() < style.footer:
        foot: list[SheetCell] = [None] * ncols
        foot[0] = "填报人:" + rng.choice(SURNAMES) + rng.choice(MALE_CHARS)
        foot[3] = "审核人:" + rng.choice(SURNAMES) + rng.choice(MALE_CHARS)
        foot[min(ncols - 1, 10)] = f"填报日期:{y}年{int(m)}月25日"
        rows.extend([[], foot])
    return rows
