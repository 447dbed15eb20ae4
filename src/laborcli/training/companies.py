"""When a 就业单位 names a company (docs/programmes.md "Matching"): after normalisation
(NFKC, spaces removed) the two are equal, or the 就业单位 contains the company's name with
有限公司, 有限责任公司, 公司 or 厂 removed from its end, that remainder being at least 4
characters. The same rule serves placements (the jobs programme) and order training.
"""

from __future__ import annotations

from laborcli.sheets.cells import fold

# Longest first: 有限责任公司 must not be cut as 公司 and leave 有限责任.
_SUFFIXES = ("有限责任公司", "有限公司", "公司", "厂")
_MIN_CORE = 4


def company_core(company: str) -> str:
    """The company's name without its legal-form ending (normalised)."""
    name = fold(company)
    for s in _SUFFIXES:
        if name.endswith(s):
            return name[: -len(s)]
    return name


def names_company(employer: str | None, company: str | None) -> bool:
    """Whether the 就业单位 ``employer`` names ``company``."""
    if not employer or not company:
        return False
    e, c = fold(employer), fold(company)
    if not e or not c:
        return False
    if e == c:
        return True
    core = company_core(company)
    return len(core) >= _MIN_CORE and core in e
