"""The faults of hand-typed sheets, and the problem code the import must report for each.

A person's fault persists (the village keeps copying last month's sheet); a row error is
typed anew each month and corrected the next.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from laborcli.sample.draws import Rng, share_of
from laborcli.sample.style import FULL_DATE_STYLES, date_text
from laborcli.sample.writers import Fmt, SheetCell

if TYPE_CHECKING:
    from laborcli.sample.draws import Rng
    from laborcli.sample.people import Person
    from laborcli.sample.standard import Standard
from laborcli.sample.style import Style

# Problem codes the generated faults must produce (laborcli.sheets.problems).
ERRORS = ("status-unknown", "status-missing", "date-unreadable", "id-stored-as-number", "income-invalid")
WARNINGS = (
    "id-missing",
    "id-check-digit",
    "phone-invalid",
    "gender-mismatch",
    "birth-mismatch",
    "id-duplicate-in-sheet",
)

# Rates of the faults, per person (persistent: the village keeps copying last month's
# sheet) or per row and month (typed anew, corrected the next month).
PERSON_QUIRKS: dict[str, float] = {
    "id_missing": 0.010,
    "id_typo": 0.0015,
    "id_fullwidth": 0.004,
    "id_spaces": 0.004,
    "id_15": 0.003,
    "phone_bad": 0.003,
    "gender_wrong": 0.001,
    "birth_wrong": 0.001,
}
QUIRK_CODE = {
    "id_missing": "id-missing",
    "id_typo": "id-check-digit",
    "phone_bad": "phone-invalid",
    "gender_wrong": "gender-mismatch",
    "birth_wrong": "birth-mismatch",
}
ROW_ERRORS: dict[str, float] = {
    "status-unknown": 0.0010,
    "date-unreadable": 0.0010,
    "id-stored-as-number": 0.0005,
    "income-invalid": 0.0005,
    "status-missing": 0.0003,
}

_FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９ＸＸ")


def person_fault(rng: Rng, style: Style, p: Person, bstyle: str) -> None:
    """The person's persistent fault, if any, and the ID cell as the village writes it."""
    id18 = p.id18
    p.id_cell = id18.lower() if (style.lower_x and id18.endswith("X")) else id18
    quirk = share_of(rng.random(), PERSON_QUIRKS)
    if quirk == "id_15" and id18[6:8] != "19":
        quirk = ""
    if quirk in ("gender_wrong", "birth_wrong", "phone_bad") and p.birth_cell is None:
        quirk = ""
    if quirk == "phone_bad" and not p.phone_cell:
        quirk = ""
    if quirk in ("id_missing", "id_typo") and (p.birth_cell is None or bstyle not in FULL_DATE_STYLES):
        p.birth_cell = date_text(p.birth, "dot")
    p.quirk = quirk
    if quirk == "id_missing":
        p.id_cell, p.id_valid = None, False
    elif quirk == "id_typo":
        p.id_cell, p.id_valid = typo(rng, id18), False
    elif quirk == "id_fullwidth":
        p.id_cell = id18.translate(_FULLWIDTH)
    elif quirk == "id_spaces":
        p.id_cell = rng.pick((f"{id18[:6]} {id18[6:14]} {id18[14:]}", f"{id18} ", f" {id18}"))
    elif quirk == "id_15":
        p.id_cell = id18[:6] + id18[8:17]
    elif quirk == "phone_bad":
        phone = str(p.phone_cell)
        p.phone_cell = phone[:-1] if rng.random() < 0.6 else phone + str(rng.below(10))
    elif quirk == "gender_wrong":
        p.gender_cell = "女" if p.male else "男"
    elif quirk == "birth_wrong":
        b = p.birth + dt.timedelta(days=rng.pick((-40, -9, -3, 2, 5, 11, 31)))
        if b.year == p.birth.year and b.month == p.birth.month and b.day == 1:
            b += dt.timedelta(days=1)
        p.birth_cell = date_text(b, "dot")


def typo(rng: random.Random, id18: str) -> str:
    """One mistyped digit of the sequence code (the check digit then fails)."""
    i = rng.choice((14, 15))
    d = str((int(id18[i]) + rng.randint(1, 9)) % 10)
    return id18[:i] + d + id18[i + 1 :]


def inject_error(
    rng: random.Random, code: str, row: dict[str, SheetCell], p: Person, fmt: Fmt, std: Standard
) -> bool:
    """Spoil one cell of a person's row (cells by column key) so that the import reports ``code``; False if unfit."""
    if code == "status-unknown":
        row["employment_status"] = rng.choice(("打工", "在家", "外出", "上学", "待定", "务工"))
    elif code == "status-missing":
        row["employment_status"] = None
    elif code == "date-unreadable":
        if p.status in std.transferred and row["job_start"] is not None:
            row["job_start"] = rng.choice(("2025.13.2", "2024年", "去年3月", "2024.2.30", "3月份"))
        elif row["birth_date"] is not None:
            y = p.birth.year
            row["birth_date"] = rng.choice((f"{y}.13.5", f"{y % 100}年{p.birth.month}月", f"{y}.2.31"))
        else:
            return False
    elif code == "id-stored-as-number":
        if not p.id18.isdigit() or row["birth_date"] is None:
            return False
        n = float(f"{float(p.id18):.14e}")  # Excel keeps 15 significant digits
        row["id_number"] = n if fmt == "xlsx" else f"{n:.5E}"
    elif code == "income-invalid":
        if row["monthly_income"] is None:
            return False
        row["monthly_income"] = rng.choice(("面议", "4500-5000", "约三千", "计件"))
    return True
