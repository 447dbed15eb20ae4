"""Message language: Chinese by default, English with LABORCLI_LANG=en."""

from __future__ import annotations

import os


def lang() -> str:
    """The language of messages, read each time so tests can switch it."""
    return "en" if os.environ.get("LABORCLI_LANG", "").lower().startswith("en") else "zh"


def pick(zh: str, en: str) -> str:
    """Choose between a Chinese and an English text."""
    return en if lang() == "en" else zh
