"""Company and job names compared as whole terms after normalisation (docs/programmes.md,
"Matching people to jobs"): the same rule serves a demand's identity, placements found in
later sheets and order training."""

from __future__ import annotations

import re

from laborcli.sheets.cells import fold

# Spaces, dots and brackets people type differently (（有限公司） / (有限公司)).
_NOISE = re.compile(r"[\s·.,，、()（）\[\]【】\"'“”‘’-]+")
_SUFFIXES = ("有限责任公司", "有限公司", "公司", "厂")


def normalise(name: str | None) -> str:
    """A name as compared: folded (full-width, case), without spaces and punctuation."""
    return _NOISE.sub("", fold(name or ""))


def core_name(company: str) -> str:
    """The company's name without its legal form at the end (有限公司, 有限责任公司, 公司, 厂)."""
    n = normalise(company)
    for s in _SUFFIXES:
        if n.endswith(s):
            return n[: -len(s)]
    return n


def names_company(employer: str | None, company: str) -> bool:
    """Whether a 就业单位 names the company: equal after normalisation, or containing the
    company's name without its legal form, that remainder being at least 4 characters."""
    e, c = normalise(employer), normalise(company)
    if not e or not c:
        return False
    if e == c:
        return True
    core = core_name(company)
    return len(core) >= 4 and core in e
