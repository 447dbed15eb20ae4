"""Name evidence: characters and pinyin (张丽 and 张莉 sound the same)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin


@lru_cache(maxsize=500_000)
def name_pinyin(name: str) -> str:
    """Toneless pinyin of a whole name, syllables joined ('zhangli')."""
    return "".join(lazy_pinyin(name, style=Style.NORMAL, errors="default"))


@lru_cache(maxsize=50_000)
def surname_keys(name: str) -> tuple[str, ...]:
    """Every reading of the first character (曾 is zeng or ceng), for blocking."""
    if not name:
        return ()
    readings = pinyin(name[0], style=Style.NORMAL, heteronym=True, errors="default")
    return tuple(sorted(set(readings[0]))) if readings else (name[0],)
