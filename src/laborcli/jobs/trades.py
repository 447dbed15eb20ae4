"""The trades vocabulary: free text (电焊, 焊工, 泥瓦工) to occupation codes of the 职业分类大典
(GB/T 6565), and how close two codes are (same code, same 小类, same 中类).

Words are compared whole, after folding: a text is split at its separators (、, ；, /,
spaces, 和) into terms, and a term is a trade when it is a name or alias of the vocabulary,
or is one once a trade suffix is added or taken away (焊 / 焊工), or when its pinyin is that
of one (homophones typed by ear: 坭瓦工). Never a token-set or partial score on unsegmented
Chinese, which pairs 电工 with 电子 or 电焊. A term that matches nothing is returned, so the
office can add it to the county's file.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from laborcli.sheets.cells import fold

_SPLIT = re.compile(r"[、,，;；/|\s]+|和|及|与")
_SUFFIXES = ("人员", "工", "员", "师", "手")
_PINYIN_MIN = 3


def code_num(code: str) -> int:
    """6-18-02-04 as 6180204: 大类, 中类, 小类 and 细类 in its digits."""
    return int(code.replace("-", ""))


def closeness(a: int, b: int) -> int:
    """3 the same code, 2 the same 小类, 1 the same 中类, 0 otherwise (a 小类 or 中类 of
    00 is no class: 6-00-00-00 shares nothing but itself)."""
    if a == b:
        return 3
    if a // 100 == b // 100 and (a // 100) % 100:
        return 2
    if a // 10000 == b // 10000 and (a // 10000) % 100:
        return 1
    return 0


def terms_of(text: str | None) -> list[str]:
    """A free-text cell's terms, folded, in order, without repeats."""
    if not text:
        return []
    out: list[str] = []
    for t in _SPLIT.split(fold(text)):
        t = t.strip("()（）。.")
        if t and t not in out and t not in ("无", "暂无", "没有"):
            out.append(t)
    return out


@dataclass(slots=True)
class Trades:
    """Folded names and aliases to codes; codes to their names."""

    by_term: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    _pinyin: dict[str, list[str]] | None = None

    def add(self, term: str, code: str) -> None:
        """Make ``term`` a name of ``code``."""
        t = fold(term).strip()
        if t:
            codes = self.by_term.setdefault(t, [])
            if code not in codes:
                codes.append(code)

    def codes(self, term: str) -> list[str]:
        """The codes a term names: whole, with a trade suffix added or removed, or by pinyin."""
        for t in _variants(term):
            hit = self.by_term.get(t)
            if hit:
                return hit
        # Homophones of two characters are too many (竹编, 主编): pinyin from three on.
        py = _pinyin_of(term) if len(term) >= _PINYIN_MIN else ""
        if py:
            return self.pinyin_index().get(py, [])
        return []

    def pinyin_index(self) -> dict[str, list[str]]:
        """Pinyin of every term (built when first asked for: most terms match as typed)."""
        if self._pinyin is None:
            idx: dict[str, list[str]] = {}
            for t, codes in self.by_term.items():
                if len(t) >= _PINYIN_MIN:
                    py = _pinyin_of(t)
                    if py:
                        idx.setdefault(py, []).extend(c for c in codes if c not in idx.get(py, []))
            self._pinyin = idx
        return self._pinyin

    def read(self, text: str | None) -> tuple[list[str], list[str]]:
        """(codes, unmatched terms) of a free-text cell."""
        codes: list[str] = []
        unmatched: list[str] = []
        for t in terms_of(text):
            found = self.codes(t)
            if found:
                codes.extend(c for c in found if c not in codes)
            else:
                unmatched.append(t)
        return codes, unmatched


def _variants(term: str) -> list[str]:
    out = [term]
    for s in _SUFFIXES:
        if term.endswith(s) and len(term) > len(s):
            out.append(term[: -len(s)])
    out.extend(term + s for s in ("工", "员"))
    return out


@functools.lru_cache(maxsize=65536)
def _pinyin_of(term: str) -> str:
    """The pinyin of a term's Chinese characters, without tones; empty when it has none."""
    from pypinyin import lazy_pinyin

    if not any("\u4e00" <= ch <= "\u9fff" for ch in term):
        return ""
    return " ".join(lazy_pinyin(term))


def _data(name: str) -> Path:
    return Path(str(resources.files("laborcli") / "jobs" / "data" / name))


def _clean(name: str) -> str:
    # The source marks some names with a trailing L (保洁员L).
    return name[:-1] if name.endswith("L") and len(name) > 1 and not name[-2].isascii() else name


@functools.cache
def shipped_trades() -> Trades:
    """The shipped classification with the shipped county words."""
    return load_trades(None)


def load_trades(county_file: Path | None) -> Trades:
    """The classification, the shipped county words, and a county's own file."""
    tr = Trades()
    with _data("occupations.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code, name = r["code"], _clean(r["name"])
            tr.names[code] = name
            tr.add(name, code)
            for a in re.split(r"[,/]", r.get("alias") or ""):
                tr.add(_clean(a), code)
    for path in (_data("county_trades.csv"), county_file):
        if path is None:
            continue
        with path.open(encoding="utf-8-sig", newline="") as f:
            for i, row in enumerate(csv.reader(f)):
                if not row or (i == 0 and row[0].strip() == "code"):
                    continue
                code = row[0].strip()
                for cell in row[1:]:
                    for a in re.split(r"[、,，]", cell):
                        tr.add(a, code)
    return tr
