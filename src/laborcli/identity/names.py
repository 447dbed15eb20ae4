"""Name evidence: characters and pinyin (张丽 and 张莉 sound the same)."""

from __future__ import annotations

from functools import lru_cache

# pypinyin is imported where a reading is first needed: loading its dictionaries was the
# largest part of the start-up of every command that only might match names (person,
# through the training modules), see docs/benchmarks.md.


@lru_cache(maxsize=500_000)
def name_pinyin(name: str) -> str:
    """Toneless pinyin of a whole name, syllables joined ('zhangli').

    Character by character through a small cache: a county has hundreds of thousands of
    distinct names but a few thousand distinct characters, and a pypinyin call costs far
    more than a cache lookup.
    """
    return "".join(map(_char_pinyin, name))


@lru_cache(maxsize=50_000)
def _char_pinyin(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(ch, style=Style.NORMAL, errors="default"))


def surname_keys(name: str) -> tuple[str, ...]:
    """Every reading of the first character (曾 is zeng or ceng), for blocking."""
    return _readings(name[0]) if name else ()


@lru_cache(maxsize=50_000)
def _readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="default")
    return tuple(sorted(set(readings[0]))) if readings else (ch,)
